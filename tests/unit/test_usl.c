/* test_usl.c - the Universal Scalability Law fit (src/core/usl.c) on synthetic sweeps,
 * and the thread sweeps a document's results make (src/core/scaling.c).
 *
 * Throughputs follow the law exactly, each sample multiplied by lognormal noise (sigma
 * 3%), seeded: no timing, the same numbers on every run. */
#include "tach_internal.h"
#include "test.h"
#include "scaling.h"
#include "usl.h"

static double gauss(tach__rng *r)
{
    double u1 = tach__rng_double(r), u2 = tach__rng_double(r);
    return sqrt(-2 * log(1 - u1)) * cos(2 * M_PI * u2);
}

#define NP 8
#define NS 20
static const double sweep[NP] = {1, 2, 4, 8, 16, 32, 48, 64};

static void synth(double alpha, double beta, double sigma, uint64_t seed, double s[NP][NS],
                  tach__usl_point *pts)
{
    tach__rng r;
    tach__rng_seed(&r, seed);
    for (int i = 0; i < NP; i++) {
        double x = tach__usl_model(1e6, alpha, beta, sweep[i]);
        for (int k = 0; k < NS; k++) s[i][k] = x * exp(sigma * gauss(&r));
        pts[i] = (tach__usl_point){sweep[i], s[i], NS};
    }
}

TEST(exact_law_gives_exact_coefficients_and_peak)
{
    double s[NP][NS];
    tach__usl_point pts[NP];
    synth(0.05, 0.002, 0, 1, s, pts);
    tach__usl_fit f;
    ASSERT_EQ(0, tach__usl_fit_points(pts, NP, 50, 1, &f, NULL));
    ASSERT_NEAR(0.05, f.alpha.value, 1e-9);
    ASSERT_NEAR(0.002, f.beta.value, 1e-12);
    ASSERT_NEAR(1e6, f.lambda, 1e-3);
    /* N* = sqrt((1 - 0.05) / 0.002) = sqrt(475) = 21.794... */
    ASSERT_NEAR(21.794494717703369, f.peak_n, 1e-6);
    ASSERT_NEAR(1.0, f.r2, 1e-9);
}

TEST(linear_scaling_gives_zero_coefficients)
{
    double s[NP][NS];
    tach__usl_point pts[NP];
    synth(0, 0, 0, 1, s, pts);
    tach__usl_fit f;
    ASSERT_EQ(0, tach__usl_fit_points(pts, NP, 50, 1, &f, NULL));
    ASSERT_NEAR(0, f.alpha.value, 1e-12);
    ASSERT_NEAR(0, f.beta.value, 1e-12);
    ASSERT_TRUE(isinf(f.peak_n));
}

TEST(noisy_sweeps_recover_alpha_and_beta_within_their_cis)
{
    /* The 95% CIs hold the true values in at least 18 of 20 seeded sweeps (a CI that
     * misses more often than 10% is too narrow). */
    int alpha_in = 0, beta_in = 0;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        double s[NP][NS];
        tach__usl_point pts[NP];
        synth(0.05, 0.002, 0.03, seed, s, pts);
        tach__usl_fit f;
        ASSERT_EQ(0, tach__usl_fit_points(pts, NP, 400, seed, &f, NULL));
        alpha_in += f.alpha.lo <= 0.05 && 0.05 <= f.alpha.hi;
        beta_in += f.beta.lo <= 0.002 && 0.002 <= f.beta.hi;
        ASSERT_TRUE(f.alpha.lo < f.alpha.hi);
    }
    printf("  alpha in CI %d/20, beta in CI %d/20\n", alpha_in, beta_in);
    ASSERT_TRUE(alpha_in >= 18);
    ASSERT_TRUE(beta_in >= 18);
}

TEST(contention_only_is_told_from_coherency)
{
    double s[NP][NS];
    tach__usl_point pts[NP];
    synth(0.3, 0, 0.02, 5, s, pts);
    tach__usl_fit f;
    ASSERT_EQ(0, tach__usl_fit_points(pts, NP, 200, 5, &f, NULL));
    ASSERT_NEAR(0.3, f.alpha.value, 0.03);
    ASSERT_TRUE(f.beta.value < 0.0005);
}

