#!/usr/bin/env bash
# profile_tables.sh - the Top N bottlenecks table with its change against a baseline
# (docs/profiling.md, issue #13 section 2) in every format that shows it, pinned
# byte for byte against tests/cli/expected/ (TACH_UPDATE_GOLDEN=1 rewrites them):
#   - the console: `tach profile --diff BASE NEW` (crafted folded stacks) and
#     `tach profile --baseline REF` on the prof_hot fixture (its shares vary: checked
#     by pattern, cold_work's growth significant);
#   - Markdown and HTML: `tach report` of a crafted document whose kept profile (the
#     folded stacks and a table with file:line) is compared with its baseline's;
#   - the certificate (`tach certify`, Markdown and HTML): its Top N bottlenecks
#     section, --top N, and "no profile recorded (run with --profile)" without one.
# The crafted profiles: before, hot_work 898, cold_work 100 and log_line 2 samples of
# 1000; after, 796, 200 and 4: cold_work +10 points, hot_work -10.2 (with 1000 samples
# a side the binomial bootstrap CI is about +-3 points: both marked significant) and
# log_line +0.2 (its CI includes 0: not marked).  The new run is 20% slower than its
# baseline (a regression: certify exits 1, REJECTED).
source "$(dirname "$0")/lib.bash"
set -o pipefail
export NO_COLOR=1
cd "$tmp" || exit 1

printf 'main;hot_work 898\nmain;cold_work 100\nmain;log_line 2\n' >base.folded
printf 'main;hot_work 796\nmain;cold_work 200\nmain;log_line 4\n' >new.folded

# ---- the console: the differential view's table ----------------------------------------
if expect 0 "$TACH" profile --diff base.folded new.folded --profile-dir d --top 5; then
  cp "$tmp/out" diff.txt && golden profile_diff.txt diff.txt
fi
out_has '^   2  cold_work  .* +\+10\.0 \*$'
out_has '^   3  log_line  .* +\+0\.2$'
# NEW's name is its file name less a trailing .folded only (".folded" inside it cut the
# name there: new.folded.v2 was "new", its graph d/new.diff.svg)
cp new.folded new.folded.v2
expect 0 "$TACH" profile --diff base.folded new.folded.v2 --profile-dir d --top 5
out_has '^differential flame graph: d/new\.folded\.v2\.diff\.svg$'
out_has '^Top 5 of new\.folded\.v2 '

# ---- documents carrying the profiles, as tach run --profile keeps them ------------------
mkdoc base.json prof/mix:steady:30:1000
mkdoc new.json prof/mix:steady:30:1200
embed() { # DOC FOLDED [TOP]: context.profiles["prof/mix"] (zlib + base64), with a table
  python3 - "$@" <<'PY'
import base64, json, sys, zlib
doc = json.load(open(sys.argv[1]))
text = open(sys.argv[2], "rb").read()
e = {"folded_zlib_base64": base64.b64encode(zlib.compress(text)).decode(), "bytes": len(text)}
if len(sys.argv) > 3:
    e["top"] = {"samples": 1000, "lost": 0, "unknown_share": 0.0, "method": "perf_event cpu-clock",
                "unwind": "dwarf", "hz": 997, "debug_info": True, "top": [
        {"rank": 1, "function": "hot_work", "file": "src/work.c", "line": 44, "self_pct": 79.6,
         "total_pct": 79.6, "samples": 796},
        {"rank": 2, "function": "cold_work", "file": "src/work.c", "line": 52, "self_pct": 20.0,
         "total_pct": 20.0, "samples": 200},
        {"rank": 3, "function": "log_line", "file": "src/log.c", "line": 7, "self_pct": 0.4,
         "total_pct": 0.4, "samples": 4}]}
doc["context"].setdefault("profiles", {})["prof/mix"] = e
json.dump(doc, open(sys.argv[1], "w"))
PY
}
embed base.json base.folded
embed new.json new.folded top
section() { # FILE FROM TO: the lines from the one matching FROM up to (not with) TO
  awk -v a="$2" -v b="$3" '$0 ~ a { on = 1 } on && $0 ~ b && !($0 ~ a) { exit } on' "$1"
}

# ---- Markdown and HTML reports ------------------------------------------------------------
if expect 0 "$TACH" report new.json --baseline base.json --format md -o report.md; then
  section report.md '^## Profiles' '^## ' >profiles.md
  golden profile_report.md profiles.md
