#!/usr/bin/env bash
# bench/memory/run.sh - what heap counting (--memory, docs/memory.md) costs (issue 12 §5):
#
# 0. when nothing counts: libtach defines no allocator function, so a program linked
#    with it calls glibc's malloc directly.  alloc_cost.c's plain loop (malloc(32) +
#    free pairs) built three ways - no libtach, linked with libtach.a, linked with
#    libtach.so - and once more run with the counting allocator preloaded but not
#    counting (what every program linked with libtach paid when libtach defined the
#    allocator itself: the control that shows this measurement sees a few ns); ROUNDS0
#    rounds, the four processes in a rotating order, each REPS0 repetitions of N pairs;
#    per round each one's median, then the median over rounds of the ratio to "plain".
# 1. per allocation: alloc_cost.c, linked with libtach.a and run with the counting
#    allocator preloaded (as the memory pass runs), times the pairs three ways,
#    interleaved, REPS times: glibc's own functions called directly, through the
#    counting allocator with counting off, and with counting on.  Prints the medians
#    and the median of the per-repetition differences: "on - off" (what counting costs;
#    target <= 20 ns per allocation), and the same from each way's fastest repetition.
# 2. a benchmark's timed result: kernels.c's benchmarks run PAIRS times with and
#    without --memory, alternating (with first on odd pairs), and each pair's ratio of
#    medians (with / without); the median of those ratios per benchmark (target within
#    1%: counting runs in its own process after the timed samples), and the same for
#    the fastest sample of each run (estimates.min: what a preemption cannot inflate).
#
# There is no peer to run beside: Google Benchmark's MemoryManager is an interface the
# user implements (typically by interposing malloc); its protocol (a separate run after
# the timed one) is what tach follows.
#
# usage: bench/memory/run.sh [BUILD_DIR]   (default build/; needs libtach.a, libtach.so,
#   libtach-memhook.so, jq, python3)
#   env REPS=201 N=50000 PAIRS=8 MAXTIME=1 ROUNDS0=15 REPS0=21 (each benchmark's
#       --max-time per run; PAIRS=0 skips part 2, ROUNDS0=0 part 0)
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(readlink -f "${1:-$src/build}")
reps=${REPS:-201}
n=${N:-50000}
pairs=${PAIRS:-8}
maxtime=${MAXTIME:-1}
rounds0=${ROUNDS0:-15}
reps0=${REPS0:-21}
hook="$build/libtach-memhook.so"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cc=${CC:-cc}
flags=(-O2 -I"$src/include" -I"$src/src/core" -I"$src/src/bench" -I"$src/src/memhook" $(pkg-config --cflags jansson))
libs=("$build/libtach.a" $(pkg-config --libs jansson zlib $(pkg-config --exists libdw && echo libdw)) -lm)
"$cc" "${flags[@]}" "$src/bench/memory/alloc_cost.c" "${libs[@]}" -o "$tmp/alloc_cost"
"$cc" -O2 -DPLAIN "$src/bench/memory/alloc_cost.c" -o "$tmp/plain"
"$cc" "${flags[@]}" -DPLAIN -DWITH_TACH "$src/bench/memory/alloc_cost.c" "${libs[@]}" -o "$tmp/with_a"
"$cc" "${flags[@]}" -DPLAIN -DWITH_TACH "$src/bench/memory/alloc_cost.c" -Wl,--no-as-needed \
    -L"$build" -ltach -Wl,-rpath,"$build" -o "$tmp/with_so"
if nm -D --defined-only "$build/libtach.so" | awk '{print $NF}' | grep -qx malloc; then
    echo "note: this libtach.so defines malloc (an old build)"
fi

if [ "$rounds0" -gt 0 ]; then
echo "== 0. nothing counting: malloc(32) + free, $rounds0 rounds x $reps0 x $n pairs (ns per pair)"
ways=(plain with_a with_so preloaded)
for r in $(seq 0 $((rounds0 - 1))); do
    for k in 0 1 2 3; do
        w=${ways[$(((k + r) % 4))]}
        case $w in
            preloaded) LD_PRELOAD="$hook" "$tmp/plain" "$n" "$reps0" 32 >"$tmp/w0.$w.$r" ;;
            *) "$tmp/$w" "$n" "$reps0" 32 >"$tmp/w0.$w.$r" ;;
        esac
    done
done
python3 - "$tmp" "$rounds0" <<'PY'
import json, statistics, sys
d, rounds = sys.argv[1], int(sys.argv[2])
ways = ["plain", "with_a", "with_so", "preloaded"]
label = {"plain": "plain program (glibc directly)", "with_a": "linked with libtach.a",
         "with_so": "linked with libtach.so", "preloaded": "counting allocator preloaded, off"}
med = {w: [] for w in ways}
low = {w: [] for w in ways}
for r in range(rounds):
    for w in ways:
        ns = [json.loads(l)["ns"] for l in open(f"{d}/w0.{w}.{r}")]
        med[w].append(statistics.median(ns))
        low[w].append(min(ns))
for w in ways:
    ratio = statistics.median(m / p for m, p in zip(med[w], med["plain"]))
    ratio_lo = statistics.median(m / p for m, p in zip(low[w], low["plain"]))
    diff = statistics.median(m - p for m, p in zip(med[w], med["plain"]))
    print(f"  {label[w]:36s} {statistics.median(med[w]):6.2f} ns  ratio to plain {ratio:.3f} "
          f"(fastest reps {ratio_lo:.3f}; median difference {diff:+.2f} ns)")
PY
fi
"$cc" "${flags[@]}" "$src/bench/memory/kernels.c" "$build/libtach_main.a" "${libs[@]}" -o "$tmp/kernels"

echo "== 1. per allocation, in the counting process: malloc(32) + free, $n pairs x $reps repetitions (ns per pair)"
LD_PRELOAD="$hook" "$tmp/alloc_cost" "$n" "$reps" 32 >"$tmp/cost.jsonl"
python3 - "$tmp/cost.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
med = lambda k: statistics.median(r[k] for r in rows)
d_off = statistics.median(r["off"] - r["glibc"] for r in rows)
d_on = statistics.median(r["on"] - r["off"] for r in rows)
print(f"  glibc direct      {med('glibc'):7.2f} ns")
print(f"  preloaded, off    {med('off'):7.2f} ns   (off - glibc, median of differences: {d_off:+.2f} ns)")
print(f"  preloaded, on     {med('on'):7.2f} ns   (on - off, median of differences:    {d_on:+.2f} ns)")
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
