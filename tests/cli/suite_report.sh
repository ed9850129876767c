#!/usr/bin/env bash
# suite_report.sh - tach report (Markdown, HTML, OpenMetrics) on a run of each reference
# suite (fixed documents in tests/cli/data, made by `tach suite ... --quick`).
source "$(dirname "$0")/lib.bash"
cd "$tmp" || exit 1
for suite in compression crypto storage bus; do
  cp "$DATA/suite_${suite}_run.json" "$suite.json"
done

# A storage or bus row's samples are parts of one run of the workload (a job's I/Os or
# intervals, a row's batches or messages): their CV is the workload's spread, so the
# report does not call them unstable, as the certificate and the report's own
# Methodology say; compression and crypto rows still are judged by CV.
for suite in storage bus; do
  expect 0 "$TACH" report "$suite.json" --no-compare || continue
  out_lacks '\| ok, unstable'
  out_has '^\| Unstable \(CV > 5%\) \| n/a: not judged by CV '
  expect 0 "$TACH" report "$suite.json" --no-compare --format html || continue
  out_lacks "class=\"tag t-unstable\""
  out_has 'Unstable \(CV &gt; 5%\)</div><div class="v">n/a</div>|Unstable \(CV > 5%\)</div><div class="v">n/a</div>'
  expect 0 "$TACH" report "$suite.json" --no-compare --format openmetrics || continue
  out_lacks '^tach_benchmark_unstable'
done
expect 0 "$TACH" report compression.json --no-compare && out_has '\| ok, unstable'
expect 0 "$TACH" report compression.json --no-compare --format html && out_has "class=\"tag t-unstable\""
expect 0 "$TACH" report compression.json --no-compare --format openmetrics &&
  out_has '^tach_benchmark_unstable\{.*\} 1$'
finish
