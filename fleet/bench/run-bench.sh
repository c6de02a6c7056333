#!/usr/bin/env bash
# Fleet scale-out benchmark (BENCHMARKS.md, "Fleet"). From the repository root:
#   fleet/bench/run-bench.sh            # EVENTS=1000000 HOSTS=100 by default
# Starts a cluster of its own (3 brokers, a JobManager, 2 TaskManagers of one slot each; free
# loopback ports, a temp data directory, stopped at the end), fills a backlog per job with the fleet
# generator and runs each job through `jobs submit --bounded` at parallelism 1 and 2.
# The broker-death and TaskManager-death figures come from the fault test's RELIABILITY line:
#   mvn -B -pl fleet -am verify -Dtest=FleetFaultTest -Dsurefire.failIfNoSpecifiedTests=false
#   grep -h RELIABILITY fleet/target/surefire-reports/*-output.txt
set -euo pipefail
cd "$(dirname "$0")/../.."
EVENTS=${EVENTS:-1000000}
HOSTS=${HOSTS:-100}

mvn -B -q -pl fleet -am package -DskipTests
mvn -B -q -pl fleet -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$PWD/fleet/target/bench-cp.txt" -Dmdep.includeScope=test
CP="fleet/target/test-classes:fleet/target/classes:$(cat fleet/target/bench-cp.txt)"

echo "== machine"; nproc; free -g | head -2; java -version 2>&1 | head -1; uname -r; uptime
java -Xmx1g -Dlog4j2.configurationFile=log4j2-test.xml -Dbpfstream.root="$PWD" -cp "$CP" \
  dev.bpfstream.fleet.ScaleOutBench "$EVENTS" "$HOSTS"
uptime
