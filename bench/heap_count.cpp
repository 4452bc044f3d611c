// Counting replacements of the global allocation functions. Every
// allocation increments a thread-local count once: operator new calls the
// C library's allocator directly, so it is not counted again as a malloc.
#include "heap_count.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace {

constinit thread_local std::uint64_t allocations = 0;

}  // namespace

#if defined(__GLIBC__)
// glibc's own entry points, which the interposed functions forward to.
extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* p, std::size_t size);
void* __libc_memalign(std::size_t alignment, std::size_t size);
void __libc_free(void* p);
}

namespace {
void* raw_allocate(std::size_t n) noexcept {
  return __libc_malloc(n);
}
void* raw_allocate_aligned(std::size_t a, std::size_t n) noexcept {
  return __libc_memalign(a, n);
}
void raw_free(void* p) noexcept {
  __libc_free(p);
}
}  // namespace

extern "C" {

void* malloc(std::size_t size) noexcept {
  ++allocations;
  return __libc_malloc(size);
}

void* calloc(std::size_t count, std::size_t size) noexcept {
  ++allocations;
  return __libc_calloc(count, size);
}

void* realloc(void* p, std::size_t size) noexcept {
  ++allocations;
  return __libc_realloc(p, size);
}

void* memalign(std::size_t alignment, std::size_t size) noexcept {
  ++allocations;
  return __libc_memalign(alignment, size);
}

void* aligned_alloc(std::size_t alignment, std::size_t size) noexcept {
  ++allocations;
  return __libc_memalign(alignment, size);
}

int posix_memalign(void** out, std::size_t alignment,
                   std::size_t size) noexcept {
  if (alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0)
    return 22;  // EINVAL
  ++allocations;
  void* p = __libc_memalign(alignment, size);
  if (!p) return 12;  // ENOMEM
  *out = p;
  return 0;
}

void free(void* p) noexcept {
  __libc_free(p);
}

}  // extern "C"
#else
namespace {
void* raw_allocate(std::size_t n) noexcept {
  return std::malloc(n);
}
void* raw_allocate_aligned(std::size_t a, std::size_t n) noexcept {
  return std::aligned_alloc(a, (n + a - 1) / a * a);
}
void raw_free(void* p) noexcept {
  std::free(p);
}
}  // namespace
#endif

namespace sigreq_bench {

std::uint64_t heap_allocations() noexcept {
  return allocations;
}

}  // namespace sigreq_bench

void* operator new(std::size_t n) {
  ++allocations;
  if (void* p = raw_allocate(n ? n : 1)) return p;
  throw std::bad_alloc();
}

void* operator new[](std::size_t n) {
  ++allocations;
  if (void* p = raw_allocate(n ? n : 1)) return p;
  throw std::bad_alloc();
}

void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  ++allocations;
  return raw_allocate(n ? n : 1);
}

void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  ++allocations;
  return raw_allocate(n ? n : 1);
}

void* operator new(std::size_t n, std::align_val_t a) {
  ++allocations;
  if (void* p = raw_allocate_aligned(static_cast<std::size_t>(a), n ? n : 1))
    return p;
  throw std::bad_alloc();
}

void* operator new[](std::size_t n, std::align_val_t a) {
  return operator new(n, a);
}

void operator delete(void* p) noexcept {
  raw_free(p);
}
void operator delete[](void* p) noexcept {
  raw_free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  raw_free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  raw_free(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
  raw_free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
  raw_free(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  raw_free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  raw_free(p);
}
