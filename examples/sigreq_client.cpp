// sigreq-client: signs one request with a token's secret and sends it over
// plain HTTP, or prints it as a curl command.
//
//   sigreq-client --token-id alice --secret-file alice.secret
//       http://127.0.0.1:8080/api?x=1
//
// Prints the status on the first line, then the response body. Exit code
// 0 for any HTTP response, 1 for a usage error, 2 when no response came.
// The secret file holds the secret; one trailing line break is ignored.
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <cryptopp/misc.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <sigreq/sigreq.hpp>

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using profile = sigreq::profiles::cubicweb;

enum class tamper { none, body, date, signature, url };

struct options {
  std::string method = "GET";
  std::optional<std::string> body_file;
  std::optional<std::string> content_type;
  std::vector<sigreq::header_field> headers;
  long date_offset = 0;
  tamper change = tamper::none;
  bool print_curl = false;
  std::string token_id;
  std::string secret_file;
  std::string url;
};

// http://authority/target, split; the target defaults to "/".
struct http_url {
  std::string host;  // without the brackets of an IPv6 literal
  std::string port = "80";
  std::string authority;
  std::string target;
};

[[noreturn]] void usage(const std::string& why) {
  std::fprintf(stderr,
               "sigreq-client: %s\n"
               "usage: sigreq-client [--method M] [--body-file F] "
               "[--content-type T]\n"
               "         [--header 'Name: value']... [--date-offset SECONDS]\n"
               "         [--tamper body|date|signature|url] [--print-curl]\n"
               "         --token-id ID --secret-file F URL\n",
               why.c_str());
  std::exit(1);
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string s((std::istreambuf_iterator<char>(in)),
                std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  return s;
}

std::optional<http_url> parse_url(std::string_view u) {
  constexpr std::string_view scheme = "http://";
  if (u.substr(0, scheme.size()) != scheme) return std::nullopt;
  u.remove_prefix(scheme.size());
  if (auto hash = u.find('#'); hash != std::string_view::npos)
    u = u.substr(0, hash);

  http_url out;
  std::size_t end = u.find_first_of("/?");
  std::string_view authority = u.substr(0, end);
  std::string_view rest = end == std::string_view::npos ? "" : u.substr(end);
  if (authority.empty() || authority.find('@') != std::string_view::npos)
    return std::nullopt;
  out.authority = std::string(authority);

  std::string_view host = authority;
  std::string_view port;
  if (authority.front() == '[') {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      port = after.substr(1);
    }
  } else if (auto colon = authority.rfind(':');
             colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return std::nullopt;
  out.host = std::string(host);
  if (!port.empty()) out.port = std::string(port);

  out.target = rest.empty() || rest.front() != '/' ? "/" + std::string(rest)
                                                   : std::string(rest);
  return out;
}

options parse_options(int argc, char** argv) {
  options o;
  bool have_url = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--print-curl") {
      o.print_curl = true;
      continue;
    }
    if (arg.substr(0, 2) != "--") {
      if (have_url) usage("one URL only");
      o.url = std::string(arg);
      have_url = true;
      continue;
    }
    if (i + 1 >= argc) usage(std::string(arg) + " wants a value");
    std::string value = argv[++i];
    if (arg == "--method") {
      o.method = value;
    } else if (arg == "--body-file") {
      o.body_file = value;
    } else if (arg == "--content-type") {
      o.content_type = value;
    } else if (arg == "--header") {
      std::size_t colon = value.find(':');
      if (colon == std::string::npos || colon == 0)
        usage("--header wants 'Name: value'");
      std::string_view v = std::string_view(value).substr(colon + 1);
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
        v.remove_prefix(1);
      o.headers.push_back({value.substr(0, colon), std::string(v)});
    } else if (arg == "--date-offset") {
      auto [end, ec] = std::from_chars(
          value.data(), value.data() + value.size(), o.date_offset);
      if (ec != std::errc{} || end != value.data() + value.size())
        usage("--date-offset wants a number of seconds");
    } else if (arg == "--tamper") {
      if (value == "body")
        o.change = tamper::body;
      else if (value == "date")
        o.change = tamper::date;
      else if (value == "signature")
        o.change = tamper::signature;
      else if (value == "url")
        o.change = tamper::url;
      else
        usage("--tamper wants body, date, signature or url");
    } else if (arg == "--token-id") {
      o.token_id = value;
    } else if (arg == "--secret-file") {
      o.secret_file = value;
    } else {
      usage("unknown option " + std::string(arg));
    }
  }
  if (o.token_id.empty()) usage("--token-id is required");
  if (o.secret_file.empty()) usage("--secret-file is required");
  if (!have_url) usage("a URL is required");
  return o;
}

using fields = std::vector<sigreq::header_field>;

// Header names compare without regard to ASCII case.
bool same_name(std::string_view a, std::string_view b) {
  auto lower = [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  };
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

// The value of the first field of that name, or nullptr.
std::string* find_field(fields& fs, std::string_view name) {
  for (auto& f : fs)
    if (same_name(f.name, name)) return &f.value;
  return nullptr;
}

// The date the verifier reads: X-Cubicweb-Date when present, else Date.
std::string* date_value(fields& fs) {
  for (std::string_view name : profile::date_field::names<profile::hash>())
    if (auto* v = find_field(fs, name)) return v;
  return nullptr;
}

// Changes the seconds of a date ("... 12:34:56 GMT") and nothing else.
void shift_seconds(std::string& date) {
  for (std::size_t i = date.size(); i >= 3; --i) {
    std::size_t at = i - 3;
    if (date[at] == ':' &&
        std::isdigit(static_cast<unsigned char>(date[at + 1])) &&
        std::isdigit(static_cast<unsigned char>(date[at + 2]))) {
      int s = (date[at + 1] - '0') * 10 + (date[at + 2] - '0');
      s = (s + 1) % 60;
      date[at + 1] = static_cast<char>('0' + s / 10);
      date[at + 2] = static_cast<char>('0' + s % 10);
      return;
    }
  }
  date.push_back('x');
}

std::string shell_quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out.push_back(c);
  }
  return out + "'";
}

