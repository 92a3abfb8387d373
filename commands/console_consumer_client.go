package commands

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// consoleConsumer is ConsoleConsumer's ConsumerWrapper around the Java
// KafkaConsumer, on a kgo client: receive hands out one record at a time,
// polling for more with --timeout-ms as the poll timeout; cleanup commits
// what was consumed (when auto commit is on) and closes.
type consoleConsumer struct {
	env     *Env
	cl      *kgo.Client
	timeout time.Duration // < 0: wait forever
	maxPoll int

	group      string
	groupMode  bool // subscribed (topic or pattern), not assigned
	autoCommit bool
	reset      string // auto.offset.reset
	instanceID string
	// assignOffset is the offset --offset asked for in assign mode.
	assignOffset int64

	ctx    context.Context // cancelled by Ctrl-C or by a fatal error from a callback
	cancel context.CancelFunc

	buf  []*kgo.Record
	last *kgo.Record

	mu       sync.Mutex
	fatal    *throwable
	assigned map[string]map[int32]bool
	startPos map[string]map[int32]kgo.EpochOffset
}

// consoleAssignor maps partition.assignment.strategy classes to kgo's balancers.
func consoleAssignor(class string) (kgo.GroupBalancer, bool) {
	switch class {
	case "org.apache.kafka.clients.consumer.RangeAssignor":
		return kgo.RangeBalancer(), true
	case "org.apache.kafka.clients.consumer.RoundRobinAssignor":
		return kgo.RoundRobinBalancer(), true
	case "org.apache.kafka.clients.consumer.StickyAssignor":
		return kgo.StickyBalancer(), true
	case "org.apache.kafka.clients.consumer.CooperativeStickyAssignor":
		return kgo.CooperativeStickyBalancer(), true
	}
	return nil, false
}

