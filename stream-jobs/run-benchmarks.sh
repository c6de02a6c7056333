#!/usr/bin/env bash
# Runs the stream-jobs JMH benchmarks (src/test/java, *Benchmark) against this checkout's modules.
#   stream-jobs/run-benchmarks.sh [JMH regexp and options], default: every benchmark with its own settings (1 fork, 3x2s warm-up, 5x2s measured)
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
mvn -B -q -pl stream-jobs -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >&2
# our own modules from source, never from ~/.m2
deps=$(tr ':' '\n' < "$cp_file" | grep -v '/dev/bpfstream/' | paste -sd:)
cd stream-jobs
args=("$@")
[ ${#args[@]} -gt 0 ] || args=('Benchmark')
exec java -cp "target/classes:target/test-classes:../schemas/target/classes:../broker/target/classes:$deps" org.openjdk.jmh.Main "${args[@]}"
