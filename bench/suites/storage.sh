#!/usr/bin/env bash
# bench/suites/storage.sh - tach suite storage against fio on the same jobs in the same
# directory: throughput within 10% and p99 completion latency within 20% are the targets.
#
# Every job of the suite, fio's options beside tach's job names (docs/suites.md):
#   write-1m, read-1m                     rw=write|read       bs=1m iodepth=1  psync     direct=0
#   randread-4k-qd1, randwrite-4k-qd1     rw=randread|write   bs=4k iodepth=1  psync     direct=0
#   randread-4k-qd1-uring                 rw=randread         bs=4k iodepth=1  io_uring  direct=0
#   randread/randwrite-4k-qd32-uring      rw=randread|write   bs=4k iodepth=32 io_uring  direct=0
#   the same with -direct (1m psync, 4k qd1 psync, 4k qd32 io_uring)                    direct=1
#   fsync-4k, fdatasync-4k                rw=randwrite bs=4k fsync=1 | fdatasync=1 (psync)
# Like for like, as tach runs them:
# - one file of SIZE per tool and round (2 GiB by default: at 512 MiB write-1m-direct made
#   512 writes, a p99 resting on 5, and the buffered jobs ended in 0.1 s, one busy spell
#   deciding a round), written whole in 1 MiB blocks and flushed
#   (fio: a layout job with end_fsync=1), then the jobs in tach's order on that file;
# - before each job the file's pages flushed and dropped, outside the job's time, just
#   before it starts (tach: fdatasync + FADV_DONTNEED before its clock starts; fio: the
#   same from its exec_prerun, which runs before its clock: `sync --data FILE`, an
#   fdatasync of that file alone — not a global `sync`, which would flush everyone else's
#   dirty pages before fio's jobs only — then `dd iflag=nocache count=0`, FADV_DONTNEED of
#   the whole file, and invalidate=0: fio's own invalidate=1 runs inside the job's runtime,
#   where dropping 512 MiB of cached pages added ~100 ms to a 0.2 s job); just before,
#   because on a VM that hands freed memory back to its host (virtio-balloon free page
#   reporting) a buffered write job that starts late allocates pages the host must fault
#   in again: fio's write-1m fell from ~11 000 to ~1 500 MB/s with a 3 s pause after the
#   drop, and tach's start within milliseconds of its drop where fio's came ~0.1 s later;
# - the access pattern hinted (both: FADV_SEQUENTIAL / FADV_RANDOM, fio's fadvise_hint=1);
# - each job one pass over the file or RUNTIME seconds, whichever ends first (fio: size=
#   with runtime=, not time_based; random offsets from fio's random map, tach's shuffled
#   pass): no block is visited twice, so no job serves itself from its own cached pages;
# - each random job its own offsets: fio's default randrepeat=1 seeds every job alike, so
#   each of its random jobs (reads and writes, every round) visits the same blocks in the
#   same order, the ones the jobs before it had just read or written, where tach shuffles
#   afresh per job; fio gets --randseed=ROUND*100+JOB, tach --seed ROUND (its jobs' orders
#   follow from the seed);
# - the share of the file in the page cache at each job's start is checked for both
#   (fincore before each fio job, tach's cached_at_start) and printed when not ~0;
# - no ramp, no fsync at the end of a job (fio's end_fsync=0), pread/pwrite (psync);
# - the I/O buffer page-aligned (tach's is; fio's buffered jobs' sat 1552 bytes into a
#   page, strace of its pwrite64, so each 4 KiB copy in the kernel spanned two pages:
#   --iomem_align=4096);
# - the same bytes written every time: tach writes one buffer of random bytes unchanged, so
#   fio's scramble_buffers (on by default: a few bytes of every 512 rewritten before each
#   write, against deduplicating storage, touching the whole buffer) is off;
# - the rounds alternate which tool goes first (A B B A ...).
# fio's p99 is clat_ns (lat_ns of the sync for fsync/fdatasync), as tach's.
# Both tools make the same system calls for fsync-4k/fdatasync-4k (a pwrite64 of 4 KiB at a
# shuffled offset, then fsync/fdatasync of the same buffered descriptor, no fallocate in the
# job, no file extension); what moves them is the CPU: each sync's wakeup waits for a CPU
# when other work holds both, up to a tick, so a job runs at ~10 000 or ~250 syncs/s,
# either tool, job by job. tach's cpu_wait_share (its thread's run-queue wait) and the
# system's CPU pressure over each fio job (PSI) are printed when over 25%.
# The disk-bound qd1 jobs on a firecracker VM (measured: randread-4k-qd1-direct, both tools
# pinned to the CPU of the disk's IRQ; unpinned the CPUs vary and so did the gap): ~50 us an I/O,
# most of it the guest stalled in the virtqueue notify (iowrite16, ~40% of the job's samples,
# ~30% more in finish_task_switch), host time the guest counts as its kernel CPU, so
# "us/IO sys" follows the I/O's latency, not work in the tool. fio's job came ~6% faster
# than tach's there, and as much faster than a bare 20-line pread loop, which tach matches
# (tach/loop 1.00 over 24 paired rounds on one file, same kernel profile): fio's parent
# wakes every ~10 ms (clock_nanosleep) on the job's CPU, and any process doing so speeds
# the I/O of the job beside it on this VM (a 10 ms sleeper beside tach: x1.09, 22 of 24
# rounds; beside fio: x1.00). WAKER=1 runs both tools beside the same companion: one process
# per CPU that sleeps 10 ms at a time, as fio's parent does for its own job. It is off by
# default: in the two full runs with it (docs/PERFORMANCE.md, 07:00 and 07:14 UTC) the qd1
# disk jobs came to 1.01-1.13, but fio's p99s fell behind tach's on other jobs (down to 0.27)
# on a host that had also grown noisier; which of the two did that is not yet known.
# O_DIRECT jobs need a filesystem that takes it (not tmpfs): DIR defaults to /var/tmp.
#
# PAIRED=1 runs the comparison job by job instead of suite by suite: in each round, each job
# by fio and then tach (or tach and then fio, alternating pair by pair), each tool on a file
# of its own laid out just before the job, so the two measurements of a pair are seconds
# apart rather than a whole suite (~a minute); the headline ratios are then the median of
# the pairs' ratios, the estimator of a paired design. This VM's CPUs and disk change speed
# for seconds to minutes at a time (docs/PERFORMANCE.md): a job's ratio of medians over
# suite-long rounds carries that drift, a pair's ratio much less of it. Each job then starts
# on a freshly written file, for both tools, not on the file the jobs before it left.
#
# usage: bench/suites/storage.sh [BUILD_DIR] [DIR]   env ROUNDS=3 SIZE=2048 (MiB) RUNTIME=2 JOBS=all WAKER=0 PAIRED=0
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
tach=$(readlink -f "${1:-$src/build}/tach")
base=${2:-/var/tmp}
rounds=${ROUNDS:-3}
size=${SIZE:-2048}
runtime=${RUNTIME:-2}
paired=${PAIRED:-0}
dir=$(mktemp -d "$base/tach-fio-XXXXXX")
tmp=$(mktemp -d)
wakers=()
# (kill without a pid fails, and under set -e that ended the trap before its rm)
trap '[ ${#wakers[@]} = 0 ] || kill "${wakers[@]}" 2>/dev/null; rm -rf "$dir" "$tmp"' EXIT
if [ "${WAKER:-0}" != 0 ]; then
  for c in $(seq 0 $(($(nproc) - 1))); do
    taskset -c "$c" perl -e 'select(undef, undef, undef, 0.01) while 1' &
    wakers+=($!)
  done
