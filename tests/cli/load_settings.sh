#!/usr/bin/env bash
# load_settings.sh - two `tach load` runs loaded otherwise than by their rate are two
# experiments, as two runs of the open model at different rates are (load_rates.sh):
# closed-model runs at other --clients or --think, runs of either model with another mix
# of operations (70/20/10 against 50/50 weights), a run of the open model against one of
# the closed, runs of a benchmark binary on other --threads and open-model runs against
# URLs at other --clients (recorded now) were compared as alike ("regressed (critical)",
# a failed gate).  Every row of such runs is incomparable in compare and gate with the
# reason ("different clients: 8 against 64"), report notes and counts it, site gives it
# no verdict, history notes the pair (JSON "different_load").  Equal settings are judged
# as ever, and so are URLs loaded from other numbers of event loops (--threads against
# URLs); weights that give the same shares (70/30 and 7/3) are one mix.  The documents
# are made by hand (a real run's latencies depend on the machine's load); real runs pin
# the fields tach load records.
source "$(dirname "$0")/lib.bash"
private_store
mkdoc fast0.json "get:steady:20:1000" "put:steady:20:1000" "overall:steady:20:1000"
mkdoc slow0.json "get:steady:20:150000" "put:steady:20:150000" "overall:steady:20:150000"
# a load run: each result's block as load_doc.c writes it (the model on every result, the
# offered rate and no weight on overall's, a weight and share_target on each operation's)
load() { # IN OUT RATE CLIENTS THINK GET_WEIGHT PUT_WEIGHT
  jq --argjson r "$3" --argjson c "$4" --argjson t "$5" --argjson wg "$6" --argjson wp "$7" '
    (if $r == null then {kind: "closed", clients: $c, think_s: $t}
     else {kind: "open", arrivals: "constant", stages: [{rate: $r, duration_s: 10}]} end
     + {target: "in-process", threads: 2, duration_s: 10, warmup_s: 1, interval_s: 0.5}) as $m
    | .benchmarks |= map(.group = "load"
        | .load = ({op: .name, model: $m, invalid: false, invalid_reason: null, partial: false}
          + (if .name == "overall" then {rate_target: $r}
             else (if .name == "get" then $wg else $wp end) as $w
               | {weight: $w, share_target: ($w / ($wg + $wp))} end)))' "$1" >"$2"
}
load fast0.json c8.json null 8 0 70 30
load slow0.json c64.json null 64 0 70 30
load slow0.json c8s.json null 8 0 70 30       # c8's settings, slower
load slow0.json c8t.json null 8 0.01 70 30    # --think 10ms
load slow0.json c8m.json null 8 0 50 50       # another mix
load slow0.json c8w.json null 8 0 7 3         # 7/3: the shares of 70/30
load fast0.json r100.json 100 0 0 70 30
load slow0.json r100m.json 100 0 0 50 50      # the open model at one rate, another mix
load slow0.json r100s.json 100 0 0 70 30

# ---- each setting that differs: incomparable, the reason said, no failed gate ----
check_pair() { # BASE NEW PHRASE ADVICE LABEL
  local cmd
  for cmd in compare gate; do
    expect 0 "$TACH" $cmd "$1" "$2" \
      && out_has "^get .*incomparable \\($3; $4\\)\$" \
      && out_has "^overall .*incomparable \\($3; $4\\)\$" \
      && out_lacks '^(get|put|overall) .*(regressed|improved)' && out_has ', 3 incomparable' \
      && ok "$cmd: $5: incomparable, exit 0"
  done
}
check_pair c8.json c64.json 'different clients: 8 against 64' 'load both with one --clients' "closed, 8 against 64 clients"
check_pair c8.json c8t.json 'different think time: 0 s against 0.01 s' 'load both with one --think' "closed, other think time"
check_pair c8.json c8m.json 'different mix: get 70%, put 30% against get 50%, put 50%' \
  'load both with one mix of operations' "closed, 70/30 against 50/50"
check_pair r100.json r100m.json 'different mix: get 70%, put 30% against get 50%, put 50%' \
  'load both with one mix of operations' "open at one rate, 70/30 against 50/50"
