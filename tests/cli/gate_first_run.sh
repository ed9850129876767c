#!/usr/bin/env bash
# gate_first_run.sh - `tach gate` with no run named on a store whose latest run is the
# first of its suite (a project's first CI run): no baseline, so nothing is compared, but
# the targets of .tach/config (and the benchmarks' own) are checked on that run alone, said
# plainly: exit 0 when every target holds, 1 when one is missed or a benchmark failed.  It
# exited 2 "nothing to compare", so a first CI run that gates was red.  A named BASE that
# does not exist, and an empty store, stay exit 2; compare stays exit 2.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
private_store
mkdir -p .tach
# steady's mean is 100.4833 ns and its median 100.5 ns (gate_exit.sh)
cat > .tach/config <<'INI'
[bench "suite/a"]
max_mean_ns = 101
[bench "suite/b"]
max_median_ns = 200
INI
expect 2 "$TACH" gate && err_has "nothing to compare: no store at" && ok "no store: exit 2"

mkdoc one.json suite/a:steady:30:1 suite/b:steady:30:1
"$TACH" record -q one.json >/dev/null || { fail "cannot record"; finish; }
if expect 0 "$TACH" gate; then
  err_has "first run of its suite: no baseline, so no comparison was made; targets checked only"
  err_has "tach gate: passed: first run of its suite: no baseline, nothing compared; 0 failed benchmarks, 0 targets missed"
  out_has '^base: none: first run of its suite: no baseline; targets checked only$'
  out_has '^suite/a .* 1 met .* ok$'
  out_has '^2 benchmarks, 0 failed; 2 targets checked, 0 missed; nothing compared \(no baseline\)$'
  ok "one run, its targets held: exit 0, no baseline said"
fi
if expect 0 "$TACH" gate --format json; then
  out_jq '.no_baseline == true and .base == null and .gate_failed == false'
  out_jq '.summary.targets_missed == 0 and .summary.compared == 0'
  out_jq '[.benchmarks[].targets[].met] == [true, true]'
  ok "json: no_baseline true, targets met"
fi
expect 2 "$TACH" compare && err_has "holds only one run; give BASE and NEW" \
  && ok "compare: still nothing to compare, exit 2"
expect 2 "$TACH" gate 99 && err_has "99" && ok "a named BASE that does not exist: exit 2"

# a target missed on the first run: exit 1
cat > .tach/config <<'INI'
[bench "suite/a"]
max_mean_ns = 100
INI
if expect 1 "$TACH" gate; then
  err_has "tach gate: FAILED: first run of its suite: no baseline, nothing compared; 0 failed benchmarks, 1 target missed"
  out_has '^  suite/a: max_mean_ns 100 ns, measured 100\.5 ns$'
  out_has '^suite/a .* 1 missed .* ok$'
  ok "one run, a target missed: exit 1"
fi
expect 1 "$TACH" gate --format json \
  && out_jq '.no_baseline == true and .gate_failed == true and .summary.targets_missed == 1' \
  && ok "json: a target missed, gate_failed"

# a benchmark that failed in the first run: exit 1
rm .tach/config
mkdoc crashed.json other/x:steady:30:1 other/y:steady:30:1:crashed
"$TACH" record -q crashed.json >/dev/null || { fail "cannot record"; finish; }
if expect 1 "$TACH" gate; then
  err_has "first run of its suite: no baseline"
  err_has "1 failed benchmark, 0 targets missed"
  out_has '^other/y .* failed: crashed: killed by signal 11$'
  ok "the first run of a second suite, a benchmark crashed: exit 1"
fi

# with a baseline the gate compares as before, and says nothing of a first run
mkdoc two.json other/x:steady:30:1 other/y:steady:30:1
"$TACH" record -q two.json >/dev/null || { fail "cannot record"; finish; }
if expect 0 "$TACH" gate --format json; then
  out_jq '.no_baseline == false and .base.run_id == 2'
  ! grep -q "no baseline" "$tmp/err" || fail "a compared gate spoke of no baseline"
  ok "a second run of the suite: compared, no_baseline false"
fi
finish
