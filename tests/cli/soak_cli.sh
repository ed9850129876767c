#!/usr/bin/env bash
# soak_cli.sh - `tach soak` on the soak fixture (tests/fixtures/soak.c): a paced leak
# (1000-byte blocks, 100 per second of wall time) found as leaking with its rate in the
# slope's CI, a sawtooth heap not flagged, a soak killed with SIGKILL reported from its
# file (partial) and resumed to its end, a command soak, the reports, and bad usage.
#
# Only memory verdicts are asserted: on a shared machine throughput and latency may
# truly drift during a few seconds, so "stable" is not something this test can demand.
source "$(dirname "$0")/lib.bash"
BIN=$TACH_BUILD/tests/fixture_soak
private_store # soaks are recorded: into a store of the test's own

# 100 blocks/s of 1000 bytes each, which glibc counts as 1000 to 1024 bytes of chunk:
# 360,000 to 368,640 KB/h.
# Intervals of 0.1 s: 60 asked, and the memory verdict needs 27 (8 windows of 3 after the
# first 10%); under a load of 16 a 0.2 s soak of 30 got 24 and was inconclusive.
# A sanitizer's allocator answers malloc: glibc's mallinfo2 knows nothing of the heap
# (null in the series), and the leak is seen in RSS.
if expect 1 "$TACH" soak --duration 6 --interval 0.1 --bench leaky --out leak.jsonl --format json "$BIN"; then
  out_jq '.verdict.summary == "leaking" and .partial == false and .intervals >= 20'
  out_jq '(.series.heap_bytes | length) == .intervals and (.series.fds[0] | . >= 3) and .series.threads[0] == 1'
  if [ "${TACH_TEST_SANITIZE:-OFF}" = ON ]; then
    out_jq '.verdict.rss_growth.growing and .verdict.heap_growth == null and .series.heap_bytes[0] == null'
    ok "a leak is flagged leaking from RSS (the sanitizer's allocator hides the heap)"
  else
    out_jq '.verdict.heap_growth.growing and .verdict.heap_growth.p < 0.01'
    out_jq '.verdict.heap_growth.slope_ci_low <= 381000 and .verdict.heap_growth.slope_ci_high >= 345000'
    ok "a leak of 100 KB/s is flagged leaking, its rate (within 5%) inside the slope's CI"
  fi
fi
check "the file ends with its verdict" jqt -s '.[-1].end == true and .[-1].verdict.summary == "leaking"' leak.jsonl

expect 1 "$TACH" soak --report leak.jsonl --format junit && out_has '<testcase classname="soak" name="memory_growth">' \
  && out_has '<failure message=' && ok "JUnit report: memory_growth fails"
expect 1 "$TACH" soak --report leak.jsonl --format html -o leak.html
check "HTML report with its charts over time" grep -q '<svg' leak.html
check "HTML report charts throughput, latency and memory (svg_series.c)" bash -c \
  "grep -q 'class=\"chart soak-rate\"' leak.html && grep -q 'class=\"chart soak-latency\"' leak.html && grep -q 'class=\"chart soak-memory\"' leak.html"

expect_any() { "$@" >"$tmp/out" 2>"$tmp/err"; }
expect_any "$TACH" soak --duration 6 --interval 0.2 --bench '^sawtooth$' --out saw.jsonl --format json "$BIN"
if [ "${TACH_TEST_SANITIZE:-OFF}" != ON ]; then
  # The fixture's sawtooth is driven by its iteration count, within each sample, and the
  # soak mode writes its lines without allocating: the heap read at the intervals' ends
  # is the same every time (after the first two), so this verdict is deterministic.
  out_jq '.verdict.heap_growth.tested and (.verdict.heap_growth.growing | not) and .partial == false' \
    && out_jq '.series.heap_bytes[2:] | length >= 20 and (unique | length) == 1' \
    && ok "a sawtooth heap (filled and freed) is not a leak: its level at every interval is the same"
fi

