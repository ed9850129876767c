/* test_formats.c - the console table, Google Benchmark JSON and CSV against expected output.
 *
 * The document is filled by hand (summary values chosen, not computed), so these tests pin
 * the renderers alone. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "format.h"
#include "tach_internal.h"
#include "test.h"

static double ns3[] = {100.0, 110.0, 120.0};
static uint64_t it3[] = {1000, 1000, 2000};

/* Two benchmarks of one family (group "g", function "f", param n), one crashed. */
static tach__doc *make_doc(void)
{
    tach__doc *d = tach__doc_new();
    json_object_set_new(d->context, "host", json_string("box"));
    json_object_set_new(d->context, "cpus", json_integer(2));
    json_object_set_new(d->context, "governor", json_string("powersave"));

    tach__result *r = tach__doc_add(d);
    r->name = tach__strdup("g/f/n=8");
    r->group = tach__strdup("g");
    r->function = tach__strdup("f");
    tach__result_set_param(r, "n", "8");
    r->status = TACH__OK;
    r->nsamples = 3;
    r->sample_ns = malloc(sizeof ns3);
    memcpy(r->sample_ns, ns3, sizeof ns3);
    r->sample_iters = malloc(sizeof it3);
    memcpy(r->sample_iters, it3, sizeof it3);
    r->has_summary = true;
    r->summary.n = 3;
    r->summary.mean = (tach__ci){110.0, 100.0, 120.0};
    r->summary.median = (tach__ci){110.0, 105.0, 115.0};
    r->summary.stddev = 10.0;
    r->summary.mad = 10.0;
    r->summary.cv = 10.0 / 110.0;
    r->summary.min = 100.0;
    r->summary.max = 120.0;
    r->summary.p99 = 119.8;
    r->summary.outliers.high_severe = 1;
    r->summary.outliers.high_mild = 1;
    r->unstable = true;
    r->precision_reached = true;
    r->bytes_per_iter = 1100; /* 1100 B / 110 ns = 10 GB/s */
    tach__result_set_counter(r, "hits", 3.0);

    r = tach__doc_add(d);
    r->name = tach__strdup("g/f/n=64");
    r->group = tach__strdup("g");
    r->function = tach__strdup("f");
    r->status = TACH__CRASHED;
    r->signal = 11;
    r->message = tach__strdup("killed by signal 11 (SIGSEGV)");
    return d;
}

TEST(fmt_time_scales_units_to_three_digits)
{
    char b[32];
    ASSERT_STREQ("0.50 ns", tach__fmt_time(0.5, b, sizeof b));
    ASSERT_STREQ("12.3 ns", tach__fmt_time(12.34, b, sizeof b));
    ASSERT_STREQ("123 ns", tach__fmt_time(123.4, b, sizeof b));
    ASSERT_STREQ("1.23 µs", tach__fmt_time(1234.0, b, sizeof b));
    ASSERT_STREQ("1.50 ms", tach__fmt_time(1.5e6, b, sizeof b));
    ASSERT_STREQ("2.00 s", tach__fmt_time(2e9, b, sizeof b));
    ASSERT_STREQ("-", tach__fmt_time(NAN, b, sizeof b));
    /* the digits judged as printed: rounding up to 1000 moves to the next unit, and to
     * 10 or 100 keeps three digits ("1000 ns" and "10.00 ns" before) */
    ASSERT_STREQ("1.00 µs", tach__fmt_time(999.6, b, sizeof b));
    ASSERT_STREQ("1.00 ms", tach__fmt_time(999999.0, b, sizeof b));
    ASSERT_STREQ("-1.00 µs", tach__fmt_time(-999.6, b, sizeof b));
    ASSERT_STREQ("10.0 ns", tach__fmt_time(9.999, b, sizeof b));
    ASSERT_STREQ("100 ns", tach__fmt_time(99.99, b, sizeof b));
    ASSERT_STREQ("999 ns", tach__fmt_time(999.4, b, sizeof b));
}

/* One unit per line: a spread or a part in the unit of the line's value. */
TEST(fmt_time_in_keeps_the_reference_unit)
{
    char b[32];
    ASSERT_STREQ("0.2 ms", tach__fmt_time_in(217e3, 51.6e6, b, sizeof b));
    ASSERT_STREQ("0.0 ms", tach__fmt_time_in(0, 51.6e6, b, sizeof b));
    ASSERT_STREQ("0.00 ns", tach__fmt_time_in(0, 1.5, b, sizeof b));
    ASSERT_STREQ("1200 µs", tach__fmt_time_in(1.2e6, 900e3, b, sizeof b));
    /* a reference of 0 (every run at or under the shell's start-up, subtracted) lends no
     * unit: the value keeps its own, never "1864854.00 ns" */
    ASSERT_STREQ("1.86 ms", tach__fmt_time_in(1864854, 0, b, sizeof b));
    ASSERT_STREQ("0.00 ns", tach__fmt_time_in(0, 0, b, sizeof b));
    /* the unit tach__fmt_time gives the reference once rounded: 999.6 ns reads 1.00 µs,
     * so its spread is in µs too, not "1.00 µs ± 5 ns" */
    ASSERT_STREQ("1.00 µs", tach__fmt_time(999.6, b, sizeof b));
    ASSERT_STREQ("0.01 µs", tach__fmt_time_in(5, 999.6, b, sizeof b));
    ASSERT_STREQ("0.00 ms", tach__fmt_time_in(3e3, 999.6e3, b, sizeof b));
    ASSERT_STREQ("10.0 ns", tach__fmt_time(9.999, b, sizeof b));
    ASSERT_STREQ("3.0 ns", tach__fmt_time_in(3, 9.999, b, sizeof b));
}

/* Singular for exactly one, else the plural; padding counts display columns. */
TEST(plural_and_pad)
{
    char b[48];
    ASSERT_STREQ("1 sample", tach__plural(1, "sample", NULL, b, sizeof b));
    ASSERT_STREQ("0 samples", tach__plural(0, "sample", NULL, b, sizeof b));
    ASSERT_STREQ("2 looks", tach__plural(2, "look", NULL, b, sizeof b));
    ASSERT_STREQ("3 processes", tach__plural(3, "process", "processes", b, sizeof b));
    ASSERT_STREQ("  1.00 µs", tach__pad("1.00 µs", 9, b, sizeof b));
    ASSERT_STREQ("µs  |", strcat(strcpy(b, tach__pad("µs", -4, (char[16]){0}, 16)), "|"));
    ASSERT_EQ(7, tach__display_width("1.00 µs"));
}

