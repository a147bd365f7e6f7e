#pragma once
// What the cluster bus asks of the store (bus::ClusterBus's fetch and heads): a room's stored
// events by seq range as the complete shared frames live delivery carries (no viewer), and the
// last seq of many rooms at once. A user's id is no room: heads leaves it out.
#include "bus/cluster_bus.hpp"
#include "store/database.hpp"

namespace parley::chat {

// At most this many events per fetch (the bus asks again from where it got to).
inline constexpr std::int64_t kClusterFetchPage = 500;

boost::asio::awaitable<std::vector<bus::Event>> stored_events(store::Database& db, std::int64_t room, std::int64_t after,
                                                        std::int64_t up_to);
boost::asio::awaitable<std::unordered_map<std::int64_t, std::int64_t>> last_seqs(store::Database& db,
                                                                           std::vector<std::int64_t> rooms);

bus::ClusterBus::Fetch cluster_fetch(store::Database& db);
bus::ClusterBus::Heads cluster_heads(store::Database& db);

}  // namespace parley::chat
