#!/usr/bin/env bash
# ab_commands.sh - `tach ab` on two commands of controlled cost (bench/ab/madd.c: N
# dependent multiply-adds, compiled here with cc).  The differences are made large (3x)
# so that the verdicts cannot flake on a busy 2-core machine; the 3% figures belong to
# bench/ab/run.sh.  Checks: a 3x slowdown is "regressed" with exit 1 and stops early; the
# reverse is "improved" with exit 0; a command against itself never gives a regression
# with a wide --noise; JSON output; the pair order is balanced; bad input exits 2.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
cc -O2 -o "$tmp/madd" "${TACH_SRC:-$(dirname "$0")/../..}/bench/ab/madd.c" || { fail "cc failed"; finish; }
cd "$tmp"

if expect 1 "$TACH" ab --max-time 30 './madd 1000000' './madd 3000000'; then
  out_has '^OLD: \./madd 1000000$'
  out_has '^metric: wall time$'
  out_has 'stopped: decided'
  out_has '^\./madd 3000000 .* \+[0-9.]+% +\[\+[0-9.]+%, \+[0-9.]+%\] +regressed$'
  out_has '^verdict: regressed: NEW is [0-9.]+% slower'
  ok "3x slower: regressed, exit 1, decided before --max-time"
fi
if expect 0 "$TACH" ab --metric cpu --max-time 30 './madd 3000000' './madd 1000000'; then
  out_has '^metric: user \+ system CPU time$'
  out_has '^verdict: improved: NEW is [0-9.]+% faster'
  ok "3x faster: improved, exit 0"
fi
# A against A with a 50% band: a false "regressed" would need the whole CI above +50%.
if expect 0 "$TACH" ab --noise 50 --max-time 10 --format json './madd 1000000' './madd 1000000'; then
  out_jq '.verdict == "no difference" or .verdict == "undecided"'
  out_jq '.kind == "command" and .metric == "wall" and .pairs >= 12 and .looks_done >= 1'
  out_jq '.benchmarks[0].ci_low <= 0.5 and .benchmarks[0].ci_high >= -0.5'
  out_jq '.alpha_per_look * (.looks_planned + 1) - 0.05 | fabs < 1e-12'
  ok "A vs A: no regression, json fields"
fi
# --max-pairs bounds the run; 3 pairs can give no CI at all, so "undecided", exit 0.
if expect 0 "$TACH" ab --min-pairs 3 --max-pairs 3 --format json './madd 100000' './madd 100000'; then
  out_jq '.pairs == 3 and .verdict == "undecided" and .benchmarks[0].ci_low == null and .benchmarks[0].ci_high == null'
  ok "--max-pairs: undecided, exit 0"
fi
if expect 0 "$TACH" ab --min-pairs 3 --max-pairs 3 './madd 100000' './madd 100000'; then
  out_has 'undecided.*give more --max-pairs' && ok "stopped by --max-pairs: the advice names --max-pairs"
fi
# --noise 0: a band of no width holds no CI, so no pairs can give "no difference"; the
# advice said "give more --max-pairs" as if they could.
if expect 0 "$TACH" ab --noise 0 --alpha 1e-9 --min-pairs 3 --max-pairs 6 true true; then
  out_has 'undecided.*with --noise 0 only a difference can be found, never no difference; give --noise PCT' &&
    out_lacks 'band; give more' && ok "--noise 0 undecided: the advice says only a difference can be found"
