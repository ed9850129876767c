#!/usr/bin/env bash
# bench_interrupt.sh - SIGTERM during a run (here while a worker hangs): the worker
# is killed, the benchmark in progress is dropped, the finished results are written
# as a partial document ("partial": true), stderr says so, and the exit status is 1.
BIN="$TACH_BUILD/tests/fixture_isolation"
source "$(dirname "$0")/lib.bash"

"$BIN" --quiet --max-time 0.1 --warmup 0 --timeout 60 --filter 'healthy_first|hang|healthy_last' \
    --format json >"$tmp/part.json" 2>"$tmp/err" &
pid=$!
# Wait until the hang's worker runs: the one child that lives on for 1.5 s
# (healthy_first's worker has a 0.1 s budget).  Polling gives up after 30 s.
same=0 last=""
for _ in $(seq 1 300); do
    sleep 0.1
    c=$(pgrep -P "$pid" | head -1)
    if [ -n "$c" ] && [ "$c" = "$last" ]; then same=$((same + 1)); else same=0; fi
    last=$c
    [ "$same" -ge 15 ] && break
done
start=$(date +%s%N)
kill -TERM "$pid"
wait "$pid"
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
check "exit status 1 after an interrupt (got $rc)" test "$rc" -eq 1
check "stopped promptly, not at the 60 s timeout ($ms ms)" test "$ms" -lt 10000
check "the document is partial" jqt '.partial == true' "$tmp/part.json"
check "the finished benchmark is kept, the interrupted one dropped" \
    test "$(jq -r '[.benchmarks[] | .name + ":" + .status] | join(",")' "$tmp/part.json")" = "iso/healthy_first:ok"
check "stderr says it was interrupted" grep -q "interrupted by SIGTERM after 1 of 3 benchmarks" "$tmp/err"
check "no worker left behind" test -z "$(pgrep -P "$pid" 2>/dev/null)"

# In process (--no-isolate): the sampler stops at the signal instead of its 30 s budget
# (the precision asked, 0.0001%, is out of reach, so nothing else ends it sooner).
"$BIN" --quiet --no-isolate --max-time 30 --precision 0.0001 --warmup 0 --filter 'healthy_first' --format json \
    >"$tmp/noiso.json" 2>"$tmp/err2" &
pid=$!
sleep 2
start=$(date +%s%N)
kill -TERM "$pid"
wait "$pid"
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
check "--no-isolate: exit 1 after an interrupt (got $rc)" test "$rc" -eq 1
check "--no-isolate: stopped promptly ($ms ms)" test "$ms" -lt 10000
check "--no-isolate: partial, the cut benchmark dropped" jqt '.partial == true and (.benchmarks | length) == 0' "$tmp/noiso.json"

finish
