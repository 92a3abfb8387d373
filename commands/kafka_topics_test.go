package commands

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/kafkago/kafka/engine/cluster"
	"github.com/kafkago/kafka/engine/e2e/oracle"
)

// topicsRun runs kafka-topics through Main with buffers and a fixed clock.
func topicsRun(ctx context.Context, args ...string) (stdout, stderr string, code int) {
	var out, errb syncBuffer
	code = Main(ctx, append([]string{"kafka-topics"}, args...), Stdio{
		Out: &out, Err: &errb, Now: func() time.Time { return fixedTime },
	})
	return out.String(), errb.String(), code
}

func goldenPath(name string) string {
	return filepath.Join("..", "testdata", "golden", "kafka-topics", name)
}

// checkGolden compares got with testdata/golden/kafka-topics/<name>.golden.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	p := goldenPath(name + ".golden")
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
		t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", p, got, want)
	}
}

// runResult renders one run for a golden file.
func runResult(stdout, stderr string, code int) string {
	return "exit: " + strconv.Itoa(code) + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr
}

// TestTopicsValidation checks every checkArgs path: the message, the stream
// it goes to and the exit status (cli.md §3.2). Usage errors print the
// message then the help table on stderr.
func TestTopicsValidation(t *testing.T) {
	help := topicsOptions().help()
	usage := func(msg string) string { return msg + "\n" + help }
	uncaught := func(line string) string { return "Exception in thread \"main\" " + line + "\n" }
	for _, tc := range []struct {
		args   []string
		stdout string
		stderr string
		code   int
	}{
		{nil, "", usage("Create, delete, describe, or change a topic."), 1},
		{[]string{"--help"}, "", usage("This tool helps to create, delete, describe, or change a topic."), 1},
		{[]string{"--list", "--help"}, "", usage("This tool helps to create, delete, describe, or change a topic."), 1},
		{[]string{"-help"}, "", usage("This tool helps to create, delete, describe, or change a topic."), 1},
		{[]string{"--version"}, versionLine() + "\n", "", 0},
		{[]string{"--version", "--list", "--bootstrap-server", "x:1"}, versionLine() + "\n", "", 0},
		{[]string{"--bootstrap-server", "x:1"}, "", usage("Command must include exactly one action: --list, --describe, --create, --alter or --delete"), 1},
		{[]string{"--list", "--describe", "--bootstrap-server", "x:1"}, "", usage("Command must include exactly one action: --list, --describe, --create, --alter or --delete"), 1},
		{[]string{"--list"}, "", uncaught("java.lang.IllegalArgumentException: Only one of --bootstrap-server or --zookeeper must be specified"), 1},
		{[]string{"--list", "--bootstrap-server", "x:1", "--zookeeper", "z:1"}, "", uncaught("java.lang.IllegalArgumentException: Only one of --bootstrap-server or --zookeeper must be specified"), 1},
		{[]string{"--list", "--bootstrap-server", "x:1", "--frobnicate"}, "", uncaught("joptsimple.UnrecognizedOptionException: frobnicate is not a recognized option"), 1},
		{[]string{"--list", "-bootstrap-server", "x:1", "-xyz"}, "", uncaught("joptsimple.UnrecognizedOptionException: x is not a recognized option"), 1},
		{[]string{"--list", "--bootstrap-server"}, "", uncaught("joptsimple.OptionMissingRequiredArgumentException: Option bootstrap-server requires an argument"), 1},
		{[]string{"--create", "--bootstrap-server", "x:1"}, "", usage(`Missing required argument "[topic]"`), 1},
		{[]string{"--alter", "--bootstrap-server", "x:1", "--partitions", "2"}, "", usage(`Missing required argument "[topic]"`), 1},
		{[]string{"--delete", "--bootstrap-server", "x:1"}, "", usage(`Missing required argument "[topic]"`), 1},
		{[]string{"--describe", "--bootstrap-server", "x:1", "--if-exists"}, "", usage(`Missing required argument "[topic]"`), 1},
		{[]string{"--create", "--zookeeper", "z:1"}, "", usage(`Missing required argument "[topic]"`), 1},
		{[]string{"--create", "--zookeeper", "z:1", "--topic", "t"}, "", usage(`Missing required argument "[partitions]"`), 1},
		{[]string{"--create", "--zookeeper", "z:1", "--topic", "t", "--partitions", "1"}, "", usage(`Missing required argument "[replication-factor]"`), 1},
		{[]string{"--create", "--zookeeper", "z:1", "--topic", "t", "--replication-factor", "1"}, "", usage(`Missing required argument "[partitions]"`), 1},
		{[]string{"--alter", "--bootstrap-server", "x:1", "--topic", "t", "--config", "a=b"}, "", usage(`Option combination "[bootstrap-server],[config]" can't be used with option "[alter]" (the kafka-configs CLI supports altering topic configs with a --bootstrap-server option)`), 1},
		{[]string{"--alter", "--bootstrap-server", "x:1", "--topic", "t"}, "", usage(`Missing required argument "[partitions]"`), 1},
		{[]string{"--list", "--bootstrap-server", "x:1", "--config", "a=b"}, "", usage(`Option "[config]" can't be used with option "[list]"`), 1},
		{[]string{"--create", "--bootstrap-server", "x:1", "--topic", "t", "--delete-config", "a"}, "", usage(`Option "[delete-config]" can't be used with option "[create]"`), 1},
		{[]string{"--alter", "--bootstrap-server", "x:1", "--topic", "t", "--delete-config", "a", "--partitions", "1"}, "", usage(`Option "[delete-config]" can't be used with option "[bootstrap-server]"`), 1},
		// The set {create, describe, list, delete, bootstrap-server} is a
		// Scala HashSet: list comes before bootstrap-server.
		{[]string{"--list", "--delete-config", "a", "--bootstrap-server", "x:1"}, "", usage(`Option "[delete-config]" can't be used with option "[list]"`), 1},
		{[]string{"--list", "--bootstrap-server", "x:1", "--partitions", "2"}, "", usage(`Option "[partitions]" can't be used with option "[list]"`), 1},
		{[]string{"--alter", "--bootstrap-server", "x:1", "--topic", "t", "--replication-factor", "1", "--partitions", "1"}, "", usage(`Option "[replication-factor]" can't be used with option "[alter]"`), 1},
		{[]string{"--list", "--bootstrap-server", "x:1", "--replica-assignment", "0"}, "", usage(`Option "[replica-assignment]" can't be used with option "[list]"`), 1},
		{[]string{"--create", "--bootstrap-server", "x:1", "--topic", "t", "--replica-assignment", "0", "--partitions", "1"}, "", usage(`Option "[replica-assignment]" can't be used with option "[partitions]"`), 1},
		{[]string{"--create", "--bootstrap-server", "x:1", "--topic", "t", "--replica-assignment", "0", "--replication-factor", "1", "--partitions", "1"}, "", usage(`Option "[replica-assignment]" can't be used with option "[partitions]"`), 1},
		{[]string{"--list", "--bootstrap-server", "x:1", "--under-replicated-partitions"}, "", usage(`Option "[under-replicated-partitions]" can't be used with option "[list]"`), 1},
		{[]string{"--describe", "--bootstrap-server", "x:1", "--under-replicated-partitions", "--unavailable-partitions"}, "", usage(`Option "[under-replicated-partitions]" can't be used with option "[unavailable-partitions]"`), 1},
		// CHAMP order of {create, alter, list, delete, under-min-isr,
		// at-min-isr, unavailable, topics-with-overrides}: at-min-isr (mask
		// 29) is inline at the root; under-min-isr and topics-with-overrides
		// share mask 3 and sit in a sub-node visited after it.
		{[]string{"--describe", "--bootstrap-server", "x:1", "--under-replicated-partitions", "--at-min-isr-partitions", "--topics-with-overrides"}, "", usage(`Option "[under-replicated-partitions]" can't be used with option "[at-min-isr-partitions]"`), 1},
		{[]string{"--describe", "--bootstrap-server", "x:1", "--under-replicated-partitions", "--under-min-isr-partitions", "--topics-with-overrides"}, "", usage(`Option "[under-replicated-partitions]" can't be used with option "[topics-with-overrides]"`), 1},
		{[]string{"--describe", "--bootstrap-server", "x:1", "--under-replicated-partitions", "--under-min-isr-partitions", "--topics-with-overrides", "--unavailable-partitions"}, "", usage(`Option "[under-replicated-partitions]" can't be used with option "[unavailable-partitions]"`), 1},
		// under-min-isr's check runs before unavailable's (all observed with Kafka 2.8.2).
		{[]string{"--describe", "--bootstrap-server", "x:1", "--unavailable-partitions", "--under-min-isr-partitions", "--topics-with-overrides"}, "", usage(`Option "[under-min-isr-partitions]" can't be used with option "[topics-with-overrides]"`), 1},
		{[]string{"--describe", "--zookeeper", "z:1", "--under-min-isr-partitions"}, "", usage(`Option "[under-min-isr-partitions]" can't be used with option "[zookeeper]"`), 1},
		{[]string{"--describe", "--zookeeper", "z:1", "--at-min-isr-partitions"}, "", usage(`Option "[at-min-isr-partitions]" can't be used with option "[zookeeper]"`), 1},
		{[]string{"--describe", "--zookeeper", "z:1", "--under-min-isr-partitions", "--under-replicated-partitions"}, "", usage(`Option "[under-replicated-partitions]" can't be used with option "[under-min-isr-partitions]"`), 1},
		{[]string{"--describe", "--bootstrap-server", "x:1", "--topics-with-overrides", "--under-min-isr-partitions", "--at-min-isr-partitions"}, "", usage(`Option "[under-min-isr-partitions]" can't be used with option "[topics-with-overrides]"`), 1},
		{[]string{"--describe", "--bootstrap-server", "x:1", "--topic", "t", "--if-not-exists"}, "", usage(`Option "[if-not-exists]" can't be used with option "[describe]"`), 1},
		{[]string{"--create", "--bootstrap-server", "x:1", "--topic", "t", "--if-exists"}, "", usage(`Option "[if-exists]" can't be used with option "[create]"`), 1},
		{[]string{"--create", "--bootstrap-server", "x:1", "--topic", "t", "--if-exists", "--if-not-exists"}, "", usage(`Option "[if-exists]" can't be used with option "[create]"`), 1},
		{[]string{"--create", "--bootstrap-server", "x:1", "--topic", "t", "--exclude-internal"}, "", usage(`Option "[exclude-internal]" can't be used with option "[create]"`), 1},
		{[]string{"--delete", "--topic", "x", "--bootstrap-server", "a:1", "--delete-config", "x"}, "", usage(`Option "[delete-config]" can't be used with option "[delete]"`), 1},
		// Errors of the steps before the action are uncaught exceptions.
		{[]string{"--list", "--zookeeper", "a:1", "--zookeeper", "b:1"}, "", uncaught("joptsimple.MultipleArgumentsForOptionException: Found multiple arguments for option zookeeper, but you asked for only one"), 1},
		{[]string{"--list", "--bootstrap-server", "x:1", "--command-config", "/nonexistent/admin.properties"}, "", uncaught("java.nio.file.NoSuchFileException: /nonexistent/admin.properties"), 1},
		{[]string{"--list", "--bootstrap-server", "nohostport"}, "", uncaught("org.apache.kafka.common.KafkaException: Failed to create new KafkaAdminClient") + "Caused by: org.apache.kafka.common.config.ConfigException: Invalid url in bootstrap.servers: nohostport\n", 1},
		{[]string{"--list", "--bootstrap-server", ""}, "", uncaught("org.apache.kafka.common.KafkaException: Failed to create new KafkaAdminClient") + "Caused by: org.apache.kafka.common.config.ConfigException: No resolvable bootstrap urls given in bootstrap.servers\n", 1},
	} {
		stdout, stderr, code := topicsRun(context.Background(), tc.args...)
		if stdout != tc.stdout || stderr != tc.stderr || code != tc.code {
			t.Errorf("kafka-topics %q:\nexit %d, want %d\nstdout %q\nwant   %q\nstderr %q\nwant   %q", tc.args, code, tc.code, stdout, tc.stdout, firstLines(stderr), firstLines(tc.stderr))
		}
	}
}

