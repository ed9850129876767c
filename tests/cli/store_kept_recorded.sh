#!/usr/bin/env bash
# store_kept_recorded.sh - `tach bench` keeps its run's results in .tach/unrecorded/
# before the record and removes the file once the run is recorded: a tach killed between
# the record's COMMIT and that removal leaves a file whose run is in the store.  `tach
# record` of it recorded the run a second time (a run twice in the history).  The kept
# file and the run recorded carry one unique id (context.run_uid), and `tach record` of
# a kept file whose run is there says so, removes the file and exits 0, no second run;
# into another store it records the run (and removes the file, record_kept_removed.sh);
# a copy elsewhere, the user's, is said recorded and left; a tach run's export carries
# its record's id too (record_run_uid.sh).  SQLite, then PostgreSQL.
# The crash window, without a kill and without timing: the record waits at its test hook
# (TACH_STORE_TEST_MARK, a fifo) inside its transaction while the test copies the kept
# file; the record then commits and removes it; the copy put back is what a kill there
# would have left.
source "$(dirname "$0")/lib.bash"
command -v sqlite3 >/dev/null || { echo "skip: no sqlite3"; exit 77; }
mkdir -p .tach
printf '[module "m"]\n    command = true\n' >.tach/config
mkfifo "$tmp/mark"
kept_ready() { jq -e .format .tach/unrecorded/bench-*.json >/dev/null 2>&1; }

# window STORE RUNS-CMD: a tach bench whose record is held before its COMMIT, its kept
# file copied to $tmp/copy.json meanwhile; the run then recorded.
window() {
  rm -f "$tmp/copy.json"
  TACH_STORE_TEST_SLEEP_MS=1 TACH_STORE_TEST_MARK="$tmp/mark" \
    "$TACH" bench --quick --store "$1" >"$tmp/out" 2>"$tmp/err" &
  local pid=$!
  # within, not running_until: the writer held at the fifo does not end by itself
  if within 60 kept_ready; then
    cp .tach/unrecorded/bench-*.json "$tmp/copy.json"
  else
    fail "$1: no kept file while the record was held"
  fi
  pass_mark "$pid"
  wait "$pid"
  local rc=$?
  [ "$rc" = 0 ] || fail "$1: tach bench: exit $rc: $(cat "$tmp/err")"
  [ ! -e .tach/unrecorded ] && ok "$1: the run recorded, its kept file removed" \
    || fail "$1: left: $(ls .tach/unrecorded)"
  [ "$($2)" = 1 ] || fail "$1: runs after the bench: $($2)"
}

# check_again STORE RUNS-CMD: tach record of the copy put back, as a kill after the
# COMMIT would have left it
check_again() {
  local k=$PWD/.tach/unrecorded/bench-1-1.json
  put_copy() { mkdir -p .tach/unrecorded && cp "$tmp/copy.json" "$k"; }
  put_copy
  jqt '.context.run_uid | test("^[0-9a-f]{32}$")' "$k" && ok "$1: the kept file carries the run's id" \
    || fail "$1: no run_uid in $(jq -c .context "$k" | head -c 300)"
  if expect 0 "$TACH" record --store "$1" "$k"; then
    err_line "^tach record: $k: its run is already recorded, as run 1 in $1; removing the kept file$" \
      && ok "$1: tach record of a kept file whose run is recorded says so"
  fi
  [ "$($2)" = 1 ] && ok "$1: no second run" || fail "$1: $($2) runs"
  [ ! -e "$k" ] && ok "$1: the kept file removed" || fail "$1: the kept file is still there"
  put_copy
  expect 0 "$TACH" record -q --store "$1" "$k" && out_has '^1$' && [ "$($2)" = 1 ] \
    && ok "$1: -q prints the run's id, no second run" || fail "$1: -q: $(cat "$tmp/out"), $($2) runs"
  # the same kept file named twice: removed by the first, gone for the second, no warning
  put_copy
  expect 0 "$TACH" record -q --store "$1" "$k" "$k" && [ "$(grep -c '^1$' "$tmp/out")" = 2 ] \
    && [ "$(grep -c 'removing the kept file$' "$tmp/err")" = 2 ] && ! grep -q 'could not be removed' "$tmp/err" \
    && ok "$1: a kept file named twice: its id twice, no warning" \
    || fail "$1: a kept file named twice: $(cat "$tmp/out" "$tmp/err")"
  # the id is the store's business: another store records the run (and the kept file
  # goes, its run recorded)
  put_copy
  expect 0 "$TACH" record --store "$tmp/other.db" "$k" \
    && err_line "^tach record: recorded run 1 in $tmp/other.db; removed the kept file $k$" && [ ! -e "$k" ] \
    && ok "$1: into another store the kept file records its run" \
    || fail "$1: into another store: the kept file did not record its run"
  # a copy of it elsewhere is the user's: said, not recorded again, not removed
  cp "$tmp/copy.json" "$tmp/mine.json"
  expect 0 "$TACH" record --store "$1" "$tmp/mine.json" \
    && err_line "^tach record: $tmp/mine.json: its run is already recorded, as run 1 in $1; not recorded again$" \
    && [ -f "$tmp/mine.json" ] && [ "$($2)" = 1 ] \
    && ok "$1: a copy elsewhere: said, no second run, the file left" \
    || fail "$1: a copy elsewhere: $($2) runs, $(ls "$tmp/mine.json" 2>&1)"
  rm -rf .tach/unrecorded "$tmp/other.db"
}

# run_export STORE RUNS-CMD: a tach run's export carries its record's id too: tach record
# of it into the store records nothing (record_run_uid.sh, SQLite alone)
run_export() {
  local n; n=$($2)
  expect 0 "$TACH" run --store "$1" --runs 1 --warmup-runs 0 --style none --export-json "$tmp/r.json" -- true \
    || return
  expect 0 "$TACH" record --store "$1" "$tmp/r.json" \
    && err_line "^tach record: $tmp/r.json: its run is already recorded, as run $((n + 1)) in .*; not recorded again$" \
    && [ "$($2)" = $((n + 1)) ] && ok "$1: tach record of a recorded tach run's export: no second run" \
    || fail "$1: the export: $($2) runs"
}

sqlite_runs() { sqlite3 "$tmp/s.db" 'SELECT count(*) FROM tach_runs'; }
window "$tmp/s.db" sqlite_runs
check_again "$tmp/s.db" sqlite_runs
run_export "$tmp/s.db" sqlite_runs

pg_start
pg_runs() { psql -X -At "$PG_URL" -c 'SELECT count(*) FROM tach_runs'; }
window "$PG_URL" pg_runs
check_again "$PG_URL" pg_runs
run_export "$PG_URL" pg_runs
finish
