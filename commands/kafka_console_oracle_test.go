package commands

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/kafkago/kafka/engine/e2e/oracle"
)

// consoleInProcessRunner runs a step through Main in this process, the way the
// binary would run it: Ctrl-C is the context being cancelled.
func consoleInProcessRunner(ctx context.Context, tool string, args []string, stdin string) oracle.Result {
	var out, errb lockedBuffer
	code := Main(ctx, append([]string{tool}, args...), Stdio{In: strings.NewReader(stdin), Out: &out, Err: &errb})
	return oracle.Result{Stdout: out.String(), Stderr: errb.String(), Exit: code}
}

// lockedBuffer is a bytes.Buffer safe for the client goroutines that log.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestConsoleOracle replays testdata/oracle/console.txt, recorded from
// Kafka 2.8.2's own console tools, through our tools against a real Kafka
// 2.8.2 broker, and compares every checked step byte for byte (after the
// oracle's normalisation: log timestamps, stack frames).
func TestConsoleOracle(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a JVM broker")
	}
	if err := oracle.Available(); err != nil {
		t.Skipf("%v", err)
	}
	// --version prints the commit the binary was built from; the goldens
	// hold Kafka 2.8.2's. Replay as a build stamped with that commit.
	saved := Commit
	Commit = "3146c6ff4a24cc24"
	t.Cleanup(func() { Commit = saved })
	zk := oracle.StartZooKeeper(t)
	bootstrap := oracle.StartKafka(t, zk)
	oracle.Replay(t, "console", oracle.Addrs{Bootstrap: bootstrap, ZooKeeper: zk}, consoleInProcessRunner)
}
