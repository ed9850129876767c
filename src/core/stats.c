/* stats.c - statistics over arrays of doubles: pure functions, no I/O.
 *
 * Why one file of ~600 lines: every function here shares the NaN policy below and
 * the sorted-copy helpers, and the file reads as one reference against
 * docs/statistics.md; its sections (basics, distributions, resampling, outliers and
 * summary, tests) are the seams to split along if it grows.
 *
 * NaN policy (numpy's): a statistic of data holding a NaN is NaN; tests that see a
 * NaN give p = NaN.  Empty input gives NaN (counts 0), never a crash.  Functions
 * returning int return -1 only when memory runs out. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng_inline.h"
#include "tach_internal.h"

/* ---- basics ---------------------------------------------------------------- */

/* Kahan-compensated sum of x[i] * scale (scale a power of 2, so exact); *plain gets
 * the uncompensated sum, which compensation would turn from an infinity into NaN. */
static double kahan_sum(const double *x, size_t n, double scale, double *plain)
{
    double sum = 0, c = 0;
    *plain = 0;
    for (size_t i = 0; i < n; i++) {
        double v = x[i] * scale;
        double y = v - c;
        double t = sum + y;
        c = (t - sum) - y;
        sum = t;
        *plain += v;
    }
    return sum;
}

/* The largest |x[i]| when every value is finite, else NaN. */
static double finite_max_abs(const double *x, size_t n)
{
    double top = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i])) return NAN;
        if (fabs(x[i]) > top) top = fabs(x[i]);
    }
    return top;
}

double tach__mean(const double *x, size_t n)
{
    if (n == 0) return NAN;
    /* Kahan-compensated: per-iteration times span many magnitudes. */
    double plain, sum = kahan_sum(x, n, 1, &plain);
    if (isfinite(plain)) return sum / (double)n;
    /* A sum beyond a double: an infinity or NaN in the data makes the mean so; finite
     * values near DBL_MAX are summed scaled down by a power of 2 of at least n, under
     * which no partial sum can overflow, and the mean is scaled back. */
    if (isnan(finite_max_abs(x, n))) return plain / (double)n;
    int k = 1;
    while (ldexp(1, k) < (double)n) k++;
    sum = kahan_sum(x, n, ldexp(1, -k), &plain);
    return ldexp(sum / (double)n, k);
}

/* Sum of squared deviations of x[i] * scale from m * scale (scale a power of 2;
 * two-pass, so no catastrophic cancellation). */
static double sum_sq_dev(const double *x, size_t n, double m, double scale)
{
    double ss = 0, comp = 0, ms = m * scale;
    for (size_t i = 0; i < n; i++) {
        double d = x[i] * scale - ms;
        ss += d * d;
        comp += d;
    }
    /* Corrected two-pass formula (Chan, Golub & LeVeque): removes the rounding
     * error left in m. */
    return ss - comp * comp / (double)n;
}

double tach__stddev(const double *x, size_t n)
{
    if (n < 2) return NAN; /* one value has no sample spread (numpy ddof=1 -> nan) */
    double m = tach__mean(x, n);
    double ss = sum_sq_dev(x, n, m, 1);
    if (!isfinite(ss) && isfinite(m) && isfinite(finite_max_abs(x, n))) {
        /* Finite values whose squared deviations leave a double (beyond ~1.3e154):
         * scaled to at most 1 in magnitude, deviations are at most 2 and nothing
         * overflows; the spread is scaled back. */
        int k = ilogb(finite_max_abs(x, n)) + 1;
        ss = sum_sq_dev(x, n, m, ldexp(1, -k));
        if (ss < 0) ss = 0;
        return ldexp(sqrt(ss / (double)(n - 1)), k);
    }
    if (ss < 0) ss = 0;
    return sqrt(ss / (double)(n - 1));
}

static bool has_nan(const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (isnan(x[i])) return true;
    return false;
}

/* Ascending, NaN last. */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    if (isnan(x)) return isnan(y) ? 0 : 1;
    if (isnan(y)) return -1;
    return (x > y) - (x < y);
}

