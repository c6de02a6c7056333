#!/usr/bin/env bash
# Steady-state collector CPU per exec, by thread: one collector JVM (--sink null), warmed up with
# WARMUP execs of the shared execloop, then COUNT execs measured from /proc/PID/task/*/stat.
#
#   collector/bench/steady-cpu.sh [count] [warmup]      # defaults 10000 20000
set -euo pipefail
count="${1:-10000}"; warmup="${2:-20000}"
here="$(cd "$(dirname "$0")/../.." && pwd)"
jar="$here/collector/target/bpfstream-collector.jar"
[ -f "$jar" ] || (cd "$here" && mvn -B -q -DskipTests package -pl collector -am)
work="$(mktemp -d)"
gcc -O2 -o "$work/execloop" "$here/../shared/bench/execloop.c"
java -XX:+UseSerialGC -Xmx256m -jar "$jar" run --probes exec --sink null --interval 1s --metrics-port 0 \
  2>"$work/collector.err" >/dev/null &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q attached "$work/collector.err" && break; sleep 0.2; done
"$work/execloop" "$warmup" >/dev/null
ticks() { for t in /proc/"$pid"/task/*; do echo "$(basename "$t") $(awk '{print $14, $15}' "$t/stat") $(tr ' ' _ < "$t/comm")"; done | sort; }
ticks > "$work/before"; "$work/execloop" "$count"; ticks > "$work/after"
hz=$(getconf CLK_TCK)
join "$work/before" "$work/after" | awk -v hz="$hz" '{u=$5-$2; s=$6-$3; if (u+s>0) printf "  %-16s user %5d ms  sys %5d ms\n", $4, u*1000/hz, s*1000/hz}' | sort -k3 -rn
join "$work/before" "$work/after" | awk -v hz="$hz" -v n="$count" '{t+=$5-$2+$6-$3} END {printf "collector process: %d ms CPU = %.1f µs per exec\n", t*1000/hz, t*1e6/hz/n}'
