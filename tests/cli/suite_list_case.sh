#!/usr/bin/env bash
# suite_list_case.sh - the names of a suite's list options are read in any case, as
# --broker's are (NATS is nats): --codecs ZSTD, --algos SHA256, --jobs READ-1M,
# --transports PIPE and --patterns 1TO1 run, and their rows and context say the name as
# tach spells it, so runs typed either way group together.  A name given twice in two
# cases is refused like one given twice; an unknown name is refused as typed.
source "$(dirname "$0")/lib.bash"
private_store
expect 0 "$TACH" suite compression --quick --codecs ZSTD,Lz4 --levels 1 --no-store --export-json c.json \
  && jqt '[.benchmarks[].name] == ["compression/zstd/1/compress","compression/zstd/1/decompress","compression/lz4/1/compress","compression/lz4/1/decompress"]' c.json \
  && jqt '.context.suite.libraries | has("zstd") and has("lz4")' c.json \
  && ok "--codecs ZSTD,Lz4: rows and libraries say zstd and lz4" || fail "--codecs in another case"
expect 2 "$TACH" suite compression --quick --codecs zstd,ZSTD --no-store && err_has "given twice" \
  && ok "--codecs zstd,ZSTD: given twice" || fail "--codecs zstd,ZSTD"
expect 2 "$TACH" suite compression --quick --codecs ZSTDX --no-store && err_has "'ZSTDX' is not a codec" \
  && ok "--codecs ZSTDX: named as typed" || fail "--codecs ZSTDX"
expect 0 "$TACH" suite crypto --quick --algos SHA256 --sizes 16 --no-store --export-json k.json \
  && jqt '[.benchmarks[].name | select(test("sha256"))] | length > 0' k.json \
  && jqt '[.benchmarks[].name | select(test("SHA256"))] | length == 0' k.json \
  && ok "--algos SHA256: rows say sha256" || fail "--algos in another case"
expect 2 "$TACH" suite crypto --quick --algos sha256,Sha256 --sizes 16 --no-store && err_has "given twice" \
  && ok "--algos sha256,Sha256: given twice" || fail "--algos sha256,Sha256"
expect 0 "$TACH" suite storage --quick --dir . --jobs READ-1M --no-store --export-json s.json \
  && jqt '[.benchmarks[].name] | length > 0 and all(test("read-1m"))' s.json \
  && ok "--jobs READ-1M: rows say read-1m" || fail "--jobs in another case"
expect 0 "$TACH" suite bus --quick --messages 300 --sizes 16 --no-store --transports PIPE --patterns 1TO1 --export-json b.json \
  && jqt '[.benchmarks[].name] | length > 0 and all(test("pipe") and test("1to1"))' b.json \
  && ok "--transports PIPE --patterns 1TO1: rows say pipe, 1to1" || fail "--transports/--patterns in another case"
finish
