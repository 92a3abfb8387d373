// Command bench runs the same ZooKeeper client load against our
// coordination server (the built binary's zookeeper-server-start applet)
// and Debian's Apache ZooKeeper 3.8, one after the other, on loopback with
// fsync on and both dataDirs under one temp directory, and prints ops/s,
// p50/p99 latency, server RSS and the ratios ours/theirs.
//
//	go run ./engine/zk/bench -kafka bin/kafka [-duration 10s] [-znodes 200000]
//
// Loads (8 go-zookeeper clients, one connection each, closed loop, one
// request in flight per client): 100-byte creates, gets, sets and a 70/30
// get/set mix, each for -duration after a -warmup of mixed ops (the JVM gets
// to JIT its hot paths). Then -znodes 100-byte znodes are created by the
// same 8 connections with -pipeline requests in flight each, the servers'
// memory is read, and each server is stopped (SIGTERM) and restarted on its
// dataDir; restart time is from exec to the first answered getData of the
// last znode created. Only processes this program starts are signalled,
// by PID.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	gozk "github.com/go-zookeeper/zk"
)

var (
	kafkaBin   = flag.String("kafka", "bin/kafka", "our binary (its zookeeper-server-start applet is run)")
	zkJar      = flag.String("zk-jar", "/usr/share/java/zookeeper.jar", "Debian's Apache ZooKeeper jar")
	javaBin    = flag.String("java", "", "java launcher (default: $JAVA_HOME/bin/java or java on PATH)")
	xmx        = flag.String("xmx", "1g", "JVM -Xmx for Apache ZooKeeper")
	clients    = flag.Int("clients", 8, "client connections")
	duration   = flag.Duration("duration", 10*time.Second, "length of each measured load")
	warmup     = flag.Duration("warmup", 5*time.Second, "mixed load before measuring, per server")
	maxOps     = flag.Int("max-ops", 2_000_000, "cap on ops per client per load (bounds every loop)")
	dataSize   = flag.Int("size", 100, "znode data bytes")
	znodes     = flag.Int("znodes", 200_000, "znodes in the bulk phase (the issue asks for 1000000); 0 skips it")
	pipeline   = flag.Int("pipeline", 16, "requests in flight per client in the bulk phase")
	only       = flag.String("only", "", "run one server only: ours or theirs")
	keep       = flag.Bool("keep", false, "keep the temp directory")
	startLimit = 120 * time.Second
)

type nopLogger struct{}

func (nopLogger) Printf(string, ...any) {}

// result is one load on one server.
type result struct {
	ops      int
	errs     int
	elapsed  time.Duration
	p50, p99 time.Duration
	rssKB    int64
}

func (r result) opsPerSec() float64 { return float64(r.ops) / r.elapsed.Seconds() }

// bulk is the large-tree phase on one server.
type bulk struct {
	n          int
	elapsed    time.Duration
	rssKB      int64
	heapUsedKB int64 // JVM only: heap in use (GC.heap_info), -1 unknown
	heapLiveKB int64 // JVM only: heap in use after a full GC, -1 unknown
	restart    time.Duration
	rssAfterKB int64
}

type report struct {
	name  string
	loads map[string]result
	idle  int64
	bulk  *bulk
}

var loadNames = []string{"create", "get", "set", "mix70/30"}

func main() {
	flag.Parse()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench-zk:", err)
		os.Exit(1)
	}
}

