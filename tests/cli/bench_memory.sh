#!/usr/bin/env bash
# bench_memory.sh - --memory on a benchmark binary (docs/memory.md), against both the
# static (fixture_memory) and the shared library (fixture_memory_shared), with
# tests/fixtures/memory.c, whose heap activity per iteration is known exactly:
#   alloc_free      3 blocks of 100 bytes, freed: 3 allocs, 300 bytes, peak 300, growth 0
#   every_allocator malloc(100), calloc(2,50), realloc to 200, posix_memalign(64,100),
#                   aligned_alloc(64,128), memalign(64,100), all freed: 6 allocs, 728
#                   bytes; peak 100+100 -> 300 after realloc, +100+128+100 = 628
#   libc_strdup     strdup("hello"): glibc's own malloc call, 1 alloc of 6 bytes
#   keep_one        keeps one block of 48 bytes: growth 48 per iteration, a leak
#   nothing         zeros
#   outside_region  .setup and the body before/after tach_loop allocate (not counted);
#                   the region 1 block of 64 bytes, freed: 1 alloc, 64 bytes, peak 64
#   batched_setup   tach_batched: the untimed setup allocates (not counted), the routine
#                   1 block of 24 bytes, freed: 1 alloc, 24 bytes, peak 24
#   other_thread    a helper thread allocates 40 bytes per iteration while the region
#                   runs: 1 alloc, 40 bytes, peak 40 (every thread counts)
# (the reference values are the fixture's own arithmetic, written beside each case);
# a thread sweep (--threads 1,2) counts all N threads: alloc_free 3 then 6 allocs.
# The leak is flagged in the JSON, the table and the gbench output; memory targets fail
# the gate.  Under AddressSanitizer (which owns the allocator) the exact counts are
# skipped with the reason printed, and the document must say why it has none.
source "$(dirname "$0")/lib.bash"
quick=(--max-time 0.05 --warmup 0.005 --sample-time 0.0002 --min-samples 4 --rounds 2 --quiet)

asan=0
if [ "${TACH_TEST_SANITIZE:-OFF}" = ON ]; then asan=1; fi

