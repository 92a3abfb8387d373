package wire

import (
	"bytes"
	"errors"
	"net"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
)

// A cross-check against an independent implementation: go-zookeeper's client
// talks to a scripted server built from this package over net.Pipe (no
// network). Its requests must decode to what the client was asked to send,
// and our replies must decode to what the client reports.

type nopLogger struct{}

func (nopLogger) Printf(string, ...any) {}

type seenRequest struct {
	h   RequestHeader
	rec Record
}

// scriptedServer answers one go-zookeeper connection until closeSession or
// an error, sending each decoded request (pings excepted) to seen.
func scriptedServer(conn net.Conn, connects chan<- ConnectRequest, seen chan<- seenRequest, failed chan<- error) {
	defer conn.Close()
	fail := func(err error) { failed <- err }
	payload, err := ReadFrame(conn, nil, 0)
	if err != nil {
		fail(err)
		return
	}
	cr, err := DecodeConnectRequest(payload, 0)
	if err != nil {
		fail(err)
		return
	}
	connects <- cr
	resp := ConnectResponse{TimeOut: 30000, SessionID: 0x017a2b3c4d5e0000, Passwd: pw16(), HasReadOnly: cr.HasReadOnly}
	if _, err := conn.Write(AppendFrame(nil, resp.Append(nil))); err != nil {
		fail(err)
		return
	}
	const zxid = 0x42
	stat := Stat{Czxid: 7, Mzxid: 8, Version: 3, DataLength: 5, NumChildren: 2, Pzxid: 9}
	var buf []byte
	for {
		payload, err := ReadFrame(conn, buf, 0)
		if err != nil {
			fail(err)
			return
		}
		buf = payload[:0]
		h, rec, err := ParseRequest(payload, 0)
		if err != nil {
			fail(err)
			return
		}
		if h.Type != OpPing {
			seen <- seenRequest{h, rec}
		}
		rh := ReplyHeader{Xid: h.Xid, Zxid: zxid}
		var body Record
		var after []byte
		switch req := rec.(type) {
		case *CreateRequest:
			if h.Type == OpCreate {
				body = &CreateResponse{Path: req.Path}
			} else {
				body = &Create2Response{Path: req.Path, Stat: stat}
			}
		case *CreateTTLRequest:
			body = &Create2Response{Path: req.Path, Stat: stat}
		case *ExistsRequest:
			rh.Err = CodeNoNode
		case *GetDataRequest:
			body = &GetDataResponse{Data: []byte("hello"), Stat: stat}
			if req.Watch {
				after = AppendNotification(nil, WatcherEvent{Type: EventNodeDataChanged, State: StateSyncConnected, Path: req.Path})
			}
		case *GetChildren2Request:
			body = &GetChildren2Response{Children: []string{"a", "b"}, Stat: stat}
		case *SetDataRequest:
			s := stat
			s.Version = req.Version + 1
			body = &SetDataResponse{Stat: s}
		case *GetACLRequest:
			body = &GetACLResponse{ACL: []ACL{{PermRead, "digest", "bob:x"}}, Stat: stat}
		case *SetACLRequest:
			s := stat
			s.Aversion = req.Version + 1
			body = &SetACLResponse{Stat: s}
		case *SyncRequest:
			body = &SyncResponse{Path: req.Path}
		case *MultiRequest:
			var results []MultiResult
			failAt := -1
			for i, op := range req.Ops {
				if c, ok := op.Op.(*CreateRequest); ok && c.Path == "/fail" {
					failAt = i
				}
			}
			for i, op := range req.Ops {
				switch {
				case failAt >= 0 && i < failAt:
					results = append(results, MultiResult{Type: OpError, Err: CodeOK})
				case i == failAt:
					results = append(results, MultiResult{Type: OpError, Err: CodeNodeExists})
				case failAt >= 0:
					results = append(results, MultiResult{Type: OpError, Err: CodeRuntimeInconsistency})
				case op.Type == OpCreate:
					results = append(results, MultiResult{Type: OpCreate, Path: op.Op.(*CreateRequest).Path})
				case op.Type == OpSetData:
					results = append(results, MultiResult{Type: OpSetData, Stat: stat})
				default:
					results = append(results, MultiResult{Type: op.Type})
				}
			}
			body = &MultiResponse{Results: results}
		}
		out := AppendReply(nil, rh, body)
		if _, err := conn.Write(append(out, after...)); err != nil {
			fail(err)
			return
		}
		if h.Type == OpCloseSession {
			failed <- nil
			return
		}
	}
}

