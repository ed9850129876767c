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
finish
