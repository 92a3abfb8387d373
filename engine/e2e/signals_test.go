package e2e

import (
	"bufio"
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
)

// fakeCluster starts franz-go's in-process fake broker with one topic of n records.
func fakeCluster(t *testing.T, topic string, n int) string {
	t.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1, topic))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	addr := c.ListenAddrs()[0]
	produce(t, addr, topic, n)
	return addr
}

// produce writes n records "line a", "line b", ... to topic.
func produce(t *testing.T, addr, topic string, n int) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var recs []*kgo.Record
	for i := 0; i < n; i++ {
		recs = append(recs, &kgo.Record{Topic: topic, Value: []byte("line " + string(rune('a'+i%26)))})
	}
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
}

// TestConsumerSignals runs the real binary's console consumer and stops it
// with SIGINT and SIGTERM: Kafka's JVM exits 130 and 143 after printing the
// total; and a closed stdout ends it cleanly with Kafka's message.
func TestConsumerSignals(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds the binary")
	}
	bin := buildBin(t)
	addr := fakeCluster(t, "sig", 3)
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		cmd := exec.Command(filepath.Join(bin, "kafka-console-consumer.sh"), "--bootstrap-server", addr, "--topic", "sig", "--from-beginning")
		var errb bytes.Buffer
		cmd.Stderr = &errb
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		for i := 0; i < 3; i++ {
			if !sc.Scan() {
				t.Fatalf("%v: consumer printed %d lines; stderr %s", tc.sig, i, errb.String())
			}
		}
		// The exec'd script replaces itself with the binary, so the pid is the binary's.
		if err := cmd.Process.Signal(tc.sig); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			t.Fatalf("%v: consumer did not stop", tc.sig)
		}
		if got := cmd.ProcessState.ExitCode(); got != tc.code {
			t.Errorf("%v: exit %d, want %d; stderr %q", tc.sig, got, tc.code, errb.String())
		}
		if !strings.HasSuffix(errb.String(), "Processed a total of 3 messages\n") {
			t.Errorf("%v: stderr %q", tc.sig, errb.String())
		}
	}

	// `| head -1`: stdout closes after the first line. The consumer notices
	// at its next write: the records already printed may sit in the pipe, so
	// one more record is produced after the reader is gone.
	cmd := exec.Command(filepath.Join(bin, "kafka-console-consumer.sh"), "--bootstrap-server", addr, "--topic", "sig", "--from-beginning")
	var errb bytes.Buffer
	cmd.Stderr = &errb
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "line a\n" {
		t.Fatalf("first line %q, %v", line, err)
	}
	out.Close()
	produce(t, addr, "sig", 1)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("consumer did not stop after stdout closed")
	}
	if code := cmd.ProcessState.ExitCode(); code != 0 || !strings.Contains(errb.String(), "Unable to write to standard out, closing consumer.\n") {
		t.Errorf("closed stdout: exit %d, stderr %q", code, errb.String())
	}
}
