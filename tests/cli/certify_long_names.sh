#!/usr/bin/env bash
# certify_long_names.sh - a failed or unstable benchmark with a long non-ASCII name in the
# certificate's Failures and Unstable lists: the item was formatted into a 512-byte
# buffer, cutting the name inside a character (invalid UTF-8 in HTML, "\xc3" in
# Markdown) and losing its status and message; the item is whole, in both formats.  In
# Markdown a name is a code span, as tach report shows it, so "*" and "[..](..)" in it are
# text, not emphasis or a link.
source "$(dirname "$0")/lib.bash"
cd "$tmp"
E=$(printf 'é%.0s' {1..300}) # 600 bytes
jq --arg b "misc/x$E" --arg u "sort/x$E" '
  (.benchmarks[] | select(.name == "misc/broken") | .name) = $b |
  (.benchmarks[] | select(.name == "sort/qsort/n=1000") | .name) = $u' "$DATA/report_new.json" >long.json
utf8() { python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$1"; }
for fmt in md html; do
  expect 1 "$TACH" certify long.json --no-compare --format $fmt -o "c.$fmt" || continue
  check "certify --format $fmt: valid UTF-8" utf8 "c.$fmt"
  check "certify --format $fmt: the failed benchmark's item whole, its status and message" \
    grep -qE "misc/x$E\`?: FAILED - checksum mismatch: got 0x1f, want 0x2e" "c.$fmt"
  check "certify --format $fmt: the unstable benchmark's item whole, its CV" grep -qE "sort/x$E\`?: CV [0-9.]+%" "c.$fmt"
done
# names with Markdown's syntax, in a table (Targets, Regressions) and a list (Failures)
jq '.benchmarks[0].name = "codec/x*y*z" | .benchmarks[1].name = "codec/_u_ [l](http://e.x)"
  | (.benchmarks[] | select(.name == "misc/broken") | .name) = "misc/*b*"' "$DATA/report_new.json" >md_new.json
jq '.benchmarks[0].name = "codec/x*y*z" | .benchmarks[1].name = "codec/_u_ [l](http://e.x)"
  | (.benchmarks[] | select(.name == "misc/broken") | .name) = "misc/*b*"' "$DATA/report_base.json" >md_base.json
if expect 1 "$TACH" certify md_new.json --baseline md_base.json; then
  out_has '^\| `codec/x\*y\*z` \| throughput' && out_has '^- `misc/\*b\*`: FAILED - checksum mismatch' \
    && out_lacks '^\| codec/' && ok "certify: names with Markdown's syntax are code spans"
fi
finish
