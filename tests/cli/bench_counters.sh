#!/usr/bin/env bash
# bench_counters.sh - --counters on a benchmark binary (docs/counters.md), with
# tests/fixtures/memory.c: the software counters present and plausible (fresh_pages
# touches 16 fresh pages per iteration, so at least 16 page faults per iteration;
# nothing does no work, so its task-clock per iteration is tiny), a hardware counter
# this machine lacks absent with its reason and never 0, the environment saying which
# were available, and --counters=LIST asking only for those (a list given without '='
# says how it is given), and a thread sweep's counts those of all its threads.
source "$(dirname "$0")/lib.bash"
F="$TACH_BUILD/tests/fixture_memory"
quick=(--max-time 0.05 --warmup 0.005 --sample-time 0.0005 --min-samples 4 --rounds 1 --quiet)

# The list is given only with '=': "--counters page-faults" is --counters and a stray
# argument, and the message says how the list was meant (before anything runs).
expect 2 "$F" --counters page-faults --filter nothing \
  && err_line "unexpected argument 'page-faults' \(--counters takes a value only as --counters=page-faults; see --help\)" \
  && out_lacks . && ok "--counters LIST without '=': exit 2, naming --counters=page-faults"

probe=$("$F" "${quick[@]}" --counters=task-clock --filter nothing --format json)
if echo "$probe" | jq -e '.context.counters.unavailable["task-clock"]' >/dev/null; then
    echo "skip: perf_event_open gives no counter here: $(echo "$probe" | jq -r '.context.counters.unavailable["task-clock"]')"
    exit 77
fi

expect 0 "$F" "${quick[@]}" --counters --format json --filter 'fresh_pages|nothing'
cp "$tmp/out" "$tmp/all.json"
D="$tmp/all.json"
check "every asked counter is either measured or absent with a reason, never both" jqt \
    'all(.benchmarks[]; .counters_hw as $h
         | ((($h.events | keys) + ($h.unavailable | keys)) | sort)
           == (["branch-misses","branches","cache-misses","cache-references","context-switches",
                "cpu-migrations","cycles","instructions","page-faults","task-clock"])
         and ((($h.events | keys) - ($h.unavailable | keys)) | length) == ($h.events | keys | length))' "$D"
check "software counters present: task-clock and page-faults" jqt \
    'all(.benchmarks[]; .counters_hw.events["task-clock"] and .counters_hw.events["page-faults"])' "$D"
check "fresh_pages: at least 16 page faults per iteration (it touches 16 fresh pages)" jqt \
    '.benchmarks[] | select(.name == "fresh_pages") | .counters_hw.events["page-faults"].per_iter >= 16' "$D"
check "fresh_pages: task-clock per iteration above 16 page faults' worth of nothing (> 100 ns)" jqt \
    '.benchmarks[] | select(.name == "fresh_pages") | .counters_hw.events["task-clock"].per_iter > 100' "$D"
check "nothing: no page faults, and less task-clock than fresh_pages" jqt \
    '(.benchmarks[] | select(.name == "nothing") | .counters_hw.events) as $n
     | (.benchmarks[] | select(.name == "fresh_pages") | .counters_hw.events) as $f
     | $n["page-faults"].per_iter < 1 and $n["task-clock"].per_iter < $f["task-clock"].per_iter' "$D"
check "absent counters have a reason and are not in events (never 0)" jqt \
    'all(.benchmarks[]; all(.counters_hw.unavailable | to_entries[]; (.value | length) > 10))' "$D"
check "the environment records the available and the absent counters" jqt \
    '(.context.counters.available | index("task-clock")) != null
     and ((.context.counters.available + (.context.counters.unavailable | keys)) | length) == 10' "$D"
if jq -e '.context.counters.unavailable.cycles' "$D" >/dev/null; then
    echo "note: no hardware counters here: $(jq -r '.context.counters.unavailable.cycles' "$D")"
    check "hardware counters absent: no IPC derived, cycles not in events" jqt \
        'all(.benchmarks[]; (.counters_hw.derived.ipc == null) and (.counters_hw.events.cycles == null))' "$D"
    # the table: no cycles column, one note line per reason
    expect 0 "$F" "${quick[@]}" --counters --filter nothing
    out_lacks '^benchmark .* cycles '
    out_has '^counters not available: cycles, instructions, branches, branch-misses, cache-references, cache-misses: '
else
    check "hardware counters present: IPC derived" jqt \
        'all(.benchmarks[]; .counters_hw.derived.ipc > 0)' "$D"
fi

# The report's environment says which counters the machine gave.
expect 0 "$TACH" report "$D" --format markdown -o "$tmp/r.md"
check "report environment: the available counters" grep -qE '^\| CPU counters \| .*task-clock.*page-faults' "$tmp/r.md"

# A list asks for those only.
expect 0 "$F" "${quick[@]}" --counters=page-faults,cycles --format json --filter fresh_pages
out_jq '.benchmarks[0].counters_hw | ((.events | keys) + (.unavailable | keys) | sort) == ["cycles","page-faults"]'
out_jq '.benchmarks[0].counters_hw.events["page-faults"].per_iter >= 16'
expect 0 "$F" "${quick[@]}" --counters=page-faults --filter fresh_pages
out_has 'page-faults'
out_lacks 'counters not available'

# A thread sweep counts all its threads (each on a group of its own, added): fresh_pages
# at N threads touches 16 fresh pages per thread per iteration, 16 x N page faults per
# iteration (the pass ran the body in one thread, counted 16 at every N).
expect 0 "$F" "${quick[@]}" --threads 1,2,3 --counters=page-faults --format json --filter fresh_pages
out_jq '[.benchmarks[] | .counters_hw.events["page-faults"].per_iter] as $p
        | $p[0] >= 16 and $p[0] < 17 and $p[1] >= 32 and $p[1] < 34 and $p[2] >= 48 and $p[2] < 51'

# Without --counters: nothing of it.
expect 0 "$F" "${quick[@]}" --format json --filter nothing
out_jq '(.benchmarks[0] | has("counters_hw") | not) and (.context | has("counters") | not)'

# tach run of the binary keeps what its worker said of the counters (context.counters was
# null in tach run's document, while the binary's own and a command's had it)
if expect 0 "$TACH" run --no-store --counters --max-time 0.05 --export-json "$tmp/run.json" "$F" --filter fresh_pages; then
  check "tach run --counters of a binary: context.counters from its worker" \
    jqt '(.context.counters.available | index("task-clock")) != null' "$tmp/run.json"
fi

finish
