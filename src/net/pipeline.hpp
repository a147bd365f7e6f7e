#pragma once
// The middleware chain, declared in one place. For every request, in order:
//   1. request id (a valid incoming X-Request-Id, else a new one) and trace context (traceparent)
//   2. CORS preflight
//   3. route: 404 not_found, 405 method_not_allowed (with Allow), 426 for a WebSocket route without upgrade
//   4. the handler; ApiError -> its problem, any other exception -> 500 internal (logged, never shown)
//   5. response headers: X-Request-Id, traceparent, security headers, CORS
//   6. access log line (no Authorization, no bodies) and metrics by method, route and status
#include "core/config.hpp"
#include "core/metrics.hpp"
#include "net/cors.hpp"
#include "net/router.hpp"
#include "net/trace.hpp"

#include <chrono>

namespace parley::net {

class Pipeline {
 public:
  Pipeline(const Config& config, const Router& router, metrics::Registry& registry);

  // Step 1: identifies the request.
  void begin(Request& req, TraceContext& trace) const;
  Router::Match route(const Request& req, bool upgrade) const;
  // Steps 2-4. Never throws.
  asio::awaitable<Response> run(Request& req, Router::Match& match) const;
  // Steps 5-6, for any response (including those the session makes itself: 413, 431).
  void end(const Request& req, const TraceContext& trace, Response& res, std::chrono::steady_clock::time_point start,
           std::size_t body_bytes_override = SIZE_MAX) const;

  const Router& router() const { return router_; }

 private:
  const Router& router_;
  Cors cors_;
  metrics::Family<metrics::Counter>& requests_;
  metrics::Family<metrics::Histogram>& durations_;
};

}  // namespace parley::net
