/* test_bootstrap_coverage.c - do the 95% intervals cover the truth ~95% of the time?
 *
 * 1,000 trials of n = 50 seeded synthetic samples whose true mean and median are
 * known; each trial's interval is computed with its own seed.  The data and the
 * resampling are deterministic, so the measured rates are the same on every run:
 * the bands below are what a correct 95% interval gives (the binomial sd of a rate
 * over 1,000 trials is 0.7%), and an interval of the wrong level or a biased
 * resampler falls outside them.  The rates are printed. */
#include "tach_internal.h"
#include "test.h"

#define TRIALS 1000
#define N 50
#define RESAMPLES 2000

static double gauss(tach__rng *r)
{
    double u1 = tach__rng_double(r), u2 = tach__rng_double(r);
    return sqrt(-2 * log(1 - u1)) * cos(2 * M_PI * u2);
}

typedef enum { NORMAL, LOGNORMAL } dist;

/* N(1000, 50^2), or lognormal: exp(N(0, 0.5^2)) (mean e^0.125, median 1). */
static void draw(double *x, dist d, uint64_t seed)
{
    tach__rng r;
    tach__rng_seed(&r, seed);
    for (int i = 0; i < N; i++)
        x[i] = d == NORMAL ? 1000 + 50 * gauss(&r) : exp(0.5 * gauss(&r));
}

typedef enum { BOOT_MEAN, BOOT_MEDIAN, FAST_MEDIAN } method;

static double coverage(dist d, method m, double truth)
{
    double x[N];
    int covered = 0;
    for (uint64_t t = 0; t < TRIALS; t++) {
        /* different seeds per distribution: medians are equivariant under the
         * monotone exp(), so shared draws would repeat the normal trials exactly */
        draw(x, d, (d == NORMAL ? 0x5eed0000u : 0x10900000u) + t);
        tach__ci ci;
        int rc = m == BOOT_MEAN     ? tach__bootstrap_mean(x, N, RESAMPLES, 0.95, t, &ci)
                 : m == BOOT_MEDIAN ? tach__bootstrap_median(x, N, RESAMPLES, 0.95, t, &ci)
                                    : tach__median_ci_fast(x, N, 0.95, &ci);
        if (rc != 0) return -1;
        covered += ci.lo <= truth && truth <= ci.hi;
    }
    return (double)covered / TRIALS;
}

TEST(mean_ci_covers_the_true_mean_of_normal_data)
{
    double c = coverage(NORMAL, BOOT_MEAN, 1000);
    printf("  bootstrap mean, normal n=%d: %.1f%% of %d trials\n", N, 100 * c, TRIALS);
    /* The percentile bootstrap of a mean is slightly narrow at n = 50 (it uses the
     * n-divisor spread and z rather than t): expect ~94%. */
    ASSERT_TRUE(c >= 0.92 && c <= 0.975);
}

TEST(median_ci_covers_the_true_median_of_normal_data)
{
    double c = coverage(NORMAL, BOOT_MEDIAN, 1000);
    printf("  bootstrap median, normal n=%d: %.1f%% of %d trials\n", N, 100 * c, TRIALS);
    ASSERT_TRUE(c >= 0.92 && c <= 0.975);
}

TEST(median_ci_covers_the_true_median_of_skewed_data)
{
    /* Timing data is right-skewed; the median's interval does not care. */
    double c = coverage(LOGNORMAL, BOOT_MEDIAN, 1);
    printf("  bootstrap median, lognormal n=%d: %.1f%% of %d trials\n", N, 100 * c, TRIALS);
    ASSERT_TRUE(c >= 0.92 && c <= 0.975);
}

TEST(mean_ci_on_skewed_data_is_close_to_nominal)
{
    /* The percentile bootstrap of a mean under-covers for skewed data at small n
     * (a known property: 94.1% with these seeds, 92.8% with another seed set).  The
     * band is wider below on purpose. */
    double c = coverage(LOGNORMAL, BOOT_MEAN, exp(0.125));
    printf("  bootstrap mean, lognormal n=%d: %.1f%% of %d trials\n", N, 100 * c, TRIALS);
    ASSERT_TRUE(c >= 0.90 && c <= 0.975);
}

TEST(fast_median_ci_covers_at_least_nominally)
{
    /* Order statistics (18, 33) of 50: exact coverage 96.7% for any continuous
     * distribution (scipy.stats.binom.cdf(32, 50, .5) - binom.cdf(17, 50, .5)). */
    double c = coverage(NORMAL, FAST_MEDIAN, 1000);
    printf("  order-statistic median CI, normal n=%d: %.1f%% of %d trials\n", N, 100 * c,
           TRIALS);
    ASSERT_TRUE(c >= 0.945 && c <= 0.985);
    c = coverage(LOGNORMAL, FAST_MEDIAN, 1);
    printf("  order-statistic median CI, lognormal n=%d: %.1f%% of %d trials\n", N, 100 * c,
           TRIALS);
    ASSERT_TRUE(c >= 0.945 && c <= 0.985);
}

TEST(ratio_ci_covers_the_true_relative_change)
{
    /* BASE lognormal median 1, NEW the same distribution times 1.03: the true change
     * of the medians is +3%.  tach compare's verdicts rest on this interval. */
    double x[N], y[N];
    int covered = 0, excludes_zero = 0;
    for (uint64_t t = 0; t < TRIALS; t++) {
        draw(x, LOGNORMAL, 0x7a700000u + t);
        draw(y, LOGNORMAL, 0x7b700000u + t);
        for (int i = 0; i < N; i++) y[i] *= 1.03;
        tach__ci ci;
        ASSERT_EQ(0, tach__bootstrap_ratio(x, N, y, N, RESAMPLES, 0.95, t, &ci));
        covered += ci.lo <= 0.03 && 0.03 <= ci.hi;
        excludes_zero += ci.lo > 0 || ci.hi < 0;
    }
    printf("  bootstrap ratio of medians, lognormal n=%d+%d: covers +3%% in %.1f%%, "
           "excludes 0 in %.1f%% of %d trials\n",
           N, N, 100.0 * covered / TRIALS, 100.0 * excludes_zero / TRIALS, TRIALS);
    ASSERT_TRUE(covered >= 920 && covered <= 975);
}

TEST_MAIN()
