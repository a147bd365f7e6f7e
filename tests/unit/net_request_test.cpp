// Request: JSON bodies (content type, parse errors with line/column), query parameters,
// headers and path parameters; Response helpers.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <functional>
#include <string>
#include <vector>

#include "net/request.hpp"

namespace parley::net {
namespace {

namespace json = boost::json;

struct Fixture {
  RawRequest raw{http::verb::post, "/x", 11};
  std::string query_storage;
  Request req{raw, "/x", ""};

  Fixture& json_body(std::string content_type, std::string body) {
    if (!content_type.empty()) raw.set(http::field::content_type, content_type);
    raw.body() = std::move(body);
    return *this;
  }
  Fixture& query(std::string q) {
    query_storage = std::move(q);
    req.query = query_storage;
    return *this;
  }
};

// The Problem an ApiError carries; a failed expectation when nothing is thrown.
Problem problem_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ApiError& e) {
    return e.problem();
  }
  ADD_FAILURE() << "expected an ApiError";
  return {};
}

TEST(RequestJson, AcceptedContentTypes) {
  for (std::string ct : {"application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8",
                         "Application/JSON", "application/merge-patch+json", "application/problem+json"}) {
    Fixture f;
    f.json_body(ct, R"({"a": [1, 2]})");
    EXPECT_EQ(f.req.json(), json::parse(R"({"a":[1,2]})")) << ct;
  }
}

TEST(RequestJson, OtherContentTypesAre415) {
  for (std::string ct : {"", "text/plain", "text/json", "application/jsonp", "application/x-www-form-urlencoded",
                         "multipart/form-data; boundary=x", "json"}) {
    Fixture f;
    f.json_body(ct, R"({"a": 1})");
    const Problem p = problem_of([&] { f.req.json(); });
    EXPECT_EQ(p.status, 415) << ct;
    EXPECT_EQ(p.code, "unsupported_media_type") << ct;
  }
}

struct MalformedCase {
  std::string body;
  std::uint64_t line, column;
};

TEST(RequestJson, MalformedBodiesAre400WithLineAndColumn) {
  const std::vector<MalformedCase> cases = {
      {"{\n  \"a\": 1,\n  \"b\": @\n}", 3, 8},             // the '@'
      {"{\n  \"name\": \"x\",\n  \"count\": 1,\n}", 4, 1},  // a trailing comma: the '}'
      {"{\"a\": 1", 1, 8},                                  // cut short: the end of the body
      {"[1, 2,\n 3,,\n 4]", 2, 4},                          // the second ','
  };
  for (const auto& c : cases) {
    Fixture f;
    f.json_body("application/json", c.body);
    const Problem p = problem_of([&] { f.req.json(); });
    EXPECT_EQ(p.status, 400) << c.body;
    EXPECT_EQ(p.code, "malformed_json") << c.body;
    EXPECT_NE(p.detail.find("not valid JSON"), std::string::npos) << p.detail;
    ASSERT_TRUE(p.extra.contains("line") && p.extra.contains("column")) << c.body;
    EXPECT_EQ(p.extra.at("line").to_number<std::uint64_t>(), c.line) << c.body;
    EXPECT_EQ(p.extra.at("column").to_number<std::uint64_t>(), c.column) << c.body;
    // The members reach the problem document.
    EXPECT_TRUE(p.to_json().contains("line"));
  }
}

TEST(RequestJson, TrailingDataIsMalformed) {
  Fixture f;
  f.json_body("application/json", "{\"a\": 1} {\"b\": 2}");
  const Problem p = problem_of([&] { f.req.json(); });
  EXPECT_EQ(p.code, "malformed_json");
}

TEST(RequestJson, EmptyBody) {
  Fixture f;
  f.json_body("application/json", "");
  const Problem p = problem_of([&] { f.req.json(); });
  EXPECT_EQ(p.status, 400);
  EXPECT_EQ(p.code, "malformed_json");
  EXPECT_NE(p.detail.find("empty"), std::string::npos) << p.detail;
  EXPECT_EQ(p.extra.at("line"), 1);
  EXPECT_EQ(p.extra.at("column"), 1);
}

