package config

import (
	"errors"
	"slices"
	"strconv"
	"strings"
)

// Topic is a Kafka 2.8 topic configuration (LogConfig), typed: the
// per-topic keys of kafka-topics --config and kafka-configs --entity-type
// topics, over the defaults a broker supplies.
type Topic struct {
	Settings

	SegmentBytes                    int
	SegmentMs                       int64
	SegmentJitterMs                 int64
	SegmentIndexBytes               int
	FlushMessages                   int64
	FlushMs                         int64
	RetentionBytes                  int64
	RetentionMs                     int64
	MaxMessageBytes                 int
	IndexIntervalBytes              int
	DeleteRetentionMs               int64
	MinCompactionLagMs              int64
	MaxCompactionLagMs              int64
	FileDeleteDelayMs               int64
	MinCleanableDirtyRatio          float64
	UncleanLeaderElectionEnable     bool
	MinInsyncReplicas               int
	CompressionType                 string
	Preallocate                     bool
	MessageFormatVersion            string
	MessageTimestampType            string
	MessageTimestampDifferenceMaxMs int64
	MessageDownconversionEnable     bool

	cleanupPolicy     []string
	leaderThrottled   []string
	followerThrottled []string
}

// CleanupPolicy returns cleanup.policy's elements.
func (t Topic) CleanupPolicy() []string { return slices.Clone(t.cleanupPolicy) }

// Compact reports whether cleanup.policy includes compact.
func (t Topic) Compact() bool {
	return slices.ContainsFunc(t.cleanupPolicy, func(s string) bool { return strings.EqualFold(s, "compact") })
}

// Delete reports whether cleanup.policy includes delete.
func (t Topic) Delete() bool {
	return slices.ContainsFunc(t.cleanupPolicy, func(s string) bool { return strings.EqualFold(s, "delete") })
}

// LeaderReplicationThrottledReplicas returns the throttled replica list
// ("*" or partition:broker items).
func (t Topic) LeaderReplicationThrottledReplicas() []string { return slices.Clone(t.leaderThrottled) }

// FollowerReplicationThrottledReplicas returns the throttled replica list.
func (t Topic) FollowerReplicationThrottledReplicas() []string {
	return slices.Clone(t.followerThrottled)
}

// TopicKey describes one topic-level key: its type and default, and the
// broker key whose value is the default for every topic (Kafka's
// "Server Default Property").
type TopicKey struct {
	KeyInfo
	BrokerKey string
}

// throttledItem matches ([0-9]+:[0-9]+)? against the whole item.
func throttledItem(s string) bool {
	if s == "" {
		return true
	}
	a, b, ok := strings.Cut(s, ":")
	digits := func(x string) bool {
		return x != "" && strings.Trim(x, "0123456789") == ""
	}
	return ok && digits(a) && digits(b)
}

// throttledReplicasValidator is Kafka's ThrottledReplicaListValidator.
func throttledReplicasValidator(name string) Validator {
	return Custom("[partitionId]:[brokerId],[partitionId]:[brokerId],...", func(v Value) error {
		list := v.List()
		all := true
		for _, s := range list {
			all = all && throttledItem(javaTrim(s))
		}
		if all || javaTrim(strings.Join(list, "")) == "*" {
			return nil
		}
		return Invalid(v.javaString(), name+" must be the literal '*' or a list of replicas in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],...")
	})
}

