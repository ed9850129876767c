/*
 * memcount.h - heap accounting of the measured region, libtach's side (memcount.c;
 * docs/memory.md).
 *
 * libtach defines no allocator function.  The counting allocator is a shared object of
 * its own (src/memhook/, memhook.h) that the memory pass preloads into a process of
 * its own (mempass.c); these functions find it in the process, if it is there, and
 * drive it.  The memory pass (passes.c) brackets it:
 *
 *     tach__mem_begin(why)        once: the hook found, its size table, and a probe
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

#include <stdbool.h>
#include <stdint.h>

#include "memhook.h" /* tach__mem_counts */

/* Whether counting can work at all in a program built like this one: -1 with why
 * under AddressSanitizer ("memory counting unavailable under ASan"), else 0. */
int tach__mem_usable(char *why);
/* Whether the counting allocator is loaded in this process (preloaded). */
bool tach__mem_loaded(void);
/* Prepares counting.  Returns 0, or -1 with why (a sentence, TACH__ERR_MAX bytes):
 * built with AddressSanitizer, the counting allocator not loaded in this process, or
 * malloc not its (another allocator wins), or the size table cannot be mapped. */
int tach__mem_begin(char *why);
/* Forgets the counts (the size table stays: a block allocated in an earlier sample of
 * the pass is still known when freed in this one). */
void tach__mem_reset(void);
/* Counting on / off: only calls made in between count, from any thread.  Nested
 * (a thread sweep's threads each call them): on from the first on to the last off. */
void tach__mem_on(void);
void tach__mem_off(void);
void tach__mem_read(tach__mem_counts *out);
/* Stops counting and tracking; releases the size table. */
void tach__mem_end(void);

#endif /* TACH_MEMCOUNT_H */
