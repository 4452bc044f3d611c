// The Authorization parser on arbitrary bytes. Invariants: no crash; an
// accepted value's parts are views into it, in order, that obey the
// documented limits (the signature's alphabet is the verifier's to check);
// re-serialized and parsed again they give the same parts.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <sigreq/authorization.hpp>

#include "check.hpp"
#include "fuzz_request.hpp"

namespace {

bool inside(std::string_view part, std::string_view whole) {
  return part.data() >= whole.data() &&
         part.data() + part.size() <= whole.data() + whole.size();
}

bool has_control(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  return false;
}

void check_one(std::string_view value, std::string_view scheme) {
  auto a = sigreq::parse_authorization(value, scheme);
  if (value.size() > sigreq::max_authorization_size) {
    SIGREQ_FUZZ_CHECK(!a && a.error() == sigreq::refusal::oversized_input);
    return;
  }
  if (!a) {
    SIGREQ_FUZZ_CHECK(a.error() == sigreq::refusal::malformed_authorization ||
                      a.error() == sigreq::refusal::wrong_scheme);
    return;
  }

  SIGREQ_FUZZ_CHECK(a->scheme == scheme);
  SIGREQ_FUZZ_CHECK(inside(a->scheme, value));
  SIGREQ_FUZZ_CHECK(inside(a->token_id, value));
  SIGREQ_FUZZ_CHECK(inside(a->signature, value));
  SIGREQ_FUZZ_CHECK(!a->token_id.empty());
  SIGREQ_FUZZ_CHECK(a->token_id.size() <= sigreq::max_token_id_size);
  SIGREQ_FUZZ_CHECK(a->token_id.find(':') == std::string_view::npos);
  SIGREQ_FUZZ_CHECK(!has_control(a->token_id));
  // The parts appear in order: scheme, token id, signature.
  SIGREQ_FUZZ_CHECK(a->scheme.data() + a->scheme.size() <= a->token_id.data());
  SIGREQ_FUZZ_CHECK(a->token_id.data() + a->token_id.size() <
                    a->signature.data() + 1);

  std::string again = sigreq::format_authorization(*a);
  auto b = sigreq::parse_authorization(again, scheme);
  SIGREQ_FUZZ_CHECK(b.has_value());
  SIGREQ_FUZZ_CHECK(b->scheme == a->scheme);
  SIGREQ_FUZZ_CHECK(b->token_id == a->token_id);
  SIGREQ_FUZZ_CHECK(b->signature == a->signature);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::string_view value = sigreq_fuzz::as_text(data, size);
  check_one(value, "Cubicweb");

  // Also with the value's own first word as the expected scheme, so that
  // inputs under other schemes reach the credentials.
  std::string_view v = value;
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
    v.remove_prefix(1);
  std::size_t end = v.find_first_of(" \t");
  std::string_view word = v.substr(0, end);
  if (!word.empty() && word != "Cubicweb") check_one(value, word);
  return 0;
}
