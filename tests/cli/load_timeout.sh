#!/bin/bash
# load_timeout.sh - `tach load URL --request-timeout S` against the tests' delay server
# (tests/tools/delay_server.c) on 127.0.0.1, which answers every second request 5 ms
# late: with a 2 ms timeout each of those is an error "timeout", never a 200, with either
# transport (the direct one checked its requests' deadlines only every 10 ms, and took
# an answer that came in between as a success).  A timeout below libcurl's millisecond
# is refused: libcurl read it as 0 ms, no timeout at all.  Checks are on counts, which
# a busy machine can only move the safe way (a late answer is one more timeout).
source "$(dirname "$0")/lib.bash"
private_store

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$tmp"' EXIT

for engine in direct curl; do
  delay_server "$tmp/ds.$engine" 2 5
  dspid=$DS_PID D=$DS_URL
  # the probe is the server's first request (answered at once); then one client, so
  # every second request is a stalled one
  if expect 0 "$TACH" load "$D" --clients 1 --duration 0.5 --warmup 0 --request-timeout 2ms \
       --engine "$engine" --export-json "to.$engine.json" --no-store; then
    kill "$dspid"; wait "$dspid" 2>/dev/null
    read -r _ served _ stalls <"$tmp/ds.$engine.stats"
    [ "$stalls" -ge 10 ] && ok "$engine: the server stalled $stalls times in $served requests" \
      || bad "$engine: the server stalled only $stalls times in $served requests"
    # every stalled request measured is a timeout (the last may still be in flight at the end)
    jqc "$engine: each answer 5 ms late is a timeout, not a 200 ($stalls stalls)" "to.$engine.json" \
      ".benchmarks[] | select(.name == \"overall\") | .load | .error_kinds.timeout >= $stalls - 1 and (.statuses[\"200\"] // 0) + .error_kinds.timeout == .count"
  fi
done

# below a millisecond: libcurl (the probe, --engine curl) cannot time it
delay_server "$tmp/ds.sub" 0 0
expect 2 "$TACH" load "$DS_URL" --request-timeout 500us --duration 0.2 \
  --warmup 0 --no-store && err_has "--request-timeout: '500us'"

finish
