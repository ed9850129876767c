#!/usr/bin/env bash
# report_pg.sh - report, site and certify read a PostgreSQL store as they read SQLite:
# a throwaway server (initdb + pg_ctl in a temp directory, loopback, free port, as in
# store_pg.sh) holding the two fixture runs; the Markdown report compares run 2 with
# run 1, the site has its pages, and a certificate's store evidence verifies.
source "$(dirname "$0")/lib.bash"
set -o pipefail
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
  echo "PostgreSQL server binaries not found (Debian package postgresql; scripts/deps.sh)" >&2
  exit 1
fi
pg=$(mktemp -d /tmp/tach_report_pg.XXXXXX)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$pg"
chmod 700 "$pg"
trap 'as_pg "$pgbin/pg_ctl" -D "$pg/data" -m immediate -w stop >/dev/null 2>&1; rm -rf "$pg" "$tmp"' EXIT
port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg "$pgbin/initdb" -D "$pg/data" -A trust -U postgres -E UTF8 >"$pg/initdb.log" 2>&1 \
  || { echo "initdb failed: $(cat "$pg/initdb.log")" >&2; exit 1; }
as_pg "$pgbin/pg_ctl" -D "$pg/data" -l "$pg/server.log" -w -t 60 \
  -o "-p $port -k $pg -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null 2>&1 \
  || { echo "pg_ctl start failed: $(cat "$pg/server.log")" >&2; exit 1; }
url="postgresql://postgres@127.0.0.1:$port/postgres"
cd "$tmp"
mkstore "$url"

if expect 0 "$TACH" report --store "$url"; then
  grep -q '^\*\*Run\*\* `2`' out && grep -q '^| Against run 1 | 1 regressed (1 critical)' out \
    && ok "pg: report of run 2 against run 1" || fail "pg report: $(grep -E 'Run|Against' out | head -3)"
fi
if expect 0 "$TACH" site web --store "$url"; then
  [ "$(ls web/b | wc -l)" = 15 ] && ok "pg: site with 15 benchmark pages" || fail "pg site: $(ls web/b | wc -l) pages"
fi
if expect 1 "$TACH" certify --store "$url" -o cert.md; then
  if expect 0 "$TACH" certify --verify cert.md --store "$url"; then
    [ "$(grep -c '^ok ' out)" = 3 ] && ok "pg: certificate evidence verifies against the store" || fail "pg verify: $(cat out)"
  fi
fi
finish
