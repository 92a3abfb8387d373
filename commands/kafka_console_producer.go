package commands

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"github.com/urfave/cli/v2"
)

// kafka-console-producer is kafka.tools.ConsoleProducer (Kafka 2.8.2): it
// reads standard input line by line with LineMessageReader and sends each
// line as a record (reference/cli.md §4).

const producerHelpMessage = "This tool helps to read data from standard input and publish it to Kafka."

// consoleProducerOptions is ConsoleProducer.ProducerConfig's option parser.
func consoleProducerOptions() options {
	return append(defaultOptions(), options{
		{name: "topic", desc: "REQUIRED: The topic id to produce messages to.", arg: requiredArg, argDesc: "topic"},
		{name: "broker-list", desc: "DEPRECATED, use --bootstrap-server instead; ignored if --bootstrap-server is specified.  The broker list string in the form HOST1:PORT1,HOST2:PORT2.", arg: requiredArg, argDesc: "broker-list"},
		{name: "bootstrap-server", desc: "REQUIRED unless --broker-list(deprecated) is specified. The server(s) to connect to. The broker list string in the form HOST1:PORT1,HOST2:PORT2.", arg: requiredArg, argDesc: "server to connect to", required: true, unless: []string{"broker-list"}},
		{name: "sync", desc: "If set message send requests to the brokers are synchronously, one at a time as they arrive."},
		{name: "compression-codec", desc: "The compression codec: either 'none', 'gzip', 'snappy', 'lz4', or 'zstd'.If specified without value, then it defaults to 'gzip'", arg: optionalArg, argDesc: "compression-codec"},
		{name: "batch-size", desc: "Number of messages to send in a single batch if they are not being sent synchronously.", arg: requiredArg, typ: "Integer", argDesc: "size", deflt: []string{"200"}},
		{name: "message-send-max-retries", desc: "Brokers can fail receiving the message for multiple reasons, and being unavailable transiently is just one of them. This property specifies the number of retries before the producer give up and drop this message.", arg: requiredArg, typ: "Integer", deflt: []string{"3"}},
		{name: "retry-backoff-ms", desc: "Before each retry, the producer refreshes the metadata of relevant topics. Since leader election takes a bit of time, this property specifies the amount of time that the producer waits before refreshing the metadata.", arg: requiredArg, typ: "Integer", deflt: []string{"100"}},
		{name: "timeout", desc: "If set and the producer is running in asynchronous mode, this gives the maximum amount of time a message will queue awaiting sufficient batch size. The value is given in ms.", arg: requiredArg, typ: "Integer", argDesc: "timeout_ms", deflt: []string{"1000"}},
		{name: "request-required-acks", desc: "The required acks of the producer requests", arg: requiredArg, argDesc: "request required acks", deflt: []string{"1"}},
		{name: "request-timeout-ms", desc: "The ack timeout of the producer requests. Value must be non-negative and non-zero", arg: requiredArg, typ: "Integer", argDesc: "request timeout ms", deflt: []string{"1500"}},
		{name: "metadata-expiry-ms", desc: "The period of time in milliseconds after which we force a refresh of metadata even if we haven't seen any leadership changes.", arg: requiredArg, typ: "Long", argDesc: "metadata expiration interval", deflt: []string{"300000"}},
		{name: "max-block-ms", desc: "The max time that the producer will block for during a send request", arg: requiredArg, typ: "Long", argDesc: "max block on send", deflt: []string{"60000"}},
		{name: "max-memory-bytes", desc: "The total memory used by the producer to buffer records waiting to be sent to the server.", arg: requiredArg, typ: "Long", argDesc: "total memory in bytes", deflt: []string{"33554432"}},
		{name: "max-partition-memory-bytes", desc: "The buffer size allocated for a partition. When records are received which are smaller than this size the producer will attempt to optimistically group them together until this size is reached.", arg: requiredArg, typ: "Long", argDesc: "memory in bytes per partition", deflt: []string{"16384"}},
		{name: "line-reader", desc: "The class name of the class to use for reading lines from standard in. By default each line is read as a separate message.", arg: requiredArg, argDesc: "reader_class", deflt: []string{lineMessageReaderClass}},
		{name: "socket-buffer-size", desc: "The size of the tcp RECV size.", arg: requiredArg, typ: "Integer", argDesc: "size", deflt: []string{"102400"}},
		{name: "property", desc: "A mechanism to pass user-defined properties in the form key=value to the message reader. This allows custom configuration for a user-defined message reader. Default properties include:\n\tparse.key=true|false\n\tkey.separator=<key.separator>\n\tignore.error=true|false", arg: requiredArg, argDesc: "prop"},
		{name: "producer-property", desc: "A mechanism to pass user-defined properties in the form key=value to the producer. ", arg: requiredArg, argDesc: "producer_prop"},
		{name: "producer.config", desc: "Producer config properties file. Note that [producer-property] takes precedence over this config.", arg: requiredArg, argDesc: "config file"},
	}...)
}

