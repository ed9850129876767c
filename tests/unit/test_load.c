/* test_load.c - the load engine's pure parts: schedules, mixes, targets and their
 * weights, --ramp, the settings' checks and argv, the invalid rule, and the --slo
 * syntax and its check against a document.  Every expected value is worked out by hand
 * from the definitions in docs/load.md (noted beside each). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latency.h"
#include "load.h"
#include "load_cli.h"
#include "slo.h"
#include "test.h"

static void cfg_open(tach__load_cfg *c, double rate, int arrivals)
{
    tach__load_cfg_default(c);
    c->model = TACH__LOAD_OPEN;
    c->nstages = 1;
    c->stages[0].rate = rate;
    c->stages[0].duration_s = 1e9;
    c->arrivals = arrivals;
}

TEST(constant_schedule_is_evenly_spaced_and_threads_interleave)
{
    tach__load_cfg c;
    cfg_open(&c, 1000, TACH__ARRIVALS_CONSTANT);
    /* one thread at 1000/s: 0, 1 ms, 2 ms ... */
    tach__sched s;
    tach__sched_init(&s, &c, 0, 1);
    ASSERT_NEAR(0.000, tach__sched_next(&s), 1e-12);
    ASSERT_NEAR(0.001, tach__sched_next(&s), 1e-12);
    ASSERT_NEAR(0.002, tach__sched_next(&s), 1e-12);
    /* two threads share it: thread 0 at 0, 2, 4 ms; thread 1 at 1, 3, 5 ms */
    tach__sched a, b;
    tach__sched_init(&a, &c, 0, 2);
    tach__sched_init(&b, &c, 1, 2);
    ASSERT_NEAR(0.000, tach__sched_next(&a), 1e-12);
    ASSERT_NEAR(0.001, tach__sched_next(&b), 1e-12);
    ASSERT_NEAR(0.002, tach__sched_next(&a), 1e-12);
    ASSERT_NEAR(0.003, tach__sched_next(&b), 1e-12);
}

TEST(stages_change_the_rate_at_their_end)
{
    tach__load_cfg c;
    tach__load_cfg_default(&c);
    char err[TACH__ERR_MAX];
    ASSERT_EQ(0, tach__load_parse_ramp(&c, "10:1s,100:500ms", err));
    ASSERT_EQ(2, c.nstages);
    ASSERT_EQ(TACH__LOAD_OPEN, c.model);
    ASSERT_NEAR(0.5, c.stages[1].duration_s, 1e-12);
    tach__sched s;
    tach__sched_init(&s, &c, 0, 1);
    /* 10/s: 0, 0.1, ... 1.0 (the gap is the rate at its start); then 100/s: 1.01,
     * 1.02 ... and on past the last stage's end (1.5 s) */
    double t = 0;
    for (int i = 0; i < 11; i++) t = tach__sched_next(&s);
    ASSERT_NEAR(1.0, t, 1e-9);
    ASSERT_NEAR(1.01, tach__sched_next(&s), 1e-9);
    for (int i = 0; i < 60; i++) t = tach__sched_next(&s);
    ASSERT_NEAR(1.61, t, 1e-9);
}

/* A gap that runs past its stage's end goes on at the next stage's rate: taken whole at
 * the rate where it began, 0.2/s's 5 s gap skipped all of a next stage of 100/s
 * ('0.2:2s,100:3s' sent one request in 5 s). */
TEST(a_slow_stage_does_not_skip_the_next_one)
{
    tach__load_cfg c;
    tach__load_cfg_default(&c);
    char err[TACH__ERR_MAX];
    ASSERT_EQ(0, tach__load_parse_ramp(&c, "0.2:2s,100:3s", err));
    tach__sched s;
    tach__sched_init(&s, &c, 0, 1);
    ASSERT_NEAR(0.0, tach__sched_next(&s), 1e-9);
    /* 0.4 of the gap at 0.2/s by 2 s, the other 0.6 at 100/s */
    ASSERT_NEAR(2.006, tach__sched_next(&s), 1e-9);
    ASSERT_NEAR(2.016, tach__sched_next(&s), 1e-9);
    int n = 3;
    while (tach__sched_next(&s) < 5 - 1e-9) n++;
    ASSERT_EQ(301, n); /* 1 at 0.2/s, 300 at 100/s */
    /* Poisson: about 300 in the 100/s stage (sd 17), whatever the first stage's gap */
    c.arrivals = TACH__ARRIVALS_POISSON;
    tach__sched_init(&s, &c, 0, 1);
    int fast = 0;
    for (double t; (t = tach__sched_next(&s)) < 5;) fast += t >= 2;
    ASSERT_TRUE(fast > 200 && fast < 400);
    /* two threads, skipped at once: as one by one */
    c.arrivals = TACH__ARRIVALS_CONSTANT;
    for (int th = 0; th < 2; th++) {
        tach__sched a, b;
        tach__sched_init(&a, &c, th, 2);
        tach__sched_init(&b, &c, th, 2);
        uint64_t na = tach__sched_next_ns(&a, 0), nb = tach__sched_next_ns(&b, 0);
        int64_t by_hand = 0;
        for (; nb < 4000000000u; nb = tach__sched_next_ns(&b, 0)) by_hand += nb >= 1000000000u;
        ASSERT_EQ(by_hand, tach__sched_skip_ns(&a, 0, &na, 1000000000u, 4000000000u));
        ASSERT_EQ(nb, na);
        ASSERT_TRUE(by_hand >= 99 && by_hand <= 101); /* [2 s, 4 s) at 50/s a thread */
    }
}

/* An arrival beyond 2^63 ns (a rate the checks refuse, 1e-300: its gap 1e300 s) had
 * llround's no-value, 2^63 on x86-64, which from a start past 2^63 ns wrapped round to
 * before it: held at 2^62 ns after the start, past any run's end. */
TEST(an_arrival_past_any_run_is_held_after_the_start)
{
    tach__load_cfg c;
    cfg_open(&c, 1e-300, TACH__ARRIVALS_CONSTANT);
    tach__sched s;
    tach__sched_init(&s, &c, 1, 2); /* thread 1 of 2: its first arrival 1e300 s on */
    uint64_t start = (uint64_t)1 << 63;
    uint64_t t = tach__sched_next_ns(&s, start);
    ASSERT_TRUE(t == start + ((uint64_t)1 << 62));
    ASSERT_TRUE(tach__sched_next_ns(&s, start) == t);
}

TEST(poisson_schedule_has_the_rate_on_average_and_is_seeded)
{
    tach__load_cfg c;
    cfg_open(&c, 1000, TACH__ARRIVALS_POISSON);
    tach__sched s, s2;
    tach__sched_init(&s, &c, 0, 1);
    tach__sched_init(&s2, &c, 0, 1);
    double t = 0;
    int n = 100000;
    for (int i = 0; i < n; i++) {
        t = tach__sched_next(&s);
        ASSERT_TRUE(t == tach__sched_next(&s2)); /* the same seed, the same arrivals */
    }
    /* the sum of n exponential gaps of mean 1 ms: 100 s with sd 100 s / sqrt(n) = 0.32 s */
    ASSERT_NEAR(100.0, t, 1.6);
}

