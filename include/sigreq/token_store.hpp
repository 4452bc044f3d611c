// Tokens and where the verifier finds them.
//
// A token holds its id, the keyed MAC state built from its secret (the
// secret itself is not kept), its principal, and the switches that can
// turn it off: enabled, an optional expiry, whether the principal is still
// active. A store maps a token id to a token; in_memory_token_store is
// the one shipped.
#pragma once

#include <atomic>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "hash.hpp"
#include "limits.hpp"
#include "token_index.hpp"

namespace sigreq {

template <hash_policy H>
class token {
 public:
  token(std::string id, std::string_view secret, std::string principal,
        std::optional<std::chrono::sys_seconds> expires = std::nullopt,
        bool enabled = true, bool principal_active = true)
      : id_(std::move(id)),
        padded_id_(detail::padded_id::of(id_)),
        principal_(std::move(principal)),
        key_(secret),
        secret_size_(secret.size()),
        expires_(expires),
        enabled_(enabled),
        principal_active_(principal_active) {}

  token(const token&) = delete;
  token& operator=(const token&) = delete;

  std::string_view id() const noexcept { return id_; }
  const detail::padded_id& padded() const noexcept { return padded_id_; }
  std::string_view principal() const noexcept { return principal_; }
  const hmac_key<H>& key() const noexcept { return key_; }
  std::size_t secret_size() const noexcept { return secret_size_; }
  std::optional<std::chrono::sys_seconds> expires() const noexcept {
    return expires_;
  }

  bool enabled() const noexcept {
    return enabled_.load(std::memory_order_relaxed);
  }
  void set_enabled(bool on) noexcept {
    enabled_.store(on, std::memory_order_relaxed);
  }
  bool principal_active() const noexcept {
    return principal_active_.load(std::memory_order_relaxed);
  }
  void set_principal_active(bool on) noexcept {
    principal_active_.store(on, std::memory_order_relaxed);
  }

  // The time of the last successful verification, or the epoch.
  std::chrono::sys_seconds last_used() const noexcept {
    return std::chrono::sys_seconds{
        std::chrono::seconds{last_used_.load(std::memory_order_relaxed)}};
  }
  // Writes only when the second changed, so that threads verifying the
  // same token do not fight over its cache line.
  void record_use(std::chrono::sys_seconds t) const noexcept {
    auto v = t.time_since_epoch().count();
    if (last_used_.load(std::memory_order_relaxed) != v)
      last_used_.store(v, std::memory_order_relaxed);
  }

 private:
  std::string id_;
  detail::padded_id padded_id_;
  std::string principal_;
  hmac_key<H> key_;
  std::size_t secret_size_;
  std::optional<std::chrono::sys_seconds> expires_;
  std::atomic<bool> enabled_;
  std::atomic<bool> principal_active_;
  mutable std::atomic<std::int64_t> last_used_{0};
};

// What the verifier needs of a store: find(id) returns the token or
// nullptr, without throwing. The token must stay alive while the result
// of the verification (which views its id and principal) is in use. A
// store may also offer record_use(token, time), called after success.
template <class S, class H>
concept token_store = hash_policy<H> &&
    requires(const S& s, std::string_view id) {
  { s.find(id) }
  noexcept->std::same_as<const token<H>*>;
};

// What find_with_stand_in() returns: found is the token or nullptr; used
// is found or a stand-in, never nullptr, never to be accepted.
template <hash_policy H>
struct token_lookup {
  const token<H>* found;
  const token<H>* used;
};

template <class S, class H>
concept finds_stand_in = requires(const S& s, std::string_view id) {
  { s.find_with_stand_in(id) }
  noexcept->std::same_as<token_lookup<H>>;
};

template <class S, class H>
concept records_use = requires(const S& s, const token<H>& t,
                               std::chrono::sys_seconds now) {
  s.record_use(t, now);
};

namespace detail {
struct transparent_string_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};
}  // namespace detail

// Tokens by id. find() costs the same, and touches memory the same way,
// whether the id is known or not (see token_index.hpp); it allocates
// nothing and may run on many threads at once. insert() and erase() must
// not run while other threads call find(); enable, disable and record_use
// may. Memory: about 500 bytes of heap a token for SHA-512, index and
// map by id included (BM_store_fill in bench/ measures it).
template <hash_policy H>
class in_memory_token_store {
 public:
  in_memory_token_store()
      : dummy_(std::string(max_token_id_size + 1, '\0'), "", "") {}

  in_memory_token_store(const in_memory_token_store&) = delete;
  in_memory_token_store& operator=(const in_memory_token_store&) = delete;

  // Adds a token; false when its id is already taken or longer than
  // max_token_id_size. Allocates.
  bool insert(std::string id, std::string_view secret, std::string principal,
              std::optional<std::chrono::sys_seconds> expires = std::nullopt,
              bool enabled = true, bool principal_active = true) {
    if (id.size() > max_token_id_size) return false;
    if (tokens_.find(std::string_view(id)) != tokens_.end()) return false;
    auto t = std::make_unique<token<H>>(id, secret, std::move(principal),
                                        expires, enabled, principal_active);
    index_.insert(t.get());
    tokens_.emplace(std::move(id), std::move(t));
    return true;
  }

  // Drops a token; its key state is wiped as it is destroyed.
  bool erase(std::string_view id) {
    auto it = tokens_.find(id);
    if (it == tokens_.end()) return false;
    index_.erase(it->second.get());
    tokens_.erase(it);
    return true;
  }

  const token<H>* find(std::string_view id) const noexcept {
    return find_with_stand_in(id).found;
  }

  // The token (or nullptr) and a token to compute with either way: the
  // one found, or another stored token that stands in for an unknown id
  // (see token_index.hpp). The verifier uses it when a store offers it.
  token_lookup<H> find_with_stand_in(std::string_view id) const noexcept {
    if (id.size() > max_token_id_size) return {nullptr, &dummy_};
    detail::padded_id probe(detail::padded_id::unfilled);
    probe.write_used(id);
    auto r = index_.find(probe, dummy_);
    return {r.found, r.used};
  }

  // For administration (enable, disable); not constant time.
  token<H>* find_mutable(std::string_view id) noexcept {
    auto it = tokens_.find(id);
    return it == tokens_.end() ? nullptr : it->second.get();
  }

  void record_use(const token<H>& t,
                  std::chrono::sys_seconds now) const noexcept {
    t.record_use(now);
  }

  std::size_t size() const noexcept { return tokens_.size(); }
  void reserve(std::size_t n) {
    tokens_.reserve(n);
    index_.reserve(n);
  }

 private:
  std::unordered_map<std::string, std::unique_ptr<token<H>>,
                     detail::transparent_string_hash, std::equal_to<>>
      tokens_;
  detail::token_index<token<H>> index_;
  // Compared against when no fingerprint matches; its id is longer than
  // any id find() accepts, so it never equals one.
  token<H> dummy_;
};

}  // namespace sigreq
