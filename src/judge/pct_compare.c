/*
 * pct_compare.c - judging the change of a latency percentile between two runs whose
 * results carry per-call histograms (compare.h, "percentiles").
 *
 * The CI is a bootstrap over the recorded calls, reconstructed from the histograms:
 * resampling n calls from a histogram and taking the k-th smallest (k = ceil(p/100 n))
 * gives the value at the histogram's quantile U(k), where U(k), the k-th smallest of n
 * uniform draws, is Beta(k, n - k + 1) distributed.  So each resample draws one Beta
 * variate per side instead of n calls: exact for the bootstrap, and as fast for
 * 10 million calls as for 100.  Seeded, so reruns print the same interval.
 */
#include <math.h>
#include <string.h>

#include "compare.h"
#include "latency.h"

/* ---- random variates (xoshiro stream) ----------------------------------------- */

static double normal(tach__rng *r)
{
    double u1, u2;
    do u1 = tach__rng_double(r);
    while (u1 <= 0);
    u2 = tach__rng_double(r);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* Gamma(a, 1), a >= 1: Marsaglia & Tsang (2000). */
static double gamma_ge1(tach__rng *r, double a)
{
    double d = a - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);
    for (;;) {
        double x, v;
        do {
            x = normal(r);
            v = 1.0 + c * x;
        } while (v <= 0);
        v = v * v * v;
        double u = tach__rng_double(r);
        if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
        if (u > 0 && log(u) < 0.5 * x * x + d * (1.0 - v + log(v))) return d * v;
    }
}

/* Beta(a, b) for a, b >= 1 (ranks are integers >= 1). */
static double beta(tach__rng *r, double a, double b)
{
    double x = gamma_ge1(r, a), y = gamma_ge1(r, b);
    return x / (x + y);
}

/* ---- the histogram's quantile function ------------------------------------------- */

typedef struct cum {
    int64_t *upto;   /* cumulative count through bucket i */
    int64_t *value;  /* highest equivalent value of bucket i */
    size_t n;
    int64_t total;
} cum;

static int cum_build(const tach__hist *h, cum *c)
{
    memset(c, 0, sizeof *c);
    size_t i = 0, cap = 0;
    int64_t v, k;
    while (tach__hist_next_bucket(h, &i, &v, &k)) {
        if (c->n == cap) {
            size_t ncap = cap ? cap * 2 : 256;
            int64_t *u = tach__realloc(c->upto, ncap * sizeof *u);
            if (!u) return -1;
            c->upto = u;
            int64_t *w = tach__realloc(c->value, ncap * sizeof *w);
            if (!w) return -1;
            c->value = w;
            cap = ncap;
        }
        c->total += k;
        c->upto[c->n] = c->total;
        c->value[c->n] = tach__hist_highest_equivalent(h, v); /* what a percentile reads */
        c->n++;
    }
    return 0;
}

static void cum_free(cum *c)
{
    tach__free(c->upto);
    tach__free(c->value);
}

/* The value of rank k (1-based). */
static double cum_rank(const cum *c, int64_t k)
{
    size_t lo = 0, hi = c->n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->upto[mid] >= k) hi = mid;
        else lo = mid + 1;
    }
    return (double)c->value[lo];
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* ---- one percentile ---------------------------------------------------------------- */

