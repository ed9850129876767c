#!/usr/bin/env bash
# instr_mode.sh - instruction mode (docs/instructions.md): --metric instructions on a
# benchmark binary and on `tach run` counts under Valgrind's callgrind; the counts repeat
# exactly; the empty loop counts ~0; a 1% variant (fixture instr_more: 202 steps instead of
# 200) is found by `tach ab --metric instructions` in one pair and by `gate` at 0.5%; a
# benchmark Valgrind cannot run is failed with Valgrind's message while the others go on;
# Valgrind missing (PATH stripped) is one line naming the Debian package, exit 2.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
cd "$tmp"
BIN=$TACH_BUILD/tests/fixture_instr
MORE=$TACH_BUILD/tests/fixture_instr_more

# ---- what needs no Valgrind: bad usage and Valgrind missing (every build) ----
expect 2 "$BIN" --cache-sim && err_line 'cache-sim needs --metric instructions' && ok "binary: --cache-sim alone: exit 2"
expect 2 "$BIN" --metric cycles && err_line "metric" && ok "binary: --metric cycles: exit 2 naming it"
expect 2 "$TACH" run --no-store --cache-sim -- /bin/true && err_line 'cache-sim needs --metric instructions' \
  && ok "run: --cache-sim alone: exit 2"
expect 2 "$TACH" run --no-store --metric instructions --runs 3 -- /bin/true && err_line 'runs' \
  && ok "run: --runs with --metric instructions: exit 2"
expect 2 "$TACH" compare --metric bogus a.json b.json && err_line "--metric: 'bogus' is not a metric" \
  && ok "compare: --metric bogus: exit 2"
missing='needs Valgrind, which is not installed \(Debian package: valgrind\)$'
expect 2 env PATH=/nonexistent "$BIN" --metric instructions && err_line "$missing" \
  && ok "binary: no Valgrind on PATH: one line naming the package, exit 2"
expect 2 env PATH=/nonexistent "$TACH" run --no-store --metric instructions -- /bin/true && err_line "$missing" \
  && ok "run: no Valgrind on PATH: exit 2"
expect 2 env PATH=/nonexistent "$TACH" ab --metric instructions "$BIN" "$MORE" && err_line "$missing" \
  && ok "ab: no Valgrind on PATH: exit 2"
# The line names the metric asked for (it said --metric instructions for cycles-est too).
expect 2 env PATH=/nonexistent "$TACH" ab --metric cycles-est "$BIN" "$MORE" \
  && err_line "^tach ab: --metric cycles-est $missing" && ok "ab --metric cycles-est: no Valgrind on PATH: the line names cycles-est"
# A Valgrind that cannot start its callgrind tool (a fake one on PATH, saying what a
# valgrind without the tool says, logging each start) failed every command of tach run
# under it, exit 1: a setup problem, said before anything runs, exit 2 (as tach ab's).
mkdir -p vgbin
printf '#!/bin/sh
echo "$*" >> %s/vg.log
echo "valgrind: failed to start tool '"'"'callgrind'"'"' for platform '"'"'amd64-linux'"'"': No such file or directory" >&2
exit 1
' \
  "$tmp" >vgbin/valgrind
chmod +x vgbin/valgrind
notool="needs Valgrind's callgrind tool, which $tmp/vgbin/valgrind cannot start: valgrind: failed to start tool 'callgrind' for platform 'amd64-linux': No such file or directory \\(exited with code 1\\); check its installation \\(Debian package: valgrind\\)\$"
for target in "-c true -c false" "$BIN"; do
  what=$([ "$target" = "$BIN" ] && echo "a benchmark binary" || echo "two commands")
  rm -f vg.log
  PATH="$tmp/vgbin:$PATH" expect 2 "$TACH" run --no-store --metric instructions $target &&
    err_line "^tach run: --metric instructions $notool" && out_lacks . &&
    ok "run --metric instructions, $what, Valgrind cannot start its tool: exit 2, one line"
  check "run, $what: valgrind started once, to ask for --version" \
    bash -c "[ \"\$(cat vg.log)\" = '--tool=callgrind --version' ]"
