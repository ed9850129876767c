#!/usr/bin/env bash
# tach suite storage: a quick run in --dir end to end (fio's field names, the directory
# left empty), a full disk stopping it cleanly (an injected ENOSPC mid-run, and
# RLIMIT_FSIZE), the refusal when too little space is free, and bad input.
source "$(dirname "$0")/lib.bash"
cd "$tmp" || exit 1
S="$TACH_SRC/tests/cli/suite_structure.jq"
mkdir -p "$tmp/d"
jobs=write-1m,read-1m,randread-4k-qd1,randwrite-4k-qd1,randread-4k-qd32-uring,fsync-4k
fast=(--quick --time 0.05 --file-size 4MiB --dir "$tmp/d" --no-store --jobs "$jobs")
empty() { [ -z "$(ls -A "$tmp/d")" ]; }

if expect 0 "$TACH" suite storage "${fast[@]}" --export-json "$tmp/s.json"; then
  ok "a quick storage run exits 0"
  out_has '^job +MB/s \(±CI\) +IOPS +p50 +p99 +p99\.9 +p99\.99$'
  out_has '^write-1m +[0-9.]+ '
  out_has '^fsync-4k +- +[0-9]+ '
  check "--dir is left empty" empty
  # io_uring may be refused by the kernel: then its row is a note, not a result
  # (the throughput's CI is there when a job had 2 intervals or more: checked below)
  jq -S -f "$S" "$tmp/s.json" | jq -S 'del(.rows[] | select(.name | test("uring")))
    | .rows[].counters -= ["bw_bytes_ci_high", "bw_bytes_ci_low"]' >"$tmp/s.struct"
  golden suite_storage.json "$tmp/s.struct"
  # settings hold no sampling budget the suite did not use (time_s 0.05 and min_samples 3,
  # compression's --quick budget, were written beside a job limit of --time's): the job's
  # limit is the suite's own job_time_s
  check "context.settings: no time_s or min_samples; suite.job_time_s the --time given" \
    jqt '(.context.settings | has("time_s") or has("min_samples") | not) and .context.suite.job_time_s == 0.05' "$tmp/s.json"
  check "fio's names: bw_bytes, iops, clat_ns.percentile" \
    jqt '.context.suite.fio_jobs[] | select(.jobname == "randread-4k-qd1") | .read
         | (.bw_bytes > 0) and (.iops > 0) and (.clat_ns.percentile["99.000000"] > 0)' "$tmp/s.json"
  # runtime in whole ms rounded up, as fio's: write-1m's 0.6 ms was 0 beside its bw_bytes
  check "fio's runtime (ms): never 0 for a job that ran, its time rounded up" \
    jqt '[.context.suite.fio_jobs[] | (.read // .write // .sync) | select(.total_ios > 0)
          | .runtime >= 1 and (.io_bytes == null or .runtime * 1e-3 >= .io_bytes / .bw_bytes * (1 - 1e-9))]
         | length >= 3 and all' "$tmp/s.json"
  check "fio's usr_cpu and sys_cpu per job (percent of its runtime)" \
    jqt '[.context.suite.fio_jobs[] | (.usr_cpu >= 0) and (.sys_cpu >= 0) and (.usr_cpu + .sys_cpu > 0)] | all' "$tmp/s.json"
  # one thread, so at most 100% of its runtime (a millisecond job's 101%, the clocks' few
  # microseconds apart, is capped); the statistics after a job are not its CPU time (taken
  # after them, write-1m's 4 writes had read 700%); io_uring's workers may add
  check "a job's usr_cpu + sys_cpu counts the job alone (one thread: not over 100%)" \
    jqt '[.context.suite.fio_jobs[] | select(.jobname | test("uring") | not) | .usr_cpu + .sys_cpu <= 100 + 1e-9] | all' "$tmp/s.json"
  check "every job's page-cache share at its start, 0 to 1" \
    jqt '[.benchmarks[] | .counters.cached_at_start | . >= 0 and . <= 1] | all' "$tmp/s.json"
  check "every job's share of its time waiting for a CPU, 0 to 1 (Linux: schedstat)" \
    jqt '[.benchmarks[] | .counters.cpu_wait_share | . >= 0 and . <= 1] | all' "$tmp/s.json"
  check "fsync latency in fio's sync.lat_ns" \
    jqt '.context.suite.fio_jobs[] | select(.jobname == "fsync-4k") | .sync.lat_ns.percentile["50.000000"] > 0' "$tmp/s.json"
  check "io_uring measured or skipped with a note" \
    jqt '([.benchmarks[] | select(.name == "storage/randread-4k-qd32-uring")] | length == 1)
         or (.context.suite.notes | map(test("uring")) | any)' "$tmp/s.json"
  # fio writes every job option as a string ("bs": "4k"); they were numbers
  check "job options are strings, as fio's" \
    jqt '([.context.suite.fio_jobs[] | ."job options" | to_entries[] | .value | type == "string"] | all)
         and (.context.suite.fio_jobs[] | select(.jobname == "write-1m") | ."job options".bs == "1048576")' "$tmp/s.json"
  check "io_uring jobs say how their ring was set up (fio's flags where the kernel takes them)" \
    jqt '[.context.suite.fio_jobs[] | select(.jobname | test("uring")) | ."job options".uring_setup | type == "string"] | all' "$tmp/s.json"
  check "4 KiB jobs move 4 KiB per I/O" \
    jqt '.benchmarks[] | select(.name == "storage/randread-4k-qd1") | .params.bs == 4096' "$tmp/s.json"
  # and carry no bytes_per_iter: every format's throughput column (bytes over the median
  # interval's time) read 6.44 GB/s beside the job's 1175.6 MB/s
  check "no job carries a per-I/O throughput" \
    jqt '[.benchmarks[] | select(.name | startswith("storage/")) | .throughput.bytes_per_iter // 0] | all(. == 0)' "$tmp/s.json"
  # MB/s is fio's bw: the job's bytes over its time, not the median interval's rate (which
  # on read-1m, a few readahead stalls among I/Os from memory, was 10x the job's)
  out_has '^tach suite storage \(MB/s: each job.s bytes over its time, with 95% CI\)$'
  for j in write-1m read-1m randread-4k-qd1; do
    want=$(jq -r --arg j "storage/$j" '.benchmarks[] | select(.name == $j) | .counters.bw_bytes / 1e6 * 10 | round / 10' "$tmp/s.json")
    got=$(awk -v j="$j" '$1 == j { print $2 }' "$tmp/out")
    check "$j: the table's MB/s ($got) is bw_bytes ($want)" awk -v a="$got" -v b="$want" 'BEGIN { exit !(a != "" && (a - b) ^ 2 < 0.01) }'
  done
  check "each job's bw_bytes inside its 95% CI (the intervals resampled)" \
    jqt '[.benchmarks[] | .counters | select(.bw_bytes != null and .bw_bytes_ci_low != null)
          | .bw_bytes_ci_low <= .bw_bytes and .bw_bytes <= .bw_bytes_ci_high] | (length > 0) and all' "$tmp/s.json"
  "$TACH" report "$tmp/s.json" --no-compare --format md >"$tmp/r.md" 2>/dev/null
  check "report: the storage table (job, MB/s and its CI, IOPS, p99)" \
    bash -c "grep -q '^| job | MB/s | MB/s 95% CI | IOPS | p99 |$' '$tmp/r.md' && grep -qE '^\| randread-4k-qd1 \| [0-9.]+ \| (\[[0-9.]+, [0-9.]+\]|no CI: 1 interval) \| [0-9]+ \| [0-9.]+ .s \|$' '$tmp/r.md'"
