/* test_options.c - the table-driven option parser (src/core/options.c) and the tables
 * it reads: the benchmark binaries' (src/bench/runner.c) and the tool's commands'.
 * Each table's generated --help names every option the parser accepts, and the parser
 * accepts every option its --help names. */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "cli.h"
#include "options.h"
#include "run.h"
#include "runner.h"
#include "test.h"

typedef struct demo {
    bool flag;
    const char *str;
    long count;
    double real, pct, dur;
    uint64_t seed;
    int choice;
} demo;

static const char *const colours[] = {"red", "green", "blue", NULL};

#define OFF(f) offsetof(demo, f)
static const tach__opt demo_table[] = {
    {.kind = TACH__OPT_SECTION, .name = "demo:"},
    {TACH__OPT_FLAG, "flag", 'f', NULL, OFF(flag), 0, 0, 0, NULL, NULL, NULL, NULL, "a flag"},
    {TACH__OPT_STRING, "str", 's', "TEXT", OFF(str), 0, 0, 0, NULL, NULL, NULL, NULL, "a string"},
    {TACH__OPT_COUNT, "count", 'n', "N", OFF(count), 1, 64, 0, NULL, NULL, NULL, NULL, "a count"},
    {TACH__OPT_REAL, "real", 0, "X", OFF(real), 0, 1, TACH__OPT_LO_OPEN, NULL, NULL, NULL, NULL,
     "a real"},
    {TACH__OPT_PERCENT, "pct", 0, "PCT", OFF(pct), 0, 100, TACH__OPT_LO_OPEN | TACH__OPT_HI_OPEN,
     NULL, NULL, NULL, NULL, "a percentage"},
    {TACH__OPT_DURATION, "dur", 0, "S", OFF(dur), 0, INFINITY, TACH__OPT_LO_OPEN, NULL, NULL, NULL,
     NULL, "a duration\nover two lines"},
    {TACH__OPT_SEED, "seed", 0, "N", OFF(seed), 0, 0, 0, NULL, NULL, NULL, NULL, "a seed"},
    {TACH__OPT_ENUM, "colour", 0, "C", OFF(choice), 0, 0, 0, colours, NULL, NULL, NULL, "a colour"},
    {TACH__OPT_COUNT, "old-count", 0, "N", OFF(count), 1, 64, 0, NULL, NULL, NULL, "count", NULL},
};
#undef OFF
#define NDEMO (sizeof demo_table / sizeof *demo_table)

/* Parses the NULL-terminated words (argv[0] = "prog") into d; returns the parser's rc. */
static int parse(demo *d, char *err, tach__opt_result *res, char **words)
{
    int argc = 0;
    while (words[argc]) argc++;
    memset(d, 0, sizeof *d);
    return tach__opt_parse(demo_table, NDEMO, d, argc, words, 1, res, err);
}

TEST(both_spellings_and_short_aliases)
{
    demo d;
    char err[TACH__ERR_MAX];
    tach__opt_result res;
    char *w[] = {"prog", "--count=5", "-s", "hi", "--real", "0.5", "-f", "pos", "--dur=250ms",
                 "--pct", "2%", "--colour=blue", "--", "--flag", NULL};
    ASSERT_EQ(0, parse(&d, err, &res, w));
    ASSERT_EQ(5, d.count);
    ASSERT_STREQ("hi", d.str);
    ASSERT_NEAR(0.5, d.real, 0);
    ASSERT_TRUE(d.flag);
    ASSERT_NEAR(0.25, d.dur, 1e-12);
    ASSERT_NEAR(0.02, d.pct, 1e-12);
    ASSERT_EQ(2, d.choice);
    ASSERT_EQ(1, res.npos);
    ASSERT_STREQ("pos", res.pos[0]);
    ASSERT_TRUE(res.dashdash);
    ASSERT_EQ(13, res.rest);
    ASSERT_EQ(1, tach__opt_given(demo_table, NDEMO, &res, "count"));
    ASSERT_EQ(0, tach__opt_given(demo_table, NDEMO, &res, "seed"));
    tach__opt_result_free(&res);
    char *w2[] = {"prog", "-n7", "--old-count", "9", NULL};
    ASSERT_EQ(0, parse(&d, err, &res, w2));
    ASSERT_EQ(9, d.count); /* the old spelling stores where the new one does */
    tach__opt_result_free(&res);
}

