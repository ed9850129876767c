#!/usr/bin/env bash
# bench_reach.sh - benchmarks that reach outside their loop keep their results:
#   - one that forks a long-lived child (which inherits the worker's result pipe): its
#     finished result is read when the worker writes it and ends, not when the child
#     lets go of the pipe, so it is "ok", not a false timeout;
#   - with --no-isolate, one that changes the current directory: --out still lands
#     where it was asked (the path is resolved before anything runs).
source "$(dirname "$0")/lib.bash"
cd "$tmp"
BIN="$TACH_BUILD/tests/fixture_forker"
export FIXTURE_PIDFILE=$tmp/pids FIXTURE_DAEMON_S=30
trap 'xargs -r kill <"$tmp/pids" 2>/dev/null; rm -rf "$tmp"' EXIT

if expect 0 "$BIN" --filter daemon --max-time 50ms --timeout 5 --format json --quiet; then
  out_jq '.benchmarks[0].status == "ok" and (.benchmarks[0].samples.ns | length) > 0'
  [ -s pids ] && ok "a benchmark with a long-lived child: ok, not a timeout" || fail "the daemon did not start (test is void)"
fi

mkdir away
if FIXTURE_CHDIR=$tmp/away expect 0 "$BIN" --filter wanderer --no-isolate --max-time 20ms --quiet --format json --out rel.json; then
  check "--no-isolate: --out written where asked though the benchmark changed directory" \
    jqt '.benchmarks[0].status == "ok"' rel.json
  check "--no-isolate: nothing written in the directory it moved to" test ! -e away/rel.json
fi
finish
