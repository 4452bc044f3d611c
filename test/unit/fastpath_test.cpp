// The word-at-a-time fast paths against plain restatements of what they
// compute: HMAC on Crypto++'s compression function against Crypto++'s
// HMAC, IMF-fixdate words against the date::parse reference of the fuzz
// target, compile-time header names against a byte loop, the SSE2 range
// checks and the fused hex compare against byte loops. Every length and
// every byte value near the edges of each word and block.
#define BOOST_TEST_MODULE fastpath
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <cryptopp/hmac.h>
// date::parse (date 3.0.1) reads seconds into a long double that g++ takes
// for maybe uninitialized; the reference guards the inputs where it is.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <date/date.h>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#include <sigreq/clock.hpp>
#include <sigreq/hash.hpp>
#include <sigreq/hex.hpp>
#include <sigreq/http_date.hpp>
#include <sigreq/request.hpp>
#include <sigreq/swar.hpp>

#include "../../fuzz/reference_http_date.hpp"

namespace {

// ---------------------------------------------------------------- HMAC

using hash_policies = std::tuple<sigreq::hash::sha512, sigreq::hash::sha256,
                                 sigreq::hash::sha1, sigreq::hash::legacy_md5>;

std::string pattern(std::size_t n, unsigned seed) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i)
    s[i] = static_cast<char>((i * 131 + seed * 7 + (i >> 3)) & 0xff);
  return s;
}

template <class H>
std::string reference_mac(std::string_view key, std::string_view message) {
  static const unsigned char none = 0;
  CryptoPP::HMAC<typename H::primitive> h(
      key.empty() ? &none : reinterpret_cast<const CryptoPP::byte*>(key.data()),
      key.size());
  h.Update(reinterpret_cast<const CryptoPP::byte*>(message.data()),
           message.size());
  sigreq::digest<H> out;
  h.Final(out.data());
  return sigreq::to_hex(out);
}

// How a message is cut into the pieces given to update().
enum class chunking {
  whole,
  bytes_and_empties,
  block_less_one,
  block,
  block_plus_one,
  seven,
  scattered
};

constexpr std::array<chunking, 7> chunkings = {
    chunking::whole,    chunking::bytes_and_empties, chunking::block_less_one,
    chunking::block,    chunking::block_plus_one,    chunking::seven,
    chunking::scattered};

template <class H>
std::vector<std::string_view> cut(std::string_view m, chunking how) {
  std::vector<std::string_view> pieces;
  auto fixed = [&](std::size_t k) {
    for (std::size_t at = 0; at < m.size(); at += k)
      pieces.push_back(m.substr(at, k));
  };
  switch (how) {
    case chunking::whole:
      pieces.push_back(m);
      break;
    case chunking::bytes_and_empties:
      // An empty view with no data before, between and after the bytes.
      pieces.push_back(std::string_view{});
      for (std::size_t at = 0; at < m.size(); ++at) {
        pieces.push_back(m.substr(at, 1));
        pieces.push_back(std::string_view{});
      }
      break;
    case chunking::block_less_one:
      fixed(H::block_size - 1);
      break;
    case chunking::block:
      fixed(H::block_size);
      break;
    case chunking::block_plus_one:
      fixed(H::block_size + 1);
      break;
    case chunking::seven:
      fixed(7);
      break;
    case chunking::scattered: {
      std::uint32_t x = static_cast<std::uint32_t>(m.size()) * 2654435761u + 1;
      for (std::size_t at = 0; at < m.size();) {
        x = x * 1103515245u + 12345u;
        std::size_t k = (x >> 16) % (2 * H::block_size + 3);
        if (k % 5 == 0) k = 0;
        k = std::min(k, m.size() - at);
        pieces.push_back(k == 0 ? std::string_view{} : m.substr(at, k));
        at += k;
      }
      break;
    }
  }
  return pieces;
}

