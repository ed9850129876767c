#!/usr/bin/env bash
# bench/profile/run.sh - what a profile costs and how right it is (issue #13 §5),
# figures in docs/PERFORMANCE.md.
#
#   1. overhead: tests' fixture_prof_hot (prof/mix, ~0.4 ms per iteration) run
#      without and with --profile at the default rate in CYCLES cycles of four runs,
#      A B B A (A without, B with), each a benchmark binary run of --max-time 1;
#      prints the median of each side's medians and their ratio (target: <= 1.05).
#      Then what one sample costs the sampled thread (prof_bench cost): a fixed loop's
#      thread CPU time without and with tach's sampler, A B B A, and the same with a
#      bare POSIX timer at the same rate in the sampler's place (what any timer
#      interrupt at that rate costs on this machine).
#   2. symbolization: 10,000 distinct addresses spread over the code of DEBUG_BUILD's
#      tach executable (with DWARF when DEBUG_BUILD is a RelWithDebInfo build),
#      looked up with tach's symbolizer (bench/profile/prof_bench.c), median of 3
#      (target: <= 1 s; an addr2line process per address takes minutes).
#   3. processing: 10 s of CPU of a varied workload (zlib, qsort, a recursion)
#      sampled at the default rate, then turned into every output (symbolize, build,
#      folded, speedscope, SVG, written) (target: <= 2 s).
#   4. side by side with perf: `perf record -e cpu-clock:u -F HZ -g` + `perf report
#      --no-children` against `--profile-hz HZ` (SIDE_HZ, default 4999: at 997 Hz a
#      loaded machine leaves a 3-second run a few hundred samples, whose shares carry a
#      binomial error of 2 to 3 points each, as large as the agreement checked) on the
#      same benchmark (prof/mix, zlib/compress/level=6 of
#      examples/compress and the first benchmark of examples/sort when they were
#      built), against tach's --profile table: each of
#      tach's top functions with both shares, normalized over those functions (perf
#      also sees calibration, warm-up and tach's statistics, tach only the measured
#      samples) (target: the same top functions, shares within a few points).
#
# usage: bench/profile/run.sh [BUILD_DIR [DEBUG_BUILD_DIR]]   (default build/, the same)
#   env CYCLES=6 SIDE_HZ=4999 SIDE_TIME=5
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(readlink -f "${1:-$src/build}")
dbg=$(readlink -f "${2:-$build}")
cycles=${CYCLES:-6}
side_hz=${SIDE_HZ:-4999}
side_time=${SIDE_TIME:-5}
fix=$build/tests/fixture_prof_hot
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

cc -O2 -I"$src/include" -I"$src/src/core" -I"$src/src/bench" -I"$src/src/format" \
  "$src/bench/profile/prof_bench.c" "$build/libtach.a" $(pkg-config --libs jansson zlib libdw) -lm -o prof_bench

echo "== 1. overhead at the default rate ($cycles cycles A B B A, prof/mix; load: $(cut -d' ' -f1-3 /proc/loadavg))"
one() { # SIDE [ARGS]: one run, its median appended to SIDE.txt
  local side=$1; shift
  "$fix" --max-time 1 --quiet --format json --out "$side.json" "$@" >/dev/null
  jq '.benchmarks[0].estimates.median.value' "$side.json" >>"$side.txt"
}
for i in $(seq "$cycles"); do
  one off
  one on --profile --profile-dir "$W/p"
  one on --profile --profile-dir "$W/p"
  one off
done
off=$(median <off.txt); on=$(median <on.txt)
awk -v a="$off" -v b="$on" 'BEGIN { printf "median without %.1f us, with --profile %.1f us: ratio %.3f\n", a / 1e3, b / 1e3, b / a }'
echo "-- the cost of one sample (thread CPU time of a fixed loop, 40 cycles A B B A)"
./prof_bench cost 997 40

