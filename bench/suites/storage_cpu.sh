#!/usr/bin/env bash
# bench/suites/storage_cpu.sh - where randwrite-4k-qd1 (buffered 4 KiB writes into the page
# cache, CPU-bound: ~3 us a write here) sits between tach, fio and a bare pwrite loop
# (io_loop.c `write`, built here with cc). storage.sh compares tach with fio; this adds the
# floor under both: one pwrite per I/O and nothing else. Each variant writes its own freshly
# laid-out file of SIZE (fio's layout job; tach lays out its own), flushed and dropped just
# before its clock starts, in one shuffled pass (or TIME seconds); the order of the variants
# rotates every round. Variants:
#   tach      tach suite storage --jobs randwrite-4k-qd1
#   fio       as storage.sh runs it (psync, iomem_align=4096, scramble_buffers=0, ...)
#   fio-lean  the same with --disable_lat=1 --disable_slat=1 --disable_bw_measurement=1:
#             fio keeping only the completion latency, the one figure tach keeps per I/O
#   fio-lfsr  the same with --random_generator=lfsr --norandommap=1: each block still once
#             a pass, from fio's LFSR instead of its random map (fio's HOWTO pairs the two)
#   fio-nomap the same with --norandommap=1 alone: fio without its random map, offsets drawn
#             with replacement, so some blocks are written twice and some not at all: not
#             the same job, run to show what fio's map costs per write
#   fio-tsc   as fio, with --clocksource=cpu: fio's own preferred clock (the TSC, read in
#             user space), which fio picks by itself where it finds the TSC reliable; on this
#             VM it falls back to clock_gettime although `fio --cpuclock-test` passes
#   loop      io_loop write
# Prints each variant's median MB/s and its ratio to the loop's and to fio's.
# usage: bench/suites/storage_cpu.sh [BUILD_DIR] [DIR]   env ROUNDS=8 SIZE=2048 (MiB) TIME=2
#        VARIANTS='tach fio loop' (a subset; fio and loop always)
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
tach=$(readlink -f "${1:-$src/build}/tach")
base=${2:-/var/tmp}
rounds=${ROUNDS:-8} size=${SIZE:-2048} secs=${TIME:-2}
dir=$(mktemp -d "$base/tach-cpu-XXXXXX")
tmp=$(mktemp -d)
trap 'rm -rf "$dir" "$tmp"' EXIT
cc -O2 -o "$tmp/io_loop" "$src/bench/suites/io_loop.c"
cat >"$tmp/drop" <<D
#!/bin/sh
sync --data "$dir/fio.dat" && dd if="$dir/fio.dat" iflag=nocache count=0 status=none
D
chmod +x "$tmp/drop"
layout() {
  fio --name=layout --directory="$dir" --filename=fio.dat --size="${size}m" --rw=write --bs=1m \
      --end_fsync=1 --output-format=json >/dev/null
}
fio_job() { # SEED EXTRA
  # shellcheck disable=SC2086
  (cd "$tmp" && fio --name=j --directory="$dir" --filename=fio.dat --size="${size}m" --rw=randwrite --bs=4k \
      --iodepth=1 --ioengine=psync --direct=0 --invalidate=0 --runtime="$secs" --scramble_buffers=0 \
      --iomem_align=4096 --randseed="$1" $2 --exec_prerun="$tmp/drop" --output-format=json) |
    sed -n '/^{/,$p' | jq '.jobs[0].write.bw_bytes / 1e6'
}
run() { # ROUND VARIANT
  sync
  case $2 in
    tach) "$tach" suite storage --no-store --dir "$dir" --file-size "${size}MiB" --time "$secs" \
            --jobs randwrite-4k-qd1 --seed "$1" --format json | jq '.context.suite.fio_jobs[0].write.bw_bytes / 1e6' ;;
    fio) layout; fio_job "$1" "" ;;
    fio-lean) layout; fio_job "$1" "--disable_lat=1 --disable_slat=1 --disable_bw_measurement=1" ;;
    fio-lfsr) layout; fio_job "$1" "--random_generator=lfsr --norandommap=1" ;;
    fio-nomap) layout; fio_job "$1" "--norandommap=1" ;;
    fio-tsc) layout; fio_job "$1" "--clocksource=cpu" ;;
    loop) layout; "$tmp/io_loop" "$dir/fio.dat" "$secs" "$1" write | awk '{ print $1 * 4096 / 1e6 }' ;;
  esac | awk -v v="$2" '{ print v, $1 }' >>"$tmp/mbs"
  rm -f "$dir/fio.dat"
}
variants=(${VARIANTS:-tach fio fio-lean fio-lfsr fio-nomap fio-tsc loop})
case " ${variants[*]} " in *" fio "*" loop "*|*" loop "*" fio "*) ;;
  *) echo "storage_cpu.sh: VARIANTS must include fio and loop (the ratios' denominators)" >&2; exit 2 ;;
esac
nv=${#variants[@]}
for r in $(seq "$rounds"); do
  for i in $(seq 0 $((nv - 1))); do run "$r" "${variants[$(((i + r) % nv))]}"; done
  printf '\r%s rounds of %s' "$r" "$rounds" >&2
done
echo >&2
median() { awk -v k="$1" '$1 == k { print $2 }' "$tmp/mbs" | sort -g |
  awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
l=$(median loop) f=$(median fio)
echo "randwrite-4k-qd1 (buffered), file ${size} MiB in $base, ${secs}s, medians of $rounds rounds:"
for v in "${variants[@]}"; do
  m=$(median "$v")
  awk -v v="$v" -v m="$m" -v l="$l" -v f="$f" -v s="$(awk -v k="$v" '$1 == k { printf "%s%.0f", (n++ ? " " : ""), $2 }' "$tmp/mbs")" \
    'BEGIN { printf "  %-9s %8.1f MB/s   / loop %.3f   / fio %.3f   rounds: %s\n", v, m, m / l, m / f, s }'
done
