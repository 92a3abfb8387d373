package cluster

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Znode payloads of Kafka 2.8 (ZkData.scala), encoded byte for byte as
// kafka_2.13-2.8.2 writes them and decoded as leniently as Kafka reads them
// (field order never matters to a decoder). Key orders, from the Scala source
// and checked against the 2.8.2 jar:
//
//	/brokers/topics/<t>   {"partitions":{…},"topic_id":"…","adding_replicas":{…},"removing_replicas":{…},"version":3}
//	                      mutable.Map built from 4 pairs (8 buckets); inner maps are default mutable.Maps
//	…/partitions/<p>/state {"controller_epoch":1,"leader":0,"version":1,"leader_epoch":0,"isr":[0]}
//	                      immutable Map of 5 entries (CHAMP)
//	/config/<type>/<name> {"version":1,"config":{…}}      Map2 (insertion order); config is a java.util.Properties
//	/config/changes/…     {"version":2,"entity_path":"topics/t"}
//	/brokers/ids/<id>     {"features":{},"listener_security_protocol_map":{…},"endpoints":[…],"rack":"r",
//	                       "jmx_port":-1,"port":9092,"host":"h","version":5,"timestamp":"…"}
//	                      mutable.Map built from 6 pairs (16 buckets)
//	/controller           {"version":1,"brokerid":0,"timestamp":"…"}
//	/cluster/id           {"version":"1","id":"…"}
//	/feature              {"features":{},"version":1,"status":1}
//	/latest_producer_id_block {"version":1,"broker":0,"block_start":"0","block_end":"999"}

// ReplicaAssignment is one partition of the topic znode
// (kafka.controller.ReplicaAssignment): all replicas, and those being added
// or removed by a reassignment in progress.
type ReplicaAssignment struct {
	Replicas         []int32
	AddingReplicas   []int32
	RemovingReplicas []int32
}

// TopicZNode is the payload of /brokers/topics/<topic>.
type TopicZNode struct {
	// Version is the version read; Encode always writes 3, as Kafka 2.8 does.
	Version int
	// TopicID is the topic id; zero means absent (no "topic_id" field).
	TopicID    Uuid
	Partitions map[int32]ReplicaAssignment
}

// Assignment returns the replicas of each partition.
func (t TopicZNode) Assignment() Assignment {
	a := make(Assignment, len(t.Partitions))
	for p, ra := range t.Partitions {
		a[p] = ra.Replicas
	}
	return a
}

// NewTopicZNode returns a topic znode with the given assignment and no
// reassignment in progress.
func NewTopicZNode(topicID Uuid, a Assignment) TopicZNode {
	t := TopicZNode{Version: 3, TopicID: topicID, Partitions: make(map[int32]ReplicaAssignment, len(a))}
	for p, r := range a {
		t.Partitions[p] = ReplicaAssignment{Replicas: r}
	}
	return t
}

// Encode is TopicZNode.encode.
func (t TopicZNode) Encode() []byte {
	var w jsonWriter
	top := []string{"version", "partitions", "adding_replicas", "removing_replicas"}
	if !t.TopicID.IsZero() {
		top = append(top, "topic_id")
	}
	ps := make([]int32, 0, len(t.Partitions))
	for p := range t.Partitions {
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i] < ps[j] })
	w.beginObject()
	for _, k := range scalaMutableHashMapOrder(top, 8) {
		w.key(k)
		switch k {
		case "version":
			w.int(3)
		case "topic_id":
			w.str(t.TopicID.String())
		case "partitions":
			writePartitionMap(&w, t.Partitions, ps, func(ra ReplicaAssignment) []int32 { return ra.Replicas }, true)
		case "adding_replicas":
			writePartitionMap(&w, t.Partitions, ps, func(ra ReplicaAssignment) []int32 { return ra.AddingReplicas }, false)
		case "removing_replicas":
			writePartitionMap(&w, t.Partitions, ps, func(ra ReplicaAssignment) []int32 { return ra.RemovingReplicas }, false)
		}
	}
	w.endObject()
	return w.b
}

