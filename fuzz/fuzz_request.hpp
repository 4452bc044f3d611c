// Cuts a request out of fuzzer bytes, in a shape close to HTTP/1.1 so that
// seeds are real requests and dictionaries hold real header names:
//
//   METHOD SP request-target [SP HTTP/1.1] LF
//   name ":" value LF          (zero or more; CR before LF is dropped)
//   LF
//   body                       (the rest of the input)
//
// A header line without ':' is a name with an empty value. Allocates the
// request's strings; holds no state between calls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <sigreq/request.hpp>

namespace sigreq_fuzz {

// At most this many header lines are read, so that one input stays fast.
inline constexpr std::size_t max_fuzz_headers = 64;

struct cut_request {
  sigreq::plain_request request;
  std::string body;
};

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Takes one line off the front of in; false when in is empty.
inline bool next_line(std::string_view& in, std::string_view& line) {
  if (in.empty()) return false;
  std::size_t lf = in.find('\n');
  line = in.substr(0, lf);
  in.remove_prefix(lf == std::string_view::npos ? in.size() : lf + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return true;
}

// trim_values drops spaces and tabs around values, as HTTP parsers do;
// without it every byte after the ':' is kept.
inline cut_request cut(std::string_view in, bool trim_values) {
  cut_request out;
  std::string_view line;
  next_line(in, line);

  std::size_t sp = line.find(' ');
  std::string_view method = line.substr(0, sp);
  std::string_view target =
      sp == std::string_view::npos ? std::string_view{} : line.substr(sp + 1);
  std::size_t version = target.find(' ');
  if (version != std::string_view::npos) target = target.substr(0, version);
  out.request = sigreq::plain_request(std::string(method), std::string(target));

  std::size_t headers = 0;
  while (next_line(in, line) && !line.empty() && headers++ < max_fuzz_headers) {
    std::size_t colon = line.find(':');
    std::string_view name = line.substr(0, colon);
    std::string_view value = colon == std::string_view::npos
                                 ? std::string_view{}
                                 : line.substr(colon + 1);
    if (trim_values) {
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
      while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
        value.remove_suffix(1);
    }
    out.request.add(std::string(name), std::string(value));
  }
  out.body = std::string(in);
  return out;
}

}  // namespace sigreq_fuzz
