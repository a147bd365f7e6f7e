#include "io_threads.hpp"

#include <sys/resource.h>

#include <chrono>
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

namespace parley::bench {
namespace {

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}
double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

void CpuMeter::start() {
  cpu0_ = cpu_seconds();
  wall0_ = wall_seconds();
}

double CpuMeter::cores() const {
  const double wall = wall_seconds() - wall0_;
  return wall > 0 ? (cpu_seconds() - cpu0_) / wall : 0.0;
}

}  // namespace parley::bench
