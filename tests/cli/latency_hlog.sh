#!/usr/bin/env bash
# latency_hlog.sh - HdrHistogram interval logs (.hlog) both ways: a benchmark binary's
# --export-hlog, `tach import` / `tach convert` of a log written by HdrHistogram's
# Java implementation (tests/fixtures/hlog/README.md), and, when Debian's
# libhdrhistogram-java and a JRE are installed, Java's HistogramLogProcessor reading
# tach's log with the same count and maximum tach reports.
BIN="$TACH_BUILD/tests/fixture_latency"
source "$(dirname "$0")/lib.bash"
quick=(--max-time 0.2 --min-time 0.02 --warmup 0.01 --min-samples 5 --quiet --rounds 1)
JAVA_LOG=$TACH_SRC/tests/fixtures/hlog/java.hlog

# --export-hlog: one tagged interval per benchmark with a latency block.
expect 0 "$BIN" "${quick[@]}" --filter 'lat/(two_costs|batched)' --format json --out "$tmp/r.json" \
    --export-hlog "$tmp/r.hlog"
check "the log starts with the 1.2 header" test "$(head -1 "$tmp/r.hlog" | cut -c1-8)" = "# writte"
check "version line" grep -qx '#\[Histogram log format version 1.2\]' "$tmp/r.hlog"
check "two tagged intervals" test "$(grep -c '^Tag=lat/[a-z_]*,0\.000,[0-9.]*,[0-9.]*,HISTF' "$tmp/r.hlog")" -eq 2

# tach run on the binary: the workers' histograms merged, exported the same way
expect 0 "$TACH" run --no-store --processes 2 --max-time 0.3 --filter two_costs --export-json "$tmp/run.json" \
    --export-hlog "$tmp/run.hlog" "$BIN"
check "tach run --export-hlog: one interval" test "$(grep -c '^Tag=lat/two_costs,' "$tmp/run.hlog")" -eq 1
check "tach run: the processes' histograms merged (count = all iterations)" jqt \
    '.benchmarks[0] | .latency.count == ([.samples.iters[]] | add)' "$tmp/run.json"

# read back: the same counts as the document
expect 0 "$TACH" import "$tmp/r.hlog"
out_jq '[.benchmarks[].name] == ["lat/two_costs", "lat/batched"]'
for n in lat/two_costs lat/batched; do
  want=$(jq --arg n "$n" '.benchmarks[] | select(.name == $n) | .latency.count' "$tmp/r.json")
  out_jq --arg n "$n" --argjson w "$want" '.benchmarks[] | select(.name == $n) | .latency.count == $w'
done

# Java's log: one result per tag, the percentiles Java printed (README.md).
expect 0 "$TACH" import "$JAVA_LOG"
out_jq '.context.tool == "import:hlog" and ([.benchmarks[].name] == ["get", "put"])'
out_jq '.benchmarks[0].latency | .count == 15000 and ([.percentiles[].value] == [50143, 76415, 90495, 140927, 243839, 398079]) and .max == 554495'
out_jq '.benchmarks[1].latency | ([.percentiles[].value] == [200319, 241279, 246271, 5644287, 9617407, 9969663])'
expect 0 "$TACH" convert "$JAVA_LOG" --to hlog
out_has '^Tag=get,0\.000,'
expect 0 "$TACH" convert "$JAVA_LOG" --to console
out_has '^get: 15,000 calls$'

# Bad input: a damaged log names the file and the line; nothing written.
printf '#[Histogram log format version 1.2]\n0.0,1.0,0.1,HISTFAAAA!!\n' > "$tmp/bad.hlog"
expect 2 "$TACH" import "$tmp/bad.hlog" -o "$tmp/never.json"
err_has "bad.hlog: line 2: "
check "nothing written" test ! -e "$tmp/never.json"
expect 2 "$BIN" --export-hlog "$tmp/no/such/dir/x.hlog" --filter nothing
err_has "--export-hlog"

