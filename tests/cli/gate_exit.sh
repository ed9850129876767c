#!/usr/bin/env bash
# gate_exit.sh - `tach gate` exit codes on crafted results files: 1 on a regression beyond
# its threshold, a benchmark that failed in NEW, or a missed declared target; 0 on an
# identical pair, a regression inside --noise, a warning with --fail-on critical, an
# improvement; 2 on bad input.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
cd "$tmp"
mkdoc base.json suite/a:steady:30:1 suite/b:steady:30:1
mkdoc same.json suite/a:steady:30:1 suite/b:steady:30:1
mkdoc warn.json suite/a:steady:30:1.08 suite/b:steady:30:1     # +8%: warning
mkdoc crit.json suite/a:steady:30:1.15 suite/b:steady:30:1     # +15%: critical
mkdoc faster.json suite/a:steady:30:0.8 suite/b:steady:30:1
mkdoc crashed.json suite/a:steady:30:1 suite/b:steady:30:1:crashed
# suite/b declares max_mean_ns 100; steady's mean is 100.4833 ns (numpy.mean), so missed.
mkdoc target.json suite/a:steady:30:1 'suite/b:steady:30:1:ok:{"max_mean_ns":100}'
mkdoc target_ok.json suite/a:steady:30:1 'suite/b:steady:30:1:ok:{"max_mean_ns":101}'

expect 0 "$TACH" gate base.json same.json && err_has "tach gate: passed" && ok "identical: exit 0"
expect 1 "$TACH" gate base.json warn.json && err_has "tach gate: FAILED: 1 regression beyond threshold" \
  && ok "8% regression: exit 1"
expect 0 "$TACH" gate --noise 10 base.json warn.json && ok "8% inside --noise 10: exit 0"
expect 0 "$TACH" gate --fail-on critical base.json warn.json && ok "warning with --fail-on critical: exit 0"
# the passing line says the regression it let through (it said "no regression beyond
# threshold" alone)
err_has "tach gate: passed: 2 benchmarks compared, no regression beyond threshold (1 below the critical threshold of 10%, --fail-on critical), no target missed" \
  && ok "warning with --fail-on critical: said on the passing line"
expect 1 "$TACH" gate --fail-on critical base.json crit.json && ok "critical with --fail-on critical: exit 1"
expect 0 "$TACH" gate base.json faster.json && ok "improvement: exit 0"
if expect 1 "$TACH" gate base.json crashed.json; then
  err_has "1 failed benchmark"
  out_has '^suite/b .* failed: crashed: killed by signal 11$'
  ok "crashed in NEW: exit 1"
fi
# A benchmark skipped in NEW (tach_skip: not supported here) is not a failure.
mkdoc skipped.json suite/a:steady:30:1 suite/b:steady:30:1:skipped
if expect 0 "$TACH" gate base.json skipped.json; then
  out_has '^suite/b .* skipped: '
  ok "skipped in NEW: exit 0, shown as skipped"
fi
# So is a benchmark new in NEW that was skipped there (it was counted as failed, exit 1).
mkdoc added_skipped.json suite/a:steady:30:1 suite/b:steady:30:1 suite/c::0:1:skipped
if expect 0 "$TACH" gate base.json added_skipped.json; then
  out_has '^suite/c .* skipped: '
  out_lacks 'failed'
  ok "added and skipped in NEW: exit 0, shown as skipped"
fi
if expect 0 "$TACH" gate --format json base.json added_skipped.json; then
  out_jq '.gate_failed == false and .summary.failed == 0'
  out_jq '.benchmarks[] | select(.name == "suite/c") | .verdict == "incomparable"'
fi
# A skipped benchmark with a target measured nothing, and a skip is no failure: its target
# is not checked (it was missed, "nothing measured", and the gate failed, exit 1), in the
# gate and in md, html and certify alike; an objective that does not parse is missed still.
mkdoc skiptarget.json suite/a:steady:30:1 'suite/b:steady:30:1:skipped:{"max_median_ns":50}'
if expect 0 "$TACH" gate base.json skiptarget.json; then
  err_has "no target missed (1 target not checked)"
  out_has '^  suite/b: max_median_ns 50\.0 ns, not checked: the benchmark was skipped$' &&
    out_lacks 'nothing measured' && ok "a skipped benchmark's target: not checked, the gate passes"
fi
if expect 0 "$TACH" report skiptarget.json --format md; then
  out_has '^\| Targets \| 0 met, 0 missed, 1 not checked \|$' &&
    out_has 'not checked: the benchmark was skipped \|$' && out_lacks 'MISSED|target missed' &&
    ok "md: a skipped benchmark's target not checked"
fi
if expect 0 "$TACH" report skiptarget.json --format html; then
  out_has 'the benchmark was skipped' && out_lacks '>missed<' && ok "html: a skipped benchmark's target not checked"