TEST(seeds_are_decimal_or_hex_never_octal)
{
    uint64_t s = 0;
    ASSERT_EQ(0, tach__opt_parse_seed("010", &s));
    ASSERT_TRUE(s == 10);
    ASSERT_EQ(0, tach__opt_parse_seed("0x10", &s));
    ASSERT_TRUE(s == 16);
    ASSERT_EQ(0, tach__opt_parse_seed("18446744073709551615", &s));
    ASSERT_TRUE(s == UINT64_MAX);
    ASSERT_EQ(-1, tach__opt_parse_seed("-5", &s));
    ASSERT_EQ(-1, tach__opt_parse_seed("0x", &s));
    ASSERT_EQ(-2, tach__opt_parse_seed("18446744073709551616", &s)); /* too large, a seed */
    ASSERT_EQ(-2, tach__opt_parse_seed("0x10000000000000000", &s));
    ASSERT_TRUE(s == UINT64_MAX); /* untouched */
    ASSERT_EQ(-1, tach__opt_parse_seed("18446744073709551616x", &s));
    ASSERT_EQ(-1, tach__opt_parse_seed("", &s));
}

/* A count: digits; "-" and digits not all 0 is one below 0 (-3, said too small), digits
 * beyond a long -2, anything else -1, out untouched but for 0. */
TEST(counts_say_negative_apart)
{
    long c = 7;
    ASSERT_EQ(0, tach__opt_parse_count("12", &c));
    ASSERT_EQ(12, c);
    c = 7;
    ASSERT_EQ(-3, tach__opt_parse_count("-1", &c));
    ASSERT_EQ(-3, tach__opt_parse_count("-0010", &c));
    ASSERT_EQ(-3, tach__opt_parse_count("-99999999999999999999", &c));
    ASSERT_EQ(-2, tach__opt_parse_count("99999999999999999999", &c));
    static const char *const bad[] = {"", "-", "-0", "-00", "--1", "-+1", "- 1", "-1x", "-1.5", "+1", " 1"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (tach__opt_parse_count(bad[i], &c) != -1) fprintf(stderr, "  not -1: '%s'\n", bad[i]);
        ASSERT_EQ(-1, tach__opt_parse_count(bad[i], &c));
    }
    ASSERT_EQ(7, c);
}

/* One size reader for --max-input-size and tach suite's sizes (--sizes, --block,
 * --corpus-size, --file-size): any case; k, M, G, T alone or with i or iB in powers of
 * 1024, with B alone in powers of 1000 (tests/unit/test_sizes.c: .tach/config's the same). */
