/* changepoint.c - where did a benchmark's level shift over its history?
 *
 * E-Divisive means (Matteson & James, "A nonparametric approach for multiple change
 * point analysis of multivariate data", JASA 2014) with the significance test
 * replaced by Welch's t-test, as Hunter (DataStax, Fleming et al., "Hunter: using
 * change point detection to hunt for performance regressions", ICPE 2023) does it:
 *
 *   1. split: for a segment, find the split tau maximizing the energy statistic
 *          Q(tau) = tau(m-tau)/m * ( 2/(tau(m-tau)) sum|x_i - y_j|
 *                                   - 1/C(tau,2) sum|x_i - x_k|
 *                                   - 1/C(m-tau,2) sum|y_j - y_l| )
 *      (x = the tau points before, y = the m-tau after; exponent alpha = 1), and keep
 *      it when Welch's t-test between up to CP_WINDOW points on either side has
 *      p < alpha; then split both halves the same way.
 *   2. merge: compute each kept point's p between its whole neighbouring segments
 *      and drop the weakest while any has p >= alpha (Hunter's second pass), so
 *      that every change point reported is significant against its neighbours.
 *
 * The p-value of the best of many candidate splits is optimistic (it is the most
 * extreme of m - 2*min_size tests), which is why Hunter's default threshold is
 * 0.001 and why tests pin the false-positive rate on pure noise.
 *
 * Cost: O(m log m) per segment (the pairwise distance sums come from a Fenwick
 * tree over value ranks), so well under 1 ms for 1,000 points.
 */
#include <math.h>
#include <string.h>

#include "changepoint.h"
#include "tach_internal.h"

/* The split test looks at most this many points on each side of the split, so a
 * level shift far away does not mask or fake one here. */
#define CP_WINDOW 50

/* Welch's two-sided p between x[a, m) and x[m, b); NaN when undefined.  Two sides
 * without any spread (deterministic metrics such as instruction counts) at
 * different levels are a certain change: p = 0, where Welch's t is undefined. */
static double split_p(const double *x, size_t a, size_t m, size_t b)
{
    double t, df, p;
    tach__welch_t(x + a, m - a, x + m, b - m, &t, &df, &p);
    if (isnan(p) && m - a >= 2 && b - m >= 2 && tach__stddev(x + a, m - a) == 0 &&
        tach__stddev(x + m, b - m) == 0 && x[a] != x[m])
        return 0;
    return p;
}

/* Scratch for one call, sized for the whole series. */
typedef struct cp_work {
    double *left, *right;  /* sums of distances to earlier / later points */
    double *xc;            /* the segment, centred */
    double *bit_sum;       /* Fenwick tree over value ranks: sum of values */
    size_t *bit_cnt;       /* ... and count */
    size_t *rank;          /* rank of each point's value within the segment */
    struct ranked { double v; size_t i; } *order;
} cp_work;

static int cmp_ranked(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->v != y->v) return x->v < y->v ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* out[k] = sum over the points inserted before k (in the order visited: forward, or
 * backward when reverse) of |xc[j] - xc[k]|, with a Fenwick tree over value ranks:
 * the points below x contribute x*count - sum, those above sum - x*count. */
static void distance_sums(const cp_work *w, size_t m, bool reverse, double *out)
{
    memset(w->bit_sum, 0, (m + 1) * sizeof *w->bit_sum);
    memset(w->bit_cnt, 0, (m + 1) * sizeof *w->bit_cnt);
    double all_sum = 0;
    for (size_t step = 0; step < m; step++) {
        size_t k = reverse ? m - 1 - step : step;
        double v = w->xc[k];
        size_t r = w->rank[k]; /* 0-based; tree index r+1 */
        double below_sum = 0;
        size_t below_cnt = 0;
        for (size_t i = r; i > 0; i -= i & (0 - i)) { /* ranks < r */
            below_sum += w->bit_sum[i];
            below_cnt += w->bit_cnt[i];
        }
        size_t above_cnt = step - below_cnt;
        double above_sum = all_sum - below_sum;
        out[k] = (v * (double)below_cnt - below_sum) + (above_sum - v * (double)above_cnt);
        for (size_t i = r + 1; i <= m; i += i & (0 - i)) {
            w->bit_sum[i] += v;
            w->bit_cnt[i]++;
        }
        all_sum += v;
    }
}

/* The split of x[0, m) maximizing Q, with at least min_size points each side
 * (m >= 2 * min_size, min_size >= 2).  O(m log m). */