fi
grep -qE '^\| 2 \| `cold_work` \| src/work\.c:52 \| 20\.0% \| 20\.0% \| 200 \| \*\*\+10\.0\*\* \|$' report.md &&
  ok "md: cold_work's change, bold (significant)" || fail "md: $(grep cold_work report.md)"
if expect 0 "$TACH" report new.json --baseline base.json --format html -o report.html; then
  grep -o '<table class="bottlenecks">.*</table>' report.html | sed 's|</table>.*|</table>|' >top.html.txt
  grep -o '<p class="muted">Change: [^<]*<b>\*</b>[^<]*</p>' report.html >>top.html.txt
  golden profile_report.html.txt top.html.txt
  # the document is a benchmark binary's (no context.tool "tach run"): its profile was
  # taken in the measured samples, not in one more run (that is a command's)
  grep -q '<p class="muted">Sampled during each benchmark.s measured samples (docs/profiling.md)' report.html &&
    ok "html: a benchmark's profile is said to be of its measured samples" || fail "html: $(grep -o 'Sampled[^<]*' report.html)"
  jq '.context.tool = "tach run"' new.json >newcmd.json
  expect 0 "$TACH" report newcmd.json --baseline base.json --format html -o reportcmd.html
  grep -q '<p class="muted">Sampled in one more run after the timed ones' reportcmd.html &&
    ok "html: a command's profile is said to be of one more run" || fail "html cmd: $(grep -o 'Sampled[^<]*' reportcmd.html)"
fi
# without a baseline: no change column
expect 0 "$TACH" report new.json --format md --top 2
out_has '^\| Rank \| Function \| File:line \| Self \| Total \| Samples \|$'
out_lacks 'Change \(points\)'
out_has '^\| 2 \| `cold_work` '
out_lacks '`log_line`'
expect 2 "$TACH" report new.json --top 0
err_has -- '--top'

# ---- the certificate ----------------------------------------------------------------------
if expect 1 "$TACH" certify new.json --baseline base.json --top 2 -o cert.md; then
  section cert.md '^## Top 2 bottlenecks' '^## ' >cert_top.md
  golden profile_certificate.md cert_top.md
fi
expect 0 "$TACH" certify --verify cert.md
if expect 1 "$TACH" certify new.json --baseline base.json --format html -o cert.html; then
  grep -q '<h2>Top 10 bottlenecks</h2><h3><code>prof/mix</code></h3>' cert.html && ok "html certificate: the section" || fail "html certificate: no section"
  grep -q '<td>3</td><td><code>log_line</code></td><td>src/log.c:7</td><td>0.4%</td><td>0.4%</td><td>4</td><td>+0.2</td>' cert.html &&
    ok "html certificate: log_line's row" || fail "html certificate: $(grep -o '<td>3</td>.\{0,200\}' cert.html)"
  grep -q '<td><b>+10.0 \*</b></td>' cert.html && ok "html certificate: cold_work's change, bold" || fail "html certificate: no bold change"
fi
# no baseline: no change column; no profile: said so
expect 0 "$TACH" certify new.json -o plain.md
section plain.md '^## Top 10 bottlenecks' '^## ' >plain_top.md
grep -q '^| Rank | Function | File:line | Self | Total | Samples |$' plain_top.md && ok "certificate without a baseline: no change column" || fail "$(cat plain_top.md)"
mkdoc noprof.json prof/mix:steady:30:1000
expect 0 "$TACH" certify noprof.json -o none.md
grep -qx 'no profile recorded (run with --profile)' none.md && ok "certificate without a profile: said so" || fail "$(section none.md '^## Top' '^## ')"
expect 2 "$TACH" certify new.json --top abc -o never.md
err_has -- '--top'
[ ! -e never.md ] && ok "bad --top: nothing written" || fail "never.md written"

