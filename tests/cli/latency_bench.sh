#!/usr/bin/env bash
# latency_bench.sh - per-call latency in a benchmark binary (tests/fixtures/latency.c):
# .latency = true times every call; the histograms of the rounds are merged (the calls
# counted are exactly the iterations of the samples); one call in 100 doing 100x the
# work puts p99.9 above p50 and p90; an empty body is said to be too short, with no
# percentiles; --latency gives any benchmark the block; the console, gbench and
# Markdown outputs show it.  Only counts, order and structure are asserted, never times.
BIN="$TACH_BUILD/tests/fixture_latency"
source "$(dirname "$0")/lib.bash"
quick=(--max-time 0.3 --min-time 0.02 --warmup 0.01 --min-samples 5 --quiet)

expect 0 "$BIN" "${quick[@]}" --rounds 3 --format json --out "$tmp/r.json"
d=$tmp/r.json
check "every call counted: latency.count == sum of the samples' iterations" jqt \
    'all(.benchmarks[] | select(.name != "plain"); .latency.count == ([.samples.iters[]] | add))' "$d"
check "three rounds merged into one histogram" jqt \
    '.benchmarks[] | select(.name == "lat/two_costs") | (.samples.rounds | max) == 2' "$d"
check "a benchmark without .latency has no block" jqt \
    '.benchmarks[] | select(.name == "plain") | has("latency") | not' "$d"
lat='.benchmarks[] | select(.name == "lat/two_costs") | .latency'
check "six percentiles p50 .. p99.99 in order" jqt "[$lat.percentiles[].p] == [50, 90, 95, 99, 99.9, 99.99]" "$d"
check "the slow 1% puts p99.9 far above p50 and p90" jqt \
    "$lat | .percentiles[4].value > 10 * .percentiles[0].value and .percentiles[4].value > 10 * .percentiles[1].value" "$d"
check "percentiles and max never decrease" jqt \
    "$lat | [.percentiles[].value] + [.max] | . == sort" "$d"
check "each tail's samples = count - ceil(p/100 * count); thin below 10" jqt \
    "$lat | .count as \$n | all(.percentiles[]; .samples == \$n - ((.p / 100 * \$n - 1e-9) | ceil) and .thin == (.samples < 10))" "$d"
check "each CI brackets its percentile" jqt \
    "$lat | all(.percentiles[]; .ci[0] <= .value and (.ci[1] == null or .value <= .ci[1]))" "$d"
# null (unbounded) exactly when the upper rank passes the count and the max would bound
# the percentile less than 97.5% of the time (1 - q^n)
check "a CI's upper end is null, not the max, where no call bounds it" jqt \
    "$lat | .count as \$n | all(.percentiles[]; (.p / 100) as \$q
     | ((((\$n * \$q + 1.959963984540054 * (\$n * \$q * (1 - \$q) | sqrt)) | ceil) + 1 > \$n)
        and 1 - pow(\$q; \$n) < 0.975) == (.ci[1] == null))" "$d"
check "the histogram travels as V2 base64" jqt "$lat.hist | startswith(\"HISTF\")" "$d"
check "batched calls are timed one by one too" jqt \
    '.benchmarks[] | select(.name == "lat/batched") | .latency.count == ([.samples.iters[]] | add) and (.latency.percentiles | length) == 6' "$d"
empty='.benchmarks[] | select(.name == "lat/empty") | .latency'
check "an empty body is too short: flagged, a note, no percentiles" jqt \
    "$empty | .too_short == true and (.note | test(\"too short\")) and (.percentiles | length) == 0 and .clock_cost_ns > 0" "$d"

# The console table's latency section.
expect 0 "$BIN" "${quick[@]}" --rounds 1 --filter 'lat/(two_costs|empty)'
out_has '^Latency per call'
out_has '^lat/two_costs: [0-9,]+ calls$'
out_has '^  p99\.9 +[0-9.]+ [nµm]?s  \['
out_has '^  max '
out_has '^  too short to time one call at a time'

