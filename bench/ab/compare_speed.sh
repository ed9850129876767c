#!/usr/bin/env bash
# bench/ab/compare_speed.sh - how long `tach compare` takes on two 1,000-benchmark runs
# (issue 4 §6: <= 200 ms).
#
# Synthetic runs of BENCHMARKS benchmarks with SAMPLES raw samples each (3% noise) are
# recorded in a temporary SQLite store: run 1 the base; run 2 a typical next run (95% of
# the benchmarks unchanged, 3% 8% slower, 2% 7% faster); run 3 a worst case for the
# bootstrap (every benchmark 1% slower: each CI ends near the 2% noise threshold, where
# it is redrawn larger).  `tach compare` runs REPEAT times on each pair and the median
# wall time and CPU time (user + system) of the whole command are printed; also with
# --resamples 100 (no redrawing: the cost of everything else) and from the files.
#
# usage: bench/ab/compare_speed.sh [BUILD_DIR]   (env BENCHMARKS=1000 SAMPLES=50 REPEAT=7)
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build}
tach=$(readlink -f "$build/tach" || true)
nb=${BENCHMARKS:-1000}
ns=${SAMPLES:-50}
repeat=${REPEAT:-7}
py=/usr/bin/python3
[ -x "$tach" ] || { echo "no tach binary at $build/tach (build first)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
$py - "$tmp" "$nb" "$ns" <<'PY'
import json, random, sys
d, nb, ns = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(1)
def scale(k, i):
    if k == 2: return 1.08 if i % 100 < 3 else 0.93 if i % 100 < 5 else 1.0
    return 1.01 if k == 3 else 1.0
for k in (1, 2, 3):
    b = [{"name": f"group{i % 20}/bench{i}", "status": "ok",
          "samples": {"iters": [1000] * ns,
                      "ns": [100 * (1 + 0.03 * random.random()) * scale(k, i) for _ in range(ns)]}}
         for i in range(nb)]
    json.dump({"format": "tach-results", "version": 1, "partial": False, "context": {},
               "benchmarks": b}, open(f"{d}/run{k}.json", "w"))
PY
"$tach" record --store "$tmp/t.db" -q "$tmp/run1.json" "$tmp/run2.json" "$tmp/run3.json" >/dev/null
measure() { # label args...
  local label=$1; shift
  $py - "$repeat" "$@" <<'PY' | sed "s/^/$label: /"
import os, sys, time, statistics
rep, argv = int(sys.argv[1]), sys.argv[2:]
walls, cpus = [], []
for _ in range(rep):
    t0 = time.monotonic()
    pid = os.posix_spawn(argv[0], argv, os.environ,
                         file_actions=[(os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0)])
    _, st, ru = os.wait4(pid, 0)
    walls.append(time.monotonic() - t0)
    cpus.append(ru.ru_utime + ru.ru_stime)
    if st != 0: sys.exit(f"exit status {st}: {argv}")
print(f"median wall {statistics.median(walls) * 1000:.0f} ms, median CPU {statistics.median(cpus) * 1000:.0f} ms (of {rep})")
PY
}
echo "tach compare of two runs of $nb benchmarks x $ns samples; machine load $(cut -d' ' -f1-3 /proc/loadavg)"
measure "typical: store runs             " "$tach" compare --store "$tmp/t.db" 1 2
measure "typical: store, --format json   " "$tach" compare --store "$tmp/t.db" --format json 1 2
measure "typical: results files          " "$tach" compare "$tmp/run1.json" "$tmp/run2.json"
measure "worst case: store runs          " "$tach" compare --store "$tmp/t.db" 1 3
measure "all but the CIs: --resamples 100" "$tach" compare --store "$tmp/t.db" --resamples 100 1 3
