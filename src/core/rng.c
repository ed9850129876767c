/* rng.c - deterministic random numbers: xoshiro256** seeded through splitmix64.
 *
 * The generators are written from their published definitions (Blackman and Vigna,
 * "Scrambled linear pseudorandom number generators", 2018; reference code at
 * https://prng.di.unimi.it/).  Bounded integers use Lemire's multiply-and-reject
 * method ("Fast random integer generation in an interval", ACM TOMACS 2019), so
 * no modulo bias. */
#include "rng_inline.h"
#include "tach_internal.h"

/* One step of splitmix64 over *state. */
static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

void tach__rng_seed(tach__rng *r, uint64_t seed)
{
    uint64_t sm = seed;
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&sm);
    /* splitmix64 is a bijection of its counter, so four consecutive outputs are never
     * all zero; xoshiro's only forbidden state cannot occur. */
}

uint64_t tach__rng_next(tach__rng *r)
{
    return tach__rng_step(r);
}

uint64_t tach__rng_below(tach__rng *r, uint64_t bound)
{
    return tach__rng_step_below(r, bound);
}

double tach__rng_double(tach__rng *r)
{
    /* The top 53 bits scaled by 2^-53: every double in [0, 1) on a 2^-53 grid. */
    return (double)(tach__rng_step(r) >> 11) * 0x1.0p-53;
}

uint64_t tach__hash_str(const char *s)
{
    uint64_t h = 0xcbf29ce484222325u; /* FNV-1a 64-bit offset basis */
    if (!s) return h;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3u; /* FNV 64-bit prime */
    }
    return h;
}
