#include "net/http_session.hpp"

#include "net/client_address.hpp"
#include "net/framing.hpp"
#include "net/ws_session.hpp"

#include "core/ids.hpp"
#include "core/log.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <algorithm>
#include <optional>

namespace parley::net {
namespace {

constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);
using Clock = std::chrono::steady_clock;
using Parser = http::request_parser<http::string_body>;

// A chunked body's share of --max-body-bytes-in-flight is taken in steps of this many bytes.
constexpr std::size_t kChunkedStep = 64 * 1024;

// This request's share of the server's body budget, given back when it goes.
class BodyReservation {
 public:
  explicit BodyReservation(Server& s) : server_(s) {}
  ~BodyReservation() { release(); }
  BodyReservation(const BodyReservation&) = delete;
  BodyReservation& operator=(const BodyReservation&) = delete;
  // Grows the share to `bytes`; false when the budget has no room.
  bool grow_to(std::size_t bytes) {
    if (bytes <= held_) return true;
    if (!server_.reserve_body(bytes - held_)) return false;
    held_ = bytes;
    return true;
  }
  std::size_t held() const { return held_; }
  void release() {
    if (held_ != 0) server_.release_body(held_);
    held_ = 0;
  }

 private:
  Server& server_;
  std::size_t held_ = 0;
};

Problem bodies_busy() {
  auto p = problems::make(503, "server_busy", "too many request bodies are being received; retry shortly");
  p.headers.emplace_back("Retry-After", "1");
  return p;
}

class HttpSession final : public Connection {
 public:
  HttpSession(Worker& w, asio::ip::tcp::socket socket)
      : w_(w), config_(w.server.config()), pipeline_(w.server.pipeline()), stream_(std::move(socket)) {
    beast::error_code ec;
    const auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) {
      const auto peer = unmapped(ep.address());
      remote_ = peer.to_string();
      peer_trusted_ = w_.server.trusted_proxies().contains(peer);
    }
    w_.add(this);
    w_.server.metrics().http_open.inc();
  }
  ~HttpSession() override {
    if (ws_) w_.server.metrics().ws_open.dec();
    else w_.server.metrics().http_open.dec();
    w_.server.closed(w_, this);
  }

  void drain() override {
    draining_ = true;
    if (ws_) ws_->close(close_code::going_away, "server draining");
    else if (idle_) stream_.socket().cancel();
  }
  void abort() override {
    if (ws_) ws_->abort();
    else {
      beast::error_code ec;
      stream_.socket().close(ec);
    }
  }

  asio::awaitable<void> run();

 private:
  asio::awaitable<bool> serve_one(bool first);
  asio::awaitable<void> serve_websocket(RawRequest& raw, Request& req, Router::Match& match, Clock::time_point start);
  bool begin_websocket(Request& req, Router::Match& match, Clock::time_point start);
  asio::awaitable<bool> reply(Request& req, const TraceContext& trace, Response res, Clock::time_point start,
                              bool keep_alive);
  asio::awaitable<void> fail(RawRequest& raw, Problem p, Clock::time_point start);
  asio::awaitable<bool> read_body(Parser& parser, BodyReservation& body, Clock::time_point start);
  asio::awaitable<void> discard_input();
  std::optional<Problem> refuse_head(beast::error_code ec, Parser& parser, BodyReservation& body) const;
  Problem body_too_large() const {
    return problems::too_large("the request body exceeds " + std::to_string(config_.max_body_bytes) + " bytes");
  }
  // The client's address: the peer's, or the forwarded one when the peer is a trusted proxy.
  std::string client_ip(const RawRequest& raw) const {
    if (!peer_trusted_) return remote_;
    return forwarded_client(raw, w_.server.trusted_proxies(), remote_);
  }

