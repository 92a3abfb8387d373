package zk

import (
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kafkago/kafka/config"
)

// Four-letter words: a fresh connection whose first four bytes spell one
// gets a plain-text answer and is closed (NIOServerCnxn.checkFourLetterWord).
// Commands outside 4lw.commands.whitelist (srvr only by default, as in 3.8)
// answer "<cmd> is not executed because it is not in the whitelist.".
// Outputs follow ZooKeeper 3.8's commands (StatCommand, ConsCommand,
// DumpCommand, ...) line for line; the values are ours.

// fourLetterWord answers cmd on c and returns; the reader then closes c.
// in is the connection's buffered reader (stmk reads its argument from it).
func (s *Server) fourLetterWord(c *conn, cmd string, in io.Reader) {
	s.logf(slog.LevelInfo, classNIOCnxn, "Processing %s command from %s", cmd, c.remote)
	var out string
	switch {
	case !s.cfg.FourLetterWordAllowed(cmd):
		out = cmd + " is not executed because it is not in the whitelist.\n"
	case cmd == "ruok":
		out = "imok"
	default:
		var arg int64
		if cmd == "stmk" {
			var b [8]byte
			_ = c.nc.SetReadDeadline(time.Now().Add(5 * time.Second))
			if _, err := io.ReadFull(in, b[:]); err != nil {
				return
			}
			arg = int64(binary.BigEndian.Uint64(b[:]))
		}
		done := make(chan string, 1)
		if !s.post(item{kind: itemFunc, fn: func() { done <- s.fourLetterText(cmd, c, arg) }}) {
			return
		}
		select {
		case out = <-done:
		case <-s.quit:
			return
		}
	}
	_ = c.nc.SetWriteDeadline(time.Now().Add(10 * time.Second))
	_, _ = io.WriteString(c.nc, out)
}

// fourLetterText computes a command's answer; it runs on the owner.
func (s *Server) fourLetterText(cmd string, self *conn, arg int64) string {
	var b strings.Builder
	switch cmd {
	case "srvr":
		s.writeStat(&b, false)
	case "stat":
		s.writeStat(&b, true)
	case "cons":
		for _, c := range s.connList() {
			s.writeConn(&b, c, false)
			b.WriteString("\n")
		}
		b.WriteString("\n")
	case "crst":
		for _, c := range s.connList() {
			c.recved.Store(0)
			c.sent.Store(0)
			c.stats.reset()
		}
		b.WriteString("Connection stats reset.\n")
	case "srst":
		s.stats.reset()
		b.WriteString("Server stats reset.\n")
	case "conf":
		s.writeConf(&b)
	case "envi":
		s.writeEnv(&b)
	case "dump":
		s.writeDump(&b)
	case "mntr":
		s.writeMonitor(&b)
	case "wchs":
		w := s.tree.watches.data
		total := 0
		for _, ps := range w.byWatcher {
			total += len(ps)
		}
		fmt.Fprintf(&b, "%d connections watching %d paths\nTotal watches:%d\n", len(w.byWatcher), len(w.byPath), total)
	case "wchc":
		w := s.tree.watches.data
		ids := make([]int64, 0, len(w.byWatcher))
		for id := range w.byWatcher {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			fmt.Fprintf(&b, "0x%x\n", id)
			paths := make([]string, 0, len(w.byWatcher[id]))
			for p := range w.byWatcher[id] {
				paths = append(paths, p)
			}
			slices.Sort(paths)
			for _, p := range paths {
				b.WriteString("\t" + p + "\n")
			}
		}
		b.WriteString("\n")
	case "wchp":
		w := s.tree.watches.data
		paths := make([]string, 0, len(w.byPath))
		for p := range w.byPath {
			paths = append(paths, p)
		}
		slices.Sort(paths)
		for _, p := range paths {
			b.WriteString(p + "\n")
			ids := make([]int64, 0, len(w.byPath[p]))
			for id := range w.byPath[p] {
				ids = append(ids, id)
			}
			slices.Sort(ids)
			for _, id := range ids {
				fmt.Fprintf(&b, "\t0x%x\n", id)
			}
		}
		b.WriteString("\n")
	case "isro":
		b.WriteString("rw")
	case "dirs":
		fmt.Fprintf(&b, "datadir_size: %d\nlogdir_size: %d\n", dirSize(versionDir(s.cfg.DataDir), "snapshot."), dirSize(versionDir(s.cfg.DataLogDir), "log."))
	case "gtmk":
		b.WriteString(strconv.FormatInt(s.traceMask, 10))
	case "stmk":
		s.traceMask = arg
		b.WriteString(strconv.FormatInt(s.traceMask, 10))
	case "hash":
		b.WriteString("digest feature is not enabled\n")
	}
	return b.String()
}

