#!/usr/bin/env bash
# soak_load.sh - `tach soak --load -- LOAD-ARGS`: a tach load scenario run as ONE load
# run for the whole soak (tach load --series), each interval's line checkpointed as it
# ends, with its requests, their rate, the errors, the interval's latency histogram
# (HdrHistogram's encoding) and the target process's RSS, heap, descriptors and
# threads.  The fixture's "flaky" operation fails every 10th call of a thread
# (tests/fixtures/load_ops.c), so each interval's errors are at most a tenth of its
# requests plus one per worker thread (--threads 2: a thread's count of calls runs on
# across the intervals' edges) and, over 4 intervals of 100+ requests, at least one.  A URL target is
# watched through --pid (here a Python http.server on a free port).  Bad load
# arguments are refused before anything is written (exit 2).
source "$(dirname "$0")/lib.bash"
BIN=$TACH_BUILD/tests/fixture_load_ops
private_store

# (the lateness bound wide: a busy machine must not make the load run invalid, which
# fails the soak; that case is tested below on its own)
"$TACH" soak --duration 2 --interval 0.5 --out load.jsonl --load -- "$BIN" flaky --rate 400 --threads 2 \
    --late-bound 1s --max-late 100 >"$tmp/out" 2>"$tmp/err" # stable or drifting, by the machine
check "the header names the load target" jqt -s '.[0].target.kind == "load" and .[0].target.argv == ["'"$BIN"'", "flaky", "--rate", "400", "--threads", "2", "--late-bound", "1s", "--max-late", "100"]' load.jsonl
check "four intervals, each with requests, rate and a histogram" jqt -s \
  '[.[] | select(.interval != null)] | length == 4 and all(.ops >= 1 and (.ops_per_s - .ops / .length | fabs) < 1e-6 * .ops_per_s and (.hist | startswith("HISTF")) and .p50_ns > 0 and .p99_ns >= .p50_ns and .max_ns >= .p99_ns)' load.jsonl
check "... numbered 0 to 3, ending at 0.5 s steps" jqt -s \
  '[.[] | select(.interval != null)] | map(.interval) == [0,1,2,3] and (map(.t) | . == [0.5, 1, 1.5, 2])' load.jsonl
check "one process for the whole soak: every interval has the same pid" jqt -s \
  '[.[] | select(.interval != null) | .pid] | length == 4 and (unique | length) == 1 and .[0] > 0' load.jsonl
check "each interval has the process's RSS, open descriptors and threads" jqt -s \
  '[.[] | select(.interval != null)] | all(.rss_bytes > 100000 and .fds >= 3 and .threads >= 1)' load.jsonl
if [ "${TACH_TEST_SANITIZE:-OFF}" != ON ]; then # a sanitizer's allocator hides mallinfo2
  check "... and its heap in use (mallinfo2)" jqt -s '[.[] | select(.interval != null)] | all(.heap_bytes > 0)' load.jsonl
fi
check "the errors of flaky are counted" jqt -s \
  '[.[] | select(.interval != null)] | all(.errors <= .ops / 10 + 2) and (map(.errors) | add) >= 1' load.jsonl
check "the file ends with its verdict" jqt -s '.[-1].end == true and (.[-1].verdict.summary | type) == "string"' load.jsonl
check "the soak is recorded" grep -q "recorded run 1" "$tmp/err"
if expect 0 "$TACH" report 1 --format json --no-compare; then
  out_jq '.benchmarks[0].name | startswith("soak: tach load ")'
  out_jq '.context.soak.target.kind == "load" and .context.soak.intervals == 4'
  out_jq '.context.soak.series.rss_bytes | length == 4 and all(. > 0)'
  ok "the load soak's run holds its series, memory included"
fi

# The line of an interval reaches the file as the interval ends, not when the run ends.
"$TACH" soak --duration 60 --interval 0.2 --out live.jsonl --no-store --load -- "$BIN" flaky --rate 200 \
    >/dev/null 2>"$tmp/err" &
