#!/usr/bin/env bash
# bench/load/run.sh - the load engine's figures (issue 11 §4), side by side with wrk.
#
#   schedule   the open model in-process at 10,000 ops/s (a no-op, one thread, 10 s):
#              the p99 of send lateness (send time - slot time) from the document;
#              target <= 100 us (wrk2 documents about +-1 ms)
#   nginx      Debian's nginx on 127.0.0.1 (a config in a temporary directory, one
#              worker, a 1-byte static file), loaded for DUR s by `tach load URL
#              --threads T --clients C` and by `wrk -t T -c C --latency` in turn (A B B
#              A: the medians of each tool's two runs), the same connections and
#              threads (event loops) each, for each T in THREADS: throughput ratio
#              (target >= 0.8x wrk) and p50 ratio (target within 10%); beside them
#              each tool's mean latency, the mean x rate / C of each run (Little's law:
#              the share of the time a connection has a request out, 1 when it is
#              never idle between an answer and its next request), the CPU per request
#              and, with T > 1, tach's requests per loop in each run
#   conns      1,000 connections held for 30 s by `tach load --clients 1000`: errors
#              (target 0)
#   cost       an in-process no-op at the highest rate (closed model, one client, one
#              thread, 5 s): requests per second, so the generator's own cost per
#              request (two clock reads, the mix's draw, two histogram records)
#
# usage: bench/load/run.sh [BUILD_DIR]     env DUR=10 (seconds per nginx run) C=64
#                                          THREADS="1 2" ENGINE=auto (tach load --engine:
#                                          auto, direct or curl)
# Prints a Markdown block for docs/PERFORMANCE.md.  Takes about 3 minutes.
# Needs nginx-light, wrk, jq (scripts/deps.sh test).
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(readlink -f "${1:-$src/build}")
tach=$build/tach
fix=$build/tests/fixture_load_ops
DUR=${DUR:-10}
C=${C:-64}
THREADS=${THREADS:-1 2}
ENGINE=${ENGINE:-auto}
[ -x "$tach" ] && [ -x "$fix" ] || { echo "build first: cmake --build $build" >&2; exit 2; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
for t in "$NGINX" wrk jq; do command -v "$t" >/dev/null || { echo "missing $t (scripts/deps.sh test)" >&2; exit 2; }; done

w=$(mktemp -d)
ngpid=
trap '[ -n "$ngpid" ] && kill $ngpid 2>/dev/null; wait 2>/dev/null; rm -rf "$w"' EXIT
export TACH_STORE=$w/store.db

overall() { jq "$2" <(jq '.benchmarks[] | select(.name == "overall") | .load' "$1"); }

# ---- schedule accuracy ----
"$tach" load "$fix" noop --rate 10000 --threads 1 --duration 10 --warmup 1 --no-store -q \
  --export-json "$w/sched.json" || true
lat99=$(overall "$w/sched.json" '.lateness.percentiles.p99.value_ns')
lat50=$(overall "$w/sched.json" '.lateness.percentiles.p50.value_ns')
sent=$(overall "$w/sched.json" '.rate_achieved')

# ---- generator cost ----
"$tach" load "$fix" noop --clients 1 --threads 1 --duration 5 --warmup 0.5 --no-store -q \
  --export-json "$w/cost.json"
cost_rps=$(overall "$w/cost.json" '.rps')

# ---- nginx ----
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$w/www" "$w/ng"
printf 'a' >"$w/www/a.txt"
chmod a+rx "$w" "$w/www"; chmod a+r "$w/www/a.txt"
cat >"$w/ng/nginx.conf" <<CONF
worker_processes 1; worker_rlimit_nofile 8192; daemon off; pid $w/ng/nginx.pid; error_log $w/ng/error.log;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 100000000;
  client_body_temp_path $w/ng/b; proxy_temp_path $w/ng/p; fastcgi_temp_path $w/ng/f; uwsgi_temp_path $w/ng/u; scgi_temp_path $w/ng/s;
  server { listen 127.0.0.1:$port; root $w/www; } }
