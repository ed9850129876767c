/*
 * test_pct_compare.c - judging a latency percentile's change (src/judge/pct_compare.c)
 * on histograms built by hand, so every value is known exactly:
 *   base: 9,900 calls of 100 ns and 100 of 1,000 ns (n = 10,000);
 *   slow: the same with the 100 slow calls at 2,000 ns.
 * p50 is 100 ns on both sides (change 0, CI [0, 0]: every resample's rank lands among
 * the 9,900 equal calls); p99.5 (rank 9,950, and the bootstrap's ranks stay within
 * 9,950 +- 4 sigma = +-28, inside the slow 100) is 1,000 vs 2,000 ns (the top of their
 * slots: 1,000 and 2,000 are exact below 2,048), +100% with CI [+100%, +100%].
 * p99.99: rank 9,999, 1 call above: thin.
 */
#include <string.h>

#include "compare.h"
#include "latency.h"
#include "test.h"

static tach__latency *make(int64_t slow_ns)
{
    tach__latency *l = tach__latency_new();
    tach__hist_record_n(l->hist, 100, 9900);
    tach__hist_record_n(l->hist, slow_ns, 100);
    tach__latency_finish(l);
    return l;
}

TEST(a_slower_tail_is_regressed_and_the_median_unchanged)
{
    tach__latency *base = make(1000), *slow = make(2000);
    tool_pct_change c;
    char err[TACH__ERR_MAX];
    ASSERT_EQ(0, tool_percentile_change(base, slow, 99.5, 0.02, 0.10, 2000, 1, &c, err));
    ASSERT_NEAR(1000, c.base_ns, 0);
    ASSERT_NEAR(2000, c.new_ns, 0);
    ASSERT_NEAR(1.0, c.change.value, 1e-12);
    ASSERT_NEAR(1.0, c.change.lo, 1e-12);
    ASSERT_NEAR(1.0, c.change.hi, 1e-12);
    ASSERT_EQ(TOOL_REGRESSED, c.verdict);
    ASSERT_EQ(TOOL_CRITICAL, c.severity);
    ASSERT_EQ(50, c.base_samples);
    ASSERT_TRUE(!c.thin);

    ASSERT_EQ(0, tool_percentile_change(slow, base, 99.5, 0.02, 0.10, 2000, 1, &c, err));
    ASSERT_EQ(TOOL_IMPROVED, c.verdict);
    ASSERT_NEAR(-0.5, c.change.value, 1e-12);

    ASSERT_EQ(0, tool_percentile_change(base, slow, 50, 0.02, 0.10, 2000, 1, &c, err));
    ASSERT_EQ(TOOL_UNCHANGED, c.verdict);
    ASSERT_NEAR(0, c.change.lo, 0);
    ASSERT_NEAR(0, c.change.hi, 0);
    ASSERT_EQ(TOOL_WITHIN_NOISE, c.severity);

    ASSERT_EQ(0, tool_percentile_change(base, slow, 99.99, 0.02, 0.10, 2000, 1, &c, err));
    ASSERT_EQ(TOOL_UNTESTABLE, c.verdict);
    ASSERT_TRUE(c.thin);
    ASSERT_EQ(1, c.base_samples);
    ASSERT_TRUE(c.why && strstr(c.why, "thin"));
    tach__latency_free(base);
    tach__latency_free(slow);
}

/* Straddling the boundary: p99 (rank 9,900, the last fast call) resamples into the
 * slow calls about half the time, so its CI spans -90% .. +900%: neither beyond nor
 * inside the noise band, so unstable (never unchanged), and the same seed gives the
 * same interval. */
