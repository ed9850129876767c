#!/usr/bin/env bash
# report_metric.sh - `tach report --metric` and `tach site --metric` (docs/instructions.md):
# a run counted in instruction mode is shown in its unit (instructions/iter, cycles/iter),
# by default and when asked; its comparison is deterministic; a metric the run lacks, an
# unknown metric and --metric with a format that shows only times exit 2 with nothing
# written.  The counted documents are tests/cli/data/metric_counted_{base,new}.json,
# written by hand: parse/small counts 1000 then 1050 instructions per iteration (+5.0%),
# 1441 then 1491 estimated cycles; parse/empty counts 0.  No Valgrind is needed.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
cd "$tmp"
cp "$DATA/metric_counted_base.json" "$DATA/metric_counted_new.json" .
BASE=metric_counted_base.json # relative: the golden's "To reproduce" names them
NEW=metric_counted_new.json

# ---- a counted file: its counts, by default, in Markdown ----
if expect 0 "$TACH" report "$NEW" --baseline "$BASE"; then
  out_has '^\| Metric \| instructions \(instructions/iter\); deterministic'
  out_has '^\| `parse/small` \| 1050 instructions/iter \| 1050 instructions/iter \| 1050 instructions/iter \| — \| 1 \| \+5\.0% \(no CI: deterministic\) \| \*\*regressed\*\* \| ok \|$'
  out_has '^\| `parse/small` \| 1000 instructions/iter \| 1050 instructions/iter \| \+5\.0%'
  out_has '^\| `parse/empty` \| 0 instructions/iter \|'
  out_lacks 'ns \|'
  # the methodology says what was done for a count: counted, one value, no CI and no test
  out_has "^- \*\*Counting\*\*: each benchmark once under Valgrind's callgrind, counting only inside the measured region"
  out_has '^- \*\*Estimates\*\*: one exact value per benchmark: a count has no sampling error'
  out_has '^- \*\*Comparison\*\*: change = new/base - 1 of the count, one value per side; no test and no CI, .* beyond the noise threshold of 0\.1%, else unchanged; critical at 10%$'
  out_lacks 'Mann-Whitney|bootstrap|Tukey|Calibration|sampled until'
  cp out report.md
  golden report_metric.md report.md
  ok "report: a counted run's Markdown shows instructions/iter, +5.0% regressed without a CI"
fi
# the same asked for explicitly
expect 0 "$TACH" report "$NEW" --no-compare --metric instructions && out_has '^\| `parse/small` \| 1050 instructions/iter \|' \
  && ok "report --metric instructions: the same counts"
# estimated cycles (--cache-sim's)
if expect 0 "$TACH" report "$NEW" --baseline "$BASE" --metric cycles-est; then
  out_has '^\| Metric \| cycles-est \(cycles/iter\)'
  out_has '^\| `parse/small` \| 1491 cycles/iter \|.* \+3\.5% '
  ok "report --metric cycles-est: 1491 cycles/iter, +3.5% (1491/1441)"
fi
# HTML: the same unit in the table and the details
if expect 0 "$TACH" report "$NEW" --no-compare --format html; then
  out_has '>1050 instructions/iter<'
  out_lacks '<svg[^>]*class="dist'
  ok "report --format html: counts in their unit, no distribution chart of one value"
fi

# ---- allocations (--metric allocs): the memory pass's count, described as one ----
for side in base new; do
  n=$([ $side = base ] && echo 2 || echo 3)
  jq --argjson n "$n" '(.benchmarks[] | select(.name == "parse/small")) += {
        memory: {allocs_per_iter: $n, bytes_per_iter: 96, peak_bytes: 4096, net_growth_per_iter: 0,
                 leak: false, iterations: 1000, peak_rss_bytes: null, method: "interpose"}}' \
    "metric_counted_$side.json" >"allocs_$side.json"
done
if expect 0 "$TACH" report allocs_new.json --baseline allocs_base.json --metric allocs; then
  out_has '^- \*\*Counting\*\*: a memory pass after the timed samples runs each benchmark.s measured region with the counting allocator preloaded'
  out_has '^- \*\*Comparison\*\*: change = new/base - 1 of the count, one value per side; no test and no CI'
  out_lacks 'Mann-Whitney|bootstrap|Tukey|Calibration|sampled until|callgrind, counting'
  ok "report --metric allocs: the methodology describes the memory pass's count, no CI test"
fi

# ---- the memory and counters section does not depend on the metric: kept under --metric ----
jq '(.benchmarks[] | select(.name == "parse/small")) += {
      memory: {allocs_per_iter: 3, bytes_per_iter: 96, peak_bytes: 4096, net_growth_per_iter: 0,
               leak: false, iterations: 1000, peak_rss_bytes: null, method: "interpose"},
      counters_hw: {events: {"page-faults": {per_iter: 2, scaled: false}}, unavailable: {}}}' \
  "$NEW" >mem.json
