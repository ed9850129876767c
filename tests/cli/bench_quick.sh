#!/usr/bin/env bash
# bench_quick.sh - `tach bench --quick` runs each benchmark binary in exactly one worker
# process, as docs/bench.md and its --help say: no extra round for a benchmark slowed in
# most of its rounds (one ran, and the quick budget doubled).  tests/fixtures/slowed_rounds.c
# slows `slowed` in 3 of its first 4 rounds, which earns a full run an extra process
# (tests/cli/run_extra_rounds.sh).
source "$(dirname "$0")/lib.bash"
FIX=$TACH_BUILD/tests/fixture_slowed_rounds
if [ ! -x "$FIX" ]; then bad "no fixture binary at $FIX"; finish; fi
mkdir -p .tach
printf '[module "core"]\n    bench = %s --sample-time 500us\n' "$FIX" >.tach/config
if TACH_SLOWED_FILE=$tmp/sf expect 0 "$TACH" bench --quick --report q.md; then
  check "--quick: one worker process completed" \
    jqt '.results.context.settings | .processes == 1 and .processes_completed == 1' q.json
  check "--quick: no extra process in the settings" \
    jqt '.results.context.settings | has("extra_processes") | not' q.json
  check "--quick: slowed ran no more rounds than steady" \
    jqt '[.results.benchmarks[] | .samples.rounds // [0] | unique | length] | length == 2 and .[0] == .[1]' q.json
fi
finish
