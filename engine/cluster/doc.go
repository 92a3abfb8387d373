// Package cluster is the single home of Kafka 2.8's data in ZooKeeper: the
// znode paths (paths.go), their JSON payloads byte for byte (json.go, with
// the map orders Kafka's Jackson output follows in jackson.go and props.go),
// replica assignment (assign.go), topic names and ids (topic.go, uuid.go),
// and the ZooKeeper operations of Kafka's KafkaZkClient/AdminZkClient that
// kafka-topics --zookeeper, kafka-configs --zookeeper, the broker and the
// controller use (admin.go), over a small ZK interface that go-zookeeper's
// *zk.Conn satisfies. MemZK (zktest.go) is an in-memory ZK for tests.
//
// Sources: Kafka 2.8.2's core/src/main/scala/kafka/zk/ZkData.scala,
// KafkaZkClient.scala, AdminZkClient.scala, kafka/admin/AdminUtils.scala,
// TopicCommand.scala and clients' internals/Topic.java and Uuid.java. Byte
// formats, assignments and messages are checked against the 2.8.2 jars
// (testdata/kafka-2.8.2-vectors.jsonl.gz); the shared ZK tests run against a
// real ZooKeeper when ZK_ADDR is set.
//
// Errors Kafka reports to users are *Error values wrapping a sentinel
// (errors.Is(err, ErrTopicExists)); KafkaMessage(err) gives Kafka's exact
// text, e.g. "Topic 'test' already exists.", and Error.Class the Java
// exception class Kafka logs.
package cluster
