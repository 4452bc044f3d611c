// sigreq-server: an HTTP/1.1 server that answers every request with the
// principal whose token signed it, or with 401.
//
//   sigreq-server --listen 127.0.0.1:0 --tokens tokens.tsv
//
// One io_context run by --threads threads; each connection's handlers run
// on its own strand. Clients learn nothing but "unauthorized"; the reason
// goes to the log on stderr, one line a refused request.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <sigreq/beast.hpp>
#include <sigreq/sigreq.hpp>

#include "token_file.hpp"

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using token_file::escape;

using store_type = sigreq::in_memory_token_store<sigreq::hash::sha512>;

// The replay guard picked at start-up: none, or the in-memory one.
class switchable_replay_guard {
 public:
  void enable(std::size_t max_entries) { guard_.emplace(max_entries); }

  sigreq::refusal check_and_record(std::string_view token_id,
                                   std::string_view signature,
                                   std::chrono::sys_seconds forget_after,
                                   std::chrono::sys_seconds now) noexcept {
    if (!guard_) return {};
    return guard_->check_and_record(token_id, signature, forget_after, now);
  }

 private:
  std::optional<sigreq::in_memory_replay_guard> guard_;
};

using verifier_type =
    sigreq::verifier<sigreq::profiles::cubicweb, store_type,
                     sigreq::system_clock, switchable_replay_guard>;

