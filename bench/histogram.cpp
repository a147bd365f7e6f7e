#include "histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace parley::bench {

std::size_t Histogram::bucket_of(std::uint64_t v) {
  constexpr std::uint64_t linear = std::uint64_t{1} << kLinearBits;
  if (v < linear) return static_cast<std::size_t>(v);
  const int width = std::bit_width(v);                   // > kLinearBits
  if (width > kMaxBits) return kBuckets - 1;             // clamp absurd values into the last bucket
  const int shift = width - kLinearBits + 1;             // >= 1
  const std::uint64_t mantissa = v >> shift;             // in [kHalf, 2*kHalf)
  return linear + static_cast<std::size_t>(shift - 1) * kHalf + static_cast<std::size_t>(mantissa - kHalf);
}

std::uint64_t Histogram::bucket_low(std::size_t index) {
  constexpr std::size_t linear = std::size_t{1} << kLinearBits;
  if (index < linear) return index;
  const std::size_t shift = (index - linear) / kHalf + 1;
  const std::uint64_t mantissa = (index - linear) % kHalf + kHalf;
  return mantissa << shift;
}

std::uint64_t Histogram::bucket_high(std::size_t index) {
  constexpr std::size_t linear = std::size_t{1} << kLinearBits;
  if (index < linear) return index;
  const std::size_t shift = (index - linear) / kHalf + 1;
  return bucket_low(index) + (std::uint64_t{1} << shift) - 1;
}

void Histogram::record(std::uint64_t v) {
  ++counts_[bucket_of(v)];
  ++count_;
  min_ = std::min(min_, v);
  max_ = std::max(max_, v);
  sum_ += v;
}

void Histogram::merge(const Histogram& other) {
  for (std::size_t i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  sum_ += other.sum_;
}

std::uint64_t Histogram::percentile(double q) const {
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
