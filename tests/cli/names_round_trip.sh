#!/usr/bin/env bash
# A name that is not UTF-8 survives read -> write round trips: the document writes a
# byte that is not UTF-8 as U+FFFD and its hex digits and valid UTF-8 (a U+FFFD too) as
# it is, so a report of a report, its CSV and the store keep the one name
# (docs/results-format.md).  The escaped text, read back, was escaped again
# ("a\ufffdFF" became "a\ufffd\ufffdFF", then four U+FFFD) and `tach compare` of a file
# and its report found no benchmark in common; history --format json wrote "a\ufffd"
# where its CSV wrote "a\ufffdFF".
source "$(dirname "$0")/lib.bash"
set -o pipefail
cd "$tmp"
PY=/usr/bin/python3
R=$'\xef\xbf\xbd' # U+FFFD
names() { jq -r '.benchmarks[].name' "$1"; }
csv_names() { $PY -c 'import csv, sys
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")): print(r["name"])' "$1"; }

if expect 0 "$TACH" run --no-store -r 2 -n $'a\xff' -n "b${R}FF" -n "c${R}${R}" true true true \
  --export-json t.json; then
  check "the document: a byte as U+FFFD and its digits, a U+FFFD of the name as it is" \
    jqt '[.benchmarks[].name] == ["a\ufffdFF", "b\ufffdFF", "c\ufffd\ufffd"]' t.json
  names t.json >t.names
  expect 0 "$TACH" report t.json --format json -o r.json && names r.json >r.names &&
    check "report --format json: the names byte for byte" cmp t.names r.names
  expect 0 "$TACH" report r.json --format json -o r2.json && names r2.json >r2.names &&
    check "a report of the report: the names byte for byte" cmp t.names r2.names
  if expect 0 "$TACH" compare t.json r.json --format json; then
    out_jq '[.benchmarks[].name] | sort == ["a\ufffdFF", "b\ufffdFF", "c\ufffd\ufffd"]' &&
      ok "compare: the file and its report, the three benchmarks in common"
  fi
  expect 0 "$TACH" report t.json --format csv -o t.csv && csv_names t.csv >t.csv.names &&
    check "report --format csv: the names as the document's" cmp t.names t.csv.names
  expect 0 "$TACH" report r2.json --format csv -o r2.csv && csv_names r2.csv >r2.csv.names &&
    check "csv of the report of the report: the names as the document's" cmp t.names r2.csv.names
fi
# recorded: the store's report and history (json and csv) name it as the export does
private_store
if expect 0 "$TACH" run -r 2 -n $'a\xff' true --export-json s.json; then
  names s.json >s.names
  expect 0 "$TACH" report --no-compare --format json -o sr.json && names sr.json >sr.names &&
    check "report --store --format json: the name as the export's" cmp s.names sr.names
  expect 0 "$TACH" report --no-compare --format csv -o sr.csv && csv_names sr.csv >sr.csv.names &&
    check "report --store --format csv: the name as the export's" cmp s.names sr.csv.names
  expect 0 "$TACH" history --format json && jq -r '.benchmarks[].name' out >h.names &&
    check "history --format json: the name as the export's" cmp s.names h.names
  expect 0 "$TACH" history --format csv && cp out h.csv && csv_names h.csv >h.csv.names &&
    check "history --format csv: the name as its json's" cmp h.names h.csv.names
fi
finish
