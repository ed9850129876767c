/* test_suite.c - the reference suites' pure parts: level lists, SLOs and URLs,
 * the corpus's determinism, the Pareto frontier, the codecs' round trips, the bus's
 * in-process transports. */
#include <errno.h>
#include <math.h>
#include <net/if.h>
#include <string.h>
#include <unistd.h>

#include "bus.h"
#include "bus_internal.h"
#include "codec.h"
#include "compression.h"
#include "corpus.h"
#include "crypto.h"
#include "report.h"
#include "suite.h"
#include "suite_kind.h"
#include "suite_table.h"
#include "test.h"

TEST(level_lists_expand_ranges)
{
    int *v = NULL;
    size_t n = 0;
    ASSERT_EQ(0, tool_suite_parse_ints("1,3,5-9", &v, &n, NULL));
    ASSERT_EQ(7, n);
    int want[] = {1, 3, 5, 6, 7, 8, 9};
    for (size_t i = 0; i < n; i++) ASSERT_EQ(want[i], v[i]);
    tach__free(v);
    int bad[2] = {0, 0}; /* a reversed range: its ends, to be said (once "not a list") */
    ASSERT_EQ(-3, tool_suite_parse_ints("1,9-5", &v, &n, bad));
    ASSERT_EQ(9, bad[0]);
    ASSERT_EQ(5, bad[1]);
    ASSERT_EQ(-3, tool_suite_parse_ints("-1--3", &v, &n, NULL));
    ASSERT_EQ(-1, tool_suite_parse_ints("9-x", &v, &n, NULL));
    ASSERT_EQ(-1, tool_suite_parse_ints("1,,2", &v, &n, NULL));
    ASSERT_EQ(-1, tool_suite_parse_ints("x", &v, &n, NULL));
    /* decimal digits only, as every number tach reads (strtol took these) */
    ASSERT_EQ(-1, tool_suite_parse_ints(" 1", &v, &n, NULL));
    ASSERT_EQ(-1, tool_suite_parse_ints("1, 3", &v, &n, NULL));
    ASSERT_EQ(-1, tool_suite_parse_ints("+1", &v, &n, NULL));
    ASSERT_EQ(-1, tool_suite_parse_ints("1-+3", &v, &n, NULL));
    ASSERT_EQ(-1, tool_suite_parse_ints("1- 3", &v, &n, NULL));
    ASSERT_EQ(0, tool_suite_parse_ints("-3--1", &v, &n, NULL)); /* negative levels (zstd) */
    ASSERT_EQ(3, n);
    ASSERT_EQ(-3, v[0]);
    tach__free(v);
    /* a value given twice is refused, named */
    ASSERT_EQ(-2, tool_suite_parse_ints("1-3,2", &v, &n, bad));
    ASSERT_EQ(2, bad[0]);
    ASSERT_EQ(-2, tool_suite_parse_ints("4,4", &v, &n, NULL));
    /* a whole number beyond -1000..1000 is one no codec has as a level, found where it is
     * written (it was "not a list of levels" where 1000 was "not a level of any codec") */
    ASSERT_EQ(-4, tool_suite_parse_ints("1001", &v, &n, bad));
    ASSERT_EQ(0, bad[0]);
    ASSERT_EQ(4, bad[1]);
    ASSERT_EQ(-4, tool_suite_parse_ints("1,5-99999999999999999999", &v, &n, bad));
    ASSERT_EQ(4, bad[0]);
    ASSERT_EQ(20, bad[1]);
    ASSERT_EQ(-4, tool_suite_parse_ints("-1001--1", &v, &n, bad));
    ASSERT_EQ(0, bad[0]);
    ASSERT_EQ(5, bad[1]);
    ASSERT_EQ(-1, tool_suite_parse_ints("1001x", &v, &n, NULL)); /* no number at all */
}

TEST(word_lists_refuse_empty_items)
{
    char **w = NULL, err[TACH__ERR_MAX];
    size_t n = 0;
    ASSERT_EQ(0, tool_suite_words("zstd,lz4", &w, &n, err));
    ASSERT_EQ(2, n);
    ASSERT_TRUE(!strcmp(w[0], "zstd") && !strcmp(w[1], "lz4"));
    tool_suite_words_free(w, n);
    ASSERT_EQ(-1, tool_suite_words("zstd,", &w, &n, err));
    ASSERT_EQ(-1, tool_suite_words(",zstd", &w, &n, err));
    ASSERT_EQ(-1, tool_suite_words("zstd,lz4,zstd", &w, &n, err));
    ASSERT_TRUE(strstr(err, "'zstd' is given twice") != NULL);
}

