#include "chat/gateway_connection.hpp"

#include "chat/gateway_frames.hpp"
#include "core/log.hpp"
#include "core/problem.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include <algorithm>

namespace parley::chat {
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

GatewayConnection::GatewayConnection(GatewayDeps& deps, std::shared_ptr<net::WsSession> ws, asio::io_context& thread,
                                     auth::Principal who, std::string token)
    : deps_(deps),
      ws_(std::move(ws)),
      thread_(thread),
      user_{who.user_id},
      principal_(std::move(who)),
      token_(std::move(token)),
      tokens_(deps.limits.frames_per_second * 2),
      refill_at_(Clock::now()),
      recheck_(ws_->executor()) {}

GatewayConnection::~GatewayConnection() = default;

asio::awaitable<void> GatewayConnection::run() {
  send(frames::ready(user_, principal_.session_id));
  deps_.hub.subscribe(thread_, user_.value, this);  // what concerns this user wherever they are
  try {
    co_await deps_.presence.connected(user_);
  } catch (const std::exception& e) {
    log::warn("presence not announced", {{"error", e.what()}});
  }
  asio::co_spawn(ws_->executor(), [self = shared_from_this()] { return self->recheck_loop(); }, asio::detached);

  while (auto text = co_await ws_->read()) {
    if (!take_frame_token()) {
      ws_->close(net::close_code::rate_limited, "too many frames");
      continue;  // the read ends once the close completes
    }
    co_await handle(*text);
  }

  recheck_.cancel();
  for (auto& [room, sub] : rooms_) deps_.hub.unsubscribe(thread_, room, this);
  rooms_.clear();
  deps_.hub.unsubscribe(thread_, user_.value, this);
  try {
    co_await deps_.presence.disconnected(user_);
  } catch (const std::exception& e) {
    log::warn("presence not updated", {{"error", e.what()}});
  }
}

bool GatewayConnection::take_frame_token() {
  const auto now = Clock::now();
  const double rate = deps_.limits.frames_per_second;
  tokens_ = std::min(rate * 2, tokens_ + rate * std::chrono::duration<double>(now - refill_at_).count());
  refill_at_ = now;
  if (tokens_ < 1) return false;
  tokens_ -= 1;
  return true;
}

asio::awaitable<void> GatewayConnection::handle(const std::string& text) {
  json::error_code ec;
  auto parsed = json::parse(text, ec);
  if (ec || !parsed.is_object()) {
    send(frames::error("malformed_frame", "frames are JSON objects"));
    co_return;
  }
  auto& frame = parsed.as_object();
  const auto op = frames::string_member(frame, "op").value_or("");
  if (op == "ping") {
    send(frames::pong(frame.if_contains("id")));
  } else if (op == "sub") {
    co_await on_sub(frame);
  } else if (op == "unsub") {
    on_unsub(frame);
  } else if (op == "send") {
    if (pending_sends_ >= deps_.limits.max_pending_sends) {
      co_await on_send(std::move(frame));  // back-pressure: stop reading until this one is durable
    } else {
      asio::co_spawn(ws_->executor(),
                     [self = shared_from_this(), f = std::move(frame)]() mutable { return self->on_send(std::move(f)); },
                     asio::detached);
    }
  } else if (op == "read" || op == "delivered") {
    co_await on_marker(frame, op == "read");
  } else if (op == "typing") {
    co_await on_typing(frame);
  } else if (op == "auth") {
    if (!co_await on_auth(frame)) ws_->close(net::close_code::unauthenticated, "invalid token");
  } else {
    const auto id = frames::string_member(frame, "id");
    send(frames::error("unknown_op", "unknown or missing op", id));
  }
}

asio::awaitable<void> GatewayConnection::on_sub(const json::object& frame) {
  const auto* list = frame.if_contains("rooms");
  if (!list || !list->is_array()) {
    send(frames::error("malformed_frame", "sub takes rooms: [{room, since?}]"));
    co_return;
  }
  for (const auto& item : list->as_array()) {
    std::optional<std::int64_t> room, since;
    if (item.is_object()) {
      room = frames::id_member(item.as_object(), "room");
      since = frames::int_member(item.as_object(), "since");
    } else if (item.is_string()) {
      room = parse_id(item.as_string());
    }
    if (!room || (since && *since < 0)) {
      send(frames::error("malformed_frame", "each room is {room: id string, since?: seq >= 0}"));
      continue;
    }
    const std::string ref = std::to_string(*room);
    if (!rooms_.contains(*room) && rooms_.size() >= deps_.limits.max_rooms) {
      send(frames::error("too_many_rooms", "too many subscriptions on one connection", ref, RoomId{*room}));
      continue;
    }
    std::int64_t start = since.value_or(0);
    try {
      if (!since) {  // no since: from now on
        auto page = co_await deps_.chat.events_after(user_, RoomId{*room}, 0, 1);
        start = page.last_seq;
      } else {
        co_await deps_.chat.require_member(user_, RoomId{*room});
      }
    } catch (const ApiError& e) {
      send(frames::error(e.problem(), ref, RoomId{*room}));
      continue;
    }
    // Register first, then replay: whatever is published from here on is either in the replay
    // or arrives live, and seq tells which.
    auto& sub = rooms_[*room];
    sub = RoomSub{.last = start, .live_max = 0, .replaying = true, .epoch = ++next_epoch_};
    deps_.hub.subscribe(thread_, *room, this);
    co_await catch_up(RoomId{*room});
    if (auto it = rooms_.find(*room); it != rooms_.end()) send(frames::subscribed(RoomId{*room}, it->second.last, start));
  }
}

void GatewayConnection::on_unsub(const json::object& frame) {
  const auto* list = frame.if_contains("rooms");
  if (!list || !list->is_array()) {
    send(frames::error("malformed_frame", "unsub takes rooms: [id]"));
    return;
  }
  for (const auto& item : list->as_array()) {
    std::optional<std::int64_t> room;
    if (item.is_string()) room = parse_id(item.as_string());
    else if (item.is_object()) room = frames::id_member(item.as_object(), "room");
    if (room) drop_room(RoomId{*room});
  }
}

void GatewayConnection::drop_room(RoomId room) {
  if (rooms_.erase(room.value)) deps_.hub.unsubscribe(thread_, room.value, this);
}

asio::awaitable<void> GatewayConnection::catch_up(RoomId room) {
  asio::steady_timer pause(ws_->executor());
  auto start = rooms_.find(room.value);
  if (start == rooms_.end()) co_return;
  const std::uint64_t epoch = start->second.epoch;
  // The room's subscription as this replay knows it; null once it ended or was replaced.
  auto current = [this, room, epoch]() -> RoomSub* {
    auto it = rooms_.find(room.value);
    if (it == rooms_.end() || it->second.epoch != epoch || ws_->closing()) return nullptr;
    return &it->second;
  };
  for (;;) {
    RoomSub* sub = current();
    if (!sub) co_return;
    const std::int64_t since = sub->last;
    EventPage page;
    try {
      page = co_await deps_.chat.events_after(user_, room, since, deps_.limits.replay_page);
    } catch (const ApiError& e) {
      if (!current()) co_return;
      drop_room(room);
      send(frames::error(e.problem(), room.str(), room));
      co_return;
    }
    if (!(sub = current())) co_return;  // unsubscribed or subscribed anew meanwhile
    if (sub->last > page.last_seq) sub->last = page.last_seq;  // the client claims more than the store has
    for (auto& ev : page.events) {
      // Pace the replay by the socket: a long backlog must not overflow the outbound queue.
      while (ws_->queued_bytes() > ws_->max_queue_bytes() / 2 && !ws_->closing()) {
        pause.expires_after(std::chrono::milliseconds(2));
        co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      }
      if (!(sub = current())) co_return;
      if (ev.seq <= sub->last) continue;
      send(ev.frame);
      sub->last = ev.seq;
    }
    if (!(sub = current())) co_return;
    const bool more_stored = sub->last < page.last_seq;
    const bool missed_live = sub->live_max > sub->last;
    if (!more_stored && !missed_live) {
      sub->replaying = false;
      co_return;
    }
    if (page.events.empty() && more_stored) {
      // The store says there is more but gave nothing: never spin on it.
      log::error("replay made no progress", {{"room", room.value}, {"since", since}, {"last_seq", page.last_seq}});
      sub->replaying = false;
      co_return;
    }
  }
}

void GatewayConnection::deliver(const bus::Event& event) {
  if (ws_->closing()) return;
  if (event.topic == user_.value) {  // addressed to this user
    if (event.revoke) drop_room(RoomId{event.revoke});
    if (event.frame) send(event.frame);
    return;
  }
  auto it = rooms_.find(event.topic);
  if (it == rooms_.end()) return;
  if (event.revoke) {  // someone left the room (or was removed)
    if (event.revoke != user_.value) return;
    drop_room(RoomId{event.topic});
    send(frames::unsubscribed(RoomId{event.topic}, "removed"));
    return;
  }
  if (event.seq == 0) {  // typing, receipts, presence: not stored, not ordered
    send(event.frame);
    return;
  }
  auto& sub = it->second;
  if (sub.replaying) {
    sub.live_max = std::max(sub.live_max, event.seq);
    return;
  }
  if (event.seq <= sub.last) return;
  if (event.seq == sub.last + 1) {
    send(event.frame);
    sub.last = event.seq;
    return;
  }
  // A gap: something was lost on the way. The store has it.
  sub.replaying = true;
  sub.live_max = event.seq;
  asio::co_spawn(ws_->executor(), [self = shared_from_this(), room = RoomId{event.topic}] { return self->catch_up(room); },
                 asio::detached);
}

asio::awaitable<void> GatewayConnection::on_send(json::object frame) {
  ++pending_sends_;
  const auto client_id = frames::string_member(frame, "client_id");
  const std::optional<std::string> ref = client_id ? std::optional<std::string>(std::string(*client_id)) : std::nullopt;
  const auto room = frames::id_member(frame, "room");
  const std::optional<RoomId> room_id = room ? std::optional<RoomId>(RoomId{*room}) : std::nullopt;
  try {
    if (!room) throw ApiError(problems::validation({{"room", "must be a room id"}}));
    SendInput in = send_input(frame);
    auto result = co_await deps_.chat.send(principal_, RoomId{*room}, std::move(in));
    send(frames::ack(RoomId{*room}, result.message, result.created));
  } catch (const ApiError& e) {
    send(frames::error(e.problem(), ref, room_id));
  } catch (const std::exception& e) {
    log::error("ws send failed", {{"error", e.what()}});
    send(frames::error("internal", "the message was not stored; send it again", ref, room_id));
  }
  --pending_sends_;
}

asio::awaitable<void> GatewayConnection::on_marker(const json::object& frame, bool read) {
  const auto room = frames::id_member(frame, "room");
  const auto seq = frames::int_member(frame, "seq");
  if (!room || !seq || *seq < 0) {
    send(frames::error("malformed_frame", "read and delivered take {room, seq}"));
    co_return;
  }
  try {
    if (read) co_await deps_.chat.mark_read(user_, RoomId{*room}, *seq);
    else co_await deps_.chat.mark_delivered(user_, RoomId{*room}, *seq);
  } catch (const ApiError& e) {
    send(frames::error(e.problem(), std::to_string(*room), RoomId{*room}));
  }
}

asio::awaitable<void> GatewayConnection::on_typing(const json::object& frame) {
  const auto room = frames::id_member(frame, "room");
  if (!room) {
    send(frames::error("malformed_frame", "typing takes {room}"));
    co_return;
  }
  auto it = rooms_.find(*room);
  if (it == rooms_.end()) {
    send(frames::error("not_subscribed", "subscribe to the room before typing in it", std::to_string(*room), RoomId{*room}));
    co_return;
  }
  const auto now = Clock::now();
  if (now - it->second.last_typing < deps_.limits.typing_interval) co_return;  // throttled, silently
  it->second.last_typing = now;
  try {
    co_await deps_.chat.typing(user_, RoomId{*room});
  } catch (const ApiError& e) {
    send(frames::error(e.problem(), std::to_string(*room), RoomId{*room}));
  }
}

asio::awaitable<bool> GatewayConnection::on_auth(const json::object& frame) {
  // A fresh token for the same session (after a refresh) keeps the connection going.
  const auto token = frames::string_member(frame, "token");
  if (!token) co_return false;
  try {
    auto who = co_await deps_.auth.authenticate(*token);
    if (who.user_id != user_.value) co_return false;
    principal_ = std::move(who);
    token_ = std::string(*token);
    co_return true;
  } catch (const ApiError&) {
    co_return false;
  }
}

asio::awaitable<void> GatewayConnection::recheck_loop() {
  for (;;) {
    recheck_.expires_after(deps_.limits.recheck_session);
    auto [ec] = co_await recheck_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec || ws_->closing()) co_return;
    try {
      principal_ = co_await deps_.auth.authenticate(token_);
    } catch (const ApiError& e) {
      send(frames::error(e.problem(), std::nullopt));
      ws_->close(net::close_code::unauthenticated, "session ended or token expired");
      co_return;
    } catch (const std::exception& e) {
      log::warn("ws session check failed", {{"error", e.what()}});
    }
  }
}

}  // namespace parley::chat

