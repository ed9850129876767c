#!/usr/bin/env bash
# compare_rounds.sh - verdicts that rest on the unit that really varies (issue #17):
#   - a Google Benchmark file with one row per benchmark (one sample a side): "not
#     testable (1 sample)" with the point change; gate exit 1 on a +100% change, 0
#     with --allow-untestable, and it says why;
#   - tach's --to gbench output (one iteration row per round, repetitions and
#     repetition_index as Google Benchmark writes them) read back by tach compare
#     (tested on the rounds) and by Google Benchmark's own compare.py (Debian
#     libbenchmark-tools, with python3-scipy), whose U test gives "_pvalue" rows;
#   - the run-to-run noise learned from the store's history widens the noise threshold;
#   - a side slowed in more rounds than may be set aside, the other not: "unstable: BASE
#     slowed in 9 of 12 rounds", never the "improved" its slowness makes.
source "$(dirname "$0")/lib.bash"
cd "$tmp" || exit 1

# ---- one row per benchmark ------------------------------------------------------------
gb_one() { # OUT NS_A NS_B: a Google Benchmark file, one iteration row per benchmark
  cat >"$1" <<EOF
{"context": {"date": "2026-01-07T00:00:00+00:00", "host_name": "h", "executable": "./b",
  "num_cpus": 2, "mhz_per_cpu": 3000, "cpu_scaling_enabled": false, "caches": [],
  "load_avg": [0.1], "library_build_type": "release"},
 "benchmarks": [
  {"name": "BM_a", "family_index": 0, "per_family_instance_index": 0, "run_name": "BM_a",
   "run_type": "iteration", "repetitions": 1, "repetition_index": 0, "threads": 1,
   "iterations": 1000, "real_time": $2, "cpu_time": $2, "time_unit": "ns"},
  {"name": "BM_b", "family_index": 1, "per_family_instance_index": 0, "run_name": "BM_b",
   "run_type": "iteration", "repetitions": 1, "repetition_index": 0, "threads": 1,
   "iterations": 1000, "real_time": $3, "cpu_time": $3, "time_unit": "ns"}]}
EOF
}
gb_one one_base.json 100 500
gb_one one_new.json 200 505

if expect 0 "$TACH" compare one_base.json one_new.json; then
  out_has '^BM_a .* \+100\.00% +- .* not testable \(1 sample\)$'
  out_has '^BM_b .* \+1\.00% +- .* not testable \(1 sample\)$'
  out_has ', 2 not testable'
  out_has '^note: 2 benchmarks have too few samples on a side'
  out_lacks 'unstable \(cv'
  ok "one row per benchmark: not testable (1 sample), the point change shown"
fi
if expect 0 "$TACH" compare --format json one_base.json one_new.json; then
  out_jq '.summary.untestable == 2 and .summary.unstable == 0'
  out_jq '[.benchmarks[].verdict] == ["not testable", "not testable"]'
  out_jq '.benchmarks[0].change == 1 and .benchmarks[0].change_ci_low == null'
  ok "json: verdict \"not testable\", no CI"
fi
if expect 1 "$TACH" gate one_base.json one_new.json; then
  err_has "1 not testable (too few samples) with a slowdown beyond the critical threshold of 10%"
  err_has "--allow-untestable"
  ok "gate: a +100% point change fails (exit 1) and says why"
fi
expect 0 "$TACH" gate --allow-untestable one_base.json one_new.json &&
  err_has "tach gate: passed" && ok "gate --allow-untestable: exit 0"
# a point change inside the critical threshold does not fail the gate
gb_one small_new.json 103 505
expect 0 "$TACH" gate one_base.json small_new.json && ok "gate: +3% not testable passes"
expect 2 "$TACH" compare --allow-untestable one_base.json one_new.json &&
  err_has "--allow-untestable" && ok "compare: --allow-untestable is gate's only"

# ---- tach's gbench output read back -----------------------------------------------------
# Two benchmarks, 10 rounds of 3 samples each; NEW is 10% slower in every round.
mk_rounds() { # OUT SCALE
  jq -n --argjson s "$2" '
    def bench(name; lvl): {name: name, status: "ok", samples: {
      iters: [range(30) | 1000],
      ns: [range(10) as $r | range(3) as $i | lvl * $s * (1 + ((($r*7 + $i*37) % 11) - 5) * 0.002)],
      rounds: [range(10) as $r | range(3) | $r]}};
    {format: "tach-results", version: 1, partial: false,
     context: {cpu_model: "Test CPU", cpus: 2, memory_kib: 4000000, kernel: "6.1.0", governor: null},
     benchmarks: [bench("k/a"; 100), bench("k/b"; 1000)]}' >"$1"
}
mk_rounds base.json 1
mk_rounds new.json 1.1
check "convert --to gbench" "$TACH" convert base.json --to gbench -o base.gb.json
check "convert --to gbench (new)" "$TACH" convert new.json --to gbench -o new.gb.json
check "gbench: one iteration row per round, repetitions 10" \
  jqt '[.benchmarks[] | select(.run_type == "iteration" and .run_name == "k/a")] |
       length == 10 and all(.repetitions == 10) and ([.[].repetition_index] == [range(10)])' base.gb.json

if expect 0 "$TACH" compare --format json base.gb.json new.gb.json; then
  out_jq 'all(.benchmarks[]; .by_rounds and .base_rounds == 10 and .new_rounds == 10
           and .verdict == "regressed" and .p < 0.001)'
  ok "tach compare on gbench read back: tested on the 10 rounds, regressed"
