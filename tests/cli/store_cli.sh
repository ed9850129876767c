#!/usr/bin/env bash
# store_cli.sh - the history store through the tool: tach run / record / history / baseline,
# git facts, tags, atomicity (a writer killed mid-run), 8 concurrent writers, a store from
# a newer tach, unknown runs and baselines, bad flags.
#
# Backend: a SQLite file in a temp directory, or, when TACH_TEST_PG_URL is set
# (tests/cli/store_pg.sh starts a throwaway PostgreSQL server and runs this script again),
# that PostgreSQL database.  SQLite-only checks (corrupt / truncated / foreign files, the
# default .tach/ discovery) run only on SQLite.
source "$(dirname "$0")/lib.bash"
PY=/usr/bin/python3
PG=${TACH_TEST_PG_URL:-}

if [ -n "$PG" ]; then
  STORE=$PG
  pgsql() { psql -X -q -t -A "$PG" -c "$1"; }
  reset_store() {
    pgsql "SET client_min_messages = warning; DROP TABLE IF EXISTS tach_meta, tach_runs,
      tach_run_tags, tach_run_docs, tach_benchmarks, tach_names, tach_baselines" >/dev/null
  }
else
  STORE=$tmp/store/tach.db
  reset_store() { rm -rf "$tmp/store" && mkdir "$tmp/store"; } # (a missing directory is refused)
fi
export TACH_STORE=$STORE
reset_store

# doc FILE NAME LEVEL...: a tach results document with one benchmark per NAME=LEVEL pair,
# samples LEVEL-1, LEVEL, LEVEL+1 (median LEVEL).
doc() {
  local out=$1; shift
  $PY - "$@" >"$out" <<'EOF'
import json, sys
b = []
for arg in sys.argv[1:]:
    name, level = arg.split("=")
    l = float(level)
    # Estimates given, as tach writes them, so that the reader need not bootstrap them.
    b.append({"name": name, "status": "ok",
              "samples": {"iters": [1, 1, 1], "ns": [l - 1, l, l + 1]},
              "estimates": {"median": {"value": l, "ci_low": l - 1, "ci_high": l + 1},
                            "mean": {"value": l, "ci_low": l - 1, "ci_high": l + 1},
                            "stddev": 1.0, "cv": 1.0 / l, "min": l - 1, "max": l + 1}})
print(json.dumps({"format": "tach-results", "version": 1,
                  "context": {"date": "2026-02-03T04:05:06Z"}, "benchmarks": b}))
EOF
}
nruns() { "$TACH" history --runs --format csv | tail -n +2 | wc -l; }

# ---- git facts: commit, branch, dirty flag and subject of the work tree -----------------------
repo=$tmp/repo
mkdir -p "$repo" && cd "$repo" || exit 1
git init -q -b trunk . && git config user.email t@example.com && git config user.name T
echo a >file && git add file && git commit -q -m "First, with a comma" && sha=$(git rev-parse HEAD)
if expect 0 "$TACH" run --runs 3 -- /bin/true; then
  err_has "recorded run"
  expect 0 "$TACH" history --runs --format json
  got=$(jq -r '.[0] | "\(.commit) \(.branch) \(.dirty) \(.subject) \(.benchmarks)"' "$tmp/out")
  [ "$got" = "$sha trunk false First, with a comma 1" ] && ok "tach run records commit, branch, clean, subject" \
    || fail "git facts: '$got'"
fi
echo b >>file
doc "$tmp/d1.json" "x=100"
# a key given twice: refused as tach run and tach suite refuse it (one value per key), nothing recorded
runs_before=$("$TACH" history --runs --format csv | wc -l)
expect 2 "$TACH" record --tag ci=yes --tag ci=no "$tmp/d1.json" \
  && err_line "^tach record: --tag: key 'ci' is given twice \('ci=yes', 'ci=no'\); a run has one value per key$" \
  && [ "$("$TACH" history --runs --format csv | wc -l)" = "$runs_before" ] \
  && ok "record: a tag key given twice refused, nothing recorded" \
  || fail "record --tag ci=yes --tag ci=no: $(cat "$tmp/err")"
# a tag that is not UTF-8: refused, the value named (its bad bytes shown as '?'), nothing
# recorded; it was stored, and tach history --format json left the tag out
expect 2 "$TACH" record --tag $'ci=caf\xe9' "$tmp/d1.json" \
  && err_line "^tach record: --tag: 'ci=caf\?' is not UTF-8 text \(byte 0xe9 at 6\)$" \
  && [ "$("$TACH" history --runs --format csv | wc -l)" = "$runs_before" ] \
  && ok "record: a tag that is not UTF-8 refused, nothing recorded" \
  || fail "record --tag ci=caf\\xe9: $(cat "$tmp/err")"
# the key quick, tach suite --quick's mark (history --tag quick lists the smoke runs):
# refused as tach suite refuses it, nothing recorded
for t in quick=1 quick=0; do
  expect 2 "$TACH" record --tag "$t" "$tmp/d1.json" \
    && err_line "^tach record: --tag: '$t': the tag quick is the mark of tach suite --quick" \
    && [ "$("$TACH" history --runs --format csv | wc -l)" = "$runs_before" ] \
    && ok "record: the tag $t refused, nothing recorded" || fail "record --tag $t: $(cat "$tmp/err")"
  expect 2 "$TACH" run --runs 1 --warmup-runs 0 --tag "$t" -- true \
    && err_line "^tach run: --tag: '$t': the tag quick is the mark of tach suite --quick" \
    && [ "$("$TACH" history --runs --format csv | wc -l)" = "$runs_before" ] \
    && ok "run: the tag $t refused, nothing recorded" || fail "run --tag $t: $(cat "$tmp/err")"
