#!/usr/bin/env bash
# load_warmup_interrupt.sh - Ctrl-C during `tach load`'s warm-up: nothing was measured,
# and the summary says so ("0 s measured", "PARTIAL: interrupted in the warm-up; nothing
# was measured") where it said "0.00 ns measured" and "0.00 ns were measured".  The
# target is a small Python server on 127.0.0.1 that logs each request: its second
# request is the run's own (the first is the check before the run), so the signal comes
# once the load is on, inside a 60 s warm-up; checks are on lines, never on a time.
source "$(dirname "$0")/lib.bash"
private_store
command -v python3 >/dev/null || { echo "skip: python3 not installed"; exit 77; }
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$tmp"' EXIT
python3 - "$tmp/port" "$tmp/requests" <<'PY' &
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "3")
        self.end_headers()
        self.wfile.write(b"ok\n")
        with open(sys.argv[2], "a") as f:
            f.write("GET\n")
    def log_message(self, *a):
        pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.server_address[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
s.serve_forever()
PY
pids+=($!)
running_until "${pids[-1]}" test -s "$tmp/port" || { fail "the test server did not start"; finish; }
U=http://127.0.0.1:$(cat "$tmp/port")/

"$TACH" load "$U" --rate 20 --duration 61 --warmup 60 --export-json w.json --no-store >out 2>err &
signal_when INT $! lines_at_least 2 GET "$tmp/requests"
[ $rc -eq 130 ] && ok "interrupted in the warm-up: exit 130" || bad "exit $rc, expected 130: $(cat err)"
out_has '^load: open model \(constant arrivals\), 1 thread, 0 s measured after 60 s warm-up '
out_has '^PARTIAL: interrupted in the warm-up; nothing was measured$'
out_lacks 'ns (were )?measured'
jqc "the document: partial, nothing measured" w.json \
  '.partial == true and (.benchmarks[] | select(.name == "overall") | .load | .measured_s == 0 and .count == 0)'

finish