TEST(sizes_take_binary_and_decimal_units_in_any_case)
{
    static const struct { const char *s; uint64_t v; } ok[] = {
        {"0", 0},           {"16", 16},           {"16b", 16},         {"16B", 16},
        {"4k", 4096},       {"4K", 4096},         {"1kb", 1000},       {"64KiB", 65536},
        {"1ki", 1024},      {"1MB", 1000000},     {"1GB", 1000000000}, {"2TB", 2000000000000ULL},
        {"1MiB", 1048576},  {"64mb", 64000000},   {"100M", 104857600}, {"2G", 2147483648ULL},
        {"2GiB", 2147483648ULL}, {"1tib", 1099511627776ULL}, {"16777215T", 16777215ULL << 40},
        {"18446744073709551615", UINT64_MAX}, {"18446744TB", 18446744000000000000ULL}};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        uint64_t v = 7;
        if (tach__opt_parse_size(ok[i].s, &v) != 0) fprintf(stderr, "  refused '%s'\n", ok[i].s);
        ASSERT_EQ(0, tach__opt_parse_size(ok[i].s, &v));
        ASSERT_TRUE(v == ok[i].v);
    }
    static const char *const bad[] = {"", "k", "-1", "+1", " 1", "3x", "1kq", "1kbi", "1bib",
                                      "1 k", "1kB ", "1kibb", "1ib", "1B2", "1.5k", "0x10",
                                      "99999999999999999999x", "-99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        uint64_t v = 7;
        if (tach__opt_parse_size(bad[i], &v) != -1) fprintf(stderr, "  read '%s'\n", bad[i]);
        ASSERT_EQ(-1, tach__opt_parse_size(bad[i], &v));
        ASSERT_TRUE(v == 7);
    }
    /* sizes as written, only beyond 64 bits: -2, to be said too large (they were -1, "not a
     * size", where every other number too large for tach says so) */
    static const char *const big[] = {"16777216T", "17179869184G", "18446745TB", "18446744073709551616",
                                      "99999999999999999999", "99999999999999999999k"};
    for (size_t i = 0; i < sizeof big / sizeof *big; i++) {
        uint64_t v = 7;
        if (tach__opt_parse_size(big[i], &v) != -2) fprintf(stderr, "  not -2: '%s'\n", big[i]);
        ASSERT_EQ(-2, tach__opt_parse_size(big[i], &v));
        ASSERT_TRUE(v == 7);
    }
    uint64_t v;
    ASSERT_EQ(-1, tach__opt_parse_size(NULL, &v));
}

TEST(durations_take_one_set_of_units)
{
    double d = 0;
    ASSERT_EQ(0, tach__opt_parse_duration("2", &d));
    ASSERT_NEAR(2, d, 0);
    ASSERT_EQ(0, tach__opt_parse_duration("1.5s", &d));
    ASSERT_NEAR(1.5, d, 0);
    ASSERT_EQ(0, tach__opt_parse_duration("2ms", &d));
    ASSERT_NEAR(0.002, d, 1e-15);
    ASSERT_EQ(0, tach__opt_parse_duration("500us", &d));
    ASSERT_NEAR(500e-6, d, 1e-15);
    ASSERT_EQ(0, tach__opt_parse_duration("100ns", &d));
    ASSERT_NEAR(100e-9, d, 1e-18);
    ASSERT_EQ(0, tach__opt_parse_duration("2m", &d));
    ASSERT_NEAR(120, d, 0);
    ASSERT_EQ(-1, tach__opt_parse_duration("1x", &d));
    ASSERT_EQ(-1, tach__opt_parse_duration("soon", &d));
    ASSERT_EQ(-1, tach__opt_parse_duration("nan", &d));
    ASSERT_EQ(-1, tach__opt_parse_duration("inf", &d));
    ASSERT_EQ(-1, tach__opt_parse_duration("", &d));
    /* a finite number that a unit makes infinite (1e306 hours) */
    ASSERT_EQ(-2, tach__opt_parse_duration("1e306h", &d));
    ASSERT_TRUE(isinf(d) && d > 0);
    ASSERT_EQ(-2, tach__opt_parse_duration("1e308m", &d));
    ASSERT_EQ(-2, tach__opt_parse_duration("1e400s", &d));
    ASSERT_EQ(-2, tach__opt_parse_duration("-1e306h", &d));
    ASSERT_TRUE(isinf(d) && d < 0);
    ASSERT_EQ(-1, tach__opt_parse_duration("1e400x", &d));
    /* "-0" is zero, not negative zero, which printed back as "-0 s warm-up" */
    ASSERT_EQ(0, tach__opt_parse_duration("-0", &d));
    ASSERT_TRUE(d == 0 && !signbit(d));
    ASSERT_EQ(0, tach__opt_parse_duration("-0.0ms", &d));
    ASSERT_TRUE(!signbit(d));
}

/* A duration beyond TACH__OPT_DURATION_MAX is refused even where the row sets no upper
 * bound: 1e300 s, turned into nanoseconds in an integer, was undefined behaviour. */
