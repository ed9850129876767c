#!/usr/bin/env bash
# bench/threads/run.sh [BUILD_DIR] - thread scaling at N = 2 on this machine: the
# embarrassingly parallel kernel and the one serialised on a mutex of
# tests/fixtures/scaling.c, measured REPS times (default 3) with ROUNDS rounds each
# (default 8; in each round N = 1 and N = 2 run back to back, and the speedup is the
# median of the per-round ratios) and MAX_TIME seconds per benchmark (default 4).
# Prints, per kernel, the median over the repetitions of:
#   efficiency       wall-clock throughput at N = 2 / (2 x at N = 1), paired by round
#   net              the same with the time the threads waited for a CPU (the machine's
#                    other load, /proc/thread-self/schedstat) taken out of both sides
#   CPU efficiency   the threads' CPU time per operation at N = 1 / at N = 2
#   wait, blocked    shares of the two threads' time at N = 2: runnable without a CPU;
#                    neither running nor waiting for a CPU (a lock, or done early)
#   sleeps/ms        voluntary context switches of the threads per ms at N = 2
# with the load average before and after, as a Markdown block for docs/PERFORMANCE.md.
# Exit 0 when the parallel kernel's efficiency is above the mutex kernel's, 1 when not
# (a saturated machine), 2 when it cannot run.
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$(realpath -m "${1:-$src/build}")
reps=${REPS:-3}
rounds=${ROUNDS:-8}
maxt=${MAX_TIME:-4}
out=$(realpath -m "${OUT:-$build/bench-threads}")
die() { echo "run.sh: $*" >&2; exit 2; }
bin=$build/tests/fixture_scaling
[ -x "$bin" ] || die "build $build first (tests/fixture_scaling)"
grep -q '^TACH_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" && die "$build is a sanitizer build"
mkdir -p "$out"
rm -f "$out"/threads_*.json
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
t0=$(date +%s)
for ((i = 1; i <= reps; i++)); do
  echo "== repetition $i/$reps" >&2
  "$bin" --max-time "$maxt" --min-time 1 --rounds "$rounds" --quiet --format json \
    --out "$out/threads_$i.json" >/dev/null || die "fixture_scaling exited $?"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$out" "$reps" "$rounds" "$maxt" "$load_before" "$load_after" "$(( $(date +%s) - t0 ))" "$(nproc)" <<'PY'
import json, statistics, sys
out, reps, rounds, maxt, lb, la, secs, cpus = sys.argv[1:9]
reps = int(reps)
keys = ["efficiency", "efficiency_net", "cpu_efficiency", "runq_wait", "blocked", "sleeps_per_ms"]
got = {}
for i in range(1, reps + 1):
    d = json.load(open(f"{out}/threads_{i}.json"))
    for s in d["scaling"]:
        p = [q for q in s["points"] if q["threads"] == 2][0]
        k = s["sweep"].split("/")[0]
        for key in keys:
            got.setdefault(k, {}).setdefault(key, []).append(p.get(key))
def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else float("nan")
def rng(xs):
    xs = [x for x in xs if x is not None]
    return f"{min(xs):.2f}–{max(xs):.2f}" if xs else "-"
print(f"```\nREPS={reps} ROUNDS={rounds} MAX_TIME={maxt} bench/threads/run.sh   ({secs} s, {cpus} CPUs; load average {lb} -> {la})\n```\n")
print("| kernel, N = 2 | efficiency (range) | net of the wait (range) | CPU efficiency | wait for a CPU | blocked | sleeps/ms |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for k, v in got.items():
    print(f"| {k} | {med(v['efficiency']):.2f} ({rng(v['efficiency'])}) | {med(v['efficiency_net']):.2f} ({rng(v['efficiency_net'])}) "
          f"| {med(v['cpu_efficiency']):.2f} | {100 * med(v['runq_wait']):.0f}% | {100 * med(v['blocked']):.0f}% | {med(v['sleeps_per_ms']):.3f} |")
par, ser = med(got["parallel"]["efficiency"]), med(got["serialised"]["efficiency"])
sys.exit(0 if par > ser else 1)
PY
