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
#include <stdio.h>
#include <sys/types.h>

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
    int nthreads;                    /* a thread sweep's N (name ends /threads=N); 0: none */
} tach__instance;

/* The most values one axis, or the product of a benchmark's axes, may produce; beyond
 * it the benchmark is reported as bad. */
#define TACH__MAX_AXIS_VALUES 100000

/* Expands def's axes (Cartesian product, first axis outermost) and appends the
 * instances to *list (growing it).  A bad axis gives one instance carrying an error
 * instead of values.  Returns -1 only on allocation failure. */
int tach__expand(const tach_bench_def *def, tach__instance **list, size_t *n, char *err);
/* The values one axis produces; *out is allocated (caller frees).  Returns -1 with
 * a message for a bad axis. */
int tach__axis_values(const tach_axis *a, int64_t **out, size_t *n, char *err);
void tach__instances_free(tach__instance *list, size_t n);
/* group/function/p1=v1/.../threads=N of an instance; caller frees; NULL when out of
 * memory. */
char *tach__instance_name(const tach_bench_def *def, const tach__instance *in);

/* ---- the state behind tach_loop (src/bench/state.c) --------------------------- */

#define TACH__MAX_COUNTERS 32
#define TACH__COUNTER_NAME 64

struct tach_state {
    const tach__instance *inst;
    uint64_t seed;
    tach__rng rng;
    pid_t pid;               /* the process tach__state_init ran in (see leave_if_forked) */

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

    /* Instruction mode (instr.c): callgrind's collection is toggled on around the
     * timed region of each sample, so only the measured code is counted. */
    bool instr;

    /* Counters: the last value set during the current call, folded into sums by
     * tach__state_fold_counters after each measured sample. */
    size_t ncounters;
    char counter_name[TACH__MAX_COUNTERS][TACH__COUNTER_NAME];
    double counter_last[TACH__MAX_COUNTERS];
    bool counter_set[TACH__MAX_COUNTERS];
    double counter_sum[TACH__MAX_COUNTERS];
    uint64_t counter_count[TACH__MAX_COUNTERS];

    /* What tach__loop_next, tach_batched and the per-call loop switch on just before
     * the clock starts and off just after it stops: in the timed samples, the
     * profiler (--profile: TACH__MEASURE_PROF, so that code of the body outside
     * tach_loop is not sampled); in the memory and counter passes after them
     * (passes.c), those counters. */
    unsigned measure;               /* TACH__MEASURE_* bits */
    const struct tach__hw_group *hw; /* the open counters (TACH__MEASURE_HW) */
    /* In a thread sweep's counter pass, the other threads' counts, each thread counted
     * on its own group and added here after the sample (threads.c, passes.c). */
    struct tach__hw_values *hw_more;
    struct tach__sampler *sampler;  /* the profiler (TACH__MEASURE_PROF) */
    /* Per-call latency (.latency or --latency): when lat is set, tach_loop hands out
     * one iteration at a time and every call's duration (one clock read apart) is
     * recorded into lat, allocated before the first sample (percall.c). */
    struct tach__hist *lat;
    uint64_t lat_left;       /* iterations left in the sample */
    uint64_t lat_last;       /* clock at the end of the previous call */
    int64_t lat_lost;        /* durations outside the histogram's range */
};

enum { TACH__MEASURE_MEM = 1u << 0, TACH__MEASURE_HW = 1u << 1, TACH__MEASURE_PROF = 1u << 2 };
/* Switches the measuring of st->measure on (1) or off (0) around the region. */
void tach__state_measure(const tach_state *st, int on);

/* Prepares st for inst; the generator is seeded from seed and the full name. */
void tach__state_init(tach_state *st, const tach__instance *inst, uint64_t seed);
/* Runs the benchmark function once as one sample of iters iterations.  Returns 1
 * when a sample was recorded (st->elapsed_ns, st->done_iters), 0 when the function
 * returned without completing one (stopped, or it never ran tach_loop). */
int tach__state_run_sample(tach_state *st, uint64_t iters);
/* Ends the calling process, quietly (_exit(0), stdio not flushed), when it is not the
 * one st was made in: a child the benchmark forked that returned from the body,
 * .setup or .teardown instead of calling _exit.  Called after each of them returns; the
 * child would otherwise go on running the runner (more samples, a second result on
 * the worker's pipe, the rest of the run with --no-isolate). */
void tach__state_leave_if_forked(const tach_state *st);
/* Sets counter name to value in the current sample (tach_counter without its check of
 * the sweep's names: the sweep's own counters are set with it). */
void tach__counter_set(tach_state *st, const char *name, double value);
/* Whether name is one of the counters tach__state_run_threaded sets ("threads",
 * "thread_spread", ...): in a sweep, tach_counter of such a name fails the benchmark. */
bool tach__sweep_counter(const char *name);
/* Adds the counters set during the last sample to the running means; clears the
 * per-sample marks. */
