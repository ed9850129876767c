#!/usr/bin/env bash
# bench/gbench/run.sh [BUILD_DIR] - tach beside Google Benchmark, same kernels.
#
# Builds the kernels of kernels.h twice, with tach (tach.c, gcc -O2, linked with
# BUILD_DIR's libtach.a) and with Google Benchmark (gbench.cc, g++ -O2, Debian's
# libbenchmark-dev), runs them side by side and prints the issue 2 §7 figures:
#
#   loop overhead    per-iteration time of `x++; keep(x)`: tach <= GB + 0.3 ns
#   agreement        median of a multiply chain, memcpy 64 KiB, FNV-1a 4 KiB:
#                    tach within 3% of GB
#   steadiness       RUNS process runs of each; CV of the per-process results
#                    across processes: tach's no wider than GB's
#   time to result   a ~100 ns operation with --precision 1: wall time of the
#                    whole process <= 1 s, and +-1% reached
#
# Both tools run with their default settings (tach: --precision 1, --max-time 3 per
# benchmark; GB: --benchmark_min_time 0.5 s), as a user would run them.  The runs
# are interleaved A B B A ... so that drift on a shared machine hits both alike.
# The per-process result is tach's median and GB's real_time (GB's mean over all
# iterations of its run).  Ends with a summary table, the generated assembly of the
# overhead loops, and a Markdown block to paste into docs/PERFORMANCE.md.
#
# Environment: RUNS (default 10) process runs per tool; TTR_RUNS (default 5) runs of
# the time-to-result check; PIN=CPU runs every benchmark under `taskset -c CPU`;
# OUT=DIR keeps the binaries and JSON there (default BUILD_DIR/bench-gbench).
# Needs gcc, g++, libbenchmark-dev, objdump, /usr/bin/python3 (standard library).
# Exit status: 0 every target met, 1 some target missed, 2 could not build or run.
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$(realpath -m "${1:-$src/build}")
runs=${RUNS:-10}
ttr_runs=${TTR_RUNS:-5}
out=$(realpath -m "${OUT:-$build/bench-gbench}")
here=$src/bench/gbench
pin=()
[ -n "${PIN:-}" ] && pin=(taskset -c "$PIN")
cmdline="bench/gbench/run.sh${1:+ $1}"
[ -n "${TTR_RUNS:-}" ] && cmdline="TTR_RUNS=$TTR_RUNS $cmdline"
[ -n "${RUNS:-}" ] && cmdline="RUNS=$RUNS $cmdline"
[ -n "${PIN:-}" ] && cmdline="PIN=$PIN $cmdline"
[ -n "${TACH_ARGS:-}" ] && cmdline="TACH_ARGS='$TACH_ARGS' $cmdline"

die() { echo "run.sh: $*" >&2; exit 2; }

