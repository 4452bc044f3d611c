// Key states are wiped from memory when a key or a token is destroyed, and
// MD5 works through the legacy profile (the compile check shows it works
// through no other).
//
// How the bytes are inspected: the object is built in an unsigned char
// array (which may provide storage for other objects), its bytes are
// copied out with memcpy while it lives and again after its destructor
// ran (behind a compiler barrier); the array itself stays alive
// throughout.
// Which bytes hold key material is found by building the same object from
// two different secrets at the same address: the bytes that differ are
// secret-dependent, and each of them must read zero after destruction.
#define BOOST_TEST_MODULE hardening_wipe
#include <boost/test/unit_test.hpp>

#include <array>
#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "fixture.hpp"

namespace {

struct wipe_report {
  std::size_t secret_bytes = 0;  // bytes that depend on the secret
  std::size_t left_behind = 0;   // of those, not zero after destruction
};

template <class T, class Make>
wipe_report inspect(Make make) {
  alignas(T) unsigned char storage[sizeof(T)];
  std::array<unsigned char, sizeof(T)> live[2];
  std::array<unsigned char, sizeof(T)> dead[2];

  for (int i = 0; i < 2; ++i) {
    std::memset(storage, 0xa5, sizeof storage);
    T* p = make(storage, i);
    std::memcpy(live[i].data(), storage, sizeof storage);
    std::destroy_at(p);
    // The compiler takes the bytes of a destroyed object as unknown; the
    // barrier says they may have been written since, so the copy reads
    // what is really in memory.
    __asm__ __volatile__("" : : "r"(storage) : "memory");
    std::memcpy(dead[i].data(), storage, sizeof storage);
  }

  wipe_report r;
  for (std::size_t b = 0; b < sizeof(T); ++b) {
    if (live[0][b] == live[1][b]) continue;
    ++r.secret_bytes;
    if (dead[0][b] != 0 || dead[1][b] != 0) ++r.left_behind;
  }
  return r;
}

const std::string secrets[2] = {"first-secret-0123456789abcdef0123456789",
                                "other-secret-fedcba9876543210fedcba9876"};

// The detector's control: a key holder that forgets to wipe.
struct careless_key {
  std::array<unsigned char, 64> pad{};
  explicit careless_key(std::string_view s) {
    std::memcpy(pad.data(), s.data(), std::min(s.size(), pad.size()));
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(detector_sees_a_key_left_in_memory) {
  auto r = inspect<careless_key>([](unsigned char* at, int i) {
    return ::new (at) careless_key(secrets[i]);
  });
  BOOST_TEST(r.secret_bytes > 0u);
  BOOST_TEST(r.left_behind == r.secret_bytes);
}

BOOST_AUTO_TEST_CASE(hmac_key_sha512_wipes_its_state_on_destruction) {
  using key = sigreq::hmac_key<sigreq::hash::sha512>;
  auto r = inspect<key>(
      [](unsigned char* at, int i) { return ::new (at) key(secrets[i]); });
  // Two SHA-512 chaining states of 64 bytes each; a byte may match by
  // chance between the two secrets, hence the margin.
  BOOST_TEST(r.secret_bytes >= 96u);
  BOOST_TEST(r.left_behind == 0u);
}

BOOST_AUTO_TEST_CASE(hmac_key_md5_wipes_its_state_on_destruction) {
  using key = sigreq::hmac_key<sigreq::hash::legacy_md5>;
  auto r = inspect<key>(
      [](unsigned char* at, int i) { return ::new (at) key(secrets[i]); });
  BOOST_TEST(r.secret_bytes >= 24u);
  BOOST_TEST(r.left_behind == 0u);
}

BOOST_AUTO_TEST_CASE(token_wipes_its_key_state_on_destruction) {
  using token = sigreq::token<sigreq::hash::sha512>;
  auto r = inspect<token>([](unsigned char* at, int i) {
    return ::new (at) token("tok", secrets[i], "alice");
  });
  BOOST_TEST(r.secret_bytes >= 96u);
  BOOST_TEST(r.left_behind == 0u);
}

BOOST_AUTO_TEST_CASE(signer_wipes_its_key_state_on_destruction) {
  using signer = sigreq::signer<sigreq::profiles::cubicweb>;
  auto r = inspect<signer>([](unsigned char* at, int i) {
    return ::new (at) signer("tok", secrets[i]);
  });
  BOOST_TEST(r.secret_bytes >= 96u);
  BOOST_TEST(r.left_behind == 0u);
}

BOOST_AUTO_TEST_CASE(legacy_md5_profile_verifies_its_own_requests) {
  using profile = sigreq::profiles::cubicweb_md5_legacy;
  using H = profile::hash;
  sigreq::in_memory_token_store<H> store;
  store.insert("tok", secrets[0], "alice");
  sigreq::signer<profile> signer("tok", secrets[0]);
  sigreq::verifier<profile, decltype(store), sigreq::settable_clock> v(
      store, {.base_url = std::string(hardening::base_url)},
      sigreq::settable_clock(hardening::now));

  sigreq::plain_request r("POST", "/api/items");
  r.add("Content-Type", "text/plain");
  signer.sign(r, std::string(hardening::base_url) + "/api/items", "body",
              hardening::now);

  BOOST_TEST(hardening::value_of(r, "Content-MD5").size() == 32u);
  BOOST_TEST(v.verify(r, "body").error() == sigreq::refusal{});
  BOOST_TEST(v.verify(r, "bodY").error() ==
             sigreq::refusal::body_digest_mismatch);
}
