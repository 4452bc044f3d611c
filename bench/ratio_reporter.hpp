// Ratios between benchmarks of one run, added as counters to the runs
// they describe, in the console output and in the JSON file alike.
//
// A rule says: the rate of target over the rate of baseline, as counter
// name. Rates are the "<what>_per_second" counters. Each repetition is
// divided by the baseline's repetition of the same index, each mean or
// median by the baseline's mean or median.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace sigreq_bench {

struct ratio_rule {
  std::string counter;
  std::string target;  // function name and args, e.g. BM_verify_post/1024
  std::int64_t target_threads = 1;
  std::string baseline;
  std::int64_t baseline_threads = 1;
};

class ratio_book {
 public:
  explicit ratio_book(std::vector<ratio_rule> rules)
      : rules_(std::move(rules)) {}

  // Records the rates of runs.
  void record(const std::vector<benchmark::BenchmarkReporter::Run>& runs);

  // Returns runs with the ratios to recorded baselines added.
  std::vector<benchmark::BenchmarkReporter::Run> annotate(
      const std::vector<benchmark::BenchmarkReporter::Run>& runs) const;

 private:
  std::vector<ratio_rule> rules_;
  std::map<std::string, double> rates_;
};

// The rules of sigreq's targets and of the figures the docs show.
std::vector<ratio_rule> sigreq_ratio_rules();

// Holds every group of runs until the last benchmark ended, then reports
// them in the order of registration with their ratios. The order in which
// runs end does not matter then, so baselines and targets may interleave
// (--benchmark_enable_random_interleaving). Base is the reporter that
// prints: ConsoleReporter or JSONReporter.
template <class Base>
class ratio_reporter : public Base {
 public:
  using Run = benchmark::BenchmarkReporter::Run;

  template <class... A>
  explicit ratio_reporter(ratio_book& book, bool progress, A&&... a)
      : Base(std::forward<A>(a)...), book_(book), progress_(progress) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    if (runs.empty()) return;
    if (progress_)
      this->GetErrorStream()
          << "done " << runs.front().run_name.str() << std::endl;
    held_.push_back(runs);
  }

  void Finalize() override {
    std::stable_sort(held_.begin(), held_.end(),
                     [](const auto& a, const auto& b) {
                       return std::pair(a.front().family_index,
                                        a.front().per_family_instance_index) <
                              std::pair(b.front().family_index,
                                        b.front().per_family_instance_index);
                     });
    for (const auto& group : held_)
      book_.record(group);
    for (const auto& group : held_)
      Base::ReportRuns(book_.annotate(group));
    held_.clear();
    Base::Finalize();
  }

 private:
  ratio_book& book_;
  bool progress_;
  std::vector<std::vector<Run>> held_;
};

using ratio_console_reporter = ratio_reporter<benchmark::ConsoleReporter>;
using ratio_json_reporter = ratio_reporter<benchmark::JSONReporter>;

}  // namespace sigreq_bench
