package commands

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"
)

// kafka-console-consumer is kafka.tools.ConsoleConsumer (Kafka 2.8.2): it
// consumes a topic, a pattern of topics or one partition and writes each
// record through a MessageFormatter to standard output (reference/cli.md §5).

const consumerHelpMessage = "This tool helps to read data from Kafka topics and outputs it to standard output."

const consoleConsumerLogger = "kafka.tools.ConsoleConsumer$"

// consoleConsumerOptions is ConsoleConsumer.ConsumerConfig's option parser,
// plus --include, Kafka 3.0's name for --whitelist.
func consoleConsumerOptions() options {
	return append(defaultOptions(), options{
		{name: "topic", desc: "The topic id to consume on.", arg: requiredArg, argDesc: "topic"},
		{name: "whitelist", desc: "Regular expression specifying whitelist of topics to include for consumption.", arg: requiredArg, argDesc: "whitelist"},
		{name: "include", desc: "Regular expression specifying list of topics to include for consumption.", arg: requiredArg, argDesc: "Java regex (String)", hidden: true},
		{name: "partition", desc: "The partition to consume from. Consumption starts from the end of the partition unless '--offset' is specified.", arg: requiredArg, typ: "Integer", argDesc: "partition"},
		{name: "offset", desc: "The offset id to consume from (a non-negative number), or 'earliest' which means from beginning, or 'latest' which means from end", arg: requiredArg, argDesc: "consume offset", deflt: []string{"latest"}},
		{name: "consumer-property", desc: "A mechanism to pass user-defined properties in the form key=value to the consumer.", arg: requiredArg, argDesc: "consumer_prop"},
		{name: "consumer.config", desc: "Consumer config properties file. Note that [consumer-property] takes precedence over this config.", arg: requiredArg, argDesc: "config file"},
		{name: "formatter", desc: "The name of a class to use for formatting kafka messages for display.", arg: requiredArg, argDesc: "class", deflt: []string{defaultFormatterClass}},
		{name: "property", desc: "The properties to initialize the message formatter. Default properties include:\n" +
			" print.timestamp=true|false\n" +
			" print.key=true|false\n" +
			" print.offset=true|false\n" +
			" print.partition=true|false\n" +
			" print.headers=true|false\n" +
			" print.value=true|false\n" +
			" key.separator=<key.separator>\n" +
			" line.separator=<line.separator>\n" +
			" headers.separator=<line.separator>\n" +
			" null.literal=<null.literal>\n" +
			" key.deserializer=<key.deserializer>\n" +
			" value.deserializer=<value.deserializer>\n" +
			" header.deserializer=<header.deserializer>\n" +
			"\n" +
			"Users can also pass in customized properties for their formatter; more specifically, users can pass in properties keyed with 'key.deserializer.', 'value.deserializer.' and 'headers.deserializer.' prefixes to configure their deserializers.",
			arg: requiredArg, argDesc: "prop"},
		{name: "from-beginning", desc: "If the consumer does not already have an established offset to consume from, start with the earliest message present in the log rather than the latest message."},
		{name: "max-messages", desc: "The maximum number of messages to consume before exiting. If not set, consumption is continual.", arg: requiredArg, typ: "Integer", argDesc: "num_messages"},
		{name: "timeout-ms", desc: "If specified, exit if no message is available for consumption for the specified interval.", arg: requiredArg, typ: "Integer", argDesc: "timeout_ms"},
		{name: "skip-message-on-error", desc: "If there is an error when processing a message, skip it instead of halt."},
		{name: "bootstrap-server", desc: "REQUIRED: The server(s) to connect to.", arg: requiredArg, argDesc: "server to connect to"},
		{name: "key-deserializer", arg: requiredArg, argDesc: "deserializer for key"},
		{name: "value-deserializer", arg: requiredArg, argDesc: "deserializer for values"},
		{name: "enable-systest-events", desc: "Log lifecycle events of the consumer in addition to logging consumed messages. (This is specific for system tests.)"},
		{name: "isolation-level", desc: "Set to read_committed in order to filter out transactional messages which are not committed. Set to read_uncommitted to read all messages.", arg: requiredArg, deflt: []string{"read_uncommitted"}},
		{name: "group", desc: "The consumer group id of the consumer.", arg: requiredArg, argDesc: "consumer group id"},
	}...)
}

