/* load_run.c - in-process load: --threads worker threads call the registered
 * operations, each at the times its model gives, and record every call's latency
 * from its intended start and from its actual start into the thread's own
 * histograms (no lock, no allocation per call); the threads' counts are merged at
 * the end.
 *
 * Open model: each thread runs its share of the schedule (load_sched.c).  A thread
 * that is behind sends at once (late, counted when beyond the bound); the slots the
 * run's end finds unsent are dropped (counted in bulk: one by one, a rate far beyond
 * the thread's took longer than the run).  Closed model: each thread serves its share of
 * the clients, each client sending when its previous response came back (plus the
 * think time); a send later than that (the thread busy with another client, a timer
 * that overslept) is late by as much, in its latency from the intended start.
 *
 * With a sink (tach__load_run_ops_series), each thread publishes how many intervals it
 * is done with (all its requests intended before the next one's slot are recorded:
 * its intended times only grow) and the main thread, at each interval's end, merges
 * the threads' histograms of the intervals every thread is done with and tells the
 * sink; a thread never writes an interval after publishing past it. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "load.h"

typedef struct worker {
    const tach__load_cfg *cfg;
    int index, nthreads;
    long clients;                  /* closed: clients this thread serves */
    const volatile sig_atomic_t *interrupt;
    pthread_barrier_t *barrier;
    const volatile uint64_t *start_ns; /* set by the main thread between the barriers */
    volatile int *setup_failed;
    tach__load_stats stats;
    tach_op ops[TACH__LOAD_MAX_TARGETS];
    const tach_op_def *defs[TACH__LOAD_MAX_TARGETS];
    char fail[TACH__ERR_MAX]; /* room for an error kind whole (TACH__LOAD_KIND_SIZE) */
    bool interrupted;
    uint64_t stop_ns;              /* when it stopped (interrupt), else 0 */
    bool streaming;                /* a sink reads the intervals as they end */
    size_t published;              /* intervals done (atomic: read by the main thread) */
} worker;

/* Publishes that every interval before the one of intended is done by this thread. */
static void publish(worker *w, uint64_t intended, uint64_t measure0)
{
    if (!w->streaming) return;
    size_t k = intended <= measure0 ? 0
                                    : (size_t)((double)(intended - measure0) * 1e-9 / w->cfg->interval_s);
    if (k > w->published) __atomic_store_n(&w->published, k, __ATOMIC_RELEASE);
}

/* Waits until the monotonic clock reads t: sleeps while far, spins for the last
 * stretch (a sleep wakes up tens of microseconds late). */
static uint64_t wait_until(uint64_t t, const volatile sig_atomic_t *interrupt)
{
    uint64_t now = tach__now_ns();
    while (now < t) {
        if (interrupt && *interrupt) return now;
        uint64_t left = t - now;
        if (left > 300000) {
            uint64_t wake = t - 200000;
            struct timespec ts = {(time_t)(wake / 1000000000u), (long)(wake % 1000000000u)};
            clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
        } else {
#if defined(__x86_64__) || defined(__i386__)
            __builtin_ia32_pause();
#endif
        }
        now = tach__now_ns();
    }
    return now;
}

/* Calls operation k once; records it when intended is inside the measured window. */
static void call(worker *w, size_t k, uint64_t intended, uint64_t measure0)
{
    tach_op *op = &w->ops[k];
    op->error = false;
    uint64_t sent = tach__now_ns();
    w->defs[k]->fn(op);
    uint64_t end = tach__now_ns();
    if (intended < measure0) return; /* warm-up */
    tach__load_stats *s = &w->stats;
    s->sent++;
    if (op->error) tach__load_kinds_add(&s->ops[k].error_kinds, op->kind, 1);
    tach__load_record(s, k, (int64_t)(intended - measure0), (int64_t)(sent - measure0),
                      (int64_t)(end - measure0), op->error);
}

