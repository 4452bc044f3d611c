// Full verifications: GET per profile, POST per body size, a GET whose
// token lies in stores of growing size, GETs of many cold tokens, and one
// against two threads.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

template <class P>
void BM_verify_get(benchmark::State& state) {
  const auto& w = world<P>::get();
  // Each thread verifies its own token's request.
  const auto& r = w.get_request(static_cast<std::size_t>(state.thread_index()));
  if (!w.verifier().verify(r)) {
    state.SkipWithError("the GET was refused");
    return;
  }

  std::uint64_t before = heap_allocations();
  for (auto _ : state)
    verify_batch<P>(w.verifier(), r, 1);
  set_allocations(state, "verification", heap_allocations() - before);
  set_rate(state, "verifications");
}

// A POST of range(0) bytes of JSON-like text.
struct post_case {
  std::string body;
  sigreq::plain_request request;
};

const post_case& post_of(std::size_t size) {
  static std::map<std::size_t, std::unique_ptr<post_case>> cases;
  auto& c = cases[size];
  if (!c) {
    std::string body;
    body.reserve(size);
    const std::string_view filler = "{\"line\":\"0123456789abcdef\"},";
    while (body.size() < size)
      body.append(filler);
    body.resize(size);
    auto r = signed_request<cubicweb>(0, "POST", post_target, body,
                                      "application/json");
    c = std::make_unique<post_case>(post_case{std::move(body), std::move(r)});
  }
  return *c;
}

void BM_verify_post(benchmark::State& state) {
  const auto& w = world<cubicweb>::get();
  const post_case& c = post_of(static_cast<std::size_t>(state.range(0)));
  if (!w.verifier().verify(c.request, c.body)) {
    state.SkipWithError("the POST was refused");
    return;
  }

  std::uint64_t before = heap_allocations();
  for (auto _ : state) {
    auto who = w.verifier().verify(c.request, c.body);
    benchmark::DoNotOptimize(who);
  }
  set_allocations(state, "verification", heap_allocations() - before);
  set_rate(state, "verifications");
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          state.range(0));
}

// The POST of range(0) bytes and Crypto++'s SHA-512 of as many bytes,
// one of each a turn: the two sides of a pair run within a few
// milliseconds of each other, so that a slowdown of the machine falls on
// both (the separate BM_verify_post and BM_sha512_raw run at different
// moments of a run, and their ratio moved by ten points between runs).
// Counters: the median over pairs of raw time / verification time, which
// is the POST's throughput over the raw hash's, and the ratio of the
// fastest of each.
void BM_post_paired_with_sha512(benchmark::State& state) {
  const auto& w = world<cubicweb>::get();
  const post_case& c = post_of(static_cast<std::size_t>(state.range(0)));
  if (!w.verifier().verify(c.request, c.body)) {
    state.SkipWithError("the POST was refused");
    return;
  }
  // A copy of the body, so that the raw hash reads its own bytes as the
  // verification reads its own, rather than lines the other just loaded.
  const std::string raw_input = c.body;
  CryptoPP::SHA512 raw;
  CryptoPP::byte d[CryptoPP::SHA512::DIGESTSIZE];

  pair_log log;
  for (auto _ : state) {
    auto t0 = pair_log::clock::now();
    auto who = w.verifier().verify(c.request, c.body);
    benchmark::DoNotOptimize(who);
    auto t1 = pair_log::clock::now();
    raw.CalculateDigest(
        d, reinterpret_cast<const CryptoPP::byte*>(raw_input.data()),
        raw_input.size());
    benchmark::DoNotOptimize(d);
    log.add(t0, t1, pair_log::clock::now());
  }
  log.report(state);
  set_rate(state, "pairs");
}

void BM_verify_get_store(benchmark::State& state) {
  const store_case& c = store_of_size(static_cast<std::size_t>(state.range(0)));
  verifier_of<cubicweb> v(c.store, bench_options(), reading_frozen_clock{});
  for (const auto& r : c.requests) {
    if (!v.verify(r)) {
      state.SkipWithError("a GET was refused");
      return;
    }
  }

  std::size_t i = 0;
  std::uint64_t before = heap_allocations();
  for (auto _ : state) {
    auto who = v.verify(c.requests[i]);
    benchmark::DoNotOptimize(who);
    if (++i == c.requests.size()) i = 0;
  }
  set_allocations(state, "verification", heap_allocations() - before);
  set_rate(state, "verifications");
}

// The GET of one token after another among `tokens` of them, spread
// over a store of `store`, in a shuffled order: with many clients, the
// token of a request is rarely in cache. A GET differs from another only
// by its Authorization header (same URL, Date and digest), so one request
// is verified with its Authorization pointed at each token's in turn.
// That header's bytes are prefetched an iteration ahead, as a server has
// just read them from the socket; the token's index slots, entry and key
// state are not. tokens:1 is the same loop on one warm token.
class spread_request {
 public:
  explicit spread_request(const sigreq::plain_request& r)
      : method_(r.method()), target_(r.target()) {
    for (const auto& f : r.fields()) {
      if (sigreq::detail::iequals(f.name, "Authorization"))
        authorization_ = fields_.size();
      fields_.push_back({f.name, f.value});
    }
  }

