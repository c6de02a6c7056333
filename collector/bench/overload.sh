#!/usr/bin/env bash
# Overload: an open("") storm from one pinned thread per CPU (workloads/openstorm.c), untraced and
# traced by a collector with a fixed 128 MiB heap (`run --probes open`), unlimited and with
# `open.max-rate=1000`, alternating, several rounds.
#
#   collector/bench/overload.sh [rounds] [seconds]
#   BPFSTREAM_BOOTSTRAP=127.0.0.1:PORT collector/bench/overload.sh   # to Kafka (kafka-broker.sh) instead of --sink null
#
# Prints per round and mode: the storm's opens/s, what the probe attempted, delivered, lost in the
# ring and rate-limited (the collector's /metrics after it drained), the collector's heap (sampled
# peak from /metrics, and the peak live heap after a GC from its GC log), and whether it survived.
set -euo pipefail
rounds="${1:-3}"; seconds="${2:-5}"
here="$(cd "$(dirname "$0")/../.." && pwd)"
jar="$here/collector/target/bpfstream-collector.jar"
[ -f "$jar" ] || (cd "$here" && mvn -B -q -DskipTests package -pl collector -am)
work="$(mktemp -d -p "${BENCH_DIR:-/var/tmp}")"; trap 'rm -rf "$work"' EXIT
port=$((19000 + RANDOM % 1000))
gcc -O2 -pthread -o "$work/openstorm" "$here/collector/bench/workloads/openstorm.c"
sink=(--sink null)
[ -n "${BPFSTREAM_BOOTSTRAP:-}" ] && sink=(--bootstrap-servers "$BPFSTREAM_BOOTSTRAP" --topic-prefix "overload$RANDOM." --spool-dir "$work/spool" --spool-max-bytes 64M)

storm() { "$work/openstorm" "$seconds" "" | sed -E 's/.*= ([0-9.]+) .*/\1/'; }
metric() { curl -s "http://127.0.0.1:$port/metrics" | awk -v m="$1" '$1 == m "{probe=\"open\"}" || $1 == m {print $2}'; }

echo "openstorm $seconds s on $(nproc) CPUs; $(uname -r); sink ${sink[*]}; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$rounds"); do
  printf "round %d: untraced %9.0f opens/s\n" "$i" "$(storm)"
  for mode in unlimited max-rate=1000; do
    extra=(); [ "$mode" = unlimited ] || extra=(--probe-option "open.$mode")
    java -Xms128m -Xmx128m -XX:+UseSerialGC -Xlog:gc:file="$work/gc.log" -jar "$jar" run --probes open --interval 1s \
      --no-host-metrics --metrics-port "$port" "${sink[@]}" ${extra[@]+"${extra[@]}"} >"$work/collector.log" 2>&1 &
    collector=$!
    for _ in $(seq 100); do grep -q "attached" "$work/collector.log" 2>/dev/null && break; sleep 0.2; done
    sleep 3 # start-up work (namespace scan, JIT) out of the way
    peak=0
    ( while kill -0 "$collector" 2>/dev/null; do metric bpfstream_jvm_heap_used_bytes; sleep 0.5; done ) >"$work/heap" &
    sampler=$!
    rate=$(storm)
    sleep 3 # drain, and a health interval to publish the counters
    a=$(metric bpfstream_probe_attempted_total); d=$(metric bpfstream_probe_delivered_total)
    l=$(metric bpfstream_probe_lost_kernel_total); r=$(metric bpfstream_probe_rate_limited_total)
    alive=$(kill -0 "$collector" 2>/dev/null && echo alive || echo DEAD)
    kill -TERM "$collector"; wait "$collector" 2>/dev/null || true
    kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
    peak=$(sort -n "$work/heap" | tail -1)
    live=$(grep -oE '[0-9]+M->[0-9]+M' "$work/gc.log" | sed -E 's/.*->([0-9]+)M/\1/' | sort -n | tail -1)
    oom=$(grep -c OutOfMemoryError "$work/collector.log" || true)
    printf "round %d: %-14s storm %9.0f opens/s  attempted %d  delivered %d  lostKernel %d  rateLimited %d  heap peak %d MiB, live after GC %s MiB of 128, %s, OOM lines %d\n" \
      "$i" "$mode" "$rate" "$a" "$d" "$l" "$r" $(( ${peak%.*} >> 20 )) "${live:-?}" "$alive" "$oom"
    rm -f "$work/gc.log"
  done
done
