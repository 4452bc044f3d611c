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
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <locale>
#include <string>
#include <string_view>

#include <date/date.h>

#include "error.hpp"

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

constexpr result<std::chrono::sys_seconds> to_time(
    const date_fields& f) noexcept {
  using namespace std::chrono;
  date::year_month_day ymd{date::year{f.year},
                           date::month{static_cast<unsigned>(f.month)},
                           date::day{static_cast<unsigned>(f.day)}};
  if (!ymd.ok()) return refusal::malformed_date;
  if (f.hour > 23 || f.minute > 59 || f.second > 59)
    return refusal::malformed_date;

  date::sys_days days{ymd};
  if (f.weekday >= 0 &&
      date::weekday{days}.c_encoding() != static_cast<unsigned>(f.weekday))
    return refusal::malformed_date;

  return sys_seconds{days} + hours{f.hour} + minutes{f.minute} +
         seconds{f.second} - minutes{f.offset_minutes};
}

// Three letters packed into an integer, to match a name in one compare.
constexpr std::uint32_t pack3(char a, char b, char c) noexcept {
  return std::uint32_t(static_cast<unsigned char>(a)) |
         std::uint32_t(static_cast<unsigned char>(b)) << 8 |
         std::uint32_t(static_cast<unsigned char>(c)) << 16;
}

template <std::size_t N>
constexpr int packed_index(const std::array<std::string_view, N>& names,
                           std::uint32_t key) noexcept {
  for (std::size_t i = 0; i < N; ++i)
    if (pack3(names[i][0], names[i][1], names[i][2]) == key)
      return static_cast<int>(i);
  return -1;
}

constexpr int two_digits(std::string_view s, std::size_t at) noexcept {
  unsigned a = static_cast<unsigned char>(s[at]) - '0';
  unsigned b = static_cast<unsigned char>(s[at + 1]) - '0';
  return (a > 9 || b > 9) ? -1 : static_cast<int>(a * 10 + b);
}

// IMF-fixdate by fixed positions: the form every Python client sends.
constexpr bool parse_imf_fixdate(std::string_view s, date_fields& f) noexcept {
  // "Sun, 06 Nov 1994 08:49:37 GMT"
  //  0    5  8   12   17 20 23 26
  if (s.size() != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' ||
      s[11] != ' ' || s[16] != ' ' || s[19] != ':' || s[22] != ':' ||
      s.substr(25) != " GMT")
    return false;
  f.weekday = packed_index(short_days, pack3(s[0], s[1], s[2]));
  f.month = packed_index(months, pack3(s[8], s[9], s[10]));
  f.day = two_digits(s, 5);
  int century = two_digits(s, 12), year = two_digits(s, 14);
  f.hour = two_digits(s, 17);
  f.minute = two_digits(s, 20);
  f.second = two_digits(s, 23);
  if (f.weekday < 0 || f.month < 0 || f.day < 0 || century < 0 || year < 0 ||
      f.hour < 0 || f.minute < 0 || f.second < 0)
    return false;
  f.year = century * 100 + year;
  return true;
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
  if (parse_imf_fixdate(text, f = {})) {
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
