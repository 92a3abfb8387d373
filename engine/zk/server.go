package zk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kafkago/kafka/config"
	"github.com/kafkago/kafka/wire"
)

// # The server
//
// Server serves ZooKeeper's client protocol on TCP, standalone, around one
// Tree. Its goroutines:
//
//	accept loop ── conn reader ×N ──▶ in ──▶ owner ──▶ syncer (TxnLog Append + Sync)
//	                                          │  ◀── durable ──┘
//	                                          └──▶ conn writer ×N (replies, events)
//
// The owner goroutine is the only one that touches the tree, the session
// tracker and the commit queue. For each request, in arrival order, it:
//
//   - preps a write into a txn (zxid assigned, ZooKeeper's checks, failed
//     writes become error txns that still take their zxid), appends it to the
//     batch waiting for the syncer and to the commit queue;
//   - answers a read (and ping, auth, setWatches, addWatch, ...) at once when
//     its connection has nothing in the commit queue, else queues it behind
//     that connection's writes, so replies leave each connection in request
//     order and a read sees its connection's earlier writes
//     (FinalRequestProcessor's ordering); sync waits for everything queued.
//
// The syncer appends a batch to the TxnLog and calls Sync once for it (group
// commit: whatever arrived during the previous fsync goes in the next one,
// up to maxBatchSize). When a batch is durable the owner pops the commit
// queue in order: applies each write to the tree, delivers the watch events
// it fired, then its reply; answers the reads queued behind it. Events and
// replies therefore leave in zxid order, after the change is durable.
//
// Sessions live in a ZooKeeper-style expiry queue (tickTime buckets); an
// expired session becomes a closeSession txn like a client's. A timer reaps
// containers and TTL nodes with deleteContainer txns; every ~snapCount txns
// the owner copies the tree into a snapshot that a background goroutine
// saves while the log rolls to a new file.

// LogKeyLogger is the slog attribute naming the ZooKeeper (Java) class a log
// line would come from ("org.apache.zookeeper.server.ZooKeeperServer"), so a
// handler can print lines that read like ZooKeeper's: "<msg> (<logger>)".
const LogKeyLogger = "logger"

// Java classes our log lines are attributed to.
const (
	classServerMain  = "org.apache.zookeeper.server.ZooKeeperServerMain"
	classServer      = "org.apache.zookeeper.server.ZooKeeperServer"
	classCnxnFactory = "org.apache.zookeeper.server.ServerCnxnFactory"
	classNIOFactory  = "org.apache.zookeeper.server.NIOServerCnxnFactory"
	classNIOCnxn     = "org.apache.zookeeper.server.NIOServerCnxn"
	classSnapLog     = "org.apache.zookeeper.server.persistence.FileTxnSnapLog"
	classSync        = "org.apache.zookeeper.server.SyncRequestProcessor"
	classCleanup     = "org.apache.zookeeper.server.DatadirCleanupManager"
	classContainers  = "org.apache.zookeeper.server.ContainerManager"
	classPrep        = "org.apache.zookeeper.server.PrepRequestProcessor"
)

// DefaultVersion is what srvr, stat, mntr and envi report as the ZooKeeper
// version: the release whose behaviour we reproduce, marked as ours.
const DefaultVersion = "3.8.4-kafkago, built on 2024-02-12 22:16 UTC"

// Server errors.
var (
	// ErrQuorum refuses a configuration with a quorum (server.N lines
	// making it distributed): this server is standalone only.
	ErrQuorum = errors.New("zk: standalone only: use an Apache ZooKeeper ensemble for a quorum")
	// ErrServerStarted is returned by a second call of Serve.
	ErrServerStarted = errors.New("zk: server already started")
	// ErrNoClientPort means neither clientPort nor a listener was given.
	ErrNoClientPort = errors.New("zk: clientPort is not set")
)

// Option tunes a Server beyond its configuration.
type Option func(*options)

type options struct {
	txnLog           TxnLog
	snap             Snapshotter
	now              func() time.Time
	ln               net.Listener
	containerCheck   time.Duration
	containerMaxIdle int64
	serverID         int64
	version          string
}

