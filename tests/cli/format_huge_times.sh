#!/usr/bin/env bash
# Times far past any real run (1e300 ns, read from a file) are shown with their unit,
# %g-style: "1e+291 s", not some hundred digits that the column's buffer cut before the
# unit; a change of such size is "+1e+301%", not digits without the "%"; the same for
# bytes per iteration and a counter's time (TiB, s).  And the
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
printf '{}' >two.json
expect 2 "$TACH" --max-input-size 1 convert two.json --to csv &&
  err_has "larger than the input limit of 1 byte (--max-input-size raises it)" && ok "1 byte, not 1 bytes"
finish
