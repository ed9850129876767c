#!/usr/bin/env bash
# history_names.sh - the name column of `tach history`'s table with names that are not
# short ASCII: non-ASCII text lines up with the others (padded by display width, not
# bytes), and a name wider than the column (48) is cut at a character with "…", so the
# table stays valid UTF-8 and a cut name shows it was cut.
source "$(dirname "$0")/lib.bash"
set -o pipefail
cd "$tmp"
PY=/usr/bin/python3
E=$(printf '\xc3\xa9%.0s' {1..100}) # 100 × é, 200 bytes
for f in base new; do
  jq --arg e "$E" '.benchmarks[0].name = ("codec/x" + $e) | .benchmarks[1].name = "codec/ünï cödé" |
    .benchmarks[2].name = ("codec/" + ("y" * 60))' "$DATA/report_$f.json" >"$f.json"
done
"$TACH" record -q --store s.db base.json new.json >/dev/null || fail "record"
if expect 0 "$TACH" history --store s.db; then
  check "the table is valid UTF-8" $PY -c 'open("out", "rb").read().decode("utf-8")'
  # the name column is 48 characters wide on every row, the runs cell right after it
  check "the rows line up by display width" $PY - <<'PYEOF'
rows = [l for l in open("out", encoding="utf-8").read().split("\n") if l][1:15]
assert len(rows) == 14 and all(l[48] == " " and l[49:54].strip().isdigit() for l in rows), rows
PYEOF
  out_has "^codec/x$(printf '\xc3\xa9%.0s' {1..40})… +2 "
  out_has "^codec/$(printf 'y%.0s' {1..41})… +2 "
  out_has "^codec/ünï cödé {39}2 "
fi
# --runs: a tag's value from outside (--tag msg="$(git log -1)") holding a newline and an
# ESC was printed raw, the row broken in two and the terminal's colour changed
"$TACH" record -q --store t.db --tag "$(printf 'msg=line one\nline two\033[31m red')" base.json >/dev/null || fail "record t.db"
if expect 0 "$TACH" history --store t.db --runs; then
  check "--runs: a header and one row" test "$(wc -l <out)" = 2
  check "--runs: no ESC" bash -c "! grep -q \$'\\033' out"
  out_has '\[msg=line one line two \[31m red\]$'
fi
# --runs: a long tag (5000 bytes of value) is elided in its middle as other long cells are
# (its end kept, with the mark), where it was cut at the row's 255th byte, with no mark
"$TACH" record -q --store long.db --tag "long=start$(printf 'x%.0s' {1..5000})theend" base.json >/dev/null ||
  fail "record long.db"
if expect 0 "$TACH" history --store long.db --runs; then
  out_has '\[long=startx+…x+theend\]$'
  check "--runs: the long tag's row is short" test "$(tail -n 1 out | wc -c)" -lt 200
fi
# --runs: a commit's subject is cut at 60 columns, at a character: "a" and 70 × € (3
# bytes each) was cut at 60 bytes, inside the 20th €, and the table showed a '?'; 40 × 名
# (two columns each) keeps 30
mkdir -p repo && cd repo || exit 1
git init -q . && git config user.email t@example.com && git config user.name T
EURO=$(printf '\xe2\x82\xac%.0s' {1..70})
# (documents without a commit of their own, which record_doc_commit.sh keeps instead of HEAD's)
for f in base new; do jq 'del(.context.git_commit)' "../$f.json" >"../head_$f.json"; done
git commit -q --allow-empty -m "a$EURO" && "$TACH" record -q --store ../g.db ../head_base.json >/dev/null || fail "record g.db"
git commit -q --allow-empty -m "$(printf '\xe5\x90\x8d%.0s' {1..40})" &&
  "$TACH" record -q --store ../g.db ../head_new.json >/dev/null || fail "record g.db"
cd "$tmp" || exit 1
if expect 0 "$TACH" history --store g.db --runs; then
  check "--runs: the table is valid UTF-8" $PY -c 'open("out", "rb").read().decode("utf-8")'
  out_lacks '\?'
  out_has " a$(printf '\xe2\x82\xac%.0s' {1..59})$"
  out_has " $(printf '\xe5\x90\x8d%.0s' {1..30})$"
  ok "--runs: a subject of € or 名 cut at 60 columns, at a character"
fi
# A store whose path is not UTF-8: --format json names it, made UTF-8 ("store" was null),
# its byte as U+FFFD and its hex digits as the CSV writes a text cell
cp s.db $'caf\xe9.db'
expect 0 "$TACH" history --store $'caf\xe9.db' --format json && out_jq '.store == "caf\ufffdE9.db"' \
  && ok "--format json: a store path that is not UTF-8 named"
finish
