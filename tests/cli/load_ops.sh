#!/bin/bash
# load_ops.sh - `tach load` over in-process operations (tests/fixtures/load_ops.c): a mix
# of three operations whose costs are known (safe: ~100 ns of arithmetic; risky: 20 us of
# spinning; complex: a 2 ms sleep, a floor no busy machine lowers), a rate the binary
# cannot hold (slow: a 10 ms sleep on one thread at 1000/s), errors counted by kind,
# a failing setup, the objectives, Ctrl-C, the exports and the bad input.  Every check is
# on counts, flags and orderings, never on a time a busy machine could stretch.
source "$(dirname "$0")/lib.bash"
private_store
B=$TACH_BUILD/tests/fixture_load_ops

# ---- a mix of three: shares within 1% of the weights, per-op and overall results ----
if expect 0 "$TACH" load "$B" safe:70 risky:20 complex:10 --threads 2 --duration 1.5 --warmup 0.3 \
     --export-json mix.json --no-store; then
  ok "a mix of three ran"
  out_has '^safe +[0-9.]+% \(70%\)'
  out_has '^overall '
  jqc "no statuses in an in-process run's blocks (HTTP only, as results-format.md says)" mix.json \
    '[.benchmarks[].load | has("statuses")] | any | not'
  for op in safe:0.70 risky:0.20 complex:0.10; do
    jqc "${op%%:*}: achieved share within 1% of ${op#*:}" mix.json \
      "[.benchmarks[] | select(.name == \"${op%%:*}\") | .load.share - ${op#*:} | fabs < 0.01] == [true]"
  done
  jqc "overall count = the sum of the operations'" mix.json \
    '([.benchmarks[] | select(.name != "overall") | .load.count] | add) == (.benchmarks[] | select(.name == "overall") | .load.count)'
  jqc "the heavy op's p99 is above the light op's" mix.json \
    '(.benchmarks[] | select(.name == "complex") | .load.corrected.percentiles.p99.value_ns) > (.benchmarks[] | select(.name == "safe") | .load.corrected.percentiles.p99.value_ns)'
  jqc "complex (a 2 ms sleep) has p50 >= 2 ms" mix.json \
    '(.benchmarks[] | select(.name == "complex") | .load.corrected.percentiles.p50.value_ns) >= 2000000'
  jqc "a closed run is valid and whole" mix.json \
    '[.benchmarks[].load | .invalid == false and .partial == false and .model.kind == "closed"] | all'
  jqc "the interval series: 2 intervals (1.5 s at 1 s), counts adding up" mix.json \
    '.benchmarks[] | select(.name == "safe") | .load | (.intervals | length) == 2 and ([.intervals[].count] | add) == .count'
  jqc "each result carries per-interval samples" mix.json \
    '[.benchmarks[] | .samples.ns | length >= 1] | all'
fi

# ---- fewer clients than --threads: a thread per client, and the run says so ----
if expect 0 "$TACH" load "$B" safe --threads 3 --clients 1 --duration 0.3 --warmup 0 \
     --export-json few.json --no-store; then
  out_has '^load: closed model, 1 client on 1 thread \(of --threads 3: at most one per client\), '
  jqc "--threads 3 --clients 1: model.threads is the 1 thread that ran, of 3 asked" few.json \
    '.benchmarks[] | select(.name == "overall") | .load.model | .threads == 1 and .threads_asked == 3 and .clients == 1'
fi

# ---- --series drops each interval's histogram once written, never its counts ----
if expect 0 "$TACH" load "$B" safe:70 risky:30 --threads 2 --duration 1.5 --warmup 0 \
     --series ser.jsonl --export-json ser.json --no-store; then
  jqc "--series: the document's intervals keep their counts, adding up to each result's" ser.json \
    '[.benchmarks[].load | (.intervals | length) == 2 and .count > 0 and ([.intervals[].count] | add) == .count] | all'
  check "--series: the series file's ops add up to the overall count" bash -c \
    "[ \"\$(jq -s 'map(.ops) | add' ser.jsonl)\" = \"\$(jq '.benchmarks[] | select(.name == \"overall\") | .load.count' ser.json)\" ]"
  check "--series: each line's sent is the document interval's" bash -c \
    "[ \"\$(jq -sc 'map(.sent)' ser.jsonl)\" = \"\$(jq -c '[.benchmarks[] | select(.name == \"overall\") | .load.intervals[].sent]' ser.json)\" ]"
  # and what each histogram said before it went: the intervals' p50, p99 and max (they
  # were null), and a sample per interval for compare and gate (there were none)
  jqc "--series: the document's intervals keep p50, p99 and max, each result a sample per interval" ser.json \
    '[.benchmarks[] | (.load.intervals | all(.count == 0 or (.p50_ns > 0 and .p50_ns <= .p99_ns and .p99_ns <= .max_ns))) and (.samples.ns | length) == ([.load.intervals[] | select(.count > 0)] | length)] | all'
  check "--series: the overall intervals' p50, p99 and max are the lines'" bash -c \
    "[ \"\$(jq -sc 'map([.p50_ns, .p99_ns, .max_ns])' ser.jsonl)\" = \"\$(jq -c '[.benchmarks[] | select(.name == \"overall\") | .load.intervals[] | [.p50_ns, .p99_ns, .max_ns]]' ser.json)\" ]"
