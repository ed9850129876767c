#!/usr/bin/env bash
# compare_cpu_wait.sh - `tach compare` / `tach gate` / `tach report` on hand-written
# command documents (per-run CPU times and context switches, as `tach run` records
# them, with the machine's CPU pressure stall during each run): a NEW run that waited
# for a CPU (wall +145%, CPU time +1%, the stall 25 ms a run against 0.2) is
# `unstable`, gate exit 0; the CPU time doubled is regressed, gate 1; a command
# sleeping more often (voluntary switches up) is regressed, gate 1; one whose sleeps got
# longer on a quiet machine is regressed, gate 1; without the pressure figures or the
# per-run data the same wall times are judged as before (regressed, gate 1).
# The shape is the A/A false alarm of bench/verdicts (issue 17): BASE 16.1 ms a run, NEW
# 39.4 ms while another CPU-bound process ran beside it on 2 CPUs.  Run i of a document:
# wall W * (1 + S * sin(1.7 i)), CPU time C * (1 + jitter(i)) (95% user, 5% system),
# involuntary switches P - 1, P, P + 1 in turn (median P), voluntary ones V.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
cd "$tmp"

# cmddoc OUT W_MS S C_MS P V T_MS [noruns]   (T_MS "-": no pressure figures)
cmddoc() {
  awk -v w="$2" -v s="$3" -v c="$4" -v p="$5" -v v="$6" -v t="$7" -v noruns="${8:-}" 'BEGIN {
    n = 30
    printf "{\"format\":\"tach-results\",\"version\":1,\"partial\":false,"
    printf "\"context\":{\"cpu_model\":\"Test CPU\",\"cpus\":2,\"memory_kib\":4000000,\"kernel\":\"6.1.0\",\"governor\":null},"
    printf "\"benchmarks\":[{\"name\":\"./madd $N\",\"command\":\"./madd $N\",\"status\":\"ok\","
    printf "\"samples\":{\"iters\":["
    for (i = 0; i < n; i++) printf "%s1", (i ? "," : "")
    printf "],\"ns\":["
    for (i = 0; i < n; i++) printf "%s%.17g", (i ? "," : ""), w * 1e6 * (1 + s * sin(1.7 * i))
    printf "]}"
    if (noruns == "") {
      printf ",\"runs\":{\"user_ns\":["
      for (i = 0; i < n; i++) printf "%s%.17g", (i ? "," : ""), 0.95 * c * 1e6 * (1 + ((i * 37) % 11 - 5) * 0.001)
      printf "],\"sys_ns\":["
      for (i = 0; i < n; i++) printf "%s%.17g", (i ? "," : ""), 0.05 * c * 1e6 * (1 + ((i * 37) % 11 - 5) * 0.001)
      printf "],\"vol_ctxsw\":["
      for (i = 0; i < n; i++) printf "%s%d", (i ? "," : ""), v
      printf "],\"invol_ctxsw\":["
      for (i = 0; i < n; i++) printf "%s%d", (i ? "," : ""), p + (i % 3) - 1
      printf "]"
      if (t != "-") {
        printf ",\"cpu_stall_ns\":["
        for (i = 0; i < n; i++) printf "%s%.17g", (i ? "," : ""), t * 1e6 * (1 + ((i * 37) % 11 - 5) * 0.001)
        printf "]"
      }
      printf "}"
    }
    printf "}]}\n"
  }' >"$1"
}
cmddoc base.json 16.1 0.02 16.0 4 4 0.2
cmddoc waited.json 39.4 0.30 16.16 14 4 25   # identical code, NEW beside a busy process
cmddoc waited_nopsi.json 39.4 0.30 16.16 14 4 -   # the same, a kernel without PSI
cmddoc doubled.json 32.2 0.02 32.0 14 4 25   # twice the work, on a busy machine
cmddoc sleeper.json 32.2 0.02 16.0 4 40 0.3  # sleeps more often: voluntary switches
cmddoc half.json 32.2 0.02 16.0 4 4 0.2      # on a CPU half its time (sleeps the rest)
cmddoc half_longer.json 64.4 0.02 16.0 4 4 0.3 # ... its sleeps got longer, the machine quiet
cmddoc base_noruns.json 16.1 0.02 16.0 4 4 0.2 noruns
cmddoc waited_noruns.json 39.4 0.30 16.16 14 4 25 noruns

if expect 0 "$TACH" compare base.json waited.json; then
  out_has '^\./madd \$N .* unstable: NEW waited for a CPU \(wall \+1[0-9][0-9]%, CPU time \+1\.0%, CPU pressure 25\.0 ms a run against 0\.2\)$'
  out_has '^0 regressed \(0 critical\), 0 improved, 0 unchanged, 1 unstable'
  out_has '1 whose slower side waited for a CPU'
  out_has '^  the CPU time these runs already hold, which waiting for a CPU does not add to:  tach compare --metric cpu BASE NEW$'
  ok "waited for a CPU: unstable, with the reason and the advice"
