// sigreq-bench: every benchmark family in one run, with the ratios between
// them as counters.
//
//   sigreq-bench --benchmark_out=results.json --benchmark_repetitions=3
//   sigreq-bench --sigreq_request_out=get.json   # the GET, for reference.py
//
// --benchmark_out writes JSON (the only format whose file carries the
// ratios). --sigreq_request_out writes the GET that BM_verify_get<cubicweb>
// verifies, with its token's secret and the frozen clock, then exits.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "fixture.hpp"
#include "ratio_reporter.hpp"
#include "registry.hpp"

namespace {

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

int write_request(const std::string& path) {
  using namespace sigreq_bench;
  const auto& w = world<sigreq::profiles::cubicweb>::get();
  const auto& r = w.get_request(0);
  std::ofstream out(path);
  out << "{\n  \"method\": " << json_string(r.method())
      << ",\n  \"target\": " << json_string(r.target())
      << ",\n  \"base_url\": " << json_string(base_url)
      << ",\n  \"body\": \"\",\n  \"token_id\": " << json_string(token_id_of(0))
      << ",\n  \"secret\": " << json_string(secret_of(0))
      << ",\n  \"store_size\": "
      << world<sigreq::profiles::cubicweb>::store_size
      << ",\n  \"now\": " << frozen_now().time_since_epoch().count()
      << ",\n  \"max_past\": " << bench_options().max_past.count()
      << ",\n  \"max_future\": " << bench_options().max_future.count()
      << ",\n  \"headers\": [";
  const char* sep = "\n";
  for (const auto& f : r.fields()) {
    out << sep << "    [" << json_string(f.name) << ", " << json_string(f.value)
        << "]";
    sep = ",\n";
  }
  out << "\n  ]\n}\n";
  return out ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> args;
  bool has_out = false;
  for (int i = 0; i < argc; ++i) {
    std::string_view a = argv[i];
    constexpr std::string_view request_flag = "--sigreq_request_out=";
    if (a.starts_with(request_flag))
      return write_request(std::string(a.substr(request_flag.size())));
    if (a.starts_with("--benchmark_out=")) has_out = true;
    args.push_back(argv[i]);
  }
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 1;

  sigreq_bench::prepare_verification();
  sigreq_bench::register_baselines();
  sigreq_bench::register_verification();
  sigreq_bench::register_parts();
  sigreq_bench::register_threads();

  sigreq_bench::ratio_book book(sigreq_bench::sigreq_ratio_rules());
  sigreq_bench::ratio_console_reporter console(
      book, true, benchmark::ConsoleReporter::OO_None);
  sigreq_bench::ratio_json_reporter json(book, false);
  benchmark::RunSpecifiedBenchmarks(&console, has_out ? &json : nullptr);
  benchmark::Shutdown();
  return 0;
}