func newKafkaConsoleProducer(env *Env) *cli.App {
	opts := consoleProducerOptions()
	return &cli.App{
		Usage: "Read data from standard input and publish it to Kafka.",
		Flags: opts.flags(),
		Action: func(c *cli.Context) error {
			return exit(runConsoleProducer(env, opts, c.Args().Slice()))
		},
	}
}

// producerMergedOptions are the flags CommandLineUtils.maybeMergeOptions
// copies into the producer properties, in ConsoleProducer's order: the flag
// wins when given, else a property already set stays, else the flag's default.
func producerMergedOptions() []struct{ flag, prop string } {
	return []struct{ flag, prop string }{
		{"timeout", "linger.ms"},
		{"request-required-acks", "acks"},
		{"request-timeout-ms", "request.timeout.ms"},
		{"message-send-max-retries", "retries"},
		{"retry-backoff-ms", "retry.backoff.ms"},
		{"socket-buffer-size", "send.buffer.bytes"},
		{"max-memory-bytes", "buffer.memory"},
		{"max-partition-memory-bytes", "batch.size"},
		{"metadata-expiry-ms", "metadata.max.age.ms"},
		{"max-block-ms", "max.block.ms"},
	}
}

// consoleOptionText is options.valueOf(spec).toString: the value converted to the
// option's type (jopt converts on read, so a bad number fails here).
func consoleOptionText(p *parsedArgs, name string) (string, bool, error) {
	opt, _ := p.spec.lookup(name)
	switch opt.typ {
	case "Integer":
		n, ok, err := p.intOf(name)
		return strconv.FormatInt(int64(n), 10), ok, err
	case "Long":
		n, ok, err := p.longOf(name)
		return strconv.FormatInt(n, 10), ok, err
	}
	return p.valueOf(name)
}