func writePartitionMap(w *jsonWriter, parts map[int32]ReplicaAssignment, ps []int32, get func(ReplicaAssignment) []int32, all bool) {
	var keys []string
	vals := make(map[string][]int32)
	for _, p := range ps {
		v := get(parts[p])
		if !all && len(v) == 0 {
			continue
		}
		k := strconv.Itoa(int(p))
		keys = append(keys, k)
		vals[k] = v
	}
	w.beginObject()
	for _, k := range scalaMutableHashMapOrder(keys, scalaDefaultHashMapLen(len(keys))) {
		w.key(k)
		w.ints(vals[k])
	}
	w.endObject()
}

// DecodeTopicZNode is TopicZNode.decode: "partitions", optional
// "adding_replicas"/"removing_replicas" (version 2+) and "topic_id"
// (version 3); the version field is not checked.
func DecodeTopicZNode(data []byte) (TopicZNode, error) {
	var raw struct {
		Version  *int                       `json:"version"`
		TopicID  *string                    `json:"topic_id"`
		Parts    map[string]json.RawMessage `json:"partitions"`
		Adding   map[string]json.RawMessage `json:"adding_replicas"`
		Removing map[string]json.RawMessage `json:"removing_replicas"`
	}
	if err := decodeJSON(data, &raw); err != nil {
		return TopicZNode{}, fmt.Errorf("%w: topic: %v", ErrInvalidZNode, err)
	}
	t := TopicZNode{Partitions: make(map[int32]ReplicaAssignment, len(raw.Parts))}
	if raw.Version != nil {
		t.Version = *raw.Version
	}
	if raw.TopicID != nil {
		id, err := ParseUuid(*raw.TopicID)
		if err != nil {
			return TopicZNode{}, fmt.Errorf("%w: topic_id: %w", ErrInvalidZNode, err)
		}
		t.TopicID = id
	}
	for k, v := range raw.Parts {
		p, err := javaParseInt(k)
		if err != nil {
			return TopicZNode{}, fmt.Errorf("%w: partition %q: %w", ErrInvalidZNode, k, err)
		}
		var ra ReplicaAssignment
		if ra.Replicas, err = decodeInts(v); err != nil {
			return TopicZNode{}, fmt.Errorf("%w: partition %q: %v", ErrInvalidZNode, k, err)
		}
		if a, ok := raw.Adding[k]; ok {
			if ra.AddingReplicas, err = decodeInts(a); err != nil {
				return TopicZNode{}, fmt.Errorf("%w: adding_replicas %q: %v", ErrInvalidZNode, k, err)
			}
		}
		if r, ok := raw.Removing[k]; ok {
			if ra.RemovingReplicas, err = decodeInts(r); err != nil {
				return TopicZNode{}, fmt.Errorf("%w: removing_replicas %q: %v", ErrInvalidZNode, k, err)
			}
		}
		t.Partitions[p] = ra
	}
	return t, nil
}

// PartitionState is the payload of /brokers/topics/<t>/partitions/<p>/state
// (LeaderIsrAndControllerEpoch) plus the znode's version.
type PartitionState struct {
	Leader          int32 // -1: none
	LeaderEpoch     int32
	ControllerEpoch int32
	ISR             []int32
	// ZkVersion is the state znode's stat version (Kafka's zkVersion /
	// partition epoch); not part of the JSON.
	ZkVersion int32
}

// Encode is TopicPartitionStateZNode.encode.
func (s PartitionState) Encode() []byte {
	var w jsonWriter
	w.beginObject()
	w.key("controller_epoch")
	w.int(int64(s.ControllerEpoch))
	w.key("leader")
	w.int(int64(s.Leader))
	w.key("version")
	w.int(1)
	w.key("leader_epoch")
	w.int(int64(s.LeaderEpoch))
	w.key("isr")
	w.ints(s.ISR)
	w.endObject()
	return w.b
}

