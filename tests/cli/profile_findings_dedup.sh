#!/usr/bin/env bash
# profile_findings_dedup.sh - the findings and cppcheck's parse notes are told apart by
# their whole text, never by a part of it (tools stood in by scripts on PATH, so that
# what they print is known): a note on a.h after one on sub/a.h was dropped, "sub/a.h: "
# holding "a.h: "; and of two findings of one check on one line (two parameters copied)
# the second was dropped, while a finding printed twice (a header in two files) is one.
source "$(dirname "$0")/lib.bash"
FIX=$TACH_BUILD/tests/fixture_prof_hot
SRC=$TACH_SRC/tests/fixtures/prof_hot.c
HOT=$(grep -n '/\* PROF_HOT_FINDING \*/' "$SRC" | cut -d: -f1)
cd "$tmp" || exit 1
mkdir tools
cat >tools/clang-tidy <<EOF2
#!/bin/sh
echo "$SRC:$HOT:5: warning: the parameter 'a' is copied [performance-unnecessary-value-param]"
echo "$SRC:$HOT:9: warning: the parameter 'ab' is copied [performance-unnecessary-value-param]"
echo "$SRC:$HOT:5: warning: the parameter 'a' is copied [performance-unnecessary-value-param]"
EOF2
cat >tools/cppcheck <<'EOF2'
#!/bin/sh
echo "sub/a.h:1:1: error: syntax error [syntaxError]"
echo "a.h:2:1: error: syntax error [syntaxError]"
echo "sub/a.h:3:1: error: syntax error [syntaxError]"
EOF2
chmod +x tools/clang-tidy tools/cppcheck
PATH=$tmp/tools:$PATH expect 0 "$TACH" findings --profile-dir "$tmp/p" --cflags "-I$TACH_SRC/include" -- "$FIX" --max-time 0.5 --quiet
out_has "^ +[12] +[0-9.]+% +hot_work +[^ ]*prof_hot\\.c:$HOT +performance-unnecessary-value-param: the parameter 'a' is copied \\(clang-tidy\\)$"
out_has "^ +[12] +[0-9.]+% +hot_work +[^ ]*prof_hot\\.c:$HOT +performance-unnecessary-value-param: the parameter 'ab' is copied \\(clang-tidy\\)$"
n=$(grep -c "prof_hot\\.c:$HOT " "$tmp/out")
[ "$n" = 2 ] && ok "two findings on the line, the repeated one once" || fail "$n rows: $(cat "$tmp/out")"
out_has '^note: cppcheck could not parse sub/a\.h: syntaxError, a\.h: syntaxError; give --cflags'
finish
