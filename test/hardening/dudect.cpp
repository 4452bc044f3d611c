// Leakage detection by timing, in the manner of dudect (Reparaz, Balasch
// and Verbauwhede, "Dude, is my code constant time?", 2017).
//
// Each test has two classes of inputs. Samples are taken in random class
// order, one call timed at a time; Welch's t statistic compares the two
// timing distributions, over all samples and over samples cropped below a
// set of percentiles (cropping removes the long tail that interrupts and
// migrations add). |t| above 4.5 means the classes are told apart: the code
// leaks which class its input was in.
//
//   dudect [--samples N] [--only NAME,PREFIX...] [--seed S] [--attempts N]
//          [--threshold T] [--list]
//
// --only runs the tests whose name starts with one of the comma-separated
// words.
// Exit status 0 when every test stays below 4.5 and the control (an
// early-exit comparison, which must leak) goes above it; 1 otherwise.
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <sigreq/sigreq.hpp>

namespace {

double threshold = 4.5;  // --threshold changes it

// Reads the time stamp counter, fenced so that the timed code can neither
// start before nor finish after the reading.
inline std::uint64_t read_timer() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  std::uint32_t lo, hi;
  __asm__ __volatile__("lfence\n\trdtsc\n\tlfence"
                       : "=a"(lo), "=d"(hi)
                       :
                       : "memory");
  return (std::uint64_t(hi) << 32) | lo;
#else
  __asm__ __volatile__("" ::: "memory");
  auto t = std::chrono::steady_clock::now().time_since_epoch();
  __asm__ __volatile__("" ::: "memory");
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(t).count());
#endif
}

// Forces v to be computed before the next timer reading.
template <class T>
inline void keep(T& v) noexcept {
  __asm__ __volatile__("" : "+r"(v) : : "memory");
}

// Welch's t-test, fed one sample at a time (Welford's running moments).
class welch_test {
 public:
  void push(int cls, double x) noexcept {
    n_[cls] += 1;
    double d = x - mean_[cls];
    mean_[cls] += d / n_[cls];
    m2_[cls] += d * (x - mean_[cls]);
  }

  double samples() const noexcept { return n_[0] + n_[1]; }
  double mean(int cls) const noexcept { return mean_[cls]; }

  double t() const noexcept {
    if (n_[0] < 2 || n_[1] < 2) return 0;
    double v0 = m2_[0] / (n_[0] - 1);
    double v1 = m2_[1] / (n_[1] - 1);
    double se = std::sqrt(v0 / n_[0] + v1 / n_[1]);
    return se == 0 ? 0 : (mean_[0] - mean_[1]) / se;
  }

 private:
  std::array<double, 2> n_{};
  std::array<double, 2> mean_{};
  std::array<double, 2> m2_{};
};

// A test: prepare(cls, i) writes input i of class cls (0 or 1) into the
// one place op() reads it from, untimed, so that both classes run on the
// same addresses; op() runs the code under test on it and returns
// something that depends on the result.
struct leak_test {
  std::string name;
  std::string what;
  std::function<void(int, std::size_t)> prepare;
  std::function<std::uint32_t()> op;
  bool must_leak = false;
};

struct outcome {
  double max_abs_t = 0;
  std::string where;
  double mean0 = 0, mean1 = 0;
  double counted = 0;
};

// Cropping levels: keep samples below the q-quantile of the warm-up run,
// q = 1 - 0.5^(k/4) for k = 1..crops, from the median to the far tail.
constexpr int crops = 40;

