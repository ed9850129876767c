#!/usr/bin/env bash
# run_leftovers.sh - what a timed run leaves running in its process group (a shell's
# 'cmd &') is killed once the run ended: left alone, one more such process per run
# competed for the CPUs with every later run (and a fast command left thousands).  A
# --setup's or --prepare's is kept: a server it starts is there for the runs.  tach ab
# and tach stability time their commands the same way.
source "$(dirname "$0")/lib.bash"

alive() { # FILE: a pid listed in FILE still runs (not a zombie)
  local p
  for p in $(cat "$1" 2>/dev/null); do ps -o stat= -p "$p" | grep -qv Z && return 0; done
  return 1
}
gone() { ! alive "$1"; }
cleanup() { local f p; for f in "$W"/*.pids; do for p in $(cat "$f" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done; done; }
trap 'cleanup; rm -rf "$tmp"' EXIT

trun --runs 3 --style none -- sh -c 'sleep 300 & echo $! >>runs.pids'
expect_rc 0 "three runs, each leaving a sleep behind"
if [ "$(wc -l <"$W/runs.pids")" = 3 ] && within 60 gone "$W/runs.pids"; then
  ok "what the runs left running was killed"
else
  bad "left running after tach run ended: $(cat "$W/runs.pids")"
fi

trun --runs 2 --warmup-runs 1 --style none --shell 'sleep 300 & echo $! >>shell.pids'
expect_rc 0 "--shell: runs leaving a sleep behind"
if [ "$(wc -l <"$W/shell.pids")" = 3 ] && within 60 gone "$W/shell.pids"; then
  ok "--shell: what the runs and the warm-up left running was killed"
else
  bad "--shell: left running after tach run ended: $(cat "$W/shell.pids")"
fi

# A --setup's and a --prepare's are kept (killed here, by the test).
trun --runs 1 --style none --setup 'sleep 300 & echo $! >setup.pids' \
  --prepare 'sleep 300 & echo $! >prepare.pids' true
expect_rc 0 "--setup and --prepare leaving a sleep behind"
check "--setup's kept running" alive "$W/setup.pids"
check "--prepare's kept running" alive "$W/prepare.pids"

for c in ab stability; do
  if [ $c = ab ]; then args=(--min-pairs 3 --max-pairs 3 -w 0 "sh -c 'sleep 300 & echo \$! >>$c.pids'" true)
  else args=(--runs 2 --reps 1 "sh -c 'sleep 300 & echo \$! >>$c.pids'"); fi
  "$TACH" $c "${args[@]}" >"$W/out" 2>"$W/err"
  if [ -s "$W/$c.pids" ] && within 60 gone "$W/$c.pids"; then
    ok "tach $c: what the runs left running was killed"
  else
    bad "tach $c: left running: $(cat "$W/$c.pids" 2>/dev/null) ($(head -c 300 "$W/err"))"
  fi
done
finish
