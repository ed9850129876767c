#!/usr/bin/env bash
# stability_runs.sh - `tach stability`: the CV of each benchmark's per-run medians.
# Deterministic cases: a command whose time alternates 100 ms / 500 ms from one execution
# to the next (per-run medians 500, 100, 500, 100 ms: CV = 76.98%, numpy
# std([500,100,500,100], ddof=1)/mean = 0.7698; start-up costs lower it a little: still
# over 30% with 0.4 s of overhead per execution) must fail with exit 1; a plain 200 ms sleep
# must be stable under generous thresholds; a benchmark binary (tests/fixtures) reports
# every benchmark; a benchmark that crashes in every run fails; bad input exits 2.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
cd "$tmp"
flip="sh -c 'if [ -e flag ]; then rm flag; sleep 0.1; else touch flag; sleep 0.5; fi'"

if expect 1 "$TACH" stability --runs 4 --reps 1 "$flip"; then
  out_has '^4 runs of sh -c'
  # (each execution also pays process start-up, more on a busy machine: ranges, not values)
  out_has ' +4 +[0-9.]+ ms +[0-9.]+ ms +[0-9.]+ ms +[3-7][0-9]\.[0-9]+% +FAIL$'
  out_has '^0 stable, 0 unstable \(cv > 5%\), 1 failing'
  ok "alternating 100/500 ms: CV ~77%, FAIL, exit 1"
fi
rm -f flag
if expect 1 "$TACH" stability --runs 4 --reps 1 --format json "$flip"; then
  out_jq '.runs == 4 and .failed == true and .kind == "command"'
  out_jq '.benchmarks[0].stability == "fail" and (.benchmarks[0].cv > 0.3 and .benchmarks[0].cv < 0.78)'
  out_jq '.benchmarks[0].run_medians_ns | length == 4'
  ok "json"
fi
rm -f flag
# The JSON says what the medians are of (the table's "; CPU time"), and the thresholds
# as given: it had no metric, and "warn": 0.050000000000000003
if expect 0 "$TACH" stability --runs 2 --reps 1 --metric cpu --warn 3 --fail 1000 --format json true; then
  out_jq '.metric == "cpu"' && grep -q '"warn": 0.03,$' "$tmp/out" && grep -qE '"fail": 10(\.0)?,$' "$tmp/out" \
    && ok "json: metric cpu, thresholds as given" || fail "json: metric, thresholds: $(head -8 "$tmp/out")"
fi
expect 0 "$TACH" stability --runs 2 --reps 1 --fail 1000 --warn 999 --format json true \
  && out_jq '.metric == "wall"' && ok "json: metric wall by default"
# A command that is not UTF-8: named in the JSON, made UTF-8 (target and name were null)
expect 0 "$TACH" stability --runs 2 --reps 1 --fail 1000 --warn 999 --format json $'echo caf\xe9' \
  && out_jq '.target == "echo caf\ufffd" and .benchmarks[0].name == "echo caf\ufffd"' \
  && ok "json: a command that is not UTF-8 named"
# The table's name column: a command over 60 columns cut there with "…" (it was printed
# whole, its row out of line), its control characters as spaces (an escape sequence
# reached the terminal)
long=$(printf 'x%.0s' $(seq 70))
expect 0 "$TACH" stability --runs 2 --reps 1 --fail 1000 --warn 999 "echo $long" \
  && out_has "^echo x{54}…     2  " && ok "table: a long command cut at 60 columns, the row in line"
expect 0 "$TACH" stability --runs 2 --reps 1 --fail 1000 --warn 999 $'echo \e[31mred' \
  && out_lacks $'\e' && out_has '^echo  \[31mred +2 ' && ok "table: a control character shown as a space"
# The summary line's thresholds as given (--fail 1000 was "cv > 1e+03%")
expect 0 "$TACH" stability --runs 2 --reps 1 --fail 1000 --warn 2.5 true \
  && out_has '\(cv > 2\.5%\), [01] failing \(cv > 1000% or not measured' && ok "summary: --warn 2.5, --fail 1000 as given"
# The same with --fail 90: unstable (over --warn 5) but not failing: exit 0.
expect 0 "$TACH" stability --runs 4 --reps 1 --fail 90 "$flip" && out_has ' unstable$' && ok "--fail 90: unstable, exit 0"
rm -f flag

