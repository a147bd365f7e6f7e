#include "core/rate_limiter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <functional>

namespace parley {

std::optional<RateLimit> RateLimit::parse(std::string_view text) {
  if (text == "0" || text == "off") return RateLimit{};
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto count_text = text.substr(0, slash);
  auto window_text = text.substr(slash + 1);
  std::uint32_t count = 0;
  auto [p, ec] = std::from_chars(count_text.data(), count_text.data() + count_text.size(), count);
  if (ec != std::errc{} || p != count_text.data() + count_text.size() || count == 0 || count > 1'000'000)
    return std::nullopt;
  std::size_t i = 0;
  while (i < window_text.size() && window_text[i] >= '0' && window_text[i] <= '9') ++i;
  std::uint64_t n = 1;  // "5/m" = 5 per minute
  if (i > 0) {
    auto [q, ec2] = std::from_chars(window_text.data(), window_text.data() + i, n);
    if (ec2 != std::errc{} || q != window_text.data() + i || n == 0 || n > 1'000'000) return std::nullopt;
  }
  const auto unit = window_text.substr(i);
  std::uint64_t mul = 0;
  if (unit == "ms") mul = 1;
  else if (unit == "s") mul = 1000;
  else if (unit == "m") mul = 60'000;
  else if (unit == "h") mul = 3'600'000;
  else if (unit == "d") mul = 86'400'000;
  else return std::nullopt;
  const auto ms = n * mul;
  if (ms > 7ull * 86'400'000) return std::nullopt;  // a week at most
  return RateLimit{count, std::chrono::milliseconds(ms)};
}

std::string RateLimit::to_string() const {
  if (unlimited()) return "off";
  const auto ms = window.count();
  if (ms % 86'400'000 == 0) return fmt::format("{}/{}d", count, ms / 86'400'000);
  if (ms % 3'600'000 == 0) return fmt::format("{}/{}h", count, ms / 3'600'000);
  if (ms % 60'000 == 0) return fmt::format("{}/{}m", count, ms / 60'000);
  if (ms % 1000 == 0) return fmt::format("{}/{}s", count, ms / 1000);
  return fmt::format("{}/{}ms", count, ms);
}

RateLimiter::RateLimiter(RateLimit limit, std::size_t max_keys)
    : limit_(limit), max_per_shard_(std::max<std::size_t>(1, (max_keys + kShards - 1) / kShards)) {}

RateLimiter::Shard& RateLimiter::shard_for(std::string_view key) const {
  return shards_[std::hash<std::string_view>{}(key) % kShards];
}

void RateLimiter::prune(Entry& e, Clock::time_point now) const {
  const auto horizon = now - limit_.window;
  auto keep = std::find_if(e.hits.begin(), e.hits.end(), [&](auto t) { return t > horizon; });
  e.hits.erase(e.hits.begin(), keep);
}

RateLimiter::Decision RateLimiter::decide(const Entry* e, Clock::time_point now) const {
  Decision d;
  d.at = now;
  const std::size_t used = e ? e->hits.size() : 0;
  if (used < limit_.count) {
    d.remaining = static_cast<std::uint32_t>(limit_.count - used - 1);
    return d;
  }
  d.allowed = false;
  // The oldest hit in the window leaves it at oldest + window.
  const auto free_at = e->hits.front() + limit_.window;
  const auto wait = std::chrono::ceil<std::chrono::seconds>(free_at - now);
  d.retry_after = std::max(std::chrono::seconds(1), wait);
  return d;
}

void RateLimiter::make_room(Shard& s, Clock::time_point now) {
  if (s.entries.size() < max_per_shard_ && ++s.ops_since_sweep < 4096) return;
  s.ops_since_sweep = 0;
  const auto horizon = now - limit_.window;
  std::erase_if(s.entries, [&](const auto& kv) { return kv.second.hits.empty() || kv.second.hits.back() <= horizon; });
  if (s.entries.size() < max_per_shard_) return;
  // Still full of live keys: drop the one hit least recently.
  auto victim = std::min_element(s.entries.begin(), s.entries.end(),
                                 [](const auto& a, const auto& b) { return a.second.last < b.second.last; });
  if (victim != s.entries.end()) s.entries.erase(victim);
}

RateLimiter::Decision RateLimiter::hit(std::string_view key, Clock::time_point now) {
  if (limit_.unlimited()) return Decision{true, UINT32_MAX, std::chrono::seconds(0), now};
  auto& s = shard_for(key);
  std::lock_guard lock(s.mutex);
  auto it = s.entries.find(std::string(key));
  if (it != s.entries.end()) prune(it->second, now);
  auto d = decide(it == s.entries.end() ? nullptr : &it->second, now);
  if (!d.allowed) return d;
  if (it == s.entries.end()) {
    make_room(s, now);
    it = s.entries.emplace(std::string(key), Entry{}).first;
    it->second.hits.reserve(std::min<std::uint32_t>(limit_.count, 16));
  }
  auto& hits = it->second.hits;
  // Keep ascending order even if a caller passes times out of order.
  hits.insert(std::upper_bound(hits.begin(), hits.end(), now), now);
  it->second.last = now;
  return d;
}

RateLimiter::Decision RateLimiter::peek(std::string_view key, Clock::time_point now) const {
  if (limit_.unlimited()) return Decision{true, UINT32_MAX, std::chrono::seconds(0), now};
  auto& s = shard_for(key);
  std::lock_guard lock(s.mutex);
  auto it = s.entries.find(std::string(key));
  if (it == s.entries.end()) return decide(nullptr, now);
  Entry copy = it->second;
  prune(copy, now);
  return decide(&copy, now);
}

void RateLimiter::forgive(std::string_view key, Clock::time_point at) {
  if (limit_.unlimited()) return;
  auto& s = shard_for(key);
  std::lock_guard lock(s.mutex);
  auto it = s.entries.find(std::string(key));
  if (it == s.entries.end()) return;
  auto& hits = it->second.hits;
  if (auto pos = std::find(hits.begin(), hits.end(), at); pos != hits.end()) hits.erase(pos);
  if (hits.empty()) s.entries.erase(it);
}

void RateLimiter::reset(std::string_view key) {
  auto& s = shard_for(key);
  std::lock_guard lock(s.mutex);
  s.entries.erase(std::string(key));
}

std::size_t RateLimiter::size() const {
  std::size_t n = 0;
  for (auto& s : shards_) {
    std::lock_guard lock(s.mutex);
    n += s.entries.size();
  }
  return n;
}

}  // namespace parley
