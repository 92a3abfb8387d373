package zk

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

// setupRunner runs script commands and fails on an unexpected error line.
func setupRunner(t *testing.T, opts Options, cmds ...string) *scriptRunner {
	t.Helper()
	r := newScriptRunner(opts)
	for _, c := range cmds {
		out := r.run([]string{c})
		if strings.Contains(out[0], " err ") || strings.HasPrefix(out[0], "panic") {
			t.Fatalf("setup %q: %v", c, out)
		}
	}
	return r
}

// TestPrepCheckOrder: when a request breaks several rules, the error is the
// one ZooKeeper checks first (PrepRequestProcessor).
func TestPrepCheckOrder(t *testing.T) {
	setup := []string{
		"session 1", "auth 1 digest alice:secret",
		"create /p", "create /p/k", "create /e mode=e",
		"create /ro", "create /ro/k", "setacl /ro acl=world:anyone:r",
		"create /admin acl=world:anyone:a",
	}
	open := OpenACLUnsafe()
	bad := []ACL{{1, Id{"world", "nobody"}}}
	cases := []struct {
		name string
		sess int64
		req  Request
		want error
	}{
		// create
		{"flags before path", 1, CreateReq{Path: "bad", Mode: 9, ACL: open}, ErrBadArguments},
		{"ttl disabled before session", 7, CreateReq{Path: "/t", Mode: ModePersistentWithTTL, TTL: 5, ACL: open}, ErrUnimplemented},
		{"session before path", 7, CreateReq{Path: "bad\x00", ACL: open}, ErrUnknownSession},
		{"ephemeral on unknown session", 7, CreateReq{Path: "/x", Mode: ModeEphemeral, ACL: open}, ErrSessionExpired},
		{"nul before acl", 1, CreateReq{Path: "/a\x00", ACL: bad}, ErrBadArguments},
		{"no slash before acl", 1, CreateReq{Path: "abc", ACL: bad}, ErrBadArguments},
		{"acl before parent", 1, CreateReq{Path: "/nope/x", ACL: bad}, ErrInvalidACL},
		{"parent before auth", 1, CreateReq{Path: "/ro/nope/x", ACL: open}, ErrNoNode},
		{"auth before exists", 1, CreateReq{Path: "/ro/k", ACL: open}, ErrNoAuth},
		{"auth before path syntax", 1, CreateReq{Path: "/ro/.", ACL: open}, ErrNoAuth},
		{"path syntax before exists", 1, CreateReq{Path: "/p/", ACL: open}, ErrBadArguments},
		{"exists before ephemeral parent", 1, CreateReq{Path: "/e", ACL: open}, ErrNodeExists},
		{"ephemeral parent", 1, CreateReq{Path: "/e/x", ACL: open}, ErrNoChildrenForEphemerals},
		{"root exists", 1, CreateReq{Path: "/", ACL: open}, ErrNodeExists},
		// delete
		{"delete session first", 7, DeleteReq{Path: "/", Version: -1}, ErrUnknownSession},
		{"delete special", 1, DeleteReq{Path: "/zookeeper/quota", Version: -1}, ErrBadArguments},
		{"delete no slash", 1, DeleteReq{Path: "p", Version: -1}, ErrBadArguments},
		{"delete parent missing", 1, DeleteReq{Path: "/nope/x", Version: 3}, ErrNoNode},
		{"delete auth before node", 1, DeleteReq{Path: "/ro/nope", Version: 3}, ErrNoAuth},
		{"delete version before empty", 1, DeleteReq{Path: "/p", Version: 3}, ErrBadVersion},
		{"delete not empty", 1, DeleteReq{Path: "/p", Version: 0}, ErrNotEmpty},
		// setData
		{"set session", 7, SetDataReq{Path: "bad", Version: -1}, ErrUnknownSession},
		{"set path", 1, SetDataReq{Path: "/p/", Version: -1}, ErrBadArguments},
		{"set missing", 1, SetDataReq{Path: "/nope", Version: 7}, ErrNoNode},
		{"set auth before version", 1, SetDataReq{Path: "/ro", Version: 7}, ErrNoAuth},
		{"set version", 1, SetDataReq{Path: "/p", Version: 7}, ErrBadVersion},
		// setACL
		{"setacl path before acl", 1, SetACLReq{Path: "p", ACL: bad, Version: -1}, ErrBadArguments},
		{"setacl acl before node", 1, SetACLReq{Path: "/nope", ACL: bad, Version: -1}, ErrInvalidACL},
		{"setacl missing", 1, SetACLReq{Path: "/nope", ACL: open, Version: 5}, ErrNoNode},
		{"setacl admin before version", 1, SetACLReq{Path: "/ro", ACL: open, Version: 5}, ErrNoAuth},
		{"setacl aversion", 1, SetACLReq{Path: "/admin", ACL: open, Version: 5}, ErrBadVersion},
		// check
		{"check path", 1, CheckReq{Path: "/p/.", Version: 0}, ErrBadArguments},
		{"check missing", 1, CheckReq{Path: "/nope", Version: 0}, ErrNoNode},
		{"check read before version", 1, CheckReq{Path: "/admin", Version: 5}, ErrNoAuth},
		{"check version", 1, CheckReq{Path: "/p", Version: 5}, ErrBadVersion},
		// deleteContainer (no session check)
		{"deletecontainer path", 7, DeleteContainerReq{Path: "/"}, ErrBadArguments},
		{"deletecontainer empty before kind", 7, DeleteContainerReq{Path: "/p"}, ErrNotEmpty},
		{"deletecontainer ephemeral", 7, DeleteContainerReq{Path: "/e"}, ErrBadVersion},
		// multi
		{"multi inner", 1, MultiReq{Ops: []Request{CheckReq{Path: "/p", Version: 0}, DeleteReq{Path: "/p", Version: -1}}}, ErrNotEmpty},
		{"multi nested", 1, MultiReq{Ops: []Request{MultiReq{}}}, ErrMarshallingError},
		{"multi setACL", 1, &MultiReq{Ops: []Request{&SetACLReq{Path: "/p", ACL: open, Version: -1}}}, ErrMarshallingError},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := setupRunner(t, Options{}, setup...)
			zxid := r.zxid + 1
			txn, err := r.tree.Prep(c.req, PrepContext{SessionID: c.sess, Zxid: zxid, Time: 5, Auth: r.auth[c.sess]})
			if !errors.Is(err, c.want) {
				t.Fatalf("Prep = %v, want %v", err, c.want)
			}
			if txn.Zxid != zxid {
				t.Errorf("txn zxid %d, want %d (a failure still takes its zxid)", txn.Zxid, zxid)
			}
			if r.tree.Pending() != 0 {
				t.Errorf("%d outstanding changes after a failure", r.tree.Pending())
			}
			before := dumpTree(r.tree)
			res := r.tree.Apply(txn)
			if !errors.Is(res.Err, c.want) {
				t.Errorf("Apply err = %v, want %v", res.Err, c.want)
			}
			if after := dumpTree(r.tree); after != before {
				t.Errorf("a failed txn changed the tree")
			}
			if r.tree.LastZxid() != zxid {
				t.Errorf("LastZxid = %d", r.tree.LastZxid())
			}
		})
	}
}