TEST(slo_and_url)
{
    double p = 0, ns = 0;
    ASSERT_EQ(0, tool_bus_parse_slo("p99<1ms", &p, &ns));
    ASSERT_NEAR(99, p, 0);
    ASSERT_NEAR(1e6, ns, 1e-6);
    ASSERT_EQ(0, tool_bus_parse_slo("p99.9<500us", &p, &ns));
    ASSERT_NEAR(99.9, p, 1e-12);
    ASSERT_NEAR(5e5, ns, 1e-6);
    /* a percentile outside (0, 100], a bound too large or not above 0: each said apart
     * (they were -1, "not an SLO") */
    ASSERT_EQ(-6, tool_bus_parse_slo("p0<1ms", &p, &ns));
    ASSERT_EQ(-6, tool_bus_parse_slo("p101<1ms", &p, &ns));
    ASSERT_EQ(-6, tool_bus_parse_slo("p-1<1ms", &p, &ns));
    ASSERT_EQ(-6, tool_bus_parse_slo("p1e400<1ms", &p, &ns));
    ASSERT_EQ(-6, tool_bus_parse_slo("p1e-400<1ms", &p, &ns));
    ASSERT_EQ(-4, tool_bus_parse_slo("p99<1e300s", &p, &ns)); /* inf ns: shown as "p99<-" */
    ASSERT_EQ(-4, tool_bus_parse_slo("p99<1e400ms", &p, &ns));
    ASSERT_EQ(-4, tool_bus_parse_slo("p99<2e9s", &p, &ns));
    ASSERT_EQ(0, tool_bus_parse_slo("p99<1e9s", &p, &ns));
    ASSERT_EQ(-5, tool_bus_parse_slo("p99<0ms", &p, &ns));
    ASSERT_EQ(-5, tool_bus_parse_slo("p99<0", &p, &ns));
    ASSERT_EQ(-5, tool_bus_parse_slo("p99<-1ms", &p, &ns));
    ASSERT_EQ(-5, tool_bus_parse_slo("p99<-1e400ms", &p, &ns));
    ASSERT_EQ(-5, tool_bus_parse_slo("p99<-1e-400s", &p, &ns));
    ASSERT_EQ(-1, tool_bus_parse_slo("p99<soon", &p, &ns));
    ASSERT_EQ(-1, tool_bus_parse_slo("p99x<1ms", &p, &ns));
    /* above 0 but too close to 0 for a double: too small, not "not an SLO" */
    ASSERT_EQ(-3, tool_bus_parse_slo("p99<1e-400s", &p, &ns));
    ASSERT_EQ(-3, tool_bus_parse_slo("p99<1e-300ns", &p, &ns));
    ASSERT_EQ(-2, tool_bus_parse_slo("p99<100", &p, &ns)); /* seconds here, ms to k6 */
    ASSERT_EQ(-1, tool_bus_parse_slo("p99>1ms", &p, &ns));
    ASSERT_EQ(-1, tool_bus_parse_slo("99<1ms", &p, &ns));
    /* decimal, as every number tach reads: strtod took p0x63 for p99, and a blank */
    ASSERT_EQ(-1, tool_bus_parse_slo("p0x63<1ms", &p, &ns));
    ASSERT_EQ(-1, tool_bus_parse_slo("p 99<1ms", &p, &ns));
    ASSERT_EQ(-1, tool_bus_parse_slo("pinf<1ms", &p, &ns));
    char scheme[16];
    ASSERT_EQ(0, tool_bus_check_url("redis://127.0.0.1:6379", scheme, sizeof scheme));
    ASSERT_TRUE(!strcmp(scheme, "redis"));
    ASSERT_EQ(-1, tool_bus_check_url("http://127.0.0.1:80", scheme, sizeof scheme));
    /* user:password@, percent-decoded, never shown */
    tool_bus_env env;
    ASSERT_EQ(0, tool_bus_parse_url("nats://u%40x:p%3Aw@127.0.0.1:4222", scheme, sizeof scheme, &env));
    ASSERT_STREQ("u@x", env.user);
    ASSERT_STREQ("p:w", env.pass);
    ASSERT_STREQ("127.0.0.1", env.host);
    ASSERT_EQ(4222, env.port);
    ASSERT_EQ(0, tool_bus_parse_url("redis://u:%41%7e%7E@h:1", scheme, sizeof scheme, &env));
    ASSERT_STREQ("A~~", env.pass);
    /* exactly two hex digits after a '%', and never %00 (a NUL would cut the value short) */
    const char *bad_pct[] = {"redis://u:a%00b@h:1", "redis://u%00:pw@h:1", "redis://u:a%+1b@h:1",
                             "redis://u:a% 1b@h:1", "redis://u:a%-1b@h:1", "redis://u:a%1@h:1",
                             "redis://u:a%@h:1", "redis://u:a%zzb@h:1", "redis://u:a%0x1@h:1"};
    for (size_t i = 0; i < sizeof bad_pct / sizeof bad_pct[0]; i++)
        ASSERT_EQ(-1, tool_bus_parse_url(bad_pct[i], scheme, sizeof scheme, &env));
    ASSERT_EQ(0, tool_bus_check_url("redis://:pw@127.0.0.1:6379", scheme, sizeof scheme));
    /* a host of up to 253 bytes, DNS's longest name, whole; 254 and 255 (which fitted the
     * buffer) refused as 256 is */
    for (size_t hlen = 252; hlen <= 256; hlen++) {
        char url[300] = "redis://";
        size_t n = strlen(url);
        memset(url + n, 'h', hlen);
        snprintf(url + n + hlen, sizeof url - n - hlen, ":6379");
        int rc = tool_bus_parse_url(url, scheme, sizeof scheme, &env);
        ASSERT_EQ(hlen <= 253 ? 0 : -5, rc);
        if (rc == 0) ASSERT_EQ(hlen, strlen(env.host));
        ASSERT_EQ(hlen <= 253 ? 0 : -5, tool_bus_check_url(url, scheme, sizeof scheme));
    }
    /* (bus.h: -4 a password without a user, -3 a user without a password, but for Redis) */
    ASSERT_EQ(-4, tool_bus_check_url("nats://:pw@127.0.0.1:4222", scheme, sizeof scheme));
    ASSERT_EQ(-3, tool_bus_check_url("nats://token@127.0.0.1:4222", scheme, sizeof scheme));
    char shown[128];
    /* user:password@ read as every URL tach reads (tach__url_userinfo): to the authority's
     * last '@', the authority ending at '/', '?' or '#' (it was the last '@' anywhere) */
    ASSERT_EQ(0, tool_bus_parse_url("nats://u:pw@127.0.0.1:4222", scheme, sizeof scheme, &env));
    ASSERT_STREQ("u", env.user);
    ASSERT_STREQ("pw", env.pass);
    ASSERT_STREQ("127.0.0.1", env.host);
    ASSERT_EQ(0, tool_bus_parse_url("mqtt://u:p@ss@[::1]:1883", scheme, sizeof scheme, &env));
    ASSERT_STREQ("p@ss", env.pass);
    ASSERT_STREQ("::1", env.host);
    ASSERT_STREQ("mqtt://u:***@[::1]:1883", tool_bus_url_shown("mqtt://u:p@ss@[::1]:1883", shown, sizeof shown));
    /* an '@' after the authority: a path's, or a password's raw '/', '?' or '#' (to be
     * percent-encoded, %2F): refused, all before it hidden (a path's '@' was taken for
     * the password's end, and the URL ran at the host after it) */
    ASSERT_EQ(-1, tool_bus_check_url("redis://u:pw@h:1/a@127.0.0.1:6379", scheme, sizeof scheme));
    ASSERT_EQ(-1, tool_bus_check_url("nats://127.0.0.1:1/x@127.0.0.1:4222", scheme, sizeof scheme));
    ASSERT_EQ(-1, tool_bus_check_url("redis://:p/w@127.0.0.1:6379", scheme, sizeof scheme));
    ASSERT_EQ(-1, tool_bus_check_url("redis://:p?w@127.0.0.1:6379", scheme, sizeof scheme));
    ASSERT_STREQ("redis://***@127.0.0.1:6379", tool_bus_url_shown("redis://:p/w@127.0.0.1:6379", shown, sizeof shown));
    ASSERT_STREQ("redis://***@h:2", tool_bus_url_shown("redis://u:pw@h:1/a@h:2", shown, sizeof shown));
    ASSERT_EQ(0, tool_bus_check_url("redis://:p%2Fw@127.0.0.1:6379", scheme, sizeof scheme));
    ASSERT_STREQ("redis://u:***@[::1]:6379", tool_bus_url_shown("redis://u:secret@[::1]:6379", shown, sizeof shown));
    ASSERT_STREQ("nats://***@h:1", tool_bus_url_shown("nats://token@h:1", shown, sizeof shown));
    ASSERT_STREQ("mqtt://h:1", tool_bus_url_shown("mqtt://h:1", shown, sizeof shown));
    ASSERT_EQ(-1, tool_bus_check_url("nats://127.0.0.1", scheme, sizeof scheme));
    ASSERT_EQ(-1, tool_bus_check_url("nats://127.0.0.1:0", scheme, sizeof scheme));
    /* the port is digits only: strtol took a sign and blanks */
    ASSERT_EQ(-1, tool_bus_check_url("nats://127.0.0.1:+4222", scheme, sizeof scheme));
    ASSERT_EQ(-1, tool_bus_check_url("nats://127.0.0.1: 4222", scheme, sizeof scheme));
    ASSERT_EQ(-1, tool_bus_check_url("nats://127.0.0.1:99999999999999999999", scheme, sizeof scheme));
    /* an IPv6 address in brackets, as in every URL: the host without them */
    ASSERT_EQ(0, tool_bus_parse_url("nats://[::1]:4222", scheme, sizeof scheme, &env));
    ASSERT_TRUE(!strcmp(env.host, "::1"));
    ASSERT_EQ(4222, env.port);
    /* a zone as RFC 6874 writes it, after %25, decoded and given as its interface's index
     * (it reached the resolver as "::1%25lo"); a bare '%' (a shell's fe80::1%eth0), an
     * empty zone, one of other characters or %00, and one no interface has: each said */
    char lo_host[32];
    snprintf(lo_host, sizeof lo_host, "::1%%%u", if_nametoindex("lo"));
    ASSERT_TRUE(if_nametoindex("lo") > 0);
    const char *lo_urls[] = {"nats://[::1%25lo]:4222", "nats://u:p%25@[::1%25%6C%6f]:4222",
                             "nats://[::1%251]:4222"};
    for (size_t i = 0; i < sizeof lo_urls / sizeof *lo_urls; i++) {
        if (i == 2 && if_nametoindex("lo") != 1) continue; /* lo's index, as a number */
        ASSERT_EQ(0, tool_bus_parse_url(lo_urls[i], scheme, sizeof scheme, &env));
        ASSERT_STREQ(lo_host, env.host);
        ASSERT_EQ(4222, env.port);
        if (i == 1) ASSERT_STREQ("p%", env.pass); /* the userinfo's %25 decoded apart */
        ASSERT_EQ(0, tool_bus_check_url(lo_urls[i], scheme, sizeof scheme));
    }
    ASSERT_EQ(-6, tool_bus_check_url("nats://[::1%lo]:4222", scheme, sizeof scheme));
    ASSERT_EQ(-6, tool_bus_check_url("nats://[fe80::1%eth0]:4222", scheme, sizeof scheme));
    ASSERT_EQ(-6, tool_bus_check_url("nats://[fe80::1%2]:4222", scheme, sizeof scheme));
    ASSERT_EQ(-7, tool_bus_check_url("nats://[::1%25]:4222", scheme, sizeof scheme));
    ASSERT_EQ(-7, tool_bus_check_url("nats://[::1%25l+o]:4222", scheme, sizeof scheme));
    ASSERT_EQ(-7, tool_bus_check_url("nats://[::1%25lo%00]:4222", scheme, sizeof scheme));
    ASSERT_EQ(-7, tool_bus_check_url("nats://[::1%25lo%2]:4222", scheme, sizeof scheme));
    ASSERT_EQ(-8, tool_bus_parse_url("nats://[::1%25no%2Dsuch9]:4222", scheme, sizeof scheme, &env));
    ASSERT_STREQ("::1%no-such9", env.host); /* to name it */
    ASSERT_EQ(-8, tool_bus_check_url("nats://[::1%254294967299]:4222", scheme, sizeof scheme));
    ASSERT_EQ(-1, tool_bus_parse_url("nats://[::1:4222", scheme, sizeof scheme, &env));
    ASSERT_EQ(-1, tool_bus_parse_url("nats://[]:4222", scheme, sizeof scheme, &env));
    /* an IPv6 address without its brackets: taken, the last ':' read as the port's */
    ASSERT_EQ(-9, tool_bus_parse_url("nats://::1:4222", scheme, sizeof scheme, &env));
    ASSERT_EQ(-9, tool_bus_check_url("mqtt://u:pw@fe80::1:1883", scheme, sizeof scheme));
    ASSERT_EQ(-9, tool_bus_check_url("redis://::1:6379/", scheme, sizeof scheme));
    /* no path: redis://HOST:PORT/5 was taken and the /5 ignored; a trailing '/' is none */
    ASSERT_EQ(-2, tool_bus_check_url("redis://127.0.0.1:6379/5", scheme, sizeof scheme));
    ASSERT_EQ(-2, tool_bus_check_url("nats://127.0.0.1:4222/x", scheme, sizeof scheme));
    ASSERT_EQ(-2, tool_bus_check_url("mqtt://127.0.0.1:1883/a/b", scheme, sizeof scheme));
    ASSERT_EQ(-2, tool_bus_check_url("nats://h:1/x:2", scheme, sizeof scheme)); /* not port 2 */
    ASSERT_EQ(0, tool_bus_check_url("redis://127.0.0.1:6379/", scheme, sizeof scheme));
    ASSERT_EQ(-2, tool_bus_check_url("redis://u:pw@127.0.0.1:6379/0", scheme, sizeof scheme));
    ASSERT_STREQ("redis://u:***@h:1/0", tool_bus_url_shown("redis://u:pw@h:1/0", shown, sizeof shown));
    ASSERT_EQ(-1, tool_bus_check_url("redis://u:pw@127.0.0.1:6379?db=0", scheme, sizeof scheme));
    ASSERT_STREQ("redis://u:***@h:1?db=0", tool_bus_url_shown("redis://u:pw@h:1?db=0", shown, sizeof shown));
    ASSERT_EQ(-1, tool_bus_parse_url("nats://[::1]x:4222", scheme, sizeof scheme, &env));
    /* a host name of 128 bytes or more (DNS allows 253) was refused as no broker URL; one
     * longer than any host name (256 or more) is said to be so (-5) */
    char url[400], host[300];
    memset(host, 'a', 253), host[253] = '\0';
    snprintf(url, sizeof url, "redis://%s:6379", host);
    ASSERT_EQ(0, tool_bus_parse_url(url, scheme, sizeof scheme, &env));
    ASSERT_STREQ(host, env.host);
    ASSERT_EQ(6379, env.port);
    memset(host, 'a', 256), host[256] = '\0';
    snprintf(url, sizeof url, "nats://%s:4222", host);
    ASSERT_EQ(-5, tool_bus_check_url(url, scheme, sizeof scheme));
}

