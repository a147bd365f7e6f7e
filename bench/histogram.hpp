#pragma once
// A small HDR-style log-linear latency histogram: values (nanoseconds) below 2^kLinearBits are
// counted exactly; above, each power of two is split into 2^(kLinearBits-1) equal buckets, so a
// reported value is within 1/128 (0.8 %) of the true one. One per thread, merged at the end.
#include <array>
#include <cstdint>
#include <vector>

namespace parley::bench {

class Histogram {
 public:
  static constexpr int kLinearBits = 8;                  // 256 exact values, then 128 per octave
  static constexpr int kMaxBits = 45;                    // up to 2^45 ns ≈ 9.8 hours
  static constexpr std::size_t kHalf = std::size_t{1} << (kLinearBits - 1);
  static constexpr std::size_t kBuckets = (std::size_t{1} << kLinearBits) + (kMaxBits - kLinearBits + 1) * kHalf;

  Histogram() : counts_(kBuckets, 0) {}

  void record(std::uint64_t value_ns);
  void merge(const Histogram& other);

  std::uint64_t count() const { return count_; }
  std::uint64_t min() const { return count_ ? min_ : 0; }
  std::uint64_t max() const { return max_; }
  double mean() const { return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0; }
  // The smallest recorded-bucket upper bound v such that at least q of the values are <= v
  // (q in [0,1]); never above max(). 0 when empty.
  std::uint64_t percentile(double q) const;

  static std::size_t bucket_of(std::uint64_t v);
  static std::uint64_t bucket_low(std::size_t index);
  static std::uint64_t bucket_high(std::size_t index);  // inclusive

 private:
  std::vector<std::uint64_t> counts_;
  std::uint64_t count_ = 0;
  std::uint64_t min_ = UINT64_MAX;
  std::uint64_t max_ = 0;
  unsigned __int128 sum_ = 0;
};

}  // namespace parley::bench
