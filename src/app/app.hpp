#pragma once
// The application: wires the domains onto the server and implements the command-line commands.
#include "core/config.hpp"
#include "core/metrics.hpp"
#include "net/router.hpp"

#include <functional>

namespace parley::store {
class Database;
}
namespace parley::net {
class Server;
}

namespace parley::app {

namespace asio = boost::asio;

struct Context {
  const Config& config;
  metrics::Registry& metrics;
  store::Database& db;
  std::function<bool()> draining;
};

// /healthz, /readyz, /metrics; and the problems store failures stand for (a full disk is 503
// storage_full, for every route).
void add_ops_routes(net::Router& router, Context& ctx);
Problem storage_full_problem();
// 503 store_unavailable (Retry-After: 1): PostgreSQL cannot be reached.
Problem store_unavailable_problem();
// The problem an unexpected exception stands for (a full disk), for the routes and the gateway.
std::optional<Problem> store_problem(const std::exception& e);
void add_dev_routes(net::Router& router, Context& ctx);
// The web app at / (config.web_root). Throws std::runtime_error when an explicit web root is not
// an app build.
void add_web_routes(net::Router& router, const Config& config);
void register_build_info(metrics::Registry& registry);

// Commands; each returns the process exit code.
int serve(const Config& config);
int migrate(const Config& config, const std::string& action, int steps);
int rotate_keys(const Config& config, bool revoke_previous = false);
int print_version();

}  // namespace parley::app
