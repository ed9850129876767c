#!/usr/bin/env bash
# profile_threads.sh - a benchmark binary's profile samples the threads the benchmark
# starts itself (docs/profiling.md, issue #13): the fixture's prof/threads hands each
# iteration's work to two pthreads it creates (thread_work, the line marked
# PROF_THREAD_LINE) and only waits for them, so every sample of its profile is one of
# those threads'; prof/pool hands it (pool_work) to two threads its setup started,
# before the profile was opened.  Checked with perf_event (per-CPU events inherited by
# new threads, and events of their own for threads that existed) and with the
# setitimer(ITIMER_PROF) fallback (process-wide CPU time), the
# latter forced by a preloaded syscall() that refuses perf_event_open with EACCES, as
# perf_event_paranoid 3 or a seccomp filter would.
source "$(dirname "$0")/lib.bash"
FIX=$TACH_BUILD/tests/fixture_prof_threads
SRC=$TACH_SRC/tests/fixtures/prof_threads.c
LINE=$(grep -n '/\* PROF_THREAD_LINE \*/' "$SRC" | cut -d: -f1)
POOL_LINE=$(grep -n '/\* PROF_POOL_LINE \*/' "$SRC" | cut -d: -f1)
# A row's line is its function's most sampled one: the loop's body, or its "for" line just
# above (what an instrumented (ASan) build of the same loop most often lands on)
LINES="($((LINE - 1))|$LINE)" POOL_LINES="($((POOL_LINE - 1))|$POOL_LINE)"
cd "$tmp" || exit 1

# thread_work's self share in a table printed by --profile (column 4)
share() { awk -v f="$2" '$2 == f { sub("%", "", $4); print $4 }' "$1"; }
at_least() { awk -v x="$1" -v lo="$2" 'BEGIN { exit !(x != "" && x >= lo) }'; }

# ---- perf_event: the threads inherit the sampler's per-CPU events --------------------
expect 0 "$FIX" --filter threads --profile --profile-hz 4999 --profile-dir "$tmp/p" --max-time 1.5 --quiet
cp out perf.txt
grep -q '^[0-9]* samples (perf_event cpu-clock' perf.txt && ok "sampled with perf_event" || fail "method: $(cat perf.txt)"
grep -qE "^ +1 +thread_work +[^ ]*prof_threads\.c:$LINES " perf.txt &&
  ok "rank 1 is thread_work at prof_threads.c:$LINE" || fail "perf_event: $(cat perf.txt)"
# the benchmark's own thread only waits: nearly all samples are the threads'
at_least "$(share perf.txt thread_work)" 80 && ok "thread_work's share $(share perf.txt thread_work)%" ||
  fail "thread_work's share $(share perf.txt thread_work)"
grep -qE '(^|;)thread_main;thread_work [0-9]+$' p/prof_threads-c8b585faf9bb4d44.folded &&
  ok "folded: thread_work under the thread's start function" || fail "folded: $(cat p/prof_threads-c8b585faf9bb4d44.folded)"
# the runner's own threads (.threads = {2}): the second does 5x the first's work, and the
# profile covers both for the whole sample (it used to follow the first thread's timed
# loop only: ~50/50)
expect 0 "$FIX" --filter team --profile --profile-hz 4999 --profile-dir "$tmp/p" --max-time 1.5 --quiet
cp out team.txt
at_least "$(share team.txt crew_work)" 65 && ok "two runner threads: crew_work's share $(share team.txt crew_work)% (~83)" ||
  fail "two runner threads: $(cat team.txt)"
# threads started before the profile was opened (the setup's pool)
expect 0 "$FIX" --filter pool --profile --profile-hz 4999 --profile-dir "$tmp/p" --max-time 1.5 --quiet
cp out pool.txt
grep -qE "^ +1 +pool_work +[^ ]*prof_threads\.c:$POOL_LINES " pool.txt &&
  ok "the pool: rank 1 is pool_work at prof_threads.c:$POOL_LINE" || fail "the pool: $(cat pool.txt)"
at_least "$(share pool.txt pool_work)" 80 && ok "pool_work's share $(share pool.txt pool_work)%" ||
  fail "pool_work's share $(share pool.txt pool_work)"

# ---- the setitimer fallback: ITIMER_PROF counts every thread's CPU time ----------------
if command -v cc >/dev/null; then
  cc -shared -fPIC -O1 "$DATA/noperf.c" -o noperf.so -ldl || fail "cc noperf.so"
  # (an AddressSanitizer build wants its runtime first: told not to check)
  expect 0 env LD_PRELOAD="$tmp/noperf.so" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
    "$FIX" --filter threads --profile --profile-hz 4999 --profile-dir "$tmp/q" --max-time 1.5 --quiet
  cp out itimer.txt
  grep -q '^note: perf_event_open was refused .*setitimer(ITIMER_PROF) instead' itimer.txt &&
    ok "the fallback says so" || fail "no fallback note: $(cat itimer.txt)"
  grep -q '^[0-9]* samples (setitimer(ITIMER_PROF)' itimer.txt && ok "sampled with setitimer" ||
    fail "method: $(cat itimer.txt)"
  awk '$1 == "1" { print $2; exit }' itimer.txt | grep -qx thread_work &&
    ok "setitimer: rank 1 is thread_work" || fail "setitimer: $(cat itimer.txt)"
  # (ITIMER_PROF ticks with the kernel's clock, 250 Hz here: a few dozen samples, some
  # of them the benchmark thread's creating and joining, dear in a sanitizer build)
  at_least "$(share itimer.txt thread_work)" 50 && ok "setitimer: thread_work's share $(share itimer.txt thread_work)%" ||
    fail "setitimer: thread_work's share $(share itimer.txt thread_work)"
else
  echo "no C compiler: the setitimer fallback is not checked"
fi
finish