  Worker& w_;
  const Config& config_;
  const Pipeline& pipeline_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::string remote_;
  bool peer_trusted_ = false;
  bool linger_ = false;  // an error answer was sent: drain the client's input briefly before closing
  bool idle_ = true;
  bool draining_ = false;
  std::shared_ptr<WsSession> ws_;
};

asio::awaitable<void> HttpSession::run() {
  bool first = true;
  while (!draining_ && co_await serve_one(first)) first = false;
  if (!ws_) {
    beast::error_code ec;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    if (linger_) co_await discard_input();
    stream_.socket().close(ec);
  }
}

// After an error answer (413, 431, 501, 503...) the client may still be sending the request we
// refused: read and drop what comes, briefly and without keeping it, so that closing with unread
// bytes does not reset the connection before the client has read the answer.
asio::awaitable<void> HttpSession::discard_input() {
  constexpr std::size_t kMaxDiscard = 1 << 20;
  std::size_t dropped = 0;
  stream_.expires_after(std::chrono::seconds(1));
  while (dropped < kMaxDiscard) {
    buffer_.consume(buffer_.size());
    auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(4096), tuple_awaitable);
    if (ec) break;
    dropped += n;
  }
  stream_.expires_never();
}

// Why a request head is refused, if it is: limits, malformed or ambiguous framing (RFC 9112), Host,
// and the body's share of --max-body-bytes-in-flight, taken before any of it is read (or asked
// for with 100 Continue).
std::optional<Problem> HttpSession::refuse_head(beast::error_code ec, Parser& parser, BodyReservation& body) const {
  if (ec == http::error::header_limit)
    return problems::make(431, "header_too_large", "the request headers exceed the limit");
  if (ec == http::error::body_limit) return body_too_large();  // a Content-Length over the limit, seen with the headers
  // The parser stops at a Transfer-Encoding after Content-Length or after chunked, and at a
  // Content-Length after Transfer-Encoding: chunked is not the only, final coding.
  if (ec == http::error::bad_transfer_encoding ||
      (ec == http::error::bad_content_length && parser.get().count(http::field::transfer_encoding) != 0))
    return conflicting_framing();
  if (ec) return problems::bad_request("malformed HTTP request: " + ec.message(), "malformed_request");
  if (auto len = parser.content_length(); len && *len > config_.max_body_bytes) return body_too_large();
  if (auto p = framing_problem(parser.get())) return p;
  if (!parser.is_done()) {
    const auto declared = parser.content_length();
    if (!body.grow_to(declared ? static_cast<std::size_t>(*declared) : kChunkedStep)) return bodies_busy();
  }
  return std::nullopt;
}