# Killed with SIGKILL midway: the file keeps the intervals done.
"$TACH" soak --duration 4 --interval 0.2 --bench leaky --out killed.jsonl "$BIN" >/dev/null 2>&1 &
signal_when KILL $! lines_at_least 4 '"interval"' killed.jsonl
n_before=$(grep -c '"interval"' killed.jsonl)
expect_any "$TACH" soak --report killed.jsonl --format json
out_jq '.partial == true and .intervals >= 4' && ok "a soak killed with SIGKILL is reported from its file, partial ($n_before intervals)"
expect_any "$TACH" soak --report killed.jsonl
out_has 'Partial' && ok "the Markdown report says partial"
expect_any "$TACH" soak --resume killed.jsonl --format json
out_jq '.partial == false and .resumes == 1 and .intervals > '"$n_before"' and .elapsed_s >= 3.9' \
  && ok "--resume goes on to the duration"
expect 2 "$TACH" soak --resume killed.jsonl && err_has "complete" && ok "--resume of a complete soak is refused"
# A --resume runs the binary again: its heap starts again from the new process's own
# level.  Judged as one history, a leak killed past its middle and resumed was missed
# (the minima rise, fall, rise again) and the RSS, which does not fall back as far, was
# called fragmentation ("drifting"); each process's stretch is judged on its own.
# Killed once an interval ends past 3.3 s of the 6: by the time in the file, not a count
# of lines (a loaded machine writes fewer than the 60 asked, and the soak ended before a
# 33rd line once).
past_t() { # past_t T FILE: the last interval line of FILE ends at T s or later
  awk -v t="$1" 'match($0, /"t":[0-9.e+-]+/) { last = substr($0, RSTART + 4, RLENGTH - 4) + 0 }
                 END { exit !(last >= t) }' "$2" 2>/dev/null
}
"$TACH" soak --duration 6 --interval 0.1 --bench leaky --out resumed.jsonl --no-store "$BIN" >/dev/null 2>&1 &
signal_when KILL $! past_t 3.3 resumed.jsonl
expect_any "$TACH" soak --resume resumed.jsonl --format json
if [ "${TACH_TEST_SANITIZE:-OFF}" = ON ]; then
  out_jq '.resumes == 1 and .verdict.summary == "leaking"' && ok "a leak killed and resumed is still leaking (RSS)"
else
  out_jq '.resumes == 1 and .verdict.summary == "leaking" and .verdict.heap_growth.growing' &&
    out_jq '.verdict.heap_growth.slope_ci_low <= 381000 and .verdict.heap_growth.slope_ci_high >= 345000' &&
    ok "a leak killed past its middle and resumed is leaking, its rate inside the CI"
fi

# A kill in the middle of a line's write leaves it cut: --resume ignores it and must not
# glue its own lines onto it (the whole file then no longer read, exit 2 after the soak).
{ head -n 3 leak.jsonl | sed 's/"duration_s":6\.0/"duration_s":1.2/'; sed -n 4p leak.jsonl | head -c 40; } > torn.jsonl
expect_any "$TACH" soak --resume torn.jsonl --format json
out_jq '.partial == false and .resumes == 1 and .intervals >= 3' \
  && ok "--resume after a line cut mid-write goes on from the last whole line"
check "... the cut line is gone, every line of the file is JSON" jqt -s 'length >= 5 and .[-1].end == true' torn.jsonl
head -n 4 leak.jsonl > partial.jsonl
expect 0 "$TACH" report partial.jsonl --format json && out_jq '.partial == true and .intervals == 3'   && ok "tach report reads a partial soak, marked partial"
expect 0 "$TACH" report partial.jsonl && out_has '^\*\*Partial\*\*' && ok "tach report: Markdown says partial"
expect 2 "$TACH" report partial.jsonl --format openmetrics && ok "tach report: a soak has no OpenMetrics form"

# A command, run again and again.
expect_any "$TACH" soak --duration 1 --interval 0.2 --out cmd.jsonl -- true
check "a command soak keeps its series" jqt -s '[.[] | select(.interval != null)] | length >= 3 and all(.p50_ns > 0 and .ops >= 1 and .errors == 0)' cmd.jsonl
expect 1 "$TACH" soak --duration 0.6 --interval 0.2 --out fail.jsonl -- false
check "a failing command counts errors" jqt -s '[.[] | select(.interval != null) | .errors] | add >= 1' fail.jsonl