# ---- tach profile --baseline on a benchmark binary ----------------------------------------
FIX=$TACH_BUILD/tests/fixture_prof_hot
ln -s "$FIX" cold2_prof_hot # argv[0] starting with cold2 doubles cold_work's work
expect 0 "$FIX" --profile --profile-hz 4999 --profile-dir "$tmp/p" --max-time 1.5 --quiet
cp -r "$tmp/p" "$tmp/p0"
# a folded file, then the directory itself (read before the new profile overwrites it)
for ref in "$tmp/p/prof_mix-47235a4493647f7f.folded" "$tmp/p"; do
  expect 0 "$TACH" profile --baseline "$ref" --profile-dir "$tmp/p" --top 3 --profile-hz 4999 -- ./cold2_prof_hot --max-time 1.5
  out_has '^rank  function +file:line +self %  total %   samples   change$'
  out_has '^ +[12]  cold_work +[^ ]*prof_hot\.c:[0-9]+ .* \+[0-9.]+ \*$'
  out_has "^change: the self share against $ref, in points"
  out_has "^profile: $tmp/p/prof_mix-47235a4493647f7f\.\{folded,speedscope\.json,svg\}$"
  cp "$tmp/p0/prof_mix-47235a4493647f7f.folded" "$tmp/p/prof_mix-47235a4493647f7f.folded" # the baseline again
done
# a stored run kept with tach run --profile
expect 0 "$TACH" run --store "$tmp/s.db" --style none --profile --profile-hz 4999 --profile-dir "$tmp/r" \
  --max-time 1.5 "$FIX"
expect 0 "$TACH" profile --baseline latest --store "$tmp/s.db" --profile-dir "$tmp/c" --top 3 --profile-hz 4999 -- ./cold2_prof_hot --max-time 1.5
out_has '^ +[12]  cold_work .* \+[0-9.]+ \*$'
out_has '^change: the self share against run 1 \(latest\), in points'
# a baseline whose name has a '/' (a branch's, feature/x) is the store's, as report's
# --baseline takes it: it was taken for a file path ("no such file or directory")
expect 0 "$TACH" baseline save feature/x 1 --store "$tmp/s.db"
expect 0 "$TACH" profile --baseline feature/x --store "$tmp/s.db" --profile-dir "$tmp/c" --top 3 --profile-hz 4999 -- ./cold2_prof_hot --max-time 1.5
out_has '^change: the self share against run 1 \(feature/x\), in points'
# one that is neither a file nor in the store: the store says so
expect 2 "$TACH" profile --baseline feature/none --store "$tmp/s.db" ./cold2_prof_hot
err_line "^tach profile: 'feature/none' is not a run id, a baseline or a git ref with a run in store $tmp/s.db$"
# a directory given for a results file, as report says it
mkdir -p d.json
expect 2 "$TACH" profile --baseline d.json/x.json --store "$tmp/s.db" ./cold2_prof_hot
err_line "^tach profile: cannot read results file 'd.json/x.json': No such file or directory$"
# a command (not a benchmark binary): the same column
if command -v cc >/dev/null; then
  cat >spin.c <<'C'
#include <stdint.h>
#include <stdio.h>
__attribute__((noinline)) static uint64_t spin(uint64_t n)
{
    uint64_t x = 1;
    for (uint64_t i = 0; i < n; i++) x = x * 6364136223846793005u + 1;
    return x;
}
int main(void) { printf("%llu\n", (unsigned long long)spin(60000000)); return 0; }
C
  cc -O1 -g -fno-omit-frame-pointer spin.c -o spin
  expect 0 "$TACH" profile --profile-dir "$tmp/s1" ./spin
  expect 0 "$TACH" profile --baseline "$tmp/s1" --profile-dir "$tmp/s2" ./spin
  out_has '^ +1  spin +[^ ]*spin\.c:[0-9]+ .* +[-+][0-9.]+( \*)?$'
  out_has "^change: the self share against $tmp/s1, in points"
  out_has "^profile: $tmp/s2/spin-[0-9a-f]{16}\.\{folded,speedscope\.json,svg\}$"
else
  echo "skip: the column for a command: no cc"
fi
expect 2 "$TACH" profile --baseline nosuch.folded ./cold2_prof_hot
err_has -- '--baseline nosuch.folded'
[ ! -e .tach ] && ok "bad --baseline: nothing run or written" || fail ".tach written"

# compare/gate --help name the profile lines they print on a regression
for c in compare gate; do
  expect 0 "$TACH" $c --help
  out_has 'functions that grew most'
done

# ---- --diff on a bad or a large folded file -----------------------------------------------
# a count that is not a plain positive decimal: exit 2 naming file:line and the value
# ("-3" was read as 2^64-3 and the bootstrap looped that many times); nothing written
for v in -3 +3 0 3x 18446744073709551613; do
  printf 'main;ok 5\na;b %s\n' "$v" >neg.folded
  expect 2 "$TACH" profile --diff base.folded neg.folded --profile-dir dneg
  err_has "neg.folded:2: the count '$v' is not a positive whole number"
  expect 2 "$TACH" profile --diff neg.folded base.folded --profile-dir dneg
  err_has "neg.folded:2: the count '$v'"