/* Counts one by one what tach__sched_skip_ns counts at once: the arrivals from *next
 * before until, those at or after from. */
static int64_t skip_by_hand(tach__sched *s, uint64_t *next, uint64_t from, uint64_t until)
{
    int64_t n = 0;
    for (; *next < until; *next = tach__sched_next_ns(s, 0)) n += *next >= from;
    return n;
}

TEST(skipping_constant_arrivals_counts_them_as_one_by_one)
{
    /* 1000/s from 0: the 100 before 0.1 s passed over; then [0.1 s, 2.5 s) holds the
     * arrivals 100 ms ... 2499 ms, of them 1500 from 1 s on; the next is 2.5 s */
    tach__load_cfg c;
    cfg_open(&c, 1000, TACH__ARRIVALS_CONSTANT);
    tach__sched s;
    tach__sched_init(&s, &c, 0, 1);
    uint64_t next = tach__sched_next_ns(&s, 0);
    ASSERT_EQ(0, tach__sched_skip_ns(&s, 0, &next, 100000000, 100000000)); /* none counted */
    ASSERT_EQ(100000000u, next);
    ASSERT_EQ(1500, tach__sched_skip_ns(&s, 0, &next, 1000000000, 2500000000u));
    ASSERT_EQ(2500000000u, next);
    ASSERT_EQ(2500000000u + 1000000u, tach__sched_next_ns(&s, 0)); /* and on from there */
    /* stages (10/s for 1 s, then 100/s) and two threads: the same counts as one by one */
    ASSERT_EQ(0, tach__load_parse_ramp(&c, "10:1s,100:500ms", (char[TACH__ERR_MAX]){0}));
    for (int th = 0; th < 2; th++) {
        tach__sched a, b;
        tach__sched_init(&a, &c, th, 2);
        tach__sched_init(&b, &c, th, 2);
        uint64_t na = tach__sched_next_ns(&a, 0), nb = tach__sched_next_ns(&b, 0);
        ASSERT_EQ(skip_by_hand(&b, &nb, 300000000, 1234567890),
                  tach__sched_skip_ns(&a, 0, &na, 300000000, 1234567890));
        ASSERT_EQ(nb, na);
        ASSERT_EQ(skip_by_hand(&b, &nb, 0, 7000000000u), tach__sched_skip_ns(&a, 0, &na, 0, 7000000000u));
        ASSERT_EQ(nb, na);
    }
    /* 1e9/s for 1e6 s, the most --rate and --duration take: 1e15 arrivals counted at once
     * (one by one, a sender's end took days; the test would time out) */
    cfg_open(&c, 1e9, TACH__ARRIVALS_CONSTANT);
    tach__sched_init(&s, &c, 0, 1);
    next = tach__sched_next_ns(&s, 0);
    int64_t n = tach__sched_skip_ns(&s, 0, &next, 0, 1000000000000000u);
    ASSERT_TRUE(llabs(n - 1000000000000000) <= 1);
    ASSERT_TRUE(next >= 1000000000000000u && next <= 1000000000000000u + 2);
}

TEST(skipping_poisson_arrivals_draws_their_count)
{
    /* 1000/s over 10 s: about 10000 (sd 100), the next one after the end */
    tach__load_cfg c;
    cfg_open(&c, 1000, TACH__ARRIVALS_POISSON);
    tach__sched s;
    tach__sched_init(&s, &c, 0, 1);
    uint64_t next = tach__sched_next_ns(&s, 0);
    int64_t n = tach__sched_skip_ns(&s, 0, &next, 0, 10000000000u);
    ASSERT_TRUE(llabs(n - 10000) < 500);
    ASSERT_TRUE(next >= 10000000000u);
    /* and many short skips (the exponential gaps' count) add up the same way */
    tach__sched_init(&s, &c, 0, 1);
    next = tach__sched_next_ns(&s, 0);
    n = 0;
    for (uint64_t t = 1; t <= 10000; t++) n += tach__sched_skip_ns(&s, 0, &next, 0, t * 1000000u);
    ASSERT_TRUE(llabs(n - 10000) < 500);
    /* 1e9/s for 1e6 s: the normal approximation, within 5 sd (3.2e7) */
    cfg_open(&c, 1e9, TACH__ARRIVALS_POISSON);
    tach__sched_init(&s, &c, 0, 1);
    next = tach__sched_next_ns(&s, 0);
    n = tach__sched_skip_ns(&s, 0, &next, 0, 1000000000000000u);
    ASSERT_TRUE(llabs(n - 1000000000000000) < 160000000);
    ASSERT_TRUE(next >= 1000000000000000u);
}

TEST(mix_deals_exact_shares_from_each_deck)
{
    tach__load_cfg c;
    tach__load_cfg_default(&c);
    char err[TACH__ERR_MAX];
    ASSERT_EQ(0, tach__load_add_target(&c, "safe:70", false, err));
    ASSERT_EQ(0, tach__load_add_target(&c, "risky:20", false, err));
    ASSERT_EQ(0, tach__load_add_target(&c, "complex:10", false, err));
    tach__mix m;
    tach__mix_init(&m, &c, 42);
    int count[3] = {0};
    for (int i = 0; i < 3 * TACH__MIX_DECK; i++) count[tach__mix_pick(&m)]++;
    /* three whole decks of 700 + 200 + 100 cards */
    ASSERT_EQ(2100, count[0]);
    ASSERT_EQ(600, count[1]);
    ASSERT_EQ(300, count[2]);
    /* shuffled: the first 10 cards are not all the same operation */
    tach__mix_init(&m, &c, 42);
    int first = (int)tach__mix_pick(&m), same = 1;
    for (int i = 1; i < 10; i++) same &= (int)tach__mix_pick(&m) == first;
    ASSERT_TRUE(!same);
    tach__load_cfg_clear(&c);
}

TEST(mix_gives_a_tiny_weight_one_card)
{
    tach__load_cfg c;
    tach__load_cfg_default(&c);
    char err[TACH__ERR_MAX];
    ASSERT_EQ(0, tach__load_add_target(&c, "big:100000", false, err));
    ASSERT_EQ(0, tach__load_add_target(&c, "tiny:1", false, err));
    tach__mix m;
    tach__mix_init(&m, &c, 1);
    int tiny = 0;
    for (int i = 0; i < TACH__MIX_DECK; i++) tiny += tach__mix_pick(&m) == 1;
    ASSERT_EQ(1, tiny);
    tach__load_cfg_clear(&c);
}