// Serves one request; false when the connection should close.
asio::awaitable<bool> HttpSession::serve_one(bool first) {
  idle_ = true;
  if (buffer_.size() == 0) {
    // A new connection must speak within the header timeout; a kept-alive one may idle longer.
    stream_.expires_after(first ? config_.header_timeout : config_.idle_timeout);
    auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(4096), tuple_awaitable);
    if (ec) co_return false;
    buffer_.commit(n);
  }
  idle_ = false;
  const auto start = Clock::now();

  Parser parser;
  parser.header_limit(static_cast<std::uint32_t>(config_.max_header_bytes));
  parser.body_limit(config_.max_body_bytes);
  stream_.expires_after(config_.header_timeout);
  auto [ec, n] = co_await http::async_read_header(stream_, buffer_, parser, tuple_awaitable);
  if (ec == beast::error::timeout || ec == asio::error::operation_aborted || ec == http::error::end_of_stream ||
      ec == asio::error::eof || ec == asio::error::connection_reset)
    co_return false;
  BodyReservation body(w_.server);
  {
    // One refusal slot in this frame (which lives as long as a WebSocket), whatever the reason.
    std::optional<Problem> refusal = refuse_head(ec, parser, body);
    if (refusal) {
      co_await fail(parser.get(), std::move(*refusal), start);
      co_return false;
    }
  }
  if (parser.get()[http::field::expect] == "100-continue") {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    auto [wec, wn] = co_await asio::async_write(stream_, asio::buffer(kContinue), tuple_awaitable);
    if (wec) co_return false;
  }
  if (!parser.is_done()) {
    const bool complete = co_await read_body(parser, body, start);
    if (!complete) co_return false;
  }
  stream_.expires_never();

  RawRequest raw = parser.release();
  const Target target = split_target(raw.target());
  Request req{raw, target.path, target.query};
  req.remote_ip = client_ip(raw);
  TraceContext trace;
  pipeline_.begin(req, trace);
  const bool upgrade = websocket::is_upgrade(raw);
  auto match = pipeline_.route(req, upgrade);
  if (upgrade && match.ws && !w_.server.draining()) {
    body.release();
    co_await serve_websocket(raw, req, match, start);
    co_return false;
  }
  // An upgrade that arrives while the server drains is refused as such, not as an unknown path.
  Response res;
  if (upgrade && match.ws) {
    req.route = *match.pattern;
    res = Response::problem(problems::make(503, "draining", "the server is shutting down"));
  } else {
    res = co_await pipeline_.run(req, match);
  }
  // The body has served its purpose: give its memory and its share of the budget back before a
  // slow reader holds the response.
  if (body.held() != 0) {
    raw.body().clear();
    raw.body().shrink_to_fit();
    body.release();
  }
  const bool keep_alive = raw.keep_alive() && !draining_ && !w_.server.draining();
  co_return co_await reply(req, trace, std::move(res), start, keep_alive);
}

// The upgrade's bookkeeping, outside the coroutine: its locals would otherwise stay in the
// coroutine frame, which lives as long as the WebSocket. False when the upgrade is refused.
bool HttpSession::begin_websocket(Request& req, Router::Match& match, Clock::time_point start) {
  req.route = *match.pattern;
  req.params = std::move(match.params);
  // Bytes the parser read past the upgrade request belong to the WebSocket.
  if (buffer_.size() != 0) return false;  // a client may not pipeline frames before the 101; refuse quietly
  buffer_.shrink_to_fit();  // this session lives as long as the WebSocket: keep no HTTP read buffer
  WsLimits limits;
  limits.idle_timeout = std::chrono::duration_cast<std::chrono::seconds>(config_.idle_timeout);
  ws_ = std::make_shared<WsSession>(std::move(stream_), limits);
  w_.server.metrics().http_open.dec();
  w_.server.metrics().ws_open.inc();
  TraceContext trace = trace_for(req.header("traceparent"));
  trace.trace_id = req.trace_id;
  Response upgraded = Response::text(101, {});
  pipeline_.end(req, trace, upgraded, start, 0);
  return true;
}

asio::awaitable<void> HttpSession::serve_websocket(RawRequest& raw, Request& req, Router::Match& match,
                                                   Clock::time_point start) {
  // A plain statement: GCC 12 skipped the call when it stood in the if's condition here.
  const bool began = begin_websocket(req, match, start);
  if (!began) co_return;
  if (!co_await ws_->accept(raw)) co_return;
  if (draining_ || w_.server.draining()) ws_->close(close_code::going_away, "server draining");
  co_await (*match.ws)(ws_, req);
  ws_->close(close_code::normal);
  co_await ws_->finished();
}

asio::awaitable<bool> HttpSession::reply(Request& req, const TraceContext& trace, Response res,
                                         Clock::time_point start, bool keep_alive) {
  pipeline_.end(req, trace, res, start);
  http::response<http::string_body> out{static_cast<http::status>(res.status), 11};
  for (auto& [k, v] : res.headers) out.insert(k, v);
  if (!res.content_type.empty()) out.set(http::field::content_type, res.content_type);
  out.keep_alive(keep_alive);
  const std::size_t body_size = res.body.size();
  if (req.method() != http::verb::head) out.body() = std::move(res.body);
  out.prepare_payload();
  if (req.method() == http::verb::head) out.content_length(body_size);
  stream_.expires_after(config_.idle_timeout);
  auto [ec, n] = co_await http::async_write(stream_, out, tuple_awaitable);
  stream_.expires_never();
  co_return !ec && keep_alive;
}

