#!/usr/bin/env bash
# load_find_max_interrupt.sh - Ctrl-C during `tach load --find-max-rate`: the search
# stops, and what it kept (the best step that met the objectives) is a partial result,
# in the document (its `partial`, search.interrupted and the rate it stopped at), on the
# summary and in the store, not a search that ended: before, the document said partial
# false and the store kept the highest rate met so far as the search's answer.  The
# objectives ('max<1h', with --max-late 100 keeping every run valid) are met at every
# rate, so the rate only doubles and any moment after step 2 has begun is inside a step;
# the checks are on flags and counts, never on a time.
source "$(dirname "$0")/lib.bash"
private_store
B=$TACH_BUILD/tests/fixture_load_ops

"$TACH" load "$B" safe --threads 1 --rate 10 --max-late 100 --find-max-rate --slo 'max<1h' \
  --max-steps 100 --duration 1 --warmup 0 --export-json r.json --store "$tmp/s.db" >out 2>err &
# signalled once step 2 has begun (step 1 met the objectives)
signal_when INT $! grep -q 'step 2:' err
[ $rc -eq 130 ] && ok "interrupted search: exit 130" || bad "interrupted search: exit $rc, expected 130: $(cat err)"
check "the document is partial, its search interrupted at a rate above the best met" jqt \
  '.partial == true and (.benchmarks[] | select(.name == "overall") | .load.search | .interrupted == true and .interrupted_at_rate > .max_rate and .max_rate >= 10)' r.json
grep -q '^the search was interrupted at step [0-9]* ([0-9.]*/s): ' out \
  && ok "the summary says the search was interrupted" || bad "the summary lacks the interruption: $(cat out)"
check "the store keeps the run as partial" jqt '.partial == true' <("$TACH" report latest --store "$tmp/s.db" --format json 2>/dev/null || echo '{}')

finish
