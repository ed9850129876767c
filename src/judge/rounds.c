/*
 * rounds.c - samples grouped by round, and the round-level statistics of the
 * comparison (see rounds.h).
 */
#include "rounds.h"

#include <math.h>
#include <string.h>

void tool_rounds_free(tool_rounds *g)
{
    if (!g) return;
    tach__free(g->ns);
    tach__free(g->start);
    tach__free(g->len);
    tach__free(g->median);
    memset(g, 0, sizeof *g);
}

/* The median of x[0..n), which it sorts. */
static double median_in_place(double *x, size_t n)
{
    tach__sort(x, n);
    return tach__quantile_sorted(x, n, 0.5);
}

/* Each round's median and the rounds' typical robust CV (g->within), with dev (room
 * for g->nsamples) and cvs (g->nrounds) as scratch. */
static void measure(tool_rounds *g, double *dev, double *cvs)
{
    size_t ncv = 0;
    g->within = NAN;
    for (size_t k = 0; k < g->nrounds; k++) {
        double *x = dev + g->start[k];
        memcpy(x, g->ns + g->start[k], g->len[k] * sizeof *x);
        g->median[k] = median_in_place(x, g->len[k]);
        if (g->len[k] < 3 || !(g->median[k] > 0)) continue;
        for (size_t i = 0; i < g->len[k]; i++) x[i] = fabs(x[i] - g->median[k]);
        cvs[ncv++] = 1.4826 * median_in_place(x, g->len[k]) / g->median[k];
    }
    if (ncv) g->within = median_in_place(cvs, ncv);
}

int tool_rounds_of(const tach__result *r, tool_rounds *out)
{
    memset(out, 0, sizeof *out);
    out->within = NAN;
    size_t n = r->sample_ns ? r->nsamples : 0;
    if (!n) return 0;
    size_t slots = r->sample_round ? tach__result_rounds(r) : 1;
    size_t *count = tach__calloc(slots, sizeof *count);
    out->ns = tach__malloc(n * sizeof *out->ns);
    out->start = tach__malloc(slots * sizeof *out->start);
    out->len = tach__malloc(slots * sizeof *out->len);
    out->median = tach__malloc(slots * sizeof *out->median);
    double *cvs = tach__malloc(slots * sizeof *cvs), *dev = tach__malloc(n * sizeof *dev);
    size_t *fill = tach__calloc(slots, sizeof *fill);
    if (!count || !out->ns || !out->start || !out->len || !out->median || !cvs || !dev ||
        !fill) {
        tach__free(count);
        tach__free(cvs);
        tach__free(dev);
        tach__free(fill);
        tool_rounds_free(out);
        return -1;
    }
    for (size_t i = 0; i < n; i++) count[r->sample_round ? r->sample_round[i] : 0]++;
    /* Rounds without samples (a round that failed) are left out. */
    size_t *slot_of = fill; /* slot -> index among the kept rounds */
    size_t at = 0;
    for (size_t s = 0; s < slots; s++) {
        if (!count[s]) continue;
        slot_of[s] = out->nrounds;
        out->start[out->nrounds] = at;
        out->len[out->nrounds] = 0;
        at += count[s];
        out->nrounds++;
    }
    for (size_t i = 0; i < n; i++) {
        size_t k = slot_of[r->sample_round ? r->sample_round[i] : 0];
        out->ns[out->start[k] + out->len[k]++] = r->sample_ns[i];
    }
    out->nsamples = n;
    measure(out, dev, cvs);
    tach__free(count);
    tach__free(cvs);
    tach__free(dev);
    tach__free(fill);
    return 0;
}

double tool_rounds_range(const tool_rounds *g)
{
    if (g->nrounds < 2) return 0;
    double lo = g->median[0], hi = g->median[0];
    for (size_t k = 1; k < g->nrounds; k++) {
        if (g->median[k] < lo) lo = g->median[k];
        if (g->median[k] > hi) hi = g->median[k];
    }
    return lo > 0 ? hi / lo - 1 : NAN;
}

/* The log round medians into out (g->nrounds of them); false if one is not > 0. */
static bool log_medians(const tool_rounds *g, double *out)
{
    for (size_t k = 0; k < g->nrounds; k++) {
        if (!(g->median[k] > 0)) return false;
        out[k] = log(g->median[k]);
    }
    return true;
}

