package zk

import (
	"errors"
	"maps"
	"slices"
	"testing"
)

func TestWatchBookkeeping(t *testing.T) {
	r := setupRunner(t, Options{}, "session 1", "session 2", "create /a", "create /b")
	tr := r.tree
	w := tr.Watches()
	c1, c2 := Caller{Session: 1}, Caller{Session: 2}
	tr.GetData(c1, "/a", true)
	tr.GetData(c1, "/a", true) // same watch
	tr.Exists(c1, "/missing", true)
	tr.GetChildren(c1, "/a", true)
	tr.GetData(c2, "/a", true)
	must(t, w.AddWatch(c2, "/b", AddWatchPersistentRecursive))
	// data: /a (1,2), /missing (1), /b (2); child: /a (1), /b (2)
	if got := w.Count(); got != 6 {
		t.Errorf("Count = %d", got)
	}
	if s := w.Summary(); s != (WatchSummary{Connections: 2, Paths: 3, Total: 4}) {
		t.Errorf("Summary = %+v", s)
	}
	want := map[int64][]string{1: {"/a", "/missing"}, 2: {"/a", "/b"}}
	if got := w.BySession(); !maps.EqualFunc(got, want, slices.Equal[[]string]) {
		t.Errorf("BySession = %v", got)
	}
	w.RemoveSession(1)
	if got := w.Count(); got != 3 {
		t.Errorf("Count after RemoveSession = %d", got)
	}
	if _, ok := w.auth[1]; ok {
		t.Error("auth kept for a removed session")
	}
	// SetAuth refreshes only sessions the manager knows.
	w.SetAuth(Caller{Session: 9, Auth: []Id{{"digest", "x:y"}}})
	if _, ok := w.auth[9]; ok {
		t.Error("SetAuth added an unknown session")
	}
	w.SetAuth(Caller{Session: 2, Auth: []Id{{"digest", "x:y"}}})
	if len(w.auth[2].Auth) != 1 {
		t.Error("SetAuth did not update")
	}
	if err := w.RemoveWatches(2, "/nowhere", WatcherAny); !errors.Is(err, ErrNoWatcher) {
		t.Errorf("RemoveWatches: %v", err)
	}
	if err := w.CheckWatches(2, "/a", WatcherType(0)); !errors.Is(err, ErrMarshallingError) {
		t.Errorf("CheckWatches bad type: %v", err)
	}
	if w.data.recursive != 1 || w.child.recursive != 1 {
		t.Errorf("recursive counts %d %d", w.data.recursive, w.child.recursive)
	}
	must(t, w.RemoveWatches(2, "/b", WatcherData))
	if w.data.recursive != 0 || w.child.recursive != 1 {
		t.Errorf("recursive counts after remove %d %d", w.data.recursive, w.child.recursive)
	}
	// Replacing a recursive mode with a standard one keeps the count right.
	w.add(c2, &w.child, "/b", modeStandard)
	if w.child.recursive != 0 {
		t.Errorf("child recursive %d", w.child.recursive)
	}
}

func TestEventStrings(t *testing.T) {
	names := map[EventType]string{
		EventNone: "None", EventNodeCreated: "NodeCreated", EventNodeDeleted: "NodeDeleted",
		EventNodeDataChanged: "NodeDataChanged", EventNodeChildrenChanged: "NodeChildrenChanged",
		EventDataWatchRemoved: "DataWatchRemoved", EventChildWatchRemoved: "ChildWatchRemoved",
		EventPersistentWatchRemoved: "PersistentWatchRemoved", 42: "EventType(42)",
	}
	for e, n := range names {
		if e.String() != n {
			t.Errorf("%d: %s", e, e.String())
		}
	}
	if WatcherAny.String() != "Any" || WatcherType(5).String() != "WatcherType(5)" || StateSyncConnected != 3 {
		t.Error("watcher type / state")
	}
}

func TestParentForWatch(t *testing.T) {
	var got []string
	for p := "/a/b/c"; p != ""; p = parentForWatch(p) {
		got = append(got, p)
	}
	if !slices.Equal(got, []string{"/a/b/c", "/a/b", "/a", "/"}) {
		t.Errorf("walk %v", got)
	}
	if parentForWatch("weird") != "" {
		t.Error("no slash")
	}
}
