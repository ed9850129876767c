/*
 * test_compare.c - the comparison model (src/judge/compare.c) on crafted documents whose
 * outcome is known.
 *
 * Data (the same formulas in C and in the Python lines quoted; glibc's sin() serves
 * both, so the doubles are identical):
 *   steady(i)   = 100 + ((i*37) % 11) * 0.1,             i < 30   (median 100.5)
 *   noisy_a(i)  = 100 * (1 + 0.25*sin(i*1.7)),            i < 20
 *   noisy_b(i)  = 103 * (1 + 0.25*sin(i*2.3 + 1)),        i < 20
 * Reference values: /usr/bin/python3, scipy 1.10.1, numpy:
 *   mannwhitneyu(steady, [1.08*v for v in steady], method="asymptotic")
 *       -> statistic 0.0, pvalue 2.8899630891946727e-11
 *   mannwhitneyu(steady, steady, method="asymptotic") -> 450.0, 1.0
 *   mannwhitneyu(noisy_a, noisy_b, method="asymptotic") -> 173.0, 0.4734806277722057
 *   np.median(noisy_b)/np.median(noisy_a) - 1 = 0.04866885877184557
 *   np.std(noisy_a, ddof=1)/np.mean(noisy_a) = 0.17847044056738515
 *   scipy.stats.gmean([1.08, 1.0, 103.44283819538174/98.64204255719905]) - 1
 *       = 0.04236713260032898
 *   BH of p = [2.89e-11, 1.0, 0.4735] by hand: p_(i) * m / i, then the running
 *       minimum from the largest: [8.669889267584018e-11, 1.0, 0.7102209416583086].
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compare.h"
#include "metric.h"
#include "scaling.h"
#include "test.h"

static double steady(int i) { return 100 + ((i * 37) % 11) * 0.1; }
static double noisy_a(int i) { return 100 * (1 + 0.25 * sin(i * 1.7)); }
static double noisy_b(int i) { return 103 * (1 + 0.25 * sin(i * 2.3 + 1)); }

/* Adds an ok result named name with n samples f(i) * scale. */
static tach__result *add(tach__doc *d, const char *name, double (*f)(int), int n, double scale)
{
    tach__result *r = tach__doc_add(d);
    ASSERT_TRUE(r != NULL);
    r->name = tach__strdup(name);
    r->status = TACH__OK;
    r->nsamples = (size_t)n;
    r->sample_ns = tach__malloc((size_t)n * sizeof *r->sample_ns);
    r->sample_iters = tach__malloc((size_t)n * sizeof *r->sample_iters);
    for (int i = 0; i < n; i++) {
        r->sample_ns[i] = f(i) * scale;
        r->sample_iters[i] = 1000;
    }
    return r;
}

static const tool_cmp_row *row_named(const tool_comparison *c, const char *name)
{
    for (size_t i = 0; i < c->nrows; i++)
        if (!strcmp(c->rows[i].name, name)) return &c->rows[i];
    return NULL;
}

/* The suite used by most tests: a clear 8% regression, an identical pair, a noisy
 * pair, one benchmark removed and one added. */
static void make_suite(tach__doc **base, tach__doc **cur)
{
    *base = tach__doc_new();
    *cur = tach__doc_new();
    add(*base, "suite/slower", steady, 30, 1.0);
    add(*cur, "suite/slower", steady, 30, 1.08);
    add(*base, "suite/same", steady, 30, 1.0);
    add(*cur, "suite/same", steady, 30, 1.0);
    add(*base, "suite/noisy", noisy_a, 20, 1.0);
    add(*cur, "suite/noisy", noisy_b, 20, 1.0);
    add(*base, "suite/gone", steady, 30, 1.0);
    add(*cur, "suite/fresh", steady, 30, 1.0);
}