func firstLines(s string) string {
	lines := strings.SplitAfterN(s, "\n", 3)
	if len(lines) > 2 {
		lines = lines[:2]
	}
	return strings.Join(lines, "")
}

// TestTopicsHelpGolden pins the whole help text (checked against Kafka
// 2.8.2's own output, testdata/oracle/topics/help.golden).
func TestTopicsHelpGolden(t *testing.T) {
	_, stderr, code := topicsRun(context.Background(), "--help")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	checkGolden(t, "help", stderr)
}

// TestTopicsOptionSetOrder checks the CHAMP iteration order against orders
// observed with Kafka 2.8.2 (Scala 2.13): the sets of checkInvalidArgs.
func TestTopicsOptionSetOrder(t *testing.T) {
	for _, tc := range []struct{ in, want []string }{
		{[]string{"create", "alter", "list", "delete", "under-min-isr-partitions", "at-min-isr-partitions", "unavailable-partitions", "topics-with-overrides"},
			[]string{"create", "unavailable-partitions", "delete", "list", "at-min-isr-partitions", "alter", "topics-with-overrides", "under-min-isr-partitions"}},
		{[]string{"create", "describe", "list", "delete", "bootstrap-server"},
			[]string{"describe", "create", "delete", "list", "bootstrap-server"}},
	} {
		if got := scalaOptionSetOrder(tc.in, true); strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("order of %v = %v, want %v", tc.in, got, tc.want)
		}
	}
	if got := scalaOptionSetOrder([]string{"partitions", "replication-factor"}, false); got[0] != "partitions" {
		t.Errorf("Set2 order = %v", got)
	}
}

