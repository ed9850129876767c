#!/usr/bin/env bash
# store_pg_record_down.sh - `tach bench` and `tach soak` with a PostgreSQL store whose
# server is down when the run ends, as `tach run` (store_pg_restart.sh): the store passed
# its check before the run, so this is a write that fails, not bad usage: exit 1 and
# "the run was NOT recorded" and why (docs/guide.md, bench.md, soak.md), never exit 2.
# And a soak's record that fails in the middle of its write (the server stopped with the
# transaction open) says so as well.  Nothing here waits on time: the command run waits
# on a fifo the test opens once the server is stopped (held), and the record's test hook
# (TACH_STORE_TEST_MARK) on another.  `tach bench`'s run is kept in a file the line
# names (.tach/unrecorded/), for a `tach record` later, which removes it; a soak's line
# names its series file, which `tach record` records.
source "$(dirname "$0")/lib.bash"
pg_start
runs() { psql -X -At "$PG_URL" -c 'SELECT count(*) FROM tach_runs'; }
mkfifo "$tmp/mark"
# held_down CMD...: held (lib.bash), the server stopped while CMD's command waits, started
# again after CMD ended.  $rc: CMD's exit status.
pg_stop() { pg_ctl_ -m fast stop || fail "pg_ctl stop"; }
held_down() {
  held pg_stop "$@"
  pg_ctl_ start || fail "pg_ctl start"
}
last_line_is() { # WHAT CMD: the last line of stderr is the NOT recorded line, and why
  tail -1 "$tmp/err" >"$tmp/last"
  grep -Eq "^tach $2: the run was NOT recorded: cannot connect to the PostgreSQL store $PG_URL: .*Connection refused" "$tmp/last" \
    && ok "$1: its last line says the run was NOT recorded, and why" || fail "$1: stderr: $(cat "$tmp/err")"
}

# 1. tach bench: exit 1, the line, no verdict and no report; nothing recorded
mkdir -p .tach
printf '[module "m"]\n    command = %s\n' "$HOLD" >.tach/config
held_down "$TACH" bench --quick --store "$PG_URL" --report "$tmp/r.md"
if [ $rc = 1 ]; then
  ok "tach bench, the server down when the run ended: exit 1"
  last_line_is "tach bench" bench
  [ ! -e "$tmp/r.md" ] && ! grep -q '^Verdict' "$tmp/out" && ok "tach bench: no verdict, no report" \
    || fail "tach bench: a verdict or a report: $(cat "$tmp/out")"
  # its measurements kept in a file the line names, a document `tach record` takes
  kept=$(sed -n 's/.*; its results are kept in \(.*\) (tach record \1 records them)$/\1/p' "$tmp/last")
  if [ -n "$kept" ] && [ -f "$kept" ]; then
    case $kept in "$PWD"/.tach/unrecorded/bench-*.json) ok "tach bench: its results kept in $kept" ;;
      *) fail "tach bench: kept where? $kept" ;; esac
    jqt '.format == "tach-results" and (.benchmarks | length) == 1' "$kept" \
      && ok "tach bench: the kept file is a tach document" || fail "kept: $(head -c 300 "$kept")"
    "$TACH" record --store "$tmp/fresh.db" "$kept" >/dev/null 2>"$tmp/rerr" \
      && grep -q "^tach record: recorded run 1 in $tmp/fresh.db; removed the kept file $kept$" "$tmp/rerr" \
      && [ ! -e "$kept" ] && ok "tach bench: tach record of the kept file records the run and removes it" \
      || fail "tach record of the kept file: $(cat "$tmp/rerr")"
  else
    fail "tach bench: no kept file named: $(cat "$tmp/err")"
  fi
else
  fail "tach bench, server down at the record: exit $rc (want 1): $(cat "$tmp/err")"
fi
[ "$(runs)" = 0 ] && ok "tach bench: nothing recorded" || fail "tach bench: $(runs) runs"

# 2. tach soak: exit 1, the line, the series file and the report kept; nothing recorded
held_down "$TACH" soak --duration 0.5 --interval 0.1 --out "$tmp/s.jsonl" --store "$PG_URL" -- "$HOLD"
if [ $rc = 1 ]; then
  ok "tach soak, the server down when the soak ended: exit 1"
  last_line_is "tach soak" soak
  jq -es 'map(select(.end == true)) | length == 1' "$tmp/s.jsonl" >/dev/null \
    && ok "tach soak: the series file kept, whole" || fail "tach soak: the series file: $(tail -2 "$tmp/s.jsonl")"
  grep -q '^# Soak' "$tmp/out" && ok "tach soak: the report printed" || fail "tach soak: no report: $(cat "$tmp/out")"
else
  fail "tach soak, server down at the record: exit $rc (want 1): $(cat "$tmp/err")"
fi
[ "$(runs)" = 0 ] && ok "tach soak: nothing recorded" || fail "tach soak: $(runs) runs"

# 3. tach soak, the server stopped in the middle of the record (the writer waits at its
# mark, a fifo, with the transaction open): its one benchmark's rows are in, so COMMIT is
# the next statement, and it fails on a lost connection: the server may have committed
# before it went, so the line says the run may or may not be recorded (never that it was
# NOT).
TACH_STORE_TEST_SLEEP_MS=1 TACH_STORE_TEST_MARK="$tmp/mark" \
  "$TACH" soak --duration 0.3 --interval 0.1 --out "$tmp/s2.jsonl" --store "$PG_URL" -- true \
  >"$tmp/out" 2>"$tmp/err" &
pid=$!
if pg_at_mark $pid >/dev/null; then # the writer waits at its mark, transaction open
  pg_ctl_ -m fast stop || fail "pg_ctl stop"
  pass_mark $pid # the write goes on, and fails
else
  fail "the soak's record was never seen open"
fi
wait $pid
rc=$?
pg_ctl_ start || fail "pg_ctl start"
if [ $rc = 1 ]; then
  tail -1 "$tmp/err" >"$tmp/last"
  grep -Eq "^tach soak: .*$PG_URL.*; the connection was lost at COMMIT: the run may or may not be recorded; check with tach history; record it later with: tach record $tmp/s2\.jsonl \(which records it unless it is recorded\)$" "$tmp/last" \
    && ok "tach soak, the server stopped during the record: exit 1, the run may or may not be recorded" \
    || fail "tach soak, stopped during the record: stderr: $(cat "$tmp/err")"
else
  fail "tach soak, stopped during the record: exit $rc (want 1): $(cat "$tmp/err")"
fi
[ "$(runs)" = 0 ] && ok "tach soak: nothing recorded" || fail "tach soak: $(runs) runs"
# the tach record the line names records the soak, once (soak_record_later.sh)
expect 0 "$TACH" record --store "$PG_URL" "$tmp/s2.jsonl" && expect 0 "$TACH" record --store "$PG_URL" "$tmp/s2.jsonl" \
  && err_has "its run is already recorded, as run " && [ "$(runs)" = 1 ] \
  && ok "tach soak: tach record of its series file records it, once" || fail "tach soak: $(runs) runs"
finish
