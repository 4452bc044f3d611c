// Refusal reasons: why a request was not authenticated.
//
// A refusal is a value, never an exception. Each reason has a short,
// secret-free message meant for the server log; clients are told nothing
// but "unauthorized". Reasons convert to std::error_code through
// refusal_category().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

namespace sigreq {

enum class refusal : std::uint8_t {
  missing_authorization = 1,
  malformed_authorization,
  wrong_scheme,
  unknown_token,
  disabled_token,
  expired_token,
  inactive_principal,
  missing_date,
  malformed_date,
  stale_date,
  missing_body_digest,
  malformed_body_digest,
  body_digest_mismatch,
  bad_signature,
  ambiguous_header,
  malformed_header,
  malformed_method,
  malformed_target,
  oversized_input,
  replayed_request,
  replay_guard_full,
};

// The log message of a reason: lowercase words, no secret, no input bytes.
constexpr std::string_view message(refusal r) noexcept {
  switch (r) {
    case refusal::missing_authorization:
      return "missing authorization";
    case refusal::malformed_authorization:
      return "malformed authorization";
    case refusal::wrong_scheme:
      return "wrong authorization scheme";
    case refusal::unknown_token:
      return "unknown token";
    case refusal::disabled_token:
      return "disabled token";
    case refusal::expired_token:
      return "expired token";
    case refusal::inactive_principal:
      return "inactive principal";
    case refusal::missing_date:
      return "missing date";
    case refusal::malformed_date:
      return "malformed date";
    case refusal::stale_date:
      return "date outside the clock window";
    case refusal::missing_body_digest:
      return "missing body digest";
    case refusal::malformed_body_digest:
      return "malformed body digest";
    case refusal::body_digest_mismatch:
      return "body digest mismatch";
    case refusal::bad_signature:
      return "bad signature";
    case refusal::ambiguous_header:
      return "signed header present twice";
    case refusal::malformed_header:
      return "malformed signed header";
    case refusal::malformed_method:
      return "malformed method";
    case refusal::malformed_target:
      return "malformed request target";
    case refusal::oversized_input:
      return "oversized input";
    case refusal::replayed_request:
      return "replayed request";
    case refusal::replay_guard_full:
      return "replay guard full";
  }
  return r == refusal{} ? "accepted" : "unknown refusal";
}

namespace detail {

class refusal_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "sigreq"; }

  std::string message(int value) const override {
    return std::string(sigreq::message(static_cast<refusal>(value)));
  }
};

}  // namespace detail

inline const std::error_category& refusal_category() noexcept {
  static const detail::refusal_category_impl category;
  return category;
}

inline std::error_code make_error_code(refusal r) noexcept {
  return {static_cast<int>(r), refusal_category()};
}

// A value of T, or the reason there is none. T must be default
// constructible; nothing here allocates.
template <class T>
class result {
 public:
  constexpr result(T value) noexcept(std::is_nothrow_move_constructible_v<T>)
      : value_(std::move(value)) {}
  constexpr result(refusal why) noexcept : why_(why) {}

  constexpr explicit operator bool() const noexcept { return why_ == ok; }
  constexpr bool has_value() const noexcept { return why_ == ok; }
  constexpr const T& value() const noexcept { return value_; }
  constexpr const T& operator*() const noexcept { return value_; }
  constexpr const T* operator->() const noexcept { return &value_; }
  constexpr refusal error() const noexcept { return why_; }

 private:
  static constexpr refusal ok{};
  T value_{};
  refusal why_ = ok;
};

}  // namespace sigreq

template <>
struct std::is_error_code_enum<sigreq::refusal> : std::true_type {};
