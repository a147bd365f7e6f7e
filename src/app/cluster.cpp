#include "app/cluster.hpp"

#include "chat/cluster_feed.hpp"

#include <boost/asio/post.hpp>

#include <future>

namespace parley::app {

ClusterNode::ClusterNode(const std::string& redis_url, bus::Hub& hub, store::Database& db, metrics::Registry& registry)
    : work_(boost::asio::make_work_guard(io_)),
      endpoint_(bus::redis::parse_url(redis_url)),
      client_(io_, endpoint_),
      bus_(io_, hub, client_, endpoint_, chat::cluster_fetch(db), chat::cluster_heads(db), registry, {}) {
  client_.start();
  bus_.start();
  thread_ = std::thread([this] { io_.run(); });
}

ClusterNode::~ClusterNode() {
  std::promise<void> stopped;
  boost::asio::post(io_, [this, &stopped] {
    bus_.stop();
    client_.stop();
    stopped.set_value();
  });
  stopped.get_future().wait();
  work_.reset();
  io_.stop();
  thread_.join();
}

}  // namespace parley::app
