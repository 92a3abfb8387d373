package zk

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// -update rewrites the expected output of testdata/*.txt from ours.
var scriptUpdate = func() func() bool {
	if f := flag.Lookup("update"); f != nil {
		return func() bool { return f.Value.String() == "true" }
	}
	b := flag.Bool("update", false, "rewrite testdata/*.txt expectations from the current output")
	return func() bool { return *b }
}()

// A script is a sequence of cases:
//
//	# comments and blank lines between cases are kept
//	command args...
//	  continuation lines (multi, multiread)
//	----
//	expected output, up to a blank line
//
// Commands are documented on (*scriptRunner).run.
type scriptCase struct {
	pre      []string // comments and blank lines before the case
	cmd      []string
	line     int // line of cmd[0]
	expected []string
}

func parseScript(text string) ([]scriptCase, []string, error) {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	var cases []scriptCase
	var pre []string
	for i := 0; i < len(lines); {
		l := lines[i]
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			pre = append(pre, l)
			i++
			continue
		}
		c := scriptCase{pre: pre, line: i + 1}
		pre = nil
		for ; i < len(lines) && lines[i] != "----"; i++ {
			if strings.TrimSpace(lines[i]) == "" {
				return nil, nil, fmt.Errorf("line %d: blank line before ----", i+1)
			}
			c.cmd = append(c.cmd, lines[i])
		}
		if i == len(lines) {
			return nil, nil, fmt.Errorf("line %d: command without ----", c.line)
		}
		i++ // ----
		for ; i < len(lines) && lines[i] != ""; i++ {
			c.expected = append(c.expected, lines[i])
		}
		cases = append(cases, c)
	}
	return cases, pre, nil
}

func formatScript(cases []scriptCase, tail []string) string {
	var b strings.Builder
	for _, c := range cases {
		for _, l := range c.pre {
			b.WriteString(l + "\n")
		}
		for _, l := range c.cmd {
			b.WriteString(l + "\n")
		}
		b.WriteString("----\n")
		for _, l := range c.expected {
			b.WriteString(l + "\n")
		}
	}
	for _, l := range tail {
		b.WriteString(l + "\n")
	}
	return b.String()
}

func TestScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	files = slices.DeleteFunc(files, func(f string) bool { return filepath.Base(f) == "javaorder.txt" })
	if len(files) == 0 {
		t.Fatal("no scripts")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			cases, tail, err := parseScript(string(raw))
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			r := newScriptRunner(Options{})
			changed := false
			for i := range cases {
				c := &cases[i]
				got := r.run(c.cmd)
				if scriptUpdate() {
					if !slices.Equal(got, c.expected) {
						changed = true
					}
					c.expected = got
					continue
				}
				if !slices.Equal(got, c.expected) {
					t.Errorf("%s:%d: %s\n--- got\n%s\n--- want\n%s", file, c.line, c.cmd[0],
						strings.Join(got, "\n"), strings.Join(c.expected, "\n"))
				}
			}
			if scriptUpdate() && changed {
				if err := os.WriteFile(file, []byte(formatScript(cases, tail)), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// scriptRunner drives a Tree the way the server will: a zxid counter, a
// clock, each session's credentials, and a queue of prepped txns.
type scriptRunner struct {
	tree   *Tree
	zxid   int64
	now    int64
	auth   map[int64][]Id
	queued []Txn
}

func newScriptRunner(opts Options) *scriptRunner {
	return &scriptRunner{tree: NewTree(opts), now: 1000, auth: map[int64][]Id{}}
}

// args splits a command line into positional words and key=value options.
type args struct {
	pos  []string
	opts map[string]string
}

func parseArgs(line string) args {
	a := args{opts: map[string]string{}}
	for _, w := range strings.Fields(line) {
		if k, v, ok := strings.Cut(w, "="); ok && !strings.HasPrefix(w, "/") && !strings.HasPrefix(w, `"`) && k != "" {
			a.opts[k] = v
			continue
		}
		if u, err := strconv.Unquote(w); err == nil {
			w = u
		}
		a.pos = append(a.pos, w)
	}
	return a
}

func (a args) int(key string, def int64) int64 {
	v, ok := a.opts[key]
	if !ok {
		return def
	}
	n, err := strconv.ParseInt(v, 0, 64)
	if err != nil {
		panic(fmt.Sprintf("bad %s=%q", key, v))
	}
	return n
}

func (a args) has(word string) bool { return slices.Contains(a.pos, word) }

func (a args) arg(i int) string {
	if i < len(a.pos) {
		return a.pos[i]
	}
	return ""
}

// data reads a positional data argument: absent is null, "" (two quotes)
// is empty. Words are Go-unquoted when quoted (no spaces inside).
func (a args) data(i int) []byte {
	if i >= len(a.pos) {
		return nil
	}
	return []byte(a.pos[i])
}

func parseACL(s string) []ACL {
	if s == "" {
		return nil
	}
	var out []ACL
	for _, e := range strings.Split(s, ",") {
		i := strings.IndexByte(e, ':')
		j := strings.LastIndexByte(e, ':')
		perms, err := ParsePerms(e[j+1:])
		if err != nil {
			panic(err)
		}
		out = append(out, ACL{perms, Id{e[:i], e[i+1 : j]}})
	}
	return out
}

func formatACL(acl []ACL) string {
	var parts []string
	for _, a := range acl {
		parts = append(parts, a.Id.Scheme+":"+a.Id.ID+":"+PermString(a.Perms))
	}
	return strings.Join(parts, ",")
}

// modeName reads a script's mode=...: a short name or a flag number.
func modeName(s string) (CreateMode, bool) {
	switch s {
	case "p":
		return ModePersistent, true
	case "e":
		return ModeEphemeral, true
	case "ps":
		return ModePersistentSequential, true
	case "es":
		return ModeEphemeralSequential, true
	case "c":
		return ModeContainer, true
	case "t":
		return ModePersistentWithTTL, true
	case "ts":
		return ModePersistentSequentialWithTTL, true
	}
	return 0, false
}

// request builds a write from a command line.
func (r *scriptRunner) request(line string) (Request, int64) {
	a := parseArgs(line)
	sess := a.int("s", 1)
	switch a.arg(0) {
	case "create", "create2":
		req := CreateReq{Path: a.arg(1), Data: a.data(2), ACL: OpenACLUnsafe(), TTL: a.int("ttl", 0)}
		if m, ok := a.opts["mode"]; ok {
			if cm, ok := modeName(m); ok {
				req.Mode = cm
			} else {
				req.Mode = CreateMode(a.int("mode", 0))
			}
		}
		if v, ok := a.opts["acl"]; ok {
			req.ACL = parseACL(v)
		}
		req.Op = OpCode(a.int("op", 0))
		if a.arg(0) == "create2" {
			req.Op = OpCreate2
		}
		return req, sess
	case "delete":
		return DeleteReq{Path: a.arg(1), Version: int32(a.int("v", -1))}, sess
	case "set":
		return SetDataReq{Path: a.arg(1), Data: a.data(2), Version: int32(a.int("v", -1))}, sess
	case "setacl":
		return SetACLReq{Path: a.arg(1), ACL: parseACL(a.opts["acl"]), Version: int32(a.int("v", -1))}, sess
	case "check":
		return CheckReq{Path: a.arg(1), Version: int32(a.int("v", -1))}, sess
	case "session":
		id, _ := strconv.ParseInt(a.arg(1), 0, 64)
		return CreateSessionReq{Timeout: int32(a.int("timeout", 30000))}, id
	case "close":
		id, _ := strconv.ParseInt(a.arg(1), 0, 64)
		return CloseSessionReq{}, id
	case "deletecontainer":
		return DeleteContainerReq{Path: a.arg(1)}, 0
	}
	return nil, 0
}

func (r *scriptRunner) caller(s int64) Caller { return Caller{Session: s, Auth: r.auth[s]} }

func (r *scriptRunner) prep(cmd []string) (Txn, error) {
	req, sess := r.request(cmd[0])
	if parseArgs(cmd[0]).arg(0) == "multi" {
		sess = parseArgs(cmd[0]).int("s", 1)
		var m MultiReq
		for _, l := range cmd[1:] {
			sub, _ := r.request(strings.TrimSpace(l))
			if sub == nil {
				panic("bad multi op " + l)
			}
			m.Ops = append(m.Ops, sub)
		}
		req = m
	}
	r.zxid++
	return r.tree.Prep(req, PrepContext{SessionID: sess, Zxid: r.zxid, Time: r.now, Auth: r.auth[sess]})
}

func errName(err error) string { return CodeName(Code(err)) }

func fmtStat(s Stat) string {
	return fmt.Sprintf("czxid=%d mzxid=%d pzxid=%d ctime=%d mtime=%d version=%d cversion=%d aversion=%d owner=0x%x len=%d children=%d",
		s.Czxid, s.Mzxid, s.Pzxid, s.Ctime, s.Mtime, s.Version, s.Cversion, s.Aversion, uint64(s.EphemeralOwner), s.DataLength, s.NumChildren)
}

func fmtData(d []byte) string {
	if d == nil {
		return "null"
	}
	return strconv.Quote(string(d))
}

func fmtOp(o OpCode) string {
	switch o {
	case OpCreate:
		return "create"
	case OpCreate2:
		return "create2"
	case OpCreateContainer:
		return "createContainer"
	case OpCreateTTL:
		return "createTTL"
	case OpDelete:
		return "delete"
	case OpDeleteContainer:
		return "deleteContainer"
	case OpSetData:
		return "setData"
	case OpSetACL:
		return "setACL"
	case OpCheck:
		return "check"
	case OpMulti:
		return "multi"
	case OpCreateSession:
		return "createSession"
	case OpCloseSession:
		return "closeSession"
	case OpError:
		return "error"
	case OpGetData:
		return "getData"
	case OpGetChildren:
		return "getChildren"
	}
	return fmt.Sprintf("op%d", o)
}

func fmtTxn(t Txn) string {
	s := fmt.Sprintf("txn zxid=%d %s", t.Zxid, fmtOp(t.Type))
	switch t.Type {
	case OpError:
		s += " " + errName(t.Err)
	case OpCloseSession:
		s += " [" + strings.Join(t.Paths, " ") + "]"
	case OpMulti:
		var parts []string
		for _, o := range t.Ops {
			p := fmtOp(o.Type)
			if o.Type == OpError {
				p += ":" + errName(o.Err)
			} else if o.Path != "" {
				p += ":" + o.Path
			}
			parts = append(parts, p)
		}
		s += " [" + strings.Join(parts, " ") + "]"
	case OpCreateSession:
		s += fmt.Sprintf(" timeout=%d", t.Timeout)
	default:
		s += " " + t.Path
	}
	return s
}

func fmtOpResult(o OpResult) string {
	if o.Type == OpError {
		return "error " + errName(o.Err)
	}
	s := fmtOp(o.Type) + " ok"
	switch o.Type {
	case OpCreate:
		s += " " + o.Path
	case OpCreate2, OpCreateTTL, OpCreateContainer:
		s += " " + o.Path + " " + fmtStat(o.Stat)
	case OpSetData, OpSetACL:
		s += " " + fmtStat(o.Stat)
	}
	return s
}

func (r *scriptRunner) apply(txn Txn) []string {
	res := r.tree.Apply(txn)
	var out []string
	if txn.Type == OpMulti {
		head := fmt.Sprintf("zxid=%d multi", res.Zxid)
		if res.Err != nil {
			head += " " + errName(res.Err)
		} else {
			head += " ok"
		}
		out = append(out, head)
		for i, o := range res.Ops {
			out = append(out, fmt.Sprintf("  %d: %s", i, fmtOpResult(o)))
		}
	} else {
		line := fmt.Sprintf("zxid=%d ", res.Zxid)
		if res.Err != nil {
			line += "err " + errName(res.Err)
		} else {
			line += fmtOpResult(res.OpResult)
		}
		if txn.Type == OpCloseSession {
			line += " [" + strings.Join(txn.Paths, " ") + "]"
		}
		out = append(out, line)
	}
	return append(out, fmtEvents(res.Events)...)
}

func fmtEvents(ds []Delivery) []string {
	var out []string
	for _, d := range ds {
		out = append(out, fmt.Sprintf("event s=%d %s %s", d.Session, d.Event.Type, d.Event.Path))
	}
	return out
}

// run executes one case:
//
//	new [extended] [skipacl] [maxneverused=N]  fresh tree
//	time MS                      set the clock
//	session ID [timeout=MS]      createSession
//	close ID                     closeSession
//	auth ID digest USER:PASS [super=DIGEST] | auth ID ip ADDR | auth ID super
//	create PATH [DATA] [mode=p|e|ps|es|c|t|ts|N] [acl=S:ID:PERMS,...] [ttl=N] [op=N] [s=ID]
//	create2 ...                  the same as op 15
//	delete PATH [v=N] [s=ID]
//	set PATH DATA [v=N] [s=ID]
//	setacl PATH acl=... [v=N] [s=ID]
//	check PATH [v=N] [s=ID]
//	deletecontainer PATH
//	multi [s=ID]                 followed by indented write lines
//	prep WRITE...                prep only, queue the txn (multi: lines follow)
//	apply [N]                    apply the queued txns (the first N) in order
//	get|stat|ls PATH [w] [s=ID]  getData, exists, getChildren2 (w: watch)
//	getacl PATH [s=ID]
//	count PATH [s=ID]            getAllChildrenNumber
//	ephemerals [PREFIX] [s=ID]
//	multiread [s=ID]             followed by indented "get PATH" / "ls PATH"
//	addwatch PATH [mode=0|1] [s=ID]
//	rmwatches|checkwatches PATH type=N [s=ID]
//	setwatches rel=N [data=P,P] [exist=..] [child=..] [persistent=..] [recursive=..] [s=ID]
//	unwatch ID                   drop a session's watches (connection closed)
//	reap [now=MS]                ExpiredContainersAndTTLs
//	tree                         every node with its stat
func (r *scriptRunner) run(cmd []string) (out []string) {
	defer func() {
		if p := recover(); p != nil {
			out = []string{fmt.Sprintf("panic: %v", p)}
		}
	}()
	a := parseArgs(cmd[0])
	sess := a.int("s", 1)
	c := r.caller(sess)
	switch a.arg(0) {
	case "new":
		*r = *newScriptRunner(Options{ExtendedTypes: a.has("extended"), SkipACL: a.has("skipacl"),
			ContainerMaxNeverUsed: a.int("maxneverused", 0)})
		return []string{"ok"}
	case "time":
		r.now, _ = strconv.ParseInt(a.arg(1), 0, 64)
		return []string{"ok"}
	case "auth":
		id, _ := strconv.ParseInt(a.arg(1), 0, 64)
		var ids []Id
		var err error
		switch a.arg(2) {
		case "super":
			ids = []Id{{SchemeSuper, ""}}
		default:
			ids, err = Authenticate(a.arg(2), []byte(a.arg(3)), a.arg(3), a.opts["super"])
		}
		if err != nil {
			return []string{"err " + errName(err)}
		}
		r.auth[id] = append(r.auth[id], ids...)
		r.tree.Watches().SetAuth(r.caller(id))
		var parts []string
		for _, i := range ids {
			parts = append(parts, i.Scheme+":"+i.ID)
		}
		return []string{"ok " + strings.Join(parts, " ")}
	case "create", "create2", "delete", "set", "setacl", "check", "session", "close", "deletecontainer", "multi":
		txn, _ := r.prep(cmd)
		return r.apply(txn)
	case "prep":
		sub := append([]string{strings.TrimPrefix(cmd[0], "prep ")}, cmd[1:]...)
		txn, err := r.prep(sub)
		r.queued = append(r.queued, txn)
		line := fmtTxn(txn)
		if err != nil && txn.Type == OpMulti {
			line += " (" + errName(err) + ")"
		}
		return []string{line}
	case "apply":
		n := len(r.queued)
		if a.arg(1) != "" {
			n, _ = strconv.Atoi(a.arg(1))
		}
		for _, txn := range r.queued[:n] {
			out = append(out, r.apply(txn)...)
		}
		r.queued = r.queued[n:]
		return out
	case "get":
		d, st, err := r.tree.GetData(c, a.arg(1), a.has("w"))
		if err != nil {
			return []string{"err " + errName(err)}
		}
		return []string{"data " + fmtData(d), fmtStat(st)}
	case "stat":
		st, err := r.tree.Exists(c, a.arg(1), a.has("w"))
		if err != nil {
			return []string{"err " + errName(err)}
		}
		return []string{fmtStat(st)}
	case "ls":
		kids, st, err := r.tree.GetChildren(c, a.arg(1), a.has("w"))
		if err != nil {
			return []string{"err " + errName(err)}
		}
		return []string{"[" + strings.Join(kids, " ") + "]", fmtStat(st)}
	case "getacl":
		acl, st, err := r.tree.GetACL(c, a.arg(1))
		if err != nil {
			return []string{"err " + errName(err)}
		}
		return []string{formatACL(acl), fmtStat(st)}
	case "count":
		n, err := r.tree.GetAllChildrenNumber(c, a.arg(1))
		if err != nil {
			return []string{"err " + errName(err)}
		}
		return []string{strconv.Itoa(int(n))}
	case "ephemerals":
		return []string{"[" + strings.Join(r.tree.GetEphemerals(sess, a.arg(1)), " ") + "]"}
	case "multiread":
		var ops []ReadOp
		for _, l := range cmd[1:] {
			la := parseArgs(l)
			typ := OpGetData
			if la.arg(0) == "ls" {
				typ = OpGetChildren
			}
			ops = append(ops, ReadOp{Type: typ, Path: la.arg(1)})
		}
		res, err := r.tree.MultiRead(c, ops)
		if err != nil {
			return []string{"err " + errName(err)}
		}
		for i, rr := range res {
			switch {
			case rr.Err != nil:
				out = append(out, fmt.Sprintf("%d: error %s", i, errName(rr.Err)))
			case rr.Type == OpGetData:
				out = append(out, fmt.Sprintf("%d: data %s %s", i, fmtData(rr.Data), fmtStat(rr.Stat)))
			default:
				out = append(out, fmt.Sprintf("%d: [%s]", i, strings.Join(rr.Children, " ")))
			}
		}
		return out
	case "addwatch":
		if err := r.tree.Watches().AddWatch(c, a.arg(1), AddWatchMode(a.int("mode", 0))); err != nil {
			return []string{"err " + errName(err)}
		}
		return []string{"ok"}
	case "rmwatches", "checkwatches":
		f := r.tree.Watches().RemoveWatches
		if a.arg(0) == "checkwatches" {
			f = r.tree.Watches().CheckWatches
		}
		if err := f(sess, a.arg(1), WatcherType(a.int("type", 3))); err != nil {
			return []string{"err " + errName(err)}
		}
		return []string{"ok"}
	case "setwatches":
		list := func(k string) []string {
			if v := a.opts[k]; v != "" {
				return strings.Split(v, ",")
			}
			return nil
		}
		ev := r.tree.SetWatches(c, SetWatchesReq{RelativeZxid: a.int("rel", 0), Data: list("data"), Exist: list("exist"),
			Child: list("child"), Persistent: list("persistent"), PersistentRecursive: list("recursive")})
		return append([]string{"ok"}, fmtEvents(ev)...)
	case "unwatch":
		id, _ := strconv.ParseInt(a.arg(1), 0, 64)
		r.tree.Watches().RemoveSession(id)
		return []string{"ok"}
	case "reap":
		return []string{"[" + strings.Join(r.tree.ExpiredContainersAndTTLs(a.int("now", r.now)), " ") + "]"}
	case "tree":
		_ = r.tree.Walk(func(ni NodeInfo) error {
			n := r.tree.lookup(ni.Path)
			out = append(out, fmt.Sprintf("%s %s %s", ni.Path, fmtData(ni.Data), fmtStat(r.tree.statOf(n))))
			return nil
		})
		return out
	}
	return []string{"unknown command " + a.arg(0)}
}
