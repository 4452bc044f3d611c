// Requests forged by an independent Python client (cwclient.py, standard
// library only, signing the way cwclientlib does) against the C++
// verifier: each is accepted with its principal, and every one-byte change
// to a part it signs is refused.
//
// Run as: interop_test -- PYTHON3 CWCLIENT_PY SECRET_FILE
#define BOOST_TEST_MODULE interop
#include <boost/test/unit_test.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>

#include <sigreq/beast.hpp>
#include <sigreq/sigreq.hpp>

namespace http = boost::beast::http;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view base_url = "http://127.0.0.1:8080/cw";
constexpr std::string_view token_id = "interop-token";
constexpr std::string_view principal = "interop-user";
constexpr long long dump_now = 1700000000;

using store_type = sigreq::in_memory_token_store<sigreq::hash::sha512>;
using verifier_type = sigreq::verifier<sigreq::profiles::cubicweb, store_type,
                                       sigreq::settable_clock>;

struct byte_range {
  std::string part;
  std::size_t offset = 0;
  std::size_t length = 0;
};

struct dumped_request {
  std::string file;
  std::string principal;
  std::string token_id;
  std::string bytes;
  std::vector<byte_range> signed_parts;
  std::vector<byte_range> credentials;
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  BOOST_TEST_REQUIRE(static_cast<bool>(in), "cannot open " << p);
  return {std::istreambuf_iterator<char>(in), {}};
}

// The secret as the Python client reads it: one trailing line break off.
std::string read_secret(const fs::path& p) {
  std::string s = read_file(p);
  if (s.ends_with("\r\n"))
    s.resize(s.size() - 2);
  else if (s.ends_with('\n'))
    s.pop_back();
  return s;
}

