/*
 * test_hist.c - the latency histogram (src/core/hist.c) and the .hlog interval log
 * (src/core/hlog.c).
 *
 * Reference values are worked out by hand from HdrHistogram's layout at 3 digits
 * (2,048 sub-buckets, so 1,024 slots per power of two above 2,048): a value v in
 * [2^k, 2^(k+1)) with k >= 11 shares a slot of width 2^(k-10) with its neighbours,
 * and a percentile reads as the highest value of the slot holding its rank.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"
#include "tach_internal.h"
#include "test.h"

static const int64_t HOUR_NS = INT64_C(3600000000000);

TEST(default_layout_fits_the_memory_budget)
{
    tach__hist *h = tach__hist_new_default();
    ASSERT_TRUE(h != NULL);
    ASSERT_EQ(1, tach__hist_lowest(h));
    ASSERT_EQ(HOUR_NS, tach__hist_highest(h));
    ASSERT_EQ(3, tach__hist_sigfigs(h));
    /* 33 x 1,024 slots of 4 bytes, plus the header. */
    ASSERT_TRUE(tach__hist_memory_size(h) >= 33 * 1024 * 4);
    ASSERT_TRUE(tach__hist_memory_size(h) <= 200 * 1024);
    tach__hist_free(h);
    tach__hist_free(NULL);
}

TEST(bad_arguments_give_null)
{
    ASSERT_TRUE(tach__hist_new(0, 1000, 3) == NULL);
    ASSERT_TRUE(tach__hist_new(1, 1, 3) == NULL);
    ASSERT_TRUE(tach__hist_new(1, 1000, 0) == NULL);
    ASSERT_TRUE(tach__hist_new(1, 1000, 6) == NULL);
}

/* Every value from 1 ns to 1 h reads back within 0.1%: the slot holding it is no wider
 * than a thousandth of it, and the maximum is that slot's top. */
TEST(values_read_back_within_the_promised_error)
{
    tach__hist *h = tach__hist_new_default();
    tach__rng r;
    tach__rng_seed(&r, 42);
    for (int i = 0; i < 20000; i++) {
        /* log-uniform over [1, 3.6e12], plus the exact ends */
        double e = tach__rng_double(&r) * log(3.6e12);
        int64_t v = i == 0 ? 1 : i == 1 ? HOUR_NS : (int64_t)exp(e);
        if (v < 1)
            v = 1;
        tach__hist_reset(h);
        ASSERT_TRUE(tach__hist_record(h, v));
        int64_t lo = tach__hist_min(h), hi = tach__hist_max(h);
        ASSERT_TRUE(lo <= v && v <= hi);
        ASSERT_TRUE((double)(hi - lo) <= (double)v / 1000.0);
        ASSERT_EQ(hi, tach__hist_value_at(h, 50));
        ASSERT_TRUE(tach__hist_equivalent(h, lo, hi));
        if (v < 2048)
            ASSERT_EQ(v, hi); /* exact below 2,048 */
    }
    tach__hist_free(h);
}

TEST(out_of_range_values_are_refused)
{
    tach__hist *h = tach__hist_new_default();
    ASSERT_TRUE(!tach__hist_record(h, -1));
    ASSERT_TRUE(tach__hist_record(h, 0));
    ASSERT_TRUE(tach__hist_record(h, HOUR_NS));
    ASSERT_TRUE(!tach__hist_record(h, HOUR_NS * 4));
    ASSERT_TRUE(!tach__hist_record(h, INT64_MAX));
    ASSERT_TRUE(!tach__hist_record_n(h, 5, -1));
    ASSERT_EQ(2, tach__hist_count(h));
    ASSERT_EQ(0, tach__hist_min(h));
    tach__hist_free(h);
}

/* 1..10,000 once each.  p50: rank 5,000; 5,000 lies in [4,096, 8,192), slots of 4, so
 * the slot is 5,000..5,003.  p99: rank 9,900 in [8,192, 16,384), slots of 8:
 * 9,896..9,903.  p100 / max: 10,000..10,007.  p90: rank 9,000 -> 9,000..9,007. */
