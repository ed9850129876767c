#!/usr/bin/env bash
# bench_config_report.sh - tach bench's report path refused before anything runs says
# where the name came from: the config's [suite] report (file named), or --report; it said
# "report 'nodir/r.md': ..." alone, the config unnamed.
source "$(dirname "$0")/lib.bash"
cd "$tmp" || exit 1
mkdir .tach
printf '[module "a"]\n    command = true\n[suite]\n    report = nodir/r.md\n' >.tach/config
expect 2 "$TACH" bench --quick &&
  err_line "^tach bench: \[suite\] report 'nodir/r\.md' in .*/\.tach/config: cannot write '.*/nodir/r\.md': directory '.*/nodir' does not exist$" &&
  ok "[suite] report in a folder that is not there: the config named"
check "nothing run or recorded" test ! -e .tach/tach.db
expect 2 "$TACH" bench --quick --report nodir/x.md &&
  err_line "^tach bench: --report 'nodir/x\.md': cannot write " && ok "--report: the option named"
finish
