#include "core/problem.hpp"

namespace parley {

boost::json::object Problem::to_json() const {
  boost::json::object o;
  o["type"] = "about:blank";
  o["title"] = title;
  o["status"] = status;
  o["code"] = code;
  if (!detail.empty()) o["detail"] = detail;
  if (!fields.empty()) o["fields"] = fields;
  for (const auto& kv : extra) o[kv.key()] = kv.value();
  return o;
}

const char* status_title(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return status < 500 ? "Client Error" : "Server Error";
  }
}

namespace problems {

Problem make(int status, std::string code, std::string detail) {
  Problem p;
  p.status = status;
  p.code = std::move(code);
  p.title = status_title(status);
  p.detail = std::move(detail);
  return p;
}

Problem bad_request(std::string detail, std::string code) { return make(400, std::move(code), std::move(detail)); }
Problem unauthenticated(std::string detail) { return make(401, "unauthenticated", std::move(detail)); }
Problem forbidden(std::string detail) { return make(403, "forbidden", std::move(detail)); }
Problem not_found(std::string detail) { return make(404, "not_found", std::move(detail)); }
Problem method_not_allowed(std::string detail) { return make(405, "method_not_allowed", std::move(detail)); }
Problem conflict(std::string code, std::string detail) { return make(409, std::move(code), std::move(detail)); }
Problem too_large(std::string detail) { return make(413, "payload_too_large", std::move(detail)); }
Problem unsupported_media_type(std::string detail) {
  return make(415, "unsupported_media_type", std::move(detail));
}
Problem validation(boost::json::object fields, std::string detail) {
  Problem p = make(422, "validation_failed", std::move(detail));
  p.fields = std::move(fields);
  return p;
}
Problem rate_limited(std::string detail) { return make(429, "rate_limited", std::move(detail)); }
Problem not_ready(std::string detail) { return make(503, "not_ready", std::move(detail)); }
Problem internal() { return make(500, "internal", "an unexpected error occurred; it has been logged"); }

}  // namespace problems
}  // namespace parley
