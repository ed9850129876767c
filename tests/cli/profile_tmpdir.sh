#!/usr/bin/env bash
# profile_tmpdir.sh - `tach profile` of a benchmark binary has it write its profiles'
# document to a temporary file of $TMPDIR (--out), which the binary replaces through a
# temporary file beside it.  A $TMPDIR within 20 bytes of a path was cut to fit (exit 1,
# "cannot create a temporary file"), one within about 50 made the binary refuse its
# --out: the longest path in it is counted (as for tach run), one longer is exit 2
# naming TMPDIR, before anything runs, nothing left in it.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
FIX=$TACH_BUILD/tests/fixture_prof_hot
[ -x "$FIX" ] || { fail "missing $FIX"; finish; }
cd "$tmp" || exit 1

d=$(dir_of_length 4070) || fail "cannot make a TMPDIR of 4070 bytes"
expect 2 env TMPDIR="$d" "$TACH" profile --profile-dir "$tmp/p" -- "$FIX" --max-time 0.1 \
  && err_has "TMPDIR is too long for a temporary file in it (4070 bytes, at most" && err_has "'$d'" \
  && [ -z "$(ls -A "$d")" ] && [ ! -e "$tmp/p" ] \
  && ok "a TMPDIR of 4070 bytes: exit 2 naming it, nothing run, nothing left"
most=$(sed -n 's/.*(4070 bytes, at most \([0-9]*\)).*/\1/p' "$tmp/err")
[ -n "$most" ] || { fail "no limit said: $(head -c 300 "$tmp/err")"; finish; }
d=$(dir_of_length $((most + 1))) || fail "cannot make a TMPDIR of $((most + 1)) bytes"
expect 2 env TMPDIR="$d" "$TACH" profile --profile-dir "$tmp/p" -- "$FIX" --max-time 0.1 \
  && err_has "TMPDIR is too long for a temporary file in it ($((most + 1)) bytes, at most $most): '$d'" \
  && [ -z "$(ls -A "$d")" ] && ok "a TMPDIR of $((most + 1)) bytes: exit 2 naming it"
at=$(dir_of_length "$most") || fail "cannot make a TMPDIR of $most bytes"
expect 0 env TMPDIR="$at" "$TACH" profile --profile-dir "$tmp/p" -- "$FIX" --max-time 0.1 \
  && [ -z "$(ls -A "$at")" ] && ok "a TMPDIR of the most bytes ($most): used, left empty"
finish
