package zk

// Shared tests of the storage seams (ARCHITECTURE.md, "Storage has seams"):
// every TxnLog and Snapshotter implementation runs testTxnLog,
// testSnapshotter and testRestore through storageImpls. Tests specific to an
// implementation (reopening files, crashes, fixtures) live beside it.

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// storageImpl opens a fresh log and snapshotter over one storage (a Purge of
// the snapshotter may trim the log).
type storageImpl struct {
	name string
	open func(t *testing.T) (TxnLog, Snapshotter)
}

// storageImpls lists every implementation of the seams.
var storageImpls = []storageImpl{
	{"file", openFileStorage}, // storage_file_test.go
	{"mem", openMemStorage},
}

// openMemStorage is the in-memory implementation (storage_mem.go).
func openMemStorage(t *testing.T) (TxnLog, Snapshotter) {
	l, s := NewMemStorage()
	t.Cleanup(func() { l.Close() })
	return l, s
}

func TestStorageShared(t *testing.T) {
	for _, impl := range storageImpls {
		t.Run(impl.name, func(t *testing.T) {
			t.Run("TxnLog", func(t *testing.T) {
				testTxnLog(t, func(t *testing.T) TxnLog { l, _ := impl.open(t); return l })
			})
			t.Run("Snapshotter", func(t *testing.T) {
				testSnapshotter(t, func(t *testing.T) Snapshotter { _, s := impl.open(t); return s })
			})
			t.Run("Restore", func(t *testing.T) { testRestore(t, impl.open) })
		})
	}
}

// sampleTxns returns one txn of every type the log carries, zxids from
// first on, with the corner cases of the encoding: null and empty data,
// empty path lists, a multi with failed ops.
func sampleTxns(first int64) []Txn {
	open, read := OpenACLUnsafe(), ReadACLUnsafe()
	digest := []ACL{{PermAll, Id{SchemeDigest, "u:hash="}}, {PermRead, Id{SchemeIP, "10.0.0.0/8"}}}
	txns := []Txn{
		{Type: OpCreateSession, Timeout: 30000, Session: 0x1000001},
		{Type: OpCreate, Path: "/a", Data: []byte("hello"), ACL: open, ParentCversion: 1},
		{Type: OpCreate, Path: "/a/e", Data: nil, ACL: digest, Ephemeral: true, ParentCversion: 1, Session: 0x1000001},
		{Type: OpCreate2, Path: "/a/s0000000002", Data: []byte{}, ACL: read, ParentCversion: 2},
		{Type: OpCreateContainer, Path: "/c", Data: []byte("c"), ACL: open, ParentCversion: 2},
		{Type: OpCreateTTL, Path: "/t", Data: []byte("t"), ACL: open, ParentCversion: 3, TTL: 5000},
		{Type: OpSetData, Path: "/a", Data: []byte("world"), Version: 1},
		{Type: OpSetData, Path: "/a", Data: nil, Version: 2},
		{Type: OpSetACL, Path: "/a", ACL: digest, Version: 1},
		{Type: OpCheck, Path: "/a", Version: 3},
		{Type: OpDelete, Path: "/t"},
		{Type: OpDeleteContainer, Path: "/c"},
		{Type: OpError, Err: ErrNodeExists},
		{Type: OpMulti, Ops: []Txn{
			{Type: OpCreate, Path: "/m", Data: []byte("m"), ACL: open, ParentCversion: 4},
			{Type: OpSetData, Path: "/m", Data: []byte("n"), Version: 1},
			{Type: OpCheck, Path: "/m", Version: 2},
			{Type: OpDelete, Path: "/m"},
		}},
		{Type: OpMulti, Ops: []Txn{
			{Type: OpError, Err: nil},
			{Type: OpError, Err: ErrBadVersion},
			{Type: OpError, Err: ErrRuntimeInconsistency},
		}},
		{Type: OpCloseSession, Paths: []string{"/a/e"}, Session: 0x1000001},
		{Type: OpCloseSession, Paths: []string{}, Session: 0x1000002},
		{Type: OpCreate, Path: "/big", Data: []byte(strings.Repeat("0123456789", 300)), ACL: open, ParentCversion: 5},
	}
	for i := range txns {
		txns[i].Zxid = first + int64(i)
		txns[i].Time = 1_700_000_000_000 + int64(i)
		txns[i].Cxid = int32(i + 1)
	}
	return txns
}

