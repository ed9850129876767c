#!/usr/bin/env bash
# record_twice_at_once.sh - two `tach record`s of one results document at once (a CI
# step and its retry, two jobs recording one export) store its run once: the second,
# whose check before its record found nothing (the first not committed yet), finds the
# run inside its own write transaction and says it is recorded already, exit 0.  Both
# recorded it: the run was twice in the store.  The test holds the store's write lock
# (a sqlite3 session of its own, BEGIN IMMEDIATE) until both records wait for it in
# SQLite's busy handler (their /proc/PID/syscall: clock_nanosleep or nanosleep), past
# their checks.  SQLite; nothing timed.
source "$(dirname "$0")/lib.bash"
command -v sqlite3 >/dev/null || { echo "skip: no sqlite3"; exit 77; }
cd "$tmp"
S=$tmp/s.db
"$TACH" run --no-store --runs 2 --warmup-runs 0 --style none --export-json x.json -- true >/dev/null 2>&1 \
  || { fail "tach run"; finish; }
"$TACH" record -q --store "$S" "$DATA/report_base.json" >/dev/null || fail "cannot make the store"
runs() { sqlite3 "$S" 'SELECT count(*) FROM tach_runs'; }

# the store's write lock, held until $tmp/go is written
mkfifo "$tmp/go"
{ echo "BEGIN IMMEDIATE;"; cat "$tmp/go"; echo "COMMIT;"; } | sqlite3 "$S" &
holder=$!
locked() { ! sqlite3 "$S" 'BEGIN IMMEDIATE; ROLLBACK;' 2>/dev/null; }
running_until $holder locked || fail "the test's session never held the lock"
# waiting PID: PID sleeps in SQLite's busy handler (x86_64 nanosleep 35, clock_nanosleep
# 230; aarch64 101, 115); where /proc/PID/syscall cannot be read the race cannot be set
# up, and the test is skipped rather than passed
[ -r /proc/self/syscall ] && cut -d' ' -f1 /proc/self/syscall >/dev/null 2>&1 ||
  { echo "skip: /proc/PID/syscall cannot be read: the two records' wait cannot be confirmed"; exit 77; }
waiting() {
  local n; n=$(cut -d' ' -f1 "/proc/$1/syscall" 2>/dev/null) || return 1
  case $(uname -m):$n in x86_64:35 | x86_64:230 | aarch64:101 | aarch64:115) return 0 ;; esac
  [ -z "$n" ]
}
"$TACH" record --store "$S" x.json >"$tmp/out.a" 2>"$tmp/err.a" &
pa=$!
"$TACH" record --store "$S" x.json >"$tmp/out.b" 2>"$tmp/err.b" &
pb=$!
running_until $pa waiting $pa || fail "record a never waited for the lock: $(cat "$tmp/err.a")"
running_until $pb waiting $pb || fail "record b never waited for the lock: $(cat "$tmp/err.b")"
echo >"$tmp/go"
wait $holder
wait $pa; ra=$?
wait $pb; rb=$?
[ $ra = 0 ] && [ $rb = 0 ] && ok "both records exit 0" || fail "exit $ra, $rb: $(cat "$tmp/err.a" "$tmp/err.b")"
[ "$(runs)" = 2 ] && ok "the run is stored once" || fail "runs: $(runs), want 2"
cat "$tmp/err.a" "$tmp/err.b" >"$tmp/err"
grep -Eq '^tach record: recorded run 2 in ' "$tmp/err" \
  && grep -Eq '^tach record: x\.json: its run is already recorded, as run 2 in .*; not recorded again$' "$tmp/err" \
  && ok "one records it, the other says it is recorded already" || fail "said: $(cat "$tmp/err")"
finish
