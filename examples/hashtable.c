/*
 * hashtable.c - lookups in a small open-addressing hash table (written below)
 * holding 100, 1,000 and 10,000 keys, for keys present and keys absent.
 *
 *     ./example_hashtable --filter 'size=10000'
 *
 * One iteration is one lookup; tach_set_items(st, 1) makes the table show lookups
 * per second beside the time per lookup.  The keys looked up cycle through 1,024
 * precomputed random keys, so the branch predictor cannot learn the answer, and
 * each lookup is independent of the previous one: this measures throughput (the
 * CPU overlaps cache misses), not the latency of one isolated lookup.
 *
 * The time per lookup depends on the number of probes as much as on the size: the
 * capacity is the power of two that keeps the load at most 1/2, so the load is
 * 0.39, 0.49 and 0.31 at the three sizes (the "load" counter), and a fuller table
 * means longer probe runs and more mispredicted loop exits.  Keys and values take
 * 16 bytes a slot: 4 KiB of table for 100 keys, 32 KiB for 1,000, 512 KiB for
 * 10,000 (in L1, at the edge of L1, in L2 on most current CPUs).
 */
#include <tach.h>

#include <stdlib.h>
#include <string.h>

/* ---- the table: linear probing, power-of-two capacity, load <= 1/2 -------- */

typedef struct table {
    uint64_t *keys;   /* 0 marks an empty slot, so 0 cannot be a key */
    uint64_t *values;
    unsigned shift;   /* 64 - log2(capacity) */
    size_t mask;      /* capacity - 1 */
} table;

/* Fibonacci hashing: multiply by 2^64/phi and keep the top bits. */
static inline size_t slot_of(const table *t, uint64_t key)
{
    return (size_t)((key * 0x9E3779B97F4A7C15u) >> t->shift);
}

/* Room for n keys at load at most 1/2.  Returns 0 or -1 (out of memory). */
static int table_init(table *t, size_t n)
{
    unsigned bits = 4;
    while (((size_t)1 << bits) < 2 * n)
        bits++;
    size_t cap = (size_t)1 << bits;
    t->keys = calloc(cap, sizeof *t->keys);
    t->values = calloc(cap, sizeof *t->values);
    t->shift = 64 - bits;
    t->mask = cap - 1;
    return t->keys && t->values ? 0 : -1;
}

static void table_free(table *t)
{
    free(t->keys);
    free(t->values);
    memset(t, 0, sizeof *t);
}

static void table_put(table *t, uint64_t key, uint64_t value)
{
    size_t i = slot_of(t, key);
    while (t->keys[i] != 0 && t->keys[i] != key)
        i = (i + 1) & t->mask;
    t->keys[i] = key;
    t->values[i] = value;
}

/* The value stored under key, or 0 when the key is absent. */
static inline uint64_t table_get(const table *t, uint64_t key)
{
    for (size_t i = slot_of(t, key);; i = (i + 1) & t->mask) {
        if (t->keys[i] == key)
            return t->values[i];
        if (t->keys[i] == 0)
            return 0;
    }
}

/* ---- the benchmark's data, built by .setup before the body runs ---------- */

#define NQUERIES 1024 /* a power of two: the loop wraps with a mask */

typedef struct fixture {
    table t;
    size_t n;
    uint64_t hits[NQUERIES];   /* keys in the table (odd numbers) */
    uint64_t misses[NQUERIES]; /* keys not in it (even numbers) */
} fixture;

/* The table the running benchmark reads.  .setup fills it once per worker, before
 * calibration and before any --threads threads start; the body only reads it, so
 * the threads of a thread sweep share it safely; .teardown frees it. */
static fixture the_fixture;

/* .setup: the table with n random odd keys (n the "size" argument), and the keys to
 * look up.  Fails the benchmark when out of memory, or when the table does not
 * answer the queries right (a bug in it); .teardown still runs then. */
static void fixture_setup(tach_state *st)
{
    fixture *f = &the_fixture;
    size_t n = (size_t)tach_arg(st, 0);
    uint64_t *keys = malloc(n * sizeof *keys);
    if (keys == NULL || table_init(&f->t, n) != 0) {
        free(keys);
        tach_fail(st, "could not build the table (out of memory)");
        return;
    }
    tach_fill_random(keys, n * sizeof *keys, tach_seed(st));
    for (size_t i = 0; i < n; i++) {
        keys[i] |= 1;                /* odd, so never 0 and never a "miss" key */
        table_put(&f->t, keys[i], i + 1);
    }
    tach_fill_random(f->misses, sizeof f->misses, tach_seed(st) + 1);
    for (size_t i = 0; i < NQUERIES; i++) {
        f->hits[i] = keys[tach_rand(st) % n];
        f->misses[i] = (f->misses[i] & ~(uint64_t)1) | 2; /* even and non-zero */
    }
    free(keys);
    f->n = n;
    for (size_t i = 0; i < NQUERIES; i++) {
        if (table_get(&f->t, f->hits[i]) == 0 || table_get(&f->t, f->misses[i]) != 0) {
            tach_fail(st, "the table answers a lookup wrong");
            return;
        }
    }
}

/* .teardown: frees what fixture_setup made (all of it, also after a failed setup). */
static void fixture_teardown(tach_state *st)
{
    (void)st;
    table_free(&the_fixture.t);
    memset(&the_fixture, 0, sizeof the_fixture);
}

#define SIZES TACH_LIST("size", 100, 1000, 10000)

/* A declared target: a lookup in a table this small must stay far below the cost of
 * one cache miss to memory (~100 ns).  `tach gate` and the reports check it. */
TACH_BENCH(lookup_hit, .group = "hashtable", .args = { SIZES }, .max_median_ns = 50,
           .setup = fixture_setup, .teardown = fixture_teardown)
{
    const fixture *f = &the_fixture;
    size_t i = 0;
    while (tach_loop(st)) {
        uint64_t v = table_get(&f->t, f->hits[i++ & (NQUERIES - 1)]);
        TACH_KEEP(v);
    }
    tach_set_items(st, 1);
    tach_counter(st, "load", (double)f->n / (double)(f->t.mask + 1));
}

TACH_BENCH(lookup_miss, .group = "hashtable", .args = { SIZES }, .setup = fixture_setup,
           .teardown = fixture_teardown)
{
    const fixture *f = &the_fixture;
    size_t i = 0;
    while (tach_loop(st)) {
        uint64_t v = table_get(&f->t, f->misses[i++ & (NQUERIES - 1)]);
        TACH_KEEP(v);
    }
    tach_set_items(st, 1);
    tach_counter(st, "load", (double)f->n / (double)(f->t.mask + 1));
}