done
# A benchmark binary's own instruction mode reported every benchmark failed under it,
# exit 1: one line, exit 2, nothing written.
rm -f vg.log
PATH="$tmp/vgbin:$PATH" expect 2 "$BIN" --metric instructions --format json --out vg.json &&
  err_line "^$BIN: --metric instructions $notool" && out_lacks . &&
  ok "binary --metric instructions, Valgrind cannot start its tool: exit 2, one line"
check "binary: valgrind started once, to ask for --version; nothing written" \
  bash -c "[ \"\$(cat vg.log)\" = '--tool=callgrind --version' ] && [ ! -e vg.json ]"
# The same with the real one (when installed) and a VALGRIND_LIB without its tools.
if command -v valgrind >/dev/null; then
  VALGRIND_LIB="$tmp/no-such-dir" expect 2 "$BIN" --metric instructions &&
    err_line "^$BIN: --metric instructions needs Valgrind's callgrind tool, which $(command -v valgrind) cannot start: valgrind: failed to start tool 'callgrind'" &&
    out_lacks . && ok "binary --metric instructions, VALGRIND_LIB without the tool: exit 2, one line"
  VALGRIND_LIB="$tmp/no-such-dir" expect 2 "$TACH" run --no-store --metric instructions -- sh -c 'echo ran >ran.log' &&
    err_line "^tach run: --metric instructions needs Valgrind's callgrind tool, which $(command -v valgrind) cannot start: valgrind: failed to start tool 'callgrind'" &&
    ok "run --metric instructions, VALGRIND_LIB without the tool: exit 2, one line"
  check "run, VALGRIND_LIB without the tool: the command never ran" test ! -e ran.log
fi

if [ "${TACH_TEST_SANITIZE:-OFF}" = ON ]; then
  echo "skip: the counting checks below: Valgrind cannot run AddressSanitizer binaries (ASan"
  echo "      reserves its shadow memory at fixed addresses Valgrind owns); they run in Release"
  if command -v valgrind >/dev/null &&
     expect 1 "$BIN" --metric instructions --filter '^work$' --format json --quiet; then
    out_jq '.benchmarks[0] | .status == "failed" and (.message | test("^under Valgrind: .*ASan"))'
    ok "an ASan binary under Valgrind: failed with the reason, not a hang or a count"
  fi
  finish
fi
if ! command -v valgrind >/dev/null; then
  echo "skip: valgrind is not installed (Debian package: valgrind)"; exit 77
fi

# ---- determinism: three runs, identical counts ----
for i in 1 2 3; do
  "$BIN" --metric instructions --filter '^(work|empty|batched)$' --format json --quiet --out "r$i.json" \
    || fail "run $i of the instruction mode"
done
counts() { jq -c '[.benchmarks[] | [.name, .instructions.per_iteration, .instructions.iterations]]' "$1"; }
if [ "$(counts r1.json)" = "$(counts r2.json)" ] && [ "$(counts r2.json)" = "$(counts r3.json)" ]; then
  ok "three runs give identical counts: $(counts r1.json)"
else
  fail "counts differ: $(counts r1.json) / $(counts r2.json) / $(counts r3.json)"
fi
check "the document marks the metric and has no time samples" \
  jqt '.context.settings.metric == "instructions" and ([.benchmarks[] | .metric == "instructions"
       and (.samples.ns | length) == 0 and .status == "ok"] | all)' r1.json
# work: 200 steps of `x ^= x >> 7` (mov, shr, xor, plus the loop's inc, cmp, jne: about 5
# per step at -O2); the exact count depends on the compiler, so a range is pinned.
check "work counts 800 to 1600 instructions per iteration" \
  jqt '.benchmarks[] | select(.name == "work") | .instructions.per_iteration | . >= 800 and . <= 1600' r1.json
check "the empty loop counts ~0 per iteration once its own cost is subtracted" \
  jqt '.benchmarks[] | select(.name == "empty") | (.instructions.per_iteration | . >= 0 and . <= 0.5)
       and .instructions.loop_overhead > 0' r1.json

