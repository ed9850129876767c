#!/usr/bin/env bash
# profile_remarks.sh - compiler optimization remarks joined to measured hot code
# (`tach findings --remarks`, docs/profiling.md, issue #13 section 3): a small C
# program built here spends its time in hot_scan, whose loop carries a dependence
# (x[i] needs x[i-1]: gcc cannot vectorize it, HOT_LOOP), and runs cold_find once,
# whose loop has an early exit (control flow: not vectorized either, COLD_LOOP).
# Only the hot loop's missed vectorization is reported, with hot_scan's share; the
# flags come from --cflags or from a compile_commands.json (-p DIR); without gcc on
# PATH, one line naming the package.  gcc runs in the compile_commands.json entry's
# directory: rem.c's header is found through a relative -Iinc there, with tach run
# from another directory.
source "$(dirname "$0")/lib.bash"
command -v gcc >/dev/null || { echo "no gcc: skipped"; exit 77; }
cd "$tmp" || exit 1
mkdir inc elsewhere
echo '#define REM_HALF 0.5' >inc/rem_half.h
cat >rem.c <<'C'
#include <stdio.h>
#include <stdlib.h>
#include "rem_half.h"
__attribute__((noinline)) void hot_scan(double *x, const double *y, int n)
{
    for (int i = 1; i < n; i++) x[i] = x[i - 1] * REM_HALF + y[i]; /* HOT_LOOP */
}
__attribute__((noinline)) int cold_find(const int *a, int n, int key)
{
    for (int i = 0; i < n; i++) /* COLD_LOOP */
        if (a[i] == key) return i;
    return -1;
}
int main(void)
{
    int n = 4096;
    double *x = calloc(n, sizeof *x), *y = calloc(n, sizeof *y);
    int *a = calloc(n, sizeof *a);
    for (int i = 0; i < n; i++) y[i] = i, a[i] = i;
    int k = cold_find(a, n, n - 1);
    for (int r = 0; r < 40000; r++) hot_scan(x, y, n);
    printf("%g %d\n", x[n - 1], k);
    return 0;
}
C
gcc -O2 -g -fno-omit-frame-pointer -Iinc "$tmp/rem.c" -o rem || { fail "gcc"; finish; }
HOT=$(grep -n 'HOT_LOOP' rem.c | cut -d: -f1)
COLD=$(grep -n 'COLD_LOOP' rem.c | cut -d: -f1)

expect 0 "$TACH" findings --remarks --profile-dir "$tmp/p" --cflags "-O2 -g -I$tmp/inc" ./rem
out_has '^Compiler remarks in the hot code \(gcc -fsave-optimization-record, 1 source file\):$'
out_has "^ +1 +[0-9.]+% +hot_scan +[^ ]*rem\\.c:$HOT +vectorization: couldn't vectorize loop$"
out_lacks "rem\\.c:$COLD "
out_lacks '^ +[0-9]+ +[0-9.]+% +cold_find '
out_has '^\([1-9][0-9]* more in code without samples, left out\)$'
share=$(awk '$1 == "1" && $3 == "hot_scan" { sub("%", "", $2); print $2 }' "$tmp/out" | tail -1)
awk -v x="$share" 'BEGIN { exit !(x >= 50 && x <= 100) }' && ok "the remark's share ${share}% is hot_scan's" || fail "share '$share'"

# the flags of compile_commands.json (-p DIR), run in its "directory" (-Iinc is
# relative to it; tach runs from elsewhere/): -O1 does not vectorize at all, so no remark
# on hot_scan and none about vectorization (main's loop around the call may take a sample
# on a busy machine, and then main's calls that were not inlined are listed: allowed)
mkdir cc
printf '[{"directory": "%s", "file": "rem.c", "arguments": ["gcc", "-O1", "-g", "-Iinc", "-c", "rem.c", "-o", "rem.o"]}]\n' "$tmp" >cc/compile_commands.json
cd elsewhere || exit 1
expect 0 "$TACH" findings --remarks -p "$tmp/cc" --profile-dir "$tmp/p" "$tmp/rem"
out_lacks 'vectorization: '
out_lacks '^ +[0-9]+ +[0-9.]+% +hot_scan '
out_has '^(no missed vectorization or inlining in code with samples|Compiler remarks in the hot code .*)$'
out_lacks 'could not compile'
printf '[{"directory": "%s", "file": "rem.c", "command": "gcc -O3 -g -Iinc -c rem.c -o rem.o"}]\n' "$tmp" >../cc/compile_commands.json
expect 0 "$TACH" findings --remarks -p "$tmp/cc" --profile-dir "$tmp/p" "$tmp/rem"
out_has "hot_scan +[^ ]*rem\\.c:$HOT +vectorization: couldn't vectorize loop$"
out_lacks 'could not compile'
[ -z "$(ls "$tmp/elsewhere")" ] && ok "nothing left in tach's directory" || fail "left in elsewhere/: $(ls "$tmp/elsewhere")"
cd "$tmp" || exit 1

# a remark is one line: gcc appends its inliner's summary ("Unit growth for small function
# inlining: 13->13 (0%)", "Inlined 0 calls") to the pass's last remark, here main's call of
# ext_step, which is in another file (main's own loop has most samples)
cat >two.c <<'C'
#include <stdio.h>
double ext_step(double x, int i);
int main(void)
{
    double x = 0, y = 1;
    for (int r = 0; r < 3000000; r++) {
        x = ext_step(x, r); /* MAIN_LOOP */
        for (int k = 0; k < 40; k++) y = y * 0.999 + k; /* main's own time */
    }
    printf("%g %g\n", x, y);
    return 0;
}
C
echo 'double ext_step(double x, int i) { return x * 0.5 + i; }' >ext.c
gcc -O1 -g two.c ext.c -o two || fail "gcc two.c"
MAIN=$(grep -n 'MAIN_LOOP' two.c | cut -d: -f1)
expect 0 "$TACH" findings --remarks --profile-dir "$tmp/p2" --cflags "-O1 -g" ./two
out_has "^ +[0-9]+ +[0-9.]+% +main +[^ ]*two\\.c:$MAIN +inlining: not inlinable: main/[0-9]+ -> ext_step/[0-9]+, function body not available$"
out_lacks 'Unit growth|Inlined [0-9]+ calls'

# without --remarks: no remarks; gcc missing: said, the rest still done
expect 0 "$TACH" findings --profile-dir "$tmp/p" --cflags "-O2 -g -I$tmp/inc" ./rem
out_lacks 'Compiler remarks'
mkdir empty
PATH=$tmp/empty expect 0 "$TACH" findings --remarks --profile-dir "$tmp/p" ./rem
out_has '^note: gcc is not installed \(Debian package gcc\): no compiler remarks$'
compgen -G 'p/rem-*.svg' >/dev/null && ok "the profile is still written" || fail "no profile"
expect 0 "$TACH" findings --help
out_has '--remarks'
finish
