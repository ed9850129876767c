#!/usr/bin/env bash
# quick_marks.sh - a tach suite --quick run is marked in tach history, tach site and the
# trend of tach report's HTML as tach report marks its run (docs/suites.md): its
# document's context.suite.quick, also for a
# run recorded from a file (no quick=1 tag).  Runs 1 and 3 full, 2 and 4 quick (4 with
# the tag tach suite gives it), made from the crypto suite fixture.
source "$(dirname "$0")/lib.bash"
private_store
jq '.context.suite.quick = false' "$DATA/suite_crypto_run.json" >full.json
cp "$DATA/suite_crypto_run.json" quick.json
for f in full quick full; do "$TACH" record "$f.json" 2>/dev/null || fail "record $f.json"; done
# (--tag quick=1 is refused, tach suite --quick's mark: a file kept by a --quick suite
# whose record failed carries it, as here)
jq '.tags = {"quick": "1"}' quick.json >quick-tagged.json
"$TACH" record quick-tagged.json 2>/dev/null || fail "record quick-tagged.json (tags quick=1)"

# ---- tach history ----
if expect 0 "$TACH" history; then
  out_has '^note: runs 2 and 4 were tach suite --quick runs: smoke tests, not figures to publish$'
fi
expect 0 "$TACH" history --last 1 && out_has '^note: run 4 was a tach suite --quick run: a smoke test, not figures to publish$'
expect 0 "$TACH" history --last 2 --tag quick && out_has '^note: run 4 was a tach suite'
"$TACH" history --branch none >"$tmp/out" 2>&1; out_lacks 'quick'
if expect 0 "$TACH" history --format json; then
  out_jq '[.benchmarks[0].points[] | .quick] == [false, true, false, true]'
fi
if expect 0 "$TACH" history --format csv; then
  out_has '^name,run,time,commit,branch,machine,status,median_ns,median_ci_low_ns,median_ci_high_ns,mean_ns,samples,change_point,quick$'
  out_has '^crypto/[^,]+,2,.*,true$'
  out_has '^crypto/[^,]+,3,.*,false$'
fi
if expect 0 "$TACH" history --runs; then
  out_has '^ +4  .*  \(quick run\)$'
  out_has '^ +2  .*  \(quick run\)$'
  out_lacks '\[quick=1\]'
  out_lacks '^ +[13]  .*quick'
fi
expect 0 "$TACH" history --runs --format json && out_jq '[.[] | .quick] == [true, false, true, false]'
if expect 0 "$TACH" history --runs --format csv; then
  out_has '^id,time,commit,branch,dirty,machine,benchmarks,failed,subject,quick,tags$'
  out_has '^4,.*,true,'
  out_has '^3,.*,false,'
fi
# a store without a quick run: no note, no mark
jq '.context.suite.quick = false' quick.json >q0.json
"$TACH" record --store plain.db q0.json 2>/dev/null
expect 0 "$TACH" history --store plain.db && out_lacks 'quick'
expect 0 "$TACH" history --store plain.db --runs && out_lacks 'quick'

# ---- tach report: its trend marks them as tach site's does ----
if expect 0 "$TACH" report --format html -o report.html; then
  n=$(grep -o '<circle class="quick"' report.html | wc -l)
  [ "$n" -eq 8 ] && ok "report: a ring on each quick run's point (2 runs x 4 benchmarks)" \
    || fail "report: $n rings, expected 8"
  check "report: the ring's tooltip" grep -qF '<title>run 2: a tach suite --quick run, a smoke test (not figures to publish)</title>' report.html
fi
expect 0 "$TACH" report --store plain.db --format html -o plain.html \
  && check "report without a quick run: no ring" bash -c '! grep -q "class=\"quick\"" plain.html'

# ---- tach site ----
tag='<span class="tag t-quick" title="a tach suite --quick run: a smoke test with few samples, not figures to publish">quick</span>'
if expect 0 "$TACH" site site; then
  page=$(ls site/b/*.html | head -1)
  # the last values (run 4's) marked, with the note under the table
  check "site: a last value marked quick" grep -qF "</td><td class=\"n\" data-v=\"" site/index.html
  n=$(grep -oF " $tag</td>" site/index.html | wc -l)
  [ "$n" -eq 4 ] && ok "site: each benchmark's last value (run 4) marked quick" || fail "site: $n last values marked quick, expected 4"
  check "site: the note under the index's table" grep -qF "$tag marks a last value from a tach suite --quick run" site/index.html
  check "site: the series names its quick runs" grep -qF "$tag Runs 2 and 4 were tach suite --quick runs: smoke tests with few samples, not figures to publish.</p>" "$page"
  n=$(grep -o '<circle class="quick"' "$page" | wc -l)
  [ "$n" -eq 2 ] && ok "site: a ring on each quick run's point" || fail "site: $n rings, expected 2"
  check "site: the ring's tooltip" grep -qF '<title>run 2: a tach suite --quick run, a smoke test (not figures to publish)</title>' "$page"
fi
if expect 0 "$TACH" site --store plain.db plain; then
  check "site without a quick run: no mark" bash -c '! grep -q "class=\"tag t-quick\"\|class=\"quick\"" plain/index.html plain/b/*.html'
fi
finish
