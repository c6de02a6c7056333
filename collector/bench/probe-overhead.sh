#!/usr/bin/env bash
# Per-probe overhead: a heavy workload of the probe's kind, untraced and traced by the collector
# (`run --probes P --sink null`: read, decode, enrich, encode; no Kafka), alternating in one run.
#
#   collector/bench/probe-overhead.sh PROBE [rounds]
#
#   open        openloop 1000000 /etc/hostname              (shared workload; an event per open)
#   fileslow    preadloop 2000000 on a cached ext4 file      (default 10ms threshold: hooks only, no events)
#   fileslow0   the same with --probe-option fileslow.min-latency=0 (an event per read)
#   biosnoop    directio 20000: O_DIRECT 4 KiB writes on the ext4 disk (a request each)
#   biolatency  the same, kernel-side histograms
#   tcp         tcploop 20000 accept: connect/accept/exchange/close on 127.0.0.1 (4 events each)
#   tcpretrans  tcploop 50000 refused: connects to a closed port (a reset sent + received each)
#   cachestat   preadloop 2000000 (a page-cache lookup per read, counted kernel-side)
#
# Prints per round: workload rate untraced / traced, the ratio, collector CPU µs per operation,
# and the probe's counters from the collector's metrics (attempted, produced, lost in the ring).
# Each round starts a fresh collector and warms it up with half the workload first.
set -euo pipefail
probe="${1:?usage: $0 PROBE [rounds]}"; rounds="${2:-3}"
here="$(cd "$(dirname "$0")/../.." && pwd)"
jar="$here/collector/target/bpfstream-collector.jar"
[ -f "$jar" ] || (cd "$here" && mvn -B -q -DskipTests package -pl collector -am)
work="$(mktemp -d -p "${BENCH_DIR:-/var/tmp}")"; trap 'rm -rf "$work"' EXIT
port=$((19000 + RANDOM % 1000))
src="$here/collector/bench/workloads"
extra=()
case "$probe" in
  open) gcc -O2 -o "$work/load" "$here/../shared/bench/openloop.c"; load=("$work/load" 1000000 /etc/hostname); ops=1000000 ;;
  fileslow|fileslow0|cachestat)
    gcc -O2 -o "$work/load" "$src/preadloop.c"
    dd if=/dev/urandom of="$work/data" bs=1M count=64 status=none; cat "$work/data" >/dev/null
    load=("$work/load" 2000000 "$work/data"); ops=2000000
    if [ "$probe" = fileslow0 ]; then probe=fileslow; extra=(--probe-option fileslow.min-latency=0); fi ;;
  biosnoop|biolatency) gcc -O2 -o "$work/load" "$src/directio.c"; load=("$work/load" 20000 "$work/direct.dat"); ops=20000 ;;
  tcp) gcc -O2 -o "$work/load" "$src/tcploop.c"; load=("$work/load" 20000 accept); ops=20000 ;;
  tcpretrans) gcc -O2 -o "$work/load" "$src/tcploop.c"; load=("$work/load" 50000 refused); ops=50000 ;;
  *) echo "unknown probe $probe" >&2; exit 2 ;;
esac

cpu_ns() { awk '{printf "%.0f", ($14+$15)*10000000}' "/proc/$1/stat"; }
rate() { "${load[@]}" | sed -E 's/.*= ([0-9.]+) .*/\1/'; }
metric() { curl -s "http://127.0.0.1:$port/metrics" | awk -v m="$1" -v p="$probe" '$1 == m "{probe=\"" p "\"}" {print $2}'; }

echo "workload: ${load[*]} ; probe $probe ${extra[*]} ; $(nproc) CPUs; $(uname -r); load average $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$rounds"); do
  untraced=$(rate)
  java -XX:+UseSerialGC -Xmx256m -jar "$jar" run --probes "$probe" --sink null --interval 1s --metrics-port "$port" ${extra[@]+"${extra[@]}"} \
    2>"$work/collector.err" >/dev/null &
  collector=$!
  for _ in $(seq 100); do grep -q "attached" "$work/collector.err" 2>/dev/null && break; sleep 0.2; done
  grep -q "attached" "$work/collector.err" || { echo "collector did not start: $(cat "$work/collector.err")" >&2; exit 1; }
  "${load[0]}" $((ops / 2)) "${load[@]:2}" >/dev/null # warm-up: a collector runs for days, JIT is not per-event cost
  sleep 3 # let the JIT finish what the warm-up triggered
  a0=$(metric bpfstream_probe_attempted_total); before=$(cpu_ns "$collector")
  traced=$(rate)
  sleep 2.5 # drain, and let the next 1 s health interval publish the counters
  after=$(cpu_ns "$collector")
  a1=$(metric bpfstream_probe_attempted_total); p1=$(metric bpfstream_probe_produced_total); l1=$(metric bpfstream_probe_lost_kernel_total)
  kill -TERM "$collector"; wait "$collector" 2>/dev/null || true
  awk -v u="$untraced" -v t="$traced" -v c=$((after - before)) -v n="$ops" -v i="$i" -v a=$((a1 - a0)) -v at="$a1" -v p="$p1" -v l="$l1" \
    'BEGIN { printf "round %d: untraced %9.0f/s  traced %9.0f/s  ratio %.2f  collector CPU %.2f µs/op  events this run %d (total attempted %d, produced %d, lost %d)\n", i, u, t, t/u, c/n/1000, a, at, p, l }'
done