TEST(fmt_rate_uses_decimal_prefixes)
{
    char b[32];
    ASSERT_STREQ("512.0 MB/s", tach__fmt_rate(512e6, true, b, sizeof b));
    ASSERT_STREQ("1.20 M/s", tach__fmt_rate(1.2e6, false, b, sizeof b));
    ASSERT_STREQ("999.0 B/s", tach__fmt_rate(999, true, b, sizeof b));
    /* just under 1 MB/s rounded to "1000.0 kB/s": the next unit, as from 1 MB/s */
    ASSERT_STREQ("1.00 MB/s", tach__fmt_rate(999960, true, b, sizeof b));
    ASSERT_STREQ("1.00 k/s", tach__fmt_rate(999.99, false, b, sizeof b));
    ASSERT_STREQ("999.9 kB/s", tach__fmt_rate(999940, true, b, sizeof b));
    ASSERT_STREQ("100.0 B/s", tach__fmt_rate(99.999, true, b, sizeof b));
    /* A measured zero is a figure; only a rate not measured is "-". */
    ASSERT_STREQ("0 B/s", tach__fmt_rate(0, true, b, sizeof b));
    ASSERT_STREQ("0 /s", tach__fmt_rate(0, false, b, sizeof b));
    ASSERT_STREQ("-", tach__fmt_rate(NAN, false, b, sizeof b));
    ASSERT_STREQ("-", tach__fmt_rate(-1, true, b, sizeof b));
}

TEST(console_table_matches_expected)
{
    tach__doc *d = make_doc();
    char *t = tach__doc_to_table(d, false, 0);
    const char *expected =
        "benchmark  median  ± 95% CI    mean  throughput  samples    CV      outliers  hits  status\n"
        "g/f/n=8    110 ns    ± 4.5%  110 ns  10.00 GB/s        3  9.1%  2 (1 severe)     3  ok, unstable (CV > 5%)\n"
        "g/f/n=64        -         -       -           -        -     -             -     -  crashed: killed by signal 11 (SIGSEGV)\n";
    ASSERT_STREQ(expected, t);
    free(t);
    tach__doc_free(d);
}

/* Several unstable benchmarks (a busy machine): each row says only "ok, unstable",
 * and the table ends with one note saying why and what to do, not a wall of it. */
TEST(console_table_says_unstable_once)
{
    tach__doc *d = make_doc();
    d->results[1].status = TACH__OK; /* the second result becomes an unstable one too */
    d->results[1].unstable = true;
    d->results[1].precision_target = 0.01;
    d->results[1].precision_achieved = 0.4;
    char *t = tach__doc_to_table(d, false, 0);
    ASSERT_TRUE(strstr(t, "(CV > 5%)  ") == NULL);
    ASSERT_TRUE(strstr(t, "  ok, unstable\n") != NULL);
    ASSERT_TRUE(strstr(t, "precision ±") == NULL);
    ASSERT_TRUE(strstr(t, "\n2 of 2 benchmarks are unstable (CV > 5%): ") != NULL);
    ASSERT_TRUE(strstr(t, "--rounds 10") != NULL && strstr(t, "tach ab OLD NEW") != NULL);
    const char *first = strstr(t, "unstable (CV > 5%)");
    ASSERT_TRUE(first != NULL && strstr(first + 1, "unstable (CV > 5%)") == NULL); /* once */
    free(t);
    tach__doc_free(d);
}

TEST(console_table_colours_status_only_when_asked)
{
    tach__doc *d = make_doc();
    char *plain = tach__doc_to_table(d, false, 0);
    char *color = tach__doc_to_table(d, true, 0);
    ASSERT_TRUE(strchr(plain, '\033') == NULL);
    ASSERT_TRUE(strstr(color, "\033[33mok, unstable") != NULL);
    ASSERT_TRUE(strstr(color, "\033[31mcrashed") != NULL);
    free(plain);
    free(color);
    tach__doc_free(d);
}

TEST(console_table_keeps_control_bytes_out)
{
    tach__doc *d = make_doc();
    free(d->results[1].message);
    /* ESC, a newline, the 8-bit CSI U+009B, a byte that is not UTF-8, and é (kept) */
    d->results[1].message = tach__strdup("a\033[2Jb\nc\xc2\x9b" "31m d\xff e\xc3\xa9\n");
    char *t = tach__doc_to_table(d, false, 0);
    ASSERT_TRUE(strstr(t, "crashed: a [2Jb c  31m d? e\xc3\xa9\n") != NULL);
    ASSERT_TRUE(strchr(t, '\033') == NULL && strstr(t, "\xc2\x9b") == NULL);
    /* precision missed and unstable: both said */
    d->results[0].precision_reached = false;
    d->results[0].precision_target = 0.01;
    d->results[0].precision_achieved = 0.019;
    free(t);
    t = tach__doc_to_table(d, false, 0);
    ASSERT_TRUE(strstr(t, "  ± 1.9%  ") != NULL);
    ASSERT_TRUE(strstr(t, "ok, unstable (CV > 5%), precision missed (asked 1.0%)\n") != NULL);
    free(t);
    tach__doc_free(d);
}

TEST(console_status_names_a_precision_not_reached)
{
    tach__doc *d = make_doc();
    tach__result *r = &d->results[0];
    r->unstable = false;
    r->precision_reached = false;
    r->precision_target = 0.01;
    r->precision_achieved = 0.019;
    char *t = tach__doc_to_table(d, false, 0);
    /* one interval: the column shows the one the precision rule judged */
    ASSERT_TRUE(strstr(t, "  ± 1.9%  ") != NULL && strstr(t, "± 4.5%") == NULL);
    ASSERT_TRUE(strstr(t, "  ok, precision missed (asked 1.0%)\n") != NULL);
    free(t);
    /* a miss that rounds to the target shows the digits that tell them apart */
    r->precision_achieved = 0.01004;
    t = tach__doc_to_table(d, false, 0);
    ASSERT_TRUE(strstr(t, "  ± 1.004%  ") != NULL);
    ASSERT_TRUE(strstr(t, "  ok, precision missed (asked 1.000%)\n") != NULL);
    free(t);
    /* reached at 1.0% exactly: no miss said */
    r->precision_achieved = 0.01;
    r->precision_reached = true;
    t = tach__doc_to_table(d, false, 0);
    ASSERT_TRUE(strstr(t, "  ± 1.0%  ") != NULL && strstr(t, "  ok\n") != NULL);
    free(t);
    tach__doc_free(d);
}

/* Counters get a column each (Google Benchmark's k/M suffixes); a missed declared
 * target is said and coloured red, with both numbers and their units. */
