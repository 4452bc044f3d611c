// Rules found by attacking the library from outside: the replay guard's
// cap, and the stand-in token that an unknown id is computed with.
#define BOOST_TEST_MODULE breaker
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstddef>
#include <string>

#include "fixture.hpp"

namespace {

using namespace std::chrono_literals;
using sigreq::refusal;

// prefix followed by the decimal digits of i. Appends, since g++ 12 warns
// falsely (-Wrestrict) on a literal + a temporary string at -O3.
std::string numbered(std::string_view prefix, int i) {
  std::string s(prefix);
  s += std::to_string(i);
  return s;
}

// Distinct fresh (token id, signature) pairs offered to a guard of cap
// entries; how many it accepts.
std::size_t accepted_of(sigreq::in_memory_replay_guard& guard,
                        std::size_t offered) {
  std::size_t accepted = 0;
  for (std::size_t i = 0; i < offered; ++i) {
    refusal r = guard.check_and_record(
        "tok", numbered("signature-", static_cast<int>(i)), fixture::now + 300s,
        fixture::now);
    if (r == refusal{}) ++accepted;
  }
  return accepted;
}

// The secret of each token of many_tokens().
std::string secret_of(std::string_view id) {
  std::string s = "secret-of-";
  s += id;
  return s;
}

struct many_tokens {
  fixture::store s;
  many_tokens() {
    for (int i = 0; i < 8; ++i) {
      std::string id = numbered("tok-", i);
      s.insert(id, secret_of(id), numbered("p", i));
    }
  }
};

// A GET signed at fixture::now for id with secret.
sigreq::plain_request get_signed(const std::string& id,
                                 std::string_view secret) {
  sigreq::plain_request r("GET", "/items");
  sigreq::signer<fixture::profile> s(id, secret);
  s.sign(r, fixture::url("/items"), "", fixture::now);
  return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(unit)
BOOST_AUTO_TEST_SUITE(breaker)

// --- replay guard: the cap is the number of live entries --------------------

BOOST_AUTO_TEST_CASE(replay_guard_accepts_as_many_requests_as_its_cap) {
  sigreq::in_memory_replay_guard guard(16);
  BOOST_TEST(accepted_of(guard, 16) == 16u);
}

BOOST_AUTO_TEST_CASE(replay_guard_refuses_once_cap_entries_are_live) {
  sigreq::in_memory_replay_guard guard(1);
  BOOST_TEST(accepted_of(guard, 17) == 1u);
}

BOOST_AUTO_TEST_CASE(replay_guard_never_holds_more_than_its_cap) {
  sigreq::in_memory_replay_guard guard(3);
  accepted_of(guard, 100);
  BOOST_TEST(guard.size() <= 3u);
}

// --- the stand-in of an unknown id is never accepted ------------------------

BOOST_AUTO_TEST_CASE(unknown_id_signed_with_its_stand_in_secret_is_refused) {
  many_tokens t;
  fixture::verifier<> v(t.s, fixture::options(),
                        sigreq::settable_clock(fixture::now));
  for (int i = 0; i < 64; ++i) {
    std::string id = numbered("unknown-", i);
    auto look = t.s.find_with_stand_in(id);
    BOOST_TEST_REQUIRE(look.found == nullptr);
    auto who = v.verify(get_signed(id, secret_of(look.used->id())));
    BOOST_TEST((!who && who.error() == refusal::unknown_token), id);
  }
}

BOOST_AUTO_TEST_CASE(unknown_id_in_empty_store_signed_with_empty_key_refused) {
  fixture::store empty;
  fixture::verifier<> v(empty, fixture::options(),
                        sigreq::settable_clock(fixture::now));
  auto who = v.verify(get_signed("nobody", ""));
  BOOST_TEST((!who && who.error() == refusal::unknown_token));
}

BOOST_AUTO_TEST_CASE(erased_token_is_unknown_and_reinserted_one_is_found) {
  many_tokens t;
  BOOST_TEST_REQUIRE(t.s.erase("tok-3"));
  BOOST_TEST(t.s.find("tok-3") == nullptr);
  for (int i = 0; i < 8; ++i) {
    if (i == 3) continue;
    std::string id = numbered("tok-", i);
    BOOST_TEST(t.s.find(id) != nullptr, id);
  }
  BOOST_TEST_REQUIRE(t.s.insert("tok-3", "another-secret", "q"));
  const auto* tok = t.s.find("tok-3");
  BOOST_TEST_REQUIRE(tok != nullptr);
  BOOST_TEST(tok->principal() == "q");
}

BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()

// Found by the fuzz suite: a GET signed with its digest (as the Python
// client sends it) and no Content-Type, replayed with the digest moved
// into the query and the header dropped, signs the very same bytes.
BOOST_AUTO_TEST_CASE(refuses_get_whose_digest_moved_into_the_query) {
  sigreq::in_memory_token_store<sigreq::hash::sha512> tokens;
  tokens.insert("tok", "a secret of some length", "alice");
  auto now = std::chrono::sys_seconds{std::chrono::seconds{1'800'000'000}};
  sigreq::verifier<sigreq::profiles::cubicweb, decltype(tokens),
                   sigreq::settable_clock>
      v(tokens, {.base_url = "https://api.example.org"},
        sigreq::settable_clock(now));
  sigreq::signer<sigreq::profiles::cubicweb> signer("tok",
                                                    "a secret of some length");
  sigreq::plain_request r("GET", "/items?id=5");
  signer.sign(r, "https://api.example.org/items?id=5", "", now);
  BOOST_TEST_REQUIRE(static_cast<bool>(v.verify(r)));

  std::string digest(*r.header_values("Content-SHA512").begin());
  sigreq::plain_request moved("GET", "/items?id=5" + digest);
  for (const auto& f : r.fields())
    if (f.name != "Content-SHA512") moved.add(f.name, f.value);
  BOOST_TEST(v.verify(moved).error() == sigreq::refusal::missing_body_digest);
}