check_pair r100.json c64.json 'different model: open against closed' \
  'load both with one model: --rate, or --clients' "open against closed"
# a benchmark binary's threads are its operations' callers (each its own setup, each call
# synchronous): 2 threads against 8 bound the target's concurrency otherwise, in either
# model.  Against URLs the threads are the generator's event loops: judged (below).
threads() { jq --argjson n "$2" --arg t "${4:-in-process}" '.benchmarks[].load.model |= (.threads = $n | .target = $t)' "$1" >"$3"; }
threads c8.json 2 c8h2.json; threads c8s.json 8 c8h8.json
threads r100.json 2 r100h2.json; threads r100s.json 8 r100h8.json
check_pair c8h2.json c8h8.json 'different threads: 2 against 8' 'load both with one --threads' "closed, in-process, 2 against 8 threads"
check_pair r100h2.json r100h8.json 'different threads: 2 against 8' 'load both with one --threads' "open, in-process, 2 against 8 threads"
# model.threads is the threads that ran (one per client at most); a run recorded before
# said --threads there: `--threads 4 --clients 1` stored 4, now 1, and the two were
# called incomparable (different threads: 4 against 1) though both ran one thread
clients() { jq --argjson n "$2" --argjson c "$3" '.benchmarks[].load.model |= (.threads = $n | .clients = $c)' "$1" >"$4"; }
clients c8.json 4 1 old_h4c1.json; clients c8s.json 1 1 new_h1c1.json
clients c8s.json 2 2 new_h2c2.json
for cmd in compare gate; do
  "$TACH" $cmd old_h4c1.json new_h1c1.json >"$tmp/out" 2>"$tmp/err"
  out_lacks 'incomparable' && out_has '^get .*regressed' \
    && ok "$cmd: closed, --threads 4 --clients 1 recorded as 4 threads against 1 thread: one thread ran in both, judged"
  expect 0 "$TACH" $cmd old_h4c1.json new_h2c2.json \
    && out_has '^get .*incomparable \(different clients: 1 against 2; load both with one --clients\)$' \
    && ok "$cmd: 1 client against 2 is still incomparable"
done
# the open model against URLs: its --clients (the most requests in flight, each on its own
# connection to the target) is recorded as model.clients; other clients are incomparable
http() { jq --argjson n "$2" --argjson c "$4" '.benchmarks[].load.model |= (.threads = $n | .target = "http"
  | if $c == null then del(.clients) else .clients = $c end)' "$1" >"$3"; }
http r100.json 1 uc1000.json 1000; http r100s.json 1 uc100.json 100
check_pair uc1000.json uc100.json 'different clients: 1000 against 100' 'load both with one --clients' "open, http, 1000 against 100 in flight"

# ---- a long mix (12 operations named in two-byte characters): the whole of it in JSON's
# why, and the table's verdict cut at a character, with "…" (it was cut at 160 bytes, in
# the middle of a character, in both) ----
long() { # IN FIRST_WEIGHT OUT: get's row as 12 operations, the first weighted FIRST_WEIGHT
  jq --argjson w0 "$2" '(.benchmarks[] | select(.name == "get")) as $g
    | (.benchmarks[] | select(.name == "overall")) as $o
    | .benchmarks = ([range(12)] | map(. as $i | $g | .name = "opération-clé-\($i)" | .load.op = .name
        | .load.weight = (if $i == 0 then $w0 else 1 end) | .load.share_target = (.load.weight / ($w0 + 11)))) + [$o]' "$1" >"$3"
}
long c8.json 1 m1.json; long c8s.json 12 m12.json
expect 0 "$TACH" compare m1.json m12.json --format json \
  && out_jq '[.benchmarks[].why] | length == 13 and all(startswith("different mix: opération-clé-0 8.33%, opération-clé-1 8.33%, ")
       and contains("opération-clé-11 8.33% against opération-clé-0 52.2%, ")
       and contains(", opération-clé-11 4.35%: a latency under one load is no change from another\u0027s"))' \
  && ok "compare --format json: a long mix's whole text in why"
