#!/usr/bin/env bash
# report_odd_names.sh - benchmark names no one would choose, in every format `tach report`
# writes: quotes, markup, a backslash and a newline, non-ASCII text, a control and the
# noncharacters U+FFFE and U+FFFF, a name of 200 two-byte characters; and a commit with
# markup, a backtick and a pipe in the document's context. Each output stays
# well-formed for its reader: HTML escaped and valid UTF-8 (a long name cut in a chart
# label is cut at a character, not inside one), JUnit XML read by xmllint (what XML 1.0
# forbids even as a reference written as '?'), OpenMetrics label values escaped
# (promtool), JSON and CSV parsed.
source "$(dirname "$0")/lib.bash"
set -o pipefail
cd "$tmp"
PY=/usr/bin/python3
E=$(printf '\xc3\xa9%.0s' {1..100}) # 100 × é, 200 bytes
odd() { # IN OUT: the fixture with odd names, the same in both runs so that they compare
  jq --arg long "codec/${E}z" '
    .benchmarks[0].name = "codec/q\"uo'"'"'te <b>&amp;" |
    .benchmarks[1].name = "codec/<script>alert(1)</script>" |
    .benchmarks[2].name = "codec/ünï cödé ✓ 日本" |
    .benchmarks[3].name = $long |
    .benchmarks[4].name = "hash/with spaces and \\ backslash\nnewline" |
    .benchmarks[5].name = "hash/nonchar \uffff\ufffe ctl\u0001" |
    .context.git_commit = "<b>c`|</b>xééé"' "$1" >"$2"
}
odd "$DATA/report_base.json" base.json
odd "$DATA/report_new.json" new.json
utf8() { $PY -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$1"; }

if expect 0 "$TACH" report new.json --baseline base.json --format html -o r.html; then
  check "html: valid UTF-8" utf8 r.html
  check "html: the long name's comparison label cut at a character: … and its last 46 columns" \
    grep -qF "class=\"lbl\">…$(printf '\xc3\xa9%.0s' {1..45})z</text>" r.html
  check "html: markup in a name escaped" grep -qF '<code>codec/&lt;script&gt;alert(1)&lt;/script&gt;</code>' r.html
  check "html: one script, tach's own" test "$(grep -o '<script' r.html | wc -l)" = 1
  # the commit of a results file is text too: escaped, its first 12 display columns (11
  # ASCII and one é, of two bytes: a cut by bytes left it out)
  check "html: the commit escaped" grep -qF 'commit <code>&lt;b&gt;c`|&lt;/b&gt;xé</code>' r.html
  check "html: no markup from the commit" bash -c "! grep -q '<b>c' r.html"
fi
if expect 0 "$TACH" report new.json --baseline base.json --format junit -o r.xml; then
  check "junit: well-formed (xmllint)" xmllint --noout r.xml
  check "junit: U+FFFF, U+FFFE and a control as '?'" grep -qF '<testcase name="hash/nonchar ?? ctl?"' r.xml
fi
if expect 0 "$TACH" report new.json --baseline base.json --format openmetrics -o m.txt; then
  check "openmetrics: promtool accepts it" bash -c 'promtool check metrics <m.txt'
  check "openmetrics: \\, \" and the newline escaped in a label value" \
    grep -qF 'tach_benchmark_ok{benchmark="hash/with spaces and \\ backslash\nnewline",group="hash",status="ok"} 1' m.txt
fi
for f in json csv md; do
  base=(--baseline base.json) # json and csv have no comparison: --baseline is refused there
  [ "$f" = md ] || base=()
  expect 0 "$TACH" report new.json "${base[@]}" --format $f -o "r.$f" && check "$f: valid UTF-8" utf8 "r.$f"
done
# (outside a table: a | in a code span is kept, as a backslash before it would show)
check "md: the commit a code span" grep -qF '**Commit** `` <b>c`|</b>xé `` ·' r.md
check "json: parsed, every name kept" jqt --slurpfile n new.json '[.benchmarks[].name] == [$n[0].benchmarks[].name]' r.json
check "csv: parsed, a row per benchmark" $PY -c 'import csv,sys; assert len(list(csv.DictReader(open("r.csv")))) == 14'
finish
