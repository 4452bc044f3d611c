// The decision: is this request signed by a live token, and by which one?
//
//   sigreq::in_memory_token_store<sigreq::hash::sha512> tokens;
//   tokens.insert("tok", secret, "alice");
//   sigreq::verifier<sigreq::profiles::cubicweb, decltype(tokens)> v(
//       tokens, {.base_url = "https://api.example.org"});
//   auto who = v.verify(request, body);  // who->principal == "alice"
//
// Verification reads, in order: Authorization, the token (looked up at
// once, decided on only at the MAC), the signed headers (none twice), the
// method and target; it then computes the MAC, checks the date and its
// window and the body digest header, and compares the MAC in constant
// time. A token that is unknown,
// disabled, expired or whose principal is inactive still costs one MAC
// (with the key of a stand-in token the store picks, or of a dummy one), so
// token ids cannot be probed by timing. The body is then hashed as it
// streams and compared with its header; the replay guard and the token's
// last use are updated only for a request that passed all.
//
// Nothing here throws or allocates (the in-memory replay guard allocates
// its entries). Input limits: Authorization 1 KiB, method 32 bytes, target
// max_target_size (8 KiB), each signed header value 8 KiB, body
// max_body_size (unlimited by default); beyond them: oversized_input.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "authorization.hpp"
#include "clock.hpp"
#include "constant_time.hpp"
#include "error.hpp"
#include "hash.hpp"
#include "http_date.hpp"
#include "limits.hpp"
#include "profiles.hpp"
#include "replay_guard.hpp"
#include "request.hpp"
#include "signed_headers.hpp"
#include "string_to_sign.hpp"
#include "syntax.hpp"
#include "token_store.hpp"

namespace sigreq {

struct verifier_options {
  // The external base of the URL clients sign: scheme://host[:port][/prefix]
  // with no trailing '/'. The request-target is appended as received.
  std::string base_url;
  // Opt-in: build the URL from host_scheme, "://", the Host header and the
  // target instead. Only behind a proxy that sets Host itself.
  bool url_from_host = false;
  std::string host_scheme = "https";
  std::chrono::seconds max_past{300};
  std::chrono::seconds max_future{300};
  // GET must carry a content digest too, as the Python client library
  // always sends. Without one, the end of the target and the start of the
  // next signed value can trade bytes unseen (a GET's query can swallow
  // its own digest). Off only for old clients that send none on GET.
  bool require_digest_on_get = true;
  bool record_last_use = true;
  std::size_t max_target_size = default_max_target_size;
  std::size_t max_body_size = std::numeric_limits<std::size_t>::max();
};

// Who signed an accepted request. Views into the token store's entry.
struct identity {
  std::string_view token_id;
  std::string_view principal;
};

template <class Profile, class Store, clock_policy Clock = system_clock,
          replay_guard Guard = no_replay_guard>
class verifier {
  static_assert(check_profile<Profile>());
  using H = typename Profile::hash;
  using headers = typename Profile::headers;
  static_assert(token_store<Store, H>,
                "Store must offer `const sigreq::token<H>* find("
                "std::string_view) const noexcept` for the profile's hash");

  static constexpr std::size_t digest_slot =
      headers::template index_of<content_digest>();
  static constexpr std::size_t date_slot =
      headers::template index_of<typename Profile::date_field>();
  static constexpr std::size_t content_type_slot =
      headers::template index_of<field<"Content-Type">>();

 public:
  using profile_type = Profile;
  using hash_type = H;

  // A verification whose headers passed, waiting for the body. The request
  // given to begin() must outlive it.
  class pending {
   public:
    // Feeds body bytes in order. Does nothing once refused.
    void update(std::string_view chunk) noexcept {
      if (why_ != refusal{}) return;
      if (chunk.size() > max_body_ - body_size_) {
        why_ = refusal::oversized_input;
        return;
      }
      body_size_ += chunk.size();
      if (!body_) body_.emplace();
      body_->update(chunk);
    }

    // True when the request is refused whatever its body.
    bool refused() const noexcept { return why_ != refusal{}; }

    // The decision, once the whole body was fed.
    result<identity> finish() noexcept {
      if (why_ != refusal{}) return why_;

      if (!has_digest_) {
        if (body_size_ != 0) return refusal::missing_body_digest;
      } else {
        bool match;
        if (body_size_ == 0) {
          // The empty body's digest is a public constant: nothing secret
          // to compare. constant_time_equal for its inline word loop,
          // where == calls memcmp.
          const hex_digest<H>& empty = empty_body_digest<H>();
          match = constant_time_equal(
              std::string_view(empty.data(), empty.size()), digest_header_);
        } else {
          hex_digest<H> computed = body_->finish_hex();
          match = constant_time_equal(
              std::string_view(computed.data(), computed.size()),
              digest_header_);
        }
        if (!match)
          return is_lower_hex(digest_header_, 2 * H::digest_size)
                     ? refusal::body_digest_mismatch
                     : refusal::malformed_body_digest;
      }

      refusal replay = owner_->guard_->check_and_record(
          who_.token_id, signature_, forget_after_, now_);
      if (replay != refusal{}) return replay;

      if (owner_->options_.record_last_use) {
        if constexpr (records_use<Store, H>)
          owner_->store_->record_use(*token_, now_);
      }
      return who_;
    }

