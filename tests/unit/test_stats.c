/* test_stats.c - the statistics in src/core/stats.c against reference values.
 *
 * Every reference value was computed with Debian 12's /usr/bin/python3, scipy 1.10.1,
 * numpy 1.24.2, by tests/unit/stats_reference.py; the expression that produced each
 * value is written beside it.  Data sets (the same in the script):
 *   A  = [2.1, 3.4, 1.9, 5.6, 4.4, 3.3, 2.8, 7.1, 3.9, 4.0]
 *   B  = [3.0, 4.1, 5.2, 4.8, 6.3, 5.5, 4.9, 7.7]
 *   TX = [1, 2, 2, 3, 3, 3, 4]        TY = [2, 3, 3, 4, 4, 5, 5, 5]   (ties)
 *   LX, LY: 40 and 45 integers with many ties (below). */
#include "tach_internal.h"
#include "test.h"

static const double A[] = {2.1, 3.4, 1.9, 5.6, 4.4, 3.3, 2.8, 7.1, 3.9, 4.0};
static const double B[] = {3.0, 4.1, 5.2, 4.8, 6.3, 5.5, 4.9, 7.7};
static const double TX[] = {1, 2, 2, 3, 3, 3, 4};
static const double TY[] = {2, 3, 3, 4, 4, 5, 5, 5};
/* python: [round(10 + 3*np.sin(i*1.7)) for i in range(40)],
 *         [round(11 + 3*np.cos(i*1.3)) for i in range(45)] */
static const double LX[] = {10, 13, 9, 7,  11, 12, 8, 8,  13, 11, 7, 10, 13, 10,
                            7,  11, 13, 8, 8,  12, 12, 7, 9,  13, 10, 7, 11, 13,
                            9,  8,  12, 12, 7, 9, 13, 11, 7, 10, 13, 9};
static const double LY[] = {14, 12, 8,  9,  12, 14, 11, 8,  9,  13, 14, 11, 8,  10, 13,
                            13, 10, 8,  11, 14, 13, 9,  8,  11, 14, 12, 9,  8,  12, 14,
                            12, 8,  9,  12, 14, 11, 8,  9,  13, 14, 11, 8,  10, 13, 13};
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- basics ------------------------------------------------------------------ */

TEST(mean_and_stddev)
{
    ASSERT_NEAR(3.85, tach__mean(A, N(A)), 1e-14);                   /* np.mean(A) */
    ASSERT_REL(1.5785013990068766, tach__stddev(A, N(A)), 1e-14);    /* np.std(A, ddof=1) */
    /* Large offset, tiny spread: the naive sum-of-squares formula loses every digit. */
    double big[] = {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16}; /* np.std(..., ddof=1) = 5.477225575051661 */
    ASSERT_REL(5.477225575051661, tach__stddev(big, 4), 1e-9);
    /* Huge finite values: the squared deviations (~1e597) and the sum (~5e308) leave a
     * double, yet the mean and the spread are numbers; numpy gives inf there.  Exact
     * values from Python's fractions (mean) and decimal at 60 digits (sqrt of the exact
     * variance):  xs = [Fraction(v) for v in X]; m = sum(xs) / n;
     * Decimal(sum((v - m)**2 for v in xs) / (n - 1)).sqrt() */
    double h300[] = {1e300, 1.1e300, 1.2e300, 1e300, 1.05e300};
    ASSERT_REL(1.07e300, tach__mean(h300, 5), 1e-15);
    ASSERT_REL(8.366600265340756e+298, tach__stddev(h300, 5), 1e-14);
    double h308[] = {1e308, 1.1e308, 1.2e308, 1e308, 1.05e308};
    ASSERT_REL(1.07e308, tach__mean(h308, 5), 1e-15);
    ASSERT_REL(8.366600265340751e+306, tach__stddev(h308, 5), 1e-14);
    double top[] = {1.7e308, 1.7e308, 1.6e308};
    ASSERT_REL(1.6666666666666666e+308, tach__mean(top, 3), 1e-15);
    ASSERT_REL(5.773502691896255e+306, tach__stddev(top, 3), 1e-14);
}

