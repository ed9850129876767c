// gbench.cc - the families of kernels.h measured with Google Benchmark's
// Complexity(oAuto) (bench/complexity/run.sh).
#include <benchmark/benchmark.h>

#include "kernels.h"

static void hash(benchmark::State &state)
{
    size_t n = (size_t)state.range(0), i = 0;
    cx_prepare(n);
    for (auto _ : state) benchmark::DoNotOptimize(cx_hash(n, i++));
    state.SetComplexityN(state.range(0));
}
BENCHMARK(hash)->RangeMultiplier(4)->Range(64, 65536)->Complexity(benchmark::oAuto);

static void bsearch_(benchmark::State &state)
{
    size_t n = (size_t)state.range(0), i = 0;
    cx_prepare(n);
    for (auto _ : state) benchmark::DoNotOptimize(cx_bsearch(n, i++));
    state.SetComplexityN(state.range(0));
}
BENCHMARK(bsearch_)->Name("bsearch")->RangeMultiplier(4)->Range(64, 65536)->Complexity(benchmark::oAuto);

static void sum(benchmark::State &state)
{
    size_t n = (size_t)state.range(0);
    cx_prepare(n);
    for (auto _ : state) benchmark::DoNotOptimize(cx_sum(n));
    state.SetComplexityN(state.range(0));
}
BENCHMARK(sum)->RangeMultiplier(4)->Range(64, 65536)->Complexity(benchmark::oAuto);

static void sort_(benchmark::State &state)
{
    size_t n = (size_t)state.range(0), i = 0;
    cx_prepare(n);
    for (auto _ : state) benchmark::DoNotOptimize(cx_sort(n, i++));
    state.SetComplexityN(state.range(0));
}
BENCHMARK(sort_)->Name("sort")->RangeMultiplier(4)->Range(64, 65536)->Complexity(benchmark::oAuto);

static void pairs(benchmark::State &state)
{
    size_t n = (size_t)state.range(0);
    cx_prepare(n);
    for (auto _ : state) benchmark::DoNotOptimize(cx_pairs(n));
    state.SetComplexityN(state.range(0));
}
BENCHMARK(pairs)->RangeMultiplier(2)->Range(16, 1024)->Complexity(benchmark::oAuto);

BENCHMARK_MAIN();
