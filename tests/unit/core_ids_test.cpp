// Ids (generator, parsing, strong types), request ids, random hex, and RFC 3339 formatting.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"

namespace parley {
namespace {

constexpr std::int64_t kEpochMs = 1704067200000;  // 2024-01-01T00:00:00Z, the id epoch

TEST(IdGenerator, StrictlyIncreasingAndPositive) {
  IdGenerator gen;
  std::int64_t prev = 0;
  for (int i = 0; i < 200000; ++i) {  // far more than 4096 per millisecond: the sequence must carry over
    const std::int64_t id = gen.next();
    ASSERT_GT(id, prev) << "at call " << i;
    prev = id;
  }
}

TEST(IdGenerator, EncodesTimeAndNode) {
  IdGenerator gen(5);
  const std::int64_t before = clock::unix_ms(clock::now());
  const std::int64_t id = gen.next();
  EXPECT_EQ((id >> 12) & 0x3ff, 5);
  const std::int64_t ms = (id >> 22) + kEpochMs;
  EXPECT_GE(ms, before);
  EXPECT_LE(ms, before + 1000);
  EXPECT_EQ((IdGenerator(1024 + 7).next() >> 12) & 0x3ff, 7);  // node is 10 bits
}

TEST(IdGenerator, UniqueAndIncreasingAcrossThreads) {
  IdGenerator gen(3);
  constexpr int kThreads = 6, kEach = 30000;
  std::vector<std::vector<std::int64_t>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      got[t].reserve(kEach);
      for (int i = 0; i < kEach; ++i) got[t].push_back(gen.next());
    });
  for (auto& th : threads) th.join();
  std::set<std::int64_t> all;
  for (const auto& v : got) {
    EXPECT_TRUE(std::adjacent_find(v.begin(), v.end(), std::greater_equal<>{}) == v.end())
        << "a thread saw an id not above its previous one";
    for (auto id : v) {
      EXPECT_GT(id, 0);
      all.insert(id);
    }
  }
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kThreads * kEach));
  // The generator continues above everything handed out.
  EXPECT_GT(gen.next(), *all.rbegin());
}

TEST(ParseId, AcceptsAndRefuses) {
  EXPECT_EQ(parse_id("1"), 1);
  EXPECT_EQ(parse_id("42"), 42);
  EXPECT_EQ(parse_id("9223372036854775807"), INT64_MAX);
  for (std::string_view bad : {"", "0", "-1", "+1", " 1", "1 ", "1a", "0x10", "1.0", "9223372036854775808",
                               "18446744073709551615", "12345678901234567890", "abc", "1e3"})
    EXPECT_EQ(parse_id(bad), std::nullopt) << "'" << bad << "'";
}

struct RoomTag {};
struct UserTag {};
using RoomId = Id<RoomTag>;
using UserId = Id<UserTag>;

TEST(StrongId, ParseCompareAndNoCrossConversion) {
  static_assert(!std::is_convertible_v<RoomId, UserId>);
  static_assert(!std::is_constructible_v<UserId, RoomId>);
  const auto r = RoomId::parse("123");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->value, 123);
  EXPECT_EQ(r->str(), "123");
  EXPECT_FALSE(RoomId::parse("-5"));
  EXPECT_LT(RoomId{1}, RoomId{2});
  EXPECT_EQ(RoomId{7}, RoomId{7});
}

TEST(ValidRequestId, Cases) {
  for (std::string_view ok : {"a", "abc-123", "A.b_c:d-e", "0123456789abcdef0123456789abcdef"})
    EXPECT_TRUE(valid_request_id(ok)) << ok;
  EXPECT_TRUE(valid_request_id(std::string(128, 'x')));
  EXPECT_FALSE(valid_request_id(std::string(129, 'x')));
  for (std::string_view bad : {"", "a b", "a/b", "a\nb", "a\"b", "é", "id;drop", "a\tb", "{id}"})
    EXPECT_FALSE(valid_request_id(bad)) << bad;
  EXPECT_FALSE(valid_request_id(std::string_view("a\0b", 3)));
}

TEST(RandomHex, LengthCharsetAndUniqueness) {
  for (std::size_t bytes : {0u, 1u, 8u, 16u, 32u}) {
    const std::string h = random_hex(bytes);
    EXPECT_EQ(h.size(), bytes * 2);
    EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos) << h;
  }
  EXPECT_EQ(random_hex().size(), 32u);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(random_hex(8));
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(Rfc3339, KnownInstants) {
  const std::vector<std::pair<std::int64_t, std::string>> cases = {
      {0, "1970-01-01T00:00:00.000Z"},
      {1, "1970-01-01T00:00:00.001Z"},
      {999, "1970-01-01T00:00:00.999Z"},
      {kEpochMs, "2024-01-01T00:00:00.000Z"},
      {kEpochMs + 123, "2024-01-01T00:00:00.123Z"},
      {951782400000, "2000-02-29T00:00:00.000Z"},
      {1795341600123, "2026-11-22T10:00:00.123Z"},
      {4102444800000, "2100-01-01T00:00:00.000Z"},
      // Before the epoch: milliseconds stay in 0..999 and the second goes back.
      {-1, "1969-12-31T23:59:59.999Z"},
      {-1000, "1969-12-31T23:59:59.000Z"},
      {-1001, "1969-12-31T23:59:58.999Z"},
      {-86400000, "1969-12-31T00:00:00.000Z"},
  };
  for (const auto& [ms, want] : cases) EXPECT_EQ(clock::format_rfc3339_ms(ms), want) << ms;
}

TEST(Rfc3339, SubMillisecondsAreTruncated) {
  using namespace std::chrono;
  EXPECT_EQ(clock::format_rfc3339(clock::TimePoint(microseconds(1999))), "1970-01-01T00:00:00.001Z");
  EXPECT_EQ(clock::format_rfc3339(clock::TimePoint(milliseconds(kEpochMs) + microseconds(999))),
            "2024-01-01T00:00:00.000Z");
}

}  // namespace
}  // namespace parley