done
expect 2 "$TACH" run --runs 1 --warmup-runs 0 --tag $'\xff=1' -- true \
  && err_line "^tach run: --tag: '\?=1' is not UTF-8 text \(byte 0xff at 0\)$" \
  && ok "run: a tag that is not UTF-8 refused" || fail "run --tag \\xff=1: $(cat "$tmp/err")"
if expect 0 "$TACH" record --tag ci=yes --tag job=nightly "$tmp/d1.json"; then
  expect 0 "$TACH" history --runs --format json
  got=$(jq -r '.[0] | "\(.dirty) \(.tags.ci) \(.tags.job)"' "$tmp/out")
  [ "$got" = "true yes nightly" ] && ok "record: dirty work tree and tags" || fail "dirty/tags: '$got'"
  # the CSV of the runs has them too (it had no tags column): one JSON object
  expect 0 "$TACH" history --runs --format csv --last 1
  got=$($PY -c 'import csv, json, sys; r = list(csv.DictReader(sys.stdin)); print(sorted(json.loads(r[0]["tags"]).items()))' <"$tmp/out")
  [ "$got" = "[('ci', 'yes'), ('job', 'nightly')]" ] && ok "history --runs --format csv: the run's tags" \
    || fail "csv tags: '$got': $(cat "$tmp/out")"
fi
# A git ref or a SHA prefix names the newest run on that commit.
newest=$("$TACH" history --runs --format csv | sed -n 2p | cut -d, -f1)
expect 0 "$TACH" baseline save on-head HEAD && grep -q "run $newest\$" "$tmp/out" \
  && expect 0 "$TACH" baseline save on-sha "${sha:0:8}" && grep -q "run $newest\$" "$tmp/out" \
  && expect 0 "$TACH" baseline save on-branch trunk && grep -q "run $newest\$" "$tmp/out" \
  && ok "run references: HEAD, a SHA prefix and a branch name resolve to run $newest" \
  || fail "git run references: $(cat "$tmp/out" "$tmp/err")"
git commit -q --allow-empty -m "Second"
expect 2 "$TACH" baseline save x HEAD && err_has "no run on HEAD" && ok "a commit without runs: exit 2"
expect 0 "$TACH" history --runs --format csv --tag job=nightly
[ "$(tail -n +2 "$tmp/out" | wc -l)" = 1 ] && expect 0 "$TACH" history --runs --format csv --tag ci \
  && [ "$(tail -n +2 "$tmp/out" | wc -l)" = 1 ] && expect 0 "$TACH" history --runs --format csv --tag ci=no \
  && [ "$(tail -n +2 "$tmp/out" | wc -l)" = 0 ] && ok "history --tag K=V and K filter runs" \
  || fail "history --tag"
n0=$(nruns)
expect 0 "$TACH" run --no-store --runs 2 -- /bin/true
[ "$(nruns)" = "$n0" ] && ok "--no-store records nothing" || fail "--no-store recorded a run"

# Outside a work tree: no git facts.
mkdir -p "$tmp/nogit" && cd "$tmp/nogit" || exit 1
if expect 0 env GIT_CEILING_DIRECTORIES="$tmp" "$TACH" record "$tmp/d1.json"; then
  expect 0 "$TACH" history --runs --format json
  got=$(jq -r '.[0] | "\(.commit) \(.branch) \(.dirty)"' "$tmp/out")
  [ "$got" = "null null null" ] && ok "outside git: commit/branch/dirty null" || fail "no-git: '$got'"
fi

# ---- history: values, order, change points, filters, formats -------------------------------------
reset_store
for l in 100 101 99 100 100 101 150 151 149 150 150 151; do
  doc "$tmp/h.json" "grp/step=$l" "grp/flat=50" || exit 1
  "$TACH" record -q "$tmp/h.json" >>"$tmp/ids" 2>/dev/null || fail "record of history run"
done
if expect 0 "$TACH" history --format json grp/step; then
  got=$(jq -r '[.benchmarks[0].points[].median_ns] | map(tostring) | join(" ")' "$tmp/out")
  [ "$got" = "100 101 99 100 100 101 150 151 149 150 150 151" ] && ok "history: medians oldest first" \
    || fail "history medians: $got"
  # The shift is at the 7th run; its levels are the segment means (100.1667 -> 150.1667).
  seventh=$(sed -n 7p "$tmp/ids")
  got=$(jq -r '.benchmarks[0].changes | length, .[0].run, (.[0].before_ns*1000|round), (.[0].after_ns*1000|round)' "$tmp/out" | tr '\n' ' ')
  [ "$got" = "1 $seventh 100167 150167 " ] && ok "history: one change point at run $seventh" \
    || fail "change points: $got"
  # Six points at ~100 against six at ~150, spread 0.75: Welch's p is far below Hunter's 0.001.
  [ "$(jq '.benchmarks[0].changes[0] | (.p < 0.001) and (.confidence > 0.999)' "$tmp/out")" = true ] \
    && ok "history: the change point's p and confidence" || fail "change point p: $(jq -c '.benchmarks[0].changes' "$tmp/out")"
fi
expect 0 "$TACH" history --format json grp/flat
[ "$(jq '.benchmarks[0].changes | length' "$tmp/out")" = 0 ] && ok "history: no change point on a flat series" \
  || fail "flat series has change points"