outcome run(const leak_test& test, std::size_t samples, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  constexpr std::size_t batch = 50000;
  std::vector<std::uint8_t> cls(batch);
  std::vector<std::uint64_t> t(batch);
  volatile std::uint32_t sink = 0;

  auto measure = [&](std::size_t n, std::size_t first) {
    for (std::size_t i = 0; i < n; ++i)
      cls[i] = rng() & 1;
    for (std::size_t i = 0; i < n; ++i) {
      test.prepare(cls[i], first + i);
      std::uint64_t t0 = read_timer();
      std::uint32_t r = test.op();
      keep(r);
      std::uint64_t t1 = read_timer();
      t[i] = t1 - t0;
      sink = sink + r;
    }
  };

  // Warm-up: caches, branch predictors, frequency; sets the crop levels.
  std::size_t warmup = std::min<std::size_t>(batch, 20000);
  measure(warmup, 0);
  std::vector<std::uint64_t> sorted(t.begin(), t.begin() + warmup);
  std::sort(sorted.begin(), sorted.end());
  std::array<double, crops> level{};
  for (int k = 0; k < crops; ++k) {
    double q = 1 - std::pow(0.5, (k + 1) / 4.0);
    level[k] =
        static_cast<double>(sorted[static_cast<std::size_t>(q * (warmup - 1))]);
  }

  welch_test all;
  std::array<welch_test, crops> cropped;
  std::size_t done = 0;
  while (done < samples) {
    std::size_t n = std::min(batch, samples - done);
    measure(n, warmup + done);
    for (std::size_t i = 0; i < n; ++i) {
      double x = static_cast<double>(t[i]);
      all.push(cls[i], x);
      for (int k = 0; k < crops; ++k)
        if (x < level[k]) cropped[k].push(cls[i], x);
    }
    done += n;
  }

  outcome o;
  o.max_abs_t = std::fabs(all.t());
  o.where = "uncropped";
  o.mean0 = all.mean(0);
  o.mean1 = all.mean(1);
  o.counted = all.samples();
  // A crop with too few samples says nothing; dudect skips those too.
  double enough = std::max(10000.0, 0.01 * static_cast<double>(samples));
  for (int k = 0; k < crops; ++k) {
    if (cropped[k].samples() < enough) continue;
    double a = std::fabs(cropped[k].t());
    if (a > o.max_abs_t) {
      o.max_abs_t = a;
      char buf[64];
      std::snprintf(buf, sizeof buf, "below p%.1f",
                    100 * (1 - std::pow(0.5, (k + 1) / 4.0)));
      o.where = buf;
    }
  }
  return o;
}

// Input pools: sample i of class cls takes input i % pool_size of its
// class, copied by prepare() into the fixed place the timed call reads.
constexpr std::size_t pool_size = 1024;

std::string random_hex(std::mt19937_64& rng, std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s(n, '0');
  for (auto& c : s)
    c = digits[rng() & 15];
  return s;
}

char other_hex_digit(char c) {
  return c == '0' ? '1' : '0';
}

// A comparison that stops at the first difference: the control that must
// leak, to show the harness can see a leak of this size.
__attribute__((noinline)) bool early_exit_equal(const char* a, const char* b,
                                                std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

// 128 bytes on their own cache lines: what the timed call reads.
struct alignas(64) slot {
  char bytes[128];
  std::string_view view() const noexcept { return {bytes, sizeof bytes}; }
  void fill(const std::string& s) noexcept {
    std::memcpy(bytes, s.data(), sizeof bytes);
  }
};

struct comparison_inputs {
  std::string expected;
  // pool[cls][i]: an attacker signature of class cls.
  std::array<std::vector<std::string>, 2> pool;
  slot attacker;
};

// Class 0 differs from expected in its first byte; class 1 only in its
// last byte, or not at all when second_equal.
std::unique_ptr<comparison_inputs> make_comparison(std::mt19937_64& rng,
                                                   bool second_equal) {
  auto in = std::make_unique<comparison_inputs>();
  sigreq::hmac_key<sigreq::hash::sha512> key(random_hex(rng, 64));
  auto mac = key.start();
  mac.update("GET/api/items");
  in->expected = sigreq::to_hex(mac.finish());
  for (std::size_t i = 0; i < pool_size; ++i) {
    std::string first = random_hex(rng, in->expected.size());
    first[0] = other_hex_digit(in->expected[0]);
    in->pool[0].push_back(first);
    std::string second = in->expected;
    if (!second_equal) second.back() = other_hex_digit(second.back());
    in->pool[1].push_back(second);
  }
  return in;
}

using profile = sigreq::profiles::cubicweb;
using H = profile::hash;
using store_type = sigreq::in_memory_token_store<H>;
using verifier_type =
    sigreq::verifier<profile, store_type, sigreq::settable_clock>;

// A GET of fixed shape whose Authorization value is rewritten in place, so
// that every sample reads the same addresses.
class fixed_request {
 public:
  static constexpr std::size_t auth_size = 9 + 8 + 1 + 128;

  fixed_request(std::string date, std::string digest)
      : date_(std::move(date)), digest_(std::move(digest)) {
    values_ = {date_, digest_, std::string_view(auth_, auth_size)};
  }
  fixed_request(const fixed_request&) = delete;

  std::string_view method() const noexcept { return "GET"; }
  std::string_view target() const noexcept { return "/api/items?limit=10"; }
  std::span<const std::string_view> header_values(
      std::string_view name) const noexcept {
    for (std::size_t k = 0; k < names_.size(); ++k)
      if (sigreq::detail::iequals(names_[k], name)) return {&values_[k], 1};
    return {};
  }

  std::string_view token_id() const noexcept {
    return std::string_view(auth_ + 9, 8);
  }

  void set_authorization(const std::string& value) noexcept {
    std::memcpy(auth_, value.data(), auth_size);
  }

 private:
  std::array<std::string_view, 3> names_{"Date", "Content-SHA512",
                                         "Authorization"};
  std::array<std::string_view, 3> values_;
  std::string date_;
  std::string digest_;
  alignas(64) char auth_[auth_size];
};
static_assert(sigreq::request<fixed_request>);

// A store of n tokens "tok-0000"...; Authorization values whose token id
// is unknown with the same length (class 0) or known (class 1), all with a
// wrong signature of the right length.
struct verifier_inputs {
  store_type store;
  std::unique_ptr<verifier_type> verifier;
  std::unique_ptr<fixed_request> request;
  std::array<std::vector<std::string>, 2> pool;
};

std::unique_ptr<verifier_inputs> make_verifier_inputs(std::mt19937_64& rng,
                                                      int tokens) {
  auto in = std::make_unique<verifier_inputs>();
  auto now = std::chrono::sys_seconds{std::chrono::seconds{1709208000}};
  for (int i = 0; i < tokens; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "tok-%04d", i);
    in->store.insert(id, random_hex(rng, 64), "alice");
  }
  in->verifier = std::make_unique<verifier_type>(
      in->store,
      sigreq::verifier_options{.base_url = "https://api.example.org"},
      sigreq::settable_clock(now));
  const auto& empty = sigreq::empty_body_digest<H>();
  in->request = std::make_unique<fixed_request>(
      sigreq::format_imf_fixdate(now), std::string(empty.begin(), empty.end()));

  for (int cls = 0; cls < 2; ++cls) {
    for (std::size_t i = 0; i < pool_size; ++i) {
      char id[16];
      if (cls == 1)
        std::snprintf(id, sizeof id, "tok-%04d",
                      static_cast<int>(rng() % tokens));
      else
        // Unknown ids of the same length, drawn from a wider space so
        // that, like the known ones, they spread over the store's tokens
        // (an unknown id reads a stand-in token picked by its hash).
        std::snprintf(id, sizeof id, "tox-%04d",
                      static_cast<int>(rng() % 10000));
      in->pool[cls].push_back(std::string("Cubicweb ") + id + ":" +
                              random_hex(rng, 128));
    }
  }
  return in;
}

