package cluster

// Golden vectors recorded from Apache Kafka 2.8.2 itself: the encoders of
// kafka_2.13-2.8.2.jar (ZkData's TopicZNode, TopicPartitionStateZNode,
// ConfigEntityZNode, BrokerIdZNode, …), AdminUtils.assignReplicasToBrokers,
// AdminZkClient.createNewPartitionsAssignment, TopicCommand.parseReplicaAssignment
// and Uuid, run on Java 17 with Scala 2.13.5 (the jars of Maven Central).
// One JSON object per line: "kind", the inputs, and "out", Kafka's bytes or
// "<ExceptionClass>: <message>". Never regenerate these from our own output.

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

type vector map[string]json.RawMessage

func (v vector) str(t *testing.T, k string) string {
	t.Helper()
	var s string
	if err := json.Unmarshal(v[k], &s); err != nil {
		t.Fatalf("field %s: %v", k, err)
	}
	return s
}

func (v vector) int(t *testing.T, k string) int64 {
	t.Helper()
	var n int64
	if err := json.Unmarshal(v[k], &n); err != nil {
		t.Fatalf("field %s: %v", k, err)
	}
	return n
}

func (v vector) optStr(t *testing.T, k string) *string {
	t.Helper()
	var s *string
	if err := json.Unmarshal(v[k], &s); err != nil {
		t.Fatalf("field %s: %v", k, err)
	}
	return s
}

func (v vector) into(t *testing.T, k string, dst any) {
	t.Helper()
	if err := json.Unmarshal(v[k], dst); err != nil {
		t.Fatalf("field %s: %v", k, err)
	}
}