TEST(console_counters_and_missed_targets)
{
    tach__doc *d = make_doc();
    tach__result *r = &d->results[0];
    r->unstable = false;
    tach__result_set_counter(r, "bytes_out", 12345.0);
    r->max_median_ns = 10;
    r->max_p99_ns = 1000;
    char *t = tach__doc_to_table(d, false, 0);
    ASSERT_TRUE(strstr(t, "  hits  bytes_out  status\n") != NULL);
    ASSERT_TRUE(strstr(t, "     3      12.3k  ok, missed median ≤ 10.0 ns (110 ns)\n") != NULL);
    ASSERT_TRUE(strstr(t, "p99 ≤") == NULL);
    free(t);
    t = tach__doc_to_table(d, true, 0);
    ASSERT_TRUE(strstr(t, "\033[31mok, missed median") != NULL);
    free(t);
    tach__doc_free(d);
}

/* A counter beyond the T suffix's range reads as a plain number with its exponent, not
 * as "1e+288T"; within it, with the suffix. */
TEST(console_counter_beyond_tera_has_no_suffix)
{
    tach__doc *d = make_doc();
    tach__result *r = &d->results[0];
    r->unstable = false;
    tach__result_set_counter(r, "huge", -1e300);
    tach__result_set_counter(r, "tera", 5e12);
    tach__result_set_counter(r, "peta", 2.5e15);
    char *t = tach__doc_to_table(d, false, 0);
    ASSERT_TRUE(strstr(t, "-1e+300") != NULL);
    ASSERT_TRUE(strstr(t, "2.5e+15 ") != NULL);
    ASSERT_TRUE(strstr(t, " 5T ") != NULL);
    ASSERT_TRUE(strstr(t, "e+288") == NULL && strstr(t, "2.5e+03T") == NULL && strstr(t, "2.5e+03") == NULL);
    free(t);
    tach__doc_free(d);
}

TEST(csv_matches_expected)
{
    tach__doc *d = make_doc();
    free(d->results[1].message);
    d->results[1].message = tach__strdup("a \"quoted\", message");
    char *csv = tach__doc_to_csv(d);
    const char *expected =
        "name,status,samples,iterations,mean_ns,mean_ci_low_ns,mean_ci_high_ns,median_ns,"
        "median_ci_low_ns,median_ci_high_ns,stddev_ns,mad_ns,cv,min_ns,max_ns,p99_ns,bytes_per_second,"
        "items_per_second,memory_leak,message,partial,quick,instructions,cycles_est,allocs_per_iter,"
        "alloc_bytes_per_iter,peak_heap_bytes,peak_rss_bytes\n"
        "g/f/n=8,ok,3,4000,110,100,120,110,105,115,10,10,0.09090909090909091,100,120,119.8,10000000000,,,,false,false,,,,,,\n"
        "g/f/n=64,crashed,0,0,,,,,,,,,,,,,,,,\"a \"\"quoted\"\", message\",false,false,,,,,,\n";
    ASSERT_STREQ(expected, csv);
    /* an interrupted run: every row says so */
    free(csv);
    d->partial = true;
    csv = tach__doc_to_csv(d);
    ASSERT_TRUE(strstr(csv, "10000000000,,,,true,false,,,,,,\n") != NULL);
    ASSERT_TRUE(strstr(csv, "message\",true,false,,,,,,\n") != NULL);
    free(csv);
    /* a --quick run (context.suite.quick): every row says so in the last column */
    d->partial = false;
    if (!d->context) d->context = json_object();
    json_t *suite = json_object();
    json_object_set_new(suite, "quick", json_true());
    json_object_set_new(d->context, "suite", suite);
    csv = tach__doc_to_csv(d);
    ASSERT_TRUE(strstr(csv, "10000000000,,,,false,true,,,,,,\n") != NULL);
    ASSERT_TRUE(strstr(csv, "message\",false,true,,,,,,\n") != NULL);
    free(csv);
    json_object_del(d->context, "suite");
    /* memory_leak: empty unless the heap was counted, then the pass's flag */
    d->results[0].memory.measured = true;
    d->results[0].memory.leak = true;
    d->results[1].memory.measured = true;
    csv = tach__doc_to_csv(d);
    ASSERT_TRUE(strstr(csv, ",10000000000,,true,,false,false,,,0,0,0,\n") != NULL);
    ASSERT_TRUE(strstr(csv, ",,false,\"a \"\"quoted\"\", message\",false,false,,,0,0,0,\n") != NULL);
    free(csv);
    /* the counts and memory figures, after quick (the columns before keep their places):
     * a counted run has no times, and they are what it measured */
    d->results[0].has_instr = true;
    d->results[0].instr.instructions = 1050;
    d->results[0].instr.cache_sim = true;
    d->results[0].instr.cycles_est = 1400.5;
    d->results[0].memory.allocs_per_iter = 2;
    d->results[0].memory.bytes_per_iter = 48;
    d->results[0].memory.peak_bytes = 768;
    d->results[0].memory.peak_rss_bytes = 2097152;
    csv = tach__doc_to_csv(d);
    ASSERT_TRUE(strstr(csv, ",10000000000,,true,,false,false,1050,1400.5,2,48,768,2097152\n") != NULL);
    free(csv);
    tach__doc_free(d);
}

TEST(csv_numbers_are_the_shortest_that_read_back)
{
    tach__doc *d = make_doc();
    d->results[0].summary.mean.value = 21191923.8;
    d->results[0].summary.p99 = 0.1 + 0.2; /* 0.30000000000000004: needs all 17 digits */
    char *csv = tach__doc_to_csv(d);
    ASSERT_TRUE(strstr(csv, ",4000,21191923.8,100,") != NULL);
    ASSERT_TRUE(strstr(csv, ",0.30000000000000004,") != NULL);
    free(csv);
    tach__doc_free(d);
}

/* Round 0 ran sample 0, round 1 samples 1 and 2 (two worker processes). */
static void two_rounds(tach__result *r)
{
    r->sample_round = malloc(3 * sizeof *r->sample_round);
    r->sample_round[0] = 0;
    r->sample_round[1] = 1;
    r->sample_round[2] = 1;
}

