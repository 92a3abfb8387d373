package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDefaultBroker(t *testing.T) {
	b := DefaultBroker()
	checks := []struct {
		name      string
		got, want any
	}{
		{"broker.id", b.BrokerID, -1},
		{"port", b.Port, 9092},
		{"num.partitions", b.NumPartitions, 1},
		{"default.replication.factor", b.DefaultReplicationFactor, 1},
		{"log dirs", b.LogDirs(), []string{"/tmp/kafka-logs"}},
		{"retention", b.RetentionMs(), int64(168 * 3600 * 1000)},
		{"roll", b.LogRollMs, int64(168 * 3600 * 1000)},
		{"log.retention.bytes", b.LogRetentionBytes, int64(-1)},
		{"log.segment.bytes", b.LogSegmentBytes, 1073741824},
		{"log.retention.check.interval.ms", b.LogRetentionCheckIntervalMs, int64(300000)},
		{"log.cleanup.policy", b.LogCleanupPolicy(), []string{"delete"}},
		{"zookeeper.session.timeout.ms", b.ZkSessionTimeoutMs, 18000},
		{"zookeeper.connection.timeout.ms", b.ZkConnectionTimeoutMs, 18000},
		{"offsets.topic.replication.factor", b.OffsetsTopicReplicationFactor, 3},
		{"offsets.topic.num.partitions", b.OffsetsTopicNumPartitions, 50},
		{"transaction.state.log.replication.factor", b.TransactionStateLogReplicationFactor, 3},
		{"transaction.state.log.min.isr", b.TransactionStateLogMinISR, 2},
		{"transaction.state.log.num.partitions", b.TransactionStateLogNumPartitions, 50},
		{"transaction.state.log.segment.bytes", b.TransactionStateLogSegmentBytes, 104857600},
		{"group.initial.rebalance.delay.ms", b.GroupInitialRebalanceDelayMs, 3000},
		{"group.min.session.timeout.ms", b.GroupMinSessionTimeoutMs, 6000},
		{"group.max.session.timeout.ms", b.GroupMaxSessionTimeoutMs, 1800000},
		{"auto.create.topics.enable", b.AutoCreateTopicsEnable, true},
		{"delete.topic.enable", b.DeleteTopicEnable, true},
		{"min.insync.replicas", b.MinInsyncReplicas, 1},
		{"unclean.leader.election.enable", b.UncleanLeaderElectionEnable, false},
		{"message.max.bytes", b.MessageMaxBytes, 1048588},
		{"replica.lag.time.max.ms", b.ReplicaLagTimeMaxMs, int64(30000)},
		{"num.network.threads", b.NumNetworkThreads, 3},
		{"num.io.threads", b.NumIOThreads, 8},
		{"socket.send.buffer.bytes", b.SocketSendBufferBytes, 102400},
		{"socket.request.max.bytes", b.SocketRequestMaxBytes, 104857600},
		{"num.recovery.threads.per.data.dir", b.NumRecoveryThreadsPerDataDir, 1},
		{"compression.type", b.CompressionType, "producer"},
		{"log.message.timestamp.type", b.LogMessageTimestampType, "CreateTime"},
		{"inter.broker.protocol.version", b.InterBrokerProtocolVersion, "2.8-IV1"},
		{"log.message.format.version", b.LogMessageFormatVersion, "2.8-IV1"},
		{"log.flush.interval.messages", b.LogFlushIntervalMessages, int64(9223372036854775807)},
		{"log flush ms", b.LogFlushIntervalMs, int64(9223372036854775807)},
		{"log.index.size.max.bytes", b.LogIndexSizeMaxBytes, 10485760},
		{"log.index.interval.bytes", b.LogIndexIntervalBytes, 4096},
		{"log.cleaner.min.cleanable.ratio", b.LogCleanerMinCleanableRatio, 0.5},
		{"offsets.retention.minutes", b.OffsetsRetentionMinutes, 10080},
		{"listeners", b.Listeners(), []Endpoint{{"PLAINTEXT", "", 9092, "PLAINTEXT"}}},
		{"advertised", b.AdvertisedListeners(), []Endpoint{{"PLAINTEXT", "", 9092, "PLAINTEXT"}}},
		{"inter broker listener", b.InterBrokerListenerName, "PLAINTEXT"},
		{"alter log dirs threads", b.NumReplicaAlterLogDirsThreads, 1},
		{"fetch.max.bytes", b.FetchMaxBytes, 57671680},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
	_, _, err := BrokerRegistry().Build()
	want := "zookeeper.connect: Missing required configuration `zookeeper.connect` which has no default value."
	if err == nil || err.Error() != want || !errors.Is(err, ErrMissing) {
		t.Errorf("defaults alone: %v, want %q", err, want)
	}
}

func TestLoadBrokerDistServerProperties(t *testing.T) {
	data, err := DistFiles.ReadFile("dist/server.properties")
	if err != nil {
		t.Fatal(err)
	}
	p := writeFile(t, "server.properties", string(data))
	b, w, err := LoadBroker(p, []string{"broker.id=3", "log.dirs=/d1, /d2,,"})
	if err != nil || len(w) != 0 {
		t.Fatalf("err %v, warnings %v", err, w)
	}
	if b.BrokerID != 3 || !reflect.DeepEqual(b.LogDirs(), []string{"/d1", "/d2"}) || b.OffsetsTopicReplicationFactor != 1 ||
		b.GroupInitialRebalanceDelayMs != 0 || b.ZkConnect != "localhost:2181" || b.ZkConnectionTimeoutMs != 18000 {
		t.Errorf("unexpected broker %+v", b)
	}
	if o, _ := b.Origin("broker.id"); o.File != "--override" || o.Line != 1 {
		t.Errorf("origin of broker.id: %+v", o)
	}
	wantLine := 1 + strings.Count(string(data[:strings.Index(string(data), "num.partitions=")]), "\n")
	if o, _ := b.Origin("num.partitions"); o.File != p || o.Line != wantLine {
		t.Errorf("origin of num.partitions: %+v", o)
	}
	if !b.IsSet("log.segment.bytes") || b.IsSet("log.retention.bytes") {
		t.Error("IsSet")
	}
}

func TestBrokerRetentionPrecedence(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want int64
	}{
		{"hours default", nil, 168 * 3600000},
		{"hours", []string{"log.retention.hours=1"}, 3600000},
		{"minutes beat hours", []string{"log.retention.hours=1", "log.retention.minutes=2"}, 120000},
		{"ms beats minutes", []string{"log.retention.minutes=2", "log.retention.ms=5", "log.retention.hours=9"}, 5},
		{"negative ms unlimited", []string{"log.retention.ms=-7"}, -1},
		{"negative hours unlimited", []string{"log.retention.hours=-1"}, -1},
		{"negative minutes unlimited", []string{"log.retention.minutes=-3"}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, _, err := LoadBroker("", append([]string{"zookeeper.connect=zk:2181"}, tt.args...))
			if err != nil {
				t.Fatal(err)
			}
			if b.RetentionMs() != tt.want {
				t.Errorf("RetentionMs = %d, want %d", b.RetentionMs(), tt.want)
			}
			if v, _ := b.TopicDefault("retention.ms"); v != strconv.FormatInt(tt.want, 10) {
				t.Errorf("topic default %s", v)
			}
		})
	}
	_, _, err := LoadBroker("", []string{"zookeeper.connect=zk", "log.retention.ms=0"})
	if err == nil || err.Error() != "--override:2: log.retention.ms: requirement failed: log.retention.ms must be unlimited (-1) or, greater than or equal to 1" {
		t.Errorf("zero retention: %v", err)
	}
}

