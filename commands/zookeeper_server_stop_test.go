package commands

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestZooKeeperServerStopNone(t *testing.T) {
	logs := t.TempDir()
	stop := func() (string, int) {
		var out, errb zkOutBuffer
		code := Main(context.Background(), []string{"zookeeper-server-stop.sh"}, zkEnvStdio(logs, &out, &errb))
		return out.String() + errb.String(), code
	}
	if out, code := stop(); code != 1 || out != "No zookeeper server to stop\n" {
		t.Fatalf("no pid file: exit %d, %q", code, out)
	}
	// A pid file naming a process that is not our server (this test) must
	// not stop it.
	if err := os.WriteFile(filepath.Join(logs, "zookeeper.pid"), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, code := stop(); code != 1 || out != "No zookeeper server to stop\n" {
		t.Fatalf("foreign pid: exit %d, %q", code, out)
	}
}

// TestZooKeeperServerDaemonAndStop builds the binary, starts the server
// with -daemon (it returns at once, output in $LOG_DIR/zookeeper.out) and
// stops it with zookeeper-server-stop.
func TestZooKeeperServerDaemonAndStop(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "kafka")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/kafka").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	logs := t.TempDir()
	port := freeZkPort(t)
	addr := "127.0.0.1:" + strconv.Itoa(port)
	cfg := writeZkConfig(t, fmt.Sprintf("dataDir=%s\nclientPort=%d\nclientPortAddress=127.0.0.1\n4lw.commands.whitelist=ruok\n", t.TempDir(), port))
	runBin := func(args ...string) (string, int) {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "LOG_DIR="+logs)
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return string(out), code
	}
	begin := time.Now()
	if out, code := runBin("zookeeper-server-start", "-daemon", cfg); code != 0 || out != "" {
		t.Fatalf("-daemon: exit %d, %q", code, out)
	}
	if time.Since(begin) > 10*time.Second {
		t.Fatal("-daemon did not return at once")
	}
	t.Cleanup(func() { runBin("zookeeper-server-stop") })
	deadline := time.Now().Add(20 * time.Second)
	for !ruok(addr) {
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(filepath.Join(logs, "zookeeper.out"))
			t.Fatalf("daemon not serving:\n%s", b)
		}
		time.Sleep(50 * time.Millisecond)
	}
	waitFile := func(name string, exists bool) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); ; {
			_, err := os.Stat(filepath.Join(logs, name))
			if (err == nil) == exists {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s exists=%v, want %v", name, err == nil, exists)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitFile("zookeeper.pid", true)
	if out, code := runBin("zookeeper-server-stop"); code != 0 || out != "" {
		t.Fatalf("stop: exit %d, %q", code, out)
	}
	waitFile("zookeeper.pid", false)
	for deadline := time.Now().Add(10 * time.Second); ruok(addr); {
		if time.Now().After(deadline) {
			t.Fatal("still serving after stop")
		}
		time.Sleep(20 * time.Millisecond)
	}
	b, _ := os.ReadFile(filepath.Join(logs, "zookeeper.out"))
	if !strings.Contains(string(b), "binding to port /127.0.0.1:"+strconv.Itoa(port)) || !strings.Contains(string(b), "shutting down") {
		t.Errorf("zookeeper.out:\n%s", b)
	}
	if out, code := runBin("zookeeper-server-stop"); code != 1 || out != "No zookeeper server to stop\n" {
		t.Fatalf("second stop: exit %d, %q", code, out)
	}
}
