#!/usr/bin/env bash
# In-kernel cost per program run of a tracer's BPF programs, from the kernel's own accounting
# (sysctl kernel.bpf_stats_enabled: run_cnt and run_time_ns per program), while a workload runs.
# Independent of what else loads the machine, unlike throughput ratios.
#
#   collector/bench/bpf-prog-cost.sh runqlat [loops]       # collector runqlat, then bpftrace runqlat, on perf bench sched pipe
#   collector/bench/bpf-prog-cost.sh profile [hz] [count]  # collector profile, then bpftrace profile:hz, on openloop
#
# Turns bpf_stats_enabled on for the measurement and back to its previous value after.
set -euo pipefail
kind="${1:-runqlat}"
here="$(cd "$(dirname "$0")/../.." && pwd)"
shared="$here/../shared/bench"
jar="$here/collector/target/bpfstream-collector.jar"
[ -f "$jar" ] || (cd "$here" && mvn -B -q -DskipTests package -pl collector -am)
work="$(mktemp -d)"
was=$(cat /proc/sys/kernel/bpf_stats_enabled)
trap 'echo "$was" > /proc/sys/kernel/bpf_stats_enabled; rm -rf "$work"' EXIT
case "$kind" in
  runqlat) load=(perf bench sched pipe -l "${2:-200000}"); extra=()
           bt='tracepoint:sched:sched_wakeup,tracepoint:sched:sched_wakeup_new { @qtime[args->pid] = nsecs; }
             tracepoint:sched:sched_switch { if (args->prev_state == 0) { @qtime[args->prev_pid] = nsecs; }
               $ns = @qtime[args->next_pid]; if ($ns) { @usecs = hist((nsecs - $ns) / 1000); } delete(@qtime[args->next_pid]); }' ;;
  profile) hz="${2:-49}"; gcc -O2 -o "$work/load" "$shared/openloop.c"; load=("$work/load" "${3:-1000000}" /etc/hostname)
           extra=(--probe-option "profile.hz=$hz"); bt="profile:hz:$hz { @[kstack, ustack, pid, comm] = count(); }" ;;
  *) echo "usage: $0 runqlat [loops] | profile [hz] [count]" >&2; exit 2 ;;
esac

ids() { bpftool prog show -j | python3 -c 'import json,sys; print(" ".join(str(p["id"]) for p in json.load(sys.stdin)))'; }
report() { # name, ids before the tracer started
  bpftool prog show -j | python3 -c '
import json, sys
before = set(sys.argv[2].split())
for p in json.load(sys.stdin):
    if str(p["id"]) in before or p.get("type") not in ("tracing", "tracepoint", "raw_tracepoint", "perf_event", "kprobe"):
        continue
    n, t = p.get("run_cnt", 0), p.get("run_time_ns", 0)
    if n:
        print("  %-10s %-16s %10d runs  %7.0f ns/run" % (sys.argv[1], p.get("name", "?"), n, t / n))
' "$1" "$2"
}
echo "workload: ${load[*]}; $(nproc) CPUs; $(uname -r); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo 1 > /proc/sys/kernel/bpf_stats_enabled

before=$(ids)
java -XX:+UseSerialGC -Xmx256m -jar "$jar" run --probes "$kind" "${extra[@]}" --sink null --metrics-port 0 --no-host-metrics 2>"$work/err" >/dev/null &
tracer=$!
for _ in $(seq 100); do grep -q "attached" "$work/err" 2>/dev/null && break; sleep 0.2; done
"${load[@]}" >/dev/null 2>&1
report collector "$before"
kill -TERM "$tracer"; wait "$tracer" 2>/dev/null || true

before=$(ids)
bpftrace -e "$bt" >/dev/null 2>&1 &
tracer=$!
sleep 4
"${load[@]}" >/dev/null 2>&1
report bpftrace "$before"
kill -TERM "$tracer"; wait "$tracer" 2>/dev/null || true
