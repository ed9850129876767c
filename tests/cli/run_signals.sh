#!/usr/bin/env bash
# run_signals.sh - SIGTERM and SIGHUP stop `tach run` as SIGINT does: the measured
# command (its whole process group) is stopped, never left running without a parent,
# what was measured is printed and exported marked partial, and the exit status is
# 128 + the signal (143, 129).  A command stopped before its first run finished is
# reported as interrupted (status skipped, with the reason), never "ok".  A signal during
# the --tach-probe of a target stops every command that probes (run, profile, findings,
# stability, ab, load) as well, before the target is run.
source "$(dirname "$0")/lib.bash"
set -o pipefail
cd "$tmp"

wait_file() { # FILE: waits (at most 30 s) until FILE is not empty
  for _ in $(seq 300); do [ -s "$1" ] && return 0; sleep 0.1; done
  return 1
}
wait_lines() { # FILE N
  for _ in $(seq 300); do [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ] && return 0; sleep 0.1; done
  return 1
}
gone() { # PID: the process ends within 5 s
  for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  return 1
}

for sig in TERM HUP; do
  code=$((128 + $(kill -l $sig)))
  # Some runs finish, then the signal: the runs kept, the export partial.
  rm -f prog.log
  "$TACH" run --no-store --style basic --runs 100000 --export-json "$sig.json" \
    -- sh -c "echo x >> $tmp/prog.log; sleep 0.05" >"$sig.out" 2>"$sig.err" &
  pid=$!
  check "$sig: the run got going" wait_lines prog.log 4
  kill -$sig "$pid"
  wait "$pid"
  rc=$?
  check "SIG$sig: exit status $code (got $rc)" test "$rc" -eq "$code"
  check "SIG$sig: stderr names the signal" grep -q "interrupted by SIG$sig" "$sig.err"
  check "SIG$sig: what was measured is printed" grep -q "Time (mean" "$sig.out"
  jqc "SIG$sig: the export is whole, partial, with the runs measured" "$sig.json" \
    '.partial == true and (.benchmarks[0].samples.ns | length) >= 3 and .benchmarks[0].status == "ok"'

  # The signal during the first run: the command (and what it started) is stopped,
  # nothing was measured, and the result says so.
  rm -f cur.pid
  "$TACH" run --no-store --style basic --runs 3 --export-json "$sig.0.json" \
    -- sh -c "sleep 1000 & echo \$! > $tmp/cur.pid; wait" >"$sig.0.out" 2>"$sig.0.err" &
  pid=$!
  check "SIG$sig: the long command started" wait_file cur.pid
  child=$(cat cur.pid 2>/dev/null || echo 0)
  kill -$sig "$pid"
  wait "$pid"
  rc=$?
  check "SIG$sig in the first run: exit status $code (got $rc)" test "$rc" -eq "$code"
  check "SIG$sig: the measured command's child is not left running" gone "$child"
  jqc "SIG$sig: 0 runs is 'skipped: interrupted', not ok" "$sig.0.json" \
    '.partial == true and .benchmarks[0].status == "skipped" and (.benchmarks[0].message | test("interrupted"))'
  kill "$child" 2>/dev/null
done

# tach ab stops the same way: what it measured is reported, with the same exit status.
rm -f ab.log
"$TACH" ab "sh -c 'echo x >> $tmp/ab.log; sleep 0.05'" "sh -c 'echo y >> $tmp/ab.log; sleep 0.05'" \
  --max-time 120 >ab.out 2>ab.err &
pid=$!
check "tach ab got going" wait_lines ab.log 6
kill -TERM "$pid"
wait "$pid"
rc=$?
check "tach ab: exit status 143 after SIGTERM (got $rc)" test "$rc" -eq 143
check "tach ab: its report says it was interrupted" grep -q "interrupted" ab.out
# A signal while tach asks a one-word target --tach-probe (is it a libtach binary?)
# stops tach there with 128 + the signal: the program is not then run anyway, as a
# command, profiled or timed.  The target signals tach itself from inside the probe.
cat >selfstop.sh <<EOF
#!/bin/sh
if [ "\$1" = --tach-probe ]; then kill -\$SIG \$PPID; exec sleep 30; fi
echo "\$*" >> $tmp/ran.log
EOF
chmod +x selfstop.sh
for sig in INT TERM; do
  code=$((128 + $(kill -l $sig)))
  t=./selfstop.sh
  for cmd in "run --no-store -r 1 $t" "profile $t" "findings $t" "stability --runs 2 $t" "ab $t $t" \
             "load --duration 1 --no-store $t op"; do
    rm -f ran.log
    SIG=$sig $TACH $cmd >probe.out 2>probe.err
    rc=$?
    check "SIG$sig during the probe of tach $cmd: exit status $code (got $rc)" test "$rc" -eq "$code"
    check "SIG$sig during the probe of tach $cmd: the program is not run after it" test ! -e ran.log
  done
done
# tach bench probes a module's bench = binary while it plans: the same (it said "not a
# libtach benchmark binary" and went on)
mkdir -p proj/.tach && cp selfstop.sh proj/
printf '[module "m"]\n    bench = ./selfstop.sh\n' >proj/.tach/config
for sig in INT TERM; do
  code=$((128 + $(kill -l $sig)))
  rm -f ran.log
  (cd proj && SIG=$sig $TACH bench >"$tmp/probe.out" 2>"$tmp/probe.err")
  rc=$?
  check "SIG$sig during tach bench's probe: exit status $code (got $rc)" test "$rc" -eq "$code"
  check "SIG$sig during tach bench's probe: said, nothing run" \
    bash -c "grep -q 'interrupted while checking the plan' '$tmp/probe.err' && [ ! -e '$tmp/ran.log' ] && [ ! -e '$tmp/proj/.tach/tach.db' ]"
done
finish
