package commands

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gozk "github.com/go-zookeeper/zk"
)

// zkOutBuffer is a bytes.Buffer safe for the server's goroutines.
type zkOutBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *zkOutBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *zkOutBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func zkEnvStdio(logDir string, out, errb io.Writer) Stdio {
	return Stdio{In: strings.NewReader(""), Out: out, Err: errb, Getenv: func(k string) string {
		if k == "LOG_DIR" {
			return logDir
		}
		return ""
	}}
}

func writeZkConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "zookeeper.properties")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func freeZkPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func ruok(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := io.WriteString(c, "ruok"); err != nil {
		return false
	}
	b, _ := io.ReadAll(c)
	return string(b) == "imok"
}

func TestZooKeeperServerStartUsage(t *testing.T) {
	for _, args := range [][]string{{"zookeeper-server-start"}, {"bin/zookeeper-server-start.sh", "-daemon"}} {
		out, errs, code := run(t, "", args...)
		want := "USAGE: " + args[0] + " [-daemon] zookeeper.properties\n"
		if code != 1 || out != want || errs != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
}

func TestZooKeeperServerStartBadConfig(t *testing.T) {
	logs := t.TempDir()
	p := writeZkConfig(t, "dataDir=/tmp/x\nclientPort=2181\ntickTime=abc\nmaxClientCnxns=ten\nfoo.bar=1\n")
	var out, errb zkOutBuffer
	code := Main(context.Background(), []string{"zookeeper-server-start", p}, zkEnvStdio(logs, &out, &errb))
	if code != 2 || errb.String() != "Invalid config, exiting abnormally\n" {
		t.Fatalf("exit %d, stderr %q\n%s", code, errb.String(), out.String())
	}
	for _, want := range []string{
		"] INFO Reading configuration from: " + p + " (org.apache.zookeeper.server.quorum.QuorumPeerConfig)\n",
		"] WARN " + p + ":5: foo.bar: ",
		"] ERROR Invalid config, exiting abnormally (org.apache.zookeeper.server.quorum.QuorumPeerMain)\n",
		"] ERROR " + p + ":3: tickTime: Invalid value abc for configuration tickTime",
		"] ERROR " + p + ":4: maxClientCnxns: Invalid value ten",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if b, _ := os.ReadFile(filepath.Join(logs, "server.log")); string(b) != out.String() {
		t.Errorf("server.log differs from stdout:\n%s", b)
	}
	// A missing file.
	out, errb = zkOutBuffer{}, zkOutBuffer{}
	code = Main(context.Background(), []string{"zookeeper-server-start", filepath.Join(logs, "nope.properties")}, zkEnvStdio(logs, &out, &errb))
	if code != 2 || !strings.Contains(out.String(), "nope.properties") {
		t.Fatalf("missing file: exit %d\n%s", code, out.String())
	}
}

func TestZooKeeperServerStartQuorum(t *testing.T) {
	p := writeZkConfig(t, "dataDir=/tmp/x\nclientPort=2181\ninitLimit=5\nsyncLimit=2\nserver.1=a:2888:3888\nserver.2=b:2888:3888\nserver.3=c:2888:3888\n")
	var out, errb zkOutBuffer
	code := Main(context.Background(), []string{"zookeeper-server-start", p}, zkEnvStdio(t.TempDir(), &out, &errb))
	want := "ERROR " + p + ": server.1, server.2, server.3: standalone only: use an Apache ZooKeeper ensemble for a quorum (org.apache.zookeeper.server.quorum.QuorumPeerMain)"
	if code != 2 || !strings.Contains(out.String(), want) {
		t.Fatalf("exit %d, want a line %q:\n%s", code, want, out.String())
	}
}

// TestZooKeeperServerStartServes runs the applet in-process: it serves,
// writes its pid file and logs, keeps data across a restart, and SIGTERM
// (the context cancelled with ErrTerminated) stops it with exit 143.
func TestZooKeeperServerStartServes(t *testing.T) {
	logs := t.TempDir()
	port := freeZkPort(t)
	addr := "127.0.0.1:" + strconv.Itoa(port)
	p := writeZkConfig(t, fmt.Sprintf("dataDir=%s\nclientPort=%d\nclientPortAddress=127.0.0.1\nmaxClientCnxns=0\nadmin.enableServer=false\n4lw.commands.whitelist=ruok,srvr\n", t.TempDir(), port))
	start := func() (*zkOutBuffer, func() int) {
		out, errb := &zkOutBuffer{}, &zkOutBuffer{}
		ctx, cancel := context.WithCancelCause(context.Background())
		done := make(chan int, 1)
		go func() { done <- Main(ctx, []string{"bin/zookeeper-server-start.sh", p}, zkEnvStdio(logs, out, errb)) }()
		deadline := time.Now().Add(20 * time.Second)
		for !ruok(addr) {
			select {
			case code := <-done:
				t.Fatalf("exited %d:\n%s%s", code, out, errb)
			default:
			}
			if time.Now().After(deadline) {
				t.Fatalf("not serving:\n%s", out)
			}
			time.Sleep(20 * time.Millisecond)
		}
		stop := func() int {
			cancel(ErrTerminated)
			select {
			case code := <-done:
				return code
			case <-time.After(20 * time.Second):
				t.Fatal("did not stop")
			}
			return -1
		}
		t.Cleanup(func() { cancel(nil) })
		return out, stop
	}
	out, stop := start()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		pid, ok := readPidFile(filepath.Join(logs, "zookeeper.pid"))
		if ok && pid == os.Getpid() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("pid file: %d %v", pid, ok)
		}
	}
	c, _, err := gozk.Connect([]string{addr}, 10*time.Second, gozk.WithLogInfo(false))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Create("/kept", []byte("v"), 0, gozk.WorldACL(gozk.PermAll)); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if code := stop(); code != 143 {
		t.Fatalf("SIGTERM: exit %d", code)
	}
	if _, err := os.Stat(filepath.Join(logs, "zookeeper.pid")); !os.IsNotExist(err) {
		t.Fatalf("pid file left behind: %v", err)
	}
	line := regexp.MustCompile(`(?m)^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] INFO binding to port /127\.0\.0\.1:` + strconv.Itoa(port) + ` \(org\.apache\.zookeeper\.server\.NIOServerCnxnFactory\)$`)
	if !line.MatchString(out.String()) {
		t.Errorf("no binding line:\n%s", out)
	}
	for _, want := range []string{
		"WARN Either no config or no quorum defined in config, running in standalone mode (org.apache.zookeeper.server.quorum.QuorumPeerMain)",
		"INFO Starting server (org.apache.zookeeper.server.ZooKeeperServerMain)",
		"INFO Created server with tickTime 3000 ms minSessionTimeout 6000 ms maxSessionTimeout 60000 ms clientPortListenBacklog -1 datadir ",
		"INFO Snapshotting: 0x0 to ",
		"INFO Established session 0x",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(logs, "server.log")); !strings.Contains(string(b), "binding to port") {
		t.Errorf("server.log:\n%s", b)
	}
	// Restart on the same dataDir: the znode is still there.
	_, stop = start()
	c, _, err = gozk.Connect([]string{addr}, 10*time.Second, gozk.WithLogInfo(false))
	if err != nil {
		t.Fatal(err)
	}
	data, _, err := c.Get("/kept")
	c.Close()
	if err != nil || string(data) != "v" {
		t.Fatalf("after restart: %q %v", data, err)
	}
	stop()
}
