package cluster

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/go-zookeeper/zk"
)

// ZK is the part of a ZooKeeper client this package uses. *zk.Conn from
// github.com/go-zookeeper/zk satisfies it; MemZK is an in-memory fake for
// tests. Errors are go-zookeeper's sentinels (zk.ErrNoNode, zk.ErrNodeExists,
// zk.ErrBadVersion, zk.ErrNotEmpty, …).
type ZK interface {
	Get(path string) ([]byte, *zk.Stat, error)
	Set(path string, data []byte, version int32) (*zk.Stat, error)
	Create(path string, data []byte, flags int32, acl []zk.ACL) (string, error)
	Children(path string) ([]string, *zk.Stat, error)
	Exists(path string) (bool, *zk.Stat, error)
	Delete(path string, version int32) error
	// Multi runs *zk.CreateRequest, *zk.SetDataRequest, *zk.DeleteRequest and
	// *zk.CheckVersionRequest atomically; on failure the first failing op's
	// error is returned and also set in its MultiResponse.
	Multi(ops ...interface{}) ([]zk.MultiResponse, error)
}

var _ ZK = (*zk.Conn)(nil)

// AdminZk holds the operations of Kafka's KafkaZkClient and AdminZkClient
// that the tools (kafka-topics --zookeeper, kafka-configs --zookeeper) and
// the broker need, over any ZK.
type AdminZk struct {
	zk     ZK
	secure bool // zookeeper.set.acl: create znodes with secure ACLs
	log    *slog.Logger
}

// NewAdminZk returns an AdminZk over z. secure selects Kafka's secure ACLs
// for the znodes it creates (zookeeper.set.acl=true); logger may be nil.
func NewAdminZk(z ZK, secure bool, logger *slog.Logger) *AdminZk {
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &AdminZk{zk: z, secure: secure, log: logger}
}

// ZK returns the underlying client.
func (a *AdminZk) ZK() ZK { return a.zk }

func (a *AdminZk) acl(path string) []zk.ACL { return DefaultACL(a.secure, path) }

func zkErr(op, path string, err error) error {
	return fmt.Errorf("cluster: %s %s: %w", op, path, err)
}

// children returns the children of path, none if it does not exist.
func (a *AdminZk) children(path string) ([]string, error) {
	cs, _, err := a.zk.Children(path)
	if errors.Is(err, zk.ErrNoNode) {
		return nil, nil
	}
	if err != nil {
		return nil, zkErr("children", path, err)
	}
	return cs, nil
}

// PathExists is KafkaZkClient.pathExists.
func (a *AdminZk) PathExists(path string) (bool, error) {
	ok, _, err := a.zk.Exists(path)
	if err != nil {
		return false, zkErr("exists", path, err)
	}
	return ok, nil
}

// CreateRecursive is KafkaZkClient.createRecursive: create path persistent
// with data, creating missing parents with no data; an existing path is an
// error wrapping zk.ErrNodeExists only if failIfExists.
func (a *AdminZk) CreateRecursive(path string, data []byte, failIfExists bool) error {
	_, err := a.zk.Create(path, data, 0, a.acl(path))
	switch {
	case err == nil:
		return nil
	case errors.Is(err, zk.ErrNodeExists):
		if failIfExists {
			return zkErr("create", path, err)
		}
		return nil
	case !errors.Is(err, zk.ErrNoNode):
		return zkErr("create", path, err)
	}
	if err := a.createParents(parentPath(path)); err != nil {
		return err
	}
	_, err = a.zk.Create(path, data, 0, a.acl(path))
	if err != nil && (failIfExists || !errors.Is(err, zk.ErrNodeExists)) {
		return zkErr("create", path, err)
	}
	return nil
}

func (a *AdminZk) createParents(path string) error {
	if path == "" {
		return nil
	}
	_, err := a.zk.Create(path, nil, 0, a.acl(path))
	if errors.Is(err, zk.ErrNoNode) {
		if err := a.createParents(parentPath(path)); err != nil {
			return err
		}
		_, err = a.zk.Create(path, nil, 0, a.acl(path))
	}
	if err != nil && !errors.Is(err, zk.ErrNodeExists) {
		return zkErr("create", path, err)
	}
	return nil
}

func parentPath(path string) string {
	i := strings.LastIndexByte(path, '/')
	if i <= 0 {
		return ""
	}
	return path[:i]
}