echo "== 2. symbolization of 10,000 distinct addresses ($dbg/tach)"
read -r lo size < <(readelf -SW "$dbg/tach" | awk '$2 == ".text" { print "0x"$4, "0x"$6 }')
hi=$(printf '0x%x' $((lo + size)))
for i in 1 2 3; do ./prof_bench symbolize "$dbg/tach" "$lo" "$hi" 10000; done | tee sym.txt
echo "median $(awk '{ print $3 }' sym.txt | median) s; named $(awk 'NR == 1 { print $4 }' sym.txt), with a line $(awk 'NR == 1 { print $5 }' sym.txt)"

echo "== 3. a 10-second profile into all outputs"
mkdir -p out
OUTDIR=$W/out ./prof_bench process 10 | awk '{ printf "%d samples, %d distinct stacks: %.3f s\n", $2, $3, $4 }'

echo "== 4. side by side with perf record + perf report (at $side_hz Hz; load: $(cut -d' ' -f1-3 /proc/loadavg))"
# perf_top FILE: "share symbol" lines of perf report (self, user space)
perf_top() { perf report -i "$1" --stdio --no-children --sort symbol -g none 2>/dev/null |
  awk '/^ +[0-9.]+%/ { sub("%", "", $1); print $1, $3 }'; }
side() { # NAME TACH_TABLE PERF_LINES: the table of tach's top functions, both shares normalized over them
  echo "-- $1 ($(grep -oE '^[0-9]+ samples' "$2") by tach, $(grep -c . "$3") lines of perf's report)"
  # an address without a symbol: tach says [lib.so+0x4a08], perf 0x0000000000004a08
  awk 'function key(s) { if (match(s, /\+0x[0-9a-f]+\]$/)) return substr(s, RSTART + 1, RLENGTH - 2)
                         if (s ~ /^0x0*[0-9a-f]+$/) { sub(/^0x0*/, "0x", s); return s } return s }
       FILENAME == ARGV[1] { if ($1 ~ /^[0-9]+$/ && $5 ~ /%$/) { sub("%", "", $4); k = key($2); t[k] = $4; o[++n] = k } next }
       (key($2) in t) { p[key($2)] += $1 }
       END { for (i = 1; i <= n; i++) { ts += t[o[i]]; ps += p[o[i]] }
             printf "%-40s %8s %8s %8s\n", "function", "tach %", "perf %", "diff"
             for (i = 1; i <= n && i <= 5; i++) { f = o[i]; a = 100 * t[f] / ts; b = ps ? 100 * p[f] / ps : 0
               printf "%-40s %8.1f %8.1f %+8.1f\n", f, a, b, a - b } }' "$2" "$3"
}
"$fix" --profile --profile-hz "$side_hz" --profile-dir "$W/p" --max-time "$side_time" --quiet --top 5 >tach1.txt
perf record -q -e cpu-clock:u -F "$side_hz" -g -o perf1.data -- "$fix" --max-time "$side_time" --quiet --no-isolate >/dev/null 2>&1
perf_top perf1.data >perf1.txt
side prof/mix tach1.txt perf1.txt
if [ -x "$build/examples/example_compress" ]; then
  ex=$build/examples/example_compress
  f='^zlib/compress/level=6$'
  "$ex" --filter "$f" --profile --profile-hz "$side_hz" --profile-dir "$W/p" --max-time "$side_time" --quiet --top 5 >tach2.txt
  perf record -q -e cpu-clock:u -F "$side_hz" -g -o perf2.data -- "$ex" --filter "$f" --max-time "$side_time" --quiet --no-isolate >/dev/null 2>&1
  perf_top perf2.data >perf2.txt
  side zlib/compress/level=6 tach2.txt perf2.txt
fi
if [ -x "$build/examples/example_sort" ]; then
  ex=$build/examples/example_sort
  f=$("$ex" --list | head -1)
  "$ex" --filter "^$f\$" --profile --profile-hz "$side_hz" --profile-dir "$W/p" --max-time "$side_time" --quiet --top 5 >tach3.txt
  perf record -q -e cpu-clock:u -F "$side_hz" -g -o perf3.data -- "$ex" --filter "^$f\$" --max-time "$side_time" --quiet --no-isolate >/dev/null 2>&1
  perf_top perf3.data >perf3.txt
  side "$f" tach3.txt perf3.txt
fi
