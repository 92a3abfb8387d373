package commands

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/kafkago/kafka/wire"
)

// zookeeper-shell
//
// Kafka 2.8.2's bin/zookeeper-shell.sh runs ZooKeeperMainWithTlsSupportForKafka
// -server "$@": ZooKeeper's zkCli (ZooKeeperMain) as shipped in Kafka's libs
// (zookeeper-3.6.4.jar). With a command after host:port it runs that one
// command; without, it reads commands from stdin. Kafka ships no JLine 2, so
// the real shell never prompts; we prompt ("[zk: host(CONNECTED) N] ") when
// stdin is a terminal and read plain lines otherwise, as the JLine-less
// ZooKeeperMain does. The exit status is the last command's.

const zkShellVersion = "ZooKeeper CLI version: 3.6.4--d65253dcf68e9097c6e95a126463fd5fdeb4521c, built on 12/18/2022 18:10 GMT"

// CreateMode flags (the wire values of org.apache.zookeeper.CreateMode).
const (
	zkModePersistent       = 0
	zkModeEphemeral        = 1
	zkModeSequential       = 2
	zkModeEphemeralSeq     = 3
	zkModeContainer        = 4
	zkModePersistentTTL    = 5
	zkModePersistentSeqTTL = 6
)

// zkShellCommands maps each command to its option string, as ZooKeeperMain's
// commandMap prints them in the usage list (sorted by name).
//
// Three entries are additions to zkCli 3.6.4 (which has none of them): ls2
// and rmr, the deprecated aliases ZooKeeper 3.5.9 (the zookeeper jar of
// Kafka 2.8's own distribution) still has, and whoami from zkCli 3.7+.
var zkShellCommands = map[string]string{
	"addWatch":             "[-m mode] path # optional mode is one of [PERSISTENT, PERSISTENT_RECURSIVE] - default is PERSISTENT_RECURSIVE",
	"addauth":              "scheme auth",
	"close":                "",
	"config":               "[-c] [-w] [-s]",
	"connect":              "host:port",
	"create":               "[-s] [-e] [-c] [-t ttl] path [data] [acl]",
	"delete":               "[-v version] path",
	"deleteall":            "path [-b batch size]",
	"delquota":             "[-n|-b] path",
	"get":                  "[-s] [-w] path",
	"getAcl":               "[-s] path",
	"getAllChildrenNumber": "path",
	"getEphemerals":        "path",
	"history":              "",
	"listquota":            "path",
	"ls":                   "[-s] [-w] [-R] path",
	"ls2":                  "path [watch]", // 3.5.9
	"printwatches":         "on|off",
	"quit":                 "",
	"reconfig":             "[-s] [-v version] [[-file path] | [-members serverID=host:port1:port2;port3[,...]*]] | [-add serverId=host:port1:port2;port3[,...]]* [-remove serverId[,...]*]",
	"redo":                 "cmdno",
	"removewatches":        "path [-c|-d|-a] [-l]",
	"rmr":                  "path", // 3.5.9
	"set":                  "[-s] [-v version] path data",
	"setAcl":               "[-s] [-v version] [-R] path acl",
	"setquota":             "-n|-b val path",
	"stat":                 "[-w] path",
	"sync":                 "path",
	"version":              "",
	"whoami":               "", // 3.7+
}

// zkShellFlags lists each command's options: true for those taking a value.
var zkShellFlags = map[string]map[string]bool{
	"addWatch":      {"m": true},
	"config":        {"c": false, "w": false, "s": false},
	"create":        {"s": false, "e": false, "c": false, "t": true},
	"delete":        {"v": true},
	"deleteall":     {"b": true},
	"delquota":      {"n": false, "b": false},
	"get":           {"s": false, "w": false},
	"getAcl":        {"s": false},
	"ls":            {"s": false, "w": false, "R": false},
	"removewatches": {"c": false, "d": false, "a": false, "l": false},
	"set":           {"s": false, "v": true},
	"setAcl":        {"s": false, "v": true, "R": false},
	"setquota":      {"n": true, "b": true},
	"stat":          {"w": false},
	"reconfig":      {"s": false, "v": true, "file": true, "members": true, "add": true, "remove": true},
}

// zkCliError is a CliException: its message goes to stderr, its code is the
// process's exit status if it is the last command.
type zkCliError struct {
	msg  string
	code int
}

func (e *zkCliError) Error() string { return e.msg }

var errZkQuit = errors.New("quit")

func zkMalformed(msg string) error { return &zkCliError{msg: msg, code: 1} }

