#!/usr/bin/env bash
# Stream-jobs benchmark (BENCHMARKS.md, "Stream jobs"). From the repository root:
#   stream-jobs/bench/run-bench.sh            # EVENTS=6000000 HOSTS=100 by default
# A broker runs in its own JVM so the job's CPU time is its own; the fleet generator fills the
# topics first. Over each backlog the pass-through floor (same Kafka source, decoder, event time and
# checkpoints; a count per partition, nothing out) and the job read it on a MiniCluster (--bounded),
# ROUNDS times in turn (A/B), each reporting records per CPU-second; the job's steady state is then
# given as a fraction of the floor's. Last, a live run measures how long after a window ends its
# summary is visible (LIVE_SECONDS=0 skips it).
#   JOBS="latency workload"  PARALLELISM=1  ROUNDS=1  JFR=dir (a flight recording of every run there)
#   BASELINE_JAR=path: each round also runs the job from that jar (another build: copy its
#   stream-jobs/target/bpfstream-stream-jobs.jar aside first) and prints this build's ratio to it.
#   FLOOR=0 skips the floor.
set -euo pipefail
cd "$(dirname "$0")/../.."
EVENTS=${EVENTS:-6000000}
HOSTS=${HOSTS:-100}
PORT=${PORT:-19092}
LIVE_RATE=${LIVE_RATE:-5000}
LIVE_SECONDS=${LIVE_SECONDS:-60}
JOBS=${JOBS:-latency workload}
PARALLELISM=${PARALLELISM:-1}
ROUNDS=${ROUNDS:-1}
JFR=${JFR:-}
BASELINE_JAR=${BASELINE_JAR:-}
FLOOR=${FLOOR:-1}
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

# jfr NAME: the JVM option that records a run as $JFR/NAME.jfr
jfr() { [ -n "$JFR" ] && echo "-XX:StartFlightRecording=filename=$JFR/$1.jfr,settings=profile" || true; }
# steady FILE: records per CPU-second of the steady-state line of a run's output
steady() { sed -n 's/.*steady state:.*CPU (\([0-9]*\) records per CPU-second).*/\1/p' "$1" | tail -1; }
[ -n "$JFR" ] && mkdir -p "$JFR"
# run_job JAR NAME OUT: a bounded run of $JOB over its backlog from JAR; its throughput lines in OUT and on stdout
run_job() {
  java -Xmx2g $(jfr "$2") -jar "$1" "$JOB" --bootstrap-servers "$BS" --topic-prefix "$JOB." --bounded \
    --parallelism "$PARALLELISM" --group-id "bench-$2" --transactional-id-prefix "bench-$2" 2>/dev/null \
    | grep ' records in ' > "$3"
  cat "$3"
}
: > "$DATA/floor.out"

for JOB in $JOBS; do
  echo "== $JOB: backlog of $EVENTS events from $HOSTS hosts (parallelism $PARALLELISM)"
  java -jar "$JAR" generate --bootstrap-servers "$BS" --hosts "$HOSTS" --events "$EVENTS" --rate 200000 \
    --mix "$JOB" --topic-prefix "$JOB." 2>/dev/null
  for ROUND in $(seq 1 "$ROUNDS"); do
    echo "-- round $ROUND, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    if [ "$FLOOR" = 1 ]; then
      java -Xmx2g $(jfr "floor-$JOB-$ROUND") -Dlog4j2.configurationFile=log4j2-test.xml -cp "$CP" dev.bpfstream.jobs.bench.PassThroughFloor \
        "$BS" "$JOB." "$JOB" "bench-floor-$JOB-$ROUND" "$PARALLELISM" 2>"$DATA/floor.err" | { grep ' records in ' || { tail -30 "$DATA/floor.err" >&2; exit 1; }; } | tee "$DATA/floor.out"
    fi
    run_job "$JAR" "$JOB-$ROUND" "$DATA/job.out"
    F=$(steady "$DATA/floor.out"); J=$(steady "$DATA/job.out")
    [ -n "$F" ] && [ -n "$J" ] && awk -v j="$J" -v f="$F" -v n="$JOB" \
      'BEGIN { printf "%s: %.0f%% of the pass-through floor (steady state, records per CPU-second: job %d, floor %d)\n", n, 100 * j / f, j, f }'
    if [ -n "$BASELINE_JAR" ]; then
      run_job "$BASELINE_JAR" "baseline-$JOB-$ROUND" "$DATA/baseline.out"
      B=$(steady "$DATA/baseline.out")
      [ -n "$B" ] && [ -n "$J" ] && awk -v j="$J" -v b="$B" -v n="$JOB" \
        'BEGIN { printf "%s: this build / baseline = %.2f (steady state, records per CPU-second: %d / %d)\n", n, j / b, j, b }'
    fi
  done
done

[ "$LIVE_SECONDS" -gt 0 ] || exit 0
echo "== latency job live: event time to visible summary (window 10 s, checkpoints 1 s, exactly once), load average $(cut -d' ' -f1-3 /proc/loadavg)"
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
# The live job's checkpoints, from its REST endpoint (a loopback port of its own): what the
# exactly-once sink waits for before a summary is visible.
# (Java listens on IPv4-mapped addresses: ss shows [::ffff:127.0.0.1]:PORT.)
for P in $(ss -Hltnp 2>/dev/null | grep "pid=$LIVEJOB," | grep -o '127\.0\.0\.1\]\?:[0-9]*' | sed 's/.*://'); do
  ID=$(curl -sf --max-time 3 "http://127.0.0.1:$P/jobs/overview" | python3 -c 'import json,sys; print(json.load(sys.stdin)["jobs"][0]["jid"])' 2>/dev/null) || continue
  curl -sf --max-time 3 "http://127.0.0.1:$P/jobs/$ID/checkpoints" | python3 -c '
import json, sys
c = json.load(sys.stdin)
d = c["summary"]["end_to_end_duration"]
print("checkpoints: %d completed, %d failed; end-to-end duration ms: p50 %s, p99 %s, max %s; state %d bytes (last)" % (
    c["counts"]["completed"], c["counts"]["failed"], d.get("p50"), d.get("p99"), d.get("max"),
    (c.get("latest", {}).get("completed") or {}).get("state_size", 0)))'
done
kill "$LIVEJOB"; wait "$LIVEJOB" 2>/dev/null || true