TEST(reals_are_decimal_as_written)
{
    double d = 0;
    char *end = NULL;
    ASSERT_EQ(0, tach__opt_parse_real("2.5%", &d, &end));
    ASSERT_NEAR(2.5, d, 0);
    ASSERT_STREQ("%", end);
    ASSERT_EQ(0, tach__opt_parse_real("-4e2", &d, &end));
    ASSERT_NEAR(-400, d, 0);
    ASSERT_EQ(0, tach__opt_parse_real("1.5 GiB", &d, &end));
    ASSERT_STREQ(" GiB", end);
    ASSERT_EQ(-1, tach__opt_parse_real("0x1p3", &d, &end)); /* strtod's hex float: 8 */
    ASSERT_EQ(-1, tach__opt_parse_real("0x10MB", &d, &end));
    ASSERT_EQ(-1, tach__opt_parse_real("inf", &d, &end));
    ASSERT_EQ(-1, tach__opt_parse_real("nan", &d, &end));
    ASSERT_EQ(-1, tach__opt_parse_real(" 2", &d, &end));
    ASSERT_EQ(-1, tach__opt_parse_real("", &d, &end));
    /* a number beyond a double is too large, not "not a number" (-2, its sign's
     * infinity); one too close to 0 for a double is read as strtod rounds it */
    ASSERT_EQ(-2, tach__opt_parse_real("1e999", &d, &end));
    ASSERT_TRUE(isinf(d) && d > 0);
    ASSERT_EQ(-2, tach__opt_parse_real("-1e400s", &d, &end));
    ASSERT_TRUE(isinf(d) && d < 0);
    ASSERT_STREQ("s", end);
    /* one above 0 too close to 0 for a double (0, or a subnormal) is said apart (-3, d 0):
     * read as strtod rounds it, 1e-400 was a 0 SLO bound where it was refused */
    ASSERT_EQ(-3, tach__opt_parse_real("1e-400", &d, &end));
    ASSERT_NEAR(0, d, 0);
    ASSERT_EQ(-3, tach__opt_parse_real("1e-310", &d, &end));
    ASSERT_NEAR(0, d, 0);
    ASSERT_EQ(0, tach__opt_parse_real("0e-400", &d, &end));
    ASSERT_EQ(-3, tach__opt_parse_duration("1e-400s", &d));
    ASSERT_EQ(-3, tach__opt_parse_duration("1e-300ns", &d)); /* 1e-309 s */
    ASSERT_NEAR(0, d, 0);
    ASSERT_EQ(0, tach__opt_parse_duration("1e-300s", &d));
}

/* Values written as numbers but beyond what a long or a double holds were "not a count",
 * "not a number", "not a duration": they are too large (or too small), as 65 is. */
