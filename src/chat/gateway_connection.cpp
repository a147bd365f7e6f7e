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
#include <vector>

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
      recheck_(ws_->executor()),
      expiry_(ws_->executor()) {}

GatewayConnection::~GatewayConnection() = default;

asio::awaitable<void> GatewayConnection::run() {
  send(frames::ready(user_, principal_.session_id));
  deps_.hub.subscribe(thread_, user_.value, this);  // what concerns this user wherever they are
  arm_expiry();
  try {
    co_await deps_.presence.connected(user_);
  } catch (const std::exception& e) {
    log::warn("presence not announced", {{"error", e.what()}});
  }
  asio::co_spawn(ws_->executor(), [self = shared_from_this()] { return self->recheck_loop(); }, asio::detached);

  while (auto text = co_await ws_->read()) {
    if (ws_->closing()) continue;  // closing (rate limit, session ended): read until the close completes
    co_await handle(*text);
  }

  recheck_.cancel();
  expiry_.cancel();
  for (auto& [room, sub] : rooms_) deps_.hub.unsubscribe(thread_, room, this);
  rooms_.clear();
  replays_.clear();
  deps_.hub.unsubscribe(thread_, user_.value, this);
  try {
    co_await deps_.presence.disconnected(user_);
  } catch (const std::exception& e) {
    log::warn("presence not updated", {{"error", e.what()}});
  }
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
    co_await on_auth(frame);
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
  // Each room once: duplicates are merged, the lowest since wins (no since = from now, the highest).
  struct Want {
    std::int64_t room;
    std::optional<std::int64_t> since;
  };
  std::vector<Want> wants;
  std::unordered_map<std::int64_t, std::size_t> seen;
  for (const auto& item : list->as_array()) {
    std::optional<std::int64_t> room;
    frames::SeqMember since;
    if (item.is_object()) {
      room = frames::id_member(item.as_object(), "room");
      since = frames::seq_member(item.as_object(), "since");
    } else if (item.is_string()) {
      room = parse_id(item.as_string());
    }
    if (!room) {
      send(frames::error("malformed_frame", "each room is {room: id string, since?: seq >= 0}"));
      continue;
    }
    if (since.bad()) {
      send(frames::error("malformed_frame", "since must be a JSON integer from 0 to 2^63-1", std::to_string(*room),
                         RoomId{*room}));
      continue;
    }
    auto [at, fresh] = seen.try_emplace(*room, wants.size());
    if (fresh) {
      wants.push_back({*room, since.value});
    } else if (since.value) {
      auto& w = wants[at->second];
      w.since = w.since ? std::min(*w.since, *since.value) : *since.value;
    }
  }
  for (const auto& w : wants) {
    const RoomId room{w.room};
    if (auto it = rooms_.find(w.room); it != rooms_.end()) {
      // Already followed: no second replay. Answered with where it stands; one not yet announced
      // answers when its replay ends (a lower since still applies while it waits its turn).
      auto& sub = it->second;
      if (sub.announced) {
        send(frames::subscribed(room, sub.last, sub.since));
      } else if (sub.state == RoomSub::State::queued && w.since && (sub.from_now || *w.since < sub.since)) {
        sub.from_now = false;
        sub.since = sub.last = *w.since;
      }
      continue;
    }
    if (rooms_.size() >= deps_.limits.max_rooms) {
      send(frames::error("too_many_rooms",
                         "at most " + std::to_string(deps_.limits.max_rooms) + " subscriptions on one connection",
                         room.str(), room));
      continue;
    }
    auto& sub = rooms_[w.room];
    sub = RoomSub{.state = RoomSub::State::queued,
                  .from_now = !w.since,
                  .since = w.since.value_or(0),
                  .last = w.since.value_or(0),
                  .live_max = 0,
                  .announced = false,
                  .epoch = ++next_epoch_,
                  .last_typing = {}};
    queue_replay(w.room, sub.epoch);
  }
  co_return;
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

GatewayConnection::RoomSub* GatewayConnection::current(RoomId room, std::uint64_t epoch) {
  auto it = rooms_.find(room.value);
  if (it == rooms_.end() || it->second.epoch != epoch || ws_->closing()) return nullptr;
  return &it->second;
}

void GatewayConnection::queue_replay(std::int64_t room, std::uint64_t epoch) {
  // Entries of subscriptions that ended (sub, unsub, sub, ...) are skipped when their turn comes;
  // should they pile up behind a replay the client is slow to take, they are dropped here, so that
  // the queue stays within about one entry per subscription.
  if (replays_.size() >= 2 * deps_.limits.max_rooms + 16) {
    std::erase_if(replays_, [this](const std::pair<std::int64_t, std::uint64_t>& r) {
      auto it = rooms_.find(r.first);
      return it == rooms_.end() || it->second.epoch != r.second;
    });
  }
  replays_.emplace_back(room, epoch);
  if (!replaying_) {
    replaying_ = true;
    asio::co_spawn(ws_->executor(), [self = shared_from_this()] { return self->replay_loop(); }, asio::detached);
  }
}

// The connection's one replay worker: each queued subscription (or gap) in turn, until none is
// left; the next queue_replay starts it again.
asio::awaitable<void> GatewayConnection::replay_loop() {
  struct Done {
    bool& flag;
    ~Done() { flag = false; }
  } done{replaying_};
  while (!replays_.empty() && !ws_->closing()) {
    const auto [id, epoch] = replays_.front();
    replays_.erase(replays_.begin());
    const RoomId room{id};
    RoomSub* sub = current(room, epoch);
    if (!sub) continue;  // unsubscribed meanwhile
    if (sub->state == RoomSub::State::queued && !co_await start(room, epoch)) continue;
    co_await catch_up(room, epoch);
    if ((sub = current(room, epoch)) && !sub->announced) {
      sub->announced = true;
      send(frames::subscribed(room, sub->last, sub->since));
    }
  }
}

// A queued subscription's turn: the membership check, then on the hub. False when refused.
asio::awaitable<bool> GatewayConnection::start(RoomId room, std::uint64_t epoch) {
  const bool from_now = current(room, epoch)->from_now;
  std::int64_t newest = 0;
  try {
    if (from_now) {
      auto page = co_await deps_.chat.events_after(user_, room, 0, 1);
      newest = page.last_seq;
    } else {
      co_await deps_.chat.require_member(user_, room);
    }
  } catch (const ApiError& e) {
    if (current(room, epoch)) rooms_.erase(room.value);
    send(frames::error(e.problem(), room.str(), room));
    co_return false;
  }
  RoomSub* sub = current(room, epoch);
  if (!sub) co_return false;
  if (sub->from_now) sub->since = sub->last = newest;
  sub->state = RoomSub::State::replaying;
  // Register first, then replay: whatever is published from here on is either in the replay
  // or arrives live, and seq tells which.
  deps_.hub.subscribe(thread_, room.value, this);
  co_return true;
}

asio::awaitable<void> GatewayConnection::catch_up(RoomId room, std::uint64_t epoch) {
  for (;;) {
    RoomSub* sub = current(room, epoch);
    if (!sub) co_return;
    const std::int64_t since = sub->last;
    EventPage page;
    try {
      page = co_await deps_.chat.events_after(user_, room, since, deps_.limits.replay_page);
    } catch (const ApiError& e) {
      if (!current(room, epoch)) co_return;
      drop_room(room);
      send(frames::error(e.problem(), room.str(), room));
      co_return;
    }
    if (!(sub = current(room, epoch))) co_return;  // unsubscribed or subscribed anew meanwhile
    if (sub->last > page.last_seq) sub->last = page.last_seq;  // the client claims more than the store has
    for (auto& ev : page.events) {
      // Paced by the socket: the replay waits while the client has not taken half the queue.
      if (ws_->queued_bytes() > ws_->max_queue_bytes() / 2) co_await ws_->writable();
      if (!(sub = current(room, epoch))) co_return;
      if (ev.seq <= sub->last) continue;
      send(ev.frame);
      sub->last = ev.seq;
    }
    if (!(sub = current(room, epoch))) co_return;
    const bool more_stored = sub->last < page.last_seq;
    const bool missed_live = sub->live_max > sub->last;
    if (!more_stored && !missed_live) {
      sub->state = RoomSub::State::live;
      co_return;
    }
    if (page.events.empty() && more_stored) {
      // The store says there is more but gave nothing: never spin on it.
      log::error("replay made no progress", {{"room", room.value}, {"since", since}, {"last_seq", page.last_seq}});
      sub->state = RoomSub::State::live;
      co_return;
    }
  }
}

void GatewayConnection::deliver(const bus::Event& event) {
  if (ws_->closing()) return;
  if (event.topic == user_.value) {  // addressed to this user
    if (event.end_session) {
      if (event.end_session == bus::kAllSessions || event.end_session == principal_.session_id)
        end_session("session_ended", event.reason);
      return;
    }
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
  if (sub.state != RoomSub::State::live) {
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
  sub.state = RoomSub::State::replaying;
  sub.live_max = event.seq;
  queue_replay(event.topic, sub.epoch);
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
    send(failure(e, "the message was not stored; send it again", ref, room_id));
  }
  --pending_sends_;
}

asio::awaitable<void> GatewayConnection::on_marker(const json::object& frame, bool read) {
  const auto room = frames::id_member(frame, "room");
  const auto seq = frames::seq_member(frame, "seq");
  if (!room || !seq.value) {
    std::optional<std::string> ref;
    if (room) ref = std::to_string(*room);
    send(frames::error("malformed_frame", "read and delivered take {room: id string, seq: integer from 0 to 2^63-1}",
                       ref, room ? std::optional<RoomId>(RoomId{*room}) : std::nullopt));
    co_return;
  }
  try {
    if (read) co_await deps_.chat.mark_read(user_, RoomId{*room}, *seq.value);
    else co_await deps_.chat.mark_delivered(user_, RoomId{*room}, *seq.value);
  } catch (const ApiError& e) {
    send(frames::error(e.problem(), std::to_string(*room), RoomId{*room}));
  } catch (const std::exception& e) {
    send(failure(e, "the marker was not stored", std::to_string(*room), RoomId{*room}));
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

// A fresh access token of the same session (after a refresh) keeps the connection going, with a
// new expiry; anything else (invalid, expired, another user's or another session's) ends it.
asio::awaitable<bool> GatewayConnection::on_auth(const json::object& frame) {
  const auto token = frames::string_member(frame, "token");
  if (!token) {
    end_session("unauthenticated", "auth takes {token}");
    co_return false;
  }
  std::optional<auth::Principal> who;
  std::optional<Problem> refused;
  try {
    who = co_await deps_.auth.authenticate(*token);
  } catch (const ApiError& e) {
    refused = e.problem();
  }
  if (ws_->closing()) co_return false;
  if (refused) {
    send(frames::error(*refused, std::nullopt));
    ws_->close(net::close_code::unauthenticated, "invalid token");
    co_return false;
  }
  if (who->user_id != user_.value || who->session_id != principal_.session_id) {
    end_session("unauthenticated", "a token of another session");
    co_return false;
  }
  principal_ = std::move(*who);
  token_ = std::string(*token);
  arm_expiry();
  send(frames::authed(user_, principal_.session_id, principal_.expires_at));
  co_return true;
}

// At the access token's exp, unless a fresh token came: closed with 4401 "token expired".
void GatewayConnection::arm_expiry() {
  if (principal_.expires_at <= 0) return;
  const auto at = std::chrono::system_clock::time_point(std::chrono::seconds(principal_.expires_at));
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(at - std::chrono::system_clock::now());
  expiry_.expires_after(std::max(left, std::chrono::milliseconds(0)));
  expiry_.async_wait([weak = weak_from_this(), exp = principal_.expires_at](const boost::system::error_code& ec) {
    auto self = weak.lock();
    if (ec || !self || self->principal_.expires_at != exp) return;
    self->end_session("token_expired", "token expired");
  });
}

frames::Shared GatewayConnection::failure(const std::exception& e, std::string_view detail,
                                          std::optional<std::string_view> ref, std::optional<RoomId> room) {
  if (deps_.map_exception)
    if (auto p = deps_.map_exception(e)) return frames::error(*p, ref, room);  // logged where it happened
  log::error("ws frame failed", {{"error", e.what()}});
  return frames::error("internal", detail, ref, room);
}

// An error frame saying why, then the close frame 4401 behind it.
void GatewayConnection::end_session(std::string_view code, std::string_view reason) {
  if (ws_->closing()) return;
  send(frames::error(code, reason));
  ws_->close(net::close_code::unauthenticated, std::string(reason));
}

// Sessions ended elsewhere (a ban or a deletion by the CLI, in another process) are found here.
asio::awaitable<void> GatewayConnection::recheck_loop() {
  for (;;) {
    recheck_.expires_after(deps_.limits.recheck_session);
    auto [ec] = co_await recheck_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec || ws_->closing()) co_return;
    std::optional<Problem> refused;
    try {
      auto who = co_await deps_.auth.authenticate(token_);
      if (who.session_id == principal_.session_id) principal_.role = who.role;
    } catch (const ApiError& e) {
      refused = e.problem();
    } catch (const std::exception& e) {
      log::warn("ws session check failed", {{"error", e.what()}});
    }
    if (ws_->closing()) co_return;
    if (refused) {
      const bool expired = refused->code == "invalid_token";
      end_session(refused->code, expired ? "token expired" : "session ended");
      co_return;
    }
  }
}

bus::Event session_ended_event(std::int64_t user_id, std::int64_t session_id, std::string reason) {
  bus::Event e;
  e.topic = user_id;
  e.end_session = session_id;
  e.reason = std::move(reason);
  return e;
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
