#!/bin/bash
# load_overload.sh - `tach load --rate 1e9` (the highest rate taken), far beyond what any
# generator sends, against the tests' delay server (tests/tools/delay_server.c, answering
# at once) and an in-process operation: the run ends after --duration with the schedule's
# counts (every slot sent or dropped, none lost), invalid, exit 1; SIGTERM ends it with
# what it missed counted dropped, exit 130.  The generators counted every slot one by
# one: the HTTP event loop queued all those due before it looked at the clock or a
# signal again, and at 1e9/s never caught up (a run of --duration 1 took 10 s, SIGTERM
# was seen seconds late); both engines counted the slots the end found unsent one by one
# (a 30 s run took minutes); and the slots due before a signal were neither sent nor
# dropped, so an interrupted run that sent 0.01% of them was not invalid.  No check is
# on a time: each run gets 60 s (`timeout 60`; they take about --duration) and is judged
# by its exit status and counts.
source "$(dirname "$0")/lib.bash"
private_store
B=$TACH_BUILD/tests/fixture_load_ops

pids=()
trap 'for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$tmp"' EXIT

delay_server "$tmp/ds.port" 0 0
D=$DS_URL

# every slot of the measured window sent or dropped; at most a few sent; invalid
counts='.benchmarks[] | select(.name == "overall") | .load | .sent + .dropped == .scheduled and .dropped > 0.99 * .scheduled and .invalid == true'

# ---- the run's end: after --duration, the schedule's 1e9 slots counted, exit 1 ----
if expect 1 timeout 60 "$TACH" load "$D" --rate 1e9 --duration 1 --warmup 0.2 --export-json http.json --no-store; then
  ok "HTTP at 1e9/s: ended, invalid (exit 1)"
  out_has '^INVALID: the generator could not hold the rate'
  jqc "HTTP: 1e9 slots scheduled (+-2), each sent or dropped" http.json \
    "$counts"' and (.scheduled - 1e9 | fabs) <= 2'
fi
if expect 1 timeout 60 "$TACH" load "$D" --rate 1e9 --arrivals poisson --threads 2 --duration 1 --warmup 0 \
     --engine curl --export-json poisson.json --no-store; then
  jqc "HTTP, Poisson, two loops, libcurl: about 1e9 slots (within 5 sd), each sent or dropped" poisson.json \
    "$counts"' and (.scheduled - 1e9 | fabs) < 160000'
fi
if expect 1 timeout 60 "$TACH" load "$B" safe --rate 1e9 --threads 2 --duration 1 --warmup 0.2 \
     --export-json ops.json --no-store; then
  ok "in-process at 1e9/s: ended, invalid (exit 1)"
  jqc "in-process: 1e9 slots scheduled (+-2), each sent or dropped" ops.json \
    "$counts"' and (.scheduled - 1e9 | fabs) <= 2'
fi
# 30 s at 1e9/s: the slots the end found unsent were counted one by one, 3e10 of them
# (minutes; 60 s is twice the run)
if expect 1 timeout 60 "$TACH" load "$B" safe --rate 1e9 --threads 1 --duration 30 --warmup 0 \
     --export-json long.json --no-store; then
  ok "in-process at 1e9/s for 30 s: ended within 60 s, invalid (exit 1)"
  jqc "in-process, 30 s: 3e10 slots scheduled (+-1), each sent or dropped" long.json \
    "$counts"' and (.scheduled - 3e10 | fabs) <= 1'
fi
# --ramp's stages at the bound, the same
expect 1 timeout 60 "$TACH" load "$B" safe --ramp 1e9:0.5s,1e9:0.5s --threads 1 --warmup 0 \
  --export-json ramp.json --no-store &&
  jqc "--ramp 1e9:0.5s,1e9:0.5s: 1e9 slots (+-2), each sent or dropped" ramp.json \
    "$counts"' and (.scheduled - 1e9 | fabs) <= 2'
# above the bound: refused, naming the value and the bound
expect 2 "$TACH" load "$B" safe --rate 2e9 --no-store && err_has "--rate: '2e9'"
expect 2 "$TACH" load "$B" safe --ramp 1e12:1s --no-store && err_has "the rate '1e12' is too large, expected a number from 1e-06 to 1000000000"
# below the least (one request in 1e6 s, the longest --duration): refused, nothing run
# (1e-320's gap, 1 / rate, was infinite: a URL's event loop spun on its NaN schedule,
# deaf to SIGTERM; 1e-7 ran)
expect 2 "$TACH" load "$B" safe --rate 1e-7 --no-store \
  && err_has "--rate: '1e-7' is too small, expected a number from 1e-06 to 1000000000" \
  && ok "--rate 1e-7: too small, exit 2"
expect 2 "$TACH" load http://127.0.0.1:9/ --rate 1e-320 --no-store \
  && err_has "--rate: '1e-320' is too small" && ok "--rate 1e-320 for a URL: too small, exit 2"
expect 2 "$TACH" load "$B" safe --ramp 100:1s,1e-320:1s --no-store \
  && err_has "--ramp: the rate '1e-320' is too small, expected a number from 1e-06 to 1000000000" \
  && ok "--ramp with a stage at 1e-320: too small, exit 2"

# ---- SIGTERM mid-run: ends (exit 130), what was missed counted dropped ----
caught() { # PID SIGNUM: the process has a handler for the signal (it is in its run)
  local m
  m=$(awk '/^SigCgt:/ {print $2}' "/proc/$1/status" 2>/dev/null)
  [ -n "$m" ] && (((16#$m >> ($2 - 1)) & 1))
}
ended() { ! kill -0 "$1" 2>/dev/null; }
ends_within_60s() { # PID: waits for it (its status in $rc); else kills it and fails
  if ! within 60 ended "$1"; then
    bad "$2: still running 60 s after SIGTERM"
    kill -KILL "$1" 2>/dev/null
  fi
  wait "$1"
  rc=$?
}
terminate() { # NAME WATCHED-PID-COMMAND ARGS...: runs tach load ARGS, SIGTERM once in its run
  local name=$1 watch=$2
  shift 2
  "$TACH" load "$@" --duration 600 --warmup 0 --export-json "$name.json" --no-store >"$name.out" 2>"$name.err" &
  local pid=$!
  pids+=($pid)
  local w=
  handler() { w=$($watch "$pid"); [ -n "$w" ] && caught "$w" 15; }
  within 60 handler || bad "$name: no handler for SIGTERM within 60 s: $(cat "$name.err")"
  kill -TERM "$pid"
  ends_within_60s "$pid" "$name"
  [ "$rc" -eq 130 ] && ok "$name: SIGTERM ended it, exit 130" || bad "$name: exit $rc, expected 130: $(cat "$name.err")"
  jqc "$name: partial, invalid, the slots due before the signal each sent or dropped" "$name.json" \
    '.partial == true and ('"$counts"') and .measured_s < 600'
}
# the watched process is tach itself once it has exec'd: before that the forked shell
# still holds bash's own SIGTERM handler (set for the EXIT trap), a caught bit not tach's
self() { [ "$(readlink "/proc/$1/exe")" = "$TACH" ] && echo "$1"; }
child() { pgrep -P "$1" | head -1; }
terminate http_term self "$D" --rate 1e9 --threads 2
terminate ops_term child "$B" safe --rate 1e9 --threads 2

finish
