/*
 * test_compare_ab.c - the paired A/B analysis behind `tach ab` (src/judge/compare.c):
 * the Hodges-Lehmann estimate and its Wilcoxon CI, the plan of looks, the decision
 * at a look, and the error rates of the whole sequential procedure on seeded
 * simulated data.
 *
 * Reference values (/usr/bin/python3, scipy 1.10.1, numpy), brute force by the
 * definition in compare.h:
 *   def hl(d, alpha):
 *       n = len(d); w = sorted((d[i]+d[j])/2 for i in range(n) for j in range(i, n))
 *       m = len(w); z = scipy.stats.norm.ppf(1 - alpha/2)
 *       k = math.floor(m/2 - z*math.sqrt(n*(n+1)*(2*n+1)/24))
 *       return numpy.median(w), (w[k-1], w[m-k]) if k >= 1 else None
 *   hl([0.03 + 0.02*sin(1.3*i) for i in range(12)], 0.05)
 *       -> 0.03219954184221698, (0.02312233840816026, 0.04305870326623965)
 *   hl([0.01*sin(0.7*i) - 0.005 for i in range(25)], 0.01)
 *       -> -0.004663769527788633, (-0.008742752732179664, 9.536388604798433e-05)
 *   hl([0.1, 0.2, 0.3], 0.05) -> 0.2, None (k = -1: too few pairs for a CI)
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "test.h"

TEST(hodges_lehmann_matches_brute_force_reference)
{
    double d[25];
    for (int i = 0; i < 12; i++) d[i] = 0.03 + 0.02 * sin(1.3 * i);
    tach__ci ci;
    ASSERT_EQ(0, tool_hodges_lehmann(d, 12, 0.05, &ci));
    ASSERT_NEAR(0.03219954184221698, ci.value, 1e-15);
    ASSERT_NEAR(0.02312233840816026, ci.lo, 1e-15);
    ASSERT_NEAR(0.04305870326623965, ci.hi, 1e-15);
    for (int i = 0; i < 25; i++) d[i] = 0.01 * sin(0.7 * i) - 0.005;
    ASSERT_EQ(0, tool_hodges_lehmann(d, 25, 0.01, &ci));
    ASSERT_NEAR(-0.004663769527788633, ci.value, 1e-15);
    ASSERT_NEAR(-0.008742752732179664, ci.lo, 1e-15);
    ASSERT_NEAR(9.536388604798433e-05, ci.hi, 1e-15);
}

TEST(hodges_lehmann_too_few_and_empty)
{
    double d[3] = {0.1, 0.2, 0.3};
    tach__ci ci;
    ASSERT_EQ(0, tool_hodges_lehmann(d, 3, 0.05, &ci));
    ASSERT_NEAR(0.2, ci.value, 1e-15);
    ASSERT_TRUE(isinf(ci.lo) && ci.lo < 0 && isinf(ci.hi) && ci.hi > 0);
    ASSERT_EQ(0, tool_hodges_lehmann(d, 0, 0.05, &ci));
    ASSERT_NAN(ci.value);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

TEST(hodges_lehmann_selection_agrees_with_a_full_sort_with_ties)
{
    /* Random data with many ties (values on a coarse grid) exercise the selection. */
    tach__rng r;
    tach__rng_seed(&r, 7);
    for (int trial = 0; trial < 20; trial++) {
        size_t n = 5 + tach__rng_below(&r, 60);
        double d[80];
        for (size_t i = 0; i < n; i++) d[i] = (double)tach__rng_below(&r, 7) - 3.0;
        size_t m = n * (n + 1) / 2, t = 0;
        double *w = malloc(m * sizeof *w);
        for (size_t i = 0; i < n; i++)
            for (size_t j = i; j < n; j++) w[t++] = (d[i] + d[j]) / 2;
        qsort(w, m, sizeof *w, cmp_double);
        double med = m % 2 ? w[m / 2] : (w[m / 2 - 1] + w[m / 2]) / 2;
        tach__ci ci;
        ASSERT_EQ(0, tool_hodges_lehmann(d, n, 0.05, &ci));
        ASSERT_NEAR(med, ci.value, 0);
        double k = floor((double)m / 2 - tach__norm_quantile(0.975) *
                                             sqrt((double)n * (n + 1) * (2.0 * n + 1) / 24));
        if (k >= 1) {
            ASSERT_NEAR(w[(size_t)k - 1], ci.lo, 0);
            ASSERT_NEAR(w[m - (size_t)k], ci.hi, 0);
        }
        free(w);
    }
}