func run() error {
	root, err := os.MkdirTemp("", "bench-zk-")
	if err != nil {
		return err
	}
	if *keep {
		fmt.Println("temp dir:", root)
	} else {
		defer os.RemoveAll(root)
	}
	fmt.Printf("bench-zk: %d clients, %d-byte znodes, fsync on, %v per load after %v warm-up, bulk %d znodes; dataDirs under %s\n",
		*clients, *dataSize, *duration, *warmup, *znodes, root)
	var reps []*report
	if *only == "" || *only == "ours" {
		bin, err := filepath.Abs(*kafkaBin)
		if err != nil {
			return err
		}
		if _, err := os.Stat(bin); err != nil {
			return fmt.Errorf("%s: %w (run `make build`)", bin, err)
		}
		r, err := benchServer("ours", filepath.Join(root, "ours"), func(dir, cfg string) []string {
			return []string{bin, "zookeeper-server-start", cfg}
		})
		if err != nil {
			return fmt.Errorf("ours: %w", err)
		}
		reps = append(reps, r)
	}
	if *only == "" || *only == "theirs" {
		java := *javaBin
		if java == "" {
			if jh := os.Getenv("JAVA_HOME"); jh != "" {
				java = filepath.Join(jh, "bin", "java")
			} else if java, err = exec.LookPath("java"); err != nil {
				return fmt.Errorf("no java: %w", err)
			}
		}
		if _, err := os.Stat(*zkJar); err != nil {
			return fmt.Errorf("%s: %w (apt-get install zookeeper)", *zkJar, err)
		}
		cp := []string{*zkJar}
		for _, j := range []string{"/usr/share/java/slf4j-log4j12.jar", "/usr/share/java/log4j-1.2.jar"} {
			if _, err := os.Stat(j); err == nil {
				cp = append(cp, j)
			}
		}
		r, err := benchServer("Apache ZooKeeper 3.8", filepath.Join(root, "theirs"), func(dir, cfg string) []string {
			log4j := filepath.Join(dir, "log4j.properties")
			_ = os.WriteFile(log4j, []byte("log4j.rootLogger=INFO, stdout\n"+
				"log4j.appender.stdout=org.apache.log4j.ConsoleAppender\n"+
				"log4j.appender.stdout.layout=org.apache.log4j.PatternLayout\n"+
				"log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n\n"), 0o644)
			return []string{java, "-Xmx" + *xmx, "-Djava.awt.headless=true",
				"-Dzookeeper.jmx.log4j.disable=true", "-Dlog4j.configuration=file:" + log4j,
				"-cp", strings.Join(cp, ":"), "org.apache.zookeeper.server.ZooKeeperServerMain", cfg}
		})
		if err != nil {
			return fmt.Errorf("theirs: %w", err)
		}
		reps = append(reps, r)
	}
	printReport(reps)
	fmt.Printf("loadavg at the end: %s\n", loadavg())
	return nil
}

// ---- server processes ----

type proc struct {
	cmd  *exec.Cmd
	done chan struct{}
	out  string
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func startProc(argv []string, dir, outName string) (*proc, error) {
	out := filepath.Join(dir, outName)
	f, err := os.OpenFile(out, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "LOG_DIR="+filepath.Join(dir, "logs"))
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, err
	}
	p := &proc{cmd: cmd, done: make(chan struct{}), out: out}
	go func() { cmd.Wait(); f.Close(); close(p.done) }()
	return p, nil
}

// stop sends SIGTERM to the process (by PID) and SIGKILL after a grace period.
func (p *proc) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

func (p *proc) tail() string {
	b, _ := os.ReadFile(p.out)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > 20 {
		lines = lines[len(lines)-20:]
	}
	return strings.Join(lines, "\n")
}

// waitServing waits until getData(path) (or exists("/") without path) is
// answered on a fresh session.
func waitServing(p *proc, addr, path string) error {
	deadline := time.Now().Add(startLimit)
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			return fmt.Errorf("server exited during start-up:\n%s", p.tail())
		default:
		}
		if serving(addr, path) {
			return nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	return fmt.Errorf("not serving after %v:\n%s", startLimit, p.tail())
}

func serving(addr, path string) bool {
	// srvr first: cheap, and a loading ZooKeeper answers "not currently serving".
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	_, _ = io.WriteString(c, "srvr")
	b, _ := io.ReadAll(bufio.NewReader(c))
	c.Close()
	if !strings.Contains(string(b), "Mode: standalone") {
		return false
	}
	conn, err := connect(addr)
	if err != nil {
		return false
	}
	defer conn.Close()
	if path == "" {
		_, _, err = conn.Exists("/")
	} else {
		_, _, err = conn.Get(path)
	}
	return err == nil
}

func connect(addr string) (*gozk.Conn, error) {
	c, ev, err := gozk.Connect([]string{addr}, 30*time.Second, gozk.WithLogInfo(false), gozk.WithLogger(nopLogger{}))
	if err != nil {
		return nil, err
	}
	deadline := time.After(10 * time.Second)
	for c.State() != gozk.StateHasSession {
		select {
		case <-ev:
		case <-deadline:
			c.Close()
			return nil, fmt.Errorf("no session with %s", addr)
		}
	}
	go func() {
		for range ev {
		}
	}()
	return c, nil
}

