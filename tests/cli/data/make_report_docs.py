#!/usr/bin/env python3
"""Writes report_base.json and report_new.json: two tach results documents whose
contents are fixed by the formulas below (no randomness), used by the report tests.
The estimates are computed here from the samples (median/percentiles by linear
interpolation, type 7; the CIs are the order-statistic interval of the median, which
is all a fixture needs: the renderers print them, they do not check them).

Run: /usr/bin/python3 tests/cli/data/make_report_docs.py   (from the source root)
"""
import json, math, os

HERE = os.path.dirname(os.path.abspath(__file__))

def q7(s, p):
    h = (len(s) - 1) * p
    lo = math.floor(h)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (h - lo) * (s[hi] - s[lo])

def samples(median, spread, n=30, phase=0.0):
    # A smooth, fixed wiggle around the median: spread is the relative amplitude.
    return [median * (1 + spread * math.sin(1.7 * i + phase)) for i in range(n)]

def bench(name, group, function, xs, params=None, bytes_per_iter=0, targets=None, iters=1000):
    s = sorted(xs)
    n = len(xs)
    mean = sum(xs) / n
    sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (n - 1))
    med = q7(s, 0.5)
    mad = q7(sorted(abs(x - med) for x in xs), 0.5)
    k = max(0, int(n / 2 - 1.96 * math.sqrt(n) / 2))
    b = {
        "name": name, "group": group, "function": function, "command": None,
        "params": params or {}, "status": "ok", "message": None,
        "samples": {"iters": [iters] * n, "ns": xs},
        "estimates": {
            "mean": {"value": mean, "ci_low": mean - sd / math.sqrt(n), "ci_high": mean + sd / math.sqrt(n)},
            "median": {"value": med, "ci_low": s[k], "ci_high": s[n - 1 - k]},
            "stddev": sd, "mad": mad, "cv": sd / mean, "min": s[0], "max": s[-1]},
        "percentiles": {f"p{p}": q7(s, v) for p, v in
                        [("1", .01), ("5", .05), ("10", .1), ("25", .25), ("50", .5), ("75", .75),
                         ("90", .9), ("95", .95), ("99", .99), ("999", .999)]},
        "outliers": {"low_severe": 0, "low_mild": 0, "high_mild": 0, "high_severe": 0,
                     "q1": q7(s, .25), "q3": q7(s, .75)},
        "precision": {"target": 0.01, "achieved": (s[n - 1 - k] - s[k]) / 2 / med,
                      "reached": (s[n - 1 - k] - s[k]) / 2 / med <= 0.01},
        "unstable": sd / mean > 0.05,
    }
    if bytes_per_iter:
        b["throughput"] = {"bytes_per_iter": bytes_per_iter, "bytes_per_second": bytes_per_iter / med * 1e9}
    if targets:
        b["targets"] = targets
    return b

def broken(name, group, function, status, message, signal=None):
    b = {"name": name, "group": group, "function": function, "command": None, "params": {},
         "status": status, "message": message}
    if signal:
        b["signal"] = signal
    return b

def context(date, commit):
    return {
        "date": date, "tool": "libtach", "tach_version": "0.1.0",
        "executable": "./bench_suite", "host": "bench-host", "os": "Linux",
        "kernel": "6.1.0-test", "arch": "x86_64", "cpu_model": "Example CPU @ 3.00GHz",
        "cpus": 2, "mhz": 3000.0, "memory_kib": 4194304, "governor": None,
        "load_avg": [0.12, 0.08, 0.05], "aslr": 2, "virtualization": "kvm",
        "compiler": "GNU 12.2.0", "build_flags": "-O3 -DNDEBUG", "build_type": "Release",
        "git_commit": commit,
        "timer": {"clock": "CLOCK_MONOTONIC", "resolution_ns": 20.0, "cost_ns": 18.5},
        "settings": {"precision": 0.01, "max_time_s": 5.0, "min_samples": 10,
                     "sample_time_ns": 10000000, "timeout_s": 60, "isolate": True,
                     "processes": 2, "seed": 42, "resamples": 10000, "filter": None},
        "warnings": ["running in a virtual machine (kvm): timings include hypervisor noise"],
        "command_line": ["tach", "run", "--processes", "2", "./bench_suite"],
    }

def suite(new):
    f = 1.0 if not new else None
    out = []
    for lvl, base_ns in ((1, 2.0e5), (6, 6.0e5), (9, 2.4e6)):
        t = None
        if lvl == 1:
            t = {"min_bytes_per_sec": 5.0e8}      # 65536 B / 200 us = 327.7 MB/s: missed
        if lvl == 6:
            t = {"min_bytes_per_sec": 1.0e8}      # 109 MB/s: met
        out.append(bench(f"codec/compress/level={lvl}", "codec", "compress",
                         samples(base_ns, 0.004, phase=lvl), {"level": lvl}, 65536, t))
    dec = 1.0e5 * (1.15 if new else 1.0)          # +15%: a critical regression
    out.append(bench("codec/decompress", "codec", "decompress", samples(dec, 0.003)))
    fnv = 50.0 * (0.90 if new else 1.0)           # -10%: improved
    out.append(bench("hash/fnv", "hash", "fnv", samples(fnv, 0.004, phase=1)))
    out.append(bench("hash/sha256", "hash", "sha256", samples(800.0, 0.004, phase=2), None, 0,
                     {"max_p99_ns": 1000.0, "max_mean_ns": 900.0}))
    if new:
        out.append(bench("hash/xxh3", "hash", "xxh3", samples(20.0, 0.004, phase=3)))
    else:
        out.append(bench("hash/crc32", "hash", "crc32", samples(120.0, 0.004, phase=3)))
    for n, t in ((100, 1.5e3), (1000, 2.1e4), (10000, 2.7e5)):
        spread = 0.12 if (n == 1000) else 0.004   # n=1000 is unstable (CV ~ 8.6%)
        out.append(bench(f"sort/qsort/n={n}", "sort", "qsort", samples(t, spread, phase=n % 7),
                         {"n": n}))
    if new:
        out.append(broken("misc/crashy", "misc", "crashy", "crashed", "killed by signal 11 (SIGSEGV)", 11))
        out.append(broken("misc/hang", "misc", "hang", "timeout", "timed out after 60 s"))
        out.append(broken("misc/broken", "misc", "broken", "failed", "checksum mismatch: got 0x1f, want 0x2e"))
        out.append(broken("misc/optional", "misc", "optional", "skipped", "needs AVX-512"))
    else:
        out.append(bench("misc/crashy", "misc", "crashy", samples(300.0, 0.004)))
    return out

for new, fname, date, commit in ((False, "report_base.json", "2026-01-05T10:00:00Z", "1111111111111111111111111111111111111111"),
                                 (True, "report_new.json", "2026-01-06T10:00:00Z", "2222222222222222222222222222222222222222")):
    doc = {"format": "tach-results", "version": 1, "partial": False,
           "context": context(date, commit), "benchmarks": suite(new)}
    with open(os.path.join(HERE, fname), "w") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")
