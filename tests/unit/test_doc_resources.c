/*
 * test_doc_resources.c - a result's "memory" and "counters_hw" objects: written as
 * docs/results-format.md says, read back the same, absent counters kept apart from
 * measured ones (never 0), derived ratios, strict reading with the path of a fault.
 */
#include "hwcount.h"
#include "tach_internal.h"
#include "test.h"

static tach__doc *one_result(void)
{
    tach__doc *d = tach__doc_new();
    tach__result *r = tach__doc_add(d);
    r->name = tach__strdup("alloc/k=3");
    r->status = TACH__OK;
    return d;
}

static json_t *bench0(json_t *doc)
{
    return json_array_get(json_object_get(doc, "benchmarks"), 0);
}

TEST(no_memory_no_counters_no_keys)
{
    tach__doc *d = one_result();
    json_t *j = tach__doc_to_json(d);
    ASSERT_TRUE(json_object_get(bench0(j), "memory") == NULL);
    ASSERT_TRUE(json_object_get(bench0(j), "counters_hw") == NULL);
    json_decref(j);
    tach__doc_free(d);
}

TEST(memory_round_trip)
{
    tach__doc *d = one_result();
    tach__result *r = &d->results[0];
    r->memory = (tach__memory){.measured = true, .allocs_per_iter = 3, .bytes_per_iter = 192,
                               .peak_bytes = 192, .net_growth_per_iter = 64,
                               .peak_rss_bytes = 4194304, .iterations = 48, .leak = true,
                               .method = tach__strdup("interpose")};
    r->max_allocs_per_iter = 2;
    r->max_rss_bytes = 1e8;
    json_t *j = tach__doc_to_json(d);
    json_t *m = json_object_get(bench0(j), "memory");
    ASSERT_NEAR(3, json_number_value(json_object_get(m, "allocs_per_iter")), 0);
    ASSERT_NEAR(192, json_number_value(json_object_get(m, "bytes_per_iter")), 0);
    ASSERT_NEAR(64, json_number_value(json_object_get(m, "net_growth_per_iter")), 0);
    ASSERT_TRUE(json_is_true(json_object_get(m, "leak")));
    ASSERT_STREQ("interpose", json_string_value(json_object_get(m, "method")));
    ASSERT_TRUE(json_object_get(m, "unavailable") == NULL);
    json_t *tg = json_object_get(bench0(j), "targets");
    ASSERT_NEAR(2, json_number_value(json_object_get(tg, "max_allocs_per_iter")), 0);
    ASSERT_NEAR(1e8, json_number_value(json_object_get(tg, "max_rss_bytes")), 0);

    char err[TACH__ERR_MAX] = "";
    tach__doc *back = tach__doc_from_json(j, err);
    ASSERT_STREQ("", err);
    const tach__memory *b = &back->results[0].memory;
    ASSERT_TRUE(b->measured && b->leak);
    ASSERT_NEAR(3, b->allocs_per_iter, 0);
    ASSERT_NEAR(192, b->peak_bytes, 0);
    ASSERT_NEAR(4194304, b->peak_rss_bytes, 0);
    ASSERT_NEAR(48, b->iterations, 0);
    ASSERT_STREQ("interpose", b->method);
    ASSERT_NEAR(2, back->results[0].max_allocs_per_iter, 0);
    json_t *again = tach__doc_to_json(back);
    ASSERT_TRUE(json_equal(j, again));
    json_decref(again);
    tach__doc_free(back);
    json_decref(j);
    tach__doc_free(d);
}

TEST(memory_unavailable_keeps_the_reason_and_no_counts)
{
    tach__doc *d = one_result();
    tach__result *r = &d->results[0];
    r->memory.unavailable = tach__strdup("memory counting unavailable under ASan");
    r->memory.peak_rss_bytes = 1e6;
    json_t *j = tach__doc_to_json(d);
    json_t *m = json_object_get(bench0(j), "memory");
    ASSERT_STREQ("memory counting unavailable under ASan",
                 json_string_value(json_object_get(m, "unavailable")));
    ASSERT_TRUE(json_object_get(m, "allocs_per_iter") == NULL);
    ASSERT_TRUE(json_object_get(m, "leak") == NULL);
    char err[TACH__ERR_MAX] = "";
    tach__doc *back = tach__doc_from_json(j, err);
    ASSERT_TRUE(back != NULL);
    ASSERT_TRUE(!back->results[0].memory.measured);
    ASSERT_STREQ("memory counting unavailable under ASan", back->results[0].memory.unavailable);
    tach__doc_free(back);
    json_decref(j);
    tach__doc_free(d);
}