// zkWrap is CliWrapperException: KeeperExceptions the shell words itself.
func zkWrap(err error) error {
	ke, ok := err.(*zkcError)
	if !ok {
		return &zkCliError{msg: err.Error(), code: 1}
	}
	path := ke.path
	if path == "" {
		path = "null"
	}
	var msg string
	switch ke.code {
	case wire.CodeNoNode:
		msg = "Node does not exist: " + path
	case wire.CodeNoAuth:
		msg = "Insufficient permission : " + path
	case wire.CodeNodeExists:
		msg = "Node already exists: " + path
	case wire.CodeNotEmpty:
		msg = "Node not empty: " + path
	case wire.CodeBadVersion:
		msg = "version No is not valid : " + path
	case wire.CodeInvalidACL:
		msg = "Acl is not valid : " + path
	case wire.CodeAuthFailed:
		msg = "Authentication is not valid : " + path
	case wire.CodeBadArguments:
		msg = "Argument is not valid : " + path
	case wire.CodeSessionExpired:
		msg = "Session has expired : " + path
	default:
		msg = ke.Error()
	}
	return &zkCliError{msg: msg, code: 1}
}

// zkShell is one ZooKeeperMain.
type zkShell struct {
	env          *Env
	out          io.Writer // locked: watch events arrive from the reader goroutine
	host         string
	zk           *zkcClient
	printWatches bool
	exitCode     int
	history      map[int]string
	count        int
	quit         bool
	// addWatchPersistent is AddWatchCommand's sticky mode (see run).
	addWatchPersistent bool

	wmu     sync.Mutex
	watches map[string]map[string]bool // path -> kinds (data, child, persistent, recursive)
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func newZookeeperShell(env *Env) *cli.App {
	return &cli.App{
		Usage: "Run ZooKeeper's command-line client (zkCli) against a server.",
		Action: func(c *cli.Context) error {
			// Every applet answers a lone --version (the real script would
			// try to connect to a host named --version).
			if c.Args().Len() == 1 && c.Args().First() == "--version" {
				fmt.Fprintln(env.Out, versionLine())
				return nil
			}
			return exit(runZookeeperShell(env, c.Args().Slice()))
		},
	}
}

func runZookeeperShell(env *Env, args []string) int {
	if len(args) == 0 {
		fmt.Fprintf(env.Err, "USAGE: %s zookeeper_host:port[/path] [-zk-tls-config-file file] [args...]\n", env.Prog)
		return 1
	}
	host := args[0]
	rest := args[1:]
	// ZooKeeperMainWithTlsSupportForKafka takes -zk-tls-config-file file.
	var cmdArgs []string
	for i := 0; i < len(rest); i++ {
		if rest[i] == "-zk-tls-config-file" && len(cmdArgs) == 0 {
			if i+1 >= len(rest) {
				fmt.Fprintln(env.Err, "Error: no argument found for option -zk-tls-config-file")
				break
			}
			fmt.Fprintln(env.Err, "zookeeper-shell: TLS to ZooKeeper is not supported; ignoring -zk-tls-config-file "+rest[i+1])
			i++
			continue
		}
		cmdArgs = append(cmdArgs, rest[i:]...)
		break
	}
	var mu sync.Mutex
	sh := &zkShell{
		env:          env,
		out:          lockedWriter{&mu, env.Out},
		printWatches: true,
		history:      map[int]string{},
		watches:      map[string]map[string]bool{},
	}
	fmt.Fprintln(sh.out, "Connecting to "+host)
	sh.connect(host, false)
	defer func() {
		if sh.zk != nil {
			sh.zk.drop()
		}
	}()
	if len(cmdArgs) > 0 {
		sh.process(cmdArgs)
		return sh.exitCode
	}
	fmt.Fprintln(sh.out, "Welcome to ZooKeeper!")
	if env.InTerminal {
		fmt.Fprintln(sh.out, "JLine support is enabled")
	} else {
		fmt.Fprintln(sh.out, "JLine support is disabled")
	}
	if sh.zk != nil && sh.zk.beforeFirstCall != nil {
		// The session's SyncConnected event, which ZooKeeperMain prints
		// asynchronously, usually after the welcome lines.
		sh.zk.firstCall.Do(sh.zk.beforeFirstCall)
	}
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(env.In)
		sc.Buffer(make([]byte, 64*1024), 16<<20)
		for sc.Scan() {
			select {
			case lines <- strings.TrimSuffix(sc.Text(), "\r"):
			case <-env.Ctx.Done():
				return
			}
		}
	}()
	for !sh.quit {
		if env.InTerminal {
			fmt.Fprint(sh.out, sh.prompt())
		}
		select {
		case <-env.Ctx.Done():
			return interruptCode(env.Ctx)
		case line, ok := <-lines:
			if !ok {
				return sh.exitCode
			}
			sh.executeLine(line)
		}
	}
	return sh.exitCode
}

func (sh *zkShell) prompt() string {
	state := "CLOSED"
	if sh.zk != nil {
		state = sh.zk.state()
	}
	return fmt.Sprintf("[zk: %s(%s) %d] ", sh.host, state, sh.count)
}