# ---- 1. build -------------------------------------------------------------
mkdir -p "$out"
rm -f "$out"/*.json "$out"/*.log "$out"/*.wall
if [ ! -f "$build/CMakeCache.txt" ]; then
  echo "== configuring $build (Release)" >&2
  cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release >"$out/build.log" 2>&1 ||
    { cat "$out/build.log" >&2; die "cmake configure failed"; }
fi
grep -q '^TACH_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" &&
  die "$build is a sanitizer build (TACH_SANITIZE=ON); give a Release build directory"
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt")
echo "== building libtach in $build" >&2
cmake --build "$build" --target tach_static tach_main -j 2 >>"$out/build.log" 2>&1 ||
  { tail -n 30 "$out/build.log" >&2; die "building libtach failed"; }
echo "== compiling the kernels (gcc/g++ -O2)" >&2
gcc -std=gnu11 -O2 -Wall -Wextra -I"$src/include" -o "$out/bench_tach" "$here/tach.c" \
  "$build/libtach_main.a" "$build/libtach.a" $(pkg-config --libs jansson) -lm ||
  die "compiling the tach kernels failed"
g++ -std=c++17 -O2 -Wall -Wextra -o "$out/bench_gb" "$here/gbench.cc" -lbenchmark -lpthread ||
  die "compiling the Google Benchmark kernels failed (is libbenchmark-dev installed?)"

# ---- 2. runs, interleaved A B B A -------------------------------------------
kernels='^(overhead|mulchain|memcpy64k|fnv1a4k)$'
now() { date +%s.%N; }
# TACH_ARGS: extra options for tach's runs of section 2 (e.g. "--precision 0.25" to give
# it a measuring budget nearer Google Benchmark's 0.5 s per benchmark); default none.
read -r -a tach_args <<<"${TACH_ARGS:-}"
run_tach() { # index
  local t0; t0=$(now)
  "${pin[@]}" "$out/bench_tach" "${tach_args[@]}" --filter "$kernels" --format=json --out "$out/tach_$1.json" \
    2>>"$out/tach.log" || die "bench_tach exited $? (see $out/tach.log)"
  echo "$t0 $(now)" >"$out/tach_$1.wall"
}
run_gb() { # index
  local t0; t0=$(now)
  "${pin[@]}" "$out/bench_gb" --benchmark_filter="$kernels" --benchmark_out="$out/gb_$1.json" \
    --benchmark_out_format=json >/dev/null 2>>"$out/gb.log" || die "bench_gb exited $?"
  echo "$t0 $(now)" >"$out/gb_$1.wall"
}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
date_utc=$(date -u +%Y-%m-%dT%H:%M:%SZ)
for ((i = 1; i <= runs; i++)); do
  echo "== run $i/$runs" >&2
  if ((i % 2)); then run_tach "$i"; run_gb "$i"; else run_gb "$i"; run_tach "$i"; fi
done

# ---- 3. time to result: a ~100 ns operation at --precision 1 ------------------
for ((i = 1; i <= ttr_runs; i++)); do
  echo "== time to result $i/$ttr_runs" >&2
  t0=$(now)
  "${pin[@]}" "$out/bench_tach" --filter '^mul100$' --precision 1 --format=json \
    --out "$out/ttr_$i.json" 2>>"$out/tach.log" || die "bench_tach (mul100) exited $?"
  echo "$t0 $(now)" >"$out/ttr_$i.wall"
  t0=$(now)
  "${pin[@]}" "$out/bench_gb" --benchmark_filter='^mul100$' --benchmark_out="$out/gbttr_$i.json" \
    --benchmark_out_format=json >/dev/null 2>>"$out/gb.log" || die "bench_gb (mul100) exited $?"
  echo "$t0 $(now)" >"$out/gbttr_$i.wall"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- 4. the generated loops ---------------------------------------------------
# tach's loop is the body of the static function TACH_BENCH(overhead) defines.
asm_tach=$(objdump -d --no-show-raw-insn "$out/bench_tach" | awk '/<tach__fn_overhead>:/,/^$/')
asm_gb=$(objdump -d --no-show-raw-insn -C "$out/bench_gb" | awk '/<overhead\(benchmark::State&\)>:/,/^$/')
printf '%s\n' "$asm_tach" >"$out/asm_tach.txt"
printf '%s\n' "$asm_gb" >"$out/asm_gb.txt"

# ---- 5. summary -----------------------------------------------------------------
export OUT_DIR=$out RUNS_N=$runs TTR_N=$ttr_runs CMDLINE=$cmdline DATE_UTC=$date_utc \
  LOAD_BEFORE=$load_before LOAD_AFTER=$load_after
export CPU_MODEL=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
export NCPU=$(nproc) GCC_V=$(gcc -dumpfullversion) \
  GB_V=$(dpkg-query -W -f='${Version}' libbenchmark-dev 2>/dev/null || echo unknown)
export BUILD_TYPE=${build_type:-unknown}
virt() { local v; v=$(systemd-detect-virt "$1" 2>/dev/null) || true; echo "${v:-unknown}"; }
export VIRT="VM $(virt --vm), container $(virt --container)"
status=0
/usr/bin/python3 - <<'PY' || status=$?
import json, os, statistics as S

out = os.environ["OUT_DIR"]; runs = int(os.environ["RUNS_N"]); ttr = int(os.environ["TTR_N"])
kernels = ["overhead", "mulchain", "memcpy64k", "fnv1a4k"]
labels = {"overhead": "x++; keep(x)", "mulchain": "multiply chain x1000",
          "memcpy64k": "memcpy 64 KiB", "fnv1a4k": "FNV-1a 4 KiB"}

def load(path):
    with open(path) as f:
        return json.load(f)

def wall(path):
    a, b = open(path).read().split()
    return float(b) - float(a)

def tach_estimates(doc, which):
    r = {}
    for b in doc["benchmarks"]:
        if b.get("status") != "ok":
            raise SystemExit(f"tach: {b.get('name')} ended {b.get('status')}: {b.get('message')}")
        r[b["name"]] = b["estimates"][which]["value"]
    return r

SCALE = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
def gb_times(doc):
    return {b["name"]: b["real_time"] * SCALE[b.get("time_unit", "ns")]
            for b in doc["benchmarks"] if b.get("run_type", "iteration") == "iteration"}

T = {k: [] for k in kernels}; G = {k: [] for k in kernels}; TM = {k: [] for k in kernels}
tw, gw = [], []
for i in range(1, runs + 1):
    doc = load(f"{out}/tach_{i}.json")
    t, tm = tach_estimates(doc, "median"), tach_estimates(doc, "mean")
    g = gb_times(load(f"{out}/gb_{i}.json"))
    for k in kernels:
        T[k].append(t[k]); TM[k].append(tm[k]); G[k].append(g[k])
    tw.append(wall(f"{out}/tach_{i}.wall")); gw.append(wall(f"{out}/gb_{i}.wall"))

def cv(x):
    return S.stdev(x) / S.mean(x) if len(x) > 1 else float("nan")
def rng(x):
    return (max(x) - min(x)) / S.median(x)
def ns(v):
    return f"{v:.3f} ns" if v < 10 else f"{v:.1f} ns" if v < 1000 else f"{v / 1e3:.3f} µs"

rows = []  # figure, kernel, tach, gb, compare, target, pass
ok_all = True
def row(fig, kern, tv, gv, cmp, target, ok):  # ok None: informative, no target
    global ok_all
    if ok is not None:
        ok_all &= ok
    rows.append((fig, kern, tv, gv, cmp, target, "info" if ok is None else "PASS" if ok else "FAIL"))

mt, mg = S.median(T["overhead"]), S.median(G["overhead"])
row("loop overhead", labels["overhead"], ns(mt), ns(mg), f"{mt - mg:+.3f} ns",
    "tach <= GB + 0.3 ns", mt - mg <= 0.3)
for k in ["mulchain", "memcpy64k", "fnv1a4k"]:
    mt, mg = S.median(T[k]), S.median(G[k])
    d = mt / mg - 1
    row("agreement", labels[k], ns(mt), ns(mg), f"{100 * d:+.2f}%", "within 3%", abs(d) <= 0.03)
# GB's real_time is a mean over all iterations of a run: tach's mean, beside it,
# tells a median-vs-mean gap (noise in the upper tail) from a measurement error.
for k in ["mulchain", "memcpy64k", "fnv1a4k"]:
    mt, mg = S.median(TM[k]), S.median(G[k])
    row("agreement of means", labels[k], ns(mt) + " (mean)", ns(mg), f"{100 * (mt / mg - 1):+.2f}%",
        "none (informative)", None)
for k in kernels:
    ct, cg = cv(T[k]), cv(G[k])
    row("steadiness", labels[k], f"CV {100 * ct:.2f}%, range {100 * rng(T[k]):.1f}%",
        f"CV {100 * cg:.2f}%, range {100 * rng(G[k]):.1f}%",
        f"CV ratio {ct / cg:.2f}" if cg > 0 else "n/a", "tach CV <= GB CV", ct <= cg)

# Time to result.
tt = []
for i in range(1, ttr + 1):
    b = load(f"{out}/ttr_{i}.json")["benchmarks"][0]
    meas = sum(it * v for it, v in zip(b["samples"]["iters"], b["samples"]["ns"])) / 1e9
    tt.append(dict(wall=wall(f"{out}/ttr_{i}.wall"), meas=meas, n=len(b["samples"]["ns"]),
                   reached=bool(b["precision"]["reached"]), ach=b["precision"]["achieved"],
                   med=b["estimates"]["median"]["value"]))
gbt = [wall(f"{out}/gbttr_{i}.wall") for i in range(1, ttr + 1)]
gbv = [gb_times(load(f"{out}/gbttr_{i}.json"))["mul100"] for i in range(1, ttr + 1)]
wmed = S.median([t["wall"] for t in tt]); reached = sum(t["reached"] for t in tt)
row("time to result", "multiply chain x100",
    f"{wmed:.2f} s wall ({S.median([t['meas'] for t in tt]):.2f} s in samples), "
    f"±1% reached {reached}/{ttr}",
    f"{S.median(gbt):.2f} s wall (no precision target)",
    f"median {ns(S.median([t['med'] for t in tt]))} vs {ns(S.median(gbv))}",
    "<= 1 s and ±1% reached", wmed <= 1.0 and reached == ttr)

hdr = ("figure", "kernel", "tach", "Google Benchmark", "comparison", "target", "result")
def table(rs):
    lines = ["| " + " | ".join(hdr) + " |", "|" + "---|" * len(hdr)]
    lines += ["| " + " | ".join(r) + " |" for r in rs]
    return "\n".join(lines)

print()
print(f"tach vs Google Benchmark: {runs} process runs each (A B B A), medians over processes")
w = [max(len(str(r[i])) for r in rows + [hdr]) for i in range(len(hdr))]
for r in [hdr] + rows:
    print("  ".join(str(c).ljust(w[i]) for i, c in enumerate(r)).rstrip())
print()
print("per-process results (ns):")
for k in kernels:
    print(f"  {k:10s} tach " + " ".join(f"{v:.4g}" for v in T[k]) + "  (medians)")
    print(f"  {'':10s} tach " + " ".join(f"{v:.4g}" for v in TM[k]) + "  (means)")
    print(f"  {'':10s} GB   " + " ".join(f"{v:.4g}" for v in G[k]))
print("  time to result: " + "; ".join(
    f"{t['wall']:.2f}s wall, {t['n']} samples, ±{100 * t['ach']:.2f}%" for t in tt))
print(f"  process wall time, median: tach {S.median(tw):.1f} s, GB {S.median(gw):.1f} s")
print()
print("----- Markdown for docs/PERFORMANCE.md (paste below the section's heading) -----")
E = os.environ
print(f"Run on {E['DATE_UTC']} with `{E['CMDLINE']}`: {E['CPU_MODEL']}, {E['NCPU']} CPUs, "
      f"{E['VIRT']}, load average {E['LOAD_BEFORE']} before and "
      f"{E['LOAD_AFTER']} after; gcc/g++ {E['GCC_V']} -O2 (libtach: {E['BUILD_TYPE']} build), "
      f"Google Benchmark {E['GB_V']}. "
      f"Figures are medians over {runs} process runs of each tool, interleaved A B B A; "
      f"time to result is the median of {ttr} runs.")
print()
print(table(rows))
print("----- end of Markdown -----")
raise SystemExit(0 if ok_all else 1)
PY

echo
echo "tach overhead loop (objdump -d, TACH_BENCH(overhead)):"
printf '%s\n' "$asm_tach"
echo "Google Benchmark overhead loop (objdump -d, BM overhead):"
printf '%s\n' "$asm_gb"
exit $status
