// What verification is measured against: the keyed HMAC alone (the
// limit), the verifier a C++ developer would write first with Crypto++'s
// stock classes (the naive baseline), and the raw SHA-512 of a body.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <cryptopp/filters.h>
#include <cryptopp/hex.h>
#include <cryptopp/hmac.h>
#include <cryptopp/sha.h>

#include "batches.hpp"
#include "counters.hpp"
#include "fixture.hpp"
#include "heap_count.hpp"
#include "registry.hpp"

namespace sigreq_bench {
namespace {

using cubicweb = sigreq::profiles::cubicweb;
using md5_legacy = sigreq::profiles::cubicweb_md5_legacy;

// The keyed HMAC over the very string the GET benchmark verifies, with the
// token's precomputed key state and no parsing at all.
template <class P>
void BM_hmac_limit(benchmark::State& state) {
  const auto& w = world<P>::get();
  const auto& r = w.get_request(0);
  const std::string bytes = string_to_sign_of<P>(r);
  const auto* tok = w.store().find(token_id_of(0));
  const sigreq::hmac_key<typename P::hash>& key = tok->key();

  // The MAC must be the one the Authorization header carries.
  auto check = key.start();
  check.update(bytes);
  auto auth =
      sigreq::parse_authorization(header(r, "Authorization"), P::scheme);
  if (sigreq::to_hex(check.finish()) != auth->signature) {
    state.SkipWithError("the limit computes another MAC");
    return;
  }

  for (auto _ : state)
    mac_batch(key, bytes, 1);
  set_rate(state, "macs");
  state.counters["string_to_sign_bytes"] = static_cast<double>(bytes.size());
}

// The GET and its limit timed in alternation, 64 of each a turn: the two
// sides of every pair of batches run within microseconds of each other,
// so that a slowdown of the machine (a VM's neighbours) falls on both.
// Counters: the median over pairs of limit time / verification time, and
// the ratio of the two fastest batches. The separate benchmarks above
// give the same ratio on a quiet machine and a noisy one on a busy one.
void BM_get_paired_with_limit(benchmark::State& state) {
  using P = cubicweb;
  const auto& w = world<P>::get();
  const auto& r = w.get_request(0);
  const std::string bytes = string_to_sign_of<P>(r);
  const auto& key = w.store().find(token_id_of(0))->key();
  if (!w.verifier().verify(r)) {
    state.SkipWithError("the GET was refused");
    return;
  }

  constexpr int batch = 64;
  pair_log log;
  for (auto _ : state) {
    auto t0 = pair_log::clock::now();
    verify_batch<P>(w.verifier(), r, batch);
    auto t1 = pair_log::clock::now();
    mac_batch(key, bytes, batch);
    log.add(t0, t1, pair_log::clock::now());
  }
  log.report(state);
  set_rate(state, "batch_pairs");
}

// The control of the thread benchmarks: the bare MAC, which shares
// nothing at all, on one thread and on two. What it gains from a second
// thread is what the machine gives to any CPU-bound work.
template <class P>
void BM_hmac_limit_threads(benchmark::State& state) {
  const auto& w = world<P>::get();
  const std::string bytes = string_to_sign_of<P>(
      w.get_request(static_cast<std::size_t>(state.thread_index())));
  const auto* tok = w.store().find(
      token_id_of(static_cast<std::size_t>(state.thread_index())));
  const sigreq::hmac_key<typename P::hash>& key = tok->key();
  for (auto _ : state)
    mac_batch(key, bytes, 1);
  set_rate(state, "macs");
}

// The first verifier one writes with Crypto++'s documented classes: copy
// the headers out, split with find/substr, look the secret up, build the
// string to sign by concatenation, key a stock HMAC<SHA512> per request,
// hex-encode through a filter and compare. It checks neither the date nor
// the body digest nor any syntax, so it does less than the library.
class naive_verifier {
 public:
  // pipeline: hex-encode through Crypto++'s filters (the documented way),
  // or call CalculateDigest and encode in a loop (the plainer first try).
  explicit naive_verifier(bool pipeline) : pipeline_(pipeline) {
    for (std::size_t i = 0; i < world<cubicweb>::store_size; ++i)
      secrets_[token_id_of(i)] = secret_of(i);
  }