# A body that breaks out of its tach_loop is named so, as in a timed run's table; it
# read "returned without running tach_loop or tach_batched" (fixture soak.c's leaves_early).
if expect 1 "$TACH_BUILD/tests/fixture_soak" --metric instructions --filter '^leaves_early$' --format json --quiet; then
  out_jq '.benchmarks[0] | .status == "failed" and (.message | test("left its tach_loop early"))' &&
    ok "instruction mode: a body leaving its loop early is named so"
fi

# ---- the 1% variant ----
"$MORE" --metric instructions --filter '^(work|empty|batched)$' --format json --quiet --out more.json \
  || fail "the variant's instruction mode"
check "the variant does ~1% more work (+0.8% to +1.2%)" \
  jqt --slurpfile a r1.json '(.benchmarks[] | select(.name == "work") | .instructions.per_iteration) as $n
       | ($a[0].benchmarks[] | select(.name == "work") | .instructions.per_iteration) as $o
       | ($n / $o - 1) | . > 0.008 and . < 0.012' more.json
if expect 1 "$TACH" gate --noise 0.5 r1.json more.json; then
  out_has '^work .*regressed \(warning\), deterministic: no CI needed'
  out_has '^empty .*unchanged, deterministic'
  ok "gate --noise 0.5 finds the 1% variant (exit 1)"
fi
expect 0 "$TACH" gate --noise 0.1 r1.json r2.json && out_has 'deterministic \(the same binary gives the same count\)' \
  && ok "gate --noise 0.1 on two runs of one binary passes"
# ---- targets: a counted run measured no time ----
# Its time targets are not checked: neither met nor missed, the code's (targeted:
# .max_median_ns = 500) and the config's (work: max_median_ns = 500) alike, in gate,
# report and certify.  (The config's was read against the count: "work: max_median_ns
# 500 ns, measured 1003 ns", a false miss; the code's was dropped by gate and report and
# missed by certify.)  Its memory target is not checked either (no memory counted), but is
# when the result carries the figure.  max_regression_pct bounds the count's growth.
"$BIN" --metric instructions --filter '^(work|targeted)$' --format json --quiet --out t1.json \
  || fail "instruction mode of work and targeted"
check "targeted's code targets are in the document, and its count exceeds 500" \
  jqt '.benchmarks[] | select(.name == "targeted") | .targets.max_median_ns == 500
       and .targets.max_allocs_per_iter == 0 and .instructions.per_iteration > 500' t1.json
printf '[bench "work"]\nmax_median_ns = 500\n' >time.cfg
notime='not checked: the run counted instructions, not times'
nomem='not checked: the run counted instructions \(callgrind replaces the allocator\)'
for noise in "" "--noise 0.1"; do # the default, and ci.md's workflow
  if expect 0 "$TACH" gate $noise --config time.cfg t1.json t1.json; then
    out_has '^targets not checked \(3\):$'
    out_has "^  work: max_median_ns 500 ns, $notime\$"
    out_has "^  targeted: max_median_ns 500 ns, $notime\$"
    out_has "^  targeted: max_allocs_per_iter 0, $nomem\$"
    out_lacks 'targets missed|measured'
    err_has 'no target missed (3 targets not checked: the run counted instructions)'
    ok "gate ${noise:-(default noise)}: the time and memory targets of counts not checked, passed (exit 0)"
  fi
done
if expect 0 "$TACH" gate --format json --config time.cfg t1.json t1.json; then
  out_jq '.gate_failed == false and .summary.targets_missed == 0 and .summary.targets_not_checked == 3'
  out_jq '[.benchmarks[].targets[] | .met == null and .actual == null and (.not_checked | startswith("the run counted instructions"))] | length == 3 and all'
  ok "gate --format json: met null, not_checked says why, counted in summary.targets_not_checked"
