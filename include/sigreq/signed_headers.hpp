// The header-set policy: which header values enter the string to sign, in
// which order, and the rule that none of them may appear twice.
//
//   using headers = sigreq::signed_headers<
//       sigreq::content_digest,                      // Content-SHA512 ...
//       sigreq::field<"Content-Type">,
//       sigreq::any_of<"X-Cubicweb-Date", "Date">>;  // first present wins
//
// A slot's value is that of the first of its names present in the request;
// a slot with none present signs the empty string. Any name of any slot
// present more than once makes the request ambiguous.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "error.hpp"
#include "hash.hpp"
#include "request.hpp"

namespace sigreq {

// The longest signed header value read; anything longer is oversized.
inline constexpr std::size_t max_signed_value_size = 8192;

// A string literal usable as a template argument.
template <std::size_t N>
struct fixed_string {
  char chars[N]{};
  constexpr fixed_string(const char (&s)[N]) noexcept {
    std::copy_n(s, N, chars);
  }
  constexpr std::string_view view() const noexcept { return {chars, N - 1}; }
};

// A slot filled by the first present of Names, in priority order.
template <fixed_string... Names>
struct any_of {
  static_assert(sizeof...(Names) > 0, "a slot needs at least one name");

  template <hash_policy>
  static constexpr std::array<std::string_view, sizeof...(Names)> names() {
    return {Names.view()...};
  }
};

template <fixed_string Name>
using field = any_of<Name>;

// The slot of the body digest header; its name comes from the hash.
struct content_digest {
  template <hash_policy H>
  static constexpr std::array<std::string_view, 1> names() {
    return {H::content_digest_header};
  }
};

template <class Slot, class H>
concept header_slot = hash_policy<H> && requires {
  {Slot::template names<H>()};
};

template <class... Slots>
struct signed_headers {
  static constexpr std::size_t size = sizeof...(Slots);

  // The position of Slot in the list, or size when it is not there.
  template <class Slot>
  static constexpr std::size_t index_of() {
    constexpr bool same[] = {std::is_same_v<Slot, Slots>..., false};
    std::size_t i = 0;
    while (i < size && !same[i])
      ++i;
    return i;
  }
};

template <class T>
inline constexpr bool is_signed_headers = false;
template <class... S>
inline constexpr bool is_signed_headers<signed_headers<S...>> = true;

// The values of the slots of one request.
template <std::size_t N>
struct signed_values {
  std::array<std::string_view, N> values{};
  std::array<bool, N> present{};
};

namespace detail {

// How many values a header has, up to 2, and the first one.
template <request R>
std::size_t count_values(const R& r, std::string_view name,
                         std::string_view& first) noexcept {
  std::size_t n = 0;
  for (auto&& v : r.header_values(name)) {
    if (n == 0) first = std::string_view(v);
    if (++n == 2) break;
  }
  return n;
}

template <class Slot, hash_policy H, request R>
refusal resolve_slot(const R& r, std::string_view& value,
                     bool& present) noexcept {
  present = false;
  for (std::string_view name : Slot::template names<H>()) {
    std::string_view v;
    std::size_t n = count_values(r, name, v);
    if (n > 1) return refusal::ambiguous_header;
    if (n == 1 && !present) {
      if (v.size() > max_signed_value_size) return refusal::oversized_input;
      value = v;
      present = true;
    }
  }
  return refusal{};
}

template <hash_policy H, request R, class... Slots>
result<signed_values<sizeof...(Slots)>> collect(
    const R& r, signed_headers<Slots...>*) noexcept {
  signed_values<sizeof...(Slots)> out;
  refusal why{};
  std::size_t i = 0;
  auto resolve = [&]<class Slot>() {
    // Stops at the first slot that refuses.
    if (why == refusal{})
      why = resolve_slot<Slot, H>(r, out.values[i], out.present[i]);
    ++i;
  };
  (resolve.template operator()<Slots>(), ...);
  if (why != refusal{}) return why;
  return out;
}

}  // namespace detail

// Resolves every slot of Headers in r. Refuses a name present twice
// (ambiguous_header) and a value over max_signed_value_size bytes
// (oversized_input). Allocates nothing; the values are views into r.
template <class Headers, hash_policy H, request R>
requires is_signed_headers<Headers> result<signed_values<Headers::size>>
collect_signed_headers(const R& r)
noexcept {
  return detail::collect<H>(r, static_cast<Headers*>(nullptr));
}

// One slot resolved on its own, for a slot outside the signed list.
template <class Slot, hash_policy H, request R>
result<signed_values<1>> collect_slot(const R& r) noexcept {
  signed_values<1> out;
  refusal why = detail::resolve_slot<Slot, H>(r, out.values[0], out.present[0]);
  if (why != refusal{}) return why;
  return out;
}

}  // namespace sigreq