// newConsoleConsumer is new KafkaConsumer(props) followed by the
// ConsumerWrapper's subscribe or assign+seek.
func newConsoleConsumer(env *Env, s *consoleConsumerSettings, props map[string]string) (*consoleConsumer, *throwable) {
	cc, t := ccParse(ccConsumerDefs(), props)
	if t != nil {
		return nil, t
	}
	group := cc.str("group.id")
	clientID := "consumer-" + group + "-1"
	if cc.isSet("client.id") {
		clientID = cc.str("client.id")
	}
	prefix := "[Consumer clientId=" + clientID + ", groupId=" + group + "] "
	failed := func(cause *throwable) *throwable {
		return newThrowable("org.apache.kafka.common.KafkaException", "Failed to construct kafka consumer").withCause(cause)
	}
	if group == "" {
		env.log4j("WARN", prefix+"Support for using the empty group id by consumers is deprecated and will be removed in the next major release.", "org.apache.kafka.clients.consumer.KafkaConsumer")
	}
	seeds, t := consoleResolveBootstrap(env.Ctx, env, cc.list("bootstrap.servers"))
	if t != nil {
		return nil, failed(t)
	}
	if ic := cc.list("interceptor.classes"); len(ic) > 0 {
		return nil, failed(newThrowable("org.apache.kafka.common.KafkaException", ic[0]+" ClassNotFoundException exception occurred"))
	}
	var balancers []kgo.GroupBalancer
	for _, class := range cc.list("partition.assignment.strategy") {
		b, ok := consoleAssignor(class)
		if !ok {
			return nil, failed(newThrowable("org.apache.kafka.common.KafkaException", class+" ClassNotFoundException exception occurred"))
		}
		balancers = append(balancers, b)
	}
	if len(balancers) == 0 {
		return nil, failed(newThrowable("org.apache.kafka.common.KafkaException", "Failed to construct kafka consumer"))
	}
	opts, t := consoleClientOpts(env, cc, seeds, clientID, prefix)
	if t != nil {
		return nil, failed(t)
	}
	ms := func(key string) time.Duration { return time.Duration(cc.num(key)) * time.Millisecond }
	opts = append(opts,
		kgo.FetchMaxWait(max(ms("fetch.max.wait.ms"), 10*time.Millisecond)),
		kgo.FetchMinBytes(int32(max(cc.num("fetch.min.bytes"), 1))),
		kgo.FetchMaxBytes(int32(max(cc.num("fetch.max.bytes"), 1))),
		kgo.FetchMaxPartitionBytes(int32(max(cc.num("max.partition.fetch.bytes"), 1))),
	)
	if cc.str("isolation.level") == "read_committed" {
		opts = append(opts, kgo.FetchIsolationLevel(kgo.ReadCommitted()))
	} else {
		opts = append(opts, kgo.FetchIsolationLevel(kgo.ReadUncommitted()))
	}
	if cc.boolean("allow.auto.create.topics") {
		opts = append(opts, kgo.AllowAutoTopicCreation())
	}
	if !cc.boolean("check.crcs") {
		opts = append(opts, kgo.DisableFetchCRCValidation())
	}
	if rack := cc.str("client.rack"); rack != "" {
		opts = append(opts, kgo.Rack(rack))
	}
	for _, k := range cc.unknown {
		env.log4j("WARN", "The configuration '"+k+"' was supplied but isn't a known config.", "org.apache.kafka.clients.consumer.ConsumerConfig")
	}

	c := &consoleConsumer{
		env:          env,
		timeout:      time.Duration(s.timeoutMs) * time.Millisecond,
		maxPoll:      int(cc.num("max.poll.records")),
		group:        group,
		groupMode:    !s.assign,
		autoCommit:   cc.boolean("enable.auto.commit"),
		reset:        cc.str("auto.offset.reset"),
		instanceID:   cc.str("group.instance.id"),
		assignOffset: s.offset,
		assigned:     map[string]map[int32]bool{},
		startPos:     map[string]map[int32]kgo.EpochOffset{},
	}
	if s.timeoutMs < 0 {
		c.timeout = -1
	}
	var resetOffset, startOffset kgo.Offset
	switch c.reset {
	case "earliest":
		startOffset, resetOffset = kgo.NewOffset().AtStart(), kgo.NewOffset().AtStart()
	case "latest":
		startOffset, resetOffset = kgo.NewOffset().AtEnd(), kgo.NewOffset().AtEnd()
	default:
		startOffset, resetOffset = kgo.NewOffset().AtCommitted(), kgo.NoResetOffset()
	}

	// The ConsumerWrapper: assign and seek, or subscribe.
	if s.assign {
		if ccTrim(s.topic) == "" {
			return nil, newThrowable("java.lang.IllegalArgumentException", "Topic partitions to assign to cannot have null or empty topic")
		}
		var at kgo.Offset
		switch s.offset {
		case consoleOffsetEarliest:
			at = kgo.NewOffset().AtStart()
		case consoleOffsetLatest:
			at = kgo.NewOffset().AtEnd()
		default:
			at = kgo.NewOffset().At(s.offset)
		}
		opts = append(opts,
			kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{s.topic: {s.partition: at}}),
			kgo.ConsumeResetOffset(resetOffset))
	} else {
		if s.hasTopic {
			if ccTrim(s.topic) == "" {
				return nil, newThrowable("java.lang.IllegalArgumentException", "Topic collection to subscribe to cannot contain null or empty topic")
			}
			opts = append(opts, kgo.ConsumeTopics(s.topic))
		} else {
			// Pattern.matcher(topic).matches(): the whole name must match.
			re := "^(?:" + s.pattern + ")$"
			if _, err := regexp.Compile(re); err != nil {
				return nil, newThrowable("java.util.regex.PatternSyntaxException", strings.TrimPrefix(err.Error(), "error parsing regexp: ")+" near index 0\n"+s.pattern)
			}
			opts = append(opts, kgo.ConsumeRegex(), kgo.ConsumeTopics(re))
		}
		opts = append(opts,
			kgo.ConsumerGroup(group),
			kgo.Balancers(balancers...),
			kgo.SessionTimeout(ms("session.timeout.ms")),
			kgo.HeartbeatInterval(ms("heartbeat.interval.ms")),
			kgo.RebalanceTimeout(ms("max.poll.interval.ms")),
			kgo.ConsumeStartOffset(startOffset),
			kgo.ConsumeResetOffset(resetOffset),
			kgo.OnPartitionsAssigned(c.onAssigned),
			kgo.OnPartitionsRevoked(c.onRevoked),
			kgo.OnPartitionsLost(c.onLost),
		)
		if c.instanceID != "" {
			opts = append(opts, kgo.InstanceID(c.instanceID))
		}
		if c.autoCommit {
			opts = append(opts, kgo.AutoCommitMarks(), kgo.AutoCommitInterval(max(ms("auto.commit.interval.ms"), time.Millisecond)))
		} else {
			opts = append(opts, kgo.DisableAutoCommit())
		}
	}
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return nil, failed(newThrowable("org.apache.kafka.common.KafkaException", err.Error()))
	}
	c.cl = cl
	c.ctx, c.cancel = context.WithCancel(env.Ctx)
	if c.groupMode && group == "" {
		c.setFatal(kafkaExc("InvalidGroupIdException", "The configured groupId is invalid"))
	}
	return c, nil
}

