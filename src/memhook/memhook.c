/*
 * memhook.c - the counting allocator of --memory (memhook.h; the why and how in
 * docs/memory.md): a shared object of its own, never part of libtach.  libtach embeds
 * its bytes and preloads it (LD_PRELOAD) into the one process that runs a benchmark's
 * memory pass (src/bench/mempass.c), so every other process, and every timed sample,
 * calls glibc's allocator directly.
 *
 * glibc 2.34 removed __malloc_hook.  glibc does support replacing its allocator by
 * defining malloc and friends, and exports its own implementations as __libc_malloc,
 * __libc_free, ...: this object defines the functions and forwards to those.  Loaded
 * with LD_PRELOAD it comes before libc (and every library but the executable itself)
 * in the lookup order, so every malloc of the process binds to it; an executable
 * that defines its own malloc keeps it (the probe in begin then refuses).
 *
 * Modes: OFF (forward only), TRACK (the memory pass is running but not its region:
 * frees still update the size table) and COUNT (the region runs).  The size table
 * maps each block allocated while counting to the size asked for, so that freeing it
 * subtracts exactly what allocating it added; it is mapped with mmap (never malloc)
 * and guarded by a spin lock (only ever taken during the memory pass).
 *
 * Built without the sanitizers (CMakeLists.txt): it is never loaded into a sanitized
 * program (libtach refuses to count under ASan, which owns the allocator).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "memhook.h"

#define EXPORT __attribute__((visibility("default")))

enum { MODE_OFF = 0, MODE_TRACK = 1, MODE_COUNT = 2 };

static _Atomic int mode;
/* The counts: plain variables, changed only under the table's lock (one locked
 * instruction per call, not one per count: on this project's virtual machine each
 * costs ~25 ns). */
static uint64_t n_allocs, n_bytes, n_untracked;
static int64_t live, peak;

/* ---- the size table: open addressing, linear probing, backward-shift deletion ---- */

/* Starts small (64 KiB: stays in cache, so a lookup costs a few ns) and grows 4x when
 * three quarters full, up to 16 Mi slots; beyond that a block is untracked. */
#define TABLE_BITS0 12
#define TABLE_BITS_MAX 24

typedef struct slot { uintptr_t key; size_t size; } slot;
static slot *table;
static unsigned table_bits;
static size_t table_used;
static atomic_flag table_lock = ATOMIC_FLAG_INIT;

static void lock(void)
{
    while (atomic_flag_test_and_set_explicit(&table_lock, memory_order_acquire)) {}
}

static void unlock(void)
{
    atomic_flag_clear_explicit(&table_lock, memory_order_release);
}

static size_t slots(void)
{
    return (size_t)1 << table_bits;
}

static size_t slot_of(uintptr_t key)
{
    return (size_t)(((uint64_t)key * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - table_bits));
}

