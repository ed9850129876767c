/*
 * sort.c - sorting 1,000 to 100,000 random 32-bit integers with the C library's
 * qsort and with a hand-written LSD radix sort, in elements per second.
 *
 *     ./example_sort --filter 'n=100000'
 *
 * Sorting works in place, so every iteration needs a fresh unsorted copy of the
 * input, and making that copy must not be timed.  tach_batched does this without a
 * clock read per iteration: for each batch the runner calls setup(ctx, i) for
 * i = 0..batch-1 with the clock stopped (copy the input into slot i), then
 * routine(ctx, i) for the same i with the clock running (sort slot i).
 */
#include <tach.h>

#include <stdlib.h>
#include <string.h>

typedef struct sort_ctx {
    size_t n, batch;
    uint32_t *input;   /* the unsorted data, n values */
    uint32_t *slots;   /* batch copies of it, sorted in place */
    uint32_t *scratch; /* radix sort's second buffer, n values */
} sort_ctx;

/* Enough copies per batch to amortise the clock reads on small inputs, few enough
 * to stay in cache: about 256 KiB of slots, between 1 and 64 of them. */
static size_t batch_for(size_t n)
{
    size_t b = (256u * 1024u / sizeof(uint32_t)) / n;
    return b < 1 ? 1 : b > 64 ? 64 : b;
}

static int ctx_init(sort_ctx *c, tach_state *st, size_t n)
{
    c->n = n;
    c->batch = batch_for(n);
    c->input = malloc(n * sizeof *c->input);
    c->slots = malloc(c->batch * n * sizeof *c->slots);
    c->scratch = malloc(n * sizeof *c->scratch);
    if (c->input == NULL || c->slots == NULL || c->scratch == NULL)
        return -1;
    tach_fill_random(c->input, n * sizeof *c->input, tach_seed(st));
    /* Zeros are sorted: the check after the run holds if no batch ran at all. */
    memset(c->slots, 0, n * sizeof *c->slots);
    return 0;
}

static void ctx_free(sort_ctx *c)
{
    free(c->input);
    free(c->slots);
    free(c->scratch);
}

static bool is_sorted(const uint32_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (v[i - 1] > v[i])
            return false;
    return true;
}

/* Untimed: a fresh unsorted copy in slot i. */
static void copy_input(void *ctx, size_t i)
{
    sort_ctx *c = ctx;
    memcpy(c->slots + i * c->n, c->input, c->n * sizeof *c->input);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Timed: qsort slot i. */
static void run_qsort(void *ctx, size_t i)
{
    sort_ctx *c = ctx;
    qsort(c->slots + i * c->n, c->n, sizeof(uint32_t), cmp_u32);
}

/* Timed: LSD radix sort of slot i, four passes of 8 bits through c->scratch. */
static void run_radix(void *ctx, size_t i)
{
    sort_ctx *c = ctx;
    uint32_t *a = c->slots + i * c->n, *b = c->scratch;
    for (unsigned shift = 0; shift < 32; shift += 8) {
        size_t count[257] = {0};
        for (size_t k = 0; k < c->n; k++)
            count[((a[k] >> shift) & 0xFF) + 1]++;
        for (size_t d = 1; d < 257; d++)
            count[d] += count[d - 1];
        for (size_t k = 0; k < c->n; k++)
            b[count[(a[k] >> shift) & 0xFF]++] = a[k];
        uint32_t *t = a;
        a = b;
        b = t;
    }
    /* Four passes: the sorted data ends where it started, in slot i. */
}

/* The body both benchmarks share; routine is the sort. */
static void sort_bench(tach_state *st, tach_batch_fn routine)
{
    sort_ctx c;
    memset(&c, 0, sizeof c);
    if (ctx_init(&c, st, (size_t)tach_arg(st, 0)) != 0) {
        tach_fail(st, "out of memory");
    } else {
        tach_batched(st, c.batch, copy_input, routine, &c);
        /* Slot 0 holds the last batch's first output: a cheap check of the sort. */
        if (!is_sorted(c.slots, c.n))
            tach_fail(st, "the output is not sorted");
        tach_set_items(st, c.n);
    }
    ctx_free(&c);
}

#define SIZES TACH_RANGE("n", 1000, 100000, 10)

TACH_BENCH(qsort, .group = "sort", .args = { SIZES })
{
    sort_bench(st, run_qsort);
}

TACH_BENCH(radix, .group = "sort", .args = { SIZES })
{
    sort_bench(st, run_radix);
}
