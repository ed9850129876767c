#!/usr/bin/env bash
# run_counters.sh - `tach run --counters` on commands (docs/counters.md): the counters
# of the whole process and of the processes it starts, per run; and the peak-RSS
# target (max_rss in .tach/config) failing the gate for a command.  awk doubling a
# string to 8 MiB writes 2048 fresh pages of it (8 MiB / 4 KiB) from user space, so its
# runs fault at least 2048 times, even from inside a shell (the counters are inherited);
# awk printing 1 far fewer (about 150 here).
source "$(dirname "$0")/lib.bash"
cd "$tmp" || exit 1

probe_ok() { "$TACH" run --no-store --runs 1 --style none --counters=page-faults --export-json p.json -- /bin/true \
    && jq -e '.benchmarks[0].counters_hw.events["page-faults"]' p.json >/dev/null; }
if ! probe_ok; then
    echo "skip: perf_event_open gives no page-faults counter here"
    exit 77
fi

big="awk 'BEGIN{s=\"x\"; for(i=0;i<23;i++) s=s s; print length(s)}'"
small="awk 'BEGIN{print 1}'"
expect 0 "$TACH" run --no-store --runs 3 --style none --counters --export-json c.json -- sh -c "$big" || true
check "inherited by the shell's child: >= 2048 page faults per run" \
    jqt '.benchmarks[0].counters_hw.events["page-faults"].per_iter >= 2048' c.json
check "task-clock per run present" jqt '.benchmarks[0].counters_hw.events["task-clock"].per_iter > 0' c.json
check "every counter measured or absent with a reason" jqt \
    '.benchmarks[0].counters_hw | ((.events | keys) + (.unavailable | keys) | length) == 10
     and all(.unavailable[]; length > 10)' c.json
check "the environment records the counters" jqt '.context.counters.available | index("page-faults") != null' c.json

# the reports' "Memory and CPU counters" section says a command's counters are per run of
# the whole process, not "per iteration; memory from a counting pass" (what it said of
# every run); a benchmark binary's stay per iteration, the memory pass named with --memory
for fmt in markdown html; do
  expect 0 "$TACH" report c.json --format $fmt
  out_has 'Per run, of the whole process and its children; a counter marked \* was scaled' &&
    out_lacks 'Per iteration|counting pass' && ok "report ($fmt): a command's counters are per run"
done
expect 0 "$TACH_BUILD/tests/fixture_memory" --memory --counters=page-faults --filter '^nothing$' --max-time 0.05 \
  --rounds 1 --format json --out mem.json
expect 0 "$TACH" report mem.json --format markdown
if jqt '.benchmarks[0].memory.allocs_per_iter != null' mem.json; then
  out_has '^Per iteration; memory from a counting pass after the timed samples; a counter marked' &&
    ok "report: a benchmark's counters and memory per iteration, from the counting pass"
else # no heap counted (ASan): no counting pass to name
  out_has '^Per iteration; a counter marked' && ok "report: a benchmark's counters per iteration"
fi

expect 0 "$TACH" run --no-store --runs 3 --style none --counters=page-faults -c "$small" -c "$big" \
    --export-json two.json || true
check "each command its own counts: the 8 MiB one faults >= 1500 times more per run" jqt \
    '(.benchmarks[0].counters_hw.events["page-faults"].per_iter + 1500)
     <= .benchmarks[1].counters_hw.events["page-faults"].per_iter' two.json
check "only the asked counter" jqt '.benchmarks[0].counters_hw | (.events | keys) == ["page-faults"] and .unavailable == {}' two.json

expect 2 "$TACH" run --no-store --counters=nope -- /bin/true
err_has "--counters: 'nope' is not a counter"
# a name given twice is refused, as in other lists (it was taken without a word)
expect 2 "$TACH" run --no-store --counters=cycles,page-faults,cycles -- /bin/true
err_has "--counters: 'cycles' is given twice in 'cycles,page-faults,cycles'"

# max_rss for commands: peak RSS of its runs (runs.max_rss_kib); 1 KiB is missed by a
# command whose peak is above tach's own (Linux counts tach's pages in a child's peak, so a
# peak at or below tach's is no measure of the command: /bin/true's 1 KiB is not checked).
mkdir -p cfg
fat="awk 'BEGIN{s=\"x\"; for(i=0;i<25;i++) s=s s; print length(s)}'"
"$TACH" run --no-store --runs 2 --style none --export-json r1.json -c "$fat"
"$TACH" run --no-store --runs 2 --style none --export-json t1.json -- /bin/true
printf '[bench "*"]\nmax_rss = 1KiB\n' >cfg/small
printf '[bench "*"]\nmax_rss = 1GiB\n' >cfg/large
expect 1 "$TACH" gate r1.json r1.json --config cfg/small
out_has 'max_rss_bytes 1.00 KiB, measured [0-9.]+ [KMG]iB'
expect 0 "$TACH" gate r1.json r1.json --config cfg/large
expect 0 "$TACH" gate t1.json t1.json --config cfg/small
out_has "max_rss_bytes 1.00 KiB, not checked: the command's peak RSS was at or below tach's own"
printf '[bench "*"]\nmax_rss = lots\n' >cfg/bad
expect 2 "$TACH" gate r1.json r1.json --config cfg/bad
err_has "bad value 'lots' for max_rss"

# The console shows the counters too (not only --export-json): a table under the results.
if expect 0 "$TACH" run --no-store --runs 2 --style basic --counters=page-faults,cycles -c /bin/true; then
    out_has '^Counters per run \(the whole process and its children\):$'
    out_has '^command +page-faults$'
    out_has '^/bin/true +[0-9.]+$'
    ok "tach run --counters: the counters on the console"
fi
# A command wider than the name column (40) is cut at a character with "…", so that its
# counters stay under their header (they were pushed right by the rest of the name).
long='/bin/true 0123456789 0123456789 0123456789 é'
if expect 0 "$TACH" run --no-store --runs 2 --style basic --counters=page-faults -c /bin/true -c "$long"; then
    out_has '^command {38}page-faults$'
    out_has '^/bin/true {31}  [ 0-9.k]{14}$'
    out_has '^/bin/true 0123456789 0123456789 0123456…  [ 0-9.k]{14}$'
    ok "tach run --counters: a long command cut to the column"
fi
expect 0 "$TACH" run --no-store --runs 2 --style basic -c /bin/true && out_lacks '^Counters per run' \
    && ok "no --counters: no counters table"

finish
