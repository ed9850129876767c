#!/usr/bin/env bash
# ab_binaries.sh - `tach ab` on two libtach benchmark binaries (recognised by
# --tach-probe): per-benchmark verdicts from paired workers.  tests/fixtures/ab_cost.c
# makes ab/madd 3x slower when started as "slow_ab_cost" (a symlink) and keeps
# ab/steady the same, so: regressed overall (exit 1), ab/madd regressed, ab/steady never
# regressed (judged with --noise 10: the two program names differ, and with them, a
# little, the memory layout).  Also: a binary against itself, --filter, and mixing a binary with a command,
# and benchmarks that hang (ab/hangs_new under the name hang_ab_cost, iso/hang), crash or
# fail (ab/breaks under crash_ab_cost, fail_ab_cost).
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
fix="$TACH_BUILD/tests/fixture_ab_cost"
[ -x "$fix" ] || { fail "missing $fix"; finish; }
ln -s "$fix" "$tmp/slow_ab_cost"
cd "$tmp"

if expect 1 "$TACH" ab --noise 10 --worker-time 0.05 --max-time 120 --format json "$fix" ./slow_ab_cost; then
  out_jq '.kind == "binary" and .metric == null and .verdict == "regressed"'
  out_jq '.paced_on_pairs == 10' # nothing lost: the look plan's pace is --min-pairs' pairs
  out_jq '.benchmarks[] | select(.name == "ab/madd") | .verdict == "regressed" and .change > 1 and .change < 3'
  out_jq '.benchmarks[] | select(.name == "ab/steady") | .verdict != "regressed" and .verdict != "improved"'
  ok "3x slower benchmark: regressed (exit 1); the unchanged one is not"
fi
if expect 0 "$TACH" ab --worker-time 0.05 --max-time 60 --noise 50 --filter steady "$fix" "$fix"; then
  out_has '^benchmark .* verdict$'
  out_has '^ab/steady '
  out_lacks '^ab/madd '
  out_has '^verdict: (no difference|undecided)$'
  ok "a binary against itself, --filter: no regression, exit 0"
fi
# Each worker of a libtach >= 0.2 binary runs one round (--rounds 1 --min-time 0): the
# rounds fixture leaves one trace line per sample with its pid, so the benchmark ran in
# exactly one process per worker: 2 x (pairs + 1 warm-up pair).
rounds_fix="$TACH_BUILD/tests/fixture_rounds"
if TACH_TRACE="$tmp/trace" expect 0 "$TACH" ab --worker-time 0.02 --max-time 2 --warmup 1 --format json \
  --filter '^first$' "$rounds_fix" "$rounds_fix"; then
  pairs=$(jq .pairs "$tmp/out")
  procs=$(awk '{ print $2 }' "$tmp/trace" | sort -u | wc -l)
  if [ "$procs" -eq $((2 * (pairs + 1))) ]; then ok "one round per worker ($procs processes for $pairs pairs + 1)"
  else fail "workers ran $procs processes for $pairs pairs + 1 warm-up pair (want $((2 * (pairs + 1))))"; fi
fi
# A hanging benchmark is timed out by the binary (--timeout bounds one benchmark) and the
# others are still judged: the whole binary was killed at --timeout, every result lost
# ("the OLD binary timed out after 1 s", exit 1).  The hanging one is a row that says so
# (it was left out of the table with exit 0), and the run exits 1.
iso="$TACH_BUILD/tests/fixture_isolation"
if expect 1 "$TACH" ab --timeout 1 --worker-time 0.02 --total-time 1 --warmup-pairs 0 --format json \
  --filter 'healthy_first|hang$' "$iso" "$iso"; then
  out_jq '.pairs >= 1 and .timed_out == 1'
  out_jq '[.benchmarks[].name] | sort == ["iso/hang", "iso/healthy_first"]'
  out_jq '.benchmarks[] | select(.name == "iso/hang") | .verdict == "timed out" and .timed_out == ["OLD", "NEW"] and (.why | test("OLD and NEW timed out after 1 s"))'
  out_jq '.benchmarks[] | select(.name == "iso/healthy_first") | .verdict != "timed out" and .pairs >= 1'
  ok "a hanging benchmark times out (a row saying so, exit 1), the healthy one is judged"
