/* test_load_series.c - a load run's intervals as they end (tach__load_run_ops_series,
 * src/bench/load_run.c; the lines of src/bench/load_series.c), what tach soak --load
 * reads: every interval told once, in order, with counts that add up to the run's own
 * (exact, whatever the machine's speed), its histogram dropped once told; and the line's
 * fields (the sends among them, as the document counts them).  No timing is asserted. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "load.h"
#include "test.h"

TACH_OP(series_noop) { (void)op; }
TACH_OP(series_bad_slo, .slo = "p98<1ms") { (void)op; }

/* an error kind longer than 23 bytes, as a setup's reason often is */
#define LONG_KIND "cannot connect to 127.0.0.1:5432: Connection refused"
static void long_kind_setup(tach_op *op) { tach_op_error(op, LONG_KIND); }
TACH_OP(series_long_setup, .setup = long_kind_setup) { (void)op; }

typedef struct seen {
    size_t calls, next_k;
    bool in_order;
    int64_t count, sent;
} seen;

static void on_iv(void *ctx, size_t k, const tach__hist *h, int64_t count, int64_t errors,
                  int64_t sent)
{
    seen *s = ctx;
    if (k != s->next_k) s->in_order = false;
    s->next_k = k + 1;
    s->calls++;
    s->count += count;
    s->sent += sent;
    (void)errors;
    if (count > 0 && tach__hist_count(h) != count) s->in_order = false; /* histogram = count */
}

TEST(every_interval_is_told_once_in_order_and_the_counts_add_up)
{
    tach__load_cfg c;
    tach__load_cfg_default(&c);
    char err[TACH__ERR_MAX] = "";
    ASSERT_EQ(0, tach__load_add_target(&c, "series_noop", false, err));
    c.model = TACH__LOAD_OPEN;
    c.nstages = 1;
    c.stages[0].rate = 2000;
    c.stages[0].duration_s = 1e9;
    c.rate = 2000;
    c.duration_s = 0.5;
    c.warmup_s = 0;
    c.interval_s = 0.1;
    c.threads = 2;
    seen s = {.in_order = true};
    tach__load_sink sink = {on_iv, &s};
    tach__load_stats st;
    memset(&st, 0, sizeof st);
    ASSERT_EQ(0, tach__load_run_ops_series(&c, NULL, &sink, &st, err));
    ASSERT_EQ(5, (long)s.calls); /* 0.5 s in intervals of 0.1 s */
    ASSERT_TRUE(s.in_order);
    ASSERT_EQ((long)st.ops[0].count, (long)s.count);
    ASSERT_TRUE(s.count > 0);
    /* the sends too, as the document's intervals count them (each request once) */
    int64_t doc_sent = 0;
    for (size_t k = 0; k < st.ops[0].niv; k++) doc_sent += st.ops[0].iv[k].sent;
    ASSERT_EQ((long)doc_sent, (long)s.sent);
    ASSERT_EQ((long)st.sent, (long)s.sent);
    for (size_t k = 0; k < st.ops[0].niv; k++) ASSERT_TRUE(st.ops[0].iv[k].hist == NULL);
    /* what each histogram said is kept (the document's p50, p99, max and samples): of
     * the target and of all of them, in order p50 <= p99 <= max */
    ASSERT_TRUE(st.ops[0].kept != NULL && st.kept_all != NULL);
    for (size_t k = 0; k < st.ops[0].niv; k++) {
        if (!st.ops[0].iv[k].count) continue;
        const tach__load_ivsum *a = &st.ops[0].kept[k], *b = &st.kept_all[k];
        ASSERT_TRUE(a->set && b->set);
        ASSERT_TRUE(a->p50_ns >= 1 && a->p50_ns <= a->p99_ns && a->p99_ns <= a->max_ns);
        ASSERT_TRUE(a->mean_ns > 0);
        ASSERT_EQ(a->max_ns, b->max_ns); /* one target: the overall is its */
    }
    tach__doc *d = tach__doc_new();
    ASSERT_TRUE(d != NULL);
    ASSERT_EQ(0, tach__load_to_doc(&st, d, err));
    size_t with = 0;
    for (size_t k = 0; k < st.ops[0].niv; k++) with += st.ops[0].iv[k].count > 0;
    ASSERT_EQ((long)with, (long)d->results[0].nsamples); /* a sample per interval, as without */
    tach__doc_free(d);
    tach__load_stats_clear(&st);
    tach__load_cfg_clear(&c);
}

/* The closed model serves every client of a thread: a fixed 64 of them were, so 200
 * clients with a think time on one thread offered a third of their load.  Each client's
 * first request is intended at the start, so 200 go whatever the machine's speed; the
 * think time then leaves room for two more each at most within 0.25 s (64 clients:
 * 192 at most). */
TEST(the_closed_model_serves_every_client_of_a_thread)
{
    tach__load_cfg c;
    tach__load_cfg_default(&c);
    char err[TACH__ERR_MAX] = "";
    ASSERT_EQ(0, tach__load_add_target(&c, "series_noop", false, err));
    c.threads = 1;
    c.clients = 200;
    c.think_s = 0.1;
    c.duration_s = 0.25;
    c.warmup_s = 0;
    c.interval_s = 0.25;
    tach__load_stats st;
    memset(&st, 0, sizeof st);
    ASSERT_EQ(0, tach__load_run_ops(&c, NULL, &st, err));
    ASSERT_TRUE(st.fail == NULL);
    ASSERT_TRUE(st.ops[0].count >= 200);
    ASSERT_TRUE(st.ops[0].count <= 600);
    tach__load_stats_clear(&st);
    tach__load_cfg_clear(&c);
}

