// What the scheme tests share: one token, one instant, one base URL, and
// requests signed by sigreq::signer at that instant.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <boost/test/unit_test.hpp>

#include <sigreq/sigreq.hpp>

namespace fixture {

using namespace std::chrono_literals;

inline constexpr std::string_view token_id = "tok-1";
inline constexpr std::string_view secret = "correct horse battery staple";
inline constexpr std::string_view principal = "alice";
inline constexpr std::string_view base_url = "https://api.example.org/cw";
// Fri, 15 Jan 2027 08:00:00 GMT
inline constexpr std::chrono::sys_seconds now{1'800'000'000s};

using store = sigreq::in_memory_token_store<sigreq::hash::sha512>;
using profile = sigreq::profiles::cubicweb;

template <class Guard = sigreq::no_replay_guard>
using verifier =
    sigreq::verifier<profile, store, sigreq::settable_clock, Guard>;

inline sigreq::verifier_options options() {
  return {.base_url = std::string(base_url)};
}

// A store holding the fixture's token, enabled and live.
struct tokens {
  store s;
  tokens() { s.insert(std::string(token_id), secret, std::string(principal)); }
};

// The url a client signs for a target.
inline std::string url(std::string_view target) {
  return std::string(base_url) + std::string(target);
}

// A request signed by the fixture's token at `at` (now by default).
template <class Profile = profile>
sigreq::plain_request signed_request(std::string method, std::string target,
                                     std::string_view body = {},
                                     std::string content_type = {},
                                     std::chrono::sys_seconds at = now,
                                     std::string_view id = token_id) {
  sigreq::plain_request r(std::move(method), target);
  if (!content_type.empty()) r.add("Content-Type", std::move(content_type));
  sigreq::signer<Profile> s(std::string(id), secret);
  BOOST_TEST_REQUIRE((s.sign(r, url(target), body, at) == sigreq::refusal{}),
                     "the signer refused to sign");
  return r;
}

// The single value of a header, or "" when absent.
inline std::string_view value_of(const sigreq::plain_request& r,
                                 std::string_view name) {
  for (std::string_view v : r.header_values(name))
    return v;
  return {};
}

// A copy of r with every field of that name replaced by value (or added).
inline sigreq::plain_request with(sigreq::plain_request r,
                                  std::string_view name, std::string value) {
  r.set(name, std::move(value));
  return r;
}

// A copy of r without the fields of that name.
inline sigreq::plain_request without(const sigreq::plain_request& r,
                                     std::string_view name) {
  sigreq::plain_request out(std::string(r.method()), std::string(r.target()));
  for (const auto& f : r.fields())
    if (!sigreq::detail::iequals(f.name, name)) out.add(f.name, f.value);
  return out;
}

}  // namespace fixture