TEST(a_percentile_on_the_boundary_is_not_judged_and_is_deterministic)
{
    tach__latency *base = make(1000), *same = make(1000);
    tool_pct_change a, b;
    char err[TACH__ERR_MAX];
    ASSERT_EQ(0, tool_percentile_change(base, same, 99, 0.02, 0.10, 2000, 7, &a, err));
    ASSERT_EQ(0, tool_percentile_change(base, same, 99, 0.02, 0.10, 2000, 7, &b, err));
    ASSERT_EQ(TOOL_UNSTABLE, a.verdict);
    ASSERT_TRUE(a.why && strstr(a.why, "noise band"));
    ASSERT_NEAR(0, a.change.value, 0);
    ASSERT_TRUE(a.change.lo < -0.5 && a.change.hi > 5);
    ASSERT_NEAR(a.change.lo, b.change.lo, 0);
    ASSERT_NEAR(a.change.hi, b.change.hi, 0);
    tach__latency_free(base);
    tach__latency_free(same);
}

TEST(too_short_or_empty_sides_are_not_testable)
{
    tach__latency *base = make(1000), *cur = make(2000), *empty = tach__latency_new();
    cur->too_short = true;
    tool_pct_change c;
    char err[TACH__ERR_MAX];
    ASSERT_EQ(0, tool_percentile_change(base, cur, 99.5, 0.02, 0.10, 100, 1, &c, err));
    ASSERT_EQ(TOOL_UNTESTABLE, c.verdict);
    ASSERT_TRUE(strstr(c.why, "too short") != NULL);
    ASSERT_EQ(0, tool_percentile_change(base, empty, 50, 0.02, 0.10, 100, 1, &c, err));
    ASSERT_EQ(TOOL_UNTESTABLE, c.verdict);
    tach__latency_free(base);
    tach__latency_free(cur);
    tach__latency_free(empty);
}

TEST(compare_percentiles_over_documents)
{
    tach__doc *a = tach__doc_new(), *b = tach__doc_new();
    tach__result *ra = tach__doc_add(a), *rb = tach__doc_add(b);
    ra->name = tach__strdup("op");
    rb->name = tach__strdup("op");
    ra->latency = make(1000);
    rb->latency = make(2000);
    tool_cmp_options o;
    tool_cmp_options_default(&o);
    tool_comparison c;
    char err[TACH__ERR_MAX];
    ASSERT_EQ(0, tool_compare(a, b, &o, &c, err));
    tool_pct_ask ask[] = {{50, NAN}, {99.5, 0.5}, {99.5, 1.5}};
    tool_pct_change *pc;
    size_t n;
    ASSERT_EQ(0, tool_compare_percentiles(&c, ask, 3, 500, 1, &pc, &n, err));
    ASSERT_EQ(3, n);
    ASSERT_STREQ("op", pc[0].name);
    ASSERT_EQ(TOOL_UNCHANGED, pc[0].verdict);
    ASSERT_EQ(TOOL_REGRESSED, pc[1].verdict); /* +100% beyond a 50% threshold */
    ASSERT_EQ(TOOL_UNCHANGED, pc[2].verdict); /* within a 150% threshold */
    ASSERT_EQ(1, tool_percentiles_fail(pc, n, TOOL_WARNING));
    json_t *j = tool_percentiles_to_json(pc, n);
    ASSERT_EQ(3, json_array_size(j));
    ASSERT_STREQ("regressed", json_string_value(json_object_get(json_array_get(j, 1), "verdict")));
    json_decref(j);
    tach__free(pc);

    /* the row's own median change unstable: no percentile of it is judged, neither
     * regressed nor unchanged */
    c.rows[0].verdict = TOOL_UNSTABLE;
    ASSERT_EQ(0, tool_compare_percentiles(&c, ask, 3, 500, 1, &pc, &n, err));
    ASSERT_EQ(3, n);
    for (size_t i = 0; i < n; i++) {
        ASSERT_EQ(TOOL_UNSTABLE, pc[i].verdict);
        ASSERT_TRUE(pc[i].why && strstr(pc[i].why, "median change is unstable"));
    }
    ASSERT_EQ(0, tool_percentiles_fail(pc, n, TOOL_WARNING));
    tach__free(pc);
    tool_comparison_free(&c);
    tach__doc_free(a);
    tach__doc_free(b);
}

/* 10,000 distinct-valued calls (1..2000 ns, five each: exact in the histogram), NEW
 * each 6% slower: p75's change is +6% with a CI of about +-1.5%. */
