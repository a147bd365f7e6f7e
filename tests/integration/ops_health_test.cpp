// /healthz, /readyz, keep-alive, security headers, X-Request-Id and traceparent on responses.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <regex>
#include <string>

#include "http_client.hpp"
#include "server_process.hpp"

namespace parley::it {
namespace {

bool is_hex32(const std::string& s) { return std::regex_match(s, std::regex("[0-9a-f]{32}")); }

TEST(OpsHealth, HealthzAnswersStatusOk) {
  ServerProcess server;
  HttpClient client(server.port());
  auto res = client.get("/healthz");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_TRUE(header(res, "Content-Type").starts_with("application/json")) << res.base();
  EXPECT_EQ(body_json(res), boost::json::parse(R"({"status":"ok"})"));
}

TEST(OpsHealth, ReadyzAnswersReadyOnceTheStoreAnswers) {
  ServerProcess server;
  HttpClient client(server.port());
  auto res = client.get("/readyz");
  EXPECT_EQ(res.result_int(), 200);
  // Extra members are allowed; "status" is the contract.
  auto body = body_json(res);
  ASSERT_TRUE(body.is_object()) << res.body();
  EXPECT_EQ(body.as_object()["status"], "ready") << res.body();
}

TEST(OpsHealth, KeepAliveServesSeveralRequestsOnOneConnection) {
  ServerProcess server;
  HttpClient client(server.port());
  for (int i = 0; i < 5; ++i) {
    auto res = client.get(i % 2 == 0 ? "/healthz" : "/readyz");
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_TRUE(res.keep_alive()) << "request " << i;
    ASSERT_TRUE(client.is_open()) << "server closed a keep-alive connection after request " << i;
  }
}

TEST(OpsHeaders, SecurityHeadersOnEveryResponse) {
  ServerProcess server;
  HttpClient client(server.port());
  for (auto [method, target] : {std::pair{boost::beast::http::verb::get, "/healthz"},
                                std::pair{boost::beast::http::verb::get, "/metrics"},
                                std::pair{boost::beast::http::verb::get, "/no/such/path"},
                                std::pair{boost::beast::http::verb::post, "/healthz"}}) {
    SCOPED_TRACE(std::string(boost::beast::http::to_string(method)) + " " + target);
    auto res = client.request(method, target);
    auto csp = header(res, "Content-Security-Policy");
    EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
    EXPECT_EQ(header(res, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(header(res, "Referrer-Policy"), "no-referrer");
    EXPECT_EQ(header(res, "X-Frame-Options"), "DENY");
  }
}

TEST(OpsHeaders, ValidRequestIdIsEchoed) {
  ServerProcess server;
  HttpClient client(server.port());
  for (std::string id : {std::string("abc"), std::string("req-42.A_b:c"), std::string(128, 'x')}) {
    auto res = client.get("/healthz", {{"X-Request-Id", id}});
    EXPECT_EQ(header(res, "X-Request-Id"), id);
  }
}

TEST(OpsHeaders, InvalidRequestIdIsReplacedByANewOne) {
  ServerProcess server;
  HttpClient client(server.port());
  for (std::string id : {std::string("has space"), std::string(200, 'a'), std::string(129, 'b'),
                         std::string("semi;colon"), std::string("slash/x"), std::string("\"q\"")}) {
    SCOPED_TRACE(id);
    auto res = client.get("/healthz", {{"X-Request-Id", id}});
    auto got = header(res, "X-Request-Id");
    EXPECT_NE(got, id);
    EXPECT_TRUE(is_hex32(got)) << got;
  }
}

TEST(OpsHeaders, MissingRequestIdGetsAFreshOneEachTime) {
  ServerProcess server;
  HttpClient client(server.port());
  auto a = header(client.get("/healthz"), "X-Request-Id");
  auto b = header(client.get("/healthz"), "X-Request-Id");
  EXPECT_TRUE(is_hex32(a)) << a;
  EXPECT_TRUE(is_hex32(b)) << b;
  EXPECT_NE(a, b);
}

TEST(OpsHeaders, TraceparentKeepsTheTraceIdWithANewSpan) {
  ServerProcess server;
  HttpClient client(server.port());
  const std::string trace = "4bf92f3577b34da6a3ce929d0e0e4736";
  const std::string span = "00f067aa0ba902b7";
  auto res = client.get("/healthz", {{"traceparent", "00-" + trace + "-" + span + "-01"}});
  std::smatch m;
  auto tp = header(res, "traceparent");
  ASSERT_TRUE(std::regex_match(tp, m, std::regex("00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}")))
      << "traceparent: " << tp;
  EXPECT_EQ(m[1].str(), trace);
  EXPECT_NE(m[2].str(), span);
}

TEST(OpsHeaders, InvalidTraceparentStartsANewTrace) {
  ServerProcess server;
  HttpClient client(server.port());
  // All-zero trace ids are invalid in W3C Trace Context.
  auto res = client.get("/healthz",
                        {{"traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"}});
  std::smatch m;
  auto tp = header(res, "traceparent");
  ASSERT_TRUE(std::regex_match(tp, m, std::regex("00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}")))
      << "traceparent: " << tp;
  EXPECT_NE(m[1].str(), std::string(32, '0'));
}

}  // namespace
}  // namespace parley::it
