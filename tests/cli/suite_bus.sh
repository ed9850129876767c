#!/usr/bin/env bash
# tach suite bus: the in-process baselines end to end; each broker (when installed)
# started by tach on 127.0.0.1 on a free port in a temporary directory and stopped after;
# a broker killed mid-run reported with the results so far; bad input refused.
source "$(dirname "$0")/lib.bash"
cd "$tmp" || exit 1
S="$TACH_SRC/tests/cli/suite_structure.jq"
export TMPDIR="$tmp/t" # the brokers' directories: checked empty at the end
mkdir -p "$TMPDIR"
fast=(--quick --messages 300 --sizes 16,1k --no-store)

if expect 0 "$TACH" suite bus "${fast[@]}" --slo 'p99<1s' --export-json "$tmp/b.json"; then
  ok "a quick in-process run exits 0"
  out_has '^transport/pattern/size +msgs/s \(±CI\) +MB/s +rate +p50 +p99 +p99\.9 +lost +reord$'
  out_has '^pipe/1to1/16 +[0-9]+'
  out_has '^queue/fanout/1024 +[0-9]+'
  out_has '^unix/reqrep/16 +[0-9]+'
  # a busy machine can make even the lowest rate's runs invalid: then that is said, never "0"
  out_has '(highest rate meeting p99<1\.00 s: [1-9][0-9]* msgs/s|no rate tried met p99<1\.00 s: the lowest, [0-9]+ msgs/s)'
  out_lacks ': 0 msgs/s$'
  # msgs/s: the messages received over the run's time (msgs_per_s) with its CI from the
  # batches, not the median batch's rate and that rate's CI (27x apart on queue/fanout)
  out_has '^tach suite bus \(msgs/s: messages received over the run.s time, with 95% CI\)$'
  for row in queue/fanout/16 pipe/1to1/16; do
    want=$(jq -r --arg n "bus/$row/max" '.benchmarks[] | select(.name == $n) | .counters.msgs_per_s | round' "$tmp/b.json")
    got=$(awk -v j="$row" '$1 == j { print $2 }' "$tmp/out")
    check "$row: the table's msgs/s ($got) is msgs_per_s ($want)" awk -v a="$got" -v b="$want" 'BEGIN { exit !(a != "" && (a - b) ^ 2 <= 1) }'
  done
  check "every closed-loop row's msgs_per_s inside its 95% CI" \
    jqt '[.benchmarks[] | select(.name | endswith("/max")) | .counters
          | .msgs_per_s_ci_low <= .msgs_per_s and .msgs_per_s <= .msgs_per_s_ci_high] | (length > 0) and all' "$tmp/b.json"
  # the batches tile the run msgs_per_s is over, from its start: the first began when
  # subscriber 0's thread did, before the others were ready, and held that wait (23 ms of
  # a 0.4 ms run), which skewed the CI ([1.5M, 556M] around 4.6M msgs/s)
  check "every closed-loop row's batches lie within its run's time (300 messages / msgs_per_s)" \
    jqt '[.benchmarks[] | select(.name | endswith("/max")) |
          ([.samples.ns, .samples.iters] | transpose | map(.[0] * .[1]) | add) as $batches |
          (300 / .counters.msgs_per_s * 1e9) as $run | $batches > 0 and $batches <= $run * (1 + 1e-9)] |
         (length == 18) and all' "$tmp/b.json"
  jq -S -f "$S" "$tmp/b.json" >"$tmp/b.struct"
  golden suite_bus.json "$tmp/b.struct"
  # the bus samples no time (--time is refused): its settings said time_s 0.05, min_samples 3
  check "context.settings: no time_s or min_samples; suite.messages 300" \
    jqt '(.context.settings | has("time_s") or has("min_samples") | not) and .context.suite.messages == 300' "$tmp/b.json"
  check "nothing lost or reordered in process" \
    jqt '[.benchmarks[] | .counters.lost == 0 and .counters.reordered == 0] | all' "$tmp/b.json"
  check "fan-out delivers to 10 subscribers" \
    jqt '.benchmarks[] | select(.name == "bus/pipe/fanout/16/max") | .counters.received == 3000 and .counters.subscribers == 10' "$tmp/b.json"
  check "open-loop rows carry their rate and percentiles" \
    jqt '.benchmarks[] | select(.name == "bus/queue/1to1/16/latency") | .counters.rate > 0 and .counters.p99_ns > 0' "$tmp/b.json"
  # the open loop is the load engine's: its block (as tach load writes it), every one of
  # the 300 slots scheduled and either sent or dropped, the verdict mirrored in counters
  check "open-loop rows carry the load engine's block, its slots and verdict" \
    jqt '[.benchmarks[] | select(.name | endswith("/latency")) | .load as $l |
          $l.model.kind == "open" and $l.model.target == "bus" and $l.scheduled == 300 and
          $l.sent + $l.dropped == 300 and .counters.sent == $l.sent and
          .counters.late == $l.late and .counters.dropped == $l.dropped and
          (.counters.invalid == 1) == $l.invalid and ($l.corrected | type) == "object"] |
         length == 12 and all' "$tmp/b.json"
fi

