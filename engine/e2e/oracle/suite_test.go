package oracle

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestSplitWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  bool
	}{
		{in: "", want: nil},
		{in: "  a  b\tc ", want: []string{"a", "b", "c"}},
		{in: `--topic 'a b'`, want: []string{"--topic", "a b"}},
		{in: `--topic ''`, want: []string{"--topic", ""}},
		{in: `--topic ""`, want: []string{"--topic", ""}},
		{in: `"say \"hi\" \\ \n"`, want: []string{`say "hi" \ \n`}},
		{in: `'it''s'`, want: []string{"its"}},
		{in: `a\ b \'c`, want: []string{"a b", "'c"}},
		{in: `x'y z'"w"`, want: []string{"xy zw"}},
		{in: `--config 'cleanup.policy=compact' --x={bootstrap}`, want: []string{"--config", "cleanup.policy=compact", "--x={bootstrap}"}},
		{in: `'open`, err: true},
		{in: `"open`, err: true},
		{in: `end\`, err: true},
	}
	for _, tc := range tests {
		got, err := SplitWords(tc.in)
		if tc.err {
			if err == nil {
				t.Errorf("SplitWords(%q) = %q, want an error", tc.in, got)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("SplitWords(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

const sampleSuite = `# A sample suite.
broker auto.create.topics.enable=false
broker num.partitions=3

case create-and-list
# setup
run kafka-topics --create --bootstrap-server {bootstrap} --topic t1
check	kafka-topics --list --bootstrap-server {bootstrap}
sleep 1500ms

case produce
timeout 30s
filter 'CreateTime:[0-9]+' 'CreateTime:<TS>'
filter x y
check kafka-console-producer --bootstrap-server {bootstrap} --topic 'a b' <<EOF
k1	v1
  indented # not a comment

EOF
interrupt 5s
check kafka-console-consumer --bootstrap-server {bootstrap} --topic t1
file conf/client.properties <<END
bootstrap.servers={bootstrap}
END
check kafka-topics --list --command-config {tmp}/conf/client.properties --zookeeper {zookeeper}
check kafka-topics '<<EOF'
`

func TestParseSuite(t *testing.T) {
	s, err := ParseSuite("sample.txt", strings.NewReader(sampleSuite))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"auto.create.topics.enable=false", "num.partitions=3"}; !reflect.DeepEqual(s.Broker, want) {
		t.Errorf("Broker = %q, want %q", s.Broker, want)
	}
	if len(s.Cases) != 2 {
		t.Fatalf("%d cases, want 2", len(s.Cases))
	}
	c := s.Cases[0]
	if c.Name != "create-and-list" || c.Line != 5 || len(c.Steps) != 3 {
		t.Fatalf("case 0 = %+v", c)
	}
	if st := c.Steps[0]; st.Kind != StepRun || st.Tool != "kafka-topics" || st.Line != 7 ||
		!reflect.DeepEqual(st.Args, []string{"--create", "--bootstrap-server", "{bootstrap}", "--topic", "t1"}) {
		t.Errorf("step 0 = %+v", st)
	}
	if st := c.Steps[1]; st.Kind != StepCheck || st.Text != "kafka-topics --list --bootstrap-server {bootstrap}" {
		t.Errorf("step 1 = %+v", st)
	}
	if st := c.Steps[2]; st.Kind != StepSleep || st.Sleep != 1500*time.Millisecond {
		t.Errorf("step 2 = %+v", st)
	}
	if c.Uses(PlaceholderZooKeeper) || !c.Uses(PlaceholderBootstrap) {
		t.Errorf("Uses wrong for case 0")
	}

	p := s.Cases[1]
	if len(p.Steps) != 5 || len(p.Checks()) != 4 {
		t.Fatalf("case 1 has %d steps, %d checks", len(p.Steps), len(p.Checks()))
	}
	prod := p.Steps[0]
	if prod.Timeout != 30*time.Second || len(prod.Filters) != 2 || prod.Interrupt != 0 {
		t.Errorf("producer directives = %+v", prod)
	}
	if got := prod.Filters[0].Re.ReplaceAllString("CreateTime:123\tk", prod.Filters[0].Repl); got != "CreateTime:<TS>\tk" {
		t.Errorf("filter gives %q", got)
	}
	if !prod.HasStdin || prod.Stdin != "k1\tv1\n  indented # not a comment\n\n" {
		t.Errorf("stdin = %q", prod.Stdin)
	}
	if prod.Text != "kafka-console-producer --bootstrap-server {bootstrap} --topic 'a b'" {
		t.Errorf("text = %q", prod.Text)
	}
	if prod.Args[len(prod.Args)-1] != "a b" {
		t.Errorf("args = %q", prod.Args)
	}
	if prod.Line != 15 {
		t.Errorf("producer line = %d", prod.Line)
	}
	cons := p.Steps[1]
	if cons.Interrupt != 5*time.Second || cons.Timeout != 0 || len(cons.Filters) != 0 || cons.HasStdin || cons.Line != 21 {
		t.Errorf("consumer step = %+v", cons)
	}
	f := p.Steps[2]
	if f.Kind != StepFile || f.Path != "conf/client.properties" || f.Stdin != "bootstrap.servers={bootstrap}\n" {
		t.Errorf("file step = %+v", f)
	}
	if !p.Uses(PlaceholderZooKeeper) {
		t.Errorf("case 1 uses {zookeeper}")
	}
	if q := p.Steps[4]; q.HasStdin || !reflect.DeepEqual(q.Args, []string{"<<EOF"}) {
		t.Errorf("a quoted <<EOF is an argument: %+v", q)
	}

	// The source hash ignores comments and blank lines but nothing else.
	s2, err := ParseSuite("x", strings.NewReader(strings.ReplaceAll(sampleSuite, "# setup\n", "\n\n# other\n")))
	if err != nil {
		t.Fatal(err)
	}
	if s2.Cases[0].SourceHash() != c.SourceHash() {
		t.Errorf("a comment changed the source hash")
	}
	s4, err := ParseSuite("x", strings.NewReader(strings.ReplaceAll(sampleSuite, "num.partitions=3", "num.partitions=2")))
	if err != nil {
		t.Fatal(err)
	}
	if s4.Cases[0].SourceHash() == c.SourceHash() {
		t.Errorf("a broker override change kept the source hash")
	}
	s3, err := ParseSuite("x", strings.NewReader(strings.ReplaceAll(sampleSuite, "k1\tv1", "k1\tv2")))
	if err != nil {
		t.Fatal(err)
	}
	if s3.Cases[1].SourceHash() == p.SourceHash() {
		t.Errorf("a stdin change kept the source hash")
	}
}

func TestParseSuiteErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"step outside case", "run kafka-topics --list\n", `x.txt:1: "run" outside a case`},
		{"broker after case", "case a\ncheck t\nbroker a=b\n", "x.txt:3: broker overrides must come before the first case"},
		{"broker not kv", "broker ab\n", `broker override "ab" is not key=value`},
		{"bad name", "case a b\n", `bad case name "a b"`},
		{"duplicate", "case a\ncheck t\ncase a\n", `x.txt:3: duplicate case "a"`},
		{"no check", "case a\nrun t\n", `x.txt:1: case "a" has no check step`},
		{"unknown verb", "case a\nexpect t\n", `unknown step "expect"`},
		{"bad duration", "case a\ntimeout soon\ncheck t\n", "timeout needs a positive duration"},
		{"dangling directive", "case a\ncheck t\ntimeout 1s\n", "timeout/interrupt/filter at the end of the file"},
		{"directive before case", "case a\ncheck t\ninterrupt 1s\ncase b\ncheck t\n", "x.txt:4: timeout/interrupt/filter not followed by a run or check step"},
		{"directive before sleep", "case a\ntimeout 1s\nsleep 1s\ncheck t\n", "must be followed by a run or check step"},
		{"heredoc open", "case a\ncheck t <<EOF\nline\n", "heredoc <<EOF not closed"},
		{"filter arity", "case a\nfilter x\ncheck t\n", "filter needs two words"},
		{"filter regexp", "case a\nfilter '(' x\ncheck t\n", "filter: error parsing regexp"},
		{"quote", "case a\ncheck t 'x\n", "unterminated single quote"},
		{"no tool", "case a\ncheck\n", "check needs a tool name"},
		{"file without body", "case a\nfile x\ncheck t\n", "file needs one name and a <<EOF block"},
		{"file escapes tmp", "case a\nfile ../x <<EOF\nEOF\ncheck t\n", "must stay under {tmp}"},
		{"timeout not above interrupt", "case a\ntimeout 1s\ninterrupt 2s\ncheck t\n", "timeout must be longer than interrupt"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSuite("x.txt", strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestToolClass(t *testing.T) {
	tests := []struct {
		tool      string
		args      []string
		class     string
		wantArgs  []string
		wantError bool
	}{
		{"kafka-topics", []string{"--list"}, "kafka.admin.TopicCommand", []string{"--list"}, false},
		{"kafka-topics.sh", nil, "kafka.admin.TopicCommand", []string{}, false},
		{"kafka-console-producer", nil, "kafka.tools.ConsoleProducer", []string{}, false},
		{"kafka-console-consumer", nil, "kafka.tools.ConsoleConsumer", []string{}, false},
		{"zookeeper-shell", []string{"127.0.0.1:2181", "ls", "/"}, "org.apache.zookeeper.ZooKeeperMainWithTlsSupportForKafka",
			[]string{"-server", "127.0.0.1:2181", "ls", "/"}, false},
		{"kafka-run-class", []string{"kafka.tools.GetOffsetShell", "--help"}, "kafka.tools.GetOffsetShell", []string{"--help"}, false},
		{"kafka-run-class", nil, "", nil, true},
		{"kafka-nope", nil, "", nil, true},
	}
	for _, tc := range tests {
		class, args, err := ToolClass(tc.tool, tc.args)
		if tc.wantError {
			if err == nil {
				t.Errorf("ToolClass(%q) = %q, want an error", tc.tool, class)
			}
			continue
		}
		if err != nil || class != tc.class || !reflect.DeepEqual(args, tc.wantArgs) {
			t.Errorf("ToolClass(%q, %q) = %q, %q, %v; want %q, %q", tc.tool, tc.args, class, args, err, tc.class, tc.wantArgs)
		}
	}
}
