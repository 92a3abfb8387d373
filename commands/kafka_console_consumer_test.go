package commands

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

func TestConsoleConsumerHelp(t *testing.T) {
	help := consoleConsumerOptions().help()
	consoleCheckGolden(t, "kafka-console-consumer", "help", help)
	if strings.Contains(help, "--include") {
		t.Error("--include (Kafka 3.0) must not change 2.8's help")
	}
	for _, h := range []string{"--whitelist <String: whitelist>", "--key-deserializer <String:", "(default: kafka.tools.", " print.timestamp=true|false"} {
		if !strings.Contains(help, h) {
			t.Errorf("help lacks %q", h)
		}
	}
}

func TestConsoleConsumerValidation(t *testing.T) {
	help := consoleConsumerOptions().help()
	usage := func(msg string) string { return msg + "\n" + help }
	dir := t.TempDir()
	groupFile := filepath.Join(dir, "consumer.properties")
	if err := os.WriteFile(groupFile, []byte("group.id=g3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const bs = "127.0.0.1:1"
	cannotLoad := "Caused by: java.lang.UnsupportedOperationException: kafka-console-consumer cannot load Java classes; --formatter accepts only kafka.tools.DefaultMessageFormatter, kafka.tools.LoggingMessageFormatter, kafka.tools.NoOpMessageFormatter, kafka.tools.ChecksumMessageFormatter\n"
	unknownError := fixedLogTime + " ERROR Unknown error when running consumer:  (kafka.tools.ConsoleConsumer$)\n"
	for _, tc := range []struct {
		name   string
		args   []string
		stdout string
		stderr string
		code   int
	}{
		{name: "no arguments", stderr: usage(consumerHelpMessage), code: 1},
		{name: "help", args: []string{"--help"}, stderr: usage(consumerHelpMessage), code: 1},
		{name: "version", args: []string{"--version", "--topic", "t"}, stdout: versionLine() + "\n"},
		{name: "neither topic nor whitelist", args: []string{"--bootstrap-server", bs}, stderr: usage("Exactly one of whitelist/topic is required."), code: 1},
		{name: "topic and whitelist", args: []string{"--bootstrap-server", bs, "--topic", "t", "--whitelist", "c.*"}, stderr: usage("Exactly one of whitelist/topic is required."), code: 1},
		{name: "topic and include", args: []string{"--bootstrap-server", bs, "--topic", "t", "--include", "c.*"}, stderr: usage("Exactly one of whitelist/topic is required."), code: 1},
		{name: "partition without topic", args: []string{"--bootstrap-server", bs, "--whitelist", "c.*", "--partition", "0"}, stderr: usage("The topic is required when partition is specified."), code: 1},
		{name: "from-beginning and offset", args: []string{"--bootstrap-server", bs, "--topic", "t", "--partition", "0", "--offset", "5", "--from-beginning"}, stderr: usage("Options from-beginning and offset cannot be specified together."), code: 1},
		{name: "offset without partition", args: []string{"--bootstrap-server", bs, "--topic", "t", "--offset", "5"}, stderr: usage("The partition is required when offset is specified."), code: 1},
		{name: "bad offset", args: []string{"--bootstrap-server", bs, "--topic", "t", "--partition", "0", "--offset", "abc"}, stderr: usage("The provided offset value 'abc' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long."), code: 1},
		{name: "negative offset", args: []string{"--bootstrap-server", bs, "--topic", "t", "--partition", "0", "--offset", "-5"}, stderr: usage("The provided offset value '-5' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long."), code: 1},
		{name: "offset is lowercased in the message", args: []string{"--bootstrap-server", bs, "--topic", "t", "--partition", "0", "--offset", "ABC"}, stderr: usage("The provided offset value 'abc' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long."), code: 1},
		{name: "no bootstrap", args: []string{"--topic", "t"}, stderr: usage(`Missing required argument "[bootstrap-server]"`), code: 1},
		{name: "no bootstrap, offset in capitals", args: []string{"--topic", "t", "--partition", "0", "--offset", "LATEST"}, stderr: usage(`Missing required argument "[bootstrap-server]"`), code: 1},
		{name: "group and partition", args: []string{"--bootstrap-server", bs, "--topic", "t", "--group", "g", "--partition", "0"}, stderr: usage("Options group and partition cannot be specified together."), code: 1},
		{name: "group ids differ", args: []string{"--bootstrap-server", bs, "--topic", "t", "--group", "g1", "--consumer-property", "group.id=g2"},
			stderr: usage("The group ids provided in different places (directly using '--group', via '--consumer-property', or via '--consumer.config') do not match. Detected group ids: 'g1', 'g2'"), code: 1},
		{name: "three group ids", args: []string{"--bootstrap-server", bs, "--topic", "t", "--consumer-property", "group.id=g2", "--group", "g1", "--consumer.config", groupFile},
			stderr: usage("The group ids provided in different places (directly using '--group', via '--consumer-property', or via '--consumer.config') do not match. Detected group ids: 'g1', 'g3', 'g2'"), code: 1},
		{name: "group from file and partition", args: []string{"--bootstrap-server", bs, "--topic", "t", "--partition", "0", "--consumer.config", groupFile},
			stderr: usage("Options group and partition cannot be specified together."), code: 1},
		{name: "from-beginning and auto.offset.reset", args: []string{"--bootstrap-server", bs, "--topic", "t", "--from-beginning", "--consumer-property", "auto.offset.reset=latest"},
			stderr: "Can't simultaneously specify --from-beginning and 'auto.offset.reset=latest', please remove one option\n", code: 1},
		{name: "unknown option", args: []string{"--bootstrap-server", bs, "--topic", "t", "--frobnicate"}, stderr: usage("frobnicate is not a recognized option"), code: 1},
		{name: "bad max-messages", args: []string{"--bootstrap-server", bs, "--topic", "t", "--max-messages", "x"},
			stderr: "Exception in thread \"main\" joptsimple.OptionArgumentConversionException: Cannot parse argument 'x' of option max-messages\n", code: 1},
		{name: "bad partition", args: []string{"--bootstrap-server", bs, "--topic", "t", "--partition", "p"},
			stderr: "Exception in thread \"main\" joptsimple.OptionArgumentConversionException: Cannot parse argument 'p' of option partition\n", code: 1},
		{name: "topic twice", args: []string{"--bootstrap-server", bs, "--topic", "t", "--topic", "u"},
			stderr: "Exception in thread \"main\" joptsimple.MultipleArgumentsForOptionException: Found multiple arguments for option topic, but you asked for only one\n", code: 1},
		{name: "unknown formatter", args: []string{"--bootstrap-server", bs, "--topic", "t", "--formatter", "no.such.Formatter"},
			stderr: "Exception in thread \"main\" java.lang.ClassNotFoundException: no.such.Formatter\n" + cannotLoad, code: 1},
		{name: "Kafka formatter not provided", args: []string{"--bootstrap-server", bs, "--topic", "t", "--formatter", "kafka.coordinator.group.GroupMetadataManager$OffsetsMessageFormatter"},
			stderr: "Exception in thread \"main\" java.lang.UnsupportedOperationException: kafka.coordinator.group.GroupMetadataManager$OffsetsMessageFormatter is not provided by this implementation of kafka-console-consumer\n" + cannotLoad, code: 1},
		{name: "unknown deserializer", args: []string{"--bootstrap-server", bs, "--topic", "t", "--value-deserializer", "com.example.Deser"},
			stderr: "Exception in thread \"main\" java.lang.ClassNotFoundException: com.example.Deser\nCaused by: java.lang.UnsupportedOperationException: kafka-console-consumer cannot load Java classes; a deserializer accepts only org.apache.kafka.common.serialization.{String,ByteArray,ByteBuffer,Bytes,Long,Integer,Short,Double,Float,UUID,Void}Deserializer\n", code: 1},
		{name: "deserializer without package", args: []string{"--bootstrap-server", bs, "--topic", "t", "--property", "key.deserializer=StringDeserializer"},
			stderr: "Exception in thread \"main\" java.lang.ClassNotFoundException: StringDeserializer\nCaused by: java.lang.UnsupportedOperationException: kafka-console-consumer cannot load Java classes; a deserializer accepts only org.apache.kafka.common.serialization.{String,ByteArray,ByteBuffer,Bytes,Long,Integer,Short,Double,Float,UUID,Void}Deserializer\n", code: 1},
		{name: "missing config file", args: []string{"--bootstrap-server", bs, "--topic", "t", "--consumer.config", "/nonexistent/c.properties"},
			stderr: "Exception in thread \"main\" java.nio.file.NoSuchFileException: /nonexistent/c.properties\n", code: 1},
		{name: "bad isolation level", args: []string{"--bootstrap-server", bs, "--topic", "t", "--isolation-level", "dirty"},
			stderr: unknownError + "org.apache.kafka.common.config.ConfigException: Invalid value dirty for configuration isolation.level: String must be one of: read_committed, read_uncommitted\n", code: 1},
		{name: "isolation level twice", args: []string{"--bootstrap-server", bs, "--topic", "t", "--isolation-level", "read_committed", "--isolation-level", "read_committed"},
			stderr: unknownError + "joptsimple.MultipleArgumentsForOptionException: Found multiple arguments for option isolation-level, but you asked for only one\n", code: 1},
		{name: "bad auto.offset.reset", args: []string{"--bootstrap-server", bs, "--topic", "t", "--consumer-property", "auto.offset.reset=smallest"},
			stderr: unknownError + "org.apache.kafka.common.config.ConfigException: Invalid value smallest for configuration auto.offset.reset: String must be one of: latest, earliest, none\n", code: 1},
		{name: "bad session timeout", args: []string{"--bootstrap-server", bs, "--topic", "t", "--consumer-property", "session.timeout.ms=10s"},
			stderr: unknownError + "org.apache.kafka.common.config.ConfigException: Invalid value 10s for configuration session.timeout.ms: Not a number of type INT\n", code: 1},
		{name: "bad bootstrap", args: []string{"--bootstrap-server", "foo", "--topic", "t"},
			stderr: unknownError + "org.apache.kafka.common.KafkaException: Failed to construct kafka consumer\nCaused by: org.apache.kafka.common.config.ConfigException: Invalid url in bootstrap.servers: foo\n", code: 1},
		{name: "bad port", args: []string{"--bootstrap-server", "h:70000", "--topic", "t"},
			stderr: unknownError + "org.apache.kafka.common.KafkaException: Failed to construct kafka consumer\nCaused by: org.apache.kafka.common.config.ConfigException: Invalid port in bootstrap.servers: h:70000\n", code: 1},
		{name: "unknown assignor", args: []string{"--bootstrap-server", bs, "--topic", "t", "--consumer-property", "partition.assignment.strategy=com.example.Assignor"},
			stderr: unknownError + "org.apache.kafka.common.KafkaException: Failed to construct kafka consumer\nCaused by: org.apache.kafka.common.KafkaException: com.example.Assignor ClassNotFoundException exception occurred\n", code: 1},
		{name: "empty topic", args: []string{"--bootstrap-server", bs, "--topic", " "},
			stderr: unknownError + "java.lang.IllegalArgumentException: Topic collection to subscribe to cannot contain null or empty topic\n", code: 1},
		{name: "empty topic to assign", args: []string{"--bootstrap-server", bs, "--topic", "", "--partition", "0"},
			stderr: unknownError + "java.lang.IllegalArgumentException: Topic partitions to assign to cannot have null or empty topic\n", code: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errs, code := consoleRun(context.Background(), nil, append([]string{"kafka-console-consumer"}, tc.args...)...)
			if code != tc.code || out != tc.stdout || errs != tc.stderr {
				t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit %d, stdout %q, stderr:\n%s", code, out, errs, tc.code, tc.stdout, tc.stderr)
			}
		})
	}
}

func TestConsoleConsumerBadPattern(t *testing.T) {
	_, errs, code := consoleRun(context.Background(), nil, "kafka-console-consumer", "--bootstrap-server", "127.0.0.1:1", "--whitelist", "(")
	prefix := fixedLogTime + " ERROR Unknown error when running consumer:  (kafka.tools.ConsoleConsumer$)\njava.util.regex.PatternSyntaxException: "
	if code != 1 || !strings.HasPrefix(errs, prefix) {
		t.Errorf("exit %d, stderr:\n%s", code, errs)
	}
}

// consoleFormatterRecords are the records of the formatter golden: each timestamp
// type, null and empty keys and values, headers with null values, raw bytes.
func consoleFormatterRecords() []*consoleRecord {
	return []*consoleRecord{
		{topic: "t", partition: 0, offset: 0, timestamp: 1622548800000, tsType: 0, key: []byte("k1"), value: []byte("hello")},
		{topic: "t", partition: 3, offset: 42, timestamp: 1622548800001, tsType: 1, value: []byte("no key"),
			headers: []consoleHeader{{"h1", []byte("v1")}, {"h2", nil}, {"h3", []byte{}}}},
		{topic: "t", partition: 1, offset: 7, timestamp: -1, tsType: -1, key: []byte{}, headers: []consoleHeader{{"only", []byte("one")}}},
		{topic: "t", partition: 2, offset: 9, timestamp: 0, tsType: 0, key: []byte{0xff, 0x00, '\t'}, value: []byte("caf\xc3\xa9 \xfe\n")},
	}
}

func TestConsoleFormatterGolden(t *testing.T) {
	fields := []string{"print.timestamp", "print.partition", "print.offset", "print.headers", "print.key", "print.value"}
	var b bytes.Buffer
	for mask := 0; mask < 1<<len(fields); mask++ {
		props := map[string]string{}
		var names []string
		for i, f := range fields {
			on := mask&(1<<i) != 0
			props[f] = fmt.Sprint(on)
			names = append(names, fmt.Sprintf("%s=%v", f, on))
		}
		fmt.Fprintf(&b, "== %s\n", strings.Join(names, " "))
		f, exc := newConsoleMessageFormatter(defaultFormatterClass, props)
		if exc != nil {
			t.Fatal(exc)
		}
		for _, r := range consoleFormatterRecords() {
			if exc := f.writeTo(r, &b); exc != nil {
				t.Fatal(exc)
			}
		}
	}
	for _, extra := range []map[string]string{
		{"print.key": "true", "print.headers": "true", "key.separator": " | ", "line.separator": "<EOL>\n", "headers.separator": ";", "null.literal": "(nil)"},
		{"print.key": "true", "key.separator": "", "line.separator": ""},
		{"print.key": "true", "print.headers": "true", "key.deserializer": "org.apache.kafka.common.serialization.StringDeserializer",
			"value.deserializer": "org.apache.kafka.common.serialization.StringDeserializer", "headers.deserializer": "org.apache.kafka.common.serialization.BytesDeserializer"},
	} {
		fmt.Fprintf(&b, "== %v\n", extra)
		f, exc := newConsoleMessageFormatter(defaultFormatterClass, extra)
		if exc != nil {
			t.Fatal(exc)
		}
		for _, r := range consoleFormatterRecords() {
			if exc := f.writeTo(r, &b); exc != nil {
				t.Fatal(exc)
			}
		}
	}
	consoleCheckGolden(t, "kafka-console-consumer", "formatter", b.String())
}

func TestConsoleFormatterExamples(t *testing.T) {
	// reference/cli.md §5.3's examples, written out by hand.
	rec := &consoleRecord{topic: "t", partition: 0, offset: 5, timestamp: 1622548800000, tsType: 0, key: []byte("k1"), value: []byte("hello")}
	nullKey := &consoleRecord{topic: "t", offset: 6, timestamp: 1622548800000, value: []byte("hello")}
	for _, tc := range []struct {
		props map[string]string
		rec   *consoleRecord
		want  string
	}{
		{nil, rec, "hello\n"},
		{map[string]string{"print.key": "true"}, rec, "k1\thello\n"},
		{map[string]string{"print.key": "true"}, nullKey, "null\thello\n"},
		{map[string]string{"print.key": ""}, rec, "hello\n"},
		{map[string]string{"print.key": " True "}, rec, "k1\thello\n"},
		{map[string]string{"print.key": "yes"}, rec, "hello\n"},
		{map[string]string{"print.timestamp": "true", "print.key": "true"}, rec, "CreateTime:1622548800000\tk1\thello\n"},
		{map[string]string{"print.timestamp": "true", "print.key": "true", "print.partition": "true", "print.offset": "true", "print.headers": "true"}, rec,
			"CreateTime:1622548800000\tPartition:0\tOffset:5\tNO_HEADERS\tk1\thello\n"},
		{map[string]string{"print.value": "false", "print.key": "true"}, rec, "k1\n"},
		{map[string]string{"print.value": "false"}, rec, ""},
		{map[string]string{"print.timestamp": "true", "print.value": "false"}, rec, "CreateTime:1622548800000\n"},
		{map[string]string{"print.key": "true", "null.literal": "NIL"}, nullKey, "NIL\thello\n"},
		{map[string]string{"print.key": "true", "key.separator": ":"}, rec, "k1:hello\n"},
		{map[string]string{"print.key": "true", "line.separator": ";"}, rec, "k1\thello;"},
	} {
		f, exc := newConsoleMessageFormatter(defaultFormatterClass, tc.props)
		if exc != nil {
			t.Fatal(exc)
		}
		var b bytes.Buffer
		if exc := f.writeTo(tc.rec, &b); exc != nil || b.String() != tc.want {
			t.Errorf("%v: %q (%v), want %q", tc.props, b.String(), exc, tc.want)
		}
	}
	var b bytes.Buffer
	for class, want := range map[string]string{
		noOpFormatterClass:     "",
		loggingFormatterClass:  "hello\n",
		checksumFormatterClass: "checksum:0\n",
	} {
		b.Reset()
		f, _ := newConsoleMessageFormatter(class, nil)
		if f.writeTo(rec, &b); b.String() != want {
			t.Errorf("%s: %q, want %q", class, b.String(), want)
		}
	}
	b.Reset()
	f, _ := newConsoleMessageFormatter(checksumFormatterClass, map[string]string{"topic": "orders"})
	if f.writeTo(rec, &b); b.String() != "orders:checksum:0\n" {
		t.Errorf("checksum with topic: %q", b.String())
	}
}

func TestConsoleDeserializers(t *testing.T) {
	long := func(v int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(v)) }
	double := func(f float64) []byte { return binary.BigEndian.AppendUint64(nil, math.Float64bits(f)) }
	float := func(f float32) []byte { return binary.BigEndian.AppendUint32(nil, math.Float32bits(f)) }
	const pkg = "org.apache.kafka.common.serialization."
	for _, tc := range []struct {
		class   string
		configs map[string]string
		data    []byte
		want    string
		exc     string
	}{
		{class: "StringDeserializer", data: []byte("héllo"), want: "héllo"},
		{class: "StringDeserializer", data: []byte("bad\xff"), want: "bad\uFFFD"},
		{class: "StringDeserializer", configs: map[string]string{"deserializer.encoding": "ISO-8859-1"}, data: []byte("caf\xe9"), want: "café"},
		{class: "StringDeserializer", configs: map[string]string{"value.deserializer.encoding": "US-ASCII"}, data: []byte("a\xe9"), want: "a\uFFFD"},
		{class: "StringDeserializer", configs: map[string]string{"deserializer.encoding": "UTF-16BE"}, data: []byte{0, 'h', 0, 'i'}, want: "hi"},
		{class: "StringDeserializer", configs: map[string]string{"deserializer.encoding": "EBCDIC-XYZ"}, data: []byte("x"),
			exc: "org.apache.kafka.common.errors.SerializationException: Error when deserializing byte[] to string due to unsupported encoding EBCDIC-XYZ"},
		{class: "LongDeserializer", data: long(-42), want: "-42"},
		{class: "LongDeserializer", data: []byte("null"), exc: "org.apache.kafka.common.errors.SerializationException: Size of data received by LongDeserializer is not 8"},
		{class: "IntegerDeserializer", data: []byte{0xff, 0xff, 0xff, 0xfe}, want: "-2"},
		{class: "IntegerDeserializer", data: []byte{1}, exc: "org.apache.kafka.common.errors.SerializationException: Size of data received by IntegerDeserializer is not 4"},
		{class: "ShortDeserializer", data: []byte{0x01, 0x00}, want: "256"},
		{class: "DoubleDeserializer", data: double(1), want: "1.0"},
		{class: "DoubleDeserializer", data: double(123.456), want: "123.456"},
		{class: "DoubleDeserializer", data: double(1e7), want: "1.0E7"},
		{class: "DoubleDeserializer", data: double(9999999.5), want: "9999999.5"},
		{class: "DoubleDeserializer", data: double(0.001), want: "0.001"},
		{class: "DoubleDeserializer", data: double(0.0001), want: "1.0E-4"},
		{class: "DoubleDeserializer", data: double(-1.5e300), want: "-1.5E300"},
		{class: "DoubleDeserializer", data: double(math.Copysign(0, -1)), want: "-0.0"},
		{class: "DoubleDeserializer", data: double(math.NaN()), want: "NaN"},
		{class: "DoubleDeserializer", data: double(math.Inf(-1)), want: "-Infinity"},
		{class: "DoubleDeserializer", data: []byte{1}, exc: "org.apache.kafka.common.errors.SerializationException: Size of data received by Deserializer is not 8"},
		{class: "FloatDeserializer", data: float(0.1), want: "0.1"},
		{class: "FloatDeserializer", data: float(3e10), want: "3.0E10"},
		{class: "UUIDDeserializer", data: []byte("123E4567-E89B-12D3-A456-426614174000"), want: "123e4567-e89b-12d3-a456-426614174000"},
		{class: "UUIDDeserializer", data: []byte("1-2-3-4-5"), want: "00000001-0002-0003-0004-000000000005"},
		{class: "UUIDDeserializer", data: []byte("nope"), exc: "org.apache.kafka.common.errors.SerializationException: Error parsing data into UUID"},
		{class: "BytesDeserializer", data: []byte("a\\b\x00~\x7f"), want: `a\x5Cb\x00~\x7F`},
		{class: "ByteBufferDeserializer", data: []byte("abc"), want: "java.nio.HeapByteBuffer[pos=0 lim=3 cap=3]"},
		{class: "VoidDeserializer", data: []byte("null"), exc: "java.lang.IllegalArgumentException: Data should be null for a VoidDeserializer."},
	} {
		d, exc := newConsoleDeserializer(pkg+tc.class, tc.configs, false)
		if exc != nil {
			t.Fatalf("%s: %v", tc.class, exc)
		}
		got, exc := d.deserialize("t", tc.data)
		gotExc := ""
		if exc != nil {
			gotExc = exc.Error()
		}
		if got != tc.want || gotExc != tc.exc {
			t.Errorf("%s(%q) = %q, %q; want %q, %q", tc.class, tc.data, got, gotExc, tc.want, tc.exc)
		}
	}
	d, _ := newConsoleDeserializer(pkg+"ByteArrayDeserializer", nil, false)
	if got, _ := d.deserialize("t", []byte("x")); !regexp.MustCompile(`^\[B@[0-9a-f]+$`).MatchString(got) {
		t.Errorf("byte[].toString = %q", got)
	}
	// The formatter hands the deserializer the null literal for a null key.
	f, _ := newConsoleMessageFormatter(defaultFormatterClass, map[string]string{"print.key": "true", "key.deserializer": pkg + "StringDeserializer", "null.literal": "<none>"})
	var b bytes.Buffer
	if exc := f.writeTo(&consoleRecord{value: []byte("v")}, &b); exc != nil || b.String() != "<none>\tv\n" {
		t.Errorf("null key with deserializer: %q, %v", b.String(), exc)
	}
	// A failing deserializer leaves what was written before it.
	f, _ = newConsoleMessageFormatter(defaultFormatterClass, map[string]string{"print.key": "true", "value.deserializer": pkg + "LongDeserializer"})
	b.Reset()
	if exc := f.writeTo(&consoleRecord{key: []byte("k"), value: []byte("v")}, &b); exc == nil || b.String() != "k\t" {
		t.Errorf("partial output %q, exception %v", b.String(), exc)
	}
}