// TestJavaHashMapOrder replays vectors recorded from JDK 17: the topic
// order of admin-mode --describe and the order of a Config's entries.
func TestJavaHashMapOrder(t *testing.T) {
	f, err := os.Open(goldenPath("java-hashmap-order.vectors"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n := 0
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		parts := strings.Split(line, "|")
		if len(parts) != 3 {
			t.Fatalf("bad vector %q", line)
		}
		in := strings.Fields(parts[0])
		sorted := append([]string(nil), in...)
		sort.Strings(sorted)
		if got := strings.Join(describeTopicsOrder(sorted), " "); got != parts[1] {
			t.Errorf("describeTopicsOrder(%v) = %s, want %s", sorted, got, parts[1])
		}
		if got := strings.Join(configEntriesOrder(in), " "); got != parts[2] {
			t.Errorf("configEntriesOrder(%v) = %s, want %s", in, got, parts[2])
		}
		n++
	}
	if n < 100 {
		t.Fatalf("only %d vectors", n)
	}
}

// TestJavaLineBreaks replays segments of java.text.BreakIterator's line
// instance recorded from JDK 17, which jopt's help layout wraps at.
func TestJavaLineBreaks(t *testing.T) {
	data, err := os.ReadFile(goldenPath("java-line-breaks.vectors"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if strings.HasPrefix(lines[0], "#") {
		lines = lines[1:]
	}
	if len(lines)%2 != 0 || len(lines) < 1000 {
		t.Fatalf("%d vector lines", len(lines))
	}
	for i := 0; i < len(lines); i += 2 {
		var b strings.Builder
		for _, w := range words(lines[i]) {
			b.WriteString("[" + w + "]")
		}
		if b.String() != lines[i+1] {
			t.Errorf("words(%q)\n got %s\nwant %s", lines[i], b.String(), lines[i+1])
		}
	}
}

func TestJavaRegexSplit(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"a=b", []string{"a", "b"}},
		{"a = b", []string{"a", "b"}},
		{"a=", []string{"a"}},
		{"a=b=", []string{"a", "b"}},
		{"=b", []string{"", "b"}},
		{"=", nil},
		{"a", []string{"a"}},
		{"", []string{""}},
		{"a==b", []string{"a", "", "b"}},
		{"a\x0b=\x0bb", []string{"a", "b"}},
	} {
		got := javaRegexSplit(tc.in, configSplitRE)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
			t.Errorf("split(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTopicFilter(t *testing.T) {
	topics := []string{"__consumer_offsets", "a", "a.b", "ab", "b", "test.topic", "testXtopic"}
	for _, tc := range []struct {
		regex           string
		excludeInternal bool
		want            string
		err             string
	}{
		{"a", false, "a", ""},
		{"a.*", false, "a a.b ab", ""},
		{"a,b", false, "a b", ""},
		{" 'a, b' ", false, "a b", ""},
		{`"test\.topic"`, false, "test.topic", ""},
		{"test.topic", false, "test.topic testXtopic", ""},
		{".*", true, "a a.b ab b test.topic testXtopic", ""},
		{"__.*", false, "__consumer_offsets", ""},
		{"[", false, "", "java.lang.RuntimeException: [ is an invalid regex."},
	} {
		got, err := filterTopics(topics, tc.regex, true, tc.excludeInternal)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("%q: err %v, want %s", tc.regex, err, tc.err)
			}
			continue
		}
		if err != nil || strings.Join(got, " ") != tc.want {
			t.Errorf("%q: %v %v, want %s", tc.regex, got, err, tc.want)
		}
	}
}

func strp(s string) *string { return &s }

// TestTopicsPrintGoldens renders every output shape from views, without a
// cluster.
func TestTopicsPrintGoldens(t *testing.T) {
	var b strings.Builder
	(&topicListView{names: []string{"__consumer_offsets", "a", "b"}}).print(&b)
	checkGolden(t, "list-admin", b.String())
	b.Reset()
	(&topicListView{}).print(&b)
	checkGolden(t, "list-admin-empty", b.String())
	b.Reset()
	(&topicListView{zk: true, names: []string{"a", "b"}, marked: map[string]bool{"b": true}}).print(&b)
	checkGolden(t, "list-zk", b.String())
	b.Reset()
	(&topicListView{zk: true}).print(&b)
	if b.String() != "" {
		t.Errorf("empty ZooKeeper list printed %q", b.String())
	}

	admin := &describeView{liveBrokers: map[int32]bool{0: true, 1: true, 2: true}, topics: []describedTopic{
		{name: "t1", topicID: "lOWTEAA--q3kWbKNMWpDWQ", numPartitions: 3, replicationFactor: 2, hasConfig: true,
			configs: []configEntry{
				{name: "cleanup.policy", value: strp("compact")},
				{name: "min.insync.replicas", value: strp("2"), isDefault: true},
				{name: "segment.bytes", value: strp("1073741824")},
				{name: "password", value: nil},
			},
			partitions: []partitionDescription{
				{partition: 0, leader: 0, replicas: []int32{0, 1}, isr: []int32{0, 1}},
				{partition: 1, leader: 1, replicas: []int32{1, 2}, isr: []int32{1}},
				{partition: 2, leader: -1, replicas: []int32{2, 0}, isr: []int32{}},
			}},
		{name: "t2", numPartitions: 1, replicationFactor: 2, hasConfig: true,
			configs: []configEntry{{name: "min.insync.replicas", value: strp("1"), isDefault: true}},
			partitions: []partitionDescription{
				{partition: 0, leader: 3, replicas: []int32{3, 1, 2}, isr: []int32{3, 1, 2},
					reassignment: &partitionReassignment{replicas: []int32{3, 1, 2}, adding: []int32{3}, removing: []int32{0}}},
			}},
	}}
	for _, tc := range []struct {
		name string
		f    describeFilters
	}{
		{"describe-admin", describeFilters{}},
		{"describe-admin-under-replicated", describeFilters{underReplicated: true}},
		{"describe-admin-unavailable", describeFilters{unavailable: true}},
		{"describe-admin-under-min-isr", describeFilters{underMinIsr: true}},
		{"describe-admin-at-min-isr", describeFilters{atMinIsr: true}},
		{"describe-admin-topics-with-overrides", describeFilters{overrides: true}},
	} {
		b.Reset()
		if err := admin.print(&b, tc.f); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		checkGolden(t, tc.name, b.String())
	}

	zkView := &describeView{liveBrokers: map[int32]bool{0: true}, topics: []describedTopic{
		{name: "a", numPartitions: 2, replicationFactor: 1, configs: []configEntry{{name: "retention.ms", value: strp("1000")}},
			partitions: []partitionDescription{
				{partition: 0, leader: 0, replicas: []int32{0}, isr: []int32{0}},
				{partition: 1, leader: 5, replicas: []int32{5}, isr: []int32{5}},
			}},
		{name: "gone", missing: true},
		{name: "m", topicID: "f4XOgPFhvdqTJHSWoS9f1w", numPartitions: 1, replicationFactor: 1, marked: true,
			partitions: []partitionDescription{{partition: 0, leader: -1, replicas: []int32{0}, isr: []int32{}}}},
	}}
	for _, tc := range []struct {
		name string
		f    describeFilters
	}{
		{"describe-zk", describeFilters{}},
		{"describe-zk-unavailable", describeFilters{unavailable: true}},
		{"describe-zk-topics-with-overrides", describeFilters{overrides: true}},
	} {
		b.Reset()
		if err := zkView.print(&b, tc.f); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		checkGolden(t, tc.name, b.String())
	}

	// A topic whose describeConfigs future failed stops the loop there.
	b.Reset()
	failing := &describeView{topics: []describedTopic{admin.topics[1], {name: "x", configErr: apiException(3, nil)}, admin.topics[0]}}
	err := failing.print(&b, describeFilters{})
	if err == nil || err.Error() != "org.apache.kafka.common.errors.UnknownTopicOrPartitionException: This server does not host this topic-partition." {
		t.Errorf("err = %v", err)
	}
	checkGolden(t, "describe-admin-config-error", b.String())

	// No min.insync.replicas entry: Java's NullPointerException.
	b.Reset()
	noMin := &describeView{topics: []describedTopic{{name: "n", hasConfig: true, numPartitions: 1, replicationFactor: 1,
		partitions: []partitionDescription{{partition: 0, leader: 0, replicas: []int32{0}, isr: []int32{0}}}}}}
	err = noMin.print(&b, describeFilters{atMinIsr: true})
	if je, ok := err.(*javaException); !ok || je.class != jNullPointer {
		t.Errorf("err = %v, want a NullPointerException", err)
	}
}

// TestTopicsErrorReport checks the layout of a failure inside the action:
// getMessage on stdout, the stack trace's first line then " (logger)" on
// stderr, exit 1.
func TestTopicsErrorReport(t *testing.T) {
	mem := cluster.NewMemZK()
	ctx := withTopicsZK(context.Background(), func(string) (cluster.ZK, error) { return mem, nil })
	stdout, stderr, code := topicsRun(ctx, "--describe", "--zookeeper", "z:1", "--topic", "nosuch")
	want := runResult("Error while executing topic command : Topic 'nosuch' does not exist as expected\n",
		fixedLogTime+" ERROR java.lang.IllegalArgumentException: Topic 'nosuch' does not exist as expected\n (kafka.admin.TopicCommand$)\n", 1)
	if got := runResult(stdout, stderr, code); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	checkGolden(t, "error-report", runResult(stdout, stderr, code))
}

var topicIDRE = regexp.MustCompile(`TopicId: [A-Za-z0-9_-]{22}`)

// topicsStep is one kafka-topics run and what it must print.
type topicsStep struct {
	args   []string
	stdout string
	stderr string
	code   int
}

func runSteps(t *testing.T, ctx context.Context, prefix []string, steps []topicsStep) {
	t.Helper()
	for _, s := range steps {
		args := append(append([]string(nil), s.args...), prefix...)
		stdout, stderr, code := topicsRun(ctx, args...)
		stdout = topicIDRE.ReplaceAllString(stdout, "TopicId: <ID>")
		if stdout != s.stdout || stderr != s.stderr || code != s.code {
			t.Errorf("kafka-topics %q:\nexit %d, want %d\n--- stdout\n%s--- want\n%s--- stderr\n%s--- want\n%s", s.args, code, s.code, stdout, s.stdout, stderr, s.stderr)
		}
	}
}

// errReport is what a failure inside the action prints.
func errReport(class, msg string) (string, string) {
	return "Error while executing topic command : " + msg + "\n",
		fixedLogTime + " ERROR " + class + ": " + msg + "\n (kafka.admin.TopicCommand$)\n"
}

// TestTopicsKfake runs every admin-mode action against franz-go's
// in-process kfake cluster. kfake returns errors without messages, so the
// Java client's default messages are expected.
func TestTopicsKfake(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.DefaultNumPartitions(1))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	prefix := []string{"--bootstrap-server", c.ListenAddrs()[0]}
	existsOut, existsErr := errReport("org.apache.kafka.common.errors.TopicExistsException", "Topic with this name already exists.")
	missingOut, missingErr := errReport("java.lang.IllegalArgumentException", "Topic 'nosuch' does not exist as expected")
	rfOut, rfErr := errReport("org.apache.kafka.common.errors.InvalidReplicationFactorException", "Replication factor is below 1 or larger than the number of available brokers.")
	shrinkOut, shrinkErr := errReport("org.apache.kafka.common.errors.InvalidPartitionsException", "Number of partitions is below 1.")
	cfgOut, cfgErr := errReport("org.apache.kafka.common.errors.InvalidConfigurationException", "Unknown topic config name: nosuch")
	valOut, valErr := errReport("org.apache.kafka.common.config.ConfigException", "Invalid value abc for configuration retention.ms: Not a number of type LONG")
	fmtOut, fmtErr := errReport("java.lang.IllegalArgumentException", `requirement failed: Invalid topic config: all configs to be added must be in the format "key=val".`)
	partsOut, partsErr := errReport("java.lang.IllegalArgumentException", "The partitions must be greater than 0")
	rfRangeOut, rfRangeErr := errReport("java.lang.IllegalArgumentException", "The replication factor must be between 1 and 32767 inclusive")
	dupOut, dupErr := errReport("kafka.common.AdminCommandFailedException", "Partition replica lists may not contain duplicate entries: 0")
	nfOut, nfErr := errReport("java.lang.NumberFormatException", `For input string: "a"`)
	convOut, convErr := errReport("joptsimple.OptionArgumentConversionException", "Cannot parse argument 'x' of option partitions")
	regexOut, regexErr := errReport("java.lang.RuntimeException", "[ is an invalid regex.")
	emptyOut, emptyErr := errReport("org.apache.kafka.common.errors.InvalidTopicException", "The given topic name '' cannot be represented in a request.")
	const warnDot = "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.\n"
	runSteps(t, ctx, prefix, []topicsStep{
		{args: []string{"--list"}, stdout: "\n"},
		{args: []string{"--create", "--topic", "t1", "--partitions", "3", "--replication-factor", "1"}, stdout: "Created topic t1.\n"},
		{args: []string{"--create", "--topic", "t1"}, stdout: existsOut, stderr: existsErr, code: 1},
		{args: []string{"--create", "--topic", "t1", "--if-not-exists"}},
		{args: []string{"--create", "--topic", "t.2", "--config", "retention.ms=1000", "--config", " cleanup.policy = compact"},
			stdout: warnDot + "Created topic t.2.\n"},
		{args: []string{"--create", "--topic", "t3"}, stdout: "Created topic t3.\n"},
		{args: []string{"--create", "--topic", "x", "--replication-factor", "3"}, stdout: rfOut, stderr: rfErr, code: 1},
		{args: []string{"--create", "--topic", "x", "--partitions", "0"}, stdout: partsOut, stderr: partsErr, code: 1},
		{args: []string{"--create", "--topic", "x", "--replication-factor", "40000"}, stdout: rfRangeOut, stderr: rfRangeErr, code: 1},
		{args: []string{"--create", "--topic", "x", "--partitions", "x"}, stdout: convOut, stderr: convErr, code: 1},
		{args: []string{"--create", "--topic", "x", "--config", "nosuch=1"}, stdout: cfgOut, stderr: cfgErr, code: 1},
		{args: []string{"--create", "--topic", "x", "--config", "retention.ms=abc"}, stdout: valOut, stderr: valErr, code: 1},
		{args: []string{"--create", "--topic", "x", "--config", "retention.ms"}, stdout: fmtOut, stderr: fmtErr, code: 1},
		{args: []string{"--create", "--topic", "x", "--replica-assignment", "0:0"}, stdout: dupOut, stderr: dupErr, code: 1},
		{args: []string{"--create", "--topic", "x", "--replica-assignment", "a"}, stdout: nfOut, stderr: nfErr, code: 1},
		{args: []string{"--create", "--topic", ""}, stdout: emptyOut, stderr: emptyErr, code: 1},
		{args: []string{"--create", "--topic", "ra", "--replica-assignment", "0,0"}, stdout: "Created topic ra.\n"},
		{args: []string{"--list"}, stdout: "ra\nt.2\nt1\nt3\n"},
		{args: []string{"--list", "--topic", "t.*"}, stdout: "t.2\nt1\nt3\n"},
		{args: []string{"--list", "--topic", `"t\.2, t3"`}, stdout: "t.2\nt3\n"},
		{args: []string{"--list", "--topic", "["}, stdout: regexOut, stderr: regexErr, code: 1},
		{args: []string{"--describe", "--topic", "t1"}, stdout: "" +
			"Topic: t1\tTopicId: <ID>\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: \n" +
			"\tTopic: t1\tPartition: 0\tLeader: 0\tReplicas: 0\tIsr: 0\n" +
			"\tTopic: t1\tPartition: 1\tLeader: 0\tReplicas: 0\tIsr: 0\n" +
			"\tTopic: t1\tPartition: 2\tLeader: 0\tReplicas: 0\tIsr: 0\n"},
		{args: []string{"--describe", "--topics-with-overrides"}, stdout: "" +
			"Topic: t.2\tTopicId: <ID>\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: cleanup.policy=compact,retention.ms=1000\n"},
		{args: []string{"--describe", "--topic", "ra"}, stdout: "" +
			"Topic: ra\tTopicId: <ID>\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: \n" +
			"\tTopic: ra\tPartition: 0\tLeader: 0\tReplicas: 0\tIsr: 0\n" +
			"\tTopic: ra\tPartition: 1\tLeader: 0\tReplicas: 0\tIsr: 0\n"},
		{args: []string{"--describe", "--topic", "t1", "--under-replicated-partitions"}},
		{args: []string{"--describe", "--topic", "t1", "--unavailable-partitions"}},
		{args: []string{"--describe", "--topic", "t1", "--under-min-isr-partitions"}},
		{args: []string{"--describe", "--topic", "t1", "--at-min-isr-partitions"}, stdout: "" +
			"\tTopic: t1\tPartition: 0\tLeader: 0\tReplicas: 0\tIsr: 0\n" +
			"\tTopic: t1\tPartition: 1\tLeader: 0\tReplicas: 0\tIsr: 0\n" +
			"\tTopic: t1\tPartition: 2\tLeader: 0\tReplicas: 0\tIsr: 0\n"},
		{args: []string{"--describe", "--topic", "nosuch"}, stdout: missingOut, stderr: missingErr, code: 1},
		{args: []string{"--describe", "--topic", "nosuch", "--if-exists"}},
		{args: []string{"--alter", "--topic", "t1", "--partitions", "5"}},
		{args: []string{"--alter", "--topic", "t1", "--partitions", "2"}, stdout: shrinkOut, stderr: shrinkErr, code: 1},
		{args: []string{"--alter", "--topic", "nosuch", "--partitions", "2"}, stdout: missingOut, stderr: missingErr, code: 1},
		{args: []string{"--alter", "--topic", "nosuch", "--partitions", "2", "--if-exists"}},
		{args: []string{"--alter", "--topic", "t3", "--partitions", "3", "--replica-assignment", "0,0,0"}},
		{args: []string{"--describe", "--topic", "t1|t3"}, stdout: "" +
			"Topic: t1\tTopicId: <ID>\tPartitionCount: 5\tReplicationFactor: 1\tConfigs: \n" +
			"\tTopic: t1\tPartition: 0\tLeader: 0\tReplicas: 0\tIsr: 0\n" +
			"\tTopic: t1\tPartition: 1\tLeader: 0\tReplicas: 0\tIsr: 0\n" +
			"\tTopic: t1\tPartition: 2\tLeader: 0\tReplicas: 0\tIsr: 0\n" +
			"\tTopic: t1\tPartition: 3\tLeader: 0\tReplicas: 0\tIsr: 0\n" +
			"\tTopic: t1\tPartition: 4\tLeader: 0\tReplicas: 0\tIsr: 0\n" +
			"Topic: t3\tTopicId: <ID>\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: \n" +
			"\tTopic: t3\tPartition: 0\tLeader: 0\tReplicas: 0\tIsr: 0\n" +
			"\tTopic: t3\tPartition: 1\tLeader: 0\tReplicas: 0\tIsr: 0\n" +
			"\tTopic: t3\tPartition: 2\tLeader: 0\tReplicas: 0\tIsr: 0\n"},
		{args: []string{"--create", "--topic", "dr-one"}, stdout: "Created topic dr-one.\n"},
		{args: []string{"--create", "--topic", "dr-two"}, stdout: "Created topic dr-two.\n"},
		{args: []string{"--create", "--topic", "dr3"}, stdout: "Created topic dr3.\n"},
		{args: []string{"--create", "--topic", "drz"}, stdout: "Created topic drz.\n"},
		// The order Kafka 2.8.2 prints (testdata/oracle/topics/describe-regex.golden).
		{args: []string{"--describe", "--topic", "dr.*"}, stdout: "" +
			"Topic: dr-two\tTopicId: <ID>\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: \n" +
			"\tTopic: dr-two\tPartition: 0\tLeader: 0\tReplicas: 0\tIsr: 0\n" +
			"Topic: dr3\tTopicId: <ID>\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: \n" +
			"\tTopic: dr3\tPartition: 0\tLeader: 0\tReplicas: 0\tIsr: 0\n" +
			"Topic: drz\tTopicId: <ID>\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: \n" +
			"\tTopic: drz\tPartition: 0\tLeader: 0\tReplicas: 0\tIsr: 0\n" +
			"Topic: dr-one\tTopicId: <ID>\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: \n" +
			"\tTopic: dr-one\tPartition: 0\tLeader: 0\tReplicas: 0\tIsr: 0\n"},
		{args: []string{"--delete", "--topic", "t.*|dr.*"}},
		{args: []string{"--list"}, stdout: "ra\n"},
		{args: []string{"--delete", "--topic", "nosuch"}, stdout: missingOut, stderr: missingErr, code: 1},
		{args: []string{"--delete", "--topic", "nosuch", "--if-exists"}},
		{args: []string{"--delete", "--topic", "ra"}},
		{args: []string{"--list"}, stdout: "\n"},
	})
}

