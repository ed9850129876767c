#!/usr/bin/env bash
# latency_history.sh - `tach history` shows the per-call p50 / p99 of benchmarks whose
# recorded runs carry latency blocks (table and JSON), and nothing of the kind for
# those that do not.  Three runs recorded: two of the HdrHistogram Java log (its "get"
# histogram; tests/fixtures/hlog/java.hlog, p50 50,143 ns, p99 140,927 ns), then one
# whose "get" is the log's "put" histogram (p50 200,319 ns, p99 5,644,287 ns); and a
# benchmark binary's run without .latency.
source "$(dirname "$0")/lib.bash"
private_store
JAVA_LOG=$TACH_SRC/tests/fixtures/hlog/java.hlog

"$TACH" import "$JAVA_LOG" -o base.json
jq '.benchmarks |= [.[] | select(.name == "get")]' base.json > get.json
jq '.benchmarks |= [(.[] | select(.name == "put") | .name = "get")]' base.json > slow.json
for f in get.json get.json slow.json; do
  check "record $f" "$TACH" record "$f"
done
"$TACH_BUILD/tests/fixture_latency" --max-time 0.1 --min-time 0.01 --rounds 1 --quiet --filter '^plain$' \
    --format json --out plain.json
"$TACH" record plain.json >/dev/null 2>&1

expect 0 "$TACH" history
out_has '^latency per call'
out_has '^  get: 3 runs  p50 50\.1 µs -> 200 µs \(\+299\.5%\)  p99 141 µs -> 5\.64 ms \(\+3905\.1%\)$'
out_lacks '^  plain:'
expect 0 "$TACH" history --format json
out_jq '[.benchmarks[] | select(.name == "get") | .points[] | .latency_p50_ns] == [50143, 50143, 200319]'
out_jq '[.benchmarks[] | select(.name == "get") | .points[] | .latency_p99_ns] == [140927, 140927, 5644287]'
out_jq 'all(.benchmarks[] | select(.name == "plain") | .points[]; has("latency_p50_ns") | not)'
finish
