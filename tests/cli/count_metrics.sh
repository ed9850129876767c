#!/usr/bin/env bash
# count_metrics.sh - the counts (instructions, cycles-est, allocs) are deterministic:
# one run per side decides, and their default threshold is 0.1% (docs/instructions.md),
# in ab, compare and gate alike.  A 1% variant is found with no --noise: instructions
# (fixture instr_more, 202 steps instead of 200) and allocations (fixture allocs_more,
# 101 blocks instead of 100 per iteration).  A count grown from 0 (fixture allocs_none)
# is regressed in ab.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
cd "$tmp"
A=$TACH_BUILD/tests/fixture_allocs
B=$TACH_BUILD/tests/fixture_allocs_more

check "ab --help states the counts' default threshold" \
  bash -c "'$TACH' ab --help | grep -q '0.1 for the counts'"
check "compare --help states the counts' default threshold" \
  bash -c "'$TACH' compare --help | grep -q '0.1 for'"
expect 2 "$TACH" ab --metric allocs /bin/true /bin/false \
  && err_line '^tach ab: --metric allocs: a command has no allocation count' && ok "ab --metric allocs on commands: exit 2"

# A count that FAILED in NEW (its counting process crashed: memory.unavailable "memory
# counting failed: ...") fails the gate as a benchmark failed in NEW does, the reason
# named (it was "incomparable (no values in NEW)", exit 0); one impossible by design
# (ASan) stays incomparable; a failed count in BASE is incomparable too (documents made
# by hand: they run under the sanitizers as well).
mkdoc m.json g/a:steady:5 g/b:steady:5
counted='{allocs_per_iter: 100, bytes_per_iter: 1600, peak_bytes: 1600, net_growth_per_iter: 0,
  leak: false, iterations: 48, peak_rss_bytes: 2097152, method: "interpose"}'
crash='memory counting failed: the counting process was killed by signal 11 (SIGSEGV)'
asan='memory counting unavailable under ASan (it owns the allocator)'
jq "(.benchmarks[].memory) = $counted" m.json >m1.json
jq --arg w "$crash" '.benchmarks[0].memory = {peak_rss_bytes: 2097152, unavailable: $w}' m1.json >m2.json
jq --arg w "$asan" '.benchmarks[0].memory = {peak_rss_bytes: 2097152, unavailable: $w}' m1.json >m3.json
jq --arg w "$crash" '.benchmarks[].memory = {peak_rss_bytes: 2097152, unavailable: $w}' m1.json >m4.json
if expect 1 "$TACH" gate --metric allocs m1.json m2.json; then
  out_has '^g/a .* failed: NEW: memory counting failed: the counting process was killed by signal 11 \(SIGSEGV\)$'
  out_has '^g/b .*unchanged' && err_has '1 failed benchmark'
  ok "gate --metric allocs: a count that failed in NEW fails the gate, the reason named (exit 1)"
fi
expect 1 "$TACH" gate --metric allocs --format json m1.json m2.json &&
  out_jq --arg w "NEW: $crash" '.benchmarks[] | select(.name == "g/a") | .verdict == "failed" and .why == $w' &&
  ok "gate --metric allocs --format json: failed, why names NEW's reason"
expect 1 "$TACH" gate --metric allocs m1.json m4.json && out_has '^g/b .* failed: NEW: memory counting failed' &&
  ok "gate --metric allocs: every count failed in NEW: exit 1 with the rows (not 2, 'no allocs values')"
expect 0 "$TACH" gate --metric allocs m1.json m3.json && out_has '^g/a .*incomparable \(no values in NEW\)$' &&
  ok "gate --metric allocs: a count impossible by design (ASan) stays incomparable (exit 0)"
expect 0 "$TACH" gate --metric allocs m2.json m1.json && out_has '^g/a .*incomparable \(no values in BASE\)$' &&
  ok "gate --metric allocs: a count that failed in BASE is incomparable (exit 0)"

# A count grown from 0 (no allocation in BASE, 100 per iteration in NEW) was "not testable
# (1 sample)" (a change from 0 has no percentage, and the counts were left to the test of
# samples); 100 -> 0 the same, and gate passed it "with no change to estimate": regressed,
# improved, critical, as tach ab judges them, their change n/a.
jq '.benchmarks[0].memory.allocs_per_iter = 0' m1.json >z.json
if expect 1 "$TACH" gate --metric allocs z.json m1.json; then
  out_has '^g/a +0 +100 +n/a .*regressed \(critical\), deterministic: no CI needed$' &&
    out_lacks 'not testable' && err_has 'FAILED: 1 regression beyond threshold' &&
    ok "gate --metric allocs: 0 -> 100 allocs/iter is regressed, critical (exit 1)"
