#!/usr/bin/env bash
# Times far past any real run (1e300 ns, read from a file) are shown with their unit,
# %g-style: "1e+291 s", not some hundred digits that the column's buffer cut before the
# unit; a change of such size is "+1e+301%", not digits without the "%"; the same for
# bytes per iteration and a counter's time (TiB, s).  Seconds below 1e15 s are whole
# digits, not %g: a two-week soak reads 1209600 s.  And the
# input limit of 1 byte is said in the singular.
source "$(dirname "$0")/lib.bash"

mkdoc small.json x/y:steady:5:1
mkdoc big.json x/y:steady:5:1e298
if expect 0 "$TACH" convert big.json --to console; then
  out_has '^x/y +1(\.[0-9]+)?e\+291 s ' && out_lacks '[0-9]{20}' && ok "console: 1e300 ns as 1e+291 s, with its unit"
fi
if expect 0 "$TACH" compare small.json big.json; then
  out_has '^x/y .* 1(\.[0-9]+)?e\+291 s +\+[0-9.]+e\+[0-9]+% ' && out_lacks '[0-9]{20}' &&
    ok "compare: the time with its unit, the change %g-style with its %"
fi
# The same for memory and counter cells: 1e300 bytes per iteration and 1e300 ns of
# task-clock read from a file, with their units.
jq '.benchmarks[0] += {memory: {allocs_per_iter: 1, bytes_per_iter: 1e300, peak_bytes: 1e300,
      net_growth_per_iter: 0, leak: false, iterations: 16, peak_rss_bytes: null, method: "interpose"},
    counters_hw: {events: {"task-clock": {per_iter: 1e300, scaled: false}}, unavailable: {}}}' \
  small.json >mem.json
if expect 0 "$TACH" convert mem.json --to console; then
  out_has '^x/y .* +1 +9\.09e\+287 TiB +9\.09e\+287 TiB +1(\.[0-9]+)?e\+291 s ' && out_lacks '[0-9]{20}' &&
    ok "console: 1e300 bytes/iter as 9.09e+287 TiB, 1e300 ns of task-clock as 1e+291 s"
fi
# Seconds up to 1e15 s are whole digits: a run of 2e15 ns is "2000000 s", and a soak of
# two weeks that stopped at 1205000 s says so, not "1.21e+06 s of 1.21e+06 s" (as if it
# were whole); its interval of 1e6 s too, not "1e+06 s".
mkdoc long.json x/y:steady:5:2e13
if expect 0 "$TACH" convert long.json --to console; then
  out_has '^x/y +200[0-9]{4} s ' && out_lacks 'e\+0' && ok "console: 2e15 ns as 2000000 s, in digits"
fi
{
  echo '{"format":"tach-soak","version":1,"target":{"kind":"command","argv":["true"],"text":"true"},"duration_s":1209600,"interval_s":1000000,"started":"2026-01-06T10:00:00Z","context":{"date":"2026-01-06T10:00:00Z","host":"h"},"store":{"no_store":true}}'
  echo '{"interval":0,"t":1000000,"length":1000000,"ops":20,"ops_per_s":200,"errors":0,"p50_ns":3000000,"p99_ns":1e7,"max_ns":1.1e7,"rss_bytes":1179648,"rss_of":"program"}'
  echo '{"interval":1,"t":1205000,"length":205000,"ops":20,"ops_per_s":200,"errors":0,"p50_ns":3000000,"p99_ns":1e7,"max_ns":1.1e7,"rss_bytes":1179648,"rss_of":"program"}'
} >soak.jsonl
if expect 1 "$TACH" soak --report soak.jsonl --format markdown; then
  out_has '1205000 s of 1209600 s, 2 intervals of 1000000 s' && out_lacks 'e\+0' \
    && ok "soak report: two weeks in digits, the stop at 1205000 s seen"
fi
printf '{}' >two.json
expect 2 "$TACH" --max-input-size 1 convert two.json --to csv &&
  err_has "larger than the input limit of 1 byte (--max-input-size raises it)" && ok "1 byte, not 1 bytes"
finish
