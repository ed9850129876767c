// gbench.cc - bench/verdicts' kernels measured with Google Benchmark (kernels.h).
#include <benchmark/benchmark.h>

#include <cstring>

#include "kernels.h"

static void chain(benchmark::State &st)
{
    uint64_t x = 1;
    for (auto _ : st) {
        x = k_chain(x);
        benchmark::DoNotOptimize(x);
    }
}
BENCHMARK(chain);

static unsigned char buf[HASH_CAP];

static void hash(benchmark::State &st)
{
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (unsigned char)(i * 131u + 7u);
    for (auto _ : st) {
        uint64_t h = k_hash(buf, HASH_BYTES);
        benchmark::DoNotOptimize(h);
    }
}
BENCHMARK(hash);

static uint32_t arr[SUM_CAP];

static void sum(benchmark::State &st)
{
    for (size_t i = 0; i < SUM_CAP; i++) arr[i] = (uint32_t)(i * 2654435761u);
    for (auto _ : st) {
        uint64_t s = k_sum(arr, SUM_N);
        benchmark::DoNotOptimize(s);
    }
}
BENCHMARK(sum);

BENCHMARK_MAIN();