// EnsurePath is makeSurePersistentPathExists: create path (and parents) with
// no data unless it exists.
func (a *AdminZk) EnsurePath(path string) error { return a.CreateRecursive(path, nil, false) }

// CreateTopLevelPaths is createTopLevelPaths: EnsurePath for every path of
// PersistentPaths, as a broker does at startup.
func (a *AdminZk) CreateTopLevelPaths() error {
	for _, p := range PersistentPaths() {
		if err := a.EnsurePath(p); err != nil {
			return err
		}
	}
	return nil
}

// Topics returns every topic under /brokers/topics, sorted.
func (a *AdminZk) Topics() ([]string, error) {
	ts, err := a.children(TopicsPath)
	if err != nil {
		return nil, err
	}
	sort.Strings(ts)
	return ts, nil
}

// TopicExists reports whether /brokers/topics/<topic> exists.
func (a *AdminZk) TopicExists(topic string) (bool, error) { return a.PathExists(TopicPath(topic)) }

// IsTopicMarkedForDeletion reports whether /admin/delete_topics/<topic> exists.
func (a *AdminZk) IsTopicMarkedForDeletion(topic string) (bool, error) {
	return a.PathExists(DeleteTopicPath(topic))
}

// TopicsMarkedForDeletion returns the children of /admin/delete_topics, sorted.
func (a *AdminZk) TopicsMarkedForDeletion() ([]string, error) {
	ts, err := a.children(DeleteTopicsPath)
	if err != nil {
		return nil, err
	}
	sort.Strings(ts)
	return ts, nil
}

// Topic reads /brokers/topics/<topic>: its assignment and topic id. found is
// false if the znode does not exist.
func (a *AdminZk) Topic(topic string) (t TopicZNode, found bool, err error) {
	data, _, err := a.zk.Get(TopicPath(topic))
	if errors.Is(err, zk.ErrNoNode) {
		return TopicZNode{}, false, nil
	}
	if err != nil {
		return TopicZNode{}, false, zkErr("get", TopicPath(topic), err)
	}
	t, err = DecodeTopicZNode(data)
	if err != nil {
		return TopicZNode{}, false, fmt.Errorf("cluster: %s: %w", TopicPath(topic), err)
	}
	return t, true, nil
}

// PartitionState reads /brokers/topics/<topic>/partitions/<p>/state; found is
// false if there is none yet (no leader elected).
func (a *AdminZk) PartitionState(topic string, partition int32) (s PartitionState, found bool, err error) {
	path := TopicPartitionStatePath(topic, partition)
	data, stat, err := a.zk.Get(path)
	if errors.Is(err, zk.ErrNoNode) {
		return PartitionState{}, false, nil
	}
	if err != nil {
		return PartitionState{}, false, zkErr("get", path, err)
	}
	s, err = DecodePartitionState(data, stat.Version)
	if err != nil {
		return PartitionState{}, false, fmt.Errorf("cluster: %s: %w", path, err)
	}
	return s, true, nil
}

// PartitionStates reads the state of each listed partition; partitions with
// no state znode are absent from the result.
func (a *AdminZk) PartitionStates(topic string, partitions []int32) (map[int32]PartitionState, error) {
	out := make(map[int32]PartitionState, len(partitions))
	for _, p := range partitions {
		s, ok, err := a.PartitionState(topic, p)
		if err != nil {
			return nil, err
		}
		if ok {
			out[p] = s
		}
	}
	return out, nil
}

// EntityConfig is getEntityConfigs: the overrides in /config/<type>/<name>,
// empty if the znode does not exist.
func (a *AdminZk) EntityConfig(entityType, name string) (*Props, error) {
	path := ConfigEntityPath(entityType, name)
	data, _, err := a.zk.Get(path)
	if errors.Is(err, zk.ErrNoNode) {
		return NewProps(), nil
	}
	if err != nil {
		return nil, zkErr("get", path, err)
	}
	p, err := DecodeEntityConfig(data)
	if err != nil {
		return nil, fmt.Errorf("cluster: %s: %w", path, err)
	}
	return p, nil
}

// TopicConfig returns the topic's config overrides (/config/topics/<topic>).
func (a *AdminZk) TopicConfig(topic string) (*Props, error) {
	return a.EntityConfig(ConfigTypeTopic, topic)
}