func (sh *zkShell) event(ev wire.WatcherEvent) {
	if ev.Type != wire.EventNone && ev.Type < wire.EventDataWatchRemoved && !sh.fired(ev) {
		return // no watcher of ours for it (e.g. removed with removewatches -l)
	}
	if !sh.printWatches {
		return
	}
	path := ev.Path
	if path == "" {
		path = "null"
	}
	fmt.Fprintf(sh.out, "\nWATCHER::\n\nWatchedEvent state:%s type:%s path:%s\n", ev.State, ev.Type, path)
}

// fired forgets the one-shot watches an event triggered and tells whether
// any watch of this client wanted it (ClientWatchManager.materialize).
func (sh *zkShell) fired(ev wire.WatcherEvent) bool {
	sh.wmu.Lock()
	defer sh.wmu.Unlock()
	kinds := sh.watches[ev.Path]
	want := kinds["persistent"]
	if ev.Type != wire.EventNodeChildrenChanged {
		for p := ev.Path; ; p = p[:strings.LastIndex(p, "/")] {
			if p == "" {
				p = "/"
			}
			if sh.watches[p]["recursive"] {
				want = true
			}
			if p == "/" {
				break
			}
		}
	}
	switch ev.Type {
	case wire.EventNodeCreated, wire.EventNodeDataChanged:
		want = want || kinds["data"]
		delete(kinds, "data")
	case wire.EventNodeChildrenChanged:
		want = want || kinds["child"]
		delete(kinds, "child")
	case wire.EventNodeDeleted:
		want = want || kinds["data"] || kinds["child"]
		delete(kinds, "data")
		delete(kinds, "child")
	}
	return want
}

func (sh *zkShell) addWatchKind(path, kind string) {
	sh.wmu.Lock()
	defer sh.wmu.Unlock()
	if sh.watches[path] == nil {
		sh.watches[path] = map[string]bool{}
	}
	sh.watches[path][kind] = true
}

func (sh *zkShell) connect(host string, announce bool) {
	if sh.zk != nil && sh.zk.isAlive() {
		sh.zk.close()
		sh.event(wire.WatcherEvent{Type: wire.EventNone, State: wire.StateClosed})
	}
	sh.host = host
	sh.wmu.Lock()
	sh.watches = map[string]map[string]bool{}
	sh.wmu.Unlock()
	zk, ok := zkcDial(host, sh.event)
	sh.zk = zk
	if !ok {
		// CONNECTING: every request retries and fails with ConnectionLoss.
		zk.firstCall.Do(func() {})
		return
	}
	connected := func() { sh.event(wire.WatcherEvent{Type: wire.EventNone, State: wire.StateSyncConnected}) }
	if announce {
		connected()
	} else {
		// One command from the arguments: ZooKeeperMain prints the session's
		// event asynchronously, so a command that fails before it talks to
		// the server (usage, unknown command) exits before it shows.
		zk.beforeFirstCall = connected
	}
}

// zkArgsPattern and zkQuoted split a line as MyCommandOptions.parseCommand.
var (
	zkArgsPattern = regexp.MustCompile(`\s*([^"'\s]\S*|"[^"]*"|'[^']*')\s*`)
	zkQuoted      = regexp.MustCompile(`^(['"])(.*)(['"])$`)
)

func zkSplitLine(line string) []string {
	var args []string
	for _, m := range zkArgsPattern.FindAllStringSubmatch(line, -1) {
		v := m[1]
		if q := zkQuoted.FindStringSubmatch(v); q != nil && q[1] == q[3] {
			v = q[2]
		}
		args = append(args, v)
	}
	return args
}

func (sh *zkShell) executeLine(line string) {
	if line == "" {
		return
	}
	args := zkSplitLine(line)
	sh.history[sh.count] = line
	if len(args) > 0 {
		sh.process(args)
	}
	sh.count++
}

func (sh *zkShell) usage() {
	fmt.Fprintln(sh.env.Err, "ZooKeeper -server host:port [-zk-tls-config-file <file>] cmd args")
	names := make([]string, 0, len(zkShellCommands))
	for n := range zkShellCommands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(sh.env.Err, "\t%s %s\n", n, zkShellCommands[n])
	}
}

// process is processCmd: run one command and record its status.
func (sh *zkShell) process(args []string) {
	err := sh.processZK(args)
	if err == errZkQuit {
		return // quit exits with the previous command's status
	}
	if err != nil {
		ce, ok := err.(*zkCliError)
		if !ok {
			ce = &zkCliError{msg: err.Error(), code: 1}
		}
		sh.exitCode = ce.code
		fmt.Fprintln(sh.env.Err, ce.msg)
		return
	}
	sh.exitCode = 0
}

