#!/bin/bash
# load_series_start.sh - `tach load URL --series FILE` whose run fails to start (its
# event loops' threads cannot be made: address space held by ulimit -v) exits 1 naming
# why and leaves no FILE behind: it was created, empty, and left.  A FILE that was there
# before is not removed.  Against the tests' delay server (tests/tools/delay_server.c) on
# 127.0.0.1; nothing here depends on time.
source "$(dirname "$0")/lib.bash"
private_store
# ASan reserves terabytes of address space: no ulimit -v for it
[ "${TACH_TEST_SANITIZE:-OFF}" = ON ] && { echo "skip: ulimit -v under ASan"; exit 77; }

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$tmp"' EXIT
delay_server "$tmp/ds" 1000000 0 || finish
# 1000 event loops' stacks (8 MiB each, or ulimit -s) in 200 MB: the run cannot start
starved() { (ulimit -v 200000 && exec "$TACH" "$@"); }
expect 1 starved load "$DS_URL" --rate 100 --threads 1000 --duration 0.5 --warmup 0 \
  --series "$tmp/s.jsonl" --no-store -q \
  && err_has "tach load: " \
  && check "a run that fails to start leaves no --series file" test ! -e "$tmp/s.jsonl"
printf 'kept\n' >"$tmp/had.jsonl"
expect 1 starved load "$DS_URL" --rate 100 --threads 1000 --duration 0.5 --warmup 0 \
  --series "$tmp/had.jsonl" --no-store -q \
  && check "... a --series file that was there before is not removed" test -e "$tmp/had.jsonl"
finish
