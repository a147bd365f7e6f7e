#pragma once
// A blocking WebSocket client for tests (text frames), every operation bounded by a timeout.
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "http_client.hpp"

namespace parley::it {

class WsClient {
 public:
  explicit WsClient(std::uint16_t port,
                    std::chrono::milliseconds timeout = std::chrono::seconds(5));

  // TCP connect + upgrade. Throws on failure.
  void connect(const std::string& target = "/v1/ws", const Headers& headers = {});

  void send_text(const std::string& text);
  // The next text message; throws on error, close or timeout.
  std::string read_text();
  boost::json::object read_json();

  struct ReadResult {
    boost::beast::error_code ec;  // websocket::error::closed when the server sent a close frame
    std::string text;
  };
  ReadResult read(std::chrono::milliseconds timeout);

  // Reads (discarding messages) until the server closes the connection; the close code it sent,
  // or nullopt if it did not close within `timeout` (or dropped TCP without a close frame).
  std::optional<std::uint16_t> wait_for_close_code(std::chrono::milliseconds timeout);

  void close(boost::beast::websocket::close_code code = boost::beast::websocket::close_code::normal);

 private:
  std::uint16_t port_;
  std::chrono::milliseconds timeout_;
  boost::asio::io_context ioc_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace parley::it
