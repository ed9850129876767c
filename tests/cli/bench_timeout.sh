#!/usr/bin/env bash
# bench_timeout.sh - `tach bench` ends a command module's run that does not end: after
# --timeout S, else after 60 s (a benchmark binary's own default), the item is reported
# timed out and the rest go on.  Without a default, a module that hung hung tach bench
# (and the CI job running it) forever.
source "$(dirname "$0")/lib.bash"
private_store
mkdir -p proj/.tach && cd proj || exit 1

# a module that never ends, with a short --timeout: timed out, the next module still runs
# (the outer timeout only keeps a broken tach from hanging the test run)
printf '[module "hangs"]\n    command = sleep 100000\n[module "after"]\n    command = true\n' >.tach/config
expect 1 timeout 300 "$TACH" bench --quick --timeout 1 --format json
check "--timeout 1: the hanging module is timed out" \
  jqt '[.results.benchmarks[] | select(.name | startswith("hangs/")) | .status] == ["timeout"]' \
  PERFORMANCE_REPORT.json
check "--timeout 1: the module after it ran" \
  jqt '[.results.benchmarks[] | select(.name | startswith("after/")) | .status] == ["ok"]' \
  PERFORMANCE_REPORT.json
check "no sleep is left running" bash -c "! pgrep -x -f 'sleep 100000' >/dev/null"

# without --timeout a command's runs are bounded too: 60 s, recorded in the run's settings
printf '[module "fast"]\n    command = true\n' >.tach/config
expect 0 "$TACH" bench --quick && ok "a module that ends: exit 0"
expect 0 "$TACH" report latest --format json && out_jq '.context.settings.timeout_s == 60' &&
  ok "the default timeout, 60 s, is the command's runs'"
expect 0 "$TACH" bench --help && out_has 'default 60' && ok "--help names the default"
finish
