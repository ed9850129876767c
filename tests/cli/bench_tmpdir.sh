#!/usr/bin/env bash
# bench_tmpdir.sh - `tach bench` keeps each item's results in a temporary folder in
# $TMPDIR.  A $TMPDIR of 240 bytes or more was cut to fit 256 bytes, its folder never
# made (exit 1 after the machine check, "Invalid argument"): it is used up to what a path
# holds; one longer, or one where no folder can be made, is exit 2 naming it, before
# anything runs or is written.
source "$(dirname "$0")/lib.bash"
private_store
mkdir -p proj/.tach && cd proj || exit 1
printf '[module "fast"]\n    command = true\n' >.tach/config

long="$tmp/$(printf 'd%.0s' $(seq 200))/$(printf 'e%.0s' $(seq 200))"
mkdir -p "$long"
expect 0 env TMPDIR="$long" "$TACH" bench --quick && [ -s PERFORMANCE_REPORT.md ] \
  && [ -z "$(ls -A "$long")" ] && ok "a TMPDIR of 400+ bytes: used, left empty"
rm -f PERFORMANCE_REPORT.md PERFORMANCE_REPORT.json store.db "$tmp/store.db"

expect 2 env TMPDIR="$long/missing" "$TACH" bench --quick \
  && err_has "cannot make a temporary folder in '$long/missing' (TMPDIR): No such file or directory; set TMPDIR" \
  && ok "a long TMPDIR that is missing: exit 2 naming it"
check "a missing TMPDIR: nothing ran (no phase 3)" bash -c "! grep -q '3/5 running' '$tmp/err'"
check "a missing TMPDIR: no report written" test ! -e PERFORMANCE_REPORT.md
check "a missing TMPDIR: no run recorded" test ! -e "$tmp/store.db"

huge="/$(printf 'x%.0s' $(seq 4100))"
expect 2 env TMPDIR="$huge" "$TACH" bench --quick \
  && err_has "TMPDIR is too long for a temporary folder in it (4101 bytes, at most" && err_has "$huge'" \
  && ok "a TMPDIR longer than a path: exit 2 naming it"
check "a TMPDIR too long: no report written" test ! -e PERFORMANCE_REPORT.md
finish
