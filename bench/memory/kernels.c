/* kernels.c - benchmarks timed with and without --memory (bench/memory/run.sh): the
 * timed samples must not move, since counting runs in its own pass after them. */
#include <stdlib.h>
#include <string.h>
#include <tach.h>

/* 64-byte allocations, the pattern counting costs most on. */
TACH_BENCH(malloc_free_64)
{
    while (tach_loop(st)) {
        void *p = malloc(64);
        TACH_KEEP(p);
        free(p);
    }
}

/* A growing buffer: realloc doubling to 64 KiB, then freed. */
TACH_BENCH(grow_64k)
{
    while (tach_loop(st)) {
        size_t cap = 16, len = 0;
        char *b = malloc(cap);
        while (len < 65536) {
            if (len == cap) b = realloc(b, cap *= 2);
            b[len++] = 'x';
        }
        TACH_KEEP(b);
        free(b);
    }
}

/* No allocation: a sum over 4 KiB. */
TACH_BENCH(sum_4k)
{
    static unsigned char buf[4096];
    while (tach_loop(st)) {
        unsigned s = 0;
        for (size_t i = 0; i < sizeof buf; i++) s += buf[i];
        TACH_KEEP(s);
    }
}
