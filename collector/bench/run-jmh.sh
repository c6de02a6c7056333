#!/usr/bin/env bash
# Runs the collector's JMH benchmarks (src/test/java/**/jmh) against this checkout's modules.
#   collector/bench/run-jmh.sh [JMH regexp and options]   default: HotPathBenchmark
set -euo pipefail
cd "$(dirname "$0")/../.."
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
mvn -B -q -pl collector -am test-compile dependency:build-classpath -Dbpf.check.skip=true \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >&2
deps=$(tr ':' '\n' < "$cp_file" | grep -v '/dev/bpfstream/' | paste -sd:)
args=("$@")
[ ${#args[@]} -gt 0 ] || args=('HotPathBenchmark')
exec java -cp "collector/target/classes:collector/target/test-classes:schemas/target/classes:broker/target/classes:$deps" \
  org.openjdk.jmh.Main "${args[@]}"