void tach__sort(double *x, size_t n)
{
    if (n > 1) qsort(x, n, sizeof *x, cmp_double);
}

double tach__quantile_sorted(const double *sorted, size_t n, double p)
{
    if (n == 0 || !(p >= 0 && p <= 1)) return NAN;
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    if (lo >= n - 1) return sorted[n - 1];
    double frac = h - (double)lo;
    double a = sorted[lo], b = sorted[lo + 1];
    /* a + frac*(b-a) keeps a exact when frac == 0, even if b is infinite; between two
     * equal values (two infinities too, where b-a is NaN) the quantile is that value. */
    return frac == 0 || a == b ? a : a + frac * (b - a);
}

/* A sorted copy of x, or NULL (out of memory, or n == 0). */
static double *sorted_copy(const double *x, size_t n)
{
    if (n == 0) return NULL;
    double *c = tach__malloc(n * sizeof *c);
    if (!c) return NULL;
    memcpy(c, x, n * sizeof *c);
    tach__sort(c, n);
    return c;
}

double tach__median(const double *x, size_t n)
{
    if (n == 0 || has_nan(x, n)) return NAN;
    double *c = sorted_copy(x, n);
    if (!c) return NAN;
    double m = tach__quantile_sorted(c, n, 0.5);
    tach__free(c);
    return m;
}

double tach__mad(const double *x, size_t n)
{
    if (n == 0 || has_nan(x, n)) return NAN;
    double *c = sorted_copy(x, n);
    if (!c) return NAN;
    double med = tach__quantile_sorted(c, n, 0.5);
    for (size_t i = 0; i < n; i++) c[i] = fabs(c[i] - med);
    tach__sort(c, n);
    double mad = tach__quantile_sorted(c, n, 0.5);
    tach__free(c);
    return mad;
}

double tach__geomean(const double *x, size_t n)
{
    if (n == 0) return NAN;
    double s = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(x[i] > 0)) return NAN; /* also NaN */
        s += log(x[i]);
    }
    return exp(s / (double)n);
}

/* ---- distributions ---------------------------------------------------------- */

double tach__norm_cdf(double z)
{
    return 0.5 * erfc(-z / M_SQRT2);
}

/* Acklam's rational approximation of the normal quantile (relative error below
 * 1.15e-9), refined by one Halley step on erfc, which brings it to full double
 * precision. */
double tach__norm_quantile(double p)
{
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                               -2.759285104469687e+02, 1.383577518672690e+02,
                               -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                               -1.556989798598866e+02, 6.680131188771972e+01,
                               -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                               -2.400758277161838e+00, -2.549732539343734e+00,
                               4.374664141464968e+00,  2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                               2.445134137142996e+00, 3.754408661907416e+00};
    const double p_low = 0.02425;

    if (isnan(p) || p < 0 || p > 1) return NAN;
    if (p == 0) return -INFINITY;
    if (p == 1) return INFINITY;

    double x;
    if (p < p_low) {
        double q = sqrt(-2 * log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p <= 1 - p_low) {
        double q = p - 0.5, r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    } else {
        double q = sqrt(-2 * log1p(-p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    /* Halley step: e = Phi(x) - p, computed from the tail that is accurate. */
    double e = x < 0 ? 0.5 * erfc(-x / M_SQRT2) - p : -(0.5 * erfc(x / M_SQRT2) - (1 - p));
    double u = e * sqrt(2 * M_PI) * exp(x * x / 2);
    return x - u / (1 + x * u / 2);
}

/* Continued fraction for the regularized incomplete beta function, evaluated with
 * the modified Lentz method (converges fast for x < (a+1)/(a+b+2)). */
static double betacf(double a, double b, double x)
{
    const double tiny = 1e-300, eps = 1e-16;
    double qab = a + b, qap = a + 1, qam = a - 1;
    double c = 1, d = 1 - qab * x / qap;
    if (fabs(d) < tiny) d = tiny;
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= 100000; m++) {
        double m2 = 2.0 * m;
        /* even step: d_{2m} = m(b-m)x / ((a+2m-1)(a+2m)) */
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1 + aa * d;
        if (fabs(d) < tiny) d = tiny;
        c = 1 + aa / c;
        if (fabs(c) < tiny) c = tiny;
        d = 1 / d;
        h *= d * c;
        /* odd step: d_{2m+1} = -(a+m)(a+b+m)x / ((a+2m)(a+2m+1)) */
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1 + aa * d;
        if (fabs(d) < tiny) d = tiny;
        c = 1 + aa / c;
        if (fabs(c) < tiny) c = tiny;
        d = 1 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1) < eps) break;
    }
    return h;
}

