#!/usr/bin/env bash
# compare_zero_median.sh - rounds whose median is 0 ns (a benchmark timed at nothing) and
# medians whose ratio a double cannot hold: the rounds are still tested (p on the round
# medians themselves: no log of 0), and a change that is no number reads "n/a" with its
# reason under the table ("change_na" in JSON), never "+inf%".
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
cd "$tmp"
doc() { # OUT NS...: one benchmark a/x, 4 rounds of 3 samples (the NS in order)
  local out=$1; shift
  local ns iters rounds k=0
  ns=$(IFS=,; echo "$*")
  iters=$(printf '1000,%.0s' "$@"); iters=${iters%,}
  rounds=$(for _ in "$@"; do printf '%d,' $((k++ / 3)); done); rounds=${rounds%,}
  cat >"$out" <<JSON
{"format": "tach-results", "version": 1, "partial": false,
 "context": {"cpu_model": "Test CPU @ 3.0GHz", "cpus": 2, "memory_kib": 4000000, "kernel": "6.1.0"},
 "benchmarks": [{"name": "a/x", "status": "ok",
   "samples": {"iters": [$iters], "ns": [$ns], "rounds": [$rounds]}}]}
JSON
}
doc some_zero.json 0 0 0 0 0 0 1 1 1 1 1 1
doc zero.json 0 0 0 0 0 0 0 0 0 0 0 0
doc five.json 5 5 5 5.1 5 5 5 5 5.1 5 5 5
doc tiny.json 1e-300 1e-300 1e-300 1e-300 1e-300 1e-300 1e-300 1e-300 1e-300 1e-300 1e-300 1e-300
doc huge.json 1e300 1e300 1e300 1e300 1e300 1e300 1e300 1e300 1e300 1e300 1e300 1e300

for pair in "some_zero five" "zero five" "five zero" "tiny huge"; do
  set -- $pair
  expect 0 "$TACH" compare "$1.json" "$2.json" || continue
  out_lacks 'inf'
  out_lacks '^a/x .* -  +-  +[a-z]' # p and q are there
  ok "$1 -> $2: p kept, no inf"
done

expect 0 "$TACH" compare some_zero.json five.json \
  && out_has '^a/x .* \+900\.00%  \[\+[0-9.]+%, n/a\] ' \
  && out_has "^  a/x: BASE's median is 0 in some resamples: that end of the CI is unbounded$" \
  && out_has 'regressed \(critical\)' && ok "an unbounded CI end: n/a, and why"
expect 0 "$TACH" compare zero.json five.json \
  && out_has '^a/x .* n/a  n/a ' \
  && out_has "^  a/x: BASE's median is 0: a change from 0 has no percentage$" \
  && ok "a change from 0: n/a, and why"
expect 0 "$TACH" compare tiny.json huge.json \
  && out_has "^  a/x: the ratio of the medians is beyond a double's range$" \
  && out_lacks '^suite geometric mean' && ok "a ratio beyond a double: n/a, and why"
expect 0 "$TACH" compare --format json zero.json five.json \
  && out_jq '.benchmarks[0].change == null and .benchmarks[0].p != null and (.benchmarks[0].change_na | test("BASE.s median is 0"))' \
  && ok "JSON: change null, change_na says why, p kept"
expect 0 "$TACH" compare --format json five.json some_zero.json \
  && out_jq '.benchmarks[0].change_na == null' && ok "JSON: change_na null when every number is one"
expect 1 "$TACH" gate some_zero.json five.json && ok "gate: a regression from a 0 ns round fails"
# A BASE at 0 ns in every round and NEW at 5 ns: every resample's change is +inf, so the
# whole CI lies above any threshold; it was "unstable (cv - / 0.8%)" and the gate passed
# ("0 benchmarks compared"), while the mirror image was "improved (critical)".
expect 0 "$TACH" compare zero.json five.json \
  && out_has '^a/x .* n/a  n/a .* regressed \(critical\)$' && ok "0 ns -> 5 ns: regressed (critical)"
expect 0 "$TACH" compare five.json zero.json \
  && out_has '^a/x .* improved \(critical\)$' && ok "5 ns -> 0 ns: improved (critical)"