  std::string_view method() const noexcept { return method_; }
  std::string_view target() const noexcept { return target_; }
  void set_authorization(std::string_view v) noexcept {
    fields_[authorization_].second = v;
  }

  template <class F>
  void for_each_header(F&& f) const {
    for (const auto& [name, value] : fields_)
      f(name, value);
  }

  // Allocates; the verifier walks for_each_header() instead (and the
  // allocation counter of the benchmark would show it otherwise).
  std::vector<std::string_view> header_values(std::string_view name) const {
    std::vector<std::string_view> out;
    for (const auto& [n, v] : fields_)
      if (sigreq::detail::iequals(n, name)) out.push_back(v);
    return out;
  }

 private:
  std::string_view method_, target_;
  std::vector<std::pair<std::string_view, std::string_view>> fields_;
  std::size_t authorization_ = 0;
};
static_assert(sigreq::scannable_request<spread_request>);

struct spread_case {
  sigreq::plain_request base;
  std::vector<std::string> authorizations;
};

const spread_case& spread_of(std::size_t store, std::size_t tokens) {
  static std::map<std::pair<std::size_t, std::size_t>,
                  std::unique_ptr<spread_case>>
      cases;
  auto& c = cases[{store, tokens}];
  if (!c) {
    c = std::make_unique<spread_case>();
    // Distinct tokens, in a random order: the first of a shuffle of
    // the whole store.
    std::vector<std::size_t> ids(store);
    for (std::size_t i = 0; i < store; ++i)
      ids[i] = i;
    std::shuffle(ids.begin(), ids.end(), std::mt19937_64(store ^ tokens));
    ids.resize(tokens);
    c->base = signed_request<cubicweb>(ids[0], "GET", get_target, {});
    c->authorizations.reserve(tokens);
    for (std::size_t id : ids)
      c->authorizations.emplace_back(
          header(signed_request<cubicweb>(id, "GET", get_target, {}),
                 "Authorization"));
  }
  return *c;
}

void BM_verify_get_spread(benchmark::State& state) {
  const auto store_size = static_cast<std::size_t>(state.range(0));
  const store_case& sc = store_of_size(store_size);
  const spread_case& c =
      spread_of(store_size, static_cast<std::size_t>(state.range(1)));
  verifier_of<cubicweb> v(sc.store, bench_options(), reading_frozen_clock{});
  spread_request r(c.base);
  // Every header verifies: the other fields are the same for all tokens.
  for (const auto& a : c.authorizations) {
    r.set_authorization(a);
    if (!v.verify(r)) {
      state.SkipWithError("a GET was refused");
      return;
    }
  }

  const std::size_t n = c.authorizations.size();
  std::size_t i = 0;
  std::uint64_t before = heap_allocations();
  for (auto _ : state) {
    std::size_t next = i + 1 == n ? 0 : i + 1;
    const std::string& ahead = c.authorizations[next];
    for (std::size_t at = 0; at < ahead.size(); at += 64)
      __builtin_prefetch(ahead.data() + at);
    r.set_authorization(c.authorizations[i]);
    auto who = v.verify(r);
    benchmark::DoNotOptimize(who);
    i = next;
  }
  set_allocations(state, "verification", heap_allocations() - before);
  set_rate(state, "verifications");
}

}  // namespace

void register_verification() {
  benchmark::RegisterBenchmark("BM_verify_get<cubicweb>",
                               BM_verify_get<cubicweb>);
  benchmark::RegisterBenchmark("BM_verify_get<md5_legacy>",
                               BM_verify_get<md5_legacy>);
  benchmark::RegisterBenchmark("BM_verify_get<sha256_request_id>",
                               BM_verify_get<sha256_with_request_id>);
  benchmark::RegisterBenchmark("BM_verify_post", BM_verify_post)
      ->Arg(0)
      ->Arg(1 << 10)
      ->Arg(64 << 10)
      ->Arg(1 << 20);
  benchmark::RegisterBenchmark("BM_post_paired_with_sha512",
                               BM_post_paired_with_sha512)
      ->Arg(1 << 20);
  benchmark::RegisterBenchmark("BM_verify_get_store", BM_verify_get_store)
      ->Arg(1)
      ->Arg(10'000)
      ->Arg(1'000'000);
  benchmark::RegisterBenchmark("BM_verify_get_spread", BM_verify_get_spread)
      ->ArgNames({"store", "tokens"})
      ->Args({1'000'000, 1})
      ->Args({1'000'000, 1 << 18});
  benchmark::RegisterBenchmark("BM_verify_get_threads<cubicweb>",
                               BM_verify_get<cubicweb>)
      ->UseRealTime()
      ->Threads(1)
      ->Threads(2);
}

void prepare_verification() {
  world<cubicweb>::get();
  world<md5_legacy>::get();
  world<sha256_with_request_id>::get();
}

}  // namespace sigreq_bench
