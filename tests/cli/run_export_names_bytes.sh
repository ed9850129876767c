#!/usr/bin/env bash
# tach run --export-json: names and commands that are not UTF-8 are written so that two
# apart stay apart and each can be read back to its bytes (docs/results-format.md): a
# byte that is not UTF-8 as U+FFFD and its two hex digits, a U+FFFD of the name itself
# doubled where an escape could be read.  Two names that only such bytes told apart were
# both "a\ufffd": one benchmark twice in the document, one series in OpenMetrics.
source "$(dirname "$0")/lib.bash"
set -o pipefail
cd "$tmp"
R=$'\xef\xbf\xbd' # U+FFFD

if expect 0 "$TACH" run --no-store -r 2 -n $'a\xff' -n $'a\xfe' -n "b${R}FF" -n "c${R}" -n "d${R}x" \
  true true true true true --export-json t.json --export-csv t.csv; then
  check "the names apart in the document, each byte as U+FFFD and its hex digits" \
    jqt '[.benchmarks[].name] == ["a\ufffdFF", "a\ufffdFE", "b\ufffd\ufffdFF", "c\ufffd", "d\ufffdx"]' t.json
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
if expect 0 "$TACH" run --no-store -r 2 --export-json c.json -- printf $'%s\xe9' x; then
  check "the command's byte as U+FFFD and its hex digits" \
    jqt '.benchmarks[0].command == "printf '"'"'%s\ufffdE9'"'"' x"' c.json
fi
finish
