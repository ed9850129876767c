#!/usr/bin/env bash
# tach suite compression: a quick run end to end (table, JSON structure, store), the
# round-trip check failing a corrupting codec loudly, --data with a reference size, and
# bad input refused with exit 2 and nothing written.
source "$(dirname "$0")/lib.bash"
cd "$tmp" || exit 1
S="$TACH_SRC/tests/cli/suite_structure.jq"
fast=(--quick --time 0.01 --corpus-size 16k)

# ---- a quick run: table, export, store ----
if expect 0 "$TACH" suite compression "${fast[@]}" --codecs zlib,zstd --levels 1,3 \
     --export-json "$tmp/c.json" --store "$tmp/s.db"; then
  ok "a quick compression run exits 0"
  out_has '^QUICK RUN'
  out_has '^Compressor name +Compress\. MB/s +Decompress\. MB/s +Ratio +Mem comp\. +Mem dec\.$'
  out_has '^zlib [0-9.]+ -1 '
  out_has '^zstd [0-9.]+ -3 '
  out_has '^recommendation: fastest within 5% of the best ratio'
  jq -S -f "$S" "$tmp/c.json" >"$tmp/c.struct"
  golden suite_compression.json "$tmp/c.struct"
  check "every row has a ratio above 1 on the mixed corpus" \
    jqt '[.benchmarks[] | .counters.ratio > 1] | all' "$tmp/c.json"
  check "compress and decompress rows carry the same ratio" \
    jqt '[.benchmarks[] | select(.name|endswith("/compress"))] | length == 4' "$tmp/c.json"
  "$TACH" history --store "$tmp/s.db" >"$tmp/hist" 2>&1
  check "the run is recorded: history lists its rows" grep -q '^compression/zstd/3/decompress ' "$tmp/hist"
  check "the recorded run is tagged quick=1" \
    bash -c "sqlite3 '$tmp/s.db' 'select * from tach_run_tags' | grep -q 'quick.*1'"
  # the profile in the reports and the certificate
  "$TACH" report latest --store "$tmp/s.db" --no-compare --format md >"$tmp/r.md" 2>/dev/null
  check "report: the compression profile, marked quick" \
    bash -c "grep -q '^## Compression profile' '$tmp/r.md' && grep -q '^\*\*Quick run (--quick)\*\*' '$tmp/r.md' &&
             grep -qE '^\| zstd \| 3 \| 1, 3 \| [0-9.]+ \(-[13]\) \| [0-9.]+ \(-[13]\) \| [0-9.]+ \|$' '$tmp/r.md'"
  "$TACH" report latest --store "$tmp/s.db" --no-compare --format html -o "$tmp/r.html" 2>/dev/null
  check "report: the ratio-against-speed chart with its Pareto frontier" \
    bash -c "grep -q 'class=\"chart pareto\"' '$tmp/r.html' && grep -q '<polyline class=\"frontier\"' '$tmp/r.html' &&
             grep -q '(Pareto frontier)</title>' '$tmp/r.html'"
  "$TACH" certify latest --store "$tmp/s.db" -o "$tmp/cert.md" >/dev/null 2>&1
  check "certify: the compression profile" grep -q '^## Compression profile' "$tmp/cert.md"
fi

# ---- --data named with an escape sequence: the "input:" line shows it safe ----
printf 'abc' >"$tmp/f"$'\e[31m'
if expect 0 "$TACH" suite compression --quick --time 0.01 --no-store --data "$tmp/f"$'\e[31m' --codecs lz4 --levels 1; then
  check "no escape byte in the table" bash -c "! grep -q $'\e' '$tmp/out'"
  out_has '^input: file .*/f \[31m, 3 bytes, blocks of 3 bytes$'
