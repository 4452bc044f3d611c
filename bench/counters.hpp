// The counters every benchmark reports, named alike so that the ratio
// reporter and the plot script find them.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace sigreq_bench {

// "<what>_per_second": iterations over the benchmark's time (summed over
// threads, so with UseRealTime the aggregate rate of all threads).
inline void set_rate(benchmark::State& state, std::string_view what) {
  state.counters[std::string(what) + "_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// Heap allocations an iteration made, averaged over the threads.
inline void set_allocations(benchmark::State& state, std::string_view what,
                            std::uint64_t allocations) {
  state.counters["heap_allocs_per_" + std::string(what)] =
      benchmark::Counter(static_cast<double>(allocations) /
                             static_cast<double>(state.iterations()),
                         benchmark::Counter::kAvgThreads);
}

}  // namespace sigreq_bench
