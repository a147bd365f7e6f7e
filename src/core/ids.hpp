#pragma once
// Ids: 64-bit, time-ordered (milliseconds since 2024-01-01 << 22 | node << 12 | sequence),
// travelling as decimal strings. Strong typedefs keep a RoomId from being passed as a UserId.
#include <atomic>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parley {

template <class Tag>
struct Id {
  std::int64_t value = 0;
  constexpr auto operator<=>(const Id&) const = default;
  std::string str() const { return std::to_string(value); }
  static std::optional<Id> parse(std::string_view text);
};

using UserId = Id<struct UserTag>;
using RoomId = Id<struct RoomTag>;
using MessageId = Id<struct MessageTag>;

// Parses a positive decimal 64-bit id; nullopt for anything else.
std::optional<std::int64_t> parse_id(std::string_view text);

template <class Tag>
std::optional<Id<Tag>> Id<Tag>::parse(std::string_view text) {
  if (auto v = parse_id(text)) return Id<Tag>{*v};
  return std::nullopt;
}

class IdGenerator {
 public:
  explicit IdGenerator(unsigned node = 0) : node_(node & 0x3ff) {}
  std::int64_t next();
  // The node bits (0-1023) of the ids made from now on: each node of a cluster has its own
  // (app/node_lease.hpp), so that two nodes never make the same id.
  void set_node(unsigned node) { node_.store(node & 0x3ff, std::memory_order_relaxed); }
  unsigned node() const { return node_.load(std::memory_order_relaxed); }

 private:
  std::atomic<unsigned> node_;
  std::atomic<std::uint64_t> state_{0};  // (ms << 12) | sequence
};

// Random identifiers (libsodium): 16 bytes as 32 lowercase hex characters.
std::string random_hex(std::size_t bytes = 16);

// X-Request-Id values we accept from clients: 1..128 of [A-Za-z0-9._:-].
bool valid_request_id(std::string_view id);

}  // namespace parley