template <class H>
std::string sigreq_mac(const sigreq::hmac_key<H>& key,
                       const std::vector<std::string_view>& pieces) {
  auto mac = key.start();
  for (std::string_view p : pieces)
    mac.update(p);
  return sigreq::to_hex(mac.finish());
}

// The same through update_each(), seven pieces at a time (a string to
// sign of three signed headers has seven), the last group padded with
// empty views.
template <class H>
std::string sigreq_mac_each(const sigreq::hmac_key<H>& key,
                            const std::vector<std::string_view>& pieces) {
  auto mac = key.start();
  std::array<std::string_view, 7> group{};
  std::size_t used = 0;
  for (std::string_view p : pieces) {
    group[used++] = p;
    if (used == group.size()) {
      mac.update_each(group);
      group = {};
      used = 0;
    }
  }
  if (used != 0) mac.update_each(group);
  return sigreq::to_hex(mac.finish());
}

}  // namespace

BOOST_AUTO_TEST_CASE_TEMPLATE(
    hmac_equals_cryptopp_hmac_for_every_length_to_600_in_every_chunking, H,
    hash_policies) {
  const std::vector<std::size_t> key_sizes = {
      0, 1, H::block_size - 1, H::block_size, H::block_size + 1, 300};
  for (std::size_t ks : key_sizes) {
    std::string key = pattern(ks, 1);
    sigreq::hmac_key<H> k(key);
    for (std::size_t n = 0; n <= 600; ++n) {
      std::string m = pattern(n, static_cast<unsigned>(ks));
      std::string want = reference_mac<H>(key, m);
      for (chunking how : chunkings) {
        BOOST_TEST_CONTEXT("key " << ks << " message " << n << " chunking "
                                  << static_cast<int>(how)) {
          BOOST_TEST(sigreq_mac(k, cut<H>(m, how)) == want);
          BOOST_TEST(sigreq_mac_each(k, cut<H>(m, how)) == want);
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(
    hmac_equals_cryptopp_hmac_for_every_key_length_to_300, H, hash_policies) {
  const std::size_t b = H::block_size;
  const std::vector<std::size_t> message_sizes = {
      0, 1, b / 2, b - 17, b - 16, b - 9, b - 8, b - 1, b, b + 1, 2 * b + 3};
  for (std::size_t ks = 0; ks <= 300; ++ks) {
    std::string key = pattern(ks, 3);
    sigreq::hmac_key<H> k(key);
    // A copy of a key computes the same MACs.
    sigreq::hmac_key<H> copy = k;
    for (std::size_t n : message_sizes) {
      std::string m = pattern(n, 5);
      std::string want = reference_mac<H>(key, m);
      BOOST_TEST_CONTEXT("key " << ks << " message " << n) {
        BOOST_TEST(sigreq_mac(k, cut<H>(m, chunking::whole)) == want);
        BOOST_TEST(sigreq_mac(copy, cut<H>(m, chunking::scattered)) == want);
      }
    }
  }
}

namespace {

// ---------------------------------------------------------------- dates

constexpr int this_year = 2026;

struct date_outcome {
  std::optional<std::int64_t> time;
  std::optional<sigreq::date_form> form;
  bool operator==(const date_outcome&) const = default;
};

std::ostream& operator<<(std::ostream& os, const date_outcome& o) {
  if (!o.time) return os << "refused";
  return os << "accepted " << *o.time << " form " << static_cast<int>(*o.form);
}

date_outcome library_reads(std::string_view text) {
  auto d = sigreq::parse_http_date(text, this_year);
  if (!d) return {};
  return {d->time.time_since_epoch().count(), d->form};
}

date_outcome reference_reads(std::string_view text) {
  auto r = sigreq_fuzz::reference_parse_http_date(text, this_year);
  if (!r) return {};
  return {r->time.time_since_epoch().count(), r->form};
}

std::string printable(std::string_view s) {
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) {
      out += c;
    } else {
      const char* digits = "0123456789abcdef";
      out += "\\x";
      out += digits[u >> 4];
      out += digits[u & 15];
    }
  }
  return out;
}

void check_agrees(std::string_view text) {
  BOOST_TEST_CONTEXT("'" << printable(text) << "'") {
    BOOST_TEST(library_reads(text) == reference_reads(text));
  }
}

std::string fixdate(date::sys_seconds t) {
  return date::format("%a, %d %b %Y %H:%M:%S GMT", t);
}

date::sys_seconds at(int y, unsigned m, unsigned d, int h = 0, int mi = 0,
                     int s = 0) {
  return date::sys_days{date::year{y} / date::month{m} / date::day{d}} +
         std::chrono::hours{h} + std::chrono::minutes{mi} +
         std::chrono::seconds{s};
}

// Valid dates in every form, at the ends of the years, months and days
// to_time counts.
std::vector<std::string> valid_dates() {
  std::vector<std::string> v = {fixdate(at(1994, 11, 6, 8, 49, 37)),
                                fixdate(at(1970, 1, 1)),
                                fixdate(at(0, 1, 1)),
                                fixdate(at(0, 2, 29, 23, 59, 59)),
                                fixdate(at(0, 12, 31)),
                                fixdate(at(1, 1, 1)),
                                fixdate(at(1900, 2, 28)),
                                fixdate(at(1900, 3, 1)),
                                fixdate(at(2000, 2, 29)),
                                fixdate(at(2100, 2, 28)),
                                fixdate(at(2100, 3, 1, 12, 0, 0)),
                                fixdate(at(2024, 12, 31, 23, 59)),
                                fixdate(at(9999, 12, 31, 23, 59, 59)),
                                "Sunday, 06-Nov-94 08:49:37 GMT",
                                "Sun Nov  6 08:49:37 1994",
                                "Thu Feb 29 00:00:00 2024",
                                "6 Nov 1994 10:49:37 +0200",
                                "Sun, 06 Nov 1994 08:49 -0130"};
  return v;
}

}  // namespace

BOOST_AUTO_TEST_CASE(seed_dates_are_accepted_by_both_readers) {
  for (const std::string& d : valid_dates()) {
    BOOST_TEST_CONTEXT("'" << d << "'") {
      BOOST_TEST(reference_reads(d).time.has_value());
      BOOST_TEST(library_reads(d) == reference_reads(d));
    }
  }
}

BOOST_AUTO_TEST_CASE(date_agrees_with_reference_under_every_byte_substitution) {
  for (const std::string& d : valid_dates()) {
    for (std::size_t pos = 0; pos < d.size(); ++pos) {
      for (int b = 0; b < 256; ++b) {
        std::string t = d;
        t[pos] = static_cast<char>(b);
        check_agrees(t);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(date_agrees_with_reference_one_byte_shorter_or_longer) {
  for (const std::string& d : valid_dates()) {
    for (std::size_t pos = 0; pos < d.size(); ++pos)
      check_agrees(std::string(d).erase(pos, 1));
    for (std::size_t pos = 0; pos <= d.size(); ++pos) {
      for (int b = 0; b < 256; ++b)
        check_agrees(std::string(d).insert(pos, 1, static_cast<char>(b)));
    }
  }
}

BOOST_AUTO_TEST_CASE(
    fixdate_agrees_with_reference_for_every_day_month_and_weekday) {
  const std::vector<int> years = {0,    1,    4,    100,  400,
                                  1600, 1900, 1970, 2000, 2024,
                                  2025, 2100, 2400, 9996, 9999};
  const std::vector<std::string> days = {"00", "01", "09", "10", "27", "28",
                                         "29", "30", "31", "32", "39", "99"};
  char year[8];
  for (int y : years) {
    std::snprintf(year, sizeof year, "%04d", y);
    for (std::string_view month : sigreq::detail::months) {
      for (const std::string& day : days) {
        for (std::string_view wd : sigreq::detail::short_days) {
          std::string t = std::string(wd) + ", " + day + " " +
                          std::string(month) + " " + year + " 23:59:59 GMT";
          check_agrees(t);
        }
      }
    }
  }
}

// Three NUL bytes pack to 0, the key the name tables give an empty slot.
// Each date below is valid but for its NUL name: 1994-11-06 and 1994-08-07
// are Sundays, and one of the 196 August dates has the right weekday.
BOOST_AUTO_TEST_CASE(fixdate_refuses_nul_bytes_in_place_of_names) {
  std::vector<std::string> cases = {
      std::string("\0\0\0, 06 Nov 1994 08:49:37 GMT", 29),
      std::string("\0\0\0, 07 Aug 1994 08:49:37 GMT", 29),
      std::string("\0\0\0, 07 \0\0\0 1994 08:49:37 GMT", 29),
      std::string("\0\0\0 Nov  6 08:49:37 1994", 24),
  };
  for (int day = 1; day <= 28; ++day) {
    for (std::string_view wd : sigreq::detail::short_days) {
      char text[40];
      std::snprintf(text, sizeof text, "%s, %02d @@@ 2000 08:49:37 GMT",
                    std::string(wd).c_str(), day);
      std::string t(text, 29);
      t.replace(8, 3, std::string(3, '\0'));
      cases.push_back(t);
    }
  }
  for (const std::string& c : cases) {
    BOOST_TEST_CONTEXT("'" << printable(c) << "'") {
      BOOST_TEST(!library_reads(c).time.has_value());
    }
  }
}

BOOST_AUTO_TEST_CASE(to_time_counts_every_day_from_year_0_to_9999) {
  using namespace std::chrono;
  std::size_t wrong_time = 0, wrong_weekday = 0, refused = 0;
  auto first_day = date::sys_days{date::year{0} / 1 / 1};
  auto last_day = date::sys_days{date::year{9999} / 12 / 31};
  for (auto d = first_day; d <= last_day; d += date::days{1}) {
    date::year_month_day ymd{d};
    sigreq::detail::date_fields f;
    f.year = static_cast<int>(ymd.year());
    f.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
    f.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
    f.hour = 23;
    f.minute = 59;
    f.second = 58;
    f.weekday = static_cast<int>(date::weekday{d}.c_encoding());
    auto t = sigreq::detail::to_time(f);
    if (!t) {
      ++refused;
      continue;
    }
    if (*t != sys_seconds{d} + hours{23} + minutes{59} + seconds{58})
      ++wrong_time;
    f.weekday = (f.weekday + 1) % 7;
    if (sigreq::detail::to_time(f)) ++wrong_weekday;
  }
  BOOST_TEST(refused == 0u);
  BOOST_TEST(wrong_time == 0u);
  BOOST_TEST(wrong_weekday == 0u);
}

namespace {

// ---------------------------------------------------------------- names

constexpr bool reference_iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto x = static_cast<unsigned char>(a[i]);
    auto y = static_cast<unsigned char>(b[i]);
    if (x >= 'A' && x <= 'Z') x = static_cast<unsigned char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<unsigned char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

// Names whose bytes sit one bit (0x20) from a byte that is not a letter
// ('@' '`', '[' '{', '\\' '|', ']' '}', '^' '~', '_' DEL), at lengths
// around the 4- and 8-byte words, next to real header names.
constexpr std::array<std::string_view, 20> names = {"@",
                                                    "[`",
                                                    "A^~",
                                                    "Host",
                                                    "@[^_",
                                                    "`{~\x7f",
                                                    "X-a@Z",
                                                    "a[b{c]",
                                                    "Z^z~Z_z",
                                                    "X_Date`@",
                                                    "[\\]^_`{|",
                                                    "\xc1\xe1\x80-Name",
                                                    "}~\x7f@[\\]^_",
                                                    "Content-Type",
                                                    "Authorization",
                                                    "Content-SHA512",
                                                    "X-Cubicweb-Date",
                                                    "@ABCDEFGHIJKLMNO",
                                                    "Z[\\]^_`abcz{|}~\x7f",
                                                    "Content-Type-Ext1"};

// What find_headers found for a request of one field, name against each.
std::array<std::uint8_t, names.size()> counts_found(std::string_view field) {
  sigreq::plain_request r("GET", "/");
  r.add(std::string(field), "v");
  auto found = sigreq::find_headers<names>(r);
  std::array<std::uint8_t, names.size()> counts{};
  for (std::size_t j = 0; j < names.size(); ++j)
    counts[j] = found[j].count;
  return counts;
}

std::array<std::uint8_t, names.size()> counts_expected(std::string_view field) {
  std::array<std::uint8_t, names.size()> counts{};
  for (std::size_t j = 0; j < names.size(); ++j)
    counts[j] = reference_iequals(field, names[j]) ? 1 : 0;
  return counts;
}

}  // namespace

BOOST_AUTO_TEST_CASE(find_headers_matches_a_name_iff_bytes_equal_but_case) {
  std::size_t mismatches = 0;
  for (std::string_view name : names) {
    for (std::size_t pos = 0; pos < name.size(); ++pos) {
      for (int b = 0; b < 256; ++b) {
        std::string field(name);
        field[pos] = static_cast<char>(b);
        if (counts_found(field) != counts_expected(field)) {
          ++mismatches;
          BOOST_TEST_MESSAGE("'" << printable(field) << "' vs '"
                                 << printable(name) << "'");
        }
      }
    }
  }
  BOOST_TEST(mismatches == 0u);
}

BOOST_AUTO_TEST_CASE(find_headers_matches_every_case_of_every_name) {
  std::size_t mismatches = 0;
  for (std::string_view name : names) {
    // Every subset of bytes with bit 0x20 flipped, up to 2^10 of them.
    std::size_t n = std::min<std::size_t>(name.size(), 10);
    for (std::size_t flips = 0; flips < (std::size_t{1} << n); ++flips) {
      std::string field(name);
      for (std::size_t i = 0; i < n; ++i)
        if (flips >> i & 1) field[i] = static_cast<char>(field[i] ^ 0x20);
      if (counts_found(field) != counts_expected(field)) {
        ++mismatches;
        BOOST_TEST_MESSAGE("'" << printable(field) << "'");
      }
    }
  }
  BOOST_TEST(mismatches == 0u);
}

BOOST_AUTO_TEST_CASE(iequals_agrees_with_a_byte_loop_at_every_length) {
  std::size_t mismatches = 0;
  for (std::size_t n = 0; n <= 24; ++n) {
    std::string a = pattern(n, 9);
    for (std::size_t pos = 0; pos < n; ++pos) {
      for (int b = 0; b < 256; ++b) {
        std::string x = a;
        x[pos] = static_cast<char>(b);
        for (const std::string& y : {a, x}) {
          if (sigreq::detail::iequals(x, y) != reference_iequals(x, y))
            ++mismatches;
        }
        std::string upper = x;
        for (char& c : upper)
          if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
        if (sigreq::detail::iequals(x, upper) != reference_iequals(x, upper))
          ++mismatches;
      }
    }
  }
  BOOST_TEST(mismatches == 0u);
}

namespace {

// ---------------------------------------------------------------- bytes

bool reference_in_range(std::string_view s, unsigned lo, unsigned hi) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < lo || u > hi) return false;
  }
  return true;
}

bool reference_has_control(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return true;
  }
  return false;
}

struct byte_range {
  unsigned lo, hi;
};

// The range origin-form targets use, and the edges the precondition
// allows (0 < lo <= hi < 0x80).
constexpr std::array<byte_range, 5> ranges = {
    {{0x21, 0x7e}, {0x01, 0x7f}, {0x30, 0x39}, {0x7f, 0x7f}, {0x01, 0x01}}};

}  // namespace

BOOST_AUTO_TEST_CASE(all_in_range_agrees_with_a_byte_loop_at_every_length) {
  for (byte_range r : ranges) {
    std::size_t mismatches = 0;
    for (std::size_t n = 0; n <= 200; ++n) {
      for (unsigned fill : {r.lo, r.hi}) {
        std::string s(n, static_cast<char>(fill));
        if (sigreq::detail::all_in_range(s, r.lo, r.hi) !=
            reference_in_range(s, r.lo, r.hi))
          ++mismatches;
        for (std::size_t pos = 0; pos < n; ++pos) {
          for (int b = 0; b < 256; ++b) {
            std::string t = s;
            t[pos] = static_cast<char>(b);
            if (sigreq::detail::all_in_range(t, r.lo, r.hi) !=
                reference_in_range(t, r.lo, r.hi))
              ++mismatches;
          }
        }
      }
    }
    BOOST_TEST_CONTEXT("range " << r.lo << ".." << r.hi) {
      BOOST_TEST(mismatches == 0u);
    }
  }
}

BOOST_AUTO_TEST_CASE(has_control_agrees_with_a_byte_loop_at_every_length) {
  std::size_t mismatches = 0;
  for (std::size_t n = 0; n <= 200; ++n) {
    for (char fill : {' ', '~', '\x80', '\xff'}) {
      std::string s(n, fill);
      if (sigreq::detail::has_control(s) != reference_has_control(s))
        ++mismatches;
      for (std::size_t pos = 0; pos < n; ++pos) {
        for (int b = 0; b < 256; ++b) {
          std::string t = s;
          t[pos] = static_cast<char>(b);
          if (sigreq::detail::has_control(t) != reference_has_control(t))
            ++mismatches;
        }
      }
    }
  }
  BOOST_TEST(mismatches == 0u);
}

namespace {

std::string reference_hex(const std::vector<std::uint8_t>& bytes) {
  const char* digits = "0123456789abcdef";
  std::string s;
  for (std::uint8_t b : bytes) {
    s += digits[b >> 4];
    s += digits[b & 15];
  }
  return s;
}

std::vector<std::uint8_t> byte_pattern(std::size_t n, unsigned seed) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i)
    v[i] = static_cast<std::uint8_t>(i * 37 + seed * 11);
  return v;
}

}  // namespace

BOOST_AUTO_TEST_CASE(encode_hex_writes_lowercase_hex_of_every_byte) {
  for (std::size_t n = 0; n <= 200; ++n) {
    for (unsigned seed = 0; seed < 24; ++seed) {
      auto bytes = byte_pattern(n, seed);
      BOOST_TEST_CONTEXT("length " << n << " seed " << seed) {
        BOOST_TEST(sigreq::to_hex(bytes) == reference_hex(bytes));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(hex_equals_accepts_exactly_the_lowercase_hex) {
  std::size_t wrong = 0;
  for (std::size_t n = 0; n <= 200; ++n) {
    auto bytes = byte_pattern(n, static_cast<unsigned>(n));
    std::string hex = reference_hex(bytes);
    if (!sigreq::hex_equals(bytes, hex)) ++wrong;
    if (sigreq::hex_equals(bytes, hex + "0")) ++wrong;
    if (n != 0 && sigreq::hex_equals(bytes, hex.substr(1))) ++wrong;

    // Every byte value at every position of the text (every position up
    // to 64 bytes, the ends and middle beyond).
    for (std::size_t pos = 0; pos < hex.size(); ++pos) {
      if (n > 64 && pos > 2 && pos + 3 < hex.size() && pos != n) continue;
      for (int c = 0; c < 256; ++c) {
        std::string t = hex;
        t[pos] = static_cast<char>(c);
        if (sigreq::hex_equals(bytes, t) != (t == hex)) ++wrong;
      }
    }
  }
  BOOST_TEST(wrong == 0u);
}

BOOST_AUTO_TEST_CASE(hex_equals_reads_every_byte_value_of_the_digest) {
  std::size_t wrong = 0;
  for (std::size_t n : {1, 15, 16, 20, 32, 48, 64, 100}) {
    for (int v = 0; v < 256; ++v) {
      std::vector<std::uint8_t> bytes(n, static_cast<std::uint8_t>(v));
      std::string hex = reference_hex(bytes);
      if (!sigreq::hex_equals(bytes, hex)) ++wrong;
      for (std::size_t i = 0; i < n; ++i) {
        auto other = bytes;
        other[i] = static_cast<std::uint8_t>(v ^ 0x01);
        if (sigreq::hex_equals(other, hex)) ++wrong;
        other[i] = static_cast<std::uint8_t>(v ^ 0x80);
        if (sigreq::hex_equals(other, hex)) ++wrong;
      }
    }
  }
  BOOST_TEST(wrong == 0u);
}

namespace {

// ---------------------------------------------------------------- wipe

// How many bytes of a mac_state depend on the secret while it lives (found
// by building it from two secrets at one address), and how many of those
// are not zero after its destructor ran.
struct wipe_report {
  std::size_t secret_bytes = 0;
  std::size_t left_behind = 0;
};

template <class H>
wipe_report inspect_mac_state(bool finished) {
  using mac = sigreq::mac_state<H>;
  const std::string secrets[2] = {"first-secret-0123456789abcdef0123456789",
                                  "other-secret-fedcba9876543210fedcba9876"};
  alignas(mac) unsigned char storage[sizeof(mac)];
  std::array<unsigned char, sizeof(mac)> live[2];
  std::array<unsigned char, sizeof(mac)> dead[2];
  for (int i = 0; i < 2; ++i) {
    sigreq::hmac_key<H> key(secrets[i]);
    std::memset(storage, 0xa5, sizeof storage);
    mac* p = ::new (storage) mac(key);
    p->update("GEThttps://example.org/api/items?page=2");
    if (finished) (void)p->finish();
    std::memcpy(live[i].data(), storage, sizeof storage);
    std::destroy_at(p);
    __asm__ __volatile__("" : : "r"(storage) : "memory");
    std::memcpy(dead[i].data(), storage, sizeof storage);
  }
  wipe_report r;
  for (std::size_t b = 0; b < sizeof(mac); ++b) {
    if (live[0][b] == live[1][b]) continue;
    ++r.secret_bytes;
    if (dead[0][b] != 0 || dead[1][b] != 0) ++r.left_behind;
  }
  return r;
}

}  // namespace

BOOST_AUTO_TEST_CASE_TEMPLATE(mac_state_wipes_its_secret_bytes_before_finish, H,
                              hash_policies) {
  wipe_report r = inspect_mac_state<H>(false);
  BOOST_TEST(r.secret_bytes >= H::digest_size / 2);
  BOOST_TEST(r.left_behind == 0u);
}

// After finish the block buffer holds the inner digest, which depends on
// the key as much as the chaining state does.
BOOST_AUTO_TEST_CASE_TEMPLATE(mac_state_wipes_its_secret_bytes_after_finish, H,
                              hash_policies) {
  wipe_report r = inspect_mac_state<H>(true);
  BOOST_TEST(r.secret_bytes >= H::digest_size);
  BOOST_TEST(r.left_behind == 0u);
}

// system_clock reads time() on POSIX: it must tell the wall clock's second
// (time() may trail the nanosecond clock by one scheduler tick, so one
// second early is allowed at a boundary).
BOOST_AUTO_TEST_CASE(system_clock_reads_the_wall_clock_to_the_second) {
  using std::chrono::floor;
  using std::chrono::seconds;
  for (int i = 0; i < 1000; ++i) {
    auto before = floor<seconds>(std::chrono::system_clock::now());
    auto t = sigreq::system_clock{}.now();
    auto after = floor<seconds>(std::chrono::system_clock::now());
    BOOST_TEST((t >= before - seconds{1} && t <= after));
  }
}
