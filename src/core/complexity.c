/* complexity.c - the complexity fit of a benchmark family (see complexity.h). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complexity.h"

static const char *const cx_names[TACH__CX_NCLASSES] = {
    "none", "O(1)", "O(log N)", "O(N)", "O(N log N)", "O(N^2)", "O(N^3)"};
static const char *const cx_keys[TACH__CX_NCLASSES] = {NULL, "1", "logn", "n", "nlogn", "n2", "n3"};
static const char *const cx_gb[TACH__CX_NCLASSES] = {NULL, "(1)", "lgN", "N", "NlgN", "N^2", "N^3"};

static bool cx_valid(int cls)
{
    return cls >= TACH_O_1 && cls <= TACH_O_N3;
}

const char *tach__cx_name(int cls)
{
    return cx_valid(cls) ? cx_names[cls] : "none";
}

const char *tach__cx_key(int cls)
{
    if (cls == TACH_O_AUTO) return "auto";
    return cx_valid(cls) ? cx_keys[cls] : NULL;
}

const char *tach__cx_gbench(int cls)
{
    return cx_valid(cls) ? cx_gb[cls] : NULL;
}

int tach__cx_parse(const char *s, int *cls)
{
    if (!s) return -1;
    /* Normalise: drop "o(" ... ")", spaces, '^' and '*'; lower case; "lg"/"log" -> "log". */
    char t[32];
    size_t k = 0;
    for (const char *p = s; *p && k + 1 < sizeof t; p++) {
        char c = (char)tolower((unsigned char)*p);
        if (c == ' ' || c == '^' || c == '*' || c == '(' || c == ')' || c == '_') continue;
        t[k++] = c;
    }
    t[k] = '\0';
    const char *u = t;
    if (u[0] == 'o' && u[1] && strcmp(u, "auto") != 0) u++; /* "o(n)" -> "n" */
    static const struct { const char *text; int cls; } names[] = {
        {"1", TACH_O_1}, {"logn", TACH_O_LOG_N}, {"lgn", TACH_O_LOG_N}, {"n", TACH_O_N},
        {"nlogn", TACH_O_N_LOG_N}, {"nlgn", TACH_O_N_LOG_N}, {"n2", TACH_O_N2},
        {"n3", TACH_O_N3}, {"auto", TACH_O_AUTO}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(u, names[i].text)) {
            *cls = names[i].cls;
            return 0;
        }
    return -1;
}

double tach__cx_g(int cls, double n)
{
    switch (cls) {
    case TACH_O_LOG_N: return log2(n);
    case TACH_O_N: return n;
    case TACH_O_N_LOG_N: return n * log2(n);
    case TACH_O_N2: return n * n;
    case TACH_O_N3: return n * n * n;
    default: return 1.0;
    }
}

/* Weighted least squares of y = a + b*x with weights 1/y^2 (relative residuals). */
int tach__cx_fit_class(int cls, const double *n, const double *y, size_t np, double *a,
                       double *b, double *ssr)
{
    double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (size_t i = 0; i < np; i++) {
        if (!(y[i] > 0)) return -1;
        double w = 1.0 / (y[i] * y[i]), x = tach__cx_g(cls, n[i]);
        sw += w;
        sx += w * x;
        sy += w * y[i];
        sxx += w * x * x;
        sxy += w * x * y[i];
    }
    if (cls == TACH_O_1) {
        *a = sy / sw;
        *b = 0;
    } else {
        /* Centred sums: the x of N^3 spans twelve decades. */
        double mx = sx / sw, my = sy / sw, cxx = 0, cxy = 0;
        for (size_t i = 0; i < np; i++) {
            double w = 1.0 / (y[i] * y[i]), dx = tach__cx_g(cls, n[i]) - mx;
            cxx += w * dx * dx;
            cxy += w * dx * (y[i] - my);
        }
        if (!(cxx > 0)) return -1;
        *b = cxy / cxx;
        *a = my - *b * mx;
    }
    double s = 0;
    for (size_t i = 0; i < np; i++) {
        double r = (y[i] - (*a + *b * tach__cx_g(cls, n[i]))) / y[i];
        s += r * r;
    }
    *ssr = s;
    return 0;
}

