// Comparison whose running time depends on the length of its inputs only.
//
// Used wherever a secret (an expected MAC, a body digest) meets attacker
// bytes. Lengths are public: callers check them before comparing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace sigreq {
namespace detail {

// Hides a value from the optimizer so that a loop that accumulates a
// difference cannot be turned back into an early exit.
inline std::uint64_t value_barrier(std::uint64_t v) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  __asm__("" : "+r"(v));
#else
  volatile std::uint64_t sink = v;
  v = sink;
#endif
  return v;
}

// All ones when v is 0, else 0, without a branch.
inline std::uint64_t mask_if_zero(std::uint64_t v) noexcept {
  v = value_barrier(v);
  // (v | -v) has its top bit set exactly when v is not 0.
  return ((v | (0 - v)) >> 63) - 1;
}

// a where mask is all ones, b where it is 0.
inline std::uint64_t select(std::uint64_t mask, std::uint64_t a,
                            std::uint64_t b) noexcept {
  return (a & mask) | (b & ~mask);
}

}  // namespace detail

// True when the n bytes at a and b are equal. Reads all n bytes of both,
// branch-free on their contents; allocates nothing.
inline bool constant_time_equal(const void* a, const void* b,
                                std::size_t n) noexcept {
  auto* x = static_cast<const unsigned char*>(a);
  auto* y = static_cast<const unsigned char*>(b);
  std::uint64_t diff = 0;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t u, v;
    std::memcpy(&u, x + i, 8);
    std::memcpy(&v, y + i, 8);
    diff |= u ^ v;
  }
  for (; i < n; ++i)
    diff |= std::uint64_t(x[i] ^ y[i]);
  // Fold to 32 bits; (d - 1) >> 32 is all ones only when d was 0.
  std::uint64_t folded = (diff >> 32) | (diff & 0xffffffffu);
  folded = detail::value_barrier(folded);
  return ((folded - 1) >> 32) & 1;
}

// Equal when both views have the same length (public) and the same bytes
// (compared in constant time).
inline bool constant_time_equal(std::string_view a,
                                std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  return constant_time_equal(a.data(), b.data(), a.size());
}

}  // namespace sigreq
