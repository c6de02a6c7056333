#!/usr/bin/env bash
# The project's in-process KRaft broker on 127.0.0.1, for benchmarks that produce to a real Kafka:
#
#   collector/bench/kafka-broker.sh [port]      # prints "ready 127.0.0.1:PORT"; SIGTERM stops it
#   BPFSTREAM_BOOTSTRAP=127.0.0.1:PORT collector/bench/compare-tracers.sh open
#
# Its data lives in a temp dir, deleted when it stops.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
cp="$(mktemp)"; trap 'rm -f "$cp"' EXIT
(cd "$here" && mvn -B -q -pl collector -am test-compile dependency:build-classpath -Dbpf.check.skip=true \
  -Dmdep.outputFile="$cp" -Dmdep.includeScope=test >&2)
java -Xmx1g -XX:+UseSerialGC -cp "$here/collector/target/test-classes:$(cat "$cp")" dev.bpfstream.collector.bench.BenchBroker "$@"
