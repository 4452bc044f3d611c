// Must not compile: a profile that is not declared legacy takes MD5.
// Built by compile_check.py twice: as is (the compile must fail with the
// profile check's message) and with -DDECLARED_LEGACY (it must compile,
// which shows the failure came from that check and nothing else).
#include <sigreq/sigreq.hpp>

struct md5_in_disguise : sigreq::profiles::cubicweb {
  using hash = sigreq::hash::legacy_md5;
#ifdef DECLARED_LEGACY
  static constexpr bool legacy = true;
#endif
};

int main() {
  sigreq::signer<md5_in_disguise> signer("tok", "secret");
  sigreq::in_memory_token_store<sigreq::hash::legacy_md5> store;
  sigreq::verifier<md5_in_disguise, decltype(store)> verifier(store, {});
  return signer.token_id().empty() ? 1 : 0;
}