var rssRE = regexp.MustCompile(`(?m)^VmRSS:\s+(\d+) kB`)

func rssKB(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	m := rssRE.FindSubmatch(b)
	if m == nil {
		return -1
	}
	v, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return v
}

var heapRE = regexp.MustCompile(`(?m)garbage-first heap\s+total (\d+)K, used (\d+)K|heap\s+total (\d+)K, used (\d+)K`)

// jvmHeapUsedKB asks jcmd for the JVM's heap in use; gc runs a full GC first.
func jvmHeapUsedKB(pid int, gc bool) int64 {
	jcmd, err := exec.LookPath("jcmd")
	if err != nil {
		return -1
	}
	p := strconv.Itoa(pid)
	if gc {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		_ = exec.CommandContext(ctx, jcmd, p, "GC.run").Run()
		cancel()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, jcmd, p, "GC.heap_info").Output()
	if err != nil {
		return -1
	}
	m := heapRE.FindStringSubmatch(string(out))
	if m == nil {
		return -1
	}
	s := m[2]
	if s == "" {
		s = m[4]
	}
	v, _ := strconv.ParseInt(s, 10, 64)
	return v
}

// ---- one server ----

func benchServer(name, dir string, argv func(dir, cfg string) []string) (*report, error) {
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	cfg := filepath.Join(dir, "zoo.cfg")
	props := "tickTime=2000\n" +
		"dataDir=" + filepath.Join(dir, "data") + "\n" +
		"clientPort=" + strconv.Itoa(port) + "\n" +
		"clientPortAddress=127.0.0.1\n" +
		"maxClientCnxns=0\n" +
		"admin.enableServer=false\n" +
		"4lw.commands.whitelist=*\n" +
		"forceSync=yes\n" +
		"metricsProvider.className=org.apache.zookeeper.metrics.impl.NullMetricsProvider\n"
	if err := os.WriteFile(cfg, []byte(props), 0o644); err != nil {
		return nil, err
	}
	args := argv(dir, cfg)
	fmt.Printf("\n== %s on %s (loadavg %s): %s\n", name, addr, loadavg(), strings.Join(args, " "))
	p, err := startProc(args, dir, "server.out")
	if err != nil {
		return nil, err
	}
	defer func() { p.stop() }()
	if err := waitServing(p, addr, ""); err != nil {
		return nil, err
	}
	rep := &report{name: name, loads: map[string]result{}}
	rep.idle = rssKB(p.cmd.Process.Pid)

	conns := make([]*gozk.Conn, *clients)
	for i := range conns {
		if conns[i], err = connect(addr); err != nil {
			return nil, err
		}
		defer conns[i].Close()
	}
	for _, parent := range []string{"/bench", "/warm", "/big"} {
		if _, err := conns[0].Create(parent, nil, 0, gozk.WorldACL(gozk.PermAll)); err != nil && !errors.Is(err, gozk.ErrNodeExists) {
			return nil, err
		}
	}
	data := make([]byte, *dataSize)
	for i := range data {
		data[i] = 'a' + byte(i%26)
	}

	if *warmup > 0 {
		fmt.Printf("  warm-up %v ...\n", *warmup)
		runLoad(conns, *warmup, func(c *gozk.Conn, id, i int, rnd *rand.Rand) error {
			path := fmt.Sprintf("/warm/c%d-%d", id, i%1000)
			if i < 1000 {
				_, err := c.Create(path, data, 0, gozk.WorldACL(gozk.PermAll))
				return err
			}
			if rnd.IntN(10) < 7 {
				_, _, err := c.Get(path)
				return err
			}
			_, err := c.Set(path, data, -1)
			return err
		})
	}

	// created[id] is how many /bench/c<id>-<i> client id created.
	created := make([]int, *clients)
	var mu sync.Mutex
	loads := map[string]func(c *gozk.Conn, id, i int, rnd *rand.Rand) error{
		"create": func(c *gozk.Conn, id, i int, _ *rand.Rand) error {
			_, err := c.Create(fmt.Sprintf("/bench/c%d-%d", id, i), data, 0, gozk.WorldACL(gozk.PermAll))
			if err == nil {
				mu.Lock()
				created[id] = i + 1
				mu.Unlock()
			}
			return err
		},
		"get": func(c *gozk.Conn, id, i int, rnd *rand.Rand) error {
			_, _, err := c.Get(fmt.Sprintf("/bench/c%d-%d", id, rnd.IntN(created[id])))
			return err
		},
		"set": func(c *gozk.Conn, id, i int, rnd *rand.Rand) error {
			_, err := c.Set(fmt.Sprintf("/bench/c%d-%d", id, rnd.IntN(created[id])), data, -1)
			return err
		},
		"mix70/30": func(c *gozk.Conn, id, i int, rnd *rand.Rand) error {
			path := fmt.Sprintf("/bench/c%d-%d", id, rnd.IntN(created[id]))
			if rnd.IntN(10) < 7 {
				_, _, err := c.Get(path)
				return err
			}
			_, err := c.Set(path, data, -1)
			return err
		},
	}
	for _, ln := range loadNames {
		r := runLoad(conns, *duration, loads[ln])
		r.rssKB = rssKB(p.cmd.Process.Pid)
		rep.loads[ln] = r
		fmt.Printf("  %-9s %9.0f ops/s  p50 %-9v p99 %-9v RSS %s  (%d ops, %d errors)\n",
			ln, r.opsPerSec(), r.p50.Round(time.Microsecond), r.p99.Round(time.Microsecond), mb(r.rssKB), r.ops, r.errs)
		if ln == "create" && slices.Contains(created, 0) {
			return nil, errors.New("a client created nothing")
		}
	}

	if *znodes > 0 {
		b, last, err := bulkCreate(conns, data, *znodes)
		if err != nil {
			return nil, err
		}
		pid := p.cmd.Process.Pid
		b.rssKB = rssKB(pid)
		b.heapUsedKB, b.heapLiveKB = -1, -1
		if strings.Contains(strings.Join(p.cmd.Args, " "), "ZooKeeperServerMain") {
			b.heapUsedKB = jvmHeapUsedKB(pid, false)
			b.heapLiveKB = jvmHeapUsedKB(pid, true)
		}
		fmt.Printf("  bulk      %9.0f creates/s for %d znodes; RSS %s", float64(b.n)/b.elapsed.Seconds(), b.n, mb(b.rssKB))
		if b.heapUsedKB >= 0 {
			fmt.Printf("; JVM heap used %s, after full GC %s", mb(b.heapUsedKB), mb(b.heapLiveKB))
		}
		fmt.Println()
		for _, c := range conns {
			c.Close()
		}
		p.stop()
		t0 := time.Now()
		p, err = startProc(args, dir, "server.out")
		if err != nil {
			return nil, err
		}
		if err := waitServing(p, addr, last); err != nil {
			return nil, fmt.Errorf("restart: %w", err)
		}
		b.restart = time.Since(t0)
		b.rssAfterKB = rssKB(p.cmd.Process.Pid)
		fmt.Printf("  restart   %v to serve getData(%s) with %d+ znodes; RSS after %s\n", b.restart.Round(time.Millisecond), last, b.n, mb(b.rssAfterKB))
		rep.bulk = b
	}
	return rep, nil
}