fi

# ---- the series' latencies as the histogram gives them: 10 ms calls (8 digits in ns)
# were written to 7 significant digits, 10,076,159 ns as 1.007616e+07 ----
if expect 0 "$TACH" load "$B" slow --rate 20 --threads 1 --duration 0.5 --warmup 0 --max-late 100 \
     --series slow.jsonl --no-store; then
  check "--series: p50, p99 and max of 10 ms calls written whole" bash -c \
    "[ \$(grep -c . slow.jsonl) -ge 1 ] && ! grep -Ev '\"p50_ns\":[0-9]{8,},\"p99_ns\":[0-9]{8,},\"max_ns\":[0-9]{8,}[,}]' slow.jsonl | grep -q ."
fi

# ---- an open run at a rate one thread of 10 ms calls cannot hold: invalid, exit 1 ----
if expect 1 "$TACH" load "$B" slow --rate 1000 --threads 1 --duration 1 --warmup 0.2 \
     --export-json over.json --no-store; then
  ok "an unreachable rate exits 1"
  out_has '^INVALID: the generator could not hold the rate'
  # its thread was behind (slots dropped): the advice is what a benchmark binary takes
  # (no --clients: its open model refuses it)
  out_has '(add --threads, or lower --rate|1 thread already uses the machine.s 1 CPU, so more threads would share them: lower --rate, or run on a machine with more CPUs)$'
  out_lacks '--clients'
  err_has "the run is invalid"
  jqc "marked invalid in the document, with late or dropped sends" over.json \
    '.benchmarks[] | select(.name == "overall") | .load | .invalid == true and (.late + .dropped) > 0.5 * .scheduled and .rate_target == 1000'
  # each interval says what was sent in it, not only the slots by their intended time
  # (which chart the rate asked while fewer were sent): every measured request sent once
  jqc "the intervals' sent add up to the requests measured, sent_rps = sent / length_s" over.json \
    '.benchmarks[] | select(.name == "overall") | .load | ([.intervals[].sent] | add) == .count
     and ([.intervals[] | .sent_rps == .sent / .length_s] | all)'
fi
# ---- threads idle nearly all the time, sends late by a bound no wake-up meets (1 ns, none
# allowed): invalid, and the advice says the sends woke late, not that threads are short ----
if expect 1 "$TACH" load "$B" noop --rate 100 --threads 1 --duration 0.5 --warmup 0 --late-bound 1ns \
     --max-late 0 --export-json idle.json --no-store; then
  out_has '^INVALID: .*its threads were busy [^;]* of the measured time, so the sends were late waking up'
  out_lacks 'add --threads'
  jqc "the document's reason says so too" idle.json \
    '.benchmarks[] | select(.name == "overall") | .load.invalid_reason | test("late waking up")'
fi
# ---- intervals of 0.3 s over 1 s: bounds as written (0.9, not 0.8999999999999999; the
# last 0.1 s long, at 100/s, not 0.10000000000000009 at 99.99999999999991/s) ----
if expect 0 "$TACH" load "$B" safe --rate 100 --threads 1 --duration 1 --warmup 0 --interval 0.3 \
     --max-late 100 --export-json iv.json --series iv.jsonl --no-store; then
  jqc "the document's intervals start and last at 0.3 s steps" iv.json \
    '.benchmarks[] | select(.name == "overall") | .load.intervals | [.[].start_s] == [0, 0.3, 0.6, 0.9] and [.[].length_s] == [0.3, 0.3, 0.3, 0.1]'
  check "the series' lines too" jqt -s '[.[].start_s] == [0, 0.3, 0.6, 0.9] and [.[].length] == [0.3, 0.3, 0.3, 0.1]' iv.jsonl
fi
# -q: the one line on stderr gives the reason last, whole (it ends in what to do)
expect 1 "$TACH" load "$B" noop --rate 100 --threads 1 --duration 0.3 --warmup 0 --late-bound 1ns \
  --max-late 0 --no-store -q &&
  err_line "^tach load: the run is invalid, its latencies are not the target's: the generator could not hold the rate: .* allow more with --late-bound or --max-late$"
# the gate fails an invalid run (and the objectives recorded with it)
if expect 1 "$TACH" gate mix.json over.json; then
  out_has 'overall: load_valid valid, measured invalid'
fi
# the same operation at a rate it can hold (one call per 50 ms on one thread) is valid
expect 0 "$TACH" load "$B" slow --rate 20 --threads 1 --duration 1 --warmup 0.1 --late-bound 40ms --max-late 100 \
  --export-json ok.json --no-store && jqc "a rate the thread can hold: valid, 20 scheduled" ok.json \
  '.benchmarks[] | select(.name == "overall") | .load | .invalid == false and .scheduled == 20 and .dropped == 0'

