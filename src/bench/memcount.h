/*
 * memcount.h - heap accounting of the measured region (memcount.c, docs/memory.md).
 *
 * libtach defines the allocator functions (malloc, free, calloc, realloc,
 * posix_memalign, aligned_alloc, memalign, valloc, pvalloc, reallocarray) and forwards
 * each to glibc's __libc_* entry point.  While counting is off each costs one load and
 * one predictable branch.  The memory pass (passes.c) brackets it:
 *
 *     tach__mem_begin(why)        once: the size table, and a probe that malloc is ours
 *       tach__mem_reset()         before each sample: counts from zero
 *       tach__mem_on() / _off()   around the measured region (state.c)
 *       tach__mem_read(&c)        after the sample
 *     tach__mem_end()
 *
 * Private to the library; not thread-safe to begin/end (the runner's thread does), but
 * the counting itself is: allocations from every thread count while it is on.
 */
#ifndef TACH_MEMCOUNT_H
#define TACH_MEMCOUNT_H

#include <stdint.h>

typedef struct tach__mem_counts {
    uint64_t allocs;   /* allocation calls (realloc counts as one) */
    uint64_t bytes;    /* bytes those calls asked for */
    int64_t net;       /* bytes allocated less bytes freed since the reset */
    int64_t peak;      /* the highest net since the reset (>= 0) */
    uint64_t untracked; /* blocks whose size the table could not hold (full) */
} tach__mem_counts;

/* Prepares counting.  Returns 0, or -1 with why (a sentence, TACH__ERR_MAX bytes):
 * built with AddressSanitizer ("memory counting unavailable under ASan"), or malloc is
 * not libtach's (another allocator interposes it), or the size table cannot be mapped. */
int tach__mem_begin(char *why);
/* Forgets the counts (the size table stays: a block allocated in an earlier sample of
 * the pass is still known when freed in this one). */
void tach__mem_reset(void);
/* Counting on / off: only calls made in between count. */
void tach__mem_on(void);
void tach__mem_off(void);
void tach__mem_read(tach__mem_counts *out);
/* Stops counting and tracking; releases the size table. */
void tach__mem_end(void);

#endif /* TACH_MEMCOUNT_H */
