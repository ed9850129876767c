/* test_instr.c - instruction mode's pure parts: reading callgrind's totals, the
 * derived cache figures (iai's model), the document's "instructions" block both ways,
 * Valgrind's message from its log, the metrics (metric.h) and the deterministic
 * verdicts of tool_compare.  The counting itself is tested end to end by
 * tests/cli/instr_mode.sh. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "callgrind.h"
#include "compare.h"
#include "metric.h"
#include "test.h"

static char dir[64];

static const char *write_tmp(const char *name, const char *text)
{
    static char path[128];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/tach_test_instr.XXXXXX");
        if (!mkdtemp(dir)) return NULL;
    }
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) return NULL;
    fputs(text, f);
    fclose(f);
    return path;
}

/* The header of a dump callgrind 3.19 wrote (--cache-sim=yes), cut to what is read. */
TEST(callgrind_totals_are_read_by_event_name)
{
    const char *p = write_tmp("cg.out.1", "# callgrind format\nversion: 1\ncreator: callgrind-3.19.0\n"
                                          "events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw\n"
                                          "summary: 1000 300 200 10 20 5 2 4 1\n"
                                          "fn=(1) main\n0 1000 300 200 10 20 5 2 4 1\n");
    double ev[TACH__NEV];
    char err[TACH__ERR_MAX];
    ASSERT_EQ(0, tach__callgrind_read(p, ev, err));
    ASSERT_NEAR(1000, ev[TACH__EV_IR], 0);
    ASSERT_NEAR(300, ev[TACH__EV_DR], 0);
    ASSERT_NEAR(1, ev[TACH__EV_DLMW], 0);
    /* another order, trailing zeros left out, "totals:" instead of "summary:" */
    p = write_tmp("cg.out.2", "events: Ir I1mr\ntotals: 77\n");
    ASSERT_EQ(0, tach__callgrind_read(p, ev, err));
    ASSERT_NEAR(77, ev[TACH__EV_IR], 0);
    ASSERT_NEAR(0, ev[TACH__EV_I1MR], 0);
    p = write_tmp("cg.out.3", "version: 1\nsummary: 5\n");
    ASSERT_EQ(-1, tach__callgrind_read(p, ev, err));
    ASSERT_TRUE(strstr(err, "no \"events:\" line") != NULL);
}

/* Reference, by hand from the counts above (iai's model): accesses 1000+300+200 = 1500;
 * L1 misses 10+20+5 = 35; LL misses 2+4+1 = 7; L1 hits 1465; LL hits 28;
 * cycles 1465 + 5*28 + 35*7 = 1850. */
TEST(cycles_estimate_is_l1_hits_plus_5_ll_hits_plus_35_ram)
{
    double ev[TACH__NEV] = {1000, 300, 200, 10, 20, 5, 2, 4, 1};
    tach__instr m;
    tach__instr_from_events(ev, true, &m);
    ASSERT_NEAR(1000, m.instructions, 0);
    ASSERT_NEAR(35, m.l1_misses, 0);
    ASSERT_NEAR(7, m.ll_misses, 0);
    ASSERT_NEAR(1850, m.cycles_est, 0);
    tach__instr_from_events(ev, false, &m);
    ASSERT_NAN(m.cycles_est);
}

TEST(instructions_block_round_trips_and_marks_the_metric)
{
    tach__doc *d = tach__doc_new();
    tach__result *r = tach__doc_add(d);
    r->name = tach__strdup("work");
    double ev[TACH__NEV] = {1000, 300, 200, 10, 20, 5, 2, 4, 1};
    tach__instr_from_events(ev, true, &r->instr);
    r->instr.iterations = 1200;
    r->instr.loop_overhead = 3;
    r->has_instr = true;
    json_t *j = tach__doc_to_json(d);
    ASSERT_STREQ("instructions", json_string_value(json_object_get(json_array_get(json_object_get(j, "benchmarks"), 0), "metric")));
    char err[TACH__ERR_MAX];
    tach__doc *back = tach__doc_from_json(j, err);
    ASSERT_TRUE(back != NULL);
    const tach__result *b = &back->results[0];
    ASSERT_TRUE(b->has_instr && b->instr.cache_sim);
    ASSERT_NEAR(1000, b->instr.instructions, 0);
    ASSERT_NEAR(1850, b->instr.cycles_est, 0);
    ASSERT_EQ(1200, b->instr.iterations);
    ASSERT_NEAR(3, b->instr.loop_overhead, 0);
    ASSERT_EQ(0, b->nsamples);
    /* a block without its mark, and an unknown metric, are refused with the path */
    json_t *res = json_array_get(json_object_get(j, "benchmarks"), 0);
    json_object_set_new(res, "metric", json_string("joules"));
    ASSERT_TRUE(tach__doc_from_json(j, err) == NULL);
    ASSERT_TRUE(strstr(err, "benchmarks[0].metric: unknown metric \"joules\"") != NULL);
    json_object_del(res, "metric");
    ASSERT_TRUE(tach__doc_from_json(j, err) == NULL);
    ASSERT_TRUE(strstr(err, "benchmarks[0].metric: missing") != NULL);
    json_decref(j);
    tach__doc_free(back);
    tach__doc_free(d);
}

