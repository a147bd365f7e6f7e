#pragma once
// One authenticated client of the gateway (GET /v1/ws), on its connection's I/O thread.
//
// Subscriptions resume without gap or duplicate: a room's subscription registers with the hub
// first, then replays the stored events after `since`; live events that arrive during the replay
// are not sent but remembered (their highest seq), and the replay repeats until it has reached
// them; from then on a live event is sent only when its seq is the next one, a stale one is
// dropped, and a gap (an event missed on the way) sends the subscription back to the store.
//
// Replays are queued and run one at a time per connection, paced by the socket (each waits for
// the outbound queue to drain below half its bound): what a connection asks for is sent as fast
// as its client takes it, never all at once. A room appears once per connection: a `sub` naming
// a room twice is merged (the lowest since), and a room already followed is not replayed again.
//
// The connection lives as long as its session: a session that ends (sign-out, revocation,
// refresh reuse, password reset, account deletion, announced on the user's hub topic) closes it
// at once with 4401, as does the access token's expiry unless a fresh token of the same session
// came in `{"op":"auth"}` before; bans from other processes are found by a periodic re-check.
#include "bus/hub.hpp"
#include "chat/chat_service.hpp"
#include "chat/gateway_frames.hpp"
#include "chat/presence.hpp"
#include "net/router.hpp"
#include "net/ws_session.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <vector>
#include <memory>
#include <string>
#include <unordered_map>

namespace parley::chat {

struct GatewayLimits {
  std::chrono::milliseconds auth_timeout{5000};
  double frames_per_second = 50;       // sustained client frames (every frame, net::WsSession counts)
  std::chrono::milliseconds fragment_timeout{10'000};  // a fragmented message must complete within
  std::size_t max_rooms = 1000;        // subscriptions per connection (queued, replaying or live)
  std::size_t max_pending_sends = 64;  // sends awaiting durability per connection before reads pause
  int replay_page = 500;
  std::chrono::milliseconds typing_interval{1000};
  // Sessions ended by another process (`parley user ban`) apply within this.
  std::chrono::milliseconds recheck_session{60'000};
};

struct GatewayDeps {
  ChatService& chat;
  auth::AuthService& auth;
  bus::Hub& hub;
  Presence& presence;
  GatewayLimits limits;
  // The problem an unexpected failure stands for (a full disk is storage_full): the same mapping
  // the REST routes use (net::Router::map_exceptions); unset or nullopt = internal.
  net::ExceptionMapper map_exception = {};
};

class GatewayConnection final : public bus::Subscriber, public std::enable_shared_from_this<GatewayConnection> {
 public:
  GatewayConnection(GatewayDeps& deps, std::shared_ptr<net::WsSession> ws, asio::io_context& thread,
                    auth::Principal who, std::string token);
  ~GatewayConnection() override;

  // Serves until the socket closes.
  asio::awaitable<void> run();

  void deliver(const bus::Event& event) override;
  std::int64_t tag() const override { return user_.value; }

 private:
  struct RoomSub {
    enum class State {
      queued,    // waiting for its turn: membership not checked yet, not on the hub
      replaying, // on the hub, catching up from the store (first replay or after a gap)
      live,
    };
    State state = State::queued;
    bool from_now = false;      // no since: from the room's newest event
    std::int64_t since = 0;     // where this subscription started
    std::int64_t last = 0;      // the last seq sent
    std::int64_t live_max = 0;  // the highest live seq seen while replaying
    bool announced = false;     // `subscribed` was sent
    std::uint64_t epoch = 0;    // a new sub of the room (after an unsub) ends the work of the old one
    std::chrono::steady_clock::time_point last_typing{};
  };

  asio::awaitable<void> handle(const std::string& text);
  asio::awaitable<void> on_sub(const boost::json::object& frame);
  void on_unsub(const boost::json::object& frame);
  asio::awaitable<void> on_send(boost::json::object frame);
  asio::awaitable<void> on_marker(const boost::json::object& frame, bool read);
  asio::awaitable<void> on_typing(const boost::json::object& frame);
  asio::awaitable<bool> on_auth(const boost::json::object& frame);
  asio::awaitable<void> replay_loop();
  asio::awaitable<bool> start(RoomId room, std::uint64_t epoch);
  asio::awaitable<void> catch_up(RoomId room, std::uint64_t epoch);
  RoomSub* current(RoomId room, std::uint64_t epoch);
  void queue_replay(std::int64_t room, std::uint64_t epoch);
  asio::awaitable<void> recheck_loop();
  void arm_expiry();
  void end_session(std::string_view code, std::string_view reason);
  // The error frame for an unexpected failure: its mapped problem, else `internal` (logged here).
  frames::Shared failure(const std::exception& e, std::string_view detail, std::optional<std::string_view> ref,
                         std::optional<RoomId> room);
  void drop_room(RoomId room);
  void send(std::shared_ptr<const std::string> frame) { ws_->send(std::move(frame)); }

  GatewayDeps& deps_;
  std::shared_ptr<net::WsSession> ws_;
  asio::io_context& thread_;
  UserId user_;
  auth::Principal principal_;
  std::string token_;
  std::unordered_map<std::int64_t, RoomSub> rooms_;
  std::uint64_t next_epoch_ = 0;
  std::size_t pending_sends_ = 0;
  // (room, epoch) awaiting their replay, one at a time; the worker runs only while there are some
  // (an idle connection holds no replay coroutine, and an empty vector no memory).
  std::vector<std::pair<std::int64_t, std::uint64_t>> replays_;
  bool replaying_ = false;
  asio::steady_timer recheck_;
  asio::steady_timer expiry_;
};

// The hub event that ends a user's session on every connection of it (session_id
// bus::kAllSessions: all of the user's sessions), with the reason the socket is closed with.
bus::Event session_ended_event(std::int64_t user_id, std::int64_t session_id, std::string reason);

// The WS send frame's message fields as the service takes them (validated there).
SendInput send_input(const boost::json::object& frame);

}  // namespace parley::chat
