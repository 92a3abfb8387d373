package zk

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf16"
)

// StatPersisted is what a znode stores (jute StatPersisted). Cversion here is
// ZooKeeper's internal counter: child creations only. The client-visible Stat
// derives cversion, numChildren and dataLength from it.
type StatPersisted struct {
	Czxid          int64 // zxid of the create
	Mzxid          int64 // zxid of the last setData (czxid until then)
	Ctime          int64 // txn time of the create, ms
	Mtime          int64 // txn time of the last setData, ms
	Version        int32 // data version
	Cversion       int32 // child creations (internal)
	Aversion       int32 // ACL version
	EphemeralOwner int64 // session id, container or TTL encoding (see ContainerOwner, TTLOwner)
	Pzxid          int64 // zxid of the last child create or delete
}

// Stat is the client-visible stat of a znode (jute Stat, 68 bytes on the
// wire).
type Stat struct {
	Czxid          int64
	Mzxid          int64
	Ctime          int64
	Mtime          int64
	Version        int32
	Cversion       int32 // creations + deletions of children (2*internal - numChildren)
	Aversion       int32
	EphemeralOwner int64 // session of an ephemeral; 0 for containers and TTL nodes
	DataLength     int32
	NumChildren    int32
	Pzxid          int64
}

// ContainerOwner is the ephemeralOwner ZooKeeper stores for a container node
// (EphemeralType.CONTAINER_EPHEMERAL_OWNER, Long.MIN_VALUE).
const ContainerOwner int64 = -1 << 63

// MaxTTL is the largest TTL a TTL node may have, in ms (40 bits, about 34
// years; EphemeralType.TTL.maxValue()).
const MaxTTL int64 = 0xFF_FFFF_FFFF

const (
	extendedMask     = -1 << 56 // 0xff00000000000000
	reservedBitsMask = 0x00ffff0000000000
)

// TTLOwner encodes a TTL as the ephemeralOwner of a TTL node: the high byte
// 0xFF, the reserved bits zero (the TTL feature bit), the TTL in the low 40
// bits (EphemeralType.TTL.toEphemeralOwner). ttl must be 1..MaxTTL.
func TTLOwner(ttl int64) int64 { return extendedMask | ttl }

// nodeKind is EphemeralType.
type nodeKind int

const (
	kindVoid      nodeKind = iota // persistent
	kindNormal                    // ephemeral owned by a session
	kindContainer                 // container
	kindTTL                       // TTL node
)

// ephemeralKind is EphemeralType.get: with extended types enabled, an owner
// whose high byte is 0xFF is a TTL node; Long.MIN_VALUE is a container; 0 is
// persistent; anything else belongs to a session.
func ephemeralKind(owner int64, extended bool) nodeKind {
	if extended && owner&extendedMask == extendedMask && owner&reservedBitsMask == 0 {
		return kindTTL
	}
	switch owner {
	case ContainerOwner:
		return kindContainer
	case 0:
		return kindVoid
	}
	return kindNormal
}

// node is a DataNode.
type node struct {
	data     []byte
	acl      *aclEntry
	stat     StatPersisted
	children *jset // child names, iterated in Java HashSet order; nil when never had one
}

func (n *node) numChildren() int {
	if n.children == nil {
		return 0
	}
	return n.children.len()
}

// Options configure a Tree the way ZooKeeper's system properties configure a
// server.
type Options struct {
	// ExtendedTypes is zookeeper.extendedTypesEnabled: TTL nodes (createTTL,
	// modes 5 and 6). Off, a TTL create fails with ErrUnimplemented.
	ExtendedTypes bool
	// ContainerMaxNeverUsed is znode.container.maxNeverUsedIntervalMs: a
	// container that never had a child becomes a reaping candidate this
	// many ms after its mtime. 0 (the default) keeps it forever.
	ContainerMaxNeverUsed int64
	// SkipACL is zookeeper.skipACL=yes: no permission checks (ACL lists are
	// still validated).
	SkipACL bool
}

