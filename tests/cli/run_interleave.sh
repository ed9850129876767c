#!/usr/bin/env bash
# Several commands run interleaved: every round runs each command once, in an order
# shuffled from --seed (so drift on a busy machine hits each alike), never all of A
# then all of B.  Observed through the commands appending their letter to one file.
# Also the comparison printed for several commands.
source "$(dirname "$0")/lib.bash"
set -o pipefail
private_store

order() { # SEED RUNS: the letters the three commands wrote, in order
  rm -f "$W/order.log"
  "$TACH" run --no-store --style none --runs "$2" --seed "$1" \
    -c "sh -c 'printf A >> $W/order.log'" -c "sh -c 'printf B >> $W/order.log'" \
    -c "sh -c 'printf C >> $W/order.log'" >/dev/null 2>"$W/err"
  rc=$?
  cat "$W/order.log"
}

o1=$(order 1 12)
check "three commands, 12 runs: 36 runs in all" test ${#o1} -eq 36
rounds_ok=true
for ((i = 0; i < 36; i += 3)); do
  blk=${o1:i:3}
  s=$(echo "$blk" | fold -w1 | sort | tr -d '\n')
  [ "$s" = ABC ] || rounds_ok=false
done
check "every block of 3 runs each command exactly once ($o1)" $rounds_ok
check "not all of A, then all of B, then all of C" test "$o1" != "$(printf 'A%.0s' {1..12})$(printf 'B%.0s' {1..12})$(printf 'C%.0s' {1..12})"
distinct=$(for ((i = 0; i < 36; i += 3)); do echo "${o1:i:3}"; done | sort -u | wc -l)
check "the order is shuffled, not the same every round ($distinct different orders of 12)" test "$distinct" -ge 2
o1b=$(order 1 12)
check "the same seed gives the same order" test "$o1" = "$o1b"
o2=$(order 2 12)
check "another seed gives another order ($o2)" test "$o1" != "$o2"

# warm-up rounds are interleaved too
rm -f "$W/order.log"
"$TACH" run --no-store --style none --runs 2 --warmup 2 -c "sh -c 'printf A >> $W/order.log'" \
  -c "sh -c 'printf B >> $W/order.log'" >/dev/null 2>&1
w=$(cat "$W/order.log")
check "warm-up and measured runs: 8 in blocks of AB/BA ($w)" bash -c "[ ${#w} -eq 8 ] && echo '$w' | grep -Eq '^((AB)|(BA)){4}$'"

# ---- the comparison -------------------------------------------------------------------------
trun --runs 10 --style basic --export-json "$W/c.json" -c "sleep 0.002" -c "sleep 0.25"
expect_rc 0 "sleep 0.002 against sleep 0.25"
check "the faster one leads the summary" grep -q "'sleep 0.002' ran" "$W/out"
# 10 runs each, every one of B slower than every one of A: U = 0, and scipy gives
# p = 0.00018267 (scipy.stats.mannwhitneyu(range(10), range(10, 20),
# method="asymptotic", use_continuity=True).pvalue = 0.00018267...); sleep guarantees
# the separation, so the p-value printed is exactly that.
check "X ± Y times faster than the slower one, with the U test's p-value" \
  grep -Eq "[0-9]+\.[0-9]{2} ± [0-9]+\.[0-9]{2} times faster than 'sleep 0.25'  \(Mann-Whitney p = 0.00018\)" "$W/out"
jqc "both results in the document, in the order given" c.json '[.benchmarks[].name] == ["sleep 0.002", "sleep 0.25"]'
jqc "each has 10 samples" c.json '[.benchmarks[].samples.ns | length == 10] | all'
check "10 runs each can show a difference: no note about too few runs" bash -c "! grep -q 'cannot reach' '$W/out'"

# 3 runs each, fully separated (0.6 s apart, so even a loaded machine cannot make them
# overlap): U = 0, mean 4.5, sd sqrt(3*3*7/12) = 2.2913, with the
# continuity correction z = (0 - 4.5 + 0.5) / 2.2913 = -1.7457, p = 2 * Phi(z) = 0.081,
# so "no significant difference" must come with the note that 3 runs cannot show one.
# (A machine stalled for 0.6 s during one short run breaks the separation: then the p-value
# is another, and only its form is checked; the samples say which case this is.)
trun --runs 3 --style basic -c "sleep 0.002" -c "sleep 0.6" --export-json "$W/c3.json"
if jq -e '(.benchmarks[0].samples.ns | max) < (.benchmarks[1].samples.ns | min)' "$W/c3.json" >/dev/null; then
  check "3 runs each: no significant difference at p = 0.081" grep -q "no significant difference .*p = 0.081" "$W/out"
else
  check "3 runs each, not separated on this busy machine: no significant difference, a p-value" \
    grep -Eq "no significant difference .*Mann-Whitney p = 0\.[0-9]+" "$W/out"
fi
grep -q "no significant difference" "$W/out" || sed 's/^/    /' "$W/out" | tail -8
check "and the note that 3 runs cannot show one" grep -q "with 3 and 3 runs the test cannot reach p < 0.05" "$W/out"

finish