// WithStorage makes the server log and snapshot into log and snap instead of
// the file storage under dataDir (or memory without a dataDir). The server
// closes log when it stops.
func WithStorage(log TxnLog, snap Snapshotter) Option {
	return func(o *options) { o.txnLog, o.snap = log, snap }
}

// WithClock sets the wall clock used for txn times, session expiry, session
// ids and the container reaper (default time.Now).
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithListener serves on ln instead of listening on clientPortAddress:
// clientPort. The server closes it when it stops.
func WithListener(ln net.Listener) Option { return func(o *options) { o.ln = ln } }

// WithContainerCheckInterval sets how often containers and TTL nodes are
// reaped (znode.container.checkIntervalMs, default 60 s).
func WithContainerCheckInterval(d time.Duration) Option {
	return func(o *options) { o.containerCheck = d }
}

// WithContainerMaxNeverUsed sets znode.container.maxNeverUsedIntervalMs: a
// container that never had a child is reaped this long after its creation
// (default 0: never).
func WithContainerMaxNeverUsed(d time.Duration) Option {
	return func(o *options) { o.containerMaxIdle = d.Milliseconds() }
}

// WithVersion sets the version string the four-letter words report.
func WithVersion(v string) Option { return func(o *options) { o.version = v } }

// Server is a standalone ZooKeeper server. Make one with New, run it with
// Serve, stop it by cancelling Serve's context or with Close.
type Server struct {
	cfg       config.ZooKeeper
	log       *slog.Logger
	opts      options
	maxBuffer int

	mu      sync.Mutex
	addr    net.Addr
	cancel  context.CancelFunc
	closed  bool
	started bool

	ready chan struct{}
	done  chan struct{} // closed when Serve returns
	quit  chan struct{} // closed when the owner stops taking items
	in    chan item

	acceptWG sync.WaitGroup
	wg       sync.WaitGroup // connection readers and writers
	bg       sync.WaitGroup // syncer, snapshot and purge goroutines

	connMu     sync.Mutex
	conns      map[*conn]struct{}
	perIP      map[string]int
	nextConnID uint64

	stats serverStats

	txnLog TxnLog
	snap   Snapshotter

	// Owner-goroutine state.
	tree          *Tree
	tracker       *sessionTracker
	queue         []*entry
	toLog         []Txn
	nextZxid      int64 // last zxid assigned
	durable       int64 // last zxid synced
	syncBusy      bool
	rollPending   bool
	syncIn        chan syncBatch
	syncOut       chan syncResult
	snapBusy      bool
	snapDone      chan error
	sinceSnap     int
	snapThreshold int
	startTime     time.Time
	traceMask     int64
}

// serverStats is ServerStats: packet counters (atomic: readers and writers
// update them) and request latency (owner only).
type serverStats struct {
	received atomic.Int64
	sent     atomic.Int64
	minLat   int64 // -1 until the first request
	maxLat   int64
	totalLat int64
	countLat int64
}

func (st *serverStats) reset() {
	st.received.Store(0)
	st.sent.Store(0)
	st.minLat, st.maxLat, st.totalLat, st.countLat = -1, 0, 0, 0
}

type itemKind uint8

const (
	itemConnect itemKind = iota
	itemRequest
	itemClosed
	itemFunc
)

// item is what readers hand the owner goroutine.
type item struct {
	kind    itemKind
	c       *conn
	connReq wire.ConnectRequest
	hdr     wire.RequestHeader
	rec     wire.Record
	err     error
	recv    time.Time
	fn      func()
}

// entry is one element of the commit queue: a prepped write, or a reply
// that must wait for the writes before it.
type entry struct {
	c     *conn // nil for server-made txns (expiry, reaper)
	write bool
	txn   Txn
	run   func(res Result) // after Apply (writes) or when reached
}

type syncBatch struct {
	txns []Txn
	roll bool
	last int64
}

type syncResult struct {
	last int64
	err  error
}

