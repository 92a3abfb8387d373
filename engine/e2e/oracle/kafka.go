package oracle

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// KafkaStartTimeout bounds the wait for a started broker to serve.
const KafkaStartTimeout = 90 * time.Second

// startedLine is what KafkaServer logs once startup has completed.
const startedLine = "started (kafka.server.KafkaServer)"

// StartKafka starts a real Kafka 2.8.2 broker (kafka.Kafka) with broker.id=0,
// a PLAINTEXT listener on 127.0.0.1 and a free port, log.dirs under
// t.TempDir(), zookeeper.connect=zkAddr (a chroot suffix is passed through and
// created by the broker), and otherwise the values of the distribution's
// config/server.properties. overrides are "key=value" lines appended after
// those (the last occurrence of a key wins, as in a .properties file). It
// waits until the broker logs "started" and a Metadata request names it as
// controller, and returns the bootstrap address "127.0.0.1:port". t.Cleanup
// stops that one process. The test is skipped when Java or the cache is missing.
func StartKafka(t testing.TB, zkAddr string, overrides ...string) string {
	t.Helper()
	env := requireKafka(t)
	if zkAddr == "" {
		t.Fatal("oracle: StartKafka needs a ZooKeeper address")
	}
	for _, o := range overrides {
		if !strings.Contains(o, "=") {
			t.Fatalf("oracle: broker override %q is not key=value", o)
		}
	}
	dir := t.TempDir()
	const attempts = 3
	for attempt := 1; ; attempt++ {
		start := time.Now()
		addr, srv, err := startKafkaOnce(env, filepath.Join(dir, strconv.Itoa(attempt)), zkAddr, overrides)
		if err == nil {
			t.Cleanup(func() {
				begin := time.Now()
				srv.stop(30 * time.Second)
				t.Logf("oracle: Kafka on %s stopped in %v", addr, time.Since(begin).Round(time.Millisecond))
			})
			t.Logf("oracle: Kafka %s on %s (pid %d, ZooKeeper %s) ready in %v",
				KafkaVersion, addr, srv.pid(), zkAddr, time.Since(start).Round(time.Millisecond))
			return addr
		}
		if srv != nil && bindFailed(srv.log()) && attempt < attempts {
			continue
		}
		t.Fatalf("%v", err)
	}
}

// brokerProperties is the distribution's config/server.properties, in file
// order, with our listener, log dir and ZooKeeper.
func brokerProperties(port int, logDir, zkAddr string) [][2]string {
	return [][2]string{
		{"broker.id", "0"},
		{"listeners", "PLAINTEXT://127.0.0.1:" + strconv.Itoa(port)},
		{"num.network.threads", "3"},
		{"num.io.threads", "8"},
		{"socket.send.buffer.bytes", "102400"},
		{"socket.receive.buffer.bytes", "102400"},
		{"socket.request.max.bytes", "104857600"},
		{"log.dirs", logDir},
		{"num.partitions", "1"},
		{"num.recovery.threads.per.data.dir", "1"},
		{"offsets.topic.replication.factor", "1"},
		{"transaction.state.log.replication.factor", "1"},
		{"transaction.state.log.min.isr", "1"},
		{"log.retention.hours", "168"},
		{"log.segment.bytes", "1073741824"},
		{"log.retention.check.interval.ms", "300000"},
		{"zookeeper.connect", zkAddr},
		{"zookeeper.connection.timeout.ms", "18000"},
		{"group.initial.rebalance.delay.ms", "0"},
	}
}

func startKafkaOnce(env kafkaEnv, dir, zkAddr string, overrides []string) (string, *server, error) {
	logs := filepath.Join(dir, "logs")
	if err := os.MkdirAll(logs, 0o755); err != nil {
		return "", nil, err
	}
	port, err := freePort()
	if err != nil {
		return "", nil, err
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	props := brokerProperties(port, filepath.Join(dir, "kafka-logs"), zkAddr)
	for _, o := range overrides {
		k, v, _ := strings.Cut(o, "=")
		props = append(props, [2]string{k, v})
	}
	cfg := filepath.Join(dir, "server.properties")
	if err := writeProperties(cfg, props); err != nil {
		return "", nil, err
	}
	argv := []string{env.java,
		"-Xmx512m", "-Xms512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
		"-Djava.awt.headless=true",
		"-Dkafka.logs.dir=" + logs,
		"-Dlog4j.configuration=file:" + filepath.Join(env.home, brokerLog4j),
		"-cp", env.classpath(),
		"kafka.Kafka", cfg,
	}
	srv, err := startServer("kafka", argv, filepath.Join(dir, "kafka.out"))
	if err != nil {
		return "", nil, err
	}
	deadline := time.Now().Add(KafkaStartTimeout)
	started := false
	for {
		if srv.exited() {
			return "", srv, fmt.Errorf("oracle: Kafka exited during startup: %v\n%s", srv.waitErr, srv.logTail(40))
		}
		if !started {
			started = strings.Contains(srv.log(), startedLine)
		}
		if started && brokerIsController(addr, 0) {
			return addr, srv, nil
		}
		if time.Now().After(deadline) {
			srv.stop(10 * time.Second)
			return "", srv, fmt.Errorf("oracle: Kafka on %s not ready after %v (started line seen: %v)\n%s",
				addr, KafkaStartTimeout, started, srv.logTail(40))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// brokerIsController sends a Metadata request to addr and reports whether the
// broker answers with itself (id) as a live broker and as the controller.
func brokerIsController(addr string, id int32) bool {
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.MetadataMinAge(10*time.Millisecond))
	if err != nil {
		return false
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req := kmsg.NewPtrMetadataRequest()
	req.Topics = []kmsg.MetadataRequestTopic{} // no topics, not all topics
	resp, err := req.RequestWith(ctx, cl)
	if err != nil || resp.ControllerID != id {
		return false
	}
	for _, b := range resp.Brokers {
		if b.NodeID == id {
			return true
		}
	}
	return false
}