TEST(gbench_has_google_benchmark_fields)
{
    tach__doc *d = make_doc();
    two_rounds(&d->results[0]);
    json_t *g = tach__doc_to_gbench(d);
    ASSERT_TRUE(g != NULL);
    json_t *ctx = json_object_get(g, "context");
    ASSERT_STREQ("box", json_string_value(json_object_get(ctx, "host_name")));
    ASSERT_EQ(2, json_integer_value(json_object_get(ctx, "num_cpus")));
    ASSERT_TRUE(json_is_true(json_object_get(ctx, "cpu_scaling_enabled")));

    json_t *rows = json_object_get(g, "benchmarks");
    /* ok benchmark: 1 iteration row per round (2) + 4 aggregates; crashed: 1 iteration row. */
    ASSERT_EQ(7, json_array_size(rows));
    json_t *it = json_array_get(rows, 0);
    ASSERT_STREQ("g/f/n=8", json_string_value(json_object_get(it, "name")));
    ASSERT_STREQ("g/f/n=8", json_string_value(json_object_get(it, "run_name")));
    ASSERT_STREQ("iteration", json_string_value(json_object_get(it, "run_type")));
    ASSERT_STREQ("ns", json_string_value(json_object_get(it, "time_unit")));
    ASSERT_EQ(2, json_integer_value(json_object_get(it, "repetitions")));
    ASSERT_EQ(0, json_integer_value(json_object_get(it, "repetition_index")));
    ASSERT_EQ(1000, json_integer_value(json_object_get(it, "iterations")));
    ASSERT_NEAR(100.0, json_real_value(json_object_get(it, "real_time")), 1e-9);
    ASSERT_NEAR(1100 * 1e9 / 100.0, json_real_value(json_object_get(it, "bytes_per_second")), 1e-3);
    ASSERT_NEAR(3.0, json_real_value(json_object_get(it, "hits")), 0);
    ASSERT_EQ(0, json_integer_value(json_object_get(it, "family_index")));
    ASSERT_EQ(0, json_integer_value(json_object_get(it, "per_family_instance_index")));
    it = json_array_get(rows, 1);
    ASSERT_EQ(1, json_integer_value(json_object_get(it, "repetition_index")));
    ASSERT_EQ(3000, json_integer_value(json_object_get(it, "iterations")));
    /* Iteration-weighted mean of round 1: (110*1000 + 120*2000) / 3000. */
    ASSERT_NEAR(350.0 / 3, json_real_value(json_object_get(it, "real_time")), 1e-9);
    ASSERT_NEAR(350.0 / 3, json_real_value(json_object_get(it, "cpu_time")), 1e-9);

    /* aggregates over the rounds, as Google Benchmark's over repetitions */
    static const char *const aggs[] = {"mean", "median", "stddev", "cv"};
    for (size_t a = 0; a < 4; a++) {
        json_t *row = json_array_get(rows, 2 + a);
        ASSERT_STREQ("aggregate", json_string_value(json_object_get(row, "run_type")));
        ASSERT_STREQ(aggs[a], json_string_value(json_object_get(row, "aggregate_name")));
        ASSERT_STREQ(a == 3 ? "percentage" : "time", json_string_value(json_object_get(row, "aggregate_unit")));
        /* every row with a real_time has a time_unit (Bencher refuses a file without) */
        ASSERT_STREQ("ns", json_string_value(json_object_get(row, "time_unit")));
        ASSERT_EQ(2, json_integer_value(json_object_get(row, "repetitions")));
        ASSERT_EQ(2, json_integer_value(json_object_get(row, "iterations")));
    }
    json_t *med = json_array_get(rows, 3);
    ASSERT_STREQ("g/f/n=8_median", json_string_value(json_object_get(med, "name")));
    ASSERT_NEAR((100.0 + 350.0 / 3) / 2, json_real_value(json_object_get(med, "real_time")), 1e-9);

    json_t *crash = json_array_get(rows, 6);
    ASSERT_TRUE(json_is_true(json_object_get(crash, "error_occurred")));
    ASSERT_STREQ("crashed: killed by signal 11 (SIGSEGV)",
                 json_string_value(json_object_get(crash, "error_message")));
    ASSERT_EQ(0, json_integer_value(json_object_get(crash, "family_index")));
    ASSERT_EQ(1, json_integer_value(json_object_get(crash, "per_family_instance_index")));
    /* no iterations: times of 0, as Google Benchmark writes an errored run */
    ASSERT_EQ(0, json_integer_value(json_object_get(crash, "iterations")));
    ASSERT_TRUE(json_is_real(json_object_get(crash, "real_time")));
    ASSERT_NEAR(0.0, json_real_value(json_object_get(crash, "real_time")), 0);
    ASSERT_NEAR(0.0, json_real_value(json_object_get(crash, "cpu_time")), 0);
    json_decref(g);
    tach__doc_free(d);
}

TEST(gbench_one_round_has_no_aggregates)
{
    /* Google Benchmark writes aggregates only when repetitions > 1 */
    tach__doc *d = make_doc();
    json_t *g = tach__doc_to_gbench(d);
    json_t *rows = json_object_get(g, "benchmarks");
    ASSERT_EQ(2, json_array_size(rows));
    json_t *it = json_array_get(rows, 0);
    ASSERT_EQ(1, json_integer_value(json_object_get(it, "repetitions")));
    ASSERT_EQ(4000, json_integer_value(json_object_get(it, "iterations")));
    /* Iteration-weighted mean: (100*1000 + 110*1000 + 120*2000) / 4000 = 112.5. */
    ASSERT_NEAR(112.5, json_real_value(json_object_get(it, "real_time")), 1e-9);
    json_decref(g);
    tach__doc_free(d);
}

TEST(gbench_a_round_without_samples_is_no_repetition)
{
    tach__doc *d = make_doc();
    two_rounds(&d->results[0]);
    d->results[0].sample_round[1] = d->results[0].sample_round[2] = 2; /* round 1 left nothing */
    json_t *g = tach__doc_to_gbench(d);
    json_t *rows = json_object_get(g, "benchmarks");
    ASSERT_EQ(7, json_array_size(rows));
    for (size_t k = 0; k < 2; k++) {
        json_t *it = json_array_get(rows, k);
        ASSERT_STREQ("iteration", json_string_value(json_object_get(it, "run_type")));
        ASSERT_EQ(2, json_integer_value(json_object_get(it, "repetitions")));
        ASSERT_EQ((long long)k, (long long)json_integer_value(json_object_get(it, "repetition_index")));
        ASSERT_TRUE(json_integer_value(json_object_get(it, "iterations")) > 0);
    }
    json_decref(g);
    tach__doc_free(d);
}

static char *write_temp(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/tach_test_formats_XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0) return NULL;
    size_t n = strlen(text);
    if (write(fd, text, n) != (ssize_t)n) n = 0;
    close(fd);
    return path;
}

