#!/usr/bin/env bash
# threads_scaling.sh - thread sweeps of a benchmark binary (tests/fixtures/scaling.c):
# .threads = {1, 2} and --threads LIST make one result per thread count, each sample
# runs the body in N threads; the document's "scaling" array has per-N throughput,
# speedup, efficiency, spread and CPU, the USL fit and the targets; bad lists exit 2.
#
# Efficiency itself is a figure, not a check: the machine may be busy (on a saturated
# machine a parallel kernel's wall-clock efficiency at N = 2 falls to the mutex kernel's).
# Asserted: the structure, what follows from it, and what no load can make: the kernel
# serialised on a mutex puts its threads to sleep (voluntary context switches), the
# parallel one does not.
source "$(dirname "$0")/lib.bash"
BIN=$TACH_BUILD/tests/fixture_scaling
cd "$tmp" || exit 1
quick=(--max-time 0.2 --min-time 0.02 --rounds 1 --quiet)

# Two rounds: N = 1 and N = 2 run back to back in each, and the speedup is the median of
# the per-round ratios.
if expect 0 "$BIN" --max-time 0.4 --min-time 0.02 --rounds 2 --quiet --format json --out s.json; then
  check "one result per benchmark and thread count" \
    jqt '[.benchmarks[].name] == ["parallel/threads=1", "parallel/threads=2", "serialised/threads=1", "serialised/threads=2"]' s.json
  check "each result carries its thread count as a parameter and counter" \
    jqt 'all(.benchmarks[]; (.params.threads | tonumber) == .counters.threads)' s.json
  check "thread_spread and cpu_utilization are measured" \
    jqt 'all(.benchmarks[]; .counters.thread_spread >= 0 and .counters.cpu_utilization > 0)' s.json
  check "two sweeps" jqt '[.scaling[].sweep] == ["parallel/threads=*", "serialised/threads=*"]' s.json
  check "per N: total = N x per-thread throughput, speedup 1 and efficiency 1 at N = 1" \
    jqt 'all(.scaling[].points[]; (.ops_per_second - .threads * .ops_per_second_per_thread | fabs) < 1e-6 * .ops_per_second) and all(.scaling[]; .points[0].speedup == 1 and .points[0].efficiency == 1)' s.json
  check "efficiency = speedup / N" jqt 'all(.scaling[].points[]; (.efficiency - .speedup / .threads | fabs) < 1e-12)' s.json
  # (two thread counts: alpha alone, beta null: not fitted; or alpha = 1 and beta when the throughput fell)
  check "a USL fit with CIs on each sweep, alpha in [0, 1]" \
    jqt 'all(.scaling[]; .usl.alpha >= 0 and .usl.alpha <= 1 and .usl.alpha_ci_high <= 1 and .usl.alpha_ci_low <= .usl.alpha_ci_high and (.usl.beta == null or .usl.alpha == 1))' s.json
  check "targets from the definitions: min_efficiency 0.01, max_alpha 0.5" \
    jqt '(.scaling[0].min_efficiency == 0.01) and (.scaling[1].max_alpha == 0.5)' s.json
  check "the sweep's CPU count is the machine's" jqt '.scaling[0].cpus == .context.cpus' s.json
  ok "thread sweep document"
  check "the speedup at N = 2 pairs the two rounds" jqt 'all(.scaling[]; .points[1].speedup_rounds == 2)' s.json
  check "at N = 1 the speedup and the efficiencies are 1" \
    jqt 'all(.scaling[].points[0]; .speedup == 1 and .cpu_efficiency == 1)' s.json
  check "the CPU time per operation and the CPU efficiency are measured" \
    jqt 'all(.scaling[].points[]; .cpu_ns_per_op > 0 and .cpu_efficiency > 0)' s.json
  if [ -r /proc/thread-self/schedstat ]; then
    check "the run-queue wait and blocked shares are in [0, 1], the net efficiency is a number" \
      jqt 'all(.scaling[].points[]; .runq_wait >= 0 and .runq_wait <= 1 and .blocked >= 0 and .blocked <= 1 and (.efficiency_net | type) == "number")' s.json
  fi
  check "the mutex kernel's threads sleep on the lock at N = 2" \
    jqt '(.scaling[] | select(.sweep == "serialised/threads=*") | .points[1].sleeps_per_ms) > 0' s.json
  check "the parallel kernel's threads sleep less than the mutex kernel's" \
    jqt '([.scaling[] | .points[1].sleeps_per_ms] | .[0] < .[1])' s.json
  ok "paired rounds, CPU efficiency and the lock's sleeps"
fi

# --threads overrides the definitions'; past the CPUs the sweep says so.
cpus=$(nproc)
over=$((cpus + 1))
if expect 0 "$BIN" "${quick[@]}" --filter '^parallel' --threads "1,$over" --format json --out o.json; then
  check "--threads 1,$over: two results" jqt '[.benchmarks[].name] == ["parallel/threads=1", "parallel/threads='"$over"'"]' o.json
  check "a sweep past the CPUs is marked oversubscribed" jqt '.scaling[0].oversubscribed == true' o.json
  ok "--threads LIST"
fi
expect 0 "$BIN" "${quick[@]}" --filter '^parallel' --threads "1,$over" && out_has 'goes past this machine' && ok "the console says the sweep goes past the CPUs"

