#!/usr/bin/env bash
# A pipe given to `tach run --input` is read whole once, before the first run, into a
# temporary file that every run reads from its start: up to the input limit
# (--max-input-size, 1 GiB by default), and Ctrl-C stops the reading.  An endless pipe
# (<(yes)) was copied until the disk was full, deaf to Ctrl-C.
source "$(dirname "$0")/lib.bash"
set -o pipefail
private_store

# ---- the input limit -----------------------------------------------------------------------
rm -f bad.json ran.log
"$TACH" run --no-store --max-input-size 1M --export-json "$W/bad.json" --runs 3 --style none \
  --input <(yes) -- sh -c "echo ran >> $W/ran.log" >"$W/out" 2>"$W/err"
rc=$?
expect_rc 2 "--input <(yes) with --max-input-size 1M is refused"
check "the message names the limit and the option" grep -qF -- "larger than the input limit of 1 MiB (--max-input-size raises it)" "$W/err"
check "the message names the input" grep -qF -- "input file '/dev/fd/" "$W/err"
check "one line on stderr" test "$(wc -l <"$W/err")" -eq 1
check "nothing written" test ! -e bad.json
check "nothing run" test ! -e ran.log
# a pipe of exactly the limit is read, each run given all of it
trun --max-input-size 1M --runs 2 --warmup-runs 0 --input <(head -c 1048576 /dev/zero) --output "$W/wc.txt" \
  --style none -- wc -c
expect_rc 0 "--input a pipe of exactly --max-input-size 1M"
check "each run read the whole 1 MiB" test "$(tr '\n' ' ' <wc.txt)" = "1048576 1048576 "

# ---- Ctrl-C while the pipe is read ---------------------------------------------------------------
# A named pipe the test holds open for writing never ends; what it was given (6 bytes)
# in tach's temporary file shows the reading has begun.
copying() { # PID: the process holds a removed file of 6 bytes
  local f
  for f in /proc/"$1"/fd/*; do
    case $(readlink "$f" 2>/dev/null) in
      *'(deleted)') [ "$(stat -Lc %s "$f" 2>/dev/null)" = 6 ] && return 0 ;;
    esac
  done
  return 1
}
gone() { ! kill -0 "$1" 2>/dev/null; }
rm -f fifo int.json ran.log
mkfifo fifo
exec 7<>fifo
printf 'hello\n' >&7
"$TACH" run --no-store --export-json "$W/int.json" --runs 3 --style none --input fifo \
  -- sh -c "echo ran >> $W/ran.log" >"$W/out" 2>"$W/err" 7>&- &
pid=$!
if running_until "$pid" copying "$pid"; then
  kill -INT "$pid"
  # a bound on a failure (tach deaf to the signal), never on a success
  if within 60 gone "$pid"; then
    wait "$pid"; rc=$?
    expect_rc 130 "SIGINT while an endless --input pipe is read"
    check "stderr says it was interrupted" grep -qF "interrupted by SIGINT while reading --input" "$W/err"
    check "nothing written" test ! -e int.json
    check "nothing run" test ! -e ran.log
  else
    kill -KILL "$pid"; wait "$pid"
    bad "SIGINT while an endless --input pipe is read: tach still reads it 60 s later"
  fi
else
  wait "$pid"; rc=$?
  bad "tach ended (exit $rc) before it read the pipe: $(head -c 400 "$W/err")"
fi
exec 7>&-

finish
