package config

import (
	"slices"
	"strconv"
	"strings"
)

// ZooKeeper is the configuration of the coordination server
// (config/zookeeper.properties, ZooKeeper's zoo.cfg), typed. Keys are those
// ZooKeeper's QuorumPeerConfig reads, plus the ones ZooKeeper takes as
// "zookeeper.<key>" system properties from the file (snapCount,
// admin.enableServer, 4lw.commands.whitelist, ...).
//
// Type errors use Kafka's ConfigDef texts ("Invalid value x for
// configuration tickTime: Not a number of type INT"); booleans must be
// true or false (ZooKeeper itself reads anything else as false). Cross-key
// checks use ZooKeeper's texts ("dataDir is not set", ...).
type ZooKeeper struct {
	Settings

	DataDir                       string
	DataLogDir                    string // effective: dataLogDir, else dataDir
	ClientPort                    int    // 0: not set
	ClientPortAddress             string // "": every interface
	SecureClientPort              int
	SecureClientPortAddress       string
	ClientPortListenBacklog       int
	TickTime                      int
	InitLimit                     int
	SyncLimit                     int
	ConnectToLearnerMasterLimit   int
	MaxClientCnxns                int // per client address; 0 means no limit
	MinSessionTimeout             int // effective: minSessionTimeout, else 2 × tickTime
	MaxSessionTimeout             int // effective: maxSessionTimeout, else 20 × tickTime
	ElectionAlg                   int
	QuorumListenOnAllIPs          bool
	PeerType                      string
	SyncEnabled                   bool
	DynamicConfigFile             string
	SnapRetainCount               int // effective: at least 3
	PurgeInterval                 int // hours; 0 disables purging
	StandaloneEnabled             bool
	ReconfigEnabled               bool
	LocalSessionsEnabled          bool
	LocalSessionsUpgradingEnabled bool
	SSLQuorum                     bool
	PortUnification               bool
	QuorumCnxnThreadsSize         int
	ObserverMasterPort            int
	MetricsProviderClassName      string

	// Keys ZooKeeper reads as zookeeper.<key> system properties.
	SnapCount               int
	PreAllocSizeKB          int64
	ForceSync               bool // forceSync=no disables fsync; any other value keeps it
	AdminEnableServer       bool
	AdminServerAddress      string
	AdminServerPort         int
	AdminCommandURL         string
	AdminIdleTimeout        int
	GlobalOutstandingLimit  int
	JuteMaxBuffer           int
	SkipACL                 bool // skipACL=yes skips ACL checks
	MaxBatchSize            int
	SessionlessCnxnTimeout  int
	ExtendedTypesEnabled    bool
	FsyncWarningThresholdMs int64
	CommitLogCount          int
	SnapSizeLimitInKb       int64
	TxnLogSizeLimitInKb     int64
	SuperDigest             string // DigestAuthenticationProvider.superDigest: "super:<base64 sha1>"

	fourLetterWords []string
	servers         []QuorumServer
	authProviders   map[string]string
}

// FourLetterWords returns 4lw.commands.whitelist ("*" means all; srvr is
// always allowed).
func (z ZooKeeper) FourLetterWords() []string { return slices.Clone(z.fourLetterWords) }

// FourLetterWordAllowed reports whether a four-letter command may run.
func (z ZooKeeper) FourLetterWordAllowed(cmd string) bool {
	return cmd == "srvr" || slices.Contains(z.fourLetterWords, "*") || slices.Contains(z.fourLetterWords, cmd)
}

// Servers returns the server.N lines, sorted by id (none: standalone).
func (z ZooKeeper) Servers() []QuorumServer { return slices.Clone(z.servers) }

// Distributed reports a quorum configuration (ZooKeeper's isDistributed):
// more than one voting server, or standaloneEnabled=false.
func (z ZooKeeper) Distributed() bool {
	voters := 0
	for _, s := range z.servers {
		if s.Type != "observer" {
			voters++
		}
	}
	return !z.StandaloneEnabled || voters > 1
}

