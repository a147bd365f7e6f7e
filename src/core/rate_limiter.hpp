#pragma once
// A generic in-memory rate limiter: at most `limit.count` hits per key within any sliding window of
// `limit.window` (an exact sliding log: a key keeps the times of its last `count` hits). Thread-safe
// (sharded mutexes); memory is bounded by `max_keys`: keys whose hits have all expired are swept,
// and when a shard is still full the least recently hit key is dropped.
// For one node. Many nodes share limits through Redis (a later issue), behind the same interface.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace parley {

struct RateLimit {
  std::uint32_t count = 0;                 // 0 = unlimited
  std::chrono::milliseconds window{0};

  // "5/15m", "50/15m", "20/1h", "100/10s", "0" or "off" (unlimited). Units ms, s, m, h.
  static std::optional<RateLimit> parse(std::string_view text);
  std::string to_string() const;  // in the form parse() reads
  bool unlimited() const { return count == 0; }
  bool operator==(const RateLimit&) const = default;
};

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  struct Decision {
    bool allowed = true;
    std::uint32_t remaining = 0;           // hits left in the window after this one
    std::chrono::seconds retry_after{0};   // when denied: wait this long (rounded up, >= 1)
    Clock::time_point at{};                // the hit's time, for forgive()
  };

  explicit RateLimiter(RateLimit limit, std::size_t max_keys = 100'000);

  // Counts one hit for `key` when the window has room; a denied hit is not counted.
  Decision hit(std::string_view key, Clock::time_point now = Clock::now());
  // What hit() would answer, without counting.
  Decision peek(std::string_view key, Clock::time_point now = Clock::now()) const;
  // Takes back a hit that hit() counted at `at` (e.g. a login that turned out to succeed).
  void forgive(std::string_view key, Clock::time_point at);
  // Forgets the key altogether.
  void reset(std::string_view key);

  // Keys currently held (after lazy sweeping; for tests and metrics).
  std::size_t size() const;
  const RateLimit& limit() const { return limit_; }

 private:
  struct Entry {
    std::vector<Clock::time_point> hits;  // ascending; at most limit_.count
    Clock::time_point last{};
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, Entry> entries;
    std::size_t ops_since_sweep = 0;
  };
  static constexpr std::size_t kShards = 16;

  Shard& shard_for(std::string_view key) const;
  void prune(Entry& e, Clock::time_point now) const;
  Decision decide(const Entry* e, Clock::time_point now) const;
  void make_room(Shard& s, Clock::time_point now);

  RateLimit limit_;
  std::size_t max_per_shard_;
  mutable Shard shards_[kShards];
};

}  // namespace parley
