#!/usr/bin/env bash
# install_consumer.sh - README.md's first benchmark (tests/consumer/copy.c) built the
# ways a user builds it, each binary then listing and running its benchmarks:
#   1. with the README's command line against the build tree, before any install
#      (PKG_CONFIG_PATH=build finds tach-uninstalled.pc; the rpath finds libtach.so.0);
#   2. with the same command line against an installed prefix (cmake --install);
#   3. with CMake's find_package(tach) from that prefix, linking tach::tach_static and
#      tach::tach_main in both orders (tests/consumer/CMakeLists.txt); a consumer's own
#      find_package(ZLIB) results untouched by find_package(tach), and an optional
#      find_package(tach QUIET) whose dependencies are missing (tests/consumer/deps);
#   4. the docs installed to share/doc/tach, and --help pointing at a guide that exists;
#   5. the package of a libtach built without libdw (the optional dependency): the
#      project configured again with libdw hidden from pkg-config, its tachConfig.cmake
#      and exported targets loaded by find_package;
#   6. make install: only what is installed is built (the build dependencies only, not
#      the examples' and suites' libraries), to PREFIX, staged under DESTDIR.
# Everything is written under a temporary folder.
source "$(dirname "$0")/lib.bash"
set -o pipefail
cd "$tmp"
src=$TACH_SRC/tests/consumer/copy.c
cflags=()
# A sanitized libtach needs its runtime in the program too.
[ "${TACH_TEST_SANITIZE:-OFF}" = ON ] && cflags=(-fsanitize=address,undefined)
quick=(--max-time 0.05 --min-samples 2 --warmup 0 --min-time 0 --rounds 1 --quiet --format json)

# runs BIN: it lists the README's five sizes (64 B to 64 KiB by 8, the top included)
# and runs one of them, which must be ok.
runs() {
  [ "$("$1" --list | tr '\n' ' ')" = "copy/bytes=64 copy/bytes=512 copy/bytes=4096 copy/bytes=32768 copy/bytes=65536 " ] ||
    { echo "$1 --list: $("$1" --list 2>&1)"; return 1; }
  "$1" "${quick[@]}" --filter 'bytes=64$' --out "$tmp/run.json" || return 1
  jq -e '[.benchmarks[].status] == ["ok"]' "$tmp/run.json" >/dev/null
}

# ---- 1. against the build tree (the README's command line, as printed) ---------------
build_tree() {
  (export PKG_CONFIG_PATH=$TACH_BUILD
   # shellcheck disable=SC2046
   cc -O2 "${cflags[@]}" "$src" $(pkg-config --cflags --libs tach) -o copy_tree) &&
    runs ./copy_tree
}
check "pkg-config, build tree: finds tach-uninstalled.pc" \
  bash -c "PKG_CONFIG_PATH='$TACH_BUILD' pkg-config --variable=libdir tach | grep -qxF '$TACH_BUILD'"
check "pkg-config, build tree: cc copy.c \$(pkg-config --cflags --libs tach) builds and runs" \
  build_tree

# A program with a main() of its own, calling tach_main itself, links with the same flags:
# libtach_main.a's main() is taken only when no other is defined.
own_main() {
  sed 's/^#include <tach.h>$/#include <tach.h>\n#include <stdio.h>/' "$src" >own.c &&
    printf 'int main(int argc, char **argv) { puts("own main"); return tach_main(argc, argv); }\n' >>own.c &&
    (export PKG_CONFIG_PATH=$TACH_BUILD
     # shellcheck disable=SC2046
     cc -O2 "${cflags[@]}" own.c $(pkg-config --cflags --libs tach) -o copy_own) &&
    [ "$(./copy_own --list | head -1)" = "own main" ]
}
check "pkg-config, build tree: a program's own main() is the one that runs" own_main

# ---- 2. an installed prefix -------------------------------------------------------------
prefix=$tmp/prefix
if cmake --install "$TACH_BUILD" --prefix "$prefix" >install.log 2>&1; then
  ok "cmake --install into a temporary prefix"
else
  fail "cmake --install: $(tail -5 install.log)"