fi
# fio's exec_prerun (run before its clock starts; its output in $tmp/NAME.prerun.txt)
cat >"$tmp/drop" <<EOF
#!/bin/sh
sync --data "$dir/fio.dat" && dd if="$dir/fio.dat" iflag=nocache count=0 status=none &&
fincore -b -n -o RES "$dir/fio.dat" | awk -v n="\$1" -v s=$((size << 20)) '{ print n, \$1 / s }' >>"$tmp/fio.cached"
EOF
chmod +x "$tmp/drop"
# name:rw:bs:iodepth:engine:direct:extra   (tach's order)
all="write-1m:write:1m:1:psync:0:
read-1m:read:1m:1:psync:0:
randread-4k-qd1:randread:4k:1:psync:0:
randwrite-4k-qd1:randwrite:4k:1:psync:0:
randread-4k-qd1-uring:randread:4k:1:io_uring:0:
randread-4k-qd32-uring:randread:4k:32:io_uring:0:
randwrite-4k-qd32-uring:randwrite:4k:32:io_uring:0:
write-1m-direct:write:1m:1:psync:1:
read-1m-direct:read:1m:1:psync:1:
randread-4k-qd1-direct:randread:4k:1:psync:1:
randwrite-4k-qd1-direct:randwrite:4k:1:psync:1:
randread-4k-qd32-uring-direct:randread:4k:32:io_uring:1:
randwrite-4k-qd32-uring-direct:randwrite:4k:32:io_uring:1:
fsync-4k:randwrite:4k:1:psync:0:--fsync=1
fdatasync-4k:randwrite:4k:1:psync:0:--fdatasync=1"
if [ -n "${JOBS:-}" ] && [ "$JOBS" != all ]; then
  all=$(grep -E "^($(tr , '|' <<<"$JOBS")):" <<<"$all")
