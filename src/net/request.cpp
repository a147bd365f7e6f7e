#include "net/request.hpp"

#include "core/json_text.hpp"

#include <boost/url/decode_view.hpp>

namespace parley::net {

std::string_view Request::header(std::string_view name) const {
  auto it = raw.find(name);
  return it == raw.end() ? std::string_view{} : std::string_view(it->value());
}

std::string_view Request::param(std::string_view name) const {
  for (const auto& [k, v] : params)
    if (k == name) return v;
  return {};
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  std::string_view q = query;
  while (!q.empty()) {
    const auto amp = q.find('&');
    const std::string_view pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
    const auto eq = pair.find('=');
    const std::string_view key = pair.substr(0, eq);
    if (key != name) continue;
    const std::string_view value = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    std::string plus_as_space(value);
    for (char& c : plus_as_space)
      if (c == '+') c = ' ';
    try {
      boost::urls::decode_view dv(plus_as_space);
      return std::string(dv.begin(), dv.end());
    } catch (const std::exception&) {
      throw ApiError(problems::bad_request("query parameter " + std::string(name) + " is not valid percent-encoding"));
    }
  }
  return std::nullopt;
}

Response Response::json(int status, const boost::json::value& v) {
  Response r;
  r.status = status;
  r.body = json_text(v);
  return r;
}

Response Response::problem(const Problem& p) {
  Response r;
  r.status = p.status;
  r.content_type = "application/problem+json";
  r.body = json_text(p.to_json());
  for (const auto& [name, value] : p.headers) r.header(name, value);  // Retry-After and the like
  return r;
}

Response Response::no_content() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

Response Response::text(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

}  // namespace parley::net
