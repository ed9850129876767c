#!/usr/bin/env bash
# scripts/demo.sh [BUILD_DIR [REPORT_DIR]] - the tour `make demo` gives: a quick
# selection of the example benchmarks (examples/), each printing its table, in well
# under a minute.  The reports of section 4 go to REPORT_DIR (default
# BUILD_DIR/demo-report); the tests pass a temporary one.
#
# Sections, in order (later work appends its own section at the end, in the same
# style: a banner, then the commands, nothing that needs a terminal):
#   1. the examples: compression, crypto, hash-table lookups, sorting
#   2. tach run: an example driven in worker processes, and two commands compared
#   3. the history store: two recorded runs, tach history and tach compare
#   4. reports: the HTML report of the latest run and the static site of the store
#   5. a suite: .tach/config with two modules, two `tach bench` runs (the second built
#      -O0, so the regression is caught), the report, the site and the certificate
#
# Exit status: 0 when every step succeeded, 1 when one failed (the rest still run),
# 2 when the build directory lacks the example binaries.
set -uo pipefail

build=${1:-build}
report_dir=${2:-}
examples=$build/examples
status=0

banner() { printf '\n== %s\n' "$*"; }

# Runs one command, remembering a failure without stopping the demo.
step() {
  "$@" || { echo "demo: '$*' exited $?" >&2; status=1; }
}

for ex in compress crypto hashtable sort; do
  if [ ! -x "$examples/example_$ex" ]; then
    echo "demo: $examples/example_$ex is missing; build first (make build, or" \
      "cmake --build $build) with the examples' libraries installed (scripts/deps.sh demo)" >&2
    exit 2
  fi
done

# ---- 1. the examples ----------------------------------------------------------------
# A short time budget per benchmark (--max-time) and a filter keep the demo quick;
# run a binary without them for the full, precise set.  The first run also prints
# tach's warnings about the machine (VM, busy, frequency scaling); the others are
# --quiet so the warnings are not repeated.
quick=(--max-time 0.3 --warmup 0.05)

banner "Compression: one level of each codec, MB/s of uncompressed text" \
  "($examples/example_compress)"
step "$examples/example_compress" "${quick[@]}" \
  --filter '^(zlib/.*/level=6|zstd/.*/level=3|lz4/.*/level=1)$'

banner "OpenSSL EVP: SHA-256 and AES-256-GCM on 16 KiB messages ($examples/example_crypto)"
step "$examples/example_crypto" "${quick[@]}" --quiet --filter 'size=16384$'

banner "Hash-table lookups at 100, 1,000 and 10,000 keys ($examples/example_hashtable)"
step "$examples/example_hashtable" "${quick[@]}" --quiet --filter '^hashtable/lookup_hit/'

banner "Sorting 10,000 integers, untimed set-up with tach_batched ($examples/example_sort)"
step "$examples/example_sort" "${quick[@]}" --quiet --filter 'n=10000$'

# ---- 2. tach run ---------------------------------------------------------------------
# The tool drives a benchmark binary in several worker processes (one after another)
# and merges their samples, so the variation between processes (code layout, ASLR) is
# inside the interval; then it times two commands, interleaved in shuffled rounds, and
# compares them with a Mann-Whitney U test.
tach=$build/tach
banner "tach run --processes 3 $examples/example_hashtable:" \
  "the hash-table example in 3 worker processes, samples merged"
step "$tach" run --processes 3 --max-time 0.6 --filter '^hashtable/lookup_hit/' "$examples/example_hashtable"

banner "tach run: gzip -1 against gzip -9 on the tach binary, 20 interleaved runs each" \
  "(tach run --input $tach -c 'gzip -1' -c 'gzip -9')"
step "$tach" run --runs 20 --warmup 2 --input "$tach" -c 'gzip -1' -c 'gzip -9'

# ---- 3. the history store ------------------------------------------------------------
# Every tach run above was recorded in the default store, .tach/tach.db (in the nearest
# directory holding .tach/, else here), with the git commit, branch and machine.  Two
# runs of the same suite make a history: name the first with a baseline, run again, then
# show each benchmark over the runs and compare the two runs.  The runs carry a tag of
# their own, so that their ids are found even when other tach runs share the store.
banner "The history store: two runs of the same suite, 'tach history' and 'tach compare'" \
  "(tach baseline save demo-before RUN1; tach history; tach compare RUN1 RUN2)"
