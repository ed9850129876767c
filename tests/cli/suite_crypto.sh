#!/usr/bin/env bash
# tach suite crypto: a quick run end to end (table, JSON structure, CPU features in the
# environment), sizes and algorithms chosen, and bad input refused with exit 2.
source "$(dirname "$0")/lib.bash"
cd "$tmp" || exit 1
S="$TACH_SRC/tests/cli/suite_structure.jq"

if expect 0 "$TACH" suite crypto --quick --time 0.01 --no-store --algos aes-256-gcm,sha256,hmac-sha256 \
     --sizes 64,8k --export-json "$tmp/c.json"; then
  ok "a quick crypto run exits 0"
  out_has '^QUICK RUN'
  out_lacks '^PARTIAL RUN'
  out_has '^CPU features: aes_ni=(yes|no) '
  out_has '^MB/s \(±CI%\) +64 B +8 KiB$'
  out_has '^openssl aes-256-gcm +[0-9.]+'
  # every cell "v ±h%" (spaced as the other suites' "v ±h") or "v [lo, hi]": never "v±h%"
  check "crypto cells: a space before ±" bash -c "! grep -E '[0-9]±' '$tmp/out'"
  out_has '^openssl sha256( +[0-9.]+ (±[0-9.]+%|\[[0-9.]+, [0-9.]+\])){2}$'
  out_has '^openssl sha256 +[0-9.]+'
  jq -S -f "$S" "$tmp/c.json" | jq -S 'del(.rows[] | select(.name | startswith("crypto/libsodium/")))' >"$tmp/c.struct"
  golden suite_crypto.json "$tmp/c.struct"
  check "the environment says what the CPU offers" \
    jqt '.context.cpu_features.cpu | (.aes_ni|type) == "boolean" and (.avx2|type) == "boolean" and (.sha|type) == "boolean"' "$tmp/c.json"
  check "and what OpenSSL uses of it" jqt '.context.cpu_features | has("openssl")' "$tmp/c.json"
  check "cycles per byte where the CPU's counter exists, else a note why not" \
    jqt '([.benchmarks[] | .counters.cycles_per_byte > 0] | all)
         or (.context.suite.notes | map(test("^cycles per byte: not measured")) | any)' "$tmp/c.json"
  check "bytes per message are the sizes asked" \
    jqt '[.benchmarks[] | .throughput.bytes_per_iter] | unique == [64, 8192]' "$tmp/c.json"
  check "libsodium rows where it has the primitive (or a note why not)" \
    jqt '([.benchmarks[] | select(.name|startswith("crypto/libsodium/sha256/"))] | length == 2)
         or (.context.suite.notes | map(test("libsodium")) | any)' "$tmp/c.json"
  "$TACH" report "$tmp/c.json" --no-compare --format md >"$tmp/r.md" 2>/dev/null
  check "report: the encryption profile (algorithm, acceleration, GB/s per size)" \
    bash -c "grep -q '^| algorithm | library | hardware acceleration | GB/s at 64 B | GB/s at 8 KiB |$' '$tmp/r.md' &&
             grep -qE '^\| aes-256-gcm \| openssl \| (AES-NI[^|]*|[^|]*no AES-NI[^|]*|none|-) \| [0-9.]+ \| [0-9.]+ \|$' '$tmp/r.md'"
  check "report: libsodium's SHA-2 and HMAC are portable C, whatever the CPU offers" \
    bash -c "grep -qE '^\| (sha256|hmac-sha256) \| libsodium \| none \(portable C\) \|' '$tmp/r.md' ||
             ! grep -q '| libsodium |' '$tmp/r.md'"
  # a --quick run is a smoke run: the certificate says so in its scope and keeps it from
  # an unconditional approval (compared with itself, so no missing baseline is why)
  "$TACH" certify "$tmp/c.json" --baseline "$tmp/c.json" --format md >"$tmp/cert.md" 2>/dev/null
  check "certify: a quick run's scope says it was a smoke run" \
    grep -q '^| Mode | quick run (--quick): a smoke test' "$tmp/cert.md"
  check "certify: a quick run is at best conditionally approved, with the condition to re-run" \
    bash -c "grep -q '^- re-run without --quick: this was a smoke run' '$tmp/cert.md' &&
             ! grep -q '^\*\*Verdict: APPROVED\*\*' '$tmp/cert.md'"
