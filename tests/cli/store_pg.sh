#!/usr/bin/env bash
# store_pg.sh - the same store tests against PostgreSQL: starts a throwaway server
# (pg_start, tests/cli/lib.bash), runs the store unit tests (tests/unit/test_store.c) and
# the CLI store tests (tests/cli/store_cli.sh) with TACH_TEST_PG_URL pointing at it, then
# what only a server has (a role that may only read), and stops it on exit.
source "$(dirname "$0")/lib.bash"
export TACH TACH_BUILD TACH_SRC

unit=$TACH_BUILD/tests/test_store
[ -x "$unit" ] || { echo "FAIL: $unit not built" >&2; exit 1; }
pg_start -c max_connections=40
export TACH_TEST_PG_URL=$PG_URL
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on $TACH_TEST_PG_URL"

echo "== unit tests (test_store) against PostgreSQL"
"$unit" || fails=$((fails + 1))
echo "== CLI store tests against PostgreSQL"
bash "$TACH_SRC/tests/cli/store_cli.sh" || fails=$((fails + 1))

# A role that may only read the store: it reads it, and a command that would write it
# is refused before anything runs (exit 2, the store, the role and the table named),
# as an SQLite file the user may not write is -- not after the run, at the first
# INSERT (exit 1, the run lost).
psql -X -q "$TACH_TEST_PG_URL" -c "SET client_min_messages = warning; DROP TABLE IF EXISTS tach_meta,
  tach_runs, tach_run_tags, tach_run_docs, tach_benchmarks, tach_names, tach_baselines;
  DROP ROLE IF EXISTS tach_reader; CREATE ROLE tach_reader LOGIN" >/dev/null
mkdoc "$tmp/r.json" ro/a:steady:30:1
"$TACH" record -q --store "$TACH_TEST_PG_URL" "$tmp/r.json" "$tmp/r.json" >/dev/null
psql -X -q "$TACH_TEST_PG_URL" -c "GRANT SELECT ON ALL TABLES IN SCHEMA public TO tach_reader" >/dev/null
reader="postgresql://tach_reader@127.0.0.1:$PG_PORT/postgres"
expect 0 "$TACH" history --store "$reader" ro/a && expect 0 "$TACH" compare 1 2 --store "$reader" \
  && ok "a read-only role reads the store"
rm -f "$tmp/ran"
if expect 2 "$TACH" run --store "$reader" --runs 1 -- /bin/touch "$tmp/ran"; then
  grep -q "cannot write store $reader: its role tach_reader may not insert into tach_runs" "$tmp/err" \
    && [ ! -e "$tmp/ran" ] && ok "a read-only role: tach run refused before running (exit 2)" \
    || fail "read-only role, tach run: ran=$([ -e "$tmp/ran" ] && echo yes): $(cat "$tmp/err")"
fi
expect 2 "$TACH" record --store "$reader" "$tmp/r.json" && err_has "may not insert into tach_runs" \
  && ok "a read-only role: tach record refused (exit 2)"
psql -X -q "$TACH_TEST_PG_URL" -c "GRANT INSERT ON ALL TABLES IN SCHEMA public TO tach_reader" >/dev/null
expect 2 "$TACH" record --store "$reader" "$tmp/r.json" && err_has "may not use the sequence of tach_runs.id" \
  && ok "a role without the run id's sequence: tach record refused (exit 2)"
psql -X -q "$TACH_TEST_PG_URL" -c "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO tach_reader" >/dev/null
expect 0 "$TACH" record --store "$reader" "$tmp/r.json" && expect 0 "$TACH" history --runs --format csv --store "$reader" \
  && [ "$(tail -n +2 "$tmp/out" | wc -l)" = 3 ] && ok "a role with those grants records" || fail "a role with those grants records"

# A URL naming a server that is not there: exit 2 before anything runs.
rm -f "$tmp/ran"
TACH_STORE="postgresql://postgres@127.0.0.1:1/none?connect_timeout=2" \
  "$TACH" run --runs 1 -- /bin/touch "$tmp/ran" >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc = 2 ] && [ ! -e "$tmp/ran" ] && grep -q "cannot connect to the PostgreSQL store" "$tmp/err"; then
  ok "unreachable PostgreSQL store: exit 2 before running"
else
  fail "unreachable PostgreSQL store: exit $rc: $(cat "$tmp/err")"
fi
finish
