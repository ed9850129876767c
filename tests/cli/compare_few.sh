#!/usr/bin/env bash
# compare_few.sh - a change measured on too few samples is never "unchanged":
#   - 2 and 2 (or 3 and 3) samples: the U test's smallest p is 0.245 (0.081), above alpha
#     however large the change (values: tach__mann_whitney_min_p, the normal
#     approximation with continuity correction, z = (n1 n2 / 2 - 0.5) / sqrt(n1 n2 (n1 +
#     n2 + 1) / 12), as scipy.stats.mannwhitneyu(method="asymptotic") gives for two
#     samples apart): "not testable (2 and 2 samples)", and the gate fails on such a
#     slowdown (a rise, under --metric peak-rss) beyond --critical unless
#     --allow-untestable; a change inside the noise band stays "unchanged";
#   - a CI wholly beyond the noise band that the corrected test does not confirm (4 and 4
#     samples apart: p 0.0304, q 0.0608 over two benchmarks) is "unstable: not
#     significant", not "unchanged";
#   - with --format json, a not-testable row's "why" gives its reason (one sample a side,
#     or too few), null on the others.
source "$(dirname "$0")/lib.bash"
cd "$tmp" || exit 1

hf() { # OUT then "NAME:T1,T2,..." per result (seconds)
  local out=$1 sep=''
  shift
  { printf '{"results":['
    for r in "$@"; do printf '%s{"command":"%s","times":[%s]}' "$sep" "${r%%:*}" "${r#*:}"; sep=,; done
    printf ']}\n'; } >"$out"
}
hf b2.json 'work:0.100,0.101'
hf n2.json 'work:0.300,0.301'
hf s2.json 'work:0.1002,0.1008'
hf b3.json 'work:0.100,0.101,0.1005'
hf n3.json 'work:0.200,0.201,0.2003'

if expect 0 "$TACH" compare b2.json n2.json; then
  out_has '^work .* \+199\.00% .* 0\.2453 +0\.2453 +not testable \(2 and 2 samples\)$'
  out_has ', 1 not testable'
  out_has '^note: 1 benchmark has too few samples on a side'
  out_lacks 'unchanged$'
  ok "2 and 2 samples, x3: not testable (2 and 2 samples), p 0.2453"
fi
if expect 0 "$TACH" compare b3.json n3.json; then
  out_has '^work .* 0\.0809 +0\.0809 +not testable \(3 and 3 samples\)$'
  ok "3 and 3 samples, x2: not testable (3 and 3 samples), p 0.0809"
fi
# Tied samples (a coarse clock, peak RSS in KiB): 3 and 3 all equal within each side.  The
# tie-corrected normal approximation gives p 0.0469 (sigma^2 = n1 n2 / 12 * ((N + 1) -
# sum(t^3 - t) / (N (N - 1))) = 9/12 * (7 - 48/30) = 4.05, z = (4.5 - 0.5) / 2.0125 =
# 1.988: what scipy.stats.mannwhitneyu(method="asymptotic") computes), below alpha, yet
# the exact test of the same data is 2 / C(6, 3) = 0.1: ties add no evidence, and the
# sizes are those no test could decide.  Not testable, like the untied 3 and 3 (it was
# "regressed (critical)").
hf b3t.json 'work:0.100,0.100,0.100'
hf n3t.json 'work:0.105,0.105,0.105'
if expect 0 "$TACH" compare b3t.json n3t.json; then
  out_has '^work .* \+5\.00% .* 0\.0469 +0\.0469 +not testable \(3 and 3 samples\)$'
  ok "3 and 3 tied samples, +5%: not testable, though p 0.0469"
fi
expect 0 "$TACH" gate b3t.json n3t.json && ok "gate: +5% on 3 and 3 tied samples (below --critical) passes"
if expect 0 "$TACH" compare --format json b2.json n2.json; then
  out_jq '.benchmarks[0].verdict == "not testable" and .benchmarks[0].too_few == true'
  out_jq '.summary.untestable == 1 and .summary.unchanged == 0'
  ok "json: not testable, too_few"
fi
# The JSON gives the reason the table gives in parentheses ("not testable (1 sample)"): a
# row of one sample a side had none (too_few false, nothing else said why).
hf b1.json 'work:0.100'
hf n1.json 'work:0.300'
if expect 1 "$TACH" gate --format json b1.json n1.json; then
  out_jq '.benchmarks[0] | .verdict == "not testable" and .too_few == false'
  out_jq '.benchmarks[0].why == "1 and 1 samples: one sample on a side gives no interval, only the point change"'
  ok "gate json, 1 sample a side: why"
fi
if expect 0 "$TACH" compare --format json b2.json n2.json; then
  out_jq '.benchmarks[0].why == "2 and 2 samples: too few for any change to be significant"'
  ok "json, 2 and 2 samples: why"
fi
if expect 1 "$TACH" gate b2.json n2.json; then
  err_has '1 not testable (too few samples) with a slowdown beyond the critical threshold of 10%'
  ok "gate: a x3 slowdown on 2 and 2 samples fails and says why"
fi
expect 0 "$TACH" gate --allow-untestable b2.json n2.json && ok "gate --allow-untestable: passes"
# peak RSS (hyperfine's memory_usage_byte): a doubled peak on 2 and 2 runs is no slowdown
printf '{"results":[{"command":"work","times":[0.1,0.1],"memory_usage_byte":[%s]}]}\n' 2097152,2097152 >rb.json
printf '{"results":[{"command":"work","times":[0.1,0.1],"memory_usage_byte":[%s]}]}\n' 4194304,4194304 >rn.json
if expect 1 "$TACH" gate --metric peak-rss rb.json rn.json; then
  err_has '1 not testable (too few samples) with a rise in peak RSS beyond the critical threshold of 10%'
  check "gate --metric peak-rss: a doubled peak on 2 and 2 runs is a rise in peak RSS, no slowdown" \
    bash -c '! grep -q slowdown "$1"' _ "$tmp/err"
fi
if expect 0 "$TACH" gate b2.json s2.json; then
  out_has '^work .* unchanged$'
  ok "2 and 2 samples inside the noise band: unchanged, gate passes"
fi

hf b4.json 'a:0.100,0.101,0.102,0.103' 'b:0.100,0.101,0.102,0.103'
hf n4.json 'a:0.130,0.131,0.132,0.133' 'b:0.100,0.101,0.102,0.103'
if expect 0 "$TACH" compare b4.json n4.json; then
  out_has '^a .* 0\.0304 +0\.0608 +unstable: not significant \(q 0\.0608\)$'
  out_has '^b .* unchanged$'
  out_has 'does not confirm a change'
  ok "4 and 4 samples, CI beyond the band, q 0.0608: unstable: not significant"
fi
if expect 0 "$TACH" compare --format json b4.json n4.json; then
  out_jq '.benchmarks[0].verdict == "unstable" and .benchmarks[0].not_significant == true'
  out_jq '.benchmarks[1].not_significant == false and .benchmarks[1].too_few == false'
  out_jq '.benchmarks[0].why | test("^not significant \\(q 0\\.0608\\): the CI \\[\\+[0-9.]+%, \\+[0-9.]+%\\] lies beyond the noise band \\(\\+-[0-9.]+%\\) while the U test")'
  out_jq '.benchmarks[1].why == null'
  ok "json: not_significant"
fi
finish
