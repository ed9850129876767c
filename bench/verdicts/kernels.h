/*
 * kernels.h - the three kernels bench/verdicts/run.sh gates on, written once for
 * tach (tach.c) and for Google Benchmark (gbench.cc).  SLOW (a compile-time factor,
 * 1.0 or 1.10) scales the work of every kernel: the "new build" of a 10% slowdown.
 */
#ifndef BENCH_VERDICTS_KERNELS_H
#define BENCH_VERDICTS_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifndef SLOW
#define SLOW 1.0
#endif
/* Read at run time (volatile), so the two builds differ in the work done, not in
 * what the compiler knew about a constant size. */
static volatile double slow_factor = SLOW;
#define SCALED(n) ((size_t)((double)(n) * slow_factor + 0.5))

/* A dependent multiply chain (latency bound). */
static inline uint64_t k_chain(uint64_t x)
{
    size_t n = SCALED(2000);
    for (size_t i = 0; i < n; i++) {
        x *= 0x9E3779B97F4A7C15u;
        __asm__("" : "+r"(x));
    }
    return x;
}

/* FNV-1a over a buffer (a byte-at-a-time hash). */
static inline uint64_t k_hash(const unsigned char *p, size_t n)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211u;
    return h;
}
#define HASH_BYTES SCALED(4096)
#define HASH_CAP 8192

/* A sum over an array (throughput bound, vectorised). */
static inline uint64_t k_sum(const uint32_t *v, size_t n)
{
    uint64_t s = 0;
    for (size_t i = 0; i < n; i++) s += v[i];
    return s;
}
#define SUM_N SCALED(16384)
#define SUM_CAP 32768

#endif /* BENCH_VERDICTS_KERNELS_H */
