#!/usr/bin/env bash
# `tach run` options, one by one, observed through what the commands do (they append
# to files) and through the exported results document.  Nothing depends on speed:
# durations only appear as lower bounds that sleep guarantees.
source "$(dirname "$0")/lib.bash"
set -o pipefail
private_store

# ---- one command, --runs, the document ---------------------------------------------
trun --runs 5 --style none --export-json "$W/a.json" -- /bin/true
expect_rc 0 "--runs 5 -- /bin/true"
jqc "the document is a tach document, not partial" a.json '.format == "tach-results" and .version == 1 and .partial == false'
jqc "one result named after the command" a.json '(.benchmarks | length) == 1 and .benchmarks[0].name == "/bin/true" and .benchmarks[0].command == "/bin/true"'
jqc "exactly 5 samples of 1 iteration" a.json '.benchmarks[0].samples.ns | length == 5' 
jqc "iterations all 1" a.json '[.benchmarks[0].samples.iters[] == 1] | all'
jqc "per-run user/sys/rss/faults/ctxsw arrays of 5" a.json '.benchmarks[0].runs | [.user_ns, .sys_ns, .max_rss_kib, .minor_faults, .major_faults, .vol_ctxsw, .invol_ctxsw, .exit_codes] | map(length == 5) | all'
jqc "exit codes all 0, status ok" a.json '([.benchmarks[0].runs.exit_codes[] == 0] | all) and .benchmarks[0].status == "ok"'
jqc "peak RSS is positive" a.json '[.benchmarks[0].runs.max_rss_kib[] > 0] | all'
jqc "tach's own peak RSS is recorded beside it" a.json '.context.settings.spawner_max_rss_kib > 0'
jqc "estimates present" a.json '.benchmarks[0].estimates.median.value > 0 and .benchmarks[0].estimates.mean.value > 0'
jqc "context says tach run and the command line" a.json '.context.tool == "tach run" and (.context.command_line | index("/bin/true") != null)'
jqc "context records tach's own cost per run" a.json '.context.settings.overhead_per_run_ns >= 0'
check "--style none prints nothing on stdout" test ! -s "$W/out"
# An option given twice counts once, the last one (docs/guide.md says so).
trun --runs 2 --runs 3 --style none --export-json "$W/twice.json" -- /bin/true
expect_rc 0 "--runs 2 --runs 3"
jqc "the last --runs counts: 3 samples" twice.json '.benchmarks[0].samples.ns | length == 3'
# so for the shell, in hyperfine's two words too: -S bash then --shell=sh is sh's, and
# --shell=sh then -S bash is bash's
trun --runs 1 --style none --export-json "$W/sh1.json" -S bash --shell=sh -c /bin/true
expect_rc 0 "-S bash --shell=sh"
jqc "-S bash then --shell=sh: the last, sh" sh1.json '.context.settings.shell | endswith("/sh")'
trun --runs 1 --style none --export-json "$W/sh2.json" --shell=sh -S bash -c /bin/true
expect_rc 0 "--shell=sh -S bash"
jqc "--shell=sh then -S bash: the last, bash" sh2.json '.context.settings.shell | endswith("/bash")'
# /bin/true's own peak (~1 MiB) is below tach's, which Linux counts for a posix_spawn
# child: the summary says "at most", not a number that is tach's
trun --runs 2 --style basic -- /bin/true
check "a peak below tach's own is shown as a bound" grep -q 'Peak memory: *≤ .* MiB (at most tach.s own' "$W/out"
if command -v python3 >/dev/null; then
  trun --runs 2 --style basic -- python3 -c 'x = bytearray(64 << 20)'
  check "a peak above tach's own (64 MiB) is shown as measured" \
    grep -Eq 'Peak memory: *(6[4-9]|[7-9][0-9])\.[0-9] MiB \(median' "$W/out"
else
  echo "skip: a peak above tach's own: no python3"
fi

# ---- --warmup and --prepare: counted by the commands themselves ------------------------
rm -f runs.log prep.log
trun --runs 4 --warmup 3 --prepare "echo p >> $W/prep.log" --style none --export-json "$W/w.json" -- sh -c "echo r >> $W/runs.log"
expect_rc 0 "--warmup 3 --prepare"
check "command ran warmup+runs = 7 times" test "$(wc -l <runs.log)" -eq 7
check "--prepare ran before every run (7 times)" test "$(wc -l <prep.log)" -eq 7
jqc "warm-up runs are not recorded (4 samples)" w.json '.benchmarks[0].samples.ns | length == 4'

