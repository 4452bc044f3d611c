// The Content-Type grammar of syntax.hpp (media-type with parameters)
// against a second, slower reading of RFC 9110 8.3.1 written here, the
// token and origin-form checks against their definitions, and the hex
// codec of hex.hpp (lowercase only) against a plain one.
//
//   media-type = type "/" subtype parameters
//   parameters = *( OWS ";" OWS [ parameter ] )
//   parameter  = token "=" ( token / quoted-string )
//   quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
//   qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
//   quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <array>
#include <string>

#include <sigreq/hex.hpp>
#include <sigreq/syntax.hpp>

#include "check.hpp"
#include "fuzz_request.hpp"

namespace {

constexpr std::string_view tchars =
    "!#$%&'*+-.^_`|~0123456789"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

bool tchar(char c) {
  return tchars.find(c) != std::string_view::npos;
}

// Reads a token at s[i...]; false when there is none.
bool take_token(std::string_view s, std::size_t& i) {
  std::size_t start = i;
  while (i < s.size() && tchar(s[i]))
    ++i;
  return i > start;
}

bool qdtext(unsigned char c) {
  return c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5b) ||
         (c >= 0x5d && c <= 0x7e) || c >= 0x80;
}

bool quoted_pair_char(unsigned char c) {
  return c == '\t' || (c >= 0x20 && c != 0x7f);
}

bool take_quoted(std::string_view s, std::size_t& i) {
  if (i >= s.size() || s[i] != '"') return false;
  ++i;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '"') {
      ++i;
      return true;
    }
    if (c == '\\') {
      if (i + 1 >= s.size() ||
          !quoted_pair_char(static_cast<unsigned char>(s[i + 1])))
        return false;
      i += 2;
    } else if (qdtext(c)) {
      ++i;
    } else {
      return false;
    }
  }
  return false;
}

bool media_type(std::string_view s) {
  std::size_t i = 0;
  if (!take_token(s, i) || i >= s.size() || s[i] != '/') return false;
  ++i;
  if (!take_token(s, i)) return false;
  auto ows = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t'))
      ++i;
  };
  for (;;) {
    ows();
    if (i == s.size()) return true;
    if (s[i] != ';') return false;
    ++i;
    ows();
    // An empty parameter: the next ';' or the end.
    if (i == s.size() || s[i] == ';') continue;
    if (!take_token(s, i) || i >= s.size() || s[i] != '=') return false;
    ++i;
    if (i < s.size() && s[i] == '"') {
      if (!take_quoted(s, i)) return false;
    } else if (!take_token(s, i)) {
      return false;
    }
  }
}

bool token(std::string_view s) {
  std::size_t i = 0;
  return take_token(s, i) && i == s.size();
}

bool origin_form(std::string_view s) {
  if (s.empty() || s[0] != '/') return false;
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x21 ||
        static_cast<unsigned char>(c) > 0x7e)
      return false;
  return true;
}

bool lower_hex(std::string_view s) {
  return s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// decode_hex, encode_hex and is_lower_hex on the first 2 * n bytes.
void check_hex(std::string_view s) {
  constexpr std::size_t n = 40;
  std::string_view text = s.substr(0, 2 * n);
  std::array<std::uint8_t, n> bytes{};
  std::span<std::uint8_t> out(bytes.data(), text.size() / 2);
  bool ok = sigreq::decode_hex(text, out);
  bool want = text.size() % 2 == 0 && lower_hex(text);
  SIGREQ_FUZZ_CHECK(ok == want);
  SIGREQ_FUZZ_CHECK(sigreq::is_lower_hex(text, text.size()) == lower_hex(text));
  if (!ok) return;
  std::string again = sigreq::to_hex(out);
  SIGREQ_FUZZ_CHECK(again == text);

  // Any bytes encode to their plain lowercase hex.
  std::span<const std::uint8_t> raw(
      reinterpret_cast<const std::uint8_t*>(s.data()), std::min(s.size(), n));
  std::string hex = sigreq::to_hex(raw);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    SIGREQ_FUZZ_CHECK(hex[2 * i] == "0123456789abcdef"[raw[i] >> 4]);
    SIGREQ_FUZZ_CHECK(hex[2 * i + 1] == "0123456789abcdef"[raw[i] & 15]);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::string_view s = sigreq_fuzz::as_text(data, size);
  SIGREQ_FUZZ_CHECK(sigreq::detail::is_media_type(s) == media_type(s));
  SIGREQ_FUZZ_CHECK(sigreq::detail::is_token(s) == token(s));
  SIGREQ_FUZZ_CHECK(sigreq::detail::is_origin_form(s) == origin_form(s));
  check_hex(s);
  return 0;
}
