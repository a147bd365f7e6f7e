#pragma once
// One io_context per thread (single-threaded contexts: no locking inside Asio); a scenario posts
// each connection's coroutine onto context i % n, then run() drives them all and joins.
#include <memory>
#include <vector>

#include <boost/asio/io_context.hpp>

namespace parley::bench {

class IoThreads {
 public:
  explicit IoThreads(int n);
  int size() const { return static_cast<int>(contexts_.size()); }
  boost::asio::io_context& context(int i) { return *contexts_[static_cast<std::size_t>(i)]; }
  // Runs every context on its own thread until it has no work left; returns when all are done.
  void run();

 private:
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
};

// Raises RLIMIT_NOFILE's soft limit to the hard limit; returns the new soft limit.
unsigned long raise_fd_limit();

}  // namespace parley::bench

namespace parley::bench {

// Measures this process's CPU use (user + system) against wall time between start() and cores().
class CpuMeter {
 public:
  void start();
  double cores() const;  // CPU seconds per wall second since start()

 private:
  double cpu0_ = 0;
  double wall0_ = 0;
};

}  // namespace parley::bench
