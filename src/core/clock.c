/*
 * clock.c - what the timer can resolve and what reading it costs.
 *
 * tach__now_ns() itself is inline in tach_internal.h (CLOCK_MONOTONIC).
 */
#include <time.h>

#include "tach_internal.h"

/* Smallest non-zero difference between consecutive reads, over up to 20,000 tries
 * (at most ~50 ms), and never finer than what clock_getres() promises. */
static double measure_resolution(void)
{
    uint64_t best = UINT64_MAX;
    const uint64_t start = tach__now_ns();
    for (int i = 0; i < 20000; i++) {
        uint64_t a = tach__now_ns(), b;
        /* Spin until the clock moves (bounded, in case it is very coarse). */
        int spins = 0;
        do {
            b = tach__now_ns();
        } while (b == a && ++spins < 1000000);
        if (b > a && b - a < best) best = b - a;
        /* A coarse clock (a step of milliseconds) would make 20,000 tries last
         * minutes: 50 ms of observed steps is plenty. */
        if (best != UINT64_MAX && b - start > 50000000u) break;
    }
    struct timespec res;
    double promised = 0;
    if (clock_getres(CLOCK_MONOTONIC, &res) == 0)
        promised = (double)res.tv_sec * 1e9 + (double)res.tv_nsec;
    double observed = best == UINT64_MAX ? promised : (double)best;
    return observed > promised ? observed : promised;
}

/* Mean cost of one clock_gettime(CLOCK_MONOTONIC) over 100,000 back-to-back calls. */
static double measure_cost(void)
{
    enum { CALLS = 100000 };
    volatile uint64_t sink = 0;
    uint64_t t0 = tach__now_ns();
    for (int i = 0; i < CALLS; i++) sink += tach__now_ns();
    uint64_t t1 = tach__now_ns();
    (void)sink;
    return (double)(t1 - t0) / CALLS;
}

/* The measurement is cached after the first call.  The cache is NOT thread-safe:
 * two threads calling this for the first time at once both measure and both write
 * the same kind of values (harmless, but wasted work); the runner calls it once
 * from the main thread before any benchmark runs. */
void tach__clock_info(double *resolution_ns, double *cost_ns)
{
    static bool measured;
    static double resolution, cost;
    if (!measured) {
        resolution = measure_resolution();
        cost = measure_cost();
        measured = true;
    }
    if (resolution_ns) *resolution_ns = resolution;
    if (cost_ns) *cost_ns = cost;
}