# The exit status is the verdict's: 1 for leaking (above), drifting or a missed target.
if expect 1 "$TACH" soak --report leak.jsonl --format json --max-growth 1000 --min-hours 0.0001; then
  out_jq '.targets.max_growth_kb_per_hour.met == false and .targets.max_growth_kb_per_hour.limit == 1000'
  out_jq '.targets.soak_min_hours.met == true and .targets.soak_min_hours.actual > 0.001'
  ok "targets max_growth_kb_per_hour (missed: exit 1) and soak_min_hours (met)"
fi
expect_any "$TACH" soak --report leak.jsonl --format json --min-hours 1
out_jq '.targets.soak_min_hours.met == false' && ok "soak_min_hours 1 h is missed by a 6 s soak"
expect_any "$TACH" soak --report leak.jsonl --format json
out_jq '.targets == {}' && ok "no targets unless asked"

# A body that breaks out of its tach_loop: the soak fails naming that, as a run's table
# does (it said "the benchmark never ran tach_loop").
if expect 1 "$TACH" soak --duration 1 --interval 0.1 --bench '^leaves_early$' --out early.jsonl "$BIN"; then
  err_has "leaves_early: the benchmark left its tach_loop early (break, return or goto inside the loop)" &&
    ! grep -q "never ran" "$tmp/err" && ok "a body leaving its loop early: the soak names the break"
fi

# A benchmark that skips itself: the soak says it skipped and why (it said only "the
# benchmark binary failed (see its message above)" after the bare reason).
if expect 1 "$TACH" soak --duration 1 --interval 0.1 --bench '^skips$' --out skips.jsonl "$BIN"; then
  err_has "skips: skipped itself: not soaked here" && ok "a benchmark that skips itself: the soak says so"
fi

# Bad usage: exit 2, nothing written.
expect 2 "$TACH" soak -- true && err_has "--duration" && ok "--duration is required"
expect 2 "$TACH" soak --duration 1 --interval 0 -- true && err_has "interval" && ok "--interval 0 is refused"
# a --duration under the default --interval: said as the default, in time units (it said
# "--interval 1 is longer than --duration 0.5" of a --duration 500ms given alone)
expect 2 "$TACH" soak --duration 500ms --out short.jsonl -- true \
  && err_has "--duration 500 ms is shorter than one interval (--interval's default, 1.00 s): give a shorter --interval" \
  && check "nothing written" test ! -e short.jsonl && ok "a --duration under the default interval is refused, saying so"
expect 2 "$TACH" soak --duration 100ms --interval 150ms -- true \
  && err_has "--interval 150 ms is longer than --duration 100 ms" && ok "an --interval longer than --duration, in time units"
expect 2 "$TACH" soak --duration 1 --out leak.jsonl -- true && err_has "never overwritten" && ok "an existing --out is not overwritten"
check "... and kept as it was" jqt -s '.[-1].end == true' leak.jsonl
expect 2 "$TACH" soak --duration 1 --bench x "$BIN" extra && ok "--bench takes one binary"
expect 2 "$TACH" soak --duration 1 && err_has "nothing to soak" && ok "nothing to soak is refused"
# --load with nothing after --: what is missing is tach load's arguments, not --bench or a command
expect 2 "$TACH" soak --duration 1 --out nl.jsonl --load -- && err_line "^tach soak: nothing to soak: --load needs tach load's arguments after -- " &&
  [ ! -e nl.jsonl ] && ok "--load with no load arguments: exit 2, says what --load needs" ||
  fail "--load with no load arguments: exit 2, says what --load needs"
# the binary's own soak mode: more than one benchmark selected is the selection's fault,
# named, not an "invalid value for --soak-duration"
if expect 2 "$BIN" --soak-duration 1 --filter saw; then
  err_line "^.*fixture_soak: --soak-duration runs exactly one benchmark, and --filter 'saw' selects 2: sawtooth, sawtooth_across \(choose one with --filter\)$"
  ! grep -q invalid "$tmp/err" && ok "the binary's soak mode names the benchmarks --filter selects"
fi
expect 2 "$BIN" --soak-duration 1 --filter nosuch && err_has "and none matches --filter 'nosuch'" &&
  ok "the binary's soak mode says no benchmark matches --filter"
