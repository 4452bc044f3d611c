// Replay guard policies: refuse a request whose (token id, signature) was
// already accepted while its date is still inside the clock window.
//
// no_replay_guard is the default and what the Python cube does. The
// in-memory guard remembers each accepted signature until its date leaves
// the window, up to a fixed number of entries; when that many are still
// live it refuses new requests (replay_guard_full) rather than forget one.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <queue>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "error.hpp"

namespace sigreq {

// check_and_record returns refusal{} for a request not seen before and
// records it until forget_after; otherwise the reason to refuse.
template <class G>
concept replay_guard = requires(G& g, std::string_view token_id,
                                std::string_view signature,
                                std::chrono::sys_seconds t) {
  { g.check_and_record(token_id, signature, t, t) }
  noexcept->std::same_as<refusal>;
};

struct no_replay_guard {
  refusal check_and_record(std::string_view, std::string_view,
                           std::chrono::sys_seconds,
                           std::chrono::sys_seconds) noexcept {
    return {};
  }
};

// Thread-safe: entries are spread over shards, each with its own mutex.
// Each entry costs about its key (token id and signature) plus some 100
// bytes of bookkeeping. At most max_entries are live at once, over all
// shards; at the cap, every shard is purged of what left the window before
// a request is refused.
class in_memory_replay_guard {
 public:
  explicit in_memory_replay_guard(std::size_t max_entries)
      : max_entries_(max_entries) {}

  refusal check_and_record(std::string_view token_id,
                           std::string_view signature,
                           std::chrono::sys_seconds forget_after,
                           std::chrono::sys_seconds now) noexcept {
#if defined(__cpp_exceptions)
    try {
#endif
      return record(token_id, signature, forget_after, now);
#if defined(__cpp_exceptions)
    } catch (...) {
      // Out of memory: refusing is the only answer that stays safe.
      return refusal::replay_guard_full;
    }
#endif
  }

  // Live entries, for metrics and tests.
  std::size_t size() const {
    std::size_t n = 0;
    for (auto& s : shards_) {
      std::lock_guard lock(s.mutex);
      n += s.seen.size();
    }
    return n;
  }

 private:
  static constexpr std::size_t shard_count = 16;

  using expiry_entry = std::pair<std::int64_t, std::string>;

  struct shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, std::int64_t> seen;
    // Earliest expiry on top.
    std::priority_queue<expiry_entry, std::vector<expiry_entry>, std::greater<>>
        expiries;
  };

  refusal record(std::string_view token_id, std::string_view signature,
                 std::chrono::sys_seconds forget_after,
                 std::chrono::sys_seconds now) {
    // ':' never occurs in a token id, so the key is unambiguous.
    std::string key;
    key.reserve(token_id.size() + 1 + signature.size());
    key.append(token_id).append(":").append(signature);
    shard& s = shards_[std::hash<std::string>{}(key) % shard_count];
    auto t_now = now.time_since_epoch().count();
    auto t_forget = forget_after.time_since_epoch().count();

    for (int pass = 0; pass < 2; ++pass) {
      {
        std::lock_guard lock(s.mutex);
        purge(s, t_now);
        if (s.seen.contains(key)) return refusal::replayed_request;
        // Reserve a place first, so that threads cannot overshoot the cap.
        if (live_.fetch_add(1) < max_entries_) {
          s.seen.emplace(key, t_forget);
          s.expiries.emplace(t_forget, std::move(key));
          return {};
        }
        live_.fetch_sub(1);
      }
      // At the cap: free what other shards hold past its window, then
      // try once more. One shard lock at a time, so no thread waits on
      // another's.
      if (pass == 0)
        for (shard& other : shards_) {
          std::lock_guard lock(other.mutex);
          purge(other, t_now);
        }
    }
    return refusal::replay_guard_full;
  }

  // Drops the entries of s whose window has passed. s.mutex is held.
  void purge(shard& s, std::int64_t t_now) {
    while (!s.expiries.empty() && s.expiries.top().first < t_now) {
      s.seen.erase(s.expiries.top().second);
      s.expiries.pop();
      live_.fetch_sub(1);
    }
  }

  std::size_t max_entries_;
  std::atomic<std::size_t> live_{0};
  std::array<shard, shard_count> shards_;
};

static_assert(replay_guard<no_replay_guard>);
static_assert(replay_guard<in_memory_replay_guard>);

}  // namespace sigreq
