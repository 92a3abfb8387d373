package zk

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// genReq draws a random write over a small tree so that collisions,
// missing parents, version conflicts and non-empty deletes are common.
type gen struct {
	rnd     *rand.Rand
	closing bool // may emit closeSession / createSession
}

func (g gen) path() string {
	paths := [...]string{"/a", "/a/b", "/a/b/c", "/a/e", "/x", "/x/y", "/x/y/z", "/c", "/c/k", "/t"}
	p := paths[g.rnd.IntN(len(paths))]
	if g.rnd.IntN(8) == 0 {
		p += "/s-" // a sequential prefix
	}
	return p
}

func (g gen) version() int32 {
	if g.rnd.IntN(3) == 0 {
		return int32(g.rnd.IntN(3))
	}
	return -1
}

func (g gen) acl() []ACL {
	switch g.rnd.IntN(20) {
	case 0:
		return []ACL{{PermRead | PermWrite, AnyoneID()}}
	case 1:
		return nil // InvalidACL
	case 2:
		return CreatorAllACL() // InvalidACL without a digest id
	}
	return OpenACLUnsafe()
}

func (g gen) write() Request {
	switch g.rnd.IntN(9) {
	case 0, 1, 2:
		modes := []CreateMode{ModePersistent, ModePersistent, ModeEphemeral, ModePersistentSequential,
			ModeEphemeralSequential, ModeContainer, ModePersistentWithTTL}
		m := modes[g.rnd.IntN(len(modes))]
		return CreateReq{Path: g.path(), Data: []byte{byte(g.rnd.IntN(256))}, ACL: g.acl(), Mode: m, TTL: int64(1 + g.rnd.IntN(50))}
	case 3, 4:
		return DeleteReq{Path: g.path(), Version: g.version()}
	case 5:
		return SetDataReq{Path: g.path(), Data: []byte("d"), Version: g.version()}
	case 6:
		if g.rnd.IntN(2) == 0 {
			return SetACLReq{Path: g.path(), ACL: g.acl(), Version: g.version()}
		}
		return DeleteContainerReq{Path: g.path()}
	case 7:
		var m MultiReq
		for range 1 + g.rnd.IntN(4) {
			switch g.rnd.IntN(4) {
			case 0:
				m.Ops = append(m.Ops, CreateReq{Path: g.path(), ACL: OpenACLUnsafe(), Mode: CreateMode(g.rnd.IntN(4))})
			case 1:
				m.Ops = append(m.Ops, DeleteReq{Path: g.path(), Version: g.version()})
			case 2:
				m.Ops = append(m.Ops, SetDataReq{Path: g.path(), Version: g.version()})
			default:
				m.Ops = append(m.Ops, CheckReq{Path: g.path(), Version: g.version()})
			}
		}
		return m
	default:
		if g.closing && g.rnd.IntN(4) == 0 {
			return CloseSessionReq{}
		}
		return CheckReq{Path: g.path(), Version: g.version()}
	}
}

// model tracks what the invariants need from the results alone.
type model struct {
	creates map[string]int32 // child creations since the node was created
	deletes map[string]int32
	pzxid   map[string]int64
	seqSeen map[string]bool // every sequential name ever created
}

func newModel() *model {
	return &model{creates: map[string]int32{}, deletes: map[string]int32{}, pzxid: map[string]int64{}, seqSeen: map[string]bool{}}
}

func parentKey(p string) string {
	parent, _, _ := splitParent(p)
	if parent == "" {
		return rootPath
	}
	return parent
}

func (m *model) created(t *testing.T, p string, zxid int64, seq bool) {
	t.Helper()
	if seq {
		if m.seqSeen[p] {
			t.Fatalf("sequential name %s reused", p)
		}
		m.seqSeen[p] = true
	}
	m.creates[p], m.deletes[p], m.pzxid[p] = 0, 0, zxid
	m.creates[parentKey(p)]++
	m.pzxid[parentKey(p)] = zxid
}

func (m *model) deleted(p string, zxid int64) {
	m.deletes[parentKey(p)]++
	m.pzxid[parentKey(p)] = zxid
	delete(m.creates, p)
	delete(m.deletes, p)
	delete(m.pzxid, p)
}

// record feeds a result into the model.
func (m *model) record(t *testing.T, txn Txn, res Result) {
	t.Helper()
	one := func(r OpResult) {
		if r.Err != nil || r.Type == OpError {
			return
		}
		switch r.Type {
		case OpCreate, OpCreate2, OpCreateTTL, OpCreateContainer:
			i := strings.LastIndex(r.Path, "/s-")
			m.created(t, r.Path, txn.Zxid, i >= 0 && len(r.Path) == i+3+10)
		case OpDelete, OpDeleteContainer:
			m.deleted(r.Path, txn.Zxid)
		}
	}
	switch txn.Type {
	case OpMulti:
		for _, r := range res.Ops {
			one(r)
		}
	case OpCloseSession:
		for _, p := range txn.Paths {
			m.deleted(p, txn.Zxid)
		}
	default:
		one(res.OpResult)
	}
}

