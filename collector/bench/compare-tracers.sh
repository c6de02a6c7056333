#!/usr/bin/env bash
# Tracer comparison on the shared workloads (../shared/bench): the workload untraced, traced by the
# bpfstream collector into each sink, and traced by bpftrace's stock tool, in alternation, several
# rounds, each traced run against the untraced run just before it.
#
#   collector/bench/compare-tracers.sh open [rounds] [count]   # openloop COUNT /nonexistent/x (200000) vs opensnoop.bt
#   collector/bench/compare-tracers.sh exec [rounds] [count]   # execloop COUNT (10000) vs execsnoop.bt
#
# Sinks (SINKS, default "stdout null kafka"): `--stdout` redirected to a file, `--sink null`
# (decode and encode, no output), and Kafka on a co-located in-process broker that the script
# starts (kafka-broker.sh; BPFSTREAM_BOOTSTRAP=host:port uses that broker instead). bpftrace
# writes to a file too (BPFTRACE=0 leaves it out). The collector runs as `./bpfstream collector run`
# does (java -XX:+UseSerialGC, default settings) with --probes PROBE, --interval 1s (so /metrics
# is current) and a free --metrics-port; COLLECTOR_ARGS adds options. Each collector is a fresh
# JVM: the workload runs once right after it attached ("cold", what a new user sees) and once more
# ("warm", what a collector that has run a while costs).
#
# Prints per run: the workload's rate and its ratio to the untraced run before it; for the
# collector the probe's counters over that run (attempted, delivered, lost in the ring: /metrics
# deltas, the whole probe, so other processes' events count too), the workload's own events in
# the output file (stdout), and its CPU µs per workload event (utime+stime of the process from
# /proc/PID/stat, JIT and GC included; with Kafka also the broker's) and per record it delivered
# (the probe sees other processes' opens too); at exit the collector's own exit summary line.
# COLLECTOR_JVM adds JVM options (e.g. a JFR recording of each collector: "-XX:StartFlightRecording=..."). For bpftrace: the workload's lines in its output, its "Lost N events" sum and
# its CPU µs per event. Load average before each round.
set -euo pipefail
kind="${1:-open}"; rounds="${2:-3}"
here="$(cd "$(dirname "$0")/../.." && pwd)"
shared="$here/../shared/bench"
jar="$here/collector/target/bpfstream-collector.jar"
[ -f "$jar" ] || (cd "$here" && mvn -B -q -DskipTests package -pl collector -am)
sinks="${SINKS:-stdout null kafka}"
work="$(mktemp -d)"
broker=""
tracer=""
cleanup() {
  if [ -n "$tracer" ]; then kill -TERM "$tracer" 2>/dev/null || true; fi
  if [ -n "$broker" ]; then
    kill -TERM "${broker_java:-$broker}" 2>/dev/null || true
    wait "$broker" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
case "$kind" in
  open) count="${3:-200000}"; gcc -O2 -o "$work/load" "$shared/openloop.c"; args=("$count" /nonexistent/x)
        bt=/usr/sbin/opensnoop.bt; probe=open ;;
  exec) count="${3:-10000}"; gcc -O2 -o "$work/load" "$shared/execloop.c"; args=("$count")
        bt=/usr/sbin/execsnoop.bt; probe=exec ;;
  *) echo "usage: $0 open|exec [rounds] [count]" >&2; exit 2 ;;
esac

bootstrap="${BPFSTREAM_BOOTSTRAP:-}"
if [[ " $sinks " == *" kafka "* && -z "$bootstrap" ]]; then
  "$here/collector/bench/kafka-broker.sh" >"$work/broker.out" 2>"$work/broker.err" &
  broker=$!
  for _ in $(seq 600); do grep -q '^ready' "$work/broker.out" && break; sleep 0.5; done
  bootstrap=$(awk '/^ready/ {print $2}' "$work/broker.out")
  [ -n "$bootstrap" ] || { echo "broker did not start: $(tail -5 "$work/broker.err")" >&2; exit 1; }
  broker_java=$(pgrep -P "$broker" java || echo "$broker")
