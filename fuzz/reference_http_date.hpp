// A second opinion on HTTP dates, built on date::parse from Howard
// Hinnant's date library, for the differential http_date_fuzzer.
//
// For each form sigreq accepts, date::parse reads the fields with that
// form's format, and the input is accepted only when it is exactly the
// text the form would write for those fields. date::parse alone is more
// lenient than RFC 9110; the rules below are where the two differ, each
// decided by the RFC and written here so that the difference is explicit:
//
//  1. Case: date::parse matches day and month names in any case; RFC 9110
//     writes them case-sensitively. The exact re-rendering enforces it.
//  2. Widths and spaces: date::parse takes one digit where two are due
//     and a space in its format matches any run of white space. The exact
//     re-rendering enforces the fixed widths. RFC 5322 dates may carry a
//     one-digit day and omit the seconds, and an asctime day below 10 is
//     " 6" or "06" (date3 in RFC 9110); each rendering is allowed.
//  3. Two-digit years (RFC 850): %y maps 69..99 to 19xx and 00..68 to
//     20xx (POSIX). RFC 9110 instead takes the most recent year with those
//     digits that is not more than 50 years after this_year; the weekday
//     is checked against that year.
//  4. Second 60: date::parse carries it into the next minute; sigreq
//     refuses it (no leap table), so the reference refuses it too.
//  5. Signs: %Y reads a signed year ("-1969") and date::format writes it
//     back; RFC 9110 years are 4DIGIT, so a sign outside an RFC 5322 zone
//     refuses.
//  6. Zones: %z takes minutes up to 99 and hours up to 99; RFC 5322 zones
//     stop at +-23:59. "-0000" is UTC (RFC 5322 3.3), like "+0000".
//
// Two guards work around the reference itself, whose date::parse (date
// 3.0.1) has undefined behaviour, reported by UBSan, on some malformed
// input: it converts an uninitialized long double when no digit follows
// the ':' before %S, and negates its "no offset" sentinel (the minimum
// of minutes) when a '-' before %z is followed by no digits. No accepted
// form has a ':' without a digit after it, and an RFC 5322 date ends in
// a sign and four digits with no other sign before them, so such input
// is refused before date::parse.
#pragma once

#include <array>
#include <chrono>
#include <cstdlib>
#include <locale>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include <date/date.h>
#include <sigreq/http_date.hpp>