TEST(corpus_is_deterministic_and_distinct)
{
    unsigned char a[70000], b[70000];
    for (int k = 0; tool_corpus_names()[k]; k++) {
        tool_corpus_fill(k, a, sizeof a, 7);
        tool_corpus_fill(k, b, sizeof b, 7);
        ASSERT_TRUE(!memcmp(a, b, sizeof a));
    }
    tool_corpus_fill(tool_corpus_find("records"), a, sizeof a, 7);
    ASSERT_TRUE(a[0] == '{' && memchr(a, '\n', 200)); /* one JSON record per line */
    tool_corpus_fill(tool_corpus_find("text"), b, sizeof b, 7);
    ASSERT_TRUE(memcmp(a, b, sizeof a));
    ASSERT_EQ(-1, tool_corpus_find("poems"));
}

/* Every codec built in compresses and restores the corpus at its lowest and default
 * levels; the hidden test codec restores it wrong, as it must. */
TEST(codecs_round_trip)
{
    static unsigned char in[100000], packed[200000], out[100000];
    tool_corpus_fill(tool_corpus_find("mixed"), in, sizeof in, 1);
    for (size_t i = 0; tool_codec_at(i); i++) {
        const tool_codec *c = tool_codec_at(i);
        int levels[] = {c->min_level, c->default_level};
        for (int k = 0; k < 2; k++) {
            char err[TACH__ERR_MAX] = "";
            size_t plen = 0, olen = 0;
            double mem = 0;
            ASSERT_TRUE(c->bound(sizeof in, levels[k]) <= sizeof packed);
            ASSERT_EQ(0, c->compress(in, sizeof in, packed, sizeof packed, &plen, levels[k], &mem, err));
            ASSERT_EQ(0, c->decompress(packed, plen, out, sizeof out, &olen, &mem, err));
            ASSERT_EQ(sizeof in, olen);
            if (c->hidden) ASSERT_TRUE(memcmp(in, out, sizeof in) != 0);
            else ASSERT_TRUE(memcmp(in, out, sizeof in) == 0);
        }
    }
}

