package config

import (
	"reflect"
	"strings"
	"testing"
)

func TestDefaultClients(t *testing.T) {
	p := DefaultProducer()
	pc := []struct {
		name      string
		got, want any
	}{
		{"acks", p.Acks, "1"},
		{"acks value", p.AcksValue(), 1},
		{"retries", p.Retries, 2147483647},
		{"linger.ms", p.LingerMs, int64(0)},
		{"batch.size", p.BatchSize, 16384},
		{"buffer.memory", p.BufferMemory, int64(33554432)},
		{"compression.type", p.CompressionType, "none"},
		{"request.timeout.ms", p.RequestTimeoutMs, 30000},
		{"max.block.ms", p.MaxBlockMs, int64(60000)},
		{"metadata.max.age.ms", p.MetadataMaxAgeMs, int64(300000)},
		{"retry.backoff.ms", p.RetryBackoffMs, int64(100)},
		{"send.buffer.bytes", p.SendBufferBytes, 131072},
		{"receive.buffer.bytes", p.ReceiveBufferBytes, 32768},
		{"max.request.size", p.MaxRequestSize, 1048576},
		{"enable.idempotence", p.EnableIdempotence, false},
		{"delivery.timeout.ms", p.DeliveryTimeoutMs, 120000},
		{"max.in.flight", p.MaxInFlightRequestsPerConnection, 5},
		{"partitioner.class", p.PartitionerClass, "org.apache.kafka.clients.producer.internals.DefaultPartitioner"},
		{"security.protocol", p.SecurityProtocol, "PLAINTEXT"},
		{"connections.max.idle.ms", p.ConnectionsMaxIdleMs, int64(540000)},
		{"bootstrap", len(p.BootstrapServers()), 0},
	}
	for _, c := range pc {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("producer %s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
	c := DefaultConsumer()
	cc := []struct {
		name      string
		got, want any
	}{
		{"group.id", c.GroupID, ""},
		{"auto.offset.reset", c.AutoOffsetReset, "latest"},
		{"enable.auto.commit", c.EnableAutoCommit, true},
		{"auto.commit.interval.ms", c.AutoCommitIntervalMs, 5000},
		{"isolation.level", c.IsolationLevel, "read_uncommitted"},
		{"max.poll.records", c.MaxPollRecords, 500},
		{"fetch.min.bytes", c.FetchMinBytes, 1},
		{"fetch.max.bytes", c.FetchMaxBytes, 52428800},
		{"fetch.max.wait.ms", c.FetchMaxWaitMs, 500},
		{"max.partition.fetch.bytes", c.MaxPartitionFetchBytes, 1048576},
		{"session.timeout.ms", c.SessionTimeoutMs, 10000},
		{"heartbeat.interval.ms", c.HeartbeatIntervalMs, 3000},
		{"client.rack", c.ClientRack, ""},
		{"allow.auto.create.topics", c.AllowAutoCreateTopics, true},
		{"receive.buffer.bytes", c.ReceiveBufferBytes, 65536},
		{"default.api.timeout.ms", c.DefaultAPITimeoutMs, 60000},
		{"max.poll.interval.ms", c.MaxPollIntervalMs, 300000},
		{"assignors", c.PartitionAssignmentStrategy(), []string{"org.apache.kafka.clients.consumer.RangeAssignor"}},
	}
	for _, x := range cc {
		if !reflect.DeepEqual(x.got, x.want) {
			t.Errorf("consumer %s = %#v, want %#v", x.name, x.got, x.want)
		}
	}
	a := DefaultAdmin()
	if a.DefaultAPITimeoutMs != 60000 || a.RequestTimeoutMs != 30000 || a.Retries != 2147483647 || a.RetryBackoffMs != 100 ||
		a.ConnectionsMaxIdleMs != 300000 || a.SecurityProtocol != "PLAINTEXT" {
		t.Errorf("admin %+v", a)
	}
}

func TestLoadClientDistFiles(t *testing.T) {
	data, _ := DistFiles.ReadFile("dist/producer.properties")
	p, w, err := LoadProducer(writeFile(t, "producer.properties", string(data)), []string{"acks=all", "linger.ms=5"})
	if err != nil || len(w) != 0 {
		t.Fatalf("producer: %v %v", err, w)
	}
	if !reflect.DeepEqual(p.BootstrapServers(), []string{"localhost:9092"}) || p.AcksValue() != -1 || p.LingerMs != 5 ||
		!p.IsSet("acks") || !p.IsSet("compression.type") || p.IsSet("retries") {
		t.Errorf("producer %+v", p)
	}
	data, _ = DistFiles.ReadFile("dist/consumer.properties")
	c, w, err := LoadConsumer(writeFile(t, "consumer.properties", string(data)), []string{"auto.offset.reset=earliest", "isolation.level=read_committed"})
	if err != nil || len(w) != 0 {
		t.Fatalf("consumer: %v %v", err, w)
	}
	if c.GroupID != "test-consumer-group" || c.AutoOffsetReset != "earliest" || c.IsolationLevel != "read_committed" {
		t.Errorf("consumer %+v", c)
	}
	a, w, err := LoadAdmin(writeFile(t, "admin.properties", "security.protocol=ssl\ndefault.api.timeout.ms=1000\nfoo=bar\n"), nil)
	if err != nil || len(w) != 1 || w[0].Key != "foo" || a.SecurityProtocol != "SSL" || a.DefaultAPITimeoutMs != 1000 {
		t.Errorf("admin: %v %v %+v", err, w, a)
	}
	if a.Originals()["foo"] != "bar" {
		t.Error("admin originals")
	}
}

func TestClientErrors(t *testing.T) {
	tests := []struct {
		kind string
		args []string
		want string
	}{
		{"producer", []string{"acks=2"}, "--override:1: acks: Invalid value 2 for configuration acks: String must be one of: all, -1, 0, 1"},
		{"producer", []string{"compression.type=brotli"}, "--override:1: compression.type: Invalid value brotli for configuration compression.type: Unknown compression name: brotli"},
		{"producer", []string{"retries=-1"}, "--override:1: retries: Invalid value -1 for configuration retries: Value must be at least 0"},
		{"producer", []string{"linger.ms=x", "batch.size=-1"}, "--override:1: linger.ms: Invalid value x for configuration linger.ms: Not a number of type LONG\n" +
			"--override:2: batch.size: Invalid value -1 for configuration batch.size: Value must be at least 0"},
		{"producer", []string{"enable.idempotence=true", "acks=1"}, "--override:2: acks: Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence."},
		{"producer", []string{"enable.idempotence=true", "retries=0"}, "--override:2: retries: Must set retries to non-zero when using the idempotent producer."},
		{"producer", []string{"enable.idempotence=true", "max.in.flight.requests.per.connection=6"}, "--override:2: max.in.flight.requests.per.connection: Must set max.in.flight.requests.per.connection to at most 5 to use the idempotent producer."},
		{"producer", []string{"transactional.id=t", "enable.idempotence=false"}, "--override:1: transactional.id: Cannot set a transactional.id without also enabling idempotence."},
		{"producer", []string{"transactional.id="}, "--override:1: transactional.id: Invalid value  for configuration transactional.id: String must be non-empty"},
		{"producer", []string{"delivery.timeout.ms=100"}, "--override:1: delivery.timeout.ms: delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms"},
		{"consumer", []string{"auto.offset.reset=smallest"}, "--override:1: auto.offset.reset: Invalid value smallest for configuration auto.offset.reset: String must be one of: latest, earliest, none"},
		{"consumer", []string{"isolation.level=READ_COMMITTED"}, "--override:1: isolation.level: Invalid value READ_COMMITTED for configuration isolation.level: String must be one of: read_committed, read_uncommitted"},
		{"consumer", []string{"max.poll.records=0"}, "--override:1: max.poll.records: Invalid value 0 for configuration max.poll.records: Value must be at least 1"},
		{"consumer", []string{"enable.auto.commit=1"}, "--override:1: enable.auto.commit: Invalid value 1 for configuration enable.auto.commit: Expected value to be either true or false"},
		{"consumer", []string{"sasl.login.refresh.window.factor=0.2"}, "--override:1: sasl.login.refresh.window.factor: Invalid value 0.2 for configuration sasl.login.refresh.window.factor: Value must be at least 0.5"},
		{"admin", []string{"security.protocol=TLS"}, "--override:1: security.protocol: Invalid value TLS for configuration security.protocol: String must be one of (case insensitive): PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL"},
		{"admin", []string{"default.api.timeout.ms=-1"}, "--override:1: default.api.timeout.ms: Invalid value -1 for configuration default.api.timeout.ms: Value must be at least 0"},
	}
	for _, tt := range tests {
		t.Run(tt.kind+" "+strings.Join(tt.args, " "), func(t *testing.T) {
			var err error
			switch tt.kind {
			case "producer":
				_, _, err = LoadProducer("", tt.args)
			case "consumer":
				_, _, err = LoadConsumer("", tt.args)
			case "admin":
				_, _, err = LoadAdmin("", tt.args)
			}
			if err == nil || err.Error() != tt.want {
				t.Errorf("err = %v\nwant  %s", err, tt.want)
			}
		})
	}
}

func TestProducerDerived(t *testing.T) {
	p, _, err := LoadProducer("", []string{"transactional.id=tx"})
	if err != nil || !p.EnableIdempotence || p.TransactionalID != "tx" {
		t.Errorf("transactional.id implies idempotence: %v %+v", err, p)
	}
	p, _, err = LoadProducer("", []string{"linger.ms=200000"})
	if err != nil || p.DeliveryTimeoutMs != 230000 {
		t.Errorf("delivery timeout raised to linger+request timeout: %v %d", err, p.DeliveryTimeoutMs)
	}
	p, _, err = LoadProducer("", []string{"enable.idempotence=true"})
	if err != nil || p.AcksValue() != -1 || p.Acks != "-1" {
		t.Errorf("idempotence without acks means acks=all: %v %q", err, p.Acks)
	}
}

func TestProducerBuildLayers(t *testing.T) {
	file, _ := ParseLayer("p.properties", []byte("acks=0\nbootstrap.servers=a:1, b:2\n"))
	p, _, err := ProducerRegistry().Build(file, ArgsLayer("--producer-property", []string{"acks=all"}))
	if err != nil || p.Acks != "all" || !reflect.DeepEqual(p.BootstrapServers(), []string{"a:1", "b:2"}) {
		t.Errorf("%v %+v", err, p)
	}
	if o, _ := p.Origin("acks"); o.File != "--producer-property" || o.Line != 1 {
		t.Errorf("origin %+v", o)
	}
}
