#include "problem_assertions.hpp"

#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <cctype>
#include <string>

namespace parley::it {

boost::json::object expect_problem(const Response& res, unsigned status, std::string_view code) {
  EXPECT_EQ(res.result_int(), status) << res;
  EXPECT_TRUE(header(res, "Content-Type").starts_with("application/problem+json"))
      << "Content-Type: " << header(res, "Content-Type");
  std::string lower = res.body();
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(lower.find("<html"), std::string::npos) << res.body();
  EXPECT_TRUE(has_header(res, "X-Request-Id")) << res.base();
  boost::system::error_code ec;
  auto v = boost::json::parse(res.body(), ec);
  if (ec || !v.is_object()) {
    ADD_FAILURE() << "problem body is not a JSON object: " << res.body();
    return {};
  }
  auto& obj = v.as_object();
  auto* st = obj.if_contains("status");
  EXPECT_TRUE(st != nullptr && st->is_int64() && st->as_int64() == status) << res.body();
  auto* cd = obj.if_contains("code");
  EXPECT_TRUE(cd != nullptr && cd->is_string() && cd->as_string() == code)
      << "expected code " << code << ": " << res.body();
  auto* title = obj.if_contains("title");
  EXPECT_TRUE(title != nullptr && title->is_string()) << res.body();
  auto* type = obj.if_contains("type");
  EXPECT_TRUE(type != nullptr && type->is_string()) << res.body();
  return std::move(obj);
}

}  // namespace parley::it