func TestConsoleConsumerPrintOptions(t *testing.T) {
	addr := consoleCluster(t)
	if _, errs, code := consoleRun(context.Background(), strings.NewReader("k1\tv1\n\tempty key\nk3\t\n"),
		"kafka-console-producer", "--bootstrap-server", addr, "--topic", "pp", "--property", "parse.key=true"); code != 0 {
		t.Fatalf("producer: %d %s", code, errs)
	}
	if _, errs, code := consoleRun(context.Background(), strings.NewReader("\nlast\n"),
		"kafka-console-producer", "--bootstrap-server", addr, "--topic", "pp"); code != 0 {
		t.Fatalf("producer: %d %s", code, errs)
	}
	base := []string{"kafka-console-consumer", "--bootstrap-server", addr, "--topic", "pp", "--from-beginning", "--max-messages", "5"}
	ts := regexp.MustCompile(`CreateTime:\d+`)
	for _, tc := range []struct {
		props []string
		want  string
	}{
		{nil, "v1\nempty key\n\n\nlast\n"},
		{[]string{"print.key=true"}, "k1\tv1\n\tempty key\nk3\t\nnull\t\nnull\tlast\n"},
		{[]string{"print.offset=true"}, "Offset:0\tv1\nOffset:1\tempty key\nOffset:2\t\nOffset:3\t\nOffset:4\tlast\n"},
		{[]string{"print.partition=true"}, "Partition:0\tv1\nPartition:0\tempty key\nPartition:0\t\nPartition:0\t\nPartition:0\tlast\n"},
		{[]string{"print.headers=true"}, "NO_HEADERS\tv1\nNO_HEADERS\tempty key\nNO_HEADERS\t\nNO_HEADERS\t\nNO_HEADERS\tlast\n"},
		{[]string{"print.timestamp=true"}, "CreateTime:<TS>\tv1\nCreateTime:<TS>\tempty key\nCreateTime:<TS>\t\nCreateTime:<TS>\t\nCreateTime:<TS>\tlast\n"},
		{[]string{"print.value=false", "print.key=true"}, "k1\n\nk3\nnull\nnull\n"},
		{[]string{"print.value=false"}, ""},
		{[]string{"print.key=true", "key.separator=:", "null.literal=-"}, "k1:v1\n:empty key\nk3:\n-:\n-:last\n"},
	} {
		args := append([]string(nil), base...)
		for _, p := range tc.props {
			args = append(args, "--property", p)
		}
		out, errs, code := consoleRun(context.Background(), nil, args...)
		out = ts.ReplaceAllString(out, "CreateTime:<TS>")
		if code != 0 || out != tc.want || errs != "Processed a total of 5 messages\n" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want %q", tc.props, code, out, errs, tc.want)
		}
	}
}