// checkInvariants walks the tree and its indexes.
func checkInvariants(t *testing.T, tr *Tree, m *model) {
	t.Helper()
	refs := map[*aclEntry]int{}
	ephemerals := map[int64][]string{}
	var containers, ttls []string
	for p, n := range tr.nodes {
		refs[n.acl]++
		if n.children != nil {
			for name := range n.children.m {
				child := p + "/" + name
				if p == rootPath {
					child = "/" + name
				}
				if tr.nodes[child] == nil {
					t.Fatalf("%s lists missing child %s", p, name)
				}
			}
		}
		if p != rootPath {
			parent := tr.lookup(parentKey(p))
			_, name, _ := splitParent(p)
			if parent == nil || parent.children == nil || !parent.children.has(name) {
				t.Fatalf("orphan %s", p)
			}
			if ephemeralKind(parent.stat.EphemeralOwner, tr.opts.ExtendedTypes) == kindNormal {
				t.Fatalf("%s has an ephemeral parent", p)
			}
		}
		st := tr.statOf(n)
		count := 0
		prefix := p + "/"
		if p == rootPath {
			prefix = "/"
		}
		for q := range tr.nodes {
			if q != p && strings.HasPrefix(q, prefix) && !strings.Contains(q[len(prefix):], "/") {
				count++
			}
		}
		if int(st.NumChildren) != count {
			t.Fatalf("%s numChildren %d, %d children exist", p, st.NumChildren, count)
		}
		if st.Pzxid < st.Czxid || st.Mzxid < st.Czxid {
			t.Fatalf("%s: pzxid %d mzxid %d < czxid %d", p, st.Pzxid, st.Mzxid, st.Czxid)
		}
		if _, tracked := m.creates[p]; tracked {
			if n.stat.Cversion != m.creates[p] {
				t.Fatalf("%s internal cversion %d, %d creations", p, n.stat.Cversion, m.creates[p])
			}
			uncreated := int32(0)
			if p == rootPath {
				uncreated = 1 // "zookeeper" was never created
			}
			if st.Cversion != m.creates[p]+m.deletes[p]-uncreated {
				t.Fatalf("%s cversion %d, %d creations + %d deletions", p, st.Cversion, m.creates[p], m.deletes[p])
			}
			if st.Pzxid != m.pzxid[p] {
				t.Fatalf("%s pzxid %d, want %d", p, st.Pzxid, m.pzxid[p])
			}
		}
		switch ephemeralKind(n.stat.EphemeralOwner, tr.opts.ExtendedTypes) {
		case kindNormal:
			if !tr.SessionLive(n.stat.EphemeralOwner) && tr.sessions[n.stat.EphemeralOwner] == nil {
				t.Fatalf("orphan ephemeral %s of session %d", p, n.stat.EphemeralOwner)
			}
			ephemerals[n.stat.EphemeralOwner] = append(ephemerals[n.stat.EphemeralOwner], p)
		case kindContainer:
			containers = append(containers, p)
		case kindTTL:
			ttls = append(ttls, p)
		}
	}
	for e, n := range refs {
		if e.refs != n {
			t.Fatalf("acl entry refs %d, used by %d nodes", e.refs, n)
		}
	}
	if len(tr.acls.m) != len(refs) {
		t.Fatalf("%d cached ACL lists, %d in use", len(tr.acls.m), len(refs))
	}
	for id, set := range tr.ephemerals {
		got := set.ordered()
		slices.Sort(got)
		want := ephemerals[id]
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("session %d ephemerals %v, nodes say %v", id, got, want)
		}
		delete(ephemerals, id)
	}
	if len(ephemerals) != 0 {
		t.Fatalf("untracked ephemerals %v", ephemerals)
	}
	sortedKeys := func(m map[string]struct{}) []string {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	slices.Sort(containers)
	slices.Sort(ttls)
	if !slices.Equal(sortedKeys(tr.containers), containers) || !slices.Equal(sortedKeys(tr.ttls), ttls) {
		t.Fatalf("containers %v/%v ttls %v/%v", sortedKeys(tr.containers), containers, sortedKeys(tr.ttls), ttls)
	}
	if tr.Pending() != 0 {
		t.Fatalf("%d outstanding changes with nothing in flight", tr.Pending())
	}
}