TEST(targets_and_weights)
{
    tach__load_cfg c;
    tach__load_cfg_default(&c);
    char err[TACH__ERR_MAX];
    ASSERT_EQ(0, tach__load_add_target(&c, "get", false, err));
    ASSERT_NEAR(1.0, c.targets[0].weight, 0);
    ASSERT_EQ(0, tach__load_add_target(&c, "put:2.5", false, err));
    ASSERT_STREQ("put", c.targets[1].name);
    ASSERT_NEAR(2.5, c.targets[1].weight, 0);
    ASSERT_EQ(-1, tach__load_add_target(&c, "del:0", false, err));
    ASSERT_TRUE(strstr(err, "the weight '0' is not a positive number") != NULL);
    ASSERT_EQ(-1, tach__load_add_target(&c, "del:-3", false, err));
    ASSERT_EQ(-1, tach__load_add_target(&c, "del:nan", false, err));
    ASSERT_EQ(-1, tach__load_add_target(&c, ":3", false, err));
    ASSERT_EQ(-1, tach__load_add_target(&c, "get:4", false, err));
    ASSERT_TRUE(strstr(err, "given twice") != NULL);
    /* URLs: a port is not a weight; a number after the path is */
    ASSERT_EQ(0, tach__load_add_target(&c, "http://127.0.0.1:8080", true, err));
    ASSERT_STREQ("http://127.0.0.1:8080", c.targets[2].name);
    ASSERT_NEAR(1.0, c.targets[2].weight, 0);
    ASSERT_EQ(0, tach__load_add_target(&c, "http://127.0.0.1:8080/a:30", true, err));
    ASSERT_STREQ("http://127.0.0.1:8080/a", c.targets[3].name);
    ASSERT_NEAR(30.0, c.targets[3].weight, 0);
    ASSERT_EQ(-1, tach__load_add_target(&c, "http://127.0.0.1:8080/a:b", true, err));
    tach__load_cfg_clear(&c);
}

TEST(settings_checks_name_the_flag)
{
    tach__load_cfg c;
    tach__load_cfg_default(&c);
    char err[TACH__ERR_MAX];
    ASSERT_EQ(0, tach__load_add_target(&c, "get", false, err));
    c.duration_s = 1;
    c.warmup_s = 2;
    ASSERT_EQ(-1, tach__load_cfg_check(&c, err));
    ASSERT_STREQ("--duration: 1s is shorter than --warmup 2s", err);
    c.warmup_s = 0;
    ASSERT_EQ(0, tach__load_cfg_check(&c, err));
    /* a series of more intervals than a run can keep (each a histogram): refused before
     * anything is allocated, not a run that grows by gigabytes */
    c.duration_s = 2000;
    c.interval_s = 0.001;
    ASSERT_EQ(-1, tach__load_cfg_check(&c, err));
    ASSERT_STREQ("--interval: 0.001s over --duration 2000s makes 2000000 intervals; at most 1000000 "
                 "(a longer --interval)", err);
    c.duration_s = 1000;
    ASSERT_EQ(0, tach__load_cfg_check(&c, err));
    c.duration_s = 1;
    c.interval_s = 1;
    ASSERT_EQ(-1, tach__load_parse_ramp(&c, "100", err));
    ASSERT_EQ(-1, tach__load_parse_ramp(&c, "100:0s", err));
    ASSERT_EQ(-1, tach__load_parse_ramp(&c, "", err));
    /* a stage's rate bounded as --rate's (1e12 hung the generator past SIGTERM), its
     * duration as every duration (1e300 s was taken) */
    ASSERT_EQ(-1, tach__load_parse_ramp(&c, "1e12:1s", err));
    ASSERT_TRUE(strstr(err, "the rate '1e12' is too large, expected a number from 1e-06 to 1000000000") != NULL);
    /* and below (1e-320's gap was infinite: the schedule NaN, a URL's event loop spun on it
     * past SIGTERM) */
    ASSERT_EQ(-1, tach__load_parse_ramp(&c, "1e-320:1s", err));
    ASSERT_TRUE(strstr(err, "the rate '1e-320' is too small, expected a number from 1e-06 to 1000000000") != NULL);
    ASSERT_EQ(-1, tach__load_parse_ramp(&c, "100:1s,1e-7:1s", err));
    ASSERT_TRUE(strstr(err, "the rate '1e-7' is too small") != NULL);
    ASSERT_EQ(-1, tach__load_parse_ramp(&c, "x:1s", err));
    ASSERT_TRUE(strstr(err, "the rate 'x' is not a number") != NULL);
    ASSERT_EQ(0, tach__load_parse_ramp(&c, "1e-6:1s", err));
    ASSERT_EQ(-1, tach__load_parse_ramp(&c, "100:1e300", err));
    ASSERT_STREQ("--ramp: the duration '1e300' is too large, expected one above 0 s and at most "
                 "1000000000 s", err);
    ASSERT_EQ(-1, tach__load_parse_ramp(&c, "100:2e9s", err));
    ASSERT_TRUE(strstr(err, "the duration '2e9s' is too large") != NULL);
    ASSERT_EQ(-1, tach__load_parse_ramp(&c, "100:1e400s", err)); /* beyond a double */
    ASSERT_TRUE(strstr(err, "the duration '1e400s' is too large") != NULL);
    ASSERT_EQ(-1, tach__load_parse_ramp(&c, "100:soon", err));
    ASSERT_TRUE(strstr(err, "the duration 'soon' is not a duration") != NULL);
    ASSERT_EQ(0, tach__load_parse_ramp(&c, "1e9:1e9", err)); /* what --rate's argv passes */
    /* --ramp without --duration: the stages' total less the warm-up */
    ASSERT_EQ(0, tach__load_parse_ramp(&c, "100:30s,1000:60s", err));
    c.warmup_s = 5;
    ASSERT_EQ(0, tach__load_cfg_finish(&c, false, false, true, err));
    ASSERT_NEAR(85.0, c.duration_s, 1e-12);
    ASSERT_EQ(-1, tach__load_cfg_finish(&c, false, true, true, err));
    ASSERT_TRUE(strstr(err, "give --rate or --ramp, not both") != NULL);
    /* stages measured for less than the warm-up: said of --ramp, not of a --duration
     * never given ("--duration: 0.5s is shorter than --warmup 1s") */
    ASSERT_EQ(0, tach__load_parse_ramp(&c, "100:1.5s", err));
    c.warmup_s = 1;
    ASSERT_EQ(-1, tach__load_cfg_finish(&c, false, false, true, err));
    ASSERT_STREQ("--ramp: the stages last 1.5s: 0.5s measured after --warmup 1s, shorter than "
                 "the warm-up (stages of at least 2s in all, or a shorter --warmup)", err);
    tach__load_cfg_clear(&c);
}

TEST(argv_round_trip_names_every_setting)
{
    tach__load_cfg c;
    cfg_open(&c, 250, TACH__ARRIVALS_POISSON);
    char err[TACH__ERR_MAX];
    ASSERT_EQ(0, tach__load_add_target(&c, "get:3", false, err));
    c.threads = 3;
    c.seed = 7;
    char **v = tach__load_cfg_argv(&c);
    ASSERT_TRUE(v != NULL);
    tach__buf b = {0};
    for (char **p = v; *p; p++) tach__buf_printf(&b, "%s ", *p);
    char *s = tach__buf_take(&b);
    ASSERT_STREQ("--threads=3 --ramp=250:1000000000 --arrivals=poisson --duration=10 --warmup=1 "
                 "--interval=1 --seed=7 --late-bound=0.001 --max-late=1 -- get:3 ", s);
    tach__free(s);
    tach__load_argv_free(v);
    tach__load_cfg_clear(&c);
}

