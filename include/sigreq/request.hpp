// What the verifier reads of a request, and a plain request type.
//
// A type models sigreq::request when it gives its method, its
// request-target exactly as received, and every value of a header name
// (matched without regard to case) as a range of string views. Nothing
// here knows of an HTTP library; see beast.hpp for Boost.Beast.
#pragma once

#include <concepts>
#include <cstddef>
#include <iterator>
#include <ranges>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

namespace detail {

constexpr char ascii_lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
}

// Header names compare without regard to ASCII case (RFC 9110 5.1).
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

}  // namespace detail

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

static_assert(request<plain_request>);

}  // namespace sigreq
