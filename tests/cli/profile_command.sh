#!/usr/bin/env bash
# profile_command.sh - profiles of a command (docs/profiling.md, issue #13): a small C
# program built here, whose main thread runs main_spin and a second thread
# thread_spin, is profiled by `tach run --profile -- ./small` (one more run after the
# timed ones; the thread is sampled too: the events are inherited) and by `tach
# profile ./small`; the profile is kept in the results document, compressed, and
# shown on the site's page of the command.  A second program built without frame
# pointers (-O2 -fomit-frame-pointer) still shows its hot leaf's caller (DWARF
# unwinding of the command's samples).  Under sh -c, the samples of the children that
# exec ./small are counted and reported (not symbolized).
source "$(dirname "$0")/lib.bash"
command -v cc >/dev/null || { echo "no C compiler: skipped"; exit 77; }
cd "$tmp" || exit 1
cat >small.c <<'C'
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
__attribute__((noinline)) static uint64_t main_spin(uint64_t n)
{
    uint64_t x = 1;
    for (uint64_t i = 0; i < n; i++) x = x * 6364136223846793005u + 1; /* MAIN_LINE */
    return x;
}
__attribute__((noinline)) static void *thread_spin(void *arg)
{
    uint64_t x = 3, n = (uint64_t)(uintptr_t)arg;
    for (uint64_t i = 0; i < n; i++) x = x * 2862933555777941757u + 7; /* THREAD_LINE */
    return (void *)(uintptr_t)(x & 1);
}
int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, thread_spin, (void *)(uintptr_t)100000000);
    uint64_t x = main_spin(100000000);
    void *r;
    pthread_join(t, &r);
    printf("%llu\n", (unsigned long long)x + (uintptr_t)r);
    return 0;
}
C
cc -O1 -g -fno-omit-frame-pointer -pthread small.c -o small || { fail "cc"; finish; }
MAIN_LINE=$(grep -n 'MAIN_LINE' small.c | cut -d: -f1)

expect 0 "$TACH" run --no-store --runs 2 --style basic --profile --profile-dir "$tmp/p" \
  --export-json r.json -- ./small
out_has "^ +[12] +main_spin +[^ ]*small\.c:$MAIN_LINE "
out_has '^ +[12] +thread_spin '
# ./small's stem is small and the hash of ./small (small alone is PATH's program)
out_has "^profile: $tmp/p/small-[0-9a-f]{16}\.\{folded,speedscope\.json,svg\}$"
SM=$(sed -n "s|^profile: $tmp/p/\(small-[0-9a-f]*\)\.{.*|\1|p" "$tmp/out")
for f in "$SM.folded" "$SM.speedscope.json" "$SM.svg"; do
  [ -n "$SM" ] && [ -s "p/$f" ] && ok "$f written" || fail "$f missing"
done
check "the profile kept in the document" jqt '.context.profiles["./small"].samples > 50' r.json
check "... compressed" jqt '.context.profiles["./small"].folded_zlib_base64 | length > 10' r.json
python3 "$DATA/check_profile.py" "p/$SM.folded" "p/$SM.speedscope.json" >shares.txt &&
  ok "the files read back" || fail "check_profile: $(cat shares.txt)"

