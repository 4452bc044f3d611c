// The Cubicweb scheme end to end in memory: what is signed, that an
// independent HMAC agrees, and every reason a request can be refused.
#define BOOST_TEST_MODULE scheme
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "fixture.hpp"

#include <cryptopp/filters.h>
#include <cryptopp/hex.h>
#include <cryptopp/hmac.h>
#include <cryptopp/md5.h>
#include <cryptopp/sha.h>

namespace {

using namespace std::chrono_literals;
using fixture::now;
using sigreq::refusal;

constexpr std::string_view empty_sha512 =
    "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
    "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";
constexpr std::string_view date_now = "Fri, 15 Jan 2027 08:00:00 GMT";

// "accepted" or the reason, so that failures print something readable.
template <class T>
std::string_view outcome(const sigreq::result<T>& r) {
  return sigreq::message(r ? refusal{} : r.error());
}
constexpr std::string_view accepted = "accepted";
constexpr std::string_view reason(refusal r) {
  return sigreq::message(r);
}

// A fresh store and a verifier at the fixture's instant.
struct setup {
  fixture::tokens tokens;
  fixture::verifier<> verifier;
  explicit setup(sigreq::verifier_options o = fixture::options())
      : verifier(tokens.s, std::move(o), sigreq::settable_clock(now)) {}
};

template <class Mac>
std::string independent_hmac(std::string_view to_sign) {
  Mac mac(reinterpret_cast<const CryptoPP::byte*>(fixture::secret.data()),
          fixture::secret.size());
  std::string out;
  CryptoPP::StringSource pipe(
      std::string(to_sign), true,
      new CryptoPP::HashFilter(
          mac, new CryptoPP::HexEncoder(new CryptoPP::StringSink(out),
                                        /*uppercase=*/false)));
  return out;
}

std::string signature_of(const sigreq::plain_request& r) {
  auto a = sigreq::parse_authorization(fixture::value_of(r, "Authorization"),
                                       "Cubicweb");
  BOOST_TEST_REQUIRE(static_cast<bool>(a));
  return std::string(a->signature);
}

template <class Profile = fixture::profile>
std::string string_to_sign_of(const sigreq::plain_request& r,
                              std::string_view base = fixture::base_url) {
  auto values = sigreq::collect_signed_headers<typename Profile::headers,
                                               typename Profile::hash>(r);
  BOOST_TEST_REQUIRE(static_cast<bool>(values));
  return sigreq::string_to_sign(r.method(), {base, {}, r.target()},
                                values->values);
}

// The four requests whose string to sign is written out by hand.
void check_scheme_case(const sigreq::plain_request& r, std::string_view body,
                       std::string_view expected_digest,
                       std::string_view expected_to_sign) {
  BOOST_TEST(fixture::value_of(r, "Content-SHA512") == expected_digest);
  BOOST_TEST(fixture::value_of(r, "Date") == date_now);

  std::string to_sign = string_to_sign_of(r);
  BOOST_TEST(to_sign == expected_to_sign);
  BOOST_TEST(signature_of(r) ==
             independent_hmac<CryptoPP::HMAC<CryptoPP::SHA512>>(to_sign));

  setup s;
  auto who = s.verifier.verify(r, body);
  BOOST_TEST_REQUIRE(outcome(who) == accepted);
  BOOST_TEST(who->principal == fixture::principal);
  BOOST_TEST(who->token_id == fixture::token_id);
}

// The request with its Authorization signature's last hex digit changed.
sigreq::plain_request with_bad_signature(const sigreq::plain_request& r) {
  auto a = sigreq::parse_authorization(fixture::value_of(r, "Authorization"),
                                       "Cubicweb");
  BOOST_TEST_REQUIRE(static_cast<bool>(a));
  std::string sig(a->signature);
  sig.back() = sig.back() == '0' ? '1' : '0';
  return fixture::with(r, "Authorization",
                       "Cubicweb " + std::string(a->token_id) + ":" + sig);
}

// Signs r as it stands, adding nothing (no date, no digest).
void sign_as_is(sigreq::plain_request& r) {
  sigreq::signer<fixture::profile> s(std::string(fixture::token_id),
                                     fixture::secret);
  auto sig = s.signature(r, fixture::url(r.target()));
  BOOST_TEST_REQUIRE(static_cast<bool>(sig));
  r.set("Authorization",
        "Cubicweb " + std::string(fixture::token_id) + ":" + *sig);
}

sigreq::plain_request get(std::string target = "/items/42",
                          std::chrono::sys_seconds at = now) {
  return fixture::signed_request("GET", std::move(target), {}, {}, at);
}

const std::string form_body = "title=Hello+world&count=3";
sigreq::plain_request form_post() {
  return fixture::signed_request("POST", "/items", form_body,
                                 "application/x-www-form-urlencoded");
}

// 16 entries: one a shard of the in-memory guard.
constexpr std::size_t guard_entries = 16;

// Verifies distinct requests until the guard holds guard_entries; false
// when that takes more than 2000 requests.
template <class V>
bool fill(const V& v, const sigreq::in_memory_replay_guard& guard,
          const std::string& prefix, std::chrono::sys_seconds at) {
  for (int i = 0; i < 2000 && guard.size() < guard_entries; ++i) {
    auto who = v.verify(get(prefix + std::to_string(i), at));
    if (!who && who.error() != refusal::replay_guard_full) return false;
  }
  return guard.size() == guard_entries;
}

// A clock that reads another, so that a test can move time under a verifier.
struct shared_clock {
  const sigreq::settable_clock* source;
  std::chrono::sys_seconds now() const noexcept { return source->now(); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(unit)
BOOST_AUTO_TEST_SUITE(scheme)

// --- what is signed --------------------------------------------------------

BOOST_AUTO_TEST_CASE(get_signs_method_url_empty_body_digest_and_date) {
  auto r = get();
  check_scheme_case(
      r, {}, empty_sha512,
      "GET"
      "https://api.example.org/cw/items/42"
      "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
      "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"
      "Fri, 15 Jan 2027 08:00:00 GMT");
}

BOOST_AUTO_TEST_CASE(form_post_signs_body_digest_and_content_type) {
  auto r = form_post();
  check_scheme_case(
      r, form_body,
      "09e5a4d6c3f643be17bfaea9906a85c6c896aaf95f79a89283aa524ba640362f"
      "eef2d36a47d2d87e4e8fb437c6fae5cbdbd08596d0350f094360249190c903fe",
      "POST"
      "https://api.example.org/cw/items"
      "09e5a4d6c3f643be17bfaea9906a85c6c896aaf95f79a89283aa524ba640362f"
      "eef2d36a47d2d87e4e8fb437c6fae5cbdbd08596d0350f094360249190c903fe"
      "application/x-www-form-urlencoded"
      "Fri, 15 Jan 2027 08:00:00 GMT");
}

BOOST_AUTO_TEST_CASE(multipart_post_signs_content_type_with_its_boundary) {
  const std::string body =
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"title\"\r\n"
      "\r\n"
      "report\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
      "Content-Type: text/plain\r\n"
      "\r\n"
      "line one\nline two\n\r\n"
      "--XyZ--\r\n";
  auto r = fixture::signed_request("POST", "/upload", body,
                                   "multipart/form-data; boundary=XyZ");
  check_scheme_case(
      r, body,
      "4b46bd03451549d0f7ca0887ecb6af0bf70ebe66bd0b844a9072460dce27d216"
      "cfd80371d99db596143c400717f10acf63d1e7c586ae028faeed704ff7e87f11",
      "POST"
      "https://api.example.org/cw/upload"
      "4b46bd03451549d0f7ca0887ecb6af0bf70ebe66bd0b844a9072460dce27d216"
      "cfd80371d99db596143c400717f10acf63d1e7c586ae028faeed704ff7e87f11"
      "multipart/form-data; boundary=XyZ"
      "Fri, 15 Jan 2027 08:00:00 GMT");
}

BOOST_AUTO_TEST_CASE(post_with_query_signs_the_target_with_its_query) {
  const std::string body = R"({"rql": "Any X WHERE X is CWUser"})";
  auto r = fixture::signed_request("POST", "/rql?vid=json&limit=10", body,
                                   "application/json");
  check_scheme_case(
      r, body,
      "b21ca4cff14dd0135cb815e66e568c4273ebbe151598b1a593e2bf539b08f794"
      "edb04d49b26c1e5d09d69ac607fba6032fb27916bccf727b8d9a7ad453092536",
      "POST"
      "https://api.example.org/cw/rql?vid=json&limit=10"
      "b21ca4cff14dd0135cb815e66e568c4273ebbe151598b1a593e2bf539b08f794"
      "edb04d49b26c1e5d09d69ac607fba6032fb27916bccf727b8d9a7ad453092536"
      "application/json"
      "Fri, 15 Jan 2027 08:00:00 GMT");
}

BOOST_AUTO_TEST_CASE(trailing_slash_of_base_url_is_not_signed) {
  setup s({.base_url = std::string(fixture::base_url) + "/"});
  BOOST_TEST(outcome(s.verifier.verify(get())) == accepted);
}

// --- Authorization -----------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_request_without_authorization) {
  setup s;
  auto r = fixture::without(get(), "Authorization");
  BOOST_TEST(outcome(s.verifier.verify(r)) ==
             reason(refusal::missing_authorization));
}

BOOST_AUTO_TEST_CASE(refuses_authorization_without_colon) {
  setup s;
  auto r = fixture::with(get(), "Authorization", "Cubicweb tok-1");
  BOOST_TEST(outcome(s.verifier.verify(r)) ==
             reason(refusal::malformed_authorization));
}

BOOST_AUTO_TEST_CASE(refuses_signature_shorter_than_the_hash) {
  setup s;
  auto r = get();
  std::string sig = signature_of(r);
  sig.pop_back();
  r = fixture::with(r, "Authorization", "Cubicweb tok-1:" + sig);
  BOOST_TEST(outcome(s.verifier.verify(r)) ==
             reason(refusal::malformed_authorization));
}

BOOST_AUTO_TEST_CASE(refuses_signature_in_uppercase_hex) {
  setup s;
  auto r = get();
  std::string sig = signature_of(r);
  for (char& c : sig)
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
  r = fixture::with(r, "Authorization", "Cubicweb tok-1:" + sig);
  BOOST_TEST(outcome(s.verifier.verify(r)) ==
             reason(refusal::malformed_authorization));
}

BOOST_AUTO_TEST_CASE(refuses_signature_holding_control_bytes) {
  setup s;
  auto r = get();
  std::string sig = signature_of(r);
  sig[10] = '\n';
  r = fixture::with(r, "Authorization", "Cubicweb tok-1:" + sig);
  BOOST_TEST(outcome(s.verifier.verify(r)) ==
             reason(refusal::malformed_authorization));
}

BOOST_AUTO_TEST_CASE(refuses_scheme_other_than_cubicweb) {
  setup s;
  auto r = get();
  r = fixture::with(r, "Authorization", "Bearer tok-1:" + signature_of(r));
  BOOST_TEST(outcome(s.verifier.verify(r)) == reason(refusal::wrong_scheme));
}

// --- the token -------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_unknown_token) {
  setup s;
  auto r = fixture::signed_request("GET", "/items/42", {}, {}, now, "tok-2");
  BOOST_TEST(outcome(s.verifier.verify(r)) == reason(refusal::unknown_token));
}

BOOST_AUTO_TEST_CASE(refuses_disabled_token) {
  setup s;
  s.tokens.s.find_mutable(fixture::token_id)->set_enabled(false);
  BOOST_TEST(outcome(s.verifier.verify(get())) ==
             reason(refusal::disabled_token));
}

BOOST_AUTO_TEST_CASE(accepts_token_enabled_again) {
  setup s;
  auto* t = s.tokens.s.find_mutable(fixture::token_id);
  t->set_enabled(false);
  t->set_enabled(true);
  BOOST_TEST(outcome(s.verifier.verify(get())) == accepted);
}

BOOST_AUTO_TEST_CASE(refuses_token_from_its_expiry_on) {
  fixture::store store;
  store.insert(std::string(fixture::token_id), fixture::secret, "alice", now);
  fixture::verifier<> v(store, fixture::options(), sigreq::settable_clock(now));
  BOOST_TEST(outcome(v.verify(get())) == reason(refusal::expired_token));
}

BOOST_AUTO_TEST_CASE(accepts_token_the_second_before_its_expiry) {
  fixture::store store;
  store.insert(std::string(fixture::token_id), fixture::secret, "alice",
               now + 1s);
  fixture::verifier<> v(store, fixture::options(), sigreq::settable_clock(now));
  BOOST_TEST(outcome(v.verify(get())) == accepted);
}

BOOST_AUTO_TEST_CASE(refuses_token_of_inactive_principal) {
  setup s;
  s.tokens.s.find_mutable(fixture::token_id)->set_principal_active(false);
  BOOST_TEST(outcome(s.verifier.verify(get())) ==
             reason(refusal::inactive_principal));
}

BOOST_AUTO_TEST_CASE(refuses_unknown_token_before_judging_its_signature) {
  setup s;
  auto r = with_bad_signature(
      fixture::signed_request("GET", "/items/42", {}, {}, now, "tok-2"));
  BOOST_TEST(outcome(s.verifier.verify(r)) == reason(refusal::unknown_token));
}

// --- the date ----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_request_without_date) {
  setup s;
  sigreq::plain_request r("GET", "/items/42");
  r.add("Content-SHA512", std::string(empty_sha512));
  sign_as_is(r);
  BOOST_TEST(outcome(s.verifier.verify(r)) == reason(refusal::missing_date));
}

