/* sample.c - calibration, warm-up and adaptive sampling of one benchmark instance. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "profile.h"
#include "runner.h"

/* The most samples one benchmark keeps (16 MB of raw data; a long --max-time with an
 * unreachable --precision stops here). */
#define MAX_SAMPLES 1000000

/* The most iterations one sample may run (keeps the count far from overflow). */
#define MAX_ITERS UINT64_C(1000000000000)

void tach__sample_opts_default(tach__sample_opts *o)
{
    memset(o, 0, sizeof *o);
    o->precision = 0.01;
    o->max_time_s = 3.0;
    o->min_samples = 10;
    o->min_time_s = 0.5;
    o->sample_time_s = 0.001;
    o->warmup_s = 0.1;
    o->seed = TACH__DEFAULT_SEED;
}

double tach__sample_target_ns(const tach__sample_opts *o)
{
    double res = 1, cost = 0;
    tach__clock_info(&res, &cost);
    double target = o->sample_time_s * 1e9;
    if (res > 0 && 1000.0 * res > target) target = 1000.0 * res;
    return target;
}

/* The next iteration count when a sample of iters lasted elapsed_ns < target_ns:
 * aim 20% above the target, but grow at least 1.5x and at most 100x per step so a
 * cold first sample or a coarse clock cannot make it overshoot wildly. */
static uint64_t grow(uint64_t iters, double elapsed_ns, double target_ns)
{
    double mult = elapsed_ns > 0 ? 1.2 * target_ns / elapsed_ns : 100.0;
    if (mult < 1.5) mult = 1.5;
    if (mult > 100.0) mult = 100.0;
    double next = ceil((double)iters * mult);
    if (next > (double)MAX_ITERS) return MAX_ITERS;
    return next <= (double)iters ? iters + 1 : (uint64_t)next;
}

uint64_t tach__calibrate(tach_state *st, double target_ns)
{
    uint64_t iters = 1;
    bool confirmed = false;
    for (;;) {
        if (!tach__run_sample(st, iters)) return 0;
        double e = (double)st->elapsed_ns;
        if (e >= target_ns || iters >= MAX_ITERS) {
            /* One more sample at the same count: a cold first run (page faults, cache
             * misses) must not fix the count on its own. */
            if (confirmed || iters >= MAX_ITERS) return iters;
            confirmed = true;
            continue;
        }
        confirmed = false;
        iters = grow(iters, e, target_ns);
    }
}

static void progress(const tach__sample_opts *o, const tach__instance *inst, size_t n,
                     double achieved)
{
    char line[160], ns[48];
    int len;
    tach__plural((double)n, "sample", NULL, ns, sizeof ns);
    if (isfinite(achieved))
        len = snprintf(line, sizeof line, "%s %s  %s  \xc2\xb1%.1f%%",
                       o->progress_prefix ? o->progress_prefix : "", inst->name, ns,
                       achieved * 100.0);
    else
        len = snprintf(line, sizeof line, "%s %s  %s",
                       o->progress_prefix ? o->progress_prefix : "", inst->name, ns);
    if (len < 0) return;
    tach__terminal_safe(line, false); /* the name as the table shows it: no ESC, CR raw */
    /* Padded to the width (erasing a longer earlier line), cut to it (no wrap). */
    int w = o->progress_width > 0 ? o->progress_width : 79;
    fprintf(stderr, "\r%-*.*s", w, w, line);
    fflush(stderr);
}

/* Half-width of the median's 95% CI over the median; NaN when undefined. */
static double relative_halfwidth(const double *ns, size_t n)
{
    tach__ci ci;
    if (n < 2 || tach__median_ci_fast(ns, n, 0.95, &ci) != 0) return NAN;
    if (!(ci.value > 0) || !isfinite(ci.lo) || !isfinite(ci.hi)) return NAN;
    return (ci.hi - ci.lo) / 2.0 / ci.value;
}

