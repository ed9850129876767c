#!/usr/bin/env bash
# latency_compare.sh - `tach compare` / `tach gate` judge latency percentiles when both
# sides carry per-call histograms.  The documents come from the HdrHistogram Java log
# (tests/fixtures/hlog/java.hlog): "get" (p50 50.1 us) is BASE, and NEW is the same
# document with the "put" histogram (p50 200 us) renamed "get": every percentile is
# far slower, with thousands of calls behind it.
source "$(dirname "$0")/lib.bash"
JAVA_LOG=$TACH_SRC/tests/fixtures/hlog/java.hlog

check "import the Java log" "$TACH" import "$JAVA_LOG" -o "$tmp/base.json"
jq '.benchmarks |= [(.[] | select(.name == "put") | .name = "get")]' "$tmp/base.json" > "$tmp/slow.json"
jq '.benchmarks |= [.[] | select(.name == "get")]' "$tmp/base.json" > "$tmp/get.json"

expect 0 "$TACH" compare "$tmp/get.json" "$tmp/slow.json" --percentile 50,99 --format json
out_jq '[.percentiles[] | .p] == [50, 99]'
out_jq 'all(.percentiles[]; .name == "get" and .verdict == "regressed" and .severity == "critical" and .change_ci_low > 0.02)'
out_jq '.percentiles[0] | .base_ns == 50143 and .new_ns == 200319'

# the same histograms: unchanged where the CI lies inside the noise band (p50 of 15,000
# calls: [-0.6%, +0.6%]); p99 (150 calls above) has a CI of about +-6%, beyond +-2%: the
# calls cannot tell, so unstable, not unchanged (docs/latency.md)
expect 0 "$TACH" compare "$tmp/get.json" "$tmp/get.json" --format json
out_jq '[.percentiles[] | .p] == [50, 99] and all(.percentiles[]; .change == 0)'
out_jq '.percentiles[0] | .verdict == "unchanged" and .change_ci_low >= -0.02 and .change_ci_high <= 0.02'
out_jq '.percentiles[1] | .verdict == "unstable" and .change_ci_low < -0.02 and .change_ci_high > 0.02 and (.why | test("noise band"))'
expect 0 "$TACH" compare "$tmp/get.json" "$tmp/get.json" --percentile 99:10 --format json
out_jq '.percentiles[0].verdict == "unchanged"'

# a benchmark whose own median change is unstable never gets a judged percentile: the
# same "get" histograms on both sides (p50 unchanged, CI +-0.6%), under samples whose
# median change is unstable (cv 18%)
mkdoc "$tmp/na.json" get:noisya:30:1000
mkdoc "$tmp/nb.json" get:noisyb:30:1000
mkdoc "$tmp/st.json" get:steady:30:1000
lat=$(jq -c '.benchmarks[0].latency' "$tmp/get.json")
for f in na nb st; do
  jq --argjson l "$lat" '.benchmarks[0].latency = $l' "$tmp/$f.json" > "$tmp/$f.lat.json"
done
expect 0 "$TACH" compare "$tmp/na.lat.json" "$tmp/nb.lat.json" --percentile 50:5,99:10 --format json
out_jq '.benchmarks[0].verdict == "unstable"'
out_jq '[.percentiles[] | .verdict] == ["unstable", "unstable"]'
out_jq 'all(.percentiles[]; .why | test("median change is unstable"))'
expect 0 "$TACH" compare "$tmp/na.lat.json" "$tmp/nb.lat.json" --percentile 50:5,99:10
out_has '^get +p50 .*unstable: the benchmark'
out_lacks 'unchanged$'
# ... while the same percentiles under a steady median are judged
expect 0 "$TACH" compare "$tmp/st.lat.json" "$tmp/st.lat.json" --percentile 50:5,99:10 --format json
out_jq '.benchmarks[0].verdict == "unchanged" and ([.percentiles[] | .verdict] == ["unchanged", "unchanged"])'
# an unstable percentile does not fail the gate (as an unstable median does not)
expect 0 "$TACH" gate "$tmp/na.lat.json" "$tmp/nb.lat.json" --percentile 50:5,99:10

# the table, with a thin tail said so (p99.99 of 15,000 calls: 1 call above)
expect 0 "$TACH" compare "$tmp/get.json" "$tmp/slow.json" --percentile 99.99,50
out_has '^latency percentiles'
out_has '^get +p99\.99 .*not testable: thin tail'
out_has '^get +p50 .*regressed \(critical\)'

# gate: a regressed percentile fails it; a threshold above the change passes it
expect 1 "$TACH" gate "$tmp/get.json" "$tmp/slow.json" --percentile 50
err_has "1 latency percentile regressed"
expect 0 "$TACH" gate "$tmp/get.json" "$tmp/slow.json" --percentile 50:500
expect 0 "$TACH" gate "$tmp/get.json" "$tmp/get.json"

# bad --percentile values: exit 2 naming the flag and the value
for bad in 0 101 abc 99:x 99:-1 ',' 50,,99 0x32 50:0x5 p0x1p5; do
  expect 2 "$TACH" compare "$tmp/get.json" "$tmp/slow.json" --percentile "$bad"
  err_has "--percentile"
