#!/usr/bin/env bash
# zero_target.sh - a memory target of zero ("allocates nothing") is a real target
# (docs/memory.md): TACH_ZERO in a definition, 0 in .tach/config; a plain 0 in a
# definition stays "no target" (old binaries).
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
cd "$tmp"
BIN=$TACH_BUILD/tests/fixture_zero_target
ALLOCS=$TACH_BUILD/tests/fixture_allocs

mkdir -p cfg
printf '[bench "allocs"]\nmax_allocs_per_iter = 0\nmax_bytes_per_iter = 0\nmax_peak_bytes = 0B\n' > cfg/config
printf '[bench "allocs"]\nmax_rss = 0\n' > cfg/bad
expect 2 "$TACH" gate --config cfg/bad "$DATA/../data/none.json" "$DATA/../data/none.json" \
  && err_has 'max_rss' && ok "config: max_rss = 0 is still refused"

if [ "${TACH_TEST_SANITIZE:-OFF}" = ON ]; then
  echo "skip: heap counting is unavailable under the sanitizers"; finish
fi
"$BIN" --min-time 0.01 --format json --quiet --out z.json || fail "the fixture's JSON run"
if expect 0 "$BIN" --min-time 0.01 --quiet; then
  out_has '^allocates .*missed allocs/iter ≤ 0 \(1\)'
  out_has '^allocates .*missed bytes/iter ≤ 0 B'
  out_lacks '^allocates_nothing .*missed'
  out_lacks '^plain_zero .*missed'
  ok "TACH_ZERO: the allocating benchmark misses its zero targets on the console, the others do not"
fi
check "the document keeps zero targets as 0, and none for a plain 0" \
  jqt '(.benchmarks[] | select(.name == "allocates") | .targets.max_allocs_per_iter == 0
        and .targets.max_bytes_per_iter == 0 and .targets.max_peak_bytes == 0)
       and (.benchmarks[] | select(.name == "plain_zero") | .targets == null or (.targets | has("max_allocs_per_iter") | not))' z.json
if expect 1 "$TACH" gate z.json z.json; then
  out_has '^  allocates: max_allocs_per_iter 0, measured 1$'
  out_lacks '^  allocates_nothing:'
  out_lacks '^  plain_zero:'
  ok "gate: the zero target read back from the document is missed (exit 1)"
fi
"$ALLOCS" --memory --min-time 0.01 --format json --quiet --out a.json || fail "allocs --memory"
if expect 1 "$TACH" gate --config cfg/config a.json a.json; then
  out_has '^  allocs: max_allocs_per_iter 0, measured 100$'
  out_has '^  allocs: max_peak_bytes 0 B, measured'
  ok "config: max_allocs_per_iter = 0 is accepted and missed by 100 allocs/iter (exit 1)"
fi
# A limit just under the measured value: the two told apart (they read "max_allocs_per_iter
# 100, measured 100" and "1.56 KiB, measured 1.56 KiB", misses that looked like hits)
printf '[bench "allocs"]\nmax_allocs_per_iter = 99.99\nmax_bytes_per_iter = 1599\n' > cfg/near
if expect 1 "$TACH" gate --config cfg/near a.json a.json; then
  out_has '^  allocs: max_allocs_per_iter 99\.99, measured 100$'
  out_has '^  allocs: max_bytes_per_iter 1599 B, measured 1600 B$'
  ok "config: a limit just under the allocs and bytes measured reads apart from them"
fi
finish