if expect 0 "$TACH" compare m1.json m12.json; then
  check "compare: the table's verdicts are whole characters" iconv -f UTF-8 -t UTF-8 -o /dev/null "$tmp/out"
  out_has '^overall .*incomparable \(different mix: opération-clé-0 8\.33%, .*[^,]…; load both with one mix of operations\)$' \
    && ok "compare: a long mix cut at a character, with …"
fi
export TACH_STORE="$tmp/long.db"
"$TACH" record -q m1.json m12.json >/dev/null 2>&1 || fail "record long mixes"
expect 0 "$TACH" history --format json \
  && out_jq '.different_load[0].why | endswith(", opération-clé-11 4.35%")' \
  && ok "history --format json: a long mix's whole text in why"
# ... and the table's note cut, each side at a character with "…", as compare's verdict
# (it printed the whole mix, both sides, on one line)
if expect 0 "$TACH" history; then
  check "history: its notes are whole characters" iconv -f UTF-8 -t UTF-8 -o /dev/null "$tmp/out"
  out_has '^note: runs 1 and 2 were loaded differently \(opération-clé-0: different mix: opération-clé-0 8\.33%, [^…]*[^,]… against opération-clé-0 52\.2%, [^…]*[^,]…\): a latency under one load' \
    && out_lacks 'opération-clé-11 4\.35%' && ok "history: a long mix's note cut at a character, with …"
fi
expect 0 "$TACH" report && check "report: its notes are whole characters" iconv -f UTF-8 -t UTF-8 -o /dev/null "$tmp/err" \
  && err_has "…; load both with one mix of operations" && ok "report: a long mix cut at a character, with …"
# ... and a long row name cut in the note at a character with "…", as the mix is (it ran
# whole), the JSON's whole
E=$(printf 'é%.0s' {1..300})
for f in c8 c64; do jq --arg e "$E" '.benchmarks[].name |= "row\($e)-" + .' $f.json >n$f.json; done
export TACH_STORE="$tmp/names.db"
"$TACH" record -q nc8.json nc64.json >/dev/null 2>&1 || fail "record long names"
expect 0 "$TACH" history \
  && out_has '^note: runs 1 and 2 were loaded differently \(row(é)+…: different clients' \
  && out_lacks "row$E" && ok "history: a long name cut in the note, with …" || fail "history: a long name cut"
expect 0 "$TACH" history --format json && out_jq --arg n "row$E" '.different_load[0].why | startswith($n)' \
  && ok "history --format json: the long name whole in why"
export TACH_STORE="$tmp/store.db"

expect 0 "$TACH" compare c8.json c64.json --format json \
  && out_jq '[.benchmarks[] | .verdict == "incomparable" and .change == null
       and (.why | startswith("different clients: 8 against 64: a latency under one load is no change"))] | all' \
  && out_jq '.summary.incomparable == 3 and .summary.regressed == 0' \
  && ok "compare --format json: every row incomparable, why names the clients"

# ---- equal settings: judged ----
expect 1 "$TACH" gate c8.json c8s.json && out_has '^overall .*regressed \(critical\)$' \
  && out_lacks incomparable && ok "gate: the same clients, think time and mix: judged"
expect 1 "$TACH" gate c8.json c8w.json && out_has '^overall .*regressed \(critical\)$' \
  && out_lacks incomparable && ok "gate: weights 7/3 are the mix 70/30: judged"
expect 1 "$TACH" gate r100.json r100s.json && out_lacks incomparable \
  && ok "gate: the open model at one rate and mix: judged"
http r100.json 1 u1.json 64; http r100s.json 4 u4.json 64
expect 1 "$TACH" gate u1.json u4.json && out_has '^overall .*regressed \(critical\)$' && out_lacks incomparable \
  && ok "gate: URLs loaded from 1 and 4 event loops, one --clients: judged"
threads c8.json 1 c8u1.json http; threads c8s.json 4 c8u4.json http
expect 1 "$TACH" gate c8u1.json c8u4.json && out_lacks incomparable \
  && ok "gate: the closed model against URLs, 1 and 4 event loops: judged"
http r100.json 1 u0.json null
expect 1 "$TACH" gate u0.json uc100.json && out_lacks incomparable \
  && ok "gate: an open run against URLs recorded without its clients (an older tach): judged"

