/* test_soak.c - a soak's verdicts (src/judge/soak_stats.c) on synthetic, seeded series:
 * no timing, the same numbers on every run. */
#include "soak.h"
#include "tach_internal.h"
#include "test.h"

static double gauss(tach__rng *r)
{
    double u1 = tach__rng_double(r), u2 = tach__rng_double(r);
    return sqrt(-2 * log(1 - u1)) * cos(2 * M_PI * u2);
}

TEST(mann_kendall_reference_values)
{
    /* 1..5: S = 10 (all 10 pairs rise), var = n(n-1)(2n+5)/18 = 5*4*15/18 = 16.667,
     * z = (S - 1)/sqrt(var) = 2.2045, p_up = 1 - Phi(2.2045) = 0.013745 (the textbook
     * formulas; pymannkendall.original_test gives the same z and p/2). */
    double x[] = {1, 2, 3, 4, 5};
    tool_mk mk;
    tool_mann_kendall(x, 5, &mk);
    ASSERT_NEAR(10, mk.s, 0);
    ASSERT_NEAR(16.666666666666668, mk.var, 1e-12);
    ASSERT_NEAR(2.2045407685048604, mk.z, 1e-12);
    ASSERT_NEAR(0.013745, mk.p_up, 1e-5);
    /* Ties: {1, 1, 2}: S = 2, var = (3*2*11 - 2*1*9)/18 = 48/18. */
    double t[] = {1, 1, 2};
    tool_mann_kendall(t, 3, &mk);
    ASSERT_NEAR(2, mk.s, 0);
    ASSERT_NEAR(48.0 / 18.0, mk.var, 1e-12);
    tool_mann_kendall(t, 2, &mk);
    ASSERT_NAN(mk.z);
}

TEST(sen_slope_of_a_line_is_its_slope)
{
    double t[10], x[10];
    for (int i = 0; i < 10; i++) {
        t[i] = i;
        x[i] = 2 * i + 1;
    }
    tach__ci s;
    ASSERT_EQ(0, tool_sen_slope(t, x, 10, &s));
    ASSERT_NEAR(2, s.value, 0);
    ASSERT_NEAR(2, s.lo, 0);
    ASSERT_NEAR(2, s.hi, 0);
}

/* A 30-second soak at 0.2 s intervals: heap = 8 MB + a sawtooth (period 5..15
 * intervals, up to 400 KB) + leak_per_s * t + noise (20 KB). */
#define N 150
static void memory(double *t, double *x, double leak_per_s, uint64_t seed)
{
    tach__rng r;
    tach__rng_seed(&r, seed);
    size_t period = 5 + (size_t)tach__rng_below(&r, 11), phase = (size_t)tach__rng_below(&r, period);
    for (size_t i = 0; i < N; i++) {
        t[i] = 0.2 * (double)(i + 1);
        double saw = 400e3 * (double)((i + phase) % period) / (double)period;
        x[i] = 8e6 + saw + leak_per_s * t[i] + 20e3 * fabs(gauss(&r));
    }
}

TEST(a_1kb_per_second_leak_is_flagged_with_the_rate_in_its_ci)
{
    double t[N], heap[N], rss[N], p99[N], ops[N];
    memory(t, heap, 1000, 42);
    for (size_t i = 0; i < N; i++) {
        rss[i] = heap[i] + 2e6;
        p99[i] = 1e5;
        ops[i] = 1e6;
    }
    tool_soak_series s = {N, t, ops, p99, rss, heap, NULL, NULL, NULL, 0};
    tool_soak_verdict v;
    ASSERT_EQ(0, tool_soak_judge(&s, 0, &v));
    ASSERT_EQ(TOOL_SOAK_LEAKING, v.summary);
    ASSERT_TRUE(v.heap.growing);
    /* 1 KB/s = 3600 KB/h */
    printf("  slope %.0f KB/h, CI %.0f to %.0f\n", v.heap.slope_kb_h.value, v.heap.slope_kb_h.lo,
           v.heap.slope_kb_h.hi);
    ASSERT_TRUE(v.heap.slope_kb_h.lo <= 3600 && 3600 <= v.heap.slope_kb_h.hi);
    ASSERT_TRUE(strstr(v.reason, "heap in use grows") != NULL);
    json_t *j = tool_soak_verdict_json(&v);
    ASSERT_STREQ("leaking", json_string_value(json_object_get(j, "summary")));
    ASSERT_TRUE(json_is_true(json_object_get(json_object_get(j, "heap_growth"), "growing")));
    json_decref(j);
}

/* A --resume starts a benchmark binary (or a load run of one) again: its memory starts
 * again from the new process's own level.  The series is that of two processes; the
 * restart is at interval 75 of 150 (t = 15 s). */
