#!/usr/bin/env bash
# The --tach-probe start of a one-word target is waited on for the run's --timeout (1 to
# 10 s), as tach profile's: tach run, ab and stability waited 10 s whatever --timeout, so
# a program that ignores the option cost 10 s before a 1 s run.  Here the target answers
# the probe as a benchmark binary would, but only after 4 s: with --timeout 1 it is given
# up at 1 s, before that answer can come however slow the machine, and timed as the
# command it is (waited on for 10 s, it was driven as a binary).  No timing dependence:
# a 4 s sleep never ends before a 1 s limit.
source "$(dirname "$0")/lib.bash"

cat >slow_answer <<'SH'
#!/bin/sh
if [ "${1:-}" = --tach-probe ]; then
  sleep 4
  echo '{"tach_bench":1,"version":"0.3"}'
fi
exit 0
SH
chmod +x slow_answer

trun --runs 1 --timeout 1 --style basic --export-json "$W/run.json" ./slow_answer
expect_rc 0 "run --timeout 1 of a target answering the probe after 4 s"
jqc "timed as a command" run.json '.benchmarks | length == 1 and (.[0].name == "./slow_answer") and .[0].status == "ok"'
out_has '^Benchmark 1: \./slow_answer$' && ok "its summary is a command's"

"$TACH" stability --runs 2 --reps 2 --timeout 1 --format json ./slow_answer >"$W/out" 2>"$W/err"
rc=$?
[ "$rc" -le 1 ] && ok "stability ran it (exit $rc: 1 when its runs vary)" || bad "stability: exit $rc"
out_jq '.kind == "command"' && ok "stability timed it as a command"
# The help says the probe wait ends with SIGTERM and SIGKILL 1 s later (it said 1 to 10 s,
# but one ignoring SIGTERM takes a second more).
for c in run ab stability profile; do
  "$TACH" "$c" --help >"$W/$c.help" 2>&1
  if tr '\n' ' ' <"$W/$c.help" | grep -q "1 to 10 s, then[^)]*SIGKILL 1 s later"; then
    ok "tach $c --help: the probe wait ends with SIGTERM, SIGKILL 1 s later"
  else
    bad "tach $c --help: the probe wait's end not said: $(grep -A1 'waited on for' "$W/$c.help")"
  fi
done
if tr '\n' ' ' <"$TACH_SRC/docs/guide.md" | grep -q "SIGKILL 1 s later if it is still there"; then
  ok "docs/guide.md: the probe wait's grace"
else
  bad "docs/guide.md does not say the probe gets SIGKILL 1 s after SIGTERM"
fi
finish
