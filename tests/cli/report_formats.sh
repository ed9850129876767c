#!/usr/bin/env bash
# report_formats.sh - `tach report` in every format on the two fixture documents
# (tests/cli/data/report_{base,new}.json, made by make_report_docs.py), read from files
# and from a store: Markdown against its golden file, JUnit parsed with python3's
# xml.etree, OpenMetrics through promtool, CSV and JSON parsed, HTML self-contained.
source "$(dirname "$0")/lib.bash"
set -o pipefail
cd "$tmp"
PY=/usr/bin/python3

# ---- from files, against a file baseline ----------------------------------------
if expect 0 "$TACH" report "$DATA/report_new.json" --baseline "$DATA/report_base.json" \
     --title "Fixture report" -o report.md; then
  # The volatile part: where the source tree is (the paths in "To reproduce").
  # And the bootstrap CIs of the changes, which compare.c computes and tests.
  sed -E "s|$TACH_SRC|SRC|g; s/\[[+-][0-9.]+%, [+-][0-9.]+%\]/[CI]/g" report.md >report.norm.md
  if [ "${TACH_UPDATE_GOLDEN:-}" = 1 ]; then cp report.norm.md "$EXPECTED/report_files.md"; fi
  if diff -u "$EXPECTED/report_files.md" report.norm.md >diff.txt; then ok "markdown matches report_files.md"
  else fail "markdown differs from tests/cli/expected/report_files.md:"; head -40 diff.txt >&2; fi
  [ ! -s "$tmp/out" ] || fail "-o wrote to stdout too"
fi

if expect 0 "$TACH" report "$DATA/report_new.json" --baseline "$DATA/report_base.json" --format junit -o r.xml; then
  # 14 testcases; failures: the +15% regression, the missed throughput target and the
  # failed benchmark; errors: the crash (with its signal) and the timeout; 1 skipped.
  if $PY - r.xml <<'PYEOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites", root.tag
a = root.attrib
assert (a["tests"], a["failures"], a["errors"]) == ("14", "3", "2"), a
# Jenkins xUnit's junit-10.xsd: these attributes only, times with at most 3 decimals
assert set(a) <= {"name", "time", "tests", "failures", "disabled", "errors"}, a
assert sum(int(s.get("skipped")) for s in root.iter("testsuite")) == 1
import re
for el in root.iter():
    if "time" in el.attrib:
        assert re.fullmatch(r"[0-9]+(\.[0-9]{0,3})?", el.get("time")), (el.tag, el.get("time"))
for el in root.iter():
    if el.tag in ("failure", "error"):
        assert el.text and el.text == el.get("message") or el.get("type") == "crashed", (el.tag, el.attrib, el.text)
cases = {c.get("name"): c for c in root.iter("testcase")}
assert len(cases) == 14
f = cases["codec/decompress"].find("failure")
assert f is not None and f.get("type") == "regression" and f.get("message").startswith("regressed +15.0%"), f
t = cases["codec/compress/level=1"].find("failure")
assert t is not None and t.get("type") == "target" and "500.0 MB/s" in t.get("message"), t.attrib
e = cases["misc/crashy"].find("error")
assert e is not None and e.get("message") == "crashed: signal 11 (SIGSEGV)", e.attrib
assert cases["misc/hang"].find("error").get("type") == "timeout"
assert cases["misc/broken"].find("failure").get("type") == "failed"
assert cases["misc/optional"].find("skipped") is not None
assert cases["hash/fnv"].find("failure") is None and cases["hash/fnv"].find("error") is None
suites = [s.get("name") for s in root.iter("testsuite")]
assert suites == ["codec", "hash", "sort", "misc"], suites
PYEOF
  then ok "junit parses, a testcase per benchmark, failures/errors/skipped as expected"
  else fail "junit content (see the assertion above)"; fi
fi

# A benchmark that did not end ok and had a target: its one <error>, <failure> or
# <skipped>, as it counts once, not a second <failure type="target"> ("actual n/a")
# beside it that the counts leave out.
mkdoc broken.json 'x/crash:steady:5:1:crashed:{"max_median_ns":50}' 'x/to:steady:5:1:timeout:{"max_median_ns":50}' \
  'x/fail:steady:5:1:failed:{"max_median_ns":50}' 'x/skip:steady:5:1:skipped:{"max_median_ns":50}' \
  'x/ok:steady:5:1::{"max_median_ns":50}'
