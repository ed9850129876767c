#!/usr/bin/env bash
# Parameter scans (--param NAME=list and NAME=lo:hi[:step], several = their product,
# {NAME} substituted in the command and in --prepare) and --shell.
source "$(dirname "$0")/lib.bash"
set -o pipefail
private_store

# ---- a list ------------------------------------------------------------------------------------
rm -f p.log
trun --runs 2 --style none --export-json "$W/l.json" --param size=small,big -c "sh -c 'echo {size} >> $W/p.log'"
expect_rc 0 "--param size=small,big"
jqc "one result per value, named with the value" l.json "[.benchmarks[].name] == [\"sh -c 'echo small >> $W/p.log'\", \"sh -c 'echo big >> $W/p.log'\"]"
jqc "params recorded" l.json '[.benchmarks[].params.size] == ["small", "big"]'
check "the commands saw the values (2 runs each)" test "$(sort p.log | uniq -c | awk '{print $2 "=" $1}' | tr '\n' ' ')" = "big=2 small=2 "

# ---- an integer range with a step, in -- form -------------------------------------------------------
trun --runs 1 --style none --export-json "$W/r.json" --param n=1:7:3 -- sh -c 'exit 0' n={n}
expect_rc 0 "--param n=1:7:3 -- CMD ARGS"
jqc "1:7:3 gives 1, 4, 7 (integers written as numbers)" r.json '[.benchmarks[].params.n] == [1, 4, 7]'
jqc "{n} substituted in the argument" r.json '[.benchmarks[].name] == ["sh -c '"'"'exit 0'"'"' n=1", "sh -c '"'"'exit 0'"'"' n=4", "sh -c '"'"'exit 0'"'"' n=7"]'

# ---- a decimal range; the default step is 1 -----------------------------------------------------------
trun --runs 1 --style none --export-json "$W/d.json" --param t=0.5:1.5:0.5 -c "sleep {t}e-3"
expect_rc 0 "--param t=0.5:1.5:0.5"
jqc "0.5:1.5:0.5 gives 0.5, 1.0, 1.5" d.json '[.benchmarks[].params.t] == ["0.5", "1.0", "1.5"]'
trun --runs 1 --style none --export-json "$W/d.json" --param k=2:4 -c "true {k}"
jqc "2:4 gives 2, 3, 4" d.json '[.benchmarks[].params.k] == [2, 3, 4]'

# ---- 2^53 is the last integer a double holds: a scan reaches it, a listed larger value stays text ------
trun --runs 1 --style none --export-json "$W/big.json" --param n=9007199254740991:9007199254740992 -c "true {n}"
expect_rc 0 "--param n=2^53-1:2^53"
jqc "the scan 2^53-1:2^53 gives both, as numbers" big.json '[.benchmarks[].params.n] == [9007199254740991, 9007199254740992]'
# written as a number, 9007199254740993 read back as 9007199254740992 in jq and JavaScript
trun --runs 1 --style none --export-json "$W/big.json" --param n=9007199254740993,-9007199254740993 -c "true {n}"
expect_rc 0 "--param n=2^53+1,-(2^53+1)"
jqc "values beyond 2^53 recorded as written (strings)" big.json '[.benchmarks[].params.n] == ["9007199254740993", "-9007199254740993"]'
jqc "and named so" big.json '[.benchmarks[].name] == ["true 9007199254740993", "true -9007199254740993"]'

# ---- two parameters: their product, the last varying fastest; --prepare substituted too ---------------------
rm -f prep.log
trun --runs 1 --style none --export-json "$W/x.json" --param a=1,2 --param b=x,y \
  --prepare "echo {a}{b} >> $W/prep.log" -c "true {a} {b}"
expect_rc 0 "--param a=1,2 --param b=x,y"
jqc "four combinations in order" x.json '[.benchmarks[].name] == ["true 1 x", "true 1 y", "true 2 x", "true 2 y"]'
check "--prepare got the values" test "$(sort prep.log | tr '\n' ' ')" = "1x 1y 2x 2y "

# ---- a parameter scan with several commands, a braces text that is no parameter -----------------------------
trun --runs 1 --style none --export-json "$W/y.json" --param n=1,2 -c "true A{n}" -c "true B{n} {other}"
jqc "commands x values" y.json '[.benchmarks[].name] == ["true A1", "true A2", "true B1 {other}", "true B2 {other}"]'

# ---- names stay unique (they are the results' keys): a parameter the command does not use,
# and the same command twice
trun --runs 1 --style none --export-json "$W/u.json" --param n=1,2 -c "true" -c "true" -c "true {n}"
jqc "unused parameters and repeats are named apart" u.json '[.benchmarks[].name] == ["true [n=1]", "true [n=2]", "true [n=1] #2", "true [n=2] #2", "true 1", "true 2"]'
jqc "the command itself is kept as given" u.json '[.benchmarks[].command] == ["true", "true", "true", "true", "true 1", "true 2"]'
# (a parameter's value given twice is refused: run_bad_input.sh)
trun --runs 2 --style basic --param X=1 -c "true" -c "true"
check "the printed headings use the same unique names as the comparison" \
  bash -c "grep -q '^Benchmark 1: true \[X=1\]\$' '$W/out' && grep -q '^Benchmark 2: true \[X=1\] #2\$' '$W/out'"