# ---- --setup and --cleanup: once, first and last ----------------------------------------
rm -f order.log
trun --runs 3 --setup "echo setup >> $W/order.log" --cleanup "echo cleanup >> $W/order.log" --style none -- sh -c "echo run >> $W/order.log"
expect_rc 0 "--setup/--cleanup"
check "setup first, cleanup last, runs between" test "$(tr '\n' ' ' <order.log)" = "setup run run run cleanup "
trun --runs 3 --setup "exit 3" --style none --export-json "$W/s.json" -- /bin/true
expect_rc 1 "a failing --setup stops the run"
check "the failing setup is named" grep -q "setup command 'exit 3' failed with exit code 3" "$W/err"

# ---- --min-runs / --max-runs / --min-time ---------------------------------------------------
trun --min-runs 12 --min-time 0 --style none --export-json "$W/m.json" -- /bin/true
expect_rc 0 "--min-runs 12 --min-time 0"
jqc "--min-runs 12 with no time floor gives 12 runs" m.json '.benchmarks[0].samples.ns | length == 12'
trun --max-runs 6 --min-time 100 --style none --export-json "$W/m.json" -- /bin/true
expect_rc 0 "--max-runs 6 --min-time 100"
jqc "--max-runs caps the runs at 6" m.json '.benchmarks[0].samples.ns | length == 6'
trun --min-runs 2 --min-time 0.3 --style none --export-json "$W/m.json" -- sleep 0.05
expect_rc 0 "--min-time 0.3 on sleep 0.05"
# it stops at the first round after 0.3 s of measuring: the runs before the last one
# took less than 0.3 s together (else it would have stopped), all of them about 0.3 s
jqc "--min-time 0.3: stopped at the first round past 0.3 s" m.json '.benchmarks[0].samples.ns | (length >= 2) and ((.[:-1] | add) < 0.3e9) and (add >= 0.25e9)'

# ---- --max-time caps the default --min-time (3 s) too; --min-runs still holds -------------------
trun --max-time 0.3 --min-runs 2 --style none --export-json "$W/x.json" -- sleep 0.05
expect_rc 0 "--max-time 0.3 without --precision"
jqc "--max-time 0.3: stopped at the first round past 0.3 s, not after the default 3 s" x.json \
  '.benchmarks[0].samples.ns | (length >= 2) and ((.[:-1] | add) < 0.3e9) and (add < 1e9)'
trun --max-time 0.01 --min-runs 3 --style none --export-json "$W/x.json" -- sleep 0.02
jqc "--min-runs 3 holds under --max-time 0.01" x.json '.benchmarks[0].samples.ns | length == 3'
trun --min-time 5 --max-time 1 -- /bin/true
expect_rc 2 "--min-time above --max-time"
check "it names both values" grep -q -- "--min-time 5 is more than --max-time 1" "$W/err"

# ---- --precision: the stop rule and the record ------------------------------------------------
trun --precision 0.01 --min-runs 5 --max-time 0.5 --style none --export-json "$W/p.json" -- /bin/true
expect_rc 0 "--precision 0.01 --max-time 0.5 (cannot reach ±0.01%)"
jqc "target recorded, not reached, at least 5 runs" p.json '.benchmarks[0].precision.target == 0.0001 and .benchmarks[0].precision.reached == false and (.benchmarks[0].samples.ns | length >= 5)'
trun --precision 50 --min-runs 10 --style none --export-json "$W/p.json" -- sleep 0.01
expect_rc 0 "--precision 50 (±50% of the median)"
jqc "a ±50% target is reached after the 10 minimum runs, well before --max-time" p.json '.benchmarks[0].precision.reached == true and .benchmarks[0].precision.target == 0.5 and (.benchmarks[0].samples.ns | length) < 300'
# Below 6 runs the order-statistic CI of the median is the whole range, covering less than
# 95% (93.75% at 5): no precision is reached there, however wide the target.  Two runs
# of any positive times are within ±99% of their median (unless one is 200 times the other), so the old rule stopped
# at 2; now it runs to 6 at least.
trun --precision 99 --min-runs 2 --max-runs 40 --style none --export-json "$W/p.json" -- /bin/true
expect_rc 0 "--precision 99 --min-runs 2"
jqc "no precision stop below 6 runs" p.json '(.benchmarks[0].samples.ns | length >= 6) and (.benchmarks[0].precision.reached == false or (.benchmarks[0].precision.achieved | type == "number"))'