// BrokerIDs returns the ids under /brokers/ids, sorted (getSortedBrokerList).
func (a *AdminZk) BrokerIDs() ([]int32, error) {
	names, err := a.children(BrokerIDsPath)
	if err != nil {
		return nil, err
	}
	ids := make([]int32, 0, len(names))
	for _, n := range names {
		id, err := javaParseInt(n)
		if err != nil {
			return nil, fmt.Errorf("cluster: %s/%s: %w", BrokerIDsPath, n, err)
		}
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids, nil
}

// Brokers is getAllBrokersInCluster: the registration of every live broker,
// by id; a broker that vanished between the listing and the read is skipped.
func (a *AdminZk) Brokers() ([]BrokerRegistration, error) {
	ids, err := a.BrokerIDs()
	if err != nil {
		return nil, err
	}
	out := make([]BrokerRegistration, 0, len(ids))
	for _, id := range ids {
		path := BrokerIDPath(id)
		data, _, err := a.zk.Get(path)
		if errors.Is(err, zk.ErrNoNode) {
			continue
		}
		if err != nil {
			return nil, zkErr("get", path, err)
		}
		b, err := DecodeBrokerRegistration(id, data)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// BrokerMetadatas is AdminZkClient.getBrokerMetadatas: the live brokers,
// sorted by id, with racks as mode allows. With RackAwareEnforced, a cluster
// where only some brokers have a rack is an error.
func (a *AdminZk) BrokerMetadatas(mode RackAwareMode) ([]BrokerMetadata, error) {
	brokers, err := a.Brokers()
	if err != nil {
		return nil, err
	}
	withRack := 0
	for _, b := range brokers {
		if b.Rack != nil {
			withRack++
		}
	}
	if mode == RackAwareEnforced && withRack > 0 && withRack < len(brokers) {
		return nil, newErr(ErrAdminOperation, ClassAdminOperation,
			"Not all brokers have rack information. Add --disable-rack-aware in command line to make replica assignment without rack information.")
	}
	useRack := mode != RackAwareDisabled && !(mode == RackAwareSafe && withRack < len(brokers))
	out := make([]BrokerMetadata, len(brokers))
	for i, b := range brokers {
		out[i] = BrokerMetadata{ID: b.ID}
		if useRack {
			out[i].Rack = b.Rack
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// ValidateTopicCreate is AdminZkClient.validateTopicCreate without the config
// check (config values are validated by package config): the name, that the
// topic does not exist, that it does not collide with an existing topic, and
// that the assignment is well formed.
func (a *AdminZk) ValidateTopicCreate(topic string, assignment Assignment) error {
	if err := ValidateTopicName(topic); err != nil {
		return err
	}
	exists, err := a.TopicExists(topic)
	if err != nil {
		return err
	}
	if exists {
		return TopicExistsError(topic)
	}
	if HasCollisionChars(topic) {
		all, err := a.children(TopicsPath)
		if err != nil {
			return err
		}
		for _, t := range all {
			if t == topic {
				return TopicExistsError(topic)
			}
		}
		if c := CollidingTopics(topic, all); len(c) > 0 {
			return CollisionError(topic, c)
		}
	}
	return ValidateAssignmentForCreate(assignment)
}

// CreateTopic is AdminZkClient.createTopic as kafka-topics --zookeeper runs it:
// assign partitions*replicationFactor replicas over the live brokers (rack
// handling per mode, start index and shift from rnd, or from crypto/rand if
// rnd is nil), then
// CreateTopicWithAssignment without a topic id. It returns the assignment.
func (a *AdminZk) CreateTopic(topic string, partitions, replicationFactor int32, config *Props, mode RackAwareMode, rnd *rand.Rand) (Assignment, error) {
	brokers, err := a.BrokerMetadatas(mode)
	if err != nil {
		return nil, err
	}
	assignment, err := AssignReplicasToBrokers(brokers, partitions, replicationFactor, AssignOptions{FixedStartIndex: -1, StartPartitionID: -1, Rand: rnd})
	if err != nil {
		return nil, err
	}
	if err := a.CreateTopicWithAssignment(topic, config, assignment, Uuid{}); err != nil {
		return nil, err
	}
	return assignment, nil
}

// CreateTopicWithAssignment is AdminZkClient.createTopicWithAssignment:
// validate, write the config to /config/topics/<topic> (setData, or create
// with parents if missing; not atomic with the next step), then create
// /brokers/topics/<topic> (version 3, with topic_id only if topicID is not
// zero; the tool passes none). No config change notification is written.
// An existing topic is ErrTopicExists ("Topic 'test' already exists.").
func (a *AdminZk) CreateTopicWithAssignment(topic string, config *Props, assignment Assignment, topicID Uuid) error {
	if err := a.ValidateTopicCreate(topic, assignment); err != nil {
		return err
	}
	a.log.Info("Creating topic", "topic", topic, "config", config.Map(), "assignment", assignment)
	if err := a.SetOrCreateEntityConfig(ConfigTypeTopic, topic, config); err != nil {
		return err
	}
	data := NewTopicZNode(topicID, assignment).Encode()
	if err := a.CreateRecursive(TopicPath(topic), data, true); err != nil {
		if errors.Is(err, zk.ErrNodeExists) {
			return TopicExistsError(topic)
		}
		return err
	}
	return nil
}

// SetOrCreateEntityConfig is setOrCreateEntityConfigs: setData on
// /config/<type>/<name>; if missing, create it with parents; if that races
// with a creation, setData again.
func (a *AdminZk) SetOrCreateEntityConfig(entityType, name string, config *Props) error {
	path := ConfigEntityPath(entityType, name)
	data := EncodeEntityConfig(config)
	_, err := a.zk.Set(path, data, MatchAnyVersion)
	if err == nil {
		return nil
	}
	if !errors.Is(err, zk.ErrNoNode) {
		return zkErr("set", path, err)
	}
	err = a.CreateRecursive(path, data, true)
	if errors.Is(err, zk.ErrNodeExists) {
		if _, err := a.zk.Set(path, data, MatchAnyVersion); err != nil {
			return zkErr("set", path, err)
		}
		return nil
	}
	return err
}

// CreateConfigChangeNotification is createConfigChangeNotification: make sure
// /config/changes exists, then create a persistent sequential
// /config/changes/config_change_<seq> holding {"version":2,"entity_path":…}.
// It returns the created path.
func (a *AdminZk) CreateConfigChangeNotification(entityPath string) (string, error) {
	if err := a.EnsurePath(ConfigChangesPath); err != nil {
		return "", err
	}
	p, err := a.zk.Create(ConfigChangeCreatePath, EncodeConfigChangeNotification(entityPath), zk.FlagSequence, a.acl(ConfigChangeCreatePath))
	if err != nil {
		return "", zkErr("create", ConfigChangeCreatePath, err)
	}
	return p, nil
}

// ChangeEntityConfig is AdminZkClient.changeEntityConfig: write the full config
// of an entity, then notify brokers with a config change notification for
// "<type>/<name>". Values are not validated here.
func (a *AdminZk) ChangeEntityConfig(entityType, name string, config *Props) error {
	if err := a.SetOrCreateEntityConfig(entityType, name, config); err != nil {
		return err
	}
	_, err := a.CreateConfigChangeNotification(entityType + "/" + name)
	return err
}

// ChangeTopicConfig is AdminZkClient.changeTopicConfig: config is the topic's
// complete new set of overrides (already validated). The topic must exist
// (ErrUnknownTopic, "Topic 'x' does not exist.").
func (a *AdminZk) ChangeTopicConfig(topic string, config *Props) error {
	if err := ValidateTopicName(topic); err != nil {
		return err
	}
	exists, err := a.TopicExists(topic)
	if err != nil {
		return err
	}
	if !exists {
		return newErr(ErrUnknownTopic, ClassUnknownTopicOrPartition, "Topic '%s' does not exist.", topic)
	}
	return a.ChangeEntityConfig(ConfigTypeTopic, topic, config)
}

// InternalTopicPartitionsError is the error kafka-topics --zookeeper --alter
// --partitions raises for an internal topic, or nil for any other topic.
func InternalTopicPartitionsError(topic string) error {
	if !IsInternalTopic(topic) {
		return nil
	}
	return newErr(ErrInternalTopic, ClassIllegalArgument,
		"The number of partitions for the internal topic %s cannot be changed.", topic)
}

// AddPartitions grows topic to numPartitions the way kafka-topics --zookeeper
// --alter --partitions does: refuse internal topics, read the current
// assignment (ErrInvalidTopic "The topic t does not exist" if none), take the
// entries of manual beyond the existing partitions (manual is the full
// --replica-assignment, partition 0 first), assign automatically over the
// live brokers if that leaves nothing (racks enforced), and setData the
// topic znode with the old partitions (reassignment state kept), the new
// ones and the topic id it has. It returns the complete new assignment.
func (a *AdminZk) AddPartitions(topic string, numPartitions int32, manual Assignment) (Assignment, error) {
	if err := InternalTopicPartitionsError(topic); err != nil {
		return nil, err
	}
	t, found, err := a.Topic(topic)
	if err != nil {
		return nil, err
	}
	if !found || len(t.Partitions) == 0 {
		return nil, newErr(ErrInvalidTopic, ClassInvalidTopic, "The topic %s does not exist", topic)
	}
	var extra Assignment
	if len(manual) > len(t.Partitions) {
		extra = make(Assignment)
		for i, p := range manual.Partitions() {
			if i >= len(t.Partitions) {
				extra[p] = manual[p]
			}
		}
	}
	brokers, err := a.BrokerMetadatas(RackAwareEnforced)
	if err != nil {
		return nil, err
	}
	added, err := NewPartitionsAssignment(topic, t.Partitions, brokers, numPartitions, extra)
	if err != nil {
		return nil, err
	}
	return a.CreatePartitionsWithAssignment(topic, t.Partitions, added)
}

// CreatePartitionsWithAssignment is AdminZkClient.createPartitionsWithAssignment:
// write existing plus added to the topic znode (setData, any version),
// keeping the topic id the znode has now. It returns the combined assignment.
func (a *AdminZk) CreatePartitionsWithAssignment(topic string, existing map[int32]ReplicaAssignment, added Assignment) (Assignment, error) {
	a.log.Info("Creating partitions", "topic", topic, "count", len(added), "assignment", added)
	combined := make(map[int32]ReplicaAssignment, len(existing)+len(added))
	for p, ra := range existing {
		combined[p] = ra
	}
	for p, r := range added {
		combined[p] = ReplicaAssignment{Replicas: r}
	}
	cur, _, err := a.Topic(topic)
	if err != nil {
		return nil, err
	}
	z := TopicZNode{Version: 3, TopicID: cur.TopicID, Partitions: combined}
	if _, err := a.zk.Set(TopicPath(topic), z.Encode(), MatchAnyVersion); err != nil {
		return nil, zkErr("set", TopicPath(topic), err)
	}
	return z.Assignment(), nil
}

// MarkTopicForDeletion does what kafka-topics --zookeeper --delete does for
// one topic: refuse internal topics (ErrInternalTopic, "Topic
// __consumer_offsets is a kafka internal topic and is not allowed to be marked
// for deletion."), then create /admin/delete_topics/<topic> (with parents).
// If it already exists the error is ErrTopicMarkedForDeletion whose message,
// "Topic t is already marked for deletion.", the tool prints to stdout before
// going on. Existence of the topic is not checked (the tool checks first).
func (a *AdminZk) MarkTopicForDeletion(topic string) error {
	if IsInternalTopic(topic) {
		return newErr(ErrInternalTopic, ClassAdminOperation,
			"Topic %s is a kafka internal topic and is not allowed to be marked for deletion.", topic)
	}
	err := a.CreateRecursive(DeleteTopicPath(topic), nil, true)
	if errors.Is(err, zk.ErrNodeExists) {
		return newErr(ErrTopicMarkedForDeletion, ClassNodeExists, "Topic %s is already marked for deletion.", topic)
	}
	return err
}

// ClusterID reads /cluster/id; found is false if it does not exist.
func (a *AdminZk) ClusterID() (id string, found bool, err error) {
	data, _, err := a.zk.Get(ClusterIDPath)
	if errors.Is(err, zk.ErrNoNode) {
		return "", false, nil
	}
	if err != nil {
		return "", false, zkErr("get", ClusterIDPath, err)
	}
	id, err = DecodeClusterID(data)
	if err != nil {
		return "", false, err
	}
	return id, true, nil
}

// CreateOrGetClusterID is createOrGetClusterId: create /cluster/id with
// proposed, or return the id already there.
func (a *AdminZk) CreateOrGetClusterID(proposed string) (string, error) {
	err := a.CreateRecursive(ClusterIDPath, EncodeClusterID(proposed), true)
	if err == nil {
		return proposed, nil
	}
	if !errors.Is(err, zk.ErrNodeExists) {
		return "", err
	}
	id, found, err := a.ClusterID()
	if err != nil {
		return "", err
	}
	if !found {
		return "", fmt.Errorf("%w: Failed to get cluster id from Zookeeper. This can happen if /cluster/id is deleted from Zookeeper.", ErrInvalidZNode)
	}
	return id, nil
}
