// HTTP dates (RFC 9110 section 5.6.7) and RFC 5322 dates with a numeric
// zone, parsed from arbitrary bytes and formatted for the Date header.
//
// Accepted forms, each matched in full (no leading, trailing or doubled
// spaces; names case-sensitive as RFC 9110 writes them):
//   imf_fixdate  Sun, 06 Nov 1994 08:49:37 GMT
//   rfc850       Sunday, 06-Nov-94 08:49:37 GMT
//   asctime      Sun Nov  6 08:49:37 1994
//   rfc5322      [Sun, ]6 Nov 1994 10:49:37 +0200   (zone honoured)
// Refused: impossible dates (Feb 30, Feb 29 of a common year), hours over
// 23, minutes or seconds over 59 (a leap second 60 cannot be told from a
// forged one without a leap table), zones beyond +-23:59, and a weekday
// that is not the date's. Parsing allocates nothing.
#pragma once

#include <array>
#include <bit>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <locale>
#include <string>
#include <string_view>
#include <type_traits>

#include <date/date.h>

#include "error.hpp"
#include "swar.hpp"

namespace sigreq {

enum class date_form : unsigned char { imf_fixdate, rfc850, asctime, rfc5322 };

struct http_date {
  std::chrono::sys_seconds time{};
  date_form form = date_form::imf_fixdate;
};

namespace detail {

inline constexpr std::array<std::string_view, 7> short_days = {
    "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
inline constexpr std::array<std::string_view, 7> long_days = {
    "Sunday",   "Monday", "Tuesday", "Wednesday",
    "Thursday", "Friday", "Saturday"};
inline constexpr std::array<std::string_view, 12> months = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// A cursor over the input; every read checks the bounds.
class date_cursor {
 public:
  explicit constexpr date_cursor(std::string_view s) noexcept : s_(s) {}

  constexpr bool done() const noexcept { return pos_ == s_.size(); }

  constexpr bool literal(std::string_view lit) noexcept {
    if (s_.substr(pos_, lit.size()) != lit) return false;
    pos_ += lit.size();
    return true;
  }

  // Exactly n decimal digits.
  constexpr bool digits(std::size_t n, int& out) noexcept {
    if (s_.size() - pos_ < n) return false;
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) {
      char c = s_[pos_ + i];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    pos_ += n;
    out = v;
    return true;
  }

  // One or two digits; a second digit is taken when present.
  constexpr bool one_or_two_digits(int& out) noexcept {
    if (!digits(1, out)) return false;
    int second;
    if (digits(1, second)) out = out * 10 + second;
    return true;
  }

  template <std::size_t N>
  constexpr bool name(const std::array<std::string_view, N>& names,
                      int& index) noexcept {
    for (std::size_t i = 0; i < N; ++i) {
      if (literal(names[i])) {
        index = static_cast<int>(i);
        return true;
      }
    }
    return false;
  }

  // hh:mm:ss, or hh:mm when seconds are optional.
  constexpr bool time_of_day(int& h, int& m, int& sec,
                             bool seconds_optional) noexcept {
    sec = 0;
    if (!digits(2, h) || !literal(":") || !digits(2, m)) return false;
    if (seconds_optional && s_.substr(pos_, 1) != ":") return true;
    return literal(":") && digits(2, sec);
  }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

struct date_fields {
  int weekday = -1;  // -1 when the form carries none
  int day = 0, month = 0, year = 0;
  int hour = 0, minute = 0, second = 0;
  int offset_minutes = 0;  // east of UTC
};

constexpr bool is_leap_year(unsigned y) noexcept {
  return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

// Days before each month of a common year, and each month's length.
inline constexpr std::array<unsigned, 13> days_before_month = {
    0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
inline constexpr std::array<unsigned, 13> days_in_month = {
    0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

// Days from 0000-01-01 (proleptic Gregorian) to 1970-01-01.
inline constexpr unsigned days_to_epoch = 719528;

// The fields as a time, or refusal::malformed_date when they name no
// moment: a day past its month's end, an hour over 23, a minute or second
// over 59, a weekday not the date's. Years are 0 to 9999.
constexpr result<std::chrono::sys_seconds> to_time(
    const date_fields& f) noexcept {
  using namespace std::chrono;
  if (f.year < 0 || f.year > 9999 || f.month < 1 || f.month > 12)
    return refusal::malformed_date;
  auto y = static_cast<unsigned>(f.year);
  auto m = static_cast<unsigned>(f.month);
  bool leap = is_leap_year(y);
  unsigned month_days = days_in_month[m] + (m == 2 && leap);
  if (f.day < 1 || static_cast<unsigned>(f.day) > month_days || f.hour < 0 ||
      f.hour > 23 || f.minute < 0 || f.minute > 59 || f.second < 0 ||
      f.second > 59)
    return refusal::malformed_date;

  // Whole days since 0000-01-01: the years before (with their leap days:
  // every fourth, less centuries, plus every fourth century), the months
  // before, the days before.
  unsigned leap_days = (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
  unsigned days = 365 * y + leap_days + days_before_month[m] + (m > 2 && leap) +
                  static_cast<unsigned>(f.day) - 1;
  // 0000-01-01 was a Saturday (6 in the C encoding, Sunday 0).
  if (f.weekday >= 0 && (days + 6) % 7 != static_cast<unsigned>(f.weekday))
    return refusal::malformed_date;

  auto since_epoch = static_cast<std::int64_t>(days) - days_to_epoch;
  return sys_seconds{seconds{since_epoch * 86400 + f.hour * 3600 +
                             f.minute * 60 + f.second - f.offset_minutes * 60}};
}

// Three letters packed into an integer, to match a name in one compare.
constexpr std::uint32_t pack3(char a, char b, char c) noexcept {
  return std::uint32_t(static_cast<unsigned char>(a)) |
         std::uint32_t(static_cast<unsigned char>(b)) << 8 |
         std::uint32_t(static_cast<unsigned char>(c)) << 16;
}

// The index of a three-letter name in one table read: a multiplicative
// hash, found at compile time, sends each name to a slot of its own; the
// slot holds the name to compare with. An empty slot holds a key no three
// bytes pack to (every packed input, NUL bytes included, is below 2^24).
template <std::size_t N>
struct three_letter_index {
  static constexpr unsigned bits = 5;
  std::uint32_t multiplier = 0;
  static constexpr std::uint32_t empty = 0xffffffffu;
  std::array<std::uint32_t, 1u << bits> key{};
  std::array<std::int8_t, 1u << bits> index{};

  static constexpr unsigned slot_of(std::uint32_t key,
                                    std::uint32_t m) noexcept {
    return (key * m) >> (32 - bits);
  }

  explicit constexpr three_letter_index(
      const std::array<std::string_view, N>& names) noexcept {
    for (std::uint32_t m = 0x9e3779b1u;; m += 2) {
      key.fill(empty);
      index.fill(-1);
      bool distinct = true;
      for (std::size_t i = 0; i < N && distinct; ++i) {
        std::uint32_t k = pack3(names[i][0], names[i][1], names[i][2]);
        unsigned at = slot_of(k, m);
        distinct = key[at] == empty;
        key[at] = k;
        index[at] = static_cast<std::int8_t>(i);
      }
      if (distinct) {
        multiplier = m;
        return;
      }
    }
  }

  // The name's index, or -1.
  constexpr int find(std::uint32_t k) const noexcept {
    unsigned at = slot_of(k, multiplier);
    return key[at] == k ? index[at] : -1;
  }
};

inline constexpr three_letter_index<7> short_day_index{short_days};
inline constexpr three_letter_index<12> month_index{months};

// The bytes of an 8-byte pattern, little-endian, with '?' for a byte that
// is not fixed; of_mask gives 0xff for each fixed byte.
constexpr std::uint64_t pattern_bytes(std::string_view p,
                                      bool of_mask) noexcept {
  std::uint64_t w = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    std::uint64_t b = p[i] == '?' ? 0
                      : of_mask
                          ? 0xff
                          : std::uint64_t(static_cast<unsigned char>(p[i]));
    w |= b << (8 * i);
  }
  return w;
}

// The high bit of each byte of w that is an ASCII digit.
constexpr std::uint64_t digit_bytes(std::uint64_t w) noexcept {
  std::uint64_t low7 = w & ~highs;
  std::uint64_t at_least_0 = (low7 + ones * (0x80u - '0')) & highs;
  std::uint64_t above_9 = (low7 + ones * (0x7fu - '9')) & highs;
  return at_least_0 & ~above_9 & ~w;
}

// The two-digit numbers of the digit pairs of w selected by pairs (0x0f
// at each digit of a pair): byte k + 1 of the result is 10 times the digit
// at byte k plus the digit at byte k + 1, for each pair at k, k + 1. One
// multiply; no byte of it carries, since each sum is at most 99.
constexpr std::uint64_t digit_pairs(std::uint64_t w,
                                    std::uint64_t pairs) noexcept {
  return (w & pairs) * (1 + (10 << 8));
}

constexpr int byte_at(std::uint64_t w, unsigned byte) noexcept {
  return static_cast<int>((w >> (8 * byte)) & 0xff);
}

// IMF-fixdate, the form every Python client sends, read as four words
// (the last overlapping the third): the fixed bytes compared under a
// mask, the digits checked together, the names by table.
constexpr bool parse_imf_fixdate(std::string_view s, date_fields& f) noexcept {
  // "Sun, 06 Nov 1994 08:49:37 GMT"
  //  0       8       16   21     28
  if (s.size() != 29) return false;
  std::uint64_t w0 = load_le64(s.data());
  std::uint64_t w1 = load_le64(s.data() + 8);
  std::uint64_t w2 = load_le64(s.data() + 16);
  std::uint64_t w3 = load_le64(s.data() + 21);

  // The fixed bytes of each word, and a mask of where they are.
  constexpr std::uint64_t f0 = pattern_bytes("???, ?? ", false),
                          m0 = pattern_bytes("???, ?? ", true),
                          f1 = pattern_bytes("??? ????", false),
                          m1 = pattern_bytes("??? ????", true),
                          f2 = pattern_bytes(" ??:??:?", false),
                          m2 = pattern_bytes(" ??:??:?", true),
                          f3 = pattern_bytes("?:?? GMT", false),
                          m3 = pattern_bytes("?:?? GMT", true);
  std::uint64_t fixed =
      ((w0 & m0) ^ f0) | ((w1 & m1) ^ f1) | ((w2 & m2) ^ f2) | ((w3 & m3) ^ f3);
  // Digits: day at 5-6 (w0), year at 12-15 (w1), hh mm at 17-18 and
  // 20-21 (w2), ss at 23-24 (w3 bytes 2-3).
  constexpr std::uint64_t h = 0x80;
  constexpr std::uint64_t d0 = h << 40 | h << 48;
  constexpr std::uint64_t d1 = h << 32 | h << 40 | h << 48 | h << 56;
  constexpr std::uint64_t d2 = h << 8 | h << 16 | h << 32 | h << 40;
  constexpr std::uint64_t d3 = h << 16 | h << 24;
  std::uint64_t digits_missing =
      ((digit_bytes(w0) & d0) ^ d0) | ((digit_bytes(w1) & d1) ^ d1) |
      ((digit_bytes(w2) & d2) ^ d2) | ((digit_bytes(w3) & d3) ^ d3);
  if ((fixed | digits_missing) != 0) return false;

  f.weekday = short_day_index.find(static_cast<std::uint32_t>(w0) & 0xffffff);
  f.month = month_index.find(static_cast<std::uint32_t>(w1) & 0xffffff);
  std::uint64_t n0 = digit_pairs(w0, 0x000f0f0000000000ull);
  std::uint64_t n1 = digit_pairs(w1, 0x0f0f0f0f00000000ull);
  std::uint64_t n2 = digit_pairs(w2, 0x00000f0f000f0f00ull);
  std::uint64_t n3 = digit_pairs(w3, 0x000000000f0f0000ull);
  f.day = byte_at(n0, 6);
  f.year = byte_at(n1, 5) * 100 + byte_at(n1, 7);
  f.hour = byte_at(n2, 2);
  f.minute = byte_at(n2, 5);
  f.second = byte_at(n3, 3);
  return f.weekday >= 0 && f.month >= 0;
}

// RFC 9110: a two-digit year more than 50 years ahead of this year is the
// most recent past year with the same last two digits. The year read is
// the one with those digits in (this_year - 50, this_year + 50], so that
// "00" read late in 2099 is 2100, not 2000.
constexpr int expand_two_digit_year(int yy, int this_year) noexcept {
  int year = this_year / 100 * 100 + yy;
  if (year > this_year + 50)
    year -= 100;
  else if (year <= this_year - 50)
    year += 100;
  return year;
}

constexpr bool parse_rfc850(std::string_view s, date_fields& f,
                            int this_year) noexcept {
  date_cursor c(s);
  int yy = 0;
  bool ok = c.name(long_days, f.weekday) && c.literal(", ") &&
            c.digits(2, f.day) && c.literal("-") && c.name(months, f.month) &&
            c.literal("-") && c.digits(2, yy) && c.literal(" ") &&
            c.time_of_day(f.hour, f.minute, f.second, false) &&
            c.literal(" GMT") && c.done();
  f.year = expand_two_digit_year(yy, this_year);
  return ok;
}

constexpr bool parse_asctime(std::string_view s, date_fields& f) noexcept {
  date_cursor c(s);
  if (!(c.name(short_days, f.weekday) && c.literal(" ") &&
        c.name(months, f.month) && c.literal(" ")))
    return false;
  // The day is two digits or a space and one digit.
  if (!(c.digits(2, f.day) || (c.literal(" ") && c.digits(1, f.day))))
    return false;
  return c.literal(" ") && c.time_of_day(f.hour, f.minute, f.second, false) &&
         c.literal(" ") && c.digits(4, f.year) && c.done();
}

constexpr bool parse_rfc5322(std::string_view s, date_fields& f) noexcept {
  date_cursor c(s);
  date_cursor probe = c;
  if (probe.name(short_days, f.weekday) && probe.literal(", "))
    c = probe;
  else
    f.weekday = -1;

  int zh = 0, zm = 0;
  bool east = true;
  if (!(c.one_or_two_digits(f.day) && c.literal(" ") &&
        c.name(months, f.month) && c.literal(" ") && c.digits(4, f.year) &&
        c.literal(" ") && c.time_of_day(f.hour, f.minute, f.second, true) &&
        c.literal(" ")))
    return false;
  if (c.literal("-"))
    east = false;
  else if (!c.literal("+"))
    return false;
  if (!(c.digits(2, zh) && c.digits(2, zm) && c.done())) return false;
  if (zh > 23 || zm > 59) return false;
  f.offset_minutes = (east ? 1 : -1) * (zh * 60 + zm);
  return true;
}

}  // namespace detail

namespace detail {

template <class ThisYear>
constexpr result<http_date> parse_http_date(std::string_view text,
                                            ThisYear this_year) noexcept {
  date_fields f;
  date_form form;
  if (parse_imf_fixdate(text, f)) {
    form = date_form::imf_fixdate;
  } else if (parse_rfc850(text, f = {}, this_year())) {
    form = date_form::rfc850;
  } else if (parse_asctime(text, f = {})) {
    form = date_form::asctime;
  } else if (parse_rfc5322(text, f = {})) {
    form = date_form::rfc5322;
  } else {
    return refusal::malformed_date;
  }

  // Month names were matched by index; the calendar counts from 1.
  f.month += 1;
  auto t = to_time(f);
  if (!t) return t.error();
  return http_date{*t, form};
}

}  // namespace detail

// The civil year of a time point, to pass as this_year.
constexpr int civil_year(std::chrono::sys_seconds t) noexcept {
  return static_cast<int>(
      date::year_month_day{std::chrono::floor<date::days>(t)}.year());
}

// Parses any accepted form. this_year expands RFC 850 two-digit years.
constexpr result<http_date> parse_http_date(std::string_view text,
                                            int this_year) noexcept {
  return detail::parse_http_date(text, [=] { return this_year; });
}

// The same, taking the year of now (computed only for an RFC 850 date).
constexpr result<http_date> parse_http_date(
    std::string_view text, std::chrono::sys_seconds now) noexcept {
  return detail::parse_http_date(text, [=] { return civil_year(now); });
}

// The IMF-fixdate of t, as Date headers carry it. Allocates the string.
inline std::string format_imf_fixdate(std::chrono::sys_seconds t) {
  return date::format(std::locale::classic(), "%a, %d %b %Y %H:%M:%S GMT", t);
}

}  // namespace sigreq