func loadVectors(t *testing.T) map[string][]vector {
	t.Helper()
	f, err := os.Open("testdata/kafka-2.8.2-vectors.jsonl.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string][]vector)
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var v vector
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		var kind string
		_ = json.Unmarshal(v["kind"], &kind)
		out[kind] = append(out[kind], v)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// kafkaErr renders an error as the vectors do: "<SimpleClass>: <message>".
func kafkaErr(err error) string {
	var e *Error
	if !asError(err, &e) {
		return "unexpected: " + err.Error()
	}
	return e.Class[strings.LastIndexAny(e.Class, ".$")+1:] + ": " + e.Message
}

func asError(err error, target **Error) bool {
	for err != nil {
		if e, ok := err.(*Error); ok {
			*target = e
			return true
		}
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		err = u.Unwrap()
	}
	return false
}

func TestOracleVectors(t *testing.T) {
	vs := loadVectors(t)
	for _, kind := range []string{"topic", "state", "config", "config_alter", "broker", "assign", "assign_err",
		"parse_assign", "new_partitions", "uuid", "uuid_parse", "controller", "change", "clusterid", "feature",
		"logdir", "pidblock", "isrchange", "preferred", "reassign", "broker_features"} {
		if len(vs[kind]) == 0 {
			t.Errorf("no vectors of kind %s", kind)
		}
	}

	t.Run("topic", func(t *testing.T) {
		for i, v := range vs["topic"] {
			var parts, adding, removing map[string][]int32
			v.into(t, "partitions", &parts)
			v.into(t, "adding", &adding)
			v.into(t, "removing", &removing)
			z := TopicZNode{Version: 3, Partitions: map[int32]ReplicaAssignment{}}
			if id := v.optStr(t, "topic_id"); id != nil {
				u, err := ParseUuid(*id)
				if err != nil {
					t.Fatal(err)
				}
				z.TopicID = u
			}
			for k, r := range parts {
				p, _ := strconv.Atoi(k)
				z.Partitions[int32(p)] = ReplicaAssignment{Replicas: r, AddingReplicas: adding[k], RemovingReplicas: removing[k]}
			}
			want := v.str(t, "out")
			if got := string(z.Encode()); got != want {
				t.Errorf("#%d n=%d:\n got %s\nwant %s", i, v.int(t, "n"), got, want)
				continue
			}
			back, err := DecodeTopicZNode([]byte(want))
			if err != nil {
				t.Fatal(err)
			}
			if got := string(back.Encode()); got != want {
				t.Errorf("#%d: decode/encode round trip differs", i)
			}
		}
	})

	t.Run("state", func(t *testing.T) {
		for _, v := range vs["state"] {
			var isr []int32
			v.into(t, "isr", &isr)
			s := PartitionState{Leader: int32(v.int(t, "leader")), LeaderEpoch: int32(v.int(t, "leader_epoch")),
				ControllerEpoch: int32(v.int(t, "controller_epoch")), ISR: isr}
			want := v.str(t, "out")
			if got := string(s.Encode()); got != want {
				t.Errorf("got %s want %s", got, want)
			}
			back, err := DecodePartitionState([]byte(want), 7)
			if err != nil || back.ZkVersion != 7 || string(back.Encode()) != want {
				t.Errorf("decode %s: %+v %v", want, back, err)
			}
		}
	})

	t.Run("config", func(t *testing.T) {
		for i, v := range vs["config"] {
			var set [][2]string
			v.into(t, "set", &set)
			p := NewProps()
			for _, kv := range set {
				p.Set(kv[0], kv[1])
			}
			want := v.str(t, "out")
			if got := string(EncodeEntityConfig(p)); got != want {
				t.Errorf("#%d (%d sets):\n got %s\nwant %s", i, len(set), got, want)
			}
		}
	})

	t.Run("config_alter", func(t *testing.T) {
		for i, v := range vs["config_alter"] {
			var add [][2]string
			var remove []string
			v.into(t, "add", &add)
			v.into(t, "remove", &remove)
			cur, err := DecodeEntityConfig([]byte(v.str(t, "existing")))
			if err != nil {
				t.Fatal(err)
			}
			addP := NewProps()
			for _, kv := range add {
				addP.Set(kv[0], kv[1])
			}
			cur.PutAll(addP)
			for _, k := range remove {
				cur.Remove(k)
			}
			want := v.str(t, "out")
			if got := string(EncodeEntityConfig(cur)); got != want {
				t.Errorf("#%d:\n got %s\nwant %s", i, got, want)
			}
		}
	})

	t.Run("broker", func(t *testing.T) {
		for i, v := range vs["broker"] {
			var ls []struct {
				Name     string  `json:"name"`
				Host     *string `json:"host"`
				Port     int32   `json:"port"`
				Protocol string  `json:"protocol"`
			}
			v.into(t, "listeners", &ls)
			b := BrokerRegistration{ID: 1, Version: int(v.int(t, "version")), JmxPort: int32(v.int(t, "jmx_port")),
				Rack: v.optStr(t, "rack"), Timestamp: v.str(t, "timestamp")}
			for _, l := range ls {
				b.Endpoints = append(b.Endpoints, Endpoint{ListenerName: l.Name, SecurityProtocol: l.Protocol, Host: l.Host, Port: l.Port})
			}
			want := v.str(t, "out")
			if got := string(b.Encode()); got != want {
				t.Errorf("#%d:\n got %s\nwant %s", i, got, want)
				continue
			}
			back, err := DecodeBrokerRegistration(1, []byte(want))
			if err != nil {
				t.Fatalf("#%d decode: %v", i, err)
			}
			if got := string(back.Encode()); got != want {
				t.Errorf("#%d round trip:\n got %s\nwant %s", i, got, want)
			}
		}
		v := vs["broker_features"][0]
		want := v.str(t, "out")
		b, err := DecodeBrokerRegistration(0, []byte(want))
		if err != nil {
			t.Fatal(err)
		}
		if got := string(b.Encode()); got != want {
			t.Errorf("features:\n got %s\nwant %s", got, want)
		}
	})

	t.Run("assign", func(t *testing.T) {
		for _, v := range vs["assign"] {
			var ids []int32
			var racks []string
			v.into(t, "brokers", &ids)
			v.into(t, "racks", &racks)
			bs := make([]BrokerMetadata, len(ids))
			for i, id := range ids {
				bs[i] = BrokerMetadata{ID: id}
				if len(racks) > 0 {
					r := racks[i]
					bs[i].Rack = &r
				}
			}
			a, err := AssignReplicasToBrokers(bs, int32(v.int(t, "partitions")), int32(v.int(t, "rf")),
				AssignOptions{FixedStartIndex: int32(v.int(t, "start")), StartPartitionID: int32(v.int(t, "start_partition"))})
			if err != nil {
				t.Fatal(err)
			}
			var parts []string
			for _, p := range a.Partitions() {
				parts = append(parts, fmt.Sprintf("%d=%s", p, joinInts(a[p], ",")))
			}
			if got, want := strings.Join(parts, " "), v.str(t, "out"); got != want {
				t.Errorf("brokers %v racks %v n=%d rf=%d start=%d spid=%d:\n got %s\nwant %s", ids, racks,
					v.int(t, "partitions"), v.int(t, "rf"), v.int(t, "start"), v.int(t, "start_partition"), got, want)
			}
		}
	})

	t.Run("assign_err", func(t *testing.T) {
		for _, v := range vs["assign_err"] {
			var ids []int32
			var racks []*string
			v.into(t, "brokers", &ids)
			v.into(t, "racks", &racks)
			bs := make([]BrokerMetadata, len(ids))
			for i, id := range ids {
				bs[i] = BrokerMetadata{ID: id}
				if len(racks) > 0 {
					bs[i].Rack = racks[i]
				}
			}
			_, err := AssignReplicasToBrokers(bs, int32(v.int(t, "partitions")), int32(v.int(t, "rf")), AssignOptions{FixedStartIndex: 0})
			if err == nil {
				t.Fatalf("%v: no error", ids)
			}
			if got, want := kafkaErr(err), v.str(t, "out"); got != want {
				t.Errorf("got %q want %q", got, want)
			}
		}
	})

	t.Run("parse_assign", func(t *testing.T) {
		for _, v := range vs["parse_assign"] {
			in, want := v.str(t, "in"), v.str(t, "out")
			a, err := ParseReplicaAssignment(in)
			var got string
			if err != nil {
				got = kafkaErr(err)
			} else {
				var parts []string
				for _, p := range a.Partitions() {
					parts = append(parts, fmt.Sprintf("%d=%s", p, joinInts(a[p], "/")))
				}
				got = "OK " + strings.Join(parts, " ")
			}
			if strings.Contains(want, "[I@") { // a Java array reference: compare up to it
				want = want[:strings.Index(want, "[I@")+3]
				if len(got) >= len(want)+8 {
					got = got[:len(want)]
				}
			}
			if got != want {
				t.Errorf("%q:\n got %q\nwant %q", in, got, want)
			}
		}
	})

	t.Run("new_partitions", func(t *testing.T) {
		for _, v := range vs["new_partitions"] {
			var existing, manual [][2]json.RawMessage
			var ids []int32
			v.into(t, "existing", &existing)
			v.into(t, "manual", &manual)
			v.into(t, "brokers", &ids)
			pairs := func(raw [][2]json.RawMessage) Assignment {
				a := make(Assignment)
				for _, pr := range raw {
					var p int32
					var r []int32
					_ = json.Unmarshal(pr[0], &p)
					_ = json.Unmarshal(pr[1], &r)
					a[p] = r
				}
				return a
			}
			ex := make(map[int32]ReplicaAssignment)
			for p, r := range pairs(existing) {
				ex[p] = ReplicaAssignment{Replicas: r}
			}
			bs := make([]BrokerMetadata, len(ids))
			for i, id := range ids {
				bs[i] = BrokerMetadata{ID: id}
			}
			a, err := NewPartitionsAssignment("t", ex, bs, int32(v.int(t, "partitions")), pairs(manual))
			var got string
			if err != nil {
				got = kafkaErr(err)
			} else {
				var parts []string
				for _, p := range a.Partitions() {
					parts = append(parts, fmt.Sprintf("%d=%s", p, joinInts(a[p], ",")))
				}
				got = "OK " + strings.Join(parts, " ")
			}
			if want := v.str(t, "out"); got != want {
				t.Errorf("%s:\n got %q\nwant %q", v["existing"], got, want)
			}
		}
	})

	t.Run("uuid", func(t *testing.T) {
		for _, v := range vs["uuid"] {
			msb, _ := strconv.ParseInt(v.str(t, "msb"), 10, 64)
			lsb, _ := strconv.ParseInt(v.str(t, "lsb"), 10, 64)
			u := UuidFromBits(msb, lsb)
			want := v.str(t, "out")
			if got := u.String(); got != want {
				t.Errorf("got %s want %s", got, want)
			}
			back, err := ParseUuid(want)
			if err != nil || back != u || back.MostSignificantBits() != msb || back.LeastSignificantBits() != lsb {
				t.Errorf("parse %s: %v %v", want, back, err)
			}
		}
		for _, v := range vs["uuid_parse"] {
			in, want := v.str(t, "in"), v.str(t, "out")
			u, err := ParseUuid(in)
			got := ""
			if err != nil {
				got = kafkaErr(err)
			} else {
				got = fmt.Sprintf("OK %d %d", u.MostSignificantBits(), u.LeastSignificantBits())
			}
			if got != want {
				t.Errorf("%q: got %q want %q", in, got, want)
			}
		}
	})

	t.Run("small", func(t *testing.T) {
		one := func(kind string) vector { return vs[kind][0] }
		check := func(name string, got []byte, want string) {
			t.Helper()
			if string(got) != want {
				t.Errorf("%s: got %s want %s", name, got, want)
			}
		}
		v := one("controller")
		check("controller", ControllerZNode{BrokerID: int32(v.int(t, "broker")), Timestamp: v.int(t, "ts")}.Encode(), v.str(t, "out"))
		for _, v := range vs["change"] {
			check("change", EncodeConfigChangeNotification(v.str(t, "entity_path")), v.str(t, "out"))
		}
		v = one("clusterid")
		check("clusterid", EncodeClusterID(v.str(t, "id")), v.str(t, "out"))
		v = one("logdir")
		check("logdir", EncodeLogDirEvent(int32(v.int(t, "broker"))), v.str(t, "out"))
		v = one("pidblock")
		check("pidblock", ProducerIDBlock{BrokerID: int32(v.int(t, "broker")), BlockStart: v.int(t, "start"), BlockEnd: v.int(t, "end")}.Encode(), v.str(t, "out"))
		for _, v := range vs["feature"] {
			check("feature", FeatureZNode{Enabled: v.int(t, "status") == 1}.Encode(), v.str(t, "out"))
		}
		v = one("isrchange")
		check("isrchange", EncodePartitionsNotification([]TopicPartition{{v.str(t, "topic"), int32(v.int(t, "partition"))}}), v.str(t, "out"))
		v = one("preferred")
		check("preferred", EncodePartitionsNotification([]TopicPartition{{v.str(t, "topic"), int32(v.int(t, "partition"))}}), v.str(t, "out"))
		v = one("reassign")
		check("reassign", EncodeReassignPartitions([]PartitionReassignment{{v.str(t, "topic"), int32(v.int(t, "partition")), []int32{1, 2}}}), v.str(t, "out"))
	})
}
