#!/usr/bin/env bash
# bench/instructions/run.sh - instruction mode's figures (issue 12 §3, §5;
# docs/instructions.md):
#
#   determinism  the kernels of bench/gbench (bench/gbench/tach.c) counted RUNS times with
#                `--metric instructions`: the spread of each kernel's count over the runs,
#                (max - min) / median (the target: <= 0.01%).
#   slowdown     each kernel in a plain loop (kern.c, no harness), ITER iterations, timed
#                natively and under `valgrind --tool=callgrind` (start-up subtracted: the
#                same with 0 iterations); the ratio of the medians of 3 runs each.
#                Valgrind's usual figure is 20-100x.
#   noise        under bench/verdicts' seeded on/off background load (load.py: one
#                CPU-bound process, busy and idle spells of 0.5 to 3 s), TRIALS trials
#                each of `tach ab --metric instructions --noise 0.25` on variant.c built
#                with STEPS=1000 against STEPS=1005 (0.5% more work: should be found) and
#                against itself (A/A: any verdict but "no difference" is a false alarm);
#                beside it, WALL_TRIALS trials of wall-time `tach ab --noise 1 --max-time 20`
#                on STEPS=1000 against STEPS=1030 (3%), with the time each trial took.
#
# usage: bench/instructions/run.sh [BUILD_DIR]     (default build/)
#   env RUNS=5  TRIALS=10  WALL_TRIALS=5  PARTS="determinism slowdown noise"
# Takes about 13 minutes on a busy 2-CPU machine: the slowdown part 8 (memcpy under
# callgrind is ~700x slower), the noise part 4; PARTS picks parts.  Needs valgrind, gcc, jq, python3.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
here=$src/bench/instructions
build=$(readlink -f "${1:-$src/build}")
tach=$build/tach
runs=${RUNS:-5}
trials=${TRIALS:-10}
wall_trials=${WALL_TRIALS:-5}
parts=${PARTS:-"determinism slowdown noise"}
die() { echo "run.sh: $*" >&2; exit 2; }
[ -x "$tach" ] || die "no tach binary at $tach (build first)"
for t in valgrind jq gcc python3; do command -v $t >/dev/null || die "$t is not installed"; done

out=$(mktemp -d)
trap 'load_stop; rm -rf "$out"' EXIT
load_pid=
load_stop() { [ -n "$load_pid" ] && kill -- -"$load_pid" 2>/dev/null; load_pid=; true; }
load_start() { load_stop; setsid python3 "$src/bench/verdicts/load.py" "$1" & load_pid=$!; }
cd "$out"
cmake --build "$build" --target tach_static tach_main -j 2 >/dev/null
link=("$build/libtach_main.a" "$build/libtach.a" $(pkg-config --libs jansson zlib) -lm)
gcc -std=gnu11 -O2 -I"$src/include" -o kernels "$src/bench/gbench/tach.c" "${link[@]}"
for s in 1000 1005 1030; do
  gcc -std=gnu11 -O2 -DSTEPS=$s -I"$src/include" -o "v$s" "$here/variant.c" "${link[@]}"
done
gcc -std=gnu11 -O2 -o kern "$here/kern.c"
echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); $(valgrind --version); $(date -u +%FT%TZ)"
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
now() { date +%s.%N; }

if [[ " $parts " == *" determinism "* ]]; then
  echo
  echo "determinism: $runs runs of ./kernels --metric instructions"
  for i in $(seq "$runs"); do
    ./kernels --metric instructions --quiet --format json --out "d$i.json"
  done
  jq -s -r '[.[].benchmarks[] | {name, v: .instructions.per_iteration}] | group_by(.name)[]
    | (map(.v) | sort) as $v | ($v[(length / 2 | floor)]) as $m
    | "  \(.[0].name | .+ "            " | .[:12])  instructions/iter \($m)  spread over \(length) runs \(if $m > 0 then (($v[-1] - $v[0]) / $m * 100) else 0 end)%"' d*.json