CONF
"$NGINX" -p "$w/ng" -c "$w/ng/nginx.conf" -e "$w/ng/error.log" &
ngpid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/a.txt" >/dev/null && break; sleep 0.1; done
url=http://127.0.0.1:$port/a.txt

# wrk's durations ("661.00us") in ns
ns() { python3 -c '
import sys, re
s = sys.stdin.read().strip(); m = re.match(r"([0-9.]+)(us|ms|s)", s)
print(float(m.group(1)) * {"us": 1e3, "ms": 1e6, "s": 1e9}[m.group(2)])'; }
# wrk's "50%" latency line, its mean ("Latency" Avg) and Requests/sec, in ns and per second
wrk_run() {
  /usr/bin/time -f '%U %S' -o "$w/wrk.cpu" wrk -t "$1" -c "$C" -d "${DUR}s" --latency "$url" >"$w/wrk.txt"
  local rps p50 mean
  rps=$(awk '/^Requests\/sec/ {print $2}' "$w/wrk.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$w/wrk.txt" | ns)
  mean=$(awk '$1 == "Latency" {print $2; exit}' "$w/wrk.txt" | ns)
  local n cpu
  n=$(awk '/requests in/ {print $1}' "$w/wrk.txt")
  cpu=$(awk -v n="$n" '{printf "%.2f", ($1 + $2) * 1e6 / n}' "$w/wrk.cpu")
  echo "$rps $p50 $cpu $mean"
}
tach_run() {
  /usr/bin/time -f '%U %S' -o "$w/t.cpu" "$tach" load "$url" --threads "$1" --clients "$C" --duration "$DUR" --warmup 1 --engine "$ENGINE" --no-store -q --export-json "$w/t.json"
  local n cpu
  n=$(overall "$w/t.json" '.count')
  cpu=$(awk -v n="$n" -v d="$DUR" '{printf "%.2f", ($1 + $2) * 1e6 / (n * (d + 1) / d)}' "$w/t.cpu")
  echo "$(overall "$w/t.json" '.rps') $(overall "$w/t.json" '.uncorrected.percentiles.p50.value_ns') $(overall "$w/t.json" '.errors') $cpu $(overall "$w/t.json" '.uncorrected.mean_ns') $(overall "$w/t.json" '[.loops[]?.requests] | map(tostring) | join("/")')"
}
# per thread count: tach, wrk, wrk, tach
nginx_rows=()
for T in $THREADS; do
  read -r ta_rps ta_p50 ta_err ta_cpu ta_mean ta_loops < <(tach_run "$T")
  read -r wa_rps wa_p50 wa_cpu wa_mean < <(wrk_run "$T")
  read -r wb_rps wb_p50 wb_cpu wb_mean < <(wrk_run "$T")
  read -r tb_rps tb_p50 tb_err tb_cpu tb_mean tb_loops < <(tach_run "$T")
  nginx_rows+=("$T,$ta_rps,$tb_rps,$ta_p50,$tb_p50,$wa_rps,$wb_rps,$wa_p50,$wb_p50,$ta_err,$tb_err,$ta_cpu,$tb_cpu,$wa_cpu,$wb_cpu,$ta_mean,$tb_mean,$wa_mean,$wb_mean,${ta_loops:--},${tb_loops:--}")
done

# ---- 1,000 connections for 30 s ----
"$tach" load "$url" --clients 1000 --duration 30 --warmup 1 --engine "$ENGINE" --no-store -q --export-json "$w/conns.json" || true
engine_used=$(overall "$w/conns.json" '.loops[0].engine' | tr -d '"')
conn_err=$(overall "$w/conns.json" '.errors')
conn_count=$(overall "$w/conns.json" '.count')
conn_rps=$(overall "$w/conns.json" '.rps')

python3 - "$lat50" "$lat99" "$sent" "$cost_rps" "$conn_err" "$conn_count" "$conn_rps" "$C" "$DUR" "$(nproc)" \
  "$(cut -d' ' -f1 /proc/loadavg)" "$engine_used" "${nginx_rows[@]}" <<'PY'
import sys, statistics as st
a = sys.argv[1:]
engine = a.pop(11)
lat50, lat99, sent, cost_rps = map(float, a[0:4])
conn_err, conn_count, conn_rps = int(float(a[4])), int(float(a[5])), float(a[6])
C, DUR, cpus, load = a[7], a[8], a[9], a[10]
def ok(b): return "met" if b else "MISSED"
print(f"| figure | tach | peer | ratio | target |")
print(f"| --- | --- | --- | --- | --- |")
print(f"| open model, in-process no-op at 10,000/s: send lateness p50 / p99 | {lat50/1e3:.1f} µs / {lat99/1e3:.1f} µs ({sent:.0f}/s sent) | wrk2: ±1 ms documented | | p99 ≤ 100 µs: {ok(lat99 <= 100e3)} |")
t_err = 0
for row in a[11:]:
    v = row.split(",")
    T = v[0]
    t_rps = [float(v[1]), float(v[2])]; t_p50 = [float(v[3]), float(v[4])]
    w_rps = [float(v[5]), float(v[6])]; w_p50 = [float(v[7]), float(v[8])]
    t_err += int(float(v[9])) + int(float(v[10]))
    t_cpu = st.median([float(v[11]), float(v[12])]); w_cpu = st.median([float(v[13]), float(v[14])])
    tr, wr = st.median(t_rps), st.median(w_rps); tp, wp = st.median(t_p50), st.median(w_p50)
    th = f"{T} thread" + ("s" if T != "1" else "")
    print(f"| nginx, {C} connections, {th}, {DUR} s: requests/s (median of 2) | {tr:.0f} | wrk {wr:.0f} | {tr/wr:.2f}× | ≥ 0.8×: {ok(tr/wr >= 0.8)} |")
    print(f"| the same: p50 latency | {tp/1e3:.1f} µs | wrk {wp/1e3:.1f} µs | {tp/wp:.2f}× | within 10%: {ok(abs(tp/wp-1) <= 0.1)} |")
    tm, wm = st.median([float(v[15]), float(v[16])]), st.median([float(v[17]), float(v[18])])
    # Little's law per run: mean latency x rate / connections, the share of the time a
    # connection has a request out (1: never idle between an answer and the next send)
    tb = st.median([float(v[15]) * t_rps[0] / 1e9 / int(C), float(v[16]) * t_rps[1] / 1e9 / int(C)])
    wb = st.median([float(v[17]) * w_rps[0] / 1e9 / int(C), float(v[18]) * w_rps[1] / 1e9 / int(C)])
    print(f"| the same: mean latency | {tm/1e3:.1f} µs | wrk {wm/1e3:.1f} µs | {tm/wm:.2f}× | stated |")
    print(f"| the same: mean latency × requests per s / {C} (the share of time a connection has a request out) | {tb:.3f} | wrk {wb:.3f} | | stated |")
    print(f"| the same: CPU (user + system) per request | {t_cpu:.1f} µs | wrk {w_cpu:.1f} µs | {t_cpu/w_cpu:.2f}× | stated |")
    if T != "1":
        print(f"| the same: requests per event loop (tach's two runs) | {v[19]}; {v[20]} | | | stated |")
print(f"| errors in the nginx runs | {t_err} | | | 0: {ok(t_err == 0)} |")
print(f"| 1,000 connections held 30 s | {conn_count} requests ({conn_rps:.0f}/s), {conn_err} errors | | | 0 errors: {ok(conn_err == 0)} |")
print(f"| in-process no-op, closed, 1 thread: the generator's cost per request | {1e9/cost_rps:.0f} ns ({cost_rps:.0f}/s) | | | stated |")
print(f"\n({cpus} CPUs, load average {load} at the end; tach load's transport: {engine})")
PY
