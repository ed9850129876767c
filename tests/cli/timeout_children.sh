#!/bin/bash
# timeout_children.sh - what a timed-out (or interrupted) command or benchmark started
# does not outlive it: a command of `tach run` leads a process group of its own, and so
# do the command of `tach profile` and a benchmark binary's worker (and its Valgrind
# run), killed whole at --timeout or SIGTERM.  The worker and the profiled command were
# killed alone (and tach profile, at SIGTERM, ended without passing it on): what they had
# started kept running after tach had exited.  Each case's
# processes carry a marker of their own (their name), looked for with pgrep;
# killed ones get up to 10 s to go (a busy machine), and the exit trap kills any left.
source "$(dirname "$0")/lib.bash"
BIN=$TACH_BUILD/tests/fixture_forker
M=tach_timeout_children_$$
trap 'for p in $(pgrep -f "$M"); do kill -KILL "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT

# a shell command that starts a process in the background and waits for another, both
# named with the marker (bash's exec -a), so that nothing it starts goes unseen
starter() { echo "bash -c 'exec -a $M.$1 sleep 300' & exec bash -c 'exec -a $M.$1 sleep 300'"; }
gone() { # CASE: no process of that case is left, after up to 10 s
  local i
  for i in $(seq 100); do pgrep -f "$M\.$1" >/dev/null || return 0; sleep 0.1; done
  echo "left running: $(pgrep -af "$M\.$1")" >&2
  return 1
}
started() { # CASE: both of its shells are running (within 30 s)
  local i
  for i in $(seq 300); do [ "$(pgrep -f "$M\.$1" | wc -l)" -ge 2 ] && return 0; sleep 0.1; done
  return 1
}

# ---- tach run: a command's background child ----
if expect 1 timeout 120 "$TACH" run --no-store --style none --runs 1 --timeout 1 --shell "$(starter run)"; then
  err_has "timeout"
  check "tach run --timeout: what the command started went with it" gone run
fi

# ---- tach profile: the profiled command's background child, at --timeout and SIGTERM ----
if expect 1 timeout 120 "$TACH" profile --timeout 1 -- sh -c "$(starter prof)"; then
  err_has "the profiled run timed out after 1 s (killed)"
  check "tach profile --timeout: what the command started went with it" gone prof
fi
"$TACH" profile -- sh -c "$(starter profterm)" >profterm.out 2>profterm.err &
pid=$!
if started profterm; then
  kill -TERM "$pid"
else
  bad "tach profile: the command's processes did not start within 30 s: $(cat profterm.err)"
  kill -KILL "$pid"
fi
wait "$pid"
rc=$?
[ "$rc" -eq 143 ] && ok "tach profile: SIGTERM ended it as before (143)" || bad "tach profile: exit $rc after SIGTERM"
check "tach profile, SIGTERM: passed to what the command started, which ended" gone profterm

# ---- a benchmark binary's worker: what the benchmark started ----
if FIXTURE_CHILD_CMD=$(starter bin) expect 1 timeout 120 "$BIN" --filter stuck_starter --timeout 1 \
     --max-time 50ms --format json --quiet; then
  out_jq '.benchmarks[0].status == "timeout"' && ok "the stuck benchmark timed out"
  check "benchmark --timeout: what the benchmark started went with its worker" gone bin
fi
# the same through tach run
if FIXTURE_CHILD_CMD=$(starter tach) expect 1 timeout 120 "$TACH" run --no-store --style none --timeout 1 \
     --filter stuck_starter --export-json run.json "$BIN"; then
  jqc "tach run BIN: the stuck benchmark timed out" run.json '.benchmarks[0].status == "timeout"'
  check "tach run BIN --timeout: what the benchmark started went with its worker" gone tach
fi

# ---- SIGTERM while the worker waits: killed with what it started, the run partial ----
# (SIGTERM: a background job of a script has SIGINT ignored, and the binary keeps it so)
FIXTURE_CHILD_CMD=$(starter int) "$BIN" --filter stuck_starter --timeout 100 --max-time 50ms \
  --format json --quiet >int.json 2>int.err &
pid=$!
if started int; then
  kill -TERM "$pid"
else
  bad "the benchmark's shells did not start within 30 s: $(cat int.err)"
  kill -KILL "$pid"
fi
wait "$pid"
rc=$?
[ "$rc" -eq 1 ] && ok "interrupted: exit 1" || bad "interrupted: exit $rc, expected 1: $(cat int.err)"
check "interrupted: the partial document" jqt '.partial == true' int.json
check "interrupted: what the benchmark started went with its worker" gone int

finish
