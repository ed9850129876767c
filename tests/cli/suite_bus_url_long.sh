#!/usr/bin/env bash
# suite_bus_url_long.sh - tach suite bus --url with a long host: a host name of 128 bytes or
# more (DNS allows 253) was refused as "not a broker URL", and [HOST]:PORT of 150 or more cut
# in context.suite.broker_at; it is used and named whole. A host longer than any host name
# (more than 253 bytes; 254 and 255 were taken) is refused, exit 2, saying so. The long
# host here is 127.0.0.1 written with 200 leading zeros (0x000...07f.0.0.1), which the C
# library reads as that address without asking DNS. A user of 600 bytes (one of 1023 is taken) was cut at 511 bytes in
# what showed the URL: the messages naming it and context.suite.broker; it is shown whole.
source "$(dirname "$0")/lib.bash"
cd "$tmp" || exit 1
fast=(--quick --messages 200 --sizes 16 --patterns 1to1)
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT

# no host name is this long: refused before anything is reached (no DNS asked)
huge=$(printf 'h%.0s' $(seq 300))
expect 2 "$TACH" suite bus "${fast[@]}" --no-store --url "redis://$huge:6379" \
  && err_has "--url: 'redis://$huge:6379': its host is longer than a host name can be (253 bytes)" \
  && ok "a host of 300 bytes refused, named"
[ ! -e "$tmp/store.db" ] || fail "a refused --url wrote a store"
# the limit is DNS's 253 bytes, as the message says (254 and 255 were taken): 127.0.0.1
# zero-padded to 253 bytes goes on to be reached (port 9, discard, where no broker
# listens), to 254 is refused as too long
H253="0x$(printf '0%.0s' $(seq 243))7f.0.0.1"
H254="0$H253"
expect 2 "$TACH" suite bus "${fast[@]}" --no-store --url "redis://$H254:9" \
  && err_has "--url: 'redis://$H254:9': its host is longer than a host name can be (253 bytes)" \
  && ok "a host of ${#H254} bytes refused, named"
if expect 2 "$TACH" suite bus "${fast[@]}" --no-store --url "redis://$H253:9"; then
  if grep -qF "longer than a host name" "$tmp/err"; then fail "a host of ${#H253} bytes refused as too long"
  else err_has "cannot reach $H253:9" && ok "a host of ${#H253} bytes is taken (and reached for)"; fi
fi

LU=$(printf 'u%.0s' $(seq 600))
expect 2 "$TACH" suite bus "${fast[@]}" --no-store --url "nats://$LU:pw@127.0.0.1:9/x" \
  && err_has "--url: 'nats://$LU:***@127.0.0.1:9/x' has a path" && ok "a URL of a 600-byte user named whole"

H="0x$(printf '0%.0s' $(seq 200))7f.0.0.1"
tried=0
if command -v redis-server >/dev/null; then
  p=$(free_port); mkdir -p rd
  redis-server --bind 127.0.0.1 --port "$p" --dir "$tmp/rd" --save '' --appendonly no >/dev/null 2>&1 &
  pids+=($!)
  if wait_port "$p"; then
    tried=1
    if expect 0 "$TACH" suite bus "${fast[@]}" --no-store --url "redis://$H:$p" --export-json "$tmp/r.json"; then
      ok "redis: a host of ${#H} bytes is used"
      check "redis: context.suite.broker_at names the host whole" \
        jqt --arg a "$H:$p" '.context.suite.broker_at == $a' "$tmp/r.json"
      check "redis: context.suite.broker names the URL whole" \
        jqt --arg a "redis://$H:$p" '.context.suite.broker == $a' "$tmp/r.json"
    fi
  else fail "redis-server did not start"; fi
  # a Redis ACL user of 600 bytes: the document names it whole, the password hidden
  p=$(free_port); mkdir -p rdu
  redis-server --bind 127.0.0.1 --port "$p" --dir "$tmp/rdu" --save '' --appendonly no \
    --user "$LU" on '>pw' '~*' '&*' '+@all' >/dev/null 2>&1 &
  pids+=($!)
  if wait_port "$p"; then
    expect 0 "$TACH" suite bus "${fast[@]}" --no-store --url "redis://$LU:pw@127.0.0.1:$p" --export-json "$tmp/u.json" \
      && check "redis: context.suite.broker names a user of 600 bytes whole" \
        jqt --arg a "redis://$LU:***@127.0.0.1:$p" '.context.suite.broker == $a' "$tmp/u.json" \
      && out_has "^broker: redis://$LU:\*\*\*@127\.0\.0\.1:$p$"
  else fail "redis-server (an ACL user) did not start"; fi
fi
[ "$tried" -gt 0 ] || { echo "redis-server not installed: a long --url host not run"; [ "$fails" = 0 ] && exit 77; }
finish