func (sh *zkShell) processZK(args []string) error {
	cmd := args[0]
	if _, ok := zkShellCommands[cmd]; !ok {
		sh.usage()
		return &zkCliError{msg: "Command not found: Command not found " + cmd, code: 127}
	}
	switch cmd {
	case "quit":
		if sh.zk != nil && sh.zk.isAlive() {
			sh.zk.close()
			sh.event(wire.WatcherEvent{Type: wire.EventNone, State: wire.StateClosed})
		}
		sh.zk = nil
		sh.quit = true
		return errZkQuit
	case "redo":
		if len(args) >= 2 {
			var i int
			if _, err := fmt.Sscanf(args[1], "%d", &i); err != nil {
				return zkMalformed("For input string: \"" + args[1] + "\"")
			}
			if sh.count <= i || i < 0 {
				return zkMalformed("Command index out of range")
			}
			again := zkSplitLine(sh.history[i])
			if len(again) > 0 && again[0] == "redo" {
				return zkMalformed("No redoing redos")
			}
			sh.history[sh.count] = sh.history[i]
			sh.process(again) // its failure is printed; redo itself succeeds
		}
	case "history":
		for i := sh.count - 10; i <= sh.count; i++ {
			if i >= 0 {
				fmt.Fprintf(sh.out, "%d - %s\n", i, sh.history[i])
			}
		}
	case "printwatches":
		if len(args) == 1 {
			state := "off"
			if sh.printWatches {
				state = "on"
			}
			fmt.Fprintln(sh.out, "printwatches is "+state)
		} else {
			sh.printWatches = args[1] == "on"
		}
	case "connect":
		if len(args) >= 2 {
			sh.connect(args[1], true)
		} else {
			sh.connect(sh.host, true)
		}
	}
	if sh.zk == nil || !sh.zk.isAlive() {
		fmt.Fprintln(sh.out, "Not connected")
		return nil
	}
	switch cmd {
	case "redo", "history", "printwatches", "connect":
		return nil
	case "whoami":
		// WhoAmICommand's parse takes any arguments and ignores them.
		return sh.run(cmd, nil, args)
	}
	opts, pos, err := zkParseOptions(cmd, args)
	if err != nil {
		return err
	}
	return sh.run(cmd, opts, pos)
}

// zkParseOptions parses a command's options as commons-cli's PosixParser:
// options anywhere, single-letter flags burst (-sw), values next or attached.
func zkParseOptions(cmd string, args []string) (map[string]string, []string, error) {
	known := zkShellFlags[cmd]
	opts := map[string]string{}
	pos := []string{args[0]}
	for i := 1; i < len(args); i++ {
		a := args[i]
		if len(a) < 2 || a[0] != '-' {
			pos = append(pos, a)
			continue
		}
		name := a[1:]
		if takes, ok := known[name]; ok {
			if takes {
				if i+1 >= len(args) {
					return nil, nil, zkMalformed("org.apache.commons.cli.MissingArgumentException: Missing argument for option: " + name)
				}
				opts[name] = args[i+1]
				i++
			} else {
				opts[name] = ""
			}
			continue
		}
		// burst: -sw, or -v5
		for j := 1; j < len(a); j++ {
			f := a[j : j+1]
			takes, ok := known[f]
			if !ok {
				if j == 1 {
					return nil, nil, zkMalformed("org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: " + a)
				}
				return nil, nil, zkMalformed("org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -" + f)
			}
			if takes {
				if j+1 < len(a) {
					opts[f] = a[j+1:]
				} else if i+1 < len(args) {
					opts[f] = args[i+1]
					i++
				} else {
					return nil, nil, zkMalformed("org.apache.commons.cli.MissingArgumentException: Missing argument for option: " + f)
				}
				break
			}
			opts[f] = ""
		}
	}
	return opts, pos, nil
}

func has(opts map[string]string, name string) bool { _, ok := opts[name]; return ok }

func (sh *zkShell) usageOf(cmd string) error {
	return zkMalformed(cmd + " " + zkShellCommands[cmd])
}

// javaDate formats ms since the epoch as java.util.Date.toString.
func javaDate(ms int64) string {
	return time.UnixMilli(ms).Local().Format("Mon Jan 02 15:04:05 MST 2006")
}

func (sh *zkShell) printStat(st wire.Stat) {
	fmt.Fprintf(sh.out, "cZxid = 0x%x\nctime = %s\nmZxid = 0x%x\nmtime = %s\npZxid = 0x%x\ncversion = %d\ndataVersion = %d\naclVersion = %d\nephemeralOwner = 0x%x\ndataLength = %d\nnumChildren = %d\n",
		uint64(st.Czxid), javaDate(st.Ctime), uint64(st.Mzxid), javaDate(st.Mtime), uint64(st.Pzxid),
		st.Cversion, st.Version, st.Aversion, uint64(st.EphemeralOwner), st.DataLength, st.NumChildren)
}

