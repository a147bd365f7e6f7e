// /healthz, /readyz, /metrics.
#include "app/app.hpp"
#include "core/build_info.hpp"
#include "core/clock.hpp"
#include "store/database.hpp"
#include "store/error.hpp"

#include <boost/json.hpp>

namespace parley::app {

void register_build_info(metrics::Registry& registry) {
  registry.gauge("parley_build_info", "Build information; the value is always 1", {"version", "build_type", "compiler"})
      .with({build::version, build::build_type, build::compiler})
      .set(1);
  registry.gauge("parley_process_start_time_seconds", "Start time of the process since the Unix epoch in seconds")
      .with({})
      .set(static_cast<double>(clock::unix_ms(clock::now())) / 1000.0);
}

Problem storage_full_problem() {
  Problem p = problems::make(503, "storage_full", "the server is out of storage space; nothing was written");
  p.headers.emplace_back("Retry-After", "30");
  return p;
}

Problem store_unavailable_problem() {
  Problem p = problems::make(503, "store_unavailable", "the database cannot be reached; nothing was written");
  p.headers.emplace_back("Retry-After", "1");
  return p;
}

std::optional<Problem> store_problem(const std::exception& e) {
  if (store::is_storage_full(e)) return storage_full_problem();
  if (store::is_store_unavailable(e)) return store_unavailable_problem();
  return std::nullopt;
}

void add_ops_routes(net::Router& router, Context& ctx) {
  router.map_exceptions(store_problem);
  router.get("/healthz", [](net::Request&) -> asio::awaitable<net::Response> {
    co_return net::Response::json(200, {{"status", "ok"}});
  });
  router.get("/readyz", [&ctx](net::Request&) -> asio::awaitable<net::Response> {
    if (ctx.draining()) co_return net::Response::problem(problems::make(503, "draining", "the server is shutting down"));
    bool store_ok = false;
    try {
      store_ok = co_await ctx.db.ping();
    } catch (const std::exception&) {
      store_ok = false;
    }
    if (!store_ok) co_return net::Response::problem(problems::not_ready("the store does not answer"));
    if (ctx.db.storage_full()) co_return net::Response::problem(storage_full_problem());
    co_return net::Response::json(200, {{"status", "ready"}, {"store", ctx.db.backend()}});
  });
  router.get("/metrics", [&ctx](net::Request&) -> asio::awaitable<net::Response> {
    co_return net::Response::text(200, ctx.metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
  });
}

}  // namespace parley::app