// New validates cfg and returns a server that has not started. A
// distributed configuration (server.N lines) is ErrQuorum. clientPort 0
// with a clientPortAddress (or none) binds an ephemeral port, which tests
// use; Serve needs clientPort or WithListener.
func New(cfg config.ZooKeeper, logger *slog.Logger, opts ...Option) (*Server, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	o := options{now: time.Now, containerCheck: time.Minute, version: DefaultVersion}
	for _, opt := range opts {
		opt(&o)
	}
	if cfg.Distributed() {
		return nil, ErrQuorum
	}
	if cfg.TickTime <= 0 {
		return nil, fmt.Errorf("zk: tickTime %d: must be positive", cfg.TickTime)
	}
	if cfg.MinSessionTimeout <= 0 {
		cfg.MinSessionTimeout = 2 * cfg.TickTime
	}
	if cfg.MaxSessionTimeout <= 0 {
		cfg.MaxSessionTimeout = 20 * cfg.TickTime
	}
	if cfg.MinSessionTimeout > cfg.MaxSessionTimeout {
		return nil, fmt.Errorf("zk: minSessionTimeout %d larger than maxSessionTimeout %d", cfg.MinSessionTimeout, cfg.MaxSessionTimeout)
	}
	if (o.txnLog == nil) != (o.snap == nil) {
		return nil, errors.New("zk: WithStorage needs both a TxnLog and a Snapshotter")
	}
	if cfg.SnapCount < 2 {
		cfg.SnapCount = 100000
	}
	if cfg.MaxBatchSize <= 0 {
		cfg.MaxBatchSize = 1000
	}
	if cfg.GlobalOutstandingLimit <= 0 {
		cfg.GlobalOutstandingLimit = 1000
	}
	if cfg.SnapRetainCount < 3 {
		cfg.SnapRetainCount = 3
	}
	if o.containerCheck <= 0 {
		o.containerCheck = time.Minute
	}
	max := cfg.JuteMaxBuffer
	if max <= 0 {
		max = wire.DefaultMaxBuffer
	}
	s := &Server{
		cfg:       cfg,
		log:       logger,
		opts:      o,
		maxBuffer: max,
		ready:     make(chan struct{}),
		done:      make(chan struct{}),
		quit:      make(chan struct{}),
		in:        make(chan item, cfg.GlobalOutstandingLimit),
		conns:     make(map[*conn]struct{}),
		perIP:     make(map[string]int),
		syncIn:    make(chan syncBatch, 1),
		syncOut:   make(chan syncResult, 1),
		snapDone:  make(chan error, 1),
		traceMask: 306, // ZooTrace's default mask
	}
	s.stats.reset()
	return s, nil
}

// Addr is the address the server listens on; nil until it does (after Ready).
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// Ready is closed once the data is loaded and the server accepts clients
// (never, when Serve fails first: wait for Serve's error too).
func (s *Server) Ready() <-chan struct{} { return s.ready }

// Close stops the server and waits until Serve has returned. Shutdown order:
//
//  1. the listener closes: no new connections;
//  2. the owner stops taking requests (readers stop handing them over);
//  3. the pipeline drains: writes already prepped are logged, synced,
//     applied and answered, and the reads queued behind them answered;
//  4. every connection is closed after its queued replies are written
//     (for at most a few seconds), and its goroutines are waited for;
//  5. the syncer stops, a running snapshot or purge is waited for, and the
//     TxnLog is closed.
//
// Sessions are not closed: like ZooKeeper's, they are in the log and
// snapshots, and resume (or expire) when the server starts again.
// Close is safe to call more than once and before Serve.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	cancel, started := s.cancel, s.started
	s.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	if started {
		<-s.done
	}
	return nil
}

func (s *Server) nowMs() int64 { return s.opts.now().UnixMilli() }

// logf logs a line attributed to a ZooKeeper class.
func (s *Server) logf(level slog.Level, class, format string, args ...any) {
	ctx := context.Background()
	if !s.log.Enabled(ctx, level) {
		return
	}
	s.log.Log(ctx, level, fmt.Sprintf(format, args...), LogKeyLogger, class)
}