fi
if expect 0 "$TACH" certify skiptarget.json; then
  out_lacks 'target missed' && out_has 'not checked: the benchmark was skipped \|$' &&
    ok "certify: a skipped benchmark's target not checked, no reason to reject"
  # its Targets row gave every target not checked the reason of a counted run
  out_has '^\| Targets \| [^|]+ \| 0 of 0 declared targets met; 1 not checked \(neither met nor missed\) \|$' &&
    out_lacks 'counted instructions' && ok "certify: the Targets row names no counted run"
fi
mkdoc skipslo.json suite/a:steady:30:1 'suite/b:steady:30:1:skipped:{"slo":"p98<1ms"}'
if expect 1 "$TACH" gate base.json skipslo.json; then
  err_has "1 target missed" && out_has "^  suite/b: p98<1ms, not a valid objective" &&
    ok "a skipped benchmark's objective that does not parse: missed"
fi
if expect 1 "$TACH" gate base.json target.json; then
  err_has "1 target missed"
  out_has '^  suite/b: max_mean_ns 100 ns, measured 100\.5 ns$'
  ok "missed target: exit 1"
fi
expect 0 "$TACH" gate base.json target_ok.json && ok "met target: exit 0"
# a limit and a mean that four digits cannot tell apart: as many digits as do (it read
# "max_mean_ns 100.5 µs, measured 100.5 µs", a miss that looked like a hit)
mkdoc near.json 'suite/b:steady:30:1000:ok:{"max_mean_ns":100470}'
expect 1 "$TACH" gate near.json near.json \
  && out_has '^  suite/b: max_mean_ns 100\.47 µs, measured 100\.48 µs$' && ok "missed target: the two told apart"
# max_regression_pct on a change too few samples can test (one a side; 3 and 3, whose
# smallest U-test p is 0.081, docs/ci.md): a slowdown beyond the budget is neither met
# nor missed - it was "met" (JSON met: true with actual +5%), and the gate passed saying
# "no target missed".
mkdoc one.json suite/a:steady:1:1
mkdoc one_slow.json 'suite/a:steady:1:1.05:ok:{"max_regression_pct":3}'
mkdoc one_same.json 'suite/a:steady:1:1.01:ok:{"max_regression_pct":3}'
if expect 0 "$TACH" gate one.json one_slow.json; then
  out_has '^targets not checked \(1\):$'
  out_has "^  suite/a: max_regression_pct \\+3\\.0%, not checked: too few samples to test the change$"
  err_has "tach gate: passed: 1 benchmark compared, no regression beyond threshold, no target missed (1 target not checked)"
  ok "max_regression_pct on one sample a side, +5%: not checked"
fi
expect 0 "$TACH" gate --format json one.json one_slow.json \
  && out_jq '.summary.targets_not_checked == 1 and .summary.targets_missed == 0
             and (.benchmarks[0].targets[0] | .met == null and .not_checked == "too few samples to test the change")' \
  && ok "json: met null, not_checked says why"
expect 0 "$TACH" gate --format json one.json one_same.json \
  && out_jq '.summary.targets_not_checked == 0 and .benchmarks[0].targets[0].met == true' \
  && ok "max_regression_pct on one sample a side, +1%: met"
mkdoc three.json suite/a:steady:3:1
mkdoc three_slow.json 'suite/a:steady:3:1.05:ok:{"max_regression_pct":3}'
expect 0 "$TACH" gate --format json three.json three_slow.json \
  && out_jq '.benchmarks[0].verdict == "not testable" and .summary.targets_not_checked == 1' \
  && ok "max_regression_pct on 3 and 3 samples, +5%: not checked"
# the same with ties (every sample equal on each side: tie-corrected p 0.0469, below alpha;
# tests/cli/compare_few.sh): still not testable, so neither met nor missed
jq '.benchmarks[0].samples.ns = [100, 100, 100]' three.json > three_tied.json
jq '.benchmarks[0].samples.ns = [105, 105, 105]' three_slow.json > three_tied_slow.json
expect 0 "$TACH" gate --format json three_tied.json three_tied_slow.json \
  && out_jq '.benchmarks[0].verdict == "not testable" and (.benchmarks[0].p - 0.0469 | fabs) < 1e-4
             and .summary.targets_not_checked == 1 and .summary.targets_missed == 0' \
  && ok "max_regression_pct on 3 and 3 tied samples, +5%: not checked"
# the table prints that p; the note said "so few that no change could be significant"
# beside it: it now says where the lower p comes from
if expect 0 "$TACH" gate three_tied.json three_tied_slow.json; then
  out_has '^suite/a .* 0\.0469 +0\.0469 +not testable \(3 and 3 samples\)$'
  out_has 'so few that no change could be significant without ties: 3 and 3 samples give p 0\.081 at least; the lower p 0\.0469 shown comes from tied samples, which add no evidence\): only the point change is known\.$'
  ok "3 and 3 tied samples: the note accounts for the p shown"