static void run_open(worker *w, uint64_t start, uint64_t measure0, uint64_t end_ns)
{
    const tach__load_cfg *c = w->cfg;
    tach__sched sch;
    tach__sched_init(&sch, c, w->index, w->nthreads);
    tach__mix mix;
    tach__mix_init(&mix, c, c->seed ^ 0x6d6978u ^ ((uint64_t)w->index << 32));
    tach__load_stats *s = &w->stats;
    for (;;) {
        uint64_t intended = tach__sched_next_ns(&sch, start);
        if (intended >= end_ns) break;
        publish(w, intended, measure0);
        uint64_t now = wait_until(intended, w->interrupt);
        if (w->interrupt && *w->interrupt) {
            w->interrupted = true;
            w->stop_ns = now;
            /* a thread behind its schedule: the slots due before the interrupt never went */
            int64_t n = tach__sched_skip_ns(&sch, start, &intended, measure0, now < end_ns ? now : end_ns);
            s->scheduled += n;
            s->dropped += n;
            break;
        }
        if (now >= end_ns) { /* the run is over: this slot and the later ones never went */
            int64_t n = tach__sched_skip_ns(&sch, start, &intended, measure0, end_ns);
            s->scheduled += n;
            s->dropped += n;
            break;
        }
        size_t k = tach__mix_pick(&mix);
        if (intended >= measure0) tach__load_count_slot(s, now > intended ? now - intended : 0);
        call(w, k, intended, measure0);
    }
}

/* The clients' ready times as a min-heap (the first ready at 0): ready[0] replaced by a
 * later time, moved down to its place. */
static void ready_sift(uint64_t *ready, long n)
{
    long i = 0;
    for (;;) {
        long l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && ready[l] < ready[m]) m = l;
        if (r < n && ready[r] < ready[m]) m = r;
        if (m == i) return;
        uint64_t t = ready[i];
        ready[i] = ready[m];
        ready[m] = t;
        i = m;
    }
}

static void run_closed(worker *w, uint64_t start, uint64_t measure0, uint64_t end_ns)
{
    const tach__load_cfg *c = w->cfg;
    if (w->clients <= 0) return;
    tach__mix mix;
    tach__mix_init(&mix, c, c->seed ^ 0x6d6978u ^ ((uint64_t)w->index << 32));
    uint64_t think = (uint64_t)(c->think_s * 1e9);
    /* every client the thread serves (a fixed 64 of them were, the rest never sent:
     * --clients 200 --think 100ms on one thread offered 640/s, not 2000/s) */
    long n = w->clients;
    uint64_t *ready = tach__malloc((size_t)n * sizeof *ready);
    if (!ready) {
        snprintf(w->fail, sizeof w->fail, "out of memory for %ld clients in thread %d", n, w->index);
        return;
    }
    for (long i = 0; i < n; i++) ready[i] = start;
    for (;;) {
        uint64_t intended = ready[0];
        if (intended >= end_ns) break;
        publish(w, intended, measure0);
        uint64_t now = wait_until(intended, w->interrupt);
        if (w->interrupt && *w->interrupt) {
            w->interrupted = true;
            w->stop_ns = now;
            break;
        }
        if (now >= end_ns) break;
        size_t k = tach__mix_pick(&mix);
        /* timed from when the client was ready (its answer plus the think time): a timer
         * that overslept or a thread busy with its other clients delays the send, and
         * that delay is the request's, counted as the send's lateness as in the open model */
        if (intended >= measure0) tach__load_count_slot(&w->stats, now > intended ? now - intended : 0);
        call(w, k, intended, measure0);
        ready[0] = tach__now_ns() + think;
        ready_sift(ready, n);
    }
    tach__free(ready);
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    const tach__load_cfg *c = w->cfg;
    for (size_t k = 0; k < c->ntargets; k++) {
        tach_op *op = &w->ops[k];
        op->def = w->defs[k];
        op->thread = w->index;
        tach__rng_seed(&op->rng, c->seed ^ tach__hash_str(op->def->name) ^
                                     ((uint64_t)(w->index + 1) << 40));
        if (op->def->setup) {
            op->error = false;
            op->def->setup(op);
            if (op->error) {
                snprintf(w->fail, sizeof w->fail, "the setup of %s failed (%s) in thread %d",
                         op->def->name, op->kind, w->index);
                *w->setup_failed = 1;
            }
        }
    }
    pthread_barrier_wait(w->barrier); /* every setup done */
    pthread_barrier_wait(w->barrier); /* start time set */
    if (!*w->setup_failed) {
        uint64_t start = *w->start_ns;
        uint64_t measure0 = start + (uint64_t)(c->warmup_s * 1e9);
        uint64_t end_ns = measure0 + (uint64_t)(c->duration_s * 1e9);
        if (c->model == TACH__LOAD_OPEN)
            run_open(w, start, measure0, end_ns);
        else
            run_closed(w, start, measure0, end_ns);
    }
    for (size_t k = 0; k < c->ntargets; k++)
        if (w->ops[k].def->teardown) w->ops[k].def->teardown(&w->ops[k]);
    if (w->streaming) __atomic_store_n(&w->published, SIZE_MAX, __ATOMIC_RELEASE);
    return NULL;
}