func TestOpCodesAndModes(t *testing.T) {
	// Values of ZooDefs.OpCode the wire layer relies on.
	want := map[OpCode]int32{OpCreate: 1, OpDelete: 2, OpSetData: 5, OpSetACL: 7, OpCheck: 13, OpMulti: 14,
		OpCreate2: 15, OpCreateContainer: 19, OpDeleteContainer: 20, OpCreateTTL: 21, OpMultiRead: 22,
		OpCreateSession: -10, OpCloseSession: -11, OpError: -1, OpAddWatch: 106, OpSetWatches2: 105}
	for op, v := range want {
		if int32(op) != v {
			t.Errorf("op %d != %d", op, v)
		}
	}
	for m := CreateMode(-1); m <= 7; m++ {
		valid := m >= 0 && m <= 6
		if m.Valid() != valid {
			t.Errorf("mode %d valid=%v", m, m.Valid())
		}
	}
	if !ModeEphemeralSequential.IsEphemeral() || !ModeEphemeralSequential.IsSequential() || ModeContainer.IsEphemeral() ||
		!ModePersistentSequentialWithTTL.IsTTL() || !ModePersistentSequentialWithTTL.IsSequential() || ModeContainer.IsSequential() {
		t.Error("mode predicates")
	}
	if (CreateReq{Mode: ModeContainer}).createOp() != OpCreateContainer || (CreateReq{Mode: ModePersistentWithTTL}).createOp() != OpCreateTTL ||
		(CreateReq{Mode: ModeEphemeral}).createOp() != OpCreate || (CreateReq{Op: OpCreate2, Mode: ModeContainer}).createOp() != OpCreate2 {
		t.Error("createOp")
	}
}

