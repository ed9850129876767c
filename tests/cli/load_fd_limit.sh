#!/bin/bash
# load_fd_limit.sh - `tach load URL` under a small open-files limit (ulimit -n 100): the
# check before the run counts what the run opens, its connections and 4 files for each
# event loop (an epoll instance, a timer, libcurl's wake-up pair), with 64 spare.  It
# counted the connections alone: --clients 36 --threads 20 (180 needed) passed, and the
# run's connects then failed (EMFILE, counted as errors "connect", exit 0 or 1); and the
# closed model without --clients (one connection) was refused as if it had the open
# model's 1000.  Against the tests' delay server on 127.0.0.1; nothing here depends on time.
source "$(dirname "$0")/lib.bash"
private_store

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$tmp"' EXIT
delay_server "$tmp/ds" 1000000 0 || finish
[ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge 100 ] || { echo "skip: hard open-files limit below 100"; exit 77; }
close_inherited() { # (no redirection on the loop: bash would keep fd 2 in an fd it closes)
  local f; for f in /proc/$BASHPID/fd/*; do f=${f##*/}; [[ $f =~ ^[0-9]+$ ]] && ((f > 2)) && eval "exec $f>&-"; done; }
few_fds() { (close_inherited; ulimit -n 100 && exec "$TACH" "$@"); }
short=(--duration 0.3 --warmup 0 --no-store -q)

# refused up front, naming what is needed and the limit: nothing sent, nothing written
expect 2 few_fds load "$DS_URL" --rate 100 --clients 36 --threads 20 "${short[@]}" \
  --export-json "$tmp/r.json" &&
  err_has "tach load: 36 connections and 20 event loops need 180 open files (one a connection, 4 a loop, 64 spare); the hard limit is 100 (ulimit -Hn): lower --clients or --threads, or raise the limit" &&
  check "... no --export-json written" test ! -e "$tmp/r.json"
# the open model's default of 1000 in flight does not fit either, and says so
expect 2 few_fds load "$DS_URL" --rate 100 "${short[@]}" &&
  err_has "1000 connections and 1 event loop need 1068 open files"
# with either engine (the check is before either)
expect 2 few_fds load "$DS_URL" --rate 100 --clients 30 --threads 10 --engine curl "${short[@]}" &&
  err_has "30 connections and 10 event loops need 134 open files"
# the closed model without --clients: one connection a loop, which fits
expect 0 few_fds load "$DS_URL" "${short[@]}" --export-json "$tmp/c.json" &&
  jqc "the closed model ran its one connection" "$tmp/c.json" \
    '.benchmarks[] | select(.name == "overall") | .load.loops | length == 1 and .[0].connections == 1'
# what fits runs, without a connect that failed for want of a file (100 = 20 + 4 x 4 + 64)
expect 0 few_fds load "$DS_URL" --clients 20 --threads 4 "${short[@]}" --export-json "$tmp/f.json" &&
  jqc "20 connections on 4 loops, no errors" "$tmp/f.json" \
    '.benchmarks[] | select(.name == "overall") | .load | (.loops | map(.connections) | add) == 20 and .errors == 0'
finish