#define RESTART 75
TEST(a_leak_across_a_resume_is_a_leak_in_each_process)
{
    /* Each process leaks 5 KB/s from its start (a stretch of 15 s, less its warm-up,
     * shows a 1 KB/s leak no more than the noise of its minima); the RSS, with the
     * libraries mapped anew, does not fall back with the heap.  As one history, the
     * heap's minima rise, fall at the restart and rise again: the leak was missed, and
     * the RSS taken for fragmentation ("drifting", not "leaking"). */
    double t[N], heap[N], rss[N], p99[N], ops[N];
    memory(t, heap, 5000, 42);
    for (size_t i = 0; i < N; i++) {
        if (i >= RESTART) heap[i] -= 5000 * t[RESTART - 1];
        rss[i] = 3e6 + 5000 * t[i];
        p99[i] = 1e5;
        ops[i] = 1e6;
    }
    const size_t restarts[] = {RESTART};
    tool_soak_series s = {N, t, ops, p99, rss, heap, NULL, NULL, restarts, 1};
    tool_soak_verdict v;
    ASSERT_EQ(0, tool_soak_judge(&s, 0, &v));
    printf("  slope %.0f KB/h, CI %.0f to %.0f, %zu windows\n", v.heap.slope_kb_h.value,
           v.heap.slope_kb_h.lo, v.heap.slope_kb_h.hi, v.heap.windows);
    ASSERT_EQ(TOOL_SOAK_LEAKING, v.summary);
    ASSERT_TRUE(v.heap.growing);
    ASSERT_TRUE(v.heap.slope_kb_h.lo <= 18000 && 18000 <= v.heap.slope_kb_h.hi);
    ASSERT_TRUE(v.heap.windows >= 18); /* the windows are shared out, not lost */
}

TEST(a_flat_process_started_again_warms_up_again_and_is_not_growth)
{
    /* A process whose heap fills to its level in its first seconds (time constant 1 s),
     * then holds it, started again at interval 75, or at 10 (2 s, inside the soak's
     * 3 s warm-up: the new process's filling would otherwise run on past it) */
    for (size_t at = 10; at <= RESTART; at += RESTART - 10) {
        for (uint64_t seed = 1; seed <= 5; seed++) {
            double t[N], heap[N];
            memory(t, heap, 0, seed);
            for (size_t i = 0; i < N; i++) {
                double since = i >= at ? t[i] - t[at - 1] : t[i];
                heap[i] -= 4e6 * exp(-since / 1.0);
            }
            const size_t restarts[] = {at};
            tool_growth g;
            ASSERT_EQ(0, tool_soak_growth_runs(t, heap, N, restarts, 1, 0, &g));
            ASSERT_TRUE(g.tested);
            ASSERT_TRUE(!g.growing);
        }
    }
}

TEST(a_healthy_sawtooth_is_not_flagged_in_19_of_20_seeds)
{
    int flagged = 0;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        double t[N], heap[N];
        memory(t, heap, 0, seed);
        tool_growth g;
        ASSERT_EQ(0, tool_soak_growth(t, heap, N, 0, &g));
        ASSERT_TRUE(g.tested);
        flagged += g.growing;
    }
    printf("  flagged %d of 20\n", flagged);
    ASSERT_TRUE(flagged <= 1);
}

TEST(rss_growth_with_a_flat_heap_is_drifting_not_leaking)
{
    double t[N], heap[N], rss[N], p99[N], ops[N];
    memory(t, heap, 0, 7);
    for (size_t i = 0; i < N; i++) {
        rss[i] = 1e7 + 2000 * t[i]; /* retained by the allocator */
        p99[i] = 1e5;
        ops[i] = 1e6;
    }
    tool_soak_series s = {N, t, ops, p99, rss, heap, NULL, NULL, NULL, 0};
    tool_soak_verdict v;
    ASSERT_EQ(0, tool_soak_judge(&s, 0, &v));
    ASSERT_EQ(TOOL_SOAK_DRIFTING, v.summary);
    ASSERT_TRUE(v.rss.growing && !v.heap.growing);
    ASSERT_TRUE(strstr(v.reason, "fragmentation") != NULL);
    /* Without a heap series, RSS growth is the leak. */
    s.heap_bytes = NULL;
    ASSERT_EQ(0, tool_soak_judge(&s, 0, &v));
    ASSERT_EQ(TOOL_SOAK_LEAKING, v.summary);
}

TEST(a_latency_step_in_the_middle_is_drift)
{
    double t[N], p99[N], ops[N], rss[N];
    tach__rng r;
    tach__rng_seed(&r, 3);
    for (size_t i = 0; i < N; i++) {
        t[i] = 0.2 * (double)(i + 1);
        p99[i] = (i < 75 ? 100e3 : 150e3) * exp(0.05 * gauss(&r));
        ops[i] = 1e6 * exp(0.02 * gauss(&r));
        rss[i] = 1e7;
    }
    tool_soak_series s = {N, t, ops, p99, rss, NULL, NULL, NULL, NULL, 0};
    tool_soak_verdict v;
    ASSERT_EQ(0, tool_soak_judge(&s, 0, &v));
    ASSERT_EQ(TOOL_SOAK_DRIFTING, v.summary);
    ASSERT_TRUE(v.latency.drifted);
    ASSERT_TRUE(v.latency.at >= 73 && v.latency.at <= 77);
    ASSERT_NEAR(0.5, v.latency.change, 0.05);
    ASSERT_TRUE(!v.throughput.drifted);
    ASSERT_TRUE(!v.rss.growing);
    ASSERT_TRUE(strstr(v.reason, "p99 latency changed +") != NULL);
    /* The same series without the step: stable. */
    for (size_t i = 75; i < N; i++) p99[i] /= 1.5;
    ASSERT_EQ(0, tool_soak_judge(&s, 0, &v));
    ASSERT_EQ(TOOL_SOAK_STABLE, v.summary);
}

