#!/usr/bin/python3
"""peers.py - the two peer methods `tach ab` is measured against (bench/ab/run.sh).

  peers.py gbench PROG N_OLD N_NEW REPS NOISE
      "The way Google Benchmark's compare.py works": REPS repetitions of OLD, then REPS
      of NEW (each repetition one process run of PROG N), then the two-sided
      Mann-Whitney U test (scipy.stats.mannwhitneyu, as compare.py calls it) on the
      repetitions' times, alpha 0.05.  Judged on wall time and on user+system CPU time.
  peers.py welch HYPERFINE.json NOISE
      hyperfine's export (OLD first, NEW second) + Welch's t-test
      (scipy.stats.ttest_ind(equal_var=False)) on the wall times, alpha 0.05.

Verdicts, with the same noise floor as `tach ab --noise`: regressed when significant and
the change (of the medians for the U test, of the means for Welch) is above +NOISE%;
improved when significant and below -NOISE%; else "no difference".  One JSON line out.
"""
import json
import os
import statistics
import sys
import time

from scipy.stats import mannwhitneyu, ttest_ind


def verdict(p, change, noise):
    if p < 0.05 and change > noise:
        return "regressed"
    if p < 0.05 and change < -noise:
        return "improved"
    return "no difference"


def run(prog, n):
    t0 = time.monotonic_ns()
    pid = os.posix_spawn(prog, [prog, str(n)], os.environ)
    _, status, ru = os.wait4(pid, 0)
    wall = time.monotonic_ns() - t0
    if status != 0:
        sys.exit(f"{prog} {n} failed: status {status}")
    return wall, (ru.ru_utime + ru.ru_stime) * 1e9


def gbench(prog, n_old, n_new, reps, noise):
    t0 = time.monotonic()
    old = [run(prog, n_old) for _ in range(reps)]
    new = [run(prog, n_new) for _ in range(reps)]
    out = {"method": "repetitions + U test", "reps": reps, "elapsed_s": time.monotonic() - t0}
    for k, name in ((0, "wall"), (1, "cpu")):
        a = [x[k] for x in old]
        b = [x[k] for x in new]
        p = mannwhitneyu(a, b, alternative="two-sided").pvalue
        change = statistics.median(b) / statistics.median(a) - 1
        out[name] = {"p": p, "change": change, "verdict": verdict(p, change, noise)}
    return out


def welch(path, noise):
    with open(path) as f:
        res = json.load(f)["results"]
    a, b = res[0]["times"], res[1]["times"]
    p = ttest_ind(a, b, equal_var=False).pvalue
    change = statistics.mean(b) / statistics.mean(a) - 1
    return {"method": "hyperfine + Welch t", "runs": len(a),
            "wall": {"p": p, "change": change, "verdict": verdict(p, change, noise)}}


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "gbench":
        print(json.dumps(gbench(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]),
                                float(sys.argv[6]) / 100)))
    elif len(sys.argv) == 4 and sys.argv[1] == "welch":
        print(json.dumps(welch(sys.argv[2], float(sys.argv[3]) / 100)))
    else:
        sys.exit(__doc__)
