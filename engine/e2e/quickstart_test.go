package e2e

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kafkago/kafka/engine/e2e/oracle"
)

// buildBin builds cmd/kafka into a temp bin/ and links every script name of
// the quickstart to it, as dist/kafka/bin holds them.
func buildBin(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "bin")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("go", "build", "-o", filepath.Join(dir, "kafka"), "../../cmd/kafka").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, n := range []string{"kafka-topics", "kafka-console-producer", "kafka-console-consumer"} {
		script := "#!/bin/sh\nexec \"$(dirname \"$0\")/kafka\" " + n + " \"$@\"\n"
		if err := os.WriteFile(filepath.Join(dir, n+".sh"), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

type result struct {
	stdout, stderr string
	code           int
}

func runScript(t *testing.T, bin, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(bin, args[0]), args[1:]...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	if ctx.Err() != nil {
		t.Fatalf("%v: did not finish in 90s", args)
	}
	return result{out.String(), errb.String(), code}
}

// TestQuickstartAgainstApacheKafka runs the classic quickstart's client steps,
// verbatim, through the built binary's script names against a real Apache
// ZooKeeper and a real Apache Kafka 2.8.2 broker.
func TestQuickstartAgainstApacheKafka(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: needs real ZooKeeper and Kafka 2.8.2 (make oracle-deps zookeeper-deps)")
	}
	bin := buildBin(t)
	zk := oracle.StartZooKeeper(t)
	bootstrap := oracle.StartKafka(t, zk)

	r := runScript(t, bin, "", "kafka-topics.sh", "--create", "--zookeeper", zk, "--replication-factor", "1", "--partitions", "1", "--topic", "test")
	if r.code != 0 || r.stdout != "Created topic test.\n" {
		t.Fatalf("create: %+v", r)
	}
	r = runScript(t, bin, "", "kafka-topics.sh", "--list", "--zookeeper", zk)
	if r.code != 0 || r.stdout != "test\n" {
		t.Fatalf("list: %+v", r)
	}
	r = runScript(t, bin, "", "kafka-topics.sh", "--create", "--bootstrap-server", bootstrap, "--replication-factor", "1", "--partitions", "1", "--topic", "test")
	if r.code != 1 || r.stdout != "Error while executing topic command : Topic 'test' already exists.\n" ||
		!regexp.MustCompile(`(?m)^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] ERROR org.apache.kafka.common.errors.TopicExistsException: Topic 'test' already exists.\n \(kafka.admin.TopicCommand\$\)\n$`).MatchString(r.stderr) {
		t.Fatalf("create again: %+v", r)
	}
	// The controller assigns the leader asynchronously; describe until it has one.
	var desc result
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		desc = runScript(t, bin, "", "kafka-topics.sh", "--describe", "--bootstrap-server", bootstrap, "--topic", "test")
		if strings.Contains(desc.stdout, "Leader: 0") {
			break
		}
	}
	want := regexp.MustCompile("^Topic: test\tTopicId: [A-Za-z0-9_-]{22}\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: segment.bytes=1073741824\n\tTopic: test\tPartition: 0\tLeader: 0\tReplicas: 0\tIsr: 0\n$")
	if desc.code != 0 || !want.MatchString(desc.stdout) {
		t.Fatalf("describe: %+v", desc)
	}
	r = runScript(t, bin, "This is my first event\nThis is my second event\n", "kafka-console-producer.sh", "--broker-list", bootstrap, "--topic", "test")
	if r.code != 0 || r.stdout != "" {
		t.Fatalf("producer: %+v", r)
	}
	r = runScript(t, bin, "", "kafka-console-consumer.sh", "--bootstrap-server", bootstrap, "--topic", "test", "--from-beginning", "--max-messages", "2")
	if r.code != 0 || r.stdout != "This is my first event\nThis is my second event\n" || !strings.HasSuffix(r.stderr, "Processed a total of 2 messages\n") {
		t.Fatalf("consumer: %+v", r)
	}
	r = runScript(t, bin, "", "kafka-console-consumer.sh", "--bootstrap-server", bootstrap, "--topic", "test", "--partition", "0", "--offset", "1",
		"--property", "print.offset=true", "--property", "print.key=true", "--timeout-ms", "3000")
	if r.code != 0 || r.stdout != "Offset:1\tnull\tThis is my second event\n" || !strings.HasSuffix(r.stderr, "Processed a total of 1 messages\n") {
		t.Fatalf("consumer --partition --offset: %+v", r)
	}
}
