#!/usr/bin/env bash
# profile_baseline_notes.sh - tach profile --baseline REF PROGRAM (a command) prints the
# notes its report without --baseline has (they were dropped): here the hot function is
# in a library built without -g, "note: no file:line for nd_spin: libnd.so has no debug
# information".  A loop counted, not timed.
source "$(dirname "$0")/lib.bash"
cd "$tmp" || exit 1
cat >nd.c <<'C'
long nd_spin(long n)
{
    volatile long s = 0;
    for (long i = 0; i < n; i++) s += i;
    return s;
}
C
cat >m.c <<'C'
#include <stdio.h>
long nd_spin(long n);
int main(void)
{
    printf("%ld\n", nd_spin(100000000L));
    return 0;
}
C
{ gcc -O1 -g0 -shared -fPIC nd.c -o libnd.so && gcc -O1 -g m.c -L. -lnd -Wl,-rpath,'$ORIGIN' -o m; } ||
  fail "gcc"
NOTE='^note: no file:line for [^ ]+: [^ ]+ has no debug information; build it with -g$'
expect 0 "$TACH" profile --profile-dir "$tmp/a" --top 3 ./m
out_has "$NOTE"
expect 0 "$TACH" profile --profile-dir "$tmp/b" --baseline "$tmp/a" --top 3 ./m
out_has '^change: the self share against '
out_has "$NOTE"
[ "$(grep -cE "$NOTE" "$tmp/out")" = 1 ] && ok "the note once" || fail "notes: $(grep '^note' "$tmp/out")"
finish