int tool_percentile_change(const tach__latency *base, const tach__latency *cur, double p,
                           double noise, double critical, size_t resamples, uint64_t seed,
                           tool_pct_change *out, char *err)
{
    memset(out, 0, sizeof *out);
    out->p = p;
    out->noise = noise;
    out->change.value = out->change.lo = out->change.hi = NAN;
    out->base_ns = out->new_ns = NAN;
    out->verdict = TOOL_UNTESTABLE;
    out->pvalue = out->q = NAN;
    if (!base || !cur || !base->count || !cur->count) {
        out->why = "no calls on a side";
        return 0;
    }
    int64_t nb = base->count, nc = cur->count;
    int64_t lo, hi;
    tach__hist_percentile_ci(base->hist, p, &lo, &hi, &out->base_samples);
    tach__hist_percentile_ci(cur->hist, p, &lo, &hi, &out->new_samples);
    /* a side too short to time has no value (docs/latency.md: none is presented): the
     * table showed the timer's noise, p99 45 ns, beside a .slo p99 target "nothing
     * measured" */
    if (!base->too_short) out->base_ns = (double)tach__hist_value_at(base->hist, p);
    if (!cur->too_short) out->new_ns = (double)tach__hist_value_at(cur->hist, p);
    if (base->too_short || cur->too_short) {
        out->why = "calls too short to time one by one";
        return 0;
    }
    if (out->base_ns > 0) out->change.value = out->new_ns / out->base_ns - 1.0;
    double a = fabs(out->change.value);
    out->severity = !(a > noise) ? TOOL_WITHIN_NOISE : a >= critical ? TOOL_CRITICAL : TOOL_WARNING;
    if (p < 100 && (out->base_samples < TACH__LAT_THIN || out->new_samples < TACH__LAT_THIN)) {
        out->thin = true;
        out->why = "thin tail: fewer than 10 calls above it on a side";
        return 0;
    }
    if (!(out->base_ns > 0)) {
        out->why = "a base value of 0";
        return 0;
    }
    if (resamples < 10) resamples = 10;
    cum cb, cc;
    double *r = tach__malloc(resamples * sizeof *r);
    if (!r || cum_build(base->hist, &cb) != 0 || cum_build(cur->hist, &cc) != 0) {
        tach__free(r);
        return tach__err(err, "out of memory");
    }
    double q = p / 100.0;
    int64_t kb = (int64_t)ceil(nextafter(q, 0) * (double)nb), kc = (int64_t)ceil(nextafter(q, 0) * (double)nc);
    if (kb < 1) kb = 1;
    if (kc < 1) kc = 1;
    tach__rng rng;
    tach__rng_seed(&rng, seed);
    size_t m = 0;
    for (size_t i = 0; i < resamples; i++) {
        double ub = beta(&rng, (double)kb, (double)(nb - kb + 1));
        double uc = beta(&rng, (double)kc, (double)(nc - kc + 1));
        int64_t rb = (int64_t)ceil(ub * (double)nb), rc = (int64_t)ceil(uc * (double)nc);
        if (rb < 1) rb = 1;
        if (rc < 1) rc = 1;
        double vb = cum_rank(&cb, rb), vc = cum_rank(&cc, rc);
        if (vb > 0) r[m++] = vc / vb - 1.0;
    }
    cum_free(&cb);
    cum_free(&cc);
    if (m < 10) {
        tach__free(r);
        out->why = "a base value of 0";
        return 0;
    }
    qsort(r, m, sizeof *r, cmp_double);
    out->change.lo = tach__quantile_sorted(r, m, 0.025);
    out->change.hi = tach__quantile_sorted(r, m, 0.975);
    /* "beyond the band" as a test, for the correction across percentiles.  Counting
     * resamples beyond the threshold cannot give a p below 2 / (resamples + 1), so
     * among many percentiles even a 5x change would not be significant; the p is read
     * from the bootstrap distribution's shape instead, a normal on the side of the
     * nearer threshold: centre c = the resamples' median, scale s = the distance from
     * c to that side's CI end over z(0.975), z = (c - threshold) / s, p = 2 Phi(-z).
     * Taking s from the CI's own end makes p and the CI agree exactly: p < 0.05 if and
     * only if the CI lies beyond the band on that side (lo > noise, hi < -noise), so a
     * percentile regressed on its CI has p < 0.05 and, alone, q = p < 0.05. */
    double centre = tach__quantile_sorted(r, m, 0.5), z975 = tach__norm_quantile(0.975);
    double z = -INFINITY;
    if (centre > noise) {
        double s = (centre - out->change.lo) / z975;
        z = s > 0 ? (centre - noise) / s : INFINITY;
    } else if (centre < -noise) {
        double s = (out->change.hi - centre) / z975;
        z = s > 0 ? (-noise - centre) / s : INFINITY;
    }
    out->pvalue = fmin(1.0, 2.0 * tach__norm_cdf(-z));
    tach__free(r);
    out->why = NULL;
    if (out->change.lo > noise) out->verdict = TOOL_REGRESSED;
    else if (out->change.hi < -noise) out->verdict = TOOL_IMPROVED;
    else if (out->change.lo >= -noise && out->change.hi <= noise) out->verdict = TOOL_UNCHANGED;
    else {
        /* Neither beyond nor inside the band: the calls allow a change larger than
         * the noise threshold (a CI of [-10%, +128%] says nothing): not unchanged. */
        out->verdict = TOOL_UNSTABLE;
        out->why = "its CI reaches beyond the noise band: too few calls to tell";
    }
    return 0;
}

/* ---- every row of a comparison ------------------------------------------------------ */

