#!/usr/bin/env bash
# soak_store.sh - a soak is recorded in the store when it stops: whole (partial false,
# the verdict and the series in context.soak, one sample per interval), or interrupted
# by Ctrl-C (recorded partial); --no-store records nothing; a store that cannot be
# written is refused before anything runs (exit 2, no series file left).
source "$(dirname "$0")/lib.bash"
private_store

# A whole soak of a command: recorded, not partial, one sample per interval.
# (40 intervals: enough for the drift verdicts and for memory growth (8 windows of 3 after
# the first 10%), so stable or drifting, by the machine.  The RSS is the program's own,
# without tach's pages copied at the fork, so not even under ASan (whose quarantine grows
# tach's heap) does `true` leak; where tracing is refused the RSS is ru_maxrss, which
# holds tach's copied pages: there leaking is the machine's as well.)
asan=0
if [ "${TACH_TEST_SANITIZE:-OFF}" = ON ] && ! "$TACH_BUILD/tests/tool_can_ptrace"; then asan=1; fi
"$TACH" soak --duration 4 --interval 0.1 --out whole.jsonl -- true >"$tmp/out" 2>"$tmp/err"
err_has "recorded run 1"
expect 0 "$TACH" history --runs --format json && out_jq 'length == 1'
if expect 0 "$TACH" report 1 --format json --no-compare; then
  n=$(jq -s '[.[] | select(.interval != null and .ops >= 1)] | length' whole.jsonl)
  out_jq '.partial == false and .context.soak.partial == false and .context.soak.format == "tach-soak-report"'
  out_jq --argjson a "$asan" '.context.soak.verdict.summary == "stable" or .context.soak.verdict.summary == "drifting" or ($a == 1 and .context.soak.verdict.summary == "leaking")'
  out_jq --argjson n "$n" '.benchmarks[0].name == "soak: true" and (.benchmarks[0].samples.ns | length) == $n and $n >= 3'
  out_jq --argjson n "$n" '(.context.soak.series.t | length) == $n'
  ok "a whole soak is recorded with its verdict, its series and a sample per interval"
fi
# the Markdown report of it says the verdict (only the HTML one did)
expect 0 "$TACH" report 1 --no-compare && out_has '^## Soak$' \
  && out_has '^\*\*(stable|drifting|leaking)\*\*(: .*)? · [0-9]+ intervals' && ok "report's Markdown: the soak's verdict"
# a soak is not judged by CV (its intervals drift by design, its verdict judges that):
# recorded with a CV above 5% (unstable, as here), the report does not list it unstable
if expect 0 "$TACH" report 1 --format json --no-compare; then
  jq '.benchmarks[0].unstable = true' "$tmp/out" >cv.json
  expect 0 "$TACH" report cv.json --no-compare &&
    out_has '^\| Unstable \(CV > 5%\) \| n/a: not judged by CV' && out_lacks ', unstable \|' &&
    out_has '^- \*\*Stability\*\*: a soak: not judged by CV' &&
    expect 0 "$TACH" report cv.json --no-compare --format html && out_lacks 't-unstable">' &&
    ok "report: a soak with a CV above 5% is not listed unstable" ||
    fail "report: a soak with a CV above 5% is not listed unstable"