TEST(percentiles_of_one_to_ten_thousand)
{
    tach__hist *h = tach__hist_new_default();
    for (int64_t v = 1; v <= 10000; v++)
        ASSERT_TRUE(tach__hist_record(h, v));
    ASSERT_EQ(10000, tach__hist_count(h));
    ASSERT_EQ(1, tach__hist_min(h));
    ASSERT_EQ(10007, tach__hist_max(h));
    ASSERT_EQ(5003, tach__hist_value_at(h, 50));
    ASSERT_EQ(9007, tach__hist_value_at(h, 90));
    ASSERT_EQ(9903, tach__hist_value_at(h, 99));
    ASSERT_EQ(10007, tach__hist_value_at(h, 100));
    ASSERT_EQ(1, tach__hist_value_at(h, 0.001));
    ASSERT_REL(5000.5, tach__hist_mean(h), 1e-3);
    /* population sd of 1..n is sqrt((n^2 - 1) / 12) = 2886.75 */
    ASSERT_REL(2886.75, tach__hist_stddev(h), 1e-3);
    tach__hist_free(h);
}

/* Order-statistic CI: n = 2,000, p99.9 -> rank 1,998, 2 values above it (the "2
 * samples" a thin tail is shown with); the interval brackets the estimate. */
TEST(percentile_ci_and_tail_counts)
{
    tach__hist *h = tach__hist_new_default();
    for (int64_t v = 1; v <= 2000; v++)
        tach__hist_record(h, v);
    int64_t lo, hi, tail;
    tach__hist_percentile_ci(h, 99.9, &lo, &hi, &tail);
    ASSERT_EQ(2, tail);
    ASSERT_EQ(1998, tach__hist_value_at(h, 99.9));
    /* its upper rank, ceil(1998 + 2.77) + 1 = 2,002, is past n: no value bounds it */
    ASSERT_EQ(1995, lo);
    ASSERT_EQ(-1, hi);
    /* p50: rank 1,000; half-width 1.96 * sqrt(500) = 43.8 -> ranks 956 .. 1,045 */
    tach__hist_percentile_ci(h, 50, &lo, &hi, &tail);
    ASSERT_EQ(956, lo);
    ASSERT_EQ(1045, hi);
    ASSERT_EQ(1000, tail);
    tach__hist_percentile_ci(h, 100, &lo, &hi, &tail);
    ASSERT_EQ(1, tail);
    ASSERT_EQ(-1, hi);
    tach__hist_reset(h);
    tach__hist_percentile_ci(h, 99, &lo, &hi, &tail);
    ASSERT_EQ(0, lo + hi + tail);
    ASSERT_EQ(0, tach__hist_value_at(h, 99));
    ASSERT_EQ(0, tach__hist_max(h));
    tach__hist_free(h);
}

/* Reference: the distribution-free CI of a quantile q from n values runs from the
 * r-th to the s-th smallest, r = nq - 1.96 sqrt(nq(1-q)), s = 1 + nq + 1.96 sqrt(nq(1-q))
 * (Campbell & Gardner, "Calculating confidence intervals for some non-parametric
 * analyses", BMJ 296:1454-1456, 1988; Altman et al., Statistics with Confidence, 2nd ed.,
 * 2000, ch. 5).  For the median of n = 100: r = 40.2, s = 60.8, so the 40th and 61st.
 * When s exceeds n there is no such value: the max is not a 95% bound, since
 * P(max >= true p99.9) = 1 - 0.999^n is 0.865 for n = 2,000 and 0.095 for n = 100
 * (David & Nagaraja, Order Statistics, 3rd ed., 2003, 7.1: P(X(s) >= xi_q) =
 * P(Bin(n, q) < s)); the max stands in for rank s > n only where 1 - q^n >= 0.975 (for
 * q = 0.999, n >= ln 0.025 / ln 0.999 = 3,687.03), and the min for r < 1 likewise. */
