// The input limits, in one place. Beyond any of them a request is refused
// with oversized_input; none is configurable at run time but the target
// and body limits (verifier_options).
#pragma once

#include <cstddef>

namespace sigreq {

// The longest Authorization value read.
inline constexpr std::size_t max_authorization_size = 1024;
// A token id is 1 to 128 bytes.
inline constexpr std::size_t max_token_id_size = 128;
// The longest signed header value read.
inline constexpr std::size_t max_signed_value_size = 8192;
// The longest method read (methods are RFC 9110 tokens).
inline constexpr std::size_t max_method_size = 32;
// The default longest request-target (verifier_options::max_target_size).
inline constexpr std::size_t default_max_target_size = 8192;

}  // namespace sigreq