/* Stirling's series remainder: ln Gamma(z) - [(z - 1/2) ln z - z + ln(2 pi)/2],
 * to 1e-17 for z >= 10. */
static double stirling_corr(double z)
{
    double z2 = 1 / (z * z);
    return (1.0 / 12 - z2 * (1.0 / 360 - z2 * (1.0 / 1260 - z2 / 1680))) / z;
}

/* ln B(a, b) = ln Gamma(a) + ln Gamma(b) - ln Gamma(a + b).  Large arguments go
 * through Stirling's series arranged so that nothing large cancels: lgamma(a) is
 * ~ a ln a, and subtracting two such values would leave ~1e-10 relative error in
 * the p-value of a t-test with df ~ 1e6. */
static double log_beta(double a, double b)
{
    double small = a < b ? a : b, big = a < b ? b : a;
    if (big < 10) return lgamma(a) + lgamma(b) - lgamma(a + b);
    const double half_ln_2pi = 0.91893853320467274178;
    double sum = a + b;
    double corr = stirling_corr(big) - stirling_corr(sum);
    if (small < 10) {
        /* lgamma(big) - lgamma(big + small), expanded */
        return lgamma(small) - (big - 0.5) * log1p(small / big) - small * log(sum) + small +
               corr;
    }
    return half_ln_2pi + (a - 0.5) * log(a / sum) + (b - 0.5) * log(b / sum) -
           0.5 * log(sum) + stirling_corr(small) + corr;
}

/* I_x(a, b), the regularized incomplete beta function, for a, b > 0; y = 1 - x,
 * passed separately so callers can keep its precision when x is close to 1. */
static double inc_beta(double a, double b, double x, double y)
{
    if (isnan(x) || isnan(a) || isnan(b) || a <= 0 || b <= 0) return NAN;
    if (x <= 0) return 0;
    if (y <= 0) return 1;
    double ln_x = x < 0.5 ? log(x) : log1p(-y);
    double ln_y = y < 0.5 ? log(y) : log1p(-x);
    double front = exp(a * ln_x + b * ln_y - log_beta(a, b));
    if (x < (a + 1) / (a + b + 2)) return front * betacf(a, b, x) / a;
    return 1 - front * betacf(b, a, y) / b;
}

/* P(|T| > |t|) for Student's t with df degrees of freedom, computed directly (not
 * as 1 - cdf) so small p-values keep their precision:
 * I_{df/(df+t^2)}(df/2, 1/2). */
static double t_two_sided_p(double t, double df)
{
    if (isnan(t) || isnan(df) || !(df > 0)) return NAN;
    if (isinf(t)) return 0;
    /* Beyond 1e10 degrees of freedom the continued fraction needs millions of
     * terms; the normal tail is then within a relative t^4/(4 df) of the truth. */
    if (df > 1e10) return erfc(fabs(t) / M_SQRT2);
    double t2 = t * t;
    return inc_beta(df / 2, 0.5, df / (df + t2), t2 / (df + t2));
}

double tach__t_cdf(double t, double df)
{
    if (isnan(t) || isnan(df) || !(df > 0)) return NAN;
    if (t == INFINITY) return 1;
    if (t == -INFINITY) return 0;
    double tail = 0.5 * t_two_sided_p(t, df); /* P(T > |t|) */
    return t < 0 ? tail : 1 - tail;
}

/* ---- resampling ------------------------------------------------------------ */