fi
if expect 0 "$TACH" report --config time.cfg --no-compare t1.json; then
  out_lacks 'No benchmark declares a target'
  out_lacks 'MISSED'
  out_has '^\| Targets \| 0 met, 0 missed, 3 not checked \|$'
  out_has "^\\| \`work\` \\| median ≤ \\| 500 ns \\| n/a \\| $notime \\|\$"
  out_has "^\\| \`targeted\` \\| median ≤ \\| 500 ns \\| n/a \\| $notime \\|\$"
  out_has "^\\| \`targeted\` \\| allocs/iter ≤ \\| 0 \\| n/a \\| $nomem \\|\$"
  ok "report: each target listed as not checked, with why"
  out_has '^- \*\*Targets\*\*: .*the time and rate targets are not checked on a run that counted instructions'
fi
if expect 0 "$TACH" certify --config time.cfg --no-compare t1.json; then
  out_lacks 'MISSED|declared targets? missed'
  out_has "^\\| \`targeted\` \\| median ≤ \\| 500 ns \\| n/a \\| $notime \\|\$"
  out_has '^\| Targets \| n/a \| 0 of 0 declared targets met; 3 not checked \(the run counted instructions\) \|$'
  ok "certify: not rejected for targets it could not check (exit 0)"
fi
# A memory figure in a counted result (added here by hand: instruction mode counts none)
# is checked: 1 allocation against a target of 0 is missed.  A latency objective (added
# too) is a time: not checked.
jq '(.benchmarks[] | select(.name == "targeted")).memory = {"allocs_per_iter": 1, "bytes_per_iter": 16,
    "peak_bytes": 16, "net_growth_per_iter": 0, "leak": false, "iterations": 10}
    | (.benchmarks[] | select(.name == "work")).targets = {"slo": "p99<1ms"}' t1.json >t1m.json
if expect 1 "$TACH" gate t1m.json t1m.json; then
  out_has '^  targeted: max_allocs_per_iter 0, measured 1$'
  out_has "^  targeted: max_median_ns 500 ns, $notime\$"
  out_has "^  work: p99<1ms 1.00 ms, $notime\$"
  err_has '1 target missed (2 not checked: the run counted instructions)'
  ok "gate: a memory figure a counted result carries is checked (missed, exit 1); an SLO is not"
fi
# max_regression_pct: the count's growth (+1%) against the budget; no test, no p.
printf '[bench "work"]\nmax_regression_pct = 0.5\n' >budget.cfg
if expect 1 "$TACH" gate --noise 5 --config budget.cfg r1.json more.json; then
  out_has '^  work: max_regression_pct \+0\.5%, measured \+1\.0%$'
  ok "gate: max_regression_pct 0.5 on counts that grew 1%: missed (exit 1)"
fi
printf '[bench "work"]\nmax_regression_pct = 2\n' >budget.cfg
expect 0 "$TACH" gate --noise 5 --config budget.cfg r1.json more.json && out_lacks 'targets missed' \
  && ok "gate: max_regression_pct 2 on counts that grew 1%: met (exit 0)"

if expect 0 "$TACH" compare --format json r1.json more.json; then
  out_jq '.metric == "instructions" and .deterministic == true'
  out_jq '.benchmarks[] | select(.name == "work") | .change > 0.008 and .p == null'
  ok "compare --format json says the metric and that it is deterministic"
fi
expect 2 "$TACH" compare --metric wall r1.json more.json \
  && err_line "--metric wall: file .*r1.json has no wall values \(it was measured in instruction mode\)" \
  && ok "compare --metric wall on counts: exit 2 naming the metric"
"$BIN" --filter '^work$' --max-time 0.2 --rounds 1 --format json --quiet --out wall.json
expect 2 "$TACH" compare wall.json r1.json && err_has "BASE was measured in wall time and NEW in instructions" \
  && ok "compare of times with counts, no --metric: exit 2"

if expect 1 "$TACH" ab --metric instructions --noise 0.5 --filter '^work$' "$BIN" "$MORE"; then
  out_has '1 pair'
  out_has '^work .* \+1\.0[0-9]%  regressed'
  ok "ab --metric instructions finds the 1% variant in one pair (exit 1)"