// DecodePartitionState is TopicPartitionStateZNode.decode; zkVersion is the
// znode's stat version.
func DecodePartitionState(data []byte, zkVersion int32) (PartitionState, error) {
	var raw struct {
		Leader          *int32  `json:"leader"`
		LeaderEpoch     *int32  `json:"leader_epoch"`
		ControllerEpoch *int32  `json:"controller_epoch"`
		ISR             []int32 `json:"isr"`
	}
	if err := decodeJSON(data, &raw); err != nil {
		return PartitionState{}, fmt.Errorf("%w: partition state: %v", ErrInvalidZNode, err)
	}
	if raw.Leader == nil || raw.LeaderEpoch == nil || raw.ControllerEpoch == nil || raw.ISR == nil {
		return PartitionState{}, fmt.Errorf("%w: partition state: missing field in %s", ErrInvalidZNode, data)
	}
	return PartitionState{Leader: *raw.Leader, LeaderEpoch: *raw.LeaderEpoch, ControllerEpoch: *raw.ControllerEpoch,
		ISR: raw.ISR, ZkVersion: zkVersion}, nil
}

// EncodeEntityConfig is ConfigEntityZNode.encode: {"version":1,"config":{…}}
// with the entries in java.util.Properties order (nil means empty).
func EncodeEntityConfig(p *Props) []byte {
	var w jsonWriter
	w.beginObject()
	w.key("version")
	w.int(1)
	w.key("config")
	w.beginObject()
	for _, e := range p.entries() {
		w.key(e.key)
		w.str(e.val)
	}
	w.endObject()
	w.endObject()
	return w.b
}

// DecodeEntityConfig is ConfigEntityZNode.decode: the "config" object's
// entries, set in document order into a fresh Properties (as Kafka does).
// Empty or non-JSON data gives empty Props, as in Kafka.
func DecodeEntityConfig(data []byte) (*Props, error) {
	p := NewProps()
	if len(bytes.TrimSpace(data)) == 0 {
		return p, nil
	}
	var top map[string]json.RawMessage
	if err := decodeJSON(data, &top); err != nil {
		return p, nil
	}
	cfg, ok := top["config"]
	if !ok || !bytes.HasPrefix(bytes.TrimSpace(cfg), []byte("{")) {
		return p, nil
	}
	dec := json.NewDecoder(bytes.NewReader(cfg))
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("%w: config: %v", ErrInvalidZNode, err)
	}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("%w: config: %v", ErrInvalidZNode, err)
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("%w: config: %v", ErrInvalidZNode, err)
		}
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("%w: config %q: value is not a string", ErrInvalidZNode, kt)
		}
		p.Set(kt.(string), s)
	}
	return p, nil
}

// EncodeConfigChangeNotification is ConfigEntityChangeNotificationSequenceZNode.encode:
// {"version":2,"entity_path":"<type>/<name>"}.
func EncodeConfigChangeNotification(entityPath string) []byte {
	var w jsonWriter
	w.beginObject()
	w.key("version")
	w.int(2)
	w.key("entity_path")
	w.str(entityPath)
	w.endObject()
	return w.b
}

// ConfigChangeNotification is a /config/changes/config_change_N payload:
// version 2 names the entity by path, version 1 by type and name.
type ConfigChangeNotification struct {
	Version    int
	EntityPath string // version 2: "topics/t", "users/u/clients/c"
	EntityType string // version 2: derived; version 1: "topics" or "clients"
	EntityName string // version 2: derived; version 1: entity_name
}

// DecodeConfigChangeNotification parses a notification the way
// DynamicConfigManager does (Kafka skips non-JSON notifications; here they
// are an error wrapping ErrInvalidConfigNotification).
func DecodeConfigChangeNotification(data []byte) (ConfigChangeNotification, error) {
	var raw struct {
		Version    *int    `json:"version"`
		EntityPath *string `json:"entity_path"`
		EntityType *string `json:"entity_type"`
		EntityName *string `json:"entity_name"`
	}
	if err := decodeJSON(data, &raw); err != nil || raw.Version == nil {
		return ConfigChangeNotification{}, fmt.Errorf("%w: %s", ErrInvalidConfigNotification, data)
	}
	n := ConfigChangeNotification{Version: *raw.Version}
	switch n.Version {
	case 1:
		if raw.EntityType == nil || (*raw.EntityType != ConfigTypeTopic && *raw.EntityType != ConfigTypeClient) || raw.EntityName == nil {
			return ConfigChangeNotification{}, fmt.Errorf("%w: %s", ErrInvalidConfigNotification, data)
		}
		n.EntityType, n.EntityName = *raw.EntityType, *raw.EntityName
		n.EntityPath = n.EntityType + "/" + n.EntityName
	case 2:
		if raw.EntityPath == nil {
			return ConfigChangeNotification{}, fmt.Errorf("%w: %s", ErrInvalidConfigNotification, data)
		}
		n.EntityPath = *raw.EntityPath
		i := strings.IndexByte(n.EntityPath, '/')
		if i < 0 {
			return ConfigChangeNotification{}, fmt.Errorf("%w: %s", ErrInvalidConfigNotification, data)
		}
		n.EntityType, n.EntityName = n.EntityPath[:i], n.EntityPath[i+1:]
	default:
		return ConfigChangeNotification{}, fmt.Errorf("%w: unsupported version %d", ErrInvalidConfigNotification, n.Version)
	}
	return n, nil
}

