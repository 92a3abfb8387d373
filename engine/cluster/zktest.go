package cluster

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/go-zookeeper/zk"
)

// MemZK is an in-memory ZooKeeper data tree implementing ZK, for tests here
// and in other packages. It keeps ZooKeeper's semantics where Kafka depends
// on them: parents must exist, versions are checked (-1 matches any),
// sequential names take the count of children the parent ever had as a
// %010d suffix (ZooKeeper's internal cversion; the reported cversion also
// counts deletions), ephemeral
// nodes belong to a session and vanish with it and cannot have children,
// multi is atomic and reports a failure as go-zookeeper does (per-op results:
// nil before the failing op, its error, "unknown error: -2" after it; the
// failing op's error also returned). Unlike ZooKeeper, Children returns
// names sorted. Watches are not modelled.
//
// MemZK itself is a client with session id 1; Session opens more clients on
// the same tree. It is safe for concurrent use.
type MemZK struct {
	*MemZKSession
	t *memTree
}

// MemZKSession is one client session on a MemZK tree.
type MemZKSession struct {
	t      *memTree
	id     int64
	closed bool
}

type memTree struct {
	mu       sync.Mutex
	nodes    map[string]*memNode
	zxid     int64
	sessions int64
	now      func() time.Time
	fail     func(op, path string) error
	ops      []string
}

type memNode struct {
	data      []byte
	acl       []zk.ACL
	stat      zk.Stat // Cversion and NumChildren are derived in statCopy
	creations int32   // children ever created: the next sequential suffix
	children  map[string]bool
}

// statCopy returns the stat ZooKeeper reports: cversion counts child
// creations and deletions, which ZooKeeper derives as 2*creations - children.
func (n *memNode) statCopy() *zk.Stat {
	st := n.stat
	st.NumChildren = int32(len(n.children))
	st.Cversion = 2*n.creations - st.NumChildren
	return &st
}

func (n *memNode) clone() *memNode {
	c := *n
	c.data = copyData(n.data)
	c.acl = append([]zk.ACL(nil), n.acl...)
	c.children = make(map[string]bool, len(n.children))
	for k := range n.children {
		c.children[k] = true
	}
	return &c
}

// NewMemZK returns a tree holding what a fresh ZooKeeper 3.5+ server holds:
// "/", "/zookeeper", "/zookeeper/quota" and "/zookeeper/config".
func NewMemZK() *MemZK {
	t := &memTree{nodes: map[string]*memNode{"/": {children: map[string]bool{}}}, sessions: 1}
	for _, p := range []string{"/zookeeper", "/zookeeper/quota", "/zookeeper/config"} {
		if _, err := t.create(0, p, nil, 0, zk.WorldACL(zk.PermAll)); err != nil {
			panic(err)
		}
	}
	t.ops = nil
	return &MemZK{MemZKSession: &MemZKSession{t: t, id: 1}, t: t}
}

// Session opens another client session on the same tree.
func (m *MemZK) Session() *MemZKSession {
	m.t.mu.Lock()
	defer m.t.mu.Unlock()
	m.t.sessions++
	return &MemZKSession{t: m.t, id: m.t.sessions}
}

// SetClock sets the source of ctime and mtime (zero times by default).
func (m *MemZK) SetClock(now func() time.Time) {
	m.t.mu.Lock()
	defer m.t.mu.Unlock()
	m.t.now = now
}

// FailWith installs a hook run before every operation with its name
// ("create", "set", "delete", "get", "children", "exists", "multi") and path;
// a non-nil result fails the operation. nil removes the hook.
func (m *MemZK) FailWith(hook func(op, path string) error) {
	m.t.mu.Lock()
	defer m.t.mu.Unlock()
	m.t.fail = hook
}

// Ops returns the operations run so far, as "op path" strings.
func (m *MemZK) Ops() []string {
	m.t.mu.Lock()
	defer m.t.mu.Unlock()
	return append([]string(nil), m.t.ops...)
}

// ResetOps clears the operation log.
func (m *MemZK) ResetOps() {
	m.t.mu.Lock()
	defer m.t.mu.Unlock()
	m.t.ops = nil
}

