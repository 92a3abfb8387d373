package config

import (
	"slices"
	"strings"
)

// Client holds the keys every Kafka 2.8 Java client shares. It is embedded in
// Producer, Consumer and Admin.
type Client struct {
	ClientID                          string
	ClientDNSLookup                   string
	MetadataMaxAgeMs                  int64
	SendBufferBytes                   int
	ReceiveBufferBytes                int
	ReconnectBackoffMs                int64
	ReconnectBackoffMaxMs             int64
	RetryBackoffMs                    int64
	RequestTimeoutMs                  int
	SocketConnectionSetupTimeoutMs    int64
	SocketConnectionSetupTimeoutMaxMs int64
	ConnectionsMaxIdleMs              int64
	MetricsSampleWindowMs             int64
	MetricsNumSamples                 int
	MetricsRecordingLevel             string
	SecurityProtocol                  string
	SecurityProviders                 string

	bootstrapServers []string
}

// BootstrapServers returns bootstrap.servers (host:port items).
func (c Client) BootstrapServers() []string { return slices.Clone(c.bootstrapServers) }

// clientDefaults are the defaults that differ between client kinds.
type clientDefaults struct {
	receiveBuffer   string
	connectionsIdle string
}

// clientDefs are the shared client keys, in Kafka's order. get reaches the
// embedded Client of T.
func clientDefs[T any](get func(*T) *Client, d clientDefaults) []Def[T] {
	return []Def[T]{
		kList("bootstrap.servers", "", "host:port pairs used to discover the cluster.", func(c *T, l []string) { get(c).bootstrapServers = l }),
		kString("client.dns.lookup", "use_all_dns_ips", "How host names are resolved: use_all_dns_ips, resolve_canonical_bootstrap_servers_only or default.",
			func(c *T, s string) { get(c).ClientDNSLookup = s },
			OneOf("default", "use_all_dns_ips", "resolve_canonical_bootstrap_servers_only")),
		kString("client.id", "", "Name of the client in broker logs and quotas.", func(c *T, s string) { get(c).ClientID = s }),
		kLong("metadata.max.age.ms", "300000", "Metadata is refreshed at least this often.", func(c *T, n int64) { get(c).MetadataMaxAgeMs = n }, AtLeast(0)),
		kInt("send.buffer.bytes", "131072", "SO_SNDBUF; -1 uses the OS default.", func(c *T, n int) { get(c).SendBufferBytes = n }, AtLeast(-1)),
		kInt("receive.buffer.bytes", d.receiveBuffer, "SO_RCVBUF; -1 uses the OS default.", func(c *T, n int) { get(c).ReceiveBufferBytes = n }, AtLeast(-1)),
		kLong("reconnect.backoff.ms", "50", "Wait before reconnecting to a broker.", func(c *T, n int64) { get(c).ReconnectBackoffMs = n }, AtLeast(0)),
		kLong("reconnect.backoff.max.ms", "1000", "Largest reconnect wait after repeated failures.", func(c *T, n int64) { get(c).ReconnectBackoffMaxMs = n }, AtLeast(0)),
		kLong("retry.backoff.ms", "100", "Wait before retrying a failed request.", func(c *T, n int64) { get(c).RetryBackoffMs = n }, AtLeast(0)),
		kInt("request.timeout.ms", "30000", "Longest wait for a response.", func(c *T, n int) { get(c).RequestTimeoutMs = n }, AtLeast(0)),
		kLong("socket.connection.setup.timeout.ms", "10000", "Time allowed to establish a connection.", func(c *T, n int64) { get(c).SocketConnectionSetupTimeoutMs = n }),
		kLong("socket.connection.setup.timeout.max.ms", "30000", "Largest connection setup timeout after backoff.", func(c *T, n int64) { get(c).SocketConnectionSetupTimeoutMaxMs = n }),
		kLong("connections.max.idle.ms", d.connectionsIdle, "Idle connections are closed after this time.", func(c *T, n int64) { get(c).ConnectionsMaxIdleMs = n }),
		kLong("metrics.sample.window.ms", "30000", "Window of a metric sample.", func(c *T, n int64) { get(c).MetricsSampleWindowMs = n }, AtLeast(0)),
		kInt("metrics.num.samples", "2", "Samples kept per metric.", func(c *T, n int) { get(c).MetricsNumSamples = n }, AtLeast(1)),
		kString("metrics.recording.level", "INFO", "Highest recording level of metrics.", func(c *T, s string) { get(c).MetricsRecordingLevel = s }, OneOf("INFO", "DEBUG", "TRACE")),
		kList[T]("metric.reporters", "", "Metric reporter classes.", nil),
		// Kafka 2.8 checks security.protocol only when connecting; the
		// check of later releases is applied here.
		kString("security.protocol", "PLAINTEXT", "Protocol to reach brokers: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.", func(c *T, s string) { get(c).SecurityProtocol = strings.ToUpper(s) }, OneOfFold(securityProtocols()...)),
		null(kString("security.providers", "", "Security provider creator classes.", func(c *T, s string) { get(c).SecurityProviders = s })),
	}
}

