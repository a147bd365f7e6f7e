// The Prometheus registry: values, labelled children, the text format, and concurrent updates.
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "core/metrics.hpp"

namespace parley::metrics {
namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(Metrics, CounterAndGaugeValues) {
  Registry r;
  Counter& c = r.counter("c_total", "a counter").with({});
  EXPECT_EQ(c.value(), 0.0);
  c.inc();
  c.inc(2.5);
  EXPECT_DOUBLE_EQ(c.value(), 3.5);

  Gauge& g = r.gauge("g", "a gauge").with({});
  g.set(10);
  g.inc();
  g.dec(4);
  EXPECT_DOUBLE_EQ(g.value(), 7.0);
  g.dec(8);
  EXPECT_DOUBLE_EQ(g.value(), -1.0);
}

TEST(Metrics, LabelChildrenAreDistinctAndStable) {
  Registry r;
  auto& f = r.counter("req_total", "requests", {"method", "status"});
  Counter& a = f.with({"GET", "200"});
  Counter& b = f.with({"GET", "404"});
  EXPECT_NE(&a, &b);
  EXPECT_EQ(&a, &f.with({"GET", "200"}));
  EXPECT_EQ(&a, &f.with(std::vector<std::string>{"GET", "200"}));
  a.inc();
  a.inc();
  b.inc();
  EXPECT_EQ(a.value(), 2.0);
  EXPECT_EQ(b.value(), 1.0);
  // Registering the same name again returns the same family.
  EXPECT_EQ(&f, &r.counter("req_total", "requests", {"method", "status"}));
  EXPECT_EQ(r.counter("req_total", "x").with({"GET", "200"}).value(), 2.0);
}

TEST(Metrics, HistogramBucketsAreCumulativeAndInclusive) {
  Histogram h({1.0, 0.1, 0.5});  // unsorted bounds are sorted
  EXPECT_EQ(h.bounds(), (std::vector<double>{0.1, 0.5, 1.0}));
  for (double v : {0.05, 0.1, 0.2, 0.5, 0.7, 3.0}) h.observe(v);
  const auto s = h.snapshot();
  // le is inclusive: 0.1 falls in le="0.1", 0.5 in le="0.5".
  EXPECT_EQ(s.cumulative, (std::vector<std::uint64_t>{2, 4, 5, 6}));
  EXPECT_EQ(s.count, 6u);
  EXPECT_NEAR(s.sum, 4.55, 1e-9);
}

TEST(Metrics, RenderTextFormat) {
  Registry r;
  r.counter("parley_a_total", "Things counted.", {"kind"}).with({"x"}).inc(3);
  r.gauge("parley_open", "Open now.").with({}).set(2);
  auto& h = r.histogram("parley_lat_seconds", "Latency.", {"route"}, {0.1, 1.0});
  h.with({"/v1"}).observe(0.05);
  h.with({"/v1"}).observe(0.5);
  h.with({"/v1"}).observe(2.0);
  const std::string want =
      "# HELP parley_a_total Things counted.\n"
      "# TYPE parley_a_total counter\n"
      "parley_a_total{kind=\"x\"} 3\n"
      "# HELP parley_open Open now.\n"
      "# TYPE parley_open gauge\n"
      "parley_open 2\n"
      "# HELP parley_lat_seconds Latency.\n"
      "# TYPE parley_lat_seconds histogram\n"
      "parley_lat_seconds_bucket{route=\"/v1\",le=\"0.1\"} 1\n"
      "parley_lat_seconds_bucket{route=\"/v1\",le=\"1\"} 2\n"
      "parley_lat_seconds_bucket{route=\"/v1\",le=\"+Inf\"} 3\n"
      "parley_lat_seconds_sum{route=\"/v1\"} 2.55\n"
      "parley_lat_seconds_count{route=\"/v1\"} 3\n";
  EXPECT_EQ(r.render(), want);
}

TEST(Metrics, RenderFamiliesInRegistrationOrderEvenWithoutChildren) {
  Registry r;
  r.gauge("z_gauge", "z");
  r.counter("a_total", "a");
  const std::string out = r.render();
  EXPECT_LT(out.find("# TYPE z_gauge gauge"), out.find("# TYPE a_total counter")) << out;
  EXPECT_FALSE(contains(out, "\nz_gauge ")) << out;
}

TEST(Metrics, HistogramWithoutLabelsAndDefaultBuckets) {
  Registry r;
  auto& h = r.histogram("d_seconds", "d").with({});
  h.observe(0.0001);
  const std::string out = r.render();
  EXPECT_TRUE(contains(out, "d_seconds_bucket{le=\"0.0001\"} 1\n")) << out;
  EXPECT_TRUE(contains(out, "d_seconds_bucket{le=\"10\"} 1\n")) << out;
  EXPECT_TRUE(contains(out, "d_seconds_bucket{le=\"+Inf\"} 1\n")) << out;
  EXPECT_TRUE(contains(out, "d_seconds_count 1\n")) << out;
  EXPECT_EQ(latency_buckets().size(), 16u);
  EXPECT_EQ(latency_buckets().front(), 0.0001);
  EXPECT_EQ(latency_buckets().back(), 10.0);
}

TEST(Metrics, LabelValuesAndHelpAreEscaped) {
  Registry r;
  r.counter("e_total", "Help with \\ and\nnewline.", {"v"}).with({"a\"b\\c\nd"}).inc();
  const std::string out = r.render();
  EXPECT_TRUE(contains(out, "# HELP e_total Help with \\\\ and\\nnewline.\n")) << out;
  EXPECT_TRUE(contains(out, "e_total{v=\"a\\\"b\\\\c\\nd\"} 1\n")) << out;
}

TEST(Metrics, NonIntegerAndSpecialValues) {
  Registry r;
  auto& g = r.gauge("v", "v", {"k"});
  g.with({"half"}).set(0.5);
  g.with({"big"}).set(1e20);
  g.with({"neg"}).set(-3);
  g.with({"inf"}).set(std::numeric_limits<double>::infinity());
  const std::string out = r.render();
  EXPECT_TRUE(contains(out, "v{k=\"half\"} 0.5\n")) << out;
  EXPECT_TRUE(contains(out, "v{k=\"big\"} 1e+20\n")) << out;
  EXPECT_TRUE(contains(out, "v{k=\"neg\"} -3\n")) << out;
  EXPECT_TRUE(contains(out, "v{k=\"inf\"} +Inf\n")) << out;
}

TEST(Metrics, ConcurrentIncrementsSumCorrectly) {
  Registry r;
  auto& counters = r.counter("conc_total", "c", {"who"});
  auto& hist = r.histogram("conc_seconds", "h", {}, {0.5});
  Gauge& gauge = r.gauge("conc_gauge", "g").with({});
  constexpr int kThreads = 8, kEach = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        counters.with({"shared"}).inc();           // children created and looked up concurrently
        counters.with({std::to_string(t)}).inc(0.5);
        hist.with({}).observe(i % 2 ? 1.0 : 0.25);
        gauge.inc();
        gauge.dec(0.5);
        if (i % 1000 == 0) (void)r.render();  // rendering while updating must be safe
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(counters.with({"shared"}).value(), kThreads * kEach);
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(counters.with({std::to_string(t)}).value(), kEach * 0.5);
  const auto s = hist.with({}).snapshot();
  EXPECT_EQ(s.count, static_cast<std::uint64_t>(kThreads * kEach));
  EXPECT_EQ(s.cumulative[0], static_cast<std::uint64_t>(kThreads * kEach / 2));
  EXPECT_DOUBLE_EQ(s.sum, kThreads * kEach / 2 * 1.25);
  EXPECT_DOUBLE_EQ(gauge.value(), kThreads * kEach * 0.5);
}

}  // namespace
}  // namespace parley::metrics
