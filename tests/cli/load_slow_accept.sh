#!/bin/bash
# load_slow_accept.sh - `tach load URL --rate R --clients 3` against a server slow to
# accept (a listen backlog of one, accepting nothing for 1.5 s after the check's
# request): one connection waits in the accept queue, the others' connects are not
# answered (the kernel drops their SYNs, retried after 1 s), so the slots due meanwhile
# wait with every connection busy and some still connecting.  That wait is the server's:
# it stays in the requests' latency from the intended start, but not in the sends'
# lateness (it made the run "invalid: the generator could not hold the rate"), and the
# summary says how many sends waited for connects.  Checks are on counts and the
# document's fields, not on times.
source "$(dirname "$0")/lib.bash"
private_store
command -v python3 >/dev/null || { echo "skip: no python3"; exit 77; }

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$tmp"' EXIT

cat >"$tmp/slow.py" <<'PY'
import socket, sys, threading, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(0)
def serve(c):
    buf = b""
    while True:
        d = c.recv(65536)
        if not d: break
        buf += d
        while b"\r\n\r\n" in buf:
            _, buf = buf.split(b"\r\n\r\n", 1)
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    c.close()
with open(sys.argv[1] + ".tmp", "w") as f: f.write(str(s.getsockname()[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
c, _ = s.accept(); serve(c)          # the check's request, then its connection closed
while not os.path.exists(sys.argv[1] + ".go"):   # slow to accept: until the test says
    time.sleep(0.05)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY

for engine in direct curl; do
  python3 "$tmp/slow.py" "$tmp/port.$engine" & pids+=($!)
  running_until "$!" test -s "$tmp/port.$engine" || { fail "the slow server did not start"; continue; }
  U=http://127.0.0.1:$(cat "$tmp/port.$engine")/
  "$TACH" load "$U" --rate 10 --clients 3 --duration 10 --warmup 0 --engine "$engine" \
    --export-json "sa.$engine.json" --no-store >"$tmp/out" 2>"$tmp/err" &
  tpid=$!
  # a connect to the server unanswered and its SYN sent again
  running_until "$tpid" syn_resent "$(cat "$tmp/port.$engine")" || fail "$engine: no connect of tach's left unanswered and resent"
  : >"$tmp/port.$engine.go"
  wait "$tpid"
  jqc "$engine: sends that waited for connects are counted as such" "sa.$engine.json" \
    '.benchmarks[] | select(.name == "overall") | .load | .connect_waits >= 1'
  out_has "^connects: [0-9]+ sends waited while every connection was busy and some still connecting \(the server slow to accept\)"
done
finish