static slot *map_table(unsigned bits)
{
    slot *t = mmap(NULL, ((size_t)1 << bits) * sizeof *t, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return t == MAP_FAILED ? NULL : t;
}

static void insert(uintptr_t key, size_t size)
{
    size_t i = slot_of(key), mask = slots() - 1;
    while (table[i].key && table[i].key != key) i = (i + 1) & mask;
    if (!table[i].key) table_used++;
    table[i] = (slot){key, size};
}

/* Grows the table 4x (under the lock); false when it cannot. */
static bool grow_table(void)
{
    if (table_bits + 2 > TABLE_BITS_MAX) return false;
    slot *old = table, *t = map_table(table_bits + 2);
    if (!t) return false;
    size_t n = slots();
    table = t;
    table_bits += 2;
    table_used = 0;
    for (size_t i = 0; i < n; i++)
        if (old[i].key) insert(old[i].key, old[i].size);
    munmap(old, n * sizeof *old);
    return true;
}

/* Records p's size (the lock held); false when the table is full (the block is then
 * untracked). */
static bool put_locked(void *p, size_t size)
{
    if (!table || (table_used + 1 > slots() / 4 * 3 && !grow_table())) return false;
    insert((uintptr_t)p, size);
    return true;
}

/* Removes p (the lock held); true with its size when it was there. */
static bool take_locked(void *p, size_t *size)
{
    uintptr_t key = (uintptr_t)p;
    if (!table) return false;
    size_t i = slot_of(key);
    const size_t mask = slots() - 1;
    while (table[i].key && table[i].key != key) i = (i + 1) & mask;
    if (table[i].key != key) return false;
    *size = table[i].size;
    table_used--;
    /* Backward shift: move later entries of the run into the hole. */
    size_t hole = i, j = i;
    for (;;) {
        j = (j + 1) & mask;
        if (!table[j].key) break;
        size_t home = slot_of(table[j].key);
        /* j's entry may move to hole when home is not cyclically in (hole, j]. */
        bool stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
        if (stays) continue;
        table[hole] = table[j];
        hole = j;
    }
    table[hole] = (slot){0, 0};
    return true;
}

/* ---- counting ----------------------------------------------------------------- */

/* One allocation call of size bytes that returned p (NULL: failed, a call that
 * allocated no bytes: the sizes asked of failed calls, above PTRDIFF_MAX, would sum past
 * 2^64). */
static void note_alloc(void *p, size_t size)
{
    lock();
    n_allocs++;
    if (p) {
        n_bytes += size;
        if (!put_locked(p, size)) n_untracked++;
        live += (int64_t)size;
        if (live > peak) peak = live;
    }
    unlock();
}

/* A block about to be freed (or moved by realloc): forgets it, and in COUNT mode
 * subtracts its size (the size asked for when it was counted, else its usable size).
 * Returns the size subtracted. */
static size_t note_free(void *p, int m)
{
    size_t size = 0;
    lock();
    bool known = take_locked(p, &size);
    if (m == MODE_COUNT) {
        if (!known) size = malloc_usable_size(p);
        live -= (int64_t)size;
    }
    unlock();
    return size;
}

static void hook_reset(void)
{
    lock();
    n_allocs = n_bytes = n_untracked = 0;
    live = peak = 0;
    unlock();
}

static void hook_on(void)
{
    atomic_store_explicit(&mode, MODE_COUNT, memory_order_release);
}

static void hook_off(void)
{
    atomic_store_explicit(&mode, MODE_TRACK, memory_order_release);
}

static void hook_read(tach__mem_counts *out)
{
    lock();
    out->allocs = n_allocs;
    out->bytes = n_bytes;
    out->net = live;
    out->peak = peak;
    out->untracked = n_untracked;
    unlock();
}

static void hook_end(void)
{
    atomic_store(&mode, MODE_OFF);
    lock();
    if (table) munmap(table, slots() * sizeof *table);
    table = NULL;
    table_used = 0;
    unlock();
}

static int hook_begin(char *why, size_t size)
{
    hook_end();
    slot *t = map_table(TABLE_BITS0);
    if (!t) {
        snprintf(why, size, "memory counting unavailable: cannot map its size table: %s",
                 strerror(errno));
        return -1;
    }
    lock();
    table = t;
    table_bits = TABLE_BITS0;
    table_used = 0;
    unlock();
    /* The probe: a malloc through the process's binding must be counted, else another
     * allocator (a sanitizer, jemalloc, a static libc) interposes it. */
    hook_reset();
    atomic_store(&mode, MODE_COUNT);
    void *(*volatile alloc)(size_t) = malloc;
    void (*volatile release)(void *) = free;
    void *p = alloc(24);
    release(p);
    atomic_store(&mode, MODE_TRACK);
    tach__mem_counts c;
    hook_read(&c);
    uint64_t seen = c.allocs;
    hook_reset();
    if (seen != 1) {
        hook_end();
        snprintf(why, size, "memory counting unavailable: malloc is not libtach's counting "
                            "allocator (the program or another preloaded library brings its own)");
        return -1;
    }
    return 0;
}

/* ---- the allocator functions ------------------------------------------------------ */

extern void *__libc_malloc(size_t);
extern void __libc_free(void *);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void *__libc_valloc(size_t);
extern void *__libc_pvalloc(size_t);

#define ALLOC_FN EXPORT
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

static inline int current_mode(void)
{
    return atomic_load_explicit(&mode, memory_order_relaxed);
}

/* The counting paths, out of line: when counting is off each function is one load,
 * one predictable branch and a jump to glibc's (a tail call). */
__attribute__((noinline)) static void *malloc_counted(size_t n)
{
    void *p = __libc_malloc(n);
    if (current_mode() == MODE_COUNT) note_alloc(p, n);
    return p;
}

__attribute__((noinline)) static void free_tracked(void *p)
{
    if (p) note_free(p, current_mode());
    __libc_free(p);
}

__attribute__((noinline)) static void *calloc_counted(size_t n, size_t size)
{
    void *p = __libc_calloc(n, size);
    size_t total;
    if (__builtin_mul_overflow(n, size, &total)) total = 0;
    if (current_mode() == MODE_COUNT) note_alloc(p, total);
    return p;
}

ALLOC_FN void *malloc(size_t n)
{
    if (UNLIKELY(current_mode() == MODE_COUNT)) return malloc_counted(n);
    return __libc_malloc(n);
}

ALLOC_FN void free(void *p)
{
    if (UNLIKELY(current_mode() != MODE_OFF)) {
        free_tracked(p);
        return;
    }
    __libc_free(p);
}

ALLOC_FN void *calloc(size_t n, size_t size)
{
    if (UNLIKELY(current_mode() == MODE_COUNT)) return calloc_counted(n, size);
    return __libc_calloc(n, size);
}

ALLOC_FN void *realloc(void *old, size_t n)
{
    int m = current_mode();
    if (UNLIKELY(m != MODE_OFF)) {
        if (!old) return malloc(n);
        /* the old block counts as freed, the new one as one allocation */
        size_t had = 0;
        lock();
        bool known = take_locked(old, &had);
        if (!known && m == MODE_COUNT) had = malloc_usable_size(old);
        unlock();
        void *p = __libc_realloc(old, n);
        lock();
        if (!p && n != 0) { /* failed: the old block stays as it was; a call, no bytes */
            if (known) put_locked(old, had);
            if (m == MODE_COUNT) n_allocs++;
        } else if (m == MODE_COUNT) {
            live -= (int64_t)had;
            if (p) { /* realloc(p, 0) frees: no allocation */
                n_allocs++;
                n_bytes += n;
                if (!put_locked(p, n)) n_untracked++;
                live += (int64_t)n;
                if (live > peak) peak = live;
            }
        }
        unlock();
        return p;
    }
    return __libc_realloc(old, n);
}

ALLOC_FN void *reallocarray(void *old, size_t n, size_t size)
{
    size_t total;
    if (__builtin_mul_overflow(n, size, &total)) { /* a call that failed, as calloc's */
        if (UNLIKELY(current_mode() == MODE_COUNT)) note_alloc(NULL, 0);
        errno = ENOMEM;
        return NULL;
    }
    return realloc(old, total);
}

ALLOC_FN void *memalign(size_t align, size_t n)
{
    void *p = __libc_memalign(align, n);
    if (UNLIKELY(current_mode() == MODE_COUNT)) note_alloc(p, n);
    return p;
}

ALLOC_FN void *aligned_alloc(size_t align, size_t n)
{
    return memalign(align, n);
}

ALLOC_FN int posix_memalign(void **out, size_t align, size_t n)
{
    /* POSIX: a power of two multiple of sizeof(void *), else EINVAL (out untouched). */
    if (align % sizeof(void *) != 0 || (align & (align - 1)) != 0 || align == 0) return EINVAL;
    int saved = errno;
    void *p = __libc_memalign(align, n);
    if (UNLIKELY(current_mode() == MODE_COUNT)) note_alloc(p, n); /* a failed one too */
    if (!p) {
        errno = saved;
        return ENOMEM;
    }
    *out = p;
    return 0;
}

ALLOC_FN void *valloc(size_t n)
{
    void *p = __libc_valloc(n);
    if (UNLIKELY(current_mode() == MODE_COUNT)) note_alloc(p, n);
    return p;
}

ALLOC_FN void *pvalloc(size_t n)
{
    void *p = __libc_pvalloc(n);
    if (UNLIKELY(current_mode() == MODE_COUNT)) note_alloc(p, n);
    return p;
}

/* ---- the table libtach finds with dlsym ----------------------------------------- */

EXPORT const tach__memhook tach__memhook_v1 = {
    .struct_size = sizeof(tach__memhook),
    .version = TACH__MEMHOOK_VERSION,
    .begin = hook_begin,
    .reset = hook_reset,
    .on = hook_on,
    .off = hook_off,
    .read = hook_read,
    .end = hook_end,
};
