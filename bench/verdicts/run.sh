#!/usr/bin/env bash
# bench/verdicts/run.sh - do tach's verdicts hold on a noisy runner?  (issue 17 §3)
#
# While a seeded on/off background load runs (bench/verdicts/load.py: one CPU-bound
# process, busy and idle spells of a random 0.5 to 3 s; restarted with the trial's seed
# before each method's turn, so every method meets the same sequence), it measures:
#
#   gate    PAIRS pairs of separately recorded runs, each pair judged by `tach gate`
#           (defaults: noise 2%, critical 10%), for A against A (same) and for a 10%
#           slowdown of every benchmark (slow).  The suite: a libtach binary with 3
#           kernels (kernels.h, tach.c; `tach run --max-time 1`: 3 worker processes of
#           4 rounds each) and
#           a command (bench/ab/madd.c, through sh so that its name stays './madd $N';
#           `tach run --runs 30 --shell`), each recorded in its own store (which holds
#           HISTORY earlier runs of the same code, as a CI store would) and gated on
#           its own; the pair fails when either gate fails.  Peers,
#           at about the same time per run: Google Benchmark's compare.py protocol on
#           the same kernels (gbench.cc; --benchmark_repetitions=9
#           --benchmark_min_time=0.1, compare.py's U test: a regression is p < 0.05
#           and a change above +2%), and hyperfine + Welch's t-test on the command
#           (--runs 30 for each recorded run; p < 0.05 and a change above +2%).
#   ab      bench/ab/run.sh with TRIALS=AB_TRIALS, BUDGET=10 s, SLOW=1 (a 1% slowdown),
#           NOISE=AB_NOISE, METHODS="tach-wall gbench hyperfine", under the same load
#           (one load for the whole of it, seed 1).
#
# Targets: gate A/A false alarms <= 1 of 20 pairs; gate 10% slowdown found in >= 19 of
# 20; tach ab 1% found in >= 9 of 10 with <= 1 false alarm in 10.
#
# usage: bench/verdicts/run.sh [BUILD_DIR]
#   env PAIRS=20  HISTORY=5 (runs in each store before a pair)  AB_TRIALS=10
#       AB_NOISE=0.5 (percent)  PARTS="gate ab"  OUT=DIR (raw results; default a
#       temporary directory)
# Takes about 40 minutes on a busy 2-CPU machine (about 40 s a pair, 10 s a method and
# trial of the ab part).
# Needs gcc, g++, libbenchmark-dev, libbenchmark-tools (compare.py), hyperfine, jq and
# Debian's /usr/bin/python3 with python3-scipy.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
here=$src/bench/verdicts
build=$(readlink -f "${1:-$src/build}")
tach=$build/tach
pairs=${PAIRS:-20}
history=${HISTORY:-5}
ab_trials=${AB_TRIALS:-10}
ab_noise=${AB_NOISE:-0.5}
parts=${PARTS:-"gate ab"}
py=/usr/bin/python3
cmp_py=/usr/share/benchmark/compare.py
die() { echo "run.sh: $*" >&2; exit 2; }
[ -x "$tach" ] || die "no tach binary at $tach (build first)"
for t in jq hyperfine gcc g++; do command -v $t >/dev/null || die "$t is not installed"; done
[ -f "$cmp_py" ] || die "compare.py is missing (apt-get install libbenchmark-tools)"
$py -c 'import scipy' 2>/dev/null || die "scipy is missing (apt-get install python3-scipy)"