func withSecurity[T any](defs []Def[T]) []Def[T] {
	defs = append(defs, sslClientDefs[T]()...)
	return append(defs, saslClientDefs[T]()...)
}

// Producer is a Kafka 2.8 producer configuration (producer.properties,
// --producer.config, --producer-property), typed. Settings.IsSet tells which
// keys were given explicitly; Settings.Originals returns them as written.
type Producer struct {
	Settings
	Client

	Acks                             string // "all", "-1", "0" or "1"; effective: "-1" when idempotence is on and acks is not set
	BufferMemory                     int64
	Retries                          int
	CompressionType                  string
	BatchSize                        int
	LingerMs                         int64
	DeliveryTimeoutMs                int
	MaxRequestSize                   int
	MaxBlockMs                       int64
	MetadataMaxIdleMs                int64
	MaxInFlightRequestsPerConnection int
	KeySerializer                    string
	ValueSerializer                  string
	PartitionerClass                 string
	EnableIdempotence                bool // effective: true when transactional.id is set and enable.idempotence is not
	TransactionTimeoutMs             int
	TransactionalID                  string

	interceptors []string
}

// AcksValue returns acks as a number: "all" is -1.
func (p Producer) AcksValue() int {
	switch p.Acks {
	case "all", "-1":
		return -1
	case "0":
		return 0
	}
	return 1
}

// Interceptors returns interceptor.classes.
func (p Producer) Interceptors() []string { return slices.Clone(p.interceptors) }

// producerCompressionTypes are the producer's compression.type values.
func producerCompressionTypes() []string { return []string{"none", "gzip", "snappy", "lz4", "zstd"} }

