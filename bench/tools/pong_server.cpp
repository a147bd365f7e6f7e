// bench-pong-server: a minimal peer for checking the generator itself (not Parley). HTTP GET of
// any path answers 200 {"status":"ok"}; a WebSocket upgrade answers each {"op":"ping","id":"X"}
// with {"t":"pong","id":"X"}. One io_context per thread, SO_REUSEPORT listener on each.
//   bench-pong-server [ADDR:PORT (127.0.0.1:18090)] [THREADS (1)]
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <fmt/core.h>

#include <string>
#include <thread>
#include <vector>

#include "ws_protocol.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

asio::awaitable<void> serve_ws(websocket::stream<tcp::socket> ws, http::request<http::string_body> req) {
  auto [aec] = co_await ws.async_accept(req, use_tuple);
  if (aec) co_return;
  beast::flat_buffer buffer;
  for (;;) {
    auto [ec, n] = co_await ws.async_read(buffer, use_tuple);
    if (ec) co_return;
    const auto text = beast::buffers_to_string(buffer.data());
    buffer.consume(buffer.size());
    std::uint64_t id = 0;
    if (text.find("\"ping\"") == std::string::npos || !parley::bench::find_id(text, id)) continue;
    const auto reply = fmt::format(R"({{"t":"pong","id":"{}"}})", id);
    auto [wec, w] = co_await ws.async_write(asio::buffer(reply), use_tuple);
    if (wec) co_return;
  }
}

asio::awaitable<void> serve(tcp::socket sock) {
  beast::flat_buffer buffer;
  sock.set_option(tcp::no_delay(true));
  for (;;) {
    http::request<http::string_body> req;
    auto [ec, n] = co_await http::async_read(sock, buffer, req, use_tuple);
    if (ec) co_return;
    if (websocket::is_upgrade(req)) {
      co_await serve_ws(websocket::stream<tcp::socket>(std::move(sock)), std::move(req));
      co_return;
    }
    http::response<http::string_body> res(http::status::ok, req.version());
    res.set(http::field::content_type, "application/json");
    res.body() = R"({"status":"ok"})";
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    auto [wec, w] = co_await http::async_write(sock, res, use_tuple);
    if (wec || !res.keep_alive()) co_return;
  }
}

asio::awaitable<void> listen(tcp::endpoint ep) {
  auto ex = co_await asio::this_coro::executor;
  tcp::acceptor acceptor(ex);
  acceptor.open(ep.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  int one = 1;
  setsockopt(acceptor.native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  acceptor.bind(ep);
  acceptor.listen(4096);
  for (;;) {
    auto [ec, sock] = co_await acceptor.async_accept(use_tuple);
    if (ec) continue;
    asio::co_spawn(ex, serve(std::move(sock)), asio::detached);
  }
}

int main(int argc, char** argv) {
  std::string addr = argc > 1 ? argv[1] : "127.0.0.1:18090";
  const int threads = argc > 2 ? std::stoi(argv[2]) : 1;
  const auto colon = addr.rfind(':');
  const tcp::endpoint ep(asio::ip::make_address(addr.substr(0, colon)),
                         static_cast<unsigned short>(std::stoi(addr.substr(colon + 1))));
  std::vector<std::jthread> pool;
  for (int i = 0; i < threads; ++i)
    pool.emplace_back([ep] {
      asio::io_context ctx(1);
      asio::co_spawn(ctx, listen(ep), asio::detached);
      ctx.run();
    });
}
