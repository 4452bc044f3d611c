// The timed loops that the GET/limit ratio compares, as functions that are
// never inlined, so that the separate benchmarks, the paired one and the
// Python pairs all run the same machine code. Inlined into each caller,
// the same loop measured up to 4 % apart between two callers of one
// binary (code placement), more than the target's margin.
#pragma once

#include <string>

#include "fixture.hpp"

namespace sigreq_bench {

// n verifications of r.
template <class P>
[[gnu::noinline]] void verify_batch(const verifier_of<P>& v,
                                    const sigreq::plain_request& r, long n) {
  for (long i = 0; i < n; ++i) {
    auto who = v.verify(r);
    __asm__ __volatile__("" : : "r"(&who) : "memory");
  }
}

// n bare MACs of bytes from a ready key: the limit's unit of work.
template <class H>
[[gnu::noinline]] void mac_batch(const sigreq::hmac_key<H>& key,
                                 const std::string& bytes, long n) {
  for (long i = 0; i < n; ++i) {
    auto mac = key.start();
    mac.update(bytes);
    auto d = mac.finish();
    __asm__ __volatile__("" : : "r"(&d) : "memory");
  }
}

}  // namespace sigreq_bench