fi

# ---- io_uring: every submission also collects the completions finished meanwhile
# (IORING_ENTER_GETEVENTS, as fio's): under DEFER_TASKRUN a bare submit left them unseen
# until the next wait, and the queue ran below its depth (docs/PERFORMANCE.md) ----
# Skipped only where strace cannot trace at all; where it can, the run must succeed and,
# unless the kernel refused io_uring (the job then a note), its submissions must be there.
# (LeakSanitizer stops the threads with ptrace at exit, which a traced process cannot)
if ! strace -qq -o /dev/null true 2>/dev/null; then
  echo "note: strace cannot trace here: io_uring submissions not checked" >&2
elif ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
     expect 0 strace -f -qq -e trace=io_uring_enter -o "$tmp/enter.tr" "$TACH" suite storage --quick \
     --file-size 4MiB --dir "$tmp/d" --no-store --jobs randwrite-4k-qd32-uring --export-json "$tmp/u.json"; then
  if jqt '[.benchmarks[] | select(.name == "storage/randwrite-4k-qd32-uring")] | length == 1' "$tmp/u.json"; then
    check "io_uring: the traced run submitted I/Os" grep -qE 'io_uring_enter\([0-9]+, [1-9]' "$tmp/enter.tr"
    check "io_uring: every submission asks for events (IORING_ENTER_GETEVENTS)" \
      bash -c "! grep -E 'io_uring_enter\([0-9]+, [1-9][0-9]*, [0-9]+, ' '$tmp/enter.tr' | grep -vq GETEVENTS"
  else
    echo "note: the kernel refused io_uring: its submissions not checked" >&2
  fi
