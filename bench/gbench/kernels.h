/*
 * kernels.h - the kernels bench/gbench/run.sh measures with both tach (tach.c,
 * compiled as C) and Google Benchmark (gbench.cc, compiled as C++), so that the two
 * harnesses time exactly the same code.  Only the harness around them differs.
 */
#ifndef BENCH_GBENCH_KERNELS_H
#define BENCH_GBENCH_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/* Steps of the dependent multiply chains: MULCHAIN_STEPS for the agreement kernel
 * (~1 µs), MUL100_STEPS for the ~100 ns "time to result" kernel. */
#define MULCHAIN_STEPS 1000
#define MUL100_STEPS 100
/* Bytes copied by the memcpy kernel and hashed by the FNV-1a kernel. */
#define MEMCPY_BYTES (64 * 1024)
#define HASH_BYTES 4096

/* x := x * K, steps times, each step depending on the previous one (3-cycle
 * latency on current x86).  The empty asm makes x opaque after every step, so the
 * compiler can neither fold the constants into one multiplication nor reorder the
 * chain into a tree. */
static inline uint64_t k_mulchain(uint64_t x, unsigned steps)
{
    for (unsigned i = 0; i < steps; i++) {
        x *= 0x9E3779B97F4A7C15u;
        __asm__("" : "+r"(x));
    }
    return x;
}

/* 64-bit FNV-1a over n bytes: a serial xor-multiply chain, one byte at a time. */
static inline uint64_t k_fnv1a(const unsigned char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3u;
    }
    return h;
}

#endif /* BENCH_GBENCH_KERNELS_H */
