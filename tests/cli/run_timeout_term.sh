#!/usr/bin/env bash
# tach run --timeout: a run past the timeout gets SIGTERM first (its process group), and
# SIGKILL a second later only if it has not ended, so that a command can remove what it
# made (tach sent SIGKILL at once: no trap ran, a temporary file or a started server was
# left behind).  What the command started and left running when it ended is killed then.
# No timing dependence: each command waits for a signal, never for a time.
source "$(dirname "$0")/lib.bash"

# A command that cleans up on SIGTERM: its trap runs, the run is still timed out.
trun --runs 1 --timeout 0.3 --style basic --export-json "$W/term.json" \
  -- sh -c 'trap ": >cleaned; exit 3" TERM; sleep 300 & wait'
expect_rc 1 "a run past --timeout 0.3"
jqc "status timeout" term.json '.benchmarks[0].status == "timeout"'
check "its SIGTERM trap ran (cleaned up)" test -e "$W/cleaned"

# One that ignores SIGTERM still ends: SIGKILL after the grace.
timeout 60 "$TACH" run --no-store --runs 1 --timeout 0.3 --style none --export-json "$W/ignore.json" \
  -- sh -c 'trap "" TERM; sleep 300' >"$W/out" 2>"$W/err"
rc=$?
expect_rc 1 "a run ignoring SIGTERM"
jqc "status timeout" ignore.json '.benchmarks[0].status == "timeout"'

# What the command started, ignoring SIGTERM, is killed once the command ended on it.
timeout 60 "$TACH" run --no-store --runs 1 --timeout 0.3 --style none \
  -- sh -c 'trap "exit 3" TERM; sh -c "trap \"\" TERM; echo \$\$ >left.pid; exec sleep 300" & wait' \
  >"$W/out" 2>"$W/err"
rc=$?
expect_rc 1 "a run whose child ignores SIGTERM"
left=$(cat "$W/left.pid" 2>/dev/null)
if [ -n "$left" ] && within 60 sh -c "! ps -o stat= -p $left | grep -qv Z"; then
  ok "what it left running was killed"
else
  bad "process $left the command left was not killed"; kill -KILL "$left" 2>/dev/null
fi
# A command whose shell ends on SIGTERM at once while what it started is still cleaning
# up: that gets the rest of the grace (tach killed the group as soon as the shell ended).
# The child cleans up only once the shell has ended, so only the grace lets it finish.
cat >"$W/child.sh" <<'SH'
trap 'while ps -o stat= -p "$1" | grep -qv Z; do sleep 0.01; done; : >after; exit' TERM
sleep 300 & wait
SH
rm -f "$W/after"
timeout 60 "$TACH" run --no-store --runs 1 --timeout 0.3 --style none \
  -- sh -c 'sh "$0" $$; echo' "$W/child.sh" >"$W/out" 2>"$W/err"
rc=$?
expect_rc 1 "a run whose shell ends on SIGTERM before its child"
check "the child's SIGTERM trap finished after its shell ended" test -e "$W/after"

# --timeout bounds --setup, --prepare and --cleanup too; the message names it (it said
# "timed out", no timeout named, and neither --help nor the guide said they were bounded)
for aux in setup prepare cleanup; do
  trun --runs 1 --timeout 0.3 --style none --$aux 'sleep 300' -- true
  expect_rc 1 "--$aux past --timeout 0.3"
  grep -qF -- "--$aux command 'sleep 300' timed out: it took longer than --timeout 0.3 s" "$W/err" &&
    ok "--$aux: the timeout named" || bad "--$aux: $(cat "$W/err")"
done
"$TACH" run --help >"$W/help" 2>&1
tr '\n' ' ' <"$W/help" | tr -s ' ' | grep -qF -- "--setup, --prepare and --cleanup too" &&
  ok "--help says --timeout bounds --setup, --prepare and --cleanup" || bad "--help: $(grep -A3 -- '--timeout' "$W/help")"
# SIGTERM goes once, to the group: a second one ends a runner that resets its handler.
if command -v strace >/dev/null && strace -o /dev/null true 2>/dev/null; then
  timeout 60 strace -e trace=kill -o "$W/strace" "$TACH" run --no-store --runs 1 --timeout 0.3 \
    --style none -- sh -c 'sleep 300' >"$W/out" 2>"$W/err"
  n=$(grep -c 'SIGTERM' "$W/strace")
  if [ "$n" = 1 ]; then ok "SIGTERM sent once"; else bad "SIGTERM sent $n times: $(cat "$W/strace")"; fi
  # A command that ended on the SIGTERM with nothing of its group left: no grace waited
  # for (its unreaped process was taken for its group still running, and every timeout
  # took the whole second): the group, read from /proc, is seen empty at the first look
  # (its SIGKILL then reaches its own unreaped process only: run_group_reap.sh).
  timeout 60 strace -e trace=kill,openat -o "$W/strace" "$TACH" run --no-store --runs 1 --timeout 0.3 \
    --style none -- sleep 300 >"$W/out" 2>"$W/err"
  looks=$(awk '/^kill\(-[0-9]+, SIGTERM\)/ { on = 1 } /^kill\(-[0-9]+, SIGKILL\)/ { on = 0 }
               on && /^openat\(AT_FDCWD, "\/proc", / { n++ } END { print n + 0 }' "$W/strace")
  if grep -q 'SIGTERM' "$W/strace" && [ "$looks" = 1 ]; then
    ok "a command ended on SIGTERM, its group empty: no grace"
  else
    bad "the grace was waited for an empty group: its group looked at $looks times: $(grep kill "$W/strace" | tail -3)"
  fi
else
  ok "SIGTERM sent once (not checked: no strace)"
fi
# tach ab and tach stability end a command's run the same way, and their --help says so
# (it said the run was killed).
for c in ab stability; do
  "$TACH" "$c" --help >"$W/$c.help" 2>&1
  if tr '\n' ' ' <"$W/$c.help" | grep -q "end a command's run after S (SIGTERM to its process group, *SIGKILL 1 s later)"; then
    ok "tach $c --help: --timeout sends SIGTERM, then SIGKILL"
  else
    bad "tach $c --help does not say --timeout sends SIGTERM first: $(grep -A2 -- '--timeout' "$W/$c.help")"
  fi
done
rm -f "$W/cleaned"
timeout 60 "$TACH" stability --runs 2 --reps 1 --timeout 0.3 \
  "sh -c 'trap \": >cleaned; exit 3\" TERM; sleep 300 & wait'" >"$W/out" 2>"$W/err"
rc=$?
expect_rc 1 "tach stability: a run past --timeout 0.3"
check "tach stability: its SIGTERM trap ran" test -e "$W/cleaned"
finish
