package commands

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kafkago/kafka/config"
	"github.com/kafkago/kafka/engine/e2e/oracle"
	"github.com/kafkago/kafka/engine/zk"
)

// startShellZK runs our coordination server on 127.0.0.1:0 (in memory)
// until the test ends and returns its address.
func startShellZK(t *testing.T) string {
	t.Helper()
	cfg, _, err := config.LoadZooKeeper("", []string{"dataDir=" + t.TempDir(), "tickTime=200", "maxClientCnxns=0"})
	if err != nil {
		t.Fatal(err)
	}
	cfg.ClientPortAddress = "127.0.0.1"
	cfg.ClientPort = 0
	s, err := zk.New(cfg, slog.New(slog.DiscardHandler), zk.WithStorage(zk.NewMemStorage()))
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() { errc <- s.Serve(context.Background()) }()
	select {
	case <-s.Ready():
	case err := <-errc:
		t.Fatalf("Serve: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("server not ready")
	}
	t.Cleanup(func() {
		s.Close()
		<-errc
	})
	return s.Addr().String()
}

type shellResult struct {
	out, err string
	code     int
}

// runShell runs zookeeper-shell in process with stdin and args.
func runShell(t *testing.T, stdin string, terminal bool, args ...string) shellResult {
	t.Helper()
	var out, errb syncBuffer
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	code := Main(ctx, append([]string{"zookeeper-shell"}, args...), Stdio{
		In: strings.NewReader(stdin), Out: &out, Err: &errb, InTerminal: terminal,
	})
	return shellResult{out: out.String(), err: errb.String(), code: code}
}

var (
	shellHexRe  = regexp.MustCompile(`(?m)^(cZxid|mZxid|pZxid|ephemeralOwner) = 0x[0-9a-f]+$`)
	shellDateRe = regexp.MustCompile(`(?m)^(ctime|mtime) = .*$`)
)

// normalizeShell hides what differs from run to run: zxids, session ids,
// times.
func normalizeShell(s string) string {
	s = shellHexRe.ReplaceAllString(s, "$1 = 0x<N>")
	return shellDateRe.ReplaceAllString(s, "$1 = <DATE>")
}

const shellConnected = "\nWATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null\n"

func TestShellUsage(t *testing.T) {
	r := runShell(t, "", false)
	if r.code != 1 || r.err != "USAGE: zookeeper-shell zookeeper_host:port[/path] [-zk-tls-config-file file] [args...]\n" || r.out != "" {
		t.Fatalf("got %+v", r)
	}
}

func TestShellOneCommand(t *testing.T) {
	addr := startShellZK(t)
	tests := []struct {
		args      []string
		out, err  string
		code      int
		connected bool
	}{
		{[]string{"ls", "/"}, "[zookeeper]\n", "", 0, true},
		{[]string{"create", "/a", "hello"}, "", "Created /a\n", 0, true},
		{[]string{"create", "/a", "x"}, "", "Node already exists: /a\n", 1, true},
		{[]string{"get", "/a"}, "hello\n", "", 0, true},
		{[]string{"create", "/a/b"}, "", "Created /a/b\n", 0, true},
		{[]string{"get", "/a/b"}, "null\n", "", 0, true},
		{[]string{"ls", "/a"}, "[b]\n", "", 0, true},
		{[]string{"ls", "-R", "/a"}, "/a\n/a/b\n", "", 0, true},
		{[]string{"delete", "/a"}, "", "Node not empty: /a\n", 1, true},
		{[]string{"set", "-v", "7", "/a", "x"}, "", "version No is not valid : /a\n", 1, true},
		{[]string{"get", "/nope"}, "", "Node does not exist: /nope\n", 1, true},
		{[]string{"stat", "/nope"}, "", "Node does not exist: /nope\n", 1, true},
		{[]string{"getAcl", "/a"}, "'world,'anyone\n: cdrwa\n", "", 0, true},
		{[]string{"sync", "/a"}, "Sync is OK\n", "", 0, true},
		{[]string{"getAllChildrenNumber", "/a"}, "1\n", "", 0, true},
		{[]string{"getEphemerals"}, "[]\n", "", 0, true},
		{[]string{"create", "-s", "/a/s-"}, "", "Created /a/s-0000000001\n", 0, true},
		{[]string{"create", "-c", "-e", "/x"}, "", "-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.\n", 1, false},
		{[]string{"create", "-t", "abc", "/x"}, "", "-t argument must be a long value\n", 1, false},
		{[]string{"create", "noslash"}, "", "Path must start with / character\n", 1, false},
		{[]string{"get"}, "", "get [-s] [-w] path\n", 1, false},
		{[]string{"ls", "-x", "/"}, "", "org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -x\n", 1, false},
		{[]string{"setquota", "/a"}, "", "org.apache.commons.cli.MissingOptionException: Missing required option: [-b bytes quota, -n num quota]\n", 1, false},
		{[]string{"version"}, zkShellVersion + "\n", "", 0, false},
		{[]string{"deleteall", "/a"}, "", "", 0, true},
		{[]string{"ls", "/"}, "[zookeeper]\n", "", 0, true},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := runShell(t, "", false, append([]string{addr}, tt.args...)...)
			want := "Connecting to " + addr + "\n"
			if tt.connected {
				want += shellConnected
			}
			want += tt.out
			if r.out != want || r.err != tt.err || r.code != tt.code {
				t.Errorf("got stdout %q stderr %q exit %d\nwant stdout %q stderr %q exit %d", r.out, r.err, r.code, want, tt.err, tt.code)
			}
		})
	}
}

