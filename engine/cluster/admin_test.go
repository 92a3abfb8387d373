package cluster

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/go-zookeeper/zk"
)

// registerBroker writes /brokers/ids/<id> as a 2.8 broker does (ephemeral).
func registerBroker(t *testing.T, z ZK, id int32, rack *string) {
	t.Helper()
	b := BrokerRegistration{ID: id, Version: 5, JmxPort: -1, Timestamp: "1", Rack: rack,
		Endpoints: []Endpoint{{ListenerName: "PLAINTEXT", SecurityProtocol: "PLAINTEXT", Host: ptr("localhost"), Port: 9092 + id}}}
	a := NewAdminZk(z, false, nil)
	if err := a.EnsurePath(BrokerIDsPath); err != nil {
		t.Fatal(err)
	}
	if _, err := z.Create(BrokerIDPath(id), b.Encode(), zk.FlagEphemeral, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
}

func getData(t *testing.T, z ZK, path string) string {
	t.Helper()
	data, _, err := z.Get(path)
	if err != nil {
		t.Fatalf("get %s: %v", path, err)
	}
	return string(data)
}

func wantKafkaErr(t *testing.T, err error, kind error, msg string) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Errorf("error %v is not %v", err, kind)
	}
	if got, ok := KafkaMessage(err); !ok || got != msg {
		t.Errorf("message %q, want %q", got, msg)
	}
}

func TestCreateTopicWithAssignmentOnEmptyTree(t *testing.T) {
	m := NewMemZK()
	a := NewAdminZk(m, false, nil)
	p := NewProps()
	p.Set("cleanup.policy", "compact")
	if err := a.CreateTopicWithAssignment("test", p, Assignment{0: {0}}, Uuid{}); err != nil {
		t.Fatal(err)
	}
	// Kafka's request order: validation, config (setData, then createRecursive
	// walking up to the root and back), then the topic znode the same way.
	want := []string{
		"exists /brokers/topics/test",
		"set /config/topics/test",
		"create /config/topics/test", "create /config/topics", "create /config", "create /config/topics", "create /config/topics/test",
		"create /brokers/topics/test", "create /brokers/topics", "create /brokers", "create /brokers/topics", "create /brokers/topics/test",
	}
	if got := m.Ops(); !reflect.DeepEqual(got, want) {
		t.Errorf("ops:\n got %q\nwant %q", got, want)
	}
	if got := getData(t, m, "/config/topics/test"); got != `{"version":1,"config":{"cleanup.policy":"compact"}}` {
		t.Errorf("config %s", got)
	}
	if got := getData(t, m, "/brokers/topics/test"); got != `{"partitions":{"0":[0]},"adding_replicas":{},"removing_replicas":{},"version":3}` {
		t.Errorf("topic %s", got)
	}
	if got := getData(t, m, "/brokers"); got != "" {
		t.Errorf("parent has data %q", got)
	}
	// No config change notification on creation.
	if ok, _, _ := m.Exists(ConfigChangesPath); ok {
		t.Error("/config/changes created")
	}
	// Again: already exists.
	err := a.CreateTopicWithAssignment("test", nil, Assignment{0: {0}}, Uuid{})
	wantKafkaErr(t, err, ErrTopicExists, "Topic 'test' already exists.")
	var e *Error
	if !errors.As(err, &e) || e.Class != ClassTopicExists || !e.IsAPIException() {
		t.Errorf("class %+v", e)
	}
}

func TestCreateTopicValidation(t *testing.T) {
	m := NewMemZK()
	a := NewAdminZk(m, false, nil)
	if err := a.CreateTopLevelPaths(); err != nil {
		t.Fatal(err)
	}
	if err := a.CreateTopicWithAssignment("a.b", nil, Assignment{0: {1}}, Uuid{}); err != nil {
		t.Fatal(err)
	}
	m.ResetOps()
	wantKafkaErr(t, a.CreateTopicWithAssignment("a_b", nil, Assignment{0: {1}}, Uuid{}), ErrInvalidTopic,
		"Topic 'a_b' collides with existing topics: a.b")
	if got := m.Ops(); !reflect.DeepEqual(got, []string{"exists /brokers/topics/a_b", "children /brokers/topics"}) {
		t.Errorf("ops %q", got)
	}
	wantKafkaErr(t, a.CreateTopicWithAssignment("a b", nil, Assignment{0: {1}}, Uuid{}), ErrInvalidTopic,
		`Topic name "a b" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`)
	wantKafkaErr(t, a.CreateTopicWithAssignment("x", nil, Assignment{0: {1}, 1: {1, 2}}, Uuid{}), ErrInvalidReplicaAssignment,
		"All partitions should have the same number of replicas")
	wantKafkaErr(t, a.CreateTopicWithAssignment("x", nil, Assignment{1: {1}}, Uuid{}), ErrInvalidReplicaAssignment,
		"partitions should be a consecutive 0-based integer sequence")
	if ok, _ := a.TopicExists("x"); ok {
		t.Error("x created")
	}
	// with a topic id (as a CreateTopics request would)
	if err := a.CreateTopicWithAssignment("withid", nil, Assignment{0: {1}}, UuidFromBits(1, 2)); err != nil {
		t.Fatal(err)
	}
	tz, found, err := a.Topic("withid")
	if err != nil || !found || tz.TopicID != UuidFromBits(1, 2) {
		t.Errorf("Topic: %+v %v %v", tz, found, err)
	}
}

