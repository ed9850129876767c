#!/usr/bin/env bash
# site_machines.sh - `tach site` over runs alternating between two machines (their
# cpu_model differs, so their fingerprints do): one index row is one machine's, the
# newest run's.  Its last value and sparkline came from the series with the most points
# (the other machine's 100 ns beside this one's +50.0%); they are the newest run's
# machine's series, as its change and verdict are.
source "$(dirname "$0")/lib.bash"
set -o pipefail
cd "$tmp"
# machine A: 4 runs of 100 ns; machine B: 200, 200 then 300 ns; the newest run is B's
for i in 1 2 3 4; do mkdoc a$i.json --machine "CPU A" x:steady:12:1; done
mkdoc b1.json --machine "CPU B" x:steady:12:2
mkdoc b2.json --machine "CPU B" x:steady:12:2
mkdoc b3.json --machine "CPU B" x:steady:12:3
"$TACH" record -q --store s.db a1.json b1.json a2.json b2.json a3.json a4.json b3.json >/dev/null || fail "record"

if expect 0 "$TACH" site web --store s.db; then
  row=$(grep '<code>x</code>' web/index.html)
  [[ $row == *'>301 ns</td>'* ]] && ok "site: the index's last value is the newest run's (301 ns)" ||
    fail "site: the last value is not the newest run's 301 ns: $(sed 's/<svg.*<\/svg>//' <<<"$row")"
  [[ $row == *'>+50.0%</td>'* && $row == *'t-regressed">regressed<'* ]] &&
    ok "site: its change and verdict are B's (+50.0%, regressed)" || fail "site: change or verdict not B's"
  # the sparkline is B's three runs (M + 2 L), not A's four
  d=$(grep -o '<svg[^>]*class="spark".*</svg>' <<<"$row" | grep -o ' d="[^"]*"')
  [ "$(grep -o '[ML]' <<<"$d" | wc -l)" = 3 ] && ok "site: the sparkline is the newest run's machine's 3 runs" ||
    fail "site: the sparkline is not B's 3 runs: $d"
  # the totals still count both machines' runs
  [[ $row == *'data-v="7">7</td>'* ]] && ok "site: Runs counts both machines' 7 runs" || fail "site: Runs not 7"
fi
finish
