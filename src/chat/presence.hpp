#pragma once
// Presence: who is connected, and when each user was last seen. A user is online while at least
// one of their WebSockets is open; the first connection publishes {"t":"presence","online":true}
// and the last one's close stores last_seen_at and publishes online:false with it. Who hears it
// follows the user's last_seen_privacy: everyone → the members of all their rooms; contacts →
// the other member of each direct room where both have written (chat/contacts.hpp: the contacts
// we know of until contact lists exist); nobody → no one, and queries show neither online nor
// last seen.
// Counts are per node; with Redis (scaling out) they move there.
#include "chat/chat_service.hpp"

#include <boost/asio/awaitable.hpp>

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace parley::chat {

struct PresenceInfo {
  UserId user;
  std::optional<bool> online;            // nullopt: hidden by the user's privacy setting
  std::optional<std::string> last_seen;  // RFC 3339; nullopt when hidden, online or never seen
};

class Presence {
 public:
  Presence(ChatService& chat, EventBus* bus) : chat_(chat), bus_(bus) {}

  asio::awaitable<void> connected(UserId user);
  asio::awaitable<void> disconnected(UserId user);
  bool online(UserId user) const;
  // The members of a room as `viewer` may see them (404 when viewer is not a member).
  asio::awaitable<std::vector<PresenceInfo>> room(UserId viewer, RoomId room);

 private:
  asio::awaitable<void> announce(UserId user, bool online, const std::string& last_seen);

  ChatService& chat_;
  EventBus* bus_;
  mutable std::mutex mutex_;
  std::unordered_map<std::int64_t, int> connections_;
};

std::string presence_frame(UserId user, bool online, const std::string& last_seen);

}  // namespace parley::chat
