// Sign a request built from the input with sigreq::signer, verify it with
// sigreq::verifier: accepted whenever the request is one the verifier
// allows (token method, origin-form target, a media type for Content-Type),
// refused otherwise. Then flip one byte of one signed part (method,
// target, Content-Type, date, digest, the signature of Authorization,
// body), chosen by the input: that request is refused.
//
// The input is a request as fuzz_request.hpp cuts it; its Date, digest and
// Authorization are dropped, since the signer writes them. An input header
// X-Cubicweb-Date asks for the date in that header instead, in the form
// named by its value's first byte: '1' RFC 850, '2' asctime, '3' RFC 5322,
// anything else IMF-fixdate.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <date/date.h>
#include <sigreq/sigreq.hpp>

#include "check.hpp"
#include "fuzz_request.hpp"
#include "fuzz_tokens.hpp"

namespace {

using profile = sigreq::profiles::cubicweb;
using store_type = sigreq::in_memory_token_store<sigreq::hash::sha512>;
using verifier_type =
    sigreq::verifier<profile, store_type, sigreq::settable_clock>;

constexpr std::string_view base_url = "https://api.example.org";

struct world {
  // Filled in the constructor; the verifiers read it only when verifying.
  world() { sigreq_fuzz::fill_store(store); }

  store_type store;
  sigreq::settable_clock clock{sigreq_fuzz::fuzz_now()};
  sigreq::verifier_options options = [] {
    sigreq::verifier_options o;
    o.base_url = std::string(base_url);
    o.record_last_use = false;
    return o;
  }();
  verifier_type verifier{store, options, clock};
  sigreq::signer<profile> signer{std::string(sigreq_fuzz::live_token),
                                 sigreq_fuzz::live_secret};
};

const world& the_world() {
  static const world w;
  return w;
}

std::string date_in_form(char form) {
  auto t = sigreq_fuzz::fuzz_now();
  auto fmt = [&](const char* f) {
    return date::format(std::locale::classic(), f, t);
  };
  switch (form) {
    case '1':
      return fmt("%A, %d-%b-%y %H:%M:%S GMT");
    case '2':
      return fmt("%a %b %e %H:%M:%S %Y");
    case '3':
      return date::format(std::locale::classic(), "%a, %d %b %Y %H:%M:%S +0100",
                          t + std::chrono::hours{1});
    default:
      return sigreq::format_imf_fixdate(t);
  }
}

bool allowed(const sigreq::plain_request& r) {
  if (r.method().size() > sigreq::max_method_size ||
      !sigreq::detail::is_token(r.method()))
    return false;
  if (r.target().size() > 8192 || !sigreq::detail::is_origin_form(r.target()))
    return false;
  std::string_view type = sigreq_fuzz::first_value(r, {"Content-Type"});
  if (sigreq_fuzz::count_named(r, "Content-Type") == 1 &&
      (type.size() > sigreq::max_signed_value_size ||
       !sigreq::detail::is_media_type(type)))
    return false;
  return true;
}

// A position and a nonzero mask, spread over the input by a simple hash.
std::uint32_t mix(std::uint32_t h, std::size_t salt) {
  h ^= static_cast<std::uint32_t>(salt) * 0x9e3779b9u;
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  return h;
}

// Flips a byte of s at or after from.
void flip(std::string& s, std::uint32_t h, std::size_t from = 0) {
  std::size_t at = from + h % (s.size() - from);
  auto mask = static_cast<unsigned char>(1u + (h >> 8) % 255u);
  s[at] = static_cast<char>(static_cast<unsigned char>(s[at]) ^ mask);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const world& w = the_world();
  auto cut = sigreq_fuzz::cut(sigreq_fuzz::as_text(data, size), true);

  std::vector<sigreq::header_field> kept;
  std::string alternate_date;
  for (auto& f : cut.request.fields()) {
    if (sigreq_fuzz::same_name(f.name, "X-Cubicweb-Date")) {
      alternate_date = date_in_form(f.value.empty() ? '0' : f.value[0]);
      continue;
    }
    if (sigreq_fuzz::same_name(f.name, "Date") ||
        sigreq_fuzz::same_name(f.name, "Content-SHA512") ||
        sigreq_fuzz::same_name(f.name, "Authorization"))
      continue;
    kept.push_back(f);
  }
  sigreq::plain_request r(std::string(cut.request.method()),
                          std::string(cut.request.target()), kept);
  if (!alternate_date.empty()) r.add("X-Cubicweb-Date", alternate_date);

  std::string url = std::string(base_url) + std::string(r.target());
  if (w.signer.sign(r, url, cut.body, w.clock.now()) != sigreq::refusal{}) {
    // Only a signed header present twice keeps a request from being signed.
    SIGREQ_FUZZ_CHECK(sigreq_fuzz::count_named(r, "Content-Type") > 1);
    return 0;
  }

  auto got = w.verifier.verify(r, cut.body);
  SIGREQ_FUZZ_CHECK(got.has_value() == allowed(r));
  if (!got) return 0;
  SIGREQ_FUZZ_CHECK(got->token_id == sigreq_fuzz::live_token);

  std::uint32_t h = 2166136261u;
  for (std::size_t i = 0; i < size; ++i)
    h = (h ^ data[i]) * 16777619u;

  const std::string_view signed_fields[] = {"Content-Type", "X-Cubicweb-Date",
                                            "Date", "Content-SHA512",
                                            "Authorization"};
  // Part 0 is the method, 1 the target, 2 the body, then the fields; the
  // part is chosen by the input's hash, and the next one tried when it is
  // empty or absent.
  constexpr std::size_t parts = 3 + std::size(signed_fields);
  for (std::size_t tried = 0, part = h % parts; tried < parts;
       ++tried, part = (part + 1) % parts) {
    std::string method(r.method()), target(r.target()), body = cut.body;
    std::vector<sigreq::header_field> fields = r.fields();
    std::uint32_t k = mix(h, part);
    if (part == 0) {
      flip(method, k);
    } else if (part == 1) {
      flip(target, k);
    } else if (part == 2) {
      if (body.empty()) continue;
      flip(body, k);
    } else {
      bool found = false;
      for (auto& f : fields)
        if (sigreq_fuzz::same_name(f.name, signed_fields[part - 3]) &&
            !f.value.empty()) {
          // Of Authorization, the signature: the space after the scheme
          // is any optional whitespace, and the token id is not signed.
          std::size_t from = 0;
          if (part - 3 == std::size(signed_fields) - 1)
            from = f.value.find(':') + 1;
          flip(f.value, k, from);
          found = true;
        }
      if (!found) continue;
    }
    sigreq::plain_request changed(method, target, fields);
    auto again = w.verifier.verify(changed, body);
    SIGREQ_FUZZ_CHECK(!again.has_value());
    break;
  }
  return 0;
}
