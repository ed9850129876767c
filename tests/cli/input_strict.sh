#!/usr/bin/env bash
# input_strict.sh - inputs that used to pass as something they were not:
#   - a tach document whose samples hold a negative time: refused (exit 2), the JSON path
#     and the value named, nothing recorded (hyperfine's and Google Benchmark's readers
#     already refused one); a NaN or Infinity (Python's json.dumps writes them) refused
#     saying so (it said "got null", a null the file does not hold);
#   - a hyperfine file with no run in a result (times []) or no result at all, or a Google
#     Benchmark file with no benchmark: refused, not a result "ok" that a gate then
#     passed with nothing compared;
#   - a Google Benchmark rate per iteration that is not a whole number (0.6 items an
#     iteration) kept as it is, not rounded to 1 (0.3 items/s read as 0.5);
#   - tach run BINARY --filter matching nothing: exit 2, nothing recorded (a later gate
#     would compare two older runs and pass).
source "$(dirname "$0")/lib.bash"
private_store

expect 0 "$TACH" run --no-store -r 3 --export-json good.json -- true && ok "a good document"
for bad in '-5.5:a number (-5.5)' '-1e-9:a number (-1e-09)' '-3:an integer (-3)'; do
  want=${bad#*:} bad=${bad%%:*}
  jq --argjson v "$bad" '.benchmarks[0].samples.ns[0] = $v' good.json >bad.json
  if expect 2 "$TACH" record bad.json; then
    err_has "benchmarks[0].samples.ns[0]: expected a time in ns from 0, got $want"
    ok "samples.ns[0] = $bad: refused, the path named"
  fi
  expect 2 "$TACH" compare good.json bad.json && ok "... compare refuses it too"
done
for bad in NaN -Infinity; do
  jq -c '.benchmarks[0].samples.ns[0] = "@"' good.json | sed "s/\"@\"/$bad/" >nan.json
  grep -q "\"ns\":\[$bad," nan.json || fail "nan.json holds no $bad"
  expect 2 "$TACH" record nan.json \
    && err_has "nan.json: benchmarks[0].samples.ns[0]: expected a number, got null (a NaN or Infinity in the file is read as null: no number)" \
    && ok "samples.ns[0] = $bad: refused, saying the file's $bad is read as null"
done
nothing_recorded() { # the store never made, or made and empty
  [ ! -e "$TACH_STORE" ] || { "$TACH" history --runs --format json >"$tmp/h.json" && jq -e 'length == 0' "$tmp/h.json" >/dev/null; }
}
check "nothing recorded" nothing_recorded

echo '{"results":[{"command":"x","times":[0.1,0.11,0.12]}]}' >hb.json
echo '{"results":[{"command":"x","times":[]}]}' >he.json
echo '{"results":[]}' >hn.json
echo '{"results":[{"command":"x","times":[-1.5,2.0]}]}' >hneg.json
if expect 2 "$TACH" gate hb.json he.json; then
  err_has "results[0].times: is empty: no run to read"
  ok "hyperfine: a result without runs is refused, the gate does not pass on it"
fi
expect 2 "$TACH" record hn.json && err_has "results is empty: no command to read" && ok "hyperfine: no result at all is refused"
# Google Benchmark's file with no benchmark: refused in the same words, by every reader
echo '{"context":{},"benchmarks":[]}' >gn.json
for cmd in record import "convert --to csv" "compare hb.json"; do
  # shellcheck disable=SC2086
  expect 2 "$TACH" $cmd gn.json && err_line "gn.json: benchmarks is empty: no benchmark to read" &&
    ok "gbench: no benchmark at all is refused by ${cmd%% *}"
done
check "nothing recorded from the empty gbench file" nothing_recorded
expect 2 "$TACH" import hneg.json && err_has "results[0].times[0]: expected a number of seconds from 0, got a number (-1.5)" &&
  ok "hyperfine: a negative time is named with its value"

cat >gb.json <<'EOF'
{"context":{"library_build_type":"release"},"benchmarks":[
{"name":"BM_slow","run_type":"iteration","repetitions":1,"repetition_index":0,"threads":1,"iterations":10,"real_time":2,"cpu_time":2,"time_unit":"s","items_per_second":0.3},
{"name":"BM_copy","run_type":"iteration","repetitions":1,"repetition_index":0,"threads":1,"iterations":1000,"real_time":100,"cpu_time":100,"time_unit":"ns","bytes_per_second":640000000}]}
EOF
if expect 0 "$TACH" import gb.json -o gb.tach.json; then
  jqc "0.6 items an iteration kept (0.3 items/s over 2 s)" gb.tach.json \
    '.benchmarks[] | select(.name == "BM_slow") | .throughput.items_per_iter | . > 0.5999 and . < 0.6001'
  jqc "64 bytes an iteration, a whole number, stays whole" gb.tach.json \
    '.benchmarks[] | select(.name == "BM_copy") | .throughput.bytes_per_iter == 64'
fi

BIN=$TACH_BUILD/examples/example_sort
if [ -x "$BIN" ]; then
  if expect 2 "$TACH" run --filter no_such_benchmark_typo "$BIN"; then
    err_has "matches --filter 'no_such_benchmark_typo' (nothing written"
    ok "run BINARY --filter matching nothing: exit 2"
  fi
  check "... nothing recorded" nothing_recorded
else
  echo "skip: run BINARY --filter matching nothing: no $BIN (built with TACH_EXAMPLES=OFF)"
fi
finish