/* The leave-one-out prediction error of class cls (the sum over the sizes of the
 * squared relative error of the size's time predicted by the fit of the other sizes),
 * and the sign of b on all sizes; INFINITY when some fit cannot be made. */
static double press(int cls, const double *n, const double *y, size_t np, double *b_all)
{
    double a, b, ssr;
    if (tach__cx_fit_class(cls, n, y, np, &a, &b, &ssr) != 0) return INFINITY;
    *b_all = b;
    double nk[TACH__CX_MAXSIZES], yk[TACH__CX_MAXSIZES], s = 0;
    for (size_t k = 0; k < np; k++) {
        size_t m = 0;
        for (size_t i = 0; i < np; i++)
            if (i != k) {
                nk[m] = n[i];
                yk[m++] = y[i];
            }
        if (tach__cx_fit_class(cls, nk, yk, m, &a, &b, &ssr) != 0) return INFINITY;
        double r = (y[k] - (a + b * tach__cx_g(cls, n[k]))) / y[k];
        s += r * r;
    }
    return s;
}

/* Two sizes: every class's a + b*g(N) goes through both points, and each held-out
 * fit has one point (no fit).  The relative residual sum of squares of b*g(N), with
 * no intercept, instead: the class whose growth from the smaller size to the larger
 * is nearest the times'; INFINITY when b cannot be fitted. */
static double two_sizes(int cls, const double *n, const double *y, size_t np, double *b_out)
{
    double sxx = 0, sxy = 0;
    for (size_t i = 0; i < np; i++) {
        if (!(y[i] > 0)) return INFINITY;
        double x = tach__cx_g(cls, n[i]) / y[i]; /* weight 1/y^2 */
        sxx += x * x;
        sxy += x;
    }
    if (!(sxx > 0)) return INFINITY;
    double b = sxy / sxx, s = 0;
    for (size_t i = 0; i < np; i++) {
        double r = (y[i] - b * tach__cx_g(cls, n[i])) / y[i];
        s += r * r;
    }
    *b_out = b;
    return s;
}

/* The rule of complexity.h on one set of sizes' times (sorted by n); returns the class. */
static int choose(const double *n, const double *y, size_t np, double noise)
{
    if (y[np - 1] / y[0] - 1 <= noise) return TACH_O_1;
    int best = TACH_O_NONE;
    double best_err = INFINITY;
    for (int c = TACH_O_LOG_N; c <= TACH_O_N3; c++) {
        double b = 0, e;
        if (np < 3) {
            e = two_sizes(c, n, y, np, &b);
        } else if (np <= TACH__CX_MAXSIZES) {
            e = press(c, n, y, np, &b);
        } else {
            double a;
            if (tach__cx_fit_class(c, n, y, np, &a, &b, &e) != 0) e = INFINITY;
        }
        if (!(b > 0) || !isfinite(e)) continue;
        if (e < best_err * (1 - 1e-9)) {
            best = c;
            best_err = e;
        }
    }
    return best == TACH_O_NONE ? TACH_O_1 : best;
}

