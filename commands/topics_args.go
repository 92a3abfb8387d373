package commands

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/kafkago/kafka/config"
	"github.com/kafkago/kafka/engine/cluster"
)

// commandTopicPartition is TopicCommand.CommandTopicPartition: the topic
// options of a create or alter, parsed in the order of its constructor.
type commandTopicPartition struct {
	name              string
	partitions        *int32
	replicationFactor *int32
	// replicaAssignment is the parsed --replica-assignment, partition i at
	// index i; nil when absent or empty.
	replicaAssignment [][]int32
	configsToAdd      *orderedProps
	configsToDelete   []string
	disableRackAware  bool
	ifNotExists       bool
}

// orderedProps is a java.util.Properties built from --config: values and
// the key iteration order Java would use (cluster.Props).
type orderedProps struct {
	props  *cluster.Props
	keys   []string
	values map[string]string
}

func newOrderedProps(p *cluster.Props) *orderedProps {
	o := &orderedProps{props: p, keys: p.Keys(), values: p.Map()}
	return o
}

// topicPartition evaluates `new CommandTopicPartition(opts)`. Every failure
// is an exception inside the action (reported as "Error while executing
// topic command").
func (c *topicsCmd) topicPartition() (*commandTopicPartition, error) {
	p := c.p
	tp := &commandTopicPartition{ifNotExists: p.has("if-not-exists"), disableRackAware: p.has("disable-rack-aware")}
	var err error
	if tp.name, err = p.str("topic"); err != nil {
		return nil, err
	}
	if v, ok, err := p.intOf("partitions"); err != nil {
		return nil, err
	} else if ok {
		tp.partitions = &v
	}
	if v, ok, err := p.intOf("replication-factor"); err != nil {
		return nil, err
	} else if ok {
		tp.replicationFactor = &v
	}
	if p.has("replica-assignment") {
		s, err := p.str("replica-assignment")
		if err != nil {
			return nil, err
		}
		if s != "" {
			a, err := cluster.ParseReplicaAssignment(s)
			if err != nil {
				return nil, err
			}
			tp.replicaAssignment = make([][]int32, len(a))
			for part, replicas := range a {
				tp.replicaAssignment[part] = replicas
			}
		}
	}
	if tp.configsToAdd, err = c.configsToBeAdded(); err != nil {
		return nil, err
	}
	if tp.configsToDelete, err = c.configsToBeDeleted(); err != nil {
		return nil, err
	}
	return tp, nil
}

// configSplitRE is the regex of parseTopicConfigsToBeAdded's split.
// Java's \s also matches \x0B, which RE2's does not.
var configSplitRE = regexp.MustCompile(`[ \t\n\x0B\f\r]*=[ \t\n\x0B\f\r]*`)

// javaRegexSplit is String.split(regex) with limit 0: a leading empty piece
// is kept only for a match of positive width, trailing empty pieces are
// dropped, and no match at all yields the input itself.
func javaRegexSplit(s string, re *regexp.Regexp) []string {
	locs := re.FindAllStringIndex(s, -1)
	if len(locs) == 0 {
		return []string{s}
	}
	var parts []string
	start := 0
	for _, l := range locs {
		if l[1] == 0 && l[0] == 0 {
			continue
		}
		parts = append(parts, s[start:l[0]])
		start = l[1]
	}
	parts = append(parts, s[start:])
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

// configsToBeAdded is TopicCommand.parseTopicConfigsToBeAdded: every
// --config split around '=', trimmed, validated as LogConfig.validate does;
// a message.format.version override prints a warning.
func (c *topicsCmd) configsToBeAdded() (*orderedProps, error) {
	var pairs [][]string
	for _, v := range c.p.values["config"] {
		pairs = append(pairs, javaRegexSplit(v, configSplitRE))
	}
	for _, pair := range pairs {
		if len(pair) != 2 {
			return nil, newJavaException(jIllegalArgument,
				`requirement failed: Invalid topic config: all configs to be added must be in the format "key=val".`)
		}
	}
	props := cluster.NewProps()
	for _, pair := range pairs {
		props.Set(javaTrim(pair[0]), javaTrim(pair[1]))
	}
	o := newOrderedProps(props)
	if err := validateTopicConfigNames(o.keys); err != nil {
		return nil, err
	}
	if err := validateTopicConfigValues(o.values); err != nil {
		return nil, err
	}
	if v, ok := o.values["message.format.version"]; ok {
		fmt.Fprintf(c.env.Out, "WARNING: The configuration message.format.version=%s is specified. "+
			"This configuration will be ignored if the version is newer than the inter.broker.protocol.version specified in the broker.\n", v)
	}
	return o, nil
}

// configsToBeDeleted is TopicCommand.parseTopicConfigsToBeDeleted.
func (c *topicsCmd) configsToBeDeleted() ([]string, error) {
	var names []string
	props := cluster.NewProps()
	for _, v := range c.p.values["delete-config"] {
		n := javaTrim(v)
		names = append(names, n)
		props.Set(n, "")
	}
	if err := validateTopicConfigNames(props.Keys()); err != nil {
		return nil, err
	}
	return names, nil
}

// validateTopicConfigNames is LogConfig.validateNames over keys in the
// iteration order of the Properties.
func validateTopicConfigNames(keys []string) error {
	r := config.TopicRegistry()
	for _, k := range keys {
		if !r.Known(k) {
			return newJavaException(jInvalidConfiguration, "Unknown topic config name: "+k)
		}
	}
	return nil
}

// validateTopicConfigValues is the rest of LogConfig.validate: each value
// parsed and checked (ConfigDef.parse, in definition order), then the
// min/max compaction lag check.
func validateTopicConfigValues(values map[string]string) error {
	err := config.ValidateTopicConfigs(values)
	if err == nil {
		return nil
	}
	var ve *config.ValueError
	if errors.As(err, &ve) {
		return newJavaException(jConfigException, ve.Error())
	}
	var ke *config.KafkaError
	if errors.As(err, &ke) {
		return newJavaException(jInvalidConfiguration, ke.Msg)
	}
	return newJavaException(jConfigException, err.Error())
}

// ensureTopicExists is TopicCommand.ensureTopicExists.
func ensureTopicExists(found []string, requested string, hasRequested, requireExists bool) error {
	if hasRequested && requireExists && len(found) == 0 {
		return newJavaException(jIllegalArgument, "Topic '"+requested+"' does not exist as expected")
	}
	return nil
}

// clusterException converts an error of package cluster into the Java
// exception Kafka raises for it.
func clusterException(err error) (*javaException, bool) {
	var ce *cluster.Error
	if errors.As(err, &ce) {
		return newJavaException(ce.Class, ce.Message), true
	}
	return nil, false
}

// asTopicsJavaException is the exception kafka-topics reports for err.
func asTopicsJavaException(err error) *javaException {
	var je *javaException
	if errors.As(err, &je) {
		return je
	}
	var jo *joptError
	if errors.As(err, &jo) {
		return newJavaException("joptsimple."+jo.class, jo.msg)
	}
	if e, ok := clusterException(err); ok {
		return e
	}
	return newJavaException(jKafkaException, strings.TrimPrefix(err.Error(), "cluster: "))
}