namespace sigreq_fuzz {

struct reference_date {
  std::chrono::sys_seconds time;
  sigreq::date_form form;
};

namespace detail {

using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_seconds;

inline std::istringstream stream_of(std::string_view s) {
  std::istringstream is{std::string(s)};
  is.imbue(std::locale::classic());
  return is;
}

inline std::string render(const char* fmt, sys_seconds t) {
  return date::format(std::locale::classic(), fmt, t);
}

// The two digits of the seconds field, at pos, are "60" (rule 4).
inline bool second_60_at(std::string_view s, std::size_t pos) {
  return s.size() >= pos + 2 && s.substr(pos, 2) == "60";
}

inline bool colon_without_digit(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s[i] == ':' && (i + 1 == s.size() || s[i + 1] < '0' || s[i + 1] > '9'))
      return true;
  return false;
}

inline bool has_sign(std::string_view s) {
  return s.find_first_of("+-") != std::string_view::npos;
}

inline std::optional<sys_seconds> imf_fixdate(std::string_view s) {
  if (has_sign(s)) return std::nullopt;
  auto is = stream_of(s);
  sys_seconds t;
  is >> date::parse("%a, %d %b %Y %H:%M:%S GMT", t);
  if (is.fail() || second_60_at(s, 23)) return std::nullopt;
  if (render("%a, %d %b %Y %H:%M:%S GMT", t) != s) return std::nullopt;
  return t;
}

inline std::optional<sys_seconds> asctime(std::string_view s) {
  if (has_sign(s)) return std::nullopt;
  auto is = stream_of(s);
  sys_seconds t;
  is >> date::parse("%a %b %e %H:%M:%S %Y", t);
  if (is.fail() || second_60_at(s, 17)) return std::nullopt;
  // date3 = month SP ( 2DIGIT / ( SP DIGIT ) ): "Nov  6" and "Nov 06".
  if (render("%a %b %e %H:%M:%S %Y", t) != s &&
      render("%a %b %d %H:%M:%S %Y", t) != s)
    return std::nullopt;
  return t;
}

// Rule 3, written from the RFC's words rather than from sigreq's code:
// count down from this_year + 50 to the first year ending in yy.
inline int rfc9110_year(int yy, int this_year) {
  int y = this_year + 50;
  while (((y % 100) + 100) % 100 != yy)
    --y;
  return y;
}

inline std::optional<sys_seconds> rfc850(std::string_view s, int this_year) {
  auto is = stream_of(s);
  date::weekday wd;
  is >> date::parse("%A", wd);
  sys_seconds t;
  // Parsed without a weekday, so that %y's century does not judge it.
  is >> date::parse(", %d-%b-%y %H:%M:%S GMT", t);
  if (is.fail()) return std::nullopt;
  std::size_t comma = s.find(',');
  if (comma == std::string_view::npos || s.size() != comma + 24 ||
      second_60_at(s, comma + 18))
    return std::nullopt;

  auto day = date::floor<date::days>(t);
  date::year_month_day posix{day};
  int yy = static_cast<int>(posix.year()) % 100;
  date::year_month_day ymd{date::year{rfc9110_year(yy, this_year)},
                           posix.month(), posix.day()};
  if (!ymd.ok() || date::weekday{date::sys_days{ymd}} != wd)
    return std::nullopt;
  sys_seconds u = date::sys_days{ymd} + (t - day);

  const char digits[3] = {char('0' + yy / 10), char('0' + yy % 10), 0};
  if (render("%A, %d-%b-", u) + digits + render(" %H:%M:%S GMT", u) != s)
    return std::nullopt;
  return u;
}

inline std::optional<sys_seconds> rfc5322(std::string_view s) {
  static constexpr std::array<const char*, 4> formats = {
      "%a, %d %b %Y %H:%M:%S %z", "%a, %d %b %Y %H:%M %z",
      "%d %b %Y %H:%M:%S %z", "%d %b %Y %H:%M %z"};
  if (s.size() < 9) return std::nullopt;
  std::string_view given_zone = s.substr(s.size() - 5);
  if ((given_zone[0] != '+' && given_zone[0] != '-') ||
      given_zone.find_first_not_of("0123456789", 1) != std::string_view::npos)
    return std::nullopt;
  for (std::size_t i = 0; i + 5 < s.size(); ++i)
    if (s[i] == '-' || s[i] == '+') return std::nullopt;
  for (std::size_t k = 0; k < formats.size(); ++k) {
    bool weekday = k < 2, with_seconds = k % 2 == 0;
    auto is = stream_of(s);
    sys_seconds t;
    minutes off{};
    is >> date::parse(formats[k], t, off);
    if (is.fail()) continue;

    // Rule 6: the zone's range, then its text.
    if (std::abs(off.count()) > 23 * 60 + 59) continue;
    if (s.size() < 9) continue;
    std::size_t sign_at = s.size() - 5;
    char sign = s[sign_at];
    if (sign != '+' && sign != '-') continue;
    if (off.count() != 0 && (sign == '-') != (off.count() < 0)) continue;
    int a = std::abs(static_cast<int>(off.count()));
    char zone[6] = {sign,
                    char('0' + a / 600),
                    char('0' + a / 60 % 10),
                    char('0' + a % 60 / 10),
                    char('0' + a % 10),
                    0};

    sys_seconds local = t + off;
    if (with_seconds && second_60_at(s, sign_at - 3)) continue;
    std::string tail =
        render(with_seconds ? " %b %Y %H:%M:%S " : " %b %Y %H:%M ", local) +
        zone;
    if (!with_seconds && date::format("%S", local) != "00") continue;
    std::string head = weekday ? render("%a, ", local) : std::string();
    std::string dd = render("%d", local);
    if (s == head + dd + tail) return t;
    if (dd[0] == '0' && s == head + dd.substr(1) + tail) return t;
  }
  return std::nullopt;
}

}  // namespace detail

// The instant and form the reference reads in text, trying the forms in
// sigreq's order; nothing when no form accepts it.
inline std::optional<reference_date> reference_parse_http_date(
    std::string_view text, int this_year) {
  if (detail::colon_without_digit(text)) return std::nullopt;
  if (auto t = detail::imf_fixdate(text))
    return reference_date{*t, sigreq::date_form::imf_fixdate};
  if (auto t = detail::rfc850(text, this_year))
    return reference_date{*t, sigreq::date_form::rfc850};
  if (auto t = detail::asctime(text))
    return reference_date{*t, sigreq::date_form::asctime};
  if (auto t = detail::rfc5322(text))
    return reference_date{*t, sigreq::date_form::rfc5322};
  return std::nullopt;
}

}  // namespace sigreq_fuzz