// QuorumServer is one server.N line:
// server.<id>=<host>:<quorumPort>:<electionPort>[:<role>][;[<clientHost>:]<clientPort>].
type QuorumServer struct {
	ID           int64
	Host         string
	QuorumPort   int
	ElectionPort int
	Type         string // participant or observer
	ClientHost   string // "" when no client part
	ClientPort   int    // 0 when no client part
}

const zkWrongFormat = " does not have the form server_config or server_config;client_config where server_config is host:port:port or host:port:port:type and client_config is port or host:port"

// zkHostAndPort splits "host:port[:...]" allowing a bracketed IPv6 host.
func zkHostAndPort(s string) []string {
	if strings.HasPrefix(s, "[") {
		i := strings.Index(s, "]")
		if i < 0 {
			return []string{s}
		}
		rest := s[i+1:]
		parts := []string{s[1:i]}
		if rest == "" {
			return parts
		}
		if !strings.HasPrefix(rest, ":") {
			return []string{s}
		}
		return append(parts, strings.Split(rest[1:], ":")...)
	}
	return strings.Split(s, ":")
}

// ParseQuorumServer parses the value of a server.N line as ZooKeeper's
// QuorumServer does, with its error texts.
func ParseQuorumServer(id int64, s string) (QuorumServer, error) {
	bad := func(msg string) (QuorumServer, error) {
		return QuorumServer{}, &KafkaError{Msg: msg, Kind: ErrInvalidValue}
	}
	serverClient := strings.Split(s, ";")
	serverParts := zkHostAndPort(serverClient[0])
	if len(serverClient) > 2 || len(serverParts) < 3 || len(serverParts) > 4 {
		return bad(s + zkWrongFormat)
	}
	q := QuorumServer{ID: id, Host: serverParts[0], Type: "participant"}
	if len(serverClient) == 2 {
		clientParts := zkHostAndPort(serverClient[1])
		if len(clientParts) > 2 {
			return bad(s + zkWrongFormat)
		}
		q.ClientHost = "0.0.0.0"
		if len(clientParts) == 2 {
			q.ClientHost = clientParts[0]
		}
		p, ok := parseJavaInt(clientParts[len(clientParts)-1], 32)
		if !ok {
			return bad("Address unresolved: " + q.ClientHost + ":" + clientParts[len(clientParts)-1])
		}
		q.ClientPort = int(p)
	}
	p, ok := parseJavaInt(serverParts[1], 32)
	if !ok {
		return bad("Address unresolved: " + serverParts[0] + ":" + serverParts[1])
	}
	q.QuorumPort = int(p)
	p, ok = parseJavaInt(serverParts[2], 32)
	if !ok {
		return bad("Address unresolved: " + serverParts[0] + ":" + serverParts[2])
	}
	q.ElectionPort = int(p)
	if q.QuorumPort == q.ElectionPort {
		return bad("Client and election port must be different! Please update the configuration file on server." + strconv.FormatInt(id, 10))
	}
	if len(serverParts) == 4 {
		switch strings.ToLower(serverParts[3]) {
		case "observer", "participant":
			q.Type = strings.ToLower(serverParts[3])
		default:
			return bad("Unrecognised peertype: " + serverParts[3])
		}
	}
	return q, nil
}

