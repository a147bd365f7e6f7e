// CORS from the allow-list: allowed origins, preflight grants and refusals, and decoration.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "net/cors.hpp"

namespace parley::net {
namespace {

const Cors kCors({"https://app.example.com", "http://localhost:5173"});

struct Fixture {
  RawRequest raw;
  Request req{raw, "/v1/rooms", ""};
  explicit Fixture(http::verb method, std::string origin = {}, std::string request_method = {}) {
    raw.method(method);
    raw.target("/v1/rooms");
    if (!origin.empty()) raw.set(http::field::origin, origin);
    if (!request_method.empty()) raw.set(http::field::access_control_request_method, request_method);
  }
};

std::vector<std::string> headers_named(const Response& r, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& [k, v] : r.headers)
    if (k == name) out.push_back(v);
  return out;
}

std::optional<std::string> header(const Response& r, std::string_view name) {
  const auto all = headers_named(r, name);
  if (all.empty()) return std::nullopt;
  EXPECT_EQ(all.size(), 1u) << name << " set more than once";
  return all.front();
}

TEST(Cors, AllowedOnlyWhenListedExactly) {
  EXPECT_TRUE(kCors.allowed("https://app.example.com"));
  EXPECT_TRUE(kCors.allowed("http://localhost:5173"));
  for (std::string_view o : {"", "null", "*", "https://evil.example.com", "http://app.example.com",
                             "https://app.example.com:443", "https://app.example.com/", "HTTPS://APP.EXAMPLE.COM",
                             "https://app.example.com.evil.com", "http://localhost:5174"})
    EXPECT_FALSE(kCors.allowed(o)) << o;
  EXPECT_FALSE(Cors({}).allowed("https://app.example.com"));
}

TEST(Cors, IsPreflight) {
  EXPECT_TRUE(kCors.is_preflight(Fixture(http::verb::options, "https://x.example", "POST").req));
  EXPECT_FALSE(kCors.is_preflight(Fixture(http::verb::options, "https://x.example").req));
  EXPECT_FALSE(kCors.is_preflight(Fixture(http::verb::options, "", "POST").req));
  EXPECT_FALSE(kCors.is_preflight(Fixture(http::verb::post, "https://x.example", "POST").req));
}

TEST(Cors, PreflightFromAllowedOriginIs204WithGrant) {
  Fixture f(http::verb::options, "http://localhost:5173", "PATCH");
  const Response r = kCors.preflight(f.req);
  EXPECT_EQ(r.status, 204);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "http://localhost:5173");
  const auto methods = header(r, "Access-Control-Allow-Methods");
  ASSERT_TRUE(methods);
  for (std::string m : {"GET", "POST", "PUT", "PATCH", "DELETE"}) EXPECT_NE(methods->find(m), std::string::npos) << m;
  const auto allow_headers = header(r, "Access-Control-Allow-Headers");
  ASSERT_TRUE(allow_headers);
  for (std::string h : {"Authorization", "Content-Type", "X-Request-Id", "traceparent"})
    EXPECT_NE(allow_headers->find(h), std::string::npos) << h;
  EXPECT_EQ(header(r, "Access-Control-Max-Age"), "600");
  EXPECT_EQ(header(r, "Vary"), "Origin");
}

TEST(Cors, PreflightFromOtherOriginIs403WithoutGrant) {
  Fixture f(http::verb::options, "https://evil.example.com", "POST");
  const Response r = kCors.preflight(f.req);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.content_type, "application/problem+json");
  const auto body = boost::json::parse(r.body);
  EXPECT_EQ(body.at("code"), "cors_forbidden");
  EXPECT_EQ(body.at("status"), 403);
  for (std::string_view h : {"Access-Control-Allow-Origin", "Access-Control-Allow-Methods",
                             "Access-Control-Allow-Headers", "Access-Control-Max-Age"})
    EXPECT_TRUE(headers_named(r, h).empty()) << h;
  EXPECT_EQ(header(r, "Vary"), "Origin");
}

TEST(Cors, DecorateAllowedOrigin) {
  Fixture f(http::verb::get, "https://app.example.com");
  Response r = Response::text(200, "ok");
  kCors.decorate(f.req, r);
  EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "https://app.example.com");
  EXPECT_EQ(header(r, "Vary"), "Origin");
  const auto exposed = header(r, "Access-Control-Expose-Headers");
  ASSERT_TRUE(exposed);
  EXPECT_NE(exposed->find("X-Request-Id"), std::string::npos);
  EXPECT_NE(exposed->find("Retry-After"), std::string::npos);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ok");
}

TEST(Cors, DecorateDisallowedOriginAddsOnlyVary) {
  Fixture f(http::verb::get, "https://evil.example.com");
  Response r = Response::text(200, "ok");
  kCors.decorate(f.req, r);
  EXPECT_EQ(header(r, "Vary"), "Origin");
  EXPECT_FALSE(header(r, "Access-Control-Allow-Origin"));
  EXPECT_FALSE(header(r, "Access-Control-Expose-Headers"));
}

TEST(Cors, DecorateWithoutOriginAddsNothing) {
  Fixture f(http::verb::get);
  Response r = Response::text(200, "ok");
  kCors.decorate(f.req, r);
  EXPECT_TRUE(r.headers.empty());
}

}  // namespace
}  // namespace parley::net