TEST(gbench_round_trip_keeps_the_rounds)
{
    tach__doc *d = make_doc();
    two_rounds(&d->results[0]);
    char err[TACH__ERR_MAX];
    char *text = tach__format_write(d, "gbench", NULL, err);
    ASSERT_TRUE(text != NULL);
    char *path = write_temp(text);
    ASSERT_TRUE(path != NULL);
    tach__doc *back = tach__format_read_file(path, err);
    unlink(path);
    ASSERT_TRUE(back != NULL);
    ASSERT_EQ(2, back->nresults);
    const tach__result *r = &back->results[0];
    ASSERT_STREQ("g/f/n=8", r->name);
    /* one sample per round, each its own round: the spread between processes */
    ASSERT_EQ(2, r->nsamples);
    ASSERT_EQ(2, tach__result_rounds(r));
    ASSERT_NEAR(100.0, r->sample_ns[0], 1e-9);
    ASSERT_NEAR(350.0 / 3, r->sample_ns[1], 1e-9);
    ASSERT_EQ(3000, r->sample_iters[1]);
    /* Google Benchmark has one kind of error, but a file tach wrote says which: its
     * library_version names tach, so the crash reads back as crashed, not failed */
    ASSERT_EQ(TACH__CRASHED, back->results[1].status);
    tach__free(text);
    tach__doc_free(back);
    tach__doc_free(d);
}

TEST(gbench_refuses_iterations_below_one)
{
    static const char *const bad[] = {"0", "-3"};
    for (size_t i = 0; i < 2; i++) {
        char text[512];
        snprintf(text, sizeof text,
                 "{\"benchmarks\": [{\"name\": \"BM_a\", \"run_type\": \"iteration\", \"iterations\": 10,"
                 " \"real_time\": 5, \"time_unit\": \"ns\"}, {\"name\": \"BM_a\", \"run_type\": \"iteration\","
                 " \"iterations\": %s, \"real_time\": 5, \"time_unit\": \"ns\"}]}",
                 bad[i]);
        char *path = write_temp(text), err[TACH__ERR_MAX] = "";
        ASSERT_TRUE(path != NULL);
        tach__doc *d = tach__format_read_file(path, err);
        unlink(path);
        ASSERT_TRUE(d == NULL);
        ASSERT_TRUE(strstr(err, "benchmarks[1].iterations: expected a positive integer, got ") != NULL);
        ASSERT_TRUE(strstr(err, bad[i]) != NULL);
    }
}

TEST(gbench_reads_google_benchmark_1_8_skipped_rows)
{
    /* Google Benchmark 1.8 (json_reporter.cc) writes SkipWithMessage as
     * "skipped": true and "skip_message", with 0 iterations: a skip, not a bad file */
    const char *text =
        "{\"benchmarks\": [{\"name\": \"BM_ok\", \"run_name\": \"BM_ok\", \"run_type\": \"iteration\","
        " \"iterations\": 10, \"real_time\": 5, \"cpu_time\": 5, \"time_unit\": \"ns\"},"
        " {\"name\": \"BM_skip\", \"run_name\": \"BM_skip\", \"run_type\": \"iteration\","
        " \"skipped\": true, \"skip_message\": \"no GPU\", \"iterations\": 0, \"real_time\": 0,"
        " \"cpu_time\": 0, \"time_unit\": \"ns\"},"
        " {\"name\": \"BM_err\", \"run_name\": \"BM_err\", \"run_type\": \"iteration\","
        " \"error_occurred\": true, \"error_message\": \"boom\", \"iterations\": 0, \"real_time\": 0,"
        " \"cpu_time\": 0, \"time_unit\": \"ns\"}]}";
    char *path = write_temp(text), err[TACH__ERR_MAX] = "";
    ASSERT_TRUE(path != NULL);
    tach__doc *d = tach__format_read_file(path, err);
    unlink(path);
    if (!d) fprintf(stderr, "  %s\n", err);
    ASSERT_TRUE(d != NULL);
    ASSERT_EQ(3, d->nresults);
    ASSERT_EQ(TACH__OK, d->results[0].status);
    ASSERT_EQ(TACH__SKIPPED, d->results[1].status);
    ASSERT_STREQ("no GPU", d->results[1].message);
    ASSERT_EQ(TACH__FAILED, d->results[2].status);
    ASSERT_STREQ("boom", d->results[2].message);
    tach__doc_free(d);
}

/* Rates are per the time Google Benchmark divided them by: the CPU time, also with
 * MeasureProcessCPUTime ("/process_time"), or the real time when the name says
 * "/real_time" or "/manual_time" anywhere after the function, on every row of the name
 * (the timing modes are no parameters). */
TEST(gbench_rates_follow_the_names_timing_mode)
{
    char row[3][256];
    static const char *const names[] = {"BM_p/process_time", "BM_r/size:8/process_time/real_time",
                                        "BM_m/manual_time"};
    for (int k = 0; k < 3; k++)
        snprintf(row[k], sizeof row[k],
                 "{\"name\": \"%s\", \"run_type\": \"iteration\", \"iterations\": 10,"
                 " \"real_time\": 1000, \"cpu_time\": 10, \"time_unit\": \"ns\","
                 " \"items_per_second\": 1e8}",
                 names[k]);
    char text[2048];
    snprintf(text, sizeof text, "{\"benchmarks\": [%s, %s, %s, %s, %s]}", row[0], row[1], row[2],
             row[1], row[2]); /* a second repetition of two of them */
    char *path = write_temp(text), err[TACH__ERR_MAX] = "";
    ASSERT_TRUE(path != NULL);
    tach__doc *d = tach__format_read_file(path, err);
    unlink(path);
    if (!d) fprintf(stderr, "  %s\n", err);
    ASSERT_TRUE(d != NULL);
    ASSERT_EQ(3, d->nresults);
    ASSERT_NEAR(1.0, d->results[0].items_per_iter, 0);   /* 1e8/s x 10 ns of CPU */
    ASSERT_NEAR(100.0, d->results[1].items_per_iter, 0); /* 1e8/s x 1000 ns real */
    ASSERT_NEAR(100.0, d->results[2].items_per_iter, 0);
    ASSERT_EQ(0, d->results[0].nparams);
    ASSERT_EQ(1, d->results[1].nparams);
    ASSERT_STREQ("size", d->results[1].params[0].name);
    ASSERT_EQ(2, d->results[1].nsamples);
    ASSERT_EQ(0, d->results[2].nparams);
    tach__doc_free(d);
}

/* NaN and Infinity are read as null: the column of a syntax error after them on its line
 * is the one in the file, not in the text with "null" for them (it said 2:31 here). */
