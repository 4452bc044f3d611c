// The functions that read attacker input are noexcept, and keep their word
// on arbitrary bytes.
#define BOOST_TEST_MODULE noexcept
#include <boost/test/unit_test.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include <boost/beast/http.hpp>
#include <sigreq/beast.hpp>

#include "fixture.hpp"

namespace {

namespace http = boost::beast::http;
using beast_view = sigreq::beast_request<http::string_body, http::fields>;
using verifier_type = fixture::verifier<>;
using pending_type = verifier_type::pending;
using guarded_verifier = fixture::verifier<sigreq::in_memory_replay_guard>;

// The verifier, for both request adapters and with a replay guard.
static_assert(noexcept(std::declval<const verifier_type&>().verify(
    std::declval<const sigreq::plain_request&>(), std::string_view())));
static_assert(noexcept(std::declval<const verifier_type&>().verify(
    std::declval<const beast_view&>(), std::string_view())));
static_assert(noexcept(std::declval<const guarded_verifier&>().verify(
    std::declval<const sigreq::plain_request&>(), std::string_view())));
static_assert(noexcept(std::declval<const verifier_type&>().begin(
    std::declval<const sigreq::plain_request&>())));
static_assert(noexcept(std::declval<const verifier_type&>().begin(
    std::declval<const beast_view&>())));
static_assert(
    noexcept(std::declval<pending_type&>().update(std::string_view())));
static_assert(noexcept(std::declval<pending_type&>().finish()));
static_assert(noexcept(std::declval<const pending_type&>().refused()));

// The parsers.
static_assert(noexcept(sigreq::parse_authorization(std::string_view(),
                                                   std::string_view())));
static_assert(noexcept(sigreq::parse_http_date(std::string_view(), 2026)));
static_assert(noexcept(sigreq::decode_hex(std::string_view(),
                                          std::span<std::uint8_t>())));
static_assert(noexcept(sigreq::is_lower_hex(std::string_view(), 0)));
static_assert(noexcept(sigreq::constant_time_equal(std::string_view(),
                                                   std::string_view())));
static_assert(noexcept(sigreq::collect_signed_headers<fixture::profile::headers,
                                                      sigreq::hash::sha512>(
    std::declval<const sigreq::plain_request&>())));
static_assert(noexcept(sigreq::collect_signed_headers<fixture::profile::headers,
                                                      sigreq::hash::sha512>(
    std::declval<const beast_view&>())));

// What the verifier calls on the policies.
static_assert(
    noexcept(std::declval<const fixture::store&>().find(std::string_view())));
static_assert(
    noexcept(std::declval<sigreq::in_memory_replay_guard&>().check_and_record(
        std::string_view(), std::string_view(),
        std::declval<std::chrono::sys_seconds>(),
        std::declval<std::chrono::sys_seconds>())));
static_assert(noexcept(
    std::declval<const sigreq::hmac_key<sigreq::hash::sha512>&>().start()));
static_assert(noexcept(std::declval<const sigreq::settable_clock&>().now()));

// A small deterministic generator, so that a failure can be replayed.
struct lcg {
  std::uint64_t state;
  std::uint8_t next() {
    state = state * 6364136223846793005u + 1442695040888963407u;
    return static_cast<std::uint8_t>(state >> 56);
  }
};

std::string bytes(lcg& g, std::size_t n) {
  std::string s(n, '\0');
  for (char& c : s)
    c = static_cast<char>(g.next());
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(unit)
BOOST_AUTO_TEST_SUITE(noexcept_)

BOOST_AUTO_TEST_CASE(verify_refuses_requests_of_arbitrary_bytes) {
  fixture::tokens tokens;
  verifier_type v(tokens.s, fixture::options(),
                  sigreq::settable_clock(fixture::now));
  lcg g{12345};
  const std::array<std::string, 6> names = {"Authorization",   "Date",
                                            "Content-SHA512",  "Content-Type",
                                            "X-Cubicweb-Date", "Host"};
  for (int i = 0; i < 5000; ++i) {
    sigreq::plain_request r(bytes(g, g.next() % 8), "/" + bytes(g, g.next()));
    for (const auto& name : names)
      if (g.next() & 1) r.add(name, bytes(g, g.next() % 200));
    if (g.next() & 1) r.set("Authorization", "Cubicweb tok-1:" + bytes(g, 128));
    auto who = v.verify(r, bytes(g, g.next() % 64));
    if (who) BOOST_ERROR("random request " << i << " accepted");
  }
}

BOOST_AUTO_TEST_CASE(date_and_authorization_parsers_refuse_arbitrary_bytes) {
  lcg g{777};
  for (int i = 0; i < 20000; ++i) {
    std::string s = bytes(g, g.next() % 40);
    if (sigreq::parse_http_date(s, 2026) &&
        sigreq::parse_http_date(s, 2026)->form ==
            sigreq::date_form::imf_fixdate &&
        sigreq::format_imf_fixdate(sigreq::parse_http_date(s, 2026)->time) != s)
      BOOST_ERROR("'" << s << "' parsed as a different date");
    auto a = sigreq::parse_authorization(s, "Cubicweb");
    if (a && !s.starts_with("Cubicweb"))
      BOOST_ERROR("'" << s << "' parsed as Cubicweb credentials");
  }
}

BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()
