#!/usr/bin/env bash
# profile_interrupt.sh - Ctrl-C during `tach profile PROGRAM` (docs/profiling.md): as
# perf record, it stops the program (the signal passed to its process group) and
# prints the profile gathered so far, marked partial, then exits 130 (143 after
# SIGTERM).  The program spins (an alarm ends it 60 s on, and --timeout 60 bounds the
# run, were the signal not passed on); once its own CPU time passes 0.2 s (so it has
# been sampled) it makes the file READY, and the signal is sent then.  Before, tach died
# of the SIGINT it had passed on and the samples were lost.
source "$(dirname "$0")/lib.bash"
command -v cc >/dev/null || { echo "no C compiler: skipped"; exit 77; }
cd "$tmp" || exit 1
cat >forever.c <<'C'
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
__attribute__((noinline)) static uint64_t spin_forever(const char *ready)
{
    uint64_t x = 1;
    int told = 0;
    for (uint64_t i = 0; x != 42; i++) {
        x = x * 6364136223846793005u + 1;
        if (!told && (i & 0xfffff) == 0) {
            struct timespec t;
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
            if (t.tv_sec > 0 || t.tv_nsec > 200000000) {
                FILE *f = fopen(ready, "w");
                if (f) fclose(f);
                told = 1;
            }
        }
    }
    return x;
}
int main(int argc, char **argv)
{
    if (argc < 2 || !strncmp(argv[1], "--", 2)) return 0; /* tach's --tach-probe */
    alarm(60); /* not left spinning were the signal not passed on, or tach gone */
    printf("%llu\n", (unsigned long long)spin_forever(argv[1]));
    return 0;
}
C
cc -O1 -g -fno-omit-frame-pointer forever.c -o forever || { fail "cc"; finish; }

# profiled SIG: starts tach profile ./forever, sends SIG once READY is there; $rc
profiled() {
  rm -f "$tmp/READY"
  "$TACH" profile --profile-dir "$tmp/p" --top 3 --timeout 60 ./forever "$tmp/READY" >"$tmp/out" 2>"$tmp/err" &
  signal_when "$1" $! test -e "$tmp/READY"
}

profiled INT
[ "$rc" = 130 ] && ok "Ctrl-C: exit 130" || fail "Ctrl-C: exit $rc (want 130): $(head -c 400 err)"
out_has '^Top 3 of \./forever '
out_has '^ +1 +spin_forever +[^ ]*forever\.c:[0-9]+ +[0-9.]+% +[0-9.]+% +[1-9][0-9]*$'
out_has '^[1-9][0-9]* samples \(perf_event cpu-clock'
out_has '^partial: interrupted by SIGINT '
err_has 'tach profile: interrupted by SIGINT: printed the profile so far (marked partial)'
grep -q 'exited with' err && fail "the program's end by the SIGINT passed on was called a failure: $(cat err)"
compgen -G 'p/forever_*.folded' >/dev/null && ok "the folded stacks were written" ||
  fail "no folded stacks in p: $(ls p 2>&1)"

profiled TERM
[ "$rc" = 143 ] && ok "SIGTERM: exit 143" || fail "SIGTERM: exit $rc (want 143): $(head -c 400 err)"
out_has '^ +1 +spin_forever '
out_has '^partial: interrupted by SIGTERM '

# A shell without job control starts a background command with SIGINT ignored; tach's
# timed runs get it back to its default action, and so must the profiled run, or the
# SIGINT passed on would not stop it (it would be killed 2 s later).  sigint_dfl exits 3
# when it finds SIGINT ignored.
cat >sigint_dfl.c <<'C'
#include <signal.h>
#include <stddef.h>
int main(void)
{
    struct sigaction sa;
    if (sigaction(SIGINT, NULL, &sa) != 0) return 4;
    return sa.sa_handler == SIG_IGN ? 3 : 0;
}
C
cc -O1 -g sigint_dfl.c -o sigint_dfl || { fail "cc"; finish; }
"$TACH" profile --profile-dir "$tmp/p" ./sigint_dfl >out 2>err &
wait $!
rc=$?
[ "$rc" = 0 ] && ok "the profiled command has SIGINT's default action" ||
  fail "tach profile in the background: exit $rc: $(head -c 400 err)"
"$TACH" run --no-store --runs 1 --style none --profile --profile-dir "$tmp/p" -- ./sigint_dfl >out 2>err &
wait $!
rc=$?
[ "$rc" = 0 ] && ok "... under tach run --profile, as in its timed runs" ||
  fail "tach run --profile in the background: exit $rc: $(head -c 400 err)"

finish
