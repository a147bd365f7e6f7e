// CORS: only origins in --cors-origins get Access-Control-* headers.
#include <gtest/gtest.h>

#include <string>

#include "http_client.hpp"
#include "problem_assertions.hpp"
#include "server_process.hpp"

namespace parley::it {
namespace {

namespace http = boost::beast::http;

const std::string kAllowed = "https://app.example.com";
const std::string kAllowedWithPort = "http://localhost:5173";

Response preflight(HttpClient& client, const std::string& origin, const std::string& target = "/healthz") {
  return client.request(http::verb::options, target, {},
                        {{"Origin", origin},
                         {"Access-Control-Request-Method", "POST"},
                         {"Access-Control-Request-Headers", "content-type, authorization"}});
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class Cors : public ::testing::Test {
 protected:
  ServerProcess server{{.args = {"--dev", "--cors-origins", kAllowed + "," + kAllowedWithPort}}};
  HttpClient client{server.port()};
};

TEST_F(Cors, PreflightFromAllowedOriginIs204WithAllowHeaders) {
  for (const auto& origin : {kAllowed, kAllowedWithPort}) {
    SCOPED_TRACE(origin);
    auto res = preflight(client, origin, "/dev/echo");
    EXPECT_EQ(res.result_int(), 204) << res;
    EXPECT_EQ(header(res, "Access-Control-Allow-Origin"), origin);
    EXPECT_NE(header(res, "Access-Control-Allow-Methods").find("POST"), std::string::npos) << res.base();
    EXPECT_NE(lower(header(res, "Access-Control-Allow-Headers")).find("content-type"), std::string::npos)
        << res.base();
    EXPECT_FALSE(header(res, "Access-Control-Max-Age").empty()) << res.base();
    EXPECT_NE(header(res, "Vary").find("Origin"), std::string::npos) << res.base();
  }
}

TEST_F(Cors, PreflightFromOtherOriginIs403WithoutCorsHeaders) {
  for (std::string origin : {"https://evil.example.com", "https://app.example.com.evil.com",
                             "http://app.example.com", "https://app.example.com:8443", "null"}) {
    SCOPED_TRACE(origin);
    auto res = preflight(client, origin, "/dev/echo");
    expect_problem(res, 403, "cors_forbidden");
    EXPECT_FALSE(has_header(res, "Access-Control-Allow-Origin")) << res.base();
    EXPECT_FALSE(has_header(res, "Access-Control-Allow-Methods")) << res.base();
  }
}

TEST_F(Cors, RequestFromAllowedOriginGetsAllowOrigin) {
  auto res = client.get("/healthz", {{"Origin", kAllowed}});
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(header(res, "Access-Control-Allow-Origin"), kAllowed);
  EXPECT_NE(header(res, "Vary").find("Origin"), std::string::npos) << res.base();
}

TEST_F(Cors, RequestFromOtherOriginGetsNoCorsHeaders) {
  auto res = client.get("/healthz", {{"Origin", "https://evil.example.com"}});
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_FALSE(has_header(res, "Access-Control-Allow-Origin")) << res.base();
}

TEST(CorsDefault, NoOriginIsAllowedByDefault) {
  ServerProcess server;
  HttpClient client(server.port());
  auto res = preflight(client, kAllowed);
  expect_problem(res, 403, "cors_forbidden");
  EXPECT_FALSE(has_header(res, "Access-Control-Allow-Origin")) << res.base();
  auto get = client.get("/healthz", {{"Origin", kAllowed}});
  EXPECT_FALSE(has_header(get, "Access-Control-Allow-Origin")) << get.base();
}

}  // namespace
}  // namespace parley::it
