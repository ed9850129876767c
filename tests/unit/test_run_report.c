/*
 * test_run_report.c - what `tach run` prints when it compares several commands
 * (cli/run_report.c, linked from libtach_cli.a), and the words and parameter helpers of
 * cli/run_command.c.  The samples are crafted, so the wording is pinned exactly:
 *
 * Reference values (scipy 1.10.1, numpy; /usr/bin/python3):
 *   a = 1..10, b = 11..20 (ms): scipy.stats.mannwhitneyu(a, b, method="asymptotic",
 *     use_continuity=True).pvalue = 0.00018267; mean(b)/mean(a) = 2.82, and the
 *     propagated uncertainty ratio * sqrt((sd_a/m_a)^2 + (sd_b/m_b)^2) (sd with ddof=1)
 *     = 1.65
 *   a = b = 1..10: p = 1.0, ratio 1.00 ± 0.78
 *   a = 1..10, b = 2..11: p = 0.49483, ratio 1.18 ± 0.85
 */
#define _GNU_SOURCE
#include "test.h"

#include "run.h"

static tach__result *add(tach__doc *d, const char *name, double lo)
{
    tach__result *r = tach__doc_add(d);
    r->name = tach__strdup(name);
    r->command = tach__strdup(name);
    r->nsamples = 10;
    r->sample_ns = tach__calloc(10, sizeof(double));
    r->sample_iters = tach__calloc(10, sizeof(uint64_t));
    for (int i = 0; i < 10; i++) {
        r->sample_ns[i] = (lo + i) * 1e6;
        r->sample_iters[i] = 1;
    }
    return r;
}

static char *compare(double lo_a, double lo_b)
{
    tach__doc *d = tach__doc_new();
    add(d, "A", lo_a);
    add(d, "B", lo_b);
    for (size_t i = 0; i < d->nresults; i++) tach__result_finish(&d->results[i], 1, NULL);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    cli_report_comparison(f, d, false);
    fclose(f);
    tach__doc_free(d);
    return text;
}

TEST(significant_difference_names_ratio_and_p)
{
    char *t = compare(1, 11);
    ASSERT_STREQ("Summary\n  'A' ran\n"
                 "    2.82 ± 1.65 times faster than 'B'  (Mann-Whitney p = 0.00018)\n",
                 t);
    free(t);
}

TEST(identical_samples_are_no_significant_difference)
{
    char *t = compare(1, 1);
    ASSERT_TRUE(strstr(t, "no significant difference from 'B'  (1.00 ± 0.78, Mann-Whitney p = 1)") != NULL);
    free(t);
}

TEST(small_shift_is_no_significant_difference)
{
    char *t = compare(1, 2);
    ASSERT_TRUE(strstr(t, "'A' ran") != NULL);
    ASSERT_TRUE(strstr(t, "no significant difference from 'B'  (1.18 ± 0.85, Mann-Whitney p = 0.49)") != NULL);
    free(t);
}

TEST(fastest_leads_whatever_the_order)
{
    char *t = compare(11, 1);
    ASSERT_TRUE(strstr(t, "'B' ran") != NULL);
    ASSERT_TRUE(strstr(t, "2.82 ± 1.65 times faster than 'A'") != NULL);
    free(t);
}

static tach__result *add_ms(tach__doc *d, const char *name, const double *ms, size_t n)
{
    tach__result *r = tach__doc_add(d);
    r->name = tach__strdup(name);
    r->command = tach__strdup(name);
    r->nsamples = n;
    r->sample_ns = tach__calloc(n, sizeof(double));
    r->sample_iters = tach__calloc(n, sizeof(uint64_t));
    for (size_t i = 0; i < n; i++) {
        r->sample_ns[i] = ms[i] * 1e6;
        r->sample_iters[i] = 1;
    }
    return r;
}

static char *report(tach__doc *d)
{
    for (size_t i = 0; i < d->nresults; i++) tach__result_finish(&d->results[i], 1, NULL);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    cli_report_comparison(f, d, false);
    fclose(f);
    tach__doc_free(d);
    return text;
}

/* A command timed once has no standard deviation (its σ is n/a): a ratio with it has
 * no ± (it was '± 0.00', known exactly), here nor where the other side has ten runs. */
TEST(one_run_gives_a_ratio_without_spread)
{
    tach__doc *d = tach__doc_new();
    add_ms(d, "A", (const double[]){10}, 1);
    add_ms(d, "B", (const double[]){20}, 1);
    char *t = report(d);
    ASSERT_TRUE(strstr(t, "no significant difference from 'B'  (2.00, Mann-Whitney p = 1)") != NULL);
    ASSERT_TRUE(strstr(t, "±") == NULL);
    free(t);
    d = tach__doc_new();
    add_ms(d, "A", (const double[]){0.5}, 1);
    add(d, "B", 1);
    t = report(d);
    ASSERT_TRUE(strstr(t, "no significant difference from 'B'  (11.00, Mann-Whitney p = ") != NULL);
    ASSERT_TRUE(strstr(t, "±") == NULL);
    free(t);
}