TEST(a_json_error_after_nan_names_the_column_in_the_file)
{
    char err[TACH__ERR_MAX] = "", want[128];
    const char *path = write_temp("{\"benchmarks\": [{\"z\": Infinity},\n"
                                  "  {\"a\": NaN, \"b\": -Infinity, \"c\": x}]}\n");
    ASSERT_TRUE(path != NULL);
    ASSERT_TRUE(tach__format_read_file(path, err) == NULL);
    unlink(path);
    /* the 'x' is at column 35 of line 2; Infinity on line 1 moves nothing on line 2 */
    snprintf(want, sizeof want, "%s:2:35: not valid JSON (invalid token near 'x')", path);
    ASSERT_STREQ(want, err);
}

/* A file that cannot be read: the message names it once (it said "F: cannot open F: ...",
 * shown by import, record and convert). */
TEST(read_file_error_names_the_file_once)
{
    char err[TACH__ERR_MAX] = "";
    const char *path = "/nonexistent-tach-dir/missing.json";
    ASSERT_TRUE(tach__format_read_file(path, err) == NULL);
    ASSERT_STREQ("cannot open /nonexistent-tach-dir/missing.json: No such file or directory", err);
    const char *first = strstr(err, path);
    ASSERT_TRUE(first != NULL && strstr(first + 1, path) == NULL);
}

TEST(gbench_round_trip_keeps_a_skip)
{
    /* a skipped benchmark is written as Google Benchmark 1.8 writes one, so it reads
     * back skipped (which no gate fails on), not as an error */
    tach__doc *d = tach__doc_new();
    tach__result *r = tach__doc_add(d);
    r->name = tach__strdup("s");
    r->status = TACH__SKIPPED;
    r->message = tach__strdup("not here");
    char err[TACH__ERR_MAX];
    json_t *g = tach__doc_to_gbench(d);
    json_t *row = json_array_get(json_object_get(g, "benchmarks"), 0);
    ASSERT_TRUE(json_is_true(json_object_get(row, "skipped")));
    ASSERT_STREQ("not here", json_string_value(json_object_get(row, "skip_message")));
    ASSERT_TRUE(json_object_get(row, "error_occurred") == NULL);
    json_decref(g);
    char *text = tach__format_write(d, "gbench", NULL, err);
    ASSERT_TRUE(text != NULL);
    char *path = write_temp(text);
    ASSERT_TRUE(path != NULL);
    tach__doc *back = tach__format_read_file(path, err);
    unlink(path);
    ASSERT_TRUE(back != NULL);
    ASSERT_EQ(TACH__SKIPPED, back->results[0].status);
    ASSERT_STREQ("not here", back->results[0].message);
    tach__free(text);
    tach__doc_free(back);
    tach__doc_free(d);
}

TEST(markdown_escapes_one_way)
{
    /* the same code span in `tach convert --to markdown` and in the reports */
    tach__buf b = {0};
    tach__md_code(&b, "a`b|c<d");
    char *s = tach__buf_take(&b);
    ASSERT_STREQ("`` a`b\\|c<d ``", s);
    tach__free(s);
    tach__doc *d = make_doc();
    free(d->results[0].name);
    d->results[0].name = tach__strdup("a`b|c<d");
    char err[TACH__ERR_MAX];
    char *md = tach__format_write(d, "markdown", NULL, err);
    ASSERT_TRUE(md != NULL && strstr(md, "| `` a`b\\|c<d `` |") != NULL);
    tach__free(md);
    tach__doc_free(d);
}

TEST(markdown_text_shows_ampersands_as_written)
{
    /* a group or message holding "&amp;" or "<b>" shows as written, not as "&" or bold */
    tach__buf b = {0};
    tach__md_text(&b, "q&amp; <b>|x\ny");
    char *s = tach__buf_take(&b);
    ASSERT_TRUE(s != NULL);
    ASSERT_STREQ("q&amp;amp; &lt;b>\\|x y", s);
    tach__free(s);
    tach__md_code(&b, "a&amp;<b>");
    s = tach__buf_take(&b);
    ASSERT_STREQ("`a&amp;<b>`", s);
    tach__free(s);
}

TEST(markdown_text_shows_markup_as_written)
{
    /* a message, group or host holding Markdown's inline marks shows them as written: it
     * was emphasized (*x*, _y_), struck (~~z~~), a code span or a link */
    tach__buf b = {0};
    tach__md_text(&b, "*x* _y_ ~~z~~ `c` [l](http://e) a\\b x86_64 CI [1, 2]");
    char *s = tach__buf_take(&b);
    ASSERT_TRUE(s != NULL);
    ASSERT_STREQ("\\*x\\* \\_y\\_ \\~\\~z\\~\\~ \\`c\\` \\[l](http://e) a\\\\b x86_64 CI [1, 2]", s);
    tach__free(s);
    tach__md_code(&b, "*x*_y_");
    s = tach__buf_take(&b);
    ASSERT_STREQ("`*x*_y_`", s);
    tach__free(s);
}

TEST(gbench_families_are_distinct_per_function)
{
    tach__doc *d = tach__doc_new();
    const char *names[][2] = {{"a", "x"}, {"b", "y"}, {"a", "x"}};
    for (int i = 0; i < 3; i++) {
        tach__result *r = tach__doc_add(d);
        r->name = tach__strdup(names[i][1]);
        r->function = tach__strdup(names[i][0]);
        r->status = TACH__SKIPPED;
    }
    json_t *g = tach__doc_to_gbench(d);
    json_t *rows = json_object_get(g, "benchmarks");
    ASSERT_EQ(0, json_integer_value(json_object_get(json_array_get(rows, 0), "family_index")));
    ASSERT_EQ(1, json_integer_value(json_object_get(json_array_get(rows, 1), "family_index")));
    ASSERT_EQ(0, json_integer_value(json_object_get(json_array_get(rows, 2), "family_index")));
    ASSERT_EQ(1, json_integer_value(json_object_get(json_array_get(rows, 2), "per_family_instance_index")));
    json_decref(g);
    tach__doc_free(d);
}

TEST(gbench_a_counter_never_replaces_a_field)
{
    /* user counters named like Google Benchmark's own keys: the row keeps its name,
     * times and status (a counter "error_occurred" would mark an ok run failed) */
    tach__doc *d = make_doc();
    tach__result *r = &d->results[0];
    static const char *const clash[] = {"name", "real_time", "iterations", "time_unit",
                                        "error_occurred", "bytes_per_second", "run_type"};
    for (size_t k = 0; k < sizeof clash / sizeof *clash; k++) tach__result_set_counter(r, clash[k], 7.0);
    json_t *g = tach__doc_to_gbench(d);
    json_t *it = json_array_get(json_object_get(g, "benchmarks"), 0);
    ASSERT_STREQ("g/f/n=8", json_string_value(json_object_get(it, "name")));
    ASSERT_STREQ("iteration", json_string_value(json_object_get(it, "run_type")));
    ASSERT_STREQ("ns", json_string_value(json_object_get(it, "time_unit")));
    ASSERT_EQ(4000, json_integer_value(json_object_get(it, "iterations")));
    ASSERT_NEAR(112.5, json_real_value(json_object_get(it, "real_time")), 1e-9); /* 450000 ns / 4000 */
    ASSERT_NEAR(1100 * 1e9 / 112.5, json_real_value(json_object_get(it, "bytes_per_second")), 1e-3);
    ASSERT_TRUE(json_object_get(it, "error_occurred") == NULL);
    ASSERT_NEAR(3.0, json_real_value(json_object_get(it, "hits")), 0); /* the others stay */
    json_decref(g);
    tach__doc_free(d);
}

