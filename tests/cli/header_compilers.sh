#!/usr/bin/env bash
# include/tach.h refuses a compiler that is neither GCC nor Clang with an #error that
# names the need (constructors and inline asm), instead of failing later on syntax;
# under GCC or Clang it compiles on its own.  The C compiler stands in for another
# one by having its GCC/Clang macros undefined.
source "$(dirname "$0")/lib.bash"
CC=${CC:-cc}
printf '#include <tach.h>\nint main(void) { return tach_version_number() > 0 ? 0 : 1; }\n' >"$tmp/h.c"

check "the header compiles alone under $CC" \
    "$CC" -std=c11 -fsyntax-only -Wall -Wextra -Werror -I"$TACH_SRC/include" "$tmp/h.c"
if "$CC" -std=c11 -fsyntax-only -U__GNUC__ -U__clang__ -I"$TACH_SRC/include" "$tmp/h.c" 2>"$tmp/err"; then
    check "another compiler is refused" false
else
    check "another compiler is refused with an #error naming GCC or Clang" \
        grep -q 'error.*needs GCC or Clang' "$tmp/err"
fi

# A benchmark or operation named like an object-like macro keeps its name: `linux` is
# one under GNU C (-std=gnu11), errno and EINTR everywhere.  The macros once expanded
# the name before pasting it: TACH_BENCH(linux) and TACH_BENCH(errno) did not compile.
cat >"$tmp/names.c" <<'C'
#include <errno.h>
#include <tach.h>
TACH_BENCH(linux) { while (tach_loop(st)) {} }
TACH_BENCH(errno, .group = "g") { while (tach_loop(st)) {} }
TACH_OP(unix) {}
C
check "TACH_BENCH(linux), TACH_BENCH(errno) and TACH_OP(unix) compile as GNU C11" \
    "$CC" -std=gnu11 -fsyntax-only -Wall -Wextra -Wpedantic -Werror -I"$TACH_SRC/include" "$tmp/names.c"
PED=$TACH_BUILD/tests/fixture_pedantic
if [ -x "$PED" ]; then
    "$PED" --list >"$tmp/list" 2>&1
    check "TACH_BENCH(errno) is listed as errno" grep -qx 'macro_names/errno' "$tmp/list"
    # tach load names the binary's operations when asked for one it lacks.
    "$TACH" load --duration 0.3s --warmup 0 --rate 10 -- "$PED" no_such_op >/dev/null 2>"$tmp/ops"
    check "TACH_OP(EINTR) is the operation EINTR, not 4" grep -q 'it has: .*\bEINTR\b' "$tmp/ops"
else
    check "the fixture fixture_pedantic is built" false
fi
finish