func TestBrokerDerived(t *testing.T) {
	b, _, err := LoadBroker("", []string{
		"zookeeper.connect=zk", "log.dir=/single", "log.roll.hours=2", "log.roll.jitter.ms=7",
		"zookeeper.connection.timeout.ms=500", "log.flush.interval.ms=1000",
	})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(b.LogDirs(), []string{"/single"}) || b.LogRollMs != 7200000 || b.LogRollJitterMs != 7 ||
		b.ZkConnectionTimeoutMs != 500 || b.LogFlushIntervalMs != 1000 {
		t.Errorf("%+v", b)
	}
	b, _, _ = LoadBroker("", []string{"zookeeper.connect=zk", "log.dir=/x", "log.dirs=/a,/b", "log.roll.ms=9"})
	if !reflect.DeepEqual(b.LogDirs(), []string{"/a", "/b"}) || b.LogRollMs != 9 || b.NumReplicaAlterLogDirsThreads != 2 {
		t.Errorf("log.dirs should win: %v %d", b.LogDirs(), b.LogRollMs)
	}
	dirs := b.LogDirs()
	dirs[0] = "changed"
	if b.LogDirs()[0] != "/a" {
		t.Error("LogDirs shares storage")
	}
}

func TestBrokerListeners(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		lis     []Endpoint
		adv     []Endpoint
		ibl     string
		wantErr string
	}{
		{name: "host and port", args: []string{"host.name=h", "port=9093"},
			lis: []Endpoint{{"PLAINTEXT", "h", 9093, "PLAINTEXT"}}, adv: []Endpoint{{"PLAINTEXT", "h", 9093, "PLAINTEXT"}}, ibl: "PLAINTEXT"},
		{name: "listeners and advertised", args: []string{"listeners=PLAINTEXT://0.0.0.0:9092,ssl://[::1]:9093", "advertised.listeners=PLAINTEXT://broker1:9092"},
			lis: []Endpoint{{"PLAINTEXT", "0.0.0.0", 9092, "PLAINTEXT"}, {"SSL", "::1", 9093, "SSL"}},
			adv: []Endpoint{{"PLAINTEXT", "broker1", 9092, "PLAINTEXT"}}, ibl: "PLAINTEXT"},
		{name: "custom names", args: []string{"listeners=INTERNAL://:9092,EXTERNAL://:9093", "listener.security.protocol.map=INTERNAL:PLAINTEXT, EXTERNAL:SSL", "inter.broker.listener.name=internal"},
			lis: []Endpoint{{"INTERNAL", "", 9092, "PLAINTEXT"}, {"EXTERNAL", "", 9093, "SSL"}},
			adv: []Endpoint{{"INTERNAL", "", 9092, "PLAINTEXT"}, {"EXTERNAL", "", 9093, "SSL"}}, ibl: "INTERNAL"},
		{name: "deprecated advertised host", args: []string{"advertised.host.name=pub"},
			lis: []Endpoint{{"PLAINTEXT", "", 9092, "PLAINTEXT"}}, adv: []Endpoint{{"PLAINTEXT", "pub", 9092, "PLAINTEXT"}}, ibl: "PLAINTEXT"},
		{name: "unparsable", args: []string{"listeners=nonsense"},
			wantErr: "--override:2: listeners: Error creating broker listeners from 'nonsense': Unable to parse nonsense to a broker endpoint"},
		{name: "unknown protocol", args: []string{"listeners=FOO://:9092"},
			wantErr: "--override:2: listeners: Error creating broker listeners from 'FOO://:9092': No security protocol defined for listener FOO"},
		{name: "same port", args: []string{"listeners=PLAINTEXT://:9092,SSL://:9092"},
			wantErr: "--override:2: listeners: requirement failed: Each listener must have a different port, listeners: PLAINTEXT://:9092,SSL://:9092"},
		{name: "same name", args: []string{"listeners=PLAINTEXT://:9092,PLAINTEXT://:9093"},
			wantErr: "--override:2: listeners: requirement failed: Each listener must have a different name, listeners: PLAINTEXT://:9092,PLAINTEXT://:9093"},
		{name: "advertised 0.0.0.0", args: []string{"listeners=PLAINTEXT://0.0.0.0:9092", "advertised.listeners=PLAINTEXT://0.0.0.0:9092"},
			wantErr: "--override:3: advertised.listeners: requirement failed: advertised.listeners cannot use the nonroutable meta-address 0.0.0.0. Use a routable IP address."},
		{name: "inter broker listener missing", args: []string{"listeners=SSL://:9093"},
			wantErr: "--override:2: listeners: requirement failed: inter.broker.listener.name must be a listener name defined in advertised.listeners. The valid options based on currently configured listeners are SSL"},
		{name: "both inter broker keys", args: []string{"inter.broker.listener.name=PLAINTEXT", "security.inter.broker.protocol=PLAINTEXT"},
			wantErr: "--override:2: inter.broker.listener.name: Only one of inter.broker.listener.name and security.inter.broker.protocol should be set."},
		{name: "bad protocol map", args: []string{"listener.security.protocol.map=A:TLS"},
			wantErr: "--override:2: listener.security.protocol.map: Invalid security protocol `TLS` defined in listener.security.protocol.map"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, _, err := LoadBroker("", append([]string{"zookeeper.connect=zk"}, tt.args...))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v\nwant %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(b.Listeners(), tt.lis) || !reflect.DeepEqual(b.AdvertisedListeners(), tt.adv) || b.InterBrokerListenerName != tt.ibl {
				t.Errorf("listeners %v advertised %v ibl %s", b.Listeners(), b.AdvertisedListeners(), b.InterBrokerListenerName)
			}
		})
	}
	e := Endpoint{"SSL", "::1", 9093, "SSL"}
	if e.String() != "SSL://[::1]:9093" || e.Addr() != "[::1]:9093" || (Endpoint{"PLAINTEXT", "", 9092, "PLAINTEXT"}).String() != "PLAINTEXT://:9092" {
		t.Errorf("Endpoint formatting: %s %s", e, e.Addr())
	}
}

