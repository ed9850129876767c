#!/usr/bin/env bash
# store_name_raw_bytes.sh - a name not UTF-8 is stored as its escaped text (U+FFFD and the
# byte's hex digits, store_record.c name_stored); a store an earlier tach wrote holds it as
# its raw bytes. Both rows are one benchmark (history, compare), and a FILTER given as the
# raw bytes finds it.
source "$(dirname "$0")/lib.bash"
cd "$tmp"
command -v sqlite3 >/dev/null || { echo "skipped: no sqlite3"; exit 0; }
jq '.benchmarks |= [.[0] | .name = "a\ufffdFF"]' "$DATA/report_base.json" >one.json || fail "jq"
jq '.context.date = "2026-01-06T10:00:00Z"' one.json >two.json || fail "jq"
"$TACH" record -q --store t.db one.json >/dev/null || fail "record"
"$TACH" record -q --store t.db two.json >/dev/null || fail "record"
# run 1 as an earlier tach wrote it: the raw bytes a\xff
sqlite3 t.db "UPDATE tach_benchmarks SET name = CAST(X'61FF' AS TEXT) WHERE run_id = 1;
  INSERT INTO tach_names (name) VALUES (CAST(X'61FF' AS TEXT))" || fail "sqlite3"
if expect 0 "$TACH" history --store t.db --format csv; then
  check "one benchmark, 2 points" test "$(grep -c $'^a\xef\xbf\xbdFF,' out)" -eq 2
fi
if expect 0 "$TACH" history --store t.db; then
  check "one benchmark in the table" test "$(wc -l <out)" -eq 2
  out_has $'^a\xef\xbf\xbdFF +2 '
fi
if expect 0 "$TACH" history --store t.db $'a\xff'; then
  out_has $'^a\xef\xbf\xbdFF +2 '
fi
if expect 0 "$TACH" history --store t.db $'a\xff*'; then
  out_has $'^a\xef\xbf\xbdFF +2 '
fi
if expect 0 "$TACH" compare --store t.db 1 2; then
  out_has $'a\xef\xbf\xbdFF .*unchanged'
fi
finish
