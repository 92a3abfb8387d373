package zk

import (
	"fmt"
	"slices"

	"github.com/kafkago/kafka/wire"
)

// EventType is Watcher.Event.EventType. The server sends only 1–4; 5–7 and
// None are made by clients.
type EventType = wire.EventType

// The event types, as package wire defines them.
const (
	EventNone                   = wire.EventNone
	EventNodeCreated            = wire.EventNodeCreated
	EventNodeDeleted            = wire.EventNodeDeleted
	EventNodeDataChanged        = wire.EventNodeDataChanged
	EventNodeChildrenChanged    = wire.EventNodeChildrenChanged
	EventDataWatchRemoved       = wire.EventDataWatchRemoved
	EventChildWatchRemoved      = wire.EventChildWatchRemoved
	EventPersistentWatchRemoved = wire.EventPersistentWatchRemoved
)

// StateSyncConnected is the only KeeperState a server puts in a
// WatcherEvent.
const StateSyncConnected int32 = 3

// Event is a WatcherEvent: sent with xid -1, zxid -1, err 0.
type Event struct {
	Type  EventType
	State int32
	Path  string
}

// Delivery is an event for one watcher (a session).
type Delivery struct {
	Session int64
	Event   Event
}

// WatcherType selects watches in checkWatches/removeWatches
// (Watcher.WatcherType).
type WatcherType int32

const (
	WatcherChildren WatcherType = 1
	WatcherData     WatcherType = 2
	WatcherAny      WatcherType = 3
)

// AddWatchMode is the mode of an addWatch request (ZooDefs.AddWatchModes).
type AddWatchMode int32

const (
	AddWatchPersistent          AddWatchMode = 0
	AddWatchPersistentRecursive AddWatchMode = 1
)

// watchMode is WatcherMode.
type watchMode uint8

const (
	modeStandard watchMode = iota
	modePersistent
	modeRecursive
)

// watchTable is one WatchManager (ZooKeeper has two: data and child). As in
// 3.8, a watcher has one mode per path: a standard watch set after a
// persistent one on the same path replaces it.
type watchTable struct {
	byPath    map[string]map[int64]watchMode
	byWatcher map[int64]map[string]struct{}
	recursive int // watches in mode recursive
}

func newWatchTable() watchTable {
	return watchTable{byPath: make(map[string]map[int64]watchMode), byWatcher: make(map[int64]map[string]struct{})}
}

func (wt *watchTable) add(path string, w int64, mode watchMode) {
	ws := wt.byPath[path]
	if ws == nil {
		ws = make(map[int64]watchMode, 1)
		wt.byPath[path] = ws
	}
	if old, ok := ws[w]; ok && old == modeRecursive {
		wt.recursive--
	}
	ws[w] = mode
	if mode == modeRecursive {
		wt.recursive++
	}
	ps := wt.byWatcher[w]
	if ps == nil {
		ps = make(map[string]struct{})
		wt.byWatcher[w] = ps
	}
	ps[path] = struct{}{}
}

// remove is WatchManager.removeWatcher(path, watcher).
func (wt *watchTable) remove(path string, w int64) bool {
	ps := wt.byWatcher[w]
	if _, ok := ps[path]; !ok {
		return false
	}
	delete(ps, path)
	ws := wt.byPath[path]
	mode, ok := ws[w]
	if !ok {
		return false
	}
	if mode == modeRecursive {
		wt.recursive--
	}
	delete(ws, w)
	if len(ws) == 0 {
		delete(wt.byPath, path)
	}
	return true
}

// removeWatcher drops every watch of w (a closed connection).
func (wt *watchTable) removeWatcher(w int64) {
	for p := range wt.byWatcher[w] {
		ws := wt.byPath[p]
		if ws[w] == modeRecursive {
			wt.recursive--
		}
		delete(ws, w)
		if len(ws) == 0 {
			delete(wt.byPath, p)
		}
	}
	delete(wt.byWatcher, w)
}

// contains is 3.8's WatchManager.containsWatcher, which answers true when
// any watcher watches exactly path (not only w), or w's own watch on path is
// recursive. 3.9 checks w alone; this keeps 3.8's answer.
func (wt *watchTable) contains(path string, _ int64) bool {
	// Java: any watcher set at path, or w's mode there is recursive (which
	// implies w is in that set).
	return len(wt.byPath[path]) > 0
}

