#!/usr/bin/env bash
# site_long_names.sh - a benchmark with a long non-ASCII name (600 bytes) recorded twice:
# its history chart's title ("History of NAME over 2 runs on MACHINE") was formatted
# into a 512-byte buffer, cut inside a character, so tach site's page of it and tach
# report --format html (from the store) were not valid UTF-8; the title is whole.
source "$(dirname "$0")/lib.bash"
private_store
cd "$tmp"
E=$(printf 'é%.0s' {1..300})
for f in base new; do jq --arg n "codec/x$E" '.benchmarks[0].name = $n' "$DATA/report_$f.json" >"l$f.json"; done
"$TACH" record -q lbase.json lnew.json >/dev/null 2>&1 || fail "record"
utf8() { python3 -c 'import sys; [open(f, "rb").read().decode("utf-8") for f in sys.argv[1:]]' "$@"; }
if expect 0 "$TACH" site site; then
  check "site: every page valid UTF-8" utf8 site/*.html site/b/*.html
  check "site: the long name's chart title whole" grep -qF "<title>History of codec/x$E over 2 runs" site/b/codec_x*.html
fi
if expect 0 "$TACH" report --format html -o r.html; then
  check "report --format html: valid UTF-8" utf8 r.html
  check "report --format html: the long name's chart title whole" grep -qF "<title>History of codec/x$E over 2 runs" r.html
fi
finish
