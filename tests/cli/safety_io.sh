#!/usr/bin/env bash
# safety_io.sh - output that cannot be written is an error, and input that is not a
# regular file, or is larger than the input limit, is refused before it is read.
#   - /dev/full as standard output or as -o/--out: the benchmark binary exits 2, the
#     tach commands (compare, history, convert, import, report, certify, run's exports)
#     1, each with one line saying why (never 0 with a cut document);
#   - a benchmark binary's other outputs (load mode's --series, --export-hlog,
#     --profile-dir and its profiles, soak mode's lines, --help, --list): exit 2 and one
#     line, the results still written where they could be; tach load --series fails too;
#   - /dev/zero, a FIFO and a directory where a document is expected: refused at once
#     (certify --verify, import, convert, record, --config); --max-input-size lowers or raises
#     the 1 GiB limit, and a file over it is refused with a message naming the option.
source "$(dirname "$0")/lib.bash"
cd "$tmp"
BIN="$TACH_BUILD/tests/fixture_basic"
B=$DATA/report_base.json N=$DATA/report_new.json

# full() CODE... WHAT CMD...: CMD with stdout on /dev/full exits non-zero, and says why.
full() {
  local what=$1; shift
  "$@" >/dev/full 2>"$tmp/err"
  local rc=$?
  if [ "$rc" -eq 0 ]; then fail "$what: exit 0 with stdout on /dev/full"; return; fi
  grep -qiE "cannot write|No space" "$tmp/err" && ok "$what: exit $rc on /dev/full" \
    || fail "$what: no message on a full stdout: $(head -c 300 "$tmp/err")"
}
full "bench binary --format json" "$BIN" --format json --max-time 5ms --filter 'copy/bytes=64$' --quiet
full "bench binary console table" "$BIN" --max-time 5ms --filter 'copy/bytes=64$' --quiet
full "bench binary --list" "$BIN" --list
full "bench binary --out /dev/full" "$BIN" --max-time 5ms --filter 'copy/bytes=64$' --quiet --out /dev/full
# full1 WHAT CMD...: a tach command whose output cannot be written (stdout on /dev/full, or
# an output file on it) exits 1, the code every tach command's --help gives for it, with
# one line naming what could not be written and why.  report, import, convert and
# certify said it twice ("... No space left on device", then "... write error").
full1() {
  local what=$1; shift
  "$@" >/dev/full 2>"$tmp/err"
  local rc=$?
  [ "$rc" -eq 1 ] || { fail "$what: exit $rc with its output on /dev/full (want 1)"; return; }
  # the reason named even when the write that failed was an earlier flush (the suite's
  # table, tach run's: it was a bare "write error", the errno gone by the end)
  err_line '^tach( [a-z]+)?: (--export-json: )?cannot write (to standard output|/dev/full): No space left on device$' &&
    ok "$what: exit 1 and one line on /dev/full"
}
full1 "tach compare --format json" "$TACH" compare --format json "$B" "$N"
full1 "tach compare (table)" "$TACH" compare "$B" "$N"
full1 "tach convert --to csv" "$TACH" convert "$B" --to csv
full1 "tach convert -o /dev/full" "$TACH" convert "$B" --to json -o /dev/full
full1 "tach import" "$TACH" import "$B"
full1 "tach report --format markdown" "$TACH" report --format markdown "$B"
full1 "tach report --format html" "$TACH" report --format html "$B"
full1 "tach report -o /dev/full" "$TACH" report --format md -o /dev/full "$B"
full1 "tach certify" "$TACH" certify "$N"
full1 "tach certify -o /dev/full" "$TACH" certify "$N" -o /dev/full
full1 "tach run --export-json /dev/full" "$TACH" run --no-store --runs 2 --style none --export-json /dev/full true
full1 "tach run --export-json -" "$TACH" run --no-store --runs 2 --style none --export-json - true
full1 "tach --help" "$TACH" --help
# tach run's table (a busy machine's warning may come before the line)
"$TACH" run --no-store --runs 2 true >/dev/full 2>run_table.err
check "tach run (table): the reason named" \
  grep -qx 'tach run: cannot write to standard output: No space left on device' run_table.err
