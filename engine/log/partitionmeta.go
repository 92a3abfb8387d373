package log

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// TopicID is Kafka's topic Uuid (engine/cluster has the full type; the log
// needs only its text form).
type TopicID [16]byte

// IsZero reports whether id is Uuid.ZERO_UUID.
func (id TopicID) IsZero() bool { return id == TopicID{} }

// String is Uuid.toString: 22 characters of unpadded URL-safe base64.
func (id TopicID) String() string { return base64.RawURLEncoding.EncodeToString(id[:]) }

// ParseTopicID is Uuid.fromString: at most 24 characters of URL-safe base64
// (padding optional) decoding to 16 bytes.
func ParseTopicID(s string) (TopicID, error) {
	if len(s) > 24 {
		return TopicID{}, fmt.Errorf("topic id %q is too long to be decoded as a base64 UUID", s)
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil {
		return TopicID{}, fmt.Errorf("topic id %q: %w", s, err)
	}
	if len(b) != 16 {
		return TopicID{}, fmt.Errorf("topic id %q decoded as %d bytes, not 16", s, len(b))
	}
	return TopicID(b), nil
}

// AppendPartitionMetadata appends the partition.metadata form of id:
// "version: 0\ntopic_id: <id>", without a final newline, as Kafka 2.8 writes it.
func AppendPartitionMetadata(dst []byte, id TopicID) []byte {
	dst = append(dst, "version: 0\ntopic_id: "...)
	return append(dst, id.String()...)
}

// ParsePartitionMetadata parses partition.metadata as Kafka 2.8's reader
// does: two lines, each split on ":" plus whitespace into a key and a value;
// version 0 and a non-zero topic id.
func ParsePartitionMetadata(data []byte) (TopicID, error) {
	lines := splitLines(data)
	sep := regexp.MustCompile(`:\s+`)
	field := func(i int) (string, error) {
		if i >= len(lines) {
			return "", fmt.Errorf("%w: missing line %d", ErrMalformedCheckpoint, i+1)
		}
		parts := sep.Split(lines[i], -1)
		for len(parts) > 0 && parts[len(parts)-1] == "" {
			parts = parts[:len(parts)-1]
		}
		if len(parts) != 2 {
			return "", fmt.Errorf("%w: malformed line %q", ErrMalformedCheckpoint, lines[i])
		}
		return parts[1], nil
	}
	v, err := field(0)
	if err != nil {
		return TopicID{}, err
	}
	version, err := strconv.ParseInt(v, 10, 32)
	if err != nil {
		return TopicID{}, fmt.Errorf("%w: malformed line %q", ErrMalformedCheckpoint, lines[0])
	}
	if version != 0 {
		return TopicID{}, fmt.Errorf("%w: unrecognized version of partition metadata file: %d", ErrMalformedCheckpoint, version)
	}
	s, err := field(1)
	if err != nil {
		return TopicID{}, err
	}
	id, err := ParseTopicID(s)
	if err != nil {
		return TopicID{}, fmt.Errorf("%w: %w", ErrMalformedCheckpoint, err)
	}
	if id.IsZero() {
		return TopicID{}, fmt.Errorf("%w: invalid topic id in partition metadata file", ErrMalformedCheckpoint)
	}
	return id, nil
}
