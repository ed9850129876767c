/*
 * test_compare_rounds.c - the round as the unit of replication (src/judge/rounds.c and
 * the comparison's use of it) on synthetic documents: rounds that disagree are
 * "unstable", a shift consistent across rounds is "regressed", one sample per side
 * is "not testable".
 *
 * Data: each round holds 30 samples level * (1 + jitter(i)), jitter(i) =
 * ((i*37) % 11 - 5) * 0.001 (within +-0.5%, the same in every round), so the spread
 * inside a round is tiny and whatever differs between rounds is the rounds' own.
 */
#include <math.h>
#include <string.h>

#include "compare.h"
#include "rounds.h"
#include "test.h"

#define PER_ROUND 30

static double jitter(int i) { return ((i * 37) % 11 - 5) * 0.001; }

/* Adds an ok result with one round per level (PER_ROUND samples each). */
static void add_rounds(tach__doc *d, const char *name, const double *levels, size_t nrounds)
{
    tach__result *r = tach__doc_add(d);
    ASSERT_TRUE(r != NULL);
    r->name = tach__strdup(name);
    r->status = TACH__OK;
    size_t n = nrounds * PER_ROUND;
    r->nsamples = n;
    r->sample_ns = tach__malloc(n * sizeof *r->sample_ns);
    r->sample_iters = tach__malloc(n * sizeof *r->sample_iters);
    r->sample_round = nrounds > 1 ? tach__malloc(n * sizeof *r->sample_round) : NULL;
    for (size_t k = 0; k < nrounds; k++)
        for (int i = 0; i < PER_ROUND; i++) {
            size_t at = k * PER_ROUND + (size_t)i;
            r->sample_ns[at] = levels[k] * (1 + jitter(i));
            r->sample_iters[at] = 1000;
            if (r->sample_round) r->sample_round[at] = k;
        }
}

/* Adds an ok result with exactly one sample (one row per benchmark in a Google
 * Benchmark file). */
static void add_one(tach__doc *d, const char *name, double ns)
{
    tach__result *r = tach__doc_add(d);
    ASSERT_TRUE(r != NULL);
    r->name = tach__strdup(name);
    r->status = TACH__OK;
    r->nsamples = 1;
    r->sample_ns = tach__malloc(sizeof *r->sample_ns);
    r->sample_iters = tach__malloc(sizeof *r->sample_iters);
    r->sample_ns[0] = ns;
    r->sample_iters[0] = 1;
}

static const tool_cmp_row *compare_one(tach__doc *b, tach__doc *n, tool_comparison *c)
{
    char err[TACH__ERR_MAX];
    ASSERT_EQ(0, tool_compare(b, n, NULL, c, err));
    ASSERT_EQ(1, c->nrows);
    return &c->rows[0];
}

TEST(rounds_are_grouped_and_their_spread_measured)
{
    tach__doc *d = tach__doc_new();
    const double levels[] = {100, 130, 100};
    add_rounds(d, "x", levels, 3);
    tool_rounds g;
    ASSERT_EQ(0, tool_rounds_of(&d->results[0], &g));
    ASSERT_EQ(3, g.nrounds);
    ASSERT_EQ(90, g.nsamples);
    ASSERT_NEAR(100.0, g.median[0], 1e-9);
    ASSERT_NEAR(130.0, g.median[1], 1e-9);
    ASSERT_NEAR(0.30, tool_rounds_range(&g), 1e-9);
    ASSERT_TRUE(g.within > 0 && g.within < 0.01);
    ASSERT_TRUE(tool_rounds_disagree(&g, 0.02));
    ASSERT_TRUE(!tool_rounds_disagree(&g, 0.5)); /* a range inside the noise band */
    /* slowed rounds: over max(noise, 10%) above the fastest quarter (1 round of 3) */
    double fast;
    ASSERT_EQ(1, tool_rounds_slowed(&g, 0.02, &fast));
    ASSERT_NEAR(100.0, fast, 1e-9);
    ASSERT_EQ(0, tool_rounds_slowed(&g, 0.35, NULL)); /* 30% is inside a 35% noise band */
    ASSERT_EQ(1, tool_rounds_trim_cap(3));             /* so not slowed throughout */
    ASSERT_EQ(0, tool_rounds_trim_cap(2));
    ASSERT_EQ(5, tool_rounds_trim_cap(11));
    g.nrounds = 2; /* two rounds: none counted (nor set aside) */
    ASSERT_EQ(0, tool_rounds_slowed(&g, 0.02, NULL));
    g.nrounds = 3;
    tool_rounds_free(&g);
    tool_rounds_free(NULL);
    tach__doc_free(d);
}

/* A shift between rounds, not within: most BASE rounds are fast, most NEW rounds slow,
 * as when the machine got busy during NEW.  Pooling the samples as independent gives a
 * narrow CI around +30% and a tiny Mann-Whitney p (the old "regressed (critical)"); on
 * the rounds it is four against four with the same two levels, which tells nothing. */
