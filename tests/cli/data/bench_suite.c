/* bench_suite.c - the benchmark binary of tests/cli/bench_suite*.sh: two benchmarks of
 * the same arithmetic loop, "steady" always WORK_STEADY steps and "changing" WORK steps,
 * so that a commit changing WORK slows exactly one of them by a known factor.  CRASH
 * makes "changing" segfault instead.  EXHAUST adds "hungry", which fails with "Cannot
 * allocate memory" until the file exhausted.once exists (it makes it): a benchmark that
 * ran out of resources once and not when retried.  "op" is an operation for tach load. */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include <tach.h>

#ifndef WORK
#define WORK 20000
#endif
#define WORK_STEADY 20000

static volatile uint32_t seed = 1;

static uint32_t spin(uint32_t n)
{
    uint32_t x = seed;
    for (uint32_t i = 0; i < n; i++) x = x * 1103515245u + 12345u;
    return x;
}

TACH_BENCH(steady, .group = "suite")
{
    while (tach_loop(st)) TACH_KEEP(spin(WORK_STEADY));
}

TACH_BENCH(changing, .group = "suite")
{
#ifdef CRASH
    volatile uintptr_t addr = 16;
    *(volatile int *)addr = 1;
#endif
    while (tach_loop(st)) TACH_KEEP(spin(WORK));
}

#ifdef EXHAUST
TACH_BENCH(hungry, .group = "suite")
{
    if (access("exhausted.once", F_OK) != 0) {
        FILE *f = fopen("exhausted.once", "w");
        if (f) fclose(f);
        tach_fail(st, "Cannot allocate memory");
        return;
    }
    while (tach_loop(st)) TACH_KEEP(spin(100));
}
#endif

/* An operation for `tach load` (the suite's load line). */
TACH_OP(op)
{
    TACH_KEEP(spin(200));
}