if expect 0 "$TACH" report broken.json --format junit -o b.xml; then
  if $PY - b.xml <<'PYEOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
a = root.attrib
assert (a["tests"], a["failures"], a["errors"]) == ("5", "2", "2"), a
cases = {c.get("name"): [(e.tag, e.get("type")) for e in c if e.tag in ("error", "failure", "skipped")]
         for c in root.iter("testcase")}
assert cases == {"x/crash": [("error", "crashed")], "x/to": [("error", "timeout")],
                 "x/fail": [("failure", "failed")], "x/skip": [("skipped", None)],
                 "x/ok": [("failure", "target")]}, cases
PYEOF
  then ok "junit: a broken benchmark with a target has its one element, its target no second one"
  else fail "junit of broken benchmarks with targets (see the assertion above)"; fi
fi

# A point change beyond the critical threshold on one sample a side fails tach gate
# (unless --allow-untestable): the JUnit case fails too, counted, not passed beside it.
mkdoc ub.json x/one:steady:1:1 x/ok:steady:20:1
mkdoc un.json x/one:steady:1:2 x/ok:steady:20:1
expect 1 "$TACH" gate ub.json un.json || fail "the gate did not fail on the untested +100%"
if expect 0 "$TACH" report un.json --baseline ub.json --format junit -o u.xml; then
  if $PY - u.xml <<'PYEOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.get("failures") == "1", root.attrib
cases = {c.get("name"): c for c in root.iter("testcase")}
f = cases["x/one"].find("failure")
assert f is not None and f.get("type") == "regression" and f.get("message").startswith("changed +100.0% with too few samples"), f
assert cases["x/ok"].find("failure") is None
PYEOF
  then ok "junit: an untested +100% (one sample a side) is a failure, as the gate's"
  else fail "junit of an untested critical change (see the assertion above)"; fi
fi

if expect 0 "$TACH" report "$DATA/report_new.json" --baseline "$DATA/report_base.json" --format openmetrics -o m.txt; then
  if promtool check metrics <m.txt >promtool.out 2>&1; then ok "promtool check metrics accepts the OpenMetrics text"
  else fail "promtool: $(cat promtool.out)"; fi
  [ "$(tail -n1 m.txt)" = "# EOF" ] || fail "openmetrics does not end with # EOF"
  grep -q '^tach_benchmark_regressed{benchmark="codec/decompress",group="codec",status="ok"} 1$' m.txt \
    || fail "no regressed=1 sample for codec/decompress"
  grep -q '^tach_benchmark_ok{benchmark="misc/hang",group="misc",status="timeout"} 0$' m.txt \
    || fail "the timed-out benchmark is missing from the metrics"
  ok "openmetrics: regression and timeout present"
fi

# An interrupted run (partial): Prometheus and the CI saw it as a whole run.  OpenMetrics
# says so in a run-level gauge, 0 on a whole run (so an alert on it has a series), 1 on
# a partial one; JUnit in a property and a failed case "complete" of a suite "run", as
# certify refuses such a run.
grep -q '^tach_run_partial 0$' m.txt && ok "openmetrics: a whole run has tach_run_partial 0" \
  || fail "openmetrics: no tach_run_partial 0 for a whole run"
jq '.partial = true' "$DATA/report_new.json" >partial.json
if expect 0 "$TACH" report partial.json --format openmetrics -o pm.txt; then
  promtool check metrics <pm.txt >promtool.out 2>&1 || fail "promtool (partial): $(cat promtool.out)"
  grep -q '^tach_run_partial 1$' pm.txt && grep -q '^# TYPE tach_run_partial gauge$' pm.txt \
    && ok "openmetrics: a partial run has tach_run_partial 1" || fail "openmetrics: no tach_run_partial 1"
fi
if expect 0 "$TACH" report partial.json --format junit -o pr.xml; then
  if $PY - pr.xml r.xml <<'PYEOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
a = root.attrib
assert (a["tests"], a["failures"], a["errors"]) == ("15", "3", "2"), a
props = {p.get("name"): p.get("value") for p in root.iter("property")}
assert props.get("tach.partial") == "true", props
# on every suite, not the first one only: a CI reader may look at any one
for s in root.iter("testsuite"):
    sp = {p.get("name"): p.get("value") for p in s.iter("property")}
    assert sp.get("tach.partial") == "true", (s.get("name"), sp)
