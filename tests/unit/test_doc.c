/*
 * test_doc.c - the results document model: summary, JSON round-trip, NaN as null,
 * strict reading with JSON paths in errors, atomic file writes.
 */
#include <dirent.h>
#include <float.h>
#include <stdint.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tach_internal.h"
#include "test.h"

/* ---- helpers ---------------------------------------------------------------- */

static char *dump(const json_t *j)
{
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    if (!s) TEST__FAIL("json_dumps failed");
    return s;
}

static char *make_tmpdir(void)
{
    static char dir[64];
    snprintf(dir, sizeof dir, "/tmp/tach_test_doc.XXXXXX");
    if (!mkdtemp(dir)) TEST__FAIL("mkdtemp failed");
    return dir;
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(d);
    return n;
}

static void rm_rf(const char *dir)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
}

static void set_samples(tach__result *r, const double *ns, size_t n)
{
    r->nsamples = n;
    r->sample_ns = tach__malloc(n * sizeof *r->sample_ns);
    r->sample_iters = tach__malloc(n * sizeof *r->sample_iters);
    for (size_t i = 0; i < n; i++) {
        r->sample_ns[i] = ns[i];
        r->sample_iters[i] = 1000 + i;
    }
}

/* A document that uses every field the format has. */
static tach__doc *rich_doc(void)
{
    tach__doc *d = tach__doc_new();
    ASSERT_TRUE(d != NULL);
    d->partial = true;
    json_object_set_new(d->context, "host", json_string("box"));
    json_object_set_new(d->context, "cpus", json_integer(2));
    json_object_set_new(d->context, "load_avg", json_pack("[fff]", 0.25, 0.5, 1.0));

    /* An ok benchmark with parameters, throughput, counters, targets and raw samples
     * chosen to be awkward for decimal round-trips. */
    tach__result *r = tach__doc_add(d);
    ASSERT_TRUE(r != NULL);
    r->name = tach__strdup("codec/compress/size=4096/level=007");
    r->group = tach__strdup("codec");
    r->function = tach__strdup("compress");
    ASSERT_EQ(0, tach__result_set_param(r, "size", "4096"));
    ASSERT_EQ(0, tach__result_set_param(r, "level", "007")); /* not canonical: stays a string */
    ASSERT_EQ(0, tach__result_set_param(r, "mode", "fast"));
    ASSERT_EQ(0, tach__result_set_param(r, "neg", "-12"));
    const double ns[] = {0.1, 1.0 / 3.0, 123456789.123456789, 1e-300, DBL_MAX / 4,
                         2.5, 100.0, 0.30000000000000004};
    set_samples(r, ns, sizeof ns / sizeof ns[0]);
    r->sample_iters[0] = UINT64_C(9007199254740993); /* 2^53 + 1: not exact as a double */
    r->bytes_per_iter = 4096;
    r->items_per_iter = 3;
    ASSERT_EQ(0, tach__result_set_counter(r, "ratio", 2.75));
    ASSERT_EQ(0, tach__result_set_counter(r, "hits", 12));
    r->precision_target = 0.01;
    r->max_p99_ns = 500;
    r->min_bytes_per_sec = 1e9;
    ASSERT_EQ(0, tach__result_finish(r, 42, NULL));

    /* A crashed one with no samples. */
    r = tach__doc_add(d);
    r->name = tach__strdup("crashy");
    r->function = tach__strdup("crashy");
    r->status = TACH__CRASHED;
    r->signal = 11;
    r->message = tach__strdup("killed by signal 11 (Segmentation fault)");
    ASSERT_EQ(0, tach__result_finish(r, 42, NULL));

    /* A command with per-run data. */
    r = tach__doc_add(d);
    r->name = tach__strdup("sleep 0.01");
    r->command = tach__strdup("sleep 0.01");
    const double cns[] = {1.1e7, 1.2e7, 1.05e7};
    set_samples(r, cns, 3);
    r->user_ns = tach__calloc(3, sizeof(double));
    r->sys_ns = tach__calloc(3, sizeof(double));
    r->max_rss_kib = tach__calloc(3, sizeof(double));
    r->exit_codes = tach__calloc(3, sizeof(int));
    r->minor_faults = tach__calloc(3, sizeof(double));
    r->major_faults = tach__calloc(3, sizeof(double));
    r->vol_ctxsw = tach__calloc(3, sizeof(double));
    r->invol_ctxsw = tach__calloc(3, sizeof(double));
    for (int i = 0; i < 3; i++) {
        r->user_ns[i] = 1e5 * (i + 1);
        r->sys_ns[i] = 2e5 * (i + 1);
        r->max_rss_kib[i] = 1024 + i;
        r->exit_codes[i] = i == 2 ? -9 : 0;
        r->minor_faults[i] = 90 + i;
        r->vol_ctxsw[i] = 2;
    }
    r->sys_ns[1] = NAN; /* unknown: written as null, read back as NaN */
    ASSERT_EQ(0, tach__result_finish(r, 7, NULL));
    return d;
}

/* ---- the model -------------------------------------------------------------- */

TEST(status_names_round_trip)
{
    const char *names[] = {"ok", "skipped", "failed", "crashed", "timeout"};
    for (int i = 0; i < 5; i++) {
        ASSERT_STREQ(names[i], tach__status_name((tach__status)i));
        tach__status s = TACH__OK;
        ASSERT_EQ(0, tach__status_parse(names[i], &s));
        ASSERT_EQ(i, s);
    }
    tach__status s;
    ASSERT_EQ(-1, tach__status_parse("OK", &s));
    ASSERT_EQ(-1, tach__status_parse("", &s));
    ASSERT_EQ(-1, tach__status_parse(NULL, &s));
}

