package commands

import (
	"errors"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/kafkago/kafka/config"
)

// The console tools hand the Java client a java.util.Properties; the client's
// ConfigDef parses and validates it before anything connects. This file keeps
// the part of ProducerConfig/ConsumerConfig (Kafka 2.8.2) the console tools
// need: every key name (unknown keys are warned about by name), each key's
// type and default, and the validators whose messages a user can trigger.

// ccType is ConfigDef.Type.
type ccType int

const (
	ccString ccType = iota
	ccInt
	ccLong
	ccShort
	ccDouble
	ccBool
	ccList
	ccClass
	ccPassword
)

func (t ccType) javaName() string {
	return [...]string{"STRING", "INT", "LONG", "SHORT", "DOUBLE", "BOOLEAN", "LIST", "CLASS", "PASSWORD"}[t]
}

// ccDef is one ConfigDef.define: the key, its type, its default ("" with
// noDefault for a null default) and its validator.
type ccDef struct {
	name      string
	typ       ccType
	def       string
	noDefault bool
	min, max  *int64
	oneOf     []string
}

func ccAtLeast(n int64) *int64 { return &n }

// ccSecurityDefs are the keys withClientSslSupport and
// withClientSaslSupport add to every client config.
func ccSecurityDefs() []ccDef {
	var defs []ccDef
	for _, k := range []string{"ssl.protocol", "ssl.provider", "ssl.cipher.suites", "ssl.enabled.protocols",
		"ssl.keystore.type", "ssl.keystore.location", "ssl.keystore.password", "ssl.key.password",
		"ssl.keystore.key", "ssl.keystore.certificate.chain", "ssl.truststore.certificates",
		"ssl.truststore.type", "ssl.truststore.location", "ssl.truststore.password",
		"ssl.keymanager.algorithm", "ssl.trustmanager.algorithm", "ssl.endpoint.identification.algorithm",
		"ssl.secure.random.implementation", "ssl.engine.factory.class",
		"sasl.kerberos.service.name", "sasl.kerberos.kinit.cmd", "sasl.kerberos.ticket.renew.window.factor",
		"sasl.kerberos.ticket.renew.jitter", "sasl.kerberos.min.time.before.relogin",
		"sasl.login.refresh.window.factor", "sasl.login.refresh.window.jitter",
		"sasl.login.refresh.min.period.seconds", "sasl.login.refresh.buffer.seconds", "sasl.mechanism",
		"sasl.jaas.config", "sasl.client.callback.handler.class", "sasl.login.callback.handler.class",
		"sasl.login.class"} {
		defs = append(defs, ccDef{name: k, typ: ccString, noDefault: true})
	}
	return defs
}