TEST(invalid_when_late_or_dropped_beyond_the_bound)
{
    tach__load_cfg c;
    cfg_open(&c, 100, TACH__ARRIVALS_CONSTANT);
    tach__load_stats s;
    memset(&s, 0, sizeof s);
    s.cfg = c;
    s.scheduled = 1000;
    s.late = 10; /* 1%: at the bound, valid */
    char why[256];
    ASSERT_TRUE(!tach__load_invalid(&s, why, sizeof why));
    s.dropped = 1; /* 1.1% */
    ASSERT_TRUE(tach__load_invalid(&s, why, sizeof why));
    ASSERT_TRUE(strstr(why, "1.1% of the requests were late by more than 1 ms or dropped") != NULL);
    s.cfg.late_bound_s = 1e-9; /* --late-bound 1ns: not "1e-06 ms" */
    ASSERT_TRUE(tach__load_invalid(&s, why, sizeof why));
    ASSERT_TRUE(strstr(why, "late by more than 1 ns or dropped") != NULL);
    s.cfg.late_bound_s = 2; /* not "2000 ms" */
    ASSERT_TRUE(tach__load_invalid(&s, why, sizeof why));
    ASSERT_TRUE(strstr(why, "late by more than 2 s or dropped") != NULL);
    s.cfg.model = TACH__LOAD_CLOSED; /* a closed run has no schedule to miss */
    ASSERT_TRUE(!tach__load_invalid(&s, why, sizeof why));
}

/* The advice of an invalid in-process run names what would help and what tach load
 * takes: a benchmark binary's open model has no --clients (it is refused), and threads
 * that were idle nearly all the time were late waking (a machine busy with other work),
 * which neither more threads nor a lower rate cures. */
TEST(invalid_advice_fits_the_generator)
{
    tach__load_cfg c;
    cfg_open(&c, 100, TACH__ARRIVALS_CONSTANT);
    c.threads = 2;
    tach__load_stats s;
    memset(&s, 0, sizeof s);
    s.cfg = c;
    s.kind = "in-process";
    tach__load_op_stats op;
    memset(&op, 0, sizeof op);
    op.uncorrected = tach__hist_new_default();
    ASSERT_TRUE(op.uncorrected != NULL);
    s.ops = &op;
    s.nops = 1;
    s.measured_s = 3;
    s.scheduled = 300;
    s.late = 10;
    /* 300 calls of 1 us on 2 threads over 3 s: idle nearly all the time */
    for (int i = 0; i < 300; i++) tach__hist_record(op.uncorrected, 1000);
    char why[512];
    ASSERT_TRUE(tach__load_invalid(&s, why, sizeof why));
    ASSERT_TRUE(strstr(why, "--clients") == NULL);
    ASSERT_TRUE(strstr(why, "its threads were busy less than 0.1% of the measured time") != NULL);
    ASSERT_TRUE(strstr(why, "--late-bound") != NULL);
    /* as idle, but slots dropped: the thread was behind, on calls of warm-up slots that
     * no measured request's time holds */
    s.dropped = 5;
    ASSERT_TRUE(tach__load_invalid(&s, why, sizeof why));
    ASSERT_TRUE(strstr(why, "; add --threads, or lower --rate") != NULL);
    s.dropped = 0;
    /* 300 calls of 19 ms: 95% busy, short of threads */
    tach__hist_reset(op.uncorrected);
    for (int i = 0; i < 300; i++) tach__hist_record(op.uncorrected, 19000000);
    ASSERT_TRUE(tach__load_invalid(&s, why, sizeof why));
    ASSERT_TRUE(strstr(why, "--clients") == NULL);
    ASSERT_TRUE(strstr(why, "; add --threads, or lower --rate") != NULL);
    /* as busy, its 2 threads on a 2-CPU machine (the default): more threads share the
     * same CPUs, so "add --threads" would not help */
    s.cpus = 2;
    ASSERT_TRUE(tach__load_invalid(&s, why, sizeof why));
    ASSERT_TRUE(strstr(why, "--threads") == NULL);
    ASSERT_TRUE(strstr(why, "; its 2 threads already use the machine's 2 CPUs, so more threads would "
                            "share them: lower --rate, or run on a machine with more CPUs") != NULL);
    s.dropped = 5; /* behind, busy not told: the same */
    ASSERT_TRUE(tach__load_invalid(&s, why, sizeof why));
    ASSERT_TRUE(strstr(why, "already use the machine's 2 CPUs") != NULL);
    s.dropped = 0;
    s.cpus = 4; /* CPUs to spare: more threads can help */
    ASSERT_TRUE(tach__load_invalid(&s, why, sizeof why));
    ASSERT_TRUE(strstr(why, "; add --threads, or lower --rate") != NULL);
    s.cpus = 0;
    /* HTTP: --clients bounds the requests in flight, and a request's time from its send
     * is the server's, not the loop's: the advice names both options, and without a
     * backlog (drops) a loop that woke late too */
    s.kind = "http";
    ASSERT_TRUE(tach__load_invalid(&s, why, sizeof why));
    ASSERT_TRUE(strstr(why, "; add --threads or --clients, or lower --rate; unless the event loops "
                            "were mostly idle") != NULL);
    s.dropped = 5;
    ASSERT_TRUE(tach__load_invalid(&s, why, sizeof why));
    ASSERT_TRUE(strstr(why, "; add --threads or --clients, or lower --rate") != NULL);
    ASSERT_TRUE(strstr(why, "idle") == NULL);
    /* 5 drops from the 2 event loops that ran (--clients 2, at most one loop a
     * connection) are a backlog, though fewer than --threads 8 */
    long threads0 = s.cfg.threads;
    s.cfg.threads = 8;
    s.cfg.clients = 2;
    ASSERT_TRUE(tach__load_invalid(&s, why, sizeof why));
    ASSERT_TRUE(strstr(why, "; add --threads or --clients, or lower --rate") != NULL);
    ASSERT_TRUE(strstr(why, "idle") == NULL);
    s.cfg.threads = threads0;
    s.cfg.clients = 0;
    /* a slot came due with every connection in flight: --clients made it late */
    s.clients_full = true;
    s.cfg.clients = 4;
    ASSERT_TRUE(tach__load_invalid(&s, why, sizeof why));
    ASSERT_TRUE(strstr(why, "; sends came due while every connection (--clients 4) was in flight: "
                            "add --clients, or lower --rate") != NULL);
    /* --clients not given: the open model's default bounds them, not "--clients 0" */
    s.cfg.clients = 0;
    ASSERT_TRUE(tach__load_invalid(&s, why, sizeof why));
    ASSERT_TRUE(strstr(why, "every connection (--clients 1000) was in flight") != NULL);
    s.connect_waits = 3;
    ASSERT_TRUE(tach__load_invalid(&s, why, sizeof why));
    ASSERT_TRUE(strstr(why, "every connection (--clients 1000) was in flight, some still") != NULL);
    tach__hist_free(op.uncorrected);
}

/* Closed model with --think (docs/load.md, "Models"): a client answered at 6 ms thinks
 * 4 ms, so its next request is intended at 10 ms; the think timer overslept and it went
 * at 13 ms, answered at 14 ms.  The 3 ms are the request's: in its latency from the
 * intended start (4 ms, from the send 1 ms) and counted as the send's lateness (late
 * beyond --late-bound 1 ms), as the open model counts a late slot; a closed run is
 * never invalid for it (it has no rate to hold). */
