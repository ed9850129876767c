#!/usr/bin/env bash
# Every export format against expected output.  The input, tests/cli/expected/known.json,
# is a crafted document with known samples and estimates (written by hand: commands
# timed 1..5 ms and 4 x 6 ms, a benchmark of 10.5 and 11.5 ns (one sample in each of
# two rounds) with 64 items per iteration, a failed command with no samples), so each
# expected file can be checked by hand:
#   hyperfine  mean 0.003 s, stddev sqrt(2.5) ms = 0.00158113883008419 s (sample
#              stddev of 1..5 ms), median 0.003, min 0.001, max 0.005; an exit code of
#              -9 (a signal) written null as hyperfine does; no entry for the failed
#              command, which has no times
#   markdown   relative of 6 ms to 3 ms = 2.00 ± 2 x sqrt((1.5811/3)^2 + 0) = 1.05
#   bmf        latency = median and its CI (ns); throughput = 64e9 / 11 = 5818181818.18 /s
#              between 64e9 / 11.5 and 64e9 / 10.5
#   github     value = median (ns), range ± stddev
#   gbench     a row per repetition (a command's run, a benchmark's round), then the
#              aggregates over them: cmd-a's mean 3 ms, stddev 1.5811 ms
# `tach run --export-*` and `tach convert --to` write through the same functions, and
# run_options.sh checks that tach run writes all of them.
source "$(dirname "$0")/lib.bash"
set -o pipefail
private_store
E=$EXPECTED

