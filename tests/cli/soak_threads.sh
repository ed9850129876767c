#!/usr/bin/env bash
# soak_threads.sh - a soak of a thread sweep's benchmark (parallel/threads=2): an
# interval's ops and ops_per_s are both threads' operations, as a sweep's throughput is
# (docs/scaling.md), the line says "ops_threads": 2, and the recorded time per operation
# is a thread's, as a threaded run's: the interval's length x 2 / ops.  It was one
# thread's operations, and a time per operation that was a thread's by accident.
source "$(dirname "$0")/lib.bash"
private_store
BIN=$TACH_BUILD/tests/fixture_scaling

# (too short for a verdict: its exit status is not the point)
"$TACH" soak --duration 0.6 --interval 0.1 --out s.jsonl --bench 'parallel/threads=2' "$BIN" >/dev/null 2>"$tmp/err"
err_has "recorded run 1"
check "each interval says its ops are 2 threads'" jqt -s '[.[] | select(.interval != null)] | length >= 2 and all(.ops_threads == 2)' s.jsonl
check "... and its rate is theirs: ops / length" jqt -s \
  '[.[] | select(.interval != null)] | all((.ops_per_s - .ops / .length | fabs) <= 1e-5 * .ops_per_s)' s.jsonl
if expect 0 "$TACH" report 1 --format json --no-compare; then
  jq -s '[.[] | select(.interval != null)] as $iv | [range(0; $iv | length) as $i
          | ($iv[$i].t - (if $i == 0 then 0 else $iv[$i - 1].t end)) * 1e9 * 2 / $iv[$i].ops]' s.jsonl >want.json
  out_jq --slurpfile w want.json '(.benchmarks[0].samples.ns | length) == ($w[0] | length)
      and ([.benchmarks[0].samples.ns, $w[0]] | transpose | all((.[0] - .[1] | fabs) <= 1e-6 * .[1]))' \
    && ok "the recorded time per operation is a thread's: length x 2 / ops" \
    || { fail "recorded: $(jq -c '.benchmarks[0].samples.ns' "$tmp/out") want $(cat want.json)"; }
fi
finish