fi

# OpenSSL with AES-NI masked (and, without a ':', its CPUID.7 word: SHA, AVX2): the
# mask is recorded, the terminal says it, and the report does not claim AES-NI or SHA
# extensions for OpenSSL
if OPENSSL_ia32cap="~0x200000200000000" expect 0 "$TACH" suite crypto --quick --time 0.01 --no-store \
     --algos aes-128-gcm,sha256,blake2b --sizes 64 --export-json "$tmp/mask.json"; then
  out_has '^OpenSSL masked by OPENSSL_ia32cap=~0x200000200000000, it uses:'
  check "the mask is in the context, with what OpenSSL uses" \
    jqt '.context.cpu_features.openssl | .OPENSSL_ia32cap == "~0x200000200000000" and
         ((.aes_ni // false) == false) and ((.sha // false) == false)' "$tmp/mask.json"
  "$TACH" report "$tmp/mask.json" --no-compare --format md >"$tmp/m.md" 2>/dev/null
  check "report: OpenSSL's AES-GCM is not said to use AES-NI under the mask" \
    bash -c "grep -qE '^\| aes-128-gcm \| openssl \| [^|]*\| [0-9.]+ \|$' '$tmp/m.md' &&
             ! grep -qE '^\| aes-128-gcm \| openssl \| AES-NI' '$tmp/m.md'"
  check "report: nor its SHA-256 SHA extensions" \
    bash -c "grep -qE '^\| sha256 \| openssl \| ' '$tmp/m.md' && ! grep -q '^| sha256 | openssl | SHA extensions' '$tmp/m.md'"
  check "report: OpenSSL's BLAKE2b is portable C" grep -q '^| blake2b | openssl | none (portable C) |' "$tmp/m.md"
  # Markdown text is escaped: the mask's ~ is written \~ (shown as ~)
  check "report: the mask is named under the table" grep -qF 'OpenSSL ran with OPENSSL_ia32cap=\~0x200000200000000' "$tmp/m.md"
fi

# more sizes than the tables once had room for (16 in the report, 32 on the terminal):
# every size is a column, none dropped
sizes=$(seq -s, 1 34)
if expect 0 "$TACH" suite crypto --quick --time 0.01 --no-store --algos sha256 --sizes "$sizes" \
     --export-json "$tmp/many.json"; then
  out_has '^MB/s \(±CI%\) +1 B .* 32 B +33 B +34 B$'
  "$TACH" report "$tmp/many.json" --no-compare --format md >"$tmp/many.md" 2>/dev/null
  check "report: all 34 sizes are columns" \
    bash -c "grep -q '| GB/s at 17 B | GB/s at 18 B |.*| GB/s at 34 B |$' '$tmp/many.md' &&
             grep -qE '^\| sha256 \| openssl \| [^|]+( \| [0-9.]+){34} \|$' '$tmp/many.md'"
fi

refused() { # TEXT ARGS...
  local text=$1 store=(--no-store); shift
  [ -n "${REFUSED_STORE:-}" ] && store=(--store "$REFUSED_STORE") # a --tag's checks: not under --no-store
  if expect 2 "$TACH" suite crypto "${store[@]}" --export-json "$tmp/never.json" "$@"; then
    err_has "$text"
    [ ! -e "$tmp/never.json" ] || fail "an export was written for: $*"
  fi
}
refused "--algos: 'rot13' is not an algorithm" --algos rot13
refused "--sizes: '0' is not a size" --sizes 0
refused "--sizes: 'big' is not a size" --sizes 16,big
refused "--sizes: '1.5k' is not a size: expected a whole number of bytes" --sizes 1.5k
refused "--sizes: " --sizes 16,
refused "--codecs applies to the compression suite" --codecs zlib
# checked before anything runs (it failed with exit 1 after the whole run, about ".latency = 1")
refused "--format hlog: suite rows carry no per-call latency histograms" --format hlog
# the key --quick marks with: a user's quick=0 beside it was silently dropped
REFUSED_STORE=$tmp/never.db refused "--tag: 'quick=0': the tag quick is the mark of --quick" --quick --tag quick=0
REFUSED_STORE=$tmp/never.db refused "--tag: 'quick=1': the tag quick is the mark of --quick" --tag quick=1
# one value per key (a=c was kept, a=b dropped without a word); a=b with ab=c is two keys
REFUSED_STORE=$tmp/never.db refused "--tag: key 'a' is given twice ('a=b', 'a=c')" --tag a=b --tag ab=x --tag a=c
[ ! -e "$tmp/never.db" ] || fail "a refused --tag made the store"
# a tag is kept on the recorded run only (not in the document): under --no-store it was
# dropped without a word
refused "--tag with --no-store: a tag is kept only on the run recorded in the store" --tag a=b
# --export-json -: standard output is the document alone (the table went after it)
one=(--quick --time 0.01 --no-store --algos sha256 --sizes 64)
if expect 0 "$TACH" suite crypto "${one[@]}" --export-json -; then
  out_jq '.benchmarks | length >= 1'
  err_has "openssl sha256"
fi
if expect 2 "$TACH" suite crypto "${one[@]}" --export-json - --format csv; then
  err_has "--export-json - and --format csv: both would go to standard output"
  out_lacks .
fi
# a document that cannot be written: "tach suite:" like the command's other errors
expect 1 "$TACH" suite crypto "${one[@]}" --export-json /dev/full &&
  err_has "tach suite: --export-json: cannot write /dev/full: " && ok "--export-json /dev/full: 'tach suite:', exit 1"
# standard output under another name is as "-": the file stdout goes to holds the
# document alone (the table went before it)
for p in /dev/stdout same.json; do
  rm -f same.json
  "$TACH" suite crypto "${one[@]}" --export-json "$p" >same.json 2>"$tmp/err"
  check "--export-json $p > same.json: the document alone" jqt '.benchmarks | length >= 1' same.json
  err_has "openssl sha256"
done
if expect 2 "$TACH" suite crypto "${one[@]}" --export-json /dev/stdout --format csv; then
  err_has "--export-json /dev/stdout (standard output) and --format csv: both would go to standard output"
  out_lacks .
fi
# ---- interrupted mid-row: what was measured is written, and nothing else. The rows after
# the interrupted one were written as measured (status ok) with no samples, "nan" in every
# cell of the table. The hook raises SIGINT (through the tool's handler) after 5 samples. ----
if TACH_SUITE_TEST=sigint-after-samples=5 expect 130 "$TACH" suite crypto --no-store --time 1 \
     --algos sha256,sha512 --sizes 16,64,256 --export-json "$tmp/int.json"; then
  out_lacks 'nan'
  out_has '^PARTIAL RUN \(interrupted\): only what was measured before it stopped is shown$'
  err_has "interrupted by SIGINT"
  check "interrupted: the one row measured is kept, no row of no samples" \
    jqt '.partial and ([.benchmarks[] | [.name, .status, (.samples.ns | length)]] == [["crypto/openssl/sha256/16", "ok", 5]])' "$tmp/int.json"
fi
# ---- --time is sampled whole: a row stopped at its most samples (--quick's 20 of 5 ms,
# 0.1 s; a full run's 200, 4 s at most, and 0.2 s for 64-byte sha256's short batches)
# whatever --time said; the samples merge in pairs instead, at most that many still ----
if expect 0 "$TACH" suite crypto --no-store --quick --time 0.5 --algos aes-128-ctr --sizes 16 \
     --export-json "$tmp/long.json"; then
  check "--time 0.5: the row's samples cover at least half of it (not a tenth), in at most 20" \
    jqt '[.benchmarks[] | .samples | ([.ns, .iters] | transpose | map(.[0] * .[1]) | add) >= 0.25e9
          and (.ns | length) <= 20] | length > 0 and all' "$tmp/long.json"
fi
# ---- two runs of OpenSSL under different OPENSSL_ia32cap masks: compare and gate say the
# change is the mask's (a masked AES ran 20x slower: "improved (critical)", not a word) ----
m=(suite crypto --no-store --quick --time 0.01 --algos aes-128-ctr --sizes 16)
if OPENSSL_ia32cap='~0x200000200000000' "$TACH" "${m[@]}" --export-json "$tmp/masked.json" >/dev/null 2>&1 &&
   env -u OPENSSL_ia32cap "$TACH" "${m[@]}" --export-json "$tmp/plain.json" >/dev/null 2>&1; then
  note="note: OpenSSL ran with OPENSSL_ia32cap=~0x200000200000000 in the base run and no OPENSSL_ia32cap in the new: "
  "$TACH" compare "$tmp/masked.json" "$tmp/plain.json" >"$tmp/out" 2>/dev/null
  out_has "^${note//./\\.}" && ok "compare: the masks named"
  (export TACH_STORE="$tmp/masks.db"
   "$TACH" record "$tmp/masked.json" && "$TACH" record "$tmp/plain.json") >/dev/null 2>&1
  TACH_STORE="$tmp/masks.db" "$TACH" gate >"$tmp/out" 2>/dev/null
  out_has "^${note//./\\.}" && ok "gate of the stored runs: the masks named"
  "$TACH" compare "$tmp/plain.json" "$tmp/plain.json" >"$tmp/out" 2>/dev/null
  out_lacks "OPENSSL_ia32cap" && ok "one mask on both sides: no note"
else
  fail "crypto runs with and without OPENSSL_ia32cap"
fi
# a size or algorithm given twice is refused, naming it (it was measured once, silently;
# before that, two rows of one name read as two runs in history)
refused "--sizes: '16' is given twice" --quick --algos sha256 --sizes 16,64,16
refused "--sizes: '16' and '16B' are one size (16 bytes) given twice" --quick --algos sha256 --sizes 16,16B
refused "--algos: 'sha256' is given twice" --quick --algos sha256,sha512,sha256
# --export-json naming the store the run is to be recorded in, made yet or not: refused
# before the run (the document was written there, and recording the run then failed on it)
mkdir "$tmp/es" && cd "$tmp/es" || exit 1
q=(suite crypto --quick --time 0.01 --algos sha256 --sizes 64)
expect 2 "$TACH" "${q[@]}" --store new.db --export-json ./new.db \
  && err_has "--export-json: './new.db' is the store: the output would replace it" && out_lacks . \
  && check "nothing written where the store goes" test ! -e new.db
mkdir .tach && expect 2 env TACH_STORE= "$TACH" "${q[@]}" --export-json .tach/tach.db \
  && err_has "'.tach/tach.db' is the store" && check "the default store not written" test ! -e .tach/tach.db
expect 0 "$TACH" "${q[@]}" --no-store --export-json new.db && ok "--no-store: the file is only an export"
cd "$tmp" || exit 1
# a seed above 2^63-1 is a decimal string in context.settings, as tach run writes it (it was
# a JSON integer wrapped negative: "seed": -1 for 18446744073709551615, which --seed refuses)
expect 0 "$TACH" "${q[@]}" --no-store --seed 18446744073709551615 --export-json big-seed.json \
  && jqt '.context.settings.seed == "18446744073709551615"' big-seed.json \
  && ok "--seed 2^64-1: written as the string \"18446744073709551615\"" \
  || fail "--seed 2^64-1: written as the string \"18446744073709551615\""
expect 0 "$TACH" "${q[@]}" --no-store --seed 42 --export-json seed.json && jqt '.context.settings.seed == 42' seed.json \
  && ok "--seed 42: written as the integer 42" || fail "--seed 42: written as the integer 42"
# standard output closed before the table is written (`| head`, a pager quit): a write
# error said in one line, exit 1, the run still recorded (SIGPIPE killed tach, exit 141
# with no word, the run it had measured lost)
cd "$tmp" && mkdir -p closed && cd closed || exit 1
python3 -c '
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run(sys.argv[1:], stdout=w, stderr=open("err", "w"))
sys.exit(p.returncode)' "$TACH" "${q[@]}" --store closed.db
rc=$?
check "a closed standard output: exit 1 (got $rc)" test "$rc" = 1
check "a closed standard output: said" grep -q '^tach suite: cannot write to standard output: Broken pipe$' err
check "a closed standard output: the run recorded" \
  bash -c "'$TACH' history --runs --store closed.db | grep -q '^ *1 '"
cd "$tmp" || exit 1
finish