// ccProducerDefs is ProducerConfig's ConfigDef, in definition order (the first
// invalid key in this order is the one reported).
func ccProducerDefs() []ccDef {
	zero := ccAtLeast(0)
	defs := []ccDef{
		{name: "bootstrap.servers", typ: ccList},
		{name: "client.dns.lookup", typ: ccString, def: "use_all_dns_ips", oneOf: []string{"default", "use_all_dns_ips", "resolve_canonical_bootstrap_servers_only"}},
		{name: "buffer.memory", typ: ccLong, def: "33554432", min: zero},
		{name: "retries", typ: ccInt, def: "2147483647", min: zero, max: ccAtLeast(math.MaxInt32)},
		{name: "acks", typ: ccString, def: "1", oneOf: []string{"all", "-1", "0", "1"}},
		{name: "compression.type", typ: ccString, def: "none"},
		{name: "batch.size", typ: ccInt, def: "16384", min: zero},
		{name: "linger.ms", typ: ccLong, def: "0", min: zero},
		{name: "delivery.timeout.ms", typ: ccInt, def: "120000", min: zero},
		{name: "client.id", typ: ccString, def: ""},
		{name: "send.buffer.bytes", typ: ccInt, def: "131072", min: ccAtLeast(-1)},
		{name: "receive.buffer.bytes", typ: ccInt, def: "32768", min: ccAtLeast(-1)},
		{name: "max.request.size", typ: ccInt, def: "1048576", min: zero},
		{name: "reconnect.backoff.ms", typ: ccLong, def: "50", min: zero},
		{name: "reconnect.backoff.max.ms", typ: ccLong, def: "1000", min: zero},
		{name: "retry.backoff.ms", typ: ccLong, def: "100", min: zero},
		{name: "max.block.ms", typ: ccLong, def: "60000", min: zero},
		{name: "request.timeout.ms", typ: ccInt, def: "30000", min: zero},
		{name: "metadata.max.age.ms", typ: ccLong, def: "300000", min: zero},
		{name: "metadata.max.idle.ms", typ: ccLong, def: "300000", min: ccAtLeast(5000)},
		{name: "metrics.sample.window.ms", typ: ccLong, def: "30000", min: zero},
		{name: "metrics.num.samples", typ: ccInt, def: "2", min: ccAtLeast(1)},
		{name: "metrics.recording.level", typ: ccString, def: "INFO", oneOf: []string{"INFO", "DEBUG", "TRACE"}},
		{name: "metric.reporters", typ: ccList},
		{name: "max.in.flight.requests.per.connection", typ: ccInt, def: "5", min: ccAtLeast(1)},
		{name: "key.serializer", typ: ccClass, noDefault: true},
		{name: "value.serializer", typ: ccClass, noDefault: true},
		{name: "socket.connection.setup.timeout.ms", typ: ccLong, def: "10000"},
		{name: "socket.connection.setup.timeout.max.ms", typ: ccLong, def: "30000"},
		{name: "connections.max.idle.ms", typ: ccLong, def: "540000"},
		{name: "partitioner.class", typ: ccClass, def: "org.apache.kafka.clients.producer.internals.DefaultPartitioner"},
		{name: "interceptor.classes", typ: ccList},
		{name: "security.protocol", typ: ccString, def: "PLAINTEXT"},
		{name: "security.providers", typ: ccString, noDefault: true},
	}
	defs = append(defs, ccSecurityDefs()...)
	return append(defs,
		ccDef{name: "enable.idempotence", typ: ccBool, def: "false"},
		ccDef{name: "transaction.timeout.ms", typ: ccInt, def: "60000"},
		ccDef{name: "transactional.id", typ: ccString, noDefault: true},
		ccDef{name: "internal.auto.downgrade.txn.commit", typ: ccBool, def: "false"},
	)
}