fi
expect 0 "$TACH" ab --metric instructions --noise 0.1 --filter '^work$' "$BIN" "$BIN" \
  && out_has 'verdict: no difference' && ok "ab --metric instructions, A/A: no difference"

# ---- the store: recorded counts compared and followed ----
export TACH_STORE=$tmp/store.db
"$TACH" record r1.json >/dev/null 2>&1 && "$TACH" record more.json >/dev/null 2>&1 || fail "tach record"
if expect 1 "$TACH" gate --noise 0.5 1 2; then
  out_has '^work .*regressed \(warning\), deterministic'
  ok "gate on two recorded runs: the counts come back from the store"
fi
if expect 0 "$TACH" history --metric instructions work; then
  out_has '^metric: instructions'
  out_has '^work +2 +1[0-9]{3} +1[0-9]{3} +\+1\.0%'
  ok "history --metric instructions follows the counts"
fi
# Followed in wall time (the default), the counted runs have no value: left out, as under
# --metric (they were a "runs 2" row of '-' with the sparkline's failed-run dots '··');
# with only such runs, exit 2 with a pointer to --metric instructions.
expect 2 "$TACH" history work \
  && err_line "no run of a matching benchmark in store .* has wall times .*--metric instructions" \
  && ok "history (wall) of counted runs only: exit 2, --metric instructions named"
"$TACH" record wall.json >/dev/null 2>&1 || fail "tach record wall.json"
if expect 0 "$TACH" history work; then
  out_has '^work +1 +[0-9.]+ [nµm]?s +[0-9.]+ [nµm]?s +- +▄ +-$'
  ok "history (wall): the timed run alone, no dots for the counted runs"
fi
expect 0 "$TACH" history --format json work \
  && out_jq '[.benchmarks[0].points[].run] == [3]' && ok "history --format json (wall): the timed run's point alone"
expect 0 "$TACH" history --metric instructions work && out_has '^work +2 ' \
  && ok "history --metric instructions: the counted runs alone"
# A change point in counts is printed in counts (it said "1.00 µs -> 1.10 µs" for 1000 ->
# 1100 instructions): five runs at 1000, five at 1100, made from r1.json by hand.
for c in 1000 1000 1000 1000 1000 1100 1100 1100 1100 1100; do
  jq --argjson c $c '(.benchmarks[] | select(.name == "work")).instructions.per_iteration = $c' r1.json >cp.json
  "$TACH" record --store "$tmp/cp.db" cp.json >/dev/null 2>&1 || fail "record cp.json"
done
if expect 0 "$TACH" history --store "$tmp/cp.db" --metric instructions --changes work; then
  out_has '^    change at run 6 \(.*\): 1000 instructions -> 1100 instructions \(\+10\.0%, p < 0\.0001\)$'
  out_lacks 'µs'
  ok "history --metric instructions --changes: the levels in instructions"
fi
# csv names the unit of its values: counts, not ns (the header said median_ns)
if expect 0 "$TACH" history --metric instructions --format csv work; then
  out_has '^name,run,time,commit,branch,machine,status,median_instructions,median_ci_low_instructions,median_ci_high_instructions,mean_instructions,samples,change_point,quick$'
  out_lacks '_ns'
  ok "history --metric instructions --format csv: columns in instructions"
fi
expect 2 "$TACH" history --metric joules && err_line "--metric: 'joules' is not a metric" \
  && ok "history --metric joules: exit 2"
unset TACH_STORE
"$BIN" --metric instructions --filter '^work$' --format gbench --quiet --out gb.json
check "gbench output carries the count as a counter and says no time was measured" \
  jqt '.benchmarks[0] | .instructions > 0 and (.label | test("no time was measured"))' gb.json

# A thread sweep's targets (fixture scaling: .min_efficiency on parallel, .max_alpha on
# serialised) are ratios of times: not checked on counts either, in gate and report (they
# were dropped: "no target missed", and the report said no benchmark declares a target)
"$TACH_BUILD/tests/fixture_scaling" --metric instructions --format json --quiet --out sc.json \
  || fail "instruction mode of the scaling fixture"
