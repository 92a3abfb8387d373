package wire

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

// readGolden parses testdata/zk_golden.hex: "== name" starts a case, "#"
// lines are comments, hex digits may be split by spaces and "|".
func readGolden(t testing.TB) map[string][]byte {
	t.Helper()
	f, err := os.Open("testdata/zk_golden.hex")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]byte{}
	var name string
	var digits strings.Builder
	flush := func() {
		if name == "" {
			return
		}
		b, err := hex.DecodeString(digits.String())
		if err != nil {
			t.Fatalf("golden %s: %v", name, err)
		}
		out[name] = b
		digits.Reset()
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "== "):
			flush()
			name = strings.TrimPrefix(line, "== ")
		default:
			digits.WriteString(strings.NewReplacer(" ", "", "|", "", "\t", "").Replace(line))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	flush()
	return out
}

const brokersIDs0 = "/brokers/ids/0"

// Fixtures are built by functions so that no test mutates shared state.
func openACL() []ACL { return []ACL{{Perms: PermAll, Scheme: "world", ID: "anyone"}} }

func pw16() []byte { return []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15} }

func registrationStat() Stat {
	return Stat{Czxid: 0x1b, Mzxid: 0x1b, Ctime: 0x18c0a0b0c0d, Mtime: 0x18c0a0b0c0d, Version: 1,
		EphemeralOwner: 0x017a2b3c4d5e0000, DataLength: 7, Pzxid: 0x1b}
}

// goldenKind says how a golden case is framed.
type goldenKind int

const (
	kindConnectRequest  goldenKind = iota // frame: ConnectRequest
	kindConnectResponse                   // frame: ConnectResponse
	kindRequest                           // frame: RequestHeader + body
	kindReply                             // frame: ReplyHeader + body
	kindBody                              // record only
)

type goldenCase struct {
	name string
	kind goldenKind
	req  RequestHeader
	rep  ReplyHeader
	rec  Record // expected record; nil for a header-only frame
}

