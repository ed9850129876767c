#!/usr/bin/env bash
# profile_bench_failed.sh - `tach profile --baseline REF` of a benchmark binary one of
# whose benchmarks crashes (fixture isolation: iso/segfault) and which exits 1: the
# tables of the others are printed, with their change column (none was: the document
# the binary wrote was read only when it exited 0) and the crashed one's 'profile of
# NAME: none (crashed: ...)' line, and tach exits 1.  A benchmark that failed after its
# samples has its table too, after a note saying so.
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

# a benchmark that fails after its samples (in its teardown) has a profile: the binary
# prints its table; with --baseline it had none, nor any line, as if never run; it is
# shown with its change column, after a note that it did not end ok
cat >pf.c <<'C'
#include <tach.h>

static void fail_at_end(tach_state *st)
{
    tach_fail(st, "the output did not check out");
}

TACH_BENCH(late_fail, .group = "pf", .teardown = fail_at_end)
{
    unsigned x = 0;
    while (tach_loop(st)) {
        x++;
        TACH_KEEP(x);
    }
}
C
san=()
[ "${TACH_TEST_SANITIZE:-OFF}" = ON ] && san=(-fsanitize=address,undefined)
# shellcheck disable=SC2046
(export PKG_CONFIG_PATH=$TACH_BUILD
 cc -O1 -g "${san[@]}" pf.c $(pkg-config --cflags --libs tach) -ltach_main -o pf) || fail "cc pf.c"
expect 1 "$TACH" profile --profile-hz 4999 --profile-dir "$tmp/f1" --top 2 -- ./pf --max-time 0.3
out_has '^Top 2 of pf/late_fail \(self time\):$'
expect 1 "$TACH" profile --profile-hz 4999 --baseline "$tmp/f1" --profile-dir "$tmp/f2" --top 2 -- ./pf --max-time 0.3
out_has '^note: pf/late_fail did not end ok \(failed: the output did not check out\): its profile is of its run until then$'
out_has '^Top 2 of pf/late_fail \(self time\):$' &&
  out_has '^ +1 +tach__fn_late_fail +[^ ]*pf\.c:[0-9]+ .* [+-][0-9.]+( \*)?$' && ok "late_fail's table, with its change"
out_has "^profile: $tmp/f2/pf_late_fail-[0-9a-f]{16}\\."
err_has "exited with status 1"

# names and failure messages with an escape sequence: shown with it as spaces, as the
# results table shows them, with and without --baseline (the tables, the note and the
# 'profile of NAME: none' line printed them raw, a name could recolour the terminal)
cat >pe.c <<'C'
#include <tach.h>

static void fail_at_end(tach_state *st)
{
    tach_fail(st, "late\033[2Jfail");
}

TACH_BENCH(late, .group = "e\033[31m", .teardown = fail_at_end)
{
    unsigned x = 0;
    while (tach_loop(st)) {
        x++;
        TACH_KEEP(x);
    }
}

TACH_BENCH(early, .group = "n\033[31m")
{
    tach_fail(st, "early\033[2Jfail");
}
C
# shellcheck disable=SC2046
(export PKG_CONFIG_PATH=$TACH_BUILD
 cc -O1 -g "${san[@]}" pe.c $(pkg-config --cflags --libs tach) -ltach_main -o pe) || fail "cc pe.c"
for dir in e1 e2; do
  base=()
  [ $dir = e2 ] && base=(--baseline "$tmp/e1")
  expect 1 "$TACH" profile --profile-hz 4999 "${base[@]}" --profile-dir "$tmp/$dir" --top 2 -- ./pe --max-time 0.3
  check "$dir: no escape sequence on stdout or stderr" bash -c "! grep -q $'\x1b' '$tmp/out' '$tmp/err'"
  out_has '^Top 2 of e \[31m/late \(self time\):$'
  out_has '^profile of n \[31m/early: none \(failed: early \[2Jfail\)$'
done
out_has '^note: e \[31m/late did not end ok \(failed: late \[2Jfail\): its profile is of its run until then$'
finish
