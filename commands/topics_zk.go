package commands

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/go-zookeeper/zk"

	"github.com/kafkago/kafka/engine/cluster"
)

// zkTopicService is TopicCommand.ZookeeperTopicService: every action reads
// and writes Kafka's znodes directly, through engine/cluster.
type zkTopicService struct {
	env   *Env
	admin *cluster.AdminZk
	conn  *zk.Conn // nil when the service runs over a fake
}

// Kafka 2.8's kafka-topics opens its KafkaZkClient with a 30 s session
// timeout and a 30 s connection timeout.
const (
	zkSessionTimeout    = 30 * time.Second
	zkConnectionTimeout = 30 * time.Second
)

// zkQuietLogger drops go-zookeeper's log lines.
type zkQuietLogger struct{}

func (zkQuietLogger) Printf(string, ...interface{}) {}

// connectZooKeeper is what KafkaZkClient's constructor does: open a session
// to connect ("host:port,host:port[/chroot]") and wait for it up to timeout.
// Kafka then fails with ZooKeeperClientTimeoutException, uncaught.
func connectZooKeeper(ctx context.Context, connect string, timeout time.Duration) (*zk.Conn, cluster.ZK, *javaException) {
	servers, chroot := cluster.SplitConnectString(connect)
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	timedOut := newJavaException(jZkTimeout, "Timed out waiting for connection while in state: CONNECTING")
	if len(servers) == 0 {
		return nil, nil, newJavaException(jIllegalArgument, "A HostProvider may not be empty!")
	}
	conn, events, err := zk.Connect(servers, zkSessionTimeout, zk.WithLogger(zkQuietLogger{}), zk.WithLogInfo(false))
	if err != nil {
		// The Java client resolves hosts lazily and keeps retrying an
		// unresolvable one until the connection timeout.
		select {
		case <-deadline.C:
		case <-ctx.Done():
		}
		return nil, nil, timedOut
	}
	for {
		select {
		case ev := <-events:
			if ev.State == zk.StateHasSession {
				return conn, cluster.Chroot(conn, chroot), nil
			}
		case <-deadline.C:
			conn.Close()
			return nil, nil, timedOut
		case <-ctx.Done():
			conn.Close()
			return nil, nil, timedOut
		}
	}
}

func (s *zkTopicService) close() {
	if s.conn != nil {
		s.conn.Close()
	}
}

// getTopics is ZookeeperTopicService.getTopics: every topic, sorted,
// filtered by --topic.
func (s *zkTopicService) getTopics(topic string, hasTopic, excludeInternal bool) ([]string, error) {
	all, err := s.admin.Topics()
	if err != nil {
		return nil, err
	}
	return filterTopics(all, topic, hasTopic, excludeInternal)
}

// createTopic is ZookeeperTopicService.createTopic.
func (s *zkTopicService) createTopic(tp *commandTopicPartition) error {
	var err error
	if tp.replicaAssignment != nil {
		a := make(cluster.Assignment, len(tp.replicaAssignment))
		for p, r := range tp.replicaAssignment {
			a[int32(p)] = r
		}
		err = s.admin.CreateTopicWithAssignment(tp.name, tp.configsToAdd.props, a, cluster.Uuid{})
	} else {
		mode := cluster.RackAwareEnforced
		if tp.disableRackAware {
			mode = cluster.RackAwareDisabled
		}
		seed := uint64(s.env.Now().UnixNano())
		_, err = s.admin.CreateTopic(tp.name, *tp.partitions, *tp.replicationFactor, tp.configsToAdd.props, mode,
			rand.New(rand.NewPCG(seed, seed>>32|1)))
	}
	if err != nil {
		if errors.Is(err, cluster.ErrTopicExists) && tp.ifNotExists {
			return nil
		}
		return err
	}
	fmt.Fprintf(s.env.Out, "Created topic %s.\n", tp.name)
	return nil
}

// listView is ZookeeperTopicService.listTopics' data.
func (s *zkTopicService) listView(topic string, hasTopic, excludeInternal bool) (*topicListView, error) {
	names, err := s.getTopics(topic, hasTopic, excludeInternal)
	if err != nil {
		return nil, err
	}
	v := &topicListView{zk: true, names: names, marked: map[string]bool{}}
	for _, n := range names {
		marked, err := s.admin.IsTopicMarkedForDeletion(n)
		if err != nil {
			return nil, err
		}
		v.marked[n] = marked
	}
	return v, nil
}

