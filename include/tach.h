/*
 * tach.h - the public API of libtach, for writing benchmarks in C.
 *
 * A benchmark is a function registered with TACH_BENCH; its timed region is the
 * body of a `while (tach_loop(st))` loop.  The runner (tach_main) calibrates the
 * iteration count, samples until the confidence interval of the median is as
 * narrow as asked, isolates each benchmark in a worker process and writes the
 * results as a table or as a results document (docs/results-format.md).
 *
 *     #include <tach.h>
 *
 *     TACH_BENCH(sum, .args = { TACH_RANGE("n", 64, 4096, 8) })
 *     {
 *         size_t n = (size_t)tach_arg(st, 0);
 *         while (tach_loop(st)) {
 *             unsigned s = 0;
 *             for (size_t i = 0; i < n; i++) s += (unsigned)i;
 *             TACH_KEEP(s);
 *         }
 *         tach_set_items(st, n);
 *     }
 *
 * Link with -ltach_main (which supplies main()) or call tach_main() yourself.
 *
 * If a function or macro does not appear in this file, it is not part of the
 * published API.  Public names start with tach_ / TACH_; names starting with
 * tach__ / TACH__ are internal even when they must appear here (the inline fast
 * path of tach_loop).
 *
 * Requires GCC or Clang (constructors register benchmarks; inline asm makes the
 * optimizer barriers).
 *
 * NULL arguments never crash the library.  A NULL tach_state * or tach_op * makes a
 * function a no-op that returns 0 (or NULL, or nothing); tach_loop(NULL) is false at
 * once.  What a NULL string or buffer means is said at each function.
 */
#ifndef TACH_H
#define TACH_H

#if !defined(__GNUC__) && !defined(__clang__)
#error "tach.h needs GCC or Clang: benchmarks register from constructors and the optimizer barriers are inline asm"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- version ------------------------------------------------------------ */

#define TACH_VERSION_MAJOR 0
#define TACH_VERSION_MINOR 2
#define TACH_VERSION_PATCH 0
#define TACH_VERSION_STRING "0.2.0"
/* One number to compare against, e.g. 0x000100 for 0.1.0: the version of this header. */
#define TACH_VERSION_NUM ((TACH_VERSION_MAJOR << 16) | (TACH_VERSION_MINOR << 8) | TACH_VERSION_PATCH)
/* True when this header is at least version major.minor.patch. */
#define TACH_VERSION_AT_LEAST(major, minor, patch) \
    (TACH_VERSION_NUM >= (((major) << 16) | ((minor) << 8) | (patch)))

/* Marks the exported symbols: the library is built with hidden visibility. */
#define TACH_API __attribute__((visibility("default")))

/* The version of the library actually linked, as "MAJOR.MINOR.PATCH".  Compare with
 * TACH_VERSION_STRING to detect a header/library mismatch.  Never NULL. */
TACH_API const char *tach_version(void);

/* The version of the library actually linked, as one number built like
 * TACH_VERSION_NUM.  A program compiled against this header can check that the
 * library it runs with is not older:  tach_version_number() >= TACH_VERSION_NUM. */
TACH_API int tach_version_number(void);

/* ---- parameters --------------------------------------------------------- */

/* How an axis produces its values. */
typedef enum tach_axis_kind {
    TACH_AXIS_NONE = 0, /* unused slot */
    TACH_AXIS_LIST,     /* the listed values, in order */
    TACH_AXIS_RANGE,    /* geometric: lo, lo*mult, lo*mult^2, ... and hi itself (Google Benchmark's Range) */
    TACH_AXIS_DENSE     /* arithmetic: lo, lo+step, ... up to and including hi */
} tach_axis_kind;

/* One parameter axis.  A benchmark with several axes runs over their Cartesian
 * product, first axis outermost.  Build axes with TACH_LIST / TACH_RANGE / TACH_DENSE. */
typedef struct tach_axis {
    const char *name;       /* shown as name=value in the benchmark's full name ("arg"
                             * when NULL); two axes of one name, an empty name or one
                             * holding '/' or '=' fail the benchmark */
    tach_axis_kind kind;
    const int64_t *values;  /* TACH_AXIS_LIST: the values */
    size_t nvalues;         /* TACH_AXIS_LIST: how many */
    int64_t lo, hi, step;   /* RANGE: step is the multiplier (>= 2); DENSE: the increment (>= 1) */
} tach_axis;

