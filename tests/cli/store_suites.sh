#!/usr/bin/env bash
# store_suites.sh - one store holding two suites: two runs of a suite, then a stray run of
# another (what `tach run -c true` in the same folder records, or a first `tach suite bus`
# after compression runs).  The defaults compare runs of one suite (a benchmark in common),
# never the stray run with the suite.  compare, gate, report and certify without a run
# named take one pair (tool_store_default_pair; the gate's differs only when main is of
# another suite: gate_latest_suite.sh): the latest run and the run before of its suite; when the latest is the first of its suite there is none, and they say so (compare
# exits 2; gate checks its targets alone, report and certify report it alone), never taking the latest two runs of
# another suite; push (no comparison) keeps the latest run but warns that it is of another
# suite.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
private_store
mkdoc one.json suite/a:steady:30:1 suite/b:steady:30:1
mkdoc two.json suite/a:steady:30:1.08 suite/b:steady:30:1
mkdoc stray.json true:steady:30:1
"$TACH" record -q one.json two.json stray.json >/dev/null || { fail "cannot record"; finish; }

# the latest run is the first of its suite: nothing to compare, said so (it compared, and
# gated, runs 1 and 2 of the other suite: a gate that failed on runs nobody just made)
expect 2 "$TACH" compare &&
  err_line "^tach compare: nothing to compare: the latest run 3 is the first of its suite: no earlier run in the store .* has a benchmark in common with it; give BASE and NEW\$" &&
  out_lacks . && ok "compare: the latest run the first of its suite: exit 2, said so"
# the gate checks that run's targets alone (gate_first_run.sh), never the other suite's
if expect 0 "$TACH" gate; then
  err_has "tach gate: note: the latest run 3 is the first of its suite: no earlier run in the store"
  err_has "first run of its suite: no baseline, so no comparison was made; targets checked only"
  out_has '^new:  run 3 '
  out_lacks 'suite/a'
  ok "gate: the latest run the first of its suite: checked alone, said so"
fi
for cmd in report certify; do
  if expect 0 "$TACH" "$cmd"; then
    err_has "the latest run 3 is the first of its suite: no earlier run has a benchmark in common with it (run 2 before it is of another suite); reported alone, with nothing to compare it with"
    out_lacks 'suite/a'
    if [ $cmd = report ]; then out_has '^\*\*Run\*\* `3`'; else out_has '^\| Run \| 3 \|'; fi
    ok "$cmd: the latest run alone, said so"
  fi
done
# with no comparison asked for, the latest run, and a warning that it is of another suite
if expect 0 "$TACH" report --no-compare; then
  err_line "^tach report: warning: the latest run 3 is the first of its suite: no earlier run has a benchmark in common with it \(run 2 before it is of another suite\)\$"
  out_lacks 'suite/a'
  ok "report --no-compare: the latest run, with a warning that it is of another suite"
fi
expect 0 "$TACH" report latest && out_lacks 'suite/a' && out_lacks 'Against' \
  && ok "report latest: the stray run, nothing to compare it with"

# a run of the suite again: its baseline is run 2, not the stray run 3
mkdoc three.json suite/a:steady:30:1.08 suite/b:steady:30:1
"$TACH" record -q three.json >/dev/null
if expect 0 "$TACH" compare; then
  out_has '^base: +run 2'
  [ -s "$tmp/err" ] && fail "a warning without a stray latest run: $(cat "$tmp/err")"
  ok "compare: the stray run is skipped as a base"
fi
if expect 0 "$TACH" report; then
  out_has 'Against run 2'
  [ -s "$tmp/err" ] && fail "report warns with a latest run of the suite: $(cat "$tmp/err")"
  ok "report: the baseline is the suite's run 2, no warning"
fi

# a saved baseline main is used whenever it is saved: against the latest run of its suite
# (run 4) when the latest run (5) is a stray one, and the warning names both
"$TACH" baseline save main 1 >/dev/null
"$TACH" record -q stray.json >/dev/null
if expect 0 "$TACH" compare; then
  out_has '^base: +run 1 '
  out_has '^new: +run 4 '
  out_has '^suite/a .* \+8\.00% .*regressed'
  err_has "the latest run 5 has no benchmark in common with baseline 'main' (run 1); comparing main with run 4"
  ok "compare: main against the latest run of its suite, with a warning"
fi
# the gate judges the latest run, the one just made: against run 3, the stray run before
# it (gate_latest_suite.sh), never main with run 4, which nobody just made
expect 0 "$TACH" gate && out_has '^base: +run 3 ' && out_has '^new: +run 5 ' \
  && err_has "baseline 'main' (run 1) is of another suite than the latest run 5; judging run 5 against run 3, the newest earlier run of its suite" \
  && ok "gate: the latest run against the run before of its suite, main's suite said"
