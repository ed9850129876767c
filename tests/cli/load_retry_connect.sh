#!/bin/bash
# load_retry_connect.sh - `tach load URL --rate 10 --clients 1`, with each engine, against a
# server that answers the first request on a connection, then closes it on the second
# one unanswered: the request is sent again on a new connection (by tach's direct
# transport, or by libcurl), and that connect is left unanswered (the accept queue full)
# until the test says.  The slots due meanwhile wait with the only connection busy
# connecting again: that wait is the server's, counted in connect_waits, as for a first
# connect; it was counted as the generator's lateness (connect_waits absent), with the
# direct engine until it marked the retry connecting, with libcurl's until its new
# socket (CURLOPT_OPENSOCKETFUNCTION) did.  Checks are on counts and the document's fields, not on times:
# the connect is held past a resent SYN (a second at least), and --late-bound 500ms
# leaves the answers that follow it (the waiting slots sent one by one on the one
# connection) time enough on a busy machine.
source "$(dirname "$0")/lib.bash"
private_store
command -v python3 >/dev/null || { echo "skip: no python3"; exit 77; }

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$tmp"' EXIT

cat >"$tmp/retry.py" <<'PY'
import os, socket, sys, threading, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(0)
OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
def requests(c):
    buf = b""
    while True:
        d = c.recv(65536)
        if not d: return
        buf += d
        while b"\r\n\r\n" in buf:
            _, buf = buf.split(b"\r\n\r\n", 1)
            yield
def serve(c):
    for _ in requests(c): c.sendall(OK)
    c.close()
with open(sys.argv[1] + ".tmp", "w") as f: f.write(str(s.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
c, _ = s.accept(); serve(c)           # the check's request, then its connection closed
c, _ = s.accept()                     # the load's connection
n = 0
for _ in requests(c):
    n += 1
    if n == 1:
        c.sendall(OK)
        filler = socket.create_connection(s.getsockname())  # the accept queue now full
    else:
        break                         # the second request: closed unanswered
c.close()
while not os.path.exists(sys.argv[1] + ".go"):  # the retry's connect unanswered until then
    time.sleep(0.05)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY

for engine in direct curl; do
  rm -f "$tmp/port" "$tmp/port.go"
  python3 "$tmp/retry.py" "$tmp/port" & pids+=($!)
  running_until "$!" test -s "$tmp/port" || { fail "$engine: the server did not start"; continue; }
  U=http://127.0.0.1:$(cat "$tmp/port")/
  "$TACH" load "$U" --rate 10 --clients 1 --late-bound 500ms --duration 10 --warmup 0 \
    --engine "$engine" \
    --export-json "rc-$engine.json" --no-store >"$tmp/out" 2>"$tmp/err" &
  tpid=$!
  # tach's connect unanswered (SYN_SENT) and its SYN sent again: the retry is waiting
  running_until "$tpid" syn_resent "$(cat "$tmp/port")" ||
    fail "$engine: no retried connect of tach's left unanswered and resent"
  : >"$tmp/port.go"
  wait "$tpid"
  jqc "$engine: sends that waited for the retried connect are counted as connect waits" "rc-$engine.json" \
    '.benchmarks[] | select(.name == "overall") | .load | .connect_waits >= 1'
  out_has "^connects: [0-9]+ sends waited while every connection was busy and some still connecting"
done
finish
