#include <benchmark/benchmark.h>
#include <limits>
static void BM_sum(benchmark::State& state) {
  long n = state.range(0);
  for (auto _ : state) { long s = 0; for (long i = 0; i < n; i++) s += i; benchmark::DoNotOptimize(s); }
  state.SetItemsProcessed(state.iterations() * n);
  state.counters["nan_counter"] = std::numeric_limits<double>::quiet_NaN();
  state.counters["inf_counter"] = std::numeric_limits<double>::infinity();
  state.counters["ninf_counter"] = -std::numeric_limits<double>::infinity();
  state.counters["plain"] = 42;
}
BENCHMARK(BM_sum)->Arg(64)->Arg(512);
static void BM_err(benchmark::State& state) { state.SkipWithError("no device"); for (auto _ : state) {} }
BENCHMARK(BM_err);
BENCHMARK_MAIN();
