#!/usr/bin/env bash
# bench/gbench/variants.sh [BUILD_DIR] - the steadiness figure of issue 2 for several
# settings of tach side by side: which sampling settings make tach's result repeat
# from one process to the next, against Google Benchmark on the same kernels.
#
# Uses the binaries bench/gbench/run.sh builds (BUILD_DIR/bench-gbench/bench_tach and
# bench_gb; run it first).  Each round runs every variant once and Google Benchmark
# once, in an order that rotates from round to round, so drift on the machine hits
# each alike.  A variant is a set of options for bench_tach; VARIANTS separates them
# with '|' and an empty one is the defaults:
#
#   VARIANTS='--rounds 1 --min-time 0|--rounds 1||--rounds 8' N=30 bench/gbench/variants.sh build
#
# Prints, per kernel and variant, the spread of the per-process results across the N
# processes: CV (stdev / mean) and the robust spread 1.4826 x MAD / median (which one
# whole-process slow spell moves far less), and the same for Google Benchmark.  The
# per-process result is tach's median and GB's real_time, as in run.sh.
#
# Environment: N (default 30) processes per variant; VARIANTS (default
# '--rounds 1 --min-time 0|--rounds 1|', the earlier defaults, a minimum time only,
# and the current defaults); OUT=DIR for the JSON (default BUILD_DIR/bench-variants).
# Exit status: 0, or 2 when the binaries are missing.
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$(realpath -m "${1:-$src/build}")
bin=$build/bench-gbench
n=${N:-30}
[[ $n =~ ^[0-9]+$ ]] && ((n >= 2)) || { echo "variants.sh: N must be an integer >= 2 (got '$n')" >&2; exit 2; }
out=$(realpath -m "${OUT:-$build/bench-variants}")
[ -x "$bin/bench_tach" ] && [ -x "$bin/bench_gb" ] ||
  { echo "variants.sh: no $bin/bench_tach or bench_gb; run bench/gbench/run.sh $build first" >&2; exit 2; }
# Split VARIANTS on '|', keeping empty fields (an empty variant is the defaults).
spec=${VARIANTS-"--rounds 1 --min-time 0|--rounds 1|"}
variants=()
while :; do
  variants+=("${spec%%|*}")
  [[ $spec == *'|'* ]] || break
  spec=${spec#*|}
done
kernels='^(overhead|mulchain|memcpy64k|fnv1a4k)$'
mkdir -p "$out"
rm -f "$out"/*.json
nv=${#variants[@]}
echo "== $n processes of each of $nv tach variants and of Google Benchmark; load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for ((i = 1; i <= n; i++)); do
  echo "== round $i/$n" >&2
  for ((s = 0; s <= nv; s++)); do
    v=$(((s + i) % (nv + 1)))
    if ((v == nv)); then
      "$bin/bench_gb" --benchmark_filter="$kernels" --benchmark_out="$out/gb_$i.json" \
        --benchmark_out_format=json >/dev/null 2>&1
    else
      read -r -a args <<<"${variants[v]}"
      "$bin/bench_tach" "${args[@]}" --quiet --filter "$kernels" --format=json --out "$out/v${v}_$i.json"
    fi
  done
done
export OUT_DIR=$out N_RUNS=$n NV=$nv
export VARIANT_NAMES=$(printf '%s\n' "${variants[@]}")
/usr/bin/python3 - <<'PY'
import json, os, statistics as S
out, n, nv = os.environ["OUT_DIR"], int(os.environ["N_RUNS"]), int(os.environ["NV"])
names = os.environ["VARIANT_NAMES"].split("\n")[:nv]
names += [""] * (nv - len(names))  # the shell dropped trailing empty names
kernels = ["overhead", "mulchain", "memcpy64k", "fnv1a4k"]
SCALE = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}

def spread(xs):
    m = S.median(xs)
    mad = S.median([abs(x - m) for x in xs])
    return 100 * S.stdev(xs) / S.mean(xs), 100 * 1.4826 * mad / m

cols = [f"tach {nm or '(defaults)'}" for nm in names] + ["Google Benchmark"]
print(f"Spread across {n} processes: CV / robust spread (1.4826 x MAD / median), in %")
print()
print("| kernel | " + " | ".join(cols) + " |")
print("|---|" + "---|" * len(cols))
for k in kernels:
    row = []
    for v in range(nv):
        xs = []
        for i in range(1, n + 1):
            d = json.load(open(f"{out}/v{v}_{i}.json"))
            xs += [b["estimates"]["median"]["value"] for b in d["benchmarks"] if b["name"] == k]
        row.append("%.2f / %.2f" % spread(xs))
    g = []
    for i in range(1, n + 1):
        d = json.load(open(f"{out}/gb_{i}.json"))
        g += [b["real_time"] * SCALE[b.get("time_unit", "ns")] for b in d["benchmarks"] if b["name"] == k]
    row.append("%.2f / %.2f" % spread(g))
    print(f"| {k} | " + " | ".join(row) + " |")
PY
echo
echo "Command: $( [ -n "${VARIANTS+x}" ] && printf "VARIANTS='%s' " "$VARIANTS")N=$n bench/gbench/variants.sh${1:+ $1}; $(date -u +%Y-%m-%dT%H:%M:%SZ); load $(cut -d' ' -f1-3 /proc/loadavg) at the end"