fi
# ---- the recommendation gives its MB/s as the table does: three significant digits
# under 10 (zstd -19 on 3 bytes, well under 1 MB/s, was "0.1 MB/s" beside the table's 0.0861)
if expect 0 "$TACH" suite compression --quick --time 0.01 --no-store --data "$tmp/f"$'\e[31m' --codecs zstd --levels 19; then
  tab=$(sed -nE 's/^zstd [0-9.]+ -19 +([0-9.]+)[ [].*/\1/p' "$tmp/out")
  rec=$(sed -nE 's/^recommendation: .*, ([0-9.]+) MB\/s compression\)$/\1/p' "$tmp/out")
  check "the recommendation's MB/s ($rec) is the table's ($tab)" test -n "$tab" -a "$rec" = "$tab"
fi
# ---- --data: the compressed size of 64 KiB of zeros at zlib -9 is zlib's own figure ----
head -c 65536 /dev/zero >"$tmp/zeros"
want=$(python3 -c 'import zlib; print(len(zlib.compress(bytes(65536), 9)))' 2>/dev/null || echo 99)
if expect 0 "$TACH" suite compression --quick --time 0.01 --no-store --data "$tmp/zeros" \
     --codecs zlib --levels 9 --format json; then
  out_jq --argjson w "$want" '.benchmarks[0].counters.compressed_bytes == $w'
  out_jq '.context.suite.input_bytes == 65536'
  # the command line kept is one a user can run again: it begins with tach
  out_jq --arg d "$tmp/zeros" '.context.command_line == ["tach", "suite", "compression", "--quick", "--time",
    "0.01", "--no-store", "--data", $d, "--codecs", "zlib", "--levels", "9", "--format", "json"]'
  ok "--data: compressed size equals Python's zlib.compress(.., 9) ($want bytes)"
fi
# --quick compresses the first 256 KiB of --data, so a file over the input limit is not
# refused for it (it was: "larger than the input limit of 1 GiB", the whole file read
# first); a full run still refuses it.  --max-input-size stands in for a file of GiBs.
head -c 600000 /dev/urandom >"$tmp/big"
if expect 0 "$TACH" suite compression --max-input-size 300000 --quick --time 0.01 --no-store \
     --data "$tmp/big" --codecs lz4 --levels 1 --format json; then
  head_sha=$(head -c 262144 "$tmp/big" | sha256sum | cut -d" " -f1)
  out_jq --arg h "$head_sha" '.context.suite | .input_bytes == 262144 and .input_whole_bytes == 600000
    and .input_sha256 == $h'
  err_has "compressing the first 262144 bytes of --data's 600000"
  ok "--quick: --data over the input limit, its first 256 KiB compressed"
fi
expect 2 "$TACH" suite compression --max-input-size 300000 --time 0.01 --no-store --data "$tmp/big" \
  --codecs lz4 --levels 1 && err_has "larger than the input limit" && ok "a full run refuses it"
# --block splits the input: 64 KiB in 4 KiB blocks compresses to more than in one block
if expect 0 "$TACH" suite compression --quick --time 0.01 --no-store --data "$tmp/zeros" \
     --codecs zlib --levels 9 --block 4k --format json; then
  out_jq --argjson w "$want" '.benchmarks[0].counters.compressed_bytes > $w and .context.suite.block_bytes == 4096'
fi
# a --block larger than the input: the block used is the input's size, and said so (it
# wrote "blocks of 1073741824 bytes" for 64 KiB)
if expect 0 "$TACH" suite compression --quick --time 0.01 --no-store --data "$tmp/zeros" \
     --codecs zlib --levels 9 --block 1GiB --export-json "$tmp/blk.json"; then
  out_has '^input: file .*, 65536 bytes, blocks of 65536 bytes$'
  out_has '^note: --block 1073741824 bytes is more than the input.s 65536: one block of the whole input$'
  check "block_bytes is the block used" jqt '.context.suite.block_bytes == 65536' "$tmp/blk.json"
fi