TEST(rounds_that_disagree_are_unstable_not_regressed)
{
    tach__doc *b = tach__doc_new(), *n = tach__doc_new();
    const double base[] = {100, 100, 100, 130}, cur[] = {130, 130, 130, 100};
    add_rounds(b, "bench/drift", base, 4);
    add_rounds(n, "bench/drift", cur, 4);
    tool_comparison c;
    const tool_cmp_row *r = compare_one(b, n, &c);
    ASSERT_TRUE(r->by_rounds);
    /* BASE's one slow round is set aside as slowed (interference only slows); NEW's
     * one fast round is kept, and NEW's rounds disagree by 30% */
    ASSERT_EQ(3, r->base_rounds);
    ASSERT_EQ(1, r->base_rounds_slow);
    ASSERT_EQ(4, r->new_rounds);
    ASSERT_EQ(0, r->new_rounds_slow);
    ASSERT_TRUE(r->rounds_disagree);
    ASSERT_NEAR(0.30, r->rounds_range, 1e-9);
    ASSERT_TRUE(r->change.value > 0.25);      /* the point change of the pooled medians */
    ASSERT_TRUE(r->change.lo < 0.02);         /* the CI on the rounds reaches the noise band */
    ASSERT_TRUE(!(r->p < 0.05));              /* Welch on the log round medians */
    ASSERT_EQ(TOOL_UNSTABLE, r->verdict);
    ASSERT_EQ(0, c.regressed);
    ASSERT_EQ(1, c.unstable);
    ASSERT_TRUE(!tool_comparison_fails(&c, TOOL_WARNING));
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);
}

/* Even a significant change is not called a regression when the rounds disagree and
 * overlap (one NEW round as fast as the BASE rounds) and its CI reaches inside the
 * critical threshold. */
TEST(significant_change_with_overlapping_disagreeing_rounds_is_unstable)
{
    tach__doc *b = tach__doc_new(), *n = tach__doc_new();
    const double base[] = {100, 101, 100, 101, 100, 101}, cur[] = {112, 113, 112, 113, 112, 100};
    add_rounds(b, "bench/one_fast_round", base, 6);
    add_rounds(n, "bench/one_fast_round", cur, 6);
    tool_comparison c;
    const tool_cmp_row *r = compare_one(b, n, &c);
    ASSERT_TRUE(r->rounds_disagree);
    ASSERT_TRUE(r->rounds_overlap);
    ASSERT_TRUE(r->p < 0.05);
    ASSERT_TRUE(r->change.lo > 0.02 && r->change.lo < 0.10);
    ASSERT_EQ(TOOL_UNSTABLE, r->verdict);
    ASSERT_TRUE(!r->beyond_rounds); /* CI reaches below the critical 10% */
    ASSERT_TRUE(!tool_comparison_fails(&c, TOOL_WARNING));
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);
}

/* Rounds that disagree and overlap, but far beyond the critical threshold (a
 * benchmark made ~14x slower, with one NEW round as fast as BASE's, as a fast
 * outlier is kept): the whole CI lies beyond the critical 10%, so it is regressed
 * (critical), not unstable - the rule tach bench had on its own, now compare's for
 * every command. */
TEST(disagreeing_rounds_far_beyond_critical_are_regressed)
{
    tach__doc *b = tach__doc_new(), *n = tach__doc_new();
    const double base[] = {100, 104, 101, 103, 100, 102, 101, 103, 100, 104},
                 cur[] = {1400, 2100, 1500, 1800, 1450, 1700, 1600, 1550, 1480, 102};
    add_rounds(b, "bench/14x", base, 10);
    add_rounds(n, "bench/14x", cur, 10);
    tool_comparison c;
    const tool_cmp_row *r = compare_one(b, n, &c);
    ASSERT_TRUE(r->by_rounds);
    ASSERT_TRUE(r->rounds_disagree);
    ASSERT_TRUE(r->rounds_overlap); /* NEW's fast 102 round, kept, against BASE's */
    ASSERT_TRUE(r->p < 0.05);
    ASSERT_TRUE(r->change.lo > 0.10); /* the whole CI beyond the critical threshold */
    ASSERT_EQ(TOOL_REGRESSED, r->verdict);
    ASSERT_EQ(TOOL_CRITICAL, r->severity);
    ASSERT_TRUE(r->beyond_rounds);
    ASSERT_EQ(1, c.regressed_critical);
    ASSERT_TRUE(tool_comparison_fails(&c, TOOL_CRITICAL));
    json_t *j = tool_comparison_to_json(&c);
    ASSERT_TRUE(j != NULL);
    json_t *row = json_array_get(json_object_get(j, "benchmarks"), 0);
    ASSERT_TRUE(json_is_true(json_object_get(row, "beyond_rounds")));
    json_decref(j);
    tool_comparison_free(&c);
    /* The mirror image: as far beyond the other way is improved (critical). */
    ASSERT_EQ(0, tool_compare(n, b, NULL, &c, NULL));
    ASSERT_EQ(TOOL_IMPROVED, c.rows[0].verdict);
    ASSERT_EQ(TOOL_CRITICAL, c.rows[0].severity);
    ASSERT_TRUE(c.rows[0].beyond_rounds);
    /* that BASE counts as slowed in most rounds (1,480-2,100 over its fastest quarter's
     * 1,400); its fastest rounds are 14x NEW's too, so the improvement stands */
    ASSERT_EQ(TOOL_SIDE_BASE, c.rows[0].slowed_side);
    ASSERT_TRUE(c.rows[0].fast_change < -0.10);
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);
}

/* Disagreeing, overlapping rounds around zero, with a significant change whose CI
 * reaches the critical threshold but not wholly beyond it: still unstable. */