/* The log of a run of tests/fixtures/instr.c's unknown_insn under Valgrind 3.19. */
TEST(valgrind_message_keeps_the_cause_first)
{
    const char *p = write_tmp("vg.log",
        "==14088== Callgrind, a call-graph generating cache profiler\n"
        "==14088== Copyright (C) 2002-2017, and GNU GPL'd, by Josef Weidendorfer et al.\n"
        "==14088== Command: ./fixture_instr --tach-instr-worker /tmp/x\n"
        "==14088== \n"
        "vex amd64->IR: unhandled instruction bytes: 0x62 0xF1 0x7D 0x48\n"
        "==14088== Process terminating with default action of signal 4 (SIGILL)\n"
        "==14088==    at 0x10CAC4: tach__fn_unknown_insn (instr.c:55)\n"
        "==14088== Events    : Ir\n");
    char *m = tach__valgrind_log_message(p);
    ASSERT_TRUE(m != NULL);
    /* the signal is the caller's to name ("killed by signal 4 (SIGILL)"): where, instead */
    ASSERT_STREQ("vex amd64->IR: unhandled instruction bytes: 0x62 0xF1 0x7D 0x48; at "
                 "tach__fn_unknown_insn (instr.c:55)", m);
    tach__free(m);
}

/* A fault: the address Valgrind names and the first frame, not "Process terminating
 * with default action of signal 11", which repeated the caller's "killed by signal 11
 * (SIGSEGV)"; nor the stack-size advice under it. */
TEST(valgrind_message_of_a_signal_says_where_not_the_signal_again)
{
    const char *p = write_tmp("vg_segv.log",
        "==4761== Callgrind, a call-graph generating cache profiler\n"
        "==4761== Command: ./segv\n"
        "==4761== \n"
        "==4761== Process terminating with default action of signal 11 (SIGSEGV)\n"
        "==4761==  Access not within mapped region at address 0x0\n"
        "==4761==    at 0x109129: main (segv.c:1)\n"
        "==4761==  If you believe this happened as a result of a stack\n"
        "==4761==  overflow in your program's main thread (unlikely but\n"
        "==4761== \n"
        "==4761== Events    : Ir\n");
    char *m = tach__valgrind_log_message(p);
    ASSERT_TRUE(m != NULL);
    ASSERT_STREQ("Access not within mapped region at address 0x0; at main (segv.c:1)", m);
    tach__free(m);
    /* raise(): no address, the frame alone */
    p = write_tmp("vg_kill.log",
        "==4895== Process terminating with default action of signal 11 (SIGSEGV)\n"
        "==4895==    at 0x4884267: kill (syscall-template.S:120)\n"
        "==4895==    by 0x114ED9: ??? (in /usr/bin/dash)\n"
        "==4895== \n");
    m = tach__valgrind_log_message(p);
    ASSERT_TRUE(m != NULL);
    ASSERT_STREQ("at kill (syscall-template.S:120)", m);
    tach__free(m);
    /* raise(SIGSEGV) in main (Valgrind 3.19, glibc 2.36): the frame is main's, not libc's
     * (it was "at __pthread_kill_implementation (pthread_kill.c:44)") */
    p = write_tmp("vg_raise.log",
        "==28530== Process terminating with default action of signal 11 (SIGSEGV)\n"
        "==28530==    at 0x48D2EEC: __pthread_kill_implementation (pthread_kill.c:44)\n"
        "==28530==    by 0x4883FB1: raise (raise.c:26)\n"
        "==28530==    by 0x109146: main (prof_raise.c:3)\n"
        "==28530== \n"
        "==28530== Events    : Ir\n");
    m = tach__valgrind_log_message(p);
    ASSERT_TRUE(m != NULL);
    ASSERT_STREQ("at main (prof_raise.c:3)", m);
    tach__free(m);
    /* an assert's abort, libc without line tables: the benchmark's frame */
    p = write_tmp("vg_abort.log",
        "==51== Process terminating with default action of signal 6 (SIGABRT)\n"
        "==51==    at 0x48D2EEC: pthread_kill@@GLIBC_2.34 (in /usr/lib/x86_64-linux-gnu/libc.so.6)\n"
        "==51==    by 0x4883FB1: raise (in /usr/lib/x86_64-linux-gnu/libc.so.6)\n"
        "==51==    by 0x486E471: abort (in /usr/lib/x86_64-linux-gnu/libc.so.6)\n"
        "==51==    by 0x486E394: __assert_fail_base.cold (in /usr/lib/x86_64-linux-gnu/libc.so.6)\n"
        "==51==    by 0x487CEB1: __assert_fail (in /usr/lib/x86_64-linux-gnu/libc.so.6)\n"
        "==51==    by 0x10A1B2: tach__fn_check (bad.c:12)\n"
        "==51==    by 0x10B000: tach__run_one (runner.c:80)\n"
        "==51== \n");
    m = tach__valgrind_log_message(p);
    ASSERT_TRUE(m != NULL);
    ASSERT_STREQ("at tach__fn_check (bad.c:12)", m);
    tach__free(m);
}

