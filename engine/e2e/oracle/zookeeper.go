package oracle

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// ZooKeeperStartTimeout bounds the wait for a started ZooKeeper to serve.
const ZooKeeperStartTimeout = 60 * time.Second

// zkDist is a ZooKeeper server installation we can launch.
type zkDist struct {
	desc      string   // for logs and failure messages
	java      string   // launcher
	classpath []string // joined with ':'
}

// findZooKeeper prefers Debian's Apache ZooKeeper 3.8 (`make zookeeper-deps`)
// and falls back to the ZooKeeper 3.6 server classes in the Kafka cache.
func findZooKeeper() (zkDist, error) {
	java, err := Java()
	if err != nil {
		return zkDist{}, err
	}
	if _, err := os.Stat(debianZKJar); err == nil {
		// The jar's manifest Class-Path names its dependencies; add a log4j
		// binding when Debian has one so the server logs instead of SLF4J's
		// "defaulting to no-operation" notice.
		cp := []string{debianZKJar}
		if fileExists(debianSLF4JJar) && fileExists(debianLog4jJar) {
			cp = append(cp, debianSLF4JJar, debianLog4jJar)
		}
		return zkDist{desc: "Debian's Apache ZooKeeper (" + debianZKJar + ")", java: java, classpath: cp}, nil
	}
	if d, err := kafkaCacheZooKeeper(); err == nil {
		return d, nil
	}
	return zkDist{}, fmt.Errorf("oracle: no Apache ZooKeeper to run: %s is missing (run `%s`) and so is the Kafka cache (run `%s`)",
		debianZKJar, ZooKeeperTarget, DepsTarget)
}

// kafkaCacheZooKeeper is the ZooKeeper server shipped as Kafka's client library.
func kafkaCacheZooKeeper() (zkDist, error) {
	env, err := lookupKafka()
	if err != nil {
		return zkDist{}, err
	}
	return zkDist{
		desc:      "the ZooKeeper server classes in the Kafka cache (" + env.home + ")",
		java:      env.java,
		classpath: []string{env.classpath()},
	}, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// StartZooKeeper starts a standalone Apache ZooKeeper on 127.0.0.1 and a free
// port with a fresh dataDir under t.TempDir(), waits until it serves, and
// returns its "127.0.0.1:port". t.Cleanup stops that process (by PID). The
// test is skipped when neither Debian's ZooKeeper nor the Kafka cache exists.
func StartZooKeeper(t testing.TB) string {
	t.Helper()
	dist, err := findZooKeeper()
	if err != nil {
		t.Skipf("%v", err)
	}
	return startZooKeeper(t, dist)
}

func startZooKeeper(t testing.TB, dist zkDist) string {
	t.Helper()
	dir := t.TempDir()
	const attempts = 3
	for attempt := 1; ; attempt++ {
		addr, srv, err := startZooKeeperOnce(dist, filepath.Join(dir, strconv.Itoa(attempt)))
		if err == nil {
			t.Cleanup(func() { srv.stop(10 * time.Second) })
			t.Logf("oracle: ZooKeeper on %s (pid %d, %s)", addr, srv.pid(), dist.desc)
			return addr
		}
		if srv != nil && bindFailed(srv.log()) && attempt < attempts {
			continue // someone took the port between our probe and the bind
		}
		t.Fatalf("%v", err)
	}
}

func startZooKeeperOnce(dist zkDist, dir string) (string, *server, error) {
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		return "", nil, err
	}
	port, err := freePort()
	if err != nil {
		return "", nil, err
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	cfg := filepath.Join(dir, "zoo.cfg")
	if err := writeProperties(cfg, [][2]string{
		{"tickTime", "2000"},
		{"dataDir", filepath.Join(dir, "data")},
		{"clientPort", strconv.Itoa(port)},
		{"clientPortAddress", "127.0.0.1"},
		{"maxClientCnxns", "0"},
		{"admin.enableServer", "false"},
		{"4lw.commands.whitelist", "*"},
		// The default provider needs Dropwizard metrics, which the Kafka
		// cache lacks; metrics are of no use to the tests anyway.
		{"metricsProvider.className", "org.apache.zookeeper.metrics.impl.NullMetricsProvider"},
	}); err != nil {
		return "", nil, err
	}
	log4j := filepath.Join(dir, "log4j.properties")
	if err := os.WriteFile(log4j, []byte(consoleLog4j("INFO")), 0o644); err != nil {
		return "", nil, err
	}
	argv := []string{dist.java,
		"-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
		"-Djava.awt.headless=true",
		"-Dzookeeper.jmx.log4j.disable=true",
		"-Dlog4j.configuration=file:" + log4j,
		"-cp", strings.Join(dist.classpath, ":"),
		"org.apache.zookeeper.server.ZooKeeperServerMain", cfg,
	}
	srv, err := startServer("zookeeper", argv, filepath.Join(dir, "zookeeper.out"))
	if err != nil {
		return "", nil, err
	}
	deadline := time.Now().Add(ZooKeeperStartTimeout)
	for {
		if srv.exited() {
			return "", srv, fmt.Errorf("oracle: ZooKeeper (%s) exited during startup: %v\n%s", dist.desc, srv.waitErr, srv.logTail(30))
		}
		if zkServing(addr) {
			return addr, srv, nil
		}
		if time.Now().After(deadline) {
			srv.stop(5 * time.Second)
			return "", srv, fmt.Errorf("oracle: ZooKeeper on %s not serving after %v\n%s", addr, ZooKeeperStartTimeout, srv.logTail(30))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// zkServing asks the four-letter word srvr; a serving standalone server
// answers with its mode ("not currently serving requests" otherwise).
func zkServing(addr string) bool {
	out, err := FourLetterWord(addr, "srvr", 2*time.Second)
	return err == nil && strings.Contains(out, "Mode: standalone")
}

// FourLetterWord sends a ZooKeeper four-letter command (ruok, srvr, stat, …)
// to addr and returns the whole answer.
func FourLetterWord(addr, cmd string, timeout time.Duration) (string, error) {
	c, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return "", err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(timeout))
	if _, err := io.WriteString(c, cmd); err != nil {
		return "", err
	}
	b, err := io.ReadAll(bufio.NewReader(c))
	return string(b), err
}

// consoleLog4j is a log4j 1.x configuration that logs at level and above to
// the console, in Kafka's pattern.
func consoleLog4j(level string) string {
	return "log4j.rootLogger=" + level + ", stdout\n" +
		"log4j.appender.stdout=org.apache.log4j.ConsoleAppender\n" +
		"log4j.appender.stdout.layout=org.apache.log4j.PatternLayout\n" +
		"log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n\n"
}