TEST(params_and_counters_replace_by_name)
{
    tach__result r = {0};
    ASSERT_EQ(0, tach__result_set_param(&r, "n", "1"));
    ASSERT_EQ(0, tach__result_set_param(&r, "m", "x"));
    ASSERT_EQ(0, tach__result_set_param(&r, "n", "2"));
    ASSERT_EQ(2, r.nparams);
    ASSERT_STREQ("n", r.params[0].name);
    ASSERT_STREQ("2", r.params[0].value);
    ASSERT_EQ(0, tach__result_set_counter(&r, "c", 1.5));
    ASSERT_EQ(0, tach__result_set_counter(&r, "c", 2.5));
    ASSERT_EQ(1, r.ncounters);
    ASSERT_NEAR(2.5, r.counters[0].value, 0);
    tach__result_clear(&r);
    ASSERT_EQ(0, r.nparams);
    ASSERT_TRUE(r.params == NULL);
    tach__result_clear(NULL);
    tach__doc_free(NULL);
}

TEST(append_samples_keeps_order_and_fills_missing_iters)
{
    tach__result dst, src;
    memset(&dst, 0, sizeof dst);
    memset(&src, 0, sizeof src);
    double a[] = {1.5, 2.5}, b[] = {3.5, 4.5, 5.5};
    uint64_t ai[] = {10, 20};
    dst.sample_ns = tach__malloc(sizeof a);
    dst.sample_iters = tach__malloc(sizeof ai);
    memcpy(dst.sample_ns, a, sizeof a);
    memcpy(dst.sample_iters, ai, sizeof ai);
    dst.nsamples = 2;
    src.sample_ns = b; /* no iters: each counts as 1 */
    src.nsamples = 3;
    ASSERT_EQ(0, tach__result_append_samples(&dst, &src));
    ASSERT_EQ(5, (int)dst.nsamples);
    double want_ns[] = {1.5, 2.5, 3.5, 4.5, 5.5};
    uint64_t want_it[] = {10, 20, 1, 1, 1};
    for (int i = 0; i < 5; i++) {
        ASSERT_NEAR(want_ns[i], dst.sample_ns[i], 0);
        ASSERT_EQ((int)want_it[i], (int)dst.sample_iters[i]);
    }
    src.nsamples = 0; /* nothing to add: unchanged */
    ASSERT_EQ(0, tach__result_append_samples(&dst, &src));
    ASSERT_EQ(5, (int)dst.nsamples);
    tach__result_clear(&dst);
}

TEST(finish_without_samples_has_no_summary)
{
    tach__doc *d = tach__doc_new();
    tach__result *r = tach__doc_add(d);
    r->name = tach__strdup("skipped");
    r->status = TACH__SKIPPED;
    r->has_summary = true; /* stale: finish must clear it */
    r->unstable = true;
    ASSERT_EQ(0, tach__result_finish(r, 1, NULL));
    ASSERT_TRUE(!r->has_summary);
    ASSERT_TRUE(!r->unstable);
    json_t *j = tach__doc_to_json(d);
    json_t *b = json_array_get(json_object_get(j, "benchmarks"), 0);
    ASSERT_TRUE(json_object_get(b, "estimates") == NULL);
    ASSERT_TRUE(json_object_get(b, "percentiles") == NULL);
    ASSERT_EQ(0, json_array_size(json_object_get(json_object_get(b, "samples"), "ns")));
    /* No samples: precision achieved is undefined, not 0. */
    ASSERT_TRUE(json_is_null(json_object_get(json_object_get(b, "precision"), "achieved")));
    ASSERT_TRUE(json_is_false(json_object_get(json_object_get(b, "precision"), "reached")));
    json_decref(j);
    tach__doc_free(d);
}

TEST(finish_with_one_sample_writes_null_for_undefined)
{
    tach__doc *d = tach__doc_new();
    tach__result *r = tach__doc_add(d);
    r->name = tach__strdup("one");
    const double x[] = {250.0};
    set_samples(r, x, 1);
    ASSERT_EQ(0, tach__result_finish(r, 1, NULL));
    ASSERT_TRUE(r->has_summary);
    ASSERT_EQ(1, r->summary.n);
    ASSERT_NEAR(250.0, r->summary.median.value, 0);
    ASSERT_NEAR(250.0, r->summary.min, 0);
    ASSERT_TRUE(!r->unstable); /* cv undefined is not "unstable" */
    json_t *j = tach__doc_to_json(d);
    ASSERT_TRUE(j != NULL);
    json_t *est = json_object_get(json_array_get(json_object_get(j, "benchmarks"), 0), "estimates");
    /* The sample standard deviation of one value is undefined (n - 1 = 0). */
    ASSERT_TRUE(json_is_null(json_object_get(est, "stddev")));
    ASSERT_TRUE(json_is_null(json_object_get(est, "cv")));
    ASSERT_NEAR(250.0, json_number_value(json_object_get(est, "min")), 0);
    char *text = dump(j);
    ASSERT_TRUE(strstr(text, "nan") == NULL && strstr(text, "inf") == NULL);
    free(text);
    json_decref(j);
    tach__doc_free(d);
}