// Endpoint is one advertised listener of a broker (kafka.cluster.EndPoint).
type Endpoint struct {
	ListenerName     string
	SecurityProtocol string // PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL
	Host             *string
	Port             int32
}

// ConnectionString is EndPoint.connectionString: LISTENER://host:port, IPv6
// hosts bracketed, a null host empty.
func (e Endpoint) ConnectionString() string {
	hostport := ":" + strconv.Itoa(int(e.Port))
	if e.Host != nil {
		if strings.Contains(*e.Host, ":") {
			hostport = "[" + *e.Host + "]:" + strconv.Itoa(int(e.Port))
		} else {
			hostport = *e.Host + ":" + strconv.Itoa(int(e.Port))
		}
	}
	return e.ListenerName + "://" + hostport
}

// VersionRange is a feature's supported [min, max] versions.
type VersionRange struct{ Min, Max int16 }

// BrokerRegistration is the payload of /brokers/ids/<id> (BrokerInfo).
type BrokerRegistration struct {
	ID        int32 // from the path, not the JSON
	Version   int   // 5 for IBP >= 2.7, 4 for 0.10.0 .. 2.6; 1..3 decoded only
	Endpoints []Endpoint
	Rack      *string
	JmxPort   int32  // -1 when JMX is off
	Timestamp string // registration time in ms, as Kafka writes it (a string)
	Features  map[string]VersionRange
}

// PlaintextEndpoint is the first PLAINTEXT endpoint, whose host and port
// Kafka repeats at the top level for old clients.
func (b BrokerRegistration) PlaintextEndpoint() (Endpoint, bool) {
	for _, e := range b.Endpoints {
		if e.SecurityProtocol == "PLAINTEXT" {
			return e, true
		}
	}
	return Endpoint{}, false
}

// Encode is BrokerIdZNode.encode for versions 4 and 5 (rack only when set,
// listener_security_protocol_map from version 4, features from version 5).
func (b BrokerRegistration) Encode() []byte {
	keys := []string{"version", "host", "port", "endpoints", "jmx_port", "timestamp"}
	if b.Rack != nil && b.Version >= 3 {
		keys = append(keys, "rack")
	}
	if b.Version >= 4 {
		keys = append(keys, "listener_security_protocol_map")
	}
	if b.Version >= 5 {
		keys = append(keys, "features")
	}
	pt, ok := b.PlaintextEndpoint()
	if !ok {
		pt = Endpoint{Port: -1}
	}
	var w jsonWriter
	w.beginObject()
	for _, k := range scalaMutableHashMapOrder(keys, 16) {
		w.key(k)
		switch k {
		case "version":
			w.int(int64(b.Version))
		case "host":
			w.optStr(pt.Host)
		case "port":
			w.int(int64(pt.Port))
		case "endpoints":
			w.beginArray()
			for _, e := range b.Endpoints {
				w.str(e.ConnectionString())
			}
			w.endArray()
		case "jmx_port":
			w.int(int64(b.JmxPort))
		case "timestamp":
			w.str(b.Timestamp)
		case "rack":
			w.str(*b.Rack)
		case "listener_security_protocol_map":
			var names []string
			proto := make(map[string]string)
			for _, e := range b.Endpoints {
				if _, dup := proto[e.ListenerName]; !dup {
					names = append(names, e.ListenerName)
				}
				proto[e.ListenerName] = e.SecurityProtocol
			}
			w.beginObject()
			for _, n := range scalaImmutableMapOrder(names) {
				w.key(n)
				w.str(proto[n])
			}
			w.endObject()
		case "features":
			writeFeatures(&w, b.Features)
		}
	}
	w.endObject()
	return w.b
}

