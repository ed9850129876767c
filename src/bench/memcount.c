/*
 * memcount.c - the allocator functions of the process, counted while the measured
 * region runs (memcount.h; the why and how in docs/memory.md).
 *
 * glibc 2.34 removed __malloc_hook.  glibc does support replacing its allocator by
 * defining malloc and friends, and exports its own implementations as __libc_malloc,
 * __libc_free, ...: libtach defines the functions and forwards to those.  They are
 * weak (a program's own allocator wins) and exported (default visibility: from
 * libtach.so, and from an executable that links libtach.a, so that libc and every
 * other library call them too).  Under AddressSanitizer none is defined: ASan owns
 * the allocator.
 *
 * Modes: OFF (forward only), TRACK (the memory pass is running but not its region:
 * frees still update the size table) and COUNT (the region runs).  The size table
 * maps each block allocated while counting to the size asked for, so that freeing it
 * subtracts exactly what allocating it added; it is mapped with mmap (never malloc)
 * and guarded by a spin lock (only ever taken during the memory pass).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "memcount.h"
#include "tach_internal.h"

#if defined(__SANITIZE_ADDRESS__)
#define TACH__MEM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TACH__MEM_ASAN 1
#endif
#endif

enum { MODE_OFF = 0, MODE_TRACK = 1, MODE_COUNT = 2 };

static _Atomic int mode;
static _Atomic uint64_t n_allocs, n_bytes, n_untracked;
static _Atomic int64_t live, peak;

/* ---- the size table: open addressing, linear probing, backward-shift deletion ---- */

#define TABLE_BITS 20 /* 1 Mi slots, 16 MiB of address space, touched as used */
#define TABLE_SLOTS ((size_t)1 << TABLE_BITS)
#define TABLE_MAX (TABLE_SLOTS / 4 * 3)

typedef struct slot { uintptr_t key; size_t size; } slot;
static slot *table;
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

static size_t slot_of(uintptr_t key)
{
    return (size_t)(((uint64_t)key * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - TABLE_BITS));
}

/* Records p's size; false when the table is full (the block is then untracked). */
static bool table_put(void *p, size_t size)
{
    uintptr_t key = (uintptr_t)p;
    bool ok = true;
    lock();
    if (!table) {
        ok = false;
    } else {
        size_t i = slot_of(key);
        while (table[i].key && table[i].key != key) i = (i + 1) & (TABLE_SLOTS - 1);
        if (table[i].key == key) {
            table[i].size = size;
        } else if (table_used < TABLE_MAX) {
            table[i] = (slot){key, size};
            table_used++;
        } else {
            ok = false;
        }
    }
    unlock();
    return ok;
}

/* Removes p; true with its size when it was there. */
static bool table_take(void *p, size_t *size)
{
    uintptr_t key = (uintptr_t)p;
    bool found = false;
    lock();
    if (table) {
        size_t i = slot_of(key);
        while (table[i].key && table[i].key != key) i = (i + 1) & (TABLE_SLOTS - 1);
        if (table[i].key == key) {
            found = true;
            *size = table[i].size;
            table_used--;
            /* Backward shift: move later entries of the run into the hole. */
            size_t hole = i, j = i;
            for (;;) {
                j = (j + 1) & (TABLE_SLOTS - 1);
                if (!table[j].key) break;
                size_t home = slot_of(table[j].key);
                /* j's entry may move to hole when home is not cyclically in (hole, j]. */
                bool stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
                if (stays) continue;
                table[hole] = table[j];
                hole = j;
            }
            table[hole] = (slot){0, 0};
        }
    }
    unlock();
    return found;
}

/* ---- counting ----------------------------------------------------------------- */

__attribute__((unused)) static void note_alloc(void *p, size_t size)
{
    atomic_fetch_add_explicit(&n_allocs, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&n_bytes, size, memory_order_relaxed);
    if (!p) return;
    if (!table_put(p, size)) atomic_fetch_add_explicit(&n_untracked, 1, memory_order_relaxed);
    int64_t now = atomic_fetch_add_explicit(&live, (int64_t)size, memory_order_relaxed) + (int64_t)size;
    int64_t top = atomic_load_explicit(&peak, memory_order_relaxed);
    while (now > top &&
           !atomic_compare_exchange_weak_explicit(&peak, &top, now, memory_order_relaxed,
                                                  memory_order_relaxed)) {}
}

/* A block about to be freed (or moved by realloc): forgets it, and in COUNT mode
 * subtracts its size (the size asked for when it was counted, else its usable size). */
__attribute__((unused)) static void note_free(void *p, int m)
{
    size_t size = 0;
    bool known = table_take(p, &size);
    if (m != MODE_COUNT) return;
    if (!known) size = malloc_usable_size(p);
    atomic_fetch_sub_explicit(&live, (int64_t)size, memory_order_relaxed);
}

void tach__mem_reset(void)
{
    atomic_store(&n_allocs, 0);
    atomic_store(&n_bytes, 0);
    atomic_store(&n_untracked, 0);
    atomic_store(&live, 0);
    atomic_store(&peak, 0);
}

void tach__mem_on(void)
{
    atomic_store_explicit(&mode, MODE_COUNT, memory_order_release);
}

void tach__mem_off(void)
{
    atomic_store_explicit(&mode, MODE_TRACK, memory_order_release);
}

