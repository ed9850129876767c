#!/usr/bin/env bash
# store_pg_record_denied.sh - the PostgreSQL side of store_record_denied.sh: a role whose
# right to record is revoked during a run, after the check before it passed, is a store
# the user must fix, as that check would have refused it (exit 2, "cannot write store
# URL: its role R may not ..."), not a write that failed (exit 1, a server down), and
# `tach bench` keeps its results for a `tach record` later.  It was exit 1.  The command
# benchmarked revokes the right; nothing timed.
source "$(dirname "$0")/lib.bash"
pg_start
psql -X -q "$PG_URL" -c "CREATE ROLE tach_w LOGIN" >/dev/null || fail "CREATE ROLE"
"$TACH" record -q --store "$PG_URL" "$DATA/report_base.json" >/dev/null || fail "cannot make the store"
psql -X -q "$PG_URL" -c "GRANT ALL ON ALL TABLES IN SCHEMA public TO tach_w;
  GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO tach_w" >/dev/null || fail "GRANT"
W_URL=${PG_URL/postgres@/tach_w@}
cat >"$tmp/revoke.sh" <<EOS
#!/bin/sh
psql -X -q "$PG_URL" -c "REVOKE INSERT ON tach_runs FROM tach_w" >/dev/null
EOS
chmod +x "$tmp/revoke.sh"
mkdir -p .tach
printf '[module "m"]\n    command = %s\n' "$tmp/revoke.sh" >.tach/config
if expect 2 "$TACH" bench --quick --store "$W_URL"; then
  tail -1 "$tmp/err" >"$tmp/last"
  grep -Eq "^tach bench: the run was NOT recorded: cannot write store $W_URL: its role tach_w may not insert into tach_runs; its results are kept in (.*) \(tach record \1 records them\)$" "$tmp/last" \
    && ok "a role's right revoked during the run: exit 2, the store named, and why" \
    || fail "last line: $(cat "$tmp/last")"
fi
[ "$(psql -X -At "$PG_URL" -c 'SELECT count(*) FROM tach_runs')" = 1 ] && ok "nothing recorded" \
  || fail "runs: $(psql -X -At "$PG_URL" -c 'SELECT count(*) FROM tach_runs')"
[ -n "$(ls .tach/unrecorded/bench-*.json 2>/dev/null)" ] && ok "the results kept" || fail "no kept file"
finish