func goldenCases() []goldenCase {
	return []goldenCase{
		{name: "connect_request_java", kind: kindConnectRequest,
			rec: &ConnectRequest{TimeOut: 30000, Passwd: make([]byte, 16), HasReadOnly: true}},
		{name: "connect_request_gozk", kind: kindConnectRequest,
			rec: &ConnectRequest{TimeOut: 30000, Passwd: make([]byte, 16)}},
		{name: "connect_response", kind: kindConnectResponse,
			rec: &ConnectResponse{TimeOut: 30000, SessionID: 0x017a2b3c4d5e0000, Passwd: pw16(), HasReadOnly: true}},
		{name: "connect_response_old_client", kind: kindConnectResponse,
			rec: &ConnectResponse{TimeOut: 30000, SessionID: 0x017a2b3c4d5e0000, Passwd: pw16()}},
		{name: "connect_response_expired", kind: kindConnectResponse,
			rec: &ConnectResponse{Passwd: make([]byte, 16), HasReadOnly: true}},
		{name: "create_request", kind: kindRequest, req: RequestHeader{Xid: 1, Type: OpCreate},
			rec: &CreateRequest{Path: "/a", Data: []byte("x"), ACL: openACL(), Flags: CreateModePersistent}},
		{name: "create_reply", kind: kindReply, rep: ReplyHeader{Xid: 1, Zxid: 0x1a},
			rec: &CreateResponse{Path: "/a"}},
		{name: "create_reply_node_exists", kind: kindReply, rep: ReplyHeader{Xid: 1, Zxid: 0x1a, Err: CodeNodeExists}},
		{name: "get_data_reply_no_node", kind: kindReply, rep: ReplyHeader{Xid: 7, Zxid: 0x1a, Err: CodeNoNode}},
		{name: "ping_request", kind: kindRequest, req: RequestHeader{Xid: XidPing, Type: OpPing}, rec: &EmptyRecord{}},
		{name: "ping_reply", kind: kindReply, rep: ReplyHeader{Xid: XidPing, Zxid: 0x1a}},
		{name: "notification", kind: kindReply, rep: ReplyHeader{Xid: XidNotification, Zxid: -1},
			rec: &WatcherEvent{Type: EventNodeDataChanged, State: StateSyncConnected, Path: "/a"}},
		{name: "multi_request_body", kind: kindBody, rec: &MultiRequest{Ops: []MultiOp{
			{Type: OpCreate, Op: &CreateRequest{Path: brokersIDs0, ACL: openACL(), Flags: CreateModeEphemeral}},
			{Type: OpSetData, Op: &SetDataRequest{Path: brokersIDs0, Data: []byte(`{"v":1}`)}},
		}}},
		{name: "multi_success_body", kind: kindBody, rec: &MultiResponse{Results: []MultiResult{
			{Type: OpCreate, Path: brokersIDs0},
			{Type: OpSetData, Stat: registrationStat()},
		}}},
		{name: "multi_node_exists_body", kind: kindBody, rec: &MultiResponse{Results: []MultiResult{
			{Type: OpError, Err: CodeNodeExists},
			{Type: OpError, Err: CodeRuntimeInconsistency},
		}}},
		{name: "close_session_request", kind: kindRequest, req: RequestHeader{Xid: 10, Type: OpCloseSession}, rec: &EmptyRecord{}},
		{name: "set_watches_request", kind: kindRequest, req: RequestHeader{Xid: XidSetWatches, Type: OpSetWatches},
			rec: &SetWatches{RelativeZxid: 0x1a, DataWatches: []string{"/a"}, ChildWatches: []string{"/b", "/c"}}},
		{name: "set_watches2_body", kind: kindBody, rec: &SetWatches2{RelativeZxid: 1,
			PersistentWatches: []string{"/p"}, PersistentRecursiveWatches: []string{"/r"}}},
		{name: "auth_request", kind: kindRequest, req: RequestHeader{Xid: XidAuth, Type: OpAuth},
			rec: &AuthPacket{Scheme: "digest", Auth: []byte("bob:pw")}},
		{name: "auth_failed_reply", kind: kindReply, rep: ReplyHeader{Xid: XidAuth, Err: CodeAuthFailed}},
		{name: "add_watch_reply", kind: kindReply, rep: ReplyHeader{Xid: 5, Zxid: 0x1a}, rec: &ErrorResponse{}},
		{name: "get_children2_reply", kind: kindReply, rep: ReplyHeader{Xid: 3, Zxid: 0x1a},
			rec: &GetChildren2Response{Children: []string{"b", "a"}, Stat: Stat{Cversion: 2, NumChildren: 2, Pzxid: 0x1a}}},
		{name: "get_data_reply_null", kind: kindReply, rep: ReplyHeader{Xid: 4, Zxid: 0x1a}, rec: &GetDataResponse{}},
		{name: "who_am_i_reply", kind: kindReply, rep: ReplyHeader{Xid: 9, Zxid: 0x1a},
			rec: &WhoAmIResponse{ClientInfo: []ClientInfo{{"ip", "127.0.0.1"}, {"digest", "bob"}}}},
		{name: "create_ttl_body", kind: kindBody, rec: &CreateTTLRequest{Path: "/t", Data: []byte{}, ACL: openACL(),
			Flags: CreateModePersistentWithTTL, TTL: 1000}},
		{name: "multi_read_response_body", kind: kindBody, rec: &MultiResponse{Results: []MultiResult{
			{Type: OpGetChildren, Children: []string{"x"}},
			{Type: OpError, Err: CodeNoNode},
			{Type: OpGetData, Data: []byte("d"), Stat: Stat{DataLength: 1}},
		}}},
	}
}

// fresh returns a new zero record of rec's type.
func fresh(rec Record) Record {
	return reflect.New(reflect.TypeOf(rec).Elem()).Interface().(Record)
}

func (c goldenCase) encode() []byte {
	switch c.kind {
	case kindConnectRequest, kindConnectResponse:
		return AppendFrame(nil, c.rec.Append(nil))
	case kindRequest:
		return AppendRequest(nil, c.req, c.rec)
	case kindReply:
		return AppendReply(nil, c.rep, c.rec)
	}
	return c.rec.Append(nil)
}