/* A name of more than 1 KiB: the aggregate and BigO/RMS rows keep it whole, with their
 * suffix ("NAME_mean", "NAME_BigO"), not cut at 1023 bytes with the suffix lost. */
TEST(gbench_long_names_keep_their_suffixes)
{
    char fn[1101];
    memset(fn, 'f', sizeof fn - 1);
    fn[sizeof fn - 1] = '\0';
    tach__doc *d = tach__doc_new();
    static const char *const sizes[] = {"100", "1000", "10000", "100000"};
    for (int i = 0; i < 4; i++) {
        tach__result *r = tach__doc_add(d);
        char name[1200];
        snprintf(name, sizeof name, "%s/n=%s", fn, sizes[i]);
        r->name = tach__strdup(name);
        r->function = tach__strdup(fn);
        tach__result_set_param(r, "n", sizes[i]);
        r->status = TACH__OK;
        r->complexity = TACH_O_AUTO;
        double base = atof(sizes[i]);
        r->nsamples = 3;
        r->sample_ns = malloc(3 * sizeof *r->sample_ns);
        r->sample_iters = malloc(3 * sizeof *r->sample_iters);
        for (int k = 0; k < 3; k++) {
            r->sample_ns[k] = base * (1 + 0.01 * k);
            r->sample_iters[k] = 10;
        }
        two_rounds(r);
    }
    json_t *g = tach__doc_to_gbench(d);
    ASSERT_TRUE(g != NULL);
    json_t *rows = json_object_get(g, "benchmarks"), *row;
    size_t i, aggs = 0, bigo = 0;
    json_array_foreach(rows, i, row) {
        const char *agg = json_string_value(json_object_get(row, "aggregate_name"));
        if (!agg) continue;
        const char *name = json_string_value(json_object_get(row, "name"));
        const char *run = json_string_value(json_object_get(row, "run_name"));
        size_t nl = strlen(name), rl = strlen(run), al = strlen(agg);
        ASSERT_EQ(rl + 1 + al, nl);
        ASSERT_TRUE(strncmp(name, run, rl) == 0 && name[rl] == '_' && !strcmp(name + rl + 1, agg));
        if (!strcmp(agg, "BigO") || !strcmp(agg, "RMS")) {
            ASSERT_STREQ(fn, run);
            bigo++;
        } else {
            aggs++;
        }
    }
    ASSERT_EQ(16, aggs); /* mean, median, stddev, cv of each of the four */
    ASSERT_EQ(2, bigo);
    json_decref(g);
    tach__doc_free(d);
}

/* A family whose members set items is fitted by tach on time per item (a sort of N
 * items: O(log N) per item), but Google Benchmark's BigO row is the complexity of the
 * time per iteration, whatever the items (GB's own sort: NlgN): the row said "lgN" with
 * a per-item coefficient, which a reader of GB output takes for the whole sort's. */
TEST(gbench_bigo_of_a_per_item_family_is_per_iteration)
{
    tach__doc *d = tach__doc_new();
    static const char *const sizes[] = {"1000", "10000", "100000", "1000000"};
    for (int i = 0; i < 4; i++) {
        tach__result *r = tach__doc_add(d);
        char name[64];
        snprintf(name, sizeof name, "sort/n=%s", sizes[i]);
        r->name = tach__strdup(name);
        r->function = tach__strdup("sort");
        tach__result_set_param(r, "n", sizes[i]);
        r->status = TACH__OK;
        r->complexity = TACH_O_AUTO;
        double n = atof(sizes[i]);
        r->items_per_iter = n;
        r->nsamples = 3;
        r->sample_ns = malloc(3 * sizeof *r->sample_ns);
        r->sample_iters = malloc(3 * sizeof *r->sample_iters);
        for (int k = 0; k < 3; k++) {
            r->sample_ns[k] = 2.0 * n * log2(n) * (1 + 0.002 * k);
            r->sample_iters[k] = 10;
        }
        two_rounds(r);
    }
    json_t *g = tach__doc_to_gbench(d);
    ASSERT_TRUE(g != NULL);
    json_t *rows = json_object_get(g, "benchmarks"), *row;
    size_t i, bigo = 0;
    json_array_foreach(rows, i, row) {
        const char *agg = json_string_value(json_object_get(row, "aggregate_name"));
        if (!agg || strcmp(agg, "BigO") != 0) continue;
        bigo++;
        ASSERT_STREQ("NlgN", json_string_value(json_object_get(row, "big_o")));
        double c = json_number_value(json_object_get(row, "real_coefficient"));
        ASSERT_TRUE(c > 1.0 && c < 3.0); /* about 2 ns x N log N per iteration (any log base) */
    }
    ASSERT_EQ(1, bigo);
    json_decref(g);
    tach__doc_free(d);
}

/* The results document's names: a byte that is not UTF-8 as U+FFFD and its hex digits,
 * valid UTF-8 (a U+FFFD too) as it is, so that names apart stay apart and the text read
 * back is written unchanged (a report of a report: one name).  The one pair made alike,
 * "a\xff" and "a\ufffdFF", is documented. */