// normTxn is what a txn must read back as: errors by code, and nil and
// empty lists alike (data keeps null apart from empty).
func normTxn(t Txn) Txn {
	t.Err = ErrorForCode(Code(t.Err))
	if len(t.ACL) == 0 {
		t.ACL = nil
	}
	if len(t.Paths) == 0 {
		t.Paths = nil
	}
	if len(t.Ops) == 0 {
		t.Ops = nil
	}
	for i := range t.Ops {
		t.Ops[i] = normTxn(t.Ops[i])
	}
	return t
}

func cloneTxn(t Txn) Txn {
	t.Ops = slices.Clone(t.Ops)
	return t
}

func txnsEqual(a, b []Txn) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !reflect.DeepEqual(normTxn(cloneTxn(a[i])), normTxn(cloneTxn(b[i]))) {
			return false
		}
	}
	return true
}

func replayAll(t *testing.T, l TxnLog, after int64) []Txn {
	t.Helper()
	var out []Txn
	if err := l.Replay(after, func(txn Txn) error { out = append(out, txn); return nil }); err != nil {
		t.Fatalf("Replay(%d): %v", after, err)
	}
	return out
}

func zxidsOf(txns []Txn) []int64 {
	out := make([]int64, len(txns))
	for i, t := range txns {
		out[i] = t.Zxid
	}
	return out
}

