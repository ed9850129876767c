#!/usr/bin/env bash
# profile_timeout.sh - --timeout bounds a profiled benchmark binary (docs/profiling.md,
# docs/benchmark-binaries.md), as it bounds a command: the isolation fixture's
# healthy_first, given TACH_TEST_HOLD, waits in a profiled run while HOLD exists (60 s at
# most), having appended "profiled" to the mark.  The test removes HOLD only at the end:
# nothing but the timeout can end the hold sooner.  Before, the profiled binary was given
# no limit by tach (the binary's own 60 s per worker, or none with --no-isolate, where the
# fixture holds at every sample).  The outer timeout 300 only keeps a broken tach from
# hanging the test run.
#
#   tach profile --timeout S BINARY: the binary's whole run: after S stopped as a Ctrl-C
#     stops it (SIGINT to its group), the profiles of the benchmarks it finished kept and
#     marked partial (none here: the one it holds in is dropped), exit 1.
#   tach profile --timeout S COMMAND: killed with its group after S, the samples so far
#     kept (printed, written, marked partial), exit 1.
#   tach run --timeout S --profile BINARY: as in the timed runs, each benchmark of the
#     profiled run is bounded by S (passed to the binary as --timeout); a hang outside a
#     worker (--no-isolate) is killed, group and all, past cli_bench_kill_after (N x
#     (S + 10 s) + 10 s).
source "$(dirname "$0")/lib.bash"
BIN="$TACH_BUILD/tests/fixture_isolation"
export TACH_TEST_MARK=$tmp/mark TACH_TEST_HOLD=$tmp/HOLD

# the processes that still hold (their environment names this test's HOLD)
holders() { grep -l "TACH_TEST_HOLD=$tmp/HOLD" /proc/[0-9]*/environ 2>/dev/null; }
after() { # TEXT: the held binary is gone, and so are tach's temporary files
  local left; left=$(holders)
  [ -z "$left" ] && ok "$1: the held binary and its group were killed and reaped" ||
    fail "$1: still running: $left"
  left=$(ls -d "$tmp"/tach-* 2>/dev/null)
  [ -z "$left" ] && ok "$1: no temporary file left" || fail "$1: left $left"
}
held_once() { lines_at_least 1 '^profiled$' "$tmp/mark"; }

# ---- tach profile ---------------------------------------------------------------------------
rm -f "$tmp/mark"
: >"$tmp/HOLD"
timeout 300 "$TACH" profile --profile-dir "$tmp/p" --timeout 1 -- "$BIN" --filter '^iso/healthy_first$' \
  --max-time 0.3 >"$tmp/out" 2>"$tmp/err" &
pid=$!
running_until $pid held_once || fail "tach profile: the binary never held: $(head -c 400 "$tmp/err")"
wait $pid; rc=$?
[ "$rc" = 1 ] && ok "tach profile --timeout 1: exit 1" || fail "tach profile --timeout 1: exit $rc (want 1)"
err_has 'tach profile: the profiled run timed out after 1 s (stopped with SIGINT): no profile kept: no benchmark was finished or had samples before it'
out_lacks '^partial:'
after "tach profile"

# A benchmark finished, the next one hangs: the binary is stopped at the timeout as a
# Ctrl-C stops it, and the finished one's profile is kept, printed and marked partial.
# Before, the binary was killed and nothing kept.  Whether healthy_first finished within
# the 10 s is the machine's business: the mark says so ("hang" follows it), and only
# then is its profile required.
rm -f "$tmp/mark" "$tmp/HOLD"
expect 1 timeout 300 "$TACH" profile --profile-dir "$tmp/ph" --timeout 10 -- "$BIN" \
  --filter '^iso/(healthy_first|hang)$' --max-time 0.05
err_has 'tach profile: the profiled run timed out after 10 s (stopped with SIGINT): '
if grep -qx hang "$tmp/mark"; then
  err_has 'tach profile: the profiled run timed out after 10 s (stopped with SIGINT): printed the profile so far (marked partial)'
  out_has '^partial: timed out after 10 s \(the profile of the program.s run until then\)$'
  check "healthy_first's profile written" bash -c "test -s $tmp/ph/iso_healthy_first-*.folded"
else
  ok "healthy_first did not finish within 10 s: its profile not required"
fi
after "tach profile, a benchmark hung"
: >"$tmp/HOLD"

# A command (no benchmark binary) that never ends: killed at the timeout, the samples
# taken until then are kept, written and printed, marked partial, exit 1 still.  Before,
# they were dropped: 'timed out after 1 s (killed)' and nothing kept.  A machine so loaded
# that the loop got no sample in its second says so instead.
expect 1 timeout 300 "$TACH" profile --profile-dir "$tmp/pc" --timeout 1 -- sh -c 'while :; do :; done'
if grep -qF 'no profile kept: no sample was taken before it' "$tmp/err"; then
  ok "tach profile --timeout 1 of a command: no sample before it, said so"
  out_lacks '^partial:'
else
  err_has 'tach profile: the profiled run timed out after 1 s (killed): printed the profile so far (marked partial)' &&
    ok "tach profile --timeout 1 of a command: the profile so far kept"
  out_has '^partial: timed out after 1 s \(the profile of the program.s run until then\)$'
  out_has '^profile: .*/pc/.*\{folded,speedscope.json,svg\}$'
  check "its folded stacks written, with samples" grep -qE ' [1-9][0-9]*$' "$tmp"/pc/*.folded
fi

# ---- tach run --profile ---------------------------------------------------------------------
private_store
rm -f "$tmp/mark"
timeout 300 "$TACH" run --processes 1 --max-time 0.05 --timeout 1 --style basic --profile --profile-dir "$tmp/rp" \
  --export-json "$tmp/rb.json" "$BIN" --filter '^iso/healthy_first$' >"$tmp/out" 2>"$tmp/err" &
pid=$!
running_until $pid held_once || fail "tach run --profile: the binary never held: $(head -c 400 "$tmp/err")"
wait $pid; rc=$?
[ "$rc" = 1 ] && ok "tach run --timeout 1 --profile: exit 1" || fail "tach run --profile: exit $rc (want 1)"
err_has 'tach run: --profile: iso/healthy_first: the profiled run took longer than the timeout of 1 s (no profile kept)'
jqc "the timed results stand, without a profile" rb.json \
  '[.benchmarks[] | select(.name == "iso/healthy_first") | .status] == ["ok"] and (.context.profiles // {} | length) == 0'
after "tach run --profile"

# --no-isolate: the hold is in the binary's own process, which no --timeout of its own
# bounds; tach kills it past 1 x (1 + 10) + 10 = 21 s
rm -f "$tmp/mark"
timeout 300 "$TACH" run --no-store --processes 1 --max-time 0.3 --timeout 1 --style basic --profile \
  --profile-dir "$tmp/rp" "$BIN" --filter '^iso/healthy_first$' -- --no-isolate >"$tmp/out" 2>"$tmp/err" &
pid=$!
running_until $pid held_once || fail "--no-isolate: the binary never held: $(head -c 400 "$tmp/err")"
wait $pid; rc=$?
[ "$rc" = 1 ] && ok "--no-isolate: exit 1" || fail "--no-isolate: exit $rc (want 1)"
err_has 'the profiled run took longer than 21 s (the timeout of 1 s for each of its 1 benchmark'
after "--no-isolate"

rm -f "$tmp/HOLD"
finish