TEST(closed_think_oversleep_is_in_the_corrected_latency_and_counted_late)
{
    tach__load_cfg c;
    tach__load_cfg_default(&c);
    char err[TACH__ERR_MAX];
    ASSERT_EQ(0, tach__load_add_target(&c, "get", false, err));
    c.think_s = 0.004;
    c.duration_s = 1;
    tach__load_stats s;
    ASSERT_EQ(0, tach__load_stats_init(&s, &c, 1, err));
    const int64_t ms = 1000000, ready = 6 * ms + (int64_t)(c.think_s * 1e9), sent = 13 * ms;
    ASSERT_EQ(10 * ms, ready);
    tach__load_count_slot(&s, (uint64_t)(sent - ready));
    tach__load_record(&s, 0, ready, sent, 14 * ms, false);
    /* and one sent on time: not late */
    tach__load_count_slot(&s, 0);
    tach__load_record(&s, 0, 20 * ms, 20 * ms, 21 * ms, false);
    s.sent = 2;
    s.measured_s = 1;
    ASSERT_EQ(2, s.scheduled);
    ASSERT_EQ(1, s.late);
    ASSERT_REL(3 * ms, tach__hist_max(s.lateness), 0.001);
    ASSERT_REL(4 * ms, tach__hist_max(s.ops[0].corrected), 0.001);
    ASSERT_REL(1 * ms, tach__hist_max(s.ops[0].uncorrected), 0.001);
    char why[256];
    ASSERT_TRUE(!tach__load_invalid(&s, why, sizeof why)); /* 50% late, but closed */
    tach__doc *d = tach__doc_new();
    ASSERT_EQ(0, tach__load_to_doc(&s, d, err));
    const json_t *L = d->results[1].load; /* overall */
    ASSERT_EQ(1, json_integer_value(json_object_get(L, "late")));
    ASSERT_EQ(2, json_integer_value(json_object_get(L, "scheduled")));
    ASSERT_EQ(2, json_integer_value(json_object_get(json_object_get(L, "lateness"), "count")));
    ASSERT_TRUE(json_is_false(json_object_get(L, "invalid")));
    tach__doc_free(d);
    tach__load_stats_clear(&s);
    tach__load_cfg_clear(&c);
}

