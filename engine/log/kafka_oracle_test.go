package log

import (
	"bytes"
	"encoding/binary"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Real Apache Kafka 2.8.2 is the oracle for the on-disk format: the same
// appends go through its kafka.log.Log (testdata/kafka/LogWriter.java, run
// on the jars `make oracle-deps` caches) and through ours, and the files must
// be identical. Kafka's output is recorded under testdata/kafka/<scenario>/
// with -kafka.record, so the comparison, and opening a Kafka-written
// directory, also run where no Java is installed.
var recordKafka = flag.Bool("kafka.record", false, "re-record testdata/kafka/ from real Kafka 2.8.2 (needs java and `make oracle-deps`)")

// oracleOp is one step of a scenario.
type oracleOp struct {
	kind    byte // 'L' leader append, 'F' follower append, 'T' topic id, 'X' truncate, 'H' high watermark
	epoch   int32
	data    []byte
	topicID string
	offset  int64
}

type oracleScenario struct {
	name   string
	config map[string]string // Kafka topic configs
	ops    []oracleOp
}

// goConfig maps the scenario's Kafka configs onto a Config.
func (sc oracleScenario) goConfig(t testing.TB) Config {
	cfg := DefaultConfig()
	cfg.FileDeleteDelayMs = 0
	for k, v := range sc.config {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		switch k {
		case "segment.bytes":
			cfg.SegmentBytes = int32(n)
		case "segment.index.bytes":
			cfg.SegmentIndexBytes = int32(n)
		case "index.interval.bytes":
			cfg.IndexIntervalBytes = int32(n)
		default:
			t.Fatalf("unmapped config %s", k)
		}
	}
	return cfg
}

// encode writes the ops file LogWriter reads.
func (sc oracleScenario) encode() []byte {
	var b []byte
	for _, op := range sc.ops {
		b = append(b, op.kind)
		switch op.kind {
		case 'L':
			b = binary.BigEndian.AppendUint32(b, uint32(op.epoch))
			fallthrough
		case 'F':
			b = binary.BigEndian.AppendUint32(b, uint32(len(op.data)))
			b = append(b, op.data...)
		case 'T':
			b = binary.BigEndian.AppendUint16(b, uint16(len(op.topicID)))
			b = append(b, op.topicID...)
		case 'X', 'H':
			b = binary.BigEndian.AppendUint64(b, uint64(op.offset))
		}
	}
	return b
}

// runOurs applies the scenario to our Log in dir and closes it.
func (sc oracleScenario) runOurs(t testing.TB, dir string) {
	t.Helper()
	l, err := Open(dir, sc.goConfig(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, op := range sc.ops {
		switch op.kind {
		case 'L':
			_, err = l.Append(bytes.Clone(op.data), op.epoch)
		case 'F':
			_, err = l.AppendAsFollower(bytes.Clone(op.data))
		case 'T':
			var id TopicID
			if id, err = ParseTopicID(op.topicID); err == nil {
				err = l.SetTopicID(id)
			}
		case 'X':
			_, err = l.TruncateTo(op.offset)
		case 'H':
			l.SetHighWatermark(op.offset)
		}
		if err != nil {
			t.Fatalf("op %d (%c): %v", i, op.kind, err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
}

// oracleScenarios: leader appends of single batches (what produce requests
// bring), compressed with every codec; follower appends of several batches
// at once, with a gap, a truncation and a new epoch.
func oracleScenarios(t testing.TB) []oracleScenario {
	cfg := map[string]string{"segment.bytes": "2048", "index.interval.bytes": "200", "segment.index.bytes": "1024"}
	leader := oracleScenario{name: "leader", config: cfg}
	leader.ops = append(leader.ops, oracleOp{kind: 'T', topicID: goldenTopicID})
	appends, epochs := goldenBatches(t)
	var stored []Batch // the batches with offsets and epochs, for the follower
	next := int64(0)
	for i, a := range appends {
		for it := IterBatches(a); it.Next(); {
			b := Batch(bytes.Clone(it.Batch()))
			leader.ops = append(leader.ops, oracleOp{kind: 'L', epoch: epochs[i], data: bytes.Clone(b)})
			b.SetBaseOffset(next)
			b.SetPartitionLeaderEpoch(epochs[i])
			next = b.NextOffset()
			stored = append(stored, b)
		}
	}
	for i, c := range []Compression{CompressionGzip, CompressionSnappy, CompressionLZ4, CompressionZstd} {
		b := buildBatch(t, batchSpec{records: recs(5+i, 30, 1_764_064_803_000+int64(i)*100, 13-int64(i)*9), compression: c})
		leader.ops = append(leader.ops, oracleOp{kind: 'L', epoch: 4, data: b})
	}
	leader.ops = append(leader.ops, oracleOp{kind: 'H', offset: next - 3})

	follower := oracleScenario{name: "follower", config: cfg}
	follower.ops = append(follower.ops, oracleOp{kind: 'T', topicID: goldenTopicID})
	for i := 0; i < len(stored); i += 3 {
		var set []byte
		for _, b := range stored[i:min(i+3, len(stored))] {
			set = append(set, b...)
		}
		follower.ops = append(follower.ops, oracleOp{kind: 'F', data: set})
	}
	// A gap, as compaction leaves: the next batch starts 50 offsets later.
	gap := Batch(simpleBatch(t, 2, 30, 1_764_064_810_000))
	gap.SetBaseOffset(next + 50)
	gap.SetPartitionLeaderEpoch(5)
	follower.ops = append(follower.ops, oracleOp{kind: 'F', data: bytes.Clone(gap)})
	// Truncate into the middle of the log (a batch boundary), then a new epoch.
	cut := stored[len(stored)/2].BaseOffset()
	follower.ops = append(follower.ops, oracleOp{kind: 'X', offset: cut})
	for i := 0; i < 4; i++ {
		b := Batch(simpleBatch(t, 3, 50, 1_764_064_820_000+int64(i)*10))
		b.SetBaseOffset(cut + int64(i)*3)
		b.SetPartitionLeaderEpoch(7)
		follower.ops = append(follower.ops, oracleOp{kind: 'F', data: bytes.Clone(b)})
	}
	follower.ops = append(follower.ops, oracleOp{kind: 'H', offset: cut + 12})
	return []oracleScenario{leader, follower}
}

// kafkaJava returns the java and javac launchers and Kafka 2.8.2's libs
// directory, or skips the test.
func kafkaJava(t testing.TB) (java, javac, libs string) {
	t.Helper()
	home := os.Getenv("KAFKA_ORACLE_HOME")
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			t.Skip("no home directory for the Kafka cache")
		}
		home = filepath.Join(h, ".cache", "kafkago", "kafka-2.8.2")
	}
	if _, err := os.Stat(filepath.Join(home, ".complete")); err != nil {
		t.Skipf("Kafka 2.8.2 is not downloaded in %s (make oracle-deps)", home)
	}
	bin := func(name string) string {
		if jh := os.Getenv("JAVA_HOME"); jh != "" {
			if p := filepath.Join(jh, "bin", name); fileExists(p) {
				return p
			}
		}
		p, err := exec.LookPath(name)
		if err != nil {
			t.Skipf("no %s on PATH", name)
		}
		return p
	}
	return bin("java"), bin("javac"), filepath.Join(home, "libs")
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// runKafka writes the scenario with Kafka's Log into dir.
func runKafka(t testing.TB, sc oracleScenario, dir string) {
	t.Helper()
	java, javac, libs := kafkaJava(t)
	classes := t.TempDir()
	cp := filepath.Join(libs, "*")
	if out, err := exec.Command(javac, "-d", classes, "-cp", cp, filepath.Join("testdata", "kafka", "LogWriter.java")).CombinedOutput(); err != nil {
		t.Fatalf("javac: %v\n%s", err, out)
	}
	ops := filepath.Join(t.TempDir(), "ops")
	if err := os.WriteFile(ops, sc.encode(), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-cp", cp + string(os.PathListSeparator) + classes, "-Dlog4j.configuration=file:" + filepath.Join(filepath.Dir(libs), "tools-log4j.properties"), "LogWriter", dir, ops}
	keys := make([]string, 0, len(sc.config))
	for k := range sc.config {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		args = append(args, k+"="+sc.config[k])
	}
	out, err := exec.Command(java, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("LogWriter: %v\n%s", err, out)
	}
	t.Logf("kafka: %s", bytes.TrimSpace(out))
}

// comparable lists the files both sides must agree on: everything but
// Kafka's producer state snapshots, which this slice does not write, and
// segments waiting out file.delete.delay.ms (.deleted).
func comparable(t testing.TB, dir string) []string {
	var out []string
	for _, f := range listFiles(t, dir) {
		if !strings.HasSuffix(f, ".snapshot") && !strings.HasSuffix(f, DeletedFileSuffix) {
			out = append(out, f)
		}
	}
	return out
}

// compareDirs checks that ours holds exactly kafka's files (but snapshots),
// byte for byte.
func compareDirs(t *testing.T, ours, kafka string) {
	t.Helper()
	got, want := comparable(t, ours), comparable(t, kafka)
	if !slices.Equal(got, want) {
		t.Errorf("files differ:\nours  %v\nkafka %v", got, want)
	}
	for _, f := range want {
		o, err := os.ReadFile(filepath.Join(ours, f))
		if err != nil {
			continue
		}
		k := fileBytes(t, filepath.Join(kafka, f))
		if !bytes.Equal(o, k) {
			t.Errorf("%s differs from Kafka's: %d bytes vs %d\nours:  %x\nkafka: %x", f, len(o), len(k), head(o), head(k))
		}
	}
}

// TestKafkaOracleLive runs every scenario through real Kafka and through our
// Log and compares the files; -kafka.record stores Kafka's output.
func TestKafkaOracleLive(t *testing.T) {
	kafkaJava(t)
	for _, sc := range oracleScenarios(t) {
		t.Run(sc.name, func(t *testing.T) {
			kafka := filepath.Join(t.TempDir(), "oracle-0")
			runKafka(t, sc, kafka)
			ours := filepath.Join(t.TempDir(), "oracle-0")
			sc.runOurs(t, ours)
			compareDirs(t, ours, kafka)
			if *recordKafka {
				dst := filepath.Join("testdata", "kafka", sc.name)
				if err := os.RemoveAll(dst); err != nil {
					t.Fatal(err)
				}
				if err := os.CopyFS(dst, os.DirFS(kafka)); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// TestKafkaRecorded compares our files with the recorded Kafka output, then
// opens Kafka's directory with our Log: it must read back every batch, agree
// with its indexes, and take appends.
func TestKafkaRecorded(t *testing.T) {
	for _, sc := range oracleScenarios(t) {
		t.Run(sc.name, func(t *testing.T) {
			recorded := filepath.Join("testdata", "kafka", sc.name)
			if _, err := os.Stat(recorded); err != nil {
				t.Fatalf("no recording: %v (run TestKafkaOracleLive with -kafka.record)", err)
			}
			ours := filepath.Join(t.TempDir(), "oracle-0")
			sc.runOurs(t, ours)
			compareDirs(t, ours, recorded)

			mine := openTest(t, ours, sc.goConfig(t))
			want := readAll(t, mine, 0)
			if err := mine.Close(); err != nil {
				t.Fatal(err)
			}
			// Open Kafka's directory (a copy) after a clean shutdown, and
			// after an unclean one with recovery from offset 0.
			for _, rec := range []Recovery{{CleanShutdown: true}, {}} {
				dir := filepath.Join(t.TempDir(), "oracle-0")
				if err := os.CopyFS(dir, os.DirFS(recorded)); err != nil {
					t.Fatal(err)
				}
				cfg := sc.goConfig(t)
				cfg.Recovery = rec
				l := openTest(t, dir, cfg)
				got := readAll(t, l, 0)
				if len(got) != len(want) {
					t.Fatalf("%d batches from Kafka's dir, %d from ours", len(got), len(want))
				}
				for i := range got {
					if !bytes.Equal(got[i], want[i]) {
						t.Fatalf("batch %d differs", i)
					}
				}
				checkConsistent(t, l)
				if !slices.Equal(l.LeaderEpochs(), func() []EpochEntry {
					data := fileBytes(t, filepath.Join(recorded, LeaderEpochCheckpointFile))
					e, _ := ParseLeaderEpochCheckpoint(data)
					return e
				}()) {
					t.Fatalf("epochs %v", l.LeaderEpochs())
				}
				if id, ok := l.TopicID(); !ok || id.String() != goldenTopicID {
					t.Fatalf("topic id %v", id)
				}
				mustAppend(t, l, simpleBatch(t, 2, 10, 1), 9)
				if err := l.Close(); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}
