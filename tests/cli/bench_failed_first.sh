#!/usr/bin/env bash
# bench_failed_first.sh - a `tach bench` where every benchmark failed: a binary at an
# absolute path (a wrapper answering --tach-probe and --help as the fixture, then failing)
#   1. is not saved as the first baseline (a later good run would compare with nothing),
#      and says so, as --help does (it said only "when it does not exist yet, this run
#      is saved as it");
#   2. names its failed binary item "MODULE: /abs/path" (as the progress line), not
#      "MODULE//abs"; a command keeps "MODULE/" + the command, its results' name;
#   3. the JSON's thresholds are as given ("noise": 0.05, not 0.050000000000000003);
#   4. --criteria (and a module's criteria =) naming a criterion twice is refused, exit 2.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
FIX=$TACH_BUILD/tests/fixture_basic
if [ ! -x "$FIX" ]; then bad "no fixture binary at $FIX"; finish; fi
mkdir -p .tach
bad_bin=$tmp/bad.sh
printf '#!/bin/sh\ncase "$1" in --tach-probe|--help) exec %s "$@";; esac\necho broken >&2\nexit 3\n' \
  "$FIX" >"$bad_bin"
chmod +x "$bad_bin"
printf '[module "m"]\n    bench = %s\n[suite]\n    noise = 5\n' "$bad_bin" >.tach/config

expect 0 "$TACH" bench --help && out_has "unless --quick,\$" \
  && out_has "^ +interrupted \(Ctrl-C\) or no benchmark ended ok \(all failed or skipped\)\$" \
  && ok "--help: which run is not saved as the first baseline"

if expect 1 "$TACH" bench --bench-time 0.2 --report r.md --format json; then
  err_has "no baseline 'main' yet (not saved as the first baseline: no benchmark ended ok)" &&
    ok "an all-failed run says it is not the first baseline"
  if "$TACH" baseline list 2>/dev/null | grep -q '^main '; then
    fail "an all-failed run became the baseline 'main'"
  else
    ok "an all-failed run is not saved as the baseline"
  fi
  check "the summary says it was not saved" jqt '.saved_as_baseline == false' "$tmp/out"
  err_has "        m: $bad_bin: failed" && ok "the failed item is named 'm: $bad_bin'"
  grep -qF "m//" "$tmp/err" && fail "a failed item is named with 'm//': $(grep -F m// "$tmp/err")"
  check "the detailed JSON names it 'm: PATH'" \
    jqt --arg n "m: $bad_bin" '[.results.benchmarks[].name] == [$n]' r.json
  grep -qE '^    "noise": 0\.05,$' r.json && ok "the detailed JSON's noise is 0.05" ||
    fail "the detailed JSON's noise: $(grep noise r.json)"
  grep -qE '^  "noise": 0\.05,$' "$tmp/out" && grep -qE '^  "critical": 0\.1,$' "$tmp/out" &&
    ok "the summary's thresholds are 0.05 and 0.1" || fail "the summary's thresholds: $(grep -E 'noise|critical' "$tmp/out")"
  check "the detailed JSON still parses, its parts in order" \
    jqt '(keys_unsorted == ["suite", "comparison", "results"]) and .suite.noise == 0.05' r.json
fi

# a command at an absolute path keeps "MODULE/" + the command, the name tach run gives
# its results (m//bin/false), failed or timed out: "MODULE: " is a binary's failed item
# only.  (A command item ending with no results at all, named in add_failure the same
# way, needs tach run itself to die: not reached here.)
rm -rf .tach/tach.db* r.md r.json
printf '[module "m"]\n    command = /bin/false\n    command = /bin/sleep 30\n' >.tach/config
if expect 1 "$TACH" bench --bench-time 0.2 --timeout 0.5 --report r.md; then
  check "a command's failed and timed-out runs are named MODULE/ + the command" \
    jqt '[.results.benchmarks[].name] == ["m//bin/false", "m//bin/sleep 30"]' r.json
fi

# a criterion given twice: refused before anything runs
rm -rf .tach/tach.db* r.md r.json
expect 2 "$TACH" bench --criteria latency,latency &&
  err_line "^tach bench: --criteria: 'latency,latency': criterion 'latency' is given twice$" &&
  ok "--criteria latency,latency refused"
printf '[module "m"]\n    bench = %s\n    criteria = cpu cpu\n' "$FIX" >.tach/config
expect 2 "$TACH" bench &&
  err_line "config:3: criterion 'cpu' is given twice" &&
  ok "a module's criteria = cpu cpu refused"
[ ! -e .tach/tach.db ] && [ ! -e r.md ] && ok "nothing written" || fail "a refused run wrote something"
finish
