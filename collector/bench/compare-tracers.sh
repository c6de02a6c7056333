#!/usr/bin/env bash
# Side-by-side tracer overhead on the shared workloads (../shared/bench): the workload untraced,
# traced by the bpfstream collector, and traced by bpftrace's stock tool, alternating in one run.
#
#   collector/bench/compare-tracers.sh exec [rounds] [count]   # execloop vs execsnoop.bt
#   collector/bench/compare-tracers.sh open [rounds] [count]   # openloop vs opensnoop.bt
#
# The collector runs with --sink null (read, decode, enrich, encode; no Kafka) unless
# BPFSTREAM_BOOTSTRAP is set, then it produces to that broker. bpftrace writes to /dev/null.
# COLLECTOR_ARGS adds collector options (e.g. "--ring-bytes 32M"). Each round starts a fresh
# collector JVM and warms it up with one full workload run before measuring (a collector runs
# for days: its JIT warm-up is not per-event cost).
# Prints, per round: workload rate untraced / traced, ratio, and tracer CPU µs per event; for the
# collector also its counters from /metrics: events attempted kernel-side, produced (acked by
# Kafka, or encoded with --sink null) and lost in the ring. Start a broker with kafka-broker.sh.
set -euo pipefail
kind="${1:-exec}"; rounds="${2:-3}"
here="$(cd "$(dirname "$0")/../.." && pwd)"
shared="$here/../shared/bench"
jar="$here/collector/target/bpfstream-collector.jar"
[ -f "$jar" ] || (cd "$here" && mvn -B -q -DskipTests package -pl collector -am)
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
case "$kind" in
  exec) count="${3:-3000}"; gcc -O2 -o "$work/load" "$shared/execloop.c"; load=("$work/load" "$count")
        bt=/usr/sbin/execsnoop.bt; probe=exec ;;
  open) count="${3:-1000000}"; gcc -O2 -o "$work/load" "$shared/openloop.c"; load=("$work/load" "$count" /etc/hostname)
        bt=/usr/sbin/opensnoop.bt; probe=open ;;
  *) echo "usage: $0 exec|open [rounds] [count]" >&2; exit 2 ;;
esac

mport=$((19000 + RANDOM % 1000))
metric() { curl -s "http://127.0.0.1:$mport/metrics" | awk -v m="$1" -v p="$probe" '$1 == m "{probe=\"" p "\"}" {print $2}'; }
cpu_ns() { awk '{printf "%.0f", ($14+$15)*10000000}' "/proc/$1/stat"; }
rate() { "${load[@]}" | sed -E 's/.*= ([0-9.]+) .*/\1/'; }

start_collector() {
  local sink=(--sink null)
  [ -n "${BPFSTREAM_BOOTSTRAP:-}" ] && sink=(--bootstrap-servers "$BPFSTREAM_BOOTSTRAP")
  # shellcheck disable=SC2086
  java -XX:+UseSerialGC -Xmx256m -jar "$jar" run --probes "$probe" "${sink[@]}" --interval 1s --metrics-port "$mport" \
    ${COLLECTOR_ARGS:-} 2>"$work/tracer.err" >/dev/null &
  tracer=$!
  for _ in $(seq 100); do
    if grep -q "attached" "$work/tracer.err" 2>/dev/null; then
      "${load[@]}" >/dev/null # warm-up: as much as the measured run (JIT compilation is not per-event cost)
      sleep 1
      return
    fi
    sleep 0.2
  done
  echo "collector did not start: $(cat "$work/tracer.err")" >&2; exit 1
}
start_bpftrace() {
  bpftrace "$bt" >/dev/null 2>"$work/tracer.err" &
  tracer=$!
  sleep 3 # bpftrace prints "Attaching" to stdout; give it time to attach
}
measure() { # name
  local before after r counts=""
  before=$(cpu_ns "$tracer")
  r=$(rate)
  sleep 0.5 # let the tracer drain
  after=$(cpu_ns "$tracer")
  if [ "$1" = bpfstream ]; then
    sleep 2 # the next 1 s health interval publishes the counters (and Kafka acks what is in flight)
    counts=$(printf "  (since start, warm-up included) attempted %s produced %s lost %s" "$(metric bpfstream_probe_attempted_total)" \
      "$(metric bpfstream_probe_produced_total)" "$(metric bpfstream_probe_lost_kernel_total)")
  fi
  kill -TERM "$tracer"; wait "$tracer" 2>/dev/null || true
  awk -v n="$1" -v r="$r" -v u="$untraced" -v c=$((after - before)) -v e="$count" -v k="$counts" \
    'BEGIN { printf "  %-10s %10.0f/s  ratio %.2f  tracer CPU %.2f µs/event%s\n", n, r, r/u, c/e/1000, k }'
}

echo "workload: ${load[*]} ; $(nproc) CPUs; $(uname -r)"
for i in $(seq "$rounds"); do
  untraced=$(rate)
  echo "round $i: untraced ${untraced}/s"
  start_collector; measure bpfstream
  untraced=$(rate)
  start_bpftrace; measure bpftrace
done