echo '{"format":"tach-results"}' > notsoak.json
expect 2 "$TACH" soak --report notsoak.json && err_has "not a tach soak" && ok "--report of another file is refused"
# a header without its duration or interval is malformed: refused, naming the key (not "nan s")
printf '{"format":"tach-soak","version":1,"interval_s":1}\n{"interval":0,"t":1,"ops":1}\n' >nodur.jsonl
expect 2 "$TACH" soak --report nodur.jsonl && err_has 'nodur.jsonl:1: a malformed tach soak header: no "duration_s"' &&
  out_lacks nan && ok "--report of a header without duration_s is refused, naming it" ||
  fail "--report of a header without duration_s is refused, naming it"
printf '{"format":"tach-soak","version":1,"duration_s":5,"interval_s":"x"}\n' >noivl.jsonl
expect 2 "$TACH" soak --report noivl.jsonl && err_has 'no "interval_s"' && ok "... and one whose interval_s is no number" ||
  fail "... and one whose interval_s is no number"
expect 2 "$TACH" soak --duration 1 --load --pid abc -- http://127.0.0.1:9/ &&
  err_has "--pid: 'abc' is not a process id" && ok "--pid abc: not a process id" || fail "--pid abc: not a process id"
expect 2 "$TACH" soak --report leak.jsonl --format pdf && err_has "format" && ok "--format pdf is refused"
# The target is checked before the series file is made: exit 2 naming it, nothing written.
expect 2 "$TACH" soak --duration 1 --bench nomatch "$BIN" && err_has "no benchmark of" && ok "--bench matching nothing is refused"
expect 2 "$TACH" soak --duration 1 --bench . "$BIN" && err_has "5 benchmarks" && ok "--bench matching 5 is refused"
expect 2 "$TACH" soak --duration 1 --bench '(' "$BIN" && err_has "invalid value '('" && ok "--bench with a bad regex is refused"
expect 2 "$TACH" soak --duration 1 --bench leaky ./missing && err_has "./missing" && ok "a missing benchmark binary is refused"
expect 2 "$TACH" soak --duration 1 --bench step /bin/true && err_has "no benchmark of /bin/true" && ok "a binary with no benchmark is refused"
# a benchmark binary named as found on PATH, as run, ab and stability take it: looked up
# there (not refused as "no such benchmark binary"), and run from the path found
PATH="$TACH_BUILD/tests:$PATH" expect 2 "$TACH" soak --duration 1 --bench nomatch fixture_soak &&
  err_has "no benchmark of fixture_soak matches" && ok "--bench looks its binary up on PATH"
if PATH="$TACH_BUILD/tests:$PATH" expect 1 "$TACH" soak --duration 0.5 --interval 0.25 --no-store \
     --out onpath.jsonl --bench '^sawtooth$' fixture_soak; then
  check "a soak of a binary found on PATH runs it from the path found" \
    jqt -s --arg b "$TACH_BUILD/tests/fixture_soak" \
    '(.[0].target.binary == $b) and ([.[] | select(.interval != null)] | length >= 1)' onpath.jsonl
fi
expect 2 "$TACH" soak --duration 1 -- /nonexistent/cmd && err_has "/nonexistent/cmd" && ok "a missing command is refused"
# a directory is no command: it was taken as one, the file made, and exit 1 "cannot run"
mkdir -p adir
expect 2 "$TACH" soak --duration 1 --out dir.jsonl -- ./adir && err_has "./adir: no such executable file" \
  && check "a directory as the command: no series file made" test ! -e dir.jsonl && ok "a directory as the command is refused"
expect 2 "$TACH" soak --duration 1 -- no-such-command-tach && err_has "not found on PATH" && ok "a command not on PATH is refused"

# Too few intervals for any verdict: "not tested", not "stable", and not exit 0.
expect 1 "$TACH" soak --duration 0.3 --interval 0.1 --out short.jsonl --no-store -- true \
  && err_has "tach soak: not tested: inconclusive (too few intervals: " && ok "a short soak is not tested (console), exit 1"
