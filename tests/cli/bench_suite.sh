#!/usr/bin/env bash
# bench_suite.sh - `tach bench` end to end on a small project made here: a git repository
# whose .tach/config declares two modules, "core" (a benchmark binary built here from
# tests/cli/data/bench_suite.c against the build tree's libtach, as install_consumer.sh
# builds) and "tool" (a command).
#   1. the first run records one run and saves it as the baseline 'main';
#   2. a commit that makes suite/changing 3x slower (WORK 20000 -> 60000 steps; a large
#      factor, so the verdict holds on a busy machine, where compare may call it unstable
#      but its whole CI lies beyond the critical 10%): exit 1, the report names the
#      benchmark and the commit;
#   3. a binary one of whose benchmarks crashes: the other module's results stay in the
#      report and the run, exit 1; one that runs out of memory once is retried with
#      reduced load and marked;
#   4. bad configs fail before anything runs (exit 2, one line: file, line, key), and so
#      do bad options;
#   5. --quick is marked everywhere and never becomes the baseline; targets; a thread
#      sweep; a load line; Ctrl-C during the second item (sent once its progress line is
#      out: no timing) keeps the first's results, recorded as partial; --strict refuses a
#      machine where another benchmark tool runs.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
cflags=()
[ "${TACH_TEST_SANITIZE:-OFF}" = ON ] && cflags=(-fsanitize=address,undefined)
export PKG_CONFIG_PATH=$TACH_BUILD
proj=$tmp/proj
mkdir -p "$proj/.tach" "$proj/tools"
cd "$proj" || exit 1
git init -q . && git config user.email t@example.com && git config user.name tester
cp "$DATA/bench_suite.c" .
build() { # build [CFLAGS...]: suite_bench from bench_suite.c
  # shellcheck disable=SC2046
  cc -O2 "${cflags[@]}" "$@" bench_suite.c $(pkg-config --cflags --libs tach) -o suite_bench
}
build || { fail "cannot build the suite's binary"; finish; }
printf '#!/bin/sh\ni=0\nwhile [ $i -lt 200 ]; do i=$((i+1)); done\n' >tools/work.sh
chmod +x tools/work.sh
cat >.tach/config <<'INI'
; the suite of a small project
[module "core"]
    bench = ./suite_bench --sample-time 50us --min-samples 1000
    criteria = throughput latency
[module "tool"]
    command = ./tools/work.sh
    criteria = throughput memory cpu
[suite]
    baseline = main
    report = PERFORMANCE_REPORT.md
INI
printf 'suite_bench\n.tach/tach.db*\nPERFORMANCE_REPORT.*\n' >.gitignore
git add -A && git commit -qm "the first version"
first=$(git rev-parse --short HEAD)
fast=(--bench-time 0.5)
runs() { sqlite3 .tach/tach.db 'select count(*) from tach_runs' 2>/dev/null || echo 0; }

# ---- 1. the first run: recorded, saved as the baseline -------------------------------
# (--profile, which tach bench passes to a binary whose --help lists it, as suite_bench's
# does, so that the regression below has profiles.  The profiler samples CPU time
# (cpu-clock, 997 Hz) in the measured region only, and the budget (--bench-time) is wall
# time: on a loaded machine a benchmark got a sample or two of profile, or none, and then
# no folded file ("no profile on one side").  The module's --min-samples 1000 is a count
# of work, at least one iteration (20000 steps) a sample: some 50 profile samples on a
# quiet machine and on a busy one.)
prof=(--profile)
./suite_bench --help | grep -q -- '--profile ' || fail "suite_bench --help lists no --profile"
if expect 0 "$TACH" bench "${fast[@]}" "${prof[@]}"; then
  err_has "tach bench: 1/5 checking the machine"
  err_has "tach bench: 5/5 writing the report"
  err_has "no baseline 'main' yet: run 1 saved as baseline 'main'"
  out_has '^Throughput: '
  out_has '^Latency p99: [0-9.]+ (ns|µs|ms|s) per (call|run), the highest, of (core|tool)/'
  err_has "bench   ./suite_bench --sample-time 50us --min-samples 1000  [throughput latency] --latency"
  out_has '^Memory: [0-9.]+ MB peak, the highest, of tool/\./tools/work\.sh'
  out_has '^Verdict: passed$'
  [ "$(runs)" = 1 ] && ok "one run recorded" || fail "runs in the store: $(runs)"
  check "baseline main is run 1" bash -c "'$TACH' baseline list | grep -E '^main +1 '"
  check "the report is written" test -s PERFORMANCE_REPORT.md
  check "the detailed JSON: both modules' results, the baseline saved" \
    jqt '.suite.saved_as_baseline and ([.results.benchmarks[].name] | sort ==
         ["core/suite/changing", "core/suite/steady", "tool/./tools/work.sh"])' PERFORMANCE_REPORT.json
  check "the run carries the commit" jqt --arg c "$(git rev-parse HEAD)" '.suite.commit == $c' PERFORMANCE_REPORT.json
  check "the command line kept is this tach bench's" \
    jqt '.results.context.command_line[0:4] == ["tach", "bench", "--bench-time", "0.5"]' PERFORMANCE_REPORT.json
  ok "the first run records and saves the baseline"