BOOST_AUTO_TEST_CASE(refuses_malformed_date) {
  setup s;
  sigreq::plain_request r("GET", "/items/42");
  r.add("Date", "Fri, 15 Jan 2027 08:00:00 UTC");
  r.add("Content-SHA512", std::string(empty_sha512));
  sign_as_is(r);
  BOOST_TEST(outcome(s.verifier.verify(r)) == reason(refusal::malformed_date));
}

BOOST_AUTO_TEST_CASE(refuses_date_older_than_past_bound) {
  setup s;
  BOOST_TEST(outcome(s.verifier.verify(get("/a", now - 301s))) ==
             reason(refusal::stale_date));
}

BOOST_AUTO_TEST_CASE(accepts_date_at_past_bound) {
  setup s;
  BOOST_TEST(outcome(s.verifier.verify(get("/a", now - 300s))) == accepted);
}

BOOST_AUTO_TEST_CASE(refuses_date_newer_than_future_bound) {
  setup s;
  BOOST_TEST(outcome(s.verifier.verify(get("/a", now + 301s))) ==
             reason(refusal::stale_date));
}

BOOST_AUTO_TEST_CASE(accepts_date_at_future_bound) {
  setup s;
  BOOST_TEST(outcome(s.verifier.verify(get("/a", now + 300s))) == accepted);
}