expect 1 "$TACH" soak --report short.jsonl --format json \
  && out_jq '.verdict.summary == "not tested" and (.verdict.reason | startswith("inconclusive (too few intervals: ")) and (.verdict.reason | endswith("need 12)"))' \
  && ok "... JSON: not tested, inconclusive"
expect 1 "$TACH" soak --report short.jsonl --format markdown && out_has '^# Soak: not tested' && ok "... Markdown: not tested"
expect 1 "$TACH" soak --report short.jsonl --format junit && out_has '<skipped message="not tested: inconclusive' \
  && ok "... JUnit: the verdicts are skipped, not passed"
check "... the file's end line says not tested" jqt -s '.[-1].verdict.summary == "not tested"' short.jsonl
expect 2 "$TACH" soak --duration 1 -o "$tmp/nodir/r.md" -- true && err_has "-o: cannot write '$tmp/nodir/r.md'" \
  && ok "a report path that cannot be written is refused before the soak"
expect 2 "$TACH" soak --report soak.jsonl -o "$tmp" && err_has "-o: '$tmp' is a directory" \
  && ok "--report -o DIRECTORY: exit 2"
cp cmd.jsonl keep.jsonl
expect 2 "$TACH" soak --report cmd.jsonl -o "./../$(basename "$tmp")/cmd.jsonl" && err_has "is the soak's series file" \
  && cmp -s cmd.jsonl keep.jsonl && ok "--report F -o F (another spelling): refused, the series kept" || fail "--report F -o F (another spelling): refused, the series kept"
expect 2 "$TACH" soak --duration 1 --out same.jsonl -o same.jsonl -- true && err_has "is the soak's series file" \
  && [ ! -e same.jsonl ] && ok "--out F -o F: refused before the soak" || fail "--out F -o F: refused before the soak"
rm -f keep.jsonl
# A command's RSS is the program's own: not tach's pages copied at the fork (tach is
# several MiB, tens under ASan; /bin/true about 1), but with the peak of a child it waited
# for when above tach's own size (dd's 128 MiB buffer under sh).  Where tracing is refused it is ru_maxrss, tach's pages included.
if "$TACH_BUILD/tests/tool_can_ptrace"; then
  "$TACH" soak --duration 1 --interval 0.5 --no-store --out own.jsonl -- true >/dev/null 2>&1
  check "soak of true: its own RSS in every interval (< 3 MiB), not tach's" \
    jqt -s '[.[] | select(.interval != null)] | length >= 1 and all(.rss_bytes > 0 and .rss_bytes < 3 * 1048576 and .rss_of == "program")' own.jsonl
  # a SIGCONT to the traced command (which brings a ptrace stop of its own) resumes it
  timeout -s KILL 30 "$TACH" soak --duration 1 --interval 0.5 --no-store --out cont.jsonl -- \
    sh -c 'kill -CONT $$; exit 0' >/dev/null 2>&1
  check "a command sending itself SIGCONT: the soak runs it to its end (no hang)" \
    jqt -s '[.[] | select(.interval != null)] | length >= 2 and all(.ops >= 1 and .errors == 0)' cont.jsonl
  rm -f cont.jsonl
else
  echo "skip: the program's own RSS: tracing is refused here"
fi
"$TACH" soak --duration 1 --interval 0.5 --no-store --out kid.jsonl -- \
  sh -c 'dd if=/dev/zero of=/dev/null bs=128M count=1 2>/dev/null; true' >/dev/null 2>&1
check "soak of sh running dd bs=128M: the child's peak kept (>= 128 MiB)" \
  jqt -s '[.[] | select(.interval != null)] | length >= 1 and all(.rss_bytes >= 128 * 1048576)' kid.jsonl
rm -f own.jsonl kid.jsonl
# A program that gains privileges on exec (here setuid) is not traced (the kernel would run
# it without them): its RSS is wait4's, and each line says so.
cp /bin/true suid_true && chmod 4755 suid_true
"$TACH" soak --duration 1 --interval 0.5 --no-store --out suid.jsonl -- ./suid_true >/dev/null 2>&1
check "a setuid program: not traced, rss_of wait4, no errors" \
  jqt -s '[.[] | select(.interval != null)] | length >= 1 and all(.rss_of == "wait4" and .rss_bytes > 0 and .errors == 0)' suid.jsonl