for m in instructions cycles-est; do
  if expect 0 "$TACH" report mem.json --no-compare --metric $m; then
    out_has '^## Memory and CPU counters$'
    out_has '^\| `parse/small` \| 3 \| 96 B \| 4\.00 KiB \|'
    out_has 'page-faults'
    ok "report --metric $m keeps the Memory and CPU counters section"
  fi
  if expect 0 "$TACH" report mem.json --no-compare --metric $m --format html; then
    out_has '<section id="memory"><h2>Memory and CPU counters</h2>'
    ok "report --metric $m --format html keeps the memory section"
  fi
done

# ---- heap not counted (ASan, a counting process that crashed): the peak RSS still shown ----
jq '(.benchmarks[] | select(.name == "parse/small")) += {
      memory: {peak_rss_bytes: 3145728, method: null,
               unavailable: "memory counting failed: the counting process was killed by signal 11 (SIGSEGV)"}}' \
  "$NEW" >unc.json
if expect 0 "$TACH" report unc.json --no-compare; then
  out_has '^\| benchmark \| peak RSS \|$'
  out_has '^\| `parse/small` \| 3\.00 MiB \|$'
  out_has '^- parse/small: memory counting failed: the counting process was killed by signal 11 \(SIGSEGV\)$'
  ok "report: heap not counted, the peak RSS column kept and the reason names its benchmark"
fi

# ---- bad input: exit 2, one line, nothing written ----
bad_report() { # TEXT ERE ARGS...
  local text=$1 ere=$2; shift 2
  rm -f r.out
  expect 2 "$TACH" report "$@" -o r.out && err_line "$ere" && [ ! -e r.out ] && ok "$text" || fail "$text"
}
bad_report "report --metric bogus: exit 2" "^tach report: --metric: 'bogus' is not a metric" "$NEW" --metric bogus
# an unknown metric is bad usage, said before the store is looked at: neither a store that
# does not exist nor the pair the default would take (its warnings) comes first
expect 2 "$TACH" report --metric bogus --store "$tmp/none.db" -o r.out \
  && err_line "^tach report: --metric: 'bogus' is not a metric" && [ ! -e r.out ] && [ ! -e none.db ] \
  && ok "report --metric bogus, no store: the metric named, not the store" \
  || fail "report --metric bogus, no store: the metric named, not the store"
bad_report "report --metric wall on a counted run: exit 2 naming it" \
  '^tach report: --metric wall: file metric_counted_new.json has no wall values \(it was measured in instruction mode\)$' \
  "$NEW" --metric wall
bad_report "report --metric allocs, not recorded: exit 2 naming it" '^tach report: --metric allocs: .* has no allocs values' \
  "$NEW" --metric allocs
mkdoc timed.json t:steady:10:1000
jq '.benchmarks[0].memory = {peak_rss_bytes: 3145728, method: null,
      unavailable: "memory counting failed: the counting process was killed by signal 11 (SIGSEGV)"}' \
  timed.json >uncounted.json
bad_report "report --metric allocs, recorded with --memory but not counted: exit 2 saying why" \
  '^tach report: --metric allocs: file uncounted.json has no allocs values \(memory counting failed: the counting process was killed by signal 11 \(SIGSEGV\)\)$' \
  uncounted.json --metric allocs
bad_report "report --metric with --format json: exit 2" '^tach report: --metric instructions: --format json shows wall time only' \
  "$NEW" --metric instructions --format json
mkdoc wall.json t:steady:10:1000
bad_report "report --metric instructions on a timed run: exit 2" \
  '^tach report: --metric instructions: file wall.json has no instructions values \(it was not recorded with them\)$' \
  wall.json --metric instructions
bad_report "report --baseline without the metric: exit 2" \
  '^tach report: --metric instructions: baseline wall.json has no instructions values' "$NEW" --baseline wall.json
expect 0 "$TACH" report wall.json --no-compare && out_has '^\| `t` \| 100\.[0-9]+ µs \[' && out_lacks 'Metric' \
  && ok "report of a timed run: times as before, no metric line"

# ---- the store: a timed run, then two counted runs ----
private_store
"$TACH" record -q wall.json "$BASE" "$NEW" >/dev/null || fail "record"
if expect 0 "$TACH" report; then
  out_has '^\| Against .*run 2.* \| 1 regressed'
  out_has '^\| `parse/small` \| 1050 instructions/iter \|'
  ok "report of the newest (counted) run: against the previous counted run, in instructions"
fi
expect 0 "$TACH" report 1 --no-compare && out_has '^\| `t` \| 100\.[0-9]+ µs' && ok "report of the timed run 1: times"

