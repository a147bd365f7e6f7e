// bench-chat-floor: Parley's real-time frames (API.md "Real-time") on the bare Beast stack, in
// memory, one thread: the floor for Parley's gateway in `parley-bench chat … --peer parley`, and
// a way to check the Parley framing of the generator before the gateway exists. Not Parley:
// any token is accepted, nothing is stored, `since` is ignored, sends need no membership.
//   {"op":"auth","token":T}            → {"t":"ready","user_id":"…","session_id":"…"}
//   {"op":"sub","rooms":[{"room":R}]}  (no answer)        {"op":"ping","id":X} → {"t":"pong","id":X}
//   {"op":"send","room","client_id","body"} → {"t":"msg",…} to the room's subscribers, {"t":"ack",…}
//   bench-chat-floor [ADDR:PORT (127.0.0.1:18091)]
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <fmt/core.h>

#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
namespace websocket = beast::websocket;
using asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxQueue = 4096;  // frames; past it the connection is cut (code 4008)

using Frame = std::shared_ptr<const std::string>;

struct Session : std::enable_shared_from_this<Session> {
  explicit Session(tcp::socket s) : ws(std::move(s)) {}
  websocket::stream<tcp::socket> ws;
  std::deque<Frame> out;
  bool writing = false;
  bool dead = false;
  std::string user;
  std::vector<std::string> rooms;
};

struct Hub {
  std::unordered_map<std::string, std::vector<Session*>> rooms;
  std::unordered_map<std::string, std::int64_t> seq;
  std::uint64_t next_id = 1;
  std::uint64_t next_user = 1;
};

asio::awaitable<void> write_loop(std::shared_ptr<Session> s) {
  while (!s->out.empty() && !s->dead) {
    auto [ec, n] = co_await s->ws.async_write(asio::buffer(*s->out.front()), use_tuple);
    if (ec) {
      s->dead = true;
      break;
    }
    s->out.pop_front();
  }
  s->out.clear();
  s->writing = false;
}

void send(Session& s, Frame f) {
  if (s.dead) return;
  if (s.out.size() >= kMaxQueue) {  // too slow: cut it, as Parley does with 4008
    s.dead = true;
    boost::system::error_code ignored;
    s.ws.next_layer().close(ignored);
    return;
  }
  s.out.push_back(std::move(f));
  if (!s.writing) {
    s.writing = true;
    asio::co_spawn(s.ws.get_executor(), write_loop(s.shared_from_this()), asio::detached);
  }
}

void send(Session& s, const json::object& o) { send(s, std::make_shared<const std::string>(json::serialize(o))); }

std::string str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string{};
}

void handle(Session& s, Hub& hub, const json::object& o) {
  const auto op = str(o, "op");
  if (op == "ping") {
    json::object pong{{"t", "pong"}};
    if (const auto* id = o.if_contains("id")) pong["id"] = *id;
    send(s, pong);
  } else if (s.user.empty()) {
    if (op != "auth" || str(o, "token").empty()) {
      send(s, json::object{{"t", "error"}, {"code", "unauthenticated"}, {"detail", "auth first"}});
      return;
    }
    s.user = fmt::format("{}", hub.next_user++);
    send(s, json::object{{"t", "ready"}, {"user_id", s.user}, {"session_id", s.user}});
  } else if (op == "sub") {
    const auto* rooms = o.if_contains("rooms");
    if (!rooms || !rooms->is_array()) return;
    for (const auto& r : rooms->as_array()) {
      if (!r.is_object()) continue;
      auto room = str(r.as_object(), "room");
      hub.rooms[room].push_back(&s);
      s.rooms.push_back(std::move(room));
    }
  } else if (op == "send") {
    const auto room = str(o, "room");
    const auto seq = ++hub.seq[room];
    const auto id = fmt::format("{}", hub.next_id++);
    const json::object message{{"id", id},           {"room_id", room},
                               {"seq", seq},         {"sender_id", s.user},
                               {"client_id", str(o, "client_id")}, {"body", str(o, "body")},
                               {"created_at", "2026-01-01T00:00:00.000Z"}};
    auto frame = std::make_shared<const std::string>(
        json::serialize(json::object{{"t", "msg"}, {"room", room}, {"seq", seq}, {"message", message}}));
    if (auto it = hub.rooms.find(room); it != hub.rooms.end())
      for (Session* member : std::vector<Session*>(it->second)) send(*member, frame);  // snapshot
    send(s, json::object{{"t", "ack"}, {"client_id", str(o, "client_id")}, {"seq", seq}, {"id", id}});
  } else {
    send(s, json::object{{"t", "error"}, {"code", "unknown_op"}, {"detail", "unknown or missing op"}});
  }
}

asio::awaitable<void> serve_ws(std::shared_ptr<Session> s, http::request<http::string_body> req, Hub& hub) {
  auto [aec] = co_await s->ws.async_accept(req, use_tuple);
  if (aec) co_return;
  beast::flat_buffer buffer;
  for (;;) {
    auto [ec, n] = co_await s->ws.async_read(buffer, use_tuple);
    if (ec) break;
    boost::system::error_code jec;
    const auto v = json::parse(std::string_view(static_cast<const char*>(buffer.cdata().data()), buffer.size()), jec);
    buffer.consume(buffer.size());
    if (!jec && v.is_object()) handle(*s, hub, v.as_object());
  }
  s->dead = true;
  for (const auto& room : s->rooms) {
    auto& members = hub.rooms[room];
    std::erase(members, s.get());
  }
}

asio::awaitable<void> serve(tcp::socket sock, Hub& hub) {
  beast::flat_buffer buffer;
  sock.set_option(tcp::no_delay(true));
  http::request<http::string_body> req;
  auto [ec, n] = co_await http::async_read(sock, buffer, req, use_tuple);
  if (ec) co_return;
  if (websocket::is_upgrade(req)) {
    co_await serve_ws(std::make_shared<Session>(std::move(sock)), std::move(req), hub);
    co_return;
  }
  http::response<http::string_body> res(http::status::ok, req.version());
  res.set(http::field::content_type, "application/json");
  res.body() = R"({"status":"ok"})";
  res.prepare_payload();
  co_await http::async_write(sock, res, use_tuple);
}

asio::awaitable<void> listen(tcp::endpoint ep, Hub& hub) {
  tcp::acceptor acceptor(co_await asio::this_coro::executor, ep);
  for (;;) {
    auto [ec, sock] = co_await acceptor.async_accept(use_tuple);
    if (!ec) asio::co_spawn(acceptor.get_executor(), serve(std::move(sock), hub), asio::detached);
  }
}

int main(int argc, char** argv) {
  const std::string addr = argc > 1 ? argv[1] : "127.0.0.1:18091";
  const auto colon = addr.rfind(':');
  const tcp::endpoint ep(asio::ip::make_address(addr.substr(0, colon)),
                         static_cast<unsigned short>(std::stoi(addr.substr(colon + 1))));
  asio::io_context ctx(1);
  Hub hub;
  asio::co_spawn(ctx, listen(ep, hub), asio::detached);
  ctx.run();
}