fi
if expect 0 "$TACH" compare --format json base.json waited.json; then
  out_jq '.benchmarks[0] | .verdict == "unstable" and .waited_for_cpu and .severity == "critical"
       and .change > 1.3 and .change_ci_low > 0.1 and (.cpu_change - 0.01 | fabs) < 1e-9
       and .base_preempt == 4 and .new_preempt == 14 and (.base_cpu_ns - 16e6 | fabs) < 1 and (.new_stall_ns - 25e6 | fabs) < 1e3
       and (.new_cpu_ns - 16.16e6 | fabs) < 1'
  ok "json: cpu_change, base_preempt, new_preempt, waited_for_cpu"
fi
expect 0 "$TACH" gate base.json waited.json && err_has "tach gate: passed" && ok "gate: waited for a CPU passes (exit 0)"
# Both sides' CPU saturated: the row says "waited for a CPU or slept longer", and the
# note after the table says so too (it said only "waited for a CPU")
cmddoc sat_base.json 70.0 0.02 14.6 14 8 72.2
cmddoc sat_new.json 93.1 0.02 14.5 7 8 99.3
if expect 0 "$TACH" compare sat_base.json sat_new.json; then
  out_has 'unstable: NEW waited for a CPU or slept longer \(wall' \
    && out_has '\(1 whose slower side waited for a CPU or slept longer: its wall time grew, its CPU time did not\)' \
    && ok "saturated: the note says what the row says" || fail "saturated: the note says what the row says"
fi
# The mirror image: BASE waited; not an improvement.
if expect 0 "$TACH" compare waited.json base.json; then
  out_has 'unstable: BASE waited for a CPU \(wall -[0-9]+%, CPU time -1\.0%, CPU pressure 25\.0 ms a run against 0\.2\)$'
  ok "BASE waited: unstable, not improved"
fi
# What the advice says to run: the CPU time alone, +1%, is no regression.
if expect 0 "$TACH" gate --format json --metric cpu base.json waited.json; then
  out_jq '.metric == "cpu" and .benchmarks[0].verdict == "unchanged" and (.benchmarks[0].waited_for_cpu | not)
       and .benchmarks[0].cpu_change == null'
  ok "--metric cpu: unchanged, no CPU figures of its own"
fi
# the table's line says what the cells measure, which are times: it said 'cpu (ns)'
if expect 0 "$TACH" compare --metric cpu base.json waited.json; then
  out_has '^metric: cpu \(user \+ system time\)$' && out_lacks '\(ns\)' &&
    out_has '^\./madd \$N +1[0-9]\.[0-9]+ ms +1[0-9]\.[0-9]+ ms ' && ok "--metric cpu: the metric line's unit is the cells'"
fi

# The CPU time doubled: a real regression, however often it was preempted.
if expect 1 "$TACH" gate base.json doubled.json; then
  out_has '^\./madd \$N .* regressed \(critical\)$'
  err_has "tach gate: FAILED: 1 regression"
  ok "CPU time +100% with preemptions: regressed, gate exit 1"
fi
if expect 1 "$TACH" gate --format json base.json doubled.json; then
  out_jq '.benchmarks[0] | .verdict == "regressed" and (.waited_for_cpu | not) and (.cpu_change - 1 | fabs) < 1e-9 and .new_preempt == 14'
fi

# Sleeping longer: wall +100%, CPU time flat, voluntary switches up, involuntary flat.
if expect 1 "$TACH" gate --format json base.json sleeper.json; then
  out_jq '.benchmarks[0] | .verdict == "regressed" and .severity == "critical" and (.waited_for_cpu | not)
       and (.cpu_change | fabs) < 1e-9 and .base_preempt == 4 and .new_preempt == 4
       and .base_voluntary == 4 and .new_voluntary == 40'
  ok "sleeping longer: regressed, gate exit 1"
fi

# Without PSI (no pressure figures): judged on wall time as before.
if expect 1 "$TACH" gate --format json base.json waited_nopsi.json; then
  out_jq '.benchmarks[0] | .verdict == "regressed" and (.waited_for_cpu | not) and .new_stall_ns == null'
  ok "no CPU pressure figures: regressed, gate exit 1"
fi
# Sleeps that got longer on a quiet machine (the stall did not grow): the code's.
if expect 1 "$TACH" gate --format json half.json half_longer.json; then
  out_jq '.benchmarks[0] | .verdict == "regressed" and (.waited_for_cpu | not) and (.cpu_change | fabs) < 1e-9'
  ok "longer sleeps, quiet machine: regressed, gate exit 1"
fi

# Without the per-run data (a benchmark binary's shape): judged on wall time as before.
if expect 1 "$TACH" gate --format json base_noruns.json waited_noruns.json; then
  out_jq '.benchmarks[0] | .verdict == "regressed" and .severity == "critical" and .cpu_change == null
       and .base_preempt == null and (.waited_for_cpu | not)'
  ok "no per-run CPU times: regressed (critical), gate exit 1, as before"
fi

# The Markdown report gives the reason in its verdict cell.
if expect 0 "$TACH" report --no-history --baseline base.json waited.json; then
  out_has '\| unstable: NEW waited for a CPU \(wall \+1[0-9][0-9]%, CPU time \+1\.0%, CPU pressure 25\.0 ms a run against 0\.2\) \|'
  ok "markdown report: the reason in the verdict cell"
fi

finish
