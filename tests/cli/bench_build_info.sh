#!/usr/bin/env bash
# bench_build_info.sh - a results document says how the benchmark's own code was built
# (TACH_BENCH captures __OPTIMIZE__, NDEBUG and __VERSION__ in the user's translation
# unit: context.benchmark_build), apart from libtach's build (compiler, build_flags,
# build_type), and the report labels each as what it is.
source "$(dirname "$0")/lib.bash"
set -o pipefail
cd "$tmp"
src=$TACH_SRC/tests/consumer/copy.c
cflags=()
[ "${TACH_TEST_SANITIZE:-OFF}" = ON ] && cflags=(-fsanitize=address,undefined)
quick=(--max-time 0.05 --min-samples 2 --warmup 0 --min-time 0 --rounds 1 --quiet --format json
       --filter 'bytes=64$')
build() { # OUT CFLAGS...: copy.c against the build tree
  local out=$1; shift
  # shellcheck disable=SC2046
  (export PKG_CONFIG_PATH=$TACH_BUILD
   cc "$@" "${cflags[@]}" "$src" $(pkg-config --cflags --libs tach) -ltach_main -o "$out")
}
cc_version=$(printf '__VERSION__\n' | cc -E -P - | tr -d '"' | tail -1)

if build debug -O0 && ./debug "${quick[@]}" --out debug.json; then
  check "-O0 without NDEBUG: benchmark_build says not optimized, assertions on, the compiler" \
    jqt --arg v "$cc_version" '.context.benchmark_build == {"optimized": false, "ndebug": false, "compiler": $v}' debug.json
  check "libtach's own flags are still recorded (as libtach's)" jqt '.context.build_flags | type == "string"' debug.json
  if expect 0 "$TACH" report debug.json --no-compare --no-history; then
    out_has 'Benchmark build.*not optimized, assertions on \(no NDEBUG\), compiler '
    out_has 'libtach build flags'
    out_lacks '\| Build flags \|'
  fi
else
  fail "cannot build copy.c with -O0"
fi
if build release -O2 -DNDEBUG && ./release "${quick[@]}" --out release.json; then
  check "-O2 -DNDEBUG: benchmark_build says optimized, NDEBUG" \
    jqt '.context.benchmark_build.optimized == true and .context.benchmark_build.ndebug == true' release.json
else
  fail "cannot build copy.c with -O2"
fi
finish
