#!/usr/bin/env bash
# bench/suite/run.sh - what `tach bench` costs over the steps it replaces.
#
# The suite of tests/cli/bench_suite.sh (a libtach binary with two benchmarks, and a
# command) is run ROUNDS times each way, the two ways alternating (A B B A ...) so that
# the machine's drift hits both alike:
#   bench   tach bench --bench-time T (check, plan, run, record, compare, report, JSON)
#   manual  the same measurements and outputs by hand, as a CI script did before:
#           tach run BINARY --bench-time T --export-json; tach run -c CMD --min-time T
#           --export-json; tach record both; tach gate against the baseline; tach report
#           --format md -o and --format json -o
# and prints each way's median wall time and the ratio bench/manual.  Both measure for the
# same budget; the ratio is the orchestration's cost (the machine check, the --help probes
# of the plan, one child tach per item) relative to the whole.
#
# usage: bench/suite/run.sh [BUILD_DIR]     env ROUNDS=6  T=0.3
# Takes about a minute on a busy 2-CPU machine.  Needs cc, pkg-config, git, jq.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(readlink -f "${1:-$src/build}")
tach=$build/tach
rounds=${ROUNDS:-6}
t=${T:-0.3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
git init -q . && git config user.email b@example.com && git config user.name bench
cp "$src/tests/cli/data/bench_suite.c" .
PKG_CONFIG_PATH=$build cc -O2 bench_suite.c $(PKG_CONFIG_PATH=$build pkg-config --cflags --libs tach) -o suite_bench
mkdir -p .tach tools
printf '#!/bin/sh\ni=0\nwhile [ $i -lt 200 ]; do i=$((i+1)); done\n' >tools/work.sh
chmod +x tools/work.sh
cat >.tach/config <<'INI'
[module "core"]
    bench = ./suite_bench
[module "tool"]
    command = ./tools/work.sh
INI
git add -A && git commit -qm suite
"$tach" bench -q --bench-time "$t" >/dev/null || true   # the baseline, for both ways
"$tach" run --style none --bench-time "$t" --export-json m0.json ./suite_bench >/dev/null 2>&1
"$tach" baseline save manual latest >/dev/null 2>&1

now() { date +%s.%N; }
way_bench() { "$tach" bench -q --bench-time "$t" >/dev/null 2>&1 || true; }
way_manual() {
  "$tach" run --no-store --style none --bench-time "$t" --export-json a.json ./suite_bench >/dev/null 2>&1 || true
  "$tach" run --no-store --style none --min-time "$t" --export-json b.json -c ./tools/work.sh >/dev/null 2>&1 || true
  "$tach" record -q a.json b.json >/dev/null
  "$tach" gate manual >/dev/null 2>&1 || true
  "$tach" report --format md -o manual.md >/dev/null 2>&1 || true
  "$tach" report --format json -o manual.json >/dev/null 2>&1 || true
}
: >bench.times; : >manual.times
for ((i = 0; i < rounds; i++)); do
  if ((i % 2 == 0)); then order="bench manual"; else order="manual bench"; fi
  for w in $order; do
    t0=$(now); "way_$w"; t1=$(now)
    awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }' >>"$w.times"
  done
done
median() { sort -g "$1" | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
mb=$(median bench.times); mm=$(median manual.times)
printf 'rounds %d, budget %s s per benchmark, load %s\n' "$rounds" "$t" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'tach bench        median %.2f s\n' "$mb"
printf 'by hand (6 steps) median %.2f s\n' "$mm"
awk -v a="$mb" -v b="$mm" 'BEGIN { printf "ratio bench/manual: %.2f\n", a / b }'
