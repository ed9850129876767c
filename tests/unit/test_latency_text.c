/*
 * test_latency_text.c - how a latency block is shown, against golden files in
 * tests/golden/ (TACH_UPDATE_GOLDEN=1 rewrites them): the console's latency section,
 * the Markdown one, the .hlog written, and the fields Google Benchmark's JSON gets.
 * The document is made by hand, so the text is exact: "op" has 2,000 calls, 1,998 of
 * 100 ns and 2 of 1 ms (p99.9 rests on 2 calls: thin); "tiny" was judged too short.
 */
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "latency.h"
#include "test.h"

static char path_buf[4096];

static void golden(const char *name, const char *text)
{
    const char *src = getenv("TACH_SRC");
    snprintf(path_buf, sizeof path_buf, "%s/tests/golden/%s", src ? src : ".", name);
    char err[TACH__ERR_MAX] = "";
    const char *upd = getenv("TACH_UPDATE_GOLDEN");
    if (upd && *upd == '1') {
        ASSERT_EQ(0, tach__write_text_file(text, strlen(text), path_buf, err));
        return;
    }
    char *want = tach__read_file(path_buf, NULL, err);
    if (!want) TEST__FAIL("golden file %s: %s", path_buf, err);
    bool same = !strcmp(want, text);
    if (!same) fprintf(stderr, "  got:\n%s\n", text);
    tach__free(want);
    if (!same) TEST__FAIL("%s differs from the golden file (TACH_UPDATE_GOLDEN=1 to rewrite)", name);
}

static tach__doc *make_doc(void)
{
    tach__doc *d = tach__doc_new();
    json_object_set_new(d->context, "date", json_string("2026-01-07T00:00:00Z"));
    tach__result *r = tach__doc_add(d);
    r->name = tach__strdup("op");
    r->status = TACH__OK;
    r->latency = tach__latency_new();
    tach__hist_record_n(r->latency->hist, 100, 1998);
    tach__hist_record_n(r->latency->hist, 1000000, 2);
    tach__latency_finish(r->latency);
    r = tach__doc_add(d);
    r->name = tach__strdup("tiny");
    r->status = TACH__OK;
    r->latency = tach__latency_new();
    tach__hist_record_n(r->latency->hist, 25, 1000);
    tach__latency_judge(r->latency, 20.0);
    return d;
}

TEST(console_section)
{
    tach__doc *d = make_doc();
    tach__buf b = {0};
    tach__latency_section(&b, d, false);
    char *t = tach__buf_take(&b);
    golden("latency.console.txt", t);
    tach__free(t);
    tach__doc_free(d);
}

TEST(markdown_section)
{
    tach__doc *d = make_doc();
    tach__buf b = {0};
    tach__latency_section(&b, d, true);
    char *t = tach__buf_take(&b);
    golden("latency.md", t);
    tach__free(t);
    tach__doc_free(d);
}

TEST(hlog_written)
{
    tach__doc *d = make_doc();
    char err[TACH__ERR_MAX];
    size_t len;
    char *t = tach__format_write(d, "hlog", &len, err);
    ASSERT_TRUE(t != NULL);
    golden("latency.hlog", t);
    tach__free(t);
    tach__doc_free(d);
}

TEST(gbench_fields)
{
    tach__doc *d = make_doc();
    json_t *j = tach__doc_to_gbench(d);
    json_t *op = json_array_get(json_object_get(j, "benchmarks"), 0);
    ASSERT_EQ(2000, json_integer_value(json_object_get(op, "latency_count")));
    ASSERT_NEAR(100, json_number_value(json_object_get(op, "latency_p50_ns")), 0);
    ASSERT_NEAR(1000447, json_number_value(json_object_get(op, "latency_p99_99_ns")), 0);
    ASSERT_NEAR(1000447, json_number_value(json_object_get(op, "latency_max_ns")), 0);
    ASSERT_NEAR(99.9, json_number_value(json_object_get(op, "latency_thin_from")), 1e-12);
    json_t *tiny = json_array_get(json_object_get(j, "benchmarks"), 1);
    ASSERT_EQ(1, json_integer_value(json_object_get(tiny, "latency_too_short")));
    ASSERT_TRUE(json_object_get(tiny, "latency_p50_ns") == NULL);
    json_decref(j);
    tach__doc_free(d);
}

/* A percentile just under a unit's 1000 is shown as the console table shows a time,
 * rounded into the next unit: 999.9 µs is "1.00 ms", never "1000 µs". */
TEST(unit_rounded_up)
{
    tach__doc *d = tach__doc_new();
    tach__result *r = tach__doc_add(d);
    r->name = tach__strdup("edge");
    r->status = TACH__OK;
    r->latency = tach__latency_new();
    tach__hist_record_n(r->latency->hist, 999700, 1000);
    tach__latency_finish(r->latency);
    for (int md = 0; md < 2; md++) {
        tach__buf b = {0};
        tach__latency_section(&b, d, md);
        char *t = tach__buf_take(&b);
        ASSERT_TRUE(t != NULL);
        if (strstr(t, "1000 \xc2\xb5s") || !strstr(t, "1.00 ms")) fprintf(stderr, "  got:\n%s\n", t);
        ASSERT_TRUE(strstr(t, "1000 \xc2\xb5s") == NULL);
        ASSERT_TRUE(strstr(t, "1.00 ms") != NULL);
        tach__free(t);
    }
    tach__doc_free(d);
}

TEST_MAIN()
