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
# --format console (tach suite --format, tach convert --to) says the same: no storage or
# bus row unstable, and the advice for compression and crypto rows is the suite's own
# --time (it named --rounds 10, which no suite has, and tach ab)
for suite in storage bus; do
  expect 0 "$TACH" convert "$suite.json" --to console || continue
  out_lacks 'unstable'
done
for suite in compression crypto; do
  expect 0 "$TACH" convert "$suite.json" --to console || continue
  out_has 'ok, unstable'
  out_has "^For numbers that hold: a longer sampling time \\(tach suite $suite --time 2\\) or a quieter machine\\.\$"
  out_lacks 'rounds|tach ab'
done
# ... and names the suite only when it is one of them: a document's context.suite.name,
# ESC and CSI or a newline in it, reached the terminal raw in that line
jq --arg e $'\033' '.context.suite.name = ("x" + $e + "[2J\n" + $e + "[31mevil")' compression.json >odd_suite.json
if expect 0 "$TACH" convert odd_suite.json --to console; then
  out_lacks $'\033'
  out_has '^For numbers that hold: a longer sampling time \(tach suite --time 2\) or a quieter machine\.$'
  out_lacks 'evil'
fi

# The ratio axis of the compression chart: five ticks, five labels (one point, or ratios
# close together, were labelled 1.55, 1.56, 1.56, 1.56, 1.57 at two decimals)
if expect 0 "$TACH" report compression.json --no-compare --format html; then
  grep -o '<svg[^>]*class="chart pareto".*</svg>' "$tmp/out" | grep -oE 'text-anchor="end">[0-9.]+<' >ticks
  check "the ratio axis has 5 distinct labels" test "$(sort -u ticks | wc -l)" = 5
fi

# The storage and bus tables give the 95% CI the suite recorded for MB/s (bw_bytes_ci_low,
# _high: the job's intervals resampled) and msgs/s (the batches resampled), in the
# report and the certificate; a job of one interval says it has none; a sync job has no
# MB/s, so no CI either.
jq '(.benchmarks[] | select(.name == "storage/randread-4k-qd1")) |=
      (.counters |= del(.bw_bytes_ci_low, .bw_bytes_ci_high) | .samples.ns |= .[:1] | .samples.iters |= .[:1])' \
  storage.json >storage1.json
for cmd in report certify; do
  expect 0 "$TACH" $cmd storage.json --no-compare || true
  out_has '^\| job \| MB/s \| MB/s 95% CI \| IOPS \| p99 \|$'
  out_has '^\| write-1m \| 8013\.0 \| \[7395\.0, 8743\.7\] \| 7642 \| 143 µs \|$'
  out_has '^\| fsync-4k \| - \| - \| 810 \| 2\.90 ms \|$'
  expect 0 "$TACH" $cmd storage1.json --no-compare || true
  out_has '^\| randread-4k-qd1 \| 61\.0 \| no CI: 1 interval \| 14884 \| 623 µs \|$'
  "$TACH" $cmd bus.json --no-compare >"$tmp/out" 2>"$tmp/err"
  out_has '^\| pattern \| msgs/s \| msgs/s 95% CI \| p99 \| p99 measured \|$'
  out_has '^\| pipe/1to1/16 \| 485787 \| \[354106, 632729\] \| '
done
# A rate under 10 keeps three significant digits in the profiles, as in the suite's own
# tables: a 2-byte input's 0.0818 MB/s read "0.1" in the compression profile, a slow
# device's 0.0412 MB/s "0.0 [0.0, 0.0]" in the storage table, a 1-byte buffer's 0.00801 GB/s
# "0.008" in the encryption profile.
jq '.benchmarks[].throughput.bytes_per_iter = 2' compression.json >slow_comp.json
jq '(.benchmarks[] | select(.name == "storage/write-1m") | .counters) |=
      (.bw_bytes = 41234 | .bw_bytes_ci_low = 38012 | .bw_bytes_ci_high = 45099)' storage.json >slow_st.json
