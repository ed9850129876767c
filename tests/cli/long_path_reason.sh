#!/usr/bin/env bash
# long_path_reason.sh - a message naming a path of 600 bytes said its start and was cut
# there (the library's 512-byte message), exit 2 with no reason: 'cannot open /tmp/ddd...'
# without "No such file or directory", '--export-json: cannot write ...' without 'does not
# exist'.  The path's middle gives way ("/tmp/ddd…/ggg/x.json"), its file's name and the
# reason are said; a list (--codecs) and a TMPDIR (tach suite bus) the same.
source "$(dirname "$0")/lib.bash"
private_store

d150=$(printf 'd%.0s' {1..150})
long=$tmp/$d150/${d150//d/e}/${d150//d/f}/${d150//d/g} # 600 bytes and more, none of it there
[ ${#long} -gt 600 ] || fail "the long path is ${#long} bytes"

expect 2 "$TACH" suite compression --data "$long/input.bin" \
  && err_has "/input.bin: No such file or directory" \
  && ok "--data a long missing path: its file's name and the reason"

mkdir -p "$long/in.dir"
expect 2 "$TACH" suite compression --data "$long/in.dir" \
  && err_has "/in.dir: Is a directory" \
  && ok "--data a long path to a directory: its name and the reason"

expect 2 "$TACH" report "$long/x.json" \
  && err_has "/x.json': No such file or directory" \
  && ok "tach report of a long missing path: the reason"

expect 2 "$TACH" run --no-store --export-json "$long/no/x.json" -- true \
  && err_has "/x.json': directory '" && err_has "/no' does not exist" \
  && ok "run --export-json into a long missing directory: the directory and the reason"

expect 2 "$TACH" load --duration 1s --export-json "$long/no/x.json" http://127.0.0.1:1/ \
  && err_has "/x.json: directory '" && err_has "/no' does not exist" \
  && ok "load --export-json into a long missing directory: the directory and the reason"

# the message is whole characters where the path was cut (one of 3 bytes at every byte)
cjk=$(printf '\xe5\x90\x8d%.0s' {1..60})
mkdir -p "$tmp/$cjk/$cjk/$cjk/$cjk"
expect 2 "$TACH" suite compression --data "$tmp/$cjk/$cjk/$cjk/$cjk/input.bin" \
  && err_has "/input.bin: No such file or directory" \
  && iconv -f UTF-8 -t UTF-8 "$tmp/err" >/dev/null \
  && ok "a path of wide characters is cut between them"

# a short one is said whole, as it always was
expect 2 "$TACH" suite compression --data "$tmp/nothere/input.bin" \
  && err_line "^tach suite: --data: cannot open $tmp/nothere/input.bin: No such file or directory\$" \
  && ok "a short path is said whole"

list=$(for i in $(seq 1 150); do printf 'c%d,' "$i"; done)
expect 2 "$TACH" suite compression --codecs "$list" \
  && err_has "c150,' ends with a comma" \
  && ok "--codecs a long list ending with a comma: the reason"

if command -v nats-server >/dev/null; then
  TMPDIR=$long/tmp expect 2 "$TACH" suite bus --broker nats \
    && err_has "/tmp' (TMPDIR): No such file or directory; set TMPDIR" \
    && ok "a long missing TMPDIR for a broker: the reason"
else
  ok "no nats-server: the TMPDIR of a broker not checked"
fi

finish
