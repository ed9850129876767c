#!/usr/bin/env bash
# ab_binaries.sh - `tach ab` on two libtach benchmark binaries (recognised by
# --tach-probe): per-benchmark verdicts from paired workers.  tests/fixtures/ab_cost.c
# makes ab/madd 3x slower when started as "slow_ab_cost" (a symlink) and keeps
# ab/steady the same, so: regressed overall (exit 1), ab/madd regressed, ab/steady never
# regressed (judged with --noise 10: the two program names differ, and with them, a
# little, the memory layout).  Also: a binary against itself, --filter, and mixing a binary with a command.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
fix="$TACH_BUILD/tests/fixture_ab_cost"
[ -x "$fix" ] || { fail "missing $fix"; finish; }
ln -s "$fix" "$tmp/slow_ab_cost"
cd "$tmp"

if expect 1 "$TACH" ab --noise 10 --worker-time 0.05 --max-time 120 --format json "$fix" ./slow_ab_cost; then
  out_jq '.kind == "binary" and .metric == null and .verdict == "regressed"'
  out_jq '.benchmarks[] | select(.name == "ab/madd") | .verdict == "regressed" and .change > 1 and .change < 3'
  out_jq '.benchmarks[] | select(.name == "ab/steady") | .verdict != "regressed" and .verdict != "improved"'
  ok "3x slower benchmark: regressed (exit 1); the unchanged one is not"
fi
if expect 0 "$TACH" ab --worker-time 0.05 --max-time 60 --noise 50 --filter steady "$fix" "$fix"; then
  out_has '^benchmark .* verdict$'
  out_has '^ab/steady '
  out_lacks '^ab/madd '
  out_has '^verdict: (no difference|undecided)$'
  ok "a binary against itself, --filter: no regression, exit 0"
fi
# Each worker of a libtach >= 0.2 binary runs one round (--rounds 1 --min-time 0): the
# rounds fixture leaves one trace line per sample with its pid, so the benchmark ran in
# exactly one process per worker: 2 x (pairs + 1 warm-up pair).
rounds_fix="$TACH_BUILD/tests/fixture_rounds"
if TACH_TRACE="$tmp/trace" expect 0 "$TACH" ab --worker-time 0.02 --max-time 2 --warmup 1 --format json \
  --filter '^first$' "$rounds_fix" "$rounds_fix"; then
  pairs=$(jq .pairs "$tmp/out")
  procs=$(awk '{ print $2 }' "$tmp/trace" | sort -u | wc -l)
  if [ "$procs" -eq $((2 * (pairs + 1))) ]; then ok "one round per worker ($procs processes for $pairs pairs + 1)"
  else fail "workers ran $procs processes for $pairs pairs + 1 warm-up pair (want $((2 * (pairs + 1))))"; fi
fi
# A hanging benchmark is timed out by the binary (--timeout bounds one benchmark) and the
# others are still judged: the whole binary was killed at --timeout, every result lost
# ("the OLD binary timed out after 1 s", exit 1).
iso="$TACH_BUILD/tests/fixture_isolation"
if expect 0 "$TACH" ab --timeout 1 --worker-time 0.02 --total-time 1 --warmup-pairs 0 --format json \
  --filter 'healthy_first|hang$' "$iso" "$iso"; then
  out_jq '.pairs >= 1 and ([.benchmarks[].name] == ["iso/healthy_first"])'
  ok "a hanging benchmark times out, the healthy one is judged"
fi
check "the binary was not killed whole" bash -c "! grep -qF 'timed out' '$tmp/err'"
expect 2 "$TACH" ab "$fix" 'sleep 0' && err_has "OLD is a benchmark binary but NEW is a command" && ok "binary vs command"
expect 2 "$TACH" ab --metric cpu "$fix" "$fix" && err_has "--metric applies to commands only" && ok "--metric with binaries"
expect 2 "$TACH" ab --worker-time 0.05 --filter '^nothing$' "$fix" "$fix" && err_has "no benchmark measured" && ok "--filter matching nothing"
finish
