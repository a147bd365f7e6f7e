#pragma once
// The HTTP/WebSocket server: one io_context per thread, each with its own SO_REUSEPORT listener;
// a connection lives its whole life on the thread that accepted it.
#include "core/config.hpp"
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
  // Planned shutdown, callable from any thread: stop accepting, drain connections, and stop
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

 private:
  asio::awaitable<void> accept_loop(Worker& w);
  void maybe_finished();

  const Config& config_;
  Pipeline pipeline_;
  ServerMetrics metrics_;
  std::vector<std::thread> threads_;
  std::uint16_t port_ = 0;
  std::atomic<bool> draining_{false};
  std::atomic<bool> stopped_{false};
  std::atomic<std::size_t> open_{0};
  std::vector<std::unique_ptr<Worker>> workers_;  // after the counters: sessions unwind into them
  std::unique_ptr<asio::steady_timer> deadline_;  // on worker 0's io_context: destroyed first
};

}  // namespace parley::net