fi
check "the binary was not killed whole" bash -c "! grep -qF 'timed out' '$tmp/err'"
# NEW hangs where OLD does not (ab/hangs_new under the name hang_ab_cost; each hang leaves a
# trace line): the table says NEW timed out, with OLD's time, and the hang is waited out
# once in the whole run - the warm-up pair, where it first timed out - not in each of the
# 3 pairs that follow (it was: 4 hangs, 2 x --timeout a pair when both sides hang).
ln -s "$fix" "$tmp/hang_ab_cost"
if TACH_TRACE="$tmp/hangs" expect 1 "$TACH" ab --timeout 1 --worker-time 0.02 --total-time 120 \
  --min-pairs 3 --max-pairs 3 --filter 'steady|hangs' "$fix" ./hang_ab_cost; then
  out_has '^3 pairs in '
  out_has '^ab/hangs_new +[0-9.]+ [nµm]?s +timed out +- +- +timed out \(NEW\)$'
  out_has '^ab/steady +[0-9.]+ [nµm]?s +[0-9.]+ [nµm]?s '
  out_has '^verdict: [a-z ]+; 1 benchmark timed out after 1 s, not judged: exit status 1$'
fi
hangs=$(wc -l <"$tmp/hangs")
if [ "$hangs" -eq 1 ]; then ok "NEW's hang waited out once in 1 warm-up + 3 pairs"
else fail "NEW's hang was waited out $hangs times in 1 warm-up + 3 pairs (want 1)"; fi
# Without a warm-up pair NEW's hang is waited out in the first recorded pair: the looks
# are planned at --min-pairs 3 from the pace of the other 2 (from all 3, the --timeout
# waited out made the pace slower and the plan shorter).
if expect 1 "$TACH" ab --timeout 1 --worker-time 0.02 --total-time 120 --warmup-pairs 0 \
  --min-pairs 3 --max-pairs 3 --format json --filter 'steady|hangs' "$fix" ./hang_ab_cost; then
  out_jq '.pairs == 3 and .timed_out == 1 and .looks_planned >= 1 and .paced_on_pairs == 2'
  ok "the pair NEW's hang was waited out in is left out of the look plan's pace"
fi
# Both sides hang in every benchmark: the warm-up pair times it out on each side, once, and
# the run ends there (nothing left to run).
rm -f "$tmp/hangs"
if TACH_TRACE="$tmp/hangs" expect 1 "$TACH" ab --timeout 1 --worker-time 0.02 --total-time 120 \
  --format json --filter 'hangs' ./hang_ab_cost ./hang_ab_cost; then
  out_jq '.pairs == 0 and .stopped == "every benchmark timed out" and .timed_out == 1'
  out_jq '.benchmarks == [{"name": "ab/hangs_new", "pairs": 0, "old_median_ns": null, "new_median_ns": null, "verdict": "timed out", "timed_out": ["OLD", "NEW"], "why": "OLD and NEW timed out after 1 s"}]'
fi
hangs=$(wc -l <"$tmp/hangs")
if [ "$hangs" -eq 2 ]; then ok "every benchmark timed out: one hang a side, then the run ends"
else fail "$hangs hangs waited out (want 2, one a side)"; fi
# One pair of counts (--metric allocs): the same row and exit status.
if expect 1 "$TACH" ab --metric allocs --timeout 1 --filter 'steady|hangs' "$fix" ./hang_ab_cost; then
  out_has '^ab/hangs_new +[^ ]+ +timed out +- +timed out \(NEW\)$'
  out_has '; 1 benchmark timed out after 1 s, not judged: exit status 1$'
  ok "--metric allocs: the benchmark NEW timed out in is a row saying so, exit 1"
fi
if expect 1 "$TACH" ab --metric allocs --timeout 1 --format json --filter 'steady|hangs' "$fix" ./hang_ab_cost; then
  out_jq '.timed_out == 1 and (.benchmarks[] | select(.name == "ab/hangs_new") | .verdict == "timed out" and .timed_out == ["NEW"])'
  ok "--metric allocs --format json: verdict timed out, timed_out [\"NEW\"]"