out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
cd "$out"
cmake --build "$build" --target tach_static tach_main -j 2 >/dev/null
for v in base:1.0 slow:1.10; do
  name=${v%%:*} f=${v#*:}
  gcc -std=gnu11 -O2 -DSLOW="$f" -I"$src/include" -o "v_$name" "$here/tach.c" \
    "$build/libtach_main.a" "$build/libtach.a" $(pkg-config --libs jansson zlib libdw) -lm
  g++ -std=c++17 -O2 -DSLOW="$f" -o "gb_$name" "$here/gbench.cc" -lbenchmark -lpthread
done
cc -O2 -o madd "$src/bench/ab/madd.c"
n=10000000
n_slow=11000000

load_pid=
load_stop() { [ -n "$load_pid" ] && kill -- -"$load_pid" 2>/dev/null; load_pid=; true; }
load_start() { load_stop; setsid $py "$here/load.py" "$1" & load_pid=$!; }
trap 'load_stop' EXIT

echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ)"
raw=$out/gate.jsonl
: >"$raw"
rec() { # kind trial method failed detail-json
  printf '{"kind":"%s","trial":%d,"method":"%s","failed":%s,"detail":%s}\n' "$1" "$2" "$3" "$4" "$5" >>"$raw"
  printf '  %-4s %2d %-22s %s\n' "$1" "$2" "$3" "$([ "$4" = true ] && echo FAILED || echo passed)"
}

# Peers' verdict on two Google Benchmark outputs: compare.py's U test per kernel.
gb_failed() { # base.json new.json -> true/false, detail on fd 3
  $py "$cmp_py" --no-color -d cmp.json benchmarks "$1" "$2" >/dev/null 2>&1
  jq -c '[.[] | select(.utest.time_pvalue? != null) | {name, p: .utest.time_pvalue}]' cmp.json >&3
  $py - "$1" "$2" cmp.json <<'PY'
import json, statistics, sys
def medians(path):
    m = {}
    for b in json.load(open(path))["benchmarks"]:
        if b.get("run_type") == "iteration":
            m.setdefault(b["run_name"], []).append(b["real_time"])
    return {k: statistics.median(v) for k, v in m.items()}
a, b = medians(sys.argv[1]), medians(sys.argv[2])
p = {e["name"]: e["utest"]["time_pvalue"] for e in json.load(open(sys.argv[3]))
     if e.get("utest", {}).get("time_pvalue") is not None}
print("true" if any(p.get(k, 1) < 0.05 and b[k] / a[k] - 1 > 0.02 for k in a if k in b) else "false")
PY
}

hf_failed() { # base.json new.json (hyperfine exports) -> true/false
  $py - "$1" "$2" <<'PY'
import json, statistics, sys
from scipy.stats import ttest_ind
a = json.load(open(sys.argv[1]))["results"][0]["times"]
b = json.load(open(sys.argv[2]))["results"][0]["times"]
p = ttest_ind(a, b, equal_var=False).pvalue
print("true" if p < 0.05 and statistics.mean(b) / statistics.mean(a) - 1 > 0.02 else "false")
PY
}