fi
pcdir=$(dirname "$(find "$prefix" -name tach.pc | head -1)")
libdir=$(dirname "$pcdir")
installed() {
  (export PKG_CONFIG_PATH=$pcdir
   # shellcheck disable=SC2046
   cc -O2 "${cflags[@]}" "$src" $(pkg-config --cflags --libs tach) -o copy_inst) &&
    LD_LIBRARY_PATH=$libdir runs ./copy_inst
}
check "pkg-config, installed prefix: the README's command line builds and runs" installed
# Another prefix than the loader's: README.md's line with -Wl,-rpath,PREFIX/lib runs as is.
installed_rpath() {
  (export PKG_CONFIG_PATH=$pcdir
   # shellcheck disable=SC2046
   cc -O2 "${cflags[@]}" "$src" $(pkg-config --cflags --libs tach) -Wl,-rpath,"$libdir" -o copy_rpath) &&
    env -u LD_LIBRARY_PATH ./copy_rpath --list >/dev/null && runs ./copy_rpath
}
check "pkg-config, installed prefix: with -Wl,-rpath,PREFIX/lib it runs without LD_LIBRARY_PATH" installed_rpath
# Its paths are clean: the prefix was "${pcfiledir}/../../", so libdir and includedir
# read "PREFIX/lib/pkgconfig/../..//lib" (a doubled slash, shown in every -I and -L).
pc_paths() {
  local v
  for v in prefix libdir includedir; do
    PKG_CONFIG_PATH=$pcdir pkg-config --variable=$v tach
  done | grep -E '//|/$' && return 1
  ! grep -E '^[a-z]+=.*(//|/$)' "$pcdir/tach.pc"
}
check "pkg-config, installed prefix: no doubled or trailing slash in tach.pc's paths" pc_paths
# The docs are installed as in the source tree (share/doc/tach/README.md, docs/*.md,
# examples/), so that every relative link between them resolves; and --help names a
# guide that exists.
doc=$prefix/share/doc/tach
check "make install installs the README, the guide and the references in share/doc/tach" \
  test -s "$doc/README.md" -a -s "$doc/docs/guide.md" -a -s "$doc/docs/results-format.md" \
  -a -s "$doc/examples/README.md" -a -s "$doc/examples/sort.c"