// runLoad runs op in a closed loop on every connection for d (and at most
// -max-ops per client) and returns the totals and latency percentiles.
func runLoad(conns []*gozk.Conn, d time.Duration, op func(c *gozk.Conn, id, i int, rnd *rand.Rand) error) result {
	lats := make([][]time.Duration, len(conns))
	errs := make([]int, len(conns))
	var wg sync.WaitGroup
	start := time.Now()
	end := start.Add(d)
	for id, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rnd := rand.New(rand.NewPCG(uint64(id), uint64(start.UnixNano())))
			l := make([]time.Duration, 0, 1<<16)
			for i := 0; i < *maxOps; i++ {
				t0 := time.Now()
				if !t0.Before(end) {
					break
				}
				if err := op(c, id, i, rnd); err != nil {
					errs[id]++
					if errs[id] > 100 {
						break
					}
					continue
				}
				l = append(l, time.Since(t0))
			}
			lats[id] = l
		}()
	}
	wg.Wait()
	r := result{elapsed: time.Since(start)}
	var all []time.Duration
	for id := range conns {
		all = append(all, lats[id]...)
		r.errs += errs[id]
	}
	r.ops = len(all)
	slices.Sort(all)
	if len(all) > 0 {
		r.p50 = all[len(all)*50/100]
		r.p99 = all[min(len(all)-1, len(all)*99/100)]
	}
	return r
}