TEST(finish_summarizes_and_flags_instability)
{
    tach__result r = {0};
    r.name = tach__strdup("spread");
    /* mean 3, median 3, sample sd sqrt(2.5) = 1.5811 -> cv 0.527 > 0.05 */
    const double x[] = {1, 2, 3, 4, 5};
    set_samples(&r, x, 5);
    r.precision_target = 0.01;
    ASSERT_EQ(0, tach__result_finish(&r, 3, NULL));
    ASSERT_TRUE(r.has_summary);
    ASSERT_NEAR(3.0, r.summary.mean.value, 1e-12);
    ASSERT_NEAR(3.0, r.summary.median.value, 1e-12);
    ASSERT_NEAR(sqrt(2.5) / 3.0, r.summary.cv, 1e-12);
    ASSERT_TRUE(r.unstable);
    /* achieved = half-width of the median's order-statistic CI over the median; five
     * values have none at 95% (the range covers 93.75%): no precision, nor reached even
     * with a target it would meet */
    ASSERT_NAN(r.precision_achieved);
    ASSERT_TRUE(!r.precision_reached);
    r.precision_target = 10;
    ASSERT_EQ(0, tach__result_finish(&r, 3, NULL));
    ASSERT_TRUE(!r.precision_reached);
    /* six values: ranks (1, 6), the range, coverage 96.9% */
    const double x6[] = {1, 2, 3, 4, 5, 6};
    tach__free(r.sample_ns);
    tach__free(r.sample_iters);
    set_samples(&r, x6, 6);
    ASSERT_EQ(0, tach__result_finish(&r, 3, NULL));
    ASSERT_NEAR(2.5 / 3.5, r.precision_achieved, 1e-12);
    ASSERT_TRUE(r.precision_reached);
    tach__result_clear(&r);

    /* cv = sd / mean: {99, 100, 101} has sd 1, mean 100 -> 0.01, stable */
    r.name = tach__strdup("steady");
    const double y[] = {99, 100, 101};
    set_samples(&r, y, 3);
    ASSERT_EQ(0, tach__result_finish(&r, 3, NULL));
    ASSERT_NEAR(0.01, r.summary.cv, 1e-12);
    ASSERT_TRUE(!r.unstable);
    tach__result_clear(&r);

    /* The same samples and seed give the same CI (seeded bootstrap). */
    tach__result a = {0}, b = {0};
    const double z[] = {10, 12, 11, 13, 9, 10.5, 11.5, 12.5};
    set_samples(&a, z, 8);
    set_samples(&b, z, 8);
    ASSERT_EQ(0, tach__result_finish(&a, 99, NULL));
    ASSERT_EQ(0, tach__result_finish(&b, 99, NULL));
    ASSERT_TRUE(a.summary.mean.lo == b.summary.mean.lo && a.summary.mean.hi == b.summary.mean.hi);
    /* tach__result_finish is tach__result_finish_resamples with 10,000 resamples. */
    ASSERT_EQ(0, tach__result_finish_resamples(&b, 99, 10000, NULL));
    ASSERT_TRUE(a.summary.median.lo == b.summary.median.lo && a.summary.median.hi == b.summary.median.hi);
    ASSERT_EQ(0, tach__result_finish_resamples(&b, 99, 0, NULL)); /* counts as 1 */
    ASSERT_TRUE(b.has_summary);
    ASSERT_NEAR(a.summary.mean.value, b.summary.mean.value, 1e-12);
    tach__result_clear(&a);
    tach__result_clear(&b);
}

TEST(finish_refuses_non_finite_samples)
{
    tach__result r = {0};
    r.name = tach__strdup("bad");
    const double x[] = {1, NAN, 3};
    set_samples(&r, x, 3);
    char err[TACH__ERR_MAX] = "";
    ASSERT_EQ(-1, tach__result_finish(&r, 1, err));
    ASSERT_TRUE(strstr(err, "bad: sample 1 is not a finite number") != NULL);
    ASSERT_TRUE(!r.has_summary);
    tach__result_clear(&r);
}

/* ---- JSON ---------------------------------------------------------------------- */

TEST(round_trip_is_identical_text_and_exact_samples)
{
    tach__doc *d = rich_doc();
    json_t *j1 = tach__doc_to_json(d);
    ASSERT_TRUE(j1 != NULL);
    char *t1 = dump(j1);

    json_error_t je;
    json_t *parsed = json_loads(t1, 0, &je);
    ASSERT_TRUE(parsed != NULL);
    char err[TACH__ERR_MAX] = "";
    tach__doc *d2 = tach__doc_from_json(parsed, err);
    if (!d2) TEST__FAIL("from_json: %s", err);
    json_t *j2 = tach__doc_to_json(d2);
    char *t2 = dump(j2);
    ASSERT_STREQ(t1, t2);

    /* The raw samples survive bit for bit (readers recompute from them). */
    ASSERT_EQ(d->nresults, d2->nresults);
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *a = &d->results[i], *b = &d2->results[i];
        ASSERT_EQ(a->nsamples, b->nsamples);
        for (size_t k = 0; k < a->nsamples; k++) {
            ASSERT_TRUE(memcmp(&a->sample_ns[k], &b->sample_ns[k], sizeof(double)) == 0);
            ASSERT_TRUE(a->sample_iters[k] == b->sample_iters[k]);
        }
    }
    ASSERT_TRUE(d2->partial);
    const tach__result *r = &d2->results[0];
    ASSERT_STREQ("007", r->params[1].value);
    ASSERT_STREQ("-12", r->params[3].value);
    ASSERT_EQ(TACH__CRASHED, d2->results[1].status);
    ASSERT_EQ(11, d2->results[1].signal);
    ASSERT_TRUE(isnan(d2->results[2].sys_ns[1]));
    ASSERT_EQ(-9, d2->results[2].exit_codes[2]);
    ASSERT_TRUE(d2->results[2].major_faults != NULL);

    /* Recomputing from the read samples gives the same summary as the original. */
    tach__result *again = &d2->results[0];
    ASSERT_EQ(0, tach__result_finish(again, 42, NULL));
    const tach__summary *s1 = &d->results[0].summary, *s2 = &again->summary;
    ASSERT_TRUE(s1->median.value == s2->median.value && s1->median.lo == s2->median.lo &&
                s1->median.hi == s2->median.hi);
    ASSERT_TRUE(s1->mean.value == s2->mean.value && s1->mean.lo == s2->mean.lo &&
                s1->mean.hi == s2->mean.hi);
    ASSERT_NEAR(s1->p99, s2->p99, 0);
    ASSERT_NEAR(s1->max, s2->max, 0);
    ASSERT_TRUE(memcmp(&s1->stddev, &s2->stddev, sizeof(double)) == 0); /* may be NaN/inf: same bits */

    free(t1);
    free(t2);
    json_decref(j1);
    json_decref(j2);
    json_decref(parsed);
    tach__doc_free(d);
    tach__doc_free(d2);
}