if expect 0 "$TACH" gate sc.json sc.json; then
  out_has '^targets not checked \(2\):$'
  out_has "^  parallel/threads=2: min_efficiency 1\\.0%, $notime\$"
  out_has "^  serialised/threads=2: max_alpha 0\\.5, $notime\$"
  err_has 'no target missed (2 targets not checked: the run counted instructions)'
  ok "gate: a counted sweep's efficiency and alpha targets not checked"
fi
if expect 0 "$TACH" report --no-compare sc.json; then
  out_has '^\| Targets \| 0 met, 0 missed, 2 not checked \|$'
  ok "report: a counted sweep's targets listed as not checked"
fi

# --threads LIST names its results .../threads=N: the worker under Valgrind must make the
# same instances (it was not given --threads, found no benchmark of that name, and every
# one failed)
if expect 0 "$BIN" --metric instructions --threads 1,2 --filter '^work/' --format json --quiet; then
  out_jq '[.benchmarks[] | .name] == ["work/threads=1", "work/threads=2"]'
  out_jq '[.benchmarks[] | .status == "ok" and .instructions.per_iteration > 500] | all'
  # the body runs in the N threads, as timed, and all are counted: per iteration is the
  # N threads' total (it ran in one thread: the same count at every N), each thread's
  # loop subtracted
  out_jq '[.benchmarks[] | .instructions] as $c
          | $c[1].per_iteration == 2 * $c[0].per_iteration and $c[1].loop_overhead == 2 * $c[0].loop_overhead'
  ok "--threads 1,2: each thread count counted"
fi

# --profile under callgrind: said to be ignored, no profile written (it printed "no samples
# (the measured region ran for less than one sampling period)", a wrong reason)
if expect 0 "$BIN" --metric instructions --profile --profile-dir prof --filter '^work$'; then
  err_line 'warning: --profile is ignored with --metric instructions \(under callgrind'
  out_lacks 'profile of|sampling period'
  [ ! -e prof ] && ok "--profile with --metric instructions: ignored with a warning, nothing written" \
    || bad "a profile directory was made: $(ls prof)"
fi
"$BIN" --metric instructions --top 3 --filter '^work$' --format json --quiet --out pw.json
jqc "... the warning kept in context.warnings" pw.json \
  '[.context.warnings[] | select(startswith("--profile is ignored"))] | length == 1'

# ---- cache simulation: estimated cycles, compared with --metric cycles-est ----
"$BIN" --metric instructions --cache-sim --filter '^work$' --format json --quiet --out c1.json
check "--cache-sim: misses and cycles_est = L1 hits + 5 LL hits + 35 RAM" \
  jqt '.benchmarks[0].instructions.cache | .cycles_est == .l1_hits + 5 * .ll_hits + 35 * .ram_accesses
       and .l1_hits >= 0' c1.json
expect 0 "$TACH" compare --metric cycles-est c1.json c1.json && out_has 'metric: cycles-est' \
  && ok "compare --metric cycles-est"
expect 2 "$TACH" compare --metric cycles-est r1.json r2.json && err_has "has no cycles-est values" \
  && ok "cycles-est without --cache-sim: exit 2"

# ---- a benchmark Valgrind cannot run ----
if expect 1 "$BIN" --metric instructions --filter '^(unknown_insn|work)$' --format json --quiet; then
  out_jq '.benchmarks[] | select(.name == "unknown_insn") | .status == "crashed" and .signal == 4
          and (.message | test("under Valgrind: killed by signal 4 \\(SIGILL\\).*unhandled instruction"))'
  out_jq '.benchmarks[] | select(.name == "work") | .status == "ok" and .instructions.per_iteration > 0'
  ok "an instruction Valgrind does not know: that benchmark failed with Valgrind's message, the other ok"
fi
# a benchmark that calls exit(3): its status said once, "no result" not repeated
if expect 1 env TACH_FIXTURE_EXIT=3 "$BIN" --metric instructions --filter '^exits$' --format json --quiet; then
  out_jq '.benchmarks[0] | .status == "failed" and .message == "under Valgrind: exited with status 3 and no result"'
  ok "a benchmark that exits: failed with its status, the message not doubled"