jq '(.benchmarks[] | select(.name == "crypto/openssl/sha256/64") | .throughput.bytes_per_iter) = 1' \
  crypto.json >slow_cr.json
for cmd in report certify; do
  "$TACH" $cmd slow_comp.json --no-compare >"$tmp/out" 2>"$tmp/err"
  out_has '^\| lz4 \| 1 \| 1 \| 1\.559 \(-1\) \| 0\.0818 \(-1\) \| 0\.191 \|$'
  "$TACH" $cmd slow_st.json --no-compare >"$tmp/out" 2>"$tmp/err"
  out_has '^\| write-1m \| 0\.0412 \| \[0\.0380, 0\.0451\] \| 7642 \| 143 µs \|$'
  "$TACH" $cmd slow_cr.json --no-compare >"$tmp/out" 2>"$tmp/err"
  out_has '^\| sha256 \| openssl \| SHA extensions \| 0\.00801 \| 1\.392 \|$'
done
# ... and the chart's dots say the same (their title read "lz4 -1: 0.1 MB/s")
expect 0 "$TACH" report slow_comp.json --no-compare --format html \
  && out_has '<title>lz4 -1: 0\.0818 MB/s, ratio 1\.559 \(Pareto frontier\)</title>'
# A --quick run is marked in every format a report is written in (docs/suites.md): JUnit
# a property tach.quick, OpenMetrics the gauge tach_run_quick (0 for a full suite run;
# none for a run no suite made).
jq '.context.suite.quick = false' crypto.json >crypto_full.json
for suite in compression crypto storage bus; do
  expect 0 "$TACH" report "$suite.json" --no-compare --format junit || continue
  out_has '^      <property name="tach.quick" value="true"/>$'
  # on every <testsuite>, not the first one only
  [ "$(grep -c '<property name="tach.quick"' "$tmp/out")" = "$(grep -c '<testsuite ' "$tmp/out")" ] \
    && ok "junit ($suite): tach.quick on every testsuite" || fail "junit ($suite): tach.quick not on every testsuite"
  expect 0 "$TACH" report "$suite.json" --no-compare --format openmetrics || continue
  out_has '^tach_run_quick 1$'
done
expect 0 "$TACH" report crypto_full.json --no-compare --format junit && out_lacks 'tach\.quick'
expect 0 "$TACH" report crypto_full.json --no-compare --format openmetrics && out_has '^tach_run_quick 0$'
jq 'del(.context.suite)' crypto.json >plain.json
expect 0 "$TACH" report plain.json --no-compare --format openmetrics && out_lacks 'tach_run_quick'
# compare and gate of --quick runs say so above the table, and --format json per side.
jq '.context.suite.quick = false' storage.json >storage_full.json
for cmd in compare gate; do
  expect 0 "$TACH" $cmd storage_full.json storage.json || continue
  out_has '^note: the new run was a tach suite --quick run: a smoke test, not figures to publish$'
  expect 0 "$TACH" $cmd storage.json storage.json || continue
  out_has '^note: both runs were tach suite --quick runs: a smoke test, not figures to publish$'
  expect 0 "$TACH" $cmd storage_full.json storage_full.json || continue
  out_lacks '^note: .*--quick run'
done
expect 0 "$TACH" compare storage.json storage_full.json --format json &&
  out_jq '.base.quick == true and .new.quick == false'
expect 0 "$TACH" compare plain.json plain.json --format json && out_jq '(.base | has("quick")) | not'
# min_items_per_sec of a storage job or a bus row reads its own rate (the counters iops and
# msgs_per_s), as min_bytes_per_sec reads bw_bytes and mb_per_s: every such target failed
# the gate as "no items per iteration recorded (tach_set_items)"
mkdir -p "$tmp/items/.tach" && cd "$tmp/items" || exit 1
printf '[bench "storage/*"]\nmin_items_per_sec = 100\n[bench "bus/*"]\nmin_items_per_sec = 1000\n' >.tach/config
for suite in storage bus; do
  expect 0 "$TACH" gate "$tmp/$suite.json" "$tmp/$suite.json" && out_lacks 'targets missed' \
    && ok "gate: $suite rows meet min_items_per_sec from their own rate"
