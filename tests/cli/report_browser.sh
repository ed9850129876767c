#!/usr/bin/env bash
# report_browser.sh - the HTML report, the site and the HTML certificate opened in real
# headless Chromium (Debian's chromium): no script errors, the charts present in the
# DOM, the sorting/filtering script ran (it inserts the filter box), and a click on a
# column header sorts the table.  Also renders a screenshot (kept when KEEP_SHOTS=DIR).
source "$(dirname "$0")/lib.bash"
set -o pipefail
command -v chromium >/dev/null || { echo "chromium is not installed (scripts/deps.sh test)" >&2; exit 1; }
cd "$tmp"
mkstore s.db
"$TACH" report --store s.db --format html -o r.html 2>/dev/null || fail "report html"
chromium_dom "$tmp/r.html" dom.html
no_script_errors dom.html
# 10 distributions + comparison bars + 10 trends + 2 log-log = 23 charts.
n=$(grep -o '<svg' dom.html | wc -l)
[ "$n" = 23 ] || fail "expected 23 <svg> in the report's DOM, got $n"
grep -q 'id="filter"' dom.html || fail "the script did not run (no filter box in the DOM)"
ok "report: $n charts in the DOM, script ran, no script errors"

# The detector itself: a copy with a deliberate error must show up in the log.
sed 's|</body>|<script>no_such_function();</script></body>|' r.html >broken.html
chromium_dom "$tmp/broken.html" broken.dom
grep -q 'Uncaught ReferenceError: no_such_function' broken.dom.log \
  && ok "an injected script error is caught by the check" || fail "the script-error check cannot see errors"

# Sorting: click the Median header once (ascending): the first row is the fastest
# benchmark, hash/xxh3 (20 ns); failed rows (no median) sort first, so look at the
# first row with a median.
sed 's|</body>|<script>document.querySelectorAll("#results-table th")[2].click();</script></body>|' r.html >sorted.html
chromium_dom "$tmp/sorted.html" sdom.html
no_script_errors sdom.html
first=$(/usr/bin/python3 - sdom.html <<'PYEOF'
import re, sys
html = open(sys.argv[1]).read()
body = html.split('id="results-table"')[1].split("</tbody>")[0]
for row in body.split("<tr>")[1:]:
    m = re.search(r"<code>([^<]*)</code>", row)
    if not m:
        continue
    name = m.group(1)
    cells = re.findall(r'data-v="([^"]*)"', row)
    if cells and float(cells[0]) > 0:
        print(name); break
PYEOF
)
[ "$first" = hash/xxh3 ] && ok "sorting by median puts hash/xxh3 first" || fail "after sorting, first measured row is '$first'"

# The site: index, regressions page and a benchmark page.
/usr/bin/python3 "$TACH_SRC/bench/report/gen.py" --benchmarks 16 --runs 20 --samples 8 --out runs >/dev/null
"$TACH" record -q --store g.db runs/run-*.json >/dev/null || fail "record runs"
"$TACH" site site --store g.db 2>/dev/null || fail "site"
chromium_dom "$tmp/site/index.html" idx.html
no_script_errors idx.html
[ "$(grep -o '<svg' idx.html | wc -l)" = 16 ] || fail "index DOM: $(grep -o '<svg' idx.html | wc -l) sparklines, expected 16"
grep -q 'id="filter"' idx.html || fail "index: script did not run"
page=$(ls site/b | head -1)
chromium_dom "$tmp/site/b/$page" bp.html
no_script_errors bp.html
grep -q 'class="chart trend"' bp.html || fail "benchmark page: no trend chart in the DOM"
chromium_dom "$tmp/site/regressions.html" reg.html
no_script_errors reg.html
grep -q 'Regressed in the last run' reg.html || fail "regressions page did not render"
ok "site: index (16 sparklines), a benchmark page and the regressions page render without errors"

"$TACH" certify --store s.db --format html -o cert.html 2>/dev/null
chromium_dom "$tmp/cert.html" cdom.html
no_script_errors cdom.html
grep -q 'REJECTED' cdom.html && ok "certificate renders" || fail "certificate DOM lacks its verdict"

# A screenshot: the page must render to a non-trivial image.
prof=$(mktemp -d "$tmp/chrome.XXXX")
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$prof" \
  --window-size=1280,2000 --screenshot="$tmp/report.png" "file://$tmp/r.html" >/dev/null 2>&1
[ "$(stat -c %s report.png 2>/dev/null || echo 0)" -gt 50000 ] && ok "screenshot rendered" || fail "screenshot missing or blank"
[ -n "${KEEP_SHOTS:-}" ] && cp report.png "$KEEP_SHOTS/"
finish