for variant in memory memory_shared; do
    BIN="$TACH_BUILD/tests/fixture_$variant"
    D="$tmp/$variant.json"
    expect 0 "$BIN" "${quick[@]}" --memory --format json --out "$D" || continue
    if [ "$variant" = memory_shared ]; then
        check "$variant: links libtach.so" bash -c "ldd '$BIN' | grep -q 'libtach\\.so'"
    fi
    check "$variant: every benchmark has a memory block with peak RSS" jqt \
        'all(.benchmarks[]; .memory and .memory.peak_rss_bytes > 0)' "$D"
    if [ $asan = 1 ]; then
        echo "skip: exact heap counts under AddressSanitizer (memory counting unavailable under ASan)"
        check "$variant: ASan: the reason, and no counts" jqt \
            'all(.benchmarks[]; (.memory.unavailable | test("unavailable under ASan"))
                 and (.memory | has("allocs_per_iter") | not))' "$D"
        continue
    fi
    m() { jq -c --arg n "$1" '.benchmarks[] | select(.name == $n) | .memory
        | [.allocs_per_iter, .bytes_per_iter, .peak_bytes, .net_growth_per_iter, .leak, .method]' "$D"; }
    check "$variant: alloc_free: 3 allocs, 300 bytes, peak 300, no growth" \
        test "$(m alloc_free/k=3/s=100)" = '[3,300,300,0,false,"interpose"]'
    check "$variant: every allocator counted: 6 allocs, 728 bytes, peak 628" \
        test "$(m every_allocator)" = '[6,728,628,0,false,"interpose"]'
    check "$variant: glibc's own strdup counted: 1 alloc of 6 bytes" \
        test "$(m libc_strdup)" = '[1,6,6,0,false,"interpose"]'
    check "$variant: keep_one: growth 48 per iteration, a leak" \
        jqt '.benchmarks[] | select(.name == "keep_one") | .memory
             | .allocs_per_iter == 1 and .bytes_per_iter == 48 and .net_growth_per_iter == 48
               and .leak == true and .peak_bytes >= 48' "$D"
    check "$variant: nothing: zeros" test "$(m nothing)" = '[0,0,0,0,false,"interpose"]'
    check "$variant: setup and preparation outside the region not counted" \
        test "$(m outside_region)" = '[1,64,64,0,false,"interpose"]'
    check "$variant: tach_batched's setup not counted" \
        test "$(m batched_setup)" = '[1,24,24,0,false,"interpose"]'
    check "$variant: another thread's allocations in the region counted" \
        test "$(m other_thread)" = '[1,40,40,0,false,"interpose"]'
    check "$variant: each round's counting pass ran 16 + 32 iterations (2 rounds: 96)" jqt \
        '.benchmarks[] | select(.name == "nothing") | .memory.iterations == 96' "$D"
done

F="$TACH_BUILD/tests/fixture_memory"

# Without --memory: no memory block, except where the definition asks (.memory = true).
expect 0 "$F" "${quick[@]}" --format json --filter 'nothing|over_budget'
out_jq '.benchmarks[] | select(.name == "nothing") | has("memory") | not'
out_jq '.benchmarks[] | select(.name == "over_budget") | .memory.peak_rss_bytes > 0'

if [ $asan = 0 ]; then
    # A thread sweep's memory pass runs the body in its N threads, as the timed samples
    # do, and counts them all: per iteration is the N threads' total, 3 allocs and 300
    # bytes per thread (it ran one thread: 3 and 300 at every N).
    expect 0 "$F" "${quick[@]}" --memory --threads 1,2 --format json --filter alloc_free
    out_jq '[.benchmarks[] | .memory | [.allocs_per_iter, .bytes_per_iter]] == [[3, 300], [6, 600]]'

    # The leak in every output: the table's status, gbench's net_heap_growth.
    expect 0 "$F" "${quick[@]}" --memory --filter 'keep_one|nothing'
    out_has '^keep_one .*LEAK \+48 B/iter'
    out_lacks '^nothing .*LEAK'
    out_has 'allocs/iter +bytes/iter +peak'
    expect 0 "$F" "${quick[@]}" --memory --format gbench --filter 'keep_one|alloc_free'
    out_jq '[.benchmarks[] | select(.run_type == "iteration" and .name == "alloc_free/k=3/s=100")]
            | all(.allocs_per_iter == 3 and .max_bytes_used == 300 and .net_heap_growth == 0
                  and .memory_iterations >= 1 and .memory_iterations <= 16
                  and .total_allocated_bytes == 300 * .memory_iterations)'
    # Peak and totals over one same run (Google Benchmark's memory run): a block kept per
    # iteration peaks at what the run allocated in all.
    out_jq '[.benchmarks[] | select(.run_type == "iteration" and .name == "keep_one")]
            | all(.net_heap_growth > 0 and .allocs_per_iter == 1
                  and .max_bytes_used == .total_allocated_bytes
                  and .total_allocated_bytes == 48 * .memory_iterations)'
    # Google Benchmark's keys read back on import: the same per-iteration figures.
    cp "$tmp/out" "$tmp/gb.json"
    expect 0 "$TACH" import "$tmp/gb.json"
    out_jq '.benchmarks[] | select(.name == "alloc_free/k=3/s=100") | .memory
            | .allocs_per_iter == 3 and .bytes_per_iter == 300 and .peak_bytes == 300'
    out_jq '.benchmarks[] | select(.name == "keep_one") | .memory.leak == true'

    # A call that fails is a call and allocates nothing: malloc, realloc, calloc and
    # reallocarray returning NULL and posix_memalign's ENOMEM alike (posix_memalign's and
    # reallocarray's were not counted, and the sizes failed calls asked for summed past
    # 2^64 into a wrapped bytes/iter).
    expect 0 "$TACH_BUILD/tests/fixture_memory_failed" "${quick[@]}" --memory --format json
    out_jq '.benchmarks[] | select(.name == "failed_calls") | .memory
            | .allocs_per_iter == 6 and .bytes_per_iter == 10 and .peak_bytes == 10
              and .net_growth_per_iter == 0'

    # ... in the reports (Markdown, HTML) and in tach history (table and JSON).
    "$F" "${quick[@]}" --memory --format json --filter 'keep_one|alloc_free' --out "$tmp/leak.json"
    expect 0 "$TACH" report "$tmp/leak.json" --format markdown -o "$tmp/leak.md"
    check "Markdown report: the memory table flags the leak" \
        grep -qE '^\| `keep_one` \| 1 \| 48 B \| .* \| 48 B \| .* \| \*\*LEAK\*\* \|' "$tmp/leak.md"
    check "Markdown report: alloc_free's row, no leak" \
        grep -qE '^\| `alloc_free/k=3/s=100` \| 3 \| 300 B \| 300 B \| 0 B \| .* \| no \|' "$tmp/leak.md"
    expect 0 "$TACH" report "$tmp/leak.json" --format html -o "$tmp/leak.html"
    check "HTML report: the memory section flags the leak" \
        bash -c "tr -d '\\n' <'$tmp/leak.html' | grep -q '<section id=\"memory\">.*<span class=\"tag t-missed\">LEAK</span>'"
    expect 0 "$TACH" convert "$tmp/leak.json" --to csv -o "$tmp/leak.csv"
    check "CSV: memory_leak true for keep_one, false for alloc_free" python3 -c '
import csv, sys
rows = {r["name"]: r["memory_leak"] for r in csv.DictReader(open(sys.argv[1]))}
assert rows == {"keep_one": "true", "alloc_free/k=3/s=100": "false"}, rows' "$tmp/leak.csv"
    expect 0 "$TACH" record "$tmp/leak.json" --store "$tmp/h.db"
    expect 0 "$TACH" history --store "$tmp/h.db"
    out_has '^  keep_one +1 allocs/iter, 48 B/iter, peak .*, growth 48 B/iter, peak RSS .*  LEAK$'
    out_has '^  alloc_free/k=3/s=100 3 allocs/iter, 300 B/iter, peak 300 B, growth 0 B/iter'
    # a binary's peak RSS is one value per run: a point of it is of 1 sample, not of the
    # run's timed samples (it said their count)
    expect 0 "$TACH" history --store "$tmp/h.db" --metric peak-rss --format json
    out_jq '[.benchmarks[].points[] | .samples] | length > 0 and all(. == 1)' &&
      ok "history --metric peak-rss: a binary's point is one value"
    # the header names no unit the cells are not in: it said 'peak-rss (KiB)' above cells
    # shown as sizes (11.2 MiB); the JSON says its points' unit
    expect 0 "$TACH" history --store "$tmp/h.db" --metric peak-rss
    out_has '^metric: peak-rss \(peak resident set size\)$' && out_lacks 'KiB\)' &&
      out_has '^keep_one +1 +[0-9.]+ [KMG]?i?B ' && ok "history --metric peak-rss: the header's unit is the cells'"
    expect 0 "$TACH" history --store "$tmp/h.db" --metric peak-rss --format json
    out_jq '.metric == "peak-rss" and .unit == "KiB"' && ok "... the JSON names its unit, KiB"
    # a count of 1000 and more as the table shows it, 1.5k (it read 1.5e+03)
    jq '(.benchmarks[] | select(.name == "alloc_free/k=3/s=100") | .memory.allocs_per_iter) = 1500' \
      "$tmp/leak.json" >"$tmp/many.json"
    expect 0 "$TACH" record "$tmp/many.json" --store "$tmp/many.db"
    expect 0 "$TACH" history --store "$tmp/many.db"
    out_has '^  alloc_free/k=3/s=100 1\.5k allocs/iter, 300 B/iter' && out_lacks 'e\+0' &&
      ok "history: 1500 allocs/iter shown as 1.5k"
    expect 0 "$TACH" history --store "$tmp/h.db" --format json
    out_jq '.benchmarks[] | select(.name == "keep_one") | .points[0]
            | .allocs_per_iter == 1 and .net_growth_per_iter == 48 and .leak == true and .peak_rss_bytes > 0'

    # Targets on allocations fail the gate (over_budget: 1 x 100 bytes against 0.5, 50, 10).
    "$F" "${quick[@]}" --format json --filter over_budget --out "$tmp/ob1.json"
    expect 1 "$TACH" gate "$tmp/ob1.json" "$tmp/ob1.json"
    out_has 'over_budget: max_allocs_per_iter 0.5, measured 1'
    out_has 'over_budget: max_bytes_per_iter 50 B, measured 100 B'
    out_has 'over_budget: max_peak_bytes 10 B, measured 100 B'
    err_has '3 targets missed'
    # ... and so do the configuration's, a peak RSS one included; met targets pass.
    mkdir -p "$tmp/cfg"
    printf '[bench "over_budget"]\nmax_allocs_per_iter = 2\nmax_bytes_per_iter = 1KiB\nmax_peak_bytes = 1000\n' \
        >"$tmp/cfg/ok"
    jq '.benchmarks[0].targets = {}' "$tmp/ob1.json" >"$tmp/ob1n.json"
    expect 0 "$TACH" gate "$tmp/ob1n.json" "$tmp/ob1n.json" --config "$tmp/cfg/ok"
    printf '[bench "over_budget"]\nmax_rss = 1KiB\n' >"$tmp/cfg/rss"
    expect 1 "$TACH" gate "$tmp/ob1n.json" "$tmp/ob1n.json" --config "$tmp/cfg/rss"
    out_has 'over_budget: max_rss_bytes 1.00 KiB, measured [0-9.]+ [KMG]iB'

    # --metric chooses what is compared, not which targets hold: under every metric the
    # run has, the code's targets and the config's (a time one too) are checked against
    # what it measured, as without --metric.  (The projection onto the metric dropped
    # them: gate --metric allocs passed with "no target missed", and the report said no
    # benchmark declares a target.)  The time limit is 1 ns, which a malloc and a free do
    # not meet on any machine.
    "$F" "${quick[@]}" --format json --filter over_budget --out "$tmp/ob2.json"
    expect 0 "$TACH" record "$tmp/ob1.json" --store "$tmp/t.db"
    expect 0 "$TACH" record "$tmp/ob2.json" --store "$tmp/t.db"
    printf '[bench "over_budget"]\nmax_median_ns = 1\n' >"$tmp/cfg/time"
    tgate() { "$TACH" gate --store "$tmp/t.db" --config "$tmp/cfg/time" "$@"; }
    for m in wall allocs peak-rss; do
      if expect 1 tgate --metric "$m" 1 2; then
        out_has 'over_budget: max_allocs_per_iter 0.5, measured 1$'
        out_has 'over_budget: max_peak_bytes 10 B, measured 100 B'
        out_has 'over_budget: max_median_ns 1 ns, measured [0-9.]+ (n|µ|m)?s'
        err_has '4 targets missed'
        ok "gate --metric $m: the same 4 targets missed, the config's time target too (exit 1)"
      fi
    done
    for m in cpu instructions cycles-est; do
      expect 2 tgate --metric "$m" 1 2 && err_has "has no $m values" && ok "gate --metric $m: no such values, exit 2"
    done
    if expect 1 tgate --metric allocs --format json 1 2; then
      out_jq '.gate_failed == true and .summary.targets_missed == 4'
      out_jq '[.benchmarks[0].targets[] | select(.met == false) | .name] | sort
              == ["max_allocs_per_iter", "max_bytes_per_iter", "max_median_ns", "max_peak_bytes"]'
      ok "gate --metric allocs --format json: gate_failed, the 4 targets missed"
    fi
    for cmp in "" --no-compare; do
      if expect 0 "$TACH" report --store "$tmp/t.db" --config "$tmp/cfg/time" --metric allocs $cmp; then
        out_lacks 'No benchmark declares a target'
        out_has '^\| Targets \| 0 met, 4 missed'
        out_has '^\| `over_budget` \| allocs/iter ≤ \| 0.5 \| 1 \| \*\*MISSED\*\* \|$'
        out_has '^\| `over_budget` \| median ≤ \| 1(\.0+)? ns \| [0-9.]+ (n|µ|m)?s \| \*\*MISSED\*\* \|$'
        ok "report --metric allocs ${cmp:-(against the run before)}: every target listed, missed"
      fi
    done
fi

# Bad input: exit 2 naming the flag and the value; nothing written.
expect 2 "$F" --memory=yes --out "$tmp/never.json"
err_has '--memory'
expect 2 "$F" --counters=cycles,bogus --out "$tmp/never.json"
err_line "--counters: 'bogus' is not a counter \(known: .*page-faults.*\)"
check "nothing written on bad input" test ! -e "$tmp/never.json"
expect 0 "$F" --help
out_has '^  --memory '
out_has '^  --counters\[=LIST\]'

# A benchmark whose heap could not be counted (ASan, a counting process that crashed)
# keeps its peak RSS in tach history's memory lines, with why (it had no line at all).
mkdoc "$tmp/timed.json" x/y:steady:5:100
jq '.benchmarks[0].memory = {peak_rss_bytes: 3145728, method: null,
      unavailable: "memory counting unavailable under ASan (it owns the allocator)"}' \
  "$tmp/timed.json" >"$tmp/uncounted.json"
expect 0 "$TACH" record "$tmp/uncounted.json" --store "$tmp/u.db"
expect 0 "$TACH" history --store "$tmp/u.db" &&
  out_has '^  x/y +peak RSS 3\.00 MiB \(heap not counted: memory counting unavailable under ASan \(it owns the allocator\)\)$' &&
  ok "history: a benchmark whose heap was not counted: its peak RSS and why"

finish