# A steady command is not failed.  (Only that: on a shared machine one execution can take
# 1.5x its time, so "stable" itself would be a timing-sensitive assertion; the median of
# --reps 3 per run absorbs one such execution.)
if expect 0 "$TACH" stability --runs 3 --reps 3 --warn 20 --fail 40 'sleep 0.2'; then
  out_has '^sleep 0\.2 +3 +[2-3][0-9][0-9] ms .* (stable|unstable)$'
  ok "a steady sleep: not failed, exit 0"
fi

fix="$TACH_BUILD/tests/fixture_basic"
if [ -x "$fix" ]; then
  if expect 0 "$TACH" stability --runs 2 --max-time 0.05 --fail 1000 --warn 999 --format json "$fix"; then
    out_jq '.kind == "binary" and .runs == 2'
    out_jq '[.benchmarks[].name] | index("batched/sort64") != null and length >= 5'
    out_jq '[.benchmarks[] | .run_medians_ns | length == 2 and all(. > 0)] | all'
    ok "a benchmark binary: every benchmark, one median per run"
  fi
  expect 0 "$TACH" stability --runs 2 --max-time 0.05 --fail 1000 --warn 999 --filter '^batched' "$fix" \
    && out_has '^batched/sort64 +2 ' && out_lacks '^arith/' && ok "--filter"
  # recognised as tach run recognises a binary: by its answer, also when found on PATH
  expect 0 env PATH="$(dirname "$fix"):$PATH" "$TACH" stability --runs 2 --bench-time 0.05 --fail 1000 \
    --warn 999 --filter '^batched/sort64$' --format json fixture_basic \
    && out_jq '.kind == "binary"' && ok "a binary named without a / (on PATH) is a binary"
  # A $TMPDIR of 40 bytes or more was passed over for /tmp, unsaid: it is used (one
  # missing is refused naming it, where /tmp was taken), and one longer than a path holds
  # is refused naming it
  long="$tmp/$(printf 'd%.0s' $(seq 60))"
  mkdir -p "$long"
  expect 0 env TMPDIR="$long" "$TACH" stability --runs 2 --bench-time 0.05 --fail 1000 --warn 999 \
    --filter '^batched/sort64$' "$fix" && out_has '^batched/sort64 +2 ' \
    && [ -z "$(ls -A "$long")" ] && ok "a TMPDIR of 60+ bytes: used, left empty"
  expect 2 env TMPDIR="$long/missing" "$TACH" stability --runs 2 --bench-time 0.05 \
    --filter '^batched/sort64$' "$fix" \
    && err_has "cannot make a temporary directory in '$long/missing' (TMPDIR): No such file or directory" \
    && [ ! -s "$tmp/out" ] && ok "a long TMPDIR that is missing: exit 2 naming it (not /tmp taken)"
  huge="/$(printf 'x%.0s' $(seq 4100))"
  expect 2 env TMPDIR="$huge" "$TACH" stability --runs 2 --bench-time 0.05 "$fix" \
    && err_has "TMPDIR is too long for a temporary directory in it (4101 bytes, at most" \
    && err_has "$huge'" && [ ! -s "$tmp/out" ] && ok "a TMPDIR longer than a path: exit 2 naming it"
  # A TMPDIR at that limit left no room for the temporary file the binary writes beside
  # run.json (tach__write_text_file): "the binary refused its arguments" (exit 2); at it
  # the runs go, one byte over is refused naming it, and neither leaves anything in it
  most=$(sed -n 's/.*(4101 bytes, at most \([0-9]*\)).*/\1/p' "$tmp/err")
  at=$(dir_of_length "$most") && over=$(dir_of_length $((most + 1))) || fail "cannot make a TMPDIR of $most bytes"
  expect 0 env TMPDIR="$at" "$TACH" stability --runs 2 --bench-time 0.05 --fail 1000 --warn 999 \
    --filter '^batched/sort64$' "$fix" && out_has '^batched/sort64 +2 ' \
    && [ -z "$(ls -A "$at")" ] && ok "a TMPDIR of the most bytes ($most): used, left empty"
  expect 2 env TMPDIR="$over" "$TACH" stability --runs 2 --bench-time 0.05 "$fix" \
    && err_has "TMPDIR is too long for a temporary directory in it ($((most + 1)) bytes, at most $most): '$over'" \
    && [ ! -s "$tmp/out" ] && [ -z "$(ls -A "$over")" ] && ok "a TMPDIR one byte over: exit 2 naming it, nothing left"
else
  fail "missing $fix"
fi
iso="$TACH_BUILD/tests/fixture_isolation"
if expect 1 "$TACH" stability --runs 2 --max-time 0.05 --fail 1000 --warn 999 \
     --filter 'segfault|healthy_first' "$iso"; then
  out_has '^iso/segfault +0 .* FAIL \(measured in 0 of 2 runs'
  out_has '^iso/healthy_first +2 '
  ok "a benchmark crashing in every run fails, the healthy one is kept"
