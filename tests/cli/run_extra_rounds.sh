#!/usr/bin/env bash
# run_extra_rounds.sh - `tach run ./bench_binary` runs extra workers for the benchmarks
# slowed in more rounds than a comparison may set aside (docs/statistics.md): at most
# --processes more, each with the same share of the time, --filter narrowed to those
# benchmarks, until the cap is met.  tests/fixtures/slowed_rounds.c slows `slowed` in 9
# of its first 12 rounds (3x the work) and never after; `steady` is never slowed.  With
# 3 x 4 rounds: 9 slowed of 12 (cap 5), 9 of 16 (cap 7), 9 of 20 (cap 9): 2 extra
# workers.  (A busy machine may slow more rounds: then 3, never more.)
source "$(dirname "$0")/lib.bash"
FIX=$TACH_BUILD/tests/fixture_slowed_rounds
if [ ! -x "$FIX" ]; then bad "no fixture binary at $FIX"; finish; fi
quick=(-- --min-time 0.02 --warmup 0.01 --sample-time 0.0005 --min-samples 8)
rounds() { jq -r --arg n "$2" '.benchmarks[] | select(.name == $n) | .samples.rounds | unique | length' "$1"; }

TACH_SLOWED_FILE=$tmp/sf trun --style basic --processes 3 --bench-time 0.3 --export-json "$W/x.json" "$FIX" "${quick[@]}"
expect_rc 0 "tach run: a benchmark slowed in 9 of its first 12 rounds"
extra=$(jq '.context.settings.extra_processes' "$W/x.json")
check "2 or 3 extra workers (got $extra)" test "$extra" -ge 2 -a "$extra" -le 3
jqc "extra_rounds_for names the slowed benchmark" x.json \
  '.context.settings.extra_rounds_for | index("slowed") != null'
# each extra worker runs the benchmarks still short of the cap: slowed in the first two;
# a third (a busy machine slowed steady too) may run steady alone
sr=$(rounds x.json slowed)
check "slowed: 12 + 4 rounds per extra worker that ran it (got $sr, $extra extra workers)" \
  test "$sr" -ge 20 -a "$sr" -le $((12 + 4 * extra)) -a $(((sr - 12) % 4)) -eq 0
check "the fixture counted as many rounds of slowed ($(wc -c <"$tmp/sf"))" \
  test "$(wc -c <"$tmp/sf")" -eq "$sr"
# steady is re-run only if the machine itself slowed it throughout
if jq -e '.context.settings.extra_rounds_for | index("steady") == null' x.json >/dev/null; then
  check "steady, not slowed, kept its 12 rounds (the extra workers' --filter)" test "$(rounds x.json steady)" -eq 12
fi
jqc "processes_completed counts them" x.json ".context.settings.processes_completed == 3 + $extra"
check "each extra worker is announced on stderr" \
  test "$(grep -c '^tach run: extra worker [0-9] (at most 3): ' "$W/err")" -eq "$extra"

# --no-extra-rounds: the planned workers only.
rm -f "$tmp/sf"
TACH_SLOWED_FILE=$tmp/sf trun --style none --no-extra-rounds --processes 3 --bench-time 0.3 \
  --export-json "$W/n.json" "$FIX" "${quick[@]}"
expect_rc 0 "tach run --no-extra-rounds"
check "--no-extra-rounds: 12 rounds" test "$(rounds n.json slowed)" -eq 12
jqc "--no-extra-rounds: no extra_processes in the settings" n.json \
  '.context.settings | has("extra_processes") | not'

# A user's --filter is narrowed, not widened: steady alone is never re-run for slowed.
rm -f "$tmp/sf"
TACH_SLOWED_FILE=$tmp/sf trun --style none --processes 2 --bench-time 0.2 --filter '^steady$' \
  --export-json "$W/f.json" "$FIX" "${quick[@]}"
expect_rc 0 "tach run --filter '^steady\$'"
jqc "--filter: only steady measured" f.json '[.benchmarks[].name] == ["steady"]'
check "--filter: slowed never ran" test ! -s "$tmp/sf"

trun --no-extra-rounds 'true'
expect_rc 2 "--no-extra-rounds with a command"
check "... says it applies to a benchmark binary" grep -q -- '--no-extra-rounds applies to a benchmark binary' "$W/err"
check "... in one line" test "$(wc -l <"$W/err")" -eq 1
trun --help
check "--help lists --no-extra-rounds" grep -q -- '--no-extra-rounds' "$W/out"
finish