fi

# ---- 2. a commit that slows one benchmark 3x -----------------------------------------
# (the baseline's profiles moved to a folder whose name is over 1100 bytes, its tag
# profile_dir following: its frames are still found; the folder's name was cut at 1100
# bytes and the regression had "no profile on one side")
seg=$(printf 'p%.0s' $(seq 240))
moved=.tach/profile/moved/$seg/$seg/$seg/$seg/$seg
mkdir -p "$(dirname "$moved")"
mv .tach/profile/bench-* "$moved" &&
  sqlite3 .tach/tach.db "update tach_run_tags set value = '$moved' where run_id = 1 and key = 'profile_dir'" ||
  fail "the baseline's profiles not moved"
sed -i 's/^#define WORK 20000$/#define WORK 60000/' bench_suite.c
grep -q '^#define WORK 60000$' bench_suite.c || fail "the slower version was not made"
build && git commit -qam "make changing three times slower"
second=$(git rev-parse --short HEAD)
if expect 1 "$TACH" bench "${fast[@]}" "${prof[@]}" --html report.html; then
  out_has '^Regressions:$'
  out_has '^  core/suite/changing: \+[0-9.]+% \(95% CI .*\), critical( \(its rounds disagree\))?$'
  out_has '^Verdict: FAILED$'
  grep -q '^## Regression analysis$' PERFORMANCE_REPORT.md || fail "no regression analysis"
  grep -qE '^- core/suite/changing: \+[0-9.]+% \(95% CI' PERFORMANCE_REPORT.md ||
    fail "the report does not name the regressed benchmark"
  grep -qF "$second make changing three times slower" PERFORMANCE_REPORT.md ||
    fail "the report does not name the commit between the baseline and this run"
  grep -qF "$first the first version" PERFORMANCE_REPORT.md &&
    fail "the baseline's own commit is listed as one between"
  check "JSON: the regression, the commit, the verdict" \
    jqt --arg s "$second" '.suite.verdict == "failed" and (.suite.regressions | any(startswith("core/suite/changing: +")))
         and .suite.commits == [$s + " make changing three times slower"]
         and (.comparison.benchmarks[] | select(.name == "core/suite/changing")
           | (.verdict == "regressed" or .verdict == "unstable") and .change_ci_low > 0.1)' \
    PERFORMANCE_REPORT.json
  check "--html written" grep -q '<html' report.html
  # the frames of the regressed benchmark compared between the two runs' profiles
  grep -qE '^- core/suite/changing: (no frame.s share grew|.*: self [0-9.]+% -> [0-9.]+% \(\+[0-9.]+ points\))$' \
    PERFORMANCE_REPORT.md || fail "--profile: no frames for the regression: $(grep -A4 'Frames that grew' PERFORMANCE_REPORT.md)"
  check "--profile: each run's profiles in their own folder" \
    bash -c "ls .tach/profile/bench-*/core/suite_changing-4f275534bda70443.folded $moved/core/suite_changing-4f275534bda70443.folded | wc -l | grep -qx 2"
  ok "a 3x slower benchmark fails the run; the report names it and the commit"
fi

