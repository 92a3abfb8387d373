// Package config reads the configuration files of the Kafka 2.8 tools and
// servers and turns them into typed, immutable structs.
//
// # Formats
//
// ParseProperties reads java.util.Properties files exactly as Java does
// (ISO-8859-1, '=' ':' or blank separators, '#'/'!' comments, backslash
// continuations and escapes), keeping each entry's line number.
// ParseKeyValueArgs reads k=v command-line arguments as Kafka's
// CommandLineUtils.parseKeyValueArgs does (--override, --property, ...).
// ParseTOML reads TOML, flattening tables into dotted Kafka keys, so that a
// file ending in .toml can stand wherever a .properties file does.
//
// # Registries
//
// Each kind of configuration has a Registry: one Def per key with its name,
// Kafka's default (or none), documentation, Type, validators and a setter
// into the typed struct. BrokerRegistry (server.properties),
// ZooKeeperRegistry (zookeeper.properties), ProducerRegistry,
// ConsumerRegistry, AdminRegistry (--command-config) and TopicRegistry
// (per-topic configs) are built by functions; nothing in the package is a
// mutable global.
//
// A load applies layers in order: the registry's defaults, then a file
// (.properties, or TOML by extension), then overrides (k=v). Later values
// replace earlier ones; only the final value of each key is parsed (values
// are trimmed first, as Kafka's ConfigDef does) and validated; then
// cross-key rules run (Kafka's KafkaConfig.validateValues, ZooKeeper's
// QuorumPeerConfig checks, the producer's idempotence checks, ...).
//
//	b, warnings, err := config.LoadBroker("config/server.properties", overrides)
//
// # Errors and warnings
//
// Every problem of a load is collected and returned together as Errors,
// one per line, as "file:line: key: what is wrong". The "what" is Kafka's
// own text where Kafka has one ("Invalid value abc for configuration
// num.partitions: Not a number of type INT", "Missing required configuration
// `zookeeper.connect` which has no default value.", "requirement failed:
// ..."). Command-line sources are placed as "<flag>:N" where N is the
// argument's position among that flag's arguments ("--override:2"). Each
// *Error matches ErrInvalidValue, ErrMissing or ErrSyntax with errors.Is,
// and errors.As finds the *ValueError or *KafkaError inside. A file that
// cannot be read is reported at once with the os error (fs.ErrNotExist for
// a missing file).
//
// Unknown keys are not errors (Kafka 2.8's broker is silent about them and
// its clients only warn): they come back as Warnings naming the key and its
// file:line, matching ErrUnknownKey.
//
// # Distribution files
//
// DistFiles embeds the config/ directory of the distribution with Kafka
// 2.8.2's keys and defaults.
package config