  bool verify(const sigreq::plain_request& r) const {
    std::string auth = std::string(header(r, "Authorization"));
    std::size_t space = auth.find(' ');
    if (space == std::string::npos) return false;
    if (auth.substr(0, space) != "Cubicweb") return false;
    std::string credentials = auth.substr(space + 1);
    std::size_t colon = credentials.find(':');
    if (colon == std::string::npos) return false;
    std::string token_id = credentials.substr(0, colon);
    std::string signature = credentials.substr(colon + 1);

    auto it = secrets_.find(token_id);
    if (it == secrets_.end()) return false;
    const std::string& secret = it->second;

    std::string to_sign =
        std::string(r.method()) + url_ + std::string(r.target()) +
        std::string(header(r, "Content-SHA512")) +
        std::string(header(r, "Content-Type")) + std::string(header(r, "Date"));

    CryptoPP::HMAC<CryptoPP::SHA512> mac(
        reinterpret_cast<const CryptoPP::byte*>(secret.data()), secret.size());
    std::string hex;
    if (pipeline_) {
      CryptoPP::StringSource source(
          to_sign, true,
          new CryptoPP::HashFilter(
              mac,
              new CryptoPP::HexEncoder(new CryptoPP::StringSink(hex), false)));
    } else {
      CryptoPP::byte d[CryptoPP::HMAC<CryptoPP::SHA512>::DIGESTSIZE];
      mac.CalculateDigest(
          d, reinterpret_cast<const CryptoPP::byte*>(to_sign.data()),
          to_sign.size());
      for (CryptoPP::byte b : d) {
        hex += "0123456789abcdef"[b >> 4];
        hex += "0123456789abcdef"[b & 15];
      }
    }
    return hex == signature;
  }

 private:
  bool pipeline_;
  std::string url_{base_url};
  std::unordered_map<std::string, std::string> secrets_;
};

// range(0): 1 with Crypto++'s filter pipeline, 0 without.
void BM_naive_baseline(benchmark::State& state) {
  static const naive_verifier with_pipeline(true), plain(false);
  const naive_verifier& naive = state.range(0) ? with_pipeline : plain;
  const auto& r = world<cubicweb>::get().get_request(0);
  if (!naive.verify(r)) {
    state.SkipWithError("the naive verifier refused the GET");
    return;
  }

  std::uint64_t before = heap_allocations();
  for (auto _ : state) {
    bool ok = naive.verify(r);
    benchmark::DoNotOptimize(ok);
  }
  set_allocations(state, "verification", heap_allocations() - before);
  set_rate(state, "verifications");
}

// SHA-512 of range(0) bytes, the body hash's own limit.
void BM_sha512_raw(benchmark::State& state) {
  std::string data(static_cast<std::size_t>(state.range(0)), 'x');
  CryptoPP::SHA512 h;
  CryptoPP::byte d[CryptoPP::SHA512::DIGESTSIZE];
  for (auto _ : state) {
    h.CalculateDigest(d, reinterpret_cast<const CryptoPP::byte*>(data.data()),
                      data.size());
    benchmark::DoNotOptimize(d);
  }
  set_rate(state, "hashes");
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          state.range(0));
}

}  // namespace

void register_baselines() {
  benchmark::RegisterBenchmark("BM_hmac_limit<cubicweb>",
                               BM_hmac_limit<cubicweb>);
  benchmark::RegisterBenchmark("BM_hmac_limit<md5_legacy>",
                               BM_hmac_limit<md5_legacy>);
  benchmark::RegisterBenchmark("BM_hmac_limit<sha256_request_id>",
                               BM_hmac_limit<sha256_with_request_id>);
  benchmark::RegisterBenchmark("BM_get_paired_with_limit",
                               BM_get_paired_with_limit);
  benchmark::RegisterBenchmark("BM_hmac_limit_threads<cubicweb>",
                               BM_hmac_limit_threads<cubicweb>)
      ->UseRealTime()
      ->Threads(1)
      ->Threads(2);
  benchmark::RegisterBenchmark("BM_naive_baseline", BM_naive_baseline)
      ->ArgName("filters")
      ->Arg(1)
      ->Arg(0);
  benchmark::RegisterBenchmark("BM_sha512_raw", BM_sha512_raw)
      ->Arg(0)
      ->Arg(1 << 10)
      ->Arg(64 << 10)
      ->Arg(1 << 20);
}

}  // namespace sigreq_bench