# kept in the store with the run: the site's page of the command shows its flame graph
expect 0 "$TACH" run --store "$tmp/s.db" --runs 2 --style none --profile --profile-dir "$tmp/p" -- ./small
expect 0 "$TACH" site "$tmp/site" --store "$tmp/s.db"
grep -l 'class="tach-flame"' site/b/*.html >/dev/null && ok "the site shows the newest run's flame graph" ||
  fail "no flame graph in the site's pages"

expect 0 "$TACH" profile --profile-dir "$tmp/q" --top 3 ./small
out_has '^ +[12] +main_spin '
out_has '^[0-9]+ samples \(.*\), [0-9.]+% without a symbol'

# a command line longer than a file name may be (its stem cut, with a hash): its profile
# failed "File name too long" and nothing was shown (exit 1)
long=$(printf 'x%.0s' $(seq 300))
expect 0 "$TACH" profile --profile-dir "$tmp/long" --top 3 -- ./small "$long"
out_has '^ +[12] +main_spin '
out_has "^profile: $tmp/long/small_x{150}x*-[0-9a-f]{16}\\.\\{folded,speedscope\\.json,svg\\}$"
n=$(ls "$tmp/long" | wc -l)
[ "$n" = 3 ] && ok "the long command's three files" || fail "files: $(ls "$tmp/long")"

# without debug information: names from the symbol table, and the note on -g
cc -O1 -fno-omit-frame-pointer -pthread small.c -o nodebug
expect 0 "$TACH" profile --profile-dir "$tmp/q" ./nodebug
out_has '^ +[12] +main_spin '
out_has 'build it with -g'

# without frame pointers: the command's samples carry their registers and the top of
# the stack, unwound after it ends with the modules it mapped (DWARF call frame
# information), so leaf_hot's caller known_caller shows; frame pointers alone lose it
cat >nofp.c <<'C'
#include <stdint.h>
#include <stdio.h>
__attribute__((noinline)) uint64_t leaf_hot(uint64_t n, uint64_t x)
{
    for (uint64_t i = 0; i < n; i++) x = x * 6364136223846793005u + (x >> 7);
    return x;
}
__attribute__((noinline)) uint64_t known_caller(uint64_t n)
{
    uint64_t x = leaf_hot(n, 3);
    __asm__ volatile("" : "+r"(x)); /* no tail call: known_caller stays on the stack */
    return x + 1;
}
int main(void)
{
    printf("%llu\n", (unsigned long long)known_caller(200000000));
    return 0;
}
C
cc -O2 -g -fomit-frame-pointer nofp.c -o nofp || fail "cc nofp"
expect 0 "$TACH" run --no-store --runs 1 --style none --profile --profile-dir "$tmp/n" -- ./nofp
out_has '^ +1 +leaf_hot '
out_has '^[0-9]+ samples \(perf_event cpu-clock at [0-9]+ Hz, dwarf( \+ frame pointers)?\)'
NF_=$(compgen -G 'n/nofp-*.folded')
total=$(awk '{ s += $NF } END { print s + 0 }' "$NF_")
called=$(awk '/(^|;)known_caller;leaf_hot [0-9]+$/ { s += $NF } END { print s + 0 }' "$NF_")
[ "$total" -gt 0 ] && [ $((called * 100 / total)) -ge 90 ] &&
  ok "no frame pointers: $called of $total samples under known_caller" ||
  fail "no frame pointers: $called of $total under the caller: $(cat "$NF_")"
grep -qE '^main;known_caller;leaf_hot [0-9]+$' "$NF_" && ok "... and main above it" ||
  fail "no main;known_caller;leaf_hot: $(cat "$NF_")"

expect 1 "$TACH" profile --profile-dir "$tmp/q" -- sh -c 'exit 3'
err_has "exited with status 3"
# killed by a signal: named, as tach run names it (it said "exited with signal 6")
expect 1 "$TACH" profile --profile-dir "$tmp/q" -- sh -c 'kill -ABRT $$'
err_has "tach profile: sh was killed by signal 6 (SIGABRT)"
# tach started with 0 and 1 closed: the file that keeps the program's stderr got
# descriptor 0 or 1, the child put /dev/null over it, and what the failed program
# said was lost
"$TACH" profile --profile-dir "$tmp/q" -- sh -c 'echo "profiled: closed" >&2; exit 3' 0<&- 1>&- 2>"$tmp/err"
err_has "sh exited with status 3"
err_has "    profiled: closed"
# tach run --profile: the profiled run is a run like the timed ones, its exit status
# judged as theirs (it was ignored: exit 0, nothing said, its profile kept).  late.sh
# succeeds in its 3 timed runs (2 and the first, untimed) and exits 3 when profiled.
printf '#!/bin/sh\nn=$(cat count 2>/dev/null || echo 0); echo $((n + 1)) >count\n[ "$n" -ge 3 ] && { echo "profiled: boom" >&2; exit 3; }\nexit 0\n' >late.sh
chmod +x late.sh
rm -f count
if expect 1 "$TACH" run --no-store --export-json late.json --runs 2 --warmup-runs 0 --style none --profile \
    --profile-dir "$tmp/l" ./late.sh; then
  test "$(cat count)" = 4 || fail "late.sh ran $(cat count) times (want 4: the profiled run is the 4th)"
  err_has "tach run: --profile: ./late.sh: the profiled run failed — exited with code 3 (its profile is not kept)"
  err_has "    profiled: boom"
  check "run --profile: a failed profiled run's profile is not kept" jqt '.context.profiles == null' late.json
fi
rm -f count
expect 0 "$TACH" run --no-store --runs 2 --warmup-runs 0 --style none --ignore-failure=3 --profile \
  --profile-dir "$tmp/l" ./late.sh && ok "run --profile --ignore-failure=3: exit 0 as for a timed run"
# a command that fails its timed runs is reported so, and not profiled (its first run
# fails: that one run only)
rm -f count
expect 1 "$TACH" run --no-store --runs 2 --style none --profile --profile-dir "$tmp/l" -- sh -c 'echo x >>count; exit 3' &&
  err_has "exited with code 3" && check "run --profile: a failed command is not profiled" test "$(wc -l <count)" -eq 1
# the profiled run reads --input as the timed runs do, from its start (it read
# /dev/null: a command profiled on no input)
printf 'hello\n' >in.txt
rm -f count
expect 0 "$TACH" run --no-store --runs 2 --warmup-runs 0 --style none --input in.txt --profile \
  --profile-dir "$tmp/i" -- sh -c 'wc -c >>count' &&
  check "run --profile --input: the profiled run read the input too" test "$(tr '\n' ' ' <count)" = "6 6 6 "