#define TACH_MAX_AXES 4

#define TACH__I64S(...) ((const int64_t[]){__VA_ARGS__})
/* TACH_LIST("size", 100, 1000, 10000): exactly these values. */
#define TACH_LIST(pname, ...)                                                     \
    { .name = (pname), .kind = TACH_AXIS_LIST, .values = TACH__I64S(__VA_ARGS__), \
      .nvalues = sizeof(TACH__I64S(__VA_ARGS__)) / sizeof(int64_t) }
/* TACH_RANGE("n", 8, 4096, 8): 8, 64, 512, 4096 (geometric, multiplier 8, hi included). */
#define TACH_RANGE(pname, lo_, hi_, mult) \
    { .name = (pname), .kind = TACH_AXIS_RANGE, .lo = (lo_), .hi = (hi_), .step = (mult) }
/* TACH_DENSE("threads", 1, 4, 1): 1, 2, 3, 4. */
#define TACH_DENSE(pname, lo_, hi_, step_) \
    { .name = (pname), .kind = TACH_AXIS_DENSE, .lo = (lo_), .hi = (hi_), .step = (step_) }

/* At most this many thread counts in tach_bench_def.threads. */
#define TACH_MAX_THREAD_COUNTS 8

/* ---- registration ------------------------------------------------------- */

typedef struct tach_state tach_state;

/* A memory target of zero (.max_allocs_per_iter = TACH_ZERO: "allocates nothing").
 * A plain 0 in those fields means no target, as for any field left out. */
#define TACH_ZERO (-1.0)

/* The function TACH_BENCH defines.  tach__n is the inline loop counter (internal):
 * tach_loop reads and writes a variable of that name, so a function written by hand
 * for tach_register must name its second parameter exactly `tach__n` (and leave it
 * to tach_loop) to use tach_loop; the state may have any name:
 *     static void my_bench(tach_state *st, uint64_t tach__n)
 *     {
 *         while (tach_loop(st)) work();
 *     }
 * One that does not use tach_loop (tach_batched) may name it freely. */
typedef void (*tach_bench_fn)(tach_state *st, uint64_t tach__n);

/* A benchmark's definition.  TACH_BENCH(name, .field = value, ...) fills it;
 * every field but struct_size, fn and fname is optional.
 *
 * The caller allocates the definition and the library keeps it, so its layout is
 * part of the ABI: struct_size says how large the caller's tach_bench_def is
 * (sizeof(tach_bench_def) as compiled against its tach.h; TACH_BENCH sets it).  A
 * library reads only the fields that size covers (those after it count as 0) and
 * refuses a definition larger than its own, whose extra fields it cannot honour. */
