package oracle

import (
	"context"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestGoldenRoundTrip(t *testing.T) {
	s, err := ParseSuite("sample.txt", strings.NewReader(sampleSuite))
	if err != nil {
		t.Fatal(err)
	}
	c := s.Cases[1]
	checks := []Outcome{
		{Result: Result{Exit: 0}},
		{Result: Result{Stdout: "k1\tv1\n", Stderr: "Processed a total of 1 messages\n", Exit: 130}},
		{Result: Result{Stdout: "no newline", Stderr: "|starts with a bar\n\n  \n", Exit: 1}},
		{Result: Result{Stdout: "\n", Stderr: "$ check looks like a step\nexit 3\nstdout:\n", Exit: -1}},
	}
	data, err := FormatGolden("sample", c, checks)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, want := range []string{
		"# suite: sample\n# case: produce\n# source: " + c.SourceHash() + "\n",
		"$ check kafka-console-producer --bootstrap-server {bootstrap} --topic 'a b'\nstdin:\n|k1\tv1\n|  indented # not a comment\n|\nexit 0\nstdout:\nstderr:\n",
		"$ file conf/client.properties\ncontent:\n|bootstrap.servers={bootstrap}\n",
		"exit 1\nstdout:\n|no newline\n" + noEOL + "\nstderr:\n||starts with a bar\n|\n|  \n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("golden lacks %q:\n%s", want, text)
		}
	}
	g, err := ParseGolden(data)
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	if g.Suite != "sample" || g.Case != "produce" || g.Source != c.SourceHash() {
		t.Errorf("header = %+v", g)
	}
	if len(g.Checks) != len(checks) {
		t.Fatalf("%d checks read back, want %d", len(g.Checks), len(checks))
	}
	for i := range checks {
		if !reflect.DeepEqual(g.Checks[i].Result, checks[i].Result) {
			t.Errorf("check %d: read %+v, wrote %+v", i, g.Checks[i].Result, checks[i].Result)
		}
		if want := c.Checks()[i].Text; g.Checks[i].Command != want {
			t.Errorf("check %d: command %q, want %q", i, g.Checks[i].Command, want)
		}
	}

	if _, err := FormatGolden("sample", c, checks[:1]); err == nil {
		t.Errorf("FormatGolden accepted too few outcomes")
	}
}

func TestParseGoldenErrors(t *testing.T) {
	for _, in := range []string{
		"# suite: a\n$ check x\nexit 0\nstdout:\nstderr:\n",               // no source
		"# source: 1\n$ check x\nstdout:\nstderr:\n",                      // no exit
		"# source: 1\n$ check x\nexit zero\nstdout:\nstderr:\n",           // bad exit
		"# source: 1\n$ check x\nexit 0\nstderr:\n",                       // no stdout
		"# source: 1\nrandom text\n",                                      // not a step
		"# source: 1\n$ frobnicate x\n",                                   // unknown step
		"# source: 1\n$ check x\nexit 0\nstdout:\n|a\nstderr:\n|b\nzzz\n", // junk after a block
	} {
		if _, err := ParseGolden([]byte(in)); err == nil {
			t.Errorf("ParseGolden accepted %q", in)
		}
	}
}

func TestLineDiff(t *testing.T) {
	a := "l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\n"
	b := "l1\nl2\nl3\nl4\nl5\nl6\nL7 \nl8\nl9"
	got := LineDiff(a, b)
	want := "@@ …\n l4\n l5\n l6\n-l7\n+\"L7 \"\n l8\n-l9\n+l9  (no newline at end)\n"
	if got != want {
		t.Errorf("LineDiff:\n%s\nwant:\n%s", got, want)
	}
	if d := LineDiff("same\n", "same\n"); strings.ContainsAny(d, "+-") {
		t.Errorf("equal texts diff as %q", d)
	}
}