full1 "tach suite crypto (table)" "$TACH" suite crypto --quick --time 0.01 --no-store --algos sha256 --sizes 64
# an -o that cannot be a file is bad input, refused before the report is made (exit 2)
for c in report certify; do
  expect 2 "$TACH" $c "$N" -o nodir/out.md &&
    err_line "^tach $c: -o: cannot write 'nodir/out.md': directory 'nodir' does not exist$" &&
    ok "$c -o in a missing directory: exit 2 before the work"
done
# a name ending in / that is no directory: "cannot create a temporary file beside it: No
# such file or directory"
expect 2 "$TACH" report "$N" -o nodir/ && err_line "^tach report: -o: 'nodir/' names a directory \(it ends in /\): give a file's name$" &&
  ok "report -o nodir/: said to name a directory"
expect 2 "$TACH" run --no-store --runs 2 --style none --export-json nodir/ true &&
  err_line "^tach run: --export-json: 'nodir/' names a directory \(it ends in /\): give a file's name$" &&
  ok "run --export-json nodir/: said to name a directory"
mkstore "$tmp/s.db"
full1 "tach history" "$TACH" history --store "$tmp/s.db"
full1 "tach history --format json" "$TACH" history --format json --store "$tmp/s.db"
# ... the same line for every format: the JSON said stdio's bare "write error"
"$TACH" history --store "$tmp/s.db" >/dev/full 2>hist_table.err
for f in json csv; do
  for runs in "" --runs; do
    # shellcheck disable=SC2086
    "$TACH" history $runs --format $f --store "$tmp/s.db" >/dev/full 2>hist_f.err
    check "tach history${runs:+ $runs} --format $f: the table's line on /dev/full" cmp -s hist_table.err hist_f.err
  done
done
check "tach history: the reason named" grep -qx 'tach history: cannot write to standard output: No space left on device' hist_table.err
# full2 WHAT CMD...: CMD with stdout on /dev/full exits 2 (a benchmark binary's code for an
# output not written) with one line saying why.
full2() {
  local what=$1; shift
  "$@" >/dev/full 2>"$tmp/err"
  local rc=$?
  [ "$rc" -eq 2 ] || { fail "$what: exit $rc with stdout on /dev/full (want 2)"; return; }
  err_line "cannot write" && ok "$what: exit 2 on /dev/full"
}
full2 "bench binary --help" "$BIN" --help

# ---- a benchmark binary's other outputs: none may fail and exit 0 ---------------------
# Its code for an output not written is 2 (docs/benchmark-binaries.md): refused before
# running when the path is bad, one line on stderr when a write fails later.
OPS=$TACH_BUILD/tests/fixture_load_ops
q=(--max-time 50ms --min-samples 2 --rounds 1 --warmup-time 0 --quiet)
# --series on a full disk: the load runs, its document is still written, exit 2, one line
if expect 2 "$OPS" --tach-load --series /dev/full --out doc.json --duration 0.3 --warmup 0 --threads 1 safe:1; then
  err_line "^$OPS: --series: cannot write /dev/full: No space left on device$" &&
    ok "load mode: --series on a full disk exits 2 with one line"
  check "load mode: the results document is written all the same" jqt '.benchmarks | length > 0' doc.json
fi
mkdir adir
expect 2 "$OPS" --tach-load --series adir --duration 0.3 --warmup 0 safe:1 &&
  err_line "^$OPS: --series: cannot write adir: Is a directory$" && ok "load mode: --series a directory exits 2"
full2 "load mode --list" "$OPS" --tach-load --list
full2 "load mode --help" "$OPS" --tach-load --help
# tach load passes the failure on: exit 1 (as for a URL target), the binary's line only, no run recorded
if expect 1 "$TACH" load "$OPS" safe:1 --series /dev/full --duration 0.3 --warmup 0 --threads 1 --store "$tmp/l.db"; then
  err_line "^$OPS: --series: cannot write /dev/full: No space left on device$" &&
    ok "tach load: a --series that cannot be written fails the run"
  n=$(sqlite3 "$tmp/l.db" 'select count(*) from tach_runs' 2>/dev/null || echo 0)
  [ "$n" = 0 ] && ok "tach load --series on a full disk records nothing" || fail "tach load recorded $n runs"
