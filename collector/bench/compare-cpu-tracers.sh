#!/usr/bin/env bash
# Overhead of the CPU probes on a workload, side by side with bpftrace, alternating in one run
# (same pattern as compare-tracers.sh): untraced, traced by the bpfstream collector, traced by bpftrace.
#
#   collector/bench/compare-cpu-tracers.sh runqlat [rounds] [loops]        # perf bench sched pipe vs runqlat.bt
#   collector/bench/compare-cpu-tracers.sh profile [rounds] [hz] [count]   # openloop vs bpftrace profile:hz:HZ
#
# runqlat's workload is context-switch heavy: two processes ping-ponging over pipes, every op two
# wakeups and two switches. profile's cost is per sample, so its workload is the shared openloop
# (syscall-heavy: kernel and user stacks to walk). The collector runs with --sink null and a 2 s
# interval (so its drains and symbolization fall inside the measurement). Prints per round the
# workload rate untraced / traced, the ratio, and the tracer's own CPU as % of one core.
set -euo pipefail
kind="${1:-runqlat}"; rounds="${2:-3}"
here="$(cd "$(dirname "$0")/../.." && pwd)"
shared="$here/../shared/bench"
jar="$here/collector/target/bpfstream-collector.jar"
[ -f "$jar" ] || (cd "$here" && mvn -B -q -DskipTests package -pl collector -am)
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
case "$kind" in
  runqlat) loops="${3:-200000}"; load=(perf bench sched pipe -l "$loops"); probe=runqlat; extra=()
           # runqlat.bt as shipped, minus its #include <linux/sched.h> (which fails to parse on
           # Debian 12's headers) and with TASK_RUNNING written as 0.
           bt=(bpftrace -e 'tracepoint:sched:sched_wakeup,tracepoint:sched:sched_wakeup_new { @qtime[args->pid] = nsecs; }
             tracepoint:sched:sched_switch { if (args->prev_state == 0) { @qtime[args->prev_pid] = nsecs; }
               $ns = @qtime[args->next_pid]; if ($ns) { @usecs = hist((nsecs - $ns) / 1000); } delete(@qtime[args->next_pid]); }') ;;
  profile) hz="${3:-49}"; count="${4:-500000}"; gcc -O2 -o "$work/load" "$shared/openloop.c"
           load=("$work/load" "$count" /etc/hostname); probe=profile; extra=(--profile-hz "$hz")
           bt=(bpftrace -e "profile:hz:$hz { @[kstack, ustack, pid, comm] = count(); }") ;;
  *) echo "usage: $0 runqlat|profile [rounds] [loops | hz count]" >&2; exit 2 ;;
esac

cpu_ns() { awk '{printf "%d", ($14+$15)*10000000}' "/proc/$1/stat"; }
rate() {
  case "$kind" in
    runqlat) "${load[@]}" 2>&1 | awk '/ops\/sec/ {print $1}' ;;
    profile) "${load[@]}" | sed -E 's/.*= ([0-9.]+) .*/\1/' ;;
  esac
}

start_collector() {
  java -XX:+UseSerialGC -Xmx256m -jar "$jar" run --probes "$probe" "${extra[@]}" --sink null --metrics-port 0 \
    --no-host-metrics --interval 2s 2>"$work/tracer.err" >/dev/null &
  tracer=$!
  for _ in $(seq 100); do grep -q "attached" "$work/tracer.err" 2>/dev/null && return; sleep 0.2; done
  echo "collector did not start: $(cat "$work/tracer.err")" >&2; exit 1
}
start_bpftrace() {
  "${bt[@]}" >/dev/null 2>"$work/tracer.err" &
  tracer=$!
  sleep 3 # bpftrace prints "Attaching" to stdout; give it time to attach
}
measure() { # name
  local before after r t0 t1
  before=$(cpu_ns "$tracer"); t0=$(date +%s%N)
  r=$(rate)
  t1=$(date +%s%N); after=$(cpu_ns "$tracer")
  kill -TERM "$tracer"; wait "$tracer" 2>/dev/null || true
  awk -v n="$1" -v r="$r" -v u="$untraced" -v c=$((after - before)) -v w=$((t1 - t0)) \
    'BEGIN { printf "  %-10s %10.0f/s  ratio %.3f  tracer CPU %.1f%% of a core\n", n, r, r/u, 100*c/w }'
}

echo "workload: ${load[*]} ; probe $probe ${extra[*]} ; $(nproc) CPUs; $(uname -r); load average $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$rounds"); do
  untraced=$(rate)
  echo "round $i: untraced ${untraced}/s"
  start_collector; measure bpfstream
  untraced=$(rate)
  start_bpftrace; measure bpftrace
done
