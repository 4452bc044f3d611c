// The Authorization value "<scheme> <token_id>:<signature>", table-driven.
#define BOOST_TEST_MODULE authorization
#include <boost/test/unit_test.hpp>

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <sigreq/authorization.hpp>

namespace {

using sigreq::refusal;

struct accepted_case {
  std::string name;
  std::string value;
  std::string token_id;
  std::string signature;
};

struct refused_case {
  std::string name;
  std::string value;
  refusal why;
};

constexpr std::string_view scheme = "Cubicweb";

std::string id_of(std::size_t n) {
  return std::string(n, 'i');
}

}  // namespace

BOOST_AUTO_TEST_SUITE(unit)
BOOST_AUTO_TEST_SUITE(authorization)

BOOST_AUTO_TEST_CASE(splits_scheme_token_id_and_signature) {
  std::vector<accepted_case> cases = {
      {"one space", "Cubicweb tok:abc", "tok", "abc"},
      {"a tab", "Cubicweb\ttok:abc", "tok", "abc"},
      {"a run of spaces", "Cubicweb    tok:abc", "tok", "abc"},
      {"spaces and tabs", "Cubicweb \t \ttok:abc", "tok", "abc"},
      {"surrounding whitespace", " \tCubicweb tok:abc \t", "tok", "abc"},
      {"colon inside the signature", "Cubicweb tok:ab:cd", "tok", "ab:cd"},
      {"empty signature", "Cubicweb tok:", "tok", ""},
      {"id of 128 characters", "Cubicweb " + id_of(128) + ":abc", id_of(128),
       "abc"},
      {"id of 1 character", "Cubicweb t:abc", "t", "abc"},
      {"space inside the id", "Cubicweb to k:abc", "to k", "abc"},
      {"value of exactly 1024 bytes",
       "Cubicweb tok:" + std::string(1024 - 13, 'a'), "tok",
       std::string(1024 - 13, 'a')},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.name) {
      auto a = sigreq::parse_authorization(c.value, scheme);
      BOOST_TEST_REQUIRE(static_cast<bool>(a),
                         "refused: " << sigreq::message(a.error()));
      BOOST_TEST(a->scheme == scheme);
      BOOST_TEST(a->token_id == c.token_id);
      BOOST_TEST(a->signature == c.signature);
    }
  }
}

BOOST_AUTO_TEST_CASE(refuses_malformed_values_with_their_reason) {
  using namespace std::string_literals;
  std::vector<refused_case> cases = {
      {"empty value", "", refusal::malformed_authorization},
      {"whitespace only", " \t ", refusal::malformed_authorization},
      {"scheme only", "Cubicweb", refusal::malformed_authorization},
      {"scheme and spaces", "Cubicweb   ", refusal::malformed_authorization},
      {"missing colon", "Cubicweb tokabc", refusal::malformed_authorization},
      {"empty id", "Cubicweb :abc", refusal::malformed_authorization},
      {"id of 129 characters", "Cubicweb " + id_of(129) + ":abc",
       refusal::malformed_authorization},
      {"wrong scheme", "Bearer tok:abc", refusal::wrong_scheme},
      {"lowercase scheme", "cubicweb tok:abc", refusal::wrong_scheme},
      {"uppercase scheme", "CUBICWEB tok:abc", refusal::wrong_scheme},
      {"scheme with a suffix", "Cubicwebx tok:abc", refusal::wrong_scheme},
      {"scheme glued to a colon", "Cubicweb:tok:abc",
       refusal::malformed_authorization},
      {"NUL in the id", "Cubicweb t\0k:abc"s, refusal::malformed_authorization},
      {"control byte in the id", "Cubicweb t\x01k:abc",
       refusal::malformed_authorization},
      {"DEL in the id", "Cubicweb t\x7fk:abc",
       refusal::malformed_authorization},
      {"value of 1025 bytes", "Cubicweb tok:" + std::string(1025 - 13, 'a'),
       refusal::oversized_input},
      {"value of 1 MiB", "Cubicweb tok:" + std::string(1 << 20, 'a'),
       refusal::oversized_input},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.name) {
      auto a = sigreq::parse_authorization(c.value, scheme);
      BOOST_TEST_REQUIRE(!a);
      BOOST_TEST(sigreq::message(a.error()) == sigreq::message(c.why));
    }
  }
}

BOOST_AUTO_TEST_CASE(leaves_the_signature_alphabet_to_the_verifier) {
  // Its length and alphabet depend on the hash; the verifier checks them.
  using namespace std::string_literals;
  for (std::string sig : {"ab\ncd"s, "ab\0cd"s, "ABCD"s, "g h"s}) {
    const std::string value = "Cubicweb tok:" + sig;
    auto a = sigreq::parse_authorization(value, scheme);
    BOOST_TEST_REQUIRE(static_cast<bool>(a));
    BOOST_TEST(a->signature == sig);
  }
}

BOOST_AUTO_TEST_CASE(format_then_parse_gives_back_the_parts) {
  const std::string long_id = id_of(128);
  const std::string long_sig(128, 'f');
  std::vector<sigreq::authorization> cases = {
      {scheme, "tok", "00ff"},
      {scheme, long_id, long_sig},
      {scheme, "a", ""},
      {"Other", "x.y-z_1", "sig:with:colons"},
  };
  for (const auto& c : cases) {
    std::string text = sigreq::format_authorization(c);
    BOOST_TEST_CONTEXT(text) {
      BOOST_TEST(text == std::string(c.scheme) + " " + std::string(c.token_id) +
                             ":" + std::string(c.signature));
      auto a = sigreq::parse_authorization(text, c.scheme);
      BOOST_TEST_REQUIRE(static_cast<bool>(a));
      BOOST_TEST(a->scheme == c.scheme);
      BOOST_TEST(a->token_id == c.token_id);
      BOOST_TEST(a->signature == c.signature);
    }
  }
}

BOOST_AUTO_TEST_CASE(parses_at_compile_time) {
  constexpr auto a = sigreq::parse_authorization("Cubicweb t:s", scheme);
  static_assert(a.has_value() && a->token_id == "t" && a->signature == "s");
  constexpr auto b = sigreq::parse_authorization("Basic t:s", scheme);
  static_assert(b.error() == refusal::wrong_scheme);
  BOOST_TEST(a.has_value());
}

BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()