TEST(empty_single_equal_and_nan_inputs)
{
    double one[] = {5}, eq[] = {3, 3, 3, 3}, withnan[] = {1, NAN, 3};
    ASSERT_NAN(tach__mean(NULL, 0));
    ASSERT_NAN(tach__stddev(NULL, 0));
    ASSERT_NAN(tach__median(NULL, 0));
    ASSERT_NAN(tach__mad(NULL, 0));
    ASSERT_NAN(tach__geomean(NULL, 0));
    ASSERT_NAN(tach__quantile_sorted(NULL, 0, 0.5));
    ASSERT_NEAR(5, tach__mean(one, 1), 0);
    ASSERT_NAN(tach__stddev(one, 1)); /* np.std([5], ddof=1) -> nan */
    ASSERT_NEAR(5, tach__median(one, 1), 0);
    ASSERT_NEAR(0, tach__mad(one, 1), 0);
    ASSERT_NEAR(0, tach__stddev(eq, 4), 0);
    ASSERT_NEAR(0, tach__mad(eq, 4), 0);
    ASSERT_NEAR(3, tach__median(eq, 4), 0);
    /* numpy semantics: a statistic of data holding NaN is NaN */
    ASSERT_NAN(tach__mean(withnan, 3));
    ASSERT_NAN(tach__stddev(withnan, 3));
    ASSERT_NAN(tach__median(withnan, 3));
    ASSERT_NAN(tach__mad(withnan, 3));
    ASSERT_NAN(tach__geomean(withnan, 3));
    /* infinities: np.mean([1, inf, 2]) = inf, np.mean([inf, -inf]) = nan */
    double inf1[] = {1, INFINITY, 2}, inf2[] = {INFINITY, -INFINITY};
    ASSERT_TRUE(tach__mean(inf1, 3) == INFINITY);
    ASSERT_NAN(tach__mean(inf2, 2));
    ASSERT_TRUE(tach__median(inf1, 3) == 2);
    /* between two infinities the quantile is infinite, not inf - inf (NaN): every
     * resample of a rise from 0 ns gives +inf, and its CI lies above any threshold */
    double infs[] = {1, INFINITY, INFINITY, INFINITY};
    ASSERT_TRUE(tach__quantile_sorted(infs, 4, 0.5) == INFINITY);
    ASSERT_TRUE(tach__quantile_sorted(infs, 4, 0.975) == INFINITY);
    ASSERT_TRUE(tach__median(infs, 4) == INFINITY);
}

TEST(sort_is_ascending_with_nan_last_and_input_untouched)
{
    double x[] = {3, NAN, -1, 2, INFINITY, -INFINITY, 2};
    tach__sort(x, N(x));
    ASSERT_TRUE(x[0] == -INFINITY && x[1] == -1 && x[2] == 2 && x[3] == 2 && x[4] == 3 &&
                x[5] == INFINITY);
    ASSERT_NAN(x[6]);
    tach__sort(NULL, 0);
    double a[N(A)];
    memcpy(a, A, sizeof a);
    (void)tach__median(a, N(a));
    (void)tach__mad(a, N(a));
    ASSERT_TRUE(memcmp(a, A, sizeof a) == 0); /* median/mad copy before sorting */
}

TEST(quantile_type7_matches_numpy_linear)
{
    double s[N(A)];
    memcpy(s, A, sizeof s);
    tach__sort(s, N(s));
    /* np.quantile(A, p) */
    ASSERT_NEAR(1.9, tach__quantile_sorted(s, N(s), 0), 1e-14);
    ASSERT_NEAR(2.08, tach__quantile_sorted(s, N(s), 0.1), 1e-14);
    ASSERT_NEAR(2.925, tach__quantile_sorted(s, N(s), 0.25), 1e-14);
    ASSERT_NEAR(3.65, tach__quantile_sorted(s, N(s), 0.5), 1e-14);
    ASSERT_NEAR(5.749999999999999, tach__quantile_sorted(s, N(s), 0.9), 1e-13);
    ASSERT_NEAR(7.086499999999999, tach__quantile_sorted(s, N(s), 0.999), 1e-13);
    ASSERT_NEAR(7.1, tach__quantile_sorted(s, N(s), 1), 0);
    ASSERT_NAN(tach__quantile_sorted(s, N(s), -0.1));
    ASSERT_NAN(tach__quantile_sorted(s, N(s), 1.5));
    ASSERT_NAN(tach__quantile_sorted(s, N(s), NAN));
    double one[] = {4};
    ASSERT_NEAR(4, tach__quantile_sorted(one, 1, 0.73), 0);
}

TEST(median_and_mad)
{
    ASSERT_NEAR(3.65, tach__median(A, N(A)), 1e-14);               /* np.median(A) */
    ASSERT_NEAR(5.050000000000001, tach__median(B, N(B)), 1e-14);  /* np.median(B) */
    ASSERT_NEAR(3.0, tach__median(TX, N(TX)), 0);                  /* np.median(TX) */
    /* scipy.stats.median_abs_deviation(A) (scale=1.0, the default) */
    ASSERT_NEAR(0.8000000000000003, tach__mad(A, N(A)), 1e-14);
    ASSERT_NEAR(1.0, tach__mad(TY, N(TY)), 0); /* scipy.stats.median_abs_deviation(TY) */
}

TEST(geomean)
{
    double r[] = {1.1, 0.9, 1.25, 1.02};
    /* scipy.stats.gmean([1.1, 0.9, 1.25, 1.02]) */
    ASSERT_REL(1.059952356789889, tach__geomean(r, 4), 1e-14);
    double z[] = {1.1, 0}, neg[] = {2, -1};
    ASSERT_NAN(tach__geomean(z, 2));
    ASSERT_NAN(tach__geomean(neg, 2));
}

/* ---- distributions ------------------------------------------------------------ */

TEST(norm_cdf)
{
    /* scipy.stats.norm.cdf(z) */
    ASSERT_NEAR(0.0, tach__norm_cdf(-38), 1e-300);
    ASSERT_REL(5.2055697448902465e-17, tach__norm_cdf(-8.3), 1e-12);
    ASSERT_REL(0.0013498980316300933, tach__norm_cdf(-3), 1e-14);
    ASSERT_REL(0.06680720126885807, tach__norm_cdf(-1.5), 1e-14);
    ASSERT_NEAR(0.5, tach__norm_cdf(0), 0);
    ASSERT_REL(0.6914624612740131, tach__norm_cdf(0.5), 1e-15);
    ASSERT_REL(0.9772498680518208, tach__norm_cdf(2), 1e-15);
    ASSERT_NEAR(1.0, tach__norm_cdf(8.3), 1e-16);
    ASSERT_NAN(tach__norm_cdf(NAN));
}