BOOST_AUTO_TEST_CASE(past_bound_is_configurable_on_its_own) {
  auto o = fixture::options();
  o.max_past = 10s;
  setup s(o);
  BOOST_TEST(outcome(s.verifier.verify(get("/a", now - 11s))) ==
             reason(refusal::stale_date));
  BOOST_TEST(outcome(s.verifier.verify(get("/a", now - 10s))) == accepted);
  BOOST_TEST(outcome(s.verifier.verify(get("/a", now + 300s))) == accepted);
}

BOOST_AUTO_TEST_CASE(future_bound_is_configurable_on_its_own) {
  auto o = fixture::options();
  o.max_future = 0s;
  setup s(o);
  BOOST_TEST(outcome(s.verifier.verify(get("/a", now + 1s))) ==
             reason(refusal::stale_date));
  BOOST_TEST(outcome(s.verifier.verify(get("/a", now))) == accepted);
  BOOST_TEST(outcome(s.verifier.verify(get("/a", now - 300s))) == accepted);
}

BOOST_AUTO_TEST_CASE(accepts_rfc5322_date_whose_zone_puts_it_in_the_window) {
  // 10:00:00 +0200 is 08:00:00 UTC, the verifier's now.
  setup s;
  sigreq::plain_request r("GET", "/items/42");
  r.add("Date", "Fri, 15 Jan 2027 10:00:00 +0200");
  r.add("Content-SHA512", std::string(empty_sha512));
  sign_as_is(r);
  BOOST_TEST(outcome(s.verifier.verify(r)) == accepted);
}

