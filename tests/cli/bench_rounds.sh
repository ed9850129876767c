#!/usr/bin/env bash
# bench_rounds.sh - --rounds: each benchmark is measured in N rounds, one worker
# process each, interleaved with the other benchmarks' rounds (tests/fixtures/
# rounds.c leaves a "NAME PID" trace per sample); samples and counters of the rounds
# are merged; a benchmark that crashes in a later round is reported crashed.
BIN="$TACH_BUILD/tests/fixture_rounds"
source "$(dirname "$0")/lib.bash"
quick=(--max-time 0.2 --min-time 0.02 --warmup 0.01 --sample-time 0.0005 --min-samples 8 --quiet)

# The order in which benchmarks first ran in each process: "first second first ...".
order() { awk '!seen[$2]++ { printf "%s ", $1 }' "$1"; }
pids() { awk -v n="$1" '$1 == n { print $2 }' "$2" | sort -u | wc -l; }

# Default: 4 rounds, interleaved, a worker each.
TACH_TRACE=$tmp/t4 "$BIN" "${quick[@]}" --filter '^(first|second)$' --format json --out "$tmp/r4.json"
rc=$?
check "default rounds: exit 0 (got $rc)" test "$rc" -eq 0
check "settings.rounds is 4 by default" jqt '.context.settings.rounds == 4' "$tmp/r4.json"
check "rounds interleaved: first second x4 (got '$(order "$tmp/t4")')" \
    test "$(order "$tmp/t4")" = "first second first second first second first second "
check "first ran in 4 worker processes" test "$(pids first "$tmp/t4")" -eq 4
check "second ran in 4 worker processes" test "$(pids second "$tmp/t4")" -eq 4
check "samples of all rounds merged: >= min-samples, one iteration count" jqt \
    'all(.benchmarks[]; .status == "ok" and (.samples.ns | length) >= 8
         and (.samples.iters | unique | length) == 1)' "$tmp/r4.json"
check "a counter is the mean over the rounds' samples (strictly between 0 and 1)" jqt \
    '.benchmarks[] | select(.name == "first") | .counters.later_round > 0 and .counters.later_round < 1' \
    "$tmp/r4.json"

# --rounds 1: one worker per benchmark, one after the other.
TACH_TRACE=$tmp/t1 "$BIN" "${quick[@]}" --rounds 1 --filter '^(first|second)$' --format json --out "$tmp/r1.json"
check "--rounds 1: exit 0" test $? -eq 0
check "--rounds 1: first then second (got '$(order "$tmp/t1")')" test "$(order "$tmp/t1")" = "first second "
check "--rounds 1: settings.rounds 1" jqt '.context.settings.rounds == 1' "$tmp/r1.json"
check "--rounds 1: the counter from one process is 0" jqt \
    '.benchmarks[] | select(.name == "first") | .counters.later_round == 0' "$tmp/r1.json"

# --no-isolate --rounds 3: one process, the rounds still interleaved.
TACH_TRACE=$tmp/tn "$BIN" "${quick[@]}" --no-isolate --rounds 3 --filter '^(first|second)$' --format json --out "$tmp/rn.json"
check "--no-isolate: exit 0" test $? -eq 0
check "--no-isolate: one process" test "$(awk '{print $2}' "$tmp/tn" | sort -u | wc -l)" -eq 1
check "--no-isolate --rounds 3: first second x3 in time order" \
    test "$(awk '$1 != prev { printf "%s ", $1; prev = $1 }' "$tmp/tn")" = "first second first second first second "

# A crash in the second round: crashed, no samples; the others keep all their rounds.
TACH_TRACE=$tmp/tc TACH_CRASH_LATE=1 "$BIN" "${quick[@]}" --format json --out "$tmp/rc.json"
rc=$?
check "a crash in a later round: exit 1 (got $rc)" test "$rc" -eq 1
check "late_crash crashed with SIGSEGV, no samples" jqt \
    '.benchmarks[] | select(.name == "late_crash") | .status == "crashed" and .signal == 11
     and ((.samples.ns // []) | length) == 0' "$tmp/rc.json"
check "late_crash was not run again after its crash" test "$(pids late_crash "$tmp/tc")" -eq 1
check "the others ok, from 4 processes each" \
    test "$(jq -r '[.benchmarks[] | select(.name != "late_crash") | .status] | join(",")' "$tmp/rc.json")" = "ok,ok" \
    -a "$(pids first "$tmp/tc")" -eq 4

# Bad values: exit 2, named.
for v in 0 1001 x 2.5 -1; do
    "$BIN" --rounds "$v" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    check "--rounds $v -> exit 2 (got $rc), value named" test "$rc" -eq 2 -a -n "$(grep -F -- "'$v'" "$tmp/err")"
done

finish
