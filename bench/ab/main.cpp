// bench/ab/ab.sh's driver: rounds of 64 bare MACs (side a), 64 GETs of
// side a and 64 GETs of side b, in turn; prints each side's median over
// the rounds of (MAC time / GET time) and their difference. Both sides
// share the machine's state of each round, which two separate runs do
// not; code placement still differs between the two builds.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

bool accepts_rev_a();
void verify_rev_a(long n);
void mac_rev_a(long n);
bool accepts_rev_b();
void verify_rev_b(long n);

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

template <class F>
double ns_each(F f, long n) {
  auto start = std::chrono::steady_clock::now();
  f(n);
  std::chrono::duration<double, std::nano> t =
      std::chrono::steady_clock::now() - start;
  return t.count() / static_cast<double>(n);
}

}  // namespace

int main(int argc, char** argv) {
  if (!accepts_rev_a() || !accepts_rev_b()) {
    std::fputs("ab: a side refuses its GET\n", stderr);
    return 2;
  }
  int rounds = argc > 1 ? std::atoi(argv[1]) : 5000;
  if (rounds < 1) rounds = 1;
  constexpr long batch = 64;
  std::vector<double> a, b;
  for (int i = 0; i < rounds; ++i) {
    double mac = ns_each(mac_rev_a, batch);
    a.push_back(mac / ns_each(verify_rev_a, batch));
    b.push_back(mac / ns_each(verify_rev_b, batch));
  }
  double ma = median(a), mb = median(b);
  std::printf("GET/limit  a %.4f  b %.4f  b-a %+.4f  (%d rounds)\n", ma, mb,
              mb - ma, rounds);
}