// TestTopicsUnreachableBroker: with no broker listening, the admin call
// times out after default.api.timeout.ms with the Java client's message,
// and the tool never hangs past it.
func TestTopicsUnreachableBroker(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cfg := filepath.Join(t.TempDir(), "admin.properties")
	if err := os.WriteFile(cfg, []byte("default.api.timeout.ms=1500\nrequest.timeout.ms=1000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		call string
	}{
		{[]string{"--list"}, "listTopics"},
		{[]string{"--create", "--topic", "t"}, "createTopics"},
		{[]string{"--describe"}, "listTopics"},
		{[]string{"--delete", "--topic", "t"}, "listTopics"},
	} {
		start := time.Now()
		args := append(tc.args, "--bootstrap-server", addr, "--command-config", cfg)
		stdout, stderr, code := topicsRun(context.Background(), args...)
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%q took %v", tc.args, d)
		}
		wantOut, wantErr := errReport("org.apache.kafka.common.errors.TimeoutException", "Timed out waiting for a node assignment. Call: "+tc.call)
		if code != 1 || stdout != wantOut || !strings.HasSuffix(stderr, wantErr) {
			t.Errorf("%q: exit %d\n--- stdout\n%s--- stderr\n%s", tc.args, code, stdout, stderr)
		}
		// Before it, the Java client's connection warnings.
		warn := fixedLogTime + " WARN [AdminClient clientId=adminclient-1] Connection to node -1 (/" + addr + ") could not be established. Broker may not be available. (org.apache.kafka.clients.NetworkClient)\n"
		if !strings.HasPrefix(stderr, warn) {
			t.Errorf("%q: stderr does not start with the connection warning:\n%s", tc.args, stderr)
		}
	}
}

