#!/usr/bin/env bash
# memory_child.sh - the memory pass's counting process (docs/memory.md) does not cost
# the benchmark its timings, with tests/fixtures/mem_child.c:
#   - a counting process that hangs before main (TACH_TEST_MEM_CHILD=hang): it gets
#     what is left of the worker's --timeout, less a margin, then is killed; the
#     benchmark is ok with its samples and the memory block says "the counting process
#     did not answer within N s" (before: "timed out after 1 s (worker killed)", no
#     timing); the process is gone afterwards;
#   - one that exits with status 2 (what another program given tach's arguments does):
#     the message names that cause (tach_main's arguments, a host program, a trimmed
#     argv);
#   - tach ab --metric allocs against a side whose counting fails: each row failed on
#     that side, its reason named, exit 1 (it was exit 2, "no benchmark counted", and a
#     row "no count" exit 0 beside a benchmark counted on both);
#   - the timed samples do not see the counting allocator's memfd among their
#     descriptors (fds_clean fails when they do); its memory is still counted.
# Under AddressSanitizer no counting process is started: skipped.
source "$(dirname "$0")/lib.bash"
if [ "${TACH_TEST_SANITIZE:-OFF}" = ON ]; then echo "memory counting unavailable under ASan: skipped"; exit 77; fi
quick=(--max-time 0.05 --warmup 0.005 --sample-time 0.0002 --min-samples 4 --rounds 2 --quiet)
F="$TACH_BUILD/tests/fixture_mem_child"

TACH_TEST_MEM_CHILD=hang TACH_TEST_MEM_PIDFILE="$tmp/pid" \
    expect 0 "$F" "${quick[@]}" --memory --timeout 1 --format json --filter spin
out_jq '.benchmarks[0] | .status == "ok" and (.samples.ns | length) >= 4 and .estimates.median > 0'
out_jq '.benchmarks[0].memory | (.unavailable | test("^memory counting unavailable: the counting process did not answer within [0-9.]+ s \\(what the timeout left: a slow main or .setup, or it runs /proc/self/exe again with the arguments tach_main got"))
        and (has("allocs_per_iter") | not) and .peak_rss_bytes > 0'
pid=$(cat "$tmp/pid" 2>/dev/null)
if [ -n "$pid" ]; then
    ended() { ! kill -0 "$pid" 2>/dev/null; }
    # (a killed process still needs CPU time to exit: 60 s on a loaded machine)
    if ! within 60 ended; then fail "the counting process $pid still runs"; kill -9 "$pid"; else ok "the counting process is gone"; fi
else
    fail "the counting process did not start"
fi

TACH_TEST_MEM_CHILD=exit2 expect 0 "$F" "${quick[@]}" --memory --format json --filter spin
out_jq '.benchmarks[0] | .status == "ok" and .estimates.median > 0'
out_jq '.benchmarks[0].memory.unavailable | test("^memory counting failed: the counting process exited with status 2 and no answer \\(it runs /proc/self/exe again with the arguments tach_main got: called from a host program or with a trimmed argv")'

# tach ab --metric allocs with NEW's counting process failing for every benchmark: a
# count that failed is a benchmark failed on that side (exit 1), the row names the side
# and the reason, as tach gate fails it (docs/memory.md)
printf '#!/bin/sh\nTACH_TEST_MEM_CHILD=exit2 exec "%s" "$@"\n' "$F" >"$tmp/new.sh"
chmod +x "$tmp/new.sh"
if expect 1 "$TACH" ab --metric allocs "$F" "$tmp/new.sh"; then
  out_has '^fds_clean +1 +failed +- +failed \(NEW\); NEW: memory counting failed: the counting process exited with status 2 and no answer'
  out_lacks 'no count'
  out_has 'benchmarks failed, not judged: exit status 1'
  ok "ab --metric allocs, NEW's count failed: failed on NEW, the reason named (exit 1)"
fi
expect 1 "$TACH" ab --metric allocs --format json "$F" "$tmp/new.sh" &&
  out_jq '.benchmarks[] | select(.name == "fds_clean") | .verdict == "failed" and .failed == ["NEW"]
          and (.why | startswith("NEW failed: memory counting failed: the counting process exited with status 2"))' &&
  ok "ab --metric allocs --format json: the failed count's side and reason"

expect 0 "$F" "${quick[@]}" --memory --format json --filter fds_clean
out_jq '.benchmarks[0] | .status == "ok" and .memory.allocs_per_iter == 1 and .memory.bytes_per_iter == 32'
finish
