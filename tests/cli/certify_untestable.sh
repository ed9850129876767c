#!/usr/bin/env bash
# A benchmark with too few samples on a side to be tested against the baseline (one
# sample): the certificate judges it as tach gate does.  A point change beyond the
# critical threshold rejects it (the gate fails on it), one below is a condition (record
# more samples); the Regressions row and finding say how many were not testable, never
# an APPROVED "None among 2 compared benchmarks" over a doubled time.
source "$(dirname "$0")/lib.bash"
mkdoc base.json x/one:steady:1:1 x/ok:steady:20:1
mkdoc slow.json x/one:steady:1:2 x/ok:steady:20:1     # x/one +100%, one sample a side
mkdoc near.json x/one:steady:1:1.05 x/ok:steady:20:1  # x/one +5%
expect 1 "$TACH" gate base.json slow.json && ok "the gate fails on the +100% point change"
if expect 1 "$TACH" certify slow.json --baseline base.json; then
  err_has "REJECTED" && out_has '^- 1 benchmark changed by the critical 10% or more against base\.json with too few samples' \
    && out_has '^\| Regressions \| .* 1 not testable \(too few samples\)' \
    && out_has '^None among 2 compared benchmarks, of which 1 was not testable' && ok "certify: +100% untested: REJECTED"
fi
if expect 0 "$TACH" certify near.json --baseline base.json; then
  err_has "CONDITIONALLY APPROVED" && out_has '^- record more samples of 1 benchmark not testable against the baseline' \
    && ok "certify: +5% untested: a condition"
fi
finish