TEST(clear_regression_is_regressed_with_its_statistics)
{
    tach__doc *b, *n;
    make_suite(&b, &n);
    tool_comparison c;
    char err[TACH__ERR_MAX];
    ASSERT_EQ(0, tool_compare(b, n, NULL, &c, err));
    const tool_cmp_row *r = row_named(&c, "suite/slower");
    ASSERT_TRUE(r != NULL);
    ASSERT_EQ(TOOL_REGRESSED, r->verdict);
    ASSERT_EQ(TOOL_WARNING, r->severity); /* 8%: beyond 2% noise, below 10% critical */
    ASSERT_NEAR(0.08, r->change.value, 1e-12);
    /* Both samples are steady: the bootstrap CI is tight around 8% and excludes 2%. */
    ASSERT_TRUE(r->change.lo > 0.07 && r->change.lo <= 0.08);
    ASSERT_TRUE(r->change.hi >= 0.08 && r->change.hi < 0.09);
    ASSERT_NEAR(0.0, r->u, 0);
    ASSERT_REL(2.8899630891946727e-11, r->p, 1e-6);
    ASSERT_REL(8.669889267584018e-11, r->q, 1e-6);
    ASSERT_NEAR(100.5, r->base_median, 1e-9);
    ASSERT_NEAR(108.54, r->new_median, 1e-9);
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);
}

TEST(identical_pair_is_unchanged_within_noise)
{
    tach__doc *b, *n;
    make_suite(&b, &n);
    tool_comparison c;
    ASSERT_EQ(0, tool_compare(b, n, NULL, &c, NULL));
    const tool_cmp_row *r = row_named(&c, "suite/same");
    ASSERT_EQ(TOOL_UNCHANGED, r->verdict);
    ASSERT_EQ(TOOL_WITHIN_NOISE, r->severity);
    ASSERT_NEAR(0.0, r->change.value, 0);
    ASSERT_NEAR(450.0, r->u, 0);
    ASSERT_NEAR(1.0, r->p, 1e-12);
    ASSERT_NEAR(1.0, r->q, 1e-12);
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);
}

TEST(noisy_pair_is_unstable_not_regressed)
{
    tach__doc *b, *n;
    make_suite(&b, &n);
    tool_comparison c;
    ASSERT_EQ(0, tool_compare(b, n, NULL, &c, NULL));
    const tool_cmp_row *r = row_named(&c, "suite/noisy");
    ASSERT_EQ(TOOL_UNSTABLE, r->verdict);
    ASSERT_NEAR(0.04866885877184557, r->change.value, 1e-12);
    ASSERT_REL(0.4734806277722057, r->p, 1e-6);
    ASSERT_REL(0.7102209416583086, r->q, 1e-6);
    ASSERT_REL(0.17847044056738515, r->base_cv, 1e-9);
    /* The CI must be wide enough to hold zero: that is why it is not a regression. */
    ASSERT_TRUE(r->change.lo < 0 && r->change.hi > 0.0487);
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);
}

TEST(added_removed_counts_and_geomean)
{
    tach__doc *b, *n;
    make_suite(&b, &n);
    tool_comparison c;
    ASSERT_EQ(0, tool_compare(b, n, NULL, &c, NULL));
    ASSERT_EQ(5, c.nrows);
    ASSERT_EQ(TOOL_REMOVED, row_named(&c, "suite/gone")->verdict);
    ASSERT_EQ(TOOL_ADDED, row_named(&c, "suite/fresh")->verdict);
    ASSERT_EQ(3, c.compared);
    ASSERT_EQ(1, c.regressed);
    ASSERT_EQ(1, c.unchanged);
    ASSERT_EQ(1, c.unstable);
    ASSERT_EQ(1, c.added);
    ASSERT_EQ(1, c.removed);
    ASSERT_EQ(0, c.improved);
    ASSERT_NEAR(0.04236713260032898, c.geomean_change, 1e-12);
    ASSERT_EQ(3, tool_compare_common(b, n)); /* slower, same, noisy are in both */
    ASSERT_TRUE(tool_comparison_fails(&c, TOOL_WARNING));
    ASSERT_TRUE(!tool_comparison_fails(&c, TOOL_CRITICAL));
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);
}