BOOST_AUTO_TEST_CASE(refuses_rfc5322_date_whose_zone_puts_it_out_of_window) {
  // 08:00:00 +0200 is 06:00:00 UTC, two hours before the verifier's now.
  setup s;
  sigreq::plain_request r("GET", "/items/42");
  r.add("Date", "Fri, 15 Jan 2027 08:00:00 +0200");
  r.add("Content-SHA512", std::string(empty_sha512));
  sign_as_is(r);
  BOOST_TEST(outcome(s.verifier.verify(r)) == reason(refusal::stale_date));
}

// --- X-Cubicweb-Date ---------------------------------------------------------

BOOST_AUTO_TEST_CASE(signs_x_cubicweb_date_instead_of_date) {
  sigreq::plain_request r("GET", "/items/42");
  r.add("X-Cubicweb-Date", std::string(date_now));
  sigreq::signer<fixture::profile> signer(std::string(fixture::token_id),
                                          fixture::secret);
  signer.sign(r, fixture::url(r.target()), {}, now);
  BOOST_TEST(fixture::value_of(r, "Date").empty());
  BOOST_TEST(string_to_sign_of(r) ==
             "GET"
             "https://api.example.org/cw/items/42" +
                 std::string(empty_sha512) + std::string(date_now));
  setup s;
  BOOST_TEST(outcome(s.verifier.verify(r)) == accepted);
}

BOOST_AUTO_TEST_CASE(ignores_an_unsigned_date_beside_x_cubicweb_date) {
  sigreq::plain_request r("GET", "/items/42");
  r.add("X-Cubicweb-Date", std::string(date_now));
  r.add("Date", "Thu, 01 Jan 1970 00:00:00 GMT");
  sigreq::signer<fixture::profile> signer(std::string(fixture::token_id),
                                          fixture::secret);
  signer.sign(r, fixture::url(r.target()), {}, now);
  setup s;
  BOOST_TEST(outcome(s.verifier.verify(r)) == accepted);
}

BOOST_AUTO_TEST_CASE(checks_the_clock_against_x_cubicweb_date) {
  sigreq::plain_request r("GET", "/items/42");
  r.add("X-Cubicweb-Date", sigreq::format_imf_fixdate(now - 301s));
  r.add("Date", std::string(date_now));
  sigreq::signer<fixture::profile> signer(std::string(fixture::token_id),
                                          fixture::secret);
  signer.sign(r, fixture::url(r.target()), {}, now);
  setup s;
  BOOST_TEST(outcome(s.verifier.verify(r)) == reason(refusal::stale_date));
}

// --- the body digest ---------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_post_without_body_digest) {
  setup s;
  sigreq::plain_request r("POST", "/items");
  r.add("Content-Type", "application/x-www-form-urlencoded");
  r.add("Date", std::string(date_now));
  sign_as_is(r);
  BOOST_TEST(outcome(s.verifier.verify(r, form_body)) ==
             reason(refusal::missing_body_digest));
}

