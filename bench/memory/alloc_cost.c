/* alloc_cost.c - what heap counting costs per allocation, and what linking libtach
 * costs an allocation when nothing counts (bench/memory/run.sh).
 *
 * Built three ways from this one file:
 *   -DPLAIN              no libtach at all: times N malloc(SIZE) + free pairs through
 *                        malloc / free, R repetitions, one JSON line {"ns": ...} each;
 *   -DPLAIN -DWITH_TACH  the same loop in a program linked with libtach (libtach.a or
 *                        libtach.so; tach_main referenced, so the whole runner is in):
 *                        libtach defines no allocator, so the two must cost the same;
 *   (neither)            linked with libtach.a and run with libtach's counting
 *                        allocator preloaded (LD_PRELOAD=libtach-memhook.so, as the
 *                        memory pass runs): times the pairs three ways, interleaved:
 *     glibc   __libc_malloc / __libc_free called directly
 *     off     malloc / free through the counting allocator, counting off
 *     on      the same with counting on (the memory pass's measured region)
 *   and prints {"glibc": ..., "off": ..., "on": ...} per repetition.
 * Many short repetitions: on a busy machine the fastest of each way is its cost
 * undisturbed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifndef PLAIN
#include "memcount.h"
#include "tach_internal.h"
#endif
#ifdef WITH_TACH
#include <tach.h>
/* Keeps libtach's runner (and with the old design its allocator) in the program. */
int (*volatile keep_tach_main)(int, char **) = tach_main;
#endif

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
#ifdef PLAIN
    (void)raw_malloc;
    (void)raw_free;
    for (int r = 0; r < reps; r++) printf("{\"ns\": %.3f}\n", pairs(do_malloc, do_free, n, size));
    return 0;
#else
    char why[TACH__ERR_MAX];
    if (tach__mem_begin(why) != 0) {
        fprintf(stderr, "%s (run with LD_PRELOAD=libtach-memhook.so)\n", why);
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
#endif
}
