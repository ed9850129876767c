/*
 * runner.h - the benchmark runner's internals: the registry and its expansion into
 * instances (registry.c), the state behind tach_loop (state.c), calibration and
 * adaptive sampling (sample.c), the forked worker (worker.c) and tach_main
 * (runner.c).  Private to the library; the unit tests include it.
 */
#ifndef TACH_RUNNER_H
#define TACH_RUNNER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "signals.h"
#include "tach_internal.h"

/* ---- registry and instances (src/bench/registry.c) ---------------------------- */

/* The registered definitions, in registration order. */
size_t tach__registry_count(void);
/* How many definitions tach_register refused (a header from another version, no
 * function, out of memory); *why (may be NULL) gets the first one's reason, or NULL. */
size_t tach__registry_refused(const char **why);
const tach_bench_def *tach__registry_get(size_t i);
/* def's function name, or "unnamed" for a hand-made definition without one. */
const char *tach__def_fname(const tach_bench_def *def);

/* One runnable benchmark: a definition at one point of its parameter product. */
typedef struct tach__instance {
    const tach_bench_def *def;
    char *name;                      /* group/function/p1=v1/... */
    size_t naxes;                    /* axis slots in use (kind != NONE) */
    int64_t args[TACH_MAX_AXES];     /* indexed by axis slot */
    const char *arg_names[TACH_MAX_AXES];
    char *error;                     /* a bad axis: the instance reports failed with this */
} tach__instance;

/* The most values one axis may produce; beyond it the axis is reported as bad. */
#define TACH__MAX_AXIS_VALUES 100000

/* Expands def's axes (Cartesian product, first axis outermost) and appends the
 * instances to *list (growing it).  A bad axis gives one instance carrying an error
 * instead of values.  Returns -1 only on allocation failure. */
int tach__expand(const tach_bench_def *def, tach__instance **list, size_t *n, char *err);
/* The values one axis produces; *out is allocated (caller frees).  Returns -1 with
 * a message for a bad axis. */
int tach__axis_values(const tach_axis *a, int64_t **out, size_t *n, char *err);
void tach__instances_free(tach__instance *list, size_t n);

/* ---- the state behind tach_loop (src/bench/state.c) --------------------------- */

#define TACH__MAX_COUNTERS 32
#define TACH__COUNTER_NAME 64

struct tach_state {
    const tach__instance *inst;
    uint64_t seed;
    tach__rng rng;

    /* The sample in progress. */
    uint64_t iters;          /* iterations asked for this sample */
    uint64_t t0;             /* clock at the start of the timed region */
    int phase;               /* 0 not started, 1 timing, 2 recorded */
    uint64_t elapsed_ns;     /* the recorded sample: total timed ns */
    uint64_t done_iters;     /* ... and iterations */

    bool stopped;            /* tach_fail / tach_skip called */
    tach__status status;
    char message[256];

    double bytes_per_iter, items_per_iter;

    /* Counters: the last value set during the current call, folded into sums by
     * tach__state_fold_counters after each measured sample. */
    size_t ncounters;
    char counter_name[TACH__MAX_COUNTERS][TACH__COUNTER_NAME];
    double counter_last[TACH__MAX_COUNTERS];
    bool counter_set[TACH__MAX_COUNTERS];
    double counter_sum[TACH__MAX_COUNTERS];
    uint64_t counter_count[TACH__MAX_COUNTERS];

    /* Per-call latency (.latency or --latency): when lat is set, tach_loop hands out
     * one iteration at a time and every call's duration (one clock read apart) is
     * recorded into lat, allocated before the first sample (percall.c). */
    struct tach__hist *lat;
    uint64_t lat_left;       /* iterations left in the sample */
    uint64_t lat_last;       /* clock at the end of the previous call */
    int64_t lat_lost;        /* durations outside the histogram's range */
};

/* Prepares st for inst; the generator is seeded from seed and the full name. */
void tach__state_init(tach_state *st, const tach__instance *inst, uint64_t seed);
/* Runs the benchmark function once as one sample of iters iterations.  Returns 1
 * when a sample was recorded (st->elapsed_ns, st->done_iters), 0 when the function
 * returned without completing one (stopped, or it never ran tach_loop). */
int tach__state_run_sample(tach_state *st, uint64_t iters);
/* Adds the counters set during the last sample to the running means; clears the
 * per-sample marks. */
void tach__state_fold_counters(tach_state *st);
/* Forgets accumulated counter means (after calibration and warm-up). */
void tach__state_reset_counters(tach_state *st);

