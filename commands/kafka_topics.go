package commands

import (
	"fmt"
	"sort"

	"github.com/urfave/cli/v2"

	"github.com/kafkago/kafka/config"
)

// kafka-topics is kafka.admin.TopicCommand of Kafka 2.8
// (reference/cli.md §3): create, list, describe, alter or delete topics
// through the admin protocol (--bootstrap-server) or, deprecated, directly in
// ZooKeeper (--zookeeper).

const (
	topicsNoArgsMsg = "Create, delete, describe, or change a topic."
	topicsHelpMsg   = "This tool helps to create, delete, describe, or change a topic."
	topicsActionMsg = "Command must include exactly one action: --list, --describe, --create, --alter or --delete"
	// kafkaConfigsHint ends the --config description and the admin --alter
	// --config error.
	kafkaConfigsHint = " (the kafka-configs CLI supports altering topic configs with a --bootstrap-server option)"
)

// topicsOptions is TopicCommandOptions' parser: every option with the
// description, argument type and describedAs of TopicCommand.scala (2.8.2).
func topicsOptions() options {
	configDesc := "A topic configuration override for the topic being created or altered." +
		" The following is a list of valid configurations: \n"
	for _, name := range topicConfigNames() {
		configDesc += "\t" + name + "\n"
	}
	configDesc += "See the Kafka documentation for full details on the topic configs." +
		" It is supported only in combination with --create if --bootstrap-server option is used" +
		kafkaConfigsHint + "."
	return append(defaultOptions(), options{
		{name: "bootstrap-server", arg: requiredArg, argDesc: "server to connect to",
			desc: "REQUIRED: The Kafka server to connect to. In case of providing this, a direct Zookeeper connection won't be required."},
		{name: "command-config", arg: requiredArg, argDesc: "command config property file",
			desc: "Property file containing configs to be passed to Admin Client. This is used only with --bootstrap-server option for describing and altering broker configs."},
		{name: "zookeeper", arg: requiredArg, argDesc: "hosts",
			desc: "DEPRECATED, The connection string for the zookeeper connection in the form host:port. Multiple hosts can be given to allow fail-over."},
		{name: "list", desc: "List all available topics."},
		{name: "create", desc: "Create a new topic."},
		{name: "delete", desc: "Delete a topic"},
		{name: "alter", desc: "Alter the number of partitions, replica assignment, and/or configuration for the topic."},
		{name: "describe", desc: "List details for the given topics."},
		{name: "topic", arg: requiredArg, argDesc: "topic",
			desc: "The topic to create, alter, describe or delete. It also accepts a regular expression, except for --create option. Put topic name in double quotes and use the '\\' prefix to escape regular expression symbols; e.g. \"test\\.topic\"."},
		{name: "config", arg: requiredArg, argDesc: "name=value", desc: configDesc},
		{name: "delete-config", arg: requiredArg, argDesc: "name",
			desc: "A topic configuration override to be removed for an existing topic (see the list of configurations under the --config option). Not supported with the --bootstrap-server option."},
		{name: "partitions", arg: requiredArg, typ: "Integer", argDesc: "# of partitions",
			desc: "The number of partitions for the topic being created or altered (WARNING: If partitions are increased for a topic that has a key, the partition logic or ordering of the messages will be affected). If not supplied for create, defaults to the cluster default."},
		{name: "replication-factor", arg: requiredArg, typ: "Integer", argDesc: "replication factor",
			desc: "The replication factor for each partition in the topic being created. If not supplied, defaults to the cluster default."},
		{name: "replica-assignment", arg: requiredArg,
			argDesc: "broker_id_for_part1_replica1 : broker_id_for_part1_replica2 , broker_id_for_part2_replica1 : broker_id_for_part2_replica2 , ...",
			desc:    "A list of manual partition-to-broker assignments for the topic being created or altered."},
		{name: "under-replicated-partitions", desc: "if set when describing topics, only show under replicated partitions"},
		{name: "unavailable-partitions", desc: "if set when describing topics, only show partitions whose leader is not available"},
		{name: "under-min-isr-partitions", desc: "if set when describing topics, only show partitions whose isr count is less than the configured minimum. Not supported with the --zookeeper option."},
		{name: "at-min-isr-partitions", desc: "if set when describing topics, only show partitions whose isr count is equal to the configured minimum. Not supported with the --zookeeper option."},
		{name: "topics-with-overrides", desc: "if set when describing topics, only show topics that have overridden configs"},
		{name: "if-exists", desc: "if set when altering or deleting or describing topics, the action will only execute if the topic exists."},
		{name: "if-not-exists", desc: "if set when creating topics, the action will only execute if the topic does not already exist."},
		{name: "disable-rack-aware", desc: "Disable rack aware replica assignment"},
		{name: "force", desc: "Suppress console prompts"},
		{name: "exclude-internal", desc: "exclude internal topics when running list or describe command. The internal topics will be listed by default"},
	}...)
}