TEST(improvement_is_symmetric_and_critical)
{
    tach__doc *b = tach__doc_new(), *n = tach__doc_new();
    add(b, "x", steady, 30, 1.0);
    add(n, "x", steady, 30, 0.85);
    tool_comparison c;
    ASSERT_EQ(0, tool_compare(b, n, NULL, &c, NULL));
    ASSERT_EQ(TOOL_IMPROVED, c.rows[0].verdict);
    ASSERT_EQ(TOOL_CRITICAL, c.rows[0].severity);
    ASSERT_NEAR(-0.15, c.rows[0].change.value, 1e-12);
    ASSERT_TRUE(!tool_comparison_fails(&c, TOOL_WARNING));
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);
}

TEST(critical_regression_fails_even_fail_on_critical)
{
    tach__doc *b = tach__doc_new(), *n = tach__doc_new();
    add(b, "x", steady, 30, 1.0);
    add(n, "x", steady, 30, 1.15);
    tool_comparison c;
    ASSERT_EQ(0, tool_compare(b, n, NULL, &c, NULL));
    ASSERT_EQ(TOOL_REGRESSED, c.rows[0].verdict);
    ASSERT_EQ(TOOL_CRITICAL, c.rows[0].severity);
    ASSERT_EQ(1, c.regressed_critical);
    ASSERT_TRUE(tool_comparison_fails(&c, TOOL_CRITICAL));
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);
}

TEST(significant_change_inside_the_noise_band_is_unchanged)
{
    /* 1%: steady() spans 1%, so the samples barely overlap and the U test is sure,
     * but the whole CI lies inside the +-2% noise band. */
    tach__doc *b = tach__doc_new(), *n = tach__doc_new();
    add(b, "x", steady, 30, 1.0);
    add(n, "x", steady, 30, 1.01);
    tool_comparison c;
    ASSERT_EQ(0, tool_compare(b, n, NULL, &c, NULL));
    ASSERT_TRUE(c.rows[0].p < 0.05);
    ASSERT_EQ(TOOL_UNCHANGED, c.rows[0].verdict);
    ASSERT_EQ(TOOL_WITHIN_NOISE, c.rows[0].severity);
    tool_comparison_free(&c);
    /* With --noise 0.5 the same 1% is a regression. */
    tool_cmp_options o;
    tool_cmp_options_default(&o);
    o.noise = 0.005;
    ASSERT_EQ(0, tool_compare(b, n, &o, &c, NULL));
    ASSERT_EQ(TOOL_REGRESSED, c.rows[0].verdict);
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);
}

TEST(rules_override_thresholds_by_glob_last_wins)
{
    tach__doc *b, *n;
    make_suite(&b, &n);
    tool_rule rules[2];
    memset(rules, 0, sizeof rules);
    rules[0].pattern = "suite/*";
    rules[0].noise = 0.05;
    rules[0].critical = NAN;
    rules[1].pattern = "suite/slow*";
    rules[1].noise = 0.10;
    rules[1].critical = 0.5;
    tool_cmp_options o;
    tool_cmp_options_default(&o);
    o.rules = rules;
    o.nrules = 2;
    tool_comparison c;
    ASSERT_EQ(0, tool_compare(b, n, &o, &c, NULL));
    const tool_cmp_row *r = row_named(&c, "suite/slower");
    ASSERT_NEAR(0.10, r->noise, 0);
    ASSERT_NEAR(0.5, r->critical, 0);
    ASSERT_EQ(TOOL_UNCHANGED, r->verdict); /* 8% inside a 10% band */
    ASSERT_NEAR(0.05, row_named(&c, "suite/same")->noise, 0);
    ASSERT_NEAR(0.10, row_named(&c, "suite/same")->critical, 0); /* inherited */
    ASSERT_TRUE(!tool_comparison_fails(&c, TOOL_WARNING));
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);
}