func TestShellCommandNotFound(t *testing.T) {
	addr := startShellZK(t)
	r := runShell(t, "", false, addr, "foo")
	if r.code != 127 {
		t.Errorf("exit %d, want 127", r.code)
	}
	if !strings.HasPrefix(r.err, "ZooKeeper -server host:port [-zk-tls-config-file <file>] cmd args\n\taddWatch [-m mode] path") ||
		!strings.Contains(r.err, "\tclose \n") || !strings.HasSuffix(r.err, "\tversion \n\twhoami \nCommand not found: Command not found foo\n") {
		t.Errorf("stderr:\n%s", r.err)
	}
}

func TestShellExitCodeIsLastCommands(t *testing.T) {
	addr := startShellZK(t)
	for _, tt := range []struct {
		stdin string
		code  int
	}{
		{"get /nope\nls /\n", 0},
		{"ls /\nget /nope\n", 1},
		{"get /nope\nquit\nls /\n", 1}, // quit keeps the previous status and stops
		{"ls /\nfoo\n", 127},
		{"get /nope\nredo 0\n", 0}, // redo itself succeeds
		{"", 0},
	} {
		r := runShell(t, tt.stdin, false, addr)
		if r.code != tt.code {
			t.Errorf("%q: exit %d, want %d (stderr %q)", tt.stdin, r.code, tt.code, r.err)
		}
		if !strings.HasPrefix(r.out, "Connecting to "+addr+"\nWelcome to ZooKeeper!\nJLine support is disabled\n") {
			t.Errorf("%q: stdout %q", tt.stdin, r.out)
		}
		if strings.Contains(r.out, "[zk: ") {
			t.Errorf("%q: prompt without a terminal: %q", tt.stdin, r.out)
		}
	}
}

func TestShellPromptOnTerminal(t *testing.T) {
	addr := startShellZK(t)
	r := runShell(t, "ls /\n", true, addr)
	want := "Connecting to " + addr + "\nWelcome to ZooKeeper!\nJLine support is enabled\n" + shellConnected +
		"[zk: " + addr + "(CONNECTED) 0] [zookeeper]\n[zk: " + addr + "(CONNECTED) 1] "
	if r.out != want {
		t.Errorf("stdout %q\nwant   %q", r.out, want)
	}
}

func TestShellChroot(t *testing.T) {
	addr := startShellZK(t)
	runShell(t, "", false, addr, "create", "/app")
	r := runShell(t, "create /x 1\ncreate -e /e\ngetEphemerals\nls /\nget -w /x\nset /x 2\nquit\n", false, addr+"/app")
	if r.err != "Created /x\nCreated /e\n" {
		t.Errorf("stderr %q", r.err)
	}
	if !strings.Contains(r.out, "[/e]\n[e, x]\n1\n\nWATCHER::\n\nWatchedEvent state:SyncConnected type:NodeDataChanged path:/x\n") {
		t.Errorf("stdout %q", r.out)
	}
	if r := runShell(t, "", false, addr, "get", "/app/x"); !strings.HasSuffix(r.out, "\n2\n") {
		t.Errorf("/app/x: %q", r.out)
	}
}

