#!/usr/bin/env bash
# `tach import` and `tach convert`: Google Benchmark JSON (with its bare NaN and
# Infinity), hyperfine JSON and tach documents in; bad files out with exit 2.
#
# Stored inputs (tests/cli/expected/), made on Debian 12 with the packaged tools:
#   hyperfine_1.15_params.json   hyperfine -N --runs 4 -P n 1 2 --export-json F 'sleep 0.00{n}'
#   hyperfine_1.15_failing.json  hyperfine -N -i --runs 3 --export-json F false
#   hyperfine_1.15_prepare_param.json  hyperfine -N --runs 3 -L n 1,2 --prepare 'sleep 0.00{n}'
#                                --export-json F 'echo hi' (the parameter not in the command)
#   gbench_1.7.1.json            gbench_1.7.1.cc (libbenchmark-dev 1.7.1, g++ -O2) run with
#                                --benchmark_repetitions=3 --benchmark_min_time=0.01
#                                --benchmark_format=json: counters set to NaN, Infinity and
#                                -Infinity, aggregates, a SkipWithError benchmark
#   gbench_1.7.1_realtime.json   gbench_1.7.1_realtime.cc run with --benchmark_min_time=0.02
#                                --benchmark_format=json: UseRealTime and UseManualTime rates
# The same tools are also run live when they are installed.
source "$(dirname "$0")/lib.bash"
set -o pipefail
private_store
E=$EXPECTED

# ---- hyperfine in --------------------------------------------------------------------------------
"$TACH" import "$E/hyperfine_1.15_params.json" -o "$W/hp.json" 2>"$W/err"
check "import hyperfine_1.15_params.json" test $? -eq 0
jqc "tool import:hyperfine, two commands with their parameter" hp.json '.context.tool == "import:hyperfine" and [.benchmarks[] | [.command, .params.n]] == [["sleep 0.001", 1], ["sleep 0.002", 2]]'
v=$(jq -n --slurpfile h "$E/hyperfine_1.15_params.json" --slurpfile t hp.json \
  '[range(2) as $r | range(4) as $i | (($h[0].results[$r].times[$i] * 1e9) - $t[0].benchmarks[$r].samples.ns[$i]) | fabs < 1e-3] | all')
check "each time became one sample in ns" test "$v" = true
jqc "user/system means kept as counters (ns)" hp.json '((.benchmarks[0].counters.user_ns - 873250) | fabs) < 1e-3 and .benchmarks[0].counters.system_ns == 312250'
jqc "exit codes kept" hp.json '.benchmarks[0].runs.exit_codes == [0, 0, 0, 0]'
"$TACH" import "$E/hyperfine_1.15_failing.json" -o "$W/hf.json"
jqc "runs timed with -i keep their exit codes and say so" hf.json '.benchmarks[0].runs.exit_codes == [1, 1, 1] and (.benchmarks[0].message | test("non-zero"))'