# ---- --shell: pipelines allowed, the shell's start-up measured and subtracted -------------------------------
trun --runs 3 --shell --style basic --export-json "$W/s.json" -c "echo hi | cat > /dev/null"
expect_rc 0 "--shell -c 'echo hi | cat'"
jqc "the shell's start-up is recorded" s.json '.context.settings.shell == "/bin/sh" and .context.settings.shell_overhead_ns > 0'
check "the summary says it was subtracted" grep -q "subtracted from every run" "$W/out"
jqc "samples are never negative after subtracting" s.json '[.benchmarks[0].samples.ns[] >= 0] | all'
trun --runs 3 --shell=bash --style none --export-json "$W/s2.json" -c 'for i in 1 2 3; do :; done'
expect_rc 0 "--shell=bash"
jqc "--shell=bash found on PATH" s2.json '.context.settings.shell | test("bash$")'
# hyperfine's spelling, -S bash / --shell bash: the word after names the shell (it was
# timed as a command of its own, run through /bin/sh)
trun --runs 2 -S bash --style none --export-json "$W/s4.json" 'echo hi'
expect_rc 0 "-S bash 'echo hi'"
jqc "-S bash: the shell is bash, and 'echo hi' the one command" s4.json \
  '(.context.settings.shell | test("bash$")) and ([.benchmarks[].name] == ["echo hi"])'
trun --runs 2 --shell /bin/bash --style none --export-json "$W/s5.json" -c 'echo a' -c 'echo b'
expect_rc 0 "--shell /bin/bash -c ... -c ..."
jqc "--shell /bin/bash: the shell, and the two -c commands" s5.json \
  '.context.settings.shell == "/bin/bash" and ([.benchmarks[].name] == ["echo a", "echo b"])'
# a word that names no shell stays a command: --shell ls pwd times ls and pwd through sh
trun --runs 2 --shell --style none --export-json "$W/s6.json" ls pwd
jqc "--shell ls pwd: two commands through /bin/sh" s6.json \
  '.context.settings.shell == "/bin/sh" and ([.benchmarks[].name] == ["ls", "pwd"])'
# ---- hyperfine's spellings: -L NAME a,b,c and -P NAME LO HI (the value in the words after
# NAME; they were refused, "expected NAME=a,b,c"), each axis where it stood among the others
trun --runs 1 --style none --export-json "$W/hf.json" -L a x,y -P b=1:2 -P c 3 4 'echo {a}{b}{c}'
expect_rc 0 "-L a x,y -P b=1:2 -P c 3 4"
jqc "the product, in the options' order" hf.json \
  '[.benchmarks[].name] == ["echo x13","echo x14","echo x23","echo x24","echo y13","echo y14","echo y23","echo y24"]'
trun --runs 1 --style none --export-json "$W/hf2.json" --parameter-list n 1,2 --param m 5 5 'echo {n}{m}'
expect_rc 0 "--parameter-list n 1,2 --param m 5 5"
jqc "two commands" hf2.json '[.benchmarks[].name] == ["echo 15","echo 25"]'
trun --runs 1 --style none --export-json "$W/hf3.json" --parameter-scan n 1 5 -D 2 'echo {n}'
expect_rc 0 "--parameter-scan n 1 5 -D 2"
jqc "-D is the scan's step" hf3.json '[.benchmarks[].name] == ["echo 1","echo 3","echo 5"]'
trun --runs 1 -D 2 -P n=1:3 'echo {n}'
expect_rc 2 "-D with no -P NAME LO HI"
err_has "--parameter-step-size '2' is the step of hyperfine's -P NAME LO HI" && ok "-D alone: says what it is for"
# hyperfine's -L NAME VALUES is a list only: 1:3 is the one value 1:3 (it ran 1, 2, 3), and
# localhost:8080 a value (it was refused naming a --param never typed).
trun --runs 1 --style none --export-json "$W/hl.json" -L n 1:3 -L hp localhost:8080 'echo {n} {hp}'
expect_rc 0 "-L n 1:3 -L hp localhost:8080"
jqc "-L n 1:3: one value 1:3" hl.json '[.benchmarks[].command] == ["echo 1:3 localhost:8080"]'
# -P NAME LO HI takes numbers: 1,2 5 was read as the list 1,2:5, 1 2:5 as a bad range.
for case in "1,2|5|1,2" "1|2:5|2:5"; do
  IFS='|' read -r lo hi val <<<"$case"
  trun --runs 1 -P n "$lo" "$hi" 'echo {n}'
  expect_rc 2 "-P n $lo $hi"
  err_has "-P/--parameter-scan n $lo $hi: '$val' is not a number" && ok "-P n $lo $hi: names -P and $val"