TEST(percentile_ci_reference_and_unbounded_tails)
{
    tach__hist *h = tach__hist_new_default();
    for (int64_t v = 1; v <= 100; v++)
        tach__hist_record(h, v);
    int64_t lo, hi, tail;
    tach__hist_percentile_ci(h, 50, &lo, &hi, &tail);
    ASSERT_EQ(40, lo);
    ASSERT_EQ(61, hi);
    /* p99 of 100: r = 99 - 1.95 -> 97, s = 1 + 99 + 1.95 -> 102 > 100: unbounded */
    tach__hist_percentile_ci(h, 99, &lo, &hi, &tail);
    ASSERT_EQ(97, lo);
    ASSERT_EQ(-1, hi);
    ASSERT_EQ(1, tail);
    /* p90 of 100: s = 1 + 90 + 5.88 -> 97 (exact binomial: P(Bin(100, 0.9) <= 96) = 0.992) */
    tach__hist_percentile_ci(h, 90, &lo, &hi, &tail);
    ASSERT_EQ(84, lo);
    ASSERT_EQ(97, hi);
    /* p99.9: rank s passes n both times; the max bounds it with 1 - 0.999^3687 = 0.97499
     * (not enough) and 1 - 0.999^3688 = 0.97502 */
    tach__hist_reset(h);
    for (int64_t v = 1; v <= 3687; v++)
        tach__hist_record(h, v);
    tach__hist_percentile_ci(h, 99.9, &lo, &hi, &tail);
    ASSERT_EQ(-1, hi);
    tach__hist_record(h, 3688);
    tach__hist_percentile_ci(h, 99.9, &lo, &hi, &tail);
    ASSERT_EQ(tach__hist_max(h), hi);
    /* one value says nothing about its median: both sides unbounded */
    tach__hist_reset(h);
    tach__hist_record(h, 500);
    tach__hist_percentile_ci(h, 50, &lo, &hi, &tail);
    ASSERT_EQ(0, lo);
    ASSERT_EQ(-1, hi);
    tach__hist_free(h);
}

static void assert_same(const tach__hist *a, const tach__hist *b)
{
    ASSERT_EQ(tach__hist_count(a), tach__hist_count(b));
    ASSERT_EQ(tach__hist_min(a), tach__hist_min(b));
    ASSERT_EQ(tach__hist_max(a), tach__hist_max(b));
    size_t i = 0, j = 0;
    int64_t va, ca, vb, cb;
    for (;;) {
        bool more_a = tach__hist_next_bucket(a, &i, &va, &ca);
        bool more_b = tach__hist_next_bucket(b, &j, &vb, &cb);
        ASSERT_EQ(more_a, more_b);
        if (!more_a)
            break;
        ASSERT_EQ(va, vb);
        ASSERT_EQ(ca, cb);
    }
}

TEST(merge_equals_recording_the_union)
{
    tach__hist *a = tach__hist_new_default(), *b = tach__hist_new_default();
    tach__hist *all = tach__hist_new_default();
    tach__rng r;
    tach__rng_seed(&r, 7);
    for (int i = 0; i < 50000; i++) {
        int64_t v = (int64_t)exp(tach__rng_double(&r) * 25.0);
        tach__hist_record(i % 3 ? a : b, v);
        tach__hist_record(all, v);
    }
    ASSERT_EQ(0, tach__hist_merge(a, b));
    assert_same(all, a);
    for (double p = 1; p <= 100; p += 0.5)
        ASSERT_EQ(tach__hist_value_at(all, p), tach__hist_value_at(a, p));
    /* into a histogram of another layout: re-recorded, nothing lost, counts add up */
    tach__hist *coarse = tach__hist_new(1, HOUR_NS, 2);
    ASSERT_EQ(0, tach__hist_merge(coarse, all));
    ASSERT_EQ(tach__hist_count(all), tach__hist_count(coarse));
    ASSERT_REL((double)tach__hist_value_at(all, 99), (double)tach__hist_value_at(coarse, 99), 0.01);
    /* into a smaller range: what does not fit is returned */
    tach__hist *small = tach__hist_new(1, 1000, 3);
    tach__hist *big = tach__hist_new_default();
    tach__hist_record_n(big, 10, 5);
    tach__hist_record_n(big, 1000000, 3);
    ASSERT_EQ(3, tach__hist_merge(small, big));
    ASSERT_EQ(5, tach__hist_count(small));
    ASSERT_EQ(10, tach__hist_max(small));
    tach__hist_free(a);
    tach__hist_free(b);
    tach__hist_free(all);
    tach__hist_free(coarse);
    tach__hist_free(small);
    tach__hist_free(big);
}

