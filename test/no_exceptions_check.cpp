// Builds with -fno-exceptions and shows that the verifier still decides:
// one accepted request and one refused. Run by scripts/test.sh with
// clang++ (see docs' Limitations for g++).
#include <sigreq/sigreq.hpp>

#include <chrono>
#include <cstdio>

int main() {
  using namespace std::chrono;
  sigreq::in_memory_token_store<sigreq::hash::sha512> tokens;
  tokens.insert("tok", "a secret of some length", "alice");
  sigreq::settable_clock clock(sys_seconds{seconds{1'800'000'000}});
  sigreq::verifier<sigreq::profiles::cubicweb, decltype(tokens),
                   sigreq::settable_clock>
      v(tokens, {.base_url = "https://api.example.org"}, clock);
  sigreq::signer<sigreq::profiles::cubicweb> s("tok",
                                               "a secret of some length");

  sigreq::plain_request r("POST", "/items?x=1");
  r.add("Content-Type", "application/json");
  s.sign(r, "https://api.example.org/items?x=1", "{}", clock.now());

  auto good = v.verify(r, "{}");
  auto bad = v.verify(r, "{!");
  std::printf("accepted: %s; tampered: %s\n", good ? "yes" : "no",
              sigreq::message(bad.error()).data());
  return good && bad.error() == sigreq::refusal::body_digest_mismatch ? 0 : 1;
}
