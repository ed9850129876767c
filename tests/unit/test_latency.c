/*
 * test_latency.c - the latency block of a result (src/core/latency.c): percentiles
 * from the histogram, the thin-tail mark, the too-short judgement, merging across
 * rounds through tach__result_append_samples, and the JSON form in a document.
 */
#include <stdlib.h>
#include <string.h>

#include "latency.h"
#include "tach_internal.h"
#include "test.h"

/* 2,000 calls: 1,998 of 100 ns and 2 of 1,000,000 ns.  p50..p99.9 read 100 (exact
 * below 2,048); p99.99 is the top of 1,000,000's slot (width 512 in [2^19, 2^20)
 * starting at 999,936): 1,000,447. */
static tach__latency *two_costs(void)
{
    tach__latency *l = tach__latency_new();
    tach__hist_record_n(l->hist, 100, 1998);
    tach__hist_record_n(l->hist, 1000000, 2);
    tach__latency_finish(l);
    return l;
}

TEST(percentiles_and_tails)
{
    tach__latency *l = two_costs();
    ASSERT_EQ(2000, l->count);
    ASSERT_NEAR(100, l->pct[0].value, 0);      /* p50 */
    ASSERT_NEAR(100, l->pct[4].value, 0);      /* p99.9: rank 1,998 */
    ASSERT_NEAR(1000447, l->pct[5].value, 0);  /* p99.99: rank 2,000 */
    ASSERT_NEAR(1000447, l->max, 0);
    ASSERT_EQ(1000, l->pct[0].samples);
    ASSERT_EQ(2, l->pct[4].samples);           /* "p99.9 from 2,000 calls: 2 samples" */
    ASSERT_TRUE(!tach__lat_thin(&l->pct[3]));  /* p99: 20 samples */
    ASSERT_TRUE(tach__lat_thin(&l->pct[4]));
    ASSERT_TRUE(tach__lat_thin(&l->pct[5]));
    ASSERT_TRUE(tach__lat_find(l, 99.9) == &l->pct[4]);
    ASSERT_TRUE(tach__lat_find(l, 42) == NULL);
    char b[16];
    ASSERT_STREQ("p99.9", tach__lat_pname(99.9, b, sizeof b));
    ASSERT_STREQ("p99.99", tach__lat_pname(99.99, b, sizeof b));
    ASSERT_STREQ("p50", tach__lat_pname(50, b, sizeof b));
    tach__latency_free(l);
    tach__latency_free(NULL);
}

TEST(too_short_when_below_twenty_clock_reads)
{
    tach__latency *l = two_costs();
    tach__latency_judge(l, 20.0); /* median 100 ns < 20 x 20 ns */
    ASSERT_TRUE(l->too_short);
    ASSERT_TRUE(l->note && strstr(l->note, "too short") != NULL);
    tach__latency_free(l);
    l = two_costs();
    tach__latency_judge(l, 5.0);  /* 100 ns = 20 x 5 ns: long enough */
    ASSERT_TRUE(!l->too_short);
    ASSERT_TRUE(l->note == NULL);
    tach__latency_judge(l, 0);    /* unknown cost: no judgement */
    ASSERT_TRUE(!l->too_short);
    tach__latency_free(l);
}

/* Two rounds merged: counts add, percentiles recomputed from the union (not averaged:
 * the mean of the rounds' p99s would be (100 + 1,000,447) / 2). */
TEST(rounds_merge_histograms_not_percentiles)
{
    tach__doc *d = tach__doc_new();
    tach__result *a = tach__doc_add(d);
    a->name = tach__strdup("a");
    a->latency = tach__latency_new();
    tach__hist_record_n(a->latency->hist, 100, 1000);
    tach__result b = {0};
    b.latency = tach__latency_new();
    tach__hist_record_n(b.latency->hist, 1000000, 30);
    tach__hist_record_n(b.latency->hist, 100, 970);
    tach__latency_finish(b.latency);
    ASSERT_NEAR(1000447, b.latency->pct[3].value, 0); /* round b alone: p99 = 1 ms */
    ASSERT_EQ(0, tach__result_append_samples(a, &b));
    ASSERT_EQ(2000, a->latency->count);
    /* union: 30 of 2,000 slow = 1.5%, so p99 (rank 1,980) is slow, p95 is not */
    ASSERT_NEAR(1000447, a->latency->pct[3].value, 0);
    ASSERT_NEAR(100, a->latency->pct[2].value, 0);
    ASSERT_EQ(20, a->latency->pct[3].samples);
    tach__result_clear(&b);
    tach__doc_free(d);
}

