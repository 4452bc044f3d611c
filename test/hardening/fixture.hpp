// What the hardening tests share: one token, a signer for it, a verifier
// at a fixed instant, and genuinely signed requests to bend.
#pragma once

#include <chrono>
#include <ostream>
#include <string>
#include <string_view>

#include <sigreq/sigreq.hpp>

namespace hardening {

using profile = sigreq::profiles::cubicweb;
using H = profile::hash;
using store_type = sigreq::in_memory_token_store<H>;
using verifier_type =
    sigreq::verifier<profile, store_type, sigreq::settable_clock>;

inline constexpr std::string_view base_url = "https://api.example.org";
inline constexpr std::string_view token_id = "tok";
inline constexpr std::string_view secret =
    "a-secret-of-forty-bytes-for-the-tests!!!";

// Thu, 29 Feb 2024 12:00:00 GMT: a leap day, so Feb 29 rows have a
// neighbour that exists and one that does not.
inline const std::chrono::sys_seconds now{std::chrono::seconds{1709208000}};

inline std::string url_of(const sigreq::plain_request& r) {
  return std::string(base_url) + std::string(r.target());
}

struct world {
  store_type store;
  sigreq::signer<profile> signer{std::string(token_id), secret};

  world() { store.insert(std::string(token_id), secret, "alice"); }

  sigreq::verifier_options options(bool require_digest_on_get = false) const {
    sigreq::verifier_options o;
    o.base_url = std::string(base_url);
    o.require_digest_on_get = require_digest_on_get;
    return o;
  }

  // Signs r as the Python client does: Date, content digest, Authorization.
  void sign(sigreq::plain_request& r, std::string_view body) const {
    signer.sign(r, url_of(r), body, now);
  }

  // Signs r as it stands, adding only Authorization (no digest, no date).
  void sign_as_is(sigreq::plain_request& r) const {
    auto sig = signer.signature(r, url_of(r));
    if (!sig) return;
    r.set("Authorization",
          sigreq::format_authorization({profile::scheme, token_id, *sig}));
  }

  sigreq::refusal verify(const sigreq::plain_request& r, std::string_view body,
                         bool require_digest_on_get = false) const {
    verifier_type v(store, options(require_digest_on_get),
                    sigreq::settable_clock(now));
    return v.verify(r, body).error();
  }
};

// The value of the first field called name ("" when absent).
inline std::string value_of(const sigreq::plain_request& r,
                            std::string_view name) {
  for (auto&& v : r.header_values(name))
    return std::string(v);
  return {};
}

}  // namespace hardening

namespace sigreq {
// For Boost.Test's messages: the reason's log message, or "accepted".
inline std::ostream& operator<<(std::ostream& os, refusal r) {
  return os << message(r);
}
}  // namespace sigreq