// setFatal records an exception raised off the polling goroutine; the next
// receive throws it.
func (c *consoleConsumer) setFatal(t *throwable) {
	c.mu.Lock()
	if c.fatal == nil {
		c.fatal = t
	}
	c.mu.Unlock()
	if c.cancel != nil {
		c.cancel()
	}
}

func (c *consoleConsumer) takeFatal() *throwable {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fatal
}

// onAssigned records the partitions the group gave us and where consuming
// starts in those without a committed offset, so that closing commits that
// position as the Java consumer does. With auto.offset.reset=none such a
// partition is Kafka's NoOffsetForPartitionException.
func (c *consoleConsumer) onAssigned(ctx context.Context, cl *kgo.Client, assigned map[string][]int32) {
	c.mu.Lock()
	for t, ps := range assigned {
		if c.assigned[t] == nil {
			c.assigned[t] = map[int32]bool{}
		}
		for _, p := range ps {
			c.assigned[t][p] = true
		}
	}
	c.mu.Unlock()
	if !c.autoCommit && c.reset != "none" {
		return
	}
	adm := kadm.NewClient(cl)
	topics := make([]string, 0, len(assigned))
	for t := range assigned {
		topics = append(topics, t)
	}
	committed, err := adm.FetchOffsetsForTopics(ctx, c.group, topics...)
	if err != nil {
		return
	}
	var missing []string
	uncommitted := map[string][]int32{}
	for t, ps := range assigned {
		for _, p := range ps {
			if o, ok := committed.Lookup(t, p); ok && o.Err == nil && o.At >= 0 {
				continue
			}
			uncommitted[t] = append(uncommitted[t], p)
			missing = append(missing, fmt.Sprintf("%s-%d", t, p))
		}
	}
	if len(missing) == 0 {
		return
	}
	if c.reset == "none" {
		sort.Strings(missing)
		c.setFatal(newThrowable("org.apache.kafka.clients.consumer.NoOffsetForPartitionException",
			"Undefined offset with no reset policy for partitions: ["+strings.Join(missing, ", ")+"]"))
		return
	}
	list := adm.ListEndOffsets
	if c.reset == "earliest" {
		list = adm.ListStartOffsets
	}
	listed, err := list(ctx, topics...)
	if err != nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for t, ps := range uncommitted {
		for _, p := range ps {
			if o, ok := listed.Lookup(t, p); ok && o.Err == nil && o.Offset >= 0 {
				if c.startPos[t] == nil {
					c.startPos[t] = map[int32]kgo.EpochOffset{}
				}
				c.startPos[t][p] = kgo.EpochOffset{Epoch: -1, Offset: o.Offset}
			}
		}
	}
}

// onRevoked commits the consumed positions before the partitions go, as
// the Java consumer does on a rebalance.
func (c *consoleConsumer) onRevoked(ctx context.Context, cl *kgo.Client, revoked map[string][]int32) {
	if c.autoCommit {
		c.commitPositions(ctx)
	}
	c.forget(revoked)
}

func (c *consoleConsumer) onLost(_ context.Context, _ *kgo.Client, lost map[string][]int32) {
	c.forget(lost)
}

func (c *consoleConsumer) forget(ps map[string][]int32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for t, parts := range ps {
		for _, p := range parts {
			delete(c.assigned[t], p)
			delete(c.startPos[t], p)
		}
	}
}

// commitPositions commits the position of every assigned partition: after
// the last record handed out, or where consuming started for a partition no
// record came from and that has no commit yet.
func (c *consoleConsumer) commitPositions(ctx context.Context) {
	offsets := map[string]map[int32]kgo.EpochOffset{}
	put := func(t string, p int32, o kgo.EpochOffset) {
		if offsets[t] == nil {
			offsets[t] = map[int32]kgo.EpochOffset{}
		}
		offsets[t][p] = o
	}
	for t, ps := range c.cl.MarkedOffsets() {
		for p, o := range ps {
			put(t, p, o)
		}
	}
	committed := c.cl.CommittedOffsets()
	c.mu.Lock()
	for t, ps := range c.startPos {
		for p, o := range ps {
			if _, ok := offsets[t][p]; ok {
				continue
			}
			if _, ok := committed[t][p]; ok {
				continue
			}
			if !c.assigned[t][p] {
				continue
			}
			put(t, p, o)
		}
	}
	c.mu.Unlock()
	if len(offsets) == 0 {
		return
	}
	c.cl.CommitOffsetsSync(ctx, offsets, nil)
}

