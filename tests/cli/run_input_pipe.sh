#!/usr/bin/env bash
# A pipe given to `tach run --input` is read whole once, before the first run, into a
# temporary file that every run reads from its start: up to the input limit
# (--max-input-size, 1 GiB by default), and Ctrl-C stops the reading.  An endless pipe
# (<(yes)) was copied until the disk was full, deaf to Ctrl-C.  A named pipe is opened
# without waiting for a writer, the wait bounded by --timeout and ended by Ctrl-C.
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

# ---- a named pipe nothing writes to ----------------------------------------------------------
# Its open waited for a writer before tach read its signals: Ctrl-C, SIGTERM or --timeout did
# not end it (a background tach, SIGINT ignored, waited for ever; in a terminal it died of the
# signal, saying nothing).  It is opened without waiting, its input waited for as a pipe's.
waits_on_fifo() { # PID: it holds the fifo open, or waits in its open (the old way)
  local f
  for f in /proc/"$1"/fd/*; do [ "$(readlink "$f" 2>/dev/null)" = "$W/fifo" ] && return 0; done
  [ "$(cat /proc/"$1"/wchan 2>/dev/null)" = wait_for_partner ]
}
rm -f int.json ran.log
echo kept >kept.txt
for sig in INT TERM; do
  "$TACH" run --no-store --export-json "$W/int.json" --runs 3 --style none --input fifo --output kept.txt \
    -- sh -c "echo ran >> $W/ran.log" >"$W/out" 2>"$W/err" &
  pid=$!
  if within 60 waits_on_fifo "$pid"; then
    kill -s "$sig" "$pid"
    if within 60 gone "$pid"; then
      wait "$pid"; rc=$?
      expect_rc $((128 + $(kill -l "$sig"))) "SIG$sig while a named pipe with no writer is waited for"
      check "SIG$sig: stderr says it was interrupted" grep -qF "interrupted by SIG$sig while reading --input" "$W/err"
    else
      kill -KILL "$pid"; wait "$pid"
      bad "SIG$sig while a named pipe with no writer is waited for: tach still waits 60 s later"
    fi
  else
    kill -KILL "$pid"; wait "$pid"
    bad "tach never opened the named pipe: $(head -c 400 "$W/err")"
  fi
done
check "nothing written" test ! -e int.json
check "nothing run" test ! -e ran.log
check "--output's file left as it was" test "$(cat kept.txt)" = kept
# --timeout bounds the wait (how long the pipe gives nothing), as it bounds a run
# (timeout(1) bounds a failure: tach waiting in the open for ever)
timeout -s KILL 60 "$TACH" run --no-store --export-json "$W/int.json" --runs 3 --style none --timeout 0.5 \
  --input fifo --output kept.txt -- sh -c "echo ran >> $W/ran.log" >"$W/out" 2>"$W/err"
rc=$?
expect_rc 2 "--timeout 0.5: a named pipe with no writer is refused"
check "the message names the input and --timeout" \
  grep -qF "cannot read input file 'fifo': it gave nothing for 0.5 s, neither data nor its end (--timeout" "$W/err"
check "one line on stderr" test "$(wc -l <"$W/err")" -eq 1
check "nothing written" test ! -e int.json
check "nothing run" test ! -e ran.log
check "--output's file left as it was" test "$(cat kept.txt)" = kept
# a writer that comes later is waited for (no --timeout), and what it wrote is every run's
( printf 'abc' >fifo ) &
trun --runs 2 --warmup-runs 0 --input fifo --output "$W/wc.txt" --style none -- wc -c
expect_rc 0 "--input a named pipe whose writer comes later"
check "each run read its 3 bytes" test "$(tr '\n' ' ' <wc.txt)" = "3 3 "
wait
# a refused pipe (past the input limit) leaves --output's file as it was too
trun --max-input-size 1K --runs 1 --style none --input <(head -c 5000 /dev/zero) --output kept.txt -- true
expect_rc 2 "--input past --max-input-size with --output FILE"
check "--output's file left as it was (it was emptied before the input was read)" test "$(cat kept.txt)" = kept

finish
