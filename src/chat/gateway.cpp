#include "chat/gateway.hpp"

#include "auth/auth_routes.hpp"
#include "chat/gateway_frames.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/execution/context.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

namespace parley::chat {
namespace json = boost::json;

namespace {

std::string_view bearer(std::string_view header) {
  constexpr std::string_view prefix = "Bearer ";
  if (header.size() > prefix.size() && header.substr(0, prefix.size()) == prefix) return header.substr(prefix.size());
  return {};
}

// The token from the upgrade's Authorization header or, within the auth timeout, the first frame.
asio::awaitable<std::optional<std::string>> read_token(net::WsSession& ws, const net::Request& req,
                                                       std::chrono::milliseconds timeout) {
  if (auto t = bearer(req.header("authorization")); !t.empty()) co_return std::string(t);
  asio::steady_timer deadline(ws.executor());
  deadline.expires_after(timeout);
  deadline.async_wait([&ws](const boost::system::error_code& ec) {
    if (!ec) ws.close(net::close_code::unauthenticated, "authenticate within 5 seconds");
  });
  auto text = co_await ws.read();
  deadline.cancel();
  if (!text) co_return std::nullopt;
  json::error_code ec;
  auto frame = json::parse(*text, ec);
  if (ec || !frame.is_object()) co_return std::nullopt;
  const auto& o = frame.as_object();
  if (frames::string_member(o, "op") != "auth") co_return std::nullopt;
  auto token = frames::string_member(o, "token");
  if (!token) co_return std::nullopt;
  co_return std::string(*token);
}

json::object presence_json(const PresenceInfo& p) {
  json::object o{{"user_id", p.user.str()}};
  if (p.online) o["online"] = *p.online;
  else o["online"] = nullptr;
  if (p.last_seen) o["last_seen"] = *p.last_seen;
  else o["last_seen"] = nullptr;
  return o;
}

}  // namespace

void add_gateway_routes(net::Router& router, GatewayDeps& deps) {
  router.websocket("/v1/ws", [&deps](std::shared_ptr<net::WsSession> ws, net::Request& req) -> asio::awaitable<void> {
    ws->set_frame_rate(deps.limits.frames_per_second);  // every frame counts, the first one too
    ws->set_fragment_timeout(deps.limits.fragment_timeout);
    auto token = co_await read_token(*ws, req, deps.limits.auth_timeout);
    std::optional<auth::Principal> who;
    if (token) {
      try {
        who = co_await deps.auth.authenticate(*token);
      } catch (const ApiError& e) {
        ws->send(frames::error(e.problem(), std::nullopt));
      }
    }
    if (!who) {
      ws->close(net::close_code::unauthenticated, "authentication required");
      while (co_await ws->read()) {
      }
      co_return;
    }
    auto& thread = static_cast<asio::io_context&>(asio::query(ws->executor(), asio::execution::context));
    auto conn = std::make_shared<GatewayConnection>(deps, ws, thread, std::move(*who), std::move(*token));
    co_await conn->run();
  });

  router.get("/v1/rooms/{id}/presence", [&deps](net::Request& req) -> asio::awaitable<net::Response> {
    const auto me = co_await auth::require_user(deps.auth, req);
    const auto room = RoomId::parse(req.param("id"));
    if (!room) throw ApiError(problems::not_found("no such room"));
    auto members = co_await deps.presence.room(UserId{me.user_id}, *room);
    json::array items;
    for (const auto& p : members) items.push_back(presence_json(p));
    co_return net::Response::json(200, json::object{{"items", std::move(items)}});
  });
}

}  // namespace parley::chat
