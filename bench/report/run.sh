#!/usr/bin/env bash
# bench/report/run.sh - the report and site figures (issue 5 §9):
#   HTML report of 200 benchmarks x 100 runs of history: <= 1 s and <= 3 MB;
#   site of 1,000 benchmarks x 500 runs: <= 10 s.
# Synthetic stores (bench/report/gen.py, recorded with `tach record`) are built in
# WORK (default: a temporary directory; pass a directory to keep and reuse them:
# building the big store takes about two minutes).  Each figure is the best of 3.
#   usage: bench/report/run.sh [BUILD_DIR] [WORK]
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build}
tach=$build/tach
[ -x "$tach" ] || { echo "no tach binary at $tach (build first)" >&2; exit 2; }
work=${2:-}
if [ -z "$work" ]; then work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi
mkdir -p "$work"
py=/usr/bin/python3

store() { # name benchmarks runs samples
  local d=$work/$1
  if [ ! -f "$d/s.db" ]; then
    echo "building $1: $2 benchmarks x $3 runs ..." >&2
    rm -rf "$d"; mkdir -p "$d"
    $py "$src/bench/report/gen.py" --benchmarks "$2" --runs "$3" --samples "$4" --out "$d/runs"
    "$tach" record -q --store "$d/s.tmp.db" "$d"/runs/run-*.json >/dev/null
    mv "$d/s.tmp.db" "$d/s.db"
    rm -rf "$d/runs"
  fi
}

best_of_3() { # command... ; prints the best wall time in seconds
  local best=
  for _ in 1 2 3; do
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s.%N)
    best=$(awk -v a="$t0" -v b="$t1" -v m="${best:-1e9}" 'BEGIN { d = b - a; print (d < m ? d : m) }')
  done
  echo "$best"
}

store report 200 100 20
store site 1000 500 5

rc=0
t=$(best_of_3 "$tach" report --store "$work/report/s.db" --last 100 --format html -o "$work/report.html")
size=$(stat -c %s "$work/report.html")
charts=$(grep -o '<svg' "$work/report.html" | wc -l)
printf 'report: HTML, 200 benchmarks x 100 runs: %.3f s, %.2f MB, %d charts (target <= 1 s, <= 3 MB)\n' \
  "$t" "$(awk -v s="$size" 'BEGIN { print s / 1e6 }')" "$charts"
awk -v t="$t" -v s="$size" 'BEGIN { exit !(t <= 1 && s <= 3e6) }' || rc=1

t=$(best_of_3 "$tach" site --store "$work/site/s.db" "$work/site-out")
pages=$(ls "$work/site-out/b" | wc -l)
printf 'site: 1,000 benchmarks x 500 runs: %.3f s, %d pages, %s (target <= 10 s)\n' \
  "$t" "$pages" "$(du -sh "$work/site-out" | cut -f1)"
awk -v t="$t" 'BEGIN { exit !(t <= 10) }' || rc=1
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
exit $rc
