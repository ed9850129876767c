/* state.c - the state behind tach_loop: one sample per call of the benchmark
 * function, the batched variant, parameters, throughput, counters, fail/skip and
 * the benchmark's own random stream. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hwcount.h"
#include "memcount.h"
#include "profile.h"
#include "runner.h"

void tach__state_measure(const tach_state *st, int on)
{
    if (on) {
        if (st->measure & TACH__MEASURE_HW) tach__hw_on(st->hw);
        if (st->measure & TACH__MEASURE_MEM) tach__mem_on();
        if (st->measure & TACH__MEASURE_PROF) (void)tach__sampler_enable(st->sampler);
    } else {
        if (st->measure & TACH__MEASURE_PROF) (void)tach__sampler_disable(st->sampler);
        if (st->measure & TACH__MEASURE_MEM) tach__mem_off();
        if (st->measure & TACH__MEASURE_HW) tach__hw_off(st->hw);
    }
}
#ifdef TACH_HAVE_CALLGRIND
#include <valgrind/callgrind.h> /* client requests only: no-ops outside Valgrind */
#define INSTR_TOGGLE(st) do { if ((st)->instr) CALLGRIND_TOGGLE_COLLECT; } while (0)
#else
#define INSTR_TOGGLE(st) ((void)(st))
#endif

void tach__state_init(tach_state *st, const tach__instance *inst, uint64_t seed)
{
    memset(st, 0, sizeof *st);
    st->inst = inst;
    st->seed = seed;
    st->status = TACH__OK;
    st->pid = getpid();
    tach__rng_seed(&st->rng, seed ^ tach__hash_str(inst && inst->name ? inst->name : ""));
}

int tach__state_run_sample(tach_state *st, uint64_t iters)
{
    if (st->stopped) return 0;
    st->iters = iters ? iters : 1;
    st->phase = 0;
    st->elapsed_ns = 0;
    st->done_iters = 0;
    st->inst->def->fn(st, 0);
    tach__state_leave_if_forked(st);
    return st->phase == 2 && !st->stopped;
}

void tach__state_leave_if_forked(const tach_state *st)
{
    /* The library never exits its caller's process; this is not it, but a copy the
     * benchmark made, with nothing to report and the parent's buffered output (not
     * flushed: it would appear twice). */
    if (st && st->pid && getpid() != st->pid) _exit(0);
}

/* The first call of a sample starts the clock and hands out the iteration count;
 * the second stops it and records the sample.  Everything but the clock read is
 * done before the start and after the stop, so it stays off the timed region. */
uint64_t tach__loop_next(tach_state *st)
{
    if (!st) return 0; /* tach_loop(NULL): the body never runs */
    if (st->lat) return tach__percall_next(st);
    if (st->phase == 0 && !st->stopped) {
        st->phase = 1;
        uint64_t n = st->iters;
        if (st->measure) tach__state_measure(st, 1); /* the passes only */
        st->t0 = tach__now_ns();
        INSTR_TOGGLE(st); /* the clock reads stay outside the counted region */
        return n;
    }
    if (st->phase == 1) {
        INSTR_TOGGLE(st);
        uint64_t t1 = tach__now_ns();
        if (st->measure) tach__state_measure(st, 0);
        st->elapsed_ns = t1 - st->t0;
        st->done_iters = st->iters;
        st->phase = 2;
    }
    return 0;
}

void tach_batched(tach_state *st, size_t batch, tach_batch_fn setup, tach_batch_fn routine,
                  void *ctx)
{
    if (!st || st->stopped) return;
    if (st->phase != 0) {
        /* inside or after this call's tach_loop (or a second tach_batched): the routine
         * would not run, and the sample be the loop's time */
        tach_fail(st, "tach_batched: called inside or after tach_loop, or twice in one call "
                      "of the benchmark; use one of them, once per call");
        return;
    }
    if (batch == 0 || !routine) {
        tach_fail(st, batch == 0 ? "tach_batched: batch must be >= 1"
                                 : "tach_batched: routine is NULL");
        return;
    }
    st->phase = 1;
    uint64_t total = 0, remaining = st->iters;
    while (remaining > 0 && !st->stopped) {
        size_t b = remaining < batch ? (size_t)remaining : batch;
        if (setup)
            for (size_t i = 0; i < b; i++) setup(ctx, i);
        if (st->measure) tach__state_measure(st, 1);
        if (st->lat) {
            total += tach__percall_batch(st, b, routine, ctx);
        } else {
            uint64_t t0 = tach__now_ns();
            INSTR_TOGGLE(st);
            for (size_t i = 0; i < b; i++) routine(ctx, i);
            INSTR_TOGGLE(st);
            uint64_t t1 = tach__now_ns();
            total += t1 - t0;
        }
        if (st->measure) tach__state_measure(st, 0);
        remaining -= b;
    }
    st->elapsed_ns = total;
    st->done_iters = st->iters - remaining;
    st->phase = 2;
}

int64_t tach_arg(const tach_state *st, size_t i)
{
    if (!st || !st->inst || i >= TACH_MAX_AXES) return 0;
    return st->inst->args[i];
}

int64_t tach_arg_named(const tach_state *st, const char *name)
{
    if (!st || !st->inst || !name) return 0;
    for (size_t i = 0; i < TACH_MAX_AXES; i++)
        if (st->inst->arg_names[i] && strcmp(st->inst->arg_names[i], name) == 0)
            return st->inst->args[i];
    return 0;
}

