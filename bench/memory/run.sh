#!/usr/bin/env bash
# bench/memory/run.sh - what heap counting (--memory, docs/memory.md) costs (issue 12 §5):
#
# 1. per allocation: alloc_cost.c, linked with libtach.a, times malloc(32) + free pairs
#    three ways, interleaved, REPS times: glibc's own functions called directly, through
#    libtach's allocator with counting off (every benchmark's path), and with counting
#    on (the memory pass's path).  Prints the medians and the median of the per-
#    repetition differences: "off - glibc" (what interposing costs everyone) and
#    "on - off" (what counting costs; target <= 20 ns), and the same from each way's
#    fastest repetition (on a busy machine, the cost with no preemption in it).
# 2. a benchmark's timed result: kernels.c's benchmarks run PAIRS times with and
#    without --memory, alternating (with first on odd pairs), and each pair's ratio of
#    medians (with / without); the median of those ratios per benchmark (target within
#    1%: counting runs in its own pass after the timed samples), and the same for the
#    fastest sample of each run (estimates.min: what a preemption cannot inflate).
#
# There is no peer to run beside: Google Benchmark's MemoryManager is an interface the
# user implements (typically by interposing malloc the same way); its protocol (a
# separate run after the timed one) is what tach follows.
#
# usage: bench/memory/run.sh [BUILD_DIR]   (default build/; needs libtach.a, jq, python3)
#   env REPS=201 N=50000 PAIRS=8 MAXTIME=1 (each benchmark's --max-time per run;
#       PAIRS=0 skips part 2)
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(readlink -f "${1:-$src/build}")
reps=${REPS:-201}
n=${N:-50000}
pairs=${PAIRS:-8}
maxtime=${MAXTIME:-1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cc=${CC:-cc}
flags=(-O2 -I"$src/include" -I"$src/src/core" -I"$src/src/bench" $(pkg-config --cflags jansson))
libs=("$build/libtach.a" $(pkg-config --libs jansson zlib) -lm)
"$cc" "${flags[@]}" "$src/bench/memory/alloc_cost.c" "${libs[@]}" -o "$tmp/alloc_cost"
"$cc" "${flags[@]}" "$src/bench/memory/kernels.c" "$build/libtach_main.a" "${libs[@]}" -o "$tmp/kernels"

echo "== 1. per allocation: malloc(32) + free, $n pairs x $reps repetitions (ns per pair)"
"$tmp/alloc_cost" "$n" "$reps" 32 >"$tmp/cost.jsonl"
python3 - "$tmp/cost.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
med = lambda k: statistics.median(r[k] for r in rows)
d_off = statistics.median(r["off"] - r["glibc"] for r in rows)
d_on = statistics.median(r["on"] - r["off"] for r in rows)
print(f"  glibc direct      {med('glibc'):7.2f} ns")
print(f"  libtach, off      {med('off'):7.2f} ns   (off - glibc, median of differences: {d_off:+.2f} ns)")
print(f"  libtach, counting {med('on'):7.2f} ns   (on - off, median of differences:    {d_on:+.2f} ns)")
lo = lambda k: min(r[k] for r in rows)
print(f"  fastest repetitions: glibc {lo('glibc'):.2f}, off {lo('off'):.2f} ({lo('off') - lo('glibc'):+.2f}), "
      f"counting {lo('on'):.2f} ({lo('on') - lo('off'):+.2f}) ns")
print(f"  counting per malloc + free pair: {d_on:.1f} ns median, {lo('on') - lo('off'):.1f} ns fastest "
      f"(target <= 20 ns per allocation)")
PY

[ "$pairs" -gt 0 ] || exit 0
echo "== 2. timed results with and without --memory: $pairs pairs, alternating (ratio of medians)"
for i in $(seq 1 "$pairs"); do
    if [ $((i % 2)) = 1 ]; then order="on off"; else order="off on"; fi
    for w in $order; do
        extra=(); [ "$w" = on ] && extra=(--memory)
        "$tmp/kernels" --quiet --max-time "$maxtime" --rounds 2 --format json "${extra[@]}" \
            --out "$tmp/$w.$i.json"
    done
done
python3 - "$tmp" "$pairs" <<'PY'
import json, statistics, sys
d, pairs = sys.argv[1], int(sys.argv[2])
for est in ("median", "min"):
    ratios = {}
    for i in range(1, pairs + 1):
        on = {b["name"]: b for b in json.load(open(f"{d}/on.{i}.json"))["benchmarks"]}
        off = {b["name"]: b for b in json.load(open(f"{d}/off.{i}.json"))["benchmarks"]}
        for name in off:
            v = lambda b: b["estimates"][est]["value"] if est == "median" else b["estimates"][est]
            ratios.setdefault(name, []).append(v(on[name]) / v(off[name]))
    worst = 0
    for name, rs in ratios.items():
        m = statistics.median(rs)
        worst = max(worst, abs(m - 1))
        print(f"  {name:16s} {est:6s} with/without --memory: median of ratios {m:.4f} "
              f"(pairs: {min(rs):.3f} .. {max(rs):.3f})")
    print(f"  {est}: largest |median of ratios - 1|: {worst * 100:.2f}% (target <= 1%)")
PY
