// Hash policies and the keyed MAC state built from them.
//
// A hash policy names a Crypto++ hash and the header that carries the
// lowercase hex digest of a body under it. hmac_key absorbs a secret's
// padded inner and outer keys once; every MAC computed from it afterwards
// starts from copies of those states and performs no key setup.
#pragma once

#include <algorithm>
#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#ifndef CRYPTOPP_ENABLE_NAMESPACE_WEAK
#define CRYPTOPP_ENABLE_NAMESPACE_WEAK 1
#endif
#include <cryptopp/md5.h>
#include <cryptopp/misc.h>
#include <cryptopp/sha.h>

#include "hex.hpp"

namespace sigreq {
namespace hash {

struct sha512 {
  using primitive = CryptoPP::SHA512;
  static constexpr std::string_view name = "SHA-512";
  static constexpr std::string_view content_digest_header = "Content-SHA512";
  static constexpr std::size_t digest_size = 64;
  static constexpr std::size_t block_size = 128;
  static constexpr bool legacy = false;
};

struct sha256 {
  using primitive = CryptoPP::SHA256;
  static constexpr std::string_view name = "SHA-256";
  static constexpr std::string_view content_digest_header = "Content-SHA256";
  static constexpr std::size_t digest_size = 32;
  static constexpr std::size_t block_size = 64;
  static constexpr bool legacy = false;
};

// SHA-1 is broken for collisions; HMAC-SHA-1 is not, but prefer SHA-512.
struct sha1 {
  using primitive = CryptoPP::SHA1;
  static constexpr std::string_view name = "SHA-1";
  static constexpr std::string_view content_digest_header = "Content-SHA1";
  static constexpr std::size_t digest_size = 20;
  static constexpr std::size_t block_size = 64;
  static constexpr bool legacy = false;
};

// MD5 exists for old deployments only. A profile can use it only when it
// declares itself legacy (see profiles.hpp).
struct legacy_md5 {
  using primitive = CryptoPP::Weak1::MD5;
  static constexpr std::string_view name = "MD5";
  static constexpr std::string_view content_digest_header = "Content-MD5";
  static constexpr std::size_t digest_size = 16;
  static constexpr std::size_t block_size = 64;
  static constexpr bool legacy = true;
};

}  // namespace hash

// What sigreq needs of a hash policy.
template <class H>
concept hash_policy = requires {
  typename H::primitive;
  { H::name } -> std::convertible_to<std::string_view>;
  { H::content_digest_header } -> std::convertible_to<std::string_view>;
  { H::legacy } -> std::convertible_to<bool>;
  requires std::derived_from<typename H::primitive,
                             CryptoPP::HashTransformation>;
  requires std::copy_constructible<typename H::primitive>;
  requires H::digest_size == H::primitive::DIGESTSIZE;
  requires H::block_size == H::primitive::BLOCKSIZE;
};

template <hash_policy H>
using digest = std::array<std::uint8_t, H::digest_size>;

template <hash_policy H>
using hex_digest = std::array<char, 2 * H::digest_size>;

template <hash_policy H>
class mac_state;

// The precomputed HMAC key of one secret (RFC 2104). Holds two hash states;
// both are wiped by Crypto++ when the key is destroyed. Allocates nothing.
template <hash_policy H>
class hmac_key {
 public:
  explicit hmac_key(std::span<const std::uint8_t> secret) noexcept {
    std::array<std::uint8_t, H::block_size> pad{};
    if (secret.size() > H::block_size) {
      typename H::primitive h;
      h.Update(secret.data(), secret.size());
      h.Final(pad.data());
    } else if (!secret.empty()) {
      std::copy(secret.begin(), secret.end(), pad.begin());
    }

    for (auto& b : pad)
      b ^= 0x36;
    inner_.Update(pad.data(), pad.size());
    for (auto& b : pad)
      b ^= 0x36 ^ 0x5c;
    outer_.Update(pad.data(), pad.size());
    CryptoPP::SecureWipeBuffer(pad.data(), pad.size());
  }

  explicit hmac_key(std::string_view secret) noexcept
      : hmac_key(std::span(reinterpret_cast<const std::uint8_t*>(secret.data()),
                           secret.size())) {}

  mac_state<H> start() const noexcept;

 private:
  friend class mac_state<H>;
  typename H::primitive inner_;
  typename H::primitive outer_;
};

// One MAC computation in progress: feed bytes, then finish. Copies the
// key's inner state (a few hundred bytes on the stack, no allocation).
template <hash_policy H>
class mac_state {
 public:
  explicit mac_state(const hmac_key<H>& key) noexcept
      : key_(&key), inner_(key.inner_) {}

  void update(std::string_view bytes) noexcept {
    inner_.Update(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                  bytes.size());
  }

  digest<H> finish() noexcept {
    digest<H> out;
    inner_.Final(out.data());
    typename H::primitive outer(key_->outer_);
    outer.Update(out.data(), out.size());
    outer.Final(out.data());
    return out;
  }

 private:
  const hmac_key<H>* key_;
  typename H::primitive inner_;
};

template <hash_policy H>
mac_state<H> hmac_key<H>::start() const noexcept {
  return mac_state<H>(*this);
}

// A plain digest fed in chunks, as a body arrives.
template <hash_policy H>
class digest_state {
 public:
  void update(std::string_view bytes) noexcept {
    h_.Update(reinterpret_cast<const std::uint8_t*>(bytes.data()),
              bytes.size());
  }

  hex_digest<H> finish_hex() noexcept {
    digest<H> d;
    h_.Final(d.data());
    hex_digest<H> out;
    encode_hex(d, out.data());
    return out;
  }

 private:
  typename H::primitive h_;
};

// The hex digest of an empty body, computed once per hash.
template <hash_policy H>
const hex_digest<H>& empty_body_digest() noexcept {
  static const hex_digest<H> value = [] {
    digest_state<H> d;
    return d.finish_hex();
  }();
  return value;
}

}  // namespace sigreq
