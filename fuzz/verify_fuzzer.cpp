// A request cut from the input (see fuzz_request.hpp) through the whole
// verifier, with the tokens of fuzz_tokens.hpp and a stopped clock, under
// two configurations: a base URL with the defaults, and the URL built from
// Host with the hardening options and small limits.
//
// To let mutations reach past the MAC, two placeholders are filled in
// before verifying: an Authorization signature "SIGN" becomes the real
// signature of the request as it stands, a Content-SHA512 value "BODY"
// the digest of the body.
//
// Invariants: no crash; a refusal is one of the documented reasons;
// streaming the body in pieces decides as verify() does; and a request is
// never accepted unless it carries exactly one Authorization for the live
// token whose signature equals both sigreq::signer's and an independent
// HMAC-SHA512 of exactly its canonical bytes with the real secret, its
// body matches its digest, its date lies in the window, and a second
// presentation to a replay-guarded verifier is refused as a replay.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <sigreq/sigreq.hpp>

#include "check.hpp"
#include "fuzz_request.hpp"
#include "fuzz_tokens.hpp"

namespace {

using sigreq::refusal;
using profile = sigreq::profiles::cubicweb;
using store_type = sigreq::in_memory_token_store<sigreq::hash::sha512>;
using verifier_type =
    sigreq::verifier<profile, store_type, sigreq::settable_clock>;
using guarded_verifier_type =
    sigreq::verifier<profile, store_type, sigreq::settable_clock,
                     sigreq::in_memory_replay_guard>;

struct world {
  // Filled in the constructor; the verifiers read it only when verifying.
  world() { sigreq_fuzz::fill_store(store); }