rm -f suid.jsonl suid_true
# A command that fails is not a stable soak, however short or long: failing, exit 1.
if expect 1 "$TACH" soak --duration 1 --interval 0.25 --no-store --out exit3.jsonl -- sh -c 'exit 3'; then
  err_has "tach soak: failing: "
  n=$(jq -s '[.[] | select(.interval != null) | .ops] | add' exit3.jsonl)
  k=$(jq -s '[.[] | select(.interval != null)] | length' exit3.jsonl)
  err_has "$n of $n operations failed, in $k of $k intervals (first in interval 0)"
  ok "a command failing every run: failing, exit 1"
fi
# A command killed by a signal: the failure names it (it was counted, the signal unnamed).
if expect 1 "$TACH" soak --duration 1 --interval 0.25 --no-store --out sig.jsonl -- sh -c 'kill -SEGV $$'; then
  err_has "tach soak: sh: a run in interval 0 was killed by signal 11 (SIGSEGV), the first of "
  err_has "tach soak: failing: " && ok "a command killed by a signal: the signal named"
fi
rm -f sig.jsonl
expect 1 "$TACH" soak --report exit3.jsonl --format json && out_jq '.verdict.summary == "failing"' \
  && ok "... and its report says so"
expect 1 "$TACH" soak --report exit3.jsonl --format junit && out_has 'failures="1"' \
  && out_has '<testcase classname="soak" name="operations">' && ok "... and its JUnit report fails it"
# ... and recorded (here later, tach record of its file), its result is failed, naming why,
# as its exit status 1 says: tach report's JUnit fails it
if expect 0 "$TACH" record exit3.jsonl; then
  id=$(grep -o 'recorded run [0-9]*' "$tmp/err" | grep -o '[0-9]*$')
  expect 0 "$TACH" report "$id" --format json --no-compare &&
    out_jq '.benchmarks[0].status == "failed" and (.benchmarks[0].message | startswith("its operations failed: '"$n of $n"' operations failed"))' &&
    expect 0 "$TACH" report "$id" --format junit --no-compare &&
    out_has '<failure type="failed" message="its operations failed: ' &&
    ok "... and its record is a failed benchmark, saying why" || fail "... and its record is a failed benchmark, saying why"
fi
rm -f exit3.jsonl
# A benchmark whose operation never returns (iso/hang: pause() for ever) does not hold the
# soak past its end: the binary is killed 10 s and an interval after it, the soak fails
# naming it; a SIGINT to tach alone is passed on, the binary killed 2 s later if it
# has not ended.  Both waited for ever (timeout bounds them here).
ISO=$TACH_BUILD/tests/fixture_isolation
if expect 1 timeout -k 5 40 "$TACH" soak --duration 1 --interval 0.5 --no-store --out bhang.jsonl --bench 'iso/hang$' "$ISO"; then
  err_has "iso/hang\$: the benchmark binary was still running 10.5 s after the soak's end (an operation that does not return?): killed"
  ok "a hung benchmark binary: killed after the soak's end and its grace"
fi
rm -f bhang.jsonl
# sigint_while_hung WHAT PATTERN CMD...: runs the soak CMD, sends SIGINT to tach alone once
# the process matching PATTERN (what hangs) runs, and checks that tach exits 130 within
# 30 s and that nothing matching PATTERN is left.
sigint_while_hung() {
  local what=$1 pat=$2 pid; shift 2
  "$@" >/dev/null 2>"$tmp/hung.err" &
  pid=$!
  local c=
  # the hung process is tach's own child (never another run's on a shared machine)
  hung_child() { c=$(pgrep -P "$pid" -f "$pat" | head -1); [ -n "$c" ]; }
  running_until $pid hung_child || bad "$what: the soak ended before it ran"
  kill -INT $pid
  within 30 eval "! kill -0 $pid 2>/dev/null" \
    || { bad "a SIGINT to tach alone during a hung $what: still running after 30 s"; kill -KILL $pid; }
  wait $pid
  rc=$?
  [ $rc -eq 130 ] && ok "a SIGINT to tach alone during a hung $what: exit 130" \
    || bad "a SIGINT to tach alone during a hung $what: exit $rc, expected 130: $(cat "$tmp/hung.err")"
  if [ -n "$c" ] && kill -0 "$c" 2>/dev/null; then bad "the hung $what was left running"
  else ok "no hung $what left"; fi
}
sigint_while_hung "benchmark binary" "^$ISO --filter iso/hang" \
  "$TACH" soak --duration 60 --interval 0.5 --no-store --out bhangint.jsonl --bench 'iso/hang$' "$ISO"
