#!/usr/bin/env bash
# store_later_tags.sh - the "record it later" of a `tach run` NOT recorded, with tags
# that do not fit the message: the command was cut (mid-word, mid-quote), a command that
# looks runnable and is not; it names the file and the number of --tag options to add.
# And the kept document's tag key is whole (it was cut at 255 bytes, so tach record of
# the kept file gave the run another key than the record would have).  The store is made
# read-only by the command run (chmod a-w; chattr +i for root), as store_run_unrecorded.sh.
source "$(dirname "$0")/lib.bash"
ro_tool
S=$tmp/d/s.db
mkdir -p "$tmp/d" "$tmp/p"
trap 'undo "$S"; rm -rf "$tmp"' EXIT
"$TACH" record -q --store "$S" "$DATA/report_base.json" >/dev/null || fail "cannot make the store"
cd "$tmp/p"
long=$(printf 'x%.0s' $(seq 300))
tags=()
for i in $(seq 40); do tags+=(--tag "k$i=$long"); done

expect 2 "$TACH" run --runs 2 --warmup-runs 0 --style none --store "$S" --export-json o.json \
  "${tags[@]}" -- "$tmp/ro.sh" "$S"
undo "$S"
tail -1 "$tmp/err" >"$tmp/last"
grep -Eq "; record it later with: tach record o.json, adding this run's 40 --tag options$" "$tmp/last" &&
  ok "tags too long for the line: the file named, the tags counted, no command cut" ||
  fail "last line: $(head -c 300 "$tmp/last")"

key=k$long
expect 2 "$TACH" run --runs 2 --warmup-runs 0 --style none --store "$S" --tag "$key=v" \
  -- "$tmp/ro.sh" "$S"
undo "$S"
kept=$(ls .tach/unrecorded/run-*.json 2>/dev/null | head -1)
[ -n "$kept" ] || fail "nothing kept: $(tail -1 "$tmp/err")"
[ -n "$kept" ] && check "the kept file's tag key is whole (301 bytes)" jqt --arg k "$key" \
  '.tags | keys == [$k]' "$kept"
finish
