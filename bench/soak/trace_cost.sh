#!/usr/bin/env bash
# bench/soak/trace_cost.sh [BUILD_DIR] - the cost per run of `tach soak -- COMMAND`
# reading the command's own peak RSS (a ptrace stop at its exit, cli/child_peak.c),
# against a plain fork + exec + wait4, side by side in one process (trace_cost.c, built
# here against BUILD_DIR's libraries).  N runs each (default 2000), for /bin/true and
# for `sh -c true`.  Exit 0 measured, 2 cannot run.
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$(realpath -m "${1:-$src/build}")
n=${N:-2000}
die() { echo "trace_cost.sh: $*" >&2; exit 2; }
[ -f "$build/libtach_cli.a" ] || die "build $build first (libtach_cli.a)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -std=c11 -I"$src/cli" -I"$src/src/core" -I"$src/include" -I"$src/src/bench" \
  "$src/bench/soak/trace_cost.c" "$build/libtach_cli.a" "$build/libtach_suite.a" \
  "$build/libtach_tool_core.a" "$build/libtach.a" \
  $(pkg-config --libs jansson sqlite3 libpq libcurl) -lm -lpthread -o "$tmp/trace_cost" \
  || die "cannot build trace_cost.c"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$tmp/trace_cost" "$n" true
"$tmp/trace_cost" "$n" sh -c true