TEST(missed_target_fails_the_comparison)
{
    tach__doc *b = tach__doc_new(), *n = tach__doc_new();
    add(b, "x", steady, 30, 1.0);
    tach__result *r = add(n, "x", steady, 30, 1.0);
    r->max_mean_ns = 100.0; /* mean of steady is 100.48333 */
    r->max_p99_ns = 1000.0;
    tool_comparison c;
    ASSERT_EQ(0, tool_compare(b, n, NULL, &c, NULL));
    ASSERT_EQ(TOOL_UNCHANGED, c.rows[0].verdict);
    ASSERT_EQ(2, c.rows[0].ntargets);
    ASSERT_STREQ("max_mean_ns", c.rows[0].targets[0].name);
    ASSERT_TRUE(!c.rows[0].targets[0].met);
    ASSERT_NEAR(100.48333333333332, c.rows[0].targets[0].actual, 1e-9);
    ASSERT_TRUE(c.rows[0].targets[1].met);
    ASSERT_EQ(1, c.targets_missed);
    ASSERT_TRUE(tool_comparison_fails(&c, TOOL_CRITICAL));
    tool_comparison_free(&c);
    /* A rule can relax it (later wins over the declared target). */
    tool_rule rule;
    memset(&rule, 0, sizeof rule);
    rule.pattern = "x";
    rule.noise = rule.critical = NAN;
    rule.max_mean_ns = 101;
    tool_cmp_options o;
    tool_cmp_options_default(&o);
    o.rules = &rule;
    o.nrules = 1;
    ASSERT_EQ(0, tool_compare(b, n, &o, &c, NULL));
    ASSERT_EQ(0, c.targets_missed);
    ASSERT_TRUE(!tool_comparison_fails(&c, TOOL_WARNING));
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);
}

/* A storage job's (or bus run's) bytes per second is its counter: its rows carry no
 * bytes_per_iter (the median interval's rate is not the job's), and min_bytes_per_sec
 * read "nothing measured" and failed every gate. */
TEST(min_bytes_per_sec_of_a_counter_rate)
{
    tach__doc *n = tach__doc_new();
    tach__result *r = add(n, "storage/read-1m", steady, 30, 1.0);
    ASSERT_EQ(0, tach__result_set_counter(r, "bw_bytes", 729e6));
    tach__result *q = add(n, "bus/queue/1to1/16/max", steady, 30, 1.0);
    ASSERT_EQ(0, tach__result_set_counter(q, "mb_per_s", 27));
    r = &n->results[0]; /* (the second add may have moved the results) */
    tool_rule rule;
    memset(&rule, 0, sizeof rule);
    rule.pattern = "*";
    rule.noise = rule.critical = NAN;
    rule.min_bytes_per_sec = 500e6;
    tool_target_check *t = NULL;
    size_t nt = 0;
    ASSERT_EQ(0, tool_check_targets(n, r, &rule, 1, &t, &nt));
    ASSERT_EQ(1, (long)nt);
    ASSERT_TRUE(t[0].met);
    ASSERT_NEAR(729e6, t[0].actual, 1e-3);
    tach__free(t);
    ASSERT_EQ(1, tool_check_targets(n, q, &rule, 1, &t, &nt)); /* 27 MB/s < 500 MB/s */
    ASSERT_NEAR(27e6, t[0].actual, 1e-3);
    tach__free(t);
    tach__doc_free(n);
}

/* A benchmark that failed in a run that counted instructions (context.settings.metric,
 * as the binary and tach run write it) measured no time and would have measured none:
 * its time targets are not checked, as a counted one's, not missed; a failed benchmark of
 * a timed run still misses them. */
