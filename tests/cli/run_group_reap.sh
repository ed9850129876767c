#!/usr/bin/env bash
# run_group_reap.sh - what a run left in its process group is killed while the run's
# own process is still unreaped: its pid is the group's id, and a reaped leader's pid is
# free once its group is empty, so a kill(-PID, SIGKILL) sent after the wait4 that reaped
# PID could reach an unrelated group that took the id (tach reaped first, then killed).
# Read from tach's system calls (strace); skipped without strace.  No timing dependence:
# each command ends, or waits for a signal, never for a time.
source "$(dirname "$0")/lib.bash"

# kill(-P, SIGKILL) lines that come after the wait4 that reaped P.
killed_after_reap() {
  awk 'match($0, /^wait4\([0-9]+,/) { p = substr($0, 7, RLENGTH - 7); if ($NF == p) reaped[p] = 1 }
       match($0, /^kill\(-[0-9]+, SIGKILL\)/) { p = substr($0, 7, RLENGTH - 16); if (p in reaped) print }' "$1"
}
# kill(-P, SIGKILL) lines that come before the wait4 that reaped P.
killed_before_reap() {
  awk 'match($0, /^wait4\([0-9]+,/) { p = substr($0, 7, RLENGTH - 7); if ($NF == p) reaped[p] = 1 }
       match($0, /^kill\(-[0-9]+, SIGKILL\)/) { p = substr($0, 7, RLENGTH - 16); if (!(p in reaped)) print }' "$1"
}
# NAME MIN STRACE: at least MIN groups killed, each before its leader was reaped.
killed_unreaped() {
  local late n
  late=$(killed_after_reap "$3")
  n=$(killed_before_reap "$3" | wc -l)
  if [ -z "$late" ] && [ "$n" -ge "$2" ]; then
    ok "$1: its group killed while it was unreaped"
  else
    bad "$1: $n group kill(s) before the reap (want $2), after it: ${late:-none} ($(grep -E '^(kill|wait4)' "$3" | tail -4))"
  fi
}

if ! command -v strace >/dev/null || ! strace -o /dev/null true 2>/dev/null; then
  ok "the group is killed before the reap (not checked: no strace)"
  finish
fi
st() { timeout 60 strace -e trace=kill,wait4,waitid -o "$W/strace" "$TACH" "$@" >"$W/out" 2>"$W/err"; }

# A run that ended, leaving a sleep behind: the sleep is killed, then the run reaped.
st run --no-store --runs 3 --style none -- sh -c 'sleep 300 & :'
killed_unreaped "tach run, a run leaving a sleep behind" 3 "$W/strace"

# Past --timeout, ended on the SIGTERM with nothing left in its group.
st run --no-store --runs 1 --timeout 0.3 --style none -- sleep 300
killed_unreaped "tach run --timeout, ended on the SIGTERM" 1 "$W/strace"

# Ended on the SIGTERM, what it started ignoring it: killed after the grace.
st run --no-store --runs 1 --timeout 0.3 --style none \
  -- sh -c 'trap "exit 3" TERM; sh -c "trap \"\" TERM; exec sleep 300" & wait'
killed_unreaped "tach run --timeout, a child left ignoring SIGTERM" 1 "$W/strace"

# Ignoring the SIGTERM itself: SIGKILL after the grace.
st run --no-store --runs 1 --timeout 0.3 --style none -- sh -c 'trap "" TERM; sleep 300'
killed_unreaped "tach run --timeout, a command ignoring SIGTERM" 1 "$W/strace"

# tach stability and tach ab time their runs the same way.
st stability --runs 2 --reps 1 "sh -c 'sleep 300 & :'"
killed_unreaped "tach stability" 2 "$W/strace"
st ab --min-pairs 3 --max-pairs 3 -w 0 "sh -c 'sleep 300 & :'" true
killed_unreaped "tach ab" 3 "$W/strace"
finish