asio::awaitable<void> HttpSession::fail(RawRequest& raw, Problem p, Clock::time_point start) {
  Request req{raw, "", ""};
  req.remote_ip = client_ip(raw);
  TraceContext trace;
  pipeline_.begin(req, trace);
  req.route = "unmatched";
  linger_ = true;
  co_await reply(req, trace, Response::problem(p), start, false);
}

// Reads the rest of the body within --idle-timeout of its start and, after --body-rate-grace,
// at --min-body-rate on average: a body that falls behind is cut (the connection closes). A
// chunked body takes its share of the in-flight budget as it grows. False when the connection
// should close (any answer has been sent).
asio::awaitable<bool> HttpSession::read_body(Parser& parser, BodyReservation& body, Clock::time_point start) {
  const auto body_start = Clock::now();
  const auto cap = body_start + config_.idle_timeout;
  const double rate = static_cast<double>(config_.min_body_rate);
  std::size_t received = 0;
  while (!parser.is_done()) {
    auto deadline = cap;
    if (rate > 0) {
      // The bytes so far buy time at the minimum rate; the grace comes first.
      const auto earned = std::chrono::duration_cast<Clock::duration>(
          std::chrono::duration<double>(static_cast<double>(received) / rate));
      deadline = std::min(cap, body_start + std::max<Clock::duration>(config_.body_rate_grace, earned));
    }
    stream_.expires_at(deadline);
    auto [ec, n] = co_await http::async_read_some(stream_, buffer_, parser, tuple_awaitable);
    if (ec == http::error::body_limit) {
      co_await fail(parser.get(), body_too_large(), start);
      co_return false;
    }
    if (ec == beast::error::timeout) {
      const double seconds = std::chrono::duration<double>(Clock::now() - body_start).count();
      log::info("request body too slow; connection closed",
                {{"remote", remote_}, {"body_bytes", received}, {"seconds", seconds}, {"min_body_rate", config_.min_body_rate}});
      co_return false;
    }
    if (ec) co_return false;
    received = parser.get().body().size();
    if (parser.chunked() && !body.grow_to(received + kChunkedStep)) {
      co_await fail(parser.get(), bodies_busy(), start);
      co_return false;
    }
  }
  co_return true;
}

}  // namespace

void start_http_session(Worker& worker, asio::ip::tcp::socket socket) {
  asio::co_spawn(
      worker.ioc,
      [&worker, s = std::move(socket)]() mutable -> asio::awaitable<void> {
        HttpSession session(worker, std::move(s));
        co_await session.run();
      },
      asio::detached);
}

void reject_connection(Worker& worker, asio::ip::tcp::socket socket) {
  asio::co_spawn(
      worker.ioc,
      [s = std::move(socket)]() mutable -> asio::awaitable<void> {
        beast::tcp_stream stream(std::move(s));
        beast::flat_buffer buffer;
        http::request_parser<http::empty_body> parser;
        stream.expires_after(std::chrono::seconds(2));
        co_await http::async_read_header(stream, buffer, parser, tuple_awaitable);
        http::response<http::string_body> out{http::status::service_unavailable, 11};
        out.set(http::field::content_type, "application/problem+json");
        out.set(http::field::retry_after, "1");
        out.set("X-Request-Id", random_hex(16));
        out.body() = Response::problem(problems::make(503, "too_many_connections",
                                                      "the server is at its connection limit; retry shortly"))
                         .body;
        out.keep_alive(false);
        out.prepare_payload();
        co_await http::async_write(stream, out, tuple_awaitable);
        beast::error_code ec;
        stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
      },
      asio::detached);
}

}  // namespace parley::net