# ---- a rate the publisher cannot hold (300 messages due within 3 us): INVALID ----------
if expect 0 "$TACH" suite bus --no-store --messages 300 --sizes 16 --transports queue --patterns 1to1 \
     --rate 100000000 --slo 'p99<1s' --export-json "$tmp/inv.json"; then
  out_has '^ +INVALID: the publisher could not hold 100000000 msgs/s \([0-9]+ late, [0-9]+ dropped\)$'
  out_has '^note: bus/queue/1to1/16/latency: INVALID: the publisher could not hold 100000000 msgs/s'
  check "the invalid row: the load engine's verdict, dropped slots counted" \
    jqt '.benchmarks[] | select(.name == "bus/queue/1to1/16/latency") |
         .load.invalid and .counters.invalid == 1 and .counters.dropped > 0 and
         (.load.invalid_reason | test("could not hold the rate"))' "$tmp/inv.json"
  # its advice names suite bus's own options (it said "add --threads or --clients")
  check "invalid_reason advises --rate, not options suite bus lacks" \
    jqt '.benchmarks[] | select(.name == "bus/queue/1to1/16/latency") | .load.invalid_reason |
         test("lower --rate") and (test("--threads|--clients") | not)' "$tmp/inv.json"
  "$TACH" report "$tmp/b.json" --no-compare --format md >"$tmp/r.md" 2>/dev/null
  check "report: the bus table (pattern, msgs/s and its CI, p99, how the p99 was measured)" \
    bash -c "grep -q '^| pattern | msgs/s | msgs/s 95% CI | p99 | p99 measured |$' '$tmp/r.md' &&
             grep -qE '^\| pipe/1to1/16 \| [0-9]+ \| \[[0-9]+, [0-9]+\] \| (INVALID \()?[0-9.]+ .s\)? \| open loop at [0-9]+ msgs/s' '$tmp/r.md'"
  # request-reply has no open-loop row: its p99 is the closed-loop round trip, said so
  check "report: request-reply's p99 is labelled the closed-loop round trip" \
    grep -qE '^\| unix/reqrep/16 \| [0-9]+ \| [^|]+ \| [0-9.]+ .s \| round trip, closed loop' "$tmp/r.md"
  # an INVALID open-loop row is marked in the report as on the terminal, not shown as valid
  "$TACH" report "$tmp/inv.json" --no-compare --format md >"$tmp/inv.md" 2>/dev/null
  check "report: the INVALID open-loop row is marked" \
    grep -qE '^\| queue/1to1/16 \| [0-9]+ \| [^|]+ \| INVALID \(([0-9.]+ .s|-)\) \| open loop at 100000000 msgs/s, not held \([0-9]+ late, [0-9]+ dropped\)' "$tmp/inv.md"
  "$TACH" certify "$tmp/inv.json" --format md >"$tmp/inv.cert" 2>/dev/null
  check "certify: the INVALID row is marked there too" grep -q '^| queue/1to1/16 | [0-9]* | [^|]* | INVALID (' "$tmp/inv.cert"
fi

# ---- an SLO no rate meets: said plainly, slo_max_rate null (it printed "0 msgs/s") ----
one=(--quick --no-store --messages 300 --sizes 16 --transports queue)
if expect 0 "$TACH" suite bus "${one[@]}" --patterns 1to1,reqrep --slo 'p99<1ns' --export-json "$tmp/none.json"; then
  out_has '^ +no rate tried met p99<1\.00 ns: the lowest, [0-9]+ msgs/s, (had p99 [0-9.]+ .s|missed it)'
  out_has '^note: bus/queue/1to1/16/latency: no rate tried met p99<1\.00 ns: the lowest, [0-9]+ msgs/s, '
  out_lacks 'highest rate meeting'
  # request-reply rows get no search, and it is said, not left for the reader to notice
  out_has '^note: --slo: request-reply rows get no SLO search'
  check "no rate met: slo_max_rate null, the lowest rate tried written" \
    jqt '.benchmarks[] | select(.name == "bus/queue/1to1/16/latency") | .counters |
         .slo_max_rate == null and .slo_lowest_rate > 0' "$tmp/none.json"
fi
# an invalid run (a stall made sends late) says nothing about the SLO: run again, not "0"
if TACH_SUITE_TEST=slo-invalid-runs=2 expect 0 "$TACH" suite bus "${one[@]}" --patterns 1to1 --slo 'p99<1s' \
     --export-json "$tmp/retry.json"; then
  # the third run decides (on a busy machine it may be invalid too: then it says so)
  out_has '(highest rate meeting p99<1\.00 s: [1-9][0-9]* msgs/s|the lowest, [0-9]+ msgs/s, was invalid \(the last of 3 runs\))'
  check "two invalid runs at the lowest rate, then a third" \
    jqt '.benchmarks[1].counters | .slo_max_rate > 0 or .slo_lowest_rate > 0' "$tmp/retry.json"
fi
if TACH_SUITE_TEST=slo-invalid-runs=3 expect 0 "$TACH" suite bus "${one[@]}" --patterns 1to1 --slo 'p99<1s' \
     --export-json "$tmp/inv3.json"; then
  out_has '^ +no rate tried met p99<1\.00 s: the lowest, [0-9]+ msgs/s, missed it'
  out_has '^note: bus/queue/1to1/16/latency: no rate tried met p99<1\.00 s: the lowest, [0-9]+ msgs/s, was invalid \(the last of 3 runs\): the publisher could not hold it'
  out_lacks ': 0 msgs/s'
  check "invalid three times: slo_max_rate null" \
    jqt '.benchmarks[1].counters | .slo_max_rate == null and .slo_lowest_value_ns == null' "$tmp/inv3.json"