TEST(json_layout_follows_the_format_doc)
{
    tach__doc *d = rich_doc();
    json_t *j = tach__doc_to_json(d);
    ASSERT_STREQ("tach-results", json_string_value(json_object_get(j, "format")));
    ASSERT_EQ(1, json_integer_value(json_object_get(j, "version")));
    ASSERT_TRUE(json_is_true(json_object_get(j, "partial")));
    json_t *b0 = json_array_get(json_object_get(j, "benchmarks"), 0);
    json_t *params = json_object_get(b0, "params");
    ASSERT_TRUE(json_is_integer(json_object_get(params, "size")));
    ASSERT_EQ(4096, json_integer_value(json_object_get(params, "size")));
    ASSERT_TRUE(json_is_string(json_object_get(params, "level")));
    ASSERT_STREQ("ok", json_string_value(json_object_get(b0, "status")));
    ASSERT_TRUE(json_object_get(b0, "signal") == NULL); /* only for crashed */
    ASSERT_TRUE(json_is_null(json_object_get(b0, "command")));
    /* throughput from the median: bytes_per_iter / median seconds */
    json_t *tp = json_object_get(b0, "throughput");
    double med = json_number_value(json_object_get(json_object_get(json_object_get(b0, "estimates"), "median"), "value"));
    ASSERT_REL(4096 * 1e9 / med, json_number_value(json_object_get(tp, "bytes_per_second")), 1e-12);
    ASSERT_REL(3 * 1e9 / med, json_number_value(json_object_get(tp, "items_per_second")), 1e-12);
    json_t *tg = json_object_get(b0, "targets");
    ASSERT_EQ(2, json_object_size(tg)); /* only those set */
    ASSERT_NEAR(500, json_number_value(json_object_get(tg, "max_p99_ns")), 0);
    json_t *out = json_object_get(b0, "outliers");
    ASSERT_TRUE(json_is_integer(json_object_get(out, "high_mild")));
    json_t *pct = json_object_get(b0, "percentiles");
    ASSERT_EQ(10, json_object_size(pct));
    json_t *b1 = json_array_get(json_object_get(j, "benchmarks"), 1);
    ASSERT_EQ(11, json_integer_value(json_object_get(b1, "signal")));
    ASSERT_TRUE(json_object_get(b1, "estimates") == NULL);
    ASSERT_TRUE(json_object_get(b1, "runs") == NULL);
    ASSERT_TRUE(json_object_get(b1, "throughput") == NULL);
    json_t *runs = json_object_get(json_array_get(json_object_get(j, "benchmarks"), 2), "runs");
    ASSERT_EQ(8, json_object_size(runs));
    json_decref(j);
    tach__doc_free(d);
}

TEST(nan_and_infinity_become_null)
{
    tach__doc *d = tach__doc_new();
    tach__result *r = tach__doc_add(d);
    r->name = tach__strdup("weird");
    ASSERT_EQ(0, tach__result_set_counter(r, "undefined", NAN));
    ASSERT_EQ(0, tach__result_set_counter(r, "huge", INFINITY));
    ASSERT_EQ(0, tach__result_set_counter(r, "tiny", -INFINITY));
    r->precision_achieved = NAN;
    r->has_summary = true; /* a hand-made summary with undefined parts */
    r->summary.mean = (tach__ci){NAN, INFINITY, -INFINITY};
    r->summary.cv = NAN;
    r->nsamples = 1;
    r->sample_ns = tach__malloc(sizeof(double));
    r->sample_iters = tach__malloc(sizeof(uint64_t));
    r->sample_ns[0] = 5;
    r->sample_iters[0] = 1;
    r->user_ns = tach__malloc(sizeof(double));
    r->user_ns[0] = INFINITY;
    json_t *j = tach__doc_to_json(d);
    ASSERT_TRUE(j != NULL);
    char *text = dump(j);
    ASSERT_TRUE(strstr(text, "nan") == NULL && strstr(text, "NaN") == NULL);
    ASSERT_TRUE(strstr(text, "inf") == NULL && strstr(text, "Inf") == NULL);
    json_t *b = json_array_get(json_object_get(j, "benchmarks"), 0);
    json_t *c = json_object_get(b, "counters");
    ASSERT_TRUE(json_is_null(json_object_get(c, "undefined")));
    ASSERT_TRUE(json_is_null(json_object_get(c, "huge")));
    ASSERT_TRUE(json_is_null(json_object_get(c, "tiny")));
    json_t *mean = json_object_get(json_object_get(b, "estimates"), "mean");
    ASSERT_TRUE(json_is_null(json_object_get(mean, "value")));
    ASSERT_TRUE(json_is_null(json_object_get(mean, "ci_low")));
    ASSERT_TRUE(json_is_null(json_object_get(mean, "ci_high")));
    ASSERT_TRUE(json_is_null(json_object_get(json_object_get(b, "precision"), "achieved")));
    ASSERT_TRUE(json_is_null(json_array_get(json_object_get(json_object_get(b, "runs"), "user_ns"), 0)));
    /* ...and the text is valid JSON that reads back. */
    json_error_t je;
    json_t *again = json_loads(text, 0, &je);
    ASSERT_TRUE(again != NULL);
    tach__doc *d2 = tach__doc_from_json(again, NULL);
    ASSERT_TRUE(d2 != NULL);
    ASSERT_TRUE(isnan(d2->results[0].counters[0].value));
    tach__doc_free(d2);
    json_decref(again);
    free(text);
    json_decref(j);
    tach__doc_free(d);
}