run = [s for s in root.iter("testsuite") if s.get("name") == "run"]
assert len(run) == 1 and (run[0].get("tests"), run[0].get("failures")) == ("1", "1"), run
f = run[0].find("testcase").find("failure")
assert f is not None and f.get("type") == "partial" and f.get("message").startswith("partial: the run was interrupted"), f.attrib
whole = ET.parse(sys.argv[2]).getroot()
assert "tach.partial" not in {p.get("name") for p in whole.iter("property")}
assert "run" not in [s.get("name") for s in whole.iter("testsuite")]
PYEOF
  then ok "junit: a partial run has the property tach.partial and a failed case run/complete"
  else fail "junit of a partial run (see the assertion above)"; fi
fi
# ... a partial run with no benchmark too: the property sits on the suite "run", the
# one there is (on the first benchmark suite only, it was missing)
jq '.partial = true | .benchmarks = []' "$DATA/report_new.json" >partial0.json
if expect 0 "$TACH" report partial0.json --format junit --no-compare -o pr0.xml; then
  if $PY - pr0.xml <<'PYEOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suites = list(root.iter("testsuite"))
assert [s.get("name") for s in suites] == ["run"], [s.get("name") for s in suites]
props = {p.get("name"): p.get("value") for p in suites[0].iter("property")}
assert props.get("tach.partial") == "true", props
PYEOF
  then ok "junit: a partial run with no benchmark has the property tach.partial (on the suite run)"
  else fail "junit of a partial run with no benchmark (see the assertion above)"; fi
fi

if expect 0 "$TACH" report "$DATA/report_new.json" --format csv -o r.csv; then
  if $PY - r.csv <<'PYEOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 14, len(rows)
st = {r["name"]: r["status"] for r in rows}
assert st["misc/crashy"] == "crashed" and st["misc/hang"] == "timeout" and st["codec/decompress"] == "ok", st
PYEOF
  then ok "csv: 14 rows with statuses"; else fail "csv content"; fi
fi

if expect 0 "$TACH" report "$DATA/report_new.json" --format json; then
  if $PY -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format"] == "tach-results" and len(d["benchmarks"]) == 14
assert [b["status"] for b in d["benchmarks"]].count("crashed") == 1' "$tmp/out"
  then ok "json to stdout: a results document with 14 benchmarks"; else fail "json content"; fi
fi

if expect 0 "$TACH" report "$DATA/report_new.json" --baseline "$DATA/report_base.json" --format html -o r.html; then
  # Self-contained: no reference to anything outside the file (the only URL is the
  # SVG namespace, which is a name, not a fetch).
  # (No `| grep -q` after a producer: with pipefail, its early exit could hide a match.)
  ext=$(grep -Eo 'https?://[^" ]+' r.html | grep -v '^http://www.w3.org/2000/svg$')
  [ -z "$ext" ] || fail "the HTML report references: $(head -3 <<<"$ext")"
  grep -Eq '<link|<img|<iframe| src=|@import|url\(' r.html && fail "the HTML report loads something"
  [ "$(grep -o '<svg' r.html | wc -l)" -ge 13 ] || fail "fewer than 13 charts in the HTML report"
  grep -q 'crashed (SIGSEGV)' r.html || fail "the crash is not shown in the HTML report"
  ok "html: self-contained, charts present, crash shown"
fi

# ---- from a store -----------------------------------------------------------------
mkstore s.db
if expect 0 "$TACH" report --store s.db --title "Fixture report"; then
  grep -q '^| Against run 1 | 1 regressed (1 critical), 1 improved' out || fail "store report: no comparison against run 1"
  grep -q '^\*\*Run\*\* `2`' out || fail "store report is not about run 2"
  ok "store: the latest run against the previous one by default"
fi
if expect 0 "$TACH" report 1 --store s.db; then
  grep -q '^\*\*Run\*\* `1`' out && ! grep -q '^| Against' out && ok "store: RUN 1, no earlier run to compare" \
    || fail "report 1: $(head -5 out)"
fi
if expect 0 "$TACH" report --since 1 --store s.db; then
  grep -q '^| Against 1 (run 1) |' out && ok "--since 1 compares against run 1" || fail "--since: $(grep Against out)"
