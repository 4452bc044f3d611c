// sigreq's side of the Python comparison, as C functions for ctypes:
// bench/reference.py --paired loads this library and times its own
// verification and sigreq's in alternation, a millisecond of each a
// turn, in one process. Separate runs a few seconds apart measured rates
// that moved by a third on this kind of VM; batches side by side share
// whatever the machine is doing.
//
// The GET is the one BM_verify_get<cubicweb> verifies and sigreq-bench
// --sigreq_request_out writes for reference.py: same fixture, same token,
// same frozen clock.
#include <cstddef>
#include <cstring>
#include <string>

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

// n verifications of the GET; returns how many were accepted.
__attribute__((visibility("default"))) long sigreq_bench_verify(long n) {
  const auto& w = the_world();
  const auto& r = w.get_request(0);
  long accepted = 0;
  for (long i = 0; i < n; ++i)
    accepted += w.verifier().verify(r) ? 1 : 0;
  return accepted;
}

// n bare MACs of the GET's string to sign with its token's key state: the
// limit, as BM_hmac_limit<cubicweb> computes it. Returns the first byte
// of the last MAC, so that no call can be dropped.
__attribute__((visibility("default"))) int sigreq_bench_limit(long n) {
  const auto& w = the_world();
  const auto& r = w.get_request(0);
  static const std::string bytes = sigreq_bench::string_to_sign_of<cubicweb>(r);
  const auto& key = w.store().find(sigreq_bench::token_id_of(0))->key();
  int last = 0;
  for (long i = 0; i < n; ++i) {
    auto mac = key.start();
    mac.update(bytes);
    last = mac.finish()[0];
  }
  return last;
}

}  // extern "C"