func TestEphemeralOwnerEncoding(t *testing.T) {
	container := ContainerOwner
	if uint64(container) != 0x8000000000000000 {
		t.Errorf("container owner %x", uint64(container))
	}
	small, max := TTLOwner(100), TTLOwner(MaxTTL)
	if uint64(small) != 0xFF00000000000064 || uint64(max) != 0xFF0000FFFFFFFFFF {
		t.Errorf("ttl owner %x %x", uint64(small), uint64(max))
	}
	kinds := []struct {
		owner    int64
		extended bool
		want     nodeKind
	}{
		{0, true, kindVoid}, {0x1234, true, kindNormal}, {ContainerOwner, true, kindContainer},
		{ContainerOwner, false, kindContainer}, {TTLOwner(5), true, kindTTL}, {TTLOwner(5), false, kindNormal},
		{-1<<56 | 1<<40, true, kindNormal}, // a reserved feature bit set: not TTL
	}
	for _, k := range kinds {
		if got := ephemeralKind(k.owner, k.extended); got != k.want {
			t.Errorf("kind(%x, %v) = %d, want %d", uint64(k.owner), k.extended, got, k.want)
		}
	}
}

// TestSequenceOverflow: the creation counter is a signed int. Prep formats
// 2^31-1 and counts on to -2^31, but DataTree.createNode only ever raises a
// parent's cversion, so the applied counter stays at 2^31-1: the next
// sequential create gets the same name and fails with NodeExists (or reuses
// the name once that child is gone), as on a real 3.8 server.
func TestSequenceOverflow(t *testing.T) {
	tr := NewTree(Options{})
	must(t, tr.RestoreNode(NodeInfo{Path: "/q", ACL: OpenACLUnsafe(), Stat: StatPersisted{Cversion: math.MaxInt32}}))
	tr.RestoreSession(1, 1000)
	zxid := int64(0)
	step := func(req Request) Result {
		zxid++
		txn, _ := tr.Prep(req, PrepContext{SessionID: 1, Zxid: zxid})
		return tr.Apply(txn)
	}
	seq := CreateReq{Path: "/q/n-", Mode: ModePersistentSequential, ACL: OpenACLUnsafe()}
	if r := step(seq); r.Err != nil || r.Path != "/q/n-2147483647" {
		t.Fatalf("first: %+v", r)
	}
	if r := step(seq); !errors.Is(r.Err, ErrNodeExists) {
		t.Errorf("second: %+v", r)
	}
	step(DeleteReq{Path: "/q/n-2147483647", Version: -1})
	if r := step(seq); r.Err != nil || r.Path != "/q/n-2147483647" {
		t.Errorf("after delete: %+v", r)
	}
	// Pipelined, the outstanding record does wrap.
	zxid++
	t1, err := tr.Prep(CreateReq{Path: "/q/x", ACL: OpenACLUnsafe()}, PrepContext{SessionID: 1, Zxid: zxid})
	must(t, err)
	zxid++
	t2, err := tr.Prep(seq, PrepContext{SessionID: 1, Zxid: zxid})
	if err != nil || t2.Path != "/q/n--2147483648" {
		t.Errorf("pipelined: %v %q", err, t2.Path)
	}
	tr.Apply(t1)
	tr.Apply(t2)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestApplyReplay: Apply tolerates what log replay over a fuzzy snapshot
// gives it, as DataTree.processTxn does.
func TestApplyReplay(t *testing.T) {
	tr := NewTree(Options{})
	tr.RestoreSession(1, 1000)
	open := OpenACLUnsafe()
	create := Txn{Session: 1, Zxid: 5, Time: 9, Type: OpCreate, Path: "/a", ACL: open, ParentCversion: 1}
	if r := tr.Apply(create); r.Err != nil {
		t.Fatal(r.Err)
	}
	// The same create again (NodeExists), with a higher parent cversion:
	// the parent moves forward anyway.
	again := create
	again.Zxid, again.ParentCversion = 6, 3
	r := tr.Apply(again)
	if !errors.Is(r.Err, ErrNodeExists) {
		t.Errorf("replayed create: %v", r.Err)
	}
	root := tr.lookup("/")
	if root.stat.Cversion != 3 || root.stat.Pzxid != 6 {
		t.Errorf("root cversion %d pzxid %d", root.stat.Cversion, root.stat.Pzxid)
	}
	// A lower parent cversion leaves the parent alone.
	tr.Apply(Txn{Zxid: 7, Type: OpCreate, Path: "/b", ACL: open, ParentCversion: 2})
	if root.stat.Cversion != 3 || root.stat.Pzxid != 6 {
		t.Errorf("root moved back: cversion %d pzxid %d", root.stat.Cversion, root.stat.Pzxid)
	}
	// Delete of a missing node: NoNode, parent's pzxid still advances.
	if r := tr.Apply(Txn{Zxid: 8, Type: OpDelete, Path: "/zz"}); !errors.Is(r.Err, ErrNoNode) || root.stat.Pzxid != 8 {
		t.Errorf("delete missing: %v pzxid %d", r.Err, root.stat.Pzxid)
	}
	// Out-of-order zxid does not lower pzxid or LastZxid.
	tr.Apply(Txn{Zxid: 4, Type: OpDelete, Path: "/b"})
	if root.stat.Pzxid != 8 || tr.LastZxid() != 8 {
		t.Errorf("pzxid %d last %d", root.stat.Pzxid, tr.LastZxid())
	}
	// A closeSession whose paths are gone; the session's own set is used too.
	tr.Apply(Txn{Session: 1, Zxid: 9, Type: OpCreate, Path: "/e", Ephemeral: true, ACL: open, ParentCversion: -1})
	r = tr.Apply(Txn{Session: 1, Zxid: 10, Type: OpCloseSession, Paths: []string{"/gone"}})
	if r.Err != nil || tr.lookup("/e") != nil || len(tr.Sessions()) != 0 {
		t.Errorf("close: %v %v %v", r.Err, tr.lookup("/e") != nil, tr.Sessions())
	}
	// Unknown txn type and a bad TTL.
	if r := tr.Apply(Txn{Zxid: 11, Type: OpGetData}); !errors.Is(r.Err, ErrMarshallingError) {
		t.Errorf("bad type: %v", r.Err)
	}
	if r := tr.Apply(Txn{Zxid: 12, Type: OpCreateTTL, Path: "/t", ACL: open, TTL: -1}); !errors.Is(r.Err, ErrBadArguments) {
		t.Errorf("bad ttl: %v", r.Err)
	}
	if r := tr.Apply(Txn{Zxid: 13, Type: OpDelete, Path: "/"}); !errors.Is(r.Err, ErrBadArguments) || tr.lookup("/") == nil {
		t.Errorf("delete root: %v", r.Err)
	}
}

func TestPendingLifecycle(t *testing.T) {
	r := setupRunner(t, Options{}, "session 1")
	ctx := func(z int64) PrepContext { return PrepContext{SessionID: 1, Zxid: z, Time: 1} }
	t1, err := r.tree.Prep(CreateReq{Path: "/a", ACL: OpenACLUnsafe()}, ctx(10))
	must(t, err)
	t2, err := r.tree.Prep(&SetDataReq{Path: "/a", Data: []byte("x"), Version: 0}, ctx(11))
	must(t, err)
	if r.tree.Pending() != 3 {
		t.Errorf("pending %d", r.tree.Pending())
	}
	r.tree.Apply(t1)
	if r.tree.Pending() != 1 {
		t.Errorf("pending after first apply %d", r.tree.Pending())
	}
	r.tree.Apply(t2)
	if r.tree.Pending() != 0 {
		t.Errorf("pending after second apply %d", r.tree.Pending())
	}
	// DiscardPending forgets unapplied changes: the create is prepped again.
	_, err = r.tree.Prep(CreateReq{Path: "/b", ACL: OpenACLUnsafe()}, ctx(12))
	must(t, err)
	if _, err := r.tree.Prep(CreateReq{Path: "/b", ACL: OpenACLUnsafe()}, ctx(13)); !errors.Is(err, ErrNodeExists) {
		t.Errorf("second create of /b: %v", err)
	}
	r.tree.DiscardPending()
	if _, err := r.tree.Prep(CreateReq{Path: "/b", ACL: OpenACLUnsafe()}, ctx(14)); err != nil {
		t.Errorf("after discard: %v", err)
	}
}

func TestResultShapes(t *testing.T) {
	r := setupRunner(t, Options{ExtendedTypes: true}, "session 1", "create /x")
	zxid := r.zxid
	step := func(req Request) Result {
		zxid++
		txn, _ := r.tree.Prep(req, PrepContext{SessionID: 1, Zxid: zxid, Time: 77})
		return r.tree.Apply(txn)
	}
	res := step(CreateReq{Op: OpCreate2, Path: "/c2", Data: []byte("ab"), ACL: OpenACLUnsafe()})
	if res.Type != OpCreate2 || res.Path != "/c2" || res.Stat.DataLength != 2 || res.Stat.Ctime != 77 || res.Stat.Czxid != zxid {
		t.Errorf("create2 result %+v", res)
	}
	res = step(CreateReq{Path: "/ttl", Mode: ModePersistentWithTTL, TTL: 10, ACL: OpenACLUnsafe()})
	if res.Type != OpCreateTTL || res.Stat.EphemeralOwner != 0 {
		t.Errorf("ttl result %+v", res)
	}
	if n := r.tree.lookup("/ttl"); n.stat.EphemeralOwner != TTLOwner(10) {
		t.Errorf("stored owner %x", uint64(n.stat.EphemeralOwner))
	}
	res = step(MultiReq{Ops: []Request{
		CreateReq{Path: "/m", ACL: OpenACLUnsafe()},
		CreateReq{Op: OpCreate2, Path: "/m2", ACL: OpenACLUnsafe()},
		SetDataReq{Path: "/m", Data: []byte("d"), Version: -1},
		CheckReq{Path: "/m", Version: 1},
		DeleteReq{Path: "/m2", Version: -1},
	}})
	var types []OpCode
	for _, o := range res.Ops {
		types = append(types, o.Type)
	}
	if res.Err != nil || !slices.Equal(types, []OpCode{OpCreate, OpCreate2, OpSetData, OpCheck, OpDelete}) || res.Ops[2].Stat.Version != 1 {
		t.Errorf("multi %+v", res)
	}
	if res.Type != OpMulti || res.Zxid != zxid {
		t.Errorf("multi header %v %d", res.Type, res.Zxid)
	}
}
