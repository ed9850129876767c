#!/usr/bin/env bash
# latency_few_calls.sh - a load run of a few calls (3/s for 1 s): its per-call median's
# 95% CI has no upper end (five calls or fewer: no call bounds it 97.5% of the time), so
# the result's median CI is half-open in memory, null in JSON and NULL in the store.  No
# output that reads it back prints inf or nan or fails to parse: report (md, html, json,
# junit, openmetrics, csv), every convert format, compare, gate, certify, history and
# site.  The HTML summary's CI cell showed the median alone, as if it were the CI.
source "$(dirname "$0")/lib.bash"
private_store
export NO_COLOR=1
B=$TACH_BUILD/tests/fixture_load_ops
top=$(dirname "$TACH_BUILD") # (its path, named in some outputs, may hold "nan" as a word)
noinf() { # WHAT FILE...: no inf, nan or Infinity as a word in the files
  local hits
  hits=$(cat "${@:2}" | sed "s#$top##g" | grep -iwoE '.{0,40}\b(inf|nan|infinity)\b.{0,20}' | head -3)
  if [ -n "$hits" ]; then fail "$1: $hits"; else ok "$1: no inf or nan"; fi
}
expect 0 "$TACH" load "$B" safe --rate 3 --duration 1 --warmup 0 --max-late 100 --export-json l.json || { finish; exit; }
# (the rate is a schedule: a loaded machine sends the same few calls, late: --max-late 100)
check "a few calls, the median's CI open above (null)" jqt \
  '.benchmarks[] | select(.name == "safe") | .latency | .count <= 5 and .percentiles[0].ci[1] == null' l.json
check "the store keeps no upper end (NULL)" \
  test "$(sqlite3 store.db "select count(*) from tach_benchmarks where median_hi is null")" -ge 1
for f in md html json junit openmetrics csv; do
  expect 0 "$TACH" report --format "$f" latest && cp "$tmp/out" "rep.$f" && noinf "report --format $f" "rep.$f"
done
check "report --format json parses" jq -e . rep.json
med=$(grep -oE '<code>safe</code></a></td><td>load</td><td class="n" data-v="[0-9.e+]+">[^<]*</td><td class="n" data-v="[^"]*">[^<]*</td>' rep.html | head -1)
[[ $med == *'</td><td class="n" data-v="-1e300">—</td>' ]] &&
  ok "html: the CI cell of a half-open CI is a dash, not the median" ||
  fail "html: the median and CI cells: ${med:-none found}"
for f in json hyperfine gbench csv markdown bmf github asciidoc orgmode console; do
  expect 0 "$TACH" convert l.json --to "$f" && noinf "convert --to $f" "$tmp/out"
done
expect 0 "$TACH" compare l.json latest && noinf "compare" "$tmp/out" "$tmp/err"
expect 0 "$TACH" compare --format json l.json latest && noinf "compare --format json" "$tmp/out" &&
  check "compare --format json parses" jq -e . "$tmp/out"
expect 0 "$TACH" gate latest latest && noinf "gate" "$tmp/out" "$tmp/err"
expect 0 "$TACH" certify latest && noinf "certify" "$tmp/out"
for f in table json csv; do
  expect 0 "$TACH" history --format "$f" && noinf "history --format $f" "$tmp/out"
done
expect 0 "$TACH" site site && noinf "site" site/index.html site/b/*.html
finish
