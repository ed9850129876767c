#!/usr/bin/env bash
# bench_late_answer.sh - a worker's answer that reaches the binary only after --timeout is
# a timeout (docs/benchmark-binaries.md, *Isolation*), as a command's run that ended late
# is (run_timeout_late.sh).  The late_answer fixture's worker waits for the test's
# DIR/go; the test stops the binary (SIGSTOP) while it waits in poll for the answer,
# makes DIR/go once the deadline has certainly passed (1 s after the worker, forked after
# the deadline was set, wrote its pids), waits for the worker's end, then resumes the
# binary, whose poll finds the answer already in the pipe.  Before, that answer was
# taken: status ok.  Nothing waits on the machine's speed.
source "$(dirname "$0")/lib.bash"
BIN="$TACH_BUILD/tests/fixture_late_answer"
mkdir "$tmp/late"
export TACH_TEST_LATE=$tmp/late

# now is more than S seconds (and a margin for the file's coarse clock) past FILE's mtime
older_than() { awk -v m="$(stat -c %.9Y "$2")" -v s="$1" -v now="$(date +%s.%N)" 'BEGIN { exit !(now > m + s + 0.2) }'; }
# process PID is stopped / has ended (a zombie, or gone)
stopped() { [[ $(ps -o stat= -p "$1" 2>/dev/null) == T* ]]; }
ended() { local s; s=$(ps -o stat= -p "$1" 2>/dev/null); [[ -z $s || $s == Z* ]]; }
# process PID is in poll or ppoll (its /proc/PID/syscall's first field)
in_poll() { local nr; read -r nr _ <"/proc/$1/syscall" 2>/dev/null && { [ "$nr" = "$poll" ] || [ "$nr" = "$ppoll" ]; }; }
# stops PID while it is in poll: stopped elsewhere (fork, between two polls), it is resumed
# and stopped again, so that what it does first once resumed is to poll, not to look at
# the clock
stop_in_poll() {
  local i
  for i in $(seq 200); do
    within 60 in_poll "$1" || return 1
    kill -STOP "$1"
    within 60 stopped "$1" || return 1
    in_poll "$1" && return 0
    kill -CONT "$1"
  done
  return 1
}

"$BIN" --filter '^late/late$' --rounds 1 --max-time 0.2 --min-time 0 --timeout 1 --format json \
  --out "$tmp/late.json" --quiet >"$tmp/out" 2>"$tmp/err" &
pid=$!
said='took longer than the timeout of 1 s' # the late answer's message
if running_until $pid test -s "$tmp/late/pids"; then
  read -r binary worker poll ppoll <"$tmp/late/pids"
  [ "$binary" = "$pid" ] || fail "the worker's parent $binary is not the binary $pid"
  if [ -r "/proc/$binary/syscall" ]; then
    stop_in_poll "$binary" || fail "the binary was never stopped in poll"
  else # no /proc/PID/syscall: stopped wherever it is, maybe before its poll saw the clock
    said='took longer than the timeout of 1 s|timed out after 1 s'
    kill -STOP "$binary"
    within 60 stopped "$binary" || fail "the binary was not stopped"
  fi
  within 60 older_than 1 "$tmp/late/pids" || fail "the deadline never passed"
  : >"$tmp/late/go"
  within 60 ended "$worker" || fail "the worker never ended"
  kill -CONT "$binary"
else
  fail "the worker never wrote its pids: $(head -c 400 "$tmp/err")"
fi
wait $pid; rc=$?
[ "$rc" = 1 ] && ok "a late answer: exit 1" || fail "a late answer: exit $rc (want 1): $(head -c 400 "$tmp/err")"
check "status timeout, the late answer's message" jqt --arg said "$said" \
  '[.benchmarks[] | select(.name == "late/late") | .status == "timeout" and (.message | test($said))] == [true]' \
  "$tmp/late.json"

# the same benchmark not held: ok
expect 0 env -u TACH_TEST_LATE "$BIN" --rounds 1 --max-time 0.2 --min-time 0 --timeout 60 --format json --quiet &&
  out_jq '[.benchmarks[].status] == ["ok"]' && ok "not held: ok"
finish
