#!/usr/bin/env bash
# bench_json.sh - the results document a benchmark binary writes (--format json,
# docs/results-format.md) for tests/fixtures/basic.c: context, names, params,
# samples, estimates, throughput, counters, precision; tach_rand deterministic for a
# seed and equal to an independent xoshiro256** computation.
BIN="$TACH_BUILD/tests/fixture_basic"
source "$(dirname "$0")/lib.bash"
quick=(--max-time 0.1 --warmup 0.01 --sample-time 0.0005 --min-samples 6 --quiet)

"$BIN" "${quick[@]}" --format json --seed 7 >"$tmp/d.json"
check "run exits 0" test $? -eq 0
D="$tmp/d.json"
check "valid JSON, format and version" jqt '.format == "tach-results" and .version == 1 and .partial == false' "$D"
check "context: tool, version, executable, command line" jqt \
    '.context.tool == "libtach" and .context.tach_version == "0.2.0"
     and (.context.executable | endswith("fixture_basic"))
     and .context.command_line[0] != null and (.context.command_line | index("--seed")) != null' "$D"
check "context: settings as given" jqt \
    '.context.settings | .precision == 0.01 and .max_time_s == 0.1 and .min_samples == 6
     and .min_time_s == 0.5
     and .seed == 7 and .resamples == 10000 and .isolate == true and .timeout_s == 60
     and .sample_time_ns >= 500000' "$D"
check "context: warnings array and timer" jqt \
    '(.context.warnings | type) == "array" and .context.timer.resolution_ns > 0' "$D"
check "nine benchmarks, all ok" jqt '(.benchmarks | length) == 9 and all(.benchmarks[]; .status == "ok")' "$D"
check "names, groups, functions" jqt \
    '.benchmarks[0] | .name == "arith/sum/n=64/stride=1" and .group == "arith" and .function == "sum"' "$D"
check "no group: null" jqt '.benchmarks[4] | .name == "copy/bytes=64" and .group == null' "$D"
check "params are numbers" jqt '.benchmarks[3].params == {"n": 256, "stride": 2}' "$D"
check "samples: iters and ns, equal lengths, >= min-samples" jqt \
    'all(.benchmarks[]; (.samples.ns | length) >= 6 and (.samples.ns | length) == (.samples.iters | length)
                        and all(.samples.iters[]; . >= 1) and all(.samples.ns[]; . > 0))' "$D"
check "one iteration count per benchmark after calibration" jqt \
    'all(.benchmarks[]; (.samples.iters | unique | length) == 1)' "$D"
check "estimates: the median inside its CI" jqt \
    'all(.benchmarks[]; .estimates.median | .ci_low <= .value and .value <= .ci_high)' "$D"
check "precision: target 0.01, achieved a number, reached a bool" jqt \
    'all(.benchmarks[]; .precision.target == 0.01 and (.precision.achieved | type) == "number"
                        and (.precision.reached | type) == "boolean")' "$D"
check "bytes/s for copy (bytes per iteration = size)" jqt \
    '.benchmarks[6] | .throughput.bytes_per_iter == 4096 and .throughput.bytes_per_second > 0' "$D"
check "items/s for sum (n / stride)" jqt '.benchmarks[3].throughput.items_per_iter == 128' "$D"
check "counter n_times_stride = n * stride, exactly" jqt \
    '[.benchmarks[0:4][].counters.n_times_stride] == [64, 128, 256, 512]' "$D"
check "batched benchmark measured" jqt \
    '.benchmarks[7] | .name == "batched/sort64" and .estimates.median.value > 0 and .throughput.items_per_iter == 64' "$D"
check "no NaN or Infinity in the text" test "$(grep -ciE 'nan|infinity' "$D")" -eq 0

# tach_rand: the first value of rng/rand_first's stream (top 32 bits), from the
# seed and the full name.  Reference: xoshiro256** seeded by splitmix64 (Blackman &
# Vigna, https://prng.di.unimi.it/) with seed XOR FNV-1a-64("rng/rand_first"),
# computed here in Python independently of the C code.
first() { "$BIN" "${quick[@]}" --format json "$@" | jq '.benchmarks[] | select(.name == "rng/rand_first") | .counters.first'; }
reference() {
    /usr/bin/python3 - "$1" <<'PY'
import sys
M = (1 << 64) - 1
def fnv1a(s):
    h = 0xcbf29ce484222325
    for b in s.encode():
        h = ((h ^ b) * 0x100000001b3) & M
    return h
def splitmix(state):
    state = (state + 0x9e3779b97f4a7c15) & M
    z = state
    z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & M
    z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & M
    return state, z ^ (z >> 31)
st = int(sys.argv[1]) ^ fnv1a("rng/rand_first")
s = []
for _ in range(4):
    st, v = splitmix(st)
    s.append(v)
rotl = lambda x, k: ((x << k) | (x >> (64 - k))) & M
print((rotl((s[1] * 5) & M, 7) * 9 & M) >> 32)
PY
}
a=$(first --seed 7 --filter rand_first)
b=$(first --seed 7)
c=$(first --seed 8 --filter rand_first)
d=$(first --seed 7 --filter rand_first --no-isolate)
check "tach_rand: same seed, same value ($a)" test -n "$a" -a "$a" = "$(jq '.benchmarks[8].counters.first' "$D")"
check "tach_rand: independent of what else runs ($b)" test "$a" = "$b"
check "tach_rand: another seed, another value ($c)" test "$a" != "$c"
check "tach_rand: same in process (--no-isolate)" test "$a" = "$d"
check "tach_rand: equals the reference xoshiro256** value" test "$a" = "$(reference 7)"
check "tach_rand: seed 8 equals the reference too" test "$c" = "$(reference 8)"
def=$(first --filter rand_first)
check "tach_rand: the default seed is 0x7461636800000001" test "$def" = "$(reference $((0x7461636800000001)))"

# --resamples and --min-samples reach the run.
"$BIN" "${quick[@]}" --format json --filter 'copy/bytes=64$' --resamples 200 --min-samples 40 >"$tmp/r.json"
check "--resamples recorded" jqt '.context.settings.resamples == 200' "$tmp/r.json"
check "--min-samples 40 honoured" jqt '(.benchmarks[0].samples.ns | length) >= 40' "$tmp/r.json"

finish
