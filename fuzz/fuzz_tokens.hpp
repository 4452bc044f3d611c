// The fixed world of the verification fuzzers: one live token whose secret
// the fuzzers know, tokens turned off in each way a token can be, a clock
// stopped at one instant, and an independent computation of signatures
// and body digests with Crypto++'s own HMAC and SHA-512.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include <cryptopp/hmac.h>
#include <cryptopp/sha.h>
#include <date/date.h>
#include <sigreq/clock.hpp>
#include <sigreq/hex.hpp>
#include <sigreq/request.hpp>
#include <sigreq/token_store.hpp>

namespace sigreq_fuzz {

inline constexpr std::string_view live_token = "tok";
inline constexpr std::string_view live_secret = "s3cr3t-of-the-fuzz-token";
inline constexpr std::string_view live_principal = "alice";

// 2024-03-15 12:00:00 UTC, the Date of every seed.
inline std::chrono::sys_seconds fuzz_now() {
  using namespace std::chrono;
  return sys_seconds{date::sys_days{date::year{2024} / 3 / 15}} + hours{12};
}

// Fills a store (stores are not copyable) with the tokens above.
inline void fill_store(sigreq::in_memory_token_store<sigreq::hash::sha512>& s) {
  s.insert(std::string(live_token), live_secret, std::string(live_principal));
  s.insert("tok-disabled", live_secret, "bob", std::nullopt, false);
  s.insert("tok-expired", live_secret, "carol",
           fuzz_now() - std::chrono::seconds{1});
  s.insert("tok-inactive", live_secret, "dave", std::nullopt, true, false);
}

inline bool same_name(std::string_view a, std::string_view b) {
  return sigreq::detail::iequals(a, b);
}

// The first value of the first of names present, as the scheme reads a
// slot; empty when none is present.
inline std::string_view first_value(
    const sigreq::plain_request& r,
    std::initializer_list<std::string_view> names) {
  for (std::string_view name : names)
    for (const auto& f : r.fields())
      if (same_name(f.name, name)) return f.value;
  return {};
}

inline std::size_t count_named(const sigreq::plain_request& r,
                               std::string_view name) {
  std::size_t n = 0;
  for (const auto& f : r.fields())
    n += same_name(f.name, name);
  return n;
}

// HMAC-SHA512 of method, url and the three cubicweb slots, in lowercase
// hex, computed without any of sigreq's hashing code.
inline std::string independent_signature(const sigreq::plain_request& r,
                                         std::string_view url,
                                         std::string_view secret) {
  CryptoPP::HMAC<CryptoPP::SHA512> mac(
      reinterpret_cast<const CryptoPP::byte*>(secret.data()), secret.size());
  auto feed = [&](std::string_view s) {
    mac.Update(reinterpret_cast<const CryptoPP::byte*>(s.data()), s.size());
  };
  feed(r.method());
  feed(url);
  feed(first_value(r, {"Content-SHA512"}));
  feed(first_value(r, {"Content-Type"}));
  feed(first_value(r, {"X-Cubicweb-Date", "Date"}));
  CryptoPP::byte out[CryptoPP::SHA512::DIGESTSIZE];
  mac.Final(out);
  std::string hex;
  for (CryptoPP::byte b : out) {
    hex.push_back("0123456789abcdef"[b >> 4]);
    hex.push_back("0123456789abcdef"[b & 15]);
  }
  return hex;
}

inline std::string independent_body_digest(std::string_view body) {
  CryptoPP::SHA512 h;
  h.Update(reinterpret_cast<const CryptoPP::byte*>(body.data()), body.size());
  CryptoPP::byte out[CryptoPP::SHA512::DIGESTSIZE];
  h.Final(out);
  std::string hex;
  for (CryptoPP::byte b : out) {
    hex.push_back("0123456789abcdef"[b >> 4]);
    hex.push_back("0123456789abcdef"[b & 15]);
  }
  return hex;
}

}  // namespace sigreq_fuzz
