// The canonical bytes a MAC covers: method, URL, then each signed header
// value, concatenated with no separator (a missing header adds nothing).
//
// The bytes are fed piece by piece to a sink with update(string_view), such
// as a mac_state, or handed over as an array of pieces
// (mac_state::update_each), so that the verifier never allocates a
// concatenated copy.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace sigreq {

template <class S>
concept byte_sink = requires(S& s, std::string_view bytes) {
  s.update(bytes);
};

// The URL as up to three pieces that are concatenated: a configured base
// and the request-target, or a scheme, a Host value and the target.
using url_pieces = std::array<std::string_view, 3>;

// The pieces of the string to sign, in order: the method, the URL's
// pieces, each signed header value. The one definition of what a MAC
// covers; feed_string_to_sign() and the verifier both take it from here.
template <std::size_t N>
std::array<std::string_view, 4 + N> string_to_sign_pieces(
    std::string_view method, const url_pieces& url,
    const std::array<std::string_view, N>& values) noexcept {
  std::array<std::string_view, 4 + N> out;
  out[0] = method;
  for (std::size_t i = 0; i < 3; ++i)
    out[1 + i] = url[i];
  for (std::size_t i = 0; i < N; ++i)
    out[4 + i] = values[i];
  return out;
}

template <std::size_t N, byte_sink Sink>
void feed_string_to_sign(Sink& sink, std::string_view method,
                         const url_pieces& url,
                         const std::array<std::string_view, N>& values) {
  for (std::string_view piece : string_to_sign_pieces(method, url, values))
    sink.update(piece);
}

namespace detail {
struct string_sink {
  std::string bytes;
  void update(std::string_view b) { bytes.append(b); }
};
}  // namespace detail

// The same bytes in one string, for tests, logs of a debugging session and
// comparison with other implementations. Allocates.
template <std::size_t N>
std::string string_to_sign(std::string_view method, const url_pieces& url,
                           const std::array<std::string_view, N>& values) {
  detail::string_sink s;
  feed_string_to_sign(s, method, url, values);
  return std::move(s.bytes);
}

}  // namespace sigreq
