#include "net/cors.hpp"

#include <algorithm>

namespace parley::net {

bool Cors::allowed(std::string_view origin) const {
  return !origin.empty() && std::find(origins_.begin(), origins_.end(), origin) != origins_.end();
}

bool Cors::is_preflight(const Request& req) const {
  return req.method() == http::verb::options && !req.header("Origin").empty() &&
         !req.header("Access-Control-Request-Method").empty();
}

Response Cors::preflight(const Request& req) const {
  const auto origin = req.header("Origin");
  if (!allowed(origin)) {
    Response r = Response::problem(problems::make(403, "cors_forbidden", "this origin may not call the API"));
    r.header("Vary", "Origin");
    return r;
  }
  Response r = Response::no_content();
  r.header("Access-Control-Allow-Origin", std::string(origin));
  r.header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
  r.header("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-Id, Idempotency-Key, traceparent");
  r.header("Access-Control-Max-Age", "600");
  r.header("Vary", "Origin");
  return r;
}

void Cors::decorate(const Request& req, Response& res) const {
  const auto origin = req.header("Origin");
  if (origin.empty()) return;
  res.header("Vary", "Origin");
  if (!allowed(origin)) return;
  res.header("Access-Control-Allow-Origin", std::string(origin));
  res.header("Access-Control-Expose-Headers", "X-Request-Id, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset");
}

}  // namespace parley::net