TEST(failed_in_instruction_mode_time_targets_not_checked)
{
    for (int mode = 0; mode < 2; mode++) {
        tach__doc *d = tach__doc_new();
        tach__result *r = tach__doc_add(d);
        r->name = tach__strdup("unknown_insn");
        r->status = TACH__FAILED;
        r->message = tach__strdup("under Valgrind: killed by signal 4 (SIGILL)");
        r->max_median_ns = 500;
        r->min_items_per_sec = 1e6;
        if (mode) {
            json_t *s = json_object();
            json_object_set_new(s, "metric", json_string("instructions"));
            json_object_set_new(d->context, "settings", s);
        }
        ASSERT_EQ(mode == 1, tool_doc_counted_instructions(d));
        tool_target_check *t = NULL;
        size_t nt = 0;
        ASSERT_EQ(mode ? 0 : 2, tool_check_targets(d, r, NULL, 0, &t, &nt));
        ASSERT_EQ(2, (long)nt);
        for (size_t k = 0; k < nt; k++) {
            ASSERT_TRUE(!t[k].met);
            if (mode) ASSERT_STREQ(TOOL_NOT_CHECKED_TIME, t[k].not_checked);
            else ASSERT_TRUE(t[k].not_checked == NULL);
        }
        tach__free(t);
        /* and in a comparison, as gate checks NEW's targets */
        tool_comparison c;
        char err[TACH__ERR_MAX];
        ASSERT_EQ(0, tool_compare(d, d, NULL, &c, err));
        ASSERT_EQ(mode ? 0 : 2, (long)c.targets_missed);
        ASSERT_EQ(mode ? 2 : 0, (long)c.targets_not_checked);
        tool_comparison_free(&c);
        tach__doc_free(d);
    }
}

/* A thread sweep's targets go wherever the declared targets go: a projection onto a
 * metric (tool_metric_project, --metric) keeps .min_efficiency and .max_alpha, so the
 * sweeps found in it have them, and a counted run's (found there: its samples are the
 * counts) are listed not checked, not dropped. */
TEST(a_projection_keeps_the_sweep_targets)
{
    for (int counted = 0; counted < 2; counted++) {
        tach__doc *d = tach__doc_new();
        for (int threads = 1; threads <= 2; threads++) {
            char name[32], value[8];
            snprintf(name, sizeof name, "sweep/threads=%d", threads);
            snprintf(value, sizeof value, "%d", threads);
            tach__result *r = counted ? tach__doc_add(d) : add(d, name, steady, 20, threads);
            if (counted) {
                r->name = tach__strdup(name);
                r->status = TACH__OK;
                r->has_instr = true; /* no time measured: no samples */
                r->instr = (tach__instr){.instructions = 1000.0 * threads, .iterations = 100};
            }
            r->function = tach__strdup("sweep");
            r->params = tach__calloc(1, sizeof *r->params);
            r->params[0] = (tach__param){tach__strdup("threads"), tach__strdup(value)};
            r->nparams = 1;
            r->min_efficiency = 0.5;
            r->max_alpha = 0.2;
        }
        char err[TACH__ERR_MAX] = "";
        tach__doc *p = tool_metric_project(d, counted ? TOOL_METRIC_INSTRUCTIONS : TOOL_METRIC_WALL,
                                           100, 1, err);
        ASSERT_TRUE(p != NULL);
        for (size_t k = 0; k < p->nresults; k++) {
            ASSERT_NEAR(0.5, p->results[k].min_efficiency, 0);
            ASSERT_NEAR(0.2, p->results[k].max_alpha, 0);
        }
        tach__scale_sweep *sw = NULL;
        ASSERT_EQ(1, tach__scale_sweeps(p, 1, 8, &sw));
        ASSERT_NEAR(0.5, sw[0].min_efficiency, 0);
        ASSERT_NEAR(0.2, sw[0].max_alpha, 0);
        tach__scale_sweeps_free(sw, 1);
        tool_fit_check *v = NULL;
        size_t n = 0;
        ASSERT_EQ(0, tool_fit_checks(NULL, p, NULL, 0, &v, &n));
        ASSERT_EQ(2, (long)n);
        ASSERT_STREQ("min_efficiency", v[0].check.name);
        ASSERT_NEAR(0.5, v[0].check.limit, 0);
        ASSERT_STREQ("max_alpha", v[1].check.name);
        ASSERT_NEAR(0.2, v[1].check.limit, 0);
        ASSERT_TRUE(v[0].result == &p->results[1] && v[1].result == &p->results[1]);
        for (size_t k = 0; k < n; k++) {
            if (counted) ASSERT_STREQ(TOOL_NOT_CHECKED_TIME, v[k].check.not_checked);
            else ASSERT_TRUE(v[k].check.not_checked == NULL);
        }
        tach__free(v);
        tach__doc_free(p);
        tach__doc_free(d);
    }
}