TEST(norm_quantile)
{
    /* scipy.stats.norm.ppf(p) */
    ASSERT_REL(-37.0470962993612, tach__norm_quantile(1e-300), 1e-13);
    ASSERT_REL(-6.361340902404056, tach__norm_quantile(1e-10), 1e-14);
    ASSERT_REL(-3.090232306167813, tach__norm_quantile(0.001), 1e-14);
    ASSERT_REL(-1.9599639845400545, tach__norm_quantile(0.025), 1e-14);
    ASSERT_REL(-0.5244005127080409, tach__norm_quantile(0.3), 1e-14);
    ASSERT_NEAR(0.0, tach__norm_quantile(0.5), 1e-16);
    ASSERT_REL(1.959963984540054, tach__norm_quantile(0.975), 1e-14);
    ASSERT_REL(4.753424308817087, tach__norm_quantile(0.999999), 1e-9); /* 1 - 1e-6 is inexact */
    ASSERT_REL(7.0344869100478356, tach__norm_quantile(1 - 1e-12), 1e-6);
    ASSERT_TRUE(tach__norm_quantile(0) == -INFINITY);
    ASSERT_TRUE(tach__norm_quantile(1) == INFINITY);
    ASSERT_NAN(tach__norm_quantile(-0.1));
    ASSERT_NAN(tach__norm_quantile(1.1));
    ASSERT_NAN(tach__norm_quantile(NAN));
    /* Round trip over the whole range: Phi(Phi^-1(p)) == p. */
    for (double p = 0.0005; p < 1; p += 0.0005)
        ASSERT_REL(p, tach__norm_cdf(tach__norm_quantile(p)), 1e-13);
}

TEST(t_cdf)
{
    /* scipy.stats.t.cdf(t, df) */
    ASSERT_REL(0.6475836176504333, tach__t_cdf(0.5, 1), 1e-13);
    ASSERT_REL(0.06966298427942155, tach__t_cdf(-2, 3), 1e-13);
    ASSERT_REL(0.9847868636794557, tach__t_cdf(2.5, 10.5), 1e-13);
    /* huge df: the continued fraction's rounding leaves ~1e-12 relative error here
     * (mpmath.betainc at 40 digits agrees with scipy's value to 1e-17) */
    ASSERT_REL(0.9750019662073651, tach__t_cdf(1.96, 1e6), 1e-11);
    /* mpmath 1.3.0, mp.dps = 40: 1 - betainc(df/2, 1/2, 0, df/(df+t^2), regularized=True)/2
     * for t = 2, df = 1e12 -> 0.97724986805168582 (normal regime) */
    ASSERT_REL(0.97724986805168582, tach__t_cdf(2, 1e12), 1e-11);
    /* and t = -5, df = 1e8 -> betainc(...)/2 = 2.866520550633643e-7 */
    ASSERT_REL(2.866520550633643e-7, tach__t_cdf(-5, 1e8), 1e-9);
    ASSERT_REL(0.022573995491990916, tach__t_cdf(-4, 2.3), 1e-12);
    ASSERT_REL(0.9999999999771237, tach__t_cdf(10, 30), 1e-15);
    ASSERT_REL(3.6764280488306617e-06, tach__t_cdf(-30, 4), 1e-11);
    ASSERT_NEAR(0.5, tach__t_cdf(0, 7), 1e-15);
    ASSERT_REL(0.5775704239347546, tach__t_cdf(0.3, 0.5), 1e-12);
    ASSERT_REL(0.9985136689544112, tach__t_cdf(3, 250), 1e-13);
    ASSERT_NEAR(1, tach__t_cdf(INFINITY, 3), 0);
    ASSERT_NEAR(0, tach__t_cdf(-INFINITY, 3), 0);
    ASSERT_NAN(tach__t_cdf(1, 0));
    ASSERT_NAN(tach__t_cdf(1, -2));
    ASSERT_NAN(tach__t_cdf(NAN, 3));
}

/* ---- tests ----------------------------------------------------------------------- */

TEST(welch_t_test)
{
    double t, df, p;
    /* scipy.stats.ttest_ind(A, B, equal_var=False) -> statistic, pvalue; df by the
     * Welch-Satterthwaite formula in numpy (scipy 1.10 does not return it) */
    ASSERT_EQ(0, tach__welch_t(A, N(A), B, N(B), &t, &df, &p));
    ASSERT_REL(-1.898231315761564, t, 1e-13);
    ASSERT_REL(15.764602383484577, df, 1e-13);
    ASSERT_REL(0.07612975956906945, p, 1e-12);
    ASSERT_EQ(0, tach__welch_t(TX, N(TX), TY, N(TY), &t, &df, &p));
    ASSERT_REL(-2.401956979107648, t, 1e-13);
    ASSERT_REL(12.9999920990954, df, 1e-13);
    ASSERT_REL(0.03196769713550985, p, 1e-12);
    double s1[] = {1, 2}, s2[] = {3, 5, 4};
    ASSERT_EQ(0, tach__welch_t(s1, 2, s2, 3, &t, &df, &p));
    ASSERT_REL(-3.273268353539886, t, 1e-13);
    ASSERT_REL(2.8823529411764697, df, 1e-13);
    ASSERT_REL(0.049416256862577515, p, 1e-12);
    /* undefined: fewer than two values on a side, or no variance at all */
    double one[] = {1}, c1[] = {2, 2, 2}, c2[] = {2, 2};
    ASSERT_EQ(0, tach__welch_t(one, 1, s2, 3, &t, &df, &p));
    ASSERT_NAN(p);
    ASSERT_EQ(0, tach__welch_t(c1, 3, c2, 2, &t, &df, &p));
    ASSERT_NAN(p);
    ASSERT_NAN(t);
    double withnan[] = {1, NAN, 3};
    ASSERT_EQ(0, tach__welch_t(withnan, 3, s2, 3, &t, &df, &p));
    ASSERT_NAN(p);
}