# round trip: hyperfine -> tach -> hyperfine gives hyperfine's own numbers back
roundtrip() { # FILE: converts it to hyperfine and compares with the original
  "$TACH" convert "$1" --to hyperfine -o "$W/rt.json" || return 1
  jq -n --slurpfile a "$1" --slurpfile b "$W/rt.json" '
    def close($x; $y): ($x == $y) or ((($x - $y) | fabs) <= 1e-9 * ([($x | fabs), ($y | fabs)] | max));
    ($a[0].results | length) == ($b[0].results | length) and
    ([range($a[0].results | length) as $i | $a[0].results[$i] as $x | $b[0].results[$i] as $y |
      $x.command == $y.command and $x.exit_codes == $y.exit_codes and
      ($x.parameters // {}) == ($y.parameters // {}) and
      ([range($x.times | length) as $k | close($x.times[$k]; $y.times[$k])] | all) and
      close($x.mean; $y.mean) and close($x.median; $y.median) and close($x.min; $y.min) and
      close($x.max; $y.max) and close($x.stddev; $y.stddev) and
      close($x.user; $y.user) and close($x.system; $y.system)] | all)' | grep -qx true
}
check "hyperfine params file round-trips (mean, stddev, median, min, max, user, system, times, codes, parameters)" roundtrip "$E/hyperfine_1.15_params.json"
check "hyperfine failing file round-trips" roundtrip "$E/hyperfine_1.15_failing.json"
# a parameter used only by --prepare: one result per value, all with the same command,
# named as tach run names them ("CMD [n=1]"); converted back, hyperfine's commands
"$TACH" import "$E/hyperfine_1.15_prepare_param.json" -o "$W/hpp.json" 2>"$W/err"
check "import hyperfine_1.15_prepare_param.json (a parameter the command does not use)" test $? -eq 0
jqc "  ... each value its own result, named after it" hpp.json \
  '[.benchmarks[] | [.name, .command, .params.n]] == [["echo hi [n=1]", "echo hi", 1], ["echo hi [n=2]", "echo hi", 2]]'
check "  ... and round-trips" roundtrip "$E/hyperfine_1.15_prepare_param.json"
if command -v hyperfine >/dev/null; then
  hyperfine -N --runs 5 --export-json "$W/live.json" /bin/true >/dev/null 2>&1
  "$TACH" import "$W/live.json" -o "$W/live.tach.json"
  jqc "Debian's hyperfine -N /bin/true export read back: 5 samples" live.tach.json '.benchmarks[0].command == "/bin/true" and (.benchmarks[0].samples.ns | length) == 5'
  check "and round-trips" roundtrip "$W/live.json"
  # tach's own export read by the hyperfine importer: tach run -> hyperfine JSON -> tach
  "$TACH" run --no-store --style none --runs 4 --export-hyperfine "$W/th.json" --export-json "$W/tj.json" -- /bin/true
  "$TACH" import "$W/th.json" -o "$W/th.tach.json"
  v=$(jq -n --slurpfile a tj.json --slurpfile b th.tach.json '[range(4) as $i | (($a[0].benchmarks[0].samples.ns[$i] - $b[0].benchmarks[0].samples.ns[$i]) | fabs) < 1e-3 * $a[0].benchmarks[0].samples.ns[$i]] | all')
  check "tach's hyperfine export read back gives tach's samples" test "$v" = true
else
  echo "note: hyperfine not installed; the stored exports were checked"
fi

# ---- Google Benchmark in ----------------------------------------------------------------------------------
check "the stored file really has bare NaN and Infinity" bash -c "grep -q ': NaN,' '$E/gbench_1.7.1.json' && grep -q ': -Infinity' '$E/gbench_1.7.1.json'"
"$TACH" import "$E/gbench_1.7.1.json" -o "$W/gb.json" 2>"$W/err"
check "import gbench_1.7.1.json (NaN/Infinity accepted)" test $? -eq 0
jqc "three benchmarks, repetitions merged, aggregates skipped" gb.json '[.benchmarks[].name] == ["BM_sum/64", "BM_sum/512", "BM_err"]'
jqc "3 samples per benchmark with GB's iterations" gb.json '.benchmarks[0].samples.iters == [599041, 599041, 599041] and (.benchmarks[1].samples.ns | length) == 3'
v=$(jq -n --slurpfile g "$E/gbench_1.7.1.json" --slurpfile t gb.json \
  '[$g[0].benchmarks[] | select(.run_name == "BM_sum/64" and .run_type == "iteration") | .real_time] == $t[0].benchmarks[0].samples.ns')
check "real_time (ns) of each repetition is a sample" test "$v" = true
jqc "the NaN/Infinity counters are dropped, the finite one kept" gb.json '.benchmarks[0].counters == {"plain": 42}'
jqc "items per iteration from items_per_second x cpu_time" gb.json '.benchmarks[0].throughput.items_per_iter == 64 and .benchmarks[1].throughput.items_per_iter == 512'
jqc "the numeric argument becomes a parameter" gb.json '.benchmarks[0].params == {"arg0": 64} and .benchmarks[0].function == "BM_sum"'
jqc "SkipWithError becomes failed with its message" gb.json '.benchmarks[2].status == "failed" and .benchmarks[2].message == "no device"'
jqc "context keeps the host and the original" gb.json '.context.tool == "import:gbench" and .context.host == "vm" and .context.gbench_context.num_cpus == 2'
# a user counter over repetitions is their mean, as Google Benchmark's mean aggregate
# (the last repetition's value won: 3,4,5 read 5); one only some repetitions have is the
# mean of those
/usr/bin/python3 - "$E/gbench_1.7.1.json" "$W/gb_counters.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
rows = [b for b in d["benchmarks"] if b["run_name"] == "BM_sum/64" and b["run_type"] == "iteration"]
for b, v in zip(rows, (3, 4, 5)): b["plain"] = v
rows[1]["some"] = 10; rows[2]["some"] = 20
json.dump(d, open(sys.argv[2], "w"))
PYEOF
"$TACH" import "$W/gb_counters.json" -o "$W/gb_counters.tach.json" 2>"$W/err"
jqc "a counter over 3 repetitions (3, 4, 5) is their mean, 4" gb_counters.tach.json \
  '.benchmarks[0].counters == {"plain": 4, "some": 15} and .benchmarks[1].counters == {"plain": 42}'
# so are the bytes and items per iteration (from bytes_per_second and items_per_second)
# and the memory manager's fields (the last repetition's won: 3 read 3); growth in any
# repetition is flagged (the last one's none hid it)
/usr/bin/python3 - "$E/gbench_1.7.1.json" "$W/gb_reps.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
rows = [b for b in d["benchmarks"] if b["run_name"] == "BM_sum/64" and b["run_type"] == "iteration"]
for b, k in zip(rows, (1, 2, 3)):  # 100 k bytes, k items an iteration of 10 ns
    b["cpu_time"] = 10.0
    b["bytes_per_second"] = k * 100 * 1e8
    b["items_per_second"] = k * 1e8
    b["allocs_per_iter"] = float(k); b["max_bytes_used"] = 1000 * k
    b["total_allocated_bytes"] = 1600 * k; b["net_heap_growth"] = 16 if k == 2 else 0
json.dump(d, open(sys.argv[2], "w"))
PYEOF
"$TACH" import "$W/gb_reps.json" -o "$W/gb_reps.tach.json" 2>"$W/err"
jqc "bytes, items and memory over 3 repetitions are their means" gb_reps.tach.json \
  '.benchmarks[0] | .throughput.bytes_per_iter == 200 and .throughput.items_per_iter == 2 and
   .memory.allocs_per_iter == 2 and .memory.bytes_per_iter == 200 and .memory.peak_bytes == 2000 and
   (.memory.net_growth_per_iter - 1/3 | fabs) < 1e-9 and .memory.leak == true'
# --benchmark_report_aggregates_only=true: a benchmark has only its mean row, whose
# "iterations" is the number of repetitions (3), not an iteration count; the one sample
# counts 1 iteration and the import says the file does not give them
/usr/bin/python3 - "$E/gbench_1.7.1.json" "$W/gb_aggonly.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["benchmarks"] = [b for b in d["benchmarks"] if b.get("run_type") == "aggregate" or b.get("error_occurred")]
json.dump(d, open(sys.argv[2], "w"))
PYEOF
"$TACH" import "$W/gb_aggonly.json" -o "$W/gb_aggonly.tach.json" 2>"$W/err"
check "an aggregates-only file imports" test $? -eq 0
jqc "its mean is the one sample, of 1 iteration, not the repetition count" gb_aggonly.tach.json \
  '[.benchmarks[] | select(.status == "ok") | .samples.iters] == [[1], [1]]'
jqc "the import note says the iterations are not in the file" gb_aggonly.tach.json \
  '.context.import_note | test("^2 benchmarks have only Google Benchmark.s aggregates .*counted as 1")'
check "and tach import says so on stderr" grep -q "note: .*gb_aggonly.json: 2 benchmarks have only Google Benchmark's aggregates" "$W/err"
if command -v g++ >/dev/null && [ -f /usr/include/benchmark/benchmark.h ]; then
  if g++ -O2 "$E/gbench_1.7.1.cc" -o "$W/gb" -lbenchmark -lpthread 2>"$W/err"; then
    "$W/gb" --benchmark_repetitions=2 --benchmark_min_time=0.001 --benchmark_format=json >"$W/gblive.json" 2>/dev/null
    "$TACH" import "$W/gblive.json" -o "$W/gblive.tach.json"
    jqc "a live Google Benchmark run imports (2 repetitions each)" gblive.tach.json '[.benchmarks[] | select(.status == "ok") | .samples.ns | length] == [2, 2]'
  else
    bad "could not build the Google Benchmark program"
  fi
else
  echo "skip: a live Google Benchmark run: no g++ or no benchmark.h (libbenchmark-dev)"
fi

# UseRealTime / UseManualTime: Google Benchmark divides their rates by the real (manual)
# time, not by cpu_time (the main thread's, here 11 and 66000 times smaller)
"$TACH" import "$E/gbench_1.7.1_realtime.json" -o "$W/gbrt.json"
jqc "UseRealTime: bytes per iteration from bytes_per_second x real_time (1000, not 88)" gbrt.json \
  '.benchmarks[0].name == "BM_wait/real_time" and .benchmarks[0].throughput.bytes_per_iter == 1000'
jqc "UseManualTime: items per iteration from items_per_second x the manual time (10)" gbrt.json \
  '.benchmarks[1].name == "BM_manual/manual_time" and .benchmarks[1].throughput.items_per_iter == 10'
v=$(jq -n --slurpfile g "$E/gbench_1.7.1_realtime.json" --slurpfile t gbrt.json \
  '(($g[0].benchmarks[0].bytes_per_second - $t[0].benchmarks[0].throughput.bytes_per_second) | fabs) < 1e-6 * $g[0].benchmarks[0].bytes_per_second')
check "  ... so its bytes per second are Google Benchmark's own" test "$v" = true
if ! command -v g++ >/dev/null || [ ! -f /usr/include/benchmark/benchmark.h ]; then
  echo "skip: a live UseRealTime / UseManualTime run: no g++ or no benchmark.h (libbenchmark-dev)"
elif g++ -O2 "$E/gbench_1.7.1_realtime.cc" -o "$W/gbrt" -lbenchmark -lpthread 2>"$W/err"; then
  "$W/gbrt" --benchmark_min_time=0.01 --benchmark_format=json >"$W/gbrtlive.json" 2>/dev/null
  "$TACH" import "$W/gbrtlive.json" -o "$W/gbrtlive.tach.json"
  jqc "a live UseRealTime / UseManualTime run: 1000 bytes and 10 items per iteration" gbrtlive.tach.json \
    '[.benchmarks[].throughput | .bytes_per_iter // .items_per_iter] == [1000, 10]'
else
  bad "could not build the UseRealTime / UseManualTime program: $(head -c 400 "$W/err")"
fi

# NaN and Infinity inside strings are text, not numbers; an escaped quote does not end a string
cat >nanstr.json <<'EOF2'
{"context": {"date": "x", "host_name": "h \" NaN"},
 "benchmarks": [{"name": "BM_NaN/Infinity", "run_name": "BM_NaN/Infinity", "run_type": "iteration",
   "iterations": 10, "real_time": 1.5e+00, "cpu_time": 1.5e+00, "time_unit": "us", "label": "-Infinity NaN",
   "ratio": NaN, "neg": -Infinity, "ok": -2.5e+00}]}
EOF2
"$TACH" import nanstr.json -o "$W/nanstr.tach.json" 2>"$W/err"
check "NaN/Infinity inside strings kept as text" test $? -eq 0
jqc "  name, host and label intact; NaN counters dropped; a negative finite counter kept; us -> ns" nanstr.tach.json \
  '.benchmarks[0].name == "BM_NaN/Infinity" and .context.host == "h \" NaN" and .benchmarks[0].counters == {"ok": -2.5} and .benchmarks[0].samples.ns == [1500]'

# ---- tach documents, several files ------------------------------------------------------------------------------
"$TACH" import "$E/known.json" -o "$W/k.json"
check "a tach document imports as itself (plus the list of sources)" diff -u <(jq . "$E/known.export.json") <(jq 'del(.context.sources)' "$W/k.json")
jqc "the source file is listed" k.json '.context.sources[0].file | endswith("known.json")'
"$TACH" import "$E/hyperfine_1.15_params.json" "$E/gbench_1.7.1.json" -o "$W/both.json"
jqc "several files: results in order, sources listed" both.json '(.benchmarks | length) == 5 and .context.tool == "import" and ([.context.sources[].tool] == ["import:hyperfine", "import:gbench"])'
"$TACH" import "$E/known.json" >"$W/stdout.json"
check "without -o the document goes to stdout" diff -q "$W/k.json" "$W/stdout.json"

# ---- bad files: exit 2, the file and the place named, nothing written ----------------------------------------------
bad_file() { # DESCRIPTION NEEDLE FILE
  rm -f "$W/never.json"
  "$TACH" import "$3" -o "$W/never.json" >"$W/out" 2>"$W/err"
  local rc=$?
  if [ "$rc" -ne 2 ]; then bad "$1: exit $rc, expected 2"; return; fi
  if [ "$(wc -l <"$W/err")" -ne 1 ]; then bad "$1: not one line: $(cat "$W/err")"; return; fi
  if ! grep -qF -- "$2" "$W/err"; then bad "$1: '$2' not in: $(cat "$W/err")"; return; fi
  if [ -e "$W/never.json" ]; then bad "$1: output written"; return; fi
  ok "$1: $(cat "$W/err")"
}
head -c 700 "$E/gbench_1.7.1.json" >trunc_gb.json
bad_file "truncated Google Benchmark file" "trunc_gb.json:" trunc_gb.json
check "  ... names the line and column and says truncated" grep -Eq "trunc_gb.json:[0-9]+:[0-9]+: .*truncated" "$W/err"
# cut inside a number ("2.3283...e+"): the parser calls it an invalid token, at the file's end
sed -n '1,49p' "$E/gbench_1.7.1.json" | head -c -4 >trunc_num.json
bad_file "Google Benchmark file cut inside a number" "trunc_num.json:49:" trunc_num.json
check "  ... says truncated" grep -q "invalid token.* - is the file truncated?$" "$W/err"
head -c 300 "$E/hyperfine_1.15_params.json" >trunc_hf.json
bad_file "truncated hyperfine file" "trunc_hf.json:" trunc_hf.json
echo '{"name": "x", "values": [1, 2]}' >foreign.json
bad_file "a foreign JSON file" "'name', 'values'" foreign.json
# the key there but not an array: said so (it was "no 'results' key; its keys: 'results'")
echo '{"results": {"command": "x"}}' >results_object.json
bad_file "hyperfine's results as an object" "results_object.json: results: expected an array (of hyperfine's commands), got an object" results_object.json
echo '{"context": {}, "benchmarks": "none"}' >benchmarks_string.json
bad_file "Google Benchmark's benchmarks as a string" "benchmarks_string.json: benchmarks: expected an array (of benchmarks), got a string" benchmarks_string.json
echo 'this is not json' >text.txt
bad_file "a text file" "text.txt:1:" text.txt
: >empty.json
bad_file "an empty file" "empty.json: the file is empty" empty.json
bad_file "a missing file" "missing.json" missing.json
echo '[1, 2, 3]' >array.json
bad_file "a JSON array" "top level is not a JSON object" array.json
jq '.version = 9' "$E/known.json" >newer.json
bad_file "a tach document from a newer tach" "newer.json: " newer.json
check "  ... names the version" grep -q "9" "$W/err"
jq '.benchmarks[1].samples.ns[2] = "fast"' "$E/known.json" >badsample.json
bad_file "a tach document with a string sample" "benchmarks[1].samples.ns[2]" badsample.json
jq '.results[0].times[1] = "slow"' "$E/hyperfine_1.15_params.json" >badtimes.json
bad_file "a hyperfine file with a string time" "results[0].times[1]" badtimes.json
jq 'del(.results[1].command)' "$E/hyperfine_1.15_params.json" >nocmd.json
bad_file "a hyperfine result without its command" "results[1].command" nocmd.json
sed 's/"time_unit": "ns"/"time_unit": "fortnights"/' "$E/gbench_1.7.1.json" | head -c 100000 >badunit.json
jq '.benchmarks[2].real_time = "slow"' "$E/gbench_1.7.1.json" >badreal.json
bad_file "a Google Benchmark file with a string time" "benchmarks[2].real_time: expected a number, got a string" badreal.json
jq '.benchmarks[1].iterations = 0' "$E/gbench_1.7.1.json" >zeroiter.json
bad_file "a Google Benchmark file with 0 iterations" "benchmarks[1].iterations: expected a positive integer, got 0" zeroiter.json
bad_file "a Google Benchmark file with an unknown time unit" "benchmarks[0].time_unit: unknown unit 'fortnights'" badunit.json
# a finite time too large for nanoseconds in a double: named with its file and place (the
# message named neither file nor place: "x: sample 0 is not a finite number")
jq '.benchmarks[2].real_time = 1e308 | .benchmarks[2].time_unit = "s"' "$E/gbench_1.7.1.json" >hugereal.json
bad_file "a Google Benchmark file with a time beyond a double in ns" \
  "hugereal.json: benchmarks[2].real_time: 1e+308 s is too large a time" hugereal.json
jq '.results[1].times[0] = 1e300' "$E/hyperfine_1.15_params.json" >hugetime.json
bad_file "a hyperfine file with a time beyond a double in ns" \
  "hugetime.json: results[1].times[0]: 1e+300 s is too large a time" hugetime.json
rm -f "$W/never.json"
"$TACH" import "$E/known.json" trunc_gb.json -o "$W/never.json" 2>"$W/err"
check "one bad file among good ones: exit 2, nothing written" bash -c "[ $? -eq 2 ] && [ ! -e '$W/never.json' ]"
rm -f "$W/never.json"
"$TACH" import "$E/known.json" "$E/gbench_1.7.1.json" "$E/known.json" -o "$W/never.json" 2>"$W/err"; rc=$?
name=$(jq -r '.benchmarks[0].name' "$E/known.json")
check "a benchmark name in two files: exit 2, the name and both files named, nothing written" \
  bash -c "[ $rc -eq 2 ] && grep -qF \"benchmark '$name' is in both $E/known.json and $E/known.json\" '$W/err' && [ ! -e '$W/never.json' ]"
jq '.results = [.results[0], (.results[0] | .mean *= 2 | .times |= map(. * 2))]' "$E/hyperfine_1.15_params.json" >hf_dup.json
"$TACH" import hf_dup.json -o "$W/never.json" 2>"$W/err"; rc=$?
check "a name twice in one file: exit 2, the name and the file named, nothing written" \
  bash -c "[ $rc -eq 2 ] && grep -qF \"hf_dup.json: benchmark 'sleep 0.001' is in it twice\" '$W/err' && [ ! -e '$W/never.json' ]"
# every reader refuses it: gate passed (exit 0) on a file whose second 'x' slowed 10x,
# matched by name to the first; record stored both under one name
jq '.results[1].times |= map(. * 10)' hf_dup.json >hf_dup10.json
for cmd in "gate hf_dup.json hf_dup10.json" "compare hf_dup.json hf_dup10.json" "record --store $W/dup.db hf_dup.json" \
           "report hf_dup.json" "convert hf_dup.json --to csv"; do
  # shellcheck disable=SC2086
  "$TACH" $cmd >"$W/out" 2>"$W/err"; rc=$?
  check "$cmd: exit 2, the name twice said" \
    bash -c "[ $rc -eq 2 ] && grep -qF \"benchmark 'sleep 0.001' is in it twice\" '$W/err' && [ ! -e '$W/dup.db' ]"
done
jq '.results[0].command = ""' "$E/hyperfine_1.15_params.json" >hf_noname.json
jq '.benchmarks = []' "$E/known.json" >hf_none.json
"$TACH" record --store "$W/dup.db" hf_none.json >"$W/out" 2>"$W/err"; rc=$?
check "a file of no benchmark: not recorded, exit 2" \
  bash -c "[ $rc -eq 2 ] && grep -qF 'hf_none.json holds no benchmark: nothing to record' '$W/err' && [ ! -e '$W/dup.db' ]"
"$TACH" record --store "$W/dup.db" hf_noname.json >"$W/out" 2>"$W/err"; rc=$?
check "a benchmark without a name: exit 2, its position said, nothing recorded" \
  bash -c "[ $rc -eq 2 ] && grep -qF 'hf_noname.json: benchmark 1 has no name' '$W/err' && [ ! -e '$W/dup.db' ]"

# ---- usage ------------------------------------------------------------------------------------------------------
"$TACH" import >/dev/null 2>"$W/err"; rc=$?
check "import with no file: exit 2" test "$rc" -eq 2
"$TACH" import "$E/known.json" -o "$W/nodir/x.json" >/dev/null 2>"$W/err"; rc=$?
check "import -o into a missing directory: exit 2, named" bash -c "[ $rc -eq 2 ] && grep -q nodir '$W/err'"
"$TACH" convert "$E/known.json" -o "$W/x.csv" >/dev/null 2>"$W/err"; rc=$?
check "convert without --to: exit 2" bash -c "[ $rc -eq 2 ] && grep -q -- '--to' '$W/err' && [ ! -e '$W/x.csv' ]"
"$TACH" convert "$E/known.json" --to yaml -o "$W/x.yaml" >/dev/null 2>"$W/err"; rc=$?
check "convert --to yaml: exit 2, the format named" bash -c "[ $rc -eq 2 ] && grep -q \"'yaml'\" '$W/err' && [ ! -e '$W/x.yaml' ]"
"$TACH" convert trunc_gb.json --to csv -o "$W/x.csv" >/dev/null 2>"$W/err"; rc=$?
check "convert of a truncated file: exit 2, nothing written" bash -c "[ $rc -eq 2 ] && [ ! -e '$W/x.csv' ]"
"$TACH" import --help | grep -q "Google Benchmark"
check "import --help" test $? -eq 0
"$TACH" convert --help | grep -q "bmf"
check "convert --help" test $? -eq 0

# A file starting with a UTF-8 byte order mark (PowerShell's Out-File, some editors
# write one) is JSON still: import, record and compare read it as without the mark.
printf '\xef\xbb\xbf' >bom_base.json && cat "$DATA/report_base.json" >>bom_base.json
printf '\xef\xbb\xbf' >bom_new.json && cat "$DATA/report_new.json" >>bom_new.json
cp "$DATA/report_base.json" plain_base.json && cp "$DATA/report_new.json" plain_new.json
if expect 0 "$TACH" import bom_base.json; then
  "$TACH" import plain_base.json 2>/dev/null | sed 's/plain_base/bom_base/' >plain.out
  cmp -s out plain.out && ok "import: a file with a BOM reads as without it" || fail "import of a BOM file differs"
fi
expect 0 "$TACH" record -q --store bom.db bom_base.json bom_new.json && out_has '^2$' && ok "record: BOM files recorded"
if expect 0 "$TACH" compare bom_base.json bom_new.json; then
  "$TACH" compare plain_base.json plain_new.json 2>/dev/null | sed 's/plain_/bom_/g' >plain.out
  cmp -s out plain.out && ok "compare: BOM files compared as without the mark" || fail "compare of BOM files differs"
fi

finish
