package commands

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
)

// consoleRun runs an applet through Main with stdin, buffers and the fixed clock.
func consoleRun(ctx context.Context, stdin io.Reader, args ...string) (stdout, stderr string, code int) {
	var out, errb syncBuffer
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	code = Main(ctx, args, Stdio{In: stdin, Out: &out, Err: &errb, Now: func() time.Time { return fixedTime }})
	return out.String(), errb.String(), code
}

// consoleCheckGolden compares got with testdata/golden/<applet>/<name>.golden.
func consoleCheckGolden(t *testing.T, applet, name, got string) {
	t.Helper()
	p := filepath.Join("..", "testdata", "golden", applet, name+".golden")
	if *updateGolden {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from %s:\n--- got ---\n%s\n--- want ---\n%s", name, p, got, want)
	}
}

// consoleCluster starts an in-consoleProcess kfake cluster and returns its address.
func consoleCluster(t *testing.T, opts ...kfake.Opt) string {
	t.Helper()
	c, err := kfake.NewCluster(append([]kfake.Opt{kfake.NumBrokers(1), kfake.AllowAutoTopicCreation(), kfake.DefaultNumPartitions(1)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c.ListenAddrs()[0]
}

// consoleReadAll reads every record of topic with a plain kgo client.
func consoleReadAll(t *testing.T, addr, topic string, n int) []*kgo.Record {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var recs []*kgo.Record
	for len(recs) < n {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("read %d of %d records from %s", len(recs), n, topic)
		}
		recs = append(recs, fs.Records()...)
	}
	return recs
}

// consoleProduce writes records with a plain kgo client.
func consoleProduce(t *testing.T, addr string, recs ...*kgo.Record) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.AllowAutoTopicCreation(), kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
}

func TestConsoleProducerHelp(t *testing.T) {
	help := consoleProducerOptions().help()
	consoleCheckGolden(t, "kafka-console-producer", "help", help)
	for _, h := range []string{"--bootstrap-server <String: server to", "--line-reader <String: reader_class>", "(default: 1500)", "\tparse.key=true|false"} {
		if !strings.Contains(help, h) {
			t.Errorf("help lacks %q", h)
		}
	}
	if strings.Contains(help, "* ") || strings.Contains(help, "(* = required)") {
		t.Errorf("jopt does not star requiredUnless options:\n%s", help)
	}
}

func TestConsoleProducerValidation(t *testing.T) {
	help := consoleProducerOptions().help()
	usage := func(msg string) string { return msg + "\n" + help }
	for _, tc := range []struct {
		name     string
		args     []string
		stdout   string
		stderr   string
		code     int
		contains bool // stderr need only contain the text (client log lines may come first)
	}{
		{name: "no arguments", stderr: usage("Missing required option(s) [bootstrap-server]"), code: 1},
		{name: "help", args: []string{"--help"}, stderr: usage(producerHelpMessage), code: 1},
		{name: "help with others", args: []string{"--topic", "t", "--help"}, stderr: usage(producerHelpMessage), code: 1},
		{name: "version", args: []string{"--version"}, stdout: versionLine() + "\n"},
		{name: "no topic", args: []string{"--bootstrap-server", "h:1"}, stderr: usage(`Missing required argument "[topic]"`), code: 1},
		{name: "broker-list satisfies bootstrap-server", args: []string{"--broker-list", "h:1"}, stderr: usage(`Missing required argument "[topic]"`), code: 1},
		{name: "no bootstrap", args: []string{"--topic", "t"}, stderr: usage("Missing required option(s) [bootstrap-server]"), code: 1},
		{name: "bad host:port", args: []string{"--bootstrap-server", "localhost", "--topic", "t"}, stderr: usage("Please provide valid host:port like host1:9091,host2:9092\n "), code: 1},
		{name: "bad item in list", args: []string{"--bootstrap-server", "a:1,,b:2", "--topic", "t"}, stderr: usage("Please provide valid host:port like host1:9091,host2:9092\n "), code: 1},
		{name: "only commas", args: []string{"--bootstrap-server", ",,", "--topic", "t"}, stderr: usage("Please provide valid host:port like host1:9091,host2:9092\n "), code: 1},
		{name: "broker-list checked when no bootstrap-server", args: []string{"--broker-list", "nohost", "--topic", "t"}, stderr: usage("Please provide valid host:port like host1:9091,host2:9092\n "), code: 1},
		{name: "bootstrap-server wins over broker-list", args: []string{"--broker-list", "nohost", "--bootstrap-server", "h:1", "--topic", "t", "--line-reader", "x.Y"},
			stderr: "java.lang.ClassNotFoundException: x.Y\nCaused by: java.lang.UnsupportedOperationException: kafka-console-producer cannot load Java classes; --line-reader accepts only kafka.tools.ConsoleProducer$LineMessageReader\n", code: 1},
		{name: "trailing comma is dropped as by String.split", args: []string{"--bootstrap-server", "h:1,", "--topic", "t", "--line-reader", "x.Y"},
			stderr: "java.lang.ClassNotFoundException: x.Y\nCaused by: java.lang.UnsupportedOperationException: kafka-console-producer cannot load Java classes; --line-reader accepts only kafka.tools.ConsoleProducer$LineMessageReader\n", code: 1},
		{name: "port beyond int", args: []string{"--bootstrap-server", "h:99999999999", "--topic", "t"}, stderr: "java.lang.NumberFormatException: For input string: \"99999999999\"\n", code: 1},
		{name: "unknown option", args: []string{"--bootstrap-server", "h:1", "--topic", "t", "--frobnicate"}, stderr: usage("frobnicate is not a recognized option"), code: 1},
		{name: "abbreviation", args: []string{"--bootstrap", "h:1", "--topic", "t"}, stderr: usage("bootstrap is not a recognized option"), code: 1},
		{name: "missing argument", args: []string{"--bootstrap-server", "h:1", "--topic"}, stderr: usage("Option topic requires an argument"), code: 1},
		{name: "bad integer", args: []string{"--bootstrap-server", "h:1", "--topic", "t", "--batch-size", "x"}, stderr: "Cannot parse argument 'x' of option batch-size\n", code: 1},
		{name: "topic twice", args: []string{"--bootstrap-server", "h:1", "--topic", "a", "--topic", "b"}, stderr: "Found multiple arguments for option topic, but you asked for only one\n", code: 1},
		{name: "bad merged integer", args: []string{"--bootstrap-server", "h:1", "--topic", "t", "--timeout", "soon"}, stderr: "Cannot parse argument 'soon' of option timeout\n", code: 1},
		{name: "bad long", args: []string{"--bootstrap-server", "h:1", "--topic", "t", "--max-block-ms", "1.5"}, stderr: "Cannot parse argument '1.5' of option max-block-ms\n", code: 1},
		{name: "other line reader", args: []string{"--bootstrap-server", "h:1", "--topic", "t", "--line-reader", "com.example.MyReader"},
			stderr: "java.lang.ClassNotFoundException: com.example.MyReader\nCaused by: java.lang.UnsupportedOperationException: kafka-console-producer cannot load Java classes; --line-reader accepts only kafka.tools.ConsoleProducer$LineMessageReader\n", code: 1},
		{name: "missing config file", args: []string{"--bootstrap-server", "h:1", "--topic", "t", "--producer.config", "/nonexistent/producer.properties"},
			stderr: "java.nio.file.NoSuchFileException: /nonexistent/producer.properties\n", code: 1},
		{name: "bad acks", args: []string{"--bootstrap-server", "h:1", "--topic", "t", "--request-required-acks", "2"},
			stderr: "org.apache.kafka.common.config.ConfigException: Invalid value 2 for configuration acks: String must be one of: all, -1, 0, 1\n", code: 1},
		{name: "bad compression", args: []string{"--bootstrap-server", "h:1", "--topic", "t", "--compression-codec", "brotli"},
			stderr: "org.apache.kafka.common.KafkaException: Failed to construct kafka producer\nCaused by: java.lang.IllegalArgumentException: Unknown compression name: brotli\n", code: 1},
		{name: "bad linger from producer-property", args: []string{"--bootstrap-server", "h:1", "--topic", "t", "--producer-property", "linger.ms=abc"},
			stderr: "org.apache.kafka.common.config.ConfigException: Invalid value abc for configuration linger.ms: Not a number of type LONG\n", code: 1},
		{name: "negative retries", args: []string{"--bootstrap-server", "h:1", "--topic", "t", "--message-send-max-retries", "-1"},
			stderr: "org.apache.kafka.common.config.ConfigException: Invalid value -1 for configuration retries: Value must be at least 0\n", code: 1},
		{name: "idempotence needs acks all, and the tool always sets acks", args: []string{"--bootstrap-server", "h:1", "--topic", "t", "--producer-property", "enable.idempotence=true"},
			stderr: "org.apache.kafka.common.config.ConfigException: Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.\n", code: 1},
		{name: "bad boolean", args: []string{"--bootstrap-server", "h:1", "--topic", "t", "--producer-property", "enable.idempotence=yes"},
			stderr: "org.apache.kafka.common.config.ConfigException: Invalid value yes for configuration enable.idempotence: Expected value to be either true or false\n", code: 1},
		{name: "explicit delivery timeout too small", args: []string{"--bootstrap-server", "h:1", "--topic", "t", "--producer-property", "delivery.timeout.ms=10"},
			stderr: "org.apache.kafka.common.KafkaException: Failed to construct kafka producer\nCaused by: org.apache.kafka.common.config.ConfigException: delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms\n", code: 1},
		{name: "unresolvable bootstrap", args: []string{"--bootstrap-server", "nosuchhost.invalid:9092", "--topic", "t"},
			stderr: fixedLogTime + " WARN Couldn't resolve server nosuchhost.invalid:9092 from bootstrap.servers as DNS resolution failed for nosuchhost.invalid (org.apache.kafka.clients.ClientUtils)\n" +
				"org.apache.kafka.common.KafkaException: Failed to construct kafka producer\nCaused by: org.apache.kafka.common.config.ConfigException: No resolvable bootstrap urls given in bootstrap.servers\n", code: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errs, code := consoleRun(context.Background(), strings.NewReader("x\n"), append([]string{"kafka-console-producer"}, tc.args...)...)
			if code != tc.code || out != tc.stdout || errs != tc.stderr {
				t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit %d, stdout %q, stderr:\n%s", code, out, errs, tc.code, tc.stdout, tc.stderr)
			}
		})
	}
}