fi

have() { command -v "$1" >/dev/null || [ -x "/usr/sbin/$1" ]; }
for b in redis:redis-server nats:nats-server mqtt:mosquitto; do
  name=${b%%:*} server=${b#*:}
  if ! have "$server"; then echo "note: $server not installed: --broker $name not tested"; continue; fi
  if expect 0 "$TACH" suite bus "${fast[@]}" --sizes 16 --broker "$name" --patterns 1to1,reqrep \
       --export-json "$tmp/$name.json"; then
    ok "--broker $name: started, measured, stopped"
    out_has "^broker: $server started by tach on 127\.0\.0\.1:[0-9]+"
    out_has "^$name/1to1/16 +[0-9]+"
    out_has "^$name/reqrep/16 +[0-9]+"
    check "--broker $name: nothing lost" \
      jqt '[.benchmarks[] | .counters.lost == 0] | all' "$tmp/$name.json"
  fi
done

# a broker named in another case is the one in lower case: its rows and the document's
# context.suite.broker read as --broker nats's, so history and compare group them (NATS
# was refused as "not one")
if have nats-server; then
  if expect 0 "$TACH" suite bus "${fast[@]}" --sizes 16 --broker NATS --patterns 1to1 \
       --export-json "$tmp/NATS.json"; then
    out_has "^nats/1to1/16 +[0-9]+"
    check "--broker NATS: the document says nats" \
      jqt '(.context.suite.broker | startswith("nats-server started by tach on 127.0.0.1:"))
           and ([.benchmarks[].name | startswith("bus/nats/1to1/16/")] | all)' "$tmp/NATS.json"
  fi
fi

# ---- tach started with its standard input closed: the broker still gets /dev/null on 0 and
# its log on 1 and 2 (/dev/null, opened close-on-exec, took fd 0, and a dup2 onto itself
# left it to be closed at exec: the broker ran with no fd 0). A redis-server found first
# in PATH notes its descriptors, then is the real one. ----
if have redis-server; then
  real=$(command -v redis-server || echo /usr/sbin/redis-server)
  mkdir -p "$tmp/wrap"
  # (the descriptors read into a variable first: a loop's redirection would be its fd 1)
  cat >"$tmp/wrap/redis-server" <<EOF
#!/bin/sh
fds=\$(for f in 0 1 2; do echo "\$f \$(readlink /proc/\$\$/fd/\$f)"; done)
echo "\$fds" >"$tmp/broker.fds"
exec "$real" "\$@"
EOF
  chmod +x "$tmp/wrap/redis-server"
  if expect 0 env PATH="$tmp/wrap:$PATH" "$TACH" suite bus "${fast[@]}" --sizes 16 --broker redis \
       --patterns 1to1 --export-json "$tmp/started.json" 0<&-; then
    out_has '^redis/1to1/16 +[0-9]+'
    check "stdin closed: the broker's fd 0 is /dev/null" grep -qx '0 /dev/null' "$tmp/broker.fds"
    check "stdin closed: the broker's fds 1 and 2 are its log" \
      test "$(grep -cE '^[12] .*/tach-broker-[^/]+/broker\.log( \(deleted\))?$' "$tmp/broker.fds")" = 2
    ok "--broker redis with tach's standard input closed"
  fi
fi

# ---- a broker asked for but not installed: bad input, refused before anything runs (it
# ran the baselines asked beside it, then exited 1 with them unwritten, "tach: --broker ...") ----
if [ ! -x /usr/sbin/redis-server ] && [ ! -x /sbin/redis-server ] && [ ! -x /usr/local/sbin/redis-server ]; then
  env PATH=/nonexistent "$TACH" suite bus "${fast[@]}" --sizes 16 --transports pipe --patterns reqrep \
    --broker redis --export-json "$tmp/nr.json" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if grep -q "not built in this tach" "$tmp/err"; then
    echo "note: hiredis not built in: --broker redis without redis-server not tested"
  else
    check "--broker redis without redis-server: exit 2 (got $rc)" test "$rc" = 2
    check "... one line naming the server and its package" \
      err_line "^tach suite: --broker redis: 'redis-server' is not installed \(Debian: redis-server\)$"
    check "... nothing run, nothing written" test ! -s "$tmp/out" -a ! -e "$tmp/nr.json"
  fi
fi

# ---- a $TMPDIR where the broker's configuration cannot be written (a full disk; here
# RLIMIT_FSIZE 0, SIGXFSZ ignored): exit 1 with the file and the reason (mosquitto.conf's
# write went unchecked: an empty file, and "did not accept connections"). A mosquitto first
# in PATH that never listens, so the test needs no broker and cannot hang. ----
mkdir -p "$tmp/fakemq" "$tmp/fulltmp"
printf '#!/bin/sh\nexit 1\n' >"$tmp/fakemq/mosquitto"
chmod +x "$tmp/fakemq/mosquitto"
# (stderr through a pipe: under the limit a file could not take it either)
ferr=$( (trap '' XFSZ; ulimit -f 0; exec env PATH="$tmp/fakemq:$PATH" TMPDIR="$tmp/fulltmp" \
  "$TACH" suite bus "${fast[@]}" --sizes 16 --patterns 1to1 --broker mqtt 2>&1 >/dev/null) )
rc=$?
if grep -q "not built in this tach" <<<"$ferr"; then
  echo "note: the MQTT client not built in: a broker configuration not written not tested"
else
  check "mosquitto.conf not written: exit 1 (got $rc)" test "$rc" = 1
  check "... one line naming the file and why (got '$ferr')" \
    grep -Eqx "tach suite: cannot write $tmp/fulltmp/tach-broker-[^/]+/mosquitto\.conf: File too large" <<<"$ferr"
  check "... and its directory removed" bash -c "[ -z \"\$(ls -A '$tmp/fulltmp')\" ]"
fi

# ---- a broker that cannot start is found before any row runs: with --transports pipe
# beside it, the pipe's rows were measured first and then lost with the run (exit 1,
# nothing written). 10^8 messages a row, which no pipe carries in 2 minutes: the broker
# must fail before them. Its exit is said as it was, with the last line of its log (it
# was "did not accept connections ... within 10 s", at once, its log removed unread). ----
mkdir -p "$tmp/fakemq2"
printf '#!/bin/sh\necho "Error: Address already in use" >&2\nexit 1\n' >"$tmp/fakemq2/mosquitto"
chmod +x "$tmp/fakemq2/mosquitto"
if ! grep -q "not built in this tach" <<<"$ferr"; then
  expect 1 env PATH="$tmp/fakemq2:$PATH" timeout 120 "$TACH" suite bus --no-store --messages 100000000 \
    --transports pipe --patterns 1to1,fanout --sizes 16 --broker mqtt --export-json "$tmp/nb.json" \
    && err_line "^tach suite: mosquitto exited with status 1 before accepting connections on 127\.0\.0\.1:[0-9]+ \(its log ends: \"Error: Address already in use\"\)$" \
    && [ ! -e "$tmp/nb.json" ] && ok "a broker that cannot start stops the run before the baselines' rows" \
    || fail "a broker that cannot start stops the run before the baselines' rows"
  # a $TMPDIR that is no directory is the caller's to fix, as for the storage suite: exit 2
  # naming it, before anything runs (it was exit 1, "cannot make a temporary directory: No
  # such file or directory", the directory not named)
  for td in "$tmp/no-such-dir" "$tmp/fakemq2/mosquitto"; do
    expect 2 env PATH="$tmp/fakemq2:$PATH" TMPDIR="$td" timeout 120 "$TACH" suite bus --no-store --messages 100000000 \
      --transports pipe --sizes 16 --broker mqtt --export-json "$tmp/nb.json" \
      && err_line "^tach suite: --broker mqtt: cannot make a temporary directory in '$td' \(TMPDIR\): (No such file or directory|Not a directory); set TMPDIR$" \
      && [ ! -s "$tmp/out" ] && [ ! -e "$tmp/nb.json" ] && ok "TMPDIR=$td: exit 2 naming it, nothing run" \
      || fail "TMPDIR=$td: exit 2 naming it, nothing run"
  done
  # a long $TMPDIR (237 bytes or more) is as good as any: the broker's directory was cut to
  # fit 256 bytes, and mkdtemp refused it ("Invalid argument", exit 1, no broker started);
  # one too long for the broker's files to have a path is refused, exit 2, nothing run
  mkdir -p "$tmp/fakemq3"
  printf '#!/bin/sh\necho started\nexit 1\n' >"$tmp/fakemq3/mosquitto"
  chmod +x "$tmp/fakemq3/mosquitto"
  ltd=$tmp/$(printf 'l%.0s' $(seq 250))
  mkdir -p "$ltd"
  expect 1 env PATH="$tmp/fakemq3:$PATH" TMPDIR="$ltd" timeout 120 "$TACH" suite bus --no-store --sizes 16 \
    --patterns 1to1 --broker mqtt \
    && err_line "^tach suite: mosquitto exited with status 1 before accepting connections on 127\.0\.0\.1:[0-9]+ \(its log ends: \"started\"\)$" \
    && ok "a TMPDIR of ${#ltd} bytes: the broker started in it"
  check "the long TMPDIR is left empty" test -z "$(ls -A "$ltd")"
  vtd=$ltd
  while [ ${#vtd} -lt 4080 ]; do vtd=$vtd/$(printf '%0200d' 0); done
  vtd=${vtd:0:4080}
  mkdir -p "$vtd"
  expect 2 env PATH="$tmp/fakemq3:$PATH" TMPDIR="$vtd" timeout 120 "$TACH" suite bus --no-store --sizes 16 \
    --patterns 1to1 --broker mqtt \
    && err_has "tach suite: --broker mqtt: TMPDIR is too long for a temporary directory in it (4080 bytes, at most 4061): '$tmp/" \
    && [ ! -s "$tmp/out" ] && ok "a TMPDIR of 4080 bytes: exit 2, nothing run"
  check "the too long TMPDIR is left empty" test -z "$(ls -A "$vtd")"
  rm -rf "$ltd"
fi

# ---- --url at a Redis the user runs: request-reply's SET key is deleted after (it was
# left in the user's database, up to 64 KiB) ----
if have redis-server && command -v redis-cli >/dev/null; then
  mkdir -p "$tmp/rd"
  rport=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  redis-server --bind 127.0.0.1 --port "$rport" --dir "$tmp/rd" --save '' --appendonly no >/dev/null &
  rpid=$!
  for _ in $(seq 100); do redis-cli -p "$rport" ping 2>/dev/null | grep -q PONG && break; sleep 0.05; done
  if expect 0 "$TACH" suite bus "${fast[@]}" --sizes 16 --patterns reqrep --url "redis://127.0.0.1:$rport"; then
    out_has '^redis/reqrep/16 +[0-9]+'
    check "--url redis: no key left in the user's Redis" \
      test "$(redis-cli -p "$rport" dbsize)" = 0
  fi
  # a scheme in any case is the same scheme (RFC 3986): REDIS:// was "not a broker URL"
  if expect 0 "$TACH" suite bus "${fast[@]}" --sizes 16 --patterns 1to1 --url "REDIS://127.0.0.1:$rport" \
       --export-json "$tmp/url.json"; then
    out_has '^redis/1to1/16 +[0-9]+' && ok "--url REDIS://: the redis broker"
  fi
  # a run through the broker tach started and one through the user's are not compared (as
  # runs of two inputs: exit 2, both named), nor drawn as one trend without a word; two
  # runs through a broker tach started are, whatever free port each got
  if [ -s "$tmp/started.json" ] && [ -s "$tmp/url.json" ]; then
    check "the broker is recorded: tach's" jqt '.context.suite.broker_at == "started by tach on 127.0.0.1"' "$tmp/started.json"
    check "the broker is recorded: the URL's host and port" \
      jqt --arg p "127.0.0.1:$rport" '.context.suite.broker_at == $p' "$tmp/url.json"
    expect 2 "$TACH" compare "$tmp/started.json" "$tmp/url.json" &&
      err_has "measured different inputs (different broker: started by tach on 127.0.0.1 against 127.0.0.1:$rport)" &&
      err_has "compare runs of one broker (--broker NAME, or one --url)" &&
      ok "compare: runs through two brokers refused, both named"
    jq '.context.suite.broker |= sub(":[0-9]+$"; ":1")' "$tmp/started.json" >"$tmp/started2.json"
    expect_rc=0; "$TACH" compare "$tmp/started.json" "$tmp/started2.json" >/dev/null 2>&1 || expect_rc=$?
    check "compare: two runs of a broker tach started are compared (got $expect_rc)" test "$expect_rc" != 2
    (export TACH_STORE="$tmp/brokers.db"
     "$TACH" record "$tmp/started.json" && "$TACH" record "$tmp/url.json") >/dev/null 2>&1
    if expect 0 env TACH_STORE="$tmp/brokers.db" "$TACH" history; then
      out_has 'runs 1 and 2 measured different inputs \(different broker: ' &&
        ok "history: the two brokers' runs noted under the table"
    fi
  fi
  kill "$rpid"
  wait "$rpid" 2>/dev/null
fi

# ---- a broker dying mid-run: the row says so with its counts, earlier rows are kept ----
if have redis-server; then
  # request-reply rows are closed loop: the kill lands in the second row whatever the load
  if TACH_SUITE_TEST=broker-kill-after=450 expect 1 "$TACH" suite bus "${fast[@]}" --sizes 16,1k,4k \
       --patterns reqrep --broker redis --export-json "$tmp/k.json"; then
    ok "a broker killed mid-run exits 1"
    err_has "the broker died during the run; the results so far are kept"
    out_has '^FAILED bus/redis/reqrep/1024/max: the broker died: .* after [0-9]+ of 300 messages sent'
    check "the measured row is kept, the killed one failed, the rest noted, partial" \
      jqt '.partial and ([.benchmarks[] | [.name, .status]] == [["bus/redis/reqrep/16/max","ok"],["bus/redis/reqrep/1024/max","failed"]])
           and (.context.suite.notes | map(test("not run \\(the broker died\\)")) | any)' "$tmp/k.json"
  fi
fi
# ---- interrupted in a closed-loop row: what was measured is written, nothing else. The
# open-loop row after it was written as measured (status ok) with 0 messages sent, and so
# was a row interrupted while it set up. SIGINT is sent once tach has its handler (SigCgt
# in /proc) and the row's subscriber thread runs (no timing); --messages is more than the
# run can send before it ----
"$TACH" suite bus --messages 100000000 --transports pipe --patterns 1to1 --sizes 16 --no-store \
  --export-json "$tmp/int.json" >"$tmp/out" 2>"$tmp/err" &
pid=$!
# handles PID: PID has its SIGINT handler (SigCgt in /proc)
handles() {
  local cgt; cgt=$(awk '/^SigCgt:/ {print $2}' "/proc/$1/status" 2>/dev/null)
  [ -n "$cgt" ] && (( 0x$cgt & 2 ))
}
in_row() { handles "$1" && [ "$(ls "/proc/$1/task" 2>/dev/null | wc -l)" -ge 2 ]; }
signal_when INT "$pid" in_row "$pid"
if [ "$rc" = 130 ]; then
  ok "SIGINT in a row: exit 130"
  check "interrupted: no row of no messages sent" \
    jqt '.partial and ([.benchmarks[] | select(.counters.sent == 0)] == [])
         and ([.benchmarks[].name] | index("bus/pipe/1to1/16/latency") == null)' "$tmp/int.json"
  # the messages in the pipe when the publisher stopped are received, not counted as lost
  # (a pipe loses none: the subscriber gave up on them as soon as the signal came)
  check "interrupted: the row cut short lost no message" \
    jqt '[.benchmarks[] | .counters | .lost == 0 and .received == .sent] | all' "$tmp/int.json"
else
  fail "SIGINT in a row: exit $rc, expected 130"
fi
# ---- interrupted with a broker running: exit 130, the broker stopped and its directory removed ----
if have redis-server; then
  # signalled once the broker runs, tach has its SIGTERM handler (SigCgt in /proc) and the
  # row's subscriber thread runs, not after a time; --messages is more than the run can
  # send before it, so a run that ends first is a failure
  "$TACH" suite bus --messages 100000000 --sizes 16 --no-store --broker redis >"$tmp/out" 2>"$tmp/err" &
  pid=$!
  term_ready() {
    local cgt; cgt=$(awk '/^SigCgt:/ {print $2}' "/proc/$1/status" 2>/dev/null)
    [ -n "$cgt" ] && (( 0x$cgt & 0x4000 )) && [ -n "$(pgrep -P "$1")" ] &&
      [ "$(ls "/proc/$1/task" 2>/dev/null | wc -l)" -ge 2 ]
  }
  signal_when TERM "$pid" term_ready "$pid"
  if [ "$rc" = 143 ]; then ok "SIGTERM: exit 143"; else fail "SIGTERM: exit $rc, expected 143"; fi
  err_has "interrupted by SIGTERM"
  # Ctrl-C at a terminal goes to tach's whole process group: it reached the broker too,
  # which died under the row ("the broker died", a failed row, exit 130 all the same).
  # The broker has a group of its own; tach stops it. (set -m: the job is a group of its
  # own, as a terminal's foreground job is; sent once the broker runs and tach has its
  # handler, no timing)
  set -m
  "$TACH" suite bus --messages 100000000 --sizes 16 --patterns 1to1 --no-store --broker redis \
    --export-json "$tmp/pg.json" >"$tmp/out" 2>"$tmp/err" &
  pid=$!
  set +m
  running_until "$pid" eval '[ -n "$(pgrep -P "$pid")" ] && handles "$pid"' \
    || fail "the run ended before its broker ran"
  bpid=$(pgrep -P "$pid")
  if [ -n "$bpid" ] && [ "$(ps -o pgid= -p "$bpid")" != "$(ps -o pgid= -p "$pid")" ]; then
    ok "the broker runs in a process group of its own"
  else
    fail "the broker runs in tach's process group"
  fi
  kill -INT -- "-$pid"
  wait "$pid"
  rc=$?
  if [ "$rc" = 130 ]; then
    ok "Ctrl-C to the process group: exit 130"
    if [ "$(cat "$tmp/err")" = "tach suite: interrupted by SIGINT: writing what was measured (marked partial), not recording it" ]; then
      ok "Ctrl-C to the process group: interrupted, the broker not lost"
    else
      fail "Ctrl-C to the process group: $(cat "$tmp/err")"
    fi
    # (no row at all when the signal came before the first sample: a slow build, a busy
    # machine; the line on stderr above is then what shows the broker was not lost)
    check "Ctrl-C to the process group: no row failed" jqt '[.benchmarks[] | .status == "ok"] | all' "$tmp/pg.json"
  else
    fail "Ctrl-C to the process group: exit $rc, expected 130"
  fi
  # tach killed (SIGKILL, which no handler sees; or a second Ctrl-C, which the broker in its
  # own group no longer gets): the broker dies with it, nothing left in $TMPDIR (it was left
  # running, its directory there)
  "$TACH" suite bus --messages 100000000 --sizes 16 --patterns 1to1 --no-store --broker redis \
    >"$tmp/out" 2>"$tmp/err" &
  pid=$!
  # (once it accepts connections the broker's directory is removed: killed before that,
  # tach would leave it)
  running_until "$pid" eval '[ -n "$(pgrep -P "$pid")" ] && [ -z "$(ls -A "$TMPDIR")" ]' \
    || fail "the run ended before its broker accepted connections"
  bpid=$(pgrep -P "$pid")
  kill -KILL "$pid"
  wait "$pid" 2>/dev/null
  alive() { [ -n "$bpid" ] && [ -d "/proc/$bpid" ] && [ "$(awk '{print $3}' "/proc/$bpid/stat" 2>/dev/null)" != Z ]; }
  for _ in $(seq 200); do alive || break; sleep 0.05; done
  if alive; then
    fail "tach killed: the broker was left running: $(tr '\0' ' ' <"/proc/$bpid/cmdline")"
    kill "$bpid"
  else
    ok "tach killed: the broker died with it"
  fi
fi
check "every broker's directory was removed" bash -c "[ -z \"\$(ls -A '$TMPDIR')\" ]"

# a --rate with a fraction is shown as given, three significant digits: 12.5 read "12"
if expect 0 "$TACH" suite bus --quick --no-store --transports pipe --patterns 1to1 --sizes 16 \
     --messages 10 --rate 12.5; then
  out_has '^pipe/1to1/16 +.* 12\.5 +[0-9.]+ (µs|ms|s) ' && ok "--rate 12.5: the rate column says 12.5"
fi

refused() { # TEXT ARGS...
  local text=$1; shift
  expect 2 "$TACH" suite bus --no-store "$@" && err_has "$text"
}
refused "--broker: 'kafka' is not one" --broker kafka
refused "--url: 'http://x:1' is not a broker URL" --url http://x:1
refused "--transports: 'pipe' is given twice" --transports pipe,unix,pipe
refused "--patterns: '1to1' is given twice" --patterns 1to1,1to1
refused "--sizes: '1k' and '1024' are one size (1024 bytes) given twice" --sizes 1k,1024
# numbers are decimal, as everywhere in tach: a hex --rate was 256 msgs/s, p0x63 was p99
refused "--rate: '0x100' is not a rate" --rate 0x100
refused "--rate: ' 100' is not a rate" --rate ' 100'
refused "--slo: 'p0x63<1ms' is not an SLO" --slo 'p0x63<1ms'
refused "--broker and --url: one broker at a time" --broker redis --url redis://127.0.0.1:1
# the bus sends --messages per row; --time was accepted and unused
refused "--time applies to the compression, crypto and storage suites, not to bus" --time 2
# a broker the user names that nothing answers on: bad input, before anything is measured
# or recorded (it was six failed rows, exit 1, and a run of failures in the store)
refused "--url: cannot reach 127.0.0.1:9: Connection refused (is the broker running?)" --url redis://127.0.0.1:9
# user:password@ is read as in a store's URL (tach__url_userinfo): the authority ends at
# '/', '?' or '#', so a password holding an unencoded '/' is refused, and not shown (it was
# taken for the host and shown in "cannot resolve ':pa/ss@127.0.0.1'"); %2F is one
refused "--url: 'redis://***@127.0.0.1:9' is not a broker URL" --url 'redis://:pa/ss@127.0.0.1:9' &&
  { ! grep -q 'pa/ss' "$tmp/err" || fail "the password is shown: $(cat "$tmp/err")"; } && ok "... its password is not shown"
refused "--url: cannot reach 127.0.0.1:9: " --url 'redis://:pa%2Fss@127.0.0.1:9'
refused "--url: cannot reach 127.0.0.1:9: " --url 'redis://u:pa@ss@127.0.0.1:9' &&
  { ! grep -q 'pa@ss' "$tmp/err" || fail "the password is shown: $(cat "$tmp/err")"; } && ok "... an '@' in it the password's"
# a '%' in the userinfo is followed by two hex digits, and never %00 (a NUL: the password cut
# short, and "cannot reach" said instead); '%+1' and '% 1' were read as %01 (strtol)
for pw in 'a%00b' 'a%+1b' 'a% 1b' 'a%-1b' 'a%1' 'a%zzb'; do
  refused "--url: 'redis://u:***@127.0.0.1:9' is not a broker URL" --url "redis://u:$pw@127.0.0.1:9" &&
    { ! grep -qF -- "$pw" "$tmp/err" || fail "the password is shown: $(cat "$tmp/err")"; } && ok "password '$pw' refused, not shown"
done
refused "--url: 'nats://u%00:***@127.0.0.1:9' is not a broker URL" --url 'nats://u%00:pw@127.0.0.1:9'
# a path is refused for every scheme, the password hidden (redis://HOST:PORT/5 ran on, the
# /5 ignored: a Redis database is not pub/sub's)
refused "--url: 'redis://u:***@127.0.0.1:9/5' has a path, and the bus suite uses none" --url 'redis://u:sekrit@127.0.0.1:9/5' &&
  { ! grep -q 'sekrit' "$tmp/err" || fail "the password is shown: $(cat "$tmp/err")"; } && ok "... its password is not shown"
refused "--url: 'nats://127.0.0.1:9/x' has a path" --url nats://127.0.0.1:9/x
refused "--url: 'nats://u:***@127.0.0.1:9?x=1' is not a broker URL" --url 'nats://u:pw@127.0.0.1:9?x=1'
refused "--url: 'mqtt://127.0.0.1:9/a/b' has a path" --url mqtt://127.0.0.1:9/a/b
refused "--url: cannot reach 127.0.0.1:9: " --url redis://127.0.0.1:9/
# an IPv6 address in brackets, as URLs write it (it was "cannot resolve '[::1]'")
refused "--url: cannot reach [::1]:9: " --url 'nats://[::1]:9'
# ... and one without them refused naming the URL (nats://::1:4222 was taken, RFC 3986
# writes it [::1]; which ':' ends the address was a guess)
refused "--url: 'nats://::1:4222': an IPv6 address is written in brackets in a URL (RFC 3986): write nats://[::1]:4222" \
  --url 'nats://::1:4222'
refused "--url: 'mqtt://u:***@fe80::1:1883/': an IPv6 address is written in brackets in a URL (RFC 3986): write mqtt://u:***@[fe80::1]:1883/" \
  --url 'mqtt://u:pw@fe80::1:1883/'
# ... with no port, the whole host is the address ('nats://::1' was told "write nats://[:]:1"),
# the advice with the port the parser wants; one that reads either way is told both, and a
# trailing '/' is not the host's
refused "--url: 'nats://::1': an IPv6 address is written in brackets in a URL (RFC 3986), with its port: write nats://[::1]:PORT" \
  --url 'nats://::1'
refused "with its port: write nats://[fe80::1]:PORT/" --url 'nats://fe80::1/'
refused "write nats://[::1]:4222 for port 4222 of ::1, or nats://[::1:4222]:PORT if all of it is the address" \
  --url 'nats://::1:4222'
# ... and the advice, its PORT given, is a URL the suite takes (no broker listens on port 9)
refused "with its port: write nats://[::1]:PORT/" --url 'nats://::1/'
refused "--url: cannot reach [::1]:9: " --url 'nats://[::1]:9/'
# a scheme's case means nothing (RFC 3986): REDIS:// and Nats:// were "not a broker URL"
refused "--url: cannot reach 127.0.0.1:9: " --url REDIS://127.0.0.1:9
refused "--url: cannot reach 127.0.0.1:9: " --url Nats://u:pw@127.0.0.1:9
# a user without a password says so (it was the bare "is not a broker URL"), still hidden
# whole (a userinfo without ':' may be a token)
refused "--url: 'redis://***@127.0.0.1:1' gives a user without a password: write USER:PASSWORD@" \
  --url 'redis://u@127.0.0.1:1'
refused "--url: 'mqtt://:***@127.0.0.1:1' gives a password without a user: mqtt asks for USER:PASSWORD@" \
  --url 'mqtt://:pw@127.0.0.1:1'
# a --url where something listens that is no such broker (another service's port): bad
# input too, found by a handshake before anything runs (it was a failed row per pattern and
# size, each after a timeout, exit 1, and a run of failures recorded in the store)
if command -v python3 >/dev/null; then
  python3 -c '
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(64)
print(s.getsockname()[1], flush=True)
held = []
while True:
    c, _ = s.accept(); held.append(c)
    c.sendall(b"HELLO, NOT A BROKER\r\n")
' >"$tmp/port" &
  lpid=$!
  for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
  port=$(cat "$tmp/port")
  for scheme in redis nats; do
    if expect 2 "$TACH" suite bus --quick --sizes 16 --store "$tmp/u.db" --url "$scheme://127.0.0.1:$port"; then
      err_line "^tach suite: --url: 127\.0\.0\.1:$port does not answer as a $scheme broker: "
      check "--url at a non-$scheme listener: nothing measured, nothing recorded" \
        test ! -s "$tmp/out" -a ! -e "$tmp/u.db"
    fi
  done
  kill "$lpid"
  wait "$lpid" 2>/dev/null
fi
refused "--patterns: 'many' is not one" --patterns many
refused "--sizes: '128k' is not a size from 16 to 65536 bytes" --sizes 128k
# the example is sizes the bus takes (it offered 1MiB, which it refuses)
refused "--sizes: '8' is not a size from 16 to 65536 bytes, expected e.g. 16,1k,64KiB" --sizes 8
check "the --sizes example holds no size the bus refuses" bash -c "! grep -q 1MiB '$tmp/err'"
refused "--slo: 'fast' is not an SLO" --slo fast
# a bound out of range or a percentile outside (0, 100] says which (all were "not an SLO")
refused "--slo: 'p99<1e300s': the bound is too large, expected a duration of at most 1000000000 s" --slo 'p99<1e300s'
refused "--slo: 'p99<2e9s': the bound is too large" --slo 'p99<2e9s'
refused "--slo: 'p99<0ms': nothing measures below 0, so no rate could meet it" --slo 'p99<0ms'
refused "--slo: 'p99<-1ms': nothing measures below 0" --slo 'p99<-1ms'
refused "--slo: 'p101<1ms': the percentile is not in (0, 100]" --slo 'p101<1ms'
refused "--slo: 'p0<1ms': the percentile is not in (0, 100]" --slo 'p0<1ms'
# a number out of range is too small or too large (all four were "not a rate")
refused "--rate: '0' is too small, expected messages per second from 1 to 1e8" --rate 0
refused "--rate: '0.5' is too small" --rate 0.5
refused "--rate: '1e-400' is too small" --rate 1e-400
refused "--rate: '2e8' is too large" --rate 2e8
refused "--rate: '1e400' is too large" --rate 1e400
refused "--rate: 'fast' is not a rate" --rate fast
refused "--rate: '1e400x' is not a rate" --rate 1e400x
# the range the refusals name is the one --help states
expect 0 "$TACH" suite --help && out_has '^  --rate N +open-loop messages per second, from 1 to 1e8 ' \
  && ok "--help states --rate's range, 1 to 1e8"
# request-reply alone has no open-loop row: --rate and --slo ran nothing at a rate, exit 0
refused "--rate '100': --patterns reqrep has no open-loop row to run at it" --patterns reqrep --rate 100
refused "--slo 'p99<1ms': --patterns reqrep has no open-loop row" --patterns REQREP --slo 'p99<1ms'
refused "--rate: '0' is too small" --patterns reqrep --rate 0
refused "--transports: 'shm' is not one" --transports shm
refused "--messages: " --messages 1
finish
