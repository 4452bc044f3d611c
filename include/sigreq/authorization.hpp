// The credentials header: "<scheme> <token_id>:<signature>".
//
// The scheme is split from the credentials at the first run of spaces or
// tabs and compared exactly; the credentials are split at the first ':'.
// Surrounding spaces and tabs (optional whitespace in RFC 9110) are not
// part of the value and are ignored. Parsing allocates nothing; the parts
// are views into the header.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "error.hpp"
#include "limits.hpp"
#include "swar.hpp"

namespace sigreq {

struct authorization {
  std::string_view scheme;
  std::string_view token_id;
  std::string_view signature;
};

namespace detail {

constexpr bool is_ows(char c) noexcept {
  return c == ' ' || c == '\t';
}

constexpr std::string_view trim_ows(std::string_view s) noexcept {
  while (!s.empty() && is_ows(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back()))
    s.remove_suffix(1);
  return s;
}

}  // namespace detail

// Splits an Authorization value. Refuses an oversized value, a value with
// no credentials, a scheme other than expected_scheme, a token id that is
// empty, longer than 128 bytes or holds control bytes. The signature's
// length and alphabet are the verifier's to check, since they depend on
// the hash.
constexpr result<authorization> parse_authorization(
    std::string_view value, std::string_view expected_scheme) noexcept {
  if (value.size() > max_authorization_size) return refusal::oversized_input;
  value = detail::trim_ows(value);

  // The scheme ends at the first space or tab. (Views are cut by hand:
  // substr() carries a throwing bounds check the verifier does not need.)
  std::size_t gap = 0;
  std::size_t n = expected_scheme.size();
  if (value.size() > n && detail::is_ows(value[n]) &&
      std::string_view(value.data(), n) == expected_scheme) {
    gap = n;
  } else {
    while (gap < value.size() && !detail::is_ows(value[gap]))
      ++gap;
    if (gap == value.size()) return refusal::malformed_authorization;
    return refusal::wrong_scheme;
  }
  std::string_view scheme(value.data(), gap);

  std::size_t start = gap;
  while (start < value.size() && detail::is_ows(value[start]))
    ++start;
  std::string_view credentials(value.data() + start, value.size() - start);
  std::size_t colon = credentials.find(':');
  if (colon == std::string_view::npos) return refusal::malformed_authorization;

  std::string_view token_id(credentials.data(), colon);
  std::string_view signature(credentials.data() + colon + 1,
                             credentials.size() - colon - 1);
  if (token_id.empty() || token_id.size() > max_token_id_size)
    return refusal::malformed_authorization;
  // Controls and DEL never; spaces inside are allowed by the scheme but
  // match no stored id.
  if (detail::has_control(token_id)) return refusal::malformed_authorization;

  return authorization{scheme, token_id, signature};
}

// "<scheme> <token_id>:<signature>". Allocates the string.
inline std::string format_authorization(const authorization& a) {
  std::string s;
  s.reserve(a.scheme.size() + a.token_id.size() + a.signature.size() + 2);
  s.append(a.scheme)
      .append(" ")
      .append(a.token_id)
      .append(":")
      .append(a.signature);
  return s;
}

}  // namespace sigreq