fi
# A benchmark that crashes or fails on one side (ab/breaks: SIGABRT under the name
# crash_ab_cost, tach_fail under fail_ab_cost; a trace line each time) was left out of the
# table as silently as one that timed out, with exit 0: now a row says which side lost it,
# how and why, the run exits 1, and it is run in the pair it was first lost in only.
ln -s "$fix" "$tmp/crash_ab_cost"
ln -s "$fix" "$tmp/fail_ab_cost"
rm -f "$tmp/breaks"
if TACH_TRACE="$tmp/breaks" expect 1 "$TACH" ab --worker-time 0.02 --total-time 120 \
  --min-pairs 3 --max-pairs 3 --filter 'steady|breaks' "$fix" ./crash_ab_cost; then
  out_has '^3 pairs in '
  out_has '^ab/breaks +[0-9.]+ [nµm]?s +crashed +- +- +crashed \(NEW\)$'
  out_has '^ab/steady +[0-9.]+ [nµm]?s +[0-9.]+ [nµm]?s '
  out_has '^verdict: [a-z ]+; 1 benchmark crashed, not judged: exit status 1$'
  ok "NEW crashes where OLD does not: a row 'crashed (NEW)' beside OLD's time, exit 1"
fi
check "NEW's crash run once in 1 warm-up + 3 pairs (then left out)" \
  bash -c "[ \"\$(cat '$tmp/breaks')\" = crash ]"
rm -f "$tmp/breaks"
if TACH_TRACE="$tmp/breaks" expect 1 "$TACH" ab --worker-time 0.02 --total-time 120 --warmup-pairs 0 \
  --min-pairs 3 --max-pairs 3 --format json --filter 'steady|breaks' ./fail_ab_cost "$fix"; then
  out_jq '.pairs == 3 and .failed == 1 and .crashed == 0 and .timed_out == 0'
  out_jq '.paced_on_pairs == 2' # the pair OLD's failure was found in is not the pace
  out_jq '.benchmarks[] | select(.name == "ab/breaks") | .verdict == "failed" and .failed == ["OLD"] and .why == "OLD failed: input file missing" and .old_median_ns == null and .new_median_ns > 0 and (has("crashed") | not)'
  out_jq '.benchmarks[] | select(.name == "ab/steady") | .pairs == 3'
  ok "OLD fails where NEW does not (--format json): verdict failed, failed [\"OLD\"], the message"
fi
check "OLD's failure run once in 3 pairs" bash -c "[ \"\$(cat '$tmp/breaks')\" = fail ]"
# Both sides lose it, each its own way: one row names both, the worse first.
if expect 1 "$TACH" ab --worker-time 0.02 --min-pairs 3 --max-pairs 3 --format json \
  --filter 'steady|breaks' ./fail_ab_cost ./crash_ab_cost; then
  out_jq '.crashed == 1 and .failed == 1 and (.benchmarks[] | select(.name == "ab/breaks") | .verdict == "crashed" and .crashed == ["NEW"] and .failed == ["OLD"] and .why == "NEW crashed: killed by signal 6 (SIGABRT); OLD failed: input file missing")'
  ok "OLD fails and NEW crashes: verdict crashed, both sides named"
fi
# Both sides fail in every benchmark: the run ends after the pair that found it.
if expect 1 "$TACH" ab --worker-time 0.02 --format json --filter 'breaks' ./fail_ab_cost ./fail_ab_cost; then
  out_jq '.pairs == 0 and .stopped == "every benchmark failed" and .paced_on_pairs == null'
  out_jq '.benchmarks == [{"name": "ab/breaks", "pairs": 0, "old_median_ns": null, "new_median_ns": null, "verdict": "failed", "failed": ["OLD", "NEW"], "why": "OLD and NEW failed: input file missing"}]'
  ok "every benchmark failed on both sides: one row, the run stops"
fi
# One pair of counts (--metric allocs): the row said "not compared" and the run exited 0.
if expect 1 "$TACH" ab --metric allocs --filter 'steady|breaks' "$fix" ./crash_ab_cost; then
  out_has '^ab/breaks +[^ ]+ +crashed +- +crashed \(NEW\)$'
  out_has '; 1 benchmark crashed, not judged: exit status 1$'
  ok "--metric allocs: the benchmark NEW crashed in is a row saying so, exit 1"
fi
if expect 1 "$TACH" ab --metric allocs --format json --filter 'steady|breaks' ./fail_ab_cost "$fix"; then
  out_jq '.failed == 1 and (.benchmarks[] | select(.name == "ab/breaks") | .verdict == "failed" and .failed == ["OLD"] and .why == "OLD failed: input file missing")'
  ok "--metric allocs --format json: verdict failed, failed [\"OLD\"]"
