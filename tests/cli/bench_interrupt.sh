#!/usr/bin/env bash
# bench_interrupt.sh - SIGTERM during a run (here while a worker hangs): the worker
# is killed, the benchmark in progress is dropped, the finished results are written
# as a partial document ("partial": true), stderr says so, and the exit status is 1.
BIN="$TACH_BUILD/tests/fixture_isolation"
source "$(dirname "$0")/lib.bash"

# The fixture appends a benchmark's name to $TACH_TEST_MARK once it runs (hang: in its
# worker, just before it hangs there): the signal goes once that line is out.
export TACH_TEST_MARK=$tmp/mark
"$BIN" --quiet --max-time 0.1 --warmup 0 --timeout 60 --filter 'healthy_first|hang|healthy_last' \
    --format json >"$tmp/part.json" 2>"$tmp/err" &
pid=$!
signal_when TERM $pid lines_at_least 1 '^hang$' "$tmp/mark"
s=$(($(date +%s) - signalled_at))
check "exit status 1 after an interrupt (got $rc)" test "$rc" -eq 1
check "stopped at the signal, not at the 60 s timeout ($s s)" test "$s" -lt 30
check "the document is partial" jqt '.partial == true' "$tmp/part.json"
check "the finished benchmark is kept, the interrupted one dropped" \
    test "$(jq -r '[.benchmarks[] | .name + ":" + .status] | join(",")' "$tmp/part.json")" = "iso/healthy_first:ok"
check "stderr says it was interrupted" grep -q "interrupted by SIGTERM after 1 of 3 benchmarks" "$tmp/err"
check "no worker left behind" test -z "$(pgrep -P "$pid" 2>/dev/null)"

# In process (--no-isolate): the sampler stops at the signal instead of its 30 s budget
# (the precision asked, 0.0001%, is out of reach, so nothing else ends it sooner).
# The signal goes once healthy_first runs (its mark).
rm -f "$tmp/mark"
"$BIN" --quiet --no-isolate --max-time 30 --precision 0.0001 --warmup 0 --filter 'healthy_first' --format json \
    >"$tmp/noiso.json" 2>"$tmp/err2" &
signal_when TERM $! lines_at_least 1 '^healthy_first$' "$tmp/mark"
s=$(($(date +%s) - signalled_at))
check "--no-isolate: exit 1 after an interrupt (got $rc)" test "$rc" -eq 1
check "--no-isolate: stopped at the signal, not at the 30 s budget ($s s)" test "$s" -lt 20
check "--no-isolate: partial, the cut benchmark dropped" jqt '.partial == true and (.benchmarks | length) == 0' "$tmp/noiso.json"

finish
