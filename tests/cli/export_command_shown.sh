#!/usr/bin/env bash
# What hyperfine's formats (hyperfine JSON, Markdown, AsciiDoc, Org) call a command: the
# name the user gave with tach run -n NAME (kept in the results document as "named":
# true, so tach convert of a saved file shows it too), else the command itself, whatever
# the name looks like: a -n NAME that starts with the command and " [" or " #", and a
# tach bench command item named MODULE/cmd.
source "$(dirname "$0")/lib.bash"
set -o pipefail
cd "$tmp"

if expect 0 "$TACH" run -r 2 -n 'true [cold]' -n 'echo x #1' true 'echo x' \
  --export-hyperfine h.json --export-markdown m.md --export-json t.json; then
  check "-n NAME shown in hyperfine JSON though it starts with the command" \
    jqt '[.results[].command] == ["true [cold]", "echo x #1"]' h.json
  check "-n NAME shown in the Markdown table" grep -qF '`true [cold]`' m.md
  check "-n NAME shown in the Markdown table (#)" grep -qF '`echo x #1`' m.md
  check "the results document marks a -n NAME" \
    jqt '[.benchmarks[] | .named] == [true, true]' t.json
  expect 0 "$TACH" convert t.json --to hyperfine &&
    out_jq '[.results[].command] == ["true [cold]", "echo x #1"]' &&
    ok "tach convert of a saved run keeps the -n NAMEs"
fi

# no -n: the command, without what keeps names unique
if expect 0 "$TACH" run -r 2 true true --export-json u.json; then
  expect 0 "$TACH" convert u.json --to hyperfine &&
    out_jq '(.results | length == 2) and all(.results[]; .command == "true")' &&
    ok "no -n NAME: the command itself, not its unique name"
  check "no -n NAME: no \"named\" in the document" jqt 'all(.benchmarks[]; has("named") | not)' u.json
fi

# a tach bench command item: named MODULE/cmd, its command cmd
cat >b.json <<'DOC'
{"format":"tach-results","version":1,"partial":false,
 "context":{"cpu_model":"Test CPU","cpus":2,"memory_kib":4000000,"kernel":"6.1.0","governor":null},
 "benchmarks":[{"name":"mod/sleep 0","command":"sleep 0","status":"ok",
   "samples":{"iters":[1,1],"ns":[1000000,2000000]}}]}
DOC
expect 0 "$TACH" convert b.json --to hyperfine &&
  out_jq '[.results[].command] == ["sleep 0"]' &&
  ok "a tach bench command item shows its command, not MODULE/cmd"
expect 0 "$TACH" convert b.json --to markdown && out_has '`sleep 0`' && out_lacks 'mod/' &&
  ok "markdown: the bench item's command"
echo '{"format":"tach-results","version":1,"benchmarks":[{"name":"x","status":"ok","named":1}]}' >bad.json
expect 2 "$TACH" convert bad.json --to hyperfine && err_has 'named' && ok '"named": 1 refused, named'
finish
