#!/usr/bin/env bash
# `tach run ./bench_binary`: a libtach binary is recognised (--tach-probe) and driven in
# --processes N worker processes, one after another, each with --format=json --out FILE
# and its share of the time; the samples of all workers are merged per benchmark.
# A wrapper around the fixture logs each worker's arguments and keeps a copy of its
# results, so the test sees exactly what was run and what was merged.
source "$(dirname "$0")/lib.bash"
set -o pipefail
private_store
FIX=$TACH_BUILD/tests/fixture_basic
ISO=$TACH_BUILD/tests/fixture_isolation
if [ ! -x "$FIX" ]; then bad "no fixture binary at $FIX"; finish; fi

cat >wrap.sh <<EOF
#!/bin/bash
# answer the probe as the fixture does; otherwise log the arguments, run the
# fixture, and keep a copy of the results file it wrote
[ "\$1" = --tach-probe ] && exec "$FIX" "\$@"
n=\$(( \$(cat "$W/workers.log" 2>/dev/null | wc -l) + 1 ))
echo "\$*" >> "$W/workers.log"
"$FIX" "\$@"; rc=\$?
out=""; prev=""
for a in "\$@"; do [ "\$prev" = --out ] && out=\$a; prev=\$a; done
cp "\$out" "$W/worker\$n.json"
exit \$rc
EOF
chmod +x wrap.sh

# (--no-extra-rounds: a busy machine slowing most rounds would add workers, and this
# counts them; tests/cli/run_extra_rounds.sh checks the extra ones)
trun --processes 3 --no-extra-rounds --max-time 0.6 --seed 7 --precision 2 --filter 'copy/bytes=64$' --style basic \
  --export-json "$W/b.json" ./wrap.sh
expect_rc 0 "tach run --processes 3 ./wrap.sh (fixture_basic)"
check "three workers ran, one after another" test "$(wc -l <workers.log)" -eq 3
args=$(head -1 workers.log)
for want in "--format=json" "--out " "--quiet" "--filter copy/bytes=64\$" "--max-time 0.2" "--seed 7" "--precision 2"; do
  check "each worker got '$want' (--max-time 0.6 split three ways)" grep -qF -- "$want" <<<"$args"
done
jqc "one benchmark, the one filtered" b.json '(.benchmarks | length) == 1 and .benchmarks[0].name == "copy/bytes=64"'
v=$(jq -n --slurpfile m b.json --slurpfile a worker1.json --slurpfile b worker2.json --slurpfile c worker3.json \
  '$m[0].benchmarks[0].samples.ns == ($a[0].benchmarks[0].samples.ns + $b[0].benchmarks[0].samples.ns + $c[0].benchmarks[0].samples.ns)')
check "the merged samples are the three workers' samples, in order" test "$v" = true
v=$(jq -n --slurpfile m b.json --slurpfile a worker1.json --slurpfile b worker2.json --slurpfile c worker3.json \
  '$m[0].benchmarks[0].samples.iters == ($a[0].benchmarks[0].samples.iters + $b[0].benchmarks[0].samples.iters + $c[0].benchmarks[0].samples.iters)')
check "and their iteration counts" test "$v" = true
# the estimates are recomputed from all the samples: the median of the merged samples
v=$(jq '.benchmarks[0] | (.samples.ns | sort) as $s | ($s | length) as $n |
        (if $n % 2 == 1 then $s[($n - 1) / 2] else ($s[$n / 2 - 1] + $s[$n / 2]) / 2 end) as $med |
        ((.estimates.median.value - $med) | fabs) <= 1e-9 * $med' b.json)
check "the median is the merged samples' median" test "$v" = true
jqc "the settings say 3 processes, all completed" b.json '.context.settings.processes == 3 and .context.settings.processes_completed == 3'
jqc "... and none of the commands' sampling settings (the workers' are worker_settings)" b.json '.context.settings | has("min_runs") or has("min_time_s") or has("max_time_s") or has("warmup") or has("output") | not'
jqc "the document is tach run's, naming the binary" b.json '.context.tool == "tach run" and (.context.executable | test("wrap.sh$"))'
check "the console table is printed" grep -q "copy/bytes=64" "$W/out"

# ---- the default: 3 processes; extra arguments after -- reach every worker ----------------------------------
rm -f workers.log worker*.json
trun --max-time 0.3 --no-extra-rounds --style none ./wrap.sh -- --filter 'arith/sum/n=64/stride=1$'
expect_rc 0 "default --processes with arguments after --"
check "three workers by default" test "$(wc -l <workers.log)" -eq 3
check "the arguments after -- reach each worker" test "$(grep -c 'arith/sum/n=64/stride=1' workers.log)" -eq 3

# ---- the real binary, not wrapped; and one process ------------------------------------------------------------
trun --processes 1 --max-time 0.2 --filter 'copy/bytes=512$' --style none --export-json "$W/one.json" "$FIX"
expect_rc 0 "--processes 1 on the fixture itself"
jqc "one process recorded" one.json '.context.settings.processes == 1 and (.benchmarks[0].samples.ns | length) >= 10'

# ---- failing benchmarks: statuses kept, exit 1 --------------------------------------------------------------
if [ -x "$ISO" ]; then
  trun --processes 2 --max-time 0.4 --timeout 2 --filter 'iso/(healthy_first|segfault|fails|skips)$' --style none \
    --export-json "$W/iso.json" "$ISO"
  expect_rc 1 "a crashing and a failing benchmark fail the run"
  jqc "statuses per benchmark" iso.json '[.benchmarks[] | {(.name): .status}] | add | .["iso/healthy_first"] == "ok" and .["iso/segfault"] == "crashed" and .["iso/fails"] == "failed" and .["iso/skips"] == "skipped"'
  jqc "the healthy one has samples from both workers" iso.json '[.benchmarks[] | select(.name == "iso/healthy_first") | .samples.ns | length >= 20] | all'
  check "--style none: stderr still says which failed, and why" \
    bash -c "grep -q '^tach run: iso/segfault: crashed — ' '$W/err' && grep -q '^tach run: iso/fails: failed — ' '$W/err' && ! grep -q 'iso/skips' '$W/err'"
else
  fail "missing $ISO"
fi

# ---- a worker that refuses its arguments: exit 2, its message shown ------------------------------------------
trun --processes 2 --style none --export-json "$W/x.json" "$FIX" -- --no-such-flag
expect_rc 2 "arguments the binary refuses"
check "the binary's own message is shown" grep -q -- "--no-such-flag" "$W/err"
check "no export written" test ! -e x.json

finish