TEST(disagreeing_rounds_near_threshold_stay_unstable)
{
    tach__doc *b = tach__doc_new(), *n = tach__doc_new();
    const double base[] = {100, 101, 100, 101, 100, 101}, cur[] = {108, 109, 108, 109, 108, 100};
    add_rounds(b, "bench/near", base, 6);
    add_rounds(n, "bench/near", cur, 6);
    tool_comparison c;
    const tool_cmp_row *r = compare_one(b, n, &c);
    ASSERT_TRUE(r->rounds_disagree);
    ASSERT_TRUE(r->rounds_overlap);
    ASSERT_TRUE(!(r->change.lo > 0.10));
    ASSERT_EQ(TOOL_UNSTABLE, r->verdict);
    ASSERT_TRUE(!r->beyond_rounds);
    ASSERT_TRUE(!tool_comparison_fails(&c, TOOL_WARNING));
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);
}

/* A round preempted on each side (3x and 4x slower than its side's others, as a busy
 * machine makes them): set aside, so a 15% shift the other rounds agree on is found;
 * with them kept, the rounds would disagree and overlap (unstable). */
TEST(preempted_rounds_are_set_aside)
{
    tach__doc *b = tach__doc_new(), *n = tach__doc_new();
    const double base[] = {100, 101, 100, 300, 101, 100}, cur[] = {115, 116, 115, 116, 400, 115};
    add_rounds(b, "bench/preempted", base, 6);
    add_rounds(n, "bench/preempted", cur, 6);
    tool_rounds g;
    ASSERT_EQ(0, tool_rounds_of(&b->results[0], &g));
    ASSERT_EQ(1, tool_rounds_trim_slow(&g, 0.02));
    ASSERT_EQ(5, g.nrounds);
    ASSERT_EQ(5 * PER_ROUND, g.nsamples);
    ASSERT_NEAR(101.0, g.median[3], 1e-9); /* the rounds after the slow one moved up */
    ASSERT_NEAR(101.0 * (1 + jitter(0)), g.ns[g.start[3]], 1e-9);
    ASSERT_EQ(0, tool_rounds_trim_slow(&g, 0.02)); /* the rest agree */
    tool_rounds_free(&g);
    tool_comparison c;
    const tool_cmp_row *r = compare_one(b, n, &c);
    ASSERT_EQ(1, r->base_rounds_slow);
    ASSERT_EQ(1, r->new_rounds_slow);
    ASSERT_EQ(5, r->base_rounds);
    ASSERT_TRUE(!r->rounds_disagree);
    ASSERT_NEAR(0.15, r->change.value, 0.01);
    ASSERT_NEAR(100.0, r->base_median, 1.0);
    ASSERT_EQ(TOOL_REGRESSED, r->verdict);
    ASSERT_EQ(TOOL_CRITICAL, r->severity);
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);
}

/* The median a benchmark's history is made of: the same as the comparison's (slowed
 * rounds set aside), so its run-to-run noise is that of the statistic compared. */
TEST(compared_median_sets_slowed_rounds_aside)
{
    tach__doc *d = tach__doc_new();
    const double levels[] = {100, 400, 100, 350, 100, 100}; /* 2 of 6 slowed */
    add_rounds(d, "x", levels, 6);
    add_one(d, "one", 123);
    /* all 180 samples: 120 near 100 and 60 near 350-400, median near 100 but pulled up */
    double pooled = tach__median(d->results[0].sample_ns, d->results[0].nsamples);
    double m = tool_result_compared_median(&d->results[0], 0.02);
    ASSERT_NEAR(100.0, m, 0.5);
    ASSERT_TRUE(pooled >= m);
    ASSERT_NEAR(123.0, tool_result_compared_median(&d->results[1], 0.02), 0);
    ASSERT_NAN(tool_result_compared_median(NULL, 0.02));
    tach__doc_free(d);
}

/* A real shift, the same in every round: regressed, critical. */
TEST(shift_consistent_across_rounds_is_regressed)
{
    tach__doc *b = tach__doc_new(), *n = tach__doc_new();
    const double base[] = {100, 101, 99.5, 100.5}, cur[] = {115, 116.15, 114.425, 115.575};
    add_rounds(b, "bench/slower", base, 4);
    add_rounds(n, "bench/slower", cur, 4);
    tool_comparison c;
    const tool_cmp_row *r = compare_one(b, n, &c);
    ASSERT_TRUE(r->by_rounds);
    ASSERT_TRUE(!r->rounds_disagree); /* 1.5% apart: inside the 2% noise band */
    ASSERT_NEAR(0.15, r->change.value, 0.005);
    ASSERT_TRUE(r->change.lo > 0.1 && r->change.hi < 0.2);
    ASSERT_TRUE(r->p < 0.001);
    ASSERT_EQ(TOOL_REGRESSED, r->verdict);
    ASSERT_EQ(TOOL_CRITICAL, r->severity);
    ASSERT_TRUE(tool_comparison_fails(&c, TOOL_CRITICAL));
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);
}

/* Rounds that differ by more than their samples explain, but every NEW round is
 * slower than every BASE round: the shift is real, so still regressed. */
TEST(shift_beyond_disagreeing_rounds_is_still_regressed)
{
    tach__doc *b = tach__doc_new(), *n = tach__doc_new();
    const double base[] = {100, 104, 101, 103, 100, 104}, cur[] = {125, 130, 126, 129, 125, 130};
    add_rounds(b, "bench/slower", base, 6);
    add_rounds(n, "bench/slower", cur, 6);
    tool_comparison c;
    const tool_cmp_row *r = compare_one(b, n, &c);
    ASSERT_TRUE(r->rounds_disagree);
    ASSERT_TRUE(!r->rounds_overlap);
    ASSERT_EQ(TOOL_REGRESSED, r->verdict);
    ASSERT_EQ(TOOL_CRITICAL, r->severity);
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);
}

