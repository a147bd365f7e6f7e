#include "http_client.hpp"

#include <poll.h>

#include <cerrno>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/system/system_error.hpp>

#include "sync_io.hpp"

namespace parley::it {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

HttpClient::HttpClient(std::uint16_t port, std::chrono::milliseconds timeout)
    : port_(port), timeout_(timeout), stream_(ioc_) {}

beast::error_code HttpClient::try_connect() {
  if (open_) return {};
  asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port_);
  stream_.expires_after(timeout_);
  auto ec = run_op(ioc_, [&](auto handler) { stream_.async_connect(ep, std::move(handler)); });
  open_ = !ec;
  buffer_.clear();
  return ec;
}

void HttpClient::connect() {
  if (auto ec = try_connect()) throw boost::system::system_error(ec, "connect");
}

bool HttpClient::is_open() const { return open_; }

void HttpClient::close() {
  beast::error_code ec;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  stream_.socket().close(ec);
  open_ = false;
}

Response HttpClient::request(http::verb method, const std::string& target,
                             const std::string& body, const Headers& headers) {
  connect();
  http::request<http::string_body> req{method, target, 11};
  req.set(http::field::host, "127.0.0.1:" + std::to_string(port_));
  req.set(http::field::user_agent, "parley-integration-tests");
  req.keep_alive(true);
  for (const auto& [name, value] : headers) req.set(name, value);
  if (!body.empty() || method == http::verb::post || method == http::verb::put ||
      method == http::verb::patch) {
    req.body() = body;
    req.prepare_payload();
  }
  stream_.expires_after(timeout_);
  auto ec = run_op(ioc_, [&](auto handler) { http::async_write(stream_, req, std::move(handler)); });
  if (ec) {
    open_ = false;
    throw boost::system::system_error(ec, "write request");
  }
  Response res;
  if (auto rec = try_read_response(res, method == http::verb::head)) throw boost::system::system_error(rec, "read response");
  if (!res.keep_alive()) close();
  return res;
}

Response HttpClient::get(const std::string& target, const Headers& headers) {
  return request(http::verb::get, target, {}, headers);
}

Response HttpClient::post_json(const std::string& target, const std::string& body,
                               const Headers& headers) {
  Headers all{{"Content-Type", "application/json"}};
  all.insert(all.end(), headers.begin(), headers.end());
  return request(http::verb::post, target, body, all);
}

beast::error_code HttpClient::try_send_raw(std::string_view bytes) {
  if (auto ec = try_connect()) return ec;
  stream_.expires_after(timeout_);
  return run_op(ioc_, [&](auto handler) {
    asio::async_write(stream_, asio::buffer(bytes.data(), bytes.size()), std::move(handler));
  });
}

void HttpClient::send_raw(std::string_view bytes) {
  if (auto ec = try_send_raw(bytes)) throw boost::system::system_error(ec, "send raw");
}

beast::error_code HttpClient::try_read_response(Response& out, bool head) {
  http::response_parser<http::string_body> parser;
  parser.skip(head);  // a response to HEAD has a Content-Length but no body
  parser.body_limit(64 * 1024 * 1024);
  parser.header_limit(1024 * 1024);
  stream_.expires_after(timeout_);
  auto ec = run_op(ioc_, [&](auto handler) {
    http::async_read(stream_, buffer_, parser, std::move(handler));
  });
  if (ec) {
    open_ = false;
    return ec;
  }
  out = parser.release();
  return {};
}

Response HttpClient::read_response() {
  Response res;
  if (auto ec = try_read_response(res)) throw boost::system::system_error(ec, "read response");
  return res;
}

bool HttpClient::wait_for_close(std::chrono::milliseconds timeout, std::string* received) {
  if (!open_) return true;
  // Bytes already buffered belong to the caller too.
  if (received != nullptr && buffer_.size() > 0)
    received->append(beast::buffers_to_string(buffer_.data()));
  buffer_.clear();
  // poll() rather than a stream timeout: running out of time must leave the connection open.
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int fd = stream_.socket().native_handle();
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd pfd{fd, POLLIN, 0};
    int r = ::poll(&pfd, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    char chunk[4096];
    beast::error_code ec;
    std::size_t n = stream_.socket().read_some(asio::buffer(chunk), ec);
    if (received != nullptr) received->append(chunk, n);
    if (ec) {  // eof, connection_reset, ...
      close();
      return true;
    }
  }
}

std::string header(const Response& res, std::string_view name) {
  auto it = res.find(name);
  if (it == res.end()) return {};
  return std::string(it->value());
}

bool has_header(const Response& res, std::string_view name) { return res.find(name) != res.end(); }

boost::json::value body_json(const Response& res) { return boost::json::parse(res.body()); }

std::string echo_body(std::size_t size) {
  std::string body = R"({"name":"pad"})";
  body.insert(1, size - body.size(), ' ');
  return body;
}

}  // namespace parley::it
