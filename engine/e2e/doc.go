// Package e2e holds end-to-end tests: the real kafka binary, built by the
// test, driven under its bin/ script names against real servers (Apache
// Kafka 2.8.2 and Apache ZooKeeper from engine/e2e/oracle today; our own
// servers as their issues land).
package e2e