rm -f bhangint.jsonl
# One interval is one interval, not "1 intervals".
expect 1 "$TACH" soak --duration 0.3 --interval 0.3 --no-store --out one.jsonl -- true &&
  out_has '^\| Elapsed \| [0-9]+ ms of 300 ms, 1 interval of 300 ms \|$' && ok "one interval: singular"
rm -f one.jsonl
# The time a soak ran is in tach's time units: a 50 ms soak stopped at 48 ms is
# "48.0 ms of 50.0 ms", not "0.0 s of 0.1 s" (seconds with one decimal), in the table
# and the partial line, Markdown and HTML.
printf '%s\n' '{"format":"tach-soak","version":1,"target":{"kind":"command","argv":["true"]},"duration_s":0.05,"interval_s":0.01,"started":"2026-01-01T00:00:00Z"}' \
  '{"interval":0,"t":0.048,"length":0.048,"ops":5,"ops_per_s":104,"errors":0,"p50_ns":1000000,"p99_ns":1000000,"max_ns":1000000,"rss_bytes":1000,"heap_bytes":null,"fds":null,"threads":null}' >short.jsonl
expect 1 "$TACH" soak --report short.jsonl &&
  out_has '^\| Elapsed \| 48\.0 ms of 50\.0 ms, 1 interval of 10 ms \|$' &&
  out_has '^\*\*Partial\*\*: the soak stopped after 48\.0 ms of 50\.0 ms \(' && ok "a short soak's time: in ms, in the table and the partial line"
expect 1 "$TACH" soak --report short.jsonl --format html &&
  out_has '<th>Elapsed</th><td>48\.0 ms of 50\.0 ms, 1 interval of 10 ms</td>' &&
  out_has 'the soak stopped after 48\.0 ms of 50\.0 ms \(' && ok "... and in the HTML report"
# A target that fails before its first interval (a benchmark at its calibration) said
# "the intervals done are in FILE" of a file holding the header alone: it says no
# interval was done, and the new soak's file is removed (--out never overwrites: the same
# command runs again once the target is fixed); a resumed soak's file is kept as it was.
if expect 1 "$TACH" soak --duration 1 --interval 0.5 --no-store --out cal.jsonl --bench 'iso/fails$' "$ISO"; then
  grep -q 'no interval was done: cal\.jsonl, which held only the soak.s header, is removed)$' "$tmp/err" \
    && [ ! -e cal.jsonl ] && ok "failing at calibration: no interval done, said; the header-only file removed" \
    || fail "failing at calibration: $(cat "$tmp/err"); file: $(ls cal.jsonl 2>&1)"
fi
# The same of a Ctrl-C before the first interval (the target's first run held): it said
# "FILE keeps the intervals done" of the header-only file and recorded it.
int_tach() { kill -INT "$pid"; } # held's own $pid: tach
held int_tach "$TACH" soak --duration 10 --interval 1 --out early.jsonl -- "$HOLD"
[ "$rc" = 130 ] && grep -q '^tach soak: interrupted by SIGINT before its first interval: early\.jsonl, which held only the soak.s header, is removed$' "$tmp/err" \
  && [ ! -e early.jsonl ] && ! grep -q 'recorded' "$tmp/err" \
  && ok "Ctrl-C before the first interval: exit 130, said, the header-only file removed, nothing recorded" \
  || fail "Ctrl-C before the first interval: exit $rc: $(cat "$tmp/err"); file: $(ls early.jsonl 2>&1)"
