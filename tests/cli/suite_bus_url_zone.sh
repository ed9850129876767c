#!/usr/bin/env bash
# suite_bus_url_zone.sh - tach suite bus --url with an IPv6 address's zone, written as RFC
# 6874 writes it in a URL: after '%25' ([::1%25lo], [fe80::1%25eth0]). The zone went to
# the resolver still encoded ("cannot resolve '::1%25lo'"), and [::1%lo] (a bare '%') was
# taken as a URL; the zone is decoded and used through its interface's index (glibc takes
# an interface's name after a link-local address only), and a bare '%', an empty zone, a
# zone of other characters or naming no interface are refused, exit 2, saying which.
# Only ::1 is contacted: a nats-server the test starts there.
source "$(dirname "$0")/lib.bash"
cd "$tmp" || exit 1
fast=(--quick --messages 100 --sizes 16 --patterns 1to1 --transports queue)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT

# refused before anything is reached, each saying why, nothing written
refused() { # URL TEXT
  if expect 2 "$TACH" suite bus "${fast[@]}" --url "$1"; then
    err_has "--url: '$1': $2" && ok "$1 refused: $2"
  fi
  [ ! -e "$tmp/.tach" ] || fail "$1: a refused --url wrote a store"
}
refused 'nats://[::1%lo]:9' "an IPv6 address's zone follows '%25' in a URL"
refused 'redis://[fe80::1%eth0]:9' "an IPv6 address's zone follows '%25' in a URL"
refused 'mqtt://[::1%25]:9' "the zone after '%25' is not one"
refused 'mqtt://[::1%25l+o]:9' "the zone after '%25' is not one"
refused 'mqtt://[::1%25lo%00]:9' "the zone after '%25' is not one"
refused 'nats://[::1%25tachnosuch0]:9' "no network interface here has its zone's name or index"
refused 'nats://u:***@[::1%25tachnosuch0]:9' "no network interface here has its zone's name or index"

have_v6() { python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; }
nats=$(command -v nats-server || { [ -x /usr/sbin/nats-server ] && echo /usr/sbin/nats-server; })
if [ -z "$nats" ] || ! have_v6 || [ ! -r /sys/class/net/lo/ifindex ]; then
  echo "nats-server, ::1 or lo's index missing: a zone's broker not run"
  [ "$fails" = 0 ] && exit 77
  finish
fi
p=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET6); s.bind(("::1", 0)); print(s.getsockname()[1])')
"$nats" -a ::1 -p "$p" >"$tmp/nats.log" 2>&1 &
pids+=($!)
within 60 bash -c "exec 3<>/dev/tcp/::1/$p" 2>/dev/null || { fail "nats-server did not start on [::1]:$p"; finish; }
lo=$(cat /sys/class/net/lo/ifindex)
# by name, by index, and by a name percent-encoded (%6C%6F is lo)
for url in "nats://[::1%25lo]:$p" "nats://[::1%25$lo]:$p" "nats://[::1%25%6C%6F]:$p"; do
  if expect 0 "$TACH" suite bus "${fast[@]}" --no-store --url "$url" --export-json "$tmp/z.json"; then
    out_has "^broker: nats://\[::1%25.*\]:$p$" && out_has '^nats/1to1/16 +[0-9]+' && ok "$url: used"
    check "$url: broker as given, broker_at through lo's index" \
      jqt --arg u "$url" --arg a "[::1%$lo]:$p" '.context.suite.broker == $u and .context.suite.broker_at == $a' "$tmp/z.json"
  fi
done
finish