/* Same rounds on both sides: unchanged, whatever the spread between rounds. */
TEST(identical_rounds_are_unchanged)
{
    tach__doc *b = tach__doc_new(), *n = tach__doc_new();
    const double base[] = {100, 100.5, 99.8}, cur[] = {100.2, 99.9, 100.4};
    add_rounds(b, "bench/same", base, 3);
    add_rounds(n, "bench/same", cur, 3);
    tool_comparison c;
    const tool_cmp_row *r = compare_one(b, n, &c);
    ASSERT_TRUE(r->by_rounds);
    ASSERT_EQ(TOOL_UNCHANGED, r->verdict);
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);
}

/* Rounds without any spread (every sample 100 ns in BASE, 110 ns in NEW): Welch's t on
 * the log round medians has a zero standard error, and as the spread goes to 0 at a
 * fixed difference t grows without bound and its two-sided p goes to 0 (Welch 1947,
 * t = (mean_x - mean_y) / sqrt(s_x^2/n_x + s_y^2/n_y)); tool_change_points takes two
 * such levels as a certain change the same way (test_changepoint.c).  So p is 0, not
 * NaN: the shift is regressed, not "unstable: not significant (q nan)". */
TEST(rounds_without_spread_at_two_levels_are_a_certain_change)
{
    tach__doc *b = tach__doc_new(), *n = tach__doc_new();
    for (int side = 0; side < 2; side++) {
        tach__result *r = tach__doc_add(side ? n : b);
        ASSERT_TRUE(r != NULL);
        r->name = tach__strdup("bench/flat");
        r->status = TACH__OK;
        r->nsamples = 10;
        r->sample_ns = tach__malloc(10 * sizeof *r->sample_ns);
        r->sample_iters = tach__malloc(10 * sizeof *r->sample_iters);
        r->sample_round = tach__malloc(10 * sizeof *r->sample_round);
        for (size_t i = 0; i < 10; i++) {
            r->sample_ns[i] = side ? 110 : 100;
            r->sample_iters[i] = 1;
            r->sample_round[i] = i / 5; /* two rounds of five */
        }
    }
    tool_comparison c;
    const tool_cmp_row *r = compare_one(b, n, &c);
    ASSERT_TRUE(r->by_rounds);
    ASSERT_NEAR(0.10, r->change.value, 1e-12);
    ASSERT_NEAR(0, r->p, 0);
    ASSERT_NEAR(0, r->q, 0);
    ASSERT_TRUE(!r->not_significant);
    ASSERT_EQ(TOOL_REGRESSED, r->verdict);
    ASSERT_EQ(TOOL_CRITICAL, r->severity);
    tool_comparison_free(&c);
    /* the same flat rounds on both sides: no test (p NaN), unchanged */
    tool_comparison c2;
    r = compare_one(b, b, &c2);
    ASSERT_TRUE(isnan(r->p));
    ASSERT_EQ(TOOL_UNCHANGED, r->verdict);
    tool_comparison_free(&c2);
    tach__doc_free(b);
    tach__doc_free(n);
}

/* One sample per side: not testable, the point change shown; the gate's extra check
 * counts a slowdown beyond critical, not a small change or a speed-up. */
TEST(one_sample_per_side_is_not_testable)
{
    tach__doc *b = tach__doc_new(), *n = tach__doc_new();
    add_one(b, "gb/doubled", 100);
    add_one(n, "gb/doubled", 200);
    add_one(b, "gb/small", 100);
    add_one(n, "gb/small", 103);
    add_one(b, "gb/faster", 100);
    add_one(n, "gb/faster", 50);
    tool_comparison c;
    char err[TACH__ERR_MAX];
    ASSERT_EQ(0, tool_compare(b, n, NULL, &c, err));
    ASSERT_EQ(3, c.untestable);
    ASSERT_EQ(1, c.untestable_critical);
    ASSERT_EQ(1, tool_comparison_untestable_fails(&c));
    ASSERT_EQ(0, c.unstable);
    for (size_t i = 0; i < c.nrows; i++) {
        ASSERT_EQ(TOOL_UNTESTABLE, c.rows[i].verdict);
        ASSERT_NAN(c.rows[i].change.lo);
        ASSERT_NAN(c.rows[i].p);
    }
    ASSERT_NEAR(1.0, c.rows[0].change.value, 1e-12);
    ASSERT_STREQ("not testable", tool_verdict_name(TOOL_UNTESTABLE));
    /* The comparison itself (regressions, failures, targets) does not fail. */
    ASSERT_TRUE(!tool_comparison_fails(&c, TOOL_WARNING));
    json_t *j = tool_comparison_to_json(&c);
    ASSERT_TRUE(j != NULL);
    ASSERT_EQ(3, json_integer_value(json_object_get(json_object_get(j, "summary"), "untestable")));
    json_decref(j);
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);
}

/* Rounds of one sample each (Google Benchmark's repetitions read back): tested on the
 * rounds, so ten repetitions of a clear doubling are regressed. */
