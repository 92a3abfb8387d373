package commands

import (
	"io"
	"strconv"
	"strings"
)

// What kafka-topics prints, built from data gathered first (a view), so that
// every output shape is tested without a cluster.

// topicListView is what --list prints.
type topicListView struct {
	names []string
	// zk is ZooKeeper mode: one line per topic with marked-for-deletion
	// suffixes, nothing at all for no topics. Admin mode prints the names
	// joined by newlines plus one newline (so a lone empty line for none).
	zk     bool
	marked map[string]bool
}

func (v *topicListView) print(w io.Writer) {
	if !v.zk {
		io.WriteString(w, strings.Join(v.names, "\n")+"\n")
		return
	}
	for _, n := range v.names {
		if v.marked[n] {
			io.WriteString(w, n+" - marked for deletion\n")
		} else {
			io.WriteString(w, n+"\n")
		}
	}
}

// configEntry is an org.apache.kafka.clients.admin.ConfigEntry.
type configEntry struct {
	name      string
	value     *string // nil: a sensitive or null value, printed "null"
	isDefault bool    // source DEFAULT_CONFIG
}

// partitionReassignment is an ongoing reassignment of one partition.
type partitionReassignment struct {
	replicas, adding, removing []int32
}

// partitionDescription is TopicCommand.PartitionDescription's data.
type partitionDescription struct {
	partition int32
	leader    int32 // -1: no leader ("none")
	replicas  []int32
	isr       []int32
	// reassignment is set while the partition is being reassigned.
	reassignment *partitionReassignment
}

// replicationFactor is TopicCommand.getReplicationFactor: during a
// reassignment still in progress, the target replicas minus the adding ones.
func (p partitionDescription) replicationFactor() int {
	ra := p.reassignment
	if ra == nil {
		return len(p.replicas)
	}
	changing := map[int32]bool{}
	for _, r := range ra.adding {
		changing[r] = true
	}
	for _, r := range ra.removing {
		changing[r] = true
	}
	inProgress := false
	for _, r := range p.replicas {
		inProgress = inProgress || changing[r]
	}
	if !inProgress {
		return len(p.replicas)
	}
	adding := map[int32]bool{}
	for _, r := range ra.adding {
		adding[r] = true
	}
	n := 0
	for _, r := range ra.replicas {
		if !adding[r] {
			n++
		}
	}
	return n
}

// describedTopic is one topic of --describe: TopicCommand.TopicDescription
// and its partitions.
type describedTopic struct {
	name              string
	topicID           string // base64url UUID; "" for the zero UUID
	numPartitions     int
	replicationFactor int
	// configs are all entries of the topic's Config in its iteration order;
	// hasConfig is false in ZooKeeper mode for the partition filters
	// (PartitionDescription.config = None there).
	configs   []configEntry
	hasConfig bool
	// configErr is the failure of this topic's describeConfigs future,
	// raised when the loop reaches the topic.
	configErr *javaException
	marked    bool // MarkedForDeletion (ZooKeeper mode)
	// missing is ZooKeeper mode's "Topic <t> doesn't exist!" (the topic
	// vanished between listing and describing).
	missing    bool
	partitions []partitionDescription // sorted by partition
}

// describeView is what --describe prints.
type describeView struct {
	topics      []describedTopic // in print order
	liveBrokers map[int32]bool
}

// describeFilters are the report options of --describe.
type describeFilters struct {
	underReplicated, unavailable, underMinIsr, atMinIsr, overrides bool
}