// writeFeatures writes Features.toMap: a java.util.HashMap of feature name to
// {"min_version":a,"max_version":b}. Kafka 2.8 defines no features, so the
// map is empty in practice; non-empty maps follow HashMap bucket order.
func writeFeatures(w *jsonWriter, fs map[string]VersionRange) {
	names := make([]string, 0, len(fs))
	for n := range fs {
		names = append(names, n)
	}
	sort.Strings(names)
	w.beginObject()
	for _, n := range javaHashMapOrder(names) {
		w.key(n)
		w.beginObject()
		w.key("min_version")
		w.int(int64(fs[n].Min))
		w.key("max_version")
		w.int(int64(fs[n].Max))
		w.endObject()
	}
	w.endObject()
}

// javaHashMapOrder is the iteration order of a java.util.HashMap of default
// capacity after inserting keys in order (bucket order; a bucket keeps
// insertion order, and resizes keep it too).
func javaHashMapOrder(keys []string) []string {
	n := 16
	for len(keys) > n*3/4 {
		n *= 2
	}
	type kb struct {
		k string
		b int32
		i int
	}
	items := make([]kb, len(keys))
	for i, k := range keys {
		h := javaStringHash(k)
		items[i] = kb{k, (h ^ int32(uint32(h)>>16)) & int32(n-1), i}
	}
	sort.SliceStable(items, func(a, b int) bool { return items[a].b < items[b].b })
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.k
	}
	return out
}

// endpointPattern is EndPoint.uriParseExp.
const endpointPattern = `^(.*)://\[?([0-9a-zA-Z\-%._:]*)\]?:(-?[0-9]+)`

// ParseEndpoint is EndPoint.createEndPoint: LISTENER://host:port, the
// listener name upper-cased, its protocol from protocols (listener name →
// protocol) or, when protocols is nil, the protocol of the same name.
func ParseEndpoint(s string, protocols map[string]string) (Endpoint, error) {
	m := regexp.MustCompile(endpointPattern).FindStringSubmatch(s)
	if m == nil {
		return Endpoint{}, newErr(ErrInvalidZNode, ClassKafka, "Unable to parse %s to a broker endpoint", s)
	}
	port, err := javaParseInt(m[3])
	if err != nil {
		return Endpoint{}, err
	}
	name := strings.ToUpper(m[1])
	var proto string
	if protocols == nil {
		switch name {
		case "PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL":
			proto = name
		}
	} else {
		proto = protocols[name]
	}
	if proto == "" {
		return Endpoint{}, newErr(ErrInvalidZNode, ClassIllegalArgument, "No security protocol defined for listener %s", name)
	}
	e := Endpoint{ListenerName: name, SecurityProtocol: proto, Port: port}
	if m[2] != "" {
		h := m[2]
		e.Host = &h
	}
	return e, nil
}

