#!/usr/bin/env bash
# suite_certify.sh - tach certify on a run of each reference suite (fixed documents in
# tests/cli/data, made by `tach suite ... --quick`) says how the suite measured it: not the
# sampler's calibration and precision rule, no bottleneck section asking for --profile (a
# suite has none), and stability judged only where a CV means something (compression and
# crypto repeat one call; a storage job's intervals and a bus row's batches or messages
# vary by the workload's nature: n/a, where they scored 0/100).
source "$(dirname "$0")/lib.bash"
cd "$tmp" || exit 1
for suite in compression crypto storage bus; do
  cp "$DATA/suite_${suite}_run.json" "$suite.json"
  "$TACH" certify "$suite.json" --format md >"$suite.cert.md" 2>"$tmp/err"
  rc=$?
  [ "$rc" -le 1 ] || fail "$suite: certify exit $rc: $(head -c 300 "$tmp/err")"
  cp "$suite.cert.md" "$tmp/out"
  out_lacks '^- Calibration: |sampled until the median|Top [0-9]+ bottlenecks|--profile|fixed numbers of runs'
  out_has '^- Samples: '
  out_has '^\| Precision \| n/a \| no precision target: '
  case $suite in
    storage|bus)
      out_has "^\\| Stability \\| n/a \\| not judged by CV: a $suite row's samples are "
      out_has '^Not judged by CV: the samples are '
      out_lacks 'stabilise .* unstable|CV at most 5%|: CV [0-9]' ;;
    *)
      out_has '^\| Stability \| [0-9]+/100 \| [0-9]+ of [0-9]+ measured benchmarks stable \(CV at most 5%\) \|$' ;;
  esac
  golden "suite_$suite.certificate.md" "$suite.cert.md"
done
cp storage.cert.md "$tmp/out"
out_has '^- Jobs: fio.s jobs on one test file of 4 MiB, .* after 0.05 s \(--time\)'
cp bus.cert.md "$tmp/out"
out_has '^- Messages: 200 per row \(--messages\)'
cp crypto.cert.md "$tmp/out"
out_has '^\| algorithm \| library \| hardware acceleration \| GB/s at 64 B \| GB/s at 1 MiB \|$'
finish