// Serve loads the data, listens and serves until ctx is cancelled or Close
// is called, then shuts down (see Close) and returns nil. It returns an
// error when the data cannot be loaded, the port cannot be bound, or the
// transaction log fails (ZooKeeper exits then too).
func (s *Server) Serve(ctx context.Context) error {
	s.mu.Lock()
	if s.started {
		s.mu.Unlock()
		return ErrServerStarted
	}
	s.started = true
	if s.closed {
		s.mu.Unlock()
		close(s.done)
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	s.cancel = cancel
	s.mu.Unlock()
	defer close(s.done)
	defer cancel()

	s.startTime = s.opts.now()
	s.logf(slog.LevelInfo, classServerMain, "Starting server")
	if err := s.openStorage(); err != nil {
		return err
	}
	s.tree = NewTree(Options{ExtendedTypes: s.cfg.ExtendedTypesEnabled, SkipACL: s.cfg.SkipACL, ContainerMaxNeverUsed: s.opts.containerMaxIdle})
	s.tracker = newSessionTracker(int64(s.cfg.TickTime), s.nowMs(), s.opts.serverID)
	s.logf(slog.LevelInfo, classServer, "Created server with tickTime %d ms minSessionTimeout %d ms maxSessionTimeout %d ms clientPortListenBacklog %d datadir %s snapdir %s",
		s.cfg.TickTime, s.cfg.MinSessionTimeout, s.cfg.MaxSessionTimeout, s.cfg.ClientPortListenBacklog,
		versionDir(s.cfg.DataLogDir), versionDir(s.cfg.DataDir))
	s.logf(slog.LevelInfo, classCnxnFactory, "Using org.apache.zookeeper.server.NIOServerCnxnFactory as server connection factory")
	s.logf(slog.LevelInfo, classNIOFactory, "Configuring NIO connection handler with %ds sessionless connection timeout, 1 selector thread(s), 1 worker threads, and 64 kB direct buffers.",
		s.cfg.SessionlessCnxnTimeout/1000)
	ln, err := s.listen()
	if err != nil {
		_ = s.txnLog.Close()
		return err
	}
	if err := s.loadData(); err != nil {
		_ = ln.Close()
		_ = s.txnLog.Close()
		return err
	}
	s.logf(slog.LevelInfo, classCleanup, "autopurge.snapRetainCount set to %d", s.cfg.SnapRetainCount)
	s.logf(slog.LevelInfo, classCleanup, "autopurge.purgeInterval set to %d", s.cfg.PurgeInterval)
	if s.cfg.PurgeInterval <= 0 {
		s.logf(slog.LevelInfo, classCleanup, "Purge task is not scheduled.")
	}
	s.snapThreshold = s.newSnapThreshold()
	s.bg.Add(1)
	go s.syncLoop()
	s.acceptWG.Add(1)
	go s.acceptLoop(ln)
	close(s.ready)
	err = s.run(ctx)
	s.shutdown(ln)
	return err
}

// versionDir is where ZooKeeper's file storage keeps a directory's files.
func versionDir(dir string) string {
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, "version-2")
}

// openStorage picks the storage: WithStorage's, else the file storage under
// dataDir, else memory.
func (s *Server) openStorage() error {
	if s.opts.txnLog != nil {
		s.txnLog, s.snap = s.opts.txnLog, s.opts.snap
		return nil
	}
	l, sn, err := defaultStorage(s.cfg, s.log)
	if err != nil {
		return err
	}
	s.txnLog, s.snap = l, sn
	return nil
}

// listen binds clientPortAddress:clientPort (or uses WithListener's) and
// logs ZooKeeper's "binding to port" line.
func (s *Server) listen() (net.Listener, error) {
	ln := s.opts.ln
	if ln == nil {
		if s.cfg.ClientPort == 0 && s.cfg.ClientPortAddress == "" {
			return nil, ErrNoClientPort
		}
		addr := net.JoinHostPort(s.cfg.ClientPortAddress, strconv.Itoa(s.cfg.ClientPort))
		lc := net.ListenConfig{}
		var err error
		ln, err = lc.Listen(context.Background(), "tcp", addr)
		if err != nil {
			return nil, fmt.Errorf("zk: bind %s: %w", addr, err)
		}
	}
	s.logf(slog.LevelInfo, classNIOFactory, "binding to port %s", javaBindAddr(s.cfg.ClientPortAddress, ln.Addr()))
	s.mu.Lock()
	s.addr = ln.Addr()
	s.mu.Unlock()
	return ln, nil
}