/* 2 n doubles (n = g->nrounds): the log round medians in round order, then sorted;
 * NULL when out of memory or a median is not > 0.  Caller frees. */
static double *log_medians_sorted(const tool_rounds *g)
{
    size_t n = g->nrounds;
    double *l = tach__malloc(2 * n * sizeof *l);
    if (!l) return NULL;
    if (!log_medians(g, l)) {
        tach__free(l);
        return NULL;
    }
    memcpy(l + n, l, n * sizeof *l);
    tach__sort(l + n, n);
    return l;
}

size_t tool_rounds_trim_slow(tool_rounds *g, double noise)
{
    size_t n = g->nrounds;
    if (n < 3) return 0;
    double *l = log_medians_sorted(g);
    if (!l) return 0; /* nothing set aside: the rounds as they are */
    double *sorted = l + n;
    /* The centre and spread of the faster half: interference only adds time, so the
     * fast rounds are the code's speed, and a majority of rounds slowed still leaves
     * them to measure against. */
    size_t h = (n + 1) / 2;
    double center = tach__quantile_sorted(sorted, h, 0.5);
    for (size_t k = 0; k < h; k++) sorted[k] = fabs(sorted[k] - center);
    /* For normal data the faster half's median lies 0.674 sd below the median and its
     * MAD is 0.4002 sd (by simulation, 2e5 draws): the cut lies 3 sd above the median. */
    double sd = median_in_place(sorted, h) / 0.4002;
    double limit = (0.674 + 3) * sd > log1p(noise) ? (0.674 + 3) * sd : log1p(noise);
    /* Fewer than half may go, the slowest first: beyond that the rounds are left to
     * disagree.  The cut is the log median of the slowest round that may go. */
    memcpy(sorted, l, n * sizeof *sorted);
    tach__sort(sorted, n);
    double cut = center + limit;
    size_t may = tool_rounds_trim_cap(n);
    if (sorted[n - 1 - may] > cut) cut = sorted[n - 1 - may];
    size_t keep = 0, at = 0;
    for (size_t k = 0; k < g->nrounds; k++) {
        if (l[k] > cut) continue;
        /* move round k to slot keep (its samples to at) */
        memmove(g->ns + at, g->ns + g->start[k], g->len[k] * sizeof *g->ns);
        g->start[keep] = at;
        g->len[keep] = g->len[k];
        g->median[keep] = g->median[k];
        at += g->len[k];
        keep++;
    }
    tach__free(l);
    size_t dropped = g->nrounds - keep;
    g->nrounds = keep;
    g->nsamples = at;
    if (dropped) {
        /* the kept rounds' own spread (dev, cvs: scratch) */
        double *scratch = tach__malloc((at + keep) * sizeof *scratch);
        if (scratch) measure(g, scratch, scratch + at);
        tach__free(scratch);
    }
    return dropped;
}

size_t tool_rounds_trim_cap(size_t n)
{
    return n >= 3 ? (n - 1) / 2 : 0;
}

size_t tool_rounds_slowed(const tool_rounds *g, double noise, double *fast)
{
    size_t n = g->nrounds;
    if (fast) *fast = NAN;
    if (!n) return 0;
    double *l = log_medians_sorted(g);
    if (!l) return 0; /* not counted: the rounds as they are */
    const double *sorted = l + n;
    size_t f = (n + 3) / 4; /* the fastest quarter, at least one round */
    double center = tach__quantile_sorted(sorted, f, 0.5);
    if (fast) *fast = exp(center);
    double limit = log1p(noise > TOOL_ROUNDS_SLOWED_MIN ? noise : TOOL_ROUNDS_SLOWED_MIN);
    size_t slowed = 0;
    if (n >= 3)
        for (size_t k = 0; k < n; k++) slowed += l[k] > center + limit;
    tach__free(l);
    return slowed;
}

bool tool_rounds_disagree(const tool_rounds *g, double noise)
{
    if (g->nrounds < 2 || isnan(g->within)) return false;
    double range = tool_rounds_range(g);
    if (!(range > noise)) return false;
    double *l = tach__malloc(g->nrounds * sizeof *l);
    if (!l) return false;
    bool ok = log_medians(g, l);
    double between = ok ? tach__stddev(l, g->nrounds) : NAN;
    tach__free(l);
    if (!ok) return false;
    /* The typical number of samples in a round. */
    double m = (double)g->nsamples / (double)g->nrounds;
    double expected = 1.2533 * g->within / sqrt(m);
    return between > 3 * expected;
}