// Whole lines to stderr, never interleaved between threads.
void log_line(std::string line) {
  static std::mutex mutex;
  line.push_back('\n');
  std::lock_guard lock(mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

struct options {
  std::string listen_host;
  unsigned short listen_port = 0;
  std::string tokens_path;
  std::optional<std::string> base_url;
  long max_skew = 300;
  std::optional<std::size_t> replay_guard_entries;
  std::size_t min_secret_length = 16;
  int threads = 2;
  std::size_t max_body = 1 << 20;
};

constexpr std::size_t header_limit = 16 * 1024;
constexpr std::size_t logged_target_size = 200;
constexpr auto idle_timeout = std::chrono::seconds(30);

std::string_view view(beast::string_view s) {
  return {s.data(), s.size()};
}

std::string endpoint_text(const tcp::endpoint& e) {
  auto a = e.address();
  std::string host = a.is_v6() ? "[" + a.to_string() + "]" : a.to_string();
  return host + ":" + std::to_string(e.port());
}

// The parser's own errors, as opposed to those of the socket.
bool is_parse_error(const beast::error_code& ec) {
  return ec.category() ==
         http::make_error_code(http::error::bad_target).category();
}

// What every connection shares; read-only once the server runs.
struct server_state {
  const verifier_type& verifier;
  std::size_t max_body;
};

// One connection: read a request, answer it, repeat while keep-alive.
class session : public std::enable_shared_from_this<session> {
 public:
  session(tcp::socket socket, const server_state& state)
      : stream_(std::move(socket)), state_(state) {
    beast::error_code ec;
    auto peer = stream_.socket().remote_endpoint(ec);
    peer_ = ec ? "-" : endpoint_text(peer);
  }

  void start() {
    net::dispatch(
        stream_.get_executor(),
        beast::bind_front_handler(&session::read, shared_from_this()));
  }

 private:
  void read() {
    pending_.reset();  // it views the request the parser held
    parser_.emplace();
    parser_->header_limit(header_limit);
    parser_->body_limit(state_.max_body);
    stream_.expires_after(idle_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&session::on_header, shared_from_this()));
  }

  // A client that asked to be told to go on with its body is told so.
  void on_header(beast::error_code ec, std::size_t) {
    if (ec) return on_read(ec, 0);

    // Every header, the date and the MAC are checked before the body is
    // read, or a client told to send it: a refused request costs no body.
    const auto& req = parser_->get();
    pending_.emplace(state_.verifier.begin(sigreq::beast_request(req)));
    // The connection stays open only when no body is left unread.
    if (pending_->refused())
      return respond(req, pending_->finish(),
                     req.keep_alive() && parser_->is_done());

    auto expect = parser_->get()[http::field::expect];
    if (!beast::iequals(expect, "100-continue")) return read_body();

    continue_.emplace(http::status::continue_, parser_->get().version());
    http::async_write(
        stream_, *continue_,
        beast::bind_front_handler(&session::on_continue, shared_from_this()));
  }

  void on_continue(beast::error_code ec, std::size_t) {
    continue_.reset();
    if (ec) return;
    read_body();
  }

  void read_body() {
    http::async_read(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream) return close();
    if (ec == http::error::body_limit)
      return refuse_http(http::status::payload_too_large, ec);
    if (ec && is_parse_error(ec))
      return refuse_http(http::status::bad_request, ec);
    if (ec) return;  // the peer left, or the idle timeout closed it

    const auto& req = parser_->get();
    pending_->update(req.body());
    respond(req, pending_->finish(), req.keep_alive());
  }

  // The answer to a verified request; keep_alive is false when the body
  // was left unread.
  void respond(const http::request<http::string_body>& req,
               sigreq::result<sigreq::identity> who, bool keep_alive) {
    std::string request_line =
        escape(view(req.method_string())) + " " +
        escape(view(req.target()).substr(0, logged_target_size));
    auto res = std::make_unique<http::response<http::string_body>>();
    if (who) {
      log_line("accepted token=" + escape(who->token_id) +
               " principal=" + escape(who->principal) + " request=\"" +
               request_line + "\" peer=" + peer_);
      res->result(http::status::ok);
      res->body() = "authenticated as " + std::string(who->principal) + "\n";
    } else {
      log_line("refused reason=\"" + std::string(sigreq::message(who.error())) +
               "\" token=" + claimed_token(req) + " request=\"" + request_line +
               "\" peer=" + peer_);
      res->result(http::status::unauthorized);
      std::string_view scheme = sigreq::profiles::cubicweb::scheme;
      res->set(http::field::www_authenticate,
               beast::string_view(scheme.data(), scheme.size()));
      res->body() = "unauthorized\n";
    }
    res->version(req.version());
    res->keep_alive(keep_alive);
    send(std::move(res), req.method() == http::verb::head);
  }

  // The token id the request claims, for the log only.
  static std::string claimed_token(
      const http::request<http::string_body>& req) {
    auto it = req.find(http::field::authorization);
    if (it == req.end()) return "-";
    auto auth = sigreq::parse_authorization(view(it->value()),
                                            sigreq::profiles::cubicweb::scheme);
    return auth ? escape(auth->token_id) : "-";
  }

  // Unparsable HTTP: answer once and close, whatever the bytes were.
  void refuse_http(http::status status, beast::error_code why) {
    log_line("bad http error=\"" + escape(why.message()) + "\" peer=" + peer_);
    auto res = std::make_unique<http::response<http::string_body>>();
    res->result(status);
    res->version(11);
    res->keep_alive(false);
    res->body() = std::string(http::obsolete_reason(status)) + "\n";
    send(std::move(res), false);
  }

  void send(std::unique_ptr<http::response<http::string_body>> res, bool head) {
    res->set(http::field::server, "sigreq-server");
    res->set(http::field::content_type, "text/plain; charset=utf-8");
    res->prepare_payload();
    // A HEAD answer tells the length of the body it does not carry.
    if (head) res->body().clear();
    res_ = std::move(res);
    stream_.expires_after(idle_timeout);
    http::async_write(
        stream_, *res_,
        beast::bind_front_handler(&session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    if (ec) return;
    bool again = res_->keep_alive();
    res_.reset();
    if (!again) return close();
    read();
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  const server_state& state_;
  std::string peer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<verifier_type::pending> pending_;
  std::unique_ptr<http::response<http::string_body>> res_;
  std::optional<http::response<http::empty_body>> continue_;
};

class listener : public std::enable_shared_from_this<listener> {
 public:
  listener(net::io_context& ioc, tcp::acceptor acceptor,
           const server_state& state)
      : ioc_(ioc), acceptor_(std::move(acceptor)), state_(state) {}

  void start() { accept(); }

 private:
  void accept() {
    acceptor_.async_accept(
        net::make_strand(ioc_),
        beast::bind_front_handler(&listener::on_accept, shared_from_this()));
  }

  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted) return;
    if (!ec) {
      std::make_shared<session>(std::move(socket), state_)->start();
      return accept();
    }

    // Out of descriptors, most often: pause instead of spinning on it.
    log_line("accept error=\"" + escape(ec.message()) + "\"");
    pause_.expires_after(std::chrono::milliseconds(100));
    pause_.async_wait(
        [self = shared_from_this()](beast::error_code) { self->accept(); });
  }

  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  net::steady_timer pause_{ioc_};
  const server_state& state_;
};

[[noreturn]] void usage(const std::string& why) {
  std::fprintf(stderr,
               "sigreq-server: %s\n"
               "usage: sigreq-server --listen HOST:PORT --tokens FILE "
               "[--base-url URL]\n"
               "         [--max-skew SECONDS] [--replay-guard MAX_ENTRIES]\n"
               "         [--min-secret-length N] [--threads N] "
               "[--max-body BYTES]\n",
               why.c_str());
  std::exit(1);
}

template <class T>
T number(std::string_view flag, std::string_view text, T min, T max) {
  T value{};
  auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < min ||
      value > max)
    usage(std::string(flag) + ": not a number in range: " + escape(text));
  return value;
}

// HOST:PORT or [V6]:PORT.
void parse_listen(std::string_view text, options& o) {
  std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) usage("--listen wants HOST:PORT");
  std::string_view host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (host.empty()) usage("--listen wants HOST:PORT");
  o.listen_host = std::string(host);
  o.listen_port =
      number<unsigned short>("--listen", text.substr(colon + 1), 0, 65535);
}

