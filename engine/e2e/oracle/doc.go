// Package oracle runs real Apache Kafka 2.8.2 and Apache ZooKeeper as the
// oracle of the differential tests, and replays command lines recorded from
// them against our own binary.
//
// It is a test helper library: import it from _test.go files only.
//
// # The cache
//
// `make oracle-deps` (oracle.mk, deps/fetch.sh) resolves kafka_2.13 and
// kafka-tools 2.8.2 with every runtime dependency from Maven Central into
// $KAFKA_ORACLE_HOME/libs (default ~/.cache/kafkago/kafka-2.8.2), beside
// tools-log4j.properties and log4j.properties. The ZooKeeper client is pinned
// to 3.6.4 because the 3.5.9 client of the distribution cannot connect on
// JDK 17. [Home] reports the directory, or tells to run the make target.
//
// # Servers and tools
//
// [StartZooKeeper] starts ZooKeeper on 127.0.0.1 and a free port, preferring
// Debian's Apache ZooKeeper 3.8 (`make zookeeper-deps`) and falling back to the
// 3.6 server classes in the Kafka cache. [StartKafka] starts a Kafka 2.8.2
// broker (kafka.Kafka with the stock server.properties values) on it. Both
// stop what they started, by PID, in t.Cleanup, and skip the test with the
// name of the make target when their files are missing. [RunTool] runs one of
// Kafka's tool main classes the way bin/kafka-run-class.sh does.
//
// # Recorded cases
//
// testdata/oracle/<suite>.txt holds cases, each a list of steps:
//
//	# comment
//	broker auto.create.topics.enable=false   suite-wide broker override (before the first case)
//
//	case create-twice
//	run kafka-topics --create --bootstrap-server {bootstrap} --topic t1
//	check kafka-topics --create --bootstrap-server {bootstrap} --topic t1
//	sleep 2s
//	timeout 30s                              applies to the next run/check step
//	interrupt 5s                             next step gets Ctrl-C after 5s (expected)
//	filter 'CreateTime:[0-9]+' 'CreateTime:<TS>'   next step: regexp replace on its output
//	check kafka-console-producer --bootstrap-server {bootstrap} --topic t1 <<EOF
//	one line of stdin
//	EOF
//	file client.properties <<EOF             writes {tmp}/client.properties
//	linger.ms=5
//	EOF
//
// Words are split like a POSIX shell does ('single', "double" with \" and \\,
// backslash escapes); a trailing <<WORD takes the following lines up to WORD
// as standard input, byte for byte (a tab stays a tab). Placeholders
// {bootstrap}, {zookeeper} and {tmp} (a per-case directory) are substituted in
// arguments and, in reverse, in the output, so goldens never hold ports.
// `run` steps prepare state and their output is not compared; `check` steps are
// compared. Cases of a suite share one broker and run in file order, but each
// case must create what it needs, so that one case can run alone.
//
// `make oracle` (TestRecordOracle -oracle.record) starts ZooKeeper and Kafka
// once per suite, runs every case through Kafka's own tools and writes
// testdata/oracle/<suite>/<case>.golden. Goldens are never written from our
// own output: [Replay] only reads them, runs the same cases through a [Runner]
// (our binary, against servers the caller started) and reports a diff per
// checked step. Output on both sides passes through [Normalize] and the
// step's filters before it is compared.
//
// # Replaying against our binary
//
// From any _test.go in the module, with servers of your choice:
//
//	func TestTopicsLikeKafka(t *testing.T) {
//		s, err := oracle.LoadSuite("topics")
//		if err != nil {
//			t.Fatal(err)
//		}
//		zk := oracle.StartZooKeeper(t)              // or our ZooKeeper
//		bs := oracle.StartKafka(t, zk, s.Broker...) // or our broker, with s.Broker applied
//		oracle.Replay(t, "topics", oracle.Addrs{Bootstrap: bs, ZooKeeper: zk},
//			oracle.ExecRunner(kafkaBinary)) // runs `kafka <tool> args…`
//	}
//
// A [Runner] may also call the commands in-process: it receives the step's
// context (cancelled on the step's interrupt or timeout, which must act like
// Ctrl-C), the tool name, the expanded arguments and stdin, and returns a
// [Result]. `go test -run 'TestTopicsLikeKafka/create-existing'` replays one case.
package oracle
