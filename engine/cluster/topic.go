package cluster

import (
	"sort"
	"strings"
)

// Topic name rules of Kafka 2.8 (org.apache.kafka.common.internals.Topic).
const (
	GroupMetadataTopicName    = "__consumer_offsets"
	TransactionStateTopicName = "__transaction_state"
	// MaxTopicNameLength counts UTF-16 code units, as Java's String.length does.
	MaxTopicNameLength = 249
	// LegalTopicChars is Topic.LEGAL_CHARS.
	LegalTopicChars = "[a-zA-Z0-9._-]"
)

// InternalTopics returns Kafka's internal topic names, sorted.
func InternalTopics() []string {
	return []string{GroupMetadataTopicName, TransactionStateTopicName}
}

// IsInternalTopic reports whether topic is one of Kafka's internal topics.
func IsInternalTopic(topic string) bool {
	return topic == GroupMetadataTopicName || topic == TransactionStateTopicName
}

// ValidateTopicName is Topic.validate; the error is an *Error of kind
// ErrInvalidTopic with Kafka's message.
func ValidateTopicName(topic string) error {
	if topic == "" {
		return newErr(ErrInvalidTopic, ClassInvalidTopic, "Topic name is illegal, it can't be empty")
	}
	if topic == "." || topic == ".." {
		return newErr(ErrInvalidTopic, ClassInvalidTopic, `Topic name cannot be "." or ".."`)
	}
	if utf16Len(topic) > MaxTopicNameLength {
		return newErr(ErrInvalidTopic, ClassInvalidTopic,
			"Topic name is illegal, it can't be longer than %d characters, topic name: %s", MaxTopicNameLength, topic)
	}
	if !legalTopicChars(topic) {
		return newErr(ErrInvalidTopic, ClassInvalidTopic,
			`Topic name "%s" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`, topic)
	}
	return nil
}

func legalTopicChars(topic string) bool {
	for i := 0; i < len(topic); i++ {
		c := topic[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// HasCollisionChars reports whether topic contains '.' or '_', which Kafka's
// metric names treat as the same character.
func HasCollisionChars(topic string) bool {
	return strings.ContainsAny(topic, "._")
}

// UnifyCollisionChars maps '.' to '_' (Topic.unifyCollisionChars, Kafka 3.x;
// 2.8 does the same replacement inside hasCollision).
func UnifyCollisionChars(topic string) string {
	return strings.ReplaceAll(topic, ".", "_")
}

// HasCollision reports whether two topic names collide once '.' and '_' are unified.
func HasCollision(a, b string) bool {
	return UnifyCollisionChars(a) == UnifyCollisionChars(b)
}

// CollidingTopics returns the names in existing (sorted) that collide with
// topic but differ from it.
func CollidingTopics(topic string, existing []string) []string {
	var out []string
	for _, t := range existing {
		if t != topic && HasCollision(topic, t) {
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out
}

// CollisionError is the error Kafka raises when a new topic collides with
// existing ones: "Topic 'a_b' collides with existing topics: a.b". Kafka
// joins the colliding names with ", " in the order of a Scala Set built from
// ZooKeeper's children list, which ZooKeeper does not sort; this package
// sorts them (identical whenever there is one collision, the usual case).
func CollisionError(topic string, colliding []string) error {
	return newErr(ErrInvalidTopic, ClassInvalidTopic, "Topic '%s' collides with existing topics: %s",
		topic, strings.Join(colliding, ", "))
}

// TopicExistsError is "Topic '<t>' already exists." (TopicExistsException).
func TopicExistsError(topic string) error {
	return newErr(ErrTopicExists, ClassTopicExists, "Topic '%s' already exists.", topic)
}