func TestConsoleConsumerPartitionOffset(t *testing.T) {
	addr := consoleCluster(t)
	var recs []*kgo.Record
	for i := 0; i < 6; i++ {
		recs = append(recs, &kgo.Record{Topic: "po", Partition: int32(i % 2), Value: []byte(fmt.Sprintf("v%d", i))})
	}
	if err := consoleCreateTopic(addr, "po", 2); err != nil {
		t.Fatal(err)
	}
	consoleProduce(t, addr, recs...)
	timeoutErr := fixedLogTime + " ERROR Error processing message, terminating consumer process:  (kafka.tools.ConsoleConsumer$)\norg.apache.kafka.common.errors.TimeoutException\n"
	for _, tc := range []struct {
		args   []string
		stdout string
		stderr string
	}{
		{[]string{"--partition", "1", "--offset", "earliest", "--timeout-ms", "1500", "--property", "print.offset=true"},
			"Offset:0\tv1\nOffset:1\tv3\nOffset:2\tv5\n", timeoutErr + "Processed a total of 3 messages\n"},
		{[]string{"--partition", "0", "--offset", "1", "--max-messages", "1", "--property", "print.partition=true"},
			"Partition:0\tv2\n", "Processed a total of 1 messages\n"},
		{[]string{"--partition", "0", "--offset", "EARLIEST", "--max-messages", "1"}, "v0\n", "Processed a total of 1 messages\n"},
		{[]string{"--partition", "1", "--from-beginning", "--max-messages", "2"}, "v1\nv3\n", "Processed a total of 2 messages\n"},
		{[]string{"--partition", "0", "--timeout-ms", "1000"}, "", timeoutErr + "Processed a total of 0 messages\n"},
		{[]string{"--partition", "0", "--offset", "latest", "--timeout-ms", "1000"}, "", timeoutErr + "Processed a total of 0 messages\n"},
		{[]string{"--partition", "0", "--offset", "100", "--timeout-ms", "1000"}, "", timeoutErr + "Processed a total of 0 messages\n"},
	} {
		args := append([]string{"kafka-console-consumer", "--bootstrap-server", addr, "--topic", "po"}, tc.args...)
		out, errs, code := consoleRun(context.Background(), nil, args...)
		if code != 0 || out != tc.stdout || errs != tc.stderr {
			t.Errorf("%v: exit %d, stdout %q, stderr:\n%s\nwant stdout %q, stderr:\n%s", tc.args, code, out, errs, tc.stdout, tc.stderr)
		}
	}
}

