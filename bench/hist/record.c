/* record.c - the cost of recording one value into tach's latency histogram, and its
 * memory (bench/hist/run.sh).  Values: 1,048,576 pre-drawn log-uniform integers over
 * 1 ns .. 1 s (so every bucket range is exercised; the array is 8 MiB and read in
 * order).  Each repetition records 16 passes over them (16.8 M values) into one
 * histogram and prints ns per value; the script takes the median.  Also prints the
 * histogram's memory at 3 digits over 1 ns .. 1 h. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "hist.h"

#define NVAL (1u << 20)
#define PASSES 16

static uint64_t cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* CPU time: a shared machine's preemptions excluded */
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 11;
    int64_t *v = malloc(NVAL * sizeof *v);
    uint64_t s = 0x9e3779b97f4a7c15u;
    for (uint32_t i = 0; i < NVAL; i++) {
        s ^= s << 13; s ^= s >> 7; s ^= s << 17; /* xorshift64 */
        v[i] = (int64_t)exp((double)(s >> 11) / 9007199254740992.0 * log(1e9));
    }
    tach__hist *h = tach__hist_new_default();
    printf("memory_bytes %zu\n", tach__hist_memory_size(h));
    for (int r = 0; r < reps; r++) {
        tach__hist_reset(h);
        uint64_t t0 = cpu_ns();
        for (int p = 0; p < PASSES; p++)
            for (uint32_t i = 0; i < NVAL; i++) tach__hist_record(h, v[i]);
        uint64_t t1 = cpu_ns();
        printf("ns_per_record %.3f\n", (double)(t1 - t0) / ((double)NVAL * PASSES));
    }
    if (tach__hist_count(h) != (int64_t)NVAL * PASSES) return 1; /* also keeps the work */
    tach__hist_free(h);
    free(v);
    return 0;
}
