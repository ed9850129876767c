#!/usr/bin/env bash
# report_counted_formats.sh - tach report --format junit and openmetrics of a run that
# counted instructions (docs/instructions.md): the counts are published, not left out
# because the run has no times.  The document is tests/cli/data/metric_counted_new.json.
source "$(dirname "$0")/lib.bash"
cd "$tmp" || exit 1
cp "$DATA/metric_counted_new.json" new.json
if expect 0 "$TACH" report new.json --no-compare --format openmetrics; then
  out_has '^# TYPE tach_benchmark_instructions gauge$'
  out_has '^tach_benchmark_instructions\{benchmark="parse/small",group="",status="ok"\} 1050$'
  out_has '^tach_benchmark_instructions\{benchmark="parse/empty",group="",status="ok"\} 0$'
  out_lacks '^tach_benchmark_median_seconds'
fi
if expect 0 "$TACH" report new.json --no-compare --format junit; then
  out_has '^      <system-out>1050 instructions per iteration \(counted under Valgrind callgrind: exact, no CI\)</system-out>$'
fi
# Against a baseline, the comparison is of the counts (as tach compare's): parse/small's
# 1000 -> 1050 instructions is a regression, which a comparison of times (it has none) missed.
cp "$DATA/metric_counted_base.json" base.json
if expect 0 "$TACH" report new.json --baseline base.json --format junit; then
  out_has '<testsuites name="tach" tests="2" failures="1" errors="0"'
  out_has '<failure type="regression" message="regressed \+5\.0%, warning: 1000 instructions -&gt; 1050 instructions per iteration \(counted: exact, no CI\)">'
fi
if expect 0 "$TACH" report new.json --baseline base.json --format openmetrics; then
  out_has '^tach_benchmark_regressed\{benchmark="parse/small",group="",status="ok"\} 1$'
  out_has '^tach_benchmark_change_ratio\{benchmark="parse/small",group="",status="ok"\} 0\.05$'
  out_has '^tach_benchmark_regressed\{benchmark="parse/empty",group="",status="ok"\} 0$'
  out_has '^tach_run_geomean_change_ratio 0\.05$'
fi
# a baseline asked for that has no counts cannot be compared with them: exit 2, named
# a count grown from 0 has no percentage: "regressed from 0", as an untested change says it
jq '(.benchmarks[] | select(.name == "parse/empty") | .instructions.per_iteration) = 500' new.json >grown.json
if expect 0 "$TACH" report grown.json --baseline base.json --format junit; then
  out_has '<failure type="regression" message="regressed from 0, critical: 0 instructions -&gt; 500 instructions per iteration \(counted: exact, no CI\)">'
  out_lacks 'regressed n/a' && ok "junit: a count grown from 0 regressed from 0, critical"
fi
if expect 2 "$TACH" report new.json --baseline "$DATA/suite_crypto_run.json" --format junit; then
  err_has "baseline $DATA/suite_crypto_run.json has no instructions values"
  out_lacks .
fi
# a timed run has no such family
"$TACH" report "$DATA/suite_crypto_run.json" --no-compare --format openmetrics >"$tmp/out" 2>"$tmp/err"
out_lacks 'tach_benchmark_instructions'
# Markdown and HTML show the counts; a count has no spread, so no CV verdict either
if expect 0 "$TACH" report new.json --no-compare; then
  out_has '^\| Unstable \(CV > 5%\) \| n/a: not judged by CV \(see Methodology\) \|$'
fi
if expect 0 "$TACH" report new.json --no-compare --format html; then
  out_has 'Unstable \(CV &gt; 5%\)</div><div class="v">n/a</div>'
fi
finish
