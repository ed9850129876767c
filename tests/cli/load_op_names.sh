#!/bin/bash
# load_op_names.sh - two operations of one name (tests/fixtures/duplicate.c: TACH_OP(get)
# and a hand-registered second "get", as another file's static one would be): the command
# line names an operation, so the second would never run.  The binary's load mode refuses
# to run (exit 2, naming it) and `tach load` says its reason; its benchmarks run as before.
source "$(dirname "$0")/lib.bash"
private_store
B=$TACH_BUILD/tests/fixture_duplicate

expect 2 "$B" --tach-load --list &&
  err_has "two operations of one name (operation get)" && ok "the load mode refuses, naming it"
if expect 2 "$TACH" load "$B" get --duration 0.2 --warmup 0 --threads 1 --no-store; then
  err_has "refuses its load mode: two operations of one name (operation get)" &&
    ok "tach load says why (not 'has no load mode')"
  check "nothing written" test ! -e "$TACH_STORE"
fi

finish
