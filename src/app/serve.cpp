// `parley serve`: lock the data folder, open and migrate the store, wire the routes, serve until
// SIGTERM/SIGINT, then (after --drain-grace, during which /readyz says draining) drain within --shutdown-timeout.
#include "app/app.hpp"
#include "app/cluster.hpp"
#include "app/node_lease.hpp"
#include "app/outbox_routes.hpp"
#include "auth/auth_routes.hpp"
#include "auth/mfa.hpp"
#include "auth/privacy.hpp"
#include "auth/mail_flows.hpp"
#include "auth/signing_keys.hpp"
#include "bus/hub.hpp"
#include "chat/chat_routes.hpp"
#include "chat/gateway.hpp"
#include "chat/hub_bus.hpp"
#include "core/log.hpp"
#include "mail/mailer.hpp"
#include "net/server.hpp"
#include "store/data_lock.hpp"
#include "store/migrations.hpp"
#include "store/open.hpp"

#include <boost/asio/signal_set.hpp>

#include <sys/resource.h>

namespace parley::app {
namespace {

// Many idle WebSockets need many descriptors: take what the hard limit allows.
void raise_fd_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
}

}  // namespace

int serve(const Config& config) {
  log::init(config.log_level);
  raise_fd_limit();
  std::unique_ptr<store::DataLock> lock;
  try {
    lock = std::make_unique<store::DataLock>(config.data_dir);
  } catch (const std::exception& e) {
    log::error("cannot open the data folder", {{"data", config.data_dir.string()}, {"error", e.what()}});
    log::flush();
    return 1;
  }

  metrics::Registry registry;
  register_build_info(registry);
  std::unique_ptr<store::Database> db;
  try {
    db = store::open_database({config.database, config.data_dir, config.slow_store, 512}, registry);
    const int applied = store::Migrator(*db).up();
    if (applied > 0) log::info("migrations applied", {{"count", applied}});
  } catch (const std::exception& e) {
    log::error("cannot open the store", {{"data", config.data_dir.string()},
                                         {"database", config.database.empty() ? std::string("sqlite") : mask_url_password(config.database)},
                                         {"error", e.what()}});
    log::flush();
    return 1;
  }

  std::unique_ptr<auth::KeyRing> keys;
  try {
    // In the database, shared by every server on it; the first start imports DATA/keys/*.json.
    keys = std::make_unique<auth::KeyRing>(*db, config.data_dir / "keys");
  } catch (const std::exception& e) {
    log::error("cannot load the signing keys", {{"error", e.what()}});
    log::flush();
    db->close();
    return 1;
  }
  // CPU-heavy work (password hashing) on its own threads, never on an I/O thread.
  WorkerPool pool(static_cast<std::size_t>(config.effective_worker_threads()), 1024);
  IdGenerator ids;
  // The node bits of the ids this server makes: its own among the servers sharing the database.
  std::unique_ptr<NodeLease> lease;
  try {
    lease = std::make_unique<NodeLease>(*db, ids);
  } catch (const std::exception& e) {
    log::error("cannot claim a node number", {{"error", e.what()}});
    log::flush();
    db->close();
    return 1;
  }
  auth::AuthService auth(config, *db, pool, *keys, ids);
  auth::TokenCache::set_capacity(config.token_cache_entries);
  // Mail goes out on its own thread: over SMTP with --smtp-url, else into DATA/outbox/.
  mail::Mailer mailer({.smtp_url = config.smtp_url,
                       .from = config.mail_from.empty() ? mail::default_from(config.app_name, config.public_url)
                                                        : config.mail_from,
                       .outbox_dir = config.data_dir / "outbox"});
  auth.set_mailer(&mailer);
  // Chat publishes stored events (after their commit) and receipts on the hub; the gateway's
  // connections subscribe to it.
  bus::Hub hub;
  // With --redis, through the cluster bus: to this node's hub and to every node following the topic.
  std::unique_ptr<ClusterNode> cluster;
  try {
    if (!config.redis.empty()) cluster = std::make_unique<ClusterNode>(config.redis, hub, *db, registry);
  } catch (const std::exception& e) {
    log::error("cannot use the Redis URL", {{"setting", "redis"}, {"error", e.what()}});
    log::flush();
    db->close();
    return 2;
  }
  chat::HubBus chat_bus = cluster ? chat::HubBus(cluster->bus()) : chat::HubBus(hub);
  chat::ChatService chat(*db, ids, &chat_bus);
  chat::Presence presence(chat, &chat_bus);
  chat::GatewayDeps gateway{.chat = chat, .auth = auth, .hub = hub, .presence = presence, .limits = {}};
  gateway.limits.frames_per_second = config.ws_frame_rate;
  gateway.limits.max_rooms = config.ws_max_rooms;
  gateway.limits.recheck_session = config.ws_session_recheck;
  gateway.limits.fragment_timeout = config.ws_fragment_timeout;
  gateway.map_exception = store_problem;  // a full disk is storage_full on the socket as on REST
  // A session that ends (sign-out, revocation, password reset, deletion) closes its sockets at once.
  auth.on_session_ended([&chat_bus](std::int64_t user_id, std::int64_t session_id, std::string_view reason) {
    const auto session = session_id == auth::AuthService::kAllSessions ? bus::kAllSessions : session_id;
    chat_bus.publish_event(chat::session_ended_event(user_id, session, std::string(reason)));
  });

  net::Router router;
  net::Server* server_ptr = nullptr;
  Context ctx{config, registry, *db, [&server_ptr] { return server_ptr && server_ptr->draining(); }};
  add_ops_routes(router, ctx);
  auth::add_auth_routes(router, auth, *keys);
  auth::add_me_routes(router, auth);
  auth::add_users_routes(router, auth);
  auth::add_mfa_routes(router, auth);
  auth::add_privacy_routes(router, auth);
  auth::add_mail_flow_routes(router, auth);
  chat::add_chat_routes(router, chat, auth);
  chat::add_gateway_routes(router, gateway);
  if (config.dev) add_dev_routes(router, ctx);
  if (config.dev) add_outbox_routes(router, mailer.outbox_dir());
  try {
    add_web_routes(router, config);
  } catch (const std::exception& e) {
    log::error("cannot serve the web app", {{"setting", "web-root"}, {"value", config.web_root}, {"error", e.what()}});
    log::flush();
    db->close();
    return 2;
  }

  net::Server server(config, router, registry);
  server_ptr = &server;
  try {
    server.listen();
  } catch (const std::exception& e) {
    log::error("cannot listen", {{"address", config.listen_host}, {"port", config.listen_port}, {"error", e.what()}});
    log::flush();
    db->close();
    return 1;
  }

  boost::asio::signal_set signals(server.context(0), SIGTERM, SIGINT);
  std::function<void(const boost::system::error_code&, int)> on_signal;
  on_signal = [&](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    if (server.draining()) {
      log::warn("second signal: stopping now", {{"signal", signo}});
      server.stop();
      return;
    }
    log::info("signal received; draining", {{"signal", signo}});
    server.drain();
    signals.async_wait(on_signal);
  };
  signals.async_wait(on_signal);

  // Picks up `parley keys rotate [--revoke-previous]` run against this database (from any node)
  // within about a second: one small query every second on a thread of its own (not the I/O
  // threads, and not the worker pool, which a login storm can keep busy).
  auth::KeyWatcher key_watcher(*keys, std::chrono::seconds(1));

  log::info("listening", {{"address", config.listen_host},
                          {"port", server.port()},
                          {"threads", server.threads()},
                          {"data", config.data_dir.string()},
                          {"store", db->backend()},
                          {"node", lease->node()},
                          {"dev", config.dev}});
  const auto started = std::chrono::steady_clock::now();
  server.run();
  signals.cancel();
  cluster.reset();  // the cluster bus reads the store: it stops first
  mailer.stop();  // sends what is queued
  lease.reset();  // frees the node number for the next server
  db->close();
  log::info("drained", {{"uptime_s", std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()}});
  log::flush();
  return 0;
}

}  // namespace parley::app
