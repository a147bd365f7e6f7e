#include "core/ids.hpp"

#include "core/clock.hpp"

#include <sodium.h>

#include <charconv>

namespace parley {
namespace {
[[maybe_unused]] const int sodium_ready = sodium_init();
constexpr std::int64_t kEpochMs = 1704067200000;  // 2024-01-01T00:00:00Z
}

std::optional<std::int64_t> parse_id(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || ptr != text.data() + text.size() || v <= 0) return std::nullopt;
  return v;
}

std::int64_t IdGenerator::next() {
  const auto ms = static_cast<std::uint64_t>(clock::unix_ms(clock::now()) - kEpochMs);
  std::uint64_t cur = state_.load(std::memory_order_relaxed);
  for (;;) {
    const std::uint64_t cur_ms = cur >> 12;
    std::uint64_t next = ms > cur_ms ? (ms << 12) : cur + 1;  // same or earlier ms: bump sequence
    if (state_.compare_exchange_weak(cur, next, std::memory_order_relaxed)) {
      const std::uint64_t t = next >> 12, seq = next & 0xfff;
      return static_cast<std::int64_t>((t << 22) | (std::uint64_t{node_.load(std::memory_order_relaxed)} << 12) | seq);
    }
  }
}

std::string random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string out(bytes * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  out.pop_back();
  return out;
}

bool valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace parley