fi
if expect 0 "$TACH" compare --format json base.json new.json; then
  out_jq 'all(.benchmarks[]; .by_rounds and .verdict == "regressed")'
  ok "tach compare on the documents: the same"
fi

# ---- run-to-run noise learned from the store ---------------------------------------------
# Six runs of the same code whose levels wander by about 8% from run to run (steady
# inside each run), then a run 15% slower than the one before: on its own a clear
# regression (the first two runs alone say so), but not beyond what this benchmark's runs
# differ by, so the gate passes and says which noise threshold applied.
i=0
for s in 1 1.08 0.99 1.07 1 1.09 1.2535; do
  i=$((i + 1))
  mkdoc "h$i.json" "wander:steady:30:$s"
done
expect 0 "$TACH" record --store h.db -q h1.json h2.json h3.json h4.json h5.json h6.json h7.json && ok "record the history"
expect 1 "$TACH" gate --store h.db 1 2 && ok "two runs alone: +8% steady samples, regressed"
if expect 0 "$TACH" gate --store h.db --format json 6 7; then
  out_jq '.benchmarks[0] | .run_noise > 0.08 and .run_noise < 0.15 and .noise > 0.2 and .verdict == "unstable" and .runs_differ'
  ok "history: run-to-run noise learned, the noise threshold widened, gate passes"
fi
expect 0 "$TACH" compare --store h.db 6 7 && out_has '^wander .* unstable: runs differ by [0-9]+%$' &&
  out_has 'whose recorded runs differ' && ok "table: unstable: runs differ by N%, and the note says so"

# ---- one side slowed in more rounds than may be set aside ---------------------------------
# Pair 20 of bench/verdicts: BASE slowed in 9 of 12 rounds (none set aside), NEW in 3 (set
# aside); as a shift, "improved" by ~38%.  The verdict names the side, the gate passes,
# and the note says what to do.
mk_levels() { # OUT LEVEL... (one round of 10 samples per level)
  local out=$1
  shift
  jq -n --argjson l "[$(IFS=,; echo "$*")]" '
    {format: "tach-results", version: 1, partial: false,
     context: {cpu_model: "Test CPU", cpus: 2, memory_kib: 4000000, kernel: "6.1.0", governor: null},
     benchmarks: [{name: "sum", status: "ok", samples: {
       iters: [range($l | length) | range(10) | 1000],
       ns: [range($l | length) as $r | range(10) as $i | $l[$r] * 1000 * (1 + ((($i*37) % 11) - 5) * 0.001)],
       rounds: [range($l | length) as $r | range(10) | $r]}}]}' >"$out"
}
mk_levels p20_base.json 7200 4310 7900 8100 4290 7600 9400 6900 8800 4350 7400 10500
mk_levels p20_new.json 4620 4660 12000 4700 4640 4680 15000 4610 4690 4650 9000 4670
if expect 0 "$TACH" compare p20_base.json p20_new.json; then
  out_has '^sum .* unstable: BASE slowed in 9 of 12 rounds$'
  out_has 'one side slowed in most of its rounds and the other not: record that side again'
  ok "table: unstable: BASE slowed in 9 of 12 rounds, and the note says so"
fi
if expect 0 "$TACH" compare --format json p20_base.json p20_new.json; then
  out_jq '.benchmarks[0] | .verdict == "unstable" and .slowed_side == "base" and
          .base_rounds_slowed == 9 and .new_rounds_slow == 3 and .change_ci_high < -0.1'
  ok "json: slowed_side, base_rounds_slowed; the CI alone would say improved"
fi
expect 0 "$TACH" gate p20_new.json p20_base.json && err_has "tach gate: passed" &&
  ok "gate: NEW slowed in 9 of 12 rounds on the same code's levels passes"

# Google Benchmark's compare.py: Debian's libbenchmark-tools; its U test needs scipy.
# Debian's own python3 is used (a python3 earlier on PATH may lack scipy).
py=/usr/bin/python3
cmp_py=$(dpkg -L libbenchmark-tools 2>/dev/null | grep '/compare\.py$' | head -1)
if [ -z "$cmp_py" ] || ! "$py" -c 'import scipy' 2>/dev/null; then
  bash "$TACH_SRC/scripts/deps.sh" test >/dev/null 2>&1
  cmp_py=$(dpkg -L libbenchmark-tools 2>/dev/null | grep '/compare\.py$' | head -1)
fi
if [ -z "$cmp_py" ] || ! "$py" -c 'import scipy' 2>/dev/null; then
  echo "SKIP: Google Benchmark's compare.py (libbenchmark-tools) or python3-scipy is not" \
    "installed and could not be (scripts/deps.sh test)" >&2
  [ "$fails" -eq 0 ] && exit 77
  finish
fi
if expect 0 "$py" "$cmp_py" --no-color -d "$tmp/cmp.json" benchmarks base.gb.json new.gb.json; then
  out_has "^k/a_pvalue .*U Test, Repetitions: 10 vs 10"
  out_has "^k/b_pvalue .*U Test, Repetitions: 10 vs 10"
  check "compare.py: its U test finds the slowdown (p < 0.05)" \
    jqt '[.[] | .utest.time_pvalue? // empty] | length == 2 and all(. < 0.05)' \
    "$tmp/cmp.json"
  ok "compare.py reads tach's gbench output: _pvalue rows"
fi

finish