fi
expect 0 "$TACH" gate three.json three_slow.json &&
  out_has '\(one, or so few that no change could be significant: 2 and 2, 3 and 3\): only the point change is known\.$' &&
  ok "3 and 3 untied samples: the note as before"
# A declared objective that does not parse (tach_bench_def.slo = "p98<1ms") is missed, and
# the gate says why: it said "p98<1ms n/a, nothing measured", blaming the run.
mkdoc badslo.json suite/a:steady:30:1 'suite/b:steady:30:1:ok:{"slo":"p98<1ms"}'
if expect 1 "$TACH" gate base.json badslo.json; then
  err_has "1 target missed"
  out_has "^  suite/b: p98<1ms, not a valid objective: 'p98<1ms': 'p98' is not p50, p90, "
  out_lacks 'nothing measured'
  ok "unparseable objective: missed, and said to be invalid"
fi
# A throughput target on a benchmark that was timed but set no bytes (items) per iteration
# is missed, and the gate says what is lacking: it said "nothing measured" of a benchmark
# with 30 samples; one that failed has indeed measured nothing.
mkdoc norate.json 'suite/a:steady:30:1:ok:{"min_items_per_sec":1e6}' \
  'suite/b:steady:30:1:crashed:{"min_bytes_per_sec":1e6}'
if expect 1 "$TACH" gate base.json norate.json; then
  err_has "2 targets missed"
  out_has '^  suite/a: min_items_per_sec 1\.00 M/s, no items per iteration recorded \(tach_set_items\)$'
  out_has '^  suite/b: min_bytes_per_sec 1\.00 MB/s, nothing measured$'
  ok "a rate target without a size: missed, and said to lack it"
fi
# A target's name comes from the document (a load run's objective text): control
# characters in it reach the terminal made safe, as a benchmark's name and message do.
jq '.benchmarks[1].load = {"invalid": false, "slo_verdicts": [{"objective": "p99<1ms\u001b[2J",
     "verdict": "missed", "measured": 5}]}' base.json > escape.json
if expect 1 "$TACH" gate base.json escape.json; then
  out_has '^  suite/b: p99<1ms \[2J n/a, measured '
  if grep -q $'\033' "$tmp/out"; then fail "an escape character reached the terminal"; fi
  ok "a target's name is made terminal-safe"
fi
# A results document recorded before a bare latency bound was refused keeps its meaning
# (p99<100 was 100 s): the check's limit is read as it was, not lost (null, shown n/a).
jq '.benchmarks[1].load = {"invalid": false, "slo_verdicts": [{"objective": "p99<100",
     "verdict": "missed", "measured": 2e11}]}' base.json > unitless.json
if expect 1 "$TACH" gate --format json base.json unitless.json; then
  out_jq '.benchmarks[] | select(.name == "suite/b") | .targets[0] | .name == "p99<100"
          and .limit == 1e11 and .met == false'
  ok "a stored unitless objective: its limit is seconds, as when recorded"
fi
# The same of a benchmark's declared objective (tach_bench_def.slo) read back from a
# document: p99<100 is 100 s, not "not a valid objective" (missed here: the made-up
# document has no per-call latencies, so nothing was measured for it).
mkdoc unitdecl.json suite/a:steady:30:1 'suite/b:steady:30:1:ok:{"slo":"p99<100"}'
if expect 1 "$TACH" gate --format json base.json unitdecl.json; then
  out_jq '.benchmarks[] | select(.name == "suite/b") | .targets[0] | .name == "p99<100"
          and .limit == 1e11 and .invalid == null'
  ok "a stored unitless declared objective: read as seconds, as when recorded"
fi
if expect 1 "$TACH" gate --format json base.json badslo.json; then
  out_jq '.benchmarks[] | select(.name == "suite/b") | .targets
          == [{"name":"p98<1ms","limit":null,"actual":null,"met":false,"not_checked":null,
               "invalid":"'"'p98<1ms': 'p98'"' is not p50, p90, p95, p99, p999 (p99.9), p9999 (p99.99), max, mean, rps or errors"}]'
fi
if expect 1 "$TACH" gate --format json base.json warn.json; then
  out_jq '.gate_failed == true and .summary.regressed == 1'
  ok "json carries gate_failed"
fi
mkdoc other.json other/x:steady:30:1
expect 2 "$TACH" gate base.json other.json && err_has "no benchmark in common" && ok "nothing in common: exit 2"
expect 2 "$TACH" gate --fail-on sometimes base.json warn.json && err_has "'sometimes'" && ok "bad --fail-on: exit 2"
expect 2 "$TACH" compare --fail-on critical base.json warn.json && err_has "--fail-on" \
  && ok "--fail-on is gate's only"
finish
