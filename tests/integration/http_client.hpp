#pragma once
// A blocking HTTP/1.1 client for tests, on one TCP connection (kept alive between requests),
// every operation bounded by a timeout. Also speaks raw bytes over the same socket for
// malformed, slow and oversized requests.
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/beast/http/write.hpp>  // operator<< for messages in test failure output
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parley::it {

using Response = boost::beast::http::response<boost::beast::http::string_body>;
using Headers = std::vector<std::pair<std::string, std::string>>;

class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port,
                      std::chrono::milliseconds timeout = std::chrono::seconds(5));

  // Opens the connection (request() does it when needed). Throws on failure.
  void connect();
  // Opens the connection; returns the error instead of throwing.
  boost::beast::error_code try_connect();
  bool is_open() const;
  void close();

  // Sends a request on the kept-alive connection and reads the response. Throws on I/O errors.
  Response request(boost::beast::http::verb method, const std::string& target,
                   const std::string& body = {}, const Headers& headers = {});
  Response get(const std::string& target, const Headers& headers = {});
  Response post_json(const std::string& target, const std::string& body,
                     const Headers& headers = {});

  // Raw access: write bytes as they are; read one response; wait for the server to close.
  void send_raw(std::string_view bytes);
  boost::beast::error_code try_send_raw(std::string_view bytes);
  Response read_response();
  // `head`: the response answers a HEAD request (headers only).
  boost::beast::error_code try_read_response(Response& out, bool head = false);
  // Reads until the server closes the connection (EOF or reset): true if it did so within
  // `timeout`, false if the connection was still open then. Bytes received are appended to
  // `received` if given.
  bool wait_for_close(std::chrono::milliseconds timeout, std::string* received = nullptr);

  void set_timeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }
  std::uint16_t port() const { return port_; }

 private:
  std::uint16_t port_;
  std::chrono::milliseconds timeout_;
  boost::asio::io_context ioc_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  bool open_ = false;
};

// Case-insensitive header lookup; "" when absent.
std::string header(const Response& res, std::string_view name);
bool has_header(const Response& res, std::string_view name);
// A JSON body for /dev/echo of exactly `size` bytes (padded with spaces, which JSON ignores).
std::string echo_body(std::size_t size);
// The body parsed as JSON (throws if it is not JSON).
boost::json::value body_json(const Response& res);

}  // namespace parley::it
