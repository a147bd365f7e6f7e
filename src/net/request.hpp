#pragma once
// What a handler sees (Request) and returns (Response). Handlers are coroutines:
//   asio::awaitable<Response> handler(Request&)
// and throw ApiError for expected failures (mapped to problem+json in one place, pipeline.cpp).
#include "core/problem.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parley::net {

namespace asio = boost::asio;
namespace http = boost::beast::http;

using RawRequest = http::request<http::string_body>;

struct Request {
  RawRequest& raw;
  std::string_view path;   // without the query string
  std::string_view query;  // without '?'
  std::string_view route;  // the matched pattern, e.g. /v1/rooms/{id}; "unmatched" when none
  std::vector<std::pair<std::string_view, std::string_view>> params;
  std::string request_id;
  std::string trace_id;
  std::string remote_ip;

  http::verb method() const { return raw.method(); }
  std::string_view header(std::string_view name) const;
  // A path parameter by name ({id} -> "id"); empty when absent.
  std::string_view param(std::string_view name) const;
  // A query parameter, percent-decoded; nullopt when absent.
  std::optional<std::string> query_param(std::string_view name) const;
  // The body as JSON: 415 unless Content-Type is application/json, 400 malformed_json with
  // line and column when it does not parse.
  boost::json::value json() const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  static Response json(int status, const boost::json::value& v);
  // The problem as application/problem+json, with the headers it carries (Retry-After, ...).
  static Response problem(const Problem& p);
  static Response no_content();
  static Response text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
  Response& header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

}  // namespace parley::net
