#!/usr/bin/env bash
# target_limits.sh - how gate, report and certify show targets, against golden files:
# a limit below 1 ns or 1/s has three significant digits (a max_median_ns of 0.001 read
# "0.00 ns", a min_items_per_sec of 0.001 "0.00 /s"); and in a run that counted
# instructions (context.settings.metric), a benchmark that failed under Valgrind has its
# time and rate targets not checked, as the counted ones' (they read "missed, nothing
# measured" in gate and MISSED in report and certify), while a failed benchmark of a timed
# run still misses them.  The documents are tests/cli/data/{tiny_limits,instr_failed}.json,
# written by hand; no Valgrind is needed.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
cd "$tmp"
cp "$DATA/tiny_limits.json" "$DATA/instr_failed.json" .

# ---- tiny limits, a timed run ----
if expect 1 "$TACH" gate tiny_limits.json tiny_limits.json; then
  out_has '^  fast: max_median_ns 0\.001 ns, measured 2\.02 ns$'
  out_has '^  broken: max_median_ns 0\.5 ns, nothing measured$'
  out_lacks '0\.00 ns'
  cp out gate.txt
  golden target_limits.gate.txt gate.txt
  ok "gate: tiny limits with their digits; the failed benchmark of a timed run misses its targets"
fi
if expect 0 "$TACH" report tiny_limits.json --no-compare; then
  out_has '^\| `fast` \| median ≤ \| 0\.001 ns \| 2\.02 ns \| \*\*MISSED\*\* \|$'
  out_has '^\| `fast` \| items/s ≥ \| 0\.001 /s \| .* \| met \|$'
  out_has '^\| `broken` \| median ≤ \| 0\.5 ns \| n/a \| \*\*MISSED\*\* \|$'
  out_lacks '0\.00 (ns|/s)'
  cp out report.md
  golden target_limits.md report.md
  ok "report: tiny limits with their digits"
fi
if expect 0 "$TACH" report tiny_limits.json --no-compare --format html; then
  out_has '>0\.001 ns<' && out_lacks '>0\.00 ns<'
  ok "report --format html: the same limits"
fi
if expect 1 "$TACH" certify tiny_limits.json; then
  out_has '^\| `fast` \| median ≤ \| 0\.001 ns \| 2\.02 ns \| MISSED \|$'
  ok "certify: the same limits (REJECTED: missed)"
fi

# ---- a run that counted instructions, one benchmark failed under Valgrind ----
notime='not checked: the run counted instructions, not times'
if expect 1 "$TACH" gate instr_failed.json instr_failed.json; then
  out_has '^targets not checked \(5\):$'
  out_has "^  unknown_insn: max_median_ns 500 ns, $notime\$"
  out_has "^  unknown_insn: min_items_per_sec 1\\.00 k/s, $notime\$"
  out_has "^  work: max_median_ns 0\\.001 ns, $notime\$"
  out_lacks 'targets missed|nothing measured'
  err_has '1 failed benchmark, 0 targets missed (5 not checked: the run counted instructions)'
  cp out gate.txt
  golden target_limits_instr.gate.txt gate.txt
  ok "gate: the failed benchmark's time targets not checked, as the counted one's (exit 1: it failed)"
fi
if expect 0 "$TACH" report instr_failed.json --no-compare; then
  out_has '^\| Targets \| 0 met, 0 missed, 5 not checked \|$'
  out_has "^\\| \`unknown_insn\` \\| median ≤ \\| 500 ns \\| n/a \\| $notime \\|\$"
  out_lacks 'MISSED|target missed'
  cp out report.md
  golden target_limits_instr.md report.md
  ok "report: the failed benchmark's targets not checked"
fi
if expect 1 "$TACH" certify instr_failed.json; then
  out_has "^\\| \`unknown_insn\` \\| median ≤ \\| 500 ns \\| n/a \\| $notime \\|\$"
  out_has '^\| Targets \| n/a \| 0 of 0 declared targets met; 5 not checked \(the run counted instructions\) \|$'
  out_has '^- Targets: .*the time and rate targets are not checked on a run that counted instructions'
  out_lacks 'MISSED'
  cp out cert.md
  golden target_limits_instr.certificate.md cert.md
  ok "certify: not checked, not missed (REJECTED for the failed benchmark alone)"
fi
finish
