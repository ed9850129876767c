/* soak_stats.c - a soak's verdicts: trend, slope and drift tests (see soak.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "changepoint.h"
#include "soak.h"

void tool_mann_kendall(const double *x, size_t n, tool_mk *out)
{
    memset(out, 0, sizeof *out);
    out->n = n;
    out->z = out->p_up = NAN;
    if (n < 3) return;
    double s = 0;
    for (size_t i = 0; i + 1 < n; i++)
        for (size_t j = i + 1; j < n; j++) s += (x[j] > x[i]) - (x[j] < x[i]);
    /* Tie correction: sum over groups of equal values of t(t-1)(2t+5). */
    double ties = 0;
    for (size_t i = 0; i < n; i++) {
        bool first = true;
        for (size_t k = 0; k < i; k++) first &= x[k] != x[i];
        if (!first) continue;
        double t = 0;
        for (size_t k = i; k < n; k++) t += x[k] == x[i];
        if (t > 1) ties += t * (t - 1) * (2 * t + 5);
    }
    double dn = (double)n;
    double var = (dn * (dn - 1) * (2 * dn + 5) - ties) / 18.0;
    out->s = s;
    out->var = var;
    out->z = var > 0 ? (s > 0 ? (s - 1) / sqrt(var) : s < 0 ? (s + 1) / sqrt(var) : 0) : 0;
    out->p_up = 1 - tach__norm_cdf(out->z);
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* Sen's slope from the pairwise slopes sl (m of them; sorted here) and the Mann-Kendall
 * variance of the points they came from: the median, and the CI's ranks
 * M1 = (m - C)/2 and M2 = (m + C)/2 + 1 (1-based), C = z_0.975 * sqrt(var). */
static void sen_from_slopes(double *sl, size_t m, double var, tach__ci *out)
{
    qsort(sl, m, sizeof *sl, cmp_double);
    out->value = tach__quantile_sorted(sl, m, 0.5);
    double c = 1.959963984540054 * sqrt(var);
    double m1 = floor(((double)m - c) / 2), m2 = ceil(((double)m + c) / 2 + 1);
    out->lo = m1 >= 1 ? sl[(size_t)m1 - 1] : -INFINITY;
    out->hi = m2 <= (double)m ? sl[(size_t)m2 - 1] : INFINITY;
}

