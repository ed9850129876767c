#!/usr/bin/env bash
# suite_help.sh - tach suite --help states the range each option's refusal names: --rate's
# 1 to 1e8, --messages's 10 to 1e8, --time's, the sizes' (crypto's and bus's --sizes,
# --corpus-size, --block, --file-size) were in the refusals alone. Each row: the help's
# words, the refusal's, and the command refused (exit 2, nothing run).
source "$(dirname "$0")/lib.bash"
cd "$tmp" || exit 1
expect 0 "$TACH" suite --help || finish
cp "$tmp/out" "$tmp/help"
row() { # HELP-TEXT REFUSAL-TEXT SUITE ARGS...
  local in_help=$1 refusal=$2
  shift 2
  grep -qF -- "$in_help" "$tmp/help" || fail "--help lacks '$in_help'"
  expect 2 "$TACH" suite "$@" --no-store && err_has "$refusal" && ok "$* refused: the range --help states"
}
row "above 0 and at most 3600 s" "--time: '3601' is too large, expected seconds above 0 s and at most 3600 s" \
  crypto --time 3601
row "crypto from 1 byte to 256MiB" "--sizes: '300MiB' is not a size from 1 to 268435456 bytes" crypto --sizes 300MiB
row "bus from 16 bytes to 64KiB" "--sizes: '8' is not a size from 16 to 65536 bytes" bus --sizes 8
row "size, 1KiB to 1GiB" "--corpus-size: '2GiB' is not a size from 1KiB to 1GiB" compression --corpus-size 2GiB
row "blocks of SIZE, 1KiB or more" "--block: '512' is not a block size of 1KiB or more" compression --block 512
row "size, 4MiB or more" "--file-size: '1MiB' is not a size of 4MiB or more" storage --file-size 1MiB
# a size beyond 64 bits is too large, as every other number says (it was "not a size:
# expected a whole number of bytes ...", as if it were no size at all)
row "crypto from 1 byte to 256MiB" "--sizes: '99999999999999999999' is too large, expected a size from 1 to 268435456 bytes" \
  crypto --sizes 16,99999999999999999999
row "size, 1KiB to 1GiB" "--corpus-size: '99999999999999999999' is too large, expected a size from 1KiB to 1GiB" \
  compression --corpus-size 99999999999999999999
row "blocks of SIZE, 1KiB or more" "--block: '20000000T' is too large, expected a size below 2^64 bytes" \
  compression --block 20000000T
row "size, 4MiB or more" "--file-size: '99999999999999999999' is too large, expected a size below 2^64 bytes" \
  storage --file-size 99999999999999999999
row "per measurement, 10 to 1e8" "--messages: '9' is too small, expected a whole number from 10 to 100000000" \
  bus --messages 9
row "per second, from 1 to 1e8" "--rate: '0' is too small, expected messages per second from 1 to 1e8" bus --rate 0
finish
