#pragma once
// CORS from the --cors-origins allow-list. No wildcard: an origin is allowed only when listed.
#include "net/request.hpp"

#include <string>
#include <vector>

namespace parley::net {

class Cors {
 public:
  explicit Cors(std::vector<std::string> origins) : origins_(std::move(origins)) {}

  bool allowed(std::string_view origin) const;
  // OPTIONS with Origin and Access-Control-Request-Method: 204 with the grant, or 403 cors_forbidden.
  bool is_preflight(const Request& req) const;
  Response preflight(const Request& req) const;
  // Adds Access-Control-Allow-Origin (and Vary: Origin) to an ordinary response.
  void decorate(const Request& req, Response& res) const;

 private:
  std::vector<std::string> origins_;
};

}  // namespace parley::net
