#!/usr/bin/env bash
# soak_record_later.sh - a soak whose record failed is recorded later by `tach record` of
# its series file (docs/soak.md), which the NOT recorded line names ("record it later
# with: tach record FILE"); tach record could not read the file (exit 2), so such a soak
# was never in the history.  The run_uid in the file's header makes a second record a
# no-op ("already recorded"), and a soak recorded partial, resumed, and whose resumed
# record failed is recorded by tach record in place of its partial run, as the resume
# would have done.  The store is made read-only by the soak's command (chmod a-w; chattr
# +i for root) once a flag file is there; Ctrl-C is sent once the file holds intervals
# (signal_when).  SQLite; nothing timed.
source "$(dirname "$0")/lib.bash"
command -v sqlite3 >/dev/null || { echo "skip: no sqlite3"; exit 77; }
if [ "$(id -u)" = 0 ]; then
  printf '#!/bin/sh\n[ -e "%s" ] && chattr +i "$1" 2>/dev/null\nexit 0\n' "$tmp/ro.on" >"$tmp/ro.sh"
  undo() { chattr -i "$@" 2>/dev/null; }
else
  printf '#!/bin/sh\n[ -e "%s" ] && chmod a-w "$1"\nexit 0\n' "$tmp/ro.on" >"$tmp/ro.sh"
  undo() { chmod u+w "$@" 2>/dev/null; }
fi
chmod +x "$tmp/ro.sh"
S=$tmp/s.db
trap 'undo "$S"; rm -rf "$tmp"' EXIT
: >"$tmp/ro.on" >"$tmp/probe"
"$tmp/ro.sh" "$tmp/probe"
if (: >>"$tmp/probe") 2>/dev/null; then
  undo "$tmp/probe"
  echo "skip: no way to make a file read-only here (chattr +i refused, as root)"
  exit 77
fi
undo "$tmp/probe"
rm -f "$tmp/ro.on"
"$TACH" record -q --store "$S" "$DATA/report_base.json" >/dev/null || fail "cannot make the store"
runs() { sqlite3 "$S" 'SELECT count(*) FROM tach_runs'; }
samples_of() { sqlite3 "$S" "SELECT n FROM tach_benchmarks WHERE run_id = $1"; }
intervals() { grep -c '"interval"' "$1"; }

# 1. a whole soak whose record failed: the line names the command; tach record records
# it once
: >"$tmp/ro.on"
expect 2 "$TACH" soak --duration 0.4 --interval 0.1 --out "my soak.jsonl" --store "$S" -- "$tmp/ro.sh" "$S"
undo "$S"
rm -f "$tmp/ro.on"
tail -1 "$tmp/err" >"$tmp/last"
grep -Eq "^tach soak: the run was NOT recorded: cannot write store $S: [A-Z].*; record it later with: tach record 'my soak.jsonl'$" "$tmp/last" \
  && ok "a soak NOT recorded: the line names the tach record to run" || fail "last line: $(cat "$tmp/last")"
[ "$(runs)" = 1 ] || fail "runs: $(runs)"
if expect 0 "$TACH" record --store "$S" "my soak.jsonl"; then
  err_line "^tach record: recorded run 2 in $S$" && [ "$(runs)" = 2 ] \
    && [ "$(samples_of 2)" = "$(intervals "my soak.jsonl")" ] \
    && ok "tach record of the series file records the soak, a sample per interval"
  "$TACH" report 2 --store "$S" --format json --no-compare | jq -e '.context.soak.format == "tach-soak-report"' \
    >/dev/null && ok "the run holds the soak's report, as tach soak records it" || fail "no context.soak"
fi
# its report (--format json) is not what is recorded: the error says what is
"$TACH" soak --report "my soak.jsonl" --format json -o report.json 2>/dev/null
jqt '.format == "tach-soak-report"' report.json || fail "no soak report: $(head -c 200 report.json)"
if expect 2 "$TACH" record --store "$S" report.json; then
  err_line "^tach record: report\.json: a tach soak report \(tach soak --format json\), not a results document: a soak is its series file, tach soak --out's \(default soak\.jsonl\): tach record SERIES records it, tach soak --report SERIES reports it$" \
    && [ "$(runs)" = 2 ] && ok "tach record of a soak's report: exit 2, the series file named as what to record" \
    || fail "runs $(runs)"
fi
if expect 0 "$TACH" record --store "$S" "my soak.jsonl"; then
  err_line "^tach record: my soak.jsonl: its run is already recorded, as run 2 in $S; not recorded again$" \
    && [ "$(runs)" = 2 ] && ok "a second record of it: said, nothing recorded"
fi
expect 0 "$TACH" record -q --store "$S" "my soak.jsonl" && out_has '^2$' && [ "$(runs)" = 2 ] \
  && ok "-q: the run's id" || fail "-q: $(cat "$tmp/out" "$tmp/err")"

# 2. a soak stopped (Ctrl-C) and recorded partial, then resumed with its record failing:
# tach record of the file replaces the partial run, as that record would have
"$TACH" soak --duration 600 --interval 0.1 --out p.jsonl --store "$S" -- "$tmp/ro.sh" "$S" \
  >"$tmp/out" 2>"$tmp/err" &
signal_when INT $! lines_at_least 3 '"interval"' p.jsonl
m=$(jq -s 'map(.recorded_run // empty) | last' p.jsonl)
[ "$m" = 3 ] && ok "the soak stopped: recorded partial as run 3, noted" || fail "noted: '$m': $(cat "$tmp/err")"
n0=$(intervals p.jsonl)
: >"$tmp/ro.on"
"$TACH" soak --resume p.jsonl >"$tmp/out" 2>"$tmp/err" &
signal_when INT $! lines_at_least $((n0 + 3)) '"interval"' p.jsonl
undo "$S"
rm -f "$tmp/ro.on"
grep -q "the run was NOT recorded: .*; record it later with: tach record p.jsonl$" "$tmp/err" \
  && ok "the resumed soak NOT recorded: the line names the tach record to run" || fail "$(cat "$tmp/err")"
[ "$(samples_of 3)" -lt "$(intervals p.jsonl)" ] || fail "run 3 has every interval already"
if expect 0 "$TACH" record --store "$S" p.jsonl; then
  err_line "^tach record: recorded run 4 in $S \(replacing run 3, the soak before --resume\)$" \
    && [ "$(runs)" = 3 ] && [ "$(samples_of 4)" = "$(intervals p.jsonl)" ] \
    && ok "tach record of it replaces the partial run with the whole file's"
fi
[ "$(jq -s 'map(.recorded_run // empty) | last' p.jsonl)" = 4 ] \
  && ok "the new run noted in the file, for a later --resume" || fail "not noted: $(tail -2 p.jsonl)"
if expect 0 "$TACH" record --store "$S" p.jsonl; then
  err_line "^tach record: p.jsonl: its run is already recorded, as run 4 in $S; not recorded again$" \
    && [ "$(runs)" = 3 ] && ok "recorded again: said, nothing recorded"
fi

# 3. a series with no interval holds nothing to record: exit 2, nothing recorded
head -1 p.jsonl >h.jsonl
expect 2 "$TACH" record --store "$S" h.jsonl && err_line "^tach record: h.jsonl holds no interval of its soak: nothing to record$" \
  && [ "$(runs)" = 3 ] && ok "a series of no interval: exit 2, nothing recorded"
finish