# links_resolve: every relative link ([text](target), no URL, #anchor dropped) of every
# installed .md file names an installed file or folder.
links_resolve() {
  local f t n=0 broken=0
  while IFS= read -r f; do
    while IFS= read -r t; do
      t=${t#\](}; t=${t%)}; t=${t%%#*}
      case $t in '' | *://* | mailto:*) continue ;; esac
      n=$((n + 1))
      [ -e "$(dirname "$f")/$t" ] || { echo "${f#"$doc"/}: broken link $t"; broken=1; }
    done < <(grep -o '\]([^)]*)' "$f")
  done < <(find "$doc" -name '*.md')
  [ "$n" -gt 20 ] || { echo "only $n links found"; return 1; }
  return "$broken"
}
check "every relative link in the installed docs resolves (README.md's docs/ and examples/ too)" \
  links_resolve
guide=$("$TACH" --help | sed -n 's/.*Docs: \([^ ]*guide\.md\).*/\1/p')
check "tach --help names a guide that exists ($guide)" test -s "$guide"
# The installed tool finds the docs from where it is (PREFIX/bin/tach ->
# PREFIX/share/doc/tach/docs), not where the build was configured to install them nor the
# source tree; its commands' help (whose docs/NAME.md are there) ends with the same folder.
guide=$("$prefix/bin/tach" --help | sed -n 's/.*Docs: \([^ ]*guide\.md\).*/\1/p')
check "the installed tach --help names the guide under the prefix ($guide)" \
  test "$guide" = "$doc/docs/guide.md" -a -s "$guide"
installed_cmd_docs() {
  local c last
  for c in run profile findings suite compare gate load ab history; do
    last=$("$prefix/bin/tach" "$c" --help | tail -1)
    [ "$last" = "Docs: $doc/docs" ] ||
      { echo "tach $c --help ends with: $last"; return 1; }
  done
}
check "the installed tach CMD --help ends naming the installed docs folder" installed_cmd_docs

# ---- 3. CMake's package, both link orders -------------------------------------------------
cmake_consumer() {
  cmake -S "$TACH_SRC/tests/consumer" -B consumer -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_C_FLAGS="${cflags[*]}" >consumer.log 2>&1 &&
    cmake --build consumer >>consumer.log 2>&1 || { tail -20 consumer.log; return 1; }
}
check "find_package(tach): tach::tach_static tach::tach_main link in either order" cmake_consumer
check "tach::tach_static then tach::tach_main: runs" runs consumer/copy_static_first
check "tach::tach_main then tach::tach_static: runs" runs consumer/copy_main_first
# find_package(tach) finds its dependencies under names of its own: the consumer's
# find_package(ZLIB) variables (ZLIB_LIBRARIES the full path) stay as they were.
deps_consumer() {
  cmake -S "$TACH_SRC/tests/consumer/deps" -B deps -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_C_FLAGS="${cflags[*]}" >deps.log 2>&1 &&
    cmake --build deps >>deps.log 2>&1 || { tail -20 deps.log; return 1; }
}
check "find_package(ZLIB) then find_package(tach): ZLIB_LIBRARIES etc. unchanged, builds" deps_consumer
check "... and runs" runs deps/copy
# Without jansson (pkg-config finds nothing but tach.pc): find_package(tach QUIET) sets
# tach_FOUND false and the configure goes on; REQUIRED fails naming what is missing.
mkdir -p empty-pc
expect 0 env PKG_CONFIG_LIBDIR="$tmp/empty-pc" cmake -S "$TACH_SRC/tests/consumer/deps" -B deps_quiet \
  -DCMAKE_PREFIX_PATH="$prefix" -DTACH_QUIET=ON &&
  check "find_package(tach QUIET), jansson missing: the configure goes on, tach_FOUND false" \
    grep -qE 'tach_FOUND=(0|FALSE|OFF)$' "$tmp/out"
expect 1 env PKG_CONFIG_LIBDIR="$tmp/empty-pc" cmake -S "$TACH_SRC/tests/consumer/deps" -B deps_required \
  -DCMAKE_PREFIX_PATH="$prefix" &&
  check "find_package(tach REQUIRED), jansson missing: the error names jansson" \
    grep -q 'jansson' "$tmp/err"

# ---- 5. a libtach built without libdw ---------------------------------------------------
# The installed file says whether libtach needs libdw as a CMake boolean: a condition
# with an empty operand ("if( AND ...)") is a syntax error for every consumer.
config=$(find "$prefix" -name tachConfig.cmake | head -1)
check "the installed tachConfig.cmake has no empty condition operand" \
  bash -c "! grep -nE 'if\( *(AND|OR)|(AND|OR) *\)' '$config'"
# The project configured (not built) with libdw hidden: pkg-config then reads a folder of
# links to every .pc file of its search path but libdw.pc.  The installed prefix, with
# that configuration's package files in place of its own, must load in find_package.
nodw_package() {
  mkdir -p nodw-pc && local d f
  for d in $(pkg-config --variable pc_path pkg-config | tr : ' '); do
    for f in "$d"/*.pc; do
      [ -e "$f" ] && [ "${f##*/}" != libdw.pc ] && ln -sf "$f" nodw-pc/
    done
  done
  local rel_libdir=${libdir#"$prefix"/}
  env -u PKG_CONFIG_PATH PKG_CONFIG_LIBDIR="$tmp/nodw-pc" cmake -S "$TACH_SRC" -B nodw \
    -DCMAKE_BUILD_TYPE=Release -DTACH_TESTS=OFF -DTACH_EXAMPLES=OFF \
    -DCMAKE_INSTALL_LIBDIR="$rel_libdir" >nodw.log 2>&1 || { tail -20 nodw.log; return 1; }
  grep -q "libdw not found" nodw.log || { echo "libdw was not hidden"; return 1; }
  cp -rs "$prefix" prefix_nodw &&
    rm prefix_nodw/"$rel_libdir"/cmake/tach/tach*.cmake &&
    cp nodw/tachConfig.cmake nodw/tachConfigVersion.cmake nodw/CMakeFiles/Export/*/tachTargets*.cmake \
      prefix_nodw/"$rel_libdir"/cmake/tach/ || return 1
  mkdir -p nodw_consumer &&
    printf '%s\n' 'cmake_minimum_required(VERSION 3.20)' 'project(nodw_consumer LANGUAGES C)' \
      'find_package(tach REQUIRED)' 'if(NOT TARGET tach::tach_static)' \
      '  message(FATAL_ERROR "no tach::tach_static")' 'endif()' >nodw_consumer/CMakeLists.txt &&
    cmake -S nodw_consumer -B nodw_consumer/build -DCMAKE_PREFIX_PATH="$tmp/prefix_nodw" \
      >nodw_consumer.log 2>&1 || { tail -20 nodw_consumer.log; return 1; }
}
check "built without libdw: find_package(tach) loads its package" nodw_package

# ---- 6. make install PREFIX=... DESTDIR=... ------------------------------------------------
# Its recipe (make -n) checks the build dependencies only and builds the installed
# targets only (the examples' libraries and the tests' tools are not needed).
make -n -s -C "$TACH_SRC" install BUILD="$TACH_BUILD" PREFIX=/opt/tach-test DESTDIR="$tmp/dest" \
  >make-n.txt 2>&1
recipe_ok=1
check "make install: checks the build dependencies (scripts/deps.sh build), not the demo's" \
  bash -c "grep -q 'deps.sh build' make-n.txt && ! grep -q 'deps.sh demo' make-n.txt" || recipe_ok=0
check "make install: builds the library, tach_main and the tool only" \
  grep -qE -- '--target +tach +tach_static +tach_main +tach_cli *$' make-n.txt || recipe_ok=0
check "make install: installs to PREFIX under DESTDIR" \
  grep -qE -- "DESTDIR=\"?$tmp/dest\"? +cmake --install .* --prefix +\"?/opt/tach-test\"?" make-n.txt || recipe_ok=0
# Then for real, staged under DESTDIR, when the recipe is the one checked (an older one
# would build everything) and the build dependencies are all there (deps.sh build would
# otherwise want to install them): nothing outside $tmp is written.  To the prefix the
# build tree is configured for: another would configure it again (see 7), under the
# tests that are running it.
bprefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$TACH_BUILD/CMakeCache.txt")
make_install() {
  make -s -C "$TACH_SRC" install BUILD="$TACH_BUILD" PREFIX="$bprefix" DESTDIR="$tmp/dest" \
    >make-install.log 2>&1 || { tail -20 make-install.log; return 1; }
  grep -q 'CMAKE_INSTALL_PREFIX=' make-install.log && { echo "the build tree was configured again"; return 1; }
  local p=$tmp/dest$bprefix
  [ -x "$p/bin/tach" ] && [ -s "$p/include/tach.h" ] && [ -s "$p/share/doc/tach/docs/guide.md" ] &&
    find "$p" -name 'libtach.so.0' | grep -q . && find "$p" -name tach.pc | grep -q . ||
    { find "$tmp/dest" | head -20; return 1; }
}
if [ "$recipe_ok" = 1 ] && bash "$TACH_SRC/scripts/deps.sh" --check build >/dev/null 2>&1; then
  check "make install PREFIX=$bprefix DESTDIR=D: installs under D$bprefix" make_install
else
  echo "skip: make install for real (the recipe is not the one checked, or build packages are missing)"
fi

# ---- 7. make install PREFIX=/usr: the library folder GNUInstallDirs chooses for it -------
# A build made by `make` is configured for /usr/local (library folder lib); `make install
# PREFIX=/usr` configures it again for /usr, so that on Debian the library, tach.pc and the
# CMake package go to lib/x86_64-linux-gnu (the multiarch folder), where pkg-config and
# find_package look, and tach.pc names that folder.  (It went to /usr/lib.)  A build of its
# own (the installed targets only), staged under DESTDIR.
multiarch=$(cc -print-multiarch 2>/dev/null)
usr_install() {
  cmake -S "$TACH_SRC" -B usrbuild -DCMAKE_BUILD_TYPE=Release -DTACH_TESTS=OFF -DTACH_EXAMPLES=OFF \
    >usrbuild.log 2>&1 || { tail -20 usrbuild.log; return 1; }
  grep -qx 'CMAKE_INSTALL_LIBDIR:PATH=lib' usrbuild/CMakeCache.txt || { echo "not configured for lib"; return 1; }
  make -s -C "$TACH_SRC" install BUILD="$tmp/usrbuild" PREFIX=/usr DESTDIR="$tmp/dest-usr" \
    >usr-install.log 2>&1 || { tail -20 usr-install.log; return 1; }
  local lib=$tmp/dest-usr/usr/lib/$multiarch
  [ -e "$lib/libtach.so.0" ] && [ -s "$lib/libtach.a" ] && [ -s "$lib/pkgconfig/tach.pc" ] &&
    [ -s "$lib/cmake/tach/tachConfig.cmake" ] && [ ! -e "$tmp/dest-usr/usr/lib/libtach.so.0" ] ||
    { find "$tmp/dest-usr" -name '*tach*' | head -20; return 1; }
  # tach.pc's libdir is the folder the library is in
  [ "$(readlink -f "$(PKG_CONFIG_PATH=$lib/pkgconfig pkg-config --variable=libdir tach)")" = "$lib" ] ||
    { echo "tach.pc's libdir: $(PKG_CONFIG_PATH=$lib/pkgconfig pkg-config --variable=libdir tach)"; return 1; }
  # and the CMake package's targets point into it
  grep -q '/lib/'"$multiarch"'/libtach\.so\.0' "$lib"/cmake/tach/tachTargets-*.cmake ||
    { echo "the CMake package does not name lib/$multiarch"; return 1; }
  # configured for /usr/local again (make install PREFIX=/usr/local): lib once more
  make -s -C "$TACH_SRC" install-configure BUILD="$tmp/usrbuild" PREFIX=/usr/local >>usr-install.log 2>&1 &&
    grep -qx 'CMAKE_INSTALL_LIBDIR:PATH=lib' usrbuild/CMakeCache.txt || { echo "not lib again for /usr/local"; return 1; }
}
if [ -z "$multiarch" ]; then
  echo "skip: make install PREFIX=/usr (no multiarch folder on this system)"
elif bash "$TACH_SRC/scripts/deps.sh" --check build >/dev/null 2>&1; then
  check "make install PREFIX=/usr DESTDIR=D: the library in D/usr/lib/$multiarch, tach.pc and the package naming it" \
    usr_install
else
  echo "skip: make install PREFIX=/usr (build packages are missing)"
fi

finish
