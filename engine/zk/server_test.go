package zk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	gozk "github.com/go-zookeeper/zk"

	"github.com/kafkago/kafka/config"
	"github.com/kafkago/kafka/wire"
)

// ---- harness ----

// logBuf collects the server's log lines as "LEVEL msg (logger)".
type logBuf struct {
	mu    sync.Mutex
	lines []string
}

func (l *logBuf) Enabled(context.Context, slog.Level) bool { return true }
func (l *logBuf) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *logBuf) WithGroup(string) slog.Handler            { return l }
func (l *logBuf) Handle(_ context.Context, r slog.Record) error {
	logger := ""
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == LogKeyLogger {
			logger = a.Value.String()
		}
		return true
	})
	l.mu.Lock()
	l.lines = append(l.lines, r.Level.String()+" "+r.Message+" ("+logger+")")
	l.mu.Unlock()
	return nil
}

func (l *logBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

func (l *logBuf) has(substr string) bool { return strings.Contains(l.String(), substr) }

type testServer struct {
	*Server
	addr string
	logs *logBuf
}

// zkConfig builds a config from key=value overrides; dataDir defaults to a
// temp dir, 4lw.commands.whitelist to *, tickTime to 200.
func zkConfig(t testing.TB, kv ...string) config.ZooKeeper {
	t.Helper()
	base := []string{"dataDir=" + t.TempDir(), "4lw.commands.whitelist=*", "tickTime=200", "maxClientCnxns=0"}
	cfg, _, err := config.LoadZooKeeper("", append(base, kv...))
	if err != nil {
		t.Fatal(err)
	}
	cfg.ClientPortAddress = "127.0.0.1"
	cfg.ClientPort = 0
	return cfg
}

// startServer runs a server on 127.0.0.1:0 until the test ends.
func startServer(t testing.TB, cfg config.ZooKeeper, opts ...Option) *testServer {
	t.Helper()
	logs := &logBuf{}
	s, err := New(cfg, slog.New(logs), opts...)
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() { errc <- s.Serve(context.Background()) }()
	select {
	case <-s.Ready():
	case err := <-errc:
		t.Fatalf("Serve: %v\n%s", err, logs)
	case <-time.After(10 * time.Second):
		t.Fatal("server not ready")
	}
	t.Cleanup(func() {
		s.Close()
		if err := <-errc; err != nil {
			t.Errorf("Serve returned %v", err)
		}
	})
	return &testServer{Server: s, addr: s.Addr().String(), logs: logs}
}

func memServer(t testing.TB, kv ...string) *testServer {
	t.Helper()
	return startServer(t, zkConfig(t, kv...), WithStorage(NewMemStorage()))
}

// goClient connects go-zookeeper to addr and waits for its session.
func goClient(t testing.TB, addr string, timeout time.Duration) (*gozk.Conn, <-chan gozk.Event) {
	t.Helper()
	c, ev, err := gozk.Connect([]string{addr}, timeout, gozk.WithLogInfo(false), gozk.WithLogger(nopLogger{}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	deadline := time.After(10 * time.Second)
	for c.State() != gozk.StateHasSession {
		select {
		case <-ev:
		case <-deadline:
			t.Fatalf("no session with %s (state %v)", addr, c.State())
		}
	}
	return c, ev
}

type nopLogger struct{}

func (nopLogger) Printf(string, ...any) {}

func waitEvent(t testing.TB, ch <-chan gozk.Event, what string) gozk.Event {
	t.Helper()
	select {
	case e := <-ch:
		return e
	case <-time.After(10 * time.Second):
		t.Fatalf("no %s event", what)
	}
	return gozk.Event{}
}

func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// rawClient speaks the protocol frame by frame.
type rawClient struct {
	t      testing.TB
	nc     net.Conn
	sid    int64
	passwd []byte
	xid    int32
	events []wire.WatcherEvent
}

func dialRaw(t testing.TB, addr string) *rawClient {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	_ = nc.SetDeadline(time.Now().Add(20 * time.Second))
	return &rawClient{t: t, nc: nc}
}

func (r *rawClient) write(b []byte) {
	r.t.Helper()
	if _, err := r.nc.Write(b); err != nil {
		r.t.Fatal(err)
	}
}

func (r *rawClient) readFrame() ([]byte, error) {
	return wire.ReadFrame(r.nc, nil, 16<<20)
}

// connect sends a ConnectRequest and reads the response.
func (r *rawClient) connect(req wire.ConnectRequest) (wire.ConnectResponse, int) {
	r.t.Helper()
	if req.Passwd == nil {
		req.Passwd = make([]byte, 16)
	}
	r.write(wire.AppendFrame(nil, req.Append(nil)))
	body, err := r.readFrame()
	if err != nil {
		r.t.Fatalf("connect response: %v", err)
	}
	var resp wire.ConnectResponse
	jr := wire.NewJuteReader(body, 0)
	resp.Decode(jr)
	if jr.Err() != nil {
		r.t.Fatal(jr.Err())
	}
	r.sid, r.passwd = resp.SessionID, resp.Passwd
	return resp, len(body)
}

func (r *rawClient) session(timeout int32) {
	r.t.Helper()
	resp, _ := r.connect(wire.ConnectRequest{TimeOut: timeout, HasReadOnly: true})
	if resp.SessionID == 0 {
		r.t.Fatal("no session")
	}
}

func (r *rawClient) send(op wire.OpCode, body wire.Record) int32 {
	r.xid++
	r.write(wire.AppendRequest(nil, wire.RequestHeader{Xid: r.xid, Type: op}, body))
	return r.xid
}

// reply reads frames until a non-notification one and decodes its body
// into resp (when err is 0).
func (r *rawClient) reply(resp wire.Record) wire.ReplyHeader {
	r.t.Helper()
	for {
		frame, err := r.readFrame()
		if err != nil {
			r.t.Fatalf("read reply: %v", err)
		}
		jr := wire.NewJuteReader(frame, 0)
		var h wire.ReplyHeader
		h.Decode(jr)
		if h.Xid == wire.XidNotification {
			var ev wire.WatcherEvent
			ev.Decode(jr)
			r.events = append(r.events, ev)
			continue
		}
		if h.Err == 0 && resp != nil {
			resp.Decode(jr)
			if jr.Err() != nil {
				r.t.Fatalf("decode %T: %v", resp, jr.Err())
			}
		}
		return h
	}
}

func (r *rawClient) call(op wire.OpCode, body, resp wire.Record) wire.ReplyHeader {
	r.t.Helper()
	xid := r.send(op, body)
	h := r.reply(resp)
	if h.Xid != xid && op != wire.OpPing {
		r.t.Fatalf("reply xid %d, want %d", h.Xid, xid)
	}
	return h
}

// closed reports whether the server closed the connection (EOF within d).
func (r *rawClient) closed(d time.Duration) bool {
	_ = r.nc.SetReadDeadline(time.Now().Add(d))
	var b [1 << 12]byte
	for {
		_, err := r.nc.Read(b[:])
		if err != nil {
			var ne net.Error
			return !(errors.As(err, &ne) && ne.Timeout())
		}
	}
}

func openACL() []wire.ACL { return []wire.ACL{{Perms: wire.PermAll, Scheme: "world", ID: "anyone"}} }

func fourLetter(t testing.TB, addr, cmd string) string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, cmd); err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// ---- go-zookeeper ----

func TestZkGoClientBasics(t *testing.T) {
	s := memServer(t)
	c, _ := goClient(t, s.addr, 10*time.Second)
	acl := gozk.WorldACL(gozk.PermAll)

	if p, err := c.Create("/a", []byte("x"), 0, acl); err != nil || p != "/a" {
		t.Fatalf("create: %q %v", p, err)
	}
	if _, err := c.Create("/a", nil, 0, acl); !errors.Is(err, gozk.ErrNodeExists) {
		t.Fatalf("create twice: %v", err)
	}
	data, st, err := c.Get("/a")
	if err != nil || string(data) != "x" || st.Version != 0 || st.DataLength != 1 || st.Czxid != st.Mzxid {
		t.Fatalf("get: %q %+v %v", data, st, err)
	}
	st2, err := c.Set("/a", []byte("yy"), 0)
	if err != nil || st2.Version != 1 || st2.Mzxid <= st.Mzxid || st2.DataLength != 2 {
		t.Fatalf("set: %+v %v", st2, err)
	}
	if _, err := c.Set("/a", nil, 0); !errors.Is(err, gozk.ErrBadVersion) {
		t.Fatalf("set bad version: %v", err)
	}
	for i := 0; i < 3; i++ {
		p, err := c.Create("/a/s-", nil, gozk.FlagSequence, acl)
		if err != nil || p != fmt.Sprintf("/a/s-%010d", i) {
			t.Fatalf("sequential %d: %q %v", i, p, err)
		}
	}
	kids, st, err := c.Children("/a")
	slices.Sort(kids)
	if err != nil || len(kids) != 3 || kids[0] != "s-0000000000" || st.NumChildren != 3 || st.Cversion != 3 {
		t.Fatalf("children: %v %+v %v", kids, st, err)
	}
	if err := c.Delete("/a", -1); !errors.Is(err, gozk.ErrNotEmpty) {
		t.Fatalf("delete non-empty: %v", err)
	}
	if _, _, err := c.Get("/nope"); !errors.Is(err, gozk.ErrNoNode) {
		t.Fatalf("get missing: %v", err)
	}
	ok, _, err := c.Exists("/nope")
	if err != nil || ok {
		t.Fatalf("exists missing: %v %v", ok, err)
	}

	// multi: success, then an all-or-nothing failure.
	res, err := c.Multi(
		&gozk.CreateRequest{Path: "/m", Data: []byte("1"), Acl: acl},
		&gozk.SetDataRequest{Path: "/m", Data: []byte("2"), Version: 0},
		&gozk.CheckVersionRequest{Path: "/m", Version: 1},
	)
	if err != nil || len(res) != 3 || res[0].String != "/m" || res[1].Stat.Version != 1 {
		t.Fatalf("multi: %+v %v", res, err)
	}
	res, err = c.Multi(
		&gozk.CreateRequest{Path: "/m2", Acl: acl},
		&gozk.DeleteRequest{Path: "/nope", Version: -1},
		&gozk.SetDataRequest{Path: "/m", Version: -1},
	)
	if !errors.Is(err, gozk.ErrNoNode) || len(res) != 3 || res[0].Error != nil || !errors.Is(res[1].Error, gozk.ErrNoNode) || res[2].Error == nil {
		t.Fatalf("failed multi: %+v %v", res, err)
	}
	if ok, _, _ := c.Exists("/m2"); ok {
		t.Fatal("failed multi applied its first op")
	}
	// A container, the ACL calls, sync.
	if _, err := c.CreateContainer("/cont", nil, gozk.FlagContainer, acl); err != nil {
		t.Fatalf("container: %v", err)
	}
	acls, _, err := c.GetACL("/a")
	if err != nil || len(acls) != 1 || acls[0].Scheme != "world" {
		t.Fatalf("getACL: %v %v", acls, err)
	}
	if _, err := c.SetACL("/a", gozk.WorldACL(gozk.PermRead|gozk.PermWrite), 0); err != nil {
		t.Fatalf("setACL: %v", err)
	}
	if _, err := c.Create("/a/denied", nil, 0, acl); !errors.Is(err, gozk.ErrNoAuth) {
		t.Fatalf("create under read-write ACL: %v", err)
	}
	if p, err := c.Sync("/a"); err != nil || p != "/a" {
		t.Fatalf("sync: %q %v", p, err)
	}
}

func TestZkGoClientWatchesAndEphemerals(t *testing.T) {
	s := memServer(t)
	c1, _ := goClient(t, s.addr, 10*time.Second)
	c2, _ := goClient(t, s.addr, 10*time.Second)
	acl := gozk.WorldACL(gozk.PermAll)
	if _, err := c1.Create("/w", []byte("0"), 0, acl); err != nil {
		t.Fatal(err)
	}
	_, _, dataW, err := c1.GetW("/w")
	if err != nil {
		t.Fatal(err)
	}
	_, _, childW, err := c1.ChildrenW("/w")
	if err != nil {
		t.Fatal(err)
	}
	_, _, existW, err := c1.ExistsW("/w/e")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c2.Set("/w", []byte("1"), -1); err != nil {
		t.Fatal(err)
	}
	if e := waitEvent(t, dataW, "data"); e.Type != gozk.EventNodeDataChanged || e.Path != "/w" {
		t.Fatalf("data watch: %+v", e)
	}
	if _, err := c2.Create("/w/e", nil, gozk.FlagEphemeral, acl); err != nil {
		t.Fatal(err)
	}
	if e := waitEvent(t, existW, "exist"); e.Type != gozk.EventNodeCreated || e.Path != "/w/e" {
		t.Fatalf("exist watch: %+v", e)
	}
	if e := waitEvent(t, childW, "child"); e.Type != gozk.EventNodeChildrenChanged || e.Path != "/w" {
		t.Fatalf("child watch: %+v", e)
	}
	_, st, delW, err := c1.GetW("/w/e")
	if err != nil || st.EphemeralOwner != c2.SessionID() {
		t.Fatalf("ephemeral owner %x, session %x: %v", st.EphemeralOwner, c2.SessionID(), err)
	}
	if _, err := c2.Create("/w/e/child", nil, 0, acl); !errors.Is(err, gozk.ErrNoChildrenForEphemerals) {
		t.Fatalf("child of ephemeral: %v", err)
	}
	// Closing the session deletes its ephemerals and fires the watches.
	c2.Close()
	if e := waitEvent(t, delW, "delete"); e.Type != gozk.EventNodeDeleted || e.Path != "/w/e" {
		t.Fatalf("delete watch: %+v", e)
	}
	if ok, _, _ := c1.Exists("/w/e"); ok {
		t.Fatal("ephemeral survived its session")
	}
}

func TestZkSessionExpiry(t *testing.T) {
	s := memServer(t, "tickTime=50")
	watcher, _ := goClient(t, s.addr, 10*time.Second)
	raw := dialRaw(t, s.addr)
	resp, _ := raw.connect(wire.ConnectRequest{TimeOut: 1, HasReadOnly: true})
	if resp.TimeOut != 100 { // minSessionTimeout = 2 × tickTime
		t.Fatalf("negotiated %d, want 100", resp.TimeOut)
	}
	var cr wire.CreateResponse
	if h := raw.call(wire.OpCreate, &wire.CreateRequest{Path: "/eph", ACL: openACL(), Flags: wire.CreateModeEphemeral}, &cr); h.Err != 0 {
		t.Fatalf("create: %v", h.Err)
	}
	_, _, w, err := watcher.GetW("/eph")
	if err != nil {
		t.Fatal(err)
	}
	// No pings: the session expires, its ephemeral goes, the watch fires,
	// and the server closes the connection.
	if e := waitEvent(t, w, "expiry delete"); e.Type != gozk.EventNodeDeleted {
		t.Fatalf("event %+v", e)
	}
	if !raw.closed(5 * time.Second) {
		t.Fatal("connection of an expired session stays open")
	}
	waitFor(t, "expiry log line", func() bool {
		return s.logs.has(fmt.Sprintf("INFO Expiring session 0x%x, timeout of 100 ms exceeded (org.apache.zookeeper.server.ZooKeeperServer)", raw.sid))
	})
	// Reconnecting to it gets the expired answer.
	again := dialRaw(t, s.addr)
	resp, n := again.connect(wire.ConnectRequest{TimeOut: 100, SessionID: raw.sid, Passwd: raw.passwd, HasReadOnly: true})
	if resp.TimeOut != 0 || resp.SessionID != 0 || !bytes.Equal(resp.Passwd, make([]byte, 16)) || n != 37 {
		t.Fatalf("expired answer %+v (%d bytes)", resp, n)
	}
	if !again.closed(5 * time.Second) {
		t.Fatal("connection stays open after the expired answer")
	}
}

// ---- the handshake and the wire, frame by frame ----

func TestZkHandshake(t *testing.T) {
	s := memServer(t, "tickTime=1000") // sessions 2000..20000 ms
	// The readOnly byte is mirrored: 37 bytes with it, 36 without.
	r := dialRaw(t, s.addr)
	resp, n := r.connect(wire.ConnectRequest{TimeOut: 90000, HasReadOnly: true})
	if n != 37 || resp.TimeOut != 20000 || resp.SessionID == 0 || len(resp.Passwd) != 16 || !resp.HasReadOnly || resp.ReadOnly {
		t.Fatalf("new session: %+v (%d bytes)", resp, n)
	}
	if resp.SessionID>>56 != 0 {
		t.Fatalf("session id 0x%x: server id 0 belongs in the top byte", resp.SessionID)
	}
	if !bytes.Equal(resp.Passwd, sessionPassword(resp.SessionID)) {
		t.Fatal("password is not derived from the id")
	}
	old := dialRaw(t, s.addr)
	resp2, n := old.connect(wire.ConnectRequest{TimeOut: 10})
	if n != 36 || resp2.TimeOut != 2000 || resp2.SessionID != resp.SessionID+1 {
		t.Fatalf("old client: %+v (%d bytes), first id 0x%x", resp2, n, resp.SessionID)
	}
	// Reconnect to a live session: same id and password, new timeout; the
	// old connection is closed.
	again := dialRaw(t, s.addr)
	resp3, _ := again.connect(wire.ConnectRequest{TimeOut: 5000, SessionID: r.sid, Passwd: r.passwd, HasReadOnly: true})
	if resp3.SessionID != r.sid || resp3.TimeOut != 5000 || !bytes.Equal(resp3.Passwd, r.passwd) {
		t.Fatalf("reconnect: %+v", resp3)
	}
	if !r.closed(5 * time.Second) {
		t.Fatal("the session's old connection stays open")
	}
	// A wrong password gets the expired answer.
	bad := dialRaw(t, s.addr)
	resp4, _ := bad.connect(wire.ConnectRequest{TimeOut: 5000, SessionID: old.sid, Passwd: make([]byte, 16), HasReadOnly: true})
	if resp4.SessionID != 0 || resp4.TimeOut != 0 || !bad.closed(5*time.Second) {
		t.Fatalf("bad password: %+v", resp4)
	}
	waitFor(t, "invalid session log", func() bool {
		return s.logs.has(fmt.Sprintf("INFO Invalid session 0x%x for client /127.0.0.1:", old.sid)) &&
			s.logs.has("WARN Incorrect password from /127.0.0.1:")
	})
	// A client that has seen a later zxid is refused without an answer.
	ahead := dialRaw(t, s.addr)
	ahead.write(wire.AppendFrame(nil, wire.ConnectRequest{LastZxidSeen: 1 << 40, TimeOut: 5000, Passwd: make([]byte, 16)}.Append(nil)))
	if _, err := ahead.readFrame(); err == nil {
		t.Fatal("a client ahead of the server got an answer")
	}
	waitFor(t, "refusal log", func() bool { return s.logs.has("as it has seen zxid 0x10000000000 our last zxid is 0x") })
	// Ping: xid -2, the last zxid.
	var none wire.EmptyRecord
	h := again.call(wire.OpPing, &none, nil)
	if h.Xid != wire.XidPing || h.Err != 0 || h.Zxid < 2 {
		t.Fatalf("ping reply %+v", h)
	}
	// closeSession: a reply, then the server closes.
	if h := again.call(wire.OpCloseSession, &none, nil); h.Err != 0 {
		t.Fatalf("closeSession: %+v", h)
	}
	if !again.closed(5 * time.Second) {
		t.Fatal("connection open after closeSession")
	}
}

func TestZkBadInputClosesOnlyThatConnection(t *testing.T) {
	s := memServer(t, "jute.maxbuffer=1024")
	good, _ := goClient(t, s.addr, 10*time.Second)
	check := func(what string) {
		t.Helper()
		if _, err := good.Create("/ok-"+what, nil, 0, gozk.WorldACL(gozk.PermAll)); err != nil {
			t.Fatalf("after %s: %v", what, err)
		}
	}
	// Oversized frame.
	r := dialRaw(t, s.addr)
	r.session(10000)
	r.write([]byte{0, 0, 8, 0})
	if !r.closed(5 * time.Second) {
		t.Fatal("oversized frame: connection open")
	}
	waitFor(t, "Len error log", func() bool {
		return s.logs.has("with advertised length of 2048 is either a malformed message or too large to process (length is greater than jute.maxbuffer=1024)")
	})
	check("oversize")
	// Unknown op: Unimplemented, then close.
	r = dialRaw(t, s.addr)
	r.session(10000)
	if h := r.call(wire.OpCode(10), &wire.EmptyRecord{}, nil); h.Err != wire.Code(-6) {
		t.Fatalf("unknown op: %+v", h)
	}
	if !r.closed(5 * time.Second) {
		t.Fatal("unknown op: connection open")
	}
	check("unknown")
	// Garbage body: MarshallingError, the connection stays.
	r = dialRaw(t, s.addr)
	r.session(10000)
	r.write(wire.AppendFrame(nil, []byte{0, 0, 0, 1, 0, 0, 0, 4, 0xff, 0xff}))
	if h := r.reply(nil); h.Err != wire.Code(-5) || h.Xid != 1 {
		t.Fatalf("garbage body: %+v", h)
	}
	r.xid = 1
	var st wire.ExistsResponse
	if h := r.call(wire.OpExists, &wire.ExistsRequest{Path: "/"}, &st); h.Err != 0 {
		t.Fatalf("exists after garbage: %+v", h)
	}
	// Frame shorter than a header; truncated frame; garbage before the
	// handshake.
	for i, b := range [][]byte{{0, 0, 0, 2, 1, 2}, {0, 0, 0, 100, 1, 2, 3}, {0xde, 0xad, 0xbe, 0xef}} {
		r = dialRaw(t, s.addr)
		if i < 2 {
			r.session(10000)
		}
		r.write(b)
		if i == 1 {
			r.nc.(*net.TCPConn).CloseWrite()
		}
		if !r.closed(5 * time.Second) {
			t.Fatalf("bad frame %d: connection open", i)
		}
	}
	check("garbage")
	// A connection that never says anything is closed after the
	// sessionless timeout.
}

func TestZkMaxClientCnxns(t *testing.T) {
	s := memServer(t, "maxClientCnxns=2")
	a, b := dialRaw(t, s.addr), dialRaw(t, s.addr)
	a.session(10000)
	b.session(10000)
	c := dialRaw(t, s.addr)
	if !c.closed(5 * time.Second) {
		t.Fatal("third connection from one address accepted")
	}
	waitFor(t, "refusal log", func() bool { return s.logs.has("Too many connections from /127.0.0.1 - max is 2") })
}

// TestZkOrdering pipelines writes and reads on one connection: replies come
// back in request order and each read sees the writes before it.
func TestZkOrdering(t *testing.T) {
	s := memServer(t)
	r := dialRaw(t, s.addr)
	r.session(10000)
	var buf []byte
	const n = 200
	for i := 0; i < n; i++ {
		r.xid++
		buf = wire.AppendRequest(buf, wire.RequestHeader{Xid: r.xid, Type: wire.OpCreate}, &wire.CreateRequest{Path: fmt.Sprintf("/o%d", i), Data: []byte{byte(i)}, ACL: openACL()})
		r.xid++
		buf = wire.AppendRequest(buf, wire.RequestHeader{Xid: r.xid, Type: wire.OpGetData}, &wire.GetDataRequest{Path: fmt.Sprintf("/o%d", i)})
	}
	r.write(buf)
	for i := 0; i < n; i++ {
		var cr wire.CreateResponse
		h := r.reply(&cr)
		if h.Xid != int32(2*i+1) || h.Err != 0 || cr.Path != fmt.Sprintf("/o%d", i) {
			t.Fatalf("create %d: %+v %q", i, h, cr.Path)
		}
		var gd wire.GetDataResponse
		h2 := r.reply(&gd)
		if h2.Xid != int32(2*i+2) || h2.Err != 0 || !bytes.Equal(gd.Data, []byte{byte(i)}) || gd.Stat.Czxid != h.Zxid || h2.Zxid < h.Zxid {
			t.Fatalf("read %d after its write: %+v %+v (create zxid 0x%x)", i, h2, gd, h.Zxid)
		}
	}
}

func TestZkOps(t *testing.T) {
	s := memServer(t)
	r := dialRaw(t, s.addr)
	r.session(10000)
	call := func(op wire.OpCode, body, resp wire.Record, want wire.Code) wire.ReplyHeader {
		t.Helper()
		h := r.call(op, body, resp)
		if h.Err != want {
			t.Fatalf("%v: err %v, want %v", op, h.Err, want)
		}
		return h
	}
	var c2 wire.Create2Response
	call(wire.OpCreate2, &wire.CreateRequest{Path: "/p", Data: []byte("d"), ACL: openACL()}, &c2, 0)
	if c2.Path != "/p" || c2.Stat.DataLength != 1 || c2.Stat.Version != 0 {
		t.Fatalf("create2: %+v", c2)
	}
	call(wire.OpCreate, &wire.CreateRequest{Path: "/p/e1", ACL: openACL(), Flags: wire.CreateModeEphemeral}, &wire.CreateResponse{}, 0)
	call(wire.OpCreate, &wire.CreateRequest{Path: "/p/c", ACL: openACL()}, &wire.CreateResponse{}, 0)
	call(wire.OpCreate, &wire.CreateRequest{Path: "/p/c/e2", ACL: openACL(), Flags: wire.CreateModeEphemeral}, &wire.CreateResponse{}, 0)
	var eph wire.GetEphemeralsResponse
	call(wire.OpGetEphemerals, &wire.GetEphemeralsRequest{PrefixPath: "/p/c"}, &eph, 0)
	if len(eph.Ephemerals) != 1 || eph.Ephemerals[0] != "/p/c/e2" {
		t.Fatalf("getEphemerals: %v", eph.Ephemerals)
	}
	var num wire.GetAllChildrenNumberResponse
	call(wire.OpGetAllChildrenNumber, &wire.GetAllChildrenNumberRequest{Path: "/p"}, &num, 0)
	if num.TotalNumber != 3 {
		t.Fatalf("getAllChildrenNumber: %d", num.TotalNumber)
	}
	var who wire.WhoAmIResponse
	call(wire.OpWhoAmI, &wire.EmptyRecord{}, &who, 0)
	if len(who.ClientInfo) != 1 || who.ClientInfo[0] != (wire.ClientInfo{AuthScheme: "ip", User: "127.0.0.1"}) {
		t.Fatalf("whoAmI: %+v", who)
	}
	var mr wire.MultiResponse
	call(wire.OpMultiRead, &wire.MultiRequest{Ops: []wire.MultiOp{
		{Type: wire.OpGetData, Op: &wire.GetDataRequest{Path: "/p"}},
		{Type: wire.OpGetChildren, Op: &wire.GetChildrenRequest{Path: "/nope"}},
		{Type: wire.OpGetChildren, Op: &wire.GetChildrenRequest{Path: "/p/c"}},
	}}, &mr, 0)
	if len(mr.Results) != 3 || string(mr.Results[0].Data) != "d" || mr.Results[1].Err != wire.Code(-101) || len(mr.Results[2].Children) != 1 {
		t.Fatalf("multiRead: %+v", mr)
	}
	// Watches: addWatch (recursive), checkWatches, removeWatches.
	call(wire.OpAddWatch, &wire.AddWatchRequest{Path: "/p", Mode: wire.AddWatchModePersistentRecursive}, &wire.ErrorResponse{}, 0)
	call(wire.OpCheckWatches, &wire.CheckWatchesRequest{Path: "/p", Type: 3}, nil, 0)
	call(wire.OpCheckWatches, &wire.CheckWatchesRequest{Path: "/nope", Type: 3}, nil, wire.Code(-121))
	call(wire.OpSetData, &wire.SetDataRequest{Path: "/p/c", Data: []byte("x"), Version: -1}, &wire.SetDataResponse{}, 0)
	if len(r.events) != 1 || r.events[0].Type != wire.EventNodeDataChanged || r.events[0].Path != "/p/c" {
		t.Fatalf("recursive watch events: %+v (must precede the reply)", r.events)
	}
	call(wire.OpRemoveWatches, &wire.RemoveWatchesRequest{Path: "/p", Type: 3}, nil, 0)
	call(wire.OpRemoveWatches, &wire.RemoveWatchesRequest{Path: "/p", Type: 3}, nil, wire.Code(-121))
	// TTL nodes are off by default; reconfig is disabled.
	call(wire.OpCreateTTL, &wire.CreateTTLRequest{Path: "/ttl", ACL: openACL(), Flags: wire.CreateModePersistentWithTTL, TTL: 100}, nil, wire.Code(-6))
	call(wire.OpReconfig, &wire.ReconfigRequest{}, nil, wire.Code(-123))
	var sr wire.SyncResponse
	call(wire.OpSync, &wire.SyncRequest{Path: "/p"}, &sr, 0)
	if sr.Path != "/p" {
		t.Fatalf("sync: %q", sr.Path)
	}
	// A standalone check, then the failure shape of multi.
	call(wire.OpCheck, &wire.CheckVersionRequest{Path: "/p", Version: 0}, nil, 0)
	call(wire.OpMulti, &wire.MultiRequest{Ops: []wire.MultiOp{
		{Type: wire.OpCheck, Op: &wire.CheckVersionRequest{Path: "/p", Version: 0}},
		{Type: wire.OpCreate, Op: &wire.CreateRequest{Path: "/p", ACL: openACL()}},
		{Type: wire.OpDelete, Op: &wire.DeleteRequest{Path: "/p/c/e2", Version: -1}},
	}}, &mr, 0)
	codes := []wire.Code{}
	for _, res := range mr.Results {
		codes = append(codes, res.Err)
	}
	if !slices.Equal(codes, []wire.Code{0, -110, -2}) || mr.Results[0].Type != wire.OpError {
		t.Fatalf("failed multi: %+v", mr.Results)
	}
}

func TestZkTTLAndContainers(t *testing.T) {
	s := startServer(t, zkConfig(t, "extendedTypesEnabled=true"), WithStorage(NewMemStorage()), WithContainerCheckInterval(20*time.Millisecond))
	c, _ := goClient(t, s.addr, 10*time.Second)
	acl := gozk.WorldACL(gozk.PermAll)
	if _, err := c.CreateTTL("/ttl", nil, gozk.FlagTTL, acl, 50*time.Millisecond); err != nil {
		t.Fatalf("createTTL: %v", err)
	}
	if _, err := c.CreateContainer("/box", nil, gozk.FlagContainer, acl); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Create("/box/x", nil, 0, acl); err != nil {
		t.Fatal(err)
	}
	if err := c.Delete("/box/x", -1); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "reaper", func() bool {
		a, _, _ := c.Exists("/ttl")
		b, _, _ := c.Exists("/box")
		return !a && !b
	})
}

// proxy forwards TCP connections to target and can cut them all.
type proxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  []net.Conn
}