pid=$!
running_until "$pid" lines_at_least 3 '"interval"' live.jsonl
check "three intervals are in the file while the 60 s load run goes on" bash -c "kill -0 $pid && [ \$(grep -c '\"interval\"' live.jsonl) -ge 3 ]"
kill -INT "$pid"
wait "$pid"
rc=$?
if [ "$rc" = 130 ]; then ok "Ctrl-C stops the load soak (exit 130)"; else fail "Ctrl-C: exit $rc, want 130"; fi
check "... and its file keeps the intervals done" jqt -s '[.[] | select(.interval != null)] | length >= 3' live.jsonl
# only the soak's own message: the inner load run's "tach load: interrupted; the results
# are partial" named a command the user never ran
err_has "tach soak: interrupted by SIGINT"
check "... and not the inner load run's own" bash -c "! grep -q 'tach load' '$tmp/err'"
check "... exactly one line says it was interrupted" bash -c "[ \$(grep -ci interrupt '$tmp/err') = 1 ]"

# That line is left out by tach load itself (--quiet-interrupt, which the soak gives its
# load run), not recognised by its text: without the option, tach load says it.
for quiet in "" --quiet-interrupt; do
  # shellcheck disable=SC2086
  "$TACH" load "$BIN" safe --threads 1 --duration 30 --warmup 0 --no-store --interval 0.2 \
      --series "$tmp/q$quiet.jsonl" $quiet >/dev/null 2>"$tmp/qerr" &
  pid=$!
  for _ in $(seq 300); do [ -s "$tmp/q$quiet.jsonl" ] && break; sleep 0.1; done
  kill -INT "$pid"
  wait "$pid"
  rc=$?
  n=$(grep -c 'interrupted' "$tmp/qerr")
  if [ -z "$quiet" ]; then
    [ "$rc" = 130 ] && [ "$n" = 1 ] && ok "tach load interrupted says it once (exit 130)" ||
      fail "tach load interrupted: exit $rc, $n 'interrupted' lines: $(cat "$tmp/qerr")"
  else
    [ "$rc" = 130 ] && [ "$n" = 0 ] && [ ! -s "$tmp/qerr" ] &&
      ok "tach load --quiet-interrupt interrupted: exit 130, nothing on stderr" ||
      fail "tach load --quiet-interrupt interrupted: exit $rc, stderr: $(cat "$tmp/qerr")"
  fi
done

# A URL target: the server's process watched through --pid.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
mkdir -p "$tmp/www" && echo hello >"$tmp/www/a.txt"
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$tmp/www" >/dev/null 2>&1 &
spid=$!
# (rb.jsonl is made append-only below: chattr -a first, or rm cannot take it if the test
# is killed in between)
trap 'kill $spid 2>/dev/null; wait 2>/dev/null; chattr -a "$tmp/rb.jsonl" 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/a.txt" && break; sleep 0.1; done
"$TACH" soak --duration 2 --interval 0.5 --out url.jsonl --no-store --load --pid "$spid" -- \
    "http://127.0.0.1:$port/a.txt" --rate 20 >"$tmp/out" 2>"$tmp/err"
check "a URL soak keeps its pid in the header" jqt -s '.[0].target.pid == '"$spid" url.jsonl
check "... and the server's RSS, descriptors and threads per interval (no heap)" jqt -s \
  '[.[] | select(.interval != null)] | length == 4 and all(.rss_bytes > 100000 and .fds >= 1 and .threads >= 1 and .heap_bytes == null and .ops >= 1)' url.jsonl
# ... as read: whole pages and counts, not rounded to 7 digits (a Python server's RSS of
# 14,557,184 bytes was written 1.455718e+07, its 7 descriptors 7.0)
page=$(getconf PAGESIZE)
check "... its RSS in whole pages and its counts as integers, as read" jqt -s \
  '[.[] | select(.interval != null)] | all(.rss_bytes % '"$page"' == 0)' url.jsonl
check "... written as integers" bash -c \
  "grep '\"interval\"' url.jsonl | grep -Evq '\"rss_bytes\":[0-9]+,.*\"fds\":[0-9]+,\"threads\":[0-9]+[,}]' && exit 1 || exit 0"
