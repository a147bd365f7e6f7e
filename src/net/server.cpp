#include "net/server.hpp"

#include "core/log.hpp"
#include "net/client_address.hpp"
#include "net/http_session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <sys/socket.h>

namespace parley::net {
namespace {

using reuse_port = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

asio::ip::address listen_address(const std::string& host) {
  if (host == "localhost") return asio::ip::make_address("127.0.0.1");
  return asio::ip::make_address(host);
}

}  // namespace

void Worker::remove(Connection* c) { connections.erase(c); }

ServerMetrics::ServerMetrics(metrics::Registry& r)
    : http_open(r.gauge("parley_http_connections_open", "Open HTTP connections (not upgraded)").with({})),
      ws_open(r.gauge("parley_ws_connections_open", "Open WebSocket connections").with({})),
      rejected(r.counter("parley_http_connections_rejected_total",
                         "Connections refused because --max-connections was reached")
                   .with({})) {}

Server::Server(const Config& config, const Router& router, metrics::Registry& registry)
    : config_(config),
      pipeline_(config, router, registry),
      metrics_(registry),
      trusted_proxies_(net::trusted_proxies(config.trusted_proxies)) {
  const int n = config.effective_threads();
  for (int i = 0; i < n; ++i) workers_.push_back(std::make_unique<Worker>(*this, static_cast<std::size_t>(i)));
}

Server::~Server() {
  stop();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

void Server::listen() {
  const auto address = listen_address(config_.listen_host);
  std::uint16_t port = config_.listen_port;
  for (auto& w : workers_) {
    const asio::ip::tcp::endpoint ep(address, port);
    w->acceptor.open(ep.protocol());
    w->acceptor.set_option(asio::socket_base::reuse_address(true));
    w->acceptor.set_option(reuse_port(true));
    w->acceptor.bind(ep);
    w->acceptor.listen(4096);
    port = w->acceptor.local_endpoint().port();  // with port 0, the others join the first one's port
  }
  port_ = port;
}

void Server::run() {
  for (auto& w : workers_)
    asio::co_spawn(w->ioc, accept_loop(*w), asio::detached);
  for (std::size_t i = 1; i < workers_.size(); ++i)
    threads_.emplace_back([this, i] { workers_[i]->ioc.run(); });
  workers_[0]->ioc.run();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

asio::awaitable<void> Server::accept_loop(Worker& w) {
  for (;;) {
    auto [ec, socket] = co_await w.acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec) {
      if (!w.acceptor.is_open() || ec == asio::error::operation_aborted) co_return;
      // Out of file descriptors or similar: back off briefly instead of spinning.
      log::warn("accept failed", {{"error", ec.message()}});
      asio::steady_timer pause(w.ioc, std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(asio::ip::tcp::no_delay(true), ignored);
    if (!try_open()) {
      metrics_.rejected.inc();
      reject_connection(w, std::move(socket));
      continue;
    }
    start_http_session(w, std::move(socket));
  }
}

bool Server::try_open() {
  if (open_.fetch_add(1, std::memory_order_relaxed) >= config_.max_connections) {
    open_.fetch_sub(1, std::memory_order_relaxed);
    return false;
  }
  return true;
}

void Server::closed(Worker& w, Connection* c) {
  w.remove(c);
  open_.fetch_sub(1, std::memory_order_acq_rel);
  if (closing_.load(std::memory_order_acquire)) maybe_finished();
}

bool Server::reserve_body(std::size_t n) {
  std::size_t cur = body_in_flight_.load(std::memory_order_relaxed);
  do {
    if (cur != 0 && cur + n > config_.max_body_bytes_in_flight) return false;
  } while (!body_in_flight_.compare_exchange_weak(cur, cur + n, std::memory_order_acq_rel, std::memory_order_relaxed));
  return true;
}

void Server::maybe_finished() {
  if (open_.load(std::memory_order_acquire) == 0) stop();
}

void Server::drain() {
  if (draining_.exchange(true, std::memory_order_acq_rel)) return;
  if (config_.drain_grace.count() == 0) {
    close_and_drain();
    return;
  }
  // The grace: still accepting and serving (Connection: close), /readyz answers 503 draining, so
  // that a load balancer sees the instance leave before its port closes.
  log::info("drain grace", {{"open_connections", open_.load()}, {"grace_ms", config_.drain_grace.count()}});
  asio::post(workers_[0]->ioc, [this] {
    grace_ = std::make_unique<asio::steady_timer>(workers_[0]->ioc, config_.drain_grace);
    grace_->async_wait([this](boost::system::error_code ec) {
      if (!ec) close_and_drain();
    });
  });
}

void Server::close_and_drain() {
  closing_.store(true, std::memory_order_release);
  log::info("draining", {{"open_connections", open_.load()}, {"deadline_ms", config_.shutdown_timeout.count()}});
  for (auto& w : workers_) {
    asio::post(w->ioc, [this, wp = w.get()] {
      boost::system::error_code ec;
      wp->acceptor.close(ec);
      const std::vector<Connection*> snapshot(wp->connections.begin(), wp->connections.end());
      for (auto* c : snapshot)
        if (wp->connections.contains(c)) c->drain();
      maybe_finished();
    });
  }
  asio::post(workers_[0]->ioc, [this] {
    deadline_ = std::make_unique<asio::steady_timer>(workers_[0]->ioc, config_.shutdown_timeout);
    deadline_->async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      log::warn("drain deadline passed; closing remaining connections", {{"open_connections", open_.load()}});
      for (auto& w : workers_) {
        asio::post(w->ioc, [wp = w.get()] {
          const std::vector<Connection*> snapshot(wp->connections.begin(), wp->connections.end());
          for (auto* c : snapshot)
            if (wp->connections.contains(c)) c->abort();
        });
      }
      // Give the aborted sessions one turn to unwind, then stop regardless.
      deadline_->expires_after(std::chrono::milliseconds(100));
      deadline_->async_wait([this](boost::system::error_code) { stop(); });
    });
  });
}

void Server::stop() {
  if (stopped_.exchange(true)) return;
  for (auto& w : workers_) w->ioc.stop();
}

}  // namespace parley::net