TEST(slo_syntax)
{
    tool_slo_list l = {0};
    char err[TACH__ERR_MAX];
    ASSERT_EQ(0, tool_slo_parse("p99<100ms p999<=1s,max<5s;rps>=10000 errors<0.1% get:p50>250us", &l, err));
    ASSERT_EQ(6, l.n);
    ASSERT_EQ(TOOL_SLO_P99, l.v[0].metric);
    ASSERT_EQ(TOOL_SLO_LT, l.v[0].cmp);
    ASSERT_NEAR(1e8, l.v[0].value, 1e-3);
    ASSERT_EQ(TOOL_SLO_LE, l.v[1].cmp);
    ASSERT_NEAR(1e9, l.v[1].value, 1e-3);
    ASSERT_EQ(TOOL_SLO_RPS, l.v[3].metric);
    ASSERT_EQ(TOOL_SLO_GE, l.v[3].cmp);
    ASSERT_NEAR(10000, l.v[3].value, 0);
    ASSERT_NEAR(0.001, l.v[4].value, 1e-15);
    ASSERT_STREQ("get", l.v[5].op);
    ASSERT_NEAR(250000, l.v[5].value, 1e-6);
    ASSERT_STREQ("", l.v[0].op);
    /* a URL target's name holds ':' (scheme, port): the last one before the metric
     * separates (the first made 'http' the operation and '//127...' the metric) */
    ASSERT_EQ(0, tool_slo_parse("http://127.0.0.1:8080/c.txt:p99<1s", &l, err));
    ASSERT_STREQ("http://127.0.0.1:8080/c.txt", l.v[6].op);
    ASSERT_EQ(TOOL_SLO_P99, l.v[6].metric);
    /* the summary heads its columns p99.9 and p99.99: written so, they are p999 and p9999 */
    ASSERT_EQ(0, tool_slo_parse("p99.9<1ms get:p99.99<2ms", &l, err));
    ASSERT_EQ(TOOL_SLO_P999, l.v[7].metric);
    ASSERT_NEAR(1e6, l.v[7].value, 1e-6);
    ASSERT_EQ(TOOL_SLO_P9999, l.v[8].metric);
    ASSERT_STREQ("get", l.v[8].op);
    ASSERT_STREQ("p999", tach__slo_metric_key(l.v[7].metric));
    ASSERT_EQ(-1, tool_slo_parse("p99.5<1ms", &l, err));
    ASSERT_EQ(-1, tool_slo_parse("p98<1ms", &l, err));
    ASSERT_TRUE(strstr(err, "'p98' is not p50") != NULL);
    ASSERT_EQ(-1, tool_slo_parse("p99<fast", &l, err));
    ASSERT_STREQ("'p99<fast': 'fast' is not a duration (100ms, 250us, 1s)", err);
    ASSERT_EQ(-1, tool_slo_parse("p99=1ms", &l, err));
    /* a bare number: seconds to tach, ms to k6 (p99<100 was 100 s, met by every run) */
    ASSERT_EQ(-1, tool_slo_parse("p99<100", &l, err));
    ASSERT_STREQ("'p99<100': '100' has no unit, which would be seconds: write it with one, as "
                 "p99<100ms (or us, s)", err);
    ASSERT_EQ(-1, tool_slo_parse("get:max<=2.5", &l, err));
    ASSERT_TRUE(strstr(err, "as get:max<=2.5ms (or us, s)") != NULL);
    ASSERT_EQ(0, tool_slo_parse("p99<=0 rps>=100 errors<0.001", &l, err));
    /* 1e300 s in nanoseconds is infinite: no bound at all */
    ASSERT_EQ(-1, tool_slo_parse("p99<1e300s", &l, err));
    ASSERT_STREQ("'p99<1e300s': '1e300s' is too large, expected a duration of at most 1000000000 s "
                 "(100ms, 250us, 1s)", err);
    /* beyond a double: too large too, not "not a duration" */
    ASSERT_EQ(-1, tool_slo_parse("p99<1e400ms", &l, err));
    ASSERT_TRUE(strstr(err, "'1e400ms' is too large") != NULL);
    ASSERT_EQ(-1, tool_slo_parse("errors<200%", &l, err));
    /* a bare error rate is a fraction: errors<1 (meant as 1%) was "not all failed", met
     * by nearly every run; 1 or more without a % is refused, naming the percentage */
    ASSERT_EQ(-1, tool_slo_parse("errors<1", &l, err));
    ASSERT_STREQ("'errors<1': '1' is a fraction of the requests (1 is all of them): write "
                 "errors<1% for a percentage (or a fraction below 1, as 0.01 for 1%)", err);
    ASSERT_EQ(-1, tool_slo_parse("get:errors<=5", &l, err));
    ASSERT_TRUE(strstr(err, "write get:errors<=5% for a percentage") != NULL);
    ASSERT_EQ(0, tool_slo_parse("errors<1% errors<0.5 errors<100%", &l, err));
    /* below 0: no run could meet it (errors<0% failed every run, meaning errors<=0%) */
    ASSERT_EQ(-1, tool_slo_parse("errors<0%", &l, err));
    ASSERT_STREQ("'errors<0%': nothing measures below 0, so no run could meet it (<= 0 asks "
                 "for exactly 0)", err);
    ASSERT_EQ(-1, tool_slo_parse("p99<0", &l, err));
    ASSERT_EQ(-1, tool_slo_parse("get:rps<0", &l, err));
    ASSERT_EQ(-1, tool_slo_parse("max<0ms", &l, err));
    ASSERT_EQ(0, tool_slo_parse("errors<=0%", &l, err));
    ASSERT_EQ(0, tool_slo_parse("rps>0", &l, err));
    /* a bound above 0 too close to 0 for a double is too small, not read as 0 (p99<=1e-400s
     * was p99<=0s; p99<1e-400s said 'nothing measures below 0') */
    static const struct { const char *slo, *want; } tiny[] = {
        {"p99<1e-400s", "'p99<1e-400s': '1e-400s' is too small, closer to 0 than a number holds"},
        {"p99<=1e-400s", "'p99<=1e-400s': '1e-400s' is too small"},
        {"max<=1e-300ns", "'max<=1e-300ns': '1e-300ns' is too small"},
        {"rps>1e-400", "'rps>1e-400': '1e-400' is too small"},
        {"errors<=1e-400%", "'errors<=1e-400%': '1e-400%' is too small"},
        {"errors<1e-310", "'errors<1e-310': '1e-310' is too small"},
        {"p99<=1e-400", "'p99<=1e-400': '1e-400' has no unit"},
    };
    for (size_t i = 0; i < sizeof tiny / sizeof *tiny; i++) {
        ASSERT_EQ(-1, tool_slo_parse(tiny[i].slo, &l, err));
        if (strncmp(err, tiny[i].want, strlen(tiny[i].want)) != 0)
            TEST__FAIL("%s: got \"%s\", expected it to start \"%s\"", tiny[i].slo, err, tiny[i].want);
    }
    ASSERT_EQ(0, tool_slo_parse("p99<=0e-400s", &l, err)); /* 0 written as 0 is 0 */
    /* a rate beyond a double is too large (it was "not a rate") */
    ASSERT_EQ(-1, tool_slo_parse("rps>1e400", &l, err));
    ASSERT_STREQ("'rps>1e400': '1e400' is too large, further from 0 than a number holds "
                 "(requests per second)", err);
    ASSERT_EQ(-1, tool_slo_parse("rps>=-1e400", &l, err));
    ASSERT_STREQ("'rps>=-1e400': '-1e400' is negative: a rate is 0 or more (requests per second)", err);
    ASSERT_EQ(-1, tool_slo_parse("rps>1e400x", &l, err));
    ASSERT_TRUE(strstr(err, "is not a rate") != NULL);
    /* an error rate beyond a double is above 100% (it was "not an error rate") */
    ASSERT_EQ(-1, tool_slo_parse("errors<1e400%", &l, err));
    ASSERT_STREQ("'errors<1e400%': an error rate is at most 100%", err);
    ASSERT_EQ(-1, tool_slo_parse("errors<1e400", &l, err));
    ASSERT_TRUE(strstr(err, "'1e400' is a fraction of the requests (1 is all of them)") != NULL);
    ASSERT_EQ(-1, tool_slo_parse("errors<-1e400%", &l, err));
    ASSERT_TRUE(strstr(err, "'-1e400%' is negative: an error rate is 0 or more") != NULL);
    /* a bound below 0 is negative, named, in every unit (p99<-1ms was "not a duration",
     * p99<-100 "has no unit ... as p99<-100ms") */
    static const struct { const char *slo, *want; } neg[] = {
        {"p99<-1ms", "'p99<-1ms': '-1ms' is negative: a duration is 0 or more (100ms, 250us, 1s)"},
        {"get:max<=-2.5s", "'get:max<=-2.5s': '-2.5s' is negative: a duration is 0 or more"},
        {"p99<-100", "'p99<-100': '-100' is negative: a duration is 0 or more"},
        {"p99<-1e400ms", "'p99<-1e400ms': '-1e400ms' is negative"},
        {"rps>-5", "'rps>-5': '-5' is negative: a rate is 0 or more (requests per second)"},
        {"errors<-1%", "'errors<-1%': '-1%' is negative: an error rate is 0 or more (0.1% or 0.001)"},
        {"errors<=-0.01", "'errors<=-0.01': '-0.01' is negative"},
        {"p99<-fast", "'p99<-fast': '-fast' is not a duration"},
        {"rps>-5x", "'rps>-5x': '-5x' is not a rate"},
    };
    for (size_t i = 0; i < sizeof neg / sizeof *neg; i++) {
        ASSERT_EQ(-1, tool_slo_parse(neg[i].slo, &l, err));
        if (strncmp(err, neg[i].want, strlen(neg[i].want)) != 0)
            TEST__FAIL("%s: got \"%s\", expected it to start \"%s\"", neg[i].slo, err, neg[i].want);
    }
    ASSERT_EQ(0, tool_slo_parse("rps>-0", &l, err)); /* -0 is 0 */
    /* and so for a duration (it was "not a duration" there) */
    ASSERT_EQ(0, tool_slo_parse("p99<=-0ms", &l, err));
    ASSERT_EQ(0, tool_slo_parse("max<=-0", &l, err));
    ASSERT_EQ(-1, tool_slo_parse("p99<-0ms", &l, err));
    ASSERT_TRUE(strstr(err, "nothing measures below 0") != NULL);
    ASSERT_EQ(-1, tool_slo_parse("  ", &l, err));
    tool_slo_list_free(&l);
}

/* A load document with one operation whose corrected histogram holds 1..1000 us. */
static tach__doc *doc_1_to_1000us(bool invalid)
{
    tach__load_cfg c;
    tach__load_cfg_default(&c);
    char err[TACH__ERR_MAX];
    tach__load_add_target(&c, "get", false, err);
    c.duration_s = 1;
    tach__load_stats s;
    tach__load_stats_init(&s, &c, 1, err);
    for (int i = 1; i <= 1000; i++)
        tach__load_record(&s, 0, 0, 0, (int64_t)i * 1000, i % 100 == 0);
    s.sent = s.scheduled = 1000;
    s.measured_s = 1;
    if (invalid) {
        s.cfg.model = TACH__LOAD_OPEN;
        s.late = 500;
    }
    tach__doc *d = tach__doc_new();
    tach__load_to_doc(&s, d, err);
    tach__load_stats_clear(&s);
    tach__load_cfg_clear(&c);
    return d;
}