fi

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
# attempted delivered lost_kernel rate_limited produced, from one scrape of /metrics
counters() {
  curl -s "http://127.0.0.1:$mport/metrics" | awk -v p="{probe=\"$probe\"}" '
    {v[$1] = $2}
    END {n = split("attempted delivered lost_kernel rate_limited produced", k, " ")
         for (i = 1; i <= n; i++) printf "%s ", v["bpfstream_probe_" k[i] "_total" p] + 0}'
}
# Runs the workload in the background so its pid is known; sets rate and lpid.
run_load() { "$work/load" "${args[@]}" >"$work/load.out" & lpid=$!; wait "$lpid"; rate=$(sed -E 's/.*= ([0-9.]+) .*/\1/' "$work/load.out"); }
# Events of the workload in an output file: opens of its pid; execs whose parent it is (the
# collector's ppid; execsnoop.bt has no ppid, so its lines running `true`).
workload_lines() { # file format(json|bt)
  case "$kind/$2" in
    open/json) grep "\"pid\":$lpid,\"tid\"" "$1" | grep -c '"path":"/nonexistent/x"' || true ;;
    exec/json) grep -c "\"ppid\":$lpid,\"uid\"" "$1" || true ;;
    open/bt) awk -v p="$lpid" '$1 == p && $NF == "/nonexistent/x"' "$1" | wc -l ;;
    exec/bt) awk '$3 == "true" && NF == 3' "$1" | wc -l ;;
  esac
}
# Waits until the probe has read what was attempted by the previous scrape (other processes keep
# opening files, so attempted always runs a little ahead) and Kafka acknowledged it: at most 60 s.
await_drained() {
  local a d l r p a0 d0
  read -r a0 d0 _ <<<"$(counters)"
  for _ in $(seq 120); do
    sleep 0.5
    read -r a d l r p <<<"$(counters)"
    if [ $((d + l + r)) -ge "$a0" ] && [ "$p" -ge "$d0" ]; then return 0; fi
    a0=$a; d0=$d
  done
  echo "  (not drained after 60 s: attempted $a delivered $d lost $l produced $p)"
}

collector_run() { # sink
  local sink=(--sink "$1") out=/dev/null
  case "$1" in
    stdout) sink=(--stdout); out="$work/collector.out" ;;
    kafka) sink=(--bootstrap-servers "$bootstrap") ;;
  esac
  mport=$(free_port)
  # The previous run's file says "attached" too, until the new process's redirection truncates it.
  rm -f "$work/collector.err"
  # shellcheck disable=SC2086
  java -XX:+UseSerialGC ${COLLECTOR_JVM:-} -jar "$jar" run --probes "$probe" "${sink[@]}" --interval 1s --metrics-port "$mport" \
    ${COLLECTOR_ARGS:-} >"$out" 2>"$work/collector.err" &
  tracer=$!
  for _ in $(seq 150); do
    grep -q "probe(s) attached" "$work/collector.err" 2>/dev/null && break
    kill -0 "$tracer" 2>/dev/null || break
    sleep 0.2
  done
  grep -q "probe(s) attached" "$work/collector.err" || { echo "collector did not start: $(cat "$work/collector.err")" >&2; exit 1; }
  sleep 1
  local c0 c1 c2 t0 t1 b0 b1 w0 w1 cold_rate cold_pid
  read -r -a c0 <<<"$(counters)"
  run_load; cold_rate=$rate; cold_pid=$lpid
  await_drained
  read -r -a c1 <<<"$(counters)"
  t0=$(cpu_ticks "$tracer"); [ -n "${broker_java:-}" ] && [ "$1" = kafka ] && b0=$(cpu_ticks "$broker_java")
  run_load
  await_drained
  t1=$(cpu_ticks "$tracer"); [ -n "${broker_java:-}" ] && [ "$1" = kafka ] && b1=$(cpu_ticks "$broker_java")
  read -r -a c2 <<<"$(counters)"
  kill -TERM "$tracer"; wait "$tracer" 2>/dev/null || true
  if [ "$1" = stdout ]; then
    w1=$(workload_lines "$work/collector.out" json); w0=$(lpid=$cold_pid workload_lines "$work/collector.out" json)
  fi
  local broker_cpu=""
  [ -n "${b1:-}" ] && broker_cpu=$(awk -v d=$((b1 - b0)) -v hz="$hz" -v n="$count" 'BEGIN {printf ", broker %.2f µs/event", d * 1e6 / hz / n}')
  printf "  collector %-6s cold %8.0f/s (%.2fx) attempted %s delivered %s lost %s%s\n" "$1" "$cold_rate" \
    "$(awk -v r="$cold_rate" -v u="$untraced" 'BEGIN {print r/u}')" $((c1[0] - c0[0])) $((c1[1] - c0[1])) $((c1[2] - c0[2])) \
    "${w0:+, workload lines $w0 of $count}"
  printf "  %-16s warm %8.0f/s (%.2fx) attempted %s delivered %s lost %s%s, CPU %s µs/event (%s µs/delivered)%s\n" "" "$rate" \
    "$(awk -v r="$rate" -v u="$untraced" 'BEGIN {print r/u}')" $((c2[0] - c1[0])) $((c2[1] - c1[1])) $((c2[2] - c1[2])) \
    "${w1:+, workload lines $w1 of $count}" "$(awk -v d=$((t1 - t0)) -v hz="$hz" -v n="$count" 'BEGIN {printf "%.2f", d * 1e6 / hz / n}')" \
    "$(awk -v d=$((t1 - t0)) -v hz="$hz" -v n=$((c2[1] - c1[1])) 'BEGIN {printf "%.2f", (n > 0 ? d * 1e6 / hz / n : 0)}')" "$broker_cpu"
  if grep -q "probe $probe:" "$work/collector.err"; then
    printf "  %-16s %s\n" "" "$(grep "probe $probe:" "$work/collector.err" | sed 's/^collector: //')"
  else
    echo "  no exit summary; the collector's stderr ended with:"; tail -5 "$work/collector.err" | sed 's/^/    /'
  fi
  b0=""; b1=""; w0=""; w1=""
}