// session is a session the tree knows of (createSession committed or
// prepped, closeSession not yet applied).
type session struct {
	timeout int32
	closing bool // closeSession prepped
}

// Tree is ZooKeeper's DataTree together with the parts of the server's
// request pipeline that decide what a write does: the outstanding changes of
// prepped transactions, the session table and the watch tables. It has no
// locks; one owner calls it.
type Tree struct {
	opts       Options
	nodes      map[string]*node // by full path; "/" is the root (ZooKeeper's "" alias is resolved in lookup)
	ephemerals map[int64]*jset  // session → its ephemeral paths, in Java HashSet order
	containers map[string]struct{}
	ttls       map[string]struct{}
	sessions   map[int64]*session
	acls       aclCache
	lastZxid   int64 // last applied
	pending    outstanding
	watches    *Watches
}

// NewTree returns the tree of a fresh ZooKeeper 3.8 standalone server: "/"
// with child "zookeeper", "/zookeeper" with children "quota" and "config",
// all with empty (not null) data and zero stats, ACL OPEN_ACL_UNSAFE except
// "/zookeeper/config", which is READ_ACL_UNSAFE with aversion -1 (it is set
// with setACL(..., -1) at startup).
func NewTree(opts Options) *Tree {
	t := &Tree{
		opts:       opts,
		nodes:      make(map[string]*node),
		ephemerals: make(map[int64]*jset),
		containers: make(map[string]struct{}),
		ttls:       make(map[string]struct{}),
		sessions:   make(map[int64]*session),
		acls:       aclCache{m: make(map[string]*aclEntry)},
		pending:    outstanding{byPath: make(map[string]*change)},
	}
	t.watches = newWatches(opts.SkipACL)
	open := OpenACLUnsafe()
	for _, p := range []string{rootPath, procPath, quotaPath, configPath} {
		t.nodes[p] = &node{data: []byte{}, acl: t.acls.intern(open)}
	}
	t.nodes[rootPath].addChild("zookeeper")
	t.nodes[procPath].addChild("quota")
	t.nodes[procPath].addChild("config")
	cfg := t.nodes[configPath]
	t.acls.release(cfg.acl)
	cfg.acl = t.acls.intern(ReadACLUnsafe())
	cfg.stat.Aversion = -1
	return t
}

func (n *node) addChild(name string) bool {
	if n.children == nil {
		n.children = newJSet(8) // DataNode: new HashSet<String>(8)
	}
	return n.children.add(name)
}

func (n *node) removeChild(name string) bool {
	if n.children == nil {
		return false
	}
	return n.children.remove(name)
}

// lookup resolves a path as DataTree.getNode does: an exact key, with "" an
// alias of the root.
func (t *Tree) lookup(path string) *node {
	if path == "" {
		return t.nodes[rootPath]
	}
	return t.nodes[path]
}

// statOf is DataNode.copyStat: the visible cversion is 2*creations -
// numChildren (creations plus deletions), and only a session-owned ephemeral
// shows its owner (getClientEphemeralOwner).
func (t *Tree) statOf(n *node) Stat {
	nc := int32(n.numChildren())
	owner := n.stat.EphemeralOwner
	if ephemeralKind(owner, t.opts.ExtendedTypes) != kindNormal {
		owner = 0
	}
	return Stat{
		Czxid:          n.stat.Czxid,
		Mzxid:          n.stat.Mzxid,
		Ctime:          n.stat.Ctime,
		Mtime:          n.stat.Mtime,
		Version:        n.stat.Version,
		Cversion:       n.stat.Cversion*2 - nc,
		Aversion:       n.stat.Aversion,
		EphemeralOwner: owner,
		DataLength:     int32(len(n.data)),
		NumChildren:    nc,
		Pzxid:          n.stat.Pzxid,
	}
}

