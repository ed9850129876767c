#!/usr/bin/env bash
# tach run -n/--command-name NAME: hyperfine's names, one per command in order ({NAME}
# substituted), shown in the terminal output and kept as the result's name in the exports
# and the stored run, the command line beside it.  It was accepted and ignored: the table
# and the exports showed the commands.  More names than commands: exit 2, nothing run.
source "$(dirname "$0")/lib.bash"
private_store

trun --runs 2 --style basic -n first -n second 'echo a' 'echo b' \
  --export-json "$W/n.json" --export-markdown "$W/n.md" --export-hyperfine "$W/h.json" --export-csv "$W/n.csv"
expect_rc 0 "two commands named"
grep -q '^Benchmark 1: first$' "$W/out" && grep -q '^Benchmark 2: second$' "$W/out" &&
  ok "the terminal shows the names" || bad "names not in the output: $(head -c 400 "$W/out")"
jqc "json: the names, the commands beside them" n.json \
  '[.benchmarks[]|[.name,.command]] == [["first","echo a"],["second","echo b"]]'
jqc "hyperfine json: command is the name, as hyperfine's" h.json '[.results[].command] == ["first","second"]'
grep -q '^| `first` |' "$W/n.md" && grep -q '^| `second` |' "$W/n.md" && ok "markdown: the names" ||
  bad "markdown lacks the names: $(cat "$W/n.md")"
grep -q '^first,' "$W/n.csv" && ok "csv: the names" || bad "csv lacks the names: $(cat "$W/n.csv")"

# fewer names than commands: the rest keep their command; {NAME} is substituted, and a
# name without the parameter is kept apart by its values
trun --runs 1 --style none -n 'n is {n}' -n other -P n=1,2 'echo {n}' 'echo x' 'echo y' --export-json "$W/p.json"
expect_rc 0 "names with a parameter"
jqc "names substituted, made unique, the third unnamed" p.json \
  '[.benchmarks[].name] == ["n is 1","n is 2","other [n=1]","other [n=2]","echo y [n=1]","echo y [n=2]"]'

# the stored run keeps the name
"$TACH" run --runs 2 --style none -n stored-name 'echo a' >"$W/out" 2>"$W/err"
rc=$?
expect_rc 0 "a named run recorded"
"$TACH" history >"$W/hist" 2>&1
grep -q '^stored-name ' "$W/hist" && ok "the store keeps the name" || bad "history: $(cat "$W/hist")"

# too many names: exit 2 naming the count, nothing run
trun --runs 1 -n a -n b -n c 'touch ran1' 'touch ran2'
expect_rc 2 "three names for two commands"
grep -qF -- "-n/--command-name given 3 times for 2 commands" "$W/err" && ! ls ran* >/dev/null 2>&1 &&
  ok "the count named, nothing run" || bad "message: $(cat "$W/err")"
trun --runs 1 -n a -n b -- touch ran3
expect_rc 2 "two names for one command after --"
grep -qF -- "-n/--command-name given 2 times for 1 command " "$W/err" && ! ls ran* >/dev/null 2>&1 &&
  ok "the count named, nothing run (--)" || bad "message: $(cat "$W/err")"

# The same command (or name) given three times: three names, none taken twice (the third
# was named '#2' as the second was, and tach compare refused the document: "benchmark
# 'true #2' is in it twice"); a name given as 'x #2' is passed over.
trun --runs 1 --style none --export-json "$W/three.json" -c true -c true -c true
expect_rc 0 "one command three times"
jqc "named true, true #2, true #3" three.json '[.benchmarks[].name] == ["true", "true #2", "true #3"]'
trun --runs 1 --style none --export-json "$W/taken.json" -n x -n 'x #2' -n x -c true -c true -c true
expect_rc 0 "-n x, -n 'x #2', -n x"
jqc "named x, x #2, x #3" taken.json '[.benchmarks[].name] == ["x", "x #2", "x #3"]'
expect 0 "$TACH" compare "$W/three.json" "$W/three.json" && ok "tach compare reads it"
finish
