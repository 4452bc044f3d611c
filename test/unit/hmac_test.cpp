// HMAC known answers through sigreq::hmac_key and mac_state: RFC 4231 for
// SHA-256 and SHA-512, RFC 2202 for MD5 and SHA-1, keys longer than the
// hash's block size included.
#define BOOST_TEST_MODULE hmac
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <cryptopp/hmac.h>
#include <cryptopp/sha.h>

#include <sigreq/hash.hpp>
#include <sigreq/hex.hpp>

namespace {

struct known_answer {
  int rfc_case;
  std::string key;
  std::string data;
  // The expected MAC, possibly truncated (test case 5): its prefix.
  std::string_view mac;
};

std::string repeat(unsigned char byte, std::size_t n) {
  return std::string(n, static_cast<char>(byte));
}

// 0x01, 0x02, ... 0x19: the key of test case 4 of both RFCs.
std::string counting_key() {
  std::string k;
  for (int b = 1; b <= 0x19; ++b)
    k.push_back(static_cast<char>(b));
  return k;
}

template <class H>
std::string mac_hex(std::string_view key, std::string_view data) {
  sigreq::hmac_key<H> k(key);
  auto m = k.start();
  m.update(data);
  return sigreq::to_hex(m.finish());
}

template <class H>
void check_known_answers(const std::vector<known_answer>& cases) {
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT("test case " << c.rfc_case) {
      std::string mac = mac_hex<H>(c.key, c.data);
      BOOST_TEST(mac.size() == 2 * H::digest_size);
      BOOST_TEST(mac.substr(0, c.mac.size()) == c.mac);
    }
  }
}

const std::string case6_data =
    "Test Using Larger Than Block-Size Key - Hash Key First";
const std::string rfc4231_case7_data =
    "This is a test using a larger than block-size key and a larger than "
    "block-size data. The key needs to be hashed before being used by the "
    "HMAC algorithm.";
const std::string rfc2202_case7_data =
    "Test Using Larger Than Block-Size Key and Larger Than One Block-Size "
    "Data";

}  // namespace

BOOST_AUTO_TEST_SUITE(unit)
BOOST_AUTO_TEST_SUITE(hmac)

