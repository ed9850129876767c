#!/usr/bin/env bash
# history_from_zero.sh - a benchmark whose level shifts up from 0 ns (four runs at 0 ns,
# four at 5 ns): the change point's change has no percentage.  The table's shifts column
# and --changes read "+inf%"; they say n/a, as tach compare does, and JSON has null.  The
# table's change column (first median to last) read "-"; it says n/a too.
source "$(dirname "$0")/lib.bash"
private_store
export NO_COLOR=1
for i in 1 2 3 4 5 6 7 8; do
  v=0; [ "$i" -gt 4 ] && v=5
  jq -n --argjson v "$v" --arg u "run$i" '{format: "tach-results", version: 1, context: {run_uid: $u},
    benchmarks: [{name: "a/x", status: "ok", samples: {iters: [1, 1, 1, 1, 1], ns: [$v, $v, $v, $v, $v]}}]}' >d$i.json
  expect 0 "$TACH" record d$i.json || { finish; exit; }
done
expect 0 "$TACH" history --changes &&
  out_has '^a/x .* 1 \(last: run 5, n/a\)$' &&
  out_has '^ +change at run 5 .*: 0\.00 ns -> 5\.00 ns \(n/a, p < 0\.0001\)$' &&
  out_lacks 'inf|nan' && ok "a shift up from 0 ns: n/a, not +inf%"
# the table's change column (first to last median) said "-" from 0 ns: n/a, as shifts say
expect 0 "$TACH" history &&
  out_has '^a/x +8 +0\.00 ns +5\.00 ns +n/a ' && ok "change column from 0 ns: n/a, not -"
expect 0 "$TACH" history --format json &&
  out_jq '.benchmarks[0].changes | length == 1 and .[0].change == null' && ok "JSON: change null"
finish