bpftrace_run() {
  rm -f "$work/bt.out"
  bpftrace "$bt" >"$work/bt.out" 2>"$work/bt.err" &
  tracer=$!
  for _ in $(seq 50); do [ -s "$work/bt.out" ] && break; sleep 0.2; done
  sleep 1
  local t0 t1 lines lost all
  t0=$(cpu_ticks "$tracer")
  run_load
  sleep 1
  t1=$(cpu_ticks "$tracer")
  kill -TERM "$tracer"; wait "$tracer" 2>/dev/null || true
  lines=$(workload_lines "$work/bt.out" bt)
  lost=$(cat "$work/bt.out" "$work/bt.err" | awk '/^Lost [0-9]+ events/ {n += $2} END {print n + 0}')
  all=$(wc -l <"$work/bt.out")
  printf "  %-16s      %8.0f/s (%.2fx) workload lines %s of %s (all lines %s), Lost %s events, CPU %s µs/event (%s µs/line)\n" "bpftrace" "$rate" \
    "$(awk -v r="$rate" -v u="$untraced" 'BEGIN {print r/u}')" "$lines" "$count" "$all" "$lost" \
    "$(awk -v d=$((t1 - t0)) -v hz="$hz" -v n="$count" 'BEGIN {printf "%.2f", d * 1e6 / hz / n}')" \
    "$(awk -v d=$((t1 - t0)) -v hz="$hz" -v n="$all" 'BEGIN {printf "%.2f", (n > 0 ? d * 1e6 / hz / n : 0)}')"
}

echo "workload: $kind ${args[*]}; $(nproc) CPUs; $(uname -r); sinks: $sinks${COLLECTOR_ARGS:+; collector args: $COLLECTOR_ARGS}"
for i in $(seq "$rounds"); do
  echo "round $i: load average $(cut -d' ' -f1-3 /proc/loadavg)"
  for s in $sinks; do
    run_load; untraced=$rate; echo "  untraced         ${untraced}/s"
    collector_run "$s"
  done
  if [ "${BPFTRACE:-1}" != 0 ]; then
    run_load; untraced=$rate; echo "  untraced         ${untraced}/s"
    bpftrace_run
  fi
done
