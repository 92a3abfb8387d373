package cluster

import (
	"strconv"
	"strings"

	"github.com/go-zookeeper/zk"
)

// Znode paths of Kafka 2.8 (core/src/main/scala/kafka/zk/ZkData.scala).
const (
	ControllerPath      = "/controller"       // ephemeral, ControllerZNode JSON
	ControllerEpochPath = "/controller_epoch" // ASCII integer; its zk version fences the controller

	BrokersPath     = "/brokers"
	BrokerIDsPath   = "/brokers/ids"    // children: live broker ids (ephemeral)
	TopicsPath      = "/brokers/topics" // children: topics
	BrokerSeqIDPath = "/brokers/seqid"  // its zk version generates broker ids

	ConfigPath             = "/config"
	ConfigChangesPath      = "/config/changes"
	ConfigChangePrefix     = "config_change_"
	ConfigChangeCreatePath = ConfigChangesPath + "/" + ConfigChangePrefix // persistent sequential

	AdminPath                    = "/admin"
	DeleteTopicsPath             = "/admin/delete_topics"
	ReassignPartitionsPath       = "/admin/reassign_partitions"
	PreferredReplicaElectionPath = "/admin/preferred_replica_election"

	IsrChangeNotificationPath   = "/isr_change_notification"
	IsrChangePrefix             = "isr_change_"
	LogDirEventNotificationPath = "/log_dir_event_notification"
	LogDirEventPrefix           = "log_dir_event_"

	ProducerIDBlockPath = "/latest_producer_id_block"
	ClusterPath         = "/cluster"
	ClusterIDPath       = "/cluster/id"
	FeaturePath         = "/feature"
	ConsumersPath       = "/consumers" // legacy consumers

	DelegationTokenPath         = "/delegation_token"
	DelegationTokenChangesPath  = "/delegation_token/token_changes"
	DelegationTokenChangePrefix = "token_change_"
	DelegationTokensPath        = "/delegation_token/tokens"

	KafkaACLPath                = "/kafka-acl"
	KafkaACLChangesPath         = "/kafka-acl-changes"
	KafkaACLExtendedPath        = "/kafka-acl-extended"
	KafkaACLExtendedChangesPath = "/kafka-acl-extended-changes"
	ACLChangePrefix             = "acl_changes_"
)

// Config entity types (kafka.server.ConfigType) and the default entity name.
const (
	ConfigTypeTopic  = "topics"
	ConfigTypeClient = "clients"
	ConfigTypeUser   = "users"
	ConfigTypeBroker = "brokers"
	ConfigTypeIP     = "ips"

	ConfigEntityDefault = "<default>"
)

// MatchAnyVersion is the zk version that matches any version in setData/delete.
const MatchAnyVersion int32 = -1

// ConfigTypes returns the config entity types in Kafka's order (ConfigType.all).
func ConfigTypes() []string {
	return []string{ConfigTypeTopic, ConfigTypeClient, ConfigTypeUser, ConfigTypeBroker, ConfigTypeIP}
}

// BrokerIDPath is /brokers/ids/<id>.
func BrokerIDPath(id int32) string { return BrokerIDsPath + "/" + strconv.Itoa(int(id)) }

// TopicPath is /brokers/topics/<topic>.
func TopicPath(topic string) string { return TopicsPath + "/" + topic }

// TopicPartitionsPath is /brokers/topics/<topic>/partitions.
func TopicPartitionsPath(topic string) string { return TopicPath(topic) + "/partitions" }

// TopicPartitionPath is /brokers/topics/<topic>/partitions/<partition>.
func TopicPartitionPath(topic string, partition int32) string {
	return TopicPartitionsPath(topic) + "/" + strconv.Itoa(int(partition))
}

// TopicPartitionStatePath is /brokers/topics/<topic>/partitions/<partition>/state.
func TopicPartitionStatePath(topic string, partition int32) string {
	return TopicPartitionPath(topic, partition) + "/state"
}

// ConfigEntityTypePath is /config/<entityType>.
func ConfigEntityTypePath(entityType string) string { return ConfigPath + "/" + entityType }

// ConfigEntityPath is /config/<entityType>/<entityName>; entityName is sanitized
// and may itself contain '/' (users/<user>/clients/<client>).
func ConfigEntityPath(entityType, entityName string) string {
	return ConfigEntityTypePath(entityType) + "/" + entityName
}

