#!/usr/bin/env bash
# bench_json_digits.sh - tach bench's JSON report writes its comparison at 15 significant
# digits, as tach compare and tach gate write theirs (it wrote 17: "p":
# 0.00057367310933220597 where compare wrote 0.000573673109332206), its summary at 15
# too, and its results at 17 (read back exactly); one document, keys in order.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
FIX=$TACH_BUILD/tests/fixture_basic
if [ ! -x "$FIX" ]; then bad "no fixture binary at $FIX"; finish; fi
mkdir -p .tach
printf '[module "m"]\n    bench = %s\n' "$FIX" >.tach/config
# the most significant digits of any number in lines FIRST..LAST of FILE
max_digits() {
  sed -n "$2,$3p" "$1" | grep -oE -- '-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?' |
    sed -E 's/[eE].*//; s/[-.]//g; s/^0+//' | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }'
}
expect 0 "$TACH" bench --bench-time 0.1 --report r0.md || { finish; exit; }
# the second run compares with the first, saved as 'main' (exit 1 if it "regressed")
"$TACH" bench --bench-time 0.1 --report r.md >"$tmp/out" 2>"$tmp/err"
check "the second run wrote a comparison" jqt \
  '(keys_unsorted == ["suite", "comparison", "results"]) and (.comparison.benchmarks | length) > 0' r.json
c=$(grep -n '^  "comparison": ' r.json | cut -d: -f1)
r=$(grep -n '^  "results": ' r.json | cut -d: -f1)
if [ -n "$c" ] && [ -n "$r" ]; then
  d=$(max_digits r.json "$c" "$((r - 1))")
  [ "$d" -le 15 ] && [ "$d" -ge 12 ] && ok "the comparison's numbers have at most 15 digits ($d)" ||
    fail "the comparison's numbers have $d significant digits, not 15 as tach compare's"
  d=$(max_digits r.json "$r" '$')
  [ "$d" -ge 16 ] && ok "the results keep 17 digits ($d)" || fail "the results have $d digits"
else
  fail "no comparison or results member at the top level of r.json"
fi
"$TACH" compare --format json --noise 5 --critical 10 main latest >cmp.json 2>/dev/null
# tach bench judges at noise 5%, critical 10% by default
check "the comparison is tach compare's, number for number" \
  jqt --slurpfile c cmp.json '.comparison.benchmarks == $c[0].benchmarks' r.json
finish