fi
# The order: each block of two pairs is A B + B A or B A + A B (seeded coin), no warm-up.
if expect 0 "$TACH" ab --noise 1000 --warmup 0 --min-pairs 20 --max-pairs 20 --seed 7 \
     "sh -c 'echo A >> order.log'" "sh -c 'echo B >> order.log'"; then
  order=$(tr -d '\n' < order.log)
  [ ${#order} = 40 ] || fail "expected 40 runs, got ${#order}: $order"
  for ((i = 0; i < 40; i += 4)); do
    blk=${order:i:4}
    [ "$blk" = ABBA ] || [ "$blk" = BAAB ] || fail "block $((i / 4)) is $blk (want ABBA or BAAB): $order"
  done
  [[ $order == *ABBA* && $order == *BAAB* ]] || fail "the coin never changed: $order"
  rm -f order.log
  expect 0 "$TACH" ab --noise 1000 --warmup 0 --min-pairs 20 --max-pairs 20 --seed 7 \
     "sh -c 'echo A >> order.log'" "sh -c 'echo B >> order.log'"
  [ "$(tr -d '\n' < order.log)" = "$order" ] || fail "the same seed gave another order"
  ok "pairs alternate in shuffled balanced blocks, reproducible by --seed"
fi

# ---- bad input: exit 2, the bad value named --------------------------------------
expect 2 "$TACH" ab './madd 1' && err_has "needs two" && ok "one command"
expect 2 "$TACH" ab --bogus './madd 1' './madd 2' && err_has "unknown option '--bogus' (see 'tach ab --help')" && ok "unknown option named"
expect 2 "$TACH" ab './madd 1' './madd 2' './madd 3' && err_has "too many arguments" && ok "three commands"
expect 2 "$TACH" ab 'no-such-command-x 1' './madd 1' && err_has "no-such-command-x" && ok "command not found"
# refused before the probe starts a one-word OLD or NEW (WORD --tach-probe)
printf '#!/bin/sh\necho ran >> %s/ab-ran.log\n' "$tmp" >abmark.sh && chmod +x abmark.sh
expect 2 "$TACH" ab --metric peak-rss ./abmark.sh ./abmark.sh && err_has "'peak-rss' is not one of the choices" &&
  [ ! -e ab-ran.log ] && ok "--metric peak-rss: refused before OLD or NEW is started" || fail "--metric peak-rss: refused before OLD or NEW is started"
# a --filter that is no regular expression: said so, naming it, before anything runs (the
# binaries' workers refused it: "the OLD binary refused its arguments", no reason given)
expect 2 "$TACH" ab --filter '(' ./abmark.sh ./abmark.sh && err_line "^tach ab: invalid value '\(' for --filter: " &&
  [ ! -e ab-ran.log ] && ok "--filter '(': refused naming it, nothing run" || fail "--filter '(': refused naming it, nothing run"
expect 2 "$TACH" ab --filter '(' "$TACH_BUILD/tests/fixture_ab_cost" "$TACH_BUILD/tests/fixture_ab_cost" &&
  err_line "^tach ab: invalid value '\(' for --filter: " && ok "--filter '(' with two binaries: refused naming it"
# the choices listed are the ones ab takes (peak-rss was listed, then refused)
expect 2 "$TACH" ab --metric bogus ./abmark.sh ./abmark.sh &&
  err_has "expected wall, cpu, instructions, cycles-est or allocs" && ok "--metric bogus lists only what ab takes"
# a count is exact, one pair decides: the sequential test's and the pairs' timing options
# would do nothing (refused before anything runs, under the spelling given)
for o in '--alpha 0.01' '--total-time 5' '--max-time 5' '--min-pairs 5' '--max-pairs 50' '--warmup-pairs 2' \
  '-w 2' '--warmup 2' '--worker-time 1' '--seed 7'; do
  name=${o%% *}
  [ "$name" = -w ] && name=--warmup-pairs
  # shellcheck disable=SC2086
  expect 2 "$TACH" ab --metric instructions $o ./abmark.sh ./abmark.sh &&
    err_has "tach ab: $name does nothing with --metric instructions: a count is exact" &&
    [ ! -e ab-ran.log ] && ok "ab --metric instructions $o: refused, nothing run" || fail "ab --metric instructions $o: refused, nothing run"
done
expect 2 "$TACH" ab --metric cycles-est --seed 3 ./abmark.sh ./abmark.sh && err_has "with --metric cycles-est" &&
  ok "... and with --metric cycles-est"
expect 1 "$TACH" ab --max-time 5 './madd 1' 'false' && err_has "NEW command exited with status 1" && ok "a failing command: exit 1 (as tach run)"
# --format json when a command fails: exit 1 still, and the CI's artifact says which side,
# how, and what was measured before (it was empty).  NEW's 6th run fails: the warm-up
# pair is its 1st, so 4 pairs were recorded.
if expect 1 "$TACH" ab --format json --max-pairs 50 true \
     "sh -c 'n=\$(cat count 2>/dev/null || echo 0); echo \$((n + 1)) > count; [ \$n -lt 5 ]'"; then
  out_jq '.verdict == "failed" and .stopped == "NEW failed" and .pairs == 4'
  out_jq '.error == {side: "NEW", what: "failed", exit_status: 1, signal: null, message: .error.message}'
  out_jq '.error.message | startswith("the NEW command exited with status 1: sh -c")'
  out_jq '.benchmarks[0].pairs == 4 and .benchmarks[0].old_median_ns > 0'
  err_has "NEW command exited with status 1" && ok "--format json, a command fails: a document saying so, exit 1"
fi
rm -f count
if expect 1 "$TACH" ab --format json --max-pairs 5 "sh -c 'kill -ABRT \$\$'" true; then
  out_jq '.verdict == "crashed" and .pairs == 0 and .benchmarks == []'
  out_jq '.error.side == "OLD" and .error.what == "crashed" and .error.signal == "SIGABRT" and .error.exit_status == null'
  ok "--format json, a command crashes: the side and the signal"
fi
if expect 1 "$TACH" ab --format json --timeout 0.2 --max-pairs 5 true 'sleep 5'; then
  out_jq '.verdict == "timed out" and .error.side == "NEW" and .error.what == "timed out"'
  ok "--format json, a command times out: said so"
fi
expect 1 "$TACH" ab --max-time 5 './madd 1' './madd x' && err_has "NEW command exited with status 2" && ok "bad arguments to the command: it fails, exit 1"
expect 2 "$TACH" ab --max-time 5 './madd 1' './no-such-program' && err_has "no-such-program" && ok "a command that cannot start: exit 2"
# A command that fails under Valgrind (--metric instructions) failed, exit 1 as in the timed
# pairs and as --help says (it was 2, bad usage).
if command -v valgrind >/dev/null && [ "${TACH_TEST_SANITIZE:-OFF}" != ON ]; then
  expect 1 "$TACH" ab --metric instructions true false &&
    err_has "the NEW command under Valgrind: exited with code 1: false" && out_lacks . &&
    ok "--metric instructions, a failing command: exit 1"
  # --format json wrote nothing when a side failed; the document says so, as the timed one
  if expect 1 "$TACH" ab --metric instructions --format json true false; then
    out_jq '.verdict == "failed" and .stopped == "NEW failed" and .pairs == 0 and .benchmarks == []
            and .error == {"side": "NEW", "what": "failed", "exit_status": 1, "signal": null,
                           "message": "the NEW command under Valgrind: exited with code 1: false"}' &&
      ok "--metric instructions --format json, a failing command: the document says so"
  fi
  if expect 1 "$TACH" ab --metric instructions --format json "sh -c 'kill -ABRT \$\$'" true; then
    out_jq '.verdict == "crashed" and .stopped == "OLD crashed" and .error.what == "crashed"
            and .error.signal == "SIGABRT" and .error.exit_status == null' &&
      ok "--metric instructions --format json, a crashing command: the signal named"
  fi
  # A command timed out under Valgrind was 'the OLD command the run under Valgrind
  # exceeded the timeout of 1 s and was killed: sleep 30'.
  expect 1 "$TACH" ab --metric instructions --timeout 1 'sleep 30' true &&
    err_line '^tach ab: the OLD command timed out after 1 s under Valgrind: sleep 30$' &&
    ok "--metric instructions: a command timed out is said so, as in the timed pairs"
  # A password in a command was shown as typed in the counted table, JSON and messages
  # (the timed ones show it as ***, as tach run does).
  sec='echo http://u:secret@h/x'
  if expect 0 "$TACH" ab --metric instructions "$sec" "$sec"; then
    out_has '^OLD: echo http://u:\*\*\*@h/x$' && out_has '^echo http://u:\*\*\*@h/x ' && out_lacks secret &&
      ok "--metric instructions: the table shows a command's password as ***"
  fi
  expect 0 "$TACH" ab --metric instructions --format json "$sec" "$sec" &&
    out_jq '.old == "echo http://u:***@h/x" and .benchmarks[0].name == .old' && out_lacks secret &&
    ok "--metric instructions --format json: the password as *** in old, new and the row"
  expect 1 "$TACH" ab --metric instructions "$sec" 'sh -c "exit 3" http://u:secret@h/x' &&
    err_has 'exited with code 3: sh -c "exit 3" http://u:***@h/x' && ! grep -q secret err &&
    ok "--metric instructions: a failing command's message shows its password as ***"
else
  echo "skip: --metric instructions with a failing command: no valgrind (or a sanitizer build)"
fi
# The OLD and NEW lines printed the commands raw: a newline in one began a line of its own
# (here a false verdict line), an escape sequence or a C1 control reached the terminal.
# They are shown as tach shows names: each control as spaces.  (NEW is the faster: exit 0.)
if expect 0 "$TACH" ab --max-time 0.3 $'sh -c "sleep 0.02"\nverdict: regressed' $'true \e[2J\xc2\x9b\a'; then
  out_has '^OLD: sh -c "sleep 0\.02" verdict: regressed$'
  out_has '^NEW: true  \[2J   $' # ESC, the 2 bytes of CSI and BEL as spaces
  out_lacks '^verdict: regressed'
  check "OLD and NEW: no raw control character (C0 but newline, DEL, C1) in stdout" \
    bash -c "! LC_ALL=C grep -qP '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' '$tmp/out'"
fi
# A Valgrind that cannot start its callgrind tool (here a fake one on PATH, saying what a
# valgrind without the tool says) made OLD a command that failed under it, exit 1: it is a
# setup problem, said before anything runs, exit 2.  The fake one logs each start.
mkdir -p "$tmp/vgbin"
printf '#!/bin/sh
echo "$*" >> %s/vg.log
echo "valgrind: failed to start tool '"'"'callgrind'"'"' for platform '"'"'amd64-linux'"'"': No such file or directory" >&2
exit 1
' \
  "$tmp" >"$tmp/vgbin/valgrind"
chmod +x "$tmp/vgbin/valgrind"
for m in instructions cycles-est; do
  rm -f vg.log ab-ran.log
  PATH="$tmp/vgbin:$PATH" expect 2 "$TACH" ab --metric $m ./abmark.sh ./abmark.sh &&
    err_line "^tach ab: --metric $m needs Valgrind's callgrind tool, which $tmp/vgbin/valgrind cannot start: valgrind: failed to start tool 'callgrind' for platform 'amd64-linux': No such file or directory \(exited with code 1\); check its installation \(Debian package: valgrind\)$" &&
    out_lacks . && ok "--metric $m, Valgrind cannot start its tool: exit 2, one line naming it"
  check "--metric $m: valgrind started once, to ask for --version; OLD and NEW never" \
    bash -c "[ \"\$(cat vg.log)\" = '--tool=callgrind --version' ] && [ ! -e ab-ran.log ]"
done
# The same with the real one (when installed) and a VALGRIND_LIB without its tools.
if command -v valgrind >/dev/null; then
  VALGRIND_LIB="$tmp/no-such-dir" expect 2 "$TACH" ab --metric instructions ./abmark.sh ./abmark.sh &&
    err_has "which $(command -v valgrind) cannot start: valgrind: failed to start tool 'callgrind'" &&
    [ ! -e ab-ran.log ] && ok "--metric instructions, VALGRIND_LIB without the tool: exit 2, nothing run" ||
    fail "--metric instructions, VALGRIND_LIB without the tool: exit 2, nothing run"
else
  echo "skip: --metric instructions with VALGRIND_LIB without its tools: no valgrind"
fi
expect 2 "$TACH" ab --noise abc './madd 1' './madd 1' && err_has "'abc'" && ok "bad --noise"
expect 2 "$TACH" ab --max-time -1 './madd 1' './madd 1' && err_has "'-1'" && ok "bad --max-time"
expect 2 "$TACH" ab --metric cycles './madd 1' './madd 1' && err_has "'cycles'" && ok "bad --metric"
expect 2 "$TACH" ab --min-pairs 50 --max-pairs 20 './madd 1' './madd 1' && err_has "--min-pairs" && ok "min > max pairs"
# one given alone moves the other's default: --max-pairs 5 alone was refused for the
# default --min-pairs 10 the user never gave
if expect 0 "$TACH" ab --max-pairs 5 --format json './madd 1' './madd 1'; then
  out_jq '.pairs <= 5' && ok "--max-pairs 5 alone: at most 5 pairs"
fi
expect 2 "$TACH" ab './madd "1' './madd 1' && err_has "OLD" && ok "unterminated quote"
expect 2 "$TACH" ab --filter x './madd 1' './madd 1' && err_has "binaries only" && ok "--filter needs binaries"
# --worker-time (a binary's workers') is refused for commands, not ignored: nothing run
expect 2 "$TACH" ab --worker-time 0.1 './madd 1' './madd 1' &&
  err_line '^tach ab: --worker-time applies to benchmark binaries, not to commands' && out_lacks . &&
  ok "--worker-time with commands"
expect 2 "$TACH" ab --worker-time 0.1 true true &&
  err_has "a one-word OLD or NEW that does not answer --tach-probe is timed as a command" &&
  ok "--worker-time with one-word commands says why they are commands"
expect 0 "$TACH" ab --help && out_has '^usage: tach ab' && ok "--help"
# A run that ends before --min-pairs tests nothing, and says so (not "0 looks at alpha 0").
if expect 0 "$TACH" ab --max-time 0.01 'sleep 0.05' 'true'; then
  out_has '^1 pair in .*; no look \(the first comes at --min-pairs 10\)$' && out_has ' undecided$' \
    && ok "a run shorter than --min-pairs: no look, undecided"
fi
expect 0 "$TACH" ab --format json --max-time 0.01 'sleep 0.05' 'true' \
  && out_jq '.pairs == 1 and .looks_done == 0 and .alpha_per_look == null and .verdict == "undecided"' \
  && ok "... in JSON: alpha_per_look null"
# a seed above 2^63-1 is a decimal string, as every document writes it (it was a JSON
# integer wrapped negative: "seed": -1 for 18446744073709551615, which --seed refuses)
expect 0 "$TACH" ab --format json --min-pairs 3 --max-pairs 3 --seed 18446744073709551615 true true \
  && out_jq '.seed == "18446744073709551615"' && ok "--seed 2^64-1: the string \"18446744073709551615\""
expect 0 "$TACH" ab --format json --min-pairs 3 --max-pairs 3 --seed 42 true true \
  && out_jq '.seed == 42' && ok "--seed 42: the integer 42"
finish