fi
names=$(cut -d: -f1 <<<"$all" | paste -sd,)

psi_us() { awk '/^some/ { sub("total=", "", $5); print $5 }' /proc/pressure/cpu 2>/dev/null || echo -1; }
fio_layout() {
  fio --name=layout --directory="$dir" --filename=fio.dat --size="${size}m" --rw=write --bs=1m \
      --end_fsync=1 --output-format=json >/dev/null
}
fio_job() { # ROUND JOB_INDEX JOB_LINE
  local name rw bs qd eng direct extra
  IFS=: read -r name rw bs qd eng direct extra <<<"$3"
  # the system's CPU pressure over the job (PSI "some": time any task waited for a CPU)
  local p0 t0; p0=$(psi_us) t0=$(date +%s%N)
  # the file flushed and dropped by fio's exec_prerun, just before its clock starts, as
  # tach does before each job; then the cached share at the start (fincore: resident bytes)
  # shellcheck disable=SC2086
  (cd "$tmp" && fio --name="$name" --directory="$dir" --filename=fio.dat --size="${size}m" --rw="$rw" \
      --bs="$bs" --iodepth="$qd" --ioengine="$eng" --direct="$direct" --invalidate=0 --runtime="$runtime" \
      --scramble_buffers=0 --iomem_align=4096 --randseed=$(($1 * 100 + $2)) $extra --exec_prerun="$tmp/drop $name" \
      --output-format=json) | sed -n '/^{/,$p' >"$tmp/fio.json"
  echo "$name $1 $(( ($(psi_us) - p0) * 1000 )) $(( $(date +%s%N) - t0 ))" |
    awk '$4 > 0 && $3 >= 0 { print $1, $2, $3 / $4 }' >>"$tmp/fio.cpuwait"
  local side lat
  case $rw in *write) side='write' ;; *) side='read' ;; esac
  case $extra in *sync*) lat='.sync.lat_ns' ;; *) lat=".$side.clat_ns" ;; esac
  jq -r --arg s "$side" --arg n "$name" ".jobs[0] | \"\\(\$n) \\(.[\$s].bw_bytes) \\(.[\$s].iops) \\($lat.percentile[\"99.000000\"]) \\(.usr_cpu + .sys_cpu) \\(.usr_cpu * .[\$s].runtime * 10 / .[\$s].total_ios) \\(.sys_cpu * .[\$s].runtime * 10 / .[\$s].total_ios)\"" \
    "$tmp/fio.json" >>"$tmp/fio"
}
run_fio() { # ROUND: every job in turn on one file laid out for the round
  local j=0 line
  sync
  fio_layout
  while IFS= read -r line; do
    j=$((j + 1))
    fio_job "$1" "$j" "$line"
  done <<<"$all"
  rm -f "$dir/fio.dat"
}
run_tach() { # ROUND [JOBS SEED]: the jobs (default all) on one file of its own
  sync
  "$tach" suite storage --no-store --dir "$dir" --file-size "${size}MiB" --time "$runtime" \
    --jobs "${2:-$names}" --seed "${3:-$1}" --format json >"$tmp/tach.json"
  jq -r '.context.suite.fio_jobs[] | (.read // .write // .sync) as $x | "\(.jobname) \($x.bw_bytes // 0) \($x.iops) \(($x.clat_ns // $x.lat_ns).percentile["99.000000"]) \(.usr_cpu + .sys_cpu) \(.usr_cpu * $x.runtime * 10 / $x.total_ios) \(.sys_cpu * $x.runtime * 10 / $x.total_ios)"' \
    "$tmp/tach.json" >>"$tmp/tach"
  jq -r '.benchmarks[] | "\(.name | ltrimstr("storage/")) \(.counters.cached_at_start // 0)"' \
    "$tmp/tach.json" >>"$tmp/tach.cached"
  jq -r --arg r "$1" '.benchmarks[] | select(.counters.cpu_wait_share != null) |
         "\(.name | ltrimstr("storage/")) \($r) \(.counters.cpu_wait_share)"' "$tmp/tach.json" >>"$tmp/tach.cpuwait"
}
echo "load before: $(uptime)"
if [ "$paired" = 0 ]; then
  for i in $(seq "$rounds"); do
    if [ $((i % 4)) = 1 ] || [ $((i % 4)) = 0 ]; then run_fio "$i"; run_tach "$i"; else run_tach "$i"; run_fio "$i"; fi
  done