// ProducerRegistry returns the registry of Kafka 2.8 producer keys.
func ProducerRegistry() *Registry[Producer] {
	type P = Producer
	get := func(c *P) *Client { return &c.Client }
	defs := clientDefs(get, clientDefaults{receiveBuffer: "32768", connectionsIdle: "540000"})
	defs = append(defs,
		kLong("buffer.memory", "33554432", "Memory for records waiting to be sent.", func(c *P, n int64) { c.BufferMemory = n }, AtLeast(0)),
		kInt("retries", "2147483647", "Times a failed send is retried.", func(c *P, n int) { c.Retries = n }, Between(0, maxInt32)),
		kString("acks", "1", "Acknowledgements a write needs: all (-1), 0 or 1.", func(c *P, s string) { c.Acks = s }, OneOf("all", "-1", "0", "1")),
		// Kafka 2.8 checks compression.type when the producer starts
		// ("Unknown compression name"); the check is done here.
		kString("compression.type", "none", "Compression of produced batches: none, gzip, snappy, lz4 or zstd.", func(c *P, s string) { c.CompressionType = s },
			Custom("[none, gzip, snappy, lz4, zstd]", func(v Value) error {
				if !slices.Contains(producerCompressionTypes(), v.Text()) {
					return Invalid(v.Text(), "Unknown compression name: "+v.Text())
				}
				return nil
			})),
		kInt("batch.size", "16384", "Largest batch per partition, in bytes.", func(c *P, n int) { c.BatchSize = n }, AtLeast(0)),
		kLong("linger.ms", "0", "Wait for more records before sending a batch.", func(c *P, n int64) { c.LingerMs = n }, AtLeast(0)),
		kInt("delivery.timeout.ms", "120000", "Upper bound on the time to report a send's outcome.", func(c *P, n int) { c.DeliveryTimeoutMs = n }, AtLeast(0)),
		kInt("max.request.size", "1048576", "Largest request the producer sends.", func(c *P, n int) { c.MaxRequestSize = n }, AtLeast(0)),
		kLong("max.block.ms", "60000", "Longest time send() and partitionsFor() block.", func(c *P, n int64) { c.MaxBlockMs = n }, AtLeast(0)),
		kLong("metadata.max.idle.ms", "300000", "Metadata of an unused topic is dropped after this time.", func(c *P, n int64) { c.MetadataMaxIdleMs = n }, AtLeast(5000)),
		kInt("max.in.flight.requests.per.connection", "5", "Unacknowledged requests per connection.", func(c *P, n int) { c.MaxInFlightRequestsPerConnection = n }, AtLeast(1)),
		null(kClass("key.serializer", "", "Serializer class of keys (Java class name; tools set it).", func(c *P, s string) { c.KeySerializer = s })),
		null(kClass("value.serializer", "", "Serializer class of values (Java class name; tools set it).", func(c *P, s string) { c.ValueSerializer = s })),
		kClass("partitioner.class", "org.apache.kafka.clients.producer.internals.DefaultPartitioner", "Partitioner class.", func(c *P, s string) { c.PartitionerClass = s }),
		kList("interceptor.classes", "", "Producer interceptor classes.", func(c *P, l []string) { c.interceptors = l }),
		kBool("enable.idempotence", "false", "Write each record exactly once per partition.", func(c *P, v bool) { c.EnableIdempotence = v }),
		kInt("transaction.timeout.ms", "60000", "Longest time a transaction may stay open.", func(c *P, n int) { c.TransactionTimeoutMs = n }),
		null(kString("transactional.id", "", "Id of a transactional producer.", func(c *P, s string) { c.TransactionalID = s }, NonEmpty())),
		kBool[P]("internal.auto.downgrade.txn.commit", "false", "Internal: downgrade transactional commits for old brokers.", nil),
	)
	return newRegistry("producer", withSecurity(defs), nil, func(c *P) *Settings { return &c.Settings }, finishProducer)
}

// finishProducer applies ProducerConfig's and KafkaProducer's cross-key
// checks, with their messages.
func finishProducer(c *Producer, ck *checker) {
	if ck.isSet("transactional.id") && !ck.isSet("enable.idempotence") {
		c.EnableIdempotence = true
	}
	if c.EnableIdempotence {
		if c.Retries == 0 {
			ck.invalid("retries", "Must set retries to non-zero when using the idempotent producer.")
		}
		if ck.isSet("acks") && c.AcksValue() != -1 {
			ck.invalid("acks", "Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.")
		}
		if !ck.isSet("acks") {
			c.Acks = "-1"
		}
		if c.MaxInFlightRequestsPerConnection > 5 {
			ck.invalid("max.in.flight.requests.per.connection", "Must set max.in.flight.requests.per.connection to at most 5 to use the idempotent producer.")
		}
	} else if ck.isSet("transactional.id") {
		ck.invalid("transactional.id", "Cannot set a transactional.id without also enabling idempotence.")
	}
	linger := min(c.LingerMs, int64(maxInt32))
	sum := min(linger+int64(c.RequestTimeoutMs), int64(maxInt32))
	if int64(c.DeliveryTimeoutMs) < sum {
		if ck.isSet("delivery.timeout.ms") {
			ck.invalid("delivery.timeout.ms", "delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms")
		} else {
			c.DeliveryTimeoutMs = int(sum)
		}
	}
}

// LoadProducer loads a producer config: defaults, the file at path, then
// overrides ("k=v", placed as "--override:N"). Tools with their own flags
// build layers and call ProducerRegistry().Build. See Registry.Load.
func LoadProducer(path string, overrides []string) (Producer, []Warning, error) {
	return ProducerRegistry().Load(path, overrides)
}

