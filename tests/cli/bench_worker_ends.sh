#!/usr/bin/env bash
# bench_worker_ends.sh - a worker ended by the benchmark itself with exit(0), _exit(0) or
# a SIGTERM it raised (tests/fixtures/worker_ends.c): each reported as what happened, the
# healthy result kept, run directly and under `tach run`.
BIN="$TACH_BUILD/tests/fixture_worker_ends"
source "$(dirname "$0")/lib.bash"
quick=(--max-time 0.1 --warmup 0.01 --sample-time 0.0005 --min-samples 5 --quiet --timeout 10)

"$BIN" "${quick[@]}" --format json --out "$tmp/ends.json" >/dev/null 2>&1
rc=$?
check "exit status 1 (got $rc)" test "$rc" -eq 1
message() { jq -r --arg n "$1" '.benchmarks[] | select(.name == $n) | "\(.status)/\(.message)"' "$tmp/ends.json"; }
check "the healthy one is ok" test "$(message ends/healthy)" = "ok/null"
check "exit(0) in the loop: the exit status named, not a garbled result ($(message ends/exit_zero))" \
    test "$(message ends/exit_zero)" = "failed/the worker exited with status 0 without a result"
check "_exit(0) before the loop: the same ($(message ends/underscore_exit_zero))" \
    test "$(message ends/underscore_exit_zero)" = "failed/the worker exited with status 0 without a result"
check "a SIGTERM it raised is a crash, not an interrupt of the run" \
    test "$(message ends/raises_sigterm)" = "crashed/killed by signal 15 (SIGTERM)"
check "the document is whole, not partial" jqt '.partial == false and (.benchmarks | length) == 4' "$tmp/ends.json"

"$TACH" run --no-store --bench-time 0.2 --processes 1 --style none --export-json "$tmp/run.json" "$BIN" >/dev/null 2>"$tmp/run.err"
rc=$?
check "tach run: exit status 1 (got $rc)" test "$rc" -eq 1
check "tach run: the same messages" jqt '[.benchmarks[] | .message] ==
    [null, "the worker exited with status 0 without a result",
     "the worker exited with status 0 without a result", "killed by signal 15 (SIGTERM)"]' "$tmp/run.json"

# A benchmark that crashes in its first worker process only (tests/fixtures/
# crash_once.c): crashed, and without samples, whether its rounds ran in one binary
# or in tach run's worker processes (no median beside "crashed" from the others).
ONCE="$TACH_BUILD/tests/fixture_crash_once"
TACH_TEST_CRASH_MARK="$tmp/mark1" "$ONCE" "${quick[@]}" --rounds 3 --format json --out "$tmp/once.json" >/dev/null 2>&1
check "directly: crashed without samples, the other ok" jqt '[.benchmarks[] | [.status, (.samples.ns | length > 0)]]
    == [["crashed", false], ["ok", true]]' "$tmp/once.json"
TACH_TEST_CRASH_MARK="$tmp/mark2" "$TACH" run --no-store --processes 2 --no-extra-rounds --bench-time 0.2 \
    --style none --export-json "$tmp/once_run.json" "$ONCE" -- --rounds 1 >/dev/null 2>&1
rc=$?
check "tach run: exit status 1 (got $rc)" test "$rc" -eq 1
check "tach run: crashed without samples, the other ok" jqt '[.benchmarks[] | [.status, (.samples.ns | length > 0)]]
    == [["crashed", false], ["ok", true]] and .benchmarks[0].estimates == null' "$tmp/once_run.json"

# A program that ignores SIGCHLD (tests/fixtures/sigchld_ignored.c): the workers are
# still waited for, so a segfault is the signal and an exit its status.
"$TACH_BUILD/tests/fixture_sigchld_ignored" "${quick[@]}" --format json --out "$tmp/chld.json" >/dev/null 2>&1
check "SIGCHLD ignored: each status as it was" jqt '[.benchmarks[] | "\(.status)/\(.message)"] ==
    ["ok/null", "crashed/killed by signal 11 (SIGSEGV)",
     "failed/the worker exited with status 3 without a result", "ok/null"]' "$tmp/chld.json"
# A benchmark that forks and whose child returns instead of calling _exit, from the body
# or from .setup (tests/fixtures/fork_return.c): the child ends there, quietly, with
# status 0 (the parent fails the benchmark otherwise); it does not go on running the
# runner, which sent a second result down the worker's pipe (the worker then died of
# SIGPIPE) and, with --no-isolate, ran the rest of the run again: two documents.
FORK="$TACH_BUILD/tests/fixture_fork_return"
for mode in isolated --no-isolate; do
  extra=(); [ "$mode" = isolated ] || extra=("$mode")
  if expect 0 "$FORK" "${quick[@]}" --rounds 2 "${extra[@]}" --format json; then
    check "fork, $mode: one document, each benchmark once and ok" \
      jqt -s 'length == 1 and ([.[0].benchmarks[] | [.name, .status, .message]]
        == [["fork/in_body", "ok", null], ["fork/in_setup", "ok", null]])' "$tmp/out"
  else
    fail "fork, $mode: $(head -c 300 "$tmp/err")"
  fi
done
finish
