#!/usr/bin/env bash
# load_tmpdir.sh - `tach load` on a binary has it write its document to a temporary file
# of $TMPDIR (--out), which the binary replaces through a temporary file beside it.  A
# $TMPDIR within 20 bytes of a path was cut to fit (exit 1, "cannot make a temporary
# file: Invalid argument"), one within about 50 made the binary refuse its --out (exit
# 2, its own message): the longest path in it is counted, one longer is exit 2 naming
# TMPDIR, before the load runs, nothing left in it.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
B="$TACH_BUILD/tests/fixture_load_ops"
[ -x "$B" ] || { fail "missing $B"; finish; }
load=(load --no-store "$B" safe --threads 1 --clients 1 --duration 0.3 --warmup 0)

huge="/$(printf 'x%.0s' $(seq 4100))"
expect 2 env TMPDIR="$huge" "$TACH" "${load[@]}" \
  && err_has "TMPDIR is too long for a temporary file in it (4101 bytes, at most" && err_has "$huge'" \
  && out_lacks . && ok "a TMPDIR longer than a path: exit 2 naming it"
most=$(sed -n 's/.*(4101 bytes, at most \([0-9]*\)).*/\1/p' "$tmp/err")
[ -n "$most" ] || { fail "no limit said: $(head -c 300 "$tmp/err")"; finish; }
at=$(dir_of_length "$most") || fail "cannot make a TMPDIR of $most bytes"
expect 0 env TMPDIR="$at" "$TACH" "${load[@]}" && out_has '^safe ' \
  && [ -z "$(ls -A "$at")" ] && ok "a TMPDIR of the most bytes ($most): used, left empty"
for n in $((most + 1)) $((most + 28)) $((most + 38)); do # the binary's --out refused; cut to fit
  d=$(dir_of_length "$n") || fail "cannot make a TMPDIR of $n bytes"
  expect 2 env TMPDIR="$d" "$TACH" "${load[@]}" \
    && err_has "TMPDIR is too long for a temporary file in it ($n bytes, at most $most): '$d'" \
    && out_lacks . && [ -z "$(ls -A "$d")" ] \
    && ok "a TMPDIR of $n bytes: exit 2 naming it, nothing left"
done
finish