// runConsoleProducer is ConsoleProducer.main; it returns the exit status.
func runConsoleProducer(env *Env, opts options, args []string) int {
	env.Stdio.Err = &consoleSyncWriter{w: env.Err}
	p, err := opts.parse(args)
	if err != nil {
		usageAndDie(env.Err, opts, err.Error())
		return 1
	}
	if len(args) == 0 || p.has("help") {
		usageAndDie(env.Err, opts, producerHelpMessage)
		return 1
	}
	if p.has("version") {
		fmt.Fprintln(env.Out, versionLine())
		return 0
	}
	if !p.has("topic") {
		usageAndDie(env.Err, opts, `Missing required argument "[topic]"`)
		return 1
	}
	// From here on ConsoleProducer runs inside main's try: a jopt
	// exception prints its message, anything else its stack trace.
	optionFailed := func(err error) int {
		fmt.Fprintln(env.Err, err.Error())
		return 1
	}
	topic, err := p.str("topic")
	if err != nil {
		return optionFailed(err)
	}
	bootstrap, _, err := p.valueOf("bootstrap-server")
	if err != nil {
		return optionFailed(err)
	}
	brokerList, _, err := p.valueOf("broker-list")
	if err != nil {
		return optionFailed(err)
	}
	servers := brokerList
	if p.has("bootstrap-server") {
		servers = bootstrap
	}
	if t := consolePortOverflow(servers); t != nil {
		t.printStackTrace(env.Err)
		return 1
	}
	if !validHostPorts(servers) {
		usageAndDie(env.Err, opts, "Please provide valid host:port like host1:9091,host2:9092\n ")
		return 1
	}
	codec, codecGiven, err := p.valueOf("compression-codec")
	if err != nil {
		return optionFailed(err)
	}
	switch {
	case !p.has("compression-codec"):
		codec = "none"
	case !codecGiven || codec == "":
		codec = "gzip"
	}
	if _, _, err := p.intOf("batch-size"); err != nil {
		return optionFailed(err)
	}
	readerClass, _, err := p.valueOf("line-reader")
	if err != nil {
		return optionFailed(err)
	}
	readerProps := map[string]string{"topic": topic}
	for k, v := range consoleKeyValues(p.valuesOf("property")) {
		readerProps[k] = v
	}
	extra := consoleKeyValues(p.valuesOf("producer-property"))

	// Class.forName(config.readerClass): only Kafka's own reader exists here.
	if readerClass != lineMessageReaderClass {
		// What Kafka prints for a class it cannot find, with the reason in
		// place of the stack frames.
		newThrowable("java.lang.ClassNotFoundException", readerClass).
			withCause(cannotLoadClasses(env.Name, "--line-reader", lineMessageReaderClass)).
			printStackTrace(env.Err)
		return 1
	}
	reader := newLineMessageReader(env.In, readerProps)

	// producerProps: file, then --producer-property, then the tool's own.
	props := map[string]string{}
	if p.has("producer.config") {
		path, err := p.str("producer.config")
		if err != nil {
			return optionFailed(err)
		}
		fileProps, t := consoleLoadProps(path)
		if t != nil {
			t.printStackTrace(env.Err)
			return 1
		}
		props = fileProps
	}
	for k, v := range extra {
		props[k] = v
	}
	if p.has("bootstrap-server") {
		props["bootstrap.servers"] = bootstrap
	} else {
		props["bootstrap.servers"] = brokerList
	}
	props["compression.type"] = codec
	if _, ok := props["client.id"]; !ok {
		props["client.id"] = "console-producer"
	}
	props["key.serializer"] = "org.apache.kafka.common.serialization.ByteArraySerializer"
	props["value.serializer"] = "org.apache.kafka.common.serialization.ByteArraySerializer"
	for _, m := range producerMergedOptions() {
		if _, set := props[m.prop]; p.has(m.flag) || !set {
			v, _, err := consoleOptionText(p, m.flag)
			if err != nil {
				return optionFailed(err)
			}
			props[m.prop] = v
		}
	}

	prod, t := newConsoleProducer(env, topic, props, p.has("sync"))
	if t != nil {
		t.printStackTrace(env.Err)
		return 1
	}
	return prod.run(reader)
}

// consoleProducer is the KafkaProducer the tool sends with.
type consoleProducer struct {
	env      *Env
	cl       *kgo.Client
	topic    string
	clientID string
	sync     bool

	maxBlock       time.Duration
	retryBackoff   time.Duration
	maxRequestSize int64
	bufferMemory   int64
	deliveryMs     int64

	known         bool  // the topic has been seen in metadata
	correlationID int32 // of our metadata requests, for NetworkClient's WARN
}

// consoleProducerPartitioner maps partitioner.class to kgo's partitioners.
func consoleProducerPartitioner(class string) (kgo.Partitioner, bool) {
	switch class {
	case "org.apache.kafka.clients.producer.internals.DefaultPartitioner":
		return kgo.StickyKeyPartitioner(nil), true
	case "org.apache.kafka.clients.producer.RoundRobinPartitioner":
		return kgo.RoundRobinPartitioner(), true
	case "org.apache.kafka.clients.producer.UniformStickyPartitioner":
		return kgo.StickyPartitioner(), true
	}
	return nil, false
}