TEST(document_names_not_utf8_are_apart_and_written_once)
{
    static const char *const names[] = {
        "a\xff", "a\xfe", "a\xef\xbf\xbd", "\xef\xbf\xbd\xef\xbf\xbd", "\xef\xbf\xbd\xff",
        "\xef\xbf\xbd" "7F", "\xef\xbf\xbd" "ff", "\xc3", "\xc3\xa9", "a", "", "\xe2\x82",
        "\xf0\x9f\x98\x80 \xed\xa0\x80",
    };
    size_t n = sizeof names / sizeof names[0];
    char *text[sizeof names / sizeof names[0]];
    for (size_t i = 0; i < n; i++) {
        json_t *j = tach__json_string_bytes(names[i]);
        ASSERT_TRUE(j != NULL);
        text[i] = tach__strdup(json_string_value(j));
        json_decref(j);
        char *again = tach__text_escaped(text[i]); /* read back and written again */
        ASSERT_STREQ(text[i], again);
        tach__free(again);
        for (size_t k = 0; k < i; k++) ASSERT_TRUE(strcmp(text[k], text[i]) != 0);
    }
    ASSERT_STREQ("a\xef\xbf\xbd" "FF", text[0]);
    ASSERT_STREQ("a\xef\xbf\xbd", text[2]); /* hyperfine's own U+FFFD kept as it is */
    ASSERT_STREQ("\xef\xbf\xbd\xef\xbf\xbd", text[3]);
    ASSERT_STREQ("\xef\xbf\xbd\xef\xbf\xbd" "FF", text[4]);
    ASSERT_STREQ("\xc3\xa9", text[8]);
    ASSERT_STREQ("\xef\xbf\xbd" "C3", text[7]);
    for (size_t i = 0; i < n; i++) tach__free(text[i]);
    /* a U+FFFD and two hex digits of the name itself: as it is, not doubled */
    char *lit = tach__text_escaped("a\xef\xbf\xbd" "FF");
    ASSERT_STREQ("a\xef\xbf\xbd" "FF", lit);
    tach__free(lit);
}

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

#ifndef UNDER_ASAN
/* In a child whose address space has 32 MiB left: a CSV cell of 8 MiB of bytes that are
 * not UTF-8 (40 MiB escaped).  0: the buffer failed (oom); 1: it took the text. */
static int csv_cell_out_of_memory(void)
{
    pid_t p = fork();
    if (p == 0) {
        size_t len = (size_t)8 << 20;
        char *s = malloc(len + 1);
        FILE *f = fopen("/proc/self/statm", "r");
        unsigned long pages = 0;
        if (!s || !f || fscanf(f, "%lu", &pages) != 1) _exit(3);
        fclose(f);
        memset(s, 0xff, len);
        s[len] = '\0';
        struct rlimit rl = {0};
        rl.rlim_cur = rl.rlim_max = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + ((rlim_t)32 << 20);
        if (setrlimit(RLIMIT_AS, &rl) != 0) _exit(4);
        tach__buf b = {0};
        tach__csv_text(&b, s);
        _exit(tach__buf_take(&b) == NULL ? 0 : 1);
    }
    int st = 0;
    if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st)) return -1;
    return WEXITSTATUS(st);
}
#endif

/* Out of memory, a CSV text cell fails its buffer (tach__buf_take: NULL, the writer's
 * error) instead of writing the raw bytes, a cell no UTF-8 reader takes. */
TEST(csv_text_out_of_memory_fails_not_raw)
{
#ifdef UNDER_ASAN
    return; /* ASan's allocator aborts on a refused allocation */
#else
    ASSERT_EQ(0, csv_cell_out_of_memory());
#endif
}

/* A name that is not valid UTF-8 is written as the tach document writes it (the bad
 * byte as U+FFFD and its hex digits), a counter with U+FFFD, not left out of the row
 * (jansson refuses such a string). */
TEST(gbench_names_not_utf8_are_written_as_the_document_does)
{
    tach__doc *d = make_doc();
    tach__result *r = &d->results[0];
    tach__free(r->name);
    r->name = tach__strdup("caf\xe9");
    tach__result_set_counter(r, "n\xe9", 2.0);
    two_rounds(r);
    json_t *g = tach__doc_to_gbench(d);
    json_t *rows = json_object_get(g, "benchmarks");
    json_t *it = json_array_get(rows, 0);
    ASSERT_STREQ("caf\xef\xbf\xbd" "E9", json_string_value(json_object_get(it, "name")));
    ASSERT_STREQ("caf\xef\xbf\xbd" "E9", json_string_value(json_object_get(it, "run_name")));
    ASSERT_NEAR(2.0, json_number_value(json_object_get(it, "n\xef\xbf\xbd")), 0);
    ASSERT_STREQ("caf\xef\xbf\xbd" "E9_mean", json_string_value(json_object_get(json_array_get(rows, 2), "name")));
    json_decref(g);
    tach__doc_free(d);
}

/* The same in the other JSON exports: bmf (the name is the key), github-action-benchmark
 * and hyperfine (command, parameters) keep such a result, its name as the document's,
 * instead of dropping it. */
TEST(json_exports_write_names_not_utf8_as_the_document_does)
{
    tach__doc *d = make_doc();
    tach__result *r = &d->results[0];
    tach__free(r->name);
    r->name = tach__strdup("caf\xe9");
    tach__result_set_param(r, "k\xe9y", "v\xe9");
    static const char *const formats[] = {"bmf", "github", "hyperfine"};
    for (size_t i = 0; i < 3; i++) {
        char err[TACH__ERR_MAX];
        char *text = tach__format_write(d, formats[i], NULL, err);
        ASSERT_TRUE(text != NULL);
        ASSERT_TRUE(strstr(text, "caf\xef\xbf\xbd" "E9") != NULL);
        if (i == 2) ASSERT_TRUE(strstr(text, "\"k\xef\xbf\xbd" "E9y\": \"v\xef\xbf\xbd" "E9\"") != NULL);
        tach__free(text);
    }
    tach__doc_free(d);
}

/* Why memory was not counted, under the table: a reason of one benchmark's pass names
 * it; one every benchmark that ran shares (ASan) does not, a crashed one aside. */
TEST(memory_notes_name_the_benchmarks_a_reason_concerns)
{
    tach__doc *d = make_doc(); /* g/f/n=8 ok, g/f/n=64 crashed */
    tach__result *r = tach__doc_add(d);
    r->name = tach__strdup("g/f/n=512");
    r->status = TACH__OK;
    d->results[0].memory.measured = true;
    r->memory.unavailable = tach__strdup("memory counting failed: the counting process was killed by signal 11 (SIGSEGV)");
    char *t = tach__doc_to_table(d, false, 0);
    ASSERT_TRUE(strstr(t, "\ng/f/n=512: memory counting failed: the counting process was killed by signal 11 (SIGSEGV)\n") != NULL);
    tach__free(t);
    d->results[0].memory.measured = false;
    d->results[0].memory.unavailable = tach__strdup(r->memory.unavailable);
    t = tach__doc_to_table(d, false, 0);
    ASSERT_TRUE(strstr(t, "\nmemory counting failed: the counting process was killed by signal 11 (SIGSEGV)\n") != NULL);
    ASSERT_TRUE(strstr(t, "n=512: memory") == NULL);
    tach__free(t);
    tach__doc_free(d);
}

TEST_MAIN()