# gate checks the targets: min_efficiency 1.5 cannot be met, max_alpha huge always is.
mkdir -p .tach
printf '[bench "parallel/*"]\nmin_efficiency = 1\nmax_alpha = 1000\n' > .tach/config
if expect 1 "$TACH" gate --format json s.json s.json; then
  out_jq '.benchmarks[] | select(.name == "parallel/threads=2") | .targets | map(.name) | sort == ["max_alpha", "min_efficiency"]'
  out_jq '.benchmarks[] | select(.name == "serialised/threads=2") | .targets[] | select(.name == "max_alpha") | .limit == 0.5'
  ok "gate checks min_efficiency (config) and max_alpha (definition and config)"
fi
rm -rf .tach

# A sweep without N = 1 has no speedup, efficiency or USL fit (all against N = 1): the
# console printed "speedup nan, efficiency nan%" and a bare "MISSED"; the reports "nan"
if expect 0 "$BIN" "${quick[@]}" --threads 2,3 --format json --out no1.json; then
  check "no N = 1: speedup and efficiency null" \
    jqt 'all(.scaling[].points[]; .speedup == null and .efficiency == null)' no1.json
fi
if expect 0 "$BIN" "${quick[@]}" --threads 2,3; then
  out_lacks 'nan'
  out_has '^    N=2 .* speedup -, efficiency -, '
  out_has '^    no N=1 point: speedup, efficiency and the USL fit are against N = 1'
  out_has '^    target efficiency >= 0\.01 at N=3: MISSED \(nothing measured: no N=1 point\)$'
  out_has '^    target alpha <= 0\.5: MISSED \(nothing measured: no N=1 point\)$'
  ok "no N = 1: the console says so, no nan"
fi
for fmt in markdown html; do
  if expect 0 "$TACH" report --format $fmt no1.json; then
    out_lacks 'nan'
    out_has 'no N = 1 point: no speedup, efficiency or USL fit'
    ok "no N = 1: the $fmt report shows - and says why"
  fi
done
# gate said only "nothing measured" for the targets of such a sweep: it says why too.
if expect 1 "$TACH" gate no1.json no1.json; then
  out_has '^  parallel/threads=3: min_efficiency 1\.0%, nothing measured: no N = 1 point \(add 1 to the thread counts\)$'
  out_has '^  serialised/threads=3: max_alpha 0\.5, nothing measured: no N = 1 point \(add 1 to the thread counts\)$'
  ok "no N = 1: gate says why the targets have nothing measured"
fi

# Two thread counts fit alpha alone: beta was printed "0 (0 to 0)" as if fitted, and the
# document's beta was 0. A hand-made sweep (every sample 250 ns at N = 1, 312.5 at N = 2:
# 4 M/s and 6.4 M/s, C = 1.6, alpha 0.25) and the rates in the tables' one rule (6.40
# M/s beside 3.20, not "6.4 M/s").
if [ -f s.json ]; then
  jq '.benchmarks |= map(select(.name | startswith("parallel/"))
        | (.params.threads | tonumber) as $n | .samples.ns |= map(if $n == 1 then 250 else 312.5 end))
      | del(.scaling)' s.json > two.json
  if expect 0 "$TACH" convert two.json --to console; then
    out_has '^    USL alpha 0\.25 \(95% CI 0\.25 to 0\.25\), beta not fitted \(2 thread counts\)$'
    out_has '^    N=1   4\.00 M/s total, 4\.00 M/s per thread, '
    out_has '^    N=2   6\.40 M/s total, 3\.20 M/s per thread, speedup 1\.60, '
    ok "two thread counts: beta not fitted, rates with the tables' digits"
  fi
  if expect 0 "$TACH" convert two.json --to json; then
    out_jq '.scaling[0].usl | .alpha == 0.25 and .beta == null and .beta_ci_low == null and .beta_ci_high == null'
  fi
  if expect 0 "$TACH" report --format markdown two.json; then
    out_has 'USL α = 0\.25 \[0\.25, 0\.25\], β not fitted \(2 thread counts\)'
    out_has '^\| 2 \| 6\.40 M/s \| 3\.20 M/s \| 1\.60 \| '
  fi
fi

# One thread count (--threads 1): no sweep, and the targets were dropped — neither shown
# nor checked, and gate passed on "no target missed". Shown and counted as not checked.
if expect 0 "$BIN" "${quick[@]}" --threads 1 --format json --out one.json; then
  check "--threads 1: no scaling entry" jqt '(.scaling // []) == []' one.json
fi
if expect 0 "$BIN" "${quick[@]}" --threads 1; then
  out_has '^  parallel/threads=1: one thread count: no scaling measured$'
  out_has '^    target efficiency >= 0\.01: not checked$'
  out_has '^    target alpha <= 0\.5: not checked$'
  ok "one thread count: the console shows the targets not checked"
fi
if expect 0 "$TACH" gate one.json one.json; then
  out_has '^targets not checked \(2\):$'
  out_has '^  parallel/threads=1: min_efficiency 1\.0%, not checked: one thread count: no scaling measured$'
  out_has '^  serialised/threads=1: max_alpha 0\.5, not checked: one thread count: no scaling measured$'
  err_has '2 targets not checked'
  ok "one thread count: gate lists the scaling targets not checked"
fi

# blanks and a sign too, as a suite's lists refuse them (' 1', '1, 2' and +2 ran as 1,2)
for bad in 0 1,1 a,2 1, 2000 1,2,3,4,5,6,7,8,9 ' 1' '1, 2' +2 '1,-2'; do
  expect 2 "$BIN" --threads "$bad" --list && err_has "--threads" && ok "--threads '$bad' is refused"
done
finish
