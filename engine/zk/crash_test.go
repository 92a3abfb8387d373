package zk

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gozk "github.com/go-zookeeper/zk"

	"github.com/kafkago/kafka/config"
)

// serverCrashChildEnv makes the test binary a child that serves a whole
// server (New(...).Serve) on the dataDir it names and prints "addr <host:port>"
// once it accepts clients (TestServerCrashKill9).
const serverCrashChildEnv = "ZK_SERVER_CRASH_CHILD"

// crashValue is the data a writer gives path at version v: every znode's
// content follows from its path and version, so a recovered node whose data
// does not match its version is a half-applied or misordered write.
func crashValue(path string, v int32) []byte {
	return []byte(path + "@" + strconv.Itoa(int(v)))
}

// serverCrashChild runs the server until it is killed. snapCount is small so
// snapshots and log rolls happen while the parent writes.
func serverCrashChild(dir string) error {
	cfg, _, err := config.LoadZooKeeper("", []string{
		"dataDir=" + dir, "tickTime=2000", "snapCount=300", "maxClientCnxns=0", "preAllocSize=256",
	})
	if err != nil {
		return err
	}
	cfg.ClientPortAddress = "127.0.0.1"
	cfg.ClientPort = 0
	s, err := New(cfg, nil)
	if err != nil {
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- s.Serve(context.Background()) }()
	select {
	case <-s.Ready():
		fmt.Printf("addr %s\n", s.Addr())
	case err := <-errc:
		return err
	}
	return <-errc
}

// crashNode is what the parent knows of one znode: the version of its last
// acknowledged write, and whether a later write was in flight (sent, not
// acknowledged) when the server died.
type crashNode struct {
	version  int32
	inFlight bool
}

// crashWriter owns the znodes /crash/w<id>-<n>; it alone writes them, one
// request at a time, so at most one of its writes is unacknowledged at the
// kill.
type crashWriter struct {
	id    int
	nodes map[string]*crashNode // acknowledged (or recovered) znodes
	next  int                   // next n to create
	// pending is the create sent but not acknowledged when the server died.
	pending string
	acks    int
}

func (w *crashWriter) path(n int) string { return fmt.Sprintf("/crash/w%d-%d", w.id, n) }

// run writes until the first error (the kill) or stop: creates of new znodes
// with crashValue(path, 0) and conditional sets (expected version = the
// acknowledged one) with crashValue(path, v+1).
func (w *crashWriter) run(c *gozk.Conn, rnd *rand.Rand, stop <-chan struct{}) {
	owned := make([]string, 0, len(w.nodes))
	for p := range w.nodes {
		owned = append(owned, p)
	}
	slices.Sort(owned)
	for {
		select {
		case <-stop:
			return
		default:
		}
		if len(owned) == 0 || rnd.IntN(10) < 4 {
			p := w.path(w.next)
			w.pending = p
			if _, err := c.Create(p, crashValue(p, 0), 0, gozk.WorldACL(gozk.PermAll)); err != nil {
				return
			}
			w.pending = ""
			w.nodes[p] = &crashNode{}
			owned = append(owned, p)
			w.next++
			w.acks++
			continue
		}
		p := owned[rnd.IntN(len(owned))]
		n := w.nodes[p]
		n.inFlight = true
		st, err := c.Set(p, crashValue(p, n.version+1), n.version)
		if err != nil {
			return
		}
		if st.Version != n.version+1 {
			panic(fmt.Sprintf("%s: set acknowledged at version %d, want %d", p, st.Version, n.version+1))
		}
		n.version, n.inFlight = st.Version, false
		w.acks++
	}
}

