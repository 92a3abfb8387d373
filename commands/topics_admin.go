package commands

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"net"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kafkago/kafka/config"
)

// adminTopicService is TopicCommand.AdminClientTopicService: every action
// through the Kafka protocol, as Kafka 2.8's Java AdminClient issues it.
type adminTopicService struct {
	env        *Env
	cl         *kgo.Client
	adm        *kadm.Client
	apiTimeout time.Duration // default.api.timeout.ms: the deadline of one admin call
	reqTimeout time.Duration // request.timeout.ms
	closed     *atomic.Bool  // set once closing: no more connection warnings
}

// newAdminTopicService is AdminClientTopicService.apply: the properties of
// --command-config with bootstrap.servers replaced by --bootstrap-server,
// validated as the AdminClient's constructor does. Its errors are uncaught
// in Kafka (they happen outside the action's handler).
func newAdminTopicService(env *Env, props map[string]string, bootstrap string) (*adminTopicService, *javaException) {
	props["bootstrap.servers"] = bootstrap
	// new AdminClientConfig(props): a bad value is a ConfigException.
	cfg, warnings, err := config.AdminRegistry().Build(config.MapLayer("--command-config", props))
	if err != nil {
		var es config.Errors
		if errors.As(err, &es) && len(es) > 0 {
			err = es[0].Err
		}
		return nil, newJavaException(jConfigException, err.Error())
	}
	reqMs, apiMs := cfg.RequestTimeoutMs, cfg.DefaultAPITimeoutMs
	clientID := cfg.ClientID
	if clientID == "" {
		clientID = "adminclient-1"
	}
	// From here on KafkaAdminClient.createInternal wraps every failure.
	failed := func(cause *javaException) *javaException {
		return newJavaException(jKafkaException, "Failed to create new KafkaAdminClient").withCause(cause)
	}
	addrs, jerr := parseBootstrapServers(env, props["bootstrap.servers"])
	if jerr != nil {
		return nil, failed(jerr)
	}
	if apiMs < reqMs {
		if _, explicit := props["default.api.timeout.ms"]; explicit {
			return nil, failed(newJavaException(jConfigException,
				"The specified value of default.api.timeout.ms must be no smaller than the value of request.timeout.ms."))
		}
		env.log4j("WARN", fmt.Sprintf("[AdminClient clientId=%s] Overriding the default value for default.api.timeout.ms (0) with the explicitly configured request timeout %d", clientID, reqMs),
			"org.apache.kafka.clients.admin.KafkaAdminClient")
		apiMs = reqMs
	}
	if cfg.SecurityProtocol != "PLAINTEXT" {
		return nil, failed(newJavaException(jKafkaException, "security.protocol="+cfg.SecurityProtocol+" is not supported yet (only PLAINTEXT)"))
	}
	s := &adminTopicService{
		env:        env,
		apiTimeout: time.Duration(apiMs) * time.Millisecond,
		reqTimeout: time.Duration(reqMs) * time.Millisecond,
		closed:     new(atomic.Bool),
	}
	hosts := make([]string, len(addrs))
	for i, a := range addrs {
		hosts[i] = a.hostPort
	}
	cl, err := kgo.NewClient(
		kgo.SeedBrokers(hosts...),
		kgo.ClientID(clientID),
		kgo.RequestTimeoutOverhead(s.reqTimeout),
		// The deadline of each call governs, as default.api.timeout.ms does.
		kgo.RequestRetries(math.MaxInt32),
		kgo.RetryTimeout(0),
		kgo.WithHooks(connectWarner{env: env, clientID: clientID, seeds: addrs, closed: s.closed}),
	)
	if err != nil {
		return nil, failed(newJavaException(jKafkaException, err.Error()))
	}
	s.cl = cl
	s.adm = kadm.NewClient(cl)
	// AbstractConfig.logUnused, at the end of the constructor.
	var unknown []string
	for _, w := range warnings {
		if errors.Is(w.Err, config.ErrUnknownKey) {
			unknown = append(unknown, w.Key)
		}
	}
	sort.Strings(unknown)
	for _, k := range javaHashMapOrder(unknown, javaTableSizeFor(max(int(float32(len(props))/0.75)+1, 16))) {
		env.log4j("WARN", "The configuration '"+k+"' was supplied but isn't a known config.", "org.apache.kafka.clients.admin.AdminClientConfig")
	}
	return s, nil
}

func (s *adminTopicService) close() {
	s.closed.Store(true)
	s.cl.Close()
}