// ZooKeeperRegistry returns the registry of zookeeper.properties keys.
func ZooKeeperRegistry() *Registry[ZooKeeper] {
	type Z = ZooKeeper
	defs := []Def[Z]{
		null(kString("dataDir", "", "Directory of snapshots (and of the transaction log unless dataLogDir is set); required.", func(c *Z, s string) { c.DataDir = s })),
		null(kString("dataLogDir", "", "Directory of the transaction log; unset means dataDir.", func(c *Z, s string) { c.DataLogDir = s })),
		kInt("clientPort", "0", "Port clients connect to; 0 means not set.", func(c *Z, n int) { c.ClientPort = n }),
		null(kString("clientPortAddress", "", "Address to bind the client port to; unset means every interface.", func(c *Z, s string) { c.ClientPortAddress = s })),
		kInt("secureClientPort", "0", "TLS port for clients; 0 means not set.", func(c *Z, n int) { c.SecureClientPort = n }),
		null(kString("secureClientPortAddress", "", "Address to bind the TLS client port to.", func(c *Z, s string) { c.SecureClientPortAddress = s })),
		kInt("clientPortListenBacklog", "-1", "Listen backlog of the client port; -1 uses the OS default.", func(c *Z, n int) { c.ClientPortListenBacklog = n }),
		kInt("tickTime", "3000", "Basic time unit in ms; session timeouts default to 2 and 20 ticks.", func(c *Z, n int) { c.TickTime = n }),
		kInt("initLimit", "0", "Ticks a follower may take to connect and sync to a leader; required with a quorum.", func(c *Z, n int) { c.InitLimit = n }),
		kInt("syncLimit", "0", "Ticks a follower may lag the leader; required with a quorum.", func(c *Z, n int) { c.SyncLimit = n }),
		kInt("connectToLearnerMasterLimit", "0", "Ticks a follower may take to connect to the leader after an election.", func(c *Z, n int) { c.ConnectToLearnerMasterLimit = n }),
		kInt("maxClientCnxns", "60", "Connections allowed from one client address; 0 means no limit.", func(c *Z, n int) { c.MaxClientCnxns = n }),
		kInt("minSessionTimeout", "-1", "Smallest session timeout granted, in ms; -1 means 2 × tickTime.", func(c *Z, n int) { c.MinSessionTimeout = n }),
		kInt("maxSessionTimeout", "-1", "Largest session timeout granted, in ms; -1 means 20 × tickTime.", func(c *Z, n int) { c.MaxSessionTimeout = n }),
		kInt("electionAlg", "3", "Leader election algorithm; only 3 is supported.", func(c *Z, n int) { c.ElectionAlg = n }),
		kBool("quorumListenOnAllIPs", "false", "Bind quorum ports on every interface.", func(c *Z, v bool) { c.QuorumListenOnAllIPs = v }),
		kString("peerType", "participant", "participant or observer.", func(c *Z, s string) { c.PeerType = strings.ToLower(s) },
			Custom("[participant, observer]", func(v Value) error {
				if l := strings.ToLower(v.Text()); l != "participant" && l != "observer" {
					return &KafkaError{Msg: "Unrecognised peertype: " + v.Text(), Kind: ErrInvalidValue}
				}
				return nil
			})),
		kBool("syncEnabled", "true", "Observers keep a transaction log and snapshots.", func(c *Z, v bool) { c.SyncEnabled = v }),
		null(kString("dynamicConfigFile", "", "File holding the dynamic (server.N) part of the configuration.", func(c *Z, s string) { c.DynamicConfigFile = s })),
		kInt("autopurge.snapRetainCount", "3", "Snapshots kept by the purge task; at least 3.", func(c *Z, n int) { c.SnapRetainCount = n }),
		kInt("autopurge.purgeInterval", "0", "Hours between purges of old snapshots and logs; 0 disables purging.", func(c *Z, n int) { c.PurgeInterval = n }),
		kBool("standaloneEnabled", "true", "A configuration with one server runs standalone.", func(c *Z, v bool) { c.StandaloneEnabled = v }),
		kBool("reconfigEnabled", "false", "Allow dynamic reconfiguration.", func(c *Z, v bool) { c.ReconfigEnabled = v }),
		kBool("localSessionsEnabled", "false", "Allow local (non-replicated) sessions.", func(c *Z, v bool) { c.LocalSessionsEnabled = v }),
		kBool("localSessionsUpgradingEnabled", "false", "Upgrade local sessions to global ones when they create ephemerals.", func(c *Z, v bool) { c.LocalSessionsUpgradingEnabled = v }),
		kBool("sslQuorum", "false", "Use TLS between quorum members.", func(c *Z, v bool) { c.SSLQuorum = v }),
		kBool("portUnification", "false", "Accept TLS and plain connections on the same port.", func(c *Z, v bool) { c.PortUnification = v }),
		kBool[Z]("sslQuorumReloadCertFiles", "false", "Reload quorum TLS certificates when they change.", nil),
		kBool[Z]("quorum.auth.enableSasl", "false", "SASL between quorum members.", nil),
		kBool[Z]("quorum.auth.learnerRequireSasl", "false", "Learners must authenticate with SASL.", nil),
		kBool[Z]("quorum.auth.serverRequireSasl", "false", "Servers require SASL from learners.", nil),
		kString[Z]("quorum.auth.learner.saslLoginContext", "QuorumLearner", "JAAS section of the learner.", nil),
		kString[Z]("quorum.auth.server.saslLoginContext", "QuorumServer", "JAAS section of the server.", nil),
		kString[Z]("quorum.auth.kerberos.servicePrincipal", "zkquorum/localhost", "Kerberos principal of quorum servers.", nil),
		kInt("quorum.cnxn.threads.size", "20", "Threads for quorum connection setup.", func(c *Z, n int) { c.QuorumCnxnThreadsSize = n }),
		kInt("observerMasterPort", "0", "Port followers serve observers on; 0 means not set.", func(c *Z, n int) { c.ObserverMasterPort = n }),
		null(kString("metricsProvider.className", "", "Metrics provider class.", func(c *Z, s string) { c.MetricsProviderClassName = s })),
		kBool[Z]("multiAddress.enabled", "false", "Allow several addresses per quorum member.", nil),
		kInt[Z]("version", "0", "Version of the dynamic configuration (written by ZooKeeper).", nil),

		// zookeeper.<key> system properties
		kInt("snapCount", "100000", "Transactions between snapshots (randomised by up to half).", func(c *Z, n int) { c.SnapCount = n }, AtLeast(2)),
		kLong("preAllocSize", "65536", "Transaction log preallocation block, in KB.", func(c *Z, n int64) { c.PreAllocSizeKB = n }),
		kString("forceSync", "yes", "\"no\" skips fsync of the transaction log (unsafe).", func(c *Z, s string) { c.ForceSync = s != "no" }),
		kList("4lw.commands.whitelist", "srvr", "Four-letter commands allowed, comma-separated; * allows all; srvr is always allowed.", func(c *Z, l []string) { c.fourLetterWords = l }),
		kBool("admin.enableServer", "true", "Run the HTTP AdminServer.", func(c *Z, v bool) { c.AdminEnableServer = v }),
		kString("admin.serverAddress", "0.0.0.0", "AdminServer address.", func(c *Z, s string) { c.AdminServerAddress = s }),
		kInt("admin.serverPort", "8080", "AdminServer port.", func(c *Z, n int) { c.AdminServerPort = n }),
		kString("admin.commandURL", "/commands", "URL path of AdminServer commands.", func(c *Z, s string) { c.AdminCommandURL = s }),
		kInt("admin.idleTimeout", "30000", "AdminServer connection idle timeout, in ms.", func(c *Z, n int) { c.AdminIdleTimeout = n }),
		kInt("globalOutstandingLimit", "1000", "Queued requests before the server throttles clients.", func(c *Z, n int) { c.GlobalOutstandingLimit = n }),
		kInt("jute.maxbuffer", "1048575", "Largest znode payload and request, in bytes.", func(c *Z, n int) { c.JuteMaxBuffer = n }),
		kString("skipACL", "no", "\"yes\" skips every ACL check.", func(c *Z, s string) { c.SkipACL = s == "yes" }),
		kInt("maxBatchSize", "1000", "Transactions per group-commit flush.", func(c *Z, n int) { c.MaxBatchSize = n }),
		kInt("nio.sessionlessCnxnTimeout", "10000", "Time a connection may stay without a session, in ms.", func(c *Z, n int) { c.SessionlessCnxnTimeout = n }),
		null(kInt[Z]("nio.numSelectorThreads", "", "NIO selector threads.", nil)),
		null(kInt[Z]("nio.numWorkerThreads", "", "NIO worker threads.", nil)),
		kInt[Z]("nio.directBufferBytes", "65536", "Direct buffer per worker thread.", nil),
		kInt[Z]("nio.shutdownTimeout", "5000", "Wait for worker threads at shutdown, in ms.", nil),
		kBool("extendedTypesEnabled", "false", "Enable TTL nodes.", func(c *Z, v bool) { c.ExtendedTypesEnabled = v }),
		kLong("fsync.warningthresholdms", "1000", "Log a warning when an fsync takes longer, in ms.", func(c *Z, n int64) { c.FsyncWarningThresholdMs = n }),
		kInt("commitLogCount", "500", "Committed proposals kept in memory.", func(c *Z, n int) { c.CommitLogCount = n }),
		kLong("snapSizeLimitInKb", "4194304", "Snapshot size that triggers syncing by snapshot.", func(c *Z, n int64) { c.SnapSizeLimitInKb = n }),
		kLong("txnLogSizeLimitInKb", "-1", "Transaction log size that forces a roll; -1 means no limit.", func(c *Z, n int64) { c.TxnLogSizeLimitInKb = n }),
		null(kString("zookeeper.DigestAuthenticationProvider.superDigest", "", "Same as DigestAuthenticationProvider.superDigest (the system property's name).", func(c *Z, s string) { c.SuperDigest = s })),
		null(kString("DigestAuthenticationProvider.superDigest", "", "super:<base64 SHA-1 of super:password>; a client authenticating with it is super user.", func(c *Z, s string) { c.SuperDigest = s })),
		null(kString[Z]("serverCnxnFactory", "", "Connection factory class.", nil)),
		kBool[Z]("readonlymode.enabled", "false", "Serve reads while out of quorum.", nil),
		kInt[Z]("electionPortBindRetry", "3", "Attempts to bind the election port.", nil),
		null(kString[Z]("requireClientAuthScheme", "", "Authentication scheme clients must use.", nil)),
		kBool[Z]("sessionRequireClientSASLAuth", "false", "Clients must authenticate with SASL.", nil),
		kBool[Z]("audit.enable", "false", "Write the audit log.", nil),
		kBool[Z]("digest.enabled", "true", "Keep a digest of the data tree.", nil),
		kBool[Z]("serializeLastProcessedZxid.enabled", "true", "Write the last processed zxid into snapshots.", nil),
		kInt[Z]("snapshot.trust.empty", "0", "Trust an empty snapshot directory with existing logs.", nil),
	}
	isID := func(s string) bool { _, ok := parseJavaInt(s, 64); return ok }
	patterns := []patternDef[Z]{
		{Prefix: "server.", Type: TypeString, Doc: "server.<id>=<host>:<quorumPort>:<electionPort>[:<role>][;[<clientHost>:]<clientPort>]",
			Set: func(c *Z, suffix string, v Value, ck *checker) {
				key := "server." + suffix
				id, ok := parseJavaInt(suffix, 64)
				if !ok {
					ck.invalid(key, "For input string: \""+suffix+"\"")
					return
				}
				q, err := ParseQuorumServer(id, v.Text())
				if err != nil {
					ck.fail(key, err)
					return
				}
				c.servers = append(c.servers, q)
			}},
		{Prefix: "group.", Type: TypeString, Doc: "Hierarchical quorum group.", Match: isID},
		{Prefix: "weight.", Type: TypeString, Doc: "Hierarchical quorum weight.", Match: isID},
		{Prefix: "authProvider.", Type: TypeString, Doc: "Authentication provider class.",
			Set: func(c *Z, suffix string, v Value, ck *checker) {
				if c.authProviders == nil {
					c.authProviders = map[string]string{}
				}
				c.authProviders[suffix] = v.Text()
			}},
		{Prefix: "ssl.", Type: TypeString, Doc: "TLS settings (ssl.*, ssl.quorum.*)."},
	}
	return newRegistry("zookeeper", defs, patterns, func(c *Z) *Settings { return &c.Settings }, finishZooKeeper)
}