/* A block over what lz4 compresses in one call (LZ4_MAX_INPUT_SIZE, about 1.97 GiB, its
 * bound 0; an input that large is reachable with --max-input-size raised): lz4 is skipped
 * with a note, not two rows failed "block too large"; a block of exactly the limit is
 * taken.  The run decides from the block's size alone (tool_compression_block, then
 * tool_compression_takes_block), so no 2 GiB input is made: the run hashed one, seconds
 * of SHA-256, minutes under ASan. */
TEST(lz4_skips_a_block_over_its_limit)
{
    const tool_codec *lz = NULL;
    for (size_t i = 0; tool_codec_at(i); i++)
        if (!strcmp(tool_codec_at(i)->name, "lz4")) lz = tool_codec_at(i);
    if (!lz) return; /* not built in */
    const size_t max = 0x7E000000; /* LZ4_MAX_INPUT_SIZE */
    ASSERT_EQ(0, lz->bound(max + 1, lz->default_level));
    ASSERT_TRUE(lz->bound(max, lz->default_level) > max);
    /* the block of an input of max + 1 bytes: the whole input, or --block when smaller */
    tool_comp_opts o = {.len = max + 1};
    ASSERT_EQ(max + 1, tool_compression_block(&o));
    o.block = (uint64_t)1 << 30; /* the note's advice */
    ASSERT_EQ((size_t)1 << 30, tool_compression_block(&o));
    o.block = (uint64_t)4 << 30; /* more than the input: one block of it */
    ASSERT_EQ(max + 1, tool_compression_block(&o));
    tach__doc *doc = tach__doc_new();
    ASSERT_TRUE(doc != NULL);
    ASSERT_TRUE(tool_compression_takes_block(lz, max, doc));
    ASSERT_TRUE(tool_compression_takes_block(lz, (size_t)1 << 30, doc));
    ASSERT_TRUE(tool_compression_takes_block(lz, 0, doc)); /* an empty input */
    ASSERT_EQ(0, json_array_size(json_object_get(tool_suite_ctx(doc), "notes")));
    ASSERT_TRUE(!tool_compression_takes_block(lz, max + 1, doc));
    ASSERT_TRUE(!tool_compression_takes_block(lz, (size_t)3 << 30, doc)); /* past 2^31 too */
    json_t *notes = json_object_get(tool_suite_ctx(doc), "notes");
    ASSERT_EQ(2, json_array_size(notes));
    const char *note = json_string_value(json_array_get(notes, 0));
    ASSERT_TRUE(note && strstr(note, "lz4: blocks of 2113929217 bytes are more than it compresses in one "
                               "call: skipped (give --block 1GiB)"));
    tach__doc_free(doc);
}