done
for bad in "-P n 1" "-L n"; do
  trun --runs 1 $bad
  expect_rc 2 "$bad: its values missing"
  err_has "'n': expected NAME=a,b,c or NAME=lo:hi[:step] (or hyperfine's" && ok "$bad: says what was expected"
done
trun --runs 1 -P n x y 'echo {n}'
expect_rc 2 "-P n x y: not numbers"
err_has "'x:y' is not a range of numbers" && ok "-P n x y: the bad range named"
# hyperfine's decimal scan without -D: the message points at -D STEP (it told the user
# to write lo:hi:step, which -P NAME LO HI has no place for); nothing run
trun --runs 1 -P n 0.1 0.3 'touch ran{n}'
expect_rc 2 "-P n 0.1 0.3: decimals without a step"
err_has "-P/--parameter-scan n 0.1 0.3: a range of decimals needs a step: -D STEP (e.g. -D 0.01)" &&
  ! ls ran* >/dev/null 2>&1 && ok "-P n 0.1 0.3: points at -D STEP, nothing run"
trun --runs 1 --style none --export-json "$W/hf4.json" -P n 0.1 0.3 -D 0.1 'echo {n}'
expect_rc 0 "-P n 0.1 0.3 -D 0.1"
jqc "-D 0.1 steps the decimal scan" hf4.json '[.benchmarks[].name] == ["echo 0.1","echo 0.2","echo 0.3"]'
# --setup, --prepare and --cleanup run through --shell's shell, as hyperfine's (they ran
# through /bin/sh whatever --shell, so bash's 'source' or [[ ]] there failed)
rm -f aux.log
trun --runs 2 --shell=bash --style none --setup 'echo "setup ${BASH_VERSION:+bash}" >>aux.log' \
  --prepare '[[ -n $BASH_VERSION ]] && echo prepare bash >>aux.log' \
  --cleanup 'echo "cleanup ${BASH_VERSION:+bash}" >>aux.log' 'echo hi'
expect_rc 0 "--shell=bash with --setup, --prepare and --cleanup in bash's syntax"
check "each ran through bash" test "$(sort aux.log | uniq -c | awk '{print $1, $2, $3}' | tr '\n' ';')" = \
  "1 cleanup bash;2 prepare bash;1 setup bash;"
# hyperfine's -S none / --shell=none: no shell (= -N); 'none' was timed as a command of
# its own (not found), and --shell=none looked for a program called none
for sh_none in "-S none" "--shell=none" "--shell none"; do
  trun --runs 2 $sh_none --style none --export-json "$W/s7.json" 'echo hi'
  expect_rc 0 "$sh_none 'echo hi'"
  jqc "$sh_none: no shell, and 'echo hi' the one command" s7.json \
    '(.context.settings.shell == null) and ([.benchmarks[].name] == ["echo hi"])'
done
# a command that takes 40 ms through the shell keeps its own 40 ms after subtracting the
# shell's start-up (which never sleeps).  The start-up is measured once and each run's
# varies, so on a loaded machine a run may come out a few ms under 40: the margin keeps
# the check about the subtraction (a few ms), not about the machine's load.
trun --runs 3 --shell --style none --export-json "$W/s3.json" -c "sleep 0.04"
jqc "subtracting the start-up leaves the command's own 40 ms" s3.json '[.benchmarks[0].samples.ns[] >= 35e6] | all'
# runs at or under the shell's start-up read 0 once it is subtracted: a shell whose empty
# command takes 0.1 s and whose first other command 0.3 s gives 0.2 s, then 0, 0.  The
# median 0 lends the line no unit: the interval's and range's 200 ms keep their own
cat >slowsh <<'EOF2'
#!/bin/sh
if [ -z "$2" ]; then sleep 0.1; elif [ ! -e once ]; then : >once; sleep 0.3; fi
EOF2
chmod +x slowsh
trun --runs 3 --shell=./slowsh --style basic --export-json "$W/s7.json" -c 'x'
expect_rc 0 "--shell=./slowsh, a start-up longer than two of the three runs"
jqc "  ... two runs read 0, one about 0.2 s" s7.json '[.benchmarks[0].samples.ns[] | select(. == 0)] | length == 2'
out_has '^  Median \(95% CI\): +0\.00 ns +\[0\.00 ns … [0-9.]+ ms\]$'
out_has '^  Range \(min … max\): +0(\.0+)? ms … [0-9.]+ ms +3 runs$'  # one unit, the mean's
out_lacks '[0-9]{5}\.[0-9]{2} ns'
# ... and a 0 is no measurement: the summary says so, as hyperfine warns of it
out_has "^  Warning: 2 of 3 runs were no longer than the shell's start-up \\([0-9.]+ ms\\) and read 0 after subtracting it; time the command without --shell$"
trun --runs 3 --shell --style basic -c 'sleep 0.04'
out_lacks 'no longer than the shell'

finish
