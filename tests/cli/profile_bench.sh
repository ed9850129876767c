#!/usr/bin/env bash
# profile_bench.sh - profiles of a benchmark binary (docs/profiling.md, issue #13): the
# fixture prof_hot spends ~90% of prof/mix in hot_work (the line marked PROF_HOT_LINE)
# and ~10% in cold_work, by fixed operation counts, so the shares hold on a busy
# machine (cpu-clock counts the thread's own CPU time; sampled at 4999 Hz, so that
# there are enough samples even when the machine leaves the test little CPU time).
# Bounds are generous (the ratio is 9:1 by construction; the tests allow 75-97% and
# 3-25%).  Checked: the
# bottleneck table's ranks and file:line, the same without frame pointers (DWARF
# unwinding finds the caller), the files read back by an independent reader
# (data/check_profile.py: speedscope's file format, folded == speedscope), the SVG in
# headless Chromium (no script errors, hot_work the widest frame above the benchmark
# function, search and zoom work), the differential view (doubling cold_work's work
# is the top growth), bad values of the options.
source "$(dirname "$0")/lib.bash"
FIX=$TACH_BUILD/tests/fixture_prof_hot
NOFP=$TACH_BUILD/tests/fixture_prof_hot_nofp
SRC=$TACH_SRC/tests/fixtures/prof_hot.c
HOT_LINE=$(grep -n '/\* PROF_HOT_LINE \*/' "$SRC" | cut -d: -f1)
COLD_LINE=$(grep -n '/\* PROF_COLD_LINE \*/' "$SRC" | cut -d: -f1)
cd "$tmp" || exit 1