// topicBrokerKeys maps each topic key to its broker synonyms, highest
// priority first (DynamicBrokerConfig.brokerConfigSynonyms).
func topicBrokerKeys() map[string][]string {
	return map[string][]string{
		"segment.bytes":                       {"log.segment.bytes"},
		"segment.ms":                          {"log.roll.ms", "log.roll.hours"},
		"segment.jitter.ms":                   {"log.roll.jitter.ms", "log.roll.jitter.hours"},
		"segment.index.bytes":                 {"log.index.size.max.bytes"},
		"flush.messages":                      {"log.flush.interval.messages"},
		"flush.ms":                            {"log.flush.interval.ms", "log.flush.scheduler.interval.ms"},
		"retention.bytes":                     {"log.retention.bytes"},
		"retention.ms":                        {"log.retention.ms", "log.retention.minutes", "log.retention.hours"},
		"max.message.bytes":                   {"message.max.bytes"},
		"index.interval.bytes":                {"log.index.interval.bytes"},
		"delete.retention.ms":                 {"log.cleaner.delete.retention.ms"},
		"min.compaction.lag.ms":               {"log.cleaner.min.compaction.lag.ms"},
		"max.compaction.lag.ms":               {"log.cleaner.max.compaction.lag.ms"},
		"file.delete.delay.ms":                {"log.segment.delete.delay.ms"},
		"min.cleanable.dirty.ratio":           {"log.cleaner.min.cleanable.ratio"},
		"cleanup.policy":                      {"log.cleanup.policy"},
		"unclean.leader.election.enable":      {"unclean.leader.election.enable"},
		"min.insync.replicas":                 {"min.insync.replicas"},
		"compression.type":                    {"compression.type"},
		"preallocate":                         {"log.preallocate"},
		"message.format.version":              {"log.message.format.version"},
		"message.timestamp.type":              {"log.message.timestamp.type"},
		"message.timestamp.difference.max.ms": {"log.message.timestamp.difference.max.ms"},
		"message.downconversion.enable":       {"log.message.downconversion.enable"},
	}
}

// TopicRegistry returns the registry of Kafka 2.8 topic keys, in LogConfig's
// order, with Kafka's defaults (those of a broker with default settings).
func TopicRegistry() *Registry[Topic] {
	type T = Topic
	defs := []Def[T]{
		kInt("segment.bytes", "1073741824", "Size of a segment file.", func(c *T, n int) { c.SegmentBytes = n }, AtLeast(14)),
		kLong("segment.ms", "604800000", "Time after which a segment is rolled even if not full.", func(c *T, n int64) { c.SegmentMs = n }, AtLeast(1)),
		kLong("segment.jitter.ms", "0", "Largest random jitter subtracted from segment.ms.", func(c *T, n int64) { c.SegmentJitterMs = n }, AtLeast(0)),
		kInt("segment.index.bytes", "10485760", "Size of the offset index of a segment.", func(c *T, n int) { c.SegmentIndexBytes = n }, AtLeast(0)),
		kLong("flush.messages", "9223372036854775807", "Messages written before an fsync.", func(c *T, n int64) { c.FlushMessages = n }, AtLeast(0)),
		kLong("flush.ms", "9223372036854775807", "Time before an fsync.", func(c *T, n int64) { c.FlushMs = n }, AtLeast(0)),
		kLong("retention.bytes", "-1", "Size a partition may grow to before old segments are deleted; -1 means no limit.", func(c *T, n int64) { c.RetentionBytes = n }),
		kLong("retention.ms", "604800000", "Time a segment is kept; -1 means forever.", func(c *T, n int64) { c.RetentionMs = n }, AtLeast(-1)),
		kInt("max.message.bytes", "1048588", "Largest record batch accepted.", func(c *T, n int) { c.MaxMessageBytes = n }, AtLeast(0)),
		kInt("index.interval.bytes", "4096", "Bytes between offset index entries.", func(c *T, n int) { c.IndexIntervalBytes = n }, AtLeast(0)),
		kLong("delete.retention.ms", "86400000", "Time delete tombstones are kept on compacted topics.", func(c *T, n int64) { c.DeleteRetentionMs = n }, AtLeast(0)),
		kLong("min.compaction.lag.ms", "0", "Shortest time a record stays uncompacted.", func(c *T, n int64) { c.MinCompactionLagMs = n }, AtLeast(0)),
		kLong("max.compaction.lag.ms", "9223372036854775807", "Longest time a record stays uncompacted.", func(c *T, n int64) { c.MaxCompactionLagMs = n }, AtLeast(1)),
		kLong("file.delete.delay.ms", "60000", "Wait before a deleted segment's files are removed.", func(c *T, n int64) { c.FileDeleteDelayMs = n }, AtLeast(0)),
		kDouble("min.cleanable.dirty.ratio", "0.5", "Dirty ratio above which the log is compacted.", func(c *T, f float64) { c.MinCleanableDirtyRatio = f }, Between(0, 1)),
		kList("cleanup.policy", "delete", "delete, compact, or both.", func(c *T, l []string) { c.cleanupPolicy = l }, OneOf("compact", "delete")),
		kBool("unclean.leader.election.enable", "false", "Allow out-of-sync replicas to become leader.", func(c *T, v bool) { c.UncleanLeaderElectionEnable = v }),
		kInt("min.insync.replicas", "1", "Fewest in-sync replicas for an acks=all write.", func(c *T, n int) { c.MinInsyncReplicas = n }, AtLeast(1)),
		kString("compression.type", "producer", "Final compression: uncompressed, zstd, lz4, snappy, gzip or producer.", func(c *T, s string) { c.CompressionType = s }, OneOf(brokerCompressionTypes()...)),
		kBool("preallocate", "false", "Preallocate segment files.", func(c *T, v bool) { c.Preallocate = v }),
		kString("message.format.version", "2.8-IV1", "Message format version of appends.", func(c *T, s string) { c.MessageFormatVersion = s }, apiVersionValidator()),
		kString("message.timestamp.type", "CreateTime", "CreateTime or LogAppendTime.", func(c *T, s string) { c.MessageTimestampType = s }, OneOf("CreateTime", "LogAppendTime")),
		kLong("message.timestamp.difference.max.ms", "9223372036854775807", "Largest allowed gap between a record's timestamp and the broker's clock.", func(c *T, n int64) { c.MessageTimestampDifferenceMaxMs = n }, AtLeast(0)),
		kList("leader.replication.throttled.replicas", "", "Replicas throttled on the leader side.", func(c *T, l []string) { c.leaderThrottled = l }, throttledReplicasValidator("leader.replication.throttled.replicas")),
		kList("follower.replication.throttled.replicas", "", "Replicas throttled on the follower side.", func(c *T, l []string) { c.followerThrottled = l }, throttledReplicasValidator("follower.replication.throttled.replicas")),
		kBool("message.downconversion.enable", "true", "Down-convert messages for old consumers.", func(c *T, v bool) { c.MessageDownconversionEnable = v }),
	}
	return newRegistry("topic", defs, nil, func(c *T) *Settings { return &c.Settings }, finishTopic)
}