/* Worked by hand: (speed, ratio) = (500, 1.5) (300, 2.0) (200, 1.8) (100, 2.5) (50, 2.4):
 * 200/1.8 is beaten by 300/2.0 and 50/2.4 by 100/2.5, so the frontier is 500, 300, 100. */
TEST(pareto_frontier)
{
    tool_svg_point p[] = {{"a", 1, 200, 1.8, false}, {"a", 2, 50, 2.4, false}, {"b", 1, 500, 1.5, false},
                          {"b", 2, 300, 2.0, false}, {"c", 1, 100, 2.5, false}};
    ASSERT_EQ(3, tool_pareto_mark(p, 5));
    double speeds[] = {500, 300, 200, 100, 50};
    bool front[] = {true, true, false, true, false};
    for (int i = 0; i < 5; i++) {
        ASSERT_NEAR(speeds[i], p[i].speed, 0);
        ASSERT_EQ(front[i], p[i].frontier);
    }
}

/* The in-process transports deliver every message, in order, to every receiver. */
TEST(local_transports_fan_out_in_order)
{
    const tool_bus_ops *ops[] = {&tool_bus_pipe, &tool_bus_unix, &tool_bus_queue};
    for (int t = 0; t < 3; t++) {
        char err[TACH__ERR_MAX] = "";
        void *ch = ops[t]->open(NULL, "x", 3, err);
        ASSERT_TRUE(ch != NULL);
        for (int m = 0; m < 5; m++) {
            unsigned char msg[32];
            memset(msg, m, sizeof msg);
            ASSERT_EQ(0, ops[t]->send(ch, msg, (size_t)(16 + m), err));
        }
        for (int s = 0; s < 3; s++)
            for (int m = 0; m < 5; m++) {
                unsigned char buf[64];
                size_t n = 0;
                ASSERT_EQ(0, ops[t]->recv(ch, s, buf, sizeof buf, &n, 1000, err));
                ASSERT_EQ(16 + m, n);
                ASSERT_EQ(m, buf[0]);
            }
        unsigned char buf[64];
        size_t n = 0;
        ASSERT_EQ(1, ops[t]->recv(ch, 0, buf, sizeof buf, &n, 10, err)); /* nothing more */
        ops[t]->close(ch);
    }
}

