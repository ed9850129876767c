#!/usr/bin/env bash
# bench/suites/storage.sh - tach suite storage against fio on the same jobs in the same
# directory: throughput within 10% and p99 completion latency within 20% are the targets.
#
# Jobs (fio's options beside tach's job names):
#   read-1m                 rw=read      bs=1m iodepth=1  ioengine=psync    direct=0
#   randread-4k-qd1         rw=randread  bs=4k iodepth=1  ioengine=psync    direct=0
#   randread-4k-qd32-uring  rw=randread  bs=4k iodepth=32 ioengine=io_uring direct=0
#   randwrite-4k-qd1        rw=randwrite bs=4k iodepth=1  ioengine=psync    direct=0
# fio: invalidate=1 (tach drops the cache the same way), one file of SIZE laid out and
# flushed first (as tach's), random jobs time_based for RUNTIME seconds.  ROUNDS interleaved rounds; medians compared.
#
# usage: bench/suites/storage.sh [BUILD_DIR] [DIR]   env ROUNDS=3 SIZE=256 (MiB) RUNTIME=3
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
tach=$(readlink -f "${1:-$src/build}/tach")
base=${2:-/var/tmp}
rounds=${ROUNDS:-3}
size=${SIZE:-256}
runtime=${RUNTIME:-3}
dir=$(mktemp -d "$base/tach-fio-XXXXXX")
tmp=$(mktemp -d)
trap 'rm -rf "$dir" "$tmp"' EXIT
jobs="read-1m:read:1m:1:psync randread-4k-qd1:randread:4k:1:psync randread-4k-qd32-uring:randread:4k:32:io_uring randwrite-4k-qd1:randwrite:4k:1:psync"
for i in $(seq "$rounds"); do
  # fio's file laid out once per round and flushed, as tach lays out and fsyncs its own: a
  # job must not run beside the write-back of a file just written
  fio --name=layout --directory="$dir" --filename=fio.dat --size="${size}m" --rw=write --bs=1m \
      --end_fsync=1 --output-format=json >/dev/null
  for j in $jobs; do
    sync
    IFS=: read -r name rw bs qd eng <<<"$j"
    tb=""
    case $rw in rand*) tb="--time_based --runtime=$runtime" ;; esac
    # shellcheck disable=SC2086
    fio --name="$name" --directory="$dir" --filename=fio.dat --size="${size}m" --rw="$rw" --bs="$bs" \
        --iodepth="$qd" --ioengine="$eng" --direct=0 --invalidate=1 $tb --output-format=json >"$tmp/fio.json"
    side=read; case $rw in *write) side=write ;; esac
    jq -r --arg s "$side" --arg n "$name" '.jobs[0][$s] | "\($n) \(.bw_bytes) \(.clat_ns.percentile["99.000000"])"' \
      "$tmp/fio.json" >>"$tmp/fio"
  done
  rm -f "$dir/fio.dat"
  sync
  "$tach" suite storage --no-store --dir "$dir" --file-size "${size}MiB" --time "$runtime" \
    --jobs read-1m,randread-4k-qd1,randread-4k-qd32-uring,randwrite-4k-qd1 --format json |
    jq -r '.context.suite.fio_jobs[] | (if .read then .read else .write end) as $x |
           "\(.jobname) \($x.bw_bytes) \($x.clat_ns.percentile["99.000000"])"' >>"$tmp/tach"
done
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf '%-24s %12s %12s %7s %12s %12s %7s\n' job "fio MB/s" "tach MB/s" ratio "fio p99" "tach p99" ratio
for j in $jobs; do
  name=${j%%:*}
  fb=$(awk -v n="$name" '$1 == n { print $2 }' "$tmp/fio" | median)
  tb=$(awk -v n="$name" '$1 == n { print $2 }' "$tmp/tach" | median)
  fp=$(awk -v n="$name" '$1 == n { print $3 }' "$tmp/fio" | median)
  tp=$(awk -v n="$name" '$1 == n { print $3 }' "$tmp/tach" | median)
  awk -v n="$name" -v fb="$fb" -v tb="$tb" -v fp="$fp" -v tp="$tp" 'BEGIN {
    printf "%-24s %12.1f %12.1f %7.3f %10.1fus %10.1fus %7.3f\n", n, fb / 1e6, tb / 1e6, tb / fb, fp / 1e3, tp / 1e3, tp / fp }'
done
echo "(medians of $rounds interleaved rounds; file ${size} MiB in $base; targets: MB/s within 10%, p99 within 20%)"
