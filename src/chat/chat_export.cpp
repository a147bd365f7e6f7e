// The chat sections of GET /v1/me/export: the rooms the user belongs to and the messages the user
// sent (tombstones included, content as stored). Run on the worker pool (auth/data_export.hpp).
#include "chat/chat_routes.hpp"
#include "chat/message_json.hpp"
#include "chat/message_rows.hpp"
#include "store/run_sync.hpp"

#include <boost/json.hpp>

namespace parley::chat {
namespace {

constexpr std::string_view kExportRooms =
    "SELECT r.id, r.kind, r.name, rm.role, rm.joined_at, rm.read_seq, rm.delivered_seq"
    " FROM room_members rm JOIN rooms r ON r.id = rm.room_id WHERE rm.user_id = $1 ORDER BY r.id";
constexpr std::string_view kExportMessages =
    "SELECT " PARLEY_CHAT_MESSAGE_COLUMNS " FROM messages m WHERE m.sender_id = $1 ORDER BY m.room_id, m.seq";

boost::json::value export_rooms(store::Database& db, std::int64_t user_id) {
  auto rows = store::run_sync(db.read("export.chat_rooms", kExportRooms, store::params(user_id)));
  boost::json::array items;
  for (const auto& r : rows) {
    auto name = r.opt_text(2);
    items.push_back(boost::json::object{{"id", std::to_string(r.int64(0))},
                                        {"kind", r.text(1)},
                                        {"name", name ? boost::json::value(*name) : boost::json::value(nullptr)},
                                        {"role", r.text(3)},
                                        {"joined_at", r.text(4)},
                                        {"read_seq", r.int64(5)},
                                        {"delivered_seq", r.int64(6)}});
  }
  return items;
}

boost::json::value export_messages(store::Database& db, std::int64_t user_id) {
  auto rows = store::run_sync(db.read("export.chat_messages", kExportMessages, store::params(user_id)));
  // The API's own message shape, as its sender sees it (view-once content included).
  std::string text = "[";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i) text.push_back(',');
    append_message(text, message_from_row(rows[i]), Audience{UserId{user_id}});
  }
  text.push_back(']');
  return boost::json::parse(text);
}

}  // namespace

void add_chat_exports(auth::AuthService& auth) {
  auth.exports().add("rooms", export_rooms);
  auth.exports().add("messages", export_messages);
}

}  // namespace parley::chat
