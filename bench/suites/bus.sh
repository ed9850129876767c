#!/usr/bin/env bash
# bench/suites/bus.sh - tach suite bus's request-reply against redis-benchmark on the same
# Redis (started here on 127.0.0.1 on a free port, stopped after): one client, one request
# outstanding, SET with a 16-byte value; requests per second and p50 compared.
#
# usage: bench/suites/bus.sh [BUILD_DIR]   env ROUNDS=5 N=20000
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
tach=$(readlink -f "${1:-$src/build}/tach")
rounds=${ROUNDS:-5}
n=${N:-20000}
tmp=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$tmp" >"$tmp/log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
for i in $(seq "$rounds"); do
  # CSV: "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms",...
  redis-benchmark -p "$port" -t set -d 16 -c 1 -P 1 -n "$n" --csv 2>/dev/null |
    awk -F'"' '$2 == "SET" { print $4, $10 * 1e6 }' >>"$tmp/rb"
  "$tach" suite bus --no-store --url "redis://127.0.0.1:$port" --patterns reqrep --sizes 16 \
    --messages "$n" --format json |
    jq -r '.benchmarks[] | select(.name == "bus/redis/reqrep/16/max") | "\(.counters.msgs_per_s) \(.counters.p50_ns)"' >>"$tmp/tach"
done
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
rr=$(awk '{ print $1 }' "$tmp/rb" | median) rp=$(awk '{ print $2 }' "$tmp/rb" | median)
tr_=$(awk '{ print $1 }' "$tmp/tach" | median) tp=$(awk '{ print $2 }' "$tmp/tach" | median)
echo "Redis SET, 16 B, one client, one request outstanding; medians of $rounds rounds of $n:"
awk -v rr="$rr" -v rp="$rp" -v tr="$tr_" -v tp="$tp" 'BEGIN {
  printf "  redis-benchmark   %10.0f req/s   p50 %8.1f us\n", rr, rp / 1e3
  printf "  tach suite bus    %10.0f req/s   p50 %8.1f us\n", tr, tp / 1e3
  printf "  tach / redis-benchmark: rate %.3f, p50 %.3f\n", tr / rr, tp / rp }'