func TestGoZookeeperClient(t *testing.T) {
	srv, cli := net.Pipe()
	var dialed atomic.Bool
	dialer := func(string, string, time.Duration) (net.Conn, error) {
		if dialed.Swap(true) {
			return nil, errors.New("test: one connection only")
		}
		return cli, nil
	}
	connects := make(chan ConnectRequest, 1)
	seen := make(chan seenRequest, 64)
	done := make(chan error, 1)
	go scriptedServer(srv, connects, seen, done)

	conn, events, err := zk.Connect([]string{"127.0.0.1:2181"}, 30*time.Second,
		zk.WithDialer(dialer), zk.WithLogger(nopLogger{}), zk.WithLogInfo(false))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()

	select {
	case cr := <-connects:
		want := ConnectRequest{TimeOut: 30000, Passwd: make([]byte, 16)}
		if !reflect.DeepEqual(cr, want) {
			t.Fatalf("connect request %+v, want %+v (go-zookeeper sends no readOnly byte)", cr, want)
		}
	case err := <-done:
		t.Fatalf("server: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("no connect request")
	}
	for hasSession := false; !hasSession; {
		select {
		case ev := <-events:
			hasSession = ev.State == zk.StateHasSession
		case <-time.After(10 * time.Second):
			t.Fatal("no session")
		}
	}
	if conn.SessionID() != 0x017a2b3c4d5e0000 {
		t.Fatalf("session id %x", conn.SessionID())
	}

	var lastXid int32
	expect := func(op OpCode, want Record) {
		t.Helper()
		var got seenRequest
		select {
		case got = <-seen:
		case err := <-done:
			// The server queues a request before it can finish, so one may
			// be waiting even when done is ready too.
			select {
			case got = <-seen:
				done <- err
			default:
				t.Fatalf("server ended before %s: %v", op, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no %s request", op)
		}
		if got.h.Type != op || !reflect.DeepEqual(got.rec, want) {
			t.Fatalf("server saw %s %+v, want %s %+v", got.h.Type, got.rec, op, want)
		}
		if got.h.Xid <= lastXid {
			t.Fatalf("xid %d after %d", got.h.Xid, lastXid)
		}
		lastXid = got.h.Xid
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	world := zk.WorldACL(zk.PermAll)

	p, err := conn.Create("/a", []byte("x"), zk.FlagPersistent, world)
	must(err)
	expect(OpCreate, &CreateRequest{Path: "/a", Data: []byte("x"), ACL: openACL()})
	if p != "/a" {
		t.Errorf("create returned %q", p)
	}

	_, err = conn.Create("/e", nil, zk.FlagEphemeral, world)
	must(err)
	expect(OpCreate, &CreateRequest{Path: "/e", ACL: openACL(), Flags: CreateModeEphemeral}) // nil data stays null

	_, err = conn.CreateContainer("/c", []byte{}, zk.FlagContainer, world)
	must(err)
	expect(OpCreateContainer, &CreateRequest{Path: "/c", Data: []byte{}, ACL: openACL(), Flags: CreateModeContainer})

	_, err = conn.CreateTTL("/t", []byte("v"), zk.FlagTTL, world, 1500*time.Millisecond)
	must(err)
	expect(OpCreateTTL, &CreateTTLRequest{Path: "/t", Data: []byte("v"), ACL: openACL(), Flags: CreateModePersistentWithTTL, TTL: 1500})

	data, st, err := conn.Get("/a")
	must(err)
	expect(OpGetData, &GetDataRequest{Path: "/a"})
	if string(data) != "hello" || st.Version != 3 || st.Czxid != 7 || st.Mzxid != 8 || st.Pzxid != 9 || st.NumChildren != 2 {
		t.Errorf("get: %q %+v", data, st)
	}

	ok, _, err := conn.Exists("/missing")
	must(err)
	expect(OpExists, &ExistsRequest{Path: "/missing"})
	if ok {
		t.Error("exists on NoNode reported true")
	}

	children, st, err := conn.Children("/")
	must(err)
	expect(OpGetChildren2, &GetChildren2Request{Path: "/"})
	if !reflect.DeepEqual(children, []string{"a", "b"}) || st.NumChildren != 2 {
		t.Errorf("children %v %+v", children, st)
	}

	st, err = conn.Set("/a", []byte("y"), 3)
	must(err)
	expect(OpSetData, &SetDataRequest{Path: "/a", Data: []byte("y"), Version: 3})
	if st.Version != 4 {
		t.Errorf("set: version %d", st.Version)
	}

	must(conn.Delete("/a", -1))
	expect(OpDelete, &DeleteRequest{Path: "/a", Version: -1})

	acl, _, err := conn.GetACL("/a")
	must(err)
	expect(OpGetACL, &GetACLRequest{Path: "/a"})
	if len(acl) != 1 || acl[0] != (zk.ACL{Perms: zk.PermRead, Scheme: "digest", ID: "bob:x"}) {
		t.Errorf("getACL %+v", acl)
	}
	st, err = conn.SetACL("/a", world, 0)
	must(err)
	expect(OpSetACL, &SetACLRequest{Path: "/a", ACL: openACL(), Version: 0})
	if st.Aversion != 1 {
		t.Errorf("setACL: aversion %d", st.Aversion)
	}

	sp, err := conn.Sync("/s")
	must(err)
	expect(OpSync, &SyncRequest{Path: "/s"})
	if sp != "/s" {
		t.Errorf("sync %q", sp)
	}

	res, err := conn.Multi(
		&zk.CreateRequest{Path: "/m", Data: []byte("1"), Acl: world},
		&zk.SetDataRequest{Path: "/m", Data: []byte("2"), Version: 0},
		&zk.CheckVersionRequest{Path: "/m", Version: 1},
		&zk.DeleteRequest{Path: "/m", Version: -1},
	)
	must(err)
	expect(OpMulti, &MultiRequest{Ops: []MultiOp{
		{Type: OpCreate, Op: &CreateRequest{Path: "/m", Data: []byte("1"), ACL: openACL()}},
		{Type: OpSetData, Op: &SetDataRequest{Path: "/m", Data: []byte("2")}},
		{Type: OpCheck, Op: &CheckVersionRequest{Path: "/m", Version: 1}},
		{Type: OpDelete, Op: &DeleteRequest{Path: "/m", Version: -1}},
	}})
	if len(res) != 4 || res[0].String != "/m" || res[1].Stat == nil || res[1].Stat.Version != 3 {
		t.Errorf("multi results %+v", res)
	}
	for i, r := range res {
		if r.Error != nil {
			t.Errorf("multi result %d: %v", i, r.Error)
		}
	}

	res, err = conn.Multi(
		&zk.DeleteRequest{Path: "/x", Version: -1},
		&zk.CreateRequest{Path: "/fail", Acl: world},
		&zk.DeleteRequest{Path: "/y", Version: -1},
	)
	expect(OpMulti, &MultiRequest{Ops: []MultiOp{
		{Type: OpDelete, Op: &DeleteRequest{Path: "/x", Version: -1}},
		{Type: OpCreate, Op: &CreateRequest{Path: "/fail", ACL: openACL()}},
		{Type: OpDelete, Op: &DeleteRequest{Path: "/y", Version: -1}},
	}})
	if !errors.Is(err, zk.ErrNodeExists) || len(res) != 3 || res[0].Error != nil || !errors.Is(res[1].Error, zk.ErrNodeExists) || res[2].Error == nil {
		t.Errorf("failed multi: %v %+v", err, res)
	}

	must(conn.AddAuth("digest", []byte("bob:pw")))
	expect(OpAuth, &AuthPacket{Scheme: "digest", Auth: []byte("bob:pw")}) // go-zookeeper uses a normal xid

	_, _, watch, err := conn.GetW("/w")
	must(err)
	expect(OpGetData, &GetDataRequest{Path: "/w", Watch: true})
	select {
	case ev := <-watch:
		if ev.Type != zk.EventNodeDataChanged || ev.Path != "/w" || ev.State != zk.StateSyncConnected {
			t.Errorf("watch event %+v", ev)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no watch event")
	}

	conn.Close()
	expect(OpCloseSession, &EmptyRecord{})
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("server: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("server did not finish")
	}
}

// go-zookeeper reads a ConnectResponse with or without the readOnly byte;
// both of ours must carry the same session.
func TestConnectResponseBothLengthsDecode(t *testing.T) {
	for _, present := range []bool{false, true} {
		b := ConnectResponse{TimeOut: 1, SessionID: 2, Passwd: pw16(), HasReadOnly: present}.Append(nil)
		var got ConnectResponse
		r := NewJuteReader(b, 0)
		got.Decode(r)
		if r.Complete() != nil || got.SessionID != 2 || !bytes.Equal(got.Passwd, pw16()) || got.HasReadOnly != present {
			t.Errorf("present %v: %+v %v", present, got, r.Complete())
		}
	}
}
