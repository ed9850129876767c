/*
 * test_hlog_java.c - an .hlog written by HdrHistogram's Java implementation
 * (tests/fixtures/hlog/java.hlog; how it was made, and what Java printed for it, in
 * tests/fixtures/hlog/README.md) is read by tach with the same percentiles, extremes,
 * mean and standard deviation the Java implementation computes.
 */
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "latency.h"
#include "tach_internal.h"
#include "test.h"

typedef struct java_ref {
    const char *tag;
    int64_t count;
    double p[TACH__LAT_NPCT]; /* p50 p90 p95 p99 p99.9 p99.99 */
    double max, min, mean, stddev;
} java_ref;

/* Printed by GenHlog.java and HistogramLogProcessor (README.md). */
static const java_ref refs[] = {
    {"get", 15000, {50143, 76415, 90495, 140927, 243839, 398079}, 554495, 40192, 56413.591, 20665.563},
    {"put", 15000, {200319, 241279, 246271, 5644287, 9617407, 9969663}, 9969663, 150016, 284934.144,
     803901.290},
};

static char path[4096];

static const char *fixture(void)
{
    const char *src = getenv("TACH_SRC");
    snprintf(path, sizeof path, "%s/tests/fixtures/hlog/java.hlog", src ? src : "../..");
    return path;
}

TEST(reads_the_java_log_with_javas_percentiles)
{
    char err[TACH__ERR_MAX];
    tach__doc *d = tach__format_read_file(fixture(), err);
    if (!d) fprintf(stderr, "%s\n", err);
    ASSERT_TRUE(d != NULL);
    ASSERT_EQ(2, d->nresults);
    ASSERT_STREQ("import:hlog", json_string_value(json_object_get(d->context, "tool")));
    ASSERT_STREQ("2023-11-14T22:13:20Z", json_string_value(json_object_get(d->context, "date")));
    for (size_t i = 0; i < 2; i++) {
        const tach__result *r = &d->results[i];
        const java_ref *ref = &refs[i];
        ASSERT_STREQ(ref->tag, r->name);
        ASSERT_TRUE(r->latency != NULL);
        const tach__latency *l = r->latency;
        ASSERT_EQ(ref->count, l->count);
        for (size_t k = 0; k < TACH__LAT_NPCT; k++) ASSERT_NEAR(ref->p[k], l->pct[k].value, 0);
        ASSERT_NEAR(ref->max, l->max, 0);
        ASSERT_NEAR(ref->min, l->min, 0);
        ASSERT_NEAR(ref->mean, l->mean, 0.001);
        ASSERT_NEAR(ref->stddev, l->stddev, 0.001);
    }
    tach__doc_free(d);
}

/* Written back by tach and read again: the same histograms. */
TEST(the_java_log_survives_a_round_trip)
{
    char err[TACH__ERR_MAX];
    tach__doc *d = tach__format_read_file(fixture(), err);
    ASSERT_TRUE(d != NULL);
    size_t len;
    char *text = tach__format_write(d, "hlog", &len, err);
    ASSERT_TRUE(text != NULL);
    ASSERT_TRUE(strstr(text, "#[Histogram log format version 1.2]\n") != NULL);
    ASSERT_TRUE(strstr(text, "\nTag=put,0.000,") != NULL);
    ASSERT_TRUE(tach__hlog_looks_like(text));
    tach__doc *back = tach__hlog_read_text(text, len, "again.hlog", err);
    ASSERT_TRUE(back != NULL);
    ASSERT_EQ(2, back->nresults);
    for (size_t i = 0; i < 2; i++)
        for (size_t k = 0; k < TACH__LAT_NPCT; k++)
            ASSERT_NEAR(d->results[i].latency->pct[k].value, back->results[i].latency->pct[k].value, 0);
    tach__free(text);
    tach__doc_free(back);
    tach__doc_free(d);
}

/* A log whose histograms have another layout (2 digits, 1 us resolution) keeps it: the
 * percentiles read are that layout's, not re-bucketed into tach's default. */
TEST(another_layout_is_kept)
{
    tach__hist *h = tach__hist_new(1000, INT64_C(1000000000000), 2);
    for (int64_t v = 1; v <= 1000; v++) tach__hist_record(h, v * 12345);
    FILE *f = tmpfile();
    ASSERT_EQ(0, tach__hlog_write_header(f, 0, NULL));
    ASSERT_EQ(0, tach__hlog_write_interval(f, "op", 0, 1, h, 1e6));
    ASSERT_EQ(0, tach__hlog_write_interval(f, "op", 1, 1, h, 1e6));
    rewind(f);
    char text[8192];
    size_t len = fread(text, 1, sizeof text - 1, f);
    text[len] = '\0';
    fclose(f);
    char err[TACH__ERR_MAX];
    tach__doc *d = tach__hlog_read_text(text, len, "two.hlog", err);
    ASSERT_TRUE(d != NULL);
    ASSERT_EQ(1, d->nresults);
    const tach__latency *l = d->results[0].latency;
    ASSERT_EQ(2, tach__hist_sigfigs(l->hist));
    ASSERT_EQ(1000, tach__hist_lowest(l->hist));
    ASSERT_EQ(2000, l->count);
    ASSERT_EQ(0, l->lost);
    for (size_t k = 0; k < TACH__LAT_NPCT; k++)
        ASSERT_NEAR((double)tach__hist_value_at(h, l->pct[k].p), l->pct[k].value, 0);
    tach__doc_free(d);
    tach__hist_free(h);
}

TEST(damaged_logs_name_the_line)
{
    char err[TACH__ERR_MAX];
    const char *bad = "#[Histogram log format version 1.2]\n0.0,1.0,0.1,HISTFAAAAnotbase64!\n";
    ASSERT_TRUE(tach__hlog_looks_like(bad));
    ASSERT_TRUE(tach__hlog_read_text(bad, strlen(bad), "x.hlog", err) == NULL);
    ASSERT_TRUE(strstr(err, "x.hlog: line 2: ") != NULL);
    const char *empty = "#[Histogram log format version 1.2]\n";
    ASSERT_TRUE(tach__hlog_read_text(empty, strlen(empty), "e.hlog", err) == NULL);
    ASSERT_TRUE(strstr(err, "without any interval") != NULL);
    ASSERT_TRUE(!tach__hlog_looks_like("{\"format\": \"tach-results\"}"));
    ASSERT_TRUE(tach__hlog_looks_like("0.127,1.007,2.769,HISTFAAAAEV42pNpmSzMwMCgyAABTBDKT4GBgdnNYMcCBvsPEBEJISEuATEZMQ4uASkhIR4nrxg9v2qMLwQ="));
    ASSERT_TRUE(!tach__hlog_looks_like("1,2,3\n"));
}

TEST_MAIN()