/* Counts past 2^32 in one slot (32-bit counters carry into the side table). */
TEST(counts_beyond_32_bits)
{
    tach__hist *h = tach__hist_new_default();
    int64_t big = INT64_C(1) << 40;
    ASSERT_TRUE(tach__hist_record_n(h, 100, big));
    ASSERT_TRUE(tach__hist_record_n(h, 100, UINT32_MAX));
    ASSERT_TRUE(tach__hist_record(h, 100));
    ASSERT_TRUE(tach__hist_record(h, 5000));
    ASSERT_EQ(big + UINT32_MAX + 2, tach__hist_count(h));
    size_t i = 0;
    int64_t v, c;
    ASSERT_TRUE(tach__hist_next_bucket(h, &i, &v, &c));
    ASSERT_EQ(100, v);
    ASSERT_EQ(big + UINT32_MAX + 1, c);
    char *err = NULL;
    char *b64 = tach__hist_encode_b64(h, &err);
    ASSERT_TRUE(b64 != NULL);
    tach__hist *back = tach__hist_decode_b64(b64, &err);
    ASSERT_TRUE(back != NULL);
    assert_same(h, back);
    free(b64);
    tach__hist_free(back);
    tach__hist_free(h);
}

TEST(encode_decode_round_trip)
{
    tach__hist *h = tach__hist_new_default();
    tach__rng r;
    tach__rng_seed(&r, 3);
    for (int i = 0; i < 100000; i++)
        tach__hist_record(h, 1000 + (int64_t)tach__rng_below(&r, 1000000));
    tach__hist_record_n(h, 0, 4);
    tach__hist_record(h, HOUR_NS);
    char *err = NULL;
    char *b64 = tach__hist_encode_b64(h, &err);
    ASSERT_TRUE(b64 != NULL);
    /* base64 of the compressed V2 cookie 0x1c849314 */
    ASSERT_TRUE(strncmp(b64, "HISTF", 5) == 0);
    tach__hist *back = tach__hist_decode_b64(b64, &err);
    ASSERT_TRUE(back != NULL);
    assert_same(h, back);
    ASSERT_EQ(3, tach__hist_sigfigs(back));
    ASSERT_EQ(HOUR_NS, tach__hist_highest(back));
    free(b64);
    tach__hist_free(back);
    /* empty */
    tach__hist_reset(h);
    b64 = tach__hist_encode_b64(h, &err);
    back = tach__hist_decode_b64(b64, &err);
    ASSERT_TRUE(back != NULL);
    ASSERT_EQ(0, tach__hist_count(back));
    free(b64);
    tach__hist_free(back);
    tach__hist_free(h);
}

/* A V2 histogram HdrHistogram (Java, 2.1.11) wrote for values 1, 2 and 1,000,000
 * (new Histogram(3600000000000L, 3); encodeIntoCompressedByteBuffer; base64). */
TEST(decodes_the_reference_implementation)
{
    const char *java = "HISTFAAAACd4nJNpmSzMwMDAzgABzFCaEch0M9ixgMH+A1SEiWn3OkYmAHJuBcI=";
    char *err = NULL;
    tach__hist *h = tach__hist_decode_b64(java, &err);
    ASSERT_TRUE(h != NULL);
    ASSERT_EQ(3, tach__hist_count(h));
    ASSERT_EQ(1, tach__hist_min(h));
    ASSERT_EQ(1000447, tach__hist_max(h));
    ASSERT_EQ(2, tach__hist_value_at(h, 50));
    tach__hist_free(h);
}

