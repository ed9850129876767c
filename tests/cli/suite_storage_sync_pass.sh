#!/usr/bin/env bash
# suite_storage_sync_pass.sh - the sync jobs end as every storage job does: at the end of
# their pass over the file or after --time. They stopped at 100 000 syncs as well, which
# ended a --time 600 on tmpfs (a sync there is a few microseconds) after about a second,
# short of a file of 401 MiB's 102 656 blocks. Run in a directory of its own on /dev/shm
# (tmpfs: a disk's syncs would take minutes), removed at exit; skipped where there is none.
source "$(dirname "$0")/lib.bash"
cd "$tmp" || exit 1
[ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] && [ -w /dev/shm ] \
  || { echo "no writable tmpfs at /dev/shm: the sync jobs' pass not tested"; exit 77; }
# 401 MiB of RAM in the file: a small /dev/shm (a container's 64 MiB) skips, not fails
avail=$(df -k --output=avail /dev/shm 2>/dev/null | tail -1 | tr -d ' ')
[ "${avail:-0}" -ge $((430 * 1024)) ] \
  || { echo "under 430 MiB free on /dev/shm: the sync jobs' pass not tested"; exit 77; }
shm=$(mktemp -d /dev/shm/tach_test.XXXXXX) || exit 1
trap 'rm -rf "$shm" "$tmp"' EXIT
if expect 0 "$TACH" suite storage --jobs fdatasync-4k --file-size 401MiB --time 600 --dir "$shm" --no-store \
     --export-json "$tmp/s.json"; then
  check "fdatasync-4k made its whole pass, 102656 syncs (it stopped at 100000)" \
    jqt '.benchmarks[] | select(.name == "storage/fdatasync-4k") | .counters.total_ios == 102656' "$tmp/s.json"
fi
[ -z "$(ls -A "$shm")" ] && ok "the test file was removed" || fail "the test file was left in $shm"
finish
