package oracle

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

const (
	// KafkaVersion is the Apache Kafka release the oracle runs.
	KafkaVersion = "2.8.2"

	// HomeEnv names the environment variable that overrides the cache
	// directory (oracle.mk exports the same variable).
	HomeEnv = "KAFKA_ORACLE_HOME"

	// DepsTarget is the make target that fills the cache.
	DepsTarget = "make oracle-deps"

	// ZooKeeperTarget is the make target that installs Debian's ZooKeeper.
	ZooKeeperTarget = "make zookeeper-deps"

	markerFile     = ".complete"
	toolsLog4j     = "tools-log4j.properties"
	brokerLog4j    = "log4j.properties"
	libsDir        = "libs"
	debianZKJar    = "/usr/share/java/zookeeper.jar"
	debianZKDir    = "/usr/share/zookeeper"
	debianSLF4JJar = "/usr/share/java/slf4j-log4j12.jar"
	debianLog4jJar = "/usr/share/java/log4j-1.2.jar"
)

// ErrNotDownloaded is wrapped by [Home] when the cache is missing or incomplete.
var ErrNotDownloaded = errors.New("oracle: Apache Kafka " + KafkaVersion + " is not downloaded")

// homeDir is the cache directory, whether or not it is filled.
func homeDir() (string, error) {
	if dir := os.Getenv(HomeEnv); dir != "" {
		return dir, nil
	}
	h, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("oracle: no home directory to hold the Kafka cache (set %s): %w", HomeEnv, err)
	}
	return filepath.Join(h, ".cache", "kafkago", "kafka-"+KafkaVersion), nil
}

// Home returns the directory holding Kafka 2.8.2's libs/ and log4j
// configurations: $KAFKA_ORACLE_HOME, else ~/.cache/kafkago/kafka-2.8.2. It
// fails, wrapping [ErrNotDownloaded], until `make oracle-deps` has completed.
func Home() (string, error) {
	dir, err := homeDir()
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(dir, markerFile)); err != nil {
		return "", fmt.Errorf("%w in %s: run `%s`", ErrNotDownloaded, dir, DepsTarget)
	}
	return dir, nil
}

// Java returns the java launcher kafka-run-class.sh would use:
// $JAVA_HOME/bin/java, else java on PATH.
func Java() (string, error) {
	if jh := os.Getenv("JAVA_HOME"); jh != "" {
		p := filepath.Join(jh, "bin", "java")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	p, err := exec.LookPath("java")
	if err != nil {
		return "", fmt.Errorf("oracle: no java on PATH (a JDK 17 is needed): %w", err)
	}
	return p, nil
}

// kafkaEnv is what every Kafka JVM needs: the launcher and the cache.
type kafkaEnv struct {
	java string
	home string
}

func (e kafkaEnv) classpath() string { return filepath.Join(e.home, libsDir, "*") }

// requireKafka skips the test when Java or the Kafka cache is missing.
func requireKafka(t testing.TB) kafkaEnv {
	t.Helper()
	env, err := lookupKafka()
	if err != nil {
		t.Skipf("%v", err)
	}
	return env
}

func lookupKafka() (kafkaEnv, error) {
	home, err := Home()
	if err != nil {
		return kafkaEnv{}, err
	}
	java, err := Java()
	if err != nil {
		return kafkaEnv{}, err
	}
	return kafkaEnv{java: java, home: home}, nil
}

// Available reports whether the Kafka oracle can run here (Java and the
// cache), and if not, why — the message names the make target to run.
func Available() error {
	_, err := lookupKafka()
	return err
}
