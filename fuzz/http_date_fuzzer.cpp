// Differential: sigreq::parse_http_date against the date::parse reference
// of reference_http_date.hpp. Both accept or both refuse, and when they
// accept they read the same instant in the same form. RFC 850 dates are
// read for several values of this_year, around the 50-year boundary.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <sigreq/http_date.hpp>

#include "check.hpp"
#include "fuzz_request.hpp"
#include "reference_http_date.hpp"

namespace {

// Longer than any accepted form ("Wednesday, 06-Nov-94 08:49:37 GMT").
constexpr std::size_t longest_date = 40;

constexpr std::array<int, 8> years = {1970, 1999, 2026, 2049,
                                      2050, 2075, 2099, 2100};

void agree(std::string_view text, int this_year,
           const std::optional<sigreq_fuzz::reference_date>& ref) {
  auto lib = sigreq::parse_http_date(text, this_year);
  SIGREQ_FUZZ_CHECK(lib.has_value() == ref.has_value());
  if (!lib) {
    SIGREQ_FUZZ_CHECK(lib.error() == sigreq::refusal::malformed_date);
    return;
  }
  SIGREQ_FUZZ_CHECK(lib->time == ref->time);
  SIGREQ_FUZZ_CHECK(lib->form == ref->form);

  // What the signer writes for that instant reads back as the same one.
  std::string fixdate = sigreq::format_imf_fixdate(lib->time);
  auto back = sigreq::parse_http_date(fixdate, this_year);
  SIGREQ_FUZZ_CHECK(back.has_value());
  SIGREQ_FUZZ_CHECK(back->time == lib->time);
  SIGREQ_FUZZ_CHECK(back->form == sigreq::date_form::imf_fixdate);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::string_view text = sigreq_fuzz::as_text(data, size);
  if (text.size() > longest_date) {
    for (int y : years)
      SIGREQ_FUZZ_CHECK(!sigreq::parse_http_date(text, y));
    return 0;
  }

  // The forms that do not depend on this_year are read once.
  namespace ref = sigreq_fuzz::detail;
  using sigreq::date_form;
  std::optional<sigreq_fuzz::reference_date> fixed;
  if (ref::colon_without_digit(text)) {
    for (int y : years)
      agree(text, y, std::nullopt);
    return 0;
  }
  if (auto t = ref::imf_fixdate(text)) fixed = {*t, date_form::imf_fixdate};
  bool maybe_rfc850 = !fixed && text.find('-') != std::string_view::npos;
  if (!fixed && !maybe_rfc850) {
    if (auto a = ref::asctime(text))
      fixed = {*a, date_form::asctime};
    else if (auto z = ref::rfc5322(text))
      fixed = {*z, date_form::rfc5322};
  }

  for (int y : years) {
    std::optional<sigreq_fuzz::reference_date> r = fixed;
    if (maybe_rfc850) r = sigreq_fuzz::reference_parse_http_date(text, y);
    agree(text, y, r);
  }
  return 0;
}
