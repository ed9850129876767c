#!/bin/bash
# load_url_port.sh - a URL target with no path has no weight: a password, a query or a
# fragment holding ':' is part of the URL, never "a weight after the port"; only a second
# ':' after the port (http://127.0.0.1:8080:30) is refused, the URL shown redacted.  A
# --duration shorter than the warmup is refused after the targets are read, so reaching
# that error shows the target was taken, with no traffic sent.
source "$(dirname "$0")/lib.bash"
private_store

for u in 'http://user:pw@127.0.0.1:9' 'http://127.0.0.1:9?at=10:30' 'http://127.0.0.1:9#a:5' \
         'http://[::1]:9'; do
  if expect 2 "$TACH" load "$u" --duration 0.2s --warmup 1s --no-store; then
    err_has "shorter than --warmup" && ok "$u taken as a URL with no weight"
    ! grep -qF "weight goes after" "$tmp/err" || fail "$u refused as a weight after the port"
    ! grep -qF ":pw@" "$tmp/err" || fail "$u: the password shown"
  fi
done

for u in 'http://127.0.0.1:8080:30' 'http://[::1]:9:4'; do
  expect 2 "$TACH" load "$u" --duration 0.2s --warmup 1s --no-store &&
    err_has "a weight goes after the URL's path" && ok "$u refused"
done
if expect 2 "$TACH" load 'http://u:secret@127.0.0.1:8080:30' --no-store; then
  err_has "(http://u:***@127.0.0.1:8080/:30)" && ok "the hint redacted"
  ! grep -qF secret "$tmp/err" || fail "the password shown in the refusal"
fi
finish