// javaBindAddr renders the bound address as Java's InetSocketAddress prints
// it: "0.0.0.0/0.0.0.0:2181" for the wildcard, "/127.0.0.1:2181" for a
// literal, "localhost/127.0.0.1:2181" for a name.
func javaBindAddr(configured string, a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	switch {
	case configured == "":
		if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
			host = "0.0.0.0"
		}
		return host + "/" + host + ":" + port
	case net.ParseIP(configured) != nil:
		return "/" + host + ":" + port
	}
	return configured + "/" + host + ":" + port
}

// loadData restores the newest snapshot, replays the log after it, revives
// the sessions it holds and takes a snapshot, as ZooKeeper does at start.
func (s *Server) loadData() error {
	if _, err := Restore(s.tree, s.snap, s.txnLog); err != nil {
		return err
	}
	last, err := s.txnLog.LastZxid()
	if err != nil {
		return fmt.Errorf("zk: transaction log: %w", err)
	}
	s.nextZxid = max(s.tree.LastZxid(), last)
	s.durable = s.nextZxid
	now := s.nowMs()
	for id, to := range s.tree.Sessions() {
		s.tracker.add(id, to, now)
	}
	data := s.snapshotData()
	s.logf(slog.LevelInfo, classSnapLog, "Snapshotting: 0x%x to %s", data.LastZxid, s.snapshotName(data.LastZxid))
	if err := s.snap.Save(data); err != nil {
		return fmt.Errorf("zk: snapshot: %w", err)
	}
	return s.txnLog.Roll()
}

func (s *Server) snapshotName(zxid int64) string {
	name := "snapshot." + strconv.FormatInt(zxid, 16)
	if s.cfg.DataDir == "" {
		return name
	}
	return filepath.Join(versionDir(s.cfg.DataDir), name)
}

func (s *Server) snapshotData() SnapshotData {
	d := SnapshotData{LastZxid: s.tree.LastZxid(), Sessions: s.tree.Sessions()}
	d.Nodes = make([]NodeInfo, 0, len(s.tree.nodes))
	_ = s.tree.Walk(func(ni NodeInfo) error {
		d.Nodes = append(d.Nodes, ni)
		return nil
	})
	return d
}

// newSnapThreshold is SyncRequestProcessor's randomised roll point:
// snapCount/2 plus up to snapCount/2 more txns.
func (s *Server) newSnapThreshold() int {
	half := s.cfg.SnapCount / 2
	if half < 1 {
		return 1
	}
	return half + rand.IntN(half)
}

// acceptLoop accepts connections, enforcing maxClientCnxns per address.
func (s *Server) acceptLoop(ln net.Listener) {
	defer s.acceptWG.Done()
	var backoff time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			select {
			case <-s.quit:
				return
			default:
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() || isTemporary(err) {
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				s.logf(slog.LevelWarn, classNIOFactory, "Error accepting new connection: %v", err)
				time.Sleep(backoff)
				continue
			}
			if errors.Is(err, net.ErrClosed) {
				return
			}
			s.logf(slog.LevelWarn, classNIOFactory, "Error accepting new connection: %v", err)
			time.Sleep(10 * time.Millisecond)
			continue
		}
		backoff = 0
		if tc, ok := nc.(*net.TCPConn); ok {
			_ = tc.SetNoDelay(true)
		}
		c := s.register(nc)
		if c == nil {
			continue
		}
		s.wg.Add(2)
		go c.readLoop()
		go c.writeLoop()
	}
}

func isTemporary(err error) bool {
	var t interface{ Temporary() bool }
	return errors.As(err, &t) && t.Temporary()
}

// register adds a connection, or refuses it when its address has
// maxClientCnxns already.
func (s *Server) register(nc net.Conn) *conn {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	select {
	case <-s.quit:
		_ = nc.Close()
		return nil
	default:
	}
	s.nextConnID++
	c := newConn(s, nc, s.nextConnID)
	if max := s.cfg.MaxClientCnxns; max > 0 && s.perIP[c.ip] >= max {
		s.logf(slog.LevelWarn, classNIOFactory, "Error accepting new connection: Too many connections from /%s - max is %d", c.ip, max)
		_ = nc.Close()
		return nil
	}
	s.perIP[c.ip]++
	s.conns[c] = struct{}{}
	return c
}