TEST(slo_check_against_a_document)
{
    tach__doc *d = doc_1_to_1000us(false);
    ASSERT_EQ(2, d->nresults); /* get, overall */
    ASSERT_STREQ("overall", d->results[1].name);
    ASSERT_TRUE(d->results[0].latency != NULL);
    ASSERT_EQ(1000, d->results[0].latency->count);
    tool_slo_list l = {0};
    char err[TACH__ERR_MAX], why[200];
    /* p99 of 1..1000 us is the 990th value, 990 us (to the histogram's 0.1%) */
    ASSERT_EQ(0, tool_slo_parse("p99<1ms p99<900us get:max>=1ms errors<=1% errors<0.5% rps>=1000 nope:p50<1s "
                                "p999<2ms max<2ms rps>=990", &l, err));
    double v;
    ASSERT_EQ(1, tool_slo_check(&l.v[0], d, &v, why, sizeof why));
    ASSERT_REL(990000, v, 0.001);
    ASSERT_EQ(0, tool_slo_check(&l.v[1], d, &v, why, sizeof why));
    ASSERT_EQ(1, tool_slo_check(&l.v[2], d, &v, why, sizeof why));
    ASSERT_EQ(1, tool_slo_check(&l.v[3], d, &v, why, sizeof why)); /* 10 errors in 1000 */
    ASSERT_NEAR(0.01, v, 1e-12);
    ASSERT_EQ(0, tool_slo_check(&l.v[4], d, &v, why, sizeof why));
    /* failed requests count against the objectives: 1000 requests a second, 10 failed:
     * 990 answered a second; p99 leaves out 1% (10 failed: met above), p999 0.1%, max none */
    ASSERT_EQ(0, tool_slo_check(&l.v[5], d, &v, why, sizeof why));
    ASSERT_REL(990, v, 1e-9);
    ASSERT_TRUE(strstr(why, "requests answered without error (1% failed)") != NULL);
    ASSERT_EQ(1, tool_slo_check(&l.v[9], d, &v, why, sizeof why));
    ASSERT_EQ(-1, tool_slo_check(&l.v[6], d, &v, why, sizeof why));
    ASSERT_STREQ("the run has no operation 'nope'", why);
    ASSERT_EQ(0, tool_slo_check(&l.v[7], d, &v, why, sizeof why));
    ASSERT_STREQ("1% of requests failed, more than the 0.1% a p999 leaves", why);
    ASSERT_EQ(0, tool_slo_check(&l.v[8], d, &v, why, sizeof why));
    ASSERT_STREQ("1% of requests failed: a failed request is not answered within the bound, "
                 "and a max leaves none out", why);
    tach__doc_free(d);
    /* an invalid run meets nothing */
    d = doc_1_to_1000us(true);
    ASSERT_EQ(0, tool_slo_check(&l.v[0], d, &v, why, sizeof why));
    ASSERT_TRUE(strstr(why, "invalid") != NULL);
    tach__doc_free(d);
    tool_slo_list_free(&l);
}

/* Fast failures beside slow successes: 9 requests fail at once (1 us), 985 are answered
 * in 500 us and 6 in 5 ms.  The p99 of all 1000 is 500 us (994 of them are under 1 ms),
 * and 0.9% failed, under the 1% a p99 leaves; yet only 985 were answered without error
 * within 1 ms, fewer than the 990 a p99 needs.  Worked by hand from the counts. */
TEST(slo_fast_failures_do_not_hide_slow_answers)
{
    tach__load_cfg c;
    tach__load_cfg_default(&c);
    char err[TACH__ERR_MAX], why[200];
    tach__load_add_target(&c, "get", false, err);
    c.duration_s = 1;
    tach__load_stats s;
    ASSERT_EQ(0, tach__load_stats_init(&s, &c, 1, err));
    for (int i = 0; i < 1000; i++)
        tach__load_record(&s, 0, 0, 0, i < 9 ? 1000 : i < 994 ? 500000 : 5000000, i < 9);
    s.sent = s.scheduled = 1000;
    s.measured_s = 1;
    tach__doc *d = tach__doc_new();
    ASSERT_EQ(0, tach__load_to_doc(&s, d, err));
    tach__load_stats_clear(&s);
    tach__load_cfg_clear(&c);
    tool_slo_list l = {0};
    ASSERT_EQ(0, tool_slo_parse("p99<1ms p90<1ms p99<10ms", &l, err));
    double v;
    ASSERT_EQ(0, tool_slo_check(&l.v[0], d, &v, why, sizeof why));
    ASSERT_REL(500000, v, 0.001); /* the percentile of all requests, as the console shows */
    ASSERT_STREQ("98.5% of requests were answered without error within the bound, fewer than the "
                 "99% a p99 needs (0.9% failed)", why);
    ASSERT_EQ(1, tool_slo_check(&l.v[1], d, &v, why, sizeof why)); /* 985 >= 900 */
    ASSERT_EQ(1, tool_slo_check(&l.v[2], d, &v, why, sizeof why)); /* 991 >= 990 */
    /* a document written before the failed requests were kept apart (no failed_hdr): the
     * percentile of all requests, as before */
    for (size_t i = 0; i < d->nresults; i++) /* get, overall */
        ASSERT_EQ(0, json_object_del(d->results[i].load, "failed_hdr"));
    ASSERT_EQ(1, tool_slo_check(&l.v[0], d, &v, why, sizeof why));
    tool_slo_list_free(&l);
    tach__doc_free(d);
}

/* A run interrupted in its warm-up measured nothing: measured_s 0 (it read as the whole
 * duration), no interval (it had 16 at 0/s), and no rate (not 0/s). */
TEST(interrupted_in_warmup_measured_nothing)
{
    tach__load_cfg c;
    tach__load_cfg_default(&c);
    char err[TACH__ERR_MAX];
    tach__load_add_target(&c, "get", false, err);
    c.duration_s = 8;
    c.interval_s = 0.5;
    tach__load_stats s;
    ASSERT_EQ(0, tach__load_stats_init(&s, &c, 16, err));
    s.partial = true;
    s.measured_s = 0;
    tach__doc *d = tach__doc_new();
    ASSERT_EQ(0, tach__load_to_doc(&s, d, err));
    tach__load_stats_clear(&s);
    tach__load_cfg_clear(&c);
    const json_t *L = d->results[d->nresults - 1].load;
    ASSERT_NEAR(0, json_number_value(json_object_get(L, "measured_s")), 0);
    ASSERT_EQ(0, (long)json_array_size(json_object_get(L, "intervals")));
    ASSERT_TRUE(json_is_null(json_object_get(L, "rps")));
    ASSERT_TRUE(json_is_null(json_object_get(L, "rate_achieved")));
    tach__doc_free(d);
}

TEST(load_block_reads_back)
{
    tach__doc *d = doc_1_to_1000us(false);
    json_t *j = tach__doc_to_json(d);
    char err[TACH__ERR_MAX];
    tach__doc *back = tach__doc_from_json(j, err);
    ASSERT_TRUE(back != NULL);
    ASSERT_TRUE(json_equal(d->results[0].load, back->results[0].load));
    ASSERT_EQ(1000, json_integer_value(json_object_get(back->results[1].load, "count")));
    ASSERT_EQ(1, back->results[0].nsamples); /* one interval */
    json_decref(j);
    tach__doc_free(back);
    tach__doc_free(d);
}

/* The summary's send lateness: every send on time (recorded at the histogram's floor,
 * 1 ns) reads "0 ns" (it read "0.00 ns"); a late one its figure in its unit. */
