#!/usr/bin/env bash
# profile_baseline_more.sh - what tach profile --baseline REF printed less than the table
# without it: a command's count of samples in child processes that ran other programs
# (", N more in child processes that ran other programs (not shown)": the table's JSON
# had no "other"), and a benchmark binary's own notes (the fallback to setitimer, a hot
# function with no debug information: its stdout is not shown under --baseline).  Loops
# counted, not timed.
source "$(dirname "$0")/lib.bash"
cd "$tmp" || exit 1

# ---- a command whose children exec another program ---------------------------------
cat >spin.c <<'C'
#include <stdio.h>
int main(void)
{
    volatile unsigned long s = 0;
    for (unsigned long i = 0; i < 200000000UL; i++) s += i;
    printf("%lu\n", s);
    return 0;
}
C
cc -O1 -g spin.c -o spin || fail "cc spin.c"
MORE='^[1-9][0-9]* samples \(.*\), [0-9.]+% without a symbol.*, [1-9][0-9]* more in child processes that ran other programs \(not shown\)$'
SH='./spin >/dev/null; i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done'
expect 0 "$TACH" profile --profile-dir "$tmp/a" -- /bin/sh -c "$SH"
out_has "$MORE"
expect 0 "$TACH" profile --profile-dir "$tmp/b" --baseline "$tmp/a" -- /bin/sh -c "$SH"
out_has '^change: the self share against '
out_has "$MORE"

# ---- a benchmark binary's own notes -----------------------------------------------------
cat >nd.c <<'C'
unsigned long nd_spin(unsigned long n)
{
    volatile unsigned long s = 0;
    for (unsigned long i = 0; i < n; i++) s += i;
    return s;
}
C
cat >nb.c <<'C'
#include <tach.h>
unsigned long nd_spin(unsigned long n);
TACH_BENCH(spin, .group = "nd")
{
    while (tach_loop(st)) TACH_KEEP(nd_spin(200000));
}
C
san=()
[ "${TACH_TEST_SANITIZE:-OFF}" = ON ] && san=(-fsanitize=address,undefined)
# shellcheck disable=SC2046
(export PKG_CONFIG_PATH=$TACH_BUILD
 cc -O1 -g0 -shared -fPIC nd.c -o libnd.so &&
   cc -O1 -g "${san[@]}" nb.c $(pkg-config --cflags --libs tach) -ltach_main -L. -lnd -Wl,-rpath,'$ORIGIN' -o nb &&
   cc -shared -fPIC -O1 "$DATA/noperf.c" -o noperf.so -ldl) || fail "cc"
run_nb() { # the binary with perf_event refused: the fallback's note
  env LD_PRELOAD="$tmp/noperf.so" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
    "$TACH" profile "$@" --top 3 -- ./nb --max-time 0.5
}
FALLBACK='^note: perf_event_open was refused .*setitimer\(ITIMER_PROF\) instead'
NODEBUG='^note: no file:line for nd_spin: [^ ]*libnd\.so has no debug information; build it with -g$'
expect 0 run_nb --profile-dir "$tmp/n1"
out_has "$FALLBACK"
out_has "$NODEBUG"
expect 0 run_nb --profile-dir "$tmp/n2" --baseline "$tmp/n1"
out_has '^Top 3 of nd/spin \(self time\):$'
out_has '^change: the self share against '
out_has "$FALLBACK"
out_has "$NODEBUG"
# (the table's own 'note: no file:line: the code has no debug information' said it twice)
out_lacks '^note: no file:line: the code'
for re in "$FALLBACK" "$NODEBUG"; do
  [ "$(grep -cE "$re" "$tmp/out")" = 1 ] && ok "once: $re" || fail "not once: $re: $(grep -E '^(note|warning)' "$tmp/out")"
done
# after the table, as a command's
t=$(grep -n '^change: ' "$tmp/out" | head -1 | cut -d: -f1)
n=$(grep -nE "$FALLBACK" "$tmp/out" | head -1 | cut -d: -f1)
[ -n "$t" ] && [ -n "$n" ] && [ "$n" -gt "$t" ] && ok "the notes follow the table" || fail "order: $(cat "$tmp/out")"
finish
