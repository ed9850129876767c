/* tach.c - the families of kernels.h measured with tach (bench/complexity/run.sh).
 * Each fits its own class (.complexity = TACH_O_AUTO: fit, assert nothing). */
#include <tach.h>

#include "kernels.h"

static void prep(tach_state *st)
{
    cx_prepare((size_t)tach_arg(st, 0));
}

TACH_BENCH(hash, .args = {TACH_RANGE("n", 64, 65536, 4)}, .setup = prep, .complexity = TACH_O_AUTO)
{
    size_t n = (size_t)tach_arg(st, 0), i = 0;
    while (tach_loop(st)) TACH_KEEP(cx_hash(n, i++));
}

TACH_BENCH(bsearch, .args = {TACH_RANGE("n", 64, 65536, 4)}, .setup = prep, .complexity = TACH_O_AUTO)
{
    size_t n = (size_t)tach_arg(st, 0), i = 0;
    while (tach_loop(st)) TACH_KEEP(cx_bsearch(n, i++));
}

TACH_BENCH(sum, .args = {TACH_RANGE("n", 64, 65536, 4)}, .setup = prep, .complexity = TACH_O_AUTO)
{
    size_t n = (size_t)tach_arg(st, 0);
    while (tach_loop(st)) TACH_KEEP(cx_sum(n));
}

TACH_BENCH(sort, .args = {TACH_RANGE("n", 64, 65536, 4)}, .setup = prep, .complexity = TACH_O_AUTO)
{
    size_t n = (size_t)tach_arg(st, 0), i = 0;
    while (tach_loop(st)) TACH_KEEP(cx_sort(n, i++));
}

TACH_BENCH(pairs, .args = {TACH_RANGE("n", 16, 1024, 2)}, .setup = prep, .complexity = TACH_O_AUTO)
{
    size_t n = (size_t)tach_arg(st, 0);
    while (tach_loop(st)) TACH_KEEP(cx_pairs(n));
}