fi
if expect 0 "$TACH" report --last 2 --store s.db --format html -o h.html; then
  # A trend needs two points: the 9 benchmarks ok in both runs, and misc/crashy (ok in
  # run 1, crashed in run 2, drawn with a failure mark).  hash/xxh3 is new: one point.
  n=$(grep -o 'class="chart trend"' h.html | wc -l)
  [ "$n" = 10 ] && grep -q 'failed in run 2' h.html && ok "--last 2: $n history charts" || fail "--last 2: $n history charts"
fi
if expect 0 "$TACH" report --store s.db --no-compare --format md; then
  grep -q '^| Against' out && fail "--no-compare still compares" || ok "--no-compare"
fi

# Targets from .tach/config: a p99 limit on every hash benchmark (hash/fnv's p99 is
# ~45 ns and met; hash/sha256's ~803 ns and missed against 500 ns), shown in the
# report next to the targets declared in the document.
mkdir -p cfg && printf '[bench "hash/*"]\nmax_p99_ns = 500\n' >cfg/config
if expect 0 "$TACH" report "$DATA/report_new.json" --config cfg/config; then
  grep -q '^| `hash/sha256` | p99 ≤ | 500 ns | 803 ns | \*\*MISSED\*\* |$' out || fail "config target on hash/sha256 not missed: $(grep sha256 out | head -3)"
  grep -q '^| `hash/fnv` | p99 ≤ | 500 ns | 45.2 ns | met |$' out || fail "config target on hash/fnv not met"
  # compress level=1 (missed) and level=6 (met) from the document; hash/fnv, hash/xxh3
  # (met) and hash/sha256 (missed: the rule's 500 ns replaces its own 1 us) p99 from
  # the config; hash/sha256's mean target (met) from the document: 4 met, 2 missed.
  grep -q '^| Targets | 4 met, 2 missed |$' out || fail "targets summary: $(grep '^| Targets' out)"
  ok "targets from .tach/config are checked and shown"
fi
printf '[bench "x"]\nmax_p99_ns = fast\n' >cfg/bad
if expect 2 "$TACH" report "$DATA/report_new.json" --config cfg/bad; then
  grep -q 'fast' err && ok "bad config value named" || fail "bad config: $(cat err)"
fi

# The methodology says how commands were actually measured: a fixed --runs count is not
# "sampled until the CI was within the precision asked".
"$TACH" run --no-store --style none --runs 4 --export-json runs4.json -- /bin/true 2>/dev/null
if expect 0 "$TACH" report runs4.json --format md; then
  grep -q '^- \*\*Samples\*\*: exactly 4 runs of each command$' out \
    && ok "methodology of a --runs 4 run: exactly 4 runs" || fail "methodology: $(grep Samples out)"
fi
# The parameter chart of commands (tach run --param): a sample is a run, so its median is
# per run, not "per iteration" (a benchmark's); beside a benchmark's family, both said.
"$TACH" run --no-store --style none --runs 3 --param n=1,2,4 --export-json params.json -- /bin/true n={n} 2>/dev/null
if expect 0 "$TACH" report params.json --format html -o params.html --no-compare --no-history; then
  check "the parameter chart of commands: the median time per run" \
    grep -q '<h2>Time against parameter</h2><p class="muted">Median time per run, log-log' params.html
  # captioned by the command without the separator before its parameter (it kept the space)
  check "the chart's caption is the command: '/bin/true'" \
    grep -q '<figcaption><code>/bin/true</code></figcaption>' params.html
fi
# A command's option (tach run --param n=1,2,4 -- prog --n={n}) is captioned without its
# dashes: "/bin/true", not "/bin/true --".
"$TACH" run --no-store --style none --runs 3 --param n=1,2,4 --export-json opt.json -- /bin/true --n={n} 2>/dev/null
if expect 0 "$TACH" report opt.json --format html -o opt.html --no-compare --no-history; then
  check "the chart of an option's parameter is captioned '/bin/true'" \
    grep -q '<figcaption><code>/bin/true</code></figcaption>' opt.html