func (c goldenCase) decode(t *testing.T, b []byte) {
	t.Helper()
	payload := b
	if c.kind != kindBody {
		var err error
		payload, err = ReadFrame(bytes.NewReader(b), nil, 0)
		if err != nil {
			t.Fatalf("ReadFrame: %v", err)
		}
	}
	switch c.kind {
	case kindConnectRequest:
		got, err := DecodeConnectRequest(payload, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(&got, c.rec) {
			t.Fatalf("decoded %+v, want %+v", got, c.rec)
		}
		return
	case kindRequest:
		h, rec, err := ParseRequest(payload, 0)
		if err != nil {
			t.Fatal(err)
		}
		if h != c.req || !reflect.DeepEqual(rec, c.rec) {
			t.Fatalf("decoded %+v %+v, want %+v %+v", h, rec, c.req, c.rec)
		}
		return
	}
	r := NewJuteReader(payload, 0)
	if c.kind == kindReply {
		var h ReplyHeader
		h.Decode(r)
		if h != c.rep {
			t.Fatalf("reply header %+v, want %+v", h, c.rep)
		}
	}
	if c.rec != nil {
		got := fresh(c.rec)
		got.Decode(r)
		if !reflect.DeepEqual(got, c.rec) {
			t.Fatalf("decoded %+v, want %+v", got, c.rec)
		}
	}
	if err := r.Complete(); err != nil {
		t.Fatal(err)
	}
}

func TestGolden(t *testing.T) {
	golden := readGolden(t)
	seen := map[string]bool{"ruok": true}
	for _, c := range goldenCases() {
		t.Run(c.name, func(t *testing.T) {
			want, ok := golden[c.name]
			if !ok {
				t.Fatalf("no golden case %q", c.name)
			}
			seen[c.name] = true
			if got := c.encode(); !bytes.Equal(got, want) {
				t.Fatalf("encoding differs\n got %x\nwant %x", got, want)
			}
			c.decode(t, want)
		})
	}
	for name := range golden {
		if !seen[name] {
			t.Errorf("golden case %q has no test", name)
		}
	}
	if w, ok := IsFourLetterWord([4]byte(golden["ruok"])); !ok || w != "ruok" {
		t.Errorf("ruok: got %q %v", w, ok)
	}
}

// allRecords returns one populated value of every record type.
func allRecords() []Record {
	st := registrationStat()
	return []Record{
		&ID{Scheme: "digest", ID: "bob:x"},
		&ACL{Perms: PermRead | PermAdmin, Scheme: "ip", ID: "10.0.0.0/8"},
		&st,
		&StatPersisted{Czxid: 1, Mzxid: 2, Ctime: 3, Mtime: 4, Version: 5, Cversion: -1, Aversion: 7, EphemeralOwner: 8, Pzxid: 9},
		&ClientInfo{AuthScheme: "ip", User: "::1"},
		&ConnectRequest{ProtocolVersion: 0, LastZxidSeen: 0x100000005, TimeOut: 6000, SessionID: -3, Passwd: pw16(), ReadOnly: true, HasReadOnly: true},
		&ConnectRequest{LastZxidSeen: 7, TimeOut: 40000, Passwd: []byte{}},
		&ConnectResponse{TimeOut: 4000, SessionID: 1 << 56, Passwd: pw16(), ReadOnly: true, HasReadOnly: true},
		&ConnectResponse{TimeOut: 4000, SessionID: 2},
		&RequestHeader{Xid: 0x7fffffff, Type: OpSetWatches2},
		&ReplyHeader{Xid: -1, Zxid: -1, Err: CodeThrottledOp},
		&MultiHeader{Type: OpCheck, Done: true, Err: CodeBadVersion},
		&EmptyRecord{},
		&CreateRequest{Path: "/q/n-", Data: []byte("payload"), ACL: []ACL{{PermAll, "auth", ""}, {PermRead, "world", "anyone"}}, Flags: CreateModeEphemeralSequential},
		&CreateRequest{Path: "/c", Flags: CreateModeContainer},
		&CreateTTLRequest{Path: "/t", Data: nil, ACL: openACL(), Flags: CreateModePersistentSequentialWithTTL, TTL: 0xffffffffff},
		&CreateResponse{Path: "/q/n-0000000007"},
		&Create2Response{Path: "/x", Stat: st},
		&DeleteRequest{Path: "/x", Version: -1},
		&DeleteContainerRequest{Path: "/container"},
		&ExistsRequest{Path: "/x", Watch: true},
		&ExistsResponse{Stat: st},
		&GetDataRequest{Path: "/x", Watch: true},
		&GetDataResponse{Data: []byte{}, Stat: st},
		&GetDataResponse{Data: bytes.Repeat([]byte{0xff}, 300), Stat: st},
		&SetDataRequest{Path: "/x", Data: []byte("new"), Version: 4},
		&SetDataResponse{Stat: st},
		&GetACLRequest{Path: "/x"},
		&GetACLResponse{ACL: openACL(), Stat: st},
		&SetACLRequest{Path: "/x", ACL: []ACL{{PermAll, "digest", "bob:abc="}}, Version: 0},
		&SetACLResponse{Stat: st},
		&GetChildrenRequest{Path: "/", Watch: true},
		&GetChildrenResponse{Children: []string{"zookeeper", "brokers", "ü"}},
		&GetChildren2Request{Path: "/brokers"},
		&GetChildren2Response{Children: []string{"ids"}, Stat: st},
		&SyncRequest{Path: "/"},
		&SyncResponse{Path: "/"},
		&CheckVersionRequest{Path: "/controller_epoch", Version: 3},
		&ReconfigRequest{JoiningServers: "server.2=h:2888:3888", LeavingServers: "3", NewMembers: "", CurConfigID: -1},
		&CheckWatchesRequest{Path: "/w", Type: WatcherTypeData},
		&RemoveWatchesRequest{Path: "/w", Type: WatcherTypeAny},
		&AddWatchRequest{Path: "/w", Mode: AddWatchModePersistentRecursive},
		&GetEphemeralsRequest{PrefixPath: "/brokers"},
		&GetEphemeralsResponse{Ephemerals: []string{"/brokers/ids/0", "/controller"}},
		&GetAllChildrenNumberRequest{Path: "/"},
		&GetAllChildrenNumberResponse{TotalNumber: 42},
		&WhoAmIResponse{ClientInfo: []ClientInfo{{"ip", "127.0.0.1"}}},
		&AuthPacket{Type: 0, Scheme: "digest", Auth: []byte("u:p")},
		&GetSASLRequest{Token: []byte{1, 2, 3}},
		&SetSASLResponse{Token: nil},
		&SetWatches{RelativeZxid: 99, DataWatches: []string{"/a"}, ExistWatches: []string{"/b"}, ChildWatches: []string{"/c", "/d"}},
		&SetWatches2{RelativeZxid: 100, DataWatches: []string{"/a"}, ExistWatches: []string{"/b"}, ChildWatches: []string{"/c"},
			PersistentWatches: []string{"/d"}, PersistentRecursiveWatches: []string{"/e", "/f"}},
		&WatcherEvent{Type: EventNodeChildrenChanged, State: StateSyncConnected, Path: "/brokers/topics"},
		&ErrorResponse{Err: CodeNoNode},
		&MultiRequest{},
		&MultiRequest{Ops: []MultiOp{
			{Type: OpCreate, Op: &CreateRequest{Path: "/a", Data: []byte("1"), ACL: openACL()}},
			{Type: OpCreate2, Op: &CreateRequest{Path: "/b", ACL: openACL(), Flags: CreateModeEphemeral}},
			{Type: OpCreateContainer, Op: &CreateRequest{Path: "/c", ACL: openACL(), Flags: CreateModeContainer}},
			{Type: OpCreateTTL, Op: &CreateTTLRequest{Path: "/d", ACL: openACL(), Flags: CreateModePersistentWithTTL, TTL: 5}},
			{Type: OpDelete, Op: &DeleteRequest{Path: "/e", Version: -1}},
			{Type: OpSetData, Op: &SetDataRequest{Path: "/f", Data: []byte{}, Version: 2}},
			{Type: OpCheck, Op: &CheckVersionRequest{Path: "/g", Version: 1}},
		}},
		&MultiRequest{Ops: []MultiOp{
			{Type: OpGetChildren, Op: &GetChildrenRequest{Path: "/"}},
			{Type: OpGetData, Op: &GetDataRequest{Path: "/a"}},
		}},
		&MultiResponse{Results: []MultiResult{
			{Type: OpCreate, Path: "/a"},
			{Type: OpCreate2, Path: "/b", Stat: st},
			{Type: OpDelete},
			{Type: OpSetData, Stat: st},
			{Type: OpCheck},
			{Type: OpGetData, Data: nil, Stat: st},
			{Type: OpGetChildren, Children: []string{"a", "b"}},
			{Type: OpError, Err: CodeBadVersion},
		}},
	}
}

func TestRoundTrip(t *testing.T) {
	for _, rec := range allRecords() {
		name := reflect.TypeOf(rec).Elem().Name()
		t.Run(name, func(t *testing.T) {
			b := rec.Append(nil)
			r := NewJuteReader(b, 0)
			got := fresh(rec)
			got.Decode(r)
			if err := r.Complete(); err != nil {
				t.Fatalf("decode %x: %v", b, err)
			}
			if !reflect.DeepEqual(got, rec) {
				t.Fatalf("round trip\n got %+v\nwant %+v", got, rec)
			}
			// Appending to a non-empty slice appends only.
			prefix := []byte("pre")
			if b2 := rec.Append(prefix); !bytes.Equal(b2[3:], b) || string(b2[:3]) != "pre" {
				t.Fatalf("Append to prefix: %x", b2)
			}
			// Every truncation fails cleanly, except records whose tail is optional.
			lenient := false
			switch rec.(type) {
			case *ConnectRequest, *ConnectResponse, *DeleteContainerRequest, *EmptyRecord:
				lenient = true
			}
			for n := 0; n < len(b); n++ {
				r := NewJuteReader(b[:n], 0)
				fresh(rec).Decode(r)
				if err := r.Err(); err == nil && !lenient {
					t.Fatalf("truncated to %d of %d bytes: no error", n, len(b))
				} else if err != nil && !errors.Is(err, ErrShortBuffer) {
					t.Fatalf("truncated to %d: %v, want ErrShortBuffer", n, err)
				}
			}
		})
	}
}

func TestStatSize(t *testing.T) {
	if n := len(Stat{}.Append(nil)); n != StatSize {
		t.Fatalf("Stat is %d bytes, want %d", n, StatSize)
	}
	if n := len(StatPersisted{}.Append(nil)); n != 60 {
		t.Fatalf("StatPersisted is %d bytes, want 60", n)
	}
	if n := len(RequestHeader{}.Append(nil)); n != RequestHeaderSize {
		t.Fatal(n)
	}
	if n := len(ReplyHeader{}.Append(nil)); n != ReplyHeaderSize {
		t.Fatal(n)
	}
}

func TestConnectRequestReadOnly(t *testing.T) {
	base := ConnectRequest{TimeOut: 30000, Passwd: make([]byte, 16)}.Append(nil)
	for _, tc := range []struct {
		tail          []byte
		ro, present   bool
		trailingBytes int
	}{
		{nil, false, false, 0},
		{[]byte{0}, false, true, 0},
		{[]byte{1}, true, true, 0},
		{[]byte{2}, true, true, 0},        // any non-zero byte is true
		{[]byte{0, 9, 9}, false, true, 2}, // Java ignores what follows
	} {
		body := append(append([]byte(nil), base...), tc.tail...)
		got, err := DecodeConnectRequest(body, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got.ReadOnly != tc.ro || got.HasReadOnly != tc.present {
			t.Errorf("tail %x: readOnly %v present %v", tc.tail, got.ReadOnly, got.HasReadOnly)
		}
		r := NewJuteReader(body, 0)
		got.Decode(r)
		if r.Remaining() != tc.trailingBytes {
			t.Errorf("tail %x: %d bytes remain", tc.tail, r.Remaining())
		}
	}
	// A response mirrors the request's choice.
	for _, present := range []bool{false, true} {
		n := len(ConnectResponse{Passwd: make([]byte, 16), HasReadOnly: present}.Append(nil))
		want := 36
		if present {
			want = 37
		}
		if n != want {
			t.Errorf("HasReadOnly %v: %d bytes, want %d", present, n, want)
		}
	}
	if _, err := DecodeConnectRequest(base[:20], 0); !errors.Is(err, ErrShortBuffer) {
		t.Errorf("short connect request: %v", err)
	}
}

func TestDecodeRequestDispatch(t *testing.T) {
	accepted := map[OpCode]Record{
		OpCreate: &CreateRequest{}, OpCreate2: &CreateRequest{}, OpCreateContainer: &CreateRequest{},
		OpCreateTTL: &CreateTTLRequest{}, OpDelete: &DeleteRequest{}, OpDeleteContainer: &DeleteContainerRequest{},
		OpExists: &ExistsRequest{}, OpGetData: &GetDataRequest{}, OpSetData: &SetDataRequest{},
		OpGetACL: &GetACLRequest{}, OpSetACL: &SetACLRequest{}, OpGetChildren: &GetChildrenRequest{},
		OpGetChildren2: &GetChildren2Request{}, OpSync: &SyncRequest{}, OpCheck: &CheckVersionRequest{},
		OpMulti: &MultiRequest{}, OpMultiRead: &MultiRequest{}, OpReconfig: &ReconfigRequest{},
		OpCheckWatches: &CheckWatchesRequest{}, OpRemoveWatches: &RemoveWatchesRequest{}, OpAuth: &AuthPacket{},
		OpSetWatches: &SetWatches{}, OpSASL: &GetSASLRequest{}, OpGetEphemerals: &GetEphemeralsRequest{},
		OpGetAllChildrenNumber: &GetAllChildrenNumberRequest{}, OpSetWatches2: &SetWatches2{},
		OpAddWatch: &AddWatchRequest{}, OpPing: &EmptyRecord{}, OpCloseSession: &EmptyRecord{}, OpWhoAmI: &EmptyRecord{},
	}
	for op := OpCode(-200); op <= 200; op++ {
		want, ok := accepted[op]
		rec := NewRequest(op)
		if !ok {
			if rec != nil {
				t.Errorf("NewRequest(%d) = %T, want nil", op, rec)
			}
			if _, err := DecodeRequest(op, nil, 0); !errors.Is(err, ErrUnknownOp) {
				t.Errorf("DecodeRequest(%d): %v, want ErrUnknownOp", op, err)
			}
			continue
		}
		if reflect.TypeOf(rec) != reflect.TypeOf(want) {
			t.Errorf("NewRequest(%s) = %T, want %T", op, rec, want)
		}
	}
	// A body that does not decode is a marshalling error, not an unknown op.
	_, err := DecodeRequest(OpCreate, []byte{0, 0, 0, 5, '/'}, 0)
	if err == nil || errors.Is(err, ErrUnknownOp) || !errors.Is(err, ErrShortBuffer) {
		t.Errorf("bad create body: %v", err)
	}
	if !strings.HasPrefix(err.Error(), "decode create request: wire: ") {
		t.Errorf("error text %q", err)
	}
	// Trailing bytes after a record are ignored, as in Java.
	body := append(GetDataRequest{Path: "/a", Watch: true}.Append(nil), 0xde, 0xad)
	rec, err := DecodeRequest(OpGetData, body, 0)
	if err != nil || !reflect.DeepEqual(rec, &GetDataRequest{Path: "/a", Watch: true}) {
		t.Errorf("trailing bytes: %v %+v", err, rec)
	}
	// ParseRequest keeps the header of an unknown op so the server can answer it.
	h, _, err := ParseRequest([]byte{0, 0, 0, 9, 0, 0, 0, 10}, 0)
	if !errors.Is(err, ErrUnknownOp) || h.Xid != 9 || h.Type != 10 {
		t.Errorf("ParseRequest unknown op: %+v %v", h, err)
	}
	if _, _, err := ParseRequest([]byte{0, 0, 0}, 0); !errors.Is(err, ErrShortBuffer) {
		t.Errorf("ParseRequest short header: %v", err)
	}
}

func TestMultiRequestErrors(t *testing.T) {
	hdr := func(op OpCode, done bool) []byte { return MultiHeader{Type: op, Done: done, Err: -1}.Append(nil) }
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	getData := GetDataRequest{Path: "/a"}.Append(nil)
	del := DeleteRequest{Path: "/a", Version: -1}.Append(nil)
	for _, tc := range []struct {
		name string
		body []byte
		want error
	}{
		{"mixed write then read", cat(hdr(OpDelete, false), del, hdr(OpGetData, false), getData, hdr(-1, true)), ErrMixedMulti},
		{"mixed read then write", cat(hdr(OpGetData, false), getData, hdr(OpDelete, false), del, hdr(-1, true)), ErrMixedMulti},
		{"exists is not a multi op", cat(hdr(OpExists, false), getData, hdr(-1, true)), ErrBadMultiOp},
		{"nested multi", cat(hdr(OpMulti, false), hdr(-1, true)), ErrBadMultiOp},
		{"no done header", cat(hdr(OpDelete, false), del), ErrShortBuffer},
		{"empty", nil, ErrShortBuffer},
	} {
		_, err := DecodeRequest(OpMulti, tc.body, 0)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	// Java stops at the first done header whatever its type and err.
	rec, err := DecodeRequest(OpMulti, cat(hdr(OpDelete, false), del, MultiHeader{Type: 7, Done: true, Err: 3}.Append(nil)), 0)
	if err != nil || len(rec.(*MultiRequest).Ops) != 1 {
		t.Fatalf("odd done header: %v %+v", err, rec)
	}
	if rec.(*MultiRequest).IsRead() {
		t.Error("delete multi reported as read")
	}
	rec, _ = DecodeRequest(OpMultiRead, cat(hdr(OpGetData, false), getData, hdr(-1, true)), 0)
	if !rec.(*MultiRequest).IsRead() {
		t.Error("getData multi not reported as read")
	}
	// A response with an op that has no place there fails.
	var resp MultiResponse
	r := NewJuteReader(cat(MultiHeader{Type: OpExists}.Append(nil), hdr(-1, true)), 0)
	resp.Decode(r)
	if !errors.Is(r.Err(), ErrBadMultiOp) {
		t.Errorf("response with exists: %v", r.Err())
	}
}

func TestAppendReplyOmitsBodyOnError(t *testing.T) {
	b := AppendReply(nil, ReplyHeader{Xid: 3, Zxid: 9, Err: CodeNoNode}, &GetDataResponse{Data: []byte("x")})
	if len(b) != FrameHeaderSize+ReplyHeaderSize {
		t.Fatalf("error reply is %d bytes: %x", len(b), b)
	}
	b = AppendNotification(nil, WatcherEvent{Type: EventNodeCreated, State: StateSyncConnected, Path: "/n"})
	want := "0000001e" + "ffffffff" + "ffffffffffffffff" + "00000000" + "00000001" + "00000003" + "00000002" + hex.EncodeToString([]byte("/n"))
	if hex.EncodeToString(b) != want {
		t.Fatalf("notification %x, want %s", b, want)
	}
}

func TestCodes(t *testing.T) {
	ops := map[OpCode]int32{
		OpNotification: 0, OpCreate: 1, OpDelete: 2, OpExists: 3, OpGetData: 4, OpSetData: 5, OpGetACL: 6,
		OpSetACL: 7, OpGetChildren: 8, OpSync: 9, OpPing: 11, OpGetChildren2: 12, OpCheck: 13, OpMulti: 14,
		OpCreate2: 15, OpReconfig: 16, OpCheckWatches: 17, OpRemoveWatches: 18, OpCreateContainer: 19,
		OpDeleteContainer: 20, OpCreateTTL: 21, OpMultiRead: 22, OpAuth: 100, OpSetWatches: 101, OpSASL: 102,
		OpGetEphemerals: 103, OpGetAllChildrenNumber: 104, OpSetWatches2: 105, OpAddWatch: 106, OpWhoAmI: 107,
		OpCreateSession: -10, OpCloseSession: -11, OpError: -1,
	}
	for op, n := range ops {
		if int32(op) != n {
			t.Errorf("%s = %d, want %d", op, op, n)
		}
		if strings.HasPrefix(op.String(), "unknown") {
			t.Errorf("op %d has no name", n)
		}
	}
	if s := OpCode(10).String(); s != "unknown 10" {
		t.Errorf("OpCode(10) = %q", s)
	}
	codes := map[Code]string{
		CodeOK: "OK", CodeSystemError: "SystemError", CodeRuntimeInconsistency: "RuntimeInconsistency",
		CodeDataInconsistency: "DataInconsistency", CodeConnectionLoss: "ConnectionLoss",
		CodeMarshallingError: "MarshallingError", CodeUnimplemented: "Unimplemented",
		CodeOperationTimeout: "OperationTimeout", CodeBadArguments: "BadArguments",
		CodeNewConfigNoQuorum: "NewConfigNoQuorum", CodeReconfigInProgress: "ReconfigInProgress",
		CodeUnknownSession: "UnknownSession", CodeAPIError: "APIError", CodeNoNode: "NoNode",
		CodeNoAuth: "NoAuth", CodeBadVersion: "BadVersion", CodeNoChildrenForEphemerals: "NoChildrenForEphemerals",
		CodeNodeExists: "NodeExists", CodeNotEmpty: "NotEmpty", CodeSessionExpired: "SessionExpired",
		CodeInvalidCallback: "InvalidCallback", CodeInvalidACL: "InvalidACL", CodeAuthFailed: "AuthFailed",
		CodeSessionMoved: "SessionMoved", CodeNotReadOnly: "NotReadOnly",
		CodeEphemeralOnLocalSession: "EphemeralOnLocalSession", CodeNoWatcher: "NoWatcher",
		CodeRequestTimeout: "RequestTimeout", CodeReconfigDisabled: "ReconfigDisabled",
		CodeSessionClosedRequireSaslAuth: "SessionClosedRequireSaslAuth", CodeQuotaExceeded: "QuotaExceeded",
		CodeThrottledOp: "ThrottledOp",
	}
	values := map[Code]int32{
		CodeOK: 0, CodeSystemError: -1, CodeRuntimeInconsistency: -2, CodeDataInconsistency: -3,
		CodeConnectionLoss: -4, CodeMarshallingError: -5, CodeUnimplemented: -6, CodeOperationTimeout: -7,
		CodeBadArguments: -8, CodeNewConfigNoQuorum: -13, CodeReconfigInProgress: -14, CodeUnknownSession: -12,
		CodeAPIError: -100, CodeNoNode: -101, CodeNoAuth: -102, CodeBadVersion: -103,
		CodeNoChildrenForEphemerals: -108, CodeNodeExists: -110, CodeNotEmpty: -111, CodeSessionExpired: -112,
		CodeInvalidCallback: -113, CodeInvalidACL: -114, CodeAuthFailed: -115, CodeSessionMoved: -118,
		CodeNotReadOnly: -119, CodeEphemeralOnLocalSession: -120, CodeNoWatcher: -121, CodeRequestTimeout: -122,
		CodeReconfigDisabled: -123, CodeSessionClosedRequireSaslAuth: -124, CodeQuotaExceeded: -125,
		CodeThrottledOp: -127,
	}
	for c, name := range codes {
		if c.String() != name {
			t.Errorf("Code(%d).String() = %q, want %q", int32(c), c.String(), name)
		}
		if int32(c) != values[c] {
			t.Errorf("%s = %d, want %d", name, int32(c), values[c])
		}
	}
	for c, msg := range map[Code]string{
		CodeNoNode: "NoNode", CodeNotEmpty: "Directory not empty", CodeSessionExpired: "Session expired",
		CodeConnectionLoss: "ConnectionLoss", CodeOK: "ok", CodeRequestTimeout: "Unknown error REQUESTTIMEOUT",
		CodeQuotaExceeded: "Quota has exceeded", -126: "Unknown error -126",
	} {
		if got := c.Message(); got != msg {
			t.Errorf("%s.Message() = %q, want %q", c, got, msg)
		}
	}
	if s := Code(-126).String(); s != "Code(-126)" {
		t.Errorf("Code(-126) = %q", s)
	}
	for _, op := range []OpCode{OpCreate, OpSetData, OpMulti, OpCheck, OpCloseSession} {
		if !op.IsWrite() {
			t.Errorf("%s not a write", op)
		}
	}
	for _, op := range []OpCode{OpGetData, OpMultiRead, OpPing, OpSync, OpSetWatches, OpAuth, OpWhoAmI} {
		if op.IsWrite() {
			t.Errorf("%s is a write", op)
		}
	}
	if EventNodeDataChanged.String() != "NodeDataChanged" || StateSyncConnected.String() != "SyncConnected" ||
		StateExpired.String() != "Expired" || EventType(9).String() != "EventType(9)" {
		t.Error("event/state names")
	}
}
