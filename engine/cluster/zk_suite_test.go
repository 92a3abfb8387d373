package cluster

// Shared tests run against every ZK implementation: the in-memory MemZK
// always, and a real Apache ZooKeeper: the one at ZK_ADDR=host:port when set,
// else one the oracle harness starts (Debian's zookeeper, which `make test`
// installs). Each run works under its own chroot so a shared server is left
// as it was.

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/kafkago/kafka/engine/e2e/oracle"
)

type nopLogger struct{}

func (nopLogger) Printf(string, ...interface{}) {}

// zkTarget is a fresh, empty chroot on some implementation.
type zkTarget struct {
	z       ZK
	session int64 // the session id ephemeral nodes get
}

func memTarget(t *testing.T) zkTarget {
	m := NewMemZK()
	return zkTarget{z: m, session: m.SessionID()}
}

func realTarget(t *testing.T) zkTarget {
	addr := os.Getenv("ZK_ADDR")
	if addr == "" {
		addr = oracle.StartZooKeeper(t) // skips, naming the make target, when ZooKeeper is missing
	}
	servers, _ := SplitConnectString(addr)
	conn, _, err := zk.Connect(servers, 10*time.Second, zk.WithLogger(nopLogger{}))
	if err != nil {
		t.Fatalf("connect %s: %v", addr, err)
	}
	t.Cleanup(conn.Close)
	var b [6]byte
	_, _ = rand.Read(b[:])
	root := "/kafkago-cluster-test-" + hex.EncodeToString(b[:])
	if _, err := conn.Create(root, nil, 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatalf("create %s on %s: %v", root, addr, err)
	}
	t.Cleanup(func() { deleteRecursive(conn, root) })
	deadline := time.Now().Add(10 * time.Second)
	for conn.SessionID() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	return zkTarget{z: Chroot(conn, root), session: conn.SessionID()}
}

func deleteRecursive(z ZK, path string) {
	children, _, err := z.Children(path)
	if err != nil {
		return
	}
	for _, c := range children {
		deleteRecursive(z, strings.TrimSuffix(path, "/")+"/"+c)
	}
	_ = z.Delete(path, -1)
}

func forEachZK(t *testing.T, f func(t *testing.T, tg zkTarget)) {
	t.Run("mem", func(t *testing.T) { f(t, memTarget(t)) })
	t.Run("zookeeper", func(t *testing.T) { f(t, realTarget(t)) })
}

func TestZKSemantics(t *testing.T) {
	forEachZK(t, func(t *testing.T, tg zkTarget) {
		z := tg.z
		open := zk.WorldACL(zk.PermAll)
		mustErr := func(err, want error) {
			t.Helper()
			if !errors.Is(err, want) {
				t.Errorf("error %v, want %v", err, want)
			}
		}
		p, err := z.Create("/a", []byte("x"), 0, open)
		if err != nil || p != "/a" {
			t.Fatalf("create: %q %v", p, err)
		}
		_, err = z.Create("/a", nil, 0, open)
		mustErr(err, zk.ErrNodeExists)
		_, err = z.Create("/missing/child", nil, 0, open)
		mustErr(err, zk.ErrNoNode)

		data, st, err := z.Get("/a")
		if err != nil || string(data) != "x" || st.Version != 0 || st.DataLength != 1 {
			t.Errorf("get: %q %+v %v", data, st, err)
		}
		st, err = z.Set("/a", []byte("yy"), 0)
		if err != nil || st.Version != 1 {
			t.Errorf("set: %+v %v", st, err)
		}
		_, err = z.Set("/a", nil, 0)
		mustErr(err, zk.ErrBadVersion)
		if st, err = z.Set("/a", []byte("z"), -1); err != nil || st.Version != 2 {
			t.Errorf("set any: %+v %v", st, err)
		}
		_, err = z.Set("/nope", nil, -1)
		mustErr(err, zk.ErrNoNode)
		_, _, err = z.Get("/nope")
		mustErr(err, zk.ErrNoNode)
		if ok, _, err := z.Exists("/nope"); ok || err != nil {
			t.Errorf("exists missing: %v %v", ok, err)
		}

		// sequential names count the children the parent ever had (deletions do
		// not count), while the reported cversion counts creations and deletions
		s0, err := z.Create("/a/s_", nil, zk.FlagSequence, open)
		if err != nil || s0 != "/a/s_0000000000" {
			t.Errorf("seq 0: %q %v", s0, err)
		}
		s1, _ := z.Create("/a/s_", nil, zk.FlagSequence, open)
		if s1 != "/a/s_0000000001" {
			t.Errorf("seq 1: %q", s1)
		}
		if err := z.Delete(s0, -1); err != nil {
			t.Fatal(err)
		}
		s3, _ := z.Create("/a/s_", nil, zk.FlagSequence, open)
		if s3 != "/a/s_0000000002" {
			t.Errorf("seq after delete: %q", s3)
		}
		if _, err := z.Create("/a/b", nil, 0, open); err != nil {
			t.Fatal(err)
		}
		cs, st, err := z.Children("/a")
		sort.Strings(cs)
		if err != nil || !reflect.DeepEqual(cs, []string{"b", "s_0000000001", "s_0000000002"}) || st.NumChildren != 3 || st.Cversion != 5 {
			t.Errorf("children: %v %+v %v", cs, st, err)
		}

		mustErr(z.Delete("/a", -1), zk.ErrNotEmpty)
		mustErr(z.Delete("/a/b", 5), zk.ErrBadVersion)
		mustErr(z.Delete("/a/none", -1), zk.ErrNoNode)

		// ephemeral
		if _, err := z.Create("/e", nil, zk.FlagEphemeral, open); err != nil {
			t.Fatal(err)
		}
		if _, st, _ := z.Get("/e"); st.EphemeralOwner != tg.session || st.EphemeralOwner == 0 {
			t.Errorf("ephemeral owner %d, session %d", st.EphemeralOwner, tg.session)
		}
		_, err = z.Create("/e/c", nil, 0, open)
		mustErr(err, zk.ErrNoChildrenForEphemerals)

		// multi: all or nothing
		res, err := z.Multi(
			&zk.CreateRequest{Path: "/m", Data: []byte("1"), Acl: open},
			&zk.SetDataRequest{Path: "/m", Data: []byte("2"), Version: 0},
			&zk.CheckVersionRequest{Path: "/m", Version: 1},
		)
		if err != nil || len(res) != 3 || res[0].String != "/m" || res[1].Stat == nil || res[1].Stat.Version != 1 {
			t.Errorf("multi ok: %+v %v", res, err)
		}
		res, err = z.Multi(
			&zk.CreateRequest{Path: "/n", Acl: open},
			&zk.CheckVersionRequest{Path: "/m", Version: 0},
			&zk.DeleteRequest{Path: "/m", Version: -1},
		)
		mustErr(err, zk.ErrBadVersion)
		if len(res) != 3 || res[0].Error != nil || !errors.Is(res[1].Error, zk.ErrBadVersion) || res[2].Error == nil {
			t.Errorf("multi failure results: %+v", res)
		}
		if ok, _, _ := z.Exists("/n"); ok {
			t.Error("failed multi left /n behind")
		}
		if ok, _, _ := z.Exists("/m"); !ok {
			t.Error("failed multi deleted /m")
		}
	})
}

