// W3C traceparent parsing and continuing a trace with a new span.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "net/trace.hpp"

namespace parley::net {
namespace {

constexpr const char* kTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr const char* kParent = "00f067aa0ba902b7";
const std::string kValid = std::string("00-") + kTrace + "-" + kParent + "-01";

bool lower_hex_of(const std::string& s, std::size_t n) {
  return s.size() == n && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST(Traceparent, Valid) {
  const auto t = parse_traceparent(kValid);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->trace_id, kTrace);
  EXPECT_EQ(t->flags, "01");
  const auto unsampled = parse_traceparent(std::string("00-") + kTrace + "-" + kParent + "-00");
  ASSERT_TRUE(unsampled);
  EXPECT_EQ(unsampled->flags, "00");
  // A later version may append fields; its first four are read.
  const auto future = parse_traceparent(std::string("01-") + kTrace + "-" + kParent + "-01-extra");
  ASSERT_TRUE(future);
  EXPECT_EQ(future->trace_id, kTrace);
}

TEST(Traceparent, Invalid) {
  const std::string t = kTrace, p = kParent;
  const std::vector<std::string> bad = {
      "",
      "00",
      "00-" + std::string("4BF92F3577B34DA6A3CE929D0E0E4736") + "-" + p + "-01",  // uppercase trace id
      "00-" + t + "-" + std::string("00F067AA0BA902B7") + "-01",                  // uppercase parent id
      "00-" + t + "-" + p + "-0A",                                                // uppercase flags
      "00-" + std::string(32, '0') + "-" + p + "-01",                             // all-zero trace id
      "00-" + t + "-" + std::string(16, '0') + "-01",                             // all-zero parent id
      "00-" + t.substr(1) + "-" + p + "-01",                                      // trace id 31
      "00-" + t + "a-" + p + "-01",                                               // trace id 33
      "00-" + t + "-" + p.substr(1) + "-01",                                      // parent id 15
      "00-" + t + "-" + p + "a-01",                                               // parent id 17
      "00-" + t + "-" + p + "-1",                                                 // flags 1
      "00-" + t + "-" + p + "-01-",                                               // version 00 is 55 long
      "00-" + t + "-" + p + "-01x",
      "ff-" + t + "-" + p + "-01",  // version ff is forbidden
      "0g-" + t + "-" + p + "-01",
      "0A-" + t + "-" + p + "-01",
      "00_" + t + "-" + p + "-01",
      "00-" + t + "_" + p + "-01",
      "00-" + t + "-" + p + "_01",
      "00-" + t.substr(0, 31) + "g-" + p + "-01",
      " 00-" + t + "-" + p + "-01",
  };
  for (const auto& v : bad) EXPECT_FALSE(parse_traceparent(v)) << "'" << v << "'";
}

TEST(TraceFor, KeepsAValidTraceIdWithANewSpan) {
  const TraceContext t = trace_for(kValid);
  EXPECT_EQ(t.trace_id, kTrace);
  EXPECT_TRUE(lower_hex_of(t.span_id, 16)) << t.span_id;
  EXPECT_NE(t.span_id, kParent);
  EXPECT_EQ(t.flags, "01");
  EXPECT_EQ(t.header(), std::string("00-") + kTrace + "-" + t.span_id + "-01");
  EXPECT_TRUE(parse_traceparent(t.header()));  // what we send is valid too
  EXPECT_NE(trace_for(kValid).span_id, t.span_id);
  EXPECT_EQ(trace_for(std::string("00-") + kTrace + "-" + kParent + "-00").flags, "00");
}

TEST(TraceFor, StartsANewTraceWhenMissingOrInvalid) {
  std::set<std::string> ids;
  for (std::string_view in : {"", "garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"}) {
    const TraceContext t = trace_for(in);
    EXPECT_TRUE(lower_hex_of(t.trace_id, 32)) << t.trace_id;
    EXPECT_TRUE(lower_hex_of(t.span_id, 16)) << t.span_id;
    EXPECT_EQ(t.flags, "01");
    EXPECT_TRUE(parse_traceparent(t.header())) << t.header();
    ids.insert(t.trace_id);
  }
  EXPECT_EQ(ids.size(), 3u);
}

}  // namespace
}  // namespace parley::net