   private:
    friend class verifier;
    explicit pending(const verifier& owner, refusal why) noexcept
        : owner_(&owner), why_(why) {}

    const verifier* owner_;
    refusal why_;
    identity who_{};
    const token<H>* token_ = nullptr;
    std::string_view signature_;
    std::string_view digest_header_;
    bool has_digest_ = false;
    std::chrono::sys_seconds now_{};
    std::chrono::sys_seconds forget_after_{};
    std::size_t body_size_ = 0;
    std::size_t max_body_ = 0;
    std::optional<digest_state<H>> body_;
  };

  // A verifier whose replay guard it owns; Guard must be default
  // constructible (no_replay_guard is).
  verifier(const Store& store, verifier_options options,
           Clock clock = {}) requires std::default_initializable<Guard>
      : verifier(store, std::move(options), std::move(clock), nullptr) {}

  // A verifier that shares guard, which must outlive it.
  verifier(const Store& store, verifier_options options, Clock clock,
           Guard& guard)
      : verifier(store, std::move(options), std::move(clock), &guard) {}

  verifier(const verifier&) = delete;
  verifier& operator=(const verifier&) = delete;

  const verifier_options& options() const noexcept { return options_; }
  const Clock& clock() const noexcept { return clock_; }

  // Checks everything but the body. The request must outlive the result.
  template <request R>
  pending begin(const R& r) const noexcept {
    pending p(*this, refusal{});
    p.why_ = check_headers(r, p);
    return p;
  }

  // begin(), the whole body, finish().
  template <request R>
  result<identity> verify(const R& r,
                          std::string_view body = {}) const noexcept {
    pending p = begin(r);
    if (!body.empty()) p.update(body);
    return p.finish();
  }

 private:
  verifier(const Store& store, verifier_options options, Clock clock,
           Guard* guard)
      : store_(&store),
        options_(std::move(options)),
        clock_(std::move(clock)),
        host_prefix_(options_.host_scheme + "://"),
        dummy_token_(std::string(max_token_id_size + 1, '\0'),
                     secret_view(random_secret()), "") {
    if (guard) {
      guard_ = guard;
    } else {
      if constexpr (std::default_initializable<Guard>) own_guard_.emplace();
      guard_ = &*own_guard_;
    }
    while (!options_.base_url.empty() && options_.base_url.back() == '/')
      options_.base_url.pop_back();
  }

  // Authorization and Host, then the names of the signed slots.
  static constexpr auto header_names =
      detail::concat(std::array<std::string_view, 2>{"Authorization", "Host"},
                     detail::slot_layout<headers, H>::names);