fi
# a benchmark killed by a signal under Valgrind: crashed with the signal named, as outside
# Valgrind (it was 'failed', in the table, the JSON and the verdict counts)
if expect 1 env TACH_FIXTURE_CRASH=1 "$BIN" --metric instructions --filter '^crashes$' --format json --quiet; then
  out_jq '.benchmarks[0] | .status == "crashed" and .signal == 11
          and (.message | startswith("under Valgrind: killed by signal 11 (SIGSEGV)"))'
  ok "a benchmark killed by a signal under Valgrind: crashed, the signal kept"
fi
if expect 1 env TACH_FIXTURE_CRASH=1 "$BIN" --metric instructions --filter '^crashes$'; then
  out_has 'crashed: under Valgrind: killed by signal 11 \(SIGSEGV\)' && out_lacks 'failed'
  ok "... and the table says crashed"
  # the signal named once: Valgrind's "Process terminating with default action of signal
  # 11 (SIGSEGV)" said it again; its frame instead
  out_lacks 'Process terminating' && out_has 'SIGSEGV\): at [^ ]+ \(' && ok "... the signal said once, then where"
fi

# ---- tach run: a whole command ----
for i in 1 2; do
  trun --metric instructions --export-json "cmd$i.json" -- /bin/echo hello
  expect_rc 0 "tach run --metric instructions, run $i"
done
check "a command's count repeats within 0.01%" \
  jqt --slurpfile a cmd1.json '.benchmarks[0].instructions.per_iteration as $n
       | $a[0].benchmarks[0].instructions.per_iteration as $o
       | $o > 10000 and (($n - $o) / $o | fabs) <= 0.0001' cmd2.json
trun --metric instructions tests_dummy_word_that_is_not_a_binary 2>/dev/null
expect_rc 2 "tach run --metric instructions of a missing command"
# an exit status -i / --ignore-failure ignores is no failure under Valgrind either (a grep
# that matches nothing is still counted); without it, a failure naming the status
# the worker's warning reaches tach run (it was lost: no line, not in context.warnings),
# and a command's --counters under instruction mode is said to be ignored
trun --metric instructions --memory --export-json warn.json "$BIN" --filter '^work$'
expect_rc 0 "--metric instructions --memory of a binary"
grep -q 'warning: --memory is ignored with --metric instructions' "$W/err" && ok "... the worker's warning printed" \
  || bad "no --memory warning: $(cat "$W/err")"
jqc "... and kept in context.warnings" warn.json '[.context.warnings[] | select(startswith("--memory is ignored"))] | length == 1'
trun --metric instructions --counters -- true
expect_rc 0 "--metric instructions --counters of a command"
grep -q 'warning: --counters is ignored with --metric instructions' "$W/err" && ok "... said to be ignored" \
  || bad "no --counters warning: $(cat "$W/err")"
trun --metric instructions -i --export-json false_i.json -- false
expect_rc 0 "--metric instructions -i of false: counted"
jqc "... its count kept" false_i.json '.benchmarks[0] | .status == "ok" and .instructions.per_iteration > 1000'
trun --metric instructions -- false
expect_rc 1 "--metric instructions of false without -i: failed"
grep -q 'under Valgrind: exited with code 1' "$W/out" && ok "... saying its exit status" || bad "no exit status: $(cat "$W/out")"
# its only benchmark failed, so nothing was counted: the table is still the counts' (it
# was the time table's: median, CI, mean, samples, CV, outliers, each '-')
grep -q '^benchmark  instructions  status$' "$W/out" && ! grep -q 'median' "$W/out" &&
  ok "... in the table of counts, not of times" || bad "not the counts' table: $(cat "$W/out")"
# likewise a benchmark binary whose only benchmark failed under Valgrind
if expect 1 env TACH_FIXTURE_EXIT=3 "$BIN" --metric instructions --filter '^exits$'; then
  out_has '^benchmark +instructions +status$'
  out_lacks 'median|samples|outliers'
fi
finish