int tach__cx_choose(const double *n, const double *y, size_t np, double noise, double *a,
                    double *b)
{
    if (np < 2) return TACH_O_NONE;
    if (noise <= 0) noise = TACH__CX_NOISE_DEFAULT;
    int c = choose(n, y, np, noise);
    double ssr, aa = 0, bb = 0;
    (void)tach__cx_fit_class(c, n, y, np, &aa, &bb, &ssr);
    if (a) *a = aa;
    if (b) *b = bb;
    return c;
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

static int cmp_point(const void *pa, const void *pb)
{
    const tach__cx_point *a = pa, *b = pb;
    return (a->n > b->n) - (a->n < b->n);
}

/* The time of a size: its TACH__CX_QUANTILE quantile (complexity.h says why). */
static double level_sorted(const double *s, size_t n)
{
    return tach__quantile_sorted(s, n, TACH__CX_QUANTILE);
}

/* 2.5% and 97.5% percentiles of v (sorted in place). */
static void percentile_ci(double *v, size_t n, tach__ci *ci)
{
    qsort(v, n, sizeof *v, cmp_double);
    ci->lo = tach__quantile_sorted(v, n, 0.025);
    ci->hi = tach__quantile_sorted(v, n, 0.975);
}

int tach__cx_fit_points(const tach__cx_point *pts_in, size_t np, size_t resamples,
                        uint64_t seed, double noise, tach__cx_fit *out, char *err)
{
    memset(out, 0, sizeof *out);
    if (noise <= 0) noise = TACH__CX_NOISE_DEFAULT;
    if (resamples < 1) resamples = 1;
    out->noise = noise;
    out->resamples = resamples;
    if (np < 3) return tach__err(err, "a complexity fit needs at least 3 sizes (got %zu)", np);
    int rc = -1;
    tach__cx_point *pts = tach__malloc(np * sizeof *pts);
    double **sorted = tach__calloc(np, sizeof *sorted);
    double *n = tach__malloc(np * sizeof *n), *y = tach__malloc(np * sizeof *y);
    double *coefs = tach__malloc(resamples * sizeof *coefs);
    double *growth = tach__malloc(resamples * sizeof *growth);
    double *expo = tach__malloc(resamples * sizeof *expo);
    double *tmp = NULL;
    int *won = tach__malloc(resamples * sizeof *won);
    size_t maxs = 0;
    if (!pts || !sorted || !n || !y || !coefs || !growth || !expo || !won) {
        tach__err(err, "out of memory");
        goto done;
    }
    memcpy(pts, pts_in, np * sizeof *pts);
    qsort(pts, np, sizeof *pts, cmp_point);
    for (size_t i = 0; i < np; i++) {
        if (!(pts[i].n > 0) || pts[i].nsamples == 0 || (i > 0 && pts[i].n == pts[i - 1].n)) {
            tach__err(err, "complexity fit: sizes must be distinct, > 0, with samples");
            goto done;
        }
        sorted[i] = tach__malloc(pts[i].nsamples * sizeof **sorted);
        if (!sorted[i]) {
            tach__err(err, "out of memory");
            goto done;
        }
        memcpy(sorted[i], pts[i].samples, pts[i].nsamples * sizeof **sorted);
        qsort(sorted[i], pts[i].nsamples, sizeof **sorted, cmp_double);
        if (!(sorted[i][0] > 0) || !isfinite(sorted[i][pts[i].nsamples - 1])) {
            tach__err(err, "complexity fit: times must be finite and > 0");
            goto done;
        }
        if (pts[i].nsamples > maxs) maxs = pts[i].nsamples;
        n[i] = pts[i].n;
        y[i] = level_sorted(sorted[i], pts[i].nsamples);
    }
    tmp = tach__malloc(maxs * sizeof *tmp);
    if (!tmp) {
        tach__err(err, "out of memory");
        goto done;
    }
    out->npoints = np;
    out->n_min = n[0];
    out->n_max = n[np - 1];
    double span = log(n[np - 1] / n[0]);
    out->growth.value = y[np - 1] / y[0] - 1;
    out->exponent.value = log(y[np - 1] / y[0]) / span;

    /* Resample each size's samples; refit; count the winners. */
    double *yb = tach__malloc(np * resamples * sizeof *yb);
    if (!yb) {
        tach__err(err, "out of memory");
        goto done;
    }
    tach__rng r;
    tach__rng_seed(&r, seed);
    size_t counts[TACH__CX_NCLASSES] = {0};
    for (size_t k = 0; k < resamples; k++) {
        double *yk = yb + k * np;
        for (size_t i = 0; i < np; i++) {
            size_t m = pts[i].nsamples;
            for (size_t j = 0; j < m; j++) tmp[j] = sorted[i][tach__rng_below(&r, m)];
            qsort(tmp, m, sizeof *tmp, cmp_double);
            yk[i] = level_sorted(tmp, m);
        }
        won[k] = choose(n, yk, np, noise);
        counts[won[k]]++;
        growth[k] = yk[np - 1] / yk[0] - 1;
        expo[k] = log(yk[np - 1] / yk[0]) / span;
    }
    int best = TACH_O_1, second = TACH_O_NONE;
    for (int c = TACH_O_1; c <= TACH_O_N3; c++) {
        out->wins[c] = (double)counts[c] / (double)resamples;
        if (counts[c] > counts[best]) best = c;
    }
    for (int c = TACH_O_1; c <= TACH_O_N3; c++)
        if (c != best && counts[c] > 0 && (second == TACH_O_NONE || counts[c] > counts[second]))
            second = c;
    out->cls = best;
    out->runner_up = second;
    double a, b, ssr;
    /* A class whose slope's CI reaches 0 (or below) has not shown any growth: it does
     * not beat O(1), which then stands (docs/complexity.md), the class found runner-up. */
    for (int pass = 0;; pass++) {
        if (tach__cx_fit_class(best, n, y, np, &a, &b, &ssr) != 0) {
            tach__err(err, "complexity fit: the sizes cannot determine %s", tach__cx_name(best));
            tach__free(yb);
            goto done;
        }
        out->a = a;
        out->coef.value = best == TACH_O_1 ? a : b;
        out->rms = sqrt(ssr / (double)np);
        for (size_t k = 0; k < resamples; k++) {
            double ak = a, bk = b;
            (void)tach__cx_fit_class(best, n, yb + k * np, np, &ak, &bk, &ssr);
            coefs[k] = best == TACH_O_1 ? ak : bk;
        }
        percentile_ci(coefs, resamples, &out->coef);
        if (best == TACH_O_1 || out->coef.lo > 0 || pass > 0) break;
        out->runner_up = best;
        out->cls = best = TACH_O_1;
    }
    tach__free(yb);
    percentile_ci(growth, resamples, &out->growth);
    percentile_ci(expo, resamples, &out->exponent);
    rc = 0;
done:
    if (sorted)
        for (size_t i = 0; i < np; i++) tach__free(sorted[i]);
    tach__free(sorted);
    tach__free(pts);
    tach__free(n);
    tach__free(y);
    tach__free(coefs);
    tach__free(growth);
    tach__free(expo);
    tach__free(won);
    tach__free(tmp);
    return rc;
}

bool tach__cx_assert(const tach__cx_fit *f, int asserted, double *limit)
{
    if (asserted == TACH_O_1) {
        if (limit) *limit = f->noise;
        return f->growth.hi < f->noise;
    }
    if (asserted >= TACH_O_N3 || !cx_valid(asserted)) {
        if (limit) *limit = INFINITY;
        return true;
    }
    /* The exponent a class's g shows over the family's sizes.  A positive intercept
     * lowers the exponent measured (a linear scan with a fixed cost shows 0.98, not 1),
     * so the bound is halfway to the next class, not the next class itself: a linear
     * scan must not pass "at most O(log N)". */
    double span = log(f->n_max / f->n_min);
    double e_this = asserted == TACH_O_1 ? 0 :
        log(tach__cx_g(asserted, f->n_max) / tach__cx_g(asserted, f->n_min)) / span;
    double e_next = log(tach__cx_g(asserted + 1, f->n_max) / tach__cx_g(asserted + 1, f->n_min)) / span;
    double e = (e_this + e_next) / 2;
    if (limit) *limit = e;
    return f->exponent.hi < e;
}