# ---- --timeout ------------------------------------------------------------------------------
start=$(date +%s)
trun --runs 3 --timeout 0.2 --style basic --export-json "$W/t.json" -- sleep 30
expect_rc 1 "--timeout 0.2 on sleep 30"
check "killed at the timeout, not after 30 s" test $(( $(date +%s) - start )) -lt 20
jqc "status timeout with a message" t.json '.benchmarks[0].status == "timeout" and (.benchmarks[0].message | test("timeout of 0.2 s"))'
check "the summary names the timeout" grep -q "Status: timeout" "$W/out"

# ---- --input and --output FILE (the input is rewound for every run) -----------------------------
printf 'hello\n' >in.txt
rm -f out.txt
trun --runs 3 --input in.txt --output "$W/out.txt" --style none -- wc -c
expect_rc 0 "--input in.txt --output out.txt -- wc -c"
check "each of the 3 runs read the whole input (6 bytes)" test "$(tr '\n' ' ' <out.txt)" = "6 6 6 "
trun --runs 2 --style none -- wc -c
check "without --input the command reads /dev/null (nothing waits)" test "$rc" -eq 0
# A pipe as --input (a process substitution, /dev/stdin from a pipe): each run reads it
# all, as from a file (the first run read it all, the others nothing).
rm -f out.txt
trun --runs 2 --warmup-runs 1 --input <(printf 'hello\n') --output "$W/out.txt" --style none -- wc -c
expect_rc 0 "--input <(printf hello) -- wc -c"
check "each of the 3 runs read the whole pipe (6 bytes)" test "$(tr '\n' ' ' <out.txt)" = "6 6 6 "
rm -f out.txt
printf 'hello\n' | "$TACH" run --no-store --runs 3 --input /dev/stdin --output "$W/out.txt" --style none -- wc -c \
  >"$W/out" 2>"$W/err"
check "--input /dev/stdin from a pipe: each of the 3 runs read it all" test "$(tr '\n' ' ' <out.txt)" = "6 6 6 "
# A named pipe (mkfifo) is opened once: checked by an open and close before the runs,
# its writer lost its reader (a writer of more than the pipe holds died of SIGPIPE) and
# the runs' open waited for a writer that had gone.  timeout only bounds that hang.
rm -f out.txt fifo writer.rc
mkfifo fifo
( head -c 200000 /dev/zero >fifo; echo $? >writer.rc ) &
writer=$!
timeout 60 "$TACH" run --no-store --runs 2 --input fifo --output "$W/out.txt" --style none -- wc -c \
  >"$W/out" 2>"$W/err"
rc=$?
expect_rc 0 "--input a named pipe -- wc -c"
exec 3<>fifo # a writer still waiting for a reader gets one and ends
exec 3<&-
wait "$writer"
check "--input a named pipe: its writer wrote it all" test "$(cat writer.rc)" = 0
check "--input a named pipe: each of the 2 runs read it all" test "$(tr '\n' ' ' <out.txt)" = "200000 200000 "
# Whether the writer lost its reader is a race; that the pipe is opened once is not.
if command -v strace >/dev/null && strace -o /dev/null true 2>/dev/null; then
  ( printf 'hello\n' >fifo ) &
  writer=$!
  timeout 60 strace -e trace=open,openat -o "$W/strace" "$TACH" run --no-store --runs 2 --input fifo \
    --style none -- wc -c >"$W/out" 2>"$W/err"
  exec 3<>fifo
  exec 3<&-
  wait "$writer"
  n=$(grep -c '"fifo"' "$W/strace")
  if [ "$n" = 1 ]; then ok "--input a named pipe: opened once"; else bad "--input a named pipe opened $n times: $(grep '"fifo"' "$W/strace")"; fi
else
  ok "--input a named pipe: opened once (not checked: no strace)"
fi

# ---- --output pipe / inherit / null ----------------------------------------------------------------
trun --runs 2 --output pipe --style none -- sh -c 'head -c 200000 /dev/zero; echo done'
expect_rc 0 "--output pipe (200 kB through the pipe)"
check "--output pipe shows nothing" test ! -s "$W/out"
trun --runs 2 --output inherit --style none -- echo visible-output
expect_rc 0 "--output inherit"
check "--output inherit shows the command's output" test "$(grep -c visible-output "$W/out")" -eq 2
trun --runs 2 --output null --style none -- echo hidden-output
check "--output null hides it" test "$(grep -c hidden-output "$W/out")" -eq 0