TEST(mann_whitney_matches_scipy_asymptotic)
{
    double u, p;
    /* scipy.stats.mannwhitneyu(x, y, alternative="two-sided", method="asymptotic",
     *                          use_continuity=True) -> statistic (U of x), pvalue */
    ASSERT_EQ(0, tach__mann_whitney(A, N(A), B, N(B), &u, &p));
    ASSERT_NEAR(19.0, u, 1e-12);
    ASSERT_REL(0.06853501781363178, p, 1e-12);
    ASSERT_EQ(0, tach__mann_whitney(B, N(B), A, N(A), &u, &p)); /* (B, A) */
    ASSERT_NEAR(61.0, u, 1e-12);
    ASSERT_REL(0.06853501781363178, p, 1e-12);
    ASSERT_EQ(0, tach__mann_whitney(TX, N(TX), TY, N(TY), &u, &p)); /* ties */
    ASSERT_NEAR(11.0, u, 1e-12);
    ASSERT_REL(0.049238967838553395, p, 1e-12);
    ASSERT_EQ(0, tach__mann_whitney(LX, N(LX), LY, N(LY), &u, &p)); /* many ties */
    ASSERT_NEAR(673.0, u, 1e-12);
    ASSERT_REL(0.044116205041049246, p, 1e-12);
}

TEST(mann_whitney_smallest_p)
{
    /* two samples apart give the test's smallest p: (2, 3) is mwu([1,2], [3,4,5]) of
     * scipy (the reference in the next test); the others the same formula in Python's
     * math.erfc: z = (n1 n2 / 2 - 0.5) / sqrt(n1 n2 (n1 + n2 + 1) / 12), p = erfc(z / sqrt 2) */
    ASSERT_REL(0.14891467317876572, tach__mann_whitney_min_p(2, 3), 1e-12);
    ASSERT_REL(0.24527811680677286, tach__mann_whitney_min_p(2, 2), 1e-12);
    ASSERT_REL(0.0808555983700523, tach__mann_whitney_min_p(3, 3), 1e-12);
    ASSERT_REL(0.03038282197657751, tach__mann_whitney_min_p(4, 4), 1e-12);
    ASSERT_NEAR(1.0, tach__mann_whitney_min_p(1, 1), 0); /* clipped, as scipy */
    ASSERT_NAN(tach__mann_whitney_min_p(0, 3));
    double x[] = {1, 2, 3}, y[] = {4, 5, 6}, u, p;
    ASSERT_EQ(0, tach__mann_whitney(x, 3, y, 3, &u, &p));
    ASSERT_REL(p, tach__mann_whitney_min_p(3, 3), 1e-12); /* the test's own value */
}

TEST(mann_whitney_small_samples_and_edges)
{
    double u, p;
    double one_a[] = {1}, one_b[] = {2};
    ASSERT_EQ(0, tach__mann_whitney(one_a, 1, one_b, 1, &u, &p)); /* mwu([1], [2]) */
    ASSERT_NEAR(0.0, u, 0);
    ASSERT_NEAR(1.0, p, 0); /* scipy clips p to 1 */
    double x2[] = {1, 2}, y3[] = {3, 4, 5};
    ASSERT_EQ(0, tach__mann_whitney(x2, 2, y3, 3, &u, &p)); /* mwu([1,2], [3,4,5]) */
    ASSERT_NEAR(0.0, u, 0);
    ASSERT_REL(0.14891467317876572, p, 1e-12);
    double t1[] = {1, 1, 2}, t2[] = {1, 2, 2};
    ASSERT_EQ(0, tach__mann_whitney(t1, 3, t2, 3, &u, &p)); /* mwu([1,1,2], [1,2,2]) */
    ASSERT_NEAR(3.0, u, 0);
    ASSERT_REL(0.6192567541768621, p, 1e-12);
    /* undefined: an empty side, all values tied, NaN */
    ASSERT_EQ(0, tach__mann_whitney(x2, 0, y3, 3, &u, &p));
    ASSERT_NAN(p);
    ASSERT_NAN(u);
    double c[] = {7, 7, 7};
    ASSERT_EQ(0, tach__mann_whitney(c, 3, c, 2, &u, &p));
    ASSERT_NAN(p);
    ASSERT_NEAR(3.0, u, 0); /* U is still defined: half of the 3*2 pairs */
    double withnan[] = {1, NAN};
    ASSERT_EQ(0, tach__mann_whitney(withnan, 2, y3, 3, &u, &p));
    ASSERT_NAN(p);
}

