package config

import "embed"

// DistFiles holds the config/ files of the distribution, with Kafka 2.8.2's
// keys and defaults: zookeeper.properties, server.properties,
// producer.properties, consumer.properties, tools-log4j.properties and
// log4j.properties, under the directory "dist" (e.g. "dist/server.properties").
// make dist copies them to dist/kafka/config/. It is read-only.
//
//go:embed dist/*.properties
var DistFiles embed.FS
