#!/usr/bin/env bash
# bench/suites/crypto.sh - tach suite crypto against `openssl speed -evp aes-256-gcm -elapsed`
# on the same machine, at 8 KiB: both wall-clock MB/s; agreement within 10% is the target.
#
# The two run interleaved, ROUNDS times each (openssl speed for SECONDS, tach for as long), and
# the medians of the rounds are compared, so a busy spell hits both alike.  openssl speed's
# "k" is 1000 bytes per second; tach's figure is the median of its samples' throughput.
# What differs by design: openssl speed's EVP loop only calls EVP_EncryptUpdate on one
# context; tach encrypts a whole message each time (a fresh nonce, update, final, the tag).
#
# usage: bench/suites/crypto.sh [BUILD_DIR]    env ROUNDS=5 SECONDS_EACH=2
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
tach=$(readlink -f "${1:-$src/build}/tach")
rounds=${ROUNDS:-5}
secs=${SECONDS_EACH:-2}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for i in $(seq "$rounds"); do
  openssl speed -evp aes-256-gcm -elapsed -seconds "$secs" -bytes 8192 2>/dev/null |
    awk '/^(AES-256-GCM|aes-256-gcm)/ { sub(/k$/, "", $2); print $2 * 1000 / 1e6 }' >>"$tmp/openssl"
  "$tach" suite crypto --no-store --algos aes-256-gcm --sizes 8k --time "$secs" --format json |
    jq '.benchmarks[] | select(.name == "crypto/openssl/aes-256-gcm/8192") | .throughput.bytes_per_second / 1e6' >>"$tmp/tach"
done
median() { sort -g "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
o=$(median "$tmp/openssl") t=$(median "$tmp/tach")
echo "aes-256-gcm at 8 KiB, $rounds rounds each, medians:"
printf '  openssl speed -evp -elapsed  %10.1f MB/s   (rounds: %s)\n' "$o" "$(tr '\n' ' ' <"$tmp/openssl")"
printf '  tach suite crypto            %10.1f MB/s   (rounds: %s)\n' "$t" "$(tr '\n' ' ' <"$tmp/tach")"
awk -v o="$o" -v t="$t" 'BEGIN { r = t / o; printf "  tach / openssl = %.3f (%s 10%%)\n", r, (r > 0.9 && r < 1.1) ? "within" : "NOT within" }'