fi
# A family's parameter is a whole token of the name: g/nn=1/n=1 (n the swept parameter) is
# g/nn=1's first point, not a family "g/nn=*/n=1" found by the "n=1" inside "nn=1"; a name
# starting with its parameter is captioned by its family's name, not left empty.
jq '.benchmarks = ([.benchmarks[] | .command = null] as $b
    | [($b[] | .name = "g/nn=1/n=\(.params.n)" | .params = {n: .params.n, nn: 1}),
       ($b[] | .name = "n=\(.params.n)")])' params.json >tokens.json
if expect 0 "$TACH" report tokens.json --format html -o tokens.html --no-compare --no-history; then
  check "the parameter is matched as a whole token: g/nn=1's chart has its 3 points" \
    test "$(grep -o '<figcaption><code>g/nn=1</code>.*' tokens.html | sed 's|</figure>.*||' \
            | grep -o '<circle ' | wc -l)" = 3
  check "a name starting with its parameter is captioned by its family: 'n=*'" \
    grep -q '<figcaption><code>n=\*</code></figcaption>' tokens.html
fi
jq '.benchmarks += [.benchmarks[] | .name = ("f/" + .name | sub("/bin/true "; "")) | .command = null]' \
  params.json >mixed.json
if expect 0 "$TACH" report mixed.json --format html -o mixed.html --no-compare --no-history; then
  check "... beside a benchmark's: per run (a command) or per iteration (a benchmark)" \
    grep -q '<p class="muted">Median time per run (a command) or per iteration (a benchmark), log-log' mixed.html
  check "... two charts" test "$(grep -o 'class="chart loglog"' mixed.html | wc -l)" = 2
fi
# A benchmark binary driven by tach run, with extra workers for slowed benchmarks: the
# methodology counts them, and gives the budget per benchmark (--bench-time) and per worker.
mkdoc ws.json g/a:steady:30:1 g/b:steady:30:1
jq '.context.tool = "tach run" | .context.settings = {processes: 3, bench_time_s: 1, extra_processes: 3,
    extra_rounds_for: ["g/a", "g/b"], precision: 0.01}
    | .context.worker_settings = {max_time_s: 0.333333, rounds: 4, precision: 0.01, min_time_s: 0.1}' ws.json >ws2.json
if expect 0 "$TACH" report ws2.json --format md --no-compare --no-history; then
  out_has '^- \*\*Processes\*\*: 12 worker processes per benchmark \(3 processes x 4 rounds, .*\); 3 more processes for the 2 benchmarks slowed in most of their rounds, samples merged'
  out_has 'or the time budget \(1 s per benchmark, 0\.333 s per worker\) ended'
  ok "methodology of a tach run of a binary: extra workers counted, the budget per benchmark"
fi
# ---- the comparison's summary counts what compare's does ---------------------------
# a benchmark that failed and one with 2 samples a side (not testable): the Markdown and
# HTML summaries count them with the console's words ("1 failed", "1 not testable")
doc() { # NS-OF-few STATUS-OF-broken MESSAGE OUT
  printf '{"format":"tach-results","version":1,"partial":false,"context":{"settings":{"seed":1}},"benchmarks":[{"name":"few","status":"ok","samples":{"iters":[1,1],"ns":[%s]}},{"name":"broken","status":"%s","message":%s,"samples":{"iters":[1,1,1],"ns":[5,5,5]}}]}\n' "$1" "$2" "$3" >"$4"
}
doc '100,101' ok null cb.json
doc '300,301' failed '"exit code 3"' cn.json
expect 0 "$TACH" compare cb.json cn.json && out_has ' 0 unstable, 1 failed, 1 not testable  ' &&
  ok "compare counts the failed and the not testable" || fail "compare counts the failed and the not testable"
expect 0 "$TACH" report cn.json --baseline cb.json --format markdown &&
  out_has '^\| Against cb\.json \| 0 regressed \(0 critical\), 0 improved, 0 unchanged, 0 unstable, 1 failed, 1 not testable \|$' &&
  ok "... and so does the Markdown summary" || fail "... and so does the Markdown summary"
expect 0 "$TACH" report cn.json --baseline cb.json --format html &&
  out_has '<p class="muted">1 compared: 0 regressed \(0 critical\), 0 improved, 0 unchanged, 0 unstable, 1 not testable; 1 failed; 0 added, 0 removed\.' &&
  ok "... and the HTML one" || fail "... and the HTML one"
finish
