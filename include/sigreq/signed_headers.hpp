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
#include "limits.hpp"
#include "request.hpp"

namespace sigreq {

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

// Every name of every slot, in slot order, and where each slot starts.
template <class Headers, hash_policy H>
struct slot_layout;

template <hash_policy H, class... Slots>
struct slot_layout<signed_headers<Slots...>, H> {
  static constexpr std::size_t name_count =
      (std::size_t{0} + ... + Slots::template names<H>().size());

  static constexpr std::array<std::string_view, name_count> names = [] {
    std::array<std::string_view, name_count> out{};
    std::size_t i = 0;
    auto append = [&](const auto& slot_names) {
      for (std::string_view n : slot_names)
        out[i++] = n;
    };
    (append(Slots::template names<H>()), ...);
    return out;
  }();

  static constexpr std::array<std::size_t, sizeof...(Slots) + 1> starts = [] {
    std::array<std::size_t, sizeof...(Slots) + 1> out{};
    std::size_t i = 0, at = 0;
    ((out[i++] = at, at += Slots::template names<H>().size()), ...);
    out[i] = at;
    return out;
  }();
};

template <std::size_t A, std::size_t B>
constexpr std::array<std::string_view, A + B> concat(
    const std::array<std::string_view, A>& a,
    const std::array<std::string_view, B>& b) {
  std::array<std::string_view, A + B> out{};
  for (std::size_t i = 0; i < A; ++i)
    out[i] = a[i];
  for (std::size_t i = 0; i < B; ++i)
    out[A + i] = b[i];
  return out;
}

// Resolves each slot from what find_headers() found for the layout's
// names, which start at found. Unrolled at compile time: a few slots of
// one or two names each.
template <class Headers, hash_policy H>
result<signed_values<Headers::size>> resolve_slots(
    const header_found* found) noexcept {
  using layout = slot_layout<Headers, H>;
  static constexpr auto slot_of = [] {
    std::array<std::size_t, layout::name_count> out{};
    for (std::size_t slot = 0; slot < Headers::size; ++slot)
      for (std::size_t i = layout::starts[slot]; i < layout::starts[slot + 1];
           ++i)
        out[i] = slot;
    return out;
  }();

  signed_values<Headers::size> out;
  refusal why{};
  // Each name in order; the first refusal met stands.
  auto resolve = [&]<std::size_t I>() {
    constexpr std::size_t slot = slot_of[I];
    const header_found& f = found[I];
    if (why != refusal{}) return;
    if (f.count > 1) {
      why = refusal::ambiguous_header;
    } else if (f.count == 1 && !out.present[slot]) {
      if (f.value.size() > max_signed_value_size) {
        why = refusal::oversized_input;
        return;
      }
      out.values[slot] = f.value;
      out.present[slot] = true;
    }
  };
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (resolve.template operator()<I>(), ...);
  }
  (std::make_index_sequence<layout::name_count>{});
  if (why != refusal{}) return why;
  return out;
}

}  // namespace detail

// Resolves every slot of Headers in r. Refuses a name present twice
// (ambiguous_header) and a value over max_signed_value_size bytes
// (oversized_input). Allocates nothing; the values are views into r.
template <class Headers, hash_policy H, request R>
result<signed_values<Headers::size>> collect_signed_headers(
    const R& r) noexcept {
  static_assert(is_signed_headers<Headers>,
                "Headers must be a sigreq::signed_headers<...>");
  auto found = find_headers<detail::slot_layout<Headers, H>::names>(r);
  return detail::resolve_slots<Headers, H>(found.data());
}

// One slot resolved on its own, for a slot outside the signed list.
template <class Slot, hash_policy H, request R>
result<signed_values<1>> collect_slot(const R& r) noexcept {
  return collect_signed_headers<signed_headers<Slot>, H>(r);
}

}  // namespace sigreq