func finishTopic(c *Topic, ck *checker) {
	if c.MinCompactionLagMs > c.MaxCompactionLagMs {
		key := "min.compaction.lag.ms"
		if !ck.isSet(key) {
			key = "max.compaction.lag.ms"
		}
		ck.invalid(key, "conflict topic config setting min.compaction.lag.ms ("+strconv.FormatInt(c.MinCompactionLagMs, 10)+
			") > max.compaction.lag.ms ("+strconv.FormatInt(c.MaxCompactionLagMs, 10)+")")
	}
}

// TopicKeys lists the topic keys in Kafka's order, each with the broker key
// that supplies its default (segment.bytes ← log.segment.bytes, ...).
func TopicKeys() []TopicKey {
	syn := topicBrokerKeys()
	var out []TopicKey
	for _, k := range TopicRegistry().Keys() {
		tk := TopicKey{KeyInfo: k}
		if s := syn[k.Name]; len(s) > 0 {
			tk.BrokerKey = s[0]
		}
		out = append(out, tk)
	}
	return out
}

// TopicBrokerSynonyms returns the broker keys that supply a topic key's
// default, highest priority first (retention.ms ← log.retention.ms,
// log.retention.minutes, log.retention.hours), or nil for keys without one.
func TopicBrokerSynonyms(topicKey string) []string {
	return slices.Clone(topicBrokerKeys()[topicKey])
}

// ValidateTopicConfigs checks topic configs the way kafka-topics --config
// (LogConfig.validate) does and returns the first problem with Kafka's
// exact text: "Unknown topic config name: <name>" (matching ErrUnknownKey;
// names are checked first, in sorted order), then
// "Invalid value <v> for configuration <k>: <reason>" (matching
// ErrInvalidValue; in LogConfig's key order), then the min/max compaction
// lag conflict.
func ValidateTopicConfigs(cfg map[string]string) error {
	_, err := ParseTopicConfig(cfg, nil)
	return err
}

