// /metrics: valid Prometheus text (promtool), and the documented families with their labels.
#include <gtest/gtest.h>

#include <string>

#include "http_client.hpp"
#include "metrics_text.hpp"
#include "run_command.hpp"
#include "server_process.hpp"
#include "ws_client.hpp"

namespace parley::it {
namespace {

std::string scrape(HttpClient& client) {
  auto res = client.get("/metrics");
  EXPECT_EQ(res.result_int(), 200);
  return res.body();
}

void make_some_traffic(HttpClient& client) {
  client.get("/healthz");
  client.get("/readyz");
  client.get("/no/such/path");
  client.request(boost::beast::http::verb::post, "/healthz");
}

TEST(Metrics, ContentTypeIsPrometheusText) {
  ServerProcess server;
  HttpClient client(server.port());
  auto res = client.get("/metrics");
  ASSERT_EQ(res.result_int(), 200);
  auto type = header(res, "Content-Type");
  EXPECT_TRUE(type.starts_with("text/plain")) << type;
  EXPECT_NE(type.find("version=0.0.4"), std::string::npos) << type;
}

TEST(Metrics, PassesPromtoolCheck) {
  if (std::string(PARLEY_PROMTOOL).empty()) GTEST_SKIP() << "promtool not installed";
  ServerProcess server;
  HttpClient client(server.port());
  make_some_traffic(client);
  {
    WsClient ws(server.port());  // counted from the upgrade, before authenticating
    ws.connect();
    auto text = scrape(client);
    auto check = run_command({PARLEY_PROMTOOL, "check", "metrics"}, {.stdin_text = text});
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err << "\n--- metrics ---\n" << text;
  }
}

TEST(Metrics, CountsRequestsByMethodRouteAndStatus) {
  ServerProcess server;
  HttpClient client(server.port());
  for (int i = 0; i < 3; ++i) client.get("/healthz");
  auto samples = parse_samples(scrape(client));
  auto ok = find_samples(samples, "parley_http_requests_total",
                         {{"method", "GET"}, {"route", "/healthz"}, {"status", "200"}});
  ASSERT_EQ(ok.size(), 1u);
  EXPECT_GE(ok[0].value, 3.0);

  client.get("/healthz");
  auto again = find_samples(parse_samples(scrape(client)), "parley_http_requests_total",
                            {{"method", "GET"}, {"route", "/healthz"}, {"status", "200"}});
  ASSERT_EQ(again.size(), 1u);
  EXPECT_GE(again[0].value, ok[0].value + 1.0);

  client.request(boost::beast::http::verb::post, "/healthz");
  auto wrong = find_samples(parse_samples(scrape(client)), "parley_http_requests_total",
                            {{"method", "POST"}, {"route", "/healthz"}, {"status", "405"}});
  EXPECT_EQ(wrong.size(), 1u);
}

TEST(Metrics, RequestDurationHistogramHasBuckets) {
  ServerProcess server;
  HttpClient client(server.port());
  client.get("/healthz");
  auto samples = parse_samples(scrape(client));
  auto inf = find_samples(samples, "parley_http_request_duration_seconds_bucket",
                          {{"method", "GET"}, {"route", "/healthz"}, {"status", "200"}, {"le", "+Inf"}});
  ASSERT_EQ(inf.size(), 1u);
  EXPECT_GE(inf[0].value, 1.0);
  auto count = find_samples(samples, "parley_http_request_duration_seconds_count",
                            {{"method", "GET"}, {"route", "/healthz"}, {"status", "200"}});
  ASSERT_EQ(count.size(), 1u);
  EXPECT_EQ(count[0].value, inf[0].value);
  EXPECT_EQ(find_samples(samples, "parley_http_request_duration_seconds_sum",
                         {{"route", "/healthz"}}).size(), 1u);
  EXPECT_GT(find_samples(samples, "parley_http_request_duration_seconds_bucket",
                         {{"route", "/healthz"}}).size(), 1u);
}

TEST(Metrics, BuildInfoMatchesParleyVersion) {
  auto version = run_parley({"version"});
  ASSERT_EQ(version.exit_code, 0) << version.err;
  // "parley 0.1.0 (...)"
  auto v = version.out.substr(version.out.find(' ') + 1);
  v = v.substr(0, v.find(' '));
  ServerProcess server;
  HttpClient client(server.port());
  auto info = find_samples(parse_samples(scrape(client)), "parley_build_info");
  ASSERT_EQ(info.size(), 1u);
  EXPECT_EQ(info[0].value, 1.0);
  EXPECT_EQ(info[0].labels["version"], v);
  EXPECT_FALSE(info[0].labels["build_type"].empty());
  EXPECT_FALSE(info[0].labels["compiler"].empty());
}

TEST(Metrics, DocumentedFamiliesArePresent) {
  ServerProcess server;
  HttpClient client(server.port());
  make_some_traffic(client);
  auto text = scrape(client);
  for (auto family : {"parley_http_requests_total", "parley_http_request_duration_seconds",
                      "parley_http_connections_open", "parley_ws_connections_open",
                      "parley_store_operation_duration_seconds",
                      "parley_store_group_commit_batch_size", "parley_build_info",
                      "parley_process_start_time_seconds"}) {
    EXPECT_NE(text.find(std::string("# TYPE ") + family + " "), std::string::npos)
        << family << "\n" << text;
  }
  auto samples = parse_samples(text);
  auto start = find_samples(samples, "parley_process_start_time_seconds");
  ASSERT_EQ(start.size(), 1u);
  EXPECT_GT(start[0].value, 1.6e9);
  auto open = find_samples(samples, "parley_http_connections_open");
  ASSERT_EQ(open.size(), 1u);
  EXPECT_GE(open[0].value, 1.0);  // ours
}

TEST(Metrics, WebSocketConnectionsAreCounted) {
  ServerProcess server;
  HttpClient client(server.port());
  WsClient ws(server.port());  // counted from the upgrade, before authenticating
  ws.connect();
  auto open = find_samples(parse_samples(scrape(client)), "parley_ws_connections_open");
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].value, 1.0);
}

TEST(Metrics, UnknownPathsDoNotBecomeLabelValues) {
  ServerProcess server;
  HttpClient client(server.port());
  client.get("/no/such/thing-12345");
  client.get("/another-unknown-67890?x=1");
  auto text = scrape(client);
  EXPECT_EQ(text.find("thing-12345"), std::string::npos) << text;
  EXPECT_EQ(text.find("unknown-67890"), std::string::npos) << text;
}

}  // namespace
}  // namespace parley::it