int tool_rounds_welch(const tool_rounds *x, const tool_rounds *y, double *t, double *p)
{
    *t = *p = NAN;
    if (x->nrounds < 2 || y->nrounds < 2) return 0;
    double *lx = tach__malloc(x->nrounds * sizeof *lx), *ly = tach__malloc(y->nrounds * sizeof *ly);
    int rc = -1;
    if (lx && ly) {
        rc = 0;
        /* A round median of 0 (a benchmark timed at 0 ns) has no log: the test is then
         * on the round medians themselves, still one observation per round. */
        bool logs = log_medians(x, lx) && log_medians(y, ly);
        if (!logs) {
            memcpy(lx, x->median, x->nrounds * sizeof *lx);
            memcpy(ly, y->median, y->nrounds * sizeof *ly);
        }
        double df;
        rc = tach__welch_t(lx, x->nrounds, ly, y->nrounds, t, &df, p);
        /* Rounds without any spread on either side at two levels: t is undefined
         * (a zero standard error), its limit infinite, p 0 - a certain change, as
         * tool_change_points takes it; NaN would read as "not significant". */
        if (rc == 0 && isnan(*p) && tach__stddev(lx, x->nrounds) == 0 &&
            tach__stddev(ly, y->nrounds) == 0 && lx[0] != ly[0]) {
            *t = lx[0] > ly[0] ? INFINITY : -INFINITY;
            *p = 0;
        }
    }
    tach__free(lx);
    tach__free(ly);
    return rc;
}

/* One hierarchical draw from g into buf (room for nrounds * the longest round);
 * returns the median of the draw. */
static double draw(const tool_rounds *g, tach__rng *rng, double *buf)
{
    size_t m = 0;
    for (size_t k = 0; k < g->nrounds; k++) {
        size_t pick = (size_t)tach__rng_below(rng, g->nrounds);
        const double *x = g->ns + g->start[pick];
        size_t len = g->len[pick];
        for (size_t i = 0; i < len; i++) buf[m++] = x[tach__rng_below(rng, len)];
    }
    return median_in_place(buf, m);
}

static size_t longest(const tool_rounds *g)
{
    size_t l = 0;
    for (size_t k = 0; k < g->nrounds; k++)
        if (g->len[k] > l) l = g->len[k];
    return l;
}

int tool_bootstrap_ratio_rounds(const tool_rounds *x, const tool_rounds *y, size_t resamples,
                                double level, uint64_t seed, tach__ci *out)
{
    out->value = out->lo = out->hi = NAN;
    if (!x->nsamples || !y->nsamples) return 0;
    double *all = tach__malloc((x->nsamples > y->nsamples ? x->nsamples : y->nsamples) *
                               sizeof *all);
    if (!all) return -1;
    memcpy(all, x->ns, x->nsamples * sizeof *all);
    double mx = median_in_place(all, x->nsamples);
    memcpy(all, y->ns, y->nsamples * sizeof *all);
    double my = median_in_place(all, y->nsamples);
    tach__free(all);
    out->value = my / mx - 1;
    if (!resamples || isnan(out->value) || !(level > 0 && level < 1)) return 0;
    size_t cx = x->nrounds * longest(x), cy = y->nrounds * longest(y);
    double *buf = tach__malloc((cx > cy ? cx : cy) * sizeof *buf);
    double *stats = tach__malloc(resamples * sizeof *stats);
    if (!buf || !stats) {
        tach__free(buf);
        tach__free(stats);
        return -1;
    }
    tach__rng rng;
    tach__rng_seed(&rng, seed);
    for (size_t k = 0; k < resamples; k++) {
        double bx = draw(x, &rng, buf);
        double by = draw(y, &rng, buf);
        stats[k] = by / bx - 1;
    }
    tach__sort(stats, resamples);
    /* Resamples whose two medians are both 0 have no ratio (NaN, sorted last) and are
     * left out, as tach__bootstrap_ratio leaves them out. */
    size_t m = resamples;
    while (m > 0 && isnan(stats[m - 1])) m--;
    double a = (1 - level) / 2;
    out->lo = tach__quantile_sorted(stats, m, a);
    out->hi = tach__quantile_sorted(stats, m, 1 - a);
    tach__free(buf);
    tach__free(stats);
    return 0;
}
