# oracle.mk — real Apache Kafka 2.8.2 and Apache ZooKeeper as the oracle of the
# differential tests (engine/e2e/oracle). Included from the Makefile.
#
#   make oracle-deps     download Kafka 2.8.2 + runtime deps from Maven Central (cached)
#   make zookeeper-deps  install Debian's Apache ZooKeeper (apt-get) if it is missing
#   make oracle          record testdata/oracle/<suite>/<case>.golden from real Kafka
#   make oracle-live     replay every recorded suite against real Kafka (determinism check)
#
# KAFKA_ORACLE_HOME (default ~/.cache/kafkago/kafka-2.8.2) holds libs/, the log4j
# configurations and the .complete marker; the Go helpers read the same variable.
# ORACLE_SUITE=name restricts `make oracle` / `make oracle-live` to one suite.

KAFKA_ORACLE_HOME ?= $(HOME)/.cache/kafkago/kafka-2.8.2
export KAFKA_ORACLE_HOME

ORACLE_PKG := ./engine/e2e/oracle/
ORACLE_SUITE ?=
ORACLE_TEST_FLAGS := -count=1 -timeout 45m -v $(if $(ORACLE_SUITE),-oracle.suite=$(ORACLE_SUITE))

.PHONY: oracle-deps zookeeper-deps oracle oracle-live

oracle-deps:
	bash engine/e2e/oracle/deps/fetch.sh "$(KAFKA_ORACLE_HOME)"

zookeeper-deps:
	@if [ -d /usr/share/zookeeper ] && [ -f /usr/share/java/zookeeper.jar ]; then \
		echo "zookeeper-deps: Debian's ZooKeeper is installed"; \
	else \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y zookeeper; \
	fi

oracle: oracle-deps zookeeper-deps
	go test $(ORACLE_PKG) -run '^TestRecordOracle$$' $(ORACLE_TEST_FLAGS) -oracle.record

oracle-live: oracle-deps
	go test $(ORACLE_PKG) -run '^TestOracleSelfReplay$$' $(ORACLE_TEST_FLAGS) -oracle.live
