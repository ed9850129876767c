#!/usr/bin/env bash
# profile_damaged.sh - a profile kept in a results document that cannot be read back
# (its zlib stream cut, as a bad copy or a hand edit leaves it) is said, naming the
# benchmark, and not taken for a run that kept no profile (docs/profiling.md): `tach
# compare` / `gate` warn that the functions that grew are not shown (they showed nothing,
# as if the run had none), `tach profile --baseline DOC` says its "no change column" is
# for a damaged profile (it said the run "keeps no profile"), `tach report` (md, html)
# warns for each damaged one, in the run and in its baseline, and `tach site` for the
# newest run's whose page has no flame graph.  The documents are written by hand
# (mkdoc: NEW 20% slower, regressed by construction), so nothing depends on timing.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
cd "$tmp" || exit 1

embed() { # DOC NAME FOLDED-TEXT [damaged]: context.profiles[NAME], zlib + base64
  python3 - "$@" <<'PY'
import base64, json, sys, zlib
doc = json.load(open(sys.argv[1]))
text = sys.argv[3].encode()
b64 = base64.b64encode(zlib.compress(text)).decode()
if len(sys.argv) > 4: b64 = b64[:-8] + "AAAAAAAA"  # the stream's end overwritten
doc["context"].setdefault("profiles", {})[sys.argv[2]] = {"folded_zlib_base64": b64, "bytes": len(text)}
json.dump(doc, open(sys.argv[1], "w"))
PY
}
same=$'main;run;hot_work 800\nmain;run;cold_work 200\n'
grew=$'main;run;hot_work 600\nmain;run;cold_work 400\n'

mkdoc base.json prof/grew:steady:30:1000
mkdoc new.json prof/grew:steady:30:1200
mkdoc bad_base.json prof/grew:steady:30:1000
embed base.json prof/grew "$same"
embed new.json prof/grew "$grew" damaged
embed bad_base.json prof/grew "$same" damaged

# ---- compare / gate: the new run's profile damaged -----------------------------------
for fmt in table json; do
  expect 0 "$TACH" compare --format "$fmt" base.json new.json
  err_has "tach compare: warning: the new run: the profile of prof/grew is damaged: the functions that grew are not shown"
  out_lacks 'grew most'
done
expect 1 "$TACH" gate base.json new.json
err_has "tach gate: warning: the new run: the profile of prof/grew is damaged"
# the base run's
embed new.json prof/grew "$grew"
expect 0 "$TACH" compare bad_base.json new.json
err_has "tach compare: warning: the base run: the profile of prof/grew is damaged"
# both whole: no warning, the growth shown
expect 0 "$TACH" compare base.json new.json
grep -q damaged "$tmp/err" && fail "a warning: $(cat "$tmp/err")" || ok "no warning"
out_has '^prof/grew: the functions that grew most'

# ---- tach report (the formats that show profiles): each damaged one named ---------------
embed new.json prof/grew "$grew" damaged
for fmt in md html; do
  expect 0 "$TACH" report new.json --baseline bad_base.json --format "$fmt"
  err_has "tach report: warning: new.json: the profile of prof/grew is damaged: no flame graph or change from its stacks in the report"
  err_has "tach report: warning: bad_base.json: the profile of prof/grew is damaged"
  # its only profile not shown: no "Profiles" heading over an empty section
  out_lacks 'Profiles'
done
# one whole: the section, with its benchmark
expect 0 "$TACH" report base.json --format md
out_has '^## Profiles$'
out_has '^### `prof/grew`$'
expect 0 "$TACH" report new.json --format csv
grep -q damaged "$tmp/err" && fail "csv shows no profile, warned: $(cat "$tmp/err")" || ok "csv: no warning"

# ---- tach site: the newest run's damaged profile, no flame graph, said -------------------
expect 0 "$TACH" record --store "$tmp/s.db" new.json
expect 0 "$TACH" site "$tmp/site" --store "$tmp/s.db"
err_has "tach site: warning: run 1: the profile of prof/grew is damaged: no flame graph on its page"

# ---- tach profile --baseline DOC whose profile of the benchmark is damaged ---------------
FIX=$TACH_BUILD/tests/fixture_prof_hot
mkdoc bad_mix.json prof/mix:steady:30:1000
embed bad_mix.json prof/mix "$same" damaged
expect 0 "$TACH" profile --baseline bad_mix.json --profile-dir "$tmp/p" --top 3 -- "$FIX" --max-time 0.3
out_has '^no change column: bad_mix.json: the profile of prof/mix is damaged$'
out_lacks 'keeps no profile'
# one with no profile of it at all: said on stdout, as before
mkdoc other.json prof/other:steady:30:1000
embed other.json prof/other "$same"
expect 0 "$TACH" profile --baseline other.json --profile-dir "$tmp/p" --top 3 -- "$FIX" --max-time 0.3
out_has '^no change column: other.json keeps no profile of prof/mix$'
grep -q damaged "$tmp/err" && fail "a warning: $(cat "$tmp/err")" || ok "no warning"
# a baseline path and --profile-dir with an escape sequence: made safe on stdout, as the name is
esc=$'o\e[31mx'
cp other.json "$esc.json"
cp bad_mix.json "$esc-bad.json"
expect 0 "$TACH" profile --baseline "$esc.json" --profile-dir "$tmp/$esc" --top 3 -- "$FIX" --max-time 0.3
out_has '^no change column: o \[31mx\.json keeps no profile of prof/mix$'
out_has '^profile: .*/o \[31mx/prof_mix'
grep -q $'\e' "$tmp/out" && fail "stdout has an escape" || ok "stdout: no escape"
expect 0 "$TACH" profile --baseline "$esc-bad.json" --profile-dir "$tmp/p" --top 3 -- "$FIX" --max-time 0.3
out_has '^no change column: o \[31mx-bad\.json: the profile of prof/mix is damaged$'
grep -q $'\e' "$tmp/out" && fail "stdout has an escape (damaged)" || ok "stdout: no escape (damaged)"
finish
