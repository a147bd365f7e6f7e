#include "chat/cluster_feed.hpp"

#include "chat/message_json.hpp"
#include "chat/message_rows.hpp"

#include <algorithm>

namespace parley::chat {
namespace {

// $1 is the viewer for the column list: 0, nobody (a shared frame shows no view-once content).
constexpr std::string_view kEvents =
    "SELECT e.seq, e.kind, " PARLEY_CHAT_MESSAGE_COLUMNS
    " FROM room_events e JOIN messages m ON m.id = e.message_id"
    " WHERE e.room_id = $2 AND e.seq > $3 AND e.seq <= $4 ORDER BY e.seq";

// IN lists of a few fixed lengths (padded with a repeated id), so the store sees few statements.
constexpr std::size_t kHeadBatches[] = {1, 8, 64, 512};

std::string heads_sql(std::size_t n) {
  std::string sql = "SELECT id, last_seq FROM rooms WHERE id IN (";
  for (std::size_t i = 0; i < n; ++i) {
    if (i) sql += ", ";
    sql += "$" + std::to_string(i + 1);
  }
  sql += ")";
  return sql;
}

}  // namespace

boost::asio::awaitable<std::vector<bus::Event>> stored_events(store::Database& db, std::int64_t room, std::int64_t after,
                                                        std::int64_t up_to) {
  std::vector<bus::Event> out;
  if (up_to <= after) co_return out;
  up_to = std::min(up_to, after + kClusterFetchPage);
  std::vector<store::Value> params{store::Value(std::int64_t{0}), store::Value(room), store::Value(after),
                                   store::Value(up_to)};
  auto rows = co_await db.read("chat.cluster_events", kEvents, std::move(params));
  out.reserve(rows.size());
  const Audience nobody{};
  for (auto& r : rows) {
    const std::int64_t seq = r.int64(0);
    const std::string kind(r.text(1));
    Message m = message_from_row(r, 2);
    out.push_back(bus::Event{room, seq, std::make_shared<const std::string>(event_frame(kind, seq, m, nobody))});
  }
  co_return out;
}

boost::asio::awaitable<std::unordered_map<std::int64_t, std::int64_t>> last_seqs(store::Database& db,
                                                                           std::vector<std::int64_t> rooms) {
  std::unordered_map<std::int64_t, std::int64_t> out;
  std::size_t at = 0;
  while (at < rooms.size()) {
    const std::size_t left = rooms.size() - at;
    std::size_t n = kHeadBatches[std::size(kHeadBatches) - 1];
    for (std::size_t b : kHeadBatches)
      if (b >= left) {
        n = b;
        break;
      }
    const std::size_t take = std::min(n, left);
    std::vector<store::Value> params;
    params.reserve(n);
    for (std::size_t i = 0; i < n; ++i) params.emplace_back(rooms[at + std::min(i, take - 1)]);
    auto rows = co_await db.read("chat.cluster_heads", heads_sql(n), std::move(params));
    for (auto& r : rows) out[r.int64(0)] = r.int64(1);
    at += take;
  }
  co_return out;
}

bus::ClusterBus::Fetch cluster_fetch(store::Database& db) {
  return [&db](std::int64_t room, std::int64_t after, std::int64_t up_to) { return stored_events(db, room, after, up_to); };
}

bus::ClusterBus::Heads cluster_heads(store::Database& db) {
  return [&db](std::vector<std::int64_t> rooms) { return last_seqs(db, std::move(rooms)); };
}

}  // namespace parley::chat