else
  # PAIRED=1: job by job, the two tools back to back, each on a file of its own laid out
  # just before (fio: its layout job; tach: its own), the order alternating pair by pair
  n=$(wc -l <<<"$all") p=0
  pair_fio() { sync; fio_layout; fio_job "$i" "$j" "$line"; rm -f "$dir/fio.dat"; }
  pair_tach() { sync; run_tach "$i" "${line%%:*}" $((i * 100 + j)); }
  for i in $(seq "$rounds"); do
    j=0
    while IFS= read -r line <&3; do
      j=$((j + 1)) p=$((p + 1))
      if [ $((p % 4)) = 1 ] || [ $((p % 4)) = 0 ]; then pair_fio; pair_tach; else pair_tach; pair_fio; fi
      printf '\r%s pairs of %s' "$p" $((n * rounds)) >&2
    done 3<<<"$all"
  done
  echo >&2
fi
echo "load after:  $(uptime)"
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf '%-31s %10s %10s %7s %10s %10s %7s  %-11s %-13s %-26s %s\n' job "fio MB/s" "tach MB/s" ratio "fio p99" "tach p99" ratio \
  "per-round" "CPU% fio/tach" "us/IO usr+sys fio | tach" "other: MB/s p99"
while IFS=: read -r name _; do
  col() { awk -v n="$name" -v c="$2" '$1 == n { print $c }' "$tmp/$1" | median; }
  fb=$(col fio 2) tb=$(col tach 2) fi=$(col fio 3) ti=$(col tach 3) fp=$(col fio 4) tp=$(col tach 4)
  # each tool's CPU time over its runtime (fio's usr_cpu + sys_cpu; tach's fio_jobs the
  # same): a CPU-bound job (buffered I/O into memory) under 100% was waiting for a CPU
  fc=$(col fio 5) tc=$(col tach 5)
  # the same per I/O, user and kernel apart (CPU time x runtime / I/Os, microseconds): on a
  # CPU-bound job the kernel's share is the I/O path, the user share the tool's own work
  fu=$(col fio 6) fs=$(col fio 7) tu=$(col tach 6) ts=$(col tach 7)
  if [ -z "$tb" ] || [ -z "$fb" ]; then echo "$name: not measured by both (skipped by one?)"; continue; fi
  # the two tools' ratio in each round (the k-th line of a job is round k's): the spread
  c=2; case $name in *sync*) c=3 ;; esac
  rr=$(paste -d' ' <(awk -v n="$name" -v c=$c '$1 == n { print $c }' "$tmp/fio") \
                   <(awk -v n="$name" -v c=$c '$1 == n { print $c }' "$tmp/tach") |
       awk 'NF == 2 && $1 > 0 { r = $2 / $1; if (!k++ || r < lo) lo = r; if (k == 1 || r > hi) hi = r }
            END { if (k) printf "%.2f-%.2f", lo, hi }')
  # the median of the rounds' ratios tach/fio (column C of each tool's lines, paired by round)
  pairmed() { paste -d' ' <(awk -v n="$name" -v c="$1" '$1 == n { print $c }' "$tmp/fio") \
                          <(awk -v n="$name" -v c="$1" '$1 == n { print $c }' "$tmp/tach") |
              awk 'NF == 2 && $1 > 0 { print $2 / $1 }' | median; }
  pt=$(pairmed $c) pl=$(pairmed 4)
  # the sync jobs: IOPS (syncs per second) in the throughput columns. The headline ratios:
  # by default the ratio of the two tools' medians (rounds of whole suites, ~a minute apart);
  # PAIRED=1 the median of the pairs' ratios (each pair the same job, seconds apart); the
  # other estimator in the last column
  awk -v n="$name" -v fb="$fb" -v tb="$tb" -v fi="$fi" -v ti="$ti" -v fp="$fp" -v tp="$tp" -v rr="$rr" \
      -v fc="$fc" -v tc="$tc" -v fu="$fu" -v fs="$fs" -v tu="$tu" -v ts="$ts" -v pt="$pt" -v pl="$pl" \
      -v paired="$paired" 'BEGIN {
    if (n ~ /sync/) { a = fi; b = ti; u = "/s" } else { a = fb / 1e6; b = tb / 1e6; u = "" }
    rt = b / a; rl = tp / fp; ot = pt; ol = pl
    if (paired != 0) { rt = pt; rl = pl; ot = b / a; ol = tp / fp }
    printf "%-31s %8.1f%-2s %8.1f%-2s %7.3f %8.1fus %8.1fus %7.3f  %-11s %3.0f/%3.0f       %.2f+%.2f | %.2f+%.2f   %.3f %.3f\n", n, a, u, b, u, rt,
      fp / 1e3, tp / 1e3, rl, rr, fc, tc, fu, fs, tu, ts, ot, ol }'
