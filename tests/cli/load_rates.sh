#!/usr/bin/env bash
# load_rates.sh - two `tach load` runs of the open model at different --rate are two
# experiments: latencies at 100 and at 1000 requests/s were "regressed (critical)" and a
# failed gate.  Every row of such runs (each operation and overall: the run's rate is the
# overall result's rate_target) is incomparable in compare and gate, as a bus latency row
# offered at other rates is (suite_bus_rates.sh); the same rate (within 1%) is judged as
# ever, and so is the closed model (at one --clients), which offers no rate.  report counts the incomparable
# rows in its summary (only when there are some), and history notes the pair of runs
# under its table (and in JSON's "different_rates").  The documents are made by hand:
# a real run's latencies depend on the machine's load.
source "$(dirname "$0")/lib.bash"
private_store
mkdoc fast0.json "get:steady:20:1000" "overall:steady:20:1000"
mkdoc slow0.json "get:steady:20:150000" "overall:steady:20:150000"
# a load run: each result's block as load_doc.c writes it (the model on every result, the
# offered rate on overall's); RATE "null" for the closed model with CLIENTS clients
load() { # IN OUT RATE [CLIENTS]
  jq --argjson r "$3" --argjson c "${4:-8}" '
    (if $r == null then {kind: "closed", clients: $c, think_s: 0}
     else {kind: "open", arrivals: "constant", stages: [{rate: $r, duration_s: 10}]} end
     + {target: "in-process", threads: 2, duration_s: 10, warmup_s: 1, interval_s: 0.5}) as $m
    | .benchmarks |= map(.group = "load"
        | .load = ({op: .name, model: $m, invalid: false, invalid_reason: null, partial: false}
          + (if .name == "overall" then {rate_target: $r} else {} end)))' "$1" >"$2"
}
load fast0.json r100.json 100
load slow0.json r1000.json 1000
load slow0.json r100b.json 100.5 # within 1% of 100: the same rate
load fast0.json c8.json null 8
load slow0.json c8s.json null 8 # the same clients: other clients are incomparable (load_settings.sh)

# ---- open model, different rates: no verdict, no failed gate ----
for cmd in compare gate; do
  expect 0 "$TACH" $cmd r100.json r1000.json \
    && out_has '^get .*incomparable \(offered at 100 against 1000 requests/s; load both at one --rate\)$' \
    && out_has '^overall .*incomparable \(offered at 100 against 1000 requests/s; load both at one --rate\)$' \
    && out_lacks '^(get|overall) .*(regressed|improved)' && out_has ', 2 incomparable' \
    && ok "$cmd: 100 against 1000 requests/s is incomparable, exit 0"
done
expect 0 "$TACH" compare r100.json r1000.json --format json \
  && out_jq '[.benchmarks[] | .verdict == "incomparable" and .base_rate == 100 and .new_rate == 1000
       and .change == null and (.why | startswith("offered at 100 against 1000 requests/s"))] | all' \
  && out_jq '.summary.incomparable == 2 and .summary.regressed == 0' \
  && ok "compare --format json: both rows incomparable, the rates and why"

# ---- the same rate (within 1%): judged; the closed model: judged ----
expect 1 "$TACH" gate r100.json r100b.json \
  && out_has '^overall .*regressed \(critical\)$' && ok "gate: 100 against 100.5 requests/s is judged"
expect 1 "$TACH" gate c8.json c8s.json \
  && out_has '^overall .*regressed \(critical\)$' && out_lacks 'incomparable' \
  && ok "gate: the closed model offers no rate: judged as ever"

# ---- from the store: gate, report ----
"$TACH" record -q r100.json r1000.json >/dev/null 2>&1 || fail "record"
expect 0 "$TACH" gate 1 2 && out_has '^overall .*incomparable \(offered at 100 against 1000 requests/s' \
  && ok "gate 1 2 from the store: incomparable, exit 0"
expect 0 "$TACH" report \
  && err_has "note: overall not compared with " \
  && err_has ": offered at 100 against 1000 requests/s; load both at one --rate" \
  && out_has '^\| Against .* \| 0 regressed \(0 critical\), 0 improved, 0 unchanged, 0 unstable, 2 incomparable \|$' \
  && ok "report: a note says why the rows are not compared, the summary counts them"
expect 0 "$TACH" history \
  && out_has '^note: runs 1 and 2 offered different rates \((get|overall) offered at 100 against 1000 requests/s\): a latency at one rate is no change from another.s, not a regression or an improvement$' \
  && ok "history: the pair of runs at different rates is noted"
expect 0 "$TACH" history --format json \
  && out_jq '.different_rates == [.different_rates[0]] and .different_rates[0].runs == [1, 2]
       and .different_rates[0].base_rate == 100 and .different_rates[0].new_rate == 1000
       and .different_rates[0].unit == "requests/s"' \
  && ok "history --format json: different_rates names the pair once"
# ... a long name (600 bytes) whole in its why, and valid UTF-8 in the note (a 512-byte
# buffer cut it inside a character)
E=$(printf 'é%.0s' {1..300})
for f in r100 r1000; do jq --arg n "get$E" '(.benchmarks[] | select(.name == "get") | .name) = $n' $f.json >l$f.json; done
TACH_STORE="$tmp/long.db" "$TACH" record -q lr100.json lr1000.json >/dev/null 2>&1 || fail "record long"
TACH_STORE="$tmp/long.db" expect 0 "$TACH" history --format json \
  && out_jq --arg w "get$E offered at 100 against 1000 requests/s" '[.different_rates[].why] | index($w) != null' \
  && ok "history --format json: a long name whole in different_rates' why"
TACH_STORE="$tmp/long.db" expect 0 "$TACH" history \
  && check "history: its notes are valid UTF-8" iconv -f UTF-8 -t UTF-8 -o /dev/null "$tmp/out"
# ... and the note's name cut at a character with "…", as a load mix is (it ran whole)
out_has '^note: runs 1 and 2 offered different rates \(get(é)+… offered at 100 against 1000 requests/s\)' \
  && out_lacks "get$E" && ok "history: a long name cut in the note, with …" || fail "history: a long name cut in the note"
expect 0 "$TACH" report --format html -o r.html \
  && check "report --format html: the summary counts the incomparable rows" \
    grep -q '0 unstable; 2 incomparable; 0 added, 0 removed' r.html
if expect 0 "$TACH" site site; then
  check "site: no last verdict for a row offered at other rates" \
    bash -c "! grep -q 'tag t-' site/index.html"
fi
# the closed model's runs, from the store: judged
export TACH_STORE="$tmp/closed.db"
"$TACH" record -q c8.json c8s.json >/dev/null 2>&1 || fail "record closed"
expect 1 "$TACH" gate 1 2 && out_lacks "incomparable" && ok "gate 1 2 from the store: the closed model judged"
expect 0 "$TACH" report && out_lacks 'incomparable' && ok "report: no incomparable count when none"
expect 0 "$TACH" history && out_lacks 'different rates' && ok "history: no note for the closed model"
finish
