#!/usr/bin/env bash
# bench/suites/bus.sh - tach suite bus's request-reply against redis-benchmark on the same
# Redis (started here on 127.0.0.1 on a free port, stopped after): one client, one request
# outstanding, SET with a 16-byte value; requests per second and p50 compared.
#
# Like for like: the same server, the same command (SET, a 16-byte value: redis-benchmark
# -d 16, tach --sizes 16; keys of 16 and 11 bytes), one connection (-c 1), no pipelining
# (-P 1: one request outstanding, as tach's reqrep), the same number of requests (-n N,
# --messages N), no warm-up on either side, rate = requests / the run's elapsed time,
# latency = request written to reply read.  What differs is the client's I/O:
# redis-benchmark drives its connection through an event loop (strace -c, 5000 requests:
# 25000 epoll_ctl + 10000 epoll_wait + 5000 sendto + 5000 recvfrom, 9 system calls per
# request) where tach's hiredis call blocks (5000 write + 5000 read, 2 per request) — a
# real difference of the clients, not of the job; on a loaded machine, where every system
# call is a chance to be descheduled, it shows in both the rate and the p50.
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
echo "load before: $(uptime)"
for i in $(seq "$rounds"); do
  # CSV: "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms",...
  redis-benchmark -p "$port" -t set -d 16 -c 1 -P 1 -n "$n" --csv 2>/dev/null |
    awk -F'"' '$2 == "SET" { print $4, $10 * 1e6 }' >>"$tmp/rb"
  "$tach" suite bus --no-store --url "redis://127.0.0.1:$port" --patterns reqrep --sizes 16 \
    --messages "$n" --format json |
    jq -r '.benchmarks[] | select(.name == "bus/redis/reqrep/16/max") | "\(.counters.msgs_per_s) \(.counters.p50_ns)"' >>"$tmp/tach"
done
echo "load after:  $(uptime)"
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
rr=$(awk '{ print $1 }' "$tmp/rb" | median) rp=$(awk '{ print $2 }' "$tmp/rb" | median)
tr_=$(awk '{ print $1 }' "$tmp/tach" | median) tp=$(awk '{ print $2 }' "$tmp/tach" | median)
echo "Redis SET, 16 B, one client, one request outstanding; medians of $rounds rounds of $n:"
awk -v rr="$rr" -v rp="$rp" -v tr="$tr_" -v tp="$tp" 'BEGIN {
  printf "  redis-benchmark   %10.0f req/s   p50 %8.1f us\n", rr, rp / 1e3
  printf "  tach suite bus    %10.0f req/s   p50 %8.1f us\n", tr, tp / 1e3
  printf "  tach / redis-benchmark: rate %.3f, p50 %.3f\n", tr / rr, tp / rp }'
