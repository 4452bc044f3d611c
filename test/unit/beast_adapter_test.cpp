// sigreq::beast_request: a Boost.Beast request seen as a sigreq::request.
#define BOOST_TEST_MODULE beast_adapter
#include <boost/test/unit_test.hpp>

#include <string>
#include <string_view>
#include <vector>

#include <boost/beast/http.hpp>
#include <sigreq/beast.hpp>

#include "fixture.hpp"

namespace {

namespace http = boost::beast::http;
using message_type = http::request<http::string_body>;
using sigreq::refusal;

static_assert(
    sigreq::request<sigreq::beast_request<http::string_body, http::fields>>);

std::vector<std::string> values(
    const sigreq::beast_request<http::string_body, http::fields>& r,
    std::string_view name) {
  std::vector<std::string> out;
  for (std::string_view v : r.header_values(name))
    out.emplace_back(v);
  return out;
}

// The fixture's signed request, copied field by field into Beast.
message_type to_beast(const sigreq::plain_request& r, std::string body) {
  message_type m;
  m.method_string(std::string(r.method()));
  m.target(std::string(r.target()));
  m.version(11);
  for (const auto& f : r.fields())
    m.insert(f.name, f.value);
  m.body() = std::move(body);
  m.prepare_payload();
  return m;
}

template <class T>
std::string_view outcome(const sigreq::result<T>& r) {
  return sigreq::message(r ? refusal{} : r.error());
}

struct setup {
  fixture::tokens tokens;
  fixture::verifier<> verifier{tokens.s, fixture::options(),
                               sigreq::settable_clock(fixture::now)};
};

const std::string body = "title=Hello+world&count=3";

}  // namespace

BOOST_AUTO_TEST_SUITE(unit)
BOOST_AUTO_TEST_SUITE(beast_adapter)

BOOST_AUTO_TEST_CASE(gives_every_value_of_a_name_in_order) {
  message_type m{http::verb::get, "/", 11};
  m.insert("X-Tag", "one");
  m.insert("Other", "x");
  m.insert("X-Tag", "two");
  m.insert("x-tag", "three");
  sigreq::beast_request r(m);
  BOOST_TEST(
      values(r, "X-Tag") == (std::vector<std::string>{"one", "two", "three"}),
      boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(matches_names_without_regard_to_case) {
  message_type m{http::verb::post, "/", 11};
  m.set(http::field::content_type, "text/plain");
  m.insert("X-Cubicweb-Date", "d");
  sigreq::beast_request r(m);
  for (std::string_view name :
       {"content-type", "CONTENT-TYPE", "Content-Type", "cOnTeNt-TyPe"})
    BOOST_TEST(values(r, name) == std::vector<std::string>{"text/plain"},
               boost::test_tools::per_element());
  BOOST_TEST(values(r, "x-cubicweb-date") == std::vector<std::string>{"d"},
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(gives_no_value_for_an_absent_name) {
  message_type m{http::verb::get, "/", 11};
  m.insert("Date", "d");
  sigreq::beast_request r(m);
  BOOST_TEST(values(r, "X-Cubicweb-Date").empty());
  BOOST_TEST(values(r, "").empty());
}

BOOST_AUTO_TEST_CASE(gives_method_and_target_as_received) {
  message_type m;
  m.method_string("PURGE");
  m.target("/a%2Fb?q=%20&x");
  sigreq::beast_request r(m);
  BOOST_TEST(r.method() == "PURGE");
  BOOST_TEST(r.target() == "/a%2Fb?q=%20&x");
  m.method(http::verb::delete_);
  BOOST_TEST(r.method() == "DELETE");
}

BOOST_AUTO_TEST_CASE(verifies_a_signed_request_through_beast) {
  setup s;
  auto signed_r = fixture::signed_request("POST", "/items?x=1", body,
                                          "application/x-www-form-urlencoded");
  auto m = to_beast(signed_r, body);
  auto who = s.verifier.verify(sigreq::beast_request(m), m.body());
  BOOST_TEST_REQUIRE(outcome(who) == "accepted");
  BOOST_TEST(who->principal == fixture::principal);
}

BOOST_AUTO_TEST_CASE(refuses_through_beast_a_body_changed_after_signing) {
  setup s;
  auto signed_r = fixture::signed_request("POST", "/items", body,
                                          "application/x-www-form-urlencoded");
  auto m = to_beast(signed_r, body + "&admin=1");
  BOOST_TEST(outcome(s.verifier.verify(sigreq::beast_request(m), m.body())) ==
             sigreq::message(refusal::body_digest_mismatch));
}

BOOST_AUTO_TEST_CASE(refuses_through_beast_a_date_sent_twice) {
  setup s;
  auto m = to_beast(fixture::signed_request("GET", "/items/42"), {});
  m.insert("date", std::string(fixture::value_of(
                       fixture::signed_request("GET", "/items/42"), "Date")));
  BOOST_TEST(outcome(s.verifier.verify(sigreq::beast_request(m))) ==
             sigreq::message(refusal::ambiguous_header));
}

BOOST_AUTO_TEST_CASE(refuses_through_beast_a_changed_target) {
  setup s;
  auto m = to_beast(fixture::signed_request("GET", "/items/42"), {});
  m.target("/items/42?admin=1");
  BOOST_TEST(outcome(s.verifier.verify(sigreq::beast_request(m))) ==
             sigreq::message(refusal::bad_signature));
}

BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()