fi
# A benchmark in one binary only (ab/extra: only under a name holding "extra") or skipped on
# a side (ab/skips: tach_skip under a name holding "skip") left the table without a word:
# now a row each, as tach compare words it, not judged, and no failure (exit 0).
ln -s "$fix" "$tmp/skip_ab_cost"
ln -s "$fix" "$tmp/extra_ab_cost"
rm -f "$tmp/sided"
if TACH_TRACE="$tmp/sided" expect 0 "$TACH" ab --worker-time 0.02 --min-pairs 3 --max-pairs 3 --noise 50 \
  --filter 'steady|skips|extra' ./skip_ab_cost ./extra_ab_cost; then
  out_has '^ab/skips +skipped +[0-9.]+ [nµm]?s +- +- +skipped \(OLD\)$'
  out_has '^ab/extra +- +[0-9.]+ [nµm]?s +- +- +added \(only in NEW\)$'
  out_has '^ab/steady +[0-9.]+ [nµm]?s +[0-9.]+ [nµm]?s '
  out_has '^verdict: [a-z ]+; 1 benchmark only in NEW, 1 skipped, not judged$'
  ok "only in NEW, skipped on OLD: a row each, not judged, exit 0"
fi
# ab/extra and ab/skips leave a trace line with the pid each time they run (or skip): both
# were run in every pair, by 1 + 3 processes, changing no result; now by the warm-up pair's.
check "one-sided benchmarks run in the warm-up pair only (1 process each, of 1 + 3 pairs)" \
  bash -c "[ \"\$(sort -u '$tmp/sided' | awk '{ print \$1 }' | tr '\n' ' ')\" = 'extra skip ' ]"
if expect 0 "$TACH" ab --worker-time 0.02 --min-pairs 3 --max-pairs 3 --noise 50 --format json \
  --filter 'steady|skips|extra' ./extra_ab_cost ./skip_ab_cost; then
  out_jq '.added == 0 and .removed == 1 and .skipped == 1 and .failed == 0'
  out_jq '.benchmarks[] | select(.name == "ab/extra") | .verdict == "removed" and .only_in == "OLD" and .why == "only in OLD" and .old_median_ns > 0 and .new_median_ns == null and .pairs == 0'
  out_jq '.benchmarks[] | select(.name == "ab/skips") | .verdict == "skipped" and .skipped == ["NEW"] and .why == "NEW skipped: no GPU here" and .old_median_ns > 0 and .new_median_ns == null'
  out_jq '.benchmarks[] | select(.name == "ab/steady") | .pairs == 3'
  ok "only in OLD, skipped on NEW (--format json): verdict removed, skipped, with why"
fi
# One pair of counts (--metric allocs): the same rows for a benchmark in one binary only
# (ab/steady must be counted: not in a sanitizer build, whose memory pass counts nothing).
if [ "${TACH_TEST_SANITIZE:-OFF}" = ON ]; then
  echo "skip: --metric allocs with a benchmark in one binary only: a sanitizer build counts no allocations"
elif expect 0 "$TACH" ab --metric allocs --filter 'steady|extra' ./extra_ab_cost "$fix"; then
  out_has '^ab/extra +[0-9.]+ +- +- +removed \(only in OLD\)$'
  out_has '; 1 benchmark only in OLD, not judged$'
  ok "--metric allocs: the benchmark only in OLD is a row saying so, exit 0"
fi
if [ "${TACH_TEST_SANITIZE:-OFF}" != ON ] && expect 0 "$TACH" ab --metric allocs --format json --filter 'steady|extra' "$fix" ./extra_ab_cost; then
  out_jq '.added == 1 and .removed == 0 and (.benchmarks[] | select(.name == "ab/extra") | .verdict == "added" and .only_in == "NEW" and .old == null)'
  ok "--metric allocs --format json: verdict added, only_in NEW"
fi
# One pair of counts (--metric allocs): a benchmark skipped on a side said "not compared"
# with the skip's message, and the JSON had no "skipped" count: now as the timed pairs say it.
if [ "${TACH_TEST_SANITIZE:-OFF}" = ON ]; then
  echo "skip: --metric allocs with a benchmark skipped on a side: a sanitizer build counts no allocations"
