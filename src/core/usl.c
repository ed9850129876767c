/* usl.c - the Universal Scalability Law fit (see usl.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "usl.h"

double tach__usl_model(double lambda, double alpha, double beta, double n)
{
    return lambda * n / (1 + alpha * (n - 1) + beta * n * (n - 1));
}

int tach__usl_fit_medians(const double *n, const double *x, size_t np, double *alpha,
                          double *beta)
{
    if (np < 2 || n[0] != 1 || !(x[0] > 0)) return -1;
    /* y = N/C - 1 against u = N - 1 and v = N(N - 1), no intercept. */
    double suu = 0, svv = 0, suv = 0, suy = 0, svy = 0;
    for (size_t i = 0; i < np; i++) {
        if (!(x[i] > 0)) return -1;
        double c = x[i] / x[0], y = n[i] / c - 1, u = n[i] - 1, v = n[i] * (n[i] - 1);
        suu += u * u;
        svv += v * v;
        suv += u * v;
        suy += u * y;
        svy += v * y;
    }
    /* Least squares with alpha in [0, 1] (contention is a fraction: alpha = 1 is a
     * fully serialised section, throughput flat) and beta >= 0, a convex problem on a
     * box: its minimum is the free fit when that is inside, else on an edge (beta = 0,
     * alpha = 0 or alpha = 1), each a one-variable fit clamped to its range. */
    double det = suu * svv - suv * suv;
    double cand[4][2];
    size_t nc = 0;
    if (np > 2 && det > 1e-12 * suu * svv) { /* two points determine alpha alone */
        double a0 = (suy * svv - svy * suv) / det, b0 = (svy * suu - suy * suv) / det;
        if (a0 >= 0 && a0 <= 1 && b0 >= 0) {
            cand[nc][0] = a0;
            cand[nc++][1] = b0;
        }
    }
    if (nc == 0) {
        double a1 = suu > 0 ? fmin(1, fmax(0, suy / suu)) : 0;
        cand[nc][0] = a1; /* alpha alone */
        cand[nc++][1] = 0;
        if (np > 2 || a1 >= 1) {
            /* beta with alpha = 0, and beta with alpha = 1 (a retrograde sweep: throughput
             * falling below N = 1's needs beta, whatever the number of points) */
            cand[nc][0] = 0;
            cand[nc++][1] = svv > 0 && np > 2 ? fmax(0, svy / svv) : 0;
            cand[nc][0] = 1;
            cand[nc++][1] = svv > 0 ? fmax(0, (svy - suv) / svv) : 0;
        }
    }
    double a = cand[0][0], b = cand[0][1], best = INFINITY;
    for (size_t k = 0; k < nc; k++) {
        double r = 0;
        for (size_t i = 0; i < np; i++) {
            double c = x[i] / x[0], y = n[i] / c - 1, u = n[i] - 1, v = n[i] * (n[i] - 1);
            double e = y - cand[k][0] * u - cand[k][1] * v;
            r += e * e;
        }
        if (r < best * (1 - 1e-12)) {
            best = r;
            a = cand[k][0];
            b = cand[k][1];
        }
    }
    *alpha = a;
    *beta = b;
    return 0;
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

static int cmp_point(const void *pa, const void *pb)
{
    const tach__usl_point *a = pa, *b = pb;
    return (a->n > b->n) - (a->n < b->n);
}

static void ci_of(double *v, size_t m, tach__ci *ci)
{
    qsort(v, m, sizeof *v, cmp_double);
    ci->lo = tach__quantile_sorted(v, m, 0.025);
    ci->hi = tach__quantile_sorted(v, m, 0.975);
}

int tach__usl_fit_points(const tach__usl_point *in, size_t np, size_t resamples, uint64_t seed,
                         tach__usl_fit *out, char *err)
{
    memset(out, 0, sizeof *out);
    if (resamples < 1) resamples = 1;
    if (np < 2) return tach__err(err, "a USL fit needs N = 1 and another thread count");
    tach__usl_point *pts = tach__malloc(np * sizeof *pts);
    double *n = tach__malloc(np * sizeof *n), *x = tach__malloc(np * sizeof *x);
    double *as = tach__malloc(resamples * sizeof *as), *bs = tach__malloc(resamples * sizeof *bs);
    double *tmp = NULL;
    int rc = -1;
    if (!pts || !n || !x || !as || !bs) {
        tach__err(err, "out of memory");
        goto done;
    }
    memcpy(pts, in, np * sizeof *pts);
    qsort(pts, np, sizeof *pts, cmp_point);
    size_t maxs = 0;
    for (size_t i = 0; i < np; i++) {
        if (pts[i].nsamples == 0 || (i > 0 && pts[i].n == pts[i - 1].n)) {
            tach__err(err, "USL fit: thread counts must be distinct, each with samples");
            goto done;
        }
        n[i] = pts[i].n;
        x[i] = tach__median(pts[i].samples, pts[i].nsamples);
        if (pts[i].nsamples > maxs) maxs = pts[i].nsamples;
    }
    if (n[0] != 1) {
        tach__err(err, "USL fit: the sweep must include N = 1");
        goto done;
    }
    double a, b;
    if (tach__usl_fit_medians(n, x, np, &a, &b) != 0) {
        tach__err(err, "USL fit: throughputs must be > 0");
        goto done;
    }
    if (!(tmp = tach__malloc(maxs * sizeof *tmp))) {
        tach__err(err, "out of memory");
        goto done;
    }
    out->alpha.value = a;
    out->beta.value = b;
    out->lambda = x[0];
    out->npoints = np;
    out->beta_fitted = np > 2 || a >= 1;
    out->resamples = resamples;
    /* (at least 1: with alpha = 1 the throughput falls from N = 1 on, N* = 0 is no
     * thread count) */
    out->peak_n = b > 0 ? fmax(1, sqrt(fmax(0, 1 - a) / b)) : INFINITY;
    out->peak_x = b > 0 ? tach__usl_model(x[0], a, b, out->peak_n) : INFINITY;
    /* R^2 of the linearised fit (about zero: the model has no intercept). */
    double ss = 0, st = 0;
    for (size_t i = 0; i < np; i++) {
        double y = n[i] * x[0] / x[i] - 1, f = a * (n[i] - 1) + b * n[i] * (n[i] - 1);
        ss += (y - f) * (y - f);
        st += y * y;
    }
    out->r2 = st > 0 ? 1 - ss / st : 1;
    tach__rng r;
    tach__rng_seed(&r, seed);
    double *xb = tach__malloc(np * sizeof *xb);
    if (!xb) {
        tach__err(err, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < resamples; k++) {
        for (size_t i = 0; i < np; i++) {
            size_t m = pts[i].nsamples;
            for (size_t j = 0; j < m; j++) tmp[j] = pts[i].samples[tach__rng_below(&r, m)];
            qsort(tmp, m, sizeof *tmp, cmp_double);
            xb[i] = tach__quantile_sorted(tmp, m, 0.5);
        }
        double ak = a, bk = b;
        (void)tach__usl_fit_medians(n, xb, np, &ak, &bk);
        as[k] = ak;
        bs[k] = bk;
    }
    tach__free(xb);
    ci_of(as, resamples, &out->alpha);
    ci_of(bs, resamples, &out->beta);
    rc = 0;
done:
    tach__free(pts);
    tach__free(n);
    tach__free(x);
    tach__free(as);
    tach__free(bs);
    tach__free(tmp);
    return rc;
}
