// Profiles: what a client and a server must agree on to talk. A profile
// names the hash, the Authorization scheme word, the signed header slots
// and which slot is the request's date.
//
// Compose one by deriving from a shipped profile and hiding what changes:
//
//   struct sha256_with_request_id : sigreq::profiles::cubicweb {
//     using hash = sigreq::hash::sha256;
//     using headers = sigreq::signed_headers<
//         sigreq::content_digest, sigreq::field<"Content-Type">, date_field,
//         sigreq::field<"X-Request-Id">>;
//   };
//
// Token store, clock and replay guard are the deployment's choice, not the
// wire format's, so they are parameters of the verifier instead.
#pragma once

#include <concepts>
#include <string_view>

#include "hash.hpp"
#include "signed_headers.hpp"

namespace sigreq {
namespace profiles {

// The scheme of the CubicWeb "signedrequest" cube and its Python clients.
struct cubicweb {
  using hash = sigreq::hash::sha512;
  static constexpr std::string_view scheme = "Cubicweb";
  // X-Cubicweb-Date, when present, stands in for Date.
  using date_field = any_of<"X-Cubicweb-Date", "Date">;
  using headers =
      signed_headers<content_digest, field<"Content-Type">, date_field>;
  static constexpr bool legacy = false;
};

// The same scheme with HMAC-MD5 and Content-MD5, for old deployments only.
struct cubicweb_md5_legacy : cubicweb {
  using hash = sigreq::hash::legacy_md5;
  static constexpr bool legacy = true;
};

}  // namespace profiles

// What a profile must give. check_profile<P>() names a missing piece in
// its error message; the concept is for constraining one's own templates.
template <class P>
concept profile = requires {
  typename P::hash;
  typename P::headers;
  typename P::date_field;
  { P::scheme } -> std::convertible_to<std::string_view>;
  { P::legacy } -> std::convertible_to<bool>;
  requires hash_policy<typename P::hash>;
  requires is_signed_headers<typename P::headers>;
  requires P::headers::template index_of<content_digest>() < P::headers::size;
  requires P::headers::template index_of<typename P::date_field>() <
      P::headers::size;
  requires !P::hash::legacy || P::legacy;
};

template <class P>
constexpr bool check_profile() {
  static_assert(
      requires { typename P::hash; },
      "a profile needs a hash policy: using hash = ...");
  static_assert(hash_policy<typename P::hash>,
                "P::hash does not model sigreq::hash_policy");
  static_assert(
      requires { typename P::headers; },
      "a profile needs a header set: using headers = ...");
  static_assert(is_signed_headers<typename P::headers>,
                "P::headers must be a sigreq::signed_headers<...>");
  static_assert(
      requires { typename P::date_field; },
      "a profile needs a date slot: using date_field = ...");
  static_assert(
      P::headers::template index_of<content_digest>() < P::headers::size,
      "the signed headers must include sigreq::content_digest, or bodies "
      "would go unauthenticated");
  static_assert(P::headers::template index_of<typename P::date_field>() <
                    P::headers::size,
                "the signed headers must include the date slot, or dates "
                "could be replaced");
  static_assert(!P::hash::legacy || P::legacy,
                "a weak hash (MD5) is only allowed in a profile that "
                "declares itself legacy");
  return true;
}

}  // namespace sigreq
