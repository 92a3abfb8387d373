package config

import (
	"errors"
	"testing"
)

func TestValidateTopicConfigs(t *testing.T) {
	tests := []struct {
		cfg  map[string]string
		want string
		is   error
	}{
		{map[string]string{}, "", nil},
		{map[string]string{"cleanup.policy": "compact,delete", "retention.ms": "-1", "min.cleanable.dirty.ratio": "0.1", "segment.bytes": "1048576",
			"message.format.version": "2.8", "leader.replication.throttled.replicas": "0:1, 1:2", "follower.replication.throttled.replicas": "*"}, "", nil},
		{map[string]string{"foo": "1", "retention.ms": "x"}, "Unknown topic config name: foo", ErrUnknownKey},
		{map[string]string{"zzz": "1", "aaa": "1"}, "Unknown topic config name: aaa", ErrUnknownKey},
		{map[string]string{"retention.ms": "abc"}, "Invalid value abc for configuration retention.ms: Not a number of type LONG", ErrInvalidValue},
		{map[string]string{"retention.ms": "-2"}, "Invalid value -2 for configuration retention.ms: Value must be at least -1", ErrInvalidValue},
		{map[string]string{"segment.bytes": "10"}, "Invalid value 10 for configuration segment.bytes: Value must be at least 14", ErrInvalidValue},
		{map[string]string{"cleanup.policy": "remove"}, "Invalid value remove for configuration cleanup.policy: String must be one of: compact, delete", ErrInvalidValue},
		{map[string]string{"compression.type": "none"}, "Invalid value none for configuration compression.type: String must be one of: uncompressed, zstd, lz4, snappy, gzip, producer", ErrInvalidValue},
		{map[string]string{"min.cleanable.dirty.ratio": "1.5"}, "Invalid value 1.5 for configuration min.cleanable.dirty.ratio: Value must be no more than 1", ErrInvalidValue},
		{map[string]string{"preallocate": "yes"}, "Invalid value yes for configuration preallocate: Expected value to be either true or false", ErrInvalidValue},
		{map[string]string{"message.timestamp.type": "createtime"}, "Invalid value createtime for configuration message.timestamp.type: String must be one of: CreateTime, LogAppendTime", ErrInvalidValue},
		{map[string]string{"message.format.version": "3.0"}, "Invalid value 3.0 for configuration message.format.version: Version `3.0` is not a valid version", ErrInvalidValue},
		{map[string]string{"leader.replication.throttled.replicas": "1:2,x"}, "Invalid value [1:2, x] for configuration leader.replication.throttled.replicas: leader.replication.throttled.replicas must be the literal '*' or a list of replicas in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],...", ErrInvalidValue},
		// The first bad key in LogConfig's order is reported.
		{map[string]string{"min.insync.replicas": "0", "segment.ms": "0"}, "Invalid value 0 for configuration segment.ms: Value must be at least 1", ErrInvalidValue},
		{map[string]string{"min.compaction.lag.ms": "10", "max.compaction.lag.ms": "5"}, "conflict topic config setting min.compaction.lag.ms (10) > max.compaction.lag.ms (5)", ErrInvalidValue},
	}
	for _, tt := range tests {
		err := ValidateTopicConfigs(tt.cfg)
		if tt.want == "" {
			if err != nil {
				t.Errorf("%v: %v", tt.cfg, err)
			}
			continue
		}
		if err == nil || err.Error() != tt.want || !errors.Is(err, tt.is) {
			t.Errorf("%v:\n got  %v\n want %s", tt.cfg, err, tt.want)
		}
	}
}

func TestTopicKeys(t *testing.T) {
	keys := TopicKeys()
	if len(keys) != 26 {
		t.Errorf("%d topic keys, want 26", len(keys))
	}
	want := map[string][2]string{
		"segment.bytes":                           {"1073741824", "log.segment.bytes"},
		"segment.ms":                              {"604800000", "log.roll.ms"},
		"retention.ms":                            {"604800000", "log.retention.ms"},
		"max.message.bytes":                       {"1048588", "message.max.bytes"},
		"cleanup.policy":                          {"delete", "log.cleanup.policy"},
		"file.delete.delay.ms":                    {"60000", "log.segment.delete.delay.ms"},
		"min.cleanable.dirty.ratio":               {"0.5", "log.cleaner.min.cleanable.ratio"},
		"flush.ms":                                {"9223372036854775807", "log.flush.interval.ms"},
		"leader.replication.throttled.replicas":   {"", ""},
		"follower.replication.throttled.replicas": {"", ""},
		"message.downconversion.enable":           {"true", "log.message.downconversion.enable"},
	}
	seen := 0
	for _, k := range keys {
		if w, ok := want[k.Name]; ok {
			seen++
			if k.Default != w[0] || k.BrokerKey != w[1] {
				t.Errorf("%s: default %q broker key %q, want %q %q", k.Name, k.Default, k.BrokerKey, w[0], w[1])
			}
		}
	}
	if seen != len(want) {
		t.Errorf("saw %d of %d keys", seen, len(want))
	}
	if s := TopicBrokerSynonyms("retention.ms"); len(s) != 3 || s[2] != "log.retention.hours" {
		t.Errorf("synonyms %v", s)
	}
}

func TestTopicDefaultsFromBroker(t *testing.T) {
	data, _ := DistFiles.ReadFile("dist/server.properties")
	b, _, err := LoadBroker(writeFile(t, "server.properties", string(data)), []string{"log.cleaner.min.cleanable.ratio=0.25", "log.message.format.version=2.8"})
	if err != nil {
		t.Fatal(err)
	}
	d := b.TopicDefaults()
	for k, v := range map[string]string{
		"segment.bytes": "1073741824", "retention.ms": "604800000", "cleanup.policy": "delete",
		"min.cleanable.dirty.ratio": "0.25", "message.format.version": "2.8-IV1", "compression.type": "producer",
		"flush.ms": "9223372036854775807", "segment.ms": "604800000",
	} {
		if d[k] != v {
			t.Errorf("%s = %q, want %q", k, d[k], v)
		}
	}
	if len(d) != 24 {
		t.Errorf("%d defaults, want 24", len(d))
	}
	// Stock server.properties sets log.segment.bytes and log.retention.hours:
	// their topic keys come from static broker config.
	for k, want := range map[string]string{"segment.bytes": "log.segment.bytes", "retention.ms": "log.retention.hours", "segment.ms": ""} {
		got, static := b.TopicDefaultIsStatic(k)
		if got != want || static != (want != "") {
			t.Errorf("%s static: %q %v", k, got, static)
		}
	}
	topic, err := ParseTopicConfig(map[string]string{"retention.ms": "1000"}, &b)
	if err != nil || topic.RetentionMs != 1000 || topic.MinCleanableDirtyRatio != 0.25 || topic.SegmentBytes != 1073741824 || !topic.Delete() || topic.Compact() {
		t.Errorf("%v %+v", err, topic)
	}
	if !topic.IsSet("retention.ms") {
		t.Error("IsSet(retention.ms)")
	}
}
