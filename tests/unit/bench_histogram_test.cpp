// The bench's log-linear latency histogram: bucket bounds, percentiles, merge.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "../../bench/histogram.hpp"

using parley::bench::Histogram;

TEST(BenchHistogram, SmallValuesAreExact) {
  Histogram h;
  for (std::uint64_t v = 0; v < 256; ++v) h.record(v);
  EXPECT_EQ(h.count(), 256u);
  EXPECT_EQ(h.min(), 0u);
  EXPECT_EQ(h.max(), 255u);
  EXPECT_EQ(h.percentile(0.5), 127u);
  EXPECT_EQ(h.percentile(1.0), 255u);
}

TEST(BenchHistogram, BucketsTileTheRangeWithBoundedError) {
  for (std::size_t i = 1; i < Histogram::kBuckets; ++i)
    ASSERT_EQ(Histogram::bucket_low(i), Histogram::bucket_high(i - 1) + 1) << i;
  for (std::uint64_t v : {300ull, 4095ull, 4096ull, 1'000'000ull, 123'456'789ull, 30'000'000'000ull}) {
    const auto i = Histogram::bucket_of(v);
    EXPECT_LE(Histogram::bucket_low(i), v);
    EXPECT_GE(Histogram::bucket_high(i), v);
    EXPECT_LE(static_cast<double>(Histogram::bucket_high(i) - Histogram::bucket_low(i)), static_cast<double>(v) / 128.0);
  }
}

TEST(BenchHistogram, PercentilesMatchSortedValuesWithinPrecision) {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> dist(13.0, 1.0);  // around 0.5 ms, in ns
  std::vector<std::uint64_t> values;
  Histogram h;
  for (int i = 0; i < 100000; ++i) {
    const auto v = static_cast<std::uint64_t>(dist(rng));
    values.push_back(v);
    h.record(v);
  }
  std::sort(values.begin(), values.end());
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    const auto exact = values[static_cast<std::size_t>(std::ceil(q * values.size())) - 1];
    const auto got = h.percentile(q);
    EXPECT_GE(got, exact) << q;
    EXPECT_LE(static_cast<double>(got), static_cast<double>(exact) * (1.0 + 1.0 / 128.0) + 1) << q;
  }
  EXPECT_EQ(h.percentile(1.0), values.back());
}

TEST(BenchHistogram, MergeEqualsRecordingEverythingInOne) {
  Histogram a, b, all;
  for (std::uint64_t v = 1; v < 50000; v += 7) {
    (v % 2 ? a : b).record(v * 1000);
    all.record(v * 1000);
  }
  a.merge(b);
  EXPECT_EQ(a.count(), all.count());
  EXPECT_EQ(a.min(), all.min());
  EXPECT_EQ(a.max(), all.max());
  EXPECT_DOUBLE_EQ(a.mean(), all.mean());
  for (double q : {0.1, 0.5, 0.99}) EXPECT_EQ(a.percentile(q), all.percentile(q));
}

TEST(BenchHistogram, EmptyAndHugeValues) {
  Histogram h;
  EXPECT_EQ(h.percentile(0.99), 0u);
  h.record(UINT64_MAX);
  EXPECT_EQ(h.count(), 1u);
  EXPECT_EQ(h.percentile(0.5), UINT64_MAX);  // clamped to the recorded max
}
