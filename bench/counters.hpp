// The counters every benchmark reports, named alike so that the ratio
// reporter and the plot script find them.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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

// The times of the two sides of paired benchmarks, a turn at a time,
// and the counters they report: paired_ratio_median, the median over the
// turns of baseline time / measured time (the measured side's rate over
// the baseline's), paired_ratio_of_best, the same between the fastest
// turn of each, and pairs.
class pair_log {
 public:
  using clock = std::chrono::steady_clock;

  // One turn: the measured side ran from t0 to t1, the baseline from t1
  // to t2.
  void add(clock::time_point t0, clock::time_point t1, clock::time_point t2) {
    double m = std::chrono::duration<double, std::nano>(t1 - t0).count();
    double b = std::chrono::duration<double, std::nano>(t2 - t1).count();
    measured_.push_back(m);
    baseline_.push_back(b);
    ratios_.push_back(b / m);
  }

  void report(benchmark::State& state) {
    if (ratios_.empty()) return;
    std::sort(ratios_.begin(), ratios_.end());
    state.counters["paired_ratio_median"] = ratios_[ratios_.size() / 2];
    state.counters["paired_ratio_of_best"] =
        *std::min_element(baseline_.begin(), baseline_.end()) /
        *std::min_element(measured_.begin(), measured_.end());
    state.counters["pairs"] = static_cast<double>(ratios_.size());
  }

 private:
  std::vector<double> measured_, baseline_, ratios_;
};

}  // namespace sigreq_bench