func newKafkaTopics(env *Env) *cli.App {
	opts := topicsOptions()
	return &cli.App{
		Usage: topicsNoArgsMsg,
		Flags: opts.flags(),
		Action: func(c *cli.Context) error {
			return exit(runTopics(env, opts, c.Args().Slice()))
		},
	}
}

// topicsCmd is one run of kafka-topics: its environment and parsed options.
type topicsCmd struct {
	env  *Env
	opts options
	p    *parsedArgs
}

// runTopics is TopicCommand.main: parse, checkArgs, build the topic service,
// run the action, report its failure. It returns the exit status.
func runTopics(env *Env, opts options, args []string) int {
	p, err := opts.parse(args)
	if err != nil {
		// Parsing happens in TopicCommandOptions' constructor, outside any
		// handler: jopt's exception reaches the JVM.
		fmt.Fprintln(env.Err, err.(*joptError).exception())
		return 1
	}
	cmd := &topicsCmd{env: env, opts: opts, p: p}
	if code, done := cmd.checkArgs(len(args)); done {
		return code
	}
	svc, jerr := cmd.newService()
	if jerr != nil {
		return uncaughtException(env, jerr)
	}
	var actionErr error
	switch {
	case p.has("create"):
		actionErr = cmd.create(svc)
	case p.has("alter"):
		actionErr = cmd.alter(svc)
	case p.has("list"):
		actionErr = cmd.list(svc)
	case p.has("describe"):
		actionErr = cmd.describe(svc)
	case p.has("delete"):
		actionErr = cmd.delete(svc)
	}
	// Close before reporting: the client's connection warnings stop here, so
	// none lands after the error lines.
	svc.close()
	if actionErr != nil {
		e := asTopicsJavaException(actionErr)
		fmt.Fprintln(env.Out, "Error while executing topic command : "+e.message())
		env.log4j("ERROR", e.stackTraceText(), topicCommandLogger)
		return 1
	}
	return 0
}

// uncaughtException prints what the JVM prints for an exception nobody
// caught (frames left out) and returns exit status 1.
func uncaughtException(env *Env, e *javaException) int {
	lines := e.lines()
	fmt.Fprintln(env.Err, `Exception in thread "main" `+lines[0])
	for _, l := range lines[1:] {
		fmt.Fprintln(env.Err, l)
	}
	return 1
}

// die is CommandLineUtils.printUsageAndDie.
func (c *topicsCmd) die(msg string) (int, bool) {
	usageAndDie(c.env.Err, c.opts, msg)
	return 1, true
}

// checkArgs is TopicCommandOptions.checkArgs, in Kafka's order. done is true
// when the run ends here with code.
func (c *topicsCmd) checkArgs(nargs int) (code int, done bool) {
	p := c.p
	if nargs == 0 {
		return c.die(topicsNoArgsMsg)
	}
	if p.has("help") {
		return c.die(topicsHelpMsg)
	}
	if p.has("version") {
		fmt.Fprintln(c.env.Out, versionLine())
		return 0, true
	}
	actions := 0
	for _, a := range []string{"create", "list", "alter", "describe", "delete"} {
		if p.has(a) {
			actions++
		}
	}
	if actions != 1 {
		return c.die(topicsActionMsg)
	}
	if p.has("bootstrap-server") == p.has("zookeeper") {
		return uncaughtException(c.env, newJavaException(jIllegalArgument,
			"Only one of --bootstrap-server or --zookeeper must be specified")), true
	}
	required := func(names ...string) (int, bool) {
		for _, n := range names {
			if !p.has(n) {
				return c.die(`Missing required argument "[` + n + `]"`)
			}
		}
		return 0, false
	}
	if p.has("describe") && p.has("if-exists") {
		if code, done := required("topic"); done {
			return code, done
		}
	}
	if !p.has("list") && !p.has("describe") {
		if code, done := required("topic"); done {
			return code, done
		}
	}
	if p.has("create") && !p.has("replica-assignment") && p.has("zookeeper") {
		if code, done := required("partitions", "replication-factor"); done {
			return code, done
		}
	}
	if p.has("bootstrap-server") && p.has("alter") {
		// checkInvalidArgsSet(Set(bootstrapServerOpt, configOpt), Set(alterOpt), hint)
		if p.has("config") {
			return c.die(`Option combination "[bootstrap-server],[config]" can't be used with option "[alter]"` + kafkaConfigsHint)
		}
		if code, done := required("partitions"); done {
			return code, done
		}
	}
	for _, check := range topicsInvalidArgs(p.has("create")) {
		if !p.has(check.used) {
			continue
		}
		for _, bad := range check.invalid {
			if p.has(bad) {
				return c.die(`Option "[` + check.used + `]" can't be used with option "[` + bad + `]"`)
			}
		}
	}
	return 0, false
}