// DecodeBrokerRegistration is BrokerIdZNode.decode: version 1 has host and
// port only (PLAINTEXT), 2+ endpoints (with listener_security_protocol_map
// from 4), rack from 3, features from 5.
func DecodeBrokerRegistration(id int32, data []byte) (BrokerRegistration, error) {
	var raw struct {
		Version   *int              `json:"version"`
		Host      *string           `json:"host"`
		Port      *int32            `json:"port"`
		JmxPort   *int32            `json:"jmx_port"`
		Timestamp json.RawMessage   `json:"timestamp"`
		Endpoints []string          `json:"endpoints"`
		Protocols map[string]string `json:"listener_security_protocol_map"`
		Rack      *string           `json:"rack"`
		Features  map[string]struct {
			Min int16 `json:"min_version"`
			Max int16 `json:"max_version"`
		} `json:"features"`
	}
	fail := func(err any) (BrokerRegistration, error) {
		return BrokerRegistration{}, fmt.Errorf("%w: Failed to parse ZooKeeper registration for broker %d: %s: %v",
			ErrInvalidZNode, id, data, err)
	}
	if err := decodeJSON(data, &raw); err != nil {
		return fail(err)
	}
	if raw.Version == nil || raw.JmxPort == nil {
		return fail("missing version or jmx_port")
	}
	b := BrokerRegistration{ID: id, Version: *raw.Version, JmxPort: *raw.JmxPort, Rack: raw.Rack}
	var ts string
	if json.Unmarshal(raw.Timestamp, &ts) == nil {
		b.Timestamp = ts
	} else {
		b.Timestamp = string(raw.Timestamp)
	}
	switch {
	case b.Version < 1:
		return BrokerRegistration{}, fmt.Errorf("%w: Unsupported version of broker registration: %s", ErrUnsupportedZNodeVersion, data)
	case b.Version == 1:
		if raw.Host == nil || raw.Port == nil {
			return fail("missing host or port")
		}
		b.Endpoints = []Endpoint{{ListenerName: "PLAINTEXT", SecurityProtocol: "PLAINTEXT", Host: raw.Host, Port: *raw.Port}}
	default:
		if raw.Endpoints == nil {
			return fail("missing endpoints")
		}
		var protos map[string]string
		if raw.Protocols != nil {
			protos = make(map[string]string, len(raw.Protocols))
			for k, v := range raw.Protocols {
				protos[k] = v
			}
		}
		for _, s := range raw.Endpoints {
			e, err := ParseEndpoint(s, protos)
			if err != nil {
				return fail(err)
			}
			b.Endpoints = append(b.Endpoints, e)
		}
	}
	if len(raw.Features) > 0 {
		b.Features = make(map[string]VersionRange, len(raw.Features))
		for k, v := range raw.Features {
			b.Features[k] = VersionRange{Min: v.Min, Max: v.Max}
		}
	}
	return b, nil
}

// ControllerZNode is the payload of /controller.
type ControllerZNode struct {
	BrokerID  int32
	Timestamp int64 // ms; written as a string
}

// Encode is ControllerZNode.encode: {"version":1,"brokerid":B,"timestamp":"T"}.
func (c ControllerZNode) Encode() []byte {
	var w jsonWriter
	w.beginObject()
	w.key("version")
	w.int(1)
	w.key("brokerid")
	w.int(int64(c.BrokerID))
	w.key("timestamp")
	w.str(strconv.FormatInt(c.Timestamp, 10))
	w.endObject()
	return w.b
}

// DecodeControllerZNode reads brokerid (and the timestamp when it is a number).
func DecodeControllerZNode(data []byte) (ControllerZNode, error) {
	var raw struct {
		BrokerID  *int32 `json:"brokerid"`
		Timestamp string `json:"timestamp"`
	}
	if err := decodeJSON(data, &raw); err != nil || raw.BrokerID == nil {
		return ControllerZNode{}, fmt.Errorf("%w: controller: %s", ErrInvalidZNode, data)
	}
	ts, _ := strconv.ParseInt(raw.Timestamp, 10, 64)
	return ControllerZNode{BrokerID: *raw.BrokerID, Timestamp: ts}, nil
}

// EncodeControllerEpoch is ControllerEpochZNode.encode: the epoch in ASCII.
func EncodeControllerEpoch(epoch int32) []byte { return []byte(strconv.Itoa(int(epoch))) }

// DecodeControllerEpoch is ControllerEpochZNode.decode.
func DecodeControllerEpoch(data []byte) (int32, error) {
	v, err := javaParseInt(string(data))
	if err != nil {
		return 0, fmt.Errorf("%w: controller epoch: %w", ErrInvalidZNode, err)
	}
	return v, nil
}

// EncodeClusterID is ClusterIdZNode.toJson: {"version":"1","id":"…"} (the
// version is a string).
func EncodeClusterID(id string) []byte {
	var w jsonWriter
	w.beginObject()
	w.key("version")
	w.str("1")
	w.key("id")
	w.str(id)
	w.endObject()
	return w.b
}

// DecodeClusterID is ClusterIdZNode.fromJson.
func DecodeClusterID(data []byte) (string, error) {
	var raw struct {
		ID *string `json:"id"`
	}
	if err := decodeJSON(data, &raw); err != nil || raw.ID == nil {
		return "", fmt.Errorf("%w: Failed to parse the cluster id json %s", ErrInvalidZNode, data)
	}
	return *raw.ID, nil
}

