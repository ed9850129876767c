/*
 * scaling.h - the thread sweeps of a results document (src/core/scaling.c; libtach).
 *
 * A sweep is the results of one benchmark that differ only in the "threads"
 * parameter (.threads = {1, 2, 4} or --threads).  A sample's time is the wall time
 * per iteration, each of the N threads having run that many iterations, so a sample's
 * total throughput is N * 1e9 / time; a point's is the median of its samples'.  Per N: total and per-thread throughput, speedup and
 * efficiency against N = 1, the spread between threads and the CPU time (the
 * counters threads.c sets); over the sweep, the USL fit (usl.h).  See docs/scaling.md.
 *
 * When the results were measured in rounds (--rounds: round k of every thread count
 * runs back to back), the speedup is the median over the rounds of round k's median
 * throughput at N / at N = 1, so both sides of each ratio saw the same machine.
 * Beside it, what a busy machine cannot move: the CPU efficiency (the threads' CPU
 * time per operation at N = 1 / at N) and the efficiency net of the run-queue wait
 * (the time the threads were runnable but had no CPU, the machine's other load, taken
 * out of both sides: a thread's time per operation without its wait for a CPU at N = 1
 * / at N, means over the samples), with the share of the
 * threads' time spent blocked (sleeping on a lock: the code's serialization) and how
 * often they went to sleep (voluntary context switches per ms).  On a saturated
 * machine a thread woken from a lock waits for a CPU too, so the net efficiency rises
 * toward the other kernels'; the sleeps still show the lock.
 */
#ifndef TACH_SCALING_H
#define TACH_SCALING_H

#include <stdbool.h>
#include <stddef.h>

#include "tach_internal.h"
#include "usl.h"

typedef struct tach__scale_point {
    size_t result;           /* index into d->results */
    int threads;
    double ops_per_sec, per_thread; /* total and per thread (iterations per second) */
    double speedup, efficiency;     /* against N = 1; NaN without N = 1 */
    double spread, cpu_utilization; /* the counters; NaN when absent */
    double wall_ns, cpu_ns;         /* per iteration: median wall time, and CPU time */
    size_t rounds;                  /* rounds paired with N = 1 for the speedup (0: none,
                                     * the whole results' medians were compared) */
    double cpu_ns_per_op;           /* the threads' CPU time per operation; NaN if absent */
    double cpu_efficiency;          /* cpu_ns_per_op at N = 1 / at N; NaN without */
    double runq_wait, blocked;      /* shares of the threads' time; NaN when unknown */
    double sleeps_per_ms;           /* the threads' voluntary context switches per ms */
    double net_ns_per_op;           /* a thread's time per operation less its run-queue wait */
    double efficiency_net;          /* efficiency net of the run-queue wait; NaN without */
} tach__scale_point;

typedef struct tach__scale_sweep {
    char *name;              /* first member's name with threads=N replaced by threads=*; owned */
    tach__scale_point *points; size_t npoints; /* owned; by thread count */
    long cpus;               /* online CPUs of this machine (the context's when read) */
    bool oversubscribed;     /* a thread count above cpus */
    bool has_one;            /* a point at N = 1: without it no speedup, efficiency or USL
                              * fit (all against N = 1's throughput), and a report says so */
    bool fitted;             /* the USL fit succeeded (needs N = 1 and one more N) */
    tach__usl_fit usl;
    /* Targets of the members (0 = none) and whether they hold. */
    double min_efficiency, max_alpha;
    bool efficiency_met, alpha_met;
} tach__scale_sweep;

/* The sweeps of d, each fitted with seed; cpus is the machine's CPU count (<= 0:
 * this machine's).  Returns how many, or -1 when out of memory. */
int tach__scale_sweeps(const tach__doc *d, uint64_t seed, long cpus, tach__scale_sweep **out);
void tach__scale_sweeps_free(tach__scale_sweep *s, size_t n);
/* True when result i of d ran at a thread count (a measured result with a threads
 * parameter) and no other result of d is of its sweep: one thread count, no scaling
 * measured, so its .min_efficiency and .max_alpha cannot be checked. */
bool tach__scale_lone(const tach__doc *d, size_t i);
/* One sweep as JSON (docs/scaling.md); defined in doc_json.c beside the document. */
json_t *tach__scale_sweep_json(const tach__scale_sweep *s);

#endif /* TACH_SCALING_H */