# ---- failures: exit code, --ignore-failure[=CODES], a crash ------------------------------------------
trun --runs 3 --style basic --export-json "$W/f.json" -- false
expect_rc 1 "a command exiting 1 fails the run"
jqc "status failed, the code named" f.json '.benchmarks[0].status == "failed" and (.benchmarks[0].message | test("exited with code 1"))'
check "exports are still written on failure" test -s f.json
trun --runs 3 --ignore-failure --style none --export-json "$W/f.json" -- false
expect_rc 0 "--ignore-failure"
jqc "failed runs are timed, codes kept" f.json '(.benchmarks[0].runs.exit_codes | length == 3 and all(. == 1)) and .benchmarks[0].status == "ok"'
trun --runs 3 --ignore-failure=2,3 --style none -- sh -c 'exit 3'
expect_rc 0 "--ignore-failure=2,3 ignores exit 3"
trun --runs 3 --ignore-failure=2,3 --style none -- false
expect_rc 1 "--ignore-failure=2,3 does not ignore exit 1"
# the advice named the flag as if it had not been given: "(tach run --ignore-failure times it anyway)"
trun --runs 2 --ignore-failure=2,3 --style basic --export-json "$W/i.json" -- false
jqc "a code not listed: the status names the codes given and the list that would time it" i.json \
  '.benchmarks[0].message == "exited with code 1, not among --ignore-failure=2,3 (--ignore-failure=2,3,1 times it anyway)"'
trun --runs 2 --style basic --export-json "$W/i.json" -- false
jqc "without --ignore-failure: the flag advised" i.json \
  '.benchmarks[0].message == "exited with code 1 (tach run --ignore-failure times it anyway)"'
trun --runs 3 --ignore-failure --style basic --export-json "$W/c.json" -- sh -c 'kill -SEGV $$'
expect_rc 1 "a crash fails the run even with --ignore-failure"
jqc "status crashed, signal 11 named" c.json '.benchmarks[0].status == "crashed" and .benchmarks[0].signal == 11 and (.benchmarks[0].message | test("SIGSEGV"))'
check "the summary names the signal" grep -q "SIGSEGV" "$W/out"

# ---- --style ----------------------------------------------------------------------------------------------
trun --runs 3 --style basic -- /bin/true
check "--style basic prints the summary" grep -q "Time (mean ± σ)" "$W/out"
check "--style basic has no escape codes" bash -c "! grep -q $'\e' '$W/out' '$W/err'"
trun --runs 3 -- /bin/true
check "--style auto (the default) off a terminal: the summary, plain" bash -c "grep -q 'Time (mean ± σ)' '$W/out' && ! grep -q $'\e' '$W/out' '$W/err'"
trun --runs 3 --style auto -P n=1,2 -i -c 'sh -c "exit {n}"'
expect_rc 0 "-P and -i, hyperfine's short names for --param and --ignore-failure"
trun --runs 3 --style full -- /bin/true
check "--style full off a terminal is still full (as hyperfine's): colour" grep -q $'\e\[' "$W/out"
check "--style full off a terminal: and the progress bar" grep -q $'\r\e\[K.*runs' "$W/err"
NO_COLOR=1 "$TACH" run --no-store --runs 3 --style full -- /bin/true >"$W/out" 2>"$W/err"
check "--style full with NO_COLOR: no colour codes" bash -c "! grep -q $'\e\[[0-9;]*m' '$W/out' '$W/err'"
if command -v script >/dev/null; then
  # a terminal: the progress bar is drawn on stderr (carriage return + erase line)
  script -qfec "$TACH run --no-store --style full --min-runs 3 --min-time 0.5 -- /bin/true >/dev/null" /dev/null >"$W/tty.err" 2>&1
  check "a terminal gets the progress bar on stderr" grep -q $'\r\e\[K.*runs' "$W/tty.err"
  NO_COLOR=1 script -qfec "$TACH run --no-store --style full --runs 3 -- /bin/true" /dev/null >"$W/tty.out" 2>&1
  check "NO_COLOR: no colour codes on a terminal" bash -c "! grep -q $'\e\[3[0-9]m' '$W/tty.out'"
  script -qfec "$TACH run --no-store --style full --runs 3 -- /bin/true" /dev/null >"$W/tty.out" 2>&1
  check "colour on a terminal without NO_COLOR" grep -q $'\e\[32m' "$W/tty.out"
else
  echo "skip: the progress bar on a terminal: no script (bsdutils)"
fi

# ---- --seed is recorded ---------------------------------------------------------------------------------
trun --runs 2 --seed 42 --style none --export-json "$W/seed.json" -- /bin/true
jqc "--seed recorded in the settings" seed.json '.context.settings.seed == 42'
# a document read back is summarised with its own seed and resample count: without its
# estimates it comes back with the same intervals (they were the default seed's), and so
# does a seed above 2^63-1 (written as a string) through the store
trun --runs 30 --seed 42 --style none --export-json "$W/s42.json" -- /bin/true
jq 'del(.benchmarks[].estimates)' "$W/s42.json" >"$W/s42-bare.json"
"$TACH" convert "$W/s42-bare.json" --to json -o "$W/s42-back.json" 2>"$W/err"
check "--seed 42: the mean's CI recomputed from the samples is the run's" \
  jq -e --slurpfile a "$W/s42.json" '.benchmarks[0].estimates.mean == $a[0].benchmarks[0].estimates.mean' "$W/s42-back.json"