# ---- the site ----
if expect 0 "$TACH" site web --metric instructions; then
  grep -q 'metric instructions (instructions/iter)' web/index.html || fail "index: no metric line"
  grep -q '>1050 instructions/iter<' web/index.html || fail "index: parse/small's last value not in instructions/iter"
  grep -q 'regressed' web/index.html || fail "index: parse/small's last verdict"
  page=$(grep -o 'href="b/parse_small[^"]*"' web/index.html | head -1 | sed 's/href="//; s/"$//')
  [ -n "$page" ] && [ -f "web/$page" ] || fail "no page for parse/small"
  grep -q 'metric instructions (instructions/iter)' "web/$page" || fail "parse/small's page: no metric line"
  ok "site --metric instructions: rendered, values in instructions/iter"
fi
expect 0 "$TACH" site web2 && grep -q '>1050 instructions/iter<' web2/index.html \
  && ok "site: the newest run was counted, so instructions by default" \
    || fail "site: the newest run was counted, so instructions by default"
if expect 0 "$TACH" site web3 --metric wall; then
  grep -Eq '>10[0-9](\.[0-9]+)? µs<' web3/index.html || fail "site --metric wall: no time for t"
  ! grep -q 'instructions/iter' web3/index.html || fail "site --metric wall: counts shown"
  ok "site --metric wall: the timed run's times"
fi
expect 2 "$TACH" site web4 --metric allocs && err_line '^tach site: --metric allocs: no run in store .* has allocs values$' \
  && [ ! -e web4 ] && ok "site --metric allocs, not recorded: exit 2, nothing written" \
    || fail "site --metric allocs, not recorded: exit 2, nothing written"
expect 2 "$TACH" site web5 --metric bogus && err_line "--metric: 'bogus' is not a metric" && [ ! -e web5 ] \
  && ok "site --metric bogus: exit 2" || fail "site --metric bogus: exit 2"

# ---- the trend's y axis: a count's ticks are whole steps or SI-style, times as before ----
ticks() { # PAGE: the trend chart's y-axis ticks, joined with |
  grep -o '<svg[^>]*class="chart trend".*</svg>' "$1" | grep -o 'class="tick">[^<]*<' |
    sed 's/class="tick">//; s/<$//' | grep -v '^run ' | paste -sd'|'
}
page_of() { # DIR NAME-PREFIX: the page of a benchmark
  echo "$1/b/$(cd "$1/b" && ls | grep "^$2-")"
}
allocs_doc() { # OUT SMALL EMPTY: the counted file with these allocations per iteration
  jq --argjson s "$2" --argjson e "$3" '.benchmarks |= map(. + {memory: {allocs_per_iter:
        (if .name == "parse/small" then $s else $e end), bytes_per_iter: 96, peak_bytes: 4096,
        net_growth_per_iter: 0, leak: false, iterations: 1000, peak_rss_bytes: null,
        method: "interpose"}})' "$BASE" >"$1"
}
allocs_doc a1.json 2 0 && allocs_doc a2.json 3 0 && allocs_doc a3.json 12000 0 && allocs_doc a4.json 15000 0
"$TACH" record -q --store allocs.db a1.json a2.json >/dev/null || fail "record a1 a2"
"$TACH" record -q --store allocs_k.db a3.json a4.json >/dev/null || fail "record a3 a4"
if expect 0 "$TACH" site wa --store allocs.db --metric allocs; then
  t=$(ticks "$(page_of wa parse_small)")
  [ "$t" = "1|2|3|4" ] && ok "site --metric allocs: 2 then 3 allocs, ticks 1 2 3 4" || fail "allocs ticks: $t"
  t=$(ticks "$(page_of wa parse_empty)")
  [ "$t" = "0|1|2|3" ] && ok "site --metric allocs: always 0 allocs, ticks 0 1 2 3 (not 0.000000)" ||
    fail "zero allocs ticks: $t"
fi
if expect 0 "$TACH" site wk --store allocs_k.db --metric allocs; then
  t=$(ticks "$(page_of wk parse_small)")
  [ "$t" = "10k|12k|14k|16k" ] && ok "site --metric allocs: 12000 then 15000, ticks SI-style" ||
    fail "12000 allocs ticks: $t"
fi
t=$(ticks "$(page_of web parse_small)")
[ "$t" = "950|1000|1050|1100" ] && ok "site --metric instructions: 1000 then 1050, ticks in whole steps" ||
  fail "instructions ticks: $t"
t=$(ticks "$(page_of web3 t)")
[[ $t =~ ^([0-9]+(\.[0-9]+)?\ (ns|µs|ms|s)\|){3}[0-9]+(\.[0-9]+)?\ (ns|µs|ms|s)$ ]] &&
  ok "site --metric wall: ticks in time units as before" || fail "wall ticks: $t"
finish
