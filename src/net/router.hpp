#pragma once
// One route table: method + pattern ("/v1/rooms/{id}/messages") -> handler. Segments in braces
// capture one path segment. Exact segments win over parameters.
#include "net/request.hpp"

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace parley::net {

class WsSession;

using Handler = std::function<asio::awaitable<Response>(Request&)>;
// Runs for the life of an upgraded WebSocket; the session is already accepted.
using WsHandler = std::function<asio::awaitable<void>(std::shared_ptr<WsSession>, Request&)>;
// Turns an unexpected exception from a handler into the problem it stands for (a full disk is a
// 503 storage_full, not a 500); nullopt leaves it a 500 internal.
using ExceptionMapper = std::function<std::optional<Problem>(const std::exception&)>;

class Router {
 public:
  void add(http::verb method, std::string pattern, Handler handler);
  void get(std::string p, Handler h) { add(http::verb::get, std::move(p), std::move(h)); }
  void post(std::string p, Handler h) { add(http::verb::post, std::move(p), std::move(h)); }
  void put(std::string p, Handler h) { add(http::verb::put, std::move(p), std::move(h)); }
  void patch(std::string p, Handler h) { add(http::verb::patch, std::move(p), std::move(h)); }
  void del(std::string p, Handler h) { add(http::verb::delete_, std::move(p), std::move(h)); }
  void websocket(std::string pattern, WsHandler handler);
  // Answers a GET or HEAD that no route's path matches (the web app's files); reported under the
  // route "(static)".
  void fallback(Handler handler) { fallback_ = std::move(handler); }
  // How handlers' exceptions other than ApiError are answered (set once, by the app).
  void map_exceptions(ExceptionMapper mapper) { mapper_ = std::move(mapper); }
  std::optional<Problem> mapped(const std::exception& e) const { return mapper_ ? mapper_(e) : std::nullopt; }

  struct Match {
    const Handler* handler = nullptr;
    const WsHandler* ws = nullptr;
    const std::string* pattern = nullptr;
    std::vector<std::pair<std::string_view, std::string_view>> params;
    std::vector<http::verb> allowed;  // when the path matched but not the method
    bool needs_upgrade = false;       // a WebSocket route reached without an upgrade request
  };
  // Matches `path` (no query). Params point into `path` and the route table.
  Match match(http::verb method, std::string_view path, bool upgrade) const;

 private:
  struct Route {
    http::verb method;
    std::string pattern;
    std::vector<std::string> segments;  // "{name}" for parameters
    Handler handler;
    WsHandler ws;
  };
  bool match_route(const Route& r, const std::vector<std::string_view>& parts,
                   std::vector<std::pair<std::string_view, std::string_view>>& params) const;
  std::vector<Route> routes_;
  Handler fallback_;
  ExceptionMapper mapper_;
  std::string fallback_pattern_ = "(static)";
};

}  // namespace parley::net