// TopicConfigPath is /config/topics/<topic>.
func TopicConfigPath(topic string) string { return ConfigEntityPath(ConfigTypeTopic, topic) }

// BrokerConfigPath is /config/brokers/<id> (or <default> for cluster-wide defaults).
func BrokerConfigPath(broker string) string { return ConfigEntityPath(ConfigTypeBroker, broker) }

// DeleteTopicPath is /admin/delete_topics/<topic>.
func DeleteTopicPath(topic string) string { return DeleteTopicsPath + "/" + topic }

// ConfigChangePath is /config/changes/config_change_<seq>.
func ConfigChangePath(seq string) string { return ConfigChangeCreatePath + seq }

// IsrChangeNotificationSeqPath is /isr_change_notification/isr_change_<seq>
// (seq "" gives the path to create sequentially).
func IsrChangeNotificationSeqPath(seq string) string {
	return IsrChangeNotificationPath + "/" + IsrChangePrefix + seq
}

// LogDirEventNotificationSeqPath is /log_dir_event_notification/log_dir_event_<seq>
// (seq "" gives the path to create sequentially).
func LogDirEventNotificationSeqPath(seq string) string {
	return LogDirEventNotificationPath + "/" + LogDirEventPrefix + seq
}

// ConsumerOffsetPath is the legacy /consumers/<group>/offsets/<topic>/<partition>.
func ConsumerOffsetPath(group, topic string, partition int32) string {
	return ConsumersPath + "/" + group + "/offsets/" + topic + "/" + strconv.Itoa(int(partition))
}

// SequenceNumber returns what follows prefix in a sequential znode's name or
// path (Kafka's sequenceNumber: the text after the last prefix).
func SequenceNumber(path, prefix string) string {
	i := strings.LastIndex(path, prefix)
	if i < 0 {
		return path
	}
	return path[i+len(prefix):]
}

// PersistentPaths returns the paths a broker makes sure exist at startup, in
// Kafka's order (ZkData.PersistentZkPaths, created by createTopLevelPaths).
func PersistentPaths() []string {
	paths := []string{
		ConsumersPath,
		BrokerIDsPath,
		TopicsPath,
		ConfigChangesPath,
		DeleteTopicsPath,
		BrokerSeqIDPath,
		IsrChangeNotificationPath,
		ProducerIDBlockPath,
		LogDirEventNotificationPath,
	}
	for _, t := range ConfigTypes() {
		paths = append(paths, ConfigEntityTypePath(t))
	}
	return paths
}

// SecureRootPaths returns the top-level paths that get secure ACLs when
// zookeeper.set.acl is true (ZkData.SecureRootPaths plus the ACL stores).
func SecureRootPaths() []string {
	return []string{
		AdminPath, BrokersPath, ClusterPath, ConfigPath, ControllerPath, ControllerEpochPath,
		IsrChangeNotificationPath, ProducerIDBlockPath, LogDirEventNotificationPath,
		DelegationTokenPath, KafkaACLExtendedPath,
		KafkaACLPath, KafkaACLChangesPath, KafkaACLExtendedPath + "/prefixed", KafkaACLExtendedChangesPath,
	}
}

// sensitiveRootPaths get CREATOR_ALL only, without world-read.
func sensitiveRootPaths() []string {
	return []string{ConfigEntityTypePath(ConfigTypeUser), ConfigEntityTypePath(ConfigTypeBroker), DelegationTokensPath}
}

// IsSensitivePath reports whether path holds secrets (ZkData.sensitivePath).
func IsSensitivePath(path string) bool {
	for _, p := range sensitiveRootPaths() {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// DefaultACL is ZkData.defaultAcls: world:anyone with all permissions unless
// secure (zookeeper.set.acl=true), then CREATOR_ALL plus world-read except on
// sensitive paths; /consumers stays open either way.
func DefaultACL(secure bool, path string) []zk.ACL {
	if !secure || path == ConsumersPath {
		return zk.WorldACL(zk.PermAll)
	}
	acl := []zk.ACL{{Perms: zk.PermAll, Scheme: "auth", ID: ""}}
	if !IsSensitivePath(path) {
		acl = append(acl, zk.ACL{Perms: zk.PermRead, Scheme: "world", ID: "anyone"})
	}
	return acl
}
