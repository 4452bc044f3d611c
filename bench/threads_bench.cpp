// What a second thread brings, measured in turns: a batch on one thread
// alone, then the same batch on two threads at once, again and again, so
// that both sides of each ratio run within milliseconds of each other.
// BM_verify_get_threads and BM_hmac_limit_threads time one and two
// threads in separate benchmarks, at different moments of a run, and on
// this kind of VM their ratio moved between 1.55 and 1.97 from run to
// run.
//
// Each turn does this for the GET verification and then for the bare MAC
// (the control, which shares nothing at all), so that the control's gain
// in the same turns says what the machine gave any CPU-bound work then.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "batches.hpp"
#include "counters.hpp"
#include "fixture.hpp"
#include "registry.hpp"

namespace sigreq_bench {
namespace {

using cubicweb = sigreq::profiles::cubicweb;
using clock = std::chrono::steady_clock;

// The two works, on thread i's own GET and token (as in the separate
// thread benchmarks): n verifications, or n bare MACs of its string to
// sign.
class works {
 public:
  works()
      : bytes_{string_to_sign_of<cubicweb>(w_.get_request(0)),
               string_to_sign_of<cubicweb>(w_.get_request(1))} {}

  bool ready() const {
    return w_.verifier().verify(w_.get_request(0)) &&
           w_.verifier().verify(w_.get_request(1));
  }

  void run(int which, std::size_t i, int n) const {
    if (which == 0)
      verify_batch<cubicweb>(w_.verifier(), w_.get_request(i), n);
    else
      mac_batch(w_.store().find(token_id_of(i))->key(), bytes_[i], n);
  }

 private:
  const world<cubicweb>& w_ = world<cubicweb>::get();
  std::string bytes_[2];
};

// A second thread that runs one batch of a work whenever it is told to,
// and sleeps (in the kernel, not spinning) in between, so that a batch of
// the main thread alone has the machine's other core to itself.
class helper_thread {
 public:
  explicit helper_thread(const works& w, int batch)
      : thread_([this, &w, batch] { loop(w, batch); }) {}
  helper_thread(const helper_thread&) = delete;
  helper_thread& operator=(const helper_thread&) = delete;

  ~helper_thread() {
    stop_.store(true);
    turn_.fetch_add(1);
    turn_.notify_one();
    thread_.join();
  }

  // Starts a batch of `which` on the helper; returns once it has begun.
  void start(int which) {
    which_.store(which);
    int k = turn_.fetch_add(1) + 1;
    turn_.notify_one();
    while (started_.load() != k) {
    }
  }

  // Waits, asleep, for the batch start() began.
  struct span {
    clock::time_point begin, end;
  };
  span wait() {
    int k = turn_.load();
    while (true) {
      int f = finished_.load();
      if (f == k) break;
      finished_.wait(f);
    }
    return span_;
  }

 private:
  void loop(const works& w, int batch) {
    for (int seen = 0;;) {
      turn_.wait(seen);
      seen = turn_.load();
      if (stop_.load()) return;
      auto begin = clock::now();
      started_.store(seen);
      w.run(which_.load(), 1, batch);
      span_ = {begin, clock::now()};
      finished_.store(seen);
      finished_.notify_one();
    }
  }

  std::atomic<int> turn_{0}, started_{0}, finished_{0}, which_{0};
  std::atomic<bool> stop_{false};
  span span_{};  // written before finished_, read after it
  std::thread thread_;
};

double seconds_between(clock::time_point a, clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// Counters, over the turns: paired_ratio_median, the median of the
// verification's gain: the time of `batch` units on one thread over the
// time two threads take for `batch` each, from the first start to the
// last end, times two. The thread that runs alone alternates between
// the main thread and the helper, so that a vCPU faster than the other
// does not count as the second thread's gain. control_ratio_median is
// the bare MAC's gain, and control_shared_core_turns the share of turns
// in which the bare MAC gained under 1.3x, as when both vCPUs land on one
// physical core.
void BM_threads_paired(benchmark::State& state) {
  const works w;
  if (!w.ready()) {
    state.SkipWithError("the GET was refused");
    return;
  }
  constexpr int batch = 1000;  // about a millisecond of either work
  helper_thread helper(w, batch);

  // SIGREQ_BENCH_TURNS=FILE appends every turn's batch times (us) to
  // FILE, numbered by call: Google Benchmark calls this function once or
  // more to choose an iteration count, then once a repetition.
  static int calls = 0;
  ++calls;
  std::FILE* turns = nullptr;
  if (const char* path = std::getenv("SIGREQ_BENCH_TURNS")) {
    turns = std::fopen(path, "a");
    if (turns && std::ftell(turns) == 0)
      std::fprintf(turns,
                   "call,work,alone_on,one_thread_us,two_threads_us,"
                   "main_us,helper_us\n");
  }

  std::vector<double> gain[2];
  std::size_t turn = 0;
  for (auto _ : state) {
    bool helper_alone = turn++ % 2 == 1;
    for (int which = 0; which < 2; ++which) {
      double one;
      if (helper_alone) {
        helper.start(which);
        auto s = helper.wait();
        one = seconds_between(s.begin, s.end);
      } else {
        auto t0 = clock::now();
        w.run(which, 0, batch);
        one = seconds_between(t0, clock::now());
      }

      helper.start(which);
      auto t1 = clock::now();
      w.run(which, 0, batch);
      auto t2 = clock::now();
      auto s = helper.wait();
      double two = seconds_between(std::min(t1, s.begin), std::max(t2, s.end));

      gain[which].push_back(2 * one / two);
      if (turns) {
        std::fprintf(turns, "%d,%s,%s,%.1f,%.1f,%.1f,%.1f\n", calls,
                     which == 0 ? "verify_get" : "hmac_limit",
                     helper_alone ? "helper" : "main", one * 1e6, two * 1e6,
                     seconds_between(t1, t2) * 1e6,
                     seconds_between(s.begin, s.end) * 1e6);
      }
    }
  }
  if (turns) std::fclose(turns);
  if (gain[0].empty()) return;

  std::size_t shared = 0;
  for (double g : gain[1])
    shared += g < 1.3 ? 1 : 0;
  for (auto& g : gain)
    std::sort(g.begin(), g.end());
  state.counters["paired_ratio_median"] = gain[0][gain[0].size() / 2];
  state.counters["control_ratio_median"] = gain[1][gain[1].size() / 2];
  state.counters["control_shared_core_turns"] =
      static_cast<double>(shared) / static_cast<double>(gain[1].size());
  state.counters["pairs"] = static_cast<double>(gain[0].size());
  set_rate(state, "turns");
}

}  // namespace

void register_threads() {
  benchmark::RegisterBenchmark("BM_threads_paired", BM_threads_paired)
      ->UseRealTime();
}

}  // namespace sigreq_bench
