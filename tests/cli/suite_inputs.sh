#!/usr/bin/env bash
# suite_inputs.sh - two runs of a reference suite that measured different inputs are not
# judged as one benchmark changing.  A compression row's time is one pass over the whole
# input: a run on a quarter of the data was "improved (critical) -70%" and the other way a
# critical regression.  compare and gate refuse (exit 2, the setting named); report's
# default comparison leaves such a run out with a note, and an asked baseline is refused.
# Storage runs on test files of other sizes are refused too: the page cache holds another
# share of the file.
source "$(dirname "$0")/lib.bash"
private_store
head -c 120000 /dev/urandom | od -An -tx1 | head -c 200000 >big.txt
head -c 50000 big.txt >small.txt
z=(suite compression --quick --codecs zstd --levels 3)
"$TACH" "${z[@]}" --data big.txt >/dev/null 2>&1 || fail "compression run 1"
"$TACH" "${z[@]}" --data small.txt >/dev/null 2>&1 || fail "compression run 2"
for cmd in "gate" "compare" "gate 1 2" "compare 2 1"; do
  # shellcheck disable=SC2086
  expect 2 "$TACH" $cmd && err_has 'measured different inputs (compression input "file ' && err_has 'small.txt", 50000 bytes (sha256 ' \
    && out_lacks 'regressed|improved' && ok "$cmd: refused, the inputs named"
done
expect 0 "$TACH" report && err_has "no comparison with run 1: it measured another input" \
  && out_lacks 'regressed \(|improved \(' && ok "report: no comparison with the other input's run"
expect 2 "$TACH" report --baseline 1 && err_has "measured different inputs" && ok "report --baseline of another input: exit 2"
# history draws the two as one trend; under its table it says which runs measured other
# inputs (it said nothing: a -70% "change" with no word that the data changed)
expect 0 "$TACH" history compression/ \
  && out_has '^note: runs 1 and 2 measured different inputs \(compression input "file big\.txt", 200000 bytes \(sha256 [0-9a-f]{12}\.\.\.\) against "file small\.txt", 50000 bytes \(sha256 [0-9a-f]{12}\.\.\.\)\): a compression row.s time is one pass over the whole input' \
  && [ "$(grep -c 'measured different inputs' "$tmp/out")" = 1 ] \
  && ok "history: a note names the runs of different inputs, once" \
  || fail "history: a note names the runs of different inputs, once"
# ... and the JSON holds the pair (the note was the table's alone)
expect 0 "$TACH" history compression/ --format json \
  && out_jq '.different_inputs | length == 1 and .[0].runs == [1, 2] and (.[0].why | test("^compression input \"file big\\.txt\", 200000 bytes .* against \"file small\\.txt\", 50000 bytes"))' \
  && ok "history --format json: different_inputs names runs 1 and 2 and why"
# site gives the pair no last verdict: it called the quarter-size run "improved -75%"
# on the index, while compare refused the two
if expect 0 "$TACH" site site; then
  check "site: no verdict between runs of different inputs" \
    bash -c "! grep -qE 'class=\"tag t-(improved|regressed|unchanged|unstable)\"' site/index.html"
  check "site: nothing regressed in the last run" \
    bash -c "! grep -q 'compression/zstd' site/regressions.html"
fi
# runs recorded before input_sha256 are told apart by the input's name, as then (without
# it they were compared as one input)
"$TACH" "${z[@]}" --data big.txt --no-store --export-json a.json >/dev/null 2>&1 || fail "export a"
"$TACH" "${z[@]}" --data small.txt --no-store --export-json b.json >/dev/null 2>&1 || fail "export b"
jq 'del(.context.suite.input_sha256)' a.json >a-old.json && jq 'del(.context.suite.input_sha256)' b.json >b-old.json
expect 2 "$TACH" compare a-old.json b-old.json \
  && err_has 'measured different inputs (compression input "file big.txt", 200000 bytes against "file small.txt", 50000 bytes)' \
  && ok "older runs (no input_sha256): told apart by the input's name"
expect 2 "$TACH" compare a-old.json b.json && ok "an older run against a new one: the same"
# two built-in corpora of one kind and seed, of other sizes: the sizes are said (only the
# hashes told "corpus mixed (...)" from "corpus mixed (...)")
c=(suite compression --quick --codecs lz4 --levels 1 --no-store)
"$TACH" "${c[@]}" --corpus-size 16k --export-json c16.json >/dev/null 2>&1 || fail "corpus 16k"
"$TACH" "${c[@]}" --corpus-size 32k --export-json c32.json >/dev/null 2>&1 || fail "corpus 32k"
expect 2 "$TACH" compare c16.json c32.json \
  && err_has 'measured different inputs (compression input "corpus mixed (built in, seed ' \
  && err_has ')", 16384 bytes (sha256 ' && err_has ')", 32768 bytes (sha256 ' \
  && err_has 'compare runs of the same input (--data, or --corpus and --corpus-size) and --block' \
  && ok "corpora of other sizes: refused, the sizes named"
# the same input again, its path spelled another way: judged as usual (the path's spelling
# once made it another input)
"$TACH" "${z[@]}" --data ./small.txt >/dev/null 2>&1 || fail "compression run 3"
expect_gate() { "$TACH" gate >"$tmp/out" 2>"$tmp/err"; local rc=$?; [ "$rc" -le 1 ]; }
expect_gate && out_has '^compression/zstd/3/compress ' && ok "gate of two runs of the same input: judged (exit 0 or 1)" \
  || fail "gate of two runs of the same input: judged (exit 0 or 1)"
