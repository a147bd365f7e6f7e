#pragma once
// Problem details (RFC 9457). Domain code throws ApiError (or returns a Problem in an
// std::expected); net/ maps it to an application/problem+json response in one place.
// `code` is the stable, machine-readable identifier documented in docs/api/openapi.yaml.
#include <boost/json/object.hpp>
#include <exception>
#include <string>
#include <utility>
#include <vector>

namespace parley {

struct Problem {
  int status = 500;
  std::string code = "internal";
  std::string title = "Internal Server Error";
  std::string detail;
  boost::json::object fields;   // per-field messages for validation_failed
  boost::json::object extra;    // additional members (e.g. line/column of a JSON error)
  // Response headers that go with the problem (e.g. Retry-After on 429); net/pipeline.cpp adds them.
  std::vector<std::pair<std::string, std::string>> headers;

  boost::json::object to_json() const;
};

class ApiError : public std::exception {
 public:
  explicit ApiError(Problem p) : problem_(std::move(p)) {}
  const Problem& problem() const noexcept { return problem_; }
  const char* what() const noexcept override { return problem_.code.c_str(); }

 private:
  Problem problem_;
};

// The title that goes with an HTTP status.
const char* status_title(int status);

namespace problems {
Problem make(int status, std::string code, std::string detail = {});
Problem bad_request(std::string detail, std::string code = "bad_request");
Problem unauthenticated(std::string detail = "authentication required");
Problem forbidden(std::string detail = "not allowed");
Problem not_found(std::string detail = "no such resource");
Problem method_not_allowed(std::string detail = "method not allowed");
Problem conflict(std::string code, std::string detail);
Problem too_large(std::string detail);
Problem unsupported_media_type(std::string detail);
Problem validation(boost::json::object fields, std::string detail = "some fields are invalid");
Problem rate_limited(std::string detail = "too many requests");
Problem not_ready(std::string detail = "not ready");
Problem internal();
}  // namespace problems

}  // namespace parley
