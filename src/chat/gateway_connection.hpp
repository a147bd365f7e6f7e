#pragma once
// One authenticated client of the gateway (GET /v1/ws), on its connection's I/O thread.
//
// Subscriptions resume without gap or duplicate: a room's subscription registers with the hub
// first, then replays the stored events after `since`; live events that arrive during the replay
// are not sent but remembered (their highest seq), and the replay repeats until it has reached
// them; from then on a live event is sent only when its seq is the next one, a stale one is
// dropped, and a gap (an event missed on the way) sends the subscription back to the store.
#include "bus/hub.hpp"
#include "chat/chat_service.hpp"
#include "chat/presence.hpp"
#include "net/ws_session.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

namespace parley::chat {

struct GatewayLimits {
  std::chrono::milliseconds auth_timeout{5000};
  double frames_per_second = 50;       // sustained client frames; a burst of twice that is allowed
  std::size_t max_rooms = 1000;        // subscriptions per connection
  std::size_t max_pending_sends = 64;  // sends awaiting durability per connection before reads pause
  int replay_page = 500;
  std::chrono::milliseconds typing_interval{1000};
  std::chrono::seconds recheck_session{60};  // revocation and token expiry apply within this
};

struct GatewayDeps {
  ChatService& chat;
  auth::AuthService& auth;
  bus::Hub& hub;
  Presence& presence;
  GatewayLimits limits;
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
    std::int64_t last = 0;      // the last seq sent
    std::int64_t live_max = 0;  // the highest live seq seen while replaying
    bool replaying = true;
    std::uint64_t epoch = 0;    // a new sub of the room ends the replays of the old one
    std::chrono::steady_clock::time_point last_typing{};
  };

  asio::awaitable<void> handle(const std::string& text);
  asio::awaitable<void> on_sub(const boost::json::object& frame);
  void on_unsub(const boost::json::object& frame);
  asio::awaitable<void> on_send(boost::json::object frame);
  asio::awaitable<void> on_marker(const boost::json::object& frame, bool read);
  asio::awaitable<void> on_typing(const boost::json::object& frame);
  asio::awaitable<bool> on_auth(const boost::json::object& frame);
  asio::awaitable<void> catch_up(RoomId room);
  asio::awaitable<void> recheck_loop();
  void drop_room(RoomId room);
  bool take_frame_token();
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
  double tokens_ = 0;
  std::chrono::steady_clock::time_point refill_at_;
  asio::steady_timer recheck_;
};

// The WS send frame's message fields as the service takes them (validated there).
SendInput send_input(const boost::json::object& frame);

}  // namespace parley::chat