TEST(plan_of_looks_grows_geometrically_and_ends_at_max)
{
    size_t looks[32];
    size_t k = tool_ab_plan(10, 200, 1.5, looks, 32);
    /* 10, 15, 23 (ceil 22.5), 35 (ceil 34.5), 53, 80, 120, 180, then 200. */
    size_t want[] = {10, 15, 23, 35, 53, 80, 120, 180, 200};
    ASSERT_EQ(9, k);
    for (size_t i = 0; i < 9; i++) ASSERT_EQ(want[i], looks[i]);
    ASSERT_EQ(1, tool_ab_plan(10, 5, 1.5, looks, 32)); /* max below first: one look */
    ASSERT_EQ(10, looks[0]);
}

TEST(look_decides_by_the_ci_against_the_noise_band)
{
    double d[40];
    tach__ci ci;
    tool_ab_verdict v;
    /* Every pair 3% slower, +-0.2%: the CI sits near +3%. */
    for (int i = 0; i < 40; i++) d[i] = log(1.03) + 0.002 * sin(i * 2.1);
    ASSERT_EQ(0, tool_ab_look(d, 40, 0.005, 0.01, &ci, &v));
    ASSERT_EQ(TOOL_AB_REGRESSED, v);
    ASSERT_NEAR(0.03, ci.value, 0.002);
    ASSERT_EQ(0, tool_ab_look(d, 40, 0.005, 0.05, &ci, &v));
    ASSERT_EQ(TOOL_AB_SAME, v); /* inside a 5% band */
    for (int i = 0; i < 40; i++) d[i] = -d[i];
    ASSERT_EQ(0, tool_ab_look(d, 40, 0.005, 0.01, &ci, &v));
    ASSERT_EQ(TOOL_AB_IMPROVED, v);
    /* Wide noise around zero: undecided. */
    for (int i = 0; i < 40; i++) d[i] = 0.2 * sin(i * 2.1);
    ASSERT_EQ(0, tool_ab_look(d, 40, 0.005, 0.01, &ci, &v));
    ASSERT_EQ(TOOL_AB_UNDECIDED, v);
    ASSERT_STREQ("no difference", tool_ab_verdict_name(TOOL_AB_SAME));
}