# ---- 3. a binary whose benchmark crashes: the other module's results stay ------------
# (the profiled runs are done: the other runs keep the suite's short budget, without
# --min-samples, whose count of work a thread sweep on a loaded machine stretches to
# minutes)
sed -i 's/ --min-samples 1000$//' .tach/config
build -DCRASH
if expect 1 "$TACH" bench --bench-time 0.2 --report crash.md; then
  err_has "core/suite/changing: crashed"
  out_has '^Failed: 1 benchmark'
  grep -qF '`core/suite/changing` **CRASHED**' crash.md || fail "the crash is not in the report"
  grep -qF '`tool/./tools/work.sh`' crash.md || fail "the command module's results left the report"
  check "JSON: the command's results and the binary's healthy one, measured" \
    jqt '[.results.benchmarks[] | select(.status == "ok") | .name] | sort == ["core/suite/steady", "tool/./tools/work.sh"]' crash.json
  ok "a crashing benchmark leaves the other module's results"
fi
# ---- 3b. a benchmark out of memory once: retried with reduced load, marked -----------
build -DEXHAUST
rm -f exhausted.once
if expect 0 "$TACH" bench --bench-time 0.2 --baseline exhaust --report exhaust.md core; then
  err_has "[1/1] core: ./suite_bench --sample-time 50us ... ok, 3 results in"
  err_has "(retried with reduced load)"
  check "JSON: the item marked retried, hungry measured" \
    jqt '(.suite.items[0] | .retried and .status == "ok") and
         ([.results.benchmarks[] | select(.name == "core/suite/hungry") | .status] == ["ok"])' exhaust.json
  grep -qF 'ok (retried with reduced load)' exhaust.md || fail "the report does not mark the retry"
  ok "resource exhaustion: retried once with reduced load, and marked"
fi
build

# ---- 4. bad configs and options: nothing runs ---------------------------------------
before=$(runs)
cp .tach/config good.ini
bad_config() { # TEXT LINE-RE: the config as given fails with one line matching LINE-RE
  rm -f bad.md
  if expect 2 "$TACH" bench "${fast[@]}" --report bad.md; then
    err_line "$2" && [ ! -e bad.md ] && [ "$(runs)" = "$before" ] && ok "bad config: $1" || fail "bad config: $1"
  fi
}
printf '[module "core"]\n    bench = ./build/nothere\n' >.tach/config
bad_config "a path that does not exist" '^tach bench: .*/\.tach/config:2: bench = \./build/nothere: no such file'
printf '[module "core"]\n    bench = ./suite_bench\n    threads = 4\n' >.tach/config
bad_config "an unknown key" "^tach bench: .*/\.tach/config:3: unknown key 'threads' in \[module \"core\"\]"
printf '[module "core"]\n[module "tool"]\n    command = true\n' >.tach/config
bad_config "a module with nothing to run" '^tach bench: .*/\.tach/config:1: module "core" has nothing to run'
printf '[module "core"]\n    bench = ./suite_bench\n    criteria = speed\n' >.tach/config
bad_config "an unknown criterion" "^tach bench: .*/\.tach/config:3: unknown criterion 'speed'"
# a module's name is a tag's key part (seconds.MODULE.KIND.N=S): an '=' would split it
printf '[module "a=b"]\n    command = true\n' >.tach/config
bad_config "a module name with an '='" \
  "^tach bench: .*/\.tach/config:1: bad section \[module \"a=b\"\] \(expected \[module \"NAME\"\], NAME of letters, digits, '-', '_' and '\.'\)$"
printf '[suite]\n    noise = lots\n' >.tach/config
bad_config "a bad [suite] value" "^tach bench: .*/\.tach/config:2: bad value 'lots' for noise in \[suite\]"
# what --noise and --critical refuse (0%: every change a regression; beyond 1000%) was taken
# from [suite]
for kv in 'noise = 0' 'critical = 0%' 'noise = 2000'; do
  printf '[suite]\n    %s\n[module "tool"]\n    command = true\n' "$kv" >.tach/config
  bad_config "[suite] $kv" "^tach bench: .*/\.tach/config:2: bad value '${kv#* = }' for ${kv%% *} in \[suite\] \(a percentage above 0% and at most 1000%, as --${kv%% *}\)$"
done
cp good.ini .tach/config
expect 2 "$TACH" bench nosuch && err_line "^tach bench: unknown module 'nosuch' \(.* declares: core, tool\)$" &&
  ok "an unknown module named"
