/*
 * passes.c - what a benchmark costs besides time, measured in separate passes after
 * its timed samples (as Google Benchmark's MemoryManager does), so that the timed
 * samples never run with counting on:
 *
 *   memory (docs/memory.md): two samples of m and 2m iterations (m = the calibrated
 *     count, at most 16) with the allocator counting (memcount.c); the counts are
 *     totals over the 3m iterations, divided; a leak is growth in both samples, more
 *     in the longer one.  Peak RSS (this process's) is read before the pass.  The
 *     counting allocator is not in this process (libtach defines no allocator): the
 *     pass runs in the program started again with it preloaded (mempass.c), unless
 *     it is loaded here already.
 *   counters (docs/counters.md): an empty region read PASS_SAMPLES times (the
 *     harness's own count), then PASS_SAMPLES samples of the calibrated count; the
 *     difference per iteration.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "hwcount.h"
#include "memcount.h"
#include "runner.h"

/* Samples of the counter pass (and of its empty region). */
#define PASS_SAMPLES 3

static double peak_rss_bytes(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) return NAN;
    return (double)ru.ru_maxrss * 1024.0; /* Linux: KiB */
}

/* One sample of iters with what st->measure says on.  false when the benchmark
 * stopped (tach_fail / tach_skip) or never completed a sample. */
static bool measured_sample(tach_state *st, uint64_t iters)
{
    return tach__run_sample(st, iters) == 1; /* a sweep's in its threads */
}

static int memory_pass(tach_state *st, uint64_t iters, const tach__sample_opts *o,
                       tach__result *r, char *err)
{
    tach__memory *m = &r->memory;
    tach__memory_clear(m);
    m->peak_rss_bytes = peak_rss_bytes();
    /* The counting allocator preloaded into this very process (the memory pass's own
     * process, or a user's LD_PRELOAD): count here; else in a process of its own. */
    if (tach__mem_loaded()) return tach__memory_count(st, iters, m, err);
    return tach__mem_exec(st, iters, o, m, err);
}

static int counter_pass(tach_state *st, uint64_t iters, unsigned asked, tach__result *r,
                        char *err)
{
    tach__hw_group g;
    tach__hw_values harness, val;
    memset(&harness, 0, sizeof harness);
    memset(&val, 0, sizeof val);
    int rc = 0;
    if (tach__hw_open_self(&g, asked) > 0) {
        /* The harness: what switching on, reading the clock twice and switching off
         * count with nothing between (tach__loop_next's region without a body). */
        tach__hw_reset(&g);
        for (int i = 0; i < PASS_SAMPLES; i++) {
            tach__hw_on(&g);
            volatile uint64_t t0 = tach__now_ns(), t1 = tach__now_ns();
            (void)t0;
            (void)t1;
            tach__hw_off(&g);
        }
        bool have_harness = tach__hw_read(&g, &harness) == 0;
        /* A sweep's N threads each count on a group of their own, switched as many
         * times: N harnesses.  Their counts are added (more), each counter kept only
         * when every thread counted it. */
        int nthreads = st->inst && st->inst->nthreads > 1 ? st->inst->nthreads : 1;
        tach__hw_values more;
        memset(&more, 0, sizeof more);
        for (size_t i = 0; i < TACH__HW_MAX; i++) {
            more.ok[i] = true;
            harness.v[i] *= nthreads;
        }

        tach__hw_reset(&g);
        st->hw = &g;
        st->hw_more = nthreads > 1 ? &more : NULL;
        st->measure |= TACH__MEASURE_HW;
        uint64_t done = 0;
        bool ok = true;
        for (int i = 0; i < PASS_SAMPLES && ok; i++) {
            ok = measured_sample(st, iters);
            done += st->done_iters;
        }
        st->measure &= ~TACH__MEASURE_HW;
        st->hw = NULL;
        st->hw_more = NULL;
        if (!ok) {
            tach__hw_close(&g);
            return 0;
        }
        if (tach__hw_read(&g, &val) != 0) {
            for (size_t i = 0; i < TACH__HW_MAX; i++)
                if (g.fd[i] >= 0) {
                    close(g.fd[i]);
                    g.fd[i] = -1;
                    snprintf(g.why[i], sizeof g.why[i], "reading the counters failed");
                }
        }
        for (size_t i = 0; nthreads > 1 && i < TACH__HW_MAX; i++) {
            if (g.fd[i] < 0 || !val.ok[i]) continue;
            if (!more.ok[i]) {
                close(g.fd[i]);
                g.fd[i] = -1;
                snprintf(g.why[i], sizeof g.why[i], "not counted in every thread of the sweep");
                continue;
            }
            val.v[i] += more.v[i];
            val.scaled[i] |= more.scaled[i];
        }
        rc = tach__hw_store(r, &g, &val, have_harness ? &harness : NULL, (double)(done ? done : 1));
    } else {
        rc = tach__hw_store(r, &g, &val, NULL, 1);
    }
    tach__hw_close(&g);
    return rc == 0 ? 0 : tach__err(err, "out of memory");
}

int tach__measure_passes(tach_state *st, uint64_t iters, const tach__sample_opts *o,
                         tach__result *r, char *err)
{
    const tach_bench_def *def = st->inst ? st->inst->def : NULL;
    bool memory = o->memory || (def && def->memory);
    if (!memory && !o->counters) return 0;
    /* The passes' calls are not the benchmark's latency: per-call timing is off. */
    struct tach__hist *lat = st->lat;
    st->lat = NULL;
    int rc = 0;
    if (memory && memory_pass(st, iters, o, r, err) != 0) rc = -1;
    if (rc == 0 && o->counters && !st->stopped && counter_pass(st, iters, o->counters, r, err) != 0)
        rc = -1;
    st->lat = lat;
    return rc;
}
