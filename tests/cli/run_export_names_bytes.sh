#!/usr/bin/env bash
# tach run --export-json: names and commands that are not UTF-8 are written so that two
# apart stay apart (docs/results-format.md): a byte that is not UTF-8 as U+FFFD and its
# two hex digits, valid UTF-8 (a U+FFFD of the name itself too) as it is, so text read
# back is written unchanged.  Two names that only such bytes told apart were both
# "a\ufffd": one benchmark twice in the document, one series in OpenMetrics.
source "$(dirname "$0")/lib.bash"
set -o pipefail
cd "$tmp"
R=$'\xef\xbf\xbd' # U+FFFD

if expect 0 "$TACH" run --no-store -r 2 -n $'a\xff' -n $'a\xfe' -n "b${R}FF" -n "c${R}" -n "d${R}x" \
  true true true true true --export-json t.json --export-csv t.csv; then
  check "the names apart in the document, each byte as U+FFFD and its hex digits" \
    jqt '[.benchmarks[].name] == ["a\ufffdFF", "a\ufffdFE", "b\ufffdFF", "c\ufffd", "d\ufffdx"]' t.json
  check "csv: valid UTF-8, each name as in the document" /usr/bin/python3 -c '
import csv, json, sys
rows = list(csv.DictReader(open("t.csv", encoding="utf-8", newline="")))
names = [b["name"] for b in json.load(open("t.json"))["benchmarks"]]
sys.exit([r["name"] for r in rows] != names)'
  expect 0 "$TACH" report t.json --format openmetrics -o m.txt &&
    check "openmetrics: a series for each of the two names" \
      test "$(grep -c '^tach_benchmark_ok{benchmark="a' m.txt)" = 2
  check "openmetrics: promtool accepts it" bash -c 'promtool check metrics <m.txt'
fi
# recorded: the stored document's names apart too (a report of it wrote one series of
# the two, the second taken for a rerun of the first)
private_store
if expect 0 "$TACH" run -r 2 -n $'a\xff' -n $'a\xfe' true true; then
  expect 0 "$TACH" report --format openmetrics -o s.txt &&
    check "openmetrics of the stored run: a series for each of the two names" \
      test "$(grep -c '^tach_benchmark_ok{benchmark="a' s.txt)" = 2
fi
# one name in the store whether tach run recorded the run or tach record its export (the
# store kept the raw bytes, the record the document's text: one benchmark, two histories)
if expect 0 "$TACH" run --no-store -r 2 -n $'a\xff' true --export-json rec.json &&
  expect 0 "$TACH" record rec.json && expect 0 "$TACH" history --format json; then
  out_jq '([.benchmarks[].name | select(startswith("a"))] | sort) == ["a\ufffdFE", "a\ufffdFF"] and
          ([.benchmarks[] | select(.name == "a\ufffdFF") | .points[]] | length) == 2' &&
    ok "history: the run (above) and the recorded export, one benchmark"
fi
# the other exports write names as the document does: two names apart stay apart
if expect 0 "$TACH" run --no-store -r 2 -n $'a\xff' -n $'a\xfe' true true --export-bmf t.bmf \
  --export-gbench t.gb --export-github t.gh --export-hyperfine t.hf; then
  check "bmf: a key for each name" jqt 'keys == ["a\ufffdFE", "a\ufffdFF"]' t.bmf
  check "gbench: each name as the document's" \
    jqt '[.benchmarks[].run_name] | unique == ["a\ufffdFE", "a\ufffdFF"]' t.gb
  check "github: each name as the document's" jqt '[.[].name] == ["a\ufffdFF", "a\ufffdFE"]' t.gh
  check "hyperfine: each name as the document's" \
    jqt '[.results[].command] == ["a\ufffdFF", "a\ufffdFE"]' t.hf
fi
# Every format of a recorded run whose names are odd (quotes, markup, a newline, a tab, an
# escape sequence, a byte that is not UTF-8, an emoji, 600 bytes): well-formed each time
LONG=$(printf 'L%.0s' {1..600})
if expect 0 "$TACH" run -r 2 -n $'q"uo\'te' -n '<b>&amp;</b>' -n $'new\nline' -n $'tab\there' \
  -n "$LONG" -n $'emoji \xf0\x9f\x98\x80 \xf0\x9f\x91\x8d\xe2\x80\x8d' -n $'bad\xff\x1b[31m' \
  true true true true true true true; then
  for f in md html json csv junit openmetrics; do
    expect 0 "$TACH" report --no-compare --format $f -o "odd.$f" &&
      check "report $f: valid UTF-8" /usr/bin/python3 -c 'import sys; open(sys.argv[1], "rb").read().decode()' "odd.$f"
  done
  check "report html, md, junit: no escape sequence" bash -c "! grep -q $'\x1b' odd.html odd.md odd.junit"
  check "report junit: well-formed (xmllint)" xmllint --noout odd.junit
  check "report json: parsed, the seven names" jqt '.benchmarks | length == 7' odd.json
  check "report csv: parsed, seven rows" /usr/bin/python3 -c '
import csv; assert len(list(csv.DictReader(open("odd.csv", encoding="utf-8", newline="")))) == 7'
  check "report openmetrics: promtool accepts it" bash -c 'promtool check metrics <odd.openmetrics'
  for f in md html; do
    expect 0 "$TACH" certify --no-compare --format $f -o "cert.$f" &&
      check "certify $f: valid UTF-8, no escape sequence" /usr/bin/python3 -c '
import sys; t = open(sys.argv[1], "rb").read().decode(); assert "\x1b" not in t' "cert.$f"
  done
fi
if expect 0 "$TACH" run --no-store -r 2 --export-json c.json -- printf $'%s\xe9' x; then
  check "the command's byte as U+FFFD and its hex digits" \
    jqt '.benchmarks[0].command == "printf '"'"'%s\ufffdE9'"'"' x"' c.json
fi
finish
