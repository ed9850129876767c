/*
 * tach.c - the side-by-side kernels, measured with tach (see run.sh, kernels.h).
 * gbench.cc holds the same kernels written for Google Benchmark.
 */
#include <tach.h>

#include <string.h>

#include "kernels.h"

/* Loop overhead: the body is one increment the optimizer must keep. */
TACH_BENCH(overhead)
{
    uint64_t x = 0;
    while (tach_loop(st)) {
        x++;
        TACH_KEEP(x);
    }
}

TACH_BENCH(mulchain)
{
    uint64_t x = 1;
    while (tach_loop(st)) {
        x = k_mulchain(x, MULCHAIN_STEPS);
        TACH_KEEP(x);
    }
}

static unsigned char copy_src[MEMCPY_BYTES], copy_dst[MEMCPY_BYTES];

TACH_BENCH(memcpy64k)
{
    tach_fill_random(copy_src, sizeof copy_src, 1);
    unsigned char *dst = copy_dst;
    while (tach_loop(st)) {
        memcpy(dst, copy_src, MEMCPY_BYTES);
        TACH_KEEP(dst);
    }
    tach_set_bytes(st, MEMCPY_BYTES);
}

static unsigned char hash_buf[HASH_BYTES];

TACH_BENCH(fnv1a4k)
{
    tach_fill_random(hash_buf, sizeof hash_buf, 2);
    while (tach_loop(st)) {
        uint64_t h = k_fnv1a(hash_buf, HASH_BYTES);
        TACH_KEEP(h);
    }
    tach_set_bytes(st, HASH_BYTES);
}

/* The ~100 ns operation of the "time to result" figure. */
TACH_BENCH(mul100)
{
    uint64_t x = 1;
    while (tach_loop(st)) {
        x = k_mulchain(x, MUL100_STEPS);
        TACH_KEEP(x);
    }
}
