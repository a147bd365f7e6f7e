#include "chat/presence.hpp"

#include "chat/contacts.hpp"
#include "core/json_text.hpp"
#include "core/log.hpp"

#include <boost/json.hpp>

namespace parley::chat {
namespace {

constexpr std::string_view kPrivacy = "SELECT last_seen_privacy FROM users WHERE id = $1";
constexpr std::string_view kAllRooms = "SELECT room_id FROM room_members WHERE user_id = $1";
// The direct rooms of $1 whose other member is a contact (both have written there).
constexpr std::string_view kContactRooms =
    "SELECT m.room_id FROM room_members m JOIN rooms r ON r.id = m.room_id"
    " JOIN room_members o ON o.room_id = m.room_id AND o.user_id != m.user_id"
    " WHERE m.user_id = $1 AND r.kind = 'direct'"
    " AND EXISTS (SELECT 1 FROM messages x WHERE x.sender_id = $1 AND x.room_id = r.id)"
    " AND EXISTS (SELECT 1 FROM messages y WHERE y.sender_id = o.user_id AND y.room_id = r.id)";
constexpr std::string_view kRoomMembers =
    "SELECT u.id, u.last_seen_privacy, u.last_seen_at FROM room_members m JOIN users u ON u.id = m.user_id "
    "WHERE m.room_id = $1";
// Whether two users are contacts (chat/contacts.hpp).
constexpr std::string_view kAreContacts = "SELECT 1 WHERE " PARLEY_CHAT_ARE_CONTACTS("$1", "$2");

}  // namespace

std::string presence_frame(UserId user, bool online, const std::string& last_seen) {
  boost::json::object o{{"t", "presence"}, {"user_id", user.str()}, {"online", online}};
  if (last_seen.empty()) o["last_seen"] = nullptr;
  else o["last_seen"] = last_seen;
  return parley::json_text(o);
}

bool Presence::online(UserId user) const {
  std::lock_guard lock(mutex_);
  return connections_.contains(user.value);
}

asio::awaitable<void> Presence::connected(UserId user) {
  bool first = false;
  {
    std::lock_guard lock(mutex_);
    first = ++connections_[user.value] == 1;
  }
  if (first) co_await announce(user, true, "");
}

asio::awaitable<void> Presence::disconnected(UserId user) {
  bool last = false;
  {
    std::lock_guard lock(mutex_);
    auto it = connections_.find(user.value);
    if (it == connections_.end()) co_return;
    if (--it->second == 0) {
      connections_.erase(it);
      last = true;
    }
  }
  if (!last) co_return;
  const std::string now = auth::now_text();
  co_await chat_.db().write("chat.last_seen", [&](store::Tx& tx) {
    tx.exec("UPDATE users SET last_seen_at = $1 WHERE id = $2", {now, user.value});
  });
  co_await announce(user, false, now);
}

asio::awaitable<void> Presence::announce(UserId user, bool online, const std::string& last_seen) {
  if (!bus_) co_return;
  auto privacy = co_await chat_.db().read("chat.presence_privacy", kPrivacy, user.value);
  if (privacy.empty()) co_return;
  const std::string setting(privacy[0].text(0));
  if (setting == "nobody") co_return;
  auto rooms = co_await chat_.db().read("chat.presence_rooms", setting == "everyone" ? kAllRooms : kContactRooms, user.value);
  if (rooms.empty()) co_return;
  auto frame = std::make_shared<const std::string>(presence_frame(user, online, last_seen));
  for (auto& r : rooms) bus_->publish_ephemeral(RoomId{r.int64(0)}, frame, user);
}

asio::awaitable<std::vector<PresenceInfo>> Presence::room(UserId viewer, RoomId room) {
  co_await chat_.require_member(viewer, room);
  auto rows = co_await chat_.db().read("chat.room_presence", kRoomMembers, room.value);
  std::vector<PresenceInfo> out;
  out.reserve(rows.size());
  for (auto& r : rows) {
    PresenceInfo p{UserId{r.int64(0)}, std::nullopt, std::nullopt};
    const std::string setting(r.text(1));
    bool visible = p.user == viewer || setting == "everyone";
    if (!visible && setting == "contacts") {
      auto contacts = co_await chat_.db().read("chat.are_contacts", kAreContacts, viewer.value, p.user.value);
      visible = !contacts.empty();
    }
    if (visible) {
      p.online = online(p.user);
      if (!*p.online && !r.is_null(2)) p.last_seen = std::string(r.text(2));
    }
    out.push_back(std::move(p));
  }
  co_return out;
}

}  // namespace parley::chat
