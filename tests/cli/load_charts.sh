#!/bin/bash
# load_charts.sh - a recorded load run (tests/fixtures/load_ops.c, in process, about a
# second) rendered over time: `tach report --format html` carries, per load result, the
# throughput chart (one point per interval) and the p50/p99 chart (one point per interval
# that had a request, per line), in the structure pinned by expected/load_charts.html.txt
# (element names and classes, numbers left out); Markdown has the summary lines and the
# table of the intervals; the site's page of a load result has both charts.  The expected
# counts come from the run's own document (jq), never from a time.
source "$(dirname "$0")/lib.bash"
private_store
B=$TACH_BUILD/tests/fixture_load_ops

# 1 s at 0.25 s intervals: 4 intervals per result (safe, risky, overall)
expect 0 "$TACH" load "$B" safe:80 risky:20 --threads 1 --duration 1 --interval 0.25 --warmup 0.1 \
  --export-json run.json || finish
jqc "4 intervals in each of the 3 results" run.json '[.benchmarks[].load.intervals | length] == [4, 4, 4]'
nres=$(jq '[.benchmarks[] | select(.load.intervals)] | length' run.json)
npts=$(jq '[.benchmarks[].load.intervals | length] | add' run.json)
nlat=$(jq '[.benchmarks[].load.intervals[] | select(.p50_ns != null)] | length * 2' run.json)

# ---- HTML: two charts per result, the points per interval ----
if expect 0 "$TACH" report run.json --format html -o r.html; then
  # the load section alone, one element per line
  perl -0ne 'print $1 if /(<section id="load">.*?<\/section>)/s' r.html | grep -o '<[a-z]\+[^>]*>' >tags.txt
  n=$(grep -c 'class="chart load-rate"' tags.txt)
  [ "$n" = "$nres" ] && ok "a throughput chart per load result ($n)" || fail "$n throughput charts, want $nres"
  n=$(grep -c 'class="chart load-latency"' tags.txt)
  [ "$n" = "$nres" ] && ok "a p50/p99 chart per load result ($n)" || fail "$n latency charts, want $nres"
  # the points of each chart: the throughput ones, then the latency ones
  awk '/load-rate/{c="r"} /load-latency/{c="l"} /<circle class="iv"/{n[c]++} END{print n["r"]+0, n["l"]+0}' \
    tags.txt >counts.txt
  [ "$(cat counts.txt)" = "$npts $nlat" ] && ok "points: $npts throughput, $nlat latency" ||
    fail "points (throughput latency): $(cat counts.txt), want $npts $nlat"
  grep -q '<a href="#load">Load</a>' r.html && ok "the contents link to the section" || fail "no #load link"
  # the structure: tags with their classes, without positions, titles or styling; a run
  # of points folded into one line
  grep -v '^<title' tags.txt |
    sed -E 's/ (x|y|x1|x2|y1|y2|cx|cy|r|d|width|height|viewBox|xmlns|role|font-family|font-size|text-anchor|fill|stroke|stroke-width)="[^"]*"//g; s| */?>$|>|' |
    uniq >structure.txt
  golden load_charts.html.txt structure.txt
fi

# ---- a document without a load block has no such section ----
if expect 0 "$TACH" report "$DATA/report_new.json" --format html --no-compare; then
  out_lacks 'id="load"'
  out_lacks 'href="#load"'
fi

# ---- Markdown: a summary line per result, the overall intervals as a table ----
if expect 0 "$TACH" report run.json --no-compare; then
  out_has '^## Load over time$'
  for op in safe risky overall; do out_has "^- \`$op\`: 4 intervals, [0-9.]+ [kM]?/s to [0-9.]+ [kM]?/s, worst p99 "; done
  out_has '^\| Start \| Requests \| Errors \| Rate \| p50 \| p99 \|$'
  n=$(grep -cE '^\| (0|0\.25|0\.5|0\.75) s \| [0-9]+ \| [0-9]+ \| ' "$tmp/out")
  [ "$n" = 4 ] && ok "a table row per interval" || fail "$n table rows, want 4"
  # the methodology is a load run's (it was the sampler's: calibration, precision reached)
  out_has '^- \*\*Load\*\*: closed model: 1 client, .*0\.1 s of warm-up, then 1 s measured on 1 thread$'
  out_has '^- \*\*Latency\*\*: every request timed from its intended start'
  out_has '^- \*\*Samples\*\*: one per interval of 0\.25 s: its mean latency'
  out_lacks 'Calibration|reached the precision asked'
  # "To reproduce": a command to paste, beginning with tach
  grep -qxF "tach load $B safe:80 risky:20 --threads 1 --duration 1 --interval 0.25 --warmup 0.1 --export-json run.json" \
    "$tmp/out" && ok "the reproduce line is the whole command, tach first" ||
    fail "reproduce line: $(grep -A3 'To reproduce' "$tmp/out" | tail -2)"
fi
jqc "the stored command line begins with tach" run.json '.context.command_line[0:2] == ["tach", "load"]'
# a document stored before the line began with tach (["load", ...]) reads the same
jq '.context.command_line |= .[1:]' run.json >old.json
if expect 0 "$TACH" report old.json --no-compare; then
  grep -qF "tach load $B safe:80" "$tmp/out" && ok "an older document's reproduce line gets tach back" ||
    fail "older document: $(grep -A3 'To reproduce' "$tmp/out" | tail -2)"
fi

# ---- the site: the load result's page carries both charts ----
if expect 0 "$TACH" site site; then
  page=$(grep -l '<code>overall</code>' site/b/*.html | head -1)
  if [ -n "$page" ] && grep -q 'class="chart load-rate"' "$page" && grep -q 'class="chart load-latency"' "$page"; then
    ok "the site's page of overall has both charts"
  else
    fail "the site's page of overall lacks the load charts"
  fi
fi
finish
