#!/usr/bin/env bash
# console_units.sh - the numbers the terminal table and the summaries print are the ones
# asked and measured, with the digits that tell them apart: a precision of 0.25% asked is
# said as 0.25%, not rounded to 0.2%.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
cd "$tmp"

# precision.target asked and missed (30 samples 2% apart: the median's CI is about +-2%,
# the CV below 5%, so the row is not brief for being unstable): the status cell says the
# target as it was asked
for t in 0.0025:0.25 0.00125:0.125 0.01:1.0 0.005:0.5; do
  frac=${t%%:*} shown=${t##*:}
  jq -n --argjson f "$frac" '{format: "tach-results", version: 1, context: {}, benchmarks: [
      {name: "a", status: "ok", precision: {target: $f, achieved: 0.5, reached: false},
       samples: {iters: [range(30) | 1], ns: [range(30) | 100 + (. % 3) * 2]}}]}' >p.json
  if expect 0 "$TACH" convert p.json --to console; then
    if grep -q "precision missed (asked $shown%)" "$tmp/out"; then
      ok "console: precision $frac asked reads 'asked $shown%'"
    else
      fail "console: precision $frac asked: $(grep -o 'precision missed[^,]*' "$tmp/out")"
    fi
  fi
done

# tach run's summary says the target as asked too: 0.125%, not 0.12% (reached or not, the
# line is there: the target is what is checked)
for t in 0.125:0.125 0.0625:0.0625 1:1.00 0.5:0.50; do
  asked=${t%%:*} shown=${t##*:}
  if expect 0 "$TACH" run --no-store --runs 3 --style basic --precision "$asked" true; then
    if grep -q "(target ±$shown%: " "$tmp/out"; then
      ok "tach run --precision $asked: the summary says target ±$shown%"
    else
      fail "tach run --precision $asked: $(grep 'Precision:' "$tmp/out")"
    fi
  fi
done

# thresholds refused as given: 10.04% above 10.01% (with three significant digits both
# read 10%: "noise 10% is above critical 10%"), 1000% (not 1e+03%)
mkdoc base.json s/a:steady:30:1
expect 2 "$TACH" gate --noise 10.04 --critical 10.01 base.json base.json \
  && err_line '^tach gate: noise 10\.04% is above critical 10\.01% ' && ok "gate: noise 10.04% above critical 10.01%"
expect 2 "$TACH" compare --noise 1000 base.json base.json \
  && err_line '^tach compare: noise 1000% is above critical 10% ' && ok "compare: noise 1000%"
mkdir -p proj/.tach
printf '[module "m"]\n    command = true\n' >proj/.tach/config
cd proj || exit 1
expect 2 "$TACH" bench --noise 10.04 --critical 10.01 \
  && err_line '^tach bench: noise 10\.04% is above critical 10\.01% ' && ok "bench: noise 10.04% above critical 10.01%"
cd "$tmp" || exit 1
finish