done
[ ! -e dneg ] && ok "bad count: nothing written" || fail "dneg written"
# a frame with no name (';;', a leading or a trailing ';'): the diff showed a function row
# with a blank name (exit 0); now exit 2 naming file:line, as a bad count
for st in ';;' ';main' 'main;' 'main;;x'; do
  printf 'main;ok 5\n%s 4\n' "$st" >noname.folded
  expect 2 "$TACH" profile --diff base.folded noname.folded --profile-dir dnoname
  err_line "--diff: noname.folded:2: a frame with no name \(an empty field in 'frame;frame;\.\.\.'\)$"
done
[ ! -e dnoname ] && ok "a frame with no name: exit 2, nothing written" || fail "dnoname written"
# --baseline or --static with --diff: refused (both were ignored, exit 0: the change
# column was BASE's, no findings run)
expect 2 "$TACH" profile --diff base.folded new.folded --baseline base.folded --profile-dir dboth
err_line "^tach profile: --baseline base\.folded applies to a program's profile, not to --diff"
expect 2 "$TACH" profile --diff base.folded new.folded --static --profile-dir dboth
err_line "^tach profile: --static applies to a program's profile, not to --diff$"
[ ! -e dboth ] && ok "--diff with --baseline or --static: nothing written" || fail "dboth written"
# --store without --baseline: refused (it was ignored)
expect 2 "$TACH" profile --store "$tmp/none.db" --profile-dir dboth ./cold2_prof_hot
err_line "^tach profile: --store $tmp/none\.db: the store is where --baseline's run is read; add --baseline REF$"
[ ! -e dboth ] && [ ! -e "$tmp/none.db" ] && ok "--store alone: nothing run or written" || fail "written: $(ls)"
# an empty folded file (or blank lines only) has no samples: a diff against it said "0.0%"
# for every function and marked the other side's shares as significant changes (exit 0)
printf '\n\n' >blank.folded
: >empty.folded
for f in empty blank; do
  expect 2 "$TACH" profile --diff $f.folded base.folded --profile-dir dempty
  err_line "--diff: $f.folded has no samples"
  expect 2 "$TACH" profile --diff base.folded $f.folded --profile-dir dempty
  err_line "--diff: $f.folded has no samples"
done
expect 2 "$TACH" profile --baseline empty.folded "$TACH_BUILD/tests/fixture_prof_hot" --profile-dir dempty
err_line "--baseline empty.folded: empty.folded has no samples"
# the same in a --baseline directory: its NAME.folded, empty, was compared (every share
# "+N *" against nothing, exit 0), and a bad line in it was taken for "keeps no profile"
mkdir -p edir && : >edir/prof_mix-47235a4493647f7f.folded
expect 2 "$TACH" profile --baseline edir "$TACH_BUILD/tests/fixture_prof_hot" --profile-dir dempty
err_line "--baseline edir: edir/prof_mix-47235a4493647f7f.folded has no samples"
printf 'main;hot 3\na;;b 4\n' >edir/prof_mix-47235a4493647f7f.folded
expect 2 "$TACH" profile --baseline edir "$TACH_BUILD/tests/fixture_prof_hot" --profile-dir dempty
err_line "--baseline edir: edir/prof_mix-47235a4493647f7f.folded:2: a frame with no name"
[ ! -e dempty ] && ok "a profile with no samples: exit 2, nothing written" || fail "dempty written"
# --diff BASE with no NEW: it said "no program to profile", as if --diff were not there
expect 2 "$TACH" profile --diff base.folded --profile-dir dnonew
err_line "^tach profile: --diff base.folded: no NEW folded file to compare with it \(tach profile --diff BASE NEW\)$"
[ ! -e dnonew ] && ok "--diff without NEW: nothing written" || fail "dnonew written"
# one stack of 5e7 samples (main and work at p = 1): its bootstrap drew 2000 x 5e7
# Bernoulli trials (minutes); now p = 1 is exact and this finishes at once
printf 'main;work 50000000\n' >big.folded
printf 'main;work 49999000\nmain;x 1000\n' >big2.folded
expect 0 "$TACH" profile --diff big.folded big2.folded --profile-dir dbig
out_has '^50000000 samples before, 50000000 after$'
out_has '^x +0\.0% +0\.0% +\+0\.0 +\[\+0\.0, \+0\.0\]$'
finish
