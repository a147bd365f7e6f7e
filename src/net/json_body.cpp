// Request::json(): content-type check and parse errors with their position.
#include "net/request.hpp"

#include <boost/json/stream_parser.hpp>

#include <algorithm>
#include <cctype>

namespace parley::net {
namespace {

bool is_json_content_type(std::string_view ct) {
  const auto semi = ct.find(';');
  std::string_view media = ct.substr(0, semi);
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  std::string lower(media);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower == "application/json" || (lower.starts_with("application/") && lower.ends_with("+json"));
}

}  // namespace

boost::json::value Request::json() const {
  if (!is_json_content_type(header("Content-Type")))
    throw ApiError(problems::unsupported_media_type("expected Content-Type: application/json"));
  const std::string& body = raw.body();
  boost::json::stream_parser parser;
  boost::system::error_code ec;
  const std::size_t used = parser.write(body.data(), body.size(), ec);
  if (!ec) parser.finish(ec);
  if (!ec) return parser.release();

  const std::size_t at = std::min(ec == boost::json::error::incomplete ? body.size() : used, body.size());
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < at; ++i) {
    if (body[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  Problem p = problems::bad_request(
      body.empty() ? "the request body is empty; expected a JSON document"
                   : "the request body is not valid JSON: " + ec.message(),
      "malformed_json");
  p.extra["line"] = line;
  p.extra["column"] = column;
  p.extra["offset"] = at;
  throw ApiError(std::move(p));
}

}  // namespace parley::net