void tach__state_fold_counters(tach_state *st);
/* Forgets accumulated counter means (after calibration and warm-up). */
void tach__state_reset_counters(tach_state *st);

/* ---- threads (src/bench/threads.c) --------------------------------------------- */

/* The time the calling thread has waited on a run queue (runnable, not running), in
 * ns: the second field of /proc/thread-self/schedstat; -1 when it cannot be read. */
double tach__thread_runq_ns(void);

/* The most threads one instance may run. */
#define TACH__MAX_THREADS 1024

/* Replaces every instance of *list whose definition asks for threads (def->threads),
 * or every instance when override (nover > 0) is given, by one instance per thread
 * count, named .../threads=N.  Returns -1 only on allocation failure. */
int tach__expand_threads(tach__instance **list, size_t *n, const int *override, size_t nover,
                         char *err);
/* Parses "1,2,4" (1..TACH__MAX_THREADS each, at most TACH_MAX_THREAD_COUNTS, no
 * repeats) into out; returns the count, or -1 with err naming the fault. */
int tach__parse_threads(const char *s, int *out, char *err);
/* Runs one sample of st->iters iterations in st->inst->nthreads threads started
 * together from a barrier, each with its own tach_state (thread 0 is st itself):
 * st->elapsed_ns is the wall time from the first start to the last end; the counters
 * "threads", "thread_spread" ((slowest - fastest) / mean of the threads' own times),
 * "cpu_utilization" (process CPU time / wall time) and the others tach__sweep_counter
 * names are set.  Same return as
 * tach__state_run_sample. */
int tach__state_run_threaded(tach_state *st, uint64_t iters);
/* One sample: tach__state_run_threaded for an instance of a thread sweep, else
 * tach__state_run_sample.  What calibration and sampling call. */
int tach__run_sample(tach_state *st, uint64_t iters);

/* ---- soak mode (src/bench/soak_mode.c) ----------------------------------------- */

/* Runs inst's body again and again for duration_s (or until *stop), writing one JSON
 * line per interval_s to out (docs/soak.md has the keys).  0, or -1 with err set (the
 * benchmark failed, skipped itself, or the output could not be written). */
int tach__soak_run(const tach__instance *inst, double duration_s, double interval_s, uint64_t seed,
                   const volatile sig_atomic_t *stop, FILE *out, char *err);

/* ---- calibration and sampling (src/bench/sample.c) ---------------------------- */

/* The least duration of a thread sweep's sample (threads.c; docs/scaling.md). */
#define TACH__THREADS_SAMPLE_NS 50e6

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
    /* After the timed samples, a separate pass counting the heap (--memory; a
     * definition's .memory asks too) and one reading the CPU counters of this mask
     * (--counters; 0 = none).  See passes.c. */
    bool memory;
    unsigned counters;
    /* The arguments tach_main got (argc 0: none): the memory pass starts the program
     * again with them, the counting allocator preloaded (mempass.c). */
    int argc;
    char *const *argv;
    bool latency;            /* --latency: time every call, as .latency = true does */
    /* --profile: the measured samples are sampled at prof_hz into prof_raw (in a
     * worker, its own copy, sent back with its result); NULL: not profiled. */
    struct tach__prof_raw *prof_raw;
    int prof_hz;
    /* In a forked worker: when its timeout ends (tach__now_ns; 0: none).  The memory
     * pass's process gets what is left, less a margin (mempass.c). */
    uint64_t deadline_ns;
} tach__sample_opts;

void tach__sample_opts_default(tach__sample_opts *o);

/* The least duration of one sample: max(1000 x timer resolution, sample_time). */
double tach__sample_target_ns(const tach__sample_opts *o);

/* Grows the iteration count from 1 until one sample lasts at least target_ns
 * (samples discarded).  Returns the count, or 0 when the benchmark stopped itself
 * or never ran tach_loop. */
uint64_t tach__calibrate(tach_state *st, double target_ns);
/* Why st's benchmark returned without completing a sample: its own tach_fail/tach_skip
 * message, that it left its tach_loop early, or that it never ran one.  Never NULL. */
const char *tach__stop_reason(const tach_state *st);

/* Runs inst in this process: calibration, warm-up, adaptive sampling.  Fills r's
 * raw samples, status, message, counters, throughput and precision fields (not the
 * summary: call tach__result_finish).  r must be zeroed with name set by the caller
 * or left NULL.  Returns -1 only on allocation failure. */
int tach__sample_instance(const tach__instance *inst, const tach__sample_opts *o,
                          tach__result *r, char *err);

/* ---- the memory and counter passes (src/bench/passes.c) ------------------------- */

/* Runs the passes o and inst's definition ask for, after the timed samples, with the
 * sample's iteration count iters, and fills r->memory and r's counters.  A pass that
 * cannot count says why in r (memory.unavailable, the absent counters); -1 only on
 * allocation failure. */