/* OPENSSL_ia32cap read as OpenSSL 3 reads it; what each library uses of the CPU. */
TEST(openssl_mask_and_acceleration)
{
    json_t *cpu = json_pack("{sbsbsbsbsbsbsbsb}", "ssse3", 1, "aes_ni", 1, "pclmulqdq", 1, "sha", 1, "avx", 1,
                            "avx2", 1, "avx512f", 0, "vaes", 1);
    json_t *o = tool_openssl_features(cpu, NULL); /* unmasked: the CPU's */
    ASSERT_EQ(1, json_equal(o, cpu));
    json_decref(o);
    /* AES-NI and PCLMULQDQ cleared; without ':' the CPUID.7 word (SHA, AVX2) goes too */
    o = tool_openssl_features(cpu, "~0x200000200000000");
    ASSERT_EQ(0, json_is_true(json_object_get(o, "aes_ni")));
    ASSERT_EQ(0, json_is_true(json_object_get(o, "pclmulqdq")));
    ASSERT_EQ(0, json_is_true(json_object_get(o, "sha")));
    ASSERT_EQ(0, json_is_true(json_object_get(o, "avx2")));
    ASSERT_EQ(1, json_is_true(json_object_get(o, "avx")));
    ASSERT_EQ(1, json_is_true(json_object_get(o, "ssse3")));
    json_decref(o);
    o = tool_openssl_features(cpu, ":~0x20000000"); /* SHA alone */
    ASSERT_EQ(0, json_is_true(json_object_get(o, "sha")));
    ASSERT_EQ(1, json_is_true(json_object_get(o, "avx2")));
    ASSERT_EQ(1, json_is_true(json_object_get(o, "aes_ni")));
    json_decref(o);
    o = tool_openssl_features(cpu, "~0x1000000:~0"); /* FXSR: every XMM feature */
    ASSERT_EQ(0, json_is_true(json_object_get(o, "aes_ni")));
    ASSERT_EQ(0, json_is_true(json_object_get(o, "avx")));
    ASSERT_EQ(1, json_is_true(json_object_get(o, "sha")));
    json_decref(o);

    json_t *ctx = json_pack("{s{sOs{ss}s{sbsbsbsbsbsb}}ss}", "cpu_features", "cpu", cpu, "openssl",
                            "OPENSSL_ia32cap", "", "libsodium", "ssse3", 1, "sse41", 1, "aes_ni", 1, "pclmulqdq", 1,
                            "avx2", 0, "avx512f", 0, "cpu_model", "Intel(R) Xeon(R)");
    ASSERT_STREQ("AES-NI, PCLMULQDQ", tool_crypto_accel("openssl", "aes-256-gcm", ctx));
    ASSERT_STREQ("SHA extensions", tool_crypto_accel("openssl", "sha256", ctx));
    ASSERT_STREQ("AVX2", tool_crypto_accel("openssl", "sha512", ctx));
    ASSERT_STREQ("none (portable C)", tool_crypto_accel("openssl", "blake2b", ctx));
    ASSERT_STREQ("none (portable C)", tool_crypto_accel("libsodium", "sha256", ctx));
    ASSERT_STREQ("none (portable C)", tool_crypto_accel("libsodium", "hmac-sha256", ctx));
    ASSERT_STREQ("SSE4.1", tool_crypto_accel("libsodium", "blake2b", ctx));
    ASSERT_STREQ("SSSE3", tool_crypto_accel("libsodium", "chacha20-poly1305", ctx));
    ASSERT_STREQ("AES-NI, PCLMULQDQ", tool_crypto_accel("libsodium", "aes-256-gcm", ctx));
    json_object_set_new(json_object_get(json_object_get(ctx, "cpu_features"), "openssl"), "OPENSSL_ia32cap",
                        json_string("~0x200000200000000"));
    ASSERT_STREQ("SSSE3 (vpaes, no AES-NI)", tool_crypto_accel("openssl", "aes-128-gcm", ctx));
    ASSERT_STREQ("AVX", tool_crypto_accel("openssl", "sha256", ctx)); /* Intel's AVX code */
    ASSERT_STREQ("SSSE3", tool_crypto_accel("openssl", "chacha20-poly1305", ctx));
    json_object_del(json_object_get(ctx, "cpu_features"), "cpu"); /* nothing known */
    ASSERT_STREQ("-", tool_crypto_accel("openssl", "aes-128-gcm", ctx));
    json_decref(ctx);
    json_decref(cpu);
}

/* The display width of the line starting at s (µ and ± one column each). */
/* The document TEXT as tach__doc_load reads it from a file (a temporary one, removed);
 * NULL when it does not load. */
static tach__doc *doc_from_text(const char *text)
{
    char err[TACH__ERR_MAX], path[] = "/tmp/tach-test-suite-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return NULL;
    size_t n = strlen(text);
    bool whole = write(fd, text, n) == (ssize_t)n;
    close(fd);
    tach__doc *d = whole ? tach__doc_load(path, err) : NULL;
    unlink(path);
    return d;
}

static size_t line_width(const char *s)
{
    char line[512];
    size_t n = strcspn(s, "\n");
    snprintf(line, sizeof line, "%.*s", (int)n, s);
    return tach__display_width(line);
}

/* The display column where needle starts in the line starting at s; (size_t)-1 if absent. */
static size_t column_of(const char *s, const char *needle)
{
    char line[512];
    snprintf(line, sizeof line, "%.*s", (int)strcspn(s, "\n"), s);
    char *at = strstr(line, needle);
    if (!at) return (size_t)-1;
    *at = '\0';
    return tach__display_width(line);
}

/* tool_cols: every column as wide as its widest cell, the first left-aligned, a short row
 * and a line under a row. */
TEST(cols_widest_cell)
{
    tool_cols t = {0};
    tool_cols_add(&t, 3, (const char *const[]){"name", "rate (±CI)", "p99"});
    tool_cols_add(&t, 3, (const char *const[]){"a", "1.0 [0.5, 20.0]", "3 µs"});
    tool_cols_add(&t, 2, (const char *const[]){"longer name", "failed"});
    tool_cols_under(&t, "INVALID: %d late", 7);
    tool_cols_add(&t, 3, (const char *const[]){"b", NULL, "12 ms"});
    tach__buf b = {0};
    tool_cols_print(&t, &b);
    tool_cols_free(&t);
    char *s = tach__buf_take(&b);
    ASSERT_STREQ("name             rate (±CI)   p99\n"
                 "a           1.0 [0.5, 20.0]  3 µs\n"
                 "longer name          failed\n"
                 "            INVALID: 7 late\n"
                 "b                           12 ms\n",
                 s);
    tach__free(s);
}

