#!/usr/bin/env bash
# Overhead of the CPU probes on a workload, side by side with bpftrace, alternating in one run:
# untraced, traced by the bpfstream collector, untraced, traced by bpftrace, ...
#
#   collector/bench/compare-cpu-tracers.sh runqlat [rounds] [loops]        # perf bench sched pipe vs runqlat.bt
#   collector/bench/compare-cpu-tracers.sh profile [rounds] [hz] [count]   # openloop vs bpftrace profile:hz:HZ
#
# runqlat's workload is context-switch heavy: two processes ping-ponging over pipes (each op is two
# wakeups and two switches). profile's cost is per sample, so its workload is the shared openloop
# (syscall-heavy: kernel and user stacks to walk). The workload is pinned to the last CPU and
# measured by its own CPU time per op (perf stat task-clock, children included): BPF programs run
# in the traced tasks' context, so that is where tracing shows, and it does not move with what
# other jobs on the machine do to throughput. The collector runs with --sink null and a 2 s
# interval (its drains and symbolization fall inside the measurement) and gets 4 s to settle
# after attaching (JVM start, first namespace scan). Prints per round: workload CPU ns/op untraced
# (before/after) and traced, the ratio traced / untraced, ops/s, and the tracer's CPU in % of a core.
set -euo pipefail
kind="${1:-runqlat}"; rounds="${2:-3}"
here="$(cd "$(dirname "$0")/../.." && pwd)"
shared="$here/../shared/bench"
jar="$here/collector/target/bpfstream-collector.jar"
[ -f "$jar" ] || (cd "$here" && mvn -B -q -DskipTests package -pl collector -am)
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cpu=$(($(nproc) - 1))
case "$kind" in
  runqlat) ops="${3:-50000}"; load=(perf bench sched pipe -l "$ops"); probe=runqlat; extra=()
           # runqlat.bt as shipped, minus its #include <linux/sched.h> (which fails to parse on
           # Debian 12's headers) and with TASK_RUNNING written as 0.
           bt=(bpftrace -e 'tracepoint:sched:sched_wakeup,tracepoint:sched:sched_wakeup_new { @qtime[args->pid] = nsecs; }
             tracepoint:sched:sched_switch { if (args->prev_state == 0) { @qtime[args->prev_pid] = nsecs; }
               $ns = @qtime[args->next_pid]; if ($ns) { @usecs = hist((nsecs - $ns) / 1000); } delete(@qtime[args->next_pid]); }') ;;
  profile) hz="${3:-49}"; ops="${4:-300000}"; gcc -O2 -o "$work/load" "$shared/openloop.c"
           load=("$work/load" "$ops" /etc/hostname); probe=profile; extra=(--probe-option "profile.hz=$hz")
           bt=(bpftrace -e "profile:hz:$hz { @[kstack, ustack, pid, comm] = count(); }") ;;
  *) echo "usage: $0 runqlat|profile [rounds] [loops | hz count]" >&2; exit 2 ;;
esac

cpu_ns() { awk '{printf "%.0f", ($14+$15)*10000000}' "/proc/$1/stat"; } # %d saturates at 2^31 in mawk
# Runs the workload once: sets ns_op (its CPU ns per op) and ops_s (its throughput).
run_load() {
  local t0 t1
  t0=$(date +%s%N)
  taskset -c "$cpu" perf stat -e task-clock -x, -o "$work/stat" "${load[@]}" >/dev/null 2>&1
  t1=$(date +%s%N)
  ns_op=$(awk -F, -v n="$ops" '/task-clock/ {printf "%.0f", $1 * 1000000 / n}' "$work/stat")
  ops_s=$(awk -v n="$ops" -v w=$((t1 - t0)) 'BEGIN {printf "%.0f", n * 1e9 / w}')
}

start_collector() {
  java -XX:+UseSerialGC -Xmx256m -jar "$jar" run --probes "$probe" "${extra[@]}" --sink null --metrics-port 0 \
    --no-host-metrics --interval 2s 2>"$work/tracer.err" >/dev/null &
  tracer=$!
  for _ in $(seq 100); do grep -q "attached" "$work/tracer.err" 2>/dev/null && { sleep 4; return; }; sleep 0.2; done
  echo "collector did not start: $(cat "$work/tracer.err")" >&2; exit 1
}
start_bpftrace() {
  "${bt[@]}" >/dev/null 2>"$work/tracer.err" &
  tracer=$!
  sleep 4 # bpftrace prints "Attaching" to stdout; give it time to attach
}
measure() { # name
  local before after t0 t1 traced traced_ops
  run_load; local u1=$ns_op
  "start_$1"
  before=$(cpu_ns "$tracer"); t0=$(date +%s%N)
  run_load; traced=$ns_op; traced_ops=$ops_s
  t1=$(date +%s%N); after=$(cpu_ns "$tracer")
  kill -TERM "$tracer"; wait "$tracer" 2>/dev/null || true
  run_load; local u2=$ns_op
  awk -v n="$1" -v u1="$u1" -v u2="$u2" -v t="$traced" -v o="$traced_ops" -v c=$((after - before)) -v w=$((t1 - t0)) \
    'BEGIN { printf "  %-10s untraced %6d/%-6d ns/op  traced %6d ns/op  ratio %.3f  (%d ops/s)  tracer CPU %.1f%% of a core\n",
             n, u1, u2, t, 2 * t / (u1 + u2), o, 100 * c / w }'
}

echo "workload: ${load[*]} on CPU $cpu; probe $probe ${extra[*]}; $(nproc) CPUs; $(uname -r); load average $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$rounds"); do
  echo "round $i"
  measure collector
  measure bpftrace
done
