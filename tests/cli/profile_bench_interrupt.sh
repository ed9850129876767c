#!/usr/bin/env bash
# profile_bench_interrupt.sh - Ctrl-C during `tach profile BINARY` of a libtach benchmark
# binary, and during the profiled run of `tach run --profile` (docs/profiling.md,
# *Ctrl-C*).  tach is started in the background, so it has SIGINT ignored, and
# signalled alone (as a script's kill): the signal must still be taken and passed on.
#
# tach profile: the binary is passed a SIGINT (whichever signal came, as tach run passes
# one to a worker): libtach keeps the benchmarks it finished and prints their profiles;
# tach marks the output partial and exits 128 + the signal.  The isolation fixture's
# `hang` benchmark appends "hang" to $TACH_TEST_MARK before it hangs: the signal goes
# then, healthy_first having been profiled.  Before, tach died of the signal (or, with
# SIGINT ignored, did nothing) and its pdeath signal took the binary with it.
#
# tach run --profile: the timed results stand; the profiled run's profile is dropped with
# a note and tach run does as on any Ctrl-C: results printed and exported, marked
# partial, nothing recorded in the store, exit 130.  Before, the profiled run killed by the
# SIGINT passed on was a failure (exit 1) and the run was recorded.
source "$(dirname "$0")/lib.bash"
BIN="$TACH_BUILD/tests/fixture_isolation"
export TACH_TEST_MARK=$tmp/mark
private_store

# profiled SIG [OPTIONS...]: tach profile of healthy_first, hang, healthy_last, SIG sent once
# hang runs; $rc.  The binary's --timeout bounds hang when nothing stops it.
profiled() {
  local sig=$1; shift
  rm -f "$tmp/mark"
  "$TACH" profile --profile-dir "$tmp/p" --top 3 "$@" -- "$BIN" --filter 'healthy_first|hang|healthy_last' \
    --max-time 0.3 --timeout 20 >"$tmp/out" 2>"$tmp/err" &
  signal_when "$sig" $! lines_at_least 1 '^hang$' "$tmp/mark"
}

profiled INT
[ "$rc" = 130 ] && ok "Ctrl-C: exit 130" || fail "Ctrl-C: exit $rc (want 130): $(head -c 600 err)"
out_has '^Top 3 of iso/healthy_first '
out_has '^ +1 +tach__fn_healthy_first '
out_has '^partial: interrupted by SIGINT '
err_has 'interrupted by SIGINT after 1 of 3 benchmarks; the results are partial'
err_has 'tach profile: interrupted by SIGINT: printed the profile so far (marked partial)'
# hang, cut short, and healthy_last, never run, have no profile for the interruption, not
# for a measured region "shorter than one sampling period" (what they said before)
out_has '^profile of iso/hang: none \(the run was interrupted before this benchmark finished\)$'
out_has '^profile of iso/healthy_last: none \(the run was interrupted before this benchmark finished\)$'
out_lacks 'sampling period'
grep -q 'exited with' err && fail "the binary's end by the SIGINT passed on was called a failure: $(cat err)"
ls p/iso_healthy_first-*.folded >/dev/null 2>&1 && ok "the finished benchmark's folded stacks were written" ||
  fail "no p/iso_healthy_first-HASH.folded: $(ls p 2>&1)"

# SIGTERM and SIGHUP are passed on as SIGINT (libtach's runner does not stop on SIGHUP)
profiled TERM
[ "$rc" = 143 ] && ok "SIGTERM: exit 143" || fail "SIGTERM: exit $rc (want 143): $(head -c 600 err)"
out_has '^partial: interrupted by SIGTERM '
profiled HUP
[ "$rc" = 129 ] && ok "SIGHUP: exit 129" || fail "SIGHUP: exit $rc (want 129): $(head -c 600 err)"
out_has '^Top 3 of iso/healthy_first '
out_has '^partial: interrupted by SIGHUP '

# --baseline: tach prints the tables (the binary's stdout is not shown) from its partial document
profiled INT --baseline "$tmp/p"
[ "$rc" = 130 ] && ok "--baseline: exit 130" || fail "--baseline: exit $rc (want 130): $(head -c 600 err)"
out_has '^Top 3 of iso/healthy_first '
out_has '^partial: interrupted by SIGINT '

# --no-isolate: the benchmark cut short keeps its samples in the binary's process, and its
# profile is printed too (here by tach, from the partial document: --baseline); the signal
# goes after 100 calls of it (fixture_rounds appends a line per call to $TACH_TRACE)
TACH_TRACE=$tmp/trace "$TACH" profile --profile-dir "$tmp/p5" --top 3 --baseline "$tmp/p" -- \
  "$TACH_BUILD/tests/fixture_rounds" --no-isolate --filter '^(first|second)$' --max-time 20 \
  --precision 0.0001 >"$tmp/out" 2>"$tmp/err" &
