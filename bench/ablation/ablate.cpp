// How close to the HMAC limit a GET could come if steps of the verifier
// cost nothing: the verifier of patch.py, whose header walk, token
// lookup, Authorization split and date parse can each be skipped for
// what the GET's own first call found, timed in rounds beside the bare
// MAC. Each round times a batch of every variant and of the limit,
// in a shuffled order; a variant's ratio is the median over the rounds of
// limit time / variant time, as in BM_get_paired_with_limit. Built and
// run by ablate.sh.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "batches.hpp"
#include "fixture.hpp"

namespace {

using cubicweb = sigreq::profiles::cubicweb;
using clock_type = std::chrono::steady_clock;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sigreq_bench;
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 600;
  constexpr long batch = 64;

  const auto& w = world<cubicweb>::get();
  const auto& r = w.get_request(0);
  const std::string bytes = string_to_sign_of<cubicweb>(r);
  const auto& key = w.store().find(token_id_of(0))->key();

  struct variant {
    int mode;
    const char* what;
  };
  const variant variants[] = {
      {0, "the verifier, every switch off"},
      {4, "header walk free"},
      {2, "token lookup free"},
      {32, "Authorization split free"},
      {64, "date parse free"},
      {6, "header walk and token lookup free"},
      {102, "header walk, token lookup, split and date free"},
  };
  constexpr std::size_t n = std::size(variants);

  // Every variant accepts the GET and refuses it with another target;
  // those that still read the Authorization header refuse it with
  // another signature too. What the skipped steps use is recorded from
  // the GET itself before each check and before the timing.
  sigreq::plain_request forged = r;
  std::string signature(header(r, "Authorization"));
  signature.back() = signature.back() == '0' ? '1' : '0';
  forged.set("Authorization", signature);
  sigreq::plain_request changed(std::string(r.method()),
                                std::string(r.target()) + "&x=1", r.fields());
  auto record = [&] {
    sigreq::ablation::mode = 16;
    return bool(w.verifier().verify(r));
  };
  for (const variant& v : variants) {
    bool right = record();
    sigreq::ablation::mode = v.mode;
    right = right && w.verifier().verify(r);
    if (!(v.mode & (4 | 32))) right = right && !w.verifier().verify(forged);
    right = right && !w.verifier().verify(changed);
    if (!right) {
      std::fprintf(stderr, "ablate: variant %d decides wrongly\n", v.mode);
      return 1;
    }
  }
  if (!record()) return 1;

  auto timed = [](auto&& f) {
    auto t0 = clock_type::now();
    f();
    return std::chrono::duration<double, std::nano>(clock_type::now() - t0)
        .count();
  };
  std::vector<std::vector<double>> ns(n), ratio(n);
  std::vector<double> limit_ns;
  // Each round runs the limit and the variants in a shuffled order, so
  // that none always runs first or right after the limit.
  std::vector<std::size_t> order(n + 1);
  for (std::size_t i = 0; i <= n; ++i)
    order[i] = i;
  std::mt19937 shuffle_rounds(1);
  std::vector<double> round_ns(n);
  for (int round = 0; round < rounds; ++round) {
    std::shuffle(order.begin(), order.end(), shuffle_rounds);
    double limit = 0;
    for (std::size_t i : order) {
      if (i == n) {
        limit = timed([&] { mac_batch(key, bytes, batch); }) / batch;
        continue;
      }
      sigreq::ablation::mode = variants[i].mode;
      round_ns[i] =
          timed([&] { verify_batch<cubicweb>(w.verifier(), r, batch); }) /
          batch;
    }
    limit_ns.push_back(limit);
    for (std::size_t i = 0; i < n; ++i) {
      ns[i].push_back(round_ns[i]);
      ratio[i].push_back(limit / round_ns[i]);
    }
  }
  sigreq::ablation::mode = 0;

  std::printf("%d rounds of %ld calls each; the limit: %.0f ns (median)\n\n",
              rounds, batch, median(limit_ns));
  std::printf(
      "| GET verification | ns (median) | / limit (median of rounds) |\n");
  std::printf("|---|---|---|\n");
  for (std::size_t i = 0; i < n; ++i)
    std::printf("| %s | %.0f | %.3f |\n", variants[i].what, median(ns[i]),
                median(ratio[i]));
  return 0;
}