func (s *Server) unregister(c *conn) {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	if _, ok := s.conns[c]; !ok {
		return
	}
	delete(s.conns, c)
	if s.perIP[c.ip]--; s.perIP[c.ip] <= 0 {
		delete(s.perIP, c.ip)
	}
}

// post hands an item to the owner; false once the server is stopping.
func (s *Server) post(it item) bool {
	select {
	case <-s.quit:
		return false
	default:
	}
	select {
	case s.in <- it:
		return true
	case <-s.quit:
		return false
	}
}

// syncLoop is the syncer goroutine: one Append and one Sync per batch.
func (s *Server) syncLoop() {
	defer s.bg.Done()
	for b := range s.syncIn {
		var err error
		if b.roll {
			err = s.txnLog.Roll()
		}
		if err == nil && len(b.txns) > 0 {
			err = s.txnLog.Append(b.txns...)
		}
		if err == nil {
			err = s.txnLog.Sync()
		}
		s.syncOut <- syncResult{last: b.last, err: err}
	}
}

// flush hands the syncer the next batch when it is idle.
func (s *Server) flush() {
	if s.syncBusy || (len(s.toLog) == 0 && !s.rollPending) {
		return
	}
	n := min(len(s.toLog), s.cfg.MaxBatchSize)
	b := syncBatch{txns: s.toLog[:n:n], roll: s.rollPending, last: s.durable}
	if n > 0 {
		b.last = s.toLog[n-1].Zxid
	}
	s.toLog = s.toLog[n:]
	if len(s.toLog) == 0 {
		s.toLog = nil
	}
	s.rollPending = false
	s.syncBusy = true
	s.syncIn <- b
}

// run is the owner goroutine's loop.
func (s *Server) run(ctx context.Context) error {
	tick := time.Duration(s.cfg.TickTime) * time.Millisecond / 4
	tick = max(tick, 5*time.Millisecond)
	expiry := time.NewTicker(tick)
	defer expiry.Stop()
	reaper := time.NewTicker(s.opts.containerCheck)
	defer reaper.Stop()
	var purge <-chan time.Time
	if s.cfg.PurgeInterval > 0 {
		t := time.NewTicker(time.Duration(s.cfg.PurgeInterval) * time.Hour)
		defer t.Stop()
		purge = t.C
	}
	for {
		s.flush()
		select {
		case <-ctx.Done():
			return nil
		case it := <-s.in:
			s.handle(&it)
		drain:
			for range 256 {
				select {
				case it := <-s.in:
					s.handle(&it)
				default:
					break drain
				}
			}
		case r := <-s.syncOut:
			if err := s.synced(r); err != nil {
				return err
			}
		case <-expiry.C:
			s.expireSessions()
		case <-reaper.C:
			s.reapContainers()
		case err := <-s.snapDone:
			s.snapBusy = false
			if err != nil {
				s.logf(slog.LevelError, classSync, "Unexpected exception: %v", err)
			}
		case <-purge:
			s.startPurge()
		}
	}
}

// synced handles the syncer's answer: the batch is durable, so the commit
// queue advances; a storage error is fatal.
func (s *Server) synced(r syncResult) error {
	s.syncBusy = false
	if r.err != nil {
		return fmt.Errorf("zk: severe unrecoverable error in the transaction log: %w", r.err)
	}
	s.durable = r.last
	s.commit()
	return nil
}

// handle processes one item from a reader.
func (s *Server) handle(it *item) {
	switch it.kind {
	case itemConnect:
		s.handleConnect(it)
	case itemRequest:
		s.handleRequest(it)
	case itemClosed:
		s.connClosed(it.c, it.err)
	case itemFunc:
		it.fn()
	}
}

// push appends an entry to the commit queue.
func (s *Server) push(e *entry) {
	s.queue = append(s.queue, e)
	if e.c != nil {
		e.c.queued++
	}
}

// ordered runs fn now when c has nothing in the commit queue (and, for a
// barrier, when the queue is empty), else queues it.
func (s *Server) ordered(c *conn, barrier bool, fn func()) {
	if c.queued == 0 && (!barrier || len(s.queue) == 0) {
		fn()
		return
	}
	s.push(&entry{c: c, run: func(Result) { fn() }})
}