func newKafkaConsoleConsumer(env *Env) *cli.App {
	opts := consoleConsumerOptions()
	return &cli.App{
		Usage: "Read data from Kafka topics and write it to standard output.",
		Flags: opts.flags(),
		Action: func(c *cli.Context) error {
			return exit(runConsoleConsumer(env, opts, c.Args().Slice()))
		},
	}
}

// Offsets ConsoleConsumer seeks to (ListOffsetsRequest's timestamps).
const (
	consoleOffsetEarliest int64 = -2
	consoleOffsetLatest   int64 = -1
)

// consoleConsumerSettings is what ConsoleConsumer.ConsumerConfig works out from
// the command line.
type consoleConsumerSettings struct {
	topic       string // "" when a pattern is used
	hasTopic    bool
	pattern     string
	hasPattern  bool
	partition   int32
	assign      bool // --partition given
	offset      int64
	fromBegin   bool
	maxMessages int64 // -1: no limit
	timeoutMs   int64 // -1: none
	skipOnError bool
	systest     bool
	bootstrap   string
	groupPassed bool
	// props are the consumer properties: --consumer.config, with the group
	// settled, then --consumer-property.
	fileProps, extraProps map[string]string
	formatter             consoleMessageFormatter
	// isolation is --isolation-level's value (or default); isolationErr
	// what reading it raised.
	isolation      string
	isolationGiven bool
	isolationErr   error
}

// consoleUncaught prints an exception that escapes main (stack frames
// left out) and returns the exit status 1.
func consoleUncaught(env *Env, t *throwable) int {
	lines := t.lines()
	fmt.Fprintln(env.Err, `Exception in thread "main" `+lines[0])
	for _, l := range lines[1:] {
		fmt.Fprintln(env.Err, l)
	}
	return 1
}

// runConsoleConsumer is ConsoleConsumer.main; it returns the exit status.
func runConsoleConsumer(env *Env, opts options, args []string) int {
	env.Stdio.Err = &consoleSyncWriter{w: env.Err}
	s, code, done := consoleConsumerArgs(env, opts, args)
	if done {
		return code
	}
	return consoleRunConsumer(env, s)
}

