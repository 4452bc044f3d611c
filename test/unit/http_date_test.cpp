// Dates of the Date header: the three HTTP-date forms of RFC 9110 and
// RFC 5322 dates with a numeric zone, valid and invalid, table-driven.
#define BOOST_TEST_MODULE http_date
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <sigreq/http_date.hpp>

namespace {

using sigreq::date_form;
using namespace std::chrono_literals;

constexpr int this_year = 2026;

struct valid_case {
  std::string text;
  std::int64_t epoch;
  date_form form;
};

std::int64_t epoch_of(const sigreq::http_date& d) {
  return d.time.time_since_epoch().count();
}

void check_valid(const std::vector<valid_case>& cases, int year = this_year) {
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT("'" << c.text << "'") {
      auto d = sigreq::parse_http_date(c.text, year);
      BOOST_TEST_REQUIRE(static_cast<bool>(d));
      BOOST_TEST(epoch_of(*d) == c.epoch);
      BOOST_TEST((d->form == c.form));
    }
  }
}

void check_malformed(const std::vector<std::string>& cases) {
  for (const auto& text : cases) {
    auto d = sigreq::parse_http_date(text, this_year);
    BOOST_TEST((!d && d.error() == sigreq::refusal::malformed_date),
               "'" << text << "' is accepted");
  }
}

// Sun, 06 Nov 1994 08:49:37 GMT, the example of RFC 9110.
constexpr std::int64_t rfc_example = 784111777;

}  // namespace

BOOST_AUTO_TEST_SUITE(unit)
BOOST_AUTO_TEST_SUITE(http_date)

BOOST_AUTO_TEST_CASE(accepts_each_http_date_form) {
  check_valid({
      {"Sun, 06 Nov 1994 08:49:37 GMT", rfc_example, date_form::imf_fixdate},
      {"Sunday, 06-Nov-94 08:49:37 GMT", rfc_example, date_form::rfc850},
      {"Sun Nov  6 08:49:37 1994", rfc_example, date_form::asctime},
      {"Sun Nov 06 08:49:37 1994", rfc_example, date_form::asctime},
      {"Wed Nov 16 08:49:37 1994", rfc_example + 10 * 86400,
       date_form::asctime},
      {"Thu, 01 Jan 1970 00:00:00 GMT", 0, date_form::imf_fixdate},
      {"Fri, 31 Dec 1999 23:59:59 GMT", 946684799, date_form::imf_fixdate},
      {"Fri, 15 Jan 2027 08:00:00 GMT", 1800000000, date_form::imf_fixdate},
  });
}

BOOST_AUTO_TEST_CASE(honours_the_numeric_zone_of_rfc5322_dates) {
  check_valid({
      {"Sun, 06 Nov 1994 10:49:37 +0200", rfc_example, date_form::rfc5322},
      {"Sun, 6 Nov 1994 10:49:37 +0200", rfc_example, date_form::rfc5322},
      {"6 Nov 1994 10:49:37 +0200", rfc_example, date_form::rfc5322},
      {"Sun, 06 Nov 1994 08:49:37 -0000", rfc_example, date_form::rfc5322},
      {"Sun, 06 Nov 1994 08:49:37 +0000", rfc_example, date_form::rfc5322},
      {"Sun, 06 Nov 1994 07:19:37 -0130", rfc_example, date_form::rfc5322},
      {"Sun, 06 Nov 1994 08:49:37 +2359", rfc_example - 86340,
       date_form::rfc5322},
      {"6 Nov 1994 08:49 +0000", rfc_example - 37, date_form::rfc5322},
      // The weekday is that of the local date, a day after UTC's.
      {"Mon, 07 Nov 1994 01:00:00 +0200", 784162800, date_form::rfc5322},
  });
}

BOOST_AUTO_TEST_CASE(expands_rfc850_years_by_the_fifty_year_rule) {
  check_valid({
      {"Sunday, 06-Nov-94 08:49:37 GMT", rfc_example, date_form::rfc850},
      // 2076 is fifty years ahead of 2026, not more: kept.
      {"Wednesday, 01-Jan-76 00:00:00 GMT", 3345062400, date_form::rfc850},
      // 2077 would be more than fifty years ahead: 1977.
      {"Saturday, 01-Jan-77 00:00:00 GMT", 220924800, date_form::rfc850},
      {"Thursday, 29-Feb-24 12:00:00 GMT", 1709208000, date_form::rfc850},
  });
}

BOOST_AUTO_TEST_CASE(reads_rfc850_years_within_fifty_years_of_this_year) {
  // In 2070, two digits name a year in (2020, 2120].
  check_valid(
      {
          {"Friday, 01-Jan-21 00:00:00 GMT", 1609459200, date_form::rfc850},
          {"Monday, 01-Jan-20 00:00:00 GMT", 4733510400, date_form::rfc850},
      },
      2070);
}

BOOST_AUTO_TEST_CASE(accepts_february_29_of_leap_years) {
  check_valid({
      {"Thu, 29 Feb 2024 12:00:00 GMT", 1709208000, date_form::imf_fixdate},
      {"Thu, 29 Feb 2024 23:59:59 GMT", 1709251199, date_form::imf_fixdate},
      {"Tue, 29 Feb 2000 00:00:00 GMT", 951782400, date_form::imf_fixdate},
      {"Thu Feb 29 12:00:00 2024", 1709208000, date_form::asctime},
  });
}