  store_type store;
  sigreq::settable_clock clock{sigreq_fuzz::fuzz_now()};
  sigreq::verifier_options base_options = [] {
    sigreq::verifier_options o;
    o.base_url = "https://api.example.org/";
    o.record_last_use = false;
    return o;
  }();
  sigreq::verifier_options host_options = [] {
    sigreq::verifier_options o;
    o.url_from_host = true;
    o.host_scheme = "http";
    o.require_digest_on_get = true;
    o.record_last_use = false;
    o.max_target_size = 256;
    o.max_body_size = 4096;
    return o;
  }();
  verifier_type by_base{store, base_options, clock};
  verifier_type by_host{store, host_options, clock};
};

// Built once and never changed: verification is const and records
// nothing, so every input sees the same world.
const world& the_world() {
  static const world w;
  return w;
}

std::string url_of(const sigreq::plain_request& r,
                   const sigreq::verifier_options& o) {
  if (!o.url_from_host)
    return "https://api.example.org" + std::string(r.target());
  return o.host_scheme + "://" +
         std::string(sigreq_fuzz::first_value(r, {"Host"})) +
         std::string(r.target());
}

bool has_placeholder(const sigreq::plain_request& r) {
  for (const auto& f : r.fields())
    if (f.value == "BODY" ||
        (f.value.size() >= 5 && f.value.ends_with(":SIGN")))
      return true;
  return false;
}

void fill_placeholders(sigreq::plain_request& r, std::string_view body,
                       const sigreq::verifier_options& o) {
  if (!has_placeholder(r)) return;
  std::vector<sigreq::header_field> fields = r.fields();
  for (auto& f : fields)
    if (sigreq_fuzz::same_name(f.name, "Content-SHA512") && f.value == "BODY")
      f.value = sigreq_fuzz::independent_body_digest(body);
  r = sigreq::plain_request(std::string(r.method()), std::string(r.target()),
                            fields);

  std::string sig = sigreq_fuzz::independent_signature(
      r, url_of(r, o), sigreq_fuzz::live_secret);
  for (auto& f : fields) {
    if (!sigreq_fuzz::same_name(f.name, "Authorization")) continue;
    std::size_t at = f.value.rfind(":SIGN");
    if (at != std::string::npos && at + 5 == f.value.size())
      f.value.replace(at + 1, 4, sig);
  }
  r = sigreq::plain_request(std::string(r.method()), std::string(r.target()),
                            std::move(fields));
}

bool documented(refusal why) {
  return sigreq::message(why) != "unknown refusal" && why != refusal{};
}

void check_accepted(const sigreq::plain_request& r, std::string_view body,
                    const sigreq::verifier_options& o,
                    const sigreq::identity& who) {
  const world& w = the_world();
  SIGREQ_FUZZ_CHECK(who.token_id == sigreq_fuzz::live_token);
  SIGREQ_FUZZ_CHECK(who.principal == sigreq_fuzz::live_principal);

  SIGREQ_FUZZ_CHECK(sigreq_fuzz::count_named(r, "Authorization") == 1);
  auto auth = sigreq::parse_authorization(
      sigreq_fuzz::first_value(r, {"Authorization"}), profile::scheme);
  SIGREQ_FUZZ_CHECK(auth.has_value());
  SIGREQ_FUZZ_CHECK(auth->token_id == sigreq_fuzz::live_token);

  std::string url = url_of(r, o);
  std::string independent =
      sigreq_fuzz::independent_signature(r, url, sigreq_fuzz::live_secret);
  SIGREQ_FUZZ_CHECK(auth->signature == independent);
  sigreq::signer<profile> s(std::string(sigreq_fuzz::live_token),
                            sigreq_fuzz::live_secret);
  auto by_signer = s.signature(r, url);
  SIGREQ_FUZZ_CHECK(by_signer.has_value());
  SIGREQ_FUZZ_CHECK(*by_signer == independent);

  std::size_t digests = sigreq_fuzz::count_named(r, "Content-SHA512");
  SIGREQ_FUZZ_CHECK(digests <= 1);
  if (digests == 1) {
    SIGREQ_FUZZ_CHECK(sigreq_fuzz::first_value(r, {"Content-SHA512"}) ==
                      sigreq_fuzz::independent_body_digest(body));
  } else {
    SIGREQ_FUZZ_CHECK(r.method() == "GET" && !o.require_digest_on_get);
    SIGREQ_FUZZ_CHECK(body.empty());
  }

  auto now = w.clock.now();
  auto date = sigreq::parse_http_date(
      sigreq_fuzz::first_value(r, {"X-Cubicweb-Date", "Date"}),
      sigreq::civil_year(now));
  SIGREQ_FUZZ_CHECK(date.has_value());
  SIGREQ_FUZZ_CHECK(date->time >= now - o.max_past);
  SIGREQ_FUZZ_CHECK(date->time <= now + o.max_future);

  // A store of this input's own, so that recording the last use changes
  // nothing that other inputs see.
  store_type store;
  sigreq_fuzz::fill_store(store);
  sigreq::verifier_options recording = o;
  recording.record_last_use = true;
  sigreq::in_memory_replay_guard guard(16);
  guarded_verifier_type guarded(store, recording, w.clock, guard);
  auto first = guarded.verify(r, body);
  SIGREQ_FUZZ_CHECK(first.has_value());
  SIGREQ_FUZZ_CHECK(store.find(sigreq_fuzz::live_token)->last_used() == now);
  auto second = guarded.verify(r, body);
  SIGREQ_FUZZ_CHECK(!second && second.error() == refusal::replayed_request);
}

void check_one(const verifier_type& v, sigreq::plain_request r,
               std::string_view body) {
  fill_placeholders(r, body, v.options());
  auto got = v.verify(r, body);

  // The same decision when the body streams in two pieces.
  auto p = v.begin(r);
  std::size_t half = body.size() / 2;
  p.update(body.substr(0, half));
  p.update(body.substr(half));
  auto streamed = p.finish();
  SIGREQ_FUZZ_CHECK(streamed.has_value() == got.has_value());

  if (!got) {
    SIGREQ_FUZZ_CHECK(documented(got.error()));
    SIGREQ_FUZZ_CHECK(streamed.error() == got.error());
    return;
  }
  check_accepted(r, body, v.options(), *got);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  auto cut = sigreq_fuzz::cut(sigreq_fuzz::as_text(data, size), true);
  const world& w = the_world();
  check_one(w.by_base, cut.request, cut.body);
  check_one(w.by_host, cut.request, cut.body);
  return 0;
}
