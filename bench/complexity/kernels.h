/* kernels.h - the families of bench/complexity/run.sh, each with a known class, shared
 * by tach.c and gbench.cc.  The data of size n is made once per size (untimed). */
#ifndef COMPLEXITY_KERNELS_H
#define COMPLEXITY_KERNELS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CX_MAXN 65536
static uint64_t cx_data[CX_MAXN], cx_table[2 * CX_MAXN], cx_work[CX_MAXN];
static size_t cx_mask;

static inline uint64_t cx_mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdu;
    x ^= x >> 33;
    return x;
}

/* Sorted distinct keys in cx_data[0..n), and an open-addressing table of them. */
static inline void cx_prepare(size_t n)
{
    uint64_t k = 7;
    for (size_t i = 0; i < n; i++) {
        k += 1 + (cx_mix(k) & 15);
        cx_data[i] = k;
    }
    size_t cap = 1;
    while (cap < 2 * n) cap <<= 1;
    cx_mask = cap - 1;
    memset(cx_table, 0, cap * sizeof *cx_table);
    for (size_t i = 0; i < n; i++) {
        size_t h = cx_mix(cx_data[i]) & cx_mask;
        while (cx_table[h]) h = (h + 1) & cx_mask;
        cx_table[h] = cx_data[i];
    }
}

/* O(1): look up one of 64 keys present (hot in cache at every size). */
static inline size_t cx_hash(size_t n, size_t i)
{
    uint64_t k = cx_data[((i * 7) & 63) % n]; /* n >= 64 */
    size_t h = cx_mix(k) & cx_mask;
    while (cx_table[h] != k) h = (h + 1) & cx_mask;
    return h;
}

/* O(log N): binary search for a present key. */
static inline size_t cx_bsearch(size_t n, size_t i)
{
    uint64_t want = cx_data[(i * 2654435761u) % n];
    size_t lo = 0, hi = n;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (cx_data[mid] <= want) lo = mid;
        else hi = mid;
    }
    return lo;
}

/* O(N): sum of n values. */
static inline uint64_t cx_sum(size_t n)
{
    uint64_t s = 0;
    for (size_t i = 0; i < n; i++) s += cx_data[i] ^ (s >> 7);
    return s;
}

static int cx_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* O(N log N): sort n values (shuffled copies of the data). */
static inline uint64_t cx_sort(size_t n, size_t i)
{
    for (size_t k = 0; k < n; k++) cx_work[k] = cx_mix(cx_data[k] + i);
    qsort(cx_work, n, sizeof *cx_work, cx_cmp);
    return cx_work[n / 2];
}

/* O(N^2): all ordered pairs of n values. */
static inline uint64_t cx_pairs(size_t n)
{
    uint64_t s = 0;
    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < n; b++) s += (cx_data[a] ^ cx_data[b]) & 1;
    return s;
}

#ifdef __cplusplus
}
#endif
#endif
