#!/usr/bin/env bash
# bench/hyperfine/run.sh - timing a command: tach run against hyperfine and the floor.
#
# Issue 3 §6.  Three tools time /bin/true, in three interleaved rounds (the order
# rotates each round, so drift on a busy machine hits each alike):
#   floor      bench/hyperfine/floor.c: a bare posix_spawn + wait4 loop, nothing else
#   tach       tach run --runs N -- /bin/true
#   hyperfine  hyperfine -N --runs N /bin/true (Debian's)
# and prints each one's mean and σ per run as ratios to the floor, and tach's own cost
# per run outside the child (from the document: the measuring loop's wall time minus
# the children's, over the runs).  Targets:
#   tach's mean within 15% of the floor's; tach's mean <= hyperfine's; tach's σ lower;
#   tach's own cost per run < 50 µs.
# Medians are printed beside the means: on a loaded machine they say more.  Exit 1 when a
# target is missed.
#
# usage: bench/hyperfine/run.sh [BUILD_DIR]   (default build/; env RUNS=1000, ROUNDS=3)
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build}
tach=$build/tach
runs=${RUNS:-1000}
rounds=${ROUNDS:-3}
warmup=5
prog=/bin/true
[ -x "$tach" ] || { echo "no tach binary at $tach (build first)" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "hyperfine is not installed (apt-get install hyperfine)" >&2; exit 2; }
command -v jq >/dev/null || { echo "jq is not installed" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -o "$tmp/floor" "$src/bench/hyperfine/floor.c" -lm

# one measurement per tool; each prints "mean_ns stddev_ns median_ns [overhead_ns]"
m_floor() { "$tmp/floor" "$prog" "$runs" "$warmup" | awk '{print $2, $3, $4}'; }
m_tach() {
  "$tach" run --no-store --style none --runs "$runs" --warmup "$warmup" --export-json "$tmp/t.json" -- "$prog"
  jq -r '[.benchmarks[0].estimates.mean.value, .benchmarks[0].estimates.stddev, .benchmarks[0].estimates.median.value, .context.settings.overhead_per_run_ns] | @tsv' "$tmp/t.json"
}
m_hyperfine() {
  hyperfine -N --style none --runs "$runs" --warmup "$warmup" --export-json "$tmp/h.json" "$prog" >/dev/null 2>&1
  jq -r '[.results[0].mean * 1e9, .results[0].stddev * 1e9, .results[0].median * 1e9] | @tsv' "$tmp/h.json"
}

tools=(floor tach hyperfine)
declare -A mean sd med
for t in "${tools[@]}"; do mean[$t]=""; sd[$t]=""; med[$t]=""; done
over=""
echo "timing $prog: $rounds rounds x $runs runs per tool (+$warmup warm-up), order rotating"
for ((r = 0; r < rounds; r++)); do
  for ((k = 0; k < 3; k++)); do
    t=${tools[$(((r + k) % 3))]}
    read -r m s d o < <(m_$t)
    mean[$t]+="$m "
    sd[$t]+="$s "
    med[$t]+="$d "
    [ "$t" = tach ] && over+="$o "
    printf '  round %d  %-9s mean %9.1f µs  σ %9.1f µs  median %9.1f µs\n' $((r + 1)) "$t" \
      "$(echo "$m / 1000" | bc -l)" "$(echo "$s / 1000" | bc -l)" "$(echo "$d / 1000" | bc -l)"
  done
done

avg() { echo "$1" | tr ' ' '\n' | awk 'NF {s += $1; n++} END {printf "%.1f", s / n}'; }
fm=$(avg "${mean[floor]}") fs=$(avg "${sd[floor]}") fd=$(avg "${med[floor]}")
tm=$(avg "${mean[tach]}") ts=$(avg "${sd[tach]}") td=$(avg "${med[tach]}")
hm=$(avg "${mean[hyperfine]}") hs=$(avg "${sd[hyperfine]}") hd=$(avg "${med[hyperfine]}")
ov=$(avg "$over")
ratio() { echo "$1 / $2" | bc -l; }
echo
echo "averages over the rounds (ns per run of $prog)"
printf '  %-10s %12s %12s %14s %12s %16s\n' tool mean σ "mean / floor" median "median / floor"
printf '  %-10s %12.0f %12.0f %14.3f %12.0f %16.3f\n' floor "$fm" "$fs" 1 "$fd" 1
printf '  %-10s %12.0f %12.0f %14.3f %12.0f %16.3f\n' tach "$tm" "$ts" "$(ratio "$tm" "$fm")" "$td" "$(ratio "$td" "$fd")"
printf '  %-10s %12.0f %12.0f %14.3f %12.0f %16.3f\n' hyperfine "$hm" "$hs" "$(ratio "$hm" "$fm")" "$hd" "$(ratio "$hd" "$fd")"
printf '  tach own cost per run (outside the child): %.1f µs\n' "$(echo "$ov / 1000" | bc -l)"
echo
verdict() { if [ "$(echo "$1" | bc -l)" = 1 ]; then echo PASS; else echo FAIL; fi; }
v1=$(verdict "$tm <= 1.15 * $fm"); v2=$(verdict "$tm <= $hm"); v3=$(verdict "$ts < $hs"); v4=$(verdict "$ov < 50000")
printf '  %-48s %s\n' "tach's mean within 15% of the floor" "$v1" "tach's mean no higher than hyperfine's" "$v2" \
  "tach's σ lower than hyperfine's" "$v3" "tach's own cost per run under 50 µs" "$v4"
echo
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), $(uname -r); hyperfine $(hyperfine --version | cut -d' ' -f2)"

# a Markdown block for docs/PERFORMANCE.md
us() { printf '%.1f µs' "$(echo "$1 / 1000" | bc -l)"; }
echo
echo "| tool | mean | σ | median | mean / floor | median / floor |"
echo "|---|---|---|---|---|---|"
echo "| floor (posix_spawn + wait4) | $(us "$fm") | $(us "$fs") | $(us "$fd") | 1.000 | 1.000 |"
printf '| tach run | %s | %s | %s | %.3f | %.3f |\n' "$(us "$tm")" "$(us "$ts")" "$(us "$td")" "$(ratio "$tm" "$fm")" "$(ratio "$td" "$fd")"
printf '| hyperfine -N | %s | %s | %s | %.3f | %.3f |\n' "$(us "$hm")" "$(us "$hs")" "$(us "$hd")" "$(ratio "$hm" "$fm")" "$(ratio "$hd" "$fd")"
echo
echo "| target | result |"
echo "|---|---|"
echo "| tach's mean within 15% of the floor's | $v1 |"
echo "| tach's mean no higher than hyperfine's | $v2 |"
echo "| tach's σ lower than hyperfine's | $v3 |"
echo "| tach's own cost per run (outside the child) under 50 µs: $(us "$ov") | $v4 |"
case "$v1$v2$v3$v4" in *FAIL*) exit 1 ;; esac