// FeatureZNode is the payload of /feature.
type FeatureZNode struct {
	Enabled  bool // status 1 (enabled) or 0 (disabled)
	Features map[string]VersionRange
}

// Encode is FeatureZNode.encode: {"features":{…},"version":1,"status":1}.
func (f FeatureZNode) Encode() []byte {
	var w jsonWriter
	w.beginObject()
	w.key("features")
	writeFeatures(&w, f.Features)
	w.key("version")
	w.int(1)
	w.key("status")
	if f.Enabled {
		w.int(1)
	} else {
		w.int(0)
	}
	w.endObject()
	return w.b
}

// DecodeFeatureZNode is FeatureZNode.decode.
func DecodeFeatureZNode(data []byte) (FeatureZNode, error) {
	var raw struct {
		Version  *int `json:"version"`
		Status   *int `json:"status"`
		Features map[string]struct {
			Min int16 `json:"min_version"`
			Max int16 `json:"max_version"`
		} `json:"features"`
	}
	if err := decodeJSON(data, &raw); err != nil {
		return FeatureZNode{}, fmt.Errorf("%w: Failed to parse feature information: %s", ErrInvalidZNode, data)
	}
	if raw.Version == nil || *raw.Version < 1 {
		return FeatureZNode{}, fmt.Errorf("%w: feature: %s", ErrUnsupportedZNodeVersion, data)
	}
	if raw.Features == nil {
		return FeatureZNode{}, fmt.Errorf("%w: Features map can not be absent in: %s", ErrInvalidZNode, data)
	}
	if raw.Status == nil || (*raw.Status != 0 && *raw.Status != 1) {
		return FeatureZNode{}, fmt.Errorf("%w: status in feature information: %s", ErrInvalidZNode, data)
	}
	f := FeatureZNode{Enabled: *raw.Status == 1, Features: make(map[string]VersionRange, len(raw.Features))}
	for k, v := range raw.Features {
		f.Features[k] = VersionRange{Min: v.Min, Max: v.Max}
	}
	return f, nil
}

// ProducerIDBlock is the payload of /latest_producer_id_block: a block of
// producer ids claimed by a broker, both ends inclusive.
type ProducerIDBlock struct {
	BrokerID   int32
	BlockStart int64
	BlockEnd   int64
}

// Encode is ProducerIdManager.generateProducerIdBlockJson:
// {"version":1,"broker":B,"block_start":"S","block_end":"E"}.
func (p ProducerIDBlock) Encode() []byte {
	var w jsonWriter
	w.beginObject()
	w.key("version")
	w.int(1)
	w.key("broker")
	w.int(int64(p.BrokerID))
	w.key("block_start")
	w.str(strconv.FormatInt(p.BlockStart, 10))
	w.key("block_end")
	w.str(strconv.FormatInt(p.BlockEnd, 10))
	w.endObject()
	return w.b
}

// DecodeProducerIDBlock is ProducerIdManager.parseProducerIdBlockData.
func DecodeProducerIDBlock(data []byte) (ProducerIDBlock, error) {
	var raw struct {
		Broker *int32  `json:"broker"`
		Start  *string `json:"block_start"`
		End    *string `json:"block_end"`
	}
	fail := func() (ProducerIDBlock, error) {
		return ProducerIDBlock{}, fmt.Errorf("%w: Failed to parse the producerId block json %s", ErrInvalidZNode, data)
	}
	if err := decodeJSON(data, &raw); err != nil || raw.Broker == nil || raw.Start == nil || raw.End == nil {
		return fail()
	}
	s, err1 := strconv.ParseInt(*raw.Start, 10, 64)
	e, err2 := strconv.ParseInt(*raw.End, 10, 64)
	if err1 != nil || err2 != nil {
		return fail()
	}
	return ProducerIDBlock{BrokerID: *raw.Broker, BlockStart: s, BlockEnd: e}, nil
}

// TopicPartition names a partition.
type TopicPartition struct {
	Topic     string
	Partition int32
}