// TestServerCrashKill9 runs the server in a child process while several
// go-zookeeper clients create and set znodes concurrently, SIGKILLs it at a
// random moment, restarts it on the same dataDir and checks:
//
//   - every acknowledged create is there, and every acknowledged set: a
//     znode's version is its last acknowledged one, or one more when a set
//     was in flight at the kill (each writer has one request outstanding, and
//     a write logged before the kill may survive without its reply having
//     gone out);
//   - no znode is half-written: its data is the value written at its
//     version;
//   - nothing appears that no one wrote: the only unknown znodes are the
//     creates in flight at the kill.
//
// The recovered state is adopted and the next iteration writes on.
func TestServerCrashKill9(t *testing.T) {
	if dir := os.Getenv(serverCrashChildEnv); dir != "" {
		if err := serverCrashChild(dir); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(3)
		}
		os.Exit(0)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	iterations := 10
	if testing.Short() {
		iterations = 3
	}
	dir := t.TempDir()
	rnd := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 17))
	const nWriters = 6
	writers := make([]*crashWriter, nWriters)
	for i := range writers {
		writers[i] = &crashWriter{id: i, nodes: map[string]*crashNode{}}
	}
	first := true
	var total int

	start := func(iter int) (*exec.Cmd, string, *bytes.Buffer, context.CancelFunc) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		cmd := exec.CommandContext(ctx, exe, "-test.run=^TestServerCrashKill9$", "-test.v=false")
		cmd.Env = append(os.Environ(), serverCrashChildEnv+"="+dir)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		addrc := make(chan string, 1)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				if a, ok := strings.CutPrefix(sc.Text(), "addr "); ok {
					addrc <- a
				}
			}
			close(addrc)
		}()
		select {
		case a, ok := <-addrc:
			if ok {
				return cmd, a, &stderr, cancel
			}
		case <-ctx.Done():
		}
		_ = cmd.Process.Kill()
		werr := cmd.Wait()
		cancel()
		t.Fatalf("iteration %d: server did not start: %v\n%s", iter, werr, stderr.String())
		return nil, "", nil, nil
	}

	for iter := range iterations {
		cmd, addr, stderr, cancel := start(iter)

		// Check what the previous crash left (the first start is empty).
		if !first {
			verifyCrash(t, iter, addr, writers)
		}
		first = false
		c0 := crashClient(t, addr)
		if _, err := c0.Create("/crash", nil, 0, gozk.WorldACL(gozk.PermAll)); err != nil && !errors.Is(err, gozk.ErrNodeExists) {
			t.Fatalf("iteration %d: create /crash: %v", iter, err)
		}
		c0.Close()

		// Write concurrently, then kill the server at a random moment.
		var wg sync.WaitGroup
		stop := make(chan struct{})
		conns := make([]*gozk.Conn, nWriters)
		before := 0
		for i, w := range writers {
			conns[i] = crashClient(t, addr)
			before += w.acks
			wg.Add(1)
			go func() {
				defer wg.Done()
				w.run(conns[i], rand.New(rand.NewPCG(uint64(iter), uint64(i))), stop)
			}()
		}
		time.Sleep(time.Duration(100+rnd.IntN(400)) * time.Millisecond)
		_ = cmd.Process.Kill() // SIGKILL, by PID: the child we started
		werr := cmd.Wait()
		cancel()
		// Calls in flight fail with the connection; closing the clients
		// fails the ones go-zookeeper would hold while it tries to reconnect.
		close(stop)
		for _, c := range conns {
			c.Close()
		}
		wg.Wait()
		if strings.Contains(stderr.String(), "child:") {
			t.Fatalf("iteration %d: %s", iter, stderr.String())
		}
		after := 0
		for _, w := range writers {
			after += w.acks
		}
		total += after - before
		t.Logf("iteration %d: %d writes acknowledged before the kill (%v)", iter, after-before, werr)
	}

	// Last restart: everything acknowledged in the last iteration is there.
	cmd, addr, _, cancel := start(iterations)
	verifyCrash(t, iterations, addr, writers)
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	cancel()
	if total == 0 {
		t.Fatal("no write was acknowledged in any iteration")
	}
}

// crashClient connects go-zookeeper to addr and waits for its session.
func crashClient(t *testing.T, addr string) *gozk.Conn {
	t.Helper()
	c, ev, err := gozk.Connect([]string{addr}, 10*time.Second, gozk.WithLogInfo(false), gozk.WithLogger(nopLogger{}))
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.After(10 * time.Second)
	for c.State() != gozk.StateHasSession {
		select {
		case <-ev:
		case <-deadline:
			c.Close()
			t.Fatalf("no session with %s (state %v)", addr, c.State())
		}
	}
	go func() {
		for range ev {
		}
	}()
	return c
}

// verifyCrash reads every znode under /crash from the restarted server,
// checks it against what the writers know, and adopts the recovered state.
func verifyCrash(t *testing.T, iter int, addr string, writers []*crashWriter) {
	t.Helper()
	c := crashClient(t, addr)
	defer c.Close()
	children, _, err := c.Children("/crash")
	if err != nil {
		t.Fatalf("iteration %d: children of /crash: %v", iter, err)
	}
	got := map[string]bool{}
	for _, name := range children {
		got["/crash/"+name] = true
	}
	checked := 0
	for _, w := range writers {
		// Every acknowledged create, and every acknowledged set.
		for p, n := range w.nodes {
			data, st, err := c.Get(p)
			if err != nil {
				t.Fatalf("iteration %d: acknowledged %s: %v", iter, p, err)
			}
			ok := st.Version == n.version || (n.inFlight && st.Version == n.version+1)
			if !ok {
				t.Fatalf("iteration %d: %s at version %d, last acknowledged %d (set in flight: %v)", iter, p, st.Version, n.version, n.inFlight)
			}
			if want := crashValue(p, st.Version); !bytes.Equal(data, want) {
				t.Fatalf("iteration %d: %s version %d holds %q, want %q", iter, p, st.Version, data, want)
			}
			n.version, n.inFlight = st.Version, false
			delete(got, p)
			checked++
		}
		// The create in flight may or may not have landed.
		if p := w.pending; p != "" {
			if got[p] {
				data, st, err := c.Get(p)
				if err != nil {
					t.Fatalf("iteration %d: %s: %v", iter, p, err)
				}
				if st.Version != 0 || !bytes.Equal(data, crashValue(p, 0)) {
					t.Fatalf("iteration %d: unacknowledged create %s recovered as version %d %q", iter, p, st.Version, data)
				}
				w.nodes[p] = &crashNode{}
				w.next++
				delete(got, p)
			}
			w.pending = ""
		}
	}
	if len(got) > 0 {
		t.Fatalf("iteration %d: znodes no one wrote (or wrote past the one in flight): %v", iter, slices.Sorted(maps.Keys(got)))
	}
	t.Logf("iteration %d: restart has all %d acknowledged znodes", iter, checked)
}
