#!/usr/bin/env bash
# gate_latest_suite.sh - a bare `tach gate` always judges the latest run, the one a CI job
# just made.  Baseline main saved on a run of one suite (compression) and the latest run of
# another (crypto): the gate judged main against the newest run of main's suite, and the
# crypto run, a missed target included, was never checked (exit 0).  Now the latest run is
# judged against the newest earlier run of its suite, or, when it has none, its targets
# alone ("no baseline"), stderr saying which baseline and why main was not it.  main of
# the latest run's suite is taken as before; compare and report keep their pair.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
private_store
mkdir -p .tach
# steady's mean is 100.4833 ns (gate_exit.sh): a crypto target it misses
cat > .tach/config <<'INI'
[bench "crypto/aes"]
max_mean_ns = 100
INI
mkdoc comp1.json comp/lz4:steady:30:1 comp/zstd:steady:30:1
mkdoc comp2.json comp/lz4:steady:30:1 comp/zstd:steady:30:1
mkdoc crypto1.json crypto/aes:steady:30:1 crypto/sha:steady:30:1
"$TACH" record -q comp1.json comp2.json >/dev/null || { fail "cannot record"; finish; }
"$TACH" baseline save main 1 >/dev/null
"$TACH" record -q crypto1.json >/dev/null || { fail "cannot record"; finish; }

# the first crypto run: no earlier run of its suite, its targets checked alone
if expect 1 "$TACH" gate; then
  err_has "tach gate: note: the latest run 3 is the first of its suite: baseline 'main' (run 1) is of another suite, and no earlier run in the store"
  err_has "first run of its suite: no baseline, so no comparison was made; targets checked only"
  err_has "1 target missed"
  out_has '^new:  run 3 '
  out_has '^  crypto/aes: max_mean_ns 100 ns, measured 100\.5 ns$'
  out_lacks 'comp/'
  ok "gate: a crypto run after main of compression, first of its suite: its missed target fails"
fi
expect 1 "$TACH" gate --format json \
  && out_jq '.no_baseline == true and .new.run_id == 3 and .summary.targets_missed == 1' \
  && ok "gate --format json: the latest run, no baseline"
# a bare compare beside it is another pair: main against the newest run of main's suite
# (docs/ci.md: why the CI artifact is the gate's own --format json)
expect 0 "$TACH" compare --format json && out_jq '.base.run_id == 1 and .new.run_id == 2' \
  && err_has "the latest run 3 has no benchmark in common with baseline 'main' (run 1)" \
  && ok "compare beside that gate: main against run 2, not the run the gate judged"

# a second crypto run: judged against the first, main of the other suite said
mkdoc crypto2.json crypto/aes:steady:30:1 crypto/sha:steady:30:1.5
"$TACH" record -q crypto2.json >/dev/null
if expect 1 "$TACH" gate; then
  err_has "tach gate: warning: baseline 'main' (run 1) is of another suite than the latest run 4; judging run 4 against run 3, the newest earlier run of its suite"
  out_has '^base: +run 3 '
  out_has '^new: +run 4 '
  out_has '^crypto/sha .*regressed'
  out_has '^  crypto/aes: max_mean_ns 100 ns, measured 100\.5 ns$'
  out_lacks 'comp/'
  ok "gate: the latest crypto run against the crypto run before, main's suite said"
fi
expect 1 "$TACH" gate --format json \
  && out_jq '.no_baseline == false and .base.run_id == 3 and .new.run_id == 4' \
  && ok "gate --format json: run 3 against run 4"
# compare keeps main against the newest run of main's suite (docs/ci.md)
expect 0 "$TACH" compare && out_has '^base: +run 1 ' && out_has '^new: +run 2 ' \
  && ok "compare: main against the newest run of its suite, as before"

# main of the latest run's suite: main, as before, no warning
mkdoc comp3.json comp/lz4:steady:30:1.5 comp/zstd:steady:30:1
"$TACH" record -q comp3.json >/dev/null
if expect 1 "$TACH" gate; then
  out_has '^base: +run 1 '
  out_has '^new: +run 5 '
  out_has '^comp/lz4 .*regressed'
  if [ -s "$tmp/err" ] && grep -q warning "$tmp/err"; then
    fail "a warning with main of the latest run's suite: $(cat "$tmp/err")"
  else ok "gate: main of the latest run's suite, unchanged"; fi
fi
finish
