#!/usr/bin/env bash
# profile_findings.sh - static findings joined to measured hot code (docs/profiling.md,
# issue #13): the fixture prof_hot has the same clang-tidy finding
# (performance-no-int-to-ptr) in hot_work, which has ~90% of the samples
# (PROF_HOT_FINDING), and in setup_only, which runs once outside the measured region
# and has none (PROF_COLD_FINDING): only the hot one is reported, with its share.
# Without the tools on PATH: one line naming each package, the profile still written.
# A file compiled as sub/hc.c (relative, DW_AT_comp_dir) is found from any directory;
# cppcheck's own parse errors are one note, and it reads compile_commands.json.
source "$(dirname "$0")/lib.bash"
FIX=$TACH_BUILD/tests/fixture_prof_hot
SRC=$TACH_SRC/tests/fixtures/prof_hot.c
HOT=$(grep -n '/\* PROF_HOT_FINDING \*/' "$SRC" | cut -d: -f1)
COLD=$(grep -n '/\* PROF_COLD_FINDING \*/' "$SRC" | cut -d: -f1)
cd "$tmp" || exit 1
command -v clang-tidy >/dev/null || { echo "clang-tidy is not installed (scripts/deps.sh test)"; fail "clang-tidy missing"; }

expect 0 "$TACH" findings --profile-dir "$tmp/p" --cflags "-I$TACH_SRC/include -std=gnu11" -- "$FIX" --max-time 1 --quiet
out_has '^Static findings in the hot code \([0-9]+ source files? with samples\):'
out_has "^ +1 +[0-9.]+% +hot_work +[^ ]*prof_hot\\.c:$HOT +performance-no-int-to-ptr: .*\\(clang-tidy\\)$"
out_lacks "prof_hot\\.c:$COLD "
out_lacks 'setup_only'
# setup_only's finding is one of those left out; a sanitizer build also samples libtach's
# own files, whose findings add to the count
out_has '^\([1-9][0-9]* more in code without samples, left out\)$'
share=$(awk '$1 == "1" && $3 == "hot_work" { sub("%", "", $2); print $2 }' "$tmp/out")
awk -v x="$share" 'BEGIN { exit !(x >= 50 && x <= 99) }' && ok "the finding's share ${share}% is hot_work's" || fail "share '$share'"

# tach profile --static: the same
expect 0 "$TACH" profile --static --profile-dir "$tmp/p" --cflags "-I$TACH_SRC/include" -- "$FIX" --max-time 1 --quiet
out_has "hot_work +[^ ]*prof_hot\\.c:$HOT "

# the tools missing: one line each naming the package; the profile is still written
mkdir empty
rm -f p/*
PATH=$tmp/empty expect 0 "$TACH" findings --profile-dir "$tmp/p" -- "$FIX" --max-time 0.5 --quiet
out_has '^note: clang-tidy is not installed \(Debian package clang-tidy\)'
out_has '^note: cppcheck is not installed \(Debian package cppcheck\)'
[ -s p/prof_mix-47235a4493647f7f.svg ] && ok "the profile is still written" || fail "no profile without the tools"

# a file compiled with a relative path in a subdirectory: the DWARF names it sub/hc.c
# (relative to DW_AT_comp_dir), clang-tidy prints its absolute path; both name one file,
# from this directory and from another one
mkdir -p rel/sub rel/other
cat >rel/sub/hc.c <<'C'
#include <stdint.h>
#include <stdio.h>
static volatile uintptr_t sink;
__attribute__((noinline)) static long hot(long n)
{
    long s = 0;
    for (long i = 0; i < n; i++) {
        int *p = (int *)(sink + (uintptr_t)i); /* REL_FINDING */
        s += (long)(uintptr_t)p;
    }
    return s;
}
int main(void)
{
    printf("%ld\n", hot(200000000L));
    return 0;
}
C
(cd rel && gcc -O1 -g -fno-omit-frame-pointer sub/hc.c -o hc) || fail "gcc sub/hc.c"
cd rel && expect 0 "$TACH" findings --profile-dir "$tmp/rp" ./hc; cd "$tmp" || exit 1
out_has '^Static findings in the hot code \(1 source file with samples\):'
out_has "^ +1 +[0-9.]+% +hot +[^ ]*rel/sub/hc\.c:8 +performance-no-int-to-ptr: "
cd rel/other && expect 0 "$TACH" findings --remarks --profile-dir "$tmp/rp" ../hc; cd "$tmp" || exit 1
out_has "^ +1 +[0-9.]+% +hot +[^ ]*rel/sub/hc\.c:8 +performance-no-int-to-ptr: "
# --remarks finds the file the same way (gcc compiles it once more)
out_has '^Compiler remarks in the hot code \(gcc -fsave-optimization-record, 1 source file\):'
out_has "^ +1 +[0-9.]+% +hot +[^ ]*rel/sub/hc\.c:[0-9]+ +vectorization: "
# no source file found: one line naming the missing ones
mv rel/sub/hc.c rel/sub/hc.c.gone
cd rel && expect 0 "$TACH" findings --profile-dir "$tmp/rp" ./hc; cd "$tmp" || exit 1
out_has '^Static findings in the hot code \(0 source files with samples\):'
# (a sample in libc or the loader may add their files to the list)
out_has "^note: no source file of the hot code was found \\([1-9][0-9]* missing: (.*, )?[^ ]*rel/sub/hc\\.c(, .*)?\\)$"