TEST(numbers_beyond_their_type_are_out_of_range)
{
    demo d;
    char err[TACH__ERR_MAX];
    tach__opt_result res;
    static const struct { const char *arg, *want; } cases[] = {
        {"--count=99999999999999999999", "--count: '99999999999999999999' is too large, expected a whole number from 1 to 64"},
        /* a negative count is a whole number below the least (it was "not a count", where a
         * negative --rate was "too small") */
        {"--count=-1", "--count: '-1' is too small, expected a whole number from 1 to 64"},
        {"--count=-007", "--count: '-007' is too small, expected a whole number from 1 to 64"},
        {"--count=-99999999999999999999", "--count: '-99999999999999999999' is too small, expected a whole number from 1 to 64"},
        {"--real=1e400", "--real: '1e400' is too large, expected a number above 0 and at most 1"},
        {"--real=-1e400", "--real: '-1e400' is too small, expected a number above 0 and at most 1"},
        {"--real=1e-400", "--real: '1e-400' is too small, expected a number above 0 and at most 1"},
        {"--real=1e-310", "--real: '1e-310' is too small, expected a number above 0 and at most 1"},
        {"--pct=1e-400%", "--pct: '1e-400%' is too small, expected a percentage above 0%"},
        {"--dur=1e-300ns", "--dur: '1e-300ns' is too small, expected seconds above 0 s"},
        {"--pct=1e400%", "--pct: '1e400%' is too large, expected a percentage above 0% and below 100%"},
        {"--dur=1e400", "--dur: '1e400' is too large, expected seconds above 0 s"},
        {"--dur=1e400ms", "--dur: '1e400ms' is too large, expected seconds above 0 s"},
        {"--dur=-1e400s", "--dur: '-1e400s' is too small, expected seconds above 0 s"},
        {"--seed=18446744073709551616", "--seed: '18446744073709551616' is too large, expected a whole number below 2^64"},
        {"--seed=0x10000000000000000", "--seed: '0x10000000000000000' is too large"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *w[] = {"prog", (char *)cases[i].arg, NULL};
        ASSERT_EQ(-1, parse(&d, err, &res, w));
        if (strncmp(err, cases[i].want, strlen(cases[i].want)) != 0)
            TEST__FAIL("%s: got \"%s\", expected it to start \"%s\"", cases[i].arg, err, cases[i].want);
        tach__opt_result_free(&res);
    }
    /* still not numbers */
    const char *junk[] = {"--real=1e400x", "--count=1e400", "--dur=1e400xs", "--pct=1e400%%",
                          "--seed=18446744073709551616x", "--count=-0", "--count=-", "--count=-1.5",
                          "--count=--1", "--count=-1x", "--count=- 1"};
    for (size_t i = 0; i < sizeof junk / sizeof *junk; i++) {
        char *w[] = {"prog", (char *)junk[i], NULL};
        ASSERT_EQ(-1, parse(&d, err, &res, w));
        if (!strstr(err, "is not a")) TEST__FAIL("%s: got \"%s\"", junk[i], err);
        tach__opt_result_free(&res);
    }
}

TEST(durations_have_an_upper_bound)
{
    demo d;
    char err[TACH__ERR_MAX];
    tach__opt_result res;
    const char *bad[] = {"--dur=1e300", "--dur=1e10", "--dur=1e306h", "--dur=2e7m"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *w[] = {"prog", (char *)bad[i], NULL};
        ASSERT_EQ(-1, parse(&d, err, &res, w));
        ASSERT_TRUE(strstr(err, "is too large, expected seconds above 0 s and at most 1000000000 s") != NULL);
        ASSERT_TRUE(strstr(err, bad[i] + 6) != NULL); /* the value named */
        tach__opt_result_free(&res);
    }
    char *ok[] = {"prog", "--dur=1e9", NULL};
    ASSERT_EQ(0, parse(&d, err, &res, ok));
    ASSERT_NEAR(1e9, d.dur, 0);
    tach__opt_result_free(&res);
    /* a number then no unit's name is not a duration, not a too long one ("1.5.s" was
     * read as 1.5 then "1.s", a unit of 1 s: "too large") */
    const char *malformed[] = {"--dur=1.5.s", "--dur=5e5e3s", "--dur=2.5.5ms"};
    for (size_t i = 0; i < sizeof malformed / sizeof *malformed; i++) {
        char *w[] = {"prog", (char *)malformed[i], NULL};
        ASSERT_EQ(-1, parse(&d, err, &res, w));
        ASSERT_TRUE(strstr(err, "is not a duration") != NULL);
        ASSERT_TRUE(strstr(err, "too large") == NULL);
        ASSERT_TRUE(strstr(err, malformed[i] + 6) != NULL);
        tach__opt_result_free(&res);
    }
}

TEST(one_message_style)
{
    demo d;
    char err[TACH__ERR_MAX];
    tach__opt_result res;
    char *w[] = {"prog", "--count", "0", NULL};
    ASSERT_EQ(-1, parse(&d, err, &res, w));
    ASSERT_STREQ("--count: '0' is too small, expected a whole number from 1 to 64", err);
    tach__opt_result_free(&res);
    char *w1[] = {"prog", "--count", "1.5", NULL};
    ASSERT_EQ(-1, parse(&d, err, &res, w1));
    ASSERT_STREQ("--count: '1.5' is not a count, expected a whole number from 1 to 64", err);
    tach__opt_result_free(&res);
    char *w1b[] = {"prog", "--count", "65", NULL};
    ASSERT_EQ(-1, parse(&d, err, &res, w1b));
    ASSERT_STREQ("--count: '65' is too large, expected a whole number from 1 to 64", err);
    tach__opt_result_free(&res);
    char *w2[] = {"prog", "--dur=soon", NULL};
    ASSERT_EQ(-1, parse(&d, err, &res, w2));
    ASSERT_TRUE(!strncmp(err, "--dur: 'soon' is not a duration, expected seconds above 0", 57));
    tach__opt_result_free(&res);
    char *w3[] = {"prog", "--colour", "gren", NULL};
    ASSERT_EQ(-1, parse(&d, err, &res, w3));
    ASSERT_STREQ("--colour: 'gren' is not one of the choices, expected red, green or blue "
                 "(did you mean green?)", err);
    tach__opt_result_free(&res);
    char *w4[] = {"prog", "--cuont", "3", NULL};
    ASSERT_EQ(-1, parse(&d, err, &res, w4));
    ASSERT_STREQ("unknown option '--cuont' (did you mean --count?)", err);
    tach__opt_result_free(&res);
    char *w5[] = {"prog", "--flag=1", NULL};
    ASSERT_EQ(-1, parse(&d, err, &res, w5));
    ASSERT_TRUE(strstr(err, "takes no value") != NULL);
    tach__opt_result_free(&res);
    char *w6[] = {"prog", "--str", NULL};
    ASSERT_EQ(-1, parse(&d, err, &res, w6));
    ASSERT_STREQ("--str needs a value TEXT", err);
    tach__opt_result_free(&res);
    char *w7[] = {"prog", "--zzzzzz", NULL};
    ASSERT_EQ(-1, parse(&d, err, &res, w7));
    ASSERT_STREQ("unknown option '--zzzzzz' (see --help)", err);
    tach__opt_result_free(&res);
}

TEST(suggestions_only_when_close)
{
    const char *const cmds[] = {"run", "report", "compare", "record"};
    ASSERT_STREQ("run", tach__opt_suggest("runn", cmds, 4));
    ASSERT_STREQ("compare", tach__opt_suggest("compaer", cmds, 4));
    ASSERT_TRUE(tach__opt_suggest("zebra", cmds, 4) == NULL);
    /* two neighbours swapped are one edit: "rnu" (a 3-letter word allows one) */
    ASSERT_STREQ("run", tach__opt_suggest("rnu", cmds, 4));
    const char *const gate[] = {"gate", "gc"};
    ASSERT_STREQ("gate", tach__opt_suggest("gaet", gate, 2));
}

/* ---- every table: help and parser agree ------------------------------------------------ */

/* Checks that each option the help text names (--name) is in the table (so the parser
 * accepts it), and each row of the table appears in the help. */
static void check_table(const char *what, const tach__opt *t, size_t n)
{
    tach__buf b = {0};
    tach__opt_help(t, n, &b);
    char *help = tach__buf_take(&b);
    ASSERT_TRUE(help != NULL);
    for (const char *p = help; (p = strstr(p, "--")) != NULL;) {
        p += 2;
        size_t len = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789-");
        if (!len) continue;
        bool found = false;
        for (size_t i = 0; i < n && !found; i++)
            found = t[i].kind != TACH__OPT_SECTION && strlen(t[i].name) == len &&
                    !strncmp(t[i].name, p, len);
        if (!found) TEST__FAIL("%s: --help names --%.*s, which the parser refuses", what, (int)len, p);
    }
    for (size_t i = 0; i < n; i++) {
        if (t[i].kind == TACH__OPT_SECTION) continue;
        char want[96];
        snprintf(want, sizeof want, "--%s", t[i].name);
        const char *at = help;
        bool found = false;
        while (!found && (at = strstr(at, want)) != NULL) {
            char next = at[strlen(want)];
            found = !(next >= 'a' && next <= 'z') && next != '-';
            at++;
        }
        if (!found) TEST__FAIL("%s: %s is accepted but not in --help", what, want);
        if (t[i].short_name) {
            snprintf(want, sizeof want, "-%c, --%s", t[i].short_name, t[i].name);
            if (!strstr(help, want)) TEST__FAIL("%s: -%c is accepted but not in --help", what, t[i].short_name);
        }
        if (!t[i].help && !t[i].alias_of) TEST__FAIL("%s: --%s has no help", what, t[i].name);
    }
    tach__free(help);
}

TEST(benchmark_binary_table_and_help_agree)
{
    size_t n;
    const tach__opt *t = tach__runner_options(&n);
    check_table("benchmark binary", t, n);
}

TEST(tach_run_table_and_help_agree)
{
    size_t n;
    const tach__opt *t = cli_run_options(&n);
    check_table("tach run", t, n);
}

TEST(tach_ab_table_and_help_agree)
{
    size_t n;
    const tach__opt *t = cli_ab_options(&n);
    check_table("tach ab", t, n);
}

TEST(every_command_table_and_help_agree)
{
    /* every subcommand in cli/commands.def has a table, walked here */
    size_t walked = 0;
#define TACH_CMD(cmd, summary)                                                                \
    do {                                                                                       \
        size_t n = 0;                                                                          \
        const tach__opt *t = cli_##cmd##_options(&n);                                          \
        ASSERT_TRUE(t != NULL && n > 0);                                                       \
        check_table("tach " #cmd, t, n);                                                      \
        bool has_help = false;                                                                 \
        for (size_t i = 0; i < n; i++)                                                         \
            has_help = has_help || (t[i].kind == TACH__OPT_FLAG && !strcmp(t[i].name, "help") && \
                                    t[i].short_name == 'h');                                   \
        if (!has_help) TEST__FAIL("tach %s: no -h, --help row", #cmd);                         \
        walked++;                                                                              \
    } while (0);
#include "commands.def"
#undef TACH_CMD
    /* as many as commands.def lists, counted apart from the walk */
    static const int listed = 0
#define TACH_CMD(cmd, summary) +1
#include "commands.def"
#undef TACH_CMD
        ;
    ASSERT_TRUE(listed >= 18);
    ASSERT_EQ(listed, (int)walked);
}

/* A value written --opt=value or --opt value is read the same by every command's table;
 * an unknown option is refused with a suggestion. */
TEST(every_command_takes_both_spellings)
{
#define TACH_CMD(cmd, summary)                                                                \
    do {                                                                                       \
        size_t n = 0;                                                                          \
        const tach__opt *t = cli_##cmd##_options(&n);                                          \
        char err[TACH__ERR_MAX];                                                               \
        tach__opt_result res;                                                                  \
        char *bad[] = {#cmd, "--helpp", NULL};                                                 \
        unsigned char base[4096] = {0};                                                        \
        ASSERT_EQ(-1, tach__opt_parse(t, n, base, 2, bad, 1, &res, err));                      \
        ASSERT_STREQ("unknown option '--helpp' (did you mean --help?)", err);                   \
        tach__opt_result_free(&res);                                                           \
    } while (0);
#include "commands.def"
#undef TACH_CMD
}

/* tach suite --sizes's help names the suites that take it, written from the set that
 * refuses it to the others (cmd_suite.c's owned[]), not by hand. */
TEST(suite_sizes_help_names_its_suites)
{
    size_t n = 0;
    const tach__opt *t = cli_suite_options(&n);
    const char *help = NULL;
    for (size_t i = 0; i < n; i++)
        if (t[i].kind != TACH__OPT_SECTION && !strcmp(t[i].name, "sizes")) help = t[i].help;
    ASSERT_TRUE(help != NULL);
    ASSERT_TRUE(!strncmp(help, "buffer or message sizes, e.g. 16,64,1k,1MiB (crypto, bus;\n", 58));
}

TEST(demo_table_and_help_agree)
{
    check_table("demo", demo_table, NDEMO);
}

TEST_MAIN()