expect 0 "$TACH" compare --format json && out_jq '.benchmarks | map(.name) | sort == ["suite/a", "suite/b"]'
# main with the latest run of the suite: no warning
"$TACH" record -q three.json >/dev/null
if expect 0 "$TACH" compare; then
  out_has '^base: +run 1 '
  out_has '^new: +run 6 '
  [ -s "$tmp/err" ] && fail "a warning with main and a latest run of its suite: $(cat "$tmp/err")"
  ok "compare: main against the latest run"
fi
# no run of main's suite after main: the latest two runs of a suite, and the warning says
# why main was not used
"$TACH" baseline save main 6 >/dev/null
"$TACH" record -q stray.json >/dev/null
if expect 0 "$TACH" compare; then
  out_has '^base: +run 5 '
  out_has '^new: +run 7 '
  err_has "baseline 'main' (run 6) is of another suite than the latest run 7 and no run of its suite follows it; comparing run 5 with run 7"
  ok "compare: main of another suite with no later run is said so"
fi
expect 0 "$TACH" report && out_has 'Against run 5' \
  && err_has "baseline 'main' (run 6) is of another suite than the latest run 7" \
  && ok "report: the same pair and warning"

# Two suites, each with runs of its own, main saved on the first and the latest run of
# the second: compare, report and certify all take main against the latest run of main's
# suite.  (report once took main only when it was of the latest run's suite, and compared
# the latest run with the run before it of its own suite.)  gate judges the latest run,
# against the run before of its suite.
export TACH_STORE="$tmp/two.db"
mkdoc other1.json other/x:steady:30:1
mkdoc other2.json other/x:steady:30:1.5
"$TACH" record -q one.json two.json other1.json other2.json >/dev/null
"$TACH" baseline save main 1 >/dev/null
main_warning="the latest run 4 has no benchmark in common with baseline 'main' (run 1); comparing main with run 2"
for cmd in compare report certify; do
  if expect 0 "$TACH" $cmd; then
    err_has "$main_warning"
    out_has 'suite/a.*\+8\.0'
    out_lacks 'other/x'
    ok "$cmd: main against the latest run of main's suite (run 2), not run 4 against run 3"
  fi
done
if expect 1 "$TACH" gate; then
  err_has "baseline 'main' (run 1) is of another suite than the latest run 4; judging run 4 against run 3"
  out_has '^other/x .*regressed'
  out_lacks 'suite/a'
  ok "gate: run 4 (the latest) against run 3, not main against run 2"
fi
expect 0 "$TACH" report && out_has '^\*\*Run\*\* `2`' && out_has 'Against baseline main \(run 1\)' \
  && ok "report: run 2, labelled as against baseline main"
# a run named: its own default baseline (main when of its suite, else the run before of it)
expect 0 "$TACH" report 4 && out_has 'Against run 3 ' && ok "report 4: against run 3, its suite's"
expect 0 "$TACH" report 2 && out_has 'Against baseline main \(run 1\)' && ok "report 2: against main"

# Without main, the run before of the same suite on the same machine is the base, for
# compare as for report; on another machine only when the machine has none.
export TACH_STORE="$tmp/machines.db"
mkdoc m1.json suite/a:steady:30:1 suite/b:steady:30:1
mkdoc m2.json --machine "Other CPU" suite/a:steady:30:1.5 suite/b:steady:30:1
mkdoc m3.json suite/a:steady:30:1.08 suite/b:steady:30:1
"$TACH" record -q m1.json m2.json m3.json >/dev/null
expect 0 "$TACH" compare --format json && out_jq '.base.run_id == 1 and .new.run_id == 3' \
  && ok "compare: the base is run 1, of the latest run's machine, not run 2 of another"
expect 0 "$TACH" report && out_has 'Against run 1 ' && ok "report: the same base, run 1"
# history --machine: a fingerprint (16 hex digits, either case) or 'this'; anything else can
# match no run and is bad input (it printed "no runs matching", exit 0)
fp=$("$TACH" history --runs --format csv | sed -n 2p | cut -d, -f6)
expect 0 "$TACH" history --machine "$fp" --format json && out_jq '[.benchmarks[].points[].run] | unique == [1, 3]' \
  && ok "history --machine FP keeps that machine's runs"
upper=$(printf '%s' "$fp" | tr a-f A-F)
expect 0 "$TACH" history --machine "$upper" --format json && out_jq '[.benchmarks[].points[].run] | unique == [1, 3]' \
  && ok "history --machine FP in capitals: the same"
for bad in nope "${fp}0" "${fp:0:15}" "${fp:0:15}g"; do
  expect 2 "$TACH" history --machine "$bad" \
    && err_line "^tach history: --machine: '$bad' is not a machine fingerprint" && ok "history --machine '$bad': exit 2"
done
finish
