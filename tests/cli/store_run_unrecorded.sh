#!/usr/bin/env bash
# store_run_unrecorded.sh - a `tach run`, `load` or `suite` whose record fails says how
# to record the run later, as `tach bench` does (store_record_denied.sh): with a
# --export-json FILE written, "record it later with: tach record FILE --tag K=V" (the
# path shell-quoted, the run's tags); without one (or with --export-json -), its document
# is kept in .tach/unrecorded/KIND-TIME-PID.json before the record and named, and
# `tach record` of it records the run and removes it.  The line said neither: a run not
# exported was lost.  A run recorded leaves no file and no .tach made for it.  The
# store is made read-only by the command run (chmod a-w; chattr +i for root), after the
# check before the run passed; load and suite are killed while their record is held at
# its test hook (TACH_STORE_TEST_MARK, a fifo, inside the transaction: never committed),
# what a tach killed while it waits for a lock leaves.  SQLite; nothing timed.
source "$(dirname "$0")/lib.bash"
command -v sqlite3 >/dev/null || { echo "skip: no sqlite3"; exit 77; }
ro_tool
S=$tmp/d/s.db
mkdir -p "$tmp/d" "$tmp/p"
trap 'undo "$S"; rm -rf "$tmp"' EXIT
"$TACH" record -q --store "$S" "$DATA/report_base.json" >/dev/null || fail "cannot make the store"
runs() { sqlite3 "$S" 'SELECT count(*) FROM tach_runs'; }
cd "$tmp/p" # a project with no .tach yet
n=1         # runs in the store

# denied_run ARGS...: tach run (--tag k=v) whose command makes the store read-only: exit 2,
# nothing recorded; $tmp/last is the last line of stderr
denied_run() {
  expect 2 "$TACH" run --runs 2 --warmup-runs 0 --style none --store "$S" --tag k=v "$@" \
    -- "$tmp/ro.sh" "$S"
  undo "$S"
  tail -1 "$tmp/err" >"$tmp/last"
  [ "$(runs)" = $n ] || fail "runs: $(runs), want $n"
}

# 1. --export-json FILE: the line says how to record it, the path quoted, with the tags
denied_run --export-json "out file.json"
re="^tach run: the run was NOT recorded: cannot write store $S: [A-Z][a-z]+.*; record it later with: tach record 'out file.json' --tag k=v$"
grep -Eq "$re" "$tmp/last" && ok "--export-json FILE: the line names the tach record to run" \
  || fail "--export-json FILE: last line: $(cat "$tmp/last")"
[ ! -e .tach ] && ok "--export-json FILE: nothing kept beside the export" || fail "left: $(ls -R .tach)"
if expect 0 "$TACH" record --store "$S" "out file.json" --tag k=v; then
  n=$((n + 1))
  [ "$(runs)" = $n ] && [ "$(sqlite3 "$S" "SELECT count(*) FROM tach_run_tags WHERE key = 'k' AND value = 'v'")" -ge 1 ] \
    && ok "--export-json FILE: the command said records the run, with its tag" \
    || fail "runs: $(runs), tags: $(sqlite3 "$S" 'SELECT * FROM tach_run_tags')"
fi

# kept_line WHAT KIND: the last line names a kept file .tach/unrecorded/KIND-*.json in the
# project, which holds the run's tags; tach record of it records the run and removes it
kept_line() {
  local re="; its results are kept in (.*) \(tach record \1 records them\)$"
  local kept
  kept=$(sed -n 's/.*; its results are kept in \(.*\) (tach record \1 records them)$/\1/p' "$tmp/last")
  if grep -Eq "^tach run: the run was NOT recorded: cannot write store $S: [A-Z].*$re" "$tmp/last" &&
     [[ $kept == "$(pwd -P)/.tach/unrecorded/$2-"*.json ]] && [ -f "$kept" ]; then
    ok "$1: the line names the file the results are kept in"
  else
    fail "$1: last line: $(cat "$tmp/last")"
    return
  fi
  jqt '.tags == {"k": "v"} and (.context.run_uid | test("^[0-9a-f]{32}$"))' "$kept" \
    && ok "$1: the kept file holds the run's tags and its id" || fail "$1: $(jq -c .tags "$kept")"
  if expect 0 "$TACH" record --store "$S" "$kept"; then
    n=$((n + 1))
    [ "$(runs)" = $n ] && [ ! -e "$kept" ] && [ ! -e .tach/unrecorded ] \
      && ok "$1: tach record of the kept file records the run and removes it" \
      || fail "$1: runs $(runs); left: $(ls -R .tach)"
  fi
}

# 2. no export, and an export to standard output: the document kept in .tach/unrecorded/
# (and .tach, which the run made for it: a store elsewhere leaves no .tach in the project)
made_gone() { [ ! -e .tach ] && ok "$1: tach record of it removes the .tach made for it" || fail "$1: left: $(ls -RA .tach)"; }
denied_run
kept_line "no --export-json" run
made_gone "no --export-json"
denied_run --export-json -
kept_line "--export-json -" run
made_gone "--export-json -"
rm -rf .tach