// bulkCreate creates n znodes under /big with -pipeline goroutines per
// connection and returns the path of the last one created.
func bulkCreate(conns []*gozk.Conn, data []byte, n int) (*bulk, string, error) {
	var next atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	progress := time.NewTicker(10 * time.Second)
	defer progress.Stop()
	stopProgress := make(chan struct{})
	go func() {
		for {
			select {
			case <-progress.C:
				fmt.Printf("  bulk      %d/%d\n", min(next.Load(), int64(n)), n)
			case <-stopProgress:
				return
			}
		}
	}()
	for _, c := range conns {
		for range *pipeline {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := next.Add(1) - 1
					if i >= int64(n) || firstErr.Load() != nil {
						return
					}
					if _, err := c.Create(fmt.Sprintf("/big/n%08d", i), data, 0, gozk.WorldACL(gozk.PermAll)); err != nil {
						firstErr.CompareAndSwap(nil, fmt.Errorf("create /big/n%08d: %w", i, err))
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	close(stopProgress)
	if err, _ := firstErr.Load().(error); err != nil {
		return nil, "", err
	}
	return &bulk{n: n, elapsed: time.Since(start)}, fmt.Sprintf("/big/n%08d", n-1), nil
}

// ---- output ----

// loadavg is /proc/loadavg's 1, 5 and 15 minute figures: other work on the
// machine skews the numbers.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "n/a"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "n/a"
	}
	return strings.Join(f[:3], " ")
}

func mb(kb int64) string {
	if kb < 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f MB", float64(kb)/1024)
}

func ratio(a, b float64) string {
	if a <= 0 || b <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2fx", a/b)
}

func printReport(reps []*report) {
	fmt.Println()
	fmt.Printf("%-10s %-22s %11s %10s %10s %10s\n", "load", "server", "ops/s", "p50", "p99", "RSS")
	for _, ln := range loadNames {
		for _, r := range reps {
			x := r.loads[ln]
			fmt.Printf("%-10s %-22s %11.0f %10v %10v %10s\n", ln, r.name, x.opsPerSec(), x.p50.Round(time.Microsecond), x.p99.Round(time.Microsecond), mb(x.rssKB))
		}
	}
	if len(reps) != 2 {
		return
	}
	ours, theirs := reps[0], reps[1]
	fmt.Println()
	fmt.Println("ratios ours/theirs (goals: ops/s >= 2.00x, p99 <= 1.00x)")
	fmt.Printf("%-10s %10s %10s %10s %10s\n", "load", "ops/s", "p50", "p99", "RSS")
	for _, ln := range loadNames {
		a, b := ours.loads[ln], theirs.loads[ln]
		fmt.Printf("%-10s %10s %10s %10s %10s\n", ln, ratio(a.opsPerSec(), b.opsPerSec()),
			ratio(float64(a.p50), float64(b.p50)), ratio(float64(a.p99), float64(b.p99)), ratio(float64(a.rssKB), float64(b.rssKB)))
	}
	fmt.Printf("%-10s %10s %10s %10s %10s\n", "idle RSS", "", "", "", ratio(float64(ours.idle), float64(theirs.idle)))
	if ours.bulk != nil && theirs.bulk != nil {
		a, b := ours.bulk, theirs.bulk
		fmt.Printf("\nbulk %d znodes: creates/s %s; RSS ours %s vs theirs %s (%s); ours RSS / their heap used %s (%s / %s), / their heap after full GC %s (%s)\n",
			a.n, ratio(float64(a.n)/a.elapsed.Seconds(), float64(b.n)/b.elapsed.Seconds()),
			mb(a.rssKB), mb(b.rssKB), ratio(float64(a.rssKB), float64(b.rssKB)),
			ratio(float64(a.rssKB), float64(b.heapUsedKB)), mb(a.rssKB), mb(b.heapUsedKB),
			ratio(float64(a.rssKB), float64(b.heapLiveKB)), mb(b.heapLiveKB))
		fmt.Printf("restart with %d znodes: ours %v, theirs %v (%s; goal < 1.00x)\n", a.n,
			a.restart.Round(time.Millisecond), b.restart.Round(time.Millisecond), ratio(float64(a.restart), float64(b.restart)))
	}
}
