#!/usr/bin/env bash
# bench/suites/storage_waker.sh - the VM effect behind the qd1 disk jobs' gap to fio
# (docs/PERFORMANCE.md, storage: "The cause is outside tach"). randread-4k-qd1-direct by tach,
# by fio and by a bare pread loop (io_loop.c, built here with cc; it reads fio's file), each
# pinned to one CPU (default 1, the CPU of the disk's interrupts on the VM measured), alone and
# beside a process that sleeps 10 ms at a time on the same CPU, as fio's parent process does
# beside its own job. The order of the six rotates every round. Prints each one's median IOPS
# alone and beside the sleeper, and the ratios.
# usage: bench/suites/storage_waker.sh [BUILD_DIR] [DIR]   env ROUNDS=8 CPU=1 SIZE=1024 (MiB) TIME=1.5
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
tach=$(readlink -f "${1:-$src/build}/tach")
base=${2:-/var/tmp}
rounds=${ROUNDS:-8} cpu=${CPU:-1} size=${SIZE:-1024} secs=${TIME:-1.5}
dir=$(mktemp -d "$base/tach-waker-XXXXXX")
tmp=$(mktemp -d)
waker=
trap '[ -z "$waker" ] || kill "$waker" 2>/dev/null; rm -rf "$dir" "$tmp"' EXIT
mkdir "$dir/t"
cc -O2 -o "$tmp/io_loop" "$src/bench/suites/io_loop.c"
fio --name=layout --directory="$dir" --filename=fio.dat --size="${size}m" --rw=write --bs=1m \
    --end_fsync=1 --output-format=json >/dev/null
run() { # ROUND TOOL WAKER(0|1)
  if [ "$3" = 1 ]; then
    taskset -c "$cpu" perl -e 'select(undef, undef, undef, 0.01) while 1' &
    waker=$!
  fi
  if [ "$2" = tach ]; then
    taskset -c "$cpu" "$tach" suite storage --no-store --dir "$dir/t" --file-size "${size}MiB" --time "$secs" \
      --jobs randread-4k-qd1-direct --seed "$1" --format json | jq -r '.context.suite.fio_jobs[0].read.iops'
  elif [ "$2" = loop ]; then
    taskset -c "$cpu" "$tmp/io_loop" "$dir/fio.dat" "$secs" "$1" read
  else
    taskset -c "$cpu" fio --name=j --directory="$dir" --filename=fio.dat --size="${size}m" --rw=randread --bs=4k \
      --iodepth=1 --ioengine=psync --direct=1 --invalidate=0 --runtime="${secs}s" --randseed="$1" \
      --output-format=json | jq -r '.jobs[0].read.iops'
  fi | awk -v k="$2$3" '{ print k, $1 }' >>"$tmp/iops"
  if [ -n "$waker" ]; then kill "$waker"; wait "$waker" 2>/dev/null || true; waker=; fi
}
variants=("tach 0" "tach 1" "fio 0" "fio 1" "loop 0" "loop 1")
for r in $(seq "$rounds"); do
  for i in 0 1 2 3 4 5; do
    # shellcheck disable=SC2086
    run "$r" ${variants[$(((i + r) % 6))]}
  done
done
median() { awk -v k="$1" '$1 == k { print $2 }' "$tmp/iops" | sort -g |
  awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
t0=$(median tach0) t1=$(median tach1) f0=$(median fio0) f1=$(median fio1) l0=$(median loop0) l1=$(median loop1)
awk -v t0="$t0" -v t1="$t1" -v f0="$f0" -v f1="$f1" -v l0="$l0" -v l1="$l1" -v r="$rounds" -v c="$cpu" 'BEGIN {
  printf "randread-4k-qd1-direct on CPU %s, medians of %s rounds (IOPS):\n", c, r
  printf "  tach alone %8.0f   beside a 10 ms sleeper %8.0f   x%.3f\n", t0, t1, t1 / t0
  printf "  fio  alone %8.0f   beside a 10 ms sleeper %8.0f   x%.3f\n", f0, f1, f1 / f0
  printf "  loop alone %8.0f   beside a 10 ms sleeper %8.0f   x%.3f\n", l0, l1, l1 / l0
  printf "  tach / fio: alone %.3f, both beside the sleeper %.3f\n", t0 / f0, t1 / f1
  printf "  tach / loop: alone %.3f, both beside the sleeper %.3f\n", t0 / l0, t1 / l1 }'