static tach__doc *counted(double work, double empty)
{
    tach__doc *d = tach__doc_new();
    const char *names[] = {"work", "empty"};
    double v[] = {work, empty};
    for (int i = 0; i < 2; i++) {
        tach__result *r = tach__doc_add(d);
        r->name = tach__strdup(names[i]);
        r->has_instr = true;
        r->instr.instructions = v[i];
        r->instr.iterations = 100;
        r->instr.cycles_est = NAN;
    }
    return d;
}

TEST(metric_names_parse_and_the_recorded_one_is_the_default)
{
    tool_metric m;
    ASSERT_EQ(0, tool_metric_parse("cycles-est", &m));
    ASSERT_EQ(TOOL_METRIC_CYCLES_EST, m);
    ASSERT_EQ(-1, tool_metric_parse("cycles", &m));
    ASSERT_TRUE(tool_metric_deterministic(TOOL_METRIC_INSTRUCTIONS));
    ASSERT_TRUE(!tool_metric_deterministic(TOOL_METRIC_WALL));
    tach__doc *a = counted(1000, 0), *w = tach__doc_new();
    tach__result *r = tach__doc_add(w);
    r->name = tach__strdup("work");
    char err[TACH__ERR_MAX];
    ASSERT_EQ(0, tool_metric_default(a, a, &m, err));
    ASSERT_EQ(TOOL_METRIC_INSTRUCTIONS, m);
    ASSERT_EQ(-1, tool_metric_default(w, a, &m, err));
    ASSERT_TRUE(strstr(err, "BASE was measured in wall time and NEW in instructions") != NULL);
    ASSERT_TRUE(tool_doc_has_metric(a, TOOL_METRIC_INSTRUCTIONS));
    ASSERT_TRUE(!tool_doc_has_metric(a, TOOL_METRIC_WALL));
    ASSERT_TRUE(!tool_doc_has_metric(a, TOOL_METRIC_CYCLES_EST)); /* no cache simulation */
    tach__doc *p = tool_metric_project(a, TOOL_METRIC_INSTRUCTIONS, 100, 1, err);
    ASSERT_EQ(1, p->results[0].nsamples);
    ASSERT_NEAR(1000, p->results[0].sample_ns[0], 0);
    ASSERT_EQ(100, p->results[0].sample_iters[0]);
    tach__doc_free(p);
    tach__doc_free(a);
    tach__doc_free(w);
}

/* One value per side: +0.6% beyond a 0.5% threshold regresses, +0.4% is unchanged,
 * 0 against 0 unchanged; without deterministic the same rows are not testable. */
static tool_verdict verdict_of(double base, double cur, bool deterministic, const char *name)
{
    char err[TACH__ERR_MAX];
    tach__doc *b = counted(base, 0), *c = counted(cur, 0);
    tach__doc *pb = tool_metric_project(b, TOOL_METRIC_INSTRUCTIONS, 100, 1, err);
    tach__doc *pc = tool_metric_project(c, TOOL_METRIC_INSTRUCTIONS, 100, 1, err);
    tool_cmp_options o;
    tool_cmp_options_default(&o);
    o.noise = 0.005;
    o.deterministic = deterministic;
    tool_comparison cmp;
    tool_verdict v = TOOL_BROKEN;
    if (tool_compare(pb, pc, &o, &cmp, err) == 0)
        for (size_t i = 0; i < cmp.nrows; i++)
            if (!strcmp(cmp.rows[i].name, name)) v = cmp.rows[i].verdict;
    tool_comparison_free(&cmp);
    tach__doc_free(pb);
    tach__doc_free(pc);
    tach__doc_free(b);
    tach__doc_free(c);
    return v;
}

TEST(a_deterministic_metric_decides_on_one_value_per_side)
{
    ASSERT_EQ(TOOL_REGRESSED, verdict_of(1000, 1006, true, "work"));
    ASSERT_EQ(TOOL_UNCHANGED, verdict_of(1000, 1004, true, "work"));
    ASSERT_EQ(TOOL_IMPROVED, verdict_of(1000, 990, true, "work"));
    ASSERT_EQ(TOOL_UNCHANGED, verdict_of(1000, 1000, true, "empty")); /* 0 against 0 */
    ASSERT_EQ(TOOL_UNTESTABLE, verdict_of(1000, 1006, false, "work"));
}

static void cleanup(void) __attribute__((destructor));
static void cleanup(void)
{
    if (dir[0]) tach__remove_flat_dir(dir);
}

TEST_MAIN()