# ... and comes after --prepare, as each timed run does (it came after the last timed run
# alone: a cache cleared or a file reset before each run was not before it)
rm -f count
expect 0 "$TACH" run --no-store --runs 2 --warmup-runs 0 --style none --prepare 'echo prep >>count' \
  --profile --profile-dir "$tmp/i" -- sh -c 'echo run >>count' &&
  check "run --profile --prepare: prepared before the profiled run too" \
    test "$(tr '\n' ' ' <count)" = "prep run prep run prep run "
# a --prepare that fails before the profiled run: said, no profile, exit 1
rm -f count
if expect 1 "$TACH" run --no-store --export-json prep.json --runs 2 --warmup-runs 0 --style none \
    --prepare 'echo x >>count; [ $(wc -l <count) -le 2 ]' --profile --profile-dir "$tmp/i" -- true; then
  err_has "tach run: --profile: true: the --prepare command"
  err_has "failed with exit code 1 (no profile kept)"
  check "run --profile: no profile kept after a failed --prepare" jqt '.context.profiles == null' prep.json
fi
# ... killed by a signal there: said as a --setup's or a timed run's --prepare is ('was
# killed by signal 9 (SIGKILL)', the 'was' missing)
rm -f count
if expect 1 "$TACH" run --no-store --runs 2 --warmup-runs 0 --style none \
    --prepare 'echo x >>count; [ $(wc -l <count) -le 2 ] || kill -9 $$' --profile --profile-dir "$tmp/i" -- true; then
  err_has "the --prepare command 'echo x >>count; [ \$(wc -l <count) -le 2 ] || kill -9 \$\$' was killed by signal 9 (SIGKILL) (no profile kept)"
fi
expect 2 "$TACH" run --no-store --profile-hz 0 -- ./small
err_has "--profile-hz"
# a --profile-dir that cannot be one is refused before the program runs (it would run first)
: >notadir
if expect 2 "$TACH" profile --profile-dir notadir -- sh -c 'touch ran'; then
  err_has "--profile-dir: 'notadir' is not a directory"
  [ ! -e ran ] && ok "--profile-dir a file: exit 2 before the program runs" || fail "the program ran"
fi
expect 2 "$TACH" findings --profile-dir notadir/sub -- sh -c 'touch ran' && [ ! -e ran ] &&
  ok "findings: the same" || fail "findings: the same"
[ ! -e .tach ] && ok "bad usage writes nothing" || fail ".tach written"

# children that exec another program (sh forks for the redirection, the child execs
# ./small): their samples are counted and reported, not symbolized; they were dropped
# before the count, and the profile said "no samples"
# a program with no sample (sleep 0.1 uses far less than 1 s of CPU time, the period at
# 1 Hz): said of the program, not of a "measured region" it has not (what it said before)
expect 0 "$TACH" profile --profile-hz 1 --profile-dir "$tmp/none" -- sleep 0.1
out_has '^profile of sleep 0\.1: no samples \(the program used less CPU time than one sampling period, 1\.00 s at 1 Hz\)$' &&
  out_lacks 'measured region' && ok "no samples: said of the program"
[ ! -e "$tmp/none" ] && ok "no samples: no file written" || fail "files written: $(ls "$tmp/none")"
expect 0 "$TACH" profile --profile-dir "$tmp/sh" -- /bin/sh -c './small >/dev/null'
# (the shell itself gets a sample now and then on a busy machine: then a table, and the
# children's samples on its summary line)
out_has '(^profile of /bin/sh -c .*: no samples in the program itself; [1-9][0-9]* samples in child processes that ran other programs \(not shown)|(^[1-9] samples? \(.*, [1-9][0-9]* more in child processes that ran other programs \(not shown)'
out_lacks 'less than one sampling period'
# the shell's own work beside them: the table, and the line that counts the others
expect 0 "$TACH" profile --profile-dir "$tmp/sh" -- /bin/sh -c './small >/dev/null; i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done'
out_has '^[1-9][0-9]* samples \(.*\), [0-9.]+% without a symbol.*, [1-9][0-9]* more in child processes that ran other programs \(not shown\)'
# the profiled program gets 0, 1, 2 and what tach was given, as it would run alone: no
# more (the /dev/null its 0 and 1 came from was left open across exec)
sh -c 'exec ls /proc/self/fd >fds.alone' </dev/null >/dev/null 2>&1
if expect 0 "$TACH" profile --profile-dir "$tmp/q" -- sh -c 'exec ls /proc/self/fd >fds.profiled'; then
  check "the profiled program has no descriptor it would not have alone ($(echo $(cat fds.profiled)) vs $(echo $(cat fds.alone)))" \
    cmp -s fds.alone fds.profiled
fi
finish