// bootstrapAddr is one bootstrap.servers entry as the Java client resolved it.
type bootstrapAddr struct {
	hostPort string // what we dial
	shown    string // InetSocketAddress.toString: host/ip:port
}

// parseBootstrapServers is ClientUtils.parseAndValidateAddresses: every entry
// must look like host:port, and at least one must resolve.
func parseBootstrapServers(env *Env, list string) ([]bootstrapAddr, *javaException) {
	var out []bootstrapAddr
	for _, url := range strings.Split(list, ",") {
		url = strings.TrimSpace(url)
		if url == "" {
			continue
		}
		m := hostPortRE.FindStringSubmatch(url)
		if m == nil {
			return nil, newJavaException(jConfigException, "Invalid url in bootstrap.servers: "+url)
		}
		host, port := m[1], m[2]
		// Integer.parseInt, then InetSocketAddress's range check: both
		// IllegalArgumentExceptions, reported as an invalid port.
		if n, err := strconv.ParseInt(port, 10, 32); err != nil || n > 65535 {
			return nil, newJavaException(jConfigException, "Invalid port in bootstrap.servers: "+url)
		}
		if host == "" {
			host = "localhost" // InetAddress.getByName("") is the loopback address
		}
		lctx, cancel := context.WithTimeout(env.Ctx, 10*time.Second)
		ips, err := net.DefaultResolver.LookupIPAddr(lctx, host)
		cancel()
		if err != nil || len(ips) == 0 {
			env.log4j("WARN", "Couldn't resolve server "+url+" from bootstrap.servers as DNS resolution failed for "+host,
				"org.apache.kafka.clients.ClientUtils")
			continue
		}
		ip := ips[0].IP
		for _, a := range ips {
			if a.IP.To4() != nil {
				ip = a.IP
				break
			}
		}
		shownHost := host
		if net.ParseIP(host) != nil {
			shownHost = ""
		}
		ipText := ip.String()
		if ip.To4() == nil {
			ipText = "[" + ipText + "]"
		}
		out = append(out, bootstrapAddr{
			hostPort: net.JoinHostPort(host, port),
			shown:    shownHost + "/" + ipText + ":" + port,
		})
	}
	if len(out) == 0 {
		return nil, newJavaException(jConfigException, "No resolvable bootstrap urls given in bootstrap.servers")
	}
	return out, nil
}

// connectWarner logs what the Java NetworkClient logs when a connection to a
// bootstrap broker fails.
type connectWarner struct {
	env      *Env
	clientID string
	seeds    []bootstrapAddr
	closed   *atomic.Bool
}

func (w connectWarner) OnBrokerConnect(meta kgo.BrokerMetadata, _ time.Duration, _ net.Conn, err error) {
	if err == nil || errors.Is(err, context.Canceled) || w.closed.Load() {
		return
	}
	node := meta.NodeID
	shown := net.JoinHostPort(meta.Host, strconv.Itoa(int(meta.Port)))
	if i := int(meta.NodeID - math.MinInt32); i >= 0 && i < len(w.seeds) {
		node, shown = int32(-(i + 1)), w.seeds[i].shown
	}
	w.env.log4j("WARN", fmt.Sprintf("[AdminClient clientId=%s] Connection to node %d (%s) could not be established. Broker may not be available.", w.clientID, node, shown),
		"org.apache.kafka.clients.NetworkClient")
}

// call runs one admin call (named as the Java AdminClient names it) with the
// default.api.timeout.ms deadline, and reports its failure as Java would.
// Network failures (an unreachable broker, a dropped connection) are
// retried with the Java client's reconnect backoff (50 ms doubling to 1 s)
// until the deadline, as the Java client keeps waiting for a node.
func (s *adminTopicService) call(name string, fn func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(s.env.Ctx, s.apiTimeout)
	defer cancel()
	backoff := 50 * time.Millisecond
	for {
		err := fn(ctx)
		if err == nil {
			return nil
		}
		if ctx.Err() == context.DeadlineExceeded && s.env.Ctx.Err() == nil {
			return topicsException(context.DeadlineExceeded, name)
		}
		if !retriableNetworkError(err) {
			return topicsException(err, name)
		}
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
		case <-t.C:
		}
		backoff = min(2*backoff, time.Second)
	}
}

