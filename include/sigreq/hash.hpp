// Hash policies and the keyed MAC state built from them.
//
// A hash policy names a Crypto++ hash and the header that carries the
// lowercase hex digest of a body under it. hmac_key absorbs a secret's
// padded inner and outer keys once; every MAC computed from it afterwards
// starts from copies of those chaining states and performs no key setup.
// The MAC drives Crypto++'s compression function itself; body digests use
// Crypto++'s hash objects.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <type_traits>

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

namespace detail {

// Zeroes n bytes at p in a way the compiler may not drop as a dead store.
inline void wipe(void* p, std::size_t n) noexcept {
  std::memset(p, 0, n);
  __asm__ __volatile__("" : : "r"(p) : "memory");
}

template <class W>
constexpr W byte_swap(W w) noexcept {
  if constexpr (sizeof(W) == 8)
    return __builtin_bswap64(w);
  else
    return __builtin_bswap32(w);
}

// The compression function of H's Crypto++ primitive, called directly:
// sigreq keeps the chaining state and the block buffer itself, so that a
// MAC costs the compressions and a few copies, with none of the
// per-call work of Crypto++'s general interface (virtual calls, a state
// object of several hundred bytes to copy and wipe).
template <hash_policy H>
struct compression {
  using primitive = typename H::primitive;
  using word = typename primitive::HashWordType;
  static constexpr bool big_endian =
      std::is_same_v<typename primitive::ByteOrderClass, CryptoPP::BigEndian>;
  static constexpr std::size_t block_words = H::block_size / sizeof(word);
  // The message length that ends the padding: 16 bytes for 128-byte
  // blocks (SHA-512), 8 otherwise (FIPS 180-4, RFC 1321).
  static constexpr std::size_t length_size = H::block_size == 128 ? 16 : 8;

  struct alignas(16) state {
    std::array<word, H::digest_size / sizeof(word)> words;
  };
  struct alignas(16) block_words_t {
    std::array<word, block_words> words;
  };

  static word to_native(word w) noexcept {
    if constexpr (big_endian != (std::endian::native == std::endian::big))
      return byte_swap(w);
    else
      return w;
  }

  static void init(state& s) noexcept { primitive::InitState(s.words.data()); }

  // Absorbs one block; scratch receives its words (wipe it for a key).
  static void absorb(state& s, const unsigned char* block,
                     block_words_t& scratch) noexcept {
    // A word at a time, so that each load can take its bytes from a
    // store still pending (the block was often just filled).
    for (std::size_t i = 0; i < block_words; ++i) {
      word w;
      std::memcpy(&w, block + i * sizeof(word), sizeof(word));
      scratch.words[i] = to_native(w);
    }
    primitive::Transform(s.words.data(), scratch.words.data());
  }

  static void absorb(state& s, const unsigned char* block) noexcept {
    block_words_t scratch;
    absorb(s, block, scratch);
  }

  // The digest bytes of a state, in the hash's byte order.
  static void output(const state& s, std::uint8_t* out) noexcept {
    for (std::size_t i = 0; i < s.words.size(); ++i) {
      word w = to_native(s.words[i]);
      std::memcpy(out + i * sizeof(word), &w, sizeof(word));
    }
  }

  // Writes the length field of a message of `bytes` bytes at the end of
  // block (the bytes before it must already be set).
  static void put_length(unsigned char* block, std::uint64_t bytes) noexcept {
    unsigned char* at = block + H::block_size - length_size;
    std::memset(at, 0, length_size);
    std::uint64_t bits = bytes << 3;
    if constexpr (big_endian) {
      if constexpr (length_size == 16)
        at[7] = static_cast<unsigned char>(bytes >> 61);
      for (int i = 0; i < 8; ++i)
        at[length_size - 1 - i] = static_cast<unsigned char>(bits >> (8 * i));
    } else {
      for (int i = 0; i < 8; ++i)
        at[i] = static_cast<unsigned char>(bits >> (8 * i));
    }
  }
};

}  // namespace detail

// The precomputed HMAC key of one secret (RFC 2104): the chaining states
// after the inner and the outer padded key block. Wiped when destroyed.
// Allocates nothing.
template <hash_policy H>
class hmac_key {
  using C = detail::compression<H>;

 public:
  explicit hmac_key(std::span<const std::uint8_t> secret) noexcept {
    alignas(16) std::array<unsigned char, H::block_size> pad{};
    if (secret.size() > H::block_size) {
      typename H::primitive h;
      h.Update(secret.data(), secret.size());
      h.Final(pad.data());
    } else if (!secret.empty()) {
      std::copy(secret.begin(), secret.end(), pad.begin());
    }

    typename C::block_words_t scratch;
    for (auto& b : pad)
      b ^= 0x36;
    C::init(inner_);
    C::absorb(inner_, pad.data(), scratch);
    for (auto& b : pad)
      b ^= 0x36 ^ 0x5c;
    C::init(outer_);
    C::absorb(outer_, pad.data(), scratch);
    detail::wipe(pad.data(), pad.size());
    detail::wipe(&scratch, sizeof scratch);
  }

