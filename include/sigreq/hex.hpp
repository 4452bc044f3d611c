// Lowercase hexadecimal, both directions, free of secret-dependent branches
// and table lookups.
//
// encode_hex writes digests that are then compared with attacker input;
// decode_hex reads attacker input. Neither branches on the value of a byte,
// so neither leaks it through timing or the branch predictor.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "constant_time.hpp"
#include "swar.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace sigreq {
namespace detail {

// 0..15 to '0'..'9', 'a'..'f' by arithmetic alone.
constexpr char hex_digit(unsigned nibble) noexcept {
  // When nibble > 9, (9 - nibble) is negative and its high bits are set.
  unsigned above_nine = (9u - nibble) >> 8 & 1u;
  return static_cast<char>('0' + nibble + above_nine * ('a' - '0' - 10));
}

// '0'..'9', 'a'..'f' to 0..15; any other byte sets bit 8 of the result.
constexpr unsigned hex_value(unsigned char c) noexcept {
  int x = c;
  // Each mask is all ones when x lies outside its range (C++20 shifts
  // negative values arithmetically).
  int not_digit = ((x - '0') | ('9' - x)) >> 31;
  int not_letter = ((x - 'a') | ('f' - x)) >> 31;
  int value = ((x - '0') & ~not_digit) | ((x - 'a' + 10) & ~not_letter);
  return static_cast<unsigned>(value | (not_digit & not_letter & 0x100));
}

#if defined(__SSE2__)
// Sixteen bytes to their 32 hex characters: split into nibbles,
// interleave high before low, and add '0', plus 39 where the nibble is
// above 9. No branch, no table.
struct hex_chars16 {
  __m128i first, second;
};
inline hex_chars16 hex_of_sixteen(__m128i v) noexcept {
  const __m128i low_mask = _mm_set1_epi8(0x0f);
  auto to_chars = [](__m128i n) {
    __m128i above_nine = _mm_cmpgt_epi8(n, _mm_set1_epi8(9));
    return _mm_add_epi8(
        _mm_add_epi8(n, _mm_set1_epi8('0')),
        _mm_and_si128(above_nine, _mm_set1_epi8('a' - '0' - 10)));
  };
  __m128i lo = _mm_and_si128(v, low_mask);
  __m128i hi = _mm_and_si128(_mm_srli_epi16(v, 4), low_mask);
  return {to_chars(_mm_unpacklo_epi8(hi, lo)),
          to_chars(_mm_unpackhi_epi8(hi, lo))};
}
#endif

}  // namespace detail

// Writes 2 * bytes.size() lowercase hex characters to out, four input
// bytes at a time; branch-free and table-free on the bytes.
inline void encode_hex(std::span<const std::uint8_t> bytes,
                       char* out) noexcept {
  std::size_t i = 0;
#if defined(__SSE2__)
  for (; i + 16 <= bytes.size(); i += 16) {
    detail::hex_chars16 c = detail::hex_of_sixteen(
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes.data() + i)));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 2 * i), c.first);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 2 * i + 16), c.second);
  }
#endif
  for (; i + 4 <= bytes.size(); i += 4) {
    std::uint32_t four;
    std::memcpy(&four, bytes.data() + i, 4);
    // The spread below works on the bytes in memory order.
    if constexpr (std::endian::native == std::endian::big)
      four = __builtin_bswap32(four);
    std::uint64_t eight = detail::hex_of_four(four);
    if constexpr (std::endian::native == std::endian::big)
      eight = __builtin_bswap64(eight);
    std::memcpy(out + 2 * i, &eight, 8);
  }
  out += 2 * i;
  for (; i < bytes.size(); ++i) {
    *out++ = detail::hex_digit(bytes[i] >> 4);
    *out++ = detail::hex_digit(bytes[i] & 15u);
  }
}

// True when text is exactly the lowercase hex of bytes. Reads every byte
// of both whatever they hold: constant time in the contents, for a
// secret digest against attacker text. The length is public.
inline bool hex_equals(std::span<const std::uint8_t> bytes,
                       std::string_view text) noexcept {
  if (text.size() != 2 * bytes.size()) return false;
#if defined(__SSE2__)
  if (bytes.size() % 16 == 0) {
    // Encode sixteen bytes at a time as encode_hex does and compare the
    // characters in registers; OR the differences together.
    auto load = [](const void* p) {
      return _mm_loadu_si128(static_cast<const __m128i*>(p));
    };
    // The digest was just written a word at a time: reading it back in
    // words lets each load take its bytes from one pending store.
    auto load_words = [](const std::uint8_t* p) {
      return _mm_unpacklo_epi64(
          _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)),
          _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p + 8)));
    };
    __m128i diff = _mm_setzero_si128();
    for (std::size_t i = 0; i < bytes.size(); i += 16) {
      detail::hex_chars16 c =
          detail::hex_of_sixteen(load_words(bytes.data() + i));
      diff =
          _mm_or_si128(diff, _mm_xor_si128(c.first, load(text.data() + 2 * i)));
      diff = _mm_or_si128(
          diff, _mm_xor_si128(c.second, load(text.data() + 2 * i + 16)));
    }
    // Fold to one word without a branch on the contents.
    __m128i folded = _mm_or_si128(diff, _mm_srli_si128(diff, 8));
    auto word = static_cast<std::uint64_t>(_mm_cvtsi128_si64(folded));
    word = detail::value_barrier(word);
    return ((word | (0 - word)) >> 63) == 0;
  }
#endif
  std::array<char, 2 * 64> chars;
  std::uint64_t diff = 0;
  for (std::size_t at = 0; at < bytes.size(); at += 64) {
    std::size_t n = std::min<std::size_t>(64, bytes.size() - at);
    encode_hex(bytes.subspan(at, n), chars.data());
    diff |= !constant_time_equal(chars.data(), text.data() + 2 * at, 2 * n);
  }
  return diff == 0;
}

// The lowercase hex of bytes, in a new string (allocates).
inline std::string to_hex(std::span<const std::uint8_t> bytes) {
  std::string s(bytes.size() * 2, '\0');
  encode_hex(bytes, s.data());
  return s;
}

// Decodes exactly out.size() bytes from 2 * out.size() lowercase hex
// characters. Returns false when the length is wrong or any character is
// not lowercase hex; the time taken depends on the length only.
constexpr bool decode_hex(std::string_view text,
                          std::span<std::uint8_t> out) noexcept {
  if (text.size() != out.size() * 2) return false;
  unsigned bad = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    unsigned hi = detail::hex_value(static_cast<unsigned char>(text[2 * i]));
    unsigned lo =
        detail::hex_value(static_cast<unsigned char>(text[2 * i + 1]));
    bad |= (hi | lo) >> 8;
    out[i] = static_cast<std::uint8_t>((hi << 4 | lo) & 0xffu);
  }
  return bad == 0;
}

// True when text has the given length and holds lowercase hex only.
// Branches on the bytes: for attacker input that holds no secret.
inline bool is_lower_hex(std::string_view text, std::size_t length) noexcept {
  return text.size() == length && detail::all_lower_hex(text);
}

}  // namespace sigreq