TEST(repetitions_of_one_sample_are_tested_on_the_rounds)
{
    tach__doc *b = tach__doc_new(), *n = tach__doc_new();
    tach__result *rb = tach__doc_add(b), *rn = NULL;
    rb->name = tach__strdup("gb/rep");
    rb->status = TACH__OK;
    rb->nsamples = 10;
    rb->sample_ns = tach__malloc(10 * sizeof(double));
    rb->sample_round = tach__malloc(10 * sizeof(size_t));
    for (size_t i = 0; i < 10; i++) {
        rb->sample_ns[i] = 100 * (1 + jitter((int)i) * 4);
        rb->sample_round[i] = i;
    }
    rn = tach__doc_add(n);
    rn->name = tach__strdup("gb/rep");
    rn->status = TACH__OK;
    rn->nsamples = 10;
    rn->sample_ns = tach__malloc(10 * sizeof(double));
    rn->sample_round = tach__malloc(10 * sizeof(size_t));
    for (size_t i = 0; i < 10; i++) {
        rn->sample_ns[i] = 200 * (1 + jitter((int)i + 3) * 4);
        rn->sample_round[i] = i;
    }
    tool_comparison c;
    const tool_cmp_row *r = compare_one(b, n, &c);
    ASSERT_TRUE(r->by_rounds);
    ASSERT_EQ(10, r->base_rounds);
    ASSERT_TRUE(!r->rounds_disagree); /* one sample a round: their own spread is unknown */
    ASSERT_EQ(TOOL_REGRESSED, r->verdict);
    ASSERT_EQ(TOOL_CRITICAL, r->severity);
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);
}

TEST(hierarchical_bootstrap_is_seeded_and_wider_than_pooled)
{
    tach__doc *d = tach__doc_new();
    const double base[] = {100, 104, 101, 103}, cur[] = {102, 106, 103, 105};
    add_rounds(d, "a", base, 4);
    add_rounds(d, "b", cur, 4);
    tool_rounds x, y;
    ASSERT_EQ(0, tool_rounds_of(&d->results[0], &x));
    ASSERT_EQ(0, tool_rounds_of(&d->results[1], &y));
    tach__ci h1, h2, pooled;
    ASSERT_EQ(0, tool_bootstrap_ratio_rounds(&x, &y, 2000, 0.95, 7, &h1));
    ASSERT_EQ(0, tool_bootstrap_ratio_rounds(&x, &y, 2000, 0.95, 7, &h2));
    ASSERT_NEAR(h1.lo, h2.lo, 0);
    ASSERT_NEAR(h1.hi, h2.hi, 0);
    ASSERT_EQ(0, tach__bootstrap_ratio(d->results[0].sample_ns, d->results[0].nsamples,
                                       d->results[1].sample_ns, d->results[1].nsamples, 2000,
                                       0.95, 7, &pooled));
    ASSERT_NEAR(pooled.value, h1.value, 1e-12);
    ASSERT_TRUE(h1.hi - h1.lo > pooled.hi - pooled.lo);
    tool_rounds_free(&x);
    tool_rounds_free(&y);
    tach__doc_free(d);
}

static double learned_noise(const char *name, void *ctx)
{
    (void)name;
    return *(double *)ctx;
}

/* Run-to-run noise learned from history: the robust spread of consecutive log ratios,
 * and a noise threshold widened to 2.5 times it. */
TEST(run_noise_from_history_widens_the_noise_threshold)
{
    const double steady[] = {100, 101, 100, 101, 100, 101};
    double s = tool_run_noise(steady, 6);
    ASSERT_NEAR(1.4826 * fabs(log(101.0 / 100.0)), s, 1e-9); /* |ratios| all log(1.01) */
    ASSERT_NAN(tool_run_noise(steady, 4));                     /* too short a history */
    const double with_bad[] = {100, 0, 101, 100, 101, 100};   /* a failed run is skipped */
    ASSERT_TRUE(tool_run_noise(with_bad, 6) > 0);

    /* A shift of 15% consistent across rounds is regressed on its own, but not for a
     * benchmark whose runs differ by 8% (sd) from one run to the next. */
    tach__doc *b = tach__doc_new(), *n = tach__doc_new();
    const double base[] = {100, 101, 99.5, 100.5}, cur[] = {115, 116.15, 114.425, 115.575};
    add_rounds(b, "bench/slower", base, 4);
    add_rounds(n, "bench/slower", cur, 4);
    tool_cmp_options o;
    tool_cmp_options_default(&o);
    double sd = 0.08;
    o.run_noise = learned_noise;
    o.run_noise_ctx = &sd;
    tool_comparison c;
    ASSERT_EQ(0, tool_compare(b, n, &o, &c, NULL));
    ASSERT_NEAR(0.08, c.rows[0].run_noise, 0);
    ASSERT_NEAR(0.20, c.rows[0].noise, 1e-12);
    ASSERT_NEAR(0.02, c.rows[0].asked_noise, 0);
    /* not "unchanged" either: too noisy to judge at the 2% asked */
    ASSERT_EQ(TOOL_UNSTABLE, c.rows[0].verdict);
    ASSERT_TRUE(c.rows[0].runs_differ);
    tool_comparison_free(&c);
    sd = 0.004; /* steadier than the 2% default: the default stands */
    ASSERT_EQ(0, tool_compare(b, n, &o, &c, NULL));
    ASSERT_NEAR(0.02, c.rows[0].noise, 1e-12);
    ASSERT_EQ(TOOL_REGRESSED, c.rows[0].verdict);
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);
}

/* ---- one side slowed in more rounds than may be set aside ----------------------- */

/* Pair 20 of bench/verdicts (load 12-22, `sum`, a 10% slowdown judged "improved" by
 * 41%): BASE slowed in 9 of its 12 rounds, too many to set aside (and its faster half,
 * slowed rounds among them, sets no cut), NEW slowed in 3, set aside.  The shape:
 * BASE 3 rounds near 4,300 ns and 9 at 6,900-10,500; NEW 9 near 4,650 and 3 at
 * 9,000-15,000.  Judged as a shift it is improved beyond the critical threshold
 * (BASE looks slower than the code is); the verdict is unstable, naming BASE. */