func finishZooKeeper(c *ZooKeeper, ck *checker) {
	slices.SortFunc(c.servers, func(a, b QuorumServer) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	if ck.isSet("dynamicConfigFile") {
		for k := range ck.set {
			if strings.HasPrefix(k, "server.") || strings.HasPrefix(k, "group") || strings.HasPrefix(k, "weight") {
				ck.invalid(k, "parameter: "+k+" must be in a separate dynamic config file")
			}
		}
	}
	qs := func(k string) bool { return ck.value(k).Bool() }
	if !qs("quorum.auth.enableSasl") && qs("quorum.auth.serverRequireSasl") {
		ck.invalid("quorum.auth.serverRequireSasl", "quorum.auth.enableSasl is disabled, so cannot enable quorum.auth.serverRequireSasl")
	}
	if !qs("quorum.auth.enableSasl") && qs("quorum.auth.learnerRequireSasl") {
		ck.invalid("quorum.auth.learnerRequireSasl", "quorum.auth.enableSasl is disabled, so cannot enable quorum.auth.learnerRequireSasl")
	}
	if !qs("quorum.auth.learnerRequireSasl") && qs("quorum.auth.serverRequireSasl") {
		ck.invalid("quorum.auth.serverRequireSasl", "quorum.auth.learnerRequireSasl is disabled, so cannot enable quorum.auth.serverRequireSasl")
	}
	if c.SnapRetainCount < 3 {
		ck.warn("autopurge.snapRetainCount", "Invalid autopurge.snapRetainCount: "+strconv.Itoa(c.SnapRetainCount)+". Defaulting to 3")
		c.SnapRetainCount = 3
	}
	if c.DataDir == "" && ck.value("dataDir").IsNull() {
		ck.fail("dataDir", &KafkaError{Msg: "dataDir is not set", Kind: ErrMissing})
	}
	if ck.value("dataLogDir").IsNull() {
		c.DataLogDir = c.DataDir
	}
	if c.ClientPort == 0 && !ck.value("clientPortAddress").IsNull() {
		ck.invalid("clientPortAddress", "clientPortAddress is set but clientPort is not set")
	}
	if c.SecureClientPort == 0 && !ck.value("secureClientPortAddress").IsNull() {
		ck.invalid("secureClientPortAddress", "secureClientPortAddress is set but secureClientPort is not set")
	}
	if c.TickTime == 0 {
		ck.fail("tickTime", &KafkaError{Msg: "tickTime is not set", Kind: ErrMissing})
	}
	if c.MinSessionTimeout == -1 {
		c.MinSessionTimeout = 2 * c.TickTime
	}
	if c.MaxSessionTimeout == -1 {
		c.MaxSessionTimeout = 20 * c.TickTime
	}
	if c.MinSessionTimeout > c.MaxSessionTimeout {
		key := "minSessionTimeout"
		if !ck.isSet(key) {
			key = "maxSessionTimeout"
		}
		ck.invalid(key, "minSessionTimeout must not be larger than maxSessionTimeout")
	}

	voters, observers := 0, 0
	for _, s := range c.servers {
		if s.Type == "observer" {
			observers++
		} else {
			voters++
		}
	}
	switch {
	case voters == 0 && !c.StandaloneEnabled:
		ck.invalid("standaloneEnabled", "standaloneEnabled = false then number of participants should be >0")
	case voters == 0 && observers > 0:
		ck.invalid("server.", "Observers w/o participants is an invalid configuration")
	case voters == 1 && c.StandaloneEnabled && observers > 0:
		ck.invalid("server.", "Observers w/o quorum is an invalid configuration")
	}
	if c.Distributed() && len(c.servers) > 0 {
		if c.InitLimit == 0 {
			ck.fail("initLimit", &KafkaError{Msg: "initLimit is not set", Kind: ErrMissing})
		}
		if c.SyncLimit == 0 {
			ck.fail("syncLimit", &KafkaError{Msg: "syncLimit is not set", Kind: ErrMissing})
		}
	}
}

// LoadZooKeeper loads a ZooKeeper config: defaults, the file at path, then
// overrides ("k=v", placed as "--override:N"). See Registry.Load.
func LoadZooKeeper(path string, overrides []string) (ZooKeeper, []Warning, error) {
	return ZooKeeperRegistry().Load(path, overrides)
}

// DefaultZooKeeper returns ZooKeeper's built-in defaults (no dataDir).
func DefaultZooKeeper() ZooKeeper { return ZooKeeperRegistry().Defaults() }