fi
# ... nor by compare: two soaks whose intervals spread 13% were "unstable (cv 13.4% /
# 13.7%)" with advice to rerun a BENCH_BINARY with --rounds; a CI wider than the noise
# band that the U test does not confirm is "not significant", the advice a longer soak,
# and a clear change is judged
if [ -s cv.json ]; then
  spread() { jq --argjson f "$2" '.benchmarks[0].samples.ns |= [range(length) as $i | (if $i % 2 == 0 then 1000 else 1300 end) * $f]' cv.json >"$1"; }
  spread sa.json 1; spread sb.json 1.08; spread sc.json 2
  expect 0 "$TACH" compare sa.json sb.json && out_lacks 'unstable \(cv' \
    && ok "compare: two soaks a change apart are not judged by CV"
  expect 0 "$TACH" compare sa.json sa.json && out_lacks 'unstable \(cv' && out_lacks 'BENCH_BINARY|tach ab' \
    && out_has '^soak: true .* unstable: not significant \(q 1\)$' \
    && out_has '\(1 whose CI reaches past it while the U test' && out_lacks 'whose CI lies beyond' \
    && out_has '^  a longer soak on each side \(a sample per interval\):  tach soak --duration LONGER' \
    && ok "compare: two soaks are not judged by CV" || fail "compare: two soaks are not judged by CV"
  expect 0 "$TACH" compare --format json sa.json sa.json \
    && out_jq '.benchmarks[0].why | test("^not significant \\(q 1\\): the CI \\[.*\\] reaches past the noise band")' \
    && ok "compare --format json: a soak's not significant row says why" || fail "json: a soak's not significant why"
  expect 0 "$TACH" compare sa.json sc.json && out_has '^soak: true .* regressed \(critical\)$' \
    && ok "compare: a soak twice as slow regressed"
  jq 'del(.context.soak)' sa.json >na.json; jq 'del(.context.soak)' sb.json >nb.json
  expect 0 "$TACH" compare na.json nb.json && out_has 'unstable \(cv 1[0-9]\.[0-9]% / 1[0-9]\.[0-9]%\)$' \
    && ok "compare: the same samples, no soak, are judged by CV"
fi

# The recorded soak's charts over time in tach report --format html and tach site:
# a "Soak over time" section with three charts (throughput, p50/p99, RSS and heap),
# one point (<circle class="iv">) per interval and series that has a value.
count_in() { # count_in FILE CLASS: the points of the chart of that class
  python3 - "$1" "$2" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r'<svg[^>]*class="chart %s".*?</svg>' % sys.argv[2], text, re.S)
print(len(re.findall(r'<circle class="iv"', m.group(0))) if m else -1)
PY
}
if expect 0 "$TACH" report 1 --format html --no-compare -o r1.html; then
  check "the HTML report has the Soak section and its link" bash -c \
    "grep -q '<section id=\"soak\"><h2>Soak over time</h2>' r1.html && grep -q 'href=\"#soak\"' r1.html"
  check "... with the verdict" grep -Eq 'class="soak-verdict"><span class="tag t-(stable|drifting'"$([ $asan = 1 ] && echo '|leaking')"')">' r1.html
  check "... a throughput chart with a point per interval" test "$(count_in r1.html soak-rate)" = "$n"
  check "... a latency chart with p50 and p99 per interval" test "$(count_in r1.html soak-latency)" = "$((2 * n))"
  check "... a memory chart with the RSS per interval (a command: no heap)" test "$(count_in r1.html soak-memory)" = "$n"