else
  if expect 0 "$TACH" ab --metric allocs --filter 'steady|skips' ./skip_ab_cost "$fix"; then
    out_has '^ab/skips +skipped +[0-9.]+ +- +skipped \(OLD\)$'
    out_has '; 1 benchmark skipped, not judged$'
    out_lacks 'not compared'
    ok "--metric allocs: the benchmark OLD skipped is a row 'skipped (OLD)', exit 0"
  fi
  if expect 0 "$TACH" ab --metric allocs --format json --filter 'steady|skips' "$fix" ./skip_ab_cost; then
    out_jq '.skipped == 1 and .added == 0 and .removed == 0 and .failed == 0'
    out_jq '.benchmarks[] | select(.name == "ab/skips") | .verdict == "skipped" and .skipped == ["NEW"] and .why == "NEW skipped: no GPU here" and .old != null and .new == null'
    ok "--metric allocs --format json: verdict skipped, skipped [\"NEW\"], why, the skipped count"
  fi
fi
# Benchmark names are the binary's to choose (under a name holding "names": one with ESC [2J
# and a C1 CSI, one with multibyte UTF-8): the timed table printed them raw, escape and all,
# and lined the columns up by bytes, as the counted table (ab_instr.c) no longer did.
ln -s "$fix" "$tmp/names_ab_cost"
if expect 0 "$TACH" ab --worker-time 0.02 --min-pairs 3 --max-pairs 3 --noise 50 \
  --filter 'steady|esc|na' ./names_ab_cost ./names_ab_cost; then
  check "no raw ESC or C1 control (UTF-8 C2 80..9F) in the table" \
    bash -c "! LC_ALL=C grep -qP '\x1b|\xc2[\x80-\x9f]' '$tmp/out'"
  out_has '^ab/esc \[2J  x  ' # ESC and the 2 bytes of CSI as spaces
  # Names 13 columns wide at most ("ab/esc [2J  x"; "ab/µs_naïve" is 11 in 13 bytes): in
  # every line of the table the OLD column ends at column 13 + 2 + 10, before 2 spaces.
  n=0 bad=0
  LC_ALL=C.UTF-8 # ${l:i:n} counts characters
  while IFS= read -r l; do
    n=$((n + 1))
    [[ "${l:12:3}" = ?"  " && "${l:24:3}" = [^\ ]"  " ]] || { bad=1; fail "misaligned: '$l'"; }
  done < <(grep -E '^(benchmark|ab/)' "$tmp/out")
  unset LC_ALL
  if [ "$n" -ne 4 ]; then fail "want 4 lines (header, steady, esc, µs_naïve): $(cat "$tmp/out")"
  elif [ "$bad" = 0 ]; then ok "control characters as spaces, UTF-8 names lined up by display width"; fi
fi
# Names wider than the name column (60): the column was capped at 60 but a longer name was
# printed whole, pushing its row's columns right of the header.  ab/long_0123... (100
# characters) and ab/wide_... (ESC [2J, 30 x é, a C1 CSI, 30 x ü) are cut at a character
# with "…" to 59 + 1 columns, in the timed table and in the counted one (--metric allocs).
# aligned_at NAME_COLS OLD_END: every table line has its name cell end at column NAME_COLS
# and its OLD cell at OLD_END, each followed by two spaces; sets lines to the lines read.
aligned_at() {
  local l LC_ALL=C.UTF-8 # ${l:i:n} counts characters
  lines=0
  while IFS= read -r l; do
    lines=$((lines + 1))
    [[ "${l:$(($1 - 1)):3}" = ?"  " && "${l:$(($2 - 1)):3}" = [^\ ]"  " ]] || fail "misaligned: '$l'"
  done < <(grep -E '^(benchmark|ab/)' "$tmp/out")
}
# row_starts TEXT: a line of stdout starts with TEXT (taken literally).
row_starts() {
  local l
  while IFS= read -r l; do [[ "$l" == "$1"* ]] && return 0; done <"$tmp/out"
  fail "no row starting '$1': $(cat "$tmp/out")"
}
long59='ab/long_012345678901234567890123456789012345678901234567890' # 59 columns
wide59="ab/wide_ [2J$(printf 'é%.0s' {1..30})  $(printf 'ü%.0s' {1..15})"
for mode in timed allocs; do
  if [ "$mode" = timed ]; then
    opts=(--worker-time 0.02 --min-pairs 3 --max-pairs 3 --noise 50)
    old_end=$((60 + 2 + 10))
  elif [ "${TACH_TEST_SANITIZE:-OFF}" = ON ]; then
    echo "skip: long names in the counted table: a sanitizer build counts no allocations"
    continue
  else
    opts=(--metric allocs)
    old_end=$((60 + 2 + 14))
  fi
  if expect 0 "$TACH" ab "${opts[@]}" --filter 'steady|esc|na|long|wide' ./names_ab_cost ./names_ab_cost; then
    check "$mode: no raw ESC or C1 control in a long name" \
      bash -c "! LC_ALL=C grep -qP '\x1b|\xc2[\x80-\x9f]' '$tmp/out'"
    row_starts "${long59}…  "
    row_starts "${wide59}…  "
    out_lacks '[0-9]{52}' # 51 of the long name's 92 digits are kept, no more
    aligned_at 60 $old_end
    [ "$lines" = 6 ] && ok "$mode: names wider than 60 columns cut with …, the columns lined up" ||
      fail "$mode: want 6 lines (header, steady, esc, µs_naïve, long, wide), got $lines"
  fi
