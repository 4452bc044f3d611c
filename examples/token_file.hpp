// The token file of sigreq-server: one token a line,
//
//   id<TAB>secret<TAB>principal[<TAB>expiry][<TAB>flags]
//
// expiry is an ISO 8601 UTC time (2027-01-31T12:00:00Z) or "-" for none;
// flags is a comma list of "disabled" (the token is off) and "inactive"
// (its principal is no longer active), or "-". Lines starting with '#' and
// blank lines are skipped; a trailing CR is ignored. The parsed entries
// are views into the text, which the caller wipes once the tokens are
// built, so that no copy of a secret outlives start-up.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <cryptopp/misc.h>
#include <date/date.h>

#include <sigreq/authorization.hpp>

namespace token_file {

struct entry {
  std::size_t line = 0;
  std::string_view id;
  std::string_view secret;
  std::string_view principal;
  std::optional<std::chrono::sys_seconds> expires;
  bool enabled = true;
  bool principal_active = true;
};

struct error {
  std::size_t line = 0;  // 0: the file as a whole
  std::string why;
};

// The bytes of s with anything but printable ASCII, '"' and '\' as \xNN.
inline std::string escape(std::string_view s) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e || c == '"' || c == '\\') {
      out.append("\\x");
      out.push_back(digits[u >> 4]);
      out.push_back(digits[u & 15u]);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

namespace detail {

inline bool read_digits(std::string_view s, std::size_t at, std::size_t n,
                        int& out) {
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

// YYYY-MM-DDTHH:MM:SSZ, nothing more or less, and a real calendar time.
inline std::optional<std::chrono::sys_seconds> parse_utc(std::string_view s) {
  if (s.size() != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
      s[13] != ':' || s[16] != ':' || s[19] != 'Z')
    return std::nullopt;
  int y, mo, d, h, mi, sec;
  if (!read_digits(s, 0, 4, y) || !read_digits(s, 5, 2, mo) ||
      !read_digits(s, 8, 2, d) || !read_digits(s, 11, 2, h) ||
      !read_digits(s, 14, 2, mi) || !read_digits(s, 17, 2, sec))
    return std::nullopt;
  date::year_month_day ymd{date::year{y},
                           date::month{static_cast<unsigned>(mo)},
                           date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  return std::chrono::sys_seconds{date::sys_days{ymd}} + std::chrono::hours{h} +
         std::chrono::minutes{mi} + std::chrono::seconds{sec};
}

inline std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  for (;;) {
    std::size_t at = s.find(sep);
    parts.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return parts;
    s.remove_prefix(at + 1);
  }
}

inline bool has_control_or_space(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return true;
  }
  return false;
}

inline bool has_control(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return true;
  }
  return false;
}

// Parses one non-blank, non-comment line into e; the reason otherwise.
inline std::optional<std::string> parse_line(std::string_view line, entry& e) {
  auto fields = split(line, '\t');
  if (fields.size() < 3 || fields.size() > 5)
    return "expected 3 to 5 tab-separated fields, found " +
           std::to_string(fields.size());

  e.id = fields[0];
  if (e.id.empty()) return "empty token id";
  if (e.id.size() > sigreq::max_token_id_size)
    return "token id longer than " + std::to_string(sigreq::max_token_id_size) +
           " bytes";
  if (e.id.find(':') != std::string_view::npos) return "token id holds ':'";
  if (has_control_or_space(e.id))
    return "token id holds a space or a control byte";

  e.secret = fields[1];
  if (e.secret.empty()) return "empty secret";

  e.principal = fields[2];
  if (e.principal.empty()) return "empty principal";
  if (has_control(e.principal)) return "principal holds a control byte";

  if (fields.size() > 3 && fields[3] != "-") {
    e.expires = parse_utc(fields[3]);
    if (!e.expires)
      return "bad expiry \"" + escape(fields[3]) +
             "\" (want YYYY-MM-DDTHH:MM:SSZ or -)";
  }

  if (fields.size() > 4 && fields[4] != "-") {
    for (std::string_view flag : split(fields[4], ',')) {
      if (flag == "disabled")
        e.enabled = false;
      else if (flag == "inactive")
        e.principal_active = false;
      else
        return "unknown flag \"" + escape(flag) +
               "\" (want disabled, inactive or -)";
    }
  }
  return std::nullopt;
}

inline bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

}  // namespace detail

// Every entry of text, or the first bad line. Duplicate ids are the
// store's to find. Allocates the vector; the entries view text.
inline std::variant<std::vector<entry>, error> parse(std::string_view text) {
  std::vector<entry> entries;
  std::size_t number = 0;
  while (!text.empty()) {
    ++number;
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (detail::is_blank(line) || line.front() == '#') continue;

    entry e;
    e.line = number;
    if (auto why = detail::parse_line(line, e)) return error{number, *why};
    entries.push_back(e);
  }
  return entries;
}

// Overwrites the bytes of s in a way the compiler may not drop.
inline void wipe(std::string& s) {
  CryptoPP::SecureWipeBuffer(reinterpret_cast<CryptoPP::byte*>(s.data()),
                             s.size());
}

// The whole file, read with no buffer but the returned string, so that
// wiping that string wipes every copy of the secrets in this process.
inline std::variant<std::string, error> read(const std::string& path) {
  constexpr off_t max_size = 64 << 20;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return error{0, std::strerror(errno)};

  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > max_size) {
    ::close(fd);
    return error{0, "not a regular file of at most 64 MiB"};
  }

  std::string text(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t got = 0;
  while (got < text.size()) {
    ssize_t n = ::read(fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int saved = errno;
      ::close(fd);
      wipe(text);
      return error{0, std::strerror(saved)};
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  text.resize(got);
  return text;
}

}  // namespace token_file