kill "$spid" 2>/dev/null

# Bad usage: exit 2, one line naming the bad value, nothing written.
expect 2 "$TACH" soak --duration 1 --out x.jsonl --load --bench b -- "$BIN" flaky \
  && err_has "--bench and --load" && ok "--bench with --load is refused"
check "... and nothing written" test ! -e x.jsonl
expect 2 "$TACH" soak --duration 30 --interval 0.5 --out bad.jsonl --load -- "$BIN" flaky --rate nope \
  && err_has "'nope'" && ok "a bad load argument is refused at once (exit 2), naming the value"
check "... and nothing written" test ! -e bad.jsonl
# words that make no one load run: --help (tach load printed its help and ran nothing:
# exit 1, "gave no interval", the file left) and --find-max-rate (refused for the soak's
# --series, which the user did not give)
expect 2 "$TACH" soak --duration 1 --out help.jsonl --load -- "$BIN" flaky --help \
  && err_has "soak --load: --help: a soak runs the load" && ok "--help among the load's words is refused (exit 2)"
check "... and nothing written" test ! -e help.jsonl
expect 2 "$TACH" soak --duration 1 --out fmr.jsonl --load -- "$BIN" flaky --find-max-rate --slo 'p99<1s' \
  && err_has "soak --load: --find-max-rate makes several load runs" && ok "--find-max-rate among the load's words is refused, naming it"
check "... and nothing written" test ! -e fmr.jsonl
expect 2 "$TACH" soak --duration 30 --out bad2.jsonl --load -- "$BIN" nosuchop \
  && err_has "nosuchop" && ok "an operation the binary does not have is refused (exit 2)"
check "... and nothing written" test ! -e bad2.jsonl
# a $TMPDIR near a path's length: cut to fit (exit 1, "Invalid argument"); the longest
# path in it (the load run's --out and the temporary file beside it) counted, exit 2
long=$(dir_of_length 4090) || fail "cannot make a TMPDIR of 4090 bytes"
expect 2 env TMPDIR="$long" "$TACH" soak --duration 30 --out long.jsonl --load -- "$BIN" flaky \
  && err_has "TMPDIR is too long for a temporary file in it (4090 bytes, at most" && err_has "'$long'" \
  && ok "a TMPDIR of 4090 bytes is refused (exit 2), naming it"
check "... and nothing written" test ! -e long.jsonl
check "... nothing left in it" test -z "$(ls -A "$long")"
most=$(sed -n 's/.*(4090 bytes, at most \([0-9]*\)).*/\1/p' "$tmp/err")
load_most=$(env TMPDIR="$long" "$TACH" load "$BIN" flaky --duration 1 2>&1 | sed -n 's/.*at most \([0-9]*\)).*/\1/p')
check "... its limit is tach load's ($most)" test -n "$most" -a "$most" = "$load_most"
expect 0 "$TACH" history --runs --format json && out_jq 'length == 1' && ok "... and nothing recorded"
# A --resume whose load arguments are refused takes its "resumed_at" line back off the
# file; a file that cannot be truncated (append-only: chattr +a, as root on ext4) keeps
# it, and one line says so, naming the file (it was ignored without a word).
head -2 load.jsonl | jq -c 'if .format then .target.argv[3] = "nope" | .duration_s = 30 else . end' >rb.jsonl
cp rb.jsonl rb0.jsonl
expect 2 "$TACH" soak --resume rb.jsonl --no-store && err_has "'nope'" && cmp -s rb.jsonl rb0.jsonl \
  && ok "a --resume with a refused load argument: exit 2, the file as it was" || fail "a --resume with a refused load argument: exit 2, the file as it was"
if chattr +a rb.jsonl 2>/dev/null; then
  expect 2 "$TACH" soak --resume rb.jsonl --no-store
  chattr -a rb.jsonl
  check "... an append-only file keeps its resumed_at line, and that is said, naming the file" \
    grep -Eq '^tach soak: --resume: cannot take back the "resumed_at" line it wrote to rb\.jsonl \(.*\): the file ends with it$' "$tmp/err"
