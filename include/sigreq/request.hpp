// What the verifier reads of a request, and a plain request type.
//
// A type models sigreq::request when it gives its method, its
// request-target exactly as received, and every value of a header name
// (matched without regard to case) as a range of string views. Nothing
// here knows of an HTTP library; see beast.hpp for Boost.Beast.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <ranges>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "swar.hpp"

namespace sigreq {

template <class R>
concept header_value_range = std::ranges::input_range<R> &&
    std::convertible_to<std::ranges::range_reference_t<R>, std::string_view>;

template <class R>
concept request = requires(const R& r, std::string_view name) {
  { r.method() } -> std::convertible_to<std::string_view>;
  { r.target() } -> std::convertible_to<std::string_view>;
  { r.header_values(name) } -> header_value_range;
};

// A request that can also walk all its fields once, calling
// f(name, value) for each in order. The verifier then finds every header
// it needs in one pass instead of one lookup a name.
template <class R>
concept scannable_request = request<R> &&
    requires(const R& r, void (*f)(std::string_view, std::string_view)) {
  r.for_each_header(f);
};

namespace detail {

constexpr char ascii_lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
}

inline std::uint64_t load32(const char* p) noexcept {
  std::uint32_t w;
  std::memcpy(&w, p, 4);
  return w;
}

// Header names compare without regard to ASCII case (RFC 9110 5.1).
// Whole words at a time (the last one overlapping), since names are
// compared on every request.
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  std::size_t n = a.size();
  if (n != b.size()) return false;
  if (std::is_constant_evaluated() || n < 4) {
    for (std::size_t i = 0; i < n; ++i)
      if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
  }

  const char* x = a.data();
  const char* y = b.data();
  if (n < 8) {
    std::uint64_t head = fold_case(load32(x)) ^ fold_case(load32(y));
    std::uint64_t tail =
        fold_case(load32(x + n - 4)) ^ fold_case(load32(y + n - 4));
    return (head | tail) == 0;
  }
  std::uint64_t diff = 0;
  for (std::size_t i = 0; i + 8 <= n; i += 8)
    diff |= fold_case(load64(x + i)) ^ fold_case(load64(y + i));
  diff |= fold_case(load64(x + n - 8)) ^ fold_case(load64(y + n - 8));
  return diff == 0;
}

// Matches a field name against one fixed name without regard to case,
// a word at a time: the fixed name's lowercase words and, for each of its
// letters, the bit 0x20 are computed at compile time. A byte ORed with
// 0x20 equals a lowercase letter only when it is that letter in either
// case; the other bytes of the name compare exactly.
template <std::size_t N>
struct fixed_name {
  static constexpr std::size_t words = N < 8 ? 2 : (N + 7) / 8;
  std::array<std::uint64_t, words> lower{};
  std::array<std::uint64_t, words> letters{};

  // Word i covers bytes [8i, 8i + 8), the last one bytes [N - 8, N); for
  // N < 8, two 32-bit halves [0, 4) and [N - 4, N).
  static constexpr std::size_t width = N < 8 ? 4 : 8;
  static constexpr std::size_t offset(std::size_t i) noexcept {
    return i + 1 == words ? N - width : i * width;
  }

  explicit constexpr fixed_name(std::string_view name) noexcept {
    for (std::size_t i = 0; i < words; ++i) {
      for (std::size_t b = 0; b < width; ++b) {
        char c = name[offset(i) + b];
        bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        lower[i] |= std::uint64_t(static_cast<unsigned char>(ascii_lower(c)))
                    << (8 * b);
        letters[i] |= std::uint64_t(letter ? 0x20 : 0) << (8 * b);
      }
    }
  }

  // name.size() must be N.
  bool matches(std::string_view name) const noexcept {
    const char* p = name.data();
    std::uint64_t diff = 0;
    for (std::size_t i = 0; i < words; ++i) {
      // Little-endian loads: the constants are laid out byte by byte.
      std::uint64_t w =
          width == 8 ? load_le64(p + offset(i)) : load_le32(p + offset(i));
      diff |= (w | letters[i]) ^ lower[i];
    }
    return diff == 0;
  }
};

// The first value of a header and how many it has, up to 2.
struct header_found {
  std::string_view value;
  std::uint8_t count = 0;
};

}  // namespace detail