// DefaultProducer returns Kafka 2.8's producer defaults.
func DefaultProducer() Producer { return ProducerRegistry().Defaults() }

// Consumer is a Kafka 2.8 consumer configuration (consumer.properties,
// --consumer.config, --consumer-property), typed.
type Consumer struct {
	Settings
	Client

	GroupID                  string // "" when not set
	GroupInstanceID          string
	SessionTimeoutMs         int
	HeartbeatIntervalMs      int
	EnableAutoCommit         bool
	AutoCommitIntervalMs     int
	ClientRack               string
	MaxPartitionFetchBytes   int
	FetchMinBytes            int
	FetchMaxBytes            int
	FetchMaxWaitMs           int
	AutoOffsetReset          string // latest, earliest or none
	CheckCRCs                bool
	KeyDeserializer          string
	ValueDeserializer        string
	DefaultAPITimeoutMs      int
	MaxPollRecords           int
	MaxPollIntervalMs        int
	ExcludeInternalTopics    bool
	IsolationLevel           string // read_uncommitted or read_committed
	AllowAutoCreateTopics    bool
	LeaveGroupOnClose        bool
	assignmentStrategies     []string
	interceptors             []string
	throwOnStableUnsupported bool
}

// PartitionAssignmentStrategy returns partition.assignment.strategy.
func (c Consumer) PartitionAssignmentStrategy() []string { return slices.Clone(c.assignmentStrategies) }

// Interceptors returns interceptor.classes.
func (c Consumer) Interceptors() []string { return slices.Clone(c.interceptors) }

// ConsumerRegistry returns the registry of Kafka 2.8 consumer keys.
func ConsumerRegistry() *Registry[Consumer] {
	type C = Consumer
	get := func(c *C) *Client { return &c.Client }
	defs := clientDefs(get, clientDefaults{receiveBuffer: "65536", connectionsIdle: "540000"})
	defs = append(defs,
		null(kString("group.id", "", "Consumer group of the consumer.", func(c *C, s string) { c.GroupID = s })),
		null(kString("group.instance.id", "", "Static member id within the group.", func(c *C, s string) { c.GroupInstanceID = s })),
		kInt("session.timeout.ms", "10000", "The member is removed when no heartbeat arrives for this long.", func(c *C, n int) { c.SessionTimeoutMs = n }),
		kInt("heartbeat.interval.ms", "3000", "Time between heartbeats to the coordinator.", func(c *C, n int) { c.HeartbeatIntervalMs = n }),
		kList("partition.assignment.strategy", "org.apache.kafka.clients.consumer.RangeAssignor", "Partition assignor classes, in order of preference.", func(c *C, l []string) { c.assignmentStrategies = l }),
		kBool("enable.auto.commit", "true", "Commit offsets in the background.", func(c *C, v bool) { c.EnableAutoCommit = v }),
		kInt("auto.commit.interval.ms", "5000", "Time between automatic commits.", func(c *C, n int) { c.AutoCommitIntervalMs = n }, AtLeast(0)),
		kString("client.rack", "", "Rack of the consumer, for fetching from the closest replica.", func(c *C, s string) { c.ClientRack = s }),
		kInt("max.partition.fetch.bytes", "1048576", "Largest data returned per partition.", func(c *C, n int) { c.MaxPartitionFetchBytes = n }, AtLeast(0)),
		kInt("fetch.min.bytes", "1", "Fewest bytes a fetch waits for.", func(c *C, n int) { c.FetchMinBytes = n }, AtLeast(0)),
		kInt("fetch.max.bytes", "52428800", "Largest fetch response.", func(c *C, n int) { c.FetchMaxBytes = n }, AtLeast(0)),
		kInt("fetch.max.wait.ms", "500", "Longest wait of a fetch for fetch.min.bytes.", func(c *C, n int) { c.FetchMaxWaitMs = n }, AtLeast(0)),
		kString("auto.offset.reset", "latest", "Where to start without a committed offset: latest, earliest or none.", func(c *C, s string) { c.AutoOffsetReset = s }, OneOf("latest", "earliest", "none")),
		kBool("check.crcs", "true", "Check the CRC of fetched records.", func(c *C, v bool) { c.CheckCRCs = v }),
		null(kClass("key.deserializer", "", "Deserializer class of keys (Java class name; tools set it).", func(c *C, s string) { c.KeyDeserializer = s })),
		null(kClass("value.deserializer", "", "Deserializer class of values (Java class name; tools set it).", func(c *C, s string) { c.ValueDeserializer = s })),
		kInt("default.api.timeout.ms", "60000", "Timeout of blocking consumer calls without their own timeout.", func(c *C, n int) { c.DefaultAPITimeoutMs = n }, AtLeast(0)),
		kList("interceptor.classes", "", "Consumer interceptor classes.", func(c *C, l []string) { c.interceptors = l }),
		kInt("max.poll.records", "500", "Most records one poll() returns.", func(c *C, n int) { c.MaxPollRecords = n }, AtLeast(1)),
		kInt("max.poll.interval.ms", "300000", "Longest time between polls before the member leaves the group.", func(c *C, n int) { c.MaxPollIntervalMs = n }, AtLeast(1)),
		kBool("exclude.internal.topics", "true", "Pattern subscriptions skip internal topics.", func(c *C, v bool) { c.ExcludeInternalTopics = v }),
		kBool("internal.leave.group.on.close", "true", "Internal: leave the group when closing.", func(c *C, v bool) { c.LeaveGroupOnClose = v }),
		kBool("internal.throw.on.fetch.stable.offset.unsupported", "false", "Internal: fail when the broker cannot fetch stable offsets.", func(c *C, v bool) { c.throwOnStableUnsupported = v }),
		kString("isolation.level", "read_uncommitted", "read_committed hides records of open and aborted transactions.", func(c *C, s string) { c.IsolationLevel = s }, OneOf("read_committed", "read_uncommitted")),
		kBool("allow.auto.create.topics", "true", "Subscribing to an unknown topic may create it (if the broker allows).", func(c *C, v bool) { c.AllowAutoCreateTopics = v }),
	)
	return newRegistry("consumer", withSecurity(defs), nil, func(c *C) *Settings { return &c.Settings }, nil)
}

