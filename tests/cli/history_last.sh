#!/usr/bin/env bash
# history_last.sh - `tach history --last N` follows every benchmark over the newest N runs
# (its help: "only the newest N runs"), as it lists the names of those runs.  A benchmark
# left out of a run (a `tach bench MODULE` of another module) and back in the newest got
# its own newest N rows instead, reaching past the N runs: its first value, change and
# trend were from a run --last had dropped (x/b: +100% from run 1, with --last 2).
source "$(dirname "$0")/lib.bash"
private_store
mkdoc r1.json x/a:steady:10:1 x/b:steady:10:1
mkdoc r2.json x/a:steady:10:1.1
mkdoc r3.json x/a:steady:10:1.2 x/b:steady:10:2
mkdoc r4.json x/a:steady:10:1.3
for i in 1 2 3 4; do "$TACH" record -q "r$i.json" >/dev/null 2>&1 || fail "record r$i.json"; done

expect 0 "$TACH" history --last 2 --format csv \
  && [ "$(tail -n +2 "$tmp/out" | cut -d, -f1,2 | tr '\n' ' ')" = "x/a,3 x/a,4 x/b,3 " ] \
  && ok "--last 2: each benchmark's points from runs 3 and 4 only" \
  || fail "--last 2 csv: $(cat "$tmp/out")"
expect 0 "$TACH" history --last 2 \
  && out_has '^x/b +1 +201 ns +201 ns +- ' && out_lacks '\+100\.0%' \
  && ok "--last 2 table: x/b has its one run of the two, no change from run 1"
expect 0 "$TACH" history --last 2 --format json \
  && out_jq '[.benchmarks[] | .points[] | .run] | all(. >= 3)' \
  && ok "--last 2 json: no point before run 3"
# with another filter: the newest N of the runs it keeps
"$TACH" record -q --tag k=v r1.json >/dev/null 2>&1 || fail "record r1.json --tag"
expect 0 "$TACH" history --tag k=v --last 1 --format csv x/b \
  && [ "$(tail -n +2 "$tmp/out" | cut -d, -f1,2 | tr '\n' ' ')" = "x/b,5 " ] \
  && ok "--tag k=v --last 1: the newest run carrying the tag"
# and without --last, every run of it
expect 0 "$TACH" history --format csv x/b \
  && [ "$(tail -n +2 "$tmp/out" | cut -d, -f2 | tr '\n' ' ')" = "1 3 5 " ] && ok "no --last: every run"
# --last N counts runs, not rows: a run holding a name twice (the schema allows it,
# though tach record refuses it) took two of the N, and --last 2 showed run 5 alone
sqlite3 store.db "INSERT INTO tach_benchmarks SELECT run_id, pos + 100, name, status, median * 2,
  median_lo, median_hi, mean, n, samples, cv FROM tach_benchmarks WHERE name = 'x/a'" \
  || fail "x/a not doubled"
expect 0 "$TACH" history --last 2 --format csv x/a \
  && [ "$(tail -n +2 "$tmp/out" | cut -d, -f2 | tr '\n' ' ')" = "4 4 5 5 " ] \
  && ok "--last 2 with x/a twice in each run: runs 4 and 5, both rows of each" \
  || fail "--last 2 with x/a twice: $(cat "$tmp/out")"
expect 0 "$TACH" history --tag k=v --last 1 --format csv x/a \
  && [ "$(tail -n +2 "$tmp/out" | cut -d, -f2 | tr '\n' ' ')" = "5 5 " ] \
  && ok "--tag k=v --last 1 with x/a twice: run 5's two rows"
finish
