package cluster

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinels. Every error this package returns for a condition Kafka reports
// to the user is an *Error wrapping one of these, so callers match with
// errors.Is and print Kafka's own text with KafkaMessage.
var (
	ErrInvalidTopic              = errors.New("cluster: invalid topic")
	ErrTopicExists               = errors.New("cluster: topic already exists")
	ErrUnknownTopic              = errors.New("cluster: unknown topic")
	ErrTopicMarkedForDeletion    = errors.New("cluster: topic already marked for deletion")
	ErrInternalTopic             = errors.New("cluster: operation not allowed on internal topic")
	ErrInvalidPartitions         = errors.New("cluster: invalid number of partitions")
	ErrInvalidReplicationFactor  = errors.New("cluster: invalid replication factor")
	ErrInvalidReplicaAssignment  = errors.New("cluster: invalid replica assignment")
	ErrBrokerNotAvailable        = errors.New("cluster: broker not available")
	ErrAdminOperation            = errors.New("cluster: admin operation failed")
	ErrNumberFormat              = errors.New("cluster: invalid number")
	ErrInvalidUUID               = errors.New("cluster: invalid uuid")
	ErrInvalidZNode              = errors.New("cluster: invalid znode data")
	ErrUnsupportedZNodeVersion   = errors.New("cluster: unsupported znode version")
	ErrInvalidConfigNotification = errors.New("cluster: invalid config change notification")
)

// Java exception classes Kafka 2.8 throws for these conditions; tools print
// the class in their ERROR log line.
const (
	ClassInvalidTopic               = "org.apache.kafka.common.errors.InvalidTopicException"
	ClassTopicExists                = "org.apache.kafka.common.errors.TopicExistsException"
	ClassUnknownTopicOrPartition    = "org.apache.kafka.common.errors.UnknownTopicOrPartitionException"
	ClassInvalidPartitions          = "org.apache.kafka.common.errors.InvalidPartitionsException"
	ClassInvalidReplicationFactor   = "org.apache.kafka.common.errors.InvalidReplicationFactorException"
	ClassInvalidReplicaAssignment   = "org.apache.kafka.common.errors.InvalidReplicaAssignmentException"
	ClassBrokerNotAvailable         = "org.apache.kafka.common.errors.BrokerNotAvailableException"
	ClassAdminOperation             = "kafka.admin.AdminOperationException"
	ClassAdminCommandFailed         = "kafka.common.AdminCommandFailedException"
	ClassTopicAlreadyMarkedDeletion = "kafka.common.TopicAlreadyMarkedForDeletionException"
	ClassIllegalArgument            = "java.lang.IllegalArgumentException"
	ClassNumberFormat               = "java.lang.NumberFormatException"
	ClassKafka                      = "org.apache.kafka.common.KafkaException"
	ClassNodeExists                 = "org.apache.zookeeper.KeeperException$NodeExistsException"
)

// Error is a failure Kafka reports with a message of its own.
type Error struct {
	Kind    error  // one of the sentinels above
	Class   string // the Java exception class Kafka throws
	Message string // Kafka's exact message text
}

func (e *Error) Error() string { return e.Kind.Error() + ": " + e.Message }

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Kind }

// IsAPIException reports whether Kafka's exception is an
// org.apache.kafka.common.errors.ApiException (logged without stack frames).
func (e *Error) IsAPIException() bool {
	return strings.HasPrefix(e.Class, "org.apache.kafka.common.errors.")
}

func newErr(kind error, class, format string, args ...any) *Error {
	return &Error{Kind: kind, Class: class, Message: fmt.Sprintf(format, args...)}
}

// KafkaMessage returns the message Kafka would print for err, if err (or an
// error it wraps) is an *Error.
func KafkaMessage(err error) (string, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e.Message, true
	}
	return "", false
}