BOOST_AUTO_TEST_CASE(accepts_get_without_body_digest_when_allowed) {
  auto o = fixture::options();
  o.require_digest_on_get = false;
  setup s(o);
  sigreq::plain_request r("GET", "/items/42");
  r.add("Date", std::string(date_now));
  sign_as_is(r);
  BOOST_TEST(outcome(s.verifier.verify(r)) == accepted);
}

BOOST_AUTO_TEST_CASE(refuses_get_without_body_digest_by_default) {
  setup s;
  sigreq::plain_request r("GET", "/items/42");
  r.add("Date", std::string(date_now));
  sign_as_is(r);
  BOOST_TEST(outcome(s.verifier.verify(r)) ==
             reason(refusal::missing_body_digest));
}

BOOST_AUTO_TEST_CASE(refuses_get_with_a_body_but_no_body_digest) {
  setup s;
  sigreq::plain_request r("GET", "/items/42");
  r.add("Date", std::string(date_now));
  sign_as_is(r);
  BOOST_TEST(outcome(s.verifier.verify(r, "smuggled")) ==
             reason(refusal::missing_body_digest));
}

BOOST_AUTO_TEST_CASE(refuses_body_digest_that_is_not_lowercase_hex) {
  for (std::string digest :
       {std::string(empty_sha512.substr(1)), std::string(128, 'A'),
        std::string(127, 'a') + "g", std::string()}) {
    setup s;
    sigreq::plain_request r("GET", "/items/42");
    r.add("Date", std::string(date_now));
    r.add("Content-SHA512", digest);
    sign_as_is(r);
    BOOST_TEST(
        outcome(s.verifier.verify(r)) == reason(refusal::malformed_body_digest),
        "'" << digest << "'");
  }
}

BOOST_AUTO_TEST_CASE(refuses_body_that_does_not_match_its_digest) {
  setup s;
  std::string changed = form_body;
  changed.back() = '4';
  BOOST_TEST(outcome(s.verifier.verify(form_post(), changed)) ==
             reason(refusal::body_digest_mismatch));
}

BOOST_AUTO_TEST_CASE(refuses_get_whose_body_does_not_match_its_digest) {
  setup s;
  BOOST_TEST(outcome(s.verifier.verify(get(), "x")) ==
             reason(refusal::body_digest_mismatch));
}

// --- the signature -----------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_signature_with_one_hex_digit_changed) {
  setup s;
  BOOST_TEST(outcome(s.verifier.verify(with_bad_signature(get()))) ==
             reason(refusal::bad_signature));
}

BOOST_AUTO_TEST_CASE(refuses_signature_made_with_another_secret) {
  setup s;
  sigreq::plain_request r("GET", "/items/42");
  sigreq::signer<fixture::profile> other(std::string(fixture::token_id),
                                         "another secret");
  other.sign(r, fixture::url(r.target()), {}, now);
  BOOST_TEST(outcome(s.verifier.verify(r)) == reason(refusal::bad_signature));
}

BOOST_AUTO_TEST_CASE(refuses_request_signed_for_another_target) {
  setup s;
  auto r = get("/items/42");
  sigreq::plain_request moved("GET", "/items/43", r.fields());
  BOOST_TEST(outcome(s.verifier.verify(moved)) ==
             reason(refusal::bad_signature));
}

// --- ambiguity and syntax ----------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_signed_header_present_twice) {
  for (std::string name :
       {"Content-SHA512", "Content-Type", "Date", "date", "X-Cubicweb-Date"}) {
    setup s;
    auto r = form_post();
    if (name == "X-Cubicweb-Date") r.add(name, std::string(date_now));
    r.add(name, std::string(fixture::value_of(r, name)));
    BOOST_TEST(outcome(s.verifier.verify(r, form_body)) ==
                   reason(refusal::ambiguous_header),
               name);
  }
}

BOOST_AUTO_TEST_CASE(refuses_two_authorization_headers) {
  setup s;
  auto r = get();
  r.add("authorization", std::string(fixture::value_of(r, "Authorization")));
  BOOST_TEST(outcome(s.verifier.verify(r)) ==
             reason(refusal::ambiguous_header));
}

BOOST_AUTO_TEST_CASE(refuses_content_type_that_is_not_a_media_type) {
  for (std::string type : {"not a media type", "text/", "/plain",
                           "text/plain; charset", "text/plain; a=\"open"}) {
    setup s;
    auto r = fixture::signed_request("POST", "/items", form_body, type);
    BOOST_TEST(outcome(s.verifier.verify(r, form_body)) ==
                   reason(refusal::malformed_header),
               "'" << type << "'");
  }
}

BOOST_AUTO_TEST_CASE(refuses_method_that_is_not_a_token) {
  for (std::string method : {"GE T", "", "GET\r", "G\"T", "G(T"}) {
    setup s;
    auto r = fixture::signed_request(method, "/items/42");
    BOOST_TEST(
        outcome(s.verifier.verify(r)) == reason(refusal::malformed_method),
        "'" << method << "'");
  }
}

