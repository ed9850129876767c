/* rng_inline.h - the xoshiro256** step and bounded draws as inline functions, for
 * the library's hot loops (the bootstrap draws tens of millions of indices).  The
 * out-of-line tach__rng_* in rng.c are defined with these, so both give the same
 * stream.  Private to src/; not part of tach_internal.h's contract. */
#ifndef TACH_RNG_INLINE_H
#define TACH_RNG_INLINE_H

#include "tach_internal.h"

static inline uint64_t tach__rotl64(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* One xoshiro256** step (Blackman & Vigna's reference algorithm). */
static inline uint64_t tach__rng_step(tach__rng *r)
{
    uint64_t *s = r->s;
    const uint64_t result = tach__rotl64(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = tach__rotl64(s[3], 45);
    return result;
}

/* Uniform in [0, bound), Lemire's multiply-and-reject (no modulo bias). */
static inline uint64_t tach__rng_step_below(tach__rng *r, uint64_t bound)
{
    if (bound <= 1) return 0;
    unsigned __int128 m = (unsigned __int128)tach__rng_step(r) * bound;
    uint64_t low = (uint64_t)m;
    if (low < bound) {
        /* Reject the 2^64 mod bound low products that would over-represent some
         * results; (-bound) % bound == 2^64 mod bound. */
        uint64_t threshold = (0 - bound) % bound;
        while (low < threshold) {
            m = (unsigned __int128)tach__rng_step(r) * bound;
            low = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

/* Indices in [0, bound) for bound < 2^32, two per 64-bit step (its low then its
 * high half), each by Lemire's method on 32 bits: half the generator work of
 * tach__rng_step_below for the bootstrap's index draws. */
typedef struct tach__idx_stream {
    tach__rng *r;
    uint64_t spare;
    bool have_spare;
} tach__idx_stream;

static inline uint32_t tach__idx_u32(tach__idx_stream *g)
{
    if (g->have_spare) {
        g->have_spare = false;
        return (uint32_t)(g->spare >> 32);
    }
    g->spare = tach__rng_step(g->r);
    g->have_spare = true;
    return (uint32_t)g->spare;
}

static inline uint32_t tach__idx_below(tach__idx_stream *g, uint32_t bound)
{
    uint64_t m = (uint64_t)tach__idx_u32(g) * bound;
    uint32_t low = (uint32_t)m;
    if (low < bound) {
        uint32_t threshold = (0u - bound) % bound; /* 2^32 mod bound */
        while (low < threshold) {
            m = (uint64_t)tach__idx_u32(g) * bound;
            low = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}

#endif
