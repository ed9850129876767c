#!/usr/bin/env bash
# bench_cli.sh - tach_main's command line on tests/fixtures/basic.c: --help, bad
# flags and values (exit 2, one line naming them, nothing written), --list and the
# expansion order, --filter, --tach-probe, --out (whole file or none), the formats.
BIN="$TACH_BUILD/tests/fixture_basic"
source "$(dirname "$0")/lib.bash"
quick=(--max-time 0.05 --warmup 0 --sample-time 0.0002 --min-samples 3 --quiet)

# --help: every option, exit 0.
"$BIN" --help >"$tmp/help"
check "--help exits 0" test $? -eq 0
for o in --list --filter --format --out --precision --max-time --min-samples --min-time --rounds --sample-time \
         --warmup --timeout --no-isolate --seed --resamples --quiet --tach-probe --help; do
    check "--help lists $o" grep -q -- "$o" "$tmp/help"
done

# Bad usage: exit 2, exactly one line on stderr naming the flag or value, no stdout.
bad() { # the text stderr must contain, then the arguments
    local want=$1; shift
    "$BIN" "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    check "$* -> exit 2 (got $rc)" test "$rc" -eq 2
    check "$* -> names '$want'" grep -qF -- "$want" "$tmp/err"
    check "$* -> one line on stderr" test "$(wc -l <"$tmp/err")" -eq 1
    check "$* -> nothing on stdout" test ! -s "$tmp/out"
}
bad "--bogus" --bogus
bad "--bogus=3" --bogus=3
bad "'abc'" --precision abc
bad "'0'" --precision=0
bad "'-1%'" --precision -1%
bad "'xml'" --format=xml
bad "'-4'" --min-samples=-4
bad "'0'" --min-samples 0
bad "'2.5'" --min-samples 2.5
bad "'1000001'" --min-samples 1000001
bad "'0'" --timeout 0
bad "'1x'" --max-time 1x
bad "'nan'" --sample-time nan
bad "'-1'" --warmup -1
bad "'-0.5'" --min-time -0.5
bad "'soon'" --min-time=soon
bad "'x12'" --seed x12
bad "'0x'" --seed 0x
bad "'18446744073709551616'" --seed 18446744073709551616
bad "'0'" --resamples 0
# one resample made the 95% CI of the mean one resample's mean, beside the mean itself
bad "'1'" --resamples 1
bad "'99'" --resamples 99
bad "--max-time" --max-time
bad "--list" --list=yes
bad "'('" --filter '('
bad "stray" stray
bad "/nonexistent-dir-tach" --out /nonexistent-dir-tach/out.json
check "no file left for a bad --out" test ! -e /nonexistent-dir-tach/out.json

# --list: the full names, in registration order, the first axis outermost.
"$BIN" --list >"$tmp/list"
check "--list exits 0" test $? -eq 0
printf '%s\n' arith/sum/n=64/stride=1 arith/sum/n=64/stride=2 arith/sum/n=256/stride=1 \
    arith/sum/n=256/stride=2 copy/bytes=64 copy/bytes=512 copy/bytes=4096 batched/sort64 \
    rng/rand_first >"$tmp/want"
check "--list names and order" diff "$tmp/want" "$tmp/list"
check "--filter on a group" test "$("$BIN" --list --filter '^arith/' | wc -l)" -eq 4
check "--filter=ERE on a parameter" test "$("$BIN" --list --filter='n=(64|256)/stride=2$')" \
    = "$(printf 'arith/sum/n=64/stride=2\narith/sum/n=256/stride=2')"
check "--filter matching nothing lists nothing" test -z "$("$BIN" --list --filter zzz 2>/dev/null)"
expect 0 "$BIN" --list --filter zzz && ok "--list with a --filter matching nothing: exit 0 (the answer is none)"
# Run with a --filter matching nothing: a typo, refused as `tach run BINARY --filter` refuses
# it (exit 2, the filter named, nothing written), with --quiet too.
if expect 2 "$BIN" --filter zzz --quiet --format json --out "$tmp/none.json"; then
  err_has "no benchmark matches --filter 'zzz'"
  check "a --filter matching nothing: nothing written" test ! -e "$tmp/none.json" -a ! -s "$tmp/out"
fi
# an empty --filter (which selects every benchmark): refused as tach's own options refuse
# an empty value, with --list too, nothing written
for list in "" --list; do
  if expect 2 "$BIN" $list --filter '' --format json --out "$tmp/empty.json"; then
    err_line "--filter: '' is not a value, expected a non-empty one" &&
      check "--filter ''${list:+ with --list}: nothing written" test ! -e "$tmp/empty.json" -a ! -s "$tmp/out"
  fi
