#!/usr/bin/env bash
# bench/ab/run.sh - how often does each method find a small slowdown (SLOW%, 3% by
# default), and how often does it cry wolf?  (issue 4 §6)
#
# The command: bench/ab/madd.c, N dependent multiply-adds (N = 10,000,000 by default:
# ~25 ms of CPU here).  Each trial judges, with the same time budget per method:
#   slow  OLD = madd N, NEW = madd N*(1+SLOW/100) (a real slowdown of SLOW%, 3% by
#         default: should say "regressed")
#   same  OLD = NEW = madd N              (A against A: any verdict but "no difference" /
#                                          "undecided" is a false alarm)
# by four methods:
#   tach-wall  tach ab --noise 1 --max-time BUDGET            (wall time, the default)
#   tach-cpu   tach ab --noise 1 --max-time BUDGET --metric cpu (user + system time)
#   gbench     compare.py's way: repetitions of OLD then of NEW, Mann-Whitney U test
#              (bench/ab/peers.py; judged on wall and on CPU time: gbench-wall, gbench-cpu)
#   hyperfine  hyperfine -N --runs R OLD NEW, then Welch's t-test on the wall times
# The peers get R runs of each command, R chosen so that their 2R runs last BUDGET
# seconds (measured before the trials); tach stops as soon as its verdict is decided.
# The peers use the same noise floor: regressed = p < 0.05 and change > +1%.
#
# Prints one line per trial, a summary table (detection rate, false-alarm rate, mean
# seconds per trial) and the peers' detection rates at tach's false-alarm rate
# (bench/ab/equal_fa.py).  Targets: tach ab finds the 3% slowdown in >= 95% of trials
# within 20 s each and raises a false alarm in <= 5%; its detection rate higher than the
# peers' at an equal or lower false-alarm rate.
#
# usage: bench/ab/run.sh [BUILD_DIR]    (default build/)
#   env TRIALS=20 (per kind), BUDGET=20 (seconds per method and trial), N=10000000,
#       NOISE=1 (percent), METHODS="tach-wall tach-cpu gbench hyperfine", OUT=FILE (raw
#       JSON lines; default a temp file, printed at the end), SLOW=3 (the slowdown, in
#       percent of N), BACKGROUND=S (a shared CI runner's drift: while the trials
#       run, a background load of one busy thread per CPU switches on and off, each
#       spell lasting a random 1 to S seconds; the same for every method; default
#       none)
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build}
tach=$(readlink -f "$build/tach" || true)
trials=${TRIALS:-20}
budget=${BUDGET:-20}
n=${N:-10000000}
noise=${NOISE:-1}
methods=${METHODS:-"tach-wall tach-cpu gbench hyperfine"}
py=/usr/bin/python3
[ -x "$tach" ] || { echo "no tach binary at $build/tach (build first)" >&2; exit 2; }
command -v jq >/dev/null || { echo "jq is not installed" >&2; exit 2; }
case " $methods " in *" hyperfine "*)
  command -v hyperfine >/dev/null || { echo "hyperfine is not installed (apt-get install hyperfine)" >&2; exit 2; }
esac
$py -c 'import scipy' 2>/dev/null || { echo "scipy is missing (apt-get install python3-scipy)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=${OUT:-$tmp/raw.jsonl}
: >"$out"
cc -O2 -o "$tmp/madd" "$src/bench/ab/madd.c"
cd "$tmp"
slow=${SLOW:-3}
n_slow=$($py -c "print(round($n * (1 + $slow / 100)))")
bg=${BACKGROUND:-}
if [ -n "$bg" ]; then
  $py -c "assert float('$bg') >= 1" 2>/dev/null ||
    { echo "BACKGROUND must be a number of seconds >= 1 (got '$bg')" >&2; exit 2; }
fi

# The peers' repetitions: 2R runs in BUDGET seconds, from the median of 11 runs.
t_run=$($py - "$tmp/madd" "$n" <<'PY'
import os, sys, time, statistics
ts = []
for _ in range(11):
    t0 = time.monotonic(); pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ)
    os.waitpid(pid, 0); ts.append(time.monotonic() - t0)
print(statistics.median(ts))
PY
)
reps=$($py -c "print(max(3, int($budget / (2 * $t_run * 1.015))))")
echo "madd N=$n: $(printf '%.1f' "$($py -c "print($t_run * 1000)")") ms per run (wall); peers get $reps runs of each command; budget ${budget}s; noise ${noise}%; slowdown ${slow}% (N=$n_slow); $trials trials per kind${bg:+; background load on and off in spells of 1-$bg s}"
echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"