TEST(text_that_is_not_utf8_is_repaired_not_fatal)
{
    tach__doc *d = tach__doc_new();
    tach__result *r = tach__doc_add(d);
    r->name = tach__strdup("caf\xe9 \xc3\xa9"); /* Latin-1 e-acute, then a valid UTF-8 one */
    r->command = tach__strdup("ls /tmp/\xff\xfe");
    r->message = tach__strdup("cut \xe2\x82"); /* a sequence cut short */
    ASSERT_EQ(0, tach__result_set_param(r, "k\xe9y", "v\xe9"));
    ASSERT_EQ(0, tach__result_set_counter(r, "c\xe9", 1));
    json_t *j = tach__doc_to_json(d);
    ASSERT_TRUE(j != NULL);
    json_t *b = json_array_get(json_object_get(j, "benchmarks"), 0);
    /* a name, command or parameter: each such byte as U+FFFD and its hex digits */
    ASSERT_STREQ("caf\xef\xbf\xbd" "E9 \xc3\xa9", json_string_value(json_object_get(b, "name")));
    ASSERT_STREQ("ls /tmp/\xef\xbf\xbd" "FF\xef\xbf\xbd" "FE", json_string_value(json_object_get(b, "command")));
    /* a message or counter: U+FFFD alone */
    ASSERT_STREQ("cut \xef\xbf\xbd\xef\xbf\xbd", json_string_value(json_object_get(b, "message")));
    ASSERT_STREQ("v\xef\xbf\xbd" "E9",
                 json_string_value(json_object_get(json_object_get(b, "params"), "k\xef\xbf\xbd" "E9y")));
    ASSERT_TRUE(json_object_get(json_object_get(b, "counters"), "c\xef\xbf\xbd") != NULL);
    json_decref(j);
    tach__doc_free(d);
}

/* Reads text as a document and returns the error message ("" when it was read). */
static const char *refusal(const char *text)
{
    static char err[TACH__ERR_MAX];
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);
    if (!j) TEST__FAIL("test JSON does not parse: %s: %s", je.text, text);
    err[0] = '\0';
    tach__doc *d = tach__doc_from_json(j, err);
    json_decref(j);
    if (d) {
        tach__doc_free(d);
        return "";
    }
    return err;
}

#define ASSERT_REFUSED(text, msg)                                                       \
    do {                                                                                \
        const char *e__ = refusal(text);                                                \
        if (!strstr(e__, (msg)))                                                        \
            TEST__FAIL("expected an error containing \"%s\", got \"%s\"", (msg), e__);  \
    } while (0)

#define HDR "\"format\":\"tach-results\",\"version\":1,"
#define OKB "{\"name\":\"a\",\"status\":\"ok\"}"

TEST(reading_refuses_other_formats_and_newer_versions)
{
    ASSERT_REFUSED("{\"version\":1,\"benchmarks\":[]}", "format: missing; not a tach results document");
    ASSERT_REFUSED("{\"format\":\"google-benchmark\",\"version\":1,\"benchmarks\":[]}",
                   "format: \"google-benchmark\" is not a tach results document");
    ASSERT_REFUSED("{\"format\":3,\"version\":1,\"benchmarks\":[]}", "format: expected the string");
    ASSERT_REFUSED("{\"format\":\"tach-results\",\"version\":2,\"benchmarks\":[]}",
                   "written by a newer tach (version 2); this tach reads version 1");
    ASSERT_REFUSED("{\"format\":\"tach-results\",\"version\":\"1\",\"benchmarks\":[]}",
                   "version: expected a positive integer");
    ASSERT_REFUSED("{\"format\":\"tach-results\",\"benchmarks\":[]}", "version: missing");
    ASSERT_REFUSED("[1,2]", "document: expected an object, got an array");
    /* The minimal valid document, and unknown keys are ignored. */
    ASSERT_STREQ("", refusal("{" HDR "\"benchmarks\":[], \"future_key\": {\"x\": 1}}"));
    ASSERT_STREQ("", refusal("{" HDR "\"benchmarks\":[" OKB "]}"));
}