TEST(two_thread_counts_give_alpha_alone)
{
    /* X(1) = 100, X(2) = 160: C = 1.6, 2/1.6 - 1 = 0.25 = alpha * (2 - 1). */
    double n[] = {1, 2}, x[] = {100, 160}, a, b;
    ASSERT_EQ(0, tach__usl_fit_medians(n, x, 2, &a, &b));
    ASSERT_NEAR(0.25, a, 1e-12);
    ASSERT_NEAR(0, b, 0);
    /* ... and beta is not fitted: 0 in the model, not an estimate of 0 (shown as such). */
    double one[2][NS];
    tach__usl_point two[2];
    for (int i = 0; i < 2; i++) {
        for (int k = 0; k < NS; k++) one[i][k] = x[i];
        two[i] = (tach__usl_point){n[i], one[i], NS};
    }
    tach__usl_fit f;
    ASSERT_EQ(0, tach__usl_fit_points(two, 2, 50, 1, &f, NULL));
    ASSERT_NEAR(0.25, f.alpha.value, 1e-12);
    ASSERT_TRUE(!f.beta_fitted);
    /* three thread counts fit both */
    double n3[] = {1, 2, 4}, t3[3][NS];
    tach__usl_point three[3];
    for (int i = 0; i < 3; i++) {
        for (int k = 0; k < NS; k++) t3[i][k] = tach__usl_model(100, 0.1, 0.01, n3[i]);
        three[i] = (tach__usl_point){n3[i], t3[i], NS};
    }
    ASSERT_EQ(0, tach__usl_fit_points(three, 3, 50, 1, &f, NULL));
    ASSERT_TRUE(f.beta_fitted);
}

TEST(alpha_is_never_above_one_a_retrograde_sweep_takes_beta)
{
    /* A kernel serialised on one mutex: X(2) = X(1) / 3.03, so 2/C - 1 = 5.06, which the
     * free two-point fit called alpha.  alpha is a fraction: alpha = 1 and beta =
     * (5.06 - 1) / (2 * 1) = 2.03 fits exactly. */
    double n[] = {1, 2}, x[] = {100, 100 / 3.03}, a, b;
    ASSERT_EQ(0, tach__usl_fit_medians(n, x, 2, &a, &b));
    ASSERT_NEAR(1, a, 0);
    ASSERT_NEAR((2 * 3.03 - 1 - 1) / 2, b, 1e-9);
    double one[2][NS], xs[2] = {100, 100 / 3.03};
    tach__usl_point two[2];
    for (int i = 0; i < 2; i++) {
        for (int k = 0; k < NS; k++) one[i][k] = xs[i];
        two[i] = (tach__usl_point){n[i], one[i], NS};
    }
    tach__usl_fit g;
    ASSERT_EQ(0, tach__usl_fit_points(two, 2, 50, 1, &g, NULL));
    ASSERT_NEAR(1, g.alpha.hi, 0);
    ASSERT_NEAR(1, g.peak_n, 0); /* the throughput is highest at N = 1 */
    ASSERT_TRUE(g.beta_fitted); /* the fall is beta's, with two thread counts too */
    /* Falling throughput over four counts, noisy: alpha and its CI within [0, 1]. */
    double s[4][NS];
    tach__usl_point pts[4];
    tach__rng r;
    tach__rng_seed(&r, 9);
    const double nn[4] = {1, 2, 4, 8}, xx[4] = {100, 40, 22, 12};
    for (int i = 0; i < 4; i++) {
        for (int k = 0; k < NS; k++) s[i][k] = xx[i] * exp(0.05 * gauss(&r));
        pts[i] = (tach__usl_point){nn[i], s[i], NS};
    }
    tach__usl_fit f;
    ASSERT_EQ(0, tach__usl_fit_points(pts, 4, 200, 9, &f, NULL));
    ASSERT_TRUE(f.alpha.value >= 0 && f.alpha.value <= 1);
    ASSERT_TRUE(f.alpha.lo >= 0 && f.alpha.hi <= 1);
    ASSERT_TRUE(f.beta.value > 0);
}

