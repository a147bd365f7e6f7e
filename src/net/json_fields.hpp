#pragma once
// Reading fields out of a JSON request body, collecting per-field errors for one 422.
#include "core/problem.hpp"
#include "net/request.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>

namespace parley::net {

class JsonFields {
 public:
  // Parses the body (415/400 as Request::json) and requires an object (422 otherwise).
  explicit JsonFields(const Request& req);

  // A string member; absent -> nullopt (an error when required), other type -> error.
  std::optional<std::string> string(std::string_view key, bool required = false);
  std::optional<std::int64_t> integer(std::string_view key, bool required = false);
  std::optional<bool> boolean(std::string_view key, bool required = false);
  void fail(std::string_view key, std::string message) { errors_[key] = std::move(message); }
  const boost::json::object& object() const { return body_; }
  // Throws 422 validation_failed when any field failed.
  void done() const;

 private:
  boost::json::object body_;
  boost::json::object errors_;
};

}  // namespace parley::net
