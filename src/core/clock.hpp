#pragma once
#include <chrono>
#include <cstdint>
#include <string>

namespace parley::clock {

using TimePoint = std::chrono::system_clock::time_point;

inline TimePoint now() { return std::chrono::system_clock::now(); }
inline std::int64_t unix_ms(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
// RFC 3339 UTC with milliseconds: 2026-11-22T10:00:00.123Z
std::string format_rfc3339(TimePoint t);
inline std::string format_rfc3339_ms(std::int64_t ms) {
  return format_rfc3339(TimePoint(std::chrono::milliseconds(ms)));
}

}  // namespace parley::clock