for pair in json:known.export.json hyperfine:known.hyperfine.json gbench:known.gbench.json csv:known.csv \
  markdown:known.md bmf:known.bmf.json github:known.github.json asciidoc:known.adoc orgmode:known.org \
  console:known.console.txt; do
  fmt=${pair%%:*} file=${pair#*:}
  "$TACH" convert "$E/known.json" --to "$fmt" -o "$W/$file" 2>"$W/err"
  check "convert --to $fmt exits 0" test $? -eq 0
  golden "$file" "$W/$file"
done

# a --quick run (context.suite.quick, docs/suites.md): CSV says so in its last column, quick,
# on every row; Markdown, AsciiDoc, Org and the console table in a note under the table;
# github-action-benchmark's JSON in each entry's free-text extra (hyperfine and gbench carry
# it in a field of their own for tach to read back, below; bmf has no place for it)
jq '.context.suite = {quick: true}' "$E/known.json" >quick.json
for pair in csv:known_quick.csv markdown:known_quick.md asciidoc:known_quick.adoc orgmode:known_quick.org \
  github:known_quick.github.json console:known_quick.console.txt; do
  fmt=${pair%%:*} file=${pair#*:}
  "$TACH" convert quick.json --to "$fmt" -o "$W/$file" 2>"$W/err"
  check "convert --to $fmt of a quick run exits 0" test $? -eq 0
  golden "$file" "$W/$file"
done
check "CSV: a run not quick says quick false on every row" python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 4 and all(r["quick"] == "false" for r in rows), rows' "$E/known.csv"
check "Markdown: a run not quick has no quick note" bash -c "! grep -q 'Quick run' '$E/known.md'"

# the markdown table's unit follows the fastest command (ms here)
jq 'del(.benchmarks[2, 3])' "$E/known.json" >cmds.json
"$TACH" convert cmds.json --to markdown -o "$W/cmds.md"
check "markdown in ms for two commands matches expected/known_cmds.md" diff -u "$E/known_cmds.md" "$W/cmds.md"

# one run has no standard deviation (the terminal's "± n/a", hyperfine's null): Markdown,
# AsciiDoc and Org write its mean alone, and a ratio with it no ± (both were "± 0.0", no
# spread at all, and the ratio's ± that of the other side alone)
mkdoc one.json "one:steady:1:1000" "two:steady:5:2000"
for fmt in markdown asciidoc orgmode; do
  "$TACH" convert one.json --to $fmt -o "$W/one.$fmt" 2>"$W/err"
  check "$fmt: no ± beside one run, nor in a ratio with it" \
    bash -c "[ \$(grep -c '±' '$W/one.$fmt') = 1 ] && grep -q '200.7 ± 0.6' '$W/one.$fmt'"
done
check "markdown: the rows" grep -qxF '| `one` | 100.0 | 100.0 | 100.0 | 1.00 |' "$W/one.markdown"
check "markdown: the ratio without ±" grep -qxF '| `two` | 200.7 ± 0.6 | 200.0 | 201.6 | 2.01 |' "$W/one.markdown"
rm -f one.json one.markdown one.asciidoc one.orgmode

# the JSON formats are valid JSON, and the fields the other tools read are there
jqc "hyperfine: results[] with the fields hyperfine writes" known.hyperfine.json \
  '[.results[] | has("command") and has("mean") and has("stddev") and has("median") and has("user") and has("system") and has("min") and has("max") and has("times") and has("exit_codes")] | all'
jqc "bmf: every benchmark has a latency value" known.bmf.json '[.[] | .latency.value | type == "number"] | all'
jqc "github: an array of {name, unit, value, range, extra}" known.github.json \
  '[.[] | (keys == ["extra", "name", "range", "unit", "value"])] | all'
jqc "gbench: benchmarks with run_type and time_unit" known.gbench.json '[.benchmarks[] | has("run_type")] | all'
# Google Benchmark writes time_unit on every row with a real_time (the cv's too):
# Bencher's cpp_google adapter refuses a file without, github-action-benchmark shows
# "undefined/iter"
jqc "gbench: every row with real_time has time_unit" known.gbench.json \
  '[.benchmarks[] | select(has("real_time")) | has("time_unit")] | all'
# one iteration row per repetition (a command's run), repetition_index 0..n-1, and
# aggregates only for more than one repetition, as Google Benchmark writes them
jqc "gbench: a row per repetition with its index" known.gbench.json \
  '[.benchmarks[] | select(.run_name == "cmd-a --n=1" and .run_type == "iteration") | .repetition_index] == [0, 1, 2, 3, 4]'
jqc "gbench: a benchmark's rounds are its repetitions" known.gbench.json \
  '[.benchmarks[] | select(.run_name == "group/fn/size=64") | [.run_type, .repetitions, .repetition_index // .aggregate_name, .real_time]] == [["iteration", 2, 0, 10.5], ["iteration", 2, 1, 11.5], ["aggregate", 2, "mean", 11.0], ["aggregate", 2, "median", 11.0], ["aggregate", 2, "stddev", 0.707106781186548], ["aggregate", 2, "cv", 0.0642824346533225]]'
jq 'del(.benchmarks[2].samples.rounds)' "$E/known.json" >oneround.json
"$TACH" convert oneround.json --to gbench -o "$W/oneround.gb.json"
jqc "gbench: one round, one row and no aggregates" oneround.gb.json \
  '[.benchmarks[] | select(.run_name == "group/fn/size=64") | [.run_type, .repetitions, .iterations, .real_time]] == [["iteration", 1, 2000, 11.0]]'
jqc "gbench: aggregates name, unit and repetitions" known.gbench.json \
  '[.benchmarks[] | select(.run_type == "aggregate" and .run_name == "cmd-a --n=1") | [.aggregate_name, .aggregate_unit, .repetitions]] == [["mean", "time", 5], ["median", "time", 5], ["stddev", "time", 5], ["cv", "percentage", 5]]'
# read back, each repetition is a sample: the spread between processes survives
"$TACH" convert "$W/known.gbench.json" --to json -o "$W/back.json"
jqc "gbench read back: one sample per repetition" back.json \
  '[.benchmarks[] | .samples.ns | length] == [5, 4, 2, 0] and .benchmarks[2].samples.rounds == [0, 1]'
# a crashed, timed-out and failed benchmark read back as they were: tach's error_message
# "crashed: MESSAGE" came back as failed, and each round trip added "failed: " to it
"$TACH" convert "$DATA/report_new.json" --to gbench -o "$W/broken.gb.json"
"$TACH" convert "$W/broken.gb.json" --to gbench -o "$W/broken2.gb.json"
"$TACH" convert "$W/broken2.gb.json" --to json -o "$W/broken.back.json"
check "gbench read back twice: each status and message as it was" jqt --slurpfile a "$DATA/report_new.json" \
  '[.benchmarks[] | select(.status != "ok") | [.name, .status, .message]] == [$a[0].benchmarks[] | select(.status != "ok") | [.name, .status, .message]]' \
  "$W/broken.back.json"
# an interrupted run written to gbench or hyperfine reads back as interrupted (it read as a
# whole run, which a certificate then approved); a --quick run likewise stays quick
# (context.quick in gbench, quick beside results in hyperfine), which certify keeps from
# an approval as it does the run itself
jq '.partial = true' "$EXPECTED/known.json" >"$W/partial_src.json"
for f in gbench hyperfine; do
  "$TACH" convert "$W/partial_src.json" --to $f -o "$W/partial_src.$f.json"
  "$TACH" convert "$W/partial_src.$f.json" --to json -o "$W/partial_src.$f.back.json"
  check "$f read back: an interrupted run stays partial" jqt '.partial == true' "$W/partial_src.$f.back.json"
  "$TACH" convert quick.json --to $f -o "$W/partial_src.quick.$f.json"
  "$TACH" convert "$W/partial_src.quick.$f.json" --to json -o "$W/partial_src.quick.$f.back.json"
  check "$f read back: a quick run stays quick, and a whole run's is not" \
    jqt '.context.suite.quick == true and .partial == false' "$W/partial_src.quick.$f.back.json"
  check "$f read back: a run not quick is not made quick" jqt '.context.suite == null' "$W/partial_src.$f.back.json"
  "$TACH" certify "$W/partial_src.quick.$f.json" --format md >"$W/partial_src.quick.$f.cert.md" 2>/dev/null
  check "$f read back: certify says the quick run is a smoke run, not approved" \
    bash -c "grep -q '^- re-run without --quick: this was a smoke run' '$W/partial_src.quick.$f.cert.md' &&
             ! grep -q '^\*\*Verdict: APPROVED\*\*' '$W/partial_src.quick.$f.cert.md'"
done
# the console table says a run is partial under it (it read as a whole run), as tach
# profile does: "partial: ..."
"$TACH" convert "$W/partial_src.json" --to console -o "$W/partial_src.console.txt"
check "console: a partial run says so in a partial: line" \
  grep -qx 'partial: interrupted (the results measured until then, not the whole run)' "$W/partial_src.console.txt"
check "console: a whole run has no partial: line" bash -c "! grep -q '^partial:' '$W/known.console.txt'"
# Google Benchmark's own message that happens to start so is its text, a failure
jq '.benchmarks[0].error_occurred = true | .benchmarks[0].error_message = "crashed: the server"' \
  "$W/known.gbench.json" | jq '.context.library_version = "v1.8.3"' >"$W/gb_msg.json"
"$TACH" convert "$W/gb_msg.json" --to json -o "$W/gb_msg.back.json"
jqc "a Google Benchmark file's message is kept whole" gb_msg.back.json \
  '.benchmarks[0] | [.status, .message] == ["failed", "crashed: the server"]'

# standard output with -o -
"$TACH" convert "$E/known.json" --to csv -o - >"$W/stdout.csv"
check "-o - writes to standard output" diff -u "$E/known.csv" "$W/stdout.csv"

# an export is written whole or not at all: over an existing file, a failed conversion
# leaves it as it was, and no temporary file is left beside it
echo "previous contents" >keep.csv
printf '{"format": "tach-results", "version": 1, "benchmarks": [' >trunc.json
"$TACH" convert trunc.json --to csv -o keep.csv 2>/dev/null
check "a failed convert leaves the old file untouched" test "$(cat keep.csv)" = "previous contents"
check "and leaves no temporary file" test "$(ls -A "$W" | grep -c -v -E '^(keep.csv|trunc.json|cmds.json|cmds.md|err|stdout.csv|back.json|oneround.*|broken.*|gb_msg.*|partial_src.*|known\..*|quick.json|known_quick\..*|golden.diff)$')" -eq 0

# A partial run has no place in the Bencher Metric Format: convert refuses it as bad input,
# before writing, as its --help says (exit 2; it exited 1, an undocumented status)
jq '.partial = true' "$EXPECTED/known.json" >partial.json
if expect 2 "$TACH" convert partial.json --to bmf -o partial.bmf.json; then
  err_has "partial.json"
  err_has "Bencher Metric Format has no place to mark a partial run"
  check "nothing written" test ! -e partial.bmf.json
fi

# Two commands whose names are not UTF-8 ('true \xff' and 'true \xfe'): BMF, an object
# keyed by name, has a key for each, as the document names them (made UTF-8 with U+FFFD
# alone, the two were one key and the second was dropped), each with its own median.
if expect 0 "$TACH" run --no-store -c $'true \xff' -c $'true \xfe' --runs 3 --export-bmf lossy.bmf.json \
  --export-json lossy.json; then
  check "bmf: a key for each name, as the document's, each its median (of its 3 runs)" jqt -n \
    --slurpfile b lossy.bmf.json --slurpfile j lossy.json '
    ($b[0] | keys | length) == 2 and
    all($j[0].benchmarks[]; (.samples.ns | sort | .[1]) as $m |
        ($b[0][.name].latency.value - $m | fabs) <= 1e-9 * $m)'
fi

# The tach document is written with reals in their shortest exact form, as every tach
# writer (docs/formats.md): 4.7, never 4.7000000000000002.
jq '.benchmarks[0].samples.ns = [4.7, 0.1, 2596.132] | .benchmarks[0].samples.iters = [1, 1, 1]
    | del(.benchmarks[0].runs) | del(.benchmarks[0].summary)' "$EXPECTED/known.json" >short.json
if expect 0 "$TACH" convert short.json --to json; then
  out_has '"ns": \[4\.7, 0\.1, 2596\.132\]' && out_lacks '4\.70000' && ok "the tach document: shortest exact reals"
fi

# The Relative column of hyperfine's text exports against a fastest mean of 0 (a no-op's
# times read from a file): no ratio to it, "—", not "inf ± -nan".
mkdoc zero.json x/zero:steady:5:0 x/some:steady:5:1
for to in markdown asciidoc orgmode; do
  if expect 0 "$TACH" convert zero.json --to $to; then
    out_lacks 'nan|inf' && out_has '100\.4 ± 0\.3' && out_has '—' && ok "--to $to: Relative against a mean of 0 is —"
  fi
done
finish