lookups=(--processes 2 --max-time 0.4 --filter '^hashtable/lookup_hit/' "$examples/example_hashtable")
demo_tag="demo=$$.$RANDOM"
demo_run() { "$tach" history --runs --tag "$demo_tag" --last 1 --format csv | sed -n 2p | cut -d, -f1; }
step "$tach" run --tag "$demo_tag" "${lookups[@]}"
run1=$(demo_run)
step "$tach" baseline save demo-before "$run1"
step "$tach" run --tag "$demo_tag" "${lookups[@]}"
run2=$(demo_run)
step "$tach" history --last 10 hashtable/lookup_hit
step "$tach" compare "$run1" "$run2"

# ---- 4. reports ------------------------------------------------------------------------
# The same history shown for people: one self-contained HTML report of the latest run
# (against the baseline, with its charts) and a static dashboard of the whole store.
# Both are plain files that open from disk.
out=${report_dir:-$(cd "$build" && pwd)/demo-report}
mkdir -p "$out" && out=$(cd "$out" && pwd)
banner "Reports: an HTML report of the latest run and a dashboard of the whole store" \
  "(tach report --format html; tach site)"
step "$tach" report --baseline demo-before --format html -o "$out/report.html"
step "$tach" site "$out/site"
printf '\nOpen in a browser:\n  report:    %s\n  dashboard: %s\n' "$out/report.html" "$out/site/index.html"

# ---- 5. a suite: tach bench ----------------------------------------------------------------
# What a project does every day: its suite declared once in .tach/config (a module per
# part: a benchmark binary built from examples/sort.c, and a command), and `tach bench`
# running it end to end.  The first run becomes the baseline; then a commit builds the
# benchmark without optimisation and with AddressSanitizer (several times slower), and the
# second run catches the regression, names the commit in PERFORMANCE_REPORT.md, and the
# site and the certificate show it.
src=$(cd "$(dirname "$0")/.." && pwd)
suite=$out/suite
# The suite runs in its own directory: the build tree and the tool by absolute path.
build=$(cd "$build" && pwd)
tach=$build/tach
banner "A suite: tach init's layout, two commits, two 'tach bench' runs" \
  "(the second built -O0 with AddressSanitizer: a regression caught)"
rm -rf "$suite" && mkdir -p "$suite/bench" "$suite/.tach"
cp "$src/examples/sort.c" "$suite/bench/sort.c"
cat >"$suite/.tach/config" <<'INI'
[module "sort"]
    bench = ./bench/sort --filter 'n=10000$'
    criteria = throughput latency memory
[module "gzip"]
    command = gzip -1 -c bench/sort.c
    criteria = throughput memory cpu
[suite]
    baseline = main
    critical = 10
INI
printf '#!/bin/sh\ncc -O2 bench/sort.c $(pkg-config --cflags --libs tach) -o bench/sort\n' >"$suite/build.sh"
printf 'bench/sort\n.tach/tach.db*\nPERFORMANCE_REPORT.*\nsite/\nCERTIFICATE.md\n' >"$suite/.gitignore"
git_demo() { git -C "$suite" -c user.name=demo -c user.email=demo@example.com "$@" >/dev/null; }
suite_build() { (cd "$suite" && PKG_CONFIG_PATH=$(cd "$build" && pwd) sh build.sh); }
git_demo init -q && git_demo add -A && git_demo commit -qm "the sort benchmark, built -O2"
step suite_build
bench_opts=(--bench-time 0.3 --html PERFORMANCE_REPORT.html)
(cd "$suite" && "$tach" bench "${bench_opts[@]}") || { echo "demo: the first tach bench failed" >&2; status=1; }
sed -i 's/-O2/-O0 -fsanitize=address/' "$suite/build.sh"
git_demo commit -qam "build the benchmarks unoptimised, with AddressSanitizer"
step suite_build
banner "The second run: the -O0 -fsanitize=address build against the baseline" \
  "(exit status 1: a regression)"
(cd "$suite" && "$tach" bench "${bench_opts[@]}")
[ $? = 1 ] || { echo "demo: tach bench did not catch the -O0 regression" >&2; status=1; }
step "$tach" site --store "$suite/.tach/tach.db" "$suite/site"
(cd "$suite" && "$tach" certify -o CERTIFICATE.md) >/dev/null
printf '\nThe suite (%s, two commits, two runs):\n  report:      %s\n  details:     %s\n  html:        %s\n  site:        %s\n  certificate: %s\n' \
  "$suite/.tach/config" "$suite/PERFORMANCE_REPORT.md" "$suite/PERFORMANCE_REPORT.json" \
  "$suite/PERFORMANCE_REPORT.html" "$suite/site/index.html" "$suite/CERTIFICATE.md"

exit $status
