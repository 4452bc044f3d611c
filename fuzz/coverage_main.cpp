// One program that holds every fuzz target, for the coverage report: each
// target's source is compiled with its LLVMFuzzerTestOneInput renamed to
// fuzz_<target> (see coverage.sh), so that the headers are instrumented
// once and their counters add up across targets.
//
//   sigreq-fuzz-coverage TARGET=PATH...   (PATH a file or a directory)
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#define SIGREQ_FUZZ_TARGETS(X) \
  X(authorization_fuzzer)      \
  X(http_date_fuzzer)          \
  X(signed_headers_fuzzer)     \
  X(verify_fuzzer) X(roundtrip_fuzzer) X(media_type_fuzzer)

#define SIGREQ_DECLARE(t) \
  extern "C" int fuzz_##t(const std::uint8_t* data, std::size_t size);
SIGREQ_FUZZ_TARGETS(SIGREQ_DECLARE)

namespace {

using entry = int (*)(const std::uint8_t*, std::size_t);

entry find_entry(std::string_view name) {
#define SIGREQ_MATCH(t) \
  if (name == #t) return fuzz_##t;
  SIGREQ_FUZZ_TARGETS(SIGREQ_MATCH)
  return nullptr;
}

void run_file(entry f, const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::vector<char> b{std::istreambuf_iterator<char>(in),
                      std::istreambuf_iterator<char>()};
  f(reinterpret_cast<const std::uint8_t*>(b.data()), b.size());
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t runs = 0;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    std::size_t eq = arg.find('=');
    entry f = eq == arg.npos ? nullptr : find_entry(arg.substr(0, eq));
    if (!f) {
      std::fprintf(stderr, "expected TARGET=PATH, got %s\n", argv[i]);
      return 2;
    }
    std::filesystem::path p(std::string(arg.substr(eq + 1)));
    std::vector<std::filesystem::path> files;
    if (std::filesystem::is_directory(p)) {
      for (auto& e : std::filesystem::recursive_directory_iterator(p))
        if (e.is_regular_file()) files.push_back(e.path());
    } else {
      files.push_back(p);
    }
    std::sort(files.begin(), files.end());
    for (auto& file : files)
      run_file(f, file);
    runs += files.size();
  }
  std::printf("ran %zu inputs\n", runs);
  return 0;
}