signal_when INT $! lines_at_least 100 '^second ' "$tmp/trace"
[ "$rc" = 130 ] && ok "--no-isolate: exit 130" || fail "--no-isolate: exit $rc (want 130): $(head -c 600 err)"
out_has '^Top 3 of first '
out_has '^Top 3 of second '
out_has '^partial: interrupted by SIGINT '

# ---- tach run --profile ----------------------------------------------------------------------
# twice STATE READY: the first run (the timed one) makes STATE and ends; a later one (the
# profiled run) spins and makes READY once it has used 0.2 s of CPU; 60 s on, an alarm ends
# it (were the signal not passed on, or tach gone).
command -v cc >/dev/null || { echo "no C compiler: the tach run --profile part skipped"; finish; }
cat >twice.c <<'C'
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
int main(int argc, char **argv)
{
    if (argc < 3) return 2;
    alarm(60);
    if (access(argv[1], F_OK) != 0) {
        FILE *f = fopen(argv[1], "w");
        if (f) fclose(f);
        return 0;
    }
    volatile uint64_t x = 1;
    int told = 0;
    for (uint64_t i = 0;; i++) {
        x = x * 6364136223846793005u + 1;
        if (!told && (i & 0xfffff) == 0) {
            struct timespec t;
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
            if (t.tv_sec > 0 || t.tv_nsec > 200000000) {
                FILE *f = fopen(argv[2], "w");
                if (f) fclose(f);
                told = 1;
            }
        }
    }
}
C
cc -O1 -g twice.c -o twice || { fail "cc"; finish; }
"$TACH" run --runs 1 --warmup 0 --timeout 60 --style basic --profile --profile-dir "$tmp/rp" --export-json "$tmp/r.json" \
  -- ./twice "$tmp/STATE" "$tmp/READY" >out 2>err &
signal_when INT $! test -e "$tmp/READY"
[ "$rc" = 130 ] && ok "tach run --profile, Ctrl-C in the profiled run: exit 130" ||
  fail "tach run --profile: exit $rc (want 130): $(head -c 600 err)"
out_has 'Time'
err_has 'tach run: --profile: ./twice'
err_has 'the profiled run was interrupted by SIGINT (no profile kept)'
err_has 'tach run: interrupted by SIGINT: exporting what was measured so far (marked partial)'
jqc "the timed results are exported, marked partial, without the profile" r.json \
  '.partial == true and (.benchmarks[0].samples.ns | length) == 1 and (.context.profiles // {} | length) == 0'
if [ -e "$TACH_STORE" ]; then
  "$TACH" history --runs --format json >h.json 2>/dev/null
  jqt 'length == 0' h.json && ok "nothing recorded" || fail "the interrupted run was recorded: $(head -c 300 h.json)"
else
  ok "nothing recorded"
fi

# a benchmark binary's profiled run (the binary tach starts with --profile): the same.  The
# fixture's healthy_first, given TACH_TEST_HOLD, waits in the profiled run while HOLD exists
# (60 s at most), having appended "profiled" to the mark: the signal goes then.
rm -f "$tmp/mark"
: >"$tmp/HOLD"
TACH_TEST_HOLD=$tmp/HOLD "$TACH" run --processes 1 --max-time 0.3 --timeout 60 --style basic --profile \
  --profile-dir "$tmp/rp" --export-json "$tmp/rb.json" "$BIN" --filter '^iso/healthy_first$' >out 2>err &
signal_when INT $! lines_at_least 1 '^profiled$' "$tmp/mark"
rm -f "$tmp/HOLD"
[ "$rc" = 130 ] && ok "tach run --profile of a binary, Ctrl-C in the profiled run: exit 130" ||
  fail "tach run --profile of a binary: exit $rc (want 130): $(head -c 600 err)"
out_has '^iso/healthy_first '
err_has 'fixture_isolation: the profiled run was interrupted by SIGINT (no profile kept)'
jqc "its timed results are exported, marked partial" rb.json \
  '.partial == true and ([.benchmarks[] | select(.name == "iso/healthy_first") | .samples.ns | length > 0] | any)'
if [ -e "$TACH_STORE" ]; then
  "$TACH" history --runs --format json >h.json 2>/dev/null
  jqt 'length == 0' h.json && ok "nothing recorded" || fail "the interrupted run was recorded: $(head -c 300 h.json)"
fi

finish
