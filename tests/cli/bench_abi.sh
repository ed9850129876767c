#!/usr/bin/env bash
# A benchmark definition that tach_register refuses (here one from a newer tach.h, its
# struct_size larger than this library's) is not dropped in silence: the binary says
# how many were refused and why, and exits 2 before measuring anything.
source "$(dirname "$0")/lib.bash"
bin=$TACH_BUILD/tests/fixture_abi_mismatch
[ -x "$bin" ] || { fail "fixture_abi_mismatch not built"; finish; }

expect 2 "$bin" --format json && ok "exit 2"
err_line '^.*fixture_abi_mismatch: 1 benchmark definition was refused: a definition from a newer tach\.h .*\(struct_size [0-9]+, this library.s [0-9]+\)$' && ok "one line naming the refusal"
out_lacks '"name"' && ok "nothing measured"
expect 2 "$bin" --list >/dev/null && ok "--list refuses too"
expect 0 "$bin" --help && ok "--help still answers"
finish
