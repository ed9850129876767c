#!/usr/bin/env bash
# The example benchmarks (examples/) and the demo (scripts/demo.sh) run and report
# what their sources declare.  Nothing here depends on speed: runs are tiny
# (--max-time 0.05) and only statuses, names, parameters, throughput declarations and
# deterministic counters are checked.
# Skipped (passes with a message) when the build has no examples (-DTACH_EXAMPLES=OFF,
# as in the sanitizer build).
source "$(dirname "$0")/lib.bash"
set -o pipefail
ex=$TACH_BUILD/examples
src=$TACH_SRC

if [ ! -x "$ex/example_hashtable" ]; then
  echo "skip: $ex has no example binaries (built with TACH_EXAMPLES=OFF)"
  exit 77
fi
quick=(--max-time 0.05 --min-samples 2 --warmup 0 --quiet --format json)

# ---- --list: the names the sources' TACH_BENCH(.group, .args) define -------------
list_is() { # binary, expected names (one per line)
  diff <("$ex/$1" --list) <(printf '%s\n' "${@:2}") >"$tmp/diff" || { cat "$tmp/diff"; return 1; }
}
names=()
for codec in zlib:1,6,9 zstd:1,3,9 lz4:1,4,9; do
  for op in compress decompress; do
    IFS=, read -ra levels <<<"${codec#*:}"
    for l in "${levels[@]}"; do names+=("${codec%%:*}/$op/level=$l"); done
  done
done
check "example_compress --list: 3 codecs x 2 directions x 3 levels" list_is example_compress "${names[@]}"
names=()
for b in sha256 aes256gcm_seal aes256gcm_open; do
  for s in 64 1024 16384; do names+=("crypto/$b/size=$s"); done
done
check "example_crypto --list" list_is example_crypto "${names[@]}"
names=()
for b in lookup_hit lookup_miss; do
  for s in 100 1000 10000; do names+=("hashtable/$b/size=$s"); done
done
check "example_hashtable --list" list_is example_hashtable "${names[@]}"
names=()
for b in qsort radix; do
  for n in 1000 10000 100000; do names+=("sort/$b/n=$n"); done  # TACH_RANGE(1000, 100000, 10)
done
check "example_sort --list (geometric range, hi included)" list_is example_sort "${names[@]}"

# ---- quick runs: every status ok, declared throughput and counters ----------------
run() { # binary, filter -> $tmp/<binary>.json; the exit status must be 0
  "$ex/$1" "${quick[@]}" --filter "$2" --out "$tmp/$1.json"
}
all_ok() { jq -e '[.benchmarks[].status] | length > 0 and all(. == "ok")' "$tmp/$1.json" >/dev/null; }

check "example_hashtable runs (exit 0)" run example_hashtable .
# The hash-table benchmarks fail themselves when the table answers a query wrong.
check "example_hashtable: all ok" all_ok example_hashtable
# Load factors: capacity is the power of two >= 2n (hashtable.c table_init):
# 100/256, 1000/2048, 10000/32768, exact in binary floating point.
check "example_hashtable: load counters 100/256, 1000/2048, 10000/32768 and 1 item/iter" \
  jqt '[.benchmarks[] | select(.name | startswith("hashtable/lookup_hit/"))
          | [.params.size, .counters.load, .throughput.items_per_iter]]
         == [[100, 0.390625, 1], [1000, 0.48828125, 1], [10000, 0.30517578125, 1]]' \
  "$tmp/example_hashtable.json"

check "example_hashtable: lookup_hit declares .max_median_ns = 50, lookup_miss nothing" \
  jqt '[.benchmarks[] | [.name, .targets.max_median_ns]] | map(select(.[1] == 50)) | length == 3
       and ([.[] | select(.[0] | contains("miss"))] | all(.[1] == null))' \
  "$tmp/example_hashtable.json"

# The sort benchmarks fail themselves when their output is not sorted.
check "example_sort runs n=1000 (exit 0)" run example_sort 'n=1000$'
check "example_sort: both sorts ok (output sorted)" all_ok example_sort
check "example_sort: items per iteration = n" \
  jqt '[.benchmarks[].throughput.items_per_iter] == [1000, 1000]' "$tmp/example_sort.json"

# aes256gcm_open fails itself when the tag check or the round trip fails.
check "example_crypto runs size=64 (exit 0)" run example_crypto 'size=64$'
check "example_crypto: sha256, seal, open ok" all_ok example_crypto
check "example_crypto: 64 bytes per iteration" \
  jqt '[.benchmarks[].throughput.bytes_per_iter] == [64, 64, 64]' "$tmp/example_crypto.json"