/* Larger samples from tach's own generator, rebuilt in stats_reference.py with the
 * same xoshiro256** stream: GX = 300 values floor((100 + 10u)*10 + 0.5)/10 from seed
 * 2026, GY = the next 250 with 101 in place of 100 (rounding to 0.1 -> many ties;
 * 110 distinct values in 550). */
static void make_gx_gy(double *gx, double *gy)
{
    tach__rng r;
    tach__rng_seed(&r, 2026);
    for (int i = 0; i < 300; i++) gx[i] = floor((100 + 10 * tach__rng_double(&r)) * 10 + 0.5) / 10;
    for (int i = 0; i < 250; i++) gy[i] = floor((101 + 10 * tach__rng_double(&r)) * 10 + 0.5) / 10;
}

TEST(tests_and_estimates_on_larger_tied_samples)
{
    static double gx[300], gy[250];
    make_gx_gy(gx, gy);
    double u, p, t, df;
    /* scipy.stats.mannwhitneyu(GX, GY, alternative="two-sided", method="asymptotic") */
    ASSERT_EQ(0, tach__mann_whitney(gx, 300, gy, 250, &u, &p));
    ASSERT_NEAR(33408.0, u, 1e-9);
    ASSERT_REL(0.027457390665042776, p, 1e-11);
    /* scipy.stats.ttest_ind(GX, GY, equal_var=False); df by Welch-Satterthwaite */
    ASSERT_EQ(0, tach__welch_t(gx, 300, gy, 250, &t, &df, &p));
    ASSERT_REL(-2.4379036340415534, t, 1e-12);
    ASSERT_REL(535.0618344176235, df, 1e-12);
    ASSERT_REL(0.01509717767593968, p, 1e-11);
    /* np.mean(GX), np.std(GX, ddof=1), np.median(GY), median_abs_deviation(GY),
     * np.quantile(GY, 0.99) */
    ASSERT_REL(105.12733333333333, tach__mean(gx, 300), 1e-14);
    ASSERT_REL(2.9025509865727424, tach__stddev(gx, 300), 1e-13);
    ASSERT_NEAR(105.7, tach__median(gy, 250), 1e-12);
    ASSERT_NEAR(2.3999999999999915, tach__mad(gy, 250), 1e-12);
    tach__sort(gy, 250);
    ASSERT_NEAR(110.95100000000001, tach__quantile_sorted(gy, 250, 0.99), 1e-12);
}

TEST(benjamini_hochberg)
{
    /* By hand in python (scipy 1.10 has no false_discovery_control): the statsmodels
     * multipletests(method="fdr_bh") procedure -- order = argsort(P, kind="mergesort");
     * q = P[order]*m/arange(1,m+1); running minimum from the top; cap at 1; back to
     * input order.  P = [0.01, 0.04, 0.03, 0.005, 0.5, 0.04, 0.2, 0.9] */
    double p[] = {0.01, 0.04, 0.03, 0.005, 0.5, 0.04, 0.2, 0.9};
    double want[] = {0.04, 0.064, 0.064, 0.04, 0.5714285714285714, 0.064,
                     0.26666666666666666, 0.9};
    double q[8];
    tach__benjamini_hochberg(p, 8, q);
    for (int i = 0; i < 8; i++) ASSERT_REL(want[i], q[i], 1e-14);
    /* in place (p_adj aliases p) */
    tach__benjamini_hochberg(p, 8, p);
    for (int i = 0; i < 8; i++) ASSERT_REL(want[i], p[i], 1e-14);
    /* NaN stays NaN and is not counted: same answer as without it (m = 8, not 9) */
    double pn[] = {0.01, 0.04, NAN, 0.03, 0.005, 0.5, 0.04, 0.2, 0.9}, qn[9];
    tach__benjamini_hochberg(pn, 9, qn);
    ASSERT_NAN(qn[2]);
    ASSERT_REL(want[0], qn[0], 1e-14);
    ASSERT_REL(want[2], qn[3], 1e-14);
    ASSERT_REL(want[7], qn[8], 1e-14);
    /* capped at 1; m = 0 is a no-op */
    double big[] = {0.9, 0.95}, qb[2];
    tach__benjamini_hochberg(big, 2, qb);
    ASSERT_NEAR(0.95, qb[0], 1e-15);
    ASSERT_NEAR(0.95, qb[1], 1e-15);
    tach__benjamini_hochberg(NULL, 0, NULL);
}

/* ---- confidence intervals ------------------------------------------------------- */

TEST(bootstrap_mean_and_median_match_scipy_percentile)
{
    tach__ci ci;
    /* scipy.stats.bootstrap((A,), np.mean, n_resamples=200000, confidence_level=0.95,
     * method="percentile", random_state=12345).confidence_interval -> (2.98, 4.83).
     * Two Monte-Carlo approximations of the same ideal interval: agree within a few
     * hundredths (the interval is 1.85 wide). */
    ASSERT_EQ(0, tach__bootstrap_mean(A, N(A), 20000, 0.95, 1, &ci));
    ASSERT_NEAR(3.85, ci.value, 1e-14);
    ASSERT_NEAR(2.98, ci.lo, 0.04);
    ASSERT_NEAR(4.83, ci.hi, 0.04);
    /* same with np.median -> (2.7, 4.8); the bootstrap distribution of a median of
     * 10 values is discrete (midpoints of order statistics), so allow one step */
    ASSERT_EQ(0, tach__bootstrap_median(A, N(A), 20000, 0.95, 1, &ci));
    ASSERT_NEAR(3.65, ci.value, 1e-14);
    ASSERT_NEAR(2.7, ci.lo, 0.11);
    ASSERT_NEAR(4.8, ci.hi, 0.11);
}

