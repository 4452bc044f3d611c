// Clock policies: where the verifier reads "now" for the Date window.
#pragma once

#include <atomic>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <ctime>

namespace sigreq {

template <class C>
concept clock_policy = requires(const C& c) {
  { c.now() } -> std::same_as<std::chrono::sys_seconds>;
};

// The system's wall clock, to the second. On POSIX systems it reads
// time(), seconds since the Epoch, which Linux answers from the vDSO in
// about 3 ns; std::chrono::system_clock::now() reads nanoseconds in about
// 24 ns on the machine of docs/performance.md, a cost every verification
// paid for precision the Date window does not use.
struct system_clock {
  std::chrono::sys_seconds now() const noexcept {
#if defined(__unix__) || defined(__APPLE__)
    std::time_t t = std::time(nullptr);
    if (t != static_cast<std::time_t>(-1))
      return std::chrono::sys_seconds{std::chrono::seconds{t}};
#endif
    return std::chrono::floor<std::chrono::seconds>(
        std::chrono::system_clock::now());
  }
};

// A clock that says what it was told, for tests and fuzzers. Safe to set
// from one thread while others read it.
class settable_clock {
 public:
  explicit settable_clock(std::chrono::sys_seconds t = {}) noexcept
      : t_(t.time_since_epoch().count()) {}
  settable_clock(const settable_clock& o) noexcept
      : t_(o.t_.load(std::memory_order_relaxed)) {}

  std::chrono::sys_seconds now() const noexcept {
    return std::chrono::sys_seconds{
        std::chrono::seconds{t_.load(std::memory_order_relaxed)}};
  }
  void set(std::chrono::sys_seconds t) noexcept {
    t_.store(t.time_since_epoch().count(), std::memory_order_relaxed);
  }
  void advance(std::chrono::seconds d) noexcept {
    t_.fetch_add(d.count(), std::memory_order_relaxed);
  }

 private:
  std::atomic<std::int64_t> t_;
};

static_assert(clock_policy<system_clock>);
static_assert(clock_policy<settable_clock>);

}  // namespace sigreq