static tach__latency *spread(double factor)
{
    tach__latency *l = tach__latency_new();
    for (int v = 1; v <= 2000; v++) tach__hist_record_n(l->hist, (int64_t)llround(v * factor), 5);
    tach__latency_finish(l);
    return l;
}

/* A percentile is one test of several: p75 +6% against a 4.1% threshold has a CI just
 * above it (p, read from the bootstrap's shape, about 0.03): regressed when it is the
 * only percentile asked;
 * asked beside two others (no change beyond 90%, p 1) its Benjamini-Hochberg q is about
 * 3 x 0.03 > 0.05: unstable, as a median's change that is not significant across the
 * suite is, and the gate does not fail on it. */
TEST(a_regressed_percentile_needs_its_q_across_the_percentiles)
{
    tach__doc *a = tach__doc_new(), *b = tach__doc_new();
    tach__result *ra = tach__doc_add(a), *rb = tach__doc_add(b);
    ra->name = tach__strdup("op");
    rb->name = tach__strdup("op");
    ra->latency = spread(1.0);
    rb->latency = spread(1.06);
    tool_cmp_options o;
    tool_cmp_options_default(&o);
    tool_comparison c;
    char err[TACH__ERR_MAX];
    ASSERT_EQ(0, tool_compare(a, b, &o, &c, err));
    tool_pct_ask one[] = {{75, 0.041}}, three[] = {{75, 0.041}, {75, 0.9}, {75, 0.9}};
    tool_pct_change *pc;
    size_t n;
    ASSERT_EQ(0, tool_compare_percentiles(&c, one, 1, 2000, 1, &pc, &n, err));
    ASSERT_EQ(1, n);
    ASSERT_EQ(TOOL_REGRESSED, pc[0].verdict);
    ASSERT_TRUE(pc[0].pvalue > 0.05 / 3 && pc[0].pvalue < 0.05 && pc[0].q == pc[0].pvalue);
    ASSERT_EQ(1, tool_percentiles_fail(pc, n, TOOL_WARNING));
    tach__free(pc);
    /* alone it is not one of many: its CI verdict stands even under a lower alpha */
    double alpha = c.alpha;
    c.alpha = 0.01;
    ASSERT_EQ(0, tool_compare_percentiles(&c, one, 1, 2000, 1, &pc, &n, err));
    ASSERT_EQ(TOOL_REGRESSED, pc[0].verdict);
    tach__free(pc);
    c.alpha = alpha;
    ASSERT_EQ(0, tool_compare_percentiles(&c, three, 3, 2000, 1, &pc, &n, err));
    ASSERT_EQ(3, n);
    ASSERT_TRUE(pc[0].change.lo > 0.041); /* its own CI still beyond the band */
    ASSERT_EQ(TOOL_UNSTABLE, pc[0].verdict);
    ASSERT_TRUE(pc[0].q >= 0.05 && pc[0].why && strstr(pc[0].why, "Benjamini-Hochberg"));
    ASSERT_EQ(TOOL_UNCHANGED, pc[1].verdict);
    ASSERT_EQ(0, tool_percentiles_fail(pc, n, TOOL_WARNING));
    tach__free(pc);
    tool_comparison_free(&c);
    tach__doc_free(a);
    tach__doc_free(b);
}

/* A p counted from resamples cannot fall below 2 / (resamples + 1): 0.001 at 2,000, so
 * beside 59 unchanged percentiles a 5x p99.5 had q = 60 x 0.001 > 0.05, and at 100
 * resamples q = 3 x 0.0198 > 0.05 beside two.  A clear change (its CI [+400%, +400%])
 * stays regressed however many percentiles are compared, at any resample count. */