TEST(counters_absent_are_not_zero_and_derived_ratios)
{
    tach__doc *d = one_result();
    tach__result *r = &d->results[0];
    ASSERT_EQ(0, tach__result_set_hw(r, "task-clock", 812.5, false));
    ASSERT_EQ(0, tach__result_set_hw(r, "instructions", 3000, true));
    ASSERT_EQ(0, tach__result_set_hw(r, "cycles", 1500, true));
    ASSERT_EQ(0, tach__result_set_hw(r, "cycles", 1000, true)); /* replaces */
    ASSERT_EQ(0, tach__result_set_hw_absent(r, "cache-misses", "no hardware PMU"));
    ASSERT_EQ(3, r->nhw);
    ASSERT_NEAR(3.0, tach__hw_ipc(r), 1e-12);
    ASSERT_NAN(tach__hw_branch_miss_rate(r));
    ASSERT_NAN(tach__hw_cache_miss_rate(r));
    json_t *j = tach__doc_to_json(d);
    json_t *h = json_object_get(bench0(j), "counters_hw");
    json_t *ev = json_object_get(h, "events");
    ASSERT_NEAR(812.5, json_number_value(json_object_get(json_object_get(ev, "task-clock"), "per_iter")), 0);
    ASSERT_TRUE(json_is_false(json_object_get(json_object_get(ev, "task-clock"), "scaled")));
    ASSERT_TRUE(json_object_get(ev, "cache-misses") == NULL);
    ASSERT_STREQ("no hardware PMU",
                 json_string_value(json_object_get(json_object_get(h, "unavailable"), "cache-misses")));
    ASSERT_NEAR(3.0, json_number_value(json_object_get(json_object_get(h, "derived"), "ipc")), 0);
    ASSERT_TRUE(json_object_get(json_object_get(h, "derived"), "cache_miss_rate") == NULL);

    char err[TACH__ERR_MAX] = "";
    tach__doc *back = tach__doc_from_json(j, err);
    ASSERT_STREQ("", err);
    const tach__result *b = &back->results[0];
    ASSERT_EQ(3, b->nhw);
    ASSERT_EQ(1, b->nhw_absent);
    ASSERT_TRUE(tach__result_hw(b, "cache-misses") == NULL);
    ASSERT_TRUE(tach__result_hw(b, "instructions")->scaled);
    ASSERT_STREQ("no hardware PMU", b->hw_absent[0].why);
    tach__doc_free(back);
    json_decref(j);
    tach__doc_free(d);
}

/* A counter the kernel enabled but never scheduled (time running 0) counted nothing: its
 * 0 is absent with the reason, read alone (task-clock, a command's inherited counters)
 * as in the group.  Read alone it was a measured 0. */
TEST(counter_never_scheduled_is_absent_not_zero)
{
    tach__hw_values v;
    memset(&v, 0, sizeof v);
    tach__hw_decode(0, 5000, 0, &v, 1);    /* instructions: enabled, never ran */
    tach__hw_decode(0, 0, 0, &v, 6);       /* task-clock: never enabled, a true 0 */
    tach__hw_decode(300, 1000, 500, &v, 0); /* cycles: multiplexed, half the time */
    ASSERT_TRUE(!v.ok[1]);
    ASSERT_TRUE(v.ok[6]);
    ASSERT_TRUE(v.ok[0] && v.scaled[0]);
    ASSERT_NEAR(600.0, v.v[0], 0);
    tach__hw_group g;
    memset(&g, 0, sizeof g);
    for (size_t i = 0; i < TACH__HW_MAX; i++) g.fd[i] = -1;
    g.fd[0] = g.fd[1] = g.fd[6] = 100; /* open (never read here) */
    g.asked = 1u << 0 | 1u << 1 | 1u << 6;
    tach__doc *d = one_result();
    tach__result *r = &d->results[0];
    ASSERT_EQ(0, tach__hw_store(r, &g, &v, NULL, 1));
    ASSERT_TRUE(tach__result_hw(r, "instructions") == NULL);
    ASSERT_EQ(1, r->nhw_absent);
    ASSERT_STREQ("instructions", r->hw_absent[0].name);
    ASSERT_TRUE(strstr(r->hw_absent[0].why, "never scheduled") != NULL);
    ASSERT_NEAR(0.0, tach__result_hw(r, "task-clock")->per_iter, 0);
    ASSERT_NEAR(600.0, tach__result_hw(r, "cycles")->per_iter, 0);
    tach__doc_free(d);
}

TEST(bad_memory_and_counters_are_refused_with_their_path)
{
    static const struct { const char *bench, *want; } cases[] = {
        {"\"memory\": 3", "benchmarks[0].memory: expected an object, got an integer"},
        {"\"memory\": {\"allocs_per_iter\": \"x\"}",
         "benchmarks[0].memory.allocs_per_iter: expected a number or null, got a string"},
        {"\"memory\": {\"leak\": 1}", "benchmarks[0].memory.leak: expected true or false"},
        {"\"counters_hw\": {\"events\": {\"cycles\": 5}}",
         "benchmarks[0].counters_hw.events.cycles: expected an object, got an integer"},
        {"\"counters_hw\": {\"unavailable\": {\"cycles\": 0}}",
         "benchmarks[0].counters_hw.unavailable.cycles: expected a string (why)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[512];
        snprintf(text, sizeof text,
                 "{\"format\":\"tach-results\",\"version\":1,\"benchmarks\":[{\"name\":\"b\","
                 "\"status\":\"ok\",%s}]}", cases[i].bench);
        json_error_t je;
        json_t *j = json_loads(text, 0, &je);
        ASSERT_TRUE(j != NULL);
        char err[TACH__ERR_MAX] = "";
        tach__doc *d = tach__doc_from_json(j, err);
        json_decref(j);
        if (d) TEST__FAIL("case %zu read without error", i);
        if (!strstr(err, cases[i].want)) TEST__FAIL("case %zu: '%s' lacks '%s'", i, err, cases[i].want);
    }
}

TEST_MAIN()
