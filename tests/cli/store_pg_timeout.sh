#!/usr/bin/env bash
# store_pg_timeout.sh - a PostgreSQL store URL whose server accepts the connection and
# never answers does not hang tach: the connection gives up after the default connect
# timeout (10 s) with exit status 2 and one line, or after the URL's own
# connect_timeout.  The silent server is a loopback listener started here.  (`timeout
# 120` only stops a hung tach from hanging the test; nothing here measures time.)
source "$(dirname "$0")/lib.bash"
/usr/bin/python3 -c '
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
print(s.getsockname()[1], flush=True)
held = []
while True:
    held.append(s.accept()[0])
' >"$tmp/port" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port")
[ -n "$port" ] || { fail "the silent server did not start"; finish; }

if expect 2 timeout 120 "$TACH" history --store "postgresql://tach@127.0.0.1:$port/tach"; then
  err_has "timeout expired" && [ "$(wc -l <"$tmp/err")" -eq 1 ] \
    && ok "a silent server: exit 2 after the default connect timeout, one line" \
      || fail "a silent server: exit 2 after the default connect timeout, one line"
fi
if expect 2 timeout 120 "$TACH" history --store "postgresql://tach@127.0.0.1:$port/tach?connect_timeout=1"; then
  err_has "timeout expired" && ok "the URL's connect_timeout is honoured"
fi
finish