# Decompression benchmarks check their round trip before timing and fail otherwise.
check "example_compress runs level=1 (exit 0)" run example_compress 'level=1$'
check "example_compress: 6 benchmarks, all ok (round trips good)" \
  jqt '[.benchmarks[].status] == ["ok","ok","ok","ok","ok","ok"]' "$tmp/example_compress.json"
check "example_compress: 256 KiB per iteration" \
  jqt '[.benchmarks[].throughput.bytes_per_iter] | all(. == 262144)' "$tmp/example_compress.json"
check "example_compress: lz4/decompress declares .min_bytes_per_sec = 500e6" \
  jqt '[.benchmarks[] | select(.targets != null) | [.name, .targets.min_bytes_per_sec]]
       == [["lz4/decompress/level=1", 500000000]]' "$tmp/example_compress.json"
# tach_fill_text is compressible text, so every compressor's ratio exceeds 1 (random
# bytes would give <= 1).
check "example_compress: compression ratio > 1 on the text input" \
  jqt '[.benchmarks[] | select(.function == "compress") | .counters.ratio]
         | length == 3 and all(. > 1)' "$tmp/example_compress.json"

# ---- --threads: the body runs in N threads at once -----------------------------------
# The examples build what they read in .setup (once per worker, before the threads
# start) and free it in .teardown; the bodies only read it.  They kept it in a static
# the body (re)built, so two threads freed and rebuilt it under each other: double
# free, SIGSEGV.  The crash needs the threads to overlap, which two threads running
# the same body for a whole sample always did here (every instance crashed); a pass
# does not depend on timing.
run_threads() { # binary, filter -> $tmp/<binary>-threads.json; exit status 0
  "$ex/$1" "${quick[@]}" --threads 1,2 --filter "$2" --out "$tmp/$1-threads.json"
}
threads_ok() { # binary, expected number of results: all ok
  jq -e --argjson n "$2" '[.benchmarks[].status] | length == $n and all(. == "ok")' \
    "$tmp/$1-threads.json" >/dev/null
}
check "example_hashtable --threads 1,2 runs (exit 0)" run_threads example_hashtable 'size=(100|1000)/'
check "example_hashtable --threads 1,2: 8 results, all ok" threads_ok example_hashtable 8
check "example_hashtable --threads 1,2: the 2-thread lookups read the same table (load)" \
  jqt '[.benchmarks[] | select(.name | startswith("hashtable/lookup_hit/"))
          | [.params.size, .counters.load]]
         == [[100, 0.390625], [100, 0.390625], [1000, 0.48828125], [1000, 0.48828125]]' \
  "$tmp/example_hashtable-threads.json"
check "example_compress --threads 1,2 runs level=1 (exit 0)" run_threads example_compress 'level=1/'
check "example_compress --threads 1,2: 12 results, all ok" threads_ok example_compress 12
check "example_sort --threads 1,2 runs n=1000 (exit 0)" run_threads example_sort 'n=1000/'
check "example_sort --threads 1,2: all ok" threads_ok example_sort 4
check "example_crypto --threads 1,2 runs size=64 (exit 0)" run_threads example_crypto 'size=64/'
check "example_crypto --threads 1,2: all ok" threads_ok example_crypto 6

# ---- the demo ------------------------------------------------------------------------
demo() {
  local rc=0 banners
  # From a directory with its own .tach/, so the demo's recorded runs go to a
  # throwaway store and not to one found in a parent directory.
  mkdir -p "$tmp/cwd/.tach"
  # Its reports go to a temporary folder too, never over the ones `make demo` made.
  (cd "$tmp/cwd" && bash "$src/scripts/demo.sh" "$TACH_BUILD" "$tmp/report") >"$tmp/demo.out" \
    2>"$tmp/demo.err" || rc=$?
  # Its first section: one banner per example (later sections add their own).
  banners=$(grep -c '^== .*(.*/examples/example_[a-z]*)$' "$tmp/demo.out")
  if [ "$rc" = 0 ] && [ "$banners" = 4 ] && grep -q '^zstd/compress/level=3 ' "$tmp/demo.out" &&
    grep -q '^sort/radix/n=10000 ' "$tmp/demo.out" && [ -s "$tmp/report/report.html" ] &&
    grep -qF "report:    $tmp/report/report.html" "$tmp/demo.out"; then
    return 0
  fi
  echo "demo: exit $rc, $banners example banners; its output:"
  cat "$tmp/demo.out" "$tmp/demo.err"
  return 1
}
check "scripts/demo.sh exits 0 and prints the four example tables" demo
demo_missing() {
  mkdir -p "$tmp/empty"
  bash "$src/scripts/demo.sh" "$tmp/empty" >/dev/null 2>"$tmp/demo.err"
  [ $? = 2 ] && grep -q 'example_compress is missing' "$tmp/demo.err"
}
check "scripts/demo.sh without the examples: exit 2, names the missing binary" demo_missing

finish