// LastZxid is the zxid of the last transaction applied.
func (t *Tree) LastZxid() int64 { return t.lastZxid }

// Watches returns the tree's watch manager.
func (t *Tree) Watches() *Watches { return t.watches }

// NodeCount is ZooKeeper's node count as srvr/mntr report it: the nodes plus
// the root's "" alias (5 on a fresh server).
func (t *Tree) NodeCount() int { return len(t.nodes) + 1 }

// Sessions returns the sessions the tree knows and their timeouts (ms): the
// session table a snapshot keeps. It includes sessions whose createSession
// is prepped but not applied and those whose closeSession is not applied.
func (t *Tree) Sessions() map[int64]int32 {
	out := make(map[int64]int32, len(t.sessions))
	for id, s := range t.sessions {
		out[id] = s.timeout
	}
	return out
}

// SessionLive reports whether id is a session the tree knows and has not
// begun to close.
func (t *Tree) SessionLive(id int64) bool {
	s := t.sessions[id]
	return s != nil && !s.closing
}

// Ephemerals returns every session's ephemeral paths (sessions sorted,
// paths in ZooKeeper's order), for the dump 4lw.
func (t *Tree) Ephemerals() map[int64][]string {
	out := make(map[int64][]string, len(t.ephemerals))
	for id, set := range t.ephemerals {
		if set.len() > 0 {
			out[id] = slices.Clone(set.ordered())
		}
	}
	return out
}

