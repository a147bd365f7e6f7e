#pragma once
// The monotonic clock every measurement uses, and the window a run measures.
#include <chrono>
#include <cstdint>

namespace parley::bench {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;

inline std::uint64_t elapsed_ns(TimePoint from, TimePoint to) {
  return to > from ? static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(to - from).count())
                   : 0;
}

// Load starts at `start`; only what is scheduled at or after `measure_start` and finished by
// `end` is counted.
struct Window {
  TimePoint start;
  TimePoint measure_start;
  TimePoint end;
  bool counts(TimePoint scheduled, TimePoint done) const { return scheduled >= measure_start && done <= end; }
  double seconds() const { return std::chrono::duration<double>(end - measure_start).count(); }
};

}  // namespace parley::bench
