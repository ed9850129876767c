#include <benchmark/benchmark.h>
#include <chrono>
#include <thread>
// Rates of UseRealTime / UseManualTime benchmarks are per real (manual) time, while
// cpu_time stays the main thread's CPU time, far below it for a benchmark that waits.
static void BM_wait(benchmark::State& state) {
  for (auto _ : state) std::this_thread::sleep_for(std::chrono::microseconds(200));
  state.SetBytesProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_wait)->UseRealTime();
static void BM_manual(benchmark::State& state) {
  for (auto _ : state) state.SetIterationTime(0.001);
  state.SetItemsProcessed(state.iterations() * 10);
}
BENCHMARK(BM_manual)->UseManualTime();
BENCHMARK_MAIN();
