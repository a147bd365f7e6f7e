#include "io_threads.hpp"

#include <sys/resource.h>

#include <thread>

namespace parley::bench {

IoThreads::IoThreads(int n) {
  for (int i = 0; i < n; ++i) contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
}

void IoThreads::run() {
  std::vector<std::jthread> threads;
  for (auto& ctx : contexts_) threads.emplace_back([c = ctx.get()] { c->run(); });
}

unsigned long raise_fd_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return 0;
  if (lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
    getrlimit(RLIMIT_NOFILE, &lim);
  }
  return static_cast<unsigned long>(lim.rlim_cur);
}

}  // namespace parley::bench