// connList returns the connections, oldest first.
func (s *Server) connList() []*conn {
	s.connMu.Lock()
	out := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		out = append(out, c)
	}
	s.connMu.Unlock()
	slices.SortFunc(out, func(a, b *conn) int {
		switch {
		case a.id < b.id:
			return -1
		case a.id > b.id:
			return 1
		}
		return 0
	})
	return out
}

// writeStat is StatCommand (srvr without the client list).
func (s *Server) writeStat(b *strings.Builder, clients bool) {
	fmt.Fprintf(b, "Zookeeper version: %s\n", s.opts.version)
	if clients {
		b.WriteString("Clients:\n")
		for _, c := range s.connList() {
			s.writeConn(b, c, true)
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
	st := &s.stats
	fmt.Fprintf(b, "Latency min/avg/max: %d/%s/%d\n", max(st.minLat, 0), config.JavaDouble(s.avgLatency()), st.maxLat)
	fmt.Fprintf(b, "Received: %d\n", st.received.Load())
	fmt.Fprintf(b, "Sent: %d\n", st.sent.Load())
	fmt.Fprintf(b, "Connections: %d\n", len(s.connList()))
	fmt.Fprintf(b, "Outstanding: %d\n", s.outstanding())
	fmt.Fprintf(b, "Zxid: 0x%x\n", s.tree.LastZxid())
	b.WriteString("Mode: standalone\n")
	fmt.Fprintf(b, "Node count: %d\n", s.tree.NodeCount())
}

func (s *Server) avgLatency() float64 {
	if s.stats.countLat == 0 {
		return 0
	}
	return float64(s.stats.totalLat) / float64(s.stats.countLat)
}

// outstanding is the number of requests read and not yet answered.
func (s *Server) outstanding() int64 {
	var n int64
	for _, c := range s.connList() {
		n += max(c.outstanding.Load(), 0)
	}
	return n
}

// writeConn is ServerCnxn.dumpConnectionInfo.
func (s *Server) writeConn(b *strings.Builder, c *conn, brief bool) {
	ops := "1"
	if c.fourLetter.Load() {
		ops = "0"
	}
	fmt.Fprintf(b, " %s[%s](queued=%d,recved=%d,sent=%d", c.remote, ops, max(c.outstanding.Load(), 0), c.recved.Load(), c.sent.Load())
	if !brief && c.sid != 0 {
		st := &c.stats
		fmt.Fprintf(b, ",sid=0x%x,lop=%s", c.sid, st.lastOp)
		if !c.established.IsZero() {
			fmt.Fprintf(b, ",est=%d", c.established.UnixMilli())
		}
		fmt.Fprintf(b, ",to=%d", c.timeout)
		if st.lastCxid >= 0 {
			fmt.Fprintf(b, ",lcxid=0x%x", st.lastCxid)
		}
		avg := int64(0)
		if st.count > 0 {
			avg = st.totalLat / st.count
		}
		fmt.Fprintf(b, ",lzxid=0x%x,lresp=%d,llat=%d,minlat=%d,avglat=%d,maxlat=%d",
			uint64(st.lastZxid), st.lastResp, st.lastLat, max(st.minLat, 0), avg, st.maxLat)
	}
	b.WriteString(")")
}

// writeConf is ZooKeeperServer.dumpConf.
func (s *Server) writeConf(b *strings.Builder) {
	port := -1
	if a := s.Addr(); a != nil {
		if _, p, err := splitPort(a.String()); err == nil {
			port = p
		}
	}
	secure := -1
	if s.cfg.SecureClientPort > 0 {
		secure = s.cfg.SecureClientPort
	}
	fmt.Fprintf(b, "clientPort=%d\n", port)
	fmt.Fprintf(b, "secureClientPort=%d\n", secure)
	fmt.Fprintf(b, "dataDir=%s\n", absDir(versionDir(s.cfg.DataDir)))
	fmt.Fprintf(b, "dataDirSize=%d\n", dirSize(versionDir(s.cfg.DataDir), "snapshot."))
	fmt.Fprintf(b, "dataLogDir=%s\n", absDir(versionDir(s.cfg.DataLogDir)))
	fmt.Fprintf(b, "dataLogSize=%d\n", dirSize(versionDir(s.cfg.DataLogDir), "log."))
	fmt.Fprintf(b, "tickTime=%d\n", s.cfg.TickTime)
	fmt.Fprintf(b, "maxClientCnxns=%d\n", s.cfg.MaxClientCnxns)
	fmt.Fprintf(b, "minSessionTimeout=%d\n", s.cfg.MinSessionTimeout)
	fmt.Fprintf(b, "maxSessionTimeout=%d\n", s.cfg.MaxSessionTimeout)
	fmt.Fprintf(b, "clientPortListenBacklog=%d\n", s.cfg.ClientPortListenBacklog)
	fmt.Fprintf(b, "serverId=%d\n", s.opts.serverID)
}

func splitPort(addr string) (string, int, error) {
	i := strings.LastIndexByte(addr, ':')
	if i < 0 {
		return "", 0, fmt.Errorf("no port in %q", addr)
	}
	p, err := strconv.Atoi(addr[i+1:])
	return addr[:i], p, err
}

func absDir(dir string) string {
	if dir == "" {
		return ""
	}
	if a, err := filepath.Abs(dir); err == nil {
		return a
	}
	return dir
}

// dirSize is the total size of the files in dir whose names start with
// prefix (0 for an unreadable directory).
func dirSize(dir, prefix string) int64 {
	if dir == "" {
		return 0
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	var n int64
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		if fi, err := e.Info(); err == nil && fi.Mode().IsRegular() {
			n += fi.Size()
		}
	}
	return n
}

// writeEnv is EnvCommand: Environment.list() with Go's equivalents of the
// Java properties.
func (s *Server) writeEnv(b *strings.Builder) {
	host, _ := os.Hostname()
	uname, uhome := "", ""
	if u, err := user.Current(); err == nil {
		uname, uhome = u.Username, u.HomeDir
	}
	cwd, _ := os.Getwd()
	exe, _ := os.Executable()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	osName := runtime.GOOS
	if osName != "" {
		osName = strings.ToUpper(osName[:1]) + osName[1:]
	}
	osVersion := ""
	if v, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		osVersion = strings.TrimSpace(string(v))
	}
	entries := [][2]string{
		{"zookeeper.version", s.opts.version},
		{"host.name", host},
		{"java.version", runtime.Version()},
		{"java.vendor", "The Go Authors"},
		{"java.home", "<NA>"},
		{"java.class.path", exe},
		{"java.library.path", "<NA>"},
		{"java.io.tmpdir", os.TempDir()},
		{"java.compiler", "<NA>"},
		{"os.name", osName},
		{"os.arch", runtime.GOARCH},
		{"os.version", osVersion},
		{"user.name", uname},
		{"user.home", uhome},
		{"user.dir", cwd},
		{"os.memory.free", strconv.FormatUint((ms.HeapIdle)>>20, 10) + "MB"},
		{"os.memory.max", strconv.FormatUint(ms.Sys>>20, 10) + "MB"},
		{"os.memory.total", strconv.FormatUint(ms.HeapSys>>20, 10) + "MB"},
	}
	b.WriteString("Environment:\n")
	for _, e := range entries {
		b.WriteString(e[0] + "=" + e[1] + "\n")
	}
}

// writeDump is DumpCommand: the session expiry queue, the ephemerals per
// session and the connections.
func (s *Server) writeDump(b *strings.Builder) {
	b.WriteString("SessionTracker dump:\n")
	times, ids := s.tracker.bucketsSorted()
	n := 0
	for _, at := range times {
		n += len(ids[at])
	}
	fmt.Fprintf(b, "Session Sets (%d)/(%d):\n", len(times), n)
	for _, at := range times {
		fmt.Fprintf(b, "%d expire at %s:\n", len(ids[at]), javaDate(time.UnixMilli(at)))
		for _, id := range ids[at] {
			fmt.Fprintf(b, "\t0x%x\n", id)
		}
	}
	b.WriteString("ephemeral nodes dump:\n")
	eph := s.tree.Ephemerals()
	sids := make([]int64, 0, len(eph))
	for id := range eph {
		sids = append(sids, id)
	}
	slices.Sort(sids)
	fmt.Fprintf(b, "Sessions with Ephemerals (%d):\n", len(sids))
	for _, id := range sids {
		fmt.Fprintf(b, "0x%x:\n", id)
		for _, p := range eph[id] {
			b.WriteString("\t" + p + "\n")
		}
	}
	b.WriteString("Connections dump:\n")
	conns := s.connList()
	byTime := map[int64][]*conn{}
	for _, c := range conns {
		at := s.nowMs() + int64(s.cfg.SessionlessCnxnTimeout)
		if ts := s.tracker.byID[c.sid]; ts != nil && c.sid != 0 {
			at = ts.expireAt
		}
		byTime[at] = append(byTime[at], c)
	}
	keys := make([]int64, 0, len(byTime))
	for at := range byTime {
		keys = append(keys, at)
	}
	slices.Sort(keys)
	fmt.Fprintf(b, "Connections Sets (%d)/(%d):\n", len(keys), len(conns))
	for _, at := range keys {
		fmt.Fprintf(b, "%d expire at %s:\n", len(byTime[at]), javaDate(time.UnixMilli(at)))
		for _, c := range byTime[at] {
			fmt.Fprintf(b, "\tip: %s sessionId: 0x%x\n", c.remote, c.sid)
		}
	}
}

// javaDate is java.util.Date.toString: "Wed Nov 25 10:00:00 UTC 2026".
func javaDate(t time.Time) string { return t.Format("Mon Jan 02 15:04:05 MST 2006") }

// writeMonitor is MonitorCommand (mntr): "zk_<key>\t<value>" lines.
func (s *Server) writeMonitor(b *strings.Builder) {
	st := &s.stats
	eph := 0
	for _, ps := range s.tree.Ephemerals() {
		eph += len(ps)
	}
	var dataSize int64
	_ = s.tree.Walk(func(ni NodeInfo) error {
		dataSize += int64(len(ni.Path) + len(ni.Data))
		return nil
	})
	lines := [][2]string{
		{"version", s.opts.version},
		{"server_state", "standalone"},
		{"ephemerals_count", strconv.Itoa(eph)},
		{"min_latency", strconv.FormatInt(max(st.minLat, 0), 10)},
		{"avg_latency", config.JavaDouble(s.avgLatency())},
		{"max_latency", strconv.FormatInt(st.maxLat, 10)},
		{"num_alive_connections", strconv.Itoa(len(s.connList()))},
		{"outstanding_requests", strconv.FormatInt(s.outstanding(), 10)},
		{"approximate_data_size", strconv.FormatInt(dataSize, 10)},
		{"znode_count", strconv.Itoa(s.tree.NodeCount())},
		{"watch_count", strconv.Itoa(s.tree.Watches().Count())},
		{"global_sessions", strconv.Itoa(len(s.tracker.byID))},
		{"local_sessions", "0"},
		{"uptime", strconv.FormatInt(s.opts.now().Sub(s.startTime).Milliseconds(), 10)},
		{"packets_received", strconv.FormatInt(st.received.Load(), 10)},
		{"packets_sent", strconv.FormatInt(st.sent.Load(), 10)},
		{"connection_drop_probability", "0.0"},
	}
	if fds, err := os.ReadDir("/proc/self/fd"); err == nil {
		lines = append(lines, [2]string{"open_file_descriptor_count", strconv.Itoa(len(fds))})
		if lim := maxOpenFiles(); lim > 0 {
			lines = append(lines, [2]string{"max_file_descriptor_count", strconv.FormatInt(lim, 10)})
		}
	}
	for _, l := range lines {
		b.WriteString("zk_" + l[0] + "\t" + l[1] + "\n")
	}
}

// maxOpenFiles reads the soft open-files limit from /proc/self/limits.
func maxOpenFiles() int64 {
	data, err := os.ReadFile("/proc/self/limits")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "Max open files") {
			f := strings.Fields(strings.TrimPrefix(line, "Max open files"))
			if len(f) > 0 {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n
			}
		}
	}
	return 0
}