# --latency: a benchmark without .latency gets the block.
expect 0 "$BIN" "${quick[@]}" --rounds 1 --latency --filter '^plain$' --format json
out_jq '.benchmarks[0].latency.count == ([.benchmarks[0].samples.iters[]] | add)'
expect 0 "$BIN" --help
out_has '^  --latency'

# Google Benchmark's JSON: percentiles as extra fields GB's tools ignore.
expect 0 "$BIN" "${quick[@]}" --rounds 1 --filter 'two_costs' --format gbench
out_jq '.benchmarks[0] | .latency_p99_ns > 0 and .latency_p50_ns > 0 and .latency_count > 0'
out_jq '.benchmarks[0] | .latency_thin_from <= 99.99 and .latency_thin_from >= 99'
# Read back by tach import: six percentiles cannot rebuild the histogram, so the latency_*
# fields are not read (not taken for user counters either) and the import says so; a
# user counter named latency_* in a row without latency_count is still a counter.
cp "$tmp/out" "$tmp/gb.json"
jq '.benchmarks += [.benchmarks[0] | del(.latency_count) | .name = "own" | .run_name = "own"]' \
  "$tmp/gb.json" >"$tmp/gb2.json"
expect 0 "$TACH" import "$tmp/gb2.json" -o "$tmp/imp.json"
err_has "latency_* fields of 1 row (tach's per-call percentiles) were not read"
check "no latency_* user counters from tach's own gbench" jqt \
  '.benchmarks[] | select(.name | test("two_costs")) | (.counters // {}) | keys | all(startswith("latency_") | not)' "$tmp/imp.json"
check "the import's note is kept in the context" jqt '.context.import_note | test("cannot rebuild the histogram")' "$tmp/imp.json"
check "a user's own latency_* counter is still read" jqt \
  '.benchmarks[] | select(.name == "own") | .counters.latency_p50_ns > 0' "$tmp/imp.json"
# the note names the file on one line: its 8-bit CSI and tab as spaces
cp "$tmp/gb2.json" "$tmp/gb"$'\xc2\x9b\t'".json"
expect 0 "$TACH" import "$tmp/gb"$'\xc2\x9b\t'".json" -o "$tmp/imp2.json" \
  && err_line "^tach import: note: $tmp/gb   \.json: the latency_\* fields of 1 row " \
  && ok "import: the note names the file with its controls as spaces"

# The document read back (tach convert) keeps the histogram, and the Markdown shows it.
expect 0 "$TACH" convert "$d" --to markdown
out_has '^### Latency per call'
out_has '^\| p99\.9 \|'
expect 0 "$TACH" convert "$d" --to json
out_jq "[$lat.count] == [$(jq "$lat.count" "$d")]"

# The reports: a latency section in Markdown and HTML.
expect 0 "$TACH" report "$d" --no-compare --no-history
out_has '^## Latency per call$'
out_has '^\*\*lat/two_costs\*\*: [0-9,]+ calls$'
out_has '^\| p99\.99 \| .* \(thin\) \|$'
expect 0 "$TACH" report "$d" --no-compare --no-history --format html
out_has '<section id="latency"><h2>Latency per call</h2>'
out_has '<a href="#latency">Latency</a>'
# tach bench on an empty body asked for latency: --latency passed (the plan line), its
# calls too short to time one at a time; the summary said "no binary run with --latency"
mkdir -p "$tmp/proj/.tach" && cd "$tmp/proj" || exit 1
printf '[module "m"]\n    bench = %s --filter "^lat/empty$" --min-time 0.02 --min-samples 5\n    criteria = latency\n' \
  "$BIN" >.tach/config
if expect 0 "$TACH" bench --quiet --bench-time 0.3; then
  out_has '^Latency p99: no percentile: the calls of the 1 benchmark run with --latency were too short to time one at a time$'
  out_lacks 'no binary run with --latency'
  ok "tach bench: calls too short for a percentile are said so"
fi
cd "$tmp" || exit 1
finish