// zkValidatePath is PathUtils.validatePath's wording.
func zkValidatePath(path string, sequential bool) error {
	if path == "" {
		return zkMalformed("Path length must be > 0")
	}
	if path[0] != '/' {
		return zkMalformed("Path must start with / character")
	}
	if len(path) == 1 {
		return nil
	}
	if path[len(path)-1] == '/' && !sequential {
		return zkMalformed("Path must not end with / character")
	}
	check := path
	if sequential {
		check = path + "1"
	}
	parts := strings.Split(check, "/")
	at := 0
	for i, p := range parts {
		if i > 0 {
			switch p {
			case "":
				return zkMalformed(fmt.Sprintf("Invalid path string \"%s\" caused by empty node name specified @%d", check, at))
			case ".", "..":
				return zkMalformed(fmt.Sprintf("Invalid path string \"%s\" caused by relative paths not allowed @%d", check, at+len(p)))
			}
		}
		at += len(p) + 1
	}
	if strings.ContainsRune(check, 0) {
		return zkMalformed(fmt.Sprintf("Invalid path string \"%s\" caused by null character not allowed @%d", check, strings.IndexRune(check, 0)))
	}
	return nil
}

// zkParseACL is AclParser.parse: "scheme:id:perms,…"; bad entries are
// reported on stderr and skipped.
func (sh *zkShell) zkParseACL(s string) []wire.ACL {
	var acl []wire.ACL
	for _, a := range strings.Split(s, ",") {
		first, last := strings.Index(a, ":"), strings.LastIndex(a, ":")
		if first == -1 || last == -1 || first == last {
			fmt.Fprintln(sh.env.Err, a+" does not have the form scheme:id:perm")
			continue
		}
		var perms int32
		for _, ch := range a[last+1:] {
			switch ch {
			case 'r':
				perms |= 1
			case 'w':
				perms |= 2
			case 'c':
				perms |= 4
			case 'd':
				perms |= 8
			case 'a':
				perms |= 16
			default:
				fmt.Fprintf(sh.env.Err, "Unknown perm type: %c\n", ch)
			}
		}
		acl = append(acl, wire.ACL{Perms: perms, Scheme: a[:first], ID: a[first+1 : last]})
	}
	return acl
}

func zkPermString(p int32) string {
	var b strings.Builder
	for _, x := range []struct {
		bit int32
		c   byte
	}{{4, 'c'}, {8, 'd'}, {1, 'r'}, {2, 'w'}, {16, 'a'}} {
		if p&x.bit != 0 {
			b.WriteByte(x.c)
		}
	}
	return b.String()
}

var zkOpenACL = []wire.ACL{{Perms: 31, Scheme: "world", ID: "anyone"}}

func zkVersion(opts map[string]string) (int32, error) {
	v, ok := opts["v"]
	if !ok {
		return -1, nil
	}
	var n int32
	if _, err := fmt.Sscanf(v, "%d", &n); err != nil || fmt.Sprint(n) != strings.TrimPrefix(v, "+") {
		return 0, zkMalformed("version " + v + " has wrong format")
	}
	return n, nil
}