// testTxnLog is the TxnLog contract.
func testTxnLog(t *testing.T, newLog func(t *testing.T) TxnLog) {
	t.Run("Empty", func(t *testing.T) {
		l := newLog(t)
		if z, err := l.LastZxid(); err != nil || z != 0 {
			t.Fatalf("LastZxid = %d, %v; want 0", z, err)
		}
		if got := replayAll(t, l, 0); len(got) != 0 {
			t.Fatalf("replayed %d txns from an empty log", len(got))
		}
		if err := l.Sync(); err != nil {
			t.Fatalf("Sync of nothing: %v", err)
		}
		if err := l.Roll(); err != nil {
			t.Fatalf("Roll of nothing: %v", err)
		}
	})
	t.Run("EveryTypeRoundTrips", func(t *testing.T) {
		l := newLog(t)
		txns := sampleTxns(1)
		if err := l.Append(txns...); err != nil {
			t.Fatal(err)
		}
		if err := l.Sync(); err != nil {
			t.Fatal(err)
		}
		got := replayAll(t, l, 0)
		if !txnsEqual(got, txns) {
			t.Fatalf("replayed\n%+v\nwant\n%+v", got, txns)
		}
		if got[6].Data == nil || got[7].Data != nil || got[3].Data == nil || len(got[3].Data) != 0 {
			t.Fatalf("null and empty data not kept apart: %q %q %q", got[3].Data, got[6].Data, got[7].Data)
		}
	})
	t.Run("GroupsRollsAndAfter", func(t *testing.T) {
		l := newLog(t)
		var all []Txn
		zxid := int64(0)
		for group := range 12 {
			var g []Txn
			for range 1 + group%4 {
				zxid++
				g = append(g, Txn{Type: OpSetData, Zxid: zxid, Path: "/x", Data: []byte(fmt.Sprint(zxid)), Version: int32(zxid)})
			}
			if err := l.Append(g...); err != nil {
				t.Fatal(err)
			}
			all = append(all, g...)
			if group%3 == 2 {
				if err := l.Sync(); err != nil {
					t.Fatal(err)
				}
			}
			if group%5 == 4 {
				if err := l.Roll(); err != nil {
					t.Fatal(err)
				}
				if err := l.Roll(); err != nil { // twice: still one new file
					t.Fatal(err)
				}
			}
		}
		if err := l.Sync(); err != nil {
			t.Fatal(err)
		}
		if z, err := l.LastZxid(); err != nil || z != zxid {
			t.Fatalf("LastZxid = %d, %v; want %d", z, err, zxid)
		}
		for _, after := range []int64{0, 1, 5, 6, 7, 13, zxid - 1, zxid, zxid + 10} {
			got := replayAll(t, l, after)
			var want []Txn
			for _, x := range all {
				if x.Zxid > after {
					want = append(want, x)
				}
			}
			if !txnsEqual(got, want) {
				t.Fatalf("Replay(%d) = zxids %v, want %v", after, zxidsOf(got), zxidsOf(want))
			}
		}
	})
	t.Run("UnsyncedAppendsReplay", func(t *testing.T) {
		l := newLog(t)
		if err := l.Append(sampleTxns(1)[:3]...); err != nil {
			t.Fatal(err)
		}
		if got := replayAll(t, l, 0); len(got) != 3 {
			t.Fatalf("replayed %d of 3 appended txns", len(got))
		}
		if err := l.Append(sampleTxns(4)[:2]...); err != nil {
			t.Fatal(err)
		}
		if err := l.Sync(); err != nil {
			t.Fatal(err)
		}
		if got := replayAll(t, l, 0); !slices.Equal(zxidsOf(got), []int64{1, 2, 3, 4, 5}) {
			t.Fatalf("replayed %v", zxidsOf(got))
		}
	})
	t.Run("ZxidsMustIncrease", func(t *testing.T) {
		l := newLog(t)
		txns := sampleTxns(10)[:3]
		if err := l.Append(txns...); err != nil {
			t.Fatal(err)
		}
		for _, bad := range [][]Txn{
			{{Type: OpDelete, Path: "/a", Zxid: 12}},
			{{Type: OpDelete, Path: "/a", Zxid: 5}},
			{{Type: OpDelete, Path: "/a", Zxid: 13}, {Type: OpDelete, Path: "/b", Zxid: 13}},
			{{Type: OpDelete, Path: "/a", Zxid: 14}, {Type: OpDelete, Path: "/b", Zxid: 1}},
		} {
			if err := l.Append(bad...); err == nil {
				t.Fatalf("Append(%v) accepted", zxidsOf(bad))
			}
		}
		if err := l.Sync(); err != nil {
			t.Fatal(err)
		}
		if got := replayAll(t, l, 0); !txnsEqual(got, txns) {
			t.Fatalf("after refused appends: %v", zxidsOf(got))
		}
		if z, _ := l.LastZxid(); z != 12 {
			t.Fatalf("LastZxid %d after refused appends, want 12", z)
		}
		if err := l.Append(Txn{Type: OpDelete, Path: "/a", Zxid: 13}); err != nil {
			t.Fatalf("append after refusals: %v", err)
		}
	})
	t.Run("ReplayStopsOnCallbackError", func(t *testing.T) {
		l := newLog(t)
		if err := l.Append(sampleTxns(1)...); err != nil {
			t.Fatal(err)
		}
		stop := errors.New("stop")
		n := 0
		err := l.Replay(0, func(Txn) error {
			n++
			if n == 3 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || n != 3 {
			t.Fatalf("Replay = %v after %d txns; want stop after 3", err, n)
		}
	})
	t.Run("Close", func(t *testing.T) {
		l := newLog(t)
		if err := l.Append(sampleTxns(1)[:2]...); err != nil {
			t.Fatal(err)
		}
		if err := l.Sync(); err != nil {
			t.Fatal(err)
		}
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		if err := l.Append(sampleTxns(3)[0]); err == nil {
			t.Fatal("Append after Close succeeded")
		}
		if err := l.Sync(); err == nil {
			t.Fatal("Sync after Close succeeded")
		}
	})
}

// sampleSnapshot is a snapshot of a small tree taken after sampleTxns.
func sampleSnapshot(zxid int64) SnapshotData {
	tr := NewTree(Options{ExtendedTypes: true})
	for _, txn := range sampleTxns(1) {
		tr.Apply(txn)
	}
	tr.Apply(Txn{Type: OpCreateSession, Timeout: 4000, Session: 0x2000001, Zxid: 100})
	tr.Apply(Txn{Type: OpCreate, Path: "/e", Data: []byte("eph"), ACL: OpenACLUnsafe(), Ephemeral: true, ParentCversion: -1, Session: 0x2000001, Zxid: 101, Time: 7})
	s := snapshotOf(tr)
	s.LastZxid = zxid
	return s
}

// snapshotOf is what a server saves: Walk's nodes, the session table and
// the last applied zxid.
func snapshotOf(tr *Tree) SnapshotData {
	var nodes []NodeInfo
	_ = tr.Walk(func(ni NodeInfo) error { nodes = append(nodes, ni); return nil })
	return SnapshotData{LastZxid: tr.LastZxid(), Sessions: tr.Sessions(), Nodes: nodes}
}

func normSnapshot(s SnapshotData) SnapshotData {
	s.Nodes = slices.Clone(s.Nodes)
	for i := range s.Nodes {
		if len(s.Nodes[i].ACL) == 0 {
			s.Nodes[i].ACL = nil
		}
	}
	if len(s.Sessions) == 0 {
		s.Sessions = nil
	}
	return s
}

func snapshotsEqual(a, b SnapshotData) bool {
	return reflect.DeepEqual(normSnapshot(a), normSnapshot(b))
}

// testSnapshotter is the Snapshotter contract.
func testSnapshotter(t *testing.T, newSnap func(t *testing.T) Snapshotter) {
	t.Run("Empty", func(t *testing.T) {
		s := newSnap(t)
		if _, ok, err := s.Load(); ok || err != nil {
			t.Fatalf("Load of nothing = ok %v, %v", ok, err)
		}
		if err := s.Purge(3); err != nil {
			t.Fatalf("Purge of nothing: %v", err)
		}
	})
	t.Run("SaveLoad", func(t *testing.T) {
		s := newSnap(t)
		a := sampleSnapshot(0x20)
		if err := s.Save(a); err != nil {
			t.Fatal(err)
		}
		got, ok, err := s.Load()
		if err != nil || !ok || !snapshotsEqual(got, a) {
			t.Fatalf("Load = %+v, %v, %v\nwant %+v", got, ok, err, a)
		}
		b := sampleSnapshot(0x30)
		b.Nodes = append(b.Nodes, NodeInfo{Path: "/n", Data: []byte{}, ACL: ReadACLUnsafe(), Stat: StatPersisted{Czxid: 0x30, Mzxid: 0x30, Pzxid: 0x30}})
		b.Nodes = append(b.Nodes, NodeInfo{Path: "/n/m", Data: nil, ACL: OpenACLUnsafe(), Stat: StatPersisted{Czxid: 0x30, Mzxid: 0x30, Pzxid: 0x30, EphemeralOwner: ContainerOwner}})
		b.Sessions[-5] = 1
		if err := s.Save(b); err != nil {
			t.Fatal(err)
		}
		got, ok, err = s.Load()
		if err != nil || !ok || !snapshotsEqual(got, b) {
			t.Fatalf("Load = %+v, %v, %v\nwant %+v", got, ok, err, b)
		}
		if n := got.Nodes[len(got.Nodes)-2]; n.Data == nil || len(n.Data) != 0 {
			t.Fatalf("empty data read back as %#v", n.Data)
		}
		if n := got.Nodes[len(got.Nodes)-1]; n.Data != nil {
			t.Fatalf("null data read back as %#v", n.Data)
		}
	})
	t.Run("PurgeKeepsNewest", func(t *testing.T) {
		s := newSnap(t)
		for i := range 6 {
			if err := s.Save(sampleSnapshot(int64(10 * (i + 1)))); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Purge(1); err != nil {
			t.Fatal(err)
		}
		got, ok, err := s.Load()
		if err != nil || !ok || got.LastZxid != 60 {
			t.Fatalf("after Purge: Load = zxid %d, %v, %v", got.LastZxid, ok, err)
		}
	})
}

// testRestore drives a tree with random writes from several sessions,
// logging each group, snapshotting (consistent and fuzzy), rolling and
// purging as a server does, then restores a fresh tree and compares.
func testRestore(t *testing.T, open func(t *testing.T) (TxnLog, Snapshotter)) {
	for _, fuzzy := range []bool{false, true} {
		t.Run(fmt.Sprintf("fuzzy=%v", fuzzy), func(t *testing.T) {
			for seed := range 4 {
				log, snaps := open(t)
				w := newWorkload(uint64(seed))
				var pendingFuzzy *SnapshotData
				for step := range 300 {
					txns := w.step(1 + w.rnd.IntN(4))
					if err := log.Append(txns...); err != nil {
						t.Fatal(err)
					}
					if err := log.Sync(); err != nil {
						t.Fatal(err)
					}
					if step%60 == 59 {
						s := snapshotOf(w.tree)
						if fuzzy {
							// Label it with an older zxid, as a snapshot
							// taken while writes went on: the replay from
							// there meets txns the snapshot already has.
							s.LastZxid -= int64(1 + w.rnd.IntN(25))
						}
						if err := log.Roll(); err != nil {
							t.Fatal(err)
						}
						pendingFuzzy = &s
					}
					if pendingFuzzy != nil && step%60 == 5 {
						// Saved a little later, as the snapshot thread does.
						if err := snaps.Save(*pendingFuzzy); err != nil {
							t.Fatal(err)
						}
						if err := snaps.Purge(3); err != nil {
							t.Fatal(err)
						}
						pendingFuzzy = nil
					}
				}
				fresh := NewTree(Options{ExtendedTypes: true})
				z, err := Restore(fresh, snaps, log)
				if err != nil {
					t.Fatal(err)
				}
				if z != w.zxid || fresh.LastZxid() != w.zxid {
					t.Fatalf("seed %d: restored to zxid %d (tree %d), want %d", seed, z, fresh.LastZxid(), w.zxid)
				}
				if got, want := canonicalTree(fresh), canonicalTree(w.tree); got != want {
					t.Fatalf("seed %d: restored tree differs:\n%s", seed, lineDiff(want, got))
				}
				if _, err := Restore(fresh, snaps, log); err == nil {
					t.Fatal("Restore into a used tree succeeded")
				}
			}
		})
	}
}

// workload drives a tree with random writes (prop_test.go's generator) and
// returns the transactions to log.
type workload struct {
	rnd  *rand.Rand
	g    gen
	tree *Tree
	zxid int64
	time int64
}

func newWorkload(seed uint64) *workload {
	rnd := rand.New(rand.NewPCG(seed, 0x5707))
	return &workload{rnd: rnd, g: gen{rnd: rnd, closing: true}, tree: NewTree(Options{ExtendedTypes: true})}
}

// step preps n writes in a row (a group) and applies them.
func (w *workload) step(n int) []Txn {
	var txns []Txn
	for range n {
		w.zxid++
		w.time += 7
		sess := int64(1 + w.rnd.IntN(3))
		var req Request = w.g.write()
		if !w.tree.SessionLive(sess) {
			req = CreateSessionReq{Timeout: int32(1000 * sess)}
		}
		if w.rnd.IntN(5) == 0 {
			if cr, ok := req.(CreateReq); ok {
				cr.Data = []byte(strings.Repeat("x", w.rnd.IntN(1500)))
				req = cr
			}
		}
		txn, _ := w.tree.Prep(req, PrepContext{SessionID: sess, Zxid: w.zxid, Time: w.time})
		txns = append(txns, txn)
	}
	for _, txn := range txns {
		w.tree.Apply(txn)
	}
	return txns
}

// canonicalTree prints what a restore must reproduce, independent of child
// iteration order (a restored Java HashSet need not iterate as the original
// did): nodes sorted by path with data, ACL, persisted and visible stat;
// sessions; ephemerals; the last zxid; the reaper's candidates.
func canonicalTree(tr *Tree) string {
	var lines []string
	_ = tr.Walk(func(ni NodeInfo) error {
		n := tr.lookup(ni.Path)
		lines = append(lines, fmt.Sprintf("%s data=%q null=%v acl=%v persisted=%+v stat=%+v", ni.Path, ni.Data, ni.Data == nil, ni.ACL, ni.Stat, tr.statOf(n)))
		return nil
	})
	slices.Sort(lines)
	sess := tr.Sessions()
	for _, id := range slices.Sorted(mapKeys(sess)) {
		lines = append(lines, fmt.Sprintf("session %#x timeout=%d live=%v", id, sess[id], tr.SessionLive(id)))
	}
	eph := tr.Ephemerals()
	for _, id := range slices.Sorted(mapKeys(eph)) {
		paths := slices.Sorted(slices.Values(eph[id]))
		lines = append(lines, fmt.Sprintf("ephemerals %#x %v", id, paths))
	}
	lines = append(lines, fmt.Sprintf("lastZxid %d", tr.LastZxid()))
	for _, now := range []int64{0, 1 << 20, 1 << 40} {
		lines = append(lines, fmt.Sprintf("reap@%d %v", now, tr.ExpiredContainersAndTTLs(now)))
	}
	return strings.Join(lines, "\n")
}

// lineDiff shows the lines only in want (-) or got (+).
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var out []string
	for _, l := range w {
		if !slices.Contains(g, l) {
			out = append(out, "- "+l)
		}
	}
	for _, l := range g {
		if !slices.Contains(w, l) {
			out = append(out, "+ "+l)
		}
	}
	return strings.Join(out, "\n")
}

// TestRestoreFuzzySnapshot pins what Restore relies on in Tree.Apply: a
// snapshot written while txns went on holds a child whose create comes
// after the snapshot's zxid, with its parent serialized before the create
// (ZooKeeper's fuzzy snapshot). Replaying that create meets NodeExists and
// must still advance the parent's cversion and pzxid (else the next
// sequential name would be one already taken); replaying the setData,
// create and delete after it changes nothing the snapshot does not need.
func TestRestoreFuzzySnapshot(t *testing.T) {
	for _, impl := range storageImpls {
		t.Run(impl.name, func(t *testing.T) {
			log, snaps := impl.open(t)
			tr := NewTree(Options{})
			var txns []Txn
			var snap SnapshotData
			for i, req := range []Request{
				CreateSessionReq{Timeout: 5000},
				CreateReq{Path: "/a", Data: []byte("1"), ACL: OpenACLUnsafe()},
				CreateReq{Path: "/a/c-", Data: []byte("2"), ACL: OpenACLUnsafe(), Mode: ModePersistentSequential},
				SetDataReq{Path: "/a", Data: []byte("3"), Version: -1},
				CreateReq{Path: "/b", ACL: OpenACLUnsafe()},
				DeleteReq{Path: "/b", Version: -1},
			} {
				txn, err := tr.Prep(req, PrepContext{SessionID: 1, Zxid: int64(i + 1), Time: int64(100 * i)})
				if err != nil {
					t.Fatal(err)
				}
				tr.Apply(txn)
				txns = append(txns, txn)
				switch i {
				case 1: // the snapshot thread copies the tree as of zxid 2...
					snap = snapshotOf(tr)
				case 2: // ...but reaches /a's children only after zxid 3 added one
					_ = tr.Walk(func(ni NodeInfo) error {
						if ni.Path == "/a/c-0000000000" {
							snap.Nodes = append(snap.Nodes, ni)
						}
						return nil
					})
				}
			}
			if len(snap.Nodes) != 6 || snap.LastZxid != 2 {
				t.Fatalf("fuzzy snapshot: %d nodes at zxid %d", len(snap.Nodes), snap.LastZxid)
			}
			if err := snaps.Save(snap); err != nil {
				t.Fatal(err)
			}
			if err := log.Append(txns...); err != nil {
				t.Fatal(err)
			}
			if err := log.Sync(); err != nil {
				t.Fatal(err)
			}
			fresh := NewTree(Options{})
			z, err := Restore(fresh, snaps, log)
			if err != nil || z != 6 {
				t.Fatalf("Restore = %d, %v", z, err)
			}
			if got, want := canonicalTree(fresh), canonicalTree(tr); got != want {
				t.Fatalf("restored tree differs:\n%s", lineDiff(want, got))
			}
			next, err := fresh.Prep(CreateReq{Path: "/a/c-", ACL: OpenACLUnsafe(), Mode: ModePersistentSequential}, PrepContext{SessionID: 1, Zxid: 7})
			if err != nil || next.Path != "/a/c-0000000001" {
				t.Fatalf("next sequential create: %q, %v", next.Path, err)
			}
		})
	}
}