  explicit hmac_key(std::string_view secret) noexcept
      : hmac_key(std::span(reinterpret_cast<const std::uint8_t*>(secret.data()),
                           secret.size())) {}

  hmac_key(const hmac_key&) = default;
  hmac_key& operator=(const hmac_key&) = default;
  ~hmac_key() {
    detail::wipe(&inner_, sizeof inner_);
    detail::wipe(&outer_, sizeof outer_);
  }

  mac_state<H> start() const noexcept;

 private:
  friend class mac_state<H>;
  typename C::state inner_;
  typename C::state outer_;
};

// One MAC computation in progress: feed bytes, then finish. Copies the
// key's inner state and buffers one block (about 200 bytes on the stack
// for SHA-512, no allocation); its state is wiped when it is destroyed.
template <hash_policy H>
class mac_state {
  using C = detail::compression<H>;
  static constexpr std::size_t B = H::block_size;

 public:
  explicit mac_state(const hmac_key<H>& key) noexcept
      : key_(&key), state_(key.inner_) {}

  mac_state(const mac_state&) = delete;
  mac_state& operator=(const mac_state&) = delete;
  ~mac_state() { detail::wipe(&state_, sizeof state_); }

  void update(std::string_view bytes) noexcept {
    // A string to sign arrives in a handful of short pieces: most only
    // join the buffered block.
    if (bytes.empty()) return;  // its data() may be null
    auto p = reinterpret_cast<const unsigned char*>(bytes.data());
    if (bytes.size() < B - used_) {
      std::memcpy(block_ + used_, p, bytes.size());
      used_ += bytes.size();
      return;
    }
    absorb_through(p, bytes.size());
  }

  // update() of each piece in turn, each copied straight into the block
  // buffer: for a string to sign, a handful of short pieces, with one
  // copy fewer than gathering them first for one update(), and measured
  // 1 to 4 points of GET/limit faster than calling update() a piece
  // (bench/ab/ab.sh).
  template <std::size_t N>
  void update_each(const std::array<std::string_view, N>& pieces) noexcept {
    for (std::string_view piece : pieces) {
      auto p = reinterpret_cast<const unsigned char*>(piece.data());
      std::size_t n = piece.size();
      // used_ < B here, so each turn takes at least one byte.
      while (n >= B - used_) {
        std::size_t take = B - used_;
        std::memcpy(block_ + used_, p, take);
        C::absorb(state_, block_);
        absorbed_ += B;
        used_ = 0;
        p += take;
        n -= take;
      }
      if (n != 0) std::memcpy(block_ + used_, p, n);
      used_ += n;
    }
  }

  digest<H> finish() noexcept {
    // The inner hash: 0x80, zeros, the length of key block and message.
    std::uint64_t length = absorbed_ + used_;
    block_[used_++] = 0x80;
    if (used_ > B - C::length_size) {
      std::memset(block_ + used_, 0, B - used_);
      C::absorb(state_, block_);
      used_ = 0;
    }
    std::memset(block_ + used_, 0, B - C::length_size - used_);
    C::put_length(block_, length);
    C::absorb(state_, block_);

    // The outer hash over the inner digest, in one block.
    static_assert(H::digest_size + 1 + C::length_size <= B);
    digest<H> out;
    C::output(state_, block_);
    block_[H::digest_size] = 0x80;
    std::memset(block_ + H::digest_size + 1, 0,
                B - C::length_size - H::digest_size - 1);
    C::put_length(block_, B + H::digest_size);
    typename C::state outer = key_->outer_;
    typename C::block_words_t words;
    C::absorb(outer, block_, words);
    C::output(outer, out.data());
    detail::wipe(&outer, sizeof outer);
    // The block and its words held the inner digest, derived from the key.
    detail::wipe(block_, H::digest_size);
    detail::wipe(&words, H::digest_size);
    used_ = 0;
    absorbed_ = B;
    state_ = key_->inner_;
    return out;
  }

 private:
  // Completes the buffered block with n >= B - used_ bytes at p and
  // absorbs it, then every whole block of the rest straight from p, and
  // buffers what remains.
  void absorb_through(const unsigned char* p, std::size_t n) noexcept {
    if (used_ != 0) {
      std::size_t take = B - used_;
      std::memcpy(block_ + used_, p, take);
      C::absorb(state_, block_);
      p += take;
      n -= take;
      absorbed_ += B;
    }
    for (; n >= B; p += B, n -= B, absorbed_ += B)
      C::absorb(state_, p);
    std::memcpy(block_, p, n);
    used_ = n;
  }

  const hmac_key<H>* key_;
  typename C::state state_;
  std::uint64_t absorbed_ = B;  // bytes absorbed, the key block included
  std::size_t used_ = 0;
  alignas(16) unsigned char block_[B];
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