static size_t best_split(const double *x, size_t m, size_t min_size, cp_work *w)
{
    /* Centre on the segment's mean: Q is translation-invariant, and the tree's
     * x*count - sum differences then cancel no digits for data far from 0. */
    double mean = tach__mean(x, m);
    for (size_t k = 0; k < m; k++) {
        w->xc[k] = x[k] - mean;
        w->order[k] = (struct ranked){w->xc[k], k};
    }
    qsort(w->order, m, sizeof *w->order, cmp_ranked);
    for (size_t k = 0; k < m; k++) w->rank[w->order[k].i] = k;
    /* left[k] = sum_{i<k} |x_i - x_k|,  right[k] = sum_{j>k} |x_k - x_j|. */
    distance_sums(w, m, false, w->left);
    distance_sums(w, m, true, w->right);

    double total = 0; /* sum over all pairs */
    for (size_t k = 0; k < m; k++) total += w->left[k];

    /* within_l(tau) = sum_{k<tau} left[k]; within_r(tau) = sum_{k>=tau} right[k]. */
    double within_l = 0, within_r = total;
    size_t best = min_size;
    double best_q = -INFINITY;
    for (size_t tau = 1; tau <= m - min_size; tau++) {
        within_l += w->left[tau - 1];
        within_r -= w->right[tau - 1];
        if (tau < min_size) continue;
        double nl = (double)tau, nr = (double)(m - tau);
        double between = total - within_l - within_r;
        double e = 2 * between / (nl * nr) - 2 * within_l / (nl * (nl - 1)) -
                   2 * within_r / (nr * (nr - 1));
        double q = nl * nr / (double)m * e;
        if (q > best_q) {
            best_q = q;
            best = tau;
        }
    }
    return best;
}

typedef struct segment { size_t a, b; } segment;

/* Step 1: recursive splitting; writes the kept split points to cps (unsorted) and
 * returns how many.  stack holds n segments. */
static size_t split_all(const double *x, size_t n, double alpha, size_t min_size,
                        size_t *cps, cp_work *w, segment *stack)
{
    size_t ncp = 0, top = 0;
    stack[top++] = (segment){0, n};
    while (top > 0) {
        segment s = stack[--top];
        size_t m = s.b - s.a;
        if (m < 2 * min_size) continue;
        size_t tau = s.a + best_split(x + s.a, m, min_size, w);
        size_t wa = tau - s.a > CP_WINDOW ? tau - CP_WINDOW : s.a;
        size_t wb = s.b - tau > CP_WINDOW ? tau + CP_WINDOW : s.b;
        double p = split_p(x, wa, tau, wb);
        if (!(p < alpha)) continue; /* NaN (constant data) is not significant */
        cps[ncp++] = tau;
        /* Each split leaves two segments of at least min_size points, so at most
         * n / min_size segments are ever on the stack at once. */
        stack[top++] = (segment){s.a, tau};
        stack[top++] = (segment){tau, s.b};
    }
    return ncp;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Step 2: drop the least significant point while any has p >= alpha; returns the
 * number kept (cps stays sorted). */
static size_t merge_weak(const double *x, size_t n, double alpha, size_t *cps, size_t ncp)
{
    while (ncp > 0) {
        size_t worst = 0;
        double worst_p = -1;
        for (size_t i = 0; i < ncp; i++) {
            size_t a = i > 0 ? cps[i - 1] : 0, b = i + 1 < ncp ? cps[i + 1] : n;
            double p = split_p(x, a, cps[i], b);
            if (isnan(p)) p = 2; /* undefined: weaker than anything */
            if (p > worst_p) {
                worst_p = p;
                worst = i;
            }
        }
        if (worst_p < alpha) break;
        memmove(cps + worst, cps + worst + 1, (ncp - worst - 1) * sizeof *cps);
        ncp--;
    }
    return ncp;
}

size_t tool_change_points(const double *x, size_t n, double alpha, size_t min_size,
                           tool_change *out, size_t cap)
{
    if (min_size < 2) min_size = 2;
    if (n < 2 * min_size || !(alpha > 0)) return 0;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i])) return 0;

    size_t *cps = tach__malloc(n * sizeof *cps);
    segment *stack = tach__malloc(n * sizeof *stack);
    cp_work w = {
        .left = tach__malloc(n * sizeof *w.left),
        .right = tach__malloc(n * sizeof *w.right),
        .xc = tach__malloc(n * sizeof *w.xc),
        .bit_sum = tach__malloc((n + 1) * sizeof *w.bit_sum),
        .bit_cnt = tach__malloc((n + 1) * sizeof *w.bit_cnt),
        .rank = tach__malloc(n * sizeof *w.rank),
        .order = tach__malloc(n * sizeof *w.order),
    };
    size_t written = 0;
    if (cps && stack && w.left && w.right && w.xc && w.bit_sum && w.bit_cnt && w.rank &&
        w.order) {
        size_t ncp = split_all(x, n, alpha, min_size, cps, &w, stack);
        qsort(cps, ncp, sizeof *cps, cmp_size);
        ncp = merge_weak(x, n, alpha, cps, ncp);
        for (size_t i = 0; i < ncp && written < cap; i++) {
            size_t a = i > 0 ? cps[i - 1] : 0, m = cps[i], b = i + 1 < ncp ? cps[i + 1] : n;
            tool_change *c = &out[written++];
            c->index = m;
            c->before = tach__mean(x + a, m - a);
            c->after = tach__mean(x + m, b - m);
            c->change = c->after / c->before - 1;
            c->p = split_p(x, a, m, b);
        }
    }
    tach__free(cps);
    tach__free(stack);
    tach__free(w.left);
    tach__free(w.right);
    tach__free(w.xc);
    tach__free(w.bit_sum);
    tach__free(w.bit_cnt);
    tach__free(w.rank);
    tach__free(w.order);
    return written;
}
