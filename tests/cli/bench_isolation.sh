#!/usr/bin/env bash
# bench_isolation.sh - a crashing, a hanging, an aborting, a failing, a skipping, a
# bad-axis, a loop-less and an exiting benchmark beside two healthy ones (tests/fixtures/
# isolation.c): each status is right, the healthy results are kept, the exit status
# is 1, and the hang is killed at --timeout.
BIN="$TACH_BUILD/tests/fixture_isolation"
source "$(dirname "$0")/lib.bash"
quick=(--max-time 0.1 --warmup 0.01 --sample-time 0.0005 --min-samples 5 --quiet)

start=$(date +%s%N)
"$BIN" "${quick[@]}" --timeout 1 --format json --out "$tmp/iso.json" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
end=$(date +%s%N)
check "exit status 1 when benchmarks crash, hang or fail (got $rc)" test "$rc" -eq 1
check "nothing on stdout with --out" test ! -s "$tmp/stdout"
check "the document is valid JSON" jqt . "$tmp/iso.json"

status() { jq -r --arg n "$1" '.benchmarks[] | select(.name == $n) | .status' "$tmp/iso.json"; }
message() { jq -r --arg n "$1" '.benchmarks[] | select(.name == $n) | .message' "$tmp/iso.json"; }
check "twelve results" test "$(jq '.benchmarks | length' "$tmp/iso.json")" -eq 12
check "healthy_first ok" test "$(status iso/healthy_first)" = ok
check "healthy_last ok" test "$(status iso/healthy_last)" = ok
for h in iso/healthy_first iso/healthy_last; do
    check "$h kept its samples (>= 5) and estimates" jqt --arg n "$h" \
        '.benchmarks[] | select(.name == $n) | (.samples.ns | length) >= 5 and .estimates.median.value > 0' \
        "$tmp/iso.json"
done
check "segfault crashed" test "$(status iso/segfault)" = crashed
check "segfault names its signal" test "$(message iso/segfault)" = "killed by signal 11 (SIGSEGV)"
check "segfault carries signal 11" test "$(jq '.benchmarks[] | select(.name == "iso/segfault") | .signal' "$tmp/iso.json")" = 11
check "abort crashed with SIGABRT" test "$(message iso/abort_call)" = "killed by signal 6 (SIGABRT)"
check "hang timed out" test "$(status iso/hang)" = timeout
check "hang's message names the timeout" grep -q "timed out after 1 s" <<<"$(message iso/hang)"
check "fails failed with its reason" test "$(status iso/fails)/$(message iso/fails)" = "failed/input file missing"
check "skips skipped with its reason" test "$(status iso/skips)/$(message iso/skips)" = "skipped/needs AVX-512"
check "bad axis reported failed, not looped" test "$(status iso/bad_axis)" = failed
check "bad axis message names the axis" grep -q "axis 'n'.*multiplier >= 2" <<<"$(message iso/bad_axis)"
check "a benchmark without tach_loop failed" grep -q "without running tach_loop" <<<"$(message iso/no_loop)"
check "a worker exiting without a result failed" test "$(status iso/exits)/$(message iso/exits)" \
    = "failed/the worker exited with status 3 without a result"
check "failed/crashed results have no samples" jqt \
    '[.benchmarks[] | select(.status != "ok") | (.samples.ns // []) | length] | all(. == 0)' \
    "$tmp/iso.json"
# Budget: 2 healthy x 0.1 s, a 1 s timeout, small change; 20 s is far above that and
# far below the default timeout of 60 s the hang would otherwise take.
ms=$(((end - start) / 1000000))
check "the hang was killed at --timeout, not later (took $ms ms)" test "$ms" -lt 20000

# The console table shows every status; a healthy-only selection exits 0.
"$BIN" "${quick[@]}" --timeout 1 --filter 'segfault|skips|healthy_first' >"$tmp/table" 2>/dev/null
rc=$?
check "console run exits 1 (got $rc)" test "$rc" -eq 1
check "table shows the crash" grep -q "crashed: killed by signal 11 (SIGSEGV)" "$tmp/table"
check "table shows the skip" grep -q "skipped: needs AVX-512" "$tmp/table"
"$BIN" "${quick[@]}" --filter 'healthy|skips' >/dev/null 2>&1
check "only ok and skipped: exit 0" test $? -eq 0

# A benchmark printing on stdout in its worker does not corrupt the document there.
"$BIN" "${quick[@]}" --filter chatty --format json >"$tmp/chatty.json" 2>"$tmp/chatty.err"
check "chatty: the document on stdout is still valid" jqt '.benchmarks[0].status == "ok"' "$tmp/chatty.json"
check "chatty: its output, never flushed by the benchmark, went to stderr" \
    grep -q "chatter from the benchmark" "$tmp/chatty.err"

# Text that is not valid UTF-8 from inside a worker: the result arrives, with U+FFFD.
"$BIN" "${quick[@]}" --filter 'bad_bytes|healthy_first' --format json >"$tmp/bytes.json" 2>"$tmp/bytes.err"
rc=$?
check "bad bytes: exit 1 for the failure, not an internal error (got $rc)" test "$rc" -eq 1
check "bad bytes: both results in the document" \
    test "$(jq -r '[.benchmarks[] | .name + ":" + .status] | join(",")' "$tmp/bytes.json")" \
    = "iso/healthy_first:ok,text/bad_bytes:failed"
check "bad bytes: the message keeps its text, the bad byte as U+FFFD" \
    test "$(jq -r '.benchmarks[1].message' "$tmp/bytes.json")" = $'caf\uFFFD \x01broke\nsecond line' # (\$(...) drops the final newline)
"$BIN" "${quick[@]}" --no-isolate --filter bad_bytes --format json >"$tmp/bytes2.json" 2>/dev/null
check "bad bytes: the same message with --no-isolate" test "$(jq -r '.benchmarks[0].message' "$tmp/bytes2.json")" \
    = "$(jq -r '.benchmarks[1].message' "$tmp/bytes.json")"
"$BIN" "${quick[@]}" --filter 'bad_bytes|healthy_first' >"$tmp/bytes.table" 2>/dev/null
check "bad bytes: the table has a header and two rows, one line each" test "$(wc -l <"$tmp/bytes.table")" -eq 3
check "bad bytes: no control byte reaches the table" test -z "$(tr -d '\n' <"$tmp/bytes.table" | tr -d '[:print:]\200-\377')"
check "bad bytes: the row reads on" grep -q 'failed: caf.* broke second line$' "$tmp/bytes.table"

# --no-isolate: everything in this process; failures still reported, no crash run.
"$BIN" "${quick[@]}" --no-isolate --filter 'healthy|fails|skips|bad_axis' --format json \
    >"$tmp/noiso.json" 2>/dev/null
rc=$?
check "--no-isolate exits 1 for a failure (got $rc)" test "$rc" -eq 1
check "--no-isolate statuses" test "$(jq -r '[.benchmarks[].status] | join(",")' "$tmp/noiso.json")" \
    = "ok,failed,skipped,failed,ok"
check "--no-isolate recorded in settings" jqt '.context.settings.isolate == false' "$tmp/noiso.json"

finish