// consoleConsumerArgs is the ConsumerConfig constructor. It runs outside
// main's try: jopt's and class loading exceptions reach the JVM.
func consoleConsumerArgs(env *Env, opts options, args []string) (s *consoleConsumerSettings, code int, done bool) {
	p, err := opts.parse(args)
	if err != nil {
		usageAndDie(env.Err, opts, err.Error())
		return nil, 1, true
	}
	if len(args) == 0 || p.has("help") {
		usageAndDie(env.Err, opts, consumerHelpMessage)
		return nil, 1, true
	}
	if p.has("version") {
		fmt.Fprintln(env.Out, versionLine())
		return nil, 0, true
	}
	die := func(msg string) (*consoleConsumerSettings, int, bool) {
		usageAndDie(env.Err, opts, msg)
		return nil, 1, true
	}
	joptUncaught := func(err error) (*consoleConsumerSettings, int, bool) {
		fmt.Fprintln(env.Err, err.(*joptError).exception())
		return nil, 1, true
	}
	throwUncaught := func(t *throwable) (*consoleConsumerSettings, int, bool) {
		return nil, consoleUncaught(env, t), true
	}
	s = &consoleConsumerSettings{
		systest:     p.has("enable-systest-events"),
		extraProps:  consoleKeyValues(p.valuesOf("consumer-property")),
		fileProps:   map[string]string{},
		fromBegin:   p.has("from-beginning"),
		skipOnError: p.has("skip-message-on-error"),
		maxMessages: -1,
		timeoutMs:   -1,
	}
	if p.has("consumer.config") {
		path, err := p.str("consumer.config")
		if err != nil {
			return joptUncaught(err)
		}
		props, t := consoleLoadProps(path)
		if t != nil {
			return throwUncaught(t)
		}
		s.fileProps = props
	}
	if p.has("partition") {
		n, _, err := p.intOf("partition")
		if err != nil {
			return joptUncaught(err)
		}
		s.partition, s.assign = n, true
	}
	formatterClass, err := p.str("formatter")
	if err != nil {
		return joptUncaught(err)
	}
	if consoleUnsupportedFormatter(formatterClass) {
		return throwUncaught(newThrowable("java.lang.UnsupportedOperationException", formatterClass+" is not provided by this implementation of "+env.Name).
			withCause(cannotLoadClasses(env.Name, "--formatter", defaultFormatterClass, loggingFormatterClass, noOpFormatterClass, checksumFormatterClass)))
	}
	if !consoleKnownFormatter(formatterClass) {
		return throwUncaught(newThrowable("java.lang.ClassNotFoundException", formatterClass).
			withCause(cannotLoadClasses(env.Name, "--formatter", defaultFormatterClass, loggingFormatterClass, noOpFormatterClass, checksumFormatterClass)))
	}
	formatterArgs := consoleKeyValues(p.valuesOf("property"))
	if p.has("max-messages") {
		n, _, err := p.intOf("max-messages")
		if err != nil {
			return joptUncaught(err)
		}
		s.maxMessages = int64(n)
	}
	if p.has("timeout-ms") {
		n, _, err := p.intOf("timeout-ms")
		if err != nil {
			return joptUncaught(err)
		}
		s.timeoutMs = int64(n)
	}
	if s.bootstrap, err = p.str("bootstrap-server"); err != nil {
		return joptUncaught(err)
	}
	keyDeser, err := p.str("key-deserializer")
	if err != nil {
		return joptUncaught(err)
	}
	valueDeser, err := p.str("value-deserializer")
	if err != nil {
		return joptUncaught(err)
	}
	if keyDeser != "" {
		formatterArgs["key.deserializer"] = keyDeser
	}
	if valueDeser != "" {
		formatterArgs["value.deserializer"] = valueDeser
	}
	f, t := newConsoleMessageFormatter(formatterClass, formatterArgs)
	if t != nil {
		if t.class == "java.lang.ClassNotFoundException" {
			t.withCause(cannotLoadClasses(env.Name, "a deserializer", consoleSerializationPkg+"{String,ByteArray,ByteBuffer,Bytes,Long,Integer,Short,Double,Float,UUID,Void}Deserializer"))
		}
		return throwUncaught(t)
	}
	s.formatter = f

	patternOpt := "whitelist"
	if p.has("include") {
		patternOpt = "include"
	}
	s.hasTopic, s.hasPattern = p.has("topic"), p.has(patternOpt)
	if s.hasTopic == s.hasPattern {
		return die("Exactly one of whitelist/topic is required.")
	}
	if s.topic, err = p.str("topic"); err != nil {
		return joptUncaught(err)
	}
	if s.pattern, err = p.str(patternOpt); err != nil {
		return joptUncaught(err)
	}
	if s.assign {
		if !s.hasTopic {
			return die("The topic is required when partition is specified.")
		}
		if s.fromBegin && p.has("offset") {
			return die("Options from-beginning and offset cannot be specified together.")
		}
	} else if p.has("offset") {
		return die("The partition is required when offset is specified.")
	}
	switch {
	case p.has("offset"):
		v, err := p.str("offset")
		if err != nil {
			return joptUncaught(err)
		}
		switch lower := strings.ToLower(v); lower {
		case "earliest":
			s.offset = consoleOffsetEarliest
		case "latest":
			s.offset = consoleOffsetLatest
		default:
			n, err := strconv.ParseInt(lower, 10, 64)
			if err != nil || n < 0 {
				return die("The provided offset value '" + lower + "' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long.")
			}
			s.offset = n
		}
	case s.fromBegin:
		s.offset = consoleOffsetEarliest
	default:
		s.offset = consoleOffsetLatest
	}
	if !p.has("bootstrap-server") {
		return die(`Missing required argument "[bootstrap-server]"`)
	}
	// The group ids given in different places must agree.
	var groups []string
	addGroup := func(g string, ok bool) {
		if !ok {
			return
		}
		for _, have := range groups {
			if have == g {
				return
			}
		}
		groups = append(groups, g)
	}
	g, hasGroup, err := p.valueOf("group")
	if err != nil {
		return joptUncaught(err)
	}
	addGroup(g, hasGroup)
	g, ok := s.fileProps["group.id"]
	addGroup(g, ok)
	g, ok = s.extraProps["group.id"]
	addGroup(g, ok)
	if len(groups) > 1 {
		return die("The group ids provided in different places (directly using '--group', via '--consumer-property', or via '--consumer.config') do not match. Detected group ids: '" + strings.Join(groups, "', '") + "'")
	}
	if len(groups) == 1 {
		s.fileProps["group.id"] = groups[0]
		s.groupPassed = true
	} else {
		s.fileProps["group.id"] = "console-consumer-" + strconv.Itoa(rand.IntN(100000))
		// The generated group is not meant to be used again: its offsets
		// are not committed unless asked for.
		if _, ok := s.fileProps["enable.auto.commit"]; !ok {
			s.fileProps["enable.auto.commit"] = "false"
		}
	}
	if s.groupPassed && s.assign {
		return die("Options group and partition cannot be specified together.")
	}
	// The isolation level flag is read later, inside main's try.
	s.isolation, _, s.isolationErr = p.valueOf("isolation-level")
	s.isolationGiven = p.has("isolation-level")
	return s, 0, false
}