# Java reads tach's log.
JAR=/usr/share/java/hdrhistogram.jar
if command -v java >/dev/null && [ -r "$JAR" ]; then
  java -cp "$JAR" org.HdrHistogram.HistogramLogProcessor -i "$tmp/r.hlog" -tag lat/two_costs \
      -outputValueUnitRatio 1 > "$tmp/java.txt" 2>&1
  jcount=$(sed -n 's/.*Total count *= *\([0-9]*\)\].*/\1/p' "$tmp/java.txt")
  jmax=$(sed -n 's/.*Max *= *\([0-9]*\)\.000,.*/\1/p' "$tmp/java.txt")
  check "Java counts tach's calls ($jcount)" jqt --argjson c "${jcount:-0}" \
      '.benchmarks[] | select(.name == "lat/two_costs") | .latency.count == $c' "$tmp/r.json"
  check "Java's max is tach's ($jmax)" jqt --argjson m "${jmax:-0}" \
      '.benchmarks[] | select(.name == "lat/two_costs") | .latency.max == $m' "$tmp/r.json"
else
  echo "note: no java or $JAR: Java's reading of tach's log not checked"
fi
# Two benchmarks whose names give one tag ("a b" and "a_b") were written as two intervals
# of that tag, which every reader (tach import too) merges into one histogram: refused.
"$TACH" import "$JAVA_LOG" -o "$tmp/java.json" || fail "import of the Java log"
jq '.benchmarks[0].name = "a b" | .benchmarks[1].name = "a_b"' "$tmp/java.json" >"$tmp/one_tag.json"
if expect 2 "$TACH" convert "$tmp/one_tag.json" --to hlog -o "$tmp/one_tag.hlog"; then
  err_has "benchmarks 'a b' and 'a_b' would share the tag 'a_b'"
  [ ! -e "$tmp/one_tag.hlog" ] && ok "convert --to hlog of two names with one tag: exit 2, nothing written" ||
    fail "one_tag.hlog written"
fi
# docs/results-format.md's example of a latency block reads as it says (its histogram,
# of 3 calls, was refused: "count: does not match the histogram's 3 values")
ex=$(sed -n '/^"latency": {$/,/^}$/p' "$TACH_SRC/docs/results-format.md" | sed 's/, \.\.\.$//; s/^"latency": //')
jq --argjson l "$(jq -c '{unit, count, hist}' <<<"$ex")" '.benchmarks[0].latency = $l' \
  "$EXPECTED/known.json" >"$tmp/doc_latency.json" || fail "the docs' latency example is not JSON"
if expect 0 "$TACH" convert "$tmp/doc_latency.json" --to json; then
  out_jq --argjson w "$(jq -c '[.count, .min, .max, .mean, .stddev, .percentiles[1].samples]' <<<"$ex")" \
    '.benchmarks[0].latency | [.count, .min, .max, (.mean * 10 | round) / 10, (.stddev * 10 | round) / 10,
                               (.percentiles[] | select(.p == 99.9) | .samples)] == $w' \
    && ok "the docs' latency example: its histogram holds what the block says"
fi
# no per-call latency, no interval log: a header alone is a file no reader takes
cd "$tmp" || exit 1
if expect 2 "$TACH" run --store "$tmp/h.db" -r 2 --export-hlog cmd.hlog -- true; then
  err_has "--export-hlog: a command has no per-call latency to log"
  [ ! -e cmd.hlog ] && [ ! -e "$tmp/h.db" ] && ok "run --export-hlog of a command: refused before it runs, nothing written or recorded" ||
    fail "cmd.hlog or the store written"
fi
"$TACH" run --no-store -r 3 --export-json cmd.json -- true >/dev/null 2>&1
expect 2 "$TACH" convert cmd.json --to hlog -o cmd2.hlog && err_has "--to hlog: cmd.json has no per-call latency" &&
  [ ! -e cmd2.hlog ] && ok "convert --to hlog without latency: exit 2, nothing written" \
    || fail "convert --to hlog without latency: exit 2, nothing written"
finish
