#!/bin/bash
# load_op_names.sh - two operations of one name (tests/fixtures/duplicate.c: TACH_OP(get)
# and a hand-registered second "get", as another file's static one would be): the command
# line names an operation, so the second would never run.  The binary's load mode refuses
# to run (exit 2, naming it) and `tach load` says its reason; its benchmarks run as before.
# A binary of an older libtach, with no load mode, answers --tach-load with an unknown
# option (exit 2 too): that is no refusal of a load mode, and tach load says it has none.
source "$(dirname "$0")/lib.bash"
private_store
B=$TACH_BUILD/tests/fixture_duplicate

expect 2 "$B" --tach-load --list &&
  err_has "load mode refused: two operations of one name (operation get)" &&
  ok "the load mode refuses, naming it"
if expect 2 "$TACH" load "$B" get --duration 0.2 --warmup 0 --threads 1 --no-store; then
  err_line "^tach load: '$B' refuses its load mode: two operations of one name \(operation get\)$" &&
    ok "tach load says why (not 'has no load mode')"
  check "nothing written" test ! -e "$TACH_STORE"
fi

# An older libtach: its option parser's answer to --tach-load, its benchmarks as before.
cat >oldbin <<SH
#!/bin/sh
[ "\$1" = --tach-load ] && { echo "\$0: unknown option '--tach-load' (see --help)" >&2; exit 2; }
exec "$TACH_BUILD/tests/fixture_load_ops" "\$@"
SH
chmod +x oldbin
if expect 2 "$TACH" load ./oldbin safe --duration 0.2 --warmup 0 --threads 1 --no-store; then
  err_line "^tach load: './oldbin' has no load mode \(built against an older libtach\?\)$" &&
    ok "tach load: an older binary's unknown option is no load mode, not a refusal"
  check "nothing written (older binary)" test ! -e "$TACH_STORE"
fi

finish
