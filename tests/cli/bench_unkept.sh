#!/usr/bin/env bash
# bench_unkept.sh - a `tach bench` run that is NOT recorded keeps its results in
# .tach/unrecorded/ (docs/bench.md; store_pg_record_down.sh, with a server down); when
# they cannot be kept either, one more line says so, and why -- it was left unsaid, the
# results lost without a word.  The command benchmarked breaks both: the store checked
# before the run becomes a directory, and .tach/unrecorded a file, so neither can be
# written.  No server, nothing timed.
source "$(dirname "$0")/lib.bash"
mkdir -p .tach
cat >"$tmp/break.sh" <<EOS
#!/bin/sh
[ -d "$PWD/s.db" ] || { rm -f "$PWD/s.db"; mkdir "$PWD/s.db"; }
[ -e "$PWD/.tach/unrecorded" ] || : >"$PWD/.tach/unrecorded"
EOS
chmod +x "$tmp/break.sh"
printf '[module "m"]\n    command = %s\n' "$tmp/break.sh" >.tach/config
# (a directory in the store's place: a path that names no store, exit 2, docs/guide.md)
if expect 2 "$TACH" bench --quick --store s.db; then
  err_has "tach bench: the run was NOT recorded: store $PWD/s.db is not a regular file" &&
    err_has "tach bench: its results could not be kept for a tach record later: cannot write $(pwd -P)/.tach/unrecorded/bench-" &&
    err_has ": Not a directory" &&
    ok "results that cannot be kept are said so, and why"
  check "... after the NOT recorded line, which names no kept file" \
    bash -c "! grep -q 'its results are kept' '$tmp/err'"
fi
finish