TEST(RequestJson, ScalarsAndUnicode) {
  Fixture f;
  f.json_body("application/json", "  \"h\\u00e9llo\"  ");
  EXPECT_EQ(f.req.json(), json::value("h\xc3\xa9llo"));
}

TEST(RequestQuery, Decoding) {
  Fixture f;
  f.query("q=hello%20world&tag=a+b&empty=&flag&dup=1&dup=2&pct=100%25&plus=%2B&utf=%C3%A9");
  EXPECT_EQ(f.req.query_param("q"), "hello world");
  EXPECT_EQ(f.req.query_param("tag"), "a b");
  EXPECT_EQ(f.req.query_param("empty"), "");
  EXPECT_EQ(f.req.query_param("flag"), "");
  EXPECT_EQ(f.req.query_param("dup"), "1");  // the first of a repeated key
  EXPECT_EQ(f.req.query_param("pct"), "100%");
  EXPECT_EQ(f.req.query_param("plus"), "+");
  EXPECT_EQ(f.req.query_param("utf"), "\xc3\xa9");
  EXPECT_EQ(f.req.query_param("missing"), std::nullopt);
  EXPECT_EQ(f.req.query_param("Q"), std::nullopt);  // keys are case-sensitive
  EXPECT_EQ(f.req.query_param("fla"), std::nullopt);
  EXPECT_EQ(Fixture().req.query_param("q"), std::nullopt);
}

TEST(RequestQuery, InvalidPercentEncodingIs400) {
  for (std::string q : {"q=%zz", "q=%2", "q=abc%", "q=%G1"}) {
    Fixture f;
    f.query(q);
    const Problem p = problem_of([&] { (void)f.req.query_param("q"); });
    EXPECT_EQ(p.status, 400) << q;
    EXPECT_NE(p.detail.find("q"), std::string::npos) << p.detail;
    // Other parameters stay readable.
    f.query(q + "&ok=1");
    EXPECT_EQ(f.req.query_param("ok"), "1") << q;
  }
}

TEST(RequestHeaders, LookupIsCaseInsensitive) {
  Fixture f;
  f.raw.set("X-Request-Id", "abc-123");
  f.raw.set(http::field::content_type, "application/json");
  EXPECT_EQ(f.req.header("X-Request-Id"), "abc-123");
  EXPECT_EQ(f.req.header("x-request-id"), "abc-123");
  EXPECT_EQ(f.req.header("X-REQUEST-ID"), "abc-123");
  EXPECT_EQ(f.req.header("content-type"), "application/json");
  EXPECT_EQ(f.req.header("X-Missing"), "");
}

TEST(RequestParams, ByName) {
  Fixture f;
  f.req.params = {{"room", "7"}, {"msg", "99"}};
  EXPECT_EQ(f.req.param("room"), "7");
  EXPECT_EQ(f.req.param("msg"), "99");
  EXPECT_EQ(f.req.param("id"), "");
}

TEST(ResponseHelpers, Shapes) {
  const Response p = Response::problem(problems::not_found());
  EXPECT_EQ(p.status, 404);
  EXPECT_EQ(p.content_type, "application/problem+json");
  EXPECT_EQ(json::parse(p.body).at("code"), "not_found");
  const Response n = Response::no_content();
  EXPECT_EQ(n.status, 204);
  EXPECT_TRUE(n.content_type.empty());
  EXPECT_TRUE(n.body.empty());
  const Response j = Response::json(201, json::object{{"id", "1"}});
  EXPECT_EQ(j.status, 201);
  EXPECT_EQ(j.content_type, "application/json");
  EXPECT_EQ(j.body, R"({"id":"1"})");
  EXPECT_EQ(Response::text(200, "hi").content_type, "text/plain; charset=utf-8");
}

}  // namespace
}  // namespace parley::net
