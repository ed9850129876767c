#!/usr/bin/env python3
"""Synthetic history for the report and site figures: writes RUNS tach results
documents (run-0000.json ...) of BENCHMARKS benchmarks each into OUT.

Each benchmark has a base level (log-uniform 20 ns .. 2 ms) and noise of 0.5-3%;
about one in ten gets a level shift (+5..+30% or -5..-20%) at a random run, which
the site should mark as a change point; the last run makes a few benchmarks slower
(regressions) and one crash.  Deterministic for a given --seed.

  gen.py --benchmarks 200 --runs 100 --samples 20 --out DIR
"""
import argparse, json, math, os, random

ap = argparse.ArgumentParser()
ap.add_argument("--benchmarks", type=int, default=200)
ap.add_argument("--runs", type=int, default=100)
ap.add_argument("--samples", type=int, default=20)
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--out", required=True)
a = ap.parse_args()
rnd = random.Random(a.seed)
os.makedirs(a.out, exist_ok=True)

groups = ["codec", "hash", "sort", "queue", "alloc", "parse", "io", "crypto"]
benches = []
for i in range(a.benchmarks):
    g = groups[i % len(groups)]
    fam = i // len(groups)
    n = 10 ** (1 + fam % 4)
    name = f"{g}/op{fam // 4}/n={n}"
    base = math.exp(rnd.uniform(math.log(20), math.log(2e6)))
    noise = rnd.uniform(0.005, 0.03)
    shift_at = rnd.randrange(a.runs // 4, a.runs) if rnd.random() < 0.1 else None
    shift = rnd.choice([rnd.uniform(0.05, 0.3), -rnd.uniform(0.05, 0.2)])
    benches.append((name, g, f"op{fam // 4}", n, base, noise, shift_at, shift))

def q7(s, p):
    h = (len(s) - 1) * p
    lo = math.floor(h)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (h - lo) * (s[hi] - s[lo])

for r in range(a.runs):
    out = []
    last = r == a.runs - 1
    for k, (name, g, fn, n, base, noise, shift_at, shift) in enumerate(benches):
        if last and k == 7:
            out.append({"name": name, "group": g, "function": fn, "params": {"n": n},
                        "status": "crashed", "signal": 11, "message": "killed by signal 11 (SIGSEGV)"})
            continue
        level = base * (1 + shift if shift_at is not None and r >= shift_at else 1)
        if last and k % 37 == 3:
            level *= 1.12
        xs = [level * (1 + rnd.gauss(0, noise)) for _ in range(a.samples)]
        s = sorted(xs)
        m = len(xs)
        mean = sum(xs) / m
        sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (m - 1))
        med = q7(s, .5)
        j = max(0, int(m / 2 - 0.98 * math.sqrt(m)))
        out.append({
            "name": name, "group": g, "function": fn, "params": {"n": n}, "status": "ok",
            "samples": {"iters": [1000] * m, "ns": [round(x, 3) for x in xs]},
            "estimates": {"mean": {"value": mean, "ci_low": mean - 2 * sd / math.sqrt(m), "ci_high": mean + 2 * sd / math.sqrt(m)},
                          "median": {"value": med, "ci_low": s[j], "ci_high": s[m - 1 - j]},
                          "stddev": sd, "mad": sd * 0.67, "cv": sd / mean, "min": s[0], "max": s[-1]},
            "percentiles": {"p50": med, "p99": q7(s, .99)},
            "unstable": sd / mean > 0.05,
        })
    doc = {"format": "tach-results", "version": 1, "partial": False,
           "context": {"date": f"2026-01-01T00:{r // 60:02d}:{r % 60:02d}Z", "tool": "libtach",
                       "host": "synthetic", "cpu_model": "Synthetic CPU", "cpus": 2,
                       "git_commit": "%040x" % (0x1000 + r)},
           "benchmarks": out}
    with open(os.path.join(a.out, "run-%04d.json" % r), "w") as fh:
        json.dump(doc, fh, separators=(",", ":"))
