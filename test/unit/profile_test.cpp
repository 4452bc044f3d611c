// A profile composed by a user, as profiles.hpp shows: SHA-256 and one more
// signed header, X-Request-Id.
#define BOOST_TEST_MODULE profile
#include <boost/test/unit_test.hpp>

#include <string>
#include <string_view>

#include "fixture.hpp"

#include <cryptopp/filters.h>
#include <cryptopp/hex.h>
#include <cryptopp/hmac.h>
#include <cryptopp/sha.h>

namespace {

struct sha256_with_request_id : sigreq::profiles::cubicweb {
  using hash = sigreq::hash::sha256;
  using headers =
      sigreq::signed_headers<sigreq::content_digest,
                             sigreq::field<"Content-Type">, date_field,
                             sigreq::field<"X-Request-Id">>;
};

static_assert(sigreq::profile<sha256_with_request_id>);
static_assert(sigreq::check_profile<sha256_with_request_id>());

using sigreq::refusal;
using store_type = sigreq::in_memory_token_store<sigreq::hash::sha256>;
using verifier_type = sigreq::verifier<sha256_with_request_id, store_type,
                                       sigreq::settable_clock>;

const std::string body = R"({"name": "x"})";

sigreq::plain_request signed_with_id(std::string request_id) {
  sigreq::plain_request r("POST", "/items");
  r.add("Content-Type", "application/json");
  r.add("X-Request-Id", std::move(request_id));
  sigreq::signer<sha256_with_request_id> s(std::string(fixture::token_id),
                                           fixture::secret);
  BOOST_TEST_REQUIRE(
      (s.sign(r, fixture::url("/items"), body, fixture::now) == refusal{}));
  return r;
}

struct setup {
  store_type store;
  verifier_type verifier;
  setup()
      : verifier(fill(store), fixture::options(),
                 sigreq::settable_clock(fixture::now)) {}
  static const store_type& fill(store_type& s) {
    s.insert(std::string(fixture::token_id), fixture::secret, "alice");
    return s;
  }
};

template <class T>
std::string_view outcome(const sigreq::result<T>& r) {
  return sigreq::message(r ? refusal{} : r.error());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(unit)
BOOST_AUTO_TEST_SUITE(profile)

BOOST_AUTO_TEST_CASE(composed_profile_signs_sha256_digest_and_extra_header) {
  auto r = signed_with_id("req-7f3a");
  // SHA-256 of {"name": "x"}.
  std::string digest(fixture::value_of(r, "Content-SHA256"));
  BOOST_TEST(digest.size() == 64u);
  BOOST_TEST(fixture::value_of(r, "Content-SHA512").empty());

  auto values = sigreq::collect_signed_headers<sha256_with_request_id::headers,
                                               sigreq::hash::sha256>(r);
  BOOST_TEST_REQUIRE(static_cast<bool>(values));
  std::string to_sign = sigreq::string_to_sign(
      r.method(), {fixture::base_url, {}, r.target()}, values->values);
  BOOST_TEST(to_sign ==
             "POST"
             "https://api.example.org/cw/items" +
                 digest +
                 "application/json"
                 "Fri, 15 Jan 2027 08:00:00 GMT"
                 "req-7f3a");

  CryptoPP::HMAC<CryptoPP::SHA256> mac(
      reinterpret_cast<const CryptoPP::byte*>(fixture::secret.data()),
      fixture::secret.size());
  std::string expected;
  CryptoPP::StringSource pipe(
      to_sign, true,
      new CryptoPP::HashFilter(
          mac,
          new CryptoPP::HexEncoder(new CryptoPP::StringSink(expected), false)));
  BOOST_TEST(fixture::value_of(r, "Authorization") ==
             "Cubicweb tok-1:" + expected);
}

BOOST_AUTO_TEST_CASE(composed_profile_verifies_its_own_signature) {
  setup s;
  auto who = s.verifier.verify(signed_with_id("req-7f3a"), body);
  BOOST_TEST_REQUIRE(outcome(who) == "accepted");
  BOOST_TEST(who->principal == "alice");
}

BOOST_AUTO_TEST_CASE(composed_profile_refuses_changed_extra_header) {
  setup s;
  auto r =
      fixture::with(signed_with_id("req-7f3a"), "X-Request-Id", "req-7f3b");
  BOOST_TEST(outcome(s.verifier.verify(r, body)) ==
             sigreq::message(refusal::bad_signature));
}

BOOST_AUTO_TEST_CASE(composed_profile_refuses_removed_extra_header) {
  setup s;
  auto r = fixture::without(signed_with_id("req-7f3a"), "X-Request-Id");
  BOOST_TEST(outcome(s.verifier.verify(r, body)) ==
             sigreq::message(refusal::bad_signature));
}

BOOST_AUTO_TEST_CASE(composed_profile_refuses_extra_header_present_twice) {
  setup s;
  auto r = signed_with_id("req-7f3a");
  r.add("x-request-id", "req-7f3a");
  BOOST_TEST(outcome(s.verifier.verify(r, body)) ==
             sigreq::message(refusal::ambiguous_header));
}

BOOST_AUTO_TEST_CASE(composed_profile_refuses_default_profile_signature) {
  setup s;
  auto r = fixture::signed_request("POST", "/items", body, "application/json");
  BOOST_TEST(outcome(s.verifier.verify(r, body)) ==
             sigreq::message(refusal::malformed_authorization));
}

BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()
