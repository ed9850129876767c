// gbench.cc - the side-by-side kernels, measured with Google Benchmark (see
// run.sh, kernels.h).  tach.c holds the same kernels written for tach.
#include <benchmark/benchmark.h>

#include <cstring>
#include <random>

#include "kernels.h"

// Loop overhead, written as Google Benchmark's documentation writes it.
static void overhead(benchmark::State &state)
{
    uint64_t x = 0;
    for (auto _ : state) {
        x++;
        benchmark::DoNotOptimize(x);
    }
}
BENCHMARK(overhead);

static void mulchain(benchmark::State &state)
{
    uint64_t x = 1;
    for (auto _ : state) {
        x = k_mulchain(x, MULCHAIN_STEPS);
        benchmark::DoNotOptimize(x);
    }
}
BENCHMARK(mulchain);

static void fill(unsigned char *p, size_t n, unsigned seed)
{
    std::mt19937 g(seed);
    for (size_t i = 0; i < n; i++) p[i] = static_cast<unsigned char>(g());
}

static unsigned char copy_src[MEMCPY_BYTES], copy_dst[MEMCPY_BYTES];

static void memcpy64k(benchmark::State &state)
{
    fill(copy_src, sizeof copy_src, 1);
    unsigned char *dst = copy_dst;
    for (auto _ : state) {
        std::memcpy(dst, copy_src, MEMCPY_BYTES);
        benchmark::DoNotOptimize(dst);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * MEMCPY_BYTES);
}
BENCHMARK(memcpy64k);

static unsigned char hash_buf[HASH_BYTES];

static void fnv1a4k(benchmark::State &state)
{
    fill(hash_buf, sizeof hash_buf, 2);
    for (auto _ : state) {
        uint64_t h = k_fnv1a(hash_buf, HASH_BYTES);
        benchmark::DoNotOptimize(h);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * HASH_BYTES);
}
BENCHMARK(fnv1a4k);

static void mul100(benchmark::State &state)
{
    uint64_t x = 1;
    for (auto _ : state) {
        x = k_mulchain(x, MUL100_STEPS);
        benchmark::DoNotOptimize(x);
    }
}
BENCHMARK(mul100);

BENCHMARK_MAIN();
