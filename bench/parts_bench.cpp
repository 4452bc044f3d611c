// The steps of a verification on their own: Authorization parsing, the
// walk over the header fields, date parsing (sigreq's parser beside
// date::parse), token lookup by store size, and the constant-time comparison
// beside memcmp.
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <istream>
#include <random>
#include <sstream>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

// date::from_stream trips a false -Wmaybe-uninitialized in g++ 12 once
// inlined here; the date library is a third party's and read-only to us.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <date/date.h>

#include "counters.hpp"
#include "fixture.hpp"
#include "registry.hpp"

namespace sigreq_bench {
namespace {

using cubicweb = sigreq::profiles::cubicweb;

const sigreq::plain_request& the_get() {
  return world<cubicweb>::get().get_request(0);
}

void BM_parse_authorization(benchmark::State& state) {
  std::string_view value = header(the_get(), "Authorization");
  for (auto _ : state) {
    auto a = sigreq::parse_authorization(value, "Cubicweb");
    benchmark::DoNotOptimize(a);
  }
  set_rate(state, "parses");
}

// The one walk over the fields that finds the signed headers' values.
void BM_collect_signed_headers(benchmark::State& state) {
  const auto& r = the_get();
  for (auto _ : state) {
    auto values =
        sigreq::collect_signed_headers<cubicweb::headers, cubicweb::hash>(r);
    benchmark::DoNotOptimize(values);
  }
  set_rate(state, "walks");
}

void BM_parse_http_date(benchmark::State& state) {
  std::string_view value = header(the_get(), "Date");
  auto d = sigreq::parse_http_date(value, 2026);
  if (!d || d->time != frozen_now()) {
    state.SkipWithError("sigreq read another date");
    return;
  }
  for (auto _ : state) {
    auto date = sigreq::parse_http_date(value, 2026);
    benchmark::DoNotOptimize(date);
  }
  set_rate(state, "parses");
}

// A stream buffer over bytes that exist already, so that date::parse is
// timed without copying its input into a stringbuf.
class view_buffer : public std::streambuf {
 public:
  void reset(std::string_view s) {
    char* p = const_cast<char*>(s.data());
    setg(p, p, p + s.size());
  }
};

constexpr const char* imf_fixdate_format = "%a, %d %b %Y %T GMT";

// date::parse at its best: one stream, reset per date.
void BM_date_parse(benchmark::State& state) {
  std::string_view value = header(the_get(), "Date");
  view_buffer buffer;
  std::istream in(&buffer);
  std::chrono::sys_seconds t{};
  buffer.reset(value);
  in >> date::parse(imf_fixdate_format, t);
  if (in.fail() || t != frozen_now()) {
    state.SkipWithError("date::parse read another date");
    return;
  }
  for (auto _ : state) {
    buffer.reset(value);
    in.clear();
    in >> date::parse(imf_fixdate_format, t);
    benchmark::DoNotOptimize(t);
  }
  set_rate(state, "parses");
}

// date::parse as usually written: a new istringstream per date.
void BM_date_parse_istringstream(benchmark::State& state) {
  std::string_view value = header(the_get(), "Date");
  for (auto _ : state) {
    std::istringstream in{std::string(value)};
    std::chrono::sys_seconds t{};
    in >> date::parse(imf_fixdate_format, t);
    benchmark::DoNotOptimize(t);
  }
  set_rate(state, "parses");
}

// find() over ids of the whole store in a shuffled order, as the requests
// of many clients would come.
void BM_token_lookup(benchmark::State& state) {
  const store_case& c = store_of_size(static_cast<std::size_t>(state.range(0)));
  std::vector<std::string> ids;
  std::size_t n = c.store.size();
  ids.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    ids.push_back(token_id_of(i));
  std::shuffle(ids.begin(), ids.end(), std::mt19937_64(42));

  std::size_t i = 0;
  for (auto _ : state) {
    const auto* t = c.store.find(ids[i]);
    benchmark::DoNotOptimize(t);
    if (++i == ids.size()) i = 0;
  }
  set_rate(state, "lookups");
}

// Filling a store of range(0) tokens, as a server does at start-up: the
// time, and the heap it takes a token (glibc's count of bytes in use,
// before and after, so that memory freed earlier and reused counts too).
// Run once: it builds a store of a million.
void BM_store_fill(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  double bytes = 0;
  for (auto _ : state) {
    auto before = mallinfo2();
    {
      store_of<sigreq::profiles::cubicweb> store;
      fill_store<sigreq::profiles::cubicweb>(store, n);
      auto after = mallinfo2();
      // As doubles: a count that fell must not wrap around.
      bytes = static_cast<double>(after.uordblks + after.hblkhd) -
              static_cast<double>(before.uordblks + before.hblkhd);
      state.PauseTiming();  // the store's destruction is not filling
    }
    state.ResumeTiming();
  }
  state.counters["heap_bytes_per_token"] = bytes / static_cast<double>(n);
  state.counters["tokens_per_second"] = benchmark::Counter(
      static_cast<double>(n) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

// The clock every verification reads: sigreq::system_clock (time() on
// POSIX) beside std::chrono::system_clock::now(), which it replaced.
void BM_clock_sigreq_system_clock(benchmark::State& state) {
  sigreq::system_clock c;
  for (auto _ : state) {
    auto t = c.now();
    benchmark::DoNotOptimize(t);
  }
  set_rate(state, "reads");
}

void BM_clock_chrono_system_clock(benchmark::State& state) {
  for (auto _ : state) {
    auto t = std::chrono::system_clock::now();
    benchmark::DoNotOptimize(t);
  }
  set_rate(state, "reads");
}

// Two equal 128-character hex strings: the whole length is compared.
struct hex_pair {
  std::string a = secret_of(1) + secret_of(2);
  std::string b = a;
};

void BM_constant_time_equal(benchmark::State& state) {
  hex_pair p;
  for (auto _ : state) {
    benchmark::DoNotOptimize(p.a.data());
    bool same = sigreq::constant_time_equal(p.a, p.b);
    benchmark::DoNotOptimize(same);
  }
  set_rate(state, "compares");
}

void BM_memcmp(benchmark::State& state) {
  hex_pair p;
  for (auto _ : state) {
    benchmark::DoNotOptimize(p.a.data());
    bool same = std::memcmp(p.a.data(), p.b.data(), p.a.size()) == 0;
    benchmark::DoNotOptimize(same);
  }
  set_rate(state, "compares");
}

}  // namespace

void register_parts() {
  benchmark::RegisterBenchmark("BM_parse_authorization",
                               BM_parse_authorization);
  benchmark::RegisterBenchmark("BM_collect_signed_headers",
                               BM_collect_signed_headers);
  benchmark::RegisterBenchmark("BM_date_parse", BM_date_parse);
  benchmark::RegisterBenchmark("BM_date_parse_istringstream",
                               BM_date_parse_istringstream);
  benchmark::RegisterBenchmark("BM_parse_http_date", BM_parse_http_date);
  benchmark::RegisterBenchmark("BM_token_lookup", BM_token_lookup)
      ->Arg(1)
      ->Arg(1'000)
      ->Arg(10'000)
      ->Arg(1'000'000);
  benchmark::RegisterBenchmark("BM_store_fill", BM_store_fill)
      ->Arg(1'000'000)
      ->Iterations(1)
      ->Repetitions(1)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_memcmp", BM_memcmp);
  benchmark::RegisterBenchmark("BM_clock_sigreq_system_clock",
                               BM_clock_sigreq_system_clock);
  benchmark::RegisterBenchmark("BM_clock_chrono_system_clock",
                               BM_clock_chrono_system_clock);
  benchmark::RegisterBenchmark("BM_constant_time_equal",
                               BM_constant_time_equal);
}

}  // namespace sigreq_bench