fi
if expect 0 "$TACH" site site; then
  page=$(grep -l 'soak: true' site/b/*.html | head -1)
  check "the site's page of the soak has its charts over time" bash -c \
    "grep -q '<section id=\"soak\"><h3>The newest soak over time' '$page' && grep -q 'class=\"chart soak-rate\"' '$page' && grep -q 'class=\"chart soak-latency\"' '$page' && grep -q 'class=\"chart soak-memory\"' '$page'"
  check "... a point per interval" test "$(count_in "$page" soak-rate)" = "$n"
fi

# Interrupted (SIGINT) after two intervals: exit 130, recorded partial.
"$TACH" soak --duration 60 --interval 0.1 --out cut.jsonl -- true >"$tmp/out" 2>"$tmp/err" &
signal_when INT $! lines_at_least 2 '"interval"' cut.jsonl
if [ "$rc" = 130 ]; then ok "Ctrl-C stops the soak (exit 130)"; else fail "Ctrl-C: exit $rc, want 130"; fi
err_has "recorded run 2"
if expect 0 "$TACH" report 2 --format json --no-compare; then
  out_jq '.partial == true and .context.soak.partial == true and .context.soak.intervals >= 2'
  ok "an interrupted soak is recorded marked partial"
fi

# Resumed after Ctrl-C: the soak's record (run 2, partial) is replaced by the whole
# soak's, not joined by a second one.
check "the interrupted soak's file notes its record" jqt -s 'map(select(.recorded_run != null)) | .[-1].recorded_run == 2' cut.jsonl
sed -i 's/"duration_s":60\.0/"duration_s":1.5/' cut.jsonl # shorter, so the resume ends soon
expect_any() { "$@" >"$tmp/out" 2>"$tmp/err"; }
expect_any "$TACH" soak --resume cut.jsonl
err_has "replacing run 2" && ok "--resume says it replaces the earlier record"
if expect 0 "$TACH" history --runs --format json; then
  out_jq 'length == 2 and (map(.id) | index(2) == null)' && ok "... and the store holds one record of the soak, not two"
fi
if expect 0 "$TACH" report latest --format json --no-compare; then
  out_jq '.partial == false and .context.soak.partial == false and .context.soak.resumes == 1'
  ok "... which is the whole soak, resumed"
fi

# certify of a recorded soak: the Soak area, the verdicts with their evidence, and the
# soak's targets (soak_min_hours, max_growth_kb_per_hour).  The fixture leaks 100 blocks
# of 1000 bytes per second (soak_cli.sh): leaking in any build (heap, or RSS under a
# sanitizer; 5 s at 0.1 s give the 8 windows the test needs with room for a busy machine
# whose intervals run long), and a 5-second soak misses 1 hour and a growth of at most 10 KB/h.
expect 1 "$TACH" soak --duration 5 --interval 0.1 --bench leaky --out leak.jsonl --min-hours 1 \
  --max-growth 10 "$TACH_BUILD/tests/fixture_soak" && err_has "recorded run 4"
if expect 1 "$TACH" certify 4 -o cert.md; then
  check "the certificate has a Soak section" grep -q '^## Soak' cert.md
  check "... whose summary is leaking" grep -q '^- summary: leaking' cert.md
  check "... with the RSS growth's slope and CI" grep -Eq '^- RSS growth: growing, [0-9.e+]+ KB/h \[95% CI' cert.md
  check "... the Soak area scores 0" grep -q '^| Soak | 0/100 | leaking over' cert.md
  check "the leak rejects" grep -q '^- the soak is leaking' cert.md
  check "soak_min_hours is checked" grep -q '^- soak_min_hours missed: the soak lasted 0.0' cert.md
  check "max_growth_kb_per_hour is checked" grep -q '^- max_growth_kb_per_hour missed: memory may grow' cert.md
  check "the verdict is REJECTED" grep -q '^\*\*REJECTED\*\*' cert.md
fi
"$TACH" certify 1 -o cert1.md >/dev/null 2>&1 # approved or not, by the machine's noise
[ $asan = 1 ] || check "a stable or drifting soak is not rejected for its memory" bash -c "! grep -q 'soak is leaking' cert1.md"
check "... and shows its Soak area" grep -q '^| Soak | ' cert1.md

# --no-store: nothing recorded.
# (two intervals: too few for any verdict, "not tested", exit 1)
expect 1 "$TACH" soak --duration 0.4 --interval 0.2 --out nostore.jsonl --no-store -- true
check "--no-store says nothing of a store" bash -c "! grep -q recorded '$tmp/err'"
expect 0 "$TACH" history --runs --format json && out_jq 'length == 3' && ok "--no-store records nothing"

# A store that cannot be written: exit 2, nothing runs, no series file.
echo "not a database, not at all: garbage garbage garbage garbage garbage garbage" > bad.db
expect 2 "$TACH" soak --duration 0.4 --interval 0.2 --out refused.jsonl --store bad.db -- true \
  && ok "a bad --store is refused before the soak"
check "... and no series file is left" test ! -e refused.jsonl
expect 0 "$TACH" soak --help && out_has '--no-store' && ok "--help names --store and --no-store"

# The series file or the report onto the store the soak is to be recorded in, not made
# yet: refused before the soak (it ran, wrote its file there and then failed to record).
expect 2 "$TACH" soak --duration 0.4 --interval 0.2 --out ./new.db --store new.db -- true \
  && err_has "--out: './new.db' is the store: the output would replace it" && [ ! -e new.db ] \
  && ok "--out onto the store not made yet: refused, nothing written" || fail "--out onto the store not made yet: refused, nothing written"
expect 2 "$TACH" soak --duration 0.4 --interval 0.2 --out o.jsonl -o new.db --store ./new.db -- true \
  && err_has "-o: 'new.db' is the store: the output would replace it" && [ ! -e new.db ] && [ ! -e o.jsonl ] \
  && ok "-o onto the store not made yet: refused, nothing written" || fail "-o onto the store not made yet: refused, nothing written"

# --resume records where the soak would have: its file keeps the store chosen (a resume
# without --store once made a .tach/tach.db in its directory, and recorded a --no-store
# soak), and the machine it ran on (recorded soaks had no environment: another machine
# to history, and an empty Environment in reports).
killed_soak() { # OUT ARGS...: a soak killed -9 after two intervals, to be resumed
  local out=$1; shift
  "$TACH" soak --duration 60 --interval 0.1 --out "$out" "$@" -- true >/dev/null 2>&1 &
  signal_when KILL $! lines_at_least 2 '"interval"' "$out"
  sed -i 's/"duration_s":60\.0/"duration_s":1/' "$out"
}
before=$(sqlite3 "$TACH_STORE" 'select count(*) from tach_runs')
killed_soak k9.jsonl --store "$tmp/other.db"
mkdir elsewhere && (cd elsewhere && env -u TACH_STORE "$TACH" soak --resume ../k9.jsonl >"$tmp/out" 2>"$tmp/err")
err_has "recorded run 1 in $tmp/other.db" && ok "--resume (no --store, no TACH_STORE) records in the soak's --store"
[ ! -e elsewhere/.tach ] && [ "$(sqlite3 "$TACH_STORE" 'select count(*) from tach_runs')" = "$before" ] \
  && ok "... not in a new default store" || fail "the resume recorded elsewhere"
killed_soak k9later.jsonl --store "$tmp/later.db"
cp k9later.jsonl k9later.kept
expect 2 env -u TACH_STORE "$TACH" soak --resume k9later.jsonl -o "$tmp/later.db" \
  && err_has "-o: '$tmp/later.db' is the store: the output would replace it" && [ ! -e "$tmp/later.db" ] \
  && cmp -s k9later.jsonl k9later.kept && ok "--resume -o onto the soak's store not made yet: refused, nothing written" || fail "--resume -o onto the soak's store not made yet: refused, nothing written"
"$TACH" run --store "$tmp/other.db" -r 2 -c true >/dev/null 2>&1 || fail "run into other.db"
expect 0 "$TACH" history --store "$tmp/other.db" --runs --format json \
  && out_jq 'length == 2 and .[0].machine == .[1].machine' && ok "the soak's machine is the run's"
expect 0 "$TACH" report 1 --store "$tmp/other.db" --format json --no-compare \
  && out_jq '.context.cpus > 0 and (.context.cpu_model | length > 0) and .context.tool == "tach soak"' && ok "the soak's record has its environment"
expect 2 "$TACH" soak --report k9.jsonl --duration 5 && err_has "--duration with --report: the soak's file holds its settings" \
  && ok "--report with --duration: refused (it changed nothing)"
# so are the other options that only matter when a soak starts (and, for a report, the
# store: a report records nothing): exit 2, the option named, the file as it was
sum0=$(md5sum <k9.jsonl)
for a in "--interval 2" "--out other.jsonl" "--store $tmp/x.db" "--no-store"; do
  if expect 2 "$TACH" soak --report k9.jsonl $a; then
    err_line "^tach soak: ${a%% *} with --report: " && out_lacks . && ok "--report with ${a%% *}: refused"
  fi
done
for a in "--interval 2" "--out other.jsonl"; do
  if expect 2 "$TACH" soak --resume k9.jsonl $a; then
    err_line "^tach soak: ${a%% *} with --resume: " && ok "--resume with ${a%% *}: refused"
  fi
done
[ "$(md5sum <k9.jsonl)" = "$sum0" ] && [ ! -e other.jsonl ] && [ ! -e "$tmp/x.db" ] &&
  ok "... the soak's file untouched, nothing made" || fail "a refused --report/--resume changed something"
killed_soak k9n.jsonl --no-store
expect_any env -u TACH_STORE "$TACH" soak --resume k9n.jsonl
check "--resume of a --no-store soak records nothing" bash -c "! grep -q recorded '$tmp/err'"
# An interrupted soak's record that cannot be noted in its file (a full disk: the file
# swapped for /dev/full while the store records) is said, naming the file: a --resume
# would record the soak a second time.  (The note was written unchecked.)
# The store's test mark is a fifo: the writer blocks opening it until the test reads it
# (pass_mark), then holds 5 s before it records; the swap, made at once, comes after the
# soak read its file and before the note, however slow the machine (no /proc wchan).
rm -f "$tmp/mark" && mkfifo "$tmp/mark"
TACH_STORE_TEST_SLEEP_MS=5000 TACH_STORE_TEST_MARK=$tmp/mark "$TACH" soak --duration 60 \
  --interval 0.1 --out full.jsonl --store "$tmp/full.db" -- true >"$tmp/out" 2>"$tmp/err" &
pid=$!
running_until $pid lines_at_least 2 '"interval"' full.jsonl \
  || fail "the soak ended before its second interval"
kill -INT "$pid"
if pass_mark $pid; then
  mv full.jsonl full.kept && ln -s /dev/full full.jsonl
fi
wait "$pid"
rc=$?
[ "$rc" = 130 ] || fail "a soak interrupted, its note not written: exit $rc, want 130"
err_has "recorded run 1 in $tmp/full.db" && \
  err_has "tach soak: cannot note run 1 in full.jsonl (No space left on device): a tach soak --resume full.jsonl would record the soak a second time, beside run 1" && \
  ok "a record that cannot be noted in the series file is said, naming the file"
# A stable soak whose end line cannot be written (a full disk; here RLIMIT_FSIZE, EFBIG)
# reads as partial and is recorded so; its note fails on the same disk.  Both are said,
# consistently, and the exit status stays the soak's own: 0 (the failed note made it 1).
# The series is a real soak's header (its duration made 1.8 s, padded past the store's
# size) and 36 intervals of 0.05 s written here, constant (stable on any machine) and as
# many as the verdict needs however fast the machine ran the soak (a real 1.8 s soak gave
# 26 intervals on a busy machine, too few to test memory growth: "not tested", exit 1),
# with no end line: the limit stops only the series file's end line and note.
if command -v prlimit >/dev/null; then
  "$TACH" soak --duration 0.1 --interval 0.05 --no-store --out st0.jsonl -- true >/dev/null 2>&1
  { head -1 st0.jsonl | jq -c '. + {duration_s: 1.8, pad: ("x" * 300000)}'
    jq -nc 'range(36) | {interval: ., t: ((. + 1) * 0.05), length: 0.05, ops: 10, ops_per_s: 200,
      errors: 0, p50_ns: 5e6, p99_ns: 5e6, max_ns: 5e6, rss_bytes: 1e6, rss_of: "program"}'; } >stfull.jsonl
  lim=$(($(stat -c %s stfull.jsonl) + 64))
  expect 0 bash -c 'trap "" XFSZ; exec prlimit --fsize="$1" -- "${@:2}"' _ "$lim" \
    "$TACH" soak --resume stfull.jsonl --store "$tmp/stfull.db" &&
    err_has "stfull.jsonl reads as a partial soak until a tach soak --resume stfull.jsonl writes the line" &&
    err_has "tach soak: stable (partial)" && err_has "recorded run 1 in $tmp/stfull.db" &&
    err_has "tach soak: cannot note run 1 in stfull.jsonl (File too large): a tach soak --resume stfull.jsonl would record the soak a second time, beside run 1" &&
    ok "a stable soak on a full disk: its end line and note said, exit 0"
  rm -f st0.jsonl stfull.jsonl
else
  echo "skip: a series file at its size limit with a store: no prlimit"
fi
finish