# ---- --ramp: 40/s for 0.5 s then 80/s; without --duration the stages' total (1 s) ----
expect 0 "$TACH" load "$B" safe --threads 1 --ramp 40:0.5s,80:0.5s --warmup 0 --late-bound 100ms \
  --max-late 100 --export-json ramp.json --no-store &&
  jqc "ramp: 20 + 40 slots scheduled (+-1) in 1 s, two stages" ramp.json \
    '.benchmarks[] | select(.name == "overall") | .load | (.scheduled - 60 | fabs) <= 1 and .measured_s == 1 and (.model.stages | length) == 2 and .rate_target == 60'

# ---- errors by kind: flaky's every 10th call (one thread) is an "EIO" error ----
if expect 0 "$TACH" load "$B" flaky --threads 1 --clients 1 --duration 0.5 --warmup 0.1 \
     --export-json flaky.json --no-store; then
  jqc "errors = count/10 (+-1) of kind EIO, error_rate 10%" flaky.json \
    '.benchmarks[] | select(.name == "flaky") | .load | ((.errors - .count / 10) | fabs) <= 1 and .error_kinds.EIO == .errors and ((.error_rate - 0.1) | fabs) < 0.01'
fi

# ---- objectives: met, missed (exit 1), per operation, and an operation's own ----
expect 0 "$TACH" load "$B" safe complex --threads 2 --duration 0.5 --warmup 0.1 --no-store \
  --slo 'complex:p50>=2ms' --slo 'errors<0.1%' && out_has 'slo complex:p50>=2ms +met'
if expect 1 "$TACH" load "$B" complex --threads 1 --duration 0.5 --warmup 0.1 --no-store \
     --slo 'p99<1ms'; then
  out_has 'slo p99<1ms +MISSED'
  err_has "1 objective not met"
fi

# ---- a warm-up's end on a slot: the slots at exactly 0.5 s (the first measured) and 2.5 s
# (the run's end, not sent) fell 1 ns the wrong side of each edge (0.05 s added ten times
# is 0.49999999999999994): 39 measured, 1 dropped, the run invalid ----
if expect 0 "$TACH" load "$B" noop --rate 20 --threads 1 --duration 2 --warmup 0.5 --late-bound 1s \
     --no-store --export-json edge.json; then
  jqc "40 slots scheduled, sent and measured, none dropped, 20 in each interval" edge.json \
    '.benchmarks[] | select(.name == "overall") | .load | .scheduled == 40 and .sent == 40 and .dropped == 0 and .count == 40 and ([.intervals[].count] == [20, 20])'
  # the bound as given, not in ms whatever its size ("beyond 1000 ms", "1e-06 ms")
  out_has '^schedule: .* sends late \(beyond 1 s\), '
fi

# ---- closed model: a send later than its client was ready (answer + --think) is late, and
# the delay is in the latency from the intended start.  Two clients on one thread take
# turns: while one's call sleeps 2 ms, the other, ready 1 ms after its answer, waits at
# least 1 ms more (a busy machine only makes it later), beyond --late-bound 0.5ms ----
if expect 0 "$TACH" load "$B" complex --clients 2 --threads 1 --think 1ms --late-bound 0.5ms \
     --duration 0.3 --warmup 0 --no-store --export-json think.json; then
  out_has '^sends: [0-9]+ of [0-9]+ late \(beyond 0.5 ms after their client was ready'
  jqc "closed, --think: every send but the first is late, the run still valid" think.json \
    '.benchmarks[] | select(.name == "overall") | .load | .scheduled >= 10 and .late >= .scheduled - 1 and .invalid == false'
  jqc "the send lateness (>= 1 ms at its median) is in the latency from the intended start" think.json \
    '.benchmarks[] | select(.name == "overall") | .load | .lateness.percentiles.p50.value_ns >= 900000 and .corrected.percentiles.p50.value_ns >= 2900000 and .corrected.percentiles.p50.value_ns >= .uncorrected.percentiles.p50.value_ns + 900000'
fi