TEST(bootstrap_ratio_matches_scipy_percentile)
{
    tach__ci ci;
    /* scipy.stats.bootstrap((A, B), lambda x, y, axis=-1: np.median(y, axis=axis) /
     * np.median(x, axis=axis) - 1, n_resamples=200000, confidence_level=0.95,
     * method="percentile", random_state=12345, paired=False) -> (0.0119047619, 1.0);
     * the point value is np.median(B)/np.median(A) - 1 = 0.3835616438356166 */
    ASSERT_EQ(0, tach__bootstrap_ratio(A, N(A), B, N(B), 20000, 0.95, 3, &ci));
    ASSERT_REL(0.38356164383561664, ci.value, 1e-13);
    ASSERT_NEAR(0.0119047619047619, ci.lo, 0.03);
    ASSERT_NEAR(1.0, ci.hi, 0.05);
    /* identical samples: the point change is 0 and the CI straddles it */
    ASSERT_EQ(0, tach__bootstrap_ratio(A, N(A), A, N(A), 5000, 0.95, 3, &ci));
    ASSERT_NEAR(0, ci.value, 0);
    ASSERT_TRUE(ci.lo < 0 && ci.hi > 0);
    /* a clear 2x slowdown: the whole CI near +100% */
    double slow[N(A)];
    for (size_t i = 0; i < N(A); i++) slow[i] = 2 * A[i];
    ASSERT_EQ(0, tach__bootstrap_ratio(A, N(A), slow, N(A), 5000, 0.95, 3, &ci));
    ASSERT_NEAR(1.0, ci.value, 1e-14);
    ASSERT_TRUE(ci.lo > 0.3);
    /* empty sides */
    ASSERT_EQ(0, tach__bootstrap_ratio(A, 0, B, N(B), 100, 0.95, 3, &ci));
    ASSERT_NAN(ci.value);
    ASSERT_NAN(ci.lo);
}

TEST(bootstrap_is_deterministic_for_a_seed)
{
    tach__ci a, b, c;
    ASSERT_EQ(0, tach__bootstrap_mean(LX, N(LX), 2000, 0.95, 77, &a));
    ASSERT_EQ(0, tach__bootstrap_mean(LX, N(LX), 2000, 0.95, 77, &b));
    ASSERT_TRUE(a.lo == b.lo && a.hi == b.hi && a.value == b.value);
    ASSERT_EQ(0, tach__bootstrap_mean(LX, N(LX), 2000, 0.95, 78, &c));
    ASSERT_TRUE(c.lo != a.lo || c.hi != a.hi);

    /* The median's bootstrap distribution is discrete (for B, n=8, ten seeds all give
     * the same interval), so use 200 distinct values, whose percentiles fall between
     * distinct atoms: another seed then moves a bound almost surely. */
    double d[200];
    for (int i = 0; i < 200; i++) d[i] = 100 + 10 * sin(i * 0.731) + 0.01 * i;
    ASSERT_EQ(0, tach__bootstrap_median(d, 200, 2000, 0.95, 5, &a));
    ASSERT_EQ(0, tach__bootstrap_median(d, 200, 2000, 0.95, 5, &b));
    ASSERT_TRUE(a.lo == b.lo && a.hi == b.hi);
    ASSERT_EQ(0, tach__bootstrap_median(d, 200, 2000, 0.95, 6, &c));
    ASSERT_TRUE(c.lo != a.lo || c.hi != a.hi);

    ASSERT_EQ(0, tach__bootstrap_ratio(LX, N(LX), LY, N(LY), 2000, 0.95, 9, &a));
    ASSERT_EQ(0, tach__bootstrap_ratio(LX, N(LX), LY, N(LY), 2000, 0.95, 9, &b));
    ASSERT_TRUE(a.lo == b.lo && a.hi == b.hi);
}