if [[ " $parts " == *" gate "* ]]; then
  echo "== gate: $pairs pairs of recorded runs per kind (same: A/A; slow: every benchmark 10% slower)"
  # The history a CI store holds: HISTORY earlier runs of the same code on this machine,
  # recorded once under the same load; every pair's store starts as a copy of it, so
  # tach knows each benchmark's run-to-run noise.
  load_start 0
  rm -f hist_bin.db hist_cmd.db
  for ((h = 1; h <= history; h++)); do
    "$tach" run --store hist_bin.db --max-time 1 ./v_base >/dev/null 2>&1
    N=$n "$tach" run --store hist_cmd.db --runs 30 --shell -c './madd $N' >/dev/null 2>&1
  done
  for kind in same slow; do
    nb=base
    [ $kind = slow ] && nb=slow
    new_n=$n
    [ $kind = slow ] && new_n=$n_slow
    for ((t = 1; t <= pairs; t++)); do
      # tach: the binary's 3 kernels and the command, each recorded twice and gated.
      load_start "$t"
      cp hist_bin.db s_bin.db
      cp hist_cmd.db s_cmd.db
      "$tach" run --store s_bin.db --max-time 1 ./v_base >/dev/null 2>&1
      "$tach" run --store s_bin.db --max-time 1 "./v_$nb" >/dev/null 2>&1
      # the command keeps its name (./madd $N) while N differs
      N=$n "$tach" run --store s_cmd.db --runs 30 --shell -c './madd $N' >/dev/null 2>&1
      N=$new_n "$tach" run --store s_cmd.db --runs 30 --shell -c './madd $N' >/dev/null 2>&1
      set +e
      "$tach" gate --store s_bin.db --format json >g_bin.json 2>/dev/null; rb=$?
      "$tach" gate --store s_cmd.db --format json >g_cmd.json 2>/dev/null; rc=$?
      set -e
      [ $rb -le 1 ] && [ $rc -le 1 ] || die "tach gate failed ($rb, $rc)"
      cp g_bin.json "gate_${kind}_${t}_bin.json"
      cp g_cmd.json "gate_${kind}_${t}_cmd.json"
      fb=$([ $rb = 1 ] && echo true || echo false)
      fc=$([ $rc = 1 ] && echo true || echo false)
      detail=$(jq -c -s '[.[].benchmarks[] | {name, verdict, change}]' g_bin.json g_cmd.json)
      rec $kind "$t" tach "$([ $fb = true ] || [ $fc = true ] && echo true || echo false)" "$detail"
      rec $kind "$t" tach-kernels "$fb" "$(jq -c '[.benchmarks[] | {name, verdict, change}]' g_bin.json)"
      rec $kind "$t" tach-command "$fc" "$(jq -c '[.benchmarks[] | {name, verdict, change}]' g_cmd.json)"
      # Google Benchmark's compare.py protocol on the same kernels.
      load_start "$t"
      gbo=(--benchmark_repetitions=9 --benchmark_min_time=0.1 --benchmark_format=json)
      ./gb_base "${gbo[@]}" >gb_a.json 2>/dev/null
      "./gb_$nb" "${gbo[@]}" >gb_b.json 2>/dev/null
      f=$(gb_failed gb_a.json gb_b.json 3>gb_detail.json)
      rec $kind "$t" gbench-compare.py "$f" "$(cat gb_detail.json)"
      # hyperfine + Welch's t-test on the command.
      load_start "$t"
      N=$n hyperfine --style none --runs 30 --export-json hf_a.json './madd $N' >/dev/null 2>&1
      N=$new_n hyperfine --style none --runs 30 --export-json hf_b.json './madd $N' >/dev/null 2>&1
      rec $kind "$t" hyperfine-welch "$(hf_failed hf_a.json hf_b.json)" null
    done
  done
  load_stop
  echo
  echo "| method (recorded-run gate, on/off load) | false alarms, A/A | 10% slowdown found |"
  echo "| --- | --- | --- |"
  jq -rs 'group_by(.method)[] as $g
    | ($g | map(select(.kind == "same"))) as $a | ($g | map(select(.kind == "slow"))) as $s
    | "| \($g[0].method) | \($a | map(select(.failed)) | length) of \($a | length) | \($s | map(select(.failed)) | length) of \($s | length) |"' "$raw"
  echo
  echo "tach verdicts per benchmark (A/A, then 10% slowdown):"
  for kind in same slow; do
    jq -rs --arg k $kind '[.[] | select(.kind == $k and .method == "tach") | .detail[] | .verdict]
      | group_by(.) | map("\(.[0]) \(length)") | join(", ") | "  \($k): " + .' "$raw"
  done
fi

if [[ " $parts " == *" ab "* ]]; then
  echo
  echo "== tach ab: $ab_trials trials, 1% slowdown and A/A, --max-time 10, noise $ab_noise%"
  load_start 1
  TRIALS=$ab_trials BUDGET=10 SLOW=1 NOISE=$ab_noise METHODS="tach-wall gbench hyperfine" \
    OUT=$out/ab.jsonl bash "$src/bench/ab/run.sh" "$build" | grep -v '^  '
  load_stop
fi
echo
echo "machine load at the end: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ); raw results in $out"