typedef struct tach_bench_def {
    size_t struct_size;     /* sizeof(tach_bench_def); set by TACH_BENCH; must come first */
    const char *fname;      /* the function name (set by TACH_BENCH) */
    tach_bench_fn fn;       /* set by TACH_BENCH */
    const char *group;      /* optional: the full name becomes group/fname/... */
    tach_axis args[TACH_MAX_AXES]; /* parameter axes; their product is run */
    /* Declared targets, checked by `tach gate` and the reports (0 = none; one below 0,
     * or NaN, fails the benchmark, naming it: so do the memory targets' NaN and the
     * thread targets' below 0 or NaN). */
    double max_mean_ns;     /* mean time per iteration must be at most this */
    double max_median_ns;   /* median time per iteration must be at most this */
    double max_p99_ns;      /* 99th percentile of per-iteration time must be at most this */
    double min_bytes_per_sec; /* throughput (needs tach_set_bytes) must be at least this */
    double min_items_per_sec; /* item rate (needs tach_set_items) must be at least this */
    double max_regression_pct; /* a change beyond this against the baseline fails the gate */
    /* Optional: run once per worker process (once per round), around all of its
     * calls of the body: setup before calibration, teardown after the last sample.
     * For costly preparation (a 50 ms index build) that the body would otherwise
     * redo before every sample.  tach_arg works in both; setup may call tach_fail or
     * tach_skip (the body then never runs; teardown still does).  Keep what they
     * make in variables of the benchmark's file. */
    void (*setup)(tach_state *st);
    void (*teardown)(tach_state *st);
    /* How the benchmark's own code was compiled, captured by TACH_BENCH in the user's
     * translation unit (libtach's flags say nothing about it): 1 when built with
     * optimization (__OPTIMIZE__) / with NDEBUG defined, -1 when not, 0 unknown (a
     * definition made by hand); the compiler's __VERSION__, or NULL.  Results carry
     * them as context.benchmark_build (docs/results-format.md). */
    int built_optimized;
    int built_ndebug;
    const char *built_compiler;
    /* ---- appended later in 0.2.0 (the version macros do not tell these headers apart);
     * a definition compiled against a tach.h without them has these as 0 (struct_size
     * does not cover them) ---- */
    /* Per-call latency: each call of the body is timed on its own and kept in a
     * histogram; results carry p50 ... p99.99 and max with CIs (docs/latency.md). */
    int latency;
    /* Heap accounting of the measured region: allocations and bytes per iteration,
     * peak live heap bytes, net growth (docs/memory.md).  Also --memory. */
    int memory;
    /* Memory targets: at most this.  0 (or left out) is no target, as in a definition
     * compiled before they existed; a target of zero ("allocates nothing") is written
     * TACH_ZERO (any negative value means zero): .max_allocs_per_iter = TACH_ZERO. */
    double max_allocs_per_iter; /* target: heap allocations per iteration at most this */
    double max_bytes_per_iter;  /* target: bytes allocated per iteration at most this */
    double max_peak_bytes;      /* target: peak live heap bytes at most this */
    /* Latency objectives, e.g. "p99<100us p999<1ms max<5ms" (the --slo syntax); ones that
     * do not parse fail the benchmark, the bad objective named (it does not run). */
    const char *slo;
    /* Asserted complexity class over the benchmark's size axis (TACH_O_*; 0 = none;
     * another value fails the benchmark, naming it). */
    int complexity;
    /* Thread counts to sweep, e.g. { 1, 2, 4, 8 } (0 ends the list; empty = 1 thread;
     * a count below 0 or above 1024, or one given twice, fails the benchmark, naming it;
     * so does a sweep, this or --threads, of a benchmark with an axis named "threads"). */
    int threads[TACH_MAX_THREAD_COUNTS];
    double min_efficiency;      /* target: parallel efficiency at the largest N at least this */
    double max_alpha;           /* target: USL contention coefficient at most this */
} tach_bench_def;

/* Complexity classes for tach_bench_def.complexity (and the fitted class). */
enum {
    TACH_O_NONE = 0,
    TACH_O_1,
    TACH_O_LOG_N,
    TACH_O_N,
    TACH_O_N_LOG_N,
    TACH_O_N2,
    TACH_O_N3,
    TACH_O_AUTO /* fit only, assert nothing */
};

#ifdef __OPTIMIZE__
#define TACH__BUILT_OPTIMIZED 1
#else
#define TACH__BUILT_OPTIMIZED (-1)
#endif
#ifdef NDEBUG
#define TACH__BUILT_NDEBUG 1
#else
#define TACH__BUILT_NDEBUG (-1)
#endif

/* Registers a benchmark.  TACH_BENCH calls this from a constructor; call it yourself
 * for benchmarks made at run time, with .struct_size = sizeof(tach_bench_def).  The
 * definition must outlive the run (the library keeps the pointer, or a copy when
 * def->struct_size is smaller than the library's own definition).  def->fn is a
 * tach_bench_fn; to use tach_loop its second parameter must be named `tach__n`
 * (see tach_bench_fn), as TACH_BENCH names it; a NULL or empty def->fname names it
 * "unnamed".  Returns 0, or -1 when def or def->fn is NULL, def->struct_size is 0, too
 * small to hold fn or larger than the library's tach_bench_def (a newer header), or the
 * registry cannot grow.  A refused registration makes tach_main refuse to run, the
 * first reason named (exit 2). */
TACH_API int tach_register(const tach_bench_def *def);

#define TACH__CAT2(a, b) a##b
#define TACH__CAT(a, b) TACH__CAT2(a, b)

/* TACH_BENCH(name) { ... } or TACH_BENCH(name, .group = "g", .args = { ... }) { ... }
 * defines and registers a benchmark.  Inside the body, `st` is the tach_state *. */
