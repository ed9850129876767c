#!/usr/bin/env bash
# load_find_max_bound.sh - `tach load --find-max-rate` doubles the rate only up to 1e9/s,
# the highest --rate takes: objectives met there end the search, said so on the summary
# and as search.at_bound in the document (it tried 2e9/s, which the benchmark binary
# refused: exit 2 with a message about --ramp).  The in-process fixture cannot hold such
# rates, so --max-late 100 keeps every run valid and 'max<1h' is met by any of them: the
# checks are on the rates tried and the flags, never on a time (each run gets
# `timeout 60`; they take about --duration).
source "$(dirname "$0")/lib.bash"
private_store
B=$TACH_BUILD/tests/fixture_load_ops
common=(safe --max-late 100 --find-max-rate --slo 'max<1h' --duration 0.2 --warmup 0 --no-store
        --export-json r.json)
search='.benchmarks[] | select(.name == "overall") | .load.search'
bound_msg='^the objectives were met at the highest rate taken \(1000000000/s, the bound of --rate\): the search stopped there'

# ---- from the bound itself: one run, not a second at 2e9/s ----
if expect 0 timeout 60 "$TACH" load "$B" --rate 1e9 "${common[@]}" --max-steps 4; then
  out_has "$bound_msg"
  out_has '^max rate meeting the objectives: 1000000000/s \(1 run\)$'
  check "from 1e9/s: one step, at_bound, max_rate 1e9" \
    jqt "$search"' | .at_bound == true and .max_rate == 1e9 and ([.steps[].rate] == [1e9])' r.json
  if grep -q '2000000000' "$tmp/err" "$tmp/out"; then fail "2e9/s tried: $(cat "$tmp/err")"; else ok "2e9/s not tried"; fi
fi

# ---- doubling from below: 3e8, 6e8, then the bound (not 1.2e9) ----
if expect 0 timeout 60 "$TACH" load "$B" --rate 3e8 "${common[@]}" --max-steps 6; then
  out_has "$bound_msg"
  check "from 3e8/s: 3e8, 6e8, 1e9 and stop" \
    jqt "$search"' | .at_bound == true and ([.steps[].rate] == [3e8, 6e8, 1e9])' r.json
fi

# ---- an objective missed below the bound: at_bound false, nothing said of it ----
if expect 1 timeout 60 "$TACH" load "$B" safe --rate 100 --find-max-rate --slo 'rps>=1e12' --duration 0.2 \
     --warmup 0 --no-store --export-json r.json; then :; fi
if [ -s r.json ]; then
  check "a first rate that misses: at_bound false" jqt "$search"' | .at_bound == false and .max_rate == null' r.json
  out_lacks 'the bound of --rate'
else
  fail "the search that missed wrote no r.json"
fi

# ---- a step that misses because it is invalid says so: each step's "invalid", and a
# search whose first rate was invalid says that, not only "no rate met" (its p99 may be
# far below the bound).  A 1 ns --late-bound with none allowed: no wake-up meets it ----
if expect 1 timeout 60 "$TACH" load "$B" noop --rate 100 --threads 1 --find-max-rate --slo 'p99<1h' \
     --duration 0.2 --warmup 0 --late-bound 1ns --max-late 0 --max-steps 3 --no-store --export-json inv.json; then
  out_has '^no rate tried met the objectives \(the lowest: 100/s, an invalid run: the generator could not hold the rate\) \(1 run\)$'
  check "the invalid step is marked so" jqt "$search"' | [.steps[] | [.met, .invalid]] == [[false, true]]' inv.json
fi
# a valid step is marked valid
if expect 0 timeout 60 "$TACH" load "$B" --rate 3e8 "${common[@]}" --max-steps 2; then
  check "valid steps: invalid false" jqt "$search"' | (.steps | length) == 2 and all(.steps[]; .invalid == false)' r.json
fi

finish