// newConsoleProducer is new KafkaProducer(props): the config is parsed and
// checked, the bootstrap servers resolved, the client built.
func newConsoleProducer(env *Env, topic string, props map[string]string, sync bool) (*consoleProducer, *throwable) {
	cc, t := ccParse(ccProducerDefs(), props)
	if t != nil {
		return nil, t
	}
	// ProducerConfig.postProcessParsedConfig.
	idempotent := cc.boolean("enable.idempotence") || cc.isSet("transactional.id") && !cc.isSet("enable.idempotence")
	acks := ccTrim(cc.str("acks"))
	if strings.EqualFold(acks, "all") {
		acks = "-1"
	}
	if idempotent {
		if cc.num("retries") == 0 {
			return nil, configThrowable("Must set retries to non-zero when using the idempotent producer.")
		}
		if cc.isSet("acks") && acks != "-1" {
			return nil, configThrowable("Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.")
		}
		acks = "-1"
	}
	if !cc.isNull("transactional.id") {
		return nil, newThrowable("org.apache.kafka.common.KafkaException", "Failed to construct kafka producer").
			withCause(newThrowable("org.apache.kafka.common.KafkaException", "transactional.id is not supported by this implementation of the console producer"))
	}
	clientID := cc.str("client.id")
	prefix := "[Producer clientId=" + clientID + "] "
	failed := func(cause *throwable) *throwable {
		return newThrowable("org.apache.kafka.common.KafkaException", "Failed to construct kafka producer").withCause(cause)
	}
	// KafkaProducer's constructor, inside its try block.
	if idempotent && cc.num("max.in.flight.requests.per.connection") > 5 {
		return nil, configThrowable("Must set max.in.flight.requests.per.connection to at most 5 to use the idempotent producer.")
	}
	partitioner, ok := consoleProducerPartitioner(cc.str("partitioner.class"))
	if !ok {
		return nil, ccInvalid("partitioner.class", cc.str("partitioner.class"), "Class "+cc.str("partitioner.class")+" could not be found.")
	}
	var codec kgo.CompressionCodec
	switch cc.str("compression.type") {
	case "none":
		codec = kgo.NoCompression()
	case "gzip":
		codec = kgo.GzipCompression()
	case "snappy":
		codec = kgo.SnappyCompression()
	case "lz4":
		codec = kgo.Lz4Compression()
	case "zstd":
		codec = kgo.ZstdCompression()
	default:
		return nil, failed(newThrowable("java.lang.IllegalArgumentException", "Unknown compression name: "+cc.str("compression.type")))
	}
	if len(cc.list("interceptor.classes")) > 0 {
		return nil, failed(newThrowable("java.lang.ClassNotFoundException", cc.list("interceptor.classes")[0]))
	}
	lingerMs := min(cc.num("linger.ms"), int64(1<<31-1))
	deliveryMs := cc.num("delivery.timeout.ms")
	if sum := min(lingerMs+cc.num("request.timeout.ms"), int64(1<<31-1)); deliveryMs < sum {
		if cc.isSet("delivery.timeout.ms") {
			return nil, failed(configThrowable("delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms"))
		}
		deliveryMs = sum
		env.log4j("WARN", fmt.Sprintf("%sdelivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms. Setting it to %d.", prefix, deliveryMs), "org.apache.kafka.clients.producer.KafkaProducer")
	}
	seeds, t := consoleResolveBootstrap(env.Ctx, env, cc.list("bootstrap.servers"))
	if t != nil {
		return nil, failed(t)
	}
	opts, t := consoleClientOpts(env, cc, seeds, clientID, prefix)
	if t != nil {
		return nil, failed(t)
	}
	ms := func(n int64) time.Duration { return time.Duration(n) * time.Millisecond }
	switch acks {
	case "0":
		opts = append(opts, kgo.RequiredAcks(kgo.NoAck()))
	case "1":
		opts = append(opts, kgo.RequiredAcks(kgo.LeaderAck()))
	default:
		opts = append(opts, kgo.RequiredAcks(kgo.AllISRAcks()))
	}
	if !idempotent {
		opts = append(opts, kgo.DisableIdempotentWrite(),
			kgo.MaxProduceRequestsInflightPerBroker(int(cc.num("max.in.flight.requests.per.connection"))))
	}
	// Java's batch.size is a soft target a single larger record may exceed;
	// kgo's batch limit is hard, so it takes the hard limit Java has for a
	// record, max.request.size (checked below as Java does).
	batchMax := min(max(cc.num("max.request.size"), cc.num("batch.size"), 512), 1<<30)
	opts = append(opts,
		kgo.AllowAutoTopicCreation(),
		kgo.RecordPartitioner(partitioner),
		kgo.ProducerBatchCompression(codec),
		kgo.ProducerLinger(ms(lingerMs)),
		kgo.ProducerBatchMaxBytes(int32(batchMax)),
		kgo.ProduceRequestTimeout(max(ms(cc.num("request.timeout.ms")), 100*time.Millisecond)),
		kgo.RecordRetries(int(cc.num("retries"))),
		kgo.RecordDeliveryTimeout(max(ms(deliveryMs), time.Millisecond)),
		kgo.MaxBufferedRecords(1<<30),
	)
	if mem := cc.num("buffer.memory"); mem > 0 {
		opts = append(opts, kgo.MaxBufferedBytes(int(mem)))
	}
	for _, k := range cc.unknown {
		env.log4j("WARN", "The configuration '"+k+"' was supplied but isn't a known config.", "org.apache.kafka.clients.producer.ProducerConfig")
	}
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return nil, failed(newThrowable("org.apache.kafka.common.KafkaException", err.Error()))
	}
	return &consoleProducer{
		env: env, cl: cl, topic: topic, clientID: clientID, sync: sync,
		maxBlock:       ms(cc.num("max.block.ms")),
		retryBackoff:   ms(cc.num("retry.backoff.ms")),
		maxRequestSize: cc.num("max.request.size"),
		bufferMemory:   cc.num("buffer.memory"),
		deliveryMs:     deliveryMs,
	}, nil
}