static char *summary_of(const char *target, bool http, uint64_t late_ns)
{
    tach__load_cfg c;
    tach__load_cfg_default(&c);
    char err[TACH__ERR_MAX];
    ASSERT_EQ(0, tach__load_add_target(&c, target, http, err));
    c.duration_s = 1;
    tach__load_stats s;
    tach__load_stats_init(&s, &c, 1, err);
    for (int i = 1; i <= 100; i++) {
        tach__load_record(&s, 0, 0, 0, (int64_t)i * 1000, false);
        tach__load_count_slot(&s, late_ns);
    }
    s.sent = 100;
    s.measured_s = 1;
    tach__doc *d = tach__doc_new();
    tach__load_to_doc(&s, d, err);
    tach__load_stats_clear(&s);
    tach__load_cfg_clear(&c);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    cli_load_print_summary(f, d, false);
    fclose(f);
    tach__doc_free(d);
    return text;
}

static char *summary_with_lateness(uint64_t late_ns)
{
    return summary_of("get", false, late_ns);
}

/* A name wider than the name column (a URL: 14 characters is less than most) widens it:
 * the rows' columns stay under their headings (they were pushed right of them). */
TEST(summary_name_column_fits_a_url)
{
    const char *url = "http://127.0.0.1:8080/api/items";
    char *t = summary_of(url, true, 0);
    const char *head = strstr(t, "\noperation ");
    const char *row = strstr(t, "\nhttp://127.0.0.1:8080/api/items ");
    const char *over = strstr(t, "\noverall ");
    ASSERT_TRUE(head && row && over);
    /* the share column starts one blank after the URL, in the heading and in its row */
    ASSERT_EQ(strlen(url) + 2, (size_t)(strstr(head, "share (asked)") - head));
    ASSERT_EQ(strlen(url) + 2, (size_t)(strstr(row, "100.0% (100%)") - row));
    /* the count ends where its heading does, in overall's row too */
    size_t count_end = (size_t)(strstr(head, " count ") + 6 - head);
    ASSERT_EQ(' ', row[count_end]);
    ASSERT_TRUE(row[count_end - 1] == '0');
    ASSERT_TRUE(over[count_end - 1] == '0' && over[count_end] == ' ');
    free(t);
}

TEST(summary_send_lateness_on_time_is_0_ns)
{
    char *t = summary_with_lateness(0);
    ASSERT_TRUE(strstr(t, "sends: 0 of 100 late") != NULL);
    ASSERT_TRUE(strstr(t, "; send lateness p99 0 ns\n") != NULL);
    free(t);
    t = summary_with_lateness(56000);
    ASSERT_TRUE(strstr(t, "; send lateness p99 56.0 µs\n") != NULL);
    free(t);
}

/* The line of an operation's answers by status and its errors by kind: each count after
 * a comma ("status 200: 49 error empty reply: 3865" ran them together). */
TEST(summary_statuses_and_errors_are_separated)
{
    tach__doc *d = tach__doc_new();
    tach__result *r = tach__doc_add(d);
    ASSERT_TRUE(r != NULL);
    r->name = tach__strdup("http://127.0.0.1:8080/");
    r->load = json_pack("{s:{s:i, s:i}, s:{s:i}}", "statuses", "200", 49, "503", 2, "error_kinds",
                        "empty reply", 7);
    r = tach__doc_add(d);
    ASSERT_TRUE(r != NULL);
    r->name = tach__strdup("overall");
    r->load = json_pack("{s:{s:s}}", "model", "kind", "closed");
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    cli_load_print_summary(f, d, false);
    fclose(f);
    tach__doc_free(d);
    ASSERT_TRUE(strstr(text, "\nhttp://127.0.0.1:8080/: status 200: 49, status 503: 2, error empty reply: 7\n") != NULL);
    free(text);
}

/* The summary's "over time" line of the intervals' rate, from rates rps[0..n). */
static char *rate_sparkline(const double *rps, size_t n)
{
    tach__doc *d = tach__doc_new();
    tach__result *r = tach__doc_add(d);
    ASSERT_TRUE(r != NULL);
    r->name = tach__strdup("overall");
    json_t *ivs = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(ivs, json_pack("{s:f}", "rps", rps[i]));
    r->load = json_pack("{s:{s:s, s:f}, s:o}", "model", "kind", "closed", "interval_s", 1.0, "intervals", ivs);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    cli_load_print_summary(f, d, false);
    fclose(f);
    tach__doc_free(d);
    char *line = strstr(text, "\n  rate  "); /* the line under "over time" */
    ASSERT_TRUE(line != NULL);
    memmove(text, line + 1, strlen(line));
    *strchr(text, '\n') = '\0';
    return text;
}

/* A rate flat within 0.1% draws flat, around the fourth bar, not as swings from the lowest
 * bar to the highest (its scale spans at least 2% of its middle, as the other sparklines'
 * do); a 50% swing still spans them all; the range printed is the series' own */
TEST(summary_sparkline_of_a_flat_rate_is_flat)
{
    static const double flat[] = {1000, 1000.5, 999.6, 1000.2, 999.9, 1000.4};
    char *t = rate_sparkline(flat, 6);
    ASSERT_STREQ("  rate  \u2584\u2584\u2584\u2584\u2584\u2584  1000/s .. 1000/s", t);
    free(t);
    static const double swing[] = {1000, 1500, 1000, 1500};
    t = rate_sparkline(swing, 4);
    ASSERT_STREQ("  rate  \u2581\u2588\u2581\u2588  1000/s .. 1500/s", t);
    free(t);
}

/* --find-max-rate's knee, from steps as the search ran them (docs/load.md: the last rate
 * before p99 rose above twice its lowest while the achieved rate grew by less than half
 * the increase asked). */
static json_t *step(double rate, double achieved, double p99_ns)
{
    return json_pack("{s:f,s:f,s:f}", "rate", rate, "achieved", achieved, "p99_ns", p99_ns);
}

TEST(knee_is_read_in_the_order_of_the_rates)
{
    /* 100, 200 held at 1 ms; 400 held its rate but missed (p99 50 ms); the bisection's
     * 300 held too at 3 ms.  By rate, no step's achieved rate fell behind: no knee.
     * Read in the order run, 300 after 400 "grew" by -100 < 0.5 x -100 with p99 3 ms >
     * 2 x 1 ms, and the knee came out at 400/s, a rate that missed. */
    json_t *steps = json_array();
    json_array_append_new(steps, step(100, 100, 1e6));
    json_array_append_new(steps, step(200, 200, 1e6));
    json_array_append_new(steps, step(400, 400, 50e6));
    json_array_append_new(steps, step(300, 300, 3e6));
    ASSERT_TRUE(isnan(cli_load_knee(steps)));
    /* 800 asked, 450 achieved, p99 9 ms: 450 - 400 = 50 < 0.5 x 400 and 9 > 2 x 1 ms,
     * so the knee is 400/s, whichever order the steps ran in */
    json_array_append_new(steps, step(800, 450, 9e6));
    ASSERT_NEAR(400, cli_load_knee(steps), 1e-9);
    json_decref(steps);
    ASSERT_TRUE(isnan(cli_load_knee(NULL)));
}

TEST_MAIN()
