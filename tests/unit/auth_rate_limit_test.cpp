// The generic RateLimiter (sliding window per key, forgive, eviction) and the limit syntax.
#include "core/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

using parley::RateLimit;
using parley::RateLimiter;
using namespace std::chrono_literals;

TEST(AuthRateLimit, ParsesAndPrintsLimits) {
  EXPECT_EQ(RateLimit::parse("5/15m"), (RateLimit{5, 15min}));
  EXPECT_EQ(RateLimit::parse("20/1h"), (RateLimit{20, 1h}));
  EXPECT_EQ(RateLimit::parse("100/10s"), (RateLimit{100, 10s}));
  EXPECT_EQ(RateLimit::parse("3/m"), (RateLimit{3, 1min}));
  EXPECT_TRUE(RateLimit::parse("off")->unlimited());
  for (const char* bad : {"", "5", "/15m", "5/", "5/15x", "0/1m", "-1/1m", "5/15 m", "5/9999d"})
    EXPECT_FALSE(RateLimit::parse(bad)) << bad;
  EXPECT_EQ((RateLimit{5, 15min}.to_string()), "5/15m");
  EXPECT_EQ((RateLimit{20, 1h}.to_string()), "20/1h");
  EXPECT_EQ(RateLimit{}.to_string(), "off");
}

TEST(AuthRateLimit, AllowsTheLimitThenDeniesUntilTheOldestHitLeavesTheWindow) {
  RateLimiter limiter({5, 15min});
  const auto t0 = RateLimiter::Clock::time_point{} + 1h;
  for (int i = 0; i < 5; ++i) {
    auto d = limiter.hit("acct", t0 + i * 1min);
    EXPECT_TRUE(d.allowed) << i;
    EXPECT_EQ(d.remaining, 4u - i);
  }
  auto denied = limiter.hit("acct", t0 + 5min);
  EXPECT_FALSE(denied.allowed);
  EXPECT_EQ(denied.retry_after, 10min);  // the hit at t0 leaves at t0 + 15 min
  EXPECT_FALSE(limiter.hit("acct", t0 + 15min - 1ms).allowed);
  EXPECT_TRUE(limiter.hit("acct", t0 + 15min).allowed);          // after exactly Retry-After: room again
  EXPECT_FALSE(limiter.hit("acct", t0 + 15min + 1ms).allowed);   // the window slides, it is not reset
  EXPECT_EQ(limiter.hit("acct", t0 + 15min + 1ms).retry_after, 1min);  // the hit at t0 + 1 min is next
  EXPECT_TRUE(limiter.hit("other", t0 + 5min).allowed);          // keys are independent
}

TEST(AuthRateLimit, DeniedHitsAreNotCountedAndRetryAfterRoundsUp) {
  RateLimiter limiter({1, 10s});
  const auto t0 = RateLimiter::Clock::time_point{} + 1h;
  EXPECT_TRUE(limiter.hit("k", t0).allowed);
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(limiter.hit("k", t0 + 1s).allowed);
  EXPECT_EQ(limiter.hit("k", t0 + 8500ms).retry_after, 2s);
  EXPECT_EQ(limiter.hit("k", t0 + 9999ms).retry_after, 1s);
  EXPECT_TRUE(limiter.hit("k", t0 + 10001ms).allowed);
}

TEST(AuthRateLimit, ForgiveTakesBackOneHit) {
  RateLimiter limiter({2, 1min});
  const auto t0 = RateLimiter::Clock::time_point{} + 1h;
  auto a = limiter.hit("k", t0);
  limiter.hit("k", t0 + 1s);
  EXPECT_FALSE(limiter.peek("k", t0 + 2s).allowed);
  limiter.forgive("k", a.at);
  EXPECT_TRUE(limiter.peek("k", t0 + 2s).allowed);
  EXPECT_TRUE(limiter.hit("k", t0 + 2s).allowed);
  EXPECT_FALSE(limiter.hit("k", t0 + 3s).allowed);
}

TEST(AuthRateLimit, UnlimitedAlwaysAllows) {
  RateLimiter limiter(RateLimit{});
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(limiter.hit("k").allowed);
  EXPECT_EQ(limiter.size(), 0u);
}

TEST(AuthRateLimit, MemoryIsBoundedAndExpiredKeysAreSwept) {
  RateLimiter limiter({1, 1s}, 1600);  // 100 keys per shard
  const auto t0 = RateLimiter::Clock::time_point{} + 1h;
  for (int i = 0; i < 10'000; ++i) limiter.hit("key" + std::to_string(i), t0);
  EXPECT_LE(limiter.size(), 1600u);
  // Later, every old key has expired: new ones push them out rather than the live ones.
  for (int i = 0; i < 100; ++i) limiter.hit("new" + std::to_string(i), t0 + 5s);
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(limiter.peek("new" + std::to_string(i), t0 + 5s).allowed) << i;
}

TEST(AuthRateLimit, CountsExactlyUnderConcurrency) {
  RateLimiter limiter({1000, 1h});
  std::vector<std::thread> threads;
  std::atomic<int> allowed{0};
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i)
        if (limiter.hit("shared").allowed) ++allowed;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(allowed.load(), 1000);
}
