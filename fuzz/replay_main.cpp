// A main for the fuzz targets without libFuzzer: runs every file named on
// the command line, or found under a directory named there, through
// LLVMFuzzerTestOneInput once. A target that finds a broken invariant
// aborts, which fails the test that runs this program.
#include <algorithm>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size);

namespace {

// The input being run, named on stderr when a target aborts on it.
std::string current_input;

extern "C" void name_input(int) {
  const char prefix[] = "replay: aborted on input ";
  (void)!write(2, prefix, sizeof prefix - 1);
  (void)!write(2, current_input.data(), current_input.size());
  (void)!write(2, "\n", 1);
  std::signal(SIGABRT, SIG_DFL);
  std::raise(SIGABRT);
}

std::vector<char> read_all(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::filesystem::path> files;
  for (int i = 1; i < argc; ++i) {
    std::filesystem::path p(argv[i]);
    if (std::filesystem::is_directory(p)) {
      for (auto& e : std::filesystem::recursive_directory_iterator(p))
        if (e.is_regular_file()) files.push_back(e.path());
    } else if (std::filesystem::exists(p)) {
      files.push_back(p);
    } else {
      std::fprintf(stderr, "no such input: %s\n", argv[i]);
      return 2;
    }
  }
  // A fixed order, so that a failure names the same file every time.
  std::sort(files.begin(), files.end());

  std::signal(SIGABRT, name_input);
  for (const auto& p : files) {
    current_input = p.string();
    std::vector<char> bytes = read_all(p);
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                           bytes.size());
  }
  std::printf("replayed %zu inputs\n", files.size());
  return files.empty() ? 1 : 0;
}
