package commands

// kafkaErrorsTable is Kafka 2.8's protocol error table (clients/.../protocol/Errors.java):
// for an error code, the simple name of the exception class the Java client
// raises and its default message. Every class is in org.apache.kafka.common.errors
// except InvalidRecordException (org.apache.kafka.common). Unknown codes are
// UNKNOWN_SERVER_ERROR, as in Errors.forCode.
func kafkaErrorsTable(code int16) (class, msg string) {
	switch code {
	case -1: // UNKNOWN_SERVER_ERROR
		return "UnknownServerException", "The server experienced an unexpected error when processing the request."
	case 1: // OFFSET_OUT_OF_RANGE
		return "OffsetOutOfRangeException", "The requested offset is not within the range of offsets maintained by the server."
	case 2: // CORRUPT_MESSAGE
		return "CorruptRecordException", "This message has failed its CRC checksum, exceeds the valid size, has a null key for a compacted topic, or is otherwise corrupt."
	case 3: // UNKNOWN_TOPIC_OR_PARTITION
		return "UnknownTopicOrPartitionException", "This server does not host this topic-partition."
	case 4: // INVALID_FETCH_SIZE
		return "InvalidFetchSizeException", "The requested fetch size is invalid."
	case 5: // LEADER_NOT_AVAILABLE
		return "LeaderNotAvailableException", "There is no leader for this topic-partition as we are in the middle of a leadership election."
	case 6: // NOT_LEADER_OR_FOLLOWER
		return "NotLeaderOrFollowerException", "For requests intended only for the leader, this error indicates that the broker is not the current leader. For requests intended for any replica, this error indicates that the broker is not a replica of the topic partition."
	case 7: // REQUEST_TIMED_OUT
		return "TimeoutException", "The request timed out."
	case 8: // BROKER_NOT_AVAILABLE
		return "BrokerNotAvailableException", "The broker is not available."
	case 9: // REPLICA_NOT_AVAILABLE
		return "ReplicaNotAvailableException", "The replica is not available for the requested topic-partition. Produce/Fetch requests and other requests intended only for the leader or follower return NOT_LEADER_OR_FOLLOWER if the broker is not a replica of the topic-partition."
	case 10: // MESSAGE_TOO_LARGE
		return "RecordTooLargeException", "The request included a message larger than the max message size the server will accept."
	case 11: // STALE_CONTROLLER_EPOCH
		return "ControllerMovedException", "The controller moved to another broker."
	case 12: // OFFSET_METADATA_TOO_LARGE
		return "OffsetMetadataTooLarge", "The metadata field of the offset request was too large."
	case 13: // NETWORK_EXCEPTION
		return "NetworkException", "The server disconnected before a response was received."
	case 14: // COORDINATOR_LOAD_IN_PROGRESS
		return "CoordinatorLoadInProgressException", "The coordinator is loading and hence can't process requests."
	case 15: // COORDINATOR_NOT_AVAILABLE
		return "CoordinatorNotAvailableException", "The coordinator is not available."
	case 16: // NOT_COORDINATOR
		return "NotCoordinatorException", "This is not the correct coordinator."
	case 17: // INVALID_TOPIC_EXCEPTION
		return "InvalidTopicException", "The request attempted to perform an operation on an invalid topic."
	case 18: // RECORD_LIST_TOO_LARGE
		return "RecordBatchTooLargeException", "The request included message batch larger than the configured segment size on the server."
	case 19: // NOT_ENOUGH_REPLICAS
		return "NotEnoughReplicasException", "Messages are rejected since there are fewer in-sync replicas than required."
	case 20: // NOT_ENOUGH_REPLICAS_AFTER_APPEND
		return "NotEnoughReplicasAfterAppendException", "Messages are written to the log, but to fewer in-sync replicas than required."
	case 21: // INVALID_REQUIRED_ACKS
		return "InvalidRequiredAcksException", "Produce request specified an invalid value for required acks."
	case 22: // ILLEGAL_GENERATION
		return "IllegalGenerationException", "Specified group generation id is not valid."
	case 23: // INCONSISTENT_GROUP_PROTOCOL
		return "InconsistentGroupProtocolException", "The group member's supported protocols are incompatible with those of existing members or first group member tried to join with empty protocol type or empty protocol list."
	case 24: // INVALID_GROUP_ID
		return "InvalidGroupIdException", "The configured groupId is invalid."
	case 25: // UNKNOWN_MEMBER_ID
		return "UnknownMemberIdException", "The coordinator is not aware of this member."
	case 26: // INVALID_SESSION_TIMEOUT
		return "InvalidSessionTimeoutException", "The session timeout is not within the range allowed by the broker (as configured by group.min.session.timeout.ms and group.max.session.timeout.ms)."
	case 27: // REBALANCE_IN_PROGRESS
		return "RebalanceInProgressException", "The group is rebalancing, so a rejoin is needed."
	case 28: // INVALID_COMMIT_OFFSET_SIZE
		return "InvalidCommitOffsetSizeException", "The committing offset data size is not valid."
	case 29: // TOPIC_AUTHORIZATION_FAILED
		return "TopicAuthorizationException", "Topic authorization failed."
	case 30: // GROUP_AUTHORIZATION_FAILED
		return "GroupAuthorizationException", "Group authorization failed."
	case 31: // CLUSTER_AUTHORIZATION_FAILED
		return "ClusterAuthorizationException", "Cluster authorization failed."
	case 32: // INVALID_TIMESTAMP
		return "InvalidTimestampException", "The timestamp of the message is out of acceptable range."
	case 33: // UNSUPPORTED_SASL_MECHANISM
		return "UnsupportedSaslMechanismException", "The broker does not support the requested SASL mechanism."
	case 34: // ILLEGAL_SASL_STATE
		return "IllegalSaslStateException", "Request is not valid given the current SASL state."
	case 35: // UNSUPPORTED_VERSION
		return "UnsupportedVersionException", "The version of API is not supported."
	case 36: // TOPIC_ALREADY_EXISTS
		return "TopicExistsException", "Topic with this name already exists."
	case 37: // INVALID_PARTITIONS
		return "InvalidPartitionsException", "Number of partitions is below 1."
	case 38: // INVALID_REPLICATION_FACTOR
		return "InvalidReplicationFactorException", "Replication factor is below 1 or larger than the number of available brokers."
	case 39: // INVALID_REPLICA_ASSIGNMENT
		return "InvalidReplicaAssignmentException", "Replica assignment is invalid."
	case 40: // INVALID_CONFIG
		return "InvalidConfigurationException", "Configuration is invalid."
	case 41: // NOT_CONTROLLER
		return "NotControllerException", "This is not the correct controller for this cluster."
	case 42: // INVALID_REQUEST
		return "InvalidRequestException", "This most likely occurs because of a request being malformed by the client library or the message was sent to an incompatible broker. See the broker logs for more details."
	case 43: // UNSUPPORTED_FOR_MESSAGE_FORMAT
		return "UnsupportedForMessageFormatException", "The message format version on the broker does not support the request."
	case 44: // POLICY_VIOLATION
		return "PolicyViolationException", "Request parameters do not satisfy the configured policy."
	case 45: // OUT_OF_ORDER_SEQUENCE_NUMBER
		return "OutOfOrderSequenceException", "The broker received an out of order sequence number."
	case 46: // DUPLICATE_SEQUENCE_NUMBER
		return "DuplicateSequenceException", "The broker received a duplicate sequence number."
	case 47: // INVALID_PRODUCER_EPOCH
		return "InvalidProducerEpochException", "Producer attempted to produce with an old epoch."
	case 48: // INVALID_TXN_STATE
		return "InvalidTxnStateException", "The producer attempted a transactional operation in an invalid state."
	case 49: // INVALID_PRODUCER_ID_MAPPING
		return "InvalidPidMappingException", "The producer attempted to use a producer id which is not currently assigned to its transactional id."
	case 50: // INVALID_TRANSACTION_TIMEOUT
		return "InvalidTxnTimeoutException", "The transaction timeout is larger than the maximum value allowed by the broker (as configured by transaction.max.timeout.ms)."
	case 51: // CONCURRENT_TRANSACTIONS
		return "ConcurrentTransactionsException", "The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing."
	case 52: // TRANSACTION_COORDINATOR_FENCED
		return "TransactionCoordinatorFencedException", "Indicates that the transaction coordinator sending a WriteTxnMarker is no longer the current coordinator for a given producer."
	case 53: // TRANSACTIONAL_ID_AUTHORIZATION_FAILED
		return "TransactionalIdAuthorizationException", "Transactional Id authorization failed."
	case 54: // SECURITY_DISABLED
		return "SecurityDisabledException", "Security features are disabled."
	case 55: // OPERATION_NOT_ATTEMPTED
		return "OperationNotAttemptedException", "The broker did not attempt to execute this operation. This may happen for batched RPCs where some operations in the batch failed, causing the broker to respond without trying the rest."
	case 56: // KAFKA_STORAGE_ERROR
		return "KafkaStorageException", "Disk error when trying to access log file on the disk."
	case 57: // LOG_DIR_NOT_FOUND
		return "LogDirNotFoundException", "The user-specified log directory is not found in the broker config."
	case 58: // SASL_AUTHENTICATION_FAILED
		return "SaslAuthenticationException", "SASL Authentication failed."
	case 59: // UNKNOWN_PRODUCER_ID
		return "UnknownProducerIdException", "This exception is raised by the broker if it could not locate the producer metadata associated with the producerId in question. This could happen if, for instance, the producer's records were deleted because their retention time had elapsed. Once the last records of the producerId are removed, the producer's metadata is removed from the broker, and future appends by the producer will return this exception."
	case 60: // REASSIGNMENT_IN_PROGRESS
		return "ReassignmentInProgressException", "A partition reassignment is in progress."
	case 61: // DELEGATION_TOKEN_AUTH_DISABLED
		return "DelegationTokenDisabledException", "Delegation Token feature is not enabled."
	case 62: // DELEGATION_TOKEN_NOT_FOUND
		return "DelegationTokenNotFoundException", "Delegation Token is not found on server."
	case 63: // DELEGATION_TOKEN_OWNER_MISMATCH
		return "DelegationTokenOwnerMismatchException", "Specified Principal is not valid Owner/Renewer."
	case 64: // DELEGATION_TOKEN_REQUEST_NOT_ALLOWED
		return "UnsupportedByAuthenticationException", "Delegation Token requests are not allowed on PLAINTEXT/1-way SSL channels and on delegation token authenticated channels."
	case 65: // DELEGATION_TOKEN_AUTHORIZATION_FAILED
		return "DelegationTokenAuthorizationException", "Delegation Token authorization failed."
	case 66: // DELEGATION_TOKEN_EXPIRED
		return "DelegationTokenExpiredException", "Delegation Token is expired."
	case 67: // INVALID_PRINCIPAL_TYPE
		return "InvalidPrincipalTypeException", "Supplied principalType is not supported."
	case 68: // NON_EMPTY_GROUP
		return "GroupNotEmptyException", "The group is not empty."
	case 69: // GROUP_ID_NOT_FOUND
		return "GroupIdNotFoundException", "The group id does not exist."
	case 70: // FETCH_SESSION_ID_NOT_FOUND
		return "FetchSessionIdNotFoundException", "The fetch session ID was not found."
	case 71: // INVALID_FETCH_SESSION_EPOCH
		return "InvalidFetchSessionEpochException", "The fetch session epoch is invalid."
	case 72: // LISTENER_NOT_FOUND
		return "ListenerNotFoundException", "There is no listener on the leader broker that matches the listener on which metadata request was processed."
	case 73: // TOPIC_DELETION_DISABLED
		return "TopicDeletionDisabledException", "Topic deletion is disabled."
	case 74: // FENCED_LEADER_EPOCH
		return "FencedLeaderEpochException", "The leader epoch in the request is older than the epoch on the broker."
	case 75: // UNKNOWN_LEADER_EPOCH
		return "UnknownLeaderEpochException", "The leader epoch in the request is newer than the epoch on the broker."
	case 76: // UNSUPPORTED_COMPRESSION_TYPE
		return "UnsupportedCompressionTypeException", "The requesting client does not support the compression type of given partition."
	case 77: // STALE_BROKER_EPOCH
		return "StaleBrokerEpochException", "Broker epoch has changed."
	case 78: // OFFSET_NOT_AVAILABLE
		return "OffsetNotAvailableException", "The leader high watermark has not caught up from a recent leader election so the offsets cannot be guaranteed to be monotonically increasing."
	case 79: // MEMBER_ID_REQUIRED
		return "MemberIdRequiredException", "The group member needs to have a valid member id before actually entering a consumer group."
	case 80: // PREFERRED_LEADER_NOT_AVAILABLE
		return "PreferredLeaderNotAvailableException", "The preferred leader was not available."
	case 81: // GROUP_MAX_SIZE_REACHED
		return "GroupMaxSizeReachedException", "The consumer group has reached its max size."
	case 82: // FENCED_INSTANCE_ID
		return "FencedInstanceIdException", "The broker rejected this static consumer since another consumer with the same group.instance.id has registered with a different member.id."
	case 83: // ELIGIBLE_LEADERS_NOT_AVAILABLE
		return "EligibleLeadersNotAvailableException", "Eligible topic partition leaders are not available."
	case 84: // ELECTION_NOT_NEEDED
		return "ElectionNotNeededException", "Leader election not needed for topic partition."
	case 85: // NO_REASSIGNMENT_IN_PROGRESS
		return "NoReassignmentInProgressException", "No partition reassignment is in progress."
	case 86: // GROUP_SUBSCRIBED_TO_TOPIC
		return "GroupSubscribedToTopicException", "Deleting offsets of a topic is forbidden while the consumer group is actively subscribed to it."
	case 87: // INVALID_RECORD
		return "InvalidRecordException", "This record has failed the validation on broker and hence will be rejected."
	case 88: // UNSTABLE_OFFSET_COMMIT
		return "UnstableOffsetCommitException", "There are unstable offsets that need to be cleared."
	case 89: // THROTTLING_QUOTA_EXCEEDED
		return "ThrottlingQuotaExceededException", "The throttling quota has been exceeded."
	case 90: // PRODUCER_FENCED
		return "ProducerFencedException", "There is a newer producer with the same transactionalId which fences the current one."
	case 91: // RESOURCE_NOT_FOUND
		return "ResourceNotFoundException", "A request illegally referred to a resource that does not exist."
	case 92: // DUPLICATE_RESOURCE
		return "DuplicateResourceException", "A request illegally referred to the same resource twice."
	case 93: // UNACCEPTABLE_CREDENTIAL
		return "UnacceptableCredentialException", "Requested credential would not meet criteria for acceptability."
	case 94: // INCONSISTENT_VOTER_SET
		return "InconsistentVoterSetException", "Indicates that the either the sender or recipient of a voter-only request is not one of the expected voters"
	case 95: // INVALID_UPDATE_VERSION
		return "InvalidUpdateVersionException", "The given update version was invalid."
	case 96: // FEATURE_UPDATE_FAILED
		return "FeatureUpdateFailedException", "Unable to update finalized features due to an unexpected server error."
	case 97: // PRINCIPAL_DESERIALIZATION_FAILURE
		return "PrincipalDeserializationException", "Request principal deserialization failed during forwarding. This indicates an internal error on the broker cluster security setup."
	case 98: // SNAPSHOT_NOT_FOUND
		return "SnapshotNotFoundException", "Requested snapshot was not found"
	case 100: // UNKNOWN_TOPIC_ID
		return "UnknownTopicIdException", "This server does not host this topic ID."
	case 101: // DUPLICATE_BROKER_REGISTRATION
		return "DuplicateBrokerRegistrationException", "This broker ID is already in use."
	case 102: // BROKER_ID_NOT_REGISTERED
		return "BrokerIdNotRegisteredException", "The given broker ID was not registered."
	case 103: // INCONSISTENT_TOPIC_ID
		return "InconsistentTopicIdException", "The log's topic ID did not match the topic ID in the request"
	case 104: // INCONSISTENT_CLUSTER_ID
		return "InconsistentClusterIdException", "The clusterId in the request does not match that found on the server"
	}
	return kafkaErrorsTable(-1)
}

// kafkaCodeThrowable is the exception the Java client raises for a protocol
// error code, with the error's default message (or msg when the broker sent one).
func kafkaCodeThrowable(code int16, msg string) *throwable {
	class, def := kafkaErrorsTable(code)
	if msg == "" {
		msg = def
	}
	if class == "InvalidRecordException" {
		return newThrowable("org.apache.kafka.common."+class, msg)
	}
	return kafkaExc(class, msg)
}