BOOST_AUTO_TEST_CASE(refuses_impossible_calendar_dates) {
  check_malformed({
      "Wed, 29 Feb 2023 12:00:00 GMT",
      "Thu, 29 Feb 1900 12:00:00 GMT",
      "Fri, 30 Feb 2024 12:00:00 GMT",
      "Wednesday, 29-Feb-23 12:00:00 GMT",
      "Sun, 00 Nov 1994 08:49:37 GMT",
      "Tue, 31 Apr 2024 12:00:00 GMT",
      "Sun, 32 Oct 1994 08:49:37 GMT",
  });
}

BOOST_AUTO_TEST_CASE(refuses_impossible_times_of_day) {
  check_malformed({
      "Sun, 06 Nov 1994 24:00:00 GMT",
      "Sun, 06 Nov 1994 23:59:60 GMT",
      "Sun, 06 Nov 1994 08:60:37 GMT",
      "Sun, 06 Nov 1994 99:49:37 GMT",
      "Sun Nov  6 24:00:00 1994",
      "Sunday, 06-Nov-94 23:59:60 GMT",
      "Sun, 06 Nov 1994 24:00:00 +0000",
  });
}

BOOST_AUTO_TEST_CASE(refuses_a_weekday_that_is_not_the_dates) {
  check_malformed({
      "Mon, 06 Nov 1994 08:49:37 GMT",
      "Monday, 06-Nov-94 08:49:37 GMT",
      "Mon Nov  6 08:49:37 1994",
      "Mon, 6 Nov 1994 10:49:37 +0200",
      "Sun, 07 Nov 1994 01:00:00 +0200",
  });
}

BOOST_AUTO_TEST_CASE(refuses_trailing_and_leading_bytes) {
  using namespace std::string_literals;
  check_malformed({
      "Sun, 06 Nov 1994 08:49:37 GMTx",
      "Sun, 06 Nov 1994 08:49:37 GMT ",
      " Sun, 06 Nov 1994 08:49:37 GMT",
      "\tSun, 06 Nov 1994 08:49:37 GMT",
      "Sun, 06 Nov 1994 08:49:37 GMT\0"s,
      "Sun, 06 Nov 1994 08:49:37 +0200 (CEST)",
      "Sun Nov  6 08:49:37 1994 ",
      "Sunday, 06-Nov-94 08:49:37 GMT,",
  });
}

BOOST_AUTO_TEST_CASE(refuses_names_in_another_case) {
  check_malformed({
      "Sun, 06 nov 1994 08:49:37 GMT",
      "Sun, 06 NOV 1994 08:49:37 GMT",
      "sun, 06 Nov 1994 08:49:37 GMT",
      "Sun, 06 Nov 1994 08:49:37 gmt",
      "sunday, 06-Nov-94 08:49:37 GMT",
      "Sun nov  6 08:49:37 1994",
  });
}

BOOST_AUTO_TEST_CASE(refuses_malformed_fields_and_separators) {
  check_malformed({
      "",
      "Sun, 06 Nov 1994 08:49",
      "Sun, 06 Nov 1994 08:49:37",
      "Sun, 06 Nov 1994 08:49:37 UTC",
      "Sun, 06 Nov 1994 08:49:37 Z",
      "Sun,  06 Nov 1994 08:49:37 GMT",
      "Sun, 06 Nov 94 08:49:37 GMT",
      "Sun, 6 Nov 1994 08:49:37 GMT",
      "Sun, 06 Nov 1994 8:49:37 GMT",
      "Sun Nov 6 08:49:37 1994",
      "Sun, 06-Nov-94 08:49:37 GMT",
      "Sunday, 06-Nov-1994 08:49:37 GMT",
      "Sunday, 06 Nov 1994 08:49:37 GMT",
      "Sun, 06 Nov 1994 08:49:37 +2400",
      "Sun, 06 Nov 1994 08:49:37 +0060",
      "Sun, 06 Nov 1994 08:49:37 +020",
      "Sun, 06 Nov 1994 08:49:37 0200",
      "Sun, 06 Nov 1994 08:49:37 +02:00",
      "Sun, 06 Xyz 1994 08:49:37 GMT",
      "Sun 06 Nov 1994 08:49:37 GMT",
      "1994-11-06T08:49:37Z",
      "784111777",
  });
}

BOOST_AUTO_TEST_CASE(formats_imf_fixdate_as_rfc9110_writes_it) {
  using std::chrono::sys_seconds;
  BOOST_TEST(sigreq::format_imf_fixdate(sys_seconds{784111777s}) ==
             "Sun, 06 Nov 1994 08:49:37 GMT");
  BOOST_TEST(sigreq::format_imf_fixdate(sys_seconds{0s}) ==
             "Thu, 01 Jan 1970 00:00:00 GMT");
  BOOST_TEST(sigreq::format_imf_fixdate(sys_seconds{1709251199s}) ==
             "Thu, 29 Feb 2024 23:59:59 GMT");
}

BOOST_AUTO_TEST_CASE(parse_of_formatted_imf_fixdate_gives_back_the_time) {
  using std::chrono::sys_seconds;
  // Every 7 hours 13 minutes 11 seconds over some sixty years.
  for (std::int64_t t = 0; t < 2'000'000'000; t += 25991) {
    sys_seconds at{std::chrono::seconds{t}};
    std::string text = sigreq::format_imf_fixdate(at);
    auto d = sigreq::parse_http_date(text, sigreq::civil_year(at));
    if (!d || d->time != at || d->form != date_form::imf_fixdate) {
      BOOST_ERROR("round trip of " << t << " via '" << text << "'");
      break;
    }
  }
}

BOOST_AUTO_TEST_CASE(civil_year_is_the_utc_year) {
  using std::chrono::sys_seconds;
  BOOST_TEST(sigreq::civil_year(sys_seconds{946684799s}) == 1999);
  BOOST_TEST(sigreq::civil_year(sys_seconds{946684800s}) == 2000);
}

BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()
