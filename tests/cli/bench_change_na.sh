#!/usr/bin/env bash
# bench_change_na.sh - tach bench's Regressions lines (terminal, report, JSON summary) show a
# change that is no number as tach compare does: a rise from a 0 ns baseline "n/a (95% CI
# n/a: BASE's median is 0: ...)", a CI end that is unbounded "n/a"; they printed "+nan% (95%
# CI +nan% to +nan%)".  The baseline is a recorded document whose samples are set to 0 ns
# (and to 0 or 0.001 ns), so the verdicts do not rest on timing.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
FIX=$TACH_BUILD/tests/fixture_basic
if [ ! -x "$FIX" ]; then bad "no fixture binary at $FIX"; finish; fi
mkdir -p .tach
printf '[module "m"]\n    bench = %s\n' "$FIX" >.tach/config
expect 0 "$TACH" bench --bench-time 0.1 --report r0.md || { finish; exit; }
# two benchmarks of the first run: every sample 0 ns; 45% of them 0 ns, the rest 0.001 ns
# (a median above 0, resamples whose median is 0: an unbounded upper end)
jq '.results | .context.run_uid = "zero-baseline" | .benchmarks |= [.[0], .[1]]
    | .benchmarks[0].samples.ns |= map(0)
    | .benchmarks[1].samples.ns |= (length as $n | [range($n)] | map(if . < $n * 0.45 then 0 else 0.001 end))' \
  r0.json >zero.json || { bad "jq failed"; finish; exit; }
a=$(jq -r '.benchmarks[0].name' zero.json); b=$(jq -r '.benchmarks[1].name' zero.json)
expect 0 "$TACH" record zero.json && expect 0 "$TACH" baseline save zero latest || { finish; exit; }
if expect 1 "$TACH" bench --bench-time 0.1 --baseline zero --report r.md; then
  out_has "^  $a: n/a \(95% CI n/a: BASE's median is 0: a change from 0 has no percentage\), critical$" &&
    out_has "^  $b: \+[0-9.]+% \(95% CI \+[0-9.]+% to n/a\), critical" &&
    out_lacks 'nan|inf' && ok "terminal: a change from 0 ns n/a, an unbounded end n/a, no nan"
  grep -qF -- "- $a: n/a (95% CI n/a: BASE's median is 0: a change from 0 has no percentage), critical" r.md &&
    grep -qE -- "^- $b: \+[0-9.]+% \(95% CI \+[0-9.]+% to n/a\), critical" r.md &&
    ! grep -qiE 'nan%|inf%' r.md && ok "report: the same lines, no nan" ||
    fail "the report's regression lines: $(grep -E -- "^- ($a|$b):" r.md)"
  check "JSON summary: the same lines" \
    jqt --arg a "$a" '.suite.regressions | any(startswith($a + ": n/a (95% CI n/a")) and (map(test("nan")) | any | not)' r.json
fi
finish