# A change that is n/a has no CI shown either: the fall to 0 ns read "n/a  [-100.00%,
# -100.00%]" (the ends the verdict rests on), JSON change null but its CI -1, -1; the
# reports (md, html, junit, certify, svg whiskers) take the same tool_cmp_shown_ci
expect 0 "$TACH" compare five.json zero.json \
  && out_has '^a/x .* n/a  n/a .* improved' && out_lacks '100\.00%' \
  && ok "5 ns -> 0 ns: change n/a, CI n/a"
expect 0 "$TACH" compare --format json five.json zero.json \
  && out_jq '.benchmarks[0] | .change == null and .change_ci_low == null and .change_ci_high == null
             and (.change_na | test("NEW.s median is 0"))' \
  && ok "JSON: 5 ns -> 0 ns: change and CI null, change_na says why"
expect 1 "$TACH" gate zero.json five.json \
  && err_has "FAILED: 1 regression beyond threshold" && ok "gate: a rise from 0 ns fails"
expect 0 "$TACH" gate five.json zero.json \
  && err_has "passed: 1 benchmark compared" && ok "gate: a fall to 0 ns passes, 1 benchmark compared"
expect 0 "$TACH" compare --format json zero.json five.json \
  && out_jq '.benchmarks[0].verdict == "regressed" and .benchmarks[0].severity == "critical" and .summary.compared == 1' \
  && ok "JSON: regressed, critical, counted as compared"
# Both medians 0 ns but not every sample: no change to estimate (n/a), unstable; the
# passing gate said "0 benchmarks compared" and nothing of it, as if there had been none
doc z2.json 0 0 0 0 0 5 0 0 0 0 5 0
expect 0 "$TACH" gate z2.json z2.json \
  && err_has "passed: 0 benchmarks compared, 1 with no change to estimate (n/a), no regression" \
  && ok "gate: a row with no change to estimate is named, not hidden under 0 compared"
# ok in NEW with no values: incomparable (the table says so), named on the passing line
jq '.benchmarks[0].samples = {iters: [], ns: []}' five.json >novalues.json
expect 0 "$TACH" gate five.json novalues.json \
  && err_has "passed: 0 benchmarks compared, 1 incomparable, no regression" \
  && ok "gate: an incomparable row is named on the passing line"
# one round a side (Mann-Whitney, the samples resampled): the same
jq 'del(.benchmarks[0].samples.rounds)' zero.json >zero1.json
jq 'del(.benchmarks[0].samples.rounds)' five.json >five1.json
expect 1 "$TACH" gate zero1.json five1.json && ok "gate: a rise from 0 ns fails, one round a side"
# one sample a side (a Google Benchmark file's one row per benchmark): not testable, and a
# rise from 0 ns is a slowdown beyond the critical threshold: the gate fails unless
# --allow-untestable, as it does for 2 ns -> 5 ns (it passed: the change is no number)
one() { jq -n --argjson v "$2" '{format: "tach-results", version: 1, context: {},
  benchmarks: [{name: "a/x", status: "ok", samples: {iters: [1], ns: [$v]}}]}' >"$1"; }
one o0.json 0; one o2.json 2; one o5.json 5
expect 1 "$TACH" gate o2.json o5.json && err_has "1 not testable" && ok "gate: 2 ns -> 5 ns, one sample a side, fails"
expect 1 "$TACH" gate o0.json o5.json && err_has "1 not testable" && ok "gate: 0 ns -> 5 ns, one sample a side, fails"
expect 0 "$TACH" gate --allow-untestable o0.json o5.json && ok "gate: ... unless --allow-untestable"
expect 0 "$TACH" gate o5.json o0.json && ok "gate: 5 ns -> 0 ns, one sample a side, passes"
expect 0 "$TACH" gate o0.json o0.json && ok "gate: 0 ns -> 0 ns, one sample a side, passes"

# certify: the rise is a critical regression, and a suite with no change that is a number
# has no geometric mean: n/a, not a made-up +0.0%
if expect 1 "$TACH" certify five.json --baseline zero.json; then
  out_has '^\| Regressions \| 0/100 \| 1 of 1 compared benchmark regressed \(1 critical\); geometric-mean change n/a \|$'
  out_lacks 'geometric-mean change \+0\.0%'
fi
finish
