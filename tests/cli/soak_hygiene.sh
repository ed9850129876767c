#!/usr/bin/env bash
# soak_hygiene.sh - what a soak leaves behind and lets through:
# - a `tach soak --load` killed with SIGKILL takes its load run and the benchmark binary
#   that run started with it (parent-death signals), and leaves no temporary file;
# - none of tach's own descriptors (the soak's file, its temporary file, /dev/null)
#   reaches the soaked program, so its "fds" figure is its own;
# - `soak --resume` replaces the soak's earlier record only when the run of that id is
#   still the soak's: a store recreated since (ids start again) keeps its run;
# - tach load --series PATH that cannot be opened: exit 2 naming PATH, for a URL target
#   as for a benchmark binary (/proc/self/exe: a running program's file, ETXTBSY).
source "$(dirname "$0")/lib.bash"
BIN=$TACH_BUILD/tests/fixture_load_ops
private_store
mkdir -p "$tmp/td"
export TMPDIR="$tmp/td"

# ---- kill -9 of a load soak ------------------------------------------------------------
"$TACH" soak --duration 60 --interval 0.2 --out k.jsonl --no-store --load -- "$BIN" flaky --rate 100 \
    --threads 1 >/dev/null 2>"$tmp/kerr" &
spid=$!
running_until "$spid" lines_at_least 2 '"interval"' k.jsonl ||
  fail "the load soak ended before its second interval: $(cat "$tmp/kerr")"
# The load run carries --series /proc/SOAKPID/fd/N on its command line, the binary it
# starts --out=$TMPDIR/tach-load-XXXXXX.
mine() { pgrep -f -- "--series[= ]/proc/$spid/fd/|--out=$tmp/td/"; }
bpid=$(pgrep -f -- "--tach-load --out=$tmp/td/" | head -1)
check "the load soak runs its benchmark binary" test -n "$bpid"

# The binary's descriptors: its standard streams and its own series file, nothing of tach's.
if [ -n "$bpid" ]; then
  links=$(for f in /proc/"$bpid"/fd/*; do readlink "$f"; done)
  printf '%s\n' "$links" >"$tmp/links"
  check "the soak's file is not open in the soaked program" bash -c "! grep -q 'k.jsonl' '$tmp/links'"
  check "... nor the soak's temporary file twice (only the program's own series)" \
    test "$(grep -c 'tach-soak-load' "$tmp/links")" -le 1
  check "... nor a third /dev/null (stdin and stdout only)" test "$(grep -c '^/dev/null$' "$tmp/links")" -le 2
  check "... its fds figure counts its own descriptors only" \
    jqt -s --argjson n "$(grep -c . "$tmp/links")" '[.[] | select(.interval != null)] | all(.fds <= $n)' k.jsonl
fi

kill -KILL "$spid"
wait "$spid" 2>/dev/null
# The load run gets SIGTERM and gives its binary a grace of 5 s at most; both then need
# CPU time to exit: 60 s on a loaded machine.
none_left() { [ -z "$(mine)" ]; }
check "after kill -9 of the soak no process of its load run is left" within 60 none_left
[ -n "$(mine)" ] && for p in $(mine); do kill -KILL "$p" 2>/dev/null; done
check "... and no temporary file is left" test -z "$(ls -A "$tmp/td")"

# ---- a command's descriptors -----------------------------------------------------------
# two intervals are too few for a verdict ("not tested", exit 1): only the descriptors matter here
expect 1 "$TACH" soak --duration 0.5 --interval 0.25 --out c.jsonl --no-store -- \
    sh -c 'exec ls -l /proc/self/fd > "$0"' "$tmp/cfds"
check "a soaked command sees no descriptor of tach's (its file, /dev/null)" \
  bash -c "! grep -q 'c.jsonl' '$tmp/cfds' && test \$(grep -c '/dev/null' '$tmp/cfds') -le 2"

# ---- --resume against a store whose ids started again ----------------------------------
cut_soak() { # cut_soak FILE: a soak of `true` stopped by SIGINT after two intervals
  "$TACH" soak --duration 60 --interval 0.1 --out "$1" -- true >"$tmp/out" 2>"$tmp/err" &
  signal_when INT $! lines_at_least 2 '"interval"' "$1"
}
cut_soak r.jsonl
err_has "recorded run 1"
rm -f "$TACH_STORE"
mkdoc other.json other_bench:steady:5:1
expect 0 "$TACH" record -q other.json
sed -i 's/"duration_s":60\.0/"duration_s":1.5/' r.jsonl
"$TACH" soak --resume r.jsonl >"$tmp/out" 2>"$tmp/err"
check "--resume does not claim to replace a run of a recreated store" bash -c "! grep -q replacing '$tmp/err'"
if expect 0 "$TACH" history --runs --format json; then
  out_jq 'length == 2' && ok "... and adds its record beside the other run"
fi
if expect 0 "$TACH" report 1 --format json --no-compare; then
  out_jq '.benchmarks[0].name == "other_bench"' && ok "... which is kept (run 1 is not the soak's)"
fi

# A relative store names another store from another directory: the series file keeps
# the absolute path.
mkdir -p a b
(cd a && TACH_STORE=rel.db cut_soak ../rel.jsonl)
check "the series file names its store by absolute path" \
  jqt -s --arg p "$tmp/a/rel.db" 'map(select(.store != null)) | .[-1].store == $p' rel.jsonl
(cd b && TACH_STORE=rel.db "$TACH" record -q ../other.json)
sed -i 's/"duration_s":60\.0/"duration_s":1.5/' rel.jsonl
(cd b && TACH_STORE=rel.db "$TACH" soak --resume ../rel.jsonl >"$tmp/out" 2>"$tmp/err")
check "--resume with the same relative store from another directory replaces nothing" \
  bash -c "! grep -q replacing '$tmp/err'"
check "... and the other directory's run is kept" \
  test "$(sqlite3 b/rel.db "select count(*) from tach_benchmarks where name = 'other_bench'")" = 1

# ---- tach load --series that cannot be opened ------------------------------------------
expect 2 "$TACH" load "$BIN" flaky --duration 0.5 --warmup 0 --no-store --quiet --series /proc/self/exe \
  && err_has "--series: cannot write /proc/self/exe" && ok "a bad --series for a benchmark binary: exit 2, naming it"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$tmp/www" && echo hello >"$tmp/www/a.txt"
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$tmp/www" >/dev/null 2>&1 &
hpid=$!
trap 'kill $hpid 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/a.txt" && break; sleep 0.1; done
expect 2 "$TACH" load "http://127.0.0.1:$port/a.txt" --rate 5 --duration 0.5 --warmup 0 --no-store --quiet \
    --series /proc/self/exe \
  && err_has "--series: cannot write /proc/self/exe" && ok "... and for a URL target: exit 2, naming it"
expect 1 "$TACH" load "http://127.0.0.1:$port/a.txt" --rate 5 --duration 0.5 --warmup 0 --no-store --quiet \
    --series /dev/full \
  && err_has "--series: cannot write /dev/full" && ok "a URL target's series that cannot be written: exit 1, said"
kill "$hpid" 2>/dev/null
finish