int tach__measure_passes(tach_state *st, uint64_t iters, const tach__sample_opts *o,
                         tach__result *r, char *err);

/* ---- the memory pass (src/bench/mempass.c) -------------------------------------- */

/* The memory pass proper, in a process where the counting allocator is loaded
 * (memcount.h): two samples of min(iters, 16) and twice that many iterations, counted;
 * fills m's counts (m->unavailable when it cannot count).  A benchmark that stops
 * leaves m unmeasured (st says why).  -1 only on allocation failure. */
int tach__memory_count(tach_state *st, uint64_t iters, tach__memory *m, char *err);

/* Runs st's benchmark's memory pass in this program started again (o->argv, the
 * arguments tach_main got, and --tach-mem-worker; o->interrupt stops it; it is killed
 * when what is left before o->deadline_ns, less a margin, has passed) with libtach's
 * counting allocator preloaded
 * (LD_PRELOAD, from a memfd or a temporary file), and fills m's counts from its
 * answer; m->peak_rss_bytes is kept.  When it cannot (AddressSanitizer, a static
 * executable, the allocator not preloaded, the process failed), m->unavailable says
 * why in one line.  A benchmark that stopped in that process stops st too.  -1 only
 * on allocation failure. */
int tach__mem_exec(tach_state *st, uint64_t iters, const tach__sample_opts *o, tach__memory *m,
                   char *err);
/* Writes the counting allocator once (a memfd, or a file in a temporary directory),
 * so that the workers forked after share it: 0, or -1 with why.  Optional: the
 * memory pass calls it when it was not. */
int tach__mem_preload_prepare(char *why);
/* Releases what tach__mem_preload_prepare made (in the process that made it). */
void tach__mem_preload_release(void);
/* In a forked timed worker: closes the memfd it inherited (the benchmark's samples
 * would see it among their descriptors) and forgets it, so that its memory pass
 * writes its own; a temporary file is kept (the process that made it removes it). */
void tach__mem_preload_detach(void);
/* The process tach__mem_exec starts: measures the instance named in spec
 * ("FD,ITERS,NAME") among sel, after one uncounted warm-up sample of ITERS, and
 * writes its memory block as one JSON line to FD.  Returns the exit status (0; 1
 * when the answer cannot be written; 2 when spec is not FD,ITERS,NAME). */
int tach__mem_worker(const char *spec, const tach__instance *sel, size_t nsel, uint64_t seed);

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

/* ---- instruction mode (src/bench/instr.c) ------------------------------------- */

typedef struct tach__instr_opts {
    bool cache_sim;          /* --cache-sim: callgrind's cache simulation */
    uint64_t seed;
    double timeout_s;        /* kill the Valgrind process after this */
    const char *exe;         /* this program (/proc/self/exe) */
    const char *valgrind;    /* the Valgrind to run it under: the one tach__valgrind_find found
                              * and tach__valgrind_starts checked, once, before any count */
    const char *threads;     /* --threads as given, passed on to the worker (its instances
                              * are named .../threads=N only with it); NULL: none */
    const volatile sig_atomic_t *interrupt; /* as in tach__sample_opts */
} tach__instr_opts;

/* Whether the valgrind found at valgrind (tach__valgrind_find) can start its callgrind
 * tool: runs valgrind --tool=callgrind --version (the tool is loaded, nothing runs under
 * it), once, before any benchmark is counted.  Returns 0, or -1 with err saying what went
 * wrong: the first line valgrind wrote to stderr (a tool not installed, a VALGRIND_LIB
 * naming no such folder), then how it ended. */
int tach__valgrind_starts(const char *valgrind, char *err);

/* Measures inst under Valgrind's callgrind in a new process (this program again,
 * with --tach-instr-worker): r gets status, message, throughput, counters and the
 * instruction counts (has_instr); a benchmark Valgrind cannot run is failed with
 * Valgrind's message.  Returns -1 only when the process cannot be started or a
 * temporary directory made (err says why); Valgrind missing is checked before, and o->valgrind is the one found then. */
int tach__instr_run(const tach__instance *inst, const tach__instr_opts *o, tach__result *r,
                    char *err);

/* The worker side, in the process Valgrind runs: measures the instance named in
 * dir/bench among sel (collection toggled around each sample, a dump after each,
 * the dumps read back from dir) and writes dir/result.json.  Returns the process's
 * exit status (0; 1 when the result cannot be written). */
int tach__instr_worker(const char *dir, const tach__instance *sel, size_t nsel,
                       const tach__instr_opts *o);

/* ---- tach_main (src/bench/runner.c) ------------------------------------------- */

/* The benchmark binaries' option table (its --help is generated from it); *n gets
 * its rows.  The tests walk it. */
struct tach__opt;
const struct tach__opt *tach__runner_options(size_t *n);

#endif /* TACH_RUNNER_H */
