/* tach.c - bench/verdicts' kernels measured with tach (see kernels.h, run.sh). */
#include <tach.h>

#include "kernels.h"

TACH_BENCH(chain)
{
    uint64_t x = 1;
    while (tach_loop(st)) {
        x = k_chain(x);
        TACH_KEEP(x);
    }
}

static unsigned char buf[HASH_CAP];

TACH_BENCH(hash)
{
    tach_fill_random(buf, sizeof buf, 1);
    while (tach_loop(st)) {
        uint64_t h = k_hash(buf, HASH_BYTES);
        TACH_KEEP(h);
    }
}

static uint32_t arr[SUM_CAP];

TACH_BENCH(sum)
{
    tach_fill_random(arr, sizeof arr, 2);
    while (tach_loop(st)) {
        uint64_t s = k_sum(arr, SUM_N);
        TACH_KEEP(s);
    }
}