#define TACH_BENCH(...) TACH__BENCH(tach__fn_##__VA_ARGS__, )
/* (TACH_BENCH pastes the name onto tach__fn_ before anything else sees it, so a name
 * that is also a macro, errno or linux under -std=gnu11, is not expanded first; and it
 * passes TACH__BENCH an empty last argument: ISO C before C23 wants at least one
 * argument for a "...", and -Wpedantic warned on TACH_BENCH(name); the trailing comma
 * this leaves in the initializer is valid C.  f is tach__fn_NAME; the name is its
 * spelling after those 9 characters.) */
#define TACH__BENCH(f, ...)                                                             \
    static void f(tach_state *st, uint64_t tach__n);                                    \
    static const tach_bench_def tach__def_##f = {                                       \
        .struct_size = sizeof(tach_bench_def), .fname = &#f[9], .fn = f,                \
        .built_optimized = TACH__BUILT_OPTIMIZED, .built_ndebug = TACH__BUILT_NDEBUG,   \
        .built_compiler = __VERSION__, __VA_ARGS__};                                    \
    __attribute__((constructor)) static void tach__reg_##f(void)                        \
    {                                                                                   \
        (void)tach_register(&tach__def_##f);                                            \
    }                                                                                   \
    static void f(tach_state *st __attribute__((unused)),                               \
                  uint64_t tach__n __attribute__((unused)))

/* ---- the timed loop ----------------------------------------------------- */

/* Which code runs how often, per worker process (one per round; tach_main forks one
 * for each benchmark and round unless --no-isolate):
 *   .setup / .teardown            once, before calibration / after the last sample;
 *   the body outside tach_loop    once per sample (calibration and warm-up samples
 *                                 included), untimed: per-sample preparation only;
 *   inside while (tach_loop(st))  the iterations, timed;
 *   tach_batched's setup(ctx, i)  once per iteration, untimed.
 * A child process the benchmark forks should end with _exit; one that returns from the
 * body, .setup or .teardown instead is ended there by the library (_exit(0), its stdio
 * buffers not flushed), so that it does not go on running the benchmarks. */

/* Internal: starts (returns the iteration count) or ends (returns 0) one sample. */
TACH_API uint64_t tach__loop_next(tach_state *st);

#if defined(__GNUC__)
#define TACH__LIKELY(x) __builtin_expect(!!(x), 1)
#else
#define TACH__LIKELY(x) (x)
#endif

/* while (tach_loop(st)) { body }: runs the body the number of times the runner
 * asks for, with the clock started before the first iteration and read after the
 * last.  The counter is the benchmark function's own parameter, so it lives in a
 * register: per iteration the loop costs one decrement and one branch.  Use it in
 * the TACH_BENCH body itself (not in a helper), once per call; in a function given
 * to tach_register by hand, that parameter must be named tach__n (tach_bench_fn).  tach_loop(NULL) is
 * false at once (the body never runs). */
#define tach_loop(st)                                                   \
    (TACH__LIKELY(tach__n != 0) ? (tach__n--, 1)                        \
                                : ((tach__n = tach__loop_next(st)) != 0 ? (tach__n--, 1) : 0))

/* A benchmark whose every iteration needs fresh input that must not be timed
 * (sorting, in-place transforms): criterion's iter_batched.  For each batch the
 * runner calls setup(ctx, i) for i = 0..batch-1 with the clock stopped, then
 * routine(ctx, i) for the same i with the clock running.  Use instead of
 * tach_loop in a benchmark body, once per call; batch must be >= 1 (ctx holds that
 * many inputs).  setup may be NULL (nothing to prepare).  A batch of 0, a NULL
 * routine, or a call inside or after tach_loop or a second call fails the benchmark
 * (status "failed", the reason named; its routine would not run).  A NULL st does
 * nothing (neither setup nor routine is called). */
typedef void (*tach_batch_fn)(void *ctx, size_t i);
TACH_API void tach_batched(tach_state *st, size_t batch, tach_batch_fn setup,
                           tach_batch_fn routine, void *ctx);

/* ---- optimizer barriers ------------------------------------------------- */

/* TACH_KEEP(x): the compiler must compute x and assume it is read; it may not
 * drop the computation or hoist it out of the loop.  Costs no instruction. */
#define TACH_KEEP(x) __asm__ __volatile__("" : : "r,m"(x) : "memory")

/* Forces pending writes to memory to be considered observed (Google Benchmark's
 * ClobberMemory).  Costs no instruction. */
static inline void tach_clobber(void)
{
    __asm__ __volatile__("" : : : "memory");
}

/* ---- what a benchmark reports ------------------------------------------- */

/* The value of parameter axis i for this run (0 when the benchmark has no such axis,
 * or st is NULL). */
TACH_API int64_t tach_arg(const tach_state *st, size_t i);
/* The value of the axis called name (0 when there is none, or st or name is NULL). */
TACH_API int64_t tach_arg_named(const tach_state *st, const char *name);

/* Bytes and items processed per iteration: the results then carry bytes/s and items/s.
 * Items also change a complexity fit: a family whose members all set items is fitted
 * on time per item (a sort of N items: O(log N) per item), and an asserted .complexity
 * is checked on that (docs/complexity.md).  A NULL st: nothing. */
TACH_API void tach_set_bytes(tach_state *st, uint64_t bytes_per_iteration);
TACH_API void tach_set_items(tach_state *st, uint64_t items_per_iteration);

/* A user counter, reported beside the time (the mean over samples of the last value
 * set in each sample).  name is copied; at most 32 counters of up to 63 bytes each (24
 * in a thread sweep, whose own counters take the rest).  A 33rd name (25th in a sweep)
 * fails the benchmark, saying so ("too many counters: 'x' would be counter 33, at most
 * 32"), as does a longer name ("a counter name of 64 bytes, ...: at most 63 bytes") and
 * an empty one ("a counter has an empty name").  A NULL name or st: nothing.  In a thread
 * sweep a name the sweep reports itself ("threads", "thread_spread", "cpu_utilization",
 * "cpu_ns_per_op", "sleeps_per_ms", "runq_wait", "blocked", "net_ns_per_op") fails the
 * benchmark, naming it (the sweep's value would be written over it).  In a sweep each
 * thread sets its own counters and the result holds thread 0's alone (the one with the
 * run's seed, tach_seed): what the other threads set is dropped, neither summed nor
 * averaged (a count each thread makes is one thread's, not the N threads' total). */
TACH_API void tach_counter(tach_state *st, const char *name, double value);

/* The benchmark reports its own failure (status "failed") or skips itself (status
 * "skipped") with a reason.  Call it, then return from the benchmark function; any
 * later tach_loop returns 0 at once.  why is copied (up to 255 bytes, a character that
 * does not fit left out whole); NULL or "" gives the message "no reason given" (shown
 * as "failed: no reason given").  Only the first call counts; a NULL st does nothing. */
TACH_API void tach_fail(tach_state *st, const char *why);
TACH_API void tach_skip(tach_state *st, const char *why);

/* ---- deterministic data ------------------------------------------------- */

/* The run's seed (fixed default 0x7461636800000001, or --seed); 0 for a NULL st.  In a
 * thread sweep (--threads) thread 0 has the run's seed and thread i > 0 its own, derived
 * from it and i, so threads draw different data: data shared between threads belongs in
 * .setup, made once before they start, not rebuilt when the seed differs. */
TACH_API uint64_t tach_seed(const tach_state *st);
/* The next number of the benchmark's own generator (xoshiro256**, seeded from the
 * run's seed and the benchmark's full name, so a benchmark gets the same stream
 * whatever else runs).  0 for a NULL st. */
TACH_API uint64_t tach_rand(tach_state *st);

/* Fills buf with n pseudo-random bytes from seed (incompressible data).  A NULL buf:
 * nothing (as tach_fill_text). */
TACH_API void tach_fill_random(void *buf, size_t n, uint64_t seed);
/* Fills buf with n bytes of word-like text from seed: compressible roughly like
 * English prose, for compression benchmarks (zlib level 6, measured: 2.5:1 on
 * 4 KiB, 2.9:1 on 64 KiB (pinned by tests/unit/test_runner_data.c), 3.0:1 on 1 MiB). */
TACH_API void tach_fill_text(void *buf, size_t n, uint64_t seed);

/* ---- operations for load runs (tach load; docs/load.md) ---------------- */

/* An operation is one request of a load run: `tach load ./bench OP:WEIGHT ...` calls
 * it from --threads worker threads at the times its model gives (closed: --clients
 * back to back; open: --rate per second, on a schedule) and records each call's
 * latency, from its intended start and from its actual start.
 *
 *     TACH_OP(get) { kv_get(store, tach_op_rand(op) % N); }
 *     TACH_OP(put, .setup = open_conn, .teardown = close_conn) { ... }
 *
 * Inside the body, `op` is the tach_op * of the calling thread. */
typedef struct tach_op tach_op;
typedef void (*tach_op_fn)(tach_op *op);

/* An operation's definition (the caller allocates it and the library keeps it;
 * struct_size makes its layout part of the ABI as for tach_bench_def). */
typedef struct tach_op_def {
    size_t struct_size;     /* sizeof(tach_op_def); set by TACH_OP; must come first */
    const char *name;       /* the name given on the command line (set by TACH_OP) */
    tach_op_fn fn;          /* one operation (set by TACH_OP) */
    /* Optional: once per worker thread before its first call / after its last (open
     * a connection, allocate a buffer: keep it with tach_op_set_data).  setup may call
     * tach_op_error: the run then stops with that message before any load is sent. */
    void (*setup)(tach_op *op);
    void (*teardown)(tach_op *op);
    /* Optional latency objectives of this operation, e.g. "p99<1ms max<10ms". */
    const char *slo;
} tach_op_def;

/* Registers an operation (TACH_OP calls it from a constructor).  Returns 0, or -1
 * when def or def->fn is NULL, def->name is NULL or empty, def->struct_size is too
 * small or larger than the library's tach_op_def, an operation of that name is
 * registered already, or the registry cannot grow.  A refused registration makes the load mode refuse to run,
 * the first reason named (exit 2). */
TACH_API int tach_register_op(const tach_op_def *def);

/* The calling worker thread's index (0 .. --threads - 1).  A NULL op: every tach_op_
 * function below does nothing and returns 0 or NULL. */
TACH_API int tach_op_thread(const tach_op *op);
/* The thread's own pointer: tach_op_data returns what tach_op_set_data last set, NULL
 * until then (set it in setup, typically; the library never frees it: teardown does). */
TACH_API void *tach_op_data(const tach_op *op);
TACH_API void tach_op_set_data(tach_op *op, void *data);
/* The next number of the thread's generator (xoshiro256**, seeded from the run's
 * --seed, the operation's name and the thread index: reruns draw the same keys). */
TACH_API uint64_t tach_op_rand(tach_op *op);
/* Counts the current call as an error of the kind given ("timeout", "EIO"; NULL or ""
 * means "error"; copied, up to 255 bytes, a character that does not fit left out
 * whole; at most 16 kinds per operation are told apart, the rest count as "other").
 * Its latency is still recorded.  Called from setup, the kind is the setup's failure
 * reason, shown whole. */
TACH_API void tach_op_error(tach_op *op, const char *kind);

/* TACH_OP(name) { ... } or TACH_OP(name, .setup = f, .slo = "p99<1ms") { ... }
 * defines and registers an operation. */
#define TACH_OP(...) TACH__OP(tach__opfn_##__VA_ARGS__, )
/* (As TACH_BENCH: f is tach__opfn_NAME, the name its spelling after 11 characters.) */
#define TACH__OP(f, ...)                                                                \
    static void f(tach_op *op);                                                         \
    static const tach_op_def tach__opdef_##f = {                                        \
        .struct_size = sizeof(tach_op_def), .name = &#f[11], .fn = f, __VA_ARGS__};     \
    __attribute__((constructor)) static void tach__opreg_##f(void)                      \
    {                                                                                   \
        (void)tach_register_op(&tach__opdef_##f);                                       \
    }                                                                                   \
    static void f(tach_op *op __attribute__((unused)))

/* ---- the runner --------------------------------------------------------- */

/* Runs the registered benchmarks as the command line says (--help lists the
 * options) and prints or writes the results.  Returns the process exit status:
 * 0 when every benchmark ended ok or skipped, 1 when one failed, crashed or timed
 * out, 2 for bad usage.  Does not call exit().  A NULL argv, or an argc below 0, counts
 * as no arguments; the arguments end at the first NULL entry of argv, as in a C
 * program's argv (argv[0] NULL: no arguments), whatever argc says beyond it. */
TACH_API int tach_main(int argc, char **argv);

#ifdef __cplusplus
}
#endif

#endif /* TACH_H */