/* ---- calibration and sampling (src/bench/sample.c) ---------------------------- */

typedef struct tach__sample_opts {
    double precision;        /* relative half-width of the median's CI, e.g. 0.01 */
    double max_time_s;       /* sampling budget (after calibration and warm-up) */
    size_t min_samples;
    double min_time_s;       /* least sampling time before the precision may stop it */
    /* Samples an earlier round of this benchmark took (NULL, 0: none): the precision
     * is checked on them and this round's together. */
    const double *prior_ns;
    size_t prior_n;
    /* The iteration count an earlier round calibrated (0: calibrate). */
    uint64_t start_iters;
    double sample_time_s;    /* the least duration of one sample */
    double warmup_s;
    uint64_t seed;
    bool progress;           /* write a progress line on stderr */
    const char *progress_prefix; /* e.g. "[3/12]" */
    int progress_width;      /* columns the progress line may use (padded to it) */
    /* Set (non-zero) by a SIGINT/SIGTERM handler: sampling stops at once and the
     * worker is killed.  NULL: never interrupted. */
    const volatile sig_atomic_t *interrupt;
    bool latency;            /* --latency: time every call, as .latency = true does */
    /* --profile: the measured samples are sampled at prof_hz into prof_raw (in a
     * worker, its own copy, sent back with its result); NULL: not profiled. */
    struct tach__prof_raw *prof_raw;
    int prof_hz;
} tach__sample_opts;

void tach__sample_opts_default(tach__sample_opts *o);

/* The least duration of one sample: max(1000 x timer resolution, sample_time). */
double tach__sample_target_ns(const tach__sample_opts *o);

/* Grows the iteration count from 1 until one sample lasts at least target_ns
 * (samples discarded).  Returns the count, or 0 when the benchmark stopped itself
 * or never ran tach_loop. */
uint64_t tach__calibrate(tach_state *st, double target_ns);

/* Runs inst in this process: calibration, warm-up, adaptive sampling.  Fills r's
 * raw samples, status, message, counters, throughput and precision fields (not the
 * summary: call tach__result_finish).  r must be zeroed with name set by the caller
 * or left NULL.  Returns -1 only on allocation failure. */
int tach__sample_instance(const tach__instance *inst, const tach__sample_opts *o,
                          tach__result *r, char *err);

/* Fills r's name, group, function, params and targets from inst. */
int tach__result_describe(tach__result *r, const tach__instance *inst, char *err);

/* ---- per-call latency (src/bench/percall.c) ------------------------------------ */

/* Gives st a histogram when inst's definition asks for .latency or o->latency is
 * set; returns -1 only when out of memory. */
int tach__percall_begin(tach_state *st, const tach__sample_opts *o);
/* Forgets what calibration and warm-up recorded. */
void tach__percall_reset(tach_state *st);
/* Moves st's histogram into r->latency, judged against the clock's cost (too short
 * to time one by one when the median call is under 20 clock reads); with r NULL,
 * frees it.  Returns -1 only when out of memory. */
int tach__percall_end(tach_state *st, tach__result *r);
/* tach__loop_next when st->lat is set: one iteration per call, each timed. */
uint64_t tach__percall_next(tach_state *st);
/* Runs routine(ctx, 0..b-1), timing and recording each call; returns their total ns. */
uint64_t tach__percall_batch(tach_state *st, size_t b, tach_batch_fn routine, void *ctx);

/* ---- the forked worker (src/bench/worker.c) ----------------------------------- */

/* Runs inst in a forked child that sends its raw result back over a pipe, waiting
 * at most timeout_s seconds.  Sets r's status to timeout/crashed/failed when the
 * worker hangs, dies of a signal or exits without a result.  Returns -1 only when
 * the worker cannot be started (err says why). */
int tach__run_isolated(const tach__instance *inst, const tach__sample_opts *o,
                       double timeout_s, tach__result *r, char *err);

/* The raw part of a result as JSON (what the worker sends), and back. */
json_t *tach__raw_to_json(const tach__result *r);
int tach__raw_from_json(const json_t *j, tach__result *r, char *err);

/* ---- tach_main (src/bench/runner.c) ------------------------------------------- */

/* The benchmark binaries' option table (its --help is generated from it); *n gets
 * its rows.  The tests walk it. */
struct tach__opt;
const struct tach__opt *tach__runner_options(size_t *n);

#endif /* TACH_RUNNER_H */
