#!/usr/bin/env bash
# bench/hist/run.sh - the latency histogram's cost to record one value and its memory,
# side by side with HdrHistogram's Java implementation (Debian libhdrhistogram-java;
# no C HdrHistogram is packaged in Debian 12, whose published cost is 3-6 ns).
#
# Both record the same 16.8 M log-uniform values (1 ns .. 1 s) into a 1 ns .. 1 h,
# 3-digit histogram, REPS times (default 11; Java's first repetitions are its JIT's
# warm-up and are dropped: the median is over the last half).  Timed in the thread's
# CPU time (CLOCK_THREAD_CPUTIME_ID; Java's ThreadMXBean), so that the other work of a
# shared machine is not counted as recording time.  Prints the medians, the
# ratio tach/Java, and each histogram's memory.  Targets (issue 11): <= 10 ns per value,
# <= 200 KB per histogram.
#
# Then what per-call timing (.latency = true, --latency) adds to each call: an empty body's
# median time per iteration with and without --latency (bench/hist/percall.c; 5 rounds
# each), and the clock's cost as tach measures it.
#
# usage: bench/hist/run.sh [BUILD_DIR]    (default build/; needs cc, and java + javac
#        for the peer)
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build}
reps=${REPS:-11}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cc -O2 -std=gnu11 -I"$src/src/core" -I"$src/include" -o "$tmp/record" "$src/bench/hist/record.c" \
   "$build/libtach.a" $(pkg-config --libs jansson zlib) -lm
"$tmp/record" "$reps" > "$tmp/tach.txt"

median() { # the median of the ns_per_record lines of a file, the last $2 of them
  grep '^ns_per_record' "$1" | tail -n "$2" | awk '{print $2}' | sort -g |
    awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'
}
t=$(median "$tmp/tach.txt" "$reps")
tm=$(awk '/^memory_bytes/ {print $2}' "$tmp/tach.txt")
echo "tach: record median $t ns/value over $reps repetitions; memory $tm bytes ($((tm / 1024)) KiB)"

cc -O2 -std=gnu11 -I"$src/include" -o "$tmp/percall" "$src/bench/hist/percall.c" \
   "$build/libtach_main.a" "$build/libtach.a" $(pkg-config --libs jansson zlib) -lm
"$tmp/percall" --quiet --rounds 5 --format json --out "$tmp/plain.json"
"$tmp/percall" --quiet --rounds 5 --latency --format json --out "$tmp/lat.json"
jq -r --slurpfile l "$tmp/lat.json" '
  .estimates.median.value as $p | $l[0].benchmarks[0] as $b |
  "per-call timing: empty body \($p * 100 | round / 100) ns/call plain, \($b.estimates.median.value * 100 | round / 100) ns/call with --latency: +\(($b.estimates.median.value - $p) * 100 | round / 100) ns per call (clock read \($b.latency.clock_cost_ns * 10 | round / 10) ns)"' \
  <(jq '.benchmarks[0]' "$tmp/plain.json")

jar=/usr/share/java/hdrhistogram.jar
if command -v javac >/dev/null && [ -r "$jar" ]; then
  javac -d "$tmp" -cp "$jar" "$src/bench/hist/Record.java"
  java -cp "$jar:$tmp" Record "$reps" > "$tmp/java.txt"
  half=$(( (reps + 1) / 2 ))
  j=$(median "$tmp/java.txt" "$half")
  jm=$(awk '/^memory_bytes/ {print $2}' "$tmp/java.txt")
  echo "java HdrHistogram 2.1.11: record median $j ns/value (last $half repetitions); memory $jm bytes ($((jm / 1024)) KiB)"
  awk -v t="$t" -v j="$j" 'BEGIN {printf "ratio tach/java: %.2f\n", t / j}'
else
  echo "java or javac or $jar missing: no peer"
fi
