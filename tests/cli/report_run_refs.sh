#!/usr/bin/env bash
# report_run_refs.sh - the RUN and --baseline of `tach report`, `tach certify` and
# `tach push` with a '/' in them: a git branch (feature/x) or a baseline (rel/1.2) the
# store knows is a run, as `tach compare` takes it, not a missing results file; a name
# with .json in it or a path that exists stays a results file: one that cannot be read
# is named as such (exit 2), not "no store".
source "$(dirname "$0")/lib.bash"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
export GIT_CONFIG_NOSYSTEM=1 HOME=$tmp
mkdir -p "$tmp/repo" && cd "$tmp/repo"
git init -q -b main . && git commit -q --allow-empty -m first
git checkout -q -b feature/x && git commit -q --allow-empty -m on-feature
# documents without a commit of their own, which would win over HEAD's (record_doc_commit.sh)
for f in base new; do jq 'del(.context.git_commit)' "$DATA/report_$f.json" >"../$f.json"; done
"$TACH" record -q --store s.db ../base.json >/dev/null || fail "record run 1"
git checkout -q main
"$TACH" record -q --store s.db ../new.json >/dev/null || fail "record run 2"
"$TACH" baseline save rel/1.2 1 --store s.db >/dev/null || fail "baseline save rel/1.2"

for ref in feature/x rel/1.2; do
  if expect 0 "$TACH" report "$ref" --store s.db --format json -o r.json; then
    check "report $ref: run 1 reported" jqt '.benchmarks | map(.name) | index("hash/crc32") != null' r.json
  fi
  if expect 1 "$TACH" certify "$ref" --store s.db -o c.md; then
    check "certify $ref: run 1 certified" grep -q '| Run | 1 ' c.md
  fi
  expect 0 "$TACH" report --baseline "$ref" --store s.db -o b.md && out_lacks . \
    && check "report --baseline $ref: against run 1" grep -q "Against $ref (run 1)" b.md
done
# push reads the run before it sends: with nothing listening, the refusal is the gateway's
if expect 2 "$TACH" push http://127.0.0.1:9 feature/x --store s.db --timeout 2; then
  err_has "cannot reach the Pushgateway" && ok "push feature/x: the run was found"
fi

# A path with a '/' that is not in the store: the store says so.
expect 2 "$TACH" report no/such --store s.db && err_line "'no/such' is not a run id" && ok "report no/such: not a run"
# Results files that cannot be read are named as such, with or without a store.
mkdir -p adir
echo "keep me" >keep.md
for bad in "nothere.json" "res/nothere.json" "./adir" "/dev/null"; do
  if expect 2 "$TACH" report "$DATA/report_new.json" --baseline "$bad" -o keep.md; then
    err_line "'$bad'" && ! grep -q "no store" "$tmp/err" && ok "--baseline $bad: named as a results file" \
      || fail "--baseline $bad: named as a results file"
  fi
  if expect 2 "$TACH" report "$bad" -o keep.md; then
    err_line "'$bad'" && ok "report $bad: named as a results file"
  fi
done
# An existing path that is not a regular file, with no '/' to mark it a path (a directory
# here) or given to compare (/dev/null): said to be no results file, not only "not a run id".
for cmd in "report adir" "report 2 --baseline adir" "compare 1 adir" "compare adir 2"; do
  # shellcheck disable=SC2086
  expect 2 "$TACH" $cmd --store s.db && err_line "'adir' is a directory, not a results file" &&
    ok "$cmd: a directory is named as one"
done
for spec in /dev/null ./adir; do
  expect 2 "$TACH" compare 1 "$spec" --store s.db && err_line "'$spec' is (a directory|not a regular file)" &&
    ok "compare 1 $spec: not a regular file"
done
check "the output was left as it was" test "$(cat keep.md)" = "keep me"
finish