/* Percentile-method interval from the resampled statistics (sorted in place). */
static void percentile_interval(double *stats, size_t m, double level, tach__ci *out)
{
    tach__sort(stats, m);
    /* Resamples whose statistic is NaN (e.g. a ratio over a zero median) sort last
     * and are left out. */
    while (m > 0 && isnan(stats[m - 1])) m--;
    double alpha = 1 - level;
    out->lo = tach__quantile_sorted(stats, m, alpha / 2);
    out->hi = tach__quantile_sorted(stats, m, 1 - alpha / 2);
}

static bool level_ok(double level)
{
    return level > 0 && level < 1;
}

/* A uniform index in [0, n): 32-bit draws (two per generator step) for any real
 * sample count, 64-bit ones beyond 2^32 - 1. */
static inline size_t draw_index(tach__idx_stream *g, size_t n)
{
    if (n <= UINT32_MAX) return tach__idx_below(g, (uint32_t)n);
    return (size_t)tach__rng_step_below(g->r, n);
}

int tach__bootstrap_mean(const double *x, size_t n, size_t resamples, double level,
                         uint64_t seed, tach__ci *out)
{
    out->value = tach__mean(x, n);
    out->lo = out->hi = NAN;
    if (n < 2 || resamples == 0 || isnan(out->value) || !level_ok(level)) return 0;
    double *stats = tach__malloc(resamples * sizeof *stats);
    if (!stats) return -1;
    tach__rng r;
    tach__rng_seed(&r, seed);
    tach__idx_stream g = {&r, 0, false};
    for (size_t k = 0; k < resamples; k++) {
        double s0 = 0, s1 = 0; /* two sums: half the floating-point dependency chain */
        size_t i = 0;
        for (; i + 1 < n; i += 2) {
            s0 += x[draw_index(&g, n)];
            s1 += x[draw_index(&g, n)];
        }
        if (i < n) s0 += x[draw_index(&g, n)];
        stats[k] = (s0 + s1) / (double)n;
    }
    percentile_interval(stats, resamples, level, out);
    tach__free(stats);
    return 0;
}

/* The median of one resample of SORTED data, drawn with replacement.
 *
 * A resample of sorted data is fully described by how many times each index was
 * drawn, and its order statistics follow from a running sum of those counts: count
 * the draws, then walk the counts to the middle rank.  That is O(n) with no
 * comparisons and no data movement, cheaper than copying the values and running
 * quickselect on them.  counts has n entries and is cleared here. */
static double resample_median(const double *sorted, size_t n, tach__idx_stream *g,
                              uint32_t *counts)
{
    memset(counts, 0, n * sizeof *counts);
    for (size_t i = 0; i < n; i++) counts[draw_index(g, n)]++;
    /* 0-based ranks of the middle: n odd -> (n-1)/2 twice; n even -> n/2-1, n/2. */
    size_t lo_rank = (n - 1) / 2, hi_rank = n / 2;
    size_t cum = 0, i = 0;
    while (cum + counts[i] <= lo_rank) cum += counts[i++];
    double lo = sorted[i];
    while (cum + counts[i] <= hi_rank) cum += counts[i++];
    double hi = sorted[i];
    return lo == hi ? lo : lo + (hi - lo) / 2;
}

int tach__bootstrap_median(const double *x, size_t n, size_t resamples, double level,
                           uint64_t seed, tach__ci *out)
{
    out->value = tach__median(x, n);
    out->lo = out->hi = NAN;
    if (n < 2 || resamples == 0 || isnan(out->value) || !level_ok(level)) return 0;
    double *sorted = sorted_copy(x, n);
    uint32_t *counts = tach__malloc(n * sizeof *counts);
    double *stats = tach__malloc(resamples * sizeof *stats);
    int rc = -1;
    if (sorted && counts && stats) {
        tach__rng r;
        tach__rng_seed(&r, seed);
        tach__idx_stream g = {&r, 0, false};
        for (size_t k = 0; k < resamples; k++)
            stats[k] = resample_median(sorted, n, &g, counts);
        percentile_interval(stats, resamples, level, out);
        rc = 0;
    }
    tach__free(sorted);
    tach__free(counts);
    tach__free(stats);
    return rc;
}