else
  ok "# skipped: chattr +a is not possible here (not root, or not a file system that has it)"
fi
expect 2 "$TACH" soak --duration 1 --out p.jsonl --load --pid 1 -- "$BIN" flaky \
  && err_has "--pid" && ok "--pid with a benchmark binary is refused"
expect 2 "$TACH" soak --duration 1 --out p.jsonl --pid 1 -- true && err_has "--pid" && ok "--pid without --load is refused"
expect 2 "$TACH" soak --duration 1 --out p.jsonl --load --pid 999999999 -- http://127.0.0.1:1/ \
  && err_has "no such process" && ok "--pid of no process is refused"
check "... and nothing written" test ! -e p.jsonl
# a load run that ends invalid (slow, a 10 ms sleep, at 1000/s on one thread: most sends
# late) is not a stable soak: exit 1, and, its summary quieted, the load run says why
if expect 1 "$TACH" soak --duration 1.5 --interval 0.1 --no-store --out inv.jsonl --load -- "$BIN" slow \
     --rate 1000 --threads 1; then
  err_has "tach load: the run is invalid, its latencies are not the target's: the generator could not hold the rate"
  err_has "tach soak: not a passing soak: its load run failed its checks: the load run was invalid"
  check "... the soak is still whole: its file ends with its verdict" \
    jqt -s '.[-1].end == true and (.[-1].verdict.summary | type) == "string"' inv.jsonl
  ok "an invalid load run fails the soak (exit 1) and says why"
