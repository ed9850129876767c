#!/usr/bin/env bash
# bench/soak/sawtooth.sh [BUILD_DIR] - the claim "a healthy operation with a sawtooth
# memory pattern is not flagged in at least 19 of 20 seeded runs" (issue 14, docs/soak.md),
# on the real soak mode: 20 soaks (DURATION seconds each, default 6, at INTERVAL 0.2 s)
# of tests/fixtures/soak.c's sawtooth_across, whose cache of 1000-byte blocks gains a
# block per sample and is cleared every P samples, P from the seed (--seed 1..20, P in
# 8..40), read at the intervals' ends at whatever phase the timing gives.  Each series
# is judged by `tach soak --report`; prints how many were flagged growing (heap, or RSS
# under a sanitizer) and how many had enough intervals to be tested (a soak that a busy
# machine slowed below 8 windows is "not tested", not flagged), and exits 0 when at most 1 of 20 was, 1 otherwise, 2 cannot run.
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$(realpath -m "${1:-$src/build}")
dur=${DURATION:-6}
ivl=${INTERVAL:-0.2}
runs=${RUNS:-20}
die() { echo "sawtooth.sh: $*" >&2; exit 2; }
[ -x "$build/tach" ] && [ -x "$build/tests/fixture_soak" ] || die "build $build first (tach and tests/fixture_soak)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
flagged=0
tested=0
for seed in $(seq 1 "$runs"); do
  f=$tmp/saw-$seed.jsonl
  printf '{"format":"tach-soak","version":1,"target":{"kind":"benchmark","text":"sawtooth_across --seed %s"},"duration_s":%s,"interval_s":%s}\n' \
    "$seed" "$dur" "$ivl" >"$f"
  "$build/tests/fixture_soak" --filter '^sawtooth_across$' --soak-duration "$dur" --soak-interval "$ivl" \
    --seed "$seed" --quiet >>"$f"
  echo '{"end":true}' >>"$f"
  v=$("$build/tach" soak --report "$f" --format json 2>/dev/null || true)
  g=$(jq -r '(.verdict.heap_growth // .verdict.rss_growth) | "\(.tested) \(.growing) \(.slope_kb_per_hour)"' <<<"$v")
  echo "seed $seed: tested growing slope_kb_h = $g"
  case $g in "true true "*) flagged=$((flagged + 1)) ;; esac
  case $g in "true "*) tested=$((tested + 1)) ;; esac
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "flagged growing: $flagged of $runs ($tested tested: enough intervals for 8 windows)"
[ "$flagged" -le $((runs / 20)) ]