options parse_options(int argc, char** argv) {
  options o;
  bool have_listen = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    if (i + 1 >= argc) usage(std::string(flag) + " wants a value");
    std::string_view value = argv[++i];
    if (flag == "--listen") {
      parse_listen(value, o);
      have_listen = true;
    } else if (flag == "--tokens") {
      o.tokens_path = std::string(value);
    } else if (flag == "--base-url") {
      o.base_url = std::string(value);
    } else if (flag == "--max-skew") {
      o.max_skew = number<long>(flag, value, 0, 365L * 24 * 3600);
    } else if (flag == "--replay-guard") {
      o.replay_guard_entries =
          number<std::size_t>(flag, value, 1, std::size_t{1} << 32);
    } else if (flag == "--min-secret-length") {
      o.min_secret_length = number<std::size_t>(flag, value, 0, 4096);
    } else if (flag == "--threads") {
      o.threads = number<int>(flag, value, 1, 256);
    } else if (flag == "--max-body") {
      o.max_body = number<std::size_t>(flag, value, 0, std::size_t{1} << 32);
    } else {
      usage("unknown option " + escape(flag));
    }
  }
  if (!have_listen) usage("--listen is required");
  if (o.tokens_path.empty()) usage("--tokens is required");
  return o;
}

// Fills store from the token file; on a bad line, says where and exits 2.
void load_tokens(const options& o, store_type& store) {
  auto fail = [&](std::size_t line, const std::string& why) {
    std::string where = o.tokens_path;
    if (line != 0) where += ":" + std::to_string(line);
    std::fprintf(stderr, "tokens %s: %s\n", where.c_str(), why.c_str());
    std::exit(2);
  };

  auto read = token_file::read(o.tokens_path);
  if (auto* e = std::get_if<token_file::error>(&read)) fail(e->line, e->why);
  std::string& text = std::get<std::string>(read);

  auto parsed = token_file::parse(text);
  if (auto* e = std::get_if<token_file::error>(&parsed)) {
    token_file::wipe(text);
    fail(e->line, e->why);
  }

  std::unordered_map<std::string_view, std::size_t> first_line;
  for (const auto& e : std::get<std::vector<token_file::entry>>(parsed)) {
    if (auto [it, fresh] = first_line.emplace(e.id, e.line); !fresh) {
      std::string why = "duplicate token id \"" + escape(e.id) +
                        "\" (first on line " + std::to_string(it->second) + ")";
      token_file::wipe(text);
      fail(e.line, why);
    }
    store.insert(std::string(e.id), e.secret, std::string(e.principal),
                 e.expires, e.enabled, e.principal_active);
    if (e.secret.size() < o.min_secret_length)
      log_line("warning: token " + escape(e.id) + " has a secret of " +
               std::to_string(e.secret.size()) +
               " bytes, shorter than the minimum of " +
               std::to_string(o.min_secret_length));
  }
  token_file::wipe(text);
}

int run(const options& o) {
  store_type store;
  load_tokens(o, store);

  beast::error_code ec;
  auto address = net::ip::make_address(o.listen_host, ec);
  if (ec) {
    std::fprintf(stderr, "sigreq-server: --listen: not an IP address: %s\n",
                 escape(o.listen_host).c_str());
    return 1;
  }

  net::io_context ioc(o.threads);
  tcp::acceptor acceptor(ioc);
  tcp::endpoint endpoint(address, o.listen_port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    std::fprintf(stderr, "sigreq-server: cannot listen on %s: %s\n",
                 endpoint_text(endpoint).c_str(), ec.message().c_str());
    return 1;
  }
  tcp::endpoint bound = acceptor.local_endpoint();

  sigreq::verifier_options vo;
  vo.base_url = o.base_url ? *o.base_url : "http://" + endpoint_text(bound);
  vo.max_past = vo.max_future = std::chrono::seconds(o.max_skew);
  vo.max_body_size = o.max_body;
  switchable_replay_guard guard;
  if (o.replay_guard_entries) guard.enable(*o.replay_guard_entries);
  verifier_type verifier(store, std::move(vo), {}, guard);
  server_state state{verifier, o.max_body};

  std::make_shared<listener>(ioc, std::move(acceptor), state)->start();

  net::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](beast::error_code, int) { ioc.stop(); });

  std::printf("listening on %s\n", endpoint_text(bound).c_str());
  std::fflush(stdout);

  std::vector<std::thread> threads;
  for (int i = 1; i < o.threads; ++i)
    threads.emplace_back([&] { ioc.run(); });
  ioc.run();
  for (auto& t : threads)
    t.join();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse_options(argc, argv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sigreq-server: %s\n", e.what());
    return 1;
  }
}
