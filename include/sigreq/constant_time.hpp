// Comparison whose running time depends on the length of its inputs only.
//
// Used wherever a secret (an expected MAC, a body digest) meets attacker
// bytes. Lengths are public: callers check them before comparing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sigreq {
namespace detail {

// Hides a value from the optimizer so that a loop that accumulates a
// difference cannot be turned back into an early exit.
inline std::uint32_t value_barrier(std::uint32_t v) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  __asm__("" : "+r"(v));
#else
  volatile std::uint32_t sink = v;
  v = sink;
#endif
  return v;
}

}  // namespace detail

// True when the n bytes at a and b are equal. Reads all n bytes of both,
// branch-free on their contents; allocates nothing.
inline bool constant_time_equal(const void* a, const void* b,
                                std::size_t n) noexcept {
  auto* x = static_cast<const unsigned char*>(a);
  auto* y = static_cast<const unsigned char*>(b);
  std::uint32_t diff = 0;
  for (std::size_t i = 0; i < n; ++i) diff |= std::uint32_t(x[i] ^ y[i]);
  diff = detail::value_barrier(diff);
  // (diff - 1) >> 8 has its low bit set only when diff was 0.
  return ((diff - 1) >> 8) & 1;
}

// Equal when both views have the same length (public) and the same bytes
// (compared in constant time).
inline bool constant_time_equal(std::string_view a,
                                std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  return constant_time_equal(a.data(), b.data(), a.size());
}

}  // namespace sigreq