// retriableNetworkError reports whether err is a connection failure rather
// than an answer: not a Kafka error code, not a Java exception, not the end
// of the caller's context.
func retriableNetworkError(err error) bool {
	var je *javaException
	var ke *kerr.Error
	switch {
	case errors.As(err, &je), errors.As(err, &ke):
		return false
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return false
	case strings.Contains(err.Error(), "broker is too old"):
		return false
	}
	return true
}

// requestTimeoutMs is the TimeoutMillis the Java client puts in a request:
// request.timeout.ms, or less when the call's deadline is nearer.
func (s *adminTopicService) requestTimeoutMs(ctx context.Context) int32 {
	t := s.reqTimeout
	if dl, ok := ctx.Deadline(); ok {
		if left := time.Until(dl); left < t {
			t = left
		}
	}
	return int32(t / time.Millisecond)
}

// metadataTopic is one topic of a Metadata response as the Java client's
// Cluster sees it.
type metadataTopic struct {
	name       string
	id         [16]byte
	internal   bool
	errCode    int16
	partitions []kmsg.MetadataResponseTopicPartition
}

// metadata issues a Metadata request for topics (all when nil) and returns
// the topics and the broker ids.
func (s *adminTopicService) metadata(ctx context.Context, topics []string) ([]metadataTopic, map[int32]bool, error) {
	req := kmsg.NewPtrMetadataRequest()
	req.AllowAutoTopicCreation = false
	if topics != nil {
		req.Topics = []kmsg.MetadataRequestTopic{}
		for _, t := range topics {
			rt := kmsg.NewMetadataRequestTopic()
			rt.Topic = kmsg.StringPtr(t)
			req.Topics = append(req.Topics, rt)
		}
	}
	resp, err := req.RequestWith(ctx, s.cl)
	if err != nil {
		return nil, nil, err
	}
	brokers := map[int32]bool{}
	for _, b := range resp.Brokers {
		brokers[b.NodeID] = true
	}
	var out []metadataTopic
	for _, t := range resp.Topics {
		if t.Topic == nil {
			continue
		}
		out = append(out, metadataTopic{name: *t.Topic, id: t.TopicID, internal: t.IsInternal, errCode: t.ErrorCode, partitions: t.Partitions})
	}
	return out, brokers, nil
}

