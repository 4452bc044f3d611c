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

BOOST_AUTO_TEST_CASE(matches_a_name_only_when_every_byte_folds_equal) {
  // Each byte of the looked-up name replaced by every value in turn, at
  // every position of names of lengths that reach each comparison path.
  auto fold = [](int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; };
  for (std::size_t n : {1u, 3u, 4u, 5u, 7u, 8u, 9u, 15u, 16u, 17u, 24u}) {
    std::string stored;
    for (std::size_t i = 0; i < n; ++i)
      stored.push_back(static_cast<char>(i % 2 ? 'x' : 'K'));
    sigreq::plain_request r("GET", "/", {{stored, "v"}});
    for (std::size_t at = 0; at < n; ++at)
      for (int c = 0; c < 256; ++c) {
        std::string name = stored;
        name[at] = static_cast<char>(c);
        bool expected = fold(c) == fold(static_cast<unsigned char>(stored[at]));
        bool found = false;
        for (std::string_view v : r.header_values(name))
          found = v == "v";
        if (found != expected)
          BOOST_ERROR("length " << n << " position " << at << " byte " << c);
      }
  }
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

BOOST_AUTO_TEST_CASE(verifies_headers_whose_names_are_in_any_case) {
  setup s;
  auto signed_r = fixture::signed_request("POST", "/items", body,
                                          "application/x-www-form-urlencoded");
  sigreq::plain_request shouted("POST", "/items");
  for (const auto& f : signed_r.fields()) {
    std::string name = f.name;
    for (std::size_t i = 0; i < name.size(); ++i)
      if (i % 2 == 0 && name[i] >= 'a' && name[i] <= 'z')
        name[i] -= 32;
      else if (i % 2 == 1 && name[i] >= 'A' && name[i] <= 'Z')
        name[i] += 32;
    shouted.add(name, f.value);
  }
  BOOST_TEST(outcome(s.verifier.verify(shouted, body)) == "accepted");
  auto m = to_beast(shouted, body);
  BOOST_TEST(outcome(s.verifier.verify(sigreq::beast_request(m), m.body())) ==
             "accepted");
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
