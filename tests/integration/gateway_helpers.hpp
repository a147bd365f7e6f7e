#pragma once
// A gateway client for the chat tests: authenticates with the first frame, keeps every frame it
// reads, and lets a test wait for a frame type while the others stay queued in order.
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "chat_helpers.hpp"
#include "ws_client.hpp"

namespace parley::it::chat {

class GatewayClient {
 public:
  // Connects and authenticates with {"op":"auth"}; waits for "ready".
  GatewayClient(std::uint16_t port, const User& user, std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // {"op":"sub"} for one room; returns once "subscribed" arrived (replayed frames stay queued).
  void subscribe(const std::string& room, std::int64_t since);
  void send_message(const std::string& room, const std::string& client_id, const std::string& body);

  // The next not yet taken frame with "t" == type, reading more as needed (throws on timeout).
  boost::json::object next(const std::string& type);
  // The next frame not yet taken, whatever its type; nullopt on close, error or timeout.
  std::optional<boost::json::object> next_frame(std::chrono::milliseconds timeout);
  // Frames with "t" == type received so far (taken or not).
  int count(const std::string& type) const;
  // The seq of each "msg"/"edit"/"delete" frame of `room`, in arrival order, until one has
  // seq >= last or `timeout` passes.
  std::vector<std::int64_t> collect_seqs(const std::string& room, std::int64_t last, std::chrono::milliseconds timeout);

  WsClient ws;

 private:
  boost::json::object read_one();
  std::deque<boost::json::object> queued_;
  std::vector<std::string> types_;
};

}  // namespace parley::it::chat
