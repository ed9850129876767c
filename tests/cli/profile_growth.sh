#!/usr/bin/env bash
# profile_growth.sh - `tach compare` / `tach gate` with profiles on both sides name, for
# each regressed benchmark, the functions whose share of samples grew most
# (docs/profiling.md).  The documents and their profiles are written by hand (mkdoc
# samples 20% slower in NEW: regressed by construction; folded stacks with known
# counts), so nothing depends on timing.  A regressed benchmark none of whose functions
# grew gets no entry and no heading: profile_growth is {} when none grew.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1

embed() { # DOC NAME FOLDED-TEXT: context.profiles[NAME], zlib + base64, as tach run keeps it
  python3 - "$1" "$2" "$3" <<'PY'
import base64, json, sys, zlib
doc = json.load(open(sys.argv[1]))
text = sys.argv[3].encode()
doc["context"].setdefault("profiles", {})[sys.argv[2]] = {
    "folded_zlib_base64": base64.b64encode(zlib.compress(text)).decode(), "bytes": len(text)}
json.dump(doc, open(sys.argv[1], "w"))
PY
}
same=$'main;run;hot_work 800\nmain;run;cold_work 200\n'
grew=$'main;run;hot_work 600\nmain;run;cold_work 400\n'

# ---- one regressed benchmark whose profile did not change: nothing grew ----------------
mkdoc base.json prof/same:steady:30:1000
mkdoc new.json prof/same:steady:30:1200
embed base.json prof/same "$same"
embed new.json prof/same "$same"
expect 0 "$TACH" compare base.json new.json
out_has '^prof/same .*regressed'
out_lacks 'grew most'
expect 0 "$TACH" compare --format json base.json new.json
out_jq '.benchmarks[0].verdict == "regressed"'
out_jq '.profile_growth == {}'
expect 1 "$TACH" gate base.json new.json
out_lacks 'grew most'
expect 1 "$TACH" gate --format json base.json new.json
out_jq '.profile_growth == {} and .gate_failed'

# ---- two regressed benchmarks, one whose cold_work grew: only that one is listed -------
mkdoc base2.json prof/same:steady:30:1000 prof/grew:steady:30:1000
mkdoc new2.json prof/same:steady:30:1200 prof/grew:steady:30:1200
embed base2.json prof/same "$same"
embed new2.json prof/same "$same"
embed base2.json prof/grew "$same"
embed new2.json prof/grew "$grew"
expect 0 "$TACH" compare base2.json new2.json
out_has '^prof/grew: the functions that grew most'
out_has '^  cold_work +20\.0% -> +40\.0% +\+20\.0 points \[95% CI \+[0-9.]+, \+[0-9.]+\]$'
out_lacks '^prof/same: '
[ "$(grep -c 'grew most' "$tmp/out")" = 1 ] && ok "one heading" || fail "headings: $(grep 'grew most' "$tmp/out")"
expect 0 "$TACH" compare --format json base2.json new2.json
out_jq '.profile_growth | keys == ["prof/grew"]'
out_jq '.profile_growth["prof/grew"] | length == 1 and .[0].function == "cold_work" and .[0].change > 0.19'

# ---- the reports: the same rule (no heading over an empty table) ------------------------
for fmt in md html; do
  expect 0 "$TACH" report new.json --baseline base.json --format "$fmt"
  out_lacks 'the functions whose share of samples grew most'
  expect 0 "$TACH" report new2.json --baseline base2.json --format "$fmt"
  [ "$(grep -c 'the functions whose share of samples grew most' "$tmp/out")" = 1 ] &&
    ok "report --format $fmt: one growth table, the benchmark's whose cold_work grew" ||
    fail "report --format $fmt: growth headings: $(grep -c 'grew most' "$tmp/out")"
done

# ---- without a profile on a side: no profile_growth key at all --------------------------
mkdoc plain.json prof/same:steady:30:1000
expect 0 "$TACH" compare --format json plain.json new.json
out_jq 'has("profile_growth") | not'
finish