// LoadConsumer loads a consumer config: defaults, the file at path, then
// overrides ("k=v", placed as "--override:N"). See Registry.Load.
func LoadConsumer(path string, overrides []string) (Consumer, []Warning, error) {
	return ConsumerRegistry().Load(path, overrides)
}

// DefaultConsumer returns Kafka 2.8's consumer defaults.
func DefaultConsumer() Consumer { return ConsumerRegistry().Defaults() }

// Admin is a Kafka 2.8 admin client configuration (--command-config),
// typed.
type Admin struct {
	Settings
	Client

	Retries             int
	DefaultAPITimeoutMs int
}

// AdminRegistry returns the registry of Kafka 2.8 admin client keys.
func AdminRegistry() *Registry[Admin] {
	type A = Admin
	get := func(c *A) *Client { return &c.Client }
	defs := clientDefs(get, clientDefaults{receiveBuffer: "65536", connectionsIdle: "300000"})
	defs = append(defs,
		kInt("retries", "2147483647", "Times a failed request is retried.", func(c *A, n int) { c.Retries = n }, Between(0, maxInt32)),
		kInt("default.api.timeout.ms", "60000", "Timeout of admin calls without their own timeout.", func(c *A, n int) { c.DefaultAPITimeoutMs = n }, AtLeast(0)),
	)
	return newRegistry("admin", withSecurity(defs), nil, func(c *A) *Settings { return &c.Settings }, nil)
}

// LoadAdmin loads an admin client config (--command-config): defaults, the
// file at path, then overrides. See Registry.Load.
func LoadAdmin(path string, overrides []string) (Admin, []Warning, error) {
	return AdminRegistry().Load(path, overrides)
}

// DefaultAdmin returns Kafka 2.8's admin client defaults.
func DefaultAdmin() Admin { return AdminRegistry().Defaults() }