// EncodePartitionsNotification is the payload of an ISR change notification
// and of /admin/preferred_replica_election:
// {"version":1,"partitions":[{"topic":"t","partition":0},…]} in the order given
// (Kafka writes a Scala Set's order).
func EncodePartitionsNotification(tps []TopicPartition) []byte {
	var w jsonWriter
	w.beginObject()
	w.key("version")
	w.int(1)
	w.key("partitions")
	w.beginArray()
	for _, tp := range tps {
		w.beginObject()
		w.key("topic")
		w.str(tp.Topic)
		w.key("partition")
		w.int(int64(tp.Partition))
		w.endObject()
	}
	w.endArray()
	w.endObject()
	return w.b
}

// DecodePartitionsNotification parses the "partitions" list of an ISR change
// notification or preferred replica election.
func DecodePartitionsNotification(data []byte) ([]TopicPartition, error) {
	var raw struct {
		Partitions []struct {
			Topic     *string `json:"topic"`
			Partition *int32  `json:"partition"`
		} `json:"partitions"`
	}
	if err := decodeJSON(data, &raw); err != nil || raw.Partitions == nil {
		return nil, fmt.Errorf("%w: partitions notification: %s", ErrInvalidZNode, data)
	}
	out := make([]TopicPartition, 0, len(raw.Partitions))
	for _, p := range raw.Partitions {
		if p.Topic == nil || p.Partition == nil {
			return nil, fmt.Errorf("%w: partitions notification: %s", ErrInvalidZNode, data)
		}
		out = append(out, TopicPartition{*p.Topic, *p.Partition})
	}
	return out, nil
}

// PartitionReassignment is one entry of /admin/reassign_partitions.
type PartitionReassignment struct {
	Topic     string
	Partition int32
	Replicas  []int32
}

// EncodeReassignPartitions is ReassignPartitionsZNode.encode:
// {"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1,2]}]}.
func EncodeReassignPartitions(rs []PartitionReassignment) []byte {
	var w jsonWriter
	w.beginObject()
	w.key("version")
	w.int(1)
	w.key("partitions")
	w.beginArray()
	for _, r := range rs {
		w.beginObject()
		w.key("topic")
		w.str(r.Topic)
		w.key("partition")
		w.int(int64(r.Partition))
		w.key("replicas")
		w.ints(r.Replicas)
		w.endObject()
	}
	w.endArray()
	w.endObject()
	return w.b
}

// DecodeReassignPartitions is ReassignPartitionsZNode.decode.
func DecodeReassignPartitions(data []byte) ([]PartitionReassignment, error) {
	var raw struct {
		Partitions []struct {
			Topic     string  `json:"topic"`
			Partition int32   `json:"partition"`
			Replicas  []int32 `json:"replicas"`
		} `json:"partitions"`
	}
	if err := decodeJSON(data, &raw); err != nil {
		return nil, fmt.Errorf("%w: reassign partitions: %v", ErrInvalidZNode, err)
	}
	out := make([]PartitionReassignment, 0, len(raw.Partitions))
	for _, p := range raw.Partitions {
		out = append(out, PartitionReassignment{p.Topic, p.Partition, p.Replicas})
	}
	return out, nil
}

// EncodeLogDirEvent is LogDirEventNotificationSequenceZNode.encode:
// {"version":1,"broker":B,"event":1} (1 = log dir failure).
func EncodeLogDirEvent(brokerID int32) []byte {
	var w jsonWriter
	w.beginObject()
	w.key("version")
	w.int(1)
	w.key("broker")
	w.int(int64(brokerID))
	w.key("event")
	w.int(1)
	w.endObject()
	return w.b
}

// DecodeLogDirEvent returns the broker id of a log dir event notification.
func DecodeLogDirEvent(data []byte) (int32, error) {
	var raw struct {
		Broker *int32 `json:"broker"`
	}
	if err := decodeJSON(data, &raw); err != nil || raw.Broker == nil {
		return 0, fmt.Errorf("%w: log dir event: %s", ErrInvalidZNode, data)
	}
	return *raw.Broker, nil
}

// decodeJSON unmarshals one JSON value; integers must be integers.
func decodeJSON(data []byte, v any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return fmt.Errorf("empty data")
	}
	return json.Unmarshal(data, v)
}

func decodeInts(raw json.RawMessage) ([]int32, error) {
	var v []int32
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	if v == nil {
		v = []int32{}
	}
	return v, nil
}