// Runs argv[0] with argv, no shell; true when it exits with status 0.
bool run(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return false;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::vector<byte_range> ranges_of(const boost::property_tree::ptree& list) {
  std::vector<byte_range> out;
  for (const auto& [key, r] : list)
    out.push_back({r.get<std::string>("part"), r.get<std::size_t>("offset"),
                   r.get<std::size_t>("length")});
  return out;
}

// The dump written once by cwclient.py, shared by all test cases.
struct interop_dump {
  fs::path dir;
  std::string secret;
  std::vector<dumped_request> requests;

  interop_dump() {
    auto& suite = boost::unit_test::framework::master_test_suite();
    BOOST_TEST_REQUIRE(suite.argc == 4,
                       "usage: interop_test -- PYTHON3 CWCLIENT_PY SECRET");
    std::string python = suite.argv[1];
    std::string script = suite.argv[2];
    std::string secret_file = suite.argv[3];
    secret = read_secret(secret_file);

    std::string templ =
        (fs::temp_directory_path() / "sigreq-interop-XXXXXX").string();
    BOOST_TEST_REQUIRE(mkdtemp(templ.data()) != nullptr);
    dir = templ;
    BOOST_TEST_REQUIRE(
        run({python, script, "dump", dir.string(), "--base-url",
             std::string(base_url), "--token-id", std::string(token_id),
             "--secret-file", secret_file, "--now", std::to_string(dump_now),
             "--principal", std::string(principal)}),
        "cwclient.py dump failed");

    boost::property_tree::ptree manifest;
    boost::property_tree::read_json((dir / "manifest.json").string(), manifest);
    BOOST_TEST_REQUIRE(manifest.get<std::string>("base_url") == base_url);
    for (const auto& [key, r] : manifest.get_child("requests")) {
      dumped_request d;
      d.file = r.get<std::string>("file");
      d.principal = r.get<std::string>("principal");
      d.token_id = r.get<std::string>("token_id");
      d.bytes = read_file(dir / d.file);
      d.signed_parts = ranges_of(r.get_child("signed"));
      d.credentials = ranges_of(r.get_child("authorization"));
      requests.push_back(std::move(d));
    }
  }

  ~interop_dump() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

const interop_dump& dump() {
  static const interop_dump d;
  return d;
}

struct verifier_setup {
  store_type store;
  verifier_type verifier;

  verifier_setup()
      : verifier(fill(store), {.base_url = std::string(base_url)},
                 sigreq::settable_clock(std::chrono::sys_seconds(
                     std::chrono::seconds(dump_now)))) {}

  static const store_type& fill(store_type& s) {
    s.insert(std::string(token_id), dump().secret, std::string(principal));
    return s;
  }
};

using parsed = http::request<http::string_body>;

// Parses one whole raw request; false when Beast refuses it or bytes are
// left over.
bool parse(std::string_view raw, parsed& out) {
  http::request_parser<http::string_body> p;
  p.eager(true);
  boost::beast::error_code ec;
  std::size_t used = 0;
  while (!p.is_done() && used < raw.size()) {
    std::size_t n =
        p.put(boost::asio::buffer(raw.data() + used, raw.size() - used), ec);
    if (ec) return false;
    if (n == 0) break;
    used += n;
  }
  if (!p.is_done() || used != raw.size()) return false;
  out = p.release();
  return true;
}

sigreq::result<sigreq::identity> verify(const verifier_type& v,
                                        const parsed& m) {
  return v.verify(sigreq::beast_request(m), m.body());
}

// A different byte that keeps the message parseable where it stands:
// a token character in the method, a visible one elsewhere in the head,
// any other byte in the body.
char replacement(std::string_view part, char c) {
  if (part == "method") return c == 'X' ? 'Y' : 'X';
  if (part == "body") return static_cast<char>(c ^ 0x01);
  return c == 'a' ? 'b' : 'a';
}

struct tamper_count {
  std::size_t tried = 0;
  std::size_t refused = 0;
  std::size_t unparseable = 0;
  std::map<sigreq::refusal, std::size_t> reasons;
};

void tamper_each_byte(const verifier_setup& s, const dumped_request& d,
                      const std::vector<byte_range>& parts,
                      tamper_count& count) {
  for (const byte_range& r : parts) {
    BOOST_TEST_REQUIRE(r.offset + r.length <= d.bytes.size());
    for (std::size_t i = r.offset; i < r.offset + r.length; ++i) {
      std::string changed = d.bytes;
      changed[i] = replacement(r.part, changed[i]);
      BOOST_TEST_REQUIRE(changed[i] != d.bytes[i]);
      ++count.tried;

      parsed m;
      if (!parse(changed, m)) {
        ++count.unparseable;
        BOOST_ERROR(d.file << ": byte " << i << " of " << r.part
                           << " changed makes the message unparseable");
        continue;
      }
      auto who = verify(s.verifier, m);
      BOOST_TEST(!who, d.file << ": byte " << i << " of " << r.part
                              << " changed is accepted");
      if (!who) {
        ++count.refused;
        ++count.reasons[who.error()];
      }
    }
  }
}

void print(std::string_view what, const tamper_count& c) {
  std::cout << what << ": " << c.refused << " of " << c.tried
            << " one-byte tampers refused (" << c.unparseable
            << " unparseable)\n";
  for (auto [reason, n] : c.reasons)
    std::cout << "  " << sigreq::message(reason) << ": " << n << "\n";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(interop)

BOOST_AUTO_TEST_CASE(dump_holds_every_kind_of_request) {
  std::vector<std::string> files;
  for (const auto& d : dump().requests)
    files.push_back(d.file);
  std::vector<std::string> expected = {"get.http",
                                       "get_query.http",
                                       "post_form.http",
                                       "post_multipart.http",
                                       "post_json_query.http",
                                       "put.http",
                                       "delete.http",
                                       "get_xcubicweb_date.http",
                                       "post_utf8.http"};
  BOOST_TEST(files == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(accepts_every_request_of_the_python_client) {
  verifier_setup s;
  for (const auto& d : dump().requests) {
    BOOST_TEST_CONTEXT(d.file) {
      parsed m;
      BOOST_TEST_REQUIRE(parse(d.bytes, m));
      auto who = verify(s.verifier, m);
      BOOST_TEST_REQUIRE(static_cast<bool>(who),
                         "refused: " << sigreq::message(who.error()));
      BOOST_TEST(who->principal == d.principal);
      BOOST_TEST(who->token_id == d.token_id);
    }
  }
}

BOOST_AUTO_TEST_CASE(accepts_python_requests_with_body_fed_in_chunks) {
  verifier_setup s;
  for (const auto& d : dump().requests) {
    BOOST_TEST_CONTEXT(d.file) {
      parsed m;
      BOOST_TEST_REQUIRE(parse(d.bytes, m));
      auto pending = s.verifier.begin(sigreq::beast_request(m));
      std::string_view body = m.body();
      while (!body.empty()) {
        std::size_t n = std::min<std::size_t>(7, body.size());
        pending.update(body.substr(0, n));
        body.remove_prefix(n);
      }
      auto who = pending.finish();
      BOOST_TEST(static_cast<bool>(who));
    }
  }
}

BOOST_AUTO_TEST_CASE(refuses_every_one_byte_change_to_a_signed_part) {
  verifier_setup s;
  tamper_count count;
  for (const auto& d : dump().requests)
    tamper_each_byte(s, d, d.signed_parts, count);
  print("signed parts", count);
  BOOST_TEST(count.tried > 0u);
  BOOST_TEST(count.refused == count.tried);
}

BOOST_AUTO_TEST_CASE(refuses_every_one_byte_change_to_the_credentials) {
  verifier_setup s;
  tamper_count count;
  for (const auto& d : dump().requests)
    tamper_each_byte(s, d, d.credentials, count);
  print("authorization", count);
  BOOST_TEST(count.tried > 0u);
  BOOST_TEST(count.refused == count.tried);
}

BOOST_AUTO_TEST_CASE(refuses_python_requests_outside_the_clock_window) {
  for (long long shift : {-301LL, 301LL}) {
    store_type store;
    store.insert(std::string(token_id), dump().secret, std::string(principal));
    verifier_type v(store, {.base_url = std::string(base_url)},
                    sigreq::settable_clock(std::chrono::sys_seconds(
                        std::chrono::seconds(dump_now + shift))));
    for (const auto& d : dump().requests) {
      parsed m;
      BOOST_TEST_REQUIRE(parse(d.bytes, m));
      auto who = verify(v, m);
      BOOST_TEST((who.error() == sigreq::refusal::stale_date),
                 d.file << " at now" << shift);
    }
  }
}

BOOST_AUTO_TEST_CASE(refuses_python_requests_under_another_base_url) {
  store_type store;
  store.insert(std::string(token_id), dump().secret, std::string(principal));
  verifier_type v(store, {.base_url = "http://127.0.0.1:8081/cw"},
                  sigreq::settable_clock(std::chrono::sys_seconds(
                      std::chrono::seconds(dump_now))));
  for (const auto& d : dump().requests) {
    parsed m;
    BOOST_TEST_REQUIRE(parse(d.bytes, m));
    auto who = verify(v, m);
    BOOST_TEST((who.error() == sigreq::refusal::bad_signature), d.file);
  }
}

BOOST_AUTO_TEST_SUITE_END()