# BACKGROUND=S: busy and idle spells of a random 1..S seconds, one spinning process per
# CPU while busy, all in one process group (killed at exit).  The peers' repetitions
# were counted on the quiet machine, so under load they may overrun BUDGET; tach's
# --max-time does not.
if [ -n "$bg" ]; then
  setsid $py "$src/bench/ab/background.py" "$bg" "$(nproc)" &
  bg_pid=$!
  trap 'kill -- -$bg_pid 2>/dev/null; rm -rf "$tmp"' EXIT
fi

record() { # kind trial method verdict seconds extra-json
  printf '{"kind":"%s","trial":%d,"method":"%s","verdict":"%s","seconds":%s,"detail":%s}\n' \
    "$1" "$2" "$3" "$4" "$5" "$6" >>"$out"
  printf '  %-5s %3d %-12s %-14s %6.1f s\n' "$1" "$2" "$3" "$4" "$5"
}

for ((t = 1; t <= trials; t++)); do
  for kind in slow same; do
    new_n=$n
    [ $kind = slow ] && new_n=$n_slow
    for m in $methods; do
      case $m in
        tach-wall|tach-cpu)
          extra=()
          [ $m = tach-cpu ] && extra=(--metric cpu)
          set +e
          "$tach" ab --quiet --format json --noise "$noise" --max-time "$budget" --seed "$t" \
            "${extra[@]}" "./madd $n" "./madd $new_n" >"$tmp/ab.json" 2>"$tmp/ab.err"
          rc=$?
          set -e
          if [ $rc -gt 1 ]; then echo "tach ab failed ($rc): $(cat "$tmp/ab.err")" >&2; exit 1; fi
          record $kind $t $m "$(jq -r .verdict "$tmp/ab.json")" "$(jq .elapsed_s "$tmp/ab.json")" \
            "$(jq -c '{pairs, change: .benchmarks[0].change, ci_low: .benchmarks[0].ci_low, ci_high: .benchmarks[0].ci_high}' "$tmp/ab.json")"
          ;;
        gbench)
          $py "$src/bench/ab/peers.py" gbench "$tmp/madd" "$n" "$new_n" "$reps" "$noise" >"$tmp/gb.json"
          secs=$(jq .elapsed_s "$tmp/gb.json")
          record $kind $t gbench-wall "$(jq -r .wall.verdict "$tmp/gb.json")" "$secs" "$(jq -c .wall "$tmp/gb.json")"
          record $kind $t gbench-cpu "$(jq -r .cpu.verdict "$tmp/gb.json")" "$secs" "$(jq -c .cpu "$tmp/gb.json")"
          ;;
        hyperfine)
          start=$(date +%s.%N)
          hyperfine -N --style none --runs "$reps" --export-json "$tmp/hf.json" \
            "./madd $n" "./madd $new_n" >/dev/null 2>&1
          secs=$($py -c "print($(date +%s.%N) - $start)")
          $py "$src/bench/ab/peers.py" welch "$tmp/hf.json" "$noise" >"$tmp/w.json"
          record $kind $t hyperfine "$(jq -r .wall.verdict "$tmp/w.json")" "$secs" "$(jq -c .wall "$tmp/w.json")"
          ;;
        *) echo "unknown method $m" >&2; exit 2 ;;
      esac
    done
  done
done

echo
echo "| method | ${slow}% slowdown found (regressed) | false alarms on A vs A | mean s per trial (slow / same) |"
echo "| --- | --- | --- | --- |"
jq -rs '
  group_by(.method)[] as $g
  | ($g | map(select(.kind == "slow"))) as $s
  | ($g | map(select(.kind == "same"))) as $a
  | "| \($g[0].method) | \($s | map(select(.verdict == "regressed")) | length)/\($s | length) | \($a | map(select(.verdict == "regressed" or .verdict == "improved")) | length)/\($a | length) | \(($s | map(.seconds) | add / length * 10 | round / 10)) / \(($a | map(.seconds) | add / length * 10 | round / 10)) |"
' "$out"
echo
echo "At an equal false-alarm rate (bench/ab/equal_fa.py: each peer's alpha lowered until its"
echo "false alarms are no more than tach's on the same metric):"
echo
$py "$src/bench/ab/equal_fa.py" "$out" "$noise"
echo
echo "machine load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
[ -n "${OUT:-}" ] && echo "raw results: $out"
exit 0
