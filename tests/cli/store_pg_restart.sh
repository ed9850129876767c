#!/usr/bin/env bash
# store_pg_restart.sh - a PostgreSQL store whose server restarts while `tach run` runs: the
# run is recorded on a new connection; a connection lost in the middle of a record is
# made again once and the run written whole, once; a server still down when the run
# ends fails the write: exit 1 (docs/guide.md), "the run was NOT recorded" and why on
# stderr, the results printed and exported all the same.  Nothing here waits on time: the
# command run waits on a fifo the test opens (held), a record on a transaction of the
# test's (pg_hold_name) or at its test hook's mark (TACH_STORE_TEST_MARK), another fifo.
# A connection lost at COMMIT may have stored the run: the line says it may or may not
# be recorded.
source "$(dirname "$0")/lib.bash"
pg_start
runs() { psql -X -At "$PG_URL" -c 'SELECT count(*) FROM tach_runs'; }
mkfifo "$tmp/mark"
# the server restarted, stopped, while the command run waits (the store's check before
# the run is done)
pg_restart() { pg_ctl_ -m fast restart || fail "pg_ctl restart"; }
pg_stop() { pg_ctl_ -m fast stop || fail "pg_ctl stop"; }

"$TACH" record -q --store "$PG_URL" "$DATA/report_base.json" >/dev/null || { fail "cannot record"; finish; }

# 1. restarted during the run: recorded on a new connection
held pg_restart "$TACH" run --store "$PG_URL" --runs 1 --warmup-runs 0 --style none -- "$HOLD"
[ $rc = 0 ] && err_has "recorded run 2 in $PG_URL" && [ "$(runs)" = 2 ] \
  && ok "a server restarted during the run: the run recorded (exit 0)" \
  || fail "restart during the run: exit $rc, $(runs) runs: $(cat "$tmp/err")"

# 2. the connection lost in the middle of the record (tach record: the same write as a
# run's): made again once, the run written once.  The writer waits at the INSERT INTO
# tach_names of its last benchmark's name, which a transaction of the test's holds, its
# own transaction open with the run row, the document and every benchmark row in (200
# benchmarks: more than one statement's 64).
specs=()
for i in $(seq 200); do specs+=("b$i:steady:5:1"); done
mkdoc "$tmp/many.json" "${specs[@]}"
if pg_hold_name b200; then
  "$TACH" record --store "$PG_URL" "$tmp/many.json" >"$tmp/out" 2>"$tmp/err" &
  pid=$!
  if backend=$(pg_blocked $pid); then # the writer waits on the test's transaction
    [ "$(psql -X -At "$PG_URL" -c "SELECT pg_terminate_backend($backend)")" = t ] \
      || fail "the record's backend $backend was not terminated"
  else
    fail "the record never waited on the held name"
  fi
  pg_release # the second attempt goes on
  wait $pid
  rc=$?
  [ $rc = 0 ] && err_has "recorded run " && [ "$(runs)" = 3 ] \
    && ok "a connection lost while recording: made again, the run recorded once (exit 0)" \
    || fail "connection lost while recording: exit $rc, $(runs) runs: $(cat "$tmp/err")"
fi

# 3. down when the run ends: exit 1, said, the export written
held pg_stop "$TACH" run --store "$PG_URL" --runs 1 --warmup-runs 0 --export-json "$tmp/r.json" -- "$HOLD"
if [ $rc = 1 ]; then
  tail -1 "$tmp/err" >"$tmp/last"
  grep -Eq "^tach run: the run was NOT recorded: cannot connect to the PostgreSQL store $PG_URL: .*Connection refused" "$tmp/last" \
    && ok "its last line: the run was NOT recorded, and why" || fail "last line: $(cat "$tmp/err")"
  jqt '.benchmarks | length == 1 and .[0].status == "ok"' "$tmp/r.json" \
    && ok "a server down when the run ended: exit 1, --export-json written" \
    || fail "the export: $(head -c 300 "$tmp/r.json" 2>&1)"
  grep -q 'Time (mean' "$tmp/out" "$tmp/err" && ok "the results printed" || fail "no results printed: $(cat "$tmp/out")"
else
  fail "server down at the record: exit $rc (want 1): $(cat "$tmp/err")"
fi
pg_ctl_ start || fail "pg_ctl start"
[ "$(runs)" = 3 ] && ok "nothing recorded" || fail "$(runs) runs"

# 4. the connection lost at COMMIT (one benchmark: COMMIT is the first statement after the
# mark): the run may be stored, so the line says neither that it was nor that it was not,
# and nothing is written a second time.
mkdoc "$tmp/one.json" "solo:steady:5:1"
TACH_STORE_TEST_SLEEP_MS=1 TACH_STORE_TEST_MARK="$tmp/mark" \
  "$TACH" record --store "$PG_URL" "$tmp/one.json" >"$tmp/out" 2>"$tmp/err" &
pid=$!
if backend=$(pg_at_mark $pid); then
  psql -X -At "$PG_URL" -c "SELECT pg_terminate_backend($backend)" >/dev/null
  pass_mark $pid # COMMIT comes next, on a lost connection
else
  fail "the one-benchmark record's transaction was never seen open"
fi
wait $pid
rc=$?
tail -1 "$tmp/err" >"$tmp/last"
[ $rc = 1 ] && grep -Eq "^tach record: .*; the connection was lost at COMMIT: the run may or may not be recorded; check with tach history$" "$tmp/last" \
  && ! grep -q 'NOT recorded' "$tmp/err" \
  && ok "the connection lost at COMMIT: exit 1, the run may or may not be recorded" \
  || fail "lost at COMMIT: exit $rc: $(cat "$tmp/err")"
[ "$(runs)" = 3 ] && ok "lost at COMMIT: not written a second time" || fail "lost at COMMIT: $(runs) runs"
finish