func TestConsoleProducerConfigFile(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.properties")
	if err := os.WriteFile(bad, []byte("linger.ms=\\u12\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errs, code := consoleRun(context.Background(), nil, "kafka-console-producer", "--bootstrap-server", "h:1", "--topic", "t", "--producer.config", bad)
	if want := "java.lang.IllegalArgumentException: Malformed \\uxxxx encoding.\n"; code != 1 || errs != want {
		t.Errorf("malformed file: exit %d, stderr %q; want 1, %q", code, errs, want)
	}
	// The file's acks is overridden by --producer-property, the flag wins over both.
	file := filepath.Join(dir, "p.properties")
	if err := os.WriteFile(file, []byte("acks = 7\nretries=x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errs, code = consoleRun(context.Background(), nil, "kafka-console-producer", "--bootstrap-server", "h:1", "--topic", "t", "--producer.config", file)
	if want := "org.apache.kafka.common.config.ConfigException: Invalid value x for configuration retries: Not a number of type INT\n"; code != 1 || errs != want {
		t.Errorf("file values: exit %d, stderr %q; want 1, %q", code, errs, want)
	}
	_, errs, code = consoleRun(context.Background(), nil, "kafka-console-producer", "--bootstrap-server", "h:1", "--topic", "t", "--producer.config", file, "--producer-property", "retries=2")
	if want := "org.apache.kafka.common.config.ConfigException: Invalid value 7 for configuration acks: String must be one of: all, -1, 0, 1\n"; code != 1 || errs != want {
		t.Errorf("file acks kept when the flag is absent: exit %d, stderr %q; want 1, %q", code, errs, want)
	}
	_, errs, code = consoleRun(context.Background(), nil, "kafka-console-producer", "--bootstrap-server", "h:1", "--topic", "t", "--producer.config", file, "--producer-property", "retries=2", "--request-required-acks", "9")
	if want := "org.apache.kafka.common.config.ConfigException: Invalid value 9 for configuration acks: String must be one of: all, -1, 0, 1\n"; code != 1 || errs != want {
		t.Errorf("flag wins: exit %d, stderr %q; want 1, %q", code, errs, want)
	}
}

func TestConsoleLineReader(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"a", []string{"a"}},
		{"a\n", []string{"a"}},
		{"a\nb\n", []string{"a", "b"}},
		{"\n", []string{""}},
		{"\n\n", []string{"", ""}},
		{"a\r\nb\rc\n", []string{"a", "b", "c"}},
		{"a\r\r\nb", []string{"a", "", "b"}},
		{"a\n\r\n", []string{"a", ""}},
		{"tab\there\n", []string{"tab\there"}},
		{"caf\xc3\xa9\n", []string{"café"}},
		{"bad\xffbyte\n", []string{"bad\uFFFDbyte"}},
		{"cut\xe2\x82\n", []string{"cut\uFFFD"}},                             // one replacement for a truncated sequence
		{"surrogate\xed\xa0\x80\n", []string{"surrogate\uFFFD\uFFFD\uFFFD"}}, // ED A0 is ill-formed at A0
	} {
		for _, slow := range []bool{false, true} {
			var r io.Reader = strings.NewReader(tc.in)
			if slow {
				r = iotest.OneByteReader(r)
			}
			lr := newConsoleLineReader(r)
			var got []string
			for {
				l, ok, err := lr.readLine()
				if err != nil {
					t.Fatal(err)
				}
				if !ok {
					break
				}
				got = append(got, string(l))
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
				t.Errorf("readLine(%q) = %q, want %q", tc.in, got, tc.want)
			}
		}
	}
}

func TestConsoleLineReaderReturnsAtCarriageReturn(t *testing.T) {
	// A terminal line ended by "\r" is handed over at once, without
	// waiting for a possible "\n".
	pr, pw := io.Pipe()
	lr := newConsoleLineReader(pr)
	go pw.Write([]byte("first\r"))
	done := make(chan string, 1)
	go func() {
		l, _, _ := lr.readLine()
		done <- string(l)
	}()
	select {
	case got := <-done:
		if got != "first" {
			t.Errorf("line = %q", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("readLine waited for the byte after \\r")
	}
	go pw.Write([]byte("\nsecond\n"))
	if l, ok, _ := lr.readLine(); !ok || string(l) != "second" {
		t.Errorf("after \\r\\n: %q, %v", l, ok)
	}
	pw.Close()
}

func TestLineMessageReader(t *testing.T) {
	type rec struct {
		key   *string
		value string
	}
	s := func(v string) *string { return &v }
	for _, tc := range []struct {
		name  string
		props map[string]string
		in    string
		want  []rec
		exc   string
	}{
		{name: "values", in: "a\n\nb\n", want: []rec{{nil, "a"}, {nil, ""}, {nil, "b"}}},
		{name: "parse.key", props: map[string]string{"parse.key": "true"}, in: "k1\tv1\n\tempty key\nk3\t\nk4\tv\twith tab\n",
			want: []rec{{s("k1"), "v1"}, {s(""), "empty key"}, {s("k3"), ""}, {s("k4"), "v\twith tab"}}},
		{name: "parse.key is trimmed and case-insensitive", props: map[string]string{"parse.key": " TRUE "}, in: "k\tv\n", want: []rec{{s("k"), "v"}}},
		{name: "parse.key other than true", props: map[string]string{"parse.key": "yes"}, in: "k\tv\n", want: []rec{{nil, "k\tv"}}},
		{name: "key.separator", props: map[string]string{"parse.key": "true", "key.separator": "::"}, in: "a::1\nb::2::x\n::3\n",
			want: []rec{{s("a"), "1"}, {s("b"), "2::x"}, {s(""), "3"}}},
		{name: "empty key.separator", props: map[string]string{"parse.key": "true", "key.separator": ""}, in: "abc\n", want: []rec{{s(""), "abc"}}},
		{name: "missing separator", props: map[string]string{"parse.key": "true"}, in: "k\tv\nno key\n",
			want: []rec{{s("k"), "v"}}, exc: "org.apache.kafka.common.KafkaException: No key found on line 2: no key"},
		{name: "ignore.error", props: map[string]string{"parse.key": "true", "ignore.error": "true"}, in: "no key\nk\tv\n",
			want: []rec{{nil, "no key"}, {s("k"), "v"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newLineMessageReader(strings.NewReader(tc.in), tc.props)
			var got []rec
			var exc string
			for {
				m, ok, e := r.readMessage()
				if e != nil {
					exc = e.Error()
					break
				}
				if !ok {
					break
				}
				if m.value == nil {
					t.Errorf("value is null, want an empty value")
				}
				var k *string
				if m.key != nil {
					k = s(string(m.key))
				}
				got = append(got, rec{k, string(m.value)})
			}
			if exc != tc.exc {
				t.Errorf("exception %q, want %q", exc, tc.exc)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d records, want %d", len(got), len(tc.want))
			}
			for i := range got {
				gk, wk := "<null>", "<null>"
				if got[i].key != nil {
					gk = *got[i].key
				}
				if tc.want[i].key != nil {
					wk = *tc.want[i].key
				}
				if gk != wk || got[i].value != tc.want[i].value {
					t.Errorf("record %d = %q/%q, want %q/%q", i, gk, got[i].value, wk, tc.want[i].value)
				}
			}
		})
	}
}

func TestConsoleProducerSendsLines(t *testing.T) {
	addr := consoleCluster(t)
	out, errs, code := consoleRun(context.Background(), strings.NewReader("k1\tv1\n\tempty key\r\nk3\t\nk4\tv\twith tab"),
		"kafka-console-producer", "--bootstrap-server", addr, "--topic", "keys", "--property", "parse.key=true")
	if code != 0 || out != "" || errs != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	// kgo keeps a compressed batch only when it is smaller: compressible lines.
	long := strings.Repeat("a", 2000)
	_, errs, code = consoleRun(context.Background(), strings.NewReader(long+"\n\nc\n"),
		"kafka-console-producer", "--broker-list", addr, "--topic", "keys", "--sync", "--compression-codec")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	recs := consoleReadAll(t, addr, "keys", 7)
	want := []struct {
		key   []byte
		value string
	}{{[]byte("k1"), "v1"}, {[]byte{}, "empty key"}, {[]byte("k3"), ""}, {[]byte("k4"), "v\twith tab"}, {nil, long}, {nil, ""}, {nil, "c"}}
	for i, r := range recs {
		if (r.Key == nil) != (want[i].key == nil) || string(r.Key) != string(want[i].key) || string(r.Value) != want[i].value {
			t.Errorf("record %d: key %q (nil %v) value %.20q; want key %q (nil %v) value %.20q",
				i, r.Key, r.Key == nil, r.Value, want[i].key, want[i].key == nil, want[i].value)
		}
		if r.Value == nil {
			t.Errorf("record %d: null value, want empty", i)
		}
	}
	if c := recs[4].Attrs.CompressionType(); c != 1 {
		t.Errorf("bare --compression-codec: compression %d, want gzip (1)", c)
	}
	if c := recs[0].Attrs.CompressionType(); c != 0 {
		t.Errorf("default compression %d, want none", c)
	}
}

func TestConsoleProducerKeyError(t *testing.T) {
	addr := consoleCluster(t)
	_, errs, code := consoleRun(context.Background(), strings.NewReader("k\tv\nno separator here\nnever read\n"),
		"kafka-console-producer", "--bootstrap-server", addr, "--topic", "ke", "--property", "parse.key=true")
	if want := "org.apache.kafka.common.KafkaException: No key found on line 2: no separator here\n"; code != 1 || errs != want {
		t.Fatalf("exit %d, stderr %q; want 1, %q", code, errs, want)
	}
	// The record read before the bad line is still sent.
	if recs := consoleReadAll(t, addr, "ke", 1); string(recs[0].Value) != "v" {
		t.Errorf("value %q", recs[0].Value)
	}
}

func TestConsoleProducerPrompt(t *testing.T) {
	addr := consoleCluster(t)
	for _, tc := range []struct {
		in, out bool
		want    string
	}{
		{true, true, ">>>"}, // one before each read, the last one at end of input
		{true, false, ""},
		{false, true, ""},
	} {
		var out, errb syncBuffer
		code := Main(context.Background(), []string{"kafka-console-producer", "--bootstrap-server", addr, "--topic", "prompt"},
			Stdio{In: strings.NewReader("a\nb\n"), Out: &out, Err: &errb, InTerminal: tc.in, OutTerminal: tc.out})
		if code != 0 || out.String() != tc.want || errb.String() != "" {
			t.Errorf("terminal in %v out %v: exit %d, stdout %q, stderr %q; want stdout %q", tc.in, tc.out, code, out.String(), errb.String(), tc.want)
		}
	}
}

// consoleUnreachable is an address nobody listens on.
func consoleUnreachable(t *testing.T) string {
	t.Helper()
	return "127.0.0.1:1"
}

func TestConsoleProducerUnreachableBroker(t *testing.T) {
	addr := consoleUnreachable(t)
	start := time.Now()
	_, errs, code := consoleRun(context.Background(), strings.NewReader("hello\n"),
		"kafka-console-producer", "--bootstrap-server", addr, "--topic", "t", "--max-block-ms", "700")
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("took %v", took)
	}
	wantErr := fixedLogTime + " ERROR Error when sending message to topic t with key: null, value: 5 bytes with error: (org.apache.kafka.clients.producer.internals.ErrorLoggingCallback)\n" +
		"org.apache.kafka.common.errors.TimeoutException: Topic t not present in metadata after 700 ms.\n"
	if code != 0 || !strings.Contains(errs, wantErr) {
		t.Errorf("async: exit %d, stderr:\n%s\nwant exit 0 and:\n%s", code, errs, wantErr)
	}
	warn := fixedLogTime + " WARN [Producer clientId=console-producer] Connection to node -1 (/127.0.0.1:1) could not be established. Broker may not be available. (org.apache.kafka.clients.NetworkClient)\n" +
		fixedLogTime + " WARN [Producer clientId=console-producer] Bootstrap broker 127.0.0.1:1 (id: -1 rack: null) disconnected (org.apache.kafka.clients.NetworkClient)\n"
	if !strings.HasPrefix(errs, warn) {
		t.Errorf("stderr does not start with the connection warning:\n%s", errs)
	}

	_, errs, code = consoleRun(context.Background(), strings.NewReader("hello\nworld\n"),
		"kafka-console-producer", "--bootstrap-server", addr, "--topic", "t", "--max-block-ms", "500", "--sync")
	wantErr = "java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.TimeoutException: Topic t not present in metadata after 500 ms.\n" +
		"Caused by: org.apache.kafka.common.errors.TimeoutException: Topic t not present in metadata after 500 ms.\n"
	if code != 1 || !strings.HasSuffix(errs, wantErr) || strings.Contains(errs, "ERROR") {
		t.Errorf("sync: exit %d, stderr:\n%s\nwant exit 1 ending with:\n%s", code, errs, wantErr)
	}
}

func TestConsoleProducerRecordTooLarge(t *testing.T) {
	addr := consoleCluster(t)
	big := strings.Repeat("x", 200)
	_, errs, code := consoleRun(context.Background(), strings.NewReader("small\n"+big+"\n"),
		"kafka-console-producer", "--bootstrap-server", addr, "--topic", "big", "--producer-property", "max.request.size=150")
	// 61 (batch) + 21 (record) + 1 (null key) + 2+200 (value) + 1 (no headers)
	want := fixedLogTime + " ERROR Error when sending message to topic big with key: null, value: 200 bytes with error: (org.apache.kafka.clients.producer.internals.ErrorLoggingCallback)\n" +
		"org.apache.kafka.common.errors.RecordTooLargeException: The message is 286 bytes when serialized which is larger than 150, which is the value of the max.request.size configuration.\n"
	if code != 0 || errs != want {
		t.Errorf("exit %d, stderr:\n%s\nwant:\n%s", code, errs, want)
	}
	if recs := consoleReadAll(t, addr, "big", 1); string(recs[0].Value) != "small" {
		t.Errorf("value %q", recs[0].Value)
	}
	_, errs, code = consoleRun(context.Background(), strings.NewReader(big+"\n"),
		"kafka-console-producer", "--bootstrap-server", addr, "--topic", "big", "--producer-property", "max.request.size=150", "--sync")
	want = "java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.RecordTooLargeException: The message is 286 bytes when serialized which is larger than 150, which is the value of the max.request.size configuration.\n" +
		"Caused by: org.apache.kafka.common.errors.RecordTooLargeException: The message is 286 bytes when serialized which is larger than 150, which is the value of the max.request.size configuration.\n"
	if code != 1 || errs != want {
		t.Errorf("sync: exit %d, stderr:\n%s\nwant:\n%s", code, errs, want)
	}
}

func TestConsoleProducerUnknownConfigWarning(t *testing.T) {
	addr := consoleCluster(t)
	_, errs, code := consoleRun(context.Background(), strings.NewReader("v\n"),
		"kafka-console-producer", "--bootstrap-server", addr, "--topic", "w", "--producer-property", "nosuch.config=1", "--producer-property", "linger.ms=0")
	want := fixedLogTime + " WARN The configuration 'nosuch.config' was supplied but isn't a known config. (org.apache.kafka.clients.producer.ProducerConfig)\n"
	if code != 0 || errs != want {
		t.Errorf("exit %d, stderr %q; want %q", code, errs, want)
	}
}

func TestConsoleProducerInterrupt(t *testing.T) {
	addr := consoleCluster(t)
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var errb syncBuffer
	go func() {
		done <- Main(ctx, []string{"kafka-console-producer", "--bootstrap-server", addr, "--topic", "intr"},
			Stdio{In: pr, Out: io.Discard, Err: &errb})
	}()
	if _, err := pw.Write([]byte("before ctrl-c\n")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // the line is read and buffered (linger.ms=1000)
	cancel()
	select {
	case code := <-done:
		if code != 130 || errb.String() != "" {
			t.Errorf("exit %d, stderr %q; want 130", code, errb.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Ctrl-C did not end the producer")
	}
	// Closing the producer sent the buffered record.
	if recs := consoleReadAll(t, addr, "intr", 1); string(recs[0].Value) != "before ctrl-c" {
		t.Errorf("value %q", recs[0].Value)
	}
}

func TestConsoleJavaUTF8(t *testing.T) {
	for in, want := range map[string]string{
		"plain":            "plain",
		"\xff":             "\uFFFD",
		"\xc3":             "\uFFFD",
		"\xc3\x28":         "\uFFFD(",
		"\xe2\x82\xac":     "€",
		"\xe2\x82":         "\uFFFD",
		"\xe0\x80\x80":     "\uFFFD\uFFFD\uFFFD", // overlong: E0 needs A0..BF next
		"\xf0\x9f\x98\x80": "😀",
		"\xf0\x9f\x98":     "\uFFFD",
		"\xf4\x90\x80\x80": "\uFFFD\uFFFD\uFFFD\uFFFD", // beyond U+10FFFF
		"\xc0\xaf":         "\uFFFD\uFFFD",
	} {
		if got := string(consoleUTF8([]byte(in))); got != want {
			t.Errorf("consoleUTF8(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestConsoleSplitAndPorts(t *testing.T) {
	if got := consoleSplitComma("a:1,b:2,,"); strings.Join(got, "|") != "a:1|b:2" {
		t.Errorf("split = %q", got)
	}
	if got := consoleSplitComma(",a:1"); strings.Join(got, "|") != "|a:1" {
		t.Errorf("split = %q", got)
	}
	if consolePortOverflow("h:2147483647") != nil || consolePortOverflow("h:2147483648") == nil || consolePortOverflow("nothostport") != nil {
		t.Error("port overflow check")
	}
	if !validHostPorts("h:1,") || validHostPorts(",h:1") || validHostPorts("h:1,,h:2") || validHostPorts(",") || !validHostPorts("[::1]:9092") {
		t.Error("validHostPorts does not follow String.split")
	}
}

func TestConsoleThrowable(t *testing.T) {
	e := newThrowableNoMsg("org.apache.kafka.common.errors.TimeoutException")
	if e.Error() != "org.apache.kafka.common.errors.TimeoutException" {
		t.Errorf("no message: %q", e.Error())
	}
	var b bytes.Buffer
	execThrowable(kafkaExc("TimeoutException", "x")).printStackTrace(&b)
	if want := "java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.TimeoutException: x\nCaused by: org.apache.kafka.common.errors.TimeoutException: x\n"; b.String() != want {
		t.Errorf("%q", b.String())
	}
	if got := kafkaCodeThrowable(3, "").Error(); got != "org.apache.kafka.common.errors.UnknownTopicOrPartitionException: This server does not host this topic-partition." {
		t.Errorf("%q", got)
	}
	if got := kafkaCodeThrowable(87, "").Error(); !strings.HasPrefix(got, "org.apache.kafka.common.InvalidRecordException: ") {
		t.Errorf("%q", got)
	}
	if got := kafkaCodeThrowable(9999, "").Error(); !strings.HasPrefix(got, "org.apache.kafka.common.errors.UnknownServerException: ") {
		t.Errorf("%q", got)
	}
}