int tach__bootstrap_ratio(const double *x, size_t nx, const double *y, size_t ny,
                          size_t resamples, double level, uint64_t seed, tach__ci *out)
{
    out->value = out->lo = out->hi = NAN;
    if (nx == 0 || ny == 0) return 0;
    out->value = tach__median(y, ny) / tach__median(x, nx) - 1;
    if (resamples == 0 || isnan(out->value) || !level_ok(level)) return 0;
    double *sx = sorted_copy(x, nx), *sy = sorted_copy(y, ny);
    uint32_t *counts = tach__malloc((nx > ny ? nx : ny) * sizeof *counts);
    double *stats = tach__malloc(resamples * sizeof *stats);
    int rc = -1;
    if (sx && sy && counts && stats) {
        tach__rng r;
        tach__rng_seed(&r, seed);
        tach__idx_stream g = {&r, 0, false};
        for (size_t k = 0; k < resamples; k++) {
            double mx = resample_median(sx, nx, &g, counts);
            double my = resample_median(sy, ny, &g, counts);
            stats[k] = my / mx - 1;
        }
        percentile_interval(stats, resamples, level, out);
        rc = 0;
    }
    tach__free(sx);
    tach__free(sy);
    tach__free(counts);
    tach__free(stats);
    return rc;
}

/* P(lo <= B < hi), B ~ Binomial(n, 1/2) the number of values below the true median:
 * the exact coverage of the order statistics of 1-based ranks [lo, hi].  Each tail is
 * summed from its inner end outward until its terms no longer count (each term is the
 * one before times b / (n - b + 1) < 1), so it costs O(sqrt n), not O(n). */
static double binomial_half_tail(size_t n, size_t k) /* P(B < k) */
{
    if (k == 0) return 0;
    double b = (double)(k - 1), nn = (double)n;
    double t = exp(lgamma(nn + 1) - lgamma(b + 1) - lgamma(nn - b + 1) - nn * log(2.0));
    double sum = 0;
    for (;;) {
        sum += t;
        if (b <= 0 || t < sum * 1e-17) break;
        t *= b / (nn - b + 1);
        b -= 1;
    }
    return sum;
}

static double rank_coverage(size_t n, size_t lo, size_t hi)
{
    /* P(B >= hi) = P(B <= n - hi) = P(B < n - hi + 1) by symmetry */
    return 1 - binomial_half_tail(n, lo) - binomial_half_tail(n, n - hi + 1);
}

int tach__median_ci_fast(const double *x, size_t n, double level, tach__ci *out)
{
    out->value = out->lo = out->hi = NAN;
    if (n == 0 || has_nan(x, n) || !level_ok(level)) return 0;
    double *c = sorted_copy(x, n);
    if (!c) return -1;
    out->value = tach__quantile_sorted(c, n, 0.5);
    /* The number of values below the median is Binomial(n, 1/2) ~ N(n/2, n/4): the
     * interval runs from the order statistic of rank floor((n - z*sqrt(n))/2) to
     * that of rank ceil(1 + (n + z*sqrt(n))/2) (1-based), clamped to the data. */
    double z = tach__norm_quantile((1 + level) / 2);
    double half = z * sqrt((double)n);
    double lo_rank = floor(((double)n - half) / 2);
    double hi_rank = ceil(1 + ((double)n + half) / 2);
    if (lo_rank < 1) lo_rank = 1;
    if (hi_rank > (double)n) hi_rank = (double)n;
    /* Too few values for the level (below 6 at 95%: the whole range, which covers
     * 1 - 2^(1-n) only): no interval, as for one value, so no precision is claimed. */
    if (rank_coverage(n, (size_t)lo_rank, (size_t)hi_rank) >= level) {
        out->lo = c[(size_t)lo_rank - 1];
        out->hi = c[(size_t)hi_rank - 1];
    }
    tach__free(c);
    return 0;
}

/* ---- outliers and summary --------------------------------------------------- */