if expect 0 "$TACH" history --changes; then
  grep -q "grp/step .* 12 .*▁.*█" "$tmp/out" && grep -q "change at run $seventh" "$tmp/out" \
    && ok "history table: sparkline and change listed" || { fail "history table"; cat "$tmp/out"; }
  # 1 - p is no confidence that the level shifted (and the best split's p is optimistic):
  # the line gives p alone, not "confidence > 99.9%".
  grep "change at run $seventh" "$tmp/out" | grep -q "p < 0.0001)$" \
    && ! grep -q "confidence" "$tmp/out" && ok "history table: the change's p, no 'confidence'" \
    || { fail "history change line"; grep "change at run" "$tmp/out"; }
fi
# A series within 0.02% of its level (noise) draws flat, in the table's bars and the site's
# line: the bars spanned its lowest to its highest, ▁█▁█▅▁, as a 50% shift does (above).
mkdir -p "$tmp/near"
for l in 100000 100020 100000 100020 100010 100000; do
  doc "$tmp/n.json" "grp/near=$l" || exit 1
  "$TACH" record -q --store "$tmp/near/s.db" "$tmp/n.json" >/dev/null 2>&1 || fail "record of near run"
done
if expect 0 "$TACH" history --store "$tmp/near/s.db"; then
  grep -q '^grp/near .* ▄▄▄▄▄▄ ' "$tmp/out" && ok "history table: a 0.02% range draws flat" \
    || { fail "history table: 0.02% range not flat"; cat "$tmp/out"; }
fi
if expect 0 "$TACH" site "$tmp/near/web" --store "$tmp/near/s.db"; then
  ys=$(grep -o 'class="spark"[^>]*><path[^>]*d="[^"]*"' "$tmp/near/web/index.html" | sed 's/.* d="//; s/"$//' \
       | grep -oE '[ML][0-9.]+ [0-9.]+' | awk '{print $2}')
  check "site: a 0.02% range draws a flat sparkline (y: $(echo $ys))" \
    awk -v n="$(echo "$ys" | wc -l)" 'NR == 1 { lo = hi = $1 } { lo = $1 < lo ? $1 : lo; hi = $1 > hi ? $1 : hi }
                                      END { exit !(n == 6 && NR == 6 && hi - lo <= 0.5) }' <<<"$ys"
fi
expect 0 "$TACH" history --last 3 --format csv 'grp/s*'
[ "$(tail -n +2 "$tmp/out" | cut -d, -f1,8 | tr '\n' ' ')" = "grp/step,150 grp/step,150 grp/step,151 " ] \
  && ok "history --last 3, glob filter, csv" || { fail "history --last csv"; cat "$tmp/out"; }
# CSV numbers in their shortest form that reads back the same (docs/formats.md "Numbers")
doc "$tmp/dec.json" grp/dec=21191923.8
if expect 0 "$TACH" record "$tmp/dec.json" && expect 0 "$TACH" history --format csv --last 1 grp/dec; then
  [ "$(tail -n +2 "$tmp/out" | cut -d, -f8)" = 21191923.8 ] && ok "history csv: shortest numbers (21191923.8)" \
    || fail "history csv numbers: $(cat "$tmp/out")"
fi
expect 2 "$TACH" history nosuchbench && err_has "no benchmark matching 'nosuchbench'" && ok "history: unknown filter exit 2"
# grp/step is in the store, not in its newest run (dec.json's): the message said it was not
# in the store at all
expect 2 "$TACH" history --last 1 grp/step && err_line "no benchmark matching 'grp/step' in store .*, among the runs kept by --last 1\$" \
  && ok "history: a filter outside --last's runs says so"
expect 2 "$TACH" history --last 0 && err_has "'0'" && ok "history: --last 0 exit 2"
expect 2 "$TACH" history --format xml && err_has "'xml'" && ok "history: bad --format exit 2"
expect 2 "$TACH" history --bogus && err_has "'--bogus'" && ok "history: unknown option exit 2"
# --runs lists runs: a FILTER, --changes or --metric beside it were ignored (every run listed)
expect 2 "$TACH" history --runs grp/step && err_has "FILTER 'grp/step' would change nothing" \
  && ok "history --runs FILTER: exit 2"
expect 2 "$TACH" history --runs --changes && err_has "--changes would change nothing" && ok "history --runs --changes: exit 2"
expect 2 "$TACH" history --runs --metric cpu && err_has "--metric would change nothing" && ok "history --runs --metric: exit 2"
expect 0 "$TACH" history --branch nosuch && grep -q "no runs matching" "$tmp/out" && ok "history: branch filter with no runs" || fail "history: branch filter with no runs"
expect 2 "$TACH" history --branch nosuch nosuchbench && err_has "no benchmark matching 'nosuchbench'" \
  && ok "history: a FILTER matching nothing exit 2, a --branch too"
# the help says both (it listed "no benchmark matching" as exit 2, nothing of a --branch
# or --tag matching no run, which exits 0)
expect 0 "$TACH" history --help \
  && out_has '^exit: 0 shown, or no runs to show: an empty store, or --machine, --branch or --tag$' \
  && out_has '^matching no run \("no runs matching"; json, csv: no benchmark\); 2 bad usage' \
  && out_has '^named\), a FILTER matching no benchmark' && ok "history --help: which no-match exits 0, which 2"

# ---- baselines and unknown run ids ----------------------------------------------------------------
first=$(sed -n 1p "$tmp/ids")
expect 0 "$TACH" baseline save main "$first" && ok "baseline save main $first"
# (the latest run is dec.json's, recorded after the ones in ids)
latest=$("$TACH" history --runs --format json | jq '[.[] | .id // .run] | max')
expect 0 "$TACH" baseline save latest-copy && grep -q "run $latest\$" "$tmp/out" \
  && ok "baseline save without RUN takes the latest" || fail "baseline save without RUN takes the latest"