int tool_sen_slope(const double *t, const double *x, size_t n, tach__ci *out)
{
    out->value = out->lo = out->hi = NAN;
    if (n < 3) return 0;
    size_t m = 0, cap = n * (n - 1) / 2;
    double *sl = tach__malloc(cap * sizeof *sl);
    if (!sl) return -1;
    for (size_t i = 0; i + 1 < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (t[j] != t[i]) sl[m++] = (x[j] - x[i]) / (t[j] - t[i]);
    if (m > 0) {
        tool_mk mk;
        tool_mann_kendall(x, n, &mk);
        sen_from_slopes(sl, m, mk.var, out);
    }
    tach__free(sl);
    return 0;
}

int tool_soak_growth(const double *t_s, const double *bytes, size_t n, double warmup_frac,
                     tool_growth *out)
{
    return tool_soak_growth_runs(t_s, bytes, n, NULL, 0, warmup_frac, out);
}

/* The windows' minima and mean times of the kept points of one process's stretch
 * [a, b): the finite points from its first at or after its first time + warm.  With
 * w == 0 only counts them (the return value). */
static size_t stretch_windows(const double *t_s, const double *bytes, size_t a, size_t b,
                              double warm, size_t w, size_t count, double *mt, double *mx)
{
    double ts = NAN;
    for (size_t i = a; i < b && isnan(ts); i++)
        if (isfinite(bytes[i]) && isfinite(t_s[i])) ts = t_s[i];
    if (isnan(ts)) return 0;
    size_t first = a;
    while (first < b && !(t_s[first] >= ts + warm)) first++;
    size_t rank = 0;
    for (size_t k = 0; k < w; k++) {
        mx[k] = INFINITY;
        mt[k] = 0;
    }
    size_t cnt[20] = {0}; /* w <= 20 */
    for (size_t i = first; i < b; i++) {
        if (!isfinite(bytes[i]) || !isfinite(t_s[i])) continue;
        if (w) {
            /* window k holds the points with rank in [k*count/w, (k+1)*count/w) */
            size_t k = rank * w / count;
            if (bytes[i] < mx[k]) mx[k] = bytes[i];
            mt[k] += t_s[i];
            cnt[k]++;
        }
        rank++;
    }
    for (size_t k = 0; k < w; k++) mt[k] /= (double)cnt[k]; /* the window's mean time */
    return rank;
}

int tool_soak_growth_runs(const double *t_s, const double *bytes, size_t n, const size_t *starts,
                          size_t nstarts, double warmup_frac, tool_growth *out)
{
    memset(out, 0, sizeof *out);
    out->mk.z = out->mk.p_up = NAN;
    out->slope_kb_h.value = out->slope_kb_h.lo = out->slope_kb_h.hi = NAN;
    if (warmup_frac <= 0) warmup_frac = 0.1;
    /* The span of the finite points: its warmup_frac is skipped at the start of each
     * process's stretch (a process started again warms up again). */
    double t0 = NAN, t1 = NAN;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(bytes[i]) || !isfinite(t_s[i])) continue;
        if (isnan(t0)) t0 = t_s[i];
        t1 = t_s[i];
    }
    if (isnan(t0)) return 0;
    double warm = warmup_frac * (t1 - t0);
    out->warmup_s = warm;
    /* The stretches: [bound[r], bound[r + 1]) */
    size_t nb = 0, *bound = tach__malloc((nstarts + 2) * sizeof *bound);
    if (!bound) return -1;
    bound[nb++] = 0;
    for (size_t r = 0; r < nstarts; r++)
        if (starts[r] > bound[nb - 1] && starts[r] < n) bound[nb++] = starts[r];
    bound[nb] = n;
    size_t nr = nb, count = 0;
    size_t *cnt = tach__calloc(nr, sizeof *cnt);
    double *mt = tach__malloc(20 * sizeof *mt), *mx = tach__malloc(20 * sizeof *mx);
    double *sl = tach__malloc(20 * 19 / 2 * sizeof *sl);
    int rc = 0;
    if (!cnt || !mt || !mx || !sl) {
        rc = -1;
        goto out;
    }
    for (size_t r = 0; r < nr; r++) {
        cnt[r] = stretch_windows(t_s, bytes, bound[r], bound[r + 1], warm, 0, 0, NULL, NULL);
        count += cnt[r];
    }
    size_t w = count / 3;
    if (w > 20) w = 20;
    if (w < 8) goto out;
    /* Each stretch its share of the windows (at least 3 points each, as count/w is):
     * minima are compared only within a process, whose memory is one history; the
     * stretches' Mann-Kendall S and variances add up (Hirsch and Slack's seasonal
     * Kendall test), and Sen's slope is the median of the slopes within them. */
    size_t windows = 0, m = 0;
    double s = 0, var = 0;
    for (size_t r = 0; r < nr; r++) {
        size_t wr = count ? cnt[r] * w / count : 0;
        if (wr == 0) continue;
        stretch_windows(t_s, bytes, bound[r], bound[r + 1], warm, wr, cnt[r], mt, mx);
        tool_mk mk;
        tool_mann_kendall(mx, wr, &mk);
        s += mk.s;
        var += mk.var;
        for (size_t i = 0; i + 1 < wr; i++)
            for (size_t j = i + 1; j < wr; j++)
                if (mt[j] != mt[i]) sl[m++] = (mx[j] - mx[i]) / (mt[j] - mt[i]);
        windows += wr;
    }
    if (windows < 8) goto out;
    out->tested = true;
    out->windows = windows;
    out->mk.n = windows;
    out->mk.s = s;
    out->mk.var = var;
    out->mk.z = var > 0 ? (s > 0 ? (s - 1) / sqrt(var) : s < 0 ? (s + 1) / sqrt(var) : 0) : 0;
    out->mk.p_up = 1 - tach__norm_cdf(out->mk.z);
    if (m > 0) {
        tach__ci sen;
        sen_from_slopes(sl, m, var, &sen);
        /* bytes per second -> KB (1000 bytes) per hour */
        out->slope_kb_h.value = sen.value * 3.6;
        out->slope_kb_h.lo = sen.lo * 3.6;
        out->slope_kb_h.hi = sen.hi * 3.6;
        out->growing = out->mk.p_up < 0.01 && out->slope_kb_h.lo > 0;
    }
out:
    tach__free(bound);
    tach__free(cnt);
    tach__free(mt);
    tach__free(mx);
    tach__free(sl);
    return rc;
}

