#include "chat/message_rows.hpp"

namespace parley::chat {
namespace {

std::optional<std::string> take_text(store::Row& row, std::size_t i) {
  auto& v = row.values().at(i);
  if (auto* s = std::get_if<std::string>(&v)) return std::move(*s);
  return std::nullopt;
}

}  // namespace

Message message_from_row(store::Row& row, std::size_t c) {
  Message m;
  m.id = MessageId{row.int64(c + 0)};
  m.room = RoomId{row.int64(c + 1)};
  m.seq = row.int64(c + 2);
  if (auto s = row.opt_int64(c + 3)) m.sender = UserId{*s};
  m.client_id = take_text(row, c + 4).value_or("");
  m.body = take_text(row, c + 5);
  m.ciphertext = take_text(row, c + 6);
  m.iv = take_text(row, c + 7);
  if (auto r = row.opt_int64(c + 8)) m.reply_to = MessageId{*r};
  m.attachments_json = take_text(row, c + 9).value_or("");
  m.view_once = row.int64(c + 10) != 0;
  m.created_at = take_text(row, c + 11).value_or("");
  m.edited_at = take_text(row, c + 12);
  m.deleted = row.int64(c + 13) != 0;
  m.viewed = row.int64(c + 14) != 0;
  return m;
}

}  // namespace parley::chat
