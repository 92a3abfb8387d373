#!/usr/bin/env bash
# fetch.sh HOME — download Apache Kafka 2.8.2 (broker and tools) with all its
# runtime dependencies from Maven Central into HOME/libs, and install the
# log4j configurations beside it. `make oracle-deps` runs this.
#
# Idempotent: HOME/.complete holds a hash of this directory's inputs; when it
# matches, nothing is done. A failed run leaves no .complete behind.
set -euo pipefail

home=${1:?usage: fetch.sh KAFKA_ORACLE_HOME}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
inputs=("$here/pom.xml" "$here/tools-log4j.properties" "$here/log4j.properties" "$here/fetch.sh")
stamp=$(cat "${inputs[@]}" | sha256sum | cut -d' ' -f1)

if [[ -f $home/.complete && $(<"$home/.complete") == "$stamp" ]]; then
	echo "oracle-deps: Apache Kafka 2.8.2 already in $home"
	exit 0
fi

for tool in java mvn; do
	if ! command -v "$tool" >/dev/null; then
		echo "oracle-deps: $tool not found on PATH (a JDK 17 and Maven are needed)" >&2
		exit 1
	fi
done

mkdir -p "$home"
rm -f "$home/.complete"
rm -rf "$home/libs.partial"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/pom.xml" "$work/pom.xml"

echo "oracle-deps: resolving Apache Kafka 2.8.2 from Maven Central into $home/libs"
start=$(date +%s)
mvn -B -q -Dstyle.color=never -f "$work/pom.xml" \
	dependency:copy-dependencies \
	-DincludeScope=runtime \
	-DoutputDirectory="$home/libs.partial" 2>&1 |
	sed 's/\x1b\[[0-9;]*m//g' # Debian's Maven 3.8 prints colour resets even in batch mode

for jar in kafka_2.13-2.8.2.jar kafka-clients-2.8.2.jar kafka-tools-2.8.2.jar \
	zookeeper-3.6.4.jar zookeeper-jute-3.6.4.jar slf4j-log4j12-1.7.30.jar log4j-1.2.17.jar \
	metrics-core-4.1.12.1.jar; do
	if [[ ! -f $home/libs.partial/$jar ]]; then
		echo "oracle-deps: $jar missing after the download" >&2
		exit 1
	fi
done
if compgen -G "$home/libs.partial/zookeeper-3.5.*.jar" >/dev/null; then
	echo "oracle-deps: a ZooKeeper 3.5 jar slipped into the classpath" >&2
	exit 1
fi

# Swap in the new libs/ with two renames, so a JVM starting meanwhile (another
# test run) almost never sees a missing directory.
rm -rf "$home/libs.old"
if [[ -d $home/libs ]]; then mv "$home/libs" "$home/libs.old"; fi
mv "$home/libs.partial" "$home/libs"
rm -rf "$home/libs.old"
cp "$here/tools-log4j.properties" "$here/log4j.properties" "$home/"
printf '%s\n' "$stamp" >"$home/.complete"
echo "oracle-deps: $(ls "$home/libs" | wc -l) jars in $home/libs ($(($(date +%s) - start)) s)"
