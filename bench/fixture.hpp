// The requests, tokens and verifiers every benchmark shares.
//
// A GET looks like what the Python client (requests with the signedrequest
// auth) sends: its usual headers, an IMF-fixdate Date, the Content-SHA512
// of the empty body and the Authorization header, in that wire order.
// The clock reads the system clock on every verification, as a
// deployment's does, but answers the instant the requests were signed, so
// that every run verifies the very same bytes and pays for the read.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <sigreq/sigreq.hpp>

namespace sigreq_bench {

inline constexpr std::string_view base_url = "https://api.example.org";
inline constexpr std::string_view get_target =
    "/api/v1/projects/4211/issues?state=open&sort=-created&per_page=50";
inline constexpr std::string_view post_target =
    "/api/v1/projects/4211/attachments";

// The instant the requests are signed and verified.
inline std::chrono::sys_seconds frozen_now() {
  using namespace std::chrono;
  return sys_days{year{2026} / December / 3} + hours{22} + minutes{10} +
         seconds{7};
}

// A profile a user composes: SHA-256 and one more signed header.
struct sha256_with_request_id : sigreq::profiles::cubicweb {
  using hash = sigreq::hash::sha256;
  using headers =
      sigreq::signed_headers<sigreq::content_digest,
                             sigreq::field<"Content-Type">, date_field,
                             sigreq::field<"X-Request-Id">>;
};

template <class P>
inline constexpr std::string_view profile_name = "?";
template <>
inline constexpr std::string_view profile_name<sigreq::profiles::cubicweb> =
    "cubicweb";
template <>
inline constexpr std::string_view
    profile_name<sigreq::profiles::cubicweb_md5_legacy> = "md5_legacy";
template <>
inline constexpr std::string_view profile_name<sha256_with_request_id> =
    "sha256_request_id";

// Token ids and secrets as the cube hands them out: an id and 64 hex
// digits, both derived from the token's number.
inline std::string token_id_of(std::size_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "tok-%07zu", i);
  return buf;
}

inline std::string secret_of(std::size_t i) {
  std::uint64_t x = 0x9e3779b97f4a7c15ull * (i + 1);
  std::string s(64, '0');
  for (char& c : s) {
    x ^= x >> 29;
    x *= 0xbf58476d1ce4e5b9ull;
    c = "0123456789abcdef"[x >> 60];
  }
  return s;
}

// The headers python-requests sends before the auth adds its own.
inline sigreq::plain_request python_request(std::string_view method,
                                            std::string_view target) {
  return sigreq::plain_request(std::string(method), std::string(target),
                               {{"Host", "api.example.org"},
                                {"User-Agent", "python-requests/2.28.1"},
                                {"Accept-Encoding", "gzip, deflate"},
                                {"Accept", "*/*"},
                                {"Connection", "keep-alive"}});
}

template <class P>
sigreq::plain_request signed_request(std::size_t token, std::string_view method,
                                     std::string_view target,
                                     std::string_view body,
                                     std::string_view content_type = {}) {
  sigreq::plain_request r = python_request(method, target);
  if (!content_type.empty()) r.add("Content-Type", std::string(content_type));
  if constexpr (std::is_same_v<P, sha256_with_request_id>)
    r.add("X-Request-Id", "6f1d0b2e-42a7-4c55-9a31-0d8e5b7c9f10");
  sigreq::signer<P> s(token_id_of(token), secret_of(token));
  std::string url = std::string(base_url) + std::string(target);
  s.sign(r, url, body, frozen_now());
  return r;
}

// Reads the system clock as sigreq::system_clock does (its cost is part
// of a verification) and answers frozen_now(). A settable_clock alone
// reads one atomic instead, which hid about 3 % of a GET.
struct reading_frozen_clock {
  std::chrono::sys_seconds now() const noexcept {
    auto real = sigreq::system_clock{}.now().time_since_epoch().count();
    __asm__ __volatile__("" : : "r"(real));  // the read may not be dropped
    return frozen_;
  }
  std::chrono::sys_seconds frozen_ = frozen_now();
};
static_assert(sigreq::clock_policy<reading_frozen_clock>);

template <class P>
using store_of = sigreq::in_memory_token_store<typename P::hash>;

template <class P>
using verifier_of = sigreq::verifier<P, store_of<P>, reading_frozen_clock>;

inline sigreq::verifier_options bench_options() {
  sigreq::verifier_options o;
  o.base_url = std::string(base_url);
  return o;
}

template <class P>
void fill_store(store_of<P>& store, std::size_t n) {
  store.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    store.insert(token_id_of(i), secret_of(i), "user-" + std::to_string(i));
}

// The tokens, verifier and signed GETs of one profile. Token i signs
// get_requests[i], so that each benchmark thread has its own.
template <class P>
class world {
 public:
  static constexpr std::size_t store_size = 1000;
  static constexpr std::size_t request_count = 2;

  static world& get() {
    static world w;
    return w;
  }

  const store_of<P>& store() const { return store_; }
  const verifier_of<P>& verifier() const { return verifier_; }
  const sigreq::plain_request& get_request(std::size_t i) const {
    return get_requests_[i];
  }

 private:
  world() : verifier_(store_, bench_options(), reading_frozen_clock{}) {
    fill_store<P>(store_, store_size);
    for (std::size_t i = 0; i < request_count; ++i)
      get_requests_.push_back(signed_request<P>(i, "GET", get_target, {}));
  }

  store_of<P> store_;
  verifier_of<P> verifier_;
  std::vector<sigreq::plain_request> get_requests_;
};

// A store of n tokens, and signed GETs of up to 1024 of them spread over
// the whole store, verified in turn so that the store is walked as many
// clients would walk it.
struct store_case {
  store_of<sigreq::profiles::cubicweb> store;
  std::vector<sigreq::plain_request> requests;
};

inline const store_case& store_of_size(std::size_t n) {
  static std::map<std::size_t, std::unique_ptr<store_case>> cases;
  auto& c = cases[n];
  if (!c) {
    c = std::make_unique<store_case>();
    fill_store<sigreq::profiles::cubicweb>(c->store, n);
    std::mt19937_64 pick(n);
    std::size_t count = n < 1024 ? n : 1024;
    for (std::size_t i = 0; i < count; ++i)
      c->requests.push_back(signed_request<sigreq::profiles::cubicweb>(
          count == n ? i : pick() % n, "GET", get_target, {}));
  }
  return *c;
}

// The bytes the verifier signs for request r, in one string.
template <class P>
std::string string_to_sign_of(const sigreq::plain_request& r) {
  auto values =
      sigreq::collect_signed_headers<typename P::headers, typename P::hash>(r);
  return sigreq::string_to_sign(r.method(), {base_url, {}, r.target()},
                                values->values);
}

// The first value of a header, or the empty view.
inline std::string_view header(const sigreq::plain_request& r,
                               std::string_view name) {
  for (std::string_view v : r.header_values(name))
    return v;
  return {};
}

}  // namespace sigreq_bench