// trigger is WatchManager.triggerWatch without delivery: the watchers hit,
// sorted, after one-shot watches are consumed. Recursive watches on the path
// and its ancestors fire for all but NodeChildrenChanged; other watches fire
// on the exact path only.
func (wt *watchTable) trigger(path string, typ EventType) []int64 {
	var hit []int64
	seen := map[int64]bool{}
	level := 0
	for local := path; local != ""; level++ {
		if ws := wt.byPath[local]; len(ws) > 0 {
			for w, mode := range ws {
				switch {
				case mode == modeRecursive:
					if typ != EventNodeChildrenChanged && !seen[w] {
						seen[w] = true
						hit = append(hit, w)
					}
				case level == 0:
					if !seen[w] {
						seen[w] = true
						hit = append(hit, w)
					}
					if mode == modeStandard {
						delete(ws, w)
						delete(wt.byWatcher[w], local)
					}
				}
			}
			if len(ws) == 0 {
				delete(wt.byPath, local)
			}
		}
		if wt.recursive == 0 {
			break
		}
		local = parentForWatch(local)
	}
	slices.Sort(hit)
	return hit
}

// parentForWatch is PathParentIterator's step: "/a/b" → "/a" → "/" → "".
func parentForWatch(p string) string {
	if p == rootPath {
		return ""
	}
	parent, _, ok := splitParent(p)
	if !ok {
		return ""
	}
	if parent == "" {
		return rootPath
	}
	return parent
}

// Watches is the pair of watch managers of a DataTree (data and child),
// keyed by watcher id; the server uses the session id, as one connection
// serves a session. It remembers each watcher's credentials because 3.8.4
// delivers an event only to watchers that may READ the znode.
type Watches struct {
	data    watchTable
	child   watchTable
	auth    map[int64]Caller
	skipACL bool
}

func newWatches(skipACL bool) *Watches {
	return &Watches{data: newWatchTable(), child: newWatchTable(), auth: make(map[int64]Caller), skipACL: skipACL}
}

// add registers a watch of c and records c's credentials.
func (w *Watches) add(c Caller, wt *watchTable, path string, mode watchMode) {
	w.auth[c.Session] = c
	wt.add(path, c.Session, mode)
}

// SetAuth updates the credentials used to filter c.Session's events (call it
// after the connection authenticates).
func (w *Watches) SetAuth(c Caller) {
	if _, ok := w.auth[c.Session]; ok {
		w.auth[c.Session] = c
	}
}

// AddWatch is the addWatch op: a persistent (mode 0) or persistent recursive
// (mode 1) watch on path, whether or not it exists; 3.8 puts it in both the
// data and the child table. Another mode is ErrMarshallingError (Java's
// WatcherMode.fromZooDef throws).
func (w *Watches) AddWatch(c Caller, path string, mode AddWatchMode) error {
	var m watchMode
	switch mode {
	case AddWatchPersistent:
		m = modePersistent
	case AddWatchPersistentRecursive:
		m = modeRecursive
	default:
		return fmt.Errorf("%w: unsupported watch mode %d", ErrMarshallingError, mode)
	}
	w.add(c, &w.data, path, m)
	w.add(c, &w.child, path, m)
	return nil
}

// RemoveWatches is the removeWatches op: drop session's watches on exactly
// path in the tables typ names (Any: child, then data), whatever their mode;
// ErrNoWatcher when none was removed, ErrMarshallingError for an unknown
// type.
func (w *Watches) RemoveWatches(sessionID int64, path string, typ WatcherType) error {
	removed := false
	switch typ {
	case WatcherChildren:
		removed = w.child.remove(path, sessionID)
	case WatcherData:
		removed = w.data.remove(path, sessionID)
	case WatcherAny:
		removed = w.child.remove(path, sessionID)
		if w.data.remove(path, sessionID) {
			removed = true
		}
	default:
		return fmt.Errorf("%w: watcher type %d", ErrMarshallingError, typ)
	}
	if !removed {
		return fmt.Errorf("%w: %s (type: %s)", ErrNoWatcher, path, typ)
	}
	return nil
}

// CheckWatches is the checkWatches op with 3.8's containsWatcher (see
// watchTable.contains): ErrNoWatcher when the tables typ names hold no watch
// on path.
func (w *Watches) CheckWatches(sessionID int64, path string, typ WatcherType) error {
	found := false
	switch typ {
	case WatcherChildren:
		found = w.child.contains(path, sessionID)
	case WatcherData:
		found = w.data.contains(path, sessionID)
	case WatcherAny:
		found = w.child.contains(path, sessionID) || w.data.contains(path, sessionID)
	default:
		return fmt.Errorf("%w: watcher type %d", ErrMarshallingError, typ)
	}
	if !found {
		return fmt.Errorf("%w: %s (type: %s)", ErrNoWatcher, path, typ)
	}
	return nil
}

func (t WatcherType) String() string {
	switch t {
	case WatcherChildren:
		return "Children"
	case WatcherData:
		return "Data"
	case WatcherAny:
		return "Any"
	}
	return fmt.Sprintf("WatcherType(%d)", int32(t))
}

// RemoveSession drops every watch of a session (its connection closed;
// DataTree.removeCnxn).
func (w *Watches) RemoveSession(sessionID int64) {
	w.data.removeWatcher(sessionID)
	w.child.removeWatcher(sessionID)
	delete(w.auth, sessionID)
}

