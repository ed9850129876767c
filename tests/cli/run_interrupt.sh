#!/usr/bin/env bash
# Ctrl-C (SIGINT) stops `tach run` at once: the running command is killed, what was
# measured is printed and exported with "partial": true, and the exit status is 130.
source "$(dirname "$0")/lib.bash"
set -o pipefail
private_store

# ---- one command -------------------------------------------------------------------------------
"$TACH" run --no-store --style basic --runs 100000 --export-json "$W/p.json" --export-hyperfine "$W/p.hf.json" \
  --export-markdown "$W/p.md" --export-csv "$W/p.csv" --export-gbench "$W/p.gb.json" \
  --export-github "$W/p.gh.json" --export-bmf "$W/p.bmf.json" \
  -- sh -c "echo x >> $W/prog.log; sleep 0.05" >"$W/out" 2>"$W/err" &
signal_when INT $! lines_at_least 5 . "$W/prog.log" # the run got going (5 runs)
check "exit status 130 after SIGINT (got $rc)" test "$rc" -eq 130
check "stopped at once, not after 100000 runs" test $(( $(date +%s) - signalled_at )) -lt 15
check "stderr says it was interrupted" grep -q "interrupted" "$W/err"
check "what was measured is printed" grep -q "Time (mean ± σ)" "$W/out"
jqc "the JSON export is whole and marked partial" p.json '.partial == true'
jqc "it holds the runs measured before the signal" p.json '(.benchmarks[0].samples.ns | length) >= 4 and (.benchmarks[0].samples.ns | length) < 100000'
jqc "every recorded run finished normally (the killed one is not recorded)" p.json '[.benchmarks[0].runs.exit_codes[] == 0] | all'
jqc "the hyperfine export is written too, marked partial" p.hf.json '(.results[0].times | length >= 4) and .partial == true'
check "the markdown export is written too, marked partial" bash -c "grep -q 'sh -c' p.md && grep -q '^\*Partial: the run was interrupted' p.md"
check "the CSV export is marked partial on its row" python3 -c '
import csv
rows = list(csv.DictReader(open("p.csv")))
assert [(r["partial"], r["quick"]) for r in rows] == [("true", "false")], rows'
jqc "the gbench export is marked partial in its context" p.gb.json '.context.partial == true'
jqc "the github export is marked partial in each entry's extra" p.gh.json '.[0].extra | test("partial: the run was interrupted")'
check "the BMF export, which has no place to mark it, is not written" test ! -e p.bmf.json
check "and stderr says why" grep -q -- "--export-bmf: not written: the run was interrupted" "$W/err"

# ---- several commands, interleaved -------------------------------------------------------------------
rm -f "$W/prog.log"
"$TACH" run --no-store --style none --runs 100000 --export-json "$W/q.json" \
  -c "sh -c 'echo a >> $W/prog.log; sleep 0.03'" -c "sh -c 'echo b >> $W/prog.log; sleep 0.03'" >"$W/out" 2>"$W/err" &
signal_when INT $! lines_at_least 6 . "$W/prog.log" # the interleaved run got going
check "exit 130 with several commands (got $rc)" test "$rc" -eq 130
jqc "both commands' partial results are exported" q.json '.partial == true and (.benchmarks | length) == 2 and ([.benchmarks[].samples.ns | length >= 2] | all)'

# ---- --cleanup still runs after Ctrl-C ---------------------------------------------------------------
rm -f "$W/prog.log" "$W/clean.log"
"$TACH" run --no-store --style none --runs 100000 --cleanup "echo cleaned >> $W/clean.log" --export-json "$W/c.json" \
  -- sh -c "echo x >> $W/prog.log; sleep 0.02" >"$W/out" 2>"$W/err" &
signal_when INT $! lines_at_least 3 . "$W/prog.log" # the run with --cleanup got going
check "exit 130 with --cleanup (got $rc)" test "$rc" -eq 130
check "--cleanup ran once after the interrupt" test "$(cat "$W/clean.log" 2>/dev/null)" = cleaned
jqc "and the export is partial" c.json '.partial == true'

# ---- a long single run: the command itself is killed ----------------------------------------------------
"$TACH" run --no-store --style none --runs 3 --export-json "$W/r.json" -- sh -c "echo started >> $W/long.log; sleep 299.731" \
  >"$W/out" 2>"$W/err" &
signal_when INT $! test -s "$W/long.log" # the long command started
check "exit 130 while a 5 min command runs (got $rc)" test "$rc" -eq 130
check "it did not wait for the command" test $(( $(date +%s) - signalled_at )) -lt 60
jqc "partial export with no samples" r.json '.partial == true and (.benchmarks[0].samples.ns | length) == 0'
# The duration is unusual so that no other process on the machine matches it; a killed
# process still needs CPU time to exit: a loaded machine (a sanitizer build) gets up to
# 60 s to show it gone, well within the 299.731 s it would live on if it were not killed.
gone() { ! ps -eo args | grep -q '^sleep 299\.731$'; }
check "what the command started (sleep 299.731) was killed with it (its process group)" within 60 gone

# ---- a benchmark binary: the worker is passed the SIGINT and its finished part kept ------------------
# Each worker would sample each benchmark for 10 s; the signal comes once `second` has
# started in worker 1, so `first` has a finished round there.
TACH_TRACE="$W/trace" "$TACH" run --no-store --style basic --processes 2 --max-time 20 --precision 0.0001 \
  --filter '^(first|second)$' \
  --export-json "$W/b.json" --export-csv "$W/b.csv" "$TACH_BUILD/tests/fixture_rounds" >"$W/out" 2>"$W/err" &
# once the binary's worker reached its second benchmark
signal_when INT $! grep -qs '^second ' "$W/trace"
check "exit 130 for a benchmark binary (got $rc)" test "$rc" -eq 130
check "it did not wait for the worker's 40 s" test $(( $(date +%s) - signalled_at )) -lt 15
jqc "the finished benchmark of the interrupted worker is kept, marked partial" b.json \
  '.partial == true and ([.benchmarks[] | select(.name == "first") | .samples.ns | length > 0] | any)'
check "and printed" grep -q '^first ' "$W/out"

finish
