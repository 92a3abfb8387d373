package cluster

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func ptr[T any](v T) *T { return &v }

func TestTopicZNodeEncode(t *testing.T) {
	tests := []struct {
		name string
		z    TopicZNode
		want string
	}{
		{"quickstart", NewTopicZNode(Uuid{}, Assignment{0: {0}}),
			`{"partitions":{"0":[0]},"adding_replicas":{},"removing_replicas":{},"version":3}`},
		{"with id", NewTopicZNode(UuidFromBits(1, 2), Assignment{0: {0, 1}, 1: {1, 0}}),
			`{"partitions":{"0":[0,1],"1":[1,0]},"topic_id":"AAAAAAAAAAEAAAAAAAAAAg","adding_replicas":{},"removing_replicas":{},"version":3}`},
		{"reassigning", TopicZNode{Partitions: map[int32]ReplicaAssignment{
			0: {Replicas: []int32{1, 2, 3}, AddingReplicas: []int32{3}, RemovingReplicas: []int32{1}},
			1: {Replicas: []int32{2, 3}},
		}}, `{"partitions":{"0":[1,2,3],"1":[2,3]},"adding_replicas":{"0":[3]},"removing_replicas":{"0":[1]},"version":3}`},
		{"empty", TopicZNode{}, `{"partitions":{},"adding_replicas":{},"removing_replicas":{},"version":3}`},
		// 12 partitions: the Scala map has grown to 32 buckets; "10" and "11" hash
		// to buckets 31 and 0 (same order as the 2.8.2 jar writes, see oracle_test.go)
		{"12 partitions", NewTopicZNode(Uuid{}, Assignment{0: {0}, 1: {0}, 2: {0}, 3: {0}, 4: {0}, 5: {0}, 6: {0}, 7: {0}, 8: {0}, 9: {0}, 10: {0}, 11: {0}}),
			`{"partitions":{"11":[0],"0":[0],"1":[0],"2":[0],"3":[0],"4":[0],"5":[0],"6":[0],"7":[0],"8":[0],"9":[0],"10":[0]},"adding_replicas":{},"removing_replicas":{},"version":3}`},
	}
	for _, tt := range tests {
		if got := string(tt.z.Encode()); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

func TestTopicZNodeDecode(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want TopicZNode
	}{
		{"v1", `{"version":1,"partitions":{"0":[0,1],"1":[1,0]}}`, TopicZNode{Version: 1, Partitions: map[int32]ReplicaAssignment{
			0: {Replicas: []int32{0, 1}}, 1: {Replicas: []int32{1, 0}}}}},
		{"v2 reordered", `{"removing_replicas":{"0":[2]},"adding_replicas":{"0":[1]},"partitions":{"0":[2,1]},"version":2}`,
			TopicZNode{Version: 2, Partitions: map[int32]ReplicaAssignment{0: {Replicas: []int32{2, 1}, AddingReplicas: []int32{1}, RemovingReplicas: []int32{2}}}}},
		{"v3 id", `{"version":3,"topic_id":"AAAAAAAAAAEAAAAAAAAAAg","partitions":{"0":[5]},"adding_replicas":{},"removing_replicas":{}}`,
			TopicZNode{Version: 3, TopicID: UuidFromBits(1, 2), Partitions: map[int32]ReplicaAssignment{0: {Replicas: []int32{5}}}}},
		{"whitespace", " { \"partitions\" : { \"0\" : [ 3 ] } } ", TopicZNode{Partitions: map[int32]ReplicaAssignment{0: {Replicas: []int32{3}}}}},
	}
	for _, tt := range tests {
		got, err := DecodeTopicZNode([]byte(tt.in))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
	}
	for _, bad := range []string{"", "not json", `{"partitions":{"x":[1]}}`, `{"partitions":{"0":["a"]}}`, `{"partitions":{"0":[1]},"topic_id":"zz"}`, `[1]`} {
		if _, err := DecodeTopicZNode([]byte(bad)); !errors.Is(err, ErrInvalidZNode) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	a := NewTopicZNode(Uuid{}, Assignment{1: {4, 5}, 0: {5, 4}}).Assignment()
	if !reflect.DeepEqual(a, Assignment{0: {5, 4}, 1: {4, 5}}) || !reflect.DeepEqual(a.Partitions(), []int32{0, 1}) {
		t.Errorf("Assignment %v", a)
	}
}

func TestPartitionState(t *testing.T) {
	s := PartitionState{Leader: 0, LeaderEpoch: 0, ControllerEpoch: 1, ISR: []int32{0}}
	const want = `{"controller_epoch":1,"leader":0,"version":1,"leader_epoch":0,"isr":[0]}`
	if got := string(s.Encode()); got != want {
		t.Errorf("got %s", got)
	}
	got, err := DecodePartitionState([]byte(`{"version":1,"leader":-1,"leader_epoch":3,"controller_epoch":2,"isr":[]}`), 4)
	if err != nil || !reflect.DeepEqual(got, PartitionState{Leader: -1, LeaderEpoch: 3, ControllerEpoch: 2, ISR: []int32{}, ZkVersion: 4}) {
		t.Errorf("decode: %+v %v", got, err)
	}
	for _, bad := range []string{"", "{}", `{"leader":1,"leader_epoch":1,"controller_epoch":1}`, `{"leader":"1","leader_epoch":1,"controller_epoch":1,"isr":[]}`, `{"leader":1.5,"leader_epoch":1,"controller_epoch":1,"isr":[]}`} {
		if _, err := DecodePartitionState([]byte(bad), 0); !errors.Is(err, ErrInvalidZNode) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestEntityConfig(t *testing.T) {
	p := NewProps()
	p.Set("cleanup.policy", "compact")
	p.Set("retention.ms", "100")
	if got := string(EncodeEntityConfig(p)); got != `{"version":1,"config":{"cleanup.policy":"compact","retention.ms":"100"}}` {
		t.Errorf("got %s", got)
	}
	if got := string(EncodeEntityConfig(nil)); got != `{"version":1,"config":{}}` {
		t.Errorf("nil: %s", got)
	}
	// Jackson's escaping
	p = NewProps()
	p.Set("k", "q\"b\\s/<>&\b\t\n\f\r\x01\x1f\x7fé😀\u2028")
	want := `{"version":1,"config":{"k":"q\"b\\s/<>&\b\t\n\f\r\u0001\u001F` + "\x7fé" + `\uD83D\uDE00` + "\u2028" + `"}}`
	if got := string(EncodeEntityConfig(p)); got != want {
		t.Errorf("escaping:\n got %s\nwant %s", got, want)
	}
	back, err := DecodeEntityConfig([]byte(want))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := back.Get("k"); v != "q\"b\\s/<>&\b\t\n\f\r\x01\x1f\x7fé😀\u2028" {
		t.Errorf("decoded %q", v)
	}
	// Kafka reads missing, empty or non-JSON data as no overrides.
	for _, in := range []string{"", "garbage", `{"version":1}`, `{"version":1,"config":[]}`, `[]`} {
		got, err := DecodeEntityConfig([]byte(in))
		if err != nil || got.Len() != 0 {
			t.Errorf("%q: %v %v", in, got.Map(), err)
		}
	}
	if _, err := DecodeEntityConfig([]byte(`{"config":{"a":1}}`)); !errors.Is(err, ErrInvalidZNode) {
		t.Errorf("non-string value: %v", err)
	}
	got, err := DecodeEntityConfig([]byte(`{"config":{"b":"2","a":"1"},"version":1}`))
	if err != nil || !reflect.DeepEqual(got.Map(), map[string]string{"a": "1", "b": "2"}) {
		t.Errorf("order-independent decode: %v %v", got.Map(), err)
	}
}

func TestProps(t *testing.T) {
	var p Props // zero value works
	if p.Len() != 0 || len(p.Keys()) != 0 {
		t.Fatal("zero value not empty")
	}
	p.Set("a", "1")
	p.Set("b", "2")
	p.Set("a", "3") // replace keeps place
	if v, ok := p.Get("a"); !ok || v != "3" || p.Len() != 2 {
		t.Errorf("Get a = %q %v, len %d", v, ok, p.Len())
	}
	if !p.Remove("a") || p.Remove("a") || p.Len() != 1 {
		t.Error("Remove")
	}
	if _, ok := p.Get("a"); ok {
		t.Error("a still present")
	}
	c := p.Clone()
	c.Set("z", "9")
	if p.Len() != 1 || c.Len() != 2 {
		t.Error("Clone not independent")
	}
	m := map[string]string{"x": "1", "y": "2", "segment.bytes": "3"}
	if !reflect.DeepEqual(PropsFromMap(m).Map(), m) {
		t.Error("PropsFromMap")
	}
	// growth past 12 entries keeps every entry
	q := NewProps()
	for i := 0; i < 40; i++ {
		q.Set(strings.Repeat("k", i+1), "v")
	}
	if q.Len() != 40 || len(q.Keys()) != 40 {
		t.Errorf("len %d keys %d", q.Len(), len(q.Keys()))
	}
	var nilP *Props
	if nilP.Len() != 0 || len(nilP.Keys()) != 0 || len(nilP.Map()) != 0 {
		t.Error("nil props")
	}
	if _, ok := nilP.Get("x"); ok || nilP.Remove("x") {
		t.Error("nil props get/remove")
	}
}

func TestConfigChangeNotification(t *testing.T) {
	if got := string(EncodeConfigChangeNotification("topics/test")); got != `{"version":2,"entity_path":"topics/test"}` {
		t.Errorf("got %s", got)
	}
	tests := []struct {
		in   string
		want ConfigChangeNotification
	}{
		{`{"version":2,"entity_path":"topics/t"}`, ConfigChangeNotification{2, "topics/t", "topics", "t"}},
		{`{"entity_path":"users/u/clients/c","version":2}`, ConfigChangeNotification{2, "users/u/clients/c", "users", "u/clients/c"}},
		{`{"version":1,"entity_type":"topics","entity_name":"t"}`, ConfigChangeNotification{1, "topics/t", "topics", "t"}},
	}
	for _, tt := range tests {
		got, err := DecodeConfigChangeNotification([]byte(tt.in))
		if err != nil || got != tt.want {
			t.Errorf("%s: %+v %v", tt.in, got, err)
		}
	}
	for _, bad := range []string{"x", `{}`, `{"version":3}`, `{"version":2}`, `{"version":2,"entity_path":"nope"}`, `{"version":1,"entity_type":"brokers","entity_name":"0"}`} {
		if _, err := DecodeConfigChangeNotification([]byte(bad)); !errors.Is(err, ErrInvalidConfigNotification) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

func TestBrokerRegistration(t *testing.T) {
	b := BrokerRegistration{ID: 0, Version: 5, JmxPort: -1, Timestamp: "1634146876386",
		Endpoints: []Endpoint{{ListenerName: "PLAINTEXT", SecurityProtocol: "PLAINTEXT", Host: ptr("localhost"), Port: 9092}}}
	// The sample in reference/zookeeper.md, taken from a real 2.8 broker.
	const want = `{"features":{},"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"endpoints":["PLAINTEXT://localhost:9092"],"jmx_port":-1,"port":9092,"host":"localhost","version":5,"timestamp":"1634146876386"}`
	if got := string(b.Encode()); got != want {
		t.Errorf("got %s", got)
	}
	b.Rack = ptr("r1")
	b.Version = 4
	const want4 = `{"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"endpoints":["PLAINTEXT://localhost:9092"],"rack":"r1","jmx_port":-1,"port":9092,"host":"localhost","version":4,"timestamp":"1634146876386"}`
	if got := string(b.Encode()); got != want4 {
		t.Errorf("v4 got %s", got)
	}
	tests := []struct {
		name string
		in   string
		want BrokerRegistration
	}{
		{"v1", `{"version":1,"host":"h","port":9092,"jmx_port":9999,"timestamp":"1"}`,
			BrokerRegistration{ID: 3, Version: 1, JmxPort: 9999, Timestamp: "1",
				Endpoints: []Endpoint{{ListenerName: "PLAINTEXT", SecurityProtocol: "PLAINTEXT", Host: ptr("h"), Port: 9092}}}},
		{"v2 default protocols", `{"version":2,"host":"h","port":9092,"jmx_port":-1,"timestamp":"2","endpoints":["plaintext://h:9092","SSL://[::1]:9093"]}`,
			BrokerRegistration{ID: 3, Version: 2, JmxPort: -1, Timestamp: "2",
				Endpoints: []Endpoint{{"PLAINTEXT", "PLAINTEXT", ptr("h"), 9092}, {"SSL", "SSL", ptr("::1"), 9093}}}},
		{"v4 custom listeners + rack", `{"listener_security_protocol_map":{"CLIENT":"SASL_SSL","REPL":"PLAINTEXT"},"endpoints":["CLIENT://c:1","REPL://:2"],"rack":"dc1","jmx_port":-1,"port":-1,"host":null,"version":4,"timestamp":"3"}`,
			BrokerRegistration{ID: 3, Version: 4, JmxPort: -1, Timestamp: "3", Rack: ptr("dc1"),
				Endpoints: []Endpoint{{"CLIENT", "SASL_SSL", ptr("c"), 1}, {"REPL", "PLAINTEXT", nil, 2}}}},
		{"v5 features", `{"features":{"f":{"min_version":1,"max_version":2}},"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"endpoints":["PLAINTEXT://h:1"],"jmx_port":-1,"port":1,"host":"h","version":5,"timestamp":"4"}`,
			BrokerRegistration{ID: 3, Version: 5, JmxPort: -1, Timestamp: "4", Features: map[string]VersionRange{"f": {1, 2}},
				Endpoints: []Endpoint{{"PLAINTEXT", "PLAINTEXT", ptr("h"), 1}}}},
	}
	for _, tt := range tests {
		got, err := DecodeBrokerRegistration(3, []byte(tt.in))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
	}
	for _, bad := range []string{"", "{", `{"version":0,"jmx_port":1}`, `{"version":4,"jmx_port":1}`, `{"version":4,"jmx_port":1,"endpoints":["bogus"]}`,
		`{"version":4,"jmx_port":1,"endpoints":["X://h:1"],"listener_security_protocol_map":{"Y":"SSL"}}`, `{"version":1,"jmx_port":1}`} {
		if _, err := DecodeBrokerRegistration(1, []byte(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	if (Endpoint{ListenerName: "L", Host: ptr("fe80::1%eth0"), Port: 1}).ConnectionString() != "L://[fe80::1%eth0]:1" {
		t.Error("IPv6 connection string")
	}
}

func TestSmallZNodes(t *testing.T) {
	if got := string(ControllerZNode{BrokerID: 0, Timestamp: 1634146876386}.Encode()); got != `{"version":1,"brokerid":0,"timestamp":"1634146876386"}` {
		t.Errorf("controller %s", got)
	}
	c, err := DecodeControllerZNode([]byte(`{"timestamp":"5","brokerid":2,"version":1}`))
	if err != nil || c != (ControllerZNode{2, 5}) {
		t.Errorf("controller decode %+v %v", c, err)
	}
	if _, err := DecodeControllerZNode([]byte(`{}`)); !errors.Is(err, ErrInvalidZNode) {
		t.Error("controller without brokerid")
	}
	if string(EncodeControllerEpoch(12)) != "12" {
		t.Error("epoch encode")
	}
	if e, err := DecodeControllerEpoch([]byte("7")); err != nil || e != 7 {
		t.Error("epoch decode")
	}
	if _, err := DecodeControllerEpoch([]byte("x")); !errors.Is(err, ErrInvalidZNode) {
		t.Error("epoch decode error")
	}
	if got := string(EncodeClusterID("Ix1dKTNOSFWZrkKjIb6-iw")); got != `{"version":"1","id":"Ix1dKTNOSFWZrkKjIb6-iw"}` {
		t.Errorf("cluster id %s", got)
	}
	if id, err := DecodeClusterID([]byte(`{"id":"abc","version":"1"}`)); err != nil || id != "abc" {
		t.Errorf("cluster id decode %q %v", id, err)
	}
	if got := string(FeatureZNode{Enabled: true}.Encode()); got != `{"features":{},"version":1,"status":1}` {
		t.Errorf("feature %s", got)
	}
	f, err := DecodeFeatureZNode([]byte(`{"status":0,"version":1,"features":{"x":{"min_version":1,"max_version":3}}}`))
	if err != nil || f.Enabled || f.Features["x"] != (VersionRange{1, 3}) {
		t.Errorf("feature decode %+v %v", f, err)
	}
	for _, bad := range []string{`{"version":1,"status":1}`, `{"version":0,"status":1,"features":{}}`, `{"version":1,"status":5,"features":{}}`} {
		if _, err := DecodeFeatureZNode([]byte(bad)); err == nil {
			t.Errorf("feature %s: no error", bad)
		}
	}
	pb := ProducerIDBlock{BrokerID: 1, BlockStart: 0, BlockEnd: 999}
	if got := string(pb.Encode()); got != `{"version":1,"broker":1,"block_start":"0","block_end":"999"}` {
		t.Errorf("pid block %s", got)
	}
	if back, err := DecodeProducerIDBlock(pb.Encode()); err != nil || back != pb {
		t.Errorf("pid block decode %+v %v", back, err)
	}
	tps := []TopicPartition{{"t", 0}, {"u", 3}}
	if got := string(EncodePartitionsNotification(tps)); got != `{"version":1,"partitions":[{"topic":"t","partition":0},{"topic":"u","partition":3}]}` {
		t.Errorf("notification %s", got)
	}
	if back, err := DecodePartitionsNotification(EncodePartitionsNotification(tps)); err != nil || !reflect.DeepEqual(back, tps) {
		t.Errorf("notification decode %v %v", back, err)
	}
	rs := []PartitionReassignment{{"t", 1, []int32{1, 2}}}
	if back, err := DecodeReassignPartitions(EncodeReassignPartitions(rs)); err != nil || !reflect.DeepEqual(back, rs) {
		t.Errorf("reassign decode %v %v", back, err)
	}
	if got := string(EncodeLogDirEvent(4)); got != `{"version":1,"broker":4,"event":1}` {
		t.Errorf("log dir %s", got)
	}
	if b, err := DecodeLogDirEvent([]byte(`{"event":1,"broker":4,"version":1}`)); err != nil || b != 4 {
		t.Errorf("log dir decode %d %v", b, err)
	}
}

func TestJavaHelpers(t *testing.T) {
	ints := []struct {
		in   string
		want int32
		ok   bool
	}{
		{"0", 0, true}, {"+1", 1, true}, {"-2", -2, true}, {"2147483647", 2147483647, true}, {"-2147483648", -2147483648, true},
		{"2147483648", 0, false}, {"", 0, false}, {"-", 0, false}, {"+", 0, false}, {"1a", 0, false}, {" 1", 0, false},
		{"٣", 3, true}, {"１２", 12, true}, {"𝟎", 0, false}, {"1.0", 0, false},
	}
	for _, tt := range ints {
		v, err := javaParseInt(tt.in)
		if (err == nil) != tt.ok || v != tt.want {
			t.Errorf("parseInt(%q) = %d, %v", tt.in, v, err)
		}
		if err != nil {
			if msg, _ := KafkaMessage(err); msg != `For input string: "`+tt.in+`"` {
				t.Errorf("message %q", msg)
			}
		}
	}
	splits := []struct {
		in   string
		want []string
	}{
		{"", []string{""}}, {",", []string{}}, {"a,,b,,", []string{"a", "", "b"}}, {",a", []string{"", "a"}}, {"a", []string{"a"}},
	}
	for _, tt := range splits {
		if got := javaSplit(tt.in, ","); !reflect.DeepEqual(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("split(%q) = %q", tt.in, got)
		}
	}
	if javaTrim("\t x \n") != "x" || javaTrim("\u00a0x") != "\u00a0x" {
		t.Error("trim")
	}
}