TEST(max_regression_pct_budget)
{
    tach__doc *b = tach__doc_new(), *n = tach__doc_new();
    add(b, "x", steady, 30, 1.0);
    tach__result *r = add(n, "x", steady, 30, 1.08);
    r->max_regression_pct = 5;
    tool_comparison c;
    ASSERT_EQ(0, tool_compare(b, n, NULL, &c, NULL));
    ASSERT_EQ(1, c.targets_missed);
    ASSERT_STREQ("max_regression_pct", c.rows[0].targets[0].name);
    ASSERT_NEAR(8.0, c.rows[0].targets[0].actual, 1e-9);
    tool_comparison_free(&c);
    r->max_regression_pct = 20;
    ASSERT_EQ(0, tool_compare(b, n, NULL, &c, NULL));
    ASSERT_EQ(0, c.targets_missed);
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);
}

TEST(failed_new_benchmark_fails_and_failed_base_is_incomparable)
{
    tach__doc *b = tach__doc_new(), *n = tach__doc_new();
    add(b, "crashes", steady, 30, 1.0);
    tach__result *r = tach__doc_add(n);
    r->name = tach__strdup("crashes");
    r->status = TACH__CRASHED;
    r->signal = 11;
    tach__result *fb = tach__doc_add(b);
    fb->name = tach__strdup("was_broken");
    fb->status = TACH__FAILED;
    add(n, "was_broken", steady, 30, 1.0);
    tool_comparison c;
    ASSERT_EQ(0, tool_compare(b, n, NULL, &c, NULL));
    ASSERT_EQ(TOOL_BROKEN, row_named(&c, "crashes")->verdict);
    ASSERT_EQ(TOOL_INCOMPARABLE, row_named(&c, "was_broken")->verdict);
    ASSERT_EQ(1, c.broken);
    ASSERT_EQ(0, c.compared);
    ASSERT_TRUE(tool_comparison_fails(&c, TOOL_CRITICAL));
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);
}

TEST(no_common_benchmark_and_bad_options)
{
    tach__doc *b = tach__doc_new(), *n = tach__doc_new();
    add(b, "a", steady, 30, 1.0);
    add(n, "b", steady, 30, 1.0);
    ASSERT_EQ(0, tool_compare_common(b, n));
    tool_comparison c;
    ASSERT_EQ(0, tool_compare(b, n, NULL, &c, NULL));
    ASSERT_EQ(0, c.compared);
    ASSERT_NAN(c.geomean_change);
    tool_comparison_free(&c);
    tool_cmp_options o;
    tool_cmp_options_default(&o);
    o.alpha = 1.5;
    char err[TACH__ERR_MAX] = "";
    ASSERT_EQ(-1, tool_compare(b, n, &o, &c, err));
    ASSERT_TRUE(strstr(err, "alpha") != NULL);
    tool_comparison_free(&c);
    tach__doc_free(b);
    tach__doc_free(n);
}

