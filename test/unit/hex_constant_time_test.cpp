// Hex encoding and decoding, the lowercase-hex check and the constant-time
// comparison, over every byte value.
#define BOOST_TEST_MODULE hex_constant_time
#include <boost/test/unit_test.hpp>

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <sigreq/constant_time.hpp>
#include <sigreq/hex.hpp>

namespace {

bool is_lower_hex_char(int c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

std::string two_digits(int b) {
  char buf[3];
  std::snprintf(buf, sizeof buf, "%02x", b);
  return buf;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(unit)
BOOST_AUTO_TEST_SUITE(hex_constant_time)

BOOST_AUTO_TEST_CASE(encode_hex_writes_every_byte_as_two_lowercase_digits) {
  for (int b = 0; b < 256; ++b) {
    std::array<std::uint8_t, 1> in{static_cast<std::uint8_t>(b)};
    std::array<char, 2> out{};
    sigreq::encode_hex(in, out.data());
    BOOST_TEST(std::string(out.data(), 2) == two_digits(b), "byte " << b);
  }
}

BOOST_AUTO_TEST_CASE(to_hex_writes_all_bytes_in_order) {
  std::array<std::uint8_t, 256> all{};
  std::string expected;
  for (int b = 0; b < 256; ++b) {
    all[b] = static_cast<std::uint8_t>(b);
    expected += two_digits(b);
  }
  BOOST_TEST(sigreq::to_hex(all) == expected);
}

BOOST_AUTO_TEST_CASE(decode_hex_inverts_encode_hex_for_every_byte) {
  for (int b = 0; b < 256; ++b) {
    std::array<std::uint8_t, 1> out{};
    BOOST_TEST(sigreq::decode_hex(two_digits(b), out), "byte " << b);
    BOOST_TEST(int(out[0]) == b);
  }
}

BOOST_AUTO_TEST_CASE(decode_hex_accepts_only_lowercase_hex_in_high_digit) {
  for (int c = 0; c < 256; ++c) {
    std::string text = {static_cast<char>(c), '0'};
    std::array<std::uint8_t, 1> out{};
    BOOST_TEST(sigreq::decode_hex(text, out) == is_lower_hex_char(c),
               "char " << c);
  }
}

BOOST_AUTO_TEST_CASE(decode_hex_accepts_only_lowercase_hex_in_low_digit) {
  for (int c = 0; c < 256; ++c) {
    std::string text = {'0', static_cast<char>(c)};
    std::array<std::uint8_t, 1> out{};
    BOOST_TEST(sigreq::decode_hex(text, out) == is_lower_hex_char(c),
               "char " << c);
  }
}

BOOST_AUTO_TEST_CASE(decode_hex_refuses_a_bad_digit_anywhere) {
  std::string good(64, 'a');
  for (std::size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = 'G';
    std::array<std::uint8_t, 32> out{};
    BOOST_TEST(!sigreq::decode_hex(bad, out), "position " << i);
  }
}

BOOST_AUTO_TEST_CASE(decode_hex_refuses_a_length_other_than_twice_the_output) {
  std::array<std::uint8_t, 2> out{};
  for (std::string_view text : {"", "a", "abc", "abcde", "abcdef"})
    BOOST_TEST(!sigreq::decode_hex(text, out), "'" << text << "'");
  BOOST_TEST(sigreq::decode_hex("abcd", out));
}

BOOST_AUTO_TEST_CASE(is_lower_hex_accepts_exactly_0_to_9_and_a_to_f) {
  for (int c = 0; c < 256; ++c) {
    std::string text(3, static_cast<char>(c));
    BOOST_TEST(sigreq::is_lower_hex(text, 3) == is_lower_hex_char(c),
               "char " << c);
  }
}

// Lengths that reach every path: byte loop, eight-byte words, sixteen-byte
// vectors, and the tails after each.
const std::size_t lengths[] = {1,  2,  7,  8,  9,  15, 16, 17, 23,
                               24, 31, 32, 33, 40, 64, 65, 128};

BOOST_AUTO_TEST_CASE(is_lower_hex_judges_every_byte_at_every_position) {
  for (std::size_t n : lengths)
    for (std::size_t at = 0; at < n; ++at)
      for (int c = 0; c < 256; ++c) {
        std::string text(n, '7');
        text[at] = static_cast<char>(c);
        if (sigreq::is_lower_hex(text, n) != is_lower_hex_char(c))
          BOOST_ERROR("length " << n << " position " << at << " char " << c);
      }
}

BOOST_AUTO_TEST_CASE(encode_hex_writes_every_byte_at_every_position) {
  for (std::size_t n : lengths)
    for (std::size_t at = 0; at < n; ++at)
      for (int b = 0; b < 256; ++b) {
        std::vector<std::uint8_t> in(n);
        std::string expected;
        for (std::size_t i = 0; i < n; ++i) {
          in[i] = static_cast<std::uint8_t>(i == at ? b : i * 37 + 11);
          expected += two_digits(in[i]);
        }
        if (sigreq::to_hex(in) != expected)
          BOOST_ERROR("length " << n << " position " << at << " byte " << b);
      }
}

BOOST_AUTO_TEST_CASE(decode_hex_judges_every_char_at_every_position) {
  for (std::size_t n : lengths) {
    std::vector<std::uint8_t> out(n);
    for (std::size_t at = 0; at < 2 * n; ++at)
      for (int c = 0; c < 256; ++c) {
        std::string text(2 * n, 'e');
        text[at] = static_cast<char>(c);
        if (sigreq::decode_hex(text, out) != is_lower_hex_char(c))
          BOOST_ERROR("length " << n << " position " << at << " char " << c);
      }
  }
}

BOOST_AUTO_TEST_CASE(is_lower_hex_refuses_a_length_other_than_asked) {
  BOOST_TEST(!sigreq::is_lower_hex("abcd", 3));
  BOOST_TEST(!sigreq::is_lower_hex("abcd", 5));
  BOOST_TEST(!sigreq::is_lower_hex("", 1));
  BOOST_TEST(sigreq::is_lower_hex("", 0));
}

BOOST_AUTO_TEST_CASE(constant_time_equal_holds_only_for_equal_bytes) {
  for (int a = 0; a < 256; ++a)
    for (int b = 0; b < 256; ++b) {
      unsigned char x = static_cast<unsigned char>(a);
      unsigned char y = static_cast<unsigned char>(b);
      if (sigreq::constant_time_equal(&x, &y, 1) != (a == b))
        BOOST_ERROR("bytes " << a << " and " << b);
    }
}

BOOST_AUTO_TEST_CASE(constant_time_equal_sees_a_difference_at_any_position) {
  std::string a(128, 'x');
  for (std::size_t i = 0; i < a.size(); ++i)
    for (int bit = 0; bit < 8; ++bit) {
      std::string b = a;
      b[i] = static_cast<char>(b[i] ^ (1 << bit));
      BOOST_TEST(!sigreq::constant_time_equal(a, b),
                 "position " << i << " bit " << bit);
    }
  BOOST_TEST(sigreq::constant_time_equal(a, std::string(128, 'x')));
}

BOOST_AUTO_TEST_CASE(constant_time_equal_sees_any_byte_difference_anywhere) {
  for (std::size_t n : lengths)
    for (std::size_t at = 0; at < n; ++at)
      for (int x = 1; x < 256; ++x) {
        std::string a(n, '\x5a');
        std::string b = a;
        b[at] = static_cast<char>(b[at] ^ x);
        if (sigreq::constant_time_equal(a, b))
          BOOST_ERROR("length " << n << " position " << at << " xor " << x);
      }
}

BOOST_AUTO_TEST_CASE(constant_time_equal_refuses_views_of_other_lengths) {
  BOOST_TEST(!sigreq::constant_time_equal("abc", "abcd"));
  BOOST_TEST(!sigreq::constant_time_equal("", "a"));
  BOOST_TEST(
      sigreq::constant_time_equal(std::string_view(), std::string_view()));
}

BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()
