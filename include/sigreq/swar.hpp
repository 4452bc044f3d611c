// Eight bytes at a time: range checks and hex encoding on 64-bit words
// ("SIMD within a register"). The verifier's hot path runs these over
// signatures, digests and targets; a byte loop cost it a third of the
// time of the HMAC itself.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace sigreq {
namespace detail {

inline constexpr std::uint64_t ones = 0x0101010101010101ull;
inline constexpr std::uint64_t highs = 0x8080808080808080ull;

inline std::uint64_t load64(const char* p) noexcept {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

// Eight or four bytes as a little-endian number, whatever the machine:
// for words compared with constants laid out byte by byte.
constexpr std::uint64_t load_le64(const char* p) noexcept {
  if (std::is_constant_evaluated()) {
    std::uint64_t w = 0;
    for (int i = 0; i < 8; ++i)
      w |= std::uint64_t(static_cast<unsigned char>(p[i])) << (8 * i);
    return w;
  }
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  if constexpr (std::endian::native == std::endian::big)
    w = __builtin_bswap64(w);
  return w;
}

inline std::uint64_t load_le32(const char* p) noexcept {
  std::uint32_t w;
  std::memcpy(&w, p, 4);
  if constexpr (std::endian::native == std::endian::big)
    w = __builtin_bswap32(w);
  return w;
}

// The high bit of each byte of w set when that byte lies in [lo, hi].
// Requires every byte of w below 0x80, and 0 < lo <= hi < 0x80.
constexpr std::uint64_t bytes_in_range(std::uint64_t w, unsigned lo,
                                       unsigned hi) noexcept {
  // Adding 0x80 - lo reaches the high bit exactly when the byte >= lo;
  // adding 0x7f - hi does when the byte > hi. Neither carries out of a
  // byte, since both sums stay below 0x100.
  std::uint64_t at_least_lo = (w + ones * (0x80u - lo)) & highs;
  std::uint64_t above_hi = (w + ones * (0x7fu - hi)) & highs;
  return at_least_lo & ~above_hi;
}

// Each byte 'A'..'Z' of w made lowercase; every other byte, including
// those at 0x80 and above, left as it is.
constexpr std::uint64_t fold_case(std::uint64_t w) noexcept {
  std::uint64_t upper = bytes_in_range(w & ~highs, 'A', 'Z') & ~w;
  return w | (upper >> 2);
}

// True when every byte of s lies in [lo, hi] (0 < lo <= hi < 0x80).
// Branches on the bytes only once a block: for attacker input, not
// secrets.
inline bool all_in_range(std::string_view s, unsigned lo,
                         unsigned hi) noexcept {
  std::size_t i = 0;
  std::uint64_t bad = 0;
#if defined(__SSE2__)
  if (s.size() >= 16) {
    // Signed compares: bytes at 0x80 and above are negative, below lo.
    // (hi + 1 would not fit a signed byte when hi is 0x7f.)
    const __m128i below = _mm_set1_epi8(static_cast<char>(lo - 1));
    const __m128i top = _mm_set1_epi8(static_cast<char>(hi));
    auto outside = [&](const char* p) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      __m128i ok =
          _mm_andnot_si128(_mm_cmpgt_epi8(v, top), _mm_cmpgt_epi8(v, below));
      return static_cast<std::uint64_t>(_mm_movemask_epi8(ok) ^ 0xffff);
    };
    for (; i + 16 <= s.size(); i += 16)
      bad |= outside(s.data() + i);
    // The last block again, ending at the end of s.
    return (bad | outside(s.data() + s.size() - 16)) == 0;
  }
#endif
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w = load64(s.data() + i);
    bad |= (w & highs) | (~bytes_in_range(w & ~highs, lo, hi) & highs);
  }
  for (; i < s.size(); ++i) {
    auto u = static_cast<unsigned char>(s[i]);
    bad |= (u < lo || u > hi) ? 1u : 0u;
  }
  return bad == 0;
}

// True when s holds a control byte (below 0x20) or DEL; bytes from 0x80
// up are not controls here. A word at a time, the last one overlapping.
constexpr bool has_control(std::string_view s) noexcept {
  auto control = [](unsigned char u) { return u < 0x20 || u == 0x7f; };
  if (std::is_constant_evaluated() || s.size() < 8) {
    for (char c : s)
      if (control(static_cast<unsigned char>(c))) return true;
    return false;
  }
  auto controls = [](std::uint64_t w) {
    std::uint64_t low7 = w & ~highs;
    std::uint64_t below_space = ~(low7 + ones * (0x80u - 0x20u)) & highs;
    std::uint64_t del = bytes_in_range(low7, 0x7f, 0x7f);
    return (below_space | del) & ~w;
  };
  std::uint64_t found = 0;
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8)
    found |= controls(load64(s.data() + i));
  found |= controls(load64(s.data() + s.size() - 8));
  return found != 0;
}

// True when every byte of s is '0'..'9' or 'a'..'f'.
inline bool all_lower_hex(std::string_view s) noexcept {
  std::size_t i = 0;
  std::uint64_t bad = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w = load64(s.data() + i);
    std::uint64_t low7 = w & ~highs;
    std::uint64_t ok =
        bytes_in_range(low7, '0', '9') | bytes_in_range(low7, 'a', 'f');
    bad |= (w & highs) | (~ok & highs);
  }
  for (; i < s.size(); ++i) {
    char c = s[i];
    bad |= ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) ? 0u : 1u;
  }
  return bad == 0;
}

// Four bytes to their eight lowercase hex digits, in memory order, with
// arithmetic only: no table, no branch, so a secret byte leaks nothing.
constexpr std::uint64_t hex_of_four(std::uint32_t four) noexcept {
  // Spread the bytes to every other byte, then split each into nibbles:
  // byte 2k gets the high nibble of input byte k, byte 2k+1 the low one.
  std::uint64_t t = four;
  t = (t | (t << 16)) & 0x0000ffff0000ffffull;
  t = (t | (t << 8)) & 0x00ff00ff00ff00ffull;
  std::uint64_t nibbles =
      ((t >> 4) & 0x000f000f000f000full) | ((t & 0x000f000f000f000full) << 8);
  // 1 in each byte whose nibble is above 9, then '0' + n (+ 39 for a-f).
  std::uint64_t above_nine = ((nibbles + ones * 6) >> 4) & ones;
  return nibbles + ones * '0' + above_nine * 39;
}

}  // namespace detail
}  // namespace sigreq
