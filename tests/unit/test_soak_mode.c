/* test_soak_mode.c - a benchmark binary's soak mode (src/bench/soak_mode.c) in process:
 * what an interval's "ops" counts in a thread sweep. */
#define _GNU_SOURCE
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include <jansson.h>

#include "runner.h"
#include "test.h"

static atomic_ulong calls; /* every thread's every iteration */

static void counting_fn(tach_state *st, uint64_t tach__n)
{
    while (tach_loop(st)) atomic_fetch_add(&calls, 1);
}

/* The series goes through a cookie stream: at each line's write (the fflush that ends
 * it), the iterations counted so far, so that a line's ops can be held to the body's
 * own count between two lines, whatever the timing. */
#define MAX_LINES 64
static char text[1 << 16];
static size_t text_len;
static unsigned long at_line[MAX_LINES];
static size_t nlines;

static ssize_t cookie_write(void *c, const char *buf, size_t n)
{
    (void)c;
    if (text_len + n < sizeof text) {
        memcpy(text + text_len, buf, n);
        text_len += n;
    }
    if (nlines < MAX_LINES) at_line[nlines++] = atomic_load(&calls);
    return (ssize_t)n;
}

/* A sweep's interval counts all N threads' operations (as its throughput does,
 * docs/scaling.md), and says N ("ops_threads"): ops / N is each thread's. */
TEST(sweep_interval_counts_every_thread)
{
    tach_bench_def def = {.fname = "count", .fn = counting_fn, .threads = {3}};
    tach__instance *list = NULL;
    size_t n = 0;
    char err[TACH__ERR_MAX] = "";
    ASSERT_EQ(0, tach__expand(&def, &list, &n, err));
    ASSERT_EQ(0, tach__expand_threads(&list, &n, NULL, 0, err));
    ASSERT_EQ(1, n);
    ASSERT_EQ(3, list[0].nthreads);
    cookie_io_functions_t io = {.write = cookie_write};
    FILE *out = fopencookie(NULL, "w", io);
    ASSERT_TRUE(out != NULL);
    setvbuf(out, NULL, _IOFBF, 1 << 15);
    int rc = tach__soak_run(&list[0], 0.5, 0.1, 1, NULL, out, err);
    fclose(out);
    tach__instances_free(list, n);
    ASSERT_EQ(0, rc);
    ASSERT_TRUE(nlines >= 2);
    /* each line after the first: its ops are the iterations of all threads since the
     * line before */
    const char *p = text;
    size_t without_n = 0;
    for (size_t i = 0; i < nlines; i++) {
        const char *nl = strchr(p, '\n');
        ASSERT_TRUE(nl != NULL);
        json_t *o = json_loadb(p, (size_t)(nl - p), 0, NULL);
        ASSERT_TRUE(o != NULL);
        double ops = json_number_value(json_object_get(o, "ops"));
        double rate = json_number_value(json_object_get(o, "ops_per_s"));
        double len = json_number_value(json_object_get(o, "length"));
        if (i > 0) ASSERT_NEAR((double)(at_line[i] - at_line[i - 1]), ops, 0.5);
        ASSERT_NEAR(ops / len, rate, rate * 1e-5 + 1e-9);
        if (!json_is_integer(json_object_get(o, "ops_threads"))) without_n++;
        else ASSERT_EQ(3, (int)json_integer_value(json_object_get(o, "ops_threads")));
        json_decref(o);
        p = nl + 1;
    }
    ASSERT_EQ(0, without_n);
}

TEST_MAIN()