// consoleLineResult is one readMessage call's outcome.
type consoleLineResult struct {
	msg consoleMessage
	ok  bool
	exc *throwable
}

// run is ConsoleProducer's loop: prompt, read, send, until the end of the
// input; then close (flush) the producer. Ctrl-C closes the producer too and
// exits 130.
func (pr *consoleProducer) run(reader *lineMessageReader) int {
	env := pr.env
	// Reading blocks on standard input; it runs on its own goroutine, one
	// line per request, so that Ctrl-C is noticed while it waits.
	// results has room for the answer nobody waits for after Ctrl-C, so
	// the goroutine ends once its read returns (a read blocked on a
	// terminal ends with the process).
	reqs := make(chan struct{})
	results := make(chan consoleLineResult, 1)
	go func() {
		for range reqs {
			msg, ok, exc := reader.readMessage()
			results <- consoleLineResult{msg, ok, exc}
		}
	}()
	defer close(reqs)
	prompt := env.InTerminal && env.OutTerminal

	code := 0
loop:
	for {
		if prompt {
			fmt.Fprint(env.Out, ">")
		}
		reqs <- struct{}{}
		var res consoleLineResult
		select {
		case <-env.Ctx.Done():
			code = interruptCode(env.Ctx)
			break loop
		case res = <-results:
		}
		if res.exc != nil {
			res.exc.printStackTrace(env.Err)
			code = 1
			break
		}
		if !res.ok {
			break
		}
		if c, stop := pr.send(res.msg); stop {
			code = c
			break
		}
	}
	pr.close()
	return code
}

// close is producer.close(): every buffered record is sent (or fails and
// is reported) before the client goes away.
func (pr *consoleProducer) close() {
	_ = pr.cl.Flush(context.Background())
	pr.cl.Close()
}