TEST(bootstrap_edge_cases)
{
    tach__ci ci;
    ASSERT_EQ(0, tach__bootstrap_mean(NULL, 0, 100, 0.95, 1, &ci));
    ASSERT_NAN(ci.value);
    ASSERT_NAN(ci.lo);
    ASSERT_NAN(ci.hi);
    ASSERT_EQ(0, tach__bootstrap_median(NULL, 0, 100, 0.95, 1, &ci));
    ASSERT_NAN(ci.value);
    double one[] = {4.5};
    /* one value: the estimate, but no interval (docs/results-format.md: null) */
    ASSERT_EQ(0, tach__bootstrap_mean(one, 1, 100, 0.95, 1, &ci));
    ASSERT_TRUE(ci.value == 4.5);
    ASSERT_NAN(ci.lo);
    ASSERT_NAN(ci.hi);
    ASSERT_EQ(0, tach__bootstrap_median(one, 1, 100, 0.95, 1, &ci));
    ASSERT_TRUE(ci.value == 4.5);
    ASSERT_NAN(ci.lo);
    ASSERT_NAN(ci.hi);
    double eq[] = {2, 2, 2, 2, 2};
    ASSERT_EQ(0, tach__bootstrap_median(eq, 5, 100, 0.95, 1, &ci));
    ASSERT_TRUE(ci.value == 2 && ci.lo == 2 && ci.hi == 2);
    ASSERT_EQ(0, tach__bootstrap_mean(eq, 5, 100, 0.95, 1, &ci));
    ASSERT_NEAR(2, ci.lo, 1e-15);
    ASSERT_NEAR(2, ci.hi, 1e-15);
    double withnan[] = {1, NAN, 2};
    ASSERT_EQ(0, tach__bootstrap_mean(withnan, 3, 100, 0.95, 1, &ci));
    ASSERT_NAN(ci.value);
    ASSERT_NAN(ci.lo);
    ASSERT_EQ(0, tach__bootstrap_median(withnan, 3, 100, 0.95, 1, &ci));
    ASSERT_NAN(ci.hi);
    /* no resamples or a level outside (0, 1): the estimate without an interval */
    ASSERT_EQ(0, tach__bootstrap_mean(A, N(A), 0, 0.95, 1, &ci));
    ASSERT_NEAR(3.85, ci.value, 1e-14);
    ASSERT_NAN(ci.lo);
    ASSERT_EQ(0, tach__bootstrap_median(A, N(A), 100, 1.5, 1, &ci));
    ASSERT_NAN(ci.hi);
    /* a wider level gives a wider interval (same seed) */
    tach__ci c90, c99;
    ASSERT_EQ(0, tach__bootstrap_mean(A, N(A), 5000, 0.90, 1, &c90));
    ASSERT_EQ(0, tach__bootstrap_mean(A, N(A), 5000, 0.99, 1, &c99));
    ASSERT_TRUE(c99.lo < c90.lo && c99.hi > c90.hi);
}

TEST(median_ci_fast_order_statistics)
{
    tach__ci ci;
    /* python (stats_reference.py median_ci_fast): s = np.sort(x); z = norm.ppf(0.975);
     * lo = s[floor((n - z*sqrt(n))/2) - 1], hi = s[ceil(1 + (n + z*sqrt(n))/2) - 1],
     * ranks clamped to [1, n].  A -> ranks (1, 10): (1.9, 7.1) */
    ASSERT_EQ(0, tach__median_ci_fast(A, N(A), 0.95, &ci));
    ASSERT_NEAR(3.65, ci.value, 1e-14);
    ASSERT_NEAR(1.9, ci.lo, 0);
    ASSERT_NEAR(7.1, ci.hi, 0);
    /* LX (n=40) -> ranks (13, 28): (9.0, 12.0) */
    ASSERT_EQ(0, tach__median_ci_fast(LX, N(LX), 0.95, &ci));
    ASSERT_NEAR(9.0, ci.lo, 0);
    ASSERT_NEAR(12.0, ci.hi, 0);
    /* 0..n-1: the bounds ARE the 0-based ranks minus one; n=1000 -> ranks (469, 532),
     * exact binomial coverage 0.9537 (scipy.stats.binom.cdf(531, 1000, .5) -
     * binom.cdf(468, 1000, .5)); n=50 -> (18, 33), coverage 0.9672 */
    static double seq[1000];
    for (int i = 0; i < 1000; i++) seq[999 - i] = i; /* unsorted input */
    ASSERT_EQ(0, tach__median_ci_fast(seq, 1000, 0.95, &ci));
    ASSERT_NEAR(468, ci.lo, 0);
    ASSERT_NEAR(531, ci.hi, 0);
    ASSERT_NEAR(999, seq[0], 0); /* input untouched */
    double s50[50];
    for (int i = 0; i < 50; i++) s50[i] = i;
    ASSERT_EQ(0, tach__median_ci_fast(s50, 50, 0.95, &ci));
    ASSERT_NEAR(17, ci.lo, 0);
    ASSERT_NEAR(32, ci.hi, 0);
    /* Exact coverage P(lo <= B < hi), B ~ Binomial(n, 1/2) the count below the true
     * median, for the 1-based ranks [lo, hi]: at least 95% for every n from 6 (python:
     * binom.cdf(hi - 1, n, .5) - binom.cdf(lo - 1, n, .5); n = 6 -> ranks (1, 6),
     * 0.96875); below 6 the whole range would cover 1 - 2^(1-n) only (0.9375 at n = 5),
     * so there is no interval: lo = hi = NaN, and no precision stop can come of it
     * (docs/statistics.md) */
    static double seq_n[400];
    for (int n = 2; n <= 400; n++) {
        for (int i = 0; i < n; i++) seq_n[i] = i;
        ASSERT_EQ(0, tach__median_ci_fast(seq_n, (size_t)n, 0.95, &ci));
        if (n < 6) {
            ASSERT_TRUE(isnan(ci.lo) && isnan(ci.hi) && ci.value == (n - 1) / 2.0);
            continue;
        }
        int lo = (int)ci.lo + 1, hi = (int)ci.hi + 1;
        double cover = 0;
        for (int b = lo; b < hi; b++)
            cover += exp(lgamma(n + 1.0) - lgamma(b + 1.0) - lgamma(n - b + 1.0) - n * log(2.0));
        ASSERT_TRUE(cover >= 0.95);
        if (n == 6) ASSERT_NEAR(0.96875, cover, 1e-12);
    }
    /* edges */
    ASSERT_EQ(0, tach__median_ci_fast(NULL, 0, 0.95, &ci));
    ASSERT_NAN(ci.value);
    double one[] = {3};
    ASSERT_EQ(0, tach__median_ci_fast(one, 1, 0.95, &ci));
    ASSERT_TRUE(ci.value == 3 && isnan(ci.lo) && isnan(ci.hi));
    /* a lower level is reached sooner: at 90%, 5 values (coverage 0.9375) give the range */
    double five[] = {5, 1, 4, 2, 3};
    ASSERT_EQ(0, tach__median_ci_fast(five, 5, 0.90, &ci));
    ASSERT_TRUE(ci.lo == 1 && ci.hi == 5);
    double withnan[] = {1, 2, NAN};
    ASSERT_EQ(0, tach__median_ci_fast(withnan, 3, 0.95, &ci));
    ASSERT_NAN(ci.value);
}