TEST(base_slowed_throughout_is_unstable_not_improved)
{
    tach__doc *b = tach__doc_new(), *n = tach__doc_new();
    const double base[] = {7200, 4310, 7900, 8100, 4290, 7600, 9400, 6900, 8800, 4350, 7400, 10500},
                 cur[] = {4620, 4660, 12000, 4700, 4640, 4680, 15000, 4610, 4690, 4650, 9000, 4670};
    add_rounds(b, "sum", base, 12);
    add_rounds(n, "sum", cur, 12);
    tool_rounds g;
    double fast;
    ASSERT_EQ(0, tool_rounds_of(&b->results[0], &g));
    ASSERT_EQ(9, tool_rounds_slowed(&g, 0.02, &fast));
    ASSERT_NEAR(4310.0, fast, 1e-9); /* the median of the 3 fastest rounds */
    ASSERT_EQ(5, tool_rounds_trim_cap(12));
    ASSERT_EQ(0, tool_rounds_trim_slow(&g, 0.02)); /* none can be set aside */
    tool_rounds_free(&g);
    tool_comparison c;
    const tool_cmp_row *r = compare_one(b, n, &c);
    ASSERT_EQ(0, r->base_rounds_slow);
    ASSERT_EQ(3, r->new_rounds_slow);
    ASSERT_EQ(9, r->base_rounds_slowed);
    ASSERT_EQ(3, r->new_rounds_slowed);
    ASSERT_EQ(TOOL_SIDE_BASE, r->slowed_side);
    /* as a shift: significant, its whole CI below -10% */
    ASSERT_TRUE(r->p < 0.05);
    ASSERT_TRUE(r->change.value < -0.30);
    ASSERT_TRUE(r->change.hi < -0.10);
    ASSERT_NEAR(4620.0 / 4310 - 1, r->fast_change, 1e-9); /* the 3 fastest's medians */
    ASSERT_EQ(TOOL_UNSTABLE, r->verdict);
    ASSERT_TRUE(!r->beyond_rounds);
    ASSERT_EQ(0, c.improved);
    ASSERT_EQ(1, c.unstable);
    json_t *j = tool_comparison_to_json(&c);
    ASSERT_TRUE(j != NULL);
    json_t *row = json_array_get(json_object_get(j, "benchmarks"), 0);
    ASSERT_STREQ("base", json_string_value(json_object_get(row, "slowed_side")));
    ASSERT_EQ(9, json_integer_value(json_object_get(row, "base_rounds_slowed")));
    json_decref(j);
    tool_comparison_free(&c);
    /* Swapped, it is NEW that was slowed throughout, on the same code's two levels
     * (4,310 and 4,650: 8% apart): regressed beyond the critical threshold as a shift,
     * but NEW's fastest rounds are not, so not a regression and the gate passes. */
    ASSERT_EQ(0, tool_compare(n, b, NULL, &c, NULL));
    r = &c.rows[0];
    ASSERT_EQ(TOOL_SIDE_NEW, r->slowed_side);
    ASSERT_TRUE(r->change.lo > 0.10);
    ASSERT_EQ(TOOL_UNSTABLE, r->verdict);
    ASSERT_TRUE(!tool_comparison_fails(&c, TOOL_WARNING));
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);
}

/* A/A: the same code, NEW slowed in 9 of 12 rounds (1.6-2.4x), BASE in 3 (set aside).
 * As a shift its whole CI lies beyond +10% (the rule for disagreeing rounds would call
 * it regressed, critical: a false alarm); NEW's fastest rounds match BASE's, so it is
 * unstable and the gate passes.  A/A with both sides slowed in a few rounds (set aside
 * on both) is not a change at all. */
TEST(aa_with_one_side_slowed_throughout_is_not_regressed)
{
    tach__doc *b = tach__doc_new(), *n = tach__doc_new(), *n2 = tach__doc_new();
    const double base[] = {100, 101, 300, 100.5, 99.5, 100, 250, 101, 100.5, 400, 99.5, 100},
                 cur[] = {160, 100, 210, 240, 180, 100.5, 200, 170, 99.5, 230, 190, 220},
                 even[] = {101, 100, 100.5, 280, 99.5, 100, 101, 350, 100.5, 100, 99.5, 200};
    add_rounds(b, "aa", base, 12);
    add_rounds(n, "aa", cur, 12);
    add_rounds(n2, "aa", even, 12);
    tool_comparison c;
    const tool_cmp_row *r = compare_one(b, n, &c);
    ASSERT_EQ(3, r->base_rounds_slow);
    ASSERT_EQ(9, r->new_rounds_slowed);
    ASSERT_EQ(TOOL_SIDE_NEW, r->slowed_side);
    ASSERT_TRUE(r->change.lo > 0.10);
    ASSERT_TRUE(fabs(r->fast_change) < 0.02);
    ASSERT_EQ(TOOL_UNSTABLE, r->verdict);
    ASSERT_EQ(0, c.regressed);
    ASSERT_TRUE(!tool_comparison_fails(&c, TOOL_WARNING));
    tool_comparison_free(&c);
    r = compare_one(b, n2, &c);
    ASSERT_EQ(3, r->base_rounds_slow);
    ASSERT_EQ(3, r->new_rounds_slow);
    ASSERT_EQ(TOOL_SIDE_NONE, r->slowed_side);
    ASSERT_TRUE(r->verdict != TOOL_REGRESSED && r->verdict != TOOL_IMPROVED);
    ASSERT_TRUE(!tool_comparison_fails(&c, TOOL_WARNING));
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);
    tach__doc_free(n2);
}