// send is ConsoleProducer.send: --sync waits for the record and a failure
// ends the tool; otherwise a failure is logged by ErrorLoggingCallback.
// stop reports that the tool ends with code.
func (pr *consoleProducer) send(msg consoleMessage) (code int, stop bool) {
	done := make(chan *throwable, 1)
	report := func(t *throwable) {
		if pr.sync {
			done <- t
			return
		}
		if t != nil {
			pr.logSendError(msg, t)
		}
		done <- nil
	}
	start := time.Now() // max.block.ms runs on the real clock; env.Now only stamps log lines
	if t, interrupted := pr.waitOnMetadata(start); interrupted {
		return interruptCode(pr.env.Ctx), true
	} else if t != nil {
		report(t)
	} else if size := consoleRecordSize(msg.key, msg.value); int64(size) > pr.maxRequestSize {
		report(kafkaExc("RecordTooLargeException", fmt.Sprintf("The message is %d bytes when serialized which is larger than %d, which is the value of the max.request.size configuration.", size, pr.maxRequestSize)))
	} else if int64(size) > pr.bufferMemory {
		report(kafkaExc("RecordTooLargeException", fmt.Sprintf("The message is %d bytes when serialized which is larger than the total memory buffer you have configured with the buffer.memory configuration.", size)))
	} else if interrupted := pr.produce(msg, start, report); interrupted {
		return interruptCode(pr.env.Ctx), true
	}
	if !pr.sync {
		return 0, false
	}
	select {
	case t := <-done:
		if t != nil {
			execThrowable(t).printStackTrace(pr.env.Err)
			return 1, true
		}
		return 0, false
	case <-pr.env.Ctx.Done():
		return interruptCode(pr.env.Ctx), true
	}
}

// produce hands the record to the client. Like KafkaProducer.send it blocks
// while the buffer is full, for at most what is left of max.block.ms.
func (pr *consoleProducer) produce(msg consoleMessage, start time.Time, report func(*throwable)) (interrupted bool) {
	rec := &kgo.Record{Topic: pr.topic, Key: msg.key, Value: msg.value}
	var blocked chan struct{}
	promise := func(r *kgo.Record, err error) {
		if err == nil {
			report(nil)
			return
		}
		if blocked != nil && errors.Is(err, context.Canceled) {
			select {
			case <-blocked:
				report(kafkaExc("TimeoutException", fmt.Sprintf("Failed to allocate memory within the configured max blocking time %d ms.", pr.maxBlock.Milliseconds())))
				return
			default:
			}
		}
		report(pr.sendError(r, err))
	}
	// A record's context must stay alive once it is buffered: cancelling it
	// would fail the record. Only this goroutine adds to the buffer, so a
	// record that fits now is buffered without waiting.
	size := int64(len(msg.key) + len(msg.value))
	if pr.bufferMemory <= 0 || pr.cl.BufferedProduceBytes()+size <= pr.bufferMemory {
		pr.cl.Produce(context.Background(), rec, promise)
		return false
	}
	ctx, cancel := context.WithCancel(context.Background())
	blocked = make(chan struct{})
	remaining := max(pr.maxBlock-time.Since(start), 0)
	timer := time.AfterFunc(remaining, func() { close(blocked); cancel() })
	stopWatch := context.AfterFunc(pr.env.Ctx, cancel)
	pr.cl.Produce(ctx, rec, promise)
	timer.Stop()
	stopWatch()
	return pr.env.Ctx.Err() != nil
}

// waitOnMetadata is KafkaProducer.waitOnMetadata: until the topic is in the
// metadata (its creation allowed), send metadata requests, for at most
// max.block.ms. A topic error is logged as NetworkClient logs it.
func (pr *consoleProducer) waitOnMetadata(start time.Time) (t *throwable, interrupted bool) {
	if pr.known {
		return nil, false
	}
	deadline := start.Add(pr.maxBlock)
	for {
		remaining := time.Until(deadline)
		if remaining <= 0 {
			break
		}
		ctx, cancel := context.WithTimeout(pr.env.Ctx, remaining)
		req := kmsg.NewPtrMetadataRequest()
		rt := kmsg.NewMetadataRequestTopic()
		rt.Topic = kmsg.StringPtr(pr.topic)
		req.Topics = append(req.Topics, rt)
		req.AllowAutoTopicCreation = true
		resp, err := req.RequestWith(ctx, pr.cl)
		cancel()
		if pr.env.Ctx.Err() != nil {
			return nil, true
		}
		if err == nil {
			// The Java producer's first metadata request goes out with
			// correlation id 1 (after ApiVersions, 0); its next one on a
			// new connection to the broker, after that one's ApiVersions.
			switch pr.correlationID {
			case 0:
				pr.correlationID = 1
			case 1:
				pr.correlationID = 3
			default:
				pr.correlationID++
			}
			for _, tp := range resp.Topics {
				if tp.Topic == nil || *tp.Topic != pr.topic {
					continue
				}
				switch code := tp.ErrorCode; {
				case code == 0 && len(tp.Partitions) > 0:
					pr.known = true
					return nil, false
				case code == kerr.InvalidTopicException.Code:
					return kafkaExc("InvalidTopicException", "Invalid topics: ["+pr.topic+"]"), false
				case code == kerr.TopicAuthorizationFailed.Code:
					return kafkaExc("TopicAuthorizationException", "Not authorized to access topics: ["+pr.topic+"]"), false
				case code != 0:
					pr.env.log4j("WARN", fmt.Sprintf("[Producer clientId=%s] Error while fetching metadata with correlation id %d : {%s=%s}",
						pr.clientID, pr.correlationID, pr.topic, kerr.ErrorForCode(code).(*kerr.Error).Message), "org.apache.kafka.clients.NetworkClient")
				}
			}
		}
		wait := min(pr.retryBackoff, max(time.Until(deadline), 0))
		select {
		case <-pr.env.Ctx.Done():
			return nil, true
		case <-time.After(wait):
		}
	}
	return kafkaExc("TimeoutException", fmt.Sprintf("Topic %s not present in metadata after %d ms.", pr.topic, pr.maxBlock.Milliseconds())), false
}

