#!/usr/bin/env bash
# bench_late_answer.sh - a worker's answer that reaches the binary only after --timeout is
# a timeout (docs/benchmark-binaries.md, *Isolation*), as a command's run that ended late
# is (run_timeout_late.sh).  The late_answer fixture's worker waits for the test's
# DIR/go; the test stops the binary (SIGSTOP) while it waits in poll for the answer,
# makes DIR/go once the deadline has certainly passed (5 s after the worker, forked after
# the deadline was set, wrote its pids), waits for the worker's end, then resumes the
# binary, whose poll finds the answer already in the pipe.  Before, that answer was
# taken: status ok.  The same for the memory pass's counting process and its worker
# (docs/memory.md), below.  Nothing waits on the machine's speed.
source "$(dirname "$0")/lib.bash"
BIN="$TACH_BUILD/tests/fixture_late_answer"
mkdir "$tmp/late"
export TACH_TEST_LATE=$tmp/late

# now is more than S seconds (and a margin for the file's coarse clock) past FILE's mtime
older_than() { awk -v m="$(stat -c %.9Y "$2")" -v s="$1" -v now="$(date +%s.%N)" 'BEGIN { exit !(now > m + s + 0.2) }'; }
# process PID is stopped / has ended (a zombie, or gone)
stopped() { [[ $(ps -o stat= -p "$1" 2>/dev/null) == T* ]]; }
ended() { local s; s=$(ps -o stat= -p "$1" 2>/dev/null); [[ -z $s || $s == Z* ]]; }
# the kernel lets the test read PID's /proc/PID/syscall (the mode bits alone do not say:
# Yama's ptrace_scope 2 or 3, or a sandbox, refuse the read itself)
readable_syscall() { read -r _ <"/proc/$1/syscall" 2>/dev/null; }
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

"$BIN" --filter '^late/late$' --rounds 1 --max-time 0.2 --min-time 0 --timeout 5 --format json \
  --out "$tmp/late.json" --quiet >"$tmp/out" 2>"$tmp/err" &
pid=$!
said='took longer than the timeout of 5 s' # the late answer's message
if running_until $pid test -s "$tmp/late/pids"; then
  read -r binary worker poll ppoll <"$tmp/late/pids"
  [ "$binary" = "$pid" ] || fail "the worker's parent $binary is not the binary $pid"
  if readable_syscall "$binary"; then
    stop_in_poll "$binary" || fail "the binary was never stopped in poll"
  else # no /proc/PID/syscall: stopped wherever it is, maybe before its poll saw the clock
    said='took longer than the timeout of 5 s|timed out after 5 s'
    kill -STOP "$binary"
    within 60 stopped "$binary" || fail "the binary was not stopped"
  fi
  within 60 older_than 5 "$tmp/late/pids" || fail "the deadline never passed"
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

# The memory pass's counting process (docs/memory.md) answering its worker only past
# the deadline the worker gave it: not taken, the block says the counting process did
# not answer in time.  The fixture's counting process (TACH_TEST_LATE_MEM) writes
# DIR/pids and waits for DIR/go; the test stops the binary (so that its own deadline,
# which follows the counting process's, kills nothing while it is held) and the worker
# in poll, makes DIR/go once both deadlines have certainly passed (5 s after the pids,
# written after both were set), waits for the counting process's end, resumes the
# worker and waits for its end.  The worker's answer, the binary still stopped, is read
# off the binary's pipe (the one read end, close-on-exec, of a pipe whose write end the
# worker held).  Before, the late counts were taken.  Under ASan no counting process is
# started (memory counting is refused): skipped.
# the pipe inodes PID holds close-on-exec with access mode MODE (0 read, 1 write)
pipes() {
  local f fl
  for f in /proc/$1/fd/*; do
    [[ $(readlink "$f") == pipe:* ]] || continue
    fl=$(awk '/^flags:/ { print $2 }' "/proc/$1/fdinfo/${f##*/}") || continue
    (((8#$fl & 8#2000000) && (8#$fl & 3) == $2)) && echo "${f##*/} $(readlink "$f")"
  done
}
if [ "${TACH_TEST_SANITIZE:-OFF}" = ON ]; then
  ok "the memory pass's late answer: skipped (no counting process under ASan)"
else
  mkdir "$tmp/mem"
  env -u TACH_TEST_LATE TACH_TEST_LATE_MEM="$tmp/mem" "$BIN" --filter '^late/late$' --memory --rounds 1 \
    --max-time 0.2 --min-time 0 --timeout 5 --format json --out "$tmp/mem.json" --quiet \
    </dev/null >"$tmp/out" 2>"$tmp/err" &
  pid=$!
  : >"$tmp/answer"
  if running_until $pid test -s "$tmp/mem/pids"; then
    read -r worker counter poll ppoll <"$tmp/mem/pids"
    kill -STOP $pid
    within 60 stopped $pid || fail "the binary was not stopped"
    [ "$(ps -o ppid= -p "$worker" | tr -d ' ')" = "$pid" ] || fail "the worker $worker is not the binary's child"
    if readable_syscall "$worker"; then
      stop_in_poll "$worker" || fail "the worker was never stopped in poll"
    else # stopped wherever it is: it may see the deadline itself (the same message)
      kill -STOP "$worker"
      within 60 stopped "$worker" || fail "the worker was not stopped"
    fi
    # the binary's read end of the worker's pipe (the worker's write end, same inode)
    w=$(pipes "$worker" 1 | awk '{ print $2 }')
    fd=$(pipes $pid 0 | while read -r n ino; do grep -qxF "$ino" <<<"$w" && echo "$n"; done | head -1)
    [ -n "$fd" ] || fail "no pipe from the worker to the binary: $(ls -l /proc/$pid/fd)"
    within 60 older_than 5 "$tmp/mem/pids" || fail "the deadline never passed"
    : >"$tmp/mem/go"
    within 60 ended "$counter" || fail "the counting process never ended"
    kill -CONT "$worker"
    within 60 ended "$worker" || fail "the worker never ended"
    [ -n "$fd" ] && timeout 60 cat "/proc/$pid/fd/$fd" >"$tmp/answer"
    kill -CONT $pid
  else
    fail "the counting process never wrote its pids: $(head -c 400 "$tmp/err")"
  fi
  wait $pid; rc=$?
  # jqt fails on an empty answer (jq -e alone holds on no input)
  if jqt '.memory | (.unavailable // "" | test("^memory counting unavailable: the counting process did not answer within [0-9.]+ s")) and (has("allocs_per_iter") | not)' \
    "$tmp/answer"; then
    ok "the memory pass's late answer: not taken"
  else
    fail "the memory pass's late answer was taken (or none was read): $(jq -c .memory "$tmp/answer" 2>/dev/null || head -c 400 "$tmp/answer")"
  fi
  # the binary, held past its own deadline, has the worker's answer late too
  [ "$rc" = 1 ] && ok "the binary held: exit 1" || fail "the binary held: exit $rc (want 1): $(head -c 400 "$tmp/err")"
  check "the binary held: status timeout" jqt \
    '[.benchmarks[] | select(.name == "late/late") | .status == "timeout" and (.message | test("took longer than the timeout of 5 s|timed out after 5 s"))] == [true]' \
    "$tmp/mem.json"
fi

# the same benchmark not held: ok
expect 0 env -u TACH_TEST_LATE "$BIN" --rounds 1 --max-time 0.2 --min-time 0 --timeout 60 --format json --quiet &&
  out_jq '[.benchmarks[].status] == ["ok"]' && ok "not held: ok"
finish