TEST(reading_names_the_json_path_of_a_wrong_type)
{
    ASSERT_REFUSED("{\"format\":\"tach-results\",\"version\":1}", "benchmarks: missing");
    ASSERT_REFUSED("{" HDR "\"benchmarks\":{}}", "benchmarks: expected an array, got an object");
    ASSERT_REFUSED("{" HDR "\"partial\":1,\"benchmarks\":[]}", "partial: expected true or false");
    ASSERT_REFUSED("{" HDR "\"context\":[],\"benchmarks\":[]}", "context: expected an object");
    ASSERT_REFUSED("{" HDR "\"benchmarks\":[" OKB ",7]}", "benchmarks[1]: expected an object, got an integer");
    ASSERT_REFUSED("{" HDR "\"benchmarks\":[{\"status\":\"ok\"}]}", "benchmarks[0].name: missing");
    ASSERT_REFUSED("{" HDR "\"benchmarks\":[{\"name\":\"a\"}]}", "benchmarks[0].status: missing");
    ASSERT_REFUSED("{" HDR "\"benchmarks\":[{\"name\":\"a\",\"status\":\"great\"}]}",
                   "benchmarks[0].status: unknown status \"great\"");
    ASSERT_REFUSED("{" HDR "\"benchmarks\":[{\"name\":\"a\",\"status\":\"ok\",\"group\":5}]}",
                   "benchmarks[0].group: expected a string or null, got an integer");
    ASSERT_REFUSED("{" HDR "\"benchmarks\":[{\"name\":\"a\",\"status\":\"ok\",\"params\":{\"n\":true}}]}",
                   "benchmarks[0].params.n: expected a string or an integer, got a boolean");
    ASSERT_REFUSED("{" HDR "\"benchmarks\":[{\"name\":\"a\",\"status\":\"crashed\",\"signal\":\"SEGV\"}]}",
                   "benchmarks[0].signal: expected a non-negative integer");
    /* The example from the brief: the 8th sample of the 4th benchmark. */
    ASSERT_REFUSED("{" HDR "\"benchmarks\":[" OKB "," OKB "," OKB ",{\"name\":\"d\",\"status\":\"ok\","
                   "\"samples\":{\"iters\":[1,1,1,1,1,1,1,1],\"ns\":[1,2,3,4,5,6,7,\"8\"]}}]}",
                   "benchmarks[3].samples.ns[7]: expected a number, got a string");
    ASSERT_REFUSED("{" HDR "\"benchmarks\":[{\"name\":\"a\",\"status\":\"ok\","
                   "\"samples\":{\"iters\":[1,1],\"ns\":[1,null]}}]}",
                   "benchmarks[0].samples.ns[1]: expected a number, got null");
    ASSERT_REFUSED("{" HDR "\"benchmarks\":[{\"name\":\"a\",\"status\":\"ok\","
                   "\"samples\":{\"iters\":[1],\"ns\":[1,2]}}]}",
                   "benchmarks[0].samples.iters: has 1 elements but ns has 2");
    ASSERT_REFUSED("{" HDR "\"benchmarks\":[{\"name\":\"a\",\"status\":\"ok\","
                   "\"samples\":{\"iters\":[1,-1],\"ns\":[1,2]}}]}",
                   "benchmarks[0].samples.iters[1]: expected a non-negative integer");
    ASSERT_REFUSED("{" HDR "\"benchmarks\":[{\"name\":\"a\",\"status\":\"ok\",\"samples\":{\"ns\":[]}}]}",
                   "benchmarks[0].samples.iters: missing");
    ASSERT_REFUSED("{" HDR "\"benchmarks\":[{\"name\":\"a\",\"status\":\"ok\","
                   "\"samples\":{\"iters\":[1],\"ns\":[1]},\"runs\":{\"user_ns\":[1,2]}}]}",
                   "benchmarks[0].runs.user_ns: expected 1 elements (one per sample), got 2");
    ASSERT_REFUSED("{" HDR "\"benchmarks\":[{\"name\":\"a\",\"status\":\"ok\","
                   "\"samples\":{\"iters\":[1],\"ns\":[1]},\"runs\":{\"exit_codes\":[0.5]}}]}",
                   "benchmarks[0].runs.exit_codes[0]: expected an integer, got a number");
    ASSERT_REFUSED("{" HDR "\"benchmarks\":[{\"name\":\"a\",\"status\":\"ok\","
                   "\"estimates\":{\"mean\":{\"value\":\"fast\"}}}]}",
                   "benchmarks[0].estimates.mean.value: expected a number or null, got a string");
    ASSERT_REFUSED("{" HDR "\"benchmarks\":[{\"name\":\"a\",\"status\":\"ok\","
                   "\"estimates\":{},\"outliers\":{\"high_mild\":1.5}}]}",
                   "benchmarks[0].outliers.high_mild: expected a non-negative integer");
    ASSERT_REFUSED("{" HDR "\"benchmarks\":[{\"name\":\"a\",\"status\":\"ok\",\"counters\":{\"c\":\"x\"}}]}",
                   "benchmarks[0].counters.c: expected a number or null, got a string");
    ASSERT_REFUSED("{" HDR "\"benchmarks\":[{\"name\":\"a\",\"status\":\"ok\",\"precision\":{\"reached\":1}}]}",
                   "benchmarks[0].precision.reached: expected true or false");
    ASSERT_REFUSED("{" HDR "\"benchmarks\":[{\"name\":\"a\",\"status\":\"ok\",\"targets\":{\"max_p99_ns\":null}}]}",
                   "benchmarks[0].targets.max_p99_ns: expected a number, got null");
    ASSERT_REFUSED("{" HDR "\"benchmarks\":[{\"name\":\"a\",\"status\":\"ok\",\"unstable\":\"no\"}]}",
                   "benchmarks[0].unstable: expected true or false");
}

/* ---- files ------------------------------------------------------------------- */