TEST(short_series_are_not_tested)
{
    double t[] = {1, 2, 3, 4, 5}, x[] = {1, 2, 3, 4, 5};
    tool_growth g;
    ASSERT_EQ(0, tool_soak_growth(t, x, 5, 0, &g));
    ASSERT_TRUE(!g.tested && !g.growing);
    tool_drift d;
    tool_soak_drift(x, 5, 0, &d);
    ASSERT_TRUE(!d.tested && !d.drifted);
    /* Nothing tested: the summary is "not tested" (inconclusive), never "stable". */
    double nan5[] = {NAN, NAN, NAN, NAN, NAN};
    tool_soak_series s = {5, t, x, x, x, nan5, NULL, NULL, NULL, 0};
    tool_soak_verdict v;
    ASSERT_EQ(0, tool_soak_judge(&s, 0, &v));
    ASSERT_EQ(TOOL_SOAK_NOT_TESTED, v.summary);
    ASSERT_TRUE(!strcmp(tool_soak_summary_name(v.summary), "not tested"));
    ASSERT_TRUE(!strcmp(v.reason, "inconclusive (too few intervals: 5, need 12)"));
}

/* n flat intervals 0.1 s apart (throughput and p99 steady, a little jitter), every RSS
 * figure rss_value (NAN: none measured). */
static void flat_series(double *t, double *ops, double *p99, double *rss, size_t n, double rss_value)
{
    for (size_t i = 0; i < n; i++) {
        t[i] = 0.1 * (double)(i + 1);
        ops[i] = 1e6 + (double)(i % 3);
        p99[i] = 1e5 + (double)(i % 2);
        rss[i] = rss_value;
    }
}

TEST(drift_tested_memory_not_is_not_stable)
{
    /* 20 flat intervals: enough for the drift tests (12), not for memory growth (8
     * windows of 3 after the first 10%: 27 or more); "no memory growth" would be a claim
     * without evidence, so the soak is not tested, and says which half was. */
    double t[20], ops[20], p99[20], rss[20];
    flat_series(t, ops, p99, rss, 20, 1e7);
    tool_soak_series s = {20, t, ops, p99, rss, NULL, NULL, NULL, NULL, 0};
    tool_soak_verdict v;
    ASSERT_EQ(0, tool_soak_judge(&s, 0, &v));
    ASSERT_TRUE(v.latency.tested && v.throughput.tested && !v.rss.tested);
    ASSERT_EQ(TOOL_SOAK_NOT_TESTED, v.summary);
    ASSERT_TRUE(strstr(v.reason, "no drift in p99 or throughput, but memory growth not tested") != NULL);
}

TEST(no_memory_figures_judges_drift_alone)
{
    /* a URL soaked without --pid: no interval has a memory figure; drift alone is
     * judged, and the reason says memory was not measured (not "too few intervals") */
    double t[40], ops[40], p99[40], rss[40];
    flat_series(t, ops, p99, rss, 40, NAN);
    tool_soak_series s = {40, t, ops, p99, rss, NULL, NULL, NULL, NULL, 0};
    tool_soak_verdict v;
    ASSERT_EQ(0, tool_soak_judge(&s, 0, &v));
    ASSERT_EQ(TOOL_SOAK_STABLE, v.summary);
    ASSERT_TRUE(strstr(v.reason, "memory not measured") != NULL);
}

TEST(failed_operations_make_a_failing_soak)
{
    /* 40 flat intervals of 100 operations each: stable with no error; one failure in
     * interval 5 and two in 31 make it failing, whatever its drift and memory */
    double t[40], ops[40], p99[40], rss[40], n[40], errors[40] = {0};
    flat_series(t, ops, p99, rss, 40, 1e7);
    for (int i = 0; i < 40; i++) n[i] = 100;
    tool_soak_series s = {40, t, ops, p99, rss, NULL, n, errors, NULL, 0};
    tool_soak_verdict v;
    ASSERT_EQ(0, tool_soak_judge(&s, 0, &v));
    ASSERT_EQ(TOOL_SOAK_STABLE, v.summary);
    errors[5] = 1;
    errors[31] = 2;
    ASSERT_EQ(0, tool_soak_judge(&s, 0, &v));
    ASSERT_EQ(TOOL_SOAK_FAILING, v.summary);
    ASSERT_STREQ("failing", tool_soak_summary_name(v.summary));
    ASSERT_STREQ("3 of 4000 operations failed, in 2 of 40 intervals (first in interval 5)", v.reason);
}

TEST_MAIN()
