#!/usr/bin/python3
"""Reference values for tests/unit/test_stats.c and test_rng.c.

Run with Debian 12's /usr/bin/python3 (python3-scipy 1.10.1, python3-numpy 1.24.2):
    /usr/bin/python3 tests/unit/stats_reference.py
Each value printed here is pasted into the C tests beside the expression that made it.
"""
import numpy as np
import scipy
import scipy.stats as st

print("# scipy", scipy.__version__, "numpy", np.__version__)
A = np.array([2.1, 3.4, 1.9, 5.6, 4.4, 3.3, 2.8, 7.1, 3.9, 4.0])
B = np.array([3.0, 4.1, 5.2, 4.8, 6.3, 5.5, 4.9, 7.7])
TX = np.array([1, 2, 2, 3, 3, 3, 4], dtype=float)
TY = np.array([2, 3, 3, 4, 4, 5, 5, 5], dtype=float)

def r(v):
    return repr(float(v))

print("mean(A)", r(np.mean(A)))
print("std(A,ddof=1)", r(np.std(A, ddof=1)))
for p in [0, 0.1, 0.25, 0.5, 0.9, 0.999, 1]:
    print("quantile(A,%g)" % p, r(np.quantile(A, p)))
print("median(A)", r(np.median(A)), "median(B)", r(np.median(B)), "median(TX)", r(np.median(TX)))
print("mad(A)", r(st.median_abs_deviation(A)), "mad(TY)", r(st.median_abs_deviation(TY)))
print("gmean([1.1,0.9,1.25,1.02])", r(st.gmean([1.1, 0.9, 1.25, 1.02])))
for z in [-38, -8.3, -3, -1.5, 0, 0.5, 2, 8.3]:
    print("norm.cdf(%g)" % z, r(st.norm.cdf(z)))
for p in [1e-300, 1e-10, 0.001, 0.025, 0.3, 0.5, 0.975, 0.999999, 1 - 1e-12]:
    print("norm.ppf(%r)" % p, r(st.norm.ppf(p)))
for t, df in [(0.5, 1), (-2, 3), (2.5, 10.5), (1.96, 1e6), (-4, 2.3), (10, 30), (-30, 4), (0, 7), (0.3, 0.5), (3, 250)]:
    print("t.cdf(%r,%r)" % (t, df), r(st.t.cdf(t, df)))

def welch(x, y):
    res = st.ttest_ind(x, y, equal_var=False)
    vx, vy = np.var(x, ddof=1) / len(x), np.var(y, ddof=1) / len(y)
    df = (vx + vy) ** 2 / (vx ** 2 / (len(x) - 1) + vy ** 2 / (len(y) - 1))
    return res.statistic, df, res.pvalue
for name, x, y in [("A,B", A, B), ("TX,TY", TX, TY), ("[1,2],[3,5,4]", [1., 2.], [3., 5., 4.])]:
    t, df, p = welch(np.array(x), np.array(y))
    print("welch(%s)" % name, r(t), r(df), r(p))

def mwu(x, y):
    res = st.mannwhitneyu(x, y, alternative="two-sided", method="asymptotic", use_continuity=True)
    return res.statistic, res.pvalue
for name, x, y in [("A,B", A, B), ("TX,TY", TX, TY), ("B,A", B, A), ("[1],[2]", [1.], [2.]),
                   ("[1,2],[3,4,5]", [1., 2.], [3., 4., 5.]), ("[1,1,2],[1,2,2]", [1., 1., 2.], [1., 2., 2.])]:
    u, p = mwu(x, y)
    print("mwu(%s)" % name, r(u), r(p))
# A larger, tied sample: rounded values of a deterministic sequence.
LX = np.array([round(10 + 3 * np.sin(i * 1.7), 0) for i in range(40)])
LY = np.array([round(11 + 3 * np.cos(i * 1.3), 0) for i in range(45)])
u, p = mwu(LX, LY)
print("mwu(LX,LY)", r(u), r(p))

