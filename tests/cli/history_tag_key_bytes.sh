#!/usr/bin/env bash
# history_tag_key_bytes.sh - `tach history --runs` (json and csv) wrote a tag's key that is
# not UTF-8 (a store written by hand or by another tool) with the lossy escape (U+FFFD)
# while the value beside it kept its bytes (tach__json_string_bytes): the key reads as the
# value does.
source "$(dirname "$0")/lib.bash"
cd "$tmp"
command -v sqlite3 >/dev/null || { echo "skipped: no sqlite3"; exit 0; }
"$TACH" record -q --store t.db --tag "kx=vx" "$DATA/report_base.json" >/dev/null || fail "record"
sqlite3 t.db "UPDATE tach_run_tags SET key = CAST(x'6bff78' AS TEXT), value = CAST(x'6bff78' AS TEXT)" ||
  fail "sqlite3"
if expect 0 "$TACH" history --store t.db --runs --format json; then
  check "json: the key is written as its value" \
    bash -c "jq -e '.[0].tags | to_entries[0] | .key == .value' out >/dev/null || jq -e '.. | .tags? // empty | to_entries[0] | .key == .value' out >/dev/null"
fi
if expect 0 "$TACH" history --store t.db --runs --format csv; then
  check "csv: the key is written as its value" \
    bash -c "tail -n 1 out | grep -o '{.*}' | sed 's/\"\"/\"/g' | jq -e 'to_entries[0] | .key == .value' >/dev/null"
fi
finish
