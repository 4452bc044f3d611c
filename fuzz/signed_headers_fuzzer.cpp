// Header collection and the string to sign, from arbitrary header lists
// (duplicates, alternate names in any case, empty values, odd bytes).
// Checked against a plain restatement of the rules of signed_headers.hpp:
// a slot takes the value of the first of its names present; any name
// present twice, or a taken value over max_signed_value_size, refuses.
// The one-scan and the per-name lookup paths of request.hpp must agree,
// and header names compare equal exactly when they match ignoring ASCII
// case.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <sigreq/hash.hpp>
#include <sigreq/profiles.hpp>
#include <sigreq/request.hpp>
#include <sigreq/signed_headers.hpp>
#include <sigreq/string_to_sign.hpp>

#include "check.hpp"
#include "fuzz_request.hpp"

namespace {

bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    unsigned char x = static_cast<unsigned char>(a[i]);
    unsigned char y = static_cast<unsigned char>(b[i]);
    if (x >= 'A' && x <= 'Z') x = static_cast<unsigned char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<unsigned char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

// A view of a plain_request without for_each_header, so that the library
// takes its per-name lookup path (header_values) instead of one scan.
struct lookup_only {
  const sigreq::plain_request* r;
  std::string_view method() const noexcept { return r->method(); }
  std::string_view target() const noexcept { return r->target(); }
  auto header_values(std::string_view name) const noexcept {
    return r->header_values(name);
  }
};
static_assert(sigreq::request<lookup_only>);
static_assert(!sigreq::scannable_request<lookup_only>);

// header_values(name) walks exactly the values of that name, in order.
void check_values_of(const sigreq::plain_request& r, std::string_view name) {
  auto range = r.header_values(name);
  auto it = range.begin();
  for (const auto& f : r.fields()) {
    if (!same_name(f.name, name)) continue;
    SIGREQ_FUZZ_CHECK(it != range.end());
    SIGREQ_FUZZ_CHECK(*it == f.value);
    auto was = it++;
    SIGREQ_FUZZ_CHECK(*was == f.value);
  }
  SIGREQ_FUZZ_CHECK(it == range.end());
}

struct expected_slot {
  bool present = false;
  std::string_view value;
};

// What the rules say of one slot with these names, in priority order.
void expect_slot(const sigreq::plain_request& r,
                 std::vector<std::string_view> names, expected_slot& out,
                 bool& ambiguous, bool& oversized) {
  for (std::string_view name : names) {
    std::size_t n = 0;
    std::string_view first;
    for (const auto& f : r.fields())
      if (same_name(f.name, name) && n++ == 0) first = f.value;
    if (n > 1) ambiguous = true;
    if (n >= 1 && !out.present) {
      out.present = true;
      out.value = first;
      if (first.size() > sigreq::max_signed_value_size) oversized = true;
    }
  }
}

template <class Headers, class H>
void check_profile_headers(const sigreq::plain_request& r,
                           std::vector<std::vector<std::string_view>> slots,
                           std::string_view base_url) {
  std::vector<expected_slot> want(slots.size());
  bool ambiguous = false, oversized = false;
  for (std::size_t i = 0; i < slots.size(); ++i)
    expect_slot(r, slots[i], want[i], ambiguous, oversized);

  auto got = sigreq::collect_signed_headers<Headers, H>(r);
  auto looked_up = sigreq::collect_signed_headers<Headers, H>(lookup_only{&r});
  SIGREQ_FUZZ_CHECK(got.has_value() == looked_up.has_value());
  if (got) {
    SIGREQ_FUZZ_CHECK(got->values == looked_up->values);
    SIGREQ_FUZZ_CHECK(got->present == looked_up->present);
  } else {
    SIGREQ_FUZZ_CHECK(got.error() == looked_up.error());
  }
  for (const auto& names : slots)
    for (std::string_view name : names)
      check_values_of(r, name);
  if (!got) {
    SIGREQ_FUZZ_CHECK(ambiguous || oversized);
    SIGREQ_FUZZ_CHECK(got.error() != sigreq::refusal::ambiguous_header ||
                      ambiguous);
    SIGREQ_FUZZ_CHECK(got.error() != sigreq::refusal::oversized_input ||
                      oversized);
    SIGREQ_FUZZ_CHECK(got.error() == sigreq::refusal::ambiguous_header ||
                      got.error() == sigreq::refusal::oversized_input);
    return;
  }
  SIGREQ_FUZZ_CHECK(!ambiguous && !oversized);

  std::string joined;
  for (std::size_t i = 0; i < slots.size(); ++i) {
    SIGREQ_FUZZ_CHECK(got->present[i] == want[i].present);
    SIGREQ_FUZZ_CHECK(got->values[i] == want[i].value);
    joined.append(want[i].value);
  }

  std::string s = sigreq::string_to_sign(
      r.method(), sigreq::url_pieces{base_url, {}, r.target()}, got->values);
  std::string expect = std::string(r.method()) + std::string(base_url) +
                       std::string(r.target()) + joined;
  SIGREQ_FUZZ_CHECK(s == expect);
}

struct with_request_id : sigreq::profiles::cubicweb {
  using hash = sigreq::hash::sha256;
  using headers =
      sigreq::signed_headers<sigreq::content_digest,
                             sigreq::field<"Content-Type">, date_field,
                             sigreq::field<"X-Request-Id">>;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  auto cut = sigreq_fuzz::cut(sigreq_fuzz::as_text(data, size), false);
  const auto& r = cut.request;

  using cubicweb = sigreq::profiles::cubicweb;
  check_profile_headers<cubicweb::headers, cubicweb::hash>(
      r, {{"Content-SHA512"}, {"Content-Type"}, {"X-Cubicweb-Date", "Date"}},
      "https://api.example.org");
  using md5 = sigreq::profiles::cubicweb_md5_legacy;
  check_profile_headers<md5::headers, md5::hash>(
      r, {{"Content-MD5"}, {"Content-Type"}, {"X-Cubicweb-Date", "Date"}}, "");
  check_profile_headers<with_request_id::headers, with_request_id::hash>(
      r,
      {{"Content-SHA256"},
       {"Content-Type"},
       {"X-Cubicweb-Date", "Date"},
       {"X-Request-Id"}},
      "http://127.0.0.1:8080/prefix");

  // Names compare without regard to ASCII case only: the word-at-a-time
  // comparison against a byte loop, for every pair of the first names.
  const auto& fields = r.fields();
  std::size_t n = std::min<std::size_t>(fields.size(), 8);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      SIGREQ_FUZZ_CHECK(
          sigreq::detail::iequals(fields[i].name, fields[j].name) ==
          same_name(fields[i].name, fields[j].name));

  // A slot outside the signed list, as the verifier reads Host.
  auto host = sigreq::collect_slot<sigreq::field<"Host">, cubicweb::hash>(r);
  expected_slot want;
  bool ambiguous = false, oversized = false;
  expect_slot(r, {"Host"}, want, ambiguous, oversized);
  SIGREQ_FUZZ_CHECK(host.has_value() == (!ambiguous && !oversized));
  if (host) {
    SIGREQ_FUZZ_CHECK(host->present[0] == want.present);
    SIGREQ_FUZZ_CHECK(host->values[0] == want.value);
  }
  return 0;
}
