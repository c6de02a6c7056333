#!/usr/bin/env bash
# The collector's own CPU with given probes on whatever the host is doing, over a window after it
# settles: what the user-space side (drains, symbolization, encoding) costs.
#
#   collector/bench/collector-cpu.sh PROBES [seconds] [run options...]
#   e.g. SETTLE=60 collector/bench/collector-cpu.sh profile 120 --probe-option profile.hz=999   (SETTLE: seconds before the window, default 10)
set -euo pipefail
probes="$1"; seconds="${2:-60}"; shift $(( $# > 1 ? 2 : 1 ))
here="$(cd "$(dirname "$0")/../.." && pwd)"
jar="$here/collector/target/bpfstream-collector.jar"
[ -f "$jar" ] || (cd "$here" && mvn -B -q -DskipTests package -pl collector -am)
err="$(mktemp)"; trap 'rm -f "$err"' EXIT
cpu_ns() { awk '{printf "%.0f", ($14+$15)*10000000}' "/proc/$1/stat"; } # %d saturates at 2^31 in mawk
java -XX:+UseSerialGC -Xmx256m -jar "$jar" run --probes "$probes" --sink null --metrics-port 0 --no-host-metrics "$@" 2>"$err" >/dev/null &
pid=$!
for _ in $(seq 100); do grep -q "attached" "$err" 2>/dev/null && break; sleep 0.2; done
sleep "${SETTLE:-10}" # JIT warm-up: the drains run once per interval, so their code compiles late
a=$(cpu_ns "$pid"); t0=$(date +%s%N)
sleep "$seconds"
b=$(cpu_ns "$pid"); t1=$(date +%s%N)
kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
awk -v p="$probes $*" -v c=$((b - a)) -v w=$((t1 - t0)) -v l="$(cut -d' ' -f1-3 /proc/loadavg)" \
  'BEGIN { printf "collector --probes %s: %.2f%% of a core over %.0f s (load average %s)\n", p, 100 * c / w, w / 1e9, l }'
