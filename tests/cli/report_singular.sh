#!/usr/bin/env bash
# report_singular.sh - a count of one is said in the singular in the outputs that count
# benchmarks and runs (site, certify and its --top 1 section, the HTML report's charts): "1 benchmark", "1 run",
# never "1 benchmarks" / "1 runs".  A one-benchmark run made from a suite fixture.
source "$(dirname "$0")/lib.bash"
private_store
jq '.benchmarks |= .[:1]' "$DATA/suite_crypto_run.json" >one.json
name=$(jq -r '.benchmarks[0].name' one.json)
"$TACH" record one.json 2>/dev/null || fail "record one.json"

if expect 0 "$TACH" site site; then
  err_has "wrote the site for 1 benchmark over 1 run: site/index.html"
  check "site: the header says 1 benchmark · 1 run" grep -q 'class="meta">1 benchmark · 1 run ·' site/index.html
  check "site: a series of 1 run" grep -q ' · 1 run</h3>' site/b/*.html
  check "site: the trend's title over 1 run" grep -q "History of $name over 1 run on " site/b/*.html
fi
if expect 0 "$TACH" certify one.json --baseline one.json; then
  out_has '^\| Suite \| 1 benchmark, produced by tach suite crypto \|$'
  out_has '^\| Reliability \| 100/100 \| 1 of 1 benchmark ended ok;'
  out_has '^\| Regressions \| [0-9]+/100 \| 0 of 1 compared benchmark regressed'
  out_has '^\| Stability \| [0-9]+/100 \| [01] of 1 measured benchmark stable'
  out_has '^None among 1 compared benchmark\.$'
fi
# certify --top 1: the section of one bottleneck a benchmark (a benchmark binary's run:
# a suite's has no such section)
mkdoc bin.json x/y:steady:5:1
for f in md html; do
  if expect 0 "$TACH" certify bin.json --top 1 --format $f; then
    out_has '(^## |<h2>)Top 1 bottleneck($|</h2>)' && out_lacks '1 bottlenecks' && ok "certify --top 1 ($f): Top 1 bottleneck"
  fi
done
if expect 0 "$TACH" report one.json --baseline one.json --format html; then
  out_has 'Change of 1 benchmark against the baseline'
fi
for cmd in "site site" "certify one.json --baseline one.json" "report one.json --baseline one.json --format html" \
           "report one.json --baseline one.json" "compare one.json one.json" "history"; do
  # shellcheck disable=SC2086
  "$TACH" $cmd >"$tmp/out" 2>"$tmp/err"
  cat "$tmp/err" >>"$tmp/out"
  [ "$cmd" = "site site" ] && cat site/index.html site/b/*.html >>"$tmp/out"
  out_lacks '(^|[^0-9.,])1 (benchmarks|runs)\b'
done
finish