func TestCreateTopicAssignsOverLiveBrokers(t *testing.T) {
	m := NewMemZK()
	a := NewAdminZk(m, false, nil)
	_, err := a.CreateTopic("test", 1, 1, nil, RackAwareEnforced, rand.New(rand.NewPCG(1, 1)))
	wantKafkaErr(t, err, ErrInvalidReplicationFactor, "Replication factor: 1 larger than available brokers: 0.")

	s := m.Session()
	for _, id := range []int32{2, 0, 1} {
		registerBroker(t, s, id, nil)
	}
	if ids, err := a.BrokerIDs(); err != nil || !reflect.DeepEqual(ids, []int32{0, 1, 2}) {
		t.Fatalf("BrokerIDs %v %v", ids, err)
	}
	_, err = a.CreateTopic("test", 3, 4, nil, RackAwareEnforced, rand.New(rand.NewPCG(1, 1)))
	wantKafkaErr(t, err, ErrInvalidReplicationFactor, "Replication factor: 4 larger than available brokers: 3.")
	_, err = a.CreateTopic("test", 0, 1, nil, RackAwareEnforced, rand.New(rand.NewPCG(1, 1)))
	wantKafkaErr(t, err, ErrInvalidPartitions, "Number of partitions must be larger than 0.")

	got, err := a.CreateTopic("test", 6, 2, nil, RackAwareEnforced, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 1))
	start, shift := r.IntN(3), r.IntN(3)
	_ = shift
	if got[0][0] != int32(start) {
		t.Errorf("partition 0 leader %d, want broker at start index %d", got[0][0], start)
	}
	tz, found, err := a.Topic("test")
	if err != nil || !found || !reflect.DeepEqual(tz.Assignment(), got) || !tz.TopicID.IsZero() || tz.Version != 3 {
		t.Errorf("stored %+v %v %v", tz, found, err)
	}

	// Broker ephemerals vanish with their session.
	s.Close()
	if ids, _ := a.BrokerIDs(); len(ids) != 0 {
		t.Errorf("brokers after session close: %v", ids)
	}
}

