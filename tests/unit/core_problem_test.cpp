// Problem details (RFC 9457): the JSON shape and the problems:: helpers.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <string>
#include <vector>

#include "core/problem.hpp"

namespace parley {
namespace {

namespace json = boost::json;

TEST(Problem, DefaultIsInternal) {
  const json::object o = Problem{}.to_json();
  EXPECT_EQ(o.at("type"), "about:blank");
  EXPECT_EQ(o.at("title"), "Internal Server Error");
  EXPECT_EQ(o.at("status"), 500);
  EXPECT_EQ(o.at("code"), "internal");
  EXPECT_FALSE(o.contains("detail"));  // empty detail and fields are left out
  EXPECT_FALSE(o.contains("fields"));
  EXPECT_EQ(o.size(), 4u);
}

TEST(Problem, ToJsonWithDetailFieldsAndExtra) {
  Problem p = problems::validation(json::object{{"name", "must be 1 to 64 characters"}});
  p.extra["line"] = 3;
  p.extra["column"] = 7;
  const json::object o = p.to_json();
  EXPECT_EQ(json::value(o), json::parse(R"({
    "type": "about:blank", "title": "Unprocessable Content", "status": 422, "code": "validation_failed",
    "detail": "some fields are invalid", "fields": {"name": "must be 1 to 64 characters"},
    "line": 3, "column": 7})"));
  EXPECT_TRUE(o.at("status").is_int64());  // a number, not a string
}

TEST(Problem, ApiErrorCarriesTheProblem) {
  try {
    throw ApiError(problems::conflict("room_full", "the room is full"));
  } catch (const std::exception& e) {
    EXPECT_STREQ(e.what(), "room_full");
    const auto* api = dynamic_cast<const ApiError*>(&e);
    ASSERT_NE(api, nullptr);
    EXPECT_EQ(api->problem().status, 409);
    EXPECT_EQ(api->problem().detail, "the room is full");
  }
}

struct HelperCase {
  const char* name;
  Problem p;
  int status;
  const char* code;
  const char* title;
};

TEST(Problems, HelpersStatusesCodesAndTitles) {
  const std::vector<HelperCase> cases = {
      {"bad_request", problems::bad_request("bad"), 400, "bad_request", "Bad Request"},
      {"bad_request code", problems::bad_request("x", "malformed_json"), 400, "malformed_json", "Bad Request"},
      {"unauthenticated", problems::unauthenticated(), 401, "unauthenticated", "Unauthorized"},
      {"forbidden", problems::forbidden(), 403, "forbidden", "Forbidden"},
      {"not_found", problems::not_found(), 404, "not_found", "Not Found"},
      {"method_not_allowed", problems::method_not_allowed(), 405, "method_not_allowed", "Method Not Allowed"},
      {"conflict", problems::conflict("taken", "d"), 409, "taken", "Conflict"},
      {"too_large", problems::too_large("d"), 413, "payload_too_large", "Content Too Large"},
      {"unsupported_media_type", problems::unsupported_media_type("d"), 415, "unsupported_media_type",
       "Unsupported Media Type"},
      {"validation", problems::validation({}), 422, "validation_failed", "Unprocessable Content"},
      {"rate_limited", problems::rate_limited(), 429, "rate_limited", "Too Many Requests"},
      {"not_ready", problems::not_ready(), 503, "not_ready", "Service Unavailable"},
      {"internal", problems::internal(), 500, "internal", "Internal Server Error"},
      {"make", problems::make(431, "header_too_large"), 431, "header_too_large", "Request Header Fields Too Large"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c.p.status, c.status) << c.name;
    EXPECT_EQ(c.p.code, c.code) << c.name;
    EXPECT_EQ(c.p.title, c.title) << c.name;
    const json::object o = c.p.to_json();
    EXPECT_EQ(o.at("status"), c.status) << c.name;
    EXPECT_EQ(o.at("code"), c.code) << c.name;
  }
  EXPECT_EQ(problems::not_found().detail, "no such resource");
  EXPECT_EQ(problems::bad_request("why").detail, "why");
  EXPECT_FALSE(problems::internal().detail.empty());
}

TEST(Problems, StatusTitles) {
  EXPECT_STREQ(status_title(408), "Request Timeout");
  EXPECT_STREQ(status_title(418), "Client Error");
  EXPECT_STREQ(status_title(502), "Server Error");
  EXPECT_STREQ(status_title(599), "Server Error");
}

}  // namespace
}  // namespace parley
