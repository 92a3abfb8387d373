package oracle

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var (
	recordFlag = flag.Bool("oracle.record", false, "record testdata/oracle/<suite>/<case>.golden from real Kafka "+KafkaVersion+" (make oracle)")
	liveFlag   = flag.Bool("oracle.live", false, "replay the recorded suites against real Kafka "+KafkaVersion+" (make oracle-live)")
	suiteFlag  = flag.String("oracle.suite", "", "restrict -oracle.record and -oracle.live to this suite")
)

func selectedSuites(t *testing.T) []string {
	t.Helper()
	names, err := SuiteNames()
	if err != nil {
		t.Fatal(err)
	}
	if *suiteFlag == "" {
		return names
	}
	for _, n := range names {
		if n == *suiteFlag {
			return []string{n}
		}
	}
	t.Fatalf("no suite %q in testdata/oracle (have %s)", *suiteFlag, strings.Join(names, ", "))
	return nil
}

// TestRecordOracle writes the goldens from real Kafka: `make oracle`.
func TestRecordOracle(t *testing.T) {
	if !*recordFlag {
		t.Skip("recording goldens from real Kafka needs -oracle.record: run `make oracle`")
	}
	if err := Available(); err != nil {
		t.Fatal(err) // never skip silently when asked to record
	}
	for _, name := range selectedSuites(t) {
		t.Run(name, func(t *testing.T) {
			s, err := LoadSuite(name)
			if err != nil {
				t.Fatal(err)
			}
			zk := StartZooKeeper(t)
			addrs := Addrs{Bootstrap: StartKafka(t, zk, s.Broker...), ZooKeeper: zk}
			run := KafkaRunner(t)
			for _, c := range s.Cases {
				t.Run(c.Name, func(t *testing.T) {
					outs := RunCase(t, c, addrs, run)
					if t.Failed() {
						t.Fatalf("not writing the golden of %s", c.Name)
					}
					data, err := FormatGolden(s.Name, c, outs)
					if err != nil {
						t.Fatal(err)
					}
					p, err := GoldenPath(s.Name, c.Name)
					if err != nil {
						t.Fatal(err)
					}
					if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(p, data, 0o644); err != nil {
						t.Fatal(err)
					}
					t.Logf("wrote %s", p)
				})
			}
			removeOrphanGoldens(t, s)
		})
	}
}

// removeOrphanGoldens deletes goldens of cases no longer in the suite.
func removeOrphanGoldens(t *testing.T, s *Suite) {
	dir, err := DataDir()
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, s.Name, "*.golden"))
	for _, f := range files {
		if s.Case(strings.TrimSuffix(filepath.Base(f), ".golden")) == nil {
			if err := os.Remove(f); err != nil {
				t.Error(err)
			}
			t.Logf("removed %s: its case is gone", f)
		}
	}
}

// TestOracleSelfReplay replays every suite against real Kafka and compares
// with the goldens: it shows the recorded cases are deterministic. It is
// slow (a JVM per step); `make oracle-live` runs it.
func TestOracleSelfReplay(t *testing.T) {
	if !*liveFlag {
		t.Skip("replaying the suites against real Kafka needs -oracle.live: run `make oracle-live`")
	}
	if err := Available(); err != nil {
		t.Fatal(err)
	}
	for _, name := range selectedSuites(t) {
		t.Run(name, func(t *testing.T) {
			s, err := LoadSuite(name)
			if err != nil {
				t.Fatal(err)
			}
			zk := StartZooKeeper(t)
			addrs := Addrs{Bootstrap: StartKafka(t, zk, s.Broker...), ZooKeeper: zk}
			Replay(t, name, addrs, KafkaRunner(t))
		})
	}
}