done
# The counted table's OLD and NEW lines printed the programs raw (ab_instr.c): a path with
# ESC [2J, a C1 CSI and BEL reached the terminal as it was; each is a space now.
ln -s "$fix" "$tmp/x"$'\e[2J\xc2\x9b\a'"_ab_cost"
if [ "${TACH_TEST_SANITIZE:-OFF}" = ON ]; then
  echo "skip: --metric allocs, OLD and NEW made safe: a sanitizer build counts no allocations"
elif expect 0 "$TACH" ab --metric allocs --filter steady ./x$'\e[2J\xc2\x9b\a'_ab_cost "$fix"; then
  out_has '^OLD: \./x \[2J   _ab_cost$'
  check "--metric allocs: no raw control character in OLD" \
    bash -c "! LC_ALL=C grep -qP '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' '$tmp/out'"
fi
# A program name that is not UTF-8: jansson refuses such a string, and the JSON had no
# "old"/"new" key at all; the bytes are shown as U+FFFD, as in every other document.
ln -s "$fix" "$tmp/x"$'\xff'"_ab_cost"
if expect 0 "$TACH" ab --worker-time 0.02 --min-pairs 3 --max-pairs 3 --noise 50 --format json \
  --filter 'steady' ./x$'\xff'_ab_cost ./x$'\xff'_ab_cost; then
  out_jq '.old == "./x\ufffd_ab_cost" and .new == .old and (.benchmarks | length) == 1' \
    && ok "--format json: a program name that is not UTF-8 is kept, its bad byte as U+FFFD"
fi
# Left with nothing to judge but one lost and one only in NEW: the run stops there.
if expect 1 "$TACH" ab --worker-time 0.02 --format json --filter 'breaks|extra' ./fail_ab_cost ./extra_ab_cost; then
  out_jq '.pairs == 0 and .stopped == "every benchmark failed" and .added == 1'
  ok "every benchmark that could be judged was lost: the run stops"
fi
# A NEW binary that dies whole (killed) or ends leaving no results in its one pair of
# counts failed, as in the timed pairs and as --help says: exit 1 (it was 2, bad usage).
# One that refuses its arguments is still bad usage.
for end in 'kill -KILL $$' 'exit 0' 'exit 2'; do
  printf '#!/bin/sh\n[ "$1" = --tach-probe ] && exec "%s" "$@"\n%s\n' "$fix" "$end" >whole_ab.sh
  chmod +x whole_ab.sh
  want=1
  [ "$end" = 'exit 2' ] && want=2
  expect $want "$TACH" ab --metric allocs --filter steady "$fix" ./whole_ab.sh &&
    err_has "the NEW binary " && err_has ": ./whole_ab.sh" && out_lacks . &&
    ok "--metric allocs, NEW binary '$end': exit $want"
