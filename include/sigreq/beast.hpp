// Boost.Beast adapter: a view of boost::beast::http::request that models
// sigreq::request. Header lookups use Beast's own case-insensitive index
// and allocate nothing.
//
//   http::request<http::string_body> req = ...;
//   auto who = verifier.verify(sigreq::beast_request(req), req.body());
#pragma once

#include <cstddef>
#include <iterator>
#include <string_view>

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/message.hpp>

#include "request.hpp"

namespace sigreq {

template <class Body, class Fields>
class beast_request {
 public:
  using message_type = boost::beast::http::request<Body, Fields>;

  class value_range {
   public:
    using base_iterator = typename Fields::const_iterator;

    class iterator {
     public:
      using value_type = std::string_view;
      using difference_type = std::ptrdiff_t;
      using iterator_concept = std::forward_iterator_tag;

      iterator() = default;
      explicit iterator(base_iterator it) : it_(it) {}

      std::string_view operator*() const noexcept {
        auto v = it_->value();
        return {v.data(), v.size()};
      }
      iterator& operator++() noexcept {
        ++it_;
        return *this;
      }
      iterator operator++(int) noexcept {
        auto old = *this;
        ++it_;
        return old;
      }
      bool operator==(const iterator& o) const noexcept { return it_ == o.it_; }

     private:
      base_iterator it_{};
    };

    value_range(base_iterator first, base_iterator last) noexcept
        : first_(first), last_(last) {}

    iterator begin() const noexcept { return iterator(first_); }
    iterator end() const noexcept { return iterator(last_); }

   private:
    base_iterator first_;
    base_iterator last_;
  };

  explicit beast_request(const message_type& m) noexcept : m_(&m) {}

  std::string_view method() const noexcept {
    auto s = m_->method_string();
    return {s.data(), s.size()};
  }

  std::string_view target() const noexcept {
    auto s = m_->target();
    return {s.data(), s.size()};
  }

  template <class F>
  void for_each_header(F&& f) const {
    for (const auto& field : m_->base()) {
      auto n = field.name_string();
      auto v = field.value();
      f(std::string_view(n.data(), n.size()),
        std::string_view(v.data(), v.size()));
    }
  }

  value_range header_values(std::string_view name) const noexcept {
    auto [first, last] = m_->base().equal_range(
        boost::beast::string_view(name.data(), name.size()));
    return value_range(first, last);
  }

 private:
  const message_type* m_;
};

template <class Body, class Fields>
beast_request(const boost::beast::http::request<Body, Fields>&)
    -> beast_request<Body, Fields>;

static_assert(scannable_request<beast_request<boost::beast::http::empty_body,
                                              boost::beast::http::fields>>);

}  // namespace sigreq