/* The fastest is the one with the lowest median, as everywhere else in tach: A's one
 * slow run (100 ms among nine of 1 ms) gives it the higher mean (10.9 against 6.5), and
 * the mean named B, whose every run but one is slower than all of A's. */
TEST(fastest_is_the_lowest_median_not_mean)
{
    tach__doc *d = tach__doc_new();
    const double a[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 100}, b[] = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    add_ms(d, "A", a, 10);
    add_ms(d, "B", b, 10);
    char *t = report(d);
    ASSERT_TRUE(strstr(t, "'A' ran") != NULL);
    ASSERT_TRUE(strstr(t, "6.50 ± ") != NULL); /* the medians' ratio, 6.5 / 1 */
    free(t);
}

/* With two others, "faster" is one claim of two: B alone has p 0.031 (scipy asymptotic,
 * continuity and tie corrected), C the same runs as A, p 1; Benjamini-Hochberg makes B's
 * q 0.062, no significant difference - raw p said "times faster". */
TEST(several_commands_are_judged_by_q)
{
    tach__doc *d = tach__doc_new();
    double a[10], b[10];
    for (int i = 0; i < 10; i++) a[i] = 1 + i, b[i] = 4.5 + i;
    add_ms(d, "A", a, 10);
    add_ms(d, "B", b, 10);
    add_ms(d, "C", a, 10);
    char *t = report(d);
    ASSERT_TRUE(strstr(t, "'A' ran") != NULL);
    ASSERT_TRUE(strstr(t, "no significant difference from 'B'  (1.64 ± 1.06, Mann-Whitney p = 0.031, q = 0.062)") != NULL);
    ASSERT_TRUE(strstr(t, "no significant difference from 'C'  (1.00 ± 0.78, Mann-Whitney p = 1, q = 1)") != NULL);
    ASSERT_TRUE(strstr(t, "times faster") == NULL);
    free(t);
}

/* The note on too few runs is q's when q decides: 4 and 4 runs every one apart give
 * p 0.0304 (the smallest 4 and 4 can), and among two claims, the other none, q 0.0608 -
 * no significant difference, and no note said why (it was p's: 0.0304 can reach 0.05).
 * 5 and 5 apart: p 0.0122, q at most 0.0244. */
TEST(too_few_runs_for_q_are_said)
{
    tach__doc *d = tach__doc_new();
    const double a[] = {1, 2, 3, 4}, b[] = {11, 12, 13, 14};
    add_ms(d, "A", a, 4);
    add_ms(d, "B", b, 4);
    add_ms(d, "C", a, 4);
    char *t = report(d);
    ASSERT_TRUE(strstr(t, "no significant difference from 'B'") != NULL);
    ASSERT_TRUE(strstr(t, "Mann-Whitney p = 0.03, q = 0.061)\n") != NULL);
    ASSERT_TRUE(strstr(t, "Mann-Whitney p = 1, q = 1)\n"
                          "  (with 4 and 4 runs and 2 comparisons the test cannot reach q < 0.05 for "
                          "'B' and 'C' even when every run of one is faster, unless the other is as "
                          "clear: give each at least 5 runs)\n") != NULL);
    free(t);
    /* 3 and 3 among two claims: 4 runs would not do either */
    d = tach__doc_new();
    add_ms(d, "A", a, 3);
    add_ms(d, "B", b, 3);
    add_ms(d, "C", a, 3);
    t = report(d);
    ASSERT_TRUE(strstr(t, "(with 3 and 3 runs the test cannot reach p < 0.05 for 'B' and 'C' even when "
                          "every run of one is faster: give each at least 5 runs)") != NULL);
    free(t);
    /* one claim, 3 runs each: the note under its line, as before */
    d = tach__doc_new();
    add_ms(d, "A", a, 3);
    add_ms(d, "B", b, 3);
    t = report(d);
    ASSERT_TRUE(strstr(t, "    (with 3 and 3 runs the test cannot reach p < 0.05 even when every run of "
                          "one is faster: give each at least 4 runs)\n") != NULL);
    free(t);
    /* one claim: 4 runs each, no note */
    d = tach__doc_new();
    add_ms(d, "A", a, 4);
    add_ms(d, "B", b, 4);
    t = report(d);
    ASSERT_TRUE(strstr(t, "times faster than 'B'") != NULL);
    ASSERT_TRUE(strstr(t, "cannot reach") == NULL);
    free(t);
}

static size_t count_of(const char *t, const char *what)
{
    size_t n = 0;
    for (const char *at = t; (at = strstr(at, what)) != NULL; at++) n++;
    return n;
}

/* With several commands the note on too few runs was repeated under every row, the same
 * sentence again and again; it is said once, after the lines, naming the rows, with each
 * row's runs when they differ. */