BOOST_AUTO_TEST_CASE(refuses_target_not_in_origin_form) {
  for (const std::string& target : std::vector<std::string>{
           "*", "http://api.example.org/cw/x", "items", "", "/a b", "/a\tb",
           "/caf\xc3\xa9", std::string("/a\0b", 4), "/a\x7f"}) {
    setup s;
    auto r = fixture::signed_request("GET", target);
    BOOST_TEST(
        outcome(s.verifier.verify(r)) == reason(refusal::malformed_target),
        "'" << target << "'");
  }
}

BOOST_AUTO_TEST_CASE(refuses_target_with_a_bad_byte_at_any_position) {
  setup s;
  auto r = get();
  for (std::size_t n : {2u, 8u, 9u, 16u, 17u, 40u})
    for (std::size_t at = 1; at < n; ++at)
      for (int c : {0x00, 0x09, 0x0a, 0x20, 0x7f, 0x80, 0xc3, 0xff}) {
        std::string target(n, 'a');
        target[0] = '/';
        target[at] = static_cast<char>(c);
        sigreq::plain_request bad("GET", target, r.fields());
        if (outcome(s.verifier.verify(bad)) !=
            reason(refusal::malformed_target))
          BOOST_ERROR("length " << n << " position " << at << " byte " << c);
      }
}

BOOST_AUTO_TEST_CASE(refuses_each_input_over_its_limit) {
  setup s;
  BOOST_TEST_CONTEXT("target of 8193 bytes") {
    auto r = get("/" + std::string(8192, 'a'));
    BOOST_TEST(outcome(s.verifier.verify(r)) ==
               reason(refusal::oversized_input));
    BOOST_TEST(outcome(s.verifier.verify(get("/" + std::string(8191, 'a')))) ==
               accepted);
  }
  BOOST_TEST_CONTEXT("method of 33 bytes") {
    auto r = fixture::signed_request(std::string(33, 'M'), "/a");
    BOOST_TEST(outcome(s.verifier.verify(r)) ==
               reason(refusal::oversized_input));
  }
  BOOST_TEST_CONTEXT("Authorization of 1025 bytes") {
    auto r = fixture::with(get(), "Authorization",
                           "Cubicweb tok-1:" + std::string(1010, 'a'));
    BOOST_TEST(outcome(s.verifier.verify(r)) ==
               reason(refusal::oversized_input));
  }
  BOOST_TEST_CONTEXT("signed header value of 8193 bytes") {
    auto r = fixture::with(form_post(), "Content-Type",
                           "text/plain; x=" + std::string(8179, 'a'));
    BOOST_TEST(fixture::value_of(r, "Content-Type").size() == 8193u);
    BOOST_TEST(outcome(s.verifier.verify(r, form_body)) ==
               reason(refusal::oversized_input));
  }
  BOOST_TEST_CONTEXT("body over max_body_size") {
    auto o = fixture::options();
    o.max_body_size = form_body.size() - 1;
    setup small(o);
    BOOST_TEST(outcome(small.verifier.verify(form_post(), form_body)) ==
               reason(refusal::oversized_input));
    o.max_body_size = form_body.size();
    setup exact(o);
    BOOST_TEST(outcome(exact.verifier.verify(form_post(), form_body)) ==
               accepted);
  }
}

// --- replay ------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_replayed_request_with_in_memory_replay_guard) {
  fixture::tokens tokens;
  sigreq::in_memory_replay_guard guard(1000);
  fixture::verifier<sigreq::in_memory_replay_guard> v(
      tokens.s, fixture::options(), sigreq::settable_clock(now), guard);
  auto r = get();
  BOOST_TEST(outcome(v.verify(r)) == accepted);
  BOOST_TEST(outcome(v.verify(r)) == reason(refusal::replayed_request));
  BOOST_TEST(outcome(v.verify(get("/items/43"))) == accepted);
}

BOOST_AUTO_TEST_CASE(accepts_replayed_request_without_a_replay_guard) {
  setup s;
  auto r = get();
  BOOST_TEST(outcome(s.verifier.verify(r)) == accepted);
  BOOST_TEST(outcome(s.verifier.verify(r)) == accepted);
}

BOOST_AUTO_TEST_CASE(refuses_new_request_when_replay_guard_is_full) {
  fixture::tokens tokens;
  sigreq::in_memory_replay_guard guard(guard_entries);
  fixture::verifier<sigreq::in_memory_replay_guard> v(
      tokens.s, fixture::options(), sigreq::settable_clock(now), guard);
  BOOST_TEST_REQUIRE(fill(v, guard, "/a/", now));
  BOOST_TEST(outcome(v.verify(get("/b"))) ==
             reason(refusal::replay_guard_full));
  BOOST_TEST(guard.size() == guard_entries);
}