done <<<"$all"
# a job that started with more than 1% of the file cached measured memory in part
for t in fio tach; do
  awk -v t="$t" '$2 > 0.01 { printf "%s: %s started with %.0f%% of its file cached\n", t, $1, $2 * 100 }' "$tmp/$t.cached"
done
# a job woken after each I/O (qd1, sync) that waited for a CPU measured the scheduler: other
# work holding the CPUs delays each wakeup, up to a tick (4 ms at HZ=250), the syncs per
# second falling 10-40x for either tool, job by job (docs/suites.md, cpu_wait_share)
awk '$3 > 0.25 { printf "tach: %s (round %s) waited for a CPU %.0f%% of its runtime (its thread)\n", $1, $2, $3 * 100 }' \
  "$tmp/tach.cpuwait" 2>/dev/null
awk '$3 > 0.25 { printf "fio:  %s (round %s) ran while tasks waited for a CPU %.0f%% of the time (PSI, system-wide)\n", $1, $2, $3 * 100 }' \
  "$tmp/fio.cpuwait" 2>/dev/null
if [ "$paired" = 0 ]; then
  echo "(ratios: of the medians of $rounds rounds of the whole suite, tool order alternating; other: the median of the rounds' ratios;"
else
  echo "(ratios: the median of $rounds pairs' ratios, each pair one job run by both tools back to back on fresh files, order"
  echo " alternating; other: the ratio of the medians;"
fi
echo " file ${size} MiB in $base; runtime ${runtime}s; 10 ms wakers: ${#wakers[@]};"
echo " fsync/fdatasync rows: syncs per second in the throughput columns; targets: MB/s within 10%, p99 within 20%;"
echo " per-round: the MB/s ratio tach/fio of each round, lowest-highest; CPU%: median usr+sys over the runtime;"
echo " us/IO: median CPU time per I/O in microseconds, user + kernel; fio's CPU is its job thread's, tach's its"
echo " process's, io_uring workers included)"