static double normal(tach__rng *r)
{
    double u1 = tach__rng_double(r), u2 = tach__rng_double(r);
    if (u1 < 1e-300) u1 = 1e-300;
    return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

/* Runs the sequential procedure of `tach ab` on simulated per-pair log ratios
 * (shift + sd * noise, noise normal or, heavy, Student-like with outliers) and
 * returns its verdict. */
static tool_ab_verdict simulate(tach__rng *r, double shift, double sd, bool heavy,
                                 double noise, size_t max_pairs)
{
    size_t looks[64];
    size_t k = tool_ab_plan(10, max_pairs, 1.5, looks, 64);
    double alpha_look = 0.05 / (double)(k + 1);
    double *d = malloc(max_pairs * sizeof *d);
    tool_ab_verdict v = TOOL_AB_UNDECIDED;
    size_t n = 0;
    for (size_t l = 0; l < k && v == TOOL_AB_UNDECIDED; l++) {
        while (n < looks[l]) {
            double e = normal(r);
            if (heavy && tach__rng_below(r, 20) == 0) e *= 8; /* 5% outliers, 8x wider */
            d[n++] = shift + sd * e;
        }
        tach__ci ci;
        if (tool_ab_look(d, n, alpha_look, noise, &ci, &v)) break;
    }
    free(d);
    return v;
}

TEST(sequential_false_alarms_stay_below_alpha_on_a_vs_a)
{
    /* noise 0: any significant difference at any look is a false alarm, the hardest
     * case.  Bonferroni over the looks bounds it by alpha = 5%; expect ~1-2%. */
    tach__rng r;
    tach__rng_seed(&r, 42);
    int alarms = 0, trials = 200;
    for (int t = 0; t < trials; t++) {
        tool_ab_verdict v = simulate(&r, 0.0, 0.05, t % 2 == 1, 0.0, 150);
        alarms += v == TOOL_AB_REGRESSED || v == TOOL_AB_IMPROVED;
    }
    fprintf(stderr, "alarms %d\n", alarms);
    ASSERT_TRUE(alarms <= trials * 5 / 100);
}

TEST(sequential_detects_a_3pct_slowdown_beyond_1pct_noise)
{
    /* sd 5% per pair (a noisy machine) and a 3% slowdown: the CI's half-width falls
     * under 2% by ~60 pairs, so nearly every trial ends "regressed" within 200. */
    tach__rng r;
    tach__rng_seed(&r, 43);
    int found = 0, wrong = 0, trials = 100;
    for (int t = 0; t < trials; t++) {
        tool_ab_verdict v = simulate(&r, log(1.03), 0.05, false, 0.01, 200);
        found += v == TOOL_AB_REGRESSED;
        wrong += v == TOOL_AB_IMPROVED || v == TOOL_AB_SAME;
    }
    fprintf(stderr, "found %d wrong %d\n", found, wrong);
    ASSERT_TRUE(found >= 95);
    ASSERT_EQ(0, wrong);
}

/* The Wilcoxon CI's coverage against the exact null distribution of the signed-rank
 * statistic (Wilcoxon 1945; the distribution R's psignrank gives), not the normal
 * approximation the CI's ranks come from: [W_(k), W_(m+1-k)] covers the centre with
 * probability 1 - 2 P(V <= k - 1).  Data 2^i make the Walsh averages distinct, so the
 * CI's ends name their ranks.  For every n that gives a CI, up to 60, and the levels tach
 * ab uses (0.05 split over up to 13 looks: 0.00385), the coverage is at least nominal.
 * Reference (python3, the same recursion, and R's rule qu = qsignrank(alpha/2, n)):
 *   n = 12, alpha 0.05:  k = 14, coverage 0.95752 (R's exact CI: the same rank)
 *   n = 25, alpha 0.01:  k = 66, coverage 0.99263 (R's exact: 69, 0.99036)
 *   n = 10, alpha 0.05:  k = 8,  coverage 0.96289 (R's exact: 9, 0.95117) */
TEST(wilcoxon_ci_covers_at_least_its_level_under_the_exact_distribution)
{
    static double count[60 * 61 / 2 + 1];
    const double alphas[] = {0.05, 0.01, 0.00385, 0.001};
    for (size_t n = 3; n <= 60; n++) {
        size_t m = n * (n + 1) / 2;
        /* count[v]: subsets of {1..n} whose sum is v, over 2^n */
        memset(count, 0, sizeof count);
        count[0] = 1;
        for (size_t r = 1; r <= n; r++)
            for (size_t v = m; v >= r; v--) count[v] += count[v - r];
        double d[60];
        for (size_t i = 0; i < n; i++) d[i] = ldexp(1, (int)i);
        double *w = malloc(m * sizeof *w);
        size_t t = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t j = i; j < n; j++) w[t++] = (d[i] + d[j]) / 2;
        qsort(w, m, sizeof *w, cmp_double);
        for (size_t a = 0; a < sizeof alphas / sizeof alphas[0]; a++) {
            tach__ci ci;
            ASSERT_EQ(0, tool_hodges_lehmann(d, n, alphas[a], &ci));
            if (isinf(ci.lo)) continue; /* too few pairs at this level */
            size_t k = 0;
            while (k < m && w[k] != ci.lo) k++;
            k++; /* 1-based rank of the lower end */
            ASSERT_TRUE(k <= m && w[m - k] == ci.hi); /* symmetric ranks */
            double below = 0; /* P(V <= k - 1) */
            for (size_t v = 0; v < k; v++) below += count[v];
            below = ldexp(below, -(int)n);
            ASSERT_TRUE(1 - 2 * below >= 1 - alphas[a]);
            if (n == 12 && a == 0) {
                ASSERT_EQ(14, k);
                ASSERT_NEAR(0.95752, 1 - 2 * below, 5e-6);
            }
            if (n == 25 && a == 1) {
                ASSERT_EQ(66, k);
                ASSERT_NEAR(0.99263, 1 - 2 * below, 5e-6);
            }
        }
        free(w);
    }
}

TEST_MAIN()
