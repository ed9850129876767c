#!/usr/bin/env bash
# certify_counted.sh - tach certify on a run that counted instructions (instruction mode,
# docs/instructions.md): judged by its counts, in their terms.  The documents are
# tests/cli/data/metric_counted_{base,new}.json (a benchmark binary's counts; NEW counts
# 5% more instructions in parse/small) and a command run made from them.
source "$(dirname "$0")/lib.bash"
cd "$tmp" || exit 1
cp "$DATA/metric_counted_base.json" base.json
cp "$DATA/metric_counted_new.json" new.json

# The comparison is of the counts: the 5% more instructions is a regression (it compared
# times the documents do not have: "None among 0 compared benchmarks").
if expect 0 "$TACH" certify new.json --baseline base.json; then
  out_has '^\| Benchmark \| Change of the count \| Severity \|$'
  out_has '^\| `parse/small` \| \+5\.0% \| warning \|$'
  out_has '^\| Regressions \| 0/100 \| 1 of [12] compared benchmarks? regressed'
  out_has '^- explain or fix 1 regression below the critical threshold$'
  out_lacks 'None among 0 compared|\[n/a, n/a\]'
fi

# What was run and how: the counting method, not the time sampler's (calibration,
# bootstrap CIs of times, Tukey fences); stability and precision are not a count's.
for args in "new.json --baseline base.json" "new.json --no-compare"; do
  # shellcheck disable=SC2086
  expect 0 "$TACH" certify $args || continue
  out_has '^- Metric: instructions \(instructions/iter\), counted under Valgrind'
  out_has '^- Counting: each benchmark once under Valgrind.s callgrind, counting only inside the measured region'
  out_has '^- Estimates: one exact value per benchmark: a count has no sampling error'
  out_lacks '^- (Calibration|Samples|Outliers|Processes):|bootstrap|Tukey'
  out_has '^Not judged by CV: a count has no spread: the same binary gives the same count\.$'
  out_lacks 'every coefficient of variation'
  out_has '^\| Stability \| n/a \| not judged by CV: a count has no spread \|$'
  out_has '^\| Precision \| n/a \| no precision target: a count is exact \|$'
done

# The environment warnings that concern timing only (busy machine, frequency scaling,
# virtual machine, coarse timer) do not apply to a count: listed apart as such, neither a
# condition nor a point off the Environment score; a Debug build does apply (it changes
# the code counted).
jq '.context.virtualization = "kvm" | .context.load_avg = [9.5, 3, 2] | .context.governor = "powersave"
    | .context.timer = {resolution_ns: 1000} | .context.build_type = "Debug"' new.json >busy.json
for fmt in md html; do
  expect 0 "$TACH" certify busy.json --baseline base.json --format $fmt || continue
  out_has 'Recorded, but not applying to a count \(they concern timing'
  out_lacks 'environment: (busy machine|virtual machine|frequency scaling|coarse timer)'
  out_has 'environment: debug build'
done
expect 0 "$TACH" certify busy.json --baseline base.json &&
  out_has '^\| Environment \| 75/100 \| 1 environment warning; 4 more that concern timing only, not a count \|$'
# a timed run keeps every one as a condition
jq '.context.virtualization = "kvm" | .context.load_avg = [9.5, 3, 2]' "$DATA/suite_crypto_run.json" >busy_timed.json
if expect 0 "$TACH" certify busy_timed.json --no-compare; then
  out_has '^- environment: busy machine: '
  out_has '^- environment: virtual machine \(kvm\)'
  out_lacks 'not applying to a count'
fi

# A command counted whole (tach run --metric instructions): once, the whole process and
# its children, not the 2N-N difference of a benchmark binary's measured region.
jq '.context.tool = "tach run" | .benchmarks[] |= (.command = "./tool " + .name
      | .instructions.iterations = 1 | .instructions.loop_overhead = 0)' new.json >cmd.json
if expect 0 "$TACH" certify cmd.json --no-compare; then
  out_has '^- Counting: each command run once under Valgrind.s callgrind, counted whole from its first instruction to its exit, its child processes included'
  out_lacks '2N|measured region'
fi
if expect 0 "$TACH" report cmd.json --no-compare; then
  out_has '^- \*\*Counting\*\*: each command run once under Valgrind.s callgrind, counted whole'
fi
finish