fi
# ... and the invalid run and the missed objective travel with the results: the file's
# load_run line and end line, --report (exit 1), the stored record and the certificate
if expect 1 "$TACH" soak --duration 1.5 --interval 0.1 --out inv2.jsonl --load -- "$BIN" slow \
     --rate 1000 --threads 1 --slo 'p99<1ms'; then
  id=$(grep -o 'recorded run [0-9]*' "$tmp/err" | grep -o '[0-9]*$')
  check "the file keeps the load run's checks" jqt -s '[.[] | select(.load_run)] | length == 1 and
    (.[0].load_run | .exit == 1 and .invalid == true and (.invalid_reason | startswith("the generator could not hold the rate"))
     and .slo_verdicts[0].objective == "p99<1ms" and .slo_verdicts[0].verdict == "missed")' inv2.jsonl
  check "... and its end line says the load run failed" jqt -s '.[-1].end == true and .[-1].load.failed == true
    and (.[-1].load.reason | contains("the load run was invalid") and contains("objective p99<1ms missed"))' inv2.jsonl
  expect 1 "$TACH" soak --report inv2.jsonl &&
    out_has 'Load run \| \*\*FAILED\*\*: the load run was invalid' && err_has "not a passing soak: its load run failed its checks" &&
    ok "--report shows the failed load run (exit 1)" || fail "--report shows the failed load run (exit 1)"
  expect 1 "$TACH" soak --report inv2.jsonl --format json && out_jq '.load.failed == true and .load.runs[0].invalid == true' &&
    ok "--report --format json has it" || fail "--report --format json has it"
  expect 0 "$TACH" report "$id" --format json --no-compare && out_jq '.context.soak.load.failed == true' &&
    ok "the stored record has it" || fail "the stored record has it"
  # ... as a failed benchmark, as the soak's exit status 1 says: JUnit, compare and gate fail it
  out_jq '.benchmarks[0].status == "failed" and (.benchmarks[0].message |
    startswith("its load run failed its checks: the load run was invalid") and contains("objective p99<1ms missed"))' &&
    ok "... its soak benchmark failed, saying why" || fail "... its soak benchmark failed, saying why"
  # a soak recorded before that: status ok, its context saying the load run failed
  jq '.benchmarks[0].status = "ok" | del(.benchmarks[0].message)' "$tmp/out" >older.json
  expect 0 "$TACH" report "$id" --format junit --no-compare &&
    out_has '^      <failure type="failed" message="its load run failed its checks: the load run was invalid .*objective p99&lt;1ms missed">' &&
    ok "... tach report --format junit of it fails its case" || fail "... tach report --format junit of it fails its case"
  expect 1 "$TACH" gate older.json "$id" && err_has "tach gate: FAILED: 0 regressions beyond threshold, 1 failed benchmark" &&
    out_has '^soak: tach load .*( slow |…) .* failed: its load run failed its checks: the load run was invalid' &&
    ok "... tach gate fails it as a benchmark that failed in NEW" || fail "... tach gate fails it as a benchmark that failed in NEW"
  expect 0 "$TACH" report older.json --format junit --no-compare && out_lacks '<failure' &&
    expect 0 "$TACH" report older.json --format markdown --no-compare &&
    out_has '; but its load run failed its checks: the load run was invalid' &&
    ok "an older record of it (status ok) still reads, as it was recorded" ||
    fail "an older record of it (status ok) still reads, as it was recorded"
  for f in markdown html; do
    expect 0 "$TACH" report "$id" --format $f --no-compare &&
      out_has '; but its load run failed its checks: the load run was invalid' &&
      ok "... and tach report --format $f of it says so" || fail "... and tach report --format $f of it says so"
  done
  # every text of a page escaped once: p99<1ms is p99&lt;1ms, never p99&amp;lt;1ms
  out_has 'objective p99&lt;1ms missed' && out_lacks '&amp;lt;' &&
    ok "... its HTML escapes the objective once" || fail "... its HTML escapes the objective once"
  expect 0 "$TACH" site site && page=$(grep -l 'soak: tach load [^<]* slow' site/b/*.html | head -1) &&
    grep -q 'The newest soak over time: [a-z ]*, but its load run failed its checks</h3>' "$page" &&
    ok "... and tach site's page of it" || fail "... and tach site's page of it"
  check "... which escapes the objective once" bash -c "grep -q 'p99&lt;1ms' '$page' && ! grep -q '&amp;lt;' '$page'"
  expect 1 "$TACH" soak --report inv2.jsonl --format html && out_has '^<h1>Soak: .*, but its load run failed its checks</h1>' &&
    out_has '^<p class="load-failed">Load run: <strong>FAILED</strong>: the load run was invalid' &&
    ok "--report --format html says so in its heading" || fail "--report --format html says so in its heading"
  out_has '^<tr><th>Load run</th><td><strong>FAILED</strong>: the load run was invalid .*; objective p99&lt;1ms missed</td></tr>$' &&
    out_lacks '&amp;lt;' && out_lacks '<pre>' &&
    ok "... and its table escapes each text once (p99&lt;1ms, not &amp;lt;)" ||
    fail "... and its table escapes each text once (p99&lt;1ms, not &amp;lt;)"
  expect 1 "$TACH" soak --report inv2.jsonl --format junit && out_has '<testcase classname="soak" name="load_run">' &&
    out_has '<failure message="its load run failed its checks: the load run was invalid' &&
    ok "--report --format junit fails its load_run case" || fail "--report --format junit fails its load_run case"
  if expect 1 "$TACH" certify "$id" -o cert.md; then
    check "the certificate says the load run failed" grep -q '^- load run: failed its checks: the load run was invalid' cert.md
    check "... which rejects" grep -q "^- the soak's load run failed its checks" cert.md
    check "... and the Soak area scores 0" grep -q '^| Soak | 0/100 | .*its load run failed its checks' cert.md
  fi
fi
# options the soak sets on its load run are its own to give: refused in the load's words
expect 2 "$TACH" soak --duration 1 --out own.jsonl --load -- "$BIN" flaky --store "$tmp/other.db" &&
  err_has "soak --load: --store is the soak's to set on its load run" && [ ! -e own.jsonl ] &&
  ok "a --store among the load's words is refused, naming it" || fail "a --store among the load's words is refused, naming it"
expect 0 "$TACH" soak --help && out_has '--load' && out_has '--pid' && ok "--help shows --load and --pid"
finish
