#pragma once
// The HTTP/WebSocket server: one io_context per thread, each with its own SO_REUSEPORT listener;
// a connection lives its whole life on the thread that accepted it.
#include "core/config.hpp"
#include "core/ip_range.hpp"
#include "core/metrics.hpp"
#include "net/connection.hpp"
#include "net/pipeline.hpp"
#include "net/router.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <memory>
#include <thread>
#include <unordered_set>
#include <vector>

namespace parley::net {

class Server;

// One thread's share of the server.
struct Worker {
  Worker(Server& s, std::size_t i) : server(s), index(i), acceptor(ioc) {}
  Server& server;
  std::size_t index;
  std::unordered_set<Connection*> connections;  // touched only on this worker's thread; outlives ioc
  asio::io_context ioc{1};
  asio::ip::tcp::acceptor acceptor;

  void add(Connection* c) { connections.insert(c); }
  void remove(Connection* c);
};

struct ServerMetrics {
  explicit ServerMetrics(metrics::Registry& r);
  metrics::Gauge& http_open;
  metrics::Gauge& ws_open;
  metrics::Counter& rejected;
};

class Server {
 public:
  Server(const Config& config, const Router& router, metrics::Registry& registry);
  ~Server();

  // Binds every listener; throws std::system_error when the address can't be bound.
  void listen();
  std::uint16_t port() const { return port_; }
  std::size_t threads() const { return workers_.size(); }
  asio::io_context& context(std::size_t i) { return workers_[i]->ioc; }

  // Runs the I/O threads until drained (or stop()); blocks. The calling thread runs worker 0.
  void run();
  // Planned shutdown, callable from any thread: for --drain-grace keep serving (with
  // Connection: close; /readyz says draining), then stop accepting, drain connections, and stop
  // once all are closed or when the shutdown timeout passes.
  void drain();
  bool draining() const { return draining_.load(std::memory_order_acquire); }
  void stop();

  const Config& config() const { return config_; }
  const Pipeline& pipeline() const { return pipeline_; }
  ServerMetrics& metrics() { return metrics_; }

  // Connection accounting (for --max-connections and the drain).
  bool try_open();
  void closed(Worker& w, Connection* c);

  // --trusted-proxies.
  const IpRanges& trusted_proxies() const { return trusted_proxies_; }
  // Request body bytes being received, across all threads (--max-body-bytes-in-flight): false
  // when `n` more would exceed the budget (a body alone is always admitted).
  bool reserve_body(std::size_t n);
  void release_body(std::size_t n) { body_in_flight_.fetch_sub(n, std::memory_order_acq_rel); }

 private:
  asio::awaitable<void> accept_loop(Worker& w);
  void maybe_finished();
  void close_and_drain();

  const Config& config_;
  Pipeline pipeline_;
  ServerMetrics metrics_;
  std::vector<std::thread> threads_;
  std::uint16_t port_ = 0;
  std::atomic<bool> draining_{false};
  std::atomic<bool> stopped_{false};
  std::atomic<bool> closing_{false};  // the listeners are closed: the last connection to close stops the server
  std::atomic<std::size_t> body_in_flight_{0};
  IpRanges trusted_proxies_;
  std::atomic<std::size_t> open_{0};
  std::vector<std::unique_ptr<Worker>> workers_;  // after the counters: sessions unwind into them
  std::unique_ptr<asio::steady_timer> deadline_;  // on worker 0's io_context: destroyed first
  std::unique_ptr<asio::steady_timer> grace_;     // likewise (--drain-grace)
};

}  // namespace parley::net
