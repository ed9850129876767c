#!/usr/bin/env bash
# suite_bus_auth.sh - tach suite bus --url with user:password@ at brokers on 127.0.0.1 that
# ask for them (Redis requirepass, NATS --user/--pass, Mosquitto's password file): the
# credentials are used (redis AUTH, NATS user info, MQTT username/password), a wrong or
# missing one refused with exit 2, and the password never shown: not in a message, the
# table, the exported or the stored document, a report or a certificate (user:***@).
# (It connected without them, and "cannot resolve 'user:PW@127.0.0.1'" printed it.)
source "$(dirname "$0")/lib.bash"
cd "$tmp" || exit 1
PW=Sekr1tPw
fast=(--quick --messages 200 --sizes 16 --patterns 1to1)
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
have() { command -v "$1" >/dev/null || [ -x "/usr/sbin/$1" ]; }
no_pw() { # WHAT FILE...
  local what=$1; shift
  if grep -al -- "$PW" "$@" >/dev/null 2>&1; then fail "$what: the password is shown: $(grep -ah -- "$PW" "$@" | head -2)"
  else ok "$what"; fi
}
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }

# the URL is checked before anything runs: a user without a password, a password without a
# user (but for Redis), refused, the userinfo hidden
expect 2 "$TACH" suite bus "${fast[@]}" --no-store --url "nats://$PW@127.0.0.1:9" \
  && err_has "--url: 'nats://***@127.0.0.1:9' gives a user without a password" && no_pw "a token-like userinfo refused, hidden" err
expect 2 "$TACH" suite bus "${fast[@]}" --no-store --url "mqtt://:$PW@127.0.0.1:9" \
  && err_has "--url: 'mqtt://:***@127.0.0.1:9' gives a password without a user" && no_pw "a password without a user refused, hidden" err
expect 2 "$TACH" suite bus "${fast[@]}" --no-store --url "redis://u:$PW@127.0.0.1:9" \
  && err_has "cannot reach 127.0.0.1:9" && no_pw "an unreachable broker's message" err

tried=0
run_auth() { # NAME URL-WITHOUT-USERINFO USER
  local name=$1 hostport=$2 user=$3
  tried=$((tried + 1))
  if expect 0 "$TACH" suite bus "${fast[@]}" --url "$name://$user:$PW@$hostport" --store "$tmp/s.db" \
       --export-json "$tmp/$name.json"; then
    ok "$name: the credentials of --url are used"
    out_has "^broker: $name://$user:\*\*\*@$hostport$"
    out_has "^$name/1to1/16 +[0-9]+"
    check "$name: the document names the broker without its password" \
      jqt --arg u "$name://$user:***@$hostport" '.context.suite.broker == $u' "$tmp/$name.json"
    "$TACH" report --store "$tmp/s.db" --format markdown >"$tmp/$name.md" 2>&1
    "$TACH" certify --store "$tmp/s.db" -o "$tmp/$name.cert.md" >/dev/null 2>&1
    grep -aq "$user:\*\*\*@" "$tmp/s.db" || fail "$name: the stored run does not name the broker (test is void)"
    no_pw "$name: messages, table, export, store, report, certificate" \
      "$tmp/out" "$tmp/err" "$tmp/$name.json" "$tmp/s.db" "$tmp/$name.md" "$tmp/$name.cert.md"
  fi
  expect 2 "$TACH" suite bus "${fast[@]}" --url "$name://$user:wrong$PW@$hostport" --no-store \
    && err_has "does not answer as a $name broker" && no_pw "$name: a wrong password refused, not shown" err
  expect 2 "$TACH" suite bus "${fast[@]}" --url "$name://$hostport" --no-store \
    && ok "$name: no credentials where the broker wants them: refused (exit 2)"
}

if have redis-server; then
  p=$(free_port); mkdir -p rd
  redis-server --bind 127.0.0.1 --port "$p" --dir "$tmp/rd" --save '' --appendonly no --requirepass "$PW" >/dev/null 2>&1 &
  pids+=($!)
  if wait_port "$p"; then
    run_auth redis "127.0.0.1:$p" default
    # requirepass's own form, no user: AUTH PASSWORD
    expect 0 "$TACH" suite bus "${fast[@]}" --url "redis://:$PW@127.0.0.1:$p" --no-store \
      && out_has "^broker: redis://:\*\*\*@127\.0\.0\.1:$p$" && no_pw "redis :PASSWORD@" out err
    expect 2 "$TACH" suite bus "${fast[@]}" --url "redis://127.0.0.1:$p" --no-store \
      && err_has "NOAUTH" && err_has "give --url redis://USER:PASSWORD@HOST:PORT"
  else fail "redis-server did not start"; fi
fi
# a long password (a managed Redis's token has up to 128 characters, ElastiCache's; 200 here)
# is used (it was refused as "not a broker URL": the password was held in 128 bytes)
if have redis-server; then
  p=$(free_port); LPW=$(printf 'Lk%.0s' $(seq 100)); mkdir -p rdl
  redis-server --bind 127.0.0.1 --port "$p" --dir "$tmp/rdl" --save '' --appendonly no --requirepass "$LPW" >/dev/null 2>&1 &
  pids+=($!)
  if wait_port "$p"; then
    expect 0 "$TACH" suite bus "${fast[@]}" --url "redis://:$LPW@127.0.0.1:$p" --no-store \
      && out_has "^redis/1to1/16 +[0-9]+" && ok "redis: a password of ${#LPW} bytes is used"
  else fail "redis-server did not start"; fi
fi
if have nats-server; then
  p=$(free_port)
  $(command -v nats-server || echo /usr/sbin/nats-server) -a 127.0.0.1 -p "$p" --user u1 --pass "$PW" >/dev/null 2>&1 &
  pids+=($!)
  if wait_port "$p"; then run_auth nats "127.0.0.1:$p" u1; else fail "nats-server did not start"; fi
fi
if have mosquitto && command -v mosquitto_passwd >/dev/null; then
  p=$(free_port)
  mosquitto_passwd -b -c "$tmp/mpw" u1 "$PW"
  printf 'listener %s 127.0.0.1\nallow_anonymous false\npassword_file %s/mpw\n' "$p" "$tmp" >"$tmp/m.conf"
  # (run as root, mosquitto drops to its own user: the password file must be readable to it)
  chmod 711 "$tmp"; chmod 644 "$tmp/mpw"
  $(command -v mosquitto || echo /usr/sbin/mosquitto) -c "$tmp/m.conf" >"$tmp/mlog" 2>&1 &
  pids+=($!)
  if wait_port "$p"; then run_auth mqtt "127.0.0.1:$p" u1; else fail "mosquitto did not start: $(head -c 300 "$tmp/mlog")"; fi
fi
[ "$tried" -gt 0 ] || { echo "no broker installed: --url credentials not tested"; [ "$fails" = 0 ] && exit 77; }
finish