// submit preps a write for c (nil: a txn of the server's own, for session
// sid) and queues it; run gets its result once it is applied.
func (s *Server) submit(c *conn, sid int64, xid int32, req Request, run func(Result)) {
	s.nextZxid++
	pc := PrepContext{SessionID: sid, Cxid: xid, Zxid: s.nextZxid, Time: s.nowMs()}
	if c != nil {
		pc.Auth = c.auth
	}
	txn, _ := s.tree.Prep(req, pc)
	s.toLog = append(s.toLog, txn)
	s.push(&entry{c: c, write: true, txn: txn, run: run})
}

// commit pops the commit queue up to the durable zxid: applies writes,
// delivers their events, sends their replies and the replies queued
// behind them.
func (s *Server) commit() {
	i := 0
	for ; i < len(s.queue); i++ {
		e := s.queue[i]
		if e.write && e.txn.Zxid > s.durable {
			break
		}
		s.queue[i] = nil
		if e.c != nil {
			e.c.queued--
		}
		if e.write {
			res := s.tree.Apply(e.txn)
			s.deliver(res.Events)
			if e.run != nil {
				e.run(res)
			}
			s.sinceSnap++
			continue
		}
		if e.c == nil || !e.c.gone {
			e.run(Result{})
		}
	}
	s.queue = s.queue[i:]
	if len(s.queue) == 0 {
		s.queue = nil
	}
	if s.sinceSnap >= s.snapThreshold && !s.snapBusy {
		s.startSnapshot()
	}
}

// deliver sends watch events to the connections of their sessions.
func (s *Server) deliver(evs []Delivery) {
	for _, d := range evs {
		ts := s.tracker.byID[d.Session]
		if ts == nil || ts.conn == nil || ts.conn.gone {
			continue
		}
		ts.conn.enqueue(wire.AppendNotification(nil, wire.WatcherEvent{
			Type: wire.EventType(d.Event.Type), State: wire.KeeperState(d.Event.State), Path: d.Event.Path,
		}))
	}
}

// startSnapshot copies the tree (applied state) and saves it in the
// background; the log rolls with the next batch.
func (s *Server) startSnapshot() {
	data := s.snapshotData()
	s.sinceSnap = 0
	s.snapThreshold = s.newSnapThreshold()
	s.rollPending = true
	s.snapBusy = true
	s.logf(slog.LevelInfo, classSnapLog, "Snapshotting: 0x%x to %s", data.LastZxid, s.snapshotName(data.LastZxid))
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		s.snapDone <- s.snap.Save(data)
	}()
}

// startPurge runs Purge in the background (DatadirCleanupManager).
func (s *Server) startPurge() {
	if s.snapBusy {
		return
	}
	s.snapBusy = true
	s.logf(slog.LevelInfo, classCleanup, "Purge task started.")
	retain := s.cfg.SnapRetainCount
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		err := s.snap.Purge(retain)
		if err == nil {
			s.logf(slog.LevelInfo, classCleanup, "Purge task completed.")
		}
		s.snapDone <- err
	}()
}

// expireSessions closes the sessions whose bucket is due.
func (s *Server) expireSessions() {
	for _, ts := range s.tracker.expired(s.nowMs()) {
		s.logf(slog.LevelInfo, classServer, "Expiring session 0x%x, timeout of %d ms exceeded", ts.id, ts.timeout)
		s.submitClose(nil, ts.id, 0)
	}
}

// submitClose queues the closeSession txn of session sid, from its client
// (c, xid) or from expiry (c nil).
func (s *Server) submitClose(c *conn, sid int64, xid int32) {
	if ts := s.tracker.byID[sid]; ts != nil {
		ts.closing = true
		s.tracker.unfile(ts)
	}
	start := time.Now()
	s.submit(c, sid, xid, CloseSessionReq{}, func(res Result) {
		ts := s.tracker.byID[sid]
		if c != nil && !c.gone {
			s.reply(c, start, xid, "CLOS", nil, res.Err)
			s.closeConn(c, true)
		}
		if ts != nil && ts.conn != nil {
			s.closeConn(ts.conn, true)
		}
		s.tracker.remove(sid)
	})
}

