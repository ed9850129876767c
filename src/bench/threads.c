/* threads.c - thread sweeps: .threads = {1, 2, 4} or --threads 1,2,4 makes one
 * instance per thread count, and each sample runs the body in that many threads
 * started together from a barrier (docs/scaling.md).
 *
 * The threads are the C library's (glibc >= 2.34 holds them in libc itself, so
 * libtach links no libpthread). */
#define _GNU_SOURCE /* RUSAGE_THREAD */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "hwcount.h"
#include "profile.h"
#include "runner.h"

int tach__parse_threads(const char *s, int *out, char *err)
{
    int n = 0;
    const char *p = s;
    if (!s || !*s) return tach__err(err, "an empty list (give thread counts like 1,2,4)");
    while (*p) {
        char *end;
        errno = 0;
        /* digits alone: strtol also takes blanks and a sign ("1, 2", "+2" ran as 1,2) */
        long v = *p >= '0' && *p <= '9' ? strtol(p, &end, 10) : (end = (char *)p, 0);
        if (end == p || errno || v < 1 || v > TACH__MAX_THREADS || (*end && *end != ','))
            return tach__err(err, "'%s' is not a list of thread counts from 1 to %d (like 1,2,4)",
                             s, TACH__MAX_THREADS);
        if (n == TACH_MAX_THREAD_COUNTS)
            return tach__err(err, "more than %d thread counts in '%s'", TACH_MAX_THREAD_COUNTS, s);
        for (int k = 0; k < n; k++)
            if (out[k] == (int)v) return tach__err(err, "thread count %ld repeated in '%s'", v, s);
        out[n++] = (int)v;
        p = *end ? end + 1 : end;
        if (*end == ',' && !*p) return tach__err(err, "'%s' ends with a comma", s);
    }
    return n;
}

/* A definition's own .threads, up to the 0 that ends it: their number, or -1 with the
 * reason in why when one is below 1 or above TACH__MAX_THREADS, or named twice
 * (reported as the benchmark's failure, as a bad axis is, not run single-threaded,
 * capped, or as two results of one name). */
static int def_thread_counts(const tach_bench_def *def, int *counts, char *why, size_t size)
{
    int k = 0;
    for (; k < TACH_MAX_THREAD_COUNTS && def->threads[k] != 0; k++) {
        if (def->threads[k] < 0 || def->threads[k] > TACH__MAX_THREADS) {
            snprintf(why, size, ".threads: thread count %d is not from 1 to %d", def->threads[k],
                     TACH__MAX_THREADS);
            return -1;
        }
        for (int j = 0; j < k; j++)
            if (counts[j] == def->threads[k]) {
                snprintf(why, size, ".threads: thread count %d repeated", def->threads[k]);
                return -1;
            }
        counts[k] = def->threads[k];
    }
    return k;
}

int tach__expand_threads(tach__instance **list, size_t *n, const int *override, size_t nover,
                         char *err)
{
    size_t total = 0;
    bool any = false;
    for (size_t i = 0; i < *n; i++) {
        const tach__instance *in = &(*list)[i];
        int counts[TACH_MAX_THREAD_COUNTS];
        char why[128];
        int k = nover ? (int)nover : def_thread_counts(in->def, counts, why, sizeof why);
        any |= in->def->threads[0] != 0;
        total += (k > 0 && !in->error) ? (size_t)k : 1;
    }
    if (total == *n && !nover && !any) return 0;
    tach__instance *out = tach__calloc(total ? total : 1, sizeof *out);
    if (!out) return tach__err(err, "out of memory");
    size_t m = 0;
    for (size_t i = 0; i < *n; i++) {
        tach__instance *in = &(*list)[i];
        int counts[TACH_MAX_THREAD_COUNTS];
        char why[128];
        int k = (int)nover;
        if (nover)
            for (size_t t = 0; t < nover; t++) counts[t] = override[t];
        else if ((k = def_thread_counts(in->def, counts, why, sizeof why)) < 0 && !in->error &&
                 !(in->error = tach__strdup(why))) {
            tach__instances_free(out, m);
            return tach__err(err, "out of memory");
        }
        /* An axis named "threads" and the sweep's threads=N would be one parameter in the
         * results (the sweep's over the axis's): runs that differ, with the same ones. */
        for (size_t a = 0; k > 0 && !in->error && a < TACH_MAX_AXES; a++)
            if (in->arg_names[a] && !strcmp(in->arg_names[a], "threads") &&
                !(in->error = tach__strdup("an axis named 'threads' and a thread sweep (.threads "
                                           "or --threads) name one parameter: name the axis otherwise"))) {
                tach__instances_free(out, m);
                return tach__err(err, "out of memory");
            }
        if (k <= 0 || in->error) {
            out[m++] = *in; /* moves the strings */
            continue;
        }
        for (int t = 0; t < k; t++) {
            tach__instance *o = &out[m++];
            *o = *in;
            o->nthreads = counts[t];
            o->error = NULL;
            o->name = tach__instance_name(in->def, o);
            if (!o->name) {
                m--;
                tach__instances_free(out, m);
                return tach__err(err, "out of memory");
            }
        }
        tach__free(in->name);
        tach__free(in->error);
    }
    tach__free(*list);
    *list = out;
    *n = m;
    return 0;
}