// ccConsumerDefs is ConsumerConfig's ConfigDef, in definition order.
func ccConsumerDefs() []ccDef {
	zero := ccAtLeast(0)
	defs := []ccDef{
		{name: "bootstrap.servers", typ: ccList},
		{name: "client.dns.lookup", typ: ccString, def: "use_all_dns_ips", oneOf: []string{"default", "use_all_dns_ips", "resolve_canonical_bootstrap_servers_only"}},
		{name: "group.id", typ: ccString, noDefault: true},
		{name: "group.instance.id", typ: ccString, noDefault: true},
		{name: "session.timeout.ms", typ: ccInt, def: "10000"},
		{name: "heartbeat.interval.ms", typ: ccInt, def: "3000"},
		{name: "partition.assignment.strategy", typ: ccList, def: "org.apache.kafka.clients.consumer.RangeAssignor"},
		{name: "metadata.max.age.ms", typ: ccLong, def: "300000", min: zero},
		{name: "enable.auto.commit", typ: ccBool, def: "true"},
		{name: "auto.commit.interval.ms", typ: ccInt, def: "5000", min: zero},
		{name: "client.id", typ: ccString, def: ""},
		{name: "client.rack", typ: ccString, def: ""},
		{name: "max.partition.fetch.bytes", typ: ccInt, def: "1048576", min: zero},
		{name: "send.buffer.bytes", typ: ccInt, def: "131072", min: ccAtLeast(-1)},
		{name: "receive.buffer.bytes", typ: ccInt, def: "65536", min: ccAtLeast(-1)},
		{name: "fetch.min.bytes", typ: ccInt, def: "1", min: zero},
		{name: "fetch.max.bytes", typ: ccInt, def: "52428800", min: zero},
		{name: "fetch.max.wait.ms", typ: ccInt, def: "500", min: zero},
		{name: "reconnect.backoff.ms", typ: ccLong, def: "50", min: zero},
		{name: "reconnect.backoff.max.ms", typ: ccLong, def: "1000", min: zero},
		{name: "retry.backoff.ms", typ: ccLong, def: "100", min: zero},
		{name: "auto.offset.reset", typ: ccString, def: "latest", oneOf: []string{"latest", "earliest", "none"}},
		{name: "check.crcs", typ: ccBool, def: "true"},
		{name: "metrics.sample.window.ms", typ: ccLong, def: "30000", min: zero},
		{name: "metrics.num.samples", typ: ccInt, def: "2", min: ccAtLeast(1)},
		{name: "metrics.recording.level", typ: ccString, def: "INFO", oneOf: []string{"INFO", "DEBUG", "TRACE"}},
		{name: "metric.reporters", typ: ccList},
		{name: "key.deserializer", typ: ccClass, noDefault: true},
		{name: "value.deserializer", typ: ccClass, noDefault: true},
		{name: "request.timeout.ms", typ: ccInt, def: "30000", min: zero},
		{name: "default.api.timeout.ms", typ: ccInt, def: "60000", min: zero},
		{name: "socket.connection.setup.timeout.ms", typ: ccLong, def: "10000"},
		{name: "socket.connection.setup.timeout.max.ms", typ: ccLong, def: "30000"},
		{name: "connections.max.idle.ms", typ: ccLong, def: "540000"},
		{name: "interceptor.classes", typ: ccList},
		{name: "max.poll.records", typ: ccInt, def: "500", min: ccAtLeast(1)},
		{name: "max.poll.interval.ms", typ: ccInt, def: "300000", min: ccAtLeast(1)},
		{name: "exclude.internal.topics", typ: ccBool, def: "true"},
		{name: "internal.leave.group.on.close", typ: ccBool, def: "true"},
		{name: "internal.throw.on.fetch.stable.offset.unsupported", typ: ccBool, def: "false"},
		{name: "isolation.level", typ: ccString, def: "read_uncommitted", oneOf: []string{"read_committed", "read_uncommitted"}},
		{name: "allow.auto.create.topics", typ: ccBool, def: "true"},
		{name: "security.providers", typ: ccString, noDefault: true},
		{name: "security.protocol", typ: ccString, def: "PLAINTEXT"},
	}
	return append(defs, ccSecurityDefs()...)
}

// ccValue is one parsed value.
type ccValue struct {
	text string // trimmed text (STRING, CLASS, PASSWORD)
	num  int64
	f    float64
	b    bool
	list []string
	null bool
}

// ccConfig is a parsed client configuration: the originals as given
// and every known key's value.
type ccConfig struct {
	originals map[string]string
	values    map[string]ccValue
	unknown   []string
}

// configThrowable is org.apache.kafka.common.config.ConfigException.
func configThrowable(msg string) *throwable {
	return newThrowable("org.apache.kafka.common.config.ConfigException", msg)
}

// ccInvalid is ConfigException(name, value, message).
func ccInvalid(name, value, reason string) *throwable {
	return configThrowable((&config.ValueError{Key: name, Value: value, Reason: reason}).Error())
}

// ccCommaList is ConfigDef's LIST separator: a comma with any blanks around it.
func ccCommaList() *regexp.Regexp { return regexp.MustCompile(`\s*,\s*`) }

// ccTrim is String.trim: it drops every char <= ' ' at both ends.
func ccTrim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
}