// invalidArgsCheck is one CommandLineUtils.checkInvalidArgs call: used may
// not be combined with any of invalid, reported in the iteration order of
// the Scala Set Kafka passes.
type invalidArgsCheck struct {
	used    string
	invalid []string
}

// topicsInvalidArgs lists checkArgs' checkInvalidArgs calls in order. The
// sets Kafka builds from allTopicLevelOpts (five elements) are Scala 2.13
// HashSets, iterated in CHAMP order; Set(partitionsOpt,
// replicationFactorOpt) is a Set2, iterated in insertion order.
func topicsInvalidArgs(create bool) []invalidArgsCheck {
	all := []string{"alter", "create", "describe", "list", "delete"}
	reports := []string{"under-replicated-partitions", "under-min-isr-partitions", "at-min-isr-partitions", "unavailable-partitions"}
	minus := func(set []string, drop ...string) []string {
		var out []string
	next:
		for _, s := range set {
			for _, d := range drop {
				if s == d {
					continue next
				}
			}
			out = append(out, s)
		}
		return out
	}
	plus := func(set []string, add ...string) []string {
		out := append([]string(nil), set...)
		for _, a := range add {
			if len(minus(out, a)) == len(out) {
				out = append(out, a)
			}
		}
		return out
	}
	hashSet := func(names []string) []string { return scalaOptionSetOrder(names, true) }
	notDescribe := plus(minus(all, "describe"), reports...)
	checks := []invalidArgsCheck{
		{"config", hashSet(minus(all, "alter", "create"))},
		{"delete-config", hashSet(plus(minus(all, "alter"), "bootstrap-server"))},
		{"partitions", hashSet(minus(all, "alter", "create"))},
		{"replication-factor", hashSet(minus(all, "create"))},
		{"replica-assignment", hashSet(minus(all, "create", "alter"))},
	}
	if create {
		checks = append(checks, invalidArgsCheck{"replica-assignment", scalaOptionSetOrder([]string{"partitions", "replication-factor"}, false)})
	}
	return append(checks,
		invalidArgsCheck{"under-replicated-partitions", hashSet(plus(minus(notDescribe, "under-replicated-partitions"), "topics-with-overrides"))},
		invalidArgsCheck{"under-min-isr-partitions", hashSet(plus(minus(notDescribe, "under-min-isr-partitions"), "topics-with-overrides", "zookeeper"))},
		invalidArgsCheck{"at-min-isr-partitions", hashSet(plus(minus(notDescribe, "at-min-isr-partitions"), "topics-with-overrides", "zookeeper"))},
		invalidArgsCheck{"unavailable-partitions", hashSet(plus(minus(notDescribe, "unavailable-partitions"), "topics-with-overrides"))},
		invalidArgsCheck{"topics-with-overrides", hashSet(notDescribe)},
		invalidArgsCheck{"if-exists", hashSet(minus(all, "alter", "delete", "describe"))},
		invalidArgsCheck{"if-not-exists", hashSet(minus(all, "create"))},
		invalidArgsCheck{"exclude-internal", hashSet(minus(all, "list", "describe"))},
	)
}

// topicConfigNames is LogConfig.configNames: the topic config keys, sorted.
func topicConfigNames() []string {
	var names []string
	for _, k := range config.TopicRegistry().Keys() {
		names = append(names, k.Name)
	}
	sort.Strings(names)
	return names
}