done
# A Valgrind that cannot start its callgrind tool (a fake one on PATH, logging each start)
# made every benchmark "failed (OLD and NEW)", exit 1, as each binary's own instruction mode
# tried it: a setup problem, said before OLD or NEW starts, exit 2 (ab_commands.sh: commands).
mkdir -p "$tmp/vgbin"
printf '#!/bin/sh\necho "$*" >> %s/vg.log\necho "valgrind: failed to start tool" >&2\nexit 1\n' "$tmp" >"$tmp/vgbin/valgrind"
chmod +x "$tmp/vgbin/valgrind"
rm -f "$tmp/vg.log"
PATH="$tmp/vgbin:$PATH" expect 2 "$TACH" ab --metric instructions --filter steady "$fix" "$fix" &&
  err_line "^tach ab: --metric instructions needs Valgrind's callgrind tool, which $tmp/vgbin/valgrind cannot start: valgrind: failed to start tool \(exited with code 1\); check its installation \(Debian package: valgrind\)$" &&
  out_lacks . && ok "binaries, --metric instructions, Valgrind cannot start its tool: exit 2, one line"
check "binaries: valgrind started once, to ask for --version; no binary ran under it" \
  bash -c "[ \"\$(cat '$tmp/vg.log')\" = '--tool=callgrind --version' ]"
expect 2 "$TACH" ab "$fix" 'sleep 0' && err_has "OLD is a benchmark binary but NEW is a command" && ok "binary vs command"
expect 2 "$TACH" ab --metric cpu "$fix" "$fix" && err_has "--metric applies to commands only" && ok "--metric with binaries"
expect 2 "$TACH" ab --worker-time 0.05 --filter '^nothing$' "$fix" "$fix" && err_has "no benchmark measured" && ok "--filter matching nothing"
# A $TMPDIR of 40 bytes or more was passed over for /tmp, unsaid: it is used (one missing
# is refused naming it, where /tmp was taken), and one longer than a path holds too
long="$tmp/$(printf 'd%.0s' $(seq 60))"
mkdir -p "$long"
expect 0 env TMPDIR="$long" "$TACH" ab --worker-time 0.05 --max-time 2 --noise 50 --filter steady "$fix" "$fix" \
  && out_has '^ab/steady ' && [ -z "$(ls -A "$long")" ] && ok "a TMPDIR of 60+ bytes: used, left empty"
expect 2 env TMPDIR="$long/missing" "$TACH" ab --worker-time 0.05 --max-time 2 --filter steady "$fix" "$fix" \
  && err_has "cannot make a temporary directory in '$long/missing' (TMPDIR): No such file or directory" \
  && [ ! -s "$tmp/out" ] && ok "a long TMPDIR that is missing: exit 2 naming it (not /tmp taken)"
huge="/$(printf 'x%.0s' $(seq 4100))"
expect 2 env TMPDIR="$huge" "$TACH" ab --worker-time 0.05 --max-time 2 "$fix" "$fix" \
  && err_has "TMPDIR is too long for a temporary directory in it (4101 bytes, at most" \
  && err_has "$huge'" && [ ! -s "$tmp/out" ] && ok "a TMPDIR longer than a path: exit 2 naming it"
# A TMPDIR at that limit left no room for the temporary file each binary writes beside
# new.json (tach__write_text_file): "the OLD binary refused its arguments" (exit 2); at it
# the pair runs, one byte over is refused naming it, and neither leaves anything in it
most=$(sed -n 's/.*(4101 bytes, at most \([0-9]*\)).*/\1/p' "$tmp/err")
at=$(dir_of_length "$most") && over=$(dir_of_length $((most + 1))) || fail "cannot make a TMPDIR of $most bytes"
expect 0 env TMPDIR="$at" "$TACH" ab --worker-time 0.05 --max-time 2 --noise 50 --filter steady "$fix" "$fix" \
  && out_has '^ab/steady ' && [ -z "$(ls -A "$at")" ] && ok "a TMPDIR of the most bytes ($most): used, left empty"
expect 2 env TMPDIR="$over" "$TACH" ab --worker-time 0.05 --max-time 2 "$fix" "$fix" \
  && err_has "TMPDIR is too long for a temporary directory in it ($((most + 1)) bytes, at most $most): '$over'" \
  && [ ! -s "$tmp/out" ] && [ -z "$(ls -A "$over")" ] && ok "a TMPDIR one byte over: exit 2 naming it, nothing left"
finish
