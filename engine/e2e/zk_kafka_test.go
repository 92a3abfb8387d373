package e2e

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kafkago/kafka/config"
	"github.com/kafkago/kafka/engine/e2e/oracle"
	"github.com/kafkago/kafka/engine/zk"
)

// startOurZooKeeper runs our coordination server on addr ("127.0.0.1:0" for
// any port) with its data in dataDir, until stop is called.
func startOurZooKeeper(t *testing.T, addr, dataDir string) (string, func()) {
	t.Helper()
	cfg, _, err := config.LoadZooKeeper("", []string{"dataDir=" + dataDir, "maxClientCnxns=0", "4lw.commands.whitelist=*"})
	if err != nil {
		t.Fatal(err)
	}
	var ln net.Listener
	for i := 0; ; i++ { // a restart may find the port in TIME_WAIT for a moment
		ln, err = net.Listen("tcp", addr)
		if err == nil || i == 50 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	srv, err := zk.New(cfg, slog.New(slog.DiscardHandler), zk.WithListener(ln))
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(context.Background()) }()
	select {
	case <-srv.Ready():
	case err := <-errc:
		t.Fatalf("our ZooKeeper: %v", err)
	}
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		srv.Close()
		if err := <-errc; err != nil {
			t.Errorf("our ZooKeeper: %v", err)
		}
	}
	return srv.Addr().String(), stop
}

// TestKafkaBrokerOnOurZooKeeper starts a real Apache Kafka 2.8.2 broker on
// our coordination server: it must register, become controller, take a
// topic created through ZooKeeper by our kafka-topics and by Kafka's, serve
// a produce/consume round trip, and keep working across a restart of our
// server (its session and znodes come back from the dataDir).
func TestKafkaBrokerOnOurZooKeeper(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: needs Kafka 2.8.2 (make oracle-deps)")
	}
	if err := oracle.Available(); err != nil {
		t.Skipf("Kafka 2.8.2 oracle missing: %v", err)
	}
	bin := buildBin(t)
	dataDir := t.TempDir()
	zkAddr, stopZK := startOurZooKeeper(t, "127.0.0.1:0", dataDir)
	// Cleanups run last-registered first: this one, registered before the
	// broker's, stops whichever of our servers runs after the broker.
	t.Cleanup(func() { stopZK() })
	bootstrap := oracle.StartKafka(t, zkAddr) // waits until it is controller

	r := runScript(t, bin, "", "kafka-topics.sh", "--create", "--zookeeper", zkAddr, "--replication-factor", "1", "--partitions", "2", "--topic", "ours")
	if r.code != 0 || r.stdout != "Created topic ours.\n" {
		t.Fatalf("our kafka-topics --create: %+v", r)
	}
	res := oracle.RunTool(t, "kafka.admin.TopicCommand", "--create", "--zookeeper", zkAddr, "--replication-factor", "1", "--partitions", "1", "--topic", "theirs")
	if res.Exit != 0 || !strings.Contains(res.Stdout, "Created topic theirs.") {
		t.Fatalf("Kafka's kafka-topics --create: %+v", res)
	}
	res = oracle.RunTool(t, "kafka.admin.TopicCommand", "--describe", "--zookeeper", zkAddr, "--topic", "ours")
	if res.Exit != 0 || !strings.Contains(res.Stdout, "PartitionCount: 2") || !strings.Contains(res.Stdout, "Leader: 0") {
		t.Fatalf("describe: %+v", res)
	}
	roundTrip(t, bootstrap, "ours", "before restart")
	roundTrip(t, bootstrap, "theirs", "theirs")

	// Restart our server on the same port and data: the broker's session
	// resumes and the cluster keeps serving.
	stopZK()
	var zkAddr2 string
	zkAddr2, stopZK = startOurZooKeeper(t, zkAddr, dataDir)
	if zkAddr2 != zkAddr {
		t.Fatalf("restarted on %s, want %s", zkAddr2, zkAddr)
	}
	time.Sleep(2 * time.Second) // let the broker's client reconnect
	r = runScript(t, bin, "", "kafka-topics.sh", "--list", "--zookeeper", zkAddr)
	if r.code != 0 || r.stdout != "ours\ntheirs\n" {
		t.Fatalf("list after restart: %+v", r)
	}
	r = runScript(t, bin, "", "kafka-topics.sh", "--create", "--zookeeper", zkAddr, "--replication-factor", "1", "--partitions", "1", "--topic", "after")
	if r.code != 0 {
		t.Fatalf("create after restart: %+v", r)
	}
	roundTrip(t, bootstrap, "after", "after restart")
}

// roundTrip produces one record to topic and consumes it back.
func roundTrip(t *testing.T, bootstrap, topic, value string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	p, err := kgo.NewClient(kgo.SeedBrokers(bootstrap), kgo.DefaultProduceTopic(topic))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := p.ProduceSync(ctx, &kgo.Record{Value: []byte(value)}).FirstErr(); err != nil {
		t.Fatalf("produce to %s: %v", topic, err)
	}
	c, err := kgo.NewClient(kgo.SeedBrokers(bootstrap), kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for {
		fs := c.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			t.Fatalf("consume %s: %v", topic, err)
		}
		found := false
		fs.EachRecord(func(r *kgo.Record) {
			if string(r.Value) == value {
				found = true
			}
		})
		if found {
			return
		}
	}
}