func newProxy(t *testing.T, target string) *proxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target}
	t.Cleanup(func() { ln.Close(); p.cut() })
	go func() {
		for {
			a, err := ln.Accept()
			if err != nil {
				return
			}
			b, err := net.Dial("tcp", target)
			if err != nil {
				a.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, a, b)
			p.mu.Unlock()
			go func() { io.Copy(a, b); a.Close() }()
			go func() { io.Copy(b, a); b.Close() }()
		}
	}()
	return p
}

func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// TestZkReconnectSetWatches: a go-zookeeper client loses its connection,
// reconnects to the same session and re-arms its watches with setWatches;
// the change it missed fires at once.
func TestZkReconnectSetWatches(t *testing.T) {
	s := memServer(t)
	p := newProxy(t, s.addr)
	c, ev := goClient(t, p.ln.Addr().String(), 5*time.Second)
	other, _ := goClient(t, s.addr, 10*time.Second)
	acl := gozk.WorldACL(gozk.PermAll)
	if _, err := c.Create("/sw", []byte("a"), 0, acl); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Create("/sw-eph", nil, gozk.FlagEphemeral, acl); err != nil {
		t.Fatal(err)
	}
	_, _, dataW, err := c.GetW("/sw")
	if err != nil {
		t.Fatal(err)
	}
	_, _, existW, err := c.ExistsW("/sw-new")
	if err != nil {
		t.Fatal(err)
	}
	sid := c.SessionID()
	p.ln.Close() // no reconnect until the change is made
	p.cut()
	waitFor(t, "disconnect", func() bool { return c.State() != gozk.StateHasSession })
	if _, err := other.Set("/sw", []byte("b"), -1); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Create("/sw-new", nil, 0, acl); err != nil {
		t.Fatal(err)
	}
	// Reopen the proxy on the same port.
	ln, err := net.Listen("tcp", p.ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	p2 := &proxy{ln: ln, target: s.addr}
	t.Cleanup(func() { ln.Close(); p2.cut() })
	go func() {
		for {
			a, err := ln.Accept()
			if err != nil {
				return
			}
			b, _ := net.Dial("tcp", s.addr)
			p2.mu.Lock()
			p2.conns = append(p2.conns, a, b)
			p2.mu.Unlock()
			go func() { io.Copy(a, b); a.Close() }()
			go func() { io.Copy(b, a); b.Close() }()
		}
	}()
	if e := waitEvent(t, dataW, "data after reconnect"); e.Type != gozk.EventNodeDataChanged || e.Path != "/sw" {
		t.Fatalf("data watch: %+v", e)
	}
	if e := waitEvent(t, existW, "exist after reconnect"); e.Type != gozk.EventNodeCreated || e.Path != "/sw-new" {
		t.Fatalf("exist watch: %+v", e)
	}
	if c.SessionID() != sid {
		t.Fatalf("session changed: 0x%x → 0x%x", sid, c.SessionID())
	}
	for len(ev) > 0 {
		<-ev
	}
	if ok, _, _ := other.Exists("/sw-eph"); !ok {
		t.Fatal("the ephemeral of a session that reconnected is gone")
	}
}

func TestZkAuthAndACL(t *testing.T) {
	s := memServer(t, "DigestAuthenticationProvider.superDigest="+DigestID("super", "boss"))
	alice, _ := goClient(t, s.addr, 10*time.Second)
	if err := alice.AddAuth("digest", []byte("alice:secret")); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.Create("/private", []byte("s"), 0, gozk.DigestACL(gozk.PermAll, "alice", "secret")); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.Create("/mine", nil, 0, []gozk.ACL{{Perms: gozk.PermAll, Scheme: "auth", ID: ""}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := alice.Get("/private"); err != nil {
		t.Fatal(err)
	}
	bob, _ := goClient(t, s.addr, 10*time.Second)
	if _, _, err := bob.Get("/private"); !errors.Is(err, gozk.ErrNoAuth) {
		t.Fatalf("bob reads: %v", err)
	}
	acl, _, err := bob.GetACL("/mine")
	if !errors.Is(err, gozk.ErrNoAuth) {
		t.Fatalf("bob getACL: %v %v", acl, err)
	}
	if _, err := bob.Create("/bad", nil, 0, []gozk.ACL{{Perms: gozk.PermAll, Scheme: "auth", ID: ""}}); !errors.Is(err, gozk.ErrInvalidACL) {
		t.Fatalf("auth ACL without auth: %v", err)
	}
	if err := bob.AddAuth("digest", []byte("alice:wrong")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := bob.Get("/private"); !errors.Is(err, gozk.ErrNoAuth) {
		t.Fatalf("wrong password reads: %v", err)
	}
	boss, _ := goClient(t, s.addr, 10*time.Second)
	if err := boss.AddAuth("digest", []byte("super:boss")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := boss.Get("/private"); err != nil {
		t.Fatalf("super reads: %v", err)
	}
	// An unknown scheme: AuthFailed, and the connection is closed.
	r := dialRaw(t, s.addr)
	r.session(10000)
	h := r.call(wire.OpAuth, &wire.AuthPacket{Scheme: "kerberos", Auth: []byte("x")}, nil)
	if h.Err != wire.Code(-115) || !r.closed(5*time.Second) {
		t.Fatalf("bad scheme: %+v", h)
	}
	// ip scheme ACLs match the connection's address.
	if _, err := alice.Create("/local", nil, 0, []gozk.ACL{{Perms: gozk.PermRead, Scheme: "ip", ID: "127.0.0.0/8"}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := bob.Get("/local"); err != nil {
		t.Fatalf("ip ACL: %v", err)
	}
}

// ---- four-letter words ----

func TestZkFourLetterWords(t *testing.T) {
	s := memServer(t, "tickTime=2000")
	c, _ := goClient(t, s.addr, 10*time.Second)
	if _, err := c.Create("/f", []byte("12345"), gozk.FlagEphemeral, gozk.WorldACL(gozk.PermAll)); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := c.GetW("/f"); err != nil {
		t.Fatal(err)
	}
	if got := fourLetter(t, s.addr, "ruok"); got != "imok" {
		t.Errorf("ruok = %q", got)
	}
	if got := fourLetter(t, s.addr, "isro"); got != "rw" {
		t.Errorf("isro = %q", got)
	}
	srvr := fourLetter(t, s.addr, "srvr")
	lines := strings.Split(srvr, "\n")
	want := []string{"Zookeeper version: " + DefaultVersion, "Latency min/avg/max: ", "Received: ", "Sent: ", "Connections: 2", "Outstanding: 0", "Zxid: 0x", "Mode: standalone", "Node count: 6", ""}
	if len(lines) != len(want) {
		t.Fatalf("srvr:\n%s", srvr)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("srvr line %d = %q, want prefix %q", i, lines[i], w)
		}
	}
	stat := fourLetter(t, s.addr, "stat")
	if !strings.Contains(stat, "\nClients:\n /127.0.0.1:") || !strings.Contains(stat, "[1](queued=0,recved=") || !strings.Contains(stat, "[0](queued=0,recved=0,sent=0)\n\nLatency min/avg/max:") {
		t.Errorf("stat:\n%s", stat)
	}
	cons := fourLetter(t, s.addr, "cons")
	if !strings.Contains(cons, fmt.Sprintf(",sid=0x%x,lop=GETD,est=", c.SessionID())) || !strings.Contains(cons, ",to=10000,lcxid=0x") || !strings.HasSuffix(cons, ")\n\n") {
		t.Errorf("cons:\n%s", cons)
	}
	if got := fourLetter(t, s.addr, "wchs"); got != "1 connections watching 1 paths\nTotal watches:1\n" {
		t.Errorf("wchs = %q", got)
	}
	if got := fourLetter(t, s.addr, "wchc"); got != fmt.Sprintf("0x%x\n\t/f\n\n", c.SessionID()) {
		t.Errorf("wchc = %q", got)
	}
	if got := fourLetter(t, s.addr, "wchp"); got != fmt.Sprintf("/f\n\t0x%x\n\n", c.SessionID()) {
		t.Errorf("wchp = %q", got)
	}
	dump := fourLetter(t, s.addr, "dump")
	if !strings.HasPrefix(dump, "SessionTracker dump:\nSession Sets (1)/(1):\n1 expire at ") ||
		!strings.Contains(dump, fmt.Sprintf("ephemeral nodes dump:\nSessions with Ephemerals (1):\n0x%x:\n\t/f\nConnections dump:\n", c.SessionID())) {
		t.Errorf("dump:\n%s", dump)
	}
	conf := fourLetter(t, s.addr, "conf")
	for _, l := range []string{"clientPort=" + strings.Split(s.addr, ":")[1] + "\n", "secureClientPort=-1\n", "tickTime=2000\n", "minSessionTimeout=4000\n", "maxSessionTimeout=40000\n", "serverId=0\n", "dataDir=" + versionDir(s.cfg.DataDir) + "\n"} {
		if !strings.Contains(conf, l) {
			t.Errorf("conf lacks %q:\n%s", l, conf)
		}
	}
	mntr := fourLetter(t, s.addr, "mntr")
	for _, l := range []string{"zk_version\t" + DefaultVersion + "\n", "zk_server_state\tstandalone\n", "zk_ephemerals_count\t1\n", "zk_znode_count\t6\n", "zk_watch_count\t1\n", "zk_global_sessions\t1\n", "zk_avg_latency\t"} {
		if !strings.Contains(mntr, l) {
			t.Errorf("mntr lacks %q:\n%s", l, mntr)
		}
	}
	if env := fourLetter(t, s.addr, "envi"); !strings.HasPrefix(env, "Environment:\nzookeeper.version="+DefaultVersion+"\nhost.name=") {
		t.Errorf("envi:\n%s", env)
	}
	if got := fourLetter(t, s.addr, "gtmk"); got != "306" {
		t.Errorf("gtmk = %q", got)
	}
	if got := fourLetter(t, s.addr, "stmk\x00\x00\x00\x00\x00\x00\x01\x02"); got != "258" {
		t.Errorf("stmk = %q", got)
	}
	if got := fourLetter(t, s.addr, "srst"); got != "Server stats reset.\n" {
		t.Errorf("srst = %q", got)
	}
	if got := fourLetter(t, s.addr, "crst"); got != "Connection stats reset.\n" {
		t.Errorf("crst = %q", got)
	}
	if !s.logs.has("INFO Processing ruok command from /127.0.0.1:") {
		t.Errorf("no 4lw log line:\n%s", s.logs)
	}
}

func TestZkFourLetterWhitelist(t *testing.T) {
	s := memServer(t, "4lw.commands.whitelist=stat")
	for _, cmd := range []string{"ruok", "mntr", "dump", "cons"} {
		if got := fourLetter(t, s.addr, cmd); got != cmd+" is not executed because it is not in the whitelist.\n" {
			t.Errorf("%s = %q", cmd, got)
		}
	}
	if got := fourLetter(t, s.addr, "srvr"); !strings.HasPrefix(got, "Zookeeper version: ") {
		t.Errorf("srvr is always allowed: %q", got)
	}
	if got := fourLetter(t, s.addr, "stat"); !strings.Contains(got, "Clients:") {
		t.Errorf("stat: %q", got)
	}
	// The default list is srvr alone, as in 3.8.
	cfg, _, err := config.LoadZooKeeper("", []string{"dataDir=" + t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	cfg.ClientPortAddress = "127.0.0.1"
	d := startServer(t, cfg, WithStorage(NewMemStorage()))
	if got := fourLetter(t, d.addr, "ruok"); got != "ruok is not executed because it is not in the whitelist.\n" {
		t.Errorf("default whitelist: ruok = %q", got)
	}
}

func TestZkSessionPasswordIsJavas(t *testing.T) {
	// java.util.Random(0x1234567890abc ^ 0xB3415C00).nextBytes(16), from a JVM.
	const want = "27879e2a826e1f55c9ccc48abe489736"
	if got := fmt.Sprintf("%x", sessionPassword(0x1234567890abc)); got != want {
		t.Fatalf("password %s, want %s", got, want)
	}
	if id := initialSessionID(1700000000000, 0); id>>56 != 0 || id == 0 {
		t.Fatalf("initial session id 0x%x", id)
	}
	if id := initialSessionID(1700000000000, 5); id>>56 != 5 {
		t.Fatalf("server id not in the top byte: 0x%x", id)
	}
}

// TestZkIdleAndSlowClients: a thousand idle connections and a client that
// never reads its replies do not stall the others; a connection that never
// sends its handshake is closed after the sessionless timeout.
func TestZkIdleAndSlowClients(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: opens a thousand connections")
	}
	s := memServer(t, "nio.sessionlessCnxnTimeout=300")
	var idle []net.Conn
	for i := 0; i < 1000; i++ {
		nc, err := net.Dial("tcp", s.addr)
		if err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
		idle = append(idle, nc)
		if i%2 == 0 { // half have a session and then say nothing
			_, _ = nc.Write(wire.AppendFrame(nil, wire.ConnectRequest{TimeOut: 30000, Passwd: make([]byte, 16)}.Append(nil)))
		}
	}
	defer func() {
		for _, nc := range idle {
			nc.Close()
		}
	}()
	c, _ := goClient(t, s.addr, 10*time.Second)
	big := bytes.Repeat([]byte("x"), 512<<10)
	if _, err := c.Create("/big", big, 0, gozk.WorldACL(gozk.PermAll)); err != nil {
		t.Fatal(err)
	}
	slow := dialRaw(t, s.addr)
	slow.session(30000)
	var buf []byte
	for i := 0; i < 400; i++ { // 200 MB of replies nobody reads
		buf = wire.AppendRequest(buf, wire.RequestHeader{Xid: int32(i + 1), Type: wire.OpGetData}, &wire.GetDataRequest{Path: "/big"})
	}
	go slow.nc.Write(buf)
	time.Sleep(200 * time.Millisecond)
	for i := 0; i < 100; i++ {
		start := time.Now()
		if _, err := c.Set("/big", []byte{byte(i)}, -1); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("set %d took %v beside a slow reader", i, d)
		}
	}
	// Sessionless connections (the odd ones) were closed by now.
	closedCount := 0
	for i := 1; i < len(idle); i += 2 {
		_ = idle[i].SetReadDeadline(time.Now().Add(2 * time.Second))
		if _, err := idle[i].Read(make([]byte, 1)); err != nil {
			var ne net.Error
			if !(errors.As(err, &ne) && ne.Timeout()) {
				closedCount++
			}
		}
	}
	if closedCount != 500 {
		t.Fatalf("%d of 500 sessionless connections closed", closedCount)
	}
}

// TestZkRestartResumesSessions stops a server and starts another on the
// same storage: znodes, zxids and live sessions come back; a client
// reconnects to its session and its ephemeral is still there; a session
// nobody resumes expires on its timeout.
func TestZkRestartResumesSessions(t *testing.T) {
	log, snap := NewMemStorage()
	cfg := zkConfig(t, "tickTime=100", "snapCount=10")
	s1 := startServer(t, cfg, WithStorage(log, snap))
	keep := dialRaw(t, s1.addr)
	keep.session(2000)
	lost := dialRaw(t, s1.addr)
	lost.session(200)
	for i, r := range []*rawClient{keep, lost} {
		if h := r.call(wire.OpCreate, &wire.CreateRequest{Path: fmt.Sprintf("/e%d", i), ACL: openACL(), Flags: wire.CreateModeEphemeral}, &wire.CreateResponse{}); h.Err != 0 {
			t.Fatal(h.Err)
		}
	}
	for i := 0; i < 30; i++ { // enough for a snapshot and a log roll
		if h := keep.call(wire.OpCreate, &wire.CreateRequest{Path: fmt.Sprintf("/n%d", i), ACL: openACL()}, &wire.CreateResponse{}); h.Err != 0 {
			t.Fatal(h.Err)
		}
	}
	h := keep.call(wire.OpPing, &wire.EmptyRecord{}, nil)
	lastZxid := h.Zxid
	s1.Close()
	log.Reopen()
	if snap.Count() < 2 {
		t.Errorf("%d snapshots: want the startup one and a snapCount one", snap.Count())
	}
	s2 := startServer(t, cfg, WithStorage(log, snap))
	again := dialRaw(t, s2.addr)
	resp, _ := again.connect(wire.ConnectRequest{LastZxidSeen: lastZxid, TimeOut: 2000, SessionID: keep.sid, Passwd: keep.passwd, HasReadOnly: true})
	if resp.SessionID != keep.sid {
		t.Fatalf("session not resumed: %+v", resp)
	}
	var st wire.ExistsResponse
	if h := again.call(wire.OpExists, &wire.ExistsRequest{Path: "/e0"}, &st); h.Err != 0 || st.Stat.EphemeralOwner != keep.sid || h.Zxid < lastZxid {
		t.Fatalf("resumed session's ephemeral: %+v %+v", h, st)
	}
	var gd wire.GetDataResponse
	if h := again.call(wire.OpGetData, &wire.GetDataRequest{Path: "/n29"}, &gd); h.Err != 0 {
		t.Fatalf("/n29 after restart: %v", h.Err)
	}
	// The session nobody resumed expires, and its ephemeral goes.
	waitFor(t, "expiry of the abandoned session", func() bool {
		h := again.call(wire.OpExists, &wire.ExistsRequest{Path: "/e1"}, &st)
		return h.Err == wire.Code(-101)
	})
}