BOOST_AUTO_TEST_CASE(replay_guard_forgets_requests_whose_date_left_window) {
  fixture::tokens tokens;
  sigreq::settable_clock clock(now);
  sigreq::in_memory_replay_guard guard(guard_entries);
  sigreq::verifier<fixture::profile, fixture::store, shared_clock,
                   sigreq::in_memory_replay_guard>
      v(tokens.s, fixture::options(), shared_clock{&clock}, guard);
  BOOST_TEST_REQUIRE(fill(v, guard, "/a/", now));

  clock.advance(601s);
  std::size_t accepted_count = 0;
  for (std::size_t i = 0; i < guard_entries; ++i)
    if (v.verify(get("/c/" + std::to_string(i), now + 601s))) ++accepted_count;
  BOOST_TEST(accepted_count > 0u);
}

// --- streamed body -----------------------------------------------------------

BOOST_AUTO_TEST_CASE(accepts_body_fed_in_chunks) {
  std::string body(10000, '\0');
  for (std::size_t i = 0; i < body.size(); ++i)
    body[i] = static_cast<char>(i * 31 + 7);
  auto r =
      fixture::signed_request("PUT", "/blob", body, "application/octet-stream");
  setup s;
  for (std::size_t chunk : {1u, 7u, 128u, 4096u, 10000u}) {
    auto p = s.verifier.begin(r);
    BOOST_TEST_REQUIRE(!p.refused());
    for (std::size_t at = 0; at < body.size(); at += chunk)
      p.update(std::string_view(body).substr(at, chunk));
    BOOST_TEST(outcome(p.finish()) == accepted, "chunks of " << chunk);
  }
}

BOOST_AUTO_TEST_CASE(refuses_chunked_body_with_one_byte_changed) {
  std::string body(1000, 'b');
  auto r = fixture::signed_request("PUT", "/blob", body, "text/plain");
  setup s;
  auto p = s.verifier.begin(r);
  p.update(std::string_view(body).substr(0, 500));
  p.update("c");
  p.update(std::string_view(body).substr(501));
  BOOST_TEST(outcome(p.finish()) == reason(refusal::body_digest_mismatch));
}

BOOST_AUTO_TEST_CASE(begin_refuses_before_the_body_when_headers_fail) {
  setup s;
  auto p = s.verifier.begin(with_bad_signature(form_post()));
  BOOST_TEST(p.refused());
  p.update(form_body);
  BOOST_TEST(outcome(p.finish()) == reason(refusal::bad_signature));
}

BOOST_AUTO_TEST_CASE(refuses_streamed_body_growing_past_max_body_size) {
  auto o = fixture::options();
  o.max_body_size = 10;
  setup s(o);
  std::string body(11, 'x');
  auto r = fixture::signed_request("PUT", "/blob", body, "text/plain");
  auto p = s.verifier.begin(r);
  p.update(std::string_view(body).substr(0, 10));
  BOOST_TEST(!p.refused());
  p.update(std::string_view(body).substr(10));
  BOOST_TEST(p.refused());
  BOOST_TEST(outcome(p.finish()) == reason(refusal::oversized_input));
}

// --- last use ----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(records_last_use_of_token_on_success) {
  setup s;
  const auto* t = s.tokens.s.find(fixture::token_id);
  BOOST_TEST(t->last_used().time_since_epoch().count() == 0);
  BOOST_TEST_REQUIRE(outcome(s.verifier.verify(get())) == accepted);
  BOOST_TEST((t->last_used() == now));
}

BOOST_AUTO_TEST_CASE(does_not_record_last_use_on_refusal) {
  setup s;
  (void)s.verifier.verify(with_bad_signature(get()));
  (void)s.verifier.verify(form_post(), "tampered body");
  BOOST_TEST(
      s.tokens.s.find(fixture::token_id)->last_used().time_since_epoch() ==
      std::chrono::seconds(0));
}

BOOST_AUTO_TEST_CASE(does_not_record_last_use_when_told_not_to) {
  auto o = fixture::options();
  o.record_last_use = false;
  setup s(o);
  BOOST_TEST_REQUIRE(outcome(s.verifier.verify(get())) == accepted);
  BOOST_TEST(
      s.tokens.s.find(fixture::token_id)->last_used().time_since_epoch() ==
      std::chrono::seconds(0));
}

// --- std::error_code
// -----------------------------------------------------------

BOOST_AUTO_TEST_CASE(refusal_converts_to_error_code_of_sigreq_category) {
  std::error_code ec = refusal::bad_signature;
  BOOST_TEST(std::string(ec.category().name()) == "sigreq");
  BOOST_TEST(ec.message() == "bad signature");
  BOOST_TEST(ec.value() == static_cast<int>(refusal::bad_signature));
  BOOST_TEST((ec == refusal::bad_signature));
  BOOST_TEST((ec != refusal::stale_date));
  BOOST_TEST(static_cast<bool>(ec));
  BOOST_TEST((&ec.category() == &sigreq::refusal_category()));
}

