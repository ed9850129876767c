#!/usr/bin/env bash
# store_record_damaged.sh - a store checked before the run and damaged while it runs is bad
# input at the record, exit 2 (docs/guide.md), as it would have been before the run: "the
# run was NOT recorded" and why, the store left as it was, the results printed and
# --export-json written all the same, the line saying how to record it later (tach record
# of the export).  It was exit 1, a failed write, as for a store that
# cannot be reached.  So is a directory in its place: a path that names no store, as the
# check before the run says (exit 2); it was exit 1 at the record.  The store is in WAL
# mode: the read-only check of it makes a -wal and a -shm, and a store refused has none
# left beside it.  The command run
# damages the store itself (overwrites it with another file), so nothing is timed.
source "$(dirname "$0")/lib.bash"
cd "$tmp"
command -v sqlite3 >/dev/null || { echo "skipped: no sqlite3"; exit 0; }
"$TACH" record -q --store good.db "$DATA/report_base.json" >/dev/null || { fail "cannot record"; finish; }
yes garbage | head -c 8192 >garbage.db
# a damaged page (the benchmarks table's root page: its type byte overwritten), found by
# the check of every page the record makes first
cp good.db page.db
root=$(sqlite3 page.db "SELECT rootpage FROM sqlite_master WHERE name = 'tach_benchmarks'")
psize=$(sqlite3 page.db "PRAGMA page_size")
printf '\377' | dd of=page.db bs=1 seek=$(((root - 1) * psize)) conv=notrunc status=none

# damaged_during_run WHAT WANT FILE LINE: tach run on a copy of good.db (s.db), its command
# putting FILE in its place; exit WANT and the last line of stderr LINE (fixed text)
damaged_during_run() {
  rm -rf s.db s.db-wal s.db-shm r.json && cp good.db s.db
  if expect "$2" "$TACH" run --store s.db --runs 1 --warmup-runs 0 --export-json r.json \
    -- sh -c 'rm -rf "$1"; cp -R "$2" "$1"' sh "$tmp/s.db" "$tmp/$3"; then
    tail -1 "$tmp/err" >"$tmp/last"
    # $4 is a pattern: SQLite's own words in a corrupt store's message vary by release
    [[ "$(cat "$tmp/last")" == "tach run: "$4 ]] && ok "$1: exit $2, the run NOT recorded, and why" \
      || fail "$1: last line: $(cat "$tmp/err")"
    jqt '.benchmarks | length == 1 and .[0].status == "ok"' r.json \
      && ok "$1: --export-json written" || fail "$1: the export: $(head -c 300 r.json 2>&1)"
    grep -q 'Time (mean' "$tmp/out" && ok "$1: the results printed" || fail "$1: no results: $(cat "$tmp/out")"
  fi
}
damaged_during_run "overwritten with garbage" 2 garbage.db \
  "the run was NOT recorded: s.db is not a tach store (not an SQLite database); left unchanged; record it later with: tach record r.json"
cmp -s s.db garbage.db && ok "overwritten with garbage: left unchanged" || fail "the garbage was written to"
damaged_during_run "a damaged page" 2 page.db \
  "the run was NOT recorded: store s.db is corrupt (*btreeInitPage() returns error code 11); left unchanged; record it later with: tach record r.json"
cmp -s s.db page.db && ok "a damaged page: left unchanged" || fail "the damaged store was written to"
# the store is in WAL mode: the check's read-only connection made a -wal and a -shm
# beside it, left behind by its close (the check is the last to read it here)
[ ! -e s.db-wal ] && [ ! -e s.db-shm ] && ok "a damaged page: no -wal or -shm left beside it" \
  || fail "a damaged page: left beside it: $(ls s.db-* 2>&1)"
# the same store found damaged by the check before the run: nothing run, nothing beside it;
# a -wal that was there before the check (another connection's) is not the check's to remove
rm -f s.db-wal s.db-shm ran && cp page.db s.db
expect 2 "$TACH" run --store s.db --runs 1 -- touch "$tmp/ran" && [ ! -e ran ] \
  && [ ! -e s.db-wal ] && [ ! -e s.db-shm ] && cmp -s s.db page.db \
  && ok "a damaged page, found before the run: nothing run, nothing left beside it"
[ -e s.db-wal ] && fail "a damaged page, found before the run: left beside it: $(ls s.db-* 2>&1)"
: >s.db-wal
expect 2 "$TACH" run --store s.db --runs 1 -- touch "$tmp/ran" && [ -e s.db-wal ] \
  && ok "a damaged page: a -wal there before the check is kept"
rm -f s.db-wal s.db-shm
# a -wal holding data there before: kept, but the -shm the check made beside it (an index
# of no data) is removed
yes wal | head -c 4096 >s.db-wal
cp s.db-wal wal.before
expect 2 "$TACH" run --store s.db --runs 1 -- touch "$tmp/ran" && cmp -s s.db-wal wal.before \
  && [ ! -e s.db-shm ] && ok "a damaged page: a -wal with data kept, no -shm left beside it" \
  || fail "a damaged page, a -wal with data: left beside it: $(ls -l s.db-* 2>&1)"
# a -shm there before is not the check's to remove either
: >s.db-shm
expect 2 "$TACH" run --store s.db --runs 1 -- touch "$tmp/ran" && [ -e s.db-shm ] \
  && ok "a damaged page: a -shm there before is kept" || fail "a damaged page: the -shm there before was removed"
rm -f s.db-wal s.db-shm wal.before
# a directory in its place: a path that names no store, bad input as before the run (the
# store that cannot be reached, a server down, is exit 1: store_pg_record_down.sh)
mkdir dir.db
damaged_during_run "a directory in its place" 2 dir.db \
  "the run was NOT recorded: store s.db is not a regular file; record it later with: tach record r.json"
rm -rf s.db && mkdir s.db
expect 2 "$TACH" run --store s.db --runs 1 -- true && err_has "store s.db is not a regular file" \
  && ok "a directory in its place before the run: exit 2 too"

# tach bench: the same, its results kept for a tach record later
rm -rf s.db && cp good.db s.db
mkdir -p .tach
printf '[module "m"]\n    command = cp %s %s\n' "$tmp/garbage.db" "$tmp/s.db" >.tach/config
if expect 2 "$TACH" bench --quick --store s.db --report "$tmp/r.md"; then
  tail -1 "$tmp/err" >"$tmp/last"
  grep -Eq "^tach bench: the run was NOT recorded: $tmp/s\.db is not a tach store \(not an SQLite database\); left unchanged; its results are kept in $tmp/\.tach/unrecorded/bench-[0-9]+-[0-9]+\.json \(tach record .* records them\)$" "$tmp/last" \
    && ok "tach bench: exit 2, the run NOT recorded, its results kept" || fail "tach bench: $(cat "$tmp/err")"
  [ ! -e "$tmp/r.md" ] && ok "tach bench: no report" || fail "tach bench wrote a report"
fi
cmp -s s.db garbage.db && ok "tach bench: the store left unchanged" || fail "tach bench wrote the garbage"
finish