expect 0 "$TACH" baseline save other main && grep -q "run $first" "$tmp/out" && ok "baseline save from a baseline name" || fail "baseline save from a baseline name"
expect 0 "$TACH" baseline list && [ "$(grep -c -E '^(main|latest-copy|other) ' "$tmp/out")" = 3 ] \
  && ok "baseline list" || fail "baseline list: $(cat "$tmp/out")"
expect 2 "$TACH" baseline save x 99999 && err_has "no run 99999" && ok "baseline save of an unknown run: exit 2"
# one argument too many is named (it was the usage alone)
expect 2 "$TACH" baseline save x "$first" extra && err_line "^tach baseline: too many arguments \('extra'\): usage: tach baseline save NAME \[RUN\]$" \
  && expect 2 "$TACH" baseline list foo && err_has "too many arguments ('foo')" \
  && expect 2 "$TACH" baseline rm a b && err_has "too many arguments ('b')" && ok "baseline: an extra argument named"
# and made safe for a terminal (cli_usage_error escapes every message): an ESC in it is a
# space, no escape sequence reaches the terminal
expect 2 "$TACH" baseline list $'a\e[2Jb' && err_line "^tach baseline: too many arguments \('a \[2Jb'\): usage: tach baseline list$" \
  && check "baseline: no ESC of an extra argument on stderr" bash -c "! LC_ALL=C grep -q $'\e' '$tmp/err'"
expect 2 "$TACH" baseline save x nosuchref && err_has "'nosuchref'" && ok "baseline save of an unknown ref: exit 2"
expect 2 "$TACH" baseline save 123 "$first" && err_has "all digits" && ok "baseline name of digits refused"
# a name of 4+ hex digits would hide the commits it prefixes ('tach compare 581b' read
# the baseline); 3 hex digits or a letter past f are names
for n in 581b CAFE 0123456789abcdef0123456789abcdef01234567; do
  expect 2 "$TACH" baseline save "$n" "$first" &&
    err_line "^tach baseline: baseline name '$n' is all hex digits, which would read as a commit SHA" &&
    ok "baseline name '$n' (hex) refused"
done
expect 0 "$TACH" baseline save abc "$first" && expect 0 "$TACH" baseline save cafe1g "$first" &&
  expect 0 "$TACH" baseline rm abc && expect 0 "$TACH" baseline rm cafe1g && ok "baseline names abc, cafe1g taken"