# cppcheck: a libtach benchmark with a cppcheck finding (invalidPointerCast) in its hot
# function.  Without -I for tach.h cppcheck cannot parse TACH_BENCH: that is its own
# error, said in one note, not a finding "left out"; with a compile_commands.json
# (its -I, cppcheck --project) the finding is found, as with --cflags -I.
if command -v cppcheck >/dev/null; then
  mkdir -p cpp && cd cpp || exit 1
  cat >fb.c <<'C'
#include <stdint.h>
#include <tach.h>

__attribute__((noinline)) double hot_cast(double *d, uint64_t n)
{
    double s = 0;
    for (uint64_t i = 0; i < n; i++) {
        float *f = (float *)d; /* CPPCHECK_HOT */
        s += f[i & 1] + d[i & 3];
    }
    return s;
}

TACH_BENCH(cast, .group = "fb")
{
    double d[4] = {1, 2, 3, 4};
    while (tach_loop(st)) {
        double s = hot_cast(d, 100000);
        TACH_KEEP(s);
    }
}
C
  san=()
  [ "${TACH_TEST_SANITIZE:-OFF}" = ON ] && san=(-fsanitize=address,undefined)
  # shellcheck disable=SC2046
  (export PKG_CONFIG_PATH=$TACH_BUILD
   cc -O1 -g "${san[@]}" fb.c $(pkg-config --cflags --libs tach) -ltach_main -o fb) || fail "cc fb.c"
  expect 0 "$TACH" findings --profile-dir "$tmp/cp" -- ./fb --max-time 0.5 --quiet
  out_has '^no finding in code with samples$'
  out_lacks 'more in code without samples'
  out_has "^note: cppcheck could not parse [^ ]*cpp/fb\.c: unknownMacro TACH_BENCH; give --cflags -I\.\.\. or a compile_commands\.json$"
  printf '[{"directory": "%s", "file": "%s/fb.c", "command": "cc -O1 -g -I%s/include -c fb.c -o fb.o"}]\n' \
    "$PWD" "$PWD" "$TACH_SRC" >compile_commands.json
  expect 0 "$TACH" findings --profile-dir "$tmp/cp" -- ./fb --max-time 0.5 --quiet
  out_has "^ +1 +[0-9.]+% +hot_cast +[^ ]*cpp/fb\.c:8 +invalidPointerCast: .*\(cppcheck\)$"
  out_lacks 'cppcheck could not parse'
  rm compile_commands.json
  expect 0 "$TACH" findings --cflags "-I$TACH_SRC/include" --profile-dir "$tmp/cp" -- ./fb --max-time 0.5 --quiet
  out_has "^ +1 +[0-9.]+% +hot_cast +[^ ]*cpp/fb\.c:8 +invalidPointerCast: .*\(cppcheck\)$"
  # a compile_commands.json without the hot file: cppcheck checks it without (a note)
  printf '[{"directory": "%s", "file": "%s/other.c", "command": "cc -c other.c"}]\n' "$PWD" "$PWD" >compile_commands.json
  expect 0 "$TACH" findings --cflags "-I$TACH_SRC/include" --profile-dir "$tmp/cp" -- ./fb --max-time 0.5 --quiet
  out_has '^note: cppcheck could not use compile_commands.json in .* \(.*other\.c.* does not exist\): it checks the hot files without it$'
  out_has "^ +1 +[0-9.]+% +hot_cast +[^ ]*cpp/fb\\.c:8 +invalidPointerCast: .*\\(cppcheck\\)$"
  touch other.c # there: none of the hot files is in it
  expect 0 "$TACH" findings --cflags "-I$TACH_SRC/include" --profile-dir "$tmp/cp" -- ./fb --max-time 0.5 --quiet
  out_has '^note: cppcheck could not use compile_commands.json in .* \(could not find any files matching the filter\): it checks the hot files without it$'
  out_has "^ +1 +[0-9.]+% +hot_cast +[^ ]*cpp/fb\\.c:8 +invalidPointerCast: .*\\(cppcheck\\)$"
  rm compile_commands.json
  cd "$tmp" || exit 1
