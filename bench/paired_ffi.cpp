// sigreq's side of the Python comparison, as C functions for ctypes:
// bench/reference.py --paired loads this library and times its own
// verification and sigreq's in alternation, a millisecond of each a
// turn, in one process. Separate runs a few seconds apart measured rates
// that moved by up to a third on this kind of VM; batches side by side
// share whatever the machine is doing.
//
// The GET is the one BM_verify_get<cubicweb> verifies and sigreq-bench
// --sigreq_request_out writes for reference.py: same fixture, same token,
// same frozen clock.
#include <cstddef>
#include <cstring>
#include <string>

#include "batches.hpp"
#include "fixture.hpp"

namespace {

using cubicweb = sigreq::profiles::cubicweb;

const sigreq_bench::world<cubicweb>& the_world() {
  return sigreq_bench::world<cubicweb>::get();
}

}  // namespace

extern "C" {

// The GET's Authorization value (NUL-terminated, static), so that the
// caller can check that it verifies the request it was given.
__attribute__((visibility("default"))) const char*
sigreq_bench_authorization() {
  static const std::string value = [] {
    for (const auto& f : the_world().get_request(0).fields())
      if (f.name == "Authorization") return f.value;
    return std::string();
  }();
  return value.c_str();
}

// n verifications of the GET, by the loop sigreq-bench times.
__attribute__((visibility("default"))) void sigreq_bench_verify(long n) {
  const auto& w = the_world();
  sigreq_bench::verify_batch<cubicweb>(w.verifier(), w.get_request(0), n);
}

// 1 when the GET is accepted.
__attribute__((visibility("default"))) int sigreq_bench_accepts() {
  const auto& w = the_world();
  return w.verifier().verify(w.get_request(0)) ? 1 : 0;
}

// n bare MACs of the GET's string to sign with its token's key state: the
// limit, as BM_hmac_limit<cubicweb> computes it.
__attribute__((visibility("default"))) void sigreq_bench_limit(long n) {
  const auto& w = the_world();
  static const std::string bytes =
      sigreq_bench::string_to_sign_of<cubicweb>(w.get_request(0));
  sigreq_bench::mac_batch(w.store().find(sigreq_bench::token_id_of(0))->key(),
                          bytes, n);
}

}  // extern "C"