// Paths returns every znode path outside /zookeeper, sorted.
func (m *MemZK) Paths() []string {
	m.t.mu.Lock()
	defer m.t.mu.Unlock()
	var out []string
	for p := range m.t.nodes {
		if p != "/" && p != "/zookeeper" && !strings.HasPrefix(p, "/zookeeper/") {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// SessionID returns the session's id.
func (s *MemZKSession) SessionID() int64 { return s.id }

// Close ends the session, deleting its ephemeral nodes.
func (s *MemZKSession) Close() {
	s.t.mu.Lock()
	defer s.t.mu.Unlock()
	if s.closed {
		return
	}
	s.closed = true
	var eph []string
	for p, n := range s.t.nodes {
		if n.stat.EphemeralOwner == s.id {
			eph = append(eph, p)
		}
	}
	sort.Strings(eph)
	for _, p := range eph {
		_ = s.t.delete(p, -1)
	}
}

func (t *memTree) begin(op, path string) error {
	t.ops = append(t.ops, op+" "+path)
	if t.fail != nil {
		return t.fail(op, path)
	}
	return nil
}

func (t *memTree) nowMillis() int64 {
	if t.now == nil {
		return 0
	}
	return t.now().UnixMilli()
}

func (s *MemZKSession) check() error {
	if s.closed {
		return zk.ErrConnectionClosed
	}
	return nil
}

// Get returns a node's data and stat.
func (s *MemZKSession) Get(path string) ([]byte, *zk.Stat, error) {
	s.t.mu.Lock()
	defer s.t.mu.Unlock()
	if err := s.check(); err != nil {
		return nil, nil, err
	}
	if err := s.t.begin("get", path); err != nil {
		return nil, nil, err
	}
	n, ok := s.t.nodes[path]
	if !ok {
		return nil, nil, zk.ErrNoNode
	}
	return copyData(n.data), n.statCopy(), nil
}

// Set replaces a node's data if version matches (-1: any).
func (s *MemZKSession) Set(path string, data []byte, version int32) (*zk.Stat, error) {
	s.t.mu.Lock()
	defer s.t.mu.Unlock()
	if err := s.check(); err != nil {
		return nil, err
	}
	if err := validateZKPath(path, false); err != nil {
		return nil, err
	}
	if err := s.t.begin("set", path); err != nil {
		return nil, err
	}
	return s.t.set(path, data, version)
}

// Create creates a node; flags are zk.FlagEphemeral and zk.FlagSequence.
func (s *MemZKSession) Create(path string, data []byte, flags int32, acl []zk.ACL) (string, error) {
	s.t.mu.Lock()
	defer s.t.mu.Unlock()
	if err := s.check(); err != nil {
		return "", err
	}
	if err := validateZKPath(path, flags&zk.FlagSequence != 0); err != nil {
		return "", err
	}
	if err := s.t.begin("create", path); err != nil {
		return "", err
	}
	return s.t.create(s.id, path, data, flags, acl)
}

// Children returns the names of a node's children, sorted.
func (s *MemZKSession) Children(path string) ([]string, *zk.Stat, error) {
	s.t.mu.Lock()
	defer s.t.mu.Unlock()
	if err := s.check(); err != nil {
		return nil, nil, err
	}
	if err := s.t.begin("children", path); err != nil {
		return nil, nil, err
	}
	n, ok := s.t.nodes[path]
	if !ok {
		return nil, nil, zk.ErrNoNode
	}
	out := make([]string, 0, len(n.children))
	for c := range n.children {
		out = append(out, c)
	}
	sort.Strings(out)
	return out, n.statCopy(), nil
}

// Exists reports whether a node exists, with its stat.
func (s *MemZKSession) Exists(path string) (bool, *zk.Stat, error) {
	s.t.mu.Lock()
	defer s.t.mu.Unlock()
	if err := s.check(); err != nil {
		return false, nil, err
	}
	if err := s.t.begin("exists", path); err != nil {
		return false, nil, err
	}
	n, ok := s.t.nodes[path]
	if !ok {
		return false, &zk.Stat{}, nil
	}
	return true, n.statCopy(), nil
}

// Delete removes a childless node if version matches (-1: any).
func (s *MemZKSession) Delete(path string, version int32) error {
	s.t.mu.Lock()
	defer s.t.mu.Unlock()
	if err := s.check(); err != nil {
		return err
	}
	if err := s.t.begin("delete", path); err != nil {
		return err
	}
	return s.t.delete(path, version)
}

// Multi applies the ops atomically.
func (s *MemZKSession) Multi(ops ...interface{}) ([]zk.MultiResponse, error) {
	s.t.mu.Lock()
	defer s.t.mu.Unlock()
	if err := s.check(); err != nil {
		return nil, err
	}
	if err := s.t.begin("multi", fmt.Sprint(len(ops))); err != nil {
		return nil, err
	}
	saved := make(map[string]*memNode, len(s.t.nodes))
	for p, n := range s.t.nodes {
		saved[p] = n.clone()
	}
	savedZxid := s.t.zxid
	res := make([]zk.MultiResponse, len(ops))
	failed := -1
	for i, op := range ops {
		var err error
		switch o := op.(type) {
		case *zk.CreateRequest:
			if err = validateZKPath(o.Path, o.Flags&zk.FlagSequence != 0); err == nil {
				res[i].String, err = s.t.create(s.id, o.Path, o.Data, o.Flags, o.Acl)
			}
		case *zk.SetDataRequest:
			res[i].Stat, err = s.t.set(o.Path, o.Data, o.Version)
		case *zk.DeleteRequest:
			err = s.t.delete(o.Path, o.Version)
		case *zk.CheckVersionRequest:
			n, ok := s.t.nodes[o.Path]
			switch {
			case !ok:
				err = zk.ErrNoNode
			case o.Version != -1 && o.Version != n.stat.Version:
				err = zk.ErrBadVersion
			}
		default:
			return nil, fmt.Errorf("unknown operation type %T", op)
		}
		if err != nil {
			failed = i
			res[i] = zk.MultiResponse{Error: err}
			break
		}
	}
	if failed >= 0 {
		s.t.nodes = saved
		s.t.zxid = savedZxid
		for i := range res {
			switch {
			case i < failed:
				res[i] = zk.MultiResponse{}
			case i > failed:
				res[i] = zk.MultiResponse{Error: errors.New("unknown error: -2")}
			}
		}
		return res, res[failed].Error
	}
	return res, nil
}

func (t *memTree) create(owner int64, path string, data []byte, flags int32, acl []zk.ACL) (string, error) {
	if flags < 0 || flags > zk.FlagEphemeralSequential {
		return "", zk.ErrInvalidFlags
	}
	if len(acl) == 0 {
		return "", zk.ErrInvalidACL
	}
	parentPath, name := splitZKPath(path)
	parent, ok := t.nodes[parentPath]
	if !ok {
		return "", zk.ErrNoNode
	}
	if parent.stat.EphemeralOwner != 0 {
		return "", zk.ErrNoChildrenForEphemerals
	}
	if flags&zk.FlagSequence != 0 {
		suffix := fmt.Sprintf("%010d", parent.creations)
		path += suffix
		name += suffix
	}
	if _, exists := t.nodes[path]; exists {
		return "", zk.ErrNodeExists
	}
	t.zxid++
	now := t.nowMillis()
	n := &memNode{data: copyData(data), acl: append([]zk.ACL(nil), acl...), children: map[string]bool{}}
	n.stat = zk.Stat{Czxid: t.zxid, Mzxid: t.zxid, Pzxid: t.zxid, Ctime: now, Mtime: now, DataLength: int32(len(data))}
	if flags&zk.FlagEphemeral != 0 {
		n.stat.EphemeralOwner = owner
	}
	t.nodes[path] = n
	parent.children[name] = true
	parent.creations++
	parent.stat.Pzxid = t.zxid
	return path, nil
}

func (t *memTree) set(path string, data []byte, version int32) (*zk.Stat, error) {
	n, ok := t.nodes[path]
	if !ok {
		return nil, zk.ErrNoNode
	}
	if version != -1 && version != n.stat.Version {
		return nil, zk.ErrBadVersion
	}
	t.zxid++
	n.data = copyData(data)
	n.stat.Version++
	n.stat.Mzxid = t.zxid
	n.stat.Mtime = t.nowMillis()
	n.stat.DataLength = int32(len(data))
	return n.statCopy(), nil
}

func (t *memTree) delete(path string, version int32) error {
	if path == "/" || path == "/zookeeper" || strings.HasPrefix(path, "/zookeeper/") {
		return zk.ErrBadArguments
	}
	n, ok := t.nodes[path]
	if !ok {
		return zk.ErrNoNode
	}
	if version != -1 && version != n.stat.Version {
		return zk.ErrBadVersion
	}
	if len(n.children) > 0 {
		return zk.ErrNotEmpty
	}
	t.zxid++
	parentPath, name := splitZKPath(path)
	parent := t.nodes[parentPath]
	delete(parent.children, name)
	parent.stat.Pzxid = t.zxid
	delete(t.nodes, path)
	return nil
}

// copyData copies znode data keeping nil (ZooKeeper's null) apart from empty.
func copyData(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte{}, b...)
}

func splitZKPath(path string) (parent, name string) {
	i := strings.LastIndexByte(path, '/')
	if i == 0 {
		return "/", path[1:]
	}
	return path[:i], path[i+1:]
}

// validateZKPath applies ZooKeeper's path rules (PathUtils.validatePath); a
// sequential create may end in '/'.
func validateZKPath(path string, sequential bool) error {
	if path == "" || path[0] != '/' {
		return zk.ErrInvalidPath
	}
	if path == "/" {
		return nil
	}
	if strings.HasSuffix(path, "/") && !sequential {
		return zk.ErrInvalidPath
	}
	trimmed := path[1:]
	if sequential {
		trimmed = strings.TrimSuffix(trimmed, "/")
	}
	for _, c := range strings.Split(trimmed, "/") {
		if c == "" || c == "." || c == ".." {
			return zk.ErrInvalidPath
		}
	}
	for _, r := range path {
		if r == 0 || r < 0x20 || (r >= 0x7f && r <= 0x9f) || (r >= 0xd800 && r <= 0xf8ff) || (r >= 0xfff0 && r <= 0xffff) {
			return zk.ErrInvalidPath
		}
	}
	return nil
}

var (
	_ ZK = (*MemZK)(nil)
	_ ZK = (*MemZKSession)(nil)
)