# ---- compare's advice on suite runs: the suite's own options (it suggested tach run --runs
# 10, BENCH_BINARY --rounds 10 and --benchmark_repetitions, none of which a suite has).
# Samples set by hand: one per side (not testable), and a spread too wide for a verdict ----
"$TACH" suite crypto --quick --time 0.01 --algos sha256 --sizes 64 --no-store --export-json cr.json >/dev/null 2>&1 \
  || fail "crypto run"
one() { jq --argjson ns "$2" --arg s "$3" '.context.suite.name = $s
  | .benchmarks |= [.[0] | .samples = {iters: [$ns[] | 1], ns: $ns}]' cr.json >"$1"; }
for suite in compression crypto storage bus; do
  case $suite in
    compression) want='tach suite compression --time 2' ;;
    crypto) want='tach suite crypto --time 2' ;;
    storage) want='tach suite storage --file-size 1GiB' ;;
    bus) want='tach suite bus --messages 100000' ;;
  esac
  one u1.json '[100]' $suite; one u2.json '[110]' $suite
  if expect 0 "$TACH" compare u1.json u2.json; then
    out_has "^Record more, on both sides:  $want "
    out_lacks 'runs 10|--rounds|benchmark_repetitions'
  fi
  one v1.json '[100,300,100,300,100,300,100,300,100,300,100,300]' $suite
  one v2.json '[103,309,103,309,103,309,103,309,103,309,103,309]' $suite
  if expect 0 "$TACH" compare v1.json v2.json; then
    out_has "^  more samples:  $want "
    out_lacks 'runs 10|--rounds|--processes|tach ab|benchmark_repetitions'
  fi
done
# ---- storage: runs on test files of other sizes are other benchmarks too (what the page
# cache holds differs): they were only warned of and judged ("improved (critical)" from a
# --quick run's 16 MiB to a full run's file).  Refused as compression's other inputs are.
mkdir sd
for size in 8MiB 16MiB 16MiB; do
  "$TACH" suite storage --quick --dir sd --file-size $size --jobs read-1m >/dev/null 2>&1 || fail "storage $size"
done
for cmd in "gate 4 5" "compare 4 5"; do
  # shellcheck disable=SC2086
  expect 2 "$TACH" $cmd \
    && err_has "measured different inputs (different file size: 8 MiB against 16 MiB): a storage job's time depends on how much of its test file the page cache holds" \
    && err_has "compare runs of one --file-size" && out_lacks 'regressed|improved|unchanged' \
    && ok "$cmd: storage runs of 8 and 16 MiB files: refused, the sizes named"
done
judged() { "$TACH" "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?; [ "$rc" -le 1 ]; }
judged gate 5 6 && out_has '^storage/read-1m ' && ok "gate of two storage runs of one file size: judged" \
  || fail "gate of two storage runs of one file size: judged"
expect 2 "$TACH" report 5 --baseline 4 && err_has "measured different inputs (different file size: 8 MiB against 16 MiB)" \
  && ok "report --baseline of a storage run of another file size: exit 2"
expect 0 "$TACH" history storage/ \
  && out_has '^note: runs 4 and 5 measured different inputs \(different file size: 8 MiB against 16 MiB\): .*a storage job.s depends on how much of its test file the page cache holds' \
  && out_lacks 'runs 5 and 6 measured' && ok "history: a note names the storage runs of other file sizes"
expect 0 "$TACH" history storage/ --format json \
  && out_jq '.different_inputs == [{runs: [4, 5], why: "different file size: 8 MiB against 16 MiB"}]' \
  && ok "history --format json: different_inputs names storage runs 4 and 5"
# a --quick run's file (at most 16 MiB) against a full run's 1 GiB, by hand (a real 1 GiB
# run takes the disk for minutes): refused, the sizes said in binary units
jq '.context.suite.file_size = 16777216' "$TACH_SRC/tests/cli/data/suite_storage_run.json" >sq.json
jq '.context.suite.file_size = 1073741824 | .context.suite.quick = false
    | .benchmarks[].samples.ns |= map(. * 3)' "$TACH_SRC/tests/cli/data/suite_storage_run.json" >sf.json
expect 2 "$TACH" compare sq.json sf.json \
  && err_has "measured different inputs (different file size: 16 MiB against 1 GiB)" \
  && ok "compare: a --quick run's 16 MiB against a full run's 1 GiB: refused"
export TACH_STORE="$tmp/storage.db"
"$TACH" record -q sq.json sf.json >/dev/null 2>&1 || fail "record storage runs"
expect 0 "$TACH" report && err_has "no comparison with run 1: it measured another input (different file size: 16 MiB against 1 GiB)" \
  && out_lacks 'regressed \(|improved \(' && ok "report: no comparison with the storage run of another file size"
if expect 0 "$TACH" site site-storage; then
  check "site: no verdict between storage runs of other file sizes" \
    bash -c "! grep -qE 'class=\"tag t-(improved|regressed|unchanged|unstable)\"' site-storage/index.html"
fi
# Inputs of long names (a path of 240 bytes of "é"): the reason is cut at a character
# with "…", both names in it; it was formatted into 512 bytes and cut inside a character,
# so the message was not UTF-8.
long=$(printf 'é%.0s' $(seq 120))
jq --arg n "file $long-a" '.context.suite.input = $n' "$TACH_SRC/tests/cli/data/suite_compression_run.json" >la.json
jq --arg n "file $long-b" '.context.suite.input = $n | .context.suite.input_sha256 = ("0" * 64)' \
  "$TACH_SRC/tests/cli/data/suite_compression_run.json" >lb.json
expect 2 "$TACH" compare la.json lb.json && err_has 'measured different inputs (compression input "file éé' \
  && err_has '…" (sha256 ' && check "compare: the long names cut at a character, the message UTF-8" \
  iconv -f UTF-8 -t UTF-8 -o /dev/null "$tmp/err"
finish