jq '.context.settings.resamples = 2000 | del(.benchmarks[].estimates)' "$W/s42.json" >"$W/s42-2k.json"
"$TACH" convert "$W/s42-2k.json" --to json -o "$W/s42-2k-back.json" 2>"$W/err"
check "... and with 2000 resamples written, not 10000, the interval is another" \
  jq -e --slurpfile a "$W/s42.json" '.benchmarks[0].estimates.mean != $a[0].benchmarks[0].estimates.mean' "$W/s42-2k-back.json"
trun --runs 30 --seed 0xfffffffffffffff1 --style none --export-json "$W/sbig.json" -- /bin/true
jqc "a seed above 2^63-1 is written as a string" sbig.json '.context.settings.seed == "18446744073709551601"'
"$TACH" record --store "$W/seed.db" "$W/sbig.json" >/dev/null 2>"$W/err"
"$TACH" report --store "$W/seed.db" --format json -o "$W/sbig-back.json" 2>"$W/err"
check "... and recorded, its mean's CI is the run's" \
  jq -e --slurpfile a "$W/sbig.json" '.benchmarks[0].estimates.mean == $a[0].benchmarks[0].estimates.mean' "$W/sbig-back.json"

# ---- the store hook: --no-store records nothing, --store and --tag reach the store --------------------
mkdir -p fresh && (cd fresh && env -u TACH_STORE "$TACH" run --no-store --runs 2 --style none -- /bin/true >/dev/null 2>&1)
check "--no-store creates no store" test ! -e fresh/.tach
trun_store() { "$TACH" run "$@" >"$W/out" 2>"$W/err"; rc=$?; }
trun_store --store "$W/hook.db" --tag ci=yes --runs 2 --style none -- /bin/true
expect_rc 0 "--store FILE --tag ci=yes"
check "a completed run is recorded in the store given" test -s "$W/hook.db"

# ---- several exports at once ------------------------------------------------------------------------------
trun --runs 3 --style none --export-json "$W/e.json" --export-hyperfine "$W/e.hf.json" --export-csv "$W/e.csv" \
  --export-markdown "$W/e.md" --export-bmf "$W/e.bmf.json" --export-github "$W/e.gh.json" --export-gbench "$W/e.gb.json" \
  --export-asciidoc "$W/e.adoc" --export-orgmode "$W/e.org" -- /bin/true
expect_rc 0 "all nine exports at once"
for f in e.json e.hf.json e.csv e.md e.bmf.json e.gh.json e.gb.json e.adoc e.org; do check "export $f written" test -s "$f"; done
# the text tables are the ones tach convert writes from the same document
for pair in markdown:e.md asciidoc:e.adoc orgmode:e.org; do
  "$TACH" convert e.json --to "${pair%%:*}" -o "$W/conv.${pair#*:}"
  check "--export-${pair%%:*} is tach convert --to ${pair%%:*} of --export-json" cmp -s "${pair#*:}" "conv.${pair#*:}"
done
jqc "hyperfine export has 3 times in seconds" e.hf.json '.results[0].times | length == 3 and all(. > 0 and . < 10)'
v=$(jq -n --slurpfile h e.hf.json --slurpfile t e.json '[range(3) as $i | (($h[0].results[0].times[$i] * 1e9) - $t[0].benchmarks[0].samples.ns[$i]) | fabs < 1] | all')
check "--export-hyperfine's times are --export-json's samples in seconds" test "$v" = true

# --help said every option takes --opt VALUE: one shown --opt[=VALUE] takes its value only
# after '=' (--counters page-faults times page-faults as the command), and a value that is
# an option (--setup --runs, -n -S) is refused; the help says both
"$TACH" run --help >"$W/run.help"
check "run --help: --opt[=VALUE] takes its value only as --opt=VALUE" \
  bash -c "tr '\n' ' ' <'$W/run.help' | grep -qF 'those shown --opt[=VALUE] only as --opt=VALUE'"
check "run --help: a value that is --SOMETHING or -S only as --opt=VALUE" \
  bash -c "tr '\n' ' ' <'$W/run.help' | grep -qF 'a value that starts with - as --opt=VALUE too when it is --SOMETHING or -S'"

finish
