#!/bin/bash
# load_retry_wait.sh - `tach load URL --rate 2 --clients 1`, with each engine, against a
# server that answers the first request on a connection and holds the second one a second,
# then closes it unanswered: the request is sent again on a new connection (by tach's
# direct transport, direct_lost, or by libcurl) and answered there.  Its latency from the
# intended start keeps the second it was held: the retry re-stamps the send (the latency
# from the send is the second attempt's, as wrk's), never the slot it was scheduled for,
# so the coordinated-omission correction keeps the wait.  The check is a lower bound (a
# busy machine only adds to it), on 127.0.0.1.
source "$(dirname "$0")/lib.bash"
private_store
command -v python3 >/dev/null || { echo "skip: no python3"; exit 77; }

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$tmp"' EXIT

cat >"$tmp/hold.py" <<'PY'
import os, socket, sys, threading, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(64)
OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
def serve(c):
    buf, n = b"", 0
    while True:
        d = c.recv(65536)
        if not d: break
        buf += d
        while b"\r\n\r\n" in buf:
            _, buf = buf.split(b"\r\n\r\n", 1)
            n += 1
            if n == 1:
                c.sendall(OK)
            else:                    # the second request: held a second, closed unanswered
                time.sleep(1)
                c.close()
                return
    c.close()
with open(sys.argv[1] + ".tmp", "w") as f: f.write(str(s.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
python3 "$tmp/hold.py" "$tmp/port" & pids+=($!)
running_until "$!" test -s "$tmp/port" || { fail "the server did not start"; finish; }
U=http://127.0.0.1:$(cat "$tmp/port")/
# --max-late 100: the sends waiting for the one connection are late by design, not the check
for engine in direct curl; do
  if expect 0 timeout 60 "$TACH" load "$U" --rate 2 --clients 1 --engine "$engine" --duration 3 \
       --warmup 0 --max-late 100 --no-store -q --export-json "$tmp/$engine.json"; then
    jqc "$engine: every held request was answered on its retry (no errors)" "$tmp/$engine.json" \
      '.benchmarks[] | select(.name == "overall") | .load.errors == 0 and .load.count >= 1'
    jqc "$engine: the latency from the intended start holds the second a retried request was held" \
      "$tmp/$engine.json" '.benchmarks[] | select(.name == "overall") | .load.corrected.max_ns >= 1000000000'
  fi
done
finish