TEST(bad_sweeps_fail_with_a_message)
{
    double s[] = {1, 2};
    tach__usl_point no_one[3] = {{2, s, 2}, {4, s, 2}, {8, s, 2}};
    tach__usl_fit f;
    char err[TACH__ERR_MAX] = "";
    ASSERT_EQ(-1, tach__usl_fit_points(no_one, 3, 10, 1, &f, err));
    ASSERT_TRUE(strstr(err, "N = 1") != NULL);
    ASSERT_EQ(-1, tach__usl_fit_points(no_one, 1, 10, 1, &f, err));
    tach__usl_point dup[3] = {{1, s, 2}, {4, s, 2}, {4, s, 2}};
    ASSERT_EQ(-1, tach__usl_fit_points(dup, 3, 10, 1, &f, err));
    ASSERT_TRUE(strstr(err, "distinct") != NULL);
}

/* Adds fn/threads=N, an ok result whose samples take N times as long (flat throughput). */
static void add_point(tach__doc *d, const char *fn, int threads)
{
    tach__result *r = tach__doc_add(d);
    ASSERT_TRUE(r != NULL);
    char name[64], value[16];
    snprintf(name, sizeof name, "%s/threads=%d", fn, threads);
    snprintf(value, sizeof value, "%d", threads);
    r->name = tach__strdup(name);
    r->function = tach__strdup(fn);
    r->status = TACH__OK;
    r->params = tach__calloc(1, sizeof *r->params);
    r->params[0] = (tach__param){tach__strdup("threads"), tach__strdup(value)};
    r->nparams = 1;
    r->nsamples = 5;
    r->sample_ns = tach__malloc(r->nsamples * sizeof *r->sample_ns);
    r->sample_iters = tach__malloc(r->nsamples * sizeof *r->sample_iters);
    for (size_t k = 0; k < r->nsamples; k++) {
        r->sample_ns[k] = 100.0 * threads * (1 + 0.01 * (double)k);
        r->sample_iters[k] = 1000;
    }
}

TEST(a_sweep_says_once_whether_it_has_an_n_1_point)
{
    tach__doc *d = tach__doc_new();
    add_point(d, "with", 4); /* out of order: the points are sorted by N */
    add_point(d, "with", 1);
    add_point(d, "with", 2);
    add_point(d, "without", 3);
    add_point(d, "without", 2);
    tach__scale_sweep *sw = NULL;
    ASSERT_EQ(2, tach__scale_sweeps(d, 1, 8, &sw));
    ASSERT_STREQ("with/threads=*", sw[0].name);
    ASSERT_TRUE(sw[0].has_one);
    ASSERT_NEAR(1.0, sw[0].points[2].speedup, 1e-9);
    ASSERT_STREQ("without/threads=*", sw[1].name);
    ASSERT_TRUE(!sw[1].has_one);
    ASSERT_TRUE(isnan(sw[1].points[0].speedup) && isnan(sw[1].points[1].efficiency));
    ASSERT_TRUE(!sw[1].fitted);
    tach__scale_sweeps_free(sw, 2);
    tach__doc_free(d);
}

/* A sweep's name replaces its whole "threads=N": the "threads=1" inside "xthreads=1" is
 * not it (matched as a substring, the N = 1 member had its own sweep, named "xthreads=*" and the rest). */
TEST(a_sweep_name_replaces_the_whole_threads_parameter)
{
    tach__doc *d = tach__doc_new();
    add_point(d, "xthreads=1", 1);
    add_point(d, "xthreads=1", 2);
    add_point(d, "xthreads=1", 4);
    tach__scale_sweep *sw = NULL;
    ASSERT_EQ(1, tach__scale_sweeps(d, 1, 8, &sw));
    ASSERT_STREQ("xthreads=1/threads=*", sw[0].name);
    ASSERT_EQ(3, sw[0].npoints);
    ASSERT_TRUE(sw[0].has_one);
    tach__scale_sweeps_free(sw, 1);
    tach__doc_free(d);
}

TEST_MAIN()
