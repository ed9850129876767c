#!/usr/bin/env bash
# bench/complexity/run.sh [BUILD_DIR] - complexity classification, tach beside Google
# Benchmark's Complexity(oAuto), on the same families with known classes (kernels.h):
#
#   hash     O(1)        a lookup of one of 64 keys present (hot at every size)
#   bsearch  O(log N)    binary search in a sorted array
#   sum      O(N)        a pass over the array
#   sort     O(N log N)  qsort of a shuffled copy
#   pairs    O(N^2)      all ordered pairs
#   fixed_sum   O(N)     a fixed cost (~120 ns of multiplies) and the pass over the array
#   fixed_hash  O(1)     the same fixed cost and the lookup
# (the last two added after a first run, in which GB and tach tied on the first five but
# for bsearch, to test what the intercept is for: a call's fixed cost.)
#
# sizes 64 .. 65536 (x4; pairs 16 .. 1024, x2).  Each tool runs RUNS times (default 5),
# interleaved A B B A so that the machine's drift hits both alike, with the same short
# budget per size (tach --max-time 0.3 --min-time 0.1 --rounds 2; GB
# --benchmark_min_time=0.15, about the same time per size).  Prints, per family, how
# many runs each tool classified right, and a Markdown block for docs/PERFORMANCE.md.
# Needs gcc, g++, libbenchmark-dev, python3.  Exit 0 when tach is right at least as
# often as GB overall, 1 otherwise, 2 when it cannot build or run.
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$(realpath -m "${1:-$src/build}")
runs=${RUNS:-5}
out=$(realpath -m "${OUT:-$build/bench-complexity}")
here=$src/bench/complexity
die() { echo "run.sh: $*" >&2; exit 2; }
mkdir -p "$out"
rm -f "$out"/*.json
[ -f "$build/CMakeCache.txt" ] || cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release >"$out/build.log" 2>&1 || die "configure failed"
grep -q '^TACH_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" && die "$build is a sanitizer build"
cmake --build "$build" --target tach_static tach_main -j 2 >>"$out/build.log" 2>&1 || die "building libtach failed"
gcc -std=gnu11 -O2 -Wall -Wextra -I"$src/include" -o "$out/cx_tach" "$here/tach.c" \
  "$build/libtach_main.a" "$build/libtach.a" $(pkg-config --libs jansson zlib libdw) -lm -lpthread ||
  die "compiling the tach kernels failed"
g++ -std=c++17 -O2 -Wall -Wextra -o "$out/cx_gb" "$here/gbench.cc" -lbenchmark -lpthread ||
  die "compiling the Google Benchmark kernels failed (libbenchmark-dev?)"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
run_tach() { "$out/cx_tach" --max-time 0.3 --min-time 0.1 --rounds 2 --quiet --format json --out "$out/tach_$1.json" || die "cx_tach exited $?"; }
run_gb() { "$out/cx_gb" --benchmark_min_time=0.15 --benchmark_out="$out/gb_$1.json" --benchmark_out_format=json >/dev/null 2>>"$out/gb.log" || die "cx_gb exited $?"; }
t0=$(date +%s)
for ((i = 1; i <= runs; i++)); do
  echo "== run $i/$runs" >&2
  if ((i % 2)); then run_tach "$i"; run_gb "$i"; else run_gb "$i"; run_tach "$i"; fi
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$out" "$runs" "$load_before" "$load_after" "$(( $(date +%s) - t0 ))" <<'PY'
import json, sys
out, runs, lb, la, secs = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
truth = {"hash": "1", "bsearch": "logn", "sum": "n", "sort": "nlogn", "pairs": "n2",
         "fixed_sum": "n", "fixed_hash": "1"}
gbkey = {"(1)": "1", "lgN": "logn", "N": "n", "NlgN": "nlogn", "N^2": "n2", "N^3": "n3"}
names = {"1": "O(1)", "logn": "O(log N)", "n": "O(N)", "nlogn": "O(N log N)", "n2": "O(N^2)", "n3": "O(N^3)"}
got = {f: {"tach": [], "gb": []} for f in truth}
for i in range(1, runs + 1):
    t = json.load(open(f"{out}/tach_{i}.json"))
    for fam in t.get("complexity", []):
        got[fam["family"].split("/")[0]]["tach"].append(fam.get("class"))
    g = json.load(open(f"{out}/gb_{i}.json"))
    for b in g["benchmarks"]:
        if b.get("aggregate_name") == "BigO":
            got[b["run_name"]]["gb"].append(gbkey.get(b["big_o"], b["big_o"]))
rows, tt, gt = [], 0, 0
for f, c in truth.items():
    tr = sum(1 for x in got[f]["tach"] if x == c)
    gr = sum(1 for x in got[f]["gb"] if x == c)
    tt += tr; gt += gr
    wrong = lambda xs: ", ".join(sorted({names.get(x, str(x)) for x in xs if x != c})) or "-"
    rows.append(f"| {f} | {names[c]} | {tr}/{len(got[f]['tach'])} | {wrong(got[f]['tach'])} | {gr}/{len(got[f]['gb'])} | {wrong(got[f]['gb'])} |")
total = runs * len(truth)
print(f"```\nRUNS={runs} bench/complexity/run.sh   ({secs} s; load average {lb} -> {la})\n```\n")
print("| family | true class | tach right | tach's wrong answers | GB oAuto right | GB's wrong answers |")
print("| --- | --- | ---: | --- | ---: | --- |")
print("\n".join(rows))
print(f"| **all** | | **{tt}/{total}** | | **{gt}/{total}** | |")
sys.exit(0 if tt >= gt else 1)
PY