/* The threads are made first and wait at a gate; once all exist the gate opens
 * (or aborts, when one could not be made) and they meet at the barrier, so the
 * bodies start together and no thread is left waiting for one that never came. */
typedef struct gate {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int state;               /* 0 wait, 1 go, -1 abort */
    pthread_barrier_t start;
} gate;

typedef struct worker {
    tach_state *st;
    uint64_t iters;
    gate *g;
    uint64_t t0, t1;         /* the thread's own timed region */
    int ran;
    /* From the barrier to the end of the body: the thread's CPU time and the time it
     * waited runnable for a CPU (runq < 0: unknown). */
    double cpu, runq;
    double sleeps;           /* voluntary context switches (a wait on a lock, I/O) */
    /* The counter pass (hw_asked != 0): a thread other than thread 0 counts on a group
     * of its own (a counter opened on a thread counts that thread only), read after. */
    unsigned hw_asked;
    bool hw_read;
    tach__hw_group hw;
    tach__hw_values hw_val;
} worker;

static double voluntary_switches(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_THREAD, &ru) == 0 ? (double)ru.ru_nvcsw : 0;
}

/* (runner.h) The field is brought up to date each time the thread is switched in, so it
 * is current while the thread runs.  (The first field, the CPU time, is not:
 * CLOCK_THREAD_CPUTIME_ID is.) */
double tach__thread_runq_ns(void)
{
    int fd = open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    char buf[128];
    ssize_t k = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (k <= 0) return -1;
    buf[k] = '\0';
    unsigned long long run, wait;
    return sscanf(buf, "%llu %llu", &run, &wait) == 2 ? (double)wait : -1;
}

static double clock_ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void run_one(worker *w)
{
    tach_state *st = w->st;
    st->iters = w->iters;
    st->phase = 0;
    st->elapsed_ns = 0;
    st->done_iters = 0;
    pthread_mutex_lock(&w->g->mu);
    while (w->g->state == 0) pthread_cond_wait(&w->g->cv, &w->g->mu);
    int go = w->g->state > 0;
    pthread_mutex_unlock(&w->g->mu);
    if (!go) return;
    if (w->hw_asked) {
        (void)tach__hw_open_self(&w->hw, w->hw_asked); /* those that fail are not read */
        tach__hw_reset(&w->hw);
        st->hw = &w->hw;
        st->measure |= TACH__MEASURE_HW;
    }
    /* The run-queue wait is read before the barrier: the wait for a CPU after the
     * barrier wakes this thread is the machine's, and belongs in it. */
    double q0 = tach__thread_runq_ns();
    pthread_barrier_wait(&w->g->start);
    double v0 = voluntary_switches(), c0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    st->inst->def->fn(st, 0);
    tach__state_leave_if_forked(st);
    double c1 = clock_ns(CLOCK_THREAD_CPUTIME_ID), v1 = voluntary_switches(), q1 = tach__thread_runq_ns();
    w->cpu = c1 - c0;
    w->sleeps = v1 - v0;
    w->runq = q0 >= 0 && q1 >= q0 ? q1 - q0 : -1;
    if (w->hw_asked) {
        w->hw_read = tach__hw_read(&w->hw, &w->hw_val) == 0;
        tach__hw_close(&w->hw);
    }
    w->ran = st->phase == 2 && !st->stopped;
    w->t0 = st->t0;
    w->t1 = st->t0 + st->elapsed_ns;
}

static void *thread_main(void *arg)
{
    run_one(arg);
    return NULL;
}

static uint64_t cpu_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void open_gate(gate *g, int state)
{
    pthread_mutex_lock(&g->mu);
    g->state = state;
    pthread_cond_broadcast(&g->cv);
    pthread_mutex_unlock(&g->mu);
}