/* A real 10% slowdown, both sides slowed in 3 of 12 rounds (2-5x, set aside on both):
 * regressed. */
TEST(slowdown_with_evenly_slowed_rounds_is_regressed)
{
    tach__doc *b = tach__doc_new(), *n = tach__doc_new();
    const double base[] = {100, 101, 250, 100.5, 99.5, 100, 400, 101, 100.5, 180, 99.5, 100},
                 cur[] = {110, 300, 111, 110.5, 109.5, 220, 110, 111, 110.5, 110, 500, 109.5};
    add_rounds(b, "slow10", base, 12);
    add_rounds(n, "slow10", cur, 12);
    tool_comparison c;
    const tool_cmp_row *r = compare_one(b, n, &c);
    ASSERT_EQ(3, r->base_rounds_slow);
    ASSERT_EQ(3, r->new_rounds_slow);
    ASSERT_EQ(3, r->base_rounds_slowed);
    ASSERT_EQ(3, r->new_rounds_slowed);
    ASSERT_EQ(TOOL_SIDE_NONE, r->slowed_side);
    ASSERT_NEAR(0.10, r->change.value, 0.005);
    ASSERT_EQ(TOOL_REGRESSED, r->verdict);
    ASSERT_TRUE(tool_comparison_fails(&c, TOOL_WARNING));
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);
}

/* The safe directions.  A doubling whose NEW side was slowed in 9 of 12 rounds is
 * still regressed (critical): its whole CI and its fastest rounds lie beyond +10%.  A
 * regression measured against a BASE slowed throughout stands (BASE's slowness hid part
 * of it); a regression that BASE's slowness cancels out is not "unchanged". */
TEST(slowed_side_keeps_verdicts_against_its_push)
{
    tach__doc *b = tach__doc_new(), *n = tach__doc_new();
    const double base[] = {100, 101, 300, 100.5, 99.5, 100, 250, 101, 100.5, 100, 99.5, 100},
                 cur[] = {350, 200, 420, 480, 360, 201, 400, 390, 199, 460, 380, 440};
    add_rounds(b, "double", base, 12);
    add_rounds(n, "double", cur, 12);
    tool_comparison c;
    const tool_cmp_row *r = compare_one(b, n, &c);
    ASSERT_EQ(TOOL_SIDE_NEW, r->slowed_side);
    ASSERT_NEAR(200.0 / 99.5 - 1, r->fast_change, 1e-9);
    ASSERT_EQ(TOOL_REGRESSED, r->verdict);
    ASSERT_EQ(TOOL_CRITICAL, r->severity);
    ASSERT_TRUE(tool_comparison_fails(&c, TOOL_CRITICAL));
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);

    /* BASE slowed in 9 of 12 (at 130-150), NEW 60% slower than BASE's fast rounds */
    b = tach__doc_new(), n = tach__doc_new();
    const double base2[] = {130, 100, 140, 150, 135, 101, 145, 138, 100.5, 142, 133, 148},
                 cur2[] = {160, 161, 400, 160.5, 159.5, 160, 161, 350, 160.5, 160, 159.5, 161};
    add_rounds(b, "x", base2, 12);
    add_rounds(n, "x", cur2, 12);
    r = compare_one(b, n, &c);
    ASSERT_EQ(TOOL_SIDE_BASE, r->slowed_side);
    ASSERT_EQ(TOOL_REGRESSED, r->verdict);
    tool_comparison_free(&c);
    tach__doc_free(n);

    /* NEW 40% slower than BASE's 2 fast rounds, where BASE's 10 slowed rounds lie: as a
     * shift, nothing changed (a CI inside +-2%); with BASE slowed throughout, unstable */
    tach__doc_free(b);
    b = tach__doc_new(), n = tach__doc_new();
    const double base3[] = {140, 100, 141, 139.5, 140.5, 140, 100.5, 141, 139.5, 140, 140.5, 141},
                 cur3[] = {140, 141, 400, 140.5, 139.5, 140, 141, 350, 140.5, 140, 139.5, 141};
    add_rounds(b, "x", base3, 12);
    add_rounds(n, "x", cur3, 12);
    r = compare_one(b, n, &c);
    ASSERT_EQ(TOOL_SIDE_BASE, r->slowed_side);
    ASSERT_EQ(10, r->base_rounds_slowed);
    ASSERT_TRUE(r->change.lo >= -0.02 && r->change.hi <= 0.02);
    ASSERT_EQ(TOOL_UNSTABLE, r->verdict);
    ASSERT_EQ(0, c.unchanged);
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);
}

/* A round whose median is 0 (a benchmark timed at 0 ns) has no log: the test is then
 * on the round medians themselves, and p is kept.  A change that is no number (a
 * median of 0, a ratio beyond a double) is NaN with its reason, never infinite. */