done
if expect 2 "$TACH" run --no-store --processes 2 --style none --filter zzz "$BIN"; then
  err_has "no benchmark of $BIN matches --filter 'zzz'"
  check "tach run: the binary's refusal is worded as tach run's" test "$(grep -c . "$tmp/err")" -eq 1
fi
# the same --filter given the binary after --: it was run with no result, exit 0, its
# empty document exported (and recorded, without --no-store)
for f in "--filter zzz" "--filter=zzz"; do
  # shellcheck disable=SC2086
  if expect 2 "$TACH" run --no-store --processes 2 --style none --export-json "$tmp/after.json" "$BIN" -- $f; then
    err_has "no benchmark of $BIN matches --filter 'zzz'"
    check "tach run BINARY -- $f: nothing written" test ! -e "$tmp/after.json"
    rm -f "$tmp/after.json"
  fi
done

# an output in a folder that does not exist: named so, as tach's own outputs say it (it
# said "cannot create a temporary file beside it: No such file or directory")
for o in --out --export-hlog; do
  expect 2 "$BIN" --quiet --filter 'copy/bytes=64$' "$o" "$tmp/nodir/r.out" &&
    err_has "$o: cannot write $tmp/nodir/r.out: directory '$tmp/nodir' does not exist" &&
    ok "$o in a missing folder: the folder named"
done

# --tach-probe: one JSON line, exit 0.
probe=$("$BIN" --tach-probe)
check "--tach-probe exits 0" test $? -eq 0
check "--tach-probe line" test "$probe" = \
    '{"tach_bench":1,"version":"0.2.0","format":"tach-results","format_version":1}'

# --out: the whole document, nothing on stdout; the file is replaced whole.
echo "old" >"$tmp/r.json"
"$BIN" "${quick[@]}" --filter 'copy/bytes=64$' --format json --out "$tmp/r.json" >"$tmp/stdout"
check "--out run exits 0" test $? -eq 0
check "--out: nothing on stdout" test ! -s "$tmp/stdout"
check "--out: valid document" jqt '.format == "tach-results" and (.benchmarks | length) == 1' "$tmp/r.json"
check "--out leaves no temporary file" test "$(ls "$tmp" | grep -c r.json)" -eq 1
chmod 500 "$tmp" 2>/dev/null
if [ "$(id -u)" != 0 ]; then
    "$BIN" "${quick[@]}" --filter 'copy/bytes=64$' --out "$tmp/new.json" >/dev/null 2>&1
    check "--out into a read-only directory: exit 2" test $? -eq 2
    check "--out into a read-only directory: no file" test ! -e "$tmp/new.json"
fi
chmod 700 "$tmp"
"$BIN" "${quick[@]}" --filter 'copy/bytes=64$' --out "$tmp" >/dev/null 2>"$tmp/err2"
check "--out naming a directory: exit 2" test $? -eq 2
check "--out naming a directory: refused before running (no progress, one line)" \
    test "$(grep -c . "$tmp/err2")" -eq 1 -a "$(grep -c 'is a directory' "$tmp/err2")" -eq 1

# JSON on stdout is the same text as --out writes (shortest reals, scalar arrays on
# one line), so a pipe and a file hold the same document.
"$BIN" "${quick[@]}" --filter 'copy/bytes=64$' --format json --seed 5 --out "$tmp/same.json" >/dev/null
"$BIN" "${quick[@]}" --filter 'copy/bytes=64$' --format json --seed 5 >"$tmp/same.out"
check "stdout JSON: samples on one line, like --out" \
    test "$(grep -c '"ns": \[' "$tmp/same.out")" -eq 1 -a "$(grep -c '"ns": \[' "$tmp/same.json")" -eq 1
check "stdout JSON: reals in their shortest form (0.01, not 0.01000000000000000021)" \
    grep -q '"precision": 0.01,' "$tmp/same.out"

# --precision accepts "2" and "2%"; the settings record it as a fraction.
for p in 2 2%; do
    "$BIN" "${quick[@]}" --filter 'copy/bytes=64$' --format=json --precision "$p" >"$tmp/p.json"
    check "--precision $p -> 0.02" jqt '.context.settings.precision == 0.02 and .benchmarks[0].precision.target == 0.02' "$tmp/p.json"
done

# No precision stop below 6 samples (the order-statistic CI would be the whole range,
# covering less than 95%): two samples are within ±99% of their median (unless one is 200 times the other).
"$BIN" --filter 'copy/bytes=64$' --max-time 1 --warmup 0 --sample-time 0.0002 --min-samples 2 --min-time 0 --rounds 1 \
    --precision 99 --quiet --format=json >"$tmp/p.json"
check "--min-samples 2 --precision 99: at least 6 samples" \
    jqt '.benchmarks[0].samples.ns | length >= 6' "$tmp/p.json"