TEST(json_text_puts_scalar_arrays_on_one_line_and_keeps_the_value)
{
    /* Strings holding brackets, commas, quotes, backslashes and newlines must come
     * through untouched; arrays of objects keep their layout. */
    json_t *j = json_pack("{s:[f,f,f,f,f,f,f,I], s:[s,s,s], s:[], s:[{s:i},{s:i}], s:[[i,i],[i]], s:s, s:[n,b,i]}",
                          "ns", 1.5, 0.1, 1e-300, 1.0 / 3.0, 0.30000000000000004, 20.0, -2.5e-7,
                          (json_int_t)9007199254740993LL,
                          "tricky", "a [1,\n 2] b", "quote \" [ , ]", "back\\",
                          "empty",
                          "objs", "level", 1, "level", 2,
                          "nested", 1, 2, 3,
                          "plain", "x , [ y",
                          "mixed", 1, 3);
    ASSERT_TRUE(j != NULL);
    char *text = tach__json_text(j);
    ASSERT_TRUE(text != NULL);
    /* Reals in their shortest exact form (15, 16 or 17 digits), still reals ("20.0");
     * integers untouched even beyond a double's 53 bits. */
    ASSERT_TRUE(strstr(text, "\"ns\": [1.5, 0.1, 1e-300, 0.3333333333333333, 0.30000000000000004, "
                             "20.0, -2.5e-07, 9007199254740993]") != NULL);
    ASSERT_TRUE(strstr(text, "\"tricky\": [\"a [1,\\n 2] b\", \"quote \\\" [ , ]\", \"back\\\\\"]") != NULL);
    ASSERT_TRUE(strstr(text, "\"empty\": []") != NULL);
    ASSERT_TRUE(strstr(text, "\"mixed\": [null, true, 3]") != NULL);
    ASSERT_TRUE(strstr(text, "\"nested\": [\n    [1, 2],\n    [3]\n  ]") != NULL);
    ASSERT_TRUE(strstr(text, "\"objs\": [\n    {\n      \"level\": 1\n    },") != NULL);
    ASSERT_EQ('\n', text[strlen(text) - 1]);
    json_error_t je;
    json_t *back = json_loads(text, 0, &je);
    if (!back) TEST__FAIL("json_text output does not parse: %s\n%s", je.text, text);
    ASSERT_TRUE(json_equal(j, back));
    json_decref(back);
    tach__free(text);
    json_decref(j);

    /* The same for a whole results document. */
    tach__doc *d = rich_doc();
    j = tach__doc_to_json(d);
    text = tach__json_text(j);
    back = json_loads(text, 0, &je);
    ASSERT_TRUE(back != NULL);
    ASSERT_TRUE(json_equal(j, back));
    json_decref(back);
    tach__free(text);
    json_decref(j);
    tach__doc_free(d);
}

TEST(save_and_load_round_trip_through_a_file)
{
    char *dir = make_tmpdir();
    char path[128];
    snprintf(path, sizeof path, "%s/run.json", dir);
    tach__doc *d = rich_doc();
    char err[TACH__ERR_MAX] = "";
    if (tach__doc_save(d, path, err) != 0) TEST__FAIL("save: %s", err);
    ASSERT_EQ(1, count_entries(dir)); /* no temp file left beside it */
    tach__doc *d2 = tach__doc_load(path, err);
    if (!d2) TEST__FAIL("load: %s", err);
    json_t *a = tach__doc_to_json(d), *b = tach__doc_to_json(d2);
    char *ta = dump(a), *tb = dump(b);
    ASSERT_STREQ(ta, tb);
    size_t len = 0;
    char *raw = tach__read_file(path, &len, err);
    ASSERT_TRUE(raw != NULL);
    ASSERT_EQ(strlen(raw), len);
    ASSERT_TRUE(len > 0 && raw[len - 1] == '\n'); /* a text file ends with a newline */
    /* The file's shortened reals still read back bit for bit... */
    for (size_t i = 0; i < d->nresults; i++)
        for (size_t k = 0; k < d->results[i].nsamples; k++)
            ASSERT_TRUE(memcmp(&d->results[i].sample_ns[k], &d2->results[i].sample_ns[k], sizeof(double)) == 0);
    /* ...and writing what was read gives the same file. */
    char *again = tach__json_text(b);
    ASSERT_STREQ(raw, again);
    tach__free(again);
    free(ta);
    free(tb);
    tach__free(raw);
    json_decref(a);
    json_decref(b);
    tach__doc_free(d);
    tach__doc_free(d2);
    rm_rf(dir);
}

TEST(loading_a_truncated_or_missing_file_fails_naming_it)
{
    char *dir = make_tmpdir();
    char path[128], cut[128];
    snprintf(path, sizeof path, "%s/run.json", dir);
    snprintf(cut, sizeof cut, "%s/cut.json", dir);
    tach__doc *d = rich_doc();
    char err[TACH__ERR_MAX] = "";
    ASSERT_EQ(0, tach__doc_save(d, path, err));
    size_t len;
    char *text = tach__read_file(path, &len, err);
    ASSERT_TRUE(text != NULL);
    ASSERT_EQ(0, tach__write_text_file(text, len / 2, cut, err));
    err[0] = '\0';
    ASSERT_TRUE(tach__doc_load(cut, err) == NULL);
    ASSERT_TRUE(strstr(err, cut) != NULL);
    ASSERT_TRUE(strstr(err, "not valid JSON") != NULL);
    /* An empty file, too. */
    ASSERT_EQ(0, tach__write_text_file("", 0, cut, err));
    ASSERT_TRUE(tach__doc_load(cut, err) == NULL);
    ASSERT_TRUE(strstr(err, "not valid JSON") != NULL);
    /* Valid JSON that is not a results document: the path and the reason. */
    ASSERT_EQ(0, tach__write_text_file("{\"benchmarks\": []}", 18, cut, err));
    ASSERT_TRUE(tach__doc_load(cut, err) == NULL);
    ASSERT_TRUE(strstr(err, cut) != NULL && strstr(err, "format: missing") != NULL);
    /* Duplicate keys are refused, not silently resolved. */
    const char *dup = "{\"format\":\"tach-results\",\"version\":1,\"version\":2,\"benchmarks\":[]}";
    ASSERT_EQ(0, tach__write_text_file(dup, strlen(dup), cut, err));
    ASSERT_TRUE(tach__doc_load(cut, err) == NULL);
    ASSERT_TRUE(strstr(err, "duplicate") != NULL);
    /* A directory is not a file. */
    ASSERT_TRUE(tach__doc_load(dir, err) == NULL);
    ASSERT_TRUE(strstr(err, dir) != NULL && strstr(err, "Is a directory") != NULL);
    char missing[160];
    snprintf(missing, sizeof missing, "%s/nope.json", dir);
    ASSERT_TRUE(tach__doc_load(missing, err) == NULL);
    ASSERT_TRUE(strstr(err, "cannot open") != NULL && strstr(err, missing) != NULL);
    tach__free(text);
    tach__doc_free(d);
    rm_rf(dir);
}

