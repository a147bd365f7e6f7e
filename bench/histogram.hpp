#pragma once
// A small HDR-style log-linear latency histogram: values (nanoseconds) below 2^kLinearBits are
// counted exactly; above, each power of two is split into 2^(kLinearBits-1) equal buckets, so a
// reported value is within 1/128 (0.8 %) of the true one. One per thread, merged at the end.
// Header-only, so unit tests use it without linking the bench.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

namespace parley::bench {

class Histogram {
 public:
  static constexpr int kLinearBits = 8;                  // 256 exact values, then 128 per octave
  static constexpr int kMaxBits = 45;                    // up to 2^45 ns ≈ 9.8 hours
  static constexpr std::size_t kHalf = std::size_t{1} << (kLinearBits - 1);
  static constexpr std::size_t kBuckets = (std::size_t{1} << kLinearBits) + (kMaxBits - kLinearBits) * kHalf;

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


inline std::size_t Histogram::bucket_of(std::uint64_t v) {
  constexpr std::uint64_t linear = std::uint64_t{1} << kLinearBits;
  if (v < linear) return static_cast<std::size_t>(v);
  const int width = std::bit_width(v);                   // > kLinearBits
  if (width > kMaxBits) return kBuckets - 1;             // clamp absurd values into the last bucket
  const int shift = width - kLinearBits;                 // >= 1
  const std::uint64_t mantissa = v >> shift;             // in [kHalf, 2*kHalf)
  return linear + static_cast<std::size_t>(shift - 1) * kHalf + static_cast<std::size_t>(mantissa - kHalf);
}

inline std::uint64_t Histogram::bucket_low(std::size_t index) {
  constexpr std::size_t linear = std::size_t{1} << kLinearBits;
  if (index < linear) return index;
  const std::size_t shift = (index - linear) / kHalf + 1;
  const std::uint64_t mantissa = (index - linear) % kHalf + kHalf;
  return mantissa << shift;
}

inline std::uint64_t Histogram::bucket_high(std::size_t index) {
  constexpr std::size_t linear = std::size_t{1} << kLinearBits;
  if (index < linear) return index;
  const std::size_t shift = (index - linear) / kHalf + 1;
  return bucket_low(index) + (std::uint64_t{1} << shift) - 1;
}

inline void Histogram::record(std::uint64_t v) {
  ++counts_[bucket_of(v)];
  ++count_;
  min_ = std::min(min_, v);
  max_ = std::max(max_, v);
  sum_ += v;
}

inline void Histogram::merge(const Histogram& other) {
  for (std::size_t i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  sum_ += other.sum_;
}

inline std::uint64_t Histogram::percentile(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_)));
  rank = std::max<std::uint64_t>(rank, 1);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::clamp(bucket_high(i), min_, max_);
  }
  return max_;
}

}  // namespace parley::bench