// TestTopicsCommandConfig: --command-config is read as the admin client's
// properties; bad values are the AdminClientConfig's uncaught exceptions,
// unknown keys are warned about.
func TestTopicsCommandConfig(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	boot := c.ListenAddrs()[0]
	good := write("good.properties", "client.id=my-admin\nrequest.timeout.ms=5000\nfrobnicate=1\n")
	stdout, stderr, code := topicsRun(context.Background(), "--list", "--bootstrap-server", boot, "--command-config", good)
	wantWarn := fixedLogTime + " WARN The configuration 'frobnicate' was supplied but isn't a known config. (org.apache.kafka.clients.admin.AdminClientConfig)\n"
	if code != 0 || stdout != "\n" || stderr != wantWarn {
		t.Errorf("good config: exit %d stdout %q stderr %q", code, stdout, stderr)
	}
	bad := write("bad.properties", "request.timeout.ms=abc\n")
	stdout, stderr, code = topicsRun(context.Background(), "--list", "--bootstrap-server", boot, "--command-config", bad)
	if code != 1 || stdout != "" || stderr != "Exception in thread \"main\" org.apache.kafka.common.config.ConfigException: Invalid value abc for configuration request.timeout.ms: Not a number of type INT\n" {
		t.Errorf("bad config: exit %d stdout %q stderr %q", code, stdout, stderr)
	}
	small := write("small.properties", "default.api.timeout.ms=1000\n")
	stdout, stderr, code = topicsRun(context.Background(), "--list", "--bootstrap-server", boot, "--command-config", small)
	if code != 1 || stdout != "" || stderr != "Exception in thread \"main\" org.apache.kafka.common.KafkaException: Failed to create new KafkaAdminClient\n"+
		"Caused by: org.apache.kafka.common.config.ConfigException: The specified value of default.api.timeout.ms must be no smaller than the value of request.timeout.ms.\n" {
		t.Errorf("small api timeout: exit %d stdout %q stderr %q", code, stdout, stderr)
	}
}