void tach__mem_read(tach__mem_counts *out)
{
    out->allocs = atomic_load(&n_allocs);
    out->bytes = atomic_load(&n_bytes);
    out->net = atomic_load(&live);
    out->peak = atomic_load(&peak);
    out->untracked = atomic_load(&n_untracked);
}

void tach__mem_end(void)
{
    atomic_store(&mode, MODE_OFF);
    lock();
    if (table) munmap(table, TABLE_SLOTS * sizeof *table);
    table = NULL;
    table_used = 0;
    unlock();
}

#ifdef TACH__MEM_ASAN

int tach__mem_begin(char *why)
{
    return tach__err(why, "memory counting unavailable under ASan (it owns the allocator)");
}

#else

int tach__mem_begin(char *why)
{
    tach__mem_end();
    slot *t = mmap(NULL, TABLE_SLOTS * sizeof *t, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (t == MAP_FAILED)
        return tach__err(why, "memory counting unavailable: cannot map its size table: %s",
                         strerror(errno));
    lock();
    table = t;
    table_used = 0;
    unlock();
    /* The probe: a malloc through the process's binding must be counted, else another
     * allocator (a sanitizer, jemalloc, a static libc) interposes it. */
    tach__mem_reset();
    atomic_store(&mode, MODE_COUNT);
    void *(*volatile alloc)(size_t) = malloc;
    void (*volatile release)(void *) = free;
    void *p = alloc(24);
    release(p);
    atomic_store(&mode, MODE_TRACK);
    uint64_t seen = atomic_load(&n_allocs);
    tach__mem_reset();
    if (seen != 1) {
        tach__mem_end();
        return tach__err(why, "memory counting unavailable: malloc is not libtach's (another "
                              "allocator or a sanitizer replaces it)");
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

#define TACH__ALLOC_FN __attribute__((visibility("default"), weak))
#define TACH__UNLIKELY(x) __builtin_expect(!!(x), 0)

static inline int current_mode(void)
{
    return atomic_load_explicit(&mode, memory_order_relaxed);
}

TACH__ALLOC_FN void *malloc(size_t n)
{
    void *p = __libc_malloc(n);
    if (TACH__UNLIKELY(current_mode() == MODE_COUNT)) note_alloc(p, n);
    return p;
}

TACH__ALLOC_FN void free(void *p)
{
    int m = current_mode();
    if (TACH__UNLIKELY(m != MODE_OFF) && p) note_free(p, m);
    __libc_free(p);
}

TACH__ALLOC_FN void *calloc(size_t n, size_t size)
{
    void *p = __libc_calloc(n, size);
    if (TACH__UNLIKELY(current_mode() == MODE_COUNT)) {
        size_t total;
        if (__builtin_mul_overflow(n, size, &total)) total = 0;
        note_alloc(p, total);
    }
    return p;
}

TACH__ALLOC_FN void *realloc(void *old, size_t n)
{
    int m = current_mode();
    if (TACH__UNLIKELY(m != MODE_OFF)) {
        if (!old) return malloc(n);
        size_t had = 0;
        bool known = table_take(old, &had);
        if (!known && m == MODE_COUNT) had = malloc_usable_size(old);
        void *p = __libc_realloc(old, n);
        if (!p && n != 0) { /* failed: the old block stays as it was */
            if (known) table_put(old, had);
            if (m == MODE_COUNT) {
                atomic_fetch_add_explicit(&n_allocs, 1, memory_order_relaxed);
                atomic_fetch_add_explicit(&n_bytes, n, memory_order_relaxed);
            }
            return NULL;
        }
        if (m == MODE_COUNT) {
            atomic_fetch_sub_explicit(&live, (int64_t)had, memory_order_relaxed);
            if (p) note_alloc(p, n); /* realloc(p, 0) frees: no allocation */
        }
        return p;
    }
    return __libc_realloc(old, n);
}

TACH__ALLOC_FN void *reallocarray(void *old, size_t n, size_t size)
{
    size_t total;
    if (__builtin_mul_overflow(n, size, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(old, total);
}

TACH__ALLOC_FN void *memalign(size_t align, size_t n)
{
    void *p = __libc_memalign(align, n);
    if (TACH__UNLIKELY(current_mode() == MODE_COUNT)) note_alloc(p, n);
    return p;
}

TACH__ALLOC_FN void *aligned_alloc(size_t align, size_t n)
{
    return memalign(align, n);
}

TACH__ALLOC_FN int posix_memalign(void **out, size_t align, size_t n)
{
    /* POSIX: a power of two multiple of sizeof(void *), else EINVAL (out untouched). */
    if (align % sizeof(void *) != 0 || (align & (align - 1)) != 0 || align == 0) return EINVAL;
    int saved = errno;
    void *p = __libc_memalign(align, n);
    if (!p) {
        errno = saved;
        return ENOMEM;
    }
    if (TACH__UNLIKELY(current_mode() == MODE_COUNT)) note_alloc(p, n);
    *out = p;
    return 0;
}

TACH__ALLOC_FN void *valloc(size_t n)
{
    void *p = __libc_valloc(n);
    if (TACH__UNLIKELY(current_mode() == MODE_COUNT)) note_alloc(p, n);
    return p;
}

TACH__ALLOC_FN void *pvalloc(size_t n)
{
    void *p = __libc_pvalloc(n);
    if (TACH__UNLIKELY(current_mode() == MODE_COUNT)) note_alloc(p, n);
    return p;
}

#endif /* TACH__MEM_ASAN */