// alterTopic is ZookeeperTopicService.alterTopic. tp is parsed after the
// topics are listed, as Kafka does.
func (s *zkTopicService) alterTopic(c *topicsCmd, topic string, ifExists, excludeInternal bool) error {
	topics, err := s.getTopics(topic, true, excludeInternal)
	if err != nil {
		return err
	}
	tp, err := c.topicPartition()
	if err != nil {
		return err
	}
	if err := ensureTopicExists(topics, topic, true, !ifExists); err != nil {
		return err
	}
	out := s.env.Out
	for _, t := range topics {
		configs, err := s.admin.TopicConfig(t)
		if err != nil {
			return err
		}
		if c.p.has("config") || c.p.has("delete-config") {
			fmt.Fprintln(out, "WARNING: Altering topic configuration from this script has been deprecated and may be removed in future releases.")
			fmt.Fprintln(out, "         Going forward, please use kafka-configs.sh for this functionality")
			configs.PutAll(tp.configsToAdd.props)
			for _, k := range tp.configsToDelete {
				configs.Remove(k)
			}
			if err := s.admin.ChangeTopicConfig(t, configs); err != nil {
				return err
			}
			fmt.Fprintf(out, "Updated config for topic %s.\n", t)
		}
		if tp.partitions != nil {
			if err := cluster.InternalTopicPartitionsError(t); err != nil {
				return err
			}
			fmt.Fprintln(out, "WARNING: If partitions are increased for a topic that has a key, the partition logic or ordering of the messages will be affected")
			manual := make(cluster.Assignment, len(tp.replicaAssignment))
			for p, r := range tp.replicaAssignment {
				manual[int32(p)] = r
			}
			if _, err := s.admin.AddPartitions(t, *tp.partitions, manual); err != nil {
				return err
			}
			fmt.Fprintln(out, "Adding partitions succeeded!")
		}
	}
	return nil
}

// describeView is ZookeeperTopicService.describeTopic's data.
func (s *zkTopicService) describeView(topic string, hasTopic, ifExists, excludeInternal bool, f describeFilters) (*describeView, error) {
	topics, err := s.getTopics(topic, hasTopic, excludeInternal)
	if err != nil {
		return nil, err
	}
	if err := ensureTopicExists(topics, topic, hasTopic, !ifExists); err != nil {
		return nil, err
	}
	brokers, err := s.admin.BrokerIDs()
	if err != nil {
		return nil, err
	}
	view := &describeView{liveBrokers: map[int32]bool{}}
	for _, b := range brokers {
		view.liveBrokers[b] = true
	}
	describeConfigs := !f.unavailable && !f.underReplicated && !f.underMinIsr && !f.atMinIsr
	for _, name := range topics {
		z, found, err := s.admin.Topic(name)
		if err != nil {
			return nil, err
		}
		dt := describedTopic{name: name}
		if !found {
			dt.missing = true
			view.topics = append(view.topics, dt)
			continue
		}
		if dt.marked, err = s.admin.IsTopicMarkedForDeletion(name); err != nil {
			return nil, err
		}
		if !z.TopicID.IsZero() {
			dt.topicID = z.TopicID.String()
		}
		if describeConfigs {
			props, err := s.admin.TopicConfig(name)
			if err != nil {
				return nil, err
			}
			values := props.Map()
			for _, k := range configEntriesOrder(props.Keys()) {
				v := values[k]
				dt.configs = append(dt.configs, configEntry{name: k, value: &v})
			}
		}
		a := z.Assignment()
		parts := a.Partitions()
		dt.numPartitions = len(parts)
		if len(parts) > 0 {
			dt.replicationFactor = len(a[parts[0]])
		}
		states, err := s.admin.PartitionStates(name, parts)
		if err != nil {
			return nil, err
		}
		for _, p := range parts {
			pd := partitionDescription{partition: p, leader: -1, replicas: a[p], isr: []int32{}}
			if st, ok := states[p]; ok {
				pd.leader, pd.isr = st.Leader, st.ISR
				if pd.leader < 0 {
					pd.leader = -1
				}
			}
			dt.partitions = append(dt.partitions, pd)
		}
		view.topics = append(view.topics, dt)
	}
	return view, nil
}

// deleteTopic is ZookeeperTopicService.deleteTopic: mark each matching topic
// for deletion, printing as it goes.
func (s *zkTopicService) deleteTopic(topic string, ifExists, excludeInternal bool) error {
	topics, err := s.getTopics(topic, true, excludeInternal)
	if err != nil {
		return err
	}
	if err := ensureTopicExists(topics, topic, true, !ifExists); err != nil {
		return err
	}
	for _, t := range topics {
		err := s.admin.MarkTopicForDeletion(t)
		switch {
		case err == nil:
			fmt.Fprintf(s.env.Out, "Topic %s is marked for deletion.\n", t)
			fmt.Fprintln(s.env.Out, "Note: This will have no impact if delete.topic.enable is not set to true.")
		case errors.Is(err, cluster.ErrTopicMarkedForDeletion):
			fmt.Fprintf(s.env.Out, "Topic %s is already marked for deletion.\n", t)
		case errors.Is(err, cluster.ErrInternalTopic):
			return err
		default:
			cause := asTopicsJavaException(err)
			return newJavaException(jAdminOperation, "Error while deleting topic "+t).withCause(cause)
		}
	}
	return nil
}