# Every format's median, percentiles, min and max of a load result are the calls' (the
# corrected histogram), not statistics of the few per-interval means its samples hold.
if [ -s think.json ] && expect 0 "$TACH" convert think.json --to csv; then
  exp=$(jq -r '.benchmarks[] | select(.name == "overall") | .latency as $l
    | [($l.percentiles[] | select(.p == 50) | .value), ($l.percentiles[] | select(.p == 99) | .value), $l.min, $l.max]
    | map(tostring) | join(",")' think.json)
  got=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $1 == "overall" { print $c["median_ns"] "," $c["p99_ns"] "," $c["min_ns"] "," $c["max_ns"] }' "$tmp/out")
  if [ -n "$exp" ] && [ "$got" = "$exp" ]; then ok "a load result's CSV median, p99, min, max are the calls' ($got)"
  else fail "a load result's CSV figures: got '$got', the calls' are '$exp'"; fi
else
  [ -s think.json ] || fail "no think.json (the closed --think run above exports it)"
fi

# A load document converted to an interval log: each tag's interval is the measured
# window (a reader's rate is count / length), starting when it started.
if [ -s think.json ] && expect 0 "$TACH" convert think.json --to hlog -o think.hlog; then
  win=$(jq -r '.benchmarks[] | select(.name == "overall") | .load.measured_s' think.json | awk '{ printf "%.3f", $1 }')
  t0=$(jq -r '.benchmarks[] | select(.name == "overall") | .load.start_epoch_s' think.json | awk '{ printf "%.3f", $1 }')
  check "convert --to hlog of a load run: every interval as long as its window ($win s)" \
    awk -F, -v w="$win" '/^Tag=/ { n++; if ($3 != w) bad = 1 } END { exit !(n >= 2 && !bad) }' think.hlog
  check "... and the log starts when the window did" grep -qF "#[StartTime: $t0 " think.hlog
else
  [ -s think.json ] || fail "no think.json (the closed --think run above exports it)"
fi

# The console's advice for unstable results names the way to more samples of the tool
# that made the document (a tach run refuses --rounds).
mkdoc noisy.json a:noisya:30:1 b:noisyb:30:1
if [ -s noisy.json ]; then
  hint() { # CONTEXT-FILTER TEXT
    jq "$1" noisy.json >hint.json && "$TACH" convert hint.json --to console 2>/dev/null | grep -qF "For numbers that hold: $2,"
  }
  check "unstable advice: tach load" hint '.context.tool = "tach load"' "a longer run (tach load --duration 60)"
  check "... tach run of a binary" hint '.context.tool = "tach run" | .context.settings = {processes: 3}' \
    "more worker processes (tach run --processes 10)"
  check "... tach run of commands" hint '.context.tool = "tach run" | .context.settings = {runs: 10}' "more runs (tach run --runs 30)"
  check "... a benchmark binary's own document" hint '.context.tool = "libtach"' "more rounds (--rounds 10)"
fi

# a weight is a plain decimal: strtod's hex and exponents are refused, naming the value
for w in 0x10 1e-300 1e3 inf -1 +2; do
  expect 2 "$TACH" load "$B" safe:$w risky --duration 2 --no-store &&
    err_has "'safe:$w': the weight '$w' is not a positive number (plain decimal" &&
    ok "weight $w refused (exit 2), naming it" || fail "weight $w refused (exit 2), naming it"
done
expect 2 "$TACH" load "http://127.0.0.1:9/a:0x10" --duration 2 --no-store &&
  err_has "the weight '0x10' is not a positive number" && ok "a URL's hex weight is refused" ||
  fail "a URL's hex weight is refused"
expect 2 "$TACH" load "$B" safe --duration 2 --no-store --series s.jsonl --export-hlog s.hlog &&
  err_has "--series and --export-hlog: choose one" && [ ! -e s.hlog ] && [ ! -e s.jsonl ] &&
  ok "--series with --export-hlog (an hlog without intervals): refused, nothing written" || fail "--series with --export-hlog (an hlog without intervals): refused, nothing written"
# two outputs on one file, or one on the --body file: refused before anything runs
expect 2 "$TACH" load "$B" safe --duration 2 --no-store --series o.json --export-json ./o.json &&
  err_has "are the same file" && [ ! -e o.json ] &&
  ok "--series and --export-json on one file: refused, nothing written" || fail "--series and --export-json on one file: refused, nothing written"
printf 'body\n' >body.txt
expect 2 "$TACH" load http://127.0.0.1:9/ --duration 2 --no-store --body @ &&
  err_has "--body '@': no file after the '@'" && ok "--body @ without a file: named" || fail "--body @ without a file: named"
expect 2 "$TACH" load http://127.0.0.1:9/ --duration 2 --no-store --body @body.txt --export-json body.txt &&
  err_has "is the --body file" && grep -qx body body.txt &&
  ok "--export-json onto the --body file: refused, the body kept" || fail "--export-json onto the --body file: refused, the body kept"
# an output onto the store the run is to be recorded in, not made yet: refused before the
# run (it ran, the document made the store's file JSON, and recording then failed on it)
expect 2 "$TACH" load "$B" safe --threads 1 --clients 1 --duration 0.3 --warmup 0.1 --store new.db --export-json ./new.db &&
  err_has "--export-json: './new.db' is the store: the output would replace it" && [ ! -e new.db ] &&
  ok "--export-json onto the store not made yet: refused, nothing written" || fail "--export-json onto the store not made yet: refused, nothing written"

# ---- failed requests count against the objectives: flaky fails 1 call in 10 ----
if expect 1 "$TACH" load "$B" flaky --threads 1 --clients 1 --duration 0.5 --warmup 0.1 --no-store \
     --slo 'p99<1h p50<1h max<1h rps>=1 errors<=100%'; then
  out_has 'slo p99<1h +MISSED .*of requests failed, more than the 1% a p99 leaves'
  out_has 'slo max<1h +MISSED .*of requests failed: a failed request is not answered within the bound, and a max leaves none out'
  out_has 'slo p50<1h +met'
  out_has 'slo rps>=1 +met .*requests answered without error \(1[0-9.]*% failed\)'
  err_has "2 objectives not met"
  ok "10% failed: p99 and max missed, p50 and rps (of the answered) met"
fi

# ---- --find-max-rate: complex (a 2 ms sleep) on one thread holds at most ~500/s ----
# A machine loaded far past its CPUs (load average above 20 was seen) can leave the
# generator late even at 50/s: the first step is then invalid and nothing is met, exit 1.
# That outcome is accepted only when the run says so; any other exit 1 fails.
"$TACH" load "$B" complex --threads 1 --rate 50 --find-max-rate --slo 'p99<500ms' \
  --max-steps 5 --duration 0.5 --warmup 0.1 --late-bound 100ms --max-late 5 --no-store \
  --export-json max.json >"$tmp/out" 2>"$tmp/err"
max_rc=$?
if [ "$max_rc" = 1 ] &&
   grep -q '^no rate tried met the objectives (the lowest: .*, an invalid run: the generator could not hold the rate)' "$tmp/out"; then
  ok "--find-max-rate: the machine was too busy to hold 50/s, and the run said so (checks skipped)"
elif [ "$max_rc" != 0 ]; then
  fail "--find-max-rate: exit $max_rc (want 0): $(head -c 600 "$tmp/out") $(head -c 400 "$tmp/err")"
else
  out_has '^max rate meeting the objectives: [0-9]+/s'
  jqc "the steps start at --rate and double while met; the best met rate is kept" max.json \
    '.benchmarks[] | select(.name == "overall") | .load.search | .steps[0].rate == 50 and (.steps | length) <= 5 and .max_rate >= 50 and ([.steps[] | select(.met) | .rate] | max) == .max_rate and (if .steps[0].met and .steps[1] then .steps[1].rate == 100 else true end)'
  jqc "five doubling steps from 50/s reach at most 800/s, and the best met rate is among them" max.json \
    '.benchmarks[] | select(.name == "overall") | .load.search | .max_rate <= 800 and ([.steps[] | .rate] | max) <= 800'
fi

# ---- [load] slo in .tach/config: checked with the command line's; a bad one is named ----
mkdir -p .tach
printf '[load]\nslo = p99<1h errors<=100%%\n' >.tach/config
expect 0 "$TACH" load "$B" safe --threads 1 --duration 0.3 --warmup 0 --no-store --slo 'max<1h' &&
  { out_has 'slo p99<1h +met'; out_has 'slo errors<=100% +met'; out_has 'slo max<1h +met'; }
printf '[load]\nslo = p99<soon\n' >.tach/config
expect 2 "$TACH" load "$B" safe --threads 1 --duration 0.3 --warmup 0 --no-store &&
  err_has "config:2: [load] slo: 'p99<soon': 'soon' is not a duration"
expect 2 "$TACH" gate mix.json mix.json && err_has "[load] slo: 'p99<soon'"
printf '[load]\nslo = max<-2s\n' >.tach/config
expect 2 "$TACH" load "$B" safe --threads 1 --duration 0.3 --warmup 0 --no-store &&
  err_has "config:2: [load] slo: 'max<-2s': '-2s' is negative: a duration is 0 or more"
expect 2 "$TACH" gate mix.json mix.json && err_has "[load] slo: 'max<-2s': '-2s' is negative"
rm -rf .tach
# the file errors say "tach load:" like the command's others (they said "tach:")
expect 2 "$TACH" load "$B" safe --no-store --config /nonexistent &&
  err_line "^tach load: cannot read config /nonexistent: No such file or directory$" &&
  ok "--config of a missing file: 'tach load:', exit 2"
expect 2 "$TACH" load "$B" safe --no-store --config "$tmp" &&
  err_line "^tach load: cannot read config: " && ok "--config of a directory: 'tach load:', exit 2"
for f in json hlog; do
  expect 1 "$TACH" load "$B" safe --threads 1 --duration 0.2 --warmup 0 --no-store -q --export-$f /dev/full &&
    err_line "^tach load: --export-$f: cannot write /dev/full: " && ok "--export-$f /dev/full: 'tach load:', exit 1"
done

# ---- a benchmark's own objectives (TACH_BENCH .latency with .slo) fail the gate ----
if expect 0 "$B" --filter '^slo_' --max-time 0.3 --rounds 1 --min-samples 3 --format json --out slo.json --quiet; then
  jqc "the objectives travel with the results (targets.slo)" slo.json \
    '[.benchmarks[] | .targets.slo] == ["p50<1h max<1h", "p50<1us"]'
  if expect 1 "$TACH" gate slo.json slo.json; then
    out_has '^  slo_missed: p50<1us 1\.00 µs, measured [0-9.]+ µs'
    out_lacks 'slo_met:'
  fi
fi

# ---- a setup that fails: the run stops before any load, exit 1, the reason shown ----
expect 1 "$TACH" load "$B" nosetup --threads 1 --duration 0.3 --warmup 0 --no-store &&
  out_has 'the setup of nosetup failed \(no database\)'
# -q prints no table: the reason goes with the failure line (it said only "an operation failed")
# the binary killed mid-run (SIGKILL, as the OOM killer's): said as a signal, not as
# an "exit status -9" no shell shows
expect 1 "$TACH" load "$B" killed --threads 1 --duration 0.3 --warmup 0 --no-store &&
  err_line "fixture_load_ops ended without writing its results: killed by signal 9 \\(SIGKILL\\)$"
expect 1 "$TACH" load "$B" nosetup --threads 1 --duration 0.3 --warmup 0 --no-store -q &&
  err_has 'tach load: an operation failed: the setup of nosetup failed (no database)' && ok "-q: the reason said"

# ---- the store records the run ----
if expect 0 "$TACH" load "$B" safe --threads 1 --duration 0.3 --warmup 0; then
  err_has "recorded run 1"
  expect 0 "$TACH" history --runs && ok "the store holds the load run"
fi
# a load of another operation shares only the name "overall" with it: not the same suite,
# so compare has no default pair (it compared the two overalls as one benchmark)
if expect 0 "$TACH" load "$B" noop --threads 1 --duration 0.3 --warmup 0 --store "$tmp/two.db" &&
   expect 0 "$TACH" load "$B" safe --threads 1 --duration 0.3 --warmup 0 --store "$tmp/two.db"; then
  expect 2 "$TACH" compare --store "$tmp/two.db" && err_has "the latest run 2 is the first of its suite: no earlier run in the store" \
    && ok "two loads of different operations: no default comparison of their overalls"
fi

# ---- the .hlog export: one tagged line per operation and interval, read back ----
if expect 0 "$TACH" load "$B" safe:1 risky:1 --threads 1 --duration 2 --warmup 0 --no-store --export-hlog mix.hlog; then
  n=$(grep -c '^Tag=' mix.hlog)
  [ "$n" -eq 4 ] && ok "4 interval lines (2 ops x 2 intervals)" || bad "hlog has $n interval lines: $(cat mix.hlog)"
  grep -q '^#\[Histogram log format version 1.2\]' mix.hlog && ok "hlog 1.2 header" || bad "no hlog header"
  # in time order, as HdrHistogram's writers log: its readers stop at the first line past
  # a range's end (HistogramLogProcessor -end 0.5 read none of risky's lines when all of
  # safe's came first)
  grep '^Tag=' mix.hlog | cut -d, -f2 | sort -c -n 2>/dev/null &&
    ok "hlog lines in time order" || bad "hlog lines not in time order: $(grep -o '^Tag=[^,]*,[^,]*' mix.hlog)"
fi

# ---- Ctrl-C: stops sending, keeps what was measured, partial, exit 130 ----
"$TACH" load "$B" safe --threads 1 --duration 30 --warmup 0 --no-store --export-json int.json \
  --interval 0.2 --series int.jsonl >int.out 2>int.err &
# signalled once the run measures: its first interval is written (polled while it runs,
# not a fixed sleep, so a busy machine that starts it late still gets the signal mid-run)
signal_when INT $! test -s int.jsonl
[ $rc -eq 130 ] && ok "interrupted: exit 130" || bad "interrupted: exit $rc, expected 130: $(cat int.err)"
# the time measured as tach shows times (1.42 s), not as %g gave it (1.41988 s)
grep -qE '^PARTIAL: interrupted; [0-9]+(\.[0-9]{1,2})? (s|ms) were measured$' int.out &&
  grep -qE '^load: .*, [0-9]+(\.[0-9]{1,2})? (s|ms) measured after ' int.out &&
  ok "the PARTIAL line and the first give the time measured to 3 digits" ||
  bad "the time measured: $(grep -E 'PARTIAL|measured after' int.out)"
jqc "the interrupted run is kept, partial, with what it measured" int.json \
  '.partial == true and (.benchmarks[] | select(.name == "overall") | .load | .partial == true and .count > 0 and .measured_s < 30)'
# its intervals end where it stopped: none of the 150 planned ones after (they read as a
# server falling to 0/s), and the last as long as what was left of it
jqc "the interrupted run's intervals end at the interruption" int.json \
  '.benchmarks[] | select(.name == "overall") | .load | . as $L | .intervals
   | length == (($L.measured_s / 0.2) | ceil) and (last | .start_s + .length_s - $L.measured_s | fabs < 1e-6)'

# a last interval shorter than --interval: its own length, and its rate over it
if expect 0 "$TACH" load "$B" safe --rate 100 --duration 1.5 --warmup 0 --interval 1 --max-late 100 --no-store \
     --export-json short.json --export-hlog short.hlog; then
  jqc "1.5 s of 1 s intervals: the last is 0.5 s long" short.json \
    '.benchmarks[] | select(.name == "overall") | .load.intervals | length == 2 and .[1].length_s == 0.5
     and .[1].rps == .[1].count / 0.5'
  grep -q '^Tag=safe,1.000,0.500,' short.hlog && ok "the hlog's last interval is 0.5 s" || bad "hlog: $(grep Tag= short.hlog)"
  # the thin mark counts the requests above a percentile (tail_samples, n - its rank), as
  # latency.md does: the legend said "at or beyond", one more than it counts
  out_has '^~ fewer than 10 requests above this percentile: a thin tail$'
fi

# ---- bad input: exit 2, naming the flag or the argument, nothing run ----
bad_input() { # EXPECTED-TEXT ARGS...
  local text=$1; shift
  if expect 2 "$TACH" load "$@"; then err_has "$text"; fi
}
runs_before=$(sqlite3 "$TACH_STORE" 'select count(*) from tach_runs')
bad_input "--rate: '0'" "$B" safe --rate 0
bad_input "--duration: 1s is shorter than --warmup 2s" "$B" safe --duration 1 --warmup 2
bad_input "the weight '0' is not a positive number" "$B" safe:0
bad_input "the weight 'x' is not a positive number" "$B" safe:x
bad_input "the weight '-1' is not a positive number" "$B" safe:-1
bad_input "--clients: '0'" "$B" safe --clients 0
# intervals: at least 1 ms, at most a million of them (each keeps a histogram; a 1 ns
# interval over 0.2 s took minutes and gigabytes), refused before any load is sent
# (bounded by timeout should one run)
if expect 2 timeout 20 "$TACH" load "$B" safe --interval 1ns --duration 0.2 --warmup 0; then
  err_has "--interval: '1ns'"
fi
if expect 2 timeout 20 "$TACH" load "$B" safe --interval 1ms --duration 2000 --warmup 0; then
  err_has "--interval: 0.001s over --duration 2000s makes 2000000 intervals; at most 1000000"
fi
bad_input "--threads: 'many'" "$B" safe --threads many
bad_input "--arrivals: 'bursty'" "$B" safe --rate 10 --arrivals bursty
bad_input "--ramp: the rate 'x' is not a number" "$B" safe --ramp x:1s
bad_input "--slo: 'p99<fast'" "$B" safe --slo 'p99<fast'
# a bound below 0 is named as negative (p99<-1ms was "not a duration", rps>-5 "not a rate")
bad_input "--slo: 'p99<-1ms': '-1ms' is negative: a duration is 0 or more" "$B" safe --slo 'p99<-1ms'
bad_input "--slo: 'rps>-5': '-5' is negative: a rate is 0 or more" "$B" safe --slo 'rps>-5'
bad_input "--slo: 'errors<-1%': '-1%' is negative: an error rate is 0 or more" "$B" safe --slo 'errors<-1%'
# a comma list with an empty item is refused, a trailing comma as "a,,b" (it was accepted)
for v in 100:1s, 100:1s,,200:1s ,100:1s; do
  bad_input "--ramp: '$v' is not RATE:DURATION" "$B" safe --ramp "$v"
done
for v in 'p99<1s,' 'p99<1s,,max<2s' ',p99<1s' 'p99<1s;'; do
  bad_input "--slo: '$v' has an empty objective" "$B" safe --slo "$v"
done
bad_input "has no operation 'nosuch' (it has: safe" "$B" nosuch
# listed as the objectives' check lists a run's operations (it was "safe,risky,complex")
err_has "(it has: safe, risky, complex, slow, flaky, nosetup, noop, killed)"
# an objective about an operation (or URL) the run does not load could only be UNKNOWN
# after the whole run (it ran, then exit 1): refused before any load is sent
bad_input "--slo 'sfe:p99<1s': the run has no operation 'sfe' (it loads: safe, risky)" \
  "$B" safe risky --slo 'p50<1h sfe:p99<1s'
# a URL that does not parse is said so, with either transport: not as a matter of
# "--engine auto" (not given), nor as a server that "does not answer"
for engine in auto curl direct; do
  if expect 2 "$TACH" load http://127.0.0.1:99999/ --engine $engine --no-store; then
    err_line "^tach load: 'http://127\.0\.0\.1:99999/' is not a URL to load: Port number"
  fi
  # port 0 parses, but no server is there: a bad URL, not one that "does not answer"
  if expect 2 "$TACH" load http://127.0.0.1:0/ --engine $engine --no-store; then
    err_line "^tach load: 'http://127\.0\.0\.1:0/' is not a URL to load: port 0"
  fi
done
printf '[load]\nslo = get:p99<1ms\n' >slo-get.cfg
bad_input "[load] slo 'get:p99<1ms': the run has no operation 'get' (it loads: safe)" \
  "$B" safe --config slo-get.cfg
bad_input "--slo 'http://127.0.0.1:9/c:p99<1s': the run has no URL 'http://127.0.0.1:9/c' (it loads: http://127.0.0.1:9/a, http://127.0.0.1:9/b)" \
  http://127.0.0.1:9/a:3 http://127.0.0.1:9/b --slo 'http://127.0.0.1:9/c:p99<1s'
bad_input "is not a libtach benchmark binary" /bin/true safe
# a binary that is not there, or cannot be run, is said so (not "not a libtach binary")
bad_input "'./does-not-exist' not found: give a libtach benchmark binary or URLs" ./does-not-exist safe
bad_input "'does-not-exist-either' not found (searched \$PATH)" does-not-exist-either safe
touch not-a-program
bad_input "'./not-a-program' is not executable" ./not-a-program safe
bad_input "'/' is a directory, not a program" / safe
# an option that would change nothing where it is given: refused, naming both
bad_input "--think applies only to the closed model, not with --rate" "$B" safe --think 1ms --rate 10
bad_input "--think applies only to the closed model, not with --ramp" "$B" safe --think 0 --ramp 10:2s
bad_input "--think applies only to the closed model, not with --find-max-rate" "$B" safe --think 1ms \
  --find-max-rate --slo 'p99<1s'
bad_input "--think applies only to the closed model, not with --rate" http://127.0.0.1:9/ --think 1ms --rate 10
bad_input "--arrivals applies only to the open model (with --rate, --ramp or --find-max-rate)" "$B" safe \
  --arrivals poisson
bad_input "--max-late applies only to the open model" "$B" safe --max-late 5
bad_input "--max-late applies only to the open model" http://127.0.0.1:9/ --clients 4 --max-late 5
bad_input "--clients applies with --rate only to URL targets" "$B" safe --clients 4 --rate 10
bad_input "--clients applies with --find-max-rate only to URL targets" "$B" safe --clients 4 \
  --find-max-rate --slo 'p99<1s'
bad_input "--max-steps applies only with --find-max-rate" "$B" safe --max-steps 3
# the search starts from --rate: a --ramp of one stage was taken as its start (of two,
# refused), and the ramp's time then meant nothing
bad_input "--find-max-rate: start from --rate, not --ramp" "$B" safe --find-max-rate --ramp 10:1s \
  --slo 'p99<1s' --duration 0.2 --warmup 0 --max-steps 2
bad_input "--max-steps applies only with --find-max-rate" http://127.0.0.1:9/ --rate 10 --max-steps 3
bad_input "--request-timeout: only for HTTP targets" "$B" safe --request-timeout 1
bad_input "--engine: only for HTTP targets" "$B" safe --engine auto
bad_input "--method: only for HTTP targets" "$B" safe --method GET
bad_input "name the operations to load" "$B"
bad_input "--find-max-rate: give the objectives" "$B" safe --find-max-rate
bad_input "--header: only for HTTP targets" "$B" safe -H 'X: y'
bad_input "'safe' is given twice" "$B" safe safe:2
bad_input "--export-json and --export-hlog both to standard output" "$B" safe --export-json - \
  --export-hlog /dev/stdout
bad_input "--series '-': the series is written to a file as the run goes" "$B" safe --series -
runs_after=$(sqlite3 "$TACH_STORE" 'select count(*) from tach_runs')
[ "$runs_after" = "$runs_before" ] && ok "nothing recorded by bad input ($runs_after run)" ||
  bad "bad input recorded runs: $runs_before before, $runs_after after"

# ---- --export-json - : standard output holds the document alone ----
# (the summary and the objectives' lines on stderr; no file named "-" was made)
mkdir -p dash && (cd dash && "$TACH" load "$B" safe --threads 1 --duration 0.3 --warmup 0 --no-store \
  --slo 'p99<1h' --export-json - >"$tmp/dash.out" 2>"$tmp/dash.err")
check "--export-json -: stdout is the document alone" jq -e '.format == "tach-results"' "$tmp/dash.out"
check "... the summary and the objective's line on stderr" \
  bash -c "grep -q '^overall' '$tmp/dash.err' && grep -q 'slo p99<1h' '$tmp/dash.err'"
check "... and no file named '-'" test ! -e dash/-
(cd dash && "$TACH" load "$B" safe --threads 1 --duration 0.3 --warmup 0 --no-store \
  --export-hlog /dev/stdout >"$tmp/dash.hlog" 2>/dev/null)
check "--export-hlog /dev/stdout: stdout is the log alone" \
  bash -c "head -1 '$tmp/dash.hlog' | grep -q '^#tach load' && ! grep -q '^overall' '$tmp/dash.hlog'"

# a rate below 1/s is shown as asked, not rounded to "0/s" (or "1/s")
if expect 0 "$TACH" load "$B" safe --rate 0.5 --duration 0.2 --warmup 0 --max-late 100 --no-store; then
  out_has '^schedule: 0\.5/s asked, '
fi
# the rate sent is shown as the rate asked is (cli_load_fmt_rate): "1000/s", not "1000.0/s"
if expect 0 "$TACH" load "$B" safe --rate 1000 --duration 0.3 --warmup 0 --max-late 100 --no-store; then
  # whole from 100/s up, else three significant digits
  out_has '^schedule: 1000/s asked, ([0-9]{3,}|[0-9]{1,2}(\.[0-9]+)?)/s sent; ' &&
    ok "the rate sent formatted as the rate asked"
fi

# a seed above 2^63-1 is a decimal string in model.seed, as every document writes it (it
# was a JSON integer wrapped negative: "seed": -1 for 18446744073709551615)
if expect 0 "$TACH" load "$B" safe --threads 1 --duration 0.2 --warmup 0 --no-store \
     --seed 18446744073709551615 --export-json seed.json; then
  jqc "--seed 2^64-1: model.seed the string \"18446744073709551615\"" seed.json \
    '[.benchmarks[].load.model.seed] | length > 0 and all(. == "18446744073709551615")'
fi

# --help's prose (the lines not of an option's row) within 86 columns: the exit statuses'
# paragraph had a line of 113 and one of 14
if expect 0 "$TACH" load --help; then
  out_lacks '^[^ ].{86}'
  out_has "^during the run \(NOT recorded, its outputs written\); 130 interrupted \(what was$"
fi

finish