void tool_soak_drift(const double *x, size_t n, double min_change, tool_drift *out)
{
    memset(out, 0, sizeof *out);
    out->before = out->after = out->change = out->p = NAN;
    if (min_change <= 0) min_change = 0.10;
    double *f = n ? tach__malloc(n * sizeof *f) : NULL;
    if (!f) return;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i])) f[m++] = x[i];
    if (m < 12) {
        tach__free(f);
        return;
    }
    out->tested = true;
    size_t min_size = m / 20 > 3 ? m / 20 : 3;
    tool_change cp[16];
    size_t k = tool_change_points(f, m, 0.001, min_size, cp, 16);
    for (size_t i = 0; i < k; i++) {
        if (!(fabs(cp[i].change) >= min_change)) continue;
        if (out->drifted && fabs(cp[i].change) <= fabs(out->change)) continue;
        out->drifted = true;
        out->at = cp[i].index;
        out->before = cp[i].before;
        out->after = cp[i].after;
        out->change = cp[i].change;
        out->p = cp[i].p;
    }
    tach__free(f);
}

const char *tool_soak_summary_name(tool_soak_summary s)
{
    switch (s) {
    case TOOL_SOAK_DRIFTING: return "drifting";
    case TOOL_SOAK_LEAKING: return "leaking";
    case TOOL_SOAK_NOT_TESTED: return "not tested";
    case TOOL_SOAK_FAILING: return "failing";
    default: return "stable";
    }
}

/* Whether any interval carries a memory figure (RSS or heap). */
static bool memory_measured(const tool_soak_series *s)
{
    for (size_t i = 0; i < s->n; i++)
        if ((s->rss_bytes && isfinite(s->rss_bytes[i])) || (s->heap_bytes && isfinite(s->heap_bytes[i])))
            return true;
    return false;
}

int tool_soak_judge(const tool_soak_series *s, double min_change, tool_soak_verdict *out)
{
    memset(out, 0, sizeof *out);
    tool_soak_drift(s->p99_ns, s->n, min_change, &out->latency);
    tool_soak_drift(s->ops_per_s, s->n, min_change, &out->throughput);
    if (tool_soak_growth_runs(s->t_s, s->rss_bytes, s->n, s->restarts, s->nrestarts, 0,
                              &out->rss) != 0)
        return -1;
    for (size_t i = 0; s->heap_bytes && i < s->n; i++) out->heap_known |= isfinite(s->heap_bytes[i]);
    if (out->heap_known && tool_soak_growth_runs(s->t_s, s->heap_bytes, s->n, s->restarts,
                                                 s->nrestarts, 0, &out->heap) != 0)
        return -1;
    char *r = out->reason;
    size_t cap = sizeof out->reason;
    const char *drifts = out->latency.tested && out->throughput.tested ? "p99 or throughput"
                         : out->latency.tested ? "p99" : "throughput"; /* those tested */
    double ops = 0, failed = 0;
    size_t bad = 0, first = 0;
    for (size_t i = 0; s->errors && i < s->n; i++) {
        if (isfinite(s->errors[i]) && s->errors[i] > 0) {
            if (!bad++) first = i;
            failed += s->errors[i];
        }
        if (s->ops && isfinite(s->ops[i])) ops += s->ops[i];
    }
    if (failed > 0) { /* a target that fails is not stable, whatever its memory does */
        out->summary = TOOL_SOAK_FAILING;
        snprintf(r, cap, "%.0f of %.0f operations failed, in %zu of %zu intervals (first in "
                 "interval %zu)", failed, ops, bad, s->n, first);
    } else if (out->heap.growing) {
        out->summary = TOOL_SOAK_LEAKING;
        snprintf(r, cap, "heap in use grows %.1f KB/h (95%% CI %.1f to %.1f; Mann-Kendall p %.2g)",
                 out->heap.slope_kb_h.value, out->heap.slope_kb_h.lo, out->heap.slope_kb_h.hi,
                 out->heap.mk.p_up);
    } else if (out->rss.growing && !out->heap_known) {
        out->summary = TOOL_SOAK_LEAKING;
        snprintf(r, cap, "RSS grows %.1f KB/h (95%% CI %.1f to %.1f; Mann-Kendall p %.2g)",
                 out->rss.slope_kb_h.value, out->rss.slope_kb_h.lo, out->rss.slope_kb_h.hi,
                 out->rss.mk.p_up);
    } else if (out->rss.growing) {
        out->summary = TOOL_SOAK_DRIFTING;
        snprintf(r, cap, "RSS grows %.1f KB/h while the heap does not: fragmentation or "
                 "allocator retention, not a leak", out->rss.slope_kb_h.value);
    } else if (out->latency.drifted || out->throughput.drifted) {
        const tool_drift *d = out->latency.drifted ? &out->latency : &out->throughput;
        out->summary = TOOL_SOAK_DRIFTING;
        snprintf(r, cap, "%s changed %+.1f%% at interval %zu (p %.2g)",
                 d == &out->latency ? "p99 latency" : "throughput", d->change * 100, d->at, d->p);
    } else if (!out->latency.tested && !out->throughput.tested && !out->rss.tested &&
               !out->heap.tested) {
        out->summary = TOOL_SOAK_NOT_TESTED; /* nothing judged: not evidence of stability */
        snprintf(r, cap, "inconclusive (too few intervals: %zu, need %d)", s->n,
                 TOOL_SOAK_MIN_INTERVALS);
    } else if (!out->rss.tested && !out->heap.tested && !memory_measured(s)) {
        /* no memory figure at all (a URL soaked without --pid): drift alone is judged,
         * and the reason says memory was not measured rather than claiming no growth */
        out->summary = TOOL_SOAK_STABLE;
        snprintf(r, cap, "no drift in %s; memory not measured (a URL target: --pid SERVER "
                 "watches its memory)", drifts);
    } else if (!out->rss.tested && !out->heap.tested) {
        /* drift judged, growth not (it needs more intervals than drift): "no memory
         * growth" would be a claim without evidence */
        out->summary = TOOL_SOAK_NOT_TESTED;
        snprintf(r, cap, "inconclusive: no drift in %s, but memory growth not tested (too few "
                 "intervals: %zu; it needs 8 windows of 3 after the first 10%%)",
                 drifts, s->n);
    } else if (!out->latency.tested && !out->throughput.tested) {
        out->summary = TOOL_SOAK_NOT_TESTED;
        snprintf(r, cap, "inconclusive: no memory growth, but neither p99 nor throughput drift "
                 "tested (too few intervals with them: need %d)", TOOL_SOAK_MIN_INTERVALS);
    } else {
        out->summary = TOOL_SOAK_STABLE;
        snprintf(r, cap, "no drift in %s, no memory growth", drifts);
    }
    return 0;
}