func TestShellSplitLine(t *testing.T) {
	for in, want := range map[string][]string{
		`create /a "hello world" world:anyone:r`: {"create", "/a", "hello world", "world:anyone:r"},
		`set /a 'x y'`:                           {"set", "/a", "x y"},
		`  ls   /  `:                             {"ls", "/"},
		`get /a''`:                               {"get", "/a''"},
	} {
		if got := zkSplitLine(in); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

func TestShellParseOptions(t *testing.T) {
	opts, pos, err := zkParseOptions("ls", []string{"ls", "-sw", "/a", "-R"})
	if err != nil || fmt.Sprint(pos) != "[ls /a]" || len(opts) != 3 {
		t.Errorf("ls: %v %v %v", opts, pos, err)
	}
	opts, pos, err = zkParseOptions("set", []string{"set", "-v5", "/a", "d"})
	if err != nil || opts["v"] != "5" || fmt.Sprint(pos) != "[set /a d]" {
		t.Errorf("set: %v %v %v", opts, pos, err)
	}
	if _, _, err = zkParseOptions("delete", []string{"delete", "-v"}); err == nil || err.Error() != "org.apache.commons.cli.MissingArgumentException: Missing argument for option: v" {
		t.Errorf("delete -v: %v", err)
	}
}

// shellSession is a scripted session run by the golden and the oracle tests.
const shellSession = `create /t hello
create /t x
create /t/b
create /t/c ""
get /t
get /t/b
get /t/c
get -s /t
stat /t
ls /t
ls -s /t
ls -R /t
set /t world
set -s /t w2
set -v 9 /t x
delete /t
delete -v 7 /t/c
getAcl /t
getAcl -s /t
create -s /t/seq- x
getAllChildrenNumber /t
stat /t/nonexist
set /t/nonexist x
create /t/x/y/z
create /t/q "a b" world:anyone:r
get /t/q
getAcl /t/q
set /t/q z
create /t/bad x bad
setAcl /t/b bad
setAcl -s /t/b world:anyone:cdrwa
create -e /t/e1
create -e -s /t/e-
getEphemerals /t
create /t/w x
get -w /t/w
set /t/w y
ls -w /t/w
create /t/w/c
stat -w /t/w
delete /t/w/c
delete /t/w
addWatch /t/r
create /t/r
create /t/r/s
set /t/r/s 1
addWatch -m PERSISTENT /t/p
create /t/p
addWatch /t/p2
create /t/p2
create /t/p2/x
removewatches /t/p2
removewatches /t/p2
get -w /t
removewatches /t -d
ls -w /t
removewatches /t -c -l
create /t/after
setquota -n 10 /t
listquota /t
delquota -n /t
listquota /t
delquota /t
listquota /t
sync /t
ls
get
create
foo
ls -x /
history
redo 0
redo 999
printwatches
printwatches off
set /t/w x
printwatches on
deleteall /t
ls /t
quit
`

func TestShellSessionGolden(t *testing.T) {
	addr := startShellZK(t)
	r := runShell(t, shellSession, false, addr)
	got := fmt.Sprintf("== stdout ==\n%s== stderr ==\n%s== exit %d ==\n", r.out, r.err, r.code)
	got = strings.ReplaceAll(normalizeShell(got), addr, "<ADDR>")
	path := filepath.Join("..", "testdata", "golden", "zookeeper-shell", "session.golden")
	if *updateGolden {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./commands/ -run ShellSessionGolden -update)", err)
	}
	if got != string(want) {
		t.Errorf("session differs from %s:\n%s", path, oracle.LineDiff(string(want), got))
	}
}

// shellStateEventRe matches a session state event (SyncConnected, Closed),
// which zkCli prints from its event thread at no fixed place.
var shellStateEventRe = regexp.MustCompile(`\nWATCHER::\n\nWatchedEvent state:\w+ type:None path:null\n`)

// oracleShellNormalize drops what legitimately differs between two runs
// against the same server: the JVM's exit log line, the asynchronous
// session state events (their place among the output lines varies in
// zkCli), zxids,
// session ids and times.
func oracleShellNormalize(s string) string {
	var keep []string
	for _, l := range strings.SplitAfter(s, "\n") {
		if strings.Contains(l, "Exiting JVM with code") {
			continue
		}
		keep = append(keep, l)
	}
	s = strings.Join(keep, "")
	s = shellStateEventRe.ReplaceAllString(s, "")
	return normalizeShell(s)
}

// shellAdditionsUsageRe matches the usage lines of the commands our shell
// has beyond zkCli 3.6.4 (ls2 and rmr from ZooKeeper 3.5.9, whoami from
// 3.7+; see TestShellAdditions).
var shellAdditionsUsageRe = regexp.MustCompile(`(?m)^\t(ls2 path \[watch\]|rmr path|whoami )\n`)

// dropShellAdditionsUsage removes those lines from our usage list, the one
// place the additions show in what TestShellOracle compares.
func dropShellAdditionsUsage(s string) string {
	return shellAdditionsUsageRe.ReplaceAllString(s, "")
}

// TestShellOracle runs the same sessions through Kafka 2.8.2's own shell
// class (ZooKeeperMainWithTlsSupportForKafka) and through ours, against
// the same real Apache ZooKeeper, and compares what they print.
func TestShellOracle(t *testing.T) {
	if testing.Short() {
		t.Skip("starts JVMs")
	}
	if err := oracle.Available(); err != nil {
		t.Skipf("%v (run `make oracle-deps zookeeper-deps`)", err)
	}
	addr := oracle.StartZooKeeper(t)
	cases := []struct {
		name  string
		stdin string
		args  []string
	}{
		{"session", shellSession, nil},
		{"ls", "", []string{"ls", "/"}},
		{"get-missing", "", []string{"get", "/nope"}},
		{"usage", "", []string{"get"}},
		{"stat-root", "", []string{"stat", "/zookeeper"}},
		{"version", "", []string{"version"}},
		{"close", "close\nls /\nconnect " + addr + "\nls /zookeeper\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			class, full, err := oracle.ToolClass("zookeeper-shell", append([]string{addr}, c.args...))
			if err != nil {
				t.Fatal(err)
			}
			want := oracle.RunToolWith(t, oracle.ToolOptions{Stdin: c.stdin}, class, full...)
			if !strings.HasPrefix(want.Stdout, "Connecting to "+addr+"\n") {
				t.Fatalf("Kafka's shell did not run: %+v", want)
			}
			runShell(t, "deleteall /t\n", false, addr)
			got := runShell(t, c.stdin, false, append([]string{addr}, c.args...)...)
			runShell(t, "deleteall /t\n", false, addr)
			if d := oracle.LineDiff(oracleShellNormalize(want.Stdout), oracleShellNormalize(got.out)); d != "" {
				t.Errorf("stdout differs from Kafka's (- Kafka, + ours):\n%s", d)
			}
			if d := oracle.LineDiff(oracleShellNormalize(want.Stderr), oracleShellNormalize(dropShellAdditionsUsage(got.err))); d != "" {
				t.Errorf("stderr differs from Kafka's (- Kafka, + ours):\n%s", d)
			}
			if want.Exit != got.code {
				t.Errorf("exit %d, Kafka's %d", got.code, want.Exit)
			}
		})
	}
}