# a module named twice: it ran once, without a word
expect 2 "$TACH" bench core core && err_line "^tach bench: module 'core' is given twice$" &&
  ok "a module named twice is refused"
expect 2 "$TACH" bench --criteria fast && err_line "^tach bench: --criteria: 'fast': unknown criterion 'fast'" &&
  ok "a bad --criteria named"
# an empty item in --criteria was passed over, while --threads 1,,2 is refused: refused too
for v in 'throughput,,latency' ',latency' 'latency,'; do
  expect 2 "$TACH" bench --criteria "$v" &&
    err_line "^tach bench: --criteria: '$v': an empty item in the list \(give criteria like throughput,latency\)$" && ok "--criteria '$v': the empty item refused" ||
    fail "--criteria '$v' accepted"
done
expect 2 "$TACH" bench --noise x && err_has "--noise" && ok "a bad --noise named"
expect 2 "$TACH" bench --noise 5 --critical 2 && err_has "noise 5% is above critical 2%" &&
  ok "noise above critical refused, as tach compare does"
expect 2 "$TACH" bench --html /nonexistent/r.html && err_line "^tach bench: --html: '/nonexistent/r.html': " &&
  ok "an unwritable --html named"
expect 2 "$TACH" bench --html - && err_line "^tach bench: --html: '-': " && ok "--html - refused"
# outputs that clash (with one another, the store, the config) and a name no baseline
# can have: refused before the suite runs, nothing written
rm -f same.md r.md r.json new.db new.db.json
expect 2 "$TACH" bench --report same.md --html same.md &&
  err_line "^tach bench: --html 'same.md' is the report: name another file$" &&
  [ ! -e same.md ] && ok "--html naming the report refused" || fail "--html naming the report refused"
expect 2 "$TACH" bench --report r.md --html r.json &&
  err_line "^tach bench: --html 'r.json' is the detailed JSON written beside the report: " &&
  [ ! -e r.md ] && [ ! -e r.json ] && ok "--html naming the report's JSON twin refused" \
    || fail "--html naming the report's JSON twin refused"
expect 2 "$TACH" bench --store new.db --report new.db &&
  err_line "^tach bench: --report 'new.db' is the store: name another file$" &&
  [ ! -e new.db ] && [ ! -e new.db.json ] && ok "--report naming a new store refused" \
    || fail "--report naming a new store refused"
expect 2 "$TACH" bench --store r.json --report r.md &&
  err_line "^tach bench: --report 'r.md': its JSON twin .*/r.json is the store: " &&
  [ ! -e r.json ] && ok "a report whose JSON twin is the store refused" || fail "a report whose JSON twin is the store refused"
cp .tach/config mine.ini
expect 2 "$TACH" bench --config mine.ini --html mine.ini &&
  err_line "^tach bench: --html 'mine.ini' is the config file: " && cmp -s mine.ini .tach/config &&
  ok "--html naming the config refused, the config untouched" || fail "--html naming the config refused, the config untouched"
expect 2 "$TACH" bench --baseline 123 &&
  err_line "^tach bench: --baseline: baseline name '123' is all digits" &&
  ok "an all-digits --baseline refused before the run"
# (the config's own baseline replaced: a second one is refused, key given twice)
sed -i 's/^\( *baseline = \)main/\10042/' mine.ini && grep -q 'baseline = 0042' mine.ini || fail "no baseline to replace"
expect 2 "$TACH" bench --config mine.ini &&
  err_line "^tach bench: \[suite\] baseline in (.*/)?mine.ini: baseline name '0042' is all digits" &&
  ok "an all-digits [suite] baseline refused before the run"
[ "$(runs)" = "$before" ] && ok "nothing recorded by bad input" || fail "bad input recorded a run"
pushd "$tmp" >/dev/null
expect 2 "$TACH" bench && err_has "tach init" && ok "no config: points at tach init"
popd >/dev/null

# ---- 5. --quick, and --strict -------------------------------------------------------
rm -rf .tach/tach.db* quick.md
if expect 0 "$TACH" bench --quick --report quick.md; then
  out_has '^Quick run: '
  err_has "no baseline 'main' yet (a quick run is never saved as one)"
  grep -q '^# Performance report (quick run)$' quick.md || fail "the report is not marked quick"
  check "JSON marked quick" jqt '.suite.quick and (.suite.saved_as_baseline | not)' quick.json
  [ -z "$("$TACH" baseline list 2>/dev/null | grep main)" ] && ok "--quick: marked, never a baseline" ||
    fail "a quick run became the baseline"
