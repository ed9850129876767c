#!/usr/bin/env bash
# compare_store.sh - `tach compare` / `tach gate` against the history store: runs named by
# id, "latest", baseline name, git ref (the newest run on that commit) or file, mixed; the
# defaults (baseline "main" if saved, else the run before the latest); --store and
# TACH_STORE; and bad input: unknown run ids, baselines and refs, an empty or missing
# store, a store holding one run (each exit 2 with the bad value named).
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
export GIT_CONFIG_NOSYSTEM=1 HOME=$tmp
mkdir -p "$tmp/repo/.tach" && cd "$tmp/repo"
git init -q . && git commit -q --allow-empty -m first
mkdoc "$tmp/base.json" suite/a:steady:30:1 suite/b:steady:30:1
mkdoc "$tmp/slow.json" suite/a:steady:30:1.08 suite/b:steady:30:1
mkdoc "$tmp/same.json" suite/a:steady:30:1 suite/b:steady:30:1

# Without a store: a clear message, exit 2.
expect 2 "$TACH" compare && err_has "no store" && [ "$(wc -l <"$tmp/err")" -eq 1 ] && ok "no store: exit 2, one line" \
  || fail "no store: exit 2, one line"
echo "not a store" >"$tmp/text.db"
expect 2 "$TACH" gate 1 2 --store "$tmp/text.db" && err_has "not a tach store" && [ "$(wc -l <"$tmp/err")" -eq 1 ] \
  && ok "a foreign store: exit 2, one line naming it" || fail "a foreign store: exit 2, one line naming it"

run_id() { "$TACH" record -q "$1" 2>"$tmp/rec_err" | tail -1; }
r1=$(run_id "$tmp/base.json")
[ -n "$r1" ] || { fail "tach record failed: $(cat "$tmp/rec_err")"; finish; }
c1=$(git rev-parse HEAD)
expect 2 "$TACH" compare && err_has "only one run" && ok "one run: nothing to compare, exit 2"
git commit -q --allow-empty -m second
r2=$(run_id "$tmp/slow.json")
c2=$(git rev-parse HEAD)

# Default: the run before the latest vs the latest.
if expect 0 "$TACH" compare; then
  out_has "^base: run $r1 \\(${c1:0:10} "
  out_has "^new:  run $r2 \\(${c2:0:10} "
  out_has '^suite/a .* regressed'
  ok "default pair: previous vs latest"
fi
expect 1 "$TACH" gate && ok "gate on the default pair fails on the regression"
# One run on both sides (gate main latest just after baseline save main latest): it
# passed in silence; said on stderr, still exit 0
expect 0 "$TACH" gate "$r2" latest && err_has "tach gate: warning: BASE $r2 and NEW latest are the same run $r2: nothing can have changed" \
  && ok "gate of a run against itself: said"
expect 0 "$TACH" compare "$r1" "$r2" && out_lacks 'same run' && [ ! -s "$tmp/err" ] && ok "two runs: no such warning"

# By id, by 'latest', by git ref, mixed with a file.
expect 0 "$TACH" compare "$r1" "$r2" && out_has "^base: run $r1 " && ok "run ids"
expect 0 "$TACH" compare "$r1" latest && out_has "^new:  run $r2 " && ok "latest"
expect 0 "$TACH" compare HEAD~1 HEAD && out_has "^base: run $r1 " && out_has "^new:  run $r2 " && ok "git refs"
git branch topic/slow
expect 0 "$TACH" compare "$r1" topic/slow && out_has "^new:  run $r2 " && ok "a branch name with a slash"
# (the full SHA: a prefix of digits only would read as a run id)
expect 0 "$TACH" compare "$c1" && out_has "^base: run $r1 " && ok "a SHA; NEW defaults to latest"
expect 0 "$TACH" compare "$tmp/base.json" "$r2" && out_has "^base: file " && out_has '^suite/a .* regressed' \
  && ok "a file against a run"

