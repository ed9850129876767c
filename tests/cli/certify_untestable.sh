#!/usr/bin/env bash
# A benchmark with too few samples on a side to be tested against the baseline (one
# sample): the certificate judges it as tach gate does.  A point change beyond the
# critical threshold rejects it (the gate fails on it), one below is a condition (record
# more samples); the Regressions row says how many were not testable, and the Regressions
# finding names each untested change beyond the critical threshold (in JUnit's words),
# never "None among 2 compared benchmarks" over a doubled time, in md and html.
source "$(dirname "$0")/lib.bash"
mkdoc base.json x/one:steady:1:1 x/ok:steady:20:1
mkdoc slow.json x/one:steady:1:2 x/ok:steady:20:1     # x/one +100%, one sample a side
mkdoc near.json x/one:steady:1:1.05 x/ok:steady:20:1  # x/one +5%
mkdoc both.json x/one:steady:1:2 x/ok:steady:20:1.5   # and x/ok +50%, tested
expect 1 "$TACH" gate base.json slow.json && ok "the gate fails on the +100% point change"
item='^- `x/one`: changed \+100\.0% with too few samples to test it \(critical 10%\): median 100 ns -> 200 ns$'
if expect 1 "$TACH" certify slow.json --baseline base.json; then
  err_has "REJECTED" && out_has '^- 1 benchmark changed by the critical 10% or more against base\.json with too few samples' \
    && out_has '^\| Regressions \| .* 1 not testable \(too few samples\)' \
    && out_lacks '^None among' \
    && out_has '^No tested regression among 2 compared benchmarks; 1 untested change at or beyond the critical threshold \(too few samples to test it; tach gate fails on such a change\):$' \
    && out_has "$item" && ok "certify: +100% untested: REJECTED, the change named in the findings"
fi
if expect 1 "$TACH" certify slow.json --baseline base.json --format html -o c.html; then
  check "certify --format html: the untested change named" \
    grep -q '<p>No tested regression among 2 compared benchmarks; 1 untested change at or beyond the critical threshold (too few samples to test it; tach gate fails on such a change):</p><ul><li>x/one: changed +100.0% with too few samples to test it (critical 10%): median 100 ns -&gt; 200 ns</li></ul>' c.html
fi
if expect 1 "$TACH" certify both.json --baseline base.json; then
  out_has '^\| `x/ok` \| \+50' && out_has '^1 untested change at or beyond the critical threshold \(too few samples to test it; tach gate fails on such a change\):$' \
    && out_has "$item" && ok "certify: a tested regression's table, then the untested change named"
fi
if expect 0 "$TACH" certify near.json --baseline base.json; then
  err_has "CONDITIONALLY APPROVED" && out_has '^- record more samples of 1 benchmark not testable against the baseline' \
    && out_has '^None among 2 compared benchmarks, of which 1 was not testable' && out_lacks 'untested change' \
    && ok "certify: +5% untested: a condition"
fi
finish
