#!/usr/bin/env bash
# record_run_uid.sh - every run tach records carries one unique id (context.run_uid), in
# the document recorded and in the one exported (--export-json): `tach run`, `load`,
# `suite` and `soak` as `tach bench` (store_kept_recorded.sh).  Only bench had one, so
# `tach record` of a recorded run's export stored the run a second time; now it says the
# run is recorded already, records nothing, leaves the file (the user's own) and exits 0
# (-q: the run's id).  Into another store the export records its run as before.  SQLite.
source "$(dirname "$0")/lib.bash"
cd "$tmp"
S=$tmp/s.db
runs() { "$TACH" history --runs --store "${1:-$S}" --format json | jq length; }
uid_of_run() { "$TACH" report "$1" --store "$S" --format json --no-compare | jq -r '.context.run_uid'; }
hex='^[0-9a-f]{32}$'

# same_uid WHAT EXPORT ID: the export and run ID carry one id; tach record of the export
# into the store records nothing, into another store records it
same_uid() {
  local u; u=$(jq -r '.context.run_uid // empty' "$2")
  [[ $u =~ $hex ]] && [ "$(uid_of_run "$3")" = "$u" ] \
    && ok "$1: the export and the run recorded carry one run_uid" \
    || fail "$1: export's run_uid '$u', run $3's '$(uid_of_run "$3")'"
  local n; n=$(runs)
  if expect 0 "$TACH" record --store "$S" "$2"; then
    err_line "^tach record: $2: its run is already recorded, as run $3 in $S; not recorded again$" \
      && [ "$(runs)" = "$n" ] && [ -f "$2" ] \
      && ok "$1: tach record of its export: said, no second run, the file kept"
  fi
  expect 0 "$TACH" record -q --store "$S" "$2" && out_has "^$3\$" && [ "$(runs)" = "$n" ] \
    && ok "$1: -q prints the run's id" || fail "$1: -q: $(cat "$tmp/out" "$tmp/err")"
  rm -f other.db
  expect 0 "$TACH" record --store other.db "$2" && err_line '^tach record: recorded run 1 in other\.db$' \
    && ok "$1: another store records the export's run"
}

expect 0 "$TACH" run --store "$S" --runs 2 --warmup-runs 0 --style none --export-json run.json -- true \
  && same_uid "tach run" run.json 1

B=$TACH_BUILD/tests/fixture_load_ops
expect 0 "$TACH" load "$B" safe:100 --threads 1 --duration 0.3 --interval 0.1 --warmup 0 --quiet \
  --store "$S" --export-json load.json && same_uid "tach load" load.json 2

expect 0 "$TACH" suite crypto --quick --time 0.01 --algos sha256 --sizes 64 --store "$S" \
  --export-json suite.json && same_uid "tach suite" suite.json 3

# a soak's id is in its series file's header, which every record of the soak carries
"$TACH" soak --duration 0.4 --interval 0.1 --out soak.jsonl --store "$S" -- true >"$tmp/out" 2>"$tmp/err"
if err_has "recorded run 4 in $S"; then
  u=$(head -1 soak.jsonl | jq -r '.context.run_uid')
  [[ $u =~ $hex ]] && [ "$(uid_of_run 4)" = "$u" ] \
    && ok "tach soak: the series file and the run recorded carry one run_uid" \
    || fail "tach soak: the file's run_uid '$u', run 4's '$(uid_of_run 4)'"
fi

# two runs, two ids
a=$(jq -r .context.run_uid run.json)
"$TACH" run --no-store --runs 2 --warmup-runs 0 --style none --export-json run2.json -- true >/dev/null 2>&1
b=$(jq -r .context.run_uid run2.json)
[[ $b =~ $hex ]] && [ "$a" != "$b" ] && ok "each run its own id" || fail "ids: $a, $b"
finish