// consoleCreateTopic creates topic with partitions on the cluster at addr.
func consoleCreateTopic(addr, topic string, partitions int32) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr))
	if err != nil {
		return err
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := kadm.NewClient(cl).CreateTopic(ctx, partitions, 1, nil, topic)
	if err != nil {
		return err
	}
	return resp.Err
}

func TestConsoleConsumerTimeout(t *testing.T) {
	addr := consoleCluster(t)
	consoleProduce(t, addr, &kgo.Record{Topic: "to", Value: []byte("m1")}, &kgo.Record{Topic: "to", Value: []byte("m2")})
	start := time.Now()
	out, errs, code := consoleRun(context.Background(), nil, "kafka-console-consumer", "--bootstrap-server", addr, "--topic", "to", "--from-beginning", "--timeout-ms", "1000")
	want := fixedLogTime + " ERROR Error processing message, terminating consumer process:  (kafka.tools.ConsoleConsumer$)\norg.apache.kafka.common.errors.TimeoutException\nProcessed a total of 2 messages\n"
	if code != 0 || out != "m1\nm2\n" || errs != want {
		t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant:\n%s", code, out, errs, want)
	}
	if took := time.Since(start); took < time.Second || took > 15*time.Second {
		t.Errorf("took %v for --timeout-ms 1000", took)
	}
	// Without records and with an unreachable broker the timeout still ends it.
	start = time.Now()
	out, errs, code = consoleRun(context.Background(), nil, "kafka-console-consumer", "--bootstrap-server", consoleUnreachable(t), "--topic", "to", "--timeout-ms", "800")
	if code != 0 || out != "" || !strings.HasSuffix(errs, "org.apache.kafka.common.errors.TimeoutException\nProcessed a total of 0 messages\n") ||
		!strings.Contains(errs, "Connection to node -1 (/127.0.0.1:1) could not be established. Broker may not be available. (org.apache.kafka.clients.NetworkClient)") {
		t.Errorf("unreachable: exit %d, stdout %q, stderr:\n%s", code, out, errs)
	}
	if took := time.Since(start); took > 15*time.Second {
		t.Errorf("unreachable broker: took %v", took)
	}
}

