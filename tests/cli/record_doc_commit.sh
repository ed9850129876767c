#!/usr/bin/env bash
# record_doc_commit.sh - `tach record` of a document that names its own commit
# (context.git_commit, as report_new.json does) stores that commit, not the current
# folder's HEAD (or none outside a work tree): gate said "(no commit)" while report said
# "Commit 2222..." for the same run.  HEAD's branch, subject and dirty flag describe
# another commit then and are left out; a document without a commit gets HEAD's, as before.
# A document's abbreviated SHA (git rev-parse --short) or one in upper case is stored as
# git's full SHA, as a ref is looked up: it was kept as written, and 'compare HEAD~1'
# found no run on that commit.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
private_store
c1=1111111111111111111111111111111111111111
c2=2222222222222222222222222222222222222222
# outside a work tree
"$TACH" record -q "$DATA/report_base.json" "$DATA/report_new.json" >/dev/null || { fail "cannot record"; finish; }
expect 0 "$TACH" history --runs --format json \
  && out_jq --arg a "$c1" --arg b "$c2" '[.[] | .commit] == [$a, $b] or [.[] | .commit] == [$b, $a]' \
  && ok "record outside git: each run has its document's commit"
if expect 0 "$TACH" compare 1 2; then
  out_has "^base: +run 1 \(1111111111, "
  out_has "^new: +run 2 \(2222222222, "
  out_lacks 'no commit'
  ok "compare: the runs' labels name the documents' commits"
fi
expect 0 "$TACH" report 2 && out_has 'Commit.*2222222222' && ok "report: the same commit"
expect 0 "$TACH" compare "$c1" "$c2" && out_has "^new: +run 2 " && ok "compare by the documents' SHAs"

# in a work tree whose HEAD is another commit: the document's, without HEAD's branch
mkdir repo && cd repo || { fail "cd"; finish; }
git init -q . && git config user.email t@example.com && git config user.name tester
git commit -q --allow-empty -m "head subject" || { fail "cannot commit"; finish; }
head=$(git rev-parse HEAD)
"$TACH" record -q "$DATA/report_new.json" >/dev/null
mkdoc plain.json suite/a:steady:30:1
"$TACH" record -q plain.json >/dev/null
if expect 0 "$TACH" history --runs --format json; then
  out_jq --arg b "$c2" '[.[] | select(.id == 3)][0] | .commit == $b and .branch == null'
  out_jq --arg h "$head" '[.[] | select(.id == 4)][0] | .commit == $h and .branch != null'
  ok "record in a work tree: the document's commit wins, HEAD's for a document without one"
fi

git commit -q --allow-empty -m "second" || { fail "cannot commit"; finish; }
first=$(git rev-parse HEAD~1)
jq --arg c "${first:0:7}" '.context.git_commit = $c' plain.json >short.json
jq --arg c "${first^^}" '.context.git_commit = $c' plain.json >upper.json
"$TACH" record -q short.json upper.json >/dev/null || fail "cannot record short.json, upper.json"
expect 0 "$TACH" history --runs --format json \
  && out_jq --arg f "$first" '[.[] | select(.id == 5 or .id == 6) | .commit] == [$f, $f]' \
  && ok "an abbreviated or upper-case SHA is stored as git's full SHA"
expect 0 "$TACH" compare HEAD~1 4 && out_has "^base: +run 6 \(${first:0:10}, " \
  && ok "compare HEAD~1: the run recorded from a document naming that commit"
finish
