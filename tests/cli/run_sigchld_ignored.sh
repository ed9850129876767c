#!/usr/bin/env bash
# tach started with SIGCHLD ignored (SIG_IGN is kept across exec: a daemon, a service
# manager's child): the kernel then reaps tach's children itself and sends no SIGCHLD.
# tach run waited on its signalfd for a SIGCHLD that never came (a --setup, the first
# run: hung for ever, or until --timeout, then reported as timed out), and no exit status
# could be read.  tach sets SIGCHLD back to its default and reads every status.
source "$(dirname "$0")/lib.bash"
private_store
if env --ignore-signal=CHLD true 2>/dev/null; then
  ign=(env --ignore-signal=CHLD)
elif perl -e 1 2>/dev/null; then
  ign=(perl -e '$SIG{CHLD} = "IGNORE"; exec @ARGV or die' --)
else
  echo "skip: neither env --ignore-signal nor perl to start tach with SIGCHLD ignored"
  exit 77
fi
# what runs under "${ign[@]}" has SIGCHLD (17, bit 16 of SigIgn) ignored
sigign=$("${ign[@]}" sed -n 's/^SigIgn:[[:space:]]*//p' /proc/self/status)
check "the test's starter ignores SIGCHLD (SigIgn $sigign)" test $(( 0x$sigign >> 16 & 1 )) = 1

# (timeout(1) bounds a failure: tach waiting for ever; --timeout is not given)
ign_run() { timeout -s KILL 60 "${ign[@]}" "$TACH" run --no-store --runs 2 --style none "$@" >"$W/out" 2>"$W/err"; }
expect_rc_of() { if [ "$rc" -eq "$1" ]; then ok "$2 (exit $rc)"; else bad "$2: exit $rc, expected $1: $(head -c 300 "$W/err")"; fi; }
ign_run --setup 'exit 3' -- true
rc=$?; expect_rc_of 1 "SIGCHLD ignored: a --setup that exits 3"
check "its exit code is read" grep -qF -- "--setup command 'exit 3' failed with exit code 3" "$W/err"
ign_run --export-json "$W/r.json" -- sh -c 'exit 4'
rc=$?; expect_rc_of 1 "SIGCHLD ignored: a command that exits 4"
jqc "its status is read" r.json '.benchmarks[0].message | startswith("exited with code 4")'
ign_run --export-json "$W/r.json" -- sh -c 'kill -9 $$'
rc=$?; expect_rc_of 1 "SIGCHLD ignored: a command killed by SIGKILL"
jqc "its signal is read" r.json '.benchmarks[0].signal == 9 and .benchmarks[0].status == "crashed"'
ign_run --export-json "$W/r.json" -- true
rc=$?; expect_rc_of 0 "SIGCHLD ignored: a command that succeeds"
jqc "both runs timed" r.json '.benchmarks[0].samples.ns | length == 2'
finish