/* A lopsided CI is shown as its bounds, not as ± half its width (storage read-1m:
 * 1175.6 MB/s with the CI [496.4, 5587.5] once printed "1175.6 ±2545.5"). */
TEST(lopsided_ci_as_bounds)
{
    char buf[64];
    tool_suite_ci_cell(buf, sizeof buf, 1175579265.06, 496409830.10, 5587464191.29, 1e6, 1, false);
    ASSERT_STREQ("1175.6 [496.4, 5587.5]", buf);
    tool_suite_ci_cell(buf, sizeof buf, 500e6, 490e6, 512e6, 1e6, 1, false); /* 10 below, 12 above */
    ASSERT_STREQ("500.0 ±11.0", buf);
    /* in percent spaced as the rest ("179.8±0%" beside "172.2 ±5.6"), one decimal under 10% */
    tool_suite_ci_cell(buf, sizeof buf, 1000e6, 980e6, 1020e6, 1e6, 1, true);
    ASSERT_STREQ("1000.0 ±2.0%", buf);
    tool_suite_ci_cell(buf, sizeof buf, 1000e6, 999e6, 1001e6, 1e6, 1, true);
    ASSERT_STREQ("1000.0 ±0.1%", buf);
    tool_suite_ci_cell(buf, sizeof buf, 1000e6, 690e6, 1310e6, 1e6, 1, true);
    ASSERT_STREQ("1000.0 ±31%", buf);
    tool_suite_ci_cell(buf, sizeof buf, 1000e6, 990e6, 1300e6, 1e6, 1, true);
    ASSERT_STREQ("1000.0 [990.0, 1300.0]", buf);
    tool_suite_ci_cell(buf, sizeof buf, 100, 120, 130, 1, 0, false); /* the figure outside its CI */
    ASSERT_STREQ("100 [120, 130]", buf);
    tool_suite_ci_cell(buf, sizeof buf, 100, NAN, NAN, 1, 0, false);
    ASSERT_STREQ("100", buf);
    /* a rate under 10 with three significant digits: a 3-byte --data's MB/s read "0.0 ±0.0" */
    tool_suite_ci_cell(buf, sizeof buf, 2150, 2030, 2270, 1e6, 1, false);
    ASSERT_STREQ("0.00215 ±0.00012", buf);
    tool_suite_ci_cell(buf, sizeof buf, 5.3e6, 5.2e6, 5.4e6, 1e6, 1, false);
    ASSERT_STREQ("5.30 ±0.10", buf);
    tool_suite_ci_cell(buf, sizeof buf, 0.042, NAN, NAN, 1, 1, false); /* bus MB/s */
    ASSERT_STREQ("0.0420", buf);
    tool_suite_ci_cell(buf, sizeof buf, 0, NAN, NAN, 1, 1, false);
    ASSERT_STREQ("0.0", buf);

    const char *doc = "{\"format\": \"tach-results\", \"version\": 1, \"context\": {\"suite\": {\"name\": \"storage\"}},"
                      " \"benchmarks\": [{\"name\": \"storage/read-1m\", \"status\": \"ok\","
                      " \"params\": {\"rw\": \"read\"}, \"counters\": {\"bw_bytes\": 1175579265.06,"
                      " \"bw_bytes_ci_low\": 496409830.10, \"bw_bytes_ci_high\": 5587464191.29, \"iops\": 1121}},"
                      " {\"name\": \"storage/write-1m\", \"status\": \"ok\", \"params\": {\"rw\": \"write\"},"
                      " \"counters\": {\"bw_bytes\": 500e6, \"bw_bytes_ci_low\": 490e6, \"bw_bytes_ci_high\": 512e6,"
                      " \"iops\": 476}},"
                      " {\"name\": \"storage/randread-4k-qd1\", \"status\": \"ok\", \"params\": {\"rw\": \"randread\"},"
                      " \"samples\": {\"iters\": [1024], \"ns\": [80000]},"
                      " \"counters\": {\"bw_bytes\": 51.2e6, \"iops\": 12500}}]}";
    tach__doc *d = doc_from_text(doc);
    ASSERT_TRUE(d != NULL);
    char *t = tool_suite_table(d);
    ASSERT_TRUE(t && strstr(t, "1175.6 [496.4, 5587.5]") && !strstr(t, "±2545"));
    /* the columns sized to their widest cell: the header and both rows (one "v [lo, hi]",
     * one "v ±h") equally wide, the IOPS column ending in the same place (a fixed width of
     * 16 had pushed the lopsided row's later columns 6 places right) */
    const char *head = t ? strstr(t, "\njob") : NULL, *r1 = t ? strstr(t, "\nread-1m") : NULL,
               *r2 = t ? strstr(t, "\nwrite-1m") : NULL;
    ASSERT_TRUE(head && r1 && r2);
    size_t wh = line_width(head + 1), w1 = line_width(r1 + 1), w2 = line_width(r2 + 1);
    ASSERT_TRUE(wh == w1 && w1 == w2);
    ASSERT_TRUE(column_of(r1 + 1, "1121") == column_of(head + 1, "IOPS"));
    ASSERT_TRUE(column_of(r2 + 1, " 476") == column_of(r1 + 1, "1121")); /* right-aligned */
    /* a job of one interval has no CI: said so, not a bare figure among CIs */
    ASSERT_TRUE(strstr(t, "51.2 (no CI: 1 interval)") != NULL);
    tach__free(t);
    tach__doc_free(d);
}

/* A failed row's line under the table: the name of a loaded document's row as text, its
 * ESC and newline as spaces, as its message is (the name was printed raw) */
