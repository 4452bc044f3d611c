// Secret-independent control flow, checked by valgrind's memcheck.
//
// Memcheck tracks which bytes are defined. Marking a secret as undefined
// (VALGRIND_MAKE_MEM_UNDEFINED) and running code on it makes memcheck
// report every conditional jump, and every memory address, computed from
// the secret. Zero reports mean no branch and no lookup depends on it; the
// one decision that must depend on it (accept or not) is made defined
// explicitly, after the code under test.
//
//   valgrind --error-exitcode=1 --track-origins=yes valgrind_ct secret
//   valgrind --error-exitcode=1 --track-origins=yes valgrind_ct control
//
// "secret" must produce no report; "control" runs early-exit comparisons
// (a loop with break, and memcmp) on the same marked bytes and must
// produce reports, which shows the method sees a branch when there is one.
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include <valgrind/memcheck.h>

#include <sigreq/sigreq.hpp>

namespace {

using H = sigreq::hash::sha512;

// Declares the bytes secret to memcheck.
void mark_secret(const void* p, std::size_t n) {
  VALGRIND_MAKE_MEM_UNDEFINED(p, n);
}

// Declares a value public again: the decision the caller is entitled to
// branch on.
template <class T>
T declassify(T v) {
  VALGRIND_MAKE_MEM_DEFINED(&v, sizeof v);
  return v;
}

int failures = 0;

void expect(bool ok, const char* what) {
  std::printf("%-60s %s\n", what, ok ? "ok" : "WRONG");
  if (!ok) ++failures;
}

std::string attacker_signature(std::string s, std::size_t flip_at) {
  s[flip_at] = s[flip_at] == '0' ? '1' : '0';
  return s;
}

int run_secret() {
  // The secret key: every MAC state absorbed from it is secret too.
  std::string secret = "0123456789abcdef0123456789abcdef-a-token-secret";
  mark_secret(secret.data(), secret.size());
  sigreq::hmac_key<H> key(secret);

  auto mac = key.start();
  mac.update("GEThttps://api.example.org/api/items?x=1");
  mac.update("Thu, 29 Feb 2024 12:00:00 GMT");
  sigreq::digest<H> expected = mac.finish();

  // encode_hex of the secret MAC, as the verifier does.
  sigreq::hex_digest<H> expected_hex;
  sigreq::encode_hex(expected, expected_hex.data());
  std::string_view e(expected_hex.data(), expected_hex.size());

  // The public copy stands for what a client sends: same bytes, defined.
  std::string sent(e);
  VALGRIND_MAKE_MEM_DEFINED(sent.data(), sent.size());

  // A second, independent check on a secret that was never computed: the
  // expected hex itself marked undefined.
  std::string marked(sent);
  mark_secret(marked.data(), marked.size());

  expect(declassify(sigreq::constant_time_equal(e, sent)),
         "constant_time_equal(secret MAC, equal signature)");
  expect(
      !declassify(sigreq::constant_time_equal(e, attacker_signature(sent, 0))),
      "constant_time_equal(secret MAC, differs at byte 0)");
  expect(!declassify(sigreq::constant_time_equal(
             e, attacker_signature(sent, sent.size() - 1))),
         "constant_time_equal(secret MAC, differs at the last byte)");
  expect(!declassify(
             sigreq::constant_time_equal(marked, attacker_signature(sent, 64))),
         "constant_time_equal(marked hex, differs in the middle)");
  expect(!declassify(sigreq::constant_time_equal(
             std::string_view(marked), std::string_view(sent).substr(1))),
         "constant_time_equal(marked hex, shorter: length is public)");

  // decode_hex of input marked secret: no branch on the characters.
  std::array<std::uint8_t, H::digest_size> decoded{};
  std::string bad = sent;
  bad[10] = 'G';
  mark_secret(bad.data(), bad.size());
  expect(declassify(sigreq::decode_hex(marked, decoded)),
         "decode_hex(marked lowercase hex)");
  expect(!declassify(sigreq::decode_hex(bad, decoded)),
         "decode_hex(marked text with one bad character)");

  // The body digest comparison: digest of a secret body vs its header.
  std::string body = "{\"secret\": \"payload\"}";
  mark_secret(body.data(), body.size());
  sigreq::digest_state<H> d;
  d.update(body);
  auto body_hex = d.finish_hex();
  std::string header(body_hex.begin(), body_hex.end());
  VALGRIND_MAKE_MEM_DEFINED(header.data(), header.size());
  expect(declassify(sigreq::constant_time_equal(
             std::string_view(body_hex.data(), body_hex.size()), header)),
         "constant_time_equal(digest of secret body, its header)");

  std::printf("secret paths: %d wrong results\n", failures);
  return failures == 0 ? 0 : 2;
}

// Early exit on the first difference: what a naive comparison does.
__attribute__((noinline)) bool early_exit_equal(std::string_view a,
                                                std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) return false;
  return true;
}

int run_control() {
  std::string expected(128, 'a');
  std::string sent = expected;
  sent[100] = 'b';
  mark_secret(expected.data(), expected.size());

  bool loop = declassify(early_exit_equal(expected, sent));
  bool cmp =
      declassify(std::memcmp(expected.data(), sent.data(), sent.size()) == 0);
  expect(!loop && !cmp, "early-exit comparisons on a marked MAC");
  return failures == 0 ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string_view mode = argc > 1 ? argv[1] : "";
  if (!RUNNING_ON_VALGRIND)
    std::printf("note: not under valgrind, the marks do nothing\n");
  if (mode == "secret") return run_secret();
  if (mode == "control") return run_control();
  std::fprintf(stderr, "usage: valgrind_ct secret|control\n");
  return 2;
}
