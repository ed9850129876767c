#!/usr/bin/env bash
# tach run --timeout: a run whose wall time exceeded the timeout is timed out, also when
# tach saw its end only after the deadline (here: the command stops tach until long past
# it, then tach finds the run ended), and when output streaming into --output pipe keeps
# waking tach's wait.  Neither depends on timing: each run can only take longer than S.
source "$(dirname "$0")/lib.bash"

# The command stops tach (its parent) and ends at once; a process of its own resumes tach
# 1.5 s later, long past the 0.5 s deadline, and tach then sees the run ended.
cat >stop_parent.sh <<'SH'
#!/bin/sh
p=$PPID
(sleep 1.5; kill -CONT "$p") >/dev/null 2>&1 &
kill -STOP "$p"
exit 0
SH
chmod +x stop_parent.sh
trun --runs 1 --warmup 0 --timeout 0.5 --style basic --export-json "$W/late.json" -- ./stop_parent.sh
expect_rc 1 "a run that ended past --timeout 0.5, seen late"
jqc "status timeout, the timeout's message" late.json \
  '.benchmarks[0].status == "timeout" and (.benchmarks[0].message | test("took longer than the timeout of 0.5 s"))'
check "the summary says timeout" grep -q "Status: timeout" "$W/out"

# A command writing without end into the pipe tach reads: still ended at the timeout.
start=$(date +%s)
timeout 30 "$TACH" run --no-store --runs 1 --warmup 0 --timeout 0.3 --output pipe --style none \
  --export-json "$W/pipe.json" -- yes >"$W/out" 2>"$W/err" # bounded: a tach that never ends fails
rc=$?
expect_rc 1 "yes with --output pipe --timeout 0.3"
check "killed at the timeout, not left running" test $(( $(date +%s) - start )) -lt 20
jqc "status timeout" pipe.json '.benchmarks[0].status == "timeout"'

finish