func TestBrokerErrorsCollected(t *testing.T) {
	p := writeFile(t, "server.properties", strings.Join([]string{
		"# several problems in one file",
		"broker.id=abc",
		"num.partitions=0",
		"log.cleanup.policy=delete,archive",
		"typo.key=1",
		"auto.create.topics.enable=maybe",
		"message.max.bytes=-5",
		"compression.type=brotli",
		"inter.broker.protocol.version=9.9",
		"log.dirs=\\u00ZZ",
		"",
	}, "\n"))
	_, w, err := LoadBroker(p, []string{"num.io.threads=x"})
	want := []string{
		p + ":2: broker.id: Invalid value abc for configuration broker.id: Not a number of type INT",
		p + ":3: num.partitions: Invalid value 0 for configuration num.partitions: Value must be at least 1",
		p + ":4: log.cleanup.policy: Invalid value archive for configuration log.cleanup.policy: String must be one of: compact, delete",
		p + ":6: auto.create.topics.enable: Invalid value maybe for configuration auto.create.topics.enable: Expected value to be either true or false",
		p + ":7: message.max.bytes: Invalid value -5 for configuration message.max.bytes: Value must be at least 0",
		p + ":8: compression.type: requirement failed: compression.type : brotli is not valid. Valid options are uncompressed,zstd,lz4,snappy,gzip,producer",
		p + ":9: inter.broker.protocol.version: Invalid value 9.9 for configuration inter.broker.protocol.version: Version `9.9` is not a valid version",
		p + ":10: log.dirs: Malformed \\uxxxx encoding.",
		"--override:1: num.io.threads: Invalid value x for configuration num.io.threads: Not a number of type INT",
		p + ": zookeeper.connect: Missing required configuration `zookeeper.connect` which has no default value.",
	}
	if err == nil {
		t.Fatal("no error")
	}
	if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, target := range []error{ErrInvalidValue, ErrMissing, ErrSyntax} {
		if !errors.Is(err, target) {
			t.Errorf("errors.Is(%v) = false", target)
		}
	}
	if len(w) != 1 || w[0].Key != "typo.key" || w[0].Line != 5 || w[0].File != p {
		t.Errorf("warnings %v", w)
	}
}