func TestConsoleConsumerGroupCommits(t *testing.T) {
	addr := consoleCluster(t)
	for i := 1; i <= 3; i++ {
		consoleProduce(t, addr, &kgo.Record{Topic: "gr", Value: []byte(fmt.Sprintf("g%d", i))})
	}
	run := func(args ...string) (string, string, int) {
		return consoleRun(context.Background(), nil, append([]string{"kafka-console-consumer", "--bootstrap-server", addr, "--topic", "gr"}, args...)...)
	}
	out, errs, code := run("--group", "grp1", "--from-beginning", "--max-messages", "2")
	if code != 0 || out != "g1\ng2\n" || errs != "Processed a total of 2 messages\n" {
		t.Fatalf("first run: exit %d, %q, %q", code, out, errs)
	}
	if got := consoleCommitted(t, addr, "grp1", "gr", 0); got != 2 {
		t.Errorf("committed offset %d after two records, want 2", got)
	}
	// The second run continues after the committed offset.
	out, errs, code = run("--group", "grp1", "--from-beginning", "--max-messages", "1")
	if code != 0 || out != "g3\n" || errs != "Processed a total of 1 messages\n" {
		t.Errorf("second run: exit %d, %q, %q", code, out, errs)
	}
	out, _, code = run("--group", "grp1", "--timeout-ms", "1000")
	if code != 0 || out != "" {
		t.Errorf("third run: exit %d, %q", code, out)
	}
	// A group that consumed nothing commits where it started (the end, by
	// default), so records produced later are read by the next run.
	out, _, code = run("--consumer-property", "group.id=grp2", "--timeout-ms", "1000")
	if code != 0 || out != "" {
		t.Errorf("empty run: exit %d, %q", code, out)
	}
	if got := consoleCommitted(t, addr, "grp2", "gr", 0); got != 3 {
		t.Errorf("committed offset %d after consuming nothing, want the end offset 3", got)
	}
	consoleProduce(t, addr, &kgo.Record{Topic: "gr", Value: []byte("g4")})
	out, errs, code = run("--group", "grp2", "--max-messages", "1")
	if code != 0 || out != "g4\n" {
		t.Errorf("resumed run: exit %d, %q, %q", code, out, errs)
	}
	// With auto commit off nothing is committed.
	out, _, code = run("--group", "grp3", "--from-beginning", "--max-messages", "1", "--consumer-property", "enable.auto.commit=false")
	if code != 0 || out != "g1\n" {
		t.Errorf("no commit run: exit %d, %q", code, out)
	}
	if got := consoleCommitted(t, addr, "grp3", "gr", 0); got != -1 {
		t.Errorf("enable.auto.commit=false committed %d", got)
	}
	// auto.offset.reset=none on a group without commits fails on the poll.
	out, errs, code = run("--group", "grp4", "--consumer-property", "auto.offset.reset=none", "--timeout-ms", "10000")
	want := fixedLogTime + " ERROR Error processing message, terminating consumer process:  (kafka.tools.ConsoleConsumer$)\n" +
		"org.apache.kafka.clients.consumer.NoOffsetForPartitionException: Undefined offset with no reset policy for partitions: [gr-0]\nProcessed a total of 0 messages\n"
	if code != 0 || out != "" || errs != want {
		t.Errorf("reset none: exit %d, %q, stderr:\n%s\nwant:\n%s", code, out, errs, want)
	}
}