/* ---- outliers and the summary ---------------------------------------------------- */

static const double T[] = {10, 11, 12, 12, 13, 13, 13, 14, 14, 15, 16, 30, 2, -20, 21, 19.5};

TEST(tukey_fences)
{
    tach__outliers o;
    /* q1, q3 = np.quantile(T, [0.25, 0.75]) = 11.75, 15.25 (IQR 3.5): -20 is below
     * q1 - 3 IQR (severe), 2 below q1 - 1.5 IQR (mild), 21 above q3 + 1.5 IQR (mild),
     * 30 above q3 + 3 IQR (severe); 19.5 is inside.  Counted in numpy with the same
     * masks (stats_reference.py). */
    tach__tukey(T, N(T), &o);
    ASSERT_NEAR(11.75, o.q1, 1e-14);
    ASSERT_NEAR(15.25, o.q3, 1e-14);
    ASSERT_EQ(1, o.low_severe);
    ASSERT_EQ(1, o.low_mild);
    ASSERT_EQ(1, o.high_mild);
    ASSERT_EQ(1, o.high_severe);
    tach__tukey(NULL, 0, &o);
    ASSERT_EQ(0, o.low_severe + o.low_mild + o.high_mild + o.high_severe);
    ASSERT_NAN(o.q1);
    double eq[] = {5, 5, 5, 5};
    tach__tukey(eq, 4, &o);
    ASSERT_EQ(0, o.low_severe + o.low_mild + o.high_mild + o.high_severe);
}

TEST(summarize_fills_every_field)
{
    tach__summary s;
    ASSERT_EQ(0, tach__summarize(T, N(T), 2000, 11, &s));
    ASSERT_EQ(N(T), s.n);
    double sorted[N(T)];
    memcpy(sorted, T, sizeof sorted);
    tach__sort(sorted, N(T));
    ASSERT_NEAR(tach__mean(T, N(T)), s.mean.value, 0);
    ASSERT_NEAR(13.0, s.median.value, 0); /* np.median(T) */
    ASSERT_NEAR(tach__stddev(T, N(T)), s.stddev, 0);
    ASSERT_NEAR(s.stddev / s.mean.value, s.cv, 1e-15);
    ASSERT_NEAR(tach__mad(T, N(T)), s.mad, 0);
    ASSERT_NEAR(-20, s.min, 0);
    ASSERT_NEAR(30, s.max, 0);
    ASSERT_NEAR(13.0, s.p50, 0);
    ASSERT_NEAR(11.75, s.p25, 1e-14);
    ASSERT_NEAR(15.25, s.p75, 1e-14);
    /* np.quantile(T, [0.01, 0.99, 0.999]) = -16.7, 28.65, 29.864999999999995 */
    ASSERT_NEAR(-16.7, s.p1, 1e-12);
    ASSERT_NEAR(28.65, s.p99, 1e-12);
    ASSERT_NEAR(29.864999999999995, s.p999, 1e-12);
    ASSERT_TRUE(s.p1 <= s.p5 && s.p5 <= s.p10 && s.p10 <= s.p25 && s.p75 <= s.p90 &&
                s.p90 <= s.p95 && s.p95 <= s.p99);
    ASSERT_TRUE(s.mean.lo < s.mean.value && s.mean.value < s.mean.hi);
    ASSERT_TRUE(s.median.lo <= s.median.value && s.median.value <= s.median.hi);
    ASSERT_EQ(1, s.outliers.high_severe);
    ASSERT_EQ(1, s.outliers.low_severe);

    /* n = 1: estimates are the value, CIs and spreads undefined (or zero: MAD) */
    double one[] = {42};
    ASSERT_EQ(0, tach__summarize(one, 1, 100, 11, &s));
    ASSERT_EQ(1, s.n);
    ASSERT_TRUE(s.mean.value == 42 && s.median.value == 42 && s.p99 == 42 && s.min == 42);
    ASSERT_NAN(s.mean.lo);
    ASSERT_NAN(s.median.hi);
    ASSERT_NAN(s.stddev);
    ASSERT_NAN(s.cv);
    ASSERT_NEAR(0, s.mad, 0);
    /* n = 0: all NaN, no crash */
    ASSERT_EQ(0, tach__summarize(NULL, 0, 100, 11, &s));
    ASSERT_EQ(0, s.n);
    ASSERT_NAN(s.mean.value);
    ASSERT_NAN(s.p50);
}
TEST_MAIN()