static void tukey_sorted(const double *s, size_t n, tach__outliers *out)
{
    memset(out, 0, sizeof *out);
    out->q1 = tach__quantile_sorted(s, n, 0.25);
    out->q3 = tach__quantile_sorted(s, n, 0.75);
    if (n == 0 || isnan(s[n - 1])) {
        out->q1 = out->q3 = NAN;
        return;
    }
    double iqr = out->q3 - out->q1;
    double lo_mild = out->q1 - 1.5 * iqr, lo_severe = out->q1 - 3 * iqr;
    double hi_mild = out->q3 + 1.5 * iqr, hi_severe = out->q3 + 3 * iqr;
    for (size_t i = 0; i < n; i++) {
        double v = s[i];
        if (v < lo_severe) out->low_severe++;
        else if (v < lo_mild) out->low_mild++;
        else if (v > hi_severe) out->high_severe++;
        else if (v > hi_mild) out->high_mild++;
    }
}

void tach__tukey(const double *x, size_t n, tach__outliers *out)
{
    memset(out, 0, sizeof *out);
    out->q1 = out->q3 = NAN;
    if (n == 0 || has_nan(x, n)) return;
    double *c = sorted_copy(x, n);
    if (!c) return;
    tukey_sorted(c, n, out);
    tach__free(c);
}

int tach__summarize(const double *x, size_t n, size_t resamples, uint64_t seed,
                    tach__summary *out)
{
    const double q = NAN;
    memset(out, 0, sizeof *out);
    out->n = n;
    out->mean = out->median = (tach__ci){q, q, q};
    out->stddev = out->mad = out->cv = out->min = out->max = q;
    out->p1 = out->p5 = out->p10 = out->p25 = out->p50 = q;
    out->p75 = out->p90 = out->p95 = out->p99 = out->p999 = q;
    out->outliers.q1 = out->outliers.q3 = q;
    if (n == 0) return 0;

    if (tach__bootstrap_mean(x, n, resamples, 0.95, seed, &out->mean) != 0) return -1;
    if (tach__bootstrap_median(x, n, resamples, 0.95, seed, &out->median) != 0) return -1;
    out->stddev = tach__stddev(x, n);
    out->mad = tach__mad(x, n);
    out->cv = out->stddev / out->mean.value;
    if (has_nan(x, n)) return 0; /* order statistics of NaN data stay NaN */

    double *s = sorted_copy(x, n);
    if (!s) return -1;
    out->min = s[0];
    out->max = s[n - 1];
    out->p1 = tach__quantile_sorted(s, n, 0.01);
    out->p5 = tach__quantile_sorted(s, n, 0.05);
    out->p10 = tach__quantile_sorted(s, n, 0.10);
    out->p25 = tach__quantile_sorted(s, n, 0.25);
    out->p50 = tach__quantile_sorted(s, n, 0.50);
    out->p75 = tach__quantile_sorted(s, n, 0.75);
    out->p90 = tach__quantile_sorted(s, n, 0.90);
    out->p95 = tach__quantile_sorted(s, n, 0.95);
    out->p99 = tach__quantile_sorted(s, n, 0.99);
    out->p999 = tach__quantile_sorted(s, n, 0.999);
    tukey_sorted(s, n, &out->outliers);
    tach__free(s);
    return 0;
}

/* ---- tests -------------------------------------------------------------------- */

typedef struct tagged { double v; int from_x; } tagged;

static int cmp_tagged(const void *a, const void *b)
{
    double x = ((const tagged *)a)->v, y = ((const tagged *)b)->v;
    return (x > y) - (x < y);
}

