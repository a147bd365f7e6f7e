// GET /v1/ws: the real-time gateway. For now it answers ping with pong; the chat frames (auth,
// sub, send, ...) arrive with the accounts and chat issues.
#include "app/app.hpp"
#include "net/ws_session.hpp"

#include <boost/json.hpp>

namespace parley::app {
namespace {

std::string error_frame(std::string_view code, std::string_view detail, const boost::json::value* ref) {
  boost::json::object o{{"t", "error"}, {"code", code}, {"detail", detail}};
  if (ref && ref->is_string()) o["ref"] = *ref;
  return boost::json::serialize(o);
}

}  // namespace

void add_ws_gateway(net::Router& router, Context&) {
  router.websocket("/v1/ws", [](std::shared_ptr<net::WsSession> ws, net::Request&) -> asio::awaitable<void> {
    while (auto text = co_await ws->read()) {
      boost::system::error_code ec;
      auto frame = boost::json::parse(*text, ec);
      if (ec || !frame.is_object()) {
        ws->send(error_frame("malformed_frame", "frames are JSON objects", nullptr));
        continue;
      }
      const auto& o = frame.as_object();
      const auto* op = o.if_contains("op");
      const auto* id = o.if_contains("id");
      if (op && op->is_string() && op->as_string() == "ping") {
        boost::json::object pong{{"t", "pong"}};
        if (id) pong["id"] = *id;
        ws->send(boost::json::serialize(pong));
      } else {
        ws->send(error_frame("unknown_op", "unknown or missing op", id));
      }
    }
  });
}

}  // namespace parley::app