BOOST_AUTO_TEST_CASE(hmac_sha256_matches_rfc4231_cases_1_to_7) {
  check_known_answers<sigreq::hash::sha256>({
      {1, repeat(0x0b, 20), "Hi There",
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {2, "Jefe", "what do ya want for nothing?",
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {3, repeat(0xaa, 20), repeat(0xdd, 50),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {4, counting_key(), repeat(0xcd, 50),
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      {5, repeat(0x0c, 20), "Test With Truncation",
       "a3b6167473100ee06e0c796c2955552b"},
      {6, repeat(0xaa, 131), case6_data,
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {7, repeat(0xaa, 131), rfc4231_case7_data,
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  });
}

BOOST_AUTO_TEST_CASE(hmac_sha512_matches_rfc4231_cases_1_to_7) {
  check_known_answers<sigreq::hash::sha512>({
      {1, repeat(0x0b, 20), "Hi There",
       "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
       "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"},
      {2, "Jefe", "what do ya want for nothing?",
       "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
       "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
      {3, repeat(0xaa, 20), repeat(0xdd, 50),
       "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
       "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"},
      {4, counting_key(), repeat(0xcd, 50),
       "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
       "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"},
      {5, repeat(0x0c, 20), "Test With Truncation",
       "415fad6271580a531d4179bc891d87a6"},
      {6, repeat(0xaa, 131), case6_data,
       "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
       "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"},
      {7, repeat(0xaa, 131), rfc4231_case7_data,
       "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
       "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"},
  });
}

BOOST_AUTO_TEST_CASE(hmac_md5_matches_rfc2202_cases_1_to_7) {
  check_known_answers<sigreq::hash::legacy_md5>({
      {1, repeat(0x0b, 16), "Hi There", "9294727a3638bb1c13f48ef8158bfc9d"},
      {2, "Jefe", "what do ya want for nothing?",
       "750c783e6ab0b503eaa86e310a5db738"},
      {3, repeat(0xaa, 16), repeat(0xdd, 50),
       "56be34521d144c88dbb8c733f0e8b3f6"},
      {4, counting_key(), repeat(0xcd, 50), "697eaf0aca3a3aea3a75164746ffaa79"},
      {5, repeat(0x0c, 16), "Test With Truncation",
       "56461ef2342edc00f9bab995690efd4c"},
      {6, repeat(0xaa, 80), case6_data, "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd"},
      {7, repeat(0xaa, 80), rfc2202_case7_data,
       "6f630fad67cda0ee1fb1f562db3aa53e"},
  });
}

BOOST_AUTO_TEST_CASE(hmac_sha1_matches_rfc2202_cases_1_to_7) {
  check_known_answers<sigreq::hash::sha1>({
      {1, repeat(0x0b, 20), "Hi There",
       "b617318655057264e28bc0b6fb378c8ef146be00"},
      {2, "Jefe", "what do ya want for nothing?",
       "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
      {3, repeat(0xaa, 20), repeat(0xdd, 50),
       "125d7342b9ac11cd91a39af48aa17b4f63f175d3"},
      {4, counting_key(), repeat(0xcd, 50),
       "4c9007f4026250c6bc8414f9bf50c86c2d7235da"},
      {5, repeat(0x0c, 20), "Test With Truncation",
       "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"},
      {6, repeat(0xaa, 80), case6_data,
       "aa4ae5e15272d00e95705637ce8a3b55ed402112"},
      {7, repeat(0xaa, 80), rfc2202_case7_data,
       "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"},
  });
}

BOOST_AUTO_TEST_CASE(mac_fed_in_chunks_equals_mac_fed_at_once) {
  sigreq::hmac_key<sigreq::hash::sha512> key(repeat(0xaa, 131));
  for (std::size_t chunk : {1u, 3u, 64u, 127u, 128u, 129u}) {
    auto m = key.start();
    std::string_view rest = rfc4231_case7_data;
    while (!rest.empty()) {
      std::size_t n = std::min(chunk, rest.size());
      m.update(rest.substr(0, n));
      rest.remove_prefix(n);
    }
    BOOST_TEST(sigreq::to_hex(m.finish()) ==
                   mac_hex<sigreq::hash::sha512>(repeat(0xaa, 131),
                                                 rfc4231_case7_data),
               "chunk " << chunk);
  }
}

BOOST_AUTO_TEST_CASE(one_key_gives_the_same_mac_on_every_use) {
  sigreq::hmac_key<sigreq::hash::sha256> key(std::string_view("Jefe"));
  std::string first, second;
  {
    auto m = key.start();
    m.update("what do ya want for nothing?");
    first = sigreq::to_hex(m.finish());
  }
  {
    auto other = key.start();
    other.update("something else");
    (void)other.finish();
    auto m = key.start();
    m.update("what do ya want for nothing?");
    second = sigreq::to_hex(m.finish());
  }
  BOOST_TEST(
      first ==
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  BOOST_TEST(second == first);
}

BOOST_AUTO_TEST_CASE(matches_cryptopp_hmac_for_key_lengths_around_block_size) {
  // 0, 1, block - 1, block, block + 1 and two blocks: padded, hashed.
  for (std::size_t n : {0u, 1u, 127u, 128u, 129u, 256u}) {
    std::string key;
    for (std::size_t i = 0; i < n; ++i)
      key.push_back(static_cast<char>(i * 7 + 3));
    std::string data = "the string to sign";

    CryptoPP::HMAC<CryptoPP::SHA512> reference(
        reinterpret_cast<const CryptoPP::byte*>(key.data()), key.size());
    std::vector<std::uint8_t> expected(reference.DigestSize());
    reference.CalculateDigest(
        expected.data(), reinterpret_cast<const CryptoPP::byte*>(data.data()),
        data.size());

    BOOST_TEST(
        mac_hex<sigreq::hash::sha512>(key, data) == sigreq::to_hex(expected),
        "key of " << n << " bytes");
  }
}

BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()
