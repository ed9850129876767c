#!/usr/bin/env bash
# push_gateway.sh - `tach push` against a real Prometheus Pushgateway (Debian's
# prometheus-pushgateway) started on a free loopback port: the metrics read back from
# its /metrics with curl carry the job and grouping labels and the run's values; a
# second push replaces the group; an interrupted run says so (tach_run_partial); a
# gateway that is down, or that answers an error, gives one line and exit 2.
source "$(dirname "$0")/lib.bash"
set -o pipefail
command -v prometheus-pushgateway >/dev/null || { echo "prometheus-pushgateway is not installed (scripts/deps.sh test)" >&2; exit 1; }
cd "$tmp"
mkstore s.db
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
prometheus-pushgateway --web.listen-address=127.0.0.1:$port >gw.log 2>&1 &
gw=$!
trap 'kill $gw 2>/dev/null; wait $gw 2>/dev/null; rm -rf "$tmp"' EXIT
# (a gateway that cannot start ends the wait)
running_until "$gw" curl -sf "http://127.0.0.1:$port/-/ready" -o /dev/null || { echo "the pushgateway did not start: $(cat gw.log)" >&2; exit 1; }
url=http://127.0.0.1:$port

if expect 0 "$TACH" push "$url" --store s.db --job ci --label branch=main --label path=a/b; then
  grep -q "pushed .* samples of run 2 to $url/metrics/job/ci/branch/main/path@base64/YS9i (job ci)" err \
    || fail "push message: $(cat err)"
  curl -sf "$url/metrics" >m.txt || fail "reading back /metrics"
  # The median of codec/decompress in report_new.json is 114981.26 ns
  # (estimates.median.value), in seconds.
  grep -q '^tach_benchmark_median_seconds{benchmark="codec/decompress",branch="main",group="codec",instance="",job="ci",path="a/b",status="ok"} 0.00011498126$' m.txt \
    || fail "codec/decompress median not read back: $(grep decompress m.txt | head -2)"
  grep -q '^tach_benchmark_ok{benchmark="misc/crashy",branch="main",group="misc",instance="",job="ci",path="a/b",status="crashed"} 0$' m.txt \
    || fail "crashed benchmark not read back"
  grep -q '^tach_run_benchmarks{.*job="ci".*} 14$' m.txt || fail "tach_run_benchmarks not 14"
  ok "push: metrics read back with job and labels (value with / as base64)"
fi

# Push run 1 to the same group: PUT replaces it, so hash/crc32 (only in run 1) appears
# and hash/xxh3 (only in run 2) is gone.
if expect 0 "$TACH" push "$url" 1 --store s.db --job ci --label branch=main --label path=a/b; then
  curl -sf "$url/metrics" >m2.txt
  grep -q 'benchmark="hash/crc32"' m2.txt && ! grep -q 'benchmark="hash/xxh3".*job="ci"' m2.txt \
    && ok "push: a second push replaces the group" || fail "group not replaced"
fi

# From a results file, with a baseline: change ratios are pushed too.
if expect 0 "$TACH" push "$url" "$DATA/report_new.json" --baseline "$DATA/report_base.json" --job files; then
  curl -sf "$url/metrics" >m3.txt
  grep -q '^tach_benchmark_regressed{benchmark="codec/decompress",.*job="files".*} 1$' m3.txt \
    && ok "push: from a file with a baseline (regressed=1)" || fail "regressed flag not pushed"
fi

# A results file whose name holds the 8-bit CSI and a tab: named on one line, as spaces.
cp "$DATA/report_new.json" "new"$'\xc2\x9b\t'".json"
if expect 0 "$TACH" push "$url" "new"$'\xc2\x9b\t'".json" --job files; then
  err_line "^tach push: pushed .* samples of file new   \.json to $url/metrics/job/files \(job files\)$" \
    && ok "push: a file's name shown with its controls as spaces"
fi

# An interrupted run (partial) carries tach_run_partial 1 to the gateway (it read there
# as a whole run); the whole run pushed above has 0.
grep -q '^tach_run_partial{.*job="files".*} 0$' m3.txt || fail "tach_run_partial 0 not pushed for a whole run"
jq '.partial = true' "$DATA/report_new.json" >partial.json
if expect 0 "$TACH" push "$url" partial.json --job partial; then
  curl -sf "$url/metrics" >m5.txt
  grep -q '^tach_run_partial{.*job="partial".*} 1$' m5.txt \
    && ok "push: a partial run carries tach_run_partial 1" || fail "tach_run_partial 1 not pushed"
fi

# The gateway answers an error (a path it does not serve): exit 2, its answer named.
if expect 2 "$TACH" push "$url/nope" --store s.db; then
  err_line "answered HTTP 404" && ok "push: HTTP error named, exit 2"
fi
# The gateway is down.
kill $gw; wait $gw 2>/dev/null
if expect 2 "$TACH" push "$url" --store s.db --timeout 5; then
  err_line "cannot reach the Pushgateway at $url" && ok "push: gateway down, exit 2"
fi
# a URL with a query: the metrics path would go after it (PUT /p/?x=1/metrics/job/...)
expect 2 "$TACH" push "$url/p/?x=1" --store s.db && err_has "has a query or a fragment" &&
  ok "a URL with a query is refused before anything is sent"
finish
