#!/usr/bin/env bash
# soak_store.sh - a soak is recorded in the store when it stops: whole (partial false,
# the verdict and the series in context.soak, one sample per interval), or interrupted
# by Ctrl-C (recorded partial); --no-store records nothing; a store that cannot be
# written is refused before anything runs (exit 2, no series file left).
source "$(dirname "$0")/lib.bash"
private_store

# A whole soak of a command: recorded, not partial, one sample per interval.
expect 0 "$TACH" soak --duration 1 --interval 0.2 --out whole.jsonl -- true && err_has "recorded run 1"
expect 0 "$TACH" history --runs --format json && out_jq 'length == 1'
if expect 0 "$TACH" report 1 --format json --no-compare; then
  n=$(jq -s '[.[] | select(.interval != null and .ops >= 1)] | length' whole.jsonl)
  out_jq '.partial == false and .context.soak.partial == false and .context.soak.format == "tach-soak-report"'
  out_jq '.context.soak.verdict.summary == "stable" or .context.soak.verdict.summary == "drifting"'
  out_jq --argjson n "$n" '.benchmarks[0].name == "soak: true" and (.benchmarks[0].samples.ns | length) == $n and $n >= 3'
  out_jq --argjson n "$n" '(.context.soak.series.t | length) == $n'
  ok "a whole soak is recorded with its verdict, its series and a sample per interval"
fi

# Interrupted (SIGINT) after two intervals: exit 130, recorded partial.
"$TACH" soak --duration 60 --interval 0.1 --out cut.jsonl -- true >"$tmp/out" 2>"$tmp/err" &
pid=$!
for _ in $(seq 1 300); do
  [ "$(grep -c '"interval"' cut.jsonl 2>/dev/null || echo 0)" -ge 2 ] && break
  sleep 0.1
done
kill -INT "$pid"
wait "$pid"
rc=$?
if [ "$rc" = 130 ]; then ok "Ctrl-C stops the soak (exit 130)"; else fail "Ctrl-C: exit $rc, want 130"; fi
err_has "recorded run 2"
if expect 0 "$TACH" report 2 --format json --no-compare; then
  out_jq '.partial == true and .context.soak.partial == true and .context.soak.intervals >= 2'
  ok "an interrupted soak is recorded marked partial"
fi

# --no-store: nothing recorded.
expect 0 "$TACH" soak --duration 0.4 --interval 0.2 --out nostore.jsonl --no-store -- true
check "--no-store says nothing of a store" bash -c "! grep -q recorded '$tmp/err'"
expect 0 "$TACH" history --runs --format json && out_jq 'length == 2' && ok "--no-store records nothing"

# A store that cannot be written: exit 2, nothing runs, no series file.
echo "not a database, not at all: garbage garbage garbage garbage garbage garbage" > bad.db
expect 2 "$TACH" soak --duration 0.4 --interval 0.2 --out refused.jsonl --store bad.db -- true \
  && ok "a bad --store is refused before the soak"
check "... and no series file is left" test ! -e refused.jsonl
expect 0 "$TACH" soak --help && out_has '--no-store' && ok "--help names --store and --no-store"
finish
