#!/usr/bin/env bash
# bench_report_pipes.sh - PERFORMANCE_REPORT.md's "What ran" table (what a CI's step
# summary shows) with a command holding a pipe, as docs/bench.md says to write one
# (sh -c '… | …'), and one holding backticks: each item is one code span in its own cell,
# the | escaped and the span fenced past the backticks, so the row keeps its columns.
source "$(dirname "$0")/lib.bash"
set -o pipefail
cd "$tmp"
mkdir -p .tach
cat >.tach/config <<'CONF'
[module "sh"]
    command = sh -c 'true | true'
    command = sh -c 'echo `true` >/dev/null'
CONF
if expect 0 "$TACH" bench --quick --report r.md; then
  # the rows' first three cells (the rest are counts and times)
  grep -E '^\| sh \| command \|' r.md | sed -E 's/^(\| sh \| command \| .*`) \| .*/\1/' >got.txt
  cat >want.txt <<'WANT'
| sh | command | `sh -c 'true \| true'`
| sh | command | `` sh -c 'echo `true` >/dev/null' ``
WANT
  if diff -u want.txt got.txt >diff.txt; then ok "What ran: a | and backticks in a command stay in its cell"
  else fail "What ran: the command cells differ:"; cat diff.txt >&2; fi
  # each row of the table has the header's 7 cells: 8 unescaped pipes
  check "What ran: every row has 7 cells" bash -c \
    "sed -n '/^## What ran/,/^## /p' r.md | grep '^|' | sed 's/\\\\|//g' | awk -F'|' 'NF != 9 { exit 1 }'"
fi
finish