/* Sleeps until the monotonic clock reads t (at once when past). */
static void sleep_until(uint64_t t)
{
    struct timespec ts = {(time_t)(t / 1000000000u), (long)(t % 1000000000u)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
    }
}

/* The main thread while the workers run: tells the sink of each interval as soon as
 * every worker has published past it (checked at the interval's end, then every 2 ms). */
static void stream_intervals(worker *ws, int nthreads, size_t niv, uint64_t measure0,
                             const tach__load_cfg *c, const tach__load_sink *sink,
                             const volatile sig_atomic_t *interrupt,
                             const volatile int *setup_failed, tach__load_stats *s)
{
    tach__hist *h = tach__hist_new_default(), *one = tach__hist_new_default();
    if (!h || !one) { /* no series then: the run itself goes on */
        tach__hist_free(h);
        tach__hist_free(one);
        return;
    }
    uint64_t step = (uint64_t)(c->interval_s * 1e9);
    size_t emitted = 0;
    while (emitted < niv) {
        size_t lo = SIZE_MAX;
        for (int i = 0; i < nthreads; i++) {
            size_t p = __atomic_load_n(&ws[i].published, __ATOMIC_ACQUIRE);
            if (p < lo) lo = p;
        }
        if (*setup_failed || (interrupt && *interrupt)) break;
        if (lo > niv) lo = niv;
        for (; emitted < lo; emitted++) {
            int64_t count = 0, errors = 0, sent = 0;
            tach__hist_reset(h);
            for (size_t k = 0; k < s->nops; k++) {
                tach__hist_reset(one);
                for (int i = 0; i < nthreads; i++) {
                    const tach__load_iv *iv = &ws[i].stats.ops[k].iv[emitted];
                    if (iv->hist) tach__hist_merge(one, iv->hist);
                    count += iv->count;
                    errors += iv->errors;
                    sent += iv->sent;
                }
                tach__hist_merge(h, one);
                tach__load_keep_interval(s, k, emitted, one); /* what the document keeps */
            }
            tach__load_keep_interval(s, s->nops, emitted, h);
            sink->fn(sink->ctx, emitted, h, count, errors, sent);
            /* Told (and what they said kept): its histograms go (no thread writes it
             * again), so a run of hours does not grow by a histogram per interval in
             * the process it watches. */
            for (int i = 0; i < nthreads; i++)
                for (size_t k = 0; k < ws[i].stats.nops; k++) {
                    tach__load_iv *iv = &ws[i].stats.ops[k].iv[emitted];
                    tach__hist_free(iv->hist);
                    iv->hist = NULL;
                }
        }
        if (emitted >= niv) break;
        uint64_t due = measure0 + (uint64_t)(emitted + 1) * step, now = tach__now_ns();
        sleep_until(due > now ? due : now + 2000000);
    }
    tach__hist_free(h);
    tach__hist_free(one);
}

int tach__load_run_ops(const tach__load_cfg *c, const volatile sig_atomic_t *interrupt,
                       tach__load_stats *s, char *err)
{
    return tach__load_run_ops_series(c, interrupt, NULL, s, err);
}