// brokerZNode is a broker registration as a Kafka 2.8 broker writes it.
func brokerZNode(id int32, rack string) []byte {
	r := ""
	if rack != "" {
		r = `"rack":"` + rack + `",`
	}
	return []byte(`{"features":{},"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"endpoints":["PLAINTEXT://localhost:` +
		strconv.Itoa(9092+int(id)) + `"],` + r + `"jmx_port":-1,"port":` + strconv.Itoa(9092+int(id)) + `,"host":"localhost","version":5,"timestamp":"1622550896789"}`)
}

// zkJSON reads a znode and decodes its JSON.
func zkJSON(t *testing.T, z cluster.ZK, path string) map[string]any {
	t.Helper()
	data, _, err := z.Get(path)
	if err != nil {
		t.Fatalf("get %s: %v", path, err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %v: %s", path, err, data)
	}
	return m
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestTopicsZooKeeperMem runs the --zookeeper mode over engine/cluster's
// in-memory ZooKeeper: the znodes create writes, list and describe reading
// them, alter and delete.
func TestTopicsZooKeeperMem(t *testing.T) {
	mem := cluster.NewMemZK()
	admin := cluster.NewAdminZk(mem, false, nil)
	for _, p := range cluster.PersistentPaths() {
		if err := admin.EnsurePath(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := admin.CreateRecursive(cluster.BrokerIDPath(0), brokerZNode(0, ""), true); err != nil {
		t.Fatal(err)
	}
	ctx := withTopicsZK(context.Background(), func(connect string) (cluster.ZK, error) {
		if connect != "zk:2181" {
			t.Errorf("connect string %q", connect)
		}
		return mem, nil
	})
	prefix := []string{"--zookeeper", "zk:2181"}
	const warnDot = "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.\n"
	existsOut, existsErr := errReport("org.apache.kafka.common.errors.TopicExistsException", "Topic 't1' already exists.")
	rfOut, rfErr := errReport("org.apache.kafka.common.errors.InvalidReplicationFactorException", "Replication factor: 3 larger than available brokers: 1.")
	collOut, collErr := errReport("org.apache.kafka.common.errors.InvalidTopicException", "Topic 'a_b' collides with existing topics: a.b")
	nameOut, nameErr := errReport("org.apache.kafka.common.errors.InvalidTopicException", `Topic name "bad name" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`)
	missingOut, missingErr := errReport("java.lang.IllegalArgumentException", "Topic 'nosuch' does not exist as expected")
	shrinkOut, shrinkErr := errReport("org.apache.kafka.common.errors.InvalidPartitionsException", "The number of partitions for a topic can only be increased. Topic t1 currently has 3 partitions, 2 would not be an increase.")
	internalOut, internalErr := errReport("kafka.admin.AdminOperationException", "Topic __consumer_offsets is a kafka internal topic and is not allowed to be marked for deletion.")
	internalPartsOut, internalPartsErr := errReport("java.lang.IllegalArgumentException", "The number of partitions for the internal topic __consumer_offsets cannot be changed.")
	cfgOut, cfgErr := errReport("org.apache.kafka.common.errors.InvalidConfigurationException", "Unknown topic config name: nosuch")
	const deprecated = "WARNING: Altering topic configuration from this script has been deprecated and may be removed in future releases.\n" +
		"         Going forward, please use kafka-configs.sh for this functionality\n"
	const addWarn = "WARNING: If partitions are increased for a topic that has a key, the partition logic or ordering of the messages will be affected\n"
	runSteps(t, ctx, prefix, []topicsStep{
		{args: []string{"--list"}},
		{args: []string{"--create", "--topic", "t1", "--partitions", "3", "--replication-factor", "1", "--config", "retention.ms=1000"}, stdout: "Created topic t1.\n"},
		{args: []string{"--create", "--topic", "t1", "--partitions", "1", "--replication-factor", "1"}, stdout: existsOut, stderr: existsErr, code: 1},
		{args: []string{"--create", "--topic", "t1", "--partitions", "1", "--replication-factor", "1", "--if-not-exists"}},
		{args: []string{"--create", "--topic", "x", "--partitions", "1", "--replication-factor", "3"}, stdout: rfOut, stderr: rfErr, code: 1},
		{args: []string{"--create", "--topic", "bad name", "--partitions", "1", "--replication-factor", "1"}, stdout: nameOut, stderr: nameErr, code: 1},
		{args: []string{"--create", "--topic", "a.b", "--replica-assignment", "0"}, stdout: warnDot + "Created topic a.b.\n"},
		{args: []string{"--create", "--topic", "a_b", "--partitions", "1", "--replication-factor", "1"}, stdout: warnDot + collOut, stderr: collErr, code: 1},
		{args: []string{"--create", "--topic", "x", "--partitions", "1", "--replication-factor", "1", "--config", "nosuch=1"}, stdout: cfgOut, stderr: cfgErr, code: 1},
		{args: []string{"--list"}, stdout: "a.b\nt1\n"},
		// No controller has written partition state yet.
		{args: []string{"--describe", "--topic", "t1"}, stdout: "" +
			"Topic: t1\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: retention.ms=1000\n" +
			"\tTopic: t1\tPartition: 0\tLeader: none\tReplicas: 0\tIsr: \n" +
			"\tTopic: t1\tPartition: 1\tLeader: none\tReplicas: 0\tIsr: \n" +
			"\tTopic: t1\tPartition: 2\tLeader: none\tReplicas: 0\tIsr: \n"},
		{args: []string{"--describe", "--topic", "t1", "--unavailable-partitions"}, stdout: "" +
			"\tTopic: t1\tPartition: 0\tLeader: none\tReplicas: 0\tIsr: \n" +
			"\tTopic: t1\tPartition: 1\tLeader: none\tReplicas: 0\tIsr: \n" +
			"\tTopic: t1\tPartition: 2\tLeader: none\tReplicas: 0\tIsr: \n"},
		{args: []string{"--describe", "--topics-with-overrides"}, stdout: "Topic: t1\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: retention.ms=1000\n"},
		{args: []string{"--describe", "--topic", "nosuch"}, stdout: missingOut, stderr: missingErr, code: 1},
		{args: []string{"--describe", "--topic", "nosuch", "--if-exists"}},
	})

	// The znodes Kafka 2.8's AdminZkClient writes.
	if got, want := jsonText(zkJSON(t, mem, "/brokers/topics/t1")), `{"adding_replicas":{},"partitions":{"0":[0],"1":[0],"2":[0]},"removing_replicas":{},"version":3}`; got != want {
		t.Errorf("/brokers/topics/t1 = %s, want %s", got, want)
	}
	if got, want := jsonText(zkJSON(t, mem, "/config/topics/t1")), `{"config":{"retention.ms":"1000"},"version":1}`; got != want {
		t.Errorf("/config/topics/t1 = %s, want %s", got, want)
	}
	if got, want := jsonText(zkJSON(t, mem, "/config/topics/a.b")), `{"config":{},"version":1}`; got != want {
		t.Errorf("/config/topics/a.b = %s, want %s", got, want)
	}
	if ok, _, _ := mem.Exists("/config/changes"); ok {
		if cs, _, _ := mem.Children("/config/changes"); len(cs) > 0 {
			t.Errorf("create wrote config change notifications %v", cs)
		}
	}

	// A controller elects leaders: partition state znodes.
	for p := int32(0); p < 3; p++ {
		st := cluster.PartitionState{Leader: 0, LeaderEpoch: 0, ControllerEpoch: 1, ISR: []int32{0}}
		if err := admin.CreateRecursive(cluster.TopicPartitionStatePath("t1", p), st.Encode(), true); err != nil {
			t.Fatal(err)
		}
	}
	runSteps(t, ctx, prefix, []topicsStep{
		{args: []string{"--describe", "--topic", "t1"}, stdout: "" +
			"Topic: t1\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: retention.ms=1000\n" +
			"\tTopic: t1\tPartition: 0\tLeader: 0\tReplicas: 0\tIsr: 0\n" +
			"\tTopic: t1\tPartition: 1\tLeader: 0\tReplicas: 0\tIsr: 0\n" +
			"\tTopic: t1\tPartition: 2\tLeader: 0\tReplicas: 0\tIsr: 0\n"},
		{args: []string{"--describe", "--topic", "t1", "--unavailable-partitions"}},
		{args: []string{"--describe", "--topic", "t1", "--under-replicated-partitions"}},
		{args: []string{"--alter", "--topic", "t1", "--partitions", "4"}, stdout: addWarn + "Adding partitions succeeded!\n"},
		{args: []string{"--alter", "--topic", "t1", "--partitions", "2"}, stdout: addWarn + strings.Replace(shrinkOut, "3 partitions", "4 partitions", 1),
			stderr: strings.Replace(shrinkErr, "3 partitions", "4 partitions", 1), code: 1},
		{args: []string{"--alter", "--topic", "t1", "--config", "cleanup.policy=compact", "--delete-config", "retention.ms"},
			stdout: deprecated + "Updated config for topic t1.\n"},
		{args: []string{"--alter", "--topic", "nosuch", "--partitions", "2"}, stdout: missingOut, stderr: missingErr, code: 1},
		{args: []string{"--alter", "--topic", "nosuch", "--partitions", "2", "--if-exists"}},
		{args: []string{"--describe", "--topic", "t1"}, stdout: "" +
			"Topic: t1\tPartitionCount: 4\tReplicationFactor: 1\tConfigs: cleanup.policy=compact\n" +
			"\tTopic: t1\tPartition: 0\tLeader: 0\tReplicas: 0\tIsr: 0\n" +
			"\tTopic: t1\tPartition: 1\tLeader: 0\tReplicas: 0\tIsr: 0\n" +
			"\tTopic: t1\tPartition: 2\tLeader: 0\tReplicas: 0\tIsr: 0\n" +
			"\tTopic: t1\tPartition: 3\tLeader: none\tReplicas: 0\tIsr: \n"},
		{args: []string{"--delete", "--topic", "t1"}, stdout: "Topic t1 is marked for deletion.\nNote: This will have no impact if delete.topic.enable is not set to true.\n"},
		{args: []string{"--delete", "--topic", "t1"}, stdout: "Topic t1 is already marked for deletion.\n"},
		{args: []string{"--list"}, stdout: "a.b\nt1 - marked for deletion\n"},
		{args: []string{"--describe", "--topic", "t1", "--topics-with-overrides"}, stdout: "" +
			"Topic: t1\tPartitionCount: 4\tReplicationFactor: 1\tConfigs: cleanup.policy=compact\tMarkedForDeletion: true\n"},
		{args: []string{"--delete", "--topic", "nosuch"}, stdout: missingOut, stderr: missingErr, code: 1},
		{args: []string{"--delete", "--topic", "nosuch", "--if-exists"}},
	})
	if got, want := jsonText(zkJSON(t, mem, "/config/topics/t1")), `{"config":{"cleanup.policy":"compact"},"version":1}`; got != want {
		t.Errorf("/config/topics/t1 = %s, want %s", got, want)
	}
	if cs, _, err := mem.Children("/config/changes"); err != nil || len(cs) != 1 {
		t.Errorf("config change notifications after alter: %v %v", cs, err)
	}
	if ok, _, _ := mem.Exists("/admin/delete_topics/t1"); !ok {
		t.Error("/admin/delete_topics/t1 missing")
	}

	// Internal topics.
	if err := admin.CreateTopicWithAssignment("__consumer_offsets", cluster.NewProps(), cluster.Assignment{0: {0}}, cluster.Uuid{}); err != nil {
		t.Fatal(err)
	}
	runSteps(t, ctx, prefix, []topicsStep{
		{args: []string{"--list", "--exclude-internal"}, stdout: "a.b\nt1 - marked for deletion\n"},
		{args: []string{"--list"}, stdout: "__consumer_offsets\na.b\nt1 - marked for deletion\n"},
		{args: []string{"--delete", "--topic", "__consumer_offsets"}, stdout: internalOut, stderr: internalErr, code: 1},
		{args: []string{"--alter", "--topic", "__consumer_offsets", "--partitions", "3"}, stdout: internalPartsOut, stderr: internalPartsErr, code: 1},
	})
}

// TestTopicsZooKeeperUnreachable: with nothing listening, --zookeeper fails
// as Kafka's KafkaZkClient does after its connection timeout (30 s in Kafka;
// shortened here), uncaught, and never hangs.
func TestTopicsZooKeeperUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx := withTopicsTimeouts(context.Background(), topicsTimeouts{zkConnection: 1500 * time.Millisecond})
	for _, connect := range []string{addr, addr + "/chroot", "nosuchhost.invalid:2181"} {
		start := time.Now()
		stdout, stderr, code := topicsRun(ctx, "--list", "--zookeeper", connect)
		if d := time.Since(start); d < time.Second || d > 10*time.Second {
			t.Errorf("%s: took %v", connect, d)
		}
		want := "Exception in thread \"main\" kafka.zookeeper.ZooKeeperClientTimeoutException: Timed out waiting for connection while in state: CONNECTING\n"
		if code != 1 || stdout != "" || stderr != want {
			t.Errorf("%s: exit %d stdout %q stderr %q", connect, code, stdout, stderr)
		}
	}
	if zkConnectionTimeout != 30*time.Second {
		t.Errorf("connection timeout %v, Kafka's is 30 s", zkConnectionTimeout)
	}
}

// TestTopicsRealZooKeeper runs --zookeeper mode against a real Apache
// ZooKeeper (skipped when none is installed): the znodes create writes,
// list/describe reading them, delete marking for deletion, a chroot.
func TestTopicsRealZooKeeper(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a JVM")
	}
	zkAddr := oracle.StartZooKeeper(t)
	conn, z, jerr := connectZooKeeper(context.Background(), zkAddr, 30*time.Second)
	if jerr != nil {
		t.Fatal(jerr)
	}
	defer conn.Close()
	for _, tc := range []struct{ root, p string }{{"", "rz"}, {"/kafka", "kz"}} {
		root, p := tc.root, tc.p
		t.Run("chroot="+root, func(t *testing.T) {
			var zr cluster.ZK = z
			if root != "" {
				if _, err := z.Create(root, nil, 0, zkWorldACL()); err != nil {
					t.Fatal(err)
				}
				zr = cluster.Chroot(z, root)
			}
			admin := cluster.NewAdminZk(zr, false, nil)
			if err := admin.CreateRecursive(cluster.BrokerIDPath(0), brokerZNode(0, ""), true); err != nil {
				t.Fatal(err)
			}
			prefix := []string{"--zookeeper", zkAddr + root}
			ctx := context.Background()
			runSteps(t, ctx, prefix, []topicsStep{
				{args: []string{"--list"}},
				{args: []string{"--create", "--topic", p + "1", "--partitions", "2", "--replication-factor", "1", "--config", "cleanup.policy=compact"}, stdout: "Created topic " + p + "1.\n"},
				{args: []string{"--create", "--topic", p + "2", "--replica-assignment", "0,0,0"}, stdout: "Created topic " + p + "2.\n"},
				{args: []string{"--list"}, stdout: p + "1\n" + p + "2\n"},
				{args: []string{"--describe", "--topic", p + ".*"}, stdout: "" +
					"Topic: " + p + "1\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: cleanup.policy=compact\n" +
					"\tTopic: " + p + "1\tPartition: 0\tLeader: none\tReplicas: 0\tIsr: \n" +
					"\tTopic: " + p + "1\tPartition: 1\tLeader: none\tReplicas: 0\tIsr: \n" +
					"Topic: " + p + "2\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: \n" +
					"\tTopic: " + p + "2\tPartition: 0\tLeader: none\tReplicas: 0\tIsr: \n" +
					"\tTopic: " + p + "2\tPartition: 1\tLeader: none\tReplicas: 0\tIsr: \n" +
					"\tTopic: " + p + "2\tPartition: 2\tLeader: none\tReplicas: 0\tIsr: \n"},
				{args: []string{"--delete", "--topic", p + "2"}, stdout: "Topic " + p + "2 is marked for deletion.\nNote: This will have no impact if delete.topic.enable is not set to true.\n"},
				{args: []string{"--list"}, stdout: p + "1\n" + p + "2 - marked for deletion\n"},
			})
			if got, want := jsonText(zkJSON(t, zr, "/brokers/topics/"+p+"1")), `{"adding_replicas":{},"partitions":{"0":[0],"1":[0]},"removing_replicas":{},"version":3}`; got != want {
				t.Errorf("topic znode = %s, want %s", got, want)
			}
			if got, want := jsonText(zkJSON(t, zr, "/config/topics/"+p+"1")), `{"config":{"cleanup.policy":"compact"},"version":1}`; got != want {
				t.Errorf("config znode = %s, want %s", got, want)
			}
			if ok, _, err := zr.Exists("/admin/delete_topics/" + p + "2"); !ok || err != nil {
				t.Errorf("delete marker: %v %v", ok, err)
			}
			if root != "" {
				if ok, _, _ := z.Exists("/brokers/topics/" + p + "1"); ok {
					t.Error("chroot ignored: the topic znode exists at the root")
				}
			}
		})
	}
}

func zkWorldACL() []zk.ACL { return zk.WorldACL(zk.PermAll) }

// topicsRunner runs an oracle step through Main in this process.
func topicsRunner(ctx context.Context, tool string, args []string, stdin string) oracle.Result {
	var out, errb syncBuffer
	code := Main(ctx, append([]string{tool}, args...), Stdio{In: strings.NewReader(stdin), Out: &out, Err: &errb})
	return oracle.Result{Stdout: out.String(), Stderr: errb.String(), Exit: code}
}

// TestTopicsOracle replays testdata/oracle/topics.txt, recorded from Kafka
// 2.8.2's own kafka-topics, through ours against a real Kafka 2.8.2 broker
// and ZooKeeper, comparing every checked step (after the oracle's
// normalisation: log timestamps, stack frames, topic ids).
func TestTopicsOracle(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a JVM broker")
	}
	if err := oracle.Available(); err != nil {
		t.Skipf("%v", err)
	}
	zkAddr := oracle.StartZooKeeper(t)
	bootstrap := oracle.StartKafka(t, zkAddr)
	addrs := oracle.Addrs{Bootstrap: bootstrap, ZooKeeper: zkAddr}
	suite, err := oracle.LoadSuite("topics")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range suite.Cases {
		t.Run(c.Name, func(t *testing.T) {
			if c.Name != "version" {
				oracle.ReplayCase(t, suite.Name, c, addrs, topicsRunner)
				return
			}
			// --version prints the commit of the build (cli.md §0.1): Kafka's
			// jar says 3146c6ff4a24cc24, our binary its own commit. Every
			// other byte must match.
			g, err := oracle.LoadGolden(suite.Name, c)
			if err != nil {
				t.Fatal(err)
			}
			for i, o := range oracle.RunCase(t, c, addrs, topicsRunner) {
				want := g.Checks[i].Result
				want.Stdout = strings.ReplaceAll(want.Stdout, "2.8.2 (Commit:3146c6ff4a24cc24)", versionLine())
				if d := oracle.CompareOutcome(want, o.Result); d != "" {
					t.Errorf("topics.txt:%d: check %s\n%s", o.Line, o.Command, d)
				}
			}
		})
	}
}