// Finds each of Names (a constexpr array of string views) in r: its first
// value and whether it is present once or more. Allocates nothing.
template <const auto& Names, request R>
auto find_headers(const R& r) noexcept {
  constexpr std::size_t N = Names.size();
  std::array<detail::header_found, N> found{};
  if constexpr (scannable_request<R>) {
    // A field is compared only with the names of its length, each in a
    // few word operations. The names are grouped by length at compile
    // time, so that a field costs one test of its length against each
    // distinct length (which the compiler may turn into a jump), not one a
    // name.
    constexpr auto lengths = [] {
      std::array<std::size_t, N> distinct{};
      std::size_t count = 0;
      for (std::string_view n : Names) {
        bool seen = false;
        for (std::size_t i = 0; i < count; ++i)
          seen = seen || distinct[i] == n.size();
        if (!seen) distinct[count++] = n.size();
      }
      return std::pair{distinct, count};
    }();
    r.for_each_header([&](std::string_view name, std::string_view value) {
      auto match = [&]<std::size_t J>() {
        constexpr std::size_t n = Names[J].size();
        if constexpr (n < 4) {
          if (!detail::iequals(name, Names[J])) return;
        } else {
          static constexpr detail::fixed_name<n> fixed{Names[J]};
          if (!fixed.matches(name)) return;
        }
        if (found[J].count == 0) found[J].value = value;
        if (found[J].count < 2) ++found[J].count;
      };
      // The names of length L, when the field has that length.
      auto of_length = [&]<std::size_t L, std::size_t... J>(
          std::index_sequence<J...>) {
        if (name.size() != L) return false;
        (
            [&] {
              if constexpr (Names[J].size() == L)
                match.template operator()<J>();
            }(),
            ...);
        return true;
      };
      [&]<std::size_t... K>(std::index_sequence<K...>) {
        // (void): with no names the fold is a bare `false`.
        (void)(of_length.template operator()<lengths.first[K]>(
                   std::make_index_sequence<N>{}) ||
               ...);
      }
      (std::make_index_sequence<lengths.second>{});
    });
  } else {
    for (std::size_t i = 0; i < N; ++i) {
      for (auto&& v : r.header_values(Names[i])) {
        if (found[i].count == 0) found[i].value = std::string_view(v);
        if (++found[i].count == 2) break;
      }
    }
  }
  return found;
}

struct header_field {
  std::string name;
  std::string value;
};

// A request held in plain strings: for tests, fuzzers, the client side and
// servers whose HTTP library has no adapter. header_values() allocates
// nothing; it walks the fields in order.
class plain_request {
 public:
  class value_range;

  plain_request() = default;
  plain_request(std::string method, std::string target,
                std::vector<header_field> fields = {})
      : method_(std::move(method)),
        target_(std::move(target)),
        fields_(std::move(fields)) {}

  std::string_view method() const noexcept { return method_; }
  std::string_view target() const noexcept { return target_; }
  const std::vector<header_field>& fields() const noexcept { return fields_; }

  void add(std::string name, std::string value) {
    fields_.push_back({std::move(name), std::move(value)});
  }

  // Replaces every field of that name with one, or adds it.
  void set(std::string_view name, std::string value) {
    std::erase_if(fields_, [&](const header_field& f) {
      return detail::iequals(f.name, name);
    });
    fields_.push_back({std::string(name), std::move(value)});
  }

  value_range header_values(std::string_view name) const noexcept;

  template <class F>
  void for_each_header(F&& f) const {
    for (const header_field& h : fields_)
      f(h.name, h.value);
  }

 private:
  std::string method_;
  std::string target_;
  std::vector<header_field> fields_;
};

// The values of one header name, in order of appearance.
class plain_request::value_range {
 public:
  class iterator {
   public:
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    using iterator_concept = std::forward_iterator_tag;

    iterator() = default;
    iterator(const header_field* at, const header_field* end,
             std::string_view name) noexcept
        : at_(at), end_(end), name_(name) {
      skip();
    }

    std::string_view operator*() const noexcept { return at_->value; }
    iterator& operator++() noexcept {
      ++at_;
      skip();
      return *this;
    }
    iterator operator++(int) noexcept {
      auto old = *this;
      ++*this;
      return old;
    }
    bool operator==(const iterator& o) const noexcept { return at_ == o.at_; }

   private:
    void skip() noexcept {
      while (at_ != end_ && !detail::iequals(at_->name, name_))
        ++at_;
    }

    const header_field* at_ = nullptr;
    const header_field* end_ = nullptr;
    std::string_view name_;
  };

  value_range(const std::vector<header_field>& f,
              std::string_view name) noexcept
      : begin_(f.data(), f.data() + f.size(), name),
        end_(f.data() + f.size(), f.data() + f.size(), name) {}

  iterator begin() const noexcept { return begin_; }
  iterator end() const noexcept { return end_; }

 private:
  iterator begin_;
  iterator end_;
};

inline plain_request::value_range plain_request::header_values(
    std::string_view name) const noexcept {
  return value_range(fields_, name);
}

static_assert(scannable_request<plain_request>);

}  // namespace sigreq
