// Character classes and small grammars of RFC 9110 that the verifier
// enforces on the parts of a request it signs.
#pragma once

#include <cstddef>
#include <string_view>

#include "swar.hpp"

namespace sigreq {
namespace detail {

// tchar: the bytes of a token (methods, media types, parameter names).
constexpr bool is_tchar(char c) noexcept {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
      (c >= 'A' && c <= 'Z'))
    return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

constexpr bool is_token(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_tchar(c)) return false;
  return true;
}

constexpr std::size_t token_length(std::string_view s,
                                   std::size_t at) noexcept {
  std::size_t n = 0;
  while (at + n < s.size() && is_tchar(s[at + n]))
    ++n;
  return n;
}

// An origin-form request-target: '/' then visible ASCII only.
inline bool is_origin_form(std::string_view s) noexcept {
  return !s.empty() && s.front() == '/' && all_in_range(s, 0x21, 0x7e);
}

// uri-host [":" port]: reg-name, IPv4 or IP-literal bytes; never '/', '?',
// '#', '@', whitespace or controls, so a Host cannot reach into the path.
constexpr bool is_host(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
              (c >= 'A' && c <= 'Z') || c == '-' || c == '.' || c == '_' ||
              c == '~' || c == ':' || c == '[' || c == ']' || c == '%';
    if (!ok) return false;
  }
  return true;
}

// media-type = type "/" subtype *( OWS ";" OWS [ parameter ] ), with
// parameter = token "=" ( token / quoted-string ).
constexpr bool is_media_type(std::string_view s) noexcept {
  std::size_t i = token_length(s, 0);
  if (i == 0 || i >= s.size() || s[i] != '/') return false;
  std::size_t sub = token_length(s, i + 1);
  if (sub == 0) return false;
  i += 1 + sub;

  auto skip_ows = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t'))
      ++i;
  };
  while (true) {
    skip_ows();
    if (i == s.size()) return true;
    if (s[i] != ';') return false;
    ++i;
    skip_ows();
    if (i == s.size()) return true;
    if (s[i] == ';') continue;

    std::size_t name = token_length(s, i);
    if (name == 0) return false;
    i += name;
    if (i == s.size() || s[i] != '=') return false;
    ++i;
    if (i < s.size() && s[i] == '"') {
      ++i;
      bool closed = false;
      while (i < s.size()) {
        auto u = static_cast<unsigned char>(s[i]);
        if (u == '"') {
          closed = true;
          ++i;
          break;
        }
        if (u == '\\') {
          if (++i == s.size()) return false;
          u = static_cast<unsigned char>(s[i]);
          if (u != '\t' && (u < 0x20 || u == 0x7f)) return false;
        } else if (u != '\t' && (u < 0x20 || u == 0x7f)) {
          return false;
        }
        ++i;
      }
      if (!closed) return false;
    } else {
      std::size_t value = token_length(s, i);
      if (value == 0) return false;
      i += value;
    }
  }
}

}  // namespace detail
}  // namespace sigreq