func TestBrokerMetadatasRacks(t *testing.T) {
	m := NewMemZK()
	a := NewAdminZk(m, false, nil)
	registerBroker(t, m, 0, ptr("r1"))
	registerBroker(t, m, 1, nil)
	_, err := a.BrokerMetadatas(RackAwareEnforced)
	wantKafkaErr(t, err, ErrAdminOperation,
		"Not all brokers have rack information. Add --disable-rack-aware in command line to make replica assignment without rack information.")
	_, err = a.CreateTopic("t", 1, 1, nil, RackAwareEnforced, rand.New(rand.NewPCG(1, 1)))
	wantKafkaErr(t, err, ErrAdminOperation,
		"Not all brokers have rack information. Add --disable-rack-aware in command line to make replica assignment without rack information.")
	for _, mode := range []RackAwareMode{RackAwareDisabled, RackAwareSafe} {
		bs, err := a.BrokerMetadatas(mode)
		if err != nil || !reflect.DeepEqual(bs, []BrokerMetadata{{ID: 0}, {ID: 1}}) {
			t.Errorf("mode %d: %v %v", mode, bs, err)
		}
	}
	registerBroker(t, m, 2, ptr("r2"))
	if err := m.Delete(BrokerIDPath(1), -1); err != nil {
		t.Fatal(err)
	}
	bs, err := a.BrokerMetadatas(RackAwareSafe)
	if err != nil || len(bs) != 2 || bs[0].Rack == nil || *bs[1].Rack != "r2" {
		t.Errorf("safe with all racks: %v %v", bs, err)
	}
	brokers, err := a.Brokers()
	if err != nil || len(brokers) != 2 || brokers[1].ID != 2 || brokers[1].Endpoints[0].Port != 9094 {
		t.Errorf("Brokers %+v %v", brokers, err)
	}
	// A child that is not a number is an error, as in Kafka.
	if _, err := m.Create("/brokers/ids/x", nil, 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.BrokerIDs(); !errors.Is(err, ErrNumberFormat) {
		t.Errorf("non-numeric broker id: %v", err)
	}
}

func TestListDescribeDelete(t *testing.T) {
	m := NewMemZK()
	a := NewAdminZk(m, false, nil)
	if ts, err := a.Topics(); err != nil || len(ts) != 0 {
		t.Errorf("empty tree topics %v %v", ts, err)
	}
	for _, n := range []string{"b", "__consumer_offsets", "a", "c"} {
		if err := a.CreateTopicWithAssignment(n, nil, Assignment{0: {0}, 1: {0}}, Uuid{}); err != nil {
			t.Fatal(err)
		}
	}
	ts, err := a.Topics()
	if err != nil || strings.Join(ts, ",") != "__consumer_offsets,a,b,c" {
		t.Errorf("Topics %v %v", ts, err)
	}
	if err := a.MarkTopicForDeletion("b"); err != nil {
		t.Fatal(err)
	}
	wantKafkaErr(t, a.MarkTopicForDeletion("b"), ErrTopicMarkedForDeletion, "Topic b is already marked for deletion.")
	wantKafkaErr(t, a.MarkTopicForDeletion("__consumer_offsets"), ErrInternalTopic,
		"Topic __consumer_offsets is a kafka internal topic and is not allowed to be marked for deletion.")
	if got := getData(t, m, "/admin/delete_topics/b"); got != "" {
		t.Errorf("marker data %q", got)
	}
	if ok, err := a.IsTopicMarkedForDeletion("b"); !ok || err != nil {
		t.Error("b not marked")
	}
	if ok, _ := a.IsTopicMarkedForDeletion("a"); ok {
		t.Error("a marked")
	}
	if ds, err := a.TopicsMarkedForDeletion(); err != nil || !reflect.DeepEqual(ds, []string{"b"}) {
		t.Errorf("TopicsMarkedForDeletion %v %v", ds, err)
	}

	// describe: assignment, config, partition states
	if _, found, err := a.Topic("nope"); found || err != nil {
		t.Error("nope found")
	}
	if _, found, err := a.PartitionState("a", 0); found || err != nil {
		t.Error("state before election")
	}
	st := PartitionState{Leader: 0, LeaderEpoch: 0, ControllerEpoch: 1, ISR: []int32{0}}
	if err := a.CreateRecursive(TopicPartitionStatePath("a", 0), st.Encode(), true); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Set(TopicPartitionStatePath("a", 0), st.Encode(), 0); err != nil {
		t.Fatal(err)
	}
	states, err := a.PartitionStates("a", []int32{0, 1})
	if err != nil || len(states) != 1 || states[0].ZkVersion != 1 || states[0].Leader != 0 {
		t.Errorf("states %+v %v", states, err)
	}
	cfg, err := a.TopicConfig("a")
	if err != nil || cfg.Len() != 0 {
		t.Errorf("config %v %v", cfg.Map(), err)
	}
	if cfg, err := a.TopicConfig("missing"); err != nil || cfg.Len() != 0 {
		t.Errorf("missing config %v", err)
	}
}

func TestChangeTopicConfig(t *testing.T) {
	m := NewMemZK()
	a := NewAdminZk(m, false, nil)
	if err := a.CreateTopLevelPaths(); err != nil {
		t.Fatal(err)
	}
	wantKafkaErr(t, a.ChangeTopicConfig("test", NewProps()), ErrUnknownTopic, "Topic 'test' does not exist.")
	if err := a.CreateTopicWithAssignment("test", nil, Assignment{0: {0}}, Uuid{}); err != nil {
		t.Fatal(err)
	}
	// the tool's alter: read, add, delete, write back
	cur, err := a.TopicConfig("test")
	if err != nil {
		t.Fatal(err)
	}
	add := NewProps()
	add.Set("retention.ms", "1000")
	add.Set("cleanup.policy", "compact")
	cur.PutAll(add)
	cur.Remove("nothing")
	if err := a.ChangeTopicConfig("test", cur); err != nil {
		t.Fatal(err)
	}
	if got := getData(t, m, "/config/topics/test"); got != `{"version":1,"config":{"cleanup.policy":"compact","retention.ms":"1000"}}` {
		t.Errorf("config %s", got)
	}
	if got := getData(t, m, "/config/changes/config_change_0000000000"); got != `{"version":2,"entity_path":"topics/test"}` {
		t.Errorf("notification %s", got)
	}
	if err := a.ChangeTopicConfig("test", NewProps()); err != nil {
		t.Fatal(err)
	}
	if got := getData(t, m, "/config/changes/config_change_0000000001"); got != `{"version":2,"entity_path":"topics/test"}` {
		t.Errorf("second notification %s", got)
	}
	if got := getData(t, m, "/config/topics/test"); got != `{"version":1,"config":{}}` {
		t.Errorf("cleared config %s", got)
	}
	// broker config and its notification
	bp := NewProps()
	bp.Set("log.cleaner.threads", "2")
	if err := a.ChangeEntityConfig(ConfigTypeBroker, ConfigEntityDefault, bp); err != nil {
		t.Fatal(err)
	}
	if got := getData(t, m, "/config/changes/config_change_0000000002"); got != `{"version":2,"entity_path":"brokers/<default>"}` {
		t.Errorf("broker notification %s", got)
	}
	if p, err := a.EntityConfig(ConfigTypeBroker, ConfigEntityDefault); err != nil || p.Map()["log.cleaner.threads"] != "2" {
		t.Errorf("broker config %v %v", p.Map(), err)
	}
}

func TestAddPartitions(t *testing.T) {
	m := NewMemZK()
	a := NewAdminZk(m, false, nil)
	for id := int32(0); id < 3; id++ {
		registerBroker(t, m, id, nil)
	}
	if err := a.CreateTopicWithAssignment("test", nil, Assignment{0: {1, 2}, 1: {2, 0}, 2: {0, 1}}, Uuid{}); err != nil {
		t.Fatal(err)
	}
	_, err := a.AddPartitions("test", 2, nil)
	wantKafkaErr(t, err, ErrInvalidPartitions,
		"The number of partitions for a topic can only be increased. Topic test currently has 3 partitions, 2 would not be an increase.")
	_, err = a.AddPartitions("__consumer_offsets", 2, nil)
	wantKafkaErr(t, err, ErrInternalTopic, "The number of partitions for the internal topic __consumer_offsets cannot be changed.")
	if InternalTopicPartitionsError("test") != nil {
		t.Error("InternalTopicPartitionsError for a normal topic")
	}
	_, err = a.AddPartitions("nope", 2, nil)
	wantKafkaErr(t, err, ErrInvalidTopic, "The topic nope does not exist")

	// The controller has added a topic id meanwhile; adding partitions keeps it.
	id := UuidFromBits(7, 8)
	tz, _, _ := a.Topic("test")
	tz.TopicID = id
	if _, err := m.Set(TopicPath("test"), tz.Encode(), -1); err != nil {
		t.Fatal(err)
	}
	got, err := a.AddPartitions("test", 5, nil)
	if err != nil {
		t.Fatal(err)
	}
	// start index = position of the first broker >= partition 0's first replica (1),
	// also the initial shift; start partition 3 bumps the shift to 2:
	// partition 3 -> brokers[(3+1)%3]=1 then brokers[(1+1+2%2)%3]=2, 4 -> 2, 0
	want := Assignment{0: {1, 2}, 1: {2, 0}, 2: {0, 1}, 3: {1, 2}, 4: {2, 0}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v want %v", got, want)
	}
	if s := getData(t, m, TopicPath("test")); s != `{"partitions":{"0":[1,2],"1":[2,0],"2":[0,1],"3":[1,2],"4":[2,0]},"topic_id":"AAAAAAAAAAcAAAAAAAAACA","adding_replicas":{},"removing_replicas":{},"version":3}` {
		t.Errorf("znode %s", s)
	}
	// manual: the full --replica-assignment list; only the entries past the
	// existing partitions are used.
	manual, err := ParseReplicaAssignment("9:8,9:8,9:8,9:8,9:8,0:1")
	if err != nil {
		t.Fatal(err)
	}
	got, err = a.AddPartitions("test", 6, manual)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got[5], []int32{0, 1}) || len(got) != 6 {
		t.Errorf("manual: %v", got)
	}
	manual, _ = ParseReplicaAssignment("0:1,0:1,0:1,0:1,0:1,0:1,0:7")
	_, err = a.AddPartitions("test", 7, manual)
	wantKafkaErr(t, err, ErrBrokerNotAvailable,
		"Some brokers specified for partition id 6 are not available. Specified brokers: 0, 7, available brokers: 0, 1, 2.")
}