static void clear_among(size_t nask, size_t resamples)
{
    tach__doc *a = tach__doc_new(), *b = tach__doc_new();
    tach__result *ra = tach__doc_add(a), *rb = tach__doc_add(b);
    ra->name = tach__strdup("op");
    rb->name = tach__strdup("op");
    ra->latency = make(1000);
    rb->latency = make(5000);
    tool_cmp_options o;
    tool_cmp_options_default(&o);
    tool_comparison c;
    char err[TACH__ERR_MAX];
    ASSERT_EQ(0, tool_compare(a, b, &o, &c, err));
    tool_pct_ask ask[60];
    ask[0] = (tool_pct_ask){99.5, 0.02};
    for (size_t i = 1; i < nask; i++) ask[i] = (tool_pct_ask){50, 0.02};
    tool_pct_change *pc;
    size_t n;
    ASSERT_EQ(0, tool_compare_percentiles(&c, ask, nask, resamples, 1, &pc, &n, err));
    ASSERT_EQ(nask, n);
    ASSERT_TRUE(pc[0].change.lo > 3.0);
    ASSERT_EQ(TOOL_REGRESSED, pc[0].verdict);
    ASSERT_TRUE(pc[0].q < 0.05);
    for (size_t i = 1; i < n; i++) ASSERT_EQ(TOOL_UNCHANGED, pc[i].verdict);
    ASSERT_EQ(1, tool_percentiles_fail(pc, n, TOOL_WARNING));
    tach__free(pc);
    tool_comparison_free(&c);
    tach__doc_free(a);
    tach__doc_free(b);
}

TEST(a_clear_regression_among_60_percentiles_stays_regressed)
{
    clear_among(60, 2000);
}

TEST(a_clear_regression_at_100_resamples_among_3_stays_regressed)
{
    clear_among(3, 100);
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The k-th smallest (1-based) of n draws with replacement from v[0..n). */
static double kth_of_resample(const double *v, int n, int k, tach__rng *r, double *buf)
{
    for (int i = 0; i < n; i++) buf[i] = v[tach__rng_below(r, (uint64_t)n)];
    qsort(buf, (size_t)n, sizeof *buf, cmp_dbl);
    return buf[k - 1];
}

/* The Beta shortcut is the bootstrap it replaces: resampling every call of each side and
 * taking the p75 (rank ceil(0.75 n)) gives the same percentile interval of the change,
 * within the Monte Carlo error of 20,000 resamples each way (about 0.0005 on ends
 * near -2.5% and +7.4%; measured: [-0.02514, 0.07375] against [-0.02521, 0.07375]) and
 * the 5 ns grid of the values (0.3%).  Distinct values, so a wrong variate (a uniform
 * rank, a Beta of another shape) moves the ends. */
TEST(the_beta_shortcut_gives_the_brute_force_bootstrap_interval)
{
    enum { N = 200, R = 20000 };
    static double vb[N], vc[N], buf[N], ratio[R];
    tach__latency *base = tach__latency_new(), *cur = tach__latency_new();
    for (int i = 0; i < N; i++) {
        vb[i] = 1000 + 5 * i; /* exact in the histogram: below 2,048 */
        vc[i] = 1040 + 5 * ((i * 7) % N);
        tach__hist_record(base->hist, (int64_t)vb[i]);
        tach__hist_record(cur->hist, (int64_t)vc[i]);
    }
    tach__latency_finish(base);
    tach__latency_finish(cur);
    tool_pct_change c;
    char err[TACH__ERR_MAX];
    ASSERT_EQ(0, tool_percentile_change(base, cur, 75, 0.02, 0.10, R, 3, &c, err));
    tach__rng r;
    tach__rng_seed(&r, 11);
    for (int k = 0; k < R; k++) {
        double b = kth_of_resample(vb, N, 150, &r, buf);
        double n = kth_of_resample(vc, N, 150, &r, buf);
        ratio[k] = n / b - 1;
    }
    qsort(ratio, R, sizeof *ratio, cmp_dbl);
    double lo = tach__quantile_sorted(ratio, R, 0.025), hi = tach__quantile_sorted(ratio, R, 0.975);
    ASSERT_NEAR(lo, c.change.lo, 0.004);
    ASSERT_NEAR(hi, c.change.hi, 0.004);
    tach__latency_free(base);
    tach__latency_free(cur);
}

TEST_MAIN()
