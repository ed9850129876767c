#!/bin/bash
# load_unanswered.sh - `tach load URL` against a server that stops answering: the tests'
# delay server (tests/tools/delay_server.c) with EVERY=2 answers the probe (its first
# request) and then stalls on its second for ten minutes, so every request of the run is
# sent and never answered.  The run stops waiting 2 s after its end (or after Ctrl-C);
# each request still out then is a failed request "unanswered", not left out: before,
# such a run showed 0 requests, 0 errors and exit 0, as if nothing had been asked.
# Checks are on counts; the server never answers, so no timing can change them.
source "$(dirname "$0")/lib.bash"
private_store

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$tmp"' EXIT

hung_server() { # NAME: a server that answers its first request only; $H its URL
  delay_server "$tmp/$1.port" 2 600000
  H=$DS_URL
}

for engine in direct curl; do
  # closed model: each client's first request is never answered
  hung_server "closed-$engine"
  if expect 0 "$TACH" load "$H" --clients 3 --duration 3 --warmup 0 --request-timeout 600 \
       --engine "$engine" --export-json "closed-$engine.json" --no-store; then
    jqc "$engine, closed: the 3 requests sent are 3 failed requests 'unanswered'" "closed-$engine.json" \
      '.benchmarks[] | select(.name == "overall") | .load | .count == 3 and .errors == 3 and .error_kinds.unanswered == 3 and .sent == 3 and .corrected.max_ns >= 2000000000'
    out_has "error unanswered: 3"
  fi
  # the same failed requests count against the objectives
  hung_server "slo-$engine"
  expect 1 "$TACH" load "$H" --clients 2 --duration 3 --warmup 0 --request-timeout 600 \
    --engine "$engine" --slo 'errors<1%' --no-store && out_has 'errors<1% +MISSED +measured 100%'
done

# open model: every request sent is counted, none dropped on the way
hung_server open
if expect 0 "$TACH" load "$H" --rate 20 --duration 2 --warmup 0 --request-timeout 600 --max-late 100 \
     --export-json open.json --no-store; then
  jqc "open: every request sent is a failed request 'unanswered'" open.json \
    '.benchmarks[] | select(.name == "overall") | .load | .sent > 0 and .count == .sent and .errors == .count and .error_kinds.unanswered == .count'
fi

# Ctrl-C: the requests out then get 2 s, then they are failed requests too
hung_server int
"$TACH" load "$H" --clients 2 --duration 60 --warmup 0 --request-timeout 600 --no-store \
  --export-json int.json >int.out 2>int.err &
pid=$!
# signalled once both clients' connections are up (their requests started), polled while
# the 60 s run goes on
port=$(cat "$tmp/int.port")
both_up() { [ "$(ss -Htn state established "( dport = :$port )" | wc -l)" -ge 2 ]; }
signal_when INT $pid both_up
[ $rc -eq 130 ] && ok "interrupted: exit 130" || bad "interrupted: exit $rc, expected 130: $(cat int.err)"
jqc "interrupted: the 2 requests out are kept as failed requests 'unanswered'" int.json \
  '.benchmarks[] | select(.name == "overall") | .load | .partial == true and .count == 2 and .error_kinds.unanswered == 2'

finish