jq -nc --arg b "$ISO" '{format:"tach-soak",version:1,target:{kind:"benchmark",binary:$b,bench:"iso/fails$"},duration_s:1,interval_s:0.5,started:"2026-01-01T00:00:00Z",store:{no_store:true}}' >calr.jsonl
cp calr.jsonl calr.before
if expect 1 "$TACH" soak --resume calr.jsonl; then
  grep -q 'no interval was done: calr\.jsonl is as it was)$' "$tmp/err" && [ -e calr.jsonl ] \
    && ok "... a resumed one's: said, the file kept" || fail "resumed, failing at calibration: $(cat "$tmp/err")"
fi
rm -f cal.jsonl calr.jsonl calr.before
# A benchmark binary that dies of a signal is said to, naming the signal ("died of a
# signal" named none).  (handle_segv=0: under the sanitizers the fixture's SIGSEGV would
# be AddressSanitizer's to report, an exit of 1, not a death by the signal)
if TACH_TEST_CRASH_MARK=$tmp/crash.mark ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0" \
     expect 1 "$TACH" soak --duration 2 --interval 0.5 --no-store \
     --out crash.jsonl --bench 'crash/once' "$TACH_BUILD/tests/fixture_crash_once"; then
  err_has "crash/once: the benchmark binary was killed by signal 11 (SIGSEGV) (no interval was done: crash.jsonl, which held only the soak's header, is removed)"
  ok "a benchmark binary killed by a signal: the signal named"
fi
rm -f crash.jsonl "$tmp/crash.mark"
# A command that hangs does not hold the soak past its end: a run still going one interval
# after it is killed and counted as failed (it was waited for, for ever); and a SIGINT
# sent to tach alone, not to its child, stops it at once (it was ignored until the child
# ended).  Bounded by timeout: without the kill these run for the sleep's 40 s.
if expect 1 timeout -k 5 20 "$TACH" soak --duration 1 --interval 0.5 --no-store --out hang.jsonl -- sleep 40.125; then
  err_has "tach soak: sleep was still running 0.5 s after the soak's end (--interval): killed, counted as a failed run"
  check "the hung run is the last interval's failed one" \
    jqt -s '[.[] | select(.interval != null)] | last | .errors == 1 and .ops == 1' hang.jsonl
  check "the soak has its end line" jqt -s 'any(.end == true)' hang.jsonl
fi
pgrep -f '^sleep 40.125' >/dev/null && bad "the hung command was left running" || ok "no hung command left"
rm -f hang.jsonl
# (tach itself signalled once its child runs, not through timeout, which would signal its
# whole group)
sigint_while_hung "command" '^sleep 40.25' \
  "$TACH" soak --duration 30 --interval 0.5 --no-store --out hangint.jsonl -- sleep 40.25
rm -f hangint.jsonl
# A whole soak's end line that cannot be written (a full disk; here the file's size limit,
# RLIMIT_FSIZE: EFBIG) is said, naming the file; it was written unchecked and the soak
# then read as partial without a word.  The soak was killed after its last interval:
# its --resume writes the resumed_at line (under the limit) and the end line (over it).
if command -v prlimit >/dev/null; then
  "$TACH" soak --duration 0.3 --interval 0.1 --no-store --out noend.jsonl -- true >/dev/null 2>&1
  sed -i '$d' noend.jsonl
  lim=$(($(stat -c %s noend.jsonl) + 64))
  # SIGXFSZ ignored (inherited across exec): the write fails instead of killing tach
  expect 1 bash -c 'trap "" XFSZ; exec prlimit --fsize="$1" -- "${@:2}"' _ "$lim" \
    "$TACH" soak --resume noend.jsonl --no-store &&
    err_has "tach soak: cannot write the series: File too large (its end line): noend.jsonl reads as a partial soak until a tach soak --resume noend.jsonl writes the line" &&
    err_has "not tested (partial)" && ok "an end line that cannot be written is said, the soak's exit status kept"
  expect_any "$TACH" soak --resume noend.jsonl --no-store --format json
  out_jq '.partial == false' && check "... and a --resume writes it" jqt -s '.[-1].end == true' noend.jsonl
  rm -f noend.jsonl
else
  echo "skip: a series file at its size limit: no prlimit"
fi
check "no stray files" test ! -e soak.jsonl
expect 0 "$TACH" soak --help && out_has '--resume FILE' && ok "--help"
finish
