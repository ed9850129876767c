/* alloc_cost.c - the cost of heap counting per allocation (bench/memory/run.sh).
 *
 * Linked with libtach.a, whose allocator functions (src/bench/memcount.c) interpose
 * malloc and free.  Times N malloc(SIZE) + free pairs, interleaved, R times each way:
 *   glibc    __libc_malloc / __libc_free called directly (no interposition at all)
 *   off      malloc / free through libtach with counting off (every benchmark's path)
 *   on       the same with counting on (the memory pass's path)
 * and prints one JSON line per repetition: ns per pair for each way.  Many short
 * repetitions: on a busy machine the fastest of each way is its cost undisturbed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "memcount.h"
#include "tach_internal.h"

extern void *__libc_malloc(size_t);
extern void __libc_free(void *);

static uint64_t now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Through function pointers the compiler cannot see through, so no call is elided. */
static void *(*volatile do_malloc)(size_t) = malloc;
static void (*volatile do_free)(void *) = free;
static void *(*volatile raw_malloc)(size_t) = __libc_malloc;
static void (*volatile raw_free)(void *) = __libc_free;

static double pairs(void *(*m)(size_t), void (*f)(void *), size_t n, size_t size)
{
    uint64_t t0 = now();
    for (size_t i = 0; i < n; i++) {
        void *p = m(size);
        __asm__ __volatile__("" : : "r"(p) : "memory");
        f(p);
    }
    return (double)(now() - t0) / (double)n;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)atol(argv[1]) : 1000000;
    int reps = argc > 2 ? atoi(argv[2]) : 21;
    size_t size = argc > 3 ? (size_t)atol(argv[3]) : 32;
    char why[TACH__ERR_MAX];
    if (tach__mem_begin(why) != 0) {
        fprintf(stderr, "%s\n", why);
        return 1;
    }
    tach__mem_off();
    for (int r = 0; r < reps; r++) {
        double g = pairs(raw_malloc, raw_free, n, size);
        double off = pairs(do_malloc, do_free, n, size);
        tach__mem_reset();
        tach__mem_on();
        double on = pairs(do_malloc, do_free, n, size);
        tach__mem_off();
        tach__mem_counts c;
        tach__mem_read(&c);
        if (c.allocs != n) {
            fprintf(stderr, "counted %llu allocations, expected %zu\n", (unsigned long long)c.allocs, n);
            return 1;
        }
        printf("{\"glibc\": %.3f, \"off\": %.3f, \"on\": %.3f}\n", g, off, on);
        fflush(stdout);
    }
    tach__mem_end();
    return 0;
}