struct hex_inputs {
  std::array<std::vector<std::string>, 2> pool;
  slot text;
  std::array<std::uint8_t, 64> out{};
};

std::unique_ptr<hex_inputs> make_hex_inputs(std::mt19937_64& rng,
                                            bool second_invalid) {
  auto in = std::make_unique<hex_inputs>();
  for (std::size_t i = 0; i < pool_size; ++i) {
    if (second_invalid) {
      std::string bad = random_hex(rng, 128);
      bad[rng() % 128] = "G:\0 /"[rng() % 5];
      in->pool[0].push_back(random_hex(rng, 128));
      in->pool[1].push_back(bad);
    } else {
      in->pool[0].push_back(std::string(128, '0'));
      in->pool[1].push_back(random_hex(rng, 128));
    }
  }
  return in;
}

// True when only is empty or one of its comma-separated words starts name.
bool selected(std::string_view name, std::string_view only) {
  if (only.empty()) return true;
  while (true) {
    auto comma = only.find(',');
    std::string_view word = only.substr(0, comma);
    if (!word.empty() && name.substr(0, word.size()) == word) return true;
    if (comma == std::string_view::npos) return false;
    only.remove_prefix(comma + 1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t samples = 1000000;
  std::uint64_t seed = std::random_device{}();
  std::string only;
  bool list = false;
  int attempts = 1;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--samples" && i + 1 < argc)
      samples = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--seed" && i + 1 < argc)
      seed = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--only" && i + 1 < argc)
      only = argv[++i];
    else if (a == "--threshold" && i + 1 < argc)
      threshold = std::atof(argv[++i]);
    else if (a == "--attempts" && i + 1 < argc)
      attempts = std::atoi(argv[++i]);
    else if (a == "--list")
      list = true;
    else {
      std::fprintf(stderr,
                   "usage: dudect [--samples N] [--only NAME,...] [--seed S] "
                   "[--attempts N] [--threshold T] [--list]\n");
      return 2;
    }
  }
  if (samples < 20000) {
    std::fprintf(stderr, "dudect: at least 20000 samples a test\n");
    return 2;
  }

  std::mt19937_64 rng(seed);
  auto ne = make_comparison(rng, false);
  auto eq = make_comparison(rng, true);
  auto v1 = make_verifier_inputs(rng, 1);
  auto v1000 = make_verifier_inputs(rng, 1000);
  auto hex_values = make_hex_inputs(rng, false);
  auto hex_validity = make_hex_inputs(rng, true);

  auto fill = [](comparison_inputs& in) {
    return [&in](int cls, std::size_t i) {
      in.attacker.fill(in.pool[cls][i % pool_size]);
    };
  };
  auto compare = [](const comparison_inputs& in) {
    return [&in]() -> std::uint32_t {
      return sigreq::constant_time_equal(in.expected, in.attacker.view());
    };
  };
  auto set_auth = [](verifier_inputs& in) {
    return [&in](int cls, std::size_t i) {
      in.request->set_authorization(in.pool[cls][i % pool_size]);
    };
  };
  auto verify = [](const verifier_inputs& in) {
    return [&in]() -> std::uint32_t {
      auto r = in.verifier->verify(*in.request);
      return static_cast<std::uint32_t>(r.error());
    };
  };
  auto find = [](const verifier_inputs& in) {
    return [&in]() -> std::uint32_t {
      std::string_view id = in.request->token_id();
      return in.store.find(id) != nullptr;
    };
  };
  auto set_text = [](hex_inputs& in) {
    return [&in](int cls, std::size_t i) {
      in.text.fill(in.pool[cls][i % pool_size]);
    };
  };
  auto decode = [](hex_inputs& in) {
    return [&in]() -> std::uint32_t {
      return sigreq::decode_hex(in.text.view(), in.out);
    };
  };

  std::vector<leak_test> tests = {
      {"constant_time_equal_first_vs_last_byte_differs",
       "expected MAC vs a signature differing at byte 0 / only at byte 127",
       fill(*ne), compare(*ne)},
      {"constant_time_equal_first_byte_differs_vs_equal",
       "expected MAC vs a signature differing at byte 0 / fully equal",
       fill(*eq), compare(*eq)},
      {"verify_unknown_vs_known_token_1_token",
       "full verifier, store of 1 token: unknown id / known id, bad "
       "signature",
       set_auth(*v1), verify(*v1)},
      {"verify_unknown_vs_known_token_1000_tokens",
       "full verifier, store of 1000 tokens: unknown id / known id, bad "
       "signature",
       set_auth(*v1000), verify(*v1000)},
      {"store_find_unknown_vs_known_1_token",
       "in_memory_token_store::find alone, 1 token: unknown / known id",
       set_auth(*v1), find(*v1)},
      {"store_find_unknown_vs_known_1000_tokens",
       "in_memory_token_store::find alone, 1000 tokens: unknown / known id",
       set_auth(*v1000), find(*v1000)},
      {"decode_hex_zeros_vs_random_digits",
       "decode_hex of 128 chars: all '0' / random lowercase hex",
       set_text(*hex_values), decode(*hex_values)},
      {"decode_hex_valid_vs_one_invalid_char",
       "decode_hex of 128 chars: valid / one byte out of the alphabet",
       set_text(*hex_validity), decode(*hex_validity)},
      {"control_early_exit_compare_must_leak",
       "CONTROL, loop with break: differs at byte 0 / only at byte 127",
       fill(*ne),
       [&ne]() -> std::uint32_t {
         return early_exit_equal(ne->expected.data(), ne->attacker.bytes,
                                 sizeof ne->attacker.bytes);
       },
       true},
  };

  if (list) {
    for (auto& t : tests)
      std::printf("%s\n", t.name.c_str());
    return 0;
  }

  std::printf("dudect: %zu samples a test, seed %llu, threshold |t| < %.1f\n",
              samples, static_cast<unsigned long long>(seed), threshold);
#if defined(__x86_64__) || defined(__i386__)
  std::printf("timer: rdtsc (cycles)\n");
#else
  std::printf("timer: steady_clock (ns)\n");
#endif
  bool ok = true;
  int ran = 0;
  for (auto& test : tests) {
    if (!selected(test.name, only)) continue;
    ++ran;
    // A test that should not leak gets up to `attempts` fresh runs: noise
    // from the rest of the machine can lift one crop above the threshold
    // now and then, a real leak does so every time.
    outcome o = run(test, samples, rng());
    int tries = 1;
    while (!test.must_leak && o.max_abs_t > threshold && tries < attempts) {
      o = run(test, samples, rng());
      ++tries;
    }
    bool leaks = o.max_abs_t > threshold;
    bool pass = leaks == test.must_leak;
    if (tries > 1) o.where += ", attempt " + std::to_string(tries);
    ok = ok && pass;
    std::printf(
        "%-48s max|t| = %8.2f (%s)  mean %.1f / %.1f  %s\n  %s\n",
        test.name.c_str(), o.max_abs_t, o.where.c_str(), o.mean0, o.mean1,
        pass ? (test.must_leak ? "PASS (leak seen, as it must be)" : "PASS")
             : (test.must_leak ? "FAIL (control leak not seen)" : "FAIL"),
        test.what.c_str());
    std::fflush(stdout);
  }
  if (ran == 0) {
    std::fprintf(stderr, "dudect: no test matches %s\n", only.c_str());
    return 2;
  }
  return ok ? 0 : 1;
}
