#!/usr/bin/env bash
# certify_long_names.sh - a failed or unstable benchmark with a long non-ASCII name in the
# certificate's Failures and Unstable lists: the item was formatted into a 512-byte
# buffer, cutting the name inside a character (invalid UTF-8 in HTML, "\xc3" in
# Markdown) and losing its status and message; the item is whole, in both formats.
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
    grep -qF "misc/x$E: FAILED - checksum mismatch: got 0x1f, want 0x2e" "c.$fmt"
  check "certify --format $fmt: the unstable benchmark's item whole, its CV" grep -qE "sort/x$E: CV [0-9.]+%" "c.$fmt"
done
finish