func TestCompareOutcome(t *testing.T) {
	want := Result{Stdout: "Created topic t1.\n", Stderr: "", Exit: 0}
	if d := CompareOutcome(want, want); d != "" {
		t.Errorf("equal results differ: %s", d)
	}
	d := CompareOutcome(want, Result{Stdout: "Created topic t2.\n", Stderr: "oops\n", Exit: 1})
	for _, s := range []string{"exit status: Kafka 0, ours 1", "stdout differs", "-Created topic t1.", "+Created topic t2.", "stderr differs", "+oops"} {
		if !strings.Contains(d, s) {
			t.Errorf("report lacks %q:\n%s", s, d)
		}
	}
}

// TestRunCaseWithFakeRunner drives RunCase with an in-process runner: the
// placeholders are substituted into arguments and stdin, and their values
// turned back into placeholders in the output before Normalize and filters.
func TestRunCaseWithFakeRunner(t *testing.T) {
	s, err := ParseSuite("fake.txt", strings.NewReader(`
case echo
run kafka-topics --create --bootstrap-server {bootstrap}
filter 'CreateTime:[0-9]+' 'CreateTime:<TS>'
check kafka-console-consumer --bootstrap-server {bootstrap} --zookeeper {zookeeper} <<EOF
in {bootstrap}
EOF
file a.properties <<EOF
x={bootstrap}
EOF
check cat {tmp}/a.properties
`))
	if err != nil {
		t.Fatal(err)
	}
	addrs := Addrs{Bootstrap: "127.0.0.1:40001", ZooKeeper: "127.0.0.1:40002/chroot"}
	var calls []string
	run := func(ctx context.Context, tool string, args []string, stdin string) Result {
		calls = append(calls, tool+" "+strings.Join(args, " ")+" <"+stdin)
		if tool == "cat" {
			return Result{Stdout: readFileForTest(t, args[0])}
		}
		return Result{
			Stdout: "CreateTime:1622548800000\tseen " + strings.Join(args, " ") + "\n",
			Stderr: "[2026-01-02 03:04:05,678] WARN x (/127.0.0.1:40001)\n\tat a.b(C.java:1)\n",
			Exit:   3,
		}
	}
	outs := RunCase(t, s.Cases[0], addrs, run)
	if len(calls) != 3 || calls[0] != "kafka-topics --create --bootstrap-server 127.0.0.1:40001 <" ||
		calls[1] != "kafka-console-consumer --bootstrap-server 127.0.0.1:40001 --zookeeper 127.0.0.1:40002/chroot <in 127.0.0.1:40001\n" {
		t.Errorf("calls = %q", calls)
	}
	if len(outs) != 2 {
		t.Fatalf("%d outcomes", len(outs))
	}
	want := Result{
		Stdout: "CreateTime:<TS>\tseen --bootstrap-server {bootstrap} --zookeeper {zookeeper}\n",
		Stderr: "[TIME] WARN x (/{bootstrap})\n",
		Exit:   3,
	}
	if outs[0].Result != want {
		t.Errorf("outcome = %+v\nwant      %+v", outs[0].Result, want)
	}
	if outs[1].Result.Stdout != "x={bootstrap}\n" {
		t.Errorf("file step wrote %q", outs[1].Result.Stdout)
	}
}

func readFileForTest(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRunStepStuckRunner: a runner that ignores its context is abandoned.
func TestRunStepStuckRunner(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	step := Step{Kind: StepCheck, Tool: "x", Interrupt: 10 * time.Millisecond}
	start := time.Now()
	_, interrupted, stuck := runStep(step, nil, func(ctx context.Context, tool string, args []string, stdin string) Result {
		<-block
		return Result{}
	}, 100*time.Millisecond)
	if !interrupted || !stuck {
		t.Errorf("interrupted=%v stuck=%v, want both", interrupted, stuck)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("gave up after %v", d)
	}
	res, interrupted, stuck := runStep(step, nil, func(ctx context.Context, tool string, args []string, stdin string) Result {
		<-ctx.Done()
		return Result{Exit: 130}
	}, time.Minute)
	if !interrupted || stuck || res.Exit != 130 {
		t.Errorf("honouring runner: %+v interrupted=%v stuck=%v", res, interrupted, stuck)
	}
}
