#!/usr/bin/env bash
# bench/stats/run.sh [BUILD_DIR] - times the statistics (bootstrap, U test, change
# points) against their targets.  Needs a configured+built tree (default: build);
# links its static libtach.  Exit 1 when a target is missed.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build}
lib="$build/libtach.a"
[ -f "$lib" ] || { echo "bench/stats: $lib not found; build first (cmake --build $build)" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cc -O2 -std=gnu11 -I"$src/include" -I"$src/src/core" -I"$src/src/bench" -I"$src/src/judge" -I"$src/src/store" $(pkg-config --cflags jansson) \
  "$src/bench/stats/speed.c" "$build/libtach_tool_core.a" "$lib" $(pkg-config --libs jansson) -lm -o "$out/speed"
"$out/speed"