int tach__state_run_threaded(tach_state *st, uint64_t iters)
{
    int n = st->inst->nthreads;
    if (iters == 0) iters = 1;
    tach_state *others = tach__calloc(n > 1 ? (size_t)n - 1 : 1, sizeof *others);
    worker *w = tach__calloc((size_t)n, sizeof *w);
    pthread_t *tid = tach__calloc((size_t)n, sizeof *tid);
    gate g = {.state = 0};
    if (!others || !w || !tid || pthread_barrier_init(&g.start, NULL, (unsigned)n) != 0) {
        tach__free(others);
        tach__free(w);
        tach__free(tid);
        tach_fail(st, "cannot start the threads: out of memory");
        return 0;
    }
    pthread_mutex_init(&g.mu, NULL);
    pthread_cond_init(&g.cv, NULL);
    for (int i = 0; i < n; i++) {
        tach_state *s = st;
        if (i > 0) {
            s = &others[i - 1];
            /* Its own state and random stream, from the run's seed and its index. */
            tach__state_init(s, st->inst, st->seed ^ ((uint64_t)i * 0x9e3779b97f4a7c15u));
            /* The memory pass: every thread's region counts (memcount.c nests them). */
            s->measure = st->measure & TACH__MEASURE_MEM;
            s->instr = st->instr; /* instruction mode: callgrind collects per thread */
        }
        w[i] = (worker){.st = s, .iters = iters, .g = &g, .runq = -1};
        if (i > 0 && st->hw_more && st->hw) w[i].hw_asked = st->hw->asked;
    }
    int started = 1;
    for (int i = 1; i < n; i++) {
        if (pthread_create(&tid[i], NULL, thread_main, &w[i]) != 0) break;
        started++;
    }
    /* The profiler covers the whole threaded sample, from the gate to the last join:
     * the other threads' states know nothing of it, and each thread's timed loop
     * starts and ends at its own time. */
    bool prof = (st->measure & TACH__MEASURE_PROF) && st->sampler;
    st->measure &= ~(unsigned)TACH__MEASURE_PROF;
    if (prof) (void)tach__sampler_enable(st->sampler);
    uint64_t c0 = cpu_now_ns();
    if (started == n) {
        open_gate(&g, 1);
        run_one(&w[0]);
    } else {
        open_gate(&g, -1);
    }
    for (int i = 1; i < started; i++) pthread_join(tid[i], NULL);
    uint64_t c1 = cpu_now_ns();
    if (prof) {
        (void)tach__sampler_disable(st->sampler);
        st->measure |= TACH__MEASURE_PROF;
    }
    pthread_barrier_destroy(&g.start);
    pthread_cond_destroy(&g.cv);
    pthread_mutex_destroy(&g.mu);
    if (started < n) {
        char why[128];
        snprintf(why, sizeof why, "cannot start %d threads (pthread_create failed after %d)", n,
                 started);
        tach_fail(st, why);
    }

    bool ok = started == n;
    uint64_t first = UINT64_MAX, last = 0;
    double sum = 0, lo = INFINITY, hi = 0, tcpu = 0, trunq = 0, tsleeps = 0;
    bool runq_known = true;
    for (int i = 0; ok && i < n; i++) {
        tach_state *s = w[i].st;
        if (s->stopped && !st->stopped) {
            /* A thread's tach_fail / tach_skip stops the benchmark. */
            st->stopped = true;
            st->status = s->status;
            memcpy(st->message, s->message, sizeof st->message);
        }
        if (!w[i].ran) {
            ok = false;
            if (i > 0 && !st->stopped) st->phase = s->phase; /* say which way it went wrong */
            break;
        }
        if (w[i].t0 < first) first = w[i].t0;
        if (w[i].t1 > last) last = w[i].t1;
        double e = (double)(w[i].t1 - w[i].t0);
        sum += e;
        if (e < lo) lo = e;
        if (e > hi) hi = e;
        tcpu += w[i].cpu;
        tsleeps += w[i].sleeps;
        trunq += w[i].runq;
        runq_known &= w[i].runq >= 0;
        for (size_t k = 0; w[i].hw_asked && k < TACH__HW_MAX; k++) {
            if (!(w[i].hw_asked & (1u << k))) continue;
            if (!w[i].hw_read || !w[i].hw_val.ok[k]) { /* read leaves a closed one not ok */
                st->hw_more->ok[k] = false;
                continue;
            }
            st->hw_more->v[k] += w[i].hw_val.v[k];
            st->hw_more->scaled[k] |= w[i].hw_val.scaled[k];
        }
    }
    if (ok && !st->stopped) {
        double wall = (double)(last - first);
        st->elapsed_ns = last - first;
        st->done_iters = iters;
        st->phase = 2;
        tach__counter_set(st, "threads", n);
        tach__counter_set(st, "thread_spread", sum > 0 ? (hi - lo) / (sum / n) : 0);
        tach__counter_set(st, "cpu_utilization", wall > 0 ? (double)(c1 - c0) / wall : 0);
        /* The threads' own CPU time per operation, and how the N threads' share of the
         * sample (N x its wall time) divides between running, waiting for a CPU (the
         * machine's other load) and the rest, "blocked": sleeping on a lock or I/O, or
         * done and waiting for the others (the code's own serialization). */
        tach__counter_set(st, "cpu_ns_per_op", tcpu / ((double)n * (double)iters));
        tach__counter_set(st, "sleeps_per_ms", wall > 0 ? tsleeps / (wall / 1e6) : 0);
        double nt = (double)n * wall;
        if (runq_known && nt > 0) {
            double q = fmin(1, trunq / nt);
            tach__counter_set(st, "runq_wait", q);
            tach__counter_set(st, "blocked", fmax(0, 1 - q - tcpu / nt));
            /* A thread's time per operation without its wait for a CPU: the ratio of
             * N = 1's to N's is the efficiency net of the machine's load. */
            tach__counter_set(st, "net_ns_per_op", fmax(0, nt - trunq) / ((double)n * (double)iters));
        }
    }
    tach__free(others);
    tach__free(w);
    tach__free(tid);
    return ok && !st->stopped && st->phase == 2;
}

int tach__run_sample(tach_state *st, uint64_t iters)
{
    if (st->inst && st->inst->nthreads > 0 && !st->stopped) return tach__state_run_threaded(st, iters);
    return tach__state_run_sample(st, iters);
}