# 3. a run recorded leaves nothing: no kept file, no .tach made for it
expect 0 "$TACH" run --runs 2 --warmup-runs 0 --style none --store "$S" -- true && n=$((n + 1))
[ ! -e .tach ] && ok "a run recorded: no .tach left in the project" || fail "left: $(ls -R .tach)"
# in a project with a .tach, the file is kept there, from a folder below it too
mkdir -p .tach sub
(cd sub && "$TACH" run --runs 2 --warmup-runs 0 --style none --store "$S" --tag k=v -- "$tmp/ro.sh" "$S" \
  >"$tmp/out" 2>"$tmp/err")
undo "$S"
tail -1 "$tmp/err" >"$tmp/last"
kept_line "from a folder below the project" run
[ ! -e sub/.tach ] && [ -d .tach ] && ok "the project's .tach kept it; it stays" || fail "$(ls -a sub .tach)"
rm -rf .tach sub

# 4. load and suite killed while the record is held: the kept file stays, and records
# the run; with a --export-json FILE, nothing is kept (the export records it)
mkfifo "$tmp/mark"
kept_ready() { jq -e .format .tach/unrecorded/"$1"-*.json >/dev/null 2>&1; }
export_ready() { jq -e .format x.json >/dev/null 2>&1; }
# at_mark PID: PID waits to open the fifo $tmp/mark (the store hook's fopen(mark, "w"),
# inside the record's transaction): its /proc/PID/wchan reads what a probe of the test's
# own, blocked opening a fifo, reads (or fifo_open, wait_for_partner: the kernel's names).  With
# no wchan (it reads 0 or nothing), $fifo_wait is empty and the hold goes unconfirmed.
fifo_wait=
mkfifo "$tmp/probe.fifo"
(exec 3>"$tmp/probe.fifo") &
probe=$!
named_wchan() { local w; w=$(cat "/proc/$1/wchan" 2>/dev/null); [ -n "$w" ] && [ "$w" != 0 ] && echo "$w"; }
within 10 named_wchan $probe >/dev/null && fifo_wait=$(named_wchan $probe)
cat "$tmp/probe.fifo" >/dev/null
wait $probe
at_mark() {
  [ -z "$fifo_wait" ] && return 0
  case $(cat "/proc/$1/wchan" 2>/dev/null) in "$fifo_wait" | fifo_open | wait_for_partner) return 0 ;; esac
  return 1
}
# killed KIND TAGS-JSON ARGS...: tach ARGS held at the record's mark and killed once its
# kept file is whole (or, for an export, once that is) and it is at the mark: a kept
# file comes before the record, so none can come after the kill's check
killed() {
  local kind=$1 tags=$2; shift 2
  local ready=(kept_ready "$kind")
  [[ " $* " == *" --export-json x.json "* ]] && ready=(export_ready)
  TACH_STORE_TEST_SLEEP_MS=1 TACH_STORE_TEST_MARK="$tmp/mark" "$TACH" "$@" --store "$S" \
    >"$tmp/out" 2>"$tmp/err" &
  local pid=$!
  # within, not running_until: the writer held at the fifo does not end by itself; it
  # cannot pass the mark, so it is killed before its COMMIT
  within 60 "${ready[@]}" || fail "tach $kind: nothing ready: $(cat "$tmp/err")"
  within 60 at_mark "$pid" || fail "tach $kind: never held at the mark: $(cat "/proc/$pid/wchan" 2>/dev/null)"
  kill -KILL "$pid"
  wait "$pid" 2>/dev/null
  [ "$(runs)" = $n ] || fail "tach $kind: runs $(runs), want $n"
  if [ "${ready[0]}" = export_ready ]; then
    [ ! -e .tach/unrecorded ] && ok "tach $kind --export-json FILE: nothing kept beside it" \
      || fail "tach $kind: left: $(ls .tach/unrecorded)"
    expect 0 "$TACH" record --store "$S" x.json && n=$((n + 1))
    rm -rf x.json .tach
    return
  fi
  local kept=(.tach/unrecorded/"$kind"-*.json)
  jqt ".tags == $tags" "${kept[0]}" && ok "tach $kind killed in its record: its results kept" \
    || fail "tach $kind: kept tags $(jq -c .tags "${kept[0]}")"
  if expect 0 "$TACH" record --store "$S" "${kept[0]}"; then
    n=$((n + 1))
    [ "$(runs)" = $n ] && [ ! -e .tach/unrecorded ] \
      && ok "tach $kind: tach record of the kept file records the run and removes it" \
      || fail "tach $kind: runs $(runs); left: $(ls -R .tach)"
  fi
  rm -rf .tach
}
B=$TACH_BUILD/tests/fixture_load_ops
killed load '{}' load "$B" safe:100 --threads 1 --duration 0.3 --interval 0.1 --warmup 0 --quiet
killed load '{}' load "$B" safe:100 --threads 1 --duration 0.3 --interval 0.1 --warmup 0 --quiet \
  --export-json x.json
killed suite '{"quick": "1"}' suite crypto --quick --time 0.01 --algos sha256 --sizes 64
killed suite '{}' suite crypto --quick --time 0.01 --algos sha256 --sizes 64 --export-json x.json
finish