TEST(failed_row_name_terminal_safe)
{
    const char *doc = "{\"format\": \"tach-results\", \"version\": 1, \"context\": {\"suite\": {\"name\": \"storage\"}},"
                      " \"benchmarks\": [{\"name\": \"storage/evil\\u001b[2J\\nx\", \"status\": \"failed\","
                      " \"message\": \"boom\"}]}";
    tach__doc *d = doc_from_text(doc);
    ASSERT_TRUE(d != NULL);
    char *t = tool_suite_table(d);
    ASSERT_TRUE(t != NULL);
    ASSERT_TRUE(strstr(t, "FAILED storage/evil [2J x: boom\n") != NULL);
    ASSERT_TRUE(strchr(t, '\033') == NULL);
    tach__free(t);
    tach__doc_free(d);
}

/* The suites by name (suite_kind.h): every name maps to its kind and back, in the tool's
 * order; anything else, a prefix, another case or NULL, is no suite; the one-run suites
 * (whose spread is the workload's) are storage and bus */
TEST(suite_kinds_by_name)
{
    static const char *const order[] = {"compression", "crypto", "storage", "bus"};
    int n = 0;
    for (int k = 1; tach__suite_name(k); k++, n++) {
        ASSERT_TRUE(n < 4);
        ASSERT_STREQ(order[n], tach__suite_name(k));
        ASSERT_EQ(k, tach__suite_kind_of(order[n]));
        ASSERT_TRUE(tach__suite_known(order[n]));
    }
    ASSERT_EQ(4, n);
    ASSERT_EQ(TACH__SUITE_STORAGE, tach__suite_kind_of("storage"));
    ASSERT_EQ(TACH__SUITE_NONE, tach__suite_kind_of(NULL));
    ASSERT_EQ(TACH__SUITE_NONE, tach__suite_kind_of("Storage"));
    ASSERT_EQ(TACH__SUITE_NONE, tach__suite_kind_of("stor"));
    ASSERT_EQ(TACH__SUITE_NONE, tach__suite_kind_of("bus "));
    ASSERT_TRUE(!tach__suite_known(""));
    ASSERT_TRUE(tach__suite_name(TACH__SUITE_NONE) == NULL);
    ASSERT_TRUE(tach__suite_name(-1) == NULL);
    ASSERT_TRUE(tach__suite_one_run(TACH__SUITE_STORAGE) && tach__suite_one_run(TACH__SUITE_BUS));
    ASSERT_TRUE(!tach__suite_one_run(TACH__SUITE_COMPRESSION) && !tach__suite_one_run(TACH__SUITE_CRYPTO));
    ASSERT_TRUE(!tach__suite_one_run(TACH__SUITE_NONE));
}

/* A count over a measurement's calls (crypto's cycles per byte): opened after the
 * warm-up, closed after the last sample and before the row and its bootstrap exist (the
 * count was read around tool_suite_measure, its 10 000 resamples counted as the calls'
 * cycles; then from before the warm-up, a cold first call counted with the measured
 * ones); each measured call here "costs" 1000, the warm-up (the first) 50000, so the
 * count is 1000 per sampled call exactly */
static uint64_t count_ticks;
static size_t count_reads, count_rows_at_close, count_calls;
static const tach__doc *count_doc;
static uint64_t count_read(void *ctx)
{
    (void)ctx;
    count_reads++;
    count_rows_at_close = count_doc->nresults;
    return count_ticks;
}
static int count_call(void *arg, char *err)
{
    (void)arg, (void)err;
    count_ticks += count_calls++ == 0 ? 50000 : 1000;
    return 0;
}

TEST(count_window_closes_before_statistics)
{
    tach__doc *d = tach__doc_new();
    ASSERT_TRUE(d != NULL);
    count_doc = d, count_ticks = 5, count_reads = 0, count_calls = 0;
    tool_suite_budget b = {.time_s = 0.002, .sample_s = 0.0001, .min_samples = 3, .max_samples = 4};
    tool_suite_count c = {.read = count_read};
    tach__result *r = NULL;
    ASSERT_EQ(0, tool_suite_measure_counted(d, "crypto/x/y/64", count_call, NULL, 64, &b, 1, &c, &r));
    ASSERT_TRUE(r != NULL && r->status == TACH__OK && r->has_summary);
    ASSERT_EQ(2, count_reads);
    ASSERT_EQ(0, count_rows_at_close); /* no row yet: the statistics came after */
    double calls = 0; /* the samples' calls, not the warm-up */
    for (size_t i = 0; i < r->nsamples; i++) calls += (double)r->sample_iters[i];
    ASSERT_NEAR(calls, c.calls, 0);
    ASSERT_EQ(count_calls, (size_t)calls + 1);
    ASSERT_EQ((uint64_t)calls * 1000, c.counted);
    /* no counter: measured as before, nothing read */
    count_reads = 0;
    ASSERT_EQ(0, tool_suite_measure(d, "crypto/x/y/16", count_call, NULL, 16, &b, 1, &r));
    ASSERT_EQ(0, count_reads);
    tach__doc_free(d);
}

/* why cycles per byte were not measured: a VM's ENOENT is no such event, not "No such
 * file or directory" (the note said so) */
TEST(crypto_cycles_why)
{
    char b[160];
    ASSERT_STREQ("the kernel offers no CPU cycle counter here, as in many VMs (ENOENT)",
                 tool_crypto_cycles_why(ENOENT, b, sizeof b));
    ASSERT_TRUE(strstr(tool_crypto_cycles_why(EACCES, b, sizeof b), "perf_event_paranoid") != NULL);
    ASSERT_TRUE(strstr(tool_crypto_cycles_why(EMFILE, b, sizeof b), "Too many open files") != NULL);
}

TEST_MAIN()
