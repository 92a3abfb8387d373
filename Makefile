# Build, test and package the kafka multi-call binary. `make help` lists targets.
SHELL := /bin/bash
GO ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo 0.0.0-dev)
COMMIT ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
LDFLAGS := -s -w -X github.com/kafkago/kafka/commands.Version=$(VERSION) -X github.com/kafkago/kafka/commands.Commit=$(COMMIT)
DIST := dist/kafka
GOTESTFLAGS ?=

.PHONY: help build run test test-full test-unit dist dist-check scripts clean fmt vet completions bench release-check fuzz

help:
	@echo "make run        build and start a single-node cluster (see README for what exists today)"
	@echo "make test       install what the tests need and run every test (what CI runs)"
	@echo "make test-full  make test plus the slow tiers (whole live-oracle suite, longer fuzzing)"
	@echo "make dist       lay out dist/kafka/ like an unpacked Kafka"
	@echo "make oracle     re-record testdata/oracle/ from real Kafka 2.8.2 and ZooKeeper"
	@echo "make completions  regenerate completions/ from the applet table"

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/kafka ./cmd/kafka

# run: build dist/kafka/ and start a single-node cluster from it with data in
# ./run-data/. Today that is our ZooKeeper-compatible coordination server on
# localhost:2181; the broker (kafka-server-start) arrives with issue 6, and
# until then run starts the coordinator alone. Ctrl-C stops it.
RUN_DATA ?= $(CURDIR)/run-data
run: dist
	@mkdir -p $(RUN_DATA)/zookeeper $(RUN_DATA)/logs
	@sed 's|^dataDir=.*|dataDir=$(RUN_DATA)/zookeeper|' $(DIST)/config/zookeeper.properties > $(RUN_DATA)/zookeeper.properties
	@echo "make run: starting the coordination server on localhost:2181 (data in $(RUN_DATA)); Ctrl-C stops it."
	@echo "make run: our broker (kafka-server-start) is not built yet (issue 6): point the tools at any Kafka 2.8 broker meanwhile."
	LOG_DIR=$(RUN_DATA)/logs $(DIST)/bin/zookeeper-server-start.sh $(RUN_DATA)/zookeeper.properties

completions:
	@for sh in bash zsh fish; do $(GO) run ./cmd/kafka completion $$sh > completions/kafka.$$sh; done

fmt:
	gofmt -l -w $$(git ls-files '*.go')

vet:
	$(GO) vet ./...

# test: unit, golden, fuzz seeds, end-to-end with real clients, and the live
# oracle smoke slice. It installs what it needs first (oracle.mk).
test: oracle-deps zookeeper-deps
	$(GO) vet ./...
	$(GO) test $(GOTESTFLAGS) -count=1 -timeout 25m ./...

test-unit:
	$(GO) test $(GOTESTFLAGS) -count=1 ./...

# test-full: make test, then the slow tiers: every recorded oracle suite
# replayed live against real Kafka 2.8.2, and longer fuzzing.
test-full: test oracle-live
	$(MAKE) fuzz FUZZTIME=60s

# fuzz runs every fuzz target for FUZZTIME each (CI runs a short slice).
FUZZTIME ?= 10s
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  dir=$$($(GO) list -f '{{.Dir}}' $$pkg); \
	  for f in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go 2>/dev/null | sed 's/^func //'); do \
	    echo "fuzz $$pkg $$f ($(FUZZTIME))"; \
	    $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; \
	done

# dist-check builds dist/ and checks the tree and every script name.
dist-check: dist
	@set -e; for f in bin/kafka bin/windows/kafka.exe config/server.properties config/zookeeper.properties \
	  config/producer.properties config/consumer.properties completions/kafka.bash README.md LICENSE; do \
	  test -e $(DIST)/$$f || { echo "dist-check: $(DIST)/$$f is missing"; exit 1; }; done
	@set -e; for a in $$($(DIST)/bin/kafka applets); do \
	  test -f $(DIST)/bin/windows/$$a.bat || { echo "dist-check: $$a.bat is missing"; exit 1; }; \
	  $(DIST)/bin/$$a.sh --version >/dev/null || { echo "dist-check: $$a.sh --version failed"; exit 1; }; \
	done; echo "dist-check: ok"

GORELEASER_VERSION ?= v2.15.1
GORELEASER ?= $(shell command -v goreleaser 2>/dev/null || echo $(HOME)/go/bin/goreleaser)
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

WINDOWS_BAT = @echo off\r\nrem Runs the kafka multi-call binary as %s.\r\n"%%~dp0kafka.exe" %s %%*\r\n

# scripts writes the bin/<tool>.sh and bin/windows/<tool>.bat wrappers for
# every applet into dist/scripts (goreleaser packages them from there).
scripts:
	rm -rf dist/scripts && mkdir -p dist/scripts/bin/windows
	@for a in $$($(GO) run ./cmd/kafka applets); do \
	  printf '#!/bin/sh\nexec "$$(dirname "$$0")/kafka" %s "$$@"\n' "$$a" > dist/scripts/bin/$$a.sh; \
	  chmod 755 dist/scripts/bin/$$a.sh; \
	  printf '$(WINDOWS_BAT)' "$$a" "$$a" > dist/scripts/bin/windows/$$a.bat; \
	done

release-check:
	@test -x "$(GORELEASER)" || $(GO) install github.com/goreleaser/goreleaser/v2@$(GORELEASER_VERSION)
	"$(GORELEASER)" check --config goreleaser.yaml

dist: scripts
	rm -rf $(DIST)
	mkdir -p $(DIST)/bin/windows $(DIST)/config $(DIST)/completions
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(DIST)/bin/kafka ./cmd/kafka
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(DIST)/bin/windows/kafka.exe ./cmd/kafka
	cp -p dist/scripts/bin/*.sh $(DIST)/bin/
	cp -p dist/scripts/bin/windows/*.bat $(DIST)/bin/windows/
	cp config/dist/*.properties $(DIST)/config/
	cp completions/kafka.bash completions/kafka.zsh completions/kafka.fish $(DIST)/completions/
	cp README.md LICENSE $(DIST)/
	@echo "dist: $(DIST) ($$(ls $(DIST)/bin/*.sh | wc -l) scripts)"

clean:
	rm -rf bin dist

# bench-zk: our coordination server (bin/kafka zookeeper-server-start) and
# Debian's Apache ZooKeeper 3.8 side by side on loopback, fsync on: ops/s,
# p50/p99, RSS and ratios. BENCH_ZK_FLAGS passes flags, e.g.
# BENCH_ZK_FLAGS='-znodes 1000000 -duration 20s'.
.PHONY: bench-zk
BENCH_ZK_FLAGS ?=
bench-zk: build
	$(GO) run ./engine/zk/bench -kafka bin/kafka $(BENCH_ZK_FLAGS)

# bench-log: engine/log's append/read throughput beside a raw write/ReadAt of
# the same bytes in the same run, and allocations per append.
.PHONY: bench-log
bench-log:
	$(GO) test -run '^$$' -bench . -benchmem ./engine/log/

-include oracle.mk
