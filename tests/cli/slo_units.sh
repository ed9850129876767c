#!/bin/bash
# slo_units.sh - a latency bound with no unit ("p99<100") is refused wherever objectives
# are read: tach load's --slo, [load] slo in .tach/config and tach suite bus --slo.  k6
# and most load tools read p99<100 as 100 ms; tach read it as 100 s, an objective every
# run met.  Each refusal is exit 2 naming the bound and how to write it, nothing run or
# written; the unitless rates, error fractions and a bound of 0 stay as they were.
source "$(dirname "$0")/lib.bash"
private_store
cd "$tmp" || exit 1
B=$TACH_BUILD/tests/fixture_load_ops

expect 2 "$TACH" load "$B" safe --threads 1 --duration 0.3 --warmup 0 --no-store \
  --export-json o.json --slo 'p99<100' &&
  err_has "'p99<100': '100' has no unit, which would be seconds: write it with one, as p99<100ms (or us, s)" &&
  { [ ! -e o.json ] && ok "--slo p99<100: exit 2, named, nothing written" || bad "o.json written"; }
expect 2 "$TACH" load "$B" safe --threads 1 --duration 0.3 --warmup 0 --no-store --slo 'safe:max<=2.5' &&
  err_has "as safe:max<=2.5ms (or us, s)" && ok "an operation's unitless bound: exit 2"

mkdir -p .tach
printf '[load]\nslo = p99<250\n' >.tach/config
expect 2 "$TACH" load "$B" safe --threads 1 --duration 0.3 --warmup 0 --no-store &&
  err_has "[load] slo: 'p99<250': '250' has no unit" && ok "[load] slo p99<250 in .tach/config: exit 2"
rm -rf .tach

# the forms that need no unit: a rate, an error fraction, a latency of 0
expect 0 "$TACH" load "$B" safe --threads 1 --duration 0.3 --warmup 0 --no-store \
  --slo 'rps>=1 errors<0.5 p50>=0' && out_has 'slo rps>=1 +met' && out_has 'slo p50>=0 +met' &&
  ok "rps, errors and 0 without a unit: accepted"

expect 2 "$TACH" suite bus --quick --messages 300 --sizes 16 --no-store --slo 'p99<100' &&
  err_has "--slo: 'p99<100': the bound has no unit, which would be seconds: write it with one, as 'p99<100ms' (or us, s)" &&
  ok "suite bus --slo p99<100: exit 2, named"
finish