// With no server reachable the handle stays CONNECTING: commands that need
// the server fail with ConnectionLoss (zkCli's text), others still run.
func TestShellNoServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	r := runShell(t, "ls /\nversion\nget /a\n", false, addr)
	if r.code != 1 || r.err != "KeeperErrorCode = ConnectionLoss for /\nKeeperErrorCode = ConnectionLoss for /a\n" ||
		r.out != "Connecting to "+addr+"\nWelcome to ZooKeeper!\nJLine support is disabled\n"+zkShellVersion+"\n" {
		t.Errorf("got %+v", r)
	}
	r = runShell(t, "", true, addr, "ls", "/")
	if r.code != 1 || r.err != "KeeperErrorCode = ConnectionLoss for /\n" {
		t.Errorf("one command: %+v", r)
	}
}

// TestShellAdditions covers the commands our shell has beyond zkCli 3.6.4:
// ls2 and rmr as ZooKeeper 3.5.9 (Kafka 2.8's own distribution) has them,
// deprecated, with their warning on stderr, and zkCli 3.7+'s whoami.
// TestShellOracle cannot check them (its zkCli 3.6.4 answers "Command not
// found" to all three).
func TestShellAdditions(t *testing.T) {
	addr := startShellZK(t)
	const ls2Warn = "'ls2' has been deprecated. Please use 'ls [-s] path' instead.\n"
	const rmrWarn = "The command 'rmr' has been deprecated. Please use 'deleteall' instead.\n"
	stat := func(numChildren int) string {
		return fmt.Sprintf("cZxid = 0x<N>\nctime = <DATE>\nmZxid = 0x<N>\nmtime = <DATE>\npZxid = 0x<N>\ncversion = %d\ndataVersion = 0\naclVersion = 0\nephemeralOwner = 0x<N>\ndataLength = 0\nnumChildren = %d\n", numChildren, numChildren)
	}
	tests := []struct {
		args      []string
		out, err  string
		code      int
		connected bool
	}{
		{[]string{"create", "/a"}, "", "Created /a\n", 0, true},
		{[]string{"create", "/a/b"}, "", "Created /a/b\n", 0, true},
		{[]string{"ls2", "/a"}, "[b]\n" + stat(1), ls2Warn, 0, true},
		{[]string{"ls2", "/a/b", "watch"}, "[]\n" + stat(0), ls2Warn, 0, true},
		{[]string{"ls2"}, "", "ls2 path [watch]\n", 1, false},
		{[]string{"ls2", "-s", "/a"}, "", "org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -s\n", 1, false},
		{[]string{"ls2", "noslash"}, "", ls2Warn + "Path must start with / character\n", 1, false},
		{[]string{"ls2", "/nope"}, "", ls2Warn + "Node does not exist: /nope\n", 1, true},
		{[]string{"rmr"}, "", "rmr path\n", 1, false},
		{[]string{"rmr", "-b", "5", "/a"}, "", "org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -b\n", 1, false},
		{[]string{"rmr", "/nope"}, "", rmrWarn + "Node does not exist: /nope\n", 1, true},
		{[]string{"rmr", "/a"}, "", rmrWarn, 0, true},
		{[]string{"ls", "/"}, "[zookeeper]\n", "", 0, true},
		{[]string{"whoami"}, "Auth scheme: User\nip: 127.0.0.1\n", "", 0, true},
		{[]string{"whoami", "-x", "extra"}, "Auth scheme: User\nip: 127.0.0.1\n", "", 0, true},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := runShell(t, "", false, append([]string{addr}, tt.args...)...)
			want := "Connecting to " + addr + "\n"
			if tt.connected {
				want += shellConnected
			}
			want += tt.out
			if got := normalizeShell(r.out); got != want || r.err != tt.err || r.code != tt.code {
				t.Errorf("got stdout %q stderr %q exit %d\nwant stdout %q stderr %q exit %d", got, r.err, r.code, want, tt.err, tt.code)
			}
		})
	}

	// whoami lists the ids addauth added; ls2 with a watch argument sets a
	// child watch whose event the shell prints.
	r := runShell(t, "addauth digest alice:secret\nwhoami\ncreate /w\nls2 /w watch\ncreate /w/c\nrmr /w\nls /\nwhoami x\n", false, addr)
	wantOut := "Connecting to " + addr + "\nWelcome to ZooKeeper!\nJLine support is disabled\n" + shellConnected +
		"Auth scheme: User\nip: 127.0.0.1\ndigest: alice\n" +
		"[]\n" + stat(0) +
		"\nWATCHER::\n\nWatchedEvent state:SyncConnected type:NodeChildrenChanged path:/w\n" +
		"[zookeeper]\n" +
		"Auth scheme: User\nip: 127.0.0.1\ndigest: alice\n"
	wantErr := "Created /w\n" + ls2Warn + "Created /w/c\n" + rmrWarn
	if got := normalizeShell(r.out); got != wantOut || r.err != wantErr || r.code != 0 {
		t.Errorf("session: got stdout %q stderr %q exit %d\nwant stdout %q stderr %q", got, r.err, r.code, wantOut, wantErr)
	}

	// The usage list has them in ZooKeeper's (sorted) places.
	r = runShell(t, "", false, addr, "foo")
	for _, w := range []string{
		"\tls [-s] [-w] [-R] path\n\tls2 path [watch]\n\tprintwatches on|off\n",
		"\tremovewatches path [-c|-d|-a] [-l]\n\trmr path\n\tset [-s] [-v version] path data\n",
		"\tversion \n\twhoami \nCommand not found: Command not found foo\n",
	} {
		if !strings.Contains(r.err, w) {
			t.Errorf("usage lacks %q:\n%s", w, r.err)
		}
	}
}

// TestShellAdditionsNoServer: whoami needs the server like the others.
func TestShellAdditionsNoServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	r := runShell(t, "", false, addr, "whoami")
	if r.code != 1 || r.err != "KeeperErrorCode = ConnectionLoss\n" {
		t.Errorf("got %+v", r)
	}
}