int tach__mann_whitney(const double *x, size_t nx, const double *y, size_t ny,
                       double *u, double *p)
{
    *u = *p = NAN;
    if (nx == 0 || ny == 0 || has_nan(x, nx) || has_nan(y, ny)) return 0;
    size_t n = nx + ny;
    tagged *all = tach__malloc(n * sizeof *all);
    if (!all) return -1;
    for (size_t i = 0; i < nx; i++) all[i] = (tagged){x[i], 1};
    for (size_t j = 0; j < ny; j++) all[nx + j] = (tagged){y[j], 0};
    qsort(all, n, sizeof *all, cmp_tagged);

    /* Average ranks over runs of ties; sum of x's ranks and sum of t^3 - t. */
    double rank_sum_x = 0, tie_term = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && all[j].v == all[i].v) j++;
        double t = (double)(j - i);
        double avg_rank = (double)(i + 1 + j) / 2; /* mean of ranks i+1 .. j */
        for (size_t k = i; k < j; k++)
            if (all[k].from_x) rank_sum_x += avg_rank;
        tie_term += t * t * t - t;
        i = j;
    }
    tach__free(all);

    double n1 = (double)nx, n2 = (double)ny, nn = (double)n;
    double u1 = rank_sum_x - n1 * (n1 + 1) / 2;
    double u2 = n1 * n2 - u1;
    *u = u1;
    double mu = n1 * n2 / 2;
    double var = n1 * n2 / 12 * ((nn + 1) - tie_term / (nn * (nn - 1)));
    if (!(var > 0)) return 0; /* all values tie: no information */
    /* Two-sided, as scipy: z from the larger U, with continuity correction. */
    double z = ((u1 > u2 ? u1 : u2) - mu - 0.5) / sqrt(var);
    double pv = erfc(z / M_SQRT2); /* 2 * P(Z > z) */
    *p = pv > 1 ? 1 : pv;
    return 0;
}

double tach__mann_whitney_min_p(size_t nx, size_t ny)
{
    if (nx == 0 || ny == 0) return NAN;
    double n1 = (double)nx, n2 = (double)ny;
    /* U at its extreme, n1 * n2, against its mean n1 * n2 / 2, as tach__mann_whitney */
    double z = (n1 * n2 / 2 - 0.5) / sqrt(n1 * n2 / 12 * (n1 + n2 + 1));
    double pv = erfc(z / M_SQRT2);
    return pv > 1 ? 1 : pv;
}

int tach__welch_t(const double *x, size_t nx, const double *y, size_t ny, double *t,
                  double *df, double *p)
{
    *t = *df = *p = NAN;
    if (nx < 2 || ny < 2) return 0;
    double mx = tach__mean(x, nx), my = tach__mean(y, ny);
    double vx = tach__stddev(x, nx), vy = tach__stddev(y, ny);
    vx = vx * vx / (double)nx;
    vy = vy * vy / (double)ny;
    double se2 = vx + vy;
    if (isnan(se2) || isnan(mx) || isnan(my) || !(se2 > 0)) return 0;
    *t = (mx - my) / sqrt(se2);
    *df = se2 * se2 / (vx * vx / (double)(nx - 1) + vy * vy / (double)(ny - 1));
    *p = t_two_sided_p(*t, *df);
    return 0;
}

typedef struct ranked_p { double p; size_t i; } ranked_p;

static int cmp_ranked_p(const void *a, const void *b)
{
    const ranked_p *x = a, *y = b;
    if (x->p != y->p) return x->p < y->p ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i); /* stable, so the result is reproducible */
}

void tach__benjamini_hochberg(const double *p, size_t m, double *p_adj)
{
    if (m == 0) return;
    ranked_p *r = tach__malloc(m * sizeof *r);
    if (!r) {
        for (size_t i = 0; i < m; i++) p_adj[i] = NAN;
        return;
    }
    size_t k = 0; /* number of real p-values */
    for (size_t i = 0; i < m; i++)
        if (!isnan(p[i])) r[k++] = (ranked_p){p[i], i};
    for (size_t i = 0; i < m; i++)
        if (isnan(p[i])) p_adj[i] = NAN; /* safe when aliased: p[i] is NaN already */
    qsort(r, k, sizeof *r, cmp_ranked_p);
    /* q_(j) = min over l >= j of p_(l) * k / l, capped at 1; from the largest down. */
    double running = 1;
    for (size_t j = k; j-- > 0;) {
        double q = r[j].p * (double)k / (double)(j + 1);
        if (q < running) running = q;
        r[j].p = running;
    }
    for (size_t j = 0; j < k; j++) p_adj[r[j].i] = r[j].p;
    tach__free(r);
}