fi
expect 0 "$TACH" compare --metric allocs --format json z.json m1.json &&
  out_jq '.benchmarks[0] | .verdict == "regressed" and .severity == "critical" and .change == null' &&
  ok "compare --metric allocs --format json: 0 -> 100: regressed, critical, change null"
if expect 0 "$TACH" gate --metric allocs m1.json z.json; then
  out_has '^g/a +100 +0 +n/a .*improved \(critical\), deterministic: no CI needed$' &&
    err_has 'passed: 2 benchmarks compared, no regression' &&
    ok "gate --metric allocs: 100 -> 0 allocs/iter is improved (exit 0)"
fi
# A max_regression_pct on a count grown from 0 (no percentage) was met: it is missed, said so.
jq '.benchmarks[].targets = {max_regression_pct: 5}' z.json >zt.json
jq '.benchmarks[].targets = {max_regression_pct: 5}' m1.json >mt.json
if expect 1 "$TACH" gate --metric allocs zt.json mt.json; then
  out_has '^  g/a: max_regression_pct \+5\.0%, grown from 0 \(no percentage\)$' &&
    err_has '1 target missed' && ok "gate --metric allocs: max_regression_pct 5 on 0 -> 100 allocs/iter is missed"
fi
expect 0 "$TACH" compare --metric allocs --format json zt.json mt.json &&
  out_jq '.benchmarks[0].targets[0] | .name == "max_regression_pct" and .met == false' &&
  ok "compare --format json: that target not met"

if [ "${TACH_TEST_SANITIZE:-OFF}" = ON ]; then
  echo "skip: the counting checks: heap counting and Valgrind are unavailable under the sanitizers"
  finish
fi

# ---- allocations: exact, one run decides ----
"$A" --memory --min-time 0.01 --format json --quiet --out a.json || fail "allocs --memory"
"$B" --memory --min-time 0.01 --format json --quiet --out b.json || fail "allocs_more --memory"
check "the fixtures count 100 and 101 allocations per iteration" \
  jqt --slurpfile b b.json '(.benchmarks[0].memory.allocs_per_iter == 100) and
       ($b[0].benchmarks[0].memory.allocs_per_iter == 101)' a.json
if expect 1 "$TACH" gate --metric allocs a.json b.json; then
  out_has '^allocs .*regressed.*deterministic: no CI needed'
  out_lacks 'not testable'
  out_has 'noise 0\.1%'
  ok "gate --metric allocs: 100 -> 101 allocs/iter is a regression at the default 0.1% (exit 1)"
fi
expect 0 "$TACH" gate --metric allocs a.json a.json && out_has '^allocs .*unchanged' \
  && ok "gate --metric allocs, A/A: unchanged (exit 0)"
expect 0 "$TACH" gate --metric allocs --noise 2 a.json b.json && out_has '^allocs .*unchanged' \
  && ok "gate --metric allocs --noise 2: +1% is within the asked threshold"
if expect 1 "$TACH" ab --metric allocs "$A" "$B"; then
  out_has '1 pair'
  out_has '^allocs .* \+1\.00%  regressed'
  out_has 'threshold \+-0\.1%'
  ok "ab --metric allocs finds 1% more allocations in one pair at the default threshold (exit 1)"
fi
expect 0 "$TACH" ab --metric allocs "$A" "$A" && out_has 'verdict: no difference' \
  && ok "ab --metric allocs, A/A: no difference"
# From no allocation (fixture allocs_none) to 100 per iteration was "no difference", exit 0
# (a change from 0 has no percentage, and no verdict was drawn from it): regressed.
N=$TACH_BUILD/tests/fixture_allocs_none
if expect 1 "$TACH" ab --metric allocs "$N" "$A"; then
  out_has '^allocs +0 +100 +n/a  regressed$' && out_has '^verdict: regressed' &&
    out_has "^  allocs: OLD's count is 0: a change from 0 has no percentage$" &&
    ok "ab --metric allocs: 0 -> 100 allocs/iter is regressed (exit 1)"
