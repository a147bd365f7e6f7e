#pragma once
// The Redis side of a node that runs with --redis: a thread of its own running the Redis command
// client and the cluster bus (the hub across nodes, with the store behind it for gaps and for
// polling while Redis is down). Started at construction; stopped and joined when destroyed.
#include "bus/cluster_bus.hpp"
#include "bus/hub.hpp"
#include "bus/redis/client.hpp"
#include "core/metrics.hpp"
#include "store/database.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <string>
#include <thread>

namespace parley::app {

class ClusterNode {
 public:
  // Throws std::invalid_argument for a URL that is not redis://[:password@]host[:port][/db].
  ClusterNode(const std::string& redis_url, bus::Hub& hub, store::Database& db, metrics::Registry& registry);
  ~ClusterNode();
  ClusterNode(const ClusterNode&) = delete;
  ClusterNode& operator=(const ClusterNode&) = delete;

  bus::ClusterBus& bus() { return bus_; }
  bus::redis::Client& redis() { return client_; }  // for shared state (presence, limits), on its thread
  boost::asio::io_context& context() { return io_; }

 private:
  boost::asio::io_context io_{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  bus::redis::Endpoint endpoint_;
  bus::redis::Client client_;
  bus::ClusterBus bus_;
  std::thread thread_;
};

}  // namespace parley::app