func (sh *zkShell) run(cmd string, opts map[string]string, args []string) error {
	zk := sh.zk
	switch cmd {
	case "close":
		zk.close()
		sh.event(wire.WatcherEvent{Type: wire.EventNone, State: wire.StateClosed})
		return nil
	case "version":
		fmt.Fprintln(sh.out, zkShellVersion)
		return nil
	case "create":
		if len(args) < 2 {
			return sh.usageOf(cmd)
		}
		hasS, hasE, hasC, hasT := has(opts, "s"), has(opts, "e"), has(opts, "c"), has(opts, "t")
		if hasC && (hasE || hasS) {
			return zkMalformed("-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.")
		}
		var ttl int64 = -1
		if hasT {
			if _, err := fmt.Sscanf(opts["t"], "%d", &ttl); err != nil || fmt.Sprint(ttl) != opts["t"] {
				return zkMalformed("-t argument must be a long value")
			}
		}
		if hasT && hasE {
			return zkMalformed("TTLs cannot be used with Ephemeral znodes")
		}
		if hasT && hasC {
			return zkMalformed("TTLs cannot be used with Container znodes")
		}
		mode := int32(zkModePersistent)
		switch {
		case hasE && hasS:
			mode = zkModeEphemeralSeq
		case hasE:
			mode = zkModeEphemeral
		case hasS:
			mode = zkModeSequential
		case hasC:
			mode = zkModeContainer
		}
		if hasT {
			mode = zkModePersistentTTL
			if hasS {
				mode = zkModePersistentSeqTTL
			}
		}
		path := args[1]
		var data []byte
		if len(args) > 2 {
			data = []byte(args[2])
		}
		acl := zkOpenACL
		if len(args) > 3 {
			acl = sh.zkParseACL(args[3])
		}
		if err := zkValidatePath(path, hasS); err != nil {
			return err
		}
		if len(acl) == 0 {
			fmt.Fprintln(sh.env.Err, "KeeperErrorCode = InvalidACL")
			return zkWrap(&zkcError{code: wire.CodeInvalidACL})
		}
		created, err := zk.create(path, data, acl, mode, ttl)
		if err != nil {
			if ke, ok := err.(*zkcError); ok && ke.code == wire.CodeInvalidACL {
				fmt.Fprintln(sh.env.Err, ke.Error())
			}
			return zkWrap(err)
		}
		fmt.Fprintln(sh.env.Err, "Created "+created)
		return nil
	case "get":
		if len(args) < 2 {
			return sh.usageOf(cmd)
		}
		path := args[1]
		if err := zkValidatePath(path, false); err != nil {
			return err
		}
		data, st, err := zk.get(path, has(opts, "w"))
		if err != nil {
			return zkWrap(err)
		}
		if has(opts, "w") {
			sh.addWatchKind(path, "data")
		}
		if data == nil {
			fmt.Fprintln(sh.out, "null")
		} else {
			fmt.Fprintln(sh.out, string(data))
		}
		if has(opts, "s") {
			sh.printStat(st)
		}
		return nil
	case "set":
		if len(args) < 3 {
			return sh.usageOf(cmd)
		}
		version, err := zkVersion(opts)
		if err != nil {
			return err
		}
		if err := zkValidatePath(args[1], false); err != nil {
			return err
		}
		st, err := zk.set(args[1], []byte(args[2]), version)
		if err != nil {
			return zkWrap(err)
		}
		if has(opts, "s") {
			sh.printStat(st)
		}
		return nil
	case "ls":
		if len(args) < 2 {
			return sh.usageOf(cmd)
		}
		path := args[1]
		if err := zkValidatePath(path, false); err != nil {
			return err
		}
		watch := has(opts, "w")
		if has(opts, "R") {
			return sh.lsR(path, watch)
		}
		children, st, err := zk.children(path, watch)
		if err != nil {
			return zkWrap(err)
		}
		if watch {
			sh.addWatchKind(path, "child")
		}
		sort.Strings(children)
		fmt.Fprintln(sh.out, "["+strings.Join(children, ", ")+"]")
		if has(opts, "s") {
			sh.printStat(st)
		}
		return nil
	case "stat":
		if len(args) < 2 {
			return sh.usageOf(cmd)
		}
		if err := zkValidatePath(args[1], false); err != nil {
			return err
		}
		st, err := zk.exists(args[1], has(opts, "w"))
		if has(opts, "w") && err == nil || err != nil && isNoNode(err) && has(opts, "w") {
			sh.addWatchKind(args[1], "data")
		}
		if err != nil {
			if isNoNode(err) {
				return zkWrap(&zkcError{code: wire.CodeNoNode, path: args[1]})
			}
			return zkWrap(err)
		}
		sh.printStat(*st)
		return nil
	case "delete":
		if len(args) < 2 {
			return sh.usageOf(cmd)
		}
		version, err := zkVersion(opts)
		if err != nil {
			return err
		}
		if err := zkValidatePath(args[1], false); err != nil {
			return err
		}
		if err := zk.delete(args[1], version); err != nil {
			return zkWrap(err)
		}
		return nil
	case "deleteall":
		if len(args) < 2 {
			return sh.usageOf(cmd)
		}
		if err := zkValidatePath(args[1], false); err != nil {
			return err
		}
		if err := sh.deleteAll(args[1]); err != nil {
			return zkWrap(err)
		}
		return nil
	case "rmr":
		// ZooKeeper 3.5.9's DeleteAllCommand("rmr"): no options (3.5.9's
		// deleteall has no -b), the warning on stderr once the arguments
		// parse, then deleteall's recursive delete.
		if len(args) < 2 {
			return sh.usageOf(cmd)
		}
		fmt.Fprintln(sh.env.Err, "The command 'rmr' has been deprecated. Please use 'deleteall' instead.")
		if err := zkValidatePath(args[1], false); err != nil {
			return err
		}
		if err := sh.deleteAll(args[1]); err != nil {
			return zkWrap(err)
		}
		return nil
	case "ls2":
		// ZooKeeper 3.5.9's Ls2Command: the warning on stderr once the
		// arguments parse, then the children as the server lists them (a
		// Java List, unsorted) and the stat, like ls -s. Any third argument
		// sets a child watch.
		if len(args) < 2 {
			return sh.usageOf(cmd)
		}
		fmt.Fprintln(sh.env.Err, "'ls2' has been deprecated. Please use 'ls [-s] path' instead.")
		path := args[1]
		if err := zkValidatePath(path, false); err != nil {
			return err
		}
		watch := len(args) > 2
		children, st, err := zk.children(path, watch)
		if err != nil {
			return zkWrap(err)
		}
		if watch {
			sh.addWatchKind(path, "child")
		}
		fmt.Fprintln(sh.out, "["+strings.Join(children, ", ")+"]")
		sh.printStat(st)
		return nil
	case "whoami":
		// zkCli 3.7+'s WhoAmICommand: whoAmI (op 107), then one line per
		// ClientInfo.
		infos, err := zk.whoAmI()
		if err != nil {
			return zkWrap(err)
		}
		fmt.Fprintln(sh.out, "Auth scheme: User")
		for _, ci := range infos {
			fmt.Fprintln(sh.out, ci.AuthScheme+": "+ci.User)
		}
		return nil
	case "getAcl":
		if len(args) < 2 {
			return sh.usageOf(cmd)
		}
		if err := zkValidatePath(args[1], false); err != nil {
			return err
		}
		acl, st, err := zk.getACL(args[1])
		if err != nil {
			return zkWrap(err)
		}
		for _, a := range acl {
			fmt.Fprintf(sh.out, "'%s,'%s\n: %s\n", a.Scheme, a.ID, zkPermString(a.Perms))
		}
		if has(opts, "s") {
			sh.printStat(st)
		}
		return nil
	case "setAcl":
		if len(args) < 3 {
			return sh.usageOf(cmd)
		}
		version, err := zkVersion(opts)
		if err != nil {
			return err
		}
		path := args[1]
		if err := zkValidatePath(path, false); err != nil {
			return err
		}
		acl := sh.zkParseACL(args[2])
		if len(acl) == 0 {
			return zkWrap(&zkcError{code: wire.CodeInvalidACL})
		}
		if has(opts, "R") {
			return sh.setACLRecursive(path, acl, version)
		}
		st, err := zk.setACL(path, acl, version)
		if err != nil {
			return zkWrap(err)
		}
		if has(opts, "s") {
			sh.printStat(st)
		}
		return nil
	case "addauth":
		if len(args) < 2 {
			return sh.usageOf(cmd)
		}
		var auth []byte
		if len(args) >= 3 {
			auth = []byte(args[2])
		}
		zk.addAuth(args[1], auth)
		return nil
	case "sync":
		if len(args) < 2 {
			return sh.usageOf(cmd)
		}
		if err := zkValidatePath(args[1], false); err != nil {
			return err
		}
		if err := zk.sync(args[1]); err != nil {
			ke, _ := err.(*zkcError)
			if ke != nil {
				fmt.Fprintln(sh.out, "Sync returned "+ke.code.String())
				return nil
			}
			return zkWrap(err)
		}
		fmt.Fprintln(sh.out, "Sync is OK")
		return nil
	case "getEphemerals":
		prefix := "/"
		if len(args) >= 2 {
			prefix = args[1]
		}
		eph, err := zk.ephemerals(prefix)
		if err != nil {
			return zkWrap(err)
		}
		fmt.Fprintln(sh.out, "["+strings.Join(eph, ", ")+"]")
		return nil
	case "getAllChildrenNumber":
		if len(args) < 2 {
			return sh.usageOf(cmd)
		}
		if err := zkValidatePath(args[1], false); err != nil {
			return err
		}
		n, err := zk.allChildrenNumber(args[1])
		if err != nil {
			return zkWrap(err)
		}
		fmt.Fprintln(sh.out, n)
		return nil
	case "addWatch":
		if len(args) != 2 {
			return sh.usageOf(cmd)
		}
		// zkCli keeps one AddWatchCommand whose mode field outlives the
		// command: -m sticks for the rest of the session.
		if m, ok := opts["m"]; ok {
			switch strings.ToUpper(m) {
			case "PERSISTENT":
				sh.addWatchPersistent = true
			case "PERSISTENT_RECURSIVE":
				sh.addWatchPersistent = false
			default:
				return sh.usageOf(cmd)
			}
		}
		mode, kind := wire.AddWatchModePersistentRecursive, "recursive"
		if sh.addWatchPersistent {
			mode, kind = wire.AddWatchModePersistent, "persistent"
		}
		if err := zkValidatePath(args[1], false); err != nil {
			return err
		}
		if err := zk.addWatch(args[1], mode); err != nil {
			return zkWrap(err)
		}
		sh.addWatchKind(args[1], kind)
		return nil
	case "removewatches":
		if len(args) != 2 {
			return sh.usageOf(cmd)
		}
		return sh.removeWatches(args[1], opts)
	case "config":
		data, st, err := zk.get("/zookeeper/config", has(opts, "w"))
		if err != nil {
			return zkWrap(err)
		}
		if has(opts, "w") {
			sh.addWatchKind("/zookeeper/config", "data")
		}
		s := string(data)
		if has(opts, "c") {
			s = zkClientConfigStr(s)
		}
		fmt.Fprintln(sh.out, s)
		if has(opts, "s") {
			sh.printStat(st)
		}
		return nil
	case "setquota":
		return sh.setQuota(opts, args)
	case "listquota":
		return sh.listQuota(args)
	case "delquota":
		return sh.delQuota(opts, args)
	case "reconfig":
		return zkWrap(&zkcError{code: wire.CodeUnimplemented})
	}
	return nil
}

