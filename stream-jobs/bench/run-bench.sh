#!/usr/bin/env bash
# Stream-jobs benchmark (BENCHMARKS.md, "Stream jobs"). From the repository root:
#   stream-jobs/bench/run-bench.sh            # EVENTS=6000000 HOSTS=100 by default
# A broker runs in its own JVM so the job's CPU time is its own; the fleet generator fills the
# topics first, then each job reads the backlog on a MiniCluster (--bounded) and reports records
# per CPU-second; last, a live run measures how long after a window ends its summary is visible.
set -euo pipefail
cd "$(dirname "$0")/../.."
EVENTS=${EVENTS:-6000000}
HOSTS=${HOSTS:-100}
PORT=${PORT:-19092}
LIVE_RATE=${LIVE_RATE:-5000}
LIVE_SECONDS=${LIVE_SECONDS:-60}
BS=127.0.0.1:$PORT

mvn -B -q -pl stream-jobs -am package -DskipTests
mvn -B -q -pl stream-jobs -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$PWD/stream-jobs/target/bench-cp.txt" -Dmdep.includeScope=test
CP="stream-jobs/target/test-classes:stream-jobs/target/classes:$(cat stream-jobs/target/bench-cp.txt)"
JAR=stream-jobs/target/bpfstream-stream-jobs.jar

DATA=$(mktemp -d /tmp/bpfstream-bench.XXXXXX)
java -Xmx3g -Dlog4j2.configurationFile=log4j2-test.xml -cp "$CP" dev.bpfstream.jobs.bench.BenchBroker "$PORT" "$DATA/kafka" \
  > "$DATA/broker.log" 2>&1 &
BROKER=$!
cleanup() { kill "$BROKER" 2>/dev/null || true; wait "$BROKER" 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT
until grep -q "broker ready" "$DATA/broker.log"; do sleep 1; done

echo "== machine"; nproc; free -g | head -2; java -version 2>&1 | head -1; uname -r

for JOB in latency workload; do
  echo "== $JOB: backlog of $EVENTS events from $HOSTS hosts"
  java -jar "$JAR" generate --bootstrap-servers "$BS" --hosts "$HOSTS" --events "$EVENTS" --rate 200000 \
    --mix "$JOB" --topic-prefix "$JOB." 2>/dev/null
  java -Xmx2g -jar "$JAR" "$JOB" --bootstrap-servers "$BS" --topic-prefix "$JOB." --bounded --parallelism 1 \
    --group-id "bench-$JOB" --transactional-id-prefix "bench-$JOB" 2>/dev/null | grep records
done

echo "== latency job live: event time to visible summary (window 10 s, checkpoints 1 s, exactly once)"
java -Xmx2g -jar "$JAR" latency --bootstrap-servers "$BS" --topic-prefix live. --group-id bench-live \
  --transactional-id-prefix bench-live --start latest > "$DATA/live-job.log" 2>&1 &
LIVEJOB=$!
sleep 10
java -Dlog4j2.configurationFile=log4j2-test.xml -cp "$CP" dev.bpfstream.jobs.bench.SummaryDelay "$BS" live.agg.latency \
  "$((LIVE_SECONDS + 30))" 20 &
PROBE=$!
java -jar "$JAR" generate --bootstrap-servers "$BS" --hosts "$HOSTS" --live --rate "$LIVE_RATE" \
  --events "$((LIVE_RATE * LIVE_SECONDS))" --mix latency --topic-prefix live. 2>/dev/null | head -1
wait "$PROBE"
kill "$LIVEJOB"; wait "$LIVEJOB" 2>/dev/null || true