// sendError is the exception the Java producer completes a failed record with.
func (pr *consoleProducer) sendError(r *kgo.Record, err error) *throwable {
	var ke *kerr.Error
	switch {
	case errors.As(err, &ke):
		return kafkaCodeThrowable(ke.Code, "")
	case errors.Is(err, kgo.ErrRecordTimeout), errors.Is(err, context.DeadlineExceeded):
		return kafkaExc("TimeoutException", fmt.Sprintf("Expiring 1 record(s) for %s-%d:%d ms has passed since batch creation", r.Topic, r.Partition, pr.deliveryMs))
	case errors.Is(err, kgo.ErrClientClosed), errors.Is(err, context.Canceled):
		return newThrowable("org.apache.kafka.common.KafkaException", "Producer is closed forcefully.")
	}
	return newThrowable("org.apache.kafka.common.KafkaException", err.Error())
}

// logSendError is ErrorLoggingCallback.onCompletion with an exception.
func (pr *consoleProducer) logSendError(msg consoleMessage, t *throwable) {
	key := "null"
	if msg.key != nil {
		key = strconv.Itoa(len(msg.key)) + " bytes"
	}
	value := strconv.Itoa(len(msg.value)) + " bytes"
	consoleLogThrowable(pr.env, "ERROR", fmt.Sprintf("Error when sending message to topic %s with key: %s, value: %s with error:", pr.topic, key, value),
		"org.apache.kafka.clients.producer.internals.ErrorLoggingCallback", t)
}

// consoleLogThrowable writes a log4j line followed by the exception, in one write so
// that lines logged from other goroutines cannot come between.
func consoleLogThrowable(env *Env, level, msg, logger string, t *throwable) {
	var b strings.Builder
	fmt.Fprintf(&b, "[%s] %s %s (%s)\n", log4jTime(env.Now()), level, msg, logger)
	for _, l := range t.lines() {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	_, _ = env.Err.Write([]byte(b.String()))
}

// consoleRecordSize is AbstractRecords.estimateSizeInBytesUpperBound for
// a v2 record without headers: the size KafkaProducer checks against
// max.request.size and buffer.memory.
func consoleRecordSize(key, value []byte) int {
	const recordBatchOverhead, maxRecordOverhead = 61, 21
	field := func(b []byte) int {
		if b == nil {
			return 1
		}
		return consoleVarintSize(int32(len(b))) + len(b)
	}
	return recordBatchOverhead + maxRecordOverhead + field(key) + field(value) + consoleVarintSize(0)
}

// consoleVarintSize is ByteUtils.sizeOfVarint: the zig-zag varint length of v.
func consoleVarintSize(v int32) int {
	u := uint32(v<<1) ^ uint32(v>>31)
	n := 1
	for u >= 0x80 {
		u >>= 7
		n++
	}
	return n
}
