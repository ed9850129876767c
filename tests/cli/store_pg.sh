#!/usr/bin/env bash
# store_pg.sh - the same store tests against PostgreSQL: starts a throwaway server (initdb +
# pg_ctl in a temp directory, loopback on a free port, its unix socket in the temp
# directory), runs the store unit tests (tests/unit/test_store.c) and the CLI store tests
# (tests/cli/store_cli.sh) with TACH_TEST_PG_URL pointing at it, then what only a
# server has (a role that may only read), and stops it on exit.
# As root the server runs as the `postgres` user (PostgreSQL refuses to run as root).
source "$(dirname "$0")/lib.bash"
export TACH TACH_BUILD TACH_SRC

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
  echo "FAIL: PostgreSQL server binaries not found (Debian package postgresql; scripts/deps.sh)" >&2
  exit 1
fi
unit=$TACH_BUILD/tests/test_store
[ -x "$unit" ] || { echo "FAIL: $unit not built" >&2; exit 1; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
[ "$(id -u)" = 0 ] && chown postgres "$tmp"
chmod 700 "$tmp"
stop() {
  as_pg "$pgbin/pg_ctl" -D "$tmp/data" -m immediate -w stop >/dev/null 2>&1
  rm -rf "$tmp"
}
trap stop EXIT

port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg "$pgbin/initdb" -D "$tmp/data" -A trust -U postgres -E UTF8 >"$tmp/initdb.log" 2>&1 \
  || { echo "FAIL: initdb"; cat "$tmp/initdb.log"; exit 1; }
as_pg "$pgbin/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 \
  -o "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40" start \
  >/dev/null 2>&1 || { echo "FAIL: pg_ctl start"; cat "$tmp/server.log"; exit 1; }
export TACH_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/postgres"
echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on $TACH_TEST_PG_URL"

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
reader="postgresql://tach_reader@127.0.0.1:$port/postgres"
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
  && [ "$(tail -n +2 "$tmp/out" | wc -l)" = 3 ] && ok "a role with those grants records"

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