// ExpiredContainersAndTTLs returns the paths ContainerManager.getCandidates
// would hand to deleteContainer at wall time now (ms), sorted: containers
// without children that have had one (internal cversion > 0) or, with
// ContainerMaxNeverUsed set, whose mtime is older than that; TTL nodes
// without children whose mtime is more than their TTL ago.
func (t *Tree) ExpiredContainersAndTTLs(now int64) []string {
	var out []string
	for p := range t.containers {
		n := t.nodes[p]
		if n == nil || n.numChildren() != 0 {
			continue
		}
		if n.stat.Cversion > 0 ||
			(t.opts.ContainerMaxNeverUsed != 0 && now-n.stat.Mtime > t.opts.ContainerMaxNeverUsed) {
			out = append(out, p)
		}
	}
	for p := range t.ttls {
		n := t.nodes[p]
		if n == nil || n.numChildren() != 0 || ephemeralKind(n.stat.EphemeralOwner, t.opts.ExtendedTypes) != kindTTL {
			continue
		}
		ttl := n.stat.EphemeralOwner &^ (extendedMask | reservedBitsMask)
		if ttl != 0 && now-n.stat.Mtime > ttl {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// NodeInfo is one znode as Walk reports it and RestoreNode takes it.
type NodeInfo struct {
	Path string
	Data []byte // nil for null data; do not modify
	ACL  []ACL  // do not modify
	Stat StatPersisted
}

// Walk visits every znode depth first from "/", children in ZooKeeper's
// order, as DataTree.serializeNode writes a snapshot. It stops at the first
// error fn returns.
func (t *Tree) Walk(fn func(NodeInfo) error) error {
	var walk func(path string) error
	walk = func(path string) error {
		n := t.nodes[path]
		if err := fn(NodeInfo{Path: path, Data: n.data, ACL: n.acl.acl, Stat: n.stat}); err != nil {
			return err
		}
		if n.children == nil {
			return nil
		}
		prefix := path
		if path == rootPath {
			prefix = ""
		}
		for _, c := range n.children.ordered() {
			if err := walk(prefix + "/" + c); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(rootPath)
}

// RestoreNode adds a node read from a snapshot (DataTree.deserialize): its
// parent must exist; an existing node (the special ones of NewTree) is
// replaced in place. Parents must come before children, as Walk emits them.
func (t *Tree) RestoreNode(ni NodeInfo) error {
	if ni.Path == rootPath || t.nodes[ni.Path] != nil {
		n := t.nodes[ni.Path]
		if n == nil {
			return fmt.Errorf("%w: %s", ErrNoNode, ni.Path)
		}
		t.acls.release(n.acl)
		n.data, n.acl, n.stat = ni.Data, t.acls.intern(ni.ACL), ni.Stat
		return nil
	}
	parentPath, name, ok := splitParent(ni.Path)
	parent := t.lookup(parentPath)
	if !ok || parent == nil {
		return fmt.Errorf("%w: parent of %s", ErrNoNode, ni.Path)
	}
	parent.addChild(name)
	t.nodes[ni.Path] = &node{data: ni.Data, acl: t.acls.intern(ni.ACL), stat: ni.Stat}
	t.track(ni.Path, ni.Stat.EphemeralOwner)
	return nil
}

// RestoreSession adds a session read from a snapshot.
func (t *Tree) RestoreSession(id int64, timeout int32) {
	t.sessions[id] = &session{timeout: timeout}
}

// SetLastZxid records the zxid a restored snapshot or log ends at.
func (t *Tree) SetLastZxid(zxid int64) { t.lastZxid = zxid }

// track files a new node under its kind: containers, TTL nodes, or its
// session's ephemerals.
func (t *Tree) track(path string, owner int64) {
	switch ephemeralKind(owner, t.opts.ExtendedTypes) {
	case kindContainer:
		t.containers[path] = struct{}{}
	case kindTTL:
		t.ttls[path] = struct{}{}
	case kindNormal:
		set := t.ephemerals[owner]
		if set == nil {
			set = newJSet(16) // new HashSet<String>()
			t.ephemerals[owner] = set
		}
		set.add(path)
	}
}

func (t *Tree) untrack(path string, owner int64) {
	switch ephemeralKind(owner, t.opts.ExtendedTypes) {
	case kindContainer:
		delete(t.containers, path)
	case kindTTL:
		delete(t.ttls, path)
	case kindNormal:
		if set := t.ephemerals[owner]; set != nil {
			set.remove(path)
		}
	}
}

// ---- reads (FinalRequestProcessor); they see applied state only ----

// Caller is who performs a read or registers a watch: the session (also the
// watcher's identity) and the ids its connection has authenticated.
type Caller struct {
	Session   int64
	Auth      []Id
	SuperUser bool
}

func (t *Tree) check(c Caller, n *node, perm int32) error {
	if t.opts.SkipACL {
		return nil
	}
	return CheckACL(n.acl.acl, perm, c.Auth, c.SuperUser)
}

// Exists is the exists op: ErrBadArguments for a path with NUL, ErrNoAuth
// without READ on an existing node, ErrNoNode for a missing one. With watch,
// a data watch is left on the path whether or not it exists (not on
// NoAuth).
func (t *Tree) Exists(c Caller, path string, watch bool) (Stat, error) {
	if strings.IndexByte(path, 0) >= 0 {
		return Stat{}, fmt.Errorf("%w: %q", ErrBadArguments, path)
	}
	n := t.lookup(path)
	if n != nil {
		if err := t.check(c, n, PermRead); err != nil {
			return Stat{}, err
		}
	}
	if watch {
		t.watches.add(c, &t.watches.data, path, modeStandard)
	}
	if n == nil {
		return Stat{}, ErrNoNode
	}
	return t.statOf(n), nil
}

// GetData is the getData op: ErrNoNode, then ErrNoAuth without READ. The
// watch is registered only on success. The returned slice is the tree's.
func (t *Tree) GetData(c Caller, path string, watch bool) ([]byte, Stat, error) {
	n := t.lookup(path)
	if n == nil {
		return nil, Stat{}, ErrNoNode
	}
	if err := t.check(c, n, PermRead); err != nil {
		return nil, Stat{}, err
	}
	if watch {
		t.watches.add(c, &t.watches.data, path, modeStandard)
	}
	return n.data, t.statOf(n), nil
}

// GetChildren is getChildren/getChildren2: ErrNoNode, then ErrNoAuth without
// READ; child names in ZooKeeper's order (Java HashSet iteration), and the
// node's stat. The watch is a child watch, registered only on success.
func (t *Tree) GetChildren(c Caller, path string, watch bool) ([]string, Stat, error) {
	n := t.lookup(path)
	if n == nil {
		return nil, Stat{}, ErrNoNode
	}
	if err := t.check(c, n, PermRead); err != nil {
		return nil, Stat{}, err
	}
	if watch {
		t.watches.add(c, &t.watches.child, path, modeStandard)
	}
	var kids []string
	if n.children != nil {
		kids = slices.Clone(n.children.ordered())
	}
	if kids == nil {
		kids = []string{}
	}
	return kids, t.statOf(n), nil
}

// GetACL is the getACL op: ErrNoNode, then ErrNoAuth unless the caller has
// READ or ADMIN. Without ADMIN, digest ids read "user:x".
func (t *Tree) GetACL(c Caller, path string) ([]ACL, Stat, error) {
	n := t.lookup(path)
	if n == nil {
		return nil, Stat{}, ErrNoNode
	}
	if err := t.check(c, n, PermRead|PermAdmin); err != nil {
		return nil, Stat{}, err
	}
	acl := append([]ACL(nil), n.acl.acl...)
	if err := t.check(c, n, PermAdmin); err != nil {
		acl = maskDigests(acl)
	}
	return acl, t.statOf(n), nil
}

// GetAllChildrenNumber is getAllChildrenNumber: ErrNoNode, ErrNoAuth
// without READ, else the number of descendants (DataTree counts the keys
// under path + "/"; for "/" every node but the root).
func (t *Tree) GetAllChildrenNumber(c Caller, path string) (int32, error) {
	n := t.lookup(path)
	if n == nil {
		return 0, ErrNoNode
	}
	if err := t.check(c, n, PermRead); err != nil {
		return 0, err
	}
	if path == rootPath {
		return int32(len(t.nodes) - 1), nil
	}
	prefix := path + "/"
	count := 0
	for p := range t.nodes {
		if strings.HasPrefix(p, prefix) {
			count++
		}
	}
	return int32(count), nil
}

// GetEphemerals is getEphemerals: the session's ephemeral paths starting
// with prefix (all of them for "", "/" or blank), in ZooKeeper's order.
func (t *Tree) GetEphemerals(sessionID int64, prefix string) []string {
	set := t.ephemerals[sessionID]
	out := []string{}
	if set == nil {
		return out
	}
	all := set.clone().ordered()
	trimmed := strings.TrimSpace(prefix)
	if trimmed == "" || trimmed == rootPath {
		return append(out, all...)
	}
	for _, p := range all {
		if strings.HasPrefix(p, prefix) {
			out = append(out, p)
		}
	}
	return out
}

// ReadOp is one read of a multiRead: OpGetData or OpGetChildren on a path.
// multiRead never leaves watches.
type ReadOp struct {
	Type OpCode
	Path string
}

// ReadResult is one multiRead result: Err set (Type OpError) for a failed
// read, else Data and Stat (getData) or Children (getChildren).
type ReadResult struct {
	Type     OpCode
	Err      error
	Data     []byte
	Stat     Stat
	Children []string
}

// MultiRead runs each read independently; a failure fails only that read.
// A type other than getData/getChildren is ErrMarshallingError for the
// whole request, as the Java server fails it.
func (t *Tree) MultiRead(c Caller, ops []ReadOp) ([]ReadResult, error) {
	for _, op := range ops {
		if op.Type != OpGetData && op.Type != OpGetChildren {
			return nil, fmt.Errorf("%w: op %d in multiRead", ErrMarshallingError, op.Type)
		}
	}
	out := make([]ReadResult, len(ops))
	for i, op := range ops {
		var r ReadResult
		if op.Type == OpGetData {
			r.Data, r.Stat, r.Err = t.GetData(c, op.Path, false)
		} else {
			r.Children, _, r.Err = t.GetChildren(c, op.Path, false)
		}
		r.Type = op.Type
		if r.Err != nil {
			r = ReadResult{Type: OpError, Err: r.Err}
		}
		out[i] = r
	}
	return out, nil
}

// ---- Java HashSet iteration order ----

// jset is a set of strings that iterates in the order java.util.HashSet
// (JDK 11–17) would: by bucket (spread hash & (capacity-1)), then by
// insertion within a bucket. It models the table's growth (load factor 0.75,
// and the resize treeifyBin does for a bin of 9 in a table under 64). Tree
// bins (9+ names colliding in one bucket of a table of 64 or more) keep
// insertion order here, where Java would reorder them.
type jset struct {
	m       map[string]jentry
	seq     uint64
	cap     int // table length; 0 until the first add
	initCap int
	cache   []string // ordered(), nil when stale
}

type jentry struct {
	seq  uint64
	hash uint32 // spread String.hashCode
}

func newJSet(initCap int) *jset {
	return &jset{m: make(map[string]jentry), initCap: initCap}
}

// javaHash is String.hashCode over UTF-16 units, spread as HashMap.hash does.
func javaHash(s string) uint32 {
	var h uint32
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
		h = 31*h + uint32(s[i])
	}
	if !ascii {
		h = 0
		for _, u := range utf16.Encode([]rune(s)) {
			h = 31*h + uint32(u)
		}
	}
	return h ^ (h >> 16)
}

func (s *jset) len() int { return len(s.m) }

func (s *jset) has(k string) bool { _, ok := s.m[k]; return ok }

func (s *jset) add(k string) bool {
	if _, ok := s.m[k]; ok {
		return false
	}
	if s.cap == 0 {
		s.cap = s.initCap
	}
	s.cache = nil
	s.seq++
	e := jentry{seq: s.seq, hash: javaHash(k)}
	s.m[k] = e
	if s.cap < 64 {
		// putVal appends to the bin; a bin that now holds 9 makes
		// treeifyBin resize a table shorter than 64.
		b := e.hash & uint32(s.cap-1)
		n := 0
		for _, o := range s.m {
			if o.hash&uint32(s.cap-1) == b {
				n++
			}
		}
		if n >= 9 {
			s.cap *= 2
		}
	}
	if len(s.m) > s.cap*3/4 {
		s.cap *= 2
	}
	return true
}

func (s *jset) remove(k string) bool {
	if _, ok := s.m[k]; !ok {
		return false
	}
	delete(s.m, k)
	s.cache = nil
	return true
}

// ordered returns the members in Java iteration order. The slice is cached
// until the set changes: callers must not modify it.
func (s *jset) ordered() []string {
	if s.cache != nil || len(s.m) == 0 {
		return s.cache
	}
	type item struct {
		k      string
		bucket uint32
		seq    uint64
	}
	mask := uint32(s.cap - 1)
	items := make([]item, 0, len(s.m))
	for k, e := range s.m {
		items = append(items, item{k, e.hash & mask, e.seq})
	}
	slices.SortFunc(items, func(a, b item) int {
		if a.bucket != b.bucket {
			return cmp.Compare(a.bucket, b.bucket)
		}
		return cmp.Compare(a.seq, b.seq)
	})
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.k
	}
	s.cache = out
	return out
}

// clone is HashSet.clone: a table sized for the current size
// (tableSizeFor((int)(size/0.75f + 1))) filled in iteration order.
func (s *jset) clone() *jset {
	c := newJSet(16)
	if len(s.m) == 0 {
		return c
	}
	ft := float32(len(s.m))/float32(0.75) + 1
	c.cap = tableSizeFor(int(ft))
	for _, k := range s.ordered() {
		c.add(k)
	}
	return c
}

func tableSizeFor(n int) int {
	c := 1
	for c < n {
		c <<= 1
	}
	return c
}