fi
check "nothing left in --dir after the traced run" empty

# ---- the directory made for a run without --dir lives only from its mkdir to its rmdir,
# a few calls: the 32 MiB of data written were made between the two (0.2 s under load),
# and a SIGKILL or a second Ctrl-C then left the directory in $TMPDIR.  No allocation of
# that size may come between them (the sanitizer's allocator maps otherwise: not checked) ----
if [ "${TACH_TEST_SANITIZE:-OFF}" = ON ] || ! strace -qq -o /dev/null true 2>/dev/null; then
  echo "note: the temporary directory's lifetime not checked here (sanitizer or no strace)" >&2
else
  mkdir -p "$tmp/td"
  if TMPDIR="$tmp/td" expect 0 strace -f -qq -e trace=mkdir,rmdir,mmap -o "$tmp/dir.tr" "$TACH" suite storage \
       --quick --time 0.01 --file-size 4MiB --no-store --jobs fsync-4k; then
    check "the temporary directory: no 32 MiB allocation between its mkdir and its rmdir" \
      awk '/mkdir\(".*tach-storage-/ { open = 1 } /rmdir\(".*tach-storage-/ { if (open) seen = 1; open = 0 }
           open && /mmap\(NULL, [0-9]+/ { match($0, /mmap\(NULL, [0-9]+/); n = substr($0, RSTART + 11, RLENGTH - 11)
                                         if (n + 0 >= 33554432) bad = 1 }
           END { exit !(seen && !bad) }' "$tmp/dir.tr"
    check "nothing left in TMPDIR" test -z "$(ls -A "$tmp/td")"
  fi
fi

# ---- a full disk mid-run: the write job fails saying so, the rest is noted, no file left ----
if TACH_SUITE_TEST=enospc-after=10000000 expect 1 "$TACH" suite storage "${fast[@]}" --export-json "$tmp/f.json"; then
  ok "a full disk exits 1"
  err_has "stopped: no space left on the device in '$tmp/d' (ENOSPC)"
  check "nothing left in --dir after ENOSPC" empty
  check "the rows before it are kept, the failing one says why, the run is partial" \
    jqt '.partial and ([.benchmarks[] | select(.status == "ok")] | length >= 1)
         and ([.benchmarks[] | select(.status == "failed") | .message | test("ENOSPC")] | any)' "$tmp/f.json"
  # the report, the certificate and compare say why it is partial: the disk was full (they
  # said "the run was interrupted", which it was not)
  expect 0 "$TACH" report "$tmp/f.json" --no-compare \
    && out_has "^\\| Partial \\| the run stopped early: no space left on the device in '.*' \\(ENOSPC\\) " \
    && out_lacks 'interrupted'
  "$TACH" certify "$tmp/f.json" >"$W/out" 2>"$W/err"
  out_has "^- the run stopped early: no space left on the device in .* \\(partial results\\)$"
  expect 0 "$TACH" compare "$tmp/f.json" "$tmp/f.json" \
    && out_has '^warning: the base run stopped early: no space left on the device in .* \(partial results\)$'
fi
# ... said whole in a --dir of 600 bytes and more (the message was cut at 511 bytes, in the
# middle of the path: no ENOSPC, no offset, not that the file was removed)
ldir=$tmp/$(printf 'q%.0s' $(seq 200))/$(printf 'r%.0s' $(seq 200))/$(printf 's%.0s' $(seq 200))
mkdir -p "$ldir"
if TACH_SUITE_TEST=enospc-after=10000000 expect 1 "$TACH" suite storage "${fast[@]/$tmp\/d/$ldir}" \
     --export-json "$tmp/lf.json"; then
  err_has "stopped: no space left on the device in '$ldir' (ENOSPC) writing at offset "
  check "a long --dir: the stop and the failed row say it whole" \
    jqt --arg d "$ldir" '(.context.suite.stopped | startswith("stopped: no space left on the device in '"'"'" + $d + "'"'"' (ENOSPC)")
         and endswith("; the test file was removed"))
         and ([.benchmarks[] | select(.status == "failed") | .message | endswith("; the test file was removed")] | any)' "$tmp/lf.json"
  check "nothing left in the long --dir" test -z "$(ls -A "$ldir")"
fi
rm -rf "$tmp/qqq"*
# RLIMIT_FSIZE (ulimit -f, in KiB): the kernel's EFBIG, SIGXFSZ ignored
( ulimit -f 3072; exec "$TACH" suite storage "${fast[@]}" ) >"$W/out" 2>"$W/err"
rc=$?
if [ "$rc" = 1 ]; then ok "the file size limit stops it with exit 1"
else bad "under ulimit -f: exit $rc (want 1): $(head -c 300 "$W/err")"; fi
check "nothing left in --dir after EFBIG" empty
# ... and the jobs it did not run say why: the limit, not a full disk (they said "not run
# (the disk is full)" with the disk nearly empty)
out_has '^note: read-1m: not run \(the file size limit was reached\)$'
out_lacks 'the disk is full'

# ---- one pass at most: a random job stops at the end of its pass over the file, long
# before a --time of 60 s (fio's size= with runtime=), each block visited once ----
if expect 0 "$TACH" suite storage --time 60 --file-size 4MiB --dir "$tmp/d" --no-store \
     --jobs randread-4k-qd1,randwrite-4k-qd1,randread-4k-qd32-uring --export-json "$tmp/p.json"; then
  check "random jobs: one pass of the 1024 blocks of 4 MiB, then done" \
    jqt '[.context.suite.fio_jobs[] | (.read // .write) | .total_ios == 1024 and .io_bytes == 4194304]
         | length >= 2 and all' "$tmp/p.json"
  # a job of fewer than 2 intervals (here 1.2 s each: one pass takes less) has no CI: the
  # table says so, where it showed a bare MB/s among CIs
  for j in randread-4k-qd1 randwrite-4k-qd1; do
    n=$(jq --arg j "storage/$j" '.benchmarks[] | select(.name == $j) | .samples.ns | length' "$tmp/p.json")
    if [ "${n:-0}" -lt 2 ]; then
      out_has "^$j +[0-9.]+ \\(no CI: $n interval\\) "
    else
      out_has "^$j +[0-9.]+ (±[0-9.]+|\\[[0-9.]+, [0-9.]+\\]) "
    fi
  done
fi
check "nothing left in --dir after the one-pass run" empty

# ---- interrupted (SIGINT) mid-job: exit 130, the file removed, what was measured written ----
# (64 MiB: every job makes one pass over the file, and over 8 MiB the three end in
# 0.4 s on a quiet machine, before the signal; over 64 MiB they take about 3 s)
"$TACH" suite storage --time 5 --file-size 64MiB --dir "$tmp/d" --no-store --jobs read-1m,randread-4k-qd1,fsync-4k \
  --export-json "$tmp/i.json" >"$tmp/out" 2>"$tmp/err" &
pid=$!
# Signalled once a job measures, not after a time: the file is unlinked once open (tach
# holds it, deleted) and the layout only writes it, so reads (rchar in /proc/PID/io) past
# 1 MiB are read-1m's, the first job's, with the other two still to come
started() { ls -l "/proc/$1/fd" 2>/dev/null | grep -q 'tach-storage-.*(deleted)'; }
measuring() {
  started "$1" && [ "$(awk '/^rchar:/ {print $2}' "/proc/$1/io" 2>/dev/null)" -gt 1048576 ] 2>/dev/null
}
signal_when INT "$pid" measuring "$pid"
if [ "$rc" = 130 ]; then ok "SIGINT: exit 130"; else fail "SIGINT: exit $rc, expected 130"; fi
err_has "interrupted by SIGINT"
check "nothing left in --dir after SIGINT" empty
check "the interrupted run is written, marked partial" jqt '.partial and .context.suite.stopped == "interrupted"' "$tmp/i.json"

# ---- interrupted during the layout (the file written whole before any job): it stops
# there, not after writing the whole file (a 40 GiB layout took minutes to heed Ctrl-C, and
# a second one killed tach with the file left in --dir). The hooks raise SIGINT after 1 MiB
# and would fail writes with ENOSPC past 3 MiB: a layout going on would reach it. ----
expect 130 env TACH_SUITE_TEST=sigint-after=1048576,enospc-after=3145728 "$TACH" suite storage \
  --file-size 8MiB --dir "$tmp/d" --no-store --jobs write-1m,fsync-4k --export-json "$tmp/l.json" \
  && ok "SIGINT during the layout: exit 130"
err_has "interrupted by SIGINT"
if grep -q "no space left" "$tmp/err"; then fail "SIGINT during the layout: it wrote on, to the injected ENOSPC"; fi
check "nothing left in --dir after SIGINT during the layout" empty
check "the layout interrupted: every job noted as not run (interrupted), none measured" \
  jqt '(.benchmarks | length == 0) and .partial and .context.suite.stopped == "interrupted"
       and ([.context.suite.notes[] | select(test("not run \\(interrupted\\)"))] | length == 2)' "$tmp/l.json"

# ---- a second SIGINT while it winds down kills tach (the handler is reset): nothing is left
# in --dir all the same, nor in a directory it made itself, for the file is unlinked as soon
# as it is opened (it was removed at the end, so the second signal left it behind) ----
expect 130 env TACH_SUITE_TEST=sigint-after=1048576,sigint-again "$TACH" suite storage \
  --file-size 8MiB --dir "$tmp/d" --no-store --jobs write-1m && ok "a second SIGINT: killed by it (130)"
check "nothing left in --dir after a second SIGINT" empty
mkdir -p "$tmp/td"
TMPDIR=$tmp/td expect 130 env TACH_SUITE_TEST=sigint-after=1048576,sigint-again "$TACH" suite storage \
  --file-size 8MiB --no-store --jobs write-1m && ok "a second SIGINT in tach's own directory: 130"
check "nothing left in TMPDIR (neither the file nor tach's directory) after a second SIGINT" \
  test -z "$(ls -A "$tmp/td")"
# and SIGKILL, which no handler sees: the kernel frees the unlinked file (killed once tach
# holds it, polled while the run goes on)
"$TACH" suite storage --time 5 --file-size 64MiB --dir "$tmp/d" --no-store --jobs read-1m,randread-4k-qd1 \
  >/dev/null 2>&1 &
pid=$!
signal_when KILL "$pid" started "$pid"
check "nothing left in --dir after SIGKILL" empty

# ---- a size that is not whole MiB: rounded down, and said so (it blamed the free space,
# "file size 4 MiB, not 4 MiB") ----
if expect 0 "$TACH" suite storage --quick --time 0.05 --file-size 5000001 --dir "$tmp/d" --no-store \
     --jobs fsync-4k; then
  out_has '^note: file size 4 MiB \(4194304 bytes\), not the 5000001 bytes asked: rounded down to whole MiB'
  out_lacks 'free space'
fi
# MB is 10^6 bytes, as in .tach/config (it read 5MB as 5 MiB, where the config read 5000000)
if expect 0 "$TACH" suite storage --quick --time 0.05 --file-size 5MB --dir "$tmp/d" --no-store \
     --jobs fsync-4k; then
  out_has '^note: file size 4 MiB \(4194304 bytes\), not the 5000000 bytes asked: rounded down to whole MiB'
fi
# a fuller disk: the note says the free space, with the size asked in bytes when not whole MiB
if TACH_SUITE_TEST=free-bytes=20000000 expect 0 "$TACH" suite storage --quick --time 0.05 --file-size 15000000 \
     --dir "$tmp/d" --no-store --jobs fsync-4k; then
  out_has '^note: file size 9 MiB, not 15000000 bytes: at most half the free space is used'
fi
check "nothing left in --dir after the rounded runs" empty
# a --dir whose name holds an escape sequence and a newline: the table's "dir:" line and
# the notes naming it keep to one line each, nothing reaching the terminal raw
esc=$'\e[31mred\nline'
mkdir "$tmp/$esc"
if TACH_SUITE_TEST=free-bytes=20000000 expect 0 "$TACH" suite storage --quick --time 0.02 --file-size 15000000 \
     --dir "$tmp/$esc" --no-store --jobs fsync-4k; then
  check "no escape byte in the table" bash -c "! grep -q $'\e' '$tmp/out'"
  out_has '^dir: .*/ \[31mred line, file 9 MiB$'
fi
rm -rf "${tmp:?}/$esc"

# ---- too little free space: refused, nothing written ----
if TACH_SUITE_TEST=free-bytes=5000000 expect 2 "$TACH" suite storage "${fast[@]}"; then
  err_has "only 4.7 MiB free in '$tmp/d': the storage suite needs a file of at least 4 MiB in at most half the free space, 8 MiB free"
  check "nothing written when refused" empty
fi
# a byte short of the 8 MiB needed: the free space is rounded down (it read "only 8.0 MiB
# free", enough by its own words)
TACH_SUITE_TEST=free-bytes=8388607 expect 2 "$TACH" suite storage "${fast[@]}" \
  && err_has "only 7.9 MiB free in '$tmp/d'"

# ---- a --file-size the disk cannot hold (with a tenth of its free space to spare): refused
# before anything is written, naming the size and the free space (50 GiB of 20 GiB free was
# run on 10 GiB, and --quick laid all of it out) ----
if TACH_SUITE_TEST=free-bytes=20000000 expect 2 "$TACH" suite storage --quick --file-size 50GiB \
     --dir "$tmp/d" --no-store --jobs fsync-4k; then
  err_has "tach suite: --file-size: '50GiB': a file of 53687091200 bytes (50.0 GiB) does not fit in '$tmp/d': 20000000 bytes (19.0 MiB) free, and a size given may take at most 90% of it (nothing written)"
  check "nothing written when the size does not fit" empty
fi
# just above 90% of the free space: refused; at 90%: run, on half the free space (noted)
TACH_SUITE_TEST=free-bytes=20000000 expect 2 "$TACH" suite storage --quick --time 0.02 --file-size 18000001 \
  --dir "$tmp/d" --no-store --jobs fsync-4k && err_has "a file of 18000001 bytes (17.1 MiB) does not fit"
TACH_SUITE_TEST=free-bytes=20000000 expect 0 "$TACH" suite storage --time 0.02 --file-size 18000000 \
  --dir "$tmp/d" --no-store --jobs fsync-4k && out_has '^note: file size 9 MiB, not 18000000 bytes: at most half'
# the disk's own free space (statvfs, as df says it): twice it is refused, in --dir and in
# the temporary directory tach would make (TMPDIR named, and left empty)
avail=$(df -B1 --output=avail "$tmp/d" | tail -n 1 | tr -d ' ')
if [ -n "$avail" ] && [ "$avail" -gt 0 ] 2>/dev/null; then
  # --quick --time 0.02: a refusal that broke would not fill the disk (refused under --quick too)
  expect 2 "$TACH" suite storage --quick --time 0.02 --file-size $((avail * 2)) --dir "$tmp/d" --no-store --jobs fsync-4k \
    && err_line "^tach suite: --file-size: '$((avail * 2))': a file of $((avail * 2)) bytes \([0-9.]+ [GM]iB\) does not fit in '$tmp/d': [0-9]+ bytes \([0-9.]+ [GM]iB\) free"
  check "nothing written in --dir when the disk's free space is short" empty
  mkdir "$tmp/tt"
  TMPDIR=$tmp/tt expect 2 "$TACH" suite storage --quick --time 0.02 --file-size $((avail * 2)) --no-store --jobs fsync-4k \
    && err_has "does not fit in '$tmp/tt': "
  check "nothing left in TMPDIR when refused" test -z "$(ls -A "$tmp/tt")"
  rmdir "$tmp/tt"
else
  fail "df gave no free space for $tmp/d"
fi

# ---- the refusals naming a long --dir say it whole, and what follows it: the free space,
# the reason (held in 512 bytes, a --dir of 600 cut them mid-path, exit 2 with no reason) ----
ldir=$tmp/$(printf 'q%.0s' $(seq 200))/$(printf 'r%.0s' $(seq 200))/$(printf 's%.0s' $(seq 200))
mkdir -p "$ldir"
TACH_SUITE_TEST=free-bytes=20000000 expect 2 "$TACH" suite storage --quick --file-size 50GiB --dir "$ldir" \
  --no-store --jobs fsync-4k \
  && err_has "tach suite: --file-size: '50GiB': a file of 53687091200 bytes (50.0 GiB) does not fit in '$ldir': 20000000 bytes (19.0 MiB) free, and a size given may take at most 90% of it (nothing written)"
TACH_SUITE_TEST=free-bytes=5000000 expect 2 "$TACH" suite storage --quick --dir "$ldir" --no-store --jobs fsync-4k \
  && err_has "only 4.7 MiB free in '$ldir': the storage suite needs a file of at least 4 MiB in at most half the free space, 8 MiB free (nothing written)"
# the test file's name taken (tach-storage-PID.dat, the PID the shell's, kept by exec)
expect 1 sh -c ': >"$1/tach-storage-$$.dat" && exec "$0" suite storage --quick --time 0.02 --dir "$1" --no-store --jobs fsync-4k' \
  "$TACH" "$ldir" \
  && err_has "' in '$ldir': File exists"
check "the file taken is the only one in the long --dir" test "$(ls -A "$ldir" | wc -l)" = 1
rm -rf "$tmp/qqq"*

# ---- --quick keeps its promise of a smoke run: a larger --file-size is capped at the
# quick file's 16 MiB (as compression --quick compresses at most 256 KiB), said on stderr
# and in a note, the size asked kept; the full run uses it ----
if TACH_SUITE_TEST=free-bytes=1073741824 expect 0 "$TACH" suite storage --quick --time 0.02 --file-size 64MiB \
     --dir "$tmp/d" --no-store --jobs fsync-4k --export-json "$tmp/qcap.json"; then
  err_has "tach suite: note: --quick: a file of 16 MiB, not the 67108864 bytes of --file-size (leave out --quick for all of it)"
  out_has '^dir: .*, file 16 MiB$'
  out_has '^note: --quick: a file of 16 MiB, not the 67108864 bytes of --file-size'
  check "file_size is the file used, file_size_asked the size asked" \
    jqt '.context.suite.file_size == 16777216 and .context.suite.file_size_asked == 67108864' "$tmp/qcap.json"
  check "nothing left in --dir after the capped run" empty
fi
# a --quick --file-size below the cap is the size used, and no note
if expect 0 "$TACH" suite storage --quick --time 0.02 --file-size 8MiB --dir "$tmp/d" --no-store \
     --jobs fsync-4k --export-json "$tmp/qsmall.json"; then
  check "no --quick note" bash -c "! grep -q 'note: --quick' '$tmp/err'"
  check "an 8 MiB --quick file is 8 MiB" jqt '.context.suite.file_size == 8388608 and (.context.suite | has("file_size_asked") | not)' "$tmp/qsmall.json"
fi

refused() { # TEXT ARGS...
  local text=$1; shift
  expect 2 "$TACH" suite storage --no-store "$@" && err_has "$text"
}
refused "--dir: '$tmp/absent' is not a directory" --dir "$tmp/absent"
# a --dir that cannot be examined says why (a path too long for the kernel read "is not a
# directory")
toolong=$tmp/$(printf 'z%.0s' $(seq 250))
while [ ${#toolong} -lt 4200 ]; do toolong=$toolong/$(printf 'z%.0s' $(seq 250)); done
refused "--dir: cannot examine '$toolong': File name too long" --dir "$toolong"
refused "--file-size: '1k'" --dir "$tmp/d" --file-size 1k
# 4.5MiB is more than 4MiB: it is no whole number, and said so (it was "not a size of 4MiB
# or more")
refused "--file-size: '4.5MiB' is not a size: expected a whole number of bytes, or of k/KiB, M/MiB, G/GiB or T/TiB (powers of 1024) or of kB, MB, GB or TB (powers of 1000: 1MB is 1000000 bytes), e.g. 64MiB" \
  --dir "$tmp/d" --file-size 4.5MiB
refused "--file-size: '64MBi' is not a size: expected a whole number of bytes" --dir "$tmp/d" --file-size 64MBi
refused "--jobs: 'scan' is not a job" --dir "$tmp/d" --jobs scan
refused "--jobs: 'fsync-4k' is given twice" --dir "$tmp/d" --jobs fsync-4k,read-1m,fsync-4k
refused "--levels applies to the compression suite" --levels 1
refused "--sizes applies to the crypto and bus suites, not to storage" --sizes 16
TMPDIR=$tmp/absent refused "cannot make a temporary directory in '$tmp/absent' (TMPDIR): No such file or directory; set TMPDIR or give --dir" \
  --file-size 4m
check "nothing left in --dir at the end" empty
# a TMPDIR too long for the directory tach makes in it: the caller's to fix, exit 2 (the
# directory's name was cut to fit, its XXXXXX lost: mkdtemp's "Invalid argument", exit 1)
vtd=$tmp/V
while [ ${#vtd} -lt 4085 ]; do vtd=$vtd/$(printf '%0200d' 0); done
vtd=${vtd:0:4085}
if mkdir -p "$vtd"; then
  TMPDIR=$vtd refused "tach suite: TMPDIR is too long for a temporary directory in it (4085 bytes, at most 4075): '$tmp/V/" \
    --file-size 4m --jobs fsync-4k
  check "nothing left in the long TMPDIR" test -z "$(ls -A "$vtd")"
  rm -rf "$tmp/V"
fi
# a --dir in memory (tmpfs) is said once, not as every job's file still in the page cache
if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] && shm=$(mktemp -d /dev/shm/tach-test-XXXXXX); then
  if expect 0 "$TACH" suite storage --quick --time 0.05 --file-size 4MiB --dir "$shm" --no-store \
      --jobs write-1m,randread-4k-qd1; then
    check "one note that the tmpfs measures memory" \
      test "$(grep -c "is a tmpfs in memory: the test file lives in the page cache" "$tmp/out")" = 1
    out_lacks 'still in the page cache at its start'
    check "the tmpfs --dir is left empty" test -z "$(ls -A "$shm")"
  fi
  # a note naming a long --dir is whole (notes were cut at 511 bytes)
  lshm=$shm/$(printf 'm%.0s' $(seq 250))/$(printf 'n%.0s' $(seq 250))
  if mkdir -p "$lshm" && expect 0 "$TACH" suite storage --quick --time 0.05 --file-size 4MiB --dir "$lshm" \
       --no-store --jobs fsync-4k --export-json "$tmp/lshm.json"; then
    check "the tmpfs note names the long --dir whole" \
      jqt --arg n "'$lshm' is a tmpfs in memory: the test file lives in the page cache, so every job measures memory, not a storage device" \
      '.context.suite.notes | index($n) != null' "$tmp/lshm.json"
  fi
  rm -rf "$shm"
else
  ok "skipped: no tmpfs at /dev/shm"
fi

# ---- a --dir near PATH_MAX (4096 bytes): the test file is tach-storage-PID.dat in it all
# the same (its path, DIR/tach-storage-PID.dat, was cut to 4095 bytes: a --dir of 4093
# made DIR/t, and refused as "File exists" when the user had a file t there) ----
long=$tmp/L
while [ ${#long} -lt 3837 ]; do long=$long/$(printf '%0200d' 0); done
long=$long/$(printf "%0$((4093 - ${#long} - 1))d" 0)
if mkdir -p "$long" && [ ${#long} = 4093 ] && echo mine >"$long/t"; then
  if expect 0 "$TACH" suite storage --quick --time 0.02 --file-size 4MiB --dir "$long" --no-store --jobs fsync-4k; then
    ok "a --dir of 4093 bytes runs"
  fi
  check "the user's file in the long --dir is untouched, nothing else left there" \
    bash -c "[ \"\$(ls -A '$long')\" = t ] && [ \"\$(cat '$long/t')\" = mine ]"
  rm -rf "$tmp/L"
else
  fail "cannot make a directory of 4093 bytes under $tmp"
fi

finish
