#!/usr/bin/env bash
# bench_terminal.sh - the live progress line appears on a terminal only (stderr),
# is erased before the table, and NO_COLOR removes colours.  Uses util-linux
# `script` to give the binary a pseudo-terminal; skipped (passes) without it.
BIN="$TACH_BUILD/tests/fixture_basic"
source "$(dirname "$0")/lib.bash"
args="--max-time 0.2 --warmup 0 --sample-time 0.0005 --filter '^copy/bytes=64\$'"

# Not a terminal: no progress line, no escape codes, anywhere.
"$BIN" --max-time 0.2 --warmup 0 --sample-time 0.0005 --filter '^copy/bytes=64$' >"$tmp/out" 2>"$tmp/err"
check "no progress line when stderr is not a terminal" test "$(grep -c '\[1/1' "$tmp/err")" -eq 0
check "no escape codes when not a terminal" test "$(cat "$tmp/out" "$tmp/err" | grep -c $'\e')" -eq 0
check "no carriage returns when not a terminal" test "$(cat "$tmp/out" "$tmp/err" | grep -c $'\r')" -eq 0

if ! command -v script >/dev/null; then
    echo "skip: no script(1)"
    exit 0
fi
script -qc "stty cols 70; $BIN $args" /dev/null >"$tmp/tty" 2>&1
check "progress line on a terminal" grep -q '\[1/1, round [1-4]/4\] copy/bytes=64  [0-9]* samples' "$tmp/tty"
# The progress line is cut to the terminal width less one (69 columns here).
longest=$(tr '\r' '\n' <"$tmp/tty" | grep '\[1/1, round' | awk '{ print length($0) }' | sort -n | tail -1)
check "progress line fits the terminal ($longest <= 69 chars)" test "$longest" -le 69
# Erased before the table: the table's header follows a carriage return over blanks.
check "progress erased before the table" grep -q $'\r *\rbenchmark' "$tmp/tty"
NO_COLOR=1 script -qc "$BIN $args" /dev/null >"$tmp/nocolor" 2>&1
check "the table is there with NO_COLOR" grep -q '^copy/bytes=64' "$tmp/nocolor"
check "NO_COLOR: no colour codes" test "$(grep -c $'\e\\[[0-9;]*m' "$tmp/nocolor")" -eq 0
# A name holding an escape sequence, CR and newline (tests/fixtures/odd_names.c): the
# progress line shows it as the table does, controls as spaces, never raw.
NO_COLOR=1 script -qc "$TACH_BUILD/tests/fixture_odd_names --filter ctl" /dev/null >"$tmp/odd" 2>&1
check "the progress line names the odd benchmark" grep -qF '[1/1, round 1/4] esc [31mred  next col/ctl' "$tmp/odd"
check "the progress line: no ESC from the name" test "$(grep -c $'\e' "$tmp/odd")" -eq 0

finish
