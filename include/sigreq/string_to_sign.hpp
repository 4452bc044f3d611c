// The canonical bytes a MAC covers: method, URL, then each signed header
// value, concatenated with no separator (a missing header adds nothing).
//
// The bytes are fed piece by piece to a sink with update(string_view), such
// as a mac_state or a staged_sink in front of one, so that the verifier
// never allocates a concatenated copy.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstring>
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

template <std::size_t N, byte_sink Sink>
void feed_string_to_sign(Sink& sink, std::string_view method,
                         const url_pieces& url,
                         const std::array<std::string_view, N>& values) {
  sink.update(method);
  for (std::string_view piece : url)
    sink.update(piece);
  for (std::string_view v : values)
    sink.update(v);
}

// Gathers small pieces into one buffer before handing them to a sink whose
// update() has a fixed cost a call (a hash), so that a string to sign of a
// few hundred bytes costs one call instead of one a piece. Pieces larger
// than the buffer go straight through. Flushes on destruction.
template <byte_sink Sink, std::size_t Capacity = 512>
class staged_sink {
 public:
  explicit staged_sink(Sink& sink) noexcept : sink_(sink) {}
  staged_sink(const staged_sink&) = delete;
  staged_sink& operator=(const staged_sink&) = delete;
  ~staged_sink() { flush(); }

  void update(std::string_view bytes) noexcept {
    if (bytes.empty()) return;
    if (bytes.size() > Capacity - used_) {
      flush();
      if (bytes.size() >= Capacity) {
        sink_.update(bytes);
        return;
      }
    }
    std::memcpy(buffer_ + used_, bytes.data(), bytes.size());
    used_ += bytes.size();
  }

  void flush() noexcept {
    if (used_ != 0) sink_.update(std::string_view(buffer_, used_));
    used_ = 0;
  }

 private:
  Sink& sink_;
  std::size_t used_ = 0;
  char buffer_[Capacity];
};

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
