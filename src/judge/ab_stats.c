/* ab_stats.c - the paired A/B analysis: the Hodges-Lehmann estimate of paired
 * differences, the plan of looks and one sequential look (see compare.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"

/* ---- paired A/B analysis --------------------------------------------------- */

const char *tool_ab_verdict_name(tool_ab_verdict v)
{
    switch (v) {
    case TOOL_AB_UNDECIDED: return "undecided";
    case TOOL_AB_REGRESSED: return "regressed";
    case TOOL_AB_IMPROVED: return "improved";
    case TOOL_AB_SAME: return "no difference";
    }
    return "?";
}

/* The k-th smallest (0-based) of x[0..n), partially reordering x (Hoare's
 * selection with a median-of-three pivot). */
static double select_kth(double *x, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        double a = x[lo], b = x[mid], c = x[hi];
        double pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
        size_t i = lo, j = hi;
        while (i <= j) {
            while (x[i] < pivot) i++;
            while (x[j] > pivot) j--;
            if (i <= j) {
                double t = x[i];
                x[i] = x[j];
                x[j] = t;
                i++;
                if (j == 0) break;
                j--;
            }
        }
        if (k <= j) hi = j;
        else if (k >= i) lo = i;
        else return x[k];
    }
    return x[k];
}

int tool_hodges_lehmann(const double *d, size_t n, double alpha, tach__ci *out)
{
    *out = (tach__ci){NAN, NAN, NAN};
    if (n == 0) return 0;
    size_t m = n * (n + 1) / 2;
    double *w = tach__malloc(m * sizeof *w);
    if (!w) return -1;
    size_t t = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i; j < n; j++) w[t++] = (d[i] + d[j]) / 2;
    /* The median of the Walsh averages. */
    double med = select_kth(w, m, (m - 1) / 2);
    if (m % 2 == 0) {
        double up = select_kth(w, m, m / 2);
        med = (med + up) / 2;
    }
    out->value = med;
    double z = tach__norm_quantile(1 - alpha / 2);
    double sd = sqrt((double)n * (n + 1) * (2.0 * n + 1) / 24.0);
    double kf = floor((double)m / 2 - z * sd);
    if (kf < 1) {
        out->lo = -INFINITY;
        out->hi = INFINITY;
    } else {
        size_t k = (size_t)kf;
        out->lo = select_kth(w, m, k - 1);
        out->hi = select_kth(w, m, m - k);
    }
    tach__free(w);
    return 0;
}

size_t tool_ab_plan(size_t first, size_t max_pairs, double growth, size_t *looks, size_t cap)
{
    if (first < 1) first = 1;
    if (max_pairs < first) max_pairs = first;
    if (!(growth > 1)) growth = 1.5;
    size_t k = 0, n = first;
    for (;;) {
        if (looks && k < cap) looks[k] = n;
        k++;
        if (n >= max_pairs) break;
        size_t next = (size_t)ceil((double)n * growth);
        if (next <= n) next = n + 1;
        n = next < max_pairs ? next : max_pairs;
    }
    return k;
}

int tool_ab_look(const double *d, size_t n, double alpha_look, double noise, tach__ci *ci,
                  tool_ab_verdict *verdict)
{
    tach__ci hl;
    *verdict = TOOL_AB_UNDECIDED;
    if (tool_hodges_lehmann(d, n, alpha_look, &hl)) return -1;
    ci->value = expm1(hl.value);
    ci->lo = isinf(hl.lo) ? hl.lo : expm1(hl.lo); /* no CI stays (-inf, +inf) */
    ci->hi = isinf(hl.hi) ? hl.hi : expm1(hl.hi);
    if (isnan(ci->value)) return 0;
    if (ci->lo > noise) *verdict = TOOL_AB_REGRESSED;
    else if (ci->hi < -noise) *verdict = TOOL_AB_IMPROVED;
    else if (ci->lo >= -noise && ci->hi <= noise) *verdict = TOOL_AB_SAME;
    return 0;
}