TEST(too_few_runs_are_said_once)
{
    tach__doc *d = tach__doc_new();
    const double a[] = {1, 2, 3}, b[] = {11, 12, 13}, c[] = {21, 22}, e[] = {31, 32, 33};
    add_ms(d, "A", a, 3);
    add_ms(d, "B", b, 3);
    add_ms(d, "C", c, 2);
    add_ms(d, "D", e, 3);
    char *t = report(d);
    ASSERT_EQ(1, (int)count_of(t, "cannot reach"));
    ASSERT_TRUE(strstr(t, "from 'D'  (") != NULL);
    ASSERT_TRUE(strstr(t, "\n  (the test cannot reach p < 0.05 for 'B' (3 and 3 runs), 'C' (3 "
                          "and 2 runs) and 'D' (3 and 3 runs) even when every run of one is faster: "
                          "give each at least 5 runs)\n") != NULL);
    free(t);
}

TEST(words_split_like_a_shell_without_expanding)
{
    char **v = NULL;
    size_t n = 0;
    char err[TACH__ERR_MAX];
    ASSERT_EQ(0, cli_words_split("grep -c 'a b' \"c \\\"d\\\"\" e\\ f ''", &v, &n, err));
    ASSERT_EQ(6, (int)n);
    ASSERT_STREQ("grep", v[0]);
    ASSERT_STREQ("a b", v[2]);
    ASSERT_STREQ("c \"d\"", v[3]);
    ASSERT_STREQ("e f", v[4]);
    ASSERT_STREQ("", v[5]);
    char *j = cli_words_join(v);
    ASSERT_STREQ("grep -c 'a b' 'c \"d\"' 'e f' ''", j);
    free(j);
    cli_words_free(v);
    ASSERT_EQ(-1, cli_words_split("a | b", &v, &n, err));
    ASSERT_TRUE(strstr(err, "--shell") != NULL);
    ASSERT_EQ(-1, cli_words_split("echo $HOME", &v, &n, err));
    ASSERT_EQ(-1, cli_words_split("   ", &v, &n, err));
}

TEST(param_ranges)
{
    cli_param_axis a;
    char err[TACH__ERR_MAX];
    ASSERT_EQ(0, cli_param_parse("n=10:100:45", &a, err));
    ASSERT_EQ(3, (int)a.nvalues);
    ASSERT_STREQ("100", a.values[2]);
    cli_param_free(&a);
    ASSERT_EQ(0, cli_param_parse("x=0.1:0.3:0.1", &a, err));
    ASSERT_EQ(3, (int)a.nvalues); /* 0.1, 0.2, 0.3 despite 0.1 not being exact in binary */
    ASSERT_STREQ("0.3", a.values[2]);
    cli_param_free(&a);
    ASSERT_EQ(0, cli_param_parse("s=a,b", &a, err));
    size_t idx[1] = {1};
    char *t = cli_param_substitute("x{s}y{t}", &a, 1, idx);
    ASSERT_STREQ("xby{t}", t);
    free(t);
    cli_param_free(&a);
}

/* How a --setup, --prepare or --cleanup that did not succeed ended: a status tach could
 * not read (CLI_EXIT_UNKNOWN, once -1) is no signal (it read "was killed by signal 1"). */
TEST(aux_failure_says_how_it_ended)
{
    char buf[256];
    ASSERT_STREQ("failed with exit code 3", cli_aux_failure(CLI_RUN_DONE, 3, 0, buf, sizeof buf));
    ASSERT_STREQ("was killed by signal 9 (SIGKILL)", cli_aux_failure(CLI_RUN_DONE, -9, 0, buf, sizeof buf));
    cli_aux_failure(CLI_RUN_DONE, CLI_EXIT_UNKNOWN, 0, buf, sizeof buf);
    ASSERT_TRUE(strstr(buf, "ended with a status tach could not read") == buf);
    ASSERT_TRUE(strstr(buf, "signal") == NULL);
    cli_signal_describe(-CLI_EXIT_UNKNOWN, buf, sizeof buf);
    ASSERT_STREQ("ended with a status tach could not read", buf);
    ASSERT_TRUE(strstr(cli_aux_failure(CLI_RUN_TIMEOUT, 0, 5, buf, sizeof buf), "--timeout 5 s") != NULL);
}

/* Which exit codes are a crash: tach run, instruction mode (--instructions), tach ab,
 * the bench workers and tach profile ask cli_exit_signal; CLI_EXIT_UNKNOWN is none (it
 * read as "crashed", killed by signal 1000, everywhere but tach run). */
TEST(exit_signal_only_for_a_signal)
{
    ASSERT_EQ(9, cli_exit_signal(-9));
    ASSERT_EQ(11, cli_exit_signal(-11));
    ASSERT_EQ(0, cli_exit_signal(0));
    ASSERT_EQ(0, cli_exit_signal(3));
    ASSERT_EQ(0, cli_exit_signal(CLI_EXIT_UNKNOWN));
}

TEST_MAIN()