void tach_set_bytes(tach_state *st, uint64_t bytes_per_iteration)
{
    if (st) st->bytes_per_iter = (double)bytes_per_iteration;
}

void tach_set_items(tach_state *st, uint64_t items_per_iteration)
{
    if (st) st->items_per_iter = (double)items_per_iteration;
}

/* The counters a sweep's sample sets (tach__state_run_threaded in threads.c,
 * docs/scaling.md). */
static const char *const sweep_counters[] = {"threads",       "thread_spread", "cpu_utilization",
                                             "cpu_ns_per_op", "sleeps_per_ms", "runq_wait",
                                             "blocked",       "net_ns_per_op"};

#define NSWEEP_COUNTERS (sizeof sweep_counters / sizeof *sweep_counters)

bool tach__sweep_counter(const char *name)
{
    for (size_t i = 0; i < NSWEEP_COUNTERS; i++)
        if (!strcmp(name, sweep_counters[i])) return true;
    return false;
}

/* name's index among st's counters, else st->ncounters. */
static size_t counter_index(const tach_state *st, const char *name)
{
    size_t i;
    for (i = 0; i < st->ncounters; i++)
        if (strcmp(st->counter_name[i], name) == 0) break;
    return i;
}

/* The benchmark's own counters in st (in a sweep, not the sweep's). */
static size_t own_counters(const tach_state *st, bool sweep)
{
    size_t n = 0;
    for (size_t i = 0; i < st->ncounters; i++) n += !(sweep && tach__sweep_counter(st->counter_name[i]));
    return n;
}

void tach_counter(tach_state *st, const char *name, double value)
{
    if (!st || !name) return;
    if (!name[0]) { /* was taken: a counter "" in the results, known by no name */
        tach_fail(st, "a counter has an empty name: name it");
        return;
    }
    bool sweep = st->inst && st->inst->nthreads > 0;
    char why[256], shown[TACH__COUNTER_NAME];
    size_t len = strlen(name);
    if (len >= TACH__COUNTER_NAME) { /* was dropped, unsaid: the counter missing from the results */
        snprintf(why, sizeof why, "a counter name of %zu bytes, '%s': at most %d bytes; "
                 "shorten it", len, tach__elide(name, 48, shown, sizeof shown),
                 TACH__COUNTER_NAME - 1);
        tach_fail(st, why);
        return;
    }
    if (sweep && tach__sweep_counter(name)) {
        /* the sweep would write its own value over the benchmark's */
        snprintf(why, sizeof why, "a counter named '%s' is one a thread sweep reports itself: "
                 "name it otherwise", name);
        tach_fail(st, why);
        return;
    }
    /* a new name past the last slot was dropped, unsaid; in a sweep its own counters
     * take NSWEEP_COUNTERS of them */
    size_t most = TACH__MAX_COUNTERS - (sweep ? NSWEEP_COUNTERS : 0);
    if (counter_index(st, name) == st->ncounters && own_counters(st, sweep) >= most) {
        snprintf(why, sizeof why, "too many counters: '%s' would be counter %zu, at most %zu%s",
                 name, most + 1, most, sweep ? " in a thread sweep (its own take the rest of 32)" : "");
        tach_fail(st, why);
        return;
    }
    tach__counter_set(st, name, value);
}

void tach__counter_set(tach_state *st, const char *name, double value)
{
    size_t i = counter_index(st, name);
    if (i == st->ncounters) {
        if (st->ncounters == TACH__MAX_COUNTERS || strlen(name) >= TACH__COUNTER_NAME) return;
        memcpy(st->counter_name[i], name, strlen(name) + 1);
        st->ncounters++;
    }
    st->counter_last[i] = value;
    st->counter_set[i] = true;
}

void tach__state_fold_counters(tach_state *st)
{
    for (size_t i = 0; i < st->ncounters; i++) {
        if (!st->counter_set[i]) continue;
        st->counter_sum[i] += st->counter_last[i];
        st->counter_count[i]++;
        st->counter_set[i] = false;
    }
}

void tach__state_reset_counters(tach_state *st)
{
    for (size_t i = 0; i < st->ncounters; i++) {
        st->counter_sum[i] = 0;
        st->counter_count[i] = 0;
        st->counter_set[i] = false;
    }
}

static void stop(tach_state *st, tach__status status, const char *why)
{
    if (!st || st->stopped) return;
    st->stopped = true;
    st->status = status;
    const char *w = why ? why : "";
    size_t len = strlen(w);
    bool cut = len >= sizeof st->message;
    if (cut) len = sizeof st->message - 1;
    memcpy(st->message, w, len);
    st->message[len] = '\0';
    if (cut) tach__utf8_cut(st->message); /* not half a character, shown as U+FFFD */
}

/* The message of tach_fail / tach_skip called with NULL: the status is shown beside
 * it ("failed: no reason given"), so it does not repeat it. */
#define NO_REASON "no reason given"

/* "" left the message empty ("failed: " with nothing after it): as NULL */
void tach_fail(tach_state *st, const char *why)
{
    stop(st, TACH__FAILED, why && *why ? why : NO_REASON);
}

void tach_skip(tach_state *st, const char *why)
{
    stop(st, TACH__SKIPPED, why && *why ? why : NO_REASON);
}

uint64_t tach_seed(const tach_state *st)
{
    return st ? st->seed : 0;
}

uint64_t tach_rand(tach_state *st)
{
    return st ? tach__rng_next(&st->rng) : 0;
}