// ParseTopicConfig builds a topic's config from the defaults a broker
// supplies (nil: Kafka's built-in defaults) and the topic's overrides,
// checked as ValidateTopicConfigs describes.
func ParseTopicConfig(overrides map[string]string, broker *Broker) (Topic, error) {
	r := TopicRegistry()
	names := make([]string, 0, len(overrides))
	for k := range overrides {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if !r.Known(k) {
			return Topic{}, &KafkaError{Msg: "Unknown topic config name: " + k, Kind: ErrUnknownKey}
		}
	}
	var layers []Layer
	if broker != nil {
		layers = append(layers, MapLayer("broker", broker.TopicDefaults()))
	}
	layers = append(layers, MapLayer("topic", overrides))
	t, _, err := r.Build(layers...)
	var es Errors
	if errors.As(err, &es) && len(es) > 0 {
		// Report the first problem in key order, as Kafka's ConfigDef.parse
		// stops at the first key that fails.
		order := map[string]int{}
		for i, k := range r.Keys() {
			order[k.Name] = i
		}
		first := es[0]
		for _, e := range es[1:] {
			if order[e.Key] < order[first.Key] {
				first = e
			}
		}
		return t, first.Err
	}
	return t, err
}

// TopicDefaults returns, for every topic key, the default this broker
// supplies, as Kafka's DescribeConfigs prints it (retention.ms from the
// effective log.retention.*, message.format.version in its full form, ...).
func (b Broker) TopicDefaults() map[string]string {
	out := map[string]string{}
	for k := range topicBrokerKeys() {
		if v, ok := b.TopicDefault(k); ok {
			out[k] = v
		}
	}
	return out
}

// TopicDefault returns the default this broker supplies for one topic key,
// and false for keys without a broker synonym (the throttled replica lists).
func (b Broker) TopicDefault(topicKey string) (string, bool) {
	i64 := func(n int64) string { return strconv.FormatInt(n, 10) }
	switch topicKey {
	case "segment.bytes":
		return strconv.Itoa(b.LogSegmentBytes), true
	case "segment.ms":
		return i64(b.LogRollMs), true
	case "segment.jitter.ms":
		return i64(b.LogRollJitterMs), true
	case "segment.index.bytes":
		return strconv.Itoa(b.LogIndexSizeMaxBytes), true
	case "flush.messages":
		return i64(b.LogFlushIntervalMessages), true
	case "flush.ms":
		return i64(b.LogFlushIntervalMs), true
	case "retention.bytes":
		return i64(b.LogRetentionBytes), true
	case "retention.ms":
		return i64(b.LogRetentionMs), true
	case "max.message.bytes":
		return strconv.Itoa(b.MessageMaxBytes), true
	case "index.interval.bytes":
		return strconv.Itoa(b.LogIndexIntervalBytes), true
	case "delete.retention.ms":
		return i64(b.LogCleanerDeleteRetentionMs), true
	case "min.compaction.lag.ms":
		return i64(b.LogCleanerMinCompactionLagMs), true
	case "max.compaction.lag.ms":
		return i64(b.LogCleanerMaxCompactionLagMs), true
	case "file.delete.delay.ms":
		return i64(b.LogSegmentDeleteDelayMs), true
	case "min.cleanable.dirty.ratio":
		return javaDouble(b.LogCleanerMinCleanableRatio), true
	case "cleanup.policy":
		return strings.Join(b.logCleanupPolicy, ","), true
	case "unclean.leader.election.enable":
		return strconv.FormatBool(b.UncleanLeaderElectionEnable), true
	case "min.insync.replicas":
		return strconv.Itoa(b.MinInsyncReplicas), true
	case "compression.type":
		return b.CompressionType, true
	case "preallocate":
		return strconv.FormatBool(b.LogPreallocate), true
	case "message.format.version":
		if full, _, ok := LookupAPIVersion(b.LogMessageFormatVersion); ok {
			return full, true
		}
		return b.LogMessageFormatVersion, true
	case "message.timestamp.type":
		return b.LogMessageTimestampType, true
	case "message.timestamp.difference.max.ms":
		return i64(b.LogMessageTimestampDifferenceMaxMs), true
	case "message.downconversion.enable":
		return strconv.FormatBool(b.LogMessageDownconversionEnable), true
	}
	return "", false
}

// TopicDefaultIsStatic reports whether the broker's default for a topic key
// comes from a broker key set explicitly (Kafka's STATIC_BROKER_CONFIG
// source, which kafka-topics --describe lists under Configs:), and which
// broker key that is.
func (b Broker) TopicDefaultIsStatic(topicKey string) (brokerKey string, static bool) {
	for _, k := range topicBrokerKeys()[topicKey] {
		if b.IsSet(k) {
			return k, true
		}
	}
	return "", false
}