// consoleCommitted returns the group's committed offset for a partition, or -1.
func consoleCommitted(t *testing.T, addr, group, topic string, partition int32) int64 {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	offs, err := kadm.NewClient(cl).FetchOffsets(ctx, group)
	if err != nil {
		t.Fatal(err)
	}
	if o, ok := offs.Lookup(topic, partition); ok && o.Err == nil {
		return o.At
	}
	return -1
}

func TestConsoleConsumerGeneratedGroupCommitsNothing(t *testing.T) {
	addr := consoleCluster(t)
	consoleProduce(t, addr, &kgo.Record{Topic: "gen", Value: []byte("x")})
	out, errs, code := consoleRun(context.Background(), nil, "kafka-console-consumer", "--bootstrap-server", addr, "--topic", "gen", "--from-beginning", "--max-messages", "1")
	if code != 0 || out != "x\n" {
		t.Fatalf("exit %d, %q, %q", code, out, errs)
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)
	groups, err := adm.ListGroups(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	names := groups.Groups()
	if len(names) != 1 || !regexp.MustCompile(`^console-consumer-\d{1,5}$`).MatchString(names[0]) {
		t.Fatalf("groups %v, want one console-consumer-<R>", names)
	}
	if got := consoleCommitted(t, addr, names[0], "gen", 0); got != -1 {
		t.Errorf("generated group committed %d", got)
	}
}

func TestConsoleConsumerHeaders(t *testing.T) {
	addr := consoleCluster(t)
	consoleProduce(t, addr,
		&kgo.Record{Topic: "hd", Key: []byte("k"), Value: []byte("with headers"), Headers: []kgo.RecordHeader{{Key: "h1", Value: []byte("v1")}, {Key: "h2", Value: nil}, {Key: "h3", Value: []byte{}}}},
		&kgo.Record{Topic: "hd", Value: []byte("without")})
	out, errs, code := consoleRun(context.Background(), nil, "kafka-console-consumer", "--bootstrap-server", addr, "--topic", "hd", "--from-beginning",
		"--max-messages", "2", "--property", "print.headers=true", "--property", "print.key=true")
	want := "h1:v1,h2:null,h3:\tk\twith headers\nNO_HEADERS\tnull\twithout\n"
	if code != 0 || out != want || errs != "Processed a total of 2 messages\n" {
		t.Errorf("exit %d, stdout %q, stderr %q; want %q", code, out, errs, want)
	}
	out, _, _ = consoleRun(context.Background(), nil, "kafka-console-consumer", "--bootstrap-server", addr, "--topic", "hd", "--from-beginning",
		"--max-messages", "1", "--property", "print.headers=true", "--property", "headers.separator=;", "--property", "print.value=false")
	if out != "h1:v1;h2:null;h3:\n" {
		t.Errorf("headers.separator: %q", out)
	}
}

func TestConsoleConsumerWhitelist(t *testing.T) {
	addr := consoleCluster(t)
	for _, topic := range []string{"wl1", "wl2", "xwl3"} {
		consoleProduce(t, addr, &kgo.Record{Topic: topic, Value: []byte(topic)})
	}
	for _, flag := range []string{"--whitelist", "--include"} {
		out, errs, code := consoleRun(context.Background(), nil, "kafka-console-consumer", "--bootstrap-server", addr, flag, "wl[0-9]", "--from-beginning", "--timeout-ms", "2000")
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if code != 0 || len(lines) != 2 || !strings.Contains(out, "wl1\n") || !strings.Contains(out, "wl2\n") || !strings.HasSuffix(errs, "Processed a total of 2 messages\n") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q (a Java pattern matches the whole name: not xwl3)", flag, code, out, errs)
		}
	}
}