// TestGoldensUpToDate needs no Java: every case has a golden recorded from
// its current text, and every golden has a case.
func TestGoldensUpToDate(t *testing.T) {
	names, err := SuiteNames()
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("no suites in testdata/oracle")
	}
	for _, name := range names {
		s, err := LoadSuite(name)
		if err != nil {
			t.Error(err)
			continue
		}
		for _, c := range s.Cases {
			g, err := LoadGolden(name, c)
			if err != nil {
				t.Error(err)
				continue
			}
			if g.Suite != name || g.Case != c.Name {
				t.Errorf("%s/%s.golden names %s/%s", name, c.Name, g.Suite, g.Case)
			}
			for i, chk := range c.Checks() {
				if g.Checks[i].Command != chk.Text {
					t.Errorf("%s/%s.golden check %d is %q, the case says %q", name, c.Name, i+1, g.Checks[i].Command, chk.Text)
				}
			}
		}
		dir, _ := DataDir()
		files, _ := filepath.Glob(filepath.Join(dir, name, "*.golden"))
		for _, f := range files {
			if s.Case(strings.TrimSuffix(filepath.Base(f), ".golden")) == nil {
				t.Errorf("%s has no case in %s.txt: run `make oracle`", f, name)
			}
		}
	}
}

// TestOracleSmoke starts real ZooKeeper and Kafka and runs kafka-topics in
// both modes. It runs in `make test` once `make oracle-deps` has run.
func TestOracleSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a JVM broker")
	}
	if err := Available(); err != nil {
		t.Skipf("%v", err)
	}
	zk := StartZooKeeper(t)
	if out, err := FourLetterWord(zk, "ruok", 2*time.Second); err != nil || out != "imok" {
		t.Errorf("ruok = %q, %v", out, err)
	}
	bs := StartKafka(t, zk)

	res := RunTool(t, "kafka.admin.TopicCommand", "--create", "--bootstrap-server", bs, "--topic", "smoke.t", "--partitions", "2", "--replication-factor", "1")
	wantCreate := "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.\nCreated topic smoke.t.\n"
	if res.Exit != 0 || res.Stdout != wantCreate || Normalize(res.Stderr) != "" {
		t.Fatalf("create: %+v", res)
	}
	res = RunTool(t, "kafka.admin.TopicCommand", "--describe", "--zookeeper", zk, "--topic", "smoke.t")
	want := "Topic: smoke.t\tTopicId: <ID>\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: \n" +
		"\tTopic: smoke.t\tPartition: 0\tLeader: 0\tReplicas: 0\tIsr: 0\n" +
		"\tTopic: smoke.t\tPartition: 1\tLeader: 0\tReplicas: 0\tIsr: 0\n"
	if res.Exit != 0 || Normalize(res.Stdout) != want {
		t.Fatalf("describe --zookeeper: exit %d\n%s\nstderr:\n%s", res.Exit, res.Stdout, res.Stderr)
	}
	res = RunToolInput(t, "a\nb\n", "kafka.tools.ConsoleProducer", "--bootstrap-server", bs, "--topic", "smoke.t")
	if res.Exit != 0 {
		t.Fatalf("producer: %+v", res)
	}
	res = RunTool(t, "kafka.tools.ConsoleConsumer", "--bootstrap-server", bs, "--topic", "smoke.t",
		"--from-beginning", "--max-messages", "2")
	// Under heavy load the clients may log WARN lines first; the total is last.
	if res.Exit != 0 || !strings.HasSuffix(res.Stderr, "Processed a total of 2 messages\n") || len(res.Stdout) != 4 {
		t.Fatalf("consumer: %+v", res)
	}
}

func TestHomeMissing(t *testing.T) {
	t.Setenv(HomeEnv, t.TempDir())
	_, err := Home()
	if !errors.Is(err, ErrNotDownloaded) || !strings.Contains(err.Error(), DepsTarget) {
		t.Errorf("Home() error = %v", err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, markerFile), []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(HomeEnv, dir)
	if got, err := Home(); err != nil || got != dir {
		t.Errorf("Home() = %q, %v", got, err)
	}
}

// TestZooKeeperFromKafkaCache runs the fallback ZooKeeper (3.6 server classes
// from the Kafka cache) used where Debian's package is not installed.
func TestZooKeeperFromKafkaCache(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a JVM")
	}
	dist, err := kafkaCacheZooKeeper()
	if err != nil {
		t.Skipf("%v", err)
	}
	zk := startZooKeeper(t, dist)
	out, err := FourLetterWord(zk, "srvr", 2*time.Second)
	if err != nil || !strings.Contains(out, "Zookeeper version: 3.6.") {
		t.Errorf("srvr = %q, %v", out, err)
	}
}