// Count is the number of watches in both tables (zk_watch_count).
func (w *Watches) Count() int {
	n := 0
	for _, ws := range w.data.byPath {
		n += len(ws)
	}
	for _, ws := range w.child.byPath {
		n += len(ws)
	}
	return n
}

// WatchSummary is what the wchs 4lw prints, from the data table as 3.8
// does.
type WatchSummary struct {
	Connections int // watchers that have had a data watch
	Paths       int // paths with a data watch
	Total       int // data watches
}

// Summary reports the data-watch table for wchs.
func (w *Watches) Summary() WatchSummary {
	s := WatchSummary{Connections: len(w.data.byWatcher), Paths: len(w.data.byPath)}
	for _, ps := range w.data.byWatcher {
		s.Total += len(ps)
	}
	return s
}

// BySession lists each session's watched paths (data and child tables
// merged, sorted), for wchc.
func (w *Watches) BySession() map[int64][]string {
	out := map[int64][]string{}
	for _, wt := range []*watchTable{&w.data, &w.child} {
		for id, ps := range wt.byWatcher {
			for p := range ps {
				if !slices.Contains(out[id], p) {
					out[id] = append(out[id], p)
				}
			}
		}
	}
	for id := range out {
		if len(out[id]) == 0 {
			delete(out, id)
			continue
		}
		slices.Sort(out[id])
	}
	return out
}

// fire triggers wt for a change of path and returns the watchers hit (to
// suppress a second event to them) and the deliveries: those hit, minus
// suppress, minus watchers without READ on acl (3.8.4 checks the znode's
// ACL as it delivers; acl nil skips the check).
func (w *Watches) fire(wt *watchTable, path string, typ EventType, acl []ACL, suppress []int64, out []Delivery) ([]int64, []Delivery) {
	hit := wt.trigger(path, typ)
	for _, id := range hit {
		if slices.Contains(suppress, id) {
			continue
		}
		if !w.skipACL && acl != nil {
			c := w.auth[id]
			if CheckACL(acl, PermRead, c.Auth, c.SuperUser) != nil {
				continue
			}
		}
		out = append(out, Delivery{Session: id, Event: Event{Type: typ, State: StateSyncConnected, Path: path}})
	}
	return hit, out
}

// SetWatchesReq is a setWatches (101) or setWatches2 (105) request: the
// watches a reconnecting client still holds and the last zxid it saw.
type SetWatchesReq struct {
	RelativeZxid        int64
	Data                []string // data watches (getData)
	Exist               []string // exist watches (exists on a missing node)
	Child               []string // child watches
	Persistent          []string // setWatches2 only
	PersistentRecursive []string // setWatches2 only
}

// SetWatches re-arms a reconnecting client's watches (DataTree.setWatches),
// returning at once the events it missed: a data watch on a gone node fires
// NodeDeleted, on a node with mzxid > relativeZxid NodeDataChanged; an exist
// watch on a node that now exists NodeCreated; a child watch on a gone node
// NodeDeleted, on a node with pzxid > relativeZxid NodeChildrenChanged.
// Others are re-armed; persistent ones always are, into both tables. These
// catch-up events are not ACL-filtered (3.8.4 passes no ACL).
func (t *Tree) SetWatches(c Caller, req SetWatchesReq) []Delivery {
	w := t.watches
	w.auth[c.Session] = c
	var out []Delivery
	emit := func(typ EventType, path string) {
		out = append(out, Delivery{Session: c.Session, Event: Event{Type: typ, State: StateSyncConnected, Path: path}})
	}
	for _, p := range req.Data {
		switch n := t.lookup(p); {
		case n == nil:
			emit(EventNodeDeleted, p)
		case n.stat.Mzxid > req.RelativeZxid:
			emit(EventNodeDataChanged, p)
		default:
			w.data.add(p, c.Session, modeStandard)
		}
	}
	for _, p := range req.Exist {
		if t.lookup(p) != nil {
			emit(EventNodeCreated, p)
		} else {
			w.data.add(p, c.Session, modeStandard)
		}
	}
	for _, p := range req.Child {
		switch n := t.lookup(p); {
		case n == nil:
			emit(EventNodeDeleted, p)
		case n.stat.Pzxid > req.RelativeZxid:
			emit(EventNodeChildrenChanged, p)
		default:
			w.child.add(p, c.Session, modeStandard)
		}
	}
	for _, p := range req.Persistent {
		w.child.add(p, c.Session, modePersistent)
		w.data.add(p, c.Session, modePersistent)
	}
	for _, p := range req.PersistentRecursive {
		w.child.add(p, c.Session, modeRecursive)
		w.data.add(p, c.Session, modeRecursive)
	}
	return out
}