fi
expect 1 "$TACH" ab --metric allocs --format json "$N" "$A" &&
  out_jq '.verdict == "regressed" and .benchmarks[0].change == null and .benchmarks[0].verdict == "regressed"' &&
  ok "ab --metric allocs --format json: 0 -> 100: regressed, change null"
expect 0 "$TACH" ab --metric allocs "$A" "$N" && out_has '^allocs +100 +0 +-100\.00%  improved$' &&
  ok "ab --metric allocs: 100 -> 0 allocs/iter is improved"

# CSV carries the memory figures (its value cells were empty of them): allocs/iter,
# bytes/iter, the peak heap and the peak RSS, after the columns that were there first
"$A" --memory --min-time 0.01 --format csv --quiet >a.csv || fail "allocs --format csv"
check "CSV: allocs_per_iter, alloc_bytes_per_iter, peak_heap_bytes, peak_rss_bytes" python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
r = rows[0]
assert list(r)[21] == "quick", list(r)
assert (r["allocs_per_iter"], r["alloc_bytes_per_iter"], r["peak_heap_bytes"]) == ("100", "1600", "1600"), r
assert int(r["peak_rss_bytes"]) > 0 and r["instructions"] == "", r' a.csv

# history --metric allocs: the metric named once (it said "allocs (allocs)"), and a
# point's samples is the one exact count (the CSV gave the run's timed samples: 45)
"$TACH" record --store h.db a.json >/dev/null 2>&1 && "$TACH" record --store h.db b.json >/dev/null 2>&1 ||
  fail "record a.json, b.json"
if expect 0 "$TACH" history --store h.db --metric allocs; then
  out_has '^metric: allocs, an exact count: one value per run$' && out_lacks '\(allocs\)' &&
    ok "history --metric allocs names the metric once"
fi
if expect 0 "$TACH" history --store h.db --metric allocs --format csv; then
  check "history --metric allocs --format csv: samples 1 per run" \
    test "$(awk -F, 'NR > 1 { print $12 }' "$tmp/out" | sort -u)" = 1
fi
expect 0 "$TACH" history --store h.db --metric allocs --format json &&
  out_jq '[.benchmarks[].points[].samples] == [1, 1]' && ok "history --metric allocs --format json: samples 1"

# ---- instructions: the default threshold finds a 1% variant ----
if ! command -v valgrind >/dev/null; then
  echo "skip: the instruction checks: valgrind is not installed (Debian package: valgrind)"
  finish
fi
BIN=$TACH_BUILD/tests/fixture_instr
MORE=$TACH_BUILD/tests/fixture_instr_more
# a counted run's CSV holds its count (it was "work,ok,0,0,,,,..." with no value at all)
"$BIN" --metric instructions --filter '^work$' --format csv --quiet >i.csv || fail "instr --format csv"
check "CSV of a counted run: the instructions column" python3 -c '
import csv, sys
r = list(csv.DictReader(open(sys.argv[1])))[0]
assert r["name"] == "work" and r["mean_ns"] == "" and float(r["instructions"]) > 0, r' i.csv
if expect 1 "$TACH" ab --metric instructions --filter '^work$' "$BIN" "$MORE"; then
  out_has '^work .* \+1\.0[0-9]%  regressed'
  out_has 'threshold \+-0\.1%'
  ok "ab --metric instructions, no --noise: the 1% variant regressed in one pair (exit 1)"
fi
"$BIN" --metric instructions --filter '^work$' --format json --quiet --out i1.json || fail "instr"
"$MORE" --metric instructions --filter '^work$' --format json --quiet --out i2.json || fail "instr_more"
expect 1 "$TACH" gate i1.json i2.json && out_has '^work .*regressed' \
  && ok "gate, no --noise, instructions: the 1% variant fails the gate"
# --memory beside --metric instructions: one line says it is ignored, and why
if expect 0 "$BIN" --metric instructions --memory --filter '^work$' --format json --out im.json; then
  err_has 'warning: --memory is ignored with --metric instructions (callgrind replaces the allocator'
  check "the document keeps the warning and has no memory figures" \
    jqt '(.context.warnings | any(test("--memory is ignored"))) and (.benchmarks[0].memory == null)' im.json
  ok "--metric instructions --memory: the one-line warning"
fi
finish