/* relative_halfwidth over the earlier rounds' samples and this round's together. */
static double merged_halfwidth(const tach__sample_opts *o, const double *ns, size_t n)
{
    if (!o->prior_n) return relative_halfwidth(ns, n);
    double *all = tach__malloc((o->prior_n + n) * sizeof *all);
    if (!all) return NAN;
    memcpy(all, o->prior_ns, o->prior_n * sizeof *all);
    memcpy(all + o->prior_n, ns, n * sizeof *all);
    double h = relative_halfwidth(all, o->prior_n + n);
    tach__free(all);
    return h;
}

static bool interrupted(const tach__sample_opts *o)
{
    return o->interrupt && *o->interrupt;
}

int tach__result_describe(tach__result *r, const tach__instance *inst, char *err)
{
    const tach_bench_def *d = inst->def;
    tach__free(r->name);
    tach__free(r->group);
    tach__free(r->function);
    r->name = tach__strdup(inst->name);
    r->group = d->group && d->group[0] ? tach__strdup(d->group) : NULL;
    r->function = tach__strdup(tach__def_fname(d));
    if (!r->name || !r->function || (d->group && d->group[0] && !r->group))
        return tach__err(err, "out of memory");
    for (size_t i = 0; i < TACH_MAX_AXES; i++) {
        if (!inst->arg_names[i]) continue;
        char v[32];
        snprintf(v, sizeof v, "%" PRId64, inst->args[i]);
        if (tach__result_set_param(r, inst->arg_names[i], v) != 0)
            return tach__err(err, "out of memory");
    }
    if (inst->nthreads > 0) {
        char v[16];
        snprintf(v, sizeof v, "%d", inst->nthreads);
        if (tach__result_set_param(r, "threads", v) != 0) return tach__err(err, "out of memory");
    }
    r->max_mean_ns = d->max_mean_ns;
    r->max_median_ns = d->max_median_ns;
    r->max_p99_ns = d->max_p99_ns;
    r->min_bytes_per_sec = d->min_bytes_per_sec;
    r->min_items_per_sec = d->min_items_per_sec;
    r->max_regression_pct = d->max_regression_pct;
    r->max_allocs_per_iter = d->max_allocs_per_iter;
    r->max_bytes_per_iter = d->max_bytes_per_iter;
    r->max_peak_bytes = d->max_peak_bytes;
    r->complexity = d->complexity;
    /* A size axis (TACH_RANGE) is fitted even when no class is asserted. */
    for (size_t i = 0; !r->complexity && i < TACH_MAX_AXES; i++)
        if (d->args[i].kind == TACH_AXIS_RANGE) r->complexity = TACH_O_AUTO;
    r->min_efficiency = d->min_efficiency;
    r->max_alpha = d->max_alpha;
    tach__free(r->slo);
    r->slo = d->slo && d->slo[0] ? tach__strdup(d->slo) : NULL;
    if (d->slo && d->slo[0] && !r->slo) return tach__err(err, "out of memory");
    return 0;
}

/* Appends one sample to r, growing its arrays geometrically. */
static int push_sample(tach__result *r, size_t *cap, double ns, uint64_t iters)
{
    size_t cap_ns = *cap, cap_iters = *cap; /* two arrays, one capacity */
    if (TACH__GROW(&r->sample_ns, &cap_ns, r->nsamples + 1, 64) != 0 ||
        TACH__GROW(&r->sample_iters, &cap_iters, r->nsamples + 1, 64) != 0)
        return -1;
    *cap = cap_ns;
    r->sample_ns[r->nsamples] = ns;
    r->sample_iters[r->nsamples] = iters;
    r->nsamples++;
    return 0;
}


const char *tach__stop_reason(const tach_state *st)
{
    if (st->stopped) return st->message;
    if (st->phase == 1)
        return "the benchmark left its tach_loop early (break, return or goto inside the loop); "
               "run the loop to its end";
    return "the benchmark returned without running tach_loop or tach_batched";
}