static void put(json_t *o, const char *k, json_t *v, bool *ok)
{
    if (!v || json_object_set_new(o, k, v) != 0) *ok = false;
}

static json_t *drift_json(const tool_drift *d, bool *ok)
{
    json_t *o = json_object();
    if (!o) return NULL;
    put(o, "tested", json_boolean(d->tested), ok);
    put(o, "drifted", json_boolean(d->drifted), ok);
    if (d->drifted) {
        put(o, "interval", json_integer((json_int_t)d->at), ok);
        put(o, "before", tach__json_num(d->before), ok);
        put(o, "after", tach__json_num(d->after), ok);
        put(o, "change", tach__json_num(d->change), ok);
        put(o, "p", tach__json_num(d->p), ok);
    }
    return o;
}

static json_t *growth_json(const tool_growth *g, bool *ok)
{
    json_t *o = json_object();
    if (!o) return NULL;
    put(o, "tested", json_boolean(g->tested), ok);
    put(o, "growing", json_boolean(g->growing), ok);
    if (g->tested) {
        put(o, "windows", json_integer((json_int_t)g->windows), ok);
        put(o, "warmup_s", tach__json_num(g->warmup_s), ok);
        put(o, "mann_kendall_s", tach__json_num(g->mk.s), ok);
        put(o, "mann_kendall_z", tach__json_num(g->mk.z), ok);
        put(o, "p", tach__json_num(g->mk.p_up), ok);
        put(o, "slope_kb_per_hour", tach__json_num(g->slope_kb_h.value), ok);
        put(o, "slope_ci_low", tach__json_num(g->slope_kb_h.lo), ok);
        put(o, "slope_ci_high", tach__json_num(g->slope_kb_h.hi), ok);
    }
    return o;
}

json_t *tool_soak_verdict_json(const tool_soak_verdict *v)
{
    bool ok = true;
    json_t *o = json_object();
    if (!o) return NULL;
    put(o, "summary", json_string(tool_soak_summary_name(v->summary)), &ok);
    put(o, "reason", tach__json_string_lossy(v->reason), &ok);
    put(o, "latency_drift", drift_json(&v->latency, &ok), &ok);
    put(o, "throughput_drift", drift_json(&v->throughput, &ok), &ok);
    put(o, "rss_growth", growth_json(&v->rss, &ok), &ok);
    if (v->heap_known) put(o, "heap_growth", growth_json(&v->heap, &ok), &ok);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}