// print is the describe loop of TopicCommand (DescribeOptions,
// TopicDescription.printDescription, PartitionDescription.printDescription).
// It stops with the exception Kafka would raise mid-output.
func (v *describeView) print(w io.Writer, f describeFilters) error {
	describeConfigs := !f.unavailable && !f.underReplicated && !f.underMinIsr && !f.atMinIsr
	describePartitions := !f.overrides
	for _, t := range v.topics {
		if t.missing {
			io.WriteString(w, "Topic "+t.name+" doesn't exist!\n")
			continue
		}
		if t.configErr != nil {
			return t.configErr
		}
		if describeConfigs {
			hasNonDefault := false
			for _, c := range t.configs {
				hasNonDefault = hasNonDefault || !c.isDefault
			}
			if !f.overrides || hasNonDefault {
				io.WriteString(w, t.topicLine())
			}
		}
		if !describePartitions {
			continue
		}
		for _, p := range t.partitions {
			show := describeConfigs
			if !show && f.underReplicated {
				show = p.replicationFactor()-len(p.isr) > 0
			}
			if !show && f.unavailable {
				show = p.leader < 0 || !v.liveBrokers[p.leader]
			}
			if !show && f.underMinIsr {
				if p.leader < 0 {
					show = true
				} else if min, ok, err := t.minIsr(); err != nil {
					return err
				} else {
					show = ok && len(p.isr) < min
				}
			}
			if !show && f.atMinIsr {
				min, ok, err := t.minIsr()
				if err != nil {
					return err
				}
				show = ok && len(p.isr) == min
			}
			if show {
				io.WriteString(w, t.partitionLine(p))
			}
		}
	}
	return nil
}

// minIsr is PartitionDescription.minIsrCount:
// config.map(_.get("min.insync.replicas").value.toInt).
func (t describedTopic) minIsr() (int, bool, error) {
	if !t.hasConfig {
		return 0, false, nil
	}
	for _, c := range t.configs {
		if c.name != "min.insync.replicas" {
			continue
		}
		if c.value == nil {
			return 0, false, newJavaException(jNumberFormat, "Cannot parse null string: null")
		}
		n, err := strconv.ParseInt(*c.value, 10, 32)
		if err != nil {
			return 0, false, newJavaException(jNumberFormat, `For input string: "`+*c.value+`"`)
		}
		return int(n), true, nil
	}
	return 0, false, newJavaException(jNullPointer,
		`Cannot invoke "org.apache.kafka.clients.admin.ConfigEntry.value()" because the return value of "org.apache.kafka.clients.admin.Config.get(String)" is null`)
}

func (t describedTopic) topicLine() string {
	var b strings.Builder
	b.WriteString("Topic: " + t.name)
	if t.topicID != "" {
		b.WriteString("\tTopicId: " + t.topicID)
	}
	b.WriteString("\tPartitionCount: " + strconv.Itoa(t.numPartitions))
	b.WriteString("\tReplicationFactor: " + strconv.Itoa(t.replicationFactor))
	b.WriteString("\tConfigs: ")
	first := true
	for _, c := range t.configs {
		if c.isDefault {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		v := "null"
		if c.value != nil {
			v = *c.value
		}
		b.WriteString(c.name + "=" + v)
	}
	if t.marked {
		b.WriteString("\tMarkedForDeletion: true")
	}
	b.WriteByte('\n')
	return b.String()
}

func (t describedTopic) partitionLine(p partitionDescription) string {
	var b strings.Builder
	b.WriteString("\tTopic: " + t.name)
	b.WriteString("\tPartition: " + strconv.Itoa(int(p.partition)))
	b.WriteString("\tLeader: ")
	if p.leader < 0 {
		b.WriteString("none")
	} else {
		b.WriteString(strconv.Itoa(int(p.leader)))
	}
	b.WriteString("\tReplicas: " + joinIDs(p.replicas))
	b.WriteString("\tIsr: " + joinIDs(p.isr))
	if p.reassignment != nil {
		b.WriteString("\tAdding Replicas: " + joinIDs(p.reassignment.adding))
		b.WriteString("\tRemoving Replicas: " + joinIDs(p.reassignment.removing))
	}
	if t.marked {
		b.WriteString("\tMarkedForDeletion: true")
	}
	b.WriteByte('\n')
	return b.String()
}

func joinIDs(ids []int32) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.Itoa(int(id))
	}
	return strings.Join(s, ",")
}
