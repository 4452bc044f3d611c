// The client side: forges the headers a request needs to be accepted.
//
//   sigreq::signer<sigreq::profiles::cubicweb> s("tok", secret);
//   sigreq::plain_request r("POST", "/api?x=1");
//   r.add("Content-Type", "application/json");
//   s.sign(r, "https://api.example.org/api?x=1", body);
//   // r now carries Date, Content-SHA512 and Authorization.
//
// Like the Python client library, it always sends the content digest, on
// GET too (of the empty body), and an IMF-fixdate Date.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "authorization.hpp"
#include "clock.hpp"
#include "error.hpp"
#include "hash.hpp"
#include "hex.hpp"
#include "http_date.hpp"
#include "profiles.hpp"
#include "request.hpp"
#include "signed_headers.hpp"
#include "string_to_sign.hpp"

namespace sigreq {

template <class Profile>
class signer {
  static_assert(check_profile<Profile>());
  using H = typename Profile::hash;
  using headers = typename Profile::headers;

 public:
  signer(std::string token_id, std::string_view secret)
      : token_id_(std::move(token_id)), key_(secret) {}

  std::string_view token_id() const noexcept { return token_id_; }

  // The lowercase hex signature of r as it stands, for the absolute url.
  // Refuses a request with a signed header present twice.
  result<std::string> signature(const plain_request& r,
                                std::string_view url) const {
    auto values = collect_signed_headers<headers, H>(r);
    if (!values) return values.error();
    mac_state<H> mac = key_.start();
    feed_string_to_sign(mac, r.method(), url_pieces{url, {}, {}},
                        values->values);
    return to_hex(mac.finish());
  }

  // Sets the date (when the request has none), the content digest of
  // body_digest_hex and Authorization. Returns refusal{} or the reason the
  // request cannot be signed.
  refusal sign_digest(plain_request& r, std::string_view url,
                      std::string_view body_digest_hex,
                      std::chrono::sys_seconds now) const {
    if (!has_date(r)) r.set(date_header_name(), format_imf_fixdate(now));
    r.set(H::content_digest_header, std::string(body_digest_hex));
    auto sig = signature(r, url);
    if (!sig) return sig.error();
    r.set("Authorization",
          format_authorization({Profile::scheme, token_id_, *sig}));
    return refusal{};
  }

  // sign_digest() with the digest of the whole body.
  refusal sign(plain_request& r, std::string_view url, std::string_view body,
               std::chrono::sys_seconds now = system_clock{}.now()) const {
    digest_state<H> d;
    d.update(body);
    auto hex = d.finish_hex();
    return sign_digest(r, url, std::string_view(hex.data(), hex.size()), now);
  }

  // The name the signer gives a new date: the last of the date slot, by
  // convention the standard one ("Date" in the cubicweb profiles).
  static constexpr std::string_view date_header_name() noexcept {
    constexpr auto names = Profile::date_field::template names<H>();
    return names.back();
  }

 private:
  static bool has_date(const plain_request& r) noexcept {
    for (std::string_view name : Profile::date_field::template names<H>())
      for (auto&& v : r.header_values(name)) {
        (void)v;
        return true;
      }
    return false;
  }

  std::string token_id_;
  hmac_key<H> key_;
};

}  // namespace sigreq