# --seed: decimal (a leading 0 is not octal) or 0x hex.
for pair in 010:10 0x10:16; do
    "$BIN" "${quick[@]}" --filter 'copy/bytes=64$' --format=json --seed "${pair%%:*}" >"$tmp/s.json"
    check "--seed ${pair%%:*} is ${pair##*:}" jqt ".context.settings.seed == ${pair##*:}" "$tmp/s.json"
done

# The other formats.
"$BIN" "${quick[@]}" --filter '^copy' --format gbench >"$tmp/g.json"
check "gbench: exit 0" test $? -eq 0
check "gbench: three benchmarks' iteration runs with real_time" jqt '([.benchmarks[] | select(.run_type == "iteration") | .run_name] | unique | length) == 3 and all(.benchmarks[] | select(.aggregate_name != "BigO" and .aggregate_name != "RMS"); .real_time > 0)' "$tmp/g.json"
# copy's TACH_RANGE axis is a size: its complexity fit, as Google Benchmark writes one
check "gbench: the family's _BigO and _RMS rows" jqt '[.benchmarks[] | select(.aggregate_name == "BigO" or .aggregate_name == "RMS") | .name] == ["copy_BigO", "copy_RMS"]' "$tmp/g.json"
# one iteration row per round (4 by default), as Google Benchmark writes one per
# repetition, then the aggregates over them
check "gbench: a row per round with its repetition_index" jqt '[.benchmarks[] | select(.run_type == "iteration") | [.repetitions, .repetition_index]] == ([range(3)] | map([4, 0], [4, 1], [4, 2], [4, 3]))' "$tmp/g.json"
check "gbench: aggregates over the rounds, time_unit on each" jqt '[.benchmarks[] | select(.run_type == "aggregate" and .aggregate_name != "BigO" and .aggregate_name != "RMS") | .aggregate_name + ":" + .time_unit] == ([range(3)] | map("mean:ns", "median:ns", "stddev:ns", "cv:ns"))' "$tmp/g.json"
# reals with at most 15 significant digits, as tach run --export-gbench and tach convert
# write Google Benchmark's JSON (docs/formats.md): the binary wrote 17 (8.093514031495971)
check "gbench: reals with 15 significant digits at most" python3 -c '
import json, re, sys
def digits(t):
    m = re.sub(r"[eE].*", "", t).replace("-", "").replace(".", "").lstrip("0")
    return len(m)
long = []
json.load(open(sys.argv[1]), parse_float=lambda t: long.append(t) if digits(t) > 15 else None)
sys.exit(1 if long else 0)' "$tmp/g.json"
"$BIN" "${quick[@]}" --filter '^copy' --format csv >"$tmp/c.csv"
check "csv: header row" grep -q '^name,status,samples,' "$tmp/c.csv"
check "csv: one row per benchmark" test "$(wc -l <"$tmp/c.csv")" -eq 4
"$BIN" "${quick[@]}" --filter '^copy' >"$tmp/table"
check "console: a row per benchmark" test "$(grep -c '^copy/bytes=' "$tmp/table")" -eq 3
check "console: no escape codes when not a terminal" test "$(grep -c $'\e' "$tmp/table")" -eq 0

# Warnings go to stderr (not stdout), before the table, unless --quiet.
"$BIN" --max-time 0.05 --warmup 0 --sample-time 0.0002 --min-samples 3 --filter 'copy/bytes=64$' \
    >"$tmp/t2" 2>"$tmp/e2"
check "stdout holds only the table" test "$(grep -c '^warning:' "$tmp/t2")" -eq 0
"$BIN" "${quick[@]}" --filter 'copy/bytes=64$' >/dev/null 2>"$tmp/e3"
check "--quiet: nothing on stderr" test ! -s "$tmp/e3"

# Two benchmarks with one full name (tests/fixtures/duplicate.c): the first runs, the
# later one is reported failed, naming the problem; exit 1.
"$TACH_BUILD/tests/fixture_duplicate" "${quick[@]}" --format json >"$tmp/dup.json"
check "duplicate names: exit 1" test $? -eq 1
check "duplicate names: first ok, second failed with the reason" jqt \
    '[.benchmarks[] | .status] == ["ok", "failed"]
     and (.benchmarks[1].message | test("same full name"))' "$tmp/dup.json"
# Under tach run the same two results, not merged into one "failed" row that carries the
# first one's samples.
"$TACH" run --no-store --processes 2 --bench-time 0.1 --style none --export-json "$tmp/dup_run.json" \
    "$TACH_BUILD/tests/fixture_duplicate" >/dev/null 2>&1
check "duplicate names under tach run: exit 1" test $? -eq 1
check "duplicate names under tach run: first ok with its samples, second failed without" jqt \
    '[.benchmarks[] | [.status, (.samples.ns | length > 0)]] == [["ok", true], ["failed", false]]
     and (.benchmarks[1].message | test("same full name"))' "$tmp/dup_run.json"

finish