# ---- --quick compresses at most 256 KiB (the quick corpus's size): one zstd -19 call over
# a large --data took 50 s of a smoke run promised "in under a minute".  The bytes
# compressed are the run's input (its size and hash), said on stderr and in the notes;
# compare tells such a run from a full one ----
head -c 300000 /dev/urandom >"$tmp/big"
if expect 0 "$TACH" suite compression --quick --time 0.01 --no-store --data "$tmp/big" \
     --codecs lz4 --levels 1 --export-json "$tmp/q.json"; then
  err_has "tach suite: note: --quick: compressing the first 262144 bytes of --data's 300000 (leave out --quick for all of it)"
  out_has '^input: file .*/big, 262144 bytes, blocks of 262144 bytes$'
  want=$(head -c 262144 "$tmp/big" | sha256sum | cut -d' ' -f1)
  check "--quick over 300000 bytes of --data: input_bytes 262144 (its first bytes' hash), the whole size and the note kept" \
    jqt --arg h "$want" '.context.suite | .input_bytes == 262144 and .input_sha256 == $h and .input_whole_bytes == 300000
      and (.notes | index("--quick: compressing the first 262144 bytes of --data'"'"'s 300000 (leave out --quick for all of it)") != null)' "$tmp/q.json"
  if expect 0 "$TACH" suite compression --time 0.01 --no-store --data "$tmp/big" --codecs lz4 --levels 1 \
       --export-json "$tmp/full.json"; then
    check "a full run keeps all 300000 bytes, no note" \
      jqt '.context.suite | .input_bytes == 300000 and (has("input_whole_bytes") | not) and (has("notes") | not)' "$tmp/full.json"
    expect 2 "$TACH" compare "$tmp/q.json" "$tmp/full.json" && err_has "262144 bytes" && err_has "300000 bytes" \
      && ok "compare: the quick run's 262144 bytes against the full run's 300000, refused"
  fi
fi
expect 0 "$TACH" suite compression --quick --time 0.01 --no-store --corpus-size 1MiB --codecs lz4 --levels 1 --format json \
  && out_jq '.context.suite | .input_bytes == 262144 and .input_whole_bytes == 1048576' \
  && err_has "note: --quick: a corpus of 262144 bytes, not the 1048576 of --corpus-size" \
  && ok "--quick --corpus-size 1MiB: a corpus of 256 KiB, said"

# a one-byte input: "1 byte", not "1 bytes"
printf x >"$tmp/one"
if expect 0 "$TACH" suite compression --quick --time 0.01 --no-store --data "$tmp/one" \
     --codecs zlib --levels 1; then
  out_has '^input: file .*, 1 byte, blocks of 1 byte$' && ok "a one-byte input is 1 byte"
fi

# ---- the corrupting codec (hidden; only under the test hook) fails its row loudly ----
if TACH_SUITE_TEST=corrupt-codec expect 1 "$TACH" suite compression "${fast[@]}" --no-store \
     --codecs corrupt,zlib --levels 1 --export-json "$tmp/bad.json"; then
  ok "a round-trip mismatch exits 1"
  out_has '^FAILED compression/corrupt/1/compress: round trip mismatch: byte 8192 of 16384 differs'
  check "the mismatching rows are failed, the others ok" \
    jqt '([.benchmarks[] | select(.name|startswith("compression/corrupt/")) | .status] == ["failed","failed"])
         and ([.benchmarks[] | select(.name|startswith("compression/zlib/")) | .status] == ["ok","ok"])' "$tmp/bad.json"
  "$TACH" report "$tmp/bad.json" --no-compare --format md >"$tmp/bad.md" 2>/dev/null
  check "report: the failed level is marked, not counted as measured" \
    bash -c "grep -qE '^\| corrupt \| - \| FAILED: 1 \| - \| - \| - \|$' '$tmp/bad.md' &&
             grep -qE '^\| zlib \| 6 \| 1 \| [0-9.]+ \(-1\) \|' '$tmp/bad.md'"
fi
expect 2 "$TACH" suite compression --no-store --codecs corrupt && err_has "'corrupt' is not a codec"

# ---- interrupted mid-row (the hook raises SIGINT after 5 samples): the compress row
# measured is kept; its decompress row and the levels after were written as measured,
# with no samples ----
if TACH_SUITE_TEST=sigint-after-samples=5 expect 130 "$TACH" suite compression --no-store --time 1 \
     --corpus-size 16k --codecs zlib,zstd --levels 1,2 --export-json "$tmp/int.json"; then
  out_lacks 'nan'
  # the table says it was cut short (it looked complete: a "-" cell, the rows after absent)
  out_has '^PARTIAL RUN \(interrupted\): only what was measured before it stopped is shown$'
  check "interrupted: the one row measured is kept, no row of no samples" \
    jqt '.partial and ([.benchmarks[] | [.name, .status, (.samples.ns | length)]] == [["compression/zlib/1/compress", "ok", 5]])' "$tmp/int.json"
fi

# ---- bad input: exit 2, the flag named, nothing written ----
refused() { # EXPECTED-TEXT ARGS...
  local text=$1; shift
  if expect 2 "$TACH" suite compression --no-store --export-json "$tmp/never.json" "$@"; then
    err_has "$text"
    [ ! -e "$tmp/never.json" ] && ok "nothing written for: $*" || fail "an export was written for: $*"
  fi
}
refused "--levels: 'x'" --levels x
refused "--levels: ' 1'" --levels ' 1'
refused "--levels: '1, 3'" --levels '1, 3'
refused "--levels: '+1'" --levels +1
refused "--codecs: 'lzfoo' is not a codec" --codecs lzfoo
refused "--block: '12'" --block 12
# a value that is no size is said to be one, not "not a block size of 1KiB or more"
# (1.5KiB is more), with the units it takes, in powers of 1024
refused "--block: '1.5KiB' is not a size: expected a whole number of bytes, or of k/KiB, M/MiB, G/GiB or T/TiB (powers of 1024) or of kB, MB, GB or TB (powers of 1000: 1MB is 1000000 bytes), e.g. 64KiB" --block 1.5KiB
refused "--corpus-size: '1e6' is not a size: expected a whole number" --corpus-size 1e6
refused "--corpus: 'poems'" --corpus poems
refused "--corpus-size: '1'" --corpus-size 1
refused "--data: " --data "$tmp/absent"
refused "--data and --corpus" --data "$tmp/zeros" --corpus text
refused "--sizes applies to the crypto and bus suites, not to compression" --sizes 16
refused "--dir applies to the storage suite" --dir "$tmp"
refused "--format: 'xml' is not a format" --format xml
# a level no codec asked for has: refused naming it and their ranges (--levels 1,99 ran
# level 1 and dropped 99 silently); one some codec has is kept (the others skip it)
refused "--levels: level 99 is not a level of any codec asked for (lz4 1-12)" --quick --codecs lz4 --levels 1,99
refused "--levels: level 99 is not a level of any codec asked for (zlib 1-9, " --quick --levels 99
refused "--levels: level 20 is not a level of any codec asked for (zstd 1-19 (20-22 with --ultra))" \
  --quick --codecs zstd --levels 20-22
# a level one codec asked for lacks: it is skipped for that codec with a note saying so
# (the note came only when it lacked every level asked: lz4's 13 and 15 went unsaid)
if expect 0 "$TACH" suite compression --quick --time 0.01 --corpus-size 4k --no-store --codecs zstd,lz4 \
     --levels 2,13,15 --export-json "$tmp/lack.json"; then
  out_has '^note: lz4: levels 13, 15 not measured \(it has 1-12\)$'
  check "the note is in context.suite.notes" \
    jqt '.context.suite.notes | index("lz4: levels 13, 15 not measured (it has 1-12)") != null' "$tmp/lack.json"
  check "lz4 measured level 2 alone" \
    jqt '[.benchmarks[].name | select(startswith("compression/lz4/"))] == ["compression/lz4/2/compress", "compression/lz4/2/decompress"]' "$tmp/lack.json"
fi
# a --data path of any length is the input named, whole (it was cut at 295 bytes)
ld=$tmp/$(printf 'd%.0s' $(seq 200))/$(printf 'e%.0s' $(seq 200))
mkdir -p "$ld" && head -c 2000 "$tmp/zeros" >"$ld/in.bin"
if expect 0 "$TACH" suite compression --quick --time 0.01 --data "$ld/in.bin" --codecs zstd --levels 1 --no-store \
     --export-json "$tmp/ld.json"; then
  check "context.suite.input names the whole --data path" \
    jqt --arg p "file $ld/in.bin" '.context.suite.input == $p' "$tmp/ld.json"
fi
# a codec of one level says it so (snappy's note read "it has 1-1"), where it is built in
"$TACH" suite compression --quick --time 0.01 --corpus-size 4k --no-store --codecs snappy,zstd --levels 2 \
  >"$tmp/out" 2>"$tmp/err"
if grep -q "'snappy' is not built in this tach" "$tmp/err"; then
  ok "skipped: snappy not built in"
else
  out_has '^note: snappy: none of the levels asked for \(it has 1\)$' && ok "snappy's one level: 'it has 1'"
fi
# --ultra where no codec asked for has ultra levels: refused, not ignored
refused "--ultra: no codec asked for has ultra levels (zstd's 20-22); add zstd to --codecs" --quick --codecs lz4 --ultra
# ... and where --levels asks for none of them (--ultra --levels 1-19 did nothing, unsaid)
refused "--ultra: --levels asks for none of zstd's ultra levels (20-22), so it would change nothing: add them to --levels or leave --ultra out" \
  --quick --codecs zstd,lz4 --ultra --levels 1-19
# a level beyond -1000..1000 is one no codec has, said as 1000 is (it was "not a list of levels")
refused "--levels: level 1001 is not a level of any codec asked for (zlib 1-9)" --quick --codecs zlib --levels 1001
refused "--levels: level 1000 is not a level of any codec asked for (zlib 1-9)" --quick --codecs zlib --levels 1000
refused "--levels: level 99999999999999999999 is not a level of any codec asked for (zlib 1-9)" \
  --quick --codecs zlib --levels 1,5-99999999999999999999
refused "--levels: level -1001 is not a level of any codec asked for (zlib 1-9)" --quick --codecs zlib --levels -1001
refused "--levels: '1001x' is not a list of levels" --quick --codecs zlib --levels 1001x
# a value given twice: refused naming it, as in every suite's lists (it was dropped silently)
refused "--codecs: 'zstd' is given twice" --quick --codecs zstd,zstd
refused "--levels: level 2 is given twice in '1-3,2'" --quick --codecs zlib --levels 1-3,2
# a reversed range: said so, naming it (it was "not a list of levels")
refused "--levels: the range 9-1 in '3,9-1' is reversed (9 > 1): write 1-9" --quick --codecs zlib --levels 3,9-1
# ... and no store made by a run that measured nothing (the store is made when recording)
mkdir "$tmp/nostore" && (cd "$tmp/nostore" && TACH_STORE= "$TACH" suite compression --quick --levels 99 2>/dev/null)
[ -z "$(ls -A "$tmp/nostore")" ] && ok "no .tach/tach.db left by a run that measured nothing" || fail "left: $(ls -A "$tmp/nostore")"
# --export-json naming the --data file: refused, the input kept (the document was written
# over it, exit 0), under any spelling of its path
cp "$tmp/zeros" "$tmp/input"
for p in "$tmp/input" "$tmp/./input"; do
  if expect 2 "$TACH" suite compression --quick --no-store --codecs zlib --levels 1 --data "$tmp/input" \
       --export-json "$p"; then
    err_has "--export-json '$p' is the --data file: writing it would destroy the suite's input"
    check "the --data file is unchanged" cmp -s "$tmp/zeros" "$tmp/input"
  fi
done
expect 2 "$TACH" suite nosuch && err_has "'nosuch' is not a suite"
expect 2 "$TACH" suite && err_has "no suite named"
expect 0 "$TACH" suite --help && out_has '^usage: tach suite compression\|crypto\|storage\|bus'
finish