fi
expect 0 "$TACH" bench --help && out_has "^usage: tach bench \[MODULE...\]" && ok "--help"
# a missed target against a baseline of an older commit (whether or not the quick run also
# reads as a regression): the analysis names the commit range and the commits in it
if expect 0 "$TACH" bench --bench-time 0.2 --baseline tgt --report tgt0.md core; then
  tgt_base=$(git rev-parse HEAD)
  git commit -q --allow-empty -m "a commit after the target's baseline"
  cp .tach/config pre_target.ini
  printf '[bench "core/suite/steady"]\nmax_median_ns = 1\n' >>.tach/config
  if expect 1 "$TACH" bench --quick --baseline tgt --report tgt.md core; then
    grep -qE '^- core/suite/steady: target max_median_ns 1 missed' tgt.md ||
      fail "the analysis does not list the missed target: $(cat tgt.md)"
    grep -qF "Commits between the baseline (\`${tgt_base:0:12}\`) and this run (\`$(git rev-parse HEAD | cut -c1-12)\`)" tgt.md ||
      fail "a missed target: the report does not show the commit range: $(grep -A3 '^## Regression analysis' tgt.md)"
    grep -qF "$(git rev-parse --short HEAD) a commit after the target's baseline" tgt.md ||
      fail "a missed target: the report does not list the commit between"
    grep -q 'No commit range' tgt.md && fail "a missed target: 'No commit range' though both runs have commits"
    check "JSON: the commit between" \
      jqt --arg s "$(git rev-parse --short HEAD)" '.suite.commits == [$s + " a commit after the target'"'"'s baseline"]' tgt.json
    ok "a missed target: the report shows the commits between the baseline and this run"
  fi
  cp pre_target.ini .tach/config
fi
# a target from [bench "GLOB"], checked even without a baseline
printf '[bench "core/suite/steady"]\nmax_median_ns = 1\n' >>.tach/config
if expect 1 "$TACH" bench --quick --baseline targets core; then
  out_has '^Targets: 0 met, 1 missed \(core/suite/steady: max_median_ns 1, measured [0-9.]+\)$'
  ok "a missed target fails the run, without a baseline too"
fi
cp good.ini .tach/config
# a load line: tach load on the binary's operation ("200/s" is the config's spelling of
# --rate 200); on this busy machine the generator may miss its rate (then tach load calls
# the run invalid: exit 1), so only what ran and what was kept is checked
printf '[module "svc"]\n    load = ./suite_bench op:1 --rate 200/s --duration 1s\n' >>.tach/config
if "$TACH" load --help >/dev/null 2>&1; then
  "$TACH" bench --quick --baseline load svc core >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [ "$rc" = 0 ] || [ "$rc" = 1 ]; then
    err_has "[1/2] svc: ./suite_bench op:1 --rate 200/s --duration 1s ... "
    check "JSON: the load run's operation with its request rate, beside the binary's results" \
      jqt '([.results.benchmarks[] | select(.name == "svc/op") | .load.rps > 0] == [true]) and
           ([.results.benchmarks[].name] | index("core/suite/steady") != null)' PERFORMANCE_REPORT.json
    ok "a load line runs tach load"
    # the throughput headline counts a load run once, by its overall rate (its operations'
    # rates are shares of it): one rate, not "geometric mean of 2"
    "$TACH" bench --quick --baseline load1 svc >"$tmp/out" 2>"$tmp/err"
    out_has '^ *Throughput: [0-9.,]+[ kM]*requests/s \('
    out_lacks 'Throughput: .*geometric mean'
  else
    fail "tach bench with a load line: exit $rc: $(cat "$tmp/err")"
  fi