// reapContainers deletes the containers and TTL nodes due for deletion
// (ContainerManager.checkContainers).
func (s *Server) reapContainers() {
	for _, p := range s.tree.ExpiredContainersAndTTLs(s.nowMs()) {
		s.submit(nil, 0, 0, DeleteContainerReq{Path: p}, nil)
	}
}

// connClosed handles the end of a connection's reader.
func (s *Server) connClosed(c *conn, err error) {
	if c.gone {
		return
	}
	switch {
	case err == nil, errors.Is(err, errClosedByServer):
	case errors.Is(err, wire.ErrFrameTooLarge), errors.As(err, new(errLen)):
		s.logf(slog.LevelWarn, classNIOCnxn, "Close of session 0x%x java.io.IOException: %v", c.sid, err)
	case isEOF(err):
		s.logf(slog.LevelDebug, classNIOCnxn, "Unable to read additional data from client, it probably closed the socket: address = %s, session = 0x%x", c.remote, c.sid)
	default:
		s.logf(slog.LevelWarn, classNIOCnxn, "Close of session 0x%x: %v", c.sid, err)
	}
	s.closeConn(c, false)
}

// closeConn closes a connection once: it leaves the registry, its session
// loses it (and its watches, as ZooKeeper's removeCnxn drops them), and the
// socket closes (after the queued replies when flush).
func (s *Server) closeConn(c *conn, flush bool) {
	if c.gone {
		return
	}
	c.gone = true
	s.unregister(c)
	if c.sid != 0 {
		if ts := s.tracker.byID[c.sid]; ts != nil && ts.conn == c {
			ts.conn = nil
			s.tree.Watches().RemoveSession(c.sid)
		}
	}
	if flush {
		c.closeWhenFlushed()
	} else {
		c.abort()
	}
}

// shutdown is Close's sequence (see Close).
func (s *Server) shutdown(ln net.Listener) {
	s.logf(slog.LevelInfo, classServer, "shutting down")
	_ = ln.Close()
	close(s.quit)
	s.acceptWG.Wait()
	// Drain the pipeline: what is prepped gets logged and answered.
	for s.syncBusy || len(s.toLog) > 0 {
		s.flush()
		if err := s.synced(<-s.syncOut); err != nil {
			s.tree.DiscardPending()
			s.queue = nil
			s.toLog = nil
			break
		}
	}
	s.commit()
	s.connMu.Lock()
	conns := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.connMu.Unlock()
	for _, c := range conns {
		c.gone = true
		s.unregister(c)
		c.closeWhenFlushed()
	}
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		for _, c := range conns {
			c.abort()
		}
		<-done
	}
	close(s.syncIn)
	s.bg.Wait()
	// Drop a snapshot result nobody will read.
	select {
	case <-s.snapDone:
	default:
	}
	if err := s.txnLog.Close(); err != nil {
		s.logf(slog.LevelWarn, classSnapLog, "Error closing the transaction log: %v", err)
	}
}

// defaultStorage is the storage of a server without WithStorage: the file
// storage (FileTxnLog in dataLogDir/version-2, FileSnapshotter in
// dataDir/version-2) when dataDir is set, memory otherwise.
func defaultStorage(cfg config.ZooKeeper, logger *slog.Logger) (TxnLog, Snapshotter, error) {
	if cfg.DataDir == "" {
		l, sn := NewMemStorage()
		return l, sn, nil
	}
	logDir := cfg.DataLogDir
	if logDir == "" {
		logDir = cfg.DataDir
	}
	opts := []FileOption{
		WithStorageLogger(logger.With(LogKeyLogger, classSnapLog)),
		WithForceSync(cfg.ForceSync),
		WithLogDir(logDir),
		WithFsyncWarning(time.Duration(cfg.FsyncWarningThresholdMs) * time.Millisecond),
	}
	if cfg.PreAllocSizeKB > 0 {
		opts = append(opts, WithPreAllocSize(cfg.PreAllocSizeKB*1024))
	}
	l, err := NewFileTxnLog(logDir, opts...)
	if err != nil {
		return nil, nil, err
	}
	sn, err := NewFileSnapshotter(cfg.DataDir, opts...)
	if err != nil {
		_ = l.Close()
		return nil, nil, err
	}
	return l, sn, nil
}