TEST(round_median_of_zero_keeps_p_and_no_change_is_infinite)
{
    tool_comparison c;
    tach__doc *b = tach__doc_new(), *n = tach__doc_new();
    const double some_zero[] = {0, 0, 1, 1}, five[] = {5, 5, 5, 5};
    add_rounds(b, "x", some_zero, 4);
    add_rounds(n, "x", five, 4);
    const tool_cmp_row *r = compare_one(b, n, &c);
    ASSERT_TRUE(r->by_rounds);
    ASSERT_TRUE(r->p < 0.05);
    ASSERT_TRUE(isfinite(r->change.value) && r->change.value > 1);
    ASSERT_TRUE(isfinite(r->change.lo) && r->change.lo > 1);
    ASSERT_TRUE(isnan(r->change.hi)); /* resamples of BASE with median 0: unbounded */
    ASSERT_STREQ(TOOL_CHANGE_NA_CI, r->change_na);
    ASSERT_EQ(TOOL_REGRESSED, r->verdict);
    ASSERT_EQ(TOOL_CRITICAL, r->severity);
    tool_comparison_free(&c);
    tach__doc_free(b);

    b = tach__doc_new();
    const double zero[] = {0, 0, 0, 0};
    add_rounds(b, "x", zero, 4);
    r = compare_one(b, n, &c);
    ASSERT_TRUE(r->p < 0.05); /* every BASE round 0, every NEW round 5: certain */
    ASSERT_TRUE(isnan(r->change.value));
    ASSERT_TRUE(!isinf(r->change.lo) && !isinf(r->change.hi));
    ASSERT_STREQ(TOOL_CHANGE_NA_BASE_ZERO, r->change_na);
    ASSERT_TRUE(isnan(c.geomean_change));
    tool_comparison_free(&c);
    r = compare_one(n, b, &c);
    ASSERT_TRUE(r->p < 0.05);
    ASSERT_STREQ(TOOL_CHANGE_NA_NEW_ZERO, r->change_na);
    ASSERT_EQ(TOOL_IMPROVED, r->verdict);
    ASSERT_EQ(TOOL_CRITICAL, r->severity); /* its CI: -100% */
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);

    b = tach__doc_new(), n = tach__doc_new();
    const double tiny[] = {1e-300, 1e-300, 1e-300, 1e-300}, huge[] = {1e300, 1e300, 1e300, 1e300};
    add_rounds(b, "x", tiny, 4);
    add_rounds(n, "x", huge, 4);
    r = compare_one(b, n, &c);
    ASSERT_TRUE(isnan(r->change.value));
    ASSERT_TRUE(!isinf(r->change.lo) && !isinf(r->change.hi));
    ASSERT_STREQ(TOOL_CHANGE_NA_RANGE, r->change_na);
    ASSERT_TRUE(!isinf(c.geomean_change));
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);
}

/* The same data on both sides, a benchmark timed at 0 ns in some rounds (a clock too
 * coarse for it): resamples whose BASE median is 0 leave the CI's upper end unbounded
 * ([-100%, n/a]).  Such a CI is not inside the noise band, and the point change of 0 is
 * no evidence of "unchanged": the verdict is unstable.  It was "unchanged", an end that is
 * no number having been taken for no CI at all.  So for one round a side too. */
TEST(a_ci_with_an_unbounded_end_is_not_unchanged)
{
    tool_comparison c;
    const double some_zero[] = {0, 0, 20, 20};
    tach__doc *b = tach__doc_new(), *n = tach__doc_new();
    add_rounds(b, "x", some_zero, 4);
    add_rounds(n, "x", some_zero, 4);
    const tool_cmp_row *r = compare_one(b, n, &c);
    ASSERT_TRUE(r->by_rounds);
    ASSERT_NEAR(0, r->change.value, 0);
    ASSERT_TRUE(isfinite(r->change.lo) && isnan(r->change.hi));
    ASSERT_EQ(TOOL_UNSTABLE, r->verdict);
    ASSERT_EQ(0, c.unchanged);
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);

    /* one round a side: 14 samples of 0 ns and 16 of 20 ns, the bootstrap of samples */
    b = tach__doc_new(), n = tach__doc_new();
    double flat[] = {20};
    add_rounds(b, "x", flat, 1);
    add_rounds(n, "x", flat, 1);
    for (int i = 0; i < 14; i++) b->results[0].sample_ns[i] = n->results[0].sample_ns[i] = 0;
    r = compare_one(b, n, &c);
    ASSERT_TRUE(!r->by_rounds);
    ASSERT_TRUE(isfinite(r->change.lo) && isnan(r->change.hi));
    ASSERT_EQ(TOOL_UNSTABLE, r->verdict);
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);
}

/* Resamples whose two medians are both 0 (0/0) have no ratio and are left out of the
 * hierarchical CI, as the bootstrap of samples leaves them out (tach__bootstrap_ratio):
 * BASE 4 rounds, two timed at 0 ns and two at 20; NEW 12 rounds, 11 at 0 ns.  About 5 in
 * 16 resamples draw 3 or 4 of BASE's zero rounds (median 0), and NEW's median is 0 in
 * all but a negligible few: the others give -100%, so the CI is [-100%, -100%].  Sorted
 * with the NaN ratios in, its upper end was NaN ("unbounded"). */
TEST(hierarchical_ci_leaves_out_resamples_without_a_ratio)
{
    const double base[] = {0, 0, 20, 20};
    double cur[12] = {0};
    cur[5] = 20;
    tach__doc *d = tach__doc_new();
    add_rounds(d, "b", base, 4);
    add_rounds(d, "n", cur, 12);
    tool_rounds x, y;
    ASSERT_EQ(0, tool_rounds_of(&d->results[0], &x));
    ASSERT_EQ(0, tool_rounds_of(&d->results[1], &y));
    tach__ci ci;
    ASSERT_EQ(0, tool_bootstrap_ratio_rounds(&x, &y, 2000, 0.95, 7, &ci));
    ASSERT_NEAR(-1, ci.value, 0);
    ASSERT_NEAR(-1, ci.lo, 0);
    ASSERT_NEAR(-1, ci.hi, 0);
    tool_rounds_free(&x);
    tool_rounds_free(&y);
    tach__doc_free(d);
}

TEST_MAIN()
