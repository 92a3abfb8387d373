package zk

import (
	"bytes"
	"errors"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestJavaOrder replays testdata/javaorder.txt, recorded from a JDK 17
// java.util.HashSet by testdata/javaorder/JavaOrder.java, on jset.
func TestJavaOrder(t *testing.T) {
	raw, err := os.ReadFile("testdata/javaorder.txt")
	if err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(strings.TrimSpace(string(raw)), "\n\n")
	if len(blocks) < 5 {
		t.Fatalf("only %d cases", len(blocks))
	}
	for _, b := range blocks {
		lines := strings.Split(b, "\n")
		name := strings.TrimPrefix(lines[0], "case ")
		capText := name[strings.LastIndexByte(name, ' ')+1:]
		initCap, _ := strconv.Atoi(capText)
		ops := strings.Fields(strings.TrimPrefix(lines[1], "ops"))
		wants := lines[2:]
		s := newJSet(initCap)
		var got []string
		for _, op := range ops {
			switch {
			case op == "print":
				got = append(got, "order "+strings.Join(s.ordered(), " "))
			case op == "clone":
				s = s.clone()
			case op[0] == '+':
				s.add(op[1:])
			case op[0] == '-':
				s.remove(op[1:])
			}
		}
		for i := range wants {
			wants[i] = strings.TrimRight(wants[i], " ")
		}
		for i := range got {
			got[i] = strings.TrimRight(got[i], " ")
		}
		if !slices.Equal(got, wants) {
			t.Errorf("case %s:\n got %q\nwant %q", name, got, wants)
		}
	}
}

// TestCloseSessionOrder: a ZooKeeper 3.8.0 server deleted these eight
// ephemerals of a closing session in this order (observed as NodeDeleted
// events on another session).
func TestCloseSessionOrder(t *testing.T) {
	tr := NewTree(Options{})
	zxid := int64(0)
	step := func(req Request, sess int64) Result {
		zxid++
		txn, _ := tr.Prep(req, PrepContext{SessionID: sess, Zxid: zxid, Time: 1})
		return tr.Apply(txn)
	}
	step(CreateSessionReq{Timeout: 10000}, 1)
	step(CreateSessionReq{Timeout: 10000}, 2)
	var created []string
	for _, n := range strings.Fields("brokers_ids_0 controller a b c zz x1 x2") {
		p := "/probe84987_" + n
		created = append(created, p)
		if r := step(CreateReq{Path: p, ACL: OpenACLUnsafe(), Mode: ModeEphemeral}, 1); r.Err != nil {
			t.Fatal(r.Err)
		}
		if _, err := tr.Exists(Caller{Session: 2}, p, true); err != nil {
			t.Fatal(err)
		}
	}
	if eph := tr.Ephemerals(); len(eph) != 1 || len(eph[1]) != 8 {
		t.Errorf("Ephemerals() = %v", eph)
	}
	r := step(CloseSessionReq{}, 1)
	var got []string
	for _, d := range r.Events {
		got = append(got, d.Event.Type.String()+" "+d.Event.Path)
	}
	want := []string{
		"NodeDeleted /probe84987_zz",
		"NodeDeleted /probe84987_controller",
		"NodeDeleted /probe84987_a",
		"NodeDeleted /probe84987_x2",
		"NodeDeleted /probe84987_c",
		"NodeDeleted /probe84987_b",
		"NodeDeleted /probe84987_x1",
		"NodeDeleted /probe84987_brokers_ids_0",
	}
	if !slices.Equal(got, want) {
		t.Errorf("events\n got %q\nwant %q", got, want)
	}
	for _, p := range created {
		if tr.lookup(p) != nil {
			t.Errorf("%s survived", p)
		}
	}
	if tr.SessionLive(1) || len(tr.Sessions()) != 1 {
		t.Errorf("sessions after close: %v", tr.Sessions())
	}
}

func TestFreshTree(t *testing.T) {
	tr := NewTree(Options{})
	if got := tr.NodeCount(); got != 5 {
		t.Errorf("NodeCount = %d, want 5 (srvr of a fresh 3.8)", got)
	}
	c := Caller{}
	kids, st, err := tr.GetChildren(c, "/", false)
	if err != nil || !slices.Equal(kids, []string{"zookeeper"}) || st.Cversion != -1 || st.NumChildren != 1 {
		t.Errorf("ls / = %v %+v %v", kids, st, err)
	}
	kids, st, _ = tr.GetChildren(c, "/zookeeper", false)
	if !slices.Equal(kids, []string{"config", "quota"}) || st.Cversion != -2 {
		t.Errorf("ls /zookeeper = %v %+v", kids, st)
	}
	data, st, _ := tr.GetData(c, "/zookeeper/config", false)
	if data == nil || len(data) != 0 || st.Aversion != -1 {
		t.Errorf("get /zookeeper/config = %q (nil %v) %+v", data, data == nil, st)
	}
	acl, _, _ := tr.GetACL(c, "/zookeeper/config")
	if !slices.Equal(acl, ReadACLUnsafe()) {
		t.Errorf("acl = %v", acl)
	}
	// The "" alias reads as the root, as DataTree's does.
	if _, st2, err := tr.GetData(c, "", false); err != nil || st2.NumChildren != 1 {
		t.Errorf("get \"\" = %+v %v", st2, err)
	}
	if tr.LastZxid() != 0 {
		t.Errorf("LastZxid = %d", tr.LastZxid())
	}
}

func TestWalkRestore(t *testing.T) {
	r := newScriptRunner(Options{ExtendedTypes: true})
	for _, cmd := range []string{
		"session 1", "create /a x", "create /a/b", "create /a/e y mode=e",
		"create /c mode=c", "create /t mode=t ttl=100", `create /n ""`,
		"setacl /a acl=world:anyone:r,digest:u:h:cdrwa",
	} {
		if out := r.run([]string{cmd}); strings.Contains(out[0], "err") {
			t.Fatalf("%s: %v", cmd, out)
		}
	}
	var nodes []NodeInfo
	if err := r.tree.Walk(func(ni NodeInfo) error { nodes = append(nodes, ni); return nil }); err != nil {
		t.Fatal(err)
	}
	restored := NewTree(Options{ExtendedTypes: true})
	for _, ni := range nodes {
		if err := restored.RestoreNode(ni); err != nil {
			t.Fatalf("restore %s: %v", ni.Path, err)
		}
	}
	for id, to := range r.tree.Sessions() {
		restored.RestoreSession(id, to)
	}
	restored.SetLastZxid(r.tree.LastZxid())
	if got, want := dumpTree(restored), dumpTree(r.tree); got != want {
		t.Errorf("restored tree differs\n got %s\nwant %s", got, want)
	}
	if !slices.Equal(restored.GetEphemerals(1, ""), []string{"/a/e"}) {
		t.Errorf("ephemerals = %v", restored.GetEphemerals(1, ""))
	}
	if len(restored.containers) != 1 || len(restored.ttls) != 1 {
		t.Errorf("containers %v ttls %v", restored.containers, restored.ttls)
	}
	stop := errors.New("stop")
	n := 0
	if err := r.tree.Walk(func(NodeInfo) error { n++; return stop }); err != stop || n != 1 {
		t.Errorf("Walk did not stop: %v %d", err, n)
	}
	if err := restored.RestoreNode(NodeInfo{Path: "/x/y"}); !errors.Is(err, ErrNoNode) {
		t.Errorf("orphan restore: %v", err)
	}
}

// dumpTree renders every node, its data, ACL and client stat.
func dumpTree(t *Tree) string {
	var b bytes.Buffer
	_ = t.Walk(func(ni NodeInfo) error {
		n := t.lookup(ni.Path)
		b.WriteString(ni.Path + " " + fmtData(ni.Data) + " " + formatACL(ni.ACL) + " " + fmtStat(t.statOf(n)) + "\n")
		return nil
	})
	return b.String()
}

func TestExpiredContainersAndTTLs(t *testing.T) {
	r := newScriptRunner(Options{ExtendedTypes: true, ContainerMaxNeverUsed: 500})
	for _, cmd := range []string{
		"session 1",
		"create /used mode=c", "create /used/x", "delete /used/x", // had a child: candidate at once
		"create /never mode=c", // no child: only after maxNeverUsed
		"create /busy mode=c", "create /busy/k",
		"create /t mode=t ttl=100", "create /tk mode=t ttl=100", "create /tk/k",
	} {
		if out := r.run([]string{cmd}); strings.Contains(out[0], "err") {
			t.Fatalf("%s: %v", cmd, out)
		}
	}
	cases := []struct {
		now  int64
		want []string
	}{
		{1000, []string{"/used"}},
		{1100, []string{"/used"}},
		{1101, []string{"/t", "/used"}},
		{1501, []string{"/never", "/t", "/used"}},
	}
	for _, c := range cases {
		if got := r.tree.ExpiredContainersAndTTLs(c.now); !slices.Equal(got, c.want) {
			t.Errorf("now %d: %v, want %v", c.now, got, c.want)
		}
	}
	// setData moves mtime: the TTL starts over.
	r.run([]string{"time 1050"})
	r.run([]string{"set /t y"})
	if got := r.tree.ExpiredContainersAndTTLs(1101); slices.Contains(got, "/t") {
		t.Errorf("refreshed TTL node reaped: %v", got)
	}
}
