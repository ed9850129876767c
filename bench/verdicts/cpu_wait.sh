#!/usr/bin/env bash
# bench/verdicts/cpu_wait.sh - a command that waited for a CPU (issue 17; the rule is in
# docs/statistics.md, "Waiting for a CPU"; the figures in docs/PERFORMANCE.md).
#
#   shapes  bench/ab/madd.c through sh as './madd $N && sleep $S', `tach run --runs 30`,
#           recorded alone (BASE: N = 10 M, S = 0) and five ways, each compared with
#           BASE by `tach gate`: alone again (A/A); the same N with a CPU-bound spinner
#           pinned to madd's CPU (`taskset -c 0` for all, so it must wait for it), and
#           with two; N
#           doubled, alone and with the spinner; S = 16 ms (a command that sleeps as long
#           as it computes).  Prints each side's medians a run (wall, CPU time,
#           involuntary and voluntary switches) and the gate's verdict and exit.
#   pairs   PAIRS A/A pairs and PAIRS 10%-slowdown pairs of the command as run.sh
#           records them (a store holding HISTORY earlier runs, then BASE and NEW, `tach
#           gate` on the latest two), under run.sh's on/off load (load.py, seeded by the
#           pair), plus whatever else the machine runs.
#
# usage: bench/verdicts/cpu_wait.sh [BUILD_DIR]
#   env PAIRS=20 HISTORY=5 PARTS="shapes pairs" OUT=DIR (raw results; default a temporary
#       directory)
# Takes about 1 minute for the shapes and 10 s a pair on a busy 2-CPU machine.
# Needs cc, jq, taskset and /usr/bin/python3.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
here=$src/bench/verdicts
build=$(readlink -f "${1:-$src/build}")
tach=$build/tach
pairs=${PAIRS:-20}
history=${HISTORY:-5}
parts=${PARTS:-"shapes pairs"}
die() { echo "cpu_wait.sh: $*" >&2; exit 2; }
[ -x "$tach" ] || die "no tach binary at $tach (build first)"
for t in jq taskset cc; do command -v $t >/dev/null || die "$t is not installed"; done

out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
cd "$out"
cc -O2 -o madd "$src/bench/ab/madd.c"
cmd='./madd $N && sleep $S'
n=10000000

spin_pids=
spin_stop() { [ -n "$spin_pids" ] && kill $spin_pids 2>/dev/null; spin_pids=; true; }
spin_start() { # K spinners pinned to CPU 0
  spin_stop
  for ((k = 0; k < $1; k++)); do taskset -c 0 sh -c 'while :; do :; done' & spin_pids="$spin_pids $!"; done
}
load_pid=
load_stop() { [ -n "$load_pid" ] && kill -- -"$load_pid" 2>/dev/null; load_pid=; true; }
load_start() { load_stop; setsid /usr/bin/python3 "$here/load.py" "$1" & load_pid=$!; }
trap 'spin_stop; load_stop' EXIT

# rec FILE N S [taskset]: 30 runs of the command into FILE
rec() {
  local f=$1 nn=$2 s=$3
  shift 3
  N=$nn S=$s "$@" "$tach" run --no-store --style none --runs 30 --shell --export-json "$f" "$cmd" \
    >/dev/null 2>>err.log || die "tach run failed (see $out/err.log)"
}
# medians a run of FILE: wall, CPU time (ms), involuntary and voluntary switches
medians() {
  jq -r '.benchmarks[0] | [(.samples.ns | sort | .[length / 2 | floor] / 1e6),
    ([.runs.user_ns, .runs.sys_ns] | transpose | map(add) | sort | .[length / 2 | floor] / 1e6),
    (.runs.invol_ctxsw | sort | .[length / 2 | floor]), (.runs.vol_ctxsw | sort | .[length / 2 | floor])]
    | "wall \(.[0] * 10 | round / 10) ms, CPU \(.[1] * 10 | round / 10) ms, preempted \(.[2]), voluntary \(.[3])"' "$1"
}

echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ)"
if [[ " $parts " == *" shapes "* ]]; then
  echo "== shapes: BASE alone (N = 10 M, S = 0) against each NEW"
  rec base.json $n 0 taskset -c 0
  echo "  BASE:               $(medians base.json)"
  shape() { # name N S spinners
    [ "$4" != 0 ] && spin_start "$4"
    rec "$1.json" "$2" "$3" taskset -c 0
    spin_stop
    set +e
    "$tach" gate --format json base.json "$1.json" >"g_$1.json" 2>/dev/null
    local rc=$?
    set -e
    printf '  %-19s %s\n      -> %s, gate exit %d\n' "$1:" "$(medians "$1.json")" \
      "$(jq -r '.benchmarks[0] | "\(.verdict) (\(.severity)), wall \(.change * 100 | round)%, CPU time \(.cpu_change * 1000 | round / 10)%, waited_for_cpu \(.waited_for_cpu)"' "g_$1.json")" $rc
  }
  shape same $n 0 0
  shape same_spinner $n 0 1
  shape same_2spinners $n 0 2
  shape double $((2 * n)) 0 0
  shape double_spinner $((2 * n)) 0 1
  shape sleeper $n 0.016 0
fi

if [[ " $parts " == *" pairs "* ]]; then
  echo "== pairs: $pairs A/A and $pairs 10%-slowdown pairs, on/off load"
  load_start 0
  rm -f hist.db
  for ((h = 1; h <= history; h++)); do
    N=$n S=0 "$tach" run --store hist.db --style none --runs 30 --shell "$cmd" >/dev/null 2>>err.log ||
      die "tach run failed (see $out/err.log)"
  done
  : >pairs.jsonl
  for kind in same slow; do
    new_n=$n
    [ $kind = slow ] && new_n=$((n + n / 10))
    for ((t = 1; t <= pairs; t++)); do
      load_start "$t"
      cp hist.db s.db
      N=$n S=0 "$tach" run --store s.db --style none --runs 30 --shell "$cmd" >/dev/null 2>>err.log ||
        die "tach run failed (see $out/err.log)"
      N=$new_n S=0 "$tach" run --store s.db --style none --runs 30 --shell "$cmd" >/dev/null 2>>err.log ||
        die "tach run failed (see $out/err.log)"
      set +e
      "$tach" gate --store s.db --format json >g.json 2>/dev/null
      rc=$?
      set -e
      [ $rc -le 1 ] || die "tach gate failed ($rc)"
      cp g.json "gate_${kind}_$t.json"
      jq -c --arg k $kind --argjson t "$t" --argjson rc $rc '.benchmarks[0] | {kind: $k, trial: $t,
        failed: ($rc == 1), verdict, change, cpu_change, base_preempt, new_preempt, waited_for_cpu}' \
        g.json | tee -a pairs.jsonl
    done
  done
  load_stop
  jq -rs 'group_by(.kind)[] | "  \(.[0].kind): gate failed \(map(select(.failed)) | length) of \(length);
    verdicts \(group_by(.verdict) | map("\(.[0].verdict) \(length)") | join(", ")); waited for a CPU \(map(select(.waited_for_cpu)) | length)"' pairs.jsonl
fi
echo "machine load at the end: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ); raw results in $out"
