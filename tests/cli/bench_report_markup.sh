#!/usr/bin/env bash
# bench_report_markup.sh - PERFORMANCE_REPORT.md's list items (the Summary, the machine,
# the regression analysis) hold benchmark names: a command's "<int>" was read as an HTML
# tag (dropped by GitHub) and its "*x*" as emphasis.  They are escaped as text, so they
# show as written.  One command, so the latency line names it whatever the times.
source "$(dirname "$0")/lib.bash"
set -o pipefail
cd "$tmp"
mkdir -p .tach
cat >.tach/config <<'CONF'
[module "sh"]
    command = sh -c ': "<int>" *x*'
    criteria = throughput latency
CONF
if expect 0 "$TACH" bench --quick --report r.md; then
  grep -E '^- Latency p99: ' r.md | sed -E 's/^- Latency p99: [^,]*, /- Latency p99: T, /' >got.txt
  cat >want.txt <<'WANT'
- Latency p99: T, the highest, of sh/sh -c ': "&lt;int>" \*x\*' (no baseline value)
WANT
  if diff -u want.txt got.txt >diff.txt; then ok "Summary: a name's <int> and *x* escaped as text"
  else fail "Summary: the latency line differs:"; cat diff.txt >&2; fi
fi
finish
