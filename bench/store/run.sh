#!/usr/bin/env bash
# bench/store/run.sh - the history store's figures (issue 4 §6) on this machine.
#
#   bench/store/run.sh [BUILD_DIR]      (default: build; needs libtach.a, libtach_tool_core.a, tach)
#
# 1. Through the C interface (bench/store/store_bench.c, compiled here): a SQLite store in a
#    temp directory filled with 1,000 runs x 100 benchmarks, then recording a 1,000-benchmark
#    run (target <= 100 ms), one benchmark's history over 1,000 runs (<= 20 ms), the rows and
#    raw samples of two 1,000-benchmark runs (the store's side of comparing them; the whole
#    comparison, <= 200 ms, is bench/ab's and tach compare's), and loading a whole document.
# 2. End to end through the tool, process start included: `tach record` of a 1,000-benchmark
#    file and `tach history NAME --format csv` over the 1,000 runs.
# Each figure is the median over REPS repetitions (default 11; REPS=N to change).
# PG=1 also measures the interface on a throwaway PostgreSQL server (fsync on, loopback),
# or on TACH_BENCH_PG_URL when set (its tach_* tables get 1,000 runs).
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
reps=${REPS:-11}
tmp=$(mktemp -d /tmp/tach_store_bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

cc -O2 -std=gnu11 -I"$src/include" -I"$src/src/core" -I"$src/src/bench" -I"$src/src/judge" -I"$src/src/store" "$src/bench/store/store_bench.c" \
  "$build/libtach_tool_core.a" "$build/libtach.a" \
  $(pkg-config --libs sqlite3 libpq jansson) -lm -o "$tmp/store_bench"

echo "== store interface (SQLite, $(sqlite3 --version | cut -d' ' -f1)), $(nproc) cores, $(uname -r)"
"$tmp/store_bench" "$tmp/bench.db" "$reps" "$tmp/big.json"
if [ "${PG:-0}" = 1 ] && [ -z "${TACH_BENCH_PG_URL:-}" ]; then
  # A throwaway PostgreSQL server on loopback, as tests/cli/store_pg.sh starts one.
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  pgdir=$(mktemp -d /tmp/tach_store_bench_pg.XXXXXX)
  as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  [ "$(id -u)" = 0 ] && chown postgres "$pgdir"
  port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_pg "$pgbin/initdb" -D "$pgdir/data" -A trust -U postgres >/dev/null
  as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1" start >/dev/null
  trap 'as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1; rm -rf "$tmp" "$pgdir"' EXIT
  TACH_BENCH_PG_URL="postgresql://postgres@127.0.0.1:$port/postgres"
fi
if [ -n "${TACH_BENCH_PG_URL:-}" ]; then
  echo "== store interface (PostgreSQL at $TACH_BENCH_PG_URL)"
  "$tmp/store_bench" "$TACH_BENCH_PG_URL" "$reps"
fi

echo "== end to end: the tach tool (process start, JSON parse, git look-ups included)"
median() { sort -n | awk '{a[NR]=$1} END {m = NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.1f", m}'; }
ms() { local a b; a=$(date +%s%N); "$@" >/dev/null 2>&1; b=$(date +%s%N); echo $(((b - a) / 1000)) | awk '{print $1/1000}'; }
cd "$tmp"
for i in $(seq "$reps"); do ms "$build/tach" record --store "$tmp/bench.db" "$tmp/big.json"; done >"$tmp/t_rec"
echo "tach record FILE (1,000 benchmarks x 20 samples)   median $(median <"$tmp/t_rec") ms over $reps"
for i in $(seq "$reps"); do ms "$build/tach" history --store "$tmp/bench.db" --format csv suite/bench_0042/n=0; done >"$tmp/t_hist"
echo "tach history NAME --format csv (1,000 runs)        median $(median <"$tmp/t_hist") ms over $reps"
for i in $(seq "$reps"); do ms "$build/tach" --version; done >"$tmp/t_nop"
echo "(tach --version, the process floor)                median $(median <"$tmp/t_nop") ms"
