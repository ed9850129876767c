#!/usr/bin/env bash
# compare's "What would decide them" note for rows too noisy for a verdict: a benchmark
# binary's rows get more rounds (BENCH_BINARY --rounds 10), a command's rows (tach run -c,
# which has no rounds) more runs of tach run; a mix, both.  Under --metric peak-rss a
# binary's row has one value per run whatever --rounds or --processes (its workers'
# largest): no "--rounds 10", the max_rss ceiling instead.
source "$(dirname "$0")/lib.bash"

mkdoc a.json x/y:noisya:30:1
mkdoc b.json x/y:noisyb:30:1
cmd() { jq '.benchmarks[0].command = "sleep 0.01" | .benchmarks[0].name = "sleep 0.01"
  | del(.benchmarks[0].group, .benchmarks[0].function)' "$1" >"$2"; }
cmd a.json ac.json
cmd b.json bc.json

if expect 0 "$TACH" compare a.json b.json && out_has 'too noisy'; then
  out_has 'BENCH_BINARY --rounds 10' && out_lacks 'tach run --min-runs' && ok "binary rows: more rounds"
fi
if expect 0 "$TACH" compare ac.json bc.json && out_has 'too noisy'; then
  out_lacks 'BENCH_BINARY' && out_has "more runs of each command:  tach run --min-runs 30 'COMMAND'" &&
    ok "command rows: more runs of tach run, no BENCH_BINARY"
fi
# both kinds unstable in one comparison: both lines
jq -s '.[0].benchmarks += .[1].benchmarks | .[0]' a.json ac.json >am.json
jq -s '.[0].benchmarks += .[1].benchmarks | .[0]' b.json bc.json >bm.json
if expect 0 "$TACH" compare am.json bm.json && out_has 'too noisy'; then
  out_has 'BENCH_BINARY --rounds 10' && out_has 'tach run --min-runs 30' && ok "a mix: both"
fi
# peak-rss: a binary's peak RSS is one value (memory.peak_rss_bytes), rounds or not
jq '.benchmarks[0].memory = {allocs_per_iter: 1, bytes_per_iter: 16, peak_bytes: 16, net_growth_per_iter: 0, leak: false, iterations: 48, peak_rss_bytes: 2097152, method: "interpose"}' a.json >ar.json
jq '.benchmarks[0].memory = {allocs_per_iter: 1, bytes_per_iter: 16, peak_bytes: 16, net_growth_per_iter: 0, leak: false, iterations: 48, peak_rss_bytes: 3145728, method: "interpose"}' b.json >br.json
if expect 0 "$TACH" compare --metric peak-rss ar.json br.json && out_has 'not testable \(1 sample\)'; then
  out_lacks '--rounds 10' && out_has 'one value per run' && out_has 'set max_rss in \.tach/config' &&
    ok "peak-rss of a binary: no --rounds advice, the max_rss ceiling"
  # the line names no unit the cells are not in: it said 'peak-rss (KiB)' above 2.00 MiB
  out_has '^metric: peak-rss \(peak resident set size\)$' && out_lacks 'KiB' &&
    out_has '^x/y +2\.00 MiB +3\.00 MiB ' && ok "peak-rss: the metric line's unit is the cells'"
fi
finish