# Baseline main becomes the default base.
"$TACH" baseline save main "$r1" >/dev/null 2>&1 || fail "baseline save main failed"
git commit -q --allow-empty -m third
r3=$(run_id "$tmp/same.json")
if expect 0 "$TACH" compare; then
  out_has "^base: run $r1 "
  out_has "^new:  run $r3 "
  out_has '^suite/a .* unchanged$'
  ok "default base: baseline main"
fi
expect 0 "$TACH" gate && ok "gate: main vs latest passes"
expect 1 "$TACH" gate main "$r2" && ok "gate main vs the slow run fails"
"$TACH" baseline save main "$r3" >/dev/null 2>&1
expect 0 "$TACH" compare && out_has "^base: run $r2 " && ok "main == latest: falls back to the run before"

# --store and TACH_STORE select another store; the local one is then not used.
mkdir -p "$tmp/elsewhere"
cp .tach/tach.db "$tmp/elsewhere/x.db"
(cd "$tmp" && expect 0 "$TACH" compare --store "$tmp/elsewhere/x.db" "$r1" "$r2") && ok "--store" || fail "--store"
(cd "$tmp" && TACH_STORE="$tmp/elsewhere/x.db" expect 0 "$TACH" compare "$r1" "$r2") && ok "TACH_STORE" || fail "TACH_STORE"

# Runs read from the store judge exactly as the same documents read from files (the
# store's per-benchmark rows serve plain documents; declared targets, failed benchmarks
# and the machine need the whole document or the store's fingerprint).
strip() { jq -S 'del(.base, .new)' "$1"; }
"$TACH" compare --format json "$r1" "$r2" > "$tmp/s.json" && "$TACH" compare --format json "$tmp/base.json" "$tmp/slow.json" > "$tmp/f.json" \
  && [ "$(strip "$tmp/s.json")" = "$(strip "$tmp/f.json")" ] && ok "store runs judged as their files" \
  || fail "store and file comparisons differ: $(diff <(strip "$tmp/s.json") <(strip "$tmp/f.json") | head -20)"
mkdoc "$tmp/target.json" suite/a:steady:30:1 'suite/b:steady:30:1:ok:{"max_mean_ns":100}'
mkdoc "$tmp/crash.json" suite/a:steady:30:1 suite/b:steady:30:1:crashed
mkdoc "$tmp/other.json" --machine "Other CPU" suite/a:steady:30:1 suite/b:steady:30:1
rt=$(run_id "$tmp/target.json"); rc=$(run_id "$tmp/crash.json"); ro=$(run_id "$tmp/other.json")
expect 1 "$TACH" gate "$r1" "$rt" && out_has '^  suite/b: max_mean_ns 100 ns, measured 100\.5 ns$' && ok "a stored run's declared target"
expect 1 "$TACH" gate "$r1" "$rc" && out_has '^suite/b .* failed: crashed: killed by signal 11$' && ok "a stored run's crashed benchmark, with its message"
expect 0 "$TACH" compare "$r1" "$ro" && out_has '^warning: the runs come from different machines' && ok "stored runs from two machines warn"
expect 0 "$TACH" compare "$r1" "$r3" && out_lacks 'different machines' && ok "stored runs from one machine do not"

# ---- bad input: exit 2, the bad value named --------------------------------------
expect 2 "$TACH" compare 999 "$r2" && err_has "999" && ok "unknown run id"
expect 2 "$TACH" compare nosuchbaseline "$r2" && err_has "nosuchbaseline" && ok "unknown baseline / ref"
expect 2 "$TACH" compare "$r1" deadbeefcafe && err_has "deadbeefcafe" && ok "unknown SHA"
git commit -q --allow-empty -m 'no runs here'
expect 2 "$TACH" compare HEAD "$r2" && err_has "HEAD" && ok "a commit without runs"
expect 2 "$TACH" gate 999 && err_has "999" && ok "gate: unknown run id, exit 2 (not 1)"
finish
