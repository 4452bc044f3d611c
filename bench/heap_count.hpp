// Heap allocations made by the calling thread since it started.
//
// heap_count.cpp replaces the global operator new and delete of the
// benchmark binary and, on glibc, interposes malloc and its siblings, so
// that allocations made through Crypto++'s own allocator are counted too.
// The count is per thread: the benchmark framework's other threads do not
// disturb a measurement.
#pragma once

#include <cstdint>

namespace sigreq_bench {

std::uint64_t heap_allocations() noexcept;

}  // namespace sigreq_bench
