// Error responses: problem+json with stable codes, for routing errors and for JSON bodies
// (POST /dev/echo, mounted only with --dev).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

#include "http_client.hpp"
#include "problem_assertions.hpp"
#include "server_process.hpp"

namespace parley::it {
namespace {

namespace http = boost::beast::http;

TEST(Errors, UnknownPathIs404NotFound) {
  ServerProcess server;
  HttpClient client(server.port());
  expect_problem(client.get("/no/such/path"), 404, "not_found");
  expect_problem(client.get("/v1/nothing-here"), 404, "not_found");
  expect_problem(client.request(http::verb::delete_, "/nope"), 404, "not_found");
}

TEST(Errors, WrongMethodOnKnownPathIs405WithAllow) {
  ServerProcess server;
  HttpClient client(server.port());
  for (auto target : {"/healthz", "/readyz", "/metrics"}) {
    SCOPED_TRACE(target);
    auto res = client.request(http::verb::post, target);
    expect_problem(res, 405, "method_not_allowed");
    EXPECT_NE(header(res, "Allow").find("GET"), std::string::npos) << res.base();
  }
}

TEST(Errors, DevEchoIsNotMountedWithoutDev) {
  ServerProcess server;
  HttpClient client(server.port());
  expect_problem(client.post_json("/dev/echo", R"({"name":"a"})"), 404, "not_found");
}

class DevEcho : public ::testing::Test {
 protected:
  ServerProcess server{{.args = {"--dev"}}};
  HttpClient client{server.port()};
};

TEST_F(DevEcho, ValidBodyIsEchoed) {
  auto res = client.post_json("/dev/echo", R"({"name":"alice","count":3})");
  EXPECT_EQ(res.result_int(), 200) << res;
  EXPECT_TRUE(header(res, "Content-Type").starts_with("application/json"));
  EXPECT_EQ(body_json(res), boost::json::parse(R"({"name":"alice","count":3})"));

  auto no_count = client.post_json("/dev/echo", R"({"name":"bob"})");
  EXPECT_EQ(no_count.result_int(), 200) << no_count;
  EXPECT_EQ(body_json(no_count), boost::json::parse(R"({"name":"bob"})"));

  auto limits = client.post_json("/dev/echo", R"({"name":")" + std::string(64, 'n') + R"(","count":1000})");
  EXPECT_EQ(limits.result_int(), 200) << limits;
}

TEST_F(DevEcho, JsonWithCharsetParameterIsAccepted) {
  auto res = client.request(http::verb::post, "/dev/echo", R"({"name":"c"})",
                            {{"Content-Type", "application/json; charset=utf-8"}});
  EXPECT_EQ(res.result_int(), 200) << res;
}

TEST_F(DevEcho, WrongMethodIs405) {
  auto res = client.get("/dev/echo");
  expect_problem(res, 405, "method_not_allowed");
  EXPECT_NE(header(res, "Allow").find("POST"), std::string::npos) << res.base();
}

TEST_F(DevEcho, MalformedJsonIs400WithLineAndColumn) {
  auto res = client.post_json("/dev/echo", "{\n  \"name\": oops\n}");
  auto body = expect_problem(res, 400, "malformed_json");
  auto* line = body.if_contains("line");
  auto* column = body.if_contains("column");
  ASSERT_TRUE(line != nullptr && line->is_int64()) << res.body();
  ASSERT_TRUE(column != nullptr && column->is_int64()) << res.body();
  EXPECT_EQ(line->as_int64(), 2) << res.body();
  EXPECT_GE(column->as_int64(), 1) << res.body();
  EXPECT_LE(column->as_int64(), 16) << res.body();
  auto* detail = body.if_contains("detail");
  EXPECT_TRUE(detail != nullptr && detail->is_string() && !detail->as_string().empty());
}

TEST_F(DevEcho, TruncatedJsonIs400) {
  expect_problem(client.post_json("/dev/echo", R"({"name":"ab)"), 400, "malformed_json");
  expect_problem(client.post_json("/dev/echo", R"({"name":"a"} trailing)"), 400, "malformed_json");
}

TEST_F(DevEcho, WrongContentTypeIs415) {
  expect_problem(client.request(http::verb::post, "/dev/echo", R"({"name":"a"})",
                                {{"Content-Type", "text/plain"}}),
                 415, "unsupported_media_type");
  expect_problem(client.request(http::verb::post, "/dev/echo", R"({"name":"a"})",
                                {{"Content-Type", "application/x-www-form-urlencoded"}}),
                 415, "unsupported_media_type");
  expect_problem(client.request(http::verb::post, "/dev/echo", R"({"name":"a"})"), 415,
                 "unsupported_media_type");
}

TEST_F(DevEcho, InvalidFieldsAre422WithFields) {
  struct Case {
    std::string body;
    std::string field;
  };
  for (const auto& c : {Case{R"({})", "name"}, Case{R"({"name":""})", "name"},
                        Case{R"({"name":")" + std::string(65, 'x') + R"("})", "name"},
                        Case{R"({"name":5})", "name"},
                        Case{R"({"name":"x","count":1001})", "count"},
                        Case{R"({"name":"x","count":-1})", "count"},
                        Case{R"({"name":"x","count":"3"})", "count"},
                        Case{R"({"name":"x","count":1.5})", "count"}}) {
    SCOPED_TRACE(c.body);
    auto res = client.post_json("/dev/echo", c.body);
    auto body = expect_problem(res, 422, "validation_failed");
    auto* fields = body.if_contains("fields");
    ASSERT_TRUE(fields != nullptr && fields->is_object()) << res.body();
    auto* msg = fields->as_object().if_contains(c.field);
    ASSERT_TRUE(msg != nullptr && msg->is_string()) << res.body();
    EXPECT_FALSE(msg->as_string().empty());
  }
}

TEST_F(DevEcho, BothInvalidFieldsAreReportedTogether) {
  auto res = client.post_json("/dev/echo", R"({"name":"","count":5000})");
  auto body = expect_problem(res, 422, "validation_failed");
  ASSERT_TRUE(body.contains("fields")) << res.body();
  auto& fields = body.at("fields").as_object();
  EXPECT_TRUE(fields.contains("name")) << res.body();
  EXPECT_TRUE(fields.contains("count")) << res.body();
}

}  // namespace
}  // namespace parley::it
