/*
 * percall.c - per-call latency (.latency = true, --latency): every iteration of the
 * timed loop is timed on its own and recorded into a histogram the state owns,
 * allocated before the first sample so recording never allocates.
 *
 * tach_loop's inline counter cannot read the clock, so in this mode tach__loop_next
 * hands out one iteration at a time: each call of it reads the clock once, and the
 * time between two reads is one call of the body plus the loop's own cost (one
 * function call and one clock read).  Bodies shorter than ~20 clock reads are said
 * to be too short (src/core/latency.c) instead of reporting the timer's noise.
 */
#include "latency.h"
#include "profile.h"
#include "runner.h"

int tach__percall_begin(tach_state *st, const tach__sample_opts *o)
{
    if (!o->latency && !st->inst->def->latency) return 0;
    st->lat = tach__hist_new_default();
    return st->lat ? 0 : -1;
}

void tach__percall_reset(tach_state *st)
{
    if (!st->lat) return;
    tach__hist_reset(st->lat);
    st->lat_lost = 0;
}

static inline void record(tach_state *st, uint64_t ns)
{
    if (!tach__hist_record(st->lat, (int64_t)ns)) st->lat_lost++;
}

uint64_t tach__percall_next(tach_state *st)
{
    if (st->phase == 0 && !st->stopped) {
        st->phase = 1;
        st->lat_left = st->iters;
        /* the profiler (the only measure of the timed samples) on before the first
         * clock read and off after the last: in these two branches, not per call */
        if (st->measure & TACH__MEASURE_PROF) (void)tach__sampler_enable(st->sampler);
        st->t0 = st->lat_last = tach__now_ns();
        return 1;
    }
    if (st->phase == 1) {
        uint64_t t = tach__now_ns();
        record(st, t - st->lat_last);
        st->lat_last = t;
        if (--st->lat_left > 0) return 1;
        if (st->measure & TACH__MEASURE_PROF) (void)tach__sampler_disable(st->sampler);
        st->elapsed_ns = t - st->t0;
        st->done_iters = st->iters;
        st->phase = 2;
    }
    return 0;
}

uint64_t tach__percall_batch(tach_state *st, size_t b, tach_batch_fn routine, void *ctx)
{
    uint64_t total = 0, t0 = tach__now_ns();
    for (size_t i = 0; i < b; i++) {
        routine(ctx, i);
        uint64_t t1 = tach__now_ns();
        record(st, t1 - t0);
        total += t1 - t0;
        t0 = t1;
    }
    return total;
}

/* The cost of one clock read, robust to a busy machine: the least mean over 16
 * batches of 256 back-to-back reads (preemption only ever adds time, so the
 * cheapest batch is the clock's own cost; tach__clock_info's one long mean is not). */
static double clock_cost(void)
{
    double best = 0;
    for (int b = 0; b < 16; b++) {
        uint64_t t0 = tach__now_ns(), t = t0;
        for (int i = 0; i < 256; i++) t = tach__now_ns();
        double mean = (double)(t - t0) / 256.0;
        if (b == 0 || mean < best) best = mean;
    }
    return best;
}

int tach__percall_end(tach_state *st, tach__result *r)
{
    if (!st->lat) return 0;
    if (!r) {
        tach__hist_free(st->lat);
        st->lat = NULL;
        return 0;
    }
    tach__latency *l = tach__calloc(1, sizeof *l);
    if (!l) return -1;
    l->hist = st->lat;
    l->lost = st->lat_lost;
    st->lat = NULL;
    tach__latency_judge(l, clock_cost());
    tach__latency_free(r->latency);
    r->latency = l;
    return 0;
}