TEST(an_interval_line_has_its_fields)
{
    tach__load_cfg c;
    tach__load_cfg_default(&c);
    c.duration_s = 1.25;
    c.interval_s = 0.5;
    tach__hist *h = tach__hist_new_default();
    ASSERT_TRUE(h != NULL);
    for (int i = 1; i <= 100; i++) tach__hist_record(h, i * 1000); /* 1 to 100 us */
    char buf[8192] = "";
    FILE *f = fmemopen(buf, sizeof buf, "w");
    ASSERT_TRUE(f != NULL);
    ASSERT_EQ(0, tach__load_series_line(f, &c, 2, h, 100, 3, 90, true)); /* the last: 0.25 s */
    fclose(f);
    json_error_t je;
    json_t *o = json_loads(buf, 0, &je);
    ASSERT_TRUE(o != NULL);
    ASSERT_EQ(2, (long)json_integer_value(json_object_get(o, "interval")));
    ASSERT_NEAR(1.0, json_number_value(json_object_get(o, "start_s")), 1e-9);
    ASSERT_NEAR(0.25, json_number_value(json_object_get(o, "length")), 1e-9);
    ASSERT_NEAR(400.0, json_number_value(json_object_get(o, "ops_per_s")), 1e-6);
    ASSERT_EQ(3, (long)json_integer_value(json_object_get(o, "errors")));
    ASSERT_EQ(90, (long)json_integer_value(json_object_get(o, "sent")));
    ASSERT_NEAR(360.0, json_number_value(json_object_get(o, "sent_per_s")), 1e-6);
    /* HdrHistogram's p50 of 1..100 us is the 50th value's bucket (3 significant digits) */
    ASSERT_NEAR(50000, json_number_value(json_object_get(o, "p50_ns")), 50);
    ASSERT_NEAR(99000, json_number_value(json_object_get(o, "p99_ns")), 100);
    ASSERT_TRUE(json_number_value(json_object_get(o, "rss_bytes")) > 0);
    ASSERT_TRUE(json_number_value(json_object_get(o, "threads")) >= 1);
    ASSERT_TRUE(json_integer_value(json_object_get(o, "pid")) > 0);
    ASSERT_TRUE(!strncmp(json_string_value(json_object_get(o, "hist")), "HISTF", 5));
    json_decref(o);
    tach__hist_free(h);
}

TEST_MAIN()

/* An operation's own objectives that do not parse (.slo = "p98<1ms") are a bad
 * definition: its load mode refuses to run it (exit 2, naming them), as a benchmark's bad
 * .slo fails it; they were dropped unsaid, the run judged without them. */
TEST(an_operations_bad_objectives_refuse_the_run)
{
    char *argv[] = {"prog", TACH__LOAD_ARG, "--duration=0.05", "--warmup=0", "--threads=1",
                    "--out=/dev/null", "series_bad_slo", NULL};
    ASSERT_EQ(2, tach__load_main(7, argv));
    char *ok[] = {"prog", TACH__LOAD_ARG, "--duration=0.05", "--warmup=0", "--threads=1",
                  "--out=/dev/null", "series_noop", NULL};
    ASSERT_EQ(0, tach__load_main(7, ok));
}

/* tach_op_error kept 23 bytes of a kind, cut anywhere (half a UTF-8 character, shown as
 * U+FFFD), and so cut a setup's reason for failing: a kind is kept up to 255 bytes, cut
 * before a character that does not fit, and the setup's reason holds it whole. */
TEST(an_error_kind_is_kept_up_to_255_bytes_in_whole_characters)
{
    tach_op op;
    memset(&op, 0, sizeof op);
    tach_op_error(&op, LONG_KIND);
    ASSERT_STREQ(LONG_KIND, op.kind);
    char kind[300];
    memset(kind, 'x', 254);
    strcpy(kind + 254, "\xc3\xa9 and more"); /* an e-acute at bytes 254-255 */
    tach_op_error(&op, kind);
    ASSERT_EQ(254, (long)strlen(op.kind)); /* not 255: the e-acute left out whole */
    tach_op_error(&op, NULL); /* tach.h: NULL or "" means "error" */
    ASSERT_STREQ("error", op.kind);
    tach_op_error(&op, "");
    ASSERT_STREQ("error", op.kind);
    tach__load_kinds k;
    memset(&k, 0, sizeof k);
    tach__load_kinds_add(&k, LONG_KIND, 1);
    ASSERT_STREQ(LONG_KIND, k.key[0]);

    tach__load_cfg c;
    tach__load_cfg_default(&c);
    char err[TACH__ERR_MAX] = "";
    ASSERT_EQ(0, tach__load_add_target(&c, "series_long_setup", false, err));
    c.duration_s = 0.05;
    c.warmup_s = 0;
    c.threads = 1;
    c.clients = 1;
    tach__load_stats st;
    memset(&st, 0, sizeof st);
    ASSERT_EQ(0, tach__load_run_ops(&c, NULL, &st, err));
    ASSERT_TRUE(st.fail && strstr(st.fail, "the setup of series_long_setup failed (" LONG_KIND ")"));
    tach__load_stats_clear(&st);
    tach__load_cfg_clear(&c);
}
