#!/usr/bin/env bash
# store_suites.sh - one store holding two suites: two runs of a suite, then a stray run of
# another (what `tach run -c true` in the same folder records).  The defaults compare runs
# of one suite (a benchmark in common), never the stray run with the suite: compare and
# gate pick the latest two runs of a suite and say so; report, certify and push keep the
# latest run but warn that it is of another suite, and take their baseline from its own
# suite only.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
private_store
mkdoc one.json suite/a:steady:30:1 suite/b:steady:30:1
mkdoc two.json suite/a:steady:30:1.08 suite/b:steady:30:1
mkdoc stray.json true:steady:30:1
"$TACH" record -q one.json two.json stray.json >/dev/null || { fail "cannot record"; finish; }

if expect 0 "$TACH" compare; then
  out_has '^suite/a .* \+8\.00% .*regressed'
  out_has '^new: +run 2'
  err_has "the latest run 3 has no earlier run of its suite"
  ok "compare: the latest two runs of the suite, with a warning"
fi
expect 1 "$TACH" gate && out_has '^suite/a .*regressed' && ok "gate: the same pair (exit 1: the regression)"

for cmd in report certify; do
  if expect 0 "$TACH" "$cmd"; then
    err_has "the latest run 3 has no benchmark in common with run 2"
    out_lacks 'suite/a.*regress'
    ok "$cmd: warns that the latest run is of another suite"
  fi
done

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
expect 1 "$TACH" gate && out_has '^base: +run 1 ' && ok "gate: the same pair (exit 1: the regression)"
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
finish
