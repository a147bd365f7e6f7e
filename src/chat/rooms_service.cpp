// Rooms: direct and group rooms, join codes, members and roles.
#include "chat/chat_service.hpp"
#include "chat/contacts.hpp"
#include "chat/errors.hpp"
#include "chat/message_rows.hpp"
#include "chat/room_rows.hpp"
#include "chat/validation.hpp"

#include <algorithm>
#include <unordered_map>

namespace parley::chat {
namespace {

// SQL passed to co_await'ed calls lives in constants (GCC 12 mishandles literals there).
constexpr std::string_view kRoomForMember =
    "SELECT " PARLEY_CHAT_ROOM_COLUMNS
    " FROM room_members rm JOIN rooms r ON r.id = rm.room_id WHERE rm.room_id = $1 AND rm.user_id = $2";
constexpr std::string_view kRoomsPage =
    "SELECT " PARLEY_CHAT_ROOM_COLUMNS
    " FROM room_members rm JOIN rooms r ON r.id = rm.room_id"
    " WHERE rm.user_id = $1 AND COALESCE(r.last_message_id, r.id) < $2"
    " ORDER BY COALESCE(r.last_message_id, r.id) DESC LIMIT $3";
// The first members a room object shows (kRoomMembersShown): the reader ($2) is always among them,
// then the owner, the admins, and members by id; and how many there are in all.
#define PARLEY_CHAT_ROLE_RANK "CASE role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END"
constexpr std::string_view kMembersOf =
    "SELECT user_id, role, read_seq, delivered_seq FROM room_members WHERE room_id = $1"
    " ORDER BY user_id = $2 DESC, " PARLEY_CHAT_ROLE_RANK ", user_id LIMIT $3";
constexpr std::string_view kMemberCount = "SELECT count(*) FROM room_members WHERE room_id = $1";
constexpr std::string_view kMembersOfRooms =
    "SELECT room_id, user_id, role, read_seq, delivered_seq, n FROM ("
    "SELECT room_id, user_id, role, read_seq, delivered_seq, count(*) OVER (PARTITION BY room_id) AS n,"
    " row_number() OVER (PARTITION BY room_id ORDER BY user_id = $2 DESC, " PARLEY_CHAT_ROLE_RANK ", user_id) AS k"
    " FROM room_members WHERE room_id IN (SELECT value FROM json_each($1))) AS ranked"
    " WHERE k <= $3 ORDER BY room_id";
#undef PARLEY_CHAT_ROLE_RANK
// GET /v1/rooms/{id}/members: by user id, after the cursor's.
constexpr std::string_view kMembersPage =
    "SELECT user_id, role, read_seq, delivered_seq, joined_at FROM room_members"
    " WHERE room_id = $1 AND user_id > $2 ORDER BY user_id LIMIT $3";
constexpr std::string_view kMessageById = "SELECT " PARLEY_CHAT_MESSAGE_COLUMNS " FROM messages m WHERE m.id = $2";
constexpr std::string_view kMessagesByIds =
    "SELECT " PARLEY_CHAT_MESSAGE_COLUMNS " FROM messages m WHERE m.id IN (SELECT value FROM json_each($2))";

constexpr std::string_view kLiveUser = "SELECT 1 FROM users WHERE id = $1 AND deleted_at IS NULL";
// The users of the id list $1 that $2 may add to a group: live, and their group_add_privacy lets
// $2 (contacts: chat/contacts.hpp). Anyone else is refused as an unknown user would be.
#define PARLEY_CHAT_ADDABLE                                                                              \
  " AND u.deleted_at IS NULL AND (u.group_add_privacy = 'everyone' OR (u.group_add_privacy = 'contacts' AND " \
  PARLEY_CHAT_ARE_CONTACTS("$2", "u.id") "))"
constexpr std::string_view kAddableUsers =
    "SELECT u.id FROM users u WHERE u.id IN (SELECT value FROM json_each($1))" PARLEY_CHAT_ADDABLE;
constexpr std::string_view kAddableUser = "SELECT 1 FROM users u WHERE u.id = $1" PARLEY_CHAT_ADDABLE;
#undef PARLEY_CHAT_ADDABLE
constexpr std::string_view kInsertRoom =
    "INSERT INTO rooms (id, kind, name, code, direct_key, created_at, last_activity_at) VALUES ($1, $2, $3, $4, $5, $6, $6)";
constexpr std::string_view kInsertMember =
    "INSERT INTO room_members (room_id, user_id, role, read_seq, delivered_seq, joined_at) VALUES ($1, $2, $3, $4, $4, $5)"
    " ON CONFLICT DO NOTHING";
// The caller's membership and the room: role, kind, last_seq.
constexpr std::string_view kMyMembership =
    "SELECT rm.role, r.kind, r.last_seq FROM room_members rm JOIN rooms r ON r.id = rm.room_id"
    " WHERE rm.room_id = $1 AND rm.user_id = $2";
constexpr std::string_view kMemberRole = "SELECT role FROM room_members WHERE room_id = $1 AND user_id = $2";
// The longest-standing admin, else member, becomes the owner (the owner left).
constexpr std::string_view kPromoteSuccessor =
    "UPDATE room_members SET role = 'owner' WHERE room_id = $1 AND user_id = "
    "(SELECT user_id FROM room_members WHERE room_id = $1 ORDER BY role = 'admin' DESC, joined_at, user_id LIMIT 1)";

std::string new_join_code() { return random_hex(6); }

// The shown members in the order of the room object: owner, admins, members, each by id.
void sort_shown(std::vector<Member>& members) {
  auto rank = [](Role r) { return r == Role::owner ? 0 : r == Role::admin ? 1 : 2; };
  std::sort(members.begin(), members.end(), [&](const Member& a, const Member& b) {
    return std::pair(rank(a.role), a.user.value) < std::pair(rank(b.role), b.user.value);
  });
}


struct Membership {
  Role role;
  RoomKind kind;
  std::int64_t last_seq;
};

// Inside a write: the caller's membership (404 when not a member).
Membership my_membership(store::Tx& tx, RoomId room, UserId me) {
  auto rows = tx.exec(kMyMembership, {room.value, me.value});
  if (rows.empty()) throw room_not_found();
  return {parse_role(rows[0].text(0)).value_or(Role::member),
          rows[0].text(1) == "direct" ? RoomKind::direct : RoomKind::group, rows[0].int64(2)};
}

void require_group(const Membership& m, const char* what) {
  if (m.kind == RoomKind::direct) throw forbidden(std::string("direct rooms ") + what);
}

}  // namespace

ChatService::ChatService(store::Database& db, IdGenerator& ids, EventBus* bus) : db_(db), ids_(ids), bus_(bus) {}

asio::awaitable<std::optional<Room>> ChatService::load_room(UserId viewer, RoomId id) {
  auto rows = co_await db_.read("chat.room", kRoomForMember, id.value, viewer.value);
  if (rows.empty()) co_return std::nullopt;
  Room room = room_from_row(rows[0]);
  const auto last_id = last_message_id(rows[0]);
  const auto shown = static_cast<std::int64_t>(kRoomMembersShown);
  auto members = co_await db_.read("chat.room_members", kMembersOf, id.value, viewer.value, shown);
  for (const auto& r : members) room.members.push_back(member_from_row(r));
  sort_shown(room.members);
  auto count = co_await db_.read("chat.member_count", kMemberCount, id.value);
  room.member_count = count.empty() ? 0 : count[0].int64(0);
  if (last_id) {
    auto last = co_await db_.read("chat.message", kMessageById, viewer.value, *last_id);
    if (!last.empty()) room.last_message = message_from_row(last[0]);
  }
  co_return room;
}

asio::awaitable<Room> ChatService::room(UserId me, RoomId id) {
  auto room = co_await load_room(me, id);
  if (!room) throw room_not_found();
  co_return std::move(*room);
}

asio::awaitable<MemberPage> ChatService::members(UserId me, RoomId room, int limit,
                                                 std::optional<std::int64_t> after_user) {
  co_await require_member(me, room);
  limit = std::clamp(limit, 1, 100);
  const std::int64_t fetch = limit + 1;  // one more than asked: is there a next page?
  auto rows = co_await db_.read("chat.members_page", kMembersPage, room.value, after_user.value_or(0), fetch);
  MemberPage page;
  const bool more = rows.size() > static_cast<std::size_t>(limit);
  if (more) rows.pop_back();
  for (const auto& r : rows) {
    page.items.push_back(member_from_row(r));
    page.items.back().joined_at = std::string(r.text(4));
  }
  if (more) page.next = encode_member_cursor(page.items.back().user.value);
  co_return page;
}

asio::awaitable<RoomPage> ChatService::rooms(UserId me, int limit, std::optional<RoomCursor> cursor) {
  limit = std::clamp(limit, 1, 100);
  RoomCursor from = cursor.value_or(RoomCursor{std::numeric_limits<std::int64_t>::max()});
  const std::int64_t fetch = limit + 1;  // one more than asked: is there a next page?
  auto rows = co_await db_.read("chat.rooms", kRoomsPage, me.value, from.activity, fetch);
  RoomPage page;
  const bool more = rows.size() > static_cast<std::size_t>(limit);
  if (more) rows.pop_back();
  std::vector<std::int64_t> room_ids, message_ids;
  std::vector<std::optional<std::int64_t>> last_ids;
  for (auto& r : rows) {
    page.items.push_back(room_from_row(r));
    room_ids.push_back(page.items.back().id.value);
    last_ids.push_back(last_message_id(r));
    if (last_ids.back()) message_ids.push_back(*last_ids.back());
  }
  if (page.items.empty()) co_return page;
  // Members and last messages of the whole page: two reads, not two per room.
  std::unordered_map<std::int64_t, std::size_t> index;
  for (std::size_t i = 0; i < room_ids.size(); ++i) index.emplace(room_ids[i], i);
  const auto shown = static_cast<std::int64_t>(kRoomMembersShown);
  auto members = co_await db_.read("chat.rooms_members", kMembersOfRooms, store::id_list(room_ids), me.value, shown);
  for (const auto& r : members) {
    Room& room = page.items[index.at(r.int64(0))];
    room.members.push_back(member_from_row(r, 1));
    room.member_count = r.int64(5);
  }
  for (auto& room : page.items) sort_shown(room.members);
  if (!message_ids.empty()) {
    auto last = co_await db_.read("chat.rooms_last_messages", kMessagesByIds, me.value, store::id_list(message_ids));
    for (auto& r : last) {
      Message m = message_from_row(r);
      page.items[index.at(m.room.value)].last_message = std::move(m);
    }
  }
  if (more) page.next = encode_room_cursor({last_ids.back().value_or(page.items.back().id.value)});
  co_return page;
}

asio::awaitable<std::pair<Room, bool>> ChatService::open_direct(UserId me, UserId other) {
  if (other == me) throw invalid_field("member", "cannot open a direct room with yourself");
  const std::string key = std::to_string(std::min(me.value, other.value)) + ":" + std::to_string(std::max(me.value, other.value));
  const std::int64_t new_id = ids_.next();
  const std::string now = auth::now_text();
  const auto [id, created] = co_await db_.write("chat.open_direct", [&](store::Tx& tx) -> std::pair<std::int64_t, bool> {
    if (tx.exec(kLiveUser, {other.value}).empty()) throw invalid_field("member", "no such user");
    auto existing = tx.exec("SELECT id FROM rooms WHERE direct_key = $1", {key});
    if (!existing.empty()) return {existing[0].int64(0), false};
    tx.exec(kInsertRoom, {new_id, "direct", std::monostate{}, std::monostate{}, key, now});
    tx.exec(kInsertMember, {new_id, me.value, "member", std::int64_t{0}, now});
    tx.exec(kInsertMember, {new_id, other.value, "member", std::int64_t{0}, now});
    if (bus_)
      tx.after_commit([bus = bus_, room = RoomId{new_id}, me, other] {
        bus->member_added(room, other, me);
        bus->member_added(room, me, me);  // the opener's other devices
      });
    return {new_id, true};
  });
  const RoomId rid{id};
  Room result = co_await room(me, rid);
  co_return std::make_pair(std::move(result), created);
}

asio::awaitable<Room> ChatService::create_group(UserId me, std::string name, std::vector<UserId> members) {
  if (auto p = room_name_problem(name); !p.empty()) throw invalid_field("name", p);
  name = normalize_room_name(name);
  std::vector<std::int64_t> others;
  for (const auto& u : members)
    if (u != me && std::find(others.begin(), others.end(), u.value) == others.end()) others.push_back(u.value);
  if (others.size() > kMaxInitialMembers) throw invalid_field("members", "at most 100");
  const std::int64_t id = ids_.next();
  const std::string now = auth::now_text();
  const std::string code = new_join_code();
  co_await db_.write("chat.create_group", [&](store::Tx& tx) {
    if (!others.empty()) {
      auto live = tx.exec(kAddableUsers, {store::id_list(others), me.value});
      if (live.size() != others.size()) {
        for (auto u : others)
          if (std::none_of(live.begin(), live.end(), [u](const store::Row& r) { return r.int64(0) == u; }))
            throw invalid_field("members", "no such user: " + std::to_string(u));
      }
    }
    tx.exec(kInsertRoom, {id, "group", name, code, std::monostate{}, now});
    tx.exec(kInsertMember, {id, me.value, "owner", std::int64_t{0}, now});
    for (auto u : others) tx.exec(kInsertMember, {id, u, "member", std::int64_t{0}, now});
    if (bus_)
      tx.after_commit([bus = bus_, room = RoomId{id}, me, others] {
        bus->member_added(room, me, me);
        for (auto u : others) bus->member_added(room, UserId{u}, me);
      });
  });
  const RoomId rid{id};
  co_return co_await room(me, rid);
}

asio::awaitable<Room> ChatService::join(UserId me, std::string code) {
  if (code.empty() || code.size() > 64) throw invalid_field("code", "required");
  const std::string now = auth::now_text();
  const std::int64_t id = co_await db_.write("chat.join", [&](store::Tx& tx) {
    auto rows = tx.exec("SELECT id, last_seq FROM rooms WHERE code = $1", {code});
    if (rows.empty()) throw ApiError(problems::not_found("no room has this code"));
    // A newcomer starts with everything before it read.
    tx.exec(kInsertMember, {rows[0].int64(0), me.value, "member", rows[0].int64(1), now});
    if (bus_ && tx.changes() == 1)
      tx.after_commit([bus = bus_, room = RoomId{rows[0].int64(0)}, me] { bus->member_added(room, me, me); });
    return rows[0].int64(0);
  });
  const RoomId rid{id};
  co_return co_await room(me, rid);
}

asio::awaitable<void> ChatService::add_member(UserId me, RoomId room, UserId user) {
  const std::string now = auth::now_text();
  co_await db_.write("chat.add_member", [&](store::Tx& tx) {
    const auto mine = my_membership(tx, room, me);
    require_group(mine, "have exactly their two members");
    if (!can_manage(mine.role)) throw forbidden("only the room's owner or admins add members");
    if (!tx.exec(kMemberRole, {room.value, user.value}).empty()) return;  // already in: nothing changes
    if (tx.exec(kAddableUser, {user.value, me.value}).empty()) throw invalid_field("user_id", "no such user");
    tx.exec(kInsertMember, {room.value, user.value, "member", mine.last_seq, now});
    if (bus_ && tx.changes() == 1)
      tx.after_commit([bus = bus_, room, user, me] { bus->member_added(room, user, me); });
  });
}

asio::awaitable<void> ChatService::remove_member(UserId me, RoomId room, UserId user) {
  co_await db_.write("chat.remove_member", [&](store::Tx& tx) {
    const auto mine = my_membership(tx, room, me);
    auto target = tx.exec(kMemberRole, {room.value, user.value});
    if (target.empty()) throw member_not_found();
    require_group(mine, "have exactly their two members");
    const Role role = parse_role(target[0].text(0)).value_or(Role::member);
    if (user != me) {
      const bool allowed = mine.role == Role::owner || (mine.role == Role::admin && role == Role::member);
      if (!allowed) throw forbidden("owners remove anyone, admins remove members, members only themselves");
    }
    tx.exec("DELETE FROM room_members WHERE room_id = $1 AND user_id = $2", {room.value, user.value});
    if (role == Role::owner) tx.exec(kPromoteSuccessor, {room.value});
    if (bus_) tx.after_commit([bus = bus_, room, user] { bus->member_removed(room, user); });
  });
}

asio::awaitable<void> ChatService::set_role(UserId me, RoomId room, UserId user, Role role) {
  if (role == Role::owner) throw invalid_field("role", "must be admin or member");
  co_await db_.write("chat.set_role", [&](store::Tx& tx) {
    const auto mine = my_membership(tx, room, me);
    require_group(mine, "have no roles to change");
    if (mine.role != Role::owner) throw forbidden("only the room's owner changes roles");
    if (tx.exec(kMemberRole, {room.value, user.value}).empty()) throw member_not_found();
    if (user == me) throw invalid_field("role", "the owner's own role cannot change");
    tx.exec("UPDATE room_members SET role = $3 WHERE room_id = $1 AND user_id = $2",
            {room.value, user.value, std::string(to_string(role))});
  });
}

asio::awaitable<Room> ChatService::new_code(UserId me, RoomId room_id) {
  const std::string code = new_join_code();
  co_await db_.write("chat.new_code", [&](store::Tx& tx) {
    const auto mine = my_membership(tx, room_id, me);
    require_group(mine, "have no join code");
    if (!can_manage(mine.role)) throw forbidden("only the room's owner or admins change the join code");
    tx.exec("UPDATE rooms SET code = $2 WHERE id = $1", {room_id.value, code});
  });
  co_return co_await room(me, room_id);
}

}  // namespace parley::chat
