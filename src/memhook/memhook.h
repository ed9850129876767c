/*
 * memhook.h - the interface between libtach and its counting allocator, the small
 * shared object src/memhook/memhook.c (docs/memory.md).
 *
 * libtach defines no allocator function.  The counting allocator is built on its own,
 * its bytes embedded in libtach (the generated memhook_blob.c), and it is loaded only
 * into the process that runs a benchmark's memory pass, with LD_PRELOAD (mempass.c).
 * There libtach finds it with dlsym(RTLD_DEFAULT, TACH__MEMHOOK_SYMBOL): a table of
 * function pointers, checked by its struct_size and version.
 *
 *     begin(why, size)     once: the size table, and a probe that malloc is the hook's
 *       reset()            before each sample: counts from zero
 *       on() / off()       around the measured region (state.c)
 *       read(&c)           after the sample
 *     end()
 *
 * Not thread-safe to begin/end (one thread does), but the counting itself is:
 * allocations from every thread count while it is on.
 */
#ifndef TACH_MEMHOOK_H
#define TACH_MEMHOOK_H

#include <stddef.h>
#include <stdint.h>

#define TACH__MEMHOOK_SYMBOL "tach__memhook_v1"
#define TACH__MEMHOOK_VERSION 1

typedef struct tach__mem_counts {
    uint64_t allocs;   /* allocation calls (realloc counts as one) */
    uint64_t bytes;    /* bytes those calls asked for */
    int64_t net;       /* bytes allocated less bytes freed since the reset */
    int64_t peak;      /* the highest net since the reset (>= 0) */
    uint64_t untracked; /* blocks whose size the table could not hold (full) */
} tach__mem_counts;

typedef struct tach__memhook {
    size_t struct_size;  /* sizeof (tach__memhook) of the hook's build */
    int version;         /* TACH__MEMHOOK_VERSION */
    /* Prepares counting: 0, or -1 with a sentence in why (size bytes): the size
     * table cannot be mapped, or malloc is not the hook's (another allocator wins). */
    int (*begin)(char *why, size_t size);
    void (*reset)(void);
    void (*on)(void);
    void (*off)(void);
    void (*read)(tach__mem_counts *out);
    /* Stops counting and tracking; releases the size table. */
    void (*end)(void);
} tach__memhook;

#endif /* TACH_MEMHOOK_H */