fi

if [[ " $parts " == *" slowdown "* ]]; then
  echo
  echo "slowdown: kern.c's loop, native and under callgrind (median of 3, start-up subtracted)"
  t_run() { # CMD...: wall seconds of one run
    local a b; a=$(now); "$@" >/dev/null 2>&1; b=$(now); echo "$b - $a" | bc -l; }
  vg=(valgrind --tool=callgrind --callgrind-out-file=/dev/null --log-file=/dev/null)
  vg0=$(for i in 1 2 3; do t_run "${vg[@]}" ./kern overhead 0; done | median)
  nat0=$(for i in 1 2 3; do t_run ./kern overhead 0; done | median)
  for kv in overhead:100000000 mulchain:40000 mul100:300000 memcpy64k:20000 fnv1a4k:8000; do
    k=${kv%%:*} n=${kv#*:}
    nat=$(for i in 1 2 3; do t_run ./kern "$k" "$n"; done | median)
    vgt=$(for i in 1 2 3; do t_run "${vg[@]}" ./kern "$k" "$n"; done | median)
    printf '  %-10s  native %6.3f s  callgrind %7.2f s  slowdown %5.1fx\n' "$k" \
      "$(echo "$nat - $nat0" | bc -l)" "$(echo "$vgt - $vg0" | bc -l)" \
      "$(echo "($vgt - $vg0) / ($nat - $nat0)" | bc -l)"
  done
fi

if [[ " $parts " == *" noise "* ]]; then
  echo
  echo "noise: under the on/off load; tach ab --metric instructions --noise 0.25 (one pair)"
  found=0 fa=0 tsum=0
  for t in $(seq "$trials"); do
    load_start "$t"
    for kind in slow same; do
      new=./v1005; [ $kind = same ] && new=./v1000
      a=$(now)
      "$tach" ab --metric instructions --noise 0.25 --format json ./v1000 "$new" >ab.json 2>/dev/null || true
      b=$(now)
      v=$(jq -r .verdict ab.json)
      ch=$(jq -r '.benchmarks[0].change * 100 | . * 1000 | round / 1000' ab.json)
      dt=$(echo "$b - $a" | bc -l)
      tsum=$(echo "$tsum + $dt" | bc -l)
      if [ $kind = slow ] && [ "$v" = regressed ]; then found=$((found + 1)); fi
      if [ $kind = same ] && [ "$v" != "no difference" ]; then fa=$((fa + 1)); fi
      printf '  trial %2d %-4s %-14s change %+8s%%  %5.1f s\n' "$t" "$kind" "$v" "$ch" "$dt"
    done
  done
  load_stop
  per=$(echo "$tsum / (2 * $trials)" | bc -l)
  echo
  echo "wall time for comparison: tach ab --noise 1 --max-time 20 (3% slowdown), same load"
  wfound=0 wsum=0
  for t in $(seq "$wall_trials"); do
    load_start "$t"
    a=$(now)
    "$tach" ab --noise 1 --max-time 20 --format json ./v1000 ./v1030 >wab.json 2>/dev/null || true
    b=$(now)
    load_stop
    v=$(jq -r .verdict wab.json)
    dt=$(echo "$b - $a" | bc -l)
    wsum=$(echo "$wsum + $dt" | bc -l)
    [ "$v" = regressed ] && wfound=$((wfound + 1))
    printf '  trial %2d slow %-14s %5.1f s\n' "$t" "$v" "$dt"
  done
  wper=$(echo "$wsum / $wall_trials" | bc -l)
  echo
  printf 'summary: instructions, 0.5%% change: found %d/%d, false alarms %d/%d, %.1f s per trial\n' \
    "$found" "$trials" "$fa" "$trials" "$per"
  printf '         wall time, 3%% change:      found %d/%d, %.1f s per trial (ratio %.2f)\n' \
    "$wfound" "$wall_trials" "$wper" "$(echo "$per / $wper" | bc -l)"
fi