int tach__load_run_ops_series(const tach__load_cfg *c, const volatile sig_atomic_t *interrupt,
                              const tach__load_sink *sink, tach__load_stats *s, char *err)
{
    size_t niv = (size_t)ceil(c->duration_s / c->interval_s - 1e-9);
    if (niv < 1) niv = 1;
    if (tach__load_stats_init(s, c, niv, err) != 0) return -1;
    if (sink && tach__load_keep_init(s, err) != 0) return -1;
    for (size_t k = 0; k < c->ntargets; k++)
        s->ops[k].slo = tach__op_find(c->targets[k].name)->slo;
    int nthreads = (int)c->threads;
    if (c->model == TACH__LOAD_CLOSED && c->clients > 0 && c->clients < nthreads)
        nthreads = (int)c->clients; /* a thread per client at most */
    /* the threads that ran are the operations' callers the target saw (the summary's
     * "on N threads", model.threads, what compare holds runs to), not --threads */
    if (nthreads < c->threads) s->threads_asked = c->threads;
    s->cfg.threads = nthreads;
    worker *ws = tach__calloc((size_t)nthreads, sizeof *ws);
    pthread_t *tids = tach__calloc((size_t)nthreads, sizeof *tids);
    pthread_barrier_t barrier;
    volatile uint64_t start_ns = 0;
    volatile int setup_failed = 0;
    int rc = 0, started = 0;
    if (!ws || !tids) {
        rc = tach__err(err, "out of memory");
        goto out;
    }
    long clients = c->clients > 0 ? c->clients : nthreads;
    if (pthread_barrier_init(&barrier, NULL, (unsigned)nthreads + 1) != 0) {
        rc = tach__err(err, "cannot make a barrier for %d threads", nthreads);
        goto out;
    }
    for (int i = 0; i < nthreads; i++) {
        worker *w = &ws[i];
        w->cfg = c;
        w->index = i;
        w->nthreads = nthreads;
        w->clients = clients / nthreads + (i < clients % nthreads);
        w->interrupt = interrupt;
        w->barrier = &barrier;
        w->start_ns = &start_ns;
        w->setup_failed = &setup_failed;
        w->streaming = sink != NULL;
        for (size_t k = 0; k < c->ntargets; k++) w->defs[k] = tach__op_find(c->targets[k].name);
        if (tach__load_stats_init(&w->stats, c, niv, err) != 0) {
            rc = -1;
            break;
        }
        /* Streaming runs may last hours: the interval slots are touched now, so the
         * resident set does not creep up by a slot per interval as they fill. */
        for (size_t k = 0; sink && k < w->stats.nops; k++)
            memset(w->stats.ops[k].iv, 0, w->stats.ops[k].niv * sizeof *w->stats.ops[k].iv);
    }
    for (int i = 0; rc == 0 && i < nthreads; i++) {
        int e = pthread_create(&tids[i], NULL, worker_main, &ws[i]);
        if (e) {
            rc = tach__err(err, "cannot start load thread %d: %s", i, strerror(e));
            setup_failed = 1;
            break;
        }
        started++;
    }
    if (started < nthreads) {
        /* The threads that did start wait at a barrier that counts nthreads + 1: they
         * are left there (and their memory kept); the process ends with this error. */
        return rc ? rc : -1;
    }
    {
        pthread_barrier_wait(&barrier);
        struct timespec wall;
        clock_gettime(CLOCK_REALTIME, &wall);
        uint64_t mono = tach__now_ns();
        start_ns = mono + 2000000; /* 2 ms for every thread to come out of the barrier */
        s->start_epoch_s = (double)wall.tv_sec + wall.tv_nsec * 1e-9 + 0.002 + c->warmup_s;
        pthread_barrier_wait(&barrier);
        if (sink)
            stream_intervals(ws, nthreads, niv, start_ns + (uint64_t)(c->warmup_s * 1e9), c, sink,
                             interrupt, &setup_failed, s);
        uint64_t first_stop = 0;
        for (int i = 0; i < nthreads; i++) {
            pthread_join(tids[i], NULL);
            if (ws[i].fail[0] && !s->fail) s->fail = tach__strdup(ws[i].fail);
            if (ws[i].interrupted) {
                s->partial = true;
                if (!first_stop || ws[i].stop_ns < first_stop) first_stop = ws[i].stop_ns;
            }
            if (tach__load_stats_merge(s, &ws[i].stats, err) != 0) rc = -1;
        }
        uint64_t measure0 = start_ns + (uint64_t)(c->warmup_s * 1e9);
        s->measured_s = c->duration_s;
        if (s->partial)
            s->measured_s = first_stop > measure0 ? (double)(first_stop - measure0) * 1e-9 : 0;
    }
    pthread_barrier_destroy(&barrier);
out:
    for (int i = 0; ws && i < nthreads; i++) tach__load_stats_clear(&ws[i].stats);
    tach__free(ws);
    tach__free(tids);
    return rc;
}