func TestTopLevelPathsAndClusterID(t *testing.T) {
	m := NewMemZK()
	a := NewAdminZk(m, false, nil)
	for i := 0; i < 2; i++ {
		if err := a.CreateTopLevelPaths(); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"/admin", "/admin/delete_topics", "/brokers", "/brokers/ids", "/brokers/seqid", "/brokers/topics",
		"/config", "/config/brokers", "/config/changes", "/config/clients", "/config/ips", "/config/topics", "/config/users",
		"/consumers", "/isr_change_notification", "/latest_producer_id_block", "/log_dir_event_notification"}
	if got := m.Paths(); !reflect.DeepEqual(got, want) {
		t.Errorf("paths:\n got %q\nwant %q", got, want)
	}
	if _, found, err := a.ClusterID(); found || err != nil {
		t.Error("cluster id before creation")
	}
	id, err := a.CreateOrGetClusterID("first")
	if err != nil || id != "first" {
		t.Fatal(id, err)
	}
	id, err = a.CreateOrGetClusterID("second")
	if err != nil || id != "first" {
		t.Errorf("second proposal: %q %v", id, err)
	}
	if got := getData(t, m, ClusterIDPath); got != `{"version":"1","id":"first"}` {
		t.Errorf("cluster id znode %s", got)
	}
}