# share FILE FUNC: FUNC's self share in a table printed by --profile (column 4)
share() { awk -v f="$2" '$2 == f { sub("%", "", $4); print $4 }' "$1"; }
between() { awk -v x="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(x != "" && x >= lo && x <= hi) }'; }

# ---- the table: ranks, file:line, shares ----------------------------------------------
expect 0 "$FIX" --profile --profile-hz 4999 --profile-dir "$tmp/p" --max-time 1.5 --quiet
cp "$tmp/out" table.txt
awk '$1 == "1" { print $2; exit }' table.txt | grep -qx hot_work && ok "rank 1 is hot_work" || fail "rank 1: $(cat table.txt)"
awk '$1 == "2" { print $2; exit }' table.txt | grep -qx cold_work && ok "rank 2 is cold_work" || fail "rank 2: $(cat table.txt)"
grep -qE "^ +1 +hot_work +[^ ]*prof_hot\.c:$HOT_LINE " table.txt && ok "hot_work at prof_hot.c:$HOT_LINE" || fail "hot_work's file:line: $(grep hot_work table.txt)"
grep -qE "cold_work +[^ ]*prof_hot\.c:$COLD_LINE " table.txt && ok "cold_work at prof_hot.c:$COLD_LINE" || fail "cold_work's file:line: $(grep cold_work table.txt)"
between "$(share table.txt hot_work)" 65 97 && ok "hot_work's share $(share table.txt hot_work)% (~90)" || fail "hot_work's share $(share table.txt hot_work)"
between "$(share table.txt cold_work)" 3 30 && ok "cold_work's share $(share table.txt cold_work)% (~10)" || fail "cold_work's share $(share table.txt cold_work)"
samples=$(grep -oE '^[0-9]+ samples' table.txt | cut -d' ' -f1)
[ "${samples:-0}" -ge 100 ] && ok "$samples samples" || fail "too few samples: ${samples:-none}"
grep -q 'without a symbol' table.txt && ok "the share without a symbol is shown" || fail "no unknown share"
grep -q "profile: $tmp/p/prof_mix-47235a4493647f7f.{folded,speedscope.json,svg}" table.txt && ok "where the files are" || fail "no file line"
for f in prof_mix-47235a4493647f7f.folded prof_mix-47235a4493647f7f.speedscope.json prof_mix-47235a4493647f7f.svg; do
  [ -s "p/$f" ] && ok "$f written" || fail "$f missing"
done

# ---- the files, read by an independent reader ---------------------------------------
if python3 "$DATA/check_profile.py" p/prof_mix-47235a4493647f7f.folded p/prof_mix-47235a4493647f7f.speedscope.json >shares.txt; then
  ok "folded and speedscope agree, speedscope's format holds"
  between "$(awk '$1 == "hot_work" { print $2 }' shares.txt)" 65 97 && ok "hot_work's leaf share (reader)" || fail "reader's shares: $(cat shares.txt)"
else
  fail "check_profile: $(cat shares.txt)"
fi
grep -qx 'tach__fn_mix;hot_work [0-9]*' p/prof_mix-47235a4493647f7f.folded && ok "folded: the caller tach__fn_mix above hot_work" || fail "folded: $(head -3 p/prof_mix-47235a4493647f7f.folded)"

# ---- without frame pointers: DWARF unwinding finds the caller --------------------------
expect 0 "$NOFP" --profile --profile-hz 4999 --profile-dir "$tmp/q" --max-time 1.5 --quiet
awk '$1 == "1" { print $2; exit }' "$tmp/out" | grep -qx hot_work && ok "no frame pointers: rank 1 is hot_work" || fail "nofp: $(cat "$tmp/out")"
total=$(awk '{ s += $NF } END { print s }' q/prof_mix-47235a4493647f7f.folded)
called=$(awk '/^tach__fn_mix;(hot|cold)_work / { s += $NF } END { print s + 0 }' q/prof_mix-47235a4493647f7f.folded)
[ "$total" -gt 0 ] && [ $((called * 100 / total)) -ge 90 ] && ok "no frame pointers: $called of $total samples under tach__fn_mix" ||
  fail "no frame pointers: $called of $total under the caller: $(cat q/prof_mix-47235a4493647f7f.folded)"

# ---- the SVG in headless Chromium --------------------------------------------------------
if command -v chromium >/dev/null; then
  chromium_dom "$tmp/p/prof_mix-47235a4493647f7f.svg" svg.dom
  no_script_errors svg.dom && ok "the SVG: no script errors"
  { echo '<!DOCTYPE html><html><body>'; cat p/prof_mix-47235a4493647f7f.svg
    cat <<'JS'
<script>
var svg = document.querySelector('svg.tach-flame'), best = null, bw = -1;
svg.querySelectorAll('g.f').forEach(function (g) {
  var w = +g.querySelector('rect').getAttribute('width');
  if (+g.getAttribute('data-d') >= 2 && w > bw) { bw = w; best = g.getAttribute('data-name'); }
});
document.body.setAttribute('data-widest', best);
svg.tachSearch('^hot_work$');
document.body.setAttribute('data-matched', svg.querySelector('.info').textContent);
var cold = [].filter.call(svg.querySelectorAll('g.f'), function (g) { return g.getAttribute('data-name') === 'cold_work'; })[0];
svg.tachZoom(cold);
document.body.setAttribute('data-zoomed', cold.querySelector('rect').getAttribute('width'));
</script></body></html>
JS
  } >page.html
  chromium_dom "$tmp/page.html" page.dom
  no_script_errors page.dom && ok "the SVG in a page: no script errors"
  grep -q 'data-widest="hot_work"' page.dom && ok "hot_work is the widest frame above the benchmark's" || fail "widest: $(grep -o 'data-widest="[^"]*"' page.dom)"
  grep -qE 'data-matched="Matched: (7[5-9]|8[0-9]|9[0-7])\.[0-9]%"' page.dom && ok "search: hot_work matched" || fail "search: $(grep -o 'data-matched="[^"]*"' page.dom)"
  grep -q 'data-zoomed="1200"' page.dom && ok "zoom: cold_work fills the width" || fail "zoom: $(grep -o 'data-zoomed="[^"]*"' page.dom)"
  grep -q '<title>hot_work' p/prof_mix-47235a4493647f7f.svg && ok "readable without script: titles" || fail "no titles"
else
  echo "chromium is not installed (scripts/deps.sh test): the SVG is not opened"
  fail "chromium missing"
fi

# ---- differential: cold_work doing twice its work is the top growth -------------------
ln -s "$FIX" cold2_prof_hot
expect 0 ./cold2_prof_hot --profile --profile-hz 4999 --profile-dir "$tmp/c2" --max-time 1.5 --quiet
expect 0 "$TACH" profile --diff p/prof_mix-47235a4493647f7f.folded c2/prof_mix-47235a4493647f7f.folded --profile-dir "$tmp/d" --top 5
awk 'NR == 3 { print $1 }' "$tmp/out" | grep -qx cold_work && ok "the top growth is cold_work" || fail "diff: $(cat "$tmp/out")"
out_has '^cold_work +[0-9.]+% +[0-9.]+% +\+[0-9.]+ +\[[-+][0-9.]+, \+[0-9.]+\]$'
[ -s d/prof_mix-47235a4493647f7f.diff.svg ] && ok "the differential flame graph" || fail "no diff svg"
grep -q 'fill="rgb(255,' d/prof_mix-47235a4493647f7f.diff.svg && ok "growth drawn red" || fail "no red frame"

# ---- compare / gate: a regression with profiles on both sides names what grew ---------
# Two documents (steady samples, the new one 20% slower: a regression by construction)
# carrying the two profiles above, kept as tach run --profile keeps them.
mkdoc base.json prof/mix:steady:30:1000
mkdoc new.json prof/mix:steady:30:1200
embed() { # DOC FOLDED: context.profiles["prof/mix"] from FOLDED, zlib + base64
  python3 - "$1" "$2" <<'PY'
import base64, json, sys, zlib
doc = json.load(open(sys.argv[1]))
text = open(sys.argv[2], "rb").read()
doc["context"].setdefault("profiles", {})["prof/mix"] = {
    "folded_zlib_base64": base64.b64encode(zlib.compress(text)).decode(), "bytes": len(text)}
json.dump(doc, open(sys.argv[1], "w"))
PY
}
embed base.json p/prof_mix-47235a4493647f7f.folded
embed new.json c2/prof_mix-47235a4493647f7f.folded
expect 0 "$TACH" compare base.json new.json
out_has '^prof/mix: the functions that grew most'
out_has '^  cold_work +[0-9.]+% -> +[0-9.]+% +\+[0-9.]+ points \[95% CI \+[0-9.]+, \+[0-9.]+\]$'
expect 0 "$TACH" compare --format json base.json new.json
out_jq '.profile_growth["prof/mix"][0].function == "cold_work"'
expect 1 "$TACH" gate base.json new.json
out_has '^  cold_work '
# tach report: the growth beside the regression, the differential graph in the HTML
expect 0 "$TACH" report new.json --baseline base.json --format md
out_has '^## Profiles'
out_has '^\| `cold_work` \| [0-9.]+% \| [0-9.]+% \| \+[0-9.]+ \|'
# ... and beside the regression, below the Regressions table
out_has '^What grew most in each regression.s profile'
out_has '^- `prof/mix`: `cold_work` [0-9.]+% → [0-9.]+% \(\+[0-9.]+ points, 95% CI \[\+[0-9.]+, \+[0-9.]+\]\)$'
expect 0 "$TACH" report new.json --baseline base.json --format html -o report.html
grep -q 'grew most in its profile: <code>cold_work</code>' report.html && ok "HTML report: what grew, on the regression's row" || fail "no growth beside the regression in HTML"
grep -q 'id="profiles"' report.html && ok "HTML report: the profiles section" || fail "no profiles section"
grep -q 'class="tach-flame"' report.html && ok "HTML report: the flame graph embedded" || fail "no flame graph"
if command -v chromium >/dev/null; then
  chromium_dom "$tmp/report.html" report.dom
  no_script_errors report.dom && ok "HTML report with a flame graph: no script errors"
else
  echo "skip: the HTML report's scripts in a browser: no chromium"
fi
# no profile on one side: nothing said
mkdoc plain.json prof/mix:steady:30:1000
expect 0 "$TACH" compare plain.json new.json
out_lacks 'grew most'
expect 0 "$TACH" report new.json --baseline plain.json --format md
out_lacks 'What grew most'

# ---- only the measured region: the body's work outside tach_loop has no samples ----------
# (fixture prof_outside: per sample, three times the timed work runs after the loop; the
# sampler used to be on for the whole call of the body and gave it ~75%)
OUT=$TACH_BUILD/tests/fixture_prof_outside
expect 0 "$OUT" --profile --profile-hz 4999 --profile-dir "$tmp/o" --max-time 1 --quiet
grep -q 'inside_work' o/prof_outside-5f745b4b8d34416a.folded && ok "the timed inside_work is sampled" || fail "no inside_work: $(cat o/prof_outside-5f745b4b8d34416a.folded)"
grep -q 'outside_work' o/prof_outside-5f745b4b8d34416a.folded && fail "untimed outside_work sampled: $(cat o/prof_outside-5f745b4b8d34416a.folded)" || ok "the untimed outside_work has no samples"

# per-call mode (.latency): the profiler switched at a sample's first and last clock read
# there too, its clock reads after each call kept (measured time), so no edge warning
LAT=$TACH_BUILD/tests/fixture_latency
expect 0 "$LAT" --filter two_costs --profile --profile-hz 4999 --profile-dir "$tmp/l" --max-time 1 --quiet
n=$(grep -oE '^[0-9]+ samples' "$tmp/out" | cut -d' ' -f1)
[ "${n:-0}" -ge 20 ] && ok "per-call mode: $n samples" || fail "per-call mode: $(cat "$tmp/out")"
out_lacks '^warning:'

# a benchmark binary at a path with a blank is still a benchmark binary: its measured
# regions profiled per benchmark (it was profiled as a command: one profile of the whole
# process, setup, calibration and statistics included, named after the command line)
mkdir -p "$tmp/sp dir" && cp "$FIX" "$tmp/sp dir/prof hot"
expect 0 "$TACH" profile --profile-hz 4999 --profile-dir "$tmp/sp" -- "$tmp/sp dir/prof hot" --filter '^prof/mix$' --max-time 1
out_has '^Top 10 of prof/mix ' && check "... its files named for the benchmark" test -s "$tmp/sp/prof_mix-47235a4493647f7f.folded"

# ---- bad values: exit 2 naming the flag, nothing written ---------------------------------
expect 2 "$FIX" --profile-hz 0 && err_has "--profile-hz"
expect 2 "$FIX" --profile-hz abc && err_has "--profile-hz"
# the table's JSON (context.profiles.NAME.top) has the keys docs/profiling.md lists, no
# more and no fewer (they were not documented)
doc_keys() { grep -o "\`$1 = {[^}]*}\`" "$TACH_SRC/docs/profiling.md" | grep -o '"[a-z_]*"' | tr -d '"' | sort | tr '\n' ' '; }
"$FIX" --profile --profile-dir "$tmp/pj" --max-time 0.3 --quiet --format json --out pj.json
got=$(jq -r '.context.profiles[].top | keys[]' pj.json | sort -u | tr '\n' ' ')
[ -n "$got" ] && [ "$got" = "$(doc_keys 'context.profiles.NAME.top')" ] && ok "the table's keys are documented" ||
  fail "the table's keys '$got', documented '$(doc_keys 'context.profiles.NAME.top')'"
got=$(jq -r '.context.profiles[].top.top[] | keys[]' pj.json | sort -u | tr '\n' ' ')
[ -n "$got" ] && [ "$got" = "$(doc_keys 'top\[\]')" ] && ok "its rows' keys are documented" ||
  fail "its rows' keys '$got', documented '$(doc_keys 'top\[\]')'"
# "bytes" is the folded stacks' length before zlib, as docs/profiling.md says (it was
# listed, not explained): what reading them back sizes and checks the text by
grep -q '`bytes` is the length in bytes of the folded stacks before compression' "$TACH_SRC/docs/profiling.md" &&
  ok "bytes is explained" || fail "docs/profiling.md does not explain \"bytes\""
"$TACH" run --no-store --profile --profile-dir "$tmp/rj" --export-json rj.json "$FIX" --max-time 0.3 \
  >/dev/null 2>&1 || fail "tach run --profile of the fixture"
check "... and is the uncompressed folded stacks' length" python3 -c '
import base64, json, sys, zlib
ps = json.load(open(sys.argv[1]))["context"]["profiles"].values()
assert ps
for e in ps:
    assert e["bytes"] == len(zlib.decompress(base64.b64decode(e["folded_zlib_base64"]))), e["bytes"]' rj.json

# a benchmark that crashed, failed or was skipped has no profile for that reason, said
# (before: "no samples (the measured region ran for less than one sampling period)"), under
# the binary's --profile and under tach profile (whose binary's table is not shown)
ISO=$TACH_BUILD/tests/fixture_isolation
for how in binary tach; do
  if [ $how = binary ]; then
    expect 1 "$ISO" --profile --profile-dir "$tmp/pf" --filter '^iso/(segfault|fails|skips)$' --max-time 0.1
  else
    expect 1 "$TACH" profile --profile-dir "$tmp/pf" -- "$ISO" --filter '^iso/(segfault|fails|skips)$' --max-time 0.1
  fi
  out_has '^profile of iso/segfault: none \(crashed: killed by signal 11 \(SIGSEGV\)\)$' &&
    out_has '^profile of iso/fails: none \(failed: input file missing\)$' &&
    out_has '^profile of iso/skips: none \(skipped: needs AVX-512\)$' &&
    out_lacks 'sampling period' && ok "$how: a benchmark that did not end ok: its profile's absence says why"
done
# the binary killed by a signal: named (it said "exited with signal 9"); a wrapper that
# answers the probe as the binary and then kills itself stands in for it
printf '#!/bin/sh\ncase "$1" in --tach-probe) exec "%s" "$@";; esac\nkill -KILL $$\n' "$ISO" >killed.sh
chmod +x killed.sh
expect 1 "$TACH" profile --profile-dir "$tmp/pk" -- ./killed.sh --filter '^iso/healthy_first$'
err_has "tach profile: ./killed.sh was killed by signal 9 (SIGKILL)"
expect 2 "$FIX" --top -1 && err_has "--top"
expect 2 "$TACH" profile --top 0 true && err_has "--top"
expect 2 "$TACH" profile && err_has "no program"
expect 0 "$FIX" --help && out_has '--profile-dir DIR'
finish