# ---- from the store: gate, report, history, site ----
"$TACH" record -q c8.json c64.json >/dev/null 2>&1 || fail "record"
expect 0 "$TACH" gate && out_has '^overall .*incomparable \(different clients: 8 against 64' \
  && ok "gate from the store: incomparable, exit 0"
expect 0 "$TACH" report \
  && err_has "note: overall not compared with " \
  && err_has ": different clients: 8 against 64; load both with one --clients" \
  && out_has '^\| Against .* \| 0 regressed \(0 critical\), 0 improved, 0 unchanged, 0 unstable, 3 incomparable \|$' \
  && ok "report: a note says why the rows are not compared, the summary counts them"
expect 0 "$TACH" history \
  && out_has '^note: runs 1 and 2 were loaded differently \((get|put|overall): different clients: 8 against 64\): a latency under one load is no change from another.s, not a regression or an improvement$' \
  && ok "history: the pair of runs loaded differently is noted"
expect 0 "$TACH" history --format json \
  && out_jq '.different_load == [.different_load[0]] and .different_load[0].runs == [1, 2]
       and .different_load[0].different == "clients" and .different_rates == []' \
  && ok "history --format json: different_load names the pair once"
if expect 0 "$TACH" site site; then
  check "site: no last verdict for a row loaded differently" bash -c "test -s site/index.html && ! grep -q 'tag t-' site/index.html"
fi
export TACH_STORE="$tmp/same.db"
"$TACH" record -q c8.json c8s.json >/dev/null 2>&1 || fail "record same"
expect 0 "$TACH" history --format json && out_jq '.different_load == []' \
  && ok "history: no note for runs loaded alike"

# ---- real runs: tach load records clients, think time and the mix ----
B=$TACH_BUILD/tests/fixture_load_ops
export TACH_STORE="$tmp/real.db"
"$TACH" load "$B" safe --threads 1 --clients 1 --duration 0.3 --warmup 0 >/dev/null 2>&1 || fail "load 1 client"
"$TACH" load "$B" safe --threads 1 --clients 2 --duration 0.3 --warmup 0 >/dev/null 2>&1 || fail "load 2 clients"
expect 0 "$TACH" gate && out_has '^safe .*incomparable \(different clients: 1 against 2; load both with one --clients\)$' \
  && ok "real runs at 1 and 2 clients: incomparable"
"$TACH" load "$B" safe:70 risky:30 --threads 1 --clients 1 --duration 0.3 --warmup 0 >/dev/null 2>&1 || fail "load 70/30"
"$TACH" load "$B" safe:50 risky:50 --threads 1 --clients 1 --duration 0.3 --warmup 0 >/dev/null 2>&1 || fail "load 50/50"
expect 0 "$TACH" gate && out_has '^safe .*incomparable \(different mix: safe 70%, risky 30% against safe 50%, risky 50%; load both with one mix of operations\)$' \
  && ok "real runs with mixes 70/30 and 50/50: incomparable"
"$TACH" load "$B" safe --threads 1 --clients 2 --duration 0.3 --warmup 0 >/dev/null 2>&1 || fail "load 1 thread"
"$TACH" load "$B" safe --threads 2 --clients 2 --duration 0.3 --warmup 0 >/dev/null 2>&1 || fail "load 2 threads"
expect 0 "$TACH" gate && out_has '^safe .*incomparable \(different threads: 1 against 2; load both with one --threads\)$' \
  && ok "real runs on 1 and 2 threads, 2 clients: incomparable"
# against a URL, the open model records its --clients (1000 when not given)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$tmp"' EXIT
if delay_server "$tmp/ds.port" 0 0; then
  for c in 4 ""; do
    # exit 1 when a busy machine made the generator late: its document is written as ever
    "$TACH" load "$DS_URL" --rate 20 ${c:+--clients $c} --duration 0.3 --warmup 0 --no-store \
      --export-json "real-u$c.json" >/dev/null 2>&1
    jqc "open model against a URL${c:+, --clients $c}: model.clients recorded" "real-u$c.json" \
      "[.benchmarks[].load.model | .kind == \"open\" and .target == \"http\" and .clients == ${c:-1000}] | all"
  done
fi
finish