/* The status of a benchmark that returned without completing a sample. */
static int stopped(tach__result *r, const tach_state *st, char *err)
{
    tach__result_drop_samples(r);
    tach__free(r->message);
    r->status = st->stopped ? st->status : TACH__FAILED;
    r->message = tach__strdup(tach__stop_reason(st));
    return r->message ? 0 : tach__err(err, "out of memory");
}

int tach__sample_instance(const tach__instance *inst, const tach__sample_opts *o,
                          tach__result *r, char *err)
{
    r->precision_target = o->precision;
    r->precision_achieved = NAN;
    r->precision_reached = false;
    if (inst->error) {
        r->status = TACH__FAILED;
        tach__free(r->message);
        r->message = tach__strdup(inst->error);
        return r->message ? 0 : tach__err(err, "out of memory");
    }

    tach_state *st = tach__malloc(sizeof *st);
    if (!st) return tach__err(err, "out of memory");
    tach__state_init(st, inst, o->seed);
    int rc = 0;
    tach__sampler *sampler = NULL;
    if (tach__percall_begin(st, o) != 0) {
        tach__free(st);
        return tach__err(err, "out of memory");
    }
    const tach_bench_def *def = inst->def;
    /* .setup once per worker, before calibration; .teardown once, at the end */
    if (def->setup) {
        def->setup(st);
        tach__state_leave_if_forked(st);
        if (st->stopped) { rc = stopped(r, st, err); goto out; }
    }
    const uint64_t start = tach__now_ns();
    const double budget_ns = o->max_time_s * 1e9;
    double target = tach__sample_target_ns(o);
    /* A thread sweep's sample starts N threads: it lasts long enough that a woken
     * thread's wait for a CPU on a busy machine is a small part of it. */
    if (inst->nthreads > 0 && target < TACH__THREADS_SAMPLE_NS) target = TACH__THREADS_SAMPLE_NS;

    /* A later round starts from the count the first one calibrated, and runs at least
     * one warm-up sample at it (this process has not run the benchmark yet). */
    uint64_t iters = o->start_iters ? o->start_iters : tach__calibrate(st, target);
    if (!iters) { rc = stopped(r, st, err); goto out; }

    /* Warm-up, discarded; it also corrects a count fixed by a slow cold start. */
    const uint64_t w0 = tach__now_ns();
    bool warmed = !o->start_iters;
    /* bounded by the budget too: --max-time caps every loop, a long --warmup included */
    while ((!warmed || ((double)(tach__now_ns() - w0) < o->warmup_s * 1e9 &&
                        (double)(tach__now_ns() - start) < budget_ns)) && !interrupted(o)) {
        if (!tach__run_sample(st, iters)) { rc = stopped(r, st, err); goto out; }
        /* (A later round keeps the first one's count: one count per benchmark.) */
        if (!o->start_iters && (double)st->elapsed_ns < target)
            iters = grow(iters, (double)st->elapsed_ns, target);
        warmed = true;
    }
    tach__state_reset_counters(st);
    tach__percall_reset(st);
    /* The profile covers the measured samples only, opened after the warm-up. */
    if (o->prof_raw) {
        char perr[TACH__ERR_MAX] = "";
        sampler = tach__sampler_open_self(o->prof_hz, o->prof_raw, o->prof_raw->note, perr);
        if (!sampler) snprintf(o->prof_raw->note, sizeof o->prof_raw->note, "no profile: %.*s",
                                     tach__utf8_prec(perr, 480), perr);
        /* switched on and off at the clock reads of each measured sample (state.c),
         * so code of the body outside tach_loop is not sampled */
        st->sampler = sampler;
        if (sampler) st->measure |= TACH__MEASURE_PROF;
    }

    size_t cap = 0, next_check = o->min_samples > 2 ? o->min_samples : 2;
    /* The precision may stop sampling only after --min-time of it: a short window
     * catches one passing state of a shared machine whole, so the estimate would not
     * repeat from one process to the next (docs/PERFORMANCE.md, issue 2).  Counted as
     * time inside samples (what the samples cover), not wall time, which also holds
     * the bookkeeping between them. */
    double sampled_ns = 0;
    const double min_time_ns = o->min_time_s * 1e9;
    uint64_t last_progress = 0;
    double achieved = NAN;
    bool checked_last = false;
    for (;;) {
        int ran = tach__run_sample(st, iters);
        if (sampler) {
            if (st->phase == 1) (void)tach__sampler_disable(sampler); /* a body that left tach_loop early */
            if (tach__sampler_drain_due(sampler, err) != 0) { rc = -1; goto out; }
        }
        if (!ran) { rc = stopped(r, st, err); goto out; }
        uint64_t done = st->done_iters ? st->done_iters : 1;
        sampled_ns += (double)st->elapsed_ns;
        if (push_sample(r, &cap, (double)st->elapsed_ns / (double)done, done) != 0) {
            rc = tach__err(err, "out of memory");
            goto out;
        }
        tach__state_fold_counters(st);

        /* The CI check sorts a copy, so it runs on a geometric schedule (every ~10%
         * more samples), keeping the total cost near n log n. */
        checked_last = false;
        if (r->nsamples >= next_check) {
            achieved = merged_halfwidth(o, r->sample_ns, r->nsamples);
            checked_last = true;
            next_check = r->nsamples + (r->nsamples / 10 > 1 ? r->nsamples / 10 : 1);
            if (r->nsamples >= o->min_samples && achieved <= o->precision && sampled_ns >= min_time_ns) {
                r->precision_reached = true;
                break;
            }
        }
        uint64_t now = tach__now_ns();
        if ((double)(now - start) >= budget_ns && r->nsamples >= o->min_samples) break;
        if (r->nsamples >= MAX_SAMPLES) break;
        if (interrupted(o)) break;
        if (o->progress && now - last_progress > 100000000u) {
            progress(o, inst, r->nsamples, achieved);
            last_progress = now;
        }
    }
    if (sampler && tach__sampler_drain(sampler, err) != 0) { rc = -1; goto out; }
    st->measure &= ~(unsigned)TACH__MEASURE_PROF;
    st->sampler = NULL;
    if (!checked_last) achieved = merged_halfwidth(o, r->sample_ns, r->nsamples);
    r->precision_achieved = achieved;
    if (!r->precision_reached) r->precision_reached = achieved <= o->precision;

    r->status = TACH__OK;
    if (tach__percall_end(st, r) != 0) {
        rc = tach__err(err, "out of memory");
        goto out;
    }
    r->bytes_per_iter = st->bytes_per_iter;
    r->items_per_iter = st->items_per_iter;
    for (size_t i = 0; i < st->ncounters; i++) {
        if (!st->counter_count[i]) continue;
        double mean = st->counter_sum[i] / (double)st->counter_count[i];
        if (tach__result_set_counter(r, st->counter_name[i], mean) != 0) {
            rc = tach__err(err, "out of memory");
            goto out;
        }
    }
    /* Memory and counters: separate passes, after the timed samples (passes.c). */
    if (tach__measure_passes(st, iters, o, r, err) != 0) rc = -1;
    else if (st->stopped) rc = stopped(r, st, err);
out:
    tach__sampler_close(sampler);
    if (def->teardown) {
        bool was_stopped = st->stopped;
        def->teardown(st);
        tach__state_leave_if_forked(st);
        if (!was_stopped && st->stopped && rc == 0) rc = stopped(r, st, err);
    }
    if (o->progress) progress(o, inst, r->nsamples, r->precision_achieved);
    tach__percall_end(st, NULL);
    tach__free(st);
    return rc;
}