// getTopics is AdminClientTopicService.getTopics: listTopics (internal topics
// included unless excluded), sorted, filtered by --topic.
func (s *adminTopicService) getTopics(topic string, hasTopic, excludeInternal bool) ([]string, error) {
	var names []string
	err := s.call("listTopics", func(ctx context.Context) error {
		topics, _, err := s.metadata(ctx, nil)
		if err != nil {
			return err
		}
		for _, t := range topics {
			// Cluster.topics(): topics without error that have partitions.
			if t.errCode != 0 || len(t.partitions) == 0 {
				continue
			}
			if t.internal && excludeInternal {
				continue
			}
			names = append(names, t.name)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	return filterTopics(names, topic, hasTopic, excludeInternal)
}

// createTopic is AdminClientTopicService.createTopic.
func (s *adminTopicService) createTopic(tp *commandTopicPartition) error {
	if tp.replicationFactor != nil && (*tp.replicationFactor > math.MaxInt16 || *tp.replicationFactor < 1) {
		return newJavaException(jIllegalArgument, "The replication factor must be between 1 and 32767 inclusive")
	}
	if tp.partitions != nil && *tp.partitions < 1 {
		return newJavaException(jIllegalArgument, "The partitions must be greater than 0")
	}
	if tp.name == "" {
		return newJavaException(kafkaErrorClass("InvalidTopicException"), "The given topic name '' cannot be represented in a request.")
	}
	rt := kmsg.NewCreateTopicsRequestTopic()
	rt.Topic = tp.name
	rt.NumPartitions = -1
	rt.ReplicationFactor = -1
	if tp.replicaAssignment != nil {
		for p, replicas := range tp.replicaAssignment {
			a := kmsg.NewCreateTopicsRequestTopicReplicaAssignment()
			a.Partition = int32(p)
			a.Replicas = replicas
			rt.ReplicaAssignment = append(rt.ReplicaAssignment, a)
		}
	} else {
		if tp.partitions != nil {
			rt.NumPartitions = *tp.partitions
		}
		if tp.replicationFactor != nil {
			rt.ReplicationFactor = int16(*tp.replicationFactor)
		}
	}
	for _, k := range tp.configsToAdd.keys {
		c := kmsg.NewCreateTopicsRequestTopicConfig()
		c.Name = k
		c.Value = kmsg.StringPtr(tp.configsToAdd.values[k])
		rt.Configs = append(rt.Configs, c)
	}
	err := s.call("createTopics", func(ctx context.Context) error {
		req := kmsg.NewPtrCreateTopicsRequest()
		req.TimeoutMillis = s.requestTimeoutMs(ctx)
		req.Topics = append(req.Topics, rt)
		resp, err := req.RequestWith(ctx, s.cl)
		if err != nil {
			return err
		}
		for _, t := range resp.Topics {
			if t.Topic == tp.name && t.ErrorCode != 0 {
				return apiException(t.ErrorCode, t.ErrorMessage)
			}
		}
		return nil
	})
	if err != nil {
		var je *javaException
		if errors.As(err, &je) && je.class == jTopicExists && tp.ifNotExists {
			return nil
		}
		return err
	}
	fmt.Fprintf(s.env.Out, "Created topic %s.\n", tp.name)
	return nil
}

// listView is AdminClientTopicService.listTopics' data.
func (s *adminTopicService) listView(topic string, hasTopic, excludeInternal bool) (*topicListView, error) {
	names, err := s.getTopics(topic, hasTopic, excludeInternal)
	if err != nil {
		return nil, err
	}
	return &topicListView{names: names}, nil
}

// alterTopic is AdminClientTopicService.alterTopic: CreatePartitions for
// every matching topic (--partitions is required in this mode).
func (s *adminTopicService) alterTopic(tp *commandTopicPartition, topic string, ifExists, excludeInternal bool) error {
	topics, err := s.getTopics(topic, true, excludeInternal)
	if err != nil {
		return err
	}
	if err := ensureTopicExists(topics, topic, true, !ifExists); err != nil {
		return err
	}
	if len(topics) == 0 {
		return nil
	}
	counts := map[string]int{}
	if tp.replicaAssignment != nil {
		// describeTopics(...).values().get(topic).get().partitions().size()
		descs, err := s.describeTopics(topics)
		if err != nil {
			return err
		}
		for _, t := range topics {
			d := descs[t]
			if d.err != nil {
				return d.err
			}
			counts[t] = len(d.partitions)
		}
	}
	// The request lists the topics in the order of the Scala Map Kafka builds
	// (Map1..Map4, then a CHAMP HashMap); all().get() fails with the first
	// topic whose future failed, in response order.
	return s.call("createPartitions", func(ctx context.Context) error {
		req := kmsg.NewPtrCreatePartitionsRequest()
		req.TimeoutMillis = s.requestTimeoutMs(ctx)
		for _, t := range scalaStringMapOrder(topics) {
			rt := kmsg.NewCreatePartitionsRequestTopic()
			rt.Topic = t
			rt.Count = *tp.partitions
			if tp.replicaAssignment != nil {
				rt.Assignment = []kmsg.CreatePartitionsRequestTopicAssignment{}
				for p := counts[t]; p < len(tp.replicaAssignment); p++ {
					a := kmsg.NewCreatePartitionsRequestTopicAssignment()
					a.Replicas = tp.replicaAssignment[p]
					rt.Assignment = append(rt.Assignment, a)
				}
			}
			req.Topics = append(req.Topics, rt)
		}
		resp, err := req.RequestWith(ctx, s.cl)
		if err != nil {
			return err
		}
		for _, t := range resp.Topics {
			if t.ErrorCode != 0 {
				return apiException(t.ErrorCode, t.ErrorMessage)
			}
		}
		return nil
	})
}

// deleteTopic is AdminClientTopicService.deleteTopic: one DeleteTopics
// request for every matching topic.
func (s *adminTopicService) deleteTopic(topic string, ifExists, excludeInternal bool) error {
	topics, err := s.getTopics(topic, true, excludeInternal)
	if err != nil {
		return err
	}
	if err := ensureTopicExists(topics, topic, true, !ifExists); err != nil {
		return err
	}
	if len(topics) == 0 {
		return nil
	}
	return s.call("deleteTopics", func(ctx context.Context) error {
		req := kmsg.NewPtrDeleteTopicsRequest()
		req.TimeoutMillis = s.requestTimeoutMs(ctx)
		for _, t := range topics {
			req.TopicNames = append(req.TopicNames, t)
			rt := kmsg.NewDeleteTopicsRequestTopic()
			rt.Topic = kmsg.StringPtr(t)
			req.Topics = append(req.Topics, rt)
		}
		resp, err := req.RequestWith(ctx, s.cl)
		if err != nil {
			return err
		}
		for _, t := range resp.Topics {
			if t.ErrorCode != 0 {
				return apiException(t.ErrorCode, t.ErrorMessage)
			}
		}
		return nil
	})
}

// adminTopicDescription is a describeTopics future's outcome.
type adminTopicDescription struct {
	name       string
	id         [16]byte
	partitions []kmsg.MetadataResponseTopicPartition // sorted by partition
	brokers    map[int32]bool                        // nodes of the response, to resolve leaders
	err        *javaException
}

// describeTopics is Admin.describeTopics: one Metadata request, a result or
// an exception per topic.
func (s *adminTopicService) describeTopics(topics []string) (map[string]adminTopicDescription, error) {
	out := map[string]adminTopicDescription{}
	err := s.call("describeTopics", func(ctx context.Context) error {
		mt, brokers, err := s.metadata(ctx, topics)
		if err != nil {
			return err
		}
		byName := map[string]metadataTopic{}
		for _, t := range mt {
			byName[t.name] = t
		}
		for _, name := range topics {
			t, ok := byName[name]
			d := adminTopicDescription{name: name, brokers: brokers}
			switch {
			case ok && t.errCode != 0:
				d.err = apiException(t.errCode, nil)
			case !ok || len(t.partitions) == 0:
				d.err = newJavaException(kafkaErrorClass("UnknownTopicOrPartitionException"), "Topic "+name+" not found.")
			default:
				d.id = t.id
				d.partitions = append([]kmsg.MetadataResponseTopicPartition(nil), t.partitions...)
				sort.Slice(d.partitions, func(i, j int) bool { return d.partitions[i].Partition < d.partitions[j].Partition })
			}
			out[name] = d
		}
		return nil
	})
	return out, err
}

// topicConfigs is a describeConfigs future's outcome for one topic.
type topicConfigs struct {
	entries []configEntry // in the iteration order of the Java Config
	err     *javaException
}

// describeConfigs is Admin.describeConfigs for topics: one DescribeConfigs
// request. A failure of the whole call is reported for every topic, as each
// topic's future fails with it.
func (s *adminTopicService) describeConfigs(topics []string) map[string]topicConfigs {
	out := map[string]topicConfigs{}
	err := s.call("describeConfigs", func(ctx context.Context) error {
		req := kmsg.NewPtrDescribeConfigsRequest()
		for _, t := range topics {
			r := kmsg.NewDescribeConfigsRequestResource()
			r.ResourceType = kmsg.ConfigResourceTypeTopic
			r.ResourceName = t
			req.Resources = append(req.Resources, r)
		}
		resp, err := req.RequestWith(ctx, s.cl)
		if err != nil {
			return err
		}
		for _, r := range resp.Resources {
			if r.ResourceType != kmsg.ConfigResourceTypeTopic {
				continue
			}
			if r.ErrorCode != 0 {
				out[r.ResourceName] = topicConfigs{err: apiException(r.ErrorCode, r.ErrorMessage)}
				continue
			}
			byName := map[string]configEntry{}
			var names []string
			for _, c := range r.Configs {
				isDefault := c.Source == kmsg.ConfigSourceDefaultConfig
				if resp.Version == 0 {
					isDefault = c.IsDefault
				}
				if _, dup := byName[c.Name]; !dup {
					names = append(names, c.Name)
				}
				byName[c.Name] = configEntry{name: c.Name, value: c.Value, isDefault: isDefault}
			}
			var entries []configEntry
			for _, n := range configEntriesOrder(names) {
				entries = append(entries, byName[n])
			}
			out[r.ResourceName] = topicConfigs{entries: entries}
		}
		for _, t := range topics {
			if _, ok := out[t]; !ok {
				out[t] = topicConfigs{err: newJavaException(jKafkaException, "The server did not return the config of topic "+t)}
			}
		}
		return nil
	})
	if err != nil {
		je := topicsException(err, "")
		for _, t := range topics {
			out[t] = topicConfigs{err: je}
		}
	}
	return out
}

// reassignments is Admin.listPartitionReassignments for the partitions of
// the described topics; brokers that do not support it, or deny it, give
// none, as TopicCommand.listAllReassignments tolerates.
func (s *adminTopicService) reassignments(descs map[string]adminTopicDescription) (map[string]map[int32]partitionReassignment, error) {
	var set kadm.TopicsSet
	for _, d := range descs {
		for _, p := range d.partitions {
			set.Add(d.name, p.Partition)
		}
	}
	out := map[string]map[int32]partitionReassignment{}
	if len(set) == 0 {
		return out, nil
	}
	err := s.call("listPartitionReassignments", func(ctx context.Context) error {
		resp, err := s.adm.ListPartitionReassignments(ctx, set)
		if err != nil {
			var em *kadm.ErrAndMessage
			if errors.As(err, &em) {
				code := int16(-1)
				var ke *kerr.Error
				if errors.As(em.Err, &ke) {
					code = ke.Code
				}
				var msgp *string
				if em.ErrMessage != "" {
					msgp = &em.ErrMessage
				}
				return apiException(code, msgp)
			}
			return err
		}
		for t, ps := range resp {
			for p, r := range ps {
				if out[t] == nil {
					out[t] = map[int32]partitionReassignment{}
				}
				out[t][p] = partitionReassignment{replicas: r.Replicas, adding: r.AddingReplicas, removing: r.RemovingReplicas}
			}
		}
		return nil
	})
	if err != nil {
		je := topicsException(err, "")
		switch je.class {
		case "org.apache.kafka.common.errors.UnsupportedVersionException", "org.apache.kafka.common.errors.ClusterAuthorizationException":
			return map[string]map[int32]partitionReassignment{}, nil
		}
		return nil, err
	}
	return out, nil
}

// describeView is AdminClientTopicService.describeTopic's data, gathered in
// the order the Java admin client's futures are awaited.
func (s *adminTopicService) describeView(topic string, hasTopic, ifExists, excludeInternal bool) (*describeView, error) {
	topics, err := s.getTopics(topic, hasTopic, excludeInternal)
	if err != nil {
		return nil, err
	}
	if err := ensureTopicExists(topics, topic, hasTopic, !ifExists); err != nil {
		return nil, err
	}
	view := &describeView{}
	if len(topics) == 0 {
		return view, nil
	}
	// describeConfigs is sent first but only awaited per topic while printing.
	configs := s.describeConfigs(topics)
	err = s.call("describeCluster", func(ctx context.Context) error {
		_, brokers, err := s.metadata(ctx, []string{})
		view.liveBrokers = brokers
		return err
	})
	if err != nil {
		return nil, err
	}
	descs, err := s.describeTopics(topics)
	if err != nil {
		return nil, err
	}
	// all().get() fails with the first future that failed; the futures
	// complete in the iteration order of describeTopics' HashMap(n).
	n := len(topics)
	for _, t := range javaHashMapOrder(topics, javaHashMapLen(javaTableSizeFor(n), n)) {
		if descs[t].err != nil {
			return nil, descs[t].err
		}
	}
	reassignments, err := s.reassignments(descs)
	if err != nil {
		return nil, err
	}
	for _, name := range describeTopicsOrder(topics) {
		d := descs[name]
		cfg := configs[name]
		dt := describedTopic{name: name, configErr: cfg.err}
		if cfg.err == nil {
			dt.configs = cfg.entries
			dt.hasConfig = true
		}
		if d.id != ([16]byte{}) {
			dt.topicID = base64.RawURLEncoding.EncodeToString(d.id[:])
		}
		for _, p := range d.partitions {
			pd := partitionDescription{
				partition: p.Partition,
				leader:    -1,
				replicas:  p.Replicas,
				isr:       p.ISR,
			}
			if p.Leader >= 0 && d.brokers[p.Leader] {
				pd.leader = p.Leader
			}
			if r, ok := reassignments[name][p.Partition]; ok {
				pd.reassignment = &r
			}
			dt.partitions = append(dt.partitions, pd)
		}
		dt.numPartitions = len(dt.partitions)
		if len(dt.partitions) > 0 {
			dt.replicationFactor = dt.partitions[0].replicationFactor()
		}
		view.topics = append(view.topics, dt)
	}
	return view, nil
}

// scalaStringMapOrder is the iteration order of a Scala 2.13 immutable Map
// with the given String keys inserted in order: insertion order up to four
// keys (Map1..Map4), CHAMP order beyond.
func scalaStringMapOrder(keys []string) []string {
	if len(keys) <= 4 {
		return append([]string(nil), keys...)
	}
	hs := make([]int32, len(keys))
	for i, k := range keys {
		hs[i] = javaHash(k)
	}
	var out []string
	for _, i := range champOrder(hs) {
		out = append(out, keys[i])
	}
	return out
}