fi
cp good.ini .tach/config
# a load line in a build without tach load: reported, not fatal
if ! "$TACH" load --help >/dev/null 2>&1; then
  printf '[module "svc"]\n    load = ./suite_bench op:1 --rate 100/s --duration 1s\n' >>.tach/config
  if expect 0 "$TACH" bench --quick --baseline load svc core; then
    err_has "not measured: tach load is not available in this build"
    err_has "[1/2] svc: ./suite_bench op:1 --rate 100/s --duration 1s ... not available in this build (no tach load)"
    grep -qF '| svc | load | `./suite_bench op:1 --rate 100/s --duration 1s` | not available in this build (no tach load) |' \
      PERFORMANCE_REPORT.md || fail "the report does not say the load line is not available"
    ok "a load line without tach load: reported as not available"
  fi
  cp good.ini .tach/config
fi
# memory and cpu from a binary: --memory and --counters (passed where its --help lists
# them: suite_bench's always does)
if ./suite_bench --help | grep -q -- '--memory' && ./suite_bench --help | grep -q -- '--counters'; then
  if expect 0 "$TACH" bench --quick --baseline memcpu --criteria "memory cpu" core; then
    err_has "[memory cpu] --memory --counters"
    # (a sanitized libtach cannot count the heap: then it says why)
    out_has '^Memory: ([0-9.]+ MB peak, the highest, of core/suite/|not measured \(core/suite/[a-z]+: .+\)$)'
    out_has '^CPU: [0-9.,]+ (ns|µs|ms|s)? ?(per iteration|CPU time \(task-clock\) per iteration), the highest, of core/suite/'
    ok "memory and cpu: --memory and --counters passed, their headlines"
  fi
else
  fail "suite_bench --help lists no --memory or no --counters"
fi
# --criteria scalability: the binary's --threads sweep (1,2,... up to the CPUs), its
# lowest parallel efficiency as the headline
if ./suite_bench --help | grep -q -- '--threads LIST'; then
  if expect 0 "$TACH" bench --quick --baseline sweep --criteria "throughput scalability" core; then
    err_has "[throughput scalability] --threads=1,"
    out_has '^Scalability: efficiency [0-9.]+ at [0-9]+ threads, the lowest, of core/suite/(steady|changing)/threads=\* '
    ok "scalability: a thread sweep, its efficiency in the summary"
  fi
else
  fail "suite_bench --help lists no --threads LIST"
fi
# Ctrl-C while the second item runs: the first's results are recorded and reported
printf '[module "first"]\n    command = ./tools/work.sh\n[module "second"]\n    command = sleep 5\n' >int.ini
"$TACH" bench --config int.ini --quick --baseline int --report int.md >"$tmp/out" 2>"$tmp/err" &
signal_when INT $! grep -qF '[2/2] second' "$tmp/err"
if [ "$rc" = 130 ]; then
  # what of it is kept, not the status twice ("interrupted: interrupted")
  err_has "[2/2] second: sleep 5 ... interrupted: nothing of it measured"
  check "the report's module table says so too" grep -qF '| interrupted: nothing of it measured |' int.md
  check "JSON: interrupted, the first module's results kept" \
    jqt '.suite.verdict == "interrupted" and ([.results.benchmarks[].name] | index("first/./tools/work.sh") != null)' int.json
  [ "$(sqlite3 .tach/tach.db "select count(*) from tach_run_tags where key = 'partial' and value = '1'")" -ge 1 ] &&
    ok "Ctrl-C: exit 130, what finished recorded (tagged partial) and reported" || fail "no partial run recorded"
else
  fail "Ctrl-C: exit $rc, expected 130: $(cat "$tmp/err")"
fi
# another benchmark tool running: a copy of sleep named hyperfine
cp "$(command -v sleep)" "$tmp/hyperfine"
"$tmp/hyperfine" 60 &
hpid=$!
trap 'kill $hpid 2>/dev/null; rm -rf "$tmp"' EXIT
before=$(runs)
if expect 1 "$TACH" bench --strict --quick; then
  # (another hyperfine on the machine would make it "hyperfine (2 processes)")
  grep -qE "other benchmark process(es)? running: .*hyperfine \((pid $hpid|[0-9]+ processes)\)" "$tmp/err" ||
    fail "the check does not name hyperfine: $(cat "$tmp/err")"
  err_has "--strict: the machine check gave"
  [ "$(runs)" = "$before" ] && ok "--strict refuses a machine where another benchmark runs" ||
    fail "--strict ran anyway"
fi
kill $hpid 2>/dev/null
finish
