package config

import (
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Broker is a Kafka 2.8 broker's configuration (server.properties), typed.
// Build it with LoadBroker, BrokerRegistry().Build or DefaultBroker; it is
// passed by value and never changes. Fields marked "effective" hold the value
// Kafka derives from several keys; list-valued settings are reached through
// methods that return fresh slices. Keys without a field (TLS, SASL,
// delegation tokens, ...) are checked for type and reachable through
// Settings.Get.
type Broker struct {
	Settings

	// ZooKeeper client.
	ZkConnect             string
	ZkSessionTimeoutMs    int
	ZkConnectionTimeoutMs int // effective: zookeeper.connection.timeout.ms, else zookeeper.session.timeout.ms
	ZkSyncTimeMs          int
	ZkSetACL              bool
	ZkMaxInFlightRequests int
	ZkSSLClientEnable     bool
	ZkClientCnxnSocket    string

	// General.
	BrokerIDGenerationEnable          bool
	ReservedBrokerMaxID               int
	BrokerID                          int
	MessageMaxBytes                   int
	NumNetworkThreads                 int
	NumIOThreads                      int
	NumReplicaAlterLogDirsThreads     int // effective: else the number of log dirs
	BackgroundThreads                 int
	QueuedMaxRequests                 int
	QueuedMaxRequestBytes             int64
	RequestTimeoutMs                  int
	SocketConnectionSetupTimeoutMs    int64
	SocketConnectionSetupTimeoutMaxMs int64
	AuthorizerClassName               string
	NodeID                            int // KRaft (accepted, not served)

	// Socket server.
	Port                         int
	HostName                     string
	AdvertisedHostName           string
	AdvertisedPort               int
	ControlPlaneListenerName     string
	SocketSendBufferBytes        int
	SocketReceiveBufferBytes     int
	SocketRequestMaxBytes        int
	MaxConnectionsPerIP          int
	MaxConnectionsPerIPOverrides string
	MaxConnections               int
	MaxConnectionCreationRate    int
	ConnectionsMaxIdleMs         int64
	FailedAuthenticationDelayMs  int
	Rack                         string

	// Log.
	NumPartitions                           int
	LogDir                                  string
	LogSegmentBytes                         int
	LogRollHours                            int
	LogRollMs                               int64 // effective: log.roll.ms, else log.roll.hours
	LogRollJitterHours                      int
	LogRollJitterMs                         int64 // effective: log.roll.jitter.ms, else log.roll.jitter.hours
	LogRetentionHours                       int
	LogRetentionMs                          int64 // effective: ms > minutes > hours; negative means -1 (unlimited)
	LogRetentionBytes                       int64
	LogRetentionCheckIntervalMs             int64
	LogCleanerThreads                       int
	LogCleanerIOMaxBytesPerSecond           float64
	LogCleanerDedupeBufferSize              int64
	LogCleanerIOBufferSize                  int
	LogCleanerIOBufferLoadFactor            float64
	LogCleanerBackoffMs                     int64
	LogCleanerMinCleanableRatio             float64
	LogCleanerEnable                        bool
	LogCleanerDeleteRetentionMs             int64
	LogCleanerMinCompactionLagMs            int64
	LogCleanerMaxCompactionLagMs            int64
	LogIndexSizeMaxBytes                    int
	LogIndexIntervalBytes                   int
	LogFlushIntervalMessages                int64
	LogSegmentDeleteDelayMs                 int64
	LogFlushSchedulerIntervalMs             int64
	LogFlushIntervalMs                      int64 // effective: log.flush.interval.ms, else log.flush.scheduler.interval.ms
	LogFlushOffsetCheckpointIntervalMs      int
	LogFlushStartOffsetCheckpointIntervalMs int
	LogPreallocate                          bool
	NumRecoveryThreadsPerDataDir            int
	AutoCreateTopicsEnable                  bool
	MinInsyncReplicas                       int
	LogMessageFormatVersion                 string
	LogMessageTimestampType                 string
	LogMessageTimestampDifferenceMaxMs      int64
	CreateTopicPolicyClassName              string
	AlterConfigPolicyClassName              string
	LogMessageDownconversionEnable          bool

	// Replication.
	ControllerSocketTimeoutMs                   int
	DefaultReplicationFactor                    int
	ReplicaLagTimeMaxMs                         int64
	ReplicaSocketTimeoutMs                      int
	ReplicaSocketReceiveBufferBytes             int
	ReplicaFetchMaxBytes                        int
	ReplicaFetchWaitMaxMs                       int
	ReplicaFetchBackoffMs                       int
	ReplicaFetchMinBytes                        int
	ReplicaFetchResponseMaxBytes                int
	NumReplicaFetchers                          int
	ReplicaHighWatermarkCheckpointIntervalMs    int64
	FetchPurgatoryPurgeIntervalRequests         int
	ProducerPurgatoryPurgeIntervalRequests      int
	DeleteRecordsPurgatoryPurgeIntervalRequests int
	AutoLeaderRebalanceEnable                   bool
	LeaderImbalancePerBrokerPercentage          int
	LeaderImbalanceCheckIntervalSeconds         int64
	UncleanLeaderElectionEnable                 bool
	SecurityInterBrokerProtocol                 string
	InterBrokerProtocolVersion                  string
	InterBrokerListenerName                     string // effective: inter.broker.listener.name, else the security protocol's name
	ReplicaSelectorClass                        string

	// Controlled shutdown.
	ControlledShutdownMaxRetries     int
	ControlledShutdownRetryBackoffMs int64
	ControlledShutdownEnable         bool

	// Group coordinator.
	GroupMinSessionTimeoutMs     int
	GroupMaxSessionTimeoutMs     int
	GroupInitialRebalanceDelayMs int
	GroupMaxSize                 int

	// Offsets.
	OffsetMetadataMaxBytes          int
	OffsetsLoadBufferSize           int
	OffsetsTopicReplicationFactor   int
	OffsetsTopicNumPartitions       int
	OffsetsTopicSegmentBytes        int
	OffsetsTopicCompressionCodec    int
	OffsetsRetentionMinutes         int
	OffsetsRetentionCheckIntervalMs int64
	OffsetsCommitTimeoutMs          int
	OffsetsCommitRequiredAcks       int
	DeleteTopicEnable               bool
	CompressionType                 string

	// Transactions.
	TransactionalIDExpirationMs                          int
	TransactionMaxTimeoutMs                              int
	TransactionStateLogMinISR                            int
	TransactionStateLogLoadBufferSize                    int
	TransactionStateLogReplicationFactor                 int
	TransactionStateLogNumPartitions                     int
	TransactionStateLogSegmentBytes                      int
	TransactionAbortTimedOutTransactionCleanupIntervalMs int
	TransactionRemoveExpiredTransactionCleanupIntervalMs int

	// Fetch sessions.
	MaxIncrementalFetchSessionCacheSlots int
	FetchMaxBytes                        int

	// Metrics.
	MetricsNumSamples               int
	MetricsSampleWindowMs           int64
	MetricsRecordingLevel           string
	KafkaMetricsPollingIntervalSecs int

	// Quotas.
	QuotaProducerDefault                          int64
	QuotaConsumerDefault                          int64
	QuotaWindowNum                                int
	ReplicationQuotaWindowNum                     int
	AlterLogDirsReplicationQuotaWindowNum         int
	ControllerQuotaWindowNum                      int
	QuotaWindowSizeSeconds                        int
	ReplicationQuotaWindowSizeSeconds             int
	AlterLogDirsReplicationQuotaWindowSizeSeconds int
	ControllerQuotaWindowSizeSeconds              int
	ClientQuotaCallbackClass                      string

	// Security (checked; TLS and SASL are not served yet).
	ConnectionsMaxReauthMs   int64
	SaslServerMaxReceiveSize int

	logDirs          []string
	logCleanupPolicy []string
	processRoles     []string
	listeners        []Endpoint
	advertised       []Endpoint
	protocolMap      map[string]string
}

// LogDirs returns the log directories: log.dirs if set, else log.dir, split
// at commas (blanks around commas and empty names dropped).
func (b Broker) LogDirs() []string { return slices.Clone(b.logDirs) }

// RetentionMs is the effective log retention (-1: unlimited).
func (b Broker) RetentionMs() int64 { return b.LogRetentionMs }

// LogCleanupPolicy returns log.cleanup.policy's elements.
func (b Broker) LogCleanupPolicy() []string { return slices.Clone(b.logCleanupPolicy) }

// ProcessRoles returns process.roles (empty: ZooKeeper mode).
func (b Broker) ProcessRoles() []string { return slices.Clone(b.processRoles) }

// Listeners returns the endpoints the broker binds: listeners, else
// PLAINTEXT://host.name:port.
func (b Broker) Listeners() []Endpoint { return slices.Clone(b.listeners) }

// AdvertisedListeners returns what the broker registers in ZooKeeper:
// advertised.listeners, else advertised.host.name/advertised.port (when
// either is set), else Listeners minus controller.listener.names.
func (b Broker) AdvertisedListeners() []Endpoint { return slices.Clone(b.advertised) }

// ListenerSecurityProtocolMap returns listener name → security protocol,
// names upper-cased as Kafka normalises them.
func (b Broker) ListenerSecurityProtocolMap() map[string]string { return maps.Clone(b.protocolMap) }

// Endpoint is one listener: PLAINTEXT://host:9092.
type Endpoint struct {
	Listener         string // upper-cased listener name
	Host             string // "" binds every interface
	Port             int
	SecurityProtocol string
}

// String returns Kafka's connection string, LISTENER://host:port
// (IPv6 hosts in brackets; an empty host prints as LISTENER://:port).
func (e Endpoint) String() string {
	host := e.Host
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return e.Listener + "://" + host + ":" + strconv.Itoa(e.Port)
}

// Addr returns host:port for net.Listen / net.Dial ("[::1]:9092", ":9092").
func (e Endpoint) Addr() string {
	host := e.Host
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return host + ":" + strconv.Itoa(e.Port)
}

// endpointPattern is EndPoint.uriParseExp, matched against the whole item.
func endpointPattern() *regexp.Regexp {
	return regexp.MustCompile(`^(.*)://\[?([0-9a-zA-Z\-%._:]*)\]?:(-?[0-9]+)$`)
}

// ParseListeners parses a listener list such as
// "PLAINTEXT://:9092,SSL://[::1]:9093" as Kafka's EndPoint.createEndPoint
// does. protocols maps upper-cased listener names to security protocols; nil
// means each protocol name maps to itself. Errors carry Kafka's text
// ("Error creating broker listeners from '...': ...").
func ParseListeners(list string, protocols map[string]string) ([]Endpoint, error) {
	if protocols == nil {
		protocols = map[string]string{}
		for _, p := range securityProtocols() {
			protocols[p] = p
		}
	}
	var out []Endpoint
	pattern := endpointPattern()
	for _, s := range csvList(list) {
		m := pattern.FindStringSubmatch(s)
		if m == nil {
			return nil, &KafkaError{Msg: "Error creating broker listeners from '" + list + "': Unable to parse " + s + " to a broker endpoint", Kind: ErrInvalidValue}
		}
		name := strings.ToUpper(m[1])
		port, err := strconv.ParseInt(m[3], 10, 32)
		if err != nil {
			return nil, &KafkaError{Msg: "Error creating broker listeners from '" + list + "': For input string: \"" + m[3] + "\"", Kind: ErrInvalidValue}
		}
		proto, ok := protocols[name]
		if !ok {
			return nil, &KafkaError{Msg: "Error creating broker listeners from '" + list + "': No security protocol defined for listener " + name, Kind: ErrInvalidValue}
		}
		out = append(out, Endpoint{Listener: name, Host: m[2], Port: int(port), SecurityProtocol: proto})
	}
	return out, nil
}

// csvList is Kafka's CoreUtils.parseCsvList: split at commas with optional
// blanks around them, empty items dropped.
func csvList(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, p := range splitCommaList(s) {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// apiVersion is one entry of Kafka 2.8's ApiVersion table.
type apiVersion struct {
	version string // full form, e.g. "2.8-IV1"
	short   string // e.g. "2.8"
	record  int    // message format: 0, 1 or 2
}

func apiVersions() []apiVersion {
	var out []apiVersion
	add := func(short string, record int, ivs ...string) {
		if len(ivs) == 0 {
			out = append(out, apiVersion{short, short, record})
		}
		for _, iv := range ivs {
			out = append(out, apiVersion{short + "-" + iv, short, record})
		}
	}
	add("0.8.0", 0)
	add("0.8.1", 0)
	add("0.8.2", 0)
	add("0.9.0", 0)
	add("0.10.0", 1, "IV0", "IV1")
	add("0.10.1", 1, "IV0", "IV1", "IV2")
	add("0.10.2", 1, "IV0")
	add("0.11.0", 2, "IV0", "IV1", "IV2")
	add("1.0", 2, "IV0")
	add("1.1", 2, "IV0")
	add("2.0", 2, "IV0", "IV1")
	add("2.1", 2, "IV0", "IV1", "IV2")
	add("2.2", 2, "IV0", "IV1")
	add("2.3", 2, "IV0", "IV1")
	add("2.4", 2, "IV0", "IV1")
	add("2.5", 2, "IV0")
	add("2.6", 2, "IV0")
	add("2.7", 2, "IV0", "IV1", "IV2")
	add("2.8", 2, "IV0", "IV1")
	return out
}

// LookupAPIVersion resolves a version string the way Kafka 2.8's
// ApiVersion(versionString) does ("2.8", "2.8.2", "2.8-IV1", "0.10.0-IV1"
// ...), returning the full version ("2.8-IV1") and its message format
// version (0, 1 or 2).
func LookupAPIVersion(s string) (full string, record int, ok bool) {
	segs := strings.Split(s, ".")
	for len(segs) > 0 && segs[len(segs)-1] == "" {
		segs = segs[:len(segs)-1]
	}
	n := 2
	if strings.HasPrefix(s, "0.") {
		n = 3
	}
	if len(segs) > n {
		segs = segs[:n]
	}
	key := strings.Join(segs, ".")
	var found *apiVersion
	vs := apiVersions()
	for i := range vs {
		if vs[i].version == key || vs[i].short == key {
			found = &vs[i] // the last one of a short version wins
			if vs[i].version == key {
				break
			}
		}
	}
	if found == nil {
		return "", 0, false
	}
	return found.version, found.record, true
}

// apiVersionValidator is Kafka's ApiVersionValidator.
func apiVersionValidator() Validator {
	var all []string
	for _, v := range apiVersions() {
		all = append(all, v.version)
	}
	return Custom("["+strings.Join(all, ", ")+"]", func(v Value) error {
		if _, _, ok := LookupAPIVersion(v.Text()); !ok {
			return Invalid(v.Text(), "Version `"+v.Text()+"` is not a valid version")
		}
		return nil
	})
}

func minVersionForRecord(record int) string {
	switch record {
	case 0:
		return "0.8.0"
	case 1:
		return "0.10.0"
	}
	return "0.11.0"
}

// brokerCompressionTypes are the broker's compression.type values, in
// Kafka's order.
func brokerCompressionTypes() []string {
	return []string{"uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"}
}

// BrokerRegistry returns the registry of every Kafka 2.8 broker key.
func BrokerRegistry() *Registry[Broker] {
	type B = Broker
	defs := []Def[B]{
		// ZooKeeper
		null(kString("zookeeper.connect", "", "ZooKeeper connection string host:port[,host:port...][/chroot]; required in ZooKeeper mode.", func(c *B, s string) { c.ZkConnect = s })),
		kInt("zookeeper.session.timeout.ms", "18000", "ZooKeeper session timeout.", func(c *B, n int) { c.ZkSessionTimeoutMs = n }),
		null(kInt("zookeeper.connection.timeout.ms", "", "Longest wait for the ZooKeeper connection; unset means the session timeout.", func(c *B, n int) { c.ZkConnectionTimeoutMs = n })),
		kInt("zookeeper.sync.time.ms", "2000", "How far a ZooKeeper follower may lag its leader.", func(c *B, n int) { c.ZkSyncTimeMs = n }),
		kBool("zookeeper.set.acl", "false", "Create ZooKeeper nodes with secure ACLs.", func(c *B, v bool) { c.ZkSetACL = v }),
		kInt("zookeeper.max.in.flight.requests", "10", "Unacknowledged requests the ZooKeeper client sends before blocking.", func(c *B, n int) { c.ZkMaxInFlightRequests = n }, AtLeast(1)),
		kBool("zookeeper.ssl.client.enable", "false", "Use TLS to ZooKeeper.", func(c *B, v bool) { c.ZkSSLClientEnable = v }),
		null(kString("zookeeper.clientCnxnSocket", "", "ZooKeeper client socket implementation class.", func(c *B, s string) { c.ZkClientCnxnSocket = s })),
		null(kString[B]("zookeeper.ssl.keystore.location", "", "Key store for TLS to ZooKeeper.", nil)),
		kPassword[B]("zookeeper.ssl.keystore.password", "Key store password for TLS to ZooKeeper."),
		null(kString[B]("zookeeper.ssl.keystore.type", "", "Key store type for TLS to ZooKeeper.", nil)),
		null(kString[B]("zookeeper.ssl.truststore.location", "", "Trust store for TLS to ZooKeeper.", nil)),
		kPassword[B]("zookeeper.ssl.truststore.password", "Trust store password for TLS to ZooKeeper."),
		null(kString[B]("zookeeper.ssl.truststore.type", "", "Trust store type for TLS to ZooKeeper.", nil)),
		kString[B]("zookeeper.ssl.protocol", "TLSv1.2", "TLS protocol for ZooKeeper.", nil),
		null(kList[B]("zookeeper.ssl.enabled.protocols", "", "TLS protocols enabled for ZooKeeper.", nil)),
		null(kList[B]("zookeeper.ssl.cipher.suites", "", "Cipher suites for TLS to ZooKeeper.", nil)),
		kString[B]("zookeeper.ssl.endpoint.identification.algorithm", "HTTPS", "Host name verification for TLS to ZooKeeper.", nil),
		kBool[B]("zookeeper.ssl.crl.enable", "false", "Check certificate revocation lists for ZooKeeper TLS.", nil),
		kBool[B]("zookeeper.ssl.ocsp.enable", "false", "Use OCSP for ZooKeeper TLS.", nil),

		// General
		kBool("broker.id.generation.enable", "true", "Generate a broker id when broker.id is -1.", func(c *B, v bool) { c.BrokerIDGenerationEnable = v }),
		kInt("reserved.broker.max.id", "1000", "Largest broker id that may be configured; generated ids start above it.", func(c *B, n int) { c.ReservedBrokerMaxID = n }, AtLeast(0)),
		kInt("broker.id", "-1", "This broker's id; -1 generates one.", func(c *B, n int) { c.BrokerID = n }),
		kInt("message.max.bytes", "1048588", "Largest record batch the broker accepts (topic: max.message.bytes).", func(c *B, n int) { c.MessageMaxBytes = n }, AtLeast(0)),
		kInt("num.network.threads", "3", "Threads receiving requests and sending responses.", func(c *B, n int) { c.NumNetworkThreads = n }, AtLeast(1)),
		kInt("num.io.threads", "8", "Threads processing requests.", func(c *B, n int) { c.NumIOThreads = n }, AtLeast(1)),
		null(kInt("num.replica.alter.log.dirs.threads", "", "Threads moving replicas between log dirs; unset means one per log dir.", func(c *B, n int) { c.NumReplicaAlterLogDirsThreads = n })),
		kInt("background.threads", "10", "Threads for background work.", func(c *B, n int) { c.BackgroundThreads = n }, AtLeast(1)),
		kInt("queued.max.requests", "500", "Requests queued before network threads stop reading.", func(c *B, n int) { c.QueuedMaxRequests = n }, AtLeast(1)),
		kLong("queued.max.request.bytes", "-1", "Bytes of queued requests before reading stops; -1 means no limit.", func(c *B, n int64) { c.QueuedMaxRequestBytes = n }),
		kInt("request.timeout.ms", "30000", "Client-side timeout of the broker's own requests.", func(c *B, n int) { c.RequestTimeoutMs = n }),
		kLong("socket.connection.setup.timeout.ms", "10000", "Time allowed to establish a connection.", func(c *B, n int64) { c.SocketConnectionSetupTimeoutMs = n }),
		kLong("socket.connection.setup.timeout.max.ms", "30000", "Largest connection setup timeout after backoff.", func(c *B, n int64) { c.SocketConnectionSetupTimeoutMaxMs = n }),

		// KRaft (internal in 2.8; accepted, not served)
		kList("process.roles", "", "KRaft roles (broker, controller); empty means ZooKeeper mode.", func(c *B, l []string) { c.processRoles = l }, OneOf("broker", "controller")),
		kInt("node.id", "-1", "KRaft node id.", func(c *B, n int) { c.NodeID = n }),
		kInt[B]("initial.broker.registration.timeout.ms", "60000", "KRaft: time allowed for the first registration.", nil),
		kInt[B]("broker.heartbeat.interval.ms", "2000", "KRaft: broker heartbeat interval.", nil),
		kInt[B]("broker.session.timeout.ms", "9000", "KRaft: broker session timeout.", nil),
		null(kString[B]("metadata.log.dir", "", "KRaft: metadata log directory.", nil)),
		null(kString[B]("controller.listener.names", "", "KRaft: listener names used by the controller.", nil)),
		kString[B]("sasl.mechanism.controller.protocol", "GSSAPI", "KRaft: SASL mechanism to reach controllers.", nil),
		kList[B]("controller.quorum.voters", "", "KRaft: id@host:port of the voters.", nil),
		kInt[B]("controller.quorum.election.timeout.ms", "1000", "KRaft: election timeout.", nil),
		kInt[B]("controller.quorum.fetch.timeout.ms", "2000", "KRaft: fetch timeout.", nil),
		kInt[B]("controller.quorum.election.backoff.max.ms", "1000", "KRaft: largest election backoff.", nil),
		kInt[B]("controller.quorum.append.linger.ms", "25", "KRaft: append linger.", nil),
		kInt[B]("controller.quorum.request.timeout.ms", "2000", "KRaft: request timeout.", nil),
		kInt[B]("controller.quorum.retry.backoff.ms", "20", "KRaft: retry backoff.", nil),

		kString("authorizer.class.name", "", "Authorizer class; empty means no authorization.", func(c *B, s string) { c.AuthorizerClassName = s }),

		// Socket server
		kInt("port", "9092", "Deprecated: port to listen on when listeners is not set.", func(c *B, n int) { c.Port = n }),
		kString("host.name", "", "Deprecated: host to bind when listeners is not set; empty binds every interface.", func(c *B, s string) { c.HostName = s }),
		null(kString[B]("listeners", "", "Listeners to bind, LISTENER://host:port[,...]; unset means PLAINTEXT://host.name:port.", nil)),
		null(kString("advertised.host.name", "", "Deprecated: host name to advertise; unset means host.name.", func(c *B, s string) { c.AdvertisedHostName = s })),
		null(kInt("advertised.port", "", "Deprecated: port to advertise; unset means port.", func(c *B, n int) { c.AdvertisedPort = n })),
		null(kString[B]("advertised.listeners", "", "Listeners to register in ZooKeeper for clients; unset means listeners.", nil)),
		kString[B]("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL", "Listener name to security protocol.", nil),
		null(kString("control.plane.listener.name", "", "Listener used for controller traffic.", func(c *B, s string) { c.ControlPlaneListenerName = s })),
		kInt("socket.send.buffer.bytes", "102400", "SO_SNDBUF of server sockets; -1 uses the OS default.", func(c *B, n int) { c.SocketSendBufferBytes = n }),
		kInt("socket.receive.buffer.bytes", "102400", "SO_RCVBUF of server sockets; -1 uses the OS default.", func(c *B, n int) { c.SocketReceiveBufferBytes = n }),
		kInt("socket.request.max.bytes", "104857600", "Largest request the broker accepts.", func(c *B, n int) { c.SocketRequestMaxBytes = n }, AtLeast(1)),
		kInt("max.connections.per.ip", "2147483647", "Connections allowed from one address.", func(c *B, n int) { c.MaxConnectionsPerIP = n }, AtLeast(0)),
		kString("max.connections.per.ip.overrides", "", "Per-address connection limits, host:count[,...].", func(c *B, s string) { c.MaxConnectionsPerIPOverrides = s }),
		kInt("max.connections", "2147483647", "Connections allowed in total.", func(c *B, n int) { c.MaxConnections = n }, AtLeast(0)),
		kInt("max.connection.creation.rate", "2147483647", "New connections allowed per second.", func(c *B, n int) { c.MaxConnectionCreationRate = n }, AtLeast(0)),
		kLong("connections.max.idle.ms", "600000", "Idle connections are closed after this time.", func(c *B, n int64) { c.ConnectionsMaxIdleMs = n }),
		kInt("connection.failed.authentication.delay.ms", "100", "Delay before closing a connection whose authentication failed.", func(c *B, n int) { c.FailedAuthenticationDelayMs = n }, AtLeast(0)),
		null(kString("broker.rack", "", "Rack of the broker, for rack-aware replica placement.", func(c *B, s string) { c.Rack = s })),

		// Log
		kInt("num.partitions", "1", "Default partition count of new topics.", func(c *B, n int) { c.NumPartitions = n }, AtLeast(1)),
		kString("log.dir", "/tmp/kafka-logs", "Log directory, used when log.dirs is not set.", func(c *B, s string) { c.LogDir = s }),
		null(kString[B]("log.dirs", "", "Comma-separated log directories; unset means log.dir.", nil)),
		kInt("log.segment.bytes", "1073741824", "Largest size of a log segment file (topic: segment.bytes).", func(c *B, n int) { c.LogSegmentBytes = n }, AtLeast(14)),
		null(kLong("log.roll.ms", "", "Time after which a new segment is rolled; unset means log.roll.hours (topic: segment.ms).", func(c *B, n int64) { c.LogRollMs = n })),
		kInt("log.roll.hours", "168", "Hours after which a new segment is rolled.", func(c *B, n int) { c.LogRollHours = n }, AtLeast(1)),
		null(kLong("log.roll.jitter.ms", "", "Largest jitter subtracted from the roll time; unset means log.roll.jitter.hours (topic: segment.jitter.ms).", func(c *B, n int64) { c.LogRollJitterMs = n })),
		kInt("log.roll.jitter.hours", "0", "Largest roll jitter, in hours.", func(c *B, n int) { c.LogRollJitterHours = n }, AtLeast(0)),
		null(kLong[B]("log.retention.ms", "", "Time a segment is kept; overrides the minutes and hours keys; -1 means forever (topic: retention.ms).", nil)),
		null(kInt[B]("log.retention.minutes", "", "Time a segment is kept, in minutes; overrides log.retention.hours.", nil)),
		kInt("log.retention.hours", "168", "Time a segment is kept, in hours.", func(c *B, n int) { c.LogRetentionHours = n }),
		kLong("log.retention.bytes", "-1", "Largest size of a partition's log before old segments are deleted; -1 means no limit (topic: retention.bytes).", func(c *B, n int64) { c.LogRetentionBytes = n }),
		kLong("log.retention.check.interval.ms", "300000", "How often segments are checked for deletion.", func(c *B, n int64) { c.LogRetentionCheckIntervalMs = n }, AtLeast(1)),
		kList("log.cleanup.policy", "delete", "Default cleanup policy: delete, compact or both (topic: cleanup.policy).", func(c *B, l []string) { c.logCleanupPolicy = l }, OneOf("compact", "delete")),
		kInt("log.cleaner.threads", "1", "Log cleaner threads.", func(c *B, n int) { c.LogCleanerThreads = n }, AtLeast(0)),
		kDouble("log.cleaner.io.max.bytes.per.second", "1.7976931348623157E308", "Log cleaner I/O limit.", func(c *B, f float64) { c.LogCleanerIOMaxBytesPerSecond = f }),
		kLong("log.cleaner.dedupe.buffer.size", "134217728", "Memory for log deduplication across all cleaner threads.", func(c *B, n int64) { c.LogCleanerDedupeBufferSize = n }),
		kInt("log.cleaner.io.buffer.size", "524288", "Memory for log cleaner I/O buffers.", func(c *B, n int) { c.LogCleanerIOBufferSize = n }, AtLeast(0)),
		kDouble("log.cleaner.io.buffer.load.factor", "0.9", "Load factor of the deduplication buffer.", func(c *B, f float64) { c.LogCleanerIOBufferLoadFactor = f }),
		kLong("log.cleaner.backoff.ms", "15000", "Sleep when there is no log to clean.", func(c *B, n int64) { c.LogCleanerBackoffMs = n }, AtLeast(0)),
		kDouble("log.cleaner.min.cleanable.ratio", "0.5", "Dirty ratio above which a log is cleaned (topic: min.cleanable.dirty.ratio).", func(c *B, f float64) { c.LogCleanerMinCleanableRatio = f }),
		kBool("log.cleaner.enable", "true", "Run the log cleaner.", func(c *B, v bool) { c.LogCleanerEnable = v }),
		kLong("log.cleaner.delete.retention.ms", "86400000", "How long delete tombstones are kept (topic: delete.retention.ms).", func(c *B, n int64) { c.LogCleanerDeleteRetentionMs = n }),
		kLong("log.cleaner.min.compaction.lag.ms", "0", "Shortest time a record stays uncompacted (topic: min.compaction.lag.ms).", func(c *B, n int64) { c.LogCleanerMinCompactionLagMs = n }),
		kLong("log.cleaner.max.compaction.lag.ms", "9223372036854775807", "Longest time a record stays uncompacted (topic: max.compaction.lag.ms).", func(c *B, n int64) { c.LogCleanerMaxCompactionLagMs = n }),
		kInt("log.index.size.max.bytes", "10485760", "Largest size of an offset index (topic: segment.index.bytes).", func(c *B, n int) { c.LogIndexSizeMaxBytes = n }, AtLeast(4)),
		kInt("log.index.interval.bytes", "4096", "Bytes between offset index entries (topic: index.interval.bytes).", func(c *B, n int) { c.LogIndexIntervalBytes = n }, AtLeast(0)),
		kLong("log.flush.interval.messages", "9223372036854775807", "Messages accumulated before a flush (topic: flush.messages).", func(c *B, n int64) { c.LogFlushIntervalMessages = n }, AtLeast(1)),
		kLong("log.segment.delete.delay.ms", "60000", "Wait before a deleted segment's files are removed (topic: file.delete.delay.ms).", func(c *B, n int64) { c.LogSegmentDeleteDelayMs = n }, AtLeast(0)),
		kLong("log.flush.scheduler.interval.ms", "9223372036854775807", "How often logs are checked for a needed flush.", func(c *B, n int64) { c.LogFlushSchedulerIntervalMs = n }),
		null(kLong("log.flush.interval.ms", "", "Longest time a message stays unflushed; unset means log.flush.scheduler.interval.ms (topic: flush.ms).", func(c *B, n int64) { c.LogFlushIntervalMs = n })),
		kInt("log.flush.offset.checkpoint.interval.ms", "60000", "How often the recovery point is checkpointed.", func(c *B, n int) { c.LogFlushOffsetCheckpointIntervalMs = n }, AtLeast(0)),
		kInt("log.flush.start.offset.checkpoint.interval.ms", "60000", "How often log start offsets are checkpointed.", func(c *B, n int) { c.LogFlushStartOffsetCheckpointIntervalMs = n }, AtLeast(0)),
		kBool("log.preallocate", "false", "Preallocate segment files (topic: preallocate).", func(c *B, v bool) { c.LogPreallocate = v }),
		kInt("num.recovery.threads.per.data.dir", "1", "Threads per log dir for recovery at startup and flush at shutdown.", func(c *B, n int) { c.NumRecoveryThreadsPerDataDir = n }, AtLeast(1)),
		kBool("auto.create.topics.enable", "true", "Create a topic when a client asks for an unknown one.", func(c *B, v bool) { c.AutoCreateTopicsEnable = v }),
		kInt("min.insync.replicas", "1", "Fewest in-sync replicas for an acks=all write (topic: min.insync.replicas).", func(c *B, n int) { c.MinInsyncReplicas = n }, AtLeast(1)),
		kString("log.message.format.version", "2.8-IV1", "Message format version for appends (topic: message.format.version).", func(c *B, s string) { c.LogMessageFormatVersion = s }, apiVersionValidator()),
		kString("log.message.timestamp.type", "CreateTime", "CreateTime or LogAppendTime (topic: message.timestamp.type).", func(c *B, s string) { c.LogMessageTimestampType = s }, OneOf("CreateTime", "LogAppendTime")),
		kLong("log.message.timestamp.difference.max.ms", "9223372036854775807", "Largest allowed gap between a record's timestamp and the broker's clock (topic: message.timestamp.difference.max.ms).", func(c *B, n int64) { c.LogMessageTimestampDifferenceMaxMs = n }),
		null(kClass("create.topic.policy.class.name", "", "Policy class validating topic creation.", func(c *B, s string) { c.CreateTopicPolicyClassName = s })),
		null(kClass("alter.config.policy.class.name", "", "Policy class validating config changes.", func(c *B, s string) { c.AlterConfigPolicyClassName = s })),
		kBool("log.message.downconversion.enable", "true", "Down-convert messages for old consumers (topic: message.downconversion.enable).", func(c *B, v bool) { c.LogMessageDownconversionEnable = v }),

		// Replication
		kInt("controller.socket.timeout.ms", "30000", "Socket timeout of controller-to-broker channels.", func(c *B, n int) { c.ControllerSocketTimeoutMs = n }),
		kInt("default.replication.factor", "1", "Default replication factor of automatically created topics.", func(c *B, n int) { c.DefaultReplicationFactor = n }),
		kLong("replica.lag.time.max.ms", "30000", "A follower not caught up for this long leaves the ISR.", func(c *B, n int64) { c.ReplicaLagTimeMaxMs = n }),
		kInt("replica.socket.timeout.ms", "30000", "Socket timeout of replica fetches.", func(c *B, n int) { c.ReplicaSocketTimeoutMs = n }),
		kInt("replica.socket.receive.buffer.bytes", "65536", "Socket receive buffer of replica fetches.", func(c *B, n int) { c.ReplicaSocketReceiveBufferBytes = n }),
		kInt("replica.fetch.max.bytes", "1048576", "Bytes fetched per partition by followers.", func(c *B, n int) { c.ReplicaFetchMaxBytes = n }, AtLeast(0)),
		kInt("replica.fetch.wait.max.ms", "500", "Longest wait of a follower fetch.", func(c *B, n int) { c.ReplicaFetchWaitMaxMs = n }),
		kInt("replica.fetch.backoff.ms", "1000", "Sleep after a failed follower fetch.", func(c *B, n int) { c.ReplicaFetchBackoffMs = n }, AtLeast(0)),
		kInt("replica.fetch.min.bytes", "1", "Fewest bytes a follower fetch waits for.", func(c *B, n int) { c.ReplicaFetchMinBytes = n }),
		kInt("replica.fetch.response.max.bytes", "10485760", "Largest follower fetch response.", func(c *B, n int) { c.ReplicaFetchResponseMaxBytes = n }, AtLeast(0)),
		kInt("num.replica.fetchers", "1", "Fetcher threads per source broker.", func(c *B, n int) { c.NumReplicaFetchers = n }),
		kLong("replica.high.watermark.checkpoint.interval.ms", "5000", "How often high watermarks are checkpointed.", func(c *B, n int64) { c.ReplicaHighWatermarkCheckpointIntervalMs = n }),
		kInt("fetch.purgatory.purge.interval.requests", "1000", "Fetch purgatory purge interval, in requests.", func(c *B, n int) { c.FetchPurgatoryPurgeIntervalRequests = n }),
		kInt("producer.purgatory.purge.interval.requests", "1000", "Produce purgatory purge interval, in requests.", func(c *B, n int) { c.ProducerPurgatoryPurgeIntervalRequests = n }),
		kInt("delete.records.purgatory.purge.interval.requests", "1", "Delete-records purgatory purge interval, in requests.", func(c *B, n int) { c.DeleteRecordsPurgatoryPurgeIntervalRequests = n }),
		kBool("auto.leader.rebalance.enable", "true", "Move leadership back to preferred replicas.", func(c *B, v bool) { c.AutoLeaderRebalanceEnable = v }),
		kInt("leader.imbalance.per.broker.percentage", "10", "Imbalance tolerated per broker before rebalancing, in percent.", func(c *B, n int) { c.LeaderImbalancePerBrokerPercentage = n }),
		kLong("leader.imbalance.check.interval.seconds", "300", "How often leader balance is checked.", func(c *B, n int64) { c.LeaderImbalanceCheckIntervalSeconds = n }),
		kBool("unclean.leader.election.enable", "false", "Allow out-of-sync replicas to become leader (topic: unclean.leader.election.enable).", func(c *B, v bool) { c.UncleanLeaderElectionEnable = v }),
		kString("security.inter.broker.protocol", "PLAINTEXT", "Security protocol between brokers.", func(c *B, s string) { c.SecurityInterBrokerProtocol = s }),
		kString("inter.broker.protocol.version", "2.8-IV1", "Protocol version between brokers.", func(c *B, s string) { c.InterBrokerProtocolVersion = s }, apiVersionValidator()),
		null(kString[B]("inter.broker.listener.name", "", "Listener used between brokers.", nil)),
		null(kString("replica.selector.class", "", "Class choosing the replica a consumer fetches from.", func(c *B, s string) { c.ReplicaSelectorClass = s })),

		// Controlled shutdown
		kInt("controlled.shutdown.max.retries", "3", "Attempts of a controlled shutdown.", func(c *B, n int) { c.ControlledShutdownMaxRetries = n }),
		kLong("controlled.shutdown.retry.backoff.ms", "5000", "Sleep between controlled shutdown attempts.", func(c *B, n int64) { c.ControlledShutdownRetryBackoffMs = n }),
		kBool("controlled.shutdown.enable", "true", "Hand over leadership before shutting down.", func(c *B, v bool) { c.ControlledShutdownEnable = v }),

		// Group coordinator
		kInt("group.min.session.timeout.ms", "6000", "Shortest consumer session timeout allowed.", func(c *B, n int) { c.GroupMinSessionTimeoutMs = n }),
		kInt("group.max.session.timeout.ms", "1800000", "Longest consumer session timeout allowed.", func(c *B, n int) { c.GroupMaxSessionTimeoutMs = n }),
		kInt("group.initial.rebalance.delay.ms", "3000", "Wait for more members before the first rebalance of an empty group.", func(c *B, n int) { c.GroupInitialRebalanceDelayMs = n }),
		kInt("group.max.size", "2147483647", "Most members a group may have.", func(c *B, n int) { c.GroupMaxSize = n }, AtLeast(1)),

		// Offsets
		kInt("offset.metadata.max.bytes", "4096", "Largest metadata string of an offset commit.", func(c *B, n int) { c.OffsetMetadataMaxBytes = n }),
		kInt("offsets.load.buffer.size", "5242880", "Batch size when loading offsets into the cache.", func(c *B, n int) { c.OffsetsLoadBufferSize = n }, AtLeast(1)),
		kShort("offsets.topic.replication.factor", "3", "Replication factor of __consumer_offsets.", func(c *B, n int) { c.OffsetsTopicReplicationFactor = n }, AtLeast(1)),
		kInt("offsets.topic.num.partitions", "50", "Partitions of __consumer_offsets.", func(c *B, n int) { c.OffsetsTopicNumPartitions = n }, AtLeast(1)),
		kInt("offsets.topic.segment.bytes", "104857600", "Segment size of __consumer_offsets.", func(c *B, n int) { c.OffsetsTopicSegmentBytes = n }, AtLeast(1)),
		kInt("offsets.topic.compression.codec", "0", "Compression codec id of __consumer_offsets.", func(c *B, n int) { c.OffsetsTopicCompressionCodec = n }),
		kInt("offsets.retention.minutes", "10080", "How long offsets of an empty group are kept.", func(c *B, n int) { c.OffsetsRetentionMinutes = n }, AtLeast(1)),
		kLong("offsets.retention.check.interval.ms", "600000", "How often stale offsets are looked for.", func(c *B, n int64) { c.OffsetsRetentionCheckIntervalMs = n }, AtLeast(1)),
		kInt("offsets.commit.timeout.ms", "5000", "Wait for an offset commit to replicate.", func(c *B, n int) { c.OffsetsCommitTimeoutMs = n }, AtLeast(1)),
		kShort("offsets.commit.required.acks", "-1", "Acks needed before an offset commit is accepted.", func(c *B, n int) { c.OffsetsCommitRequiredAcks = n }),
		kBool("delete.topic.enable", "true", "Allow topics to be deleted.", func(c *B, v bool) { c.DeleteTopicEnable = v }),
		kString("compression.type", "producer", "Final compression of topics: uncompressed, zstd, lz4, snappy, gzip or producer (topic: compression.type).", func(c *B, s string) { c.CompressionType = s }),

		// Transactions
		kInt("transactional.id.expiration.ms", "604800000", "Idle time after which a transactional id expires.", func(c *B, n int) { c.TransactionalIDExpirationMs = n }, AtLeast(1)),
		kInt("transaction.max.timeout.ms", "900000", "Longest transaction timeout a client may ask for.", func(c *B, n int) { c.TransactionMaxTimeoutMs = n }, AtLeast(1)),
		kInt("transaction.state.log.min.isr", "2", "min.insync.replicas of __transaction_state.", func(c *B, n int) { c.TransactionStateLogMinISR = n }, AtLeast(1)),
		kInt("transaction.state.log.load.buffer.size", "5242880", "Batch size when loading transaction state.", func(c *B, n int) { c.TransactionStateLogLoadBufferSize = n }, AtLeast(1)),
		kShort("transaction.state.log.replication.factor", "3", "Replication factor of __transaction_state.", func(c *B, n int) { c.TransactionStateLogReplicationFactor = n }, AtLeast(1)),
		kInt("transaction.state.log.num.partitions", "50", "Partitions of __transaction_state.", func(c *B, n int) { c.TransactionStateLogNumPartitions = n }, AtLeast(1)),
		kInt("transaction.state.log.segment.bytes", "104857600", "Segment size of __transaction_state.", func(c *B, n int) { c.TransactionStateLogSegmentBytes = n }, AtLeast(1)),
		kInt("transaction.abort.timed.out.transaction.cleanup.interval.ms", "10000", "How often timed-out transactions are rolled back.", func(c *B, n int) { c.TransactionAbortTimedOutTransactionCleanupIntervalMs = n }, AtLeast(1)),
		kInt("transaction.remove.expired.transaction.cleanup.interval.ms", "3600000", "How often expired transactional ids are removed.", func(c *B, n int) { c.TransactionRemoveExpiredTransactionCleanupIntervalMs = n }, AtLeast(1)),

		// Fetch sessions
		kInt("max.incremental.fetch.session.cache.slots", "1000", "Incremental fetch sessions kept.", func(c *B, n int) { c.MaxIncrementalFetchSessionCacheSlots = n }, AtLeast(0)),
		kInt("fetch.max.bytes", "57671680", "Largest fetch response for a consumer.", func(c *B, n int) { c.FetchMaxBytes = n }, AtLeast(1024)),

		// Metrics
		kInt("metrics.num.samples", "2", "Samples kept per metric.", func(c *B, n int) { c.MetricsNumSamples = n }, AtLeast(1)),
		kLong("metrics.sample.window.ms", "30000", "Window of a metric sample.", func(c *B, n int64) { c.MetricsSampleWindowMs = n }, AtLeast(1)),
		kList[B]("metric.reporters", "", "Metric reporter classes.", nil),
		kString("metrics.recording.level", "INFO", "Highest recording level of metrics.", func(c *B, s string) { c.MetricsRecordingLevel = s }),
		kList[B]("kafka.metrics.reporters", "", "Yammer metrics reporter classes.", nil),
		kInt("kafka.metrics.polling.interval.secs", "10", "Polling interval of Yammer metrics reporters.", func(c *B, n int) { c.KafkaMetricsPollingIntervalSecs = n }, AtLeast(1)),

		// Quotas
		kLong("quota.producer.default", "9223372036854775807", "Deprecated: default produce quota per client, bytes/s.", func(c *B, n int64) { c.QuotaProducerDefault = n }, AtLeast(1)),
		kLong("quota.consumer.default", "9223372036854775807", "Deprecated: default fetch quota per client, bytes/s.", func(c *B, n int64) { c.QuotaConsumerDefault = n }, AtLeast(1)),
		kInt("quota.window.num", "11", "Samples kept for client quotas.", func(c *B, n int) { c.QuotaWindowNum = n }, AtLeast(1)),
		kInt("replication.quota.window.num", "11", "Samples kept for replication quotas.", func(c *B, n int) { c.ReplicationQuotaWindowNum = n }, AtLeast(1)),
		kInt("alter.log.dirs.replication.quota.window.num", "11", "Samples kept for log dir move quotas.", func(c *B, n int) { c.AlterLogDirsReplicationQuotaWindowNum = n }, AtLeast(1)),
		kInt("controller.quota.window.num", "11", "Samples kept for controller mutation quotas.", func(c *B, n int) { c.ControllerQuotaWindowNum = n }, AtLeast(1)),
		kInt("quota.window.size.seconds", "1", "Sample window of client quotas.", func(c *B, n int) { c.QuotaWindowSizeSeconds = n }, AtLeast(1)),
		kInt("replication.quota.window.size.seconds", "1", "Sample window of replication quotas.", func(c *B, n int) { c.ReplicationQuotaWindowSizeSeconds = n }, AtLeast(1)),
		kInt("alter.log.dirs.replication.quota.window.size.seconds", "1", "Sample window of log dir move quotas.", func(c *B, n int) { c.AlterLogDirsReplicationQuotaWindowSizeSeconds = n }, AtLeast(1)),
		kInt("controller.quota.window.size.seconds", "1", "Sample window of controller mutation quotas.", func(c *B, n int) { c.ControllerQuotaWindowSizeSeconds = n }, AtLeast(1)),
		null(kClass("client.quota.callback.class", "", "Class deciding client quotas.", func(c *B, s string) { c.ClientQuotaCallbackClass = s })),

		// General security
		kLong("connections.max.reauth.ms", "0", "Longest time before a client must re-authenticate; 0 disables.", func(c *B, n int64) { c.ConnectionsMaxReauthMs = n }),
		kInt("sasl.server.max.receive.size", "524288", "Largest SASL packet before authentication.", func(c *B, n int) { c.SaslServerMaxReceiveSize = n }),
		null(kString[B]("security.providers", "", "Security provider creator classes.", nil)),
		null(kClass[B]("principal.builder.class", "", "Class building the KafkaPrincipal of a connection.", nil)),
		kString[B]("ssl.client.auth", "none", "Whether TLS clients must authenticate: required, requested or none.", nil, OneOf("required", "requested", "none")),
		kString[B]("ssl.principal.mapping.rules", "DEFAULT", "Rules mapping certificate names to principals.", nil),

		// SASL (broker side)
		kString[B]("sasl.mechanism.inter.broker.protocol", "GSSAPI", "SASL mechanism between brokers.", nil),
		kList[B]("sasl.enabled.mechanisms", "GSSAPI", "SASL mechanisms the broker accepts.", nil),
		null(kClass[B]("sasl.server.callback.handler.class", "", "SASL server callback handler class.", nil)),
		kList[B]("sasl.kerberos.principal.to.local.rules", "DEFAULT", "Rules mapping Kerberos principals to short names.", nil),

		// Delegation tokens
		kPassword[B]("delegation.token.master.key", "Deprecated alias of delegation.token.secret.key."),
		kPassword[B]("delegation.token.secret.key", "Secret for delegation tokens."),
		kLong[B]("delegation.token.max.lifetime.ms", "604800000", "Longest life of a delegation token.", nil, AtLeast(1)),
		kLong[B]("delegation.token.expiry.time.ms", "86400000", "Validity of a token before it must be renewed.", nil, AtLeast(1)),
		kLong[B]("delegation.token.expiry.check.interval.ms", "3600000", "How often expired tokens are removed.", nil, AtLeast(1)),

		// Password encoding of dynamic configs
		kPassword[B]("password.encoder.secret", "Secret encoding dynamically configured passwords."),
		kPassword[B]("password.encoder.old.secret", "Previous password encoder secret."),
		null(kString[B]("password.encoder.keyfactory.algorithm", "", "Key factory algorithm of the password encoder.", nil)),
		kString[B]("password.encoder.cipher.algorithm", "AES/CBC/PKCS5Padding", "Cipher of the password encoder.", nil),
		kInt[B]("password.encoder.key.length", "128", "Key length of the password encoder.", nil, AtLeast(8)),
		kInt[B]("password.encoder.iterations", "4096", "Iterations of the password encoder.", nil, AtLeast(1024)),
	}
	// Broker TLS keys: the client set without the client-only engine/PEM
	// differences (2.8 defines the same names for brokers).
	defs = append(defs, sslClientDefs[B]()...)
	defs = append(defs,
		kString[B]("sasl.kerberos.kinit.cmd", "/usr/bin/kinit", "Path of the kinit command.", nil),
		null(kString[B]("sasl.kerberos.service.name", "", "Kerberos principal name Kafka runs as.", nil)),
		kDouble[B]("sasl.kerberos.ticket.renew.window.factor", "0.8", "Fraction of a ticket's lifetime after which it is renewed.", nil),
		kDouble[B]("sasl.kerberos.ticket.renew.jitter", "0.05", "Random jitter added to the renewal time.", nil),
		kLong[B]("sasl.kerberos.min.time.before.relogin", "60000", "Minimum time between relogin attempts, in ms.", nil),
		kDouble[B]("sasl.login.refresh.window.factor", "0.8", "Fraction of a credential's lifetime after which it is refreshed.", nil),
		kDouble[B]("sasl.login.refresh.window.jitter", "0.05", "Random jitter added to the refresh time.", nil),
		kShort[B]("sasl.login.refresh.min.period.seconds", "60", "Minimum wait between credential refreshes, in seconds.", nil),
		kShort[B]("sasl.login.refresh.buffer.seconds", "300", "Time kept before credential expiry when refreshing, in seconds.", nil),
		kPassword[B]("sasl.jaas.config", "JAAS login context parameters."),
		null(kClass[B]("sasl.client.callback.handler.class", "", "SASL client callback handler class.", nil)),
		null(kClass[B]("sasl.login.callback.handler.class", "", "SASL login callback handler class.", nil)),
		null(kClass[B]("sasl.login.class", "", "Class implementing the SASL login.", nil)),
	)
	patterns := []patternDef[B]{
		// Per-listener overrides of TLS/SASL keys, and per-listener limits:
		// listener.name.<name>.<key>. Accepted as strings, not served.
		{Prefix: "listener.name.", Doc: "Per-listener setting: listener.name.<listener>.<key>.", Type: TypeString,
			Match: func(s string) bool { name, key, ok := strings.Cut(s, "."); return ok && name != "" && key != "" }},
	}
	return newRegistry("broker", defs, patterns, func(c *B) *Settings { return &c.Settings }, finishBroker)
}

// finishBroker derives the effective values and applies KafkaConfig's
// cross-key checks (validateValues), with Kafka's messages.
func finishBroker(c *Broker, ck *checker) {
	// process.roles
	seen := map[string]bool{}
	for _, r := range c.processRoles {
		if seen[r] {
			ck.invalid("process.roles", "Duplicate role names found in `process.roles`: "+strings.Join(c.processRoles, ", "))
			break
		}
		seen[r] = true
	}
	zkMode := len(c.processRoles) == 0
	if zkMode {
		if !ck.isSet("zookeeper.connect") || ck.value("zookeeper.connect").IsNull() {
			ck.fail("zookeeper.connect", &KafkaError{Msg: "Missing required configuration `zookeeper.connect` which has no default value.", Kind: ErrMissing})
		}
		if c.BrokerIDGenerationEnable {
			ck.require(c.BrokerID >= -1 && c.BrokerID <= c.ReservedBrokerMaxID, "broker.id",
				"broker.id must be greater than or equal to -1 and not greater than reserved.broker.max.id")
		} else {
			ck.require(c.BrokerID >= 0, "broker.id", "broker.id must be greater than or equal to 0")
		}
	} else if c.NodeID < 0 {
		ck.fail("node.id", &KafkaError{Msg: "Missing configuration `node.id` which is required when `process.roles` is defined (i.e. when running in KRaft mode).", Kind: ErrMissing})
	}

	// Effective values.
	if !ck.isSet("zookeeper.connection.timeout.ms") || ck.value("zookeeper.connection.timeout.ms").IsNull() {
		c.ZkConnectionTimeoutMs = c.ZkSessionTimeoutMs
	}
	dirsKey := "log.dirs"
	if v := ck.value("log.dirs"); !v.IsNull() {
		c.logDirs = csvList(v.Text())
	} else {
		dirsKey = "log.dir"
		c.logDirs = csvList(c.LogDir)
	}
	if ck.value("num.replica.alter.log.dirs.threads").IsNull() {
		c.NumReplicaAlterLogDirsThreads = len(c.logDirs)
	}
	const hourMs, minuteMs = int64(3600 * 1000), int64(60 * 1000)
	if ck.value("log.roll.ms").IsNull() {
		c.LogRollMs = hourMs * int64(c.LogRollHours)
	}
	if ck.value("log.roll.jitter.ms").IsNull() {
		c.LogRollJitterMs = hourMs * int64(c.LogRollJitterHours)
	}
	if ck.value("log.flush.interval.ms").IsNull() {
		c.LogFlushIntervalMs = c.LogFlushSchedulerIntervalMs
	}
	retentionKey := "log.retention.hours"
	switch ms, mins := ck.value("log.retention.ms"), ck.value("log.retention.minutes"); {
	case !ms.IsNull():
		retentionKey, c.LogRetentionMs = "log.retention.ms", ms.Int64()
	case !mins.IsNull():
		retentionKey, c.LogRetentionMs = "log.retention.minutes", minuteMs*mins.Int64()
	default:
		c.LogRetentionMs = hourMs * int64(c.LogRetentionHours)
	}
	if c.LogRetentionMs < 0 {
		c.LogRetentionMs = -1
	}

	rollKey := "log.roll.hours"
	if ck.isSet("log.roll.ms") {
		rollKey = "log.roll.ms"
	}
	ck.require(c.LogRollMs >= 1, rollKey, "log.roll.ms must be greater than or equal to 1")
	jitterKey := "log.roll.jitter.hours"
	if ck.isSet("log.roll.jitter.ms") {
		jitterKey = "log.roll.jitter.ms"
	}
	ck.require(c.LogRollJitterMs >= 0, jitterKey, "log.roll.jitter.ms must be greater than or equal to 0")
	ck.require(c.LogRetentionMs >= 1 || c.LogRetentionMs == -1, retentionKey, "log.retention.ms must be unlimited (-1) or, greater than or equal to 1")
	ck.require(len(c.logDirs) > 0, dirsKey, "At least one log directory must be defined via log.dirs or log.dir.")
	if c.LogCleanerThreads > 0 {
		ck.require(c.LogCleanerDedupeBufferSize/int64(c.LogCleanerThreads) > 1024*1024, "log.cleaner.dedupe.buffer.size",
			"log.cleaner.dedupe.buffer.size must be at least 1MB per cleaner thread.")
	}
	ck.require(c.ReplicaFetchWaitMaxMs <= c.ReplicaSocketTimeoutMs, "replica.fetch.wait.max.ms",
		"replica.socket.timeout.ms should always be at least replica.fetch.wait.max.ms to prevent unnecessary socket timeouts")
	ck.require(int64(c.ReplicaFetchWaitMaxMs) <= c.ReplicaLagTimeMaxMs, "replica.fetch.wait.max.ms",
		"replica.fetch.wait.max.ms should always be less than or equal to replica.lag.time.max.ms to prevent frequent changes in ISR")
	ck.require(c.OffsetsCommitRequiredAcks >= -1 && c.OffsetsCommitRequiredAcks <= c.OffsetsTopicReplicationFactor, "offsets.commit.required.acks",
		"offsets.commit.required.acks must be greater or equal -1 and less or equal to offsets.topic.replication.factor")
	ck.require(slices.Contains(brokerCompressionTypes(), strings.ToLower(c.CompressionType)), "compression.type",
		"compression.type : "+c.CompressionType+" is not valid. Valid options are "+strings.Join(brokerCompressionTypes(), ","))

	finishListeners(c, ck)

	if _, rec, ok := LookupAPIVersion(c.LogMessageFormatVersion); ok {
		if _, ibpRec, ok := LookupAPIVersion(c.InterBrokerProtocolVersion); ok && ibpRec < rec {
			ck.require(false, "log.message.format.version", "log.message.format.version "+c.LogMessageFormatVersion+
				" can only be used when inter.broker.protocol.version is set to version "+minVersionForRecord(rec)+" or higher")
		}
	}
	ck.require(c.QueuedMaxRequestBytes <= 0 || c.QueuedMaxRequestBytes >= int64(c.SocketRequestMaxBytes), "queued.max.request.bytes",
		"queued.max.request.bytes must be larger or equal to socket.request.max.bytes")
	if c.MaxConnectionsPerIP == 0 {
		ck.require(c.MaxConnectionsPerIPOverrides != "", "max.connections.per.ip",
			"max.connections.per.ip can be set to zero only if max.connections.per.ip.overrides property is set.")
	}
	if c.ConnectionsMaxIdleMs >= 0 {
		ck.require(int64(c.FailedAuthenticationDelayMs) < c.ConnectionsMaxIdleMs, "connection.failed.authentication.delay.ms",
			"connection.failed.authentication.delay.ms="+strconv.Itoa(c.FailedAuthenticationDelayMs)+
				" should always be less than connections.max.idle.ms="+strconv.FormatInt(c.ConnectionsMaxIdleMs, 10)+
				" to prevent failed authentication responses from timing out")
	}
}

// finishListeners resolves listeners, advertised listeners and the
// inter-broker listener, with KafkaConfig's checks.
func finishListeners(c *Broker, ck *checker) {
	// listener.security.protocol.map (CoreUtils.parseCsvMap)
	mapText := ck.value("listener.security.protocol.map").Text()
	c.protocolMap = map[string]string{}
	mapOK := true
	if mapText != "" {
		for _, item := range javaSplit(mapText) {
			i := strings.LastIndex(item, ":")
			if i < 0 {
				ck.invalid("listener.security.protocol.map", "Error parsing configuration property 'listener.security.protocol.map': begin 0, end -1, length "+strconv.Itoa(len(item)))
				mapOK = false
				break
			}
			name, proto := javaTrim(item[:i]), javaTrim(item[i+1:])
			p := strings.ToUpper(proto)
			if !slices.Contains(securityProtocols(), p) {
				ck.invalid("listener.security.protocol.map", "Invalid security protocol `"+proto+"` defined in listener.security.protocol.map")
				mapOK = false
				break
			}
			c.protocolMap[strings.ToUpper(name)] = p
		}
	}
	if !mapOK {
		return
	}

	var err error
	listenersKey := "listeners"
	if v := ck.value("listeners"); !v.IsNull() {
		c.listeners, err = ParseListeners(v.Text(), c.protocolMap)
	} else {
		listenersKey = "port"
		c.listeners, err = ParseListeners("PLAINTEXT://"+c.HostName+":"+strconv.Itoa(c.Port), c.protocolMap)
	}
	if err != nil {
		ck.fail(listenersKey, err)
		return
	}
	if !validateEndpoints(ck, listenersKey, c.listeners, ck.value(listenersKey).Text(), true) {
		return
	}

	var controllerNames []string
	if v := ck.value("controller.listener.names"); !v.IsNull() {
		controllerNames = strings.Split(v.Text(), ",")
	}
	advKey := "advertised.listeners"
	switch {
	case !ck.value("advertised.listeners").IsNull():
		c.advertised, err = ParseListeners(ck.value("advertised.listeners").Text(), c.protocolMap)
	case ck.isSet("advertised.host.name") || ck.isSet("advertised.port"):
		host, port := c.HostName, c.Port
		if !ck.value("advertised.host.name").IsNull() {
			host = c.AdvertisedHostName
		}
		if !ck.value("advertised.port").IsNull() {
			port = c.AdvertisedPort
		}
		advKey = "advertised.host.name"
		c.advertised, err = ParseListeners("PLAINTEXT://"+host+":"+strconv.Itoa(port), c.protocolMap)
	default:
		advKey = listenersKey
		for _, l := range c.listeners {
			if !slices.Contains(controllerNames, l.Listener) {
				c.advertised = append(c.advertised, l)
			}
		}
	}
	if err != nil {
		ck.fail(advKey, err)
		return
	}
	validateEndpoints(ck, advKey, c.advertised, ck.value(advKey).Text(), false)
	if c.AdvertisedHostName == "" && !ck.isSet("advertised.host.name") {
		c.AdvertisedHostName = c.HostName
	}
	if !ck.isSet("advertised.port") {
		c.AdvertisedPort = c.Port
	}

	// Inter-broker listener.
	ibl := ck.value("inter.broker.listener.name")
	switch {
	case !ibl.IsNull() && ck.isSet("security.inter.broker.protocol"):
		ck.invalid("inter.broker.listener.name", "Only one of inter.broker.listener.name and security.inter.broker.protocol should be set.")
		return
	case !ibl.IsNull():
		name := strings.ToUpper(ibl.Text())
		if _, ok := c.protocolMap[name]; !ok {
			ck.invalid("inter.broker.listener.name", "Listener with name "+name+" defined in inter.broker.listener.name not found in listener.security.protocol.map.")
			return
		}
		c.InterBrokerListenerName = name
	default:
		p := strings.ToUpper(c.SecurityInterBrokerProtocol)
		if !slices.Contains(securityProtocols(), p) {
			ck.invalid("security.inter.broker.protocol", "Invalid security protocol `"+c.SecurityInterBrokerProtocol+"` defined in security.inter.broker.protocol")
			return
		}
		c.InterBrokerListenerName = p
	}

	names := func(eps []Endpoint) []string {
		var out []string
		for _, e := range eps {
			if !slices.Contains(out, e.Listener) {
				out = append(out, e.Listener)
			}
		}
		return out
	}
	advNames, lisNames := names(c.advertised), names(c.listeners)
	isBroker := len(c.processRoles) == 0 || slices.Contains(c.processRoles, "broker")
	if isBroker {
		iblKey := "inter.broker.listener.name"
		for _, k := range []string{"inter.broker.listener.name", "advertised.listeners", "listeners", "security.inter.broker.protocol"} {
			if ck.isSet(k) {
				iblKey = k
				break
			}
		}
		ck.require(slices.Contains(advNames, c.InterBrokerListenerName), iblKey,
			"inter.broker.listener.name must be a listener name defined in advertised.listeners. The valid options based on currently configured listeners are "+strings.Join(advNames, ","))
		subset := true
		for _, n := range advNames {
			subset = subset && slices.Contains(lisNames, n)
		}
		ck.require(subset, "advertised.listeners",
			"advertised.listeners listener names must be equal to or a subset of the ones defined in listeners. Found "+strings.Join(advNames, ",")+
				". The valid options based on the current configuration are "+strings.Join(lisNames, ","))
	}
	for _, e := range c.advertised {
		if e.Host == "0.0.0.0" {
			ck.require(false, advKey, "advertised.listeners cannot use the nonroutable meta-address 0.0.0.0. Use a routable IP address.")
			break
		}
	}
	for _, e := range c.advertised {
		if slices.Contains(controllerNames, e.Listener) && ck.isSet("advertised.listeners") {
			ck.require(false, "advertised.listeners", "advertised.listeners cannot contain any of controller.listener.names")
			break
		}
	}
	if c.ControlPlaneListenerName != "" {
		cp := strings.ToUpper(c.ControlPlaneListenerName)
		if _, ok := c.protocolMap[cp]; !ok {
			ck.invalid("control.plane.listener.name", "Listener with "+cp+" defined in control.plane.listener.name not found in listener.security.protocol.map.")
			return
		}
		ck.require(slices.Contains(advNames, cp), "control.plane.listener.name",
			"control.plane.listener.name must be a listener name defined in advertised.listeners. The valid options based on currently configured listeners are "+strings.Join(advNames, ","))
		ck.require(cp != c.InterBrokerListenerName, "control.plane.listener.name",
			"control.plane.listener.name, when defined, should have a different value from the inter broker listener name. Currently they both have the value "+cp)
	}
}

// validateEndpoints is CoreUtils.listenerListToEndPoints' validate.
func validateEndpoints(ck *checker, key string, eps []Endpoint, text string, distinctPorts bool) bool {
	var names []string
	var ports []int
	ok := true
	for _, e := range eps {
		if slices.Contains(names, e.Listener) {
			ck.require(false, key, "Each listener must have a different name, listeners: "+text)
			ok = false
			break
		}
		names = append(names, e.Listener)
	}
	if distinctPorts {
		for _, e := range eps {
			if e.Port == 0 {
				continue
			}
			if slices.Contains(ports, e.Port) {
				ck.require(false, key, "Each listener must have a different port, listeners: "+text)
				ok = false
				break
			}
			ports = append(ports, e.Port)
		}
	}
	return ok
}

// javaSplit is Java's String.split("\\s*,\\s*"): trailing empty items are
// dropped.
func javaSplit(s string) []string {
	parts := splitCommaList(s)
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

// LoadBroker loads a broker config: defaults, then the file at path
// (server.properties, or TOML when it ends in .toml), then overrides
// ("k=v" as given to kafka-server-start --override, placed as
// "--override:N" in messages). See Registry.Load.
func LoadBroker(path string, overrides []string) (Broker, []Warning, error) {
	return BrokerRegistry().Load(path, overrides)
}

// DefaultBroker returns Kafka 2.8's built-in broker defaults (with no
// zookeeper.connect).
func DefaultBroker() Broker { return BrokerRegistry().Defaults() }