func TestAdminFlows(t *testing.T) {
	forEachZK(t, func(t *testing.T, tg zkTarget) {
		z := tg.z
		a := NewAdminZk(z, false, nil)
		if err := a.CreateTopLevelPaths(); err != nil {
			t.Fatal(err)
		}
		registerBroker(t, z, 0, nil)

		// kafka-topics --create --topic test --partitions 2 --replication-factor 1 --config retention.ms=1000
		cfg := NewProps()
		cfg.Set("retention.ms", "1000")
		asg, err := a.CreateTopic("test", 2, 1, cfg, RackAwareEnforced, nil)
		if err != nil || !reflect.DeepEqual(asg, Assignment{0: {0}, 1: {0}}) {
			t.Fatalf("create: %v %v", asg, err)
		}
		if got := getData(t, z, "/brokers/topics/test"); got != `{"partitions":{"0":[0],"1":[0]},"adding_replicas":{},"removing_replicas":{},"version":3}` {
			t.Errorf("topic znode %s", got)
		}
		if got := getData(t, z, "/config/topics/test"); got != `{"version":1,"config":{"retention.ms":"1000"}}` {
			t.Errorf("config znode %s", got)
		}
		_, err = a.CreateTopic("test", 2, 1, nil, RackAwareEnforced, nil)
		wantKafkaErr(t, err, ErrTopicExists, "Topic 'test' already exists.")

		// --list
		if ts, err := a.Topics(); err != nil || !reflect.DeepEqual(ts, []string{"test"}) {
			t.Errorf("list %v %v", ts, err)
		}
		// --alter --config / --delete-config
		cur, err := a.TopicConfig("test")
		if err != nil {
			t.Fatal(err)
		}
		add := NewProps()
		add.Set("cleanup.policy", "compact")
		cur.PutAll(add)
		cur.Remove("retention.ms")
		if err := a.ChangeTopicConfig("test", cur); err != nil {
			t.Fatal(err)
		}
		if got := getData(t, z, "/config/topics/test"); got != `{"version":1,"config":{"cleanup.policy":"compact"}}` {
			t.Errorf("altered config %s", got)
		}
		changes, _, err := z.Children(ConfigChangesPath)
		if err != nil || len(changes) != 1 || !strings.HasPrefix(changes[0], ConfigChangePrefix) || len(changes[0]) != len(ConfigChangePrefix)+10 {
			t.Fatalf("changes %v %v", changes, err)
		}
		if got := getData(t, z, ConfigChangesPath+"/"+changes[0]); got != `{"version":2,"entity_path":"topics/test"}` {
			t.Errorf("notification %s", got)
		}
		// --alter --partitions 3
		asg, err = a.AddPartitions("test", 3, nil)
		if err != nil || !reflect.DeepEqual(asg, Assignment{0: {0}, 1: {0}, 2: {0}}) {
			t.Errorf("add partitions %v %v", asg, err)
		}
		_, err = a.AddPartitions("test", 3, nil)
		wantKafkaErr(t, err, ErrInvalidPartitions,
			"The number of partitions for a topic can only be increased. Topic test currently has 3 partitions, 3 would not be an increase.")
		// --describe
		tz, found, err := a.Topic("test")
		if err != nil || !found || len(tz.Partitions) != 3 {
			t.Errorf("describe %+v %v %v", tz, found, err)
		}
		if _, found, err := a.PartitionState("test", 0); found || err != nil {
			t.Errorf("state without a controller: %v %v", found, err)
		}
		// --delete
		if err := a.MarkTopicForDeletion("test"); err != nil {
			t.Fatal(err)
		}
		wantKafkaErr(t, a.MarkTopicForDeletion("test"), ErrTopicMarkedForDeletion, "Topic test is already marked for deletion.")
		if ok, err := a.IsTopicMarkedForDeletion("test"); !ok || err != nil {
			t.Errorf("marked %v %v", ok, err)
		}
	})
}