// The request as a curl command line that sends the same bytes.
int print_curl(const options& o, const fields& fs, const http_url& url,
               const std::string& body, bool body_changed) {
  std::string cmd = "curl --globoff --path-as-is -X " + shell_quote(o.method);
  bool has_content_type = false;
  for (const auto& f : fs) {
    cmd += " -H " + shell_quote(f.name + ": " + f.value);
    if (same_name(f.name, "Content-Type")) has_content_type = true;
  }
  if (!body.empty()) {
    // curl would add a Content-Type of its own, which is signed, and wait
    // for a 100 Continue the server does not send.
    if (!has_content_type) cmd += " -H 'Content-Type:'";
    cmd += " -H 'Expect:'";
    if (!body_changed) {
      cmd += " --data-binary " + shell_quote("@" + *o.body_file);
    } else if (body.find('\0') == std::string::npos) {
      cmd += " --data-raw " + shell_quote(body);
    } else {
      usage("--print-curl cannot give a changed body holding a NUL byte");
    }
  }
  cmd += " " + shell_quote("http://" + url.authority + url.target);
  std::printf("%s\n", cmd.c_str());
  return 0;
}

int send(const options& o, const fields& fs, const http_url& url,
         const std::string& body) {
  http::request<http::string_body> req;
  if (http::string_to_verb(o.method) != http::verb::unknown)
    req.method(http::string_to_verb(o.method));
  else
    req.method_string(o.method);
  req.target(url.target);
  req.version(11);
  bool has_host = false;
  for (const auto& f : fs)
    has_host = has_host || same_name(f.name, "Host");
  if (!has_host) req.set(http::field::host, url.authority);
  req.set(http::field::user_agent, "sigreq-client");
  req.set(http::field::connection, "close");
  for (const auto& f : fs)
    req.insert(f.name, f.value);
  req.body() = body;
  req.prepare_payload();

  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  beast::error_code ec;
  tcp::resolver resolver(ioc);
  auto found =
      resolver.resolve(url.host, url.port, tcp::resolver::numeric_service, ec);
  if (!ec) {
    stream.expires_after(std::chrono::seconds(30));
    stream.connect(found, ec);
  }
  if (!ec) http::write(stream, req, ec);

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  // The answer to HEAD has a length but no body.
  parser.skip(req.method() == http::verb::head);
  if (!ec) http::read(stream, buffer, parser, ec);
  if (ec) {
    std::fprintf(stderr, "sigreq-client: %s: %s\n", url.authority.c_str(),
                 ec.message().c_str());
    return 2;
  }

  const auto& res = parser.get();
  std::cout << res.result_int() << "\n" << res.body();
  std::cout.flush();
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  return 0;
}

int run(const options& o) {
  auto url = parse_url(o.url);
  if (!url) usage("the URL must be http://HOST[:PORT][/PATH][?QUERY]");

  std::string body;
  if (o.body_file) {
    auto b = read_file(*o.body_file);
    if (!b) usage("cannot read " + *o.body_file + ": " + std::strerror(errno));
    body = std::move(*b);
  }
  auto secret = read_file(o.secret_file);
  if (!secret)
    usage("cannot read " + o.secret_file + ": " + std::strerror(errno));
  std::string_view key = *secret;
  if (key.ends_with("\r\n"))
    key.remove_suffix(2);
  else if (key.ends_with("\n"))
    key.remove_suffix(1);
  sigreq::signer<profile> signer(o.token_id, key);
  CryptoPP::SecureWipeBuffer(reinterpret_cast<CryptoPP::byte*>(secret->data()),
                             secret->size());

  sigreq::plain_request r(o.method, url->target, o.headers);
  if (o.content_type) r.set("Content-Type", *o.content_type);
  auto now = sigreq::system_clock{}.now() + std::chrono::seconds(o.date_offset);
  std::string signed_url = "http://" + url->authority + url->target;
  if (auto why = signer.sign(r, signed_url, body, now);
      why != sigreq::refusal{})
    usage("cannot sign: " + std::string(sigreq::message(why)));

  fields sent = r.fields();
  switch (o.change) {
    case tamper::none:
      break;
    case tamper::body:
      if (body.empty())
        body = "x";
      else
        body[0] = static_cast<char>(body[0] ^ 1);
      break;
    case tamper::date:
      shift_seconds(*date_value(sent));
      break;
    case tamper::signature: {
      std::string& auth = *find_field(sent, "Authorization");
      auth.back() = auth.back() == '0' ? '1' : '0';
      break;
    }
    case tamper::url:
      url->target.push_back(url->target.find('?') == std::string::npos ? '?'
                                                                       : 'x');
      break;
  }

  if (o.print_curl)
    return print_curl(o, sent, *url, body, o.change == tamper::body);
  return send(o, sent, *url, body);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse_options(argc, argv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sigreq-client: %s\n", e.what());
    return 2;
  }
}