fi

# a benchmark that skips itself in one run says so ("measured in 2 of 3 runs" alone, no
# reason); one skipped in every run has no row
if expect 1 env TACH_TEST_SKIP_MARK="$tmp/skipmark" "$TACH" stability --runs 3 --max-time 0.05 \
     --fail 1000 --warn 999 "$TACH_BUILD/tests/fixture_skip_once"; then
  out_has '^skip/sometimes +2 .* FAIL \(measured in 2 of 3 runs: skipped: no device this time\)$'
  out_has '^skip/always +3 '
  ok "a benchmark skipped in one run: the reason given"
fi
if expect 0 "$TACH" stability --runs 2 --max-time 0.05 --fail 1000 --warn 999 \
     --filter 'skips|healthy_first' "$iso"; then
  out_lacks '^iso/skips'
  out_has '^iso/healthy_first +2 '
  ok "a benchmark skipped in every run has no row"
fi

# a hanging benchmark is timed out by the binary (--timeout bounds one benchmark) and the
# others' results stay: the whole binary was killed at --timeout, every result lost
# ("the binary timed out after 1 s")
if expect 1 "$TACH" stability --runs 2 --timeout 1 --bench-time 0.1 --filter 'healthy_first|hang$' "$iso"; then
  out_has '^iso/hang +0 .* FAIL \(measured in 0 of 2 runs: timed out'
  out_has '^iso/healthy_first +2 '
  ok "a hanging benchmark times out, the healthy one is kept"
fi
check "the binary was not killed whole" bash -c "! grep -qF 'the binary timed out' '$tmp/err'"

# ---- bad input: exit 2 -----------------------------------------------------------
# one 'tach stability:' prefix ("tach stability: tach stability needs a TARGET" said it twice)
expect 2 "$TACH" stability && err_line "^tach stability: no TARGET given: a benchmark binary or a command " && ok "no target"
expect 2 "$TACH" stability --runs 1 'sleep 0' && err_has "'1'" && ok "--runs 1"
expect 2 "$TACH" stability --bogus=3 'sleep 0' && err_has "unknown option '--bogus=3' (see 'tach stability --help')" && ok "unknown option named"
expect 2 "$TACH" stability --runs x 'sleep 0' && err_has "'x'" && ok "bad --runs"
expect 2 "$TACH" stability --warn 20 --fail 10 'sleep 0' && err_has "--warn" && ok "warn above fail"
expect 2 "$TACH" stability 'no-such-command-y' && err_has "no-such-command-y" && ok "command not found"
expect 1 "$TACH" stability --runs 2 --reps 1 'false' && err_has "exited with status 1" && ok "failing command: exit 1 (as tach run)"
expect 1 "$TACH" stability --runs 2 --reps 1 --timeout 0.2 'sleep 5' && err_has "timed out" && ok "a command timing out: exit 1"
expect 2 "$TACH" stability --filter x 'sleep 0' && err_has "binaries only" && ok "--filter on a command"
# a --filter that is no regular expression: named, why, before anything runs (it was "the
# binary refused its arguments", the value not named)
expect 2 "$TACH" stability --runs 2 --filter '(' "$fix" && err_line "^tach stability: invalid value '\(' for --filter: " &&
  out_lacks . && ok "--filter '(': refused naming it"
# an option for the other kind of TARGET is refused, not ignored (nothing run, nothing printed)
expect 2 "$TACH" stability --bench-time 0.1 'sleep 0' &&
  err_line '^tach stability: --bench-time applies to a benchmark binary, not to a command \(for a command: --reps' &&
  out_lacks . && ok "--bench-time on a command"
expect 2 "$TACH" stability --max-time 0.1 'sleep 0' && err_line '^tach stability: --max-time applies to a benchmark binary' &&
  ok "--max-time (the old spelling) on a command: named as given"
expect 2 "$TACH" stability --bench-time 0.1 true && err_has "'true' does not answer --tach-probe: it is timed as a command" &&
  ok "--bench-time on a one-word command says why it is a command"
expect 2 "$TACH" stability --reps 3 "$fix" &&
  err_line '^tach stability: --reps applies to a command, not to a benchmark binary \(for a binary: --bench-time' &&
  out_lacks . && ok "--reps on a benchmark binary"
expect 0 "$TACH" stability --help && out_has '^usage: tach stability' && ok "--help"
finish