func TestBrokerCrossKeyChecks(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"broker.id=1001"}, "--override:2: broker.id: requirement failed: broker.id must be greater than or equal to -1 and not greater than reserved.broker.max.id"},
		{[]string{"broker.id=-1", "broker.id.generation.enable=false"}, "--override:2: broker.id: requirement failed: broker.id must be greater than or equal to 0"},
		{[]string{"replica.fetch.wait.max.ms=40000"}, "--override:2: replica.fetch.wait.max.ms: requirement failed: replica.socket.timeout.ms should always be at least replica.fetch.wait.max.ms to prevent unnecessary socket timeouts\n" +
			"--override:2: replica.fetch.wait.max.ms: requirement failed: replica.fetch.wait.max.ms should always be less than or equal to replica.lag.time.max.ms to prevent frequent changes in ISR"},
		{[]string{"offsets.commit.required.acks=5"}, "--override:2: offsets.commit.required.acks: requirement failed: offsets.commit.required.acks must be greater or equal -1 and less or equal to offsets.topic.replication.factor"},
		{[]string{"log.message.format.version=0.11.0", "inter.broker.protocol.version=0.10.2"}, "--override:2: log.message.format.version: requirement failed: log.message.format.version 0.11.0 can only be used when inter.broker.protocol.version is set to version 0.11.0 or higher"},
		{[]string{"log.dir=", "log.dirs= , "}, "--override:3: log.dirs: requirement failed: At least one log directory must be defined via log.dirs or log.dir."},
		{[]string{"max.connections.per.ip=0"}, "--override:2: max.connections.per.ip: requirement failed: max.connections.per.ip can be set to zero only if max.connections.per.ip.overrides property is set."},
		{[]string{"queued.max.request.bytes=10"}, "--override:2: queued.max.request.bytes: requirement failed: queued.max.request.bytes must be larger or equal to socket.request.max.bytes"},
		{[]string{"process.roles=broker,foo"}, "--override:2: process.roles: Invalid value foo for configuration process.roles: String must be one of: broker, controller"},
		{[]string{"process.roles=broker"}, ": node.id: Missing configuration `node.id` which is required when `process.roles` is defined (i.e. when running in KRaft mode)."},
	}
	for _, tt := range tests {
		t.Run(tt.args[0], func(t *testing.T) {
			_, _, err := LoadBroker("", append([]string{"zookeeper.connect=zk"}, tt.args...))
			want := strings.TrimPrefix(tt.want, ": ")
			if err == nil || err.Error() != want {
				t.Errorf("err = %v\nwant  %s", err, want)
			}
		})
	}
}

func TestLoadBrokerMissingFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "missing.properties")
	_, _, err := LoadBroker(p, nil)
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), p) {
		t.Errorf("err = %v", err)
	}
}

func TestLoadBrokerTOML(t *testing.T) {
	p := writeFile(t, "server.toml", `broker.id = 7
zookeeper.connect = "zk:2181"

[log]
dirs = ["/k1", "/k2"]
retention.minutes = 10
segment.bytes = "big"

[listeners.typo]
x = 1
`)
	b, w, err := LoadBroker(p, nil)
	if err == nil || err.Error() != p+":7: log.segment.bytes: Invalid value big for configuration log.segment.bytes: Not a number of type INT" {
		t.Errorf("err = %v", err)
	}
	if len(w) != 1 || w[0].String() != p+":10: listeners.typo.x: unknown key, ignored" {
		t.Errorf("warnings %v", w)
	}
	if b.BrokerID != 7 || b.RetentionMs() != 600000 || !reflect.DeepEqual(b.LogDirs(), []string{"/k1", "/k2"}) {
		t.Errorf("%+v", b)
	}
}

func TestBrokerListenerNamePattern(t *testing.T) {
	_, w, err := LoadBroker("", []string{"zookeeper.connect=zk", "listener.name.internal.ssl.keystore.location=/x", "listener.name.x=1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(w) != 1 || w[0].Key != "listener.name.x" {
		t.Errorf("warnings %v", w)
	}
}

func TestLookupAPIVersion(t *testing.T) {
	tests := map[string]string{
		"2.8": "2.8-IV1", "2.8.2": "2.8-IV1", "2.8-IV0": "2.8-IV0", "0.10.0": "0.10.0-IV1", "0.10.0.1": "0.10.0-IV1",
		"0.8.2": "0.8.2", "0.9.0.1": "0.9.0", "1.0": "1.0-IV0", "2.7": "2.7-IV2", "2.8.": "2.8-IV1",
	}
	for in, want := range tests {
		if got, _, ok := LookupAPIVersion(in); !ok || got != want {
			t.Errorf("LookupAPIVersion(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "3.0", "2", "0.10", "abc", "2.9-IV0"} {
		if _, _, ok := LookupAPIVersion(bad); ok {
			t.Errorf("LookupAPIVersion(%q) accepted", bad)
		}
	}
}

func TestBrokerRegistryKnowsReferenceKeys(t *testing.T) {
	r := BrokerRegistry()
	for _, k := range []string{
		"broker.id", "listeners", "advertised.listeners", "listener.security.protocol.map", "port", "host.name",
		"log.dirs", "log.dir", "num.partitions", "default.replication.factor", "log.retention.hours",
		"log.retention.minutes", "log.retention.ms", "log.retention.bytes", "log.segment.bytes", "log.roll.hours",
		"log.roll.ms", "log.retention.check.interval.ms", "log.cleanup.policy", "log.flush.interval.messages",
		"log.flush.interval.ms", "log.index.size.max.bytes", "log.index.interval.bytes", "zookeeper.connect",
		"zookeeper.session.timeout.ms", "zookeeper.connection.timeout.ms", "offsets.topic.replication.factor",
		"offsets.topic.num.partitions", "transaction.state.log.replication.factor", "transaction.state.log.min.isr",
		"transaction.state.log.num.partitions", "transaction.state.log.segment.bytes", "group.initial.rebalance.delay.ms",
		"auto.create.topics.enable", "delete.topic.enable", "min.insync.replicas", "unclean.leader.election.enable",
		"message.max.bytes", "replica.lag.time.max.ms", "num.network.threads", "num.io.threads",
		"socket.send.buffer.bytes", "socket.receive.buffer.bytes", "socket.request.max.bytes",
		"num.recovery.threads.per.data.dir", "compression.type", "log.message.timestamp.type",
		"inter.broker.protocol.version", "replica.fetch.max.bytes", "replica.fetch.wait.max.ms",
		"replica.fetch.response.max.bytes", "num.replica.fetchers", "offset.metadata.max.bytes",
		"offsets.retention.minutes", "offsets.retention.check.interval.ms", "offsets.commit.timeout.ms",
		"group.min.session.timeout.ms", "group.max.session.timeout.ms", "group.max.size", "log.cleaner.enable",
		"log.segment.delete.delay.ms", "ssl.keystore.location", "sasl.enabled.mechanisms",
	} {
		if !r.Known(k) {
			t.Errorf("broker registry lacks %s", k)
		}
	}
	// Every documented default parses and passes its validators.
	if _, _, err := r.Build(ArgsLayer("--override", []string{"zookeeper.connect=zk"})); err != nil {
		t.Errorf("defaults: %v", err)
	}
}