// TestRandomInvariants applies random writes from three sessions (closing
// and reopening them) and checks the tree after each.
func TestRandomInvariants(t *testing.T) {
	seeds := 40
	steps := 400
	if testing.Short() {
		seeds, steps = 5, 200
	}
	for seed := range seeds {
		rnd := rand.New(rand.NewPCG(uint64(seed), 7))
		g := gen{rnd: rnd, closing: true}
		tr := NewTree(Options{ExtendedTypes: true})
		m := newModel()
		auth := map[int64][]Id{1: {{"digest", "u1:x"}}, 2: nil, 3: {{"ip", "10.0.0.1"}}}
		zxid := int64(0)
		for sess := int64(1); sess <= 3; sess++ {
			zxid++
			txn, _ := tr.Prep(CreateSessionReq{Timeout: 1000}, PrepContext{SessionID: sess, Zxid: zxid})
			tr.Apply(txn)
		}
		for step := range steps {
			sess := int64(1 + rnd.IntN(3))
			zxid++
			req := g.write()
			if !tr.SessionLive(sess) && rnd.IntN(4) != 0 {
				req = CreateSessionReq{Timeout: 1000} // reconnect as a new session with the same id
			}
			txn, err := tr.Prep(req, PrepContext{SessionID: sess, Zxid: zxid, Time: int64(step), Auth: auth[sess], SuperUser: rnd.IntN(20) == 0})
			if (err == nil) != (txn.Type != OpError && txn.Err == nil) && txn.Type != OpMulti {
				t.Fatalf("seed %d step %d: Prep error %v but txn %+v", seed, step, err, txn)
			}
			res := tr.Apply(txn)
			if txn.Type != OpMulti && Code(res.Err) != Code(err) {
				t.Fatalf("seed %d step %d: Prep said %v, Apply %v (%T %+v)", seed, step, err, res.Err, req, req)
			}
			m.record(t, txn, res)
			checkInvariants(t, tr, m)
			// Every watch fired was for a session that held one.
			for _, d := range res.Events {
				if d.Session < 1 || d.Session > 3 {
					t.Fatalf("event for session %d", d.Session)
				}
			}
			// Set some watches so triggers run through the tables.
			c := Caller{Session: int64(1 + rnd.IntN(3)), Auth: auth[sess]}
			p := g.path()
			switch rnd.IntN(5) {
			case 0:
				tr.Exists(c, p, true)
			case 1:
				tr.GetData(c, p, true)
			case 2:
				tr.GetChildren(c, p, true)
			case 3:
				if rnd.IntN(4) == 0 {
					tr.Watches().AddWatch(c, p, AddWatchMode(rnd.IntN(2)))
				}
			}
		}
	}
}

// TestPipelineEquivalence: prepping a batch before applying any of it gives
// the same transactions, results and tree as prepping each after the last
// is applied (closeSession aside, where ZooKeeper's outstanding record of a
// parent keeps its child count).
func TestPipelineEquivalence(t *testing.T) {
	seeds := 40
	if testing.Short() {
		seeds = 5
	}
	for seed := range seeds {
		rnd := rand.New(rand.NewPCG(uint64(seed), 99))
		g := gen{rnd: rnd}
		serial := NewTree(Options{ExtendedTypes: true})
		piped := NewTree(Options{ExtendedTypes: true})
		zxid := int64(0)
		for _, tr := range []*Tree{serial, piped} {
			for sess := int64(1); sess <= 2; sess++ {
				txn, _ := tr.Prep(CreateSessionReq{Timeout: 1000}, PrepContext{SessionID: sess, Zxid: sess})
				tr.Apply(txn)
			}
		}
		zxid = 2
		for batch := range 60 {
			n := 1 + rnd.IntN(6)
			var reqs []Request
			var ctxs []PrepContext
			for range n {
				zxid++
				sess := int64(1 + rnd.IntN(2))
				reqs = append(reqs, g.write())
				ctxs = append(ctxs, PrepContext{SessionID: sess, Zxid: zxid, Time: int64(batch)})
			}
			var serialOut, pipedOut []string
			for i, req := range reqs {
				txn, err := serial.Prep(req, ctxs[i])
				res := serial.Apply(txn)
				serialOut = append(serialOut, fmt.Sprintf("%s %v | %s", fmtTxn(txn), CodeName(Code(err)), fmtResult(res)))
			}
			var txns []Txn
			var errs []error
			for i, req := range reqs {
				txn, err := piped.Prep(req, ctxs[i])
				txns = append(txns, txn)
				errs = append(errs, err)
			}
			for i, txn := range txns {
				res := piped.Apply(txn)
				pipedOut = append(pipedOut, fmt.Sprintf("%s %v | %s", fmtTxn(txn), CodeName(Code(errs[i])), fmtResult(res)))
			}
			if !slices.Equal(serialOut, pipedOut) {
				t.Fatalf("seed %d batch %d:\nserial %q\npiped  %q", seed, batch, serialOut, pipedOut)
			}
			if a, b := dumpTree(serial), dumpTree(piped); a != b {
				t.Fatalf("seed %d batch %d: trees differ\n%s\n%s", seed, batch, a, b)
			}
			if piped.Pending() != 0 {
				t.Fatalf("seed %d: %d outstanding after the batch", seed, piped.Pending())
			}
		}
	}
}

func fmtResult(r Result) string {
	s := fmtOpResult(r.OpResult)
	if r.Err != nil {
		s = "err " + CodeName(Code(r.Err))
	}
	for _, o := range r.Ops {
		s += " [" + fmtOpResult(o) + "]"
	}
	return s
}
