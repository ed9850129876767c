#!/usr/bin/env bash
# soak_load.sh - `tach soak --load -- LOAD-ARGS`: a tach load scenario run one interval
# at a time; each interval's line has its requests, their rate, the errors and the
# interval's latency histogram (HdrHistogram's encoding).  The fixture's "flaky"
# operation fails every 10th call of a thread (tests/fixtures/load_ops.c), so each
# interval's errors are at most a tenth of its requests and, over 4 intervals of 100+
# requests, at least one.
source "$(dirname "$0")/lib.bash"
BIN=$TACH_BUILD/tests/fixture_load_ops
private_store

"$TACH" soak --duration 2 --interval 0.5 --out load.jsonl --load -- "$BIN" flaky --rate 400 \
    >"$tmp/out" 2>"$tmp/err" # stable or drifting, by the machine
check "the header names the load target" jqt -s '.[0].target.kind == "load" and .[0].target.argv == ["'"$BIN"'", "flaky", "--rate", "400"]' load.jsonl
check "four intervals, each with requests, rate and a histogram" jqt -s \
  '[.[] | select(.interval != null)] | length == 4 and all(.ops >= 1 and (.ops_per_s - .ops / .length | fabs) < 1e-6 * .ops_per_s and (.hist | startswith("HISTF")) and .p50_ns > 0 and .p99_ns >= .p50_ns and .max_ns >= .p99_ns)' load.jsonl
check "the errors of flaky are counted" jqt -s \
  '[.[] | select(.interval != null)] | all(.errors <= .ops / 10) and (map(.errors) | add) >= 1' load.jsonl
check "the file ends with its verdict" jqt -s '.[-1].end == true and (.[-1].verdict.summary | type) == "string"' load.jsonl
check "the soak is recorded" grep -q "recorded run 1" "$tmp/err"
if expect 0 "$TACH" report 1 --format json --no-compare; then
  out_jq '.benchmarks[0].name | startswith("soak: tach load ")'
  out_jq '.context.soak.target.kind == "load" and .context.soak.intervals == 4'
  ok "the load soak's run holds its series"
fi

# Bad usage: exit 2, nothing written.
expect 2 "$TACH" soak --duration 1 --out x.jsonl --load --bench b -- "$BIN" flaky \
  && err_has "--bench and --load" && ok "--bench with --load is refused"
check "... and nothing written" test ! -e x.jsonl
expect 1 "$TACH" soak --duration 1 --interval 0.5 --out bad.jsonl --no-store --load -- "$BIN" flaky --rate nope \
  && err_has "tach load refused its arguments" && ok "tach load's bad arguments fail the soak"
expect 0 "$TACH" soak --help && out_has '--load' && ok "--help shows --load"
finish