// consoleConsumerProps is ConsoleConsumer.consumerProps. A conflicting
// auto.offset.reset ends the tool (code 1) with Kafka's message; reading
// --isolation-level may raise jopt's exception.
func consoleConsumerProps(env *Env, s *consoleConsumerSettings) (map[string]string, *throwable, bool) {
	props := map[string]string{}
	for k, v := range s.fileProps {
		props[k] = v
	}
	for k, v := range s.extraProps {
		props[k] = v
	}
	if v, ok := props["auto.offset.reset"]; ok {
		if s.fromBegin && v != "earliest" {
			fmt.Fprintln(env.Err, "Can't simultaneously specify --from-beginning and 'auto.offset.reset="+v+"', please remove one option")
			return nil, nil, false
		}
	} else if s.fromBegin {
		props["auto.offset.reset"] = "earliest"
	} else {
		props["auto.offset.reset"] = "latest"
	}
	props["bootstrap.servers"] = s.bootstrap
	if _, set := props["isolation.level"]; s.isolationGiven || !set {
		if s.isolationErr != nil {
			je := s.isolationErr.(*joptError)
			return nil, newThrowable("joptsimple."+je.class, je.msg), true
		}
		props["isolation.level"] = s.isolation
	}
	return props, nil, true
}

// consoleLogError is kafka.utils.Logging's error(msg, e) from ConsoleConsumer.
func consoleLogError(env *Env, msg string, t *throwable) {
	consoleLogThrowable(env, "ERROR", msg, consoleConsumerLogger, t)
}

// consoleOutcome is how consoleProcess ended.
type consoleOutcome int

const (
	consoleOutcomeDone    consoleOutcome = iota // max messages, timeout, broken stdout, wakeup
	consoleOutcomeFailure                       // a formatter exception escaped: main logs it, exit 1
)

// consoleProcess is ConsoleConsumer.process: receive, format, write, until the
// message limit, a timeout, an error, a broken stdout or Ctrl-C.
func consoleProcess(env *Env, s *consoleConsumerSettings, c *consoleConsumer, count *int64) (consoleOutcome, *throwable) {
	var buf bytes.Buffer
	for *count < s.maxMessages || s.maxMessages == -1 {
		rec, t, wakeup := c.receive()
		if wakeup {
			return consoleOutcomeDone, nil
		}
		if t != nil {
			consoleLogError(env, "Error processing message, terminating consumer process: ", t)
			return consoleOutcomeDone, nil
		}
		*count++
		buf.Reset()
		ft := s.formatter.writeTo(rec, &buf)
		var werr error
		if buf.Len() > 0 {
			_, werr = env.Out.Write(buf.Bytes())
		}
		c.consumed(rec)
		if ft != nil {
			if !s.skipOnError {
				return consoleOutcomeFailure, ft
			}
			consoleLogError(env, "Error processing message, skipping this message: ", ft)
		}
		if werr != nil {
			fmt.Fprintln(env.Err, "Unable to write to standard out, closing consumer.")
			return consoleOutcomeDone, nil
		}
	}
	return consoleOutcomeDone, nil
}

// consoleRunConsumer is ConsoleConsumer.run inside main's try.
func consoleRunConsumer(env *Env, s *consoleConsumerSettings) int {
	unknownError := func(t *throwable) int {
		consoleLogError(env, "Unknown error when running consumer: ", t)
		return 1
	}
	props, t, ok := consoleConsumerProps(env, s)
	if !ok {
		return 1
	}
	if t != nil {
		return unknownError(t)
	}
	c, t := newConsoleConsumer(env, s, props)
	if t != nil {
		return unknownError(t)
	}
	var count int64
	outcome, ft := consoleProcess(env, s, c, &count)
	c.cleanup()
	fmt.Fprintf(env.Err, "Processed a total of %d messages\n", count)
	code := 0
	if outcome == consoleOutcomeFailure {
		code = unknownError(ft)
	}
	if env.Ctx.Err() != nil {
		code = interruptCode(env.Ctx)
	}
	if s.systest {
		fmt.Fprintln(env.Out, "shutdown_complete")
	}
	return code
}
