#!/usr/bin/env bash
# store_record_denied.sh - a store made read-only during a run (the file, or its
# directory), after the check before it passed: the run is NOT recorded, and that is a
# store the user must fix, as the check before the run would have refused it (exit 2,
# docs/guide.md), not a write that failed (exit 1, a PostgreSQL server down).  The line
# names the store and why; `tach bench` keeps its results for a `tach record` later.  It
# was exit 1 (TOOL_STORE_FAULT_ACCESS).  The command benchmarked makes the store
# read-only: chmod a-w, or for root, whom modes do not stop, chattr +i.  No server,
# nothing timed.
source "$(dirname "$0")/lib.bash"
ro_tool
mkdir -p "$tmp/d"
trap 'undo "$tmp/d/s.db" "$tmp/d"; rm -rf "$tmp"' EXIT
S=$tmp/d/s.db
"$TACH" record -q --store "$S" "$DATA/report_base.json" >/dev/null || fail "cannot make the store"
runs() { sqlite3 "$S" 'SELECT count(*) FROM tach_runs'; }
mkdir -p .tach

# denied WHAT TARGET REASON-RE: tach bench whose command makes TARGET read-only
n=1 # runs in the store
denied() {
  printf '[module "m"]\n    command = %s %s\n' "$tmp/ro.sh" "$2" >.tach/config
  expect 2 "$TACH" bench --quick --store "$S"
  undo "$2"
  tail -1 "$tmp/err" >"$tmp/last"
  local re="^tach bench: the run was NOT recorded: cannot write store $S: $3; its results are kept in (.*) \(tach record \1 records them\)$"
  if grep -Eq "$re" "$tmp/last"; then
    ok "$1 made read-only during the run: exit 2, the store named, and why"
  else
    fail "$1: last line: $(cat "$tmp/last")"
  fi
  local kept
  kept=$(sed -n 's/.*; its results are kept in \(.*\) (tach record \1 records them)$/\1/p' "$tmp/last")
  [ -n "$kept" ] && [ -f "$kept" ] && ok "$1: the results kept in $kept" || fail "$1: no kept file"
  [ "$(runs)" = $n ] || fail "$1: runs: $(runs), want $n"
  if [ -n "$kept" ] && expect 0 "$TACH" record --store "$S" "$kept"; then
    n=$((n + 1))
    [ "$(runs)" = $n ] && ok "$1: tach record of the kept file records the run" || fail "runs: $(runs)"
  fi
  rm -rf .tach/unrecorded
}
denied "the store file" "$S" '[A-Z][a-z]+.*'
denied "the store's directory" "$tmp/d" "its directory $tmp/d: [A-Z][a-z]+.*"

# tach run (suite, load: cli_run_record) alike
expect 2 "$TACH" run --runs 2 --warmup-runs 0 --store "$S" -- "$tmp/ro.sh" "$S"
undo "$S"
tail -1 "$tmp/err" | grep -Eq "^tach run: the run was NOT recorded: cannot write store $S: [A-Z]" \
  && ok "tach run: the store made read-only during the run: exit 2" || fail "tach run: $(tail -1 "$tmp/err")"
[ "$(runs)" = $n ] || fail "tach run: runs: $(runs), want $n"
finish
