#!/usr/bin/env bash
# report_pg.sh - report, site and certify read a PostgreSQL store as they read SQLite:
# a throwaway server (pg_start, tests/cli/lib.bash) holding the two fixture runs; the
# Markdown report compares run 2 with run 1, the site has its pages, and a certificate's
# store evidence verifies.
source "$(dirname "$0")/lib.bash"
set -o pipefail
pg_start
url=$PG_URL
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