int tool_compare_percentiles(const tool_comparison *c, const tool_pct_ask *ask, size_t nask,
                             size_t resamples, uint64_t seed, tool_pct_change **out, size_t *n,
                             char *err)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    for (size_t i = 0; i < c->nrows; i++) {
        const tool_cmp_row *row = &c->rows[i];
        if (!row->base || !row->cur || !row->base->latency || !row->cur->latency) continue;
        if (tool_cmp_loads_differ(row)) continue; /* offered other loads: incomparable */
        for (size_t k = 0; k < nask; k++) {
            if (*n == cap) {
                size_t ncap = cap ? cap * 2 : 16;
                tool_pct_change *g = tach__realloc(*out, ncap * sizeof *g);
                if (!g) return tach__err(err, "out of memory");
                *out = g;
                cap = ncap;
            }
            double noise = isnan(ask[k].noise) ? row->noise : ask[k].noise;
            double critical = isnan(ask[k].noise) ? row->critical : fmax(row->critical, ask[k].noise);
            uint64_t s = seed ^ tach__hash_str(row->name) ^ (uint64_t)(ask[k].p * 1000.0);
            tool_pct_change *pc = &(*out)[*n];
            if (tool_percentile_change(row->base->latency, row->cur->latency, ask[k].p, noise,
                                       critical, resamples, s, pc, err) != 0)
                return -1;
            pc->name = row->name;
            /* The bootstrap over calls sees one run's luck only; a benchmark whose own
             * median change is too noisy to judge (rounds that disagree, a wide CV)
             * cannot have a judged percentile either: unstable, never a false verdict,
             * and never "unchanged" (a narrow CI over one run's calls says nothing of
             * the next run's).  Not testable (a thin tail, calls too short) stays so. */
            if (row->verdict == TOOL_UNSTABLE && pc->verdict != TOOL_UNTESTABLE) {
                pc->verdict = TOOL_UNSTABLE;
                pc->why = "the benchmark's runs are too noisy to tell (its median change is unstable)";
            }
            (*n)++;
        }
    }
    /* Each percentile is one test of many (benchmarks x percentiles): a regressed or
     * improved one needs its Benjamini-Hochberg q below alpha as well, as a median's
     * change does, so that a large suite does not fail its gate on one by chance. */
    double *p = *n ? tach__malloc(*n * sizeof *p) : NULL, *q = *n ? tach__malloc(*n * sizeof *q) : NULL;
    if (*n && (!p || !q)) {
        tach__free(p);
        tach__free(q);
        return tach__err(err, "out of memory");
    }
    for (size_t i = 0; i < *n; i++) p[i] = (*out)[i].pvalue;
    tach__benjamini_hochberg(p, *n, q);
    for (size_t i = 0; i < *n; i++) {
        tool_pct_change *pc = &(*out)[i];
        pc->q = q[i];
        /* One percentile alone is not one of many: its CI verdict stands (its p is
         * below 0.05 by construction, but alpha may be set lower). */
        if (*n > 1 && (pc->verdict == TOOL_REGRESSED || pc->verdict == TOOL_IMPROVED) &&
            !(pc->q < c->alpha)) {
            pc->verdict = TOOL_UNSTABLE;
            pc->why = "not significant across the percentiles compared (Benjamini-Hochberg q)";
        }
    }
    tach__free(p);
    tach__free(q);
    return 0;
}

size_t tool_percentiles_fail(const tool_pct_change *pc, size_t n, tool_severity min_severity)
{
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        bad += pc[i].verdict == TOOL_REGRESSED && pc[i].severity >= min_severity;
    return bad;
}

json_t *tool_percentiles_to_json(const tool_pct_change *pc, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        const tool_pct_change *x = &pc[i];
        json_t *o = json_object();
        if (!o) break;
        json_object_set_new(o, "name", tach__json_string_lossy(x->name));
        json_object_set_new(o, "p", json_real(x->p));
        json_object_set_new(o, "base_ns", tach__json_num(x->base_ns));
        json_object_set_new(o, "new_ns", tach__json_num(x->new_ns));
        json_object_set_new(o, "change", tach__json_num(x->change.value));
        json_object_set_new(o, "change_ci_low", tach__json_num(x->change.lo));
        json_object_set_new(o, "change_ci_high", tach__json_num(x->change.hi));
        json_object_set_new(o, "noise", tach__json_num(x->noise));
        json_object_set_new(o, "base_samples", json_integer(x->base_samples));
        json_object_set_new(o, "new_samples", json_integer(x->new_samples));
        json_object_set_new(o, "thin", json_boolean(x->thin));
        json_object_set_new(o, "q", tach__json_num(x->q));
        json_object_set_new(o, "verdict", json_string(tool_verdict_name(x->verdict)));
        json_object_set_new(o, "severity", json_string(tool_severity_name(x->severity)));
        if (x->why) json_object_set_new(o, "why", json_string(x->why));
        json_array_append_new(arr, o);
    }
    return arr;
}