# Benjamini-Hochberg by hand (scipy 1.10 has no false_discovery_control; this is the
# statsmodels multipletests(method="fdr_bh") procedure): sort, p*m/rank, running min
# from the top, cap at 1, back to input order.
def bh(p):
    p = np.asarray(p, dtype=float)
    m = len(p)
    order = np.argsort(p, kind="mergesort")
    q = p[order] * m / np.arange(1, m + 1)
    q = np.minimum.accumulate(q[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(q, 1)
    return out
P = [0.01, 0.04, 0.03, 0.005, 0.5, 0.04, 0.2, 0.9]
print("bh(P)", [r(v) for v in bh(P)])

# Percentile bootstrap with many resamples: the ideal interval tach approximates.
for name, stat, data in [("mean", np.mean, (A,)), ("median", np.median, (A,))]:
    res = st.bootstrap(data, stat, n_resamples=200000, confidence_level=0.95,
                       method="percentile", random_state=12345)
    print("bootstrap %s(A)" % name, r(res.confidence_interval.low), r(res.confidence_interval.high))
res = st.bootstrap((A, B), lambda x, y, axis=-1: np.median(y, axis=axis) / np.median(x, axis=axis) - 1,
                   n_resamples=200000, confidence_level=0.95, method="percentile",
                   random_state=12345, paired=False)
print("bootstrap ratio(A,B)", r(res.confidence_interval.low), r(res.confidence_interval.high))

# Order-statistic CI of the median (normal approximation to Binomial(n, 1/2)).
def median_ci_fast(x, level=0.95):
    s = np.sort(x); n = len(s); z = st.norm.ppf((1 + level) / 2)
    lo = max(int(np.floor((n - z * np.sqrt(n)) / 2)), 1)
    hi = min(int(np.ceil(1 + (n + z * np.sqrt(n)) / 2)), n)
    cover = st.binom.cdf(hi - 1, n, 0.5) - st.binom.cdf(lo - 1, n, 0.5)
    return s[lo - 1], s[hi - 1], lo, hi, cover
print("median_ci_fast(A)", median_ci_fast(A))
print("median_ci_fast(LX)", median_ci_fast(LX))
for n in [10, 50, 100, 1000, 10000]:
    print("median_ci_fast ranks/exact coverage n=%d" % n, median_ci_fast(np.arange(n, dtype=float))[2:])

# Tukey fences.
T = np.array([10, 11, 12, 12, 13, 13, 13, 14, 14, 15, 16, 30, 2, -20, 21, 19.5])
q1, q3 = np.quantile(T, [0.25, 0.75]); iqr = q3 - q1
print("tukey q1 q3", r(q1), r(q3),
      "low_severe", int(np.sum(T < q1 - 3 * iqr)),
      "low_mild", int(np.sum((T < q1 - 1.5 * iqr) & (T >= q1 - 3 * iqr))),
      "high_mild", int(np.sum((T > q3 + 1.5 * iqr) & (T <= q3 + 3 * iqr))),
      "high_severe", int(np.sum(T > q3 + 3 * iqr)))

# Random numbers: splitmix64 and xoshiro256** written from Vigna's reference C
# (https://prng.di.unimi.it/splitmix64.c, xoshiro256starstar.c); FNV-1a 64 from
# http://www.isthe.com/chongo/tech/comp/fnv/ (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
M = (1 << 64) - 1
def splitmix(state):
    state = (state + 0x9e3779b97f4a7c15) & M
    z = state
    z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & M
    z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & M
    return state, z ^ (z >> 31)
def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M
def xoshiro(s):
    result = (rotl((s[1] * 5) & M, 7) * 9) & M
    t = (s[1] << 17) & M
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 45)
    return result
for seed in [0, 1234567]:
    st_ = seed; outs = []
    for _ in range(5):
        st_, z = splitmix(st_); outs.append(z)
    print("splitmix64(%d)" % seed, ["0x%016x" % v for v in outs])
    st_ = seed; s = []
    for _ in range(4):
        st_, z = splitmix(st_); s.append(z)
    print("xoshiro256**(seed %d)" % seed, ["0x%016x" % xoshiro(s) for _ in range(6)])
def fnv1a(b):
    h = 0xcbf29ce484222325
    for c in b:
        h ^= c; h = (h * 0x100000001b3) & M
    return h
for s in [b"", b"a", b"foobar", b"fib/n=20"]:
    print("fnv1a(%r)" % s, "0x%016x" % fnv1a(s))

# Larger samples generated by tach's own generator, so C and Python hold the same
# numbers: v = floor((100 + 10*u) * 10 + 0.5) / 10 with u = tach__rng_double,
# 300 values from seed 2026 for X, then 250 more (+1 shift) from the same stream
# for Y; rounding to 0.1 makes many ties.
def rng_double(s):
    return (xoshiro(s) >> 11) * 2.0 ** -53
def seeded(seed):
    st_ = seed; s = []
    for _ in range(4):
        st_, z = splitmix(st_); s.append(z)
    return s
import math
s = seeded(2026)
GX = np.array([math.floor((100 + 10 * rng_double(s)) * 10 + 0.5) / 10 for _ in range(300)])
GY = np.array([math.floor((101 + 10 * rng_double(s)) * 10 + 0.5) / 10 for _ in range(250)])
u, p = mwu(GX, GY)
print("mwu(GX,GY)", r(u), r(p), "distinct values", len(np.unique(np.concatenate([GX, GY]))))
t, df, p = welch(GX, GY)
print("welch(GX,GY)", r(t), r(df), r(p))
print("mean(GX)", r(np.mean(GX)), "std(GX)", r(np.std(GX, ddof=1)), "median(GY)", r(np.median(GY)),
      "mad(GY)", r(st.median_abs_deviation(GY)), "quantile(GY,0.99)", r(np.quantile(GY, 0.99)))