// ccParseValue is ConfigDef.parseType for one value.
func ccParseValue(d ccDef, raw string) (ccValue, *throwable) {
	t := ccTrim(raw)
	notNumber := func() *throwable { return ccInvalid(d.name, raw, "Not a number of type "+d.typ.javaName()) }
	var v ccValue
	switch d.typ {
	case ccString, ccPassword:
		v.text = t
	case ccClass:
		v.text = t
	case ccBool:
		switch strings.ToLower(t) {
		case "true":
			v.b = true
		case "false":
		default:
			return v, ccInvalid(d.name, raw, "Expected value to be either true or false")
		}
	case ccInt, ccShort, ccLong:
		bits := map[ccType]int{ccInt: 32, ccShort: 16, ccLong: 64}[d.typ]
		n, err := strconv.ParseInt(t, 10, bits)
		if err != nil {
			return v, notNumber()
		}
		v.num = n
	case ccDouble:
		f, err := strconv.ParseFloat(t, 64)
		if err != nil {
			return v, notNumber()
		}
		v.f = f
	case ccList:
		if t != "" {
			v.list = ccCommaList().Split(t, -1)
		}
	}
	// Validators print the parsed value, not the text it came from.
	if d.min != nil && v.num < *d.min {
		return v, ccInvalid(d.name, strconv.FormatInt(v.num, 10), "Value must be at least "+strconv.FormatInt(*d.min, 10))
	}
	if d.max != nil && v.num > *d.max {
		return v, ccInvalid(d.name, strconv.FormatInt(v.num, 10), "Value must be no more than "+strconv.FormatInt(*d.max, 10))
	}
	if d.oneOf != nil {
		ok := false
		for _, s := range d.oneOf {
			ok = ok || s == v.text
		}
		if !ok {
			return v, ccInvalid(d.name, v.text, "String must be one of: "+strings.Join(d.oneOf, ", "))
		}
	}
	return v, nil
}

// ccParse parses props with defs as AbstractConfig does: every
// known key in definition order, its value from props or its default. The
// first invalid value is returned as Kafka's ConfigException.
func ccParse(defs []ccDef, props map[string]string) (*ccConfig, *throwable) {
	cc := &ccConfig{originals: props, values: map[string]ccValue{}}
	known := map[string]bool{}
	for _, d := range defs {
		known[d.name] = true
		raw, set := props[d.name]
		if !set {
			if d.noDefault {
				cc.values[d.name] = ccValue{null: true}
				continue
			}
			raw = d.def
		}
		v, err := ccParseValue(d, raw)
		if err != nil {
			return nil, err
		}
		cc.values[d.name] = v
	}
	for k := range props {
		if !known[k] {
			cc.unknown = append(cc.unknown, k)
		}
	}
	slices.Sort(cc.unknown)
	return cc, nil
}

func (cc *ccConfig) isSet(key string) bool { _, ok := cc.originals[key]; return ok }
func (cc *ccConfig) str(key string) string { return cc.values[key].text }
func (cc *ccConfig) num(key string) int64  { return cc.values[key].num }
func (cc *ccConfig) boolean(key string) bool {
	return cc.values[key].b
}
func (cc *ccConfig) list(key string) []string { return cc.values[key].list }
func (cc *ccConfig) isNull(key string) bool   { return cc.values[key].null }

// consoleLoadProps is Utils.consoleLoadProps: the file read as java.util.Properties.
func consoleLoadProps(path string) (map[string]string, *throwable) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fileThrowable(path, err)
	}
	defer f.Close()
	m, err := config.ParsePropertiesMap(f)
	if err != nil {
		var ke *config.KafkaError
		if errors.As(err, &ke) {
			return nil, newThrowable("java.lang.IllegalArgumentException", ke.Msg)
		}
		return nil, fileThrowable(path, err)
	}
	return m, nil
}

// consoleKeyValues is CommandLineUtils.parseKeyValueArgs into a map.
func consoleKeyValues(args []string) map[string]string {
	return config.PropertiesMap(config.ParseKeyValueArgs(args))
}