else
  fail "cppcheck missing (scripts/deps.sh test)"
fi

expect 2 "$TACH" findings && err_has "no program"
expect 2 "$TACH" findings --top x true && err_has "--top"
# -p DIR (the directory of compile_commands.json) and --cflags are checked before the
# program runs (the profile is not made for nothing): exit 2 naming the path, nothing run
cd "$tmp" || exit 1
touch notadir
mkdir -p nocc
for bad in "$tmp/no-such-dir:does not exist" "$tmp/notadir:is not a directory" "$tmp/nocc:holds no compile_commands.json"; do
  d=${bad%%:*} why=${bad#*:}
  rm -f ran
  if expect 2 "$TACH" findings -p "$d" --profile-dir "$tmp/pp" -- sh -c 'touch ran'; then
    err_line "^tach findings: -p/--compile-commands: '$d' $why"
    out_lacks .
    [ ! -e ran ] && [ ! -e "$tmp/pp" ] && ok "-p $d ($why): refused before the program runs" ||
      fail "-p $d: the program ran or the profile directory was made"
  fi
done
if expect 2 "$TACH" findings --compile-commands "$tmp/no-such-dir" --profile-dir "$tmp/pp" -- sh -c 'touch ran'; then
  err_has "'$tmp/no-such-dir' does not exist" && [ ! -e ran ] && ok "--compile-commands (the long name) alike" \
    || fail "--compile-commands (the long name) alike"
fi
if expect 2 "$TACH" findings --cflags "'-Iinc" --profile-dir "$tmp/pp" -- sh -c 'touch ran'; then
  err_line "^tach findings: --cflags: .*unterminated" && [ ! -e ran ] && ok "--cflags that do not split: refused before the program runs" \
    || fail "--cflags that do not split: refused before the program runs"
fi
if expect 2 "$TACH" profile --static -p "$tmp/no-such-dir" --profile-dir "$tmp/pp" -- sh -c 'touch ran'; then
  err_line "^tach profile: -p/--compile-commands: '$tmp/no-such-dir' does not exist" && [ ! -e ran ] &&
    ok "tach profile --static -p: the same check" || fail "tach profile --static -p: the same check"
fi
# without --static there are no findings: -p and --cflags would do nothing
for o in "-p $tmp" "--compile-commands $tmp" "--cflags -O2"; do
  # shellcheck disable=SC2086
  if expect 2 "$TACH" profile $o --profile-dir "$tmp/pp" -- sh -c 'touch ran'; then
    err_has "applies to the static findings: add --static" && [ ! -e ran ] &&
      ok "tach profile $o without --static: refused before the program runs" \
        || fail "tach profile $o without --static: refused before the program runs"
  fi
done
finish