BOOST_AUTO_TEST_CASE(every_refusal_has_its_own_message) {
  std::set<std::string> seen;
  for (int i = 1; i <= static_cast<int>(refusal::replay_guard_full); ++i) {
    auto r = static_cast<refusal>(i);
    std::string m(sigreq::message(r));
    BOOST_TEST(!m.empty());
    BOOST_TEST(m != "unknown refusal");
    BOOST_TEST(m != "accepted");
    BOOST_TEST(sigreq::make_error_code(r).message() == m);
    BOOST_TEST(seen.insert(m).second, "message '" << m << "' repeated");
  }
  BOOST_TEST(seen.size() == 21u);
  BOOST_TEST(sigreq::message(refusal{}) == "accepted");
}

// --- the legacy MD5 profile
// ----------------------------------------------------

BOOST_AUTO_TEST_CASE(legacy_profile_signs_with_hmac_md5_and_content_md5) {
  using legacy = sigreq::profiles::cubicweb_md5_legacy;
  auto r = fixture::signed_request<legacy>("POST", "/items", form_body,
                                           "application/x-www-form-urlencoded");
  BOOST_TEST(fixture::value_of(r, "Content-MD5") ==
             "e66c2fb36dc70a347a1ae54beabe023e");
  BOOST_TEST(fixture::value_of(r, "Content-SHA512").empty());

  std::string to_sign = string_to_sign_of<legacy>(r);
  BOOST_TEST(to_sign ==
             "POST"
             "https://api.example.org/cw/items"
             "e66c2fb36dc70a347a1ae54beabe023e"
             "application/x-www-form-urlencoded"
             "Fri, 15 Jan 2027 08:00:00 GMT");
  BOOST_TEST(signature_of(r) ==
             independent_hmac<CryptoPP::HMAC<CryptoPP::Weak1::MD5>>(to_sign));

  sigreq::in_memory_token_store<sigreq::hash::legacy_md5> store;
  store.insert(std::string(fixture::token_id), fixture::secret, "alice");
  sigreq::verifier<legacy, decltype(store), sigreq::settable_clock> v(
      store, fixture::options(), sigreq::settable_clock(now));
  BOOST_TEST(outcome(v.verify(r, form_body)) == accepted);
  BOOST_TEST(outcome(v.verify(r, form_body + "x")) ==
             reason(refusal::body_digest_mismatch));
}

BOOST_AUTO_TEST_CASE(default_profile_refuses_md5_signed_request) {
  using legacy = sigreq::profiles::cubicweb_md5_legacy;
  auto r = fixture::signed_request<legacy>("GET", "/items/42");
  setup s;
  BOOST_TEST(outcome(s.verifier.verify(r)) ==
             reason(refusal::malformed_authorization));
}

// --- URL from Host (opt-in)
// ----------------------------------------------------

sigreq::verifier_options host_options() {
  sigreq::verifier_options o;
  o.url_from_host = true;
  o.host_scheme = "http";
  return o;
}

sigreq::plain_request signed_for_host(std::string host) {
  sigreq::plain_request r("GET", "/items/42");
  r.add("Host", host);
  sigreq::signer<fixture::profile> signer(std::string(fixture::token_id),
                                          fixture::secret);
  signer.sign(r, "http://" + host + "/items/42", {}, now);
  return r;
}

BOOST_AUTO_TEST_CASE(builds_url_from_host_header_when_opted_in) {
  setup s(host_options());
  BOOST_TEST(outcome(s.verifier.verify(signed_for_host("h.local:8080"))) ==
             accepted);
}

BOOST_AUTO_TEST_CASE(ignores_host_header_by_default) {
  setup s;
  auto r = signed_for_host("h.local:8080");
  BOOST_TEST(outcome(s.verifier.verify(r)) == reason(refusal::bad_signature));
  BOOST_TEST(outcome(s.verifier.verify(fixture::with(get(), "Host", "evil"))) ==
             accepted);
}

BOOST_AUTO_TEST_CASE(refuses_missing_host_when_url_comes_from_host) {
  setup s(host_options());
  BOOST_TEST(outcome(s.verifier.verify(
                 fixture::without(signed_for_host("h.local"), "Host"))) ==
             reason(refusal::malformed_header));
}

BOOST_AUTO_TEST_CASE(refuses_host_that_could_reach_into_the_path) {
  for (std::string host :
       {"h.local/x", "h.local?x", "u@h.local", "h local", "h.local#x", ""}) {
    setup s(host_options());
    BOOST_TEST(outcome(s.verifier.verify(signed_for_host(host))) ==
                   reason(refusal::malformed_header),
               "'" << host << "'");
  }
}

BOOST_AUTO_TEST_CASE(refuses_two_host_headers_when_url_comes_from_host) {
  setup s(host_options());
  auto r = signed_for_host("h.local");
  r.add("Host", "h.local");
  BOOST_TEST(outcome(s.verifier.verify(r)) ==
             reason(refusal::ambiguous_header));
}

BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()