namespace parley::chat {

SendInput send_input(const json::object& frame) {
  SendInput in;
  json::object fields;
  auto text = [&](std::string_view key) -> std::optional<std::string> {
    const auto* v = frame.if_contains(key);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_string()) {
      fields[key] = "must be a string";
      return std::nullopt;
    }
    return std::string(v->as_string());
  };
  in.client_id = text("client_id").value_or("");
  in.body = text("body");
  in.ciphertext = text("ciphertext");
  in.iv = text("iv");
  if (auto r = text("reply_to")) {
    if (auto id = parse_id(*r)) in.reply_to = MessageId{*id};
    else fields["reply_to"] = "must be a message id";
  }
  if (const auto* a = frame.if_contains("attachments"); a && !a->is_null()) {
    if (!a->is_array()) fields["attachments"] = "must be an array of file ids";
    else
      for (const auto& item : a->as_array()) {
        auto id = item.is_string() ? parse_id(item.as_string()) : std::nullopt;
        if (!id) {
          fields["attachments"] = "must be an array of file ids";
          break;
        }
        in.attachments.push_back(*id);
      }
  }
  if (const auto* v = frame.if_contains("view_once"); v && !v->is_null()) {
    if (!v->is_bool()) fields["view_once"] = "must be true or false";
    else in.view_once = v->as_bool();
  }
  if (!fields.empty()) throw ApiError(problems::validation(std::move(fields)));
  return in;
}

}  // namespace parley::chat