# a name wider than the column (20) widens it: its row's columns were pushed out of line
long_name=release/2026-12-05-candidate
expect 0 "$TACH" baseline save "$long_name" "$first" && expect 0 "$TACH" baseline list \
  && [ "$(awk 'NR == 1 { print index($0, "saved"); next }
                { print match($0, /[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T/) }' "$tmp/out" | sort -u)" \
       = "$(head -1 "$tmp/out" | awk '{ print index($0, "saved") }')" ] \
  && out_has "^$long_name +$first  " && ok "baseline list: a long name widens the column, the rows line up" \
  || fail "baseline list with a long name: $(cat "$tmp/out")"
expect 0 "$TACH" baseline rm "$long_name"
# a results file is not a run: the message says a baseline names a recorded run
cp "$DATA/report_base.json" base.json
expect 2 "$TACH" baseline save x base.json &&
  err_line "^tach baseline: 'base.json' is not a run id, a baseline or a git ref with a run in store .*: a baseline names a recorded run, not a results file \(record it first: tach record FILE\)$" &&
  ok "baseline save of a results file: says a baseline names a recorded run"
# a baseline is looked up before a git ref: HEAD, @, ORIG_HEAD would hide the commit
# ('tach compare HEAD' read the baseline); a..b reads as a git range, v1.json as a file
for n in HEAD @ ORIG_HEAD FETCH_HEAD a..b v1.json; do
  expect 2 "$TACH" baseline save "$n" "$first" && err_has "baseline name '$n'" &&
    expect 2 "$TACH" baseline rm "$n" && err_has "no baseline '$n'" &&
    ok "baseline name '$n' refused, nothing saved" || fail "baseline name '$n' refused, nothing saved"
done
expect 0 "$TACH" baseline save head-copy "$first" && expect 0 "$TACH" baseline save v1.js "$first" &&
  expect 0 "$TACH" baseline save a.b "$first" && expect 0 "$TACH" baseline rm head-copy &&
  expect 0 "$TACH" baseline rm v1.js && expect 0 "$TACH" baseline rm a.b &&
  ok "baseline names head-copy, v1.js, a.b taken" || fail "baseline names head-copy, v1.js, a.b taken"
expect 2 "$TACH" baseline save latest "$first" && err_has "'latest' would read as the latest run" \
  && ok "baseline name 'latest' refused"
# a character no name may hold is named as typed: the whole 'ü' (it said "a '?'", its
# first byte made terminal-safe), a control by its code point, the name on one line
expect 2 "$TACH" baseline save ü "$first" &&
  err_line "^tach baseline: baseline name 'ü' has a 'ü': use ASCII letters, digits and \. _ - / \+ @$" &&
  ok "baseline name 'ü' refused, naming the ü"
expect 2 "$TACH" baseline save "v1"$'\033'"[2J"$'\n'"x" "$first" &&
  err_line "^tach baseline: baseline name 'v1 \[2J x' has the control character U\+001B: use ASCII" &&
  ok "baseline name with ESC and a newline refused, on one line, naming U+001B"
expect 0 "$TACH" baseline rm other && ok "baseline rm"
expect 2 "$TACH" baseline rm other && err_has "no baseline 'other'" && ok "baseline rm unknown: exit 2"
expect 2 "$TACH" baseline frob && err_has "'frob'" && ok "baseline: unknown action exit 2"

# ---- record: bad input records nothing --------------------------------------------------------------
n0=$(nruns)
printf '{"format": "tach-results", "version": 1, "benchmarks": [' >"$tmp/trunc.json"
expect 2 "$TACH" record "$tmp/h.json" "$tmp/trunc.json" && err_has "trunc.json" && \
  [ "$(nruns)" = "$n0" ] && ok "record: a truncated file (with a good one) records nothing" \
    || fail "record: a truncated file (with a good one) records nothing"
expect 2 "$TACH" record "$tmp/none.json" && err_has "none.json" && ok "record: missing file exit 2"
expect 2 "$TACH" record --tag novalue "$tmp/h.json" && err_has "'novalue'" && ok "record: bad --tag exit 2"
expect 2 "$TACH" record && ok "record: no file exit 2"
# the store keeps the samples' estimates, not the ones a file claims
$PY - "$tmp/h.json" >"$tmp/forged.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["benchmarks"][1]["name"] == "grp/flat"
d["benchmarks"][1]["estimates"]["median"]["value"] = 25.0
d["benchmarks"][1]["estimates"]["mean"]["value"] = 25.0
print(json.dumps(d))
EOF
if expect 0 "$TACH" record "$tmp/forged.json" && expect 0 "$TACH" history --format csv --last 1 grp/flat; then
  grep -q ',25,\|,25\.0,\|,25$' "$tmp/out" && fail "record kept the forged median: $(cat "$tmp/out")" \
    || ok "record: estimates recomputed from the samples, not taken from the file"
  grep -q ',50,\|,50\.0,' "$tmp/out" || fail "history lacks the samples' median 50: $(cat "$tmp/out")"
fi

# ---- record: Google Benchmark and hyperfine files (through tach import's reader) ---------------------
cat >"$tmp/gb.json" <<'EOF'
{"context": {"date": "2026-11-23T11:00:00+01:00", "host_name": "h", "executable": "./b", "num_cpus": 2,
             "mhz_per_cpu": 3000, "cpu_scaling_enabled": false, "caches": [], "library_build_type": "release"},
 "benchmarks": [
  {"name": "BM_a/8", "run_name": "BM_a/8", "run_type": "iteration", "repetitions": 2, "repetition_index": 0,
   "threads": 1, "iterations": 1000, "real_time": 12.5, "cpu_time": 12.4, "time_unit": "ns"},
  {"name": "BM_a/8", "run_name": "BM_a/8", "run_type": "iteration", "repetitions": 2, "repetition_index": 1,
   "threads": 1, "iterations": 1000, "real_time": 13.5, "cpu_time": 13.4, "time_unit": "ns"}]}
EOF
if expect 0 "$TACH" record "$tmp/gb.json" && expect 0 "$TACH" history --format csv BM_a/8; then
  # Two repetitions = two samples, 12.5 and 13.5 ns: median 13; the +01:00 date kept in UTC.
  got=$(tail -n +2 "$tmp/out" | cut -d, -f3,8,12)
  [ "$got" = "2026-11-23T10:00:00Z,13,2" ] && ok "record: a Google Benchmark file" || fail "gbench record: $got"
fi
if hyperfine -N --runs 5 --export-json "$tmp/hf.json" /bin/true >/dev/null 2>&1; then
  expect 0 "$TACH" record "$tmp/hf.json" && expect 0 "$TACH" history --format csv --last 1 /bin/true
  [ "$(tail -n +2 "$tmp/out" | cut -d, -f1,7,12)" = "/bin/true,ok,5" ] && ok "record: a hyperfine file (5 runs)" \
    || fail "hyperfine record: $(cat "$tmp/out")"
else
  fail "hyperfine could not export a file (Debian package hyperfine)"
fi

# ---- atomicity: a writer killed with SIGKILL mid-transaction leaves no partial run ---------------------
$PY - >"$tmp/big.json" <<'EOF'
import json
print(json.dumps({"format": "tach-results", "version": 1, "context": {},
  "benchmarks": [{"name": "big/%04d" % i, "status": "ok",
                  "samples": {"iters": [1, 1], "ns": [i + 1.0, i + 2.0]},
                  "estimates": {"median": {"value": i + 1.5, "ci_low": i + 1.0, "ci_high": i + 2.0},
                                "mean": {"value": i + 1.5, "ci_low": i + 1.0, "ci_high": i + 2.0}}}
                 for i in range(400)]}))
EOF
n0=$(nruns)
rm -f "$tmp/mark"
TACH_STORE_TEST_SLEEP_MS=20000 TACH_STORE_TEST_MARK=$tmp/mark "$TACH" record "$tmp/big.json" 2>/dev/null &
writer=$!
for _ in $(seq 200); do [ -e "$tmp/mark" ] && break; sleep 0.05; done
if [ -e "$tmp/mark" ] && kill -9 "$writer" 2>/dev/null; then
  wait "$writer" 2>/dev/null
  [ "$(nruns)" = "$n0" ] || fail "a killed writer left a run"
  if [ -z "$PG" ]; then
    [ "$(sqlite3 "$STORE" 'PRAGMA integrity_check')" = ok ] && ok "atomicity: SQLite integrity_check ok after the kill" \
      || fail "integrity_check after the kill"
  fi
  expect 2 "$TACH" history big/0001 && err_has "no benchmark matching" && \
    ok "atomicity: writer killed mid-run (after 256 of 400 rows) left no trace"
  expect 0 "$TACH" record "$tmp/big.json" && [ "$(nruns)" = $((n0 + 1)) ] && \
    expect 0 "$TACH" history --format csv big/0399 && [ "$(tail -n +2 "$tmp/out" | wc -l)" = 1 ] && \
    ok "atomicity: the store takes the next run whole" || fail "atomicity: the store takes the next run whole"
else
  fail "the writer never reached the middle of its transaction"
  kill -9 "$writer" 2>/dev/null
fi

# ---- 8 concurrent writers all succeed -----------------------------------------------------------------
reset_store
doc "$tmp/c.json" "c/one=10" "c/two=20"
pids=()
for i in 1 2 3 4 5 6 7 8; do
  "$TACH" record -q --tag "writer=$i" "$tmp/big.json" "$tmp/c.json" >"$tmp/w$i" 2>"$tmp/w$i.err" &
  pids+=($!)
done
bad=0
for i in 1 2 3 4 5 6 7 8; do
  wait "${pids[$((i - 1))]}" || { bad=1; fail "writer $i failed: $(cat "$tmp/w$i.err")"; }
done
ids=$(cat "$tmp"/w[1-8] | sort -n | uniq | wc -l)
[ $bad = 0 ] && [ "$ids" = 16 ] && [ "$(nruns)" = 16 ] && ok "8 concurrent writers: 16 runs, distinct ids" \
  || fail "concurrency: $ids distinct ids, $(nruns) runs"
expect 0 "$TACH" history --format csv c/two
[ "$(tail -n +2 "$tmp/out" | wc -l)" = 8 ] && ok "8 concurrent writers: every benchmark row kept" \
  || fail "concurrency rows: $(tail -n +2 "$tmp/out" | wc -l)"

# ---- text in the store that is not UTF-8 (a tag recorded by a tach that did not check it):
# tach history --format json shows it, a bad byte of its key and value as U+FFFD and the
# byte's hex digits (as its CSV shows it); the tag was left out
reset_store
expect 0 "$TACH" record "$tmp/c.json"
bad_tag="INSERT INTO tach_run_tags (run_id, key, value) VALUES (1, 'k' || CAST(X'E9' AS TEXT), 'v' || CAST(X'FF' AS TEXT))"
if [ -z "$PG" ]; then # (PostgreSQL's text is UTF-8: it cannot hold such a tag)
  sqlite3 "$STORE" "$bad_tag"
  expect 0 "$TACH" history --runs --format json && out_jq '.[0].tags == {"k\ufffdE9": "v\ufffdFF"}' \
    && ok "history --format json: a tag that is not UTF-8 shown, not left out"
fi

# ---- a store written by a newer tach is refused before anything runs -----------------------------------
reset_store
expect 0 "$TACH" record "$tmp/c.json"
if [ -n "$PG" ]; then
  pgsql "UPDATE tach_meta SET value = '99' WHERE key = 'schema_version'"
else
  sqlite3 "$STORE" "UPDATE tach_meta SET value = '99' WHERE key = 'schema_version'"
  cp "$STORE" "$tmp/newer.copy"
fi
cd "$tmp" || exit 1
rm -f ran
expect 2 "$TACH" run --runs 2 -- /bin/touch "$tmp/ran" && err_has "newer tach" && [ ! -e "$tmp/ran" ] \
  && ok "newer store: tach run refused before running (exit 2)" || fail "newer store: tach run refused before running (exit 2)"
expect 2 "$TACH" history && err_has "schema version 99" && ok "newer store: history refused"
expect 2 "$TACH" record "$tmp/c.json" && ok "newer store: record refused"
if [ -z "$PG" ]; then
  cmp -s "$STORE" "$tmp/newer.copy" && ok "newer store: file unchanged" || fail "newer store file changed"
fi

# ---- SQLite files: corrupt, truncated, foreign: exit 2 before anything runs, file unchanged ------------
if [ -z "$PG" ]; then
  reset_store
  for i in 1 2 3 4 5 6; do "$TACH" record "$tmp/big.json" 2>/dev/null; done
  refused() { # NAME FILE MESSAGE
    local f=$2
    cp "$f" "$tmp/before"
    rm -f "$tmp/ran"
    expect 2 "$TACH" run --store "$f" --runs 2 -- /bin/touch "$tmp/ran" && err_has "$3" && [ ! -e "$tmp/ran" ] \
      && expect 2 "$TACH" record --store "$f" "$tmp/c.json" \
      && expect 2 "$TACH" history --store "$f" \
      && expect 2 "$TACH" baseline list --store "$f" \
      && cmp -s "$f" "$tmp/before" && ok "$1: exit 2 before running, file unchanged" \
      || fail "$1 not refused cleanly"
  }
  size=$(stat -c %s "$STORE")
  head -c $((size / 2)) "$STORE" >"$tmp/half.db"
  refused "truncated store" "$tmp/half.db" "truncated"
  head -c 50 "$STORE" >"$tmp/tiny.db"
  refused "store cut inside its header" "$tmp/tiny.db" "truncated"
  head -c 4096 /dev/urandom >"$tmp/random.db"
  refused "random bytes" "$tmp/random.db" "not a tach store"
  cp "$STORE" "$tmp/badhdr.db"
  printf '\x00' | dd of="$tmp/badhdr.db" bs=1 seek=21 conv=notrunc 2>/dev/null
  refused "damaged header" "$tmp/badhdr.db" "corrupt"
  # Page 1 (the schema) overwritten with zeros after the header.
  cp "$STORE" "$tmp/badschema.db"
  dd if=/dev/zero of="$tmp/badschema.db" bs=1 seek=100 count=3996 conv=notrunc 2>/dev/null
  refused "damaged schema page" "$tmp/badschema.db" "corrupt"
  # A data page (the root of tach_benchmarks) zeroed: header and schema are intact, so only
  # the page check that tach run does before running (PRAGMA quick_check) can see it.
  cp "$STORE" "$tmp/baddata.db"
  root=$(sqlite3 "$STORE" "SELECT rootpage FROM sqlite_master WHERE name = 'tach_benchmarks'")
  psize=$(sqlite3 "$STORE" "PRAGMA page_size")
  dd if=/dev/zero of="$tmp/baddata.db" bs="$psize" seek=$((root - 1)) count=1 conv=notrunc 2>/dev/null
  cp "$tmp/baddata.db" "$tmp/before"
  rm -f "$tmp/ran"
  expect 2 "$TACH" run --store "$tmp/baddata.db" --runs 2 -- /bin/touch "$tmp/ran" && err_has "corrupt" \
    && [ ! -e "$tmp/ran" ] && cmp -s "$tmp/baddata.db" "$tmp/before" \
    && ok "damaged data page: tach run exit 2 before running, file unchanged" \
    || fail "damaged data page not refused by tach run"
  # record and history meet the page while working: exit 2 too, and nothing written.
  expect 2 "$TACH" record --store "$tmp/baddata.db" "$tmp/c.json" && err_has "corrupt" \
    && expect 2 "$TACH" history --store "$tmp/baddata.db" && err_has "corrupt" \
    && cmp -s "$tmp/baddata.db" "$tmp/before" \
    && ok "damaged data page: record and history exit 2, file unchanged" \
    || fail "damaged data page: record/history"
  # A page deep in the file (the last one) damaged: an insert may never touch it, so
  # every command that writes checks all pages first, and writes nothing.
  cp "$STORE" "$tmp/baddeep.db"
  pages=$(sqlite3 "$STORE" "PRAGMA page_count")
  printf 'garbage garbage garbage garbage' |
    dd of="$tmp/baddeep.db" bs=1 seek=$(((pages - 1) * psize + 8)) conv=notrunc 2>/dev/null
  cp "$tmp/baddeep.db" "$tmp/before"
  expect 2 "$TACH" record --store "$tmp/baddeep.db" "$tmp/c.json" && err_has "corrupt" \
    && expect 2 "$TACH" baseline save deep 1 --store "$tmp/baddeep.db" && err_has "corrupt" \
    && expect 2 "$TACH" baseline rm deep --store "$tmp/baddeep.db" \
    && cmp -s "$tmp/baddeep.db" "$tmp/before" \
    && ok "damaged deep page: record and baseline save/rm exit 2, file unchanged" \
    || fail "damaged deep page: record/baseline wrote into it"
  # A store in a directory the user cannot write (another user's, a read-only mount):
  # reading it needs no write (no -wal/-shm can be made there).
  if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null && id nobody >/dev/null 2>&1 \
    && runuser -u nobody -- "$TACH" --version >/dev/null 2>&1; then # (skipped where nobody cannot run tach)
    mkdir -p "$tmp/ro" && cp "$STORE" "$tmp/ro/tach.db" && chmod 755 "$tmp" "$tmp/ro" && chmod 644 "$tmp/ro/tach.db"
    cp "$tmp/ro/tach.db" "$tmp/before"
    if runuser -u nobody -- "$TACH" history --store "$tmp/ro/tach.db" >"$tmp/ro.out" 2>"$tmp/ro.err" \
      && grep -q . "$tmp/ro.out" && cmp -s "$tmp/ro/tach.db" "$tmp/before" && [ "$(ls "$tmp/ro")" = tach.db ]; then
      ok "a store in a directory the user cannot write: history reads it, nothing made there"
    else
      fail "read-only store: $(cat "$tmp/ro.err")"
    fi
    # A store file the user cannot write in a directory they can (a team's group-writable
    # .tach/, where SQLite made the store 0644): reading it leaves nothing beside it.  A
    # reader's -shm and -wal, theirs and 0644 like the store, once stayed behind, and
    # every later record of the store's owner failed ("attempt to write a readonly
    # database").
    mkdir -p "$tmp/shared" && cp "$STORE" "$tmp/shared/tach.db" && chmod 777 "$tmp/shared" \
      && chmod 644 "$tmp/shared/tach.db"
    for cmd in "history" "history --runs" "baseline list" "compare 1 2"; do
      # shellcheck disable=SC2086
      if runuser -u nobody -- "$TACH" $cmd --store "$tmp/shared/tach.db" >"$tmp/ro.out" 2>"$tmp/ro.err" \
        && grep -q . "$tmp/ro.out" && [ "$(ls "$tmp/shared")" = tach.db ]; then
        ok "a store the user cannot write, in a directory they can: $cmd reads it, nothing made there"
      else
        fail "$cmd of a store the user cannot write: $(cat "$tmp/ro.err"); beside it: $(ls "$tmp/shared" | tr '\n' ' ')"
        rm -f "$tmp/shared/tach.db-shm" "$tmp/shared/tach.db-wal"
      fi
    done
    # Writing it is refused before anything runs (exit 2, one line naming the store),
    # not after the run, when SQLite's first write failed and the run was lost (exit 1).
    cp "$tmp/shared/tach.db" "$tmp/before"
    runuser -u nobody -- "$TACH" run --store "$tmp/shared/tach.db" --runs 1 -- /bin/touch "$tmp/shared/ran" \
      >"$tmp/ro.out" 2>"$tmp/ro.err"
    rc=$?
    runuser -u nobody -- "$TACH" record --store "$tmp/shared/tach.db" "$tmp/c.json" >/dev/null 2>"$tmp/ro2.err"
    rc2=$?
    if [ $rc = 2 ] && [ $rc2 = 2 ] && [ ! -e "$tmp/shared/ran" ] \
      && grep -q "cannot write store $tmp/shared/tach.db: Permission denied" "$tmp/ro.err" \
      && grep -q "cannot write store $tmp/shared/tach.db: Permission denied" "$tmp/ro2.err" \
      && cmp -s "$tmp/shared/tach.db" "$tmp/before" && [ "$(ls "$tmp/shared")" = tach.db ]; then
      ok "a store the user cannot write: tach run and record refused before running (exit 2)"
    else
      fail "writing a store the user cannot write: run exit $rc, record exit $rc2: $(cat "$tmp/ro.err" "$tmp/ro2.err"); beside it: $(ls "$tmp/shared" | tr '\n' ' ')"
    fi
    # A schema-1 store the user cannot write: the message said "open it for writing (e.g.
    # tach history) first", the command just run; it must name who can migrate it.
    mkdir -p "$tmp/old" && cp "$STORE" "$tmp/old/s.db" \
      && sqlite3 "$tmp/old/s.db" "UPDATE tach_meta SET value = '1' WHERE key = 'schema_version'" \
      && chmod 755 "$tmp/old" && chmod 644 "$tmp/old/s.db"
    cp "$tmp/old/s.db" "$tmp/before"
    runuser -u nobody -- "$TACH" history --store "$tmp/old/s.db" >"$tmp/ro.out" 2>"$tmp/ro.err"
    rc=$?
    if [ $rc = 2 ] && grep -q "store $tmp/old/s.db has schema version 1 and must be migrated" "$tmp/ro.err" \
      && grep -q "this user cannot write it: a user who can (its owner) migrates it" "$tmp/ro.err" \
      && ! grep -q "e.g. tach history) first" "$tmp/ro.err" && cmp -s "$tmp/old/s.db" "$tmp/before"; then
      ok "an old store the user cannot write: exit 2, the message names who can migrate it"
    else
      fail "an old store the user cannot write: exit $rc: $(cat "$tmp/ro.err")"
    fi
    chmod 700 "$tmp"
  fi
  sqlite3 "$tmp/foreign.db" "CREATE TABLE users (id INTEGER, name TEXT); INSERT INTO users VALUES (1, 'ann');"
  refused "a foreign SQLite database" "$tmp/foreign.db" "not a tach store"
  sqlite3 "$tmp/foreign.db" ".tables" | grep -q tach && fail "tables created in a foreign database"
  # A foreign database that happens to have a table named tach_meta (no schema_version in
  # it) is refused as well, and not even put in WAL mode first.
  sqlite3 "$tmp/foreign_meta.db" "CREATE TABLE tach_meta (key TEXT, value TEXT); INSERT INTO tach_meta VALUES ('owner', 'app');"
  refused "a foreign SQLite database with a tach_meta table" "$tmp/foreign_meta.db" "no valid schema_version"
  [ "$(sqlite3 "$tmp/foreign_meta.db" "PRAGMA journal_mode")" = delete ] \
    && ok "a foreign database with a tach_meta table: still in its journal mode" \
    || fail "a foreign database with a tach_meta table was switched to WAL"
  # A FIFO named as the store is refused at once: opening it to read the header once
  # waited for a writer, and every command hung.
  mkfifo "$tmp/fifo.db"
  for cmd in "history" "record $tmp/c.json" "run --runs 2 /bin/true"; do
    # shellcheck disable=SC2086
    set -- $cmd
    expect 2 timeout 20 "$TACH" "$1" --store "$tmp/fifo.db" "${@:2}" \
      && err_has "store $tmp/fifo.db is not a regular file" && ok "a FIFO as the store: $1 refused (exit 2), no hang"
  done

  # The default store: .tach/tach.db in the nearest ancestor holding .tach/, else ./.tach.
  unset TACH_STORE
  mkdir -p "$tmp/proj/.tach" "$tmp/proj/src/deep" && cd "$tmp/proj/src/deep" || exit 1
  expect 0 env GIT_CEILING_DIRECTORIES="$tmp" "$TACH" record "$tmp/c.json" && err_has "$tmp/proj/.tach/tach.db" \
    && [ -s "$tmp/proj/.tach/tach.db" ] && ok "default store found in an ancestor's .tach/" || fail "default store found in an ancestor's .tach/"
  mkdir -p "$tmp/fresh" && cd "$tmp/fresh" || exit 1
  expect 2 "$TACH" history && err_has "no store at $tmp/fresh/.tach/tach.db" && ok "history without a store: exit 2"
  expect 0 "$TACH" record "$tmp/c.json" && [ -s "$tmp/fresh/.tach/tach.db" ] && ok "default store created in ./.tach/" || fail "default store created in ./.tach/"
  expect 0 env TACH_STORE="$tmp/viaenv.db" "$TACH" record "$tmp/c.json" && [ -s "$tmp/viaenv.db" ] \
    && ok "TACH_STORE chooses the store" || fail "TACH_STORE chooses the store"
  expect 0 "$TACH" record --store "$tmp/viaflag.db" "$tmp/c.json" && [ -s "$tmp/viaflag.db" ] \
    && ok "--store chooses the store" || fail "--store chooses the store"
  export TACH_STORE=$STORE
fi

finish
