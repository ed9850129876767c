#!/usr/bin/env bash
# failure_stderr.sh - a measured program that fails says why in its own words: the last
# lines of its standard error (at most 20, 4 KiB) follow tach's line about the failure
# under `tach run` (a command), `tach profile` and `tach bench` (a command module).
# They were thrown away with its output, so a user saw "exited with code 3" and no more.
source "$(dirname "$0")/lib.bash"
private_store
# 30 lines on stderr, the last one naming the cause, then exit 3
printf '#!/bin/sh\nfor i in $(seq 1 29); do echo "noise $i" >&2; done\necho "cannot open db.conf" >&2\nexit 3\n' >fails.sh
chmod +x fails.sh

# tails FILE: FILE shows the last 20 lines of fails.sh's stderr, and no earlier one
tails() {
  grep -q "wrote to standard error (its last lines):" "$1" && grep -qx '    cannot open db.conf' "$1" &&
    grep -qx '    noise 11' "$1" && ! grep -q 'noise 10$' "$1"
}

expect 1 "$TACH" run --no-store --runs 3 ./fails.sh &&
  err_has "tach run: ./fails.sh wrote to standard error (its last lines):" && check "run: the last 20 lines" tails "$W/err"
expect 1 "$TACH" run --no-store --runs 3 --style none ./fails.sh &&
  err_has "tach run: ./fails.sh: failed — exited with code 3" && check "run --style none: the last 20 lines" tails "$W/err"
# a run killed by its timeout says what it wrote before
expect 1 "$TACH" run --no-store --runs 2 --timeout 2 "sh -c 'echo about to hang >&2; exec sleep 30'" &&
  err_has "    about to hang" && ok "run --timeout: what the command wrote before it was killed"
# A command writing megabytes to stderr: only its end is kept, read through a pipe (it
# went to a temporary file as big as what was written, which could fill TMPDIR); the
# command itself sees how big its stderr is (a pipe's size is 0).
big=$'head -c 3000000 /dev/zero | tr "\\0" x >&2; stat -L -c %s /proc/$$/fd/2 >stderr.size; printf "\\nthe end\\n" >&2; exit 3'
expect 1 "$TACH" run --no-store --runs 2 --style none -- sh -c "$big" &&
  err_has "    the end" && ok "run: 3 MB on stderr, its last line shown"
check "run: 3 MB on stderr are not kept in a file ($(cat stderr.size 2>&1) bytes)" test "$(cat stderr.size)" = 0
# A command writing 1 MiB to stderr is not held up by tach's reading: the pipe is read a
# pipe's worth (64 KiB) at a time.  It was read into the few KiB of room left at the end of
# what is kept, 4 KiB a read: the command, its pipe full, waited on one of tach's reads
# every 4 KiB (twice as long a run as with --output pipe).  Counted without a clock: the
# read calls tach made (its /proc/PID/io syscr, read by the command, its child) while the
# command wrote 16 writes of 64 KiB: 16 or so now, 240 or more then.
head -c 1048576 /dev/zero | tr '\0' x >mib.txt
printf '%s\n' 'r0=$(sed -n "s/^syscr:[[:space:]]*//p" /proc/$PPID/io)' \
  'dd if=mib.txt bs=65536 count=16 status=none >&2' \
  'r1=$(sed -n "s/^syscr:[[:space:]]*//p" /proc/$PPID/io)' \
  'printf "x\nthe last line\n" >&2; echo $((r1 - r0)) >reads.txt; exit 3' >mib.sh
if [ -r /proc/$$/io ]; then
  expect 1 "$TACH" run --no-store --runs 1 --style none -- sh mib.sh && err_has "    the last line" &&
    ok "run: 1 MiB on stderr, its last line shown"
  check "run: 1 MiB on stderr read 64 KiB at a time ($(cat reads.txt 2>&1) reads, fewer than 100)" \
    test "$(cat reads.txt)" -lt 100
else
  ok "skip: no /proc/PID/io here to count tach's reads"
fi
# a NUL byte on stderr (binary output) ended the text shown: the lines after it were lost
expect 1 "$TACH" run --no-store --runs 1 --style none -- sh -c 'printf "binary\0junk\nthe cause\n" >&2; exit 3' &&
  err_has "    binary junk" && err_has "    the cause" && ok "run: a NUL on stderr, the lines after it shown"
# a command that succeeds says nothing of its stderr
expect 0 "$TACH" run --no-store --runs 2 --style none "sh -c 'echo chatty >&2'" && check "run: a success shows no stderr" \
  bash -c "! grep -q chatty '$W/err'"

# tach profile: the program's exit status and its stderr
expect 1 "$TACH" profile --profile-dir prof ./fails.sh &&
  err_has "tach profile: ./fails.sh exited with status 3" && check "profile: the last 20 lines" tails "$W/err"

# A failed program's stderr is shown terminal-safe: an escape sequence in it (a window
# title, a clear screen) never reaches the user's terminal, its UTF-8 text is kept.  The
# worker of a bench binary under `tach run` showed its stderr raw.
esc=$'\e]0;pwned\a\e[2J'
no_controls() { ! LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$1"; }
expect 2 "$TACH" run --no-store --processes 1 "$TACH_BUILD/tests/fixture_basic" -- "--bogus-é$esc" &&
  err_has "tach run: worker 1 wrote to standard error (its last lines):" && err_has "--bogus-é" &&
  check "run BENCH-BINARY: a worker's stderr without its controls" no_controls "$W/err"
printf '#!/bin/sh\nprintf "d\303\251j\303\240 \\033]0;pwned\\007\\033[2Jgone\\n" >&2\nexit 3\n' >esc.sh
chmod +x esc.sh
expect 1 "$TACH" run --no-store --runs 2 --style none ./esc.sh && err_has "    déjà " &&
  check "run CMD: a command's stderr without its controls" no_controls "$W/err"
expect 1 "$TACH" profile --profile-dir prof2 ./esc.sh && err_has "    déjà " &&
  check "profile: the program's stderr without its controls" no_controls "$W/err"

# tach bench: a command module that fails shows its stderr under the item
mkdir -p proj/.tach && printf '[module "svc"]\n    command = ./fails.sh\n' >proj/.tach/config && cp fails.sh proj/
(cd proj && "$TACH" bench --quick >"$W/out" 2>"$W/err")
check "bench: exit 1" test $? -eq 1
check "bench: the item's stderr is shown" grep -q '^        |     cannot open db.conf$' "$W/err" "$W/out"
check "bench: no earlier line than the 20 last" bash -c "! grep -q 'noise 10\$' '$W/err' '$W/out'"
finish