func TestSecureACLs(t *testing.T) {
	open := DefaultACL(false, "/brokers")
	if !reflect.DeepEqual(open, zk.WorldACL(zk.PermAll)) {
		t.Errorf("open %v", open)
	}
	sec := DefaultACL(true, "/brokers/topics/t")
	if len(sec) != 2 || sec[0].Scheme != "auth" || sec[1] != (zk.ACL{Perms: zk.PermRead, Scheme: "world", ID: "anyone"}) {
		t.Errorf("secure %v", sec)
	}
	if s := DefaultACL(true, "/config/users/alice"); len(s) != 1 {
		t.Errorf("sensitive %v", s)
	}
	if s := DefaultACL(true, "/consumers"); !reflect.DeepEqual(s, zk.WorldACL(zk.PermAll)) {
		t.Errorf("consumers %v", s)
	}
}

func TestErrorsWrapZK(t *testing.T) {
	m := NewMemZK()
	boom := errors.New("boom")
	m.FailWith(func(op, path string) error {
		if op == "children" {
			return boom
		}
		return nil
	})
	a := NewAdminZk(m, false, nil)
	_, err := a.Topics()
	if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "cluster: children /brokers/topics: ") {
		t.Errorf("error %v", err)
	}
	m.FailWith(nil)
	if _, err := a.Topics(); err != nil {
		t.Error(err)
	}
}

func TestChroot(t *testing.T) {
	m := NewMemZK()
	if _, err := m.Create("/kafka", nil, 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	c := Chroot(m, "/kafka/")
	a := NewAdminZk(c, false, nil)
	if err := a.CreateTopLevelPaths(); err != nil {
		t.Fatal(err)
	}
	if err := a.CreateTopicWithAssignment("t", nil, Assignment{0: {0}}, Uuid{}); err != nil {
		t.Fatal(err)
	}
	p, err := a.CreateConfigChangeNotification("topics/t")
	if err != nil || p != "/config/changes/config_change_0000000000" {
		t.Errorf("created %q %v", p, err)
	}
	if ok, _, _ := m.Exists("/kafka/brokers/topics/t"); !ok {
		t.Error("topic not under chroot")
	}
	if ok, _, _ := m.Exists("/brokers"); ok {
		t.Error("/brokers outside chroot")
	}
	res, err := c.Multi(&zk.CreateRequest{Path: "/x", Acl: zk.WorldACL(zk.PermAll)}, &zk.SetDataRequest{Path: "/x", Data: []byte("d"), Version: 0})
	if err != nil || res[0].String != "/x" || res[1].Error != nil {
		t.Errorf("multi %+v %v", res, err)
	}
	if Chroot(m, "/") != ZK(m) || Chroot(m, "") != ZK(m) {
		t.Error("empty chroot should return the client")
	}
	servers, root := SplitConnectString("h1:2181, h2:2181/kafka/x")
	if !reflect.DeepEqual(servers, []string{"h1:2181", "h2:2181"}) || root != "/kafka/x" {
		t.Errorf("split %v %q", servers, root)
	}
	if _, root := SplitConnectString("localhost:2181"); root != "" {
		t.Errorf("no chroot: %q", root)
	}
}