TEST(document_round_trip)
{
    tach__doc *d = tach__doc_new();
    tach__result *r = tach__doc_add(d);
    r->name = tach__strdup("op");
    r->latency = two_costs();
    r->latency->lost = 3;
    json_t *j = tach__doc_to_json(d);
    ASSERT_TRUE(j != NULL);
    json_t *lat = json_object_get(json_array_get(json_object_get(j, "benchmarks"), 0), "latency");
    ASSERT_TRUE(json_is_object(lat));
    ASSERT_STREQ("ns", json_string_value(json_object_get(lat, "unit")));
    ASSERT_EQ(2000, json_integer_value(json_object_get(lat, "count")));
    ASSERT_EQ(3, json_integer_value(json_object_get(lat, "lost")));
    json_t *pct = json_object_get(lat, "percentiles");
    ASSERT_EQ(6, json_array_size(pct));
    json_t *p999 = json_array_get(pct, 4);
    ASSERT_NEAR(99.9, json_number_value(json_object_get(p999, "p")), 1e-12);
    ASSERT_EQ(2, json_integer_value(json_object_get(p999, "samples")));
    ASSERT_TRUE(json_is_true(json_object_get(p999, "thin")));
    ASSERT_EQ(2, json_array_size(json_object_get(p999, "ci")));
    ASSERT_TRUE(strncmp(json_string_value(json_object_get(lat, "hist")), "HISTF", 5) == 0);

    char err[TACH__ERR_MAX];
    tach__doc *back = tach__doc_from_json(j, err);
    ASSERT_TRUE(back != NULL);
    tach__latency *l = back->results[0].latency;
    ASSERT_TRUE(l != NULL);
    ASSERT_EQ(2000, l->count);
    ASSERT_EQ(3, l->lost);
    ASSERT_NEAR(1000447, l->pct[5].value, 0);
    ASSERT_EQ(2, l->pct[4].samples);
    /* the text reads back identical */
    json_t *j2 = tach__doc_to_json(back);
    char *t1 = tach__json_text(j), *t2 = tach__json_text(j2);
    ASSERT_STREQ(t1, t2);
    tach__free(t1);
    tach__free(t2);
    json_decref(j2);
    tach__doc_free(back);

    /* damaged: a count that disagrees with the histogram, a missing histogram */
    json_object_set_new(lat, "count", json_integer(5));
    ASSERT_TRUE(tach__doc_from_json(j, err) == NULL);
    ASSERT_TRUE(strstr(err, "benchmarks[0].latency.count") != NULL);
    json_object_del(lat, "hist");
    ASSERT_TRUE(tach__doc_from_json(j, err) == NULL);
    ASSERT_TRUE(strstr(err, "benchmarks[0].latency.hist") != NULL);
    json_object_set_new(lat, "hist", json_string("AAAA"));
    ASSERT_TRUE(tach__doc_from_json(j, err) == NULL);
    ASSERT_TRUE(strstr(err, "benchmarks[0].latency.hist: histogram: ") != NULL);
    json_decref(j);
    tach__doc_free(d);
}

TEST(too_short_writes_no_percentiles)
{
    tach__doc *d = tach__doc_new();
    tach__result *r = tach__doc_add(d);
    r->name = tach__strdup("empty");
    r->latency = two_costs();
    tach__latency_judge(r->latency, 30.0);
    json_t *j = tach__doc_to_json(d);
    json_t *lat = json_object_get(json_array_get(json_object_get(j, "benchmarks"), 0), "latency");
    ASSERT_EQ(0, json_array_size(json_object_get(lat, "percentiles")));
    ASSERT_TRUE(json_is_true(json_object_get(lat, "too_short")));
    ASSERT_TRUE(strstr(json_string_value(json_object_get(lat, "note")), "too short") != NULL);
    char err[TACH__ERR_MAX];
    tach__doc *back = tach__doc_from_json(j, err);
    ASSERT_TRUE(back && back->results[0].latency->too_short);
    ASSERT_NEAR(30.0, back->results[0].latency->clock_cost_ns, 0);
    tach__doc_free(back);
    json_decref(j);
    tach__doc_free(d);
}

TEST_MAIN()