done
printf '[bench "storage/*"]\nmin_items_per_sec = 1e6\n' >.tach/config
expect 1 "$TACH" gate "$tmp/storage.json" "$tmp/storage.json" \
  && out_has '^  storage/write-1m: min_items_per_sec 1\.00 M/s, measured 7\.64 k/s$' \
  && out_has '^  storage/fsync-4k: min_items_per_sec 1\.00 M/s, measured 810\.2 /s$'
# a sync job has no MB/s: said without the advice to call tach_set_bytes, which no code of
# the user's can for a suite's row
printf '[bench "storage/*"]\nmin_bytes_per_sec = 1e6\n' >.tach/config
expect 1 "$TACH" gate "$tmp/storage.json" "$tmp/storage.json" \
  && out_has '^  storage/fsync-4k: min_bytes_per_sec 1\.00 MB/s, no bytes per iteration recorded$'
cd "$tmp" || exit 1
# What the suite could not measure, or measured with a caveat, is a note in
# context.suite.notes (docs/suites.md: "never a silent gap"): the report and the
# certificate list them under the suite's table, as the terminal does.
jq '.context.suite.notes = ["randread-4k-qd32-uring: skipped: the kernel refused io_uring (EPERM)",
                            "fsync-4k: waited for a CPU 88% of its time <busy>"]' storage.json >noted.json
for cmd in report certify; do
  "$TACH" $cmd noted.json --no-compare >"$tmp/out" 2>"$tmp/err"
  out_has '^Notes:$'
  out_has '^- randread-4k-qd32-uring: skipped: the kernel refused io_uring \(EPERM\)$'
  out_has '^- fsync-4k: waited for a CPU 88% of its time &lt;busy>$'
  "$TACH" $cmd noted.json --no-compare --format html >"$tmp/out" 2>"$tmp/err"
  out_has '<li>fsync-4k: waited for a CPU 88% of its time &lt;busy&gt;</li>'
done
expect 0 "$TACH" report compression.json --no-compare && out_lacks '^Notes:$'
# Every Markdown heading of a suite's report stands apart: a blank line before it (the
# bus's "Load over time" list ran into "## Bus").
for suite in compression crypto storage bus; do
  "$TACH" report "$suite.json" --no-compare >"$suite.md" 2>/dev/null
  check "$suite: a blank line before every heading" \
    awk 'prev != "" && /^#/ { bad = 1; print FILENAME ": " NR ": " $0 > "/dev/stderr" } { prev = $0 } END { exit bad }' "$suite.md"
done
# The report's summary says a --quick run is one (as the certificate's scope does), not
# only the suite's section further down.
for suite in compression crypto storage bus; do
  expect 0 "$TACH" report "$suite.json" --no-compare || continue
  out_has '^\| Mode \| quick run \(--quick\): a smoke test with few samples, not figures to publish \|$'
  expect 0 "$TACH" report "$suite.json" --no-compare --format html || continue
  out_has '<div class="card warn"><div class="k">Mode</div><div class="v">quick run \(--quick\)</div></div>'
done
expect 0 "$TACH" report crypto_full.json --no-compare && out_lacks '^\| Mode \|'
expect 0 "$TACH" report crypto_full.json --no-compare --format html && out_lacks '"k">Mode<'
# A run without a row (a suite interrupted before its first, written with
# --export-json): said in words, not an empty heading or a table of headers alone.
for suite in storage bus; do
  jq '.benchmarks = [] | .partial = true' "$suite.json" >"empty_$suite.json"
  expect 0 "$TACH" report "empty_$suite.json" --no-compare || continue
  out_has '^No benchmark in this run\.$'
  out_has '^No row was measured\.$'
  expect 0 "$TACH" report "empty_$suite.json" --no-compare --format html || continue
  out_has '<p>No benchmark in this run\.</p>'
  out_has '<p>No row was measured\.</p>'
done
expect 0 "$TACH" report storage.json --no-compare && out_lacks 'No benchmark in this run|No row was measured'
finish
