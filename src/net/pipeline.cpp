#include "net/pipeline.hpp"

#include "core/ids.hpp"
#include "core/log.hpp"

#include <boost/beast/http/verb.hpp>

#include <cmath>
#include <unordered_map>

namespace parley::net {
namespace {

const char* kSecurityHeaders[][2] = {
    {"Content-Security-Policy",
     "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
     "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Frame-Options", "DENY"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
};

// The metric children for one (pipeline, method, route, status), cached per thread so that the hot
// path neither builds label vectors nor takes the family's lock.
struct MetricKey {
  const void* pipeline;
  const void* route;  // the pattern's address in the route table; null when unmatched
  int method;
  int status;
  bool operator==(const MetricKey&) const = default;
};
struct MetricKeyHash {
  std::size_t operator()(const MetricKey& k) const noexcept {
    return std::hash<const void*>{}(k.route) ^ (std::hash<const void*>{}(k.pipeline) << 1) ^
           (static_cast<std::size_t>(k.method) << 16) ^ static_cast<std::size_t>(k.status);
  }
};
struct MetricChildren {
  metrics::Counter* requests;
  metrics::Histogram* duration;
};

std::string allow_header(const std::vector<http::verb>& verbs) {
  std::string out;
  for (auto v : verbs) {
    if (!out.empty()) out += ", ";
    out += std::string(http::to_string(v));
    if (v == http::verb::get) out += ", HEAD";
  }
  return out;
}

}  // namespace

Pipeline::Pipeline(const Config& config, const Router& router, metrics::Registry& registry)
    : router_(router),
      cors_(config.cors_origins),
      requests_(registry.counter("parley_http_requests_total", "HTTP requests answered, by method, route and status",
                                 {"method", "route", "status"})),
      durations_(registry.histogram("parley_http_request_duration_seconds",
                                    "Time from the first header byte to the response, by method, route and status",
                                    {"method", "route", "status"})) {}

void Pipeline::begin(Request& req, TraceContext& trace) const {
  const auto incoming = req.header("X-Request-Id");
  req.request_id = valid_request_id(incoming) ? std::string(incoming) : random_hex(16);
  trace = trace_for(req.header("traceparent"));
  req.trace_id = trace.trace_id;
}

Router::Match Pipeline::route(const Request& req, bool upgrade) const {
  return router_.match(req.method(), req.path, upgrade);
}

asio::awaitable<Response> Pipeline::run(Request& req, Router::Match& match) const {
  if (match.pattern) req.route = *match.pattern;
  if (cors_.is_preflight(req)) co_return cors_.preflight(req);
  if (match.needs_upgrade)
    co_return Response::problem(problems::make(426, "upgrade_required", "this endpoint speaks WebSocket only"))
        .header("Upgrade", "websocket");
  if (!match.handler) {
    if (!match.allowed.empty())
      co_return Response::problem(problems::method_not_allowed(
                                      "allowed: " + allow_header(match.allowed)))
          .header("Allow", allow_header(match.allowed));
    co_return Response::problem(problems::not_found("no route for " + std::string(req.path)));
  }
  req.params = std::move(match.params);
  try {
    co_return co_await (*match.handler)(req);
  } catch (const ApiError& e) {
    co_return Response::problem(e.problem());
  } catch (const std::exception& e) {
    // Known failures (a full disk) become their problem, logged where they happen, not per request.
    if (auto p = router_.mapped(e)) co_return Response::problem(*p);
    log::error("handler failed", {{"request_id", req.request_id}, {"route", std::string(req.route)},
                                  {"error", e.what()}});
  }
  co_return Response::problem(problems::internal());
}

void Pipeline::end(const Request& req, const TraceContext& trace, Response& res,
                   std::chrono::steady_clock::time_point start, std::size_t body_bytes_override) const {
  res.header("X-Request-Id", req.request_id);
  res.header("traceparent", trace.header());
  for (const auto& h : kSecurityHeaders) res.header(h[0], h[1]);
  if (!cors_.is_preflight(req)) cors_.decorate(req, res);

  const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::string_view route = req.route.empty() ? std::string_view("unmatched") : req.route;
  const std::string_view method = http::to_string(req.method());
  thread_local std::unordered_map<MetricKey, MetricChildren, MetricKeyHash> cache;
  const MetricKey key{this, req.route.empty() ? nullptr : req.route.data(), static_cast<int>(req.method()), res.status};
  auto it = cache.find(key);
  if (it == cache.end()) {
    const std::vector<std::string> labels{std::string(method), std::string(route), std::to_string(res.status)};
    it = cache.emplace(key, MetricChildren{&requests_.with(labels), &durations_.with(labels)}).first;
  }
  it->second.requests->inc();
  it->second.duration->observe(elapsed);
  if (log::enabled(log::Level::info)) {
    log::info("request", {{"request_id", req.request_id},
                          {"trace_id", req.trace_id},
                          {"method", method},
                          {"route", route},
                          {"status", res.status},
                          {"bytes", body_bytes_override == SIZE_MAX ? res.body.size() : body_bytes_override},
                          {"duration_ms", std::round(elapsed * 1e6) / 1e3},
                          {"remote", req.remote_ip}});
  }
}

}  // namespace parley::net
