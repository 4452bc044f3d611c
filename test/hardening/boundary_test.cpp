// No forgery across field boundaries.
//
// The string to sign is method + URL + content digest + content type +
// date with no separator, so moving bytes from one field into its
// neighbour leaves it, and the signature, unchanged. Each case takes a
// genuinely signed request, moves 1..N bytes across one boundary, keeps
// the signature, and checks the verifier refuses with the reason that
// closes that move.
#define BOOST_TEST_MODULE hardening_boundary
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <string>

#include "fixture.hpp"

namespace bdata = boost::unit_test::data;
using hardening::world;
using sigreq::plain_request;
using sigreq::refusal;

namespace {

constexpr std::string_view body = "{\"name\": \"widget\", \"count\": 3}";

plain_request signed_post(const world& w) {
  plain_request r("POST", "/api/items?x=1");
  r.add("Content-Type", "application/json");
  w.sign(r, body);
  return r;
}

plain_request signed_get(const world& w) {
  plain_request r("GET", "/api/items?limit=10");
  r.add("Content-Type", "application/json");
  w.sign(r, "");
  return r;
}

// A GET signed without a content digest, which the cube and sigreq both
// accept by default (the Python clients always send one).
plain_request signed_get_without_digest(const world& w) {
  plain_request r("GET", "/api/items?limit=10");
  r.add("Content-Type", "application/json");
  r.add("Date", sigreq::format_imf_fixdate(hardening::now));
  w.sign_as_is(r);
  return r;
}

const std::string digest_name(hardening::H::content_digest_header);

// The string to sign of r as the verifier would build it.
std::string signed_string(const plain_request& r) {
  auto v =
      sigreq::collect_signed_headers<hardening::profile::headers, hardening::H>(
          r);
  return sigreq::string_to_sign(
      r.method(), {hardening::base_url, {}, r.target()}, v->values);
}

// Every move below must leave the signed string as it was: that is what
// makes it a forgery attempt and not a mere tamper.
void check_same_string(const plain_request& before,
                       const plain_request& after) {
  BOOST_TEST(signed_string(before) == signed_string(after));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(control)

BOOST_AUTO_TEST_CASE(unmoved_requests_are_accepted) {
  world w;
  BOOST_TEST(w.verify(signed_post(w), body) == refusal{});
  BOOST_TEST(w.verify(signed_get(w), "") == refusal{});
  BOOST_TEST(w.verify(signed_get_without_digest(w), "") == refusal{});
  BOOST_TEST(w.verify(signed_get(w), "", true) == refusal{});
}

BOOST_AUTO_TEST_SUITE_END()

// Method / URL. The URL starts with the configured base, which the client
// cannot move, and the grammar closes the rest: a method is a token (no
// '/') and a target starts with '/'.
BOOST_AUTO_TEST_SUITE(method_url)

BOOST_DATA_TEST_CASE(refuses_method_tail_moved_into_target, bdata::xrange(1, 4),
                     k) {
  world w;
  plain_request r = signed_post(w);
  std::string method(r.method());
  plain_request moved(
      method.substr(0, method.size() - k),
      method.substr(method.size() - k) + std::string(r.target()), r.fields());
  BOOST_TEST(w.verify(moved, body) == refusal::malformed_target);
}

BOOST_DATA_TEST_CASE(refuses_target_head_moved_into_method, bdata::xrange(1, 6),
                     k) {
  world w;
  plain_request r = signed_post(w);
  std::string target(r.target());
  plain_request moved(std::string(r.method()) + target.substr(0, k),
                      target.substr(k), r.fields());
  BOOST_TEST(w.verify(moved, body) == refusal::malformed_method);
}

BOOST_AUTO_TEST_SUITE_END()

// URL / digest. A digest header, when present, must be exactly the hex
// length of a digest, for every method: the cube checks it on POST only
// (by comparing with the body), so on a GET it accepts these moves.
BOOST_AUTO_TEST_SUITE(url_digest)

BOOST_DATA_TEST_CASE(refuses_target_tail_moved_into_digest,
                     bdata::xrange(1, 9) * bdata::make({false, true}), k, get) {
  world w;
  plain_request r = get ? signed_get(w) : signed_post(w);
  std::string target(r.target());
  plain_request moved(std::string(r.method()),
                      target.substr(0, target.size() - k), r.fields());
  moved.set(digest_name, target.substr(target.size() - k) +
                             hardening::value_of(r, digest_name));
  check_same_string(r, moved);
  BOOST_TEST(w.verify(moved, get ? "" : body) ==
             refusal::malformed_body_digest);
}

BOOST_DATA_TEST_CASE(refuses_digest_head_moved_into_target,
                     bdata::xrange(1, 9) * bdata::make({false, true}), k, get) {
  world w;
  plain_request r = get ? signed_get(w) : signed_post(w);
  std::string digest = hardening::value_of(r, digest_name);
  plain_request moved(std::string(r.method()),
                      std::string(r.target()) + digest.substr(0, k),
                      r.fields());
  moved.set(digest_name, digest.substr(k));
  check_same_string(r, moved);
  BOOST_TEST(w.verify(moved, get ? "" : body) ==
             refusal::malformed_body_digest);
}

// Moving one byte in from the URL and one out into the content type keeps
// the digest's length and alphabet ("application/json" starts with a hex
// letter); what closes it is that the digest must match the body, on GET
// too.
BOOST_DATA_TEST_CASE(refuses_digest_rotated_between_target_and_content_type,
                     bdata::make({false, true}), get) {
  world w;
  plain_request r = get ? signed_get(w) : signed_post(w);
  std::string digest = hardening::value_of(r, digest_name);
  std::string type = hardening::value_of(r, "Content-Type");
  plain_request moved(std::string(r.method()),
                      std::string(r.target()) + digest.substr(0, 1),
                      r.fields());
  moved.set(digest_name, digest.substr(1) + type.substr(0, 1));
  moved.set("Content-Type", type.substr(1));
  check_same_string(r, moved);
  BOOST_TEST(w.verify(moved, get ? "" : body) == refusal::body_digest_mismatch);
}

BOOST_AUTO_TEST_SUITE_END()

// Digest / content type: the digest's exact length closes both
// directions.
BOOST_AUTO_TEST_SUITE(digest_content_type)

BOOST_DATA_TEST_CASE(refuses_digest_tail_moved_into_content_type,
                     bdata::xrange(1, 9) * bdata::make({false, true}), k, get) {
  world w;
  plain_request r = get ? signed_get(w) : signed_post(w);
  std::string digest = hardening::value_of(r, digest_name);
  plain_request moved = r;
  moved.set(digest_name, digest.substr(0, digest.size() - k));
  moved.set("Content-Type", digest.substr(digest.size() - k) +
                                hardening::value_of(r, "Content-Type"));
  check_same_string(r, moved);
  BOOST_TEST(w.verify(moved, get ? "" : body) ==
             refusal::malformed_body_digest);
}

BOOST_DATA_TEST_CASE(refuses_content_type_head_moved_into_digest,
                     bdata::xrange(1, 9) * bdata::make({false, true}), k, get) {
  world w;
  plain_request r = get ? signed_get(w) : signed_post(w);
  std::string type = hardening::value_of(r, "Content-Type");
  plain_request moved = r;
  moved.set(digest_name,
            hardening::value_of(r, digest_name) + type.substr(0, k));
  moved.set("Content-Type", type.substr(k));
  check_same_string(r, moved);
  BOOST_TEST(w.verify(moved, get ? "" : body) ==
             refusal::malformed_body_digest);
}

BOOST_AUTO_TEST_SUITE_END()

// Content type / date. A date must be a complete date of an accepted
// form: no leading byte, none missing. The cube parses dates with
// email.utils.parsedate, which drops a first word ending in ',' and
// leading spaces, so it accepts these moves.
BOOST_AUTO_TEST_SUITE(content_type_date)

BOOST_DATA_TEST_CASE(refuses_content_type_tail_moved_into_date,
                     bdata::xrange(1, 5), k) {
  world w;
  plain_request r = signed_post(w);
  std::string type = hardening::value_of(r, "Content-Type");
  plain_request moved = r;
  moved.set("Content-Type", type.substr(0, type.size() - k));
  moved.set("Date",
            type.substr(type.size() - k) + hardening::value_of(r, "Date"));
  check_same_string(r, moved);
  BOOST_TEST(w.verify(moved, body) == refusal::malformed_date);
}

BOOST_DATA_TEST_CASE(refuses_date_head_moved_into_content_type,
                     bdata::xrange(1, 6), k) {
  world w;
  plain_request r = signed_post(w);
  std::string date = hardening::value_of(r, "Date");
  plain_request moved = r;
  moved.set("Content-Type",
            hardening::value_of(r, "Content-Type") + date.substr(0, k));
  moved.set("Date", date.substr(k));
  check_same_string(r, moved);
  // Down to "29 Feb 2024 12:00:00 GMT" with "Thu, " moved out: an RFC
  // 5322 date needs a numeric zone, an HTTP date its weekday.
  BOOST_TEST(w.verify(moved, body) == refusal::malformed_date);
}

// An RFC 5322 date without weekday starts with its day: moving the first
// digit of "29" leaves "9 Feb 2024 ...", a valid date 20 days away. The
// clock window is what refuses it; a day digit moved this way is always
// at least ten days off, so it never lands inside a window under 10 days.
BOOST_AUTO_TEST_CASE(refuses_day_digit_moved_into_content_type_by_window) {
  world w;
  plain_request r("POST", "/api/items?x=1");
  r.add("Content-Type", "application/json");
  r.add("Date", "29 Feb 2024 12:00:00 +0000");
  w.sign(r, body);
  BOOST_TEST(w.verify(r, body) == refusal{});

  plain_request moved = r;
  moved.set("Content-Type", "application/json2");
  moved.set("Date", "9 Feb 2024 12:00:00 +0000");
  check_same_string(r, moved);
  BOOST_TEST(w.verify(moved, body) == refusal::stale_date);
}

BOOST_AUTO_TEST_SUITE_END()

// URL / content type, on a GET without a content digest: the only
// boundary the scheme leaves open by default. Bytes that are valid in both
// a target and a media type move freely; require_digest_on_get puts the
// fixed-length digest between them and closes it.
BOOST_AUTO_TEST_SUITE(url_content_type_get_without_digest)

BOOST_DATA_TEST_CASE(accepts_target_tail_moved_into_content_type_by_default,
                     bdata::xrange(1, 3), k) {
  world w;
  plain_request r = signed_get_without_digest(w);
  std::string target(r.target());
  plain_request moved("GET", target.substr(0, target.size() - k), r.fields());
  moved.set("Content-Type", target.substr(target.size() - k) +
                                hardening::value_of(r, "Content-Type"));
  check_same_string(r, moved);
  // "/api/items?limit=1" with "0application/json": the forgery passes.
  BOOST_TEST(w.verify(moved, "") == refusal{});
}

BOOST_DATA_TEST_CASE(
    refuses_target_tail_moved_into_content_type_with_require_digest_on_get,
    bdata::xrange(1, 3), k) {
  world w;
  plain_request r = signed_get_without_digest(w);
  std::string target(r.target());
  plain_request moved("GET", target.substr(0, target.size() - k), r.fields());
  moved.set("Content-Type", target.substr(target.size() - k) +
                                hardening::value_of(r, "Content-Type"));
  BOOST_TEST(w.verify(moved, "", true) == refusal::missing_body_digest);
}

// '=' is no media-type byte: the move stops at the query's '='.
BOOST_AUTO_TEST_CASE(refuses_target_tail_moved_with_a_non_token_byte) {
  world w;
  plain_request r = signed_get_without_digest(w);
  plain_request moved("GET", "/api/items?limit", r.fields());
  moved.set("Content-Type", "=10application/json");
  check_same_string(r, moved);
  BOOST_TEST(w.verify(moved, "") == refusal::malformed_header);
}

BOOST_DATA_TEST_CASE(accepts_content_type_head_moved_into_target_by_default,
                     bdata::xrange(1, 11), k) {
  world w;
  plain_request r = signed_get_without_digest(w);
  std::string type = hardening::value_of(r, "Content-Type");
  plain_request moved("GET", std::string(r.target()) + type.substr(0, k),
                      r.fields());
  moved.set("Content-Type", type.substr(k));
  check_same_string(r, moved);
  BOOST_TEST(w.verify(moved, "") == refusal{});
}

BOOST_DATA_TEST_CASE(
    refuses_content_type_head_moved_into_target_with_require_digest_on_get,
    bdata::xrange(1, 12), k) {
  world w;
  plain_request r = signed_get_without_digest(w);
  std::string type = hardening::value_of(r, "Content-Type");
  plain_request moved("GET", std::string(r.target()) + type.substr(0, k),
                      r.fields());
  moved.set("Content-Type", type.substr(k));
  BOOST_TEST(w.verify(moved, "", true) == refusal::missing_body_digest);
}

// Moving the whole type leaves "/json", moving the '/' too "json": no
// media type either way.
BOOST_DATA_TEST_CASE(refuses_content_type_moved_up_to_its_slash,
                     bdata::xrange(11, 13), k) {
  world w;
  plain_request r = signed_get_without_digest(w);
  std::string type = hardening::value_of(r, "Content-Type");
  plain_request moved("GET", std::string(r.target()) + type.substr(0, k),
                      r.fields());
  moved.set("Content-Type", type.substr(k));
  check_same_string(r, moved);
  BOOST_TEST(w.verify(moved, "") == refusal::malformed_header);
}

BOOST_AUTO_TEST_SUITE_END()