func TestConsoleConsumerInterrupt(t *testing.T) {
	addr := consoleCluster(t)
	consoleProduce(t, addr, &kgo.Record{Topic: "ic", Value: []byte("i1")}, &kgo.Record{Topic: "ic", Value: []byte("i2")})
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, []string{"kafka-console-consumer", "--bootstrap-server", addr, "--topic", "ic", "--from-beginning", "--enable-systest-events"},
			Stdio{Out: &out, Err: &errb})
	}()
	deadline := time.Now().Add(10 * time.Second)
	for out.String() != "i1\ni2\n" && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case code := <-done:
		if code != 130 || out.String() != "i1\ni2\nshutdown_complete\n" || errb.String() != "Processed a total of 2 messages\n" {
			t.Errorf("exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Ctrl-C did not stop the consumer")
	}
}

// consoleFailingWriter accepts n writes, then fails as a closed pipe does.
type consoleFailingWriter struct {
	n   int
	buf bytes.Buffer
}

func (w *consoleFailingWriter) Write(p []byte) (int, error) {
	if w.n == 0 {
		return 0, errors.New("write |1: broken pipe")
	}
	w.n--
	return w.buf.Write(p)
}

func TestConsoleConsumerBrokenStdout(t *testing.T) {
	addr := consoleCluster(t)
	consoleProduce(t, addr, &kgo.Record{Topic: "bp", Value: []byte("a")}, &kgo.Record{Topic: "bp", Value: []byte("b")}, &kgo.Record{Topic: "bp", Value: []byte("c")})
	w := &consoleFailingWriter{n: 1}
	var errb syncBuffer
	code := Main(context.Background(), []string{"kafka-console-consumer", "--bootstrap-server", addr, "--topic", "bp", "--from-beginning"},
		Stdio{Out: w, Err: &errb, Now: func() time.Time { return fixedTime }})
	// The record whose write failed is counted, as Kafka counts it.
	if code != 0 || w.buf.String() != "a\n" || errb.String() != "Unable to write to standard out, closing consumer.\nProcessed a total of 2 messages\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, w.buf.String(), errb.String())
	}
}

