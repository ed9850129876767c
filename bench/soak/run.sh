#!/usr/bin/env bash
# bench/soak/run.sh [BUILD_DIR] - what a soak costs the work it watches, and its file size.
#
# Soaks the sawtooth benchmark of tests/fixtures/soak.c (a healthy operation) for
# DURATION seconds (default 30) at a 1 s interval with `tach soak --bench`, then prints:
#   bookkeeping   per interval, the binary's time outside its samples (recording the
#                 latencies, reading /proc and mallinfo2, writing the line: the
#                 "bookkeeping_ns" of each line) as a share of the interval: median, p90
#   tach's CPU    the tach process's own CPU time (reading the lines, appending and
#                 fdatasync-ing the file) as a share of the soak's wall time
#   file size     bytes per interval, and per hour at this interval
# and then soaks a load scenario (`tach soak --load -- fixture_load_ops noop --rate
# 2000 --threads 1`, one load run for the whole soak) for the same time and prints:
#   streaming     the CPU time of the load-mode binary's main thread (which, while the
#                 workers send, only merges each interval's histograms, reads /proc and
#                 mallinfo2 and writes the line) as a share of the wall time
#   tach's CPU    the tach soak process's (tailing the series, appending, fdatasync)
#   file size     bytes per interval (the histogram included) and per hour
# The target: bookkeeping <= 1% at a 1 s interval.  Exit 0 met, 1 missed, 2 cannot run.
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$(realpath -m "${1:-$src/build}")
dur=${DURATION:-30}
out=$(realpath -m "${OUT:-$build/bench-soak}")
die() { echo "run.sh: $*" >&2; exit 2; }
[ -x "$build/tach" ] && [ -x "$build/tests/fixture_soak" ] && [ -x "$build/tests/fixture_load_ops" ] \
  || die "build $build first (tach, tests/fixture_soak, tests/fixture_load_ops)"
mkdir -p "$out"
rm -f "$out/soak.jsonl"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
"$build/tach" soak --duration "$dur" --interval 1 --bench '^sawtooth$' --out "$out/soak.jsonl" \
  "$build/tests/fixture_soak" >/dev/null 2>&1 &
pid=$!
cpu=0
clk=$(getconf CLK_TCK)
while kill -0 "$pid" 2>/dev/null; do
  # fields 14 and 15: utime, stime of the tach process itself (not its child)
  v=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo "$cpu")
  cpu=${v:-$cpu}
  sleep 0.5
done
wait "$pid" || true
# The load scenario: one load run; its binary's pid is in every line.
rm -f "$out/load.jsonl"
"$build/tach" soak --duration "$dur" --interval 1 --no-store --out "$out/load.jsonl" --load -- \
  "$build/tests/fixture_load_ops" noop --rate 2000 --threads 1 >/dev/null 2>&1 &
lpid=$!
lcpu=0
bcpu=0
while kill -0 "$lpid" 2>/dev/null; do
  v=$(awk '{print $14 + $15}' "/proc/$lpid/stat" 2>/dev/null || echo "$lcpu")
  lcpu=${v:-$lcpu}
  bpid=$(grep -m1 -o '"pid":[0-9]*' "$out/load.jsonl" 2>/dev/null | cut -d: -f2 || true)
  if [ -n "$bpid" ]; then # the main thread of the load-mode binary: task id = pid
    v=$(awk '{print $14 + $15}' "/proc/$bpid/task/$bpid/stat" 2>/dev/null || echo "$bcpu")
    bcpu=${v:-$bcpu}
  fi
  sleep 0.5
done
wait "$lpid" || true
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
python3 - "$out/load.jsonl" "$lcpu" "$bcpu" "$clk" "$dur" <<'PY' >"$out/load.md"
import json, os, statistics, sys
path, tach_ticks, main_ticks, clk, dur = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
iv = [json.loads(l) for l in open(path) if '"interval"' in l]
sizes = [len(json.dumps(l, separators=(",", ":"))) + 1 for l in iv]
per = statistics.median(sizes)
print(f"| load scenario: intervals | {len(iv)} |")
print(f"| ... the binary's streaming thread CPU / wall time | {main_ticks / clk / dur * 100:.3f}% |")
print(f"| ... the tach soak process CPU / wall time | {tach_ticks / clk / dur * 100:.3f}% |")
print(f"| ... bytes per interval (median line, histogram included) | {per:.0f} |")
print(f"| ... file per hour at 1 s | {per * 3600 / 1e6:.2f} MB |")
PY
python3 - "$out/soak.jsonl" "$cpu" "$clk" "$dur" "$load_before" "$load_after" "$out/load.md" <<'PY'
import json, os, statistics, sys
path, cpu_ticks, clk, dur, lb, la, load_md = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5], sys.argv[6], sys.argv[7]
lines = [json.loads(l) for l in open(path)]
iv = [l for l in lines if "interval" in l]
share = sorted(l["bookkeeping_ns"] / (l["length"] * 1e9) for l in iv[1:])  # the first holds start-up
med = statistics.median(share)
p90 = share[int(0.9 * (len(share) - 1))]
sizes = [len(json.dumps(l, separators=(",", ":"))) + 1 for l in iv]
per = statistics.median(sizes)
tach_cpu = cpu_ticks / clk / dur
print(f"```\nDURATION={int(dur)} bench/soak/run.sh   (load average {lb} -> {la})\n```\n")
print("| measure | value |\n| --- | ---: |")
print(f"| intervals | {len(iv)} |")
print(f"| binary's bookkeeping per 1 s interval, median | {med * 100:.3f}% |")
print(f"| ... p90 | {p90 * 100:.3f}% |")
print(f"| tach process CPU / wall time | {tach_cpu * 100:.3f}% |")
print(f"| bytes per interval (median line) | {per:.0f} |")
print(f"| file per hour at 1 s | {per * 3600 / 1e6:.2f} MB |")
print(f"| whole file | {os.path.getsize(path)} bytes |")
print(open(load_md).read(), end="")
sys.exit(0 if med <= 0.01 else 1)
PY