TEST(deterministic_and_json_has_no_nan)
{
    tach__doc *b, *n;
    make_suite(&b, &n);
    tool_comparison c1, c2;
    ASSERT_EQ(0, tool_compare(b, n, NULL, &c1, NULL));
    ASSERT_EQ(0, tool_compare(b, n, NULL, &c2, NULL));
    for (size_t i = 0; i < c1.nrows; i++) {
        if (isnan(c1.rows[i].change.lo)) continue;
        ASSERT_NEAR(c1.rows[i].change.lo, c2.rows[i].change.lo, 0);
        ASSERT_NEAR(c1.rows[i].change.hi, c2.rows[i].change.hi, 0);
    }
    json_t *j = tool_comparison_to_json(&c1);
    ASSERT_TRUE(j != NULL);
    char *text = json_dumps(j, JSON_COMPACT);
    ASSERT_TRUE(text && !strstr(text, "NaN") && !strstr(text, "nan"));
    json_t *rows = json_object_get(j, "benchmarks");
    ASSERT_EQ(5, json_array_size(rows));
    ASSERT_STREQ("regressed", json_string_value(json_object_get(json_array_get(rows, 0), "verdict")));
    ASSERT_TRUE(json_is_null(json_object_get(json_array_get(rows, 3), "p"))); /* removed */
    ASSERT_EQ(1, json_integer_value(json_object_get(json_object_get(j, "summary"), "regressed")));
    free(text);
    json_decref(j);
    tool_comparison_free(&c1);
    tool_comparison_free(&c2);
    tach__doc_free(b);
    tach__doc_free(n);
}

TEST(quick_bootstrap_gives_the_verdicts_of_the_full_one)
{
    /* The quick pass (100 resamples, redrawn with 2000 near +-noise) must judge the
     * suite exactly as 2000 resamples everywhere do; a CI near a threshold (the 2.3%
     * change against 2% noise) is the redrawn one, bit for bit. */
    tach__doc *b, *n;
    make_suite(&b, &n);
    add(b, "suite/edge", steady, 30, 1.0);
    add(n, "suite/edge", steady, 30, 1.023);
    tool_cmp_options full;
    tool_cmp_options_default(&full);
    full.quick_resamples = 0;
    tool_comparison cq, cf;
    ASSERT_EQ(0, tool_compare(b, n, NULL, &cq, NULL));
    ASSERT_EQ(0, tool_compare(b, n, &full, &cf, NULL));
    ASSERT_EQ(cf.nrows, cq.nrows);
    for (size_t i = 0; i < cf.nrows; i++) ASSERT_EQ(cf.rows[i].verdict, cq.rows[i].verdict);
    const tool_cmp_row *eq = row_named(&cq, "suite/edge"), *ef = row_named(&cf, "suite/edge");
    ASSERT_NEAR(ef->change.lo, eq->change.lo, 0);
    ASSERT_NEAR(ef->change.hi, eq->change.hi, 0);
    tool_comparison_free(&cq);
    tool_comparison_free(&cf);
    tach__doc_free(b);
    tach__doc_free(n);
}

/* A suite large enough to be estimated on several threads (>= 32 compared rows) gives
 * each benchmark exactly what comparing it alone (one row, no threads) gives: the
 * bootstrap of each row is seeded from its name, so the split across threads cannot
 * change a result. */