func TestConsoleConsumerFormatterErrors(t *testing.T) {
	addr := consoleCluster(t)
	consoleProduce(t, addr,
		&kgo.Record{Topic: "fe", Key: []byte("k1"), Value: []byte("not a long")},
		&kgo.Record{Topic: "fe", Key: []byte("k2"), Value: binary.BigEndian.AppendUint64(nil, 7)})
	base := []string{"kafka-console-consumer", "--bootstrap-server", addr, "--topic", "fe", "--from-beginning", "--max-messages", "2",
		"--property", "print.key=true", "--value-deserializer", "org.apache.kafka.common.serialization.LongDeserializer"}
	out, errs, code := consoleRun(context.Background(), nil, base...)
	want := "Processed a total of 1 messages\n" + fixedLogTime + " ERROR Unknown error when running consumer:  (kafka.tools.ConsoleConsumer$)\n" +
		"org.apache.kafka.common.errors.SerializationException: Size of data received by LongDeserializer is not 8\n"
	if code != 1 || out != "k1\t" || errs != want {
		t.Errorf("halt: exit %d, stdout %q, stderr:\n%s\nwant:\n%s", code, out, errs, want)
	}
	out, errs, code = consoleRun(context.Background(), nil, append(base, "--skip-message-on-error")...)
	want = fixedLogTime + " ERROR Error processing message, skipping this message:  (kafka.tools.ConsoleConsumer$)\n" +
		"org.apache.kafka.common.errors.SerializationException: Size of data received by LongDeserializer is not 8\nProcessed a total of 2 messages\n"
	if code != 0 || out != "k1\tk2\t7\n" || errs != want {
		t.Errorf("skip: exit %d, stdout %q, stderr:\n%s\nwant:\n%s", code, out, errs, want)
	}
}

func TestConsoleConsumerSystestAndFormatters(t *testing.T) {
	addr := consoleCluster(t)
	consoleProduce(t, addr, &kgo.Record{Topic: "sy", Value: []byte("s")})
	out, errs, code := consoleRun(context.Background(), nil, "kafka-console-consumer", "--bootstrap-server", addr, "--topic", "sy",
		"--from-beginning", "--max-messages", "1", "--enable-systest-events")
	if code != 0 || out != "s\nshutdown_complete\n" || errs != "Processed a total of 1 messages\n" {
		t.Errorf("systest: exit %d, %q, %q", code, out, errs)
	}
	for class, want := range map[string]string{
		"kafka.tools.NoOpMessageFormatter":     "",
		"kafka.tools.ChecksumMessageFormatter": "checksum:0\n",
		"kafka.tools.LoggingMessageFormatter":  "s\n",
	} {
		out, errs, code := consoleRun(context.Background(), nil, "kafka-console-consumer", "--bootstrap-server", addr, "--topic", "sy",
			"--from-beginning", "--max-messages", "1", "--formatter", class)
		if code != 0 || out != want || errs != "Processed a total of 1 messages\n" {
			t.Errorf("%s: exit %d, %q, %q", class, code, out, errs)
		}
	}
}

func TestConsoleConsumerUnknownConfigWarning(t *testing.T) {
	addr := consoleCluster(t)
	consoleProduce(t, addr, &kgo.Record{Topic: "uw", Value: []byte("u")})
	_, errs, code := consoleRun(context.Background(), nil, "kafka-console-consumer", "--bootstrap-server", addr, "--topic", "uw",
		"--from-beginning", "--max-messages", "1", "--consumer-property", "no.such=1", "--isolation-level", "read_committed")
	want := fixedLogTime + " WARN The configuration 'no.such' was supplied but isn't a known config. (org.apache.kafka.clients.consumer.ConsumerConfig)\nProcessed a total of 1 messages\n"
	if code != 0 || errs != want {
		t.Errorf("exit %d, stderr %q; want %q", code, errs, want)
	}
}
