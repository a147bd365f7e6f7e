#include "ws_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/json/parse.hpp>
#include <boost/system/system_error.hpp>

#include "sync_io.hpp"

namespace parley::it {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

WsClient::WsClient(std::uint16_t port, std::chrono::milliseconds timeout)
    : port_(port), timeout_(timeout), ws_(ioc_) {}

void WsClient::connect(const std::string& target, const Headers& headers) {
  asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port_);
  auto& tcp = beast::get_lowest_layer(ws_);
  tcp.expires_after(timeout_);
  if (auto ec = run_op(ioc_, [&](auto h) { tcp.async_connect(ep, std::move(h)); }))
    throw boost::system::system_error(ec, "ws tcp connect");
  ws_.set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
    req.set(beast::http::field::user_agent, "parley-integration-tests");
    for (const auto& [name, value] : headers) req.set(name, value);
  }));
  tcp.expires_after(timeout_);
  std::string host = "127.0.0.1:" + std::to_string(port_);
  if (auto ec = run_op(ioc_, [&](auto h) { ws_.async_handshake(host, target, std::move(h)); }))
    throw boost::system::system_error(ec, "ws handshake");
  ws_.text(true);
}

void WsClient::send_text(const std::string& text) {
  beast::get_lowest_layer(ws_).expires_after(timeout_);
  if (auto ec = run_op(ioc_, [&](auto h) { ws_.async_write(asio::buffer(text), std::move(h)); }))
    throw boost::system::system_error(ec, "ws write");
}

WsClient::ReadResult WsClient::read(std::chrono::milliseconds timeout) {
  buffer_.clear();
  beast::get_lowest_layer(ws_).expires_after(timeout);
  ReadResult r;
  r.ec = run_op(ioc_, [&](auto h) { ws_.async_read(buffer_, std::move(h)); });
  if (!r.ec) r.text = beast::buffers_to_string(buffer_.data());
  return r;
}

std::string WsClient::read_text() {
  auto r = read(timeout_);
  if (r.ec) throw boost::system::system_error(r.ec, "ws read");
  return r.text;
}

boost::json::object WsClient::read_json() { return boost::json::parse(read_text()).as_object(); }

std::optional<std::uint16_t> WsClient::wait_for_close_code(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto r = read(left);
    if (r.ec == websocket::error::closed) return static_cast<std::uint16_t>(ws_.reason().code);
    // A close frame arrived, but replying to it failed: the server closed the TCP connection
    // first (it does when it stops reading mid-frame, as for a message over the limit).
    if (r.ec && ws_.reason().code != websocket::close_code::none) return static_cast<std::uint16_t>(ws_.reason().code);
    if (r.ec) return std::nullopt;
  }
}

void WsClient::close(websocket::close_code code) {
  if (!ws_.is_open()) return;
  beast::get_lowest_layer(ws_).expires_after(timeout_);
  run_op(ioc_, [&](auto h) { ws_.async_close(websocket::close_reason(code), std::move(h)); });
}

}  // namespace parley::it