TEST(parallel_estimates_equal_one_at_a_time)
{
    enum { N = 64 };
    tach__doc *base = tach__doc_new(), *cur = tach__doc_new();
    char name[32];
    for (int k = 0; k < N; k++) {
        snprintf(name, sizeof name, "suite/b%02d", k);
        add(base, name, k % 2 ? noisy_a : steady, 40, 1.0);
        add(cur, name, k % 2 ? noisy_b : steady, 40, 1.0 + 0.01 * (k % 7));
    }
    tool_cmp_options o;
    tool_cmp_options_default(&o);
    tool_comparison all;
    ASSERT_EQ(0, tool_compare(base, cur, &o, &all, NULL));
    ASSERT_EQ(N, all.compared);
    for (int k = 0; k < N; k++) {
        tach__doc *b1 = tach__doc_new(), *c1 = tach__doc_new();
        snprintf(name, sizeof name, "suite/b%02d", k);
        add(b1, name, k % 2 ? noisy_a : steady, 40, 1.0);
        add(c1, name, k % 2 ? noisy_b : steady, 40, 1.0 + 0.01 * (k % 7));
        tool_comparison one;
        ASSERT_EQ(0, tool_compare(b1, c1, &o, &one, NULL));
        const tool_cmp_row *a = row_named(&all, name), *s = &one.rows[0];
        ASSERT_TRUE(a != NULL);
        /* Exact equality, bit for bit: the same arithmetic on the same stream. */
        ASSERT_TRUE(memcmp(&a->change, &s->change, sizeof a->change) == 0);
        ASSERT_TRUE(a->p == s->p || (isnan(a->p) && isnan(s->p)));
        ASSERT_TRUE(a->u == s->u || (isnan(a->u) && isnan(s->u)));
        tool_comparison_free(&one);
        tach__doc_free(b1);
        tach__doc_free(c1);
    }
    tool_comparison_free(&all);
    tach__doc_free(base);
    tach__doc_free(cur);
}

/* Whole characters, each valid UTF-8 (tach__utf8_len). */
static int whole_utf8(const char *s)
{
    for (size_t n; *s; s += n)
        if (!(n = tach__utf8_len((const unsigned char *)s))) return 0;
    return 1;
}

/* A row loaded with another mix of many operations: the table's phrase, at every size
 * of its buffer, is cut between characters, each side ending with "..." (U+2026) where
 * it is cut, and whole where it fits.  (It was cut at 160 bytes, inside a character.) */
TEST(a_long_mix_is_cut_between_characters)
{
    tool_cmp_row r;
    memset(&r, 0, sizeof r);
    r.verdict = TOOL_INCOMPARABLE;
    r.base_rate = r.new_rate = NAN;
    r.load_differs = "mix";
    char x[400] = "", y[400] = "";
    for (int k = 0; k < 12; k++) { /* two-byte characters: a byte count falls inside one */
        size_t lx = strlen(x), ly = strlen(y);
        snprintf(x + lx, sizeof x - lx, "%s\xc3\xa9t\xc3\xa9-%d 8.33%%", k ? ", " : "", k);
        snprintf(y + ly, sizeof y - ly, "%s\xc3\xa9\xc3\xa9-%d %s", k ? ", " : "", k, k ? "4.35%" : "52.2%");
    }
    r.load_base = x;
    r.load_new = y;
    char whole[1024];
    snprintf(whole, sizeof whole, "different mix: %s against %s", x, y);
    for (size_t size = 40; size <= strlen(whole) + 2; size++) {
        char buf[1024];
        ASSERT_TRUE(tool_cmp_rates_text(&r, buf, size) == buf);
        ASSERT_TRUE(strlen(buf) < size);
        ASSERT_TRUE(whole_utf8(buf));
        ASSERT_TRUE(strncmp(buf, "different mix: \xc3\xa9t\xc3\xa9-0", 20) == 0 || size < 48);
        ASSERT_TRUE(strstr(buf, " against ") != NULL);
        if (size > strlen(whole)) {
            ASSERT_STREQ(whole, buf);
        } else {
            /* a side cut, "..." (U+2026) where; the room used but for a character's bytes */
            const char *cut = strstr(buf, "\xe2\x80\xa6");
            ASSERT_TRUE(cut != NULL);
            ASSERT_TRUE(cut < strstr(buf, " against ") || !strcmp(cut, "\xe2\x80\xa6"));
            ASSERT_TRUE(strlen(buf) + 4 >= size);
        }
    }
}

TEST_MAIN()