// toConsoleRecord is the ConsumerRecord ConsoleConsumer hands the formatter.
func toConsoleRecord(r *kgo.Record) *consoleRecord {
	rec := &consoleRecord{
		topic:     r.Topic,
		partition: r.Partition,
		offset:    r.Offset,
		timestamp: r.Timestamp.UnixMilli(),
		tsType:    r.Attrs.TimestampType(),
		key:       r.Key,
		value:     r.Value,
	}
	if rec.tsType < 0 {
		rec.timestamp = -1
	}
	for _, h := range r.Headers {
		rec.headers = append(rec.headers, consoleHeader{key: h.Key, value: h.Value})
	}
	return rec
}

// receive is ConsumerWrapper.receive: the next record, polling for more
// when none is left. wakeup is Ctrl-C; a poll that returns nothing within
// the timeout is Kafka's TimeoutException.
func (c *consoleConsumer) receive() (rec *consoleRecord, t *throwable, wakeup bool) {
	if len(c.buf) == 0 {
		ctx, cancel := c.ctx, context.CancelFunc(func() {})
		if c.timeout >= 0 {
			ctx, cancel = context.WithTimeout(c.ctx, c.timeout)
		}
		defer cancel()
		for len(c.buf) == 0 {
			if t := c.takeFatal(); t != nil {
				return nil, t, false
			}
			if c.env.Ctx.Err() != nil {
				return nil, nil, true
			}
			if ctx.Err() != nil {
				return nil, newThrowableNoMsg("org.apache.kafka.common.errors.TimeoutException"), false
			}
			fetches := c.cl.PollRecords(ctx, c.maxPoll)
			if fetches.IsClientClosed() {
				return nil, nil, true
			}
			errs := fetches.Errors()
			for _, fe := range errs {
				if t := c.fetchError(fe); t != nil {
					return nil, t, false
				}
			}
			fetches.EachRecord(func(r *kgo.Record) { c.buf = append(c.buf, r) })
			if len(c.buf) == 0 && len(errs) > 0 {
				// Only errors the Java consumer retries: back off
				// before polling again rather than spin.
				select {
				case <-ctx.Done():
				case <-time.After(100 * time.Millisecond):
				}
			}
		}
	}
	r := c.buf[0]
	c.buf = c.buf[1:]
	c.last = r
	return toConsoleRecord(r), nil, false
}

// fetchError maps an error a poll returned to the exception the Java
// consumer's poll throws, or nil for what it retries silently.
func (c *consoleConsumer) fetchError(fe kgo.FetchError) *throwable {
	err := fe.Err
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return nil
	}
	var ke *kerr.Error
	if !errors.As(err, &ke) || kerr.IsRetriable(ke) {
		return nil
	}
	switch ke.Code {
	case kerr.OffsetOutOfRange.Code:
		offset := c.assignOffset
		return newThrowable("org.apache.kafka.clients.consumer.OffsetOutOfRangeException",
			fmt.Sprintf("Offsets out of range with no configured reset policy for partitions: {%s-%d=%d}", fe.Topic, fe.Partition, offset))
	case kerr.TopicAuthorizationFailed.Code:
		return kafkaExc("TopicAuthorizationException", "Not authorized to access topics: ["+fe.Topic+"]")
	case kerr.GroupAuthorizationFailed.Code:
		return kafkaExc("GroupAuthorizationException", "Not authorized to access group: "+c.group)
	case kerr.InvalidTopicException.Code:
		return kafkaExc("InvalidTopicException", "Invalid topics: ["+fe.Topic+"]")
	}
	return kafkaCodeThrowable(ke.Code, "")
}

// consumed marks the record last handed out as processed: closing commits
// past it (with auto commit on).
func (c *consoleConsumer) consumed(*consoleRecord) {
	if c.last != nil && c.groupMode && c.autoCommit {
		c.cl.MarkCommitRecords(c.last)
	}
}

// cleanup is ConsumerWrapper.cleanup: records fetched but not handed out
// are not committed; the consumer commits its positions (with auto commit
// on), leaves the group and closes, within Kafka's 30 s close timeout.
func (c *consoleConsumer) cleanup() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if c.groupMode && c.autoCommit && c.takeFatal() == nil {
		c.commitPositions(ctx)
	}
	if c.groupMode {
		_ = c.cl.LeaveGroupContext(ctx)
	}
	c.cl.Close()
	c.cancel()
}