done
# a percentile asked twice (as written or by value; with another threshold): exit 2 naming
# it, never two rows of it (nor two regressions counted by gate)
for dup in 50,50 50,50.0 99,p99:5 99.99999,50,99.99999:3; do
  for cmd in compare gate; do
    expect 2 "$TACH" $cmd "$tmp/get.json" "$tmp/slow.json" --percentile "$dup" &&
      err_has "--percentile" && err_has "is asked twice" && [ ! -s "$tmp/out" ] &&
      ok "$cmd --percentile $dup: exit 2, nothing printed" || fail "$cmd --percentile $dup: exit 2, nothing printed"
  done
done
err_has "percentile 99.99999 is asked twice"
printf '[compare]\npercentiles = 99,50,p99:5\n' > "$tmp/dup.ini"
expect 2 "$TACH" gate --config "$tmp/dup.ini" "$tmp/get.json" "$tmp/slow.json" &&
  err_has "dup.ini:2: bad value for percentiles in [compare]: 'p99:5': percentile 99 is asked twice" &&
  ok "a percentile twice in the config: exit 2 naming the file, line and value"
# .tach/config [compare] percentiles = ...: the thresholds a gate uses by default
printf '[compare]\npercentiles = 50:500\n' > "$tmp/pass.ini"
expect 0 "$TACH" gate --config "$tmp/pass.ini" "$tmp/get.json" "$tmp/slow.json"
printf '[compare]\npercentiles = p99.9:1,50\n' > "$tmp/fail.ini"
expect 1 "$TACH" gate --config "$tmp/fail.ini" "$tmp/get.json" "$tmp/slow.json" --format json
out_jq '[.percentiles[] | .p] == [99.9, 50] and .gate_failed'
printf '[compare]\npercentiles = 120\n' > "$tmp/bad.ini"
expect 2 "$TACH" gate --config "$tmp/bad.ini" "$tmp/get.json" "$tmp/slow.json"
err_has "bad value for percentiles in [compare]: '120'"
expect 0 "$TACH" compare --help
out_has '^  --percentile'
# a percentile is labelled as asked: 99.99999 is not "p100" (the max, asked beside it)
expect 0 "$TACH" compare "$tmp/get.json" "$tmp/slow.json" --percentile 99.99999,100
out_has '^get +p99\.99999 '
out_has '^get +p100 '
# calls too short to time one by one (docs/latency.md): no percentile is presented, so the
# table shows none (it printed the timer's noise, p50 50.1 us here, beside a .slo p99 target
# "missed, nothing measured")
jq '.benchmarks[0].latency |= (.too_short = true | .percentiles = []) | .benchmarks[0].targets = {"slo": "p99<100us"}' \
  "$tmp/get.json" > "$tmp/short.json"
expect 1 "$TACH" gate "$tmp/short.json" "$tmp/short.json" --percentile 50,99
out_has '^  get: p99<100us .*nothing measured \(calls too short to time one by one: no percentile\)$'
out_has '^get +p50 +- +- +- +- +not testable: calls too short to time one by one'
out_lacks '^get +p(50|99) .*[0-9] (ns|µs)'
expect 1 "$TACH" gate "$tmp/short.json" "$tmp/short.json" --percentile 50,99 --format json
out_jq 'all(.percentiles[]; .base_ns == null and .new_ns == null and .change == null and .verdict == "not testable")'
# one side too short: the other side's value stays
expect 0 "$TACH" compare "$tmp/get.json" "$tmp/short.json" --percentile 50 --format json
out_jq '.percentiles[0] | .base_ns == 50143 and .new_ns == null and .verdict == "not testable"'
# an objective on a percentile too few calls lie above (p99.99 of get's ~15,000 calls: a
# thin tail, fewer than 10 above it) is not checked, with the counts: it was judged on that
# guess (missed here, failing the gate); p99 (150 above) still is
jq '.benchmarks[0].targets = {"slo": "p9999<1us p99<1h"}' "$tmp/get.json" > "$tmp/thin.json"
if expect 0 "$TACH" gate "$tmp/thin.json" "$tmp/thin.json"; then
  out_has '^  get: p9999<1us 1\.00 µs, not checked: too few calls for p99\.99: [0-9]+ calls, [0-9] above it; it needs 10 above it \(100000 calls\)$'
  out_lacks 'targets missed'
  err_has 'no target missed (1 target not checked)'
  ok "p99.99 on a thin tail: not checked, with how many calls it has and needs"
fi
if expect 0 "$TACH" gate "$tmp/thin.json" "$tmp/thin.json" --format json; then
  out_jq '.benchmarks[0].targets | length == 2'
  out_jq '.benchmarks[0].targets[0] | .name == "p9999<1us" and .met == null and (.not_checked | test("^too few calls for p99.99: [0-9]+ calls"))'
  out_jq '.benchmarks[0].targets[1] | .name == "p99<1h" and .met == true and .not_checked == null'
  out_jq '.summary.targets_missed == 0 and .summary.targets_not_checked == 1'
fi

finish
