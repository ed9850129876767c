#!/usr/bin/env bash
# suite_bus_rates.sh - a bus latency row (open loop at --rate msgs/s; by default half the
# closed-loop rate that run measured, so another rate every run) offered at different
# rates in two runs is not judged: 1000 against 20000 msgs/s was "+14528% regressed
# (critical)" and a failed gate.  compare and gate call it incomparable, naming the rates
# and --rate, and do not fail on it; the closed-loop row keeps its verdict, and a latency
# row at equal rates (an explicit --rate) keeps its own.  report says so, site gives the
# pair no last verdict.  The documents are made by hand: a real run's latencies depend on
# the machine's load.
source "$(dirname "$0")/lib.bash"
private_store
mkdoc base0.json "bus/pipe/1to1/16/max:steady:50:1" "bus/pipe/1to1/16/latency:steady:50:1000"
mkdoc slow0.json "bus/pipe/1to1/16/max:steady:50:1" "bus/pipe/1to1/16/latency:steady:50:150000"
# bus run: the suite, and the latency row's rate (counter and load block) as bus.c writes them
bus() { # IN OUT RATE
  jq --argjson r "$3" '.context.suite = {name: "bus", quick: false, messages: 50}
    | .benchmarks |= map(if (.name | endswith("/latency"))
        then .counters = {rate: $r, invalid: 0, late: 0, dropped: 0}
          | .load = {op: "overall", rate_target: $r, invalid: false, invalid_reason: null}
        else . end)' "$1" >"$2"
}
bus base0.json r1000.json 1000
bus slow0.json r20000.json 20000
bus slow0.json r1005.json 1005 # within 1% of 1000: the same rate

# ---- different rates: no verdict, no failed gate ----
for cmd in compare gate; do
  expect 0 "$TACH" $cmd r1000.json r20000.json \
    && out_has '^bus/pipe/1to1/16/latency .*incomparable \(offered at 1000 against 20000 msgs/s; give --rate to fix it\)$' \
    && out_has '^bus/pipe/1to1/16/max .* unchanged$' && out_lacks '^bus/.*(regressed|improved)' \
    && ok "$cmd: 1000 against 20000 msgs/s is incomparable, exit 0"
done
expect 0 "$TACH" compare r1000.json r20000.json --format json \
  && out_jq '.benchmarks[] | select(.name == "bus/pipe/1to1/16/latency")
       | .verdict == "incomparable" and .base_rate == 1000 and .new_rate == 20000 and .change == null
         and (.why | startswith("offered at 1000 against 20000 msgs/s"))' \
  && out_jq '.summary.incomparable == 1 and .summary.regressed == 0 and .summary.unchanged == 1' \
  && ok "compare --format json: incomparable, the rates and why"

# ---- equal rates (and within 1%): judged as ever ----
expect 1 "$TACH" gate r1000.json r1005.json \
  && out_has '^bus/pipe/1to1/16/latency .*regressed \(critical\)$' \
  && ok "gate: 1000 against 1005 msgs/s (within 1%) is judged, regressed"
bus slow0.json r1000b.json 1000
expect 1 "$TACH" gate r1000.json r1000b.json \
  && out_has '^bus/pipe/1to1/16/latency .*regressed \(critical\)$' && ok "gate: equal rates judged, regressed"

# ---- from a store (its fast path once dropped the counters), report, site ----
"$TACH" record -q r1000.json r20000.json >/dev/null 2>&1 || fail "record"
expect 0 "$TACH" gate 1 2 \
  && out_has '^bus/pipe/1to1/16/latency .*incomparable \(offered at 1000 against 20000 msgs/s' \
  && ok "gate 1 2 from the store: incomparable, exit 0"
expect 0 "$TACH" report \
  && err_has "note: bus/pipe/1to1/16/latency not compared with " \
  && err_has ": offered at 1000 against 20000 msgs/s; give --rate to fix it" \
  && out_has '^\| `bus/pipe/1to1/16/latency` \|.*\| incomparable \| ok \|$' \
  && out_lacks '\*\*regressed\*\*' && ok "report: the row not compared, a note says why"
check "report: the summary counts the incomparable row" \
  grep -q '^| Against .* | 0 regressed (0 critical), 0 improved, 1 unchanged, 0 unstable, 1 incomparable |$' "$tmp/out"
# history draws the row's runs as one trend: a note names the pair, as for different inputs
expect 0 "$TACH" history \
  && out_has '^note: runs 1 and 2 offered different rates \(bus/pipe/1to1/16/latency offered at 1000 against 20000 msgs/s\): a latency at one rate is no change from another.s, not a regression or an improvement$' \
  && ok "history: the runs at different rates are noted"
expect 0 "$TACH" history --format json \
  && out_jq '.different_rates == [{runs: [1, 2], benchmark: "bus/pipe/1to1/16/latency", base_rate: 1000,
       new_rate: 20000, unit: "msgs/s",
       why: "bus/pipe/1to1/16/latency offered at 1000 against 20000 msgs/s"}] and .different_inputs == []' \
  && ok "history --format json: different_rates"
# a row's last-verdict tag on the index (the closed-loop row's is "unchanged")
tag_of() { grep -o "$1</code>.*" site/index.html | sed 's#</tr>.*##' | grep -o 'class="tag t-[a-z]*"'; }
if expect 0 "$TACH" site site; then
  check "site: the closed-loop row's last verdict is unchanged" \
    test "$(tag_of bus/pipe/1to1/16/max)" = 'class="tag t-unchanged"'
  check "site: no last verdict for the latency row offered at other rates" \
    test -z "$(tag_of bus/pipe/1to1/16/latency)"
  check "site: nothing regressed" bash -c "! grep -q 'bus/pipe/1to1/16/latency' site/regressions.html"
fi
finish