fi
expect 2 "$BIN" "${q[@]}" --filter 'copy/bytes=64$' --latency --export-hlog /dev/full &&
  err_line "--export-hlog: cannot write /dev/full: No space left on device$" && ok "--export-hlog on a full disk exits 2"
# --profile-dir: checked before measuring; a profile file not written afterwards exits 2 too
PROF=$TACH_BUILD/tests/fixture_prof_hot
q=(--max-time 0.3 --min-samples 2 --rounds 1 --warmup-time 0 --quiet) # long enough for samples
touch afile
expect 2 "$PROF" "${q[@]}" --profile-dir afile && err_line "^$PROF: --profile-dir: afile is not a directory$" &&
  { [ ! -s "$tmp/out" ] && ok "--profile-dir that is a file exits 2 before measuring, nothing printed" ||
    fail "--profile-dir that is a file: stdout written: $(head -3 "$tmp/out")"; }
expect 2 "$PROF" "${q[@]}" --profile-dir afile/sub && err_line "^$PROF: --profile-dir: cannot make afile/sub: Not a directory$" &&
  ok "--profile-dir under a file exits 2 before measuring"
mkdir -p pd/prof_mix-47235a4493647f7f.svg # the flame graph's own path taken by a directory: its write fails
if expect 2 "$PROF" "${q[@]}" --profile-dir pd --format json --out prof.json; then
  err_has "profile of prof/mix: its files could not be written: cannot write pd/prof_mix-47235a4493647f7f.svg" && ok "a profile that cannot be written exits 2"
  check "a profile not written: the results are written all the same" jqt '.benchmarks | length == 1' prof.json
fi
SOAK=$TACH_BUILD/tests/fixture_soak
full2 "soak mode's lines" "$SOAK" --soak-duration 0.3 --soak-interval 0.1 --filter leaky

# ---- input: only regular files, and not too large ------------------------------------
mkfifo fifo
refused() { # WHAT CMD...: exit 2 within 10 s, with the reason
  local what=$1; shift
  if expect 2 timeout 10 "$@"; then
    grep -qE "not a regular file|Is a directory|larger than the input limit" "$tmp/err" \
      && ok "$what" || fail "$what: $(head -c 300 "$tmp/err")"
  fi
}
refused "convert /dev/zero" "$TACH" convert /dev/zero --to csv
refused "convert a FIFO" "$TACH" convert fifo --to csv
refused "import /dev/zero" "$TACH" import /dev/zero
refused "import a FIFO" "$TACH" import fifo
refused "record /dev/zero" "$TACH" record --store "$tmp/r.db" /dev/zero
refused "convert a directory" "$TACH" convert "$tmp" --to csv
refused "compare --config a FIFO" "$TACH" compare --config fifo "$B" "$N"
refused "gate --config /dev/zero" "$TACH" gate --config /dev/zero "$B" "$N"
# A certificate whose evidence names /dev/zero.
cp "$B" base.json
"$TACH" certify base.json -o cert.md >/dev/null 2>&1 # REJECTED (exit 1), but written
if grep -qE '^[0-9a-f]{64} - base.json$' cert.md; then
  sed -E 's#^([0-9a-f]{64}) - base.json$#\1 - /dev/zero#' cert.md >zero.md
  expect 1 timeout 10 "$TACH" certify --verify zero.md \
    && out_has '^MISSING +/dev/zero: .*not a regular file' && ok "certify --verify: evidence on /dev/zero is refused"
else
  fail "cannot make a certificate with evidence"
fi

size=$(stat -c %s "$B")
expect 2 "$TACH" --max-input-size 1K convert "$B" --to csv && err_has "larger than the input limit of 1024 bytes (--max-input-size raises it)" \
  && ok "a file over --max-input-size is refused"
expect 0 "$TACH" convert --max-input-size=$((size + 1)) "$B" --to csv && ok "--max-input-size=N after the command"
expect 0 "$TACH" convert "$B" --to csv --max-input-size 1G && ok "--max-input-size 1G"
expect 2 "$TACH" convert "$B" --max-input-size 0 && err_has "invalid value '0' for --max-input-size" && ok "--max-input-size 0 is refused"
expect 2 "$TACH" convert "$B" --max-input-size 12X && ok "--max-input-size 12X is refused"
finish
