#!/usr/bin/env bash
# run_tmpdir.sh - `tach run` on a benchmark binary has each worker write its results to
# a temporary file of $TMPDIR (--out), which the binary replaces through a temporary file
# beside it.  A $TMPDIR within 20 bytes of a path was cut to fit (exit 1, "cannot create
# a temporary file in ...: Invalid argument"), and one within about 50 made the binary
# refuse its --out (exit 2, "refused its arguments"): the longest path in it is counted,
# one longer is exit 2 naming TMPDIR, before anything runs, nothing left in it.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
fix="$TACH_BUILD/tests/fixture_basic"
[ -x "$fix" ] || { fail "missing $fix"; finish; }
run=(run --no-store --filter '^batched/sort64$' --max-time 0.05 "$fix")

huge="/$(printf 'x%.0s' $(seq 4100))"
expect 2 env TMPDIR="$huge" "$TACH" "${run[@]}" \
  && err_has "TMPDIR is too long for a temporary file in it (4101 bytes, at most" && err_has "$huge'" \
  && out_lacks . && ok "a TMPDIR longer than a path: exit 2 naming it"
most=$(sed -n 's/.*(4101 bytes, at most \([0-9]*\)).*/\1/p' "$tmp/err")
[ -n "$most" ] || { fail "no limit said: $(head -c 300 "$tmp/err")"; finish; }
at=$(dir_of_length "$most") || fail "cannot make a TMPDIR of $most bytes"
expect 0 env TMPDIR="$at" "$TACH" "${run[@]}" && out_has '^batched/sort64 ' \
  && [ -z "$(ls -A "$at")" ] && ok "a TMPDIR of the most bytes ($most): used, left empty"
# --profile: the binary's profiled run writes its --out there too, under the same limit
expect 0 env TMPDIR="$at" "$TACH" "${run[@]:0:6}" --profile --profile-dir "$tmp/prof" "$fix" \
  && out_has '^batched/sort64 ' && [ -n "$(ls -A "$tmp/prof")" ] && [ -z "$(ls -A "$at")" ] \
  && ok "--profile with a TMPDIR of the most bytes ($most): profiled, left empty"
for n in $((most + 1)) $((most + 25)) $((most + 35)); do # the binary's --out refused; cut to fit
  d=$(dir_of_length "$n") || fail "cannot make a TMPDIR of $n bytes"
  expect 2 env TMPDIR="$d" "$TACH" "${run[@]}" \
    && err_has "TMPDIR is too long for a temporary file in it ($n bytes, at most $most): '$d'" \
    && ! grep -q "worker" "$tmp/err" && out_lacks . && [ -z "$(ls -A "$d")" ] \
    && ok "a TMPDIR of $n bytes: exit 2 naming it, nothing run, nothing left"
done
finish
