#!/usr/bin/env bash
# The checks of lib.bash themselves: a failed out_has, out_lacks, err_has, out_jq or
# err_line counts one failure and returns 1, a passing one returns 0, so that a
# `CHECK && ok TEXT` chain never prints "ok" after a FAIL.
source "$(dirname "$0")/lib.bash"

printf 'alpha\n{"x": 1}\n' >"$tmp/out"
printf 'one line of error\n' >"$tmp/err"
printf '{"x": 1}\n' >"$tmp/json"

# runs a check in a subshell (its failures stay there) and prints "STATUS FAILS"
probe() { ( "$@" 2>/dev/null; r=$?; echo "$r $fails" ); }

for c in "out_has ^alpha$" "out_lacks ^beta$" "err_has error" "err_line ^one"; do
  # shellcheck disable=SC2086
  got=$(probe $c)
  if [ "$got" = "0 0" ]; then ok "$c passes and returns 0"; else fail "$c: got '$got', want '0 0'"; fi
done
for c in "out_has ^beta$" "out_lacks ^alpha$" "err_has missing" "err_line ^two"; do
  # shellcheck disable=SC2086
  got=$(probe $c)
  if [ "$got" = "1 1" ]; then ok "$c fails once and returns 1"; else fail "$c: got '$got', want '1 1'"; fi
done
cp "$tmp/json" "$tmp/out"
got=$(probe out_jq '.x == 1'); [ "$got" = "0 0" ] && ok "out_jq passes" || fail "out_jq .x == 1: got '$got'"
got=$(probe out_jq '.x == 2'); [ "$got" = "1 1" ] && ok "out_jq fails once and returns 1" || fail "out_jq .x == 2: got '$got'"
# jq -e holds on an empty input: out_jq and jqt must not
: >"$tmp/out"
got=$(probe out_jq '.x == 1'); [ "$got" = "1 1" ] && ok "out_jq fails on an empty stdout" || fail "out_jq on empty: got '$got'"
: >"$tmp/empty.json"
jqt 'true' "$tmp/empty.json" && fail "jqt holds on an empty file" || ok "jqt fails on an empty file"
jqt '.x == 1' "$tmp/json" && ok "jqt holds on its file" || fail "jqt .x == 1 on $tmp/json"
jqt -n 'true' && ok "jqt -n FILTER holds" || fail "jqt -n true"
# the chain the return value is for
printf 'alpha\n' >"$tmp/out"
chain=$( (out_has '^beta$' && ok "printed after a FAIL") 2>/dev/null)
case $chain in *"printed after a FAIL"*) fail "out_has && ok printed ok after a failed check" ;; *) ok "no ok after a failed check" ;; esac

finish