func isNoNode(err error) bool {
	ke, ok := err.(*zkcError)
	return ok && ke.code == wire.CodeNoNode
}

// zkClientConfigStr is ConfigUtils.getClientConfigStr: the client ports of
// the server lines and the version.
func zkClientConfigStr(cfg string) string {
	var version string
	var servers []string
	for _, line := range strings.Split(cfg, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if !ok {
			continue
		}
		if k == "version" {
			version = v
		} else if strings.HasPrefix(k, "server.") {
			if i := strings.LastIndex(v, ";"); i >= 0 {
				addr := v[i+1:]
				if !strings.Contains(addr, ":") {
					host := v
					if j := strings.Index(host, ":"); j >= 0 {
						host = host[:j]
					}
					addr = host + ":" + addr
				}
				servers = append(servers, addr)
			}
		}
	}
	return version + " " + strings.Join(servers, ",")
}

// lsR is ls -R: every path of the subtree, depth first.
func (sh *zkShell) lsR(path string, watch bool) error {
	if _, err := sh.zk.exists(path, false); err != nil {
		return zkWrap(err)
	}
	var walk func(p string) error
	walk = func(p string) error {
		fmt.Fprintln(sh.out, p)
		children, _, err := sh.zk.children(p, watch)
		if err != nil {
			if isNoNode(err) {
				return nil
			}
			return err
		}
		sort.Strings(children)
		for _, c := range children {
			if err := walk(zkJoin(p, c)); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(path); err != nil {
		return zkWrap(err)
	}
	return nil
}

func zkJoin(parent, child string) string {
	if parent == "/" {
		return "/" + child
	}
	return parent + "/" + child
}

func (sh *zkShell) subtree(path string) ([]string, error) {
	all := []string{path}
	for i := 0; i < len(all); i++ {
		children, _, err := sh.zk.children(all[i], false)
		if err != nil {
			if i > 0 && isNoNode(err) {
				continue
			}
			return nil, err
		}
		sort.Strings(children)
		for _, c := range children {
			all = append(all, zkJoin(all[i], c))
		}
	}
	return all, nil
}

func (sh *zkShell) deleteAll(path string) error {
	all, err := sh.subtree(path)
	if err != nil {
		return err
	}
	for i := len(all) - 1; i >= 0; i-- {
		if all[i] == "/" {
			continue
		}
		if err := sh.zk.delete(all[i], -1); err != nil && !isNoNode(err) {
			return err
		}
	}
	return nil
}

// setACLRecursive is setAcl -R: a failure on a node is printed (without a
// newline, as zkCli 3.6) and the walk goes on.
func (sh *zkShell) setACLRecursive(path string, acl []wire.ACL, version int32) error {
	all, err := sh.subtree(path)
	if err != nil {
		return zkWrap(err)
	}
	for _, p := range all {
		if _, err := sh.zk.setACL(p, acl, version); err != nil {
			fmt.Fprint(sh.out, err.Error())
		}
	}
	return nil
}

func (sh *zkShell) removeWatches(path string, opts map[string]string) error {
	typ := wire.WatcherTypeAny
	switch {
	case has(opts, "c"):
		typ = wire.WatcherTypeChildren
	case has(opts, "d"):
		typ = wire.WatcherTypeData
	}
	sh.wmu.Lock()
	kinds := sh.watches[path]
	var removed []wire.EventType
	match := func(kind string) bool {
		switch typ {
		case wire.WatcherTypeChildren:
			return kind == "child"
		case wire.WatcherTypeData:
			return kind == "data"
		}
		return true
	}
	order := []struct {
		kind string
		ev   wire.EventType
	}{{"child", wire.EventChildWatchRemoved}, {"data", wire.EventDataWatchRemoved}, {"persistent", wire.EventPersistentWatchRemoved}, {"recursive", wire.EventPersistentWatchRemoved}}
	for _, o := range order {
		if kinds[o.kind] && match(o.kind) {
			removed = append(removed, o.ev)
		}
	}
	sh.wmu.Unlock()
	if len(removed) == 0 {
		return zkWrap(&zkcError{code: wire.CodeNoWatcher, path: path})
	}
	if !has(opts, "l") {
		if err := sh.zk.removeWatches(path, typ); err != nil {
			return zkWrap(err)
		}
	}
	sh.wmu.Lock()
	for _, o := range order {
		if match(o.kind) {
			delete(kinds, o.kind)
		}
	}
	sh.wmu.Unlock()
	seen := map[wire.EventType]bool{}
	for _, ev := range removed {
		if !seen[ev] {
			seen[ev] = true
			sh.event(wire.WatcherEvent{Type: ev, State: wire.StateSyncConnected, Path: path})
		}
	}
	return nil
}