TEST(atomic_write_replaces_whole_and_leaves_no_temp_files)
{
    char *dir = make_tmpdir();
    char path[128], err[TACH__ERR_MAX] = "";
    snprintf(path, sizeof path, "%s/out.txt", dir);
    ASSERT_EQ(0, tach__write_text_file("first version\n", 14, path, err));
    ASSERT_EQ(0, tach__write_text_file("second\n", 7, path, err));
    char *t = tach__read_file(path, NULL, err);
    ASSERT_STREQ("second\n", t);
    tach__free(t);
    ASSERT_EQ(1, count_entries(dir));
    /* A relative path (no directory part) works too. */
    char cwd[4096];
    ASSERT_TRUE(getcwd(cwd, sizeof cwd) != NULL);
    ASSERT_EQ(0, chdir(dir));
    ASSERT_EQ(0, tach__write_text_file("rel\n", 4, "rel.txt", err));
    ASSERT_EQ(0, chdir(cwd));
    ASSERT_EQ(2, count_entries(dir));
    rm_rf(dir);
}

TEST(failed_write_names_the_path_and_leaves_nothing)
{
    char *dir = make_tmpdir();
    char err[TACH__ERR_MAX] = "";
    /* 1. The directory does not exist. */
    char path[160];
    snprintf(path, sizeof path, "%s/no/such/dir/out.json", dir);
    json_t *j = json_pack("{s:i}", "a", 1);
    ASSERT_EQ(-1, tach__write_json_file(j, path, err));
    ASSERT_TRUE(strstr(err, path) != NULL);
    ASSERT_TRUE(strstr(err, "No such file or directory") != NULL);
    ASSERT_EQ(0, count_entries(dir));

    /* 2. The target is a directory: the temp file is written, the rename fails, and
     *    the temp file must be removed again. */
    snprintf(path, sizeof path, "%s/adir", dir);
    ASSERT_EQ(0, mkdir(path, 0755));
    err[0] = '\0';
    ASSERT_EQ(-1, tach__write_json_file(j, path, err));
    ASSERT_TRUE(strstr(err, path) != NULL);
    ASSERT_EQ(1, count_entries(dir)); /* only adir */
    ASSERT_EQ(0, count_entries(path));

    /* 3. An unwritable directory (permissions do not stop root, so only then). */
    if (geteuid() != 0) {
        ASSERT_EQ(0, chmod(path, 0555));
        char inside[200];
        snprintf(inside, sizeof inside, "%s/out.json", path);
        ASSERT_EQ(-1, tach__write_json_file(j, inside, err));
        ASSERT_TRUE(strstr(err, inside) != NULL && strstr(err, "Permission denied") != NULL);
        ASSERT_EQ(0, chmod(path, 0755));
        ASSERT_EQ(0, count_entries(path));
    }
    /* 4. A write that fails midway (the file size limit, EFBIG): the old file stays
     *    as it was and no temp file is left. */
    char kept[200];
    snprintf(kept, sizeof kept, "%s/kept.json", dir);
    ASSERT_EQ(0, tach__write_text_file("{\"old\": true}\n", 15, kept, err));
    struct rlimit old_lim, lim;
    ASSERT_EQ(0, getrlimit(RLIMIT_FSIZE, &old_lim));
    lim = old_lim;
    lim.rlim_cur = 8;
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    ASSERT_EQ(0, setrlimit(RLIMIT_FSIZE, &lim));
    char big[64];
    memset(big, 'x', sizeof big);
    int rc = tach__write_text_file(big, sizeof big, kept, err);
    setrlimit(RLIMIT_FSIZE, &old_lim);
    signal(SIGXFSZ, old_handler);
    ASSERT_EQ(-1, rc);
    ASSERT_TRUE(strstr(err, kept) != NULL && strstr(err, "File too large") != NULL);
    char *still = tach__read_file(kept, NULL, err);
    ASSERT_STREQ("{\"old\": true}\n", still);
    tach__free(still);
    ASSERT_EQ(2, count_entries(dir)); /* adir and kept.json */

    /* 5. A read-only file system: /proc refuses new files even for root. */
    ASSERT_EQ(-1, tach__write_json_file(j, "/proc/tach_test_out.json", err));
    ASSERT_TRUE(strstr(err, "/proc/tach_test_out.json") != NULL);
    json_decref(j);
    rm_rf(dir);
}

TEST_MAIN()