TEST(decode_refuses_damaged_input)
{
    static const char *bad[] = {
        "not base64 !!",
        "AAAA",                   /* cookie 0 */
        "HISTFAAAACd4nJNpmSzMw",  /* compressed, cut short */
        "HISTEAAAAA==",           /* the uncompressed cookie, header cut short */
        "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *err = NULL;
        tach__hist *h = tach__hist_decode_b64(bad[i], &err);
        ASSERT_TRUE(h == NULL);
        ASSERT_TRUE(err != NULL && strncmp(err, "histogram: ", 11) == 0);
        free(err);
    }
}

TEST(hlog_written_and_read_back)
{
    tach__hist *a = tach__hist_new_default(), *b = tach__hist_new_default();
    for (int64_t v = 1; v <= 1000; v++) {
        tach__hist_record(a, v * 1000);
        tach__hist_record(b, v * 7);
    }
    FILE *f = tmpfile();
    ASSERT_TRUE(f != NULL);
    ASSERT_EQ(0, tach__hlog_write_header(f, 1700000000.25, "written by test_hist"));
    ASSERT_EQ(0, tach__hlog_write_interval(f, "get", 0.0, 1.0, a, 1e6));
    ASSERT_EQ(0, tach__hlog_write_interval(f, NULL, 1.0, 1.5, b, 1e6));
    ASSERT_EQ(-1, tach__hlog_write_interval(f, "bad,tag", 1.0, 1.0, b, 1e6));
    rewind(f);
    char text[4096];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    ASSERT_TRUE(strstr(text, "#[Histogram log format version 1.2]\n") != NULL);
    ASSERT_TRUE(strstr(text, "#[StartTime: 1700000000.250 (seconds since epoch), ") != NULL);
    /* max of a is 1,000,000 ns -> its slot's top 1,000,447 ns = 1.000 ms */
    ASSERT_TRUE(strstr(text, "\nTag=get,0.000,1.000,1.000,HISTF") != NULL);
    ASSERT_TRUE(strstr(text, "\n1.000,1.500,0.007,HISTF") != NULL);
    rewind(f);
    tach__hlog log;
    char *err = NULL;
    ASSERT_EQ(0, tach__hlog_read(f, &log, &err));
    ASSERT_EQ(2, log.n);
    ASSERT_NEAR(1700000000.25, log.start_time_s, 1e-6);
    ASSERT_STREQ("get", log.iv[0].tag);
    ASSERT_TRUE(log.iv[1].tag == NULL);
    ASSERT_NEAR(1.0, log.iv[1].start_s, 1e-9);
    ASSERT_NEAR(1.5, log.iv[1].length_s, 1e-9);
    assert_same(a, log.iv[0].hist);
    assert_same(b, log.iv[1].hist);
    tach__hlog_free(&log);
    tach__hlog_free(NULL);
    fclose(f);
    tach__hist_free(a);
    tach__hist_free(b);
}

TEST(hlog_errors_name_the_line)
{
    const char *text = "#[Histogram log format version 1.2]\n"
                       "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\n"
                       "0.000,1.000,0.001,HISTFAAAACd4nJNpmSzMwMDAzgABzFCaEch0M9ixgMH+A1SEiWn3OkYmAHJuBcI=\n"
                       "0.000,oops,0.001,HISTF\n";
    FILE *f = tmpfile();
    fputs(text, f);
    rewind(f);
    tach__hlog log;
    char *err = NULL;
    ASSERT_EQ(-1, tach__hlog_read(f, &log, &err));
    ASSERT_TRUE(err != NULL && strncmp(err, "line 4: ", 8) == 0);
    ASSERT_EQ(0, log.n);
    free(err);
    fclose(f);
}

TEST_MAIN()