  template <request R>
  refusal check_headers(const R& r, pending& p) const noexcept {
    auto found = find_headers<header_names>(r);

    // Authorization: exactly one, well formed, signature of the hash's size.
    // The signature's alphabet is checked only if the MAC does not match.
    if (found[0].count == 0) return refusal::missing_authorization;
    if (found[0].count > 1) return refusal::ambiguous_header;
    auto auth = parse_authorization(found[0].value, Profile::scheme);
    if (!auth) return auth.error();
    if (auth->signature.size() != 2 * H::digest_size)
      return refusal::malformed_authorization;

    // The token, looked up first: the lookup reads memory and branches
    // on nothing it finds, so the processor runs the checks below while
    // its loads are in flight. Its cost does not depend on whether the
    // token exists; nothing is decided on it before the MAC.
    const token<H>* tok;
    const token<H>* used;
    if constexpr (finds_stand_in<Store, H>) {
      auto lookup = store_->find_with_stand_in(auth->token_id);
      tok = lookup.found;
      used = lookup.used;
    } else {
      // The dummy token (enabled, never expiring) when there is none.
      tok = store_->find(auth->token_id);
      used = reinterpret_cast<const token<H>*>(
          static_cast<std::uintptr_t>(detail::select(
              ~detail::mask_if_zero(reinterpret_cast<std::uintptr_t>(tok)),
              reinterpret_cast<std::uintptr_t>(tok),
              reinterpret_cast<std::uintptr_t>(&dummy_token_))));
    }

    std::string_view method = r.method();
    if (method.size() > max_method_size) return refusal::oversized_input;
    if (!detail::is_token(method)) return refusal::malformed_method;
    std::string_view target = r.target();
    if (target.size() > options_.max_target_size)
      return refusal::oversized_input;
    if (!detail::is_origin_form(target)) return refusal::malformed_target;

    auto signed_values = detail::resolve_slots<headers, H>(found.data() + 2);
    if (!signed_values) return signed_values.error();
    const auto& values = signed_values->values;
    const auto& present = signed_values->present;

    url_pieces url{options_.base_url, {}, target};
    if (options_.url_from_host) {
      if (found[1].count > 1) return refusal::ambiguous_header;
      if (found[1].count == 0 || !detail::is_host(found[1].value))
        return refusal::malformed_header;
      url = {host_prefix_, found[1].value, target};
    }

    // The MAC, before the checks of the date, the digest header and the
    // content type: those read only public bytes, and placed after the
    // hash's compressions they can run while the processor finishes its
    // last rounds (measured at least as fast as the other order). A
    // request they refuse has cost a MAC, as any well-formed forgery
    // does; the reason given is the one the order of the checks gives.
    digest<H> expected;
    {
      mac_state<H> mac = used->key().start();
      mac.update_each(string_to_sign_pieces(method, url, values));
      expected = mac.finish();
    }

    // Refused, the MAC would be a valid signature of the caller's bytes
    // (under the stand-in's key, for an unknown id): it is wiped.
    // Accepted, it is the signature the client sent.
    auto refuse = [&expected](refusal why) noexcept {
      detail::wipe(expected.data(), expected.size());
      return why;
    };

    // The date: a complete date of an accepted form, inside the window.
    if (!present[date_slot]) return refuse(refusal::missing_date);
    std::chrono::sys_seconds now = clock_.now();
    auto date = parse_http_date(values[date_slot], now);
    if (!date) return refuse(date.error());
    if (date->time < now - options_.max_past ||
        date->time > now + options_.max_future)
      return refuse(refusal::stale_date);

    // The digest header, when present, is exactly a digest, for any method
    // (its alphabet is checked when it fails to match).
    std::string_view digest_value = values[digest_slot];
    if (present[digest_slot]) {
      if (digest_value.size() != 2 * H::digest_size)
        return refuse(refusal::malformed_body_digest);
    } else if (method != "GET" || options_.require_digest_on_get) {
      return refuse(refusal::missing_body_digest);
    }
    if constexpr (content_type_slot < headers::size) {
      if (present[content_type_slot] &&
          !detail::is_media_type(values[content_type_slot]))
        return refuse(refusal::malformed_header);
    }

    // From here on, the cost no longer depends on whether the token exists.
    std::uint64_t known =
        ~detail::mask_if_zero(reinterpret_cast<std::uintptr_t>(tok));
    refusal token_state = token_refusal(*used, known, now);
    bool match = hex_equals(expected, auth->signature);
    if (!match || token_state != refusal{}) {
      if (!is_lower_hex(auth->signature, 2 * H::digest_size))
        return refuse(refusal::malformed_authorization);
      if (present[digest_slot] &&
          !is_lower_hex(digest_value, 2 * H::digest_size))
        return refuse(refusal::malformed_body_digest);
      return refuse(token_state != refusal{} ? token_state
                                             : refusal::bad_signature);
    }

    p.who_ = {tok->id(), tok->principal()};
    p.token_ = tok;
    p.signature_ = auth->signature;
    p.has_digest_ = present[digest_slot];
    p.digest_header_ = digest_value;
    p.now_ = now;
    p.forget_after_ = date->time + options_.max_past;
    p.max_body_ = options_.max_body_size;
    return refusal{};
  }

  // The token's reason to refuse, or refusal{}, computed without
  // branches so that the state of a token does not show in the timing.
  static refusal token_refusal(const token<H>& t, std::uint64_t known,
                               std::chrono::sys_seconds now) noexcept {
    using u = std::uint64_t;
    auto expiry = t.expires().value_or(std::chrono::sys_seconds::max());
    u expired = 0 - u(now >= expiry);
    u disabled = 0 - u(!t.enabled());
    u inactive = 0 - u(!t.principal_active());
    u why = 0;
    why = detail::select(inactive, u(refusal::inactive_principal), why);
    why = detail::select(expired, u(refusal::expired_token), why);
    why = detail::select(disabled, u(refusal::disabled_token), why);
    why = detail::select(~known, u(refusal::unknown_token), why);
    return static_cast<refusal>(why);
  }

  static std::string_view secret_view(
      const std::array<std::uint8_t, H::block_size>& s) noexcept {
    return {reinterpret_cast<const char*>(s.data()), s.size()};
  }

  static std::array<std::uint8_t, H::block_size> random_secret() {
    std::array<std::uint8_t, H::block_size> s;
    std::random_device rd;
    for (auto& b : s)
      b = static_cast<std::uint8_t>(rd());
    return s;
  }

  const Store* store_;
  verifier_options options_;
  Clock clock_;
  std::optional<Guard> own_guard_;
  Guard* guard_ = nullptr;
  std::string host_prefix_;
  token<H> dummy_token_;
};

}  // namespace sigreq
