#!/bin/bash
# load_series_start.sh - `tach load URL --series FILE` whose run fails to start exits 1
# naming why and leaves no FILE behind (it was created, empty, before the start failed).
# A FILE that was there before is neither removed nor emptied.  The start fails for certain:
# the open files' hard limit (264) is what the run's 40 connections and 40 event loops need
# (40 + 4 x 40 + 64 spare), so the check before the run passes, but tach is given 150
# open files it inherits, which no check counts; the setup of a loop (an epoll instance, a
# timer and libcurl's wake-up pair each) then fails (epoll_create1: EMFILE), after FILE is
# opened and before any thread or request.  Against the tests' delay server
# (tests/tools/delay_server.c) on 127.0.0.1; nothing here depends on time or on memory.
source "$(dirname "$0")/lib.bash"
private_store

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$tmp"' EXIT
delay_server "$tmp/ds" 1000000 0 || finish
# the limit counts from tach's own three and the 150 given: fds a harness left open are
# closed first
[ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge 264 ] || { echo "skip: hard open-files limit below 264"; exit 77; }
close_inherited() { # (no redirection on the loop: bash would keep fd 2 in an fd it closes)
  local f; for f in /proc/$BASHPID/fd/*; do f=${f##*/}; [[ $f =~ ^[0-9]+$ ]] && ((f > 2)) && eval "exec $f>&-"; done; }
inherit_150() { local i fd; for ((i = 0; i < 150; i++)); do exec {fd}</dev/null; done; }
few_fds() { (close_inherited; inherit_150; ulimit -n 264 && exec "$TACH" "$@"); }
expect 1 few_fds load "$DS_URL" --rate 100 --clients 40 --threads 40 --duration 0.5 \
  --warmup 0 --series "$tmp/s.jsonl" --no-store -q \
  && err_has "tach load: epoll_create1: Too many open files" \
  && check "a run that fails to start leaves no --series file" test ! -e "$tmp/s.jsonl"
# the same run with a FILE already there: left as it was (it was emptied when opened, and
# a user's file lost to a run that never started)
printf 'kept\n' >"$tmp/had.jsonl"
expect 1 few_fds load "$DS_URL" --rate 100 --clients 40 --threads 40 --duration 0.5 \
  --warmup 0 --series "$tmp/had.jsonl" --no-store -q \
  && err_has "tach load: epoll_create1: Too many open files" \
  && check "... a --series file that was there before is not removed" test -e "$tmp/had.jsonl" \
  && check "... nor emptied" grep -qx kept "$tmp/had.jsonl"
# that the run opened (made) FILE before its start failed, so that the first check above
# saw one removed, not one never made
if command -v strace >/dev/null && strace -o /dev/null true 2>/dev/null; then
  (close_inherited; inherit_150; ulimit -n 264 && exec strace -f -e trace=openat,unlink -o "$tmp/strace" "$TACH" load "$DS_URL" \
    --rate 100 --clients 40 --threads 40 --duration 0.5 --warmup 0 --series "$tmp/s2.jsonl" \
    --no-store -q) 2>/dev/null
  grep -q 'openat(.*s2\.jsonl", O_WRONLY|O_CREAT' "$tmp/strace" && grep -q 'unlink(.*s2\.jsonl")' "$tmp/strace" \
    && [ ! -e "$tmp/s2.jsonl" ] && ok "FILE was made, then removed when the start failed" \
    || fail "FILE not made then removed: $(grep 's2.jsonl' "$tmp/strace")"
fi
finish
