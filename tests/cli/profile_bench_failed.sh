#!/usr/bin/env bash
# profile_bench_failed.sh - `tach profile --baseline REF` of a benchmark binary one of
# whose benchmarks crashes (fixture isolation: iso/segfault) and which exits 1: the
# tables of the others are printed, with their change column (none was: the document
# the binary wrote was read only when it exited 0) and the crashed one's 'profile of
# NAME: none (crashed: ...)' line, and tach exits 1.
source "$(dirname "$0")/lib.bash"
FIX=$TACH_BUILD/tests/fixture_isolation
cd "$tmp" || exit 1
sel=(--filter '^iso/(healthy_first|segfault)$' --max-time 0.3)

expect 1 "$TACH" profile --profile-hz 4999 --profile-dir "$tmp/p" --top 2 -- "$FIX" "${sel[@]}"
out_has '^Top 2 of iso/healthy_first \(self time\):$'
ls "$tmp"/p/iso_healthy_first-*.folded >/dev/null 2>&1 && ok "healthy_first's profile written" ||
  fail "no profile of healthy_first: $(ls "$tmp/p" 2>&1)"

expect 1 "$TACH" profile --profile-hz 4999 --baseline "$tmp/p" --profile-dir "$tmp/q" --top 2 -- "$FIX" "${sel[@]}"
out_has '^Top 2 of iso/healthy_first \(self time\):$' &&
  out_has '^rank +function +file:line +self % +total % +samples +change$' &&
  ok "--baseline: healthy_first's table, with the change column"
out_has "^change: the self share against $tmp/p, in points"
# a row without debug information names its binary, as the binary's own table does
# (it showed '-' here)
out_lacks '^ +1 +tach__fn_healthy_first +- '
# ... and the crashed one's line in its place (the binary's stdout, where it says so, is
# not shown under --baseline: the line was lost)
out_has '^profile of iso/segfault: none \(crashed: killed by signal 11 \(SIGSEGV\)\)$'
err_has "exited with status 1"
finish
